"""Attacks on "one physical product, one prize" that go around the registration check:
a re-typed serial on a rejected claim must not free a key that another claim of the same
product stands on. Both adapters (local and HTTP)."""

from __future__ import annotations

import datetime as dt

import pytest

from backend.port import (
    BackendError,
    ClaimFix,
    ClaimRequest,
    RejectReason,
    SerialAlreadyRegistered,
    SerialDisputed,
)
from tests.backend.conftest import product_data, recipient, sign_up_data

STICKER = "BO3T01946000V"


def _monitor(serial: str):
    return product_data(serial, category="Monitor", model="MAG 27CQ")


async def test_retyped_serial_cannot_free_the_key_of_a_product_with_a_prize(backend):
    """A product won "open"; its claim in "models" is rejected (sn_mismatch, the attacker's
    own doing) and re-typed to another serial. Were the product's key moved, the sticker's
    serial would be free for a second registration and a second "open" prize."""
    attacker, friend = await backend.sign_up(sign_up_data()), await backend.sign_up(sign_up_data())
    product = await backend.register_product(attacker.id, _monitor(STICKER))
    won = await backend.submit_claim(attacker.id, ClaimRequest("open", product.id, "sha256:sn", recipient()), "k1")
    won = await backend.approve(won.id, "anna")
    assert won.prize_code
    other = await backend.submit_claim(attacker.id, ClaimRequest("models", product.id, "sha256:sn", recipient()), "k2")
    await backend.reject(other.id, RejectReason.SN_MISMATCH, "", "anna")
    with pytest.raises(BackendError) as info:
        await backend.resubmit_claim(attacker.id, other.id, ClaimFix(serial="BA3T07777777V"), "again")
    assert info.value.key == "error.serial_locked"
    assert (await backend.get_product(attacker.id, product.id)).serial == STICKER
    with pytest.raises(SerialAlreadyRegistered):  # the sticker is still one registration
        await backend.register_product(friend.id, _monitor("B03T01946000V"))


async def test_retyped_serial_is_refused_while_another_claim_waits_or_may_come_back(backend):
    """Same with the other claim under review, or rejected (it may be resubmitted later
    under the old serial): the serial stays as long as another claim stands on it."""
    member = await backend.sign_up(sign_up_data())
    product = await backend.register_product(member.id, _monitor(STICKER))
    first = await backend.submit_claim(member.id, ClaimRequest("open", product.id, "sha256:sn", recipient()), "k1")
    other = await backend.submit_claim(member.id, ClaimRequest("models", product.id, "sha256:sn", recipient()), "k2")
    await backend.reject(other.id, RejectReason.SN_MISMATCH, "", "anna")
    for status in ("under_review", "rejected"):
        if status == "rejected":
            await backend.reject(first.id, RejectReason.INVOICE_UNREADABLE, "", "anna")
        with pytest.raises(BackendError) as info:
            await backend.resubmit_claim(member.id, other.id, ClaimFix(serial="BA3T07777777V"), f"again-{status}")
        assert info.value.key == "error.serial_locked"
    assert (await backend.get_product(member.id, product.id)).serial == STICKER


async def test_retyped_serial_on_the_products_only_claim_still_works(backend):
    member = await backend.sign_up(sign_up_data())
    product = await backend.register_product(member.id, _monitor(STICKER))
    claim = await backend.submit_claim(member.id, ClaimRequest("open", product.id, "sha256:sn", recipient()), "k1")
    await backend.reject(claim.id, RejectReason.SN_MISMATCH, "", "anna")
    fixed = await backend.resubmit_claim(member.id, claim.id, ClaimFix(serial="BA3T07777777V"), "again")
    assert fixed.serial == "BA3T07777777V"


