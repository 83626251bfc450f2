"""Tests for FakeBotApi, driven by a plain aiohttp client and by real aiogram / PTB bots."""

from __future__ import annotations

import asyncio
import io
import json
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest
from aiohttp import web
from PIL import Image

from tests.telegram.fake_bot_api import FakeBotApi
from tests.telegram.spec import BotApiSpec

USER = 42
GROUP = -1001234567890


@pytest.fixture(scope="module")
def spec() -> BotApiSpec:
    return BotApiSpec.load()


@pytest.fixture
async def fake(spec: BotApiSpec) -> AsyncIterator[FakeBotApi]:
    async with FakeBotApi(spec=spec) as server:
        yield server


@pytest.fixture
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as session:
        yield session


async def call(
    http: aiohttp.ClientSession, fake: FakeBotApi, method: str, **params: Any
) -> tuple[int, dict[str, Any]]:
    async with http.post(f"{fake.api_url}/{method}", json=params) as resp:
        return resp.status, await resp.json()


async def result(http: aiohttp.ClientSession, fake: FakeBotApi, method: str, **params: Any) -> Any:
    status, body = await call(http, fake, method, **params)
    assert status == 200 and body["ok"], body
    return body["result"]


def png(width: int = 1000, height: int = 700) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), "navy").save(out, "PNG")
    return out.getvalue()


KEYBOARD = {
    "inline_keyboard": [
        [{"text": "Register", "callback_data": "menu:register"}],
        [{"text": "Status", "callback_data": "menu:status"}],
    ]
}


# ---------------------------------------------------------------- basics


async def test_get_me_over_get_and_post(fake: FakeBotApi, http: aiohttp.ClientSession) -> None:
    async with http.get(f"{fake.api_url}/getMe") as resp:
        me = (await resp.json())["result"]
    assert me["is_bot"] and me["id"] == fake.bot_id and me["username"] == "redeem_test_bot"
    assert await result(http, fake, "GETME") == me  # method names are case-insensitive
    assert [c.method for c in fake.calls] == ["getMe", "getMe"]


async def test_wrong_token_and_unknown_method(
    fake: FakeBotApi, http: aiohttp.ClientSession
) -> None:
    async with http.post(f"{fake.base_url}/bot1:wrong/getMe") as resp:
        assert resp.status == 401
        assert (await resp.json())["description"] == "Unauthorized"
    status, body = await call(http, fake, "sendMesage", chat_id=1)
    assert (status, body["error_code"], body["description"]) == (404, 404, "Not Found")
    assert fake.violations == ["sendMesage: unknown method 'sendMesage'"]


async def test_send_message_is_stored_per_chat(
    fake: FakeBotApi, http: aiohttp.ClientSession
) -> None:
    fake.add_user(USER, "Ana", username="ana")
    message = await result(
        http,
        fake,
        "sendMessage",
        chat_id=USER,
        text="<b>Hi</b> Ana",
        parse_mode="HTML",
        reply_markup=KEYBOARD,
    )
    assert message["chat"] == {
        "id": USER,
        "type": "private",
        "first_name": "Ana",
        "username": "ana",
    }
    assert message["from"]["id"] == fake.bot_id
    assert message["text"] == "Hi Ana"  # entities parsed like Telegram does
    assert fake.spec.validate_object("Message", message) == []
    assert fake.sent(USER) == [message]
    assert fake.last_text(USER) == "Hi Ana"
    assert fake.inline_buttons(USER) == KEYBOARD["inline_keyboard"]
    assert fake.button_texts(USER) == ["Register", "Status"]
    await result(http, fake, "sendMessage", chat_id="@ana", text="by username")
    assert fake.calls_to("sendMessage")[0]["reply_markup"] == KEYBOARD  # decoded, not JSON text
    assert fake.violations == []


async def test_form_encoded_bodies_are_decoded(
    fake: FakeBotApi, http: aiohttp.ClientSession
) -> None:
    fake.add_user(USER)
    form = {
        "chat_id": str(USER),
        "text": "hello",
        "reply_markup": json.dumps(KEYBOARD),
        "protect_content": "true",
    }
    async with http.post(f"{fake.api_url}/sendMessage", data=form) as resp:
        assert resp.status == 200, await resp.text()
    assert fake.calls[-1].params == {
        "chat_id": USER,
        "text": "hello",
        "reply_markup": KEYBOARD,
        "protect_content": True,
    }


