"""storage.images: every picture is generated here, in memory, with Pillow."""

from __future__ import annotations

import asyncio
import io
import random
import struct
import warnings
import zlib
from collections.abc import Callable

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image, ImageCms, ImageDraw, ImageFile, ImageOps, features

from storage.images import (
    ACCEPTED_FORMATS,
    BOMB,
    CORRUPT,
    DEFAULT_LIMITS,
    GUEST_LIMITS,
    NOT_IMAGE,
    REJECTION_KEYS,
    TOO_LARGE,
    TOO_SMALL,
    UNSUPPORTED,
    ImageLimits,
    ImageRejected,
    NormalizedImage,
    normalize,
    normalize_async,
)

RED = (255, 0, 0)
GREEN = (0, 200, 0)
BLUE = (0, 0, 255)
WHITE = (255, 255, 255)


# -- helpers ---------------------------------------------------------------------------------


def encode(img: Image.Image, fmt: str, **params: object) -> bytes:
    buf = io.BytesIO()
    img.save(buf, fmt, **params)
    return buf.getvalue()


def solid(size: tuple[int, int], color=RED, mode: str = "RGB") -> Image.Image:
    return Image.new(mode, size, color)


def decoded(result: NormalizedImage) -> Image.Image:
    img = Image.open(io.BytesIO(result.jpeg))
    img.load()
    return img


def close(actual, expected, tol: int = 40) -> bool:
    return all(abs(a - e) <= tol for a, e in zip(actual, expected, strict=True))


def exif_bytes(orientation: int = 1) -> bytes:
    exif = Image.Exif()
    exif[0x0112] = orientation  # Orientation
    exif[0x010F] = "TestCam"  # Make
    exif[0x0110] = "Model X"  # Model
    exif[0x9286] = "private note"  # UserComment-ish payload that must not survive
    return exif.tobytes()


def srgb_icc() -> bytes:
    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()


def assert_clean_jpeg(result: NormalizedImage) -> Image.Image:
    """Baseline RGB JPEG without any metadata block."""
    assert result.jpeg.startswith(b"\xff\xd8\xff")
    img = decoded(result)
    assert img.format == "JPEG"
    assert img.mode == "RGB"
    assert img.size == (result.width, result.height)
    assert len(img.getexif()) == 0
    for key in ("exif", "icc_profile", "xmp", "comment", "progressive", "progression"):
        assert key not in img.info, key
    for marker in (b"Exif\x00\x00", b"ICC_PROFILE", b"http://ns.adobe.com/xap", b"TestCam"):
        assert marker not in result.jpeg
    return img


def rejected(data: bytes, **kwargs) -> ImageRejected:
    with pytest.raises(ImageRejected) as info:
        normalize(data, **kwargs)
    return info.value


@pytest.fixture(scope="module")
def photo_12mp() -> bytes:
    """A 4000x3000 camera-like JPEG with EXIF, an ICC profile and a comment."""
    img = Image.linear_gradient("L").resize((4000, 3000)).convert("RGB")
    draw = ImageDraw.Draw(img)
    for y in range(0, 3000, 150):
        draw.rectangle((100, y, 3900, y + 40), fill=(20, 20, 20))
    return encode(img, "JPEG", quality=90, exif=exif_bytes(), icc_profile=srgb_icc(), comment=b"hi")


# -- the happy path --------------------------------------------------------------------------


def test_12mp_jpeg_is_resized_to_1600_and_stripped(photo_12mp: bytes) -> None:
    result = normalize(photo_12mp, filename="IMG_0001.JPG", mime="image/jpeg")
    assert (result.width, result.height) == (1600, 1200)
    assert result.original_format == "JPEG"
    assert_clean_jpeg(result)
    assert len(result.jpeg) < len(photo_12mp)


def test_png_alpha_is_composited_onto_white() -> None:
    img = Image.new("RGBA", (400, 300), (0, 0, 0, 0))  # transparent *black*
    img.paste((255, 0, 0, 255), (0, 0, 200, 300))
    result = normalize(encode(img, "PNG"))
    out = assert_clean_jpeg(result)
    assert result.original_format == "PNG"
    assert close(out.getpixel((50, 150)), RED)
    assert close(out.getpixel((350, 150)), WHITE, tol=5)


