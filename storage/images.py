"""Image pipeline: turn whatever a customer uploads into a vendor-ready JPEG.

``normalize`` takes raw upload bytes (a chat photo or an image sent as a file) and returns a
metadata-free RGB JPEG at most ``ImageLimits.max_width`` pixels wide (the vendor's 1600 px rule).

Steps, in order:

1. refuse more than ``max_bytes`` before any decoding (``image.too_large``);
2. identify the format from the leading bytes only; filename and MIME type are never trusted
   (``image.not_image`` / ``image.unsupported``). Accepted: JPEG, PNG, GIF, WEBP;
3. walk the file's structure (JPEG segments, PNG chunks, GIF blocks) with a bounded number
   of steps, so padding or chunk floods cannot cost seconds of CPU (``image.corrupt``);
4. parse the header with that one Pillow plugin, never the whole plugin registry
   (``image.corrupt`` when the header is broken);
5. bomb guard on the declared size before any pixel is decoded (``image.bomb``), with a
   budget per format, because what a decode costs depends on the format, not on the bytes
   (a 243 KB single-colour RGBA PNG declares 59 MP and cost 2.5 s of CPU and 760 MB).
   A baseline JPEG is decoded with libjpeg's DCT scaling (``draft``), so its limit applies to
   the reduced size it is actually decoded at: a 108 or 200 MP phone photo is fine, a forged
   65000x65000 header is not. Progressive JPEGs (every coefficient buffered) and PNG, GIF and
   WebP (no reduced decode: every pixel is decoded, and flattening RGBA to RGB holds ~13
   bytes a pixel) get much lower budgets (``max_pixels``, ``max_lossless_pixels``);
6. decode (first frame of an animation), flatten to RGB (alpha onto white; P, LA, CMYK,
   1-bit and 16-bit grey handled), resize to the width limit keeping the aspect ratio (a JPEG
   whose 1/2, 1/4 or 1/8 scale lands within ``jpeg_scaled_min_ratio`` of it is kept at that
   size, with no resampling), apply the EXIF orientation, and refuse what is too small to
   read (``image.too_small``, shorter side under ``min_side``);
7. encode a baseline JPEG with no EXIF, ICC, XMP or comment (GPS tags never leave the device
   of the customer through us).

This layer speaks in catalog keys only: every refusal is an ``ImageRejected`` carrying a key
from ``REJECTION_KEYS`` and its parameters; the handlers turn it into words.

No global state: Pillow's process-wide settings (``Image.MAX_IMAGE_PIXELS``,
``ImageFile.LOAD_TRUNCATED_IMAGES``, warning filters) are read, never changed.
"""

from __future__ import annotations

import asyncio
import io
import re
from collections.abc import Callable
from dataclasses import dataclass

from PIL import (
    GifImagePlugin,
    Image,
    ImageFile,
    JpegImagePlugin,
    PngImagePlugin,
    WebPImagePlugin,
)

TOO_LARGE = "image.too_large"
UNSUPPORTED = "image.unsupported"
NOT_IMAGE = "image.not_image"
CORRUPT = "image.corrupt"
BOMB = "image.bomb"
TOO_SMALL = "image.too_small"
BUSY = "image.busy"  # every image worker busy and the queue full (storage/image_pool.py)
REJECTION_KEYS: frozenset[str] = frozenset(
    {TOO_LARGE, UNSUPPORTED, NOT_IMAGE, CORRUPT, BOMB, TOO_SMALL, BUSY}
)

ACCEPTED_FORMATS: tuple[str, ...] = ("JPEG", "PNG", "GIF", "WEBP")
WHITE = (255, 255, 255)

# EXIF orientation -> the transpose that shows the picture upright (as ImageOps.exif_transpose).
_ORIENTATION_TAG = 0x0112
_TRANSPOSE: dict[int, Image.Transpose] = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}
_SWAPS_AXES = frozenset({5, 6, 7, 8})

_PLUGINS: dict[str, type[ImageFile.ImageFile]] = {
    "JPEG": JpegImagePlugin.JpegImageFile,
    "PNG": PngImagePlugin.PngImageFile,
    "GIF": GifImagePlugin.GifImageFile,
    "WEBP": WebPImagePlugin.WebPImageFile,
}


