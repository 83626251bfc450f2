"""The whole journey in German and in Traditional Chinese: sign-up to code, reject and redeem
again, support; the language from the channel's hint, then the customer's choice; and no
English text left anywhere in a German or Chinese session."""

from __future__ import annotations

import re

import pytest

from backend.port import RejectReason
from handlers.io import Event, Reply
from tests.conftest import Chat, jpeg
from tests.conversation.journeys import PASSWORD
from tests.conversation.journeys_i18n import Localised, redeem, register, sign_up

#: words that stay as they are in every language (the vendor's terms, names, units)
ALLOWED = {
    "S/N",
    "CHK",
    "Steam",
    "MSI",
    "MSI®",
    "MSI Reward Program",
    "OK",
    "E-Mail",
    "Email",
    "—",
    "-",
}


class LocalChat(Localised, Chat):
    """A customer whose channel says which language they speak (Telegram's language_code)."""

    def __init__(self, app, hint: str | None, user: str = "2001") -> None:
        super().__init__(app, user=user)
        self.catalog = app.catalog
        self.hint = hint
        self.chosen: str | None = None  # the language the customer picked in the chat

    @property
    def locale(self) -> str:
        return self.chosen or self.app.catalog.resolve_locale(self.hint)

    async def send(self, body, event_id: str | None = None) -> list[Reply]:
        event = Event(
            key=self.key, body=body, event_id=event_id or f"l{next(self._ids)}", locale=self.hint
        )
        outcome = await self.app.engine.handle(event)
        self.replies = outcome.replies
        self.history.extend(outcome.replies)
        return outcome.replies

    async def session_locale(self) -> str:
        return (await self.app.sessions.load(self.key)).locale


# -- the "no English left" check -------------------------------------------------------------


def english_pieces(catalog, locale: str) -> set[str]:
    """Every English text (or the fixed part of one with parameters, when long enough to mean
    something) whose translation differs: none may appear in a session in ``locale``."""
    pieces: set[str] = set()
    for key in catalog.known_keys("en"):
        params = {p: "\0" for p in catalog.parameters("en", key)}
        english = catalog.text("en", key, **params)
        if english == catalog.text(locale, key, **params):
            continue  # the same in both (a name, a term): not English left over
        for part in english.split("\0"):
            for line in part.split("\n"):
                line = line.strip(" •✓:·\t")
                if line in ALLOWED or len(line) < 4 or not re.search(r"[A-Za-z]{3}", line):
                    continue
                if params and len(line) < 12:  # "Keep: " alone says little
                    continue
                pieces.add(line)
    return pieces


def assert_no_english(chat: LocalChat, typed: set[str]) -> None:
    pieces = english_pieces(chat.app.catalog, chat.locale)
    shown = []
    for reply in chat.history:
        text = reply.text
        for word in typed:  # what the customer typed comes back (names, the store): not ours
            text = text.replace(word, "")
        shown.append((reply.key, text))
        shown += [(reply.key + " [button]", b.label) for row in reply.buttons for b in row]

    def leaked(piece: str, text: str) -> bool:
        if " " not in piece:  # one word ("Model", "Desktop"): only a whole text or line
            return piece in (text.strip(), *(line.strip(" •✓:·") for line in text.split("\n")))
        return re.search(rf"(?<!\w){re.escape(piece)}(?!\w)", text) is not None

    leaks = sorted({(key, p) for key, text in shown for p in pieces if leaked(p, text)})
    assert leaks == [], "\n".join(f"{k}: {p!r}" for k, p in leaks)


# -- the journeys -----------------------------------------------------------------------------

CASES = {
    # hint from the channel, the region typed, the purchase date typed, the tap for "Germany"
    "de": ("de-AT", "Deutschland", "1. Oktober 2026"),
    "zh-Hant": ("zh-TW", "德國", "2026年10月1日"),
}


