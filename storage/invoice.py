"""The invoice pre-check: a photo or a PDF of the invoice, judged as a reviewer would.

``check_invoice(data, expected)`` (run in an OCR worker, see ``storage/ocr_pool.py``):

1. a PDF (``storage/pdf.py``): its page size is checked before rendering, its text layer is
   read when it has one (no OCR), else page 1 is rendered and OCR'd; page 1 is returned as
   the normalised JPEG for staff;
2. a picture: judged by its header first (format, bomb guard), then by the quality gate
   (``storage/quality.py``: ``too_small``, ``too_dark``, ``too_blurred``) before any OCR;
3. the text (OCR lines or the text layer) is analysed (``storage/invoice_text.py``):
   product / model, date, store, invoice number; no text at all is ``unreadable``.

The answer is an ``InvoiceCheck``: findings (codes; the catalog words them as
``check.finding.<code>``, each with its advice), what was read (defaults the conversation may
offer), the OCR key for duplicate detection, and ``checked`` (False: the pre-check could not
run: ``unchecked``; the claim goes on without it). Findings are advice, never a rejection.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from typing import Any

from PIL import Image, ImageOps

from storage import quality
from storage.images import DEFAULT_LIMITS, ImageLimits, ImageRejected, check_header
from storage.invoice_text import Expected, analyse
from storage.pdf import PdfRejected, is_pdf, open_invoice_pdf

UNREADABLE = "unreadable"
UNCHECKED = "unchecked"  # busy, timed out or failed: no pre-check, the claim goes on
QUALITY_CODES = frozenset({quality.TOO_SMALL, quality.TOO_DARK, quality.TOO_BLURRED, UNREADABLE})
EMPTY_READ: dict[str, Any] = {"product": None, "date": None, "store": None, "invoice_number": None}


@dataclass(frozen=True, slots=True)
class InvoiceCheck:
    findings: tuple[str, ...] = ()
    read: dict[str, Any] = field(default_factory=lambda: dict(EMPTY_READ))
    key: str | None = None  # store + invoice number + date, normalised (duplicates)
    checked: bool = True
    source: str = "ocr"  # "ocr" or "text_layer" (a PDF's own text)
    jpeg: bytes | None = field(default=None, repr=False)  # a PDF's page 1 for staff

    @property
    def refused(self) -> bool:
        """A quality finding: the customer should send a better photo before it is kept."""
        return any(code in QUALITY_CODES for code in self.findings)

    def as_dict(self) -> dict[str, Any]:
        return {"findings": list(self.findings), "read": dict(self.read)}


def unchecked() -> InvoiceCheck:
    return InvoiceCheck(findings=(UNCHECKED,), checked=False)


def _jpeg(img: Image.Image, quality_: int = 85) -> bytes:
    buf = io.BytesIO()
    img.convert("RGB").save(buf, "JPEG", quality=quality_, optimize=True)
    return buf.getvalue()


def _open_picture(data: bytes, limits: ImageLimits) -> Image.Image:
    check_header(data, limits=limits)
    img = Image.open(io.BytesIO(data))
    if img.format == "JPEG":
        img.draft("RGB", (limits.max_width * 2, limits.max_width * 2))
    img.seek(0)
    return ImageOps.exif_transpose(img).convert("RGB")


def _from_lines(
    lines: list[str], expected: Expected, *, soft: bool = False, **extra: Any
) -> InvoiceCheck:
    """The text analysed; on a soft photo, a failed read is blamed on the blur first."""
    if sum(len(line) for line in lines) < 8:
        return InvoiceCheck(findings=(quality.TOO_BLURRED if soft else UNREADABLE,), **extra)
    result = analyse(lines, expected)
    findings = ((quality.TOO_BLURRED,) if soft and result.findings else ()) + result.findings
    return InvoiceCheck(findings, result.read, result.key, **extra)


def check_invoice(
    data: bytes,
    expected: Expected,
    *,
    limits: ImageLimits = DEFAULT_LIMITS,
    gate: quality.QualityLimits = quality.DEFAULT_QUALITY,
) -> InvoiceCheck:
    """See the module docstring. Never raises for a bad file: the answer has findings."""
    from storage.ocr import read_lines

    if is_pdf(data):
        try:
            pdf = open_invoice_pdf(data)
        except PdfRejected as exc:
            return InvoiceCheck(findings=(exc.code,))
        page = _jpeg(pdf.page)
        if pdf.lines:
            return _from_lines(list(pdf.lines), expected, source="text_layer", jpeg=page)
        return _from_lines(read_lines(pdf.page), expected, jpeg=page)
    try:
        img = _open_picture(data, limits)
    except (ImageRejected, OSError, ValueError, Image.DecompressionBombError):
        return InvoiceCheck(findings=(UNREADABLE,))
    judged = quality.judge(img, gate)
    if judged.findings:
        return InvoiceCheck(findings=judged.findings)
    return _from_lines(read_lines(img), expected, soft=judged.soft)
