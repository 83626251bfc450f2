"""One-time codes by email: sign-up verification and password reset.

A challenge row holds only a keyed digest of its code; wrong tries count per challenge and
per member (across all its challenges, within a window), resends wait for a cool-down
shared by every purpose. The synchronous helpers run inside a unit of work."""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import hmac
import math
import secrets
from collections.abc import Awaitable, Callable
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from backend.local import rows
from backend.local.context import Context
from backend.local.validation import invalid, normalize_email
from backend.port import (
    BackendError,
    CodeExpired,
    CodePurpose,
    CodeWrong,
    EmailChallenge,
    Member,
    ResendTooSoon,
)
from storage.backend_models import EmailCodeRow, MemberRow


# --------------------------------------------------------------------------- in a unit
def kill_codes(s: Session, member_id: str, purpose: str | None = None) -> None:
    query = update(EmailCodeRow).where(EmailCodeRow.member_id == member_id)
    if purpose is not None:
        query = query.where(EmailCodeRow.purpose == purpose)
    s.execute(query.values(dead=True, code_digest=""))


def issue(
    ctx: Context, s: Session, member: MemberRow, purpose: CodePurpose, now: dt.datetime
) -> EmailChallenge:
    """A new challenge (the member's earlier ones of this purpose die); no code in it
    while the cool-down runs: the customer taps Resend after ``resend_at``."""
    next_send = _next_send(ctx, s, member.id, now)
    kill_codes(s, member.id, purpose.value)
    _forget_old_codes(ctx, s, member.id, now)
    row = EmailCodeRow(
        id=secrets.token_urlsafe(24),
        member_id=member.id,
        purpose=purpose.value,
        code_digest="",
        created_at=now,
        expires_at=now + ctx.codes.ttl,
        failed_tries=0,
        sends=0,
        dead=False,
    )
    s.add(row)
    code = ""
    if next_send <= now:
        code = _new_code(ctx, row, now)
        next_send = now + ctx.codes.cooldown
    return _challenge(row, member, code, next_send)


def _digest(ctx: Context, challenge_id: str, code: str) -> str:
    message = f"{challenge_id}:{code}".encode()
    return hmac.new(ctx.secrets.code_key, message, hashlib.sha256).hexdigest()


def _next_send(ctx: Context, s: Session, member_id: str, now: dt.datetime) -> dt.datetime:
    """When this member may be sent the next email (cool-down over every purpose)."""
    last = s.scalar(
        select(func.max(EmailCodeRow.sent_at)).where(EmailCodeRow.member_id == member_id)
    )
    if last is None:
        return now
    if last.tzinfo is None:
        last = last.replace(tzinfo=dt.UTC)
    return last + ctx.codes.cooldown


def _new_code(ctx: Context, row: EmailCodeRow, now: dt.datetime) -> str:
    code = f"{secrets.randbelow(10**6):06d}"
    row.code_digest = _digest(ctx, row.id, code)
    row.sent_at = now
    # failed_tries counts every wrong try at this challenge, never reset (the member's
    # budget sums them); each code sent adds ``tries`` to what the challenge allows
    row.sends += 1
    row.expires_at = now + ctx.codes.ttl
    return code


def _challenge(
    row: EmailCodeRow, member: MemberRow, code: str, resend_at: dt.datetime
) -> EmailChallenge:
    return EmailChallenge(
        id=row.id,
        member_id=member.id,
        email=member.email,
        purpose=CodePurpose(row.purpose),
        code=code,
        expires_at=row.expires_at,
        resend_at=resend_at,
        first_name=member.first_name,
    )


def _live_code_row(s: Session, challenge_id: str) -> EmailCodeRow:
    if not isinstance(challenge_id, str) or not challenge_id or len(challenge_id) > 64:
        raise CodeExpired()
    row = s.scalar(select(EmailCodeRow).where(EmailCodeRow.id == challenge_id).with_for_update())
    if row is None or row.dead:
        raise CodeExpired()
    return row


def _last_use() -> Any:
    """When a challenge's code was last sent (tries come after it, within its lifetime)."""
    return func.coalesce(EmailCodeRow.sent_at, EmailCodeRow.created_at)


def _forget_old_codes(ctx: Context, s: Session, member_id: str, now: dt.datetime) -> None:
    """Dead challenges made before the budget's window count for nothing: deleted, so
    asking codes for ever does not grow the table for ever. The newest one stays (its
    send time is the cool-down's clock)."""
    newest = select(func.max(EmailCodeRow.created_at)).where(EmailCodeRow.member_id == member_id)
    s.execute(
        delete(EmailCodeRow).where(
            EmailCodeRow.member_id == member_id,
            EmailCodeRow.dead.is_(True),
            _last_use() <= now - ctx.codes.member_window - ctx.codes.ttl,
            EmailCodeRow.created_at < newest.scalar_subquery(),
        )
    )


def _member_tries(ctx: Context, s: Session, member_id: str, now: dt.datetime) -> int:
    """Wrong codes typed for this member within the window, over all its challenges (a
    challenge counts by its last send: an old one resent today counts today)."""
    tries = s.scalar(
        select(func.coalesce(func.sum(EmailCodeRow.failed_tries), 0)).where(
            EmailCodeRow.member_id == member_id,
            _last_use() > now - ctx.codes.member_window - ctx.codes.ttl,
        )
    )
    return int(tries or 0)


