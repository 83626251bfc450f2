"""Defect 10 (backend side): nobody owns an account before typing the code sent to its
address; one mailbox is one member. Contract tests, both adapters (local and HTTP)."""

from __future__ import annotations

import hashlib
import re

import pytest
from sqlalchemy import select

from backend.local import EmailRules
from backend.port import (
    CodeExpired,
    CodePurpose,
    CodeWrong,
    EmailNotVerified,
    EmailTaken,
    InvalidCredentials,
    ResendTooSoon,
)
from storage.backend_models import EmailCodeRow, MemberRow
from tests.backend.conftest import product_data, sign_up_data, signed_up

PW = "correct horse battery"


async def test_an_unverified_account_cannot_log_in_register_or_claim(backend):
    challenge = await backend.sign_up(sign_up_data("new@example.com"))
    assert challenge.purpose is CodePurpose.SIGNUP and re.fullmatch(r"\d{6}", challenge.code)
    assert challenge.email == "new@example.com" and challenge.code not in repr(challenge)
    with pytest.raises(InvalidCredentials):  # wrong password: nothing about verification
        await backend.log_in("new@example.com", "wrong password")
    with pytest.raises(EmailNotVerified):
        await backend.log_in("new@example.com", PW)
    with pytest.raises(EmailNotVerified):
        await backend.register_product(challenge.member_id, product_data())
    member = await backend.verify_code(challenge.id, challenge.code)
    assert (await backend.log_in("new@example.com", PW)).id == member.id
    with pytest.raises(CodeExpired):  # one time only
        await backend.verify_code(challenge.id, challenge.code)


async def test_wrong_codes_are_limited_then_a_new_code_is_needed(backend, env):
    challenge = await backend.sign_up(sign_up_data())
    wrong = f"{(int(challenge.code) + 1) % 10**6:06d}"
    for left in (4, 3, 2, 1):
        with pytest.raises(CodeWrong) as info:
            await backend.verify_code(challenge.id, wrong)
        assert info.value.params == {"tries_left": left}
    with pytest.raises(CodeExpired) as info:
        await backend.verify_code(challenge.id, wrong)
    assert info.value.key == "error.code_tries_used"
    with pytest.raises(CodeExpired):  # the right code is worth nothing now
        await backend.verify_code(challenge.id, challenge.code)
    env.clock.advance(seconds=61)
    again = await backend.resend_code(challenge.id)
    assert again.id == challenge.id
    assert (await backend.verify_code(again.id, f" {again.code[:3]} {again.code[3:]} ")).email


async def test_codes_expire_on_the_clock(backend, env):
    challenge = await backend.sign_up(sign_up_data())
    env.clock.advance(minutes=15, seconds=1)
    with pytest.raises(CodeExpired):
        await backend.verify_code(challenge.id, challenge.code)
    again = await backend.resend_code(challenge.id)
    await backend.verify_code(again.id, again.code)


async def test_resend_has_a_cool_down_and_replaces_the_code(backend, env):
    challenge = await backend.sign_up(sign_up_data())
    env.clock.advance(seconds=20)
    with pytest.raises(ResendTooSoon) as info:
        await backend.resend_code(challenge.id)
    assert 39 <= info.value.params["seconds"] <= 41
    env.clock.advance(seconds=41)
    again = await backend.resend_code(challenge.id)
    if again.code != challenge.code:
        with pytest.raises(CodeWrong):
            await backend.verify_code(challenge.id, challenge.code)
    await backend.verify_code(again.id, again.code)


async def test_sends_per_challenge_are_limited(backend, env):
    challenge = await backend.sign_up(sign_up_data())
    for _ in range(4):
        env.clock.advance(seconds=61)
        await backend.resend_code(challenge.id)
    env.clock.advance(seconds=61)
    with pytest.raises(CodeExpired):
        await backend.resend_code(challenge.id)


async def test_signing_up_again_restarts_verification_and_kills_older_codes(backend, env):
    """A squatter's unverified sign-up does not lock the owner out; and the owner's code
    never activates an account with the squatter's password (pre-hijack)."""
    squatter = await backend.sign_up(sign_up_data("owner@example.com", password="squatter pw 1"))
    owner = await backend.sign_up(sign_up_data("Owner@Example.com", password="owner pw 22"))
    assert owner.member_id == squatter.member_id and owner.code == ""  # cool-down: nothing sent yet
    assert owner.resend_at > squatter.expires_at - env.local._codes.ttl
    with pytest.raises(CodeExpired):  # the squatter's code died with his sign-up
        await backend.verify_code(squatter.id, squatter.code)
    env.clock.advance(seconds=61)
    with pytest.raises(CodeExpired):
        await backend.resend_code(squatter.id)
    sent = await backend.resend_code(owner.id)
    member = await backend.verify_code(sent.id, sent.code)
    assert (await backend.log_in("owner@example.com", "owner pw 22")).id == member.id
    with pytest.raises(InvalidCredentials):
        await backend.log_in("owner@example.com", "squatter pw 1")
    with pytest.raises(EmailTaken):  # verified now: taken for good
        await backend.sign_up(sign_up_data("owner@example.com"))


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("jamie@example.com", "jamie+1@example.com"),
        ("jamie+0@example.com", "JAMIE+promo@Example.com"),
        ("jamie.smith@gmail.com", "J.a.m.i.e.Smith+1@googlemail.com"),
        ("jamiesmith@googlemail.com", "jamie.smith@gmail.com"),
    ],
)
async def test_plus_addressing_and_dots_are_one_member(backend, first, second):
    """The "2 for each email" bypass: jamie+0@, jamie+1@ ... were separate members."""
    await signed_up(backend, sign_up_data(first))
    with pytest.raises(EmailTaken):
        await backend.sign_up(sign_up_data(second))


