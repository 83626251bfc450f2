"""Who is staff: the core's decision (``handlers.staff.StaffPolicy``), for every setting,
through the real staff journey on the real stores and embedded backend. The chat's answer
about roles stands in for Telegram (``Roles`` below); the Telegram side is in
tests/telegram/test_staff_authority.py."""

from __future__ import annotations

import logging

import pytest
from pydantic import ValidationError

from handlers.staff import RoleUnavailable, StaffIdentity, StaffPolicy, StaffRoom
from tests.conftest import Chat, make_settings

ROOM = "-100500"


class Roles:
    """What the staff chat says about people (a stand-in for getChatMember)."""

    def __init__(self, **roles: str) -> None:
        self.roles = roles
        self.asked: list[str] = []
        self.down = False

    async def role(self, who: StaffIdentity) -> str:
        self.asked.append(who.user_id)
        if self.down:
            raise RoleUnavailable("down")
        return self.roles.get(f"u{who.user_id}", "left")


def person(user_id: str, room: str = ROOM, kind: str = "user") -> StaffIdentity:
    return StaffIdentity("telegram", user_id, f"@user{user_id}", room=room, kind=kind)  # type: ignore[arg-type]


CASES = [
    # authority, allowed, roles, who, staff?
    ("auto", "", {"u1": "administrator"}, person("1"), True),
    ("auto", "", {"u1": "creator"}, person("1"), True),
    ("auto", "", {"u1": "member"}, person("1"), False),
    ("auto", "", {"u1": "restricted"}, person("1"), False),
    ("auto", "", {}, person("1"), False),
    ("auto", "2", {"u1": "administrator"}, person("1"), False),  # a list: the list alone decides
    ("auto", "2", {}, person("2"), True),
    ("allowlist", "2", {"u2": "left"}, person("2"), True),
    ("admins", "2", {"u2": "member"}, person("2"), False),
    ("both", "2", {"u2": "member"}, person("2"), False),
    ("both", "2", {"u1": "administrator"}, person("1"), False),
    ("both", "2", {"u2": "administrator"}, person("2"), True),
    ("auto", "2", {}, person("2", room="-100999"), False),  # listed, but in another chat
    ("admins", "", {"u1": "administrator"}, person("1", room="12345"), False),
    (
        "admins",
        "",
        {"u-100500": "administrator"},
        person(ROOM, kind="chat"),
        False,
    ),  # anonymous admin
    ("auto", ROOM, {}, person(ROOM, kind="chat"), True),  # ... explicitly allowed
    ("admins", "", {"u9": "administrator"}, person("9", kind="bot"), False),  # another bot
    ("both", "9", {"u9": "member"}, person("9", kind="bot"), True),  # ... explicitly allowed
]


@pytest.mark.parametrize(("authority", "allowed", "roles", "who", "staff"), CASES)
async def test_who_is_staff(chat: Chat, authority, allowed, roles, who, staff, caplog) -> None:
    policy = StaffPolicy(
        room=ROOM, allowed=frozenset(a for a in allowed.split(",") if a), authority=authority
    )
    room = StaffRoom(
        chat.app.desk, chat.app.support, chat.app.catalog, policy=policy, roles=Roles(**roles)
    )
    caplog.set_level(logging.WARNING)
    replies = await room.handle("/queue", who)
    assert (replies[0].key == "staff.queue_empty") is staff, replies
    if not staff:
        assert replies[0].key == "staff.not_staff"
        assert f"telegram:{who.user_id}" in caplog.text and "refused" in caplog.text


async def test_the_chat_cannot_be_asked_then_nobody_acts(chat: Chat) -> None:
    roles = Roles(u1="administrator")
    roles.down = True
    room = StaffRoom(
        chat.app.desk,
        chat.app.support,
        chat.app.catalog,
        policy=StaffPolicy(room=ROOM),
        roles=roles,
    )
    assert (await room.handle("/queue", person("1")))[0].key == "staff.check_failed"
    roles.down = False
    assert (await room.handle("/queue", person("1")))[0].key == "staff.queue_empty"


async def test_chatter_is_not_even_checked(chat: Chat) -> None:
    roles = Roles()
    room = StaffRoom(
        chat.app.desk,
        chat.app.support,
        chat.app.catalog,
        policy=StaffPolicy(room=ROOM),
        roles=roles,
    )
    assert await room.handle("lunch at 12?", person("1")) == []
    assert await room.handle("see #1", person("1"), reply_to=12) == []
    assert await room.handle("/otherbots_command", person("1")) == []
    assert roles.asked == []


