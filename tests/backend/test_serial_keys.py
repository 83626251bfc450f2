"""One physical product, one registration: serials are unique on a key that folds every
confusable spelling (O/0, I/1, L/1, S/5, B/8, Z/2, case, spaces, dashes), enforced by a unique
index; every clash is recorded for staff. Both adapters (local and HTTP)."""

from __future__ import annotations

import asyncio
import datetime as dt
import sqlite3

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import Engine, event
from sqlalchemy.exc import IntegrityError

from backend.port import (
    BackendError,
    ClaimFix,
    ClaimRequest,
    NotEligible,
    RejectReason,
    SerialAlreadyRegistered,
    SerialDisputed,
    serial_key,
)
from handlers import validators
from storage.backend_models import ProductRow
from tests.backend.conftest import product_data, recipient, signed_up

#: (owner's spelling, another member's spelling of the same sticker)
SPELLINGS = [
    ("BO3T01946000V", "B03T01946000V"),  # the reported case: letter O / digit zero
    ("B03T01946000V", "BO3T01946000V"),
    ("BI3T01946000V", "B13T01946000V"),  # I / 1
    ("BL3T01946000V", "B13T01946000V"),  # L / 1
    ("BL3T01946000V", "bl3t01946000v"),  # lower-case l typed for L
    ("BS3T01946000V", "B53T01946000V"),  # S / 5
    ("BA3B01946000V", "BA3801946000V"),  # B / 8
    ("BZ3T01946000V", "B23T01946000V"),  # Z / 2
    ("BOIS01946000V", "B015 0194-6000V"),  # several at once, spaces and a dash
    ("BA3T01946000V", "ＢＡ３Ｔ０１９４６０００Ｖ"),  # full-width (NFKC)
]


async def _member(backend):
    return await signed_up(backend)


# --------------------------------------------------------------------------- the key
def test_key_folds_every_pair_the_reader_treats_as_confusable():
    for letter, digit in validators.codes._LETTER_DIGIT.items():
        assert serial_key(letter) == serial_key(digit) == serial_key(letter.lower())
    assert serial_key("BO3T01946000V") == serial_key("B03T01946000V") == "803T01946000V"
    assert serial_key("BA3T01946000V") != serial_key("BA3T01946001V")


_TWINS = {
    "O": "0",
    "0": "O",
    "I": "1",
    "L": "1",
    "1": "IL",
    "S": "5",
    "5": "S",
    "B": "8",
    "8": "B",
    "Z": "2",
    "2": "Z",
}