def test_animated_gif_keeps_the_first_frame() -> None:
    frames = [solid((400, 300), c).convert("P") for c in (GREEN, RED, BLUE)]
    data = encode(frames[0], "GIF", save_all=True, append_images=frames[1:], duration=100, loop=0)
    result = normalize(data)
    out = assert_clean_jpeg(result)
    assert result.original_format == "GIF"
    assert (result.width, result.height) == (400, 300)
    assert close(out.getpixel((200, 150)), GREEN)


def _orientation_probe() -> Image.Image:
    """400x300 white with a red block in the top-left and a blue one in the bottom-right."""
    img = solid((400, 300), WHITE)
    img.paste(RED, (0, 0, 100, 100))
    img.paste(BLUE, (300, 200, 400, 300))
    return img


@pytest.mark.parametrize("orientation", range(1, 9))
def test_exif_orientation_is_applied_and_dropped(orientation: int) -> None:
    stored = _orientation_probe()
    data = encode(stored, "JPEG", quality=95, exif=exif_bytes(orientation))
    expected = ImageOps.exif_transpose(Image.open(io.BytesIO(data)))
    result = normalize(data)
    out = assert_clean_jpeg(result)
    assert out.size == expected.size
    if orientation in (5, 6, 7, 8):
        assert out.size == (300, 400)
    for xy in [
        (20, 20),
        (out.width - 20, 20),
        (20, out.height - 20),
        (out.width - 20, out.height - 20),
    ]:
        assert close(out.getpixel(xy), expected.getpixel(xy)), (orientation, xy)


def test_orientation_6_on_a_large_photo_limits_the_upright_width() -> None:
    """Stored 4000x3000 + orientation 6 is a 3000x4000 portrait: the *upright* width is capped."""
    data = encode(solid((4000, 3000)), "JPEG", exif=exif_bytes(6))
    exact = normalize(data, limits=ImageLimits(jpeg_scaled_min_ratio=1.0))
    assert (exact.width, exact.height) == (1600, 2133)
    snapped = normalize(data)  # libjpeg's 1/2 scale already gives 1500 <= 1600: kept as is
    assert (snapped.width, snapped.height) == (1500, 2000)


DCT_SNAP: list[tuple[str, tuple[int, int], str, int, tuple[int, int]]] = [
    ("iphone-portrait", (3024, 4032), "JPEG", 1, (1512, 2016)),
    ("iphone-portrait-stored-landscape", (4032, 3024), "JPEG", 6, (1512, 2016)),
    ("iphone-landscape", (4032, 3024), "JPEG", 1, (1600, 1200)),  # 2016 > 1600: resampled
    ("24mp-landscape", (6000, 4000), "JPEG", 1, (1500, 1000)),  # 1/4 scale
    ("png-never-snaps", (3024, 4032), "PNG", 1, (1600, 2133)),
    ("just-above-min-side", (3200, 420), "JPEG", 1, (1600, 210)),
    ("min-side-wins-over-ratio", (3000, 390), "JPEG", 1, (1600, 208)),  # not 1500x195
]


@pytest.mark.parametrize(
    ("size", "fmt", "orientation", "expected"),
    [d[1:] for d in DCT_SNAP],
    ids=[d[0] for d in DCT_SNAP],
)
def test_jpeg_dct_scaling_is_kept_when_it_fits(size, fmt: str, orientation: int, expected) -> None:
    params = {"exif": exif_bytes(orientation)} if fmt == "JPEG" else {}
    result = normalize(encode(solid(size, 128, "L"), fmt, **params))
    assert (result.width, result.height) == expected
    assert decoded(result).size == expected


def _png(mode: str, color) -> bytes:
    return encode(Image.new(mode, (300, 240), color), "PNG")


def _p_with_transparency() -> bytes:
    img = solid((300, 240), RED).convert("P")
    return encode(img, "PNG", transparency=img.getpixel((0, 0)))


