"""``redeem-bot run`` with a token: the Telegram bot on aiogram (``BOT_FRAMEWORK=aiogram``, the
default), on PTB (``ptb``), or on its own wire (``wire``: no framework on the running bot's path,
see ``WireConnector``; the fastest start-up and the least CPU per update).

Long polling by default; a webhook when ``WEBHOOK_URL`` is set (an aiohttp server on
``WEBHOOK_LISTEN``; ``setWebhook`` with ``WEBHOOK_SECRET`` as ``secret_token``, or a random
one; requests without the matching ``X-Telegram-Bot-Api-Secret-Token`` header get 403).
``TELEGRAM_API_BASE`` is used for API calls and file downloads.

Both transports feed one :class:`~bot.channels.telegram.receiver.Receiver` (our own
``getUpdates`` loop on both frameworks, not theirs): an update is confirmed to Telegram (the
offset moves past it, the webhook answers 200) only once it is stored in the inbox, each chat
may have at most ``TELEGRAM_CHAT_BACKLOG`` updates waiting, and the framework only parses and
routes one update at a time. SIGTERM/SIGINT: fetching stops at once, the turns in progress
get ``SHUTDOWN_TIMEOUT`` seconds, the bot exits 0; whatever was not handled is handled after
the restart. The token never reaches the log: ``bot.logs`` (set up by the CLI) masks it and
caps the libraries that log URLs.
"""

from __future__ import annotations

import asyncio
import contextlib
import faulthandler
import hmac
import logging
import secrets
import signal
from collections.abc import Awaitable, Callable, Iterator
from typing import TYPE_CHECKING, Any, Protocol
from urllib.parse import urlsplit

from aiohttp import web

from backend.wire import loads
from bot.app import App
from bot.channels.telegram.bridge import Bridge, BridgeOptions
from bot.channels.telegram.common import RateLimits, Rejected, RetryPolicy, call_with_retry
from bot.channels.telegram.receiver import Poller, Receiver
from bot.config import Settings

if TYPE_CHECKING:
    from bot.channels.telegram.wire import Wire

log = logging.getLogger(__name__)

ALLOWED_UPDATES = ["message", "callback_query", "my_chat_member", "edited_message"]
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
FOREVER = RetryPolicy(transient_attempts=10**9, max_delay=30.0)


# ----------------------------------------------------------------------------- connectors
class Connector(Protocol):
    """A framework under the receiver: ``feed`` handles one update and returns when it is over."""

    async def prepare(self) -> None: ...
    async def start_polling(self) -> None: ...  # startup hooks, no webhook (the runner polls)
    async def start_webhook(self, url: str, secret: str) -> None: ...
    def warm(self) -> None: ...  # deferred start-up work, once receiving (first poll sent)
    async def feed(self, data: dict[str, Any]) -> None: ...
    async def stop(self) -> None: ...


async def until_ready(fn: Callable[[], Awaitable[Any]]) -> Any:
    """Call the API until it answers (the Bot API server may still be starting)."""
    return await call_with_retry(fn, limiter=None, chat_id=None, policy=FOREVER)


#: seconds past SHUTDOWN_TIMEOUT after which a shutdown step that has not ended logs where it
#: waits; and seconds an exit may take after the run before the threads' stacks are dumped
STUCK_AFTER = 20.0
POLLING_BACKLOG = (
    8  # updates held in the process per turn slot (a memory cap; the rest wait at Telegram)
)


class AiogramConnector:
    """``BOT_FRAMEWORK=aiogram``: aiogram's ``Bot`` for the calls with files and rich answers,
    loaded in the background once the bot receives (``warm``) or on first need; updates read
    by our own reader and the calls of every turn posted as JSON, as on the wire connector
    (``bot.channels.telegram.aiogram_run``: why, and the figures). No ``Dispatcher`` on the
    running bot's path: a shop mounting the conversation into its own uses
    ``aiogram_app.make_router``."""

    def __init__(
        self,
        settings: Settings,
        app: App,
        bridge: Bridge,
        token: str,
        wire: Wire | None = None,
        make_bot: Callable[[], Any] | None = None,
    ) -> None:
        from bot.channels.telegram.aiogram_run import AiogramLoader, LazyAiogramPort
        from bot.channels.telegram.wire import HttpWire

        self.wire = wire or HttpWire(settings.telegram_api_base, token)
        self.loader = AiogramLoader(settings.telegram_api_base, token, make_bot)
        self.port = LazyAiogramPort(self.wire, self.loader)
        self.bridge = bridge
        self._started = False
        self.max_connections = min(100, settings.telegram_concurrency)  # setWebhook allows 1-100

    async def prepare(self) -> None:
        await until_ready(self.port.me)

    async def _start(self) -> None:
        await self.bridge.start(self.port, forum=self.port.review)
        self._started = True

    async def start_polling(self) -> None:
        await self._start()
        await until_ready(lambda: self.wire.call("deleteWebhook", {"drop_pending_updates": False}))

    async def start_webhook(self, url: str, secret: str) -> None:
        await self._start()
        await until_ready(lambda: self.wire.call("setWebhook", _webhook(url, secret, self)))

    def warm(self) -> None:
        self.loader.warm()

    async def feed(self, data: dict[str, Any]) -> None:
        from bot.channels.telegram.wire import dispatch

        await dispatch(self.bridge, self.port, data)

    async def stop(self) -> None:
        if self._started:
            await self.bridge.stop()
        await self.loader.close()
        await self.wire.close()


