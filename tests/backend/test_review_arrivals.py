"""``StaffDesk.review_arrivals``, the review room's cursor read, on both backends (embedded
and over HTTP): entries into review in the order they came, a resubmission a new entry, a
decided claim's entry without its claim, and nothing read twice past a cursor."""

from __future__ import annotations

from typing import Any

from backend.port import ClaimFix, ClaimRequest, RejectReason
from tests.backend.conftest import product_data, recipient, signed_up


async def claim_in(backend: Any) -> tuple[Any, Any]:
    member = await signed_up(backend)
    item = await backend.register_product(member.id, product_data())
    request = ClaimRequest("open", item.id, "sha256:sn1", recipient())
    return member, await backend.submit_claim(member.id, request, f"k-{item.id}")


async def test_entries_in_order_past_the_cursor_and_a_resubmission_is_a_new_entry(backend):
    assert await backend.review_arrivals(None, 10) == []  # nothing waits: nothing to start from
    made = [await claim_in(backend) for _ in range(4)]
    first = await backend.review_arrivals(None, 3)
    assert [a.claim_id for a in first] == [c.id for _, c in made[:3]]
    seqs = [a.seq for a in first]
    assert seqs == sorted(seqs) and len(set(seqs)) == 3
    rest = await backend.review_arrivals(first[-1].seq, 10)
    assert [a.claim_id for a in rest] == [made[3][1].id]
    assert await backend.review_arrivals(rest[-1].seq, 10) == []  # nothing new: nothing read

    member, claim = made[1]
    await backend.reject(claim.id, RejectReason.ADDRESS_INCOMPLETE, "", "sam")
    again = await backend.review_arrivals(None, 10)  # from the oldest claim still waiting
    assert [a.claim_id if a.attempt else None for a in again] == [
        made[0][1].id,
        None,  # its entry is still there, its claim decided since (no try)
        made[2][1].id,
        made[3][1].id,
    ]
    await backend.reject(made[0][1].id, RejectReason.ADDRESS_INCOMPLETE, "", "sam")
    later = await backend.review_arrivals(None, 10)  # the oldest waiting is the third now
    assert [a.claim_id for a in later] == [made[2][1].id, made[3][1].id]
    fix = ClaimFix(recipient=recipient(unit="3rd floor"))
    await backend.resubmit_claim(member.id, claim.id, fix, "k-again")
    (back,) = await backend.review_arrivals(rest[-1].seq, 10)
    assert back.claim_id == claim.id and back.attempt == 2 and back.seq > rest[-1].seq
    assert await backend.review_arrivals(back.seq, 10) == []
    assert await backend.review_arrivals(0, 0) == []
