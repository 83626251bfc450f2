"""Shared test fixtures: the whole app on a temporary SQLite file, and a collecting chat."""

from __future__ import annotations

import datetime as dt
import faulthandler
import io
import itertools
import logging
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from PIL import Image

import bot.app
from bot.app import App, build_app
from bot.config import Settings
from bot.logs import LIBRARIES, OWN, RedactingHandler
from handlers.io import ActionIn, AlbumIn, CommandIn, Event, ImageIn, Reply, TextIn
from states import ConversationKey
from tests import fast_setup

# each in-process app of this test process: migrations copied, catalogs parsed once
# (tests/fast_setup.py says why that changes nothing a test sees)
bot.app.upgrade = fast_setup.upgrade  # type: ignore[assignment]
bot.app.Catalog = fast_setup.SharedCatalog()  # type: ignore[assignment,misc]

TODAY = dt.datetime(2026, 11, 25, 12, 0, tzinfo=dt.UTC)


class Clock:
    """A clock the tests move by hand."""

    def __init__(self, now: dt.datetime = TODAY) -> None:
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += dt.timedelta(**delta)


def jpeg(
    width: int = 1200, height: int = 900, color: tuple[int, int, int] = (200, 180, 160)
) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (width, height), color).save(buf, "JPEG", quality=80)
    return buf.getvalue()


def make_settings(tmp: Path, **overrides: str) -> Settings:
    values = {
        "DATABASE_URL": f"sqlite+aiosqlite:///{tmp / 'bot.db'}",
        "BACKEND_DATABASE_URL": f"sqlite+aiosqlite:///{tmp / 'backend.db'}",
        "MEDIA_DIR": str(tmp / "media"),
        "SECRET_KEY_FILE": str(tmp / "config" / "secret.key"),
        "LOG_LEVEL": "WARNING",
        "OCR_WORKERS": "0",  # no OCR process where a test does not need it (claims go on unchecked)
        **overrides,
    }
    return Settings(_env_file=None, **values)


class Chat:
    """A collecting output channel: one customer talking to the engine, no network."""

    _ids = itertools.count(1)

    def __init__(self, app: App, user: str = "1001", channel: str = "test") -> None:
        self.app = app
        self.key = ConversationKey(channel, user, user)
        self.replies: list[Reply] = []
        self.history: list[Reply] = []
        self.deleted_inputs = 0

    async def send(self, body, event_id: str | None = None) -> list[Reply]:
        event = Event(key=self.key, body=body, event_id=event_id or f"e{next(self._ids)}")
        outcome = await self.app.engine.handle(event)
        if outcome.delete_input:
            self.deleted_inputs += 1
        self.replies = outcome.replies
        self.history.extend(outcome.replies)
        return outcome.replies

    async def text(self, text: str) -> list[Reply]:
        return await self.send(TextIn(text))

    async def command(self, name: str, args: str = "") -> list[Reply]:
        return await self.send(CommandIn(name, args))

    async def press(self, data: str, event_id: str | None = None) -> list[Reply]:
        return await self.send(ActionIn(data), event_id=event_id)

    def button(self, label: str) -> str:
        """The data of the button whose label contains ``label`` in the last replies."""
        found = [
            b
            for r in self.replies
            for row in r.buttons
            for b in row
            if label.lower() in b.label.lower()
        ]
        if not found:
            raise AssertionError(
                f"no button {label!r} in {[r.labels() for r in self.replies]}\n{self.text_all}"
            )
        return found[0].data

    async def tap(self, label: str) -> list[Reply]:
        return await self.press(self.button(label))

    async def photo(
        self,
        data: bytes | None = None,
        filename: str = "photo.jpg",
        mime: str = "image/jpeg",
        unique_id: str = "",
    ) -> list[Reply]:
        payload = jpeg() if data is None else data

        async def fetch() -> bytes:
            return payload

        return await self.send(
            ImageIn(
                fetch=fetch, size=len(payload), filename=filename, mime=mime, unique_id=unique_id
            )
        )

    async def album(self, *images: bytes) -> list[Reply]:
        def item(data: bytes) -> ImageIn:
            async def fetch() -> bytes:
                return data

            return ImageIn(fetch=fetch, size=len(data), filename="a.jpg", mime="image/jpeg")

        return await self.send(AlbumIn(tuple(item(d) for d in images)))

    async def notifications(self, limit: int = 100) -> list[Reply]:
        got: list[Reply] = []

        async def send(key: ConversationKey, replies: list[Reply]) -> bool:
            if key != self.key:
                return False
            got.extend(replies)
            return True

        await self.app.engine.deliver_notifications(send, limit=limit)
        self.replies = got
        self.history.extend(got)
        return got

    @property
    def text_all(self) -> str:
        return "\n".join(r.text for r in self.replies)

    @property
    def keys(self) -> list[str]:
        return [r.key for r in self.replies]

    async def current_state(self) -> str:
        session = await self.app.sessions.load(self.key)
        return session.state if session else "start"


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
async def app(tmp_path: Path, clock: Clock) -> AsyncIterator[App]:
    application = await build_app(make_settings(tmp_path), clock=clock)
    yield application
    await application.close()


@pytest.fixture
def chat(app: App) -> Chat:
    return Chat(app)


@pytest.fixture(autouse=True)
def logging_left_as_found():
    """A command run in process (``bot.cli.main``) sets logging up as ``redeem-bot`` does: a
    handler on the root logger writing to the test's captured stderr, closed after the test.
    Taken off again, so a later test's library records (aiosmtpd's ``mail.log``) do not
    fail on the closed stream."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    levels = {name: logging.getLogger(name).level for name in (*LIBRARIES, *OWN)}
    yield
    for handler in [h for h in root.handlers if h not in handlers]:
        if isinstance(handler, RedactingHandler):
            root.removeHandler(handler)
    root.setLevel(level)
    for name, was in levels.items():  # our loggers' levels too: a later test's warnings count
        logging.getLogger(name).setLevel(was)


@pytest.fixture(autouse=True)
def no_exit_watch_left():
    """``redeem-bot run`` arms a process-wide dump-and-exit timer for a hanging exit
    (``bot.cli.cmd_run``): a test that runs it in process must not leave it to kill the
    session later."""
    yield
    faulthandler.cancel_dump_traceback_later()


@pytest.fixture(autouse=True)
def no_missing_catalog_keys(caplog: pytest.LogCaptureFixture):
    """Every text the bot shows must come from the catalog: a missing key fails the test."""
    yield
    missing = [
        r.getMessage() for r in caplog.records if r.getMessage().startswith("missing catalog key")
    ]
    assert not missing, missing