def _webhook(url: str, secret: str, connector: Any) -> dict[str, Any]:
    return {
        "url": url,
        "secret_token": secret,
        "allowed_updates": ALLOWED_UPDATES,
        "max_connections": connector.max_connections,
    }


class WireConnector:
    """``BOT_FRAMEWORK=wire``: the update's JSON read straight into our records and the
    calls posted as JSON (``bot.channels.telegram.wire``), so aiogram, its models and their
    import (most of the start-up's CPU) stay off the running bot's path. A shop mounting the
    conversation into its own aiogram ``Dispatcher`` uses ``aiogram_app.make_router``."""

    def __init__(
        self, settings: Settings, app: App, bridge: Bridge, token: str, wire: Wire | None = None
    ) -> None:
        from bot.channels.telegram.wire import HttpWire, WirePort

        self.wire = wire or HttpWire(settings.telegram_api_base, token)
        self.port = WirePort(self.wire)
        self.bridge = bridge
        self._started = False
        self.max_connections = min(100, settings.telegram_concurrency)  # setWebhook allows 1-100

    async def prepare(self) -> None:
        await until_ready(self.port.me)

    async def _start(self) -> None:
        from bot.channels.telegram.wire_forum import WireForum

        await self.bridge.start(self.port, forum=WireForum(self.wire))
        self._started = True

    async def start_polling(self) -> None:
        await self._start()
        await until_ready(lambda: self.wire.call("deleteWebhook", {"drop_pending_updates": False}))

    async def start_webhook(self, url: str, secret: str) -> None:
        await self._start()
        await until_ready(lambda: self.wire.call("setWebhook", _webhook(url, secret, self)))

    def warm(self) -> None:
        return None

    async def feed(self, data: dict[str, Any]) -> None:
        from bot.channels.telegram.wire import dispatch

        await dispatch(self.bridge, self.port, data)

    async def stop(self) -> None:
        if self._started:
            await self.bridge.stop()
        await self.wire.close()


class PtbConnector:
    def __init__(self, settings: Settings, app: App, bridge: Bridge, token: str) -> None:
        from telegram.ext import ApplicationBuilder

        from bot.channels.telegram.ptb_app import PtbPort, add_handlers

        base = settings.telegram_api_base.rstrip("/")
        self.application = (
            ApplicationBuilder()
            .token(token)
            .base_url(f"{base}/bot")
            .base_file_url(f"{base}/file/bot")
            .connection_pool_size(64)
            .updater(None)  # the runner polls (see the module docstring)
            .build()
        )
        # block=True: ``feed`` returns when the turn is over; the receiver runs updates concurrently
        self.bridge = add_handlers(
            self.application, app, bridge=bridge, lifecycle=False, block=True
        )
        self.port = PtbPort(self.application.bot)
        self._started = False
        self.max_connections = min(100, settings.telegram_concurrency)  # setWebhook allows 1-100

    async def _api(self, make: Callable[[], Awaitable[Any]]) -> Any:
        from bot.channels.telegram.ptb_app import api_call

        return await until_ready(lambda: api_call(make()))

    async def prepare(self) -> None:
        await self._api(self.application.initialize)

    async def _start(self) -> None:
        from bot.channels.telegram.forum_ptb import PtbForum

        await self.bridge.start(self.port, forum=PtbForum(self.application.bot))
        await self.application.start()
        self._started = True

    async def start_polling(self) -> None:
        await self._start()
        bot = self.application.bot
        await self._api(lambda: bot.delete_webhook(drop_pending_updates=False))

    async def start_webhook(self, url: str, secret: str) -> None:
        await self._start()
        bot = self.application.bot
        await self._api(
            lambda: bot.set_webhook(
                url=url,
                secret_token=secret,
                allowed_updates=ALLOWED_UPDATES,
                max_connections=self.max_connections,
            )
        )

    def warm(self) -> None:
        return None

    async def feed(self, data: dict[str, Any]) -> None:
        from telegram import Update

        await self.application.process_update(Update.de_json(data, self.application.bot))

    async def stop(self) -> None:
        if self._started and self.application.running:
            await self.application.stop()  # waits for the handlers in progress
        await self.bridge.stop()
        await self.application.shutdown()


