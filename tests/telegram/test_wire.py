"""The runner's own wire (``bot/channels/telegram/wire.py``): an update's JSON read straight
into our records gives exactly what aiogram's and PTB's objects give through the same
translation, and the Bot API's answers map to the same shared errors."""

from __future__ import annotations

from typing import Any

import pytest

from bot.channels.telegram.common import Blocked, NotSent, Rejected, RetryLater, Transient
from bot.channels.telegram.port import callback_in, member_in, message_in
from bot.channels.telegram.wire import View, answer_of, transport_error
from tests.conftest import jpeg
from tests.telegram.conftest import CUSTOMER, STAFF_CHAT
from tests.telegram.fake_bot_api import FakeBotApi

pytestmark = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")


def _updates(fake: FakeBotApi) -> list[dict[str, Any]]:
    """Every kind of update the bot reads, as the fake (spec-checked) makes them."""
    made = [
        fake.send_command(CUSTOMER, "start", "promo"),
        fake.send_text(CUSTOMER, "Hello"),
        fake.send_photo(CUSTOMER, jpeg(), "my invoice"),
        fake.send_document(CUSTOMER, b"%PDF-1.4 x", "invoice.pdf", "application/pdf"),
        fake.send_contact(CUSTOMER, "+491701234567"),
        *fake.send_album(CUSTOMER, [jpeg(), jpeg()], "two"),
        fake.send_text(777, "/approve 1", chat_id=STAFF_CHAT),
        fake.send_anonymous(STAFF_CHAT, "anonymous admin"),
        fake.forward_text(777, "forwarded", chat_id=STAFF_CHAT, origin_user_id=CUSTOMER),
    ]
    first = made[1]["message"]["message_id"]
    made.append(fake.send_text(777, "an answer", chat_id=STAFF_CHAT))
    made.append(fake.send_text(CUSTOMER, "a reply", reply_to_message_id=first))
    return made


def _aiogram(body: dict[str, Any], kind: str) -> Any:
    from aiogram.types import CallbackQuery, ChatMemberUpdated, Message

    model = {"message": Message, "callback_query": CallbackQuery}.get(kind, ChatMemberUpdated)
    return model.model_validate(body)


def _ptb(body: dict[str, Any], kind: str) -> Any:
    from telegram import CallbackQuery, ChatMemberUpdated, Message

    model = {"message": Message, "callback_query": CallbackQuery}.get(kind, ChatMemberUpdated)
    return model.de_json(body, None)


TRANSLATE = {"message": message_in, "callback_query": callback_in, "my_chat_member": member_in}


async def test_raw_json_translates_like_both_frameworks_objects(fake: FakeBotApi) -> None:
    fake.add_user(777, "Sam", username="sam_staff")
    updates = _updates(fake)
    seen = set()
    for update in updates:
        kind = next(k for k in TRANSLATE if k in update)
        seen.add(kind)
        body, translate = update[kind], TRANSLATE[kind]
        ours = translate(update["update_id"], View(body))
        assert ours == translate(update["update_id"], _aiogram(body, kind)), update
        assert ours == translate(update["update_id"], _ptb(body, kind)), update
    assert seen == {"message"}


def test_a_callback_and_a_membership_change_translate_alike() -> None:
    chat = {"id": CUSTOMER, "type": "private", "first_name": "Jamie"}
    user = {"id": CUSTOMER, "is_bot": False, "first_name": "Jamie", "language_code": "de"}
    text_message = {"message_id": 7, "date": 1, "chat": chat, "text": "Menu"}
    inaccessible = {"message_id": 8, "date": 0, "chat": chat}  # InaccessibleMessage
    for message in (text_message, inaccessible, None):
        body: dict[str, Any] = {"id": "42", "from": user, "chat_instance": "1", "data": "a:b~1"}
        if message is not None:
            body["message"] = message
        ours = callback_in(5, View(body))
        assert ours == callback_in(5, _aiogram(body, "callback_query"))
        assert ours == callback_in(5, _ptb(body, "callback_query"))
    change = {
        "chat": chat,
        "from": user,
        "date": 1,
        "old_chat_member": {"status": "member", "user": user},
        "new_chat_member": {"status": "kicked", "user": user, "until_date": 0},
    }
    ours = member_in(6, View(change))
    assert ours == member_in(6, _aiogram(change, "my_chat_member"))
    assert ours == member_in(6, _ptb(change, "my_chat_member"))
    assert ours.status == "kicked"


@pytest.mark.parametrize(
    ("status", "body", "error"),
    [
        (
            429,
            b'{"ok":false,"error_code":429,"description":"Too Many Requests",'
            b'"parameters":{"retry_after":7}}',
            RetryLater,
        ),
        (403, b'{"ok":false,"error_code":403,"description":"Forbidden: bot was blocked"}', Blocked),
        (500, b'{"ok":false,"error_code":500,"description":"Internal Server Error"}', Transient),
        (
            400,
            b'{"ok":false,"error_code":400,"description":"Bad Request: message is not modified"}',
            Rejected,
        ),
        (502, b"<html>Bad Gateway</html>", Transient),
        (404, b"not found", Rejected),
    ],
)
def test_answers_map_to_the_shared_errors(status: int, body: bytes, error: type) -> None:
    with pytest.raises(error) as caught:
        answer_of(status, body)
    if error is RetryLater:
        assert caught.value.seconds == 7


def test_a_good_answer_is_its_result() -> None:
    assert answer_of(200, b'{"ok":true,"result":{"message_id":5}}') == {"message_id": 5}


def test_transport_failures_never_carry_the_url() -> None:
    import aiohttp
    from aiohttp.client_reqrep import ConnectionKey

    key = ConnectionKey("127.0.0.1", 9, False, True, None, None, None)
    refused = aiohttp.ClientConnectorError(key, ConnectionRefusedError(111, "refused"))
    assert isinstance(transport_error(refused), NotSent)  # never left: safe to repeat anything
    dropped = transport_error(aiohttp.ServerDisconnectedError())
    assert type(dropped) is Transient
    assert "bot" not in dropped.description
