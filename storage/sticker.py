"""The serial number (and the CHK code) off a photo of the S/N sticker, by its barcode.

``read_sticker`` decodes Code128 barcodes only (``zxing-cpp``), in passes that stop once the
serial and the CHK are read: the picture as it is, sharpened (a soft phone photo), the
sharpened one upscaled (a sticker taken from afar, or Telegram's 1280 px photo), and only
while no serial is read the upscaled one sharpened (slow, ~100 ms); then, only while no
serial is read, turned by a few skew angles (a long barcode tilted by more than a few
degrees crosses no single scan line). Every Code128 value read is compared with the vendor's serial formats (full match on
the upper-cased value without spaces and dashes, as a typed serial is); a sticker may carry
other barcodes too (an EAN, a part number), which are left aside. A value of exactly three
digits (optionally labelled ``CHK``) is the CHK code.

A decoded Code128 value carries a check character, but a blurred photo can still decode to
another value whose check character matches (two misjudged bars that cancel out in the
mod-103 sum; the bench found one: ``J5346B9765552`` read as ``J1446B9765572`` by the plain
and the sharpened pass alike). So a serial or CHK is trusted only when read in two views on
different pixel grids (``Seen``): the pass that found it and a re-read of the barcode's crop
alone on another grid (1.5x, or 2.5x for what the 2x upscale read) with another binarizer
(~1 ms), the 2x upscale pass, or another skew angle. A value read in one
view only is not given (the finding ``unconfirmed``; the printed text may then give the
serial, to be confirmed by the customer). A trusted value needs no 0/O read-back. Two
different trusted serials on one sticker are not guessed between: nothing is read, the
customer types it.

``StickerReader`` is the async adapter: the work runs off the event loop in a thread, at
most ``workers`` at once and ``queue`` waiting (beyond that: the finding ``busy`` at once),
each within ``timeout`` seconds (``timeout``; a reading that is late keeps its place until
its thread is done, so late readings cannot pile up). Nothing here raises for a bad
picture: the answer is a reading with findings (codes, worded by the caller's catalog).
"""

from __future__ import annotations

import asyncio
import io
import logging
import re
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from PIL import Image, ImageFilter

from storage.image_pool import Gate
from storage.images import DEFAULT_LIMITS, ImageLimits, ImageRejected, check_header

log = logging.getLogger(__name__)

BARCODE = "barcode"
# finding codes (the catalog words them as sticker.finding.<code>)
NO_BARCODE = "no_barcode"  # no Code128 barcode found at all
NO_SERIAL = "no_serial"  # barcodes, none of them a serial in the vendor's formats
SEVERAL_SERIALS = "several_serials"  # two different serial-looking values
UNREADABLE = "unreadable"  # not a picture we open (format, size, bomb guard)
BUSY = "busy"  # every reader taken and the queue full
TIMEOUT = "timeout"  # not done within the time allowed
FAILED = "failed"  # the decoder failed (a bug, logged)
UNCONFIRMED = "unconfirmed"  # a serial-looking value read, but not confirmed by a second view

#: the longest side the picture is read at (a 48 MP photo is reduced first); the upscale
#: pass doubles pictures up to ``UPSCALE_MAX`` on their longest side
MAX_SIDE = 3000
UPSCALE_MAX = 1600
_CHK = re.compile(r"(?:CHK\s*[:#]?\s*)?([0-9]{3})")
_SEPARATORS = str.maketrans({" ": None, "-": None})


@dataclass(frozen=True, slots=True)
class StickerReading:
    """What a sticker photo gave: ``serial`` and ``chk`` (or None), where the serial came
    from (``source``: "barcode", "text": read by OCR off the printed S/N, to be confirmed by
    the customer, see storage/sticker_text.py; or None) and the findings (codes, see above)."""

    serial: str | None = None
    source: str | None = None
    chk: str | None = None
    findings: tuple[str, ...] = ()
    values: tuple[str, ...] = field(default=(), repr=False)  # every Code128 value read

    def as_dict(self) -> dict[str, Any]:
        return {
            "serial": self.serial,
            "source": self.source,
            "chk": self.chk,
            "findings": list(self.findings),
        }


