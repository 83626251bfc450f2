"""Speed on the default path, in one place: what the running bot does only because it is
faster, each with the figure that justified it (bench/bench_telegram.py). Failures come out
as the shared errors through the one mapping (``api_error`` in common.py for Bot API
answers, ``translate`` in aiogram_errors.py for the transport).

- :class:`LeanCalls`: the three calls of almost every turn posted as plain JSON (aiogram);
- :func:`response_models`: aiogram's answer models kept alive across garbage collections;
- :func:`tune_gc`: the collector's thresholds for a long-running server (both frameworks).

aiogram is imported only where it is used: ``tune_gc`` serves PTB and the bench's peers too.
"""

from __future__ import annotations

import gc
from typing import TYPE_CHECKING, Any

import aiohttp

from bot.channels.telegram.common import SendError, Transient, api_error

if TYPE_CHECKING:  # aiogram is imported by the aiogram connector, not by tune_gc's users
    from aiogram import Bot


class LeanCalls:
    """sendMessage, editMessageText and answerCallbackQuery posted as JSON on the bot's own
    aiohttp session, reading back only what the bridge needs. aiogram's general path (method
    model, form encoding, the whole returned Message validated) cost ~0.35 ms a call, more
    than our engine's step. Used only on aiogram's own ``AiohttpSession``, so custom sessions
    and their middlewares keep the general path."""

    def __init__(self, bot: Bot) -> None:
        self.bot = bot

    @staticmethod
    def usable(bot: Bot) -> bool:
        from aiogram.client.session.aiohttp import AiohttpSession

        return type(bot.session) is AiohttpSession and not bot.session.middleware._middlewares

    async def call(self, method: str, payload: dict[str, Any]) -> Any:
        from aiogram.client.session.aiohttp import AiohttpSession

        session = self.bot.session
        assert isinstance(session, AiohttpSession)  # see ``usable``
        http = await session.create_session()
        url = session.api.api_url(token=self.bot.token, method=method)
        timeout = aiohttp.ClientTimeout(total=float(session.timeout) + 10)
        try:
            async with http.post(url, json=payload, timeout=timeout) as resp:
                status = resp.status
                data = await resp.json(content_type=None)
        except ValueError as exc:  # not JSON
            raise Transient(type(exc).__name__) from exc
        except (TimeoutError, aiohttp.ClientError, OSError) as exc:
            from bot.channels.telegram.aiogram_errors import translate

            error = translate(exc)
            raise (
                error if isinstance(error, SendError) else Transient(type(exc).__name__)
            ) from exc
        if not isinstance(data, dict):
            raise Transient(f"HTTP {status}")
        if data.get("ok"):
            return data.get("result")
        description = str(data.get("description") or f"HTTP {status}")
        retry_after = (data.get("parameters") or {}).get("retry_after")
        raise api_error(int(data.get("error_code") or status), description, retry_after)


def response_models(*extra: Any) -> tuple[Any, ...]:
    """aiogram's ``Response[T]`` models for the answers of the calls made here.

    aiogram validates every answer with ``Response[method.__returning__]``, and pydantic keeps
    parametrized generic models only in a weak cache: after each garbage collection the next
    call rebuilds the class (schema and validator, about a dozen models). That was ~8% of the
    bot's CPU at load (bench/bench_telegram.py). Holding the models keeps the cache warm.
    """
    from aiogram import methods
    from aiogram.methods.base import Response

    used = (
        methods.GetUpdates,
        methods.GetMe,
        methods.SendMessage,
        methods.SendPhoto,
        methods.EditMessageText,
        methods.DeleteMessage,
        methods.AnswerCallbackQuery,
        methods.GetFile,
        methods.SetMyCommands,
        methods.DeleteWebhook,
        methods.SetWebhook,
        *extra,
    )
    return tuple(Response[method.__returning__] for method in used)  # type: ignore[name-defined]  # a runtime type


def tune_gc() -> None:
    """A long-running server with many updates in flight allocates fast: Python's default
    collector thresholds made it collect constantly (about half the CPU per update under
    load). Raise them, and move everything built at start-up out of the collector's way."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(50_000, 20, 100)


__all__ = ["LeanCalls", "response_models", "tune_gc"]
