"""``redeem-bot run`` on aiogram (``BOT_FRAMEWORK=aiogram``, the default), with aiogram only
where it is used (issue 9: start-up, CPU per update).

What the running bot takes from aiogram is its ``Bot`` for the calls that carry files and
for the staff side's richer calls: photos, albums and downloads, the staff forum's topics and
copies, the review desk's cards (:class:`LazyAiogramPort`, :class:`LazyAiogramForum`). What
it does not take:

- aiogram's ``Dispatcher`` and its pydantic ``Update`` models: an update's JSON is read
  straight into our records (``wire.dispatch``), as the wire connector does. Parsing every
  update into aiogram's models only to read a dozen fields back cost about a quarter of the
  bot's CPU at load. A shop mounting the conversation into its own ``Dispatcher`` still uses
  ``aiogram_app.make_router`` (unchanged, tested);
- the calls of almost every turn (``sendMessage``, ``editMessageText``,
  ``answerCallbackQuery``, ``deleteMessage`` for a typed password, ``getChatMember`` for a
  staff check) and the start-up's (``getMe``, ``setMyCommands``, ``deleteWebhook``,
  ``setWebhook``): posted as JSON on the connector's wire, as ``speed.LeanCalls`` already
  posted the first three on aiogram's session;
- aiogram's import at start-up: it builds hundreds of pydantic models, about 5 s of CPU on
  the project's machine, more than the rest of the start-up. :class:`AiogramLoader` imports
  it in a worker thread once the bot is receiving (``warm``: as soon as the first
  ``getUpdates`` is on its way, or once the webhook is set), or at the first call that needs
  it, whichever comes first; the event loop keeps serving meanwhile, and such a call waits
  for it (seconds, once per start: the first photo after a restart may be that call).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from bot.channels.telegram.port import Rows
from bot.channels.telegram.wire import Wire, WirePort

if TYPE_CHECKING:
    from aiogram import Bot

    from bot.channels.telegram.aiogram_app import AiogramPort
    from bot.channels.telegram.review_aiogram import AiogramReview

log = logging.getLogger(__name__)


def _import_aiogram() -> None:
    """Everything of aiogram the lazy ports use (run in a worker thread)."""
    import aiogram.client.session.aiohttp  # noqa: F401
    import aiogram.client.telegram  # noqa: F401

    import bot.channels.telegram.aiogram_app  # noqa: F401  (the port, its errors, its models)
    import bot.channels.telegram.review_aiogram  # noqa: F401  (the forum and the review desk)


@dataclass(frozen=True, slots=True)
class Loaded:
    bot: Bot
    port: AiogramPort
    review: AiogramReview  # the staff forum's calls and the review desk's
    models: tuple[Any, ...]  # aiogram's answer models, kept alive (speed.response_models)


class AiogramLoader:
    """aiogram's ``Bot`` and the ports on it, built once, in the background or on first need.

    ``make_bot`` builds the ``Bot`` (tests give it a recording session); by default one on
    aiogram's own ``AiohttpSession`` for ``api_base``."""

    def __init__(
        self, api_base: str, token: str, make_bot: Callable[[], Bot] | None = None
    ) -> None:
        self.api_base = api_base
        self._token = token
        self.make_bot = make_bot
        self._task: asyncio.Task[Loaded] | None = None

    def warm(self) -> None:
        """Start loading now (idempotent)."""
        if self._task is None:
            self._task = asyncio.create_task(self._load(), name="aiogram-import")

    @property
    def loaded(self) -> bool:
        return self._task is not None and self._task.done() and not self._task.cancelled()

    async def get(self) -> Loaded:
        self.warm()
        assert self._task is not None
        return await asyncio.shield(self._task)  # a cancelled caller does not stop the load

    async def _load(self) -> Loaded:
        started = time.perf_counter()
        await asyncio.to_thread(_import_aiogram)  # the event loop keeps serving meanwhile
        from bot.channels.telegram.aiogram_app import AiogramPort, ChatMemberStatus
        from bot.channels.telegram.review_aiogram import AiogramReview
        from bot.channels.telegram.speed import response_models

        bot = self.make_bot() if self.make_bot is not None else self._default_bot()
        loaded = Loaded(
            bot, AiogramPort(bot), AiogramReview(bot), response_models(ChatMemberStatus)
        )
        log.info("aiogram loaded in the background (%.1f s)", time.perf_counter() - started)
        return loaded

    def _default_bot(self) -> Bot:
        from aiogram import Bot
        from aiogram.client.session.aiohttp import AiohttpSession
        from aiogram.client.telegram import TelegramAPIServer

        session = AiohttpSession(api=TelegramAPIServer.from_base(self.api_base))
        return Bot(self._token, session=session)

    async def close(self) -> None:
        task, self._task = self._task, None
        if task is None:
            return
        if not task.done():
            task.cancel()
        with contextlib.suppress(BaseException):
            loaded = await task
            await loaded.bot.session.close()


