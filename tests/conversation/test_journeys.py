"""Every journey end to end through the engine, with a collecting output channel."""

from __future__ import annotations

from backend.port import ClaimStatus, RejectReason
from tests.conftest import Chat, jpeg
from tests.conversation.journeys import (
    PASSWORD,
    log_in,
    redeem,
    register_product,
    reject_and_redeem_again,
    sign_up,
)


async def test_claim_from_sign_up_to_code(chat: Chat) -> None:
    await sign_up(chat)
    await register_product(chat)
    assert "Registered" in chat.text_all
    assert "qualifies for" in chat.text_all
    await redeem(chat)
    claims = await chat.app.desk.review_queue()
    assert len(claims) == 1 and claims[0].status == ClaimStatus.UNDER_REVIEW
    await chat.command("status")
    assert "under review" in chat.text_all.lower()
    await chat.app.desk.approve(claims[0].id, "staff-anna")
    news = await chat.notifications()
    assert len(news) == 1 and news[0].key == "notify.success"
    code = (
        await chat.app.backend.list_claims(
            chat.app.sessions and (await chat.app.sessions.load(chat.key)).member_id
        )
    )[0].prize_code
    assert code and code in news[0].text
    assert await chat.notifications() == []  # delivered once
    await chat.command("status")
    assert "Redeem Success" in chat.text_all


async def test_rejected_claim_redeemed_again_then_success(chat: Chat) -> None:
    await sign_up(chat)
    await register_product(chat)
    await redeem(chat)
    claim = (await chat.app.desk.review_queue())[0]
    await chat.app.desk.reject(claim.id, RejectReason.INVOICE_MISSING_MODEL, "", "staff")
    news = await chat.notifications()
    assert news[0].key == "notify.rejected"
    assert "product name (model)" in news[0].text
    await chat.tap("Redeem again")
    assert "Send a new photo of your invoice" in chat.text_all
    await chat.photo(jpeg(1300, 1000, (90, 90, 90)))
    assert "back for review" in chat.text_all
    await chat.tap("Confirm")
    assert "successfully sent" in chat.text_all
    again = (await chat.app.desk.review_queue())[0]
    assert again.id == claim.id and again.attempts == 2 and again.invoice != claim.invoice
    assert again.sn_photo == claim.sn_photo  # kept
    await chat.app.desk.approve(claim.id, "staff")
    news = await chat.notifications()
    assert news[0].key == "notify.success"


async def test_rejected_for_address_edits_fields_only(chat: Chat) -> None:
    await sign_up(chat)
    await register_product(chat)
    await redeem(chat)
    await reject_and_redeem_again(chat, RejectReason.ADDRESS_INCOMPLETE, "Please add the floor.")
    assert "Please add the floor." in chat.text_all
    assert "Please check your redemption" in chat.text_all
    await chat.tap("Apartment")
    await chat.text("3rd floor")
    await chat.tap("Confirm")
    again = (await chat.app.desk.review_queue())[0]
    assert again.recipient.unit == "3rd floor" and again.recipient.street == "Invalidenstr. 1"


async def test_log_out_and_in_again(chat: Chat) -> None:
    await sign_up(chat)
    await chat.command("logout")
    assert "logged out" in chat.text_all
    await log_in(chat, password="wrong-password1")
    assert "not correct" in chat.text_all
    await chat.text(PASSWORD)
    assert "Welcome back" in chat.text_all
    assert chat.deleted_inputs >= 4  # both sign-up passwords and both log-in attempts


async def test_account_locks_after_repeated_failures(chat: Chat) -> None:
    await sign_up(chat)
    await chat.command("logout")
    await chat.command("login")
    await chat.text("jamie@example.com")
    for _ in range(5):
        await chat.text("wrong-password1")
    assert "locked" in chat.text_all
    await chat.command("login")
    await chat.text("jamie@example.com")
    await chat.text(PASSWORD)
    assert "locked" in chat.text_all


