"""Alembic environment for redeem-bot (no alembic.ini: see ``storage.migrate``).

Normally ``storage.migrate.upgrade`` hands a live connection in
``config.attributes["connection"]``; otherwise (the ``alembic`` CLI with a config built by
``storage.migrate.alembic_config``) an async engine is made from ``sqlalchemy.url``.
"""

from __future__ import annotations

import asyncio

from alembic import context
from sqlalchemy import MetaData
from sqlalchemy.engine import Connection

from storage.db import Base, make_engine


def _target_metadata() -> MetaData:
    """Every table of the project: bot tables, and the embedded backend's when present."""
    import storage.models  # noqa: F401  (registers the bot tables on Base)
    import storage.review_cards  # noqa: F401  (the review room's cards)
    import storage.review_desk  # noqa: F401  (the Review topic, prompts, pool marks)
    import storage.workspace.models  # noqa: F401  (the staff workspace's tables)

    try:
        import storage.backend_models  # noqa: F401
    except ModuleNotFoundError as exc:  # only "not written yet", never a broken module
        if exc.name != "storage.backend_models":
            raise
    return Base.metadata


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=_target_metadata(),
        render_as_batch=connection.dialect.name == "sqlite",  # ALTER via table copy
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


async def _run_async(url: str) -> None:
    engine = make_engine(url)
    try:
        async with engine.connect() as conn:
            await conn.run_sync(_run)
            await conn.commit()
    finally:
        await engine.dispose()


def _offline() -> None:
    context.configure(
        url=context.config.get_main_option("sqlalchemy.url"),
        target_metadata=_target_metadata(),
        literal_binds=True,
        dialect_opts={"paramstyle": "named"},
    )
    with context.begin_transaction():
        context.run_migrations()


def _online() -> None:
    connection = context.config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    url = context.config.get_main_option("sqlalchemy.url")
    if not url:
        raise RuntimeError("no connection and no sqlalchemy.url for migrations")
    asyncio.run(_run_async(url))


if context.is_offline_mode():
    _offline()
else:
    _online()
