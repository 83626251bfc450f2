"""The console chat: the same conversation in a terminal, on the embedded backend.

Buttons are shown as numbered choices; type the number. ``/photo PATH`` or ``/file PATH``
sends an image. Passwords are read without echo when the terminal allows it.
"""

from __future__ import annotations

import asyncio
import getpass
import os
import shlex
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

from handlers.commands import parse_command
from handlers.io import ActionIn, Body, CommandIn, Event, ImageIn, Reply, TextIn
from states import ConversationKey

MIME = {
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".gif": "image/gif",
    ".webp": "image/webp",
}


def parse_line(line: str, choices: list[str], free_text: bool = False) -> Body:
    """Turn a typed line into a neutral event body. A number picks a choice; where the step
    takes typed text (a zip code, a flat number...), choices are picked as ``#N`` instead."""
    text = line.strip()
    pick = text[1:] if text.startswith("#") else (None if free_text else text)
    if pick is not None and pick.isdigit() and choices and 1 <= int(pick) <= len(choices):
        return ActionIn(choices[int(pick) - 1])
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


def render(replies: list[Reply], out: TextIO) -> list[str]:
    """Print replies; return the encoded actions of the numbered choices."""
    choices: list[str] = []
    mark = "#" if any(r.free_text for r in replies) else ""
    for reply in replies:
        out.write("\n" + reply.text + "\n")
        for row in reply.buttons:
            cells = []
            for button in row:
                choices.append(button.data)
                cells.append(f"[{mark}{len(choices)}] {button.label}")
            out.write("  " + "   ".join(cells) + "\n")
    out.flush()
    return choices


class ConsoleChat:
    def __init__(
        self,
        engine,
        key: ConversationKey | None = None,
        *,
        stdin: TextIO | None = None,
        stdout: TextIO | None = None,
        read_secret: Callable[[str], str] | None = None,
        locale: str | None = None,
    ) -> None:
        self.engine = engine
        self.locale = locale  # the language hint of a new conversation ("de", "zh-TW", "de_DE")
        self.key = key or ConversationKey("console", "local", os.environ.get("USER", "me") or "me")
        self.stdin = stdin or sys.stdin
        self.out = stdout or sys.stdout
        self.read_secret = read_secret or getpass.getpass
        self.choices: list[str] = []
        self.secret = False
        self.free_text = False
        self.counter = 0

    async def send(self, key: ConversationKey, replies: list[Reply]) -> bool:
        if key != self.key:
            return False  # another customer's news: stays queued for their channel
        self.show(replies)
        return True

    def show(self, replies: list[Reply]) -> None:
        if replies:
            self.choices = render(replies, self.out)
            self.secret = any(r.secret for r in replies)
            self.free_text = any(r.free_text for r in replies)

    async def read(self) -> str | None:
        prompt = "🔒 > " if self.secret else "> "
        if self.secret and self.stdin.isatty():
            try:
                return await asyncio.to_thread(self.read_secret, prompt)
            except EOFError:
                return None
        self.out.write(prompt)
        self.out.flush()
        line = await asyncio.to_thread(self.stdin.readline)
        return line if line else None

    async def run(self) -> None:
        self.out.write(
            "redeem-bot console chat. Type the number of a choice ([#N]: type #N where the step also takes text),\n"
            "/photo PATH to send a picture, /quit to leave.\n"
        )
        self.show(await self.engine.current_prompt(self.key, self.locale))
        while True:
            await self.engine.deliver_notifications(self.send)
            line = await self.read()
            if line is None or line.strip() in ("/quit", "/exit"):
                self.out.write("\nBye! Your conversation is saved; start again to continue.\n")
                return
            if not line.strip():
                continue
            self.counter += 1
            body = parse_line(line, self.choices, self.free_text)
            outcome = await self.engine.handle(
                Event(key=self.key, body=body, event_id=None, locale=self.locale)
            )
            self.show(outcome.replies)
