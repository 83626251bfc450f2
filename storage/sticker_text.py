"""The serial off a sticker photo by its printed text, when no barcode gave it (source "text").

OCR has no check character: a reading may be wrong (``O`` for ``0``), so the customer must
confirm it; a barcode's value always wins over the text (``read_serial``). Lines are read by
OCR (``storage/ocr.py``); the serial is the value after an ``S/N`` label, or else the only
token matching one of the vendor's formats. Letters and digits that look alike (O/0, I/1,
S/5, B/8, Z/2, G/6) are swapped where the format needs the other kind, fewest swaps first.
The CHK is the three digits after a ``CHK`` label.
"""

from __future__ import annotations

import io
import itertools
import re
from collections.abc import Sequence

from PIL import Image, ImageOps

from storage.images import DEFAULT_LIMITS, ImageLimits, ImageRejected, check_header
from storage.sticker import (
    BARCODE,
    NO_SERIAL,
    SEVERAL_SERIALS,
    UNREADABLE,
    StickerReading,
    read_sticker,
)

TEXT = "text"
_SWAP = {
    "O": "0",
    "0": "O",
    "I": "1",
    "1": "I",
    "L": "1",
    "S": "5",
    "5": "S",
    "B": "8",
    "8": "B",
    "Z": "2",
    "2": "Z",
    "G": "6",
    "6": "G",
    "D": "0",
    "Q": "0",
}
_MAX_SWAPS = 10  # confusable characters tried at most (2**10 readings)
_LABEL = re.compile(
    r"(?:S\s*/\s*N|SN|SERIAL(?:\s*(?:NO|NUMBER))?)\s*[:.#]?\s*([A-Z0-9][A-Z0-9 \-]{5,40})"
)
_CHK = re.compile(r"CHK\s*[:.#]?\s*([0-9OIl]{3})(?![0-9])", re.IGNORECASE)
_TOKEN = re.compile(r"[A-Z0-9][A-Z0-9\-]{5,40}")


def fit(token: str, patterns: Sequence[re.Pattern[str]]) -> str | None:
    """``token`` (spaces and dashes dropped) as a serial, with the fewest look-alike swaps."""
    clean = re.sub(r"[\s\-]", "", token.upper())
    if not clean.isalnum():
        return None
    spots = [i for i, c in enumerate(clean) if c in _SWAP][:_MAX_SWAPS]
    for swaps in range(len(spots) + 1):
        for chosen in itertools.combinations(spots, swaps):
            chars = list(clean)
            for i in chosen:
                chars[i] = _SWAP[chars[i]]
            value = "".join(chars)
            if any(p.fullmatch(value) for p in patterns):
                return value
    return None


def serial_from_lines(lines: Sequence[str], patterns: Sequence[str]) -> StickerReading:
    compiled = tuple(re.compile(p) for p in patterns)
    upper = [line.upper() for line in lines]
    chk = next(
        (
            m.group(1).upper().replace("O", "0").replace("I", "1")
            for line in lines
            if (m := _CHK.search(line))
        ),
        None,
    )
    labelled = [
        s for line in upper for m in _LABEL.finditer(line) if (s := fit(m.group(1), compiled))
    ]
    if not labelled:  # no label read: every token of a serial's shape
        labelled = [s for line in upper for t in _TOKEN.findall(line) if (s := fit(t, compiled))]
    found = list(dict.fromkeys(labelled))
    if len(found) == 1:
        return StickerReading(found[0], TEXT, chk)
    return StickerReading(None, None, chk, (SEVERAL_SERIALS if found else NO_SERIAL,))


def read_sticker_text(
    data: bytes, patterns: Sequence[str], *, limits: ImageLimits = DEFAULT_LIMITS
) -> StickerReading:
    """The printed S/N and CHK by OCR (run in an OCR worker)."""
    from storage.ocr import read_lines

    try:
        check_header(data, limits=limits)
        img = ImageOps.exif_transpose(Image.open(io.BytesIO(data))).convert("RGB")
    except (ImageRejected, OSError, ValueError, Image.DecompressionBombError):
        return StickerReading(findings=(UNREADABLE,))
    return serial_from_lines(read_lines(img), patterns)


def needs_text(reading: StickerReading) -> bool:
    """Worth an OCR read: the barcodes gave no serial, or a serial without its CHK (a
    picture that could not be opened, or two serials, are not)."""
    if UNREADABLE in reading.findings or SEVERAL_SERIALS in reading.findings:
        return False
    return reading.serial is None or reading.chk is None


def merge(barcode: StickerReading, text: StickerReading) -> StickerReading:
    """The barcode's reading, completed by the text's: a barcode serial is never replaced;
    without one, the text's serial (source "text"); the CHK from either."""
    chk = barcode.chk or text.chk
    if barcode.source == BARCODE or SEVERAL_SERIALS in barcode.findings or text.serial is None:
        return StickerReading(barcode.serial, barcode.source, chk, barcode.findings, barcode.values)
    return StickerReading(text.serial, TEXT, chk, (), barcode.values)


def read_serial(
    data: bytes, patterns: Sequence[str], *, limits: ImageLimits = DEFAULT_LIMITS
) -> StickerReading:
    """The barcode first; the printed text only when the barcodes gave no serial or no CHK:
    the whole reading in one process (the CLI, the benchmark)."""
    reading = read_sticker(data, patterns, limits=limits)
    if not needs_text(reading):
        return reading
    return merge(reading, read_sticker_text(data, patterns, limits=limits))