@pytest.mark.parametrize("locale", sorted(CASES))
async def test_whole_journey_in_each_language(app, locale: str) -> None:
    hint, region, date = CASES[locale]
    chat = LocalChat(app, hint)
    assert chat.locale == locale
    await sign_up(chat, region)
    assert await chat.session_locale() == locale
    await register(chat, region, date)
    await redeem(chat)

    claim = (await app.desk.review_queue())[0]
    await app.desk.reject(claim.id, RejectReason.INVOICE_MISSING_MODEL, "", "staff")
    news = await chat.notifications()
    assert news[0].key == "notify.rejected"
    assert chat.t("reason.invoice_missing_model") in news[0].text  # the reason in their language
    await chat.tap_key("btn.redeem_again")
    await chat.photo(jpeg(1300, 1000, (90, 90, 90)))
    await chat.tap_key("btn.confirm")
    chat.said("redeem.submitted")

    await app.desk.approve(claim.id, "staff")
    news = await chat.notifications()
    assert news[0].key == "notify.success"
    member = (await app.sessions.load(chat.key)).member_id
    code = (await app.backend.list_claims(member))[0].prize_code
    assert code and code in news[0].text
    assert chat.t("notify.activation_default") in news[0].text

    await chat.command("status")
    assert chat.t("status.success") in chat.text_all

    await chat.command("support")
    await chat.text("Meine Rechnung?" if locale == "de" else "我的發票呢？")
    ticket = (await app.support.list_open())[0]
    await app.support.add_message(ticket.id, "staff", "OK 123", staff_name="anna")
    news = await chat.notifications()
    assert news[0].key == "support.answer" and news[0].text == chat.t(
        "support.answer", text="OK 123"
    )

    typed = {
        "Jamie",
        "Smith",
        "GeForce RTX 5070 GAMING TRIO",
        "Amazon.de",
        "Invalidenstr. 1",
        "Berlin",
        "Level Up Your Rig",
    }
    assert_no_english(chat, typed)


async def test_english_left_is_caught(app) -> None:
    """The check above can fail: an English reply in a German session is found."""
    chat = LocalChat(app, "de")
    chat.history.append(Reply(text=app.catalog.text("en", "menu.title"), key="menu.title"))
    with pytest.raises(AssertionError):
        assert_no_english(chat, set())


@pytest.mark.parametrize(
    ("hint", "locale"),
    [("de-CH", "de"), ("zh-hk", "zh-Hant"), ("zh-CN", "en"), (None, "en"), ("fr", "en")],
)
async def test_first_contact_takes_the_channels_hint(app, hint, locale) -> None:
    chat = LocalChat(app, hint, user=f"u-{hint}")
    await chat.command("start")
    assert chat.said("start.welcome").text == app.catalog.text(locale, "start.welcome")
    assert await chat.session_locale() == locale


async def test_language_command_changes_it_and_the_hint_no_longer_does(app) -> None:
    chat = LocalChat(app, "de")
    await chat.command("start")
    await chat.command("language")
    labels = [b.label for b in chat.said("language.choose").buttons[0]]
    assert labels == ["✓ Deutsch", "English", "中文 (繁體)"]
    await chat.press(chat.said("language.choose").buttons[0][2].data)  # 中文 (繁體)
    chat.chosen = "zh-Hant"
    assert chat.said("language.set").text == app.catalog.text(
        "zh-Hant", "language.set", language="中文 (繁體)"
    )
    assert await chat.session_locale() == "zh-Hant"
    assert (await app.links.get(chat.key)).locale == "zh-Hant"
    await chat.command("menu")  # the Telegram client still says "de": the choice stands
    assert chat.replies[0].text.startswith(app.catalog.text("zh-Hant", "menu.title_guest")[:5])
    assert await chat.session_locale() == "zh-Hant"


async def test_language_buttons_in_the_profile_and_notifications_follow(app) -> None:
    chat = LocalChat(app, "en")
    await sign_up(chat, "Germany")
    await chat.command("profile")
    rows = [[b.label for b in row] for r in chat.replies for row in r.buttons]
    assert ["Deutsch", "✓ English", "中文 (繁體)"] in rows
    await chat.press(
        next(b.data for r in chat.replies for row in r.buttons for b in row if b.label == "Deutsch")
    )
    assert await chat.session_locale() == "de"
    chat.chosen = "de"  # the client still says "en" with every message: the choice stands
    assert chat.said("profile.view").text.startswith(
        app.catalog.text("de", "profile.view", **_empty(app))[:8]
    )
    await register(chat, "Deutschland", "01.10.2026")
    await redeem(chat)
    claim = (await app.desk.review_queue())[0]
    await app.desk.reject(claim.id, RejectReason.SN_PHOTO_ON_PACKAGE, "", "staff")
    news = await chat.notifications()
    assert (
        news[0].key == "notify.rejected"
        and app.catalog.text("de", "reason.sn_photo_on_package") in news[0].text
    )