async def test_invalid_calls_are_400_and_recorded(
    fake: FakeBotApi, http: aiohttp.ClientSession
) -> None:
    fake.add_user(USER)
    status, body = await call(http, fake, "sendMessage", chat_id=USER, text="x" * 4097)
    assert (status, body["ok"], body["error_code"]) == (400, False, 400)
    assert body["description"] == "Bad Request: message is too long"
    bad_button = {"inline_keyboard": [[{"text": "A", "callback_data": "x" * 65}]]}
    status, body = await call(
        http, fake, "sendMessage", chat_id=USER, text="x", reply_markup=bad_button
    )
    assert body["description"] == "Bad Request: BUTTON_DATA_INVALID"
    assert len(fake.violations) == 2 and "callback_data: must be 1-64 bytes" in fake.violations[1]
    assert fake.sent(USER) == []
    with pytest.raises(AssertionError, match="message is too long|4097"):
        fake.assert_no_violations()


async def test_chat_not_found_is_a_runtime_error_not_a_violation(
    fake: FakeBotApi, http: aiohttp.ClientSession
) -> None:
    status, body = await call(http, fake, "sendMessage", chat_id=777, text="hi")
    assert (status, body["description"]) == (400, "Bad Request: chat not found")
    assert fake.violations == [] and fake.api_errors == [
        ("sendMessage", "Bad Request: chat not found")
    ]


# ---------------------------------------------------------------- getUpdates


async def test_get_updates_offsets(fake: FakeBotApi, http: aiohttp.ClientSession) -> None:
    first = fake.send_text(USER, "one")
    fake.send_text(USER, "two")
    fake.send_command(USER, "start", "promo")
    updates = await result(http, fake, "getUpdates")
    assert [u["message"]["text"] for u in updates] == ["one", "two", "/start promo"]
    assert updates[2]["message"]["entities"] == [{"type": "bot_command", "offset": 0, "length": 6}]
    assert all(fake.spec.validate_object("Update", u) == [] for u in updates)
    second = updates[1]["update_id"]
    assert second == first["update_id"] + 1
    assert [
        u["update_id"] for u in await result(http, fake, "getUpdates", offset=second, limit=1)
    ] == [second]
    assert fake.pending_update_count == 2  # the first one was confirmed by the offset
    last = updates[2]["update_id"]
    assert await result(http, fake, "getUpdates", offset=last + 1) == []
    assert fake.pending_update_count == 0
    await fake.wait_for_updates_consumed(timeout=0.1)


async def test_long_poll_wakes_up_on_a_new_update(
    fake: FakeBotApi, http: aiohttp.ClientSession
) -> None:
    loop = asyncio.get_running_loop()
    started = loop.time()
    poll = asyncio.create_task(result(http, fake, "getUpdates", timeout=5))
    await fake.wait_for(lambda: fake.call_count("getUpdates") == 1, timeout=2)
    assert not poll.done()
    fake.send_text(USER, "wake up")
    updates = await asyncio.wait_for(poll, 2)
    assert [u["message"]["text"] for u in updates] == ["wake up"]
    assert loop.time() - started < 2


async def test_a_second_poller_terminates_the_first(
    fake: FakeBotApi, http: aiohttp.ClientSession
) -> None:
    first = asyncio.create_task(call(http, fake, "getUpdates", timeout=5))
    await fake.wait_for(lambda: fake.call_count("getUpdates") == 1, timeout=2)
    second = asyncio.create_task(call(http, fake, "getUpdates", timeout=5))
    status, body = await asyncio.wait_for(first, 2)
    assert status == 409 and "terminated by other getUpdates request" in body["description"]
    fake.send_text(USER, "hi")
    status, body = await asyncio.wait_for(second, 2)
    assert status == 200 and len(body["result"]) == 1


