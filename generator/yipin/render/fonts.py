"""The machine's Chinese font, for pictures drawn at build time (the share posters).

Found at the paths where the usual packages put it, without fontconfig (which Windows and
macOS lack): Noto Sans CJK or Source Han Sans on Linux, PingFang or Hiragino on macOS,
Microsoft YaHei on Windows; WenQuanYi as a last resort. YIPIN_FONT names a file to use
instead. In a collection (.ttc) the face for Simplified Chinese is chosen by its name
(Noto Sans CJK SC, PingFang SC, Hiragino Sans GB), else the first face.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import NamedTuple

from PIL import ImageFont

from yipin.errors import MachineError

__all__ = ["Face", "Fonts", "find_fonts", "CANDIDATES", "ENVIRONMENT"]

ENVIRONMENT = "YIPIN_FONT"
_WINDOWS = Path(os.environ.get("WINDIR", r"C:\Windows")) / "Fonts"
# (regular, bold) in order of preference; bold may be the regular file again.
CANDIDATES: tuple[tuple[Path, Path], ...] = tuple((Path(r), Path(b)) for r, b in (
    ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc"),
    ("/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc", "/usr/share/fonts/noto-cjk/NotoSansCJK-Bold.ttc"),
    ("/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc",
     "/usr/share/fonts/google-noto-cjk/NotoSansCJK-Bold.ttc"),
    ("/usr/share/fonts/opentype/source-han-sans/SourceHanSans-Regular.ttc",
     "/usr/share/fonts/opentype/source-han-sans/SourceHanSans-Bold.ttc"),
    ("/usr/share/fonts/adobe-source-han-sans/SourceHanSansSC-Regular.otf",
     "/usr/share/fonts/adobe-source-han-sans/SourceHanSansSC-Bold.otf"),
    ("/System/Library/Fonts/PingFang.ttc", "/System/Library/Fonts/PingFang.ttc"),
    ("/System/Library/Fonts/Hiragino Sans GB.ttc", "/System/Library/Fonts/Hiragino Sans GB.ttc"),
    (str(_WINDOWS / "msyh.ttc"), str(_WINDOWS / "msyhbd.ttc")),
    ("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"),
    ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"),
))
_SIMPLIFIED = re.compile(r"\b(SC|GB|CN)\b")
_MAX_FACES = 32  # a collection holds a few faces; Pillow tells the end only by failing


class Face(NamedTuple):
    path: str
    index: int   # the face within a collection (.ttc)


class Fonts(NamedTuple):
    regular: Face
    bold: Face


def find_fonts(purpose: str = "画不了分享海报") -> Fonts:
    """The first installed candidate (YIPIN_FONT first), or MachineError saying what to install;
    ``purpose``: what cannot be done without one, as the message says it."""
    chosen = os.environ.get(ENVIRONMENT)
    if chosen:
        if not Path(chosen).is_file():
            raise MachineError(f"环境变量 {ENVIRONMENT} 指定的字体文件 {chosen} 不存在：请改成一个中文字体文件的路径")
        face = _face(Path(chosen))
        return Fonts(face, face)
    for regular, bold in CANDIDATES:
        if regular.is_file():
            face = _face(regular)
            return Fonts(face, _face(bold) if bold.is_file() else face)
    raise MachineError(
        f"找不到中文字体，{purpose}。请安装思源黑体（Noto Sans CJK）：Debian/Ubuntu 运行 "
        "sudo apt-get install fonts-noto-cjk，Fedora 运行 sudo dnf install google-noto-sans-cjk-fonts；"
        "macOS 自带苹方、Windows 自带微软雅黑，被删掉时请重新安装；"
        f"也可以用环境变量 {ENVIRONMENT} 指定一个中文字体文件（.ttc、.otf 或 .ttf）")


def _face(path: Path) -> Face:
    """The Simplified Chinese face of a collection, else its first."""
    for index in range(_MAX_FACES):
        try:
            family = ImageFont.truetype(str(path), 12, index=index).getname()[0] or ""
        except OSError:
            if index == 0:
                raise MachineError(f"{path} 不是能打开的字体文件：请换一个中文字体文件（.ttc、.otf 或 .ttf）") from None
            break
        if _SIMPLIFIED.search(family):
            return Face(str(path), index)
    return Face(str(path), 0)
