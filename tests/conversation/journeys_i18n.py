"""Journeys in the customer's language, for any chat that plays them (the engine directly,
or Telegram through the fake Bot API): buttons are found by their catalog text, answers by
the catalog text they contain (the fixed part of a text with parameters)."""

from __future__ import annotations

import re

from handlers.i18n import Catalog
from handlers.io import Reply
from tests.conftest import jpeg
from tests.conversation.journeys import PASSWORD


class Localised:
    """Mixin for a chat (``replies``, ``text``, ``press``, ``photo``, ``command``)."""

    catalog: Catalog
    replies: list[Reply]

    @property
    def locale(self) -> str:  # pragma: no cover - every chat sets it
        raise NotImplementedError

    def t(self, key: str, **params) -> str:
        return self.catalog.text(self.locale, key, **params)

    def fixed(self, key: str) -> str:
        """The longest part of the text that parameters do not change."""
        holes = {p: "\0" for p in self.catalog.parameters("en", key)}
        return max(self.catalog.text(self.locale, key, **holes).split("\0"), key=len).strip()

    async def tap_key(self, key: str) -> list[Reply]:
        """Tap the button showing the catalog text ``key``."""
        fixed = self.fixed(key)
        found = [
            b for r in self.replies for row in r.buttons for b in row if fixed and fixed in b.label
        ]
        assert found, (key, fixed, [r.labels() for r in self.replies], self.text_all)
        return await self.press(found[0].data)

    def has(self, key: str) -> bool:
        fixed = self.fixed(key)
        return any(fixed in r.text for r in self.replies)

    def said(self, key: str) -> Reply:
        fixed = self.fixed(key)
        found = [r for r in self.replies if fixed in r.text]
        assert found, (key, fixed, self.text_all)
        return found[0]


async def sign_up(chat: Localised, region: str) -> None:
    await chat.command("start")
    chat.said("start.welcome")
    await chat.tap_key("btn.signup")
    for value in ("jamie@example.com", "Jamie", region):
        await chat.text(value)
    assert chat.t("signup.summary.title") in chat.text_all
    for field, value in (
        ("last_name", "Smith"),
        ("phone", "+49 30 1234567"),
    ):  # optional: on the summary
        await chat.tap(chat.t(f"field.signup.{field}"))
        await chat.text(value)
    for field in ("newsletter", "reward_terms"):
        await chat.tap(chat.t(f"field.signup.{field}"))
        await chat.tap_key("btn.yes")
    await chat.tap_key("btn.agree_continue")
    await chat.text(PASSWORD)
    await chat.text(PASSWORD)
    code = re.findall(r"\b(\d{6})\b", chat.said("email_code.demo").text)[-1]
    await chat.text(code)
    chat.said("signup.done")


async def register(chat: Localised, region: str, date: str) -> None:
    await chat.command("register")
    await chat.tap_key("category.graphics_card")
    await chat.text("GeForce RTX 5070 GAMING TRIO")
    await chat.text("V531-001R")
    await chat.text("BA3T01946000V")
    if chat.has("reg.serial_confirm.prompt"):
        await chat.tap_key("btn.serial_ok")
    await chat.text("123")
    chat.said("reg.region.assumed")  # the account's region (``region`` typed at sign-up)
    await chat.text("Amazon.de")
    await chat.text(date)
    await chat.tap_key("channel.online")
    await chat.photo(jpeg())
    assert chat.t("reg.summary.title") in chat.text_all, chat.text_all
    await chat.tap_key("btn.confirm")
    chat.said("reg.done")


async def redeem(chat: Localised) -> None:
    await chat.command("redeem")
    if chat.has("redeem.promotion.prompt"):
        await chat.press(chat.replies[-1].button_data()[0])
    if chat.has("redeem.product.prompt"):
        await chat.press(chat.replies[-1].button_data()[0])
    await chat.photo(jpeg(1000, 800, (10, 20, 30)))
    if chat.has("redeem.address.last"):
        pass  # the address used last time: taken, said, and the summary follows
    else:  # first and last name, phone from the account; the address typed
        chat.said("redeem.address.own")  # the member's name and phone: taken, said
        await chat.text("10115")
        await chat.text("Berlin")
        await chat.text("Invalidenstr. 1")  # the unit: not asked (on the summary to add)
    assert chat.t("redeem.summary.title") in chat.text_all, chat.text_all
    await chat.tap_key("btn.confirm")
    chat.said("redeem.submitted")
