"""The staff /queue says how many claims wait, counted up to a cap (issue 9: the count read
at most cap + 1 claims, so the first page costs the same at 50,000 waiting as at 10):
"3+" past the cap, the exact figure at it, in every language; the cursor still pages."""

from __future__ import annotations

import pytest

from handlers.staff import StaffIdentity, StaffPolicy, StaffRoom
from tests.conftest import Chat, Clock
from tests.conversation.test_queue_paging import ROOM, waiting_claims

WHO = StaffIdentity("telegram", "7", "@anna", room=ROOM, kind="user")


@pytest.mark.parametrize(
    ("locale", "exact", "capped"),
    [
        ("en", "3 claims waiting for review:", "3+ claims waiting for review:"),
        ("de", "3 Anträge warten auf Prüfung:", "3+ Anträge warten auf Prüfung:"),
        ("zh-Hant", "3 筆申請待審核：", "超過 3 筆申請待審核："),
    ],
)
async def test_queue_counts_up_to_the_cap(
    chat: Chat, clock: Clock, locale: str, exact: str, capped: str
) -> None:
    ids = await waiting_claims(chat, clock, 4)
    policy = StaffPolicy(room=ROOM, allowed=frozenset({WHO.user_id}), authority="allowlist")
    app = chat.app
    room = StaffRoom(app.desk, app.support, app.catalog, locale, policy=policy, waiting_cap=3)
    first = (await room.handle("/queue", WHO))[0].text
    assert first.split("\n")[0] == capped, first  # 4 waiting, cap 3
    assert all(i in first for i in ids)
    later = (await room.handle(f"/queue {ids[1]}", WHO))[0].text  # the page after a claim
    assert later.split("\n")[0] == capped, later
    assert ids[2] in later and ids[3] in later and ids[0] not in later and ids[1] not in later
    await app.desk.approve(ids[0], "ana")
    text = (await room.handle("/queue", WHO))[0].text
    assert text.split("\n")[0] == exact, text  # 3 waiting: exact at the cap
    assert ids[0] not in text and all(i in text for i in ids[1:])
