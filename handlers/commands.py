"""The one command parser, for every channel and the staff chat: ``"/Start@MyBot promo_x"``
-> ``Command("start", "promo_x")``. A name is what Telegram allows (``[a-z0-9_]``, 1-32
characters, compared in lower case); anything else is not a command but text."""

from __future__ import annotations

import re
from typing import NamedTuple

COMMAND_RE = re.compile(r"[a-z0-9_]{1,32}")


class Command(NamedTuple):
    name: str
    args: str


def parse_command(text: str) -> Command | None:
    """``"/Approve@Bot 12"`` -> ``("approve", "12")``; None when it is not a command."""
    if not text.startswith("/"):
        return None
    head, _, args = text[1:].partition(" ")
    name = head.split("@", 1)[0].lower()
    if not COMMAND_RE.fullmatch(name):
        return None
    return Command(name, args.strip())


def addressee(text: str | None) -> str | None:
    """The bot a command names (``"/approve@OtherBot 12"`` -> ``"otherbot"``; ``""`` after a
    bare "@"); None for a command addressed to no bot in particular, or for no command."""
    head = text.split(maxsplit=1)[0] if text and text.startswith("/") else ""
    if "@" not in head:
        return None
    return head.split("@", 1)[1].lower()


__all__ = ["COMMAND_RE", "Command", "addressee", "parse_command"]