# --------------------------------------------------------------------------- legacy rows
#: products registered before 0005 straight through the API, whose normaliser kept any
#: script: the same sticker with Cyrillic (В А Т З) and Greek (Β Α Τ Ο) look-alikes
LEGACY = [
    ("q1", "m1", "BA3T01946000V", 1),
    ("q2", "m2", "ВАЗТ01946000V", 5),
    ("q3", "m3", "ΒΑ3Τ0194600ΟV", 7),
]


async def _legacy_db(path, rows) -> str:
    from sqlalchemy import insert

    from storage import migrate
    from storage.backend_models import MemberRow, ProductRow
    from storage.db import make_engine
    from tests.backend.test_migration_serial_keys import _member, _product

    url = f"sqlite+aiosqlite:///{path}"
    await migrate.upgrade(url, "0004")
    engine = make_engine(url)
    async with engine.begin() as conn:
        await conn.execute(insert(MemberRow.__table__), [_member(m) for m in ("m1", "m2", "m3", "m4")])
        for pid, member, serial, minutes in rows:
            await conn.execute(ProductRow.__table__.insert().values(_product(pid, member, serial, minutes)))
    await engine.dispose()
    await migrate.upgrade(url)
    return url


async def _local(url):
    from backend.local import LocalBackend
    from storage.db import make_engine, make_sessionmaker
    from tests.backend.conftest import START, FakeClock, cheap_hasher
    from tests.backend.test_migration_serial_keys import _catalog

    engine = make_engine(url)
    return engine, LocalBackend(make_sessionmaker(engine), _catalog(), FakeClock(START), hasher=cheap_hasher())


async def test_migration_sees_lookalikes_from_other_scripts_in_old_rows(tmp_path):
    engine, backend = await _local(await _legacy_db(tmp_path / "old.db", LEGACY))
    try:
        conflicts = await backend.serial_conflicts()
        assert sorted((c.other_product_id, c.product_id) for c in conflicts) == [("q2", "q1"), ("q3", "q1")]
    finally:
        await backend.close()
        await engine.dispose()


async def test_old_lookalike_row_still_owns_its_sticker_after_migration(tmp_path):
    engine, backend = await _local(await _legacy_db(tmp_path / "old.db", [("q2", "m2", "ВАЗТ01946000V", 5)]))
    try:
        with pytest.raises(SerialAlreadyRegistered):
            await backend.register_product("m4", product_data("BA3T01946000V"))
    finally:
        await backend.close()
        await engine.dispose()


async def test_migration_gives_the_key_to_the_product_whose_prize_is_out(tmp_path):
    """Before 0005, m2 registered a second spelling and was paid; m1's earlier registration
    still has a claim waiting. Were the earliest registration the owner, approving m1's
    claim would be a second code for one sticker."""
    from sqlalchemy import insert, select

    from storage import migrate
    from storage.backend_models import ClaimRow, MemberRow, ProductRow, PromotionRow
    from storage.db import make_engine
    from tests.backend.test_migration_serial_keys import T0, _claim, _member, _product

    url = f"sqlite+aiosqlite:///{tmp_path / 'old.db'}"
    await migrate.upgrade(url, "0004")
    engine = make_engine(url)
    async with engine.begin() as conn:
        await conn.execute(insert(MemberRow.__table__),
                           [_member(m) for m in ("m1", "m2")])
        await conn.execute(ProductRow.__table__.insert().values(_product("p1", "m1", "BO3T01946000V", 1)))
        await conn.execute(ProductRow.__table__.insert().values(_product("p2", "m2", "B03T01946000V", 5)))
        d = dt.date(2025, 1, 1)
        await conn.execute(insert(PromotionRow.__table__).values(
            code="open", name="Open", categories=["Motherboard"], purchase_from=d, purchase_to=d,
            redeem_from=d, redeem_to=d, regions=[], models=[], per_member_limit=2, prize_kind="digital",
            updated_at=T0))
        await conn.execute(insert(ClaimRow.__table__).values(_claim("c-wait", "m1", "p1")))
        paid = _claim("c-paid", "m2", "p2") | {"status": "approved", "prize_code": "PAID-1"}
        await conn.execute(insert(ClaimRow.__table__).values(paid))
    await engine.dispose()
    await migrate.upgrade(url)
    engine, backend = await _local(url)
    try:
        async with engine.connect() as conn:
            owner = (await conn.execute(select(ProductRow.id).where(ProductRow.serial_key.is_not(None)))).scalars().all()
        assert owner == ["p2"]
        with pytest.raises(SerialDisputed):
            await backend.approve("c-wait", "anna")
    finally:
        await backend.close()
        await engine.dispose()


