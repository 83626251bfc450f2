"""Claims and the staff desk: idempotent submits, reject -> resubmit -> approve, codes,
physical prizes, the event outbox and invalid transitions (both adapters)."""

from __future__ import annotations

import asyncio

import pytest

from backend.port import (
    BackendError,
    Claim,
    ClaimFix,
    ClaimRequest,
    ClaimStatus,
    InvalidTransition,
    NoCodesLeft,
    NotFound,
    PrizeKind,
    RejectReason,
)
from tests.backend.conftest import product_data, recipient, sign_up_data, signed_up


async def _member_with(backend, n: int = 1, **product):
    member = await signed_up(backend, sign_up_data())
    products = [
        await backend.register_product(member.id, product_data(**product)) for _ in range(n)
    ]
    return member, products


def _request(product_id: str, promotion: str = "open", **over) -> ClaimRequest:
    return ClaimRequest(
        promotion, product_id, over.pop("sn_photo", "sha256:sn1"), recipient(**over)
    )


async def test_submit_is_idempotent(backend):
    member, (product,) = await _member_with(backend)
    first = await backend.submit_claim(member.id, _request(product.id), "key-1")
    again = await backend.submit_claim(member.id, _request(product.id), "key-1")
    assert isinstance(first, Claim)
    assert again == first
    assert first.status is ClaimStatus.UNDER_REVIEW
    assert first.promotion_name == "Open Upgrade"
    assert (first.product_name, first.serial, first.invoice) == (
        product.product_name,
        product.serial,
        product.invoice,
    )
    assert first.prize_kind is PrizeKind.DIGITAL
    assert first.attempts == 1
    assert await backend.list_claims(member.id) == [first]
    assert await backend.get_claim(member.id, first.id) == first


async def test_concurrent_submits_with_one_key_make_one_claim(backend):
    member, (product,) = await _member_with(backend)
    claims = await asyncio.gather(
        *(backend.submit_claim(member.id, _request(product.id), "same-key") for _ in range(5))
    )
    assert len({c.id for c in claims}) == 1
    assert len(await backend.list_claims(member.id)) == 1


async def test_claim_of_another_member_is_not_found(backend):
    member, (product,) = await _member_with(backend)
    other = await signed_up(backend, sign_up_data())
    claim = await backend.submit_claim(member.id, _request(product.id), "k")
    with pytest.raises(NotFound):
        await backend.get_claim(other.id, claim.id)
    with pytest.raises(NotFound):  # nor may they claim with someone else's product
        await backend.submit_claim(other.id, _request(product.id), "k2")
    with pytest.raises(NotFound):
        await backend.submit_claim(member.id, _request(product.id, "no-such-promo"), "k3")


async def test_submit_events_are_already_delivered(backend):
    member, (product,) = await _member_with(backend)
    await backend.submit_claim(member.id, _request(product.id), "k")
    assert await backend.undelivered_events() == []


