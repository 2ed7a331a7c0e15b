"""Is a file a whole, decodable image of a sane size? Decoding is the only proof.

Pillow's traps (measured, see FINDINGS.md): above 2 × MAX_IMAGE_PIXELS ``open()`` raises
DecompressionBombError, which is not an OSError; between 1× and 2× it only warns; a
truncated JPEG opens and passes ``verify()`` and fails only in ``load()``. So we check the
pixel count ourselves against our own limit, turn the warning into an error, and load.

A source that decoded whole once is remembered by its content hash in the image cache's
stat index, so an unchanged photo is never decoded again, by `yipin check` or a build.
"""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import TYPE_CHECKING

from PIL import Image, UnidentifiedImageError

from .images.cache import ImageCache

if TYPE_CHECKING:
    from .settings import Settings

__all__ = ["MAX_PIXELS", "ImageChecker"]

MAX_PIXELS = 50_000_000  # a 48 MP phone photo passes; a 9000×9000 bomb does not

Problem = tuple[str, str]  # (code, Chinese message)


class ImageChecker:
    def __init__(self, cache: ImageCache | None = None, max_pixels: int = MAX_PIXELS) -> None:
        self.cache = cache or ImageCache(None)
        self.max_pixels = max_pixels

    @classmethod
    def for_settings(cls, settings: Settings) -> ImageChecker:
        return cls(ImageCache(settings.image_cache_dir), settings.image_max_pixels)

    def problem(self, path: Path) -> Problem | None:
        """None for a good image, else (code, Chinese message)."""
        try:
            digest = self.cache.sha256(path)
        except OSError:  # missing, or a folder
            return _missing()
        size = self.cache.checked_size(digest)
        if size is None:
            problem, size = _decode(path, self.max_pixels)
            if problem:
                return problem
            self.cache.remember_checked(digest, *size)
        if size[0] * size[1] > self.max_pixels:  # the limit may have been lowered since
            return "image-too-large", _too_large(*size, self.max_pixels)
        return None

    def save(self) -> None:
        self.cache.save()


def _decode(path: Path, max_pixels: int) -> tuple[Problem | None, tuple[int, int]]:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(path) as image:
                size = image.size
                if size[0] * size[1] > max_pixels:
                    return ("image-too-large", _too_large(*size, max_pixels)), size
                image.draft("RGB", (max(1, image.width // 8), max(1, image.height // 8)))
                image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        return ("image-too-large", "图片像素过多，可能是“解压炸弹”：请换一张正常尺寸的照片"), (0, 0)
    except UnidentifiedImageError:
        return ("image-invalid", "这个文件不是能识别的图片（支持 JPEG、PNG、WebP、GIF）：请重新导出图片"), (0, 0)
    except (OSError, ValueError, SyntaxError, EOFError):
        return ("image-corrupt", "图片文件已损坏或不完整（可能没有上传完）：请重新复制或导出这张图片"), (0, 0)
    return None, size


def _missing() -> Problem:
    return "file-missing", "找不到这个文件：请检查路径和文件名的大小写，并确认图片已放进 content/ 下"


def _too_large(width: int, height: int, limit: int) -> str:
    return (f"图片有 {width}×{height} = {width * height / 1e6:.0f} 百万像素，超过上限 {limit / 1e6:.0f} 百万像素："
            "请缩小后再放进来")
