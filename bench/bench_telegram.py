"""Telegram throughput and latency: our connectors against aiogram / PTB peers (issues 3 and 9).

    .venv/bin/python bench/bench_telegram.py [--customers 1000] [--window 15] [--only a,c,f,g]
                                             [--rate 100] [--open-customers 200] [--open-window 10]
                                             [--start-timeout 60] [--turn-timeout 30]
                                             [--rounds 3]  (bots in turn; median rounds)
                                             [--profile a]   (py-spy: pip install py-spy)
    .venv/bin/python bench/bench_telegram.py --telegram-limits [--customers 200] [--only a,b]

Six bots, each in its own process, against a lean fake Bot API that runs in THIS process
with the simulated customers (so bot and fake never share an event loop or a GIL):

  (a) redeem-bot on aiogram: the real ``redeem-bot run`` process (connector + engine +
      SQLite, exactly as in production), BOT_FRAMEWORK=wire (no framework)
  (b) the same with BOT_FRAMEWORK=ptb; (e) the same with BOT_FRAMEWORK=aiogram
  (c) a bare aiogram echo bot: one async handler, no filters, replying with the text
  (d) a bare PTB ConversationHandler form bot: /start -> name -> age -> an inline button to
      confirm; a reply (an edit for the button) at each step; PTB's defaults otherwise
  (f) the same form as an aiogram FSM bot (StatesGroup, FSMContext) with its state on SQLite:
      a small ``BaseStorage`` over aiosqlite, a commit per write, as aiogram users write one
  (g) the form of (d) with ``PicklePersistence`` (``persistent=True``; PTB's defaults, so the
      pickle is written every 60 s and at exit: durable up to the last flush)

The peers (c, d, f, g) get the process tuning ``redeem-bot run`` applies, applied the same way
(``peer_tuning``: ``tune_gc()`` imported from bot/channels/telegram/speed.py, called after set-up,
before polling); event loop (asyncio's default) and JSON (the stdlib's) are the same for all
already. ``BENCH_PEER_TUNING=0`` runs the peers untuned (issue 3's figures were taken so).

Transport, the same for all six: long polling (``getUpdates``, timeout 10 s) over loopback.
It is what ``redeem-bot run`` does unless WEBHOOK_URL is set, and what the bare bots do out
of the box; it favours nobody: each bot keeps one long poll open, gets up to 100 updates per
answer at load, and sends over its framework's keep-alive pool (aiohttp for aiogram, httpx
for PTB). A webhook would add an HTTP server to each bot and one inbound request per update.

Per bot, three phases: one customer in flight (closed loop); ``--customers`` customers in
flight at once (closed loop: each sends its next step as soon as the reply to the previous one
has arrived), which gives updates/s and CPU per update at saturation; and an open loop at
``--rate`` updates/s (the same for every bot; pick one all bots sustain), where updates arrive on
a fixed schedule from ``--open-customers`` customers taking turns (one step in flight each), so
mean latency compares cost and not scheduling policy (with closed loops, mean latency is just
customers / throughput). An arrival that finds all customers waiting is reported as missed. Latency = the update queued at the fake -> the LAST message of the bot's reply
received by the fake (a turn answered with three messages ends at the third; the callback
answer is not a reply). updates/s = turns completed in the window / window. CPU ms/upd =
the bot process's CPU time per update, measured with psutil (robust to other load).

Journey customers are members that signed up and are logged in, created directly in the
databases before the bot starts: no argon2 sign-up is measured here (bench_journeys.py
covers it). Each plays a cycle of 22 realistic steps, again and again: /menu, FAQ buttons,
/status, /register, a category button, the form typed field by field, /help, /menu, the
"Continue" button, more fields, a channel button, "Back", the button again, a text where a
photo is due, /cancel, a free-text question. The number of messages each step answers with
is learned per bot by a calibration pass (waiting for quiet); every measured turn must then
end with the same message as calibrated (reported as "turns ending unlike calibration").

Why a lean fake and not tests/telegram/fake_bot_api.py: FakeBotApi validates every call
against the spec, deep-copies and logs everything, and wakes every waiter on each call
(O(customers) per call): at 1,000 customers the fake, not the bot, would be measured. Spec
conformance of these very calls is what tests/telegram checks. The lean fake answers like
Telegram (messages with their inline keyboards, callback queries carrying the message).

Sending limits: the connector's rate limiter stays on but far above the load
(TELEGRAM_RATE_LIMITS); Telegram's 30 messages/s would otherwise be all we measure.

--telegram-limits: the other question, does sending keep to Telegram's limits? The lean fake
enforces the published ones (tests/telegram/fake_bot_api.py FloodControl: 30 messages/s
overall, per chat 1/s with a burst of 3, per group 20/min, counted on arrival, 429 with
retry_after beyond), the journey bots (a, b) run with their default TELEGRAM_RATE_LIMITS
(Telegram's), ``--customers`` (default 200) customers play the cycle at once for the window,
and the table gives the 429s the bot got (the goal: 0), the messages/s it kept, latencies.
The 429 count is printed in the normal mode too (0 there: the fake does not enforce).

Not a test. Prints the tables, the ratios of (a) to each peer and whether the browse-load
targets of issue 9 hold. Robust on a loaded machine: ``--start-timeout`` (BENCH_START_TIMEOUT)
for a bot's first poll, ``--turn-timeout`` (BENCH_TURN_TIMEOUT) for an answer; a bot that fails
to start, exits, or breaks its script is reported by name and the others are still measured.

``--flood 600`` runs the flood scenario instead (integrity issue, defect 6), for (a) and (b):
one chat sends 600 /help at once (queued at the fake before anyone else's update) while
``--flood-customers`` other logged-in customers do ordinary steps (/menu, /status, /help, a
few seconds apart, as people read) for ``--flood-window`` seconds; sending to a chat is paced
at Telegram's per-chat limit (TELEGRAM_RATE_LIMITS chat=3/3, about one message a second), so
the flooder's backlog lasts. Reports the others' p50/p99 (target: p99 < 2 s) and what the
flooder got. ``BENCH_REPO=/path/to/a/checkout`` runs another version's bot.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import dataclasses
import itertools
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(os.environ.get("BENCH_REPO") or Path(__file__).resolve().parent.parent)
sys.path.insert(0, str(REPO))

TOKEN = "123456789:AAFakeBotTokenForBench_0123456789abcdef"
BOT_USER = {
    "id": 123456789,
    "is_bot": True,
    "first_name": "Bench Bot",
    "username": "bench_bot",
    "can_join_groups": True,
    "can_read_all_group_messages": False,
    "supports_inline_queries": False,
}
PASSWORD = "Bench-passw0rd"
LIMITS = "overall=1000000/1,chat=100000/1,group=100000/1"
FLOOD_LIMITS = (
    "overall=1000000/1,chat=3/3,group=100000/1"  # a chat's replies at Telegram's pace (~1/s)
)
FLOOD_STEPS: list[Step] = [
    ("cmd", "menu"),
    ("cmd", "status"),
    ("cmd", "help"),
]  # the others' ordinary steps
THINK = (
    3.0  # seconds a customer reads before the next step: their own chat's pace never delays them
)
QUIET = 0.3  # calibration: a turn is over after this long without a new message
LIMITS_QUIET = 3.5  # ... when the bot keeps to a chat's 3 messages per 3 s (--telegram-limits)
TURN_TIMEOUT = float(os.environ.get("BENCH_TURN_TIMEOUT", "30"))  # --turn-timeout
START_TIMEOUT = float(
    os.environ.get("BENCH_START_TIMEOUT", "60")
)  # --start-timeout: a bot's first poll

Step = tuple[str, str]  # ("cmd" | "text" | "tap", payload)

# The journey cycle: starts and ends in the main menu, so a customer can play it again and again.
JOURNEY: list[Step] = [
    ("cmd", "menu"),
    ("tap", "FAQ"),
    ("tap", "How long"),
    ("cmd", "status"),
    ("cmd", "register"),
    ("tap", "Motherboard"),
    ("text", "MEG Z890 ACE"),
    ("text", "MS-7E22"),
    ("text", "K2203N0000001"),
    ("text", "456"),
    ("cmd", "help"),
    ("cmd", "menu"),
    ("tap", "Continue"),
    ("text", "Taiwan"),
    ("text", "Newegg"),
    ("text", "2026-11-01"),
    ("tap", "Retail store"),
    ("tap", "Back"),
    ("tap", "Retail store"),
    ("text", "I have no photo yet"),
    ("cmd", "cancel"),
    ("text", "when will I get my code?"),
]
ECHO: list[Step] = [
    ("text", "hello there"),
    ("text", "how are you?"),
    ("text", "a somewhat longer message to echo"),
]
FORM: list[Step] = [("cmd", "start"), ("text", "Alex"), ("text", "33"), ("tap", "Confirm")]


# ============================================================================ the fake Bot API
@dataclass
class Turn:
    expected: int  # messages that end the turn (0: calibration, wait for quiet)
    queued: float
    messages: list[dict[str, Any]] = field(default_factory=list)
    last_at: float = 0.0
    done: asyncio.Future[float] | None = None
    until: Callable[[dict[str, Any]], bool] | None = None  # ends the turn (a wait for news)


@dataclass
class Chat:
    user_id: int
    next_message_id: int = 1
    turn: Turn | None = None
    position: int = 0  # the next step of the customer's cycle
    shown: list[dict[str, Any]] = field(default_factory=list)  # the last turn's messages

    def new_id(self) -> int:
        self.next_message_id += 1
        return self.next_message_id - 1


class LeanFake:
    """Just enough of the Bot API for polling bots: getUpdates, send/edit, callbacks.

    No validation, nothing logged but counts; a reply is matched to the customer's open turn.
    """

    def __init__(self) -> None:
        self.queue: deque[dict[str, Any]] = deque()
        self.chats: dict[int, Chat] = {}
        self.calls: dict[str, int] = {}
        self.polls = 0
        self.stray = 0  # messages for a chat that had no open turn (miscalibration)
        self.flood: Any = None  # FloodControl when enforcing Telegram's limits (--telegram-limits)
        self.throttled = 0  # calls answered 429
        self._next_update = 1
        self._next_query = 1
        self._wake: asyncio.Event | None = None
        self._runner: Any = None
        self.port = 0
        self.files: dict[str, bytes] = {}  # file_id -> the customer's photo (getFile)
        # group chats (the staff / review chat): each message the bot posts there goes to its
        # watcher (the simulated staff), not to a customer's turn
        self.watchers: dict[int, Callable[[dict[str, Any]], None]] = {}
        self.observer: Callable[[int, dict[str, Any]], None] | None = None  # every message sent
        self.handlers: dict[str, Callable[[dict[str, Any]], Any]] = {
            "getupdates": self._get_updates,
            "getme": lambda p: BOT_USER,
            "sendmessage": self._send,
            "sendphoto": self._send,
            "senddocument": self._send,
            "editmessagetext": self._edit,
        }

    async def start(self) -> None:
        from aiohttp import web

        app = web.Application(client_max_size=32 * 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._handle)
        app.router.add_route("GET", "/file/bot{token}/{path:.*}", self._file)
        self._runner = web.AppRunner(app, access_log=None, handle_signals=False)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0, backlog=2048)
        await site.start()
        self.port = int(self._runner.addresses[0][1])

    async def stop(self) -> None:
        if self._wake is not None:
            self._wake.set()
        if self._runner is not None:
            await self._runner.cleanup()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    # ------------------------------------------------------------------ HTTP
    async def _handle(self, request: Any) -> Any:
        from aiohttp import web

        method = request.match_info["method"].lower()
        self.calls[method] = self.calls.get(method, 0) + 1
        params: dict[str, Any] = dict(request.query)
        if request.method == "POST" and request.body_exists:
            if request.content_type == "application/json":
                params.update(await request.json())
            else:
                params.update(await request.post())
        if self.flood is not None:
            wait = self.flood.admit(method, params)
            if wait is not None:
                self.throttled += 1
                retry_after = max(1, int(wait + 0.999))
                body = {
                    "ok": False,
                    "error_code": 429,
                    "description": f"Too Many Requests: retry after {retry_after}",
                    "parameters": {"retry_after": retry_after},
                }
                return web.Response(
                    status=429, body=json.dumps(body).encode(), content_type="application/json"
                )
        handler = self.handlers.get(method)
        result: Any = True if handler is None else handler(params)
        if asyncio.iscoroutine(result):
            result = await result
        return web.Response(
            body=json.dumps({"ok": True, "result": result}).encode(),
            content_type="application/json",
        )

    async def _get_updates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        self.polls += 1
        offset = int(params.get("offset") or 0)
        limit = int(params.get("limit") or 100)
        while self.queue and self.queue[0]["update_id"] < offset:
            self.queue.popleft()
        loop = asyncio.get_running_loop()
        deadline = loop.time() + float(params.get("timeout") or 0)
        while not self.queue:
            remaining = deadline - loop.time()
            if remaining <= 0:
                return []
            self._wake = asyncio.Event()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), remaining)
        return list(itertools.islice(self.queue, limit))

    async def _file(self, request: Any) -> Any:
        from aiohttp import web

        data = self.files.get(request.match_info["path"].rsplit("/", 1)[-1].split(".")[0])
        if data is None:
            return web.Response(status=404)
        return web.Response(body=data, content_type="image/jpeg")

    def _chat(self, params: dict[str, Any]) -> Chat:
        chat_id = int(params["chat_id"])
        chat = self.chats.get(chat_id)
        if chat is None:
            chat = self.chats[chat_id] = Chat(chat_id)
        return chat

    def _send(self, params: dict[str, Any]) -> dict[str, Any]:
        chat = self._chat(params)
        message = self._message(chat, chat.new_id(), params)
        self._reply(chat, message)
        return message

    def _edit(self, params: dict[str, Any]) -> dict[str, Any]:
        chat = self._chat(params)
        message = self._message(chat, int(params["message_id"]), params)
        message["edit_date"] = message["date"]
        self._reply(chat, message)
        return message

    def _message(self, chat: Chat, message_id: int, params: dict[str, Any]) -> dict[str, Any]:
        message: dict[str, Any] = {
            "message_id": message_id,
            "date": int(time.time()),
            "from": BOT_USER,
            "chat": {"id": chat.user_id, "type": "private", "first_name": f"U{chat.user_id}"},
        }
        if chat.user_id < 0:
            message["chat"] = {"id": chat.user_id, "type": "supergroup", "title": "Staff"}
        text = params.get("text") or params.get("caption")
        if text is not None:
            message["text"] = str(text)
        markup = params.get("reply_markup")
        if isinstance(markup, str) and markup:
            markup = json.loads(markup)
        if isinstance(markup, dict) and markup.get("inline_keyboard"):
            message["reply_markup"] = markup
        return message

    def _reply(self, chat: Chat, message: dict[str, Any]) -> None:
        now = time.perf_counter()
        if self.observer is not None:
            self.observer(chat.user_id, message)
        watcher = self.watchers.get(chat.user_id)
        if watcher is not None:
            watcher(message)
            return
        turn = chat.turn
        if turn is None:
            self.stray += 1
            return
        turn.messages.append(message)
        turn.last_at = now
        ended = (
            turn.until(message) if turn.until is not None else len(turn.messages) >= turn.expected
        )
        if (turn.expected or turn.until) and ended and turn.done and not turn.done.done():
            turn.done.set_result(now)

    async def drained(self, timeout: float, quiet: float = 1.0) -> None:
        """Wait until the bot has sent nothing for ``quiet`` seconds (at most ``timeout``): the
        turns of customers stopped at the end of a phase are still queued at the bot."""
        deadline = time.perf_counter() + timeout
        seen = -1
        while time.perf_counter() < deadline:
            sent = sum(n for method, n in self.calls.items() if method != "getupdates")
            if sent == seen:
                return
            seen = sent
            await asyncio.sleep(quiet)

    # ------------------------------------------------------------------ customers
    def enqueue(self, update: dict[str, Any]) -> None:
        update["update_id"] = self._next_update
        self._next_update += 1
        self.queue.append(update)
        if self._wake is not None:
            self._wake.set()

    def open_turn(
        self, chat: Chat, expected: int, until: Callable[[dict[str, Any]], bool] | None = None
    ) -> Turn:
        """The customer's next turn: over after ``expected`` messages, or at the first message
        ``until`` accepts; with neither, collects until the caller closes it."""
        turn = Turn(expected, time.perf_counter(), until=until)
        if expected or until is not None:
            turn.done = asyncio.get_running_loop().create_future()
        chat.turn = turn
        return turn

    def chat(self, user_id: int) -> Chat:
        chat = self.chats.get(user_id)
        if chat is None:
            chat = self.chats[user_id] = Chat(user_id)
        return chat

    def update_for(self, chat: Chat, step: Step) -> dict[str, Any]:
        kind, payload = step
        user = {
            "id": chat.user_id,
            "is_bot": False,
            "first_name": f"U{chat.user_id}",
            "language_code": "en",
        }
        private = {"id": chat.user_id, "type": "private", "first_name": f"U{chat.user_id}"}
        if kind == "tap":
            message, data = self._button(chat, payload)
            query = {
                "id": str(self._next_query),
                "from": user,
                "message": message,
                "chat_instance": str(chat.user_id * 7 + 1),
                "data": data,
            }
            self._next_query += 1
            return {"callback_query": query}
        message: dict[str, Any] = {
            "message_id": chat.new_id(),
            "date": int(time.time()),
            "chat": private,
            "from": user,
        }
        if kind == "photo":  # payload: a file_id in ``files`` (Telegram's one size is enough)
            size = len(self.files[payload])
            photo = {"file_id": payload, "file_unique_id": f"U{payload}", "file_size": size}
            message["photo"] = [photo | {"width": 1280, "height": 960}]
            return {"message": message}
        text = f"/{payload}" if kind == "cmd" else payload
        message["text"] = text
        if kind == "cmd":
            message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(text)}]
        return {"message": message}

    @staticmethod
    def _button(chat: Chat, label: str) -> tuple[dict[str, Any], str]:
        for message in reversed(chat.shown):
            for row in message.get("reply_markup", {}).get("inline_keyboard", []):
                for button in row:
                    if (
                        label.lower() in button.get("text", "").lower()
                        and "callback_data" in button
                    ):
                        return message, button["callback_data"]
        shown = [m.get("text", "")[:50] for m in chat.shown]
        raise RuntimeError(f"customer {chat.user_id}: no button {label!r} in {shown}")


class JourneyFake(LeanFake):
    """The lean fake with what the whole-journey load needs besides: the customers' photos
    (``getFile`` and the file download), the review card's album, and the staff group
    (``getChat``, ``getChatMember``: the bench's staff are its administrators)."""

    def __init__(self) -> None:
        super().__init__()
        self.handlers |= {
            "sendmediagroup": self._send_album,
            "getfile": self._get_file,
            "getchat": self._get_chat,
            "getchatmember": self._get_chat_member,
        }

    def _get_file(self, params: dict[str, Any]) -> dict[str, Any]:
        file_id = str(params["file_id"])
        return {
            "file_id": file_id,
            "file_unique_id": f"U{file_id}",
            "file_size": len(self.files.get(file_id, b"")),
            "file_path": f"photos/{file_id}.jpg",
        }

    @staticmethod
    def _get_chat(params: dict[str, Any]) -> dict[str, Any]:
        """``ChatFullInfo`` with the fields the spec requires (PTB checks them)."""
        chat_id = int(params["chat_id"])
        gifts = ("unlimited_gifts", "limited_gifts", "unique_gifts", "premium_subscription")
        info: dict[str, Any] = {
            "id": chat_id,
            "accent_color_id": 0,
            "max_reaction_count": 11,
            "accepted_gift_types": dict.fromkeys((*gifts, "gifts_from_channels"), False),
        }
        if chat_id > 0:
            return info | {"type": "private", "first_name": f"U{chat_id}"}
        return info | {"type": "supergroup", "title": "Staff", "is_forum": False}

    @staticmethod
    def _get_chat_member(params: dict[str, Any]) -> dict[str, Any]:
        """The bench's staff are administrators of the staff group (every ``can_`` right)."""
        user_id = int(params["user_id"])
        user = {"id": user_id, "is_bot": False, "first_name": f"Staff{user_id}"}
        rights = [
            "can_be_edited",
            "can_manage_chat",
            "can_delete_messages",
            "can_manage_video_chats",
            "can_restrict_members",
            "can_promote_members",
            "can_change_info",
            "can_invite_users",
            "can_post_stories",
            "can_edit_stories",
            "can_delete_stories",
        ]
        return {
            "status": "administrator",
            "user": user,
            "is_anonymous": False,
            **{right: right != "can_be_edited" for right in rights},
        }

    def _send_album(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        chat = self._chat(params)
        media = params.get("media") or []
        if isinstance(media, str):
            media = json.loads(media)
        sent = []
        for item in media:
            message = self._message(chat, chat.new_id(), {"caption": item.get("caption")})
            message["photo"] = [{"file_id": "x", "file_unique_id": "x", "width": 1, "height": 1}]
            self._reply(chat, message)
            sent.append(message)
        return sent


# ============================================================================ customers
@dataclass
class Script:
    steps: list[Step]
    counts: list[int]  # messages each step answers with
    endings: list[str]  # the start of the last message of each step (a check)


async def calibrate(
    fake: LeanFake, user_id: int, steps: Sequence[Step], quiet: float = QUIET, pause: float = 0.0
) -> Script:
    """Play the cycle once, waiting for quiet after each step, to learn each turn's shape."""
    chat = fake.chat(user_id)
    counts, endings = [], []
    for step in steps:
        await asyncio.sleep(pause)
        update = fake.update_for(chat, step)
        turn = fake.open_turn(chat, 0)
        fake.enqueue(update)
        deadline = time.perf_counter() + TURN_TIMEOUT
        while not turn.messages or time.perf_counter() - turn.last_at < quiet:
            if time.perf_counter() > deadline:
                raise RuntimeError(f"no answer to {step} during calibration")
            await asyncio.sleep(0.02)
        chat.turn = None
        chat.shown = turn.messages
        counts.append(len(turn.messages))
        endings.append(_ending(turn.messages[-1]))
    return Script(list(steps), counts, endings)


def _ending(message: dict[str, Any]) -> str:
    return str(message.get("text", ""))[:24]


@dataclass
class Recorder:
    window: tuple[float, float] = (0.0, float("inf"))
    latencies: list[float] = field(default_factory=list)
    turns: int = 0
    mismatched: int = 0
    failed: int = 0  # customers that gave up waiting (TURN_TIMEOUT)
    by_step: dict[int, list[float]] = field(default_factory=dict)

    def add(self, step: int, queued: float, done: float) -> None:
        if self.window[0] <= done < self.window[1]:
            self.latencies.append(done - queued)
            self.by_step.setdefault(step, []).append(done - queued)
            self.turns += 1


async def play_step(
    fake: LeanFake, chat: Chat, script: Script, rec: Recorder
) -> tuple[int, float, float] | None:
    """The customer's next step: send it, wait for the whole answer. (step, queued, done), or None
    when the answer did not come within TURN_TIMEOUT (counted in ``rec.failed``)."""
    i = chat.position
    chat.position = (i + 1) % len(script.steps)
    update = fake.update_for(chat, script.steps[i])
    turn = fake.open_turn(chat, script.counts[i])
    fake.enqueue(update)
    assert turn.done is not None
    try:
        done = await asyncio.wait_for(turn.done, TURN_TIMEOUT)
    except TimeoutError:
        chat.turn = None
        rec.failed += 1
        if rec.failed == 1:
            got = [str(m.get("text", ""))[:40] for m in turn.messages]
            print(
                f"  customer {chat.user_id} gave up: no complete answer to {script.steps[i]} within "
                f"{TURN_TIMEOUT:.0f} s (expected {script.counts[i]} messages, got {got})",
                flush=True,
            )
        return None
    chat.turn = None
    chat.shown = turn.messages
    if _ending(turn.messages[-1]) != script.endings[i]:
        rec.mismatched += 1
    return i, turn.queued, done


async def customer(
    fake: LeanFake,
    user_id: int,
    script: Script,
    rec: Recorder,
    stop: asyncio.Event,
    max_turns: int | None = None,
    think: float = 0.0,
) -> None:
    chat = fake.chat(user_id)
    for n in itertools.count():
        if think:
            await asyncio.sleep(think * (0.5 + (user_id % 10) / 10))  # spread, not in lockstep
        if stop.is_set() or (max_turns is not None and n >= max_turns):
            return
        played = await play_step(fake, chat, script, rec)
        if played is None:
            return
        rec.add(*played)


# ============================================================================ bots under test
@dataclass
class BotSpec:
    label: str
    title: str
    steps: list[Step]
    journey: bool
    argv: Callable[[str, Path], list[str]]
    env: Callable[[str, Path], dict[str, str]]


def _journey_env(framework: str) -> Callable[[str, Path], dict[str, str]]:
    def env(base: str, tmp: Path) -> dict[str, str]:
        return {
            "TELEGRAM_BOT_TOKEN": TOKEN,
            "TELEGRAM_API_BASE": base,
            "BOT_FRAMEWORK": framework,
            "DATABASE_URL": f"sqlite+aiosqlite:///{tmp / 'bot.db'}",
            "BACKEND_DATABASE_URL": f"sqlite+aiosqlite:///{tmp / 'backend.db'}",
            "MEDIA_DIR": str(tmp / "media"),
            "SECRET_KEY": "bench-secret-" + "0123456789abcdef" * 3,
            "LOG_LEVEL": os.environ.get("BENCH_LOG_LEVEL", "WARNING"),  # the bot's log file
            "TELEGRAM_RATE_LIMITS": LIMITS,
        }

    return env


def _bare_argv(kind: str) -> Callable[[str, Path], list[str]]:
    return lambda base, tmp: [
        sys.executable,
        str(Path(__file__).resolve()),
        "--serve",
        kind,
        "--api-base",
        base,
        "--state-dir",
        str(tmp),
    ]


def _peer_env(base: str, tmp: Path) -> dict[str, str]:
    return {"BENCH_PEER_TUNING": os.environ.get("BENCH_PEER_TUNING", "1")}


BOTS = {
    "a": BotSpec(
        "a",
        "redeem-bot journey, wire (no framework)",
        JOURNEY,
        True,
        lambda base, tmp: [str(Path(sys.executable).with_name("redeem-bot")), "run"],
        _journey_env("wire"),
    ),
    "e": BotSpec(
        "e",
        "redeem-bot journey, aiogram",
        JOURNEY,
        True,
        lambda base, tmp: [str(Path(sys.executable).with_name("redeem-bot")), "run"],
        _journey_env("aiogram"),
    ),
    "b": BotSpec(
        "b",
        "redeem-bot journey, PTB",
        JOURNEY,
        True,
        lambda base, tmp: [str(Path(sys.executable).with_name("redeem-bot")), "run"],
        _journey_env("ptb"),
    ),
    "c": BotSpec("c", "bare aiogram echo", ECHO, False, _bare_argv("echo"), _peer_env),
    "d": BotSpec(
        "d", "bare PTB ConversationHandler form", FORM, False, _bare_argv("form"), _peer_env
    ),
    "f": BotSpec(
        "f", "aiogram FSM form, state on SQLite", FORM, False, _bare_argv("fsm"), _peer_env
    ),
    "g": BotSpec("g", "PTB form, PicklePersistence", FORM, False, _bare_argv("pickle"), _peer_env),
}
PEERS = ("c", "d", "f", "g")


async def prepare_journey_db(tmp: Path, user_ids: Sequence[int]) -> None:
    """Members that signed up and are logged in on their Telegram chat, at the main menu.

    One argon2 hash for all (nobody logs in during the bench); rows inserted directly."""
    import datetime as dt
    import uuid

    from sqlalchemy import insert

    from backend.local import default_hasher
    from bot.app import build_app
    from bot.config import Settings
    from states import ConversationKey, Session
    from storage.backend_models import MemberRow
    from storage.db import make_engine

    env = _journey_env("aiogram")("http://127.0.0.1:9", tmp)
    settings = Settings(
        _env_file=None, **{k: v for k, v in env.items() if k != "TELEGRAM_BOT_TOKEN"}
    )
    app = await build_app(settings)
    password_hash = default_hasher().hash(PASSWORD)
    now = dt.datetime.now(dt.UTC)
    members = {uid: str(uuid.uuid4()) for uid in user_ids}
    rows = [
        {
            "id": mid,
            "email": f"customer{uid}@example.com",
            "password_hash": password_hash,
            "first_name": "Alex",
            "last_name": "Bench",
            "region": "DE",
            "phone": "+49 30 1234567",
            "newsletter": False,
            "reward_program": False,
            "privacy_consent_at": now,
            "created_at": now,
            "failed_logins": 0,
            "locked_until": None,
            "email_canonical": f"customer{uid}@example.com",
            "email_verified_at": now,
        }
        for uid, mid in members.items()
    ]
    backend_db = make_engine(settings.backend_database_url)
    async with backend_db.begin() as conn:
        await conn.execute(insert(MemberRow), rows)
    await backend_db.dispose()

    async def one(uid: int, mid: str) -> None:
        key = ConversationKey("telegram", str(uid), str(uid))
        await app.links.link(mid, key, "en")
        # as a log-in leaves it: the member's region and time zone kept in the session
        scratch = {"member_region": "DE", "tz": "Europe/Berlin"}
        await app.sessions.save(Session(key=key, state="menu", member_id=mid, scratch=scratch))

    await asyncio.gather(*(one(uid, mid) for uid, mid in members.items()))
    await app.close()


class BotProcess:
    def __init__(
        self, spec: BotSpec, fake: LeanFake, tmp: Path, *, telegram_limits: bool = False
    ) -> None:
        self.spec = spec
        self.fake = fake
        self.tmp = tmp
        self.telegram_limits = (
            telegram_limits  # the bot's default TELEGRAM_RATE_LIMITS (Telegram's)
        )
        self.proc: subprocess.Popen[bytes] | None = None
        self.log_path = tmp / f"bot-{spec.label}.log"

    def start(self) -> None:
        env = {**os.environ, "PYTHONPATH": str(REPO), **self.spec.env(self.fake.base_url, self.tmp)}
        if self.telegram_limits:
            env.pop("TELEGRAM_RATE_LIMITS", None)
        argv = self.spec.argv(self.fake.base_url, self.tmp)
        profile = os.environ.get("BENCH_CPROFILE")  # a directory: the bots' event-loop thread
        if profile and self.spec.journey:  # under cProfile, written at exit (no py-spy needed)
            out = Path(profile) / f"{self.spec.label}.prof"
            code = (
                "import cProfile, sys; from bot.cli import main; sys.argv = ['redeem-bot', 'run']; "
                f"cProfile.run('main()', {str(out)!r})"
            )
            argv = [sys.executable, "-c", code]
        with self.log_path.open("wb") as log:
            self.proc = subprocess.Popen(
                argv,
                env=env,
                cwd=self.tmp,
                stdout=log,
                stderr=log,
                stdin=subprocess.DEVNULL,
            )

    async def ready(self) -> None:
        deadline = time.perf_counter() + START_TIMEOUT
        while self.fake.polls == 0:
            if self.proc is None or self.proc.poll() is not None or time.perf_counter() > deadline:
                why = (
                    "exited"
                    if self.proc is None or self.proc.poll() is not None
                    else f"no poll in {START_TIMEOUT:g} s"
                )
                raise RuntimeError(f"bot ({self.spec.label}) did not start ({why}):\n{self.log()}")
            await asyncio.sleep(0.05)
        await asyncio.sleep(0.3)  # let start-up work (command menu, first pump round) finish

    def check_alive(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            code = None if self.proc is None else self.proc.returncode
            raise RuntimeError(
                f"bot ({self.spec.label}) exited during the run (exit code {code}):\n{self.log()}"
            )

    def cpu(self) -> tuple[float, float]:
        """CPU seconds used so far: (all threads, the event loop's thread)."""
        import psutil

        assert self.proc is not None
        process = psutil.Process(self.proc.pid)
        times = process.cpu_times()
        main = next(
            (t.user_time + t.system_time for t in process.threads() if t.id == self.proc.pid), 0.0
        )
        return times.user + times.system, main

    async def stop(self, timeout: float = 20.0) -> int | None:
        """SIGTERM, then SIGKILL after ``timeout``; the fake keeps answering meanwhile."""
        if self.proc is None:
            return None
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            deadline = time.perf_counter() + timeout
            while self.proc.poll() is None and time.perf_counter() < deadline:
                await asyncio.sleep(0.05)
            if self.proc.poll() is None:
                self.proc.kill()
                self.proc.wait()
        return self.proc.returncode

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")[-3000:] if self.log_path.exists() else ""


# ============================================================================ measuring
@dataclass
class Result:
    updates_per_s: float
    p50_ms: float
    p99_ms: float
    turns: int
    bot_cpu_ms: float  # bot process CPU per update
    loop_cpu_ms: float  # ... of which in the event loop's thread (the rest: SQLite threads etc.)
    fake_cpu: float  # share of one core used by this process (fake + customers)
    mismatched: int
    failed: int
    per_step: dict[int, tuple[float, float]] = field(default_factory=dict)  # step -> (p50, p99) ms
    mean_ms: float = float("nan")
    offered: float = 0.0  # open loop: updates/s offered
    missed: int = (
        0  # open loop: arrivals that found every customer still waiting (load not sustained)
    )


def mean_ms(values: list[float]) -> float:
    return sum(values) / len(values) * 1000 if values else float("nan")


def result_of(
    rec: Recorder,
    per_s: float,
    cpu0: tuple[float, float],
    cpu1: tuple[float, float],
    fake_cpu: float,
    **extra: Any,
) -> Result:
    """One bot's figures from a run: latency percentiles, and its CPU per update."""
    turns = max(rec.turns, 1)
    return Result(
        per_s,
        pct(rec.latencies, 0.5),
        pct(rec.latencies, 0.99),
        rec.turns,
        (cpu1[0] - cpu0[0]) / turns * 1000,
        (cpu1[1] - cpu0[1]) / turns * 1000,
        fake_cpu,
        rec.mismatched,
        rec.failed,
        mean_ms=mean_ms(rec.latencies),
        **extra,
    )


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000 if ordered else float("nan")


async def measure_single(
    fake: LeanFake, bot: BotProcess, script: Script, user_id: int, warmup: int, turns: int
) -> Result:
    stop = asyncio.Event()
    await customer(fake, user_id, script, Recorder(), stop, max_turns=warmup)
    rec = Recorder()
    cpu0, mine0, t0 = bot.cpu(), time.process_time(), time.perf_counter()
    await customer(fake, user_id, script, rec, stop, max_turns=turns)
    elapsed = time.perf_counter() - t0
    cpu1, mine = bot.cpu(), time.process_time() - mine0
    return result_of(rec, rec.turns / elapsed, cpu0, cpu1, mine / elapsed)


async def measure_many(
    fake: LeanFake,
    bot: BotProcess,
    script: Script,
    user_ids: Sequence[int],
    warmup: float,
    window: float,
    on_start: Callable[[], object] | None = None,
) -> Result:
    """All customers in flight at once, spread evenly over the cycle (not in lockstep).

    Customer ``n`` first plays ``n % len(cycle)`` steps unmeasured, then all start together
    from their different places; after ``warmup`` seconds the window is measured."""
    stop, go = asyncio.Event(), asyncio.Event()
    rec = Recorder(window=(float("inf"), float("inf")))
    ready = 0

    async def one(uid: int) -> None:
        nonlocal ready
        try:
            await customer(fake, uid, script, Recorder(), stop, max_turns=uid % len(script.steps))
        finally:
            ready += 1
            if ready == len(user_ids):
                go.set()
        await go.wait()
        await customer(fake, uid, script, rec, stop)

    tasks = [asyncio.create_task(one(uid)) for uid in user_ids]
    try:
        t = time.perf_counter()
        await go.wait()
        print(
            f"  ({bot.spec.label}) {len(user_ids):,} customers spread over the cycle in "
            f"{time.perf_counter() - t:.1f} s",
            flush=True,
        )
        if on_start is not None:
            on_start()
        start = time.perf_counter()
        rec.window = (start + warmup, start + warmup + window)
        await asyncio.sleep(warmup)
        cpu0, mine0, stray0 = bot.cpu(), time.process_time(), fake.stray
        done, _ = await asyncio.wait(tasks, timeout=window)
        cpu1, mine = bot.cpu(), time.process_time() - mine0
        rec.mismatched += fake.stray - stray0
        for task in done:
            task.result()  # a customer that failed fails the bench
    finally:
        stop.set()
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
    per_step = {i: (pct(v, 0.5), pct(v, 0.99)) for i, v in rec.by_step.items()}
    return result_of(rec, rec.turns / window, cpu0, cpu1, mine / window, per_step=per_step)


async def measure_open(
    fake: LeanFake,
    bot: BotProcess,
    script: Script,
    user_ids: Sequence[int],
    rate: float,
    warmup: float,
    window: float,
) -> Result:
    """Open loop: updates arrive at ``rate`` a second whatever the bot does, each from the next
    customer that is not waiting for an answer (a customer has one step in flight at most, so
    its conversation stays valid). The same offered load for every bot: mean latency compares
    the bots' cost, not their scheduling policy. An arrival that finds every customer waiting
    is counted as missed (the bot did not sustain the rate)."""
    stop = asyncio.Event()
    await asyncio.gather(
        *(
            customer(fake, uid, script, Recorder(), stop, max_turns=uid % len(script.steps))
            for uid in user_ids
        )
    )  # spread over the cycle, unmeasured
    idle, rec, tasks = deque(user_ids), Recorder(), set()
    start = time.perf_counter() + 0.2
    measured_from, end = start + warmup, start + warmup + window
    missed = 0

    async def turn(uid: int) -> None:
        try:
            played = await play_step(fake, fake.chat(uid), script, rec)
            if played is not None and played[1] >= measured_from:
                rec.latencies.append(played[2] - played[1])
                rec.turns += 1
        finally:
            idle.append(uid)

    cpu0: tuple[float, float] | None = None
    mine0 = stray0 = 0.0
    for n in itertools.count():
        due = start + n / rate
        if due >= end:
            break
        if cpu0 is None and due >= measured_from:
            cpu0, mine0, stray0 = bot.cpu(), time.process_time(), fake.stray
        delay = due - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        if not idle:
            missed += due >= measured_from
            continue
        task = asyncio.create_task(turn(idle.popleft()))
        tasks.add(task)
        task.add_done_callback(tasks.discard)
    if tasks:
        await asyncio.wait(tasks, timeout=TURN_TIMEOUT + 1)
    cpu1, mine = bot.cpu(), time.process_time() - mine0
    elapsed = time.perf_counter() - measured_from
    rec.mismatched += int(fake.stray - stray0)
    assert cpu0 is not None
    return result_of(
        rec, rec.turns / window, cpu0, cpu1, mine / elapsed, offered=rate, missed=missed
    )


@dataclass
class BotRun:
    spec: BotSpec
    single: Result
    many: Result
    counts: list[int]
    throttled: int = 0  # 429s the bot got (the fake enforces limits only with --telegram-limits)
    open: Result | None = None  # at the fixed offered rate (--rate)


async def run_bot(spec: BotSpec, args: argparse.Namespace, root: Path) -> BotRun:
    tmp = root / spec.label
    tmp.mkdir()
    single_user, calib_user = 2, 1
    many_users = list(range(1001, 1001 + args.customers))
    open_users = list(range(100_001, 100_001 + args.open_customers)) if args.rate > 0 else []
    if spec.journey:
        t = time.perf_counter()
        await prepare_journey_db(tmp, [calib_user, single_user, *many_users, *open_users])
        print(
            f"  ({spec.label}) {len(many_users) + len(open_users) + 2} logged-in members pre-created in "
            f"{time.perf_counter() - t:.1f} s",
            flush=True,
        )
    fake = LeanFake()
    await fake.start()
    bot = BotProcess(spec, fake, tmp)
    try:
        bot.start()
        await bot.ready()
        script = await calibrate(fake, calib_user, spec.steps)
        profiler = start_profiler(bot, root, "single", 5) if spec.label in args.profile else None
        single = await measure_single(
            fake, bot, script, single_user, args.single_warmup, args.single_turns
        )
        if profiler is not None:
            await finished(profiler)
        bot.check_alive()
        print(
            f"  ({spec.label}) 1 customer: {single.updates_per_s:,.0f} updates/s, p50 {single.p50_ms:.2f} ms",
            flush=True,
        )
        profilers: list[subprocess.Popen[bytes]] = []

        def profile_load() -> None:
            if spec.label in args.profile:
                profilers.append(start_profiler(bot, root, "load", args.warmup + args.window))

        many = await measure_many(
            fake, bot, script, many_users, args.warmup, args.window, profile_load
        )
        for profiler in profilers:
            await finished(profiler)
        print(
            f"  ({spec.label}) {args.customers} customers: {many.updates_per_s:,.0f} updates/s, "
            f"p99 {many.p99_ms:.0f} ms",
            flush=True,
        )
        bot.check_alive()
        run = BotRun(spec, single, many, script.counts, fake.throttled)
        if open_users:
            await fake.drained(TURN_TIMEOUT)  # the closed-loop phase's backlog is answered first
            run.open = await measure_open(
                fake, bot, script, open_users, args.rate, args.open_warmup, args.open_window
            )
            print(
                f"  ({spec.label}) open loop at {args.rate:.0f} updates/s: mean {run.open.mean_ms:.1f} ms, "
                f"p99 {run.open.p99_ms:.0f} ms, {run.open.missed} arrivals missed",
                flush=True,
            )
        return run
    finally:
        code = await bot.stop()
        if code not in (0, -signal.SIGTERM, None):
            print(f"  ({spec.label}) exit code {code}:\n{bot.log()}", flush=True)
        await fake.stop()


@dataclass
class LimitsRun:
    spec: BotSpec
    customers: int
    seconds: float
    turns: int
    messages: int  # calls the fake counted against the limits (sends, edits, deletes)
    throttled: int  # 429s at load
    throttled_calibration: int
    by_limit: dict[str, int]
    p50_s: float
    p99_s: float
    failed: int
    mismatched: int


async def run_limits(spec: BotSpec, args: argparse.Namespace, root: Path) -> LimitsRun:
    """--telegram-limits: the bot with its default limits against a fake enforcing Telegram's."""
    from tests.telegram.fake_bot_api import FloodControl

    tmp = root / spec.label
    tmp.mkdir()
    calib_user, users = 1, list(range(1001, 1001 + args.customers))
    await prepare_journey_db(tmp, [calib_user, *users])
    fake = LeanFake()
    fake.flood = FloodControl(time.monotonic)
    await fake.start()
    bot = BotProcess(spec, fake, tmp, telegram_limits=True)
    stop, tasks = asyncio.Event(), []
    try:
        bot.start()
        await bot.ready()
        script = await calibrate(fake, calib_user, spec.steps, LIMITS_QUIET)
        calibration_429s, accepted0, rejected0 = (
            fake.throttled,
            fake.flood.accepted,
            len(fake.flood.rejected),
        )
        rec = Recorder()
        start = time.perf_counter()
        rec.window = (start, start + args.warmup + args.window)
        tasks = [asyncio.create_task(customer(fake, uid, script, rec, stop)) for uid in users]
        await asyncio.sleep(args.warmup + args.window)
        seconds = time.perf_counter() - start
        messages = fake.flood.accepted - accepted0
        by_limit: dict[str, int] = {}
        for _, _, limit in fake.flood.rejected[rejected0:]:
            by_limit[limit] = by_limit.get(limit, 0) + 1
        print(
            f"  ({spec.label}) {len(users)} customers for {seconds:.0f} s: {messages / seconds:.1f} messages/s, "
            f"{fake.throttled - calibration_429s} 429s",
            flush=True,
        )
        return LimitsRun(
            spec,
            len(users),
            seconds,
            rec.turns,
            messages,
            fake.throttled - calibration_429s,
            calibration_429s,
            by_limit,
            pct(rec.latencies, 0.5) / 1000,
            pct(rec.latencies, 0.99) / 1000,
            rec.failed,
            rec.mismatched,
        )
    finally:
        stop.set()
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        code = await bot.stop()
        if code not in (0, -signal.SIGTERM, None):
            print(f"  ({spec.label}) exit code {code}:\n{bot.log()}", flush=True)
        await fake.stop()


def report_limits(runs: dict[str, LimitsRun]) -> None:
    print(
        "\nTelegram's published limits enforced by the fake (30 messages/s overall, 1/s per chat with a burst of 3, "
        "20/min per group; counted on arrival), the bots with their default TELEGRAM_RATE_LIMITS:"
    )
    head = f"{'turns':>7} {'messages':>9} {'msg/s':>6} {'429s':>5} {'(calibration)':>13} {'p50 s':>6} {'p99 s':>6} {'gave up':>7}"
    print(f"{'bot':<34}|{head}")
    for label, run in runs.items():
        print(
            f"{f'({label}) {run.spec.title}':<34}|{run.turns:>7,} {run.messages:>9,} {run.messages / run.seconds:>6.1f} "
            f"{run.throttled:>5} {run.throttled_calibration:>13} {run.p50_s:>6.1f} {run.p99_s:>6.1f} {run.failed:>7}"
        )
        if run.by_limit:
            print(f"    429s by limit: {run.by_limit}")
    ok = all(run.throttled == 0 and run.throttled_calibration == 0 for run in runs.values())
    print(
        f"\n  [{'PASS' if ok else 'FAIL'}] no 429 from the limits: sending keeps to them (429s are for surprises)"
    )


async def finished(proc: subprocess.Popen[bytes]) -> None:
    while proc.poll() is None:
        await asyncio.sleep(0.1)


def start_profiler(
    bot: BotProcess, root: Path, phase: str, seconds: float
) -> subprocess.Popen[bytes]:
    out = root / f"profile-{bot.spec.label}-{phase}.txt"
    assert bot.proc is not None
    py_spy = Path(sys.executable).with_name("py-spy")
    print(f"  ({bot.spec.label}) py-spy -> {out}", flush=True)
    return subprocess.Popen(
        [
            str(py_spy),
            "record",
            "--pid",
            str(bot.proc.pid),
            "--duration",
            str(int(seconds)),
            "--format",
            "raw",
            "--output",
            str(out),
            "--nonblocking",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


# ============================================================================ report
def report(runs: dict[str, BotRun], args: argparse.Namespace) -> None:
    customers = args.customers
    many = f"{customers:,} customers in flight"
    print(f"\n{'':<42}|{'1 customer in flight':^33}|{many:^33}|")
    head = f"{'upd/s':>7} {'p50 ms':>7} {'p99 ms':>7} {'CPU ms/upd':>10} "
    print(f"{'bot':<42}|{head}|{head}|")
    for label, run in runs.items():
        cells = [
            f"{r.updates_per_s:>7,.0f} {r.p50_ms:>7.2f} {r.p99_ms:>7.1f} {r.bot_cpu_ms:>4.2f} ({r.loop_cpu_ms:.2f}) "
            for r in (run.single, run.many)
        ]
        print(f"{f'({label}) {run.spec.title}':<42}|{cells[0]}|{cells[1]}|")
    print(
        "CPU ms/upd: CPU time of the bot process per update, all threads (in brackets: the event loop's thread;"
        " the rest is SQLite's worker threads and the like)."
    )
    opened = {label: run.open for label, run in runs.items() if run.open is not None}
    if opened:
        print(
            f"\nEqual offered load, open loop: {args.rate:.0f} updates/s arriving whatever the bot does, "
            f"{args.open_customers} customers taking turns, {args.open_window:.0f} s measured:"
        )
        print(
            f"{'bot':<42}| {'upd/s':>6} {'mean ms':>8} {'p50 ms':>7} {'p99 ms':>7} {'CPU ms/upd':>10} {'missed':>6}"
        )
        for label, r in opened.items():
            print(
                f"{f'({label}) {runs[label].spec.title}':<42}| {r.updates_per_s:>6.0f} {r.mean_ms:>8.1f} "
                f"{r.p50_ms:>7.1f} {r.p99_ms:>7.1f} {r.bot_cpu_ms:>10.2f} {r.missed:>6}"
            )
        print(
            "  missed: arrivals that found all customers waiting (the bot did not keep up with the rate: "
            "lower --rate for a fair latency comparison)"
        )
    for label, run in runs.items():
        phases = [run.single, run.many, *([run.open] if run.open else [])]
        fake = max(r.fake_cpu for r in phases)
        bad = sum(r.mismatched for r in phases)
        failed = sum(r.failed for r in phases)
        print(
            f"({label}) {sum(r.turns for r in phases):,} turns measured; fake + customers used up to "
            f"{fake:.0%} of a core; turns ending unlike calibration: {bad}; customers that gave up: {failed}; "
            f"429s: {run.throttled}"
        )
    for label in ("a", "b", "e"):
        if label in runs:
            shape = runs[label].counts
            print(
                f"({label}) messages per update over the cycle: {shape} ({sum(shape)} for {len(shape)} updates)"
            )
            steps = runs[label].spec.steps
            slow = sorted(runs[label].many.per_step.items(), key=lambda kv: -kv[1][1])[:4]
            print(
                f"({label}) slowest steps at load (p50/p99 ms): "
                + ", ".join(
                    f"{steps[i][0]} {steps[i][1]!r} [{shape[i]} msg] {p50:.0f}/{p99:.0f}"
                    for i, (p50, p99) in slow
                )
            )
    tuned = os.environ.get("BENCH_PEER_TUNING", "1") != "0"
    for ours in ("a", "e"):  # our bot on the wire connector, and on aiogram
        if ours in runs:
            ratios(runs, ours, customers, args.rate, tuned)


def ratios(runs: dict[str, BotRun], ours: str, customers: int, rate: float, tuned: bool) -> None:
    """Our bot ``ours`` against each peer, and issue 9's browse-load targets."""
    a = runs[ours]
    print(
        f"\nratios, ({ours}) against each peer (closed loop at {customers:,} customers; "
        f"open loop at {rate:.0f}/s):"
    )
    for other in PEERS:
        if other not in runs:
            continue
        o = runs[other]
        line = (
            f"  ({ours})/({other}) updates/s {a.many.updates_per_s / o.many.updates_per_s:.2f}x, "
            f"CPU ms/upd {a.many.bot_cpu_ms / o.many.bot_cpu_ms:.2f}x; "
            f"1 customer: updates/s {a.single.updates_per_s / o.single.updates_per_s:.2f}x"
        )
        if a.open is not None and o.open is not None:
            line += (
                f"; open loop: mean latency {a.open.mean_ms / o.open.mean_ms:.2f}x, "
                f"CPU ms/upd {a.open.bot_cpu_ms / o.open.bot_cpu_ms:.2f}x"
            )
        print(line)
    checks: list[tuple[str, bool]] = []
    if "c" in runs:
        c = runs["c"]
        ratio, cpu = (
            a.many.updates_per_s / c.many.updates_per_s,
            a.many.bot_cpu_ms / c.many.bot_cpu_ms,
        )
        checks.append(
            (f"({ours}) >= 0.8x the updates/s of the equally tuned (c): {ratio:.2f}x", ratio >= 0.8)
        )
        checks.append((f"({ours}) CPU per update <= 1.25x (c)'s: {cpu:.2f}x", cpu <= 1.25))
    for other in ("f", "g"):
        if other in runs:
            ratio = a.many.updates_per_s / runs[other].many.updates_per_s
            checks.append(
                (
                    f"({ours}) >= 2x the updates/s of the durable peer ({other}): {ratio:.2f}x",
                    ratio >= 2.0,
                )
            )
    single, many = a.single.bot_cpu_ms, a.many.bot_cpu_ms
    checks.append(
        (
            f"({ours}) one customer in flight: CPU per update within 1.5x of at load: "
            f"{single:.2f} vs {many:.2f} ms ({single / many:.2f}x)",
            single <= 1.5 * many,
        )
    )
    print(
        f"\ntargets (issue 9, browse load; peers {'tuned like (a)' if tuned else 'UNTUNED (BENCH_PEER_TUNING=0)'}):"
    )
    for text, ok in checks:
        print(f"  [{'PASS' if ok else 'FAIL'}] {text}")


# ============================================================================ the bare bots (child processes)
def peer_tuning() -> None:
    """The process tuning ``redeem-bot run`` applies, applied to a peer the same way (after its
    set-up, before polling): ``tune_gc()`` of bot/channels/telegram/speed.py, imported so the
    two never drift apart. The rest is equal already: every bot here runs on asyncio's default
    event loop (``asyncio.run``; no uvloop) and the stdlib ``json`` (our bot uses no faster JSON
    library). BENCH_PEER_TUNING=0 runs the peers untuned, as issue 3's figures were."""
    if os.environ.get("BENCH_PEER_TUNING", "1") != "0":
        from bot.channels.telegram.speed import tune_gc

        tune_gc()


FAST_LIBRARIES = ("uvloop", "orjson", "ujson", "msgspec", "rapidjson")


def tuning_note() -> str:
    """What process tuning the bot under test applies, checked in its source, so a faster
    event loop or JSON library taken up by our bot cannot make the comparison unfair unnoticed:
    ``peer_tuning`` gives the peers ``tune_gc()``; anything else found here they do not get."""
    import re

    found = set()
    pattern = re.compile(rf"^\s*(?:import|from)\s+({'|'.join(FAST_LIBRARIES)})\b", re.M)
    for path in (REPO / "bot").rglob("*.py"):
        found.update(pattern.findall(path.read_text(encoding="utf-8", errors="replace")))
    if found:
        return (
            f"UNFAIR: the bot imports {', '.join(sorted(found))}, which the peers do not get "
            "(give it to them in peer_tuning)"
        )
    return (
        "process tuning, the same for every bot: tune_gc() (gc.freeze, thresholds 50,000/20/100; "
        f"peers: {'yes' if os.environ.get('BENCH_PEER_TUNING', '1') != '0' else 'NO'}), "
        "asyncio's default event loop, the stdlib json (no uvloop / orjson in the bot)"
    )


def serve_echo(api_base: str) -> None:
    from aiogram import Bot, Dispatcher
    from aiogram.client.session.aiohttp import AiohttpSession
    from aiogram.client.telegram import TelegramAPIServer
    from aiogram.types import Message

    async def main() -> None:
        bot = Bot(TOKEN, session=AiohttpSession(api=TelegramAPIServer.from_base(api_base)))
        dp = Dispatcher()

        @dp.message()
        async def echo(message: Message) -> None:
            await message.answer(message.text or "?")

        peer_tuning()
        await dp.start_polling(bot, polling_timeout=10, handle_signals=True)

    asyncio.run(main())


def sqlite_storage(path: Path) -> Any:
    """An aiogram FSM storage on SQLite, as aiogram users write one (aiogram ships memory, Redis
    and MongoDB storages only): one aiosqlite connection, a row per key, data as JSON, a commit
    per write."""
    import aiosqlite
    from aiogram.fsm.state import State
    from aiogram.fsm.storage.base import BaseStorage, DefaultKeyBuilder, StorageKey

    class SQLiteStorage(BaseStorage):
        def __init__(self, db_path: Path) -> None:
            self.db_path = db_path
            self.key_builder = DefaultKeyBuilder(with_destiny=True)
            self._db: aiosqlite.Connection | None = None

        async def _conn(self) -> aiosqlite.Connection:
            if self._db is None:
                self._db = await aiosqlite.connect(self.db_path)
                await self._db.execute("PRAGMA journal_mode=WAL")
                await self._db.execute(
                    "CREATE TABLE IF NOT EXISTS fsm (key TEXT PRIMARY KEY, state TEXT, data TEXT NOT NULL DEFAULT '{}')"
                )
                await self._db.commit()
            return self._db

        async def set_state(self, key: StorageKey, state: Any = None) -> None:
            value = state.state if isinstance(state, State) else state
            db = await self._conn()
            await db.execute(
                "INSERT INTO fsm (key, state) VALUES (?, ?) "
                "ON CONFLICT(key) DO UPDATE SET state = excluded.state",
                (self.key_builder.build(key), value),
            )
            await db.commit()

        async def get_state(self, key: StorageKey) -> str | None:
            db = await self._conn()
            async with db.execute(
                "SELECT state FROM fsm WHERE key = ?", (self.key_builder.build(key),)
            ) as cur:
                row = await cur.fetchone()
            return row[0] if row else None

        async def set_data(self, key: StorageKey, data: Any) -> None:
            db = await self._conn()
            await db.execute(
                "INSERT INTO fsm (key, data) VALUES (?, ?) "
                "ON CONFLICT(key) DO UPDATE SET data = excluded.data",
                (self.key_builder.build(key), json.dumps(dict(data))),
            )
            await db.commit()

        async def get_data(self, key: StorageKey) -> dict[str, Any]:
            db = await self._conn()
            async with db.execute(
                "SELECT data FROM fsm WHERE key = ?", (self.key_builder.build(key),)
            ) as cur:
                row = await cur.fetchone()
            return json.loads(row[0]) if row else {}

        async def close(self) -> None:
            if self._db is not None:
                await self._db.close()

    return SQLiteStorage(path)


def serve_fsm(api_base: str, state_dir: Path) -> None:
    """(f) the form of (d) as an aiogram FSM bot (the docs' "finite state machine" form example)."""
    from aiogram import Bot, Dispatcher, F, Router
    from aiogram.client.session.aiohttp import AiohttpSession
    from aiogram.client.telegram import TelegramAPIServer
    from aiogram.filters import Command, CommandStart
    from aiogram.fsm.context import FSMContext
    from aiogram.fsm.state import State, StatesGroup
    from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message

    class Form(StatesGroup):
        name = State()
        age = State()
        confirm = State()

    router = Router()

    @router.message(CommandStart())
    async def start(message: Message, state: FSMContext) -> None:
        await state.set_state(Form.name)
        await message.answer("Hi! What is your name?")

    @router.message(Command("cancel"))
    async def cancel(message: Message, state: FSMContext) -> None:
        await state.clear()
        await message.answer("Cancelled.")

    @router.message(Form.name, F.text)
    async def name(message: Message, state: FSMContext) -> None:
        await state.update_data(name=message.text)
        await state.set_state(Form.age)
        await message.answer("How old are you?")

    @router.message(Form.age, F.text)
    async def age(message: Message, state: FSMContext) -> None:
        text = message.text or ""
        if not text.isdigit():
            await message.answer("Please send your age as a number.")
            return
        data = await state.update_data(age=int(text))
        await state.set_state(Form.confirm)
        keyboard = InlineKeyboardMarkup(
            inline_keyboard=[
                [
                    InlineKeyboardButton(text="Confirm", callback_data="confirm"),
                    InlineKeyboardButton(text="Cancel", callback_data="cancel"),
                ]
            ]
        )
        await message.answer(f"{data['name']}, {text}: is that right?", reply_markup=keyboard)

    @router.callback_query(Form.confirm)
    async def confirm(query: CallbackQuery, state: FSMContext) -> None:
        await state.clear()
        await query.answer()
        assert query.message is not None
        await query.message.edit_text("Thanks, saved." if query.data == "confirm" else "Cancelled.")  # type: ignore[union-attr]

    async def main() -> None:
        bot = Bot(TOKEN, session=AiohttpSession(api=TelegramAPIServer.from_base(api_base)))
        dp = Dispatcher(storage=sqlite_storage(state_dir / "fsm.sqlite3"))
        dp.include_router(router)
        peer_tuning()
        await dp.start_polling(bot, polling_timeout=10, handle_signals=True)

    asyncio.run(main())


def serve_form(api_base: str, persistence_path: Path | None = None) -> None:
    """(d) PTB's ConversationHandler form; (g) the same with ``PicklePersistence`` (PTB's
    ``persistentconversationbot.py`` example: ``persistent=True`` and a name, defaults otherwise)."""
    import warnings

    from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
    from telegram.ext import (
        ApplicationBuilder,
        CallbackQueryHandler,
        CommandHandler,
        ContextTypes,
        ConversationHandler,
        MessageHandler,
        PicklePersistence,
        filters,
    )

    warnings.filterwarnings("ignore", message=".*per_message.*")
    name_, age_, confirm_ = range(3)

    async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
        assert update.message is not None
        await update.message.reply_text("Hi! What is your name?")
        return name_

    async def name(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
        assert update.message is not None and context.user_data is not None
        context.user_data["name"] = update.message.text
        await update.message.reply_text("How old are you?")
        return age_

    async def age(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
        assert update.message is not None and context.user_data is not None
        text = update.message.text or ""
        if not text.isdigit():
            await update.message.reply_text("Please send your age as a number.")
            return age_
        context.user_data["age"] = int(text)
        keyboard = InlineKeyboardMarkup(
            [
                [
                    InlineKeyboardButton("Confirm", callback_data="confirm"),
                    InlineKeyboardButton("Cancel", callback_data="cancel"),
                ]
            ]
        )
        await update.message.reply_text(
            f"{context.user_data['name']}, {text}: is that right?", reply_markup=keyboard
        )
        return confirm_

    async def confirm(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
        query = update.callback_query
        assert query is not None
        await query.answer()
        await query.edit_message_text("Thanks, saved." if query.data == "confirm" else "Cancelled.")
        return ConversationHandler.END

    async def cancel(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
        assert update.message is not None
        await update.message.reply_text("Cancelled.")
        return ConversationHandler.END

    builder = ApplicationBuilder().token(TOKEN).base_url(f"{api_base}/bot")
    if persistence_path is not None:
        builder = builder.persistence(PicklePersistence(filepath=persistence_path))
    application = builder.build()
    text = filters.TEXT & ~filters.COMMAND
    application.add_handler(
        ConversationHandler(
            entry_points=[CommandHandler("start", start)],
            states={
                name_: [MessageHandler(text, name)],
                age_: [MessageHandler(text, age)],
                confirm_: [CallbackQueryHandler(confirm)],
            },
            fallbacks=[CommandHandler("cancel", cancel)],
            name="form",
            persistent=persistence_path is not None,
        )
    )
    peer_tuning()
    application.run_polling(timeout=10, stop_signals=(signal.SIGTERM, signal.SIGINT))


# ============================================================================ the whole-journey load
@dataclass
class JourneyRun:
    spec: BotSpec
    customers: int
    in_flight: int
    seconds: float
    tally: Any  # telegram_journey.Tally
    cpu: tuple[float, float]  # bot CPU seconds in the run: all threads, the event loop's
    prizes: tuple[bool, str]  # exactly one code per journey, all distinct
    counts: list[int]  # messages each step answers with (calibration)


async def prepare_codes(tmp: Path, count: int) -> None:
    """The bot's databases at the head, ``count`` distinct codes in every digital promotion's
    pool (the demo pool is small): every approval can be served."""
    from bot.app import build_app
    from bot.config import Settings

    env = _journey_env("wire")("http://127.0.0.1:9", tmp)
    settings = Settings(
        _env_file=None, **{k: v for k, v in env.items() if k != "TELEGRAM_BOT_TOKEN"}
    )
    app = await build_app(settings)
    for promo in await app.backend.list_promotions():
        if promo.prize_kind.value == "digital":
            codes = [f"BENCH-{promo.code}-{i:06d}" for i in range(count)]
            await app.desk.import_codes(promo.code, codes)
    await app.close()


async def run_journeys(spec: BotSpec, args: argparse.Namespace, root: Path) -> JourneyRun:
    """--journeys N: N customers from sign-up to prize code, ``--journey-flight`` at once."""
    import telegram_journey as tj

    tmp = root / f"journeys-{spec.label}"
    tmp.mkdir()
    await prepare_codes(tmp, args.journeys + 1)
    staffed = BotSpec(
        spec.label,
        spec.title,
        spec.steps,
        spec.journey,
        spec.argv,
        lambda base, tmp: {
            **spec.env(base, tmp),
            "STAFF_CHAT_ID": str(tj.STAFF_CHAT),
            "REVIEW_CHAT_ID": str(tj.REVIEW_CHAT),
            "OCR_WORKERS": str(args.journey_ocr),
            # pictures wait for the image workers instead of being answered "busy"
            "IMAGE_QUEUE": str(max(8, args.journey_flight)),
        },
    )
    fake = JourneyFake()
    await fake.start()
    tally = tj.Tally()
    fake.watchers[tj.REVIEW_CHAT] = staff = tj.Staff(fake, tally, args.approve)
    fake.watchers[tj.STAFF_CHAT] = lambda message: None  # the staff group's confirmations
    fake.observer = tj.observe_codes(tally)
    bot = BotProcess(staffed, fake, tmp)
    try:
        bot.start()
        await bot.ready()
        try:
            shape = await tj.calibrate(fake, 1, TURN_TIMEOUT, QUIET)
        except RuntimeError as exc:
            raise RuntimeError(f"{exc}\nBot API calls: {fake.calls}\n{bot.log()}") from None
        bot.check_alive()
        print(
            f"  ({spec.label}) calibrated: {len(tj.STEPS)} steps, {sum(shape.counts)} messages, "
            "code delivered",
            flush=True,
        )
        tally = tj.Tally()  # the calibration customer is not measured
        staff.tally, fake.observer = tally, tj.observe_codes(tally)
        uids = list(range(1001, 1001 + args.journeys))
        customers = [tj.Customer(fake, uid, TURN_TIMEOUT) for uid in uids]  # photos made first
        cpu0, t0 = bot.cpu(), time.perf_counter()
        await tj.load(customers, args.journey_flight, shape, tally, args.code_timeout)
        seconds, cpu1 = time.perf_counter() - t0, bot.cpu()
        await fake.drained(TURN_TIMEOUT, quiet=2.0)  # a second code would arrive now
        bot.check_alive()
        run = JourneyRun(
            spec,
            len(uids),
            args.journey_flight,
            seconds,
            tally,
            (cpu1[0] - cpu0[0], cpu1[1] - cpu0[1]),
            tj.prize_check(tally, uids),
            shape.counts,
        )
        print(
            f"  ({spec.label}) {tally.journeys} journeys in {seconds:.0f} s: "
            f"{tally.journeys / seconds:.2f}/s; {run.prizes[1]}",
            flush=True,
        )
        return run
    finally:
        code = await bot.stop()
        if code not in (0, -signal.SIGTERM, None):
            print(f"  ({spec.label}) exit code {code}:\n{bot.log()}", flush=True)
        await fake.stop()


def journey_figures(run: JourneyRun) -> dict[str, float]:
    t = run.tally
    updates, journeys = max(t.updates, 1), max(t.journeys, 1)
    return {
        "journeys_per_s": t.journeys / run.seconds,
        "updates_per_s": t.updates / run.seconds,
        "turn_p50_ms": pct(t.turns, 0.5),
        "turn_p99_ms": pct(t.turns, 0.99),
        "code_p50_ms": pct(t.waits, 0.5),
        "code_p99_ms": pct(t.waits, 0.99),
        "cpu_ms_per_update": run.cpu[0] / updates * 1000,
        "loop_cpu_ms_per_update": run.cpu[1] / updates * 1000,
        "cpu_ms_per_journey": run.cpu[0] / journeys * 1000,
    }


def report_journeys(runs: dict[str, JourneyRun], args: argparse.Namespace) -> dict[str, float]:
    """The whole-journey table; returns the figures by name for the regression check."""
    how = (
        "the Approve button of the card in the review chat"
        if args.approve == "button"
        else "/approve CLAIM in the staff group"
    )
    print(
        f"\nWhole-journey load: {args.journeys} customers, {args.journey_flight} at once, each from "
        f"/start to its prize code (sign-up with argon2id, invoice photo, S/N photo, claim; staff "
        f"approve by {how}; "
        f"OCR workers {args.journey_ocr}). No peer has this journey: no ratios."
    )
    head = (
        f"{'journeys/s':>10} {'upd/s':>6} {'turn p50':>8} {'p99 ms':>7} {'code p50':>8} "
        f"{'p99 ms':>7} {'CPU ms/upd':>10} {'CPU ms/journey':>14}"
    )
    print(f"{'bot':<42}|{head}")
    figures: dict[str, float] = {}
    for label, run in runs.items():
        f = journey_figures(run)
        figures |= {f"journey.{label}.{name}": value for name, value in f.items()}
        print(
            f"{f'({label}) {run.spec.title}':<42}|{f['journeys_per_s']:>10.2f} "
            f"{f['updates_per_s']:>6.0f} {f['turn_p50_ms']:>8.0f} {f['turn_p99_ms']:>7.0f} "
            f"{f['code_p50_ms']:>8.0f} {f['code_p99_ms']:>7.0f} "
            f"{f['cpu_ms_per_update']:>4.2f} ({f['loop_cpu_ms_per_update']:.2f}) "
            f"{f['cpu_ms_per_journey']:>14.0f}"
        )
    print(
        "turn: a customer's update queued -> the last message of its answer; code: the claim "
        "submitted -> the prize code in the customer's chat (card posted, staff press, code "
        "delivered). CPU: the bot process, all threads (the event loop's in brackets)."
    )
    for label, run in runs.items():
        t = run.tally
        ok, text = run.prizes
        print(
            f"({label}) updates: {t.updates:,} ({t.approvals} by staff); turns ending unlike "
            f"calibration: {t.mismatched}; customers that gave up: {len(t.failed)}; "
            f"messages per step: {run.counts} ({sum(run.counts)} for {len(run.counts)} steps)"
        )
        print(f"  [{'PASS' if ok and not t.failed else 'FAIL'}] ({label}) {text}")
    return figures


# ============================================================================ the flood scenario
@dataclass
class FloodRun:
    label: str
    others: Recorder
    flood_answers: int
    slow_downs: int


async def run_flood(spec: BotSpec, args: argparse.Namespace, root: Path) -> FloodRun:
    tmp = root / f"flood-{spec.label}"
    tmp.mkdir()
    calib_user, flooder = 1, 3
    others = list(range(2001, 2001 + args.flood_customers))
    await prepare_journey_db(tmp, [calib_user, flooder, *others])
    fake = LeanFake()
    await fake.start()
    paced = BotSpec(
        spec.label,
        spec.title,
        FLOOD_STEPS,
        spec.journey,
        spec.argv,
        lambda base, tmp: {**spec.env(base, tmp), "TELEGRAM_RATE_LIMITS": FLOOD_LIMITS},
    )
    bot = BotProcess(paced, fake, tmp)
    try:
        bot.start()
        await bot.ready()
        script = await calibrate(fake, calib_user, FLOOD_STEPS, pause=THINK + 0.1)
        chat = fake.chat(flooder)
        flood = fake.open_turn(chat, 0)  # collects whatever the flooder is answered
        for _ in range(args.flood):
            fake.enqueue(fake.update_for(chat, ("cmd", "help")))
        rec, stop = Recorder(), asyncio.Event()
        tasks = [
            asyncio.create_task(customer(fake, uid, script, rec, stop, think=THINK))
            for uid in others
        ]
        await asyncio.sleep(args.flood_window)
        stop.set()
        await asyncio.wait(tasks, timeout=TURN_TIMEOUT + 5)
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        slow = sum("faster than I can answer" in str(m.get("text", "")) for m in flood.messages)
        return FloodRun(spec.label, rec, len(flood.messages), slow)
    finally:
        await bot.stop()
        await fake.stop()


async def flood_bench(args: argparse.Namespace) -> None:
    root = Path(tempfile.mkdtemp(prefix="redeem-bench-flood-"))
    labels = [x.strip() for x in args.only.split(",") if x.strip() in ("a", "b", "e")] or ["a", "b"]
    print(
        f"Flood: one chat sends {args.flood} /help at once, {args.flood_customers} other customers do "
        f"ordinary steps for {args.flood_window:.0f} s; replies paced at 3 per 3 s per chat. Bot code: {REPO}",
        flush=True,
    )
    runs = []
    for label in labels:
        try:
            runs.append(await run_flood(BOTS[label], args, root))
        except Exception as exc:  # one bot's failure is reported; the others go on
            print(f"  ({label}) FAILED, not measured: {type(exc).__name__}: {exc}", flush=True)
    print(
        f"\n{'bot':<32}| others' turns | p50 ms | p99 ms | gave up | flooder: messages (slow-down)"
    )
    for run in runs:
        r = run.others
        print(
            f"{f'({run.label}) {BOTS[run.label].title}':<32}| {r.turns:>13} | {pct(r.latencies, 0.5):>6.0f} | "
            f"{pct(r.latencies, 0.99):>6.0f} | {r.failed:>7} | {run.flood_answers} ({run.slow_downs})"
        )
    print("\ntarget (integrity issue, defect 6):")
    for run in runs:
        p99 = pct(run.others.latencies, 0.99)
        ok = p99 < 2000 and run.others.failed == 0
        print(
            f"  [{'PASS' if ok else 'FAIL'}] ({run.label}) others' p99 during the flood < 2 s: {p99:.0f} ms, "
            f"{run.others.failed} gave up"
        )
    print(f"load average: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")


# ============================================================================ main
async def bench(args: argparse.Namespace) -> None:
    import logging

    logging.getLogger("aiohttp").setLevel(logging.CRITICAL)  # connections the bots drop at exit
    root = Path(tempfile.mkdtemp(prefix="redeem-bench-tg-"))
    labels = [x.strip() for x in args.only.split(",") if x.strip()]
    if args.telegram_limits:
        await bench_limits(args, root, [label for label in labels if BOTS[label].journey])
        return
    print(
        f"Telegram bench: long polling over loopback, lean fake Bot API in this process (pid {os.getpid()}), "
        f"each bot in its own process; {args.customers:,} concurrent customers, window {args.window:.0f} s "
        f"after {args.warmup:.0f} s warm-up; 1 customer: {args.single_turns} turns after {args.single_warmup}. "
        f"Work dir {root}",
        flush=True,
    )
    print(tuning_note(), flush=True)
    loads_wanted = {x.strip() for x in args.load.split(",")}
    runs: dict[str, BotRun] = {}
    failures: dict[str, str] = {}
    t0, loads = time.perf_counter(), [os.getloadavg()[0]]
    rounds: dict[str, list[BotRun]] = {}
    for n in range(args.rounds if "browse" in loads_wanted else 0):
        where = root if args.rounds == 1 else root / f"round-{n + 1}"
        where.mkdir(exist_ok=True)
        for label in labels:
            if label in failures:
                continue
            spec = BOTS[label]
            told = f", round {n + 1} of {args.rounds}" if args.rounds > 1 else ""
            print(f"\n({label}) {spec.title}{told}", flush=True)
            try:
                rounds.setdefault(label, []).append(await run_bot(spec, args, where))
            except Exception as exc:  # one bot's failure is reported; the others go on
                failures[label] = f"{type(exc).__name__}: {exc}"
                rounds.pop(label, None)
                print(f"  ({label}) FAILED: {failures[label][:2000]}", flush=True)
            loads.append(os.getloadavg()[0])
    runs = {label: median_run(done) for label, done in rounds.items()}
    if args.rounds > 1:
        report_rounds(rounds)
    journeys: dict[str, JourneyRun] = {}
    if "journey" in loads_wanted:
        for label in [x.strip() for x in args.journey_bots.split(",") if x.strip()]:
            spec = BOTS[label]
            print(f"\n({label}) whole-journey load: {spec.title}", flush=True)
            try:
                journeys[label] = await run_journeys(spec, args, root)
            except Exception as exc:  # one bot's failure is reported; the others go on
                failures[f"{label} journey"] = f"{type(exc).__name__}: {exc}"
                print(f"  ({label}) whole-journey load FAILED: {str(exc)[:2000]}", flush=True)
            loads.append(os.getloadavg()[0])
    figures: dict[str, float] = {}
    if runs:
        report(runs, args)
        for label, run in runs.items():
            figures[f"browse.{label}.cpu_ms_per_update"] = run.many.bot_cpu_ms
            figures[f"browse.{label}.single_cpu_ms_per_update"] = run.single.bot_cpu_ms
    if journeys:
        figures |= report_journeys(journeys, args)
    for label, why in failures.items():
        title = BOTS[label.split()[0]].title
        print(f"({label}) {title}: FAILED, not measured: {why.splitlines()[0][:300]}")
    print(
        f"\ntotal time {time.perf_counter() - t0:.0f} s; load average (1 min) before/between/after bots: "
        f"{' / '.join(f'{x:.1f}' for x in loads)} on {os.cpu_count()} CPUs "
        f"(other work on the machine skews wall-clock numbers; CPU ms/upd holds better)"
    )
    if args.check_regression:
        check_regression(Path(args.check_regression), figures, args.margin)


def median_run(done: list[BotRun]) -> BotRun:
    """One bot's rounds as one run: each phase that of its median round by CPU per update
    (the lower middle of an even number), so a drift of the machine's speed during the run
    weighs on every bot alike, and each figure shown is one that was measured."""

    def middle(phase: Callable[[BotRun], Result]) -> BotRun:
        ranked = sorted(done, key=lambda run: phase(run).bot_cpu_ms)
        return ranked[(len(ranked) - 1) // 2]

    many = middle(lambda run: run.many)
    single = middle(lambda run: run.single)
    return dataclasses.replace(many, single=single.single)


def report_rounds(rounds: dict[str, list[BotRun]]) -> None:
    print("\nrounds (alternating bots; the table shows each phase's median round):")
    for label, done in rounds.items():
        many = ", ".join(f"{r.many.bot_cpu_ms:.2f}" for r in done)
        rate = ", ".join(f"{r.many.updates_per_s:,.0f}" for r in done)
        single = ", ".join(f"{r.single.bot_cpu_ms:.2f}" for r in done)
        print(
            f"  ({label}) CPU ms/upd at load {many}; updates/s {rate}; "
            f"1 customer CPU ms/upd {single}"
        )


def check_regression(readme: Path, figures: dict[str, float], margin: float) -> None:
    """Say, per figure the README records, whether this run regressed beyond ``margin``."""
    from regression import compare, recorded

    verdicts = compare(recorded(readme.read_text(encoding="utf-8")), figures, margin)
    print(f"\nregression check against {readme} (margin {margin:.0%}, CPU figures):")
    if not verdicts:
        print("  nothing to compare: the README records none of the figures this run measured")
    for verdict in verdicts:
        print(verdict.line())
    if any(v.regressed for v in verdicts):
        print("  REGRESSED: a figure is worse than the recorded one by more than the margin")


async def bench_limits(args: argparse.Namespace, root: Path, labels: list[str]) -> None:
    customers = args.customers if args.customers_given else 200
    args.customers = customers
    print(
        f"Telegram limits bench: {customers} customers at once for {args.warmup + args.window:.0f} s per bot against "
        f"a fake enforcing Telegram's published limits. Work dir {root}",
        flush=True,
    )
    runs: dict[str, LimitsRun] = {}
    for label in labels:
        print(f"\n({label}) {BOTS[label].title}", flush=True)
        try:
            runs[label] = await run_limits(BOTS[label], args, root)
        except Exception as exc:  # one bot's failure is reported; the others go on
            print(f"  ({label}) FAILED, not measured: {type(exc).__name__}: {exc}", flush=True)
    report_limits(runs)


def main() -> None:
    global START_TIMEOUT, TURN_TIMEOUT
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--customers", type=int, default=None, help="default 1000 (200 with --telegram-limits)"
    )
    parser.add_argument("--window", type=float, default=15.0, help="seconds measured at load")
    parser.add_argument(
        "--warmup", type=float, default=3.0, help="seconds at load before measuring"
    )
    parser.add_argument("--single-turns", type=int, default=1000)
    parser.add_argument("--single-warmup", type=int, default=150)
    parser.add_argument("--only", default="a,e,b,c,d,f,g", help="which bots, e.g. a,c")
    parser.add_argument(
        "--rounds",
        type=int,
        default=1,
        help="browse load: run the bots this many times in turn (c, e, f, c, e, f...) and "
        "show each phase's median round, so the machine's drift weighs on all alike",
    )
    parser.add_argument(
        "--telegram-limits",
        action="store_true",
        help="only (a) and (b), against a fake enforcing Telegram's limits: count the 429s",
    )
    parser.add_argument(
        "--profile", default="", help="py-spy the load phase of these bots (needs py-spy)"
    )
    parser.add_argument(
        "--flood", type=int, default=0, help="run the flood scenario: one chat sends this many"
    )
    parser.add_argument("--flood-customers", type=int, default=50)
    parser.add_argument("--flood-window", type=float, default=20.0)
    parser.add_argument(
        "--rate",
        type=float,
        default=100.0,
        help="open-loop phase: updates/s offered to every bot (0: skip the phase)",
    )
    parser.add_argument(
        "--open-customers", type=int, default=200, help="open-loop phase: customers taking turns"
    )
    parser.add_argument(
        "--open-window", type=float, default=10.0, help="open-loop phase: seconds measured"
    )
    parser.add_argument(
        "--open-warmup", type=float, default=2.0, help="open-loop phase: seconds before measuring"
    )
    parser.add_argument(
        "--start-timeout",
        type=float,
        default=START_TIMEOUT,
        help="seconds for a bot's first poll (env BENCH_START_TIMEOUT)",
    )
    parser.add_argument(
        "--turn-timeout",
        type=float,
        default=TURN_TIMEOUT,
        help="seconds a customer waits for an answer (env BENCH_TURN_TIMEOUT)",
    )
    parser.add_argument(
        "--load",
        default="browse,journey",
        help="which loads: browse (every bot), journey (our bots only), or both (the default)",
    )
    parser.add_argument(
        "--journeys", type=int, default=200, help="whole-journey load: customers, each once"
    )
    parser.add_argument(
        "--journey-flight", type=int, default=50, help="whole-journey load: customers at once"
    )
    parser.add_argument(
        "--journey-bots", default="a,e", help="whole-journey load: which of our bots (a, e, b)"
    )
    parser.add_argument(
        "--approve",
        choices=["button", "command"],
        default="button",
        help="how staff approve: the review card's button, or /approve CLAIM in the staff group",
    )
    parser.add_argument(
        "--journey-ocr",
        type=int,
        default=0,
        help="OCR_WORKERS for the whole-journey load (0: the invoice / sticker checks off)",
    )
    parser.add_argument(
        "--code-timeout",
        type=float,
        default=120.0,
        help="seconds a customer waits for the prize code after the claim",
    )
    parser.add_argument(
        "--check-regression",
        default="",
        metavar="README",
        help="compare this run's CPU figures with those recorded in README (e.g. README.md)",
    )
    parser.add_argument(
        "--margin",
        type=float,
        default=0.25,
        help="with --check-regression: a CPU figure this much above the recorded one regressed",
    )
    parser.add_argument(
        "--serve", choices=["echo", "form", "fsm", "pickle"], help=argparse.SUPPRESS
    )
    parser.add_argument("--api-base", help=argparse.SUPPRESS)
    parser.add_argument("--state-dir", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    args.customers_given = args.customers is not None
    if args.customers is None:
        args.customers = 1000
    START_TIMEOUT, TURN_TIMEOUT = args.start_timeout, args.turn_timeout
    if args.serve == "echo":
        serve_echo(args.api_base)
    elif args.serve == "form":
        serve_form(args.api_base)
    elif args.serve == "fsm":
        serve_fsm(args.api_base, args.state_dir)
    elif args.serve == "pickle":
        serve_form(args.api_base, args.state_dir / "form.pickle")
    elif args.flood:
        asyncio.run(flood_bench(args))
    else:
        asyncio.run(bench(args))


if __name__ == "__main__":
    main()
