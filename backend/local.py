"""The embedded redemption backend: the port implemented on our own database.

``LocalBackend`` stands in for the vendor's member center and review desk. It
implements :class:`backend.port.RedemptionBackend` and :class:`backend.port.StaffDesk`
with SQLAlchemy 2 async sessions and hands out only the port's frozen dataclasses.

Call ``await backend.start()`` once after the migrations: it upserts the catalog's
promotions into the ``promotions`` table and seeds the catalog's demo code pools.

Outbox: every status change is a ``claim_events`` row. Changes the customer makes in
the conversation (submit, resubmit) are recorded already delivered, because the
conversation answers them at once; staff decisions (approve, reject, ship) wait in
``undelivered_events`` until ``mark_delivered``.
"""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
import hashlib
import hmac
import math
import re
import secrets
import unicodedata
import uuid
from collections.abc import Callable, Iterable, Sequence
from typing import Any, TypeVar

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Select, delete, func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.orm import Session

from backend.catalog import Catalog
from backend.port import (
    AccountLocked,
    Actor,
    AuditEntry,
    BackendError,
    Claim,
    ClaimEvent,
    ClaimFix,
    ClaimRequest,
    ClaimStatus,
    CodeExpired,
    CodePurpose,
    CodeWrong,
    Eligibility,
    EmailChallenge,
    EmailNotVerified,
    EmailTaken,
    Ineligibility,
    InvalidCredentials,
    InvalidTransition,
    LimitReached,
    Member,
    NoCodesLeft,
    NotEligible,
    NotFound,
    PrizeKind,
    Product,
    ProductRegistration,
    Promotion,
    Recipient,
    RejectReason,
    ResendTooSoon,
    SerialAlreadyRegistered,
    SerialConflict,
    SerialDisputed,
    SerialLocked,
    SignUp,
    as_actor,
    serial_key,
)
from states import StaffNote
from storage.backend_models import (
    ClaimEventRow,
    ClaimRow,
    EmailCodeRow,
    IdempotencyRow,
    MemberRow,
    PrizeCodeRow,
    ProductRow,
    PromotionRow,
    SerialConflictRow,
)
from storage.db import Worker
from storage.links import audit_row
from storage.models import StaffAudit

Clock = Callable[[], dt.datetime]
CHANNELS = ("retail", "online", "reseller")
#: recipient fields the vendor's form marks required
RECIPIENT_REQUIRED = ("first_name", "zip", "street", "phone")
MEMBER_FIELDS = {
    "first_name": str,
    "last_name": str,
    "region": str,
    "phone": str,
    "newsletter": bool,
    "reward_program": bool,
    "email": str,
    "password": str,
}
#: longest accepted text per field (the column widths)
MAX_LEN = {
    "email": 320,
    "first_name": 100,
    "last_name": 100,
    "region": 100,
    "phone": 40,
    "category": 60,
    "product_name": 200,
    "model": 200,
    "serial": 64,
    "chk": 16,
    "store": 200,
    "invoice": 200,
    "sn_photo": 200,
    "zip": 20,
    "city": 100,
    "state": 100,
    "street": 200,
    "unit": 100,
    "note": 500,
    "idempotency_key": 200,
}


LEASE = dt.timedelta(seconds=60)
LATEST_OFFSET = dt.timedelta(hours=14)  # UTC+14 (Kiribati): no place's date is later  # how long a replica has to deliver the events it took


def default_hasher() -> PasswordHasher:
    """argon2id at OWASP's recommended minimum (19 MiB, 2 passes, 1 lane): about 20 ms a
    hash here, instead of argon2-cffi's RFC 9106 profile (64 MiB, 4 lanes: ~150 ms), which
    would let a burst of sign-ups starve every other conversation on a 2-core machine.
    Hashes made with other parameters still verify and are upgraded at the next log-in."""
    return PasswordHasher(time_cost=2, memory_cost=19456, parallelism=1)


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def invalid(field: str) -> BackendError:
    """A field the backend refuses: catalog key ``error.invalid_field`` {field}."""
    return BackendError("error.invalid_field", field=field)


def normalize_email(email: str) -> str:
    """Lower-cased, compatibility forms folded (a fullwidth "＠" or "ｅ" is the ASCII one, as
    mail software reads it), no root dot after the domain."""
    email = _folded(email)
    if "@" not in email or email.startswith("@") or email.endswith("@") or " " in email:
        raise invalid("email")
    _check_len("email", email)
    return email


_SERIAL = re.compile(r"[A-Z0-9]+(?:-[A-Z0-9]+)*", re.ASCII)
def _folded(email: str) -> str:
    return unicodedata.normalize("NFKC", email).strip().lower().rstrip(".")


def _ascii_domain(domain: str) -> str:
    """An internationalised domain as DNS knows it (punycode): "bücher.de" and
    "xn--bcher-kva.de" are one mail server."""
    try:
        return domain.encode("idna").decode("ascii").lower()
    except UnicodeError:
        return domain


@dataclasses.dataclass(frozen=True, slots=True)
class EmailRules:
    """When two addresses are one mailbox (one member, one "2 per email"): case always;
    ``+tag`` after the local part when ``plus_tags``; dots in the local part for the
    ``dotless_domains`` (Gmail ignores them). ``googlemail.com`` is ``gmail.com``."""

    plus_tags: bool = True
    dotless_domains: tuple[str, ...] = ("gmail.com", "googlemail.com")
    aliases: tuple[tuple[str, str], ...] = (("googlemail.com", "gmail.com"),)

    def canonical(self, email: str) -> str:
        local, _, domain = _folded(email).rpartition("@")
        domain = _ascii_domain(domain)
        dotless = domain in self.dotless_domains
        domain = dict(self.aliases).get(domain, domain)
        if self.plus_tags:
            local = local.split("+", 1)[0]
        if dotless or domain in self.dotless_domains:
            local = local.replace(".", "")
        return f"{local}@{domain}"


@dataclasses.dataclass(frozen=True, slots=True)
class CodeRules:
    """One-time codes by email: lifetime, wrong tries per code, resend cool-down (per
    member, all purposes: no mail-bombing an address), sends per challenge."""

    ttl: dt.timedelta = dt.timedelta(minutes=15)
    tries: int = 5
    cooldown: dt.timedelta = dt.timedelta(seconds=60)
    max_sends: int = 5
    # wrong tries per member across all its codes (a new reset is a new challenge: without
    # this, 5 guesses a minute for ever); past it even the right code waits for the window
    member_tries: int = 20
    member_window: dt.timedelta = dt.timedelta(hours=24)


def normalize_serial(serial: str) -> str:
    """Upper-cased, spaces dropped; ASCII letters and digits (dashes between them) only, so
    a look-alike from another script (Cyrillic "О") can never make a second spelling."""
    serial = "".join(unicodedata.normalize("NFKC", serial).split()).upper()
    if not _SERIAL.fullmatch(serial):
        raise invalid("serial")
    _check_len("serial", serial)
    return serial


def _check_len(field: str, value: str) -> None:
    if len(value) > MAX_LEN.get(field, 200):
        raise invalid(field)


def _same(a: str, b: str) -> bool:
    return a.strip().casefold() == b.strip().casefold()


