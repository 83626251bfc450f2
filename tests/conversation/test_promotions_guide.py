"""Issue 11 item 3: the guide's promotions that are not open today are shown (marked), and a
product is told which of them would fit it ("ended on ...", "opens on ...")."""

from __future__ import annotations

from tests.conftest import Chat
from tests.conversation.journeys import register_product, sign_up


async def test_a_monitor_from_july_2021_hears_of_back_to_modern(chat: Chat) -> None:
    await sign_up(chat)
    await register_product(
        chat,
        category="Monitor",
        name="MAG 274QRF-QD",
        model="3CA9",
        serial="BA3T01946000V",
        date="2021-07-01",
    )
    told = chat.text_all
    assert "“Back to Modern” would fit it, but ended on 18 Jul 2021" in told, told
    await chat.command("promotions")
    page = chat.replies[-1].text
    assert "Ended (for reference)" in page
    ended = page.split("Ended (for reference)")[1]
    assert "Back to Modern (ended on 18 Jul 2021)" in ended
    assert page.index("Promotions open now") < page.index("Ended (for reference)")