async def test_dots_count_where_the_provider_does_not_ignore_them(backend):
    a = await signed_up(backend, sign_up_data("jamie.s@example.com"))
    b = await signed_up(backend, sign_up_data("jamies@example.com"))
    assert a.id != b.id


def test_email_rules_are_configurable():
    assert EmailRules().canonical("J.Amie+x@GoogleMail.com") == "jamie@gmail.com"
    assert EmailRules(plus_tags=False).canonical("jamie+x@example.com") == "jamie+x@example.com"
    assert (
        EmailRules(dotless_domains=("example.com",)).canonical("j.s@example.com")
        == "js@example.com"
    )


async def test_self_service_reset_by_emailed_code(backend, env):
    member = await signed_up(backend, sign_up_data("reset@example.com"))
    assert await backend.start_reset("nobody@example.com") is None
    env.clock.advance(seconds=61)  # the sign-up code was the last email
    challenge = await backend.start_reset("RESET+x@example.com")
    assert challenge.purpose is CodePurpose.RESET and challenge.email == "reset@example.com"
    with pytest.raises(CodeExpired):  # not before the code is typed
        await backend.reset_password(challenge.id, "brand new pw 3")
    assert (await backend.verify_code(challenge.id, challenge.code)).id == member.id
    done = await backend.reset_password(challenge.id, "brand new pw 3")
    assert done.id == member.id
    assert (await backend.log_in("reset@example.com", "brand new pw 3")).id == member.id
    with pytest.raises(InvalidCredentials):
        await backend.log_in("reset@example.com", PW)
    with pytest.raises(CodeExpired):  # used up
        await backend.reset_password(challenge.id, "another pw 44")


async def test_a_reset_code_is_not_a_sign_up_code_and_ends_a_lock_out(backend, env):
    member = await signed_up(backend, sign_up_data("locked@example.com"))
    for _ in range(3):
        with pytest.raises((InvalidCredentials, Exception)):
            await backend.log_in(member.email, "wrong")
    env.clock.advance(seconds=61)
    challenge = await backend.start_reset(member.email)
    await backend.verify_code(challenge.id, challenge.code)
    env.clock.advance(minutes=15, seconds=1)  # verified, but the new password came too late
    with pytest.raises(CodeExpired):
        await backend.reset_password(challenge.id, "brand new pw 3")
    env.clock.advance(seconds=61)
    challenge = await backend.start_reset(member.email)
    await backend.verify_code(challenge.id, challenge.code)
    await backend.reset_password(challenge.id, "brand new pw 3")
    assert (await backend.log_in(member.email, "brand new pw 3")).id == member.id


async def test_an_unverified_account_logging_in_gets_a_new_code(backend, env):
    first = await backend.sign_up(sign_up_data("late@example.com"))
    with pytest.raises(InvalidCredentials):
        await backend.start_verification("late@example.com", "wrong password")
    env.clock.advance(seconds=61)
    challenge = await backend.start_verification("late@example.com", PW)
    assert challenge.code and challenge.id != first.id
    with pytest.raises(CodeExpired):
        await backend.verify_code(first.id, first.code)
    await backend.verify_code(challenge.id, challenge.code)
    assert (await backend.log_in("late@example.com", PW)).email == "late@example.com"


async def test_codes_rest_only_as_keyed_digests(env):
    challenge = await env.local.sign_up(sign_up_data())
    async with env.sessionmaker() as s:
        rows = (await s.scalars(select(EmailCodeRow))).all()
        member = await s.get(MemberRow, challenge.member_id)
    stored = " ".join(f"{r.id} {r.code_digest}" for r in rows)
    assert challenge.code not in stored.replace(challenge.id, "")
    assert hashlib.sha256(challenge.code.encode()).hexdigest() not in stored
    assert hashlib.sha256(f"{challenge.id}:{challenge.code}".encode()).hexdigest() not in stored
    assert member.email_canonical == member.email and member.email_verified_at is None
