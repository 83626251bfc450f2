"""Product registration: serial uniqueness across members, conflicts kept for staff."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from backend.port import BackendError, NotFound, Product, SerialAlreadyRegistered
from storage.backend_models import SerialConflictRow
from tests.backend.conftest import product_data, sign_up_data, signed_up


async def test_register_list_get(backend):
    member = await signed_up(backend, sign_up_data())
    first = await backend.register_product(member.id, product_data(" ba3t 0194 6000v "))
    assert isinstance(first, Product)
    assert first.serial == "BA3T01946000V"
    assert first.purchase_date == dt.date(2025, 2, 10)
    assert first.registered_at.tzinfo is not None
    second = await backend.register_product(member.id, product_data(category="graphics card"))
    assert second.category == "Graphics Card"  # the catalog's spelling
    assert await backend.list_products(member.id) == [first, second]
    assert await backend.get_product(member.id, first.id) == first


async def test_other_members_product_is_not_found(backend):
    owner = await signed_up(backend, sign_up_data())
    other = await signed_up(backend, sign_up_data())
    product = await backend.register_product(owner.id, product_data())
    with pytest.raises(NotFound):
        await backend.get_product(other.id, product.id)
    assert await backend.list_products(other.id) == []


async def test_duplicate_serial_same_member(backend, env):
    member = await signed_up(backend, sign_up_data())
    await backend.register_product(member.id, product_data("BA3T0000001V"))
    with pytest.raises(SerialAlreadyRegistered) as info:
        await backend.register_product(member.id, product_data("ba3t0000001v"))
    assert info.value.params == {"serial": "BA3T0000001V", "mine": True}
    assert await _conflicts(env) == []


async def test_duplicate_serial_other_member_is_recorded(backend, env):
    owner = await signed_up(backend, sign_up_data())
    other = await signed_up(backend, sign_up_data())
    product = await backend.register_product(owner.id, product_data("BA3T0000002V"))
    with pytest.raises(SerialAlreadyRegistered) as info:
        await backend.register_product(other.id, product_data("BA3T0000002V"))
    assert info.value.params == {"serial": "BA3T0000002V", "mine": False}
    conflicts = await _conflicts(env)
    assert [(c.serial, c.member_id, c.owner_member_id, c.product_id) for c in conflicts] == [
        ("BA3T0000002V", other.id, owner.id, product.id)
    ]
    assert await backend.list_products(other.id) == []


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"channel": "flea market"}, "channel"),
        ({"category": "Toaster"}, "category"),
        (
            {"purchase_date": dt.date(2025, 3, 3)},
            "purchase_date",
        ),  # after "today" anywhere on Earth
        ({"store": "  "}, "store"),
        ({"serial": "   "}, "serial"),
    ],
)
async def test_invalid_registration(backend, change, field):
    member = await signed_up(backend, sign_up_data())
    with pytest.raises(BackendError) as info:
        await backend.register_product(member.id, product_data(**change))
    assert (info.value.key, info.value.params) == ("error.invalid_field", {"field": field})


async def test_register_for_unknown_member(backend):
    with pytest.raises(NotFound):
        await backend.register_product("ghost", product_data())


async def _conflicts(env) -> list[SerialConflictRow]:
    async with env.sessionmaker() as s:
        return list(await s.scalars(select(SerialConflictRow).order_by(SerialConflictRow.id)))
