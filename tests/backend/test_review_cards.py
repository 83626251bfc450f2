"""The review desk as cards (handlers/review_cards.py) and the code pool in the review room
(handlers/review_pool.py), on both backends (embedded and over HTTP), with the real catalog
and the real staff policy: user 777 is staff, 666 is not."""

from __future__ import annotations

import logging
from typing import Any

import pytest

from backend.port import ClaimFix, ClaimRequest, ClaimStatus, RejectReason
from handlers.i18n import Catalog as Texts
from handlers.review_cards import REASONS, ReviewCards, data
from handlers.review_pool import CodePool, install, parse_codes
from handlers.staff import StaffIdentity, StaffPolicy, StaffRoom
from tests.backend.conftest import product_data, recipient, sign_up_data, signed_up

ROOM = "-100777"
SAM = StaffIdentity("telegram", "777", "@sam_staff", room=ROOM)
ANA = StaffIdentity("telegram", "778", "@ana_staff", room=ROOM)
MALLORY = StaffIdentity("telegram", "666", "@mallory", room=ROOM)
POLICY = StaffPolicy(room=ROOM, allowed=frozenset({"777", "778"}))


@pytest.fixture(scope="module")
def texts() -> Texts:
    return Texts()


def cards(backend: Any, texts: Texts, locale: str = "en", warn: int = 5) -> ReviewCards:
    pool = CodePool(backend, texts, locale, warn_below=warn)
    return ReviewCards(backend, backend, texts, locale, policy=POLICY, pool=pool)


async def claim_in(backend: Any, promotion: str = "open", **product: Any) -> tuple[Any, Any]:
    member = await signed_up(backend, sign_up_data())
    item = await backend.register_product(member.id, product_data(**product))
    request = ClaimRequest(promotion, item.id, "sha256:sn1", recipient())
    return member, await backend.submit_claim(member.id, request, f"k-{item.id}")


def all_data(reply: Any) -> list[str]:
    return reply.button_data()


async def test_card_shows_the_claim_and_its_buttons_are_short_and_language_free(backend, texts):
    member, claim = await claim_in(backend)
    card = await cards(backend, texts).card(claim)
    for part in (
        claim.id,
        "Open Upgrade",
        claim.serial,
        claim.product_name,
        "First try",
        member.id,
    ):
        assert part in card.text
    assert card.labels() == ["✅ Approve", "❌ Reject"]
    german = await cards(backend, texts, "de").card(claim)
    assert german.labels() == ["✅ Genehmigen", "❌ Ablehnen"]
    assert german.button_data() == card.button_data() == [data("a", claim.id), data("j", claim.id)]
    reasons = await cards(backend, texts).card(claim, choosing=True)
    assert len(reasons.button_data()) == len(REASONS) + 2
    assert all(len(d.encode()) <= 64 for d in reasons.button_data() + card.button_data())
    assert [m.image for m in cards(backend, texts).media(claim)] == [claim.invoice, claim.sn_photo]


async def test_approve_by_button_code_reaches_the_customer_and_the_card_says_who(backend, texts):
    member, claim = await claim_in(backend)
    desk = cards(backend, texts)
    pressed = await desk.press(data("a", claim.id), SAM)
    assert pressed.notice == "Approved. The customer is told."
    assert pressed.card is not None and "decided by @sam_staff" in pressed.card.text
    assert pressed.card.buttons == ()  # decided: no more decisions on it
    (event,) = await backend.undelivered_events(member.id)
    assert event.status is ClaimStatus.SUCCESS and event.prize_code.startswith("TEST")
    # 5 demo codes, warning below 5: this approval took the 5th, 4 are left
    assert [p.key for p in pressed.posts] == ["review.pool_low"]
    assert event.prize_code not in pressed.card.text + pressed.posts[0].text


