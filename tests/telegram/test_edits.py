"""A customer edits a message the bot will not re-read (outside a relayed support talk):
they are told once, briefly, how to correct an answer; staff editing in a flat staff group
run nothing. Both connectors in process, every call checked against the spec."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from tests.telegram.conftest import (
    CUSTOMER,
    STAFF_ADMIN,
    STAFF_CHAT,
    Harness,
    InProcessChat,
    open_harness,
    replies_in,
)

pytestmark = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")
HINT = "I don't read edited messages"


@pytest.fixture(params=["aiogram", "ptb"])
async def harness(request, fake, tg_app, vtime) -> AsyncIterator[Harness]:
    h = await open_harness(request.param, fake, tg_app, vtime)
    yield h
    await h.stop()
    fake.assert_no_violations()


def edited(update: dict, text: str, update_id: int) -> dict:
    body = dict(update["message"], text=text, edit_date=update["message"]["date"] + 1)
    return {"update_id": update_id, "edited_message": body}


async def test_an_edit_gets_a_hint_once(harness: Harness) -> None:
    h = harness
    chat = InProcessChat(h)
    await chat.command("start")
    sent = h.fake.send_text(CUSTOMER, "hello")
    await h.feed(sent)
    mark = len(h.fake.calls)
    update = edited(sent, "hello again", sent["update_id"] + 1000)
    await h.feed(update)
    await h.feed(update)  # redelivered: told once
    told = [r.text for r in replies_in(h.fake.calls[mark:], CUSTOMER)]
    assert len(told) == 1 and HINT in told[0]


async def test_a_stranger_and_the_staff_group_get_no_hint(harness: Harness) -> None:
    h = harness
    h.fake.add_user(5151, "Stranger")
    sent = h.fake.send_text(5151, "hi")  # not handed to the bot: it never talked to them
    mark = len(h.fake.calls)
    await h.feed(edited(sent, "hi!", sent["update_id"] + 1000))
    staff = h.fake.send_text(STAFF_ADMIN, "lunch?", chat_id=STAFF_CHAT)
    await h.feed(edited(staff, "lunch at 1?", staff["update_id"] + 1000))
    assert replies_in(h.fake.calls[mark:], 5151) == []
    assert replies_in(h.fake.calls[mark:], STAFF_CHAT) == []