async def test_reject_resubmit_approve_delivers_code_once(backend):
    member, (product,) = await _member_with(backend)
    claim = await backend.submit_claim(member.id, _request(product.id), "submit-1")
    assert [c.id for c in await backend.review_queue()] == [claim.id]

    rejected = await backend.reject(
        claim.id, RejectReason.INVOICE_MISSING_MODEL, "model name not on the invoice", "ana"
    )
    assert rejected.status is ClaimStatus.REJECTED
    assert rejected.reason is RejectReason.INVOICE_MISSING_MODEL
    assert rejected.reason_text == "model name not on the invoice"
    assert await backend.review_queue() == []
    (event,) = await backend.undelivered_events(member.id)
    assert (event.claim_id, event.status, event.reason) == (
        claim.id,
        ClaimStatus.REJECTED,
        RejectReason.INVOICE_MISSING_MODEL,
    )
    assert event.reason_text == "model name not on the invoice"
    await backend.mark_delivered([event.id])

    fix = ClaimFix(invoice="sha256:better-invoice")
    resubmitted = await backend.resubmit_claim(member.id, claim.id, fix, "resubmit-1")
    assert resubmitted.status is ClaimStatus.UNDER_REVIEW
    assert (resubmitted.attempts, resubmitted.invoice) == (2, "sha256:better-invoice")
    assert resubmitted.reason is None and resubmitted.reason_text == ""
    assert (await backend.get_product(member.id, product.id)).invoice == "sha256:better-invoice"
    # the same key again: the same result, no third attempt
    assert await backend.resubmit_claim(member.id, claim.id, fix, "resubmit-1") == resubmitted

    approved = await backend.approve(claim.id, "ana")
    assert approved.status is ClaimStatus.SUCCESS
    assert approved.prize_code.startswith("TEST-")
    (event,) = await backend.undelivered_events()
    assert (event.status, event.prize_code, event.member_id) == (
        ClaimStatus.SUCCESS,
        approved.prize_code,
        member.id,
    )
    await backend.mark_delivered([event.id])
    await backend.mark_delivered([event.id])  # harmless twice
    assert await backend.undelivered_events() == []
    assert (await backend.get_claim(member.id, claim.id)).prize_code == approved.prize_code
    assert await backend.code_stock("open") == 4


async def test_resubmit_fixes_recipient_photo_and_serial(backend):
    member, (product,) = await _member_with(backend)
    claim = await backend.submit_claim(member.id, _request(product.id), "k")
    await backend.reject(claim.id, RejectReason.SN_MISMATCH, "", "ana")
    fix = ClaimFix(
        sn_photo="sha256:sn2", recipient=recipient(city="Hamburg"), serial="ba3t9999999v"
    )
    again = await backend.resubmit_claim(member.id, claim.id, fix, "k2")
    assert (again.sn_photo, again.recipient.city, again.serial) == (
        "sha256:sn2",
        "Hamburg",
        "BA3T9999999V",
    )
    assert (await backend.get_product(member.id, product.id)).serial == "BA3T9999999V"


async def test_resubmit_only_after_rejection(backend):
    member, (product,) = await _member_with(backend)
    claim = await backend.submit_claim(member.id, _request(product.id), "k")
    with pytest.raises(InvalidTransition) as info:
        await backend.resubmit_claim(member.id, claim.id, ClaimFix(), "r1")
    assert info.value.params == {"status": "under_review", "action": "resubmit"}
    await backend.approve(claim.id, "ana")
    with pytest.raises(InvalidTransition):
        await backend.resubmit_claim(member.id, claim.id, ClaimFix(), "r2")


async def test_key_reused_for_another_operation(backend):
    member, (product,) = await _member_with(backend)
    claim = await backend.submit_claim(member.id, _request(product.id), "k")
    await backend.reject(claim.id, RejectReason.OTHER, "please call us", "ana")
    with pytest.raises(BackendError) as info:
        await backend.resubmit_claim(member.id, claim.id, ClaimFix(), "k")
    assert info.value.key == "error.idempotency_conflict"


async def test_invalid_staff_transitions(backend):
    member, (product,) = await _member_with(backend)
    claim = await backend.submit_claim(member.id, _request(product.id), "k")
    with pytest.raises(InvalidTransition):
        await backend.mark_shipped(claim.id, "ana")  # not approved
    await backend.approve(claim.id, "ana")
    with pytest.raises(InvalidTransition) as info:
        await backend.approve(claim.id, "bo")
    assert info.value.params == {"status": "success", "action": "approve"}
    with pytest.raises(InvalidTransition):
        await backend.reject(claim.id, RejectReason.OTHER, "too late", "bo")
    with pytest.raises(InvalidTransition):
        await backend.mark_shipped(claim.id, "ana")  # digital: nothing to ship
    with pytest.raises(NotFound):
        await backend.approve("no-such-claim", "ana")