async def test_a_decided_card_pressed_again_tells_who_decided(backend, texts):
    member, claim = await claim_in(backend)
    desk = cards(backend, texts)
    await desk.press(data("a", claim.id), SAM)
    for op in ("a", "j", "r", "o"):
        again = await desk.press(data(op, claim.id, 0 if op == "r" else None), ANA)
        assert again.notice == "Already decided by @sam_staff: Approved, code sent.", op
        assert again.card is not None and again.card.buttons == ()
    assert (await backend.get_claim(member.id, claim.id)).status is ClaimStatus.SUCCESS
    assert len(await backend.undelivered_events(member.id)) == 1  # one decision, one notice


async def test_reject_by_reason_buttons_then_redeem_again_makes_a_new_card(backend, texts):
    member, claim = await claim_in(backend)
    desk = cards(backend, texts)
    choose = await desk.press(data("j", claim.id), SAM)
    assert choose.card is not None and "Invoice unreadable" in choose.card.labels()
    n = REASONS.index(RejectReason.INVOICE_UNREADABLE)
    done = await desk.press(data("r", claim.id, n), SAM)
    assert done.notice == "Rejected. The customer is told."
    (event,) = await backend.undelivered_events(member.id)
    assert (event.status, event.reason) == (ClaimStatus.REJECTED, RejectReason.INVOICE_UNREADABLE)
    fix = ClaimFix(invoice="sha256:sharper")
    again = await backend.resubmit_claim(member.id, claim.id, fix, "again-1")
    card = await desk.card(again)
    assert (
        "Try 2." in card.text and "Rejected on" in card.text and "invoice_unreadable" in card.text
    )
    assert card.labels() == ["✅ Approve", "❌ Reject"]
    other = await desk.press(data("o", claim.id), SAM)
    assert [p.key for p in other.posts] == ["review.other_prompt"]
    assert claim.id in other.posts[0].text and "next message" in other.posts[0].text
    assert (other.ask, other.claim_id) == ("o", claim.id)  # the connector keeps the question
    assert (await backend.get_claim(member.id, claim.id)).status is ClaimStatus.UNDER_REVIEW
    refused = await desk.answer("o", claim.id, "stolen goods", MALLORY)
    assert refused.notice.startswith("Only support staff") and refused.card is None
    done = await desk.answer("o", claim.id, "  The receipt is\n for another shop ", SAM)
    assert done.notice == "Rejected. The customer is told."
    after = await backend.get_claim(member.id, claim.id)
    assert (after.status, after.reason) == (ClaimStatus.REJECTED, RejectReason.OTHER)
    assert after.reason_text == "The receipt is for another shop"
    assert done.card is not None and "for another shop, decided by @sam_staff" in done.card.text
    late = await desk.answer("o", claim.id, "again", ANA)  # a decided claim: who decided
    assert late.notice.startswith("Already decided by @sam_staff")


async def test_a_non_staff_member_pressing_is_refused_and_logged(backend, texts, caplog):
    member, claim = await claim_in(backend)
    desk = cards(backend, texts)
    elsewhere = StaffIdentity("telegram", "777", "@sam_staff", room="-100999")  # staff, wrong chat
    caplog.set_level(logging.WARNING)
    for who in (MALLORY, elsewhere):
        for raw in (data("a", claim.id), data("r", claim.id, 0), data("j", claim.id)):
            refused = await desk.press(raw, who)
            assert refused.notice.startswith("Only support staff"), raw
            assert refused.card is None and refused.posts == []
    assert (await backend.get_claim(member.id, claim.id)).status is ClaimStatus.UNDER_REVIEW
    assert await backend.undelivered_events(member.id) == []
    assert "is not staff" in caplog.text