async def test_profile_edit(chat: Chat) -> None:
    await sign_up(chat)
    await chat.command("profile")
    assert "jamie@example.com" in chat.text_all
    await chat.tap("First name")
    await chat.text("Jay")
    assert "Saved" in chat.text_all and "Jay" in chat.text_all


async def test_change_password_from_the_profile(chat: Chat) -> None:
    new = "N3w-passw0rd-2026"
    await sign_up(chat)
    await chat.command("profile")
    await chat.tap("Change password")
    assert "current one" in chat.text_all
    deleted = chat.deleted_inputs
    await chat.text("not-my-passw0rd")
    assert "not your current password" in chat.text_all
    await chat.text(PASSWORD)
    assert "new password" in chat.text_all
    await chat.text("short1")
    assert "at least" in chat.text_all  # the same rules as at sign-up
    await chat.text(new)
    await chat.text(new + "x")
    assert "don't match" in chat.text_all and "new password" in chat.text_all
    await chat.text(new)
    await chat.text(new)
    assert "password is changed" in chat.text_all and "Your profile" in chat.text_all
    assert chat.deleted_inputs - deleted == 7  # every password message left the chat
    assert "_pw" not in str((await chat.app.sessions.load(chat.key)).scratch)
    await chat.command("logout")
    await log_in(chat, password=PASSWORD)
    assert "not correct" in chat.text_all
    await log_in(chat, password=new)
    assert "Welcome back" in chat.text_all


async def test_change_password_back_and_skipping_ahead(chat: Chat) -> None:
    await sign_up(chat)
    await chat.command("profile")
    await chat.tap("Change password")
    await chat.tap("Back")
    assert "Your profile" in chat.text_all
    session = await chat.app.sessions.load(chat.key)
    session.state = "password.new_confirm"  # e.g. an old session: no current password given
    await chat.app.sessions.save(session)
    await chat.command("help")
    assert await chat.current_state() == "password.current"


async def test_change_password_cancel_menu_commands_and_lock_out(chat: Chat) -> None:
    new = "N3w-passw0rd-2026"

    async def scratch() -> dict:
        return dict((await chat.app.sessions.load(chat.key)).scratch)

    await sign_up(chat)
    await chat.command("profile")
    await chat.tap("Change password")
    await chat.text(PASSWORD)
    await chat.text(new)
    await chat.command("cancel")
    assert "password is unchanged" in chat.text_all and await chat.current_state() == "menu"
    assert not any(k.startswith("_pw") for k in await scratch())
    await chat.command("profile")
    await chat.tap("Change password")
    await chat.text(PASSWORD)
    await chat.command("menu")
    assert not any(k.startswith("_pw") for k in await scratch())
    await chat.command("profile")
    await chat.tap("Change password")
    await chat.command("profile")  # a command of ours, not a password guess
    assert "Your profile" in chat.text_all and "not your current password" not in chat.text_all
    await chat.tap("Change password")
    for _ in range(5):
        await chat.text("wrong-passw0rd")
    assert "locked" in chat.text_all and "Your profile" in chat.text_all
    assert await chat.current_state() == "profile"


async def test_faq_menu_and_free_text(chat: Chat) -> None:
    await chat.command("start")
    await chat.tap("FAQ")
    await chat.tap("How long")
    assert "7-14 working days" in chat.text_all
    await chat.command("menu")
    await chat.text("how long do I have to wait for my gift?")
    assert "8-12 weeks" in chat.text_all


async def test_support_handoff_round_trip(chat: Chat) -> None:
    await chat.command("support")
    await chat.text("My invoice has no model name, what can I do?")
    assert "Nobody has answered yet" in chat.text_all
    await chat.text("It is from a local shop.")
    assert "Added" in chat.text_all
    tickets = await chat.app.support.list_open()
    assert len(tickets) == 1
    await chat.app.support.add_message(
        tickets[0].id, "staff", "Ask the shop for an itemised invoice.", staff_name="anna"
    )
    news = await chat.notifications()
    assert "itemised invoice" in news[0].text
    await chat.command("support")
    await chat.tap("Close request")
    assert "closed" in chat.text_all


