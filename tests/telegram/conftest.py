"""Shared fixtures for the Telegram connector tests.

In-process: the connector runs on a real aiogram ``Bot``/``Dispatcher`` or PTB ``Application``
whose HTTP layer is replaced by a recording session (aiogram) / request (PTB). Every call goes
to the ``FakeBotApi``'s call processor without a network: it is validated against the Bot API
spec (``spec.py``), recorded, and answered like Telegram would (messages, files, 403 for
blocked users, injected faults). ``fake.violations`` must stay empty.

End-to-end: ``BotProcess`` runs the real ``redeem-bot run`` against a started ``FakeBotApi``.

``TgChat`` gives both the interface of ``tests.conftest.Chat`` (``command``, ``text``, ``tap``,
``press``, ``photo``, ``replies``, ``text_all``...), so the journeys of
``tests/conversation/journeys.py`` play unchanged over Telegram.
"""

from __future__ import annotations

import asyncio
import contextlib
import heapq
import json
import os
import signal
import socket
import subprocess
import sys
from collections.abc import AsyncIterator, Callable, Iterable
from pathlib import Path
from typing import Any

import pytest

from bot.app import App, build_app
from bot.channels.telegram.bridge import Bridge, BridgeOptions
from bot.channels.telegram.common import RateLimits, RetryPolicy
from handlers.io import Button, Reply
from tests.conftest import jpeg, make_settings
from tests.telegram import fake_bot_api
from tests.telegram.fake_bot_api import FakeBotApi
from tests.telegram.spec import UploadedFile

STAFF_CHAT = -1001234567890
STAFF_ADMIN = 777  # "Sam", an administrator of the staff group
CUSTOMER = 4242
REPO = Path(__file__).resolve().parents[2]
REDEEM_BOT = str(Path(sys.executable).with_name("redeem-bot"))
FAST_LIMITS = RateLimits.parse("overall=10000/1,chat=10000/1,group=10000/1")
MESSAGE_METHODS = ("sendmessage", "sendphoto", "editmessagetext", "senddocument")


