"""Illustrative pictures for the sample cases, clearly marked 示意图 (the source articles
carry no photos we may publish): a brand card with the brand's name and slogan, a card of
its replication steps, and for some a round monogram with the brand's first characters.
Every picture says 示意图 in itself; the case files say so in its alt text and caption too,
and the monograms are gallery pictures, never brand.logo (none of these brands' articles
shows a logo: a drawn one must not pass for the official mark).

    python scripts/make_sample_images.py      writes content/images/<case id>/*.png

Text is set in Noto Sans CJK SC (Debian: fonts-noto-cjk). The output is committed; run
again only to change the pictures. PNG with a small palette keeps each a few tens of KB.
"""

from __future__ import annotations

import sys
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from yipin.content.reader import read_document  # noqa: E402

FONT = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc")
SIMPLIFIED = 2  # the face inside the collection: 0 JP, 1 KR, 2 SC, 3 TC, 4 HK
# case id → (background, accent); deep colours so white text reads at 7:1 or more
CASES = {
    "zhouxin-lianjiang": ("#1f5f5b", "#f2c14e"),
    "liujiabao-hongxin": ("#9b1c1c", "#ffd8a8"),
    "yuqi-pinghu": ("#3a3f8f", "#ffe08a"),
    "zhouxin-jiangnan": ("#2f5d2a", "#f6e7a1"),
    "zhouxin-zhennan": ("#7a2e0e", "#fde2c4"),
    "beizhen-yulonghu": ("#20466d", "#bfe3ff"),
}
LOGOS = ("zhouxin-lianjiang", "liujiabao-hongxin", "zhouxin-jiangnan")


def font(size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(FONT), size, index=SIMPLIFIED)


def wrap(text: str, face: ImageFont.FreeTypeFont, width: int) -> list[str]:
    """Break Chinese text between characters so that each line fits ``width`` px; closing
    punctuation never starts a line (it may overhang) and an opening bracket never ends one."""
    lines, line = [], ""
    for char in text:
        if face.getlength(line + char) > width and line and char not in "，。、；：！？）”》":
            carried = line[-1] if line[-1] in "（“《" else ""
            lines.append(line.removesuffix(carried))
            line = carried
        line += char
    return [*lines, line] if line else lines


def marked(draw: ImageDraw.ImageDraw, size: tuple[int, int], accent: str) -> None:
    """The honest label in a corner: this is an illustration, not a photo."""
    face = font(34)
    label = "示意图"
    w = face.getlength(label)
    draw.rounded_rectangle((size[0] - w - 72, 36, size[0] - 36, 100), radius=14, outline=accent, width=3)
    draw.text((size[0] - w - 54, 42), label, font=face, fill=accent)


def brand_card(record: dict, colours: tuple[str, str]) -> Image.Image:
    background, accent = colours
    size = (1600, 1000)
    card = Image.new("RGB", size, background)
    draw = ImageDraw.Draw(card)
    draw.rectangle((0, size[1] - 24, size[0], size[1]), fill=accent)
    community = record["community"]
    region = community["region"]
    draw.text((110, 150), f"{region['district']} · {community['name']}", font=font(44), fill=accent)
    y = 250
    size_name = 120
    while len(wrap(record["brand"]["name"], font(size_name), 1380)) > 2 and size_name > 64:
        size_name -= 8   # a long name (a whole 示范站's) in smaller type, so the slogan still fits
    for line in wrap(record["brand"]["name"], font(size_name), 1380):
        draw.text((110, y), line, font=font(size_name), fill="#ffffff")
        y += size_name * 4 // 3
    if record["brand"].get("slogan"):
        for line in wrap(record["brand"]["slogan"], font(56), 1380):
            draw.text((110, y + 30), line, font=font(56), fill="#ffffff")
            y += 80
    draw.text((110, size[1] - 150), "一社区一品牌", font=font(40), fill=accent)
    marked(draw, size, accent)
    return card


def steps_card(record: dict, colours: tuple[str, str]) -> Image.Image:
    background, accent = colours
    size = (1000, 1400)
    card = Image.new("RGB", size, "#fbf8f3")
    draw = ImageDraw.Draw(card)
    draw.rectangle((0, 0, size[0], 220), fill=background)
    draw.text((70, 70), "实施步骤", font=font(72), fill="#ffffff")
    y = 290
    for number, step in enumerate(record["replication"]["steps"], start=1):
        lines = wrap(step, font(44), 760)
        if y + 62 * len(lines) > size[1] - 170:
            break  # the card shows the steps that fit; the page lists them all
        draw.ellipse((70, y, 140, y + 70), fill=background)
        draw.text((105, y + 35), str(number), font=font(40), fill="#ffffff", anchor="mm")
        for line in lines:
            draw.text((170, y + 4), line, font=font(44), fill="#222222")
            y += 62
        y += 50
    name, size_name = record["brand"]["name"], 40
    while font(size_name).getlength(name) > size[0] - 140 and size_name > 20:
        size_name -= 2
    draw.text((70, size[1] - 110), name, font=font(size_name), fill=background)
    marked(draw, size, "#ffffff")
    return card


def logo(record: dict, colours: tuple[str, str]) -> Image.Image:
    background, accent = colours
    size = 600
    mark = Image.new("RGB", (size, size), "#ffffff")
    draw = ImageDraw.Draw(mark)
    draw.ellipse((20, 20, size - 20, size - 20), fill=background, outline=accent, width=16)
    name = "".join(ch for ch in record["brand"]["name"] if "\u4e00" <= ch <= "\u9fff")[:2]
    draw.text((size / 2, size / 2 - 30), name, font=font(200), fill="#ffffff", anchor="mm")
    # Drawn from the name, not the brand's own logo: the picture says so itself.
    draw.rounded_rectangle((size / 2 - 110, 408, size / 2 + 110, 478), radius=14, outline=accent, width=4)
    draw.text((size / 2, 443), "示意图", font=font(44), fill=accent, anchor="mm")
    return mark


def save(picture: Image.Image, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    picture.quantize(colors=48, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE).save(path, optimize=True)
    print(f"{path.relative_to(REPO)}  {path.stat().st_size // 1024} KB")


def main() -> int:
    if not FONT.is_file():
        print(f"缺少字体 {FONT}：请安装 Debian 的 fonts-noto-cjk", file=sys.stderr)
        return 1
    for case_id, colours in CASES.items():
        doc, errors = read_document(REPO / "content" / "cases" / f"{case_id}.yaml")
        assert not errors, errors
        folder = REPO / "content" / "images" / case_id
        save(brand_card(doc.data, colours), folder / "brand-card.png")
        save(steps_card(doc.data, colours), folder / "steps.png")
        if case_id in LOGOS:
            save(logo(doc.data, colours), folder / "logo.png")
    return 0


if __name__ == "__main__":
    sys.exit(main())
