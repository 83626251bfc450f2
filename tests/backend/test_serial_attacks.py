"""Attacks on "one physical product, one prize" that go around the registration check: a
re-typed serial on a rejected claim must not free a key another claim of the product stands
on (both adapters); rows registered before migration 0005 (look-alikes from other scripts,
a duplicate already paid) must not bring a second prize after it."""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncEngine

from backend.local import LocalBackend
from backend.port import (
    BackendError,
    ClaimFix,
    ClaimRequest,
    NotEligible,
    RejectReason,
    SerialAlreadyRegistered,
    SerialDisputed,
)
from storage import migrate
from storage.backend_models import ClaimRow, MemberRow, ProductRow, PromotionRow
from storage.db import make_engine, make_sessionmaker
from tests.backend.conftest import (
    START,
    FakeClock,
    cheap_hasher,
    product_data,
    recipient,
    signed_up,
)
from tests.backend.old_rows import T0, old_claim, old_member, old_product, parsed_catalog

STICKER = "BO3T01946000V"


def _monitor(serial: str):
    return product_data(serial, category="Monitor", model="MAG 27CQ")


async def test_retyped_serial_cannot_free_the_key_of_a_product_with_a_prize(backend):
    """A product won "open"; its claim in "models" is rejected (sn_mismatch, the attacker's
    own doing) and re-typed to another serial. Were the product's key moved, the sticker's
    serial would be free for a second registration and a second "open" prize."""
    attacker, friend = await signed_up(backend), await signed_up(backend)
    product = await backend.register_product(attacker.id, _monitor(STICKER))
    won = await backend.submit_claim(
        attacker.id, ClaimRequest("open", product.id, "sha256:sn", recipient()), "k1"
    )
    won = await backend.approve(won.id, "anna")
    assert won.prize_code
    other = await backend.submit_claim(
        attacker.id, ClaimRequest("models", product.id, "sha256:sn", recipient()), "k2"
    )
    await backend.reject(other.id, RejectReason.SN_MISMATCH, "", "anna")
    with pytest.raises(BackendError) as info:
        await backend.resubmit_claim(
            attacker.id, other.id, ClaimFix(serial="BA3T07777777V"), "again"
        )
    assert info.value.key == "error.serial_locked"
    assert (await backend.get_product(attacker.id, product.id)).serial == STICKER
    with pytest.raises(SerialAlreadyRegistered):  # the sticker is still one registration
        await backend.register_product(friend.id, _monitor("B03T01946000V"))


async def test_retyped_serial_is_refused_while_another_claim_waits_or_may_come_back(backend):
    """Same with the other claim under review, or rejected (it may be resubmitted later
    under the old serial): the serial stays as long as another claim stands on it."""
    member = await signed_up(backend)
    product = await backend.register_product(member.id, _monitor(STICKER))
    first = await backend.submit_claim(
        member.id, ClaimRequest("open", product.id, "sha256:sn", recipient()), "k1"
    )
    other = await backend.submit_claim(
        member.id, ClaimRequest("models", product.id, "sha256:sn", recipient()), "k2"
    )
    await backend.reject(other.id, RejectReason.SN_MISMATCH, "", "anna")
    for status in ("under_review", "rejected"):
        if status == "rejected":
            await backend.reject(first.id, RejectReason.INVOICE_UNREADABLE, "", "anna")
        with pytest.raises(BackendError) as info:
            await backend.resubmit_claim(
                member.id, other.id, ClaimFix(serial="BA3T07777777V"), f"again-{status}"
            )
        assert info.value.key == "error.serial_locked"
    assert (await backend.get_product(member.id, product.id)).serial == STICKER


async def test_retyped_serial_on_the_products_only_claim_still_works(backend):
    member = await signed_up(backend)
    product = await backend.register_product(member.id, _monitor(STICKER))
    claim = await backend.submit_claim(
        member.id, ClaimRequest("open", product.id, "sha256:sn", recipient()), "k1"
    )
    await backend.reject(claim.id, RejectReason.SN_MISMATCH, "", "anna")
    fixed = await backend.resubmit_claim(
        member.id, claim.id, ClaimFix(serial="BA3T07777777V"), "again"
    )
    assert fixed.serial == "BA3T07777777V"


# --------------------------------------------------------------------------- legacy rows
#: products registered before 0005 straight through the API, whose normaliser kept any
#: script: the same sticker with Cyrillic (В А Т З) and Greek (Β Α Τ Ο) look-alikes
# --------------------------------------------------------------------------- old rows
# Products registered before migration 0005, straight into a 0004 database, then upgraded.

#: (product id, member, serial, minutes after T0): the same sticker with Cyrillic (В А З Т)
#: and Greek (Β Α Τ Ο) look-alikes, which the API's old normaliser kept
LOOKALIKES = [
    ("q1", "m1", "BA3T01946000V", 1),
    ("q2", "m2", "ВАЗТ01946000V", 5),
    ("q3", "m3", "ΒΑ3Τ0194600ΟV", 7),
]
MONITOR = {"category": "Monitor", "model": "MAG 27CQ"}
PAID = {"status": "approved", "prize_code": "PAID"}


