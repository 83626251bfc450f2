"""The photo quality gate: is this picture worth reading (and storing) at all?

``judge(img)`` answers findings before any OCR: ``too_small`` (the picture has too few pixels
to read an invoice's small print), ``too_dark``, ``too_blurred``. Each finding's catalog
text (``check.finding.<code>``) carries the advice: flat, well lit, the whole page, or send
it as a file to keep the full resolution. "No text at all" is found by the OCR itself
(``unreadable``). A soft photo (blurred, but maybe readable) is read: it passes when
everything was found on it, and gets ``too_blurred`` besides the other findings when not.

Sharpness is the spread of a Laplacian (a second derivative: strong at crisp edges, weak
where a blur smeared them), measured on the picture reduced to ``MEASURE_SIDE`` and only
where there is ink (the paper's flat white says nothing about focus): the 99th percentile
of the Laplacian's magnitude over the image. A page of crisp text scores far above a blurred
one whatever its layout, where the plain variance would punish a page with little text.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageFilter

TOO_SMALL = "too_small"
TOO_DARK = "too_dark"
TOO_BLURRED = "too_blurred"


@dataclass(frozen=True, slots=True)
class QualityLimits:
    min_long_side: int = 800  # Telegram's photo is 1280; a thumbnail or a crop is less
    min_short_side: int = 480
    min_brightness: float = 60.0  # mean grey level of the page, 0-255
    # 99th percentile of |Laplacian| at MEASURE_SIDE: under ``min_sharpness`` the photo is
    # refused unread; under ``soft_sharpness`` it is read, and ``too_blurred`` is added
    # unless everything was found on it (a soft photo that reads well is good enough)
    min_sharpness: float = 12.0
    soft_sharpness: float = 29.0


DEFAULT_QUALITY = QualityLimits()
MEASURE_SIDE = 1000


def sharpness(grey: Image.Image) -> float:
    img = grey.copy()
    img.thumbnail((MEASURE_SIDE, MEASURE_SIDE), Image.Resampling.BILINEAR)
    img = img.filter(ImageFilter.MedianFilter(3))  # sensor noise is no sharpness
    a = np.asarray(img, dtype=np.float32)
    if a.shape[0] < 3 or a.shape[1] < 3:
        return 0.0
    lap = np.abs(a[1:-1, :-2] + a[1:-1, 2:] + a[:-2, 1:-1] + a[2:, 1:-1] - 4 * a[1:-1, 1:-1])
    return float(np.percentile(lap, 99.0))


def brightness(grey: Image.Image) -> float:
    img = grey.copy()
    img.thumbnail((200, 200))
    # the page, not the table around it: the brighter half of the picture
    a = np.asarray(img, dtype=np.float32).ravel()
    return float(np.mean(a[a >= np.median(a)]))


@dataclass(frozen=True, slots=True)
class Quality:
    findings: tuple[str, ...] = ()  # refused unread: too small, too dark, far too blurred
    soft: bool = False  # read it, but a failed read is the blur's fault (``too_blurred``)


def judge(img: Image.Image, limits: QualityLimits = DEFAULT_QUALITY) -> Quality:
    """The quality of a picture: refused unread (``findings``), or read (maybe ``soft``)."""
    long_side, short_side = max(img.size), min(img.size)
    if long_side < limits.min_long_side or short_side < limits.min_short_side:
        return Quality((TOO_SMALL,))
    grey = img.convert("L")
    if brightness(grey) < limits.min_brightness:
        return Quality((TOO_DARK,))
    sharp = sharpness(grey)
    if sharp < limits.min_sharpness:
        return Quality((TOO_BLURRED,))
    return Quality(soft=sharp < limits.soft_sharpness)
