"""Accounts: sign up, log in, lockout, member updates (both adapters)."""

from __future__ import annotations

import pytest

from backend.port import (
    AccountLocked,
    BackendError,
    EmailTaken,
    InvalidCredentials,
    Member,
    NotFound,
)
from tests.backend.conftest import LOCK_MINUTES, MAX_FAILURES, sign_up_data, signed_up


async def test_sign_up_lower_cases_email_and_logs_in(backend):
    member = await signed_up(backend, sign_up_data("  Jamie.S@Example.COM "))
    assert isinstance(member, Member)
    assert member.email == "jamie.s@example.com"
    assert (await backend.log_in("JAMIE.S@example.com", "correct horse battery")) == member
    assert await backend.get_member(member.id) == member


async def test_email_taken_case_insensitive(backend):
    await signed_up(backend, sign_up_data("taken@example.com"))
    with pytest.raises(EmailTaken) as info:
        await signed_up(backend, sign_up_data("TAKEN@example.com"))
    assert info.value.key == "error.email_taken"


async def test_sign_up_needs_privacy_consent(backend):
    with pytest.raises(BackendError) as info:
        await signed_up(backend, sign_up_data(privacy_consent=False))
    assert info.value.key == "error.consent_required"


async def test_sign_up_rejects_bad_email(backend):
    with pytest.raises(BackendError) as info:
        await signed_up(backend, sign_up_data("not-an-email"))
    assert (info.value.key, info.value.params) == ("error.invalid_field", {"field": "email"})


async def test_wrong_password_and_unknown_email(backend):
    member = await signed_up(backend, sign_up_data())
    with pytest.raises(InvalidCredentials) as known:
        await backend.log_in(member.email, "wrong")
    with pytest.raises(InvalidCredentials) as unknown:
        await backend.log_in("nobody@example.com", "whatever")
    # the same answer either way: nothing tells which emails are registered
    assert (known.value.key, known.value.params) == (unknown.value.key, unknown.value.params)


async def test_lockout_after_max_failures_then_unlocks(backend, env):
    member = await signed_up(backend, sign_up_data())
    for _ in range(MAX_FAILURES - 1):
        with pytest.raises(InvalidCredentials):
            await backend.log_in(member.email, "wrong")
    with pytest.raises(AccountLocked) as info:
        await backend.log_in(member.email, "wrong")
    assert info.value.params == {"minutes": LOCK_MINUTES}
    # locked: even the right password is refused, with the minutes left
    env.clock.advance(minutes=4)
    with pytest.raises(AccountLocked) as info:
        await backend.log_in(member.email, "correct horse battery")
    assert info.value.params == {"minutes": LOCK_MINUTES - 4}
    env.clock.advance(minutes=LOCK_MINUTES)
    assert (await backend.log_in(member.email, "correct horse battery")).id == member.id
    # a success resets the counter: max_failures - 1 misses do not lock again
    for _ in range(MAX_FAILURES - 1):
        with pytest.raises(InvalidCredentials):
            await backend.log_in(member.email, "wrong")
    assert (await backend.log_in(member.email, "correct horse battery")).id == member.id


async def test_get_member_not_found(backend):
    with pytest.raises(NotFound):
        await backend.get_member("no-such-member")


async def test_update_member(backend):
    member = await signed_up(backend, sign_up_data())
    other = await signed_up(backend, sign_up_data())
    updated = await backend.update_member(member.id, newsletter=True, phone="+33 1 23 45 67 89")
    assert updated.newsletter is True
    assert updated.phone == "+33 1 23 45 67 89"
    with pytest.raises(EmailTaken):
        await backend.update_member(member.id, email=other.email.upper())
    with pytest.raises(BackendError) as info:
        await backend.update_member(member.id, password_hash="x")
    assert info.value.params == {"field": "password_hash"}
    await backend.update_member(member.id, password="new secret words")
    assert (await backend.log_in(member.email, "new secret words")).id == member.id
    with pytest.raises(InvalidCredentials):
        await backend.log_in(member.email, "correct horse battery")


async def test_password_is_hashed_with_argon2(env):
    from sqlalchemy import select

    from storage.backend_models import MemberRow

    member = await signed_up(env.local, sign_up_data())
    async with env.sessionmaker() as s:
        stored = await s.scalar(select(MemberRow.password_hash).where(MemberRow.id == member.id))
    assert stored.startswith("$argon2id$")
    assert "correct horse battery" not in stored


async def test_update_member_refuses_clashing_fields(backend):
    member = await signed_up(backend, sign_up_data())
    with pytest.raises(BackendError) as info:
        await backend.update_member(member.id, region=5)
    assert info.value.params == {"field": "region"}