def _wrong_code(ctx: Context, s: Session, row: EmailCodeRow, now: dt.datetime) -> BackendError:
    row.failed_tries += 1
    s.flush()
    left = ctx.codes.tries * row.sends - row.failed_tries
    budget = ctx.codes.member_tries - _member_tries(ctx, s, row.member_id, now)
    if left <= 0 or budget <= 0:
        row.code_digest = ""  # this code is finished: only a new one (Resend) helps
    s.commit()
    if budget <= 0:
        return CodeExpired("error.code_tries_today")
    if left <= 0:
        return CodeExpired("error.code_tries_used")
    return CodeWrong(tries_left=min(left, budget))


# --------------------------------------------------------------------------- the port's calls
class EmailCodes:
    """The port's code calls: resend, verify, start a verification or a reset, reset."""

    def __init__(
        self, ctx: Context, authenticate: Callable[[str, str], Awaitable[MemberRow]]
    ) -> None:
        self._ctx = ctx
        self._authenticate = authenticate  # the password check (with its lock-out)

    async def resend_code(self, challenge_id: str) -> EmailChallenge:
        return await self._ctx.write(lambda s: self._resend(s, challenge_id))

    def _resend(self, s: Session, challenge_id: str) -> EmailChallenge:
        ctx = self._ctx
        now = ctx.now()
        row = _live_code_row(s, challenge_id)
        member = rows.member_in(s, row.member_id)
        if row.verified_at is not None or (
            row.purpose == CodePurpose.SIGNUP.value and member.email_verified_at is not None
        ):
            raise CodeExpired()
        next_send = _next_send(ctx, s, member.id, now)
        if next_send > now:
            raise ResendTooSoon(seconds=max(1, math.ceil((next_send - now).total_seconds())))
        if row.sends >= ctx.codes.max_sends:
            row.dead, row.code_digest = True, ""
            s.commit()
            raise CodeExpired()
        code = _new_code(ctx, row, now)
        s.commit()
        return _challenge(row, member, code, now + ctx.codes.cooldown)

    async def verify_code(self, challenge_id: str, code: str) -> Member:
        typed = "".join(str(code).split())
        return await self._ctx.write(lambda s: self._verify(s, challenge_id, typed))

    def _verify(self, s: Session, challenge_id: str, typed: str) -> Member:
        ctx = self._ctx
        now = ctx.now()
        row = _live_code_row(s, challenge_id)
        if not row.code_digest or row.verified_at is not None or row.expires_at <= now:
            raise CodeExpired()
        if _member_tries(ctx, s, row.member_id, now) >= ctx.codes.member_tries:
            raise CodeExpired("error.code_tries_today")  # the right code too: no oracle
        if not hmac.compare_digest(_digest(ctx, row.id, typed[:32]), row.code_digest):
            raise _wrong_code(ctx, s, row, now)
        member = rows.member_in(s, row.member_id)
        row.code_digest = ""
        if row.purpose == CodePurpose.SIGNUP.value:
            row.dead = True
            member.email_verified_at = member.email_verified_at or now
        else:  # a reset: the new password may be set, within the code's lifetime
            row.verified_at = now
        s.commit()
        return rows.member(member)

    async def start_verification(self, email: str, password: str) -> EmailChallenge:
        member_id = (await self._authenticate(email, password)).id

        def unit(s: Session) -> EmailChallenge:
            row = rows.member_in(s, member_id)
            if row.email_verified_at is not None:
                raise CodeExpired()
            challenge = issue(self._ctx, s, row, CodePurpose.SIGNUP, self._ctx.now())
            s.commit()
            return challenge

        return await self._ctx.write(unit)

    async def start_reset(self, email: str) -> EmailChallenge | None:
        try:
            email = normalize_email(email)
        except BackendError:
            return None
        canonical = self._ctx.emails.canonical(email)

        def unit(s: Session) -> EmailChallenge | None:
            row = rows.by_email(s, email, canonical, lock=True)
            if row is None:
                return None
            challenge = issue(self._ctx, s, row, CodePurpose.RESET, self._ctx.now())
            s.commit()
            return challenge

        return await self._ctx.write(unit)

    async def reset_password(self, challenge_id: str, password: str) -> Member:
        if not isinstance(password, str) or not password:
            raise invalid("password")
        password_hash = await asyncio.to_thread(self._ctx.secrets.hasher.hash, password)
        return await self._ctx.write(lambda s: self._reset(s, challenge_id, password_hash))

    def _reset(self, s: Session, challenge_id: str, password_hash: str) -> Member:
        now = self._ctx.now()
        row = _live_code_row(s, challenge_id)
        if (
            row.purpose != CodePurpose.RESET.value
            or row.verified_at is None
            or row.expires_at <= now
        ):
            raise CodeExpired()
        member = rows.member_in(s, row.member_id)
        member.password_hash = password_hash
        member.email_verified_at = member.email_verified_at or now  # the code proved it
        member.failed_logins = 0
        member.locked_until = None
        kill_codes(s, member.id)  # this one and any other open code
        s.commit()
        return rows.member(member)
