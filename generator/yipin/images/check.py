"""Is a file a whole image that the encoder can make variants of? Decoding is the only proof.

Pillow's traps (measured, see FINDINGS.md): above 2 × MAX_IMAGE_PIXELS ``open()`` raises
DecompressionBombError, which is not an OSError; between 1× and 2× it only warns; a
truncated JPEG opens and passes ``verify()`` and fails only in ``load()``. So we check the
pixel count ourselves against our own limit, turn the warning into an error, and load.

The file is opened, measured and decoded by the encoder's own functions (the same
formats, the EXIF orientation, the first frame and its conversion to 8 bits), so what
`yipin check` accepts, a build can make. Before anything opens it, a stat tells a missing
file from a folder, a FIFO (which would block the read) or an unreadable file.

A source that decoded whole once is remembered by its content hash in the image cache's
stat index, so an unchanged photo is never decoded again, by `yipin check` or a build.
"""

from __future__ import annotations

import warnings
from pathlib import Path

from PIL import Image, UnidentifiedImageError

from yipin.images.cache import ImageCache
from yipin.images.encode import decode, open_image, orientation, upright_size
from yipin.images.plan import MAX_SIDE, widest
from yipin.utils.files import Problem, file_problem, os_problem

__all__ = ["MAX_PIXELS", "ImageChecker"]

MAX_PIXELS = 50_000_000  # a 48 MP phone photo passes; a 9000×9000 bomb does not
# major brands of an ISO-BMFF ftyp box that mean HEIF/HEIC: what iPhones save by default
HEIF_BRANDS = {b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"hevm", b"hevs", b"mif1", b"msf1"}

# What to do, by the code of a file problem (files.py).
HINTS = {"file-is-folder": "路径要写到里面的那张图片，如 images/xx/photo.jpg",
         "file-not-regular": "请换成一张真正的图片文件",
         "file-missing": "请检查路径和文件名的大小写，并确认图片已放进 content/ 下"}


class ImageChecker:
    def __init__(self, cache: ImageCache | None = None, max_pixels: int = MAX_PIXELS) -> None:
        self.cache = cache or ImageCache(None)
        self.max_pixels = max_pixels

    def problem(self, path: Path) -> Problem | None:
        """None for a good image, else (code, Chinese message)."""
        problem = file_problem(path, "图片文件", HINTS)
        if problem:
            return problem
        try:
            digest = self.cache.sha256(path)
        except OSError as exc:
            return os_problem(exc, path, HINTS)
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
    """Open, measure and decode ``path`` as encode() does (the first frame, at 1/8 for a JPEG);
    the size is as the viewer sees it."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with open_image(path) as image:
                size = upright_size(image, orientation(image))
                if size[0] * size[1] > max_pixels:
                    return ("image-too-large", _too_large(*size, max_pixels)), size
                if widest(*size) < 1:
                    return ("image-too-thin", _too_thin(*size)), size
                image.draft("RGB", (max(1, image.width // 8), max(1, image.height // 8)))
                decode(image)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        return ("image-too-large", "图片像素过多，可能是“解压炸弹”：请换一张正常尺寸的照片"), (0, 0)
    except UnidentifiedImageError:
        return _unidentified(path), (0, 0)
    except OSError as exc:
        if exc.errno:  # from the system (the file went away, permissions), not from a decoder
            return os_problem(exc, path, HINTS), (0, 0)
        return _corrupt(), (0, 0)
    except (ValueError, SyntaxError, EOFError):
        return _corrupt(), (0, 0)
    return None, size


def _unidentified(path: Path) -> Problem:
    """Not one of the formats we publish from; an iPhone photo gets its own way out."""
    if _is_heif(path):
        return "image-heic", ("这是苹果手机的 HEIC 格式照片，网站不能直接使用：请把它导出为 JPEG 再放进来"
                              "（Mac 的“照片”里选“文件 → 导出”；想以后直接拍 JPEG，"
                              "可把 iPhone 的“设置 → 相机 → 格式”改为“兼容性最佳”）")
    return "image-invalid", "这个文件不是能识别的图片（支持 JPEG、PNG、WebP、GIF）：请重新导出图片"


def _is_heif(path: Path) -> bool:
    """An ISO-BMFF file whose ftyp box names a HEIF brand (bytes 4–8 'ftyp', 8–12 the brand)."""
    try:
        with open(path, "rb") as file:
            head = file.read(12)
    except OSError:
        return False
    return head[4:8] == b"ftyp" and head[8:12] in HEIF_BRANDS


def _corrupt() -> Problem:
    return "image-corrupt", "图片文件已损坏或不完整（可能没有上传完）：请重新复制或导出这张图片"


def _too_thin(width: int, height: int) -> str:
    return (f"图片是 {width}×{height}，高度超过宽度的 {MAX_SIDE} 倍，太细长，做不出网页图片："
            "请把它裁剪成几张再放进来")


def _too_large(width: int, height: int, limit: int) -> str:
    return (f"图片有 {width}×{height} = {width * height / 1e6:.0f} 百万像素，超过上限 {limit / 1e6:.0f} 百万像素："
            "请缩小后再放进来")
