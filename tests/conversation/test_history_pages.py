"""A member's long history a page at a time (issue 9): /status newest first with Previous
and Next, no claim shown twice or left out (claims of the same instant included), and every
page of /status, /products and the staff's /queue one Telegram message (4,096 UTF-16 units)
however long the names, reasons and notes in it."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from backend.port import ClaimRequest, RejectReason
from bot.app import App, build_app
from bot.config import PACKAGED_PROMOTIONS
from handlers.paging import MESSAGE_LIMIT, units
from handlers.staff import QUEUE_PAGE, StaffIdentity, StaffPolicy, StaffRoom
from tests.backend.conftest import recipient
from tests.conftest import Chat, Clock, make_settings
from tests.conversation.journeys import sign_up
from tests.conversation.test_paging import member_id, page_buttons, registration

LONG = "X" * 100  # the longest product name and model the registration form takes


@pytest.fixture
async def app(tmp_path: Path, clock: Clock) -> AsyncIterator[App]:
    """The packaged promotions with a per-member limit high enough for a long history."""
    promotions = json.loads(PACKAGED_PROMOTIONS.read_text(encoding="utf-8"))
    for p in promotions["promotions"]:
        p["per_member_limit"] = 1000
    path = tmp_path / "promotions.json"
    path.write_text(json.dumps(promotions), encoding="utf-8")
    application = await build_app(make_settings(tmp_path, PROMOTIONS_FILE=str(path)), clock=clock)
    yield application
    await application.close()


async def claims(chat: Chat, clock: Clock, count: int, *, apart: bool = True, **spec) -> list[str]:
    """``count`` claims of the chat's member, a minute apart (``apart=False``: all at the
    same instant); the product names end in no00, no01, ... in the order they were sent."""
    member = await member_id(chat)
    ids = []
    for n in range(count):
        if apart:
            clock.advance(minutes=1)
        data = dataclasses.replace(registration(n), **spec)
        if "product_name" in spec:
            data = dataclasses.replace(data, product_name=f"{spec['product_name'][:-4]}no{n:02d}")
        product = await chat.app.backend.register_product(member, data)
        request = ClaimRequest("levelup", product.id, "sha256:sn", recipient())
        ids.append((await chat.app.backend.submit_claim(member, request, f"k{n}")).id)
    return ids


def shown(chat: Chat) -> list[str]:
    """The product numbers the last replies name, in their order."""
    return re.findall(r"no(\d\d)", chat.text_all)


def one_message_each(chat: Chat) -> None:
    for reply in chat.replies:
        assert units(reply.text) <= MESSAGE_LIMIT, (reply.key, units(reply.text))


async def test_status_pages_newest_first_with_prev_and_next(chat: Chat, clock: Clock) -> None:
    await sign_up(chat)
    await claims(chat, clock, 23)
    await chat.command("status")
    assert "Page 1 of 3" in chat.text_all
    assert shown(chat) == [f"{n:02d}" for n in range(22, 12, -1)]  # the newest ten, newest first
    assert list(page_buttons(chat)) == ["Next ▶"]
    await chat.tap("Next ▶")
    assert "Page 2 of 3" in chat.text_all
    assert shown(chat) == [f"{n:02d}" for n in range(12, 2, -1)]
    assert list(page_buttons(chat)) == ["◀ Previous", "Next ▶"]
    await chat.tap("Next ▶")
    assert "Page 3 of 3" in chat.text_all and shown(chat) == ["02", "01", "00"]
    assert list(page_buttons(chat)) == ["◀ Previous"]
    await chat.tap("◀ Previous")
    assert "Page 2 of 3" in chat.text_all and shown(chat)[0] == "12"
    one_message_each(chat)
    # Details of a claim on page 2 are that claim's
    await chat.tap("no05")
    assert "no05" in chat.text_all and "no06" not in chat.text_all


async def test_claims_of_the_same_instant_each_shown_once(chat: Chat, clock: Clock) -> None:
    """The order is total (newest first, then by id): an offset page never repeats a claim
    or skips one, though every claim has the same time."""
    await sign_up(chat)
    await claims(chat, clock, 25, apart=False)
    await chat.command("status")
    seen = shown(chat)
    for page in (2, 3):
        await chat.tap("Next ▶")
        assert f"Page {page} of 3" in chat.text_all
        seen += shown(chat)
    assert sorted(seen) == [f"{n:02d}" for n in range(25)]  # each once
    whole = await chat.app.backend.list_claims(await member_id(chat))
    assert [c.product_name[-2:] for c in whole] == seen  # the same order as the whole list


async def test_status_page_of_long_rejections_is_one_message(chat: Chat, clock: Clock) -> None:
    """Ten rejected claims with the longest names and a 500-character note each: one
    message, each claim still there with its name, the start of its note, its button."""
    await sign_up(chat)
    ids = await claims(chat, clock, 12, product_name=LONG, model=LONG)
    for claim_id in ids:
        await chat.app.desk.reject(claim_id, RejectReason.OTHER, "why " * 125, "staff")
    await chat.command("status")
    one_message_each(chat)
    assert "Page 1 of 2" in chat.text_all
    assert sorted(shown(chat)) == [f"{n:02d}" for n in range(2, 12)]  # ten claims, each named
    assert chat.text_all.count("Rejected: why why") == 10 and "…" in chat.text_all  # cut
    labels = [b.label for r in chat.replies for row in r.buttons for b in row]
    assert len([label for label in labels if "Redeem again" in label]) == 10
    assert list(page_buttons(chat)) == ["Next ▶"]


async def test_products_page_of_long_entries_is_one_message(chat: Chat, clock: Clock) -> None:
    """Twelve products with the longest names and models, bought where and when no promotion
    takes them (a reason or two each, and the closed promotions that would fit): the page
    is one message naming each of its ten products."""
    await sign_up(chat)
    member = await member_id(chat)
    for n in range(12):
        clock.advance(minutes=1)
        data = dataclasses.replace(
            registration(n),
            product_name=f"{LONG[:-4]}no{n:02d}",
            model=LONG,
            region="Antarctica",
            purchase_date=dt.date(2015, 2, 10),
        )
        await chat.app.backend.register_product(member, data)
    await chat.command("products")
    one_message_each(chat)
    assert "Page 1 of 2" in chat.text_all and list(page_buttons(chat)) == ["Next ▶"]
    assert shown(chat) == [f"{n:02d}" for n in range(10)]
    await chat.tap("Next ▶")
    one_message_each(chat)
    assert shown(chat) == ["10", "11"] and "…" not in chat.text_all  # two fit whole


async def test_staff_queue_page_of_long_names_is_one_message(chat: Chat, clock: Clock) -> None:
    await sign_up(chat)
    ids = await claims(chat, clock, QUEUE_PAGE + 2, product_name=LONG, model=LONG)
    policy = StaffPolicy(room="-100500", allowed=frozenset({"7"}), authority="allowlist")
    room = StaffRoom(chat.app.desk, chat.app.support, chat.app.catalog, policy=policy)
    who = StaffIdentity("telegram", "7", "@anna", room="-100500", kind="user")
    (first,) = await room.handle("/queue", who)
    assert units(first.text) <= MESSAGE_LIMIT
    assert f"{QUEUE_PAGE + 2} claims waiting" in first.text
    assert all(i in first.text for i in ids[:QUEUE_PAGE])  # every claim's id, whole
    assert f"/queue {ids[QUEUE_PAGE - 1]}" in first.text  # and the next page's command
