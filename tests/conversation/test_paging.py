"""Long lists a page at a time: /products and /status with Previous/Next buttons."""

from __future__ import annotations

import dataclasses
import datetime as dt

from backend.port import ProductRegistration
from handlers.io import Action, Kind
from tests.conftest import Chat, Clock
from tests.conversation.journeys import redeem, register_product, sign_up


async def add_products(chat: Chat, clock: Clock, count: int) -> None:
    """``count`` products registered a minute apart (the list's order is registration's)."""
    member = await member_id(chat)
    for n in range(count):
        clock.advance(minutes=1)
        await chat.app.backend.register_product(member, registration(n))


async def member_id(chat: Chat) -> str:
    session = await chat.app.sessions.load(chat.key)
    assert session is not None and session.member_id
    return session.member_id


def registration(n: int) -> ProductRegistration:
    return ProductRegistration(
        category="Motherboard",
        product_name=f"MEG Z890 ACE no{n:02d}",
        model="E96-0R1",
        serial=f"BA3T{n:07d}V",
        chk="123",
        region="Germany",
        store="Computer Shop",
        purchase_date=dt.date(2025, 2, 10),
        channel="retail",
        invoice=f"sha256:invoice{n}",
    )


def page_buttons(chat: Chat) -> dict[str, str]:
    return {
        b.label: b.data
        for r in chat.replies
        for row in r.buttons
        for b in row
        if b.data.startswith(f"{Kind.PAGE}:")
    }


async def test_products_paged_with_prev_and_next(chat: Chat, clock: Clock) -> None:
    await sign_up(chat)
    await add_products(chat, clock, 23)
    await chat.command("products")
    assert "Page 1 of 3" in chat.text_all
    assert "no00" in chat.text_all and "no09" in chat.text_all and "no10" not in chat.text_all
    assert list(page_buttons(chat)) == ["Next ▶"]
    await chat.tap("Next ▶")
    assert "Page 2 of 3" in chat.text_all
    assert "no10" in chat.text_all and "no19" in chat.text_all and "no09" not in chat.text_all
    assert list(page_buttons(chat)) == ["◀ Previous", "Next ▶"]
    await chat.tap("Next ▶")
    assert "Page 3 of 3" in chat.text_all and "no22" in chat.text_all
    assert list(page_buttons(chat)) == ["◀ Previous"]
    await chat.tap("◀ Previous")
    assert "Page 2 of 3" in chat.text_all
    for data in page_buttons(chat).values():
        assert len(data.encode()) <= 64
    # the list shown again from the menu starts on its first page
    await chat.command("products")
    assert "Page 1 of 3" in chat.text_all


async def test_stale_or_out_of_range_page_buttons(chat: Chat, clock: Clock) -> None:
    await sign_up(chat)
    await add_products(chat, clock, 12)
    await chat.command("products")
    old_next = page_buttons(chat)["Next ▶"]
    await chat.tap("Next ▶")
    assert "Page 2 of 2" in chat.text_all
    await chat.press(old_next)  # a button of the older message: expired, not a page turn
    assert "That button" in chat.text_all and "Page 2 of 2" not in chat.text_all
    await chat.command("products")
    current = Action.decode(page_buttons(chat)["Next ▶"])
    assert current is not None
    await chat.press(dataclasses.replace(current, value="999999").encode())
    assert "Page 2 of 2" in chat.text_all and "no11" in chat.text_all  # past the end: the last
    await chat.command("products")
    current = Action.decode(page_buttons(chat)["Next ▶"])
    assert current is not None
    await chat.press(dataclasses.replace(current, value="-1").encode())
    # not a page number: refused like any stray button, and the first page shown again
    assert "That button" in chat.text_all and "Page 1 of 2" in chat.text_all


async def test_one_product_has_no_page_buttons(chat: Chat) -> None:
    await sign_up(chat)
    await register_product(chat)
    await chat.command("products")
    assert "Page" not in chat.text_all
    assert page_buttons(chat) == {}


async def test_status_newest_first_without_page_buttons(chat: Chat, clock: Clock) -> None:
    await sign_up(chat)
    await register_product(chat, name="FIRST PRODUCT", serial="BA3T01946000V")
    await redeem(chat)
    clock.advance(minutes=1)  # one claim newer than the other (a tie has no "newest")
    await register_product(chat, name="SECOND PRODUCT", serial="BA3T01946001V")
    await redeem(chat)
    await chat.command("status")
    text = chat.text_all
    assert text.index("SECOND PRODUCT") < text.index("FIRST PRODUCT")
    assert "Page" not in text and page_buttons(chat) == {}


async def test_redeem_product_buttons_a_page_at_a_time(chat: Chat, clock: Clock) -> None:
    """23 products fit the promotion: 10 buttons a page, Next/Previous, a product of page 3
    picked; a tampered product button (another member's, or one already claimed) refused."""
    await sign_up(chat)
    await add_products(chat, clock, 23)
    await chat.command("redeem")
    if "Which promotion" in chat.text_all:
        await chat.tap("Level Up")
    assert "Which product" in chat.text_all and "Page 1 of 3" in chat.text_all
    labels = [b.label for r in chat.replies for row in r.buttons for b in row]
    assert [label for label in labels if "no" in label and "·" in label] == [
        f"MEG Z890 ACE no{n:02d} · BA3T{n:07d}V" for n in range(10)
    ]
    await chat.tap("Next ▶")
    await chat.tap("Next ▶")
    assert "Page 3 of 3" in chat.text_all
    labels = [b.label for r in chat.replies for row in r.buttons for b in row]
    assert [label for label in labels if "·" in label] == [
        f"MEG Z890 ACE no{n:02d} · BA3T{n:07d}V" for n in range(20, 23)
    ]
    assert list(page_buttons(chat)) == ["◀ Previous"]
    pick = Action.decode(chat.button("no21"))
    assert pick is not None
    # another member's product id on this message's button: refused, nothing picked
    other = Chat(chat.app, user="2002")
    await sign_up(other, email="other@example.com")
    theirs = await chat.app.backend.register_product(await member_id(other), registration(99))
    await chat.press(dataclasses.replace(pick, value=theirs.id).encode())
    assert "can't be redeemed" in chat.text_all and "Which product" in chat.text_all
    await chat.tap("Next ▶")  # asked again from its first page
    await chat.tap("Next ▶")
    await chat.press(chat.button("no21"))
    assert "S/N sticker" in chat.text_all  # picked: on to the S/N photo
    session = await chat.app.sessions.load(chat.key)
    assert session is not None
    products = await chat.app.backend.list_products(await member_id(chat))
    (no21,) = [p.id for p in products if p.product_name.endswith("no21")]
    assert session.forms["redeem"]["product"] == no21
