"""Issue 11 item 19: My products shows "Warranty until ..." where the backend knows the
product's warranty period (the catalog's ``warranty_months``); without a known period,
nothing (the HTTP API carries the date: tests/backend/test_warranty.py)."""

from __future__ import annotations

import json
from pathlib import Path

from bot.app import build_app
from bot.config import PACKAGED_PROMOTIONS
from tests.conftest import Chat, make_settings
from tests.conversation.journeys import register_product, sign_up


def catalog_with_warranty(tmp_path: Path) -> Path:
    raw = json.loads(PACKAGED_PROMOTIONS.read_text(encoding="utf-8"))
    raw["warranty_months"] = {"Graphics Card": 36, "S12-0402060": 24}
    path = tmp_path / "promotions.json"
    path.write_text(json.dumps(raw), encoding="utf-8")
    return path


async def my_products(chat: Chat) -> str:
    await chat.command("products")
    return chat.replies[-1].text


async def test_my_products_shows_the_warranty_where_the_period_is_known(tmp_path, clock) -> None:  # type: ignore[no-untyped-def]
    settings = make_settings(tmp_path, PROMOTIONS_FILE=str(catalog_with_warranty(tmp_path)))
    app = await build_app(settings, clock=clock)
    try:
        chat = Chat(app)
        await sign_up(chat)
        await register_product(chat)  # a graphics card bought 1 Oct 2026: 36 months
        await register_product(
            chat,
            category="Gaming Gear",
            name="CLUTCH GM41",
            model="S12-0402060",  # this model: 24 months
            serial="K2203N0123456",
            date="2026-03-31",
        )
        await register_product(
            chat, category="Monitor", name="MAG 274QRF", model="3CB9", serial="CC2A123456789"
        )
        text = await my_products(chat)
        blocks = text.split("\n\n")[1:]
        gpu, mouse, monitor = (
            next(b for b in blocks if name in b)
            for name in ("GeForce RTX 5070", "CLUTCH GM41", "MAG 274QRF")
        )
        assert "Warranty until 30 Sep 2029" in gpu, text
        assert "Warranty until 30 Mar 2028" in mouse, text
        assert "MAG 274QRF" in monitor and "Warranty" not in monitor, text  # none known
    finally:
        await app.close()


async def test_without_a_known_period_nothing_is_shown(chat: Chat) -> None:
    await sign_up(chat)  # the packaged catalog: the guide gives no periods
    await register_product(chat)
    text = await my_products(chat)
    assert "GeForce RTX 5070 GAMING TRIO" in text and "Warranty" not in text
