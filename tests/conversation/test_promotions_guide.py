"""Issue 11 item 3: the guide's promotions that are not open today are shown (marked), and a
product is told which of them would fit it ("ended on ...", "opens on ...")."""

from __future__ import annotations

import json
from pathlib import Path

from bot.app import build_app
from bot.config import PACKAGED_PROMOTIONS
from tests.conftest import Chat, make_settings
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


def catalog_with_an_upcoming_promotion(tmp_path: Path) -> Path:
    raw = json.loads(PACKAGED_PROMOTIONS.read_text(encoding="utf-8"))
    raw["promotions"].append(
        {
            "code": "chair2027",
            "name": "Sit Back 2027",
            "categories": ["Gaming Chair"],
            "purchase_from": "2026-09-01",
            "purchase_to": "2027-02-28",
            "redeem_from": "2027-01-15",
            "redeem_to": "2027-03-31",
            "prize_kind": "physical",
            "prize_name": "MSI cushion",
        }
    )
    path = tmp_path / "promotions.json"
    path.write_text(json.dumps(raw), encoding="utf-8")
    return path


async def test_an_upcoming_promotion_is_marked_and_a_product_hears_when_it_opens(
    tmp_path: Path, clock
) -> None:  # type: ignore[no-untyped-def]
    settings = make_settings(
        tmp_path, PROMOTIONS_FILE=str(catalog_with_an_upcoming_promotion(tmp_path))
    )
    app = await build_app(settings, clock=clock)
    try:
        chat = Chat(app)
        await sign_up(chat)
        await register_product(
            chat, category="Gaming Chair", name="MAG CH130", model="9S6-B0Y", serial="CH2A123456789"
        )  # bought 1 Oct 2026: in no open promotion, inside the coming one's purchases
        told = chat.text_all
        assert "“Sit Back 2027” will fit it: it opens on 15 Jan 2027" in told, told
        # the ended one of the same category does not fit a chair bought in 2026: not named
        assert "Go Forward and Upgrade" not in told.split("can't be redeemed")[-1]
        await chat.command("promotions")
        page = chat.replies[-1].text
        soon = page.split("Coming soon")[1].split("Ended (for reference)")[0]
        assert "Sit Back 2027" in soon and "Opens on 15 Jan 2027" in soon, page
        assert "Sit Back 2027" not in page.split("Coming soon")[0]  # not among the open ones
        assert page.index("Promotions open now") < page.index("Coming soon")
    finally:
        await app.close()
