"""Eligibility: which promotion x product pairs are redeemable, and why not."""

from __future__ import annotations

import datetime as dt

import pytest

from backend.port import Eligibility, Ineligibility, LimitReached, NotEligible
from tests.backend.conftest import product_data, recipient, sign_up_data, signed_up

TODAY = dt.date(2025, 3, 1)


def _by(result: list[Eligibility], promotion: str, product_id: str) -> Eligibility:
    return next(e for e in result if e.promotion.code == promotion and e.product.id == product_id)


def _keys(reasons) -> list[str]:
    return [r.key for r in reasons]


async def _claim(backend, member_id, product_id, promotion="open", key=None):
    from backend.port import ClaimRequest

    request = ClaimRequest(promotion, product_id, "sha256:snphoto", recipient())
    return await backend.submit_claim(member_id, request, key or f"k-{product_id}-{promotion}")


async def test_open_promotions_times_products(backend):
    member = await signed_up(backend, sign_up_data())
    board = await backend.register_product(member.id, product_data())
    chair = await backend.register_product(member.id, product_data(category="Gaming Chair"))
    result = await backend.eligibility(member.id, TODAY)
    # "closed" (ended 2024) and "future" (opens 2025-06) are left out
    assert {e.promotion.code for e in result} == {"open", "chair", "models"}
    assert len(result) == 6
    assert _by(result, "open", board.id).ok
    assert _by(result, "chair", chair.id).ok
    reasons = _by(result, "open", chair.id).reasons
    assert reasons == (
        Ineligibility(
            "why.category",
            {
                "promotion": "Open Upgrade",
                "promotion_code": "open",
                "category": "Gaming Chair",
                "categories": "Motherboard, Graphics Card, Monitor",
            },
        ),
    )


async def test_purchase_window_before_and_after(backend):
    member = await signed_up(backend, sign_up_data())
    early = await backend.register_product(
        member.id, product_data(purchase_date=dt.date(2024, 12, 31))
    )
    result = await backend.eligibility(member.id, TODAY)
    (reason,) = _by(result, "open", early.id).reasons
    assert reason.key == "why.purchase_before"
    assert reason.params | {} == {
        "promotion": "Open Upgrade",
        "promotion_code": "open",
        "date": "2024-12-31",
        "start": "2025-01-01",
        "end": "2025-12-31",
    }
    # bought after a window closed: "closed" ran 2024-01-01..2024-06-30
    late = await backend.register_product(
        member.id, product_data(purchase_date=dt.date(2025, 1, 5))
    )
    reasons = await backend.why_not(member.id, late.id, TODAY)
    closed = [r for r in reasons if r.params["promotion_code"] == "closed"]
    assert _keys(closed) == ["why.redeem_closed", "why.purchase_after"]
    assert closed[0].params["end"] == "2024-07-31"
    assert closed[1].params["date"] == "2025-01-05"


async def test_region_and_model(backend):
    member = await signed_up(backend, sign_up_data())
    chair = await backend.register_product(
        member.id, product_data(category="Gaming Chair", region="Spain")
    )
    screen = await backend.register_product(
        member.id, product_data(category="Monitor", model="MAG 32UP")
    )
    result = await backend.eligibility(member.id, TODAY)
    (region,) = _by(result, "chair", chair.id).reasons
    assert region.key == "why.region"
    assert region.params["region"] == "Spain"
    assert region.params["regions"] == "Germany, France"
    (model,) = _by(result, "models", screen.id).reasons
    assert model.key == "why.model"
    assert model.params["model"] == "MAG 32UP"
    ok = await backend.register_product(
        member.id, product_data(category="Monitor", model="mag 27cq")
    )
    assert _by(await backend.eligibility(member.id, TODAY), "models", ok.id).ok


async def test_why_not_covers_every_promotion(backend):
    member = await signed_up(backend, sign_up_data())
    laptop = await backend.register_product(member.id, product_data(category="Laptop"))
    reasons = await backend.why_not(member.id, laptop.id, TODAY)
    by_promo = {}
    for r in reasons:
        by_promo.setdefault(r.params["promotion_code"], []).append(r.key)
    assert by_promo == {
        "open": ["why.category"],
        "chair": ["why.category"],
        "models": ["why.category"],
        "closed": ["why.redeem_closed", "why.category", "why.purchase_after"],
        "future": ["why.redeem_not_open", "why.category"],
    }
    assert (
        next(r for r in reasons if r.key == "why.redeem_not_open").params["start"] == "2025-06-01"
    )


async def test_limit_two_per_member_and_already_claimed(backend):
    member = await signed_up(backend, sign_up_data())
    products = [await backend.register_product(member.id, product_data()) for _ in range(3)]
    await _claim(backend, member.id, products[0].id)
    result = await backend.eligibility(member.id, TODAY)
    assert _keys(_by(result, "open", products[0].id).reasons) == ["why.already_claimed"]
    assert _by(result, "open", products[1].id).ok
    await _claim(backend, member.id, products[1].id)
    result = await backend.eligibility(member.id, TODAY)
    (limit,) = _by(result, "open", products[2].id).reasons
    assert (limit.key, limit.params["limit"]) == ("why.limit", 2)
    with pytest.raises(LimitReached) as info:
        await _claim(backend, member.id, products[2].id)
    assert info.value.params == {"limit": 2, "promotion": "Open Upgrade"}
    # the limit is per member: someone else may still claim
    other = await signed_up(backend, sign_up_data())
    theirs = await backend.register_product(other.id, product_data())
    assert _by(await backend.eligibility(other.id, TODAY), "open", theirs.id).ok


async def test_submit_refuses_ineligible(backend):
    member = await signed_up(backend, sign_up_data())
    chair = await backend.register_product(member.id, product_data(category="Gaming Chair"))
    with pytest.raises(NotEligible) as info:
        await _claim(backend, member.id, chair.id, "open")
    assert info.value.params["promotion"] == "Open Upgrade"
    assert [r["key"] for r in info.value.params["reasons"]] == ["why.category"]
    board = await backend.register_product(member.id, product_data())
    await _claim(backend, member.id, board.id, "open", key="first")
    with pytest.raises(NotEligible) as info:
        await _claim(backend, member.id, board.id, "open", key="second")
    assert [r["key"] for r in info.value.params["reasons"]] == ["why.already_claimed"]
    with pytest.raises(NotEligible) as info:  # redeem window closed
        await _claim(backend, member.id, board.id, "closed")
    assert "why.redeem_closed" in [r["key"] for r in info.value.params["reasons"]]