async def test_physical_prize_approved_then_shipped(chat: Chat) -> None:
    await sign_up(chat)
    await register_product(
        chat,
        category="Gaming Gear",
        name="CLUTCH GM41",
        model="S12-0402060",
        serial="K2203N0123456",
    )
    promos = [
        e
        for e in await chat.app.backend.eligibility(
            (await chat.app.sessions.load(chat.key)).member_id, chat.app.ports.clock().date()
        )
        if e.ok
    ]
    physical = next(e.promotion for e in promos if e.promotion.prize_kind.value == "physical")
    await redeem(chat, promotion=physical.name)
    claim = (await chat.app.desk.review_queue())[0]
    await chat.app.desk.approve(claim.id, "staff")
    news = await chat.notifications()
    assert news[0].key == "notify.approved_physical" and "8-12 weeks" in news[0].text
    await chat.app.desk.mark_shipped(claim.id, "staff", tracking="DHL 00340434")
    news = await chat.notifications()
    assert news[0].key == "notify.shipped" and "DHL 00340434" in news[0].text
    await chat.command("status")
    assert "Shipped" in chat.text_all


def staff_room(chat: Chat):
    """The staff journey in room "staff" where "anna" (id 7) is on the allow-list."""
    from handlers.staff import StaffIdentity, StaffPolicy, StaffRoom

    policy = StaffPolicy(room="staff", allowed=frozenset({"7"}))
    room = StaffRoom(chat.app.desk, chat.app.support, chat.app.catalog, policy=policy)
    return room, StaffIdentity("test", "7", "anna", room="staff")


async def test_staff_room_answers_and_closes_a_support_request(chat: Chat) -> None:
    room, anna = staff_room(chat)
    await chat.command("support")
    await chat.text("Where is my code?")
    ticket = (await chat.app.support.list_open())[0]
    waiting = await chat.app.support.undelivered("customer")
    forwarded = [room.forward(m) for m in waiting]
    assert f"#{ticket.id}" in forwarded[0].text and "Where is my code?" in forwarded[0].text
    await chat.app.support.mark_forwarded("staff", [501], waiting[0])  # posted as message 501
    replies = await room.handle("It is on its way.", anna, reply_to=501)
    assert replies[0].key == "staff.reply_sent"
    assert "It is on its way." in (await chat.notifications())[0].text
    assert (await room.handle(f"/close {ticket.id}", anna))[0].key == "staff.closed"
    news = await chat.notifications()
    assert news[0].key == "support.closed_by_staff"
    assert not await chat.app.support.has_open(chat.key)


async def test_staff_room_review_desk(chat: Chat) -> None:
    room, anna = staff_room(chat)
    assert (await room.handle("/queue", anna))[0].key == "staff.queue_empty"
    await sign_up(chat)
    await register_product(chat)
    await redeem(chat)
    claim = (await chat.app.desk.review_queue())[0]
    assert claim.id in (await room.handle("/queue", anna))[0].text
    shown = await room.handle(f"/show {claim.id}", anna)
    assert [r.image for r in shown[1:]] == [claim.invoice, claim.sn_photo]
    assert (await room.handle(f"/reject {claim.id} nonsense", anna))[
        0
    ].key == "staff.unknown_reason"
    assert (await room.handle(f"/reject {claim.id} sn_photo_on_package", anna))[
        0
    ].key == "staff.rejected"
    assert (await chat.notifications())[0].key == "notify.rejected"
    assert (await room.handle(f"/approve {claim.id}", anna))[0].key == "error.invalid_transition"
    assert await room.handle("just chatting", anna) == []
    assert await room.handle("/otherbot_command", anna) == []


