"""Each field's bad inputs, table-driven: a clear message, the step asked again, and
nothing the customer already entered is lost."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from tests.conftest import Chat, jpeg
from tests.conversation.journeys import PASSWORD, demo_code, sign_up

REG_STEPS = [  # (what to type at this step, the state it is asked in)
    ("Graphics Card", "reg.category"),
    ("GeForce RTX 5070", "reg.product_name"),
    ("V531-001R", "reg.model"),
    ("BA3T01946000V", "reg.serial"),
    ("123", "reg.chk"),
    ("Amazon.de", "reg.store"),
    ("2026-10-01", "reg.purchase_date"),
    ("Online retailer", "reg.channel"),
]


async def walk_registration_to(chat: Chat, state: str) -> None:
    """Type the registration up to ``state``; the purchase region is the account's, taken on
    the way (said): ``reg.region`` is reached with Back from the store step."""
    if state == "reg.region":
        await walk_registration_to(chat, "reg.store")
        assert "reg.region.assumed" in chat.keys, chat.keys
        await chat.tap("Back")
        return
    await chat.command("register")
    for value, at in REG_STEPS:
        if at == state:
            return
        if at in ("reg.category", "reg.channel"):
            await chat.tap(value)
        else:
            await chat.text(value)
    assert state == "reg.invoice"


async def form_values(chat: Chat, form: str) -> dict:
    session = await chat.app.sessions.load(chat.key)
    return {k: v for k, v in session.forms.get(form, {}).items() if not k.startswith("_")}


BAD_REGISTRATION = [
    ("reg.category", "Toaster", "reg.category.invalid"),
    ("reg.product_name", "x" * 101, "invalid.text_long"),
    ("reg.product_name", "   ", "common.empty"),
    ("reg.serial", "hello", "invalid.serial"),
    ("reg.serial", "12", "invalid.serial"),
    ("reg.serial", "BA3T0194600!!V", "invalid.serial"),
    ("reg.chk", "12", "invalid.chk"),
    ("reg.chk", "1234", "invalid.chk"),
    ("reg.chk", "abc", "invalid.chk"),
    ("reg.region", "Atlantis", "region.no_match"),
    ("reg.store", "y" * 150, "invalid.text_long"),
    ("reg.purchase_date", "someday", "invalid.date"),
    ("reg.purchase_date", "2031-01-01", "invalid.date_future"),
    ("reg.purchase_date", "1999-01-01", "invalid.date_too_old"),
    ("reg.purchase_date", "31/02/2026", "invalid.date_no_such_day"),
    ("reg.purchase_date", "31.02.2021", "invalid.date_no_such_day"),
    ("reg.channel", "by carrier pigeon", "reg.channel.invalid"),
    ("reg.invoice", "here is my invoice", "image.expected"),
]


@pytest.mark.parametrize(("state", "bad", "key"), BAD_REGISTRATION)
async def test_registration_bad_input(chat: Chat, state: str, bad: str, key: str) -> None:
    await sign_up(chat)
    await walk_registration_to(chat, state)
    before = await form_values(chat, "register")
    await chat.text(bad)
    assert chat.keys[0] == key, chat.text_all
    assert key not in chat.text_all  # the key is translated, never shown raw
    assert await chat.current_state() == state
    assert await form_values(chat, "register") == before
    assert chat.replies[-1].buttons, "the step is asked again, with its buttons"


def png_alpha() -> bytes:
    buf = io.BytesIO()
    Image.new("RGBA", (900, 700), (0, 0, 0, 0)).save(buf, "PNG")
    return buf.getvalue()


BAD_IMAGES = [
    (b"%PDF-1.4 not an image", "doc.pdf", "application/pdf", "image.not_image"),
    (b"just some text", "invoice.jpg", "image/jpeg", "image.not_image"),
    (jpeg()[:200], "cut.jpg", "image/jpeg", "image.corrupt"),
    (jpeg(40, 40), "tiny.jpg", "image/jpeg", "image.too_small"),
]


@pytest.mark.parametrize(("data", "name", "mime", "key"), BAD_IMAGES)
async def test_invoice_refused_with_reason(
    chat: Chat, data: bytes, name: str, mime: str, key: str
) -> None:
    await sign_up(chat)
    await walk_registration_to(chat, "reg.invoice")
    await chat.photo(data, filename=name, mime=mime)
    assert chat.keys[0] == key, chat.text_all
    assert await chat.current_state() == "reg.invoice"


async def test_invoice_png_with_alpha_accepted(chat: Chat) -> None:
    await sign_up(chat)
    await walk_registration_to(chat, "reg.invoice")
    await chat.photo(png_alpha(), filename="scan.png", mime="image/png")
    assert "Your product:" in chat.text_all


async def test_oversized_file_refused_before_download(chat: Chat) -> None:
    from handlers.io import ImageIn

    await sign_up(chat)
    await walk_registration_to(chat, "reg.invoice")
    downloaded = []

    async def fetch() -> bytes:
        downloaded.append(1)
        return b""

    await chat.send(
        ImageIn(fetch=fetch, size=25 * 1024 * 1024, filename="huge.jpg", mime="image/jpeg")
    )
    assert chat.keys[0] == "image.too_large"
    assert downloaded == []


async def test_album_uses_first_photo_and_says_so(chat: Chat) -> None:
    await sign_up(chat)
    await walk_registration_to(chat, "reg.invoice")
    await chat.album(jpeg(), jpeg(1000, 800))
    assert chat.keys[0] == "image.album_first"
    assert "Your product:" in chat.text_all


async def test_ambiguous_serial_is_confirmed(chat: Chat) -> None:
    await sign_up(chat)
    await walk_registration_to(chat, "reg.serial")
    await chat.text("ba3tO1946OOOv")
    assert "B A 3 T [0] 1 9 4 6 [0] [0] [0] V" in chat.text_all
    assert "digit zero" in chat.text_all
    await chat.tap("No, type it again")
    assert await chat.current_state() == "reg.serial"
    await chat.text("BA3TO1946OOOV")
    await chat.tap("Yes, that's right")
    assert (await form_values(chat, "register"))["serial"] == "BA3T01946000V"
    assert await chat.current_state() == "reg.chk"


async def test_ambiguous_date_is_asked_back(chat: Chat) -> None:
    await sign_up(chat)
    await walk_registration_to(chat, "reg.purchase_date")
    await chat.text("03/04/2026")
    assert "Which date do you mean?" in chat.text_all
    await chat.tap("4 Mar 2026")
    assert (await form_values(chat, "register"))["purchase_date"] == "2026-03-04"


async def test_serial_help_per_category(chat: Chat) -> None:
    await sign_up(chat)
    await walk_registration_to(chat, "reg.serial")
    await chat.tap("Where do I find it?")
    assert "Graphics card" in chat.text_all and "back plate" in chat.text_all
    await chat.text("?")
    assert "back plate" in chat.text_all
    assert await chat.current_state() == "reg.serial"


BAD_SIGNUP = [
    ("signup.email", "not-an-email", "invalid.email"),
    ("signup.email", "a@b", "invalid.email"),
    ("signup.first_name", "12345", "invalid.name"),
    ("signup.region", "Qwzx", "region.no_match"),
    ("signup.region", "Narnia", "region.pick"),  # a close name: offered, never guessed
    ("signup.phone", "12", "invalid.phone"),
    ("signup.newsletter", "maybe", "invalid.yesno"),
]
SIGNUP_INPUTS = [
    ("signup.email", "jo@example.com"),
    ("signup.first_name", "Jo"),
    ("signup.region", "Germany"),
]
OPTIONAL_DETAILS = {
    "signup.phone": "Contact number",
    "signup.newsletter": "Newsletter",
}  # Edit on the summary


@pytest.mark.parametrize(("state", "bad", "key"), BAD_SIGNUP)
async def test_signup_bad_input(chat: Chat, state: str, bad: str, key: str) -> None:
    await chat.command("signup")
    for at, value in SIGNUP_INPUTS:
        if at == state:
            break
        await chat.text(value)
    if state in OPTIONAL_DETAILS:
        await chat.tap(OPTIONAL_DETAILS[state])
    before = await form_values(chat, "signup")
    await chat.text(bad)
    assert chat.keys[0] == key, chat.text_all
    assert await chat.current_state() == state
    assert await form_values(chat, "signup") == before


async def test_weak_and_mismatched_passwords(chat: Chat) -> None:
    await chat.command("signup")
    for _, value in SIGNUP_INPUTS:
        await chat.text(value)
    await chat.tap("I agree, continue")
    await chat.text("short")
    assert chat.keys[0] == "invalid.password_short"
    await chat.text("longenoughbutnodigits")
    assert chat.keys[0] == "invalid.password_weak"
    await chat.text("Better-vault-7-kite")
    await chat.text("Other-passw0rd")
    assert chat.keys[0] == "invalid.password_mismatch"
    assert await chat.current_state() == "signup.password"
    session = await chat.app.sessions.load(chat.key)
    assert (
        "Better-vault-7-kite" not in session.to_json() and "Other-passw0rd" not in session.to_json()
    )
    await chat.text("Better-vault-7-kite")
    await chat.text("Better-vault-7-kite")
    await chat.text(demo_code(chat.text_all))
    assert "Welcome to MSI, Jo" in chat.text_all


async def test_email_taken_goes_to_log_in(chat: Chat) -> None:
    await sign_up(chat)
    await chat.command("logout")
    other = Chat(chat.app, user="2002")
    await sign_up_expect_taken(other)


async def sign_up_expect_taken(chat: Chat) -> None:
    """Refused at the e-mail step (issue 11), before a name or a password is typed."""
    await chat.command("signup")
    await chat.text("Jamie@Example.com")
    assert chat.keys[0] == "signup.email_registered", chat.text_all
    assert await chat.current_state() == "signup.email"
    assert (await form_values(chat, "signup")).get("email") is None
    await chat.tap("Log in instead")
    assert await chat.current_state() == "login.password"
    chat.button("Forgot")  # the way to reset from there
    await chat.text(PASSWORD)
    assert "Welcome back, Jamie" in chat.text_all, chat.text_all


async def test_email_taken_while_signing_up_still_goes_to_log_in(chat: Chat) -> None:
    """Two chats pass the e-mail step with one address; the later one learns it at the end."""
    other = Chat(chat.app, user="2002")
    for who in (chat, other):
        await who.command("signup")
        for value in ("jamie@example.com", "Jo", "Germany"):
            await who.text(value)
        await who.tap("I agree, continue")
    await chat.text(PASSWORD)
    await chat.text(PASSWORD)
    await chat.text(demo_code(chat.text_all))
    await other.text("Better-vault-7-kite")
    await other.text("Better-vault-7-kite")
    assert other.keys[0] == "error.email_taken"
    assert await other.current_state() == "login.password"


async def test_an_unproven_sign_up_does_not_block_the_address(chat: Chat) -> None:
    """Only a proven account refuses the address: a sign-up never confirmed is no account."""
    await chat.command("signup")
    for value in ("jamie@example.com", "Jo", "Germany"):
        await chat.text(value)
    await chat.tap("I agree, continue")
    await chat.text(PASSWORD)
    await chat.text(PASSWORD)  # the code is never typed
    owner = Chat(chat.app, user="2002")
    await owner.command("signup")
    await owner.text("jamie@example.com")
    assert await owner.current_state() == "signup.first_name"


RECIPIENT_BAD = [
    ("redeem.zip", "ABCDE", "invalid.zip"),
    ("redeem.phone", "call me", "invalid.phone"),
    ("redeem.first_name", "!!!", "invalid.name"),
]


async def test_purchase_date_picked_with_buttons(chat: Chat) -> None:
    await sign_up(chat)
    await walk_registration_to(chat, "reg.purchase_date")
    await chat.tap("Pick another date")
    await chat.tap("Sep 2026")
    assert "30" in chat.replies[-1].labels() and "31" not in chat.replies[-1].labels()
    await chat.tap("Back")  # back to the months, nothing lost
    await chat.tap("Oct 2026")
    await chat.press(
        next(b.data for r in chat.replies for row in r.buttons for b in row if b.label == "17")
    )
    assert (await form_values(chat, "register"))["purchase_date"] == "2026-10-17"
    assert await chat.current_state() == "reg.channel"


async def test_purchase_date_quick_pick_today(chat: Chat) -> None:
    await sign_up(chat)
    await walk_registration_to(chat, "reg.purchase_date")
    await chat.tap("Today")
    assert (await form_values(chat, "register"))["purchase_date"] == "2026-11-25"


async def test_today_is_the_customers_own_date(chat: Chat, clock) -> None:
    import datetime as dt

    clock.now = dt.datetime(2026, 11, 25, 22, 30, tzinfo=dt.UTC)  # already the 26th in Taipei
    await sign_up(chat, region="Taiwan")
    await walk_registration_to(chat, "reg.purchase_date")
    await chat.text("2026-11-26")
    assert (await form_values(chat, "register"))["purchase_date"] == "2026-11-26"
    await chat.tap("Back")
    await chat.tap("Today")
    assert (await form_values(chat, "register"))["purchase_date"] == "2026-11-26"
    await chat.tap("Online retailer")
    await chat.photo()
    await chat.tap("Confirm")
    assert chat.keys[0] == "reg.done", chat.text_all


async def test_typing_a_button_does_what_the_button_does(chat: Chat) -> None:
    await chat.command("start")
    await chat.text("Log in")
    assert await chat.current_state() == "login.email"
    await chat.text("back")
    assert await chat.current_state() == "menu"
    await sign_up(chat)
    await walk_registration_to(chat, "reg.model")
    await chat.text("Back")
    assert await chat.current_state() == "reg.product_name"
    await chat.text("keep")
    assert await chat.current_state() == "reg.model"
    assert (await form_values(chat, "register"))["product_name"] == "GeForce RTX 5070"
    await chat.text("cancel")
    assert chat.keys[0] == "common.cancelled_undo"  # the form had answers: Undo offered


async def test_typing_agree_and_confirm(chat: Chat) -> None:
    await chat.command("signup")
    for value in ("jo@example.com", "Jo", "Germany", "newsletter"):  # a button's label, typed
        await chat.text(value)
    await chat.text("yes")
    assert "Please check your details" in chat.text_all
    assert (await form_values(chat, "signup"))["newsletter"] is True
    await chat.text("I agree, continue")
    assert await chat.current_state() == "signup.password"


async def test_date_hint_reads_one_way_picker_reaches_last_year_and_back_offers_keep(
    chat: Chat,
) -> None:
    """Issue 11 item 8: the hint's examples are unambiguous, the months reach January of last
    year, and coming back to the date step shows the date given with Keep."""
    import datetime as dt

    from handlers import validators as v

    await sign_up(chat)
    await walk_registration_to(chat, "reg.purchase_date")
    hint = chat.replies[-1].text
    assert "26 Oct 2026" in hint and "2026-10-26" in hint  # today is 2026-11-25 here
    for example in ("26 Oct 2026", "2026-10-26"):
        assert v.purchase_date(example, dt.date(2026, 11, 25)).value == dt.date(2026, 10, 26)
    await chat.tap("Pick another date")
    months = chat.replies[-1].labels()
    assert "Jan 2025" in months and "Dec 2024" not in months and "Nov 2026" in months
    await chat.tap("Jan 2025")
    await chat.press(
        next(b.data for r in chat.replies for row in r.buttons for b in row if b.label == "17")
    )
    assert (await form_values(chat, "register"))["purchase_date"] == "2025-01-17"
    await chat.tap("Back")  # from the next step, back to the date
    assert await chat.current_state() == "reg.purchase_date"
    assert "Keep: 17 Jan 2025" in chat.replies[-1].labels()
    await chat.tap("Keep: 17 Jan 2025")
    assert (await form_values(chat, "register"))["purchase_date"] == "2025-01-17"
    assert await chat.current_state() == "reg.channel"
