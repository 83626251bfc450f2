"""Issue 11, item 17: main-menu buttons from before a restart. By design they work from
anywhere (they name a place, not a step), and the form the customer was in is kept and
offered as "Continue" (README, "How it behaves in Telegram"). Step buttons expire."""

from __future__ import annotations

from pathlib import Path

from bot.app import build_app
from tests.conftest import Chat, jpeg, make_settings
from tests.conversation.journeys import sign_up


async def test_an_old_menu_button_after_a_restart_opens_its_place_and_keeps_the_form(
    tmp_path: Path, clock
) -> None:  # type: ignore[no-untyped-def]
    settings = make_settings(tmp_path)
    app = await build_app(settings, clock=clock)
    chat = Chat(app)
    await chat.command("start")
    old_support = chat.button("Talk to support")  # from the customer's very first message
    await sign_up(chat)
    await chat.command("register")
    await chat.tap("Graphics Card")
    old_step_button = chat.button("Back")  # the product name step's, answered next
    await chat.text("GeForce RTX 5070 GAMING TRIO")
    await app.close()

    app = await build_app(settings, clock=clock)  # the restart
    try:
        chat.app = app
        await chat.press(old_step_button)
        assert chat.keys[0] == "common.button_expired"  # a step's button: expired
        await chat.press(old_support)
        assert await chat.current_state() == "support.compose", chat.text_all
        await chat.tap("Back")
        await chat.tap("Continue")  # the registration, kept
        assert await chat.current_state() == "reg.model"
        session = await app.sessions.load(chat.key)
        assert session.form("register")["product_name"] == "GeForce RTX 5070 GAMING TRIO"
        await chat.photo(jpeg())  # still the registration's own step answers
        assert await chat.current_state() == "reg.model"
    finally:
        await app.close()