def serial_in(value: str, patterns: Sequence[re.Pattern[str]]) -> str | None:
    """``value`` as a serial when it fully matches one of ``patterns`` (upper-cased, spaces
    and dashes dropped, as a typed serial), else None."""
    clean = value.strip().upper().translate(_SEPARATORS)
    if clean.isascii() and clean.isalnum() and any(p.fullmatch(clean) for p in patterns):
        return clean
    return None


def chk_in(value: str) -> str | None:
    m = _CHK.fullmatch(value.strip().upper())
    return m.group(1) if m else None


def pick(values: Sequence[str], patterns: Sequence[re.Pattern[str]]) -> StickerReading:
    """The serial and CHK among the barcode values read."""
    serials = list(dict.fromkeys(s for s in map(lambda v: serial_in(v, patterns), values) if s))
    chks = list(dict.fromkeys(c for c in map(chk_in, values) if c))
    chk = chks[0] if len(chks) == 1 else None
    if len(serials) == 1:
        return StickerReading(serials[0], BARCODE, chk, (), tuple(values))
    code = SEVERAL_SERIALS if serials else NO_SERIAL if values else NO_BARCODE
    return StickerReading(None, None, chk, (code,), tuple(values))


def _open(data: bytes, limits: ImageLimits) -> Image.Image:
    """The picture in grey, at most ``MAX_SIDE`` on its longest side; the header is judged
    first (format sniffed from the bytes, bomb guard), as for every picture we take."""
    check_header(data, limits=limits)
    img = Image.open(io.BytesIO(data))
    if img.format == "JPEG":
        img.draft("L", (MAX_SIDE, MAX_SIDE))  # libjpeg's reduced decode: less time and memory
    img.seek(0)
    grey = img.convert("L")
    if max(grey.size) > MAX_SIDE:
        grey.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS)
    return grey


def _sharpen(img: Image.Image) -> Image.Image:
    return img.filter(ImageFilter.UnsharpMask(radius=2, percent=160, threshold=2))


def _upscale(sharpened: Image.Image) -> Image.Image | None:
    """The sharpened picture at twice its size (Lanczos): the thin bars of a long serial at
    1280 px get the pixels zxing's scan lines need. Sharpening the small picture (reused
    from the pass before) and not the 4x one reads as many stickers on the bench's corpus
    in ~a third of the time (the unsharp mask over 4x the pixels took ~80 ms)."""
    if max(sharpened.size) > UPSCALE_MAX:
        return None
    size = (sharpened.width * 2, sharpened.height * 2)
    return sharpened.resize(size, Image.Resampling.LANCZOS)


def _upscale_sharp(img: Image.Image) -> Image.Image | None:
    """Twice the size, then sharpened: ~100 ms at 1280 px, tried only when the quick passes
    read no serial (some soft stickers need it)."""
    if max(img.size) > UPSCALE_MAX:
        return None
    big = img.resize((img.width * 2, img.height * 2), Image.Resampling.LANCZOS)
    return big.filter(ImageFilter.UnsharpMask(radius=4, percent=250, threshold=0))


#: the skew angles tried last: a long barcode (a graphics card's 25 characters) tilted more
#: than a few degrees crosses no single scan line of zxing's linear reader
SKEWS = (-10.0, 10.0, -5.0, 5.0, -15.0, 15.0)


def _skewed(img: Image.Image, angle: float) -> Image.Image:
    return _sharpen(
        img.rotate(angle, resample=Image.Resampling.BILINEAR, expand=True, fillcolor=255)
    )


