"""Connector scenarios played in-process, the same for aiogram and PTB.

``test_aiogram.py`` and ``test_ptb.py`` run each of them on their framework's harness (see
``conftest.py``). Every call the connector makes is validated against the Bot API spec by the
fake; the test files check ``fake.violations`` and unanswered callback queries afterwards.
"""

from __future__ import annotations

import io
import re
from typing import Any

from PIL import Image

from bot.channels.telegram.common import TEXT_LIMIT, tg_len
from handlers.io import Button, Reply
from states import ConversationKey
from tests.conftest import jpeg
from tests.conversation.journeys import PASSWORD, redeem, register_product, sign_up
from tests.telegram.conftest import CUSTOMER, STAFF_CHAT, Harness, InProcessChat

KEY = ConversationKey("telegram", str(CUSTOMER), str(CUSTOMER))


def png(width: int = 900, height: int = 700) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (width, height), (90, 120, 150)).save(buf, "PNG")
    return buf.getvalue()


def port_of(h: Harness) -> Any:
    if h.framework == "aiogram":
        from bot.channels.telegram.aiogram_app import AiogramPort

        return AiogramPort(h.bot)  # type: ignore[attr-defined]
    if h.framework in ("wire", "aiogram-run"):
        return h.connector.port  # type: ignore[attr-defined]
    from bot.channels.telegram.ptb_app import PtbPort

    return PtbPort(h.application.bot)  # type: ignore[attr-defined]


async def staff_says(h: Harness, text: str, *, reply_to: int | None = None) -> list[Reply]:
    """A staff member writes in the staff group; returns the bot's answers there."""
    from tests.telegram.conftest import replies_in

    h.fake.add_user(777, "Sam", username="sam_staff")
    mark = len(h.fake.calls)
    await h.feed(h.fake.send_text(777, text, chat_id=STAFF_CHAT, reply_to_message_id=reply_to))
    return replies_in(h.fake.calls[mark:], STAFF_CHAT)


# ----------------------------------------------------------------------------- scenarios
async def menu_and_commands(h: Harness) -> None:
    names = [c["command"] for c in h.fake.commands()]
    assert names == ["start", "menu", "status", "help", "cancel", "language"]
    chat = InProcessChat(h)
    await chat.command("start")
    assert "promotion assistant" in chat.text_all
    await chat.tap("Sign up")
    assert "email" in chat.text_all.lower()
    assert h.fake.answered_callback_count == 1


async def full_journey(h: Harness) -> None:
    """Sign-up -> product with invoice photo -> redeem with S/N photo -> staff approves in the
    staff group -> the prize code arrives in the customer's chat."""
    chat = InProcessChat(h)
    await sign_up(chat)
    deleted = h.fake.calls_to("deleteMessage")
    assert len(deleted) == 3, (
        "both password messages and the emailed code are deleted right after reading"
    )
    texts = [
        m.get("text") or ""
        for m in h.fake.received(CUSTOMER)
        if m["message_id"] in {d["message_id"] for d in deleted}
    ]
    assert sum(PASSWORD in t for t in texts) == 2 and re.fullmatch(r"\d{6}", texts[-1]), texts
    await register_product(chat)
    await redeem(chat)
    assert h.fake.call_count("getFile") == 2  # invoice and S/N photo, each downloaded once
    claims = await h.app.desk.review_queue()
    assert len(claims) == 1
    answer = await staff_says(h, "/queue")
    assert claims[0].id in answer[0].text
    answer = await staff_says(h, f"/approve {claims[0].id}")
    assert "✅" in answer[0].text
    got = await chat.notifications()
    assert got and "code" in got[0].text.lower(), got


async def deep_link(h: Harness) -> None:
    chat = InProcessChat(h)
    await chat.command("start", "promo_levelup")
    session = await h.app.sessions.load(KEY)
    assert session is not None and session.scratch.get("deep_link_promo") == "levelup"


async def duplicate_update(h: Harness) -> None:
    update = h.fake.send_command(CUSTOMER, "start")
    await h.feed(update)
    sends = h.fake.call_count("sendMessage")
    await h.feed(update)  # a redelivery (polling restart, webhook retry)
    await h.feed_many([update, update])
    assert h.fake.call_count("sendMessage") == sends


async def stale_button(h: Harness) -> None:
    chat = InProcessChat(h)
    await chat.command("start")
    await chat.tap("Sign up")
    old = chat.button("Back")  # belongs to the email step
    message_id = h.fake.sent(CUSTOMER)[-1]["message_id"]
    await chat.text("jamie@example.com")
    await chat._do(lambda: h.fake.press_button(CUSTOMER, old, message_id))  # noqa: SLF001
    assert "expired" in chat.text_all
    assert not h.fake.unanswered_callback_queries()


