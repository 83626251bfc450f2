"""Migration 0002 creates exactly the tables of storage.backend_models."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

import storage.backend_models  # noqa: F401
from storage.db import Base, make_engine

migrate = pytest.importorskip("storage.migrate")


def _ours(obj, name, type_, reflected, compare_to) -> bool:
    """Compare only the backend's tables (the bot tables have their own tests)."""
    table = name if type_ == "table" else getattr(getattr(obj, "table", None), "name", None)
    return table in storage.backend_models.BACKEND_TABLES


async def test_upgrade_matches_models(tmp_path):
    url = f"sqlite+aiosqlite:///{tmp_path / 'm.db'}"
    await migrate.upgrade(url)
    await migrate.upgrade(url)  # a second run is a no-op
    engine = make_engine(url)
    try:
        async with engine.connect() as conn:
            diff = await conn.run_sync(
                lambda c: compare_metadata(
                    MigrationContext.configure(
                        c, opts={"compare_type": True, "include_object": _ours}
                    ),
                    Base.metadata,
                )
            )
            revision = await conn.run_sync(
                lambda c: MigrationContext.configure(c).get_current_revision()
            )
    finally:
        await engine.dispose()
    assert diff == []
    assert revision == migrate.head_revision()


async def test_downgrade_to_0001_drops_backend_tables(tmp_path):
    from alembic import command
    from sqlalchemy import inspect

    url = f"sqlite+aiosqlite:///{tmp_path / 'd.db'}"
    await migrate.upgrade(url)
    engine = make_engine(url)
    try:
        async with engine.connect() as conn:

            def _down(sync_conn):
                cfg = migrate.alembic_config(url)
                cfg.attributes["connection"] = sync_conn
                command.downgrade(cfg, "0001")
                return set(inspect(sync_conn).get_table_names())

            tables = await conn.run_sync(_down)
            await conn.commit()
    finally:
        await engine.dispose()
    assert not tables & set(storage.backend_models.BACKEND_TABLES)
    assert "conversations" in tables


async def test_0007_fills_the_mailbox_and_reports_collisions_without_failing(tmp_path, capsys):
    """Existing jamie+0@ / jamie+1@ / j.amie@gmail members: the oldest keeps the mailbox,
    the later ones are kept outside the uniqueness and reported by id, never by address."""
    from sqlalchemy import text

    url = f"sqlite+aiosqlite:///{tmp_path / 'c.db'}"
    await migrate.upgrade(url, "0004")
    members = [
        ("m1", "jamie+0@example.com", "2025-01-01 10:00:00"),
        ("m2", "jamie+1@example.com", "2025-01-02 10:00:00"),
        ("m3", "j.amie.s@gmail.com", "2025-01-03 10:00:00"),
        ("m4", "jamies+x@googlemail.com", "2025-01-04 10:00:00"),
        ("m5", "other@example.com", "2025-01-05 10:00:00"),
    ]
    engine = make_engine(url)
    try:
        async with engine.begin() as conn:
            for member_id, email, created in members:
                await conn.execute(
                    text(
                        "INSERT INTO members (id, email, password_hash, first_name, last_name, region,"
                        " phone, newsletter, reward_program, created_at, failed_logins)"
                        " VALUES (:id, :email, 'x', 'J', '', '', '', 0, 0, :created, 0)"
                    ),
                    {"id": member_id, "email": email, "created": created},
                )
        await migrate.upgrade(url)
        async with engine.connect() as conn:
            rows = dict((await conn.execute(text("SELECT id, email_canonical FROM members"))).all())
            verified = (
                await conn.execute(
                    text("SELECT count(*) FROM members WHERE email_verified_at IS NULL")
                )
            ).scalar()
    finally:
        await engine.dispose()
    assert rows == {
        "m1": "jamie@example.com",
        "m2": None,
        "m3": "jamies@gmail.com",
        "m4": None,
        "m5": "other@example.com",
    }
    assert verified == 0  # existing members keep logging in
    report = capsys.readouterr().out
    assert "2 member(s)" in report and "m2" in report and "m4" in report
    assert "@" not in report


def test_the_head_read_from_the_files_is_alembics_head():
    """The cheap check at start-up (no Alembic) must name the head Alembic would."""
    assert migrate.shipped_head() == migrate.head_revision()


async def test_a_database_behind_the_head_is_still_upgraded(tmp_path):
    """The cheap check skips Alembic only at the head: from an older revision (and from an
    empty database) the upgrade runs."""
    url = f"sqlite+aiosqlite:///{tmp_path / 'b.db'}"
    await migrate.upgrade(url, "0004")
    assert await migrate.current_revision(url) == "0004"
    await migrate.upgrade(url)
    assert await migrate.current_revision(url) == migrate.head_revision()
    await migrate.upgrade(url)  # at the head: nothing to do, nothing changes
    assert await migrate.current_revision(url) == migrate.head_revision()
