"""What every in-process app of the suite would otherwise redo (about half a second of CPU
per test): running the migrations on a new, empty SQLite file, and parsing the catalogs.

- ``template_upgrade``: the first ``upgrade(url)`` to ``head`` of a new file in this test
  process runs the real migrations on a template file; every later one of a new file copies
  that file (as Django's and PostgreSQL's template databases do). A file that already holds
  anything, another revision, or another database goes through the real ``upgrade``, so the
  migration tests (``tests/storage/test_migrations.py``, ``tests/backend/test_migration*.py``)
  still run the migrations they test.
- ``shared_catalog``: one parsed :class:`Catalog` per test process. It is read-only once built
  (its caches are pure functions of the files), so the apps of one process can share it.

Only the composition root's names are replaced (``bot.app.upgrade``, ``bot.app.Catalog``),
by the root ``conftest.py``, and the stores' fixtures call :data:`upgrade`; the production
code is unchanged.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import tempfile
from pathlib import Path

from handlers.i18n import LOCALES_DIR, Catalog
from storage import migrate
from storage.files import sqlite_files, sqlite_path

_real_upgrade = migrate.upgrade


class TemplateDatabase:
    """A migrated SQLite file made once, copied into each new database file."""

    def __init__(self) -> None:
        self._bytes: bytes | None = None
        self.copies = 0

    async def upgrade(self, url: str, revision: str = "head") -> None:
        path = sqlite_path(url)
        if revision != "head" or path is None or not _fresh(path):
            await _real_upgrade(url, revision)
            return
        image = await self._image()
        migrate.ensure_sqlite_dir(url)  # the folder 0700 and the file 0600, as upgrade makes it
        if not _fresh(path):  # made meanwhile by someone else: theirs stands
            await _real_upgrade(url, revision)
            return
        fd = os.open(path, os.O_WRONLY | os.O_CREAT, 0o600)
        with os.fdopen(fd, "wb") as out:
            out.write(image)
        self.copies += 1

    async def _image(self) -> bytes:
        if self._bytes is None:  # (two apps of one test making it at once: made twice, alike)
            with tempfile.TemporaryDirectory(prefix="template-db-") as folder:
                file = Path(folder) / "template.db"
                await _real_upgrade(f"sqlite+aiosqlite:///{file}")
                with contextlib.closing(sqlite3.connect(file)) as db:  # all in the main file
                    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
                self._bytes = file.read_bytes()
        return self._bytes


def _fresh(path: Path) -> bool:
    """Nothing in the database yet: no file, or an empty one and no WAL beside it."""
    main, *companions = sqlite_files(path)
    if main.exists() and main.stat().st_size > 0:
        return False
    return not any(p.exists() and p.stat().st_size > 0 for p in companions)


class SharedCatalog:
    """``Catalog()`` for the default folder: one parse per test process."""

    def __init__(self) -> None:
        self._catalog: Catalog | None = None

    def __call__(self, directory: Path = LOCALES_DIR) -> Catalog:
        if directory != LOCALES_DIR:
            return Catalog(directory)
        if self._catalog is None:
            self._catalog = Catalog()
        return self._catalog


#: the test process's template (``upgrade(url)`` as ``storage.migrate.upgrade`` is called)
TEMPLATE = TemplateDatabase()
upgrade = TEMPLATE.upgrade