# ----------------------------------------------------------------------------- webhook
UPDATE_JSON_DEPTH = 64  # an update nests about 10 levels; a deeper body is refused unparsed


def _loads_update(text: str) -> Any:
    return loads(text, max_depth=UPDATE_JSON_DEPTH)


class WebhookServer:
    """Receives updates over HTTPS (behind your proxy); answers 200 once ``accept`` has stored
    the update durably (a failure answers 500, and Telegram delivers it again)."""

    def __init__(
        self,
        listen: str,
        path: str,
        secret: str,
        accept: Callable[[dict[str, Any]], Awaitable[None]],
    ) -> None:
        host, _, port = listen.rpartition(":")
        self.host = host.strip("[]") or "127.0.0.1"
        self.port = int(port)
        self.path = path or "/"
        self.secret = secret
        self.accept = accept
        self.runner: web.AppRunner | None = None

    async def start(self) -> None:
        application = web.Application()
        application.router.add_post(self.path, self.receive)
        self.runner = web.AppRunner(application, access_log=None)
        await self.runner.setup()
        await web.TCPSite(self.runner, self.host, self.port).start()
        log.info("webhook listening on %s:%d%s", self.host, self.port, self.path)

    async def receive(self, request: web.Request) -> web.Response:
        given = request.headers.get(SECRET_HEADER, "")
        if not hmac.compare_digest(given.encode(), self.secret.encode()):
            log.warning("webhook request without the right secret token refused")
            return web.Response(status=403, text="forbidden")
        try:
            data = await request.json(loads=_loads_update)
        except ValueError:  # not JSON (or not UTF-8), or nested deeper than an update
            return web.Response(status=400, text="bad json")
        if not isinstance(data, dict) or "update_id" not in data:
            return web.Response(status=400, text="not an update")
        try:
            await self.accept(data)
        except Exception:
            log.exception(
                "webhook update %s could not be stored; Telegram will send it again",
                data.get("update_id"),
            )
            return web.Response(status=500, text="not stored")
        return web.Response(text="ok")

    async def stop(self) -> None:
        if self.runner is not None:
            await self.runner.cleanup()


# ----------------------------------------------------------------------------- main
def _limits(settings: Settings) -> RateLimits:
    return RateLimits.parse(settings.telegram_rate_limits)


def _stop_on_signals(stop: asyncio.Event) -> None:
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(sig, stop.set)


def make_connector(settings: Settings, app: App, bridge: Bridge, token: str) -> Connector:
    if settings.bot_framework == "ptb":
        return PtbConnector(settings, app, bridge, token)
    if settings.bot_framework == "wire":
        return WireConnector(settings, app, bridge, token)
    return AiogramConnector(settings, app, bridge, token)


async def run_telegram(settings: Settings, *, stop: asyncio.Event | None = None) -> int:
    """Run the bot until SIGTERM/SIGINT (or ``stop`` is set); returns the exit code."""
    from bot.app import build_app

    if settings.telegram_bot_token is None:
        log.error("TELEGRAM_BOT_TOKEN is not set")
        return 2
    token = settings.telegram_bot_token.get_secret_value()
    stop = stop or asyncio.Event()
    _stop_on_signals(stop)
    app = await build_app(settings, warm_images=True)
    app.start_housekeeping()  # prunes the update log and sent outbox rows (bot/housekeeping.py)
    from bot.channels.telegram.speed import tune_gc

    tune_gc()
    try:
        bridge = Bridge(app, BridgeOptions(limits=_limits(settings)))
        connector = make_connector(settings, app, bridge, token)
        receiver = Receiver(
            app.inbox,
            connector.feed,
            per_chat=settings.telegram_chat_backlog,
            capacity=settings.telegram_concurrency * POLLING_BACKLOG,
            refuse=bridge.turns.refuse,
            abandoned=bridge.gate.was_abandoned,
            recovering=bridge.gate.recovering,
        )
        return await _serve(settings, connector, bridge, receiver, token, stop)
    finally:
        with watched(settings):  # (the database's threads, the image and OCR processes)
            await app.close()
        log.info("stopped")