async def test_forged_or_odd_button_data_changes_nothing(backend, texts):
    member, claim = await claim_in(backend)
    desk = cards(backend, texts)
    for raw in (
        "rv:a.no-such-claim",
        "rv:z." + claim.id,
        "rv:r." + claim.id + ".99",
        "rv:r." + claim.id + ".x",
        "rv:",
        "ra:" + claim.id,
        "x" * 80,
    ):
        assert (await desk.press(raw, SAM)).notice == "This button is no longer valid.", raw
    assert (await backend.get_claim(member.id, claim.id)).status is ClaimStatus.UNDER_REVIEW


async def test_empty_pool_then_import_the_waiting_claim_gets_its_code(backend, texts):
    member, claim = await claim_in(backend, "models", category="Monitor", model="MAG 27CQ")
    desk = cards(backend, texts)
    waiting = await desk.press(data("a", claim.id), SAM)
    assert [p.key for p in waiting.posts] == ["review.pool_waiting"]
    assert "1 waiting" in waiting.posts[0].text
    (event,) = await backend.undelivered_events(member.id)
    assert (event.status, event.prize_code) == (ClaimStatus.APPROVED, "")
    room = StaffRoom(backend, None, texts, policy=POLICY)
    install(room, desk.pool)
    refused = await room.handle("/import models\nSECRET-1", MALLORY)
    assert [r.key for r in refused] == ["staff.not_staff"]
    assert await backend.code_stock("models") == 0
    (report,) = await room.handle("/import models\ncode\nSECRET-1\nSECRET-1\nSECRET-2", SAM)
    assert report.key == "review.imported"
    assert "1 waiting claims got their code" in report.text and "1 unused left" in report.text
    assert "SECRET" not in report.text
    done = await backend.get_claim(member.id, claim.id)
    assert (done.status, done.prize_code) == (ClaimStatus.SUCCESS, "SECRET-1")
    (code_event,) = await backend.undelivered_events(member.id)
    assert code_event.prize_code == "SECRET-1"
    assert [r.key for r in await room.handle("/import", SAM)] == ["review.import_usage"]


async def test_pool_empty_warning_when_the_last_code_goes(backend, texts):
    desk = cards(backend, texts, warn=2)
    keys = []
    for _ in range(5):  # the 5 demo codes of "open"
        _, claim = await claim_in(backend)
        keys.append([p.key for p in (await desk.press(data("a", claim.id), SAM)).posts])
    assert keys == [[], [], [], ["review.pool_low"], ["review.pool_empty"]]


async def test_ship_asks_for_the_tracking_note_and_only_for_an_approved_physical_prize(
    backend, texts
):
    member, claim = await claim_in(backend, "chair", category="Gaming Chair")
    desk = cards(backend, texts)
    assert (await desk.press(data("s", claim.id), SAM)).notice == "This button is no longer valid."
    assert (
        await desk.answer("s", claim.id, "DHL 1", SAM)
    ).notice == "This button is no longer valid."
    approved = await desk.press(data("a", claim.id), SAM)
    assert approved.card is not None and "📦 Ship" in approved.card.labels()
    asked = await desk.press(data("s", claim.id), SAM)
    assert (asked.ask, asked.claim_id) == ("s", claim.id)
    shipped = await desk.answer("s", claim.id, "DHL 00340434", SAM)
    assert shipped.notice == "Shipped. The customer is told."
    after = await backend.get_claim(member.id, claim.id)
    assert after.status is ClaimStatus.SHIPPED and after.tracking == "DHL 00340434"


def test_codes_from_text_and_csv() -> None:
    assert parse_codes("A-1\n\n  B-2 \n") == ["A-1", "B-2"]
    assert parse_codes('code,batch\nA-1,7\n"B,2",8\n') == ["A-1", "B,2"]
    assert parse_codes("Code;Batch\r\nA-1;1\r\n") == ["A-1"]


