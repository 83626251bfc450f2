"""storage.sticker: the serial and CHK off generated sticker photos by their Code128
barcodes (a part number and an EAN beside them), at Telegram's 1280 px and at full size,
rotated and blurred; what it says when there is nothing to read; the bound and the
timeout of the async reader (held by events, never by time)."""

from __future__ import annotations

import asyncio
import io
import re
import threading

import pytest
from PIL import Image

from handlers.validators import DEFAULT_SERIAL_PATTERNS
from storage import sticker
from storage.sticker import StickerReader, StickerReading, pick, read_sticker
from tests.stickers import sticker_photo

SERIAL = "BA3T01946000V"
COMPILED = [re.compile(p) for p in DEFAULT_SERIAL_PATTERNS]


@pytest.mark.parametrize(
    "photo",
    [
        {},  # 1280 px, as Telegram sends a photo
        {"side": 2400},  # full size, sent as a file
        {"angle": 7},
        {"angle": -12, "side": 2400},
        {"angle": 90},
        {"angle": 180},
        {"blur": 1.2},  # soft: read only after the upscale and sharpen retry
        {"blur": 1.2, "angle": -6},
        {"fmt": "PNG"},
    ],
    ids=str,
)
def test_the_serial_and_chk_are_read_beside_other_barcodes(photo: dict) -> None:
    reading = read_sticker(sticker_photo(**photo), DEFAULT_SERIAL_PATTERNS)
    assert (reading.serial, reading.source, reading.chk, reading.findings) == (
        SERIAL,
        "barcode",
        "123",
        (),
    )


def test_a_soft_photo_needs_the_retry() -> None:
    """The blurred 1280 px photo gives no serial as it is, nor only sharpened: the upscale
    pass is what reads it (the retry is not decoration)."""
    data = sticker_photo(blur=1.2)
    img = Image.open(io.BytesIO(data)).convert("L")
    assert SERIAL not in sticker._code128(img) + sticker._code128(sticker._sharpen(img))
    assert read_sticker(data, DEFAULT_SERIAL_PATTERNS).serial == SERIAL


def test_other_serial_formats() -> None:
    gpu = "602-V390-470B2005080001"
    reading = read_sticker(sticker_photo(gpu, side=2400), DEFAULT_SERIAL_PATTERNS)
    assert reading.serial == "602V390470B2005080001"  # as a typed one is stored: no dashes
    assert (
        read_sticker(sticker_photo("K2203N0123456"), DEFAULT_SERIAL_PATTERNS).serial
        == "K2203N0123456"
    )


@pytest.mark.parametrize("angle", [-12, 13])
def test_a_long_tilted_barcode_is_read_by_the_skew_passes(angle: float) -> None:
    """A graphics card's 25-character barcode tilted 12-13 degrees crosses no scan line:
    neither the plain, sharpened nor upscaled pass reads it, a skew pass does."""
    data = sticker_photo("602-V390-470B2005080001", angle=angle, side=2400)
    img = Image.open(io.BytesIO(data)).convert("L")
    assert not any(
        len(v) > 20 for v in sticker._code128(img) + sticker._code128(sticker._sharpen(img))
    )
    assert read_sticker(data, DEFAULT_SERIAL_PATTERNS).serial == "602V390470B2005080001"


def test_the_configured_patterns_decide() -> None:
    data = sticker_photo("XY12345")
    assert read_sticker(data, DEFAULT_SERIAL_PATTERNS).findings == ("no_serial",)
    assert read_sticker(data, [r"XY[0-9]{5}"]).serial == "XY12345"


@pytest.mark.parametrize(
    ("photo", "finding"),
    [
        ({"serial": None, "chk": None, "part": None}, "no_barcode"),  # only the EAN: not Code128
        ({"serial": None}, "no_serial"),  # the part number and the CHK only
        ({"serial": "HELLO-WORLD"}, "no_serial"),
        ({"side": 600}, "no_barcode"),  # too small to read: the customer is asked for a sharper one
    ],
    ids=str,
)
def test_nothing_to_read_is_said(photo: dict, finding: str) -> None:
    reading = read_sticker(sticker_photo(**photo), DEFAULT_SERIAL_PATTERNS)
    assert reading.serial is None and reading.source is None
    assert reading.findings == (finding,)


def test_two_different_serials_are_not_guessed_between() -> None:
    reading = pick(["BA3T01946000V", "BA3T01946001V", "123"], COMPILED)
    assert (reading.serial, reading.chk, reading.findings) == (None, "123", ("several_serials",))
    same = pick(["BA3T01946000V", "ba3t-01946000v"], COMPILED)
    assert same.serial == SERIAL  # one serial, read twice


@pytest.mark.parametrize(
    "data", [b"", b"not a picture", b"\x89PNG\r\n\x1a\n" + b"\0" * 40, sticker_photo()[:300]]
)
def test_what_is_not_a_picture_is_unreadable(data: bytes) -> None:
    reading = read_sticker(data, DEFAULT_SERIAL_PATTERNS)
    assert reading.serial is None
    assert reading.findings in (("unreadable",), ("no_barcode",))


def test_a_bomb_is_refused_before_decoding() -> None:
    from tests.storage.test_images import _png_declaring

    assert read_sticker(_png_declaring(30000, 30000), DEFAULT_SERIAL_PATTERNS).findings == (
        "unreadable",
    )


class Held:
    """A read that reports it started and finishes when told to."""

    def __init__(self) -> None:
        self.started = threading.Event()
        self.go = threading.Event()

    def __call__(self, data: bytes, patterns, *, limits) -> StickerReading:
        self.started.set()
        self.go.wait()
        return StickerReading("BA3T01946000V", "barcode", None, ())


async def test_the_reader_is_bounded_and_timed() -> None:
    held = Held()
    reader = StickerReader(DEFAULT_SERIAL_PATTERNS, workers=1, queue=0, timeout=0.05, read=held)
    first = await reader.read_serial(b"x")  # never finishes in time: the answer is "timeout"
    assert first.findings == ("timeout",) and first.serial is None
    assert held.started.is_set()
    busy = await reader.read_serial(b"x")  # the late one still holds the only place
    assert busy.findings == ("busy",)
    held.go.set()
    while reader.gate.holding:  # its thread ends: the place is free again
        await asyncio.sleep(0.001)
    reader.timeout = 30.0
    assert (await reader.read_serial(b"x")).serial == SERIAL


async def test_the_reader_reads_a_real_photo_off_the_loop() -> None:
    reader = StickerReader(DEFAULT_SERIAL_PATTERNS, timeout=60.0)
    got = await reader.read_serial(sticker_photo(angle=5))
    assert got.as_dict() == {"serial": SERIAL, "source": "barcode", "chk": "123", "findings": []}
    assert reader.gate.holding == 0


async def test_a_failing_decoder_is_a_finding_not_a_crash() -> None:
    def broken(data: bytes, patterns, *, limits) -> StickerReading:
        raise RuntimeError("decoder bug")

    reader = StickerReader(DEFAULT_SERIAL_PATTERNS, read=broken)
    assert (await reader.read_serial(b"x")).findings == ("failed",)
    assert reader.gate.holding == 0