# ----------------------------------------------------------------------------- virtual time
class VirtualTime:
    """A monotonic clock whose ``sleep`` only moves the clock (429 waits cost nothing)."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += max(0.0, seconds)
        await asyncio.sleep(0)


class SimClock:
    """Virtual time where sleeps overlap as on a real clock (``VirtualTime`` adds them up).

    ``sleep`` waits until the clock reaches its deadline; the clock jumps to the earliest
    deadline once the event loop has run everything that was ready. Nothing waits in real
    time, so what happens at which virtual instant does not depend on the machine's speed
    (the clock may jump while a database thread works: nobody measures real durations here).
    """

    def __init__(self, start: float = 1000.0) -> None:
        self.now = start
        self.slept: list[float] = []
        self._heap: list[tuple[float, int, asyncio.Future[None]]] = []
        self._seq = 0
        self._driver: asyncio.Task[None] | None = None

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        if seconds <= 0:
            await asyncio.sleep(0)
            return
        loop = asyncio.get_running_loop()
        future: asyncio.Future[None] = loop.create_future()
        self._seq += 1
        heapq.heappush(self._heap, (self.now + seconds, self._seq, future))
        if self._driver is None or self._driver.done():
            self._driver = loop.create_task(self._drive())
        await future

    async def _drive(self) -> None:
        loop = asyncio.get_running_loop()
        while self._heap:
            for n in range(1000):  # let everything that can run now run first
                await asyncio.sleep(0)
                if n >= 3 and not getattr(loop, "_ready", ()):
                    break
            self.now = max(self.now, self._heap[0][0])
            while self._heap and self._heap[0][0] <= self.now:
                future = heapq.heappop(self._heap)[2]
                if not future.done():
                    future.set_result(None)


# ----------------------------------------------------------------------------- recording HTTP
REFUSED = "refused"


async def fake_call(
    fake: FakeBotApi, method: str, params: dict[str, Any]
) -> tuple[int, str] | str | None:
    """Process one call in the fake without HTTP: (status, body), None for a dropped line,
    ``REFUSED`` when the connection could not be made (the call never reached the fake)."""
    if fake.take_refusal(method):
        return REFUSED
    if fake.transit is not None:
        await fake.transit(method)  # the request on its way
    outcome = await fake._process(method, params, allow_faults=True)  # noqa: SLF001 - in-process use
    if fake.transit is not None:
        await fake.transit(method)  # the answer on its way back
    if outcome is fake_bot_api._DROP:  # noqa: SLF001
        return None
    return outcome.status, outcome.text


def fake_file(fake: FakeBotApi, url: str) -> bytes | None:
    path = url.split("/file/bot", 1)[1].split("/", 1)[1]
    stored = next((f for f in fake.files.values() if f.file_path == path), None)
    return None if stored is None else stored.data


def aiogram_session(fake: FakeBotApi) -> Any:
    """An aiogram session that hands every request, as it would go on the wire, to the fake."""
    from aiogram.client.session.base import BaseSession
    from aiogram.exceptions import TelegramNetworkError

    class RecordingSession(BaseSession):
        async def make_request(self, bot: Any, method: Any, timeout: int | None = None) -> Any:
            files: dict[str, Any] = {}
            params: dict[str, Any] = {}
            for key, value in method.model_dump(warnings=False).items():
                prepared = self.prepare_value(value, bot=bot, files=files)
                if prepared:  # what AiohttpSession.build_form_data sends
                    params[key] = prepared
            for key, upload in files.items():
                data = b"".join([chunk async for chunk in upload.read(bot)])
                params[key] = UploadedFile(data, upload.filename or key)
            answer = await fake_call(fake, method.__api_method__, params)
            if answer is None:
                raise TelegramNetworkError(
                    method=method, message="ServerDisconnectedError: dropped"
                )
            if answer == REFUSED:  # what AiohttpSession.make_request raises when it cannot connect
                import aiohttp
                from aiohttp.client_reqrep import ConnectionKey

                key = ConnectionKey("127.0.0.1", 9, False, True, None, None, None)
                cause = aiohttp.ClientConnectorError(
                    key, ConnectionRefusedError(111, "Connection refused")
                )
                raise TelegramNetworkError(
                    method=method, message=f"ClientConnectorError: {cause}"
                ) from cause
            status, body = answer
            return self.check_response(
                bot=bot, method=method, status_code=status, content=body
            ).result

        async def stream_content(
            self,
            url: str,
            headers: Any = None,
            timeout: int = 30,
            chunk_size: int = 65536,
            raise_for_status: bool = True,
        ) -> Any:
            data = fake_file(fake, url)
            if data is None:
                import aiohttp

                raise aiohttp.ClientResponseError(None, (), status=404)  # type: ignore[arg-type]
            yield data

        async def close(self) -> None:
            return None

    from aiogram.client.telegram import TelegramAPIServer

    return RecordingSession(api=TelegramAPIServer.from_base("http://127.0.0.1:9"))  # never dialled


def ptb_request(fake: FakeBotApi) -> Any:
    """A PTB request object that hands every request, as it would go on the wire, to the fake."""
    from telegram.error import NetworkError
    from telegram.request import BaseRequest

    class RecordingRequest(BaseRequest):
        @property
        def read_timeout(self) -> float:
            return 5.0

        async def initialize(self) -> None:
            return None

        async def shutdown(self) -> None:
            return None

        async def do_request(
            self, url: str, method: str, request_data: Any = None, **timeouts: Any
        ) -> tuple[int, bytes]:
            if "/file/bot" in url:
                data = fake_file(fake, url)
                return (
                    (200, data)
                    if data is not None
                    else (404, b'{"ok":false,"error_code":404,"description":"Not Found"}')
                )
            params: dict[str, Any] = dict(request_data.json_parameters) if request_data else {}
            if request_data is not None and request_data.contains_files:
                for part, (filename, content, mime) in request_data.multipart_data.items():
                    data = content if isinstance(content, bytes) else content.read()
                    params[part] = UploadedFile(data, filename, mime)
            answer = await fake_call(fake, url.rsplit("/", 1)[-1], params)
            if answer is None:
                raise NetworkError("Server disconnected without sending a response")
            if answer == REFUSED:  # what HTTPXRequest.do_request raises when it cannot connect
                import httpx

                cause = httpx.ConnectError("[Errno 111] Connection refused")
                raise NetworkError(f"httpx.ConnectError: {cause}") from cause
            status, body = answer
            return status, body.encode()

    return RecordingRequest()


def fake_wire(fake: FakeBotApi) -> Any:
    """The runner's wire (``bot.channels.telegram.wire``) on the fake, without a network."""
    from bot.channels.telegram.common import NotSent, Transient
    from bot.channels.telegram.wire import Files, Wire, transport_error

    class FakeWire(Wire):
        async def send(
            self, method: str, params: dict[str, Any], files: Files | None
        ) -> tuple[int, bytes]:
            params = json.loads(json.dumps(params))  # as it would go on the wire
            for key, (filename, data) in (files or {}).items():
                params[key] = UploadedFile(data, filename)
            answer = await fake_call(fake, method, params)
            if answer is None:
                raise Transient("ServerDisconnectedError")
            if answer == REFUSED:
                raise NotSent("ClientConnectorError")
            status, body = answer
            return status, body.encode()

        async def file(self, path: str) -> bytes:
            data = fake_file(fake, f"/file/bot{fake.token}/{path}")
            if data is None:
                import aiohttp

                raise transport_error(aiohttp.ClientResponseError(None, (), status=404))  # type: ignore[arg-type]
            return data

    return FakeWire()