async def test_enqueue_update_redelivers_a_confirmed_update(
    fake: FakeBotApi, http: aiohttp.ClientSession
) -> None:
    update = fake.send_text(USER, "once")
    [got] = await result(http, fake, "getUpdates")
    await result(http, fake, "getUpdates", offset=got["update_id"] + 1)  # confirm
    fake.enqueue_update(update)
    again = await result(http, fake, "getUpdates", offset=got["update_id"] + 1)
    assert again == [update]
    assert await result(http, fake, "getUpdates", offset=got["update_id"] + 1) == []
    raw = fake.enqueue_update({"message": update["message"]})  # no update_id: a fresh one
    assert raw["update_id"] > update["update_id"]


async def test_allowed_updates_filter(fake: FakeBotApi, http: aiohttp.ClientSession) -> None:
    fake.add_user(USER)
    await result(http, fake, "sendMessage", chat_id=USER, text="menu", reply_markup=KEYBOARD)
    fake.send_text(USER, "text")
    fake.press_button(USER, "menu:status")
    updates = await result(http, fake, "getUpdates", allowed_updates=["callback_query"])
    assert [next(k for k in u if k != "update_id") for u in updates] == ["callback_query"]


# ---------------------------------------------------------------- webhook


class Receiver:
    """A stand-in for the bot's webhook endpoint."""

    def __init__(self, statuses: list[int], reply: dict[str, Any] | None = None) -> None:
        self.statuses = statuses
        self.reply = reply
        self.requests: list[tuple[dict[str, str], dict[str, Any]]] = []
        self.runner: web.AppRunner | None = None
        self.url = ""

    async def handle(self, request: web.Request) -> web.Response:
        self.requests.append((dict(request.headers), await request.json()))
        status = self.statuses.pop(0) if self.statuses else 200
        if status == 200 and self.reply is not None:
            return web.json_response(self.reply)
        return web.Response(status=status)

    async def __aenter__(self) -> Receiver:
        app = web.Application()
        app.router.add_post("/hook", self.handle)
        self.runner = web.AppRunner(app)
        await self.runner.setup()
        site = web.TCPSite(self.runner, "127.0.0.1", 0)
        await site.start()
        self.url = f"http://127.0.0.1:{self.runner.addresses[0][1]}/hook"
        return self

    async def __aexit__(self, *exc: object) -> None:
        assert self.runner is not None
        await self.runner.cleanup()


async def test_webhook_delivery_with_secret_and_retries(
    fake: FakeBotApi, http: aiohttp.ClientSession
) -> None:
    async with Receiver([500, 502]) as receiver:
        pending = fake.send_text(USER, "queued before the webhook")
        assert (
            await result(http, fake, "setWebhook", url=receiver.url, secret_token="s3cret") is True
        )
        await fake.wait_for_updates_consumed(timeout=5)
        assert len(receiver.requests) == 3  # 500, 502, then 200
        headers, body = receiver.requests[-1]
        assert headers["X-Telegram-Bot-Api-Secret-Token"] == "s3cret"
        assert body == pending
        assert [d.status for d in fake.webhook_deliveries] == [500, 502, 200]
        info = await result(http, fake, "getWebhookInfo")
        assert info["url"] == receiver.url and info["pending_update_count"] == 0
        assert info["last_error_message"] == "Wrong response from the webhook: 502 Bad Gateway"
        status, body = await call(http, fake, "getUpdates")
        assert status == 409 and "webhook is active" in body["description"]

        fake.send_text(USER, "live")
        await fake.wait_for(lambda: len(receiver.requests) == 4, timeout=5)
        assert receiver.requests[-1][1]["message"]["text"] == "live"

        assert await result(http, fake, "deleteWebhook") is True
        assert fake.webhook_url is None
        fake.send_text(USER, "polling again")
        assert len(await result(http, fake, "getUpdates")) == 1


async def test_webhook_response_can_carry_a_method_call(
    fake: FakeBotApi, http: aiohttp.ClientSession
) -> None:
    reply = {"method": "sendMessage", "chat_id": USER, "text": "answered in the response"}
    async with Receiver([], reply=reply) as receiver:
        await result(http, fake, "setWebhook", url=receiver.url)
        fake.send_text(USER, "hi")
        message = await fake.wait_for_message(USER, "answered", timeout=5)
    assert message["text"] == "answered in the response"
    assert fake.violations == []