ACCEPTED: list[tuple[str, Callable[[], bytes], str, tuple[int, int, int]]] = [
    ("png-1bit", lambda: _png("1", 1), "PNG", WHITE),
    ("png-L", lambda: _png("L", 90), "PNG", (90, 90, 90)),
    ("png-LA-transparent", lambda: _png("LA", (0, 0)), "PNG", WHITE),
    ("png-P", lambda: encode(solid((300, 240), BLUE).convert("P"), "PNG"), "PNG", BLUE),
    ("png-P-transparency", _p_with_transparency, "PNG", WHITE),
    ("png-RGB", lambda: _png("RGB", GREEN), "PNG", GREEN),
    ("png-I;16", lambda: _png("I;16", 32768), "PNG", (128, 128, 128)),
    ("png-I;16-max", lambda: _png("I;16", 65535), "PNG", WHITE),
    ("jpeg-L", lambda: encode(solid((300, 240), 90, "L"), "JPEG"), "JPEG", (90, 90, 90)),
    ("jpeg-CMYK", lambda: encode(solid((800, 600), (0, 255, 255, 0), "CMYK"), "JPEG"), "JPEG", RED),
    ("gif-transparent", lambda: _gif_transparent(), "GIF", WHITE),
    ("jpeg-padded-header", lambda: _padded_jpeg(), "JPEG", BLUE),
    ("png-some-private-chunks", lambda: _png_with_chunks(500), "PNG", RED),
    ("gif-some-comments", lambda: _gif_with_before_image(b"\x21\xfe\x01a\x00" * 500), "GIF", RED),
    ("webp-RGB", lambda: encode(solid((300, 240), BLUE), "WEBP", quality=90), "WEBP", BLUE),
    ("webp-RGBA", lambda: encode(solid((300, 240), (0, 0, 0, 0), "RGBA"), "WEBP"), "WEBP", WHITE),
    ("webp-lossless", lambda: encode(solid((300, 240)), "WEBP", lossless=True), "WEBP", RED),
]


def _gif_transparent() -> bytes:
    img = solid((300, 240), RED).convert("P")
    return encode(img, "GIF", transparency=img.getpixel((0, 0)))