@dataclass(frozen=True, slots=True)
class ImageLimits:
    """Every knob of the pipeline. The defaults follow the vendor's rules."""

    max_bytes: int = 20 * 1024 * 1024
    max_width: int = 1600
    min_side: int = 200
    # pixels decoded into memory by a JPEG after DCT scaling, and the declared size of a
    # progressive JPEG (its coefficients are buffered whole: 59 MP cost 0.4 s and 210 MB)
    max_pixels: int = 24_000_000
    max_jpeg_pixels: int = 256_000_000  # declared baseline JPEG size (decoded reduced, see draft)
    # PNG, GIF, WebP: decoded in full whatever the output size; 16 MP (a 12 MP phone photo
    # or a 4K screenshot with room to spare) costs at most ~0.7 s and ~200 MB
    max_lossless_pixels: int = 16_000_000
    # A JPEG that libjpeg can decode at 1/2, 1/4 or 1/8 scale straight to a width within
    # [ratio * max_width, max_width] is kept at that size instead of being resampled: a
    # 3024x4032 phone portrait comes out 1512x2016 in about half the time. 1.0 = always the
    # full max_width.
    jpeg_scaled_min_ratio: float = 0.9
    quality: int = 85


DEFAULT_LIMITS = ImageLimits()
# Chats that are not signed in (a guest writing to support): a screenshot or a phone photo,
# nothing more; anybody can open such a chat, so each costs less at most.
GUEST_LIMITS = ImageLimits(
    max_bytes=10 * 1024 * 1024,
    max_pixels=12_000_000,
    max_jpeg_pixels=64_000_000,
    max_lossless_pixels=8_500_000,  # a 3840x2160 screenshot
)


class ImageRejected(Exception):
    """An upload the pipeline refuses; ``key`` is a catalog key, ``params`` fill it in."""

    def __init__(self, key: str, **params: object) -> None:
        super().__init__(key)
        self.key = key
        self.params = params

    def __repr__(self) -> str:
        return f"ImageRejected({self.key!r}, **{self.params!r})"


@dataclass(frozen=True, slots=True)
class NormalizedImage:
    """A vendor-ready picture: baseline RGB JPEG bytes, no metadata."""

    jpeg: bytes
    width: int
    height: int
    original_format: str  # one of ACCEPTED_FORMATS, as identified from the content