async def test_webhook_must_point_to_loopback(
    fake: FakeBotApi, http: aiohttp.ClientSession
) -> None:
    status, body = await call(http, fake, "setWebhook", url="https://example.com/hook")
    assert status == 400 and "bad webhook" in body["description"]


# ---------------------------------------------------------------- files


async def test_multipart_send_photo_get_file_and_download(
    fake: FakeBotApi, http: aiohttp.ClientSession
) -> None:
    fake.add_user(USER)
    image = png()
    form = aiohttp.FormData()
    form.add_field("chat_id", str(USER))
    form.add_field("caption", "Your receipt")
    form.add_field("photo", "attach://receipt")
    form.add_field("receipt", image, filename="receipt.png", content_type="image/png")
    async with http.post(f"{fake.api_url}/sendPhoto", data=form) as resp:
        body = await resp.json()
    assert resp.status == 200, body
    sizes = body["result"]["photo"]
    assert [(s["width"], s["height"]) for s in sizes] == [
        (90, 63),
        (320, 224),
        (800, 560),
        (1000, 700),
    ]
    upload = fake.calls[-1].params["photo"]
    assert upload.data == image and upload.filename == "receipt.png"
    assert fake.last_text(USER) == "Your receipt"

    file = await result(http, fake, "getFile", file_id=sizes[-1]["file_id"])
    assert file["file_size"] == len(image) and file["file_path"].startswith("photos/")
    async with http.get(f"{fake.base_url}/file/bot{fake.token}/{file['file_path']}") as resp:
        assert await resp.read() == image
    async with http.get(f"{fake.base_url}/file/bot{fake.token}/photos/nope.jpg") as resp:
        assert resp.status == 404

    again = await result(http, fake, "sendPhoto", chat_id=USER, photo=sizes[-1]["file_id"])
    assert again["photo"] == sizes
    status, body = await call(http, fake, "getFile", file_id="nope")
    assert (status, body["description"]) == (400, "Bad Request: invalid file_id")
    assert fake.violations == []


async def test_bot_uploads_that_are_not_images_fail(
    fake: FakeBotApi, http: aiohttp.ClientSession
) -> None:
    fake.add_user(USER)
    form = aiohttp.FormData()
    form.add_field("chat_id", str(USER))
    form.add_field("photo", b"%PDF-1.4", filename="x.pdf", content_type="application/pdf")
    async with http.post(f"{fake.api_url}/sendPhoto", data=form) as resp:
        assert resp.status == 400
        assert (await resp.json())["description"] == "Bad Request: IMAGE_PROCESS_FAILED"
    form = aiohttp.FormData()
    form.add_field("chat_id", str(USER))
    form.add_field("document", b"%PDF-1.4", filename="claim.pdf", content_type="application/pdf")
    async with http.post(f"{fake.api_url}/sendDocument", data=form) as resp:
        document = (await resp.json())["result"]["document"]
    assert document["file_name"] == "claim.pdf" and document["mime_type"] == "application/pdf"
    assert fake.file_bytes(document["file_id"]) == b"%PDF-1.4"
    status, body = await call(http, fake, "sendPhoto", chat_id=USER, photo=document["file_id"])
    assert body["description"] == "Bad Request: can't use file of type Document as Photo"