# --------------------------------------------------------------------------- rules
def ineligibility(
    promotion: Promotion,
    product: Product,
    *,
    today: dt.date,
    claimed_products: set[str],
    claim_count: int,
    check_window: bool,
    disputed: bool = False,
) -> tuple[Ineligibility, ...]:
    """Why ``product`` cannot be redeemed for ``promotion`` (empty = it can).

    ``claimed_products``: ids of the member's products already claimed in this promotion;
    ``claim_count``: how many claims the member has in it; ``check_window``: also report
    a redeem window that does not contain ``today``; ``disputed``: the product's serial is
    registered to an earlier product too (found by migration 0005), so staff decide.
    """
    base = {"promotion": promotion.name, "promotion_code": promotion.code}
    reasons: list[Ineligibility] = []
    if disputed:
        reasons.append(Ineligibility("why.serial_disputed", dict(base)))
    if check_window:
        reasons += _window_reasons(promotion, today, base)
    if not any(_same(product.category, c) for c in promotion.categories):
        params = {"category": product.category, "categories": ", ".join(promotion.categories)}
        reasons.append(Ineligibility("why.category", base | params))
    elif promotion.models and not any(_same(product.model, m) for m in promotion.models):
        reasons.append(Ineligibility("why.model", base | {"model": product.model}))
    reasons += _purchase_reasons(promotion, product.purchase_date, base)
    if promotion.regions and not any(_same(product.region, r) for r in promotion.regions):
        params = {"region": product.region, "regions": ", ".join(promotion.regions)}
        reasons.append(Ineligibility("why.region", base | params))
    if product.id in claimed_products:
        reasons.append(Ineligibility("why.already_claimed", dict(base)))
    elif claim_count >= promotion.per_member_limit:
        reasons.append(Ineligibility("why.limit", base | {"limit": promotion.per_member_limit}))
    return tuple(reasons)


def _window_reasons(p: Promotion, today: dt.date, base: dict[str, Any]) -> list[Ineligibility]:
    if today > p.redeem_to:
        return [Ineligibility("why.redeem_closed", base | {"end": p.redeem_to.isoformat()})]
    if today < p.redeem_from:
        return [Ineligibility("why.redeem_not_open", base | {"start": p.redeem_from.isoformat()})]
    return []


def _purchase_reasons(p: Promotion, bought: dt.date, base: dict[str, Any]) -> list[Ineligibility]:
    params = base | {
        "date": bought.isoformat(),
        "start": p.purchase_from.isoformat(),
        "end": p.purchase_to.isoformat(),
    }
    if bought < p.purchase_from:
        return [Ineligibility("why.purchase_before", params)]
    if bought > p.purchase_to:
        return [Ineligibility("why.purchase_after", params)]
    return []


def refusal(promotion: Promotion, reasons: Sequence[Ineligibility]) -> BackendError:
    """The error for a refused claim: ``LimitReached`` if that is the only reason."""
    if [r.key for r in reasons] == ["why.limit"]:
        return LimitReached(limit=promotion.per_member_limit, promotion=promotion.name)
    detail = [{"key": r.key, "params": r.params} for r in reasons]
    return NotEligible(promotion=promotion.name, reasons=detail)


# --------------------------------------------------------------------------- mapping
T = TypeVar("T")


def _from_row(cls: type[T], row: Any, prefix: str = "") -> T:
    """A domain dataclass from an ORM row whose columns have the same names (after ``prefix``)."""
    return cls(**{f.name: getattr(row, prefix + f.name) for f in dataclasses.fields(cls)})  # type: ignore[arg-type]


def _member(row: MemberRow) -> Member:
    return _from_row(Member, row)


def _product(row: ProductRow) -> Product:
    return _from_row(Product, row)


def _recipient(row: ClaimRow) -> Recipient:
    return _from_row(Recipient, row, prefix="rcpt_")


def _recipient_values(r: Recipient) -> dict[str, str]:
    values = dataclasses.asdict(r)
    for name, value in values.items():
        if not isinstance(value, str):
            raise invalid(f"recipient.{name}")
        _check_len(name, value)
        if name in RECIPIENT_REQUIRED and not value.strip():
            raise invalid(f"recipient.{name}")
    return {f"rcpt_{k}": v.strip() for k, v in values.items()}


def _claim(row: ClaimRow, promotion_name: str, prize_kind: str) -> Claim:
    return Claim(
        id=row.id,
        member_id=row.member_id,
        promotion=row.promotion,
        promotion_name=promotion_name,
        product_id=row.product_id,
        product_name=row.product_name,
        serial=row.serial,
        sn_photo=row.sn_photo,
        invoice=row.invoice,
        recipient=_recipient(row),
        status=ClaimStatus(row.status),
        created_at=row.created_at,
        updated_at=row.updated_at,
        reason=RejectReason(row.reason) if row.reason else None,
        reason_text=row.reason_text,
        prize_kind=PrizeKind(prize_kind),
        prize_code=row.prize_code,
        attempts=row.attempts,
        tracking=row.tracking,
    )


def _event(row: ClaimEventRow) -> ClaimEvent:
    return ClaimEvent(
        id=row.id,
        claim_id=row.claim_id,
        member_id=row.member_id,
        status=ClaimStatus(row.status),
        at=row.at,
        reason=RejectReason(row.reason) if row.reason else None,
        reason_text=row.reason_text,
        prize_code=row.prize_code,
        tracking=row.tracking,
    )


def _promotion_row(p: Promotion, now: dt.datetime) -> PromotionRow:
    return PromotionRow(
        code=p.code,
        name=p.name,
        categories=list(p.categories),
        purchase_from=p.purchase_from,
        purchase_to=p.purchase_to,
        redeem_from=p.redeem_from,
        redeem_to=p.redeem_to,
        regions=list(p.regions),
        models=list(p.models),
        per_member_limit=p.per_member_limit,
        prize_kind=p.prize_kind.value,
        prize_name=p.prize_name,
        activation_help=p.activation_help,
        landing_page=p.landing_page,
        updated_at=now,
    )


def _claims_query():
    return select(ClaimRow, PromotionRow.name, PromotionRow.prize_kind).join(
        PromotionRow, PromotionRow.code == ClaimRow.promotion
    )


# --------------------------------------------------------------------------- plain reads
READ_THREADS = 4  # read worker threads (each with its own SQLite connection)


def _member_in(s: Session, member_id: str) -> MemberRow:
    row = s.get(MemberRow, member_id)
    if row is None:
        raise NotFound(what="member", id=member_id)
    return row


def _product_in(s: Session, member_id: str, product_id: str) -> ProductRow:
    row = s.get(ProductRow, product_id)
    if row is None or row.member_id != member_id:
        raise NotFound(what="product", id=product_id)
    return row


def _products_of(s: Session, member_id: str) -> list[Product]:
    _member_in(s, member_id)
    rows = s.scalars(
        select(ProductRow)
        .where(ProductRow.member_id == member_id)
        .order_by(ProductRow.registered_at, ProductRow.id)
    )
    return [_product(r) for r in rows]


def _claim_by_id(s: Session, claim_id: str) -> Claim:
    found = s.execute(_claims_query().where(ClaimRow.id == claim_id)).first()
    if found is None:
        raise NotFound(what="claim", id=claim_id)
    return _claim(*found)


def _disputed_in(s: Session, member_id: str) -> set[str]:
    """Ids of the member's products without a serial key (a later duplicate: not redeemable)."""
    query = select(ProductRow.id).where(
        ProductRow.member_id == member_id, ProductRow.serial_key.is_(None)
    )
    return set(s.scalars(query))


#: claim statuses with a prize out
PRIZE_OUT = (ClaimStatus.APPROVED.value, ClaimStatus.SUCCESS.value, ClaimStatus.SHIPPED.value)


def _won_by_duplicates() -> Select[tuple[str, str]]:
    """(promotion, key owner's product id) for each prize out on a later duplicate of the
    owner's serial (found by migration 0005): that sticker has won that promotion already."""
    return (
        select(ClaimRow.promotion, SerialConflictRow.product_id)
        .join(ClaimRow, ClaimRow.product_id == SerialConflictRow.other_product_id)
        .where(SerialConflictRow.origin == "migration", ClaimRow.status.in_(PRIZE_OUT))
    )


