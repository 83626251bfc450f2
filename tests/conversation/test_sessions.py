"""Log-ins end where the member says so: a password change logs every other chat out, the
profile's "Log out everywhere" logs out all of them, and prize codes go only to chats that
are logged in as the member at the moment they are sent (integrity defect 4)."""

from __future__ import annotations

from pathlib import Path

from bot.app import App, build_app
from handlers.io import Reply
from states import ConversationKey
from tests.conftest import Chat, Clock, make_settings
from tests.conversation.journeys import PASSWORD, log_in, redeem, register_product, sign_up

NEW = "N3w-passw0rd-2026"


async def change_password(chat: Chat, current: str = PASSWORD, new: str = NEW) -> None:
    await chat.command("profile")
    await chat.tap("Change password")
    await chat.text(current)
    await chat.text(new)
    await chat.text(new)
    assert "password is changed" in chat.text_all, chat.text_all


async def everyone_notified(app: App) -> dict[ConversationKey, list[Reply]]:
    """Deliver pending notifications; what each chat received (every chat can be reached)."""
    got: dict[ConversationKey, list[Reply]] = {}

    async def send(key: ConversationKey, replies: list[Reply]) -> bool:
        got.setdefault(key, []).extend(replies)
        return True

    await app.engine.deliver_notifications(send)
    return got


async def owner_with_claim_and_thief(app: App) -> tuple[Chat, Chat, str]:
    """The owner signs up and claims; a thief logs in with the leaked password elsewhere."""
    owner, thief = Chat(app, "1001"), Chat(app, "6666")
    await sign_up(owner)
    await log_in(thief)
    assert "Welcome back" in thief.text_all
    await register_product(owner)
    await redeem(owner)
    member_id = (await app.sessions.load(owner.key)).member_id
    return owner, thief, member_id


async def code_of(app: App, member_id: str) -> str:
    claims = await app.backend.list_claims(member_id)
    assert claims[0].prize_code
    return claims[0].prize_code


async def test_code_approved_after_a_password_change_goes_only_to_the_owner(app: App) -> None:
    owner, thief, member_id = await owner_with_claim_and_thief(app)
    await change_password(owner)
    told = owner.text_all
    claim = (await app.desk.review_queue())[0]
    await app.desk.approve(claim.id, "staff")
    got = await everyone_notified(app)
    code = await code_of(app, member_id)
    assert list(got) == [owner.key] and code in got[owner.key][0].text
    assert "logged you out in every other chat (1)" in told
    assert all(code not in r.text for r in thief.history)
    # the thief's next message, whatever it is, finds the chat logged out
    await thief.command("status")
    assert thief.keys == ["sessions.ended", "start.welcome"], thief.keys
    assert (await app.sessions.load(thief.key)).member_id is None
    for command in ("status", "profile", "redeem"):
        await thief.command(command)
        assert code not in thief.text_all and "auth.required" in thief.keys, thief.keys
    # the owner is still logged in, and the old password no longer opens the account
    await owner.command("status")
    assert "Redeem Success" in owner.text_all
    await log_in(thief)
    assert "not correct" in thief.text_all


async def test_a_stale_button_from_the_stolen_session_opens_nothing(app: App) -> None:
    owner, thief, member_id = await owner_with_claim_and_thief(app)
    await thief.command("profile")
    stale = thief.button("Change password")
    await thief.command("status")
    details = thief.button("GeForce")  # the claim's details (a button that never expires)
    await change_password(owner)
    await app.desk.approve((await app.desk.review_queue())[0].id, "staff")
    await thief.press(stale)
    assert thief.keys[0] == "sessions.ended" and "Change password" not in thief.text_all
    assert "jamie@example.com" not in thief.text_all  # the profile is not shown again
    code = await code_of(app, member_id)
    for _ in range(2):  # at once, and again once logged out
        await thief.press(details)
        assert code not in thief.text_all and "BA3T01946000V" not in thief.text_all


async def test_the_check_happens_on_another_replica_too(tmp_path: Path, app: App) -> None:
    """Two bot processes on one database: the thief's chat is served by the other one, whose
    cache still holds the logged-in session."""
    owner, thief, member_id = await owner_with_claim_and_thief(app)
    replica = await build_app(make_settings(tmp_path), clock=Clock())
    try:
        thief_there = Chat(replica, "6666")
        await thief_there.command("status")  # cached there, logged in
        assert "sessions.ended" not in thief_there.keys
        await change_password(owner)
        await app.desk.approve((await app.desk.review_queue())[0].id, "staff")
        got = await everyone_notified(replica)  # the replica sends this round
        assert list(got) == [owner.key]
        await thief_there.command("status")
        assert thief_there.keys[0] == "sessions.ended"
        assert (await code_of(app, member_id)) not in thief_there.text_all
    finally:
        await replica.close()
    assert thief.key != owner.key


