"""The embedded redemption backend: the port implemented on our own database.

It stands in for the vendor's member center and review desk, and hands out only the
port's frozen dataclasses. One module per concern:

- ``validation``: field rules, e-mail and serial spellings (pure);
- ``rows``: rows <-> domain types, the shared reads;
- ``accounts``, ``email_codes``: members, log-in lock-out, one-time codes;
- ``products``, ``serials``: registered products, one per sticker, clashes for staff;
- ``eligibility``: the promotions' rules;
- ``claims``, ``resubmit``, ``events``: claims and their outbox;
- ``staff``, ``prize_codes``, ``audit``: the staff desk;
- ``context``: what they share (the database workers, catalog, clock, secrets, rules).

``LocalCustomer`` is the customer port, ``LocalStaffDesk`` the staff port; ``LocalBackend``
puts both on one context (the composition root hands the same object out as both).
Every read and write is a unit of work on a database worker (see ``context``).

Call ``await backend.start()`` once after the migrations: it upserts the catalog's
promotions into the ``promotions`` table and seeds the catalog's demo code pools.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import secrets

from argon2 import PasswordHasher
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from sqlalchemy.orm import Session

from backend.catalog import Catalog
from backend.local import findings, rows
from backend.local.context import Clock, Context, LoginRules, Secrets, default_hasher, utc_now
from backend.local.customer import LocalCustomer
from backend.local.eligibility import ineligibility, refusal
from backend.local.staff import LocalStaffDesk
from backend.local.validation import (
    CodeRules,
    EmailRules,
    invalid,
    normalize_email,
    normalize_serial,
)
from backend.port import (
    Actor,
    Claim,
    ClaimFix,
    ClaimRequest,
    ClaimStatus,
    InvalidTransition,
    NoCodesLeft,
    SerialDisputed,
)

AUTO = Actor("auto", "auto")  # who approves a clean claim of an auto_approve promotion


class LocalBackend(LocalCustomer, LocalStaffDesk):
    """Both ports of the embedded backend on one context.

    ``sessionmaker``: bound to the engine writes go to; ``read_sessionmaker``: to the one
    plain reads go to (default: the same). Only their engines are used: every unit of work
    runs on a :class:`~storage.db.Worker` of that engine."""

    def __init__(
        self,
        sessionmaker: async_sessionmaker[AsyncSession],
        catalog: Catalog,
        clock: Clock | None = None,
        *,
        max_failures: int = 5,
        lock_minutes: int = 15,
        hasher: PasswordHasher | None = None,
        read_sessionmaker: async_sessionmaker[AsyncSession] | None = None,
        email_rules: EmailRules | None = None,
        code_rules: CodeRules | None = None,
        code_key: bytes | None = None,
    ) -> None:
        if max_failures < 1 or lock_minutes < 1:
            raise ValueError("max_failures and lock_minutes must be >= 1")
        write_engine = _engine(sessionmaker)
        ctx = Context(
            write_engine,
            _engine(read_sessionmaker) if read_sessionmaker is not None else write_engine,
            catalog,
            clock or utc_now,
            # without a key (tests, one-off tools) a fresh one: codes die with the process
            Secrets(hasher or default_hasher(), code_key or secrets.token_bytes(32)),
            emails=email_rules or EmailRules(),
            codes=code_rules or CodeRules(),
            logins=LoginRules(max_failures, dt.timedelta(minutes=lock_minutes)),
        )
        LocalCustomer.__init__(self, ctx)
        LocalStaffDesk.__init__(self, ctx)
        self._codes = ctx.codes

    async def start(self) -> None:
        """Upsert the catalog into ``promotions`` and seed its demo code pools (idempotent)."""
        now = self._ctx.now()

        def upsert(s: Session) -> None:
            for promotion in self._ctx.catalog:
                s.merge(rows.promotion_row(promotion, now))
            s.commit()

        for attempt in range(3):
            try:
                await self._ctx.write(upsert)
                break
            except IntegrityError:  # another process inserted the same promotion first
                if attempt == 2:
                    raise
        for code, pool in self._ctx.catalog.demo_codes.items():
            await self.import_codes(code, list(pool))

    # -- auto-approval of clean claims (issue 12) --------------------------------------
    async def submit_claim(
        self, member_id: str, request: ClaimRequest, idempotency_key: str
    ) -> Claim:
        return await self._auto(
            await LocalCustomer.submit_claim(self, member_id, request, idempotency_key)
        )

    async def resubmit_claim(
        self, member_id: str, claim_id: str, fix: ClaimFix, idempotency_key: str
    ) -> Claim:
        return await self._auto(
            await LocalCustomer.resubmit_claim(self, member_id, claim_id, fix, idempotency_key)
        )

    async def _auto(self, claim: Claim) -> Claim:
        """A promotion with ``auto_approve``: a claim under review with no finding that
        stops it (every check ran and passed, no duplicate, no warning) is approved by the
        actor "auto", in the audit as such. Anything else waits for staff as before. The
        customer's answer never carries the staff's findings."""
        if (
            claim.status is not ClaimStatus.UNDER_REVIEW
            or not self._ctx.catalog.get(claim.promotion).auto_approve
        ):
            return claim
        current = await self.load_claim(claim.id)
        if not findings.clean(current.findings) or current.status is not ClaimStatus.UNDER_REVIEW:
            return claim
        try:
            approved = await self.approve(claim.id, AUTO)
        except (NoCodesLeft, SerialDisputed, InvalidTransition):  # staff decide
            approved = await self.load_claim(claim.id)
        return dataclasses.replace(approved, findings=())

    async def load_claim(self, claim_id: str) -> Claim:
        return await self._ctx.read(lambda s: rows.claim_detail(s, claim_id))

    async def close(self) -> None:
        """Release the workers' threads and connections (the engines stay open)."""
        await self._ctx.close()


def _engine(sessionmaker: async_sessionmaker[AsyncSession]) -> AsyncEngine:
    bind = sessionmaker.kw["bind"]
    assert isinstance(bind, AsyncEngine), "the backend's sessionmaker is bound to an engine"
    return bind


__all__ = [
    "CodeRules",
    "EmailRules",
    "LocalBackend",
    "LocalCustomer",
    "LocalStaffDesk",
    "default_hasher",
    "ineligibility",
    "invalid",
    "normalize_email",
    "normalize_serial",
    "refusal",
]
