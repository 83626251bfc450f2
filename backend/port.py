"""The redemption backend port: what the conversation needs from the vendor's system.

Domain types are frozen dataclasses; errors carry what the customer should be told
(a catalog key and its parameters), so the one error layer can answer them.
Adapters: ``backend.local`` (embedded, on our own database) and ``backend.http``
(client of the documented API in docs/backend-api.md).
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Protocol, runtime_checkable

from states.audit import AuditEntry  # a line of an audit trail (shared with the support store)

# --------------------------------------------------------------------------- serials
#: characters read one for another on a sticker, each folded to the digit it is taken for:
#: O/0, I/1, L/1, S/5, B/8, Z/2 (the pairs ``handlers.validators`` reads either way)
SERIAL_FOLD = str.maketrans("OILSBZ", "011582")
#: capitals from other scripts that look like Latin ones (Cyrillic, then Greek): today's
#: normaliser refuses them, but rows registered before it may hold them
SERIAL_LOOKALIKES = str.maketrans(
    "АВЕЗІЈКМНОРСЅТУХӀΑΒΕΖΗΙΚΜΝΟΡΤΥΧ", "ABE3IJKMHOPCSTYXIABEZHIKMNOPTYX"
)


def serial_key(serial: str) -> str:
    """The identity of a physical product's serial number: two spellings that differ only in
    case, spaces, dashes or confusable characters (``BO3T01946000V`` / ``B03T01946000V``)
    have one key. Uniqueness of registered products is on this key (a unique index), never
    on the spelling."""
    folded = unicodedata.normalize("NFKC", serial).upper().translate(SERIAL_LOOKALIKES)
    return "".join(c for c in folded if c.isalnum()).translate(SERIAL_FOLD)


# --------------------------------------------------------------------------- types
class ClaimStatus(StrEnum):
    UNDER_REVIEW = "under_review"
    REJECTED = "rejected"
    APPROVED = "approved"
    SUCCESS = "success"  # digital code delivered
    SHIPPED = "shipped"  # physical prize sent


class PrizeKind(StrEnum):
    DIGITAL = "digital"  # a code, e.g. a Steam key
    PHYSICAL = "physical"


class RejectReason(StrEnum):
    """The vendor's standard rejection reasons; each says what the customer must fix."""

    INVOICE_MISSING_MODEL = "invoice_missing_model"  # re-upload invoice
    INVOICE_UNREADABLE = "invoice_unreadable"  # re-upload invoice
    INVOICE_MISSING_DATE_OR_STORE = "invoice_missing_date_or_store"  # re-upload invoice
    SN_PHOTO_ON_PACKAGE = "sn_photo_on_package"  # re-upload S/N photo
    SN_PHOTO_UNREADABLE = "sn_photo_unreadable"  # re-upload S/N photo
    SN_MISMATCH = "sn_mismatch"  # re-type the serial number
    ADDRESS_INCOMPLETE = "address_incomplete"  # edit recipient fields
    OTHER = "other"  # free text; customer may change anything

    @property
    def fix(self) -> str:
        """What the customer re-does: ``invoice``, ``sn_photo``, ``serial`` or ``fields``."""
        if self.value.startswith("invoice"):
            return "invoice"
        if self.value.startswith("sn_photo"):
            return "sn_photo"
        if self is RejectReason.SN_MISMATCH:
            return "serial"
        return "fields"


@dataclass(frozen=True, slots=True)
class Member:
    id: str
    email: str
    first_name: str
    last_name: str = ""
    region: str = ""
    phone: str = ""
    newsletter: bool = False
    reward_program: bool = False


@dataclass(frozen=True, slots=True)
class SignUp:
    email: str
    password: str  # plain text only in transit to the backend; hashed there, never stored
    first_name: str
    last_name: str
    region: str
    phone: str
    newsletter: bool
    reward_program: bool
    privacy_consent: bool


class CodePurpose(StrEnum):
    """What an emailed one-time code proves ownership of the address for."""

    SIGNUP = "signup"  # activates a new account
    RESET = "reset"  # allows choosing a new password


@dataclass(frozen=True, slots=True)
class EmailChallenge:
    """A one-time code to email to ``email``. The backend keeps only a keyed digest of it;
    the caller sends ``code`` (empty: the cool-down is running, nothing to send before
    ``resend_at``) and remembers ``id``, the handle the code is typed against."""

    id: str
    member_id: str
    email: str
    purpose: CodePurpose
    code: str = field(repr=False)
    expires_at: dt.datetime
    resend_at: dt.datetime
    first_name: str = ""


