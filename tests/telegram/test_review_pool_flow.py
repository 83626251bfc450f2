"""The code pool through the review desk on Telegram (issue 10, W4R), all three connectors in
process against the fake forum (every call checked against the spec):

- a typed ``/approve`` in the General topic: the pool's warning goes to the Review topic, as
  after a button (and to ``REVIEW_CHAT_ID`` when the desk has its own chat);
- a promotion whose pool is empty: claims approved on their cards wait as approved-awaiting-
  code (the customer is told the code follows), staff import a .csv with ``/import PROMO`` in
  the Review topic, and each waiting claim gets exactly one code, never one code two claims;
- a non-staff member's ``/import`` is refused and stores no code.
"""

from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from backend.port import ClaimStatus
from bot.app import App, build_app
from bot.config import PACKAGED_PROMOTIONS
from handlers.review_cards import data
from tests.conftest import make_settings
from tests.conversation.journeys import redeem, register_product, sign_up
from tests.telegram.conftest import (
    CUSTOMER,
    STAFF_ADMIN,
    STAFF_CHAT,
    Harness,
    InProcessChat,
    open_harness,
)
from tests.telegram.fake_forum import ForumFakeBotApi
from tests.telegram.forum_support import OUTSIDER
from tests.telegram.test_review_desk import cards_in, press, review_thread, said_in

pytestmark = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")
FRAMEWORKS = ("aiogram", "ptb", "wire")
ALEX = 4343
PROMO = "levelup"


@pytest.fixture
def ffake() -> ForumFakeBotApi:
    world = ForumFakeBotApi()
    world.add_user(CUSTOMER, "Jamie", username="jamie")
    world.add_user(ALEX, "Alex", username="alex")
    world.add_user(STAFF_ADMIN, "Sam", username="sam_staff")
    world.add_user(OUTSIDER, "Mallory", username="mallory")
    world.add_forum(STAFF_CHAT, "Support")
    world.set_role(STAFF_CHAT, STAFF_ADMIN, "administrator")
    world.set_role(STAFF_CHAT, OUTSIDER, "member")
    return world


def empty_pool(tmp: Path) -> Path:
    """The packaged promotions, with no demo codes for ``levelup``: its pool starts empty."""
    promotions = json.loads(PACKAGED_PROMOTIONS.read_text(encoding="utf-8"))
    (levelup,) = [p for p in promotions["promotions"] if p["code"] == PROMO]
    levelup.pop("demo_codes", None)
    path = tmp / "promotions.json"
    path.write_text(json.dumps(promotions), encoding="utf-8")
    return path


@pytest.fixture
async def pool_app(tmp_path: Path) -> AsyncIterator[App]:
    settings = make_settings(
        tmp_path,
        STAFF_CHAT_ID=str(STAFF_CHAT),
        CODE_STOCK_WARN="50",
        PROMOTIONS_FILE=str(empty_pool(tmp_path)),
    )
    application = await build_app(settings)
    yield application
    await application.close()


@pytest.fixture
async def warn_app(tmp_path: Path) -> AsyncIterator[App]:
    settings = make_settings(tmp_path, STAFF_CHAT_ID=str(STAFF_CHAT), CODE_STOCK_WARN="50")
    application = await build_app(settings)
    yield application
    await application.close()


async def customer_claim(h: Harness, user: int, email: str, serial: str) -> InProcessChat:
    chat = InProcessChat(h, user)
    await sign_up(chat, email=email)
    await register_product(chat, serial=serial)
    await redeem(chat, PROMO)
    return chat


def general(fake: ForumFakeBotApi) -> list[str]:
    """The bot's messages in the staff group outside any topic (the General topic)."""
    return [m.get("text") or "" for m in fake.sent(STAFF_CHAT) if not m.get("message_thread_id")]


