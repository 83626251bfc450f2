"""The review desk as cards on Telegram, both connectors in process, every Bot API call
checked against the spec by the fake: claims posted to ``REVIEW_CHAT_ID`` as the invoice and
S/N photo, then a card; staff decide with its buttons; the customer hears of it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from backend.port import ClaimStatus, RejectReason
from bot.app import App, build_app
from handlers.review_cards import REASONS, data
from tests.conftest import make_settings
from tests.conversation.journeys import redeem, register_product, sign_up
from tests.telegram.conftest import (
    STAFF_ADMIN,
    STAFF_CHAT,
    Harness,
    InProcessChat,
    open_harness,
)

pytestmark = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")

REVIEW = -1005550000001
COLLEAGUE = 778
MALLORY = 666


@pytest.fixture
async def review_app(tmp_path: Path) -> AsyncIterator[App]:
    settings = make_settings(tmp_path, STAFF_CHAT_ID=str(STAFF_CHAT), REVIEW_CHAT_ID=str(REVIEW))
    application = await build_app(settings)
    yield application
    await application.close()


@pytest.fixture(params=["aiogram", "ptb", "wire", "aiogram-run"])
async def harness(request, fake, review_app, vtime) -> AsyncIterator[Harness]:
    fake.add_group(REVIEW, "Review")
    fake.add_user(COLLEAGUE, "Kim", username="kim_staff")
    fake.add_user(MALLORY, "Mallory", username="mallory")
    for user in (STAFF_ADMIN, COLLEAGUE):
        fake.set_role(REVIEW, user, "administrator")
    fake.set_role(REVIEW, MALLORY, "member")
    h = await open_harness(request.param, fake, review_app, vtime)
    yield h
    await h.stop()
    fake.assert_no_violations()


async def claim_with_card(h: Harness) -> tuple[InProcessChat, Any, dict[str, Any]]:
    chat = InProcessChat(h)
    await sign_up(chat)
    await register_product(chat)
    await redeem(chat)
    (claim,) = await h.app.desk.review_queue()
    await h.pump()
    cards = [m for m in h.fake.sent(REVIEW) if (m.get("reply_markup") or {}).get("inline_keyboard")]
    assert len(cards) == 1
    return chat, claim, cards[0]


async def press(h: Harness, user: int, raw: str, message_id: int) -> str:
    """``user`` presses a button of the card; the notice the bot answered with."""
    update = h.fake.press_button(user, raw, message_id, chat_id=REVIEW)
    await h.feed(update)
    query = h.fake.callback_queries[update["callback_query"]["id"]]
    assert query.answered
    return str((query.answer or {}).get("text", ""))


def card_text(h: Harness, message_id: int) -> str:
    return next(m for m in h.fake.sent(REVIEW) if m["message_id"] == message_id)["text"]


async def test_card_posted_once_then_approved_by_button_and_the_code_reaches_the_customer(harness):
    h = harness
    chat, claim, card = await claim_with_card(h)
    assert claim.id in card["text"] and claim.serial in card["text"]
    photos = [m for m in h.fake.sent(REVIEW) if m.get("photo")]
    assert len(photos) == 2  # the invoice and the S/N photo, before the card
    await h.pump()
    assert len(h.fake.sent(REVIEW)) == 3  # not posted twice
    notice = await press(h, STAFF_ADMIN, data("a", claim.id), card["message_id"])
    assert notice == "Approved. The customer is told."
    assert "decided by @sam_staff" in card_text(h, card["message_id"])
    done = await h.app.desk.find_claim(claim.id)
    assert done.status is ClaimStatus.SUCCESS and done.prize_code
    news = await chat.notifications()
    assert any(done.prize_code in r.text for r in news)
    assert done.prize_code not in "\n".join(m.get("text") or "" for m in h.fake.sent(REVIEW))
    again = await press(h, COLLEAGUE, data("a", claim.id), card["message_id"])
    assert again == "Already decided by @sam_staff: Approved, code sent."


async def test_reject_by_reason_buttons_and_the_customer_redeems_again(harness):
    h = harness
    chat, claim, card = await claim_with_card(h)
    assert (
        await press(h, STAFF_ADMIN, data("j", claim.id), card["message_id"]) == "Choose the reason."
    )
    n = REASONS.index(RejectReason.INVOICE_UNREADABLE)
    notice = await press(h, STAFF_ADMIN, data("r", claim.id, n), card["message_id"])
    assert notice == "Rejected. The customer is told."
    news = await chat.notifications()
    (rejected,) = [r for r in news if "🔁 Redeem again" in r.labels()]
    assert "can't be read" in rejected.text  # the standard reason, in the customer's words
    await chat.tap("🔁 Redeem again")
    assert "invoice" in chat.text_all.lower()  # asked for a new invoice, the one thing to fix
    rejected_card = card_text(h, card["message_id"])
    assert "Rejected (invoice_unreadable), decided by @sam_staff" in rejected_card


async def test_a_non_staff_member_pressing_is_refused(harness):
    h = harness
    chat, claim, card = await claim_with_card(h)
    for raw in (data("a", claim.id), data("r", claim.id, 0)):
        notice = await press(h, MALLORY, raw, card["message_id"])
        assert notice.startswith("Only support staff")
    after = await h.app.desk.find_claim(claim.id)
    assert after.status is ClaimStatus.UNDER_REVIEW and not after.prize_code
    assert await chat.notifications() == []
    assert "decided by" not in card_text(h, card["message_id"])


@pytest.fixture
async def warn_app(tmp_path: Path) -> AsyncIterator[App]:
    settings = make_settings(
        tmp_path, STAFF_CHAT_ID=str(STAFF_CHAT), REVIEW_CHAT_ID=str(REVIEW), CODE_STOCK_WARN="50"
    )
    application = await build_app(settings)
    yield application
    await application.close()


@pytest.mark.parametrize("framework", ["aiogram", "ptb", "wire"])
async def test_pool_warning_in_the_review_chat_and_import_in_the_staff_group(
    framework, fake, warn_app, vtime
):
    fake.add_group(REVIEW, "Review")
    fake.add_user(MALLORY, "Mallory", username="mallory")
    fake.set_role(REVIEW, STAFF_ADMIN, "administrator")
    h = await open_harness(framework, fake, warn_app, vtime)
    try:
        chat, claim, card = await claim_with_card(h)
        left = await h.app.desk.code_stock(claim.promotion)
        assert left == 50  # the demo pool; the warning comes below 50
        await press(h, STAFF_ADMIN, data("a", claim.id), card["message_id"])
        warning = [m["text"] for m in h.fake.sent(REVIEW) if m.get("text", "").startswith("⚠ Only")]
        assert warning == [
            f"⚠ Only 49 unused codes left in {claim.promotion} (warning below 50). "
            f"Import more with /import {claim.promotion}."
        ]
        mark = len(h.fake.calls)
        await h.feed(
            h.fake.send_text(MALLORY, f"/import {claim.promotion}\nSTOLEN-1", chat_id=STAFF_CHAT)
        )
        assert await h.app.desk.code_stock(claim.promotion) == 49
        await h.feed(
            h.fake.send_text(
                STAFF_ADMIN, f"/import {claim.promotion}\nNEW-1\nNEW-2\nNEW-1", chat_id=STAFF_CHAT
            )
        )
        said = [c.params.get("text", "") for c in h.fake.calls[mark:] if c.method == "sendMessage"]
        assert any(s.startswith("⛔ Only support staff") for s in said)
        assert any(
            s.startswith(f"📥 {claim.promotion}: 2 codes added, 1 already known") for s in said
        )
        assert not any("NEW-" in s or "STOLEN" in s for s in said)
        assert await h.app.desk.code_stock(claim.promotion) == 51
    finally:
        await h.stop()
    fake.assert_no_violations()


async def test_a_resubmitted_claim_gets_a_new_card_with_its_history(harness):
    h = harness
    chat, claim, card = await claim_with_card(h)
    n = REASONS.index(RejectReason.ADDRESS_INCOMPLETE)
    await press(h, STAFF_ADMIN, data("r", claim.id, n), card["message_id"])
    await chat.notifications()
    await chat.tap("🔁 Redeem again")
    await chat.tap("Apartment")
    await chat.text("3rd floor")
    await chat.tap("Confirm")
    await h.pump()
    cards = [m for m in h.fake.sent(REVIEW) if (m.get("reply_markup") or {}).get("inline_keyboard")]
    assert len(cards) == 1 and cards[0]["message_id"] != card["message_id"]  # the old one decided
    new = cards[0]["text"]
    assert (
        claim.id in new and "Try 2." in new and "address_incomplete" in new and "3rd floor" in new
    )
    await h.pump()
    assert len([m for m in h.fake.sent(REVIEW) if claim.id in (m.get("text") or "")]) == 2