async def test_a_typed_approve_warns_about_the_pool_too(backend, texts):
    room = StaffRoom(backend, None, texts, policy=POLICY)
    install(room, CodePool(backend, texts, warn_below=5))
    _, claim = await claim_in(backend)
    replies = await room.handle(f"/approve {claim.id}", SAM)
    assert [r.key for r in replies] == ["staff.approved", "review.pool_low"]
    _, other = await claim_in(backend)
    assert [r.key for r in await room.handle(f"/approve {other.id}", SAM)] == ["staff.approved"]
    assert [r.key for r in await room.handle(f"/approve {other.id}", SAM)] != ["staff.approved"]


@pytest.fixture
async def marks(tmp_path):
    from storage.db import make_engine
    from storage.migrate import upgrade
    from storage.review_desk import ReviewDeskStore

    url = f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}"
    await upgrade(url)
    engine = make_engine(url)
    store = ReviewDeskStore(engine)
    yield store
    await store.close()
    await engine.dispose()


async def test_pool_warnings_once_per_crossing_not_per_claim(backend, texts, marks):
    pool = CodePool(backend, texts, warn_below=2, marks=marks)
    desk = ReviewCards(backend, backend, texts, policy=POLICY, pool=pool)
    keys, toasts = [], []
    for _ in range(7):  # 5 demo codes of "open", then two claims that find none
        _, claim = await claim_in(backend)
        pressed = await desk.press(data("a", claim.id), SAM)
        keys.append([p.key for p in pressed.posts])
        toasts.append(pressed.notice)
    assert keys == [[], [], [], ["review.pool_low"], ["review.pool_empty"], [], []]
    assert toasts[-1] == "Approved. No code left: the claim waits for an import."
    assert await backend.awaiting_codes("open") == 2
    room = StaffRoom(backend, None, texts, policy=POLICY)
    install(room, pool)
    (report,) = await room.handle("/import open\nNEW-0001\nNEW-0002\nNEW-0003\nNEW-0004", SAM)
    assert "2 waiting claims got their code" in report.text and "2 unused left" in report.text
    _, claim = await claim_in(backend)  # 1 left: below 2 again after the import
    assert [p.key for p in (await desk.press(data("a", claim.id), SAM)).posts] == [
        "review.pool_low"
    ]


async def test_import_reports_junk_and_never_echoes_a_code(backend, texts):
    room = StaffRoom(backend, None, texts, policy=POLICY)
    install(room, CodePool(backend, texts))
    (report,) = await room.handle(
        "/import open\nGOOD-CODE-1\nhello there\nx\n" + "Z" * 80 + "\nGOOD-CODE-2", SAM
    )
    assert report.key == "review.imported"
    assert "2 codes added" in report.text and "3 lines skipped" in report.text
    assert "GOOD-CODE" not in report.text
    (junk,) = await room.handle("/import open\nthank you\nbye now", SAM)
    assert junk.key == "review.import_junk"
    pool = CodePool(backend, texts)
    for name, blob, key in (
        ("codes.pdf", b"FILE-CODE-1", "review.import_file_kind"),
        ("codes.txt", b"\xff\xfe\x00bad", "review.import_file_unreadable"),
        ("codes.csv", None, "review.import_file_unreadable"),
    ):
        (reply,) = await pool.import_file("open", SAM, blob, name)
        assert reply.key == key, name
    (ok,) = await pool.import_file("open", SAM, b"\xef\xbb\xbfcode\r\nFILE-CODE-1\r\n", "c.CSV")
    assert ok.key == "review.imported" and "1 codes added" in ok.text


async def test_card_warns_of_the_same_phone_and_address_on_another_members_claim(backend, texts):
    _, first = await claim_in(backend)
    _, second = await claim_in(backend)  # another member, the same recipient
    desk = cards(backend, texts)
    card = await desk.card(await backend.find_claim(second.id))
    assert f"Same phone on another member's claim: {first.id[:8]}" in card.text
    assert f"Same address on another member's claim: {first.id[:8]}" in card.text
    alone = await desk.card(await backend.find_claim(first.id))
    assert "Same phone" not in alone.text  # found when the second claim came in