def document_in_topic(
    fake: ForumFakeBotApi, user: int, thread: int, body: bytes, caption: str
) -> dict[str, Any]:
    update = fake.send_document(user, body, "codes.csv", "text/csv", caption, chat_id=STAFF_CHAT)
    update["message"]["message_thread_id"] = thread
    update["message"]["is_topic_message"] = True
    return update


def said_to(fake: ForumFakeBotApi, user: int) -> str:
    """Everything the bot said in a customer's chat (after edits)."""
    return "\n".join(m.get("text") or m.get("caption") or "" for m in fake.sent(user))


def codes_in(fake: ForumFakeBotApi, user: int) -> list[str]:
    return re.findall(r"\bPOOL-CODE-\d+\b", said_to(fake, user))


@pytest.mark.parametrize("framework", FRAMEWORKS)
async def test_a_typed_approve_warns_in_the_review_topic_not_in_general(
    framework, ffake, warn_app, vtime
):
    h = await open_harness(framework, ffake, warn_app, vtime)
    try:
        await customer_claim(h, CUSTOMER, "jamie@example.com", "BA3T01946000V")
        (claim,) = await h.app.desk.review_queue()
        await h.pump()
        thread = review_thread(ffake)
        await h.feed(ffake.send_text(STAFF_ADMIN, f"/approve {claim.id}", chat_id=STAFF_CHAT))
        warning = (
            f"⚠ Only 49 unused codes left in {claim.promotion} (warning below 50). "
            f"Import more with /import {claim.promotion}."
        )
        assert [s for s in said_in(h, thread) if s.startswith("⚠")] == [warning]
        assert any(claim.id in s and "The customer is told" in s for s in general(ffake))
        assert not [s for s in general(ffake) if s.startswith("⚠")]
        (sent,) = [
            c for c in ffake.calls if c.method == "sendMessage" and c.params["text"] == warning
        ]
        assert sent.params["message_thread_id"] == thread
    finally:
        await h.stop()
    ffake.assert_no_violations()


