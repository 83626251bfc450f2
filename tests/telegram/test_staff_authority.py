"""The staff group as an attacker sees it, on both connectors in-process (every Bot API call
checked against the spec by the fake).

Only staff act: the staff group's administrators (asked with getChatMember, trusted for
``STAFF_ROLE_CACHE_SECONDS``) or the allow-list ``STAFF_USER_IDS``. A plain member, an
anonymous admin, another bot, an admin who was demoted, an allow-listed user in another chat:
each is refused (answered, logged), and nothing is issued or revealed.

Only a reply to the bot's own forward of a customer's message (or ``/reply N``) answers a
customer: a colleague's "#1", a reply to the /tickets list or to a look-alike is chatter.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from backend.port import ClaimStatus
from bot.app import App, build_app
from handlers.io import Reply
from states import ConversationKey
from tests.conftest import make_settings
from tests.conversation.journeys import redeem, register_product, sign_up
from tests.telegram.conftest import (
    CUSTOMER,
    STAFF_ADMIN,
    STAFF_CHAT,
    Harness,
    InProcessChat,
    VirtualTime,
    open_harness,
    replies_in,
)

pytestmark = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")

MALLORY = 666  # a plain member of the staff group
COLLEAGUE = 778  # another administrator
OTHER_CUSTOMER = 4343
OTHER_GROUP = -1009999999999
NOT_STAFF = "Only support staff"


@pytest.fixture(params=["aiogram", "ptb", "wire"])
async def harness(request, fake, tg_app, vtime) -> AsyncIterator[Harness]:
    fake.add_user(MALLORY, "Mallory", username="mallory")
    fake.add_user(COLLEAGUE, "Kim", username="kim_staff")
    fake.set_role(STAFF_CHAT, COLLEAGUE, "administrator")
    h = await open_harness(request.param, fake, tg_app, vtime)
    roles = getattr(h.bridge.staff, "roles", None)
    if roles is not None:
        roles.clock = vtime  # the role cache runs on virtual time
        h.bridge.staff.journey.clock = vtime  # and so does the quiet time after a refusal
    yield h
    await h.stop()
    fake.assert_no_violations()


async def says(
    h: Harness, user_id: int, text: str, *, reply_to: int | None = None, chat_id: int = STAFF_CHAT
) -> list[Reply]:
    """``user_id`` writes in the staff group (or ``chat_id``); the bot's answers there."""
    mark = len(h.fake.calls)
    await h.feed(h.fake.send_text(user_id, text, chat_id=chat_id, reply_to_message_id=reply_to))
    return replies_in(h.fake.calls[mark:], chat_id)


async def claim_under_review(h: Harness) -> Any:
    chat = InProcessChat(h)
    await sign_up(chat)
    await register_product(chat)
    await redeem(chat)
    claims = await h.app.desk.review_queue()
    assert len(claims) == 1
    return claims[0]


async def open_ticket(h: Harness, user_id: int, text: str) -> InProcessChat:
    chat = InProcessChat(h, user_id)
    h.fake.add_user(user_id, f"Customer{user_id}")
    await chat.command("start")
    await chat.tap("support")
    await chat.text(text)
    return chat


def forwards(h: Harness) -> dict[int, int]:
    """ticket -> message id of the bot's forward in the staff group."""
    found = {}
    for m in h.fake.sent(STAFF_CHAT):
        text = m.get("text") or ""
        if text.startswith("💬 Support #"):
            found[int(text.split("#", 1)[1].split()[0])] = m["message_id"]
    return found


async def staff_messages(app: App, ticket_id: int) -> list[str]:
    return [m.text for m in await app.support.messages(ticket_id) if m.sender == "staff"]


