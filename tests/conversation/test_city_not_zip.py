"""Issue 11, item 9: a Dutch account accepted zip "10115" and city "1011 ab". The zip is
checked against the country's format (tests/conversation/test_postal_codes.py); a city that
is a postal code of the country (typed one step late) is refused too, kindly, and the next
answer is taken. Where no postal format is known, any city text will do."""

from __future__ import annotations

import pytest

from handlers import validators as v
from tests.conftest import Chat
from tests.conversation.journeys import open_redeem, register_product, send_sn_photo, sign_up


@pytest.mark.parametrize(
    ("city", "region"),
    [
        ("1011 ab", "NL"),
        ("1011AB", "NL"),
        ("10115", "DE"),
        ("90210", "US"),
        ("SW1A 1AA", "GB"),
        ("104", "TW"),
    ],
)
def test_a_postal_code_of_the_country_is_not_a_city(city: str, region: str) -> None:
    assert v.looks_like_postal_code(city, region)


@pytest.mark.parametrize(
    ("city", "region"),
    [
        ("Amsterdam", "NL"),
        ("Berlin", "DE"),
        ("Frankfurt am Main", "DE"),
        ("10115", "NL"),  # not a Dutch code: a city step leaves it be (no guess across borders)
        ("Paris 16", "FR"),
        ("12345", None),  # no country: nothing known
        ("12345", "AQ"),  # a place with no postal format known
        ("臺北市", "TW"),
    ],
)
def test_a_city_is_taken(city: str, region: str | None) -> None:
    assert not v.looks_like_postal_code(city, region)


async def test_a_dutch_account_typing_the_code_as_the_city_is_asked_again(chat: Chat) -> None:
    await sign_up(chat, region="Netherlands")
    await register_product(chat)
    await open_redeem(chat)  # the redemption started after the registration, continued
    await send_sn_photo(chat)
    assert "The prize goes to you" in chat.text_all, chat.text_all  # name and phone taken
    assert await chat.current_state() == "redeem.zip", chat.text_all
    await chat.text("1011 AB")
    assert await chat.current_state() == "redeem.city", chat.text_all
    await chat.text("1011 ab")
    assert chat.keys[0] == "invalid.city_is_zip", chat.text_all
    assert await chat.current_state() == "redeem.city"
    await chat.text("Amsterdam")
    assert await chat.current_state() == "redeem.street", chat.text_all
    form = (await chat.app.sessions.load(chat.key)).form("redeem")
    assert (form["zip"], form["city"]) == ("1011 AB", "Amsterdam")  # nothing entered lost
