"""Logging for every ``redeem-bot`` command: one handler on the root logger whose formatter
redacts, and libraries capped, so no secret or personal data reaches a log at any level.

Two layers, because neither alone is enough:

- **By structure.** Our code never logs message texts, request or update bodies, or values
  a customer typed; it logs ids, states and error types. Libraries do log bodies at DEBUG
  (aiosqlite every statement's parameters, python-telegram-bot whole ``getUpdates`` results,
  httpx URLs with the bot token), so their loggers are capped at ``LOG_LIBRARY_LEVEL``
  (WARNING) whatever ``LOG_LEVEL`` says; and when an operator lowers that cap to debug a
  library, the arguments of its records below WARNING are replaced by their type names
  (the message template stays: "executing <partial>"). SQL parameters are hidden at the
  engine too (``hide_parameters``), so they are not in database errors either.
- **By pattern**, as a safety net over every formatted line, tracebacks included: the
  configured secrets (bot token, backend token, webhook secret, secret key) and anything
  shaped like a bot token, an argon2 hash, an e-mail address, an international phone
  number, a prize code or a bearer credential.

Nothing here runs at import: ``setup_logging(settings)`` configures logging when a command
starts.
"""

from __future__ import annotations

import logging
import re
import sys
from typing import TextIO

from bot.config import Settings

FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"

#: our packages; every other logger is a library's
OWN = ("bot", "handlers", "backend", "storage", "states", "__main__")

#: libraries known to log request/update bodies, statement parameters or URLs with the
#: token (capped by name as well, in case something lowered their own level)
LIBRARIES = (
    "aiosqlite",
    "sqlalchemy",
    "alembic",
    "asyncpg",
    "telegram",
    "aiogram",
    "httpx",
    "httpcore",
    "hpack",
    "aiohttp",
    "multipart",
    "asyncio",
    "PIL",
    "urllib3",
)

PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\$argon2[a-z]{0,2}\$[\w$=,+/.-]*"), "<hash>"),
    (re.compile(r"(?<!\d)\d{5,}:[A-Za-z0-9_-]{30,}"), "<token>"),
    (re.compile(r"(?i)\b(bearer|basic)\s+[^\s'\",]+"), r"\1 <redacted>"),
    (re.compile(r"[\w.+%-]+(?:@|%40)[\w-]+(?:\.[\w-]+)+"), "<email>"),
    (re.compile(r"\+\d[\d ()./-]{6,}\d"), "<phone>"),
    (re.compile(r"\b[A-Z0-9]{4,6}(?:-[A-Z0-9]{4,6}){2,4}\b"), "<code>"),
)


def is_own(name: str) -> bool:
    return name.split(".", 1)[0] in OWN


def redact(text: str, secrets: tuple[str, ...] = ()) -> str:
    """``text`` with the given secrets and anything secret-shaped replaced."""
    for secret in secrets:
        text = text.replace(secret, "<redacted>")
    for pattern, replacement in PATTERNS:
        text = pattern.sub(replacement, text)
    return text


def _type_names(args: object) -> object:
    if isinstance(args, dict):
        return {key: f"<{type(value).__name__}>" for key, value in args.items()}
    if isinstance(args, tuple):
        return tuple(f"<{type(value).__name__}>" for value in args)
    return args


def types_only(record: logging.LogRecord) -> logging.LogRecord:
    """A library's record below WARNING as a copy whose arguments are their type names (the
    record itself is left to other handlers); any other record as it is."""
    if (
        not record.args
        or record.levelno >= logging.WARNING
        or is_own(record.name)
        or getattr(record, "types_only", False)
    ):
        return record
    return logging.makeLogRecord(
        {**record.__dict__, "args": _type_names(record.args), "message": None, "types_only": True}
    )


class RedactingFormatter(logging.Formatter):
    """Formats a record, then redacts the whole line (message, traceback, stack).

    A library's record below WARNING is formatted from a copy whose arguments are only
    their type names: the bodies it would print never reach the text at all."""

    def __init__(self, fmt: str = FORMAT, secrets: tuple[str, ...] = ()) -> None:
        super().__init__(fmt)
        self.secrets = tuple(sorted({s for s in secrets if len(s) >= 8}, key=len, reverse=True))

    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(types_only(record)), self.secrets)

    def formatException(self, ei) -> str:  # noqa: N802 - logging's name
        return redact(super().formatException(ei), self.secrets)


class RedactingHandler(logging.StreamHandler):
    """A stream handler that masks library arguments before any filter sees the record (a
    filter that formats a message would otherwise bake the values in), and, when a record
    cannot be written, says so without printing its message and arguments (logging's
    default prints both to stderr)."""

    def handle(self, record: logging.LogRecord) -> bool:
        return super().handle(types_only(record))

    def handleError(self, record: logging.LogRecord) -> None:  # noqa: N802 - logging's name
        if logging.raiseExceptions and sys.stderr:
            kind = sys.exc_info()[0]
            name = kind.__name__ if kind else "error"
            sys.stderr.write(
                f"--- logging error ({name}) in a record of {record.name}; not shown\n"
            )


def configured_secrets(settings: Settings) -> tuple[str, ...]:
    """The secret values in the settings (and the part of the bot token after its id)."""
    values = [
        s.get_secret_value()
        for s in (
            settings.telegram_bot_token,
            settings.backend_token,
            settings.webhook_secret,
            settings.secret_key,
        )
        if s is not None
    ]
    if settings.telegram_bot_token is not None:
        values.append(settings.telegram_bot_token.get_secret_value().partition(":")[2])
    return tuple(v for v in values if v)


def level_of(name: str, default: int = logging.INFO) -> int:
    value = logging.getLevelName(name.strip().upper())
    return value if isinstance(value, int) else default


def setup_logging(settings: Settings, stream: TextIO | None = None) -> logging.Handler:
    """Log to ``stream`` (stderr) through the redacting formatter: our packages at
    ``LOG_LEVEL``, every library at ``LOG_LIBRARY_LEVEL`` (WARNING) or above. Returns the
    handler (the one place records leave the process)."""
    level = level_of(settings.log_level)
    libraries = max(level, level_of(settings.log_library_level, logging.WARNING))
    handler = RedactingHandler(stream or sys.stderr)
    handler.setFormatter(RedactingFormatter(secrets=configured_secrets(settings)))
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(libraries)  # any library not named below inherits this
    for name in LIBRARIES:
        logging.getLogger(name).setLevel(libraries)
    for name in OWN:
        logging.getLogger(name).setLevel(level)
    return handler


__all__ = [
    "LIBRARIES",
    "OWN",
    "PATTERNS",
    "RedactingFormatter",
    "RedactingHandler",
    "redact",
    "setup_logging",
]
