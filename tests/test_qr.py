"""The printed QR codes decode to the page's address: the SVG is drawn into pixels and read
back by ZBar (Debian's zbar-tools, installed by .ci/run), as a phone camera would."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

from bs4 import BeautifulSoup
from PIL import Image, ImageDraw

from yipin.render.qr import qr_svg

PIXELS_PER_MODULE = 8
_RUN = re.compile(r"M(\d+) (\d+)\.5h(\d+)")


def decode(svg: str, folder: Path) -> str:
    """Rasterise the code's dark runs and decode the picture with zbarimg."""
    soup = BeautifulSoup(svg, "html.parser").svg
    side = int(soup["viewbox"].split()[2])
    path = soup.find("path")["d"]
    assert _RUN.sub("", path) == "", "the path holds only horizontal runs of whole modules"
    image = Image.new("L", (side * PIXELS_PER_MODULE,) * 2, 255)
    draw = ImageDraw.Draw(image)
    for x, y, length in (map(int, run) for run in _RUN.findall(path)):
        draw.rectangle([x * PIXELS_PER_MODULE, y * PIXELS_PER_MODULE,
                        (x + length) * PIXELS_PER_MODULE - 1, (y + 1) * PIXELS_PER_MODULE - 1], fill=0)
    png = folder / "qr.png"
    image.save(png)
    return zbar(png)


def zbar(picture: Path) -> str:
    """What ZBar reads from the QR code in the picture file."""
    zbarimg = shutil.which("zbarimg")
    assert zbarimg, "zbarimg is required: apt-get install zbar-tools (.ci/run does)"
    result = subprocess.run([zbarimg, "--quiet", "--raw", "-Sdisable", "-Sqrcode.enable", str(picture)],
                            capture_output=True, text=True, check=True)
    return result.stdout.strip()


def test_qr_code_decodes_to_the_url(tmp_path):
    url = "https://yipin.example.org/cases/zhouxin-lianjiang/"
    svg = qr_svg(url, "本页二维码")
    assert decode(svg, tmp_path) == url
    root = BeautifulSoup(svg, "html.parser").svg
    assert root["role"] == "img" and root["aria-label"] == root.title.get_text() == "本页二维码"
    assert root["width"] == root["height"] == str(4 * int(root["viewbox"].split()[2]))


def test_case_pages_print_their_own_address(sample_site, tmp_path):
    for case in ("zhouxin-lianjiang", "liujiabao-xingfuli"):
        soup = BeautifulSoup((sample_site / "cases" / case / "index.html").read_text(encoding="utf-8"), "html.parser")
        svg = str(soup.select_one(".yp-qr svg"))
        assert decode(svg, tmp_path) == f"https://yipin.example.org/cases/{case}/"
