"""The console chat: the same conversation in a terminal, on the embedded backend.

Buttons are shown as keyed choices; type the key. Back, Cancel and Skip always have the
same letters (``b``, ``x``, ``s``) so a habit never hits the wrong one; every other button
is numbered. Where a step also takes typed text, type ``#N`` / ``#b`` to pick a choice.
``/photo PATH`` or ``/file PATH`` sends an image. Passwords are read without echo when the
terminal allows it. News (a claim's status, a staff answer) is shown as it arrives, between
prompts, and the current step's choices are shown again after it; what is being typed stays.
"""

from __future__ import annotations

import asyncio
import contextlib
import getpass
import os
import shlex
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from handlers.commands import parse_command
from handlers.io import Action, ActionIn, Body, CommandIn, Event, ImageIn, Kind, Reply, TextIn
from states import ConversationKey

if TYPE_CHECKING:
    from bot.engine import Engine

MIME = {
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".gif": "image/gif",
    ".webp": "image/webp",
}
STABLE_KEYS = {Kind.BACK: "b", Kind.CANCEL: "x", Kind.SKIP: "s"}  # never numbered


@dataclass
class Keypad:
    """The choices on screen: typed key -> encoded action; ``rows``: the button lines as shown."""

    keys: dict[str, str] = field(default_factory=dict)
    rows: list[str] = field(default_factory=list)
    numbered: int = 0

    def add(self, data: str, label: str, mark: str) -> str:
        action = Action.decode(data)
        key = STABLE_KEYS.get(action.kind) if action else None
        if key is None or key in self.keys:
            self.numbered += 1
            key = str(self.numbered)
        self.keys[key] = data
        return f"[{mark}{key}] {label}"


def parse_line(line: str, choices: dict[str, str], free_text: bool = False) -> Body:
    """Turn a typed line into a neutral event body. A key picks a choice (``3``, ``b``); where
    the step takes typed text (a zip code, a flat number...), choices are picked as ``#3``/``#b``."""
    text = line.strip()
    pick = text[1:] if text.startswith("#") else (None if free_text else text)
    if pick is not None and pick.lower() in choices:
        return ActionIn(choices[pick.lower()])
    command = parse_command(text)
    if command is None:
        return TextIn(text)
    if command.name in ("photo", "file"):
        return image_from_path(command.args, as_file=command.name == "file")
    return CommandIn(command.name, command.args, raw=text)


def image_from_path(raw: str, *, as_file: bool) -> Body:
    try:
        parts = shlex.split(raw)
    except ValueError:
        parts = [raw]
    path = Path(os.path.expanduser(parts[0] if parts else "")).resolve()

    async def fetch() -> bytes:
        return await asyncio.to_thread(path.read_bytes)

    size = path.stat().st_size if path.is_file() else None
    if size is None:

        async def missing() -> bytes:
            raise FileNotFoundError(str(path))

        return ImageIn(fetch=missing, filename=path.name, as_file=as_file)
    return ImageIn(
        fetch=fetch,
        size=size,
        filename=path.name,
        mime=MIME.get(path.suffix.lower()),
        as_file=as_file,
    )


def render(replies: list[Reply], out: TextIO, pad: Keypad | None = None) -> Keypad:
    """Print replies; return the keypad of their choices (added to ``pad`` when given: news
    buttons are numbered after the current step's, so those never move)."""
    pad = pad if pad is not None else Keypad()
    mark = "#" if any(r.free_text for r in replies) else ""
    for reply in replies:
        out.write("\n" + reply.text + "\n")
        for row in reply.buttons:
            line = "  " + "   ".join(pad.add(button.data, button.label, mark) for button in row)
            pad.rows.append(line)
            out.write(line + "\n")
    out.flush()
    return pad


def typed_so_far() -> str:
    """What the customer has typed on the prompt line (GNU readline only; else "")."""
    readline = sys.modules.get("readline")
    try:
        return readline.get_line_buffer() if readline is not None else ""
    except Exception:  # noqa: BLE001 - a readline without it: nothing to re-show
        return ""