# ----------------------------------------------------------------------------- harnesses
class Harness:
    """One connector on the recording layer: ``feed`` an update dict and wait for the turn."""

    framework = ""

    def __init__(self, fake: FakeBotApi, app: App, bridge: Bridge) -> None:
        self.fake = fake
        self.app = app
        self.bridge = bridge

    async def start(self) -> None: ...

    async def stop(self) -> None: ...

    async def feed(self, update: dict[str, Any]) -> None: ...

    async def feed_many(self, updates: Iterable[dict[str, Any]]) -> None:
        await asyncio.gather(*(self.feed(u) for u in updates))

    async def pump(self) -> None:
        """Run the background delivery once (notifications, staff forwarding, outbox)."""
        await self.bridge.pump(sweep_outbox=True)  # tests sweep the outbox every time


class AiogramHarness(Harness):
    framework = "aiogram"

    async def start(self) -> None:
        from aiogram import Bot, Dispatcher

        from bot.channels.telegram.aiogram_app import make_router

        self.bot = Bot(self.fake.token, session=aiogram_session(self.fake))
        self.dp = Dispatcher()
        self.dp.include_router(make_router(self.app, bridge=self.bridge))
        await self.dp.emit_startup(bot=self.bot, dispatcher=self.dp, bots=[self.bot])

    async def stop(self) -> None:
        await self.dp.emit_shutdown(bot=self.bot, dispatcher=self.dp, bots=[self.bot])

    async def feed(self, update: dict[str, Any]) -> None:
        from aiogram.types import Update

        await self.dp.feed_update(
            self.bot, Update.model_validate(update, context={"bot": self.bot})
        )


