"""An outside reviewer's attacks on accounts (email ownership), both adapters: what broke
and now holds. Each test is written as the attacker would run it."""

from __future__ import annotations

import pytest

from backend.port import CodeExpired, CodeWrong, EmailNotVerified, EmailTaken
from tests.backend.conftest import sign_up_data, signed_up

PW = "correct horse battery"


def _wrong(code: str, n: int) -> str:
    return f"{(int(code) + 1 + n) % 10**6:06d}"


async def _guesses(backend, challenge_id: str, code: str, tries: int, right: bool = True) -> int:
    """Wrong guesses the backend checked (not refused outright); then the right code (the
    owner's mail, typed by the owner) if ``right``."""
    checked = 0
    for n in range(tries):
        try:
            await backend.verify_code(challenge_id, _wrong(code, n))
        except CodeWrong:
            checked += 1
        except CodeExpired as exc:
            if exc.key == "error.code_tries_used":  # the 5th wrong guess, checked too
                checked += 1
            break
    if right:
        with pytest.raises(CodeExpired):  # finished by the wrong ones
            await backend.verify_code(challenge_id, code)
    return checked


async def test_asking_new_reset_codes_does_not_let_anyone_guess_forever(backend, env):
    """Each code allows 5 tries and each challenge 5 sends, but a new "Forgot your password?"
    is a new challenge: 5 guesses a minute, every minute, for ever (7,200 a day). The
    member's wrong tries are counted across every code; past the day's budget even the
    right code is refused."""
    member = await signed_up(backend, sign_up_data("victim@example.com"))
    budget = env.local._codes.member_tries
    checked = 0
    for _ in range(budget // 5 + 3):
        env.clock.advance(seconds=61)
        challenge = await env.local.start_reset(
            "victim@example.com"
        )  # the mail the attacker never sees
        checked += await _guesses(backend, challenge.id, challenge.code, 5)
    assert checked <= budget
    env.clock.advance(seconds=61)
    challenge = await env.local.start_reset("victim@example.com")
    with pytest.raises(CodeExpired) as info:  # the real owner too, until the window passes
        await backend.verify_code(challenge.id, challenge.code)
    assert info.value.key == "error.code_tries_today"
    env.clock.advance(hours=24, minutes=16)  # the window, and the last code's lifetime
    challenge = await env.local.start_reset("victim@example.com")
    assert (await backend.verify_code(challenge.id, challenge.code)).id == member.id


async def test_resending_the_same_challenge_does_not_refill_the_members_budget(backend, env):
    challenge = await backend.sign_up(sign_up_data("squat@example.com"))
    budget = env.local._codes.member_tries
    checked = 0
    for _ in range(budget // 5 + 3):
        env.clock.advance(seconds=61)
        try:
            challenge = await backend.resend_code(challenge.id)
        except CodeExpired:  # the challenge's sends are used: sign up again (a new challenge)
            challenge = await backend.sign_up(sign_up_data("squat@example.com"))
            if not challenge.code:
                env.clock.advance(seconds=61)
                challenge = await backend.resend_code(challenge.id)
        checked += await _guesses(backend, challenge.id, challenge.code, 5, right=False)
    assert checked <= budget


@pytest.mark.parametrize(
    "twin",
    [
        "JAMIE@EXAMPLE.COM",
        "jamie@ｅｘａｍｐｌｅ.com",  # fullwidth letters: IDNA maps them to the same domain
        "jamie＠example.com",  # fullwidth @ (refused before: now one mailbox)
        "ｊａｍｉｅ@example.com",
        "jamie@example.com.",  # the root dot: the same domain in DNS
        "jamie+promo@EXAMPLE.com",
        "jamie@ＥＸＡＭＰＬＥ.ＣＯＭ",
    ],
)
async def test_one_mailbox_spelled_another_way_is_the_same_member(backend, twin):
    await signed_up(backend, sign_up_data("jamie@example.com"))
    with pytest.raises(EmailTaken):
        await backend.sign_up(sign_up_data(twin))


async def test_an_idn_domain_and_its_punycode_are_one_mailbox(backend):
    await signed_up(backend, sign_up_data("jamie@bücher.de"))
    with pytest.raises(EmailTaken):
        await backend.sign_up(sign_up_data("jamie@xn--bcher-kva.de"))


async def test_a_new_address_set_through_the_port_must_be_proved_again(backend, env):
    """One mailbox, endless members: sign up, verify, claim, move the account to an address
    nobody checked, sign up the mailbox again. A changed address is unproven until its code
    is typed (log-in sends one)."""
    member = await signed_up(backend, sign_up_data("twice@example.com"))
    await backend.update_member(member.id, email="nobody-checked@example.net")
    with pytest.raises(EmailNotVerified):
        await backend.log_in("nobody-checked@example.net", PW)
    env.clock.advance(seconds=61)
    challenge = await backend.start_verification("nobody-checked@example.net", PW)
    assert challenge.email == "nobody-checked@example.net"
    await backend.verify_code(challenge.id, challenge.code)
    assert (await backend.log_in("nobody-checked@example.net", PW)).id == member.id


async def test_asking_codes_for_ever_does_not_grow_the_codes_table_for_ever(backend, env):
    """Every "Forgot your password?" makes a challenge row; dead ones older than the budget's
    window count for nothing and are deleted as new ones are made."""
    from sqlalchemy import func, select

    from storage.backend_models import EmailCodeRow

    await signed_up(backend, sign_up_data("spammed@example.com"))
    for _ in range(30):
        env.clock.advance(hours=1)
        await backend.start_reset("spammed@example.com")
    async with env.sessionmaker() as s:
        rows = await s.scalar(select(func.count()).select_from(EmailCodeRow))
    assert rows <= 25  # the last 24 hours' (and the one just made), not all 31


async def test_an_old_challenge_resent_today_counts_today(backend, env):
    """Keep a challenge a day, then resend it: its tries must not fall outside the window."""
    await signed_up(backend, sign_up_data("patient@example.com"))
    env.clock.advance(seconds=61)
    old = await env.local.start_reset("patient@example.com")
    env.clock.advance(hours=25)  # made before the window, resent within it
    budget = env.local._codes.member_tries
    checked = 0
    for _ in range(budget // 5 + 3):
        env.clock.advance(seconds=61)
        try:
            again = await backend.resend_code(old.id)
        except CodeExpired:  # its sends are used: a new reset
            again = await env.local.start_reset("patient@example.com")
            old = again
        checked += await _guesses(backend, again.id, again.code, 5, right=False)
    assert checked <= budget
