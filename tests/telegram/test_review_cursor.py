"""The review room's cursor (issue 10, W4R), all three connectors in process against the fake
Bot API: claims waiting for review are posted once each, in the order they came, a few per
pump round, across a restart and two replicas pumping at once; a claim sent again after a
rejection gets a new card; a card that could not go holds the cursor (nothing skipped)."""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from backend.port import ClaimFix, ClaimRequest, RejectReason
from bot.app import App, build_app
from bot.channels.telegram.review_cards import CARDS_AT_ONCE
from storage.review_cards import ReviewCards as CardStore
from tests.backend.conftest import product_data, recipient, sign_up_data
from tests.conftest import make_settings
from tests.telegram.conftest import STAFF_ADMIN, STAFF_CHAT, open_harness
from tests.telegram.fake_bot_api import FakeBotApi

pytestmark = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")

REVIEW = -1005550000001
FRAMEWORKS = ("aiogram", "ptb", "wire")
CLAIM = re.compile(r"Claim ([0-9a-f-]{36})")


@pytest.fixture
async def review_app(tmp_path: Path) -> AsyncIterator[App]:
    settings = make_settings(tmp_path, STAFF_CHAT_ID=str(STAFF_CHAT), REVIEW_CHAT_ID=str(REVIEW))
    application = await build_app(settings)
    yield application
    await application.close()


async def claims(app: App, n: int) -> list[tuple[Any, Any]]:
    """``n`` members, each with a claim waiting for review, oldest first."""
    backend, made = app.backend, []
    for _ in range(n):
        challenge = await backend.sign_up(sign_up_data())
        member = await backend.verify_code(challenge.id, challenge.code)
        item = await backend.register_product(member.id, product_data())
        request = ClaimRequest("levelup", item.id, "sha256:sn1", recipient())
        made.append((member, await backend.submit_claim(member.id, request, f"k-{item.id}")))
    return made


def cards(fake: FakeBotApi) -> list[str]:
    """The claim ids of the cards in the review chat, in the order they were posted."""
    keyed = [m for m in fake.sent(REVIEW) if (m.get("reply_markup") or {}).get("inline_keyboard")]
    return [CLAIM.search(m["text"]).group(1) for m in keyed]  # type: ignore[union-attr]


@pytest.mark.parametrize("framework", FRAMEWORKS)
async def test_fifty_waiting_claims_posted_once_each_in_order_across_a_restart_and_replicas(
    framework, fake, review_app, vtime
):
    fake.add_group(REVIEW, "Review")
    fake.set_role(REVIEW, STAFF_ADMIN, "administrator")
    made = await claims(review_app, 50)
    order = [c.id for _, c in made]
    store = CardStore(review_app.db)
    h = await open_harness(framework, fake, review_app, vtime)
    try:
        await h.pump()
        assert cards(fake) == order[:CARDS_AT_ONCE]  # a few per round, oldest first
        await h.pump()
        assert cards(fake) == order[: 2 * CARDS_AT_ONCE]
    finally:
        await h.stop()
    settled = await store.cursor(str(REVIEW))
    assert settled is not None
    # a restart, then two replicas pumping at once: each card still once, in order
    one = await open_harness(framework, fake, review_app, vtime)
    two = await open_harness(framework, fake, review_app, vtime)
    try:
        await one.pump()
        assert cards(fake) == order[: 3 * CARDS_AT_ONCE]  # went on where it stopped
        for _ in range(12):
            await asyncio.gather(one.pump(), two.pump())
        assert cards(fake) == order
        calls = len(fake.calls)
        await asyncio.gather(one.pump(), two.pump())
        assert cards(fake) == order and not [
            c for c in fake.calls[calls:] if c.method in ("sendMessage", "sendPhoto")
        ]
        moved = await store.cursor(str(REVIEW))
        assert moved is not None and moved > settled

        # a claim sent again after a rejection: a new card, at the end
        member, claim = made[7]
        await review_app.desk.reject(claim.id, RejectReason.ADDRESS_INCOMPLETE, "", "sam")
        fix = ClaimFix(recipient=recipient(unit="3rd floor"))
        await review_app.backend.resubmit_claim(member.id, claim.id, fix, "k-again")
        await one.pump()
        await two.pump()
        assert cards(fake) == [*order, claim.id]
        (second,) = [
            m["text"]
            for m in fake.sent(REVIEW)
            if claim.id in (m.get("text") or "") and "Try 2." in m["text"]
        ]
        assert "3rd floor" in second
    finally:
        await one.stop()
        await two.stop()
        await store.close()
    fake.assert_no_violations()


@pytest.mark.parametrize("framework", FRAMEWORKS)
async def test_a_card_that_could_not_go_holds_the_cursor_and_goes_next_round(
    framework, fake, review_app, vtime
):
    fake.add_group(REVIEW, "Review")
    fake.set_role(REVIEW, STAFF_ADMIN, "administrator")
    made = await claims(review_app, 3)
    store = CardStore(review_app.db)
    h = await open_harness(framework, fake, review_app, vtime)
    try:
        fake.fail_next("sendMessage", 400, description="Bad Request: chat not found")
        await h.pump()
        assert cards(fake) == []  # the first could not go: nothing after it either
        assert await store.cursor(str(REVIEW)) is None
        await h.pump()
        assert cards(fake) == [c.id for _, c in made]
    finally:
        await h.stop()
        await store.close()


@pytest.mark.parametrize("framework", FRAMEWORKS)
async def test_an_entry_that_commits_behind_the_cursor_is_still_posted(
    framework, fake, review_app, vtime
):
    """On PostgreSQL an entry can commit after one numbered above it was read (and the
    cursor moved past it): the round looks a few events behind the cursor again."""
    fake.add_group(REVIEW, "Review")
    fake.set_role(REVIEW, STAFF_ADMIN, "administrator")
    made = await claims(review_app, 2)
    store = CardStore(review_app.db)
    h = await open_harness(framework, fake, review_app, vtime)
    try:
        await h.pump()
        assert cards(fake) == [c.id for _, c in made]
        cursor = await store.cursor(str(REVIEW))
        assert cursor is not None
        await store.advance(str(REVIEW), cursor + 3)  # as if entries above were read first
        (late,) = await claims(review_app, 1)  # its entry is numbered below the cursor
        (entry,) = await review_app.desk.review_arrivals(cursor, 10)
        assert entry.seq < cursor + 3
        await h.pump()
        await h.pump()
        assert cards(fake) == [*(c.id for _, c in made), late[1].id]
    finally:
        await h.stop()
        await store.close()
    fake.assert_no_violations()