@pytest.mark.parametrize("framework", FRAMEWORKS)
async def test_empty_pool_claims_wait_then_an_import_in_the_review_topic_serves_one_each(
    framework, ffake, pool_app, vtime
):
    h = await open_harness(framework, ffake, pool_app, vtime)
    try:
        await customer_claim(h, CUSTOMER, "jamie@example.com", "BA3T01946000V")
        await customer_claim(h, ALEX, "alex@example.com", "BA3T01946001V")
        first, second = await h.app.desk.review_queue()
        await h.pump()
        thread = review_thread(ffake)
        cards = {c["text"].split("Claim ", 1)[1].split()[0]: c for c in cards_in(ffake, thread)}
        assert set(cards) == {first.id, second.id}
        assert await h.app.desk.code_stock(PROMO) == 0

        for claim in (first, second):  # both approved on their cards: no code to give
            notice = await press(h, STAFF_ADMIN, data("a", claim.id), cards[claim.id]["message_id"])
            assert notice == "Approved. No code left: the claim waits for an import."
            waiting = await h.app.desk.find_claim(claim.id)
            assert (waiting.status, waiting.prize_code) == (ClaimStatus.APPROVED, "")
        assert any(s.startswith(f"⏳ No codes left in {PROMO}") for s in said_in(h, thread))
        await h.pump()
        for user in (CUSTOMER, ALEX):
            assert said_to(ffake, user).count("Your code is on its way") == 1
        assert await h.app.desk.awaiting_codes(PROMO) == 2

        # a plain member of the group cannot fill the pool (nor take a code that way)
        mark = len(ffake.calls)
        await h.feed(
            document_in_topic(ffake, OUTSIDER, thread, b"code\nPOOL-CODE-666\n", f"/import {PROMO}")
        )
        assert await h.app.desk.code_stock(PROMO) == 0
        assert await h.app.desk.awaiting_codes(PROMO) == 2
        refused = [
            c.params.get("text", "") for c in ffake.calls[mark:] if c.method == "sendMessage"
        ]
        assert any(s.startswith("⛔") or s.startswith("Only support staff") for s in refused)
        assert not any(c.method == "getFile" for c in ffake.calls[mark:])  # not even read
        await h.pump()
        assert codes_in(ffake, CUSTOMER) == [] and codes_in(ffake, ALEX) == []

        # staff import one code in the Review topic: the oldest approval gets it, once
        body = b"code,batch\nPOOL-CODE-1,7\n"
        await h.feed(document_in_topic(ffake, STAFF_ADMIN, thread, body, f"/import {PROMO}"))
        assert any(
            s.startswith(f"📥 {PROMO}: 1 codes added") and "1 waiting claims got their code" in s
            for s in said_in(h, thread)
        )
        await h.pump()
        assert codes_in(ffake, CUSTOMER) == ["POOL-CODE-1"] and codes_in(ffake, ALEX) == []
        assert (await h.app.desk.find_claim(first.id)).status is ClaimStatus.SUCCESS
        assert (await h.app.desk.find_claim(second.id)).status is ClaimStatus.APPROVED
        assert await h.app.desk.awaiting_codes(PROMO) == 1

        # the same file again adds nothing and gives nothing; a new code serves the other
        await h.feed(document_in_topic(ffake, STAFF_ADMIN, thread, body, f"/import {PROMO}"))
        await h.pump()
        assert codes_in(ffake, ALEX) == []
        more = b"code\nPOOL-CODE-2\n"
        await h.feed(document_in_topic(ffake, STAFF_ADMIN, thread, more, f"/import {PROMO}"))
        await h.pump()
        assert codes_in(ffake, CUSTOMER) == ["POOL-CODE-1"] and codes_in(ffake, ALEX) == [
            "POOL-CODE-2"
        ]
        done = [await h.app.desk.find_claim(c.id) for c in (first, second)]
        assert [(c.status, c.prize_code) for c in done] == [
            (ClaimStatus.SUCCESS, "POOL-CODE-1"),
            (ClaimStatus.SUCCESS, "POOL-CODE-2"),
        ]
        assert await h.app.desk.awaiting_codes(PROMO) == 0
        assert await h.app.desk.code_stock(PROMO) == 0
        everything = "\n".join(
            str(c.params) for c in ffake.calls if c.params.get("chat_id") == STAFF_CHAT
        )
        assert "POOL-CODE" not in everything  # codes are never echoed to the staff group
    finally:
        await h.stop()
    ffake.assert_no_violations()


@pytest.mark.parametrize("framework", FRAMEWORKS)
async def test_a_typed_approve_warns_in_the_review_chat_when_it_has_its_own(
    framework, fake, tmp_path, vtime
):
    review = -1005550000001
    fake.add_group(review, "Review")
    fake.set_role(review, STAFF_ADMIN, "administrator")
    settings = make_settings(
        tmp_path, STAFF_CHAT_ID=str(STAFF_CHAT), REVIEW_CHAT_ID=str(review), CODE_STOCK_WARN="50"
    )
    app = await build_app(settings)
    h = await open_harness(framework, fake, app, vtime)
    try:
        await customer_claim(h, CUSTOMER, "jamie@example.com", "BA3T01946000V")
        (claim,) = await app.desk.review_queue()
        await h.pump()
        await h.feed(fake.send_text(STAFF_ADMIN, f"/approve {claim.id}", chat_id=STAFF_CHAT))
        in_review = [m.get("text") or "" for m in fake.sent(review)]
        assert len([s for s in in_review if s.startswith("⚠ Only 49 unused codes")]) == 1
        staff = [m.get("text") or "" for m in fake.sent(STAFF_CHAT)]
        assert any(claim.id in s and "The customer is told" in s for s in staff)
        assert not [s for s in staff if s.startswith("⚠")]
    finally:
        await h.stop()
        await app.close()
    fake.assert_no_violations()
