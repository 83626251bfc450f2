"""A claim's status history for the customer (issue 11 item 7: Details list every status with
its date): every event of the claim, oldest first, rejections with their reasons; only the
member's own claim; never a prize code. The embedded backend and the HTTP API alike."""

from __future__ import annotations

import pytest

from backend.port import ClaimFix, ClaimRequest, ClaimStatus, NotFound, RejectReason
from tests.backend.conftest import product_data, recipient, sign_up_data, signed_up


async def test_every_status_oldest_first_with_reasons_and_no_code(backend, clock) -> None:  # type: ignore[no-untyped-def]
    member = await signed_up(backend, sign_up_data())
    product = await backend.register_product(member.id, product_data())
    request = ClaimRequest("open", product.id, "sha256:sn1", recipient())
    claim = await backend.submit_claim(member.id, request, "submit-1")
    await backend.reject(claim.id, RejectReason.INVOICE_UNREADABLE, "too dark", "ana")
    fix = ClaimFix(invoice="sha256:better")
    await backend.resubmit_claim(member.id, claim.id, fix, "resubmit-1")
    done = await backend.approve(claim.id, "ana")
    assert done.status is ClaimStatus.SUCCESS and done.prize_code  # the code exists
    history = await backend.status_history(member.id, claim.id)
    assert [(e.status, e.reason, e.reason_text) for e in history] == [
        (ClaimStatus.UNDER_REVIEW, None, ""),
        (ClaimStatus.REJECTED, RejectReason.INVOICE_UNREADABLE, "too dark"),
        (ClaimStatus.UNDER_REVIEW, None, ""),
        (ClaimStatus.SUCCESS, None, ""),
    ]
    assert all(e.claim_id == claim.id and e.member_id == member.id for e in history)
    assert all(e.prize_code == "" for e in history)  # the code: only get_claim, not the history
    assert [e.at for e in history] == sorted(e.at for e in history)


async def test_another_members_claim_is_not_found(backend) -> None:  # type: ignore[no-untyped-def]
    owner = await signed_up(backend, sign_up_data())
    other = await signed_up(backend, sign_up_data())
    product = await backend.register_product(owner.id, product_data())
    claim = await backend.submit_claim(
        owner.id, ClaimRequest("open", product.id, "sha256:sn1", recipient()), "k"
    )
    with pytest.raises(NotFound):
        await backend.status_history(other.id, claim.id)
    with pytest.raises(NotFound):
        await backend.status_history(owner.id, "no-such-claim")