async def _serve(
    settings: Settings,
    connector: Connector,
    bridge: Bridge,
    receiver: Receiver,
    token: str,
    stop: asyncio.Event,
) -> int:
    server: WebhookServer | None = None
    poller: Poller | None = None
    polling: asyncio.Task[None] | None = None
    try:
        try:
            await _until_stopped(connector.prepare(), stop)
        except Rejected as exc:
            log.error(
                "the Bot API refused the bot (%s); check TELEGRAM_BOT_TOKEN", exc.description[:120]
            )
            return 1
        if stop.is_set():
            return 0
        if settings.webhook_url:
            secret = (
                settings.webhook_secret.get_secret_value()
                if settings.webhook_secret
                else secrets.token_urlsafe(32)
            )
            server = WebhookServer(
                settings.webhook_listen,
                urlsplit(settings.webhook_url).path,
                secret,
                receiver.accept_one,
            )
            await receiver.recover()  # before anything new can arrive: a chat's order is kept
            await server.start()
            await connector.start_webhook(settings.webhook_url, secret)
            connector.warm()
            log.info("Telegram bot running (%s, webhook)", settings.bot_framework)
        else:
            await connector.start_polling()
            await receiver.recover()
            poller = Poller(
                settings.telegram_api_base,
                token,
                receiver,
                allowed_updates=ALLOWED_UPDATES,
                polling=connector.warm,  # deferred start-up work: once the first poll went out
            )
            polling = asyncio.create_task(poller.run(), name="telegram-polling")
            log.info("Telegram bot running (%s, long polling)", settings.bot_framework)
        await stop.wait()
        log.info("stopping")
    finally:
        await _shut_down(settings, connector, bridge, receiver, server, poller, polling)
    return 0


async def _shut_down(
    settings: Settings,
    connector: Connector,
    bridge: Bridge,
    receiver: Receiver,
    server: WebhookServer | None,
    poller: Poller | None,
    polling: asyncio.Task[None] | None,
) -> None:
    """Stop fetching at once, give the turns in progress ``SHUTDOWN_TIMEOUT`` seconds, leave
    the rest in the inbox; then the framework and the bridge stop. Should that take
    ``STUCK_AFTER`` seconds more, where every task waits is logged (``log_stuck``)."""
    with watched(settings):
        if polling is not None:
            polling.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await polling
        if server is not None:
            await server.stop()
        bridge.gate.close()
        cancelled = await receiver.drain(settings.shutdown_timeout)
        left = len(bridge.gate.abandoned) + cancelled
        if left:
            log.info("%d updates left in the inbox for the next start", left)
        if poller is not None:
            await poller.confirm()
        await connector.stop()


@contextlib.contextmanager
def watched(settings: Settings) -> Iterator[None]:
    """A step of the shutdown: should it take ``SHUTDOWN_TIMEOUT`` + ``STUCK_AFTER`` seconds,
    where every task waits is logged (``log_stuck``)."""
    watch = asyncio.get_running_loop().call_later(
        settings.shutdown_timeout + STUCK_AFTER, log_stuck
    )
    try:
        yield
    finally:
        watch.cancel()


def log_stuck() -> None:
    """Log where each task waits (file, line and function of its frames: no values), for a
    shutdown that does not end; and write every thread's stack to stderr (a task waiting on a
    thread, a database worker's join say, ends its chain at the hop)."""
    with contextlib.suppress(Exception):  # (stderr may be closed or not a real file)
        faulthandler.dump_traceback(all_threads=True)
    tasks = [t for t in asyncio.all_tasks() if not t.done()]
    log.error("the shutdown has not ended; %d tasks still wait:", len(tasks))
    for task in tasks:
        frames = " <- ".join(
            f"{f.f_code.co_name} ({f.f_code.co_filename.rsplit('/', 1)[-1]}:{f.f_lineno})"
            for f in reversed(_awaiting(task.get_coro())[-12:])
        )
        log.error("  task %s: %s", task.get_name(), frames or "(not started)")


def _awaiting(coro: Any) -> list[Any]:
    """The frames of a suspended coroutine and of those it awaits, outermost first
    (``Task.get_stack`` gives the outermost only)."""
    frames = []
    while coro is not None:
        frame = getattr(coro, "cr_frame", None) or getattr(coro, "gi_frame", None)
        if frame is not None:
            frames.append(frame)
        coro = getattr(coro, "cr_await", None) or getattr(coro, "gi_yieldfrom", None)
    return frames


async def _until_stopped(work: Awaitable[Any], stop: asyncio.Event) -> None:
    """Await ``work`` unless ``stop`` is set first (then cancel it)."""
    task = asyncio.ensure_future(work)
    waiter = asyncio.ensure_future(stop.wait())
    try:
        await asyncio.wait({task, waiter}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        waiter.cancel()
    if task.done():
        task.result()
    else:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


__all__ = ["AiogramConnector", "PtbConnector", "WebhookServer", "WireConnector", "run_telegram"]
