"""What the journeys need from the outside, as Protocols. Adapters live below (storage/,
backend/); the composition root (bot/app.py) plugs them in."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal, Protocol

from backend.port import RedemptionBackend
from states import ConversationKey

if TYPE_CHECKING:
    from handlers.io import Reply
    from storage.workspace import FaqItem


class ImagePort(Protocol):
    async def normalize(
        self, data: bytes, *, filename: str | None, mime: str | None, guest: bool = False
    ) -> bytes:
        """Return a JPEG ready to store, or raise an error with ``.key``/``.params``.
        ``guest``: the chat is not signed in (tighter budget, a lane of its own)."""
        ...


class StickerRead(Protocol):
    """What a sticker photo gave (storage/sticker.py): the serial and CHK or None, the
    serial's ``source`` ("barcode") and ``findings`` (codes: no_barcode, no_serial, ...)."""

    @property
    def serial(self) -> str | None: ...
    @property
    def source(self) -> str | None: ...
    @property
    def chk(self) -> str | None: ...
    @property
    def findings(self) -> tuple[str, ...]: ...


class StickerPort(Protocol):
    async def read_serial(self, data: bytes) -> StickerRead:
        """Read the S/N sticker's barcodes; never raises for a bad picture (findings say why)."""
        ...


class InvoiceRead(Protocol):
    """What the invoice pre-check gave (storage/invoice.py): finding codes (worded by
    handlers/invoice_check.py as check.finding.<code>), the fields ``read`` ("product",
    "date" as YYYY-MM-DD, "store", "invoice_number": defaults to offer), the OCR ``key``
    for duplicates, ``checked`` (False: "unchecked", the claim goes on without it), a PDF's
    page 1 as the staff's ``jpeg``, and ``refused`` (a quality finding: ask for a better
    photo before storing it)."""

    @property
    def findings(self) -> tuple[str, ...]: ...
    @property
    def read(self) -> dict[str, Any]: ...
    @property
    def key(self) -> str | None: ...
    @property
    def checked(self) -> bool: ...
    @property
    def jpeg(self) -> bytes | None: ...
    @property
    def refused(self) -> bool: ...


class InvoiceCheckPort(Protocol):
    async def check_invoice(
        self,
        data: bytes,
        *,
        product: str = "",
        model: str = "",
        date: dt.date | None = None,
        store: str = "",
        window: tuple[dt.date, dt.date] | None = None,
        catalog: Sequence[str] = (),
    ) -> InvoiceRead:
        """Pre-check an invoice photo or PDF against the claim; never raises, never blocks
        beyond its timeout (busy, late or failed: ``checked`` False). ``catalog``: the
        catalog's models; the one the invoice shows is read as its product."""
        ...


class MediaPort(Protocol):
    async def put(self, data: bytes, ext: str = "jpg") -> str: ...
    async def get(self, ref: str) -> bytes: ...


class LinkPort(Protocol):
    async def link(self, member_id: str, key: ConversationKey, locale: str) -> None: ...
    async def unlink(self, key: ConversationKey) -> None: ...
    async def set_locale(self, key: ConversationKey, locale: str) -> None:
        """The chat's language (the customer chose it): its notifications use it."""
        ...

    async def set_member_locale(self, member_id: str, locale: str) -> None:
        """The member chose a language: chats they log in to later speak it too."""
        ...

    async def member_locale(self, member_id: str) -> str | None: ...
    async def keys_for_member(self, member_id: str) -> list[ConversationKey]: ...
    async def member_for(self, key: ConversationKey) -> str | None: ...
    async def end_logins(self, member_id: str, *, keep: ConversationKey | None = None) -> int:
        """End every log-in of ``member_id`` except the chat ``keep`` (all when ``None``)."""
        ...


class EmailUnavailable(Exception):
    """The mail could not be handed to the mail server (the customer may resend later)."""

    key = "email_code.send_failed"


class EmailPort(Protocol):
    """Outbound email. ``demo``: nothing is sent; the journey shows the code in the chat as
    a clearly marked demo message (the embedded default, without SMTP settings)."""

    demo: bool

    async def send(self, to: str, subject: str, body: str) -> None:
        """Hand the mail to the server, or raise :class:`EmailUnavailable`."""
        ...


class TicketRef(Protocol):
    """A support request as the journeys see it: its id."""

    @property
    def id(self) -> int: ...


class SupportPort(Protocol):
    async def open_ticket(
        self, key: ConversationKey, member_id: str | None = None, text: str | None = None
    ) -> TicketRef: ...
    async def add_customer_message(
        self, key: ConversationKey, text: str, *, media_ref: str | None = None
    ) -> object | None: ...
    async def add_message(
        self,
        ticket_id: int,
        sender: Literal["customer", "staff", "system"],
        text: str,
        *,
        staff_name: str | None = None,
        media_ref: str | None = None,
    ) -> object: ...
    async def close_for(self, key: ConversationKey) -> bool: ...
    async def has_open(self, key: ConversationKey) -> bool: ...


class FaqSource(Protocol):
    """The FAQ in the database (seeded from the catalog, taught by staff with /learn)."""

    async def entries(self, locale: str = "en") -> list[FaqItem]: ...


class RatingPort(Protocol):
    """A customer's 1-5 rating after staff closed their support topic."""

    async def rate(self, key: ConversationKey, value: str) -> Reply: ...


class SupportBans(Protocol):
    """Whether staff banned the customer from support (a forum topic's /ban)."""

    async def refused(self, key: ConversationKey, locale: str) -> list[Reply] | None:
        """None: they may write; else what to tell them (the notice once, then nothing)."""
        ...


@dataclass(frozen=True, slots=True)
class Rules:
    """Vendor rules that are configuration, not code."""

    serial_patterns: tuple[str, ...] = ()  # empty: the built-in MSI formats
    max_image_bytes: int = 20 * 1024 * 1024
    # images: bytes before download for chats not signed in, and pictures per chat
    # (count, per seconds) for signed-in customers and for guests (see handlers/images.py)
    guest_max_image_bytes: int = 10 * 1024 * 1024
    image_rate: tuple[int, float] = (10, 60.0)
    guest_image_rate: tuple[int, float] = (3, 60.0)
    # the sign-up consent links (settings PRIVACY_URL, TERMS_URL)
    privacy_url: str = "https://www.msi.com/page/privacy-policy"
    terms_url: str = "https://www.msi.com/page/terms-of-use"


def _utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@dataclass(slots=True)
class Ports:
    backend: RedemptionBackend
    media: MediaPort
    images: ImagePort
    links: LinkPort
    support: SupportPort
    rules: Rules = field(default_factory=Rules)
    secret: bytes = b""  # the server's secret key (keyed digests); the composition root sets it
    email: EmailPort | None = None  # None: demo mode (the code is shown in the chat)
    sticker: StickerPort | None = None  # None: the serial is typed only
    invoice_check: InvoiceCheckPort | None = (
        None  # None: no invoice pre-check (storage/ocr_pool.py)
    )
    faq: FaqSource | None = None  # None: the catalog's FAQ only
    rating: RatingPort | None = None  # None: rating buttons are expired buttons
    bans: SupportBans | None = None  # None: nobody is banned from support

    def __post_init__(self) -> None:
        if len(self.secret) < 32:
            raise ValueError("Ports.secret must be a key of at least 32 bytes")

    clock: Callable[[], dt.datetime] = _utcnow
