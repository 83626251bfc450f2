"""A session saved by the previous version (payload 1: control flags such as "_edit",
"_serial_pending", "_at", "nonce" kept among the form's values) resumes after an upgrade
exactly where the customer was, and is saved in the current form afterwards."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from bot.app import build_app
from states.control import LEGACY_KEYS
from states.session import PAYLOAD_VERSION
from tests.conftest import Chat, Clock, jpeg, make_settings
from tests.conversation.journeys import open_redeem, register_product, sign_up

#: current control field -> the key payload 1 kept it under, per form
_OLD_NAME = {
    "register": {"editing": "_edit", "left_at": "_at", "serial_reading": "_serial_pending"},
    "redeem": {
        "left_at": "_at",
        "nonce": "nonce",
        "member_region": "_region",
        "promotion_name": "promotion_name",
        "product_label": "product_label",
    },
}


def as_payload_1(data: str) -> str:
    """The session as the previous version saved it: no "v", no "controls", every control
    flag inside its form's values."""
    raw: dict[str, Any] = json.loads(data)
    assert raw.pop("v") == PAYLOAD_VERSION
    for form, control in raw.pop("controls").items():
        for name, value in control.items():
            old = _OLD_NAME[form][name]
            assert LEGACY_KEYS[old] == name
            raw["forms"].setdefault(form, {})[old] = value
    return json.dumps(raw)


@pytest.fixture
async def first(tmp_path: Path, clock: Clock) -> AsyncIterator[Chat]:
    """A chat on an app of its own (the test closes it to restart)."""
    app = await build_app(make_settings(tmp_path), clock=clock)
    try:
        yield Chat(app)
    finally:
        if not getattr(app, "_closed_by_test", False):
            await app.close()


async def restart_with_payload_1(chat: Chat, tmp_path: Path, clock: Clock) -> Chat:
    """Close the app, rewrite the stored session in the old format, start a new app."""
    data = (await chat.app.sessions.load(chat.key)).to_json()
    await chat.app.close()
    chat.app._closed_by_test = True  # type: ignore[attr-defined]
    with sqlite3.connect(tmp_path / "bot.db") as conn:
        changed = conn.execute(
            "UPDATE conversations SET data = ? WHERE key = ?", (as_payload_1(data), str(chat.key))
        ).rowcount
    assert changed == 1
    app = await build_app(make_settings(tmp_path), clock=clock)
    again = Chat(app, chat.key.user_id, chat.key.channel)
    again.replies = chat.replies  # the buttons still in the customer's chat
    return again


async def test_an_old_session_editing_the_serial_resumes_at_the_confirmation(
    first: Chat, tmp_path: Path, clock: Clock
) -> None:
    chat = first
    await sign_up(chat)
    await register_product(chat, serial="BA3T01946000V")
    await chat.command("register")  # a second product, up to its summary
    for step in (
        "Graphics Card",
        "Trio",
        "V531",
        "K2203N0123456",
        "456",
        "Shop",
        "2026-10-01",
    ):
        await (chat.tap(step) if step == "Graphics Card" else chat.text(step))
    await chat.tap("Online retailer")
    await chat.photo(jpeg())
    assert "Your product:" in chat.text_all
    await chat.tap("✏ Serial number")
    await chat.text("K22O3N0123456")  # a letter O where the format needs a digit
    assert "Is that exactly what the sticker shows" in chat.text_all
    old = await chat.app.sessions.load(chat.key)
    assert old.control("register").editing and old.control("register").serial_reading

    chat = await restart_with_payload_1(chat, tmp_path, clock)
    try:
        session = await chat.app.sessions.load(chat.key)
        assert session.state == "reg.serial_confirm"
        assert not any(k.startswith("_") for k in session.forms["register"]), session.forms
        assert session.control("register").editing
        assert session.control("register").serial_reading == old.control("register").serial_reading
        assert session.forms["register"] == old.forms["register"]

        await chat.tap("Yes, that's right")  # back to the summary (editing), not to the CHK
        assert await chat.current_state() == "reg.summary"
        assert "K2203N0123456" in chat.text_all
        saved = json.loads((await chat.app.sessions.load(chat.key)).to_json())
        assert saved["v"] == PAYLOAD_VERSION and "_edit" not in saved["forms"]["register"]
        await chat.tap("Confirm")
        assert "reg.done" in chat.keys
        products = await chat.app.backend.list_products(session.member_id or "")
        assert sorted(p.serial for p in products) == ["BA3T01946000V", "K2203N0123456"]
    finally:
        await chat.app.close()


async def test_an_old_session_left_in_the_redeem_form_continues_with_its_nonce(
    first: Chat, tmp_path: Path, clock: Clock
) -> None:
    chat = first
    await sign_up(chat)
    await register_product(chat)
    await open_redeem(chat)  # the single promotion and product: picked
    assert await chat.current_state() == "redeem.sn_photo"
    await chat.command("menu")  # left for the menu: the form is kept, "Continue" offered
    old = await chat.app.sessions.load(chat.key)
    control = old.control("redeem")
    assert control.left_at == "redeem.sn_photo" and control.nonce and control.member_region == "DE"

    chat = await restart_with_payload_1(chat, tmp_path, clock)
    try:
        session = await chat.app.sessions.load(chat.key)
        assert session.forms["redeem"] == old.forms["redeem"]
        assert session.control("redeem") == control
        assert session.left_at("redeem") == "redeem.sn_photo"
        await chat.command("menu")
        await chat.tap("Continue: redemption")
        assert await chat.current_state() == "redeem.sn_photo"
    finally:
        await chat.app.close()