class PtbHarness(Harness):
    framework = "ptb"

    async def start(self) -> None:
        from telegram.ext import ApplicationBuilder

        from bot.channels.telegram.ptb_app import add_handlers

        self.application = (
            ApplicationBuilder()
            .token(self.fake.token)
            .request(ptb_request(self.fake))
            .get_updates_request(ptb_request(self.fake))
            .updater(None)
            .build()
        )
        add_handlers(self.application, self.app, bridge=self.bridge)
        await self.application.initialize()
        await self.application.post_init(self.application)  # what run_polling would call
        await self.application.start()

    async def stop(self) -> None:
        await self.application.stop()
        await self.application.post_stop(self.application)
        await self.application.shutdown()

    async def feed(self, update: dict[str, Any]) -> None:
        from telegram import Update

        await self.application.process_update(Update.de_json(update, self.application.bot))
        await self.settle()

    async def settle(self) -> None:
        # block=False handlers run as tasks: let them start, then wait for the bridge
        for _ in range(3):
            await asyncio.sleep(0)
        assert await self.bridge.gate.inflight.wait_idle(30)


class WireHarness(Harness):
    """``redeem-bot run``'s own connector (no framework: ``telegram_runner.WireConnector``)."""

    framework = "wire"

    async def start(self) -> None:
        from bot.channels.telegram_runner import WireConnector

        settings = self.app.settings
        self.connector = WireConnector(
            settings, self.app, self.bridge, self.fake.token, wire=fake_wire(self.fake)
        )
        await self.connector.prepare()
        await self.connector.start_polling()

    async def stop(self) -> None:
        await self.connector.stop()

    async def feed(self, update: dict[str, Any]) -> None:
        await self.connector.feed(json.loads(json.dumps(update)))


class AiogramRunHarness(WireHarness):
    """``redeem-bot run``'s aiogram connector (``telegram_runner.AiogramConnector``): our
    reader, the calls of every turn on the wire, aiogram's ``Bot`` (on the recording session)
    for files, deletions, the forum and the review desk, loaded on first need."""

    framework = "aiogram-run"

    async def start(self) -> None:
        from aiogram import Bot

        from bot.channels.telegram_runner import AiogramConnector

        self.connector = AiogramConnector(  # type: ignore[assignment]
            self.app.settings,
            self.app,
            self.bridge,
            self.fake.token,
            wire=fake_wire(self.fake),
            make_bot=lambda: Bot(self.fake.token, session=aiogram_session(self.fake)),
        )
        await self.connector.prepare()
        await self.connector.start_polling()


HARNESSES: dict[str, type[Harness]] = {
    "aiogram": AiogramHarness,
    "ptb": PtbHarness,
    "wire": WireHarness,
    "aiogram-run": AiogramRunHarness,
}


def make_bridge(app: App, clock: VirtualTime | SimClock, **kwargs: Any) -> Bridge:
    options = BridgeOptions(
        limits=kwargs.pop("limits", FAST_LIMITS),
        policy=kwargs.pop("policy", RetryPolicy(transient_attempts=4, first_delay=0.01)),
        album_quiet=kwargs.pop("album_quiet", 0.05),
        staff_chat_id=kwargs.pop("staff_chat_id", STAFF_CHAT),
        background=False,
        **kwargs,
    )
    bridge = Bridge(app, options)
    bridge.outgoing.limiter.clock = clock
    bridge.outgoing.limiter.sleep = clock.sleep
    bridge.outgoing.messenger.sleep = clock.sleep
    return bridge


@pytest.fixture
def vtime() -> VirtualTime:
    return VirtualTime()


@pytest.fixture
async def tg_app(tmp_path: Path) -> AsyncIterator[App]:
    application = await build_app(make_settings(tmp_path, STAFF_CHAT_ID=str(STAFF_CHAT)))
    yield application
    await application.close()


@pytest.fixture
def fake() -> FakeBotApi:
    """The fake's world and validator, not started: in-process harnesses call it directly."""
    world = FakeBotApi()
    world.add_user(CUSTOMER, "Jamie", username="jamie")
    world.add_group(STAFF_CHAT, "Staff")
    world.add_user(STAFF_ADMIN, "Sam", username="sam_staff")
    world.set_role(STAFF_CHAT, STAFF_ADMIN, "administrator")  # staff: an admin of the staff group
    return world


