"""Nobody but the bot's user can read its data (integrity defect 12): databases with their
WAL/SHM files, media, the secret key (0600) and their folders (0700), whatever the umask;
files an older version left readable are tightened at start, never loosened."""

from __future__ import annotations

import logging
import os
import sqlite3
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.app import build_app
from bot.config import Settings
from storage.media import MediaStore
from tests.conftest import Chat, jpeg
from tests.conversation.journeys import redeem, register_product, sign_up


@pytest.fixture
def loose_umask() -> Iterator[None]:
    """The usual umask of a login shell or a service: files 0644, folders 0755 by default."""
    old = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(old)


def settings_in(data: Path) -> Settings:
    return Settings(
        _env_file=None,
        DATABASE_URL=f"sqlite+aiosqlite:///{data / 'redeem-bot.db'}",
        BACKEND_DATABASE_URL=f"sqlite+aiosqlite:///{data / 'backend.db'}",
        MEDIA_DIR=str(data / "media"),
        SECRET_KEY_FILE=str(data / "secret.key"),  # an operator's choice; 0600 all the same
        LOG_LEVEL="WARNING",
    )


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def modes(root: Path) -> dict[str, int]:
    found = {".": mode(root)}
    for path in root.rglob("*"):
        found[str(path.relative_to(root))] = mode(path)
    return found


def loose(root: Path) -> dict[str, str]:
    """Every file not 0600 and every folder not 0700 under ``root`` (with its mode)."""
    bad = {}
    for name, m in modes(root).items():
        want = 0o700 if (root / name).is_dir() else 0o600
        if m != want:
            bad[name] = oct(m)
    return bad


async def test_a_fresh_install_under_umask_022_is_private(tmp_path: Path, loose_umask) -> None:
    data = tmp_path / "data"
    settings = settings_in(data)
    settings.secret_bytes()  # generated into data/secret.key, as at a real first start
    app = await build_app(settings)
    try:
        chat = Chat(app)
        await sign_up(chat)
        await register_product(chat)  # an invoice picture in the media store
        await redeem(chat)  # and an S/N photo
        await app.desk.approve((await app.desk.review_queue())[0].id, "staff")
        await chat.notifications()
        names = {p.name for p in data.iterdir()}
        assert {
            "redeem-bot.db-wal",
            "redeem-bot.db-shm",
            "backend.db-wal",
            "backend.db-shm",
            "secret.key",
        } <= names
        assert len([p for p in (data / "media").rglob("*") if p.is_file()]) >= 2
        assert loose(data) == {}, loose(data)
    finally:
        await app.close()
    assert loose(data) == {}, loose(data)


def make_loose_install(data: Path) -> None:
    """What an older version left under umask 022: everything readable by everyone."""
    data.mkdir(mode=0o755)
    for name in ("redeem-bot.db", "backend.db"):
        conn = sqlite3.connect(data / name)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("CREATE TABLE t (x)")
        conn.commit()
        keep_open = sqlite3.connect(data / name)  # leaves -wal/-shm behind while open
        keep_open.execute("SELECT * FROM t").fetchall()
        conn.close()
        os.chmod(data / name, 0o644)
    (data / "secret.key").write_text("k" * 64)
    blob = data / "media" / "ab" / ("ab" + "0" * 62 + ".jpg")
    blob.parent.mkdir(parents=True)
    blob.write_bytes(b"jpeg")
    os.chmod(blob.parent, 0o755)
    os.chmod(data / "media", 0o755)
    for path in (*data.rglob("*"), data):
        os.chmod(path, 0o755 if path.is_dir() else 0o644)
    (data / "media" / "ab" / "readonly.jpg").write_bytes(b"x")
    os.chmod(data / "media" / "ab" / "readonly.jpg", 0o400)


async def test_loose_files_of_an_older_version_are_tightened_at_start(
    tmp_path: Path, loose_umask, caplog: pytest.LogCaptureFixture
) -> None:
    data = tmp_path / "data"
    make_loose_install(data)
    assert mode(data / "backend.db") == 0o644 and mode(data) == 0o755
    caplog.set_level(logging.INFO)
    app = await build_app(settings_in(data))
    await app.close()
    readonly = data / "media" / "ab" / "readonly.jpg"
    assert mode(readonly) == 0o400  # tightened never means loosened
    os.chmod(readonly, 0o600)
    assert loose(data) == {}, loose(data)
    warnings = [
        r for r in caplog.records if r.levelno >= logging.WARNING and "data files" in r.getMessage()
    ]
    assert len(warnings) == 1, [r.getMessage() for r in warnings]
    assert "/" not in warnings[0].getMessage()  # no paths (a media name is a picture's digest)
    caplog.clear()
    app = await build_app(settings_in(data))  # the next start has nothing to say
    await app.close()
    assert [
        r for r in caplog.records if r.levelno >= logging.WARNING and "data files" in r.getMessage()
    ] == []


async def test_a_shared_folder_keeps_its_mode_but_the_files_do_not(
    tmp_path: Path, loose_umask
) -> None:
    """The database in a folder the bot does not own alone: its files are made private, the
    folder (say /srv/shared) is not changed under other programs' feet."""
    shared = tmp_path / "shared"
    shared.mkdir()
    os.chmod(shared, 0o755)
    (shared / "someone-elses.txt").write_text("hello")
    settings = Settings(
        _env_file=None,
        DATABASE_URL=f"sqlite+aiosqlite:///{shared / 'bot.db'}",
        BACKEND_DATABASE_URL=f"sqlite+aiosqlite:///{shared / 'backend.db'}",
        MEDIA_DIR=str(tmp_path / "private" / "media"),
    )
    app = await build_app(settings)
    await app.close()
    assert mode(shared) == 0o755 and mode(shared / "someone-elses.txt") == 0o644
    for name in ("bot.db", "bot.db-wal", "bot.db-shm", "backend.db"):
        if (shared / name).exists():
            assert mode(shared / name) == 0o600, name
    assert mode(tmp_path / "private") == 0o700 and mode(tmp_path / "private" / "media") == 0o700


async def test_media_and_secret_key_alone_under_umask_022(tmp_path: Path, loose_umask) -> None:
    store = MediaStore(tmp_path / "data" / "media")
    ref = await store.put(jpeg(40, 40))
    path = store.path(ref)
    assert mode(path) == 0o600 and mode(path.parent) == 0o700 and mode(store.root) == 0o700
    settings = settings_in(tmp_path / "keys")
    settings.secret_bytes()
    assert (
        mode(settings.secret_key_path()) == 0o600
        and mode(settings.secret_key_path().parent) == 0o700
    )
