"""The console chat: numbered choices, typed answers, pictures, hidden passwords."""

from __future__ import annotations

import asyncio
import io
import queue

from bot.channels.console import ConsoleChat, parse_line, render
from handlers.io import ActionIn, Button, CommandIn, ImageIn, Reply, TextIn
from tests.conftest import jpeg

CHOICES = {"b": "b:~1", "s": "s:~1", "x": "x:~1", "1": "o:DE~1"}


def test_a_key_picks_a_choice_where_no_text_is_asked() -> None:
    assert parse_line("x", CHOICES) == ActionIn("x:~1")
    assert parse_line("X", CHOICES) == ActionIn("x:~1")
    assert parse_line("1", CHOICES) == ActionIn("o:DE~1")
    assert parse_line("4", CHOICES) == TextIn("4")  # no such choice: it is text


def test_where_text_is_asked_a_key_is_an_answer_and_hash_picks() -> None:
    assert parse_line("1", CHOICES, free_text=True) == TextIn("1")  # a flat number, not a choice
    assert parse_line("b", CHOICES, free_text=True) == TextIn("b")  # a flat "b", not Back
    assert parse_line("#x", CHOICES, free_text=True) == ActionIn("x:~1")
    assert parse_line("#1", CHOICES, free_text=True) == ActionIn("o:DE~1")


def test_back_cancel_skip_keep_their_letters_and_numbers_never_move() -> None:
    """With or without Keep / Continue in front, Back is b, Skip s, Cancel x; the options
    keep their numbers."""

    def keys(*data: str) -> dict[str, str]:
        replies = [Reply("step", buttons=[[Button(d, d) for d in data]])]
        return render(replies, io.StringIO()).keys

    plain = keys("o:DE~1", "b:~1", "s:~1", "x:~1")
    with_keep = keys("o:__keep~1", "o:DE~1", "b:~1", "s:~1", "x:~1")
    assert plain == {"1": "o:DE~1", "b": "b:~1", "s": "s:~1", "x": "x:~1"}
    assert with_keep["b"] == "b:~1" and with_keep["s"] == "s:~1" and with_keep["x"] == "x:~1"


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
    script = "\n".join(["1", "jo@example.com", "Jo", "Germany", "", "/menu", "/quit"]) + "\n"
    out = io.StringIO()
    chat = ConsoleChat(app.engine, stdin=io.StringIO(script), stdout=out)
    await chat.run()
    text = out.getvalue()
    assert "What is your email address?" in text
    assert "[#b] ◀ Back   [#x] ✖ Cancel" in text  # a step that takes text: choices are #key
    assert "Your region / location?" in text
    assert "I couldn't find a region" not in text
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


def test_back_skip_cancel_keep_their_letters_whatever_comes_before() -> None:
    """Issue 11 items 5 and 15: Cancel on one step is never Skip on the next."""
    from bot.channels.console import render
    from handlers.io import Button, Reply

    def reply(*data: str) -> Reply:
        return Reply("q", buttons=(tuple(Button(d, d) for d in data),))

    one = render([reply("b:~1", "x:~1")], io.StringIO()).keys
    two = render([reply("o:keep~2", "b:~2", "s:~2", "x:~2")], io.StringIO()).keys
    assert one == {"b": "b:~1", "x": "x:~1"}
    assert two == {"1": "o:keep~2", "b": "b:~2", "s": "s:~2", "x": "x:~2"}
    assert parse_line("x", two) == ActionIn("x:~2") and parse_line("s", two) == ActionIn("s:~2")
    assert parse_line("s", two, free_text=True) == TextIn("s")


class Typing:
    """A terminal where the customer has not pressed Enter yet: readline waits for a line."""

    def __init__(self) -> None:
        self.lines: queue.Queue[str] = queue.Queue()

    def readline(self) -> str:
        try:  # a failed test must not leave this thread waiting: end of input after a while
            return self.lines.get(timeout=30)
        except queue.Empty:
            return ""

    def isatty(self) -> bool:
        return False


class Screen(io.StringIO):
    """The chat's output; ``shown(text)`` waits until that text was printed."""

    def __init__(self) -> None:
        super().__init__()
        self.changed = asyncio.Event()

    def write(self, s: str) -> int:
        n = super().write(s)
        self.changed.set()
        return n

    async def shown(self, text: str) -> None:
        while text not in self.getvalue():
            assert "Bye!" not in self.getvalue(), self.getvalue()
            self.changed.clear()
            await self.changed.wait()


async def test_news_is_shown_while_the_customer_types_then_the_step_again(app) -> None:
    from tests.conftest import Chat
    from tests.conversation.journeys import redeem, register_product, sign_up

    customer = Chat(app, "me", "console")
    await sign_up(customer)
    await register_product(customer)
    await redeem(customer)
    typing, screen = Typing(), Screen()
    console = ConsoleChat(app.engine, key=customer.key, stdin=typing, stdout=screen, poll=0.01)
    running = asyncio.create_task(console.run())
    try:
        await screen.shown("> ")  # the menu, and the prompt waiting for a line
        menu_rows = list(console.step_rows)
        menu_keys = dict(console.choices)
        assert menu_rows
        before = len(screen.getvalue())
        claim = (await app.desk.review_queue())[0]
        await app.desk.approve(claim.id, "staff")
        again = app.catalog.text("en", "console.choices_again")
        await screen.shown(again)  # no line was typed: the news came on its own
        after = screen.getvalue()[before:]
        code = (await app.backend.list_claims(claim.member_id))[0].prize_code
        assert code and code in after  # the news itself
        assert after.index(code) < after.index(again) < after.index(menu_rows[0].strip())
        assert after.rstrip().endswith(">")  # and the prompt again, for what is being typed
        assert all(console.choices[k] == v for k, v in menu_keys.items())  # same keys, same picks
        typing.lines.put("\n")  # an empty line: a short answer, not silence
        await screen.shown(app.catalog.text("en", "console.empty"))
    finally:
        typing.lines.put("/quit\n")
        await running
    assert app.catalog.text("en", "console.bye") in screen.getvalue()


def test_the_console_chat_logs_to_a_file_not_the_chat(tmp_path) -> None:
    from argparse import Namespace

    from bot.cli import log_stream
    from tests.conftest import make_settings

    settings = make_settings(tmp_path)
    stream = log_stream(Namespace(command="chat"), settings)
    assert stream is not None and stream.name.endswith("console.log")
    stream.close()
    assert log_stream(Namespace(command="review"), settings) is None  # staff tools: stderr
