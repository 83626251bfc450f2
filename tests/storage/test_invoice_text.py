"""storage.invoice_text / invoice_dates / quality / pdf: each finding code from an invoice's
text (no OCR: the lines a reader or a PDF's text layer gives), the date forms, the model
digits rule, the quality gate on generated pictures, PDF invoices with a text layer."""

from __future__ import annotations

import datetime as dt

import pytest
from PIL import Image, ImageDraw, ImageFilter, ImageFont

from storage import quality
from storage.invoice import check_invoice
from storage.invoice_dates import dates_in
from storage.invoice_text import Expected, analyse, ocr_key
from tests.invoices import Invoice, image_pdf, render, text_pdf

OCT1 = dt.date(2026, 10, 1)
EXPECTED = Expected(
    "MAG B650 TOMAHAWK WIFI",
    "MS-7D75",
    OCT1,
    "Mindfactory",
    (dt.date(2026, 9, 1), dt.date(2026, 11, 30)),
)
CLEAN = [
    "Mindfactory AG",
    "Rechnungsnummer: RE-2026-104233",
    "Rechnungsdatum: 01.10.2026",
    "1 x MSI MAG B650 TOMAHAWK WIFI 219,00 EUR",
    "Summe 219,00 EUR",
]


def with_line(index: int, line: str | None) -> list[str]:
    lines = list(CLEAN)
    if line is None:
        del lines[index]
    else:
        lines[index] = line
    return lines


def test_a_clean_invoice_has_no_finding_and_reads_every_field() -> None:
    result = analyse(CLEAN, EXPECTED)
    assert result.findings == ()
    assert result.read == {
        "product": "1 x MSI MAG B650 TOMAHAWK WIFI 219,00 EUR",
        "date": "2026-10-01",
        "store": "Mindfactory",
        "invoice_number": "RE-2026-104233",
    }
    assert result.key == "mindfactory|re2026104233|2026-10-01"


@pytest.mark.parametrize(
    ("lines", "code"),
    [
        (
            with_line(3, "1 x MSI MAG X670E TOMAHAWK WIFI 319,00"),
            "model_not_found",
        ),  # another chipset
        (
            with_line(3, "1 x MSI MAG B650M MORTAR WIFI 189,00"),
            "model_not_found",
        ),  # B650M is not B650
        (
            with_line(3, "1 x ASUS TUF GAMING B650-PLUS WIFI 199,00"),
            "model_not_found",
        ),  # another brand
        (with_line(3, "1 x MSI MAG B850 TOMAHAWK WIFI 229,00"), "model_not_found"),  # one digit off
        (with_line(2, None), "date_not_found"),
        (with_line(2, "Rechnungsdatum: 01.12.2026"), "date_differs date_outside_window"),
        (with_line(2, "Rechnungsdatum: 03.10.2026"), "date_differs"),
        (with_line(0, "Alternate GmbH"), "store_not_found"),
        (with_line(1, "Kundennummer 55"), "number_not_found"),
    ],
)
def test_each_defect_gives_its_finding(lines: list[str], code: str) -> None:
    assert analyse(lines, EXPECTED).findings == tuple(code.split())


def test_a_date_outside_the_window_that_was_registered_so_is_outside_only() -> None:
    registered = Expected(
        EXPECTED.product, EXPECTED.model, dt.date(2026, 12, 1), EXPECTED.store, EXPECTED.window
    )
    assert analyse(with_line(2, "Datum: 1 Dec 2026"), registered).findings == (
        "date_outside_window",
    )


def test_the_model_number_alone_is_enough_and_its_digits_must_match() -> None:
    assert analyse(with_line(3, "1 x Mainboard MS-7D75 219,00"), EXPECTED).findings == ()
    assert analyse(with_line(3, "1 x Mainboard MS-7D76 219,00"), EXPECTED).findings == (
        "model_not_found",
    )


def test_ocr_slips_in_letters_are_forgiven_not_in_digits() -> None:
    assert analyse(with_line(3, "MSI MAG 8650 TOMAHAVVK WI-FI 219,00"), EXPECTED).findings == ()
    assert analyse(with_line(3, "MSI MAG B65O TOMAHAWK WIFI 219,00"), EXPECTED).findings == (
        "model_not_found",
    )


