"""Issue 12's shorter journey, each shortcut with the customer still in control: the sticker
photo of the registration as the S/N photo of the redemption that follows (only for the
serial its barcode showed, only for that product, "Send another S/N photo" under it); the
zip code and the city on one line (only where the country's postal format tells them
apart); the apartment / floor on the summary, not asked; a "Change" button that reaches only
the fields of the form it is in."""

from __future__ import annotations

import pytest

from handlers import validators as v
from handlers.io import Action, Kind
from tests.conftest import Chat, jpeg
from tests.conversation.journeys import register_product, sign_up
from tests.conversation.test_fields import form_values, walk_registration_to
from tests.stickers import sticker_photo

SERIAL = "BA3T01946000V"


async def register_by_sticker(chat: Chat, serial: str = SERIAL) -> None:
    """Register by the sticker photo (no checks pool: the store and date typed), Confirm: the
    redemption starts with this product picked."""
    await walk_registration_to(chat, "reg.serial")
    await chat.photo(sticker_photo(serial=serial))
    assert "reg.serial_photo.taken_chk" in chat.keys, chat.keys
    await chat.text("Amazon.de")
    await chat.text("2026-10-01")
    await chat.tap("Online retailer")
    await chat.photo(jpeg())
    await chat.tap("Confirm")
    assert "redeem.picked_registered" in chat.keys, chat.keys


async def claim_sn_photo(chat: Chat) -> str:
    member = (await chat.app.sessions.load(chat.key)).member_id
    (claim,) = await chat.app.backend.list_claims(member)
    return claim.sn_photo


async def test_the_sticker_photo_is_the_sn_photo_said_and_kept_on_the_claim(chat: Chat) -> None:
    await sign_up(chat)
    await register_by_sticker(chat)
    assert "redeem.sn_photo.from_sticker" in chat.keys, chat.keys
    assert "sticker photo you just sent" in chat.text_all
    assert chat.button("Send another S/N photo")
    assert await chat.current_state() == "redeem.zip"  # the recipient, no photo asked
    session = await chat.app.sessions.load(chat.key)
    photo = session.form("redeem")["sn_photo"]
    assert await chat.app.ports.media.get(photo)  # stored, the normalised sticker photo
    for value in ("10115", "Berlin", "Invalidenstr. 1"):
        await chat.text(value)
    assert "S/N photo: ✓ the sticker photo from your registration" in chat.text_all
    await chat.tap("Confirm")
    assert "successfully sent" in chat.text_all, chat.text_all
    assert await claim_sn_photo(chat) == photo


async def test_send_another_sn_photo_asks_for_it_and_takes_the_new_one(chat: Chat) -> None:
    await sign_up(chat)
    await register_by_sticker(chat)
    sticker = (await chat.app.sessions.load(chat.key)).form("redeem")["sn_photo"]
    await chat.tap("Send another S/N photo")
    assert await chat.current_state() == "redeem.sn_photo"
    assert "photo of the S/N sticker" in chat.text_all
    await chat.photo(jpeg(1000, 800, (10, 20, 30)))
    assert await chat.current_state() == "redeem.zip"
    for value in ("10115", "Berlin", "Invalidenstr. 1"):
        await chat.text(value)
    assert "S/N photo: ✓ received" in chat.text_all, chat.text_all
    await chat.tap("Confirm")
    assert await claim_sn_photo(chat) not in ("", sticker)


async def test_a_serial_changed_after_the_photo_gets_no_sticker_photo(chat: Chat) -> None:
    """The serial registered is not the one the photo's barcode showed (changed on the
    summary): that photo shows another sticker, so the S/N photo is asked."""
    await sign_up(chat)
    await walk_registration_to(chat, "reg.serial")
    await chat.photo(sticker_photo(serial=SERIAL))
    await chat.text("Amazon.de")
    await chat.text("2026-10-01")
    await chat.tap("Online retailer")
    await chat.photo(jpeg())
    await chat.tap("✏ Serial number")
    await chat.text("BA3T01946001V")
    assert "Your product:" in chat.text_all, chat.text_all
    await chat.tap("Confirm")
    assert "redeem.picked_registered" in chat.keys, chat.keys
    assert "redeem.sn_photo.from_sticker" not in chat.keys
    assert await chat.current_state() == "redeem.sn_photo"


async def test_the_sticker_photo_is_not_used_for_another_product(chat: Chat) -> None:
    """Another product picked instead (Back to the choice, or the summary's Edit): the
    sticker photo is that product's S/N photo no more; it is asked."""
    await sign_up(chat)
    await register_product(chat, serial="BA3T05555555V")
    await chat.tap("Cancel")  # its redemption: later
    await register_by_sticker(chat)
    assert "redeem.sn_photo.from_sticker" in chat.keys, chat.keys
    for value in ("10115", "Berlin", "Invalidenstr. 1"):
        await chat.text(value)
    assert "the sticker photo from your registration" in chat.text_all
    await chat.tap("✏ Product")
    await chat.tap("BA3T05555555V")
    assert await chat.current_state() == "redeem.sn_photo"  # asked for this product
    assert "sn_photo" not in await form_values(chat, "redeem")
    await chat.photo(jpeg(1000, 800, (40, 20, 30)))
    assert "Please check your redemption" in chat.text_all, chat.text_all
    assert "the sticker photo from your registration" not in chat.text_all


