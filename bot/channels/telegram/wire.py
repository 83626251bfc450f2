"""The Bot API spoken directly, with no framework on the path (issue 9).

``redeem-bot run`` with ``BOT_FRAMEWORK=wire`` needs nothing from aiogram
that is worth its cost: importing it builds hundreds of pydantic models (about 5 s of CPU on
the project's machine, more than the rest of the start-up together), every update was parsed
into its models only to be read back into our records, and the calls of almost every turn
were already posted as plain JSON (the former ``LeanCalls``). Here:

- :class:`Wire` posts a method as JSON (multipart when a file goes with it) and maps the
  answer to the result or to the shared errors of common.py; :class:`HttpWire` is it over
  HTTP (the JSON calls on our lean client, :mod:`.lean_http`, as the receiver's poller;
  files on aiohttp), tests put it on the fake;
- :class:`WirePort` is :class:`~bot.channels.telegram.port.BotPort` and
  :class:`~bot.channels.telegram.forum.ForumPort` on a wire;
- :func:`view` reads an update's JSON with the attribute names of the frameworks' objects,
  so the one translation of port.py (``message_in`` ...) serves all three.

aiogram stays the framework to mount the conversation into (``aiogram_app.make_router``).
"""

from __future__ import annotations

import json
import ssl
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import aiohttp

from bot.channels.telegram.common import NotSent, Rejected, SendError, Transient, api_error
from bot.channels.telegram.keyboards import json_markup
from bot.channels.telegram.lean_http import CONNECT_TIMEOUT, HttpFailure, LeanHttp
from bot.channels.telegram.port import Rows, callback_in, member_in, message_in

if TYPE_CHECKING:
    from bot.channels.telegram.bridge import Bridge
    from bot.channels.telegram.port import BotPort

Files = dict[str, tuple[str, bytes]]  # field -> (file name, content)

# aiohttp's errors of the connect phase: the request never left, Telegram saw nothing
CONNECT_ERRORS: tuple[type[BaseException], ...] = (
    aiohttp.ClientConnectorError,
    aiohttp.ConnectionTimeoutError,
)
CALL_TIMEOUT = 70.0  # aiogram's default 60 s, plus the margin the lean calls had
CONNECTIONS = 100  # open at once to the Bot API, per client (aiohttp's default bound)


def answer_of(status: int, body: bytes | str) -> Any:
    """A Bot API answer: its ``result``, or the shared error it means."""
    try:
        data = json.loads(body)
    except ValueError:
        data = None
    if not isinstance(data, dict):
        if status >= 500 or status == 429:
            raise Transient(f"HTTP {status}")
        raise (Rejected if status >= 400 else Transient)(f"HTTP {status}")
    if data.get("ok"):
        return data.get("result")
    description = str(data.get("description") or f"HTTP {status}")
    retry_after = (data.get("parameters") or {}).get("retry_after")
    raise api_error(int(data.get("error_code") or status), description, retry_after)


def transport_error(exc: BaseException) -> SendError:
    """aiohttp's failure as the shared error; never the URL (it holds the token)."""
    if isinstance(exc, CONNECT_ERRORS):
        return NotSent(type(exc).__name__)
    if isinstance(exc, aiohttp.ClientResponseError):  # a bare HTTP status, no Bot API answer
        return (Transient if exc.status >= 500 or exc.status == 429 else Rejected)(
            f"HTTP {exc.status}"
        )
    return Transient(type(exc).__name__)


class Wire:
    """One Bot API call: ``send`` moves the bytes (subclasses), ``call`` reads the answer."""

    async def send(
        self, method: str, params: dict[str, Any], files: Files | None
    ) -> tuple[int, bytes]:
        """Post ``method``: the HTTP status and body; a failure on the way raises the shared
        errors (``NotSent`` when the request surely never left)."""
        raise NotImplementedError

    async def file(self, path: str) -> bytes:
        """A file Telegram holds (``getFile``'s ``file_path``)."""
        raise NotImplementedError

    async def close(self) -> None:
        return None

    async def call(self, method: str, params: dict[str, Any], files: Files | None = None) -> Any:
        status, body = await self.send(method, params, files)
        return answer_of(status, body)