async def open_harness(
    framework: str, fake: FakeBotApi, app: App, vtime: VirtualTime | SimClock, **bridge_kwargs: Any
) -> Harness:
    harness = HARNESSES[framework](fake, app, make_bridge(app, vtime, **bridge_kwargs))
    await harness.start()
    return harness


# ----------------------------------------------------------------------------- chats
def replies_in(calls: Iterable[Any], chat_id: int) -> list[Reply]:
    """The bot's messages (sent or edited) to ``chat_id`` among recorded calls, as Replies."""
    out = []
    for call in calls:
        params = call.params
        if call.method.lower() not in MESSAGE_METHODS or params.get("chat_id") != chat_id:
            continue
        markup = params.get("reply_markup") or {}
        rows = tuple(
            tuple(Button(b["text"], b.get("callback_data", "")) for b in row)
            for row in markup.get("inline_keyboard", [])
        )
        out.append(Reply(text=params.get("text") or params.get("caption") or "", buttons=rows))
    return out


def _content(message: dict[str, Any]) -> str:
    return json.dumps(
        [message.get("text"), message.get("caption"), message.get("reply_markup")], sort_keys=True
    )


def as_reply(message: dict[str, Any]) -> Reply:
    rows = tuple(
        tuple(Button(b["text"], b.get("callback_data", "")) for b in row)
        for row in (message.get("reply_markup") or {}).get("inline_keyboard", [])
    )
    return Reply(text=message.get("text") or message.get("caption") or "", buttons=rows)


class TgChat:
    """The interface of ``tests.conftest.Chat``, played through Telegram updates."""

    def __init__(self, fake: FakeBotApi, user_id: int = CUSTOMER) -> None:
        self.fake = fake
        self.user_id = user_id
        self.replies: list[Reply] = []
        self.history: list[Reply] = []

    async def _turn(self, make_update: Callable[[], Any]) -> list[Reply]:
        raise NotImplementedError

    async def _do(self, make_update: Callable[[], Any]) -> list[Reply]:
        self.replies = await self._turn(make_update)
        self.history.extend(self.replies)
        return self.replies

    async def command(self, name: str, args: str = "") -> list[Reply]:
        return await self._do(lambda: self.fake.send_command(self.user_id, name, args or None))

    async def text(self, text: str) -> list[Reply]:
        return await self._do(lambda: self.fake.send_text(self.user_id, text))

    async def press(self, data: str) -> list[Reply]:
        return await self._do(lambda: self.fake.press_button(self.user_id, data))

    async def tap(self, label: str) -> list[Reply]:
        return await self.press(self.button(label))

    async def photo(
        self, data: bytes | None = None, filename: str = "photo.jpg", mime: str = "image/jpeg"
    ) -> list[Reply]:
        payload = jpeg() if data is None else data
        return await self._do(lambda: self.fake.send_photo(self.user_id, payload))

    async def document(
        self, data: bytes, filename: str = "invoice.png", mime: str = "image/png"
    ) -> list[Reply]:
        return await self._do(lambda: self.fake.send_document(self.user_id, data, filename, mime))

    def snapshot(self) -> dict[int, str]:
        """The bot's messages in the chat now: id -> content (to spot new and edited ones)."""
        return {m["message_id"]: _content(m) for m in self.fake.sent(self.user_id)}

    def changes(self, before: dict[int, str]) -> list[Reply]:
        """Messages sent or edited since ``before``, as Replies, in chat order."""
        return [
            as_reply(m)
            for m in self.fake.sent(self.user_id)
            if before.get(m["message_id"]) != _content(m)
        ]

    def button(self, label: str) -> str:
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

    @property
    def text_all(self) -> str:
        return "\n".join(r.text for r in self.replies)