async def test_a_chat_logged_out_while_notifications_go_out_gets_none(app: App) -> None:
    """Checked at send time: the password is changed while this round is sending."""
    owner, thief, member_id = await owner_with_claim_and_thief(app)
    await app.desk.approve((await app.desk.review_queue())[0].id, "staff")
    got: dict[ConversationKey, list[Reply]] = {}

    async def send(key: ConversationKey, replies: list[Reply]) -> bool:
        got.setdefault(key, []).extend(replies)
        await app.links.end_logins(member_id, keep=owner.key)  # meanwhile, in the owner's chat
        return True

    assert sorted([owner.key, thief.key], key=str)[0] == owner.key  # the owner's chat goes first
    await app.engine.deliver_notifications(send)
    assert list(got) == [owner.key]


async def test_log_out_everywhere_from_the_profile(app: App) -> None:
    owner, thief, member_id = await owner_with_claim_and_thief(app)
    laptop = Chat(app, "1002")
    await log_in(laptop)
    await owner.command("profile")
    await owner.tap("Log out everywhere")
    assert "logged out everywhere" in owner.text_all
    assert await app.links.keys_for_member(member_id, include_blocked=True) == []
    for chat in (owner, thief, laptop):
        assert (await app.sessions.load(chat.key)).member_id is None or chat is not owner
    await app.desk.approve((await app.desk.review_queue())[0].id, "staff")
    assert await everyone_notified(app) == {}  # nobody is logged in: the code waits in the history
    for chat in (thief, laptop):
        await chat.command("menu")
        assert chat.keys[0] == "sessions.ended"
    await log_in(owner)
    await owner.command("status")
    await owner.tap("GeForce")  # the claim's details: the code is there
    assert (await code_of(app, member_id)) in owner.text_all


async def test_a_blocked_chat_is_logged_out_too(app: App) -> None:
    """A thief who blocked the bot for now (no notifications) must not come back logged in."""
    owner, thief, _ = await owner_with_claim_and_thief(app)
    await app.links.mark_blocked(thief.key)
    await change_password(owner)
    await app.links.mark_blocked(thief.key, False)  # presses Start again
    await thief.command("status")
    assert thief.keys[0] == "sessions.ended"


async def test_logging_in_as_another_member_is_not_undone(app: App) -> None:
    """Ending the log-ins of one member leaves a chat that moved on to another member alone."""
    owner, thief, member_id = await owner_with_claim_and_thief(app)
    other = Chat(app, "7777")
    await sign_up(other, email="sam@example.com", first="Sam")
    await thief.command("logout")
    await log_in(thief, email="sam@example.com")
    await change_password(owner)
    await thief.command("menu")
    assert "sessions.ended" not in thief.keys
    assert (await app.sessions.load(thief.key)).member_id != member_id


async def test_a_staff_answer_to_the_thiefs_question_is_not_sent_once_the_owner_changed_the_password(
    app: App,
) -> None:
    """The thief, logged in with the leaked password, asks support "where is my code?" (a
    ticket opened as the member); the owner changes the password; staff answer the ticket:
    the answer (it may hold account details, even a code) does not go to the thief's chat."""
    owner = Chat(app, "1001")
    thief = Chat(app, "6666")
    await sign_up(owner)
    await log_in(thief)
    await thief.command("support")
    await thief.text("I never got my Steam code, can you send it again?")
    ticket = (await app.support.list_open())[0]
    await change_password(owner)
    await app.support.add_message(
        ticket.id, "staff", "Here it is again: SECRET-CODE-1234", staff_name="anna"
    )
    got = await everyone_notified(app)
    assert not any("SECRET-CODE-1234" in r.text for r in got.get(thief.key, [])), got
    assert await app.support.take_undelivered(("staff",)) is not None  # nothing left hanging
    assert (await app.support.take_undelivered(("staff",))).messages == []


async def test_a_staff_answer_still_reaches_a_member_who_stayed_logged_in(app: App) -> None:
    owner = Chat(app, "1001")
    await sign_up(owner)
    await owner.command("support")
    await owner.text("Where do I find my invoice number?")
    ticket = (await app.support.list_open())[0]
    await app.support.add_message(
        ticket.id, "staff", "Top right of the invoice.", staff_name="anna"
    )
    got = await everyone_notified(app)
    assert any("Top right" in r.text for r in got.get(owner.key, [])), got
