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