class HttpWire(Wire):
    """The wire over HTTP: ``{api_base}/bot{token}/{method}``. The JSON calls (almost every
    call of a turn) go through our lean keep-alive client (:mod:`.lean_http`: less than
    half aiohttp's CPU per call, ``bench/bench_http.py``); calls with files (multipart) and
    file downloads through an aiohttp session, opened on first need."""

    def __init__(
        self,
        api_base: str,
        token: str,
        *,
        ssl_context: ssl.SSLContext | None = None,
        limit: int = CONNECTIONS,
    ) -> None:
        base = api_base.rstrip("/")
        self._base = base
        self._lean: LeanHttp | None = None
        self._path = f"/bot{token}/"
        self._api = f"{base}/bot{token}/"
        self._files = f"{base}/file/bot{token}/"
        self._ssl = ssl_context
        self._limit = limit
        self._http: aiohttp.ClientSession | None = None

    def _client(self) -> LeanHttp:
        if self._lean is None:
            self._lean = LeanHttp(self._base, limit=self._limit, ssl_context=self._ssl)
        return self._lean

    def _session(self) -> aiohttp.ClientSession:
        if self._http is None or self._http.closed:
            self._http = aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(limit=self._limit, ssl=self._ssl or True),
                timeout=aiohttp.ClientTimeout(total=CALL_TIMEOUT, sock_connect=CONNECT_TIMEOUT),
            )
        return self._http

    async def send(
        self, method: str, params: dict[str, Any], files: Files | None
    ) -> tuple[int, bytes]:
        if files:
            return await self._send_form(method, params, files)
        body = json.dumps(params, separators=(",", ":")).encode()
        try:
            return await self._client().request(
                "POST", self._path + method, body, timeout=CALL_TIMEOUT
            )
        except HttpFailure as exc:  # its message is a reason, never the URL
            raise (Transient if exc.sent else NotSent)(exc.reason) from None

    async def _send_form(
        self, method: str, params: dict[str, Any], files: Files
    ) -> tuple[int, bytes]:
        try:
            async with self._session().post(self._api + method, data=_form(params, files)) as resp:
                return resp.status, await resp.read()
        except (TimeoutError, aiohttp.ClientError, OSError) as exc:
            raise transport_error(exc) from None

    async def file(self, path: str) -> bytes:
        try:
            async with self._session().get(self._files + path) as resp:
                resp.raise_for_status()
                return await resp.read()
        except (TimeoutError, aiohttp.ClientError, OSError) as exc:
            raise transport_error(exc) from None

    async def close(self) -> None:
        if self._lean is not None:  # (opened again on the next call, as the session is)
            await self._lean.close()
            self._lean = None
        if self._http is not None:
            await self._http.close()
            self._http = None


def _form(params: dict[str, Any], files: Files) -> aiohttp.FormData:
    form = aiohttp.FormData(quote_fields=False)
    for key, value in params.items():
        form.add_field(key, value if isinstance(value, str) else json.dumps(value))
    for key, (filename, data) in files.items():
        form.add_field(key, data, filename=filename)
    return form


def _with_markup(payload: dict[str, Any], rows: Rows) -> dict[str, Any]:
    markup = json_markup(rows)
    if markup:
        payload["reply_markup"] = markup
    return payload


