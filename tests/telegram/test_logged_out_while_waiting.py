"""A prize code must not go to a chat that was logged out while its message waited (the
accounts attack review): a notification checked, then held by the chat's rate limit or by
a turn in progress, is checked again right before it is sent; replies kept in the outbox
during an outage go only to a chat still logged in as the member they were for."""

from __future__ import annotations

import asyncio

import pytest

from bot.channels.telegram.port import CHANNEL
from handlers.io import Reply
from states import ConversationKey
from tests.telegram.conftest import CUSTOMER, VirtualTime, open_harness

FRAMEWORKS = ["aiogram", "ptb", "wire"]

CODE = "STEAM-ABCDE-FGHIJ-KLMNO"


class Gate:
    """The limiter's sleep, held until the test opens it (a rate-limit wait on demand)."""

    def __init__(self, clock: VirtualTime) -> None:
        self.clock = clock
        self.waiting = asyncio.Event()
        self.open = asyncio.Event()

    async def sleep(self, seconds: float) -> None:
        self.waiting.set()
        await self.open.wait()
        self.clock.now += max(0.0, seconds)


@pytest.fixture(params=FRAMEWORKS)
async def harness(request, fake, tg_app):
    clock = VirtualTime()
    h = await open_harness(request.param, fake, tg_app, clock)
    yield h
    await h.stop()


def thief_key() -> ConversationKey:
    return ConversationKey(CHANNEL, str(CUSTOMER), str(CUSTOMER))


def texts(fake) -> list[str]:
    return [m.get("text") or m.get("caption") or "" for m in fake.sent(CUSTOMER)]


async def test_a_code_held_by_the_rate_limit_is_not_sent_after_the_owner_ends_the_log_in(
    harness, fake
):
    app, bridge = harness.app, harness.bridge
    key = thief_key()
    await app.links.link("owner-member", key)
    gate = Gate(bridge.outgoing.limiter.clock)
    bridge.outgoing.limiter.sleep = gate.sleep
    bridge.outgoing.limiter.hold(CUSTOMER, 5.0)  # a 429 for this chat: the next message waits
    sending = asyncio.create_task(bridge.outgoing.notify(key, [Reply(text=f"Your code: {CODE}")]))
    await asyncio.wait_for(gate.waiting.wait(), 30)  # checked, now waiting for its slot
    assert await app.links.end_logins("owner-member") == 1  # the owner's "Log out everywhere"
    gate.open.set()
    assert await asyncio.wait_for(sending, 30) is False  # not sent: stays for a logged-in chat
    assert not any(CODE in t for t in texts(fake))


async def test_a_code_held_behind_a_turn_in_progress_is_not_sent_after_a_reset(harness, fake):
    app, bridge = harness.app, harness.bridge
    key = thief_key()
    await app.links.link("owner-member", key)
    async with bridge.outgoing.serial(key):  # the thief's own turn is running in this chat
        reply = Reply(
            text=f"Your code: {CODE}", for_member="owner-member"
        )  # as the engine sends it
        sending = asyncio.create_task(bridge.outgoing.notify(key, [reply]))
        for _ in range(20):
            await asyncio.sleep(0)
        await app.links.end_logins("owner-member", keep=ConversationKey(CHANNEL, "1", "1"))
    assert await asyncio.wait_for(sending, 30) is False
    assert not any(CODE in t for t in texts(fake))


async def test_replies_kept_in_the_outbox_go_only_to_a_chat_still_logged_in_as_their_member(
    harness, fake
):
    """During an outage the thief's "My claims" (with the code) waits in the outbox; the
    owner resets the password meanwhile; the outage ends: nothing goes to the thief."""
    app, bridge = harness.app, harness.bridge
    key = thief_key()
    await app.links.link("owner-member", key)
    await bridge.outgoing.kept.keep(key, [Reply(text=f"Claim approved, code {CODE}")])
    await app.links.end_logins("owner-member")
    await harness.pump()
    assert not any(CODE in t for t in texts(fake))
    assert await app.outbox.take_due(50) == []  # dropped, not retried for ever


async def test_the_outbox_still_delivers_to_a_chat_that_stayed_logged_in(harness, fake):
    app, bridge = harness.app, harness.bridge
    key = thief_key()
    await app.links.link("owner-member", key)
    await bridge.outgoing.kept.keep(key, [Reply(text=f"Claim approved, code {CODE}")])
    await harness.pump()
    assert any(CODE in t for t in texts(fake))


async def test_a_guests_outbox_replies_still_go_out(harness, fake):
    """A chat with no account (support answers to a guest) is not a log-in to check."""
    bridge = harness.bridge
    key = thief_key()
    await bridge.outgoing.kept.keep(key, [Reply(text="An answer from support")])
    await harness.pump()
    assert any("An answer from support" in t for t in texts(fake))


async def test_a_turn_in_progress_when_the_owner_logs_out_everywhere_sends_nothing(harness, fake):
    """The thief's chat asks for its claims; the answer waits for its slot; the owner taps
    "Log out everywhere" meanwhile: the answer (which may list a code) is not sent."""
    from tests.conversation.journeys import sign_up
    from tests.telegram.conftest import InProcessChat

    app, bridge = harness.app, harness.bridge
    chat = InProcessChat(harness)
    await sign_up(chat)
    key = thief_key()
    member = await app.links.member_for(key)
    assert member
    gate = Gate(bridge.outgoing.limiter.clock)
    bridge.outgoing.limiter.sleep = gate.sleep
    bridge.outgoing.limiter.hold(CUSTOMER, 5.0)
    before = len(fake.sent(CUSTOMER))
    turn = asyncio.create_task(chat.command("claims"))
    await asyncio.wait_for(gate.waiting.wait(), 30)  # the turn ran; its answer waits
    await app.links.end_logins(member)
    gate.open.set()
    await asyncio.wait_for(turn, 30)
    assert fake.sent(CUSTOMER)[before:] == []


async def test_an_approved_code_waiting_for_its_slot_is_not_sent_after_a_reset(harness, fake):
    """The whole path: staff approve, the pump checks the chat and waits on its rate limit;
    the owner resets the password elsewhere (every other log-in ends); the code is not sent
    to the thief's chat, and is not lost: "My claims" has it for the owner."""
    from tests.conversation.journeys import redeem, register_product, sign_up
    from tests.telegram.conftest import InProcessChat
    from tests.telegram.scenarios import staff_says

    app, bridge = harness.app, harness.bridge
    chat = InProcessChat(harness)
    await sign_up(chat)
    await register_product(chat)
    await redeem(chat)
    member = await app.links.member_for(thief_key())
    claims = await app.desk.review_queue()
    await staff_says(harness, f"/approve {claims[0].id}")
    before = len(fake.sent(CUSTOMER))
    gate = Gate(bridge.outgoing.limiter.clock)
    bridge.outgoing.limiter.sleep = gate.sleep
    bridge.outgoing.limiter.hold(CUSTOMER, 5.0)
    pump = asyncio.create_task(harness.pump())
    await asyncio.wait_for(gate.waiting.wait(), 30)
    await app.links.end_logins(member, keep=ConversationKey(CHANNEL, "1", "1"))
    gate.open.set()
    await asyncio.wait_for(pump, 30)
    assert fake.sent(CUSTOMER)[before:] == []
    claim = (await app.backend.list_claims(member))[0]
    assert claim.status.value == "success"  # the code is the owner's, in "My claims"