async def test_password_is_nowhere_in_storage_or_logs(chat: Chat, tmp_path, caplog) -> None:
    import logging

    caplog.set_level(logging.DEBUG)
    await sign_up(chat)
    await chat.command("logout")
    await chat.command("login")
    await chat.text("jamie@example.com")
    await chat.text(PASSWORD)
    new = "Changed-passw0rd"
    await chat.command("profile")
    await chat.tap("Change password")
    for text in (PASSWORD, new, new):
        await chat.text(text)
    assert "password is changed" in chat.text_all
    await chat.app.close()  # flush everything to disk
    for secret in (PASSWORD, new):
        for path in tmp_path.rglob("*"):
            if path.is_file():
                assert secret.encode() not in path.read_bytes(), path
        assert secret not in caplog.text
        assert all(secret not in r.text for r in chat.history)


async def test_serial_mismatch_is_fixed_by_retyping_the_serial(chat: Chat) -> None:
    await sign_up(chat)
    await register_product(chat)
    await redeem(chat)
    await reject_and_redeem_again(chat, RejectReason.SN_MISMATCH, "")
    assert "Type the serial number" in chat.text_all
    await chat.text("BA3T01946001V")
    assert "BA3T01946001V" in chat.text_all
    await chat.tap("Confirm")
    again = (await chat.app.desk.review_queue())[0]
    assert again.serial == "BA3T01946001V" and again.attempts == 2


async def test_redeem_again_for_fields_cannot_switch_the_product(chat: Chat) -> None:
    await sign_up(chat)
    await register_product(chat)
    await redeem(chat)
    await reject_and_redeem_again(chat, RejectReason.ADDRESS_INCOMPLETE, "")
    labels = [label for r in chat.replies for label in r.labels()]
    assert not any("Product" in label or "Promotion" in label for label in labels)
    assert any("Zip code" in label for label in labels)


async def test_news_for_logged_out_members_do_not_hold_up_others(chat: Chat) -> None:
    await sign_up(chat)
    await register_product(chat)
    await redeem(chat)
    await chat.command("logout")
    mine = (await chat.app.desk.review_queue())[0]
    await chat.app.desk.reject(mine.id, RejectReason.OTHER, "Please call us.", "staff")
    other = Chat(chat.app, user="4004")
    await sign_up(other, email="other@example.com", first="Olli")
    await register_product(other, serial="K2203N0123456")
    await redeem(other)
    theirs = (await chat.app.desk.review_queue())[0]
    await chat.app.desk.approve(theirs.id, "staff")
    assert await other.notifications(limit=1) == []  # the oldest event: a logged-out member's
    assert (await other.notifications(limit=1))[0].key == "notify.success"  # not held up behind it


async def test_two_replicas_deliver_a_code_once(chat: Chat, tmp_path, clock) -> None:
    import asyncio

    from bot.app import build_app
    from tests.conftest import make_settings

    await sign_up(chat)
    await register_product(chat)
    await redeem(chat)
    await chat.app.desk.approve((await chat.app.desk.review_queue())[0].id, "staff")
    replica = await build_app(make_settings(tmp_path), clock=clock)
    try:
        sent = []

        async def send(key, replies) -> bool:
            sent.extend(r.key for r in replies)
            return True

        await asyncio.gather(
            chat.app.engine.deliver_notifications(send), replica.engine.deliver_notifications(send)
        )
        assert sent == ["notify.success"]
    finally:
        await replica.close()