async def test_customer_media(fake: FakeBotApi, http: aiohttp.ClientSession) -> None:
    image = png(400, 300)
    photo = fake.send_photo(USER, image, caption="receipt")["message"]
    assert [s["width"] for s in photo["photo"]] == [90, 320, 400]
    largest = photo["photo"][-1]
    file = await result(http, fake, "getFile", file_id=largest["file_id"])
    async with http.get(f"{fake.base_url}/file/bot{fake.token}/{file['file_path']}") as resp:
        assert await resp.read() == image
    doc = fake.send_document(USER, b"%PDF", "invoice.pdf", "application/pdf")["message"]["document"]
    assert doc["mime_type"] == "application/pdf" and doc["file_name"] == "invoice.pdf"
    album = fake.send_album(USER, [image, image, image], caption="all three")
    groups = {u["message"]["media_group_id"] for u in album}
    assert len(groups) == 1 and [u["message"].get("caption") for u in album] == [
        "all three",
        None,
        None,
    ]
    contact = fake.send_contact(USER, "+14155550100")["message"]["contact"]
    assert contact["user_id"] == USER
    registered = fake.register_file(b"data", file_name="serial.txt")
    assert (await result(http, fake, "getFile", file_id=registered["file_id"]))["file_size"] == 4
    for update in await result(http, fake, "getUpdates"):
        assert fake.spec.validate_object("Update", update) == []


# ---------------------------------------------------------------- editing, buttons, commands


async def test_edit_semantics(fake: FakeBotApi, http: aiohttp.ClientSession) -> None:
    fake.add_user(USER)
    sent = await result(
        http, fake, "sendMessage", chat_id=USER, text="Pick one", reply_markup=KEYBOARD
    )
    mid = sent["message_id"]
    status, body = await call(http, fake, "editMessageText", chat_id=USER, message_id=999, text="x")
    assert (status, body["description"]) == (400, "Bad Request: message to edit not found")
    status, body = await call(
        http,
        fake,
        "editMessageText",
        chat_id=USER,
        message_id=mid,
        text="Pick one",
        reply_markup=KEYBOARD,
    )
    assert status == 400 and body["description"].startswith("Bad Request: message is not modified")
    edited = await result(
        http, fake, "editMessageText", chat_id=USER, message_id=mid, text="Picked"
    )
    assert edited["text"] == "Picked" and "reply_markup" not in edited  # omitted markup = removed
    assert fake.inline_buttons(USER) == []
    edited = await result(
        http, fake, "editMessageReplyMarkup", chat_id=USER, message_id=mid, reply_markup=KEYBOARD
    )
    assert edited["reply_markup"] == KEYBOARD and edited["text"] == "Picked"
    status, body = await call(
        http, fake, "editMessageReplyMarkup", chat_id=USER, message_id=mid, reply_markup=KEYBOARD
    )
    assert body["description"].startswith("Bad Request: message is not modified")
    assert await result(http, fake, "deleteMessage", chat_id=USER, message_id=mid) is True
    assert fake.sent(USER) == [] and len(fake.sent(USER, include_deleted=True)) == 1
    status, body = await call(http, fake, "deleteMessage", chat_id=USER, message_id=mid)
    assert body["description"] == "Bad Request: message to delete not found"


async def test_buttons_and_callback_answers(fake: FakeBotApi, http: aiohttp.ClientSession) -> None:
    fake.add_user(USER)
    sent = await result(http, fake, "sendMessage", chat_id=USER, text="Menu", reply_markup=KEYBOARD)
    query = fake.press_button(USER, "menu:status")["callback_query"]
    assert query["message"]["message_id"] == sent["message_id"] and query["data"] == "menu:status"
    second = fake.press_button_text(USER, "Register")["callback_query"]
    assert second["data"] == "menu:register"
    with pytest.raises(AssertionError, match="no inline button"):
        fake.press_button(USER, "menu:unknown")
    stale = fake.press_button(USER, "gone", message_id=sent["message_id"])["callback_query"]
    assert stale["data"] == "gone"

    assert (
        await result(http, fake, "answerCallbackQuery", callback_query_id=query["id"], text="Done")
        is True
    )
    status, body = await call(http, fake, "answerCallbackQuery", callback_query_id=query["id"])
    assert status == 400 and "query ID is invalid" in body["description"]
    assert fake.answered_callback_count == 1
    assert {q.data for q in fake.unanswered_callback_queries()} == {"menu:register", "gone"}
    with pytest.raises(AssertionError, match="never answered"):
        fake.assert_all_callbacks_answered()
    assert fake.callback_queries[query["id"]].answer == {
        "callback_query_id": query["id"],
        "text": "Done",
    }


