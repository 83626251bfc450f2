"""Logging (bot/logs.py): a whole console journey at LOG_LEVEL=DEBUG, captured from the root
logger, holds no secret and no personal data; libraries are capped; the redacting formatter
masks library arguments by structure and secret-shaped text by pattern, tracebacks included."""

from __future__ import annotations

import io
import logging
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

import storage.migrate
from bot.app import build_app
from bot.logs import LIBRARIES, OWN, RedactingFormatter, RedactingHandler, redact, setup_logging
from tests.conftest import Chat, make_settings
from tests.conversation.journeys import PASSWORD, demo_code, redeem, register_product, sign_up
from tests.logsecrets import PRIZE_CODE, leaks, pool_codes, secrets_of_the_journey

TOKEN = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsawQ"
IMPORTED = [
    "STEAM-ABCDE-12345-FGHIJ",
    "steam-lower-case-code",
    "NODASHESATALL0123456",
]  # other shapes


@pytest.fixture
def logged() -> Iterator[Callable[..., io.StringIO]]:
    """``logged(settings)`` sets logging up as ``redeem-bot`` does, into a buffer; undone after."""
    root = logging.getLogger()
    names = [*LIBRARIES, *OWN]
    saved = root.level, {name: logging.getLogger(name).level for name in names}
    before = list(root.handlers)

    def setup(settings) -> io.StringIO:
        buffer = io.StringIO()
        setup_logging(settings, stream=buffer)
        return buffer

    yield setup
    for handler in [
        h for h in root.handlers if h not in before and isinstance(h, RedactingHandler)
    ]:
        root.removeHandler(handler)
    root.setLevel(saved[0])
    for name, level in saved[1].items():
        logging.getLogger(name).setLevel(level)