class InProcessChat(TgChat):
    def __init__(self, harness: Harness, user_id: int = CUSTOMER) -> None:
        super().__init__(harness.fake, user_id)
        self.harness = harness

    async def _turn(self, make_update: Callable[[], Any]) -> list[Reply]:
        before = self.snapshot()
        await self.harness.feed(make_update())
        return self.changes(before)

    async def notifications(self) -> list[Reply]:
        before = self.snapshot()
        await self.harness.pump()
        self.replies = self.changes(before)
        return self.replies


class RemoteChat(TgChat):
    """Against a started fake and a bot process (``BotProcess``): a turn ends when the bot has
    handled every update sent, which its inbox tells: Telegram (the fake) has nothing left
    that the bot did not confirm, and the bot confirms an update only once it is in its
    inbox, which it leaves when its turn (replies included) is over. No quiet-time guess:
    a slow machine only makes the wait longer."""

    def __init__(
        self, fake: FakeBotApi, user_id: int = CUSTOMER, *, database: Path | None = None
    ) -> None:
        super().__init__(fake, user_id)
        self.database = database or getattr(fake, "bot_database", None)

    async def _turn(self, make_update: Callable[[], Any]) -> list[Reply]:
        before = self.snapshot()
        make_update()
        return await self.settle(before)

    def handled(self) -> bool:
        """Every update sent so far is handled (confirmed, and out of the bot's inbox)."""
        if self.fake.pending_update_count:
            return False
        assert self.database is not None, "RemoteChat needs the bot's database (a BotProcess)"
        import sqlite3

        try:
            with contextlib.closing(sqlite3.connect(self.database, timeout=5)) as db:
                return db.execute("SELECT count(*) FROM inbox_updates").fetchone()[0] == 0
        except sqlite3.OperationalError:  # not migrated yet, or busy: ask again
            return False

    async def until_handled(self, timeout: float = 30.0) -> None:
        """Polled: the inbox is the bot's, no change of the fake's tells when it empties."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while not self.handled():
            if loop.time() > deadline:
                raise AssertionError(
                    f"the bot did not handle every update within {timeout}s\n{self.fake.api_errors[-5:]}"
                )
            await asyncio.sleep(0.01)

    async def settle(self, before: dict[int, str], timeout: float = 30.0) -> list[Reply]:
        """Wait for the bot's answer: something new in the chat, and every update handled."""
        loop = asyncio.get_running_loop()
        start = loop.time()
        while True:
            now = loop.time()
            got = self.changes(before)
            if got and self.handled():
                return got
            if now - start > timeout:
                lines = "\n  ".join(self.fake.transcript(self.user_id)[-10:])
                raise AssertionError(
                    f"the bot did not answer within {timeout}s:\n  {lines}\n{self.fake.api_errors[-5:]}"
                )
            await asyncio.sleep(0.01)

    async def wait_for_text(
        self, fragment: str, timeout: float = 20.0, *, before: dict[int, str] | None = None
    ) -> Reply:
        """Wait for a bot message containing ``fragment``, new since ``before`` (default: now)."""
        before = self.snapshot() if before is None else before

        def found() -> Reply | None:
            return next((r for r in self.changes(before) if fragment in r.text), None)

        reply = await self.fake.wait_for(found, timeout, what=f"a message containing {fragment!r}")
        self.replies = [reply]
        self.history.append(reply)
        return reply