async def _paid_in_two_promotions(tmp_path, waiting: bool) -> str:
    """Before 0005: p1 (m1) won "open", p2 (m2, another spelling) won "models"; with
    ``waiting``, p1 also has a claim waiting in "models"."""
    from sqlalchemy import insert

    from storage import migrate
    from storage.backend_models import ClaimRow, MemberRow, ProductRow, PromotionRow
    from storage.db import make_engine
    from tests.backend.test_migration_serial_keys import T0, _claim, _member, _product

    url = f"sqlite+aiosqlite:///{tmp_path / 'old.db'}"
    await migrate.upgrade(url, "0004")
    engine = make_engine(url)
    d = dt.date(2025, 1, 1)
    monitor = {"category": "Monitor", "model": "MAG 27CQ"}
    async with engine.begin() as conn:
        await conn.execute(insert(MemberRow.__table__), [_member(m) for m in ("m1", "m2")])
        for code in ("open", "models"):
            await conn.execute(insert(PromotionRow.__table__).values(
                code=code, name=code, categories=["Monitor"], purchase_from=d, purchase_to=d, redeem_from=d,
                redeem_to=d, regions=[], models=[], per_member_limit=2, prize_kind="digital", updated_at=T0))
        await conn.execute(ProductRow.__table__.insert().values(_product("p1", "m1", "BO3T01946000V", 1) | monitor))
        await conn.execute(ProductRow.__table__.insert().values(_product("p2", "m2", "B03T01946000V", 5) | monitor))
        paid = {"status": "approved", "prize_code": "PAID"}
        claims = [_claim("c1", "m1", "p1") | paid | {"prize_code": "PAID-1"},
                  _claim("c2", "m2", "p2") | paid | {"promotion": "models", "prize_code": "PAID-2"}]
        if waiting:
            claims.append(_claim("c3", "m1", "p1") | {"promotion": "models"})
        await conn.execute(insert(ClaimRow.__table__), claims)
    await engine.dispose()
    await migrate.upgrade(url)
    return url


async def test_key_owner_cannot_win_a_promotion_its_duplicate_already_won(tmp_path):
    """One sticker, paid twice before 0005 ("open" to p1, "models" to p2): p1 keeps the key,
    but "models" is already won for that sticker, so p1 cannot claim it again."""
    from backend.port import NotEligible
    from tests.backend.conftest import START

    engine, backend = await _local(await _paid_in_two_promotions(tmp_path, waiting=False))
    try:
        await backend.start()
        reasons = await backend.why_not("m1", "p1", START.date())
        assert "why.already_claimed" in [r.key for r in reasons if r.params.get("promotion_code") == "models"]
        with pytest.raises(NotEligible):
            await backend.submit_claim("m1", ClaimRequest("models", "p1", "sha256:sn", recipient()), "k")
    finally:
        await backend.close()
        await engine.dispose()


async def test_key_owner_claim_waiting_in_a_promotion_its_duplicate_won_cannot_be_approved(tmp_path):
    engine, backend = await _local(await _paid_in_two_promotions(tmp_path, waiting=True))
    try:
        await backend.start()
        await backend.import_codes("models", ["MODELS-1"])
        stock = await backend.code_stock("models")
        with pytest.raises(SerialDisputed):
            await backend.approve("c3", "anna")
        assert await backend.code_stock("models") == stock
    finally:
        await backend.close()
        await engine.dispose()
