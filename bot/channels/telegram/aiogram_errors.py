"""aiogram's and aiohttp's failures as the shared errors of common.py (one mapping, used by
aiogram's general path and by the lean calls of speed.py)."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import TypeVar

import aiohttp
from aiogram.exceptions import (
    ClientDecodeError,
    TelegramAPIError,
    TelegramEntityTooLarge,
    TelegramForbiddenError,
    TelegramNetworkError,
    TelegramRetryAfter,
    TelegramServerError,
)

from bot.channels.telegram.common import (
    NotSent,
    Rejected,
    SendError,
    Transient,
    api_error,
    mapped_errors,
    sent_nothing,
)

T = TypeVar("T")

# aiohttp's errors of the connect phase: the request never left, Telegram saw nothing
CONNECT_ERRORS: tuple[type[BaseException], ...] = (
    aiohttp.ClientConnectorError,
    aiohttp.ConnectionTimeoutError,
)


def translate(exc: BaseException) -> SendError | None:
    """aiogram's and aiohttp's errors as the shared ones (None: not a Bot API failure)."""
    if isinstance(exc, SendError):
        return exc
    if sent_nothing(exc, CONNECT_ERRORS):
        return NotSent(getattr(exc, "message", None) or type(exc).__name__)
    if isinstance(exc, TelegramRetryAfter):
        return api_error(429, exc.message, exc.retry_after)
    if isinstance(exc, TelegramForbiddenError):
        return api_error(403, exc.message)
    if isinstance(exc, TelegramEntityTooLarge):
        return Rejected(exc.message)
    if isinstance(exc, (TelegramServerError, TelegramNetworkError)):
        return Transient(exc.message)
    if isinstance(exc, TelegramAPIError):
        return Rejected(exc.message)
    if isinstance(exc, aiohttp.ClientResponseError):  # a bare HTTP status, no Bot API answer
        return (Transient if exc.status >= 500 or exc.status == 429 else Rejected)(
            f"HTTP {exc.status}"
        )
    if isinstance(exc, (aiohttp.ClientError, asyncio.TimeoutError, OSError, ClientDecodeError)):
        return Transient(type(exc).__name__)
    return None


async def api_call(call: Awaitable[T]) -> T:
    """The framework's call, its failures as the shared errors."""
    return await mapped_errors(call, translate)


__all__ = ["CONNECT_ERRORS", "api_call", "translate"]
