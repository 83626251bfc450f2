"""The suite's template database (tests/fast_setup.py) is what the migrations make: a new file
copied from it has the real upgrade's schema and revision, and is left alone by a real
``upgrade`` afterwards; anything but a new file goes through the real migrations."""

from __future__ import annotations

import contextlib
import sqlite3
from pathlib import Path

from storage import migrate
from tests.fast_setup import TemplateDatabase


def schema(path: Path) -> tuple[list[tuple], list[tuple]]:
    with contextlib.closing(sqlite3.connect(path)) as db:
        objects = db.execute(
            "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name"
        ).fetchall()
        return objects, db.execute("SELECT version_num FROM alembic_version").fetchall()


async def test_a_copy_is_what_the_migrations_make(tmp_path: Path) -> None:
    template = TemplateDatabase()
    real, first, copied = (tmp_path / n / "bot.db" for n in ("real", "first", "copied"))
    await migrate.upgrade(f"sqlite+aiosqlite:///{real}")
    await template.upgrade(f"sqlite+aiosqlite:///{first}")  # makes the template, copies it
    await template.upgrade(f"sqlite+aiosqlite:///{copied}")
    assert template.copies == 2
    assert schema(copied) == schema(first) == schema(real)
    assert schema(real)[1] == [(migrate.shipped_head(),)]
    assert copied.stat().st_mode & 0o077 == 0  # the bot's user only, as upgrade makes it
    await migrate.upgrade(f"sqlite+aiosqlite:///{copied}")  # at head: nothing to do
    assert schema(copied) == schema(real)


async def test_anything_but_a_new_file_runs_the_real_migrations(tmp_path: Path) -> None:
    template = TemplateDatabase()
    old = tmp_path / "old.db"
    await template.upgrade(f"sqlite+aiosqlite:///{old}", "0004")  # another revision: real
    assert template.copies == 0
    assert schema(old)[1] == [("0004",)]
    await template.upgrade(f"sqlite+aiosqlite:///{old}")  # a file holding data: real upgrade
    assert template.copies == 0
    assert schema(old)[1] == [(migrate.shipped_head(),)]