def _claimed_in(s: Session, member_id: str) -> dict[str, set[str]]:
    """Per promotion code: ids of the member's products with a claim (any status), or whose
    sticker won it under another spelling before serial keys existed."""
    rows = s.execute(select(ClaimRow.promotion, ClaimRow.product_id).where(ClaimRow.member_id == member_id))
    won = s.execute(_won_by_duplicates().where(SerialConflictRow.owner_member_id == member_id))
    claimed: dict[str, set[str]] = {}
    for promotion, product_id in [*rows, *won]:
        claimed.setdefault(promotion, set()).add(product_id)
    return claimed


# --------------------------------------------------------------------------- backend
class LocalBackend:
    """The embedded backend (customer side and staff desk) on an async sessionmaker."""

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
        self._sm = sessionmaker  # writes (on SQLite: one connection, so writers queue in asyncio)
        self._rsm = read_sessionmaker or sessionmaker  # reads that lead to a write
        # plain reads: one synchronous unit each on a read worker (WAL: in parallel with the
        # writer), one hop of the event loop instead of one per statement
        self._reads = Worker(self._rsm.kw["bind"], threads=READ_THREADS)
        self._catalog = catalog
        self._clock = clock or utc_now
        self._max_failures = max_failures
        self._lock = dt.timedelta(minutes=lock_minutes)
        self._hasher = hasher or default_hasher()
        self._dummy_hash: str | None = None
        self._emails = email_rules or EmailRules()
        self._codes = code_rules or CodeRules()
        # key of the codes' digests: a copy of the database alone cannot test the 10^6 codes.
        # Replicas must share it (the composition root passes SECRET_KEY)
        self._code_key = code_key or secrets.token_bytes(32)

    @property
    def catalog(self) -> Catalog:
        return self._catalog

    async def close(self) -> None:
        """Release the read worker's threads and connections (the engines stay open)."""
        await self._reads.close()

    async def _read(self, fn: Callable[[Session], T]) -> T:
        """Run ``fn`` with an ORM session on a read worker connection."""

        def unit(conn: Any) -> T:
            with Session(bind=conn, expire_on_commit=False) as s:
                return fn(s)

        return await self._reads.run(unit)

    def _now(self) -> dt.datetime:
        now = self._clock()
        return now if now.tzinfo else now.replace(tzinfo=dt.UTC)

    async def start(self) -> None:
        """Upsert the catalog into ``promotions`` and seed its demo code pools (idempotent)."""
        now = self._now()
        for attempt in range(3):
            try:
                async with self._sm() as s:
                    for promotion in self._catalog:
                        await s.merge(_promotion_row(promotion, now))
                    await s.commit()
                break
            except IntegrityError:  # another process inserted the same promotion first
                if attempt == 2:
                    raise
        for code, pool in self._catalog.demo_codes.items():
            await self.import_codes(code, list(pool))

    # ------------------------------------------------------------------ accounts
    async def sign_up(self, data: SignUp) -> EmailChallenge:
        email = normalize_email(data.email)
        canonical = self._emails.canonical(email)
        self._check_sign_up(data)
        async with self._rsm() as s:
            row = await self._by_email(s, email, canonical)
            if row is not None and row.email_verified_at is not None:
                raise EmailTaken()
        # hash with no connection held: the database serves others meanwhile
        password_hash = await asyncio.to_thread(self._hasher.hash, data.password)
        async with self._sm() as s:
            now = self._now()
            row = await self._by_email(s, email, canonical, lock=True)
            if row is not None and row.email_verified_at is not None:
                raise EmailTaken()
            if row is None:
                row = MemberRow(id=str(uuid.uuid4()), created_at=now)
                s.add(row)
            else:  # an unverified sign-up starts again: its earlier codes die with it
                await self._kill_codes(s, row.id)
            self._fill_member(row, data, email, canonical, password_hash, now)
            try:
                await s.flush()
                challenge = await self._issue(s, row, CodePurpose.SIGNUP, now)
                await s.commit()
            except IntegrityError:
                raise EmailTaken() from None
            return challenge

    @staticmethod
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

    @staticmethod
    async def _by_email(
        s: AsyncSession, email: str, canonical: str, *, lock: bool = False
    ) -> MemberRow | None:
        """The member with this address: the exact one first (older members outside the
        uniqueness, see migration 0007), else the one with the same mailbox."""
        query = select(MemberRow).where(
            or_(MemberRow.email == email, MemberRow.email_canonical == canonical)
        )
        if lock:
            query = query.with_for_update()
        rows = list((await s.scalars(query)).all())
        exact = [r for r in rows if r.email == email]
        return (exact or rows or [None])[0]

    @staticmethod
    def _check_sign_up(data: SignUp) -> None:
        if not data.privacy_consent:
            raise BackendError("error.consent_required")
        if not data.password:
            raise invalid("password")
        if not data.first_name.strip():
            raise invalid("first_name")
        for name in ("first_name", "last_name", "region", "phone"):
            _check_len(name, getattr(data, name))

    async def log_in(self, email: str, password: str) -> Member:
        row = await self._authenticate(email, password)
        if row.email_verified_at is None:
            raise EmailNotVerified()  # only now: a wrong password learns nothing more
        member = _member(row)
        if self._hasher.check_needs_rehash(row.password_hash):
            await self.update_member(member.id, password=password)
        return member

    async def _authenticate(self, email: str, password: str) -> MemberRow:
        """The member row if ``password`` is right (failures count towards the lock-out)."""
        try:
            email = normalize_email(email)
        except BackendError:
            raise InvalidCredentials() from None
        canonical = self._emails.canonical(email)
        async with self._rsm() as s:
            row = await self._by_email(s, email, canonical)
        if row is None:
            await self._verify(await self._dummy(), password)  # same time as a real miss
            raise InvalidCredentials()
        now = self._now()
        if row.locked_until and row.locked_until > now:
            raise AccountLocked(minutes=self._minutes_left(row.locked_until, now))
        # verify with no connection held: the database serves others meanwhile
        verified = await self._verify(row.password_hash, password)
        async with self._sm() as s:
            row = await s.get(MemberRow, row.id)
            if row is None:
                raise InvalidCredentials()
            if row.locked_until and row.locked_until > now:
                raise AccountLocked(minutes=self._minutes_left(row.locked_until, now))
            if not verified:
                raise await self._failed_login(s, row, now)
            row.failed_logins = 0
            row.locked_until = None
            await s.commit()
            return row

    # ------------------------------------------------------------------ email codes
    def _code_digest(self, challenge_id: str, code: str) -> str:
        message = f"{challenge_id}:{code}".encode()
        return hmac.new(self._code_key, message, hashlib.sha256).hexdigest()

    async def _kill_codes(self, s: AsyncSession, member_id: str, purpose: str | None = None) -> None:
        query = update(EmailCodeRow).where(EmailCodeRow.member_id == member_id)
        if purpose is not None:
            query = query.where(EmailCodeRow.purpose == purpose)
        await s.execute(query.values(dead=True, code_digest=""))

    async def _next_send(self, s: AsyncSession, member_id: str, now: dt.datetime) -> dt.datetime:
        """When this member may be sent the next email (cool-down over every purpose)."""
        last = await s.scalar(
            select(func.max(EmailCodeRow.sent_at)).where(EmailCodeRow.member_id == member_id)
        )
        if last is None:
            return now
        if last.tzinfo is None:
            last = last.replace(tzinfo=dt.UTC)
        return last + self._codes.cooldown

    def _new_code(self, row: EmailCodeRow, now: dt.datetime) -> str:
        code = f"{secrets.randbelow(10**6):06d}"
        row.code_digest = self._code_digest(row.id, code)
        row.sent_at = now
        # failed_tries counts every wrong try at this challenge, never reset (the member's
        # budget sums them); each code sent adds ``tries`` to what the challenge allows
        row.sends += 1
        row.expires_at = now + self._codes.ttl
        return code

    def _challenge(
        self, row: EmailCodeRow, member: MemberRow, code: str, resend_at: dt.datetime
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

    async def _issue(
        self, s: AsyncSession, member: MemberRow, purpose: CodePurpose, now: dt.datetime
    ) -> EmailChallenge:
        """A new challenge (the member's earlier ones of this purpose die); no code in it
        while the cool-down runs: the customer taps Resend after ``resend_at``."""
        next_send = await self._next_send(s, member.id, now)
        await self._kill_codes(s, member.id, purpose.value)
        await self._forget_old_codes(s, member.id, now)
        row = EmailCodeRow(
            id=secrets.token_urlsafe(24),
            member_id=member.id,
            purpose=purpose.value,
            code_digest="",
            created_at=now,
            expires_at=now + self._codes.ttl,
            failed_tries=0,
            sends=0,
            dead=False,
        )
        s.add(row)
        code = ""
        if next_send <= now:
            code = self._new_code(row, now)
            next_send = now + self._codes.cooldown
        return self._challenge(row, member, code, next_send)

    async def _live_code_row(self, s: AsyncSession, challenge_id: str) -> EmailCodeRow:
        if not isinstance(challenge_id, str) or not challenge_id or len(challenge_id) > 64:
            raise CodeExpired()
        row = await s.scalar(
            select(EmailCodeRow).where(EmailCodeRow.id == challenge_id).with_for_update()
        )
        if row is None or row.dead:
            raise CodeExpired()
        return row

    async def resend_code(self, challenge_id: str) -> EmailChallenge:
        async with self._sm() as s:
            now = self._now()
            row = await self._live_code_row(s, challenge_id)
            member = await self._member_row(s, row.member_id)
            if row.verified_at is not None or (
                row.purpose == CodePurpose.SIGNUP.value and member.email_verified_at is not None
            ):
                raise CodeExpired()
            next_send = await self._next_send(s, member.id, now)
            if next_send > now:
                raise ResendTooSoon(seconds=max(1, math.ceil((next_send - now).total_seconds())))
            if row.sends >= self._codes.max_sends:
                row.dead, row.code_digest = True, ""
                await s.commit()
                raise CodeExpired()
            code = self._new_code(row, now)
            await s.commit()
            return self._challenge(row, member, code, now + self._codes.cooldown)

    async def verify_code(self, challenge_id: str, code: str) -> Member:
        typed = "".join(str(code).split())
        async with self._sm() as s:
            now = self._now()
            row = await self._live_code_row(s, challenge_id)
            if not row.code_digest or row.verified_at is not None or row.expires_at <= now:
                raise CodeExpired()
            if await self._member_tries(s, row.member_id, now) >= self._codes.member_tries:
                raise CodeExpired("error.code_tries_today")  # the right code too: no oracle
            if not hmac.compare_digest(self._code_digest(row.id, typed[:32]), row.code_digest):
                raise await self._wrong_code(s, row, now)
            member = await self._member_row(s, row.member_id)
            row.code_digest = ""
            if row.purpose == CodePurpose.SIGNUP.value:
                row.dead = True
                member.email_verified_at = member.email_verified_at or now
            else:  # a reset: the new password may be set, within the code's lifetime
                row.verified_at = now
            await s.commit()
            return _member(member)

    async def _forget_old_codes(self, s: AsyncSession, member_id: str, now: dt.datetime) -> None:
        """Dead challenges made before the budget's window count for nothing: deleted, so
        asking codes for ever does not grow the table for ever. The newest one stays (its
        send time is the cool-down's clock)."""
        newest = select(func.max(EmailCodeRow.created_at)).where(EmailCodeRow.member_id == member_id)
        await s.execute(
            delete(EmailCodeRow).where(
                EmailCodeRow.member_id == member_id,
                EmailCodeRow.dead.is_(True),
                self._last_use() <= now - self._codes.member_window - self._codes.ttl,
                EmailCodeRow.created_at < newest.scalar_subquery(),
            )
        )

    async def _member_tries(self, s: AsyncSession, member_id: str, now: dt.datetime) -> int:
        """Wrong codes typed for this member within the window, over all its challenges (a
        challenge counts by its last send: an old one resent today counts today)."""
        tries = await s.scalar(
            select(func.coalesce(func.sum(EmailCodeRow.failed_tries), 0)).where(
                EmailCodeRow.member_id == member_id,
                self._last_use() > now - self._codes.member_window - self._codes.ttl,
            )
        )
        return int(tries or 0)

    @staticmethod
    def _last_use() -> Any:
        """When a challenge's code was last sent (tries come after it, within its lifetime)."""
        return func.coalesce(EmailCodeRow.sent_at, EmailCodeRow.created_at)

    async def _wrong_code(self, s: AsyncSession, row: EmailCodeRow, now: dt.datetime) -> BackendError:
        row.failed_tries += 1
        await s.flush()
        left = self._codes.tries * row.sends - row.failed_tries
        budget = self._codes.member_tries - await self._member_tries(s, row.member_id, now)
        if left <= 0 or budget <= 0:
            row.code_digest = ""  # this code is finished: only a new one (Resend) helps
        await s.commit()
        if budget <= 0:
            return CodeExpired("error.code_tries_today")
        if left <= 0:
            return CodeExpired("error.code_tries_used")
        return CodeWrong(tries_left=min(left, budget))

    async def start_verification(self, email: str, password: str) -> EmailChallenge:
        member = await self._authenticate(email, password)
        async with self._sm() as s:
            row = await self._member_row(s, member.id)
            if row.email_verified_at is not None:
                raise CodeExpired()
            challenge = await self._issue(s, row, CodePurpose.SIGNUP, self._now())
            await s.commit()
            return challenge

    async def start_reset(self, email: str) -> EmailChallenge | None:
        try:
            email = normalize_email(email)
        except BackendError:
            return None
        async with self._sm() as s:
            row = await self._by_email(s, email, self._emails.canonical(email), lock=True)
            if row is None:
                return None
            challenge = await self._issue(s, row, CodePurpose.RESET, self._now())
            await s.commit()
            return challenge

    async def reset_password(self, challenge_id: str, password: str) -> Member:
        if not isinstance(password, str) or not password:
            raise invalid("password")
        password_hash = await asyncio.to_thread(self._hasher.hash, password)
        async with self._sm() as s:
            now = self._now()
            row = await self._live_code_row(s, challenge_id)
            if (
                row.purpose != CodePurpose.RESET.value
                or row.verified_at is None
                or row.expires_at <= now
            ):
                raise CodeExpired()
            member = await self._member_row(s, row.member_id)
            member.password_hash = password_hash
            member.email_verified_at = member.email_verified_at or now  # the code proved it
            member.failed_logins = 0
            member.locked_until = None
            await self._kill_codes(s, member.id)  # this one and any other open code
            await s.commit()
            return _member(member)

    async def _failed_login(
        self, s: AsyncSession, row: MemberRow, now: dt.datetime
    ) -> BackendError:
        failed = await s.scalar(
            update(MemberRow)
            .where(MemberRow.id == row.id)
            .values(failed_logins=MemberRow.failed_logins + 1)
            .returning(MemberRow.failed_logins)
        )
        if failed is not None and failed >= self._max_failures:
            await s.execute(
                update(MemberRow)
                .where(MemberRow.id == row.id)
                .values(failed_logins=0, locked_until=now + self._lock)
            )
            await s.commit()
            return AccountLocked(minutes=int(self._lock.total_seconds() // 60))
        await s.commit()
        return InvalidCredentials()  # no attempts count: it would tell which emails exist

    @staticmethod
    def _minutes_left(until: dt.datetime, now: dt.datetime) -> int:
        return max(1, math.ceil((until - now).total_seconds() / 60))

    async def _verify(self, password_hash: str, password: str) -> bool:
        try:
            return await asyncio.to_thread(self._hasher.verify, password_hash, password)
        except (VerificationError, InvalidHashError):
            return False

    async def _dummy(self) -> str:
        if self._dummy_hash is None:
            self._dummy_hash = await asyncio.to_thread(self._hasher.hash, uuid.uuid4().hex)
        return self._dummy_hash

    async def get_member(self, member_id: str) -> Member:
        return await self._read(lambda s: _member(_member_in(s, member_id)))

    async def update_member(self, member_id: str, **changes: Any) -> Member:
        values = await self._member_changes(changes)
        async with self._sm() as s:
            row = await self._member_row(s, member_id)
            if "email" in values and values["email"] != row.email:
                values["email_canonical"] = self._emails.canonical(values["email"])
                taken = await s.scalar(
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
                await self._kill_codes(s, row.id)
            for name, value in values.items():
                setattr(row, name, value)
            try:
                await s.commit()
            except IntegrityError:
                raise EmailTaken() from None
            return _member(row)

    async def _member_changes(self, changes: dict[str, Any]) -> dict[str, Any]:
        values: dict[str, Any] = {}
        for name, value in changes.items():
            kind = MEMBER_FIELDS.get(name)
            if kind is None or not isinstance(value, kind):
                raise invalid(name)
            if kind is str:
                _check_len(name, value)
                value = value.strip()
            values[name] = value
        if "email" in values:
            values["email"] = normalize_email(values["email"])
        if "first_name" in values and not values["first_name"]:
            raise invalid("first_name")
        if "password" in values:
            if not changes["password"]:
                raise invalid("password")
            values["password_hash"] = await asyncio.to_thread(
                self._hasher.hash, changes["password"]
            )
            del values["password"]
        return values

    @staticmethod
    async def _member_row(s: AsyncSession, member_id: str) -> MemberRow:
        return await s.run_sync(_member_in, member_id)

    @classmethod
    async def _verified_member_row(cls, s: AsyncSession, member_id: str) -> MemberRow:
        """An account nobody has proved the address of cannot register or claim."""
        row = await cls._member_row(s, member_id)
        if row.email_verified_at is None:
            raise EmailNotVerified()
        return row

    # ------------------------------------------------------------------ products
    async def register_product(self, member_id: str, data: ProductRegistration) -> Product:
        serial = normalize_serial(data.serial)
        category = self._check_product(data)
        async with self._sm() as s:
            await self._verified_member_row(s, member_id)
            await self._refuse_taken_serial(s, member_id, serial)
            row = ProductRow(
                id=str(uuid.uuid4()),
                member_id=member_id,
                category=category,
                product_name=data.product_name.strip(),
                model=data.model.strip(),
                serial=serial,
                serial_key=serial_key(serial),
                chk=data.chk.strip().upper(),
                region=data.region.strip(),
                store=data.store.strip(),
                purchase_date=data.purchase_date,
                channel=data.channel,
                invoice=data.invoice,
                registered_at=self._now(),
            )
            s.add(row)
            try:
                await s.commit()
            except IntegrityError:  # a racing registration of the same key won
                await s.rollback()
                await self._refuse_taken_serial(s, member_id, serial)
                raise
            return _product(row)

    def _check_product(self, data: ProductRegistration) -> str:
        """Validate a registration; returns the category in the catalog's spelling."""
        for name in ("category", "product_name", "model", "chk", "region", "store", "invoice"):
            value = getattr(data, name)
            if not isinstance(value, str) or not value.strip():
                raise invalid(name)
            _check_len(name, value)
        if data.channel not in CHANNELS:
            raise invalid("channel")
        if data.purchase_date > (self._now() + LATEST_OFFSET).date():  # "today" somewhere on Earth
            raise invalid("purchase_date")
        known = self._catalog.product_categories
        if not known:
            return data.category.strip()
        match = next((c for c in known if _same(c, data.category)), None)
        if match is None:
            raise invalid("category")
        return match

    async def _refuse_taken_serial(
        self,
        s: AsyncSession,
        member_id: str,
        serial: str,
        *,
        except_product: str | None = None,
    ) -> None:
        """Raise ``SerialAlreadyRegistered`` if a product owns ``serial``'s key, whatever
        the spelling. The clash is recorded for staff unless it is the member's own product
        under the very same spelling (a repeated registration); ``except_product``: the
        product being changed (a re-typed serial), which may keep its own key."""
        owner = (
            await s.execute(
                select(ProductRow.id, ProductRow.member_id, ProductRow.serial).where(
                    ProductRow.serial_key == serial_key(serial)
                )
            )
        ).first()
        if owner is None or owner.id == except_product:
            return
        mine = owner.member_id == member_id
        if not mine or owner.serial != serial or except_product is not None:
            s.add(
                SerialConflictRow(
                    serial=serial,
                    member_id=member_id,
                    owner_member_id=owner.member_id,
                    product_id=owner.id,
                    at=self._now(),
                    origin="register" if except_product is None else "resubmit",
                    other_product_id=except_product,
                )
            )
            await s.commit()
        raise SerialAlreadyRegistered(serial=serial, mine=mine)

    async def list_products(self, member_id: str) -> list[Product]:
        return await self._read(lambda s: _products_of(s, member_id))

    async def get_product(self, member_id: str, product_id: str) -> Product:
        return await self._read(lambda s: _product(_product_in(s, member_id, product_id)))

    @staticmethod
    async def _product_row(s: AsyncSession, member_id: str, product_id: str) -> ProductRow:
        return await s.run_sync(_product_in, member_id, product_id)

    # ------------------------------------------------------------------ promotions
    async def list_promotions(self) -> list[Promotion]:
        return list(self._catalog.promotions)

    async def get_promotion(self, code: str) -> Promotion:
        return self._catalog.get(code)

    async def eligibility(self, member_id: str, today: dt.date) -> list[Eligibility]:
        products, claimed, disputed = await self._read(
            lambda s: (_products_of(s, member_id), _claimed_in(s, member_id), _disputed_in(s, member_id))
        )
        result = []
        for promotion in self._catalog:
            if not promotion.redeem_from <= today <= promotion.redeem_to:
                continue
            done = claimed.get(promotion.code, set())
            for product in products:
                reasons = ineligibility(
                    promotion,
                    product,
                    today=today,
                    claimed_products=done,
                    claim_count=len(done),
                    check_window=False,
                    disputed=product.id in disputed,
                )
                result.append(Eligibility(promotion, product, reasons))
        return result

    async def why_not(self, member_id: str, product_id: str, today: dt.date) -> list[Ineligibility]:
        product, claimed, disputed = await self._read(
            lambda s: (
                _product(_product_in(s, member_id, product_id)),
                _claimed_in(s, member_id),
                _disputed_in(s, member_id),
            )
        )
        reasons: list[Ineligibility] = []
        for promotion in self._catalog:
            done = claimed.get(promotion.code, set())
            reasons += ineligibility(
                promotion,
                product,
                today=today,
                claimed_products=done,
                claim_count=len(done),
                check_window=True,
                disputed=product.id in disputed,
            )
        return reasons

    @staticmethod
    async def _claimed(s: AsyncSession, member_id: str) -> dict[str, set[str]]:
        return await s.run_sync(_claimed_in, member_id)

    # ------------------------------------------------------------------ claims
    async def submit_claim(
        self, member_id: str, request: ClaimRequest, idempotency_key: str
    ) -> Claim:
        key = self._check_key(idempotency_key)
        async with self._rsm() as s:
            replay = await self._replay(s, member_id, key, "submit")
            if replay is not None:
                return replay
        promotion = self._catalog.get(request.promotion)
        recipient = _recipient_values(request.recipient)
        if not request.sn_photo or len(request.sn_photo) > MAX_LEN["sn_photo"]:
            raise invalid("sn_photo")
        try:
            async with self._sm() as s:
                claim_id = await self._insert_claim(
                    s, member_id, promotion, request, recipient, key
                )
        except (NotEligible, LimitReached):
            async with self._sm() as s:  # a racing request with this key may have won
                replay = await self._replay(s, member_id, key, "submit")
            if replay is None:
                raise
            return replay
        return await self._load_claim(claim_id)

    @staticmethod
    def _check_key(key: str) -> str:
        if not isinstance(key, str) or not key.strip() or len(key) > MAX_LEN["idempotency_key"]:
            raise invalid("idempotency_key")
        return key.strip()

    async def _insert_claim(
        self,
        s: AsyncSession,
        member_id: str,
        promotion: Promotion,
        request: ClaimRequest,
        recipient: dict[str, str],
        key: str,
    ) -> str:
        # lock the member row (PostgreSQL) so the per-member limit cannot race
        verified = await s.scalar(
            select(MemberRow.email_verified_at).where(MemberRow.id == member_id).with_for_update()
        )
        if verified is None:  # unknown, or nobody proved they own the address yet
            await self._verified_member_row(s, member_id)
        product_row = await self._product_row(s, member_id, request.product_id)
        disputed = product_row.serial_key is None
        await self._check_eligible(s, member_id, promotion, _product(product_row), disputed)
        now = self._now()
        row = ClaimRow(
            id=str(uuid.uuid4()),
            member_id=member_id,
            promotion=promotion.code,
            product_id=product_row.id,
            product_name=product_row.product_name,
            serial=product_row.serial,
            sn_photo=request.sn_photo,
            invoice=product_row.invoice,
            status=ClaimStatus.UNDER_REVIEW.value,
            reason=None,
            reason_text="",
            prize_code="",
            tracking="",
            attempts=1,
            idempotency_key=key,
            created_at=now,
            updated_at=now,
            **recipient,
        )
        try:
            s.add(row)
            await s.flush()
            s.add(
                IdempotencyRow(
                    member_id=member_id,
                    key=key,
                    operation="submit",
                    claim_id=row.id,
                    created_at=now,
                )
            )
            s.add(self._event_row(row, now, delivered=True))
            await s.flush()
        except IntegrityError:
            await s.rollback()
            return await self._after_conflict(s, member_id, key, "submit", promotion)
        count = await s.scalar(
            select(func.count())
            .select_from(ClaimRow)
            .where(ClaimRow.member_id == member_id, ClaimRow.promotion == promotion.code)
        )
        if (count or 0) > promotion.per_member_limit:
            await s.rollback()
            raise LimitReached(limit=promotion.per_member_limit, promotion=promotion.name)
        await s.commit()
        return row.id

    async def _after_conflict(
        self, s: AsyncSession, member_id: str, key: str, operation: str, promotion: Promotion
    ) -> str:
        """A unique constraint fired: the same key won a race, or the product was claimed."""
        hit = await s.get(IdempotencyRow, (member_id, key))
        if hit is not None and hit.operation == operation:
            return hit.claim_id
        if hit is not None:
            raise BackendError("error.idempotency_conflict")
        raise NotEligible(
            promotion=promotion.name,
            reasons=[
                {
                    "key": "why.already_claimed",
                    "params": {"promotion": promotion.name, "promotion_code": promotion.code},
                }
            ],
        )

    async def _check_eligible(
        self,
        s: AsyncSession,
        member_id: str,
        promotion: Promotion,
        product: Product,
        disputed: bool = False,
    ) -> None:
        done = (await self._claimed(s, member_id)).get(promotion.code, set())
        reasons = ineligibility(
            promotion,
            product,
            today=self._now().date(),
            claimed_products=done,
            claim_count=len(done),
            check_window=True,
            disputed=disputed,
        )
        if reasons:
            raise refusal(promotion, reasons)

    async def _replay(
        self, s: AsyncSession, member_id: str, key: str, operation: str
    ) -> Claim | None:
        """The claim an already-used idempotency key produced (None if the key is new)."""
        hit = await s.get(IdempotencyRow, (member_id, key))
        if hit is None:
            return None
        if hit.operation != operation:
            raise BackendError("error.idempotency_conflict")
        return await self._claim_in(s, hit.claim_id)

    async def resubmit_claim(
        self, member_id: str, claim_id: str, fix: ClaimFix, idempotency_key: str
    ) -> Claim:
        key = self._check_key(idempotency_key)
        try:
            await self._resubmit(member_id, claim_id, fix, key)
        except InvalidTransition:
            async with self._sm() as s:  # a racing request with this key may have won
                replay = await self._replay(s, member_id, key, "resubmit")
            if replay is None or replay.id != claim_id:
                raise
            return replay
        return await self._load_claim(claim_id)

    async def _resubmit(self, member_id: str, claim_id: str, fix: ClaimFix, key: str) -> None:
        async with self._sm() as s:
            replay = await self._replay(s, member_id, key, "resubmit")
            if replay is not None:
                if replay.id != claim_id:
                    raise BackendError("error.idempotency_conflict")
                return
            # lock the member row (PostgreSQL) as submit_claim does: a re-typed serial checks
            # the product's other claims, which a racing submit must not add meanwhile
            await s.execute(select(MemberRow.id).where(MemberRow.id == member_id).with_for_update())
            row = await s.get(ClaimRow, claim_id)
            if row is None or row.member_id != member_id:
                raise NotFound(what="claim", id=claim_id)
            if row.status != ClaimStatus.REJECTED.value:
                raise InvalidTransition(status=row.status, action="resubmit")
            values = await self._fix_values(s, member_id, row, fix)
            await self._apply_resubmit(s, row, values, key)

    async def _fix_values(
        self, s: AsyncSession, member_id: str, row: ClaimRow, fix: ClaimFix
    ) -> dict[str, Any]:
        values: dict[str, Any] = {}
        product: dict[str, Any] = {}
        if fix.invoice is not None:
            if not fix.invoice or len(fix.invoice) > MAX_LEN["invoice"]:
                raise invalid("invoice")
            values["invoice"] = product["invoice"] = fix.invoice
        if fix.sn_photo is not None:
            if not fix.sn_photo or len(fix.sn_photo) > MAX_LEN["sn_photo"]:
                raise invalid("sn_photo")
            values["sn_photo"] = fix.sn_photo
        if fix.recipient is not None:
            values |= _recipient_values(fix.recipient)
        if fix.serial is not None:
            serial = normalize_serial(fix.serial)
            await self._refuse_taken_serial(s, member_id, serial, except_product=row.product_id)
            await self._refuse_locked_serial(s, row, serial)
            values["serial"] = product["serial"] = serial
            product["serial_key"] = serial_key(serial)
        elif await self._disputed(s, row.product_id):
            raise self._disputed_refusal(row.promotion)
        if product:
            await s.execute(
                update(ProductRow).where(ProductRow.id == row.product_id).values(**product)
            )
        return values

    @staticmethod
    async def _refuse_locked_serial(s: AsyncSession, row: ClaimRow, serial: str) -> None:
        """Raise ``SerialLocked`` if re-typing ``serial`` would move the product's key while
        another claim of the product stands on the old one (a respelling keeps the key)."""
        key = await s.scalar(select(ProductRow.serial_key).where(ProductRow.id == row.product_id))
        if key == serial_key(serial):
            return
        others = select(ClaimRow.id).where(ClaimRow.product_id == row.product_id, ClaimRow.id != row.id)
        if await s.scalar(others.limit(1)) is not None:
            raise SerialLocked()

    @staticmethod
    async def _disputed(s: AsyncSession, product_id: str) -> bool:
        key = await s.scalar(select(ProductRow.serial_key).where(ProductRow.id == product_id))
        return key is None

    async def _disputed_claim(self, s: AsyncSession, row: ClaimRow) -> bool:
        """The claim's product is a later duplicate, or its sticker already won the claim's
        promotion under another spelling (before serial keys existed)."""
        if await self._disputed(s, row.product_id):
            return True
        won = _won_by_duplicates().where(
            SerialConflictRow.product_id == row.product_id, ClaimRow.promotion == row.promotion
        )
        return (await s.execute(won.limit(1))).first() is not None

    def _disputed_refusal(self, code: str) -> BackendError:
        promotion = self._catalog.get(code)
        base = {"promotion": promotion.name, "promotion_code": promotion.code}
        return refusal(promotion, [Ineligibility("why.serial_disputed", base)])

    async def _apply_resubmit(
        self, s: AsyncSession, row: ClaimRow, values: dict[str, Any], key: str
    ) -> None:
        now = self._now()
        changed = await s.execute(
            update(ClaimRow)
            .where(ClaimRow.id == row.id, ClaimRow.status == ClaimStatus.REJECTED.value)
            .values(
                status=ClaimStatus.UNDER_REVIEW.value,
                reason=None,
                reason_text="",
                attempts=ClaimRow.attempts + 1,
                updated_at=now,
                **values,
            )
            .execution_options(synchronize_session=False)
        )
        if changed.rowcount != 1:
            await s.rollback()
            raise InvalidTransition(status="under_review", action="resubmit")
        s.add(
            IdempotencyRow(
                member_id=row.member_id,
                key=key,
                operation="resubmit",
                claim_id=row.id,
                created_at=now,
            )
        )
        s.add(
            ClaimEventRow(
                id=str(uuid.uuid4()),
                claim_id=row.id,
                member_id=row.member_id,
                status=ClaimStatus.UNDER_REVIEW.value,
                reason=None,
                reason_text="",
                prize_code="",
                tracking="",
                staff="",
                at=now,
                delivered_at=now,
            )
        )
        try:
            await s.commit()
        except IntegrityError:
            await s.rollback()
            if await self._replay(s, row.member_id, key, "resubmit") is not None:
                return  # the same key won a race: its result stands
            if "serial" in values:  # a racing registration took the re-typed serial's key
                await self._refuse_taken_serial(
                    s, row.member_id, values["serial"], except_product=row.product_id
                )
            raise

    async def list_claims(self, member_id: str) -> list[Claim]:
        """The member's claims, newest first."""

        def read(s: Session) -> list[Claim]:
            rows = s.execute(
                _claims_query()
                .where(ClaimRow.member_id == member_id)
                .order_by(ClaimRow.created_at.desc(), ClaimRow.id)
            ).all()
            if not rows:  # none: is there such a member at all? (one query less otherwise)
                _member_in(s, member_id)
            return [_claim(*r) for r in rows]

        return await self._read(read)

    async def get_claim(self, member_id: str, claim_id: str) -> Claim:
        claim = await self._load_claim(claim_id)
        if claim.member_id != member_id:
            raise NotFound(what="claim", id=claim_id)
        return claim

    async def _load_claim(self, claim_id: str) -> Claim:
        return await self._read(lambda s: _claim_by_id(s, claim_id))

    @staticmethod
    async def _claim_in(s: AsyncSession, claim_id: str) -> Claim:
        return await s.run_sync(_claim_by_id, claim_id)

    # ------------------------------------------------------------------ events
    @staticmethod
    def _event_row(
        claim: ClaimRow,
        now: dt.datetime,
        *,
        delivered: bool = False,
        staff: str = "",
    ) -> ClaimEventRow:
        return ClaimEventRow(
            id=str(uuid.uuid4()),
            claim_id=claim.id,
            member_id=claim.member_id,
            status=claim.status,
            reason=claim.reason,
            reason_text=claim.reason_text,
            prize_code=claim.prize_code,
            tracking=claim.tracking,
            staff=staff,
            at=now,
            delivered_at=now if delivered else None,
        )

    async def undelivered_events(
        self, member_id: str | None = None, limit: int = 100
    ) -> list[ClaimEvent]:
        """Undelivered events, oldest first, each leased to this caller for ``LEASE``: a
        second bot replica asking meanwhile gets others, and an event whose delivery was not
        confirmed (``mark_delivered``) comes back once the lease ends."""
        now = self._now()
        free = or_(ClaimEventRow.leased_until.is_(None), ClaimEventRow.leased_until < now)
        query = select(ClaimEventRow.seq).where(ClaimEventRow.delivered_at.is_(None), free)
        if member_id is not None:
            query = query.where(ClaimEventRow.member_id == member_id)
        token = str(uuid.uuid4())
        # most polls find nothing: ask a reader first
        seqs = await self._read(lambda s: list(s.scalars(query.order_by(ClaimEventRow.seq).limit(max(0, limit)))))
        if not seqs:
            return []
        async with self._sm() as s:
            # the condition is checked again row by row under the write lock: a row another
            # replica took in between is not ours
            await s.execute(
                update(ClaimEventRow)
                .where(ClaimEventRow.seq.in_(seqs), ClaimEventRow.delivered_at.is_(None), free)
                .values(leased_until=now + LEASE, leased_by=token)
                .execution_options(synchronize_session=False)
            )
            await s.commit()
        mine = (
            select(ClaimEventRow)
            .where(ClaimEventRow.seq.in_(seqs), ClaimEventRow.leased_by == token)
            .order_by(ClaimEventRow.seq)
        )
        return await self._read(lambda s: [_event(r) for r in s.scalars(mine)])

    async def mark_delivered(self, event_ids: list[str]) -> None:
        if not event_ids:
            return
        async with self._sm() as s:
            for chunk in _chunks(list(dict.fromkeys(event_ids)), 500):
                await s.execute(
                    update(ClaimEventRow)
                    .where(ClaimEventRow.id.in_(chunk), ClaimEventRow.delivered_at.is_(None))
                    .values(delivered_at=self._now())
                    .execution_options(synchronize_session=False)
                )
            await s.commit()

    # ------------------------------------------------------------------ staff desk
    async def review_queue(self) -> list[Claim]:
        """Claims waiting for review, oldest first."""
        query = (
            _claims_query()
            .where(ClaimRow.status == ClaimStatus.UNDER_REVIEW.value)
            .order_by(ClaimRow.created_at, ClaimRow.id)
        )
        return await self._read(lambda s: [_claim(*r) for r in s.execute(query)])

    async def find_claim(self, claim_id: str) -> Claim:
        """Any claim by id (staff view; not part of the customer port)."""
        return await self._load_claim(claim_id)

    async def approve(self, claim_id: str, staff: str | Actor) -> Claim:
        async with self._sm() as s:
            row = await self._claim_row(s, claim_id)
            if row.status == ClaimStatus.UNDER_REVIEW.value and await self._disputed_claim(s, row):
                raise SerialDisputed(claim=claim_id)  # never a second prize for one sticker
            kind = await s.scalar(
                select(PromotionRow.prize_kind).where(PromotionRow.code == row.promotion)
            )
            if kind == PrizeKind.DIGITAL.value:
                await self._move(s, row, ClaimStatus.UNDER_REVIEW, ClaimStatus.SUCCESS, "approve")
                promotion = row.promotion
                code = await self._allocate(s, promotion, row.id)
                if code is None:
                    await s.rollback()
                    raise NoCodesLeft(promotion=promotion)
                row.prize_code = code
            else:
                await self._move(s, row, ClaimStatus.UNDER_REVIEW, ClaimStatus.APPROVED, "approve")
            await self._finish_staff_change(s, row, staff, "approve", row.status)
        return await self._load_claim(claim_id)

    async def reject(self, claim_id: str, reason: RejectReason, text: str, staff: str | Actor) -> Claim:
        reason = RejectReason(reason)
        text = (text or "").strip()
        if reason is RejectReason.OTHER and not text:
            raise invalid("text")
        async with self._sm() as s:
            row = await self._claim_row(s, claim_id)
            await self._move(s, row, ClaimStatus.UNDER_REVIEW, ClaimStatus.REJECTED, "reject")
            row.reason = reason.value
            row.reason_text = text
            await self._finish_staff_change(s, row, staff, "reject", reason.value)
        return await self._load_claim(claim_id)

    async def mark_shipped(self, claim_id: str, staff: str | Actor, tracking: str = "") -> Claim:
        async with self._sm() as s:
            row = await self._claim_row(s, claim_id)
            await self._move(s, row, ClaimStatus.APPROVED, ClaimStatus.SHIPPED, "ship")
            row.tracking = (tracking or "").strip()[:200]
            await self._finish_staff_change(s, row, staff, "ship", row.tracking)
        return await self._load_claim(claim_id)

    async def record_view(self, claim_id: str, staff: str | Actor) -> None:
        """A staff member was shown the claim with the customer's data (audit trail)."""
        async with self._sm() as s:
            await self._claim_row(s, claim_id)
            s.add(_audit("claim", claim_id, "show", staff, "", self._now()))
            await s.commit()

    async def claim_history(self, claim_id: str) -> list[AuditEntry]:
        """Who did what to the claim, oldest first."""
        query = (
            select(StaffAudit)
            .where(StaffAudit.subject_kind == "claim", StaffAudit.subject_id == claim_id)
            .order_by(StaffAudit.id)
        )

        def read(s: Session) -> list[AuditEntry]:
            return [
                AuditEntry(r.at, r.action, r.actor_id, r.actor_name, r.details) for r in s.scalars(query)
            ]

        return await self._read(read)

    @staticmethod
    async def _claim_row(s: AsyncSession, claim_id: str) -> ClaimRow:
        row = await s.get(ClaimRow, claim_id)
        if row is None:
            raise NotFound(what="claim", id=claim_id)
        return row

    async def _move(
        self, s: AsyncSession, row: ClaimRow, source: ClaimStatus, target: ClaimStatus, action: str
    ) -> None:
        """Compare-and-set the status: only one of two racing staff decisions wins."""
        if row.status != source.value:
            raise InvalidTransition(status=row.status, action=action)
        changed = await s.execute(
            update(ClaimRow)
            .where(ClaimRow.id == row.id, ClaimRow.status == source.value)
            .values(status=target.value, updated_at=self._now())
            .execution_options(synchronize_session=False)
        )
        if changed.rowcount != 1:
            await s.rollback()
            raise InvalidTransition(status="changed", action=action)
        row.status = target.value

    async def _finish_staff_change(
        self, s: AsyncSession, row: ClaimRow, staff: str | Actor, action: str, details: str
    ) -> None:
        """The claim's event (for the customer) and the audit line (who), one transaction."""
        now = self._now()
        row.updated_at = now
        s.add(self._event_row(row, now, staff=as_actor(staff).name[:100]))
        s.add(_audit("claim", row.id, action, staff, details, now))
        await s.commit()

    async def _allocate(self, s: AsyncSession, promotion: str, claim_id: str) -> str | None:
        """Give the next unused code of ``promotion`` to ``claim_id`` (None: pool empty)."""
        for _ in range(10):
            free = (
                await s.execute(
                    select(PrizeCodeRow.id, PrizeCodeRow.code)
                    .where(PrizeCodeRow.promotion == promotion, PrizeCodeRow.claim_id.is_(None))
                    .order_by(PrizeCodeRow.id)
                    .limit(1)
                )
            ).first()
            if free is None:
                return None
            taken = await s.execute(
                update(PrizeCodeRow)
                .where(PrizeCodeRow.id == free.id, PrizeCodeRow.claim_id.is_(None))
                .values(claim_id=claim_id, allocated_at=self._now())
                .execution_options(synchronize_session=False)
            )
            if taken.rowcount == 1:
                return free.code
        return None

    async def import_codes(self, promotion: str, codes: list[str], staff: str | Actor | None = None) -> int:
        """Add codes to a digital promotion's pool, skipping blanks and known codes; who did
        it and how many were added go to the audit trail (never the codes)."""
        self._digital(promotion)
        wanted = list(dict.fromkeys(c.strip() for c in codes if c and c.strip()))
        for code in wanted:
            _check_len("code", code)
        for _attempt in range(3):
            try:
                return await self._insert_codes(promotion, wanted, staff)
            except IntegrityError:
                continue  # a concurrent import added some of them: recompute
        raise BackendError("error.backend")

    def _digital(self, promotion: str) -> Promotion:
        p = self._catalog.get(promotion)
        if p.prize_kind is not PrizeKind.DIGITAL:
            raise invalid("promotion")
        return p

    async def _insert_codes(self, promotion: str, wanted: list[str], staff: str | Actor | None) -> int:
        async with self._sm() as s:
            known: set[str] = set()
            for chunk in _chunks(wanted, 500):
                known.update(
                    await s.scalars(select(PrizeCodeRow.code).where(PrizeCodeRow.code.in_(chunk)))
                )
            new = [c for c in wanted if c not in known]
            s.add_all(PrizeCodeRow(promotion=promotion, code=c) for c in new)
            if staff is not None:
                s.add(_audit("promotion", promotion, "import_codes", staff, f"{len(new)} added", self._now()))
            await s.commit()
            return len(new)

    async def serial_conflicts(self, limit: int = 100) -> list[SerialConflict]:
        """Recorded serial clashes, newest first (at most ``limit``)."""
        query = (
            select(SerialConflictRow)
            .order_by(SerialConflictRow.at.desc(), SerialConflictRow.id.desc())
            .limit(max(0, min(limit, 1000)))
        )
        return await self._read(lambda s: [_from_row(SerialConflict, r) for r in s.scalars(query)])

    async def code_stock(self, promotion: str) -> int:
        self._catalog.get(promotion)
        query = (
            select(func.count())
            .select_from(PrizeCodeRow)
            .where(PrizeCodeRow.promotion == promotion, PrizeCodeRow.claim_id.is_(None))
        )
        return int(await self._read(lambda s: s.scalar(query)) or 0)


def _audit(kind: str, subject_id: str, action: str, staff: str | Actor, details: str, at: dt.datetime) -> StaffAudit:
    actor = as_actor(staff)
    return StaffAudit(**audit_row(kind, subject_id, StaffNote(action, actor.id, actor.name, details), at))


def _chunks(items: list[str], size: int) -> Iterable[list[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]