async def test_reply_keyboard_state(fake: FakeBotApi, http: aiohttp.ClientSession) -> None:
    fake.add_user(USER)
    markup = {
        "keyboard": [[{"text": "Share phone", "request_contact": True}], [{"text": "Cancel"}]]
    }
    message = await result(
        http, fake, "sendMessage", chat_id=USER, text="Phone?", reply_markup=markup
    )
    assert "reply_markup" not in message  # Telegram only echoes inline keyboards
    assert fake.reply_keyboard(USER) == [["Share phone"], ["Cancel"]]
    await result(
        http,
        fake,
        "sendMessage",
        chat_id=USER,
        text="Thanks",
        reply_markup={"remove_keyboard": True},
    )
    assert fake.reply_keyboard(USER) is None


async def test_commands_and_chat_actions(fake: FakeBotApi, http: aiohttp.ClientSession) -> None:
    fake.add_user(USER)
    commands = [{"command": "start", "description": "Start"}]
    staff = [{"command": "queue", "description": "Open claims"}]
    scope = {"type": "chat", "chat_id": GROUP}
    assert await result(http, fake, "setMyCommands", commands=commands) is True
    assert await result(http, fake, "setMyCommands", commands=staff, scope=scope) is True
    assert await result(http, fake, "getMyCommands") == commands
    assert await result(http, fake, "getMyCommands", scope=scope) == staff
    assert fake.commands() == commands and fake.commands(scope) == staff
    assert await result(http, fake, "sendChatAction", chat_id=USER, action="typing") is True
    assert fake.chat_actions == [(USER, "typing")]
    assert await result(http, fake, "setMyDescription", description="Claims bot") is True  # generic
    assert await result(http, fake, "logOut") is True


async def test_group_chats(fake: FakeBotApi, http: aiohttp.ClientSession) -> None:
    fake.add_group(GROUP, "MSI staff")
    update = fake.send_command(USER, "queue", chat_id=GROUP)
    assert update["message"]["chat"] == {"id": GROUP, "type": "supergroup", "title": "MSI staff"}
    assert update["message"]["text"] == "/queue@redeem_test_bot"
    await result(
        http, fake, "sendMessage", chat_id=GROUP, text="New claim #7", reply_markup=KEYBOARD
    )
    assert (await fake.wait_for_message(GROUP, "claim #7", timeout=1))["chat"]["id"] == GROUP
    fake.press_button(USER, "menu:status", chat_id=GROUP)
    fake.kick_bot(GROUP)
    status, body = await call(http, fake, "sendMessage", chat_id=GROUP, text="x")
    assert (status, body["description"]) == (
        403,
        "Forbidden: bot was kicked from the supergroup chat",
    )


# ---------------------------------------------------------------- waiting


async def test_wait_for_message_reads_the_conversation_in_order(
    fake: FakeBotApi, http: aiohttp.ClientSession
) -> None:
    fake.send_text(USER, "/start")

    async def bot_replies() -> None:
        await result(http, fake, "sendMessage", chat_id=USER, text="Welcome!")
        await result(http, fake, "sendMessage", chat_id=USER, text="Choose:", reply_markup=KEYBOARD)

    task = asyncio.create_task(bot_replies())
    assert (await fake.wait_for_message(USER, timeout=2))["text"] == "Welcome!"
    assert (await fake.wait_for_message(USER, timeout=2))["text"] == "Choose:"
    await task
    fake.press_button(USER, "menu:status")  # a new customer action: older messages are history
    with pytest.raises(AssertionError, match="timed out .* chat 42") as info:
        await fake.wait_for_message(USER, timeout=0.05)
    assert "bot: Choose:" in str(info.value)  # the transcript helps debugging
    await result(http, fake, "sendMessage", chat_id=USER, text="No open claims")
    assert (await fake.wait_for_message(USER, "claims", timeout=1))["text"] == "No open claims"
    params = await fake.wait_for_call("sendMessage", lambda p: "claims" in p["text"], timeout=1)
    assert params["text"] == "No open claims"


# ---------------------------------------------------------------- fault injection


