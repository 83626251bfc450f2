"""The OCR side of issue 12: a photographed invoice checked by OCR, the OCR pool's bound and
timeout (held by events, never by time: the claim goes on "unchecked"), the sticker's
printed S/N when the barcode is scuffed (source "text", never over a barcode), the
``check invoice`` / ``check serial`` command's JSON, and a run with no network at all."""

from __future__ import annotations

import asyncio
import json
import os
import re
import shutil
import subprocess
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from bot.cli import main
from handlers.validators import DEFAULT_SERIAL_PATTERNS
from storage.invoice import InvoiceCheck, check_invoice
from storage.invoice_text import Expected
from storage.ocr import model_files
from storage.ocr_pool import OcrPool
from storage.sticker import BARCODE, StickerReading
from storage.sticker_text import TEXT, merge, read_serial, serial_from_lines
from tests.invoices import WINDOW, Invoice, photograph, render, text_pdf
from tests.stickers_printed import photograph_sticker, printed_sticker

ROOT = Path(__file__).resolve().parents[2]
INVOICE = Invoice()  # Mindfactory, 01.10.2026, MAG B650 TOMAHAWK WIFI (MS-7D75), RE-2026-104233
EXPECTED = Expected("MAG B650 TOMAHAWK WIFI", "MS-7D75", INVOICE.date, "Mindfactory", WINDOW)
ARGS = [
    "--product",
    "MAG B650 TOMAHAWK WIFI",
    "--model",
    "MS-7D75",
    "--date",
    "2026-10-01",
    "--store",
    "Mindfactory",
    "--window",
    "2026-09-01:2026-11-30",
    "--json",
]


def test_the_models_come_from_the_installed_wheel() -> None:
    assert all(path.is_file() and path.stat().st_size > 100_000 for path in model_files().values())


@pytest.mark.ocr
def test_a_photographed_invoice_at_telegram_size_is_clean() -> None:
    result = check_invoice(
        photograph(render(INVOICE), side=1280, angle=2, light=0.3, noise=4), EXPECTED
    )
    assert result.findings == ()
    assert result.read["invoice_number"] == "RE-2026-104233" and result.read["date"] == "2026-10-01"
    assert result.key == "mindfactory|re2026104233|2026-10-01"


@pytest.mark.ocr
def test_a_photographed_receipt_of_a_similar_model_is_model_not_found() -> None:
    receipt = Invoice(receipt=True, product="MAG X670E TOMAHAWK WIFI", model=None)
    assert check_invoice(photograph(render(receipt), side=1280), EXPECTED).findings == (
        "model_not_found",
    )


async def test_a_check_that_does_not_finish_in_time_is_unchecked_and_the_pool_stays_bounded() -> (
    None
):
    release = threading.Event()
    entered = threading.Event()

    def stuck(data: bytes, expected: Expected) -> InvoiceCheck:
        entered.set()
        release.wait()
        return InvoiceCheck()

    pool = OcrPool(
        1, 0, timeout=0.01, executor_factory=lambda n: ThreadPoolExecutor(n), invoice_job=stuck
    )
    try:
        first = await pool.check_invoice(b"photo", product="MAG B650 TOMAHAWK WIFI")
        assert entered.is_set()
        assert first.findings == ("unchecked",) and not first.checked
        # the late check still holds the only place: the next one is unchecked at once
        assert (await pool.check_invoice(b"photo", product="MAG B650 TOMAHAWK WIFI")).findings == (
            "unchecked",
        )
        assert pool.gate.holding == 1
        release.set()
        while pool.gate.holding:  # the worker finishes: its place is free again
            await asyncio.sleep(0)
    finally:
        release.set()
        await pool.close()


async def test_a_failing_check_is_unchecked() -> None:
    def broken(data: bytes, expected: Expected) -> InvoiceCheck:
        raise RuntimeError("decoder bug")

    pool = OcrPool(1, 1, executor_factory=lambda n: ThreadPoolExecutor(n), invoice_job=broken)
    try:
        assert (await pool.check_invoice(b"photo", product="MAG B650 TOMAHAWK WIFI")).findings == (
            "unchecked",
        )
        assert pool.gate.holding == 0
    finally:
        await pool.close()


