"""S/N stickers as printed on products, for the OCR fallback: Code128 barcodes with the S/N and
CHK printed in a real font (DejaVu) beside them, sometimes a second barcode (a part number),
sometimes the serial's barcode scuffed or cut off (only the printed text is left to read);
photographed like ``tests/stickers.py`` (turned, blurred, uneven light, noise, JPEG)."""

from __future__ import annotations

from PIL import Image, ImageDraw, ImageFont

from tests.stickers import barcode, photograph

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"


def printed_sticker(
    serial: str,
    *,
    chk: str | None = "123",
    part: str | None = None,
    scuffed: bool = False,  # the serial's barcode scratched through: no barcode decodes
    chk_barcode: bool = True,
) -> Image.Image:
    font = ImageFont.truetype(FONT, 34)
    rows: list[tuple[Image.Image | None, str]] = [(barcode(serial), f"S/N: {serial}")]
    if chk:
        rows.append((barcode(chk) if chk_barcode else None, f"CHK: {chk}"))
    if part:
        rows.append((barcode(part, scale=2), f"P/N: {part}"))
    width = max([700] + [code.width + 80 for code, _ in rows if code is not None])
    height = 40 + sum((code.height if code is not None else 0) + 70 for code, _ in rows)
    card = Image.new("L", (width, height), 255)
    draw = ImageDraw.Draw(card)
    y = 20
    for index, (code, label) in enumerate(rows):
        draw.text((40, y), label, font=font, fill=0)
        if code is not None:
            card.paste(code, (40, y + 50))
            if scuffed and index == 0:  # scratches across the bars, as a worn sticker
                for k in range(6):
                    x = 40 + code.width * (k + 1) // 7
                    draw.rectangle((x, y + 50, x + 18, y + 50 + code.height), fill=255)
            y += code.height
        y += 70
    return card


def photograph_sticker(
    card: Image.Image,
    *,
    angle: float = 0.0,
    blur: float = 0.0,
    side: int = 1280,
    light: float = 0.0,
    noise: float = 0.0,
    quality: int = 85,
) -> bytes:
    return photograph(
        card,
        fit=1500,
        angle=angle,
        blur=blur,
        side=side,
        light=light,
        noise=noise,
        quality=quality,
    )