async def test_a_forged_language_button_is_refused(app) -> None:
    chat = LocalChat(app, "de")
    await chat.command("start")
    await chat.press("lg:fr")
    assert chat.keys[0] == "common.button_expired"
    assert await chat.session_locale() == "de"


def _empty(app) -> dict[str, str]:
    return {p: "" for p in app.catalog.parameters("en", "profile.view")}


@pytest.mark.parametrize(
    ("hint", "question", "faq_id"),
    [
        ("de", "Wo finde ich die Seriennummer?", "find_serial"),
        ("de", "Was muss auf dem Kassenbon stehen?", "invoice"),
        ("de", "Wo ist die Rechnungsnummer?", "invoice"),  # a compound holding "rechnung"
        ("de", "Wie lange dauert das?", "how_long"),
        ("de", "invoice?", "invoice"),  # English keywords work in every language
        ("zh-TW", "請問序號在哪裡找？", "find_serial"),
        ("zh-TW", "發票上要有什麼", "invoice"),
        ("zh-TW", "要等多久", "how_long"),
        ("zh-TW", "檢查碼是什麼", "chk"),
        ("en", "where is the invoce", "invoice"),  # a typo (rapidfuzz)
    ],
)
async def test_faq_free_text_in_each_language(app, hint: str, question: str, faq_id: str) -> None:
    chat = LocalChat(app, hint, user=f"faq-{hint}")
    await chat.command("faq")
    await chat.text(question)
    assert chat.t(f"faq.{faq_id}.a").splitlines()[0] in chat.text_all, chat.text_all


@pytest.mark.parametrize(("hint", "question"), [("de", "Hallo, wie geht's?"), ("zh-TW", "你好")])
async def test_faq_does_not_guess(app, hint: str, question: str) -> None:
    chat = LocalChat(app, hint, user=f"faq-no-{hint}")
    await chat.command("faq")
    await chat.text(question)
    assert chat.fixed("faq.no_match") in chat.text_all, chat.text_all


# -- the member's language: chosen once, spoken in every chat they log in to -----------------


async def test_a_members_choice_follows_them_to_another_chat(app) -> None:
    first = LocalChat(app, "en", user="2101")
    await sign_up(first, "Germany")
    await first.command("language")
    await first.press(first.said("language.choose").buttons[0][0].data)  # Deutsch
    first.chosen = "de"
    assert await first.session_locale() == "de"

    other = LocalChat(app, "en", user="2102")  # a new chat whose client says English
    await other.command("login")
    await other.text("jamie@example.com")
    await other.text(PASSWORD)
    assert await other.session_locale() == "de"
    assert (await app.links.get(other.key)).locale == "de"  # its notifications too
    await other.command("menu")
    assert other.replies[0].text.startswith(app.catalog.text("de", "menu.title")[:8])


async def test_a_choice_made_before_logging_in_wins_and_is_kept(app) -> None:
    first = LocalChat(app, "de", user="2201")
    await sign_up(first, "Germany")
    assert await app.links.member_locale(await app.links.member_for(first.key)) is None

    other = LocalChat(app, "de", user="2202")
    await other.command("start")
    await other.command("language")
    await other.press(other.said("language.choose").buttons[0][2].data)  # 中文 (繁體)
    other.chosen = "zh-Hant"
    await other.command("login")
    await other.text("jamie@example.com")
    await other.text(PASSWORD)
    assert await other.session_locale() == "zh-Hant"
    member = await app.links.member_for(other.key)
    assert member and await app.links.member_locale(member) == "zh-Hant"

    third = LocalChat(app, "en", user="2203")
    await third.command("login")
    await third.text("jamie@example.com")
    await third.text(PASSWORD)
    assert await third.session_locale() == "zh-Hant"


async def test_a_chat_without_a_choice_keeps_its_hint(app) -> None:
    first = LocalChat(app, "de", user="2301")
    await sign_up(first, "Germany")
    other = LocalChat(app, "en", user="2302")
    await other.command("login")
    await other.text("jamie@example.com")
    await other.text(PASSWORD)
    assert await other.session_locale() == "en"  # nobody chose: each chat its own hint