@dataclass(frozen=True, slots=True)
class ProductRegistration:
    category: str
    product_name: str
    model: str
    serial: str
    chk: str
    region: str
    store: str
    purchase_date: dt.date
    channel: str  # "retail" | "online" | "reseller"
    invoice: str  # media ref (content address)
    invoice_check: InvoiceFacts | None = None  # the conversation's pre-check (None: none ran)


@dataclass(frozen=True, slots=True)
class InvoiceFacts:
    """What the invoice pre-check found (issue 12), kept with the product for the staff:
    ``checked`` False when it could not run ("unchecked"), the finding codes (model_not_found,
    date_differs, ...), and the OCR key (store|number|date) that spots the same invoice again."""

    checked: bool = False
    findings: tuple[str, ...] = ()
    key: str | None = None
    uid: str | None = None  # the channel's file id (Telegram's file_unique_id): the same file


@dataclass(frozen=True, slots=True)
class Finding:
    """Something staff should know about a claim (issue 12), found when it was submitted:
    ``code`` (``invoice.<code>``, ``sn.<code>``, ``unchecked``, ``duplicate.<what>``,
    ``member.other_claim``, ``same.address`` / ``same.phone``), the other claim it concerns,
    and a short detail (no personal data)."""

    code: str
    other_claim: str = ""
    detail: str = ""

    @property
    def blocks_auto(self) -> bool:
        """Anything but the member's own other claims stops an auto-approval."""
        return self.code != "member.other_claim"


@dataclass(frozen=True, slots=True)
class Product:
    id: str
    member_id: str
    category: str
    product_name: str
    model: str
    serial: str
    chk: str
    region: str
    store: str
    purchase_date: dt.date
    channel: str
    invoice: str
    registered_at: dt.datetime
    # the end of the warranty, where the backend knows the period (the guide's My Products
    # "Warranty Period"); None: not known, nothing is shown
    warranty_until: dt.date | None = None


@dataclass(frozen=True, slots=True)
class Promotion:
    code: str
    name: str
    categories: tuple[str, ...]
    purchase_from: dt.date
    purchase_to: dt.date
    redeem_from: dt.date
    redeem_to: dt.date
    regions: tuple[str, ...]  # empty = every region
    models: tuple[str, ...] = ()  # empty = every model in the categories
    per_member_limit: int = 2
    prize_kind: PrizeKind = PrizeKind.DIGITAL
    prize_name: str = ""
    activation_help: str = ""
    landing_page: str = ""
    auto_approve: bool = False  # clean claims (no finding at all) approved by "auto"