async def test_reject_other_needs_text(backend):
    member, (product,) = await _member_with(backend)
    claim = await backend.submit_claim(member.id, _request(product.id), "k")
    with pytest.raises(BackendError) as info:
        await backend.reject(claim.id, RejectReason.OTHER, "  ", "ana")
    assert info.value.params == {"field": "text"}


async def test_physical_prize_approve_then_ship(backend):
    member, (chair,) = await _member_with(backend, category="Gaming Chair")
    claim = await backend.submit_claim(member.id, _request(chair.id, "chair"), "k")
    assert claim.prize_kind is PrizeKind.PHYSICAL
    approved = await backend.approve(claim.id, "ana")
    assert (approved.status, approved.prize_code) == (ClaimStatus.APPROVED, "")
    shipped = await backend.mark_shipped(claim.id, "ana", tracking="1Z999")
    assert shipped.status is ClaimStatus.SHIPPED
    events = await backend.undelivered_events(member.id)
    assert [e.status for e in events] == [ClaimStatus.APPROVED, ClaimStatus.SHIPPED]
    with pytest.raises(InvalidTransition):
        await backend.mark_shipped(claim.id, "ana")


async def test_no_codes_left_then_import(backend):
    member, (screen,) = await _member_with(backend, category="Monitor", model="MAG 27CQ")
    claim = await backend.submit_claim(member.id, _request(screen.id, "models"), "k")
    assert await backend.code_stock("models") == 0
    with pytest.raises(NoCodesLeft) as info:
        await backend.approve(claim.id, "ana")
    assert info.value.params == {"promotion": "models"}
    assert (await backend.get_claim(member.id, claim.id)).status is ClaimStatus.UNDER_REVIEW
    assert await backend.undelivered_events() == []
    assert await backend.import_codes("models", ["NEW-1"]) == 1
    assert (await backend.approve(claim.id, "ana")).prize_code == "NEW-1"
    assert await backend.code_stock("models") == 0


async def test_import_codes_dedupes(backend):
    assert await backend.import_codes("models", ["A-1", "A-1", " A-2 ", "", "  "]) == 2
    assert await backend.import_codes("models", ["A-2", "A-3"]) == 1
    assert await backend.code_stock("models") == 3
    assert await backend.import_codes("models", ["TEST-" + "X" * 4]) == 1
    with pytest.raises(NotFound):
        await backend.import_codes("no-such-promo", ["Z"])
    with pytest.raises(BackendError) as info:
        await backend.import_codes("chair", ["Z"])  # physical prize: no code pool
    assert info.value.params == {"field": "promotion"}


async def test_concurrent_approvals_get_distinct_codes(backend):
    claims = []
    for _ in range(2):
        member, products = await _member_with(backend, n=2)
        for p in products:
            claims.append(await backend.submit_claim(member.id, _request(p.id), f"k-{p.id}"))
    approved = await asyncio.gather(*(backend.approve(c.id, "ana") for c in claims))
    codes = [c.prize_code for c in approved]
    assert len(set(codes)) == 4 and all(codes)
    assert await backend.code_stock("open") == 1


async def test_review_queue_oldest_first_and_events_filter(backend, env):
    a, (pa,) = await _member_with(backend)
    b, (pb,) = await _member_with(backend)
    first = await backend.submit_claim(a.id, _request(pa.id), "k")
    env.clock.advance(minutes=5)
    second = await backend.submit_claim(b.id, _request(pb.id), "k")
    assert [c.id for c in await backend.review_queue()] == [first.id, second.id]
    await backend.reject(second.id, RejectReason.ADDRESS_INCOMPLETE, "", "ana")
    await backend.approve(first.id, "ana")
    assert [e.claim_id for e in await backend.undelivered_events(a.id)] == [first.id]
    assert [e.claim_id for e in await backend.undelivered_events()] == [
        second.id
    ]  # first is leased
    assert await backend.undelivered_events() == []  # both leased to earlier callers
    env.clock.advance(minutes=2)  # leases ran out: nothing was confirmed, so they come back
    assert len(await backend.undelivered_events(limit=1)) == 1
    assert [e.claim_id for e in await backend.undelivered_events()] == [first.id]