class ConsoleChat:
    def __init__(
        self,
        engine: Engine,
        key: ConversationKey | None = None,
        *,
        stdin: TextIO | None = None,
        stdout: TextIO | None = None,
        read_secret: Callable[[str], str] | None = None,
        locale: str | None = None,
        poll: float = 2.0,
        log_path: Path | None = None,
    ) -> None:
        self.engine = engine
        self.locale = locale  # the language hint of a new conversation ("de", "zh-TW", "de_DE")
        self.key = key or ConversationKey("console", "local", os.environ.get("USER", "me") or "me")
        self.stdin = stdin or sys.stdin
        self.out = stdout or sys.stdout
        self.read_secret = read_secret or getpass.getpass
        self.log_path = log_path
        self.poll = poll  # seconds between looks for news while the customer types
        self.pad = Keypad()
        self.step_rows: list[str] = []
        self.secret = False
        self.free_text = False
        self.reading = False  # a prompt is on screen (news must redraw it)
        self.counter = 0

    @property
    def choices(self) -> dict[str, str]:
        return self.pad.keys

    @property
    def prompt(self) -> str:
        return "🔒 > " if self.secret else "> "

    async def send(self, key: ConversationKey, replies: list[Reply]) -> bool:
        """News for this chat (a claim's status, a staff answer), shown at once."""
        if key != self.key:
            return False  # another customer's news: stays queued for their channel
        if not replies:
            return True
        typed = typed_so_far() if self.reading else ""
        if self.reading:
            self.out.write("\r\033[K" if self.stdin.isatty() else "\n")
        step_rows = self.step_rows
        render(replies, self.out, self.pad)  # its buttons numbered after the step's
        if step_rows:  # the current step's choices again, under the news, with the same keys
            self.out.write("\n" + await self.text("console.choices_again") + "\n")
            self.out.write("\n".join(step_rows) + "\n")
        if self.reading:
            self.out.write(self.prompt + typed)
        self.out.flush()
        return True

    def show(self, replies: list[Reply]) -> None:
        if replies:
            self.pad = render(replies, self.out)
            self.step_rows = list(self.pad.rows)
            self.secret = any(r.secret for r in replies)
            self.free_text = any(r.free_text for r in replies)

    async def text(self, key: str, **params: object) -> str:
        session = await self.engine.sessions.load(self.key)
        locale = session.locale if session else self.engine.catalog.resolve_locale(self.locale)
        return str(self.engine.catalog.text(locale, key, **params))

    async def read(self) -> str | None:
        self.reading = True
        try:
            if self.secret and self.stdin.isatty():
                try:
                    return await asyncio.to_thread(self.read_secret, self.prompt)
                except EOFError:
                    return None
            if self.stdin is sys.stdin and sys.stdin.isatty():
                try:
                    return await asyncio.to_thread(input, self.prompt)
                except EOFError:
                    return None
            self.out.write(self.prompt)
            self.out.flush()
            line = await asyncio.to_thread(self.stdin.readline)
            return line if line else None
        finally:
            self.reading = False

    async def watch(self) -> None:
        """Look for news every ``poll`` seconds while the chat runs."""
        while True:
            await asyncio.sleep(self.poll)
            await self.engine.deliver_notifications(self.send)

    async def run(self) -> None:
        if self.stdin is sys.stdin and sys.stdin.isatty():
            with contextlib.suppress(ImportError):
                import readline  # noqa: F401 - line editing, and the typed text to redraw
        self.out.write(await self.text("console.intro") + "\n")
        if self.log_path is not None:
            self.out.write(await self.text("console.log_file", path=str(self.log_path)) + "\n")
        self.show(await self.engine.current_prompt(self.key, self.locale))
        watcher = asyncio.create_task(self.watch())
        try:
            await self.converse()
        finally:
            watcher.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await watcher

    async def converse(self) -> None:
        while True:
            await self.engine.deliver_notifications(self.send)
            line = await self.read()
            if line is None or line.strip() in ("/quit", "/exit"):
                self.out.write("\n" + await self.text("console.bye") + "\n")
                return
            if not line.strip():
                self.out.write(await self.text("console.empty") + "\n")
                continue
            self.counter += 1
            body = parse_line(line, self.choices, self.free_text)
            outcome = await self.engine.handle(
                Event(key=self.key, body=body, event_id=None, locale=self.locale)
            )
            self.show(outcome.replies)