async def test_fail_next_with_retry_after_and_5xx(
    fake: FakeBotApi, http: aiohttp.ClientSession
) -> None:
    fake.add_user(USER)
    fake.fail_next("sendMessage", 429, retry_after=3)
    status, body = await call(http, fake, "sendMessage", chat_id=USER, text="x")
    assert status == 429
    assert body == {
        "ok": False,
        "error_code": 429,
        "description": "Too Many Requests: retry after 3",
        "parameters": {"retry_after": 3},
    }
    assert fake.sent(USER) == []
    await result(http, fake, "sendMessage", chat_id=USER, text="x")  # times=1: next one passes
    fake.fail_next("*", 500, times=2)
    assert (await call(http, fake, "getMe"))[0] == 500
    assert (await call(http, fake, "sendMessage", chat_id=USER, text="y"))[0] == 500
    await result(http, fake, "getMe")
    fake.fail_next("getMe", 502, body="<html>502 Bad Gateway</html>")
    async with http.post(f"{fake.api_url}/getMe") as resp:
        assert resp.status == 502 and "html" in await resp.text()
    assert len(fake.sent(USER)) == 1 and fake.violations == []


async def test_blocked_user_gets_403(fake: FakeBotApi, http: aiohttp.ClientSession) -> None:
    fake.send_text(USER, "hi")
    fake.block_bot(USER)
    status, body = await call(http, fake, "sendMessage", chat_id=USER, text="x")
    assert (status, body["description"]) == (403, "Forbidden: bot was blocked by the user")
    fake.unblock_bot(USER)
    await result(http, fake, "sendMessage", chat_id=USER, text="x")


async def test_dropped_connections(fake: FakeBotApi, http: aiohttp.ClientSession) -> None:
    fake.add_user(USER)
    fake.drop_connection_next("sendMessage")
    with pytest.raises(aiohttp.ServerDisconnectedError):
        await call(http, fake, "sendMessage", chat_id=USER, text="lost")
    assert fake.sent(USER) == []
    fake.drop_connection_next("sendMessage", processed=True)
    with pytest.raises(aiohttp.ServerDisconnectedError):
        await call(http, fake, "sendMessage", chat_id=USER, text="sent but unconfirmed")
    assert fake.last_text(USER) == "sent but unconfirmed"
    await result(http, fake, "sendMessage", chat_id=USER, text="fine again")


async def test_latency(fake: FakeBotApi, http: aiohttp.ClientSession) -> None:
    fake.set_latency(0.2, "getMe")
    loop = asyncio.get_running_loop()
    started = loop.time()
    await result(http, fake, "getMe")
    assert loop.time() - started >= 0.2
    started = loop.time()
    await result(http, fake, "getWebhookInfo")
    assert loop.time() - started < 0.2


# ---------------------------------------------------------------- real frameworks


async def test_aiogram_bot_requests_pass_validation(fake: FakeBotApi) -> None:
    from aiogram import Bot, Dispatcher, F
    from aiogram.client.session.aiohttp import AiohttpSession
    from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message

    markup = InlineKeyboardMarkup(
        inline_keyboard=[[InlineKeyboardButton(text="Status", callback_data="status")]]
    )
    bot = Bot(fake.token, session=AiohttpSession(api=fake.aiogram_server()))
    dp = Dispatcher()

    @dp.message(F.text == "/start")
    async def start(message: Message) -> None:
        await message.answer("Welcome", reply_markup=markup)

    @dp.callback_query(F.data == "status")
    async def status(query: CallbackQuery) -> None:
        await query.answer("Checking")
        assert isinstance(query.message, Message)
        await query.message.edit_text("No open claims")

    polling = asyncio.create_task(dp.start_polling(bot, handle_signals=False, polling_timeout=5))
    try:
        fake.send_command(USER, "start")
        welcome = await fake.wait_for_message(USER, "Welcome", timeout=5)
        assert welcome["reply_markup"] == markup.model_dump(exclude_none=True)
        fake.press_button(USER, "status")
        await fake.wait_for(lambda: fake.last_text(USER) == "No open claims", timeout=5)
    finally:
        await dp.stop_polling()
        await polling
    fake.assert_no_violations()
    fake.assert_all_callbacks_answered()
    assert {"getMe", "getUpdates", "sendMessage", "answerCallbackQuery", "editMessageText"} <= {
        c.method for c in fake.calls
    }