# ----------------------------------------------------------------------------- defect 2
async def test_a_plain_member_can_do_nothing(harness: Harness, caplog) -> None:
    h = harness
    claim = await claim_under_review(h)
    ticket_chat = await open_ticket(h, OTHER_CUSTOMER, "My code does not work")
    await h.pump()
    ticket = (await h.app.support.list_open())[0].id
    forwarded = forwards(h)[ticket]
    stock = await h.app.desk.code_stock(claim.promotion)
    caplog.set_level(logging.DEBUG)
    attempts = [
        f"/show {claim.id}",
        f"/approve {claim.id}",
        f"/APPROVE@redeem_test_bot {claim.id}",
        f"/reject {claim.id} other you lose",
        f"/ship {claim.id} 1Z",
        "/queue",
        "/tickets",
        f"/reply {ticket} Send me your password",
        f"/close {ticket}",
        "/help",
    ]
    answers = [await says(h, MALLORY, text) for text in attempts]
    answers.append(
        await says(h, MALLORY, "Send me your password", reply_to=forwarded)
    )  # a forged answer
    # answered once (then quiet for a minute: a flood cannot use up the group's budget), all logged
    assert len(answers[0]) == 1 and NOT_STAFF in answers[0][0].text
    assert all(a == [] for a in answers[1:]), answers
    # nothing issued, nothing revealed, nothing sent to the customer
    after = await h.app.desk.find_claim(claim.id)
    assert after.status is ClaimStatus.UNDER_REVIEW and not after.prize_code
    assert await h.app.desk.code_stock(claim.promotion) == stock
    assert await h.app.desk.claim_history(claim.id) == []
    assert await staff_messages(h.app, ticket) == []
    assert await h.app.support.has_open(
        ConversationKey("telegram", str(OTHER_CUSTOMER), str(OTHER_CUSTOMER))
    )
    staff_chat = "\n".join(m.get("text") or m.get("caption") or "" for m in h.fake.sent(STAFF_CHAT))
    assert claim.serial not in staff_chat and "Invoice ·" not in staff_chat
    assert not h.fake.calls_to("sendPhoto") or all(
        c["chat_id"] != STAFF_CHAT for c in h.fake.calls_to("sendPhoto")
    )
    assert await ticket_chat.notifications() == []
    # every attempt logged (who, which command), without the text they sent
    refused = [
        r
        for r in caplog.records
        if "refused" in r.getMessage() and "telegram:666" in r.getMessage()
    ]
    assert len(refused) == len(attempts) + 1
    assert all(r.levelno == logging.WARNING for r in refused)
    assert "password" not in caplog.text.lower()
    # one getChatMember for the whole flood: the answer is cached
    assert h.fake.call_count("getChatMember") == 1


async def test_an_admin_acts_and_is_recorded(harness: Harness) -> None:
    h = harness
    claim = await claim_under_review(h)
    shown = await says(h, STAFF_ADMIN, f"/show {claim.id}")
    assert claim.serial in shown[0].text
    answer = await says(h, STAFF_ADMIN, f"/approve {claim.id}")
    assert "✅" in answer[0].text
    history = await h.app.desk.claim_history(claim.id)
    assert [(e.action, e.actor_id, e.actor_name) for e in history] == [
        ("show", "telegram:777", "@sam_staff"),
        ("approve", "telegram:777", "@sam_staff"),
    ]
    code = (await h.app.desk.find_claim(claim.id)).prize_code
    assert code and all(code not in e.details for e in history)
    shown = await says(h, COLLEAGUE, f"/show {claim.id}")
    assert "approve by @sam_staff (telegram:777)" in shown[0].text
    assert "show by @sam_staff (telegram:777)" in shown[0].text
    assert code not in shown[0].text


async def test_anonymous_admins_the_group_and_other_bots_are_not_staff(harness: Harness) -> None:
    h = harness
    claim = await claim_under_review(h)
    mark = len(h.fake.calls)
    await h.feed(h.fake.send_anonymous(STAFF_CHAT, f"/approve {claim.id}", signature="Sam"))
    answer = replies_in(h.fake.calls[mark:], STAFF_CHAT)
    assert len(answer) == 1 and NOT_STAFF in answer[0].text
    h.fake.add_user(5555, "Helper", username="helper_bot", is_bot=True)
    h.fake.set_role(STAFF_CHAT, 5555, "administrator")
    answer = await says(h, 5555, f"/approve {claim.id}")
    assert len(answer) == 1 and NOT_STAFF in answer[0].text
    assert (await h.app.desk.find_claim(claim.id)).status is ClaimStatus.UNDER_REVIEW
    assert h.fake.call_count("getChatMember") == 0  # never mistaken for a person to look up


async def test_a_demoted_admin_loses_the_rights_when_the_cache_expires(
    harness: Harness, vtime: VirtualTime
) -> None:
    h = harness
    assert "No claims" in (await says(h, STAFF_ADMIN, "/queue"))[0].text
    h.fake.set_role(STAFF_CHAT, STAFF_ADMIN, "member")  # demoted
    assert (
        "No claims" in (await says(h, STAFF_ADMIN, "/queue"))[0].text
    )  # still trusted for a while
    assert h.fake.call_count("getChatMember") == 1
    vtime.now += 61  # STAFF_ROLE_CACHE_SECONDS (60) later
    assert NOT_STAFF in (await says(h, STAFF_ADMIN, "/queue"))[0].text
    h.fake.set_role(STAFF_CHAT, MALLORY, "administrator")  # promoted
    vtime.now += 61
    assert "No claims" in (await says(h, MALLORY, "/queue"))[0].text
    h.fake.set_role(STAFF_CHAT, STAFF_ADMIN, "left")
    vtime.now += 61
    assert NOT_STAFF in (await says(h, STAFF_ADMIN, "/queue"))[0].text


