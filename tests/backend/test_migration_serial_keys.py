"""Migration 0005 on a database that already holds one sticker registered several times:
it never fails, the first registration keeps the key, the others are reported to staff and
cannot be redeemed again."""

from __future__ import annotations

import importlib
import logging
from pathlib import Path

import pytest
from alembic import command
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import insert, inspect, select

from backend.local import LocalBackend
from backend.port import (
    ClaimRequest,
    NotEligible,
    RejectReason,
    SerialAlreadyRegistered,
    SerialDisputed,
    serial_key,
)
from storage import migrate
from storage.backend_models import ClaimRow, MemberRow, ProductRow
from storage.db import make_engine, make_sessionmaker
from tests.backend.conftest import (
    START,
    FakeClock,
    cheap_hasher,
    product_data,
    recipient,
    signed_up,
)
from tests.backend.old_rows import old_claim, old_member, old_product, parsed_catalog

MIGRATION = importlib.import_module("storage.migrations.versions.0005_serial_keys")


@given(st.text(max_size=40))
def test_frozen_fold_equals_the_live_key(text):
    assert MIGRATION.serial_key(text) == serial_key(text)


#: (product id, member, serial, minutes after T0): p1/p2/p3 are one sticker, spelt three
#: ways; the later p2 was inserted first (order must come from registered_at, not rowid)
ROWS = [
    ("p2", "m2", "B03T01946000V", 5),
    ("p1", "m1", "BO3T01946000V", 1),
    ("p3", "m1", "BO3TO1946000V", 9),  # the owner again, another spelling
    ("p4", "m3", "K2203N0123456", 2),  # unrelated
]


async def _at_0004_with_collisions(path: Path) -> str:
    url = f"sqlite+aiosqlite:///{path}"
    await migrate.upgrade(url, "0004")
    engine = make_engine(url)
    products = ProductRow.__table__
    async with engine.begin() as conn:
        await conn.execute(insert(MemberRow.__table__), [old_member(m) for m in ("m1", "m2", "m3")])
        for pid, member, serial, minutes in ROWS:  # the 0004 table has no serial_key column
            await conn.execute(products.insert().values(old_product(pid, member, serial, minutes)))
    await engine.dispose()
    return url


async def test_upgrade_with_colliding_serials_keeps_the_first_and_reports_the_rest(
    tmp_path, caplog
):
    url = await _at_0004_with_collisions(tmp_path / "old.db")
    with caplog.at_level(logging.DEBUG):
        await migrate.upgrade(url)
    assert await migrate.current_revision(url) == migrate.head_revision()
    ours = [r for r in caplog.records if not r.name.startswith(("aiosqlite", "sqlalchemy"))]
    for record in ours:  # a count only: no serials or members in the logs
        for secret in ("BO3T", "B03T", "m1", "m2", "p1", "p2"):
            assert secret not in record.getMessage()
    assert any("2 product(s)" in r.getMessage() for r in ours)

    engine = make_engine(url)
    backend = LocalBackend(
        make_sessionmaker(engine), parsed_catalog(), FakeClock(START), hasher=cheap_hasher()
    )
    try:
        async with engine.connect() as conn:
            keys = dict((await conn.execute(select(ProductRow.id, ProductRow.serial_key))).all())
            unique = await conn.run_sync(
                lambda c: {i["name"]: i["unique"] for i in inspect(c).get_indexes("products")}
            )
        assert keys == {
            "p1": serial_key("BO3T01946000V"),
            "p2": None,
            "p3": None,
            "p4": serial_key("K2203N0123456"),
        }
        assert unique["ux_products_serial_key"]
        conflicts = await backend.serial_conflicts()
        assert sorted(
            (c.origin, c.other_product_id, c.member_id, c.owner_member_id, c.product_id, c.serial)
            for c in conflicts
        ) == [
            ("migration", "p2", "m2", "m1", "p1", "B03T01946000V"),
            ("migration", "p3", "m1", "m1", "p1", "BO3TO1946000V"),
        ]
        await _duplicates_cannot_be_redeemed(backend)
        await _claims_already_waiting_on_duplicates_cannot_be_approved(backend, engine)
    finally:
        await backend.close()
        await engine.dispose()