def test_settings_refuse_an_allow_list_mode_without_a_list(tmp_path) -> None:
    with pytest.raises(ValidationError, match="STAFF_USER_IDS"):
        make_settings(tmp_path, STAFF_AUTHORITY="allowlist")
    with pytest.raises(ValidationError, match="STAFF_USER_IDS"):
        make_settings(tmp_path, STAFF_AUTHORITY="both")
    with pytest.raises(ValidationError, match="not a Telegram id"):
        make_settings(tmp_path, STAFF_USER_IDS="777,@sam")
    settings = make_settings(tmp_path, STAFF_USER_IDS="777, -1001234567890")
    assert settings.staff_ids() == frozenset({"777", "-1001234567890"})


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


async def test_a_refused_person_is_answered_once_a_minute_and_logged_every_time(
    chat: Chat, caplog
) -> None:
    """A member flooding commands would use up the staff chat's sending budget (20 a minute
    in a Telegram group): one answer per person per minute, every attempt logged."""
    clock = Clock()
    roles = Roles(u1="member", u2="member", u3="administrator")
    room = StaffRoom(
        chat.app.desk,
        chat.app.support,
        chat.app.catalog,
        policy=StaffPolicy(room=ROOM),
        roles=roles,
        clock=clock,
    )
    caplog.set_level(logging.WARNING)
    answers = [
        await room.handle(text, person("1"))
        for text in ("/queue", "/approve X", "/show X", "/help")
    ]
    assert [len(a) for a in answers] == [1, 0, 0, 0]
    assert answers[0][0].key == "staff.not_staff"
    assert caplog.text.count("telegram:1") == 4
    assert (await room.handle("/queue", person("2")))[0].key == "staff.not_staff"  # another person
    assert (await room.handle("/queue", person("3")))[
        0
    ].key == "staff.queue_empty"  # staff unaffected
    clock.now += 61
    assert (await room.handle("/queue", person("1")))[0].key == "staff.not_staff"
    roles.down = True  # the same for "cannot check now" (asked again each time, answered once)
    assert (await room.handle("/queue", person("4")))[0].key == "staff.check_failed"
    assert await room.handle("/queue", person("4")) == []


async def test_a_display_name_cannot_forge_a_line_of_the_audit_trail(chat: Chat) -> None:
    """The name shown is the sender's own (a Telegram first name is free text): it is kept on
    one line, so it cannot add a made-up entry ("approve by @boss") to /show's history."""
    from tests.conversation.journeys import redeem, register_product, sign_up

    await sign_up(chat)
    await register_product(chat)
    await redeem(chat)
    claim = (await chat.app.desk.review_queue())[0]
    forger = StaffIdentity(
        "telegram", "5", "Kim\n· 2026-01-01 00:00 approve by @boss (telegram:1)", room=ROOM
    )
    room = StaffRoom(
        chat.app.desk,
        chat.app.support,
        chat.app.catalog,
        policy=StaffPolicy(room=ROOM),
        roles=Roles(u5="administrator"),
    )
    shown = (await room.handle(f"/show {claim.id}", forger))[0].text
    history = shown.split("history:", 1)[1].strip().splitlines()
    assert len(history) == 1 and history[0].endswith("(telegram:5)"), history


async def test_a_failing_answer_logs_no_words_of_it(chat: Chat, caplog) -> None:
    """The database refuses a staff answer: the error is logged, the answer's words are not
    (SQLAlchemy puts a statement's parameters in its error messages unless told not to)."""
    from sqlalchemy import text

    from storage.db import make_engine

    ticket = await chat.app.support.open_ticket(chat.key, text="help")
    db = make_engine(chat.app.settings.database_url)
    async with db.begin() as conn:
        await conn.execute(text("DROP TABLE support_messages"))
    await db.dispose()
    room = StaffRoom(
        chat.app.desk,
        chat.app.support,
        chat.app.catalog,
        policy=StaffPolicy(room=ROOM),
        roles=Roles(u3="administrator"),
    )
    caplog.set_level(logging.DEBUG)
    replies = await room.handle(f"/reply {ticket.id} your new password is hunter2", person("3"))
    assert replies[0].key == "staff.failed"
    assert "failed" in caplog.text and "hunter2" not in caplog.text