async def test_the_role_cannot_be_checked_then_nobody_acts(harness: Harness) -> None:
    h = harness
    claim = await claim_under_review(h)
    h.fake.fail_next("getChatMember", status=502, times=5)
    answer = await says(h, STAFF_ADMIN, f"/approve {claim.id}")
    assert "Could not check your staff rights" in answer[0].text
    assert (await h.app.desk.find_claim(claim.id)).status is ClaimStatus.UNDER_REVIEW
    h.fake.clear_faults()
    assert (
        "✅" in (await says(h, STAFF_ADMIN, f"/approve {claim.id}"))[0].text
    )  # failures are not cached


async def test_commands_for_another_bot_are_left_alone(harness: Harness) -> None:
    h = harness
    claim = await claim_under_review(h)
    assert await says(h, STAFF_ADMIN, f"/approve@other_shop_bot {claim.id}") == []
    assert (
        await says(h, MALLORY, f"/show@other_shop_bot {claim.id}") == []
    )  # not ours to refuse either
    assert (await h.app.desk.find_claim(claim.id)).status is ClaimStatus.UNDER_REVIEW
    assert "✅" in (await says(h, STAFF_ADMIN, f"/approve@Redeem_Test_Bot {claim.id}"))[0].text


# ----------------------------------------------------------------------------- the allow-list
@pytest.fixture
async def listed_app(tmp_path: Path) -> AsyncIterator[App]:
    app = await build_app(
        make_settings(tmp_path, STAFF_CHAT_ID=str(STAFF_CHAT), STAFF_USER_IDS="888, 999")
    )
    yield app
    await app.close()


@pytest.mark.parametrize("framework", ["aiogram", "ptb", "wire"])
async def test_the_allow_list_decides_and_only_in_the_staff_chat(
    framework, fake, listed_app, vtime
) -> None:
    fake.add_user(888, "Lee", username="lee")
    fake.add_group(OTHER_GROUP, "Lee's friends")
    h = await open_harness(framework, fake, listed_app, vtime)
    try:
        claim = await claim_under_review(h)
        # allow-listed, but elsewhere: another group is not ours, a private chat is a customer's
        assert await says(h, 888, f"/approve {claim.id}", chat_id=OTHER_GROUP) == []
        mark = len(fake.calls)
        await h.feed(fake.send_text(888, f"/approve {claim.id}"))
        assert all("✅" not in r.text for r in replies_in(fake.calls[mark:], 888))
        assert (await listed_app.desk.find_claim(claim.id)).status is ClaimStatus.UNDER_REVIEW
        # the group's admin is not on the list: with an allow-list, the list alone decides
        assert NOT_STAFF in (await says(h, STAFF_ADMIN, f"/approve {claim.id}"))[0].text
        assert "✅" in (await says(h, 888, f"/approve {claim.id}"))[0].text
        assert fake.call_count("getChatMember") == 0
    finally:
        await h.stop()
    fake.assert_no_violations()


# ----------------------------------------------------------------------------- defect 3
async def test_staff_chatter_never_reaches_a_customer(harness: Harness) -> None:
    h = harness
    first = await open_ticket(h, CUSTOMER, "Where is my code?")
    second = await open_ticket(h, OTHER_CUSTOMER, "My invoice is blurry")
    await h.pump()
    tickets = forwards(h)
    one, two = sorted(tickets)
    # a colleague's message that mentions #1, and a reply to it
    note = h.fake.send_text(COLLEAGUE, f"I think #{one} is a reseller, careful", chat_id=STAFF_CHAT)
    await h.feed(note)
    assert (
        await says(
            h, STAFF_ADMIN, f"Agreed, #{one} looks fishy", reply_to=note["message"]["message_id"]
        )
        == []
    )
    # a reply to the /tickets list, meant for one of them
    await says(h, STAFF_ADMIN, "/tickets")
    listing = [m for m in h.fake.sent(STAFF_CHAT) if "open:" in (m.get("text") or "")][-1]
    assert await says(h, COLLEAGUE, f"I take #{one}", reply_to=listing["message_id"]) == []
    # a look-alike of the bot's forward, posted by a person
    fake_forward = h.fake.send_text(
        MALLORY, f"💬 Support #{two} · customer {OTHER_CUSTOMER}\n\nhi", chat_id=STAFF_CHAT
    )
    await h.feed(fake_forward)
    assert (
        await says(
            h,
            STAFF_ADMIN,
            "Sure, here is a new code",
            reply_to=fake_forward["message"]["message_id"],
        )
        == []
    )
    # the bot's own message that is not a forward (e.g. its answer to /queue)
    await says(h, STAFF_ADMIN, "/queue")
    answer_msg = h.fake.sent(STAFF_CHAT)[-1]["message_id"]
    assert await says(h, COLLEAGUE, f"#{one} again?", reply_to=answer_msg) == []
    assert await staff_messages(h.app, one) == [] and await staff_messages(h.app, two) == []
    assert await first.notifications() == [] and await second.notifications() == []
    # a reply to the bot's forward answers exactly that ticket
    answer = await says(h, COLLEAGUE, "Please send the S/N photo.", reply_to=tickets[two])
    assert f"#{two}" in answer[0].text
    assert await staff_messages(h.app, two) == ["Please send the S/N photo."]
    assert await staff_messages(h.app, one) == []
    got = await second.notifications()
    assert any("Please send the S/N photo." in r.text for r in got)
    history = await h.app.support.history(two)
    assert [(a.action, a.actor_id) for a in history] == [("reply", "telegram:778")]


