"""End to end (issue 10): the real ``redeem-bot run`` process with a forum supergroup as
``STAFF_CHAT_ID`` and a promotion whose code pool is empty (``PROMOTIONS_FILE`` without demo
codes), against the fake Bot API (real HTTP on 127.0.0.1, every call validated against the
spec), on the default connector (aiogram) and the wire connector: staff approve the claim on
its card in the Review topic, the customer is told the code follows, the pool's warning is
posted in the Review topic, a plain member's ``/import`` is refused without the file being
read, and staff's ``/import PROMO`` with a .csv in the Review topic brings the code to the
customer's chat exactly once (the same file again gives nothing more)."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from handlers.review_cards import data
from tests.conversation.journeys import redeem, register_product, sign_up
from tests.telegram.conftest import CUSTOMER, STAFF_ADMIN, STAFF_CHAT, RemoteChat, running_bot
from tests.telegram.fake_forum import ForumFakeBotApi
from tests.telegram.forum_support import OUTSIDER, populate
from tests.telegram.test_review_pool_flow import PROMO, empty_pool

pytestmark = pytest.mark.timeout(300)
SAM, MALLORY = STAFF_ADMIN, OUTSIDER


@pytest.fixture
async def api() -> AsyncIterator[ForumFakeBotApi]:
    async with ForumFakeBotApi() as fake:
        yield populate(fake)


def staff_texts(api: ForumFakeBotApi, since: int = 0) -> list[str]:
    """The bot's messages in the staff forum (after edits), from the ``since``-th on."""
    return [m.get("text") or m.get("caption") or "" for m in api.sent(STAFF_CHAT)[since:]]


def codes_in(api: ForumFakeBotApi, user: int) -> list[str]:
    said = "\n".join(m.get("text") or m.get("caption") or "" for m in api.sent(user))
    return re.findall(r"\bPOOL-CODE-\d+\b", said)


def csv_in_topic(api: ForumFakeBotApi, user: int, thread: int, body: bytes) -> dict[str, Any]:
    """``user`` sends ``/import PROMO`` with a .csv document in a topic of the staff forum."""
    file = api.register_file(body, file_name="codes.csv", mime_type="text/csv")
    document = {
        "file_id": file["file_id"],
        "file_unique_id": file["file_unique_id"],
        "file_name": "codes.csv",
        "mime_type": "text/csv",
        "file_size": len(body),
    }
    content = {"document": document, "caption": f"/import {PROMO}"}
    return api.send_content(user, content, chat_id=STAFF_CHAT, thread_id=thread)


@pytest.mark.parametrize("framework", ["aiogram", "ptb", "wire"])
async def test_empty_pool_approve_warn_then_import_in_the_review_topic_end_to_end(
    api: ForumFakeBotApi, tmp_path: Path, framework: str
) -> None:
    pool = empty_pool(tmp_path)
    async with running_bot(
        api, tmp_path, framework, PROMOTIONS_FILE=str(pool), CODE_STOCK_WARN="50"
    ) as bot:
        chat = RemoteChat(api)
        await sign_up(chat)
        await register_product(chat)
        await redeem(chat, PROMO)

        def card() -> dict | None:
            keyed = [
                m
                for m in api.sent(STAFF_CHAT)
                if (m.get("reply_markup") or {}).get("inline_keyboard")
            ]
            return keyed[-1] if keyed else None

        posted = await api.wait_for(card, timeout=30, what="the claim's card in the Review topic")
        thread = posted["message_thread_id"]
        assert api.topics[STAFF_CHAT][thread]["name"] == "Review"
        claim_id = posted["text"].split("Claim ", 1)[1].split()[0]

        # approved on its card: no code to give, the customer is told it follows
        before = chat.snapshot()
        pressed = api.press_button(
            SAM, data("a", claim_id), posted["message_id"], chat_id=STAFF_CHAT
        )
        query = api.callback_queries[pressed["callback_query"]["id"]]
        await api.wait_for(lambda: query.answered, timeout=30, what="the approval's answer")
        assert (query.answer or {}).get("text") == (
            "Approved. No code left: the claim waits for an import."
        )
        await chat.wait_for_text("Your code is on its way", timeout=30, before=before)
        warning = await api.wait_for(
            lambda: next(
                (
                    m
                    for m in api.in_topic(STAFF_CHAT, thread)
                    if (m.get("text") or "").startswith(f"⏳ No codes left in {PROMO}")
                ),
                None,
            ),
            timeout=30,
            what="the pool's warning in the Review topic",
        )
        assert warning["message_thread_id"] == thread
        assert codes_in(api, CUSTOMER) == []

        # a plain member of the group cannot fill the pool: refused, the file not even read
        mark, seen = len(api.calls), len(api.sent(STAFF_CHAT))
        csv_in_topic(api, MALLORY, thread, b"code\nPOOL-CODE-666\n")
        await api.wait_for(
            lambda: any(
                s.startswith("⛔") or s.startswith("Only support staff")
                for s in staff_texts(api, seen)
            ),
            timeout=30,
            what="the refusal of a non-staff /import",
        )
        await chat.until_handled()
        assert not any(c.method == "getFile" for c in api.calls[mark:])
        assert not any(s.startswith(f"📥 {PROMO}") for s in staff_texts(api))

        # staff import one code in the Review topic: it reaches the customer, once
        body = b"code,batch\nPOOL-CODE-1,7\n"
        csv_in_topic(api, SAM, thread, body)
        report = await api.wait_for(
            lambda: next(
                (
                    m
                    for m in api.in_topic(STAFF_CHAT, thread)
                    if (m.get("text") or "").startswith(f"📥 {PROMO}: 1 codes added")
                ),
                None,
            ),
            timeout=30,
            what="the import report in the Review topic",
        )
        assert "1 waiting claims got their code" in report["text"]
        await api.wait_for(
            lambda: codes_in(api, CUSTOMER) == ["POOL-CODE-1"],
            timeout=30,
            what="the code in the customer's chat",
        )
        assert "POOL-CODE-666" not in "\n".join(staff_texts(api))

        # the same file again adds nothing and sends nothing more
        seen = len(api.sent(STAFF_CHAT))
        csv_in_topic(api, SAM, thread, body)
        await api.wait_for(
            lambda: any(s.startswith(f"📥 {PROMO}") for s in staff_texts(api, seen)),
            timeout=30,
            what="the second import's report",
        )
        await chat.until_handled()
        assert codes_in(api, CUSTOMER) == ["POOL-CODE-1"]
        everything = "\n".join(
            str(c.params) for c in api.calls if c.params.get("chat_id") == STAFF_CHAT
        )
        assert "POOL-CODE" not in everything  # codes are never echoed to the staff group
        assert "POOL-CODE" not in bot.log()
        api.assert_no_violations()
        api.assert_all_callbacks_answered()
        assert await bot.stop() == 0, bot.log()
