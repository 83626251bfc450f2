"""A fake ``api.telegram.org`` for end-to-end tests of the Telegram connectors.

``FakeBotApi`` is a real aiohttp server on 127.0.0.1 (free port). Point aiogram or
python-telegram-bot at it, drive a simulated customer with the helpers, and assert on what the
bot sent. Every call is validated against the Bot API spec (``spec.py``); violations are recorded
in ``.violations`` and answered with HTTP 400, like Telegram would.

    async with FakeBotApi() as fake:
        bot = aiogram.Bot(fake.token, session=AiohttpSession(api=fake.aiogram_server()))
        # or telegram.Bot(fake.token, **fake.ptb_urls())
        ...start polling / set a webhook...
        fake.send_command(42, "start")
        msg = await fake.wait_for_message(42, "Welcome")
        fake.press_button_text(42, "Register a claim")
        await fake.wait_for_message(42, "serial number")
        fake.assert_no_violations()
        fake.assert_all_callbacks_answered()

Private chats have ``chat.id == user.id``; groups (``add_group``) have negative ids. The bot can
only write to chats Telegram would let it: users that wrote to it (or ``add_user``) and groups
registered with ``add_group``; others get 400 "chat not found".
"""

from __future__ import annotations

import asyncio
import contextlib
import copy
import hashlib
import io
import json
import math
import mimetypes
import re
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple, TypeVar
from urllib.parse import urlsplit

import aiohttp
from aiohttp import web

from .spec import BotApiSpec, CallCheck, UploadedFile, Violation, parse_entities

T = TypeVar("T")
JSON = dict[str, Any]

DEFAULT_TOKEN = "123456789:AAFakeBotTokenForTests_0123456789abcdef"
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
PHOTO_SIZE_STEPS = (90, 320, 800, 1280)
DOWNLOAD_LIMIT = 20 * 1024 * 1024
NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply markup "
    "are exactly the same as a current content and reply markup of the message"
)
QUERY_INVALID = "Bad Request: query is too old and response timeout expired or query ID is invalid"
BLOCKED = "Forbidden: bot was blocked by the user"
KICKED = "Forbidden: bot was kicked from the supergroup chat"
_COMMAND_RE = re.compile(r"/[A-Za-z0-9_]{1,32}(?:@\w+)?")
_ATTACH_RE = re.compile(r"attach://([A-Za-z0-9_.\-]+)")
_DROP = object()
ANONYMOUS_ADMIN = {
    "id": 1087968824,
    "is_bot": True,
    "first_name": "Group",
    "username": "GroupAnonymousBot",
}
MEMBER_TYPES = {  # ChatMember.status -> its type in the spec
    "creator": "ChatMemberOwner",
    "administrator": "ChatMemberAdministrator",
    "member": "ChatMemberMember",
    "restricted": "ChatMemberRestricted",
    "left": "ChatMemberLeft",
    "kicked": "ChatMemberBanned",
}


class ApiCall(NamedTuple):
    """One recorded call: canonical method name and decoded params."""

    method: str
    params: JSON


@dataclass
class StoredFile:
    file_id: str
    file_unique_id: str
    file_path: str
    data: bytes
    kind: str  # "photo" | "document" | ...
    mime_type: str | None = None
    file_name: str | None = None
    width: int | None = None
    height: int | None = None
    photo_sizes: list[JSON] | None = None  # for photos: the whole size array it belongs to

    def as_file(self) -> JSON:
        """The Bot API ``File`` object (what getFile returns)."""
        return {
            "file_id": self.file_id,
            "file_unique_id": self.file_unique_id,
            "file_size": len(self.data),
            "file_path": self.file_path,
        }


@dataclass
class WebhookDelivery:
    update_id: int
    status: int | None  # HTTP status, None when the connection failed
    error: str | None
    secret_token: str | None  # the X-Telegram-Bot-Api-Secret-Token header that was sent


@dataclass
class CallbackQueryRecord:
    id: str
    user_id: int
    chat_id: int
    message_id: int
    data: str
    answered: bool = False
    answer: JSON | None = None


class ApiError(Exception):
    def __init__(self, code: int, description: str, parameters: JSON | None = None) -> None:
        super().__init__(description)
        self.code = code
        self.description = description
        self.parameters = parameters

    def payload(self) -> JSON:
        body: JSON = {"ok": False, "error_code": self.code, "description": self.description}
        if self.parameters:
            body["parameters"] = self.parameters
        return body


@dataclass
class _Entry:
    message: JSON
    outgoing: bool
    raw: JSON = field(default_factory=dict)  # text/caption as sent, parse_mode, markup
    deleted: bool = False


@dataclass
class _Chat:
    chat: JSON
    log: list[_Entry] = field(default_factory=list)
    next_message_id: int = 1
    cursor: int = 0  # wait_for_message consumed everything before this index
    action_mark: int = 0  # log length when the simulated customer last acted here
    blocked: str | None = None
    reply_keyboard: list[list[str]] | None = None

    @property
    def id(self) -> int:
        return int(self.chat["id"])

    def new_message_id(self) -> int:
        self.next_message_id += 1
        return self.next_message_id - 1

    def find(self, message_id: int) -> _Entry | None:
        for entry in self.log:
            if entry.message["message_id"] == message_id and not entry.deleted:
                return entry
        return None


@dataclass
class _Fault:
    method: str  # lowercase method name or "*"
    times: int
    status: int = 0
    description: str = ""
    parameters: JSON | None = None
    body: str | None = None
    drop: bool = False
    processed: bool = False
    chat_id: int | str | None = None  # only calls to this chat (None: any)


# Calls that put (or change, or remove) a message in a chat: what Telegram's limits count.
# Callback answers, getFile, setMyCommands... are not messages.
FLOOD_COUNTED = frozenset(
    {
        "sendmessage",
        "sendphoto",
        "senddocument",
        "sendmediagroup",
        "sendvideo",
        "sendanimation",
        "sendaudio",
        "sendvoice",
        "sendsticker",
        "sendlocation",
        "sendcontact",
        "sendpoll",
        "copymessage",
        "forwardmessage",
        "editmessagetext",
        "editmessagecaption",
        "editmessagereplymarkup",
        "editmessagemedia",
        "deletemessage",
    }
)


class FloodControl:
    """Telegram's published sending limits, counted when a call arrives (after validation):

    - 30 messages per second overall (at most 30 in any 1 s window),
    - per chat 1 message per second with a burst of 3 (a token bucket),
    - per group (negative chat id) also 20 messages per minute (at most 20 in any 60 s).

    A call over a limit is answered ``429 Too Many Requests`` with ``retry_after`` (whole
    seconds, at least 1) and is not counted. ``clock`` is the fake's own monotonic clock (a
    virtual one in the in-process tests).
    """

    def __init__(
        self,
        clock: Callable[[], float] = time.monotonic,
        *,
        overall: tuple[int, float] = (30, 1.0),
        chat_burst: int = 3,
        chat_rate: float = 1.0,
        group: tuple[int, float] = (20, 60.0),
    ) -> None:
        self.clock = clock
        self.overall = overall
        self.chat_burst = chat_burst
        self.chat_rate = chat_rate
        self.group = group
        self.accepted = 0
        self.rejected: list[tuple[str, int, str]] = []  # (method, chat_id, which limit)
        self._overall: list[float] = []
        self._buckets: dict[int, tuple[float, float]] = {}  # chat -> (tokens, at)
        self._groups: dict[int, list[float]] = {}

    def admit(self, method: str, params: Mapping[str, Any]) -> float | None:
        """None when the call may go; else the seconds to wait (and the 429 is recorded)."""
        if method.lower() not in FLOOD_COUNTED:
            return None
        try:
            chat_id = int(params.get("chat_id"))  # type: ignore[arg-type]
        except (TypeError, ValueError):
            return None  # inline messages, @channel names: not modelled
        now = self.clock()
        waits = {"overall": _window_wait(self._overall, *self.overall, now)}
        tokens, at = self._buckets.get(chat_id, (float(self.chat_burst), now))
        tokens = min(float(self.chat_burst), tokens + (now - at) * self.chat_rate)
        waits["chat"] = 0.0 if tokens >= 1 - 1e-9 else (1 - tokens) / self.chat_rate
        if chat_id < 0:
            waits["group"] = _window_wait(self._groups.setdefault(chat_id, []), *self.group, now)
        worst = max(waits, key=lambda k: waits[k])
        if waits[worst] > 0:
            self.rejected.append((method, chat_id, worst))
            return waits[worst]
        self.accepted += 1
        self._overall.append(now)
        self._buckets[chat_id] = (tokens - 1, now)
        if chat_id < 0:
            self._groups[chat_id].append(now)
        return None