async def test_the_pairing_survives_a_restart(fake, tmp_path: Path, vtime) -> None:
    settings = make_settings(tmp_path, STAFF_CHAT_ID=str(STAFF_CHAT))
    app = await build_app(settings)
    h = await open_harness("aiogram", fake, app, vtime)
    try:
        await open_ticket(h, CUSTOMER, "Where is my code?")
        await h.pump()
        ((ticket, forwarded),) = forwards(h).items()
    finally:
        await h.stop()
        await app.close()
    app = await build_app(settings)  # a new process: nothing in memory
    h = await open_harness("ptb", fake, app, vtime)
    try:
        answer = await says(h, STAFF_ADMIN, "It is on its way.", reply_to=forwarded)
        assert f"#{ticket}" in answer[0].text
        assert await staff_messages(app, ticket) == ["It is on its way."]
    finally:
        await h.stop()
        await app.close()
    fake.assert_no_violations()


# ----------------------------------------------------------------------------- review (outside attacker)
async def test_a_flood_of_refused_commands_cannot_silence_the_staff_chat(
    harness: Harness, vtime: VirtualTime, caplog
) -> None:
    """A group gets 20 messages a minute: a member who is answered every time can use up the
    bot's whole budget and delay customers' forwards and staff answers. One answer per person
    per minute; every attempt is still logged."""
    h = harness
    claim = await claim_under_review(h)
    caplog.set_level(logging.WARNING)
    answers = []
    for _ in range(25):
        answers += await says(h, MALLORY, f"/approve {claim.id}")
    answers += await says(
        h, MALLORY, "any news?", reply_to=(await says_raw(h, STAFF_ADMIN, "/queue"))
    )
    assert [NOT_STAFF in a.text for a in answers] == [True]
    refused = [
        r
        for r in caplog.records
        if "refused" in r.getMessage() and "telegram:666" in r.getMessage()
    ]
    assert len(refused) == 25  # the chatter reply to a non-forward is not even a refusal
    assert (
        "waiting for review" in (await says(h, STAFF_ADMIN, "/queue"))[0].text
    )  # staff still served
    vtime.now += 61
    assert NOT_STAFF in (await says(h, MALLORY, "/queue"))[0].text  # answered again a minute later
    assert (await h.app.desk.find_claim(claim.id)).status is ClaimStatus.UNDER_REVIEW


async def says_raw(h: Harness, user_id: int, text: str) -> int:
    """``user_id`` writes ``text`` in the staff group; the id of the bot's last answer there."""
    await says(h, user_id, text)
    return h.fake.sent(STAFF_CHAT)[-1]["message_id"]


async def test_a_forwarded_command_or_answer_is_not_the_forwarders(harness: Harness) -> None:
    """An admin forwards into the group a message someone else wrote ("/approve ...", "/reply
    ..."): it is that person's text, not the admin's command; it is chatter."""
    h = harness
    claim = await claim_under_review(h)
    await open_ticket(h, OTHER_CUSTOMER, "Where is my code?")
    await h.pump()
    ticket = (await h.app.support.list_open())[0].id
    mark = len(h.fake.calls)
    for text in (
        f"/approve {claim.id}",
        f"/reply {ticket} Your code is on its way",
        f"/close {ticket}",
    ):
        await h.feed(
            h.fake.forward_text(STAFF_ADMIN, text, chat_id=STAFF_CHAT, origin_user_id=MALLORY)
        )
    assert replies_in(h.fake.calls[mark:], STAFF_CHAT) == []
    assert (await h.app.desk.find_claim(claim.id)).status is ClaimStatus.UNDER_REVIEW
    assert await staff_messages(h.app, ticket) == []
    assert (await h.app.support.get(ticket)).status == "open"


