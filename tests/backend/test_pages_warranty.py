"""The paged reads give each product as ``list_products`` does: with the last day of its
warranty where the catalog knows the period (issue 11 item 19 met issue 9's pages)."""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

import pytest

from backend.catalog import Catalog, parse_catalog
from tests.backend.conftest import TEST_CATALOG, product_data, sign_up_data, signed_up

TODAY = dt.date(2025, 3, 1)


@pytest.fixture
def catalog() -> Catalog:
    raw = copy.deepcopy(TEST_CATALOG)
    raw["warranty_months"] = {"Motherboard": 36}
    return parse_catalog(raw, source="test")


async def test_pages_carry_the_warranty_as_the_whole_list_does(backend: Any) -> None:
    member = await signed_up(backend, sign_up_data())
    board = await backend.register_product(member.id, product_data())
    chair = await backend.register_product(member.id, product_data(category="Gaming Chair"))
    assert board.warranty_until == dt.date(2028, 2, 9)  # bought 10 Feb 2025, 36 months
    assert chair.warranty_until is None  # no period known for chairs
    whole = await backend.list_products(member.id)
    page = await backend.product_page(member.id, TODAY, 0, 10)
    assert page.products == whole
    assert {e.product for e in page.eligibility} == set(whole)
    offered = await backend.redeemable_products(member.id, "open", TODAY, 0, 10)
    assert offered.products == [board]
    one = await backend.redeemable_products(member.id, "open", TODAY, product_id=board.id)
    assert [e.product for e in one.eligibility] == [board]
