"""One sticker, one registration, through the conversation: a second spelling of a serial
(letter O for digit zero...) is answered "already registered", by another member or the same
one, and staff get a conflict record."""

from __future__ import annotations

from tests.conftest import Chat
from tests.conversation.journeys import register_product, sign_up


async def test_another_member_typing_the_other_spelling_is_told_it_is_registered(
    chat: Chat,
) -> None:
    await sign_up(chat)
    await register_product(chat, serial="BO3T01946000V")
    assert "Registered" in chat.text_all
    other = Chat(chat.app, user="3003")
    await sign_up(other, email="other@example.com", first="Olli")
    await register_product(other, serial="B03T01946000V")
    assert "already registered to another account" in other.text_all
    assert "Registered:" not in other.text_all
    assert await other.current_state() == "reg.serial"
    member_id = (await other.app.sessions.load(other.key)).member_id
    assert await other.app.backend.list_products(member_id) == []
    [conflict] = await chat.app.desk.serial_conflicts()
    assert (conflict.member_id, conflict.serial) == (member_id, "B03T01946000V")


async def test_the_same_member_cannot_register_both_spellings(chat: Chat) -> None:
    await sign_up(chat)
    await register_product(chat, serial="BO3T01946000V")
    await register_product(chat, serial="B03T01946000V")
    assert "You have already registered the serial number B03T01946000V" in chat.text_all
    member_id = (await chat.app.sessions.load(chat.key)).member_id
    assert [p.serial for p in await chat.app.backend.list_products(member_id)] == ["BO3T01946000V"]


async def test_staff_see_conflicts_in_the_staff_chat(chat: Chat) -> None:
    from tests.conversation.test_journeys import staff_room

    room, anna = staff_room(chat)
    assert (await room.handle("/conflicts", anna))[0].key == "staff.conflicts_empty"
    await sign_up(chat)
    await register_product(chat, serial="BO3T01946000V")
    other = Chat(chat.app, user="3003")
    await sign_up(other, email="other@example.com", first="Olli")
    await register_product(other, serial="B03T01946000V")
    [reply] = await room.handle("/conflicts", anna)
    assert reply.key == "staff.conflicts_title"
    assert "B03T01946000V" in reply.text and "register" in reply.text
    assert "other@example.com" not in reply.text and "Olli" not in reply.text


async def test_retyped_serial_of_a_product_with_a_prize_is_refused_kindly(chat: Chat) -> None:
    """A laptop won "Level Up"; its "Gear Up" claim is rejected for a serial mismatch. Re-typing
    another serial would free the sticker's serial for a second registration: the customer is
    told to contact support, and the product keeps its serial."""
    from backend.port import RejectReason
    from tests.conversation.journeys import redeem, reject_and_redeem_again

    await sign_up(chat)
    await register_product(chat, category="Laptop", serial="BO3T01946000V")
    await redeem(chat, "Level Up Your Rig")
    [won] = await chat.app.desk.review_queue()
    assert (await chat.app.desk.approve(won.id, "anna")).prize_code
    await chat.notifications()
    await redeem(chat, "Gear Up Backpack")
    await reject_and_redeem_again(chat, RejectReason.SN_MISMATCH, "")
    await chat.text("BA3T07777777V")
    await chat.tap("Confirm")
    assert "its serial number can't be changed here" in chat.text_all
    assert "went wrong" not in chat.text_all
    member_id = (await chat.app.sessions.load(chat.key)).member_id
    assert [p.serial for p in await chat.app.backend.list_products(member_id)] == ["BO3T01946000V"]
    assert await chat.app.desk.review_queue() == []
