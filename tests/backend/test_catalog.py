"""The promotion catalog file: the packaged one, and clear errors for broken ones."""

from __future__ import annotations

import copy
import datetime as dt
import json

import pytest

from backend.catalog import CatalogError, demo_codes, load_catalog, parse_catalog
from backend.port import NotFound, PrizeKind
from bot.config import PACKAGED_PROMOTIONS
from tests.backend.conftest import TEST_CATALOG

D = dt.date


def test_packaged_catalog_has_the_seed_promotions():
    catalog = load_catalog(PACKAGED_PROMOTIONS)
    gfu = next(p for p in catalog if p.name == "Go Forward and Upgrade")
    assert (gfu.purchase_from, gfu.purchase_to) == (D(2022, 4, 25), D(2022, 5, 31))
    assert gfu.categories == (
        "Motherboard",
        "Liquid Cooling",
        "Power Supply",
        "PC Case",
        "Gaming Chair",
    )
    passion = next(p for p in catalog if p.name == "Live in Everyday Passion")
    assert (passion.purchase_from, passion.purchase_to, passion.categories) == (
        D(2021, 7, 1),
        D(2021, 9, 30),
        ("Laptop",),
    )
    modern = next(p for p in catalog if p.name == "Back to Modern")
    assert (modern.purchase_from, modern.purchase_to, modern.categories) == (
        D(2021, 6, 17),
        D(2021, 7, 18),
        ("Monitor",),
    )
    for p in (gfu, passion, modern):
        assert p.per_member_limit == 2 and p.prize_kind is PrizeKind.DIGITAL


def test_packaged_catalog_has_open_promotions_for_years():
    catalog = load_catalog(PACKAGED_PROMOTIONS)
    today = dt.date.today()
    open_now = [p for p in catalog if p.redeem_from <= today <= p.redeem_to]
    kinds = {p.prize_kind for p in open_now}
    assert kinds == {PrizeKind.DIGITAL, PrizeKind.PHYSICAL}
    digital = next(p for p in open_now if p.prize_kind is PrizeKind.DIGITAL)
    assert {"Graphics Card", "Motherboard", "Monitor", "Laptop"} <= set(digital.categories)
    assert len(catalog.demo_codes[digital.code]) == 50
    assert catalog.product_categories  # the categories a product may be registered under


def test_demo_codes_are_deterministic_and_distinct():
    codes = demo_codes("levelup", "DEMO", 50)
    assert codes == demo_codes("levelup", "DEMO", 50)
    assert len(set(codes)) == 50
    assert all(len(c) == len("DEMO-XXXX-XXXX") and c.startswith("DEMO-") for c in codes)
    assert codes != demo_codes("other", "DEMO", 50)


def test_get_unknown_promotion():
    catalog = parse_catalog(TEST_CATALOG)
    assert catalog.get("open").name == "Open Upgrade"
    with pytest.raises(NotFound):
        catalog.get("nope")


def _broken(**change):
    data = copy.deepcopy(TEST_CATALOG)
    promo = data["promotions"][1]
    for key, value in change.items():
        if value is None:
            del promo[key]
        else:
            promo[key] = value
    return data


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"name": None}, "promotion #2 ('chair'): missing field(s) name"),
        ({"purchase_from": "2025-13-01"}, "purchase_from: expected a date YYYY-MM-DD"),
        ({"purchase_to": "2020-01-01"}, "purchase_to 2020-01-01 is before purchase_from"),
        ({"redeem_to": "2020-01-01"}, "redeem_to 2020-01-01 is before redeem_from"),
        ({"prize_kind": "voucher"}, "prize_kind must be one of digital, physical"),
        ({"categories": []}, "categories: must not be empty"),
        ({"per_member_limit": 0}, "per_member_limit must be a whole number >= 1"),
        ({"code": "Chair Deal"}, "code must be a short lower-case slug"),
        ({"colour": "red"}, "unknown field(s) colour"),
        ({"demo_codes": {"count": 3}}, "demo_codes only make sense for a digital prize"),
        ({"code": "open"}, "duplicate code 'open'"),
    ],
)
def test_broken_catalog_errors_name_the_problem(change, message):
    with pytest.raises(CatalogError) as info:
        parse_catalog(_broken(**change), source="promos.json")
    assert message in str(info.value)
    assert str(info.value).startswith("promos.json: ")


def test_load_catalog_file_errors(tmp_path):
    with pytest.raises(CatalogError, match="not found"):
        load_catalog(tmp_path / "missing.json")
    bad = tmp_path / "bad.json"
    bad.write_text("{", encoding="utf-8")
    with pytest.raises(CatalogError, match="not valid JSON"):
        load_catalog(bad)
    bad.write_text(json.dumps({"promotions": {}}), encoding="utf-8")
    with pytest.raises(CatalogError, match="'promotions' list"):
        load_catalog(bad)
