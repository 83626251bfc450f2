"""Member accounts: sign-up, log-in (with its lock-out), the profile.

Passwords are hashed and verified with no connection held (the database serves others
meanwhile); each write is one unit of work on the writer."""

from __future__ import annotations

import asyncio
import datetime as dt
import math
import uuid
from typing import Any

from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from backend.local import rows
from backend.local.context import Context
from backend.local.email_codes import issue, kill_codes
from backend.local.validation import MEMBER_FIELDS, check_len, invalid, normalize_email
from backend.port import (
    AccountLocked,
    BackendError,
    CodePurpose,
    EmailChallenge,
    EmailNotVerified,
    EmailTaken,
    InvalidCredentials,
    Member,
    SignUp,
)
from storage.backend_models import MemberRow


def verified_member_in(s: Session, member_id: str) -> None:
    """An account nobody has proved the address of cannot register or claim (``NotFound``
    for no such member, ``EmailNotVerified`` for an unproved address)."""
    if rows.member_verified_at(s, member_id) is None:
        raise EmailNotVerified()


class Accounts:
    """Sign-up, log-in, the profile (the port's account calls but the email codes)."""

    def __init__(self, ctx: Context) -> None:
        self._ctx = ctx
        self._dummy_hash: str | None = None

    async def sign_up(self, data: SignUp) -> EmailChallenge:
        email = normalize_email(data.email)
        canonical = self._ctx.emails.canonical(email)
        _check_sign_up(data)
        row = await self._ctx.read(lambda s: rows.by_email(s, email, canonical))
        if row is not None and row.email_verified_at is not None:
            raise EmailTaken()
        # hash with no connection held: the database serves others meanwhile
        password_hash = await asyncio.to_thread(self._ctx.secrets.hasher.hash, data.password)
        return await self._ctx.write(
            lambda s: self._sign_up(s, data, email, canonical, password_hash)
        )

    def _sign_up(
        self, s: Session, data: SignUp, email: str, canonical: str, password_hash: str
    ) -> EmailChallenge:
        now = self._ctx.now()
        row = rows.by_email(s, email, canonical, lock=True)
        if row is not None and row.email_verified_at is not None:
            raise EmailTaken()
        if row is None:
            row = MemberRow(id=str(uuid.uuid4()), created_at=now)
            s.add(row)
        else:  # an unverified sign-up starts again: its earlier codes die with it
            kill_codes(s, row.id)
        _fill_member(row, data, email, canonical, password_hash, now)
        try:
            s.flush()
            challenge = issue(self._ctx, s, row, CodePurpose.SIGNUP, now)
            s.commit()
        except IntegrityError:
            raise EmailTaken() from None
        return challenge

    async def email_registered(self, email: str) -> bool:
        try:
            email = normalize_email(email)
        except BackendError:
            return False
        canonical = self._ctx.emails.canonical(email)
        row = await self._ctx.read(lambda s: rows.by_email(s, email, canonical))
        return row is not None and row.email_verified_at is not None  # as sign_up decides

    async def log_in(self, email: str, password: str) -> Member:
        row = await self.authenticate(email, password)
        if row.email_verified_at is None:
            raise EmailNotVerified()  # only now: a wrong password learns nothing more
        member = rows.member(row)
        if self._ctx.secrets.hasher.check_needs_rehash(row.password_hash):
            await self.update_member(member.id, password=password)
        return member

    async def authenticate(self, email: str, password: str) -> MemberRow:
        """The member row if ``password`` is right (failures count towards the lock-out)."""
        try:
            email = normalize_email(email)
        except BackendError:
            raise InvalidCredentials() from None
        canonical = self._ctx.emails.canonical(email)
        row = await self._ctx.read(lambda s: rows.by_email(s, email, canonical))
        if row is None:
            await self._verify(await self._dummy(), password)  # same time as a real miss
            raise InvalidCredentials()
        now = self._ctx.now()
        if row.locked_until and row.locked_until > now:
            raise AccountLocked(minutes=_minutes_left(row.locked_until, now))
        # verify with no connection held: the database serves others meanwhile
        verified = await self._verify(row.password_hash, password)
        member_id = row.id
        return await self._ctx.write(lambda s: self._after_check(s, member_id, verified, now))

    def _after_check(
        self, s: Session, member_id: str, verified: bool, now: dt.datetime
    ) -> MemberRow:
        row = s.get(MemberRow, member_id)
        if row is None:
            raise InvalidCredentials()
        if row.locked_until and row.locked_until > now:
            raise AccountLocked(minutes=_minutes_left(row.locked_until, now))
        if not verified:
            raise self._failed_login(s, row, now)
        row.failed_logins = 0
        row.locked_until = None
        s.commit()
        return row

    def _failed_login(self, s: Session, row: MemberRow, now: dt.datetime) -> BackendError:
        failed = s.scalar(
            update(MemberRow)
            .where(MemberRow.id == row.id)
            .values(failed_logins=MemberRow.failed_logins + 1)
            .returning(MemberRow.failed_logins)
        )
        rules = self._ctx.logins
        if failed is not None and failed >= rules.max_failures:
            s.execute(
                update(MemberRow)
                .where(MemberRow.id == row.id)
                .values(failed_logins=0, locked_until=now + rules.lock)
            )
            s.commit()
            return AccountLocked(minutes=int(rules.lock.total_seconds() // 60))
        s.commit()
        return InvalidCredentials()  # no attempts count: it would tell which emails exist

    async def _verify(self, password_hash: str, password: str) -> bool:
        try:
            return await asyncio.to_thread(self._ctx.secrets.hasher.verify, password_hash, password)
        except (VerificationError, InvalidHashError):
            return False

    async def _dummy(self) -> str:
        if self._dummy_hash is None:
            self._dummy_hash = await asyncio.to_thread(
                self._ctx.secrets.hasher.hash, uuid.uuid4().hex
            )
        return self._dummy_hash

    async def get_member(self, member_id: str) -> Member:
        return await self._ctx.read(lambda s: rows.member(rows.member_in(s, member_id)))

    async def update_member(self, member_id: str, **changes: Any) -> Member:
        values = await self._member_changes(changes)
        return await self._ctx.write(lambda s: self._update(s, member_id, values))

    def _update(self, s: Session, member_id: str, values: dict[str, Any]) -> Member:
        row = rows.member_in(s, member_id)
        if "email" in values and values["email"] != row.email:
            values["email_canonical"] = self._ctx.emails.canonical(values["email"])
            taken = s.scalar(
                select(MemberRow.id).where(
                    MemberRow.id != row.id,
                    or_(
                        MemberRow.email == values["email"],
                        MemberRow.email_canonical == values["email_canonical"],
                    ),
                )
            )
            if taken:
                raise EmailTaken()
            # a new address is unproven: its owner types the code a log-in sends to it
            # (else one mailbox makes endless members: verify, move away, sign up again)
            values["email_verified_at"] = None
            kill_codes(s, row.id)
        for name, value in values.items():
            setattr(row, name, value)
        try:
            s.commit()
        except IntegrityError:
            raise EmailTaken() from None
        return rows.member(row)

    async def _member_changes(self, changes: dict[str, Any]) -> dict[str, Any]:
        values: dict[str, Any] = {}
        for name, value in changes.items():
            kind = MEMBER_FIELDS.get(name)
            if kind is None or not isinstance(value, kind):
                raise invalid(name)
            if isinstance(value, str):
                check_len(name, value)
                value = value.strip()
            values[name] = value
        if "email" in values:
            values["email"] = normalize_email(values["email"])
        if "first_name" in values and not values["first_name"]:
            raise invalid("first_name")
        if "password" in values:
            if not changes["password"]:
                raise invalid("password")
            hasher = self._ctx.secrets.hasher
            values["password_hash"] = await asyncio.to_thread(hasher.hash, changes["password"])
            del values["password"]
        return values


def _fill_member(
    row: MemberRow, data: SignUp, email: str, canonical: str, password_hash: str, now: dt.datetime
) -> None:
    row.email = email
    row.email_canonical = canonical
    row.email_verified_at = None
    row.password_hash = password_hash
    row.first_name = data.first_name.strip()
    row.last_name = data.last_name.strip()
    row.region = data.region.strip()
    row.phone = data.phone.strip()
    row.newsletter = bool(data.newsletter)
    row.reward_program = bool(data.reward_program)
    row.privacy_consent_at = now
    row.failed_logins = 0
    row.locked_until = None


def _check_sign_up(data: SignUp) -> None:
    if not data.privacy_consent:
        raise BackendError("error.consent_required")
    if not data.password:
        raise invalid("password")
    if not data.first_name.strip():
        raise invalid("first_name")
    for name in ("first_name", "last_name", "region", "phone"):
        check_len(name, getattr(data, name))


def _minutes_left(until: dt.datetime, now: dt.datetime) -> int:
    return max(1, math.ceil((until - now).total_seconds() / 60))