class LazyAiogramPort(WirePort):
    """:class:`~bot.channels.telegram.port.BotPort`: the calls of every turn on the wire
    (inherited), those with files on aiogram's ``Bot`` once it is loaded."""

    def __init__(self, wire: Wire, loader: AiogramLoader) -> None:
        super().__init__(wire)
        self.loader = loader
        self.review = LazyAiogramForum(loader)  # review_port(): the review desk's calls

    async def _aiogram(self) -> AiogramPort:
        return (await self.loader.get()).port

    async def send_photo(self, chat_id: int, photo: bytes, caption: str | None, rows: Rows) -> int:
        return await (await self._aiogram()).send_photo(chat_id, photo, caption, rows)

    async def download(self, file_id: str) -> bytes:
        return await (await self._aiogram()).download(file_id)


class LazyAiogramForum:
    """:class:`~bot.channels.telegram.forum.ForumPort` and
    :class:`~bot.channels.telegram.review_port.ReviewPort` on aiogram's ``Bot``
    (``review_aiogram.AiogramReview``), loaded on first need."""

    def __init__(self, loader: AiogramLoader) -> None:
        self.loader = loader

    async def _on(self) -> AiogramReview:
        return (await self.loader.get()).review

    async def is_forum(self, chat_id: int) -> bool:
        return await (await self._on()).is_forum(chat_id)

    async def create_topic(self, chat_id: int, name: str) -> int:
        return await (await self._on()).create_topic(chat_id, name)

    async def rename_topic(self, chat_id: int, thread_id: int, name: str) -> None:
        await (await self._on()).rename_topic(chat_id, thread_id, name)

    async def close_topic(self, chat_id: int, thread_id: int) -> None:
        await (await self._on()).close_topic(chat_id, thread_id)

    async def reopen_topic(self, chat_id: int, thread_id: int) -> None:
        await (await self._on()).reopen_topic(chat_id, thread_id)

    async def send_text(self, chat_id: int, text: str, thread_id: int | None = None) -> int:
        return await (await self._on()).send_text(chat_id, text, thread_id)

    async def send_photo(
        self, chat_id: int, photo: bytes, caption: str | None, thread_id: int | None = None
    ) -> int:
        return await (await self._on()).send_photo(chat_id, photo, caption, thread_id)

    async def copy(
        self,
        to_chat: int,
        from_chat: int,
        message_id: int,
        thread_id: int | None = None,
        reply_to: int | None = None,
    ) -> int:
        return await (await self._on()).copy(to_chat, from_chat, message_id, thread_id, reply_to)

    async def edit_text(self, chat_id: int, message_id: int, text: str) -> None:
        await (await self._on()).edit_text(chat_id, message_id, text)

    async def edit_caption(self, chat_id: int, message_id: int, caption: str) -> None:
        await (await self._on()).edit_caption(chat_id, message_id, caption)

    async def send_card(self, chat_id: int, text: str, rows: Rows, thread_id: int | None) -> int:
        return await (await self._on()).send_card(chat_id, text, rows, thread_id)

    async def send_photo_in(
        self, chat_id: int, photo: bytes, caption: str, thread_id: int | None
    ) -> int:
        return await (await self._on()).send_photo_in(chat_id, photo, caption, thread_id)

    async def send_album(
        self, chat_id: int, photos: Sequence[tuple[bytes, str]], thread_id: int | None
    ) -> list[int]:
        return await (await self._on()).send_album(chat_id, photos, thread_id)


__all__ = ["AiogramLoader", "LazyAiogramForum", "LazyAiogramPort", "Loaded"]