async def _duplicates_cannot_be_redeemed(backend: LocalBackend) -> None:
    await backend.start()
    today = START.date()
    owner_ok = [e for e in await backend.eligibility("m1", today) if e.product.id == "p1" and e.ok]
    assert owner_ok, "the first registration is redeemable as before"
    for member, product in (("m2", "p2"), ("m1", "p3")):
        assert all(
            not e.ok for e in await backend.eligibility(member, today) if e.product.id == product
        )
        assert "why.serial_disputed" in [
            r.key for r in await backend.why_not(member, product, today)
        ]
        with pytest.raises(NotEligible) as info:
            await backend.submit_claim(
                member, ClaimRequest("open", product, "sha256:sn", recipient()), "k"
            )
        assert "why.serial_disputed" in str(info.value.params)
    member = await signed_up(backend)  # and nobody can register a fourth spelling
    with pytest.raises(SerialAlreadyRegistered):
        await backend.register_product(member.id, product_data("B03TO1946000V"))


async def _claims_already_waiting_on_duplicates_cannot_be_approved(
    backend: LocalBackend, engine
) -> None:
    """A claim on the later duplicate submitted before the migration: staff cannot approve it
    (no second code for one sticker), only reject it; the owner's claim goes through."""
    async with engine.begin() as conn:
        for claim_id, member, product in (("c-dup", "m2", "p2"), ("c-own", "m1", "p1")):
            await conn.execute(
                insert(ClaimRow.__table__).values(old_claim(claim_id, member, product))
            )
    stock = await backend.code_stock("open")
    with pytest.raises(SerialDisputed) as info:
        await backend.approve("c-dup", "anna")
    assert info.value.params == {"claim": "c-dup"}
    assert await backend.code_stock("open") == stock
    assert (
        await backend.reject("c-dup", RejectReason.OTHER, "duplicate serial", "anna")
    ).status.value == "rejected"
    assert (await backend.approve("c-own", "anna")).prize_code
    assert await backend.code_stock("open") == stock - 1


async def test_upgrade_without_collisions_reports_nothing(tmp_path):
    url = f"sqlite+aiosqlite:///{tmp_path / 'clean.db'}"
    await migrate.upgrade(url, "0004")
    engine = make_engine(url)
    async with engine.begin() as conn:
        await conn.execute(insert(MemberRow.__table__), [old_member("m1")])
        await conn.execute(
            ProductRow.__table__.insert().values(old_product("p1", "m1", "BA3T01946000V", 0))
        )
    await engine.dispose()
    await migrate.upgrade(url)
    engine = make_engine(url)
    async with engine.connect() as conn:
        assert (await conn.execute(select(ProductRow.serial_key))).scalars().all() == [
            "8A3T01946000V"
        ]
        assert (await conn.execute(select(ClaimRow.id))).all() == []
        assert (await conn.exec_driver_sql("SELECT count(*) FROM serial_conflicts")).scalar() == 0
    await engine.dispose()


async def test_downgrade_to_0004_and_back(tmp_path):
    url = await _at_0004_with_collisions(tmp_path / "d.db")
    await migrate.upgrade(url)
    engine = make_engine(url)
    try:
        async with engine.connect() as conn:

            def down(sync_conn):
                cfg = migrate.alembic_config(url)
                cfg.attributes["connection"] = sync_conn
                command.downgrade(cfg, "0004")
                return [c["name"] for c in inspect(sync_conn).get_columns("products")]

            columns = await conn.run_sync(down)
            await conn.commit()
    finally:
        await engine.dispose()
    assert "serial_key" not in columns
    await migrate.upgrade(url)  # and up again: the same collisions, reported again, no failure
    assert await migrate.current_revision(url) == migrate.head_revision()
