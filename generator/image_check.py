"""Is a file a whole, decodable image of a sane size? Decoding is the only proof.

Pillow's traps (measured, see FINDINGS.md): above 2 × MAX_IMAGE_PIXELS ``open()`` raises
DecompressionBombError, which is not an OSError; between 1× and 2× it only warns; a
truncated JPEG opens and passes ``verify()`` and fails only in ``load()``. So we check the
pixel count ourselves against our own limit, turn the warning into an error, and load.
"""

from __future__ import annotations

import warnings
from pathlib import Path

from PIL import Image, UnidentifiedImageError

__all__ = ["MAX_PIXELS", "image_problem"]

MAX_PIXELS = 50_000_000  # a 48 MP phone photo passes; a 9000×9000 bomb does not


def image_problem(path: Path, max_pixels: int = MAX_PIXELS) -> tuple[str, str] | None:
    """None for a good image, else (code, Chinese message)."""
    if not path.is_file():
        return "file-missing", "找不到这个文件：请检查路径和文件名的大小写，并确认图片已放进 content/ 下"
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(path) as image:
                pixels = image.width * image.height
                if pixels > max_pixels:
                    return "image-too-large", _too_large(image.width, image.height, max_pixels)
                image.draft("RGB", (max(1, image.width // 8), max(1, image.height // 8)))
                image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        return "image-too-large", "图片像素过多，可能是“解压炸弹”：请换一张正常尺寸的照片"
    except UnidentifiedImageError:
        return "image-invalid", "这个文件不是能识别的图片（支持 JPEG、PNG、WebP、GIF）：请重新导出图片"
    except (OSError, ValueError, SyntaxError, EOFError):
        return "image-corrupt", "图片文件已损坏或不完整（可能没有上传完）：请重新复制或导出这张图片"
    return None


def _too_large(width: int, height: int, limit: int) -> str:
    return (f"图片有 {width}×{height} = {width * height / 1e6:.0f} 百万像素，超过上限 {limit / 1e6:.0f} 百万像素："
            "请缩小后再放进来")