# ----------------------------------------------------------------------------- the real process
def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class BotProcess:
    """``redeem-bot run`` as a subprocess against the fake; stderr kept in a file."""

    def __init__(self, fake: FakeBotApi, tmp: Path, framework: str, **env: str) -> None:
        self.fake = fake
        self.tmp = tmp
        self.framework = framework
        self.env = {
            **os.environ,
            "PYTHONPATH": str(REPO),
            "TELEGRAM_BOT_TOKEN": fake.token,
            "TELEGRAM_API_BASE": fake.base_url,
            "DATABASE_URL": f"sqlite+aiosqlite:///{tmp / 'bot.db'}",
            "MEDIA_DIR": str(tmp / "media"),
            "SECRET_KEY_FILE": str(tmp / "config" / "secret.key"),
            "BOT_FRAMEWORK": framework,
            "STAFF_CHAT_ID": str(STAFF_CHAT),
            "LOG_LEVEL": "INFO",
            "TELEGRAM_RATE_LIMITS": "overall=1000/1,chat=1000/1,group=1000/1",
            "OCR_WORKERS": "0",  # no OCR process unless a test asks for one (claims go on unchecked)
            **env,
        }
        self.proc: asyncio.subprocess.Process | None = None
        self.runs = 0
        fake.bot_database = tmp / "bot.db"  # type: ignore[attr-defined]  # RemoteChat's end of a turn

    @property
    def log_path(self) -> Path:
        return self.tmp / f"bot-{self.framework}.log"

    async def start(self) -> BotProcess:
        self.runs += 1
        with self.log_path.open("ab") as log:
            log.write(f"---- run {self.runs}\n".encode())
            self.proc = await asyncio.create_subprocess_exec(
                REDEEM_BOT,
                "run",
                env=self.env,
                cwd=str(self.tmp),
                stdout=log,
                stderr=log,
                stdin=subprocess.DEVNULL,
            )
        return self

    async def ready(self, timeout: float = 90.0) -> None:
        """Started: the command menu was set (after getMe) in this run; on aiogram, also
        aiogram loaded (in the background once the first poll went out: on a loaded machine
        that takes longer than a turn's timeout, which the first photo would wait for)."""
        count = self.fake.call_count("setMyCommands")
        await self.fake.wait_for(
            lambda: self.fake.call_count("setMyCommands") > count or self.exited(),
            timeout,
            what="the bot to start",
        )
        assert not self.exited(), self.log()
        if self.framework == "aiogram":
            loop = asyncio.get_running_loop()
            deadline = loop.time() + timeout
            while "aiogram loaded" not in self.log().rsplit(f"---- run {self.runs}\n", 1)[-1]:
                assert not self.exited() and loop.time() < deadline, self.log()
                await asyncio.sleep(0.05)

    def exited(self) -> bool:
        return self.proc is not None and self.proc.returncode is not None

    async def stop(self, sig: int = signal.SIGTERM, timeout: float = 45.0) -> int:
        assert self.proc is not None
        if self.proc.returncode is None:
            self.proc.send_signal(sig)
        try:
            return await asyncio.wait_for(self.proc.wait(), timeout)
        except TimeoutError:
            self.proc.kill()
            await self.proc.wait()
            raise AssertionError(f"the bot did not stop on signal {sig}:\n{self.log()}") from None

    async def kill9(self) -> None:
        await self.stop(signal.SIGKILL)

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    async def cli(self, *args: str) -> str:
        """Another ``redeem-bot`` command on the same database (the staff desk, ...)."""
        proc = await asyncio.create_subprocess_exec(
            REDEEM_BOT,
            *args,
            env={**self.env, "LOG_LEVEL": "WARNING"},
            cwd=str(self.tmp),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        out, err = await proc.communicate()
        assert proc.returncode == 0, (args, out.decode(), err.decode())
        return out.decode()


@contextlib.asynccontextmanager
async def running_bot(
    fake: FakeBotApi, tmp: Path, framework: str, **env: str
) -> AsyncIterator[BotProcess]:
    bot = BotProcess(fake, tmp, framework, **env)
    await bot.start()
    try:
        await bot.ready()
        yield bot
    finally:
        if bot.proc is not None and bot.proc.returncode is None:
            await bot.stop()
        assert fake.token not in bot.log(), "the bot token appeared in the log"
