"""Issue 11 item 1: "Redeem again" must change what the reason names; the same address, the
same photo (same content) or the same serial is answered plainly: nothing changed."""

from __future__ import annotations

from backend.port import RejectReason
from tests.conftest import Chat, jpeg
from tests.conversation.journeys import redeem, register_product, reject_and_redeem_again, sign_up

SN_PHOTO = jpeg(1000, 800, (10, 20, 30))  # the photo redeem_to_summary sends


async def rejected(chat: Chat, reason: RejectReason) -> str:
    await sign_up(chat)
    await register_product(chat)
    await redeem(chat)
    return (await reject_and_redeem_again(chat, reason, "")).id


async def claim_status(chat: Chat, claim_id: str) -> str:
    member_id = (await chat.app.sessions.load(chat.key)).member_id
    return (await chat.app.backend.get_claim(member_id, claim_id)).status.value


async def test_address_incomplete_confirm_at_once_is_told_nothing_changed(chat: Chat) -> None:
    claim_id = await rejected(chat, RejectReason.ADDRESS_INCOMPLETE)
    assert "Please check your redemption" in chat.text_all
    await chat.tap("Confirm")
    assert chat.replies[0].key == "again.nothing_changed", chat.keys
    assert await claim_status(chat, claim_id) == "rejected"  # nothing resubmitted
    assert await chat.current_state() == "redeem.summary"
    await chat.tap("✏ Apartment")
    await chat.text("3rd floor")
    await chat.tap("Confirm")
    assert "successfully sent" in chat.text_all, chat.text_all
    assert await claim_status(chat, claim_id) == "under_review"


async def test_the_same_sn_photo_is_refused_a_new_one_is_taken(chat: Chat) -> None:
    claim_id = await rejected(chat, RejectReason.SN_PHOTO_ON_PACKAGE)
    assert await chat.current_state() == "again.sn_photo"
    await chat.photo(SN_PHOTO)  # the very same picture, sent again
    assert "again.same_sn_photo" in chat.keys, chat.keys
    assert await chat.current_state() == "again.sn_photo"
    await chat.photo(jpeg(1000, 800, (90, 20, 30)))
    assert await chat.current_state() == "again.summary"
    await chat.tap("Confirm")
    assert await claim_status(chat, claim_id) == "under_review"


async def test_the_same_serial_is_refused_another_is_taken(chat: Chat) -> None:
    claim_id = await rejected(chat, RejectReason.SN_MISMATCH)
    await chat.text("BA3T01946000V")  # what was reviewed
    assert chat.replies[0].key == "again.same_serial", chat.keys
    assert await chat.current_state() == "again.serial"
    assert "Level Up Your Rig" in chat.replies[-1].text  # asked again, for the promotion
    await chat.text("BA3T07777777V")
    assert await chat.current_state() == "again.summary", chat.text_all
    await chat.tap("Confirm")
    assert await claim_status(chat, claim_id) == "under_review"


async def test_the_same_invoice_picture_is_refused_a_new_one_is_taken(chat: Chat) -> None:
    claim_id = await rejected(chat, RejectReason.INVOICE_UNREADABLE)
    assert await chat.current_state() == "again.invoice", chat.text_all
    await chat.photo(jpeg())  # the very picture sent at registration (register_product's)
    assert "again.same_invoice" in chat.keys, chat.keys
    assert await chat.current_state() == "again.invoice"
    assert await claim_status(chat, claim_id) == "rejected"  # nothing resubmitted
    await chat.photo(jpeg(1100, 900, (120, 110, 100)))
    assert await chat.current_state() == "again.summary", chat.text_all
    await chat.tap("Confirm")
    assert await claim_status(chat, claim_id) == "under_review"