@pytest.mark.parametrize(
    ("make", "fmt", "center"), [a[1:] for a in ACCEPTED], ids=[a[0] for a in ACCEPTED]
)
def test_accepted_modes_and_formats_become_rgb(make, fmt: str, center) -> None:
    if fmt == "WEBP" and not features.check("webp"):
        pytest.skip("Pillow built without WEBP")
    result = normalize(make())
    out = assert_clean_jpeg(result)
    assert result.original_format == fmt
    assert close(out.getpixel((out.width // 2, out.height // 2)), center, tol=12)


def test_format_comes_from_content_not_filename() -> None:
    data = encode(solid((300, 240)), "PNG")
    result = normalize(data, filename="invoice.jpg", mime="image/jpeg")
    assert result.original_format == "PNG"


@pytest.mark.parametrize(
    ("size", "expected"),
    [
        ((1600, 1200), (1600, 1200)),
        ((1601, 1000), (1600, 999)),
        ((3200, 800), (1600, 400)),
        ((4001, 3001), (1600, 1200)),
        ((1000, 5000), (1000, 5000)),  # the vendor limits width only
        ((200, 200), (200, 200)),
        ((300, 200), (300, 200)),
    ],
)
@pytest.mark.parametrize("fmt", ["JPEG", "PNG"])
def test_resize_keeps_aspect_within_the_width_limit(size, expected, fmt: str) -> None:
    result = normalize(encode(solid(size), fmt))
    assert (result.width, result.height) == expected
    assert decoded(result).size == expected


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    width=st.integers(200, 4200),
    height=st.integers(200, 3200),
    fmt=st.sampled_from(["JPEG", "PNG", "GIF"]),
)
def test_output_width_and_aspect_property(width: int, height: int, fmt: str) -> None:
    img = solid((width, height), 128, "L") if fmt == "GIF" else solid((width, height))
    data = encode(img, fmt)
    target = (min(width, 1600), round(height * min(1, 1600 / width)))
    if min(target) < 199:
        assert rejected(data).key == TOO_SMALL
        return
    try:
        result = normalize(data)
    except ImageRejected as error:  # a DCT-scaled JPEG may round to 199 where 200 was due
        assert (error.key, fmt, min(target)) == (TOO_SMALL, "JPEG", 199)
        return
    assert min(result.width, result.height) >= 200
    if fmt == "JPEG" and width > 1600:  # maybe kept at libjpeg's 1/2, 1/4 or 1/8 scale
        assert 1440 <= result.width <= 1600
    else:
        assert result.width == target[0]
    assert abs(result.height - height * result.width / width) <= 1 + height / width


# -- refusals ----------------------------------------------------------------------------------


def _small_jpeg() -> bytes:
    return encode(solid((300, 300)), "JPEG")


def _patch_jpeg_size(data: bytes, width: int, height: int) -> bytes:
    """Rewrite the SOF0 frame header so the JPEG *declares* another size."""
    sof = data.index(b"\xff\xc0")
    return data[: sof + 5] + struct.pack(">HH", height, width) + data[sof + 9 :]


def _png_with_chunks(count: int) -> bytes:
    """A valid PNG with ``count`` empty private chunks between IHDR and IDAT."""
    data = encode(solid((300, 300)), "PNG")
    return data[:33] + _png_chunk(b"zzZz", b"") * count + data[33:]


def _gif_with_before_image(extra: bytes) -> bytes:
    """A valid GIF with ``extra`` inserted after the global palette, before the image."""
    data = encode(solid((300, 300)).convert("P"), "GIF")
    flags = data[10]
    pos = 13 + (3 * 2 ** ((flags & 7) + 1) if flags & 0x80 else 0)
    return data[:pos] + extra + data[pos:]


def _padded_jpeg() -> bytes:
    """Fill bytes before a marker and stray bytes after APP0: legal-ish, Pillow copes."""
    data = encode(solid((300, 240), BLUE), "JPEG")
    return data[:2] + b"\xff\xff\xff" + data[2:20] + b"\x00\x00junk" + data[20:]


def _png_chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def _png_declaring(width: int, height: int) -> bytes:
    """A tiny file whose header claims a huge 1-bit greyscale image."""
    ihdr = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    idat = zlib.compress(b"\x00" * 64)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", ihdr)
        + _png_chunk(b"IDAT", idat)
        + _png_chunk(b"IEND", b"")
    )


def _gif_declaring(width: int, height: int) -> bytes:
    data = encode(solid((300, 300)).convert("P"), "GIF")
    return data[:6] + struct.pack("<HH", width, height) + data[10:]


def _real_png_bomb() -> bytes:
    """8000x8000 1-bit (64 MP > 60 MP): ~8 MB in memory here, a few KB on disk."""
    return encode(Image.new("1", (8000, 8000)), "PNG")


def _heic_header() -> bytes:
    return b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + b"\x00" * 64


def _flip_middle(data: bytes) -> bytes:
    mid = len(data) // 2
    return data[:mid] + bytes(b ^ 0xFF for b in data[mid : mid + 64]) + data[mid + 64 :]


def _noisy_png() -> bytes:
    return encode(Image.effect_noise((400, 300), 60).convert("RGB"), "PNG")


REJECTED: list[tuple[str, Callable[[], bytes], str]] = [
    # not an image at all, whatever the name says
    ("empty", lambda: b"", NOT_IMAGE),
    ("text", lambda: b"Invoice 12345\nMSI RTX 4070\n" * 20, NOT_IMAGE),
    ("random", lambda: random.Random(7).randbytes(4096), NOT_IMAGE),
    ("pdf", lambda: b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n" + b"0" * 500, NOT_IMAGE),
    ("html", lambda: b"<!doctype html><html><body>hi</body></html>", NOT_IMAGE),
    # real image formats the vendor does not take
    ("bmp", lambda: encode(solid((300, 300)), "BMP"), UNSUPPORTED),
    ("tiff", lambda: encode(solid((300, 300)), "TIFF"), UNSUPPORTED),
    ("tiff-be", lambda: b"MM\x00*" + b"\x00" * 100, UNSUPPORTED),
    ("ico", lambda: encode(solid((64, 64)), "ICO"), UNSUPPORTED),
    ("heic", _heic_header, UNSUPPORTED),
    (
        "svg",
        lambda: b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"/>',
        UNSUPPORTED,
    ),
    # right magic, broken body
    ("jpeg-header-only", lambda: _small_jpeg()[:20], CORRUPT),
    ("jpeg-magic-then-noise", lambda: b"\xff\xd8\xff" + random.Random(3).randbytes(2000), CORRUPT),
    ("jpeg-truncated", lambda: _small_jpeg()[: len(_small_jpeg()) // 2], CORRUPT),
    ("png-truncated", lambda: _noisy_png()[: len(_noisy_png()) // 2], CORRUPT),
    ("png-garbled-idat", lambda: _flip_middle(_noisy_png()), CORRUPT),
    ("png-signature-only", lambda: b"\x89PNG\r\n\x1a\n", CORRUPT),
    ("gif-truncated", lambda: encode(solid((300, 300)).convert("P"), "GIF")[:30], CORRUPT),
    ("webp-truncated", lambda: encode(solid((300, 300)), "WEBP")[:40], CORRUPT),
    # structure abuse that would cost Pillow seconds of CPU (crafted well under 20 MB here)
    ("jpeg-fill-bytes", lambda: b"\xff\xd8" + b"\xff" * 300_000, CORRUPT),
    ("jpeg-zeros", lambda: b"\xff\xd8\xff\xfe\x00\x02" + bytes(300_000), CORRUPT),
    ("jpeg-many-segments", lambda: b"\xff\xd8" + b"\xff\xfe\x00\x02" * 20_000, CORRUPT),
    ("png-many-chunks", lambda: _png_with_chunks(20_000), CORRUPT),
    ("gif-many-blocks", lambda: _gif_with_before_image(b"\x21\xfe\x01a\x00" * 20_000), CORRUPT),
    ("gif-junk", lambda: _gif_with_before_image(bytes(5000)), CORRUPT),
    # decompression bombs
    ("png-declares-10G", lambda: _png_declaring(100_000, 100_000), BOMB),
    ("png-64mp-1bit", _real_png_bomb, BOMB),
    ("gif-declares-4G", lambda: _gif_declaring(65535, 65535), BOMB),
    ("jpeg-declares-3.6G", lambda: _patch_jpeg_size(_small_jpeg(), 60000, 60000), BOMB),
    # too small to read
    ("png-40x40", lambda: encode(solid((40, 40)), "PNG"), TOO_SMALL),
    ("jpeg-40x40", lambda: encode(solid((40, 40)), "JPEG"), TOO_SMALL),
    ("narrow", lambda: encode(solid((199, 1000)), "PNG"), TOO_SMALL),
    ("flat", lambda: encode(solid((1000, 199)), "PNG"), TOO_SMALL),
    ("panorama-too-flat-once-resized", lambda: encode(solid((8000, 900)), "JPEG"), TOO_SMALL),
]


@pytest.mark.parametrize(("make", "key"), [r[1:] for r in REJECTED], ids=[r[0] for r in REJECTED])
def test_rejections(make, key: str) -> None:
    error = rejected(make(), filename="invoice.jpg", mime="image/jpeg")
    assert error.key == key
    assert key in REJECTION_KEYS


def test_rejection_params_fill_the_catalog() -> None:
    assert rejected(encode(solid((40, 40)), "PNG")).params == {"min_px": 200}
    assert rejected(encode(solid((300, 300)), "BMP")).params == {
        "formats": ", ".join(ACCEPTED_FORMATS)
    }
    assert rejected(b"hello").params == {}


def test_errors_carry_keys_not_sentences() -> None:
    error = rejected(b"hello")
    assert str(error) == NOT_IMAGE
    assert all(k.startswith("image.") and " " not in k for k in REJECTION_KEYS)


def test_over_20_mb_is_refused_before_decoding() -> None:
    limit = DEFAULT_LIMITS.max_bytes
    assert limit == 20 * 1024 * 1024
    error = rejected(b"\xff\xd8\xff" + bytes(limit - 2))
    assert (error.key, error.params) == (TOO_LARGE, {"max_mb": 20})
    # exactly at the limit it is decoded (and here found broken)
    assert rejected(b"\xff\xd8\xff" + bytes(limit - 3)).key == CORRUPT


def test_size_limit_applies_even_to_a_valid_image() -> None:
    data = encode(solid((400, 300)), "PNG")
    error = rejected(data, limits=ImageLimits(max_bytes=len(data) - 1))
    assert error.key == TOO_LARGE


def test_jpeg_pixel_limit_applies_to_the_dct_scaled_size(photo_12mp: bytes) -> None:
    """A 12 MP JPEG decodes at 1/2 scale (3 MP), so a 4 MP budget admits it; a PNG can't shrink."""
    limits = ImageLimits(max_pixels=4_000_000)
    assert normalize(photo_12mp, limits=limits).width == 1600
    png = encode(solid((4000, 3000)), "PNG")
    assert rejected(png, limits=limits).key == BOMB
    assert rejected(photo_12mp, limits=ImageLimits(max_jpeg_pixels=11_000_000)).key == BOMB


def _app1_with_thumbnail(data: bytes) -> bytes:
    """Embed a whole little JPEG (with its own scan) in an APP1 segment, like EXIF thumbnails."""
    thumb = encode(solid((160, 120)), "JPEG")
    return data[:2] + b"\xff\xe1" + struct.pack(">H", len(thumb) + 2) + thumb + data[2:]


MULTI_SCAN: list[tuple[str, Callable[[bytes, bytes], bytes], str | None]] = [
    ("baseline", lambda base, prog: base, None),
    ("baseline-with-thumbnail", lambda base, prog: _app1_with_thumbnail(base), None),
    ("baseline-then-trailing-image", lambda base, prog: base + prog, None),
    ("progressive", lambda base, prog: prog, BOMB),
]


@pytest.mark.parametrize(
    ("make", "key"), [m[1:] for m in MULTI_SCAN], ids=[m[0] for m in MULTI_SCAN]
)
def test_progressive_jpeg_pixel_limit_is_on_the_declared_size(make, key: str | None) -> None:
    """3200x2400 = 7.7 MP: baseline decodes at 1/2 (1.9 MP), progressive buffers it all."""
    img = solid((3200, 2400))
    base, prog = encode(img, "JPEG"), encode(img, "JPEG", progressive=True)
    limits = ImageLimits(max_pixels=2_000_000)
    if key is None:
        assert normalize(make(base, prog), limits=limits).width == 1600
    else:
        assert rejected(make(base, prog), limits=limits).key == key
    assert normalize(make(base, prog)).width == 1600  # default limits take them all


def test_a_108_mp_phone_jpeg_is_not_a_bomb_and_pillow_does_not_warn() -> None:
    """Declared 12000x9000 (over Pillow's own 89 MP warning): decoded at 1/8 scale, 1.7 MP."""
    data = _patch_jpeg_size(_small_jpeg(), 12000, 9000)  # libjpeg pads the missing blocks
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        result = normalize(data)
    assert (result.width, result.height) == (1500, 1125)


def test_pillow_globals_are_left_alone(photo_12mp: bytes) -> None:
    before = (Image.MAX_IMAGE_PIXELS, ImageFile.LOAD_TRUNCATED_IMAGES)
    normalize(photo_12mp)
    with pytest.raises(ImageRejected):
        normalize(_png_declaring(100_000, 100_000))
    assert before == (Image.MAX_IMAGE_PIXELS, ImageFile.LOAD_TRUNCATED_IMAGES)


# -- async -------------------------------------------------------------------------------------


async def test_normalize_async_matches_and_leaves_the_loop_free(photo_12mp: bytes) -> None:
    ticks = 0
    done = asyncio.Event()

    async def ticker() -> None:
        nonlocal ticks
        while not done.is_set():
            ticks += 1
            await asyncio.sleep(0)

    task = asyncio.create_task(ticker())
    try:
        result = await normalize_async(photo_12mp, filename="a.jpg")
    finally:
        done.set()
        await task
    assert result == normalize(photo_12mp)
    assert ticks > 1  # the loop kept running other coroutines while the image was processed


async def test_normalize_async_raises_the_same_rejection() -> None:
    with pytest.raises(ImageRejected) as info:
        await normalize_async(b"not an image")
    assert info.value.key == NOT_IMAGE


# -- budgets per format (defect 8: images as a denial of service) -----------------------------


def _attack_png(width: int = 7700, height: int = 7700) -> bytes:
    """The attacker's file: a single-colour RGBA PNG, 59 MP but a few hundred KB, streamed
    row by row so the test itself never holds the pixels."""
    row = b"\x00" + bytes((200, 30, 30, 128)) * width
    packer = zlib.compressobj(9)
    idat = b"".join(packer.compress(row) for _ in range(height)) + packer.flush()
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)  # 8-bit RGBA
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", ihdr)
        + _png_chunk(b"IDAT", idat)
        + _png_chunk(b"IEND", b"")
    )


@pytest.fixture(scope="module")
def attack_png() -> bytes:
    return _attack_png()


def test_the_59_mp_png_is_refused_before_any_pixel_is_decoded(attack_png: bytes) -> None:
    assert len(attack_png) < 400_000 and 7700 * 7700 < 60_000_000  # passed every old limit
    decodes: list[tuple[str, tuple[int, int]]] = []
    with pytest.raises(ImageRejected) as info:
        normalize(attack_png, on_decode=lambda fmt, size: decodes.append((fmt, size)))
    assert info.value.key == BOMB
    assert decodes == []  # the header alone decided
    ok = normalize(
        encode(solid((900, 700)), "PNG"), on_decode=lambda fmt, size: decodes.append((fmt, size))
    )
    assert ok.width == 900 and decodes == [("PNG", (900, 700))]  # the probe does see decodes


@pytest.mark.parametrize(
    "make",
    [
        lambda: _png_declaring(7700, 7700),
        lambda: _gif_declaring(7700, 7700),
        lambda: _png_declaring(4100, 4100),  # 16.8 MP
    ],
    ids=["png-59mp", "gif-59mp", "png-16.8mp"],
)
def test_lossless_formats_are_judged_on_the_header_alone(make) -> None:
    """These files carry almost no pixel data: decoding them would fail as corrupt. Being
    refused as bombs proves the header decided, with no decode attempted."""
    assert rejected(make()).key == BOMB


@pytest.mark.parametrize("fmt", ["PNG", "GIF", "WEBP"])
def test_lossless_budget_is_per_format_and_jpeg_is_judged_after_draft(fmt: str) -> None:
    limits = ImageLimits(max_lossless_pixels=1_000_000)
    img = solid((1300, 1000))
    assert rejected(encode(img, fmt), limits=limits).key == BOMB  # 1.3 MP > 1 MP
    assert normalize(encode(img, "JPEG"), limits=limits).width == 1300  # JPEG: its own budget
    assert normalize(encode(solid((1000, 1000)), fmt), limits=limits).width == 1000


def test_progressive_jpeg_default_budget_is_below_the_attack_size() -> None:
    """Every coefficient of a progressive JPEG is buffered (59 MP: 0.4 s, 210 MB)."""
    assert DEFAULT_LIMITS.max_pixels < 7700 * 7700
    assert DEFAULT_LIMITS.max_lossless_pixels < 7700 * 7700
    assert DEFAULT_LIMITS.max_lossless_pixels >= 4032 * 3024  # a 12 MP phone photo as PNG


def test_guests_have_a_tighter_budget(photo_12mp: bytes) -> None:
    screenshot_4k = _png_declaring(3840, 2160)
    nine_mp = _png_declaring(3000, 3000)
    assert (
        rejected(screenshot_4k, limits=GUEST_LIMITS).key == CORRUPT
    )  # allowed: decoded (and broken)
    assert rejected(nine_mp, limits=GUEST_LIMITS).key == BOMB  # refused on the header
    assert rejected(nine_mp).key == CORRUPT  # a signed-in customer's budget lets it through
    assert normalize(photo_12mp, limits=GUEST_LIMITS).width == 1600  # a phone photo is fine
    assert (
        rejected(b"\xff\xd8\xff" + b"\x00" * (11 * 1024 * 1024), limits=GUEST_LIMITS).key
        == TOO_LARGE
    )
    assert GUEST_LIMITS.max_jpeg_pixels < DEFAULT_LIMITS.max_jpeg_pixels
    assert GUEST_LIMITS.max_pixels < DEFAULT_LIMITS.max_pixels