def normalize(
    data: bytes,
    *,
    filename: str | None = None,
    mime: str | None = None,
    limits: ImageLimits = DEFAULT_LIMITS,
    on_decode: Callable[[str, tuple[int, int]], None] | None = None,
) -> NormalizedImage:
    """Validate and re-encode one upload. CPU-bound and synchronous; see ``normalize_async``.

    ``filename`` and ``mime`` are what the channel claimed; they are accepted for the caller's
    convenience and deliberately never used to decide anything (the content decides).
    ``on_decode`` (format, size to decode at) is called just before any pixel is decoded: a
    probe for tests and metrics. Raises ``ImageRejected``.
    """
    del filename, mime
    if len(data) > limits.max_bytes:
        raise ImageRejected(TOO_LARGE, max_mb=limits.max_bytes // (1024 * 1024))
    fmt = sniff_format(data)
    _STRUCTURE_CHECKS[fmt](data)
    img = _open(data, fmt)
    try:
        return _process(img, data, fmt, limits, on_decode)
    finally:
        img.close()


def check_header(
    data: bytes, *, limits: ImageLimits = DEFAULT_LIMITS
) -> tuple[str, tuple[int, int]]:
    """Steps 1-5 of ``normalize`` alone: everything that can be judged without decoding a
    pixel (size in bytes, format, structure, header, readable size, the pixel budget).
    Cheap (a few ms at most, bounded walks), so the bot runs it before a picture takes a
    place in the worker pool: a bomb is refused at once and never waits for a worker.
    Returns (format, declared size); raises ``ImageRejected``."""
    if len(data) > limits.max_bytes:
        raise ImageRejected(TOO_LARGE, max_mb=limits.max_bytes // (1024 * 1024))
    fmt = sniff_format(data)
    _STRUCTURE_CHECKS[fmt](data)
    img = _open(data, fmt)
    try:
        declared = img.size
        _check_readable(declared, limits)
        _guard_and_draft(img, data, fmt, limits)
        return fmt, declared
    finally:
        img.close()


async def normalize_async(
    data: bytes,
    *,
    filename: str | None = None,
    mime: str | None = None,
    limits: ImageLimits = DEFAULT_LIMITS,
) -> NormalizedImage:
    """``normalize`` in a worker thread so the event loop keeps serving other chats.

    For tools and tests; the bot runs pictures in a bounded process pool
    (``storage/image_pool.py``), which bounds memory and keeps CPU off the event loop's GIL.
    """
    return await asyncio.to_thread(normalize, data, filename=filename, mime=mime, limits=limits)


# -- identification -------------------------------------------------------------------------

_UNSUPPORTED_MAGIC: tuple[bytes, ...] = (
    b"BM",  # BMP
    b"II*\x00",  # TIFF, little-endian
    b"MM\x00*",  # TIFF, big-endian
    b"II+\x00",  # BigTIFF
    b"MM\x00+",
    b"\x00\x00\x01\x00",  # ICO
    b"\x00\x00\x02\x00",  # CUR
    b"8BPS",  # Photoshop
    b"\xff\x0a",  # JPEG XL codestream
    b"\x00\x00\x00\x0cJXL ",  # JPEG XL container
    b"\x00\x00\x00\x0cjP  ",  # JPEG 2000
    b"\xff\x4f\xff\x51",  # JPEG 2000 codestream
    b"qoif",  # QOI
    b"\x76\x2f\x31\x01",  # OpenEXR
)
# ISO-BMFF brands of still-image containers (HEIC from iPhones, AVIF).
_HEIF_BRANDS = frozenset(
    {b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1", b"avif", b"avis"}
)


def sniff_format(data: bytes) -> str:
    """The accepted format named by the first bytes, or ``ImageRejected``."""
    head = data[:32]
    if head.startswith(b"\xff\xd8\xff"):
        return "JPEG"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "PNG"
    if head.startswith((b"GIF87a", b"GIF89a")):
        return "GIF"
    if head.startswith(b"RIFF") and head[8:12] == b"WEBP":
        return "WEBP"
    if _is_known_unsupported(data):
        raise ImageRejected(UNSUPPORTED, formats=", ".join(ACCEPTED_FORMATS))
    raise ImageRejected(NOT_IMAGE)


def _is_known_unsupported(data: bytes) -> bool:
    if data.startswith(_UNSUPPORTED_MAGIC):
        return True
    if data[4:8] == b"ftyp" and data[8:12] in _HEIF_BRANDS:
        return True
    head = data[:1024].lstrip().lower()
    return head.startswith((b"<svg", b"<?xml")) and b"<svg" in head


def _open(data: bytes, fmt: str) -> ImageFile.ImageFile:
    """Parse the header with the one plugin for ``fmt``; nothing is decoded yet.

    The plugin class is used directly rather than ``Image.open`` so that no other format's
    parser ever sees the bytes, and so that Pillow's global bomb threshold does not fire
    before our own, per-format check in ``_guard_and_draft``.
    """
    try:
        return _PLUGINS[fmt](io.BytesIO(data))
    except Image.DecompressionBombError:
        raise ImageRejected(BOMB) from None
    except Exception:  # Pillow raises many types on malformed headers
        raise ImageRejected(CORRUPT) from None


# -- structure pre-checks --------------------------------------------------------------------
# Pillow walks headers, chunks and padding in Python, byte by byte for junk: a crafted 20 MB
# file of fill bytes or empty chunks costs it seconds of CPU. These walks are bounded (C-speed
# skips for padding, at most _MAX_ITEMS steps) and refuse such files as corrupt first.

_MAX_ITEMS = 10_000  # segments / chunks / sub-blocks; real files stay far below
_MAX_JUNK = 1024  # stray bytes between JPEG segments or GIF blocks
_FILL = re.compile(rb"\xff+")


def _jpeg_first_scan(data: bytes) -> int:
    """Offset of the first SOS marker, walking segment by segment from SOI."""
    pos, junk = 2, 0
    for _ in range(_MAX_ITEMS):
        if pos < len(data) and data[pos] != 0xFF:  # junk between segments
            nxt = data.find(b"\xff", pos)
            junk += (nxt if nxt != -1 else len(data)) - pos
            pos = nxt if nxt != -1 else len(data)
        fill = _FILL.match(data, pos)
        if fill is None or fill.end() >= len(data) or junk > _MAX_JUNK:
            break
        junk += fill.end() - pos - 1  # extra 0xFF fill bytes
        pos = fill.end() - 1
        marker = data[pos + 1]
        if marker == 0xDA:
            return pos
        if marker in (0x00, 0x01) or 0xD0 <= marker <= 0xD9:  # no length field
            pos += 2
            continue
        length = int.from_bytes(data[pos + 2 : pos + 4], "big")
        if length < 2:
            break
        pos += 2 + length
    raise ImageRejected(CORRUPT)


def _check_jpeg(data: bytes) -> None:
    _jpeg_first_scan(data)


def _check_png(data: bytes) -> None:
    """Count chunks (length, type, body, CRC) up to IEND or the end of the data."""
    pos = 8
    for _ in range(_MAX_ITEMS):
        if pos + 8 > len(data) or data[pos + 4 : pos + 8] == b"IEND":
            return
        pos += 12 + int.from_bytes(data[pos : pos + 4], "big")
    raise ImageRejected(CORRUPT)


def _check_gif(data: bytes) -> None:
    """Walk the extension blocks before the first image (all Pillow parses in Python)."""
    flags = data[10] if len(data) > 10 else 0
    pos = 13 + (3 << ((flags & 7) + 1) if flags & 0x80 else 0)  # after the global palette
    steps = junk = 0
    while pos < len(data) and data[pos] not in (0x2C, 0x3B):  # image descriptor, trailer
        steps += 1
        if data[pos] == 0x21:  # extension: label, then sub-blocks up to a zero length
            pos += 2
            while pos < len(data) and data[pos] and steps <= _MAX_ITEMS:
                pos += data[pos] + 1
                steps += 1
            pos += 1
        else:
            junk += 1
            pos += 1
        if steps > _MAX_ITEMS or junk > _MAX_JUNK:
            raise ImageRejected(CORRUPT)


def _check_webp(data: bytes) -> None:
    """libwebp parses in C; nothing to bound here."""


_STRUCTURE_CHECKS: dict[str, Callable[[bytes], None]] = {
    "JPEG": _check_jpeg,
    "PNG": _check_png,
    "GIF": _check_gif,
    "WEBP": _check_webp,
}


# -- processing -----------------------------------------------------------------------------


def _process(
    img: ImageFile.ImageFile,
    data: bytes,
    fmt: str,
    limits: ImageLimits,
    on_decode: Callable[[str, tuple[int, int]], None] | None = None,
) -> NormalizedImage:
    declared = img.size
    _check_readable(declared, limits)  # orientation-invariant, so it can go before decoding
    _guard_and_draft(img, data, fmt, limits)
    if on_decode is not None:
        on_decode(fmt, img.size)
    _decode(img)
    orientation = _orientation(img)  # after decoding: a PNG may carry eXIf after its pixels
    target = _final_size(declared, img.size, orientation, limits.max_width)
    _check_readable(target, limits)
    try:
        out = _render(img, _upright_size(target, orientation), orientation)
        jpeg = _encode(out, limits.quality)
    except MemoryError:
        raise ImageRejected(BOMB) from None
    except (ValueError, OSError):  # a mode or layout Pillow cannot convert
        raise ImageRejected(CORRUPT) from None
    return NormalizedImage(jpeg, out.width, out.height, fmt)


def _render(img: Image.Image, stored: tuple[int, int], orientation: int) -> Image.Image:
    """RGB, resized to ``stored`` (still in stored orientation), then turned upright."""
    out = _to_rgb(img)
    if out.size != stored:
        out = out.resize(stored, Image.Resampling.BICUBIC, reducing_gap=3.0)
    if orientation in _TRANSPOSE:
        out = out.transpose(_TRANSPOSE[orientation])
    return out


def _guard_and_draft(img: ImageFile.ImageFile, data: bytes, fmt: str, limits: ImageLimits) -> None:
    """Refuse decompression bombs before any pixel is decoded.

    A single-scan (baseline) JPEG is first told to decode at 1/2, 1/4 or 1/8 scale (libjpeg
    DCT scaling) when the result still covers the target size; the pixel limit then applies to
    that reduced size. A multi-scan JPEG (progressive) keeps every DCT coefficient of the full
    image in memory whatever the scale, so its declared size must fit ``max_pixels``. PNG,
    GIF and WebP have no reduced decode: their declared size must fit ``max_lossless_pixels``.
    """
    if fmt != "JPEG" and _pixels(img.size) > limits.max_lossless_pixels:
        raise ImageRejected(BOMB)
    if fmt == "JPEG":
        declared_limit = limits.max_pixels if _jpeg_multi_scan(data) else limits.max_jpeg_pixels
        if _pixels(img.size) > declared_limit:
            raise ImageRejected(BOMB)
        orientation = _orientation(img)  # JPEG EXIF sits in the header: no decoding here
        target = _target_size(_upright_size(img.size, orientation), limits.max_width)
        img.draft("RGB", _upright_size(_draft_request(target, limits), orientation))
    if _pixels(img.size) > limits.max_pixels:
        raise ImageRejected(BOMB)


def _draft_request(target: tuple[int, int], limits: ImageLimits) -> tuple[int, int]:
    """The smallest upright size a DCT-scaled decode may have: a little under the target
    (``jpeg_scaled_min_ratio``) but never under ``min_side`` when the target is above it."""
    ratio = limits.jpeg_scaled_min_ratio
    return (
        max(1, int(target[0] * ratio), min(target[0], limits.min_side)),
        max(1, int(target[1] * ratio), min(target[1], limits.min_side)),
    )


def _jpeg_multi_scan(data: bytes) -> bool:
    """Whether the main JPEG image has more than one scan (progressive or non-interleaved).

    Looks for another SOS after the first one and before the next EOI; entropy-coded data
    cannot contain either marker (0xFF is always stuffed), an EXIF thumbnail's scan lies before
    the first SOS of the main image, and a trailing MPO image starts after that EOI.
    """
    first = _jpeg_first_scan(data)
    second = data.find(b"\xff\xda", first + 2)  # one pass over a baseline file, not two
    return second != -1 and data.find(b"\xff\xd9", first + 2, second) == -1


def _orientation(img: Image.Image) -> int:
    """EXIF orientation (1..8); a broken EXIF block counts as upright rather than a refusal."""
    try:
        value = img.getexif().get(_ORIENTATION_TAG, 1)
    except Exception:
        return 1
    return value if isinstance(value, int) and 1 <= value <= 8 else 1


def _upright_size(size: tuple[int, int], orientation: int) -> tuple[int, int]:
    width, height = size
    return (height, width) if orientation in _SWAPS_AXES else (width, height)


def _final_size(
    declared: tuple[int, int], decoded: tuple[int, int], orientation: int, max_width: int
) -> tuple[int, int]:
    """Upright output size: the DCT-scaled size when it already fits, else the width limit."""
    upright = _upright_size(decoded, orientation)
    if decoded != declared and upright[0] <= max_width:
        return upright
    return _target_size(_upright_size(declared, orientation), max_width)


def _target_size(size: tuple[int, int], max_width: int) -> tuple[int, int]:
    width, height = size
    if width <= max_width:
        return width, height
    return max_width, max(1, round(height * max_width / width))


def _check_readable(size: tuple[int, int], limits: ImageLimits) -> None:
    """The picture the vendor will see must be at least ``min_side`` on its shorter side."""
    if min(size) < limits.min_side:
        raise ImageRejected(TOO_SMALL, min_px=limits.min_side)


def _pixels(size: tuple[int, int]) -> int:
    return max(1, size[0]) * max(1, size[1])


def _decode(img: ImageFile.ImageFile) -> None:
    """Decode the pixels (the first frame of an animation); truncated data is refused."""
    try:
        img.load()
    except (Image.DecompressionBombError, MemoryError):
        raise ImageRejected(BOMB) from None
    except Exception:
        raise ImageRejected(CORRUPT) from None


def _to_rgb(img: Image.Image) -> Image.Image:
    """Flatten any mode to RGB; transparency is composited onto white."""
    if img.mode.startswith("I") or img.mode == "F":
        img = _high_depth_to_l(img)
    if _has_alpha(img):
        rgba = img.convert("RGBA")
        canvas = Image.new("RGB", rgba.size, WHITE)
        canvas.paste(rgba, mask=rgba.getchannel("A"))
        return canvas
    return img if img.mode == "RGB" else img.convert("RGB")


def _has_alpha(img: Image.Image) -> bool:
    return img.mode in ("RGBA", "LA", "PA", "RGBa", "La") or "transparency" in img.info


def _high_depth_to_l(img: Image.Image) -> Image.Image:
    """16-bit (I;16*) and 32-bit (I, F) grey: scale 0..65535 down to 0..255, not clip."""
    wide = img.convert("I") if img.mode != "F" else img
    return wide.point(lambda v: v * (1 / 256)).convert("L")


def _encode(img: Image.Image, quality: int) -> bytes:
    """Baseline JPEG, nothing but pixels: no EXIF, ICC, XMP or comment is carried over."""
    img.info.clear()
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=quality, optimize=False, progressive=False)
    return buf.getvalue()
