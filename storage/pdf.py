"""PDF invoices (``pypdfium2``): the text layer, and page 1 as a picture.

``open_invoice_pdf(data)`` judges the document before anything is rendered: it must open,
have a page, and page 1 must be no larger than ``MAX_PAGE_POINTS`` on either side (a
forged 200 x 200 inch page would be a rendering bomb). It answers the text of the first
``TEXT_PAGES`` pages' text layer, split in lines (an invoice produced by a shop's software
has one; a scan has none, and is OCR'd from the rendered page), and page 1 rendered at most
``RENDER_SIDE`` pixels on its long side, as a Pillow image (the caller encodes the staff's
JPEG and, without a text layer, OCRs it).
"""

from __future__ import annotations

from dataclasses import dataclass

from PIL import Image

PDF_MAGIC = b"%PDF-"
MAX_PAGE_POINTS = 3000.0  # A4 is 595 x 842 points, A3 842 x 1191; 3000 pt is 1.06 m
RENDER_SIDE = 2000
TEXT_PAGES = 3
MIN_TEXT_CHARS = 20  # fewer characters than this is no text layer (a scan's stray label)


class PdfRejected(Exception):
    """The document cannot be used; ``code`` is a finding code (``unreadable``)."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


@dataclass(frozen=True, slots=True)
class PdfInvoice:
    lines: tuple[str, ...]  # the text layer's lines, empty without a text layer
    page: Image.Image  # page 1, RGB


def is_pdf(data: bytes) -> bool:
    return data[:1024].lstrip().startswith(PDF_MAGIC)


def open_invoice_pdf(data: bytes) -> PdfInvoice:
    import pypdfium2 as pdfium  # imported where used: the bot starts without loading it

    try:
        doc = pdfium.PdfDocument(data)
    except pdfium.PdfiumError:
        raise PdfRejected("unreadable") from None
    try:
        if len(doc) < 1:
            raise PdfRejected("unreadable")
        page = doc[0]
        width, height = page.get_size()
        if not (0 < width <= MAX_PAGE_POINTS and 0 < height <= MAX_PAGE_POINTS):
            raise PdfRejected("unreadable")
        lines: list[str] = []
        for index in range(min(len(doc), TEXT_PAGES)):
            text = doc[index].get_textpage().get_text_range()
            lines += [line.strip() for line in text.replace("\r", "\n").split("\n") if line.strip()]
        if sum(len(line) for line in lines) < MIN_TEXT_CHARS:
            lines = []
        scale = RENDER_SIDE / max(width, height)
        image = page.render(scale=scale, fill_color=(255, 255, 255, 255)).to_pil().convert("RGB")
        return PdfInvoice(tuple(lines), image)
    finally:
        doc.close()