def _found(img: Image.Image, binarizer: Any = None) -> list[Any]:
    """The Code128 barcodes zxing reads in ``img`` (with their positions)."""
    import zxingcpp  # imported where it is used: the bot starts without loading it

    # one format is accepted where the stub says a set of them (BarcodeFormats)
    code128 = zxingcpp.BarcodeFormat.Code128
    extra = {} if binarizer is None else {"binarizer": binarizer}
    found = zxingcpp.read_barcodes(  # a sticker is dark on light: no inverted pass
        img,
        formats=code128,  # type: ignore[arg-type]
        try_rotate=True,
        try_downscale=True,
        try_invert=False,
        **extra,
    )
    return [b for b in found if b.valid and b.text]


def _code128(img: Image.Image) -> list[str]:
    return [b.text for b in _found(img)]


#: the size (of the photo's) a barcode's crop is read again at, by the scale of the pass that
#: read it: a 1x pass at 1.5x, a 2x pass (the upscales) at 2.5x: a pixel grid neither pass
#: used (2.5x: the thin bars that needed the upscale are lost again at 1.5x)
CROP_SCALE = {1: 1.5, 2: 2.5}


def _crop(img: Image.Image, position: Any, factor: float) -> Image.Image | None:
    """The barcode at ``position`` with a quiet zone around it, resampled by ``factor``."""
    corners = (position.top_left, position.top_right, position.bottom_left, position.bottom_right)
    xs, ys = [p.x for p in corners], [p.y for p in corners]
    margin = max(20, (max(xs) - min(xs) + max(ys) - min(ys)) // 8)
    box = (
        max(0, min(xs) - margin),
        max(0, min(ys) - margin),
        min(img.width, max(xs) + margin),
        min(img.height, max(ys) + margin),
    )
    if box[2] - box[0] < 8 or box[3] - box[1] < 8:
        return None
    crop = img.crop(box)
    size = (max(1, round(crop.width * factor)), max(1, round(crop.height * factor)))
    return crop.resize(size, Image.Resampling.LANCZOS)


def _reread(img: Image.Image, position: Any, scale: int) -> list[str]:
    """The values read again off the barcode's crop alone, on another pixel grid (see
    ``CROP_SCALE``) and binarized by the crop's own histogram (not the pass's local
    average): a second reading as independent of the first as one photo allows."""
    import zxingcpp

    crop = _crop(img, position, CROP_SCALE[scale] / scale)
    if crop is None:
        return []
    return [b.text for b in _found(crop, zxingcpp.Binarizer.GlobalHistogram)]


#: the views a value is read in (``Seen``): it is trusted when read in two of them
FULL, UPSCALED, CROP = "1x", "2x", "crop"


@dataclass(slots=True)
class Seen:
    """Every Code128 value read, with the views (pixel grids) it was read in. A decoded
    value has a check character, but a blurred photo can still decode to another value whose
    check character matches (two bars misjudged that cancel out in Code128's mod-103 sum):
    the same misjudgement tends to repeat in passes on the same pixel grid (the photo as it
    is and sharpened), so a serial or a CHK is trusted only when read in two views on
    different grids (the photo, each turned copy, the 2x upscale, the barcode's crop re-read
    on another grid with another binarizer, see ``CROP_SCALE``)."""

    patterns: tuple[re.Pattern[str], ...]
    views: dict[str, set[str]] = field(default_factory=dict)

    def note(self, value: str, view: str) -> None:
        self.views.setdefault(value, set()).add(view)

    def wanted(self, value: str) -> bool:
        """A value worth confirming: a serial or a CHK not yet trusted."""
        wanted = serial_in(value, self.patterns) is not None or chk_in(value) is not None
        return wanted and not self.trusted(value)

    def trusted(self, value: str) -> bool:
        return len(self.views.get(value, ())) >= 2

    def reading(self) -> StickerReading:
        values = tuple(self.views)
        reading = pick([v for v in values if self.trusted(v)], self.patterns)
        if reading.serial or SEVERAL_SERIALS in reading.findings:
            return replace(reading, values=values)
        if any(serial_in(v, self.patterns) for v in values):  # read once, or readings differ
            return replace(reading, findings=(UNCONFIRMED,), values=values)
        return pick(values, self.patterns)  # no serial-looking value at all: say what was seen


def done(reading: StickerReading) -> bool:
    """Nothing more to look for: the serial and the CHK read, or two serials (no guess)."""
    return SEVERAL_SERIALS in reading.findings or bool(reading.serial and reading.chk)


def read_sticker(
    data: bytes, patterns: Sequence[str], *, limits: ImageLimits = DEFAULT_LIMITS
) -> StickerReading:
    """The serial (and CHK) from the Code128 barcodes of a sticker photo; see the module
    docstring. ``patterns``: the vendor's serial formats (regexes, full match)."""
    try:
        img = _open(data, limits)
    except (ImageRejected, OSError, ValueError, Image.DecompressionBombError):
        return StickerReading(findings=(UNREADABLE,))
    seen = Seen(tuple(re.compile(p) for p in patterns))

    def read(candidate: Image.Image | None, view: str = FULL) -> StickerReading:
        if candidate is not None:
            scale = 2 if view == UPSCALED else 1
            for barcode in _found(candidate):
                if seen.wanted(barcode.text):  # its crop on another grid: the second view
                    for value in _reread(candidate, barcode.position, scale):
                        seen.note(value, CROP)
                seen.note(barcode.text, view)
        return seen.reading()

    # as it is, sharpened, upscaled (from the sharpened): until the serial and CHK are read
    reading = read(img)
    if not done(reading):
        sharpened = _sharpen(img)
        reading = read(sharpened)
        if not done(reading):
            reading = read(_upscale(sharpened), UPSCALED)
        if not reading.serial and not done(reading):  # the slow pass, only while no serial
            reading = read(_upscale_sharp(img), UPSCALED)
    if done(reading):
        return reading
    # turned by each of SKEWS, only while no serial is read
    for angle in SKEWS:
        if reading.serial or SEVERAL_SERIALS in reading.findings:
            break
        reading = read(_skewed(img, angle), f"turned {angle:+.0f}")  # a grid of its own
    return reading


class StickerReader:
    """The sticker port: ``read_sticker`` off the event loop, bounded and timed."""

    def __init__(
        self,
        patterns: Sequence[str],
        *,
        workers: int = 1,
        queue: int = 4,
        timeout: float = 10.0,
        limits: ImageLimits = DEFAULT_LIMITS,
        read: Callable[..., StickerReading] = read_sticker,
        text: Callable[[bytes, Sequence[str]], Awaitable[StickerReading]] | None = None,
    ) -> None:
        self.patterns = tuple(patterns)
        re.compile("|".join(f"(?:{p})" for p in self.patterns))  # a bad pattern fails at start
        self.gate = Gate(workers, queue)
        self.timeout = timeout
        self.limits = limits
        self._read = read
        self._text = text  # the printed S/N by OCR (storage/ocr_pool.py), when no barcode gave it

    async def read_serial(self, data: bytes) -> StickerReading:
        reading = await self._read_barcode(data)
        from storage.sticker_text import merge, needs_text

        if (
            self._text is None
            or not needs_text(reading)
            or {BUSY, TIMEOUT, FAILED} & set(reading.findings)
        ):
            return reading
        return merge(reading, await self._text(data, self.patterns))

    async def _read_barcode(self, data: bytes) -> StickerReading:
        try:
            await self.gate.acquire()
        except ImageRejected:
            return StickerReading(findings=(BUSY,))
        work = asyncio.ensure_future(
            asyncio.to_thread(self._read, data, self.patterns, limits=self.limits)
        )
        work.add_done_callback(self._done)
        try:
            return await asyncio.wait_for(asyncio.shield(work), self.timeout)
        except TimeoutError:
            log.warning("a sticker photo was not read within %.1f s", self.timeout)
            return StickerReading(findings=(TIMEOUT,))
        except Exception:
            log.exception("reading a sticker photo failed")
            return StickerReading(findings=(FAILED,))

    def _done(self, work: asyncio.Future[StickerReading]) -> None:
        """The thread is done (whoever still waits for it): its place is free again."""
        if not work.cancelled():
            work.exception()  # retrieved, logged by the waiter if it still waits
        self.gate.release()
