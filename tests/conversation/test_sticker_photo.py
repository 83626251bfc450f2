"""The S/N step takes a photo of the sticker: its barcode (exact by its check character)
fills the serial (and the CHK when a barcode carries it) at once, said with a "Change"
button; a photo with nothing to read is said kindly and loses nothing; the customer may
always type instead."""

from __future__ import annotations

from tests.conftest import Chat, jpeg
from tests.conversation.journeys import sign_up
from tests.conversation.test_fields import form_values, walk_registration_to
from tests.stickers import sticker_photo

SERIAL = "BA3T01946000V"


async def finish_registration(chat: Chat) -> None:
    await chat.text("Amazon.de")  # the purchase region: the account's, said
    await chat.text("2026-10-01")
    await chat.tap("Online retailer")
    await chat.photo(jpeg())
    assert "Your product:" in chat.text_all, chat.text_all


async def test_a_sticker_photo_fills_the_serial_and_chk(chat: Chat) -> None:
    await sign_up(chat)
    await walk_registration_to(chat, "reg.serial")
    assert "send a photo of the sticker" in chat.text_all
    await chat.photo(sticker_photo(angle=6))  # 1280 px, a part number and an EAN beside it
    assert chat.keys[0] == "reg.serial_photo.taken_chk", chat.keys  # no confirming tap
    assert f"Serial number {SERIAL} and CHK code 123: read off the barcodes" in chat.text_all
    assert "[0]" not in chat.text_all  # a barcode is exact: no 0/O read-back
    assert chat.button("Change")  # under what was taken
    values = await form_values(chat, "register")
    assert (values["serial"], values["chk"]) == (SERIAL, "123")
    assert values["product_name"] == "GeForce RTX 5070"  # nothing typed before is lost
    assert "reg.region.assumed" in chat.keys  # the CHK is not asked again; the region: said
    assert await chat.current_state() == "reg.store"
    await finish_registration(chat)
    assert SERIAL in chat.text_all and "123" in chat.text_all
    await chat.tap("Confirm")
    assert f"Registered: GeForce RTX 5070 (S/N {SERIAL})" in chat.text_all


async def test_without_a_chk_barcode_the_chk_is_asked(chat: Chat) -> None:
    await sign_up(chat)
    await walk_registration_to(chat, "reg.serial")
    await chat.photo(sticker_photo(chk=None, side=2400))  # full size, sent as a file
    assert chat.keys[0] == "reg.serial_photo.taken", chat.keys
    assert f"Serial number {SERIAL}: read off the barcode" in chat.text_all
    assert await chat.current_state() == "reg.chk"
    await chat.text("123")
    values = await form_values(chat, "register")
    assert (values["serial"], values["chk"]) == (SERIAL, "123")


async def test_no_barcode_is_said_kindly_and_the_form_stays(chat: Chat) -> None:
    await sign_up(chat)
    await walk_registration_to(chat, "reg.serial")
    before = await form_values(chat, "register")
    for photo in (jpeg(), sticker_photo(serial=None), b"not a picture at all"):
        await chat.photo(photo)
        assert chat.keys[0] == "reg.serial_photo.not_found", chat.keys
        assert "type the serial number, or send a sharper photo" in chat.text_all
        assert await chat.current_state() == "reg.serial"
        assert await form_values(chat, "register") == before
    await chat.text(SERIAL)  # typing still works
    assert await chat.current_state() == "reg.chk"


async def test_change_drops_what_the_barcodes_gave_and_asks_the_serial(chat: Chat) -> None:
    """Not the customer's sticker: "Change" under the reading drops the serial and the CHK
    it gave (nothing else) and asks the serial again; the CHK typed next is the one kept."""
    await sign_up(chat)
    await walk_registration_to(chat, "reg.serial")
    await chat.photo(sticker_photo())
    await chat.tap("Change")
    assert await chat.current_state() == "reg.serial"
    values = await form_values(chat, "register")
    assert "serial" not in values and "chk" not in values
    assert values["model"] == "V531-001R" and values["region"] == "DE"  # the rest stays
    session = await chat.app.sessions.load(chat.key)
    control = session.control("register")
    assert (control.serial_reading, control.serial_source, control.chk_reading) == (
        None,
        None,
        None,
    )
    await chat.text("BA3T01946001V")
    assert await chat.current_state() == "reg.chk"  # the barcode's CHK not slipped in
    await chat.text("456")
    values = await form_values(chat, "register")
    assert (values["serial"], values["chk"]) == ("BA3T01946001V", "456")


async def test_change_then_another_photo_is_read_afresh(chat: Chat) -> None:
    await sign_up(chat)
    await walk_registration_to(chat, "reg.serial")
    await chat.photo(sticker_photo())
    await chat.tap("Change")
    await chat.photo(sticker_photo("K2203N0123456", chk="456"))
    assert "K2203N0123456" in chat.text_all and "456" in chat.text_all
    values = await form_values(chat, "register")
    assert (values["serial"], values["chk"]) == ("K2203N0123456", "456")


async def test_a_serial_already_registered_off_a_sticker_is_refused_at_the_step(
    chat: Chat,
) -> None:
    """The barcode's serial is checked as a typed one: already registered, it is refused at
    the S/N step and nothing of it is taken."""
    await sign_up(chat)
    await walk_registration_to(chat, "reg.serial")
    await chat.photo(sticker_photo())
    await finish_registration(chat)
    await chat.tap("Confirm")
    await chat.tap("Cancel")  # the redemption that started: later
    await walk_registration_to(chat, "reg.serial")
    await chat.photo(sticker_photo())
    assert "error.serial_taken_mine" in chat.keys, chat.keys
    assert await chat.current_state() == "reg.serial"
    values = await form_values(chat, "register")
    assert "serial" not in values and "chk" not in values


async def test_editing_the_serial_from_the_summary_by_photo(chat: Chat) -> None:
    await sign_up(chat)
    await walk_registration_to(chat, "reg.invoice")
    await chat.photo(jpeg())
    assert "Your product:" in chat.text_all
    await chat.tap("✏ Serial number")
    assert await chat.current_state() == "reg.serial"
    await chat.photo(sticker_photo("K2203N0123456", chk="456"))
    assert "reg.serial_photo.taken_chk" in chat.keys, chat.keys
    assert "Your product:" in chat.text_all  # back at the summary, no tap needed
    values = await form_values(chat, "register")
    assert (values["serial"], values["chk"]) == ("K2203N0123456", "456")
    await chat.tap("Change")  # the summary's own Edit of the serial
    assert await chat.current_state() == "reg.serial"
