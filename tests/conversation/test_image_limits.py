"""Pictures as a denial of service (defect 8), through the real engine, stores and worker
pool: the guests' budget, the per-chat rate on an injected clock, the busy answer; every
refusal is a catalog text and the customer stays where they were, nothing entered lost."""

from __future__ import annotations

import io
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from PIL import Image

from bot.app import App, build_app
from bot.config import Settings
from handlers.io import ImageIn
from tests.conftest import Chat, Clock, jpeg, make_settings
from tests.conversation.journeys import sign_up
from tests.conversation.test_fields import form_values, walk_registration_to
from tests.storage.test_images import _attack_png


def png_9mp() -> bytes:
    """A real 3000x3000 picture: over a guest's lossless budget, within a customer's."""
    buf = io.BytesIO()
    Image.new("L", (3000, 3000), 90).save(buf, "PNG")
    return buf.getvalue()


async def guest_in_support(chat: Chat) -> None:
    await chat.command("support")
    await chat.text("My product arrived broken, here is a picture")
    assert await chat.current_state() == "support.open"


async def messages_with_pictures(chat: Chat) -> int:
    return sum(1 for m in await chat.app.support.undelivered("customer") if m.media_ref)


async def test_a_guest_cannot_make_the_bot_decode_the_59_mp_png(chat: Chat) -> None:
    await guest_in_support(chat)
    await chat.photo(_attack_png(), filename="broken.png", mime="image/png")
    assert chat.keys == ["image.bomb"]
    assert await chat.current_state() == "support.open"
    assert await messages_with_pictures(chat) == 0
    await chat.photo(jpeg())  # an ordinary photo still goes through
    assert chat.keys == ["support.added"]
    assert await messages_with_pictures(chat) == 1


async def test_guests_have_a_tighter_pixel_budget_than_customers(app: App) -> None:
    picture = png_9mp()
    guest = Chat(app, user="2001")
    await guest_in_support(guest)
    await guest.photo(picture, filename="s.png", mime="image/png")
    assert guest.keys == ["image.bomb"]
    customer = Chat(app, user="2002")
    await sign_up(customer)
    await walk_registration_to(customer, "reg.invoice")
    await customer.photo(picture, filename="invoice.png", mime="image/png")
    assert customer.keys[0] == "image.received"
    assert (await form_values(customer, "register"))["invoice"].startswith("sha256:")


async def test_guests_have_a_tighter_byte_limit_before_download(app: App) -> None:
    fetched: list[int] = []

    async def fetch() -> bytes:
        fetched.append(1)
        return jpeg()

    guest = Chat(app, user="2003")
    await guest_in_support(guest)
    await guest.send(
        ImageIn(fetch=fetch, size=12 * 1024 * 1024, filename="big.jpg", mime="image/jpeg")
    )
    assert guest.keys == ["image.too_large"] and "10 MB" in guest.text_all
    assert fetched == []


async def test_the_picture_rate_is_per_chat_and_refills_with_time(app: App, clock: Clock) -> None:
    fetched: list[str] = []

    def junk(who: str) -> ImageIn:
        async def fetch() -> bytes:
            fetched.append(who)
            return b"not a picture at all"

        return ImageIn(fetch=fetch, size=20, filename="x.png", mime="image/png")

    guest, other = Chat(app, user="3001"), Chat(app, user="3002")
    await guest_in_support(guest)
    await guest_in_support(other)
    for _ in range(3):  # refused pictures count too: they cost a download and a look
        await guest.send(junk("guest"))
        assert guest.keys == ["image.not_image"]
    await guest.send(junk("guest"))
    assert guest.keys == ["image.slow_down"] and "(20 s)" in guest.text_all
    assert fetched == ["guest"] * 3  # refused before the download
    await guest.album(jpeg(), jpeg())  # an album is no way around it
    assert guest.keys == ["image.slow_down"]
    await other.send(junk("other"))  # another chat has its own bucket
    assert other.keys == ["image.not_image"]
    clock.advance(seconds=19)
    await guest.send(junk("guest"))
    assert guest.keys == ["image.slow_down"] and "(1 s)" in guest.text_all
    clock.advance(seconds=1)
    await guest.photo(jpeg())
    assert guest.keys == ["support.added"]
    assert await guest.current_state() == "support.open"


async def test_a_customer_is_slowed_down_and_keeps_the_form(app: App, clock: Clock) -> None:
    customer = Chat(app, user="3003")
    await sign_up(customer)
    await walk_registration_to(customer, "reg.invoice")
    before = await form_values(customer, "register")
    for _ in range(10):
        await customer.photo(b"junk", filename="x.jpg")
        assert customer.keys[0] == "image.not_image"
    await customer.photo(jpeg())
    assert customer.keys[0] == "image.slow_down" and "(6 s)" in customer.text_all
    assert customer.replies[-1].key == "reg.invoice.prompt"  # asked again, in place
    assert await customer.current_state() == "reg.invoice"
    assert await form_values(customer, "register") == before
    await customer.command("logout")  # logging out refills nothing
    await customer.command("support")
    await customer.text("hello")
    await customer.photo(jpeg())
    assert customer.keys == ["image.slow_down"]
    clock.advance(seconds=60)
    await customer.photo(jpeg())
    assert customer.keys == ["support.added"]


@pytest.fixture
async def tight_app(tmp_path: Path, clock: Clock) -> AsyncIterator[App]:
    application = await build_app(
        make_settings(tmp_path, IMAGE_WORKERS="1", IMAGE_QUEUE="0"), clock=clock
    )
    yield application
    await application.close()


async def test_a_full_pool_answers_busy_and_keeps_the_place(tight_app: App) -> None:
    customer = Chat(tight_app, user="4001")
    await sign_up(customer)
    await walk_registration_to(customer, "reg.invoice")
    before = await form_values(customer, "register")
    gate = tight_app.ports.images.pool.all
    await gate.acquire()  # the one worker is taken (by another chat's picture)
    try:
        await customer.photo(jpeg())
    finally:
        gate.release()
    assert customer.keys[0] == "image.busy"
    assert customer.replies[-1].key == "reg.invoice.prompt"
    assert await customer.current_state() == "reg.invoice"
    assert await form_values(customer, "register") == before
    await customer.photo(jpeg())
    assert customer.keys[0] == "image.received"


def test_rate_settings_are_checked() -> None:
    assert Settings.image_rate_pair("10/60") == (10, 60.0)
    for bad in ("10", "0/60", "10/0", "x/y", "10/-1"):
        with pytest.raises(ValueError):
            Settings(_env_file=None, IMAGE_RATE=bad)
