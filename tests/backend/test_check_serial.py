"""The serial check before a registration's other questions (``check_serial``), both
adapters: it answers from one read when the key is free, and still refuses a taken key
(whatever the spelling), records a clash with another member's product for staff, and
tells nothing about a serial to an account that does not exist or has not proved its
address."""

from __future__ import annotations

import pytest

from backend.port import EmailNotVerified, NotFound, SerialAlreadyRegistered
from tests.backend.conftest import product_data, sign_up_data, signed_up

STICKER = "BO3T01946000V"
LOOKALIKE = "b03t-0194 6000v"  # the same sticker, typed otherwise (same key)


async def test_a_free_serial_passes_and_records_nothing(backend) -> None:
    member = await signed_up(backend)
    assert await backend.check_serial(member.id, STICKER) is None
    assert await backend.serial_conflicts() == []


async def test_another_members_serial_is_refused_in_any_spelling_and_recorded(backend) -> None:
    owner, other = await signed_up(backend), await signed_up(backend)
    product = await backend.register_product(owner.id, product_data(STICKER))
    for spelling in (STICKER, LOOKALIKE):
        with pytest.raises(SerialAlreadyRegistered) as refused:
            await backend.check_serial(other.id, spelling)
        assert refused.value.params["mine"] is False
    clashes = await backend.serial_conflicts()
    assert len(clashes) == 2
    assert {c.member_id for c in clashes} == {other.id}
    assert {c.owner_member_id for c in clashes} == {owner.id}
    assert {c.product_id for c in clashes} == {product.id}


async def test_the_members_own_serial_is_refused_as_theirs_without_a_clash(backend) -> None:
    member = await signed_up(backend)
    await backend.register_product(member.id, product_data(STICKER))
    with pytest.raises(SerialAlreadyRegistered) as refused:
        await backend.check_serial(member.id, STICKER)
    assert refused.value.params["mine"] is True
    assert await backend.serial_conflicts() == []


async def test_no_answer_about_a_serial_for_an_unknown_or_unverified_account(backend) -> None:
    """Whose sticker a serial is, or whether it is taken, is not told to an account that
    is not there or has not proved its address (and nothing is recorded for it)."""
    owner = await signed_up(backend)
    await backend.register_product(owner.id, product_data(STICKER))
    unverified = (await backend.sign_up(sign_up_data())).member_id
    for serial in (STICKER, "BA3T7777777V"):  # taken, free
        with pytest.raises(NotFound):
            await backend.check_serial("no-such-member", serial)
        with pytest.raises(EmailNotVerified):
            await backend.check_serial(unverified, serial)
    assert await backend.serial_conflicts() == []