async def support_round_trip(h: Harness) -> None:
    """Support request with a picture as a file, an oversized file, an album; forwarded to
    the staff group; staff answer by replying to the forwarded message, then close it."""
    chat = InProcessChat(h)
    await chat.command("start")
    await chat.tap("support")
    await chat.text("My code does not work")
    assert "Sent to our support team" in chat.text_all
    await chat.document(png(), "receipt.png", "image/png")
    assert "Added to your support request" in chat.text_all
    assert h.fake.call_count("getFile") == 1
    big = h.fake.send_document(CUSTOMER, b"x", "huge.png", "image/png")
    big["message"]["document"]["file_size"] = 25 * 1024 * 1024
    await chat._do(lambda: big)  # noqa: SLF001
    assert "too large" in chat.text_all
    assert h.fake.call_count("getFile") == 1  # refused before downloading
    album = h.fake.send_album(CUSTOMER, [jpeg(640, 480), jpeg(650, 480), jpeg(660, 480)])
    mark = len(h.fake.calls)
    await h.feed_many(album)
    turn = [c for c in h.fake.calls[mark:] if c.method == "sendMessage"]
    assert len(turn) == 1 and "Added" in turn[0].params["text"], (
        "an album is one turn, not three racing ones"
    )
    await h.pump()
    forwarded = [m for m in h.fake.sent(STAFF_CHAT) if "Support #" in (m.get("text") or "")]
    assert forwarded and "My code does not work" in forwarded[0]["text"]
    answer = await staff_says(h, "Please send the S/N photo.", reply_to=forwarded[0]["message_id"])
    assert "Sent to the customer" in answer[0].text
    got = await chat.notifications()
    assert any("Please send the S/N photo." in r.text for r in got), got
    ticket = forwarded[0]["text"].split("#", 1)[1].split()[0]
    answer = await staff_says(h, f"/close {ticket}")
    assert f"Closed #{ticket}" in answer[0].text
    await h.pump()
    assert not await h.app.support.has_open(KEY)


async def staff_commands(h: Harness) -> None:
    assert "Staff commands" in (await staff_says(h, "/help"))[0].text
    assert "No claims" in (await staff_says(h, "/queue"))[0].text
    assert "Usage" in (await staff_says(h, "/reject abc"))[0].text
    assert "Unknown reason" in (await staff_says(h, "/reject abc wrong_reason"))[0].text
    assert "⚠" in (await staff_says(h, "/approve no-such-claim"))[0].text
    assert "No support request" in (await staff_says(h, "/reply 99 hello"))[0].text
    assert await staff_says(h, "just chatting") == []


async def blocked_customer(h: Harness) -> None:
    chat = InProcessChat(h)
    await chat.command("start")
    h.fake.block_bot(CUSTOMER)
    await h.feed(h.fake.send_text(CUSTOMER, "hello?"))
    assert await h.app.links.is_blocked(KEY)
    other = InProcessChat(h, 5151)
    h.fake.add_user(5151)
    await other.command("start")
    assert "promotion assistant" in other.text_all, "nothing else breaks"
    h.fake.unblock_bot(CUSTOMER)
    await h.feed(member_update(h, "member"))
    assert not await h.app.links.is_blocked(KEY)
    await h.feed(member_update(h, "kicked"))
    assert await h.app.links.is_blocked(KEY)
    await chat.command("start")  # writing again unblocks
    assert not await h.app.links.is_blocked(KEY)


def member_update(h: Harness, status: str) -> dict[str, Any]:
    user = {"id": CUSTOMER, "is_bot": False, "first_name": "Jamie"}
    old = "member" if status == "kicked" else "kicked"
    bot = h.fake.bot_user
    return h.fake.enqueue_update(
        {
            "my_chat_member": {
                "chat": {"id": CUSTOMER, "type": "private", "first_name": "Jamie"},
                "from": user,
                "date": 1_700_000_000,
                "old_chat_member": {
                    "status": old,
                    "user": bot,
                    **({"until_date": 0} if old == "kicked" else {}),
                },
                "new_chat_member": {
                    "status": status,
                    "user": bot,
                    **({"until_date": 0} if status == "kicked" else {}),
                },
            }
        }
    )


async def transient_faults(h: Harness, clock: Any) -> None:
    """429 with retry_after, a 5xx, a dropped connection, a refused one: each reply arrives."""
    chat = InProcessChat(h)
    h.fake.fail_next("sendMessage", 429, retry_after=3)
    await chat.command("start")
    assert "promotion assistant" in chat.text_all
    assert any(s >= 3 for s in clock.slept), clock.slept
    h.fake.fail_next("sendMessage", 502)
    await chat.command("help")
    assert chat.replies
    h.fake.drop_connection_next("sendMessage")
    await chat.command("menu")
    assert chat.replies
    # a callback answer is retried only when it surely never left (a 5xx or a lost answer
    # may mean it was carried out: tests/telegram/test_sending.py)
    h.fake.refuse_connection_next("answerCallbackQuery")
    await chat.tap("Sign up")
    assert not h.fake.unanswered_callback_queries()