@pytest.mark.parametrize("libraries", ["WARNING", "DEBUG"])
async def test_console_journey_at_debug_logs_no_secret(
    tmp_path: Path, logged, libraries: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the real migrations (not the suite's template copy, tests/fast_setup.py): their records
    # are in the log too
    monkeypatch.setattr("bot.app.upgrade", storage.migrate.upgrade)
    settings = make_settings(
        tmp_path,
        LOG_LEVEL="DEBUG",
        LOG_LIBRARY_LEVEL=libraries,
        BACKEND_TOKEN="backend-" + "b" * 32,
    )
    log = logged(settings)
    app = await build_app(settings)  # the pool's 50 codes are imported here
    try:
        chat = Chat(app, channel="console")
        await sign_up(chat)
        email_code = demo_code(
            "\n".join(r.text for r in chat.history)
        )  # the sign-up code, shown in demo mode
        await register_product(chat)
        await redeem(chat)
        claim = (await app.desk.review_queue())[0]
        await app.desk.approve(claim.id, "sam")
        assert await app.desk.code_stock("levelup") == len(pool_codes()) - 1
        assert await app.desk.import_codes("levelup", IMPORTED) == len(IMPORTED)
        await chat.notifications()
        code = PRIZE_CODE.search(chat.text_all)
        assert code, chat.text_all
        logging.getLogger("bot.test").debug("our own DEBUG records are written")
    finally:
        await app.close()
    text = log.getvalue()
    assert "DEBUG bot.test: our own DEBUG records are written" in text
    found = leaks(
        text, {**secrets_of_the_journey(PASSWORD, code=code.group()), **{c: c for c in IMPORTED}}
    )
    assert not found, found
    assert not re.search(rf"(?<!\d){email_code}(?!\d)", text), "the email code is in the log"
    assert "backend-" + "b" * 32 not in text
    if libraries == "DEBUG":  # opted in: the libraries' records are there, without their values
        assert "DEBUG aiosqlite: executing <partial>" in text
    else:
        assert "aiosqlite" not in text


def test_libraries_are_capped_whatever_log_level(tmp_path: Path, logged) -> None:
    logged(make_settings(tmp_path, LOG_LEVEL="DEBUG"))
    for name in (
        "aiosqlite",
        "sqlalchemy.engine.Engine",
        "telegram.ext.Updater",
        "telegram._bot",
        "httpx",
        "aiogram.event",
        "aiohttp.access",
        "asyncio",
        "some.other.library",
    ):
        assert not logging.getLogger(name).isEnabledFor(logging.INFO), name
        assert logging.getLogger(name).isEnabledFor(logging.WARNING), name
    for name in ("bot.engine", "handlers.router", "backend.server", "storage.sessions"):
        assert logging.getLogger(name).isEnabledFor(logging.DEBUG), name


def test_log_level_above_warning_holds_for_libraries_too(tmp_path: Path, logged) -> None:
    logged(make_settings(tmp_path, LOG_LEVEL="ERROR", LOG_LIBRARY_LEVEL="DEBUG"))
    assert not logging.getLogger("aiosqlite").isEnabledFor(logging.WARNING)
    assert not logging.getLogger("bot.engine").isEnabledFor(logging.WARNING)


def record(name: str, level: int, msg: str, *args: object, exc_info=None) -> logging.LogRecord:
    return logging.LogRecord(name, level, __file__, 1, msg, args or None, exc_info)


def test_library_records_below_warning_show_argument_types_only() -> None:
    formatter = RedactingFormatter("%(levelname)s %(name)s: %(message)s")
    update = {"update_id": 7, "message": {"text": PASSWORD}}
    line = formatter.format(record("telegram._bot", logging.DEBUG, "Call returned `%s`", [update]))
    assert line == "DEBUG telegram._bot: Call returned `<list>`"
    line = formatter.format(
        record(
            "aiosqlite", logging.DEBUG, "executing %s", ("INSERT", (PASSWORD, "Invalidenstr. 1"))
        )
    )
    assert PASSWORD not in line and "Invalidenstr" not in line
    mapping = record(
        "some.lib", logging.INFO, "%(who)s said %(what)s", {"who": "Jamie Smith", "what": PASSWORD}
    )
    assert formatter.format(mapping) == "INFO some.lib: <str> said <str>"
    original = record("telegram._bot", logging.DEBUG, "got %s", PASSWORD)
    formatter.format(original)
    assert original.args == (PASSWORD,), "the record itself is left alone for other handlers"


@pytest.mark.parametrize(
    ("secret", "shown"),
    [
        (TOKEN, "<token>"),
        ("$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNo", "<hash>"),
        ("jamie@example.com", "<email>"),
        ("JAMIE.SMITH+promo@Mail.Example.co.uk", "<email>"),
        ("jamie%40example.com", "<email>"),
        ("+49301234567", "<phone>"),
        ("+49 (30) 123-4567", "<phone>"),
        ("DEMO-D5SD-T8TC", "<code>"),
        ("AAAAA-BBBBB-CCCCC", "<code>"),
        ("ABCDE-12345-FGHIJ-67890", "<code>"),
        ("Bearer s3cr3t.t0ken", "Bearer <redacted>"),
    ],
)
def test_secret_shaped_text_is_redacted(secret: str, shown: str) -> None:
    assert redact(f"before {secret} after") == f"before {shown} after"
    formatter = RedactingFormatter("%(message)s")
    assert (
        formatter.format(record("bot.engine", logging.WARNING, "value %s here", secret))
        == f"value {shown} here"
    )


@pytest.mark.parametrize(
    "harmless",
    [
        "claim 066f6da2-ae53-4c16-8e7c-fe6270172563",
        "chat -1001234567890",
        "serial BA3T01946000V",
        "telegram/4242/4242",
        "retry 3 in 1.5 s",
    ],
)
def test_ids_and_numbers_stay_readable(harmless: str) -> None:
    assert redact(harmless) == harmless


def test_tracebacks_and_configured_secrets_are_redacted(tmp_path: Path) -> None:
    webhook = "hook-secret-" + "w" * 20
    formatter = RedactingFormatter("%(message)s", secrets=(webhook, "short"))
    try:
        raise RuntimeError(
            f"POST https://api.telegram.org/bot{TOKEN}/getMe for jamie@example.com with {webhook}"
        )
    except RuntimeError:
        import sys

        line = formatter.format(
            record("bot.channels.telegram.bridge", logging.ERROR, "failed", exc_info=sys.exc_info())
        )
    assert "RuntimeError" in line and "Traceback" in line
    for value in (TOKEN, TOKEN.partition(":")[2], "jamie@example.com", webhook):
        assert value not in line
    assert "/bot<token>/getMe" in line


def test_a_record_that_cannot_be_written_is_not_printed(capsys: pytest.CaptureFixture[str]) -> None:
    handler = RedactingHandler(io.StringIO())
    handler.setFormatter(RedactingFormatter())
    handler.handle(
        record("bot.engine", logging.ERROR, "two args %s %s", PASSWORD)
    )  # a formatting error
    err = capsys.readouterr().err
    assert "logging error (TypeError)" in err
    assert PASSWORD not in err


def test_every_line_of_the_format_has_a_level_and_a_logger(tmp_path: Path, logged) -> None:
    log = logged(make_settings(tmp_path, LOG_LEVEL="INFO"))
    logging.getLogger("bot.engine").info("hello %s", "jamie@example.com")
    assert re.search(r"\d{4}-\d\d-\d\d [\d:,]+ INFO bot\.engine: hello <email>\n$", log.getvalue())


@pytest.mark.parametrize("name", ["LOG_LEVEL", "LOG_LIBRARY_LEVEL"])
def test_a_wrong_log_level_is_named(tmp_path: Path, name: str) -> None:
    from pydantic import ValidationError

    assert make_settings(tmp_path, **{name: " debug "}).model_dump(by_alias=True)[name] == "DEBUG"
    with pytest.raises(ValidationError, match=name):
        make_settings(tmp_path, **{name: "LOUD"})


def test_a_crash_of_a_command_goes_through_the_redacting_log(
    tmp_path: Path, logged, monkeypatch, capsys
) -> None:
    from bot import cli

    async def crash(settings, args) -> int:
        raise RuntimeError(
            f"cannot reach https://api.telegram.org/bot{TOKEN}/getMe for jamie@example.com"
        )

    for name, value in {
        "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}",
        "LOG_LEVEL": "INFO",
        "MEDIA_DIR": str(tmp_path / "media"),
        "TELEGRAM_BOT_TOKEN": TOKEN,
    }.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setitem(cli.COMMANDS, "migrate", crash)
    monkeypatch.chdir(tmp_path)
    logged(make_settings(tmp_path))  # only to undo what main() sets up
    assert cli.main(["migrate"]) == 1
    err = capsys.readouterr().err
    assert (
        "CRITICAL bot.cli: redeem-bot migrate stopped on an error" in err and "RuntimeError" in err
    )
    assert TOKEN.partition(":")[2] not in err and "jamie@example.com" not in err


def test_a_filter_that_formats_the_message_still_sees_only_types() -> None:
    """A filter that formats a record into its message (as some libraries' filters do): by
    then a library's arguments must already be their type names."""

    class Formats(logging.Filter):
        def filter(self, record: logging.LogRecord) -> bool:
            record.msg, record.args = record.getMessage(), None
            return True

    out = io.StringIO()
    handler = RedactingHandler(out)
    handler.setFormatter(RedactingFormatter("%(name)s: %(message)s"))
    handler.addFilter(Formats())
    library = logging.getLogger("telegram._bot")
    library.addHandler(handler)
    library.setLevel(logging.DEBUG)
    library.propagate = False
    try:
        library.debug(
            "Call to %s with `%s`",
            f"https://api.telegram.org/bot{TOKEN}/sendMessage",
            {"text": PASSWORD},
        )
    finally:
        library.removeHandler(handler)
        library.setLevel(logging.NOTSET)
        library.propagate = True
    assert out.getvalue() == "telegram._bot: Call to <str> with `<dict>`\n"