async def test_python_telegram_bot_requests_pass_validation(fake: FakeBotApi) -> None:
    from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, Update
    from telegram.ext import Application, CallbackQueryHandler, CommandHandler, ContextTypes

    markup = InlineKeyboardMarkup([[InlineKeyboardButton("Status", callback_data="status")]])
    fake.add_user(USER)
    async with Bot(fake.token, **fake.ptb_urls()) as bot:
        message = await bot.send_message(USER, "Hello", reply_markup=markup)
        assert message.reply_markup == markup
        photo = await bot.send_photo(USER, png(200, 100), caption="Receipt")
        file = await bot.get_file(photo.photo[-1].file_id)
        assert bytes(await file.download_as_bytearray()) == png(200, 100)

    async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.effective_chat is not None
        await context.bot.send_message(update.effective_chat.id, "Welcome", reply_markup=markup)

    async def status(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.callback_query is not None
        await update.callback_query.answer()
        await update.callback_query.edit_message_text("No open claims")

    urls = fake.ptb_urls()
    app = (
        Application.builder()
        .token(fake.token)
        .base_url(urls["base_url"])
        .base_file_url(urls["base_file_url"])
        .build()
    )
    app.add_handler(CommandHandler("start", start))
    app.add_handler(CallbackQueryHandler(status))
    async with app:
        await app.start()
        assert app.updater is not None
        await app.updater.start_polling(timeout=5)
        fake.send_command(USER, "start")
        await fake.wait_for_message(USER, "Welcome", timeout=5)
        fake.press_button(USER, "status")
        await fake.wait_for(lambda: fake.last_text(USER) == "No open claims", timeout=5)
        await app.updater.stop()
        await app.stop()
    fake.assert_no_violations()
    fake.assert_all_callbacks_answered()


async def test_chat_members_and_administrators(
    fake: FakeBotApi, http: aiohttp.ClientSession
) -> None:
    fake.add_group(GROUP, "MSI staff")
    fake.add_user(7, "Owner")
    fake.set_role(GROUP, 7, "creator")
    fake.set_role(GROUP, 8, "administrator")
    fake.set_role(GROUP, 9, "restricted")
    fake.set_role(GROUP, 10, "kicked")
    fake.add_user(11, "Helper", username="helper_bot", is_bot=True)
    fake.set_role(GROUP, 11, "administrator")
    fake.send_text(USER, "hi", chat_id=GROUP)  # wrote there: a member
    fake.add_user(12)  # never joined
    for user_id, status in (
        (7, "creator"),
        (8, "administrator"),
        (9, "restricted"),
        (10, "kicked"),
        (USER, "member"),
        (12, "left"),
    ):
        member = await result(http, fake, "getChatMember", chat_id=GROUP, user_id=user_id)
        assert member["status"] == status and member["user"]["id"] == user_id
        assert fake.spec.validate_object("ChatMember", member) == [], member
    admins = await result(http, fake, "getChatAdministrators", chat_id=GROUP)
    assert sorted(m["user"]["id"] for m in admins) == [7, 8]  # other bots only with return_bots
    with_bots = await result(http, fake, "getChatAdministrators", chat_id=GROUP, return_bots=True)
    assert sorted(m["user"]["id"] for m in with_bots) == [7, 8, 11]
    status, body = await call(http, fake, "getChatMember", chat_id=GROUP, user_id=999)
    assert (status, body["description"]) == (400, "Bad Request: user not found")
    status, body = await call(http, fake, "getChatMember", chat_id=-100777, user_id=7)
    assert (status, body["description"]) == (400, "Bad Request: chat not found")
    update = fake.send_anonymous(GROUP, "/approve 1", signature="Sam")
    assert update["message"]["sender_chat"]["id"] == GROUP and update["message"]["from"]["is_bot"]
    assert fake.spec.validate_object("Update", update) == []
    assert fake.violations == []
