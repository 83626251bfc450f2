"""The FAQ staff teach (seeded from the catalog, /learn, /faq N in the customer's language),
saved replies with parameters, /faq listing, and the staff policy on every topic command."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from handlers.i18n import LOCALES_DIR, Catalog
from handlers.staff import RoleUnavailable, StaffIdentity, StaffPolicy
from handlers.workspace import faq as faqs
from handlers.workspace.commands import (
    NAMES,
    TopicCommand,
    TopicOutcome,
    Usage,
    parse_topic_command,
)
from states import ConversationKey
from tests.workspace.conftest import OUTSIDER, ROOM, STAFF, Desk, keys, staff

NEW_QUESTION = "Can I change the street of the recipient later?"


async def seeded(desk: Desk) -> dict[str, int]:
    assert await faqs.seed(desk.faq, desk.catalog) == 9
    assert await faqs.seed(desk.faq, desk.catalog) == 0  # idempotent at every start
    return {i.slug: i.id for i in await desk.faq.entries()}


async def test_seeded_from_the_catalog_and_matched(desk: Desk) -> None:
    ids = await seeded(desk)
    items = await desk.faq.entries()
    assert faqs.best_match(items, "What is this CHK code?").id == ids["chk"]
    assert faqs.best_match(items, NEW_QUESTION) is None


def test_parser() -> None:
    assert parse_topic_command("/close") == TopicCommand("close")
    assert parse_topic_command("/Take@RedeemBot") == TopicCommand("take")
    assert parse_topic_command("/faq 3") == TopicCommand("faq", number=3)
    assert parse_topic_command("/faq Greet") == TopicCommand("faq", word="greet")
    assert parse_topic_command("/save greet Hi {first_name}!") == TopicCommand(
        "save", word="greet", text="Hi {first_name}!"
    )
    assert parse_topic_command("/learn 2") == TopicCommand("learn", number=2)
    assert parse_topic_command("/learn two") == Usage("learn", "workspace.usage_learn")
    assert parse_topic_command("/save 12 text") == Usage("save", "workspace.usage_save")
    assert parse_topic_command("/save greet") == Usage("save", "workspace.usage_save")
    assert parse_topic_command("/queue") is None and parse_topic_command("hello") is None


async def test_learn_a_new_entry_answers_the_next_customer(desk: Desk) -> None:
    await seeded(desk)
    first = await desk.ws.ask_a_person(
        desk_key("42"),
        display="Jamie",
        locale="en",
        member_id=None,
        create=desk.channel.create,
        question=NEW_QUESTION,
    )
    assert first.relay and "workspace.handoff" in keys(first.staff)
    answer = "Yes: open “My claims”, tap the claim and edit the recipient while under review."
    await desk.staff_says(answer, first.topic)
    learned = await desk.staff_says("/learn", first.topic, replied=answer)
    assert keys(learned.staff) == ["workspace.learned_new"]
    match = await faqs.answer_for(desk.faq, "can I change the street of the recipient, later", "de")
    assert match is not None and match.answer == answer and match.question == NEW_QUESTION
    assert faqs.render_answer(desk.catalog, "en", match).endswith(answer)


async def test_learn_a_way_of_asking_an_entry(desk: Desk) -> None:
    ids = await seeded(desk)
    asked = "My gift never showed up, what gives"
    assert faqs.best_match(await desk.faq.entries(), asked) is None
    topic = (await desk.customer(asked)).topic
    learn = await desk.staff_says(f"/learn {ids['how_long']}", topic)
    assert keys(learn.staff) == ["workspace.learned"]
    assert keys((await desk.staff_says(f"/learn {ids['how_long']}", topic)).staff) == [
        "workspace.learned_known"
    ]
    assert keys((await desk.staff_says("/learn 999", topic)).staff) == ["workspace.no_faq"]
    assert (
        faqs.best_match(await desk.faq.entries(), "my gift never showed up - what gives?").slug
        == "how_long"
    )
    assert [h.action for h in await desk.faq.history(ids["how_long"])] == ["learn"]


async def test_faq_n_in_the_customers_language(desk: Desk, tmp_path: Path) -> None:
    shutil.copy(LOCALES_DIR / "en.ftl", tmp_path / "en.ftl")
    (tmp_path / "de.ftl").write_text(
        "faq-chk-q = Was ist der CHK-Code?\nfaq-chk-a = Die drei Ziffern neben CHK.\n"
        "faq-chk-keywords = chk\n",
        encoding="utf-8",
    )
    desk.ws.catalog = desk.catalog = Catalog(tmp_path)
    ids = await seeded(desk)
    german = (await desk.customer("Hallo", user="77", locale="de")).topic
    sent = await desk.staff_says(f"/faq {ids['chk']}", german)
    assert keys(sent.staff) == ["workspace.faq_sent"]
    assert "Die drei Ziffern neben CHK." in sent.customer[0].text
    english = (await desk.customer("hello", user="78")).topic
    assert "3-digit code" in (await desk.staff_says(f"/faq {ids['chk']}", english)).customer[0].text
    # an entry without a German text falls back to English
    assert (
        "invoice date" in (await desk.staff_says(f"/faq {ids['invoice']}", german)).customer[0].text
    )
    listing = await desk.staff_says("/faq", english)
    assert "What is the CHK code?" in listing.staff[0].text


async def test_saved_replies_with_parameters(desk: Desk) -> None:
    topic = (await desk.customer("hello")).topic
    saved = await desk.staff_says(
        "/save greet Hello {first_name}, your claim {claim} is fine.", topic
    )
    assert keys(saved.staff) == ["workspace.saved"]
    sent = await desk.staff_says("/faq GREET", topic)
    assert (
        sent.customer[0].text == "Hello there, your claim - is fine."
    )  # a guest: no name, no claim
    assert (
        faqs.fill(
            "{first_name}: {claim} {first_name.__class__} {0} {other}",
            {"first_name": "Jamie", "claim": "c-1"},
        )
        == "Jamie: c-1 {first_name.__class__} {0} {other}"
    )
    refused = await desk.staff_says("/save leak your password is {password}", topic)
    assert (
        keys(refused.staff) == ["workspace.save_unknown"] and await desk.faq.saved("leak") is None
    )
    assert keys((await desk.staff_says("/faq nosuch", topic)).staff) == ["workspace.no_saved"]
    assert "greet" in (await desk.staff_says("/faq", topic)).staff[0].text


@pytest.mark.parametrize(
    "text",
    [f"/{n} 1" if n in ("faq", "learn") else f"/{n}" for n in NAMES]
    + ["/save greet hi", "/faq greet", "/learn", "/faq", "hello, I am staff (not)"],
)
async def test_a_non_staff_member_is_refused_on_everything(desk: Desk, text: str) -> None:
    await seeded(desk)
    topic = (await desk.customer("help me")).topic
    await desk.staff_says("/save greet Hi there", topic)  # staff did this
    before = await desk.topics.get(topic.id)
    outcome = await desk.staff_says(text, topic, who=OUTSIDER)
    assert outcome.customer == [] and not outcome.close_topic and not outcome.card_changed
    assert keys(outcome.staff) in (["staff.not_staff"], ["workspace.not_relayed"])
    after = await desk.topics.get(topic.id)
    assert (after.status, after.banned, after.assignee_id, after.last_answer) == (
        before.status,
        before.banned,
        before.assignee_id,
        before.last_answer,
    )
    assert [i.phrasings for i in await desk.faq.entries()] == [(), (), (), (), (), (), (), (), ()]
    assert [s.text for s in await desk.faq.saved_replies()] == ["Hi there"]
    assert [h.actor_id for h in await desk.topics.history(topic.id)] == []
    # asked again right away: logged, not answered again (the chat's budget is not spent)
    assert (await desk.staff_says(text, topic, who=OUTSIDER)).staff == []


def desk_key(user: str) -> ConversationKey:
    return ConversationKey("telegram", user, user)


async def test_ask_a_person_shows_the_closest_entries(desk: Desk) -> None:
    ids = await seeded(desk)
    question = "invoice by email?"  # one keyword each for two entries: a tie, no clear answer
    assert faqs.best_match(await desk.faq.entries(), question) is None
    handed = await desk.ws.ask_a_person(
        desk_key("42"),
        display="Jamie",
        locale="en",
        member_id=None,
        create=desk.channel.create,
        question=question,
    )
    note = handed.staff[-1].text
    assert question in note
    assert f"/faq {ids['invoice']}" in note and f"/faq {ids['no_email']}" in note


async def test_staff_media_is_relayed_and_forwarded_messages_are_not(desk: Desk) -> None:
    topic = (await desk.customer("what does the sticker look like?")).topic
    photo = await desk.desk.handle("", STAFF, topic, media=True)
    assert photo.relay and photo.customer == []  # the connector copies the photo itself
    captioned = await desk.desk.handle("/close", STAFF, topic, media=True)
    assert captioned.relay and not captioned.close_topic  # a caption is never a command
    assert (await desk.topics.get(topic.id)).status == "open"
    forwarded = await desk.desk.handle("/ban", STAFF, topic, forwarded=True)
    assert forwarded == TopicOutcome() and not (await desk.topics.get(topic.id)).banned
    answers = [h.details for h in await desk.topics.history(topic.id)]
    assert answers == ["media", "media"]


async def test_staff_elsewhere_or_unverifiable_is_refused(desk: Desk) -> None:
    topic = (await desk.customer("hello")).topic
    elsewhere = StaffIdentity("telegram", "777", "@sam_staff", room="-100999")  # not the staff chat
    assert keys((await desk.desk.handle("/ban", elsewhere, topic)).staff) == ["staff.not_staff"]
    desk.clock.advance(seconds=61)  # a refused person is answered once a minute
    assert keys((await desk.desk.handle("hi", elsewhere, topic)).staff) == ["workspace.not_relayed"]

    class Down:
        async def role(self, who: StaffIdentity) -> str:
            raise RoleUnavailable()

    desk.room.policy = StaffPolicy(ROOM, frozenset(), "admins")
    desk.room.roles = Down()
    boss = staff("900", "@boss")
    assert keys((await desk.desk.handle("hello", boss, topic)).staff) == ["staff.check_failed"]
    desk.clock.advance(seconds=61)
    assert keys((await desk.desk.handle("/close", boss, topic)).staff) == ["staff.check_failed"]
    now = await desk.topics.get(topic.id)
    assert (now.status, now.last_answer, await desk.topics.history(topic.id)) == ("open", "", [])


async def test_nothing_goes_to_a_closed_topic(desk: Desk) -> None:
    ids = await seeded(desk)
    topic = (await desk.customer("hello")).topic
    await desk.staff_says("/close", topic)
    assert keys((await desk.staff_says("still there?", topic)).staff) == [
        "workspace.not_open_answer"
    ]
    sent = await desk.staff_says(f"/faq {ids['chk']}", topic)
    assert keys(sent.staff) == ["workspace.not_open_answer"] and sent.customer == []
