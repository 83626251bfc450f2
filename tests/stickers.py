"""Photos of S/N stickers for the tests, drawn here: Code128 (and EAN-13) from zxing-cpp's
writer, printed S/N and CHK text, on a grey table; then rotated, blurred and resized like a
phone photo sent through Telegram (1280 px on the long side) or as a file."""

from __future__ import annotations

import io

import zxingcpp
from PIL import Image, ImageDraw, ImageFilter


def barcode(value: str, fmt: zxingcpp.BarcodeFormat = zxingcpp.BarcodeFormat.Code128, scale: int = 3) -> Image.Image:
    view = memoryview(zxingcpp.write_barcode_to_image(zxingcpp.create_barcode(value, fmt), scale=scale))
    return Image.frombytes("L", (view.shape[1], view.shape[0]), view.tobytes())


def sticker_photo(
    serial: str | None = "BA3T01946000V",
    *,
    chk: str | None = "123",
    part: str | None = "911-7D75-001",  # a part number barcode (Code128, not a serial)
    ean: str | None = "4719072901233",
    angle: float = 0.0,
    blur: float = 0.0,
    side: int = 1280,
    fmt: str = "JPEG",
) -> bytes:
    card = Image.new("L", (900, 560), 255)
    draw = ImageDraw.Draw(card)
    if serial:
        card.paste(barcode(serial), (40, 40))
        draw.text((40, 200), f"S/N: {serial}", fill=0)
    if chk:
        card.paste(barcode(chk), (40, 240))
        draw.text((40, 400), f"CHK {chk}", fill=0)
    if part:
        card.paste(barcode(part, scale=2), (500, 60))
    if ean:
        card.paste(barcode(ean, zxingcpp.BarcodeFormat.EAN13), (500, 250))
    photo = Image.new("L", (2400, 1800), 170)
    photo.paste(card, (600, 500))
    photo = photo.rotate(angle, resample=Image.Resampling.BICUBIC, fillcolor=170)
    if blur:
        photo = photo.filter(ImageFilter.GaussianBlur(blur))
    photo.thumbnail((side, side))
    buf = io.BytesIO()
    photo.convert("RGB").save(buf, fmt, quality=85) if fmt == "JPEG" else photo.save(buf, fmt)
    return buf.getvalue()
