"""Issue 11 item 19: the guide's My Products shows a warranty period. The catalog may give
one per product category or model (``warranty_months``); the backend then gives each product
the last day of its warranty, counted from the purchase date, and None where it knows none."""

from __future__ import annotations

import copy
import datetime as dt
import json

import pytest

from backend.catalog import CatalogError, add_months, parse_catalog
from backend.port import Product
from tests.backend.conftest import TEST_CATALOG


def product(category: str = "Graphics Card", model: str = "V531-001R", bought: str = "2026-10-01"):
    return Product(
        id="p1",
        member_id="m1",
        category=category,
        product_name="GeForce RTX 5070 GAMING TRIO",
        model=model,
        serial="BA3T01946000V",
        chk="123",
        region="DE",
        store="Amazon.de",
        purchase_date=dt.date.fromisoformat(bought),
        channel="online",
        invoice="inv",
        registered_at=dt.datetime(2026, 11, 25, tzinfo=dt.UTC),
    )


def catalog(periods: object):
    raw = copy.deepcopy(TEST_CATALOG)
    raw["warranty_months"] = periods
    return parse_catalog(raw)


def test_the_category_period_counts_from_the_purchase_date() -> None:
    found = catalog({"graphics card": 36})  # names compared without case
    assert found.warranty_until(product()) == dt.date(2029, 9, 30)
    assert found.with_warranty(product()).warranty_until == dt.date(2029, 9, 30)


def test_a_model_period_wins_over_its_category() -> None:
    found = catalog({"Graphics Card": 36, "V531-001R": 24})
    assert found.warranty_until(product()) == dt.date(2028, 9, 30)
    assert found.warranty_until(product(model="V999")) == dt.date(2029, 9, 30)


def test_no_period_known_means_none() -> None:
    assert parse_catalog(copy.deepcopy(TEST_CATALOG)).warranty_until(product()) is None
    assert catalog({"Monitor": 36}).warranty_until(product()) is None
    assert catalog({"Monitor": 36}).with_warranty(product()).warranty_until is None


def test_months_end_on_the_last_day_a_month_has() -> None:
    assert add_months(dt.date(2026, 1, 31), 1) == dt.date(2026, 2, 28)
    assert add_months(dt.date(2027, 1, 31), 13) == dt.date(2028, 2, 29)
    assert add_months(dt.date(2026, 12, 15), 1) == dt.date(2027, 1, 15)
    # bought on 29 Feb: two years later the warranty ends on 27 Feb (28 Feb is the first day out)
    leap = catalog({"Graphics Card": 24}).warranty_until(product(bought="2028-02-29"))
    assert leap == dt.date(2030, 2, 27)


@pytest.mark.parametrize(
    ("periods", "message"),
    [
        ([36], "expected an object"),
        ({"Graphics Card": 0}, "1..240"),
        ({"Graphics Card": "36"}, "1..240"),
        ({"Graphics Card": True}, "1..240"),
        ({"Graphics Card": 2.5}, "1..240"),
        ({" ": 12}, "empty"),
    ],
)
def test_a_malformed_period_is_named_at_start(periods: object, message: str) -> None:
    with pytest.raises(CatalogError, match=message) as info:
        catalog(periods)
    assert "warranty_months" in str(info.value)


def test_the_http_api_carries_the_date_and_an_older_backend_without_it_means_none() -> None:
    from dataclasses import replace

    from backend.wire import from_wire, to_wire

    known = replace(product(), warranty_until=dt.date(2029, 9, 30))
    wire = json.loads(json.dumps(to_wire(known)))
    assert wire["warranty_until"] == "2029-09-30"
    assert from_wire(Product, wire) == known
    del wire["warranty_until"]  # a vendor backend that knows no warranty periods
    assert from_wire(Product, wire).warranty_until is None
