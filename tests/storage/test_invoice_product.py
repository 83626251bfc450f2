"""The product the invoice shows, among the promotion catalog's models (issue 12):
``storage.invoice_text.catalog_model`` by the product rule (the digits of every model token
exactly), ``analyse`` filling ``read.product`` with it when the registered product is not on
the invoice, and ``redeem-bot check invoice --json`` doing the same with the catalog's models."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from bot.cli import main
from bot.config import PACKAGED_PROMOTIONS
from storage.invoice_text import Expected, analyse, catalog_model
from tests.invoices import text_pdf

CATALOG = ("MAG B650 TOMAHAWK WIFI", "MAG B650 TOMAHAWK", "MS-7D75", "PRO B760M-A WIFI")
HEAD = ["Mindfactory AG", "Rechnung Nr. 4711-22", "Datum: 01.10.2026"]


@pytest.mark.parametrize(
    ("line", "model"),
    [
        ("1 x MSI MAG B650 TOMAHAWK WIFI 219,00", "MAG B650 TOMAHAWK WIFI"),  # the longest
        ("1 x MSI MAG 8650 TOMAHAWK WIFI 219,00", "MAG B650 TOMAHAWK WIFI"),  # OCR's 8 for B
        ("Mainboard MS-7D75 219,00", "MS-7D75"),
        ("1 x MSI PRO B760M-A WIFI 149,00", "PRO B760M-A WIFI"),
    ],
)
def test_the_catalog_model_on_the_invoice_is_read(line: str, model: str) -> None:
    assert catalog_model([*HEAD, line], CATALOG) == model


@pytest.mark.parametrize(
    "line",
    [
        "1 x MSI MAG X670E TOMAHAWK WIFI 319,00",  # B650 never passes for X670E
        "1 x MSI MAG B650M MORTAR WIFI 189,00",  # nor for B650M
        "1 x MSI PRO B760M-P DDR4 129,00",  # B760M-A is not B760M-P
        "1 x ASUS TUF GAMING B650-PLUS WIFI 199,00",  # another brand's board
        "Mainboard MS-7D76 219,00",  # another model number
    ],
)
def test_a_similar_model_is_never_read_as_a_catalog_one(line: str) -> None:
    assert catalog_model([*HEAD, line], CATALOG) is None


def test_analyse_reads_the_catalog_model_when_the_registered_one_is_missing() -> None:
    lines = [*HEAD, "1 x MSI PRO B760M-A WIFI 149,00"]
    registered = Expected("MAG B650 TOMAHAWK WIFI", "MS-7D75", catalog=CATALOG)
    result = analyse(lines, registered)
    assert "model_not_found" in result.findings
    assert result.read["product"] == "PRO B760M-A WIFI"
    # the registered one on the invoice: its line, as before (the catalog is not needed)
    found = analyse([*HEAD, "1 x MSI MAG B650 TOMAHAWK WIFI 219,00"], registered)
    assert "model_not_found" not in found.findings
    assert found.read["product"] == "1 x MSI MAG B650 TOMAHAWK WIFI 219,00"
    # no catalog: nothing read, as before
    assert analyse(lines, Expected("MAG B650 TOMAHAWK WIFI", "MS-7D75")).read["product"] is None


def catalog_with_models(tmp_path: Path, models: list[str]) -> Path:
    raw = json.loads(PACKAGED_PROMOTIONS.read_text(encoding="utf-8"))
    raw["promotions"][0]["models"] = models
    path = tmp_path / "promotions.json"
    path.write_text(json.dumps(raw), encoding="utf-8")
    return path


def test_check_invoice_fills_read_product_from_the_catalog(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("LOG_LEVEL", "WARNING")
    pdf = tmp_path / "invoice.pdf"
    pdf.write_bytes(text_pdf([*HEAD, "1 x MSI PRO B760M-A WIFI 149,00"]))
    argv = ["check", "invoice", str(pdf), "--json", "--date", dt.date(2026, 10, 1).isoformat()]

    def run(*extra: str) -> dict:
        assert main([*argv, *extra]) == 0
        return json.loads(capsys.readouterr().out.strip().splitlines()[-1])

    monkeypatch.setenv("PROMOTIONS_FILE", str(catalog_with_models(tmp_path, list(CATALOG))))
    alone = run()  # no product given: the catalog's model on it is read
    assert alone["read"]["product"] == "PRO B760M-A WIFI"
    assert alone["findings"] == []
    other = run("--product", "MAG B650 TOMAHAWK WIFI", "--model", "MS-7D75")
    assert [f["code"] for f in other["findings"]] == ["model_not_found"]
    assert other["read"]["product"] == "PRO B760M-A WIFI"  # what the invoice shows instead
    monkeypatch.setenv("PROMOTIONS_FILE", str(catalog_with_models(tmp_path, ["PRO B760M-P DDR4"])))
    assert run()["read"]["product"] is None  # a similar model is not read as it