@st.composite
def two_spellings(draw):
    """A serial and another spelling of it: confusables swapped, case changed, separators."""
    base = draw(st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", min_size=1, max_size=30))
    other = []
    for c in base:
        if c in _TWINS and draw(st.booleans()):
            c = draw(st.sampled_from(_TWINS[c]))
        if draw(st.booleans()):
            c = c.lower()
        other.append(c + draw(st.sampled_from(["", "", "", " ", "-"])))
    return base, "".join(other)


@given(two_spellings())
def test_any_two_spellings_differing_only_in_confusables_collide(pair):
    base, other = pair
    assert serial_key(base) == serial_key(other)


@given(two_spellings())
def test_readings_of_two_spellings_collide(pair):
    """Whatever the reader makes of each spelling, the keys are the same."""
    base, other = pair
    try:
        a = validators.serial(base, [r"[A-Z0-9]+"]).value
        b = validators.serial(other, [r"[A-Z0-9]+"]).value
    except validators.Invalid:
        return
    assert serial_key(a) == serial_key(b)


# --------------------------------------------------------------------------- registration
@pytest.mark.parametrize(("first", "second"), SPELLINGS)
async def test_other_member_cannot_register_another_spelling(backend, first, second):
    owner, other = await _member(backend), await _member(backend)
    product = await backend.register_product(owner.id, product_data(first))
    with pytest.raises(SerialAlreadyRegistered) as info:
        await backend.register_product(other.id, product_data(second))
    assert info.value.params["mine"] is False
    assert await backend.list_products(other.id) == []
    [conflict] = await backend.serial_conflicts()
    assert (conflict.member_id, conflict.owner_member_id, conflict.product_id, conflict.origin) == (
        other.id,
        owner.id,
        product.id,
        "register",
    )
    assert serial_key(conflict.serial) == serial_key(first)


async def test_same_member_cannot_register_both_spellings(backend):
    member = await _member(backend)
    product = await backend.register_product(member.id, product_data("BO3T01946000V"))
    with pytest.raises(SerialAlreadyRegistered) as info:
        await backend.register_product(member.id, product_data("B03T01946000V"))
    assert info.value.params == {"serial": "B03T01946000V", "mine": True}
    assert [p.id for p in await backend.list_products(member.id)] == [product.id]
    [conflict] = await backend.serial_conflicts()  # a second spelling is worth a look
    assert (conflict.member_id, conflict.owner_member_id, conflict.serial) == (
        member.id,
        member.id,
        "B03T01946000V",
    )


async def test_reported_case_gives_one_prize_only(backend):
    """Member A registers BO3T01946000V, member B B03T01946000V: only A can claim, one code."""
    a, b = await _member(backend), await _member(backend)
    product = await backend.register_product(a.id, product_data("BO3T01946000V"))
    with pytest.raises(SerialAlreadyRegistered):
        await backend.register_product(b.id, product_data("B03T01946000V"))
    claim = await backend.submit_claim(
        a.id, ClaimRequest("open", product.id, "sha256:sn", recipient()), "k"
    )
    await backend.approve(claim.id, "staff")
    assert await backend.eligibility(b.id, dt.date(2025, 3, 1)) == []
    assert [c.id for c in await backend.review_queue()] == []
    assert await backend.code_stock("open") == 4  # of 5: exactly one code went out


@pytest.mark.parametrize("serial", ["BА3T01946000V", "BA3T0194600O\u200bV", "BA3T/0194"])
async def test_backend_refuses_lookalikes_from_other_scripts(backend, serial):
    """A Cyrillic "А" (or an invisible or odd character) would make a second spelling the
    fold cannot see: the backend takes ASCII letters, digits and inner dashes only."""
    member = await _member(backend)
    with pytest.raises(BackendError) as info:
        await backend.register_product(member.id, product_data(serial))
    assert (info.value.key, info.value.params) == ("error.invalid_field", {"field": "serial"})


async def test_concurrent_registrations_of_two_spellings_one_wins(backend):
    """Members race with different spellings of one sticker: exactly one product, every
    loser told "already registered" and recorded for staff."""
    members = [await _member(backend) for _ in range(6)]
    spellings = [
        "BO3T01946000V",
        "B03T01946000V",
        "BO3TO1946000V",
        "b03t0194 6000v",
        "BO3T-01946000V",
        "B03T0I946000V",
    ]
    results = await asyncio.gather(
        *(
            backend.register_product(m.id, product_data(s))
            for m, s in zip(members, spellings, strict=True)
        ),
        return_exceptions=True,
    )
    won = [r for r in results if not isinstance(r, BaseException)]
    lost = [r for r in results if isinstance(r, BaseException)]
    assert len(won) == 1, results
    assert all(
        isinstance(e, SerialAlreadyRegistered) and e.params["mine"] is False for e in lost
    ), lost
    conflicts = await backend.serial_conflicts()
    assert len(conflicts) == 5
    assert {c.product_id for c in conflicts} == {won[0].id}
    assert {c.member_id for c in conflicts} == {m.id for m in members} - {won[0].member_id}


async def test_database_refuses_a_second_product_with_the_same_key(env):
    """The key is enforced by a unique index, not only by the check before the insert."""
    member = await signed_up(env.local)
    first = await env.local.register_product(member.id, product_data("BO3T01946000V"))
    async with env.sessionmaker() as s:
        row = await s.get(ProductRow, first.id)
        assert row.serial_key == serial_key("B03T01946000V")
        s.add(
            ProductRow(
                **{c.name: getattr(row, c.name) for c in ProductRow.__table__.columns}
                | {"id": "other", "serial": "B03T01946000V"}
            )
        )
        with pytest.raises(IntegrityError):
            await s.commit()


# --------------------------------------------------------------------------- re-typed serial
async def _rejected_claim(backend, member, serial: str):
    product = await backend.register_product(member.id, product_data(serial))
    request = ClaimRequest("open", product.id, "sha256:sn", recipient())
    claim = await backend.submit_claim(member.id, request, f"k-{serial}")
    await backend.reject(claim.id, RejectReason.SN_MISMATCH, "", "staff")
    return product, claim


async def test_retyped_serial_cannot_take_another_products_key(backend):
    owner, other = await _member(backend), await _member(backend)
    owned = await backend.register_product(owner.id, product_data("BO3T01946000V"))
    product, claim = await _rejected_claim(backend, other, "BA3T05555555V")
    with pytest.raises(SerialAlreadyRegistered):
        await backend.resubmit_claim(other.id, claim.id, ClaimFix(serial="B03T01946000V"), "again")
    assert (await backend.get_product(other.id, product.id)).serial == "BA3T05555555V"
    [conflict] = await backend.serial_conflicts()
    assert (
        conflict.origin,
        conflict.member_id,
        conflict.product_id,
        conflict.other_product_id,
    ) == ("resubmit", other.id, owned.id, product.id)


async def test_retyped_serial_may_respell_its_own_product(backend):
    member = await _member(backend)
    product, claim = await _rejected_claim(backend, member, "BO3T01946000V")
    fixed = await backend.resubmit_claim(
        member.id, claim.id, ClaimFix(serial="B03T01946000V"), "again"
    )
    assert fixed.serial == "B03T01946000V"
    assert (await backend.get_product(member.id, product.id)).serial == "B03T01946000V"
    assert await backend.serial_conflicts() == []
    # and its key moved with it: the old spelling is still taken
    with pytest.raises(SerialAlreadyRegistered):
        await backend.register_product((await _member(backend)).id, product_data("BO3T01946000V"))


async def test_registration_losing_the_race_at_the_index_is_told_and_recorded(env, tmp_path):
    """Another replica registers a second spelling between our check and our insert (forced
    here: its row is written on its own connection just before our INSERT runs). The unique
    index refuses ours; the customer gets "already registered" and staff get a record."""
    owner, other = await signed_up(env.local), await signed_up(env.local)
    # every engine: the backend writes on its database worker's own connection
    engine, path = Engine, env.sessionmaker.kw["bind"].url.database
    won: list[str] = []

    def competitor(conn, cursor, statement, parameters, context, executemany):
        if won or not statement.startswith("INSERT INTO products"):
            return
        columns = [c.strip() for c in statement.split("(", 1)[1].split(")", 1)[0].split(",")]
        row = dict(zip(columns, parameters, strict=True))
        row |= {"id": "won-the-race", "member_id": owner.id, "serial": "B03T01946000V"}
        if "serial_key" in row:
            row["serial_key"] = serial_key("B03T01946000V")
        with sqlite3.connect(path) as replica:
            replica.execute(
                f"INSERT INTO products ({', '.join(row)}) VALUES ({', '.join('?' * len(row))})",
                list(row.values()),
            )
        won.append(row["id"])

    event.listen(engine, "before_cursor_execute", competitor)
    try:
        with pytest.raises(SerialAlreadyRegistered) as info:
            await env.local.register_product(other.id, product_data("BO3T01946000V"))
    finally:
        event.remove(engine, "before_cursor_execute", competitor)
    assert won == ["won-the-race"]
    assert info.value.params["mine"] is False
    assert await env.local.list_products(other.id) == []
    [conflict] = await env.local.serial_conflicts()
    assert (conflict.member_id, conflict.owner_member_id, conflict.product_id) == (
        other.id,
        owner.id,
        "won-the-race",
    )


async def test_claim_on_a_disputed_product_cannot_be_approved(backend, env):
    """A product left without a key (a later duplicate found by migration 0005): its waiting
    claim is refused at approval on both adapters (409 SerialDisputed over HTTP), no code
    goes out, and it cannot be submitted or resubmitted again."""
    member = await _member(backend)
    product = await backend.register_product(member.id, product_data("BO3T01946000V"))
    claim = await backend.submit_claim(
        member.id, ClaimRequest("open", product.id, "sha256:sn", recipient()), "k"
    )
    async with env.sessionmaker() as s:
        (await s.get(ProductRow, product.id)).serial_key = None
        await s.commit()
    with pytest.raises(SerialDisputed) as info:
        await backend.approve(claim.id, "anna")
    assert info.value.params == {"claim": claim.id}
    assert await backend.code_stock("open") == 5
    await backend.reject(claim.id, RejectReason.INVOICE_UNREADABLE, "", "anna")
    with pytest.raises(NotEligible):
        await backend.resubmit_claim(member.id, claim.id, ClaimFix(invoice="sha256:new"), "again")
    reasons = await backend.why_not(member.id, product.id, dt.date(2025, 3, 1))
    assert "why.serial_disputed" in [r.key for r in reasons]


async def test_every_spelling_of_a_registered_sticker_is_refused(backend):
    """Exhaustive: every combination of confusable swaps (and lower case) of one serial, by
    another member, is refused; exactly one product holds the sticker."""
    import itertools

    base = "XB0I5Z1Y"  # every pair: B/8, 0/O, I/1, 5/S, Z/2, 1/I/L
    owner, other = await _member(backend), await _member(backend)
    await backend.register_product(owner.id, product_data(base))
    choices = [c + _TWINS.get(c, "") for c in base]
    spellings = ["".join(p) for p in itertools.product(*choices)]
    assert len(spellings) == 96
    for spelling in [*spellings, base.lower()]:
        with pytest.raises(SerialAlreadyRegistered):
            await backend.register_product(other.id, product_data(spelling))
    assert await backend.list_products(other.id) == []
    assert len(await backend.serial_conflicts(1000)) == 97