def _window_wait(arrivals: list[float], count: int, seconds: float, now: float) -> float:
    """At most ``count`` arrivals in any ``seconds`` window: 0, or how long until one more fits."""
    while arrivals and arrivals[0] <= now - seconds:
        arrivals.pop(0)
    if len(arrivals) < count:
        return 0.0
    return arrivals[len(arrivals) - count] + seconds - now


@dataclass
class _Queued:
    update: JSON
    forced: bool = False  # below the confirmed offset: deliver once anyway (redelivery)
    delivered: bool = False

    @property
    def update_id(self) -> int:
        return int(self.update["update_id"])

    @property
    def kind(self) -> str:
        return next((k for k in self.update if k != "update_id"), "")


class FakeBotApi:
    """A local stand-in for the Telegram Bot API (one bot token)."""

    def __init__(
        self,
        token: str = DEFAULT_TOKEN,
        *,
        spec: BotApiSpec | None = None,
        bot_username: str = "redeem_test_bot",
        bot_first_name: str = "Redeem Test Bot",
        webhook_retry_delay: float = 0.05,
        webhook_max_attempts: int = 20,
        webhook_timeout: float = 5.0,
    ) -> None:
        self.token = token
        self.spec = spec or BotApiSpec.load()
        self.bot_id = int(token.split(":", 1)[0])
        self.bot_user: JSON = {
            "id": self.bot_id,
            "is_bot": True,
            "first_name": bot_first_name,
            "username": bot_username,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
        }
        self.webhook_retry_delay = webhook_retry_delay
        self.webhook_max_attempts = webhook_max_attempts
        self.webhook_timeout = webhook_timeout

        self.calls: list[ApiCall] = []
        self.violations: list[str] = []
        self.api_errors: list[tuple[str, str]] = []  # (method, description) of 4xx/5xx answers
        self.chat_actions: list[tuple[int, str]] = []
        self.callback_queries: dict[str, CallbackQueryRecord] = {}
        self.webhook_deliveries: list[WebhookDelivery] = []
        self.delivered_update_ids: list[int] = []
        self.files: dict[str, StoredFile] = {}

        self._users: dict[int, JSON] = {}
        self._chats: dict[int, _Chat] = {}
        self._roles: dict[int, dict[int, str]] = {}  # group -> user -> ChatMember status
        self._commands: dict[tuple[str, str], list[JSON]] = {}
        self._queue: list[_Queued] = []
        self._next_update_id = 1000
        self._confirmed_offset = 0
        self._allowed_updates: list[str] = []
        self._poll_generation = 0
        self._counter = 0
        self._faults: list[_Fault] = []
        self._refusals: list[_Fault] = []
        self.flood: FloodControl | None = None  # enforce_limits() turns Telegram's limits on
        # in-process harnesses await this on the way in and on the way out of each call (a
        # simulated network, e.g. on a virtual clock); None: no delay
        self.transit: Callable[[str], Any] | None = None
        self._latency: dict[str, float] = {}
        self._call_cursor: dict[str, int] = {}
        self._call_mark = 0
        self._webhook: JSON | None = None
        self._webhook_error: tuple[int, str] | None = None
        self._webhook_task: asyncio.Task[None] | None = None
        self._client: aiohttp.ClientSession | None = None
        self._runner: web.AppRunner | None = None
        self._port: int | None = None
        self._closing = False
        self._changed = asyncio.Event()
        self._handlers: dict[str, Callable[[JSON], Any]] = {
            "getMe": self._get_me,
            "logOut": self._true,
            "close": self._true,
            "getUpdates": self._get_updates,
            "setWebhook": self._set_webhook,
            "deleteWebhook": self._delete_webhook,
            "getWebhookInfo": self._get_webhook_info,
            "setMyCommands": self._set_my_commands,
            "getMyCommands": self._get_my_commands,
            "deleteMyCommands": self._delete_my_commands,
            "sendMessage": self._send_message,
            "editMessageText": self._edit_message_text,
            "editMessageCaption": self._edit_message_caption,
            "editMessageReplyMarkup": self._edit_message_reply_markup,
            "deleteMessage": self._delete_message,
            "answerCallbackQuery": self._answer_callback_query,
            "sendPhoto": self._send_photo,
            "sendDocument": self._send_document,
            "sendMediaGroup": self._send_media_group,
            "getChat": self._get_chat,
            "sendChatAction": self._send_chat_action,
            "getFile": self._get_file,
            "getChatMember": self._get_chat_member,
            "getChatAdministrators": self._get_chat_administrators,
        }

    # ------------------------------------------------------------------ lifecycle

    async def start(self) -> FakeBotApi:
        if self._runner is not None:
            return self
        self._closing = False
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._handle_api)
        app.router.add_get("/file/bot{token}/{path:.+}", self._handle_file)
        runner = web.AppRunner(app, shutdown_timeout=0.5, access_log=None)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        self._runner = runner
        self._port = int(runner.addresses[0][1])
        return self

    async def stop(self) -> None:
        self._closing = True
        self._notify()
        await self._stop_webhook_task()
        if self._client is not None:
            await self._client.close()
            self._client = None
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> FakeBotApi:
        return await self.start()

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    @property
    def base_url(self) -> str:
        """``http://127.0.0.1:<port>`` (the equivalent of ``https://api.telegram.org``)."""
        if self._port is None:
            raise RuntimeError("FakeBotApi is not started")
        return f"http://127.0.0.1:{self._port}"

    @property
    def api_url(self) -> str:
        """``<base_url>/bot<token>``: append ``/<method>`` for a call."""
        return f"{self.base_url}/bot{self.token}"

    def ptb_urls(self) -> dict[str, str]:
        """Keyword arguments for ``telegram.Bot(token, **fake.ptb_urls())``."""
        return {"base_url": f"{self.base_url}/bot", "base_file_url": f"{self.base_url}/file/bot"}

    def aiogram_server(self) -> Any:
        """An ``aiogram.client.telegram.TelegramAPIServer`` for ``AiohttpSession(api=...)``."""
        from aiogram.client.telegram import TelegramAPIServer

        return TelegramAPIServer.from_base(self.base_url)

    # ------------------------------------------------------------------ the simulated world

    def add_user(
        self,
        user_id: int,
        first_name: str | None = None,
        *,
        last_name: str | None = None,
        username: str | None = None,
        language_code: str | None = "en",
        is_bot: bool = False,
    ) -> JSON:
        """Register (or update) a customer; their private chat becomes reachable by the bot."""
        if user_id <= 0:
            raise ValueError("user ids are positive")
        user: JSON = {"id": user_id, "is_bot": is_bot, "first_name": first_name or f"User{user_id}"}
        for key, value in (
            ("last_name", last_name),
            ("username", username),
            ("language_code", language_code),
        ):
            if value is not None:
                user[key] = value
        self._users[user_id] = user
        chat = {"id": user_id, "type": "private", "first_name": user["first_name"]}
        for key in ("last_name", "username"):
            if key in user:
                chat[key] = user[key]
        if user_id in self._chats:
            self._chats[user_id].chat = chat
        else:
            self._chats[user_id] = _Chat(chat)
        return copy.deepcopy(user)

    def add_group(
        self,
        chat_id: int,
        title: str = "Staff",
        *,
        type: str = "supergroup",
        username: str | None = None,
    ) -> JSON:
        """Register a group the bot is a member of (negative id, e.g. ``-1001234567890``)."""
        if chat_id >= 0:
            raise ValueError("group chat ids are negative")
        chat: JSON = {"id": chat_id, "type": type, "title": title}
        if username:
            chat["username"] = username
        if chat_id in self._chats:
            self._chats[chat_id].chat = chat
        else:
            self._chats[chat_id] = _Chat(chat)
        return copy.deepcopy(chat)

    def set_role(self, chat_id: int, user_id: int, status: str) -> None:
        """A user's status in a group, as ``getChatMember`` reports it: ``creator``,
        ``administrator``, ``member`` (the default for anyone who wrote there), ``restricted``,
        ``left``, ``kicked``."""
        if status not in MEMBER_TYPES:
            raise ValueError(f"unknown ChatMember status {status!r}")
        self._group(chat_id)
        self._ensure_user(user_id)
        self._roles.setdefault(chat_id, {})[user_id] = status

    def send_anonymous(
        self,
        chat_id: int,
        text: str,
        *,
        reply_to_message_id: int | None = None,
        signature: str | None = None,
    ) -> JSON:
        """An anonymous admin (or the group itself) writes: ``from`` is GroupAnonymousBot,
        ``sender_chat`` the group, as Telegram sends it."""
        chat = self._group(chat_id)
        self._mark_action(chat)
        message: JSON = {
            "message_id": chat.new_message_id(),
            "from": dict(ANONYMOUS_ADMIN),
            "sender_chat": copy.deepcopy(chat.chat),
            "chat": copy.deepcopy(chat.chat),
            "date": int(time.time()),
            "text": text,
        }
        if m := _COMMAND_RE.match(text):
            message["entities"] = [{"type": "bot_command", "offset": 0, "length": m.end()}]
        if signature:
            message["author_signature"] = signature
        if reply_to_message_id is not None:
            target = chat.find(reply_to_message_id)
            if target is None:
                raise AssertionError(f"no message {reply_to_message_id} in chat {chat.id}")
            message["reply_to_message"] = _without_reply(target.message)
        chat.log.append(_Entry(message, False))
        return self.enqueue_update({"message": copy.deepcopy(message)})

    def forward_text(self, user_id: int, text: str, *, chat_id: int, origin_user_id: int) -> JSON:
        """``user_id`` forwards into ``chat_id`` a text message written by ``origin_user_id``
        (``forward_origin`` of type ``user``, as Telegram sends it)."""
        origin = {
            "type": "user",
            "sender_user": copy.deepcopy(self._ensure_user(origin_user_id)),
            "date": int(time.time()),
        }
        content: JSON = {"text": text, "forward_origin": origin}
        if m := _COMMAND_RE.match(text):
            content["entities"] = [{"type": "bot_command", "offset": 0, "length": m.end()}]
        return self._inbound(user_id, chat_id, content)

    def block_bot(self, user_id: int) -> None:
        """The user blocked the bot: sends to their chat answer 403."""
        self._ensure_user(user_id)
        self._chats[user_id].blocked = BLOCKED

    def unblock_bot(self, user_id: int) -> None:
        if user_id in self._chats:
            self._chats[user_id].blocked = None

    def kick_bot(self, chat_id: int) -> None:
        """The bot was removed from a group: sends there answer 403."""
        self._group(chat_id).blocked = KICKED

    # ------------------------------------------------------------------ customer actions

    def send_text(
        self,
        user_id: int,
        text: str,
        *,
        chat_id: int | None = None,
        reply_to_message_id: int | None = None,
    ) -> JSON:
        """The customer sends a text message; returns the queued update."""
        content: JSON = {"text": text}
        if m := _COMMAND_RE.match(text):
            content["entities"] = [{"type": "bot_command", "offset": 0, "length": m.end()}]
        return self._inbound(user_id, chat_id, content, reply_to_message_id=reply_to_message_id)

    def send_command(
        self, user_id: int, command: str, args: str | None = None, *, chat_id: int | None = None
    ) -> JSON:
        """``send_command(42, "start", "promo")`` sends ``/start promo``."""
        text = "/" + command.lstrip("/")
        if chat_id is not None and chat_id < 0:
            text += "@" + self.bot_user["username"]
        return self.send_text(user_id, f"{text} {args}" if args else text, chat_id=chat_id)

    def send_photo(
        self,
        user_id: int,
        data: bytes,
        caption: str | None = None,
        *,
        chat_id: int | None = None,
        media_group_id: str | None = None,
        reply_to_message_id: int | None = None,
    ) -> JSON:
        """The customer sends a photo; Telegram-like ``photo`` array of sizes (smallest first)."""
        content: JSON = {"photo": self._photo_sizes(data, strict=False)}
        if caption is not None:
            content["caption"] = caption
        if media_group_id is not None:
            content["media_group_id"] = media_group_id
        return self._inbound(user_id, chat_id, content, reply_to_message_id=reply_to_message_id)

    def send_document(
        self,
        user_id: int,
        data: bytes,
        filename: str = "document.pdf",
        mime: str | None = None,
        caption: str | None = None,
        *,
        chat_id: int | None = None,
        media_group_id: str | None = None,
    ) -> JSON:
        stored = self._store_file(data, "document", file_name=filename, mime_type=mime)
        content: JSON = {"document": _document_json(stored)}
        if caption is not None:
            content["caption"] = caption
        if media_group_id is not None:
            content["media_group_id"] = media_group_id
        return self._inbound(user_id, chat_id, content)

    def send_album(
        self,
        user_id: int,
        items: Sequence[bytes],
        caption: str | None = None,
        *,
        chat_id: int | None = None,
        documents: bool = False,
    ) -> list[JSON]:
        """Several photos (or documents) sharing one ``media_group_id``; caption on the first."""
        group = str(10_000_000_000 + self._next())
        updates = []
        for index, data in enumerate(items):
            text = caption if index == 0 else None
            if documents:
                name = f"file{index + 1}.pdf"
                updates.append(
                    self.send_document(
                        user_id, data, name, None, text, chat_id=chat_id, media_group_id=group
                    )
                )
            else:
                updates.append(
                    self.send_photo(user_id, data, text, chat_id=chat_id, media_group_id=group)
                )
        return updates

    def send_contact(
        self,
        user_id: int,
        phone_number: str,
        *,
        first_name: str | None = None,
        chat_id: int | None = None,
        own: bool = True,
    ) -> JSON:
        """A shared contact (a ``request_contact`` button press when ``own``)."""
        user = self._ensure_user(user_id)
        contact: JSON = {
            "phone_number": phone_number,
            "first_name": first_name or user["first_name"],
        }
        if own:
            contact["user_id"] = user_id
        return self._inbound(user_id, chat_id, {"contact": contact})

    def press_button(
        self,
        user_id: int,
        callback_data: str,
        message_id: int | None = None,
        *,
        chat_id: int | None = None,
    ) -> JSON:
        """Press an inline button; returns the queued ``callback_query`` update.

        Without ``message_id`` the newest bot message whose keyboard has a button with this
        ``callback_data`` is used (AssertionError if there is none). With ``message_id`` the press
        is sent even if the button is no longer there (a stale client).
        """
        chat = self._chat_for(user_id, chat_id)
        if message_id is None:
            entry = self._find_button_message(
                chat, lambda b: b.get("callback_data") == callback_data
            )
            if entry is None:
                raise AssertionError(
                    f"no inline button with callback_data={callback_data!r} in chat {chat.id}; "
                    f"buttons of the last keyboard: {self.inline_buttons(chat.id)}"
                )
        else:
            entry = chat.find(message_id)
            if entry is None:
                raise AssertionError(f"no message {message_id} in chat {chat.id}")
        return self._callback_update(user_id, chat, entry, callback_data)

    def press_button_text(
        self, user_id: int, text: str, *, chat_id: int | None = None, message_id: int | None = None
    ) -> JSON:
        """Press the inline button labelled ``text`` (newest keyboard that has it)."""
        chat = self._chat_for(user_id, chat_id)
        if message_id is not None:
            entry = chat.find(message_id)
            buttons = _buttons(entry.message) if entry else []
            found = next((b for b in buttons if b.get("text") == text), None)
        else:
            entry = self._find_button_message(chat, lambda b: b.get("text") == text)
            buttons = _buttons(entry.message) if entry else []
            found = next((b for b in buttons if b.get("text") == text), None)
        if entry is None or found is None:
            raise AssertionError(
                f"no inline button labelled {text!r} in chat {chat.id}; "
                f"last keyboard: {self.button_texts(chat.id)}"
            )
        if "callback_data" not in found:
            raise AssertionError(f"button {text!r} has no callback_data: {found}")
        return self._callback_update(user_id, chat, entry, found["callback_data"])

    def enqueue_update(self, update: Mapping[str, Any]) -> JSON:
        """Queue a raw update. Without ``update_id`` one is assigned; re-enqueueing an update the
        bot already confirmed (same ``update_id``) delivers it once more, like a redelivery."""
        raw = copy.deepcopy(dict(update))
        if "update_id" not in raw:
            raw = {"update_id": self._next_update_id, **raw}
        update_id = int(raw["update_id"])
        self._next_update_id = max(self._next_update_id, update_id + 1)
        self._queue.append(_Queued(raw, forced=update_id < self._confirmed_offset))
        self._notify()
        return copy.deepcopy(raw)

    def register_file(
        self,
        data: bytes,
        *,
        kind: str = "document",
        file_name: str | None = None,
        mime_type: str | None = None,
    ) -> JSON:
        """Make a file downloadable via getFile; returns its ``File`` object (with file_id)."""
        return self._store_file(data, kind, file_name=file_name, mime_type=mime_type).as_file()

    def file_bytes(self, file_id: str) -> bytes:
        return self.files[file_id].data

    # ------------------------------------------------------------------ fault injection

    def fail_next(
        self,
        method: str = "*",
        status: int = 429,
        *,
        retry_after: int | None = None,
        times: int = 1,
        description: str | None = None,
        body: str | None = None,
        chat_id: int | str | None = None,
    ) -> None:
        """Answer the next ``times`` valid calls of ``method`` ("*" = any) with an error;
        ``chat_id``: only calls to that chat.

        429 carries ``parameters.retry_after`` (default 1 s). ``body`` replaces the JSON answer
        with raw text (e.g. an nginx HTML page for a 502).
        """
        parameters = None
        if status == 429:
            retry_after = 1 if retry_after is None else retry_after
            parameters = {"retry_after": retry_after}
            description = description or f"Too Many Requests: retry after {retry_after}"
        fault = _Fault(
            method.lower(),
            times,
            status=status,
            description=description or _default_description(status),
            parameters=parameters,
            body=body,
            chat_id=chat_id,
        )
        self._faults.append(fault)

    def drop_connection_next(
        self, method: str = "*", *, times: int = 1, processed: bool = False
    ) -> None:
        """Close the connection instead of answering. ``processed=True`` performs the call
        first (the message IS sent, but the bot never learns it) — the duplicate-send trap."""
        self._faults.append(_Fault(method.lower(), times, drop=True, processed=processed))

    def refuse_connection_next(self, method: str = "*", *, times: int = 1) -> None:
        """The next ``times`` calls of ``method`` cannot connect: they never reach the server
        (in-process harnesses raise their framework's connect error; over HTTP the best a
        server can do is to close the connection unanswered, a drop before processing)."""
        self._refusals.append(_Fault(method.lower(), times))

    def take_refusal(self, method: str) -> bool:
        """Consume a ``refuse_connection_next`` for ``method``: True when this call is refused."""
        for fault in self._refusals:
            if fault.method in ("*", method.lower()):
                fault.times -= 1
                if fault.times <= 0:
                    self._refusals.remove(fault)
                return True
        return False

    def enforce_limits(
        self, clock: Callable[[], float] = time.monotonic, **limits: Any
    ) -> FloodControl:
        """Answer calls over Telegram's published limits with 429 (see :class:`FloodControl`)."""
        self.flood = FloodControl(clock, **limits)
        return self.flood

    @property
    def flood_429s(self) -> int:
        """How many calls were answered 429 for going over the limits."""
        return 0 if self.flood is None else len(self.flood.rejected)

    def clear_faults(self) -> None:
        """Forget pending fail_next/drop_connection_next injections and latency."""
        self._faults.clear()
        self._refusals.clear()
        self._latency.clear()

    def set_latency(self, seconds: float, method: str | None = None) -> None:
        """Delay answers (of one method, or of all when ``method`` is None)."""
        self._latency[(method or "*").lower()] = seconds

    # ------------------------------------------------------------------ inspection

    def sent(self, chat_id: int, *, include_deleted: bool = False) -> list[JSON]:
        """Messages the bot sent to a chat (current state after edits), oldest first."""
        chat = self._chats.get(chat_id)
        if chat is None:
            return []
        return [
            copy.deepcopy(e.message)
            for e in chat.log
            if e.outgoing and (include_deleted or not e.deleted)
        ]

    def received(self, chat_id: int) -> list[JSON]:
        """Messages the simulated users sent in a chat."""
        chat = self._chats.get(chat_id)
        return [copy.deepcopy(e.message) for e in chat.log if not e.outgoing] if chat else []

    def last_message(self, chat_id: int) -> JSON | None:
        messages = self.sent(chat_id)
        return messages[-1] if messages else None

    def last_text(self, chat_id: int) -> str | None:
        """Text (or caption) of the bot's last message in the chat."""
        message = self.last_message(chat_id)
        return _text_of(message) if message else None

    def inline_buttons(self, chat_id: int) -> list[list[JSON]]:
        """Rows of the inline keyboard of the bot's last message that has one."""
        for message in reversed(self.sent(chat_id)):
            rows = message.get("reply_markup", {}).get("inline_keyboard")
            if rows:
                return rows
        return []

    def button_texts(self, chat_id: int) -> list[str]:
        return [b["text"] for row in self.inline_buttons(chat_id) for b in row]

    def reply_keyboard(self, chat_id: int) -> list[list[str]] | None:
        """Labels of the custom (reply) keyboard currently shown in the chat, if any."""
        chat = self._chats.get(chat_id)
        return copy.deepcopy(chat.reply_keyboard) if chat else None

    def transcript(self, chat_id: int) -> list[str]:
        """``"user: ..."`` / ``"bot: ..."`` lines, handy in failure messages."""
        chat = self._chats.get(chat_id)
        if chat is None:
            return []
        lines = []
        for entry in chat.log:
            who = "bot" if entry.outgoing else "user"
            text = _text_of(entry.message) or _media_kind(entry.message)
            lines.append(f"{who}: {text}{' [deleted]' if entry.deleted else ''}")
        return lines

    def calls_to(self, method: str) -> list[JSON]:
        """Params of every recorded call of ``method`` (case-insensitive)."""
        name = method.lower()
        return [c.params for c in self.calls if c.method.lower() == name]

    def call_count(self, method: str) -> int:
        return len(self.calls_to(method))

    def commands(
        self, scope: Mapping[str, Any] | None = None, language_code: str = ""
    ) -> list[JSON]:
        """The command list set with setMyCommands for a scope (default scope by default)."""
        return copy.deepcopy(self._commands.get(_commands_key(scope, language_code), []))

    @property
    def answered_callback_count(self) -> int:
        return sum(1 for q in self.callback_queries.values() if q.answered)

    def unanswered_callback_queries(self) -> list[CallbackQueryRecord]:
        return [q for q in self.callback_queries.values() if not q.answered]

    @property
    def pending_update_count(self) -> int:
        return len(self._queue)

    @property
    def webhook_url(self) -> str | None:
        return self._webhook["url"] if self._webhook else None

    def assert_no_violations(self) -> None:
        if self.violations:
            raise AssertionError("Bot API violations:\n  " + "\n  ".join(self.violations))

    def assert_all_callbacks_answered(self) -> None:
        missing = self.unanswered_callback_queries()
        if missing:
            listed = ", ".join(f"{q.id} (data={q.data!r})" for q in missing)
            raise AssertionError(f"callback queries never answered: {listed}")

    # ------------------------------------------------------------------ waiting

    async def wait_for(
        self, predicate: Callable[[], T], timeout: float = 10.0, *, what: str | None = None
    ) -> T:
        """Wait until ``predicate()`` is truthy (re-checked on every state change); return it."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            result = predicate()
            if result:
                return result
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise AssertionError(
                    f"timed out after {timeout}s waiting for {what or predicate!r}{self._summary()}"
                )
            await self._wait_change(remaining)

    async def wait_for_message(
        self,
        chat_id: int,
        text_contains: str | None = None,
        timeout: float = 10.0,
        *,
        predicate: Callable[[JSON], bool] | None = None,
    ) -> JSON:
        """Wait for the next bot message in ``chat_id`` (matching the filters) and return it.

        Only messages sent after the customer's last action in that chat and after the
        message previously returned by this method are considered, so consecutive calls read
        the conversation in order.
        """

        def find() -> JSON | None:
            chat = self._chats.get(chat_id)
            if chat is None:
                return None
            for index in range(max(chat.cursor, chat.action_mark), len(chat.log)):
                entry = chat.log[index]
                text = _text_of(entry.message) or ""
                if not entry.outgoing or (text_contains is not None and text_contains not in text):
                    continue
                if predicate is not None and not predicate(entry.message):
                    continue
                chat.cursor = index + 1
                return copy.deepcopy(entry.message)
            return None

        what = f"a bot message in chat {chat_id}" + (
            f" containing {text_contains!r}" if text_contains is not None else ""
        )
        return await self.wait_for(find, timeout, what=what)

    async def wait_for_call(
        self,
        method: str,
        predicate: Callable[[JSON], bool] | None = None,
        timeout: float = 10.0,
    ) -> JSON:
        """Wait for the next call of ``method`` (after the last customer action and after the call
        previously returned for this method); return its params."""
        name = method.lower()

        def find() -> JSON | None:
            start = max(self._call_mark, self._call_cursor.get(name, 0))
            for index in range(start, len(self.calls)):
                call = self.calls[index]
                if call.method.lower() == name and (predicate is None or predicate(call.params)):
                    self._call_cursor[name] = index + 1
                    return call.params
            return None

        return await self.wait_for(find, timeout, what=f"a {method} call")

    async def wait_for_updates_consumed(self, timeout: float = 10.0) -> None:
        """Wait until every queued update was confirmed (polling) or acknowledged (webhook)."""
        await self.wait_for(lambda: not self._queue, timeout, what="all updates consumed")

    # ------------------------------------------------------------------ HTTP layer

    async def _handle_api(self, request: web.Request) -> web.StreamResponse:
        method = request.match_info["method"]
        if request.match_info["token"] != self.token:
            return _json_response(ApiError(401, "Unauthorized").payload(), 401)
        try:
            params = await _read_params(request)
        except ValueError as exc:
            return _json_response(ApiError(400, f"Bad Request: {exc}").payload(), 400)
        delay = self._latency.get(method.lower(), self._latency.get("*", 0.0))
        if delay:
            await asyncio.sleep(delay)
        if self.take_refusal(method):
            if request.transport is not None:
                request.transport.close()
            return web.Response(status=500)
        outcome = await self._process(method, params, allow_faults=True)
        if outcome is _DROP:
            if request.transport is not None:
                request.transport.close()
            return web.Response(status=500)
        assert isinstance(outcome, web.StreamResponse)
        return outcome

    async def _handle_file(self, request: web.Request) -> web.StreamResponse:
        path = request.match_info["path"]
        stored = next((f for f in self.files.values() if f.file_path == path), None)
        if request.match_info["token"] != self.token or stored is None:
            return _json_response(ApiError(404, "Not Found").payload(), 404)
        return web.Response(
            body=stored.data, content_type=stored.mime_type or "application/octet-stream"
        )

    async def _process(
        self, method: str, params: Mapping[str, Any], *, allow_faults: bool = False
    ) -> Any:
        """Validate, record and execute one call; returns an aiohttp response (or _DROP)."""
        check = self._check(method, params)
        self.calls.append(ApiCall(check.method, check.params))
        self._notify()
        if not check.ok:
            self.violations.extend(check.messages)
            status = 400 if check.known else 404
            return self._error_response(check.method, ApiError(status, check.error_description()))
        retry_after = (
            self.flood.admit(check.method, check.params) if self.flood is not None else None
        )
        if retry_after is not None:
            seconds = max(1, math.ceil(retry_after))
            error = ApiError(
                429, f"Too Many Requests: retry after {seconds}", {"retry_after": seconds}
            )
            return self._error_response(check.method, error)
        fault = self._take_fault(check.method, check.params) if allow_faults else None
        if fault is not None and not fault.drop:
            return self._fault_response(check.method, fault)
        if fault is not None and not fault.processed:
            return _DROP
        try:
            result = await self._execute(check.method, check.params)
        except ApiError as exc:
            return self._error_response(check.method, exc)
        finally:
            self._notify()
        if fault is not None:
            return _DROP
        return _json_response(result, 200)

    def _check(self, method: str, params: Mapping[str, Any]) -> CallCheck:
        values = dict(params)
        refs: set[str] = set()
        for value in values.values():
            _collect_attach_refs(value, refs)
        attachments = {
            name: values.pop(name) for name in refs if isinstance(values.get(name), UploadedFile)
        }
        check = self.spec.check_call(method, values)
        missing: list[str] = []
        check.params = _substitute_attachments(check.params, attachments, missing)
        for name in missing:
            check.violations.append(
                Violation(f"{check.method}", f"attach://{name} refers to no uploaded file part")
            )
        return check

    async def _execute(self, method: str, params: JSON) -> JSON:
        handler = self._handlers.get(method)
        if handler is not None:
            result = await handler(params)
            if isinstance(result, tuple):
                return {"ok": True, "result": result[0], "description": result[1]}
            return {"ok": True, "result": result}
        spec = self.spec.methods[method]
        if spec.returns == ("Boolean",):
            return {"ok": True, "result": True}
        self.violations.append(f"{method}: not implemented by FakeBotApi (extend the fake)")
        raise ApiError(400, f"Bad Request: FakeBotApi does not implement {method}")

    def _error_response(self, method: str, error: ApiError) -> web.Response:
        self.api_errors.append((method, error.description))
        return _json_response(error.payload(), error.code)

    def _fault_response(self, method: str, fault: _Fault) -> web.Response:
        self.api_errors.append((method, fault.description))
        if fault.body is not None:
            return web.Response(status=fault.status, text=fault.body, content_type="text/html")
        error = ApiError(fault.status, fault.description, fault.parameters)
        return _json_response(error.payload(), fault.status)

    def _take_fault(self, method: str, params: Mapping[str, Any]) -> _Fault | None:
        for fault in self._faults:
            chat = fault.chat_id
            if fault.method in ("*", method.lower()) and (
                chat is None or str(params.get("chat_id")) == str(chat)
            ):
                fault.times -= 1
                if fault.times <= 0:
                    self._faults.remove(fault)
                return fault
        return None

    # ------------------------------------------------------------------ updates & webhook

    async def _get_updates(self, params: JSON) -> list[JSON]:
        if self._webhook is not None:
            raise ApiError(
                409,
                "Conflict: can't use getUpdates method while webhook is active; "
                "use deleteWebhook to delete the webhook first",
            )
        offset = params.get("offset")
        limit = params.get("limit", 100)
        if "allowed_updates" in params:
            self._allowed_updates = list(params["allowed_updates"])
        self._confirm(offset)
        self._poll_generation += 1
        generation = self._poll_generation
        self._notify()  # wake an older poller so it can answer 409
        loop = asyncio.get_running_loop()
        deadline = loop.time() + max(0, int(params.get("timeout", 0)))
        while True:
            if generation != self._poll_generation:
                raise ApiError(
                    409,
                    "Conflict: terminated by other getUpdates request; "
                    "make sure that only one bot instance is running",
                )
            batch = self._eligible(offset, limit)
            remaining = deadline - loop.time()
            if batch or remaining <= 0 or self._closing or self._webhook is not None:
                for entry in batch:
                    entry.delivered = True
                    self.delivered_update_ids.append(entry.update_id)
                return [copy.deepcopy(e.update) for e in batch]
            await self._wait_change(remaining)

    def _confirm(self, offset: int | None) -> None:
        if offset is None:
            return
        if offset < 0:
            self._queue = self._queue[offset:]
            return
        self._queue = [
            e for e in self._queue if e.update_id >= offset or (e.forced and not e.delivered)
        ]
        self._confirmed_offset = max(self._confirmed_offset, offset)
        self._notify()

    def _eligible(self, offset: int | None, limit: int) -> list[_Queued]:
        if self._allowed_updates:
            self._queue = [e for e in self._queue if e.kind in self._allowed_updates]
        entries = [
            e
            for e in self._queue
            if offset is None or offset <= 0 or e.update_id >= offset or e.forced
        ]
        return sorted(entries, key=lambda e: e.update_id)[:limit]

    async def _set_webhook(self, params: JSON) -> tuple[bool, str]:
        url = params["url"]
        if not url:
            return await self._delete_webhook(params)
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or parts.hostname not in LOOPBACK_HOSTS:
            raise ApiError(
                400, "Bad Request: bad webhook: FakeBotApi delivers only to http(s)://127.0.0.1"
            )
        if params.get("drop_pending_updates"):
            self._queue.clear()
        if "allowed_updates" in params:
            self._allowed_updates = list(params["allowed_updates"])
        self._webhook = {
            "url": url,
            "secret_token": params.get("secret_token"),
            "max_connections": params.get("max_connections", 40),
        }
        self._webhook_error = None
        await self._stop_webhook_task()
        self._webhook_task = asyncio.create_task(self._webhook_loop())
        self._notify()
        return True, "Webhook was set"

    async def _delete_webhook(self, params: JSON) -> tuple[bool, str]:
        if params.get("drop_pending_updates"):
            self._queue.clear()
        existed = self._webhook is not None
        self._webhook = None
        await self._stop_webhook_task()
        self._notify()
        return True, "Webhook was deleted" if existed else "Webhook is already deleted"

    async def _get_webhook_info(self, params: JSON) -> JSON:
        info: JSON = {
            "url": self._webhook["url"] if self._webhook else "",
            "has_custom_certificate": False,
            "pending_update_count": len(self._queue),
        }
        if self._webhook:
            info["max_connections"] = self._webhook["max_connections"]
        if self._allowed_updates:
            info["allowed_updates"] = list(self._allowed_updates)
        if self._webhook_error:
            info["last_error_date"], info["last_error_message"] = self._webhook_error
        return info

    async def _stop_webhook_task(self) -> None:
        task, self._webhook_task = self._webhook_task, None
        if task is not None and task is not asyncio.current_task():
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def _webhook_loop(self) -> None:
        attempts = 0
        while not self._closing and self._webhook is not None:
            if not self._queue:
                await self._wait_change(None)
                continue
            entry = min(self._queue, key=lambda e: e.update_id)
            if await self._deliver(entry):
                attempts = 0
                self._queue.remove(entry)
                self.delivered_update_ids.append(entry.update_id)
                self._notify()
                continue
            attempts += 1
            if attempts >= self.webhook_max_attempts:
                attempts = 0
                self._queue.remove(entry)
                self._notify()
                continue
            await asyncio.sleep(self.webhook_retry_delay * min(2 ** (attempts - 1), 16))

    async def _deliver(self, entry: _Queued) -> bool:
        assert self._webhook is not None
        if self._client is None:
            self._client = aiohttp.ClientSession()
        secret = self._webhook.get("secret_token")
        headers = {"X-Telegram-Bot-Api-Secret-Token": secret} if secret else {}
        timeout = aiohttp.ClientTimeout(total=self.webhook_timeout)
        try:
            async with self._client.post(
                self._webhook["url"], json=entry.update, headers=headers, timeout=timeout
            ) as resp:
                ok = 200 <= resp.status < 300
                reply = await _read_reply_method(resp) if ok else None
                error = (
                    None if ok else f"Wrong response from the webhook: {resp.status} {resp.reason}"
                )
                status: int | None = resp.status
        except (aiohttp.ClientError, TimeoutError) as exc:
            ok, reply, status = False, None, None
            error = f"Connection failed: {type(exc).__name__}"
        self.webhook_deliveries.append(WebhookDelivery(entry.update_id, status, error, secret))
        if error is not None:
            self._webhook_error = (int(time.time()), error)
        if reply is not None:
            method = str(reply.pop("method"))
            await self._process(method, reply)
        self._notify()
        return ok

    # ------------------------------------------------------------------ simple methods

    async def _true(self, params: JSON) -> bool:
        return True

    async def _get_me(self, params: JSON) -> JSON:
        return copy.deepcopy(self.bot_user)

    async def _set_my_commands(self, params: JSON) -> bool:
        key = _commands_key(params.get("scope"), params.get("language_code", ""))
        self._commands[key] = copy.deepcopy(params["commands"])
        return True

    async def _get_my_commands(self, params: JSON) -> list[JSON]:
        return self.commands(params.get("scope"), params.get("language_code", ""))

    async def _delete_my_commands(self, params: JSON) -> bool:
        self._commands.pop(
            _commands_key(params.get("scope"), params.get("language_code", "")), None
        )
        return True

    async def _send_chat_action(self, params: JSON) -> bool:
        chat = self._target(params)
        self.chat_actions.append((chat.id, params["action"]))
        return True

    async def _answer_callback_query(self, params: JSON) -> bool:
        query = self.callback_queries.get(str(params["callback_query_id"]))
        if query is None or query.answered:
            raise ApiError(400, QUERY_INVALID)
        query.answered = True
        query.answer = copy.deepcopy(params)
        return True

    async def _get_file(self, params: JSON) -> JSON:
        stored = self.files.get(params["file_id"])
        if stored is None:
            raise ApiError(400, "Bad Request: invalid file_id")
        if len(stored.data) > DOWNLOAD_LIMIT:
            raise ApiError(400, "Bad Request: file is too big")
        return stored.as_file()

    # ------------------------------------------------------------------ messages

    async def _send_message(self, params: JSON) -> JSON:
        chat = self._target(params)
        text, raw = _rendered(params, "text")
        return self._post_outgoing(chat, {"text": text}, raw, params)

    async def _send_photo(self, params: JSON) -> JSON:
        chat = self._target(params)
        sizes = self._outgoing_photo(params["photo"])
        content: JSON = {"photo": sizes}
        raw: JSON = {}
        if params.get("caption"):
            content["caption"], raw = _rendered(params, "caption")
        return self._post_outgoing(chat, content, raw, params)

    async def _send_document(self, params: JSON) -> JSON:
        chat = self._target(params)
        stored = self._outgoing_file(params["document"], "document")
        content: JSON = {"document": _document_json(stored)}
        raw: JSON = {}
        if params.get("caption"):
            content["caption"], raw = _rendered(params, "caption")
        return self._post_outgoing(chat, content, raw, params)

    async def _send_media_group(self, params: JSON) -> list[JSON]:
        """An album of 2-10 photos or documents: one message each, one media_group_id."""
        chat = self._target(params)
        media = params["media"]
        if not 2 <= len(media) <= 10:
            raise ApiError(400, "Bad Request: wrong number of media in the album")
        group, sent = f"fakealbum{self._next()}", []
        for item in media:
            if item.get("type") == "photo":
                content: JSON = {"photo": self._outgoing_photo(item["media"])}
            else:
                stored = self._outgoing_file(item["media"], "document")
                content = {"document": _document_json(stored)}
            content["media_group_id"] = group
            raw: JSON = {}
            if item.get("caption"):
                content["caption"], raw = _rendered(item, "caption")
            sent.append(self._post_outgoing(chat, content, raw, params))
        return sent

    async def _edit_message_text(self, params: JSON) -> JSON:
        chat, entry = self._editable(params)
        if "text" not in entry.message:
            raise ApiError(400, "Bad Request: there is no text in the message to edit")
        text, raw = _rendered(params, "text")
        return self._apply_edit(entry, {"text": text}, raw, params)

    async def _edit_message_caption(self, params: JSON) -> JSON:
        chat, entry = self._editable(params)
        if "text" in entry.message:
            raise ApiError(400, "Bad Request: there is no caption in the message to edit")
        caption, raw = _rendered(params, "caption") if params.get("caption") else ("", {})
        return self._apply_edit(entry, {"caption": caption} if caption else {}, raw, params)

    async def _edit_message_reply_markup(self, params: JSON) -> JSON:
        chat, entry = self._editable(params)
        raw = {k: v for k, v in entry.raw.items() if k != "reply_markup"}
        content = {k: entry.message[k] for k in ("text", "caption") if k in entry.message}
        return self._apply_edit(entry, content, raw, params)

    async def _delete_message(self, params: JSON) -> bool:
        chat = self._target(params)
        entry = chat.find(params["message_id"])
        if entry is None:
            raise ApiError(400, "Bad Request: message to delete not found")
        entry.deleted = True
        return True

    async def _get_chat(self, params: JSON) -> JSON:
        """``ChatFullInfo``: the fields the spec requires, ``is_forum`` for a forum."""
        chat = self._target(params)
        info: JSON = {
            **copy.deepcopy(chat.chat),
            "accent_color_id": 0,
            "max_reaction_count": 11,
            "accepted_gift_types": {
                "unlimited_gifts": False,
                "limited_gifts": False,
                "unique_gifts": False,
                "premium_subscription": False,
                "gifts_from_channels": False,
            },
        }
        return info

    async def _get_chat_member(self, params: JSON) -> JSON:
        chat_id, user_id = self._member_chat(params), int(params["user_id"])
        user = self._users.get(user_id)
        if user is None:
            raise ApiError(400, "Bad Request: user not found")
        if chat_id > 0:
            return self._member(user, "member" if chat_id == user_id else "left")
        return self._member(
            user, self._roles.get(chat_id, {}).get(user_id, self._default_role(chat_id, user_id))
        )

    async def _get_chat_administrators(self, params: JSON) -> list[JSON]:
        chat_id = self._member_chat(params)
        if chat_id > 0:
            raise ApiError(400, "Bad Request: there are no administrators in the private chat")
        roles = self._roles.get(chat_id, {})
        return [
            self._member(self._users[u], status)
            for u, status in roles.items()
            if status in ("creator", "administrator")
            and (params.get("return_bots") or not self._users[u]["is_bot"])
        ]

    def _member_chat(self, params: JSON) -> int:
        raw = params["chat_id"]
        chat_id = int(raw) if not isinstance(raw, str) or raw.lstrip("-").isdigit() else 0
        if chat_id not in self._chats:
            raise ApiError(400, "Bad Request: chat not found")
        return chat_id

    def _default_role(self, chat_id: int, user_id: int) -> str:
        """Anyone who wrote in the group is a plain member; others have not joined."""
        chat = self._chats[chat_id]
        wrote = any(
            not e.outgoing and (e.message.get("from") or {}).get("id") == user_id for e in chat.log
        )
        return "member" if wrote else "left"

    def _member(self, user: JSON, status: str) -> JSON:
        """A ChatMember of the right subtype, every required field filled (per the spec)."""
        spec = self.spec.types[MEMBER_TYPES[status]]
        member: JSON = {"status": status, "user": copy.deepcopy(user)}
        for f in spec.fields.values():
            if f.name in member or not f.required:
                continue
            if f.types == ("Boolean",):  # an administrator may do things, others may not
                member[f.name] = (
                    f.name.startswith("can_") and status == "administrator" or f.name == "is_member"
                )
            elif f.types == ("Integer",):
                member[f.name] = 0
        if "can_be_edited" in member:
            member["can_be_edited"] = False  # the bot did not promote them
        return member

    def _editable(self, params: JSON) -> tuple[_Chat, _Entry]:
        if "inline_message_id" in params:
            raise ApiError(400, "Bad Request: MESSAGE_ID_INVALID")
        chat = self._target(params)
        entry = chat.find(params["message_id"])
        if entry is None:
            raise ApiError(400, "Bad Request: message to edit not found")
        if not entry.outgoing:
            raise ApiError(400, "Bad Request: message can't be edited")
        return chat, entry

    def _apply_edit(self, entry: _Entry, content: JSON, raw: JSON, params: JSON) -> JSON:
        markup = params.get("reply_markup")
        raw = {**raw, "reply_markup": markup}
        if raw == {**entry.raw, "reply_markup": entry.raw.get("reply_markup")}:
            raise ApiError(400, NOT_MODIFIED)
        message = entry.message
        for key in ("text", "caption"):
            message.pop(key, None)
        message.update(content)
        message.pop("reply_markup", None)
        if markup and "inline_keyboard" in markup:
            message["reply_markup"] = copy.deepcopy(markup)
        message["edit_date"] = int(time.time())
        entry.raw = raw
        return copy.deepcopy(message)

    def _post_outgoing(self, chat: _Chat, content: JSON, raw: JSON, params: JSON) -> JSON:
        message: JSON = {
            "message_id": chat.new_message_id(),
            "from": copy.deepcopy(self.bot_user),
            "chat": copy.deepcopy(chat.chat),
            "date": int(time.time()),
        }
        reply = params.get("reply_parameters")
        if reply:
            target = chat.find(reply["message_id"])
            if target is not None:
                message["reply_to_message"] = _without_reply(target.message)
            elif not reply.get("allow_sending_without_reply"):
                raise ApiError(400, "Bad Request: message to be replied not found")
        message.update(content)
        markup = params.get("reply_markup")
        if markup and "inline_keyboard" in markup:
            message["reply_markup"] = copy.deepcopy(markup)
        elif markup and "keyboard" in markup:
            chat.reply_keyboard = [[_label(b) for b in row] for row in markup["keyboard"]]
        elif markup and markup.get("remove_keyboard"):
            chat.reply_keyboard = None
        chat.log.append(_Entry(message, True, {**raw, "reply_markup": markup}))
        return copy.deepcopy(message)

    def _target(self, params: JSON) -> _Chat:
        chat_id = params.get("chat_id")
        chat = None
        if isinstance(chat_id, int):
            chat = self._chats.get(chat_id)
        elif isinstance(chat_id, str) and chat_id.startswith("@"):
            name = chat_id[1:].lower()
            chat = next(
                (
                    c
                    for c in self._chats.values()
                    if str(c.chat.get("username", "")).lower() == name
                ),
                None,
            )
        if chat is None:
            raise ApiError(400, "Bad Request: chat not found")
        if chat.blocked:
            raise ApiError(403, chat.blocked)
        return chat

    # ------------------------------------------------------------------ files

    def _store_file(
        self,
        data: bytes,
        kind: str,
        *,
        file_name: str | None = None,
        mime_type: str | None = None,
        ext: str | None = None,
        width: int | None = None,
        height: int | None = None,
    ) -> StoredFile:
        n = self._next()
        if mime_type is None and file_name:
            mime_type = mimetypes.guess_type(file_name)[0]
        if ext is None:
            ext = (file_name.rsplit(".", 1)[-1] if file_name and "." in file_name else None) or (
                (mimetypes.guess_extension(mime_type) or ".bin").lstrip(".") if mime_type else "bin"
            )
        stored = StoredFile(
            file_id=f"FAKE{kind[:3].upper()}{self.bot_id}x{n:06d}",
            file_unique_id=f"U{hashlib.sha256(kind.encode() + data).hexdigest()[:15]}",
            file_path=f"{kind}s/file_{n}.{ext}",
            data=bytes(data),
            kind=kind,
            mime_type=mime_type,
            file_name=file_name,
            width=width,
            height=height,
        )
        self.files[stored.file_id] = stored
        return stored

    def _photo_sizes(self, data: bytes, *, strict: bool) -> list[JSON]:
        """Register a photo like Telegram does: several sizes, the original the largest."""
        try:
            from PIL import Image

            with Image.open(io.BytesIO(data)) as image:
                image.load()
                width, height = image.size
                variants = [
                    _thumbnail(image, step) for step in PHOTO_SIZE_STEPS if max(image.size) > step
                ]
        except Exception as exc:  # noqa: BLE001 - Pillow raises many types for bad input
            if strict:
                raise ApiError(400, "Bad Request: IMAGE_PROCESS_FAILED") from exc
            width, height, variants = 640, 480, []
        stored = [
            self._store_file(blob, "photo", mime_type="image/jpeg", ext="jpg", width=w, height=h)
            for blob, w, h in variants
        ]
        stored.append(
            self._store_file(
                data, "photo", mime_type="image/jpeg", ext="jpg", width=width, height=height
            )
        )
        sizes = [_photo_size_json(s) for s in stored]
        for s in stored:
            s.photo_sizes = sizes
        return copy.deepcopy(sizes)

    def _outgoing_photo(self, value: Any) -> list[JSON]:
        if isinstance(value, UploadedFile):
            return self._photo_sizes(value.data, strict=True)
        if isinstance(value, str) and value.startswith(("http://", "https://")):
            return self._photo_sizes(b"", strict=False)  # never fetched: tests stay offline
        stored = self.files.get(str(value))
        if stored is None:
            raise ApiError(400, "Bad Request: wrong file identifier/HTTP URL specified")
        if stored.kind != "photo" or stored.photo_sizes is None:
            raise ApiError(
                400, f"Bad Request: can't use file of type {stored.kind.title()} as Photo"
            )
        return copy.deepcopy(stored.photo_sizes)

    def _outgoing_file(self, value: Any, kind: str) -> StoredFile:
        if isinstance(value, UploadedFile):
            return self._store_file(
                value.data, kind, file_name=value.filename, mime_type=value.content_type
            )
        if isinstance(value, str) and value.startswith(("http://", "https://")):
            name = urlsplit(value).path.rsplit("/", 1)[-1] or "file"
            return self._store_file(b"", kind, file_name=name)
        stored = self.files.get(str(value))
        if stored is None:
            raise ApiError(400, "Bad Request: wrong file identifier/HTTP URL specified")
        if stored.kind != kind:
            raise ApiError(
                400, f"Bad Request: can't use file of type {stored.kind.title()} as {kind.title()}"
            )
        return stored

    # ------------------------------------------------------------------ internals

    def _next(self) -> int:
        self._counter += 1
        return self._counter

    def _notify(self) -> None:
        event, self._changed = self._changed, asyncio.Event()
        event.set()

    async def _wait_change(self, timeout: float | None) -> None:
        event = self._changed
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(event.wait(), timeout)

    def _ensure_user(self, user_id: int) -> JSON:
        if user_id not in self._users:
            self.add_user(user_id)
        return self._users[user_id]

    def _group(self, chat_id: int) -> _Chat:
        chat = self._chats.get(chat_id)
        if chat is None or chat_id > 0:
            raise AssertionError(f"unknown group {chat_id}: call add_group() first")
        return chat

    def _chat_for(self, user_id: int, chat_id: int | None) -> _Chat:
        self._ensure_user(user_id)
        return (
            self._chats[user_id] if chat_id is None or chat_id == user_id else self._group(chat_id)
        )

    def _mark_action(self, chat: _Chat) -> None:
        chat.action_mark = len(chat.log)
        self._call_mark = len(self.calls)

    def _inbound(
        self,
        user_id: int,
        chat_id: int | None,
        content: JSON,
        *,
        reply_to_message_id: int | None = None,
    ) -> JSON:
        user = self._ensure_user(user_id)
        chat = self._chat_for(user_id, chat_id)
        self._mark_action(chat)
        message: JSON = {
            "message_id": chat.new_message_id(),
            "from": copy.deepcopy(user),
            "chat": copy.deepcopy(chat.chat),
            "date": int(time.time()),
        }
        if reply_to_message_id is not None:
            target = chat.find(reply_to_message_id)
            if target is None:
                raise AssertionError(f"no message {reply_to_message_id} in chat {chat.id}")
            message["reply_to_message"] = _without_reply(target.message)
        message.update(content)
        chat.log.append(_Entry(message, False))
        return self.enqueue_update({"message": copy.deepcopy(message)})

    def _find_button_message(self, chat: _Chat, match: Callable[[JSON], bool]) -> _Entry | None:
        for entry in reversed(chat.log):
            if (
                entry.outgoing
                and not entry.deleted
                and any(match(b) for b in _buttons(entry.message))
            ):
                return entry
        return None

    def _callback_update(self, user_id: int, chat: _Chat, entry: _Entry, data: str) -> JSON:
        user = self._ensure_user(user_id)
        self._mark_action(chat)
        query_id = str(4_000_000_000_000_000 + self._next())
        self.callback_queries[query_id] = CallbackQueryRecord(
            query_id, user_id, chat.id, entry.message["message_id"], data
        )
        query = {
            "id": query_id,
            "from": copy.deepcopy(user),
            "message": copy.deepcopy(entry.message),
            "chat_instance": str(abs(chat.id) * 7 + 1),
            "data": data,
        }
        return self.enqueue_update({"callback_query": query})

    def _summary(self) -> str:
        parts = []
        for chat in self._chats.values():
            lines = self.transcript(chat.id)[-8:]
            if lines:
                parts.append(f"chat {chat.id}:\n    " + "\n    ".join(lines))
        if self.violations:
            parts.append("violations:\n    " + "\n    ".join(self.violations))
        if self.api_errors:
            parts.append(
                "api errors:\n    " + "\n    ".join(f"{m}: {d}" for m, d in self.api_errors[-8:])
            )
        return ("\n" + "\n".join(parts)) if parts else ""


# ---------------------------------------------------------------------- helpers (pure)


def _default_description(status: int) -> str:
    return {
        400: "Bad Request: injected failure",
        401: "Unauthorized",
        403: BLOCKED,
        404: "Not Found",
        409: "Conflict: terminated by other getUpdates request",
        500: "Internal Server Error",
        502: "Bad Gateway",
        503: "Service Unavailable",
        504: "Gateway Timeout",
    }.get(status, f"Error {status}")


def _json_response(payload: JSON, status: int) -> web.Response:
    return web.Response(status=status, text=json.dumps(payload), content_type="application/json")


async def _read_params(request: web.Request) -> JSON:
    params: JSON = dict(request.query)
    if request.method != "POST" or not request.body_exists:
        return params
    if request.content_type == "application/json":
        try:
            body = await request.json()
        except ValueError as exc:
            raise ValueError("can't parse JSON body") from exc
        if not isinstance(body, dict):
            raise ValueError("JSON body must be an object")
        params.update(body)
        return params
    form = await request.post()
    for key, value in form.items():
        if isinstance(value, web.FileField):
            params[key] = UploadedFile(value.file.read(), value.filename, value.content_type)
        else:
            params[key] = value
    return params


async def _read_reply_method(resp: aiohttp.ClientResponse) -> JSON | None:
    """A method call returned in a webhook response body (JSON or multipart), if any."""
    if resp.content_type == "multipart/form-data":
        reader = aiohttp.MultipartReader(resp.headers, resp.content)
        params: JSON = {}
        while (part := await reader.next()) is not None:
            if not isinstance(part, aiohttp.BodyPartReader) or part.name is None:
                continue
            data = await part.read(decode=True)
            if part.filename is not None:
                params[part.name] = UploadedFile(
                    data, part.filename, part.headers.get("Content-Type")
                )
            else:
                params[part.name] = data.decode("utf-8")
        return params if "method" in params else None
    body = await resp.read()
    try:
        decoded = json.loads(body) if body.strip() else None
    except ValueError:
        return None
    return decoded if isinstance(decoded, dict) and "method" in decoded else None


def _collect_attach_refs(value: Any, refs: set[str]) -> None:
    if isinstance(value, str):
        refs.update(_ATTACH_RE.findall(value))
    elif isinstance(value, Mapping):
        for item in value.values():
            _collect_attach_refs(item, refs)
    elif isinstance(value, list | tuple):
        for item in value:
            _collect_attach_refs(item, refs)


def _substitute_attachments(
    value: Any, files: Mapping[str, UploadedFile], missing: list[str]
) -> Any:
    if isinstance(value, str) and value.startswith("attach://"):
        name = value[len("attach://") :]
        if name in files:
            return files[name]
        missing.append(name)
        return value
    if isinstance(value, dict):
        return {k: _substitute_attachments(v, files, missing) for k, v in value.items()}
    if isinstance(value, list):
        return [_substitute_attachments(v, files, missing) for v in value]
    return value


def _rendered(params: JSON, key: str) -> tuple[str, JSON]:
    """(visible text, raw fields used for the "not modified" comparison)."""
    text = params.get(key, "")
    mode = params.get("parse_mode")
    entities_key = "entities" if key == "text" else "caption_entities"
    raw = {key: text, "parse_mode": mode, "entities": params.get(entities_key)}
    if mode:
        plain, _ = parse_entities(text, mode)
        return plain, raw
    return text, raw


def _buttons(message: JSON) -> list[JSON]:
    rows = message.get("reply_markup", {}).get("inline_keyboard", [])
    return [button for row in rows for button in row]


def _label(button: Any) -> str:
    return button.get("text", "") if isinstance(button, Mapping) else str(button)


def _text_of(message: JSON) -> str | None:
    return message.get("text", message.get("caption"))


def _media_kind(message: JSON) -> str:
    kinds = ("photo", "document", "contact", "sticker", "video", "voice", "location")
    return next((f"<{k}>" for k in kinds if k in message), "<message>")


def _without_reply(message: JSON) -> JSON:
    return {k: copy.deepcopy(v) for k, v in message.items() if k != "reply_to_message"}


def _commands_key(scope: Mapping[str, Any] | None, language_code: str | None) -> tuple[str, str]:
    scope = scope or {"type": "default"}
    return json.dumps(dict(scope), sort_keys=True), language_code or ""


def _document_json(stored: StoredFile) -> JSON:
    document: JSON = {
        "file_id": stored.file_id,
        "file_unique_id": stored.file_unique_id,
        "file_size": len(stored.data),
    }
    if stored.file_name:
        document["file_name"] = stored.file_name
    if stored.mime_type:
        document["mime_type"] = stored.mime_type
    return document


def _photo_size_json(stored: StoredFile) -> JSON:
    return {
        "file_id": stored.file_id,
        "file_unique_id": stored.file_unique_id,
        "file_size": len(stored.data),
        "width": stored.width or 0,
        "height": stored.height or 0,
    }


def _thumbnail(image: Any, step: int) -> tuple[bytes, int, int]:
    copy_ = image.convert("RGB")
    copy_.thumbnail((step, step))
    out = io.BytesIO()
    copy_.save(out, format="JPEG", quality=80)
    return out.getvalue(), copy_.size[0], copy_.size[1]
