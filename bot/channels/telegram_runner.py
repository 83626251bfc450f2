"""``redeem-bot run`` with a token: the Telegram bot, on aiogram (default) or PTB.

Long polling by default; a webhook when ``WEBHOOK_URL`` is set (an aiohttp server on
``WEBHOOK_LISTEN``; ``setWebhook`` with ``WEBHOOK_SECRET`` as ``secret_token``, or a random
one; requests without the matching ``X-Telegram-Bot-Api-Secret-Token`` header get 403).
``TELEGRAM_API_BASE`` is used for API calls and file downloads. SIGTERM/SIGINT stop the bot
gracefully: no new updates, the ones in progress finish, then the database is closed.
The token never reaches the log: a filter on the root handlers masks it everywhere.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import logging
import secrets
import signal
from collections.abc import Awaitable, Callable
from typing import Any, Protocol
from urllib.parse import urlsplit

from aiohttp import web

from backend.http import loads
from bot.channels.telegram.bridge import Bridge
from bot.channels.telegram.common import RateLimits, Rejected, RetryPolicy, call_with_retry
from bot.config import Settings

log = logging.getLogger(__name__)

ALLOWED_UPDATES = ["message", "callback_query", "my_chat_member"]
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
FOREVER = RetryPolicy(transient_attempts=10**9, max_delay=30.0)


# ----------------------------------------------------------------------------- logging
class RedactSecrets(logging.Filter):
    """Replaces secrets (the bot token) in log records, tracebacks included."""

    def __init__(self, *secrets_: str) -> None:
        super().__init__()
        self.secrets = [s for s in secrets_ if s]

    def _clean(self, text: str) -> str:
        for secret in self.secrets:
            text = text.replace(secret, "<redacted>")
        return text

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        clean = self._clean(message)
        if clean != message:
            record.msg, record.args = clean, None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self._clean(record.exc_text)
        return True


def install_redaction(token: str) -> RedactSecrets:
    secret_part = token.partition(":")[2]
    redactor = RedactSecrets(token, secret_part)
    root = logging.getLogger()
    for handler in root.handlers:
        handler.addFilter(redactor)
    root.addFilter(redactor)
    for name in ("httpx", "httpcore", "aiohttp.access", "aiogram.event"):
        logging.getLogger(name).setLevel(max(logging.WARNING, logging.getLogger(name).level))
    return redactor


# ----------------------------------------------------------------------------- connectors
class Connector(Protocol):
    async def prepare(self) -> None: ...
    async def start_polling(self) -> None: ...
    async def start_webhook(self, url: str, secret: str) -> None: ...
    async def feed(self, data: dict[str, Any]) -> None: ...
    async def stop(self) -> None: ...


async def until_ready(fn: Callable[[], Awaitable[Any]]) -> Any:
    """Call the API until it answers (the Bot API server may still be starting)."""
    return await call_with_retry(fn, limiter=None, chat_id=None, policy=FOREVER)


POLLING_BACKLOG = 8  # aiogram polling: updates held in the process per turn slot


class AiogramConnector:
    def __init__(self, settings: Settings, app: Any, bridge: Bridge, token: str) -> None:
        from aiogram import Bot, Dispatcher
        from aiogram.client.session.aiohttp import AiohttpSession
        from aiogram.client.telegram import TelegramAPIServer

        from bot.channels.telegram.aiogram_app import make_router

        session = AiohttpSession(api=TelegramAPIServer.from_base(settings.telegram_api_base))
        self.bot = Bot(token, session=session)
        self.dp = Dispatcher()
        self.dp.include_router(make_router(app, bridge=bridge))
        self._polling: asyncio.Task[None] | None = None
        self._webhook = False
        self.concurrency = settings.telegram_concurrency
        self.max_connections = min(100, settings.telegram_concurrency)  # setWebhook allows 1-100

    async def _api(self, make: Callable[[], Awaitable[Any]]) -> Any:
        from bot.channels.telegram.aiogram_app import api_call

        return await until_ready(lambda: api_call(make()))

    async def prepare(self) -> None:
        await self._api(self.bot.get_me)

    async def start_polling(self) -> None:
        await self._api(lambda: self.bot.delete_webhook(drop_pending_updates=False))
        self._polling = asyncio.create_task(
            self.dp.start_polling(
                self.bot, handle_signals=False, close_bot_session=False, polling_timeout=10,
                allowed_updates=ALLOWED_UPDATES,
                # a memory cap, not the turn bound (that is the bridge's, FIFO): updates waiting
                # for their customer's previous one (a forwarded batch of 100) or for an album's
                # other items must not stop polling for everyone else
                tasks_concurrency_limit=self.concurrency * POLLING_BACKLOG,
            )
        )

    async def start_webhook(self, url: str, secret: str) -> None:
        self._webhook = True
        await self.dp.emit_startup(bot=self.bot, dispatcher=self.dp, bots=[self.bot])
        await self._api(
            lambda: self.bot.set_webhook(
                url=url, secret_token=secret, allowed_updates=ALLOWED_UPDATES, max_connections=self.max_connections
            )
        )

    async def feed(self, data: dict[str, Any]) -> None:
        await self.dp.feed_raw_update(self.bot, data)

    async def stop(self) -> None:
        if self._polling is not None:
            if not self._polling.done():
                with contextlib.suppress(RuntimeError):
                    await self.dp.stop_polling()
            with contextlib.suppress(asyncio.CancelledError):
                await self._polling
        elif self._webhook:
            await self.dp.emit_shutdown(bot=self.bot, dispatcher=self.dp, bots=[self.bot])
        await self.bot.session.close()


class PtbConnector:
    def __init__(self, settings: Settings, app: Any, bridge: Bridge, token: str) -> None:
        from telegram.ext import ApplicationBuilder

        from bot.channels.telegram.ptb_app import PtbPort, add_handlers

        base = settings.telegram_api_base.rstrip("/")
        self.application = (
            ApplicationBuilder()
            .token(token)
            .base_url(f"{base}/bot")
            .base_file_url(f"{base}/file/bot")
            .connection_pool_size(64)
            .build()
        )
        self.bridge = add_handlers(self.application, app, bridge=bridge, lifecycle=False)
        self.port = PtbPort(self.application.bot)
        self._polling = False
        self._started = False
        self.max_connections = min(100, settings.telegram_concurrency)  # setWebhook allows 1-100

    async def _api(self, make: Callable[[], Awaitable[Any]]) -> Any:
        from bot.channels.telegram.ptb_app import api_call

        return await until_ready(lambda: api_call(make()))

    async def prepare(self) -> None:
        await self._api(self.application.initialize)

    async def _start(self) -> None:
        await self.bridge.start(self.port)
        await self.application.start()
        self._started = True

    async def start_polling(self) -> None:
        await self._start()
        updater = self.application.updater
        assert updater is not None
        await updater.start_polling(
            timeout=10, bootstrap_retries=-1, allowed_updates=ALLOWED_UPDATES, drop_pending_updates=False
        )
        self._polling = True

    async def start_webhook(self, url: str, secret: str) -> None:
        await self._start()
        bot = self.application.bot
        await self._api(
            lambda: bot.set_webhook(
                url=url, secret_token=secret, allowed_updates=ALLOWED_UPDATES, max_connections=self.max_connections
            )
        )

    async def feed(self, data: dict[str, Any]) -> None:
        from telegram import Update

        await self.application.update_queue.put(Update.de_json(data, self.application.bot))

    async def stop(self) -> None:
        updater = self.application.updater
        if self._polling and updater is not None and updater.running:
            await updater.stop()
        if self._started and self.application.running:
            await self.application.stop()  # waits for the handlers in progress
        await self.bridge.stop()
        await self.application.shutdown()


# ----------------------------------------------------------------------------- webhook
UPDATE_JSON_DEPTH = 64  # an update nests about 10 levels; a deeper body is refused unparsed


def _loads_update(text: str) -> Any:
    return loads(text, max_depth=UPDATE_JSON_DEPTH)


class WebhookServer:
    """Receives updates over HTTPS (behind your proxy) and hands them to the connector."""

    def __init__(self, listen: str, path: str, secret: str, feed: Callable[[dict[str, Any]], Awaitable[None]]) -> None:
        host, _, port = listen.rpartition(":")
        self.host = host.strip("[]") or "127.0.0.1"
        self.port = int(port)
        self.path = path or "/"
        self.secret = secret
        self.feed = feed
        self.tasks: set[asyncio.Task[None]] = set()
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
        task = asyncio.create_task(self._feed(data))
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)
        return web.Response(text="ok")

    async def _feed(self, data: dict[str, Any]) -> None:
        try:
            await self.feed(data)
        except Exception:
            log.exception("webhook update %s failed", data.get("update_id"))

    async def stop(self, timeout: float = 10.0) -> None:
        if self.runner is not None:
            await self.runner.cleanup()
        if self.tasks:
            await asyncio.wait(set(self.tasks), timeout=timeout)


# ----------------------------------------------------------------------------- main
def _limits(settings: Settings) -> RateLimits:
    return RateLimits.parse(settings.telegram_rate_limits)


def _stop_on_signals(stop: asyncio.Event) -> None:
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(sig, stop.set)


def make_connector(settings: Settings, app: Any, bridge: Bridge, token: str) -> Connector:
    if settings.bot_framework == "ptb":
        return PtbConnector(settings, app, bridge, token)
    return AiogramConnector(settings, app, bridge, token)


def tune_gc() -> None:
    """A long-running server with many updates in flight allocates fast: Python's default
    collector thresholds made it collect constantly (about half the CPU per update under
    load). Raise them, and move everything built at start-up out of the collector's way."""
    import gc

    gc.collect()
    gc.freeze()
    gc.set_threshold(50_000, 20, 100)


