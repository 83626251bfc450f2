"""Inline keyboards, built in one place for both frameworks.

The core's buttons carry an already encoded ``Action`` (``kind:value~seq``, see
``handlers/io.py``); it is the callback data as is, and is checked against Telegram's 64-byte
limit here. A button that would not fit (a bug in the core) is left out and logged rather than
failing the whole message.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from bot.channels.telegram.common import CALLBACK_DATA_LIMIT, callback_data_ok
from handlers.io import Button

log = logging.getLogger(__name__)

Rows = Sequence[Sequence[Button]]


URL = "url:"  # a cell whose "data" starts with this is a link button (the rest is the URL)


def checked_rows(rows: Rows) -> list[list[tuple[str, str]]]:
    """``(label, callback data)`` per button (``(label, "url:" + URL)`` for a link), rows
    kept, invalid buttons dropped."""
    out: list[list[tuple[str, str]]] = []
    for row in rows:
        cells = []
        for button in row:
            if button.url.startswith(("https://", "tg://")) and button.label:
                cells.append((button.label, URL + button.url))
            elif callback_data_ok(button.data) and button.label:
                cells.append((button.label, button.data))
            else:
                log.error(
                    "button %r dropped: callback data must be 1-%d bytes",
                    button.label,
                    CALLBACK_DATA_LIMIT,
                )
        if cells:
            out.append(cells)
    return out


def aiogram_markup(rows: Rows) -> Any:
    """An aiogram ``InlineKeyboardMarkup``; None without buttons."""
    if not rows:
        return None
    from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

    cells = checked_rows(rows)
    if not cells:
        return None
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [
                InlineKeyboardButton(text=label, url=data[len(URL) :])
                if data.startswith(URL)
                else InlineKeyboardButton(text=label, callback_data=data)
                for label, data in row
            ]
            for row in cells
        ]
    )


def json_markup(rows: Rows) -> dict | None:
    """The ``InlineKeyboardMarkup`` as Bot API JSON; None without buttons."""
    cells = checked_rows(rows) if rows else []
    if not cells:
        return None
    return {
        "inline_keyboard": [
            [
                {"text": label, "url": data[len(URL) :]}
                if data.startswith(URL)
                else {"text": label, "callback_data": data}
                for label, data in row
            ]
            for row in cells
        ]
    }


def ptb_markup(rows: Rows) -> Any:
    """A python-telegram-bot ``InlineKeyboardMarkup``; None without buttons."""
    if not rows:
        return None
    from telegram import InlineKeyboardButton, InlineKeyboardMarkup

    cells = checked_rows(rows)
    if not cells:
        return None
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(label, url=data[len(URL) :])
                if data.startswith(URL)
                else InlineKeyboardButton(label, callback_data=data)
                for label, data in row
            ]
            for row in cells
        ]
    )
