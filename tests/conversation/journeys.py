"""Whole journeys as reusable steps, played through the engine like a customer would."""

from __future__ import annotations

import re

from tests.conftest import Chat, jpeg

PASSWORD = "s3cret-Passw0rd"
DEMO_CODE = re.compile(r"DEMO MODE.*?code for \S+ is: (\d{6})")


def demo_code(text: str) -> str:
    """The code a demo-mode bot (no SMTP) shows in the chat."""
    found = DEMO_CODE.findall(text)
    assert found, text
    return found[-1]


async def answer_sign_up(
    chat: Chat, email: str, first: str, last: str, region: str, *, details: bool = True
) -> None:
    """From the email question to the password question: the required details, then (with
    ``details``) every optional one through its Edit button on the summary, then the
    explicit consent ("I agree, continue" under the privacy policy)."""
    for value in (email, first, region):
        await chat.text(value)
    assert "Please check your details" in chat.text_all, chat.text_all
    if details:
        await chat.tap("Last name")
        await chat.text(last)
        await chat.tap("Contact number")
        await chat.text("+49 30 1234567")
        await chat.tap("Newsletter")
        await chat.tap("Yes")
        await chat.tap("MSI Reward Program")
        await chat.tap("Yes")
        assert "Please check your details" in chat.text_all, chat.text_all
    await chat.tap("I agree, continue")


async def sign_up_to_password(chat: Chat, email: str = "jo@example.com") -> None:
    await chat.command("signup")
    await answer_sign_up(chat, email, "Jo", "Doe", "Germany")


async def sign_up(
    chat: Chat,
    email: str = "jamie@example.com",
    first: str = "Jamie",
    region: str = "Germany",
    *,
    details: bool = True,
) -> None:
    """The whole sign-up; ``details=False``: the optional details skipped (the fewest messages)."""
    await chat.command("start")
    await chat.tap("Sign up")
    await answer_sign_up(chat, email, first, "Smith", region, details=details)
    await chat.text(PASSWORD)
    await chat.text(PASSWORD)
    await chat.text(demo_code(chat.text_all))  # the code "emailed" (demo mode: shown here)
    assert "Welcome to MSI" in chat.text_all, chat.text_all


async def log_in(chat: Chat, email: str = "jamie@example.com", password: str = PASSWORD) -> None:
    await chat.command("login")
    await chat.text(email)
    await chat.text(password)


async def register_product(
    chat: Chat,
    *,
    category: str = "Graphics Card",
    name: str = "GeForce RTX 5070 GAMING TRIO",
    model: str = "V531-001R",
    serial: str = "BA3T01946000V",
    chk: str = "123",
    date: str = "2026-10-01",
    store: str = "Amazon.de",
) -> None:
    await chat.command("register")
    await chat.tap(category)
    await chat.text(name)
    await chat.text(model)
    await chat.text(serial)
    if "Is that exactly what the sticker shows" in chat.text_all:
        await chat.tap("Yes, that's right")
    if "already registered" in chat.text_all:  # refused at the S/N step itself
        return
    await chat.text(chk)  # the purchase region: the account's (said; Back or Edit changes it)
    await chat.text(store)
    await chat.text(date)
    await chat.tap("Online retailer")
    await chat.photo(jpeg())
    assert "Your product:" in chat.text_all, chat.text_all
    await chat.tap("Confirm")


def has_button(chat: Chat, label: str) -> bool:
    """A button whose label contains ``label`` is under the last replies."""
    return any(label in b.label for r in chat.replies for row in r.buttons for b in row)


async def open_redeem(chat: Chat, promotion: str | None = None) -> None:
    """Open the redeem form up to its S/N photo step: the promotion (``promotion``, else the
    first) and the first eligible product, each only where there is a choice (a single one is
    picked and said)."""
    await chat.command("redeem")
    if promotion is not None and "Which promotion" in chat.text_all:
        await chat.tap(promotion)
    elif "Which promotion" in chat.text_all:
        await chat.press(chat.replies[-1].button_data()[0])
    if "Which product" in chat.text_all:
        await chat.press(chat.replies[-1].button_data()[0])  # the first eligible product
    assert "photo of the S/N sticker" in chat.text_all, chat.text_all


async def send_sn_photo(chat: Chat, photo: bytes | None = None) -> None:
    """The S/N photo; a warning from the sticker check (checks on) answered "Send it anyway"."""
    await chat.photo(photo if photo is not None else jpeg(1000, 800, (10, 20, 30)))
    if has_button(chat, "Send it anyway"):
        await chat.tap("Send it anyway")


async def answer_recipient(
    chat: Chat, street: str = "Invalidenstr. 1", phone: str = "", *, one_line: bool = False
) -> None:
    """The recipient: the address used last time is taken (said, the summary follows), else
    the member (name and phone from the account, said) and the address typed, with what the
    account lacks (last name, contact number); ``phone``: another contact number, through
    the summary's Edit button; ``one_line``: the zip code and the city in one message."""
    if "Please check your redemption" in chat.text_all:
        assert "address you used last time" in chat.text_all, chat.text_all
    else:
        assert "The prize goes to you" in chat.text_all, chat.text_all
        if "Last name?" in chat.text_all:  # not given at sign-up
            await chat.text("Smith")
        if one_line:
            await chat.text("10115 Berlin")
        else:
            await chat.text("10115")
            await chat.text("Berlin")
        await chat.text(street)  # the unit: not asked (on the summary to add)
        if "Contact number?" in chat.text_all:  # not given at sign-up
            await chat.text("+49 30 1234567")
    assert "Please check your redemption" in chat.text_all, chat.text_all
    if phone:
        await chat.tap("Contact number")
        await chat.text(phone)
        assert "Please check your redemption" in chat.text_all, chat.text_all


async def redeem_to_summary(
    chat: Chat,
    promotion: str | None = None,
    *,
    sn_photo: bytes | None = None,
    street: str = "Invalidenstr. 1",
    phone: str = "",
) -> None:
    """Open the redeem form and fill it up to its summary (the first eligible product); the
    recipient as in ``answer_recipient``."""
    await open_redeem(chat, promotion)
    await send_sn_photo(chat, sn_photo)
    await answer_recipient(chat, street, phone)


async def redeem(
    chat: Chat,
    promotion: str | None = None,
    *,
    sn_photo: bytes | None = None,
    street: str = "Invalidenstr. 1",
    phone: str = "",
) -> None:
    await redeem_to_summary(chat, promotion, sn_photo=sn_photo, street=street, phone=phone)
    await chat.tap("Confirm")
    assert "successfully sent" in chat.text_all, chat.text_all


async def reject_and_redeem_again(chat: Chat, reason, text: str = ""):
    """Staff reject the claim waiting for review; the customer taps Redeem again on the news."""
    claim = (await chat.app.desk.review_queue())[0]
    await chat.app.desk.reject(claim.id, reason, text, "staff")
    await chat.notifications()
    await chat.tap("Redeem again")
    return claim