async def run_telegram(settings: Settings, *, stop: asyncio.Event | None = None) -> int:
    """Run the bot until SIGTERM/SIGINT (or ``stop`` is set); returns the exit code."""
    from bot.app import build_app

    if settings.telegram_bot_token is None:
        log.error("TELEGRAM_BOT_TOKEN is not set")
        return 2
    token = settings.telegram_bot_token.get_secret_value()
    install_redaction(token)
    stop = stop or asyncio.Event()
    _stop_on_signals(stop)
    app = await build_app(settings, warm_images=True)
    app.start_housekeeping()  # prunes the update log and sent outbox rows (bot/housekeeping.py)
    tune_gc()
    try:
        bridge = Bridge(app, limits=_limits(settings))
        connector = make_connector(settings, app, bridge, token)
        return await _serve(settings, connector, stop)
    finally:
        await app.close()


async def _serve(settings: Settings, connector: Connector, stop: asyncio.Event) -> int:
    server: WebhookServer | None = None
    try:
        try:
            await _until_stopped(connector.prepare(), stop)
        except Rejected as exc:
            log.error("the Bot API refused the bot (%s); check TELEGRAM_BOT_TOKEN", exc.description[:120])
            return 1
        if stop.is_set():
            return 0
        if settings.webhook_url:
            secret = settings.webhook_secret.get_secret_value() if settings.webhook_secret else secrets.token_urlsafe(32)
            server = WebhookServer(settings.webhook_listen, urlsplit(settings.webhook_url).path, secret, connector.feed)
            await server.start()
            await connector.start_webhook(settings.webhook_url, secret)
            log.info("Telegram bot running (%s, webhook)", settings.bot_framework)
        else:
            await connector.start_polling()
            log.info("Telegram bot running (%s, long polling)", settings.bot_framework)
        await stop.wait()
        log.info("stopping")
    finally:
        if server is not None:
            await server.stop()
        await connector.stop()
    return 0


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


__all__ = ["AiogramConnector", "PtbConnector", "RedactSecrets", "WebhookServer", "run_telegram"]