@dataclass(frozen=True, slots=True)
class Ineligibility:
    """Why a product cannot be redeemed for a promotion: a catalog key + parameters."""

    key: str
    params: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Eligibility:
    promotion: Promotion
    product: Product
    reasons: tuple[Ineligibility, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.reasons


@dataclass(frozen=True, slots=True)
class ProductPage:
    """A page of a member's products (registration order) and how many there are in all.
    From ``product_page``: ``eligibility`` has the (promotion open today, product of the
    page) pairs; from ``redeemable_products``: one redeemable row per product."""

    products: list[Product]
    eligibility: list[Eligibility]
    total: int


@dataclass(frozen=True, slots=True)
class ClaimPage:
    """A page of a member's claims, newest first, and how many there are in all."""

    claims: list[Claim]
    total: int


@dataclass(frozen=True, slots=True)
class Recipient:
    first_name: str
    last_name: str
    zip: str
    city: str
    state: str
    street: str
    unit: str
    phone: str
    note: str = ""


@dataclass(frozen=True, slots=True)
class ClaimRequest:
    promotion: str  # promotion code
    product_id: str
    sn_photo: str  # media ref
    recipient: Recipient
    # the S/N photo read at redemption: sn.differs, sn.not_found, sn.box, sn.unchecked (advice)
    sn_findings: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ClaimEvent:
    """A status change of a claim, delivered to the customer's conversation."""

    id: str
    claim_id: str
    member_id: str
    status: ClaimStatus
    at: dt.datetime
    reason: RejectReason | None = None
    reason_text: str = ""
    prize_code: str = ""
    tracking: str = ""  # shipped physical prizes


@dataclass(frozen=True, slots=True)
class Claim:
    id: str
    member_id: str
    promotion: str
    promotion_name: str
    product_id: str
    product_name: str
    serial: str
    sn_photo: str
    invoice: str
    recipient: Recipient
    status: ClaimStatus
    created_at: dt.datetime
    updated_at: dt.datetime
    reason: RejectReason | None = None
    reason_text: str = ""
    prize_kind: PrizeKind = PrizeKind.DIGITAL
    prize_code: str = ""
    attempts: int = 1
    tracking: str = ""
    # for staff only, in the desk's reads (find_claim, approve, ...); never in the customer's
    findings: tuple[Finding, ...] = field(default=(), compare=False)


@dataclass(frozen=True, slots=True)
class ReviewArrival:
    """A claim's entry into review (sent, or sent again after a rejection): ``seq``, its
    place in the claims' history (a cursor: ``review_arrivals(after=seq)`` goes on from
    it); ``attempt``, the claim's current try while it still waits (None: decided since)."""

    seq: int
    claim_id: str
    attempt: int | None = None


@dataclass(frozen=True, slots=True)
class SerialConflict:
    """Someone tried to register a serial whose key another product owns: for staff.

    ``serial``: the spelling tried; ``member_id``: who tried; ``owner_member_id`` and
    ``product_id``: the owner and their product; ``origin``: ``register``, ``resubmit`` (a
    re-typed serial on a rejected claim) or ``migration`` (two products registered before
    keys existed: ``other_product_id`` is the later one, kept but not redeemable).
    """

    id: int
    serial: str
    member_id: str
    owner_member_id: str
    product_id: str
    at: dt.datetime
    origin: str = "register"
    other_product_id: str | None = None


@dataclass(frozen=True, slots=True)
class Actor:
    """Who does a staff action: a stable id (``telegram:777``, ``os:sam``) and a display name."""

    id: str
    name: str

    def __post_init__(self) -> None:
        # one line, bounded: a display name is free text (a Telegram first name, --staff) and
        # must not forge a line of the audit trail it is shown in
        object.__setattr__(self, "id", " ".join(self.id.split())[:100])
        object.__setattr__(self, "name", " ".join(self.name.split())[:100] or self.id)

    def __str__(self) -> str:
        return self.name


def as_actor(staff: str | Actor) -> Actor:
    """An ``Actor``; a bare name (older callers) stands for both its id and its name."""
    if isinstance(staff, Actor):
        return staff
    name = (staff or "").strip() or "unknown"
    return Actor(id=name, name=name)


@dataclass(frozen=True, slots=True)
class ClaimFix:
    """What a customer changes when redeeming again; None = keep."""

    invoice: str | None = None
    sn_photo: str | None = None
    recipient: Recipient | None = None
    serial: str | None = None
    invoice_check: InvoiceFacts | None = None  # the new invoice's pre-check (None: none ran)
    sn_findings: tuple[str, ...] = ()  # the S/N photo read again (see ClaimRequest)


# --------------------------------------------------------------------------- errors
class BackendError(Exception):
    """A domain error the customer is told about: ``key`` is a catalog key."""

    key = "error.backend"

    def __init__(self, key: str | None = None, **params: Any) -> None:
        super().__init__(key or self.key)
        if key:
            self.key = key
        self.params = params


class EmailTaken(BackendError):
    key = "error.email_taken"


class InvalidCredentials(BackendError):
    key = "error.invalid_credentials"


class AccountLocked(BackendError):
    key = "error.account_locked"  # params: minutes


class EmailNotVerified(BackendError):
    key = "error.email_not_verified"


class CodeWrong(BackendError):
    key = "error.code_wrong"  # params: tries_left


class CodeExpired(BackendError):
    """Expired, used up (too many tries or sends), replaced by a newer sign-up, or unknown."""

    key = "error.code_expired"


class ResendTooSoon(BackendError):
    key = "error.resend_too_soon"  # params: seconds


class SerialAlreadyRegistered(BackendError):
    key = "error.serial_taken"  # params: serial; mine: bool


class SerialDisputed(BackendError):
    """Staff tried to approve a claim on a product whose serial an earlier product owns
    (a duplicate found by migration 0005), or in a promotion such a duplicate of the
    product already won: the conflict must be settled first."""

    key = "error.serial_disputed"  # params: claim


class SerialLocked(BackendError):
    """A re-typed serial (resubmit) would move the product's key while another claim of the
    product stands on it (approved, waiting or rejected): that would free the sticker's
    serial for a second registration and a second prize."""

    key = "error.serial_locked"


class NotEligible(BackendError):
    key = "error.not_eligible"


class LimitReached(BackendError):
    key = "error.limit_reached"  # params: limit


class NotFound(BackendError):
    key = "error.not_found"


class InvalidTransition(BackendError):
    key = "error.invalid_transition"


class NoCodesLeft(BackendError):
    key = "error.no_codes_left"


class BackendUnavailable(BackendError):
    key = "error.backend_unavailable"


# --------------------------------------------------------------------------- port
@runtime_checkable
class RedemptionBackend(Protocol):
    """Everything the customer journeys need. All methods are async."""

    # accounts
    async def sign_up(self, data: SignUp) -> EmailChallenge:
        """Create the account unverified (or restart the sign-up of an unverified one: the
        details and password are replaced, earlier codes die) and issue its email code.
        A verified account with the same normalised address: ``EmailTaken``."""
        ...

    async def email_registered(self, email: str) -> bool:
        """Does this address (or the same mailbox spelled another way) belong to a proven
        account? Sign-up asks it at its e-mail step; ``sign_up`` answers the same with
        ``EmailTaken``, so it tells nobody more than sign-up always did."""
        ...

    async def log_in(self, email: str, password: str) -> Member:
        """``EmailNotVerified`` (only once the password is right) for an unverified account."""
        ...

    # one-time codes by email (sign-up and password reset)
    async def resend_code(self, challenge_id: str) -> EmailChallenge:
        """A new code for the same challenge (cool-down: ``ResendTooSoon``)."""
        ...

    async def verify_code(self, challenge_id: str, code: str) -> Member:
        """Sign-up: the account is active. Reset: the new password may be set now.
        ``CodeWrong`` (tries left) or ``CodeExpired``."""
        ...

    async def start_verification(self, email: str, password: str) -> EmailChallenge:
        """An unverified account logging in with the right password: a new sign-up code."""
        ...

    async def start_reset(self, email: str) -> EmailChallenge | None:
        """A reset code for the account with this (normalised) address; ``None`` if none
        (the caller answers the same either way)."""
        ...

    async def reset_password(self, challenge_id: str, password: str) -> Member:
        """Set the password after ``verify_code`` on a reset challenge; the challenge is
        used up, the address counts as verified and any lock-out ends."""
        ...

    async def get_member(self, member_id: str) -> Member: ...
    async def update_member(self, member_id: str, **changes: Any) -> Member: ...

    # products
    async def register_product(self, member_id: str, data: ProductRegistration) -> Product: ...
    async def check_serial(self, member_id: str, serial: str) -> None:
        """Before the rest of a registration is asked: ``SerialAlreadyRegistered`` (param
        ``mine``) when a product already owns the serial's key; a clash with another
        member's product is recorded for staff (``serial_conflicts``)."""
        ...

    async def list_products(self, member_id: str) -> list[Product]: ...
    async def get_product(self, member_id: str, product_id: str) -> Product: ...

    # promotions
    async def list_promotions(self) -> list[Promotion]: ...
    async def get_promotion(self, code: str) -> Promotion: ...
    async def eligibility(self, member_id: str, today: dt.date) -> list[Eligibility]:
        """Every (promotion open today, product of the member) pair, with the reasons
        it cannot be redeemed (empty = redeemable). Promotions whose redeem window is
        closed are left out; products in no promotion's categories are included with
        promotion-independent reasons by ``why_not``."""
        ...

    async def why_not(self, member_id: str, product_id: str, today: dt.date) -> list[Ineligibility]:
        """For a product eligible for no promotion: the specific reasons, per promotion."""
        ...

    # the same, a page at a time: what they cost does not grow with the member's history
    async def product_page(
        self,
        member_id: str,
        today: dt.date,
        offset: int = 0,
        limit: int = 10,
        product_id: str | None = None,
    ) -> ProductPage:
        """``limit`` products from ``offset`` (registration order), the ``eligibility`` rows
        of those products, and the member's product count; ``product_id``: that product
        only, with its rows (total 1; an empty page, total 0, when it is not the member's)."""
        ...

    async def redeemable_promotions(self, member_id: str, today: dt.date) -> list[Promotion]:
        """The promotions open today that at least one of the member's products can be
        redeemed for (catalog order)."""
        ...

    async def redeemable_products(
        self,
        member_id: str,
        promotion: str,
        today: dt.date,
        offset: int = 0,
        limit: int = 10,
        product_id: str | None = None,
    ) -> ProductPage:
        """A page of the products redeemable for ``promotion`` now (registration order) and
        how many there are; ``product_id``: that product only (is it redeemable?)."""
        ...

    # claims
    async def submit_claim(
        self, member_id: str, request: ClaimRequest, idempotency_key: str
    ) -> Claim:
        """Submit a claim. The same ``idempotency_key`` returns the same claim, never a second one."""
        ...

    async def resubmit_claim(
        self, member_id: str, claim_id: str, fix: ClaimFix, idempotency_key: str
    ) -> Claim: ...
    async def list_claims(self, member_id: str) -> list[Claim]: ...
    async def claim_page(self, member_id: str, offset: int = 0, limit: int = 10) -> ClaimPage:
        """``limit`` claims from ``offset``, newest first, and the member's claim count."""
        ...

    async def get_claim(self, member_id: str, claim_id: str) -> Claim: ...
    async def status_history(self, member_id: str, claim_id: str) -> list[ClaimEvent]:
        """Every status the member's claim has had, oldest first (the claim's events: sent,
        rejected with the reason, sent again, approved, shipped with the tracking note...).
        Prize codes are left out (``get_claim`` has the current one)."""
        ...

    # status events for the conversation (an outbox: delivered at least once)
    async def undelivered_events(
        self, member_id: str | None = None, limit: int = 100
    ) -> list[ClaimEvent]: ...
    async def mark_delivered(self, event_ids: list[str]) -> None: ...


#: the review queue's first page (``review list``, ``/queue``) counts the waiting claims up to
#: this many, then says "1,000+": a count bounded like the page, the same cost at 50,000
#: waiting as at 10 (issue 9). ``StaffDesk.waiting_count(cap)``.
WAITING_CAP = 1000


@runtime_checkable
class StaffDesk(Protocol):
    """Staff operations: the review desk of the embedded backend (and of the HTTP one)."""

    async def review_queue(self, limit: int | None = None, after: str | None = None) -> list[Claim]:
        """Claims waiting for review, oldest first; ``limit`` and ``after`` (the id of the
        last claim of the page before) page them."""
        ...

    async def waiting_count(self, cap: int | None = None) -> int:
        """How many claims wait for review. With ``cap``, counting stops past it: the
        figure is exact up to ``cap``, and ``cap + 1`` means "more than ``cap``" (it reads
        at most ``cap + 1`` claims, whatever the queue's length)."""
        ...

    async def review_arrivals(self, after: int | None, limit: int) -> list[ReviewArrival]:
        """Entries into review after ``after`` (None: from the first entry of a claim that
        still waits), in the order they came, at most ``limit``: what the review room has
        not seen yet, read at the same cost whatever the queue's length."""
        ...

    async def approve(self, claim_id: str, staff: str | Actor) -> Claim: ...
    async def reject(
        self, claim_id: str, reason: RejectReason, text: str, staff: str | Actor
    ) -> Claim: ...
    async def mark_shipped(
        self, claim_id: str, staff: str | Actor, tracking: str = ""
    ) -> Claim: ...
    async def import_codes(
        self, promotion: str, codes: list[str], staff: str | Actor | None = None
    ) -> int: ...
    async def code_stock(self, promotion: str) -> int: ...
    async def awaiting_codes(self, promotion: str) -> int:
        """Digital claims approved while the pool was empty, waiting for an import."""
        ...

    async def serial_conflicts(self, limit: int = 100) -> list[SerialConflict]:
        """Recorded serial clashes, newest first."""
        ...

    # the audit trail: who did what to a claim (a look at its personal data included)
    async def record_view(self, claim_id: str, staff: str | Actor) -> None: ...
    async def claim_history(self, claim_id: str) -> list[AuditEntry]: ...


@dataclass(frozen=True, slots=True)
class ClaimStats:
    """Staff decisions on claims since ``since`` (for the staff's /stats)."""

    since: dt.datetime
    approved: int
    rejected: int
    rejections: dict[str, dict[str, int]]  # promotion code -> rejection reason -> how many
    decision_times: tuple[dt.timedelta, ...]  # each decision: from the (re)submission before it

    @property
    def decided(self) -> int:
        return self.approved + self.rejected


@runtime_checkable
class ClaimStatsPort(Protocol):
    """Numbers about staff decisions (the embedded backend: backend/stats.py)."""

    async def claim_stats(self, since: dt.datetime) -> ClaimStats: ...
