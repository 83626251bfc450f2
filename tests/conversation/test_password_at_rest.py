"""Defect 9: what an abandoned sign-up leaves on disk must not be fast to guess.

The attacker's view: a copy of the session database (and, worst case, the secret key), a
wordlist, and a stopwatch. Every string the session row holds is tried against the fast
constructions a keyed digest would use; none may verify, and the one value derived from
the password must be a slow, peppered argon2id hash with an expiry.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import sqlite3
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import VerificationError

from tests.conftest import Chat, Clock
from tests.conversation.journeys import PASSWORD, sign_up_to_password


def _strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


def _session_strings(db: Path) -> list[str]:
    with sqlite3.connect(db) as conn:
        rows = [r[0] for r in conn.execute("SELECT data FROM conversations") if r[0]]
    return [s for row in rows for s in _strings(json.loads(row))]


def _fast_guess_hits(stored: str, key: bytes, password: str) -> bool:
    """Would a fast (microseconds) construction confirm ``password`` from ``stored``?"""
    pw = password.encode()
    parts = stored.replace("$", ":").split(":")
    candidates: set[str] = {
        hashlib.sha256(pw).hexdigest(),
        hmac.new(key, pw, hashlib.sha256).hexdigest(),
    }
    for salt_hex in parts:
        try:
            salt = bytes.fromhex(salt_hex)
        except ValueError:
            continue
        for mac in (
            hmac.new(key, salt + pw, hashlib.sha256),
            hmac.new(key, pw + salt, hashlib.sha256),
        ):
            candidates.add(mac.hexdigest())
        candidates.add(hashlib.sha256(salt + pw).hexdigest())
    return any(c in stored for c in candidates)


async def test_abandoned_sign_up_leaves_no_fast_digest_of_the_password(
    chat: Chat, tmp_path: Path
) -> None:
    await sign_up_to_password(chat)
    await chat.text(PASSWORD)  # the first entry, then the customer walks away
    assert "once more" in chat.text_all
    key = chat.app.ports.secret
    strings = _session_strings(tmp_path / "bot.db")
    assert strings and not any(PASSWORD in s for s in strings)
    assert not any(_fast_guess_hits(s, key, PASSWORD) for s in strings), (
        "a fast digest of the password is at rest"
    )

    session = await chat.app.sessions.load(chat.key)
    control = session.control("signup")
    stored = control.pw_hash
    assert stored is not None and control.pw_until is not None
    params = stored.split("$")
    assert params[1] == "argon2id" and "m=19456" in params[3] and "t=2" in params[3], stored
    try:  # a pepper: the hash alone does not verify the password without the key
        PasswordHasher().verify(stored, PASSWORD)
        raise AssertionError("the hash verifies without the secret key")
    except VerificationError:
        pass
    until = dt.datetime.fromisoformat(control.pw_until)
    assert until - chat.app.ports.clock() <= dt.timedelta(minutes=15)


async def test_first_entry_expires(chat: Chat, clock: Clock) -> None:
    await sign_up_to_password(chat)
    await chat.text(PASSWORD)
    clock.now += dt.timedelta(minutes=16)
    await chat.text(PASSWORD)
    assert "forgot your first entry" in chat.text_all and "Choose a password" in chat.text_all
    session = await chat.app.sessions.load(chat.key)
    assert session.control("signup").pw_hash is None and session.control("signup").pw_until is None
    assert "pw_hash" not in session.to_json()
    await chat.text(PASSWORD)
    await chat.text(PASSWORD)
    assert "forgot" not in chat.text_all


async def test_an_expired_first_entry_leaves_the_session_at_the_next_turn(
    chat: Chat, clock: Clock
) -> None:
    await sign_up_to_password(chat)
    await chat.text(PASSWORD)
    clock.now += dt.timedelta(minutes=16)
    await chat.command("help")  # any turn (this one keeps the state): the hash goes
    session = await chat.app.sessions.load(chat.key)
    assert session.control("signup").pw_hash is None and "pw_hash" not in session.to_json()
    assert session.control("signup").pw_until is not None  # kept: the confirm step says why
    await chat.text(PASSWORD)  # the confirmation still says why it asks again
    assert "forgot your first entry" in chat.text_all
