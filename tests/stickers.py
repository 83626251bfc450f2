"""Photos of S/N stickers for the tests, drawn here: Code128 (and EAN-13) from zxing-cpp's
writer, printed S/N and CHK text, on a grey table; then rotated, blurred and resized like a
phone photo sent through Telegram (1280 px on the long side) or as a file."""

from __future__ import annotations

import io

import zxingcpp
from PIL import Image, ImageChops, ImageDraw, ImageFilter


def barcode(
    value: str, fmt: zxingcpp.BarcodeFormat = zxingcpp.BarcodeFormat.Code128, scale: int = 3
) -> Image.Image:
    view = memoryview(
        zxingcpp.write_barcode_to_image(zxingcpp.create_barcode(value, fmt), scale=scale)
    )
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
    light: float = 0.0,  # uneven light: darker by up to this share towards one corner
    noise: float = 0.0,  # sensor noise, sigma in grey levels
    quality: int = 85,
    seed: int | None = None,
) -> bytes:
    rows: list[tuple[Image.Image, str]] = []  # a label stacked above each barcode
    if serial:
        rows.append((barcode(serial), f"S/N: {serial}"))
    if chk:
        rows.append((barcode(chk), f"CHK {chk}"))
    if part:
        rows.append((barcode(part, scale=2), f"P/N {part}"))
    if ean:
        rows.append((barcode(ean, zxingcpp.BarcodeFormat.EAN13), ""))
    width = max([600] + [code.width + 80 for code, _ in rows])
    card = Image.new("L", (width, 40 + sum(code.height + 40 for code, _ in rows)), 255)
    draw = ImageDraw.Draw(card)
    y = 20
    for code, label in rows:
        draw.text((40, y), label, fill=0)
        card.paste(code, (40, y + 20))
        y += code.height + 40
    return photograph(
        card,
        fit=1400,
        angle=angle,
        blur=blur,
        side=side,
        fmt=fmt,
        light=light,
        noise=noise,
        quality=quality,
        seed=seed,
    )


def _noise(size: tuple[int, int], sigma: float, seed: int | None) -> Image.Image:
    """Grey noise around 128: PIL's own (a new draw each time) or, with a seed, numpy's."""
    if seed is None:
        return Image.effect_noise(size, sigma)
    import numpy as np

    values = np.random.default_rng(seed).normal(128.0, sigma, (size[1], size[0]))
    return Image.fromarray(values.clip(0, 255).astype(np.uint8), "L")


def photograph(
    card: Image.Image,
    *,
    fit: int,  # the card's longest side on the 2400 x 1800 table
    angle: float = 0.0,
    blur: float = 0.0,
    side: int = 1280,
    fmt: str = "JPEG",
    light: float = 0.0,
    noise: float = 0.0,
    quality: int = 85,
    seed: int | None = None,  # the sensor noise drawn from this seed: the same photo every time
) -> bytes:
    """The card on a grey table, photographed: turned, blurred, uneven light, noise, resized."""
    card = card.copy()
    card.thumbnail((fit, fit))
    photo = Image.new("L", (2400, 1800), 170)
    photo.paste(card, ((2400 - card.width) // 2, (1800 - card.height) // 2))
    photo = photo.rotate(angle, resample=Image.Resampling.BICUBIC, fillcolor=170)
    if blur:
        photo = photo.filter(ImageFilter.GaussianBlur(blur))
    if light:
        shade = Image.linear_gradient("L").resize(photo.size).point(lambda v: 255 - int(v * light))
        photo = ImageChops.multiply(photo, shade)
    if noise:
        photo = ImageChops.add(photo, _noise(photo.size, noise, seed), scale=1.0, offset=-128)
    photo.thumbnail((side, side))
    buf = io.BytesIO()
    photo.convert("RGB").save(buf, fmt, quality=quality) if fmt == "JPEG" else photo.save(buf, fmt)
    return buf.getvalue()