async def test_a_reply_to_the_forward_of_a_closed_ticket_reaches_nobody(harness: Harness) -> None:
    """The ticket was closed and the customer opened a new one: a late reply to the old
    forward answers neither (the new request has its own forward)."""
    h = harness
    chat = await open_ticket(h, OTHER_CUSTOMER, "Where is my code?")
    await h.pump()
    old = (await h.app.support.list_open())[0].id
    old_forward = forwards(h)[old]
    assert "Closed" in (await says(h, STAFF_ADMIN, f"/close {old}"))[0].text
    await h.pump()
    await chat.command("start")
    await chat.tap("support")
    await chat.text("Still nothing")
    await h.pump()
    new = (await h.app.support.list_open())[0].id
    assert new != old
    before = await chat.notifications()
    answer = await says(h, COLLEAGUE, "Here is your code: ABCD", reply_to=old_forward)
    assert f"#{old} is closed" in answer[0].text
    assert await staff_messages(h.app, old) == [] and await staff_messages(h.app, new) == []
    assert not any("ABCD" in r.text for r in before + await chat.notifications())


async def test_edited_messages_and_captions_are_not_commands(harness: Harness) -> None:
    """An admin's photo captioned "/approve ..." and an edit of a message into a command
    ("edited_message" is not even subscribed to) run nothing."""
    from tests.conftest import jpeg

    h = harness
    claim = await claim_under_review(h)
    mark = len(h.fake.calls)
    await h.feed(
        h.fake.send_photo(
            STAFF_ADMIN, jpeg(64, 64), caption=f"/approve {claim.id}", chat_id=STAFF_CHAT
        )
    )
    update = h.fake.send_text(STAFF_ADMIN, "lunch?", chat_id=STAFF_CHAT)
    edited = dict(
        update["message"],
        text=f"/approve {claim.id}",
        edit_date=update["message"]["date"] + 1,
        entities=[{"type": "bot_command", "offset": 0, "length": 8}],
    )
    await h.feed({"update_id": update["update_id"] + 1000, "edited_message": edited})
    assert replies_in(h.fake.calls[mark:], STAFF_CHAT) == []
    assert (await h.app.desk.find_claim(claim.id)).status is ClaimStatus.UNDER_REVIEW


async def test_a_wordless_reply_to_a_customers_post_is_not_lost_silently(harness: Harness) -> None:
    """Staff reply to a customer's post with a photo: nothing is passed on (only words reach a
    customer), and staff are told so instead of believing they answered."""
    from tests.conftest import jpeg

    h = harness
    chat = await open_ticket(h, OTHER_CUSTOMER, "Where is the S/N?")
    await h.pump()
    ticket = (await h.app.support.list_open())[0].id
    mark = len(h.fake.calls)
    photo = h.fake.send_photo(
        STAFF_ADMIN,
        jpeg(64, 64),
        caption="see here",
        chat_id=STAFF_CHAT,
        reply_to_message_id=forwards(h)[ticket],
    )
    await h.feed(photo)
    answer = replies_in(h.fake.calls[mark:], STAFF_CHAT)
    assert len(answer) == 1 and "only text reaches the customer" in answer[0].text
    assert await staff_messages(h.app, ticket) == [] and await chat.notifications() == []
    mark = len(h.fake.calls)
    await h.feed(
        h.fake.send_photo(
            MALLORY, jpeg(64, 64), chat_id=STAFF_CHAT, reply_to_message_id=forwards(h)[ticket]
        )
    )
    assert NOT_STAFF in replies_in(h.fake.calls[mark:], STAFF_CHAT)[0].text


async def test_a_command_for_some_bot_is_not_run_when_we_cannot_tell_our_name(
    harness: Harness,
) -> None:
    """getMe fails: "/approve@other_shop_bot 12" may well be another bot's; not run (fail
    closed). Once our name is known, commands addressed to us work."""
    h = harness
    claim = await claim_under_review(h)
    h.fake.fail_next("getMe", status=502, times=50)
    assert await says(h, STAFF_ADMIN, f"/approve@other_shop_bot {claim.id}") == []
    assert (await h.app.desk.find_claim(claim.id)).status is ClaimStatus.UNDER_REVIEW
    h.fake.clear_faults()
    assert "✅" in (await says(h, STAFF_ADMIN, f"/approve@Redeem_Test_Bot {claim.id}"))[0].text