async def test_a_forged_change_button_reaches_only_editable_fields(chat: Chat) -> None:
    """An attacker's button data: "Change" of a field not editable (the promotion) or of
    another form is refused and nothing moves."""
    await sign_up(chat)
    await register_by_sticker(chat)
    before = (await chat.app.sessions.load(chat.key)).form("redeem").copy()
    for value in ("promotion", "serial", "nonsense"):
        seq = (await chat.app.sessions.load(chat.key)).seq
        await chat.press(Action(Kind.EDIT, value, seq).encode())
        assert await chat.current_state() == "redeem.zip", value
        assert chat.keys[0] == "common.button_expired", chat.keys
    assert (await chat.app.sessions.load(chat.key)).form("redeem") == before


async def test_the_zip_code_and_city_on_one_line(chat: Chat) -> None:
    await sign_up(chat)
    await register_product(chat)
    await chat.photo(jpeg(1000, 800, (10, 20, 30)))
    assert await chat.current_state() == "redeem.zip"
    assert "10115 Berlin" in chat.text_all  # the prompt says it may be one line
    await chat.text("10115 Berlin")
    assert await chat.current_state() == "redeem.street"  # the city not asked
    await chat.text("Invalidenstr. 1")
    assert await chat.current_state() == "redeem.summary"  # the unit: on the summary
    values = await form_values(chat, "redeem")
    assert (values["zip"], values["city"]) == ("10115", "Berlin")
    assert "unit" not in values
    await chat.tap("✏ Zip code")  # from the summary: both again, back at the summary
    await chat.text("Berlin, 10117")
    assert "Please check your redemption" in chat.text_all, chat.text_all
    values = await form_values(chat, "redeem")
    assert (values["zip"], values["city"]) == ("10117", "Berlin")
    await chat.tap("✏ Apartment")
    await chat.text("3rd floor")
    assert (await form_values(chat, "redeem"))["unit"] == "3rd floor"


async def test_back_from_the_street_asks_the_city_taken_from_the_zip_line(chat: Chat) -> None:
    await sign_up(chat)
    await register_product(chat)
    await chat.photo(jpeg(1000, 800, (10, 20, 30)))
    await chat.text("10115 Berlin")
    await chat.tap("Back")
    assert await chat.current_state() == "redeem.state"  # passed over once, shown by Back
    await chat.tap("Back")
    assert await chat.current_state() == "redeem.city"
    await chat.text("Potsdam")
    # the state line, passed over once and shown by Back, is asked now (optional: Skip)
    assert await chat.current_state() == "redeem.state"
    await chat.tap("Skip")
    assert await chat.current_state() == "redeem.street"
    values = await form_values(chat, "redeem")
    assert (values["zip"], values["city"]) == ("10115", "Potsdam")


async def test_a_line_that_is_no_zip_and_city_is_refused_as_a_zip(chat: Chat) -> None:
    await sign_up(chat)
    await register_product(chat)
    await chat.photo(jpeg(1000, 800, (10, 20, 30)))
    await chat.text("Berlin Mitte")  # no code in it
    assert chat.keys[0].startswith("invalid.zip"), chat.keys
    await chat.text("1011 AB Amsterdam")  # a Dutch code: not a German one
    assert chat.keys[0].startswith("invalid.zip"), chat.keys
    assert await chat.current_state() == "redeem.zip"
    assert "city" not in await form_values(chat, "redeem")


@pytest.mark.parametrize(
    ("text", "region", "expected"),
    [
        ("10115 Berlin", "DE", ("10115", "Berlin")),
        ("Berlin, 10115", "DE", ("10115", "Berlin")),
        ("Frankfurt am Main 60311", "DE", ("60311", "Frankfurt am Main")),
        ("1011 AB Amsterdam", "NL", ("1011 AB", "Amsterdam")),
        ("1011 Amsterdam", "NL", None),  # not a Dutch code
        ("London SW1A 1AA", "GB", ("SW1A 1AA", "London")),
        ("New York 10001", "US", ("10001", "New York")),
        ("75016 Paris", "FR", ("75016", "Paris")),
        ("106 臺北市", "TW", ("106", "臺北市")),
        ("10115", "DE", None),  # a code alone: the zip step's own reading
        ("10115 12345", "DE", None),  # no city in it
        ("10115 Berlin", "AQ", None),  # no postal format known: not told apart
        ("10115 Berlin", None, None),
    ],
)
def test_zip_and_city(text: str, region: str | None, expected: tuple[str, str] | None) -> None:
    assert v.zip_and_city(text, region) == expected
