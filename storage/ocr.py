"""Text off a picture: ``rapidocr`` 3.x on ``onnxruntime``, with the models in its wheel.

Nothing is downloaded at run time: the engine is built from the model files shipped inside
the ``rapidocr`` package (``PP-OCRv6`` detection and recognition, the v2 orientation
classifier); ``model_files()`` names them and ``engine()`` refuses to start when one is
missing instead of letting the library fetch it (a test runs the OCR with no network).

The engine is loaded once per worker process (``engine()``, a cache of one: the worker is
the only owner; the bot's own process never loads it) and costs ~1 s, so the OCR pool warms
its worker in the background at start (``warm``).

``read_lines(img)`` answers the text as lines, top to bottom: the boxes the detector finds
are grouped into rows (by the overlap of their vertical extent) and joined left to right,
so a label and its value printed in two columns ("Date:" ... "01.10.2026") are one line.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image

#: the pixels a picture is read at, after cropping it to the paper: the detector's time and
#: memory grow with the pixels (1.3 MP: ~1 s of one core, ~650 MB peak for the worker), and
#: an A4 page's print stays legible at that size; a long till receipt keeps its width
OCR_PIXELS = 1_300_000
MAX_SIDE = 3000
MIN_SCORE = 0.5  # recognitions below this confidence are dropped
OCR_THREADS = 1

_MODELS = {
    "Det.model_path": "PP-OCRv6_det_small.onnx",
    "Rec.model_path": "PP-OCRv6_rec_small.onnx",
    "Cls.model_path": "ch_ppocr_mobile_v2.0_cls_mobile.onnx",
}


class OcrUnavailable(RuntimeError):
    """The OCR models are not in the installed package (never fetched from the network)."""


def model_files() -> dict[str, Path]:
    import rapidocr

    root = Path(rapidocr.__file__).resolve().parent / "models"
    return {key: root / name for key, name in _MODELS.items()}


@functools.lru_cache(maxsize=1)
def engine() -> Any:
    """The OCR engine of this process, built from the wheel's model files only."""
    files = model_files()
    missing = [str(path) for path in files.values() if not path.is_file()]
    if missing:
        raise OcrUnavailable(f"OCR model files missing (reinstall rapidocr): {', '.join(missing)}")
    from rapidocr import RapidOCR

    params: dict[str, Any] = {
        "Global.log_level": "error",
        "Global.text_score": MIN_SCORE,
        "Global.max_side_len": MAX_SIDE,  # the pixel budget applies; a receipt stays tall
        # one thread: the worker's ~1 s of CPU per page leaves the other core to the bot
        "EngineConfig.onnxruntime.intra_op_num_threads": OCR_THREADS,
        "EngineConfig.onnxruntime.inter_op_num_threads": 1,
    }
    params.update({key: str(path) for key, path in files.items()})
    return RapidOCR(params=params)


@dataclass(frozen=True, slots=True)
class Box:
    text: str
    score: float
    top: float
    bottom: float
    left: float


def _boxes(img: Image.Image) -> list[Box]:
    result = engine()(np.asarray(img.convert("RGB")))
    if result.boxes is None or result.txts is None:
        return []
    out = []
    for box, text, score in zip(result.boxes, result.txts, result.scores, strict=True):
        ys = [point[1] for point in box]
        xs = [point[0] for point in box]
        if text.strip():
            out.append(Box(text.strip(), float(score), min(ys), max(ys), min(xs)))
    return out


def rows(boxes: list[Box]) -> list[str]:
    """Boxes grouped into lines: a box joins a row when it overlaps the row's vertical
    extent by more than half of the smaller height."""
    lines: list[list[Box]] = []
    for box in sorted(boxes, key=lambda b: (b.top + b.bottom) / 2):
        for row in lines:
            top = min(b.top for b in row)
            bottom = max(b.bottom for b in row)
            overlap = min(bottom, box.bottom) - max(top, box.top)
            if overlap > 0.5 * min(bottom - top, box.bottom - box.top):
                row.append(box)
                break
        else:
            lines.append([box])
    return ["  ".join(b.text for b in sorted(row, key=lambda b: b.left)) for row in lines]


def paper(img: Image.Image) -> Image.Image:
    """``img`` cropped to the paper: the rows and columns where bright pixels are common
    (a page or a receipt on a darker table); the whole picture when that finds nothing."""
    small = img.convert("L")
    small.thumbnail((400, 400))
    a = np.asarray(small, dtype=np.float32)
    bright = a > max(140.0, float(np.percentile(a, 60)) * 0.85)
    rows_ = np.flatnonzero(bright.mean(axis=1) > 0.25)
    cols = np.flatnonzero(bright.mean(axis=0) > 0.25)
    if len(rows_) < 10 or len(cols) < 10:
        return img
    fx, fy = img.width / small.width, img.height / small.height
    pad = 4
    box = (
        max(0, int((cols[0] - pad) * fx)),
        max(0, int((rows_[0] - pad) * fy)),
        min(img.width, int((cols[-1] + 1 + pad) * fx)),
        min(img.height, int((rows_[-1] + 1 + pad) * fy)),
    )
    return img.crop(box)


def read_lines(img: Image.Image, pixels: int = OCR_PIXELS) -> list[str]:
    """The text on ``img`` as lines, top to bottom (cropped to the paper, read at most
    ``pixels`` large)."""
    img = paper(img)
    if img.width * img.height > pixels:
        scale = (pixels / (img.width * img.height)) ** 0.5
        img = img.resize(
            (max(1, int(img.width * scale)), max(1, int(img.height * scale))),
            Image.Resampling.LANCZOS,
        )
    return rows(_boxes(img))


def warm() -> bool:
    """Load the engine and run it once on a small picture with a word on it (the first
    real read then pays no model load; small: the detector upscales a picture to 736 px on
    its short side, and the memory it takes then stays with the process)."""
    from PIL import ImageDraw

    img = Image.new("RGB", (736, 736), "white")
    ImageDraw.Draw(img).text((40, 40), "Invoice 2026-10-01", fill="black")
    _boxes(img)
    return True
