"""Attacks on "one physical product, one prize" that go around the registration check:
a re-typed serial on a rejected claim must not free a key that another claim of the same
product stands on. Both adapters (local and HTTP)."""

from __future__ import annotations

import pytest

from backend.port import BackendError, ClaimFix, ClaimRequest, RejectReason, SerialAlreadyRegistered
from tests.backend.conftest import product_data, recipient, sign_up_data

STICKER = "BO3T01946000V"


def _monitor(serial: str):
    return product_data(serial, category="Monitor", model="MAG 27CQ")


async def test_retyped_serial_cannot_free_the_key_of_a_product_with_a_prize(backend):
    """A product won "open"; its claim in "models" is rejected (sn_mismatch, the attacker's
    own doing) and re-typed to another serial. Were the product's key moved, the sticker's
    serial would be free for a second registration and a second "open" prize."""
    attacker, friend = await backend.sign_up(sign_up_data()), await backend.sign_up(sign_up_data())
    product = await backend.register_product(attacker.id, _monitor(STICKER))
    won = await backend.submit_claim(attacker.id, ClaimRequest("open", product.id, "sha256:sn", recipient()), "k1")
    won = await backend.approve(won.id, "anna")
    assert won.prize_code
    other = await backend.submit_claim(attacker.id, ClaimRequest("models", product.id, "sha256:sn", recipient()), "k2")
    await backend.reject(other.id, RejectReason.SN_MISMATCH, "", "anna")
    with pytest.raises(BackendError) as info:
        await backend.resubmit_claim(attacker.id, other.id, ClaimFix(serial="BA3T07777777V"), "again")
    assert info.value.key == "error.serial_locked"
    assert (await backend.get_product(attacker.id, product.id)).serial == STICKER
    with pytest.raises(SerialAlreadyRegistered):  # the sticker is still one registration
        await backend.register_product(friend.id, _monitor("B03T01946000V"))


async def test_retyped_serial_is_refused_while_another_claim_waits_or_may_come_back(backend):
    """Same with the other claim under review, or rejected (it may be resubmitted later
    under the old serial): the serial stays as long as another claim stands on it."""
    member = await backend.sign_up(sign_up_data())
    product = await backend.register_product(member.id, _monitor(STICKER))
    first = await backend.submit_claim(member.id, ClaimRequest("open", product.id, "sha256:sn", recipient()), "k1")
    other = await backend.submit_claim(member.id, ClaimRequest("models", product.id, "sha256:sn", recipient()), "k2")
    await backend.reject(other.id, RejectReason.SN_MISMATCH, "", "anna")
    for status in ("under_review", "rejected"):
        if status == "rejected":
            await backend.reject(first.id, RejectReason.INVOICE_UNREADABLE, "", "anna")
        with pytest.raises(BackendError) as info:
            await backend.resubmit_claim(member.id, other.id, ClaimFix(serial="BA3T07777777V"), f"again-{status}")
        assert info.value.key == "error.serial_locked"
    assert (await backend.get_product(member.id, product.id)).serial == STICKER


async def test_retyped_serial_on_the_products_only_claim_still_works(backend):
    member = await backend.sign_up(sign_up_data())
    product = await backend.register_product(member.id, _monitor(STICKER))
    claim = await backend.submit_claim(member.id, ClaimRequest("open", product.id, "sha256:sn", recipient()), "k1")
    await backend.reject(claim.id, RejectReason.SN_MISMATCH, "", "anna")
    fixed = await backend.resubmit_claim(member.id, claim.id, ClaimFix(serial="BA3T07777777V"), "again")
    assert fixed.serial == "BA3T07777777V"
