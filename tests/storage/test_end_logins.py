"""``LinkStore.end_logins``: the one place that ends a member's log-ins (password change,
password reset, "Log out everywhere"), seen at once by another process on the database."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncEngine

from states.session import ConversationKey
from storage.db import make_engine
from storage.links import LinkStore


def key(n: int, channel: str = "telegram") -> ConversationKey:
    return ConversationKey(channel, str(n), str(n))


async def test_every_log_in_but_the_kept_one_ends(db: AsyncEngine, db_url: str) -> None:
    links = LinkStore(db)
    for n in (1, 2, 3):
        await links.link("m1", key(n))
    await links.link("m1", key(4, "console"))
    await links.link("m2", key(5))
    await links.mark_blocked(key(3))  # blocked chats too: they may unblock later
    other_process = LinkStore(make_engine(db_url))
    try:
        assert await other_process.member_for(key(2)) == "m1"
        assert await links.end_logins("m1", keep=key(1)) == 3
        assert await other_process.keys_for_member("m1", include_blocked=True) == [key(1)]
        for n in (2, 3):
            assert await other_process.member_for(key(n)) is None
        assert await other_process.member_for(key(4, "console")) is None
        assert await other_process.member_for(key(5)) == "m2"  # another member: untouched
        assert (await links.get(key(3))).blocked  # only the log-in ends
        assert await links.end_logins("m1", keep=key(1)) == 0  # idempotent
        assert await links.end_logins("m1") == 1  # "Log out everywhere": this chat too
        assert await links.keys_for_member("m1", include_blocked=True) == []
    finally:
        await other_process.close()
        await other_process._engine.dispose()
        await links.close()
