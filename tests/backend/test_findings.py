"""Findings with the claim (issue 12) and the auto-approval of clean claims, on both adapters:
what the pre-checks found, duplicates with the other claim's id, the member's other claims,
the same phone or address on other members' claims; the attacker's tests: nothing with a
finding, a duplicate or an unchecked invoice is ever approved by "auto", and a resubmission
is checked afresh."""

from __future__ import annotations

import pytest

from backend.catalog import Catalog, parse_catalog
from backend.port import ClaimFix, ClaimRequest, ClaimStatus, InvoiceFacts, RejectReason
from tests.backend.conftest import (
    TEST_CATALOG,
    _promo,
    product_data,
    recipient,
    sign_up_data,
    signed_up,
)
from tests.backend.test_staff_cli import _run

CLEAN = InvoiceFacts(checked=True, findings=(), key=None)


@pytest.fixture
def catalog() -> Catalog:
    auto = _promo(
        "auto",
        name="Auto Laptop",
        categories=["Laptop"],
        auto_approve=True,
        demo_codes={"prefix": "AUTO", "count": 5},
    )
    return parse_catalog(
        TEST_CATALOG | {"promotions": [*TEST_CATALOG["promotions"], auto]}, source="test"
    )


async def claim_for(
    backend, *, check=CLEAN, sn=(), promotion="auto", category="Laptop", member=None, **rcpt
):
    member = member or await signed_up(backend, sign_up_data())
    product = await backend.register_product(
        member.id, product_data(category=category, invoice_check=check)
    )
    n = product.serial
    request = ClaimRequest(
        promotion, product.id, f"sha256:sn-{n}", recipient(**rcpt), sn_findings=sn
    )
    claim = await backend.submit_claim(member.id, request, f"key-{n}")
    return member, product, claim


def codes(claim) -> list[str]:
    return [f.code for f in claim.findings]


async def test_a_clean_claim_is_approved_by_auto_and_recorded_as_such(backend):
    _, _, claim = await claim_for(backend)
    assert claim.status is ClaimStatus.SUCCESS and claim.prize_code.startswith("AUTO")
    history = await backend.claim_history(claim.id)
    assert [(e.action, e.actor_id) for e in history if e.action == "approve"] == [
        ("approve", "auto")
    ]
    assert (await backend.find_claim(claim.id)).findings == ()


async def test_auto_approval_is_off_by_default(backend):
    _, _, claim = await claim_for(backend, promotion="open", category="Motherboard")
    assert claim.status is ClaimStatus.UNDER_REVIEW


@pytest.mark.parametrize(
    ("check", "sn", "want"),
    [
        (InvoiceFacts(True, ("model_not_found",)), (), "invoice.model_not_found"),
        (InvoiceFacts(True, ("date_outside_window",)), (), "invoice.date_outside_window"),
        (None, (), "unchecked"),  # no pre-check ran (OCR off)
        (InvoiceFacts(False, ("unchecked",)), (), "unchecked"),  # the pool timed out
        (CLEAN, ("differs",), "sn.differs"),
        (CLEAN, ("unchecked",), "sn.unchecked"),
    ],
)
async def test_any_finding_stops_the_auto_approval(backend, check, sn, want):
    _, _, claim = await claim_for(backend, check=check, sn=sn)
    assert claim.status is ClaimStatus.UNDER_REVIEW
    assert want in codes(await backend.find_claim(claim.id))
    # the customer's own reads never carry the staff's findings
    assert claim.findings == ()


async def test_the_same_invoice_on_another_members_claim_is_flagged_and_never_auto(backend):
    same = InvoiceFacts(True, (), "mindfactory|re2026104233|2026-10-01")
    _, _, first = await claim_for(backend, check=same, street="Erste Str. 1", phone="+49 1")
    assert first.status is ClaimStatus.SUCCESS  # the first one was clean
    _, _, second = await claim_for(backend, check=same, street="Zweite Str. 2", phone="+49 2")
    assert second.status is ClaimStatus.UNDER_REVIEW
    found = (await backend.find_claim(second.id)).findings
    assert [(f.code, f.other_claim) for f in found] == [("duplicate.invoice", first.id)]


