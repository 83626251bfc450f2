"""The paged reads (issue 9) say exactly what the whole-list calls say, a page at a time, on
both adapters; and a page never offers what the rules refuse (another member's product, a
claimed one, a disputed one, a promotion whose limit is reached)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from backend.port import ClaimRequest, Eligibility, NotFound, ProductPage
from storage.backend_models import ProductRow
from tests.backend.conftest import product_data, recipient, sign_up_data, signed_up

TODAY = dt.date(2025, 3, 1)


async def _claim(backend: Any, member_id: str, product_id: str, promotion: str = "open") -> None:
    request = ClaimRequest(promotion, product_id, "sha256:sn", recipient())
    await backend.submit_claim(member_id, request, f"k-{product_id}-{promotion}")


async def _mixed_member(backend: Any, env: Any) -> tuple[str, list[str]]:
    """A member whose products hit every rule: categories, models, regions (with other
    spellings), purchase dates, a claim, a disputed serial."""
    member = await signed_up(backend, sign_up_data())
    specs: list[dict[str, Any]] = [
        {},
        {"category": "Monitor", "model": "MAG 27CQ"},
        {"category": "Monitor", "model": "mag 27cq "},  # another spelling of the model
        {"category": "Monitor", "model": "MAG 32"},
        {"category": "Gaming Chair", "region": "germany"},
        {"category": "Gaming Chair", "region": "Spain"},
        {"category": "Laptop"},
        {"purchase_date": dt.date(2024, 12, 31)},
        {"purchase_date": dt.date(2025, 3, 1)},
        {},  # claimed below
        {},  # disputed below
        {"category": "Graphics Card"},
    ]
    ids = []
    for spec in specs:
        ids.append((await backend.register_product(member.id, product_data(**spec))).id)
        env.clock.advance(minutes=1)
    await _claim(backend, member.id, ids[9])
    async with env.sessionmaker() as s:
        (await s.get(ProductRow, ids[10])).serial_key = None
        await s.commit()
    return member.id, ids


def _key(e: Eligibility) -> tuple[str, str, tuple[Any, ...]]:
    return (e.promotion.code, e.product.id, tuple((r.key, str(r.params)) for r in e.reasons))


async def _all_redeemable(backend: Any, member_id: str, code: str, size: int) -> list[str]:
    ids: list[str] = []
    offset = 0
    while True:
        page: ProductPage = await backend.redeemable_products(member_id, code, TODAY, offset, size)
        ids += [p.id for p in page.products]
        assert all(e.ok and e.promotion.code == code for e in page.eligibility)
        if not page.products:
            return ids
        assert page.total == len(await _whole(backend, member_id, code))
        offset += size


async def _whole(backend: Any, member_id: str, code: str) -> list[str]:
    rows = await backend.eligibility(member_id, TODAY)
    return [e.product.id for e in rows if e.ok and e.promotion.code == code]


async def test_pages_say_what_the_whole_lists_say(backend, env) -> None:
    member_id, ids = await _mixed_member(backend, env)
    whole = await backend.eligibility(member_id, TODAY)
    for size in (1, 5, 100):
        seen: list[Eligibility] = []
        products = []
        for offset in range(0, len(ids) + size, size):
            page = await backend.product_page(member_id, TODAY, offset, size)
            assert page.total == len(ids)
            products += [p.id for p in page.products]
            seen += page.eligibility
        assert products == ids  # registration order, each once
        assert sorted(map(_key, seen)) == sorted(map(_key, whole))
    codes = list(dict.fromkeys(e.promotion.code for e in whole if e.ok))
    assert [p.code for p in await backend.redeemable_promotions(member_id, TODAY)] == codes
    for code in ("open", "chair", "models"):
        expected = await _whole(backend, member_id, code)
        assert expected  # every open promotion has something to offer here
        for size in (1, 3, 100):
            assert await _all_redeemable(backend, member_id, code, size) == expected
    # the claimed, the disputed, the other model and region, the dates: never offered
    for code in ("open", "chair", "models"):
        expected = set(await _whole(backend, member_id, code))
        for product_id in ids:
            one = await backend.redeemable_products(member_id, code, TODAY, product_id=product_id)
            assert [p.id for p in one.products] == ([product_id] if product_id in expected else [])
            assert one.total == (product_id in expected)
    offered = {i for c in ("open", "chair", "models") for i in await _whole(backend, member_id, c)}
    assert offered.isdisjoint({ids[5], ids[6], ids[7], ids[9], ids[10]})  # the rules' refusals


async def test_a_page_offers_nothing_the_rules_refuse(backend, env) -> None:
    member_id, ids = await _mixed_member(backend, env)
    thief = await signed_up(backend, sign_up_data())
    await backend.register_product(thief.id, product_data())
    # another member's product, asked for by id, by the thief
    for product_id in ids:
        page = await backend.redeemable_products(thief.id, "open", TODAY, product_id=product_id)
        assert page.products == [] and page.total == 0
    assert all(
        p.member_id == thief.id for p in (await backend.product_page(thief.id, TODAY)).products
    )
    # closed, future and unknown promotions offer nothing, whatever the product
    for code in ("closed", "future", "nope", "%"):
        page = await backend.redeemable_products(member_id, code, TODAY, product_id=ids[0])
        assert page.products == [] and page.total == 0
    # the chair promotion's limit (1) reached: nothing more offered for it
    (chair,) = await _whole(backend, member_id, "chair")
    await _claim(backend, member_id, chair, "chair")
    assert (await backend.redeemable_products(member_id, "chair", TODAY)).total == 0
    codes = [p.code for p in await backend.redeemable_promotions(member_id, TODAY)]
    assert "chair" not in codes and "open" in codes


async def test_claim_pages_newest_first(backend, env) -> None:
    member = await signed_up(backend, sign_up_data())
    claims = [
        ("open", {}),
        ("open", {}),
        ("models", {"category": "Monitor", "model": "MAG 27CQ"}),
        ("models", {"category": "Monitor", "model": "MAG 27CQ"}),
        ("chair", {"category": "Gaming Chair"}),
    ]  # every claim the promotions' limits allow one member
    for code, spec in claims:
        product = await backend.register_product(member.id, product_data(**spec))
        await _claim(backend, member.id, product.id, code)
        env.clock.advance(minutes=1)
    whole = [c.id for c in await backend.list_claims(member.id)]
    for size in (1, 3, 10):
        paged: list[str] = []
        for offset in range(0, len(claims) + size, size):
            page = await backend.claim_page(member.id, offset, size)
            assert page.total == len(claims)
            paged += [c.id for c in page.claims]
        assert paged == whole
    latest = (await backend.claim_page(member.id, 0, 1)).claims
    assert [c.id for c in latest] == whole[:1]
    other = await signed_up(backend, sign_up_data())
    assert (await backend.claim_page(other.id)).claims == []
    with pytest.raises(NotFound):
        await backend.claim_page("no-such-member")
    with pytest.raises(NotFound):
        await backend.product_page("no-such-member", TODAY)


async def test_one_products_page_is_that_products_rows_only(backend, env) -> None:
    """``product_page(product_id=...)`` (what the bot says after a registration): that
    product with the rows the whole list has for it; another member's product, or one that
    does not exist, is an empty page (nothing of it leaks)."""
    member_id, ids = await _mixed_member(backend, env)
    whole = await backend.eligibility(member_id, TODAY)
    for product_id in ids:
        page = await backend.product_page(member_id, TODAY, 0, 1, product_id=product_id)
        assert [p.id for p in page.products] == [product_id] and page.total == 1
        mine = [e for e in whole if e.product.id == product_id]
        assert sorted(map(_key, page.eligibility)) == sorted(map(_key, mine))
    thief = await signed_up(backend, sign_up_data())
    for product_id in (ids[0], "no-such-product", "%"):
        page = await backend.product_page(thief.id, TODAY, 0, 1, product_id=product_id)
        assert page.products == [] and page.eligibility == [] and page.total == 0
    with pytest.raises(NotFound):
        await backend.product_page("no-such-member", TODAY, product_id=ids[0])
