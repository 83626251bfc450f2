"""Issue 11 item 7: a claim's details (My claims and Details) carry the tracking note of a
shipped prize, the product's purchase date, region and category, and the status dates."""

from __future__ import annotations

from tests.conftest import Chat
from tests.conversation.journeys import redeem, register_product, sign_up


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
    assert "Sent 25 Nov 2026" in details and "status since 25 Nov 2026" in details


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