def test_the_printed_serial_is_fitted_to_the_formats_and_never_replaces_a_barcode() -> None:
    reading = serial_from_lines(["S/N: BA3TO1946OOOV", "CHK: 1Z3"], DEFAULT_SERIAL_PATTERNS)
    assert (reading.serial, reading.source) == ("BA3T01946000V", TEXT)
    barcode = StickerReading("BA3T01946000V", BARCODE, None)
    text = StickerReading("BA3T01946000W", TEXT, "123")
    assert merge(barcode, text) == StickerReading("BA3T01946000V", BARCODE, "123")
    two = serial_from_lines(["S/N: BA3T01946000V", "S/N: BA3T01946111V"], DEFAULT_SERIAL_PATTERNS)
    assert two.serial is None and two.findings == ("several_serials",)


@pytest.mark.ocr
def test_a_scuffed_barcode_falls_back_to_the_printed_serial_and_chk() -> None:
    photo = photograph_sticker(
        printed_sticker("BA3T01946000V", chk="417", scuffed=True, chk_barcode=False), angle=3
    )
    reading = read_serial(photo, DEFAULT_SERIAL_PATTERNS)
    assert (reading.serial, reading.source, reading.chk) == ("BA3T01946000V", TEXT, "417")


def run_cli(argv: list[str], capsys: pytest.CaptureFixture[str]) -> dict:
    assert main(argv) == 0
    return json.loads(capsys.readouterr().out.strip().splitlines()[-1])


def test_check_invoice_prints_one_json_object(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pdf = tmp_path / "invoice.pdf"
    lines = [
        "Mindfactory AG",
        "Rechnung Nr. 4711-22",
        "Datum: 01.10.2026",
        "MSI MAG B650 TOMAHAWK WIFI 219,00",
    ]
    pdf.write_bytes(text_pdf(lines))
    clean = run_cli(["check", "invoice", str(pdf), *ARGS], capsys)
    assert clean == {
        "findings": [],
        "read": {
            "product": "MSI MAG B650 TOMAHAWK WIFI 219,00",
            "date": "2026-10-01",
            "store": "Mindfactory",
            "invoice_number": "4711-22",
        },
    }
    pdf.write_bytes(text_pdf(["Alternate GmbH", "MSI MAG X670E TOMAHAWK WIFI", "Datum 03.12.2026"]))
    bad = run_cli(["check", "invoice", str(pdf), *ARGS], capsys)
    codes = [f["code"] for f in bad["findings"]]
    assert codes == [
        "model_not_found",
        "date_differs",
        "date_outside_window",
        "store_not_found",
        "number_not_found",
    ]
    assert "MAG B650 TOMAHAWK WIFI or MS-7D75" in bad["findings"][0]["message"]
    assert all(f["message"] and "{" not in f["message"] for f in bad["findings"])
    assert set(bad["read"]) == {"product", "date", "store", "invoice_number"}


@pytest.mark.ocr
def test_check_serial_reports_the_text_source(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    photo = tmp_path / "sticker.jpg"
    photo.write_bytes(photograph_sticker(printed_sticker("BA3T01946000V", chk="417", scuffed=True)))
    result = run_cli(["check", "serial", str(photo), "--json"], capsys)
    assert (result["serial"], result["source"], result["chk"]) == ("BA3T01946000V", "text", "417")


def _no_network() -> list[str] | None:
    unshare = shutil.which("unshare")
    if unshare is None:
        return None
    probe = subprocess.run([unshare, "-rn", "true"], capture_output=True)
    return [unshare, "-rn"] if probe.returncode == 0 else None


@pytest.mark.ocr
def test_ocr_runs_with_no_network_at_all(tmp_path: Path) -> None:
    prefix = _no_network()
    if prefix is None:
        pytest.skip("unshare -rn is not available here")
    photo = tmp_path / "invoice.jpg"
    photo.write_bytes(photograph(render(INVOICE), side=1280))
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "HOME": str(tmp_path),
        "XDG_CACHE_HOME": str(tmp_path),
    }
    done = subprocess.run(
        [*prefix, sys.executable, "-m", "bot.cli", "check", "invoice", str(photo), *ARGS],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout.strip().splitlines()[-1])["findings"] == []
    assert not re.search(r"download", done.stderr, re.IGNORECASE)