async def outbox_after_outage(h: Harness) -> None:
    """Sending keeps failing: the reply waits in the outbox and goes out after the outage."""
    h.fake.fail_next("sendMessage", 500, times=50)
    await h.feed(h.fake.send_command(CUSTOMER, "start"))
    assert not h.fake.sent(CUSTOMER)
    assert await h.app.outbox.pending(KEY) == 1
    h.fake.clear_faults()
    await h.pump()
    assert "promotion assistant" in (h.fake.last_text(CUSTOMER) or "")
    assert await h.app.outbox.pending(KEY) == 0


async def unsupported_and_foreign(h: Harness) -> None:
    chat = InProcessChat(h)
    await chat.command("start")
    location = h.fake.enqueue_update(
        {
            "message": {
                "message_id": 990,
                "date": 1_700_000_000,
                "chat": {"id": CUSTOMER, "type": "private", "first_name": "Jamie"},
                "from": {"id": CUSTOMER, "is_bot": False, "first_name": "Jamie"},
                "location": {"latitude": 52.52, "longitude": 13.40},
            }
        }
    )
    await chat._do(lambda: location)  # noqa: SLF001
    assert "promotion assistant" in chat.text_all, "shows where the customer is"
    h.fake.add_group(-100999, "Random group")
    mark = len(h.fake.calls)
    await h.feed(h.fake.send_text(CUSTOMER, "hello group", chat_id=-100999))
    assert not [c for c in h.fake.calls[mark:] if c.method == "sendMessage"]


async def long_texts_captions_edits(h: Harness) -> None:
    """Text split at 4096 (buttons on the last piece), caption within 1024, edit in place."""
    port = port_of(h)
    bridge = h.bridge
    buttons = ((Button("OK", "ok:~1"), Button("Back", "b:~1")),)
    long_text = ("A paragraph of words. " * 60 + "\n\n") * 8 + "😀" * 3000
    delivery = await bridge.outgoing.messenger.deliver(
        port, KEY, CUSTOMER, [Reply(text=long_text, buttons=buttons)]
    )
    assert delivery.ok
    sent = h.fake.sent(CUSTOMER)
    assert len(sent) >= 3 and all(tg_len(m["text"]) <= TEXT_LIMIT for m in sent)
    assert "reply_markup" in sent[-1] and all("reply_markup" not in m for m in sent[:-1])
    ref = await h.app.ports.media.put(jpeg(800, 600))
    await bridge.outgoing.messenger.deliver(
        port, KEY, CUSTOMER, [Reply(text="x" * 1500, image=ref, buttons=buttons)]
    )
    photo, after = h.fake.sent(CUSTOMER)[-2:]
    assert "photo" in photo and "caption" not in photo and after["text"] == "x" * 1500
    await bridge.outgoing.messenger.deliver(port, KEY, CUSTOMER, [Reply(text="short", image=ref)])
    assert h.fake.sent(CUSTOMER)[-1]["caption"] == "short"
    target = h.fake.sent(CUSTOMER)[0]["message_id"]
    count = len(h.fake.sent(CUSTOMER))
    await bridge.outgoing.messenger.deliver(
        port, KEY, CUSTOMER, [Reply(text="edited", replace=True)], edit_message_id=target
    )
    assert len(h.fake.sent(CUSTOMER)) == count and h.fake.sent(CUSTOMER)[0]["text"] == "edited"
    await bridge.outgoing.messenger.deliver(
        port, KEY, CUSTOMER, [Reply(text="edited", replace=True)], edit_message_id=target
    )
    assert len(h.fake.sent(CUSTOMER)) == count, "'not modified' is fine, no new message"
    photo_id = h.fake.sent(CUSTOMER)[-1]["message_id"]
    await bridge.outgoing.messenger.deliver(
        port, KEY, CUSTOMER, [Reply(text="new", replace=True)], edit_message_id=photo_id
    )
    assert h.fake.sent(CUSTOMER)[-1]["text"] == "new", "a photo cannot take a text: sent anew"
    bad = Reply(
        text="bad button", buttons=((Button("Too long", "x" * 65), Button("ok", "m:menu")),)
    )
    await bridge.outgoing.messenger.deliver(port, KEY, CUSTOMER, [bad])
    keyboard = h.fake.sent(CUSTOMER)[-1]["reply_markup"]["inline_keyboard"]
    assert [b["callback_data"] for row in keyboard for b in row] == ["m:menu"]
