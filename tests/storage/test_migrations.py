"""Migrations: applied programmatically, idempotent, serialised, and matching the models."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

import storage.models  # noqa: F401  (registers the bot tables)
import storage.review_cards  # noqa: F401  (the review room's cards)
import storage.review_desk  # noqa: F401  (the Review topic, prompts, pool marks)
import storage.workspace.models  # noqa: F401  (the staff workspace's tables)
from storage.db import Base, make_engine
from storage.migrate import current_revision, head_revision, upgrade

BOT_TABLES = {
    "conversations",
    "chat_links",
    "member_locales",
    "processed_updates",
    "inbox_updates",
    "support_tickets",
    "support_messages",
    "outbox",
}


async def test_upgrade_creates_directory_and_bot_tables(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'deep' / 'dir' / 'bot.db'}"
    await upgrade(url)
    assert (tmp_path / "deep" / "dir" / "bot.db").exists()
    assert await current_revision(url) == head_revision()
    engine = make_engine(url)
    async with engine.connect() as conn:
        names = await conn.run_sync(lambda sync: set(inspect(sync).get_table_names()))
    await engine.dispose()
    assert names >= BOT_TABLES


async def test_upgrade_is_idempotent_and_serialised(tmp_path: Path) -> None:
    for n in range(6):  # fresh databases, four starters at once in one process each time
        url = f"sqlite+aiosqlite:///{tmp_path / f'bot{n}.db'}"
        await asyncio.wait_for(asyncio.gather(*(upgrade(url) for _ in range(4))), 60)
        await upgrade(url)
        assert await current_revision(url) == head_revision()


def _bot_only(obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any) -> bool:
    table = obj if type_ == "table" else getattr(obj, "table", None)
    return table is None or table.name in BOT_TABLES


async def test_migration_matches_models(db_url: str) -> None:
    engine = make_engine(db_url)

    def diff(sync: Any) -> list[Any]:
        context = MigrationContext.configure(
            sync, opts={"compare_type": True, "include_object": _bot_only}
        )
        return compare_metadata(context, Base.metadata)

    async with engine.connect() as conn:
        differences = await conn.run_sync(diff)
    await engine.dispose()
    assert differences == []