async def test_the_same_invoice_picture_and_sn_photo_are_flagged(backend):
    member = await signed_up(backend, sign_up_data())
    one = await backend.register_product(
        member.id, product_data(category="Motherboard", invoice="sha256:same")
    )
    other = await signed_up(backend, sign_up_data())
    two = await backend.register_product(
        other.id, product_data(category="Motherboard", invoice="sha256:same")
    )
    first = await backend.submit_claim(
        member.id, ClaimRequest("open", one.id, "sha256:sn", recipient()), "k1"
    )
    second = await backend.submit_claim(
        other.id,
        ClaimRequest("open", two.id, "sha256:sn", recipient(street="B 2", phone="+1")),
        "k2",
    )
    found = {(f.code, f.other_claim) for f in (await backend.find_claim(second.id)).findings}
    assert {("duplicate.invoice_picture", first.id), ("duplicate.sn_photo", first.id)} <= found


async def test_the_same_phone_or_address_on_another_members_claim_and_the_members_other_claims(
    backend,
):
    member, _, first = await claim_for(backend, promotion="open", category="Motherboard")
    _, _, mine = await claim_for(backend, promotion="open", category="Monitor", member=member)
    found = {(f.code, f.other_claim) for f in (await backend.find_claim(mine.id)).findings}
    assert ("member.other_claim", first.id) in found
    assert not any(code.startswith("same.") for code, _ in found)  # their own address
    _, _, theirs = await claim_for(backend, promotion="open", category="Motherboard")
    found = {(f.code, f.other_claim) for f in (await backend.find_claim(theirs.id)).findings}
    assert {("same.phone", first.id), ("same.address", first.id)} <= found


async def test_the_members_other_claims_alone_do_not_stop_the_auto_approval(backend):
    member, _, first = await claim_for(backend, promotion="open", category="Motherboard")
    _, _, claim = await claim_for(backend, member=member)
    assert claim.status is ClaimStatus.SUCCESS
    assert codes(await backend.find_claim(claim.id)) == ["member.other_claim"]


async def test_a_resubmission_is_checked_afresh(backend):
    member, _, claim = await claim_for(backend, check=InvoiceFacts(True, ("model_not_found",)))
    await backend.reject(claim.id, RejectReason.INVOICE_MISSING_MODEL, "", "sam")
    # a new invoice that was never checked: unchecked, so never auto
    fix = ClaimFix(invoice="sha256:new-invoice")
    again = await backend.resubmit_claim(member.id, claim.id, fix, "again-1")
    assert again.status is ClaimStatus.UNDER_REVIEW
    assert codes(await backend.find_claim(claim.id)) == ["unchecked"]
    await backend.reject(claim.id, RejectReason.INVOICE_MISSING_MODEL, "", "sam")
    # a clean new invoice: the old finding is gone, the claim is clean and auto-approved
    fix = ClaimFix(invoice="sha256:better-invoice", invoice_check=CLEAN)
    final = await backend.resubmit_claim(member.id, claim.id, fix, "again-2")
    assert final.status is ClaimStatus.SUCCESS
    assert (await backend.find_claim(claim.id)).findings == ()


async def test_review_show_lists_the_findings_with_the_other_claim(backend):
    same = InvoiceFacts(True, (), "shop|1|2025-02-10")
    _, _, first = await claim_for(backend, check=same, promotion="open", category="Motherboard")
    _, _, second = await claim_for(
        backend, check=same, promotion="open", category="Motherboard", phone="+1"
    )
    code, text = await _run(backend, "show", second.id)
    assert code == 0
    assert f"duplicate.invoice -> claim {first.id}" in text
    code, text = await _run(backend, "show", first.id)
    assert "findings: none" in text