async def test_two_replicas_pass_on_a_staff_answer_once_and_in_order(
    chat: Chat, tmp_path, clock
) -> None:
    import asyncio

    from bot.app import build_app
    from tests.conftest import make_settings

    await chat.command("support")
    await chat.text("My code does not work")
    ticket = (await chat.app.support.list_open())[0]
    for text in ("First: which shop?", "Second: and when?"):
        await chat.app.support.add_message(ticket.id, "staff", text, staff_name="anna")
    await chat.app.support.close_ticket(ticket.id)
    await chat.app.support.add_message(ticket.id, "system", "closed")
    replica = await build_app(make_settings(tmp_path), clock=clock)
    try:
        sent = []

        async def send(key, replies) -> bool:
            await asyncio.sleep(0.01)  # a send takes a while: the other replica polls meanwhile
            sent.extend(r.text for r in replies)
            return True

        await asyncio.gather(
            chat.app.engine.deliver_notifications(send), replica.engine.deliver_notifications(send)
        )
        await asyncio.gather(
            chat.app.engine.deliver_notifications(send), replica.engine.deliver_notifications(send)
        )
        assert len(sent) == 3, sent
        assert "First: which shop?" in sent[0] and "Second: and when?" in sent[1], sent
    finally:
        await replica.close()


async def test_staff_answers_are_not_sent_on_a_lease_that_ran_out(chat: Chat, monkeypatch) -> None:
    import storage.links.support_delivery as delivery

    await chat.command("support")
    await chat.text("Hello?")
    ticket = (await chat.app.support.list_open())[0]
    await chat.app.support.add_message(
        ticket.id, "staff", "Hi, how can we help?", staff_name="anna"
    )
    monkeypatch.setattr(delivery, "LEASE_USABLE", 0.0)  # the lease is over at once
    assert await chat.notifications() == []
    monkeypatch.setattr(delivery, "LEASE_USABLE", 0.75)
    news = await chat.notifications()  # given back at once, not after the lease
    assert [r.key for r in news] == ["support.answer"], [r.key for r in news]


async def test_product_without_promotion_says_why_specifically(chat: Chat) -> None:
    await sign_up(chat)
    await register_product(chat, date="2024-12-01")
    assert "can't be redeemed" in chat.text_all
    assert (
        "purchased 2024-12-01, before the Level Up Your Rig purchase window 2025-01-01..2030-12-31"
        in chat.text_all
    )
    await chat.command("products")
    assert "before the Level Up Your Rig purchase window" in chat.text_all
    assert (
        "Go Forward and Upgrade" not in chat.text_all
    )  # closed years ago: not the reason that matters


async def test_guest_sees_promotions(chat: Chat) -> None:
    await chat.command("start")
    await chat.tap("Promotions")
    assert "Level Up Your Rig" in chat.text_all and chat.keys[0] == "promo.title"


async def test_faq_one_clear_keyword(chat: Chat) -> None:
    await chat.command("faq")
    for question, answer in (
        ("what is CHK", "3-digit code"),
        ("invoice", "model name"),
        ("my claim was incomplete what now", "Redeem again"),
    ):
        await chat.text(question)
        assert answer in chat.text_all, (question, chat.text_all)


async def test_staff_answer_offers_reply_and_close(chat: Chat) -> None:
    await chat.command("support")
    await chat.text("Hello?")
    ticket = (await chat.app.support.list_open())[0]
    await chat.app.support.add_message(
        ticket.id, "staff", "Hi, how can we help?", staff_name="anna"
    )
    await chat.notifications()
    await chat.tap("Close request")
    assert chat.keys[0] == "support.closed"
    assert not await chat.app.support.has_open(chat.key)


async def test_other_reason_lets_the_customer_send_a_new_invoice(chat: Chat) -> None:
    await sign_up(chat)
    await register_product(chat)
    await redeem(chat)
    claim = await reject_and_redeem_again(
        chat, RejectReason.OTHER, "The invoice date is outside the period."
    )
    await chat.tap("new invoice")
    await chat.photo(jpeg(1100, 900, (1, 2, 3)))
    await chat.tap("Confirm")
    again = (await chat.app.desk.review_queue())[0]
    assert again.invoice != claim.invoice and again.attempts == 2
