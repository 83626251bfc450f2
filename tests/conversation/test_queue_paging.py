"""The staff /queue a page at a time: the oldest first, then the page after a claim."""

from __future__ import annotations

from backend.port import ClaimRequest
from handlers.staff import QUEUE_PAGE, StaffIdentity, StaffPolicy, StaffRoom
from tests.backend.conftest import recipient, sign_up_data, signed_up
from tests.conftest import Chat, Clock
from tests.conversation.test_paging import registration

ROOM = "-100500"


async def waiting_claims(chat: Chat, clock: Clock, count: int) -> list[str]:
    """``count`` claims under review, a minute apart (two per member: the promotion's limit)."""
    backend = chat.app.backend
    ids: list[str] = []
    for n in range(count):
        if n % 2 == 0:
            member = await signed_up(backend, sign_up_data(email=f"queue{n}@example.com"))
        clock.advance(minutes=1)
        product = await backend.register_product(member.id, registration(100 + n))
        request = ClaimRequest("levelup", product.id, "sha256:sn", recipient())
        ids.append((await backend.submit_claim(member.id, request, f"k{n}")).id)
    return ids


async def test_queue_pages_with_a_cursor(chat: Chat, clock: Clock) -> None:
    ids = await waiting_claims(chat, clock, QUEUE_PAGE + 3)
    policy = StaffPolicy(room=ROOM, allowed=frozenset({"7"}), authority="allowlist")
    room = StaffRoom(chat.app.desk, chat.app.support, chat.app.catalog, policy=policy)
    who = StaffIdentity("telegram", "7", "@anna", room=ROOM, kind="user")
    first = (await room.handle("/queue", who))[0].text
    assert f"{QUEUE_PAGE + 3} claims waiting" in first
    assert all(i in first for i in ids[:QUEUE_PAGE]) and not any(
        i in first for i in ids[QUEUE_PAGE:]
    )
    assert f"/queue {ids[QUEUE_PAGE - 1]}" in first  # the next page's command
    second = (await room.handle(f"/queue {ids[QUEUE_PAGE - 1]}", who))[0].text
    assert all(i in second for i in ids[QUEUE_PAGE:]) and ids[0] not in second
    assert "Next page" not in second
    assert (await room.handle(f"/queue {ids[-1]}", who))[0].key == "staff.queue_empty"