def _promotion(code: str) -> dict:
    day = dt.date(2025, 1, 1)
    return {
        "code": code,
        "name": code,
        "categories": ["Monitor"],
        "purchase_from": day,
        "purchase_to": day,
        "redeem_from": day,
        "redeem_to": day,
        "regions": [],
        "models": [],
        "per_member_limit": 2,
        "prize_kind": "digital",
        "updated_at": T0,
    }


async def _upgraded(path: Path, products: list[tuple], claims: list[dict] = (), **product) -> str:
    """A 0004 database holding ``products`` (and ``claims``), upgraded to head."""
    url = f"sqlite+aiosqlite:///{path}"
    await migrate.upgrade(url, "0004")
    engine = make_engine(url)
    members = sorted({member for _, member, _, _ in products} | {"m4"})
    async with engine.begin() as conn:
        await conn.execute(insert(MemberRow.__table__), [old_member(m) for m in members])
        await conn.execute(
            insert(PromotionRow.__table__), [_promotion(c) for c in ("open", "models")]
        )
        for pid, member, serial, minutes in products:
            await conn.execute(
                insert(ProductRow.__table__).values(
                    old_product(pid, member, serial, minutes) | product
                )
            )
        if claims:
            await conn.execute(insert(ClaimRow.__table__), list(claims))
    await engine.dispose()
    await migrate.upgrade(url)
    return url


@contextlib.asynccontextmanager
async def _backend(url: str) -> AsyncIterator[tuple[AsyncEngine, LocalBackend]]:
    engine = make_engine(url)
    backend = LocalBackend(
        make_sessionmaker(engine), parsed_catalog(), FakeClock(START), hasher=cheap_hasher()
    )
    await backend.start()
    try:
        yield engine, backend
    finally:
        await backend.close()
        await engine.dispose()


async def test_migration_sees_lookalikes_from_other_scripts_in_old_rows(tmp_path):
    async with _backend(await _upgraded(tmp_path / "old.db", LOOKALIKES)) as (_, backend):
        conflicts = await backend.serial_conflicts()
    assert sorted((c.other_product_id, c.product_id) for c in conflicts) == [
        ("q2", "q1"),
        ("q3", "q1"),
    ]


async def test_old_lookalike_row_still_owns_its_sticker_after_migration(tmp_path):
    async with _backend(await _upgraded(tmp_path / "old.db", LOOKALIKES[1:2])) as (_, backend):
        with pytest.raises(SerialAlreadyRegistered):
            await backend.register_product("m4", product_data("BA3T01946000V"))


async def test_migration_gives_the_key_to_the_product_whose_prize_is_out(tmp_path):
    """Before 0005, m2 registered a second spelling and was paid; m1's earlier registration
    still has a claim waiting. Were the earliest registration the owner, approving m1's
    claim would be a second code for one sticker."""
    products = [("p1", "m1", "BO3T01946000V", 1), ("p2", "m2", "B03T01946000V", 5)]
    claims = [old_claim("c-wait", "m1", "p1"), old_claim("c-paid", "m2", "p2") | PAID]
    async with _backend(await _upgraded(tmp_path / "old.db", products, claims)) as (
        engine,
        backend,
    ):
        async with engine.connect() as conn:
            owners = (
                await conn.execute(select(ProductRow.id).where(ProductRow.serial_key.is_not(None)))
            ).scalars()
            assert owners.all() == ["p2"]
        with pytest.raises(SerialDisputed):
            await backend.approve("c-wait", "anna")


async def _paid_in_two_promotions(path: Path, *waiting: dict) -> str:
    """Before 0005: p1 (m1) won "open", p2 (m2, another spelling) won "models"."""
    products = [("p1", "m1", "BO3T01946000V", 1), ("p2", "m2", "B03T01946000V", 5)]
    claims = [
        old_claim("c1", "m1", "p1") | PAID | {"prize_code": "PAID-1"},
        old_claim("c2", "m2", "p2") | PAID | {"promotion": "models", "prize_code": "PAID-2"},
        *waiting,
    ]
    return await _upgraded(path, products, claims, **MONITOR)


async def test_key_owner_cannot_win_a_promotion_its_duplicate_already_won(tmp_path):
    """One sticker, paid twice before 0005 ("open" to p1, "models" to p2): p1 keeps the key,
    but "models" is already won for that sticker, so p1 cannot claim it again."""
    async with _backend(await _paid_in_two_promotions(tmp_path / "old.db")) as (_, backend):
        reasons = await backend.why_not("m1", "p1", START.date())
        assert "why.already_claimed" in [
            r.key for r in reasons if r.params.get("promotion_code") == "models"
        ]
        with pytest.raises(NotEligible):
            await backend.submit_claim(
                "m1", ClaimRequest("models", "p1", "sha256:sn", recipient()), "k"
            )


async def test_key_owner_claim_waiting_in_a_promotion_its_duplicate_won_cannot_be_approved(
    tmp_path,
):
    waiting = old_claim("c3", "m1", "p1") | {"promotion": "models"}
    async with _backend(await _paid_in_two_promotions(tmp_path / "old.db", waiting)) as (
        _,
        backend,
    ):
        await backend.import_codes("models", ["MODELS-1"])
        with pytest.raises(SerialDisputed):
            await backend.approve("c3", "anna")
        assert await backend.code_stock("models") == 1