class WirePort:
    """The Bot API calls of the shared code (BotPort); the staff forum's and the review
    desk's calls are :mod:`bot.channels.telegram.wire_forum` on the same wire."""

    def __init__(self, wire: Wire) -> None:
        self.wire = wire
        self._me: dict[str, Any] | None = None

    async def _message_id(
        self, method: str, payload: dict[str, Any], files: Files | None = None
    ) -> int:
        return int((await self.wire.call(method, payload, files))["message_id"])

    # ------------------------------------------------------------------ BotPort
    async def send_message(self, chat_id: int, text: str, rows: Rows) -> int:
        return await self._message_id(
            "sendMessage", _with_markup({"chat_id": chat_id, "text": text}, rows)
        )

    async def send_photo(self, chat_id: int, photo: bytes, caption: str | None, rows: Rows) -> int:
        payload = _with_markup({"chat_id": chat_id}, rows)
        if caption is not None:
            payload["caption"] = caption
        return await self._message_id("sendPhoto", payload, {"photo": ("picture.jpg", photo)})

    async def edit_message(self, chat_id: int, message_id: int, text: str, rows: Rows) -> None:
        payload = {"chat_id": chat_id, "message_id": message_id, "text": text}
        await self.wire.call("editMessageText", _with_markup(payload, rows))

    async def delete_message(self, chat_id: int, message_id: int) -> None:
        await self.wire.call("deleteMessage", {"chat_id": chat_id, "message_id": message_id})

    async def answer_callback(self, callback_id: str, text: str | None = None) -> None:
        body = {"callback_query_id": callback_id} | ({"text": text[:200]} if text else {})
        await self.wire.call("answerCallbackQuery", body)

    async def download(self, file_id: str) -> bytes:
        found = await self.wire.call("getFile", {"file_id": file_id})
        path = found.get("file_path") if isinstance(found, dict) else None
        if not path:
            raise Rejected("file not available")
        return await self.wire.file(str(path))

    async def set_commands(
        self, commands: Sequence[tuple[str, str]], language: str | None = None
    ) -> None:
        payload: dict[str, Any] = {
            "commands": [{"command": name, "description": text} for name, text in commands]
        }
        if language:
            payload["language_code"] = language
        await self.wire.call("setMyCommands", payload)

    async def me(self) -> dict[str, Any]:
        if self._me is None:
            self._me = dict(await self.wire.call("getMe", {}))
        return self._me

    async def username(self) -> str | None:
        try:
            return (await self.me()).get("username")
        except SendError:
            return None

    async def get_chat_member(self, chat_id: int, user_id: int) -> str:
        member = await self.wire.call("getChatMember", {"chat_id": chat_id, "user_id": user_id})
        return str(member.get("status", "")) if isinstance(member, dict) else ""


# ----------------------------------------------------------------------------- updates
_NAMES = {"from_user": "from"}  # the frameworks' attribute names that differ from the JSON


class View:
    """An update's JSON object read with attribute names (``message.chat.id``), as the
    frameworks' objects are: absent fields read as None, objects as views, lists of objects
    as lists of views. Enough for port.py's ``message_in``, ``callback_in``, ``member_in``."""

    __slots__ = ("_data",)

    def __init__(self, data: dict[str, Any]) -> None:
        self._data = data

    def __getattr__(self, name: str) -> Any:
        value = self._data.get(_NAMES.get(name, name))
        if isinstance(value, dict):
            return View(value)
        if isinstance(value, list):
            return [View(item) if isinstance(item, dict) else item for item in value]
        return value


async def dispatch(bridge: Bridge, port: BotPort, data: dict[str, Any]) -> None:
    """One update's JSON, read into our records (no framework) and handed to the bridge."""
    update_id = int(data["update_id"])
    if isinstance(body := data.get("message"), dict):
        await bridge.on_message(port, message_in(update_id, View(body)))
    elif isinstance(body := data.get("edited_message"), dict):
        await bridge.on_edited(port, message_in(update_id, View(body), edited=True))
    elif isinstance(body := data.get("callback_query"), dict):
        await bridge.on_callback(port, callback_in(update_id, View(body)))
    elif isinstance(body := data.get("my_chat_member"), dict):
        await bridge.on_member_change(member_in(update_id, View(body)))


__all__ = [
    "CONNECT_ERRORS",
    "HttpWire",
    "View",
    "Wire",
    "WirePort",
    "answer_of",
    "dispatch",
    "transport_error",
]