@pytest.mark.parametrize(
    "text",
    [
        "2026-10-01",
        "01.10.2026",
        "01/10/2026",
        "1 Oct 2026",
        "1. Oktober 2026",
        "2026年10月1日",
        "1er octobre 2026",
        "le 1 octobre 2026",
        "1. 0ktober 2026",
        "Oct 1, 2026",
        "1 de octubre de 2026",
        "01.10.26",
        "2026/10/01",
        "O1.1O.2O26",
    ],
)
def test_date_forms(text: str) -> None:
    assert dates_in(f"Datum {text} 14:22")[0] == OCT1


def test_an_ambiguous_slashed_date_is_read_both_ways_a_dotted_one_never() -> None:
    assert dates_in("10/01/2026") == [dt.date(2026, 1, 10), OCT1]
    assert dates_in("10.01.2026") == [dt.date(2026, 1, 10)]
    us = Expected(EXPECTED.product, EXPECTED.model, OCT1, EXPECTED.store, EXPECTED.window)
    assert analyse(with_line(2, "Invoice date: 10/01/2026"), us).findings == ()


def test_the_ocr_key_is_the_same_for_the_same_invoice_written_differently() -> None:
    assert ocr_key("Mindfactory AG", "RE-2026/104233", OCT1) == ocr_key(
        "MINDFACTORY  ag", "re 2026 104233", OCT1
    )
    assert ocr_key("Mindfactory", None, OCT1) is None


def page(text_size: int = 30) -> Image.Image:
    img = Image.new("L", (1240, 1754), 255)
    draw = ImageDraw.Draw(img)
    font = ImageFont.truetype("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", text_size)
    for row in range(20):
        draw.text((100, 100 + row * 60), f"Line {row} of the invoice 219,00 EUR", font=font, fill=0)
    return img


def test_the_quality_gate() -> None:
    sharp = page()
    assert quality.judge(sharp) == quality.Quality((), soft=False)
    assert quality.judge(sharp.resize((400, 566))).findings == (quality.TOO_SMALL,)
    assert quality.judge(sharp.filter(ImageFilter.GaussianBlur(6))).findings == (
        quality.TOO_BLURRED,
    )
    assert quality.judge(sharp.point(lambda v: v // 5)).findings == (quality.TOO_DARK,)
    soft = quality.judge(sharp.filter(ImageFilter.GaussianBlur(3)))
    assert soft.findings == () and soft.soft


def test_a_blurred_photo_is_refused_before_any_ocr() -> None:
    import io

    buf = io.BytesIO()
    page().filter(ImageFilter.GaussianBlur(5)).save(buf, "JPEG")
    result = check_invoice(buf.getvalue(), EXPECTED)
    assert result.findings == ("too_blurred",) and result.refused


def test_a_pdf_with_a_text_layer_is_read_without_ocr_and_page_one_is_rendered() -> None:
    result = check_invoice(text_pdf(CLEAN), EXPECTED)
    assert result.findings == () and result.source == "text_layer"
    assert result.jpeg is not None and result.jpeg[:2] == b"\xff\xd8"
    assert Image.open(__import__("io").BytesIO(result.jpeg)).size[1] == 2000
    assert check_invoice(
        text_pdf(with_line(3, "1 x MSI MAG X670E TOMAHAWK WIFI")), EXPECTED
    ).findings == ("model_not_found",)


def test_a_huge_or_broken_pdf_is_unreadable_before_rendering() -> None:
    assert check_invoice(text_pdf(CLEAN, size=(20000.0, 20000.0)), EXPECTED).findings == (
        "unreadable",
    )
    assert check_invoice(b"%PDF-1.4\nnot really", EXPECTED).findings == ("unreadable",)
    assert check_invoice(b"GIF89a\x00", EXPECTED).findings == ("unreadable",)


@pytest.mark.ocr
def test_a_scanned_pdf_is_ocrd() -> None:
    result = check_invoice(image_pdf(render(Invoice())), EXPECTED)
    assert result.source == "ocr" and result.findings == ()
    assert result.read["invoice_number"] == "RE-2026-104233"
