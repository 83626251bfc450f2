"""Issue 11, items 2 and 16: a serial already registered is refused at the S/N step itself
(not at the final Confirm), a clash with another member is noted for staff and shown under
the staff lists, and what the customer types after the refusal is the new serial."""

from __future__ import annotations

import argparse
import io
from contextlib import redirect_stdout
from pathlib import Path

from backend.staff_cli import run_review
from bot.cli import cmd_support
from tests.conftest import Chat, make_settings
from tests.conversation.journeys import register_product, sign_up


async def start_registration_to_serial(chat: Chat) -> None:
    await chat.command("register")
    await chat.tap("Graphics Card")
    await chat.text("GeForce RTX 5070 GAMING TRIO")
    await chat.text("V531-001R")


async def test_another_members_serial_is_refused_at_the_serial_step(chat: Chat) -> None:
    await sign_up(chat)
    await register_product(chat, serial="BA3T01946000V")
    other = Chat(chat.app, user="3003")
    await sign_up(other, email="other@example.com", first="Olli")
    await start_registration_to_serial(other)
    await other.text("BA3T01946000V")
    assert other.replies[0].key == "error.serial_taken", other.keys
    assert await other.current_state() == "reg.serial"
    assert "CHK" not in other.text_all  # not asked on: the rest of the form waits
    [conflict] = await chat.app.desk.serial_conflicts()
    assert conflict.serial == "BA3T01946000V"
    # item 16: the next thing typed is the answer, the refused value is gone
    await other.text("BA3T07777777V")
    assert await other.current_state() == "reg.chk", other.text_all
    session = await other.app.sessions.load(other.key)
    assert session.forms["register"]["serial"] == "BA3T07777777V"
    assert "BA3T01946000V" not in other.text_all


async def test_own_serial_is_refused_at_the_serial_step_without_a_conflict(chat: Chat) -> None:
    await sign_up(chat)
    await register_product(chat, serial="BA3T01946000V")
    await start_registration_to_serial(chat)
    await chat.text("BA3T01946000V")
    assert chat.replies[0].key == "error.serial_taken_mine", chat.keys
    assert await chat.app.desk.serial_conflicts() == []  # the member's own: nothing for staff
    assert await chat.current_state() == "reg.serial"


async def test_the_refused_serial_is_not_shown_as_the_current_value_when_editing(
    chat: Chat,
) -> None:
    """Editing the serial from the summary: a taken one is refused, the earlier (free) one is
    what stays current, and the next typed serial is taken and goes back to the summary."""
    await sign_up(chat)
    await register_product(chat, serial="BA3T01946000V")
    other = Chat(chat.app, user="3003")
    await sign_up(other, email="other@example.com", first="Olli")
    await register_product_to_summary(other)
    await other.tap("✏ Serial")
    await other.text("BA3T01946000V")
    assert other.replies[0].key == "error.serial_taken"
    current = [r.text for r in other.replies if r.key == "common.current_value"]
    assert current and "BA3T01946000V" not in current[0] and "BA3T02222222V" in current[0]
    await other.text("BA3T05555555V")
    assert "Your product:" in other.text_all and "BA3T05555555V" in other.text_all


async def register_product_to_summary(chat: Chat) -> None:
    from tests.conftest import jpeg

    await start_registration_to_serial(chat)
    for value in ("BA3T02222222V", "123", "Amazon.de", "2026-10-01"):
        await chat.text(value)
    await chat.tap("Online retailer")
    await chat.photo(jpeg())


async def test_staff_lists_show_recent_serial_conflicts(chat: Chat, tmp_path: Path) -> None:
    await sign_up(chat)
    await register_product(chat, serial="BA3T01946000V")
    other = Chat(chat.app, user="3003")
    await sign_up(other, email="other@example.com", first="Olli")
    await start_registration_to_serial(other)
    await other.text("BA3T01946000V")
    out = io.StringIO()

    class Args:
        review_command = "list"
        staff = None

    assert await run_review(Args(), chat.app.desk, out) == 0  # type: ignore[arg-type]
    assert "serial conflicts" in out.getvalue() and "BA3T01946000V" in out.getvalue()
    # the support list prints the same section (bot/cli.py cmd_support), on the same stores
    buf = io.StringIO()
    with redirect_stdout(buf):
        assert (
            await cmd_support(make_settings(tmp_path), argparse.Namespace(support_cmd="list")) == 0
        )
    assert "serial conflicts" in buf.getvalue() and "BA3T01946000V" in buf.getvalue()
