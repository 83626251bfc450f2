"""Issue 11 item 7: a claim's details (My claims and Details) carry the tracking note of a
shipped prize, the product's purchase date, region and category, and every status the claim
has had with its date (each rejection with its reason), from the claim's history in the
backend; the redemption summary shows the product as the guide's confirm page does."""

from __future__ import annotations

import pytest

from backend.port import RejectReason
from tests.conftest import Chat, Clock
from tests.conversation.journeys import redeem, register_product, reject_and_redeem_again, sign_up


async def test_shipped_prize_shows_tracking_and_details_show_the_product(chat: Chat) -> None:
    await sign_up(chat)
    await register_product(
        chat,
        category="Gaming Gear",
        name="CLUTCH GM41",
        model="S12-0402060",
        serial="K2203N0123456",
    )
    member_id = (await chat.app.sessions.load(chat.key)).member_id
    promos = [
        e
        for e in await chat.app.backend.eligibility(member_id, chat.app.ports.clock().date())
        if e.ok
    ]
    physical = next(e.promotion for e in promos if e.promotion.prize_kind.value == "physical")
    await redeem(chat, promotion=physical.name)
    claim = (await chat.app.desk.review_queue())[0]
    await chat.app.desk.approve(claim.id, "staff")
    await chat.app.desk.mark_shipped(claim.id, "staff", tracking="DHL 00340434")
    await chat.notifications()
    await chat.command("status")
    history = chat.replies[-1].text
    assert "Shipped (tracking: DHL 00340434)" in history  # My claims, not only the push
    await chat.tap("Details: CLUTCH GM41")
    details = chat.replies[-1].text
    assert "DHL 00340434" in details
    assert "bought 1 Oct 2026" in details and "Germany" in details and "Gaming" in details
    history = [line.strip() for line in details.split("What happened:")[1].splitlines()]
    assert history[1:4] == [
        "25 Nov 2026 · Sent",
        "25 Nov 2026 · Approved",
        "25 Nov 2026 · Shipped (tracking: DHL 00340434)",
    ], details


async def test_details_list_every_rejection_with_its_reason_and_each_status_date(
    chat: Chat, clock: Clock
) -> None:
    await sign_up(chat)
    await register_product(chat)
    await redeem(chat)  # 25 Nov
    clock.advance(days=2)
    await reject_and_redeem_again(chat, RejectReason.ADDRESS_INCOMPLETE)  # 27 Nov
    summary = chat.replies[-1].text  # redeeming again: the product as on the confirm page too
    assert "BA3T01946000V (Graphics Card, bought 1 Oct 2026, Germany)" in summary, summary
    await chat.tap("✏ Apartment")
    await chat.text("3rd floor")
    await chat.tap("Confirm")
    clock.advance(days=1)
    await reject_and_redeem_again(chat, RejectReason.OTHER, "The invoice is cut off")  # 28 Nov
    await chat.tap("Cancel")
    clock.advance(days=3)
    await chat.command("status")
    await chat.tap("Redeem again: GeForce RTX 5070 GAMING TRIO")
    await chat.tap("✏ Note")
    await chat.text("Invoice attached again")
    await chat.tap("Confirm")
    assert "successfully sent" in chat.text_all, chat.text_all
    clock.advance(days=1)
    claim = (await chat.app.desk.review_queue())[0]
    await chat.app.desk.approve(claim.id, "staff")  # 2 Dec: the code
    await chat.notifications()
    await chat.command("status")
    await chat.tap("Details: GeForce RTX 5070 GAMING TRIO")
    details = chat.replies[-1].text
    history = [line.strip() for line in details.split("What happened:")[1].splitlines()]
    assert history[1:8] == [
        "25 Nov 2026 · Sent",
        "27 Nov 2026 · Rejected: The recipient address is incomplete. Please complete it.",
        "27 Nov 2026 · Sent again after the rejection",
        "28 Nov 2026 · Rejected: The invoice is cut off",
        "1 Dec 2026 · Sent again after the rejection",
        "2 Dec 2026 · Redeem Success",
        "",  # the history ends; the code follows once
    ], details
    assert "Your code: DEMO-" in details  # the current code once, not in the history lines
    assert not any("DEMO-" in line for line in history[1:7])


async def test_another_members_claim_has_no_history_for_me(chat: Chat) -> None:
    """The history is the member's own: another member's claim id is not found."""
    from backend.port import NotFound

    await sign_up(chat)
    await register_product(chat)
    await redeem(chat)
    claim = (await chat.app.desk.review_queue())[0]
    mine = (await chat.app.sessions.load(chat.key)).member_id
    assert [e.status.value for e in await chat.app.backend.status_history(mine, claim.id)] == [
        "under_review"
    ]
    other = Chat(chat.app, user="2002")
    await sign_up(other, email="kim@example.com", first="Kim")
    theirs = (await chat.app.sessions.load(other.key)).member_id
    with pytest.raises(NotFound):
        await chat.app.backend.status_history(theirs, claim.id)


async def test_the_redemption_summary_shows_purchase_date_region_and_category(chat: Chat) -> None:
    from tests.conversation.journeys import redeem_to_summary

    await sign_up(chat)
    await register_product(chat)
    await redeem_to_summary(chat)
    summary = next(
        r.text for r in reversed(chat.history) if "Please check your redemption" in r.text
    )
    assert "GeForce RTX 5070 GAMING TRIO · BA3T01946000V" in summary
    assert "bought 1 Oct 2026" in summary and "Germany" in summary and "Graphics" in summary