async def test_two_replicas_never_take_the_same_event(backend, env):
    import asyncio

    members = [await _member_with(backend) for _ in range(5)]
    for m, (p,) in members:
        claim = await backend.submit_claim(m.id, _request(p.id), f"k-{m.id}")
        await backend.approve(claim.id, "ana")
    ids: list[str] = []
    for _ in range(5):  # pollers racing: none gets an event another one holds; all arrive
        got = await asyncio.gather(*(backend.undelivered_events(limit=4) for _ in range(3)))
        ids += [e.id for batch in got for e in batch]
    assert len(ids) == len(set(ids)) == 5


async def test_list_claims_newest_first(backend, env):
    member, products = await _member_with(backend, n=2)
    older = await backend.submit_claim(member.id, _request(products[0].id), "k1")
    env.clock.advance(minutes=1)
    newer = await backend.submit_claim(member.id, _request(products[1].id), "k2")
    assert [c.id for c in await backend.list_claims(member.id)] == [newer.id, older.id]


async def test_recipient_required_fields(backend):
    member, (product,) = await _member_with(backend)
    with pytest.raises(BackendError) as info:
        await backend.submit_claim(member.id, _request(product.id, zip=" "), "k")
    assert info.value.params == {"field": "recipient.zip"}


async def test_concurrent_submits_respect_the_limit(backend):
    member, products = await _member_with(backend, n=4)
    results = await asyncio.gather(
        *(backend.submit_claim(member.id, _request(p.id), f"k-{p.id}") for p in products),
        return_exceptions=True,
    )
    made = [r for r in results if isinstance(r, Claim)]
    refused = [r for r in results if not isinstance(r, Claim)]
    assert len(made) == 2
    assert all(isinstance(r, BackendError) and r.key == "error.limit_reached" for r in refused)
    assert len(await backend.list_claims(member.id)) == 2


async def test_concurrent_resubmits_with_one_key_count_once(backend):
    member, (product,) = await _member_with(backend)
    claim = await backend.submit_claim(member.id, _request(product.id), "k")
    await backend.reject(claim.id, RejectReason.SN_PHOTO_UNREADABLE, "", "ana")
    fix = ClaimFix(sn_photo="sha256:sharp")
    results = await asyncio.gather(
        *(backend.resubmit_claim(member.id, claim.id, fix, "again") for _ in range(4))
    )
    assert {(c.id, c.attempts, c.status) for c in results} == {
        (claim.id, 2, ClaimStatus.UNDER_REVIEW)
    }


async def test_resubmit_records_its_event_as_delivered_with_the_new_status(env):
    """The resubmit's outbox row is the claim's new state (under review, the rejection's
    reason gone), already delivered: the conversation answered it, nobody is told twice."""
    from sqlalchemy import select

    from storage.backend_models import ClaimEventRow

    backend = env.local
    member, (product,) = await _member_with(backend)
    claim = await backend.submit_claim(member.id, _request(product.id), "k")
    await backend.reject(claim.id, RejectReason.OTHER, "blurry photo", "ana")
    (rejected,) = await backend.undelivered_events(member.id)
    await backend.mark_delivered([rejected.id])
    await backend.resubmit_claim(member.id, claim.id, ClaimFix(sn_photo="sha256:sn2"), "k2")
    assert await backend.undelivered_events(member.id) == []
    async with env.sessionmaker() as s:
        rows = (await s.scalars(select(ClaimEventRow).order_by(ClaimEventRow.seq))).all()
    assert [(r.status, r.reason, r.reason_text) for r in rows] == [
        ("under_review", None, ""),
        ("rejected", "other", "blurry photo"),
        ("under_review", None, ""),
    ]
    last = rows[-1]
    assert (last.claim_id, last.member_id, last.staff, last.prize_code, last.tracking) == (
        claim.id,
        member.id,
        "",
        "",
        "",
    )
    assert last.delivered_at is not None and last.delivered_at == last.at
