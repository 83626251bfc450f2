"""The console chat: numbered choices, typed answers, pictures, hidden passwords."""

from __future__ import annotations

import io

from bot.channels.console import ConsoleChat, parse_line
from handlers.io import ActionIn, CommandIn, ImageIn, TextIn
from tests.conftest import jpeg

CHOICES = ["b:~1", "s:~1", "x:~1"]


def test_a_number_picks_a_choice_where_no_text_is_asked() -> None:
    assert parse_line("3", CHOICES) == ActionIn("x:~1")
    assert parse_line("4", CHOICES) == TextIn("4")  # no such choice: it is text


def test_where_text_is_asked_a_number_is_an_answer_and_hash_picks() -> None:
    assert parse_line("3", CHOICES, free_text=True) == TextIn("3")  # a flat number, not Cancel
    assert parse_line("#3", CHOICES, free_text=True) == ActionIn("x:~1")


def test_commands_keep_what_was_typed() -> None:
    assert parse_line("/Start promo_levelup", []) == CommandIn(
        "start", "promo_levelup", raw="/Start promo_levelup"
    )


def test_photo_path(tmp_path) -> None:
    path = tmp_path / "invoice.jpg"
    path.write_bytes(jpeg())
    body = parse_line(f"/photo {path}", [])
    assert (
        isinstance(body, ImageIn) and body.size == path.stat().st_size and body.mime == "image/jpeg"
    )
    missing = parse_line(f"/file {tmp_path / 'nope.png'}", [])
    assert isinstance(missing, ImageIn) and missing.size is None


async def test_a_whole_session_in_the_console(app, tmp_path) -> None:
    (tmp_path / "inv.jpg").write_bytes(jpeg())
    script = "\n".join(["1", "jo@example.com", "Jo", "#2", "Germany", "", "/menu", "/quit"]) + "\n"
    out = io.StringIO()
    chat = ConsoleChat(app.engine, stdin=io.StringIO(script), stdout=out)
    await chat.run()
    text = out.getvalue()
    assert "What is your email address?" in text
    assert "[#1] ◀ Back" in text  # the last-name step takes text: choices are #N
    assert "Your region / location?" in text  # "#2" was Skip, not a last name "2"
    assert "▶ Continue: sign-up" in text
    assert "Bye!" in text


async def test_the_console_speaks_the_language_given(app) -> None:
    out = io.StringIO()
    chat = ConsoleChat(app.engine, stdin=io.StringIO("/quit\n"), stdout=out, locale="de_DE")
    await chat.run()
    assert app.catalog.text("de", "start.welcome").splitlines()[0] in out.getvalue()


def test_lang_option_then_the_terminals_lang(monkeypatch) -> None:
    from argparse import Namespace

    from bot.cli import console_language

    monkeypatch.setenv("LANG", "zh_TW.UTF-8")
    assert console_language(Namespace(lang="de")) == "de"
    assert console_language(Namespace(lang=None)) == "zh_TW"
    monkeypatch.setenv("LANG", "C.UTF-8")
    assert console_language(Namespace(lang=None)) is None
