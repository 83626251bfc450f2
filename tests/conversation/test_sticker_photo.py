"""The S/N step takes a photo of the sticker: its barcode fills the serial (and the CHK when
a barcode carries it) after one confirming tap; a photo with nothing to read is said kindly
and loses nothing; the customer may always type instead."""

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
    assert chat.keys[0] == "reg.serial_photo.confirm_chk"
    assert f"I read the serial number {SERIAL} and the CHK code 123" in chat.text_all
    assert "[0]" not in chat.text_all  # a barcode is exact: no 0/O read-back
    await chat.tap("Yes")
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
    assert f"I read {SERIAL} from the barcode" in chat.text_all
    await chat.tap("Yes")
    assert await chat.current_state() == "reg.chk"
    await chat.text("123")
    assert (await form_values(chat, "register"))["serial"] == SERIAL


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


async def test_no_i_will_type_it(chat: Chat) -> None:
    await sign_up(chat)
    await walk_registration_to(chat, "reg.serial")
    await chat.photo(sticker_photo())
    await chat.tap("No, I'll type it")
    assert await chat.current_state() == "reg.serial"
    values = await form_values(chat, "register")
    assert "serial" not in values and "chk" not in values
    session = await chat.app.sessions.load(chat.key)
    control = session.control("register")
    assert (control.serial_reading, control.serial_source, control.chk_reading) == (
        None,
        None,
        None,
    )
    await chat.text("BA3T01946001V")
    assert (await form_values(chat, "register"))["serial"] == "BA3T01946001V"


async def test_typing_at_the_confirmation_reads_the_typed_serial(chat: Chat) -> None:
    """The photo's reading is dropped when the customer types a serial instead, and its CHK
    is not slipped in later."""
    await sign_up(chat)
    await walk_registration_to(chat, "reg.serial")
    await chat.photo(sticker_photo())
    await chat.text("BA3T01946001V")
    assert await chat.current_state() == "reg.chk"
    values = await form_values(chat, "register")
    assert values["serial"] == "BA3T01946001V" and "chk" not in values


async def test_a_second_photo_at_the_confirmation_is_read_afresh(chat: Chat) -> None:
    await sign_up(chat)
    await walk_registration_to(chat, "reg.serial")
    await chat.photo(sticker_photo())
    await chat.photo(sticker_photo("K2203N0123456", chk="456"))
    assert "K2203N0123456" in chat.text_all and "456" in chat.text_all
    await chat.tap("Yes")
    values = await form_values(chat, "register")
    assert (values["serial"], values["chk"]) == ("K2203N0123456", "456")


async def test_editing_the_serial_from_the_summary_by_photo(chat: Chat) -> None:
    await sign_up(chat)
    await walk_registration_to(chat, "reg.invoice")
    await chat.photo(jpeg())
    assert "Your product:" in chat.text_all
    await chat.tap("✏ Serial number")
    assert await chat.current_state() == "reg.serial"
    await chat.photo(sticker_photo("K2203N0123456", chk="456"))
    await chat.tap("Yes")
    assert "Your product:" in chat.text_all  # back at the summary
    values = await form_values(chat, "register")
    assert (values["serial"], values["chk"]) == ("K2203N0123456", "456")
