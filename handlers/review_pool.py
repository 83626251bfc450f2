"""The code pool seen from the review room: warnings when a digital promotion's unused codes
drop below ``CODE_STOCK_WARN`` and when none are left (claims then wait approved, and get
their code at the next import), and ``/import PROMO`` with the codes as text or a CSV/text
file. Codes are money: they are counted, never logged nor echoed."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Awaitable, Callable
from typing import Any, Protocol

from backend.port import Claim, ClaimStatus, PrizeKind
from handlers.i18n import Catalog
from handlers.io import Reply
from handlers.staff import StaffIdentity, StaffRoom

MAX_IMPORT_BYTES = 2_000_000  # a file of codes: some ten thousand lines
HEADERS = frozenset({"code", "codes", "key", "keys", "prize_code"})
CODE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:/+=-]{3,63}")  # what a vendor's code looks like


class PoolMarks(Protocol):
    """The pool's last seen level per promotion (``storage.review_desk``)."""

    async def cross(self, promotion: str, level: str) -> bool: ...


def split_codes(text: str) -> tuple[list[str], int]:
    """(codes, junk): the lines that look like a code, and how many do not (a word, a
    sentence, a line too long or too short); a header line is neither."""
    codes, junk = [], 0
    for value in parse_codes(text):
        if CODE.fullmatch(value):
            codes.append(value)
        else:
            junk += 1
    return codes, junk


def decode(data: bytes) -> str | None:
    """A file of codes as text (UTF-8, with or without a BOM); None when it is not text."""
    if len(data) > MAX_IMPORT_BYTES or b"\0" in data:
        return None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None


def parse_codes(text: str) -> list[str]:
    """Codes from text or CSV: one per line, the first column; a header line is skipped."""
    sample = text[:4096]
    try:
        dialect: Any = (
            csv.Sniffer().sniff(sample, delimiters=",;\t")
            if "," in sample or ";" in sample or "\t" in sample
            else csv.excel
        )
    except csv.Error:
        dialect = csv.excel
    codes = []
    for row in csv.reader(io.StringIO(text), dialect):
        first = row[0].strip().strip('"').strip() if row else ""
        if first and first.lower() not in HEADERS:
            codes.append(first)
    return codes


class CodePool:
    def __init__(
        self,
        desk: Any,
        catalog: Catalog,
        locale: str = "en",
        *,
        warn_below: int = 10,
        marks: PoolMarks | None = None,
    ) -> None:
        self.desk, self.catalog, self.locale, self.warn_below = desk, catalog, locale, warn_below
        self.marks = marks

    def level(self, left: int) -> str:
        return "empty" if left <= 0 else "low" if left < self.warn_below else "ok"

    async def crossed(self, promotion: str, left: int) -> bool:
        """Record the pool's level; True when it just got worse (warn once per crossing).
        Without marks: the approval that took the pool one below the threshold, or to 0."""
        if self.marks is not None:
            return await self.marks.cross(promotion, self.level(left))
        return left == 0 or left == self.warn_below - 1

    def say(self, key: str, **params: Any) -> Reply:
        return Reply(text=self.catalog.text(self.locale, key, **params), key=key)

    async def after_approval(self, claim: Claim) -> list[Reply]:
        """The warning an approval calls for: the pool just dropped below the threshold, it
        just ran out, or the claim waits for a code. Stateless: a code is taken per approval,
        so one approval sees the count cross the line."""
        if claim.prize_kind is not PrizeKind.DIGITAL:
            return []
        left = await self.desk.code_stock(claim.promotion)
        if not await self.crossed(claim.promotion, left):
            return []
        if claim.status is ClaimStatus.APPROVED:  # it found none: it waits for an import
            waiting = await self.awaiting(claim.promotion)
            return [self.say("review.pool_waiting", promotion=claim.promotion, waiting=waiting)]
        if left == 0:
            return [self.say("review.pool_empty", promotion=claim.promotion)]
        if left < self.warn_below:
            return [
                self.say(
                    "review.pool_low", promotion=claim.promotion, left=left, warn=self.warn_below
                )
            ]
        return []

    async def awaiting(self, promotion: str) -> int:
        counter = getattr(self.desk, "awaiting_codes", None)
        return int(await counter(promotion)) if counter is not None else 0

    async def import_codes(
        self, args: str, who: StaffIdentity, document: str | None = None
    ) -> list[Reply]:
        """``/import PROMO`` then the codes (the rest of the message, or ``document``)."""
        promotion, _, rest = args.strip().partition("\n")
        promotion, _, inline = promotion.strip().partition(" ")
        if not promotion:
            return [self.say("review.import_usage")]
        codes, junk = split_codes(document if document is not None else f"{inline}\n{rest}")
        if not codes:
            key = "review.import_junk" if junk else "review.import_usage"
            return [self.say(key, promotion=promotion, junk=junk)]
        before = await self.awaiting(promotion)
        added = await self.desk.import_codes(promotion, codes, who.actor)
        served = before - await self.awaiting(promotion)
        left = await self.desk.code_stock(promotion)
        await self.crossed(promotion, left)  # back above the line: the next drop warns again
        return [
            self.say(
                "review.imported",
                promotion=promotion,
                added=added,
                known=len(codes) - added,
                served=served,
                left=left,
                junk=junk,
            )
        ]

    async def import_file(
        self, args: str, who: StaffIdentity, data: bytes | None, filename: str
    ) -> list[Reply]:
        """``/import PROMO`` as a file's caption: the file (``.txt`` or ``.csv``) holds the
        codes; ``data`` None: it could not be downloaded."""
        if not filename.lower().endswith((".txt", ".csv")):
            return [self.say("review.import_file_kind")]
        text = decode(data) if data is not None else None
        if text is None:
            return [self.say("review.import_file_unreadable")]
        return await self.import_codes(args.split("\n", 1)[0], who, document=text)


Warn = Callable[[list[Reply]], Awaitable[bool]]


def install(
    room: StaffRoom,
    pool: CodePool,
    stats: Callable[[], Awaitable[str]] | None = None,
    warn: Warn | None = None,
) -> None:
    """Add ``/import`` (codes as text) and ``/stats`` to the staff room's commands; both pass
    the room's staff check like every other command. ``warn``: where the pool's warnings
    after a typed ``/approve`` go (the review room, as after a button; True when posted
    there); without it, or when it could not take them, they follow the answer."""

    async def import_command(args: str, who: StaffIdentity) -> list[Reply]:
        return await pool.import_codes(args, who)

    room.commands["import"] = import_command
    typed_approve = room.commands["approve"]

    async def approve_command(args: str, who: StaffIdentity) -> list[Reply]:
        """/approve as before, then the pool's warning (an approval by command takes a code
        just as one by button does)."""
        replies = await typed_approve(args, who)
        claim_id = args.strip()
        finder = getattr(pool.desk, "find_claim", None)
        if replies and claim_id and finder is not None and replies[0].key == "staff.approved":
            warnings = await pool.after_approval(await finder(claim_id))
            if warnings and (warn is None or not await warn(warnings)):
                replies += warnings
        return replies

    room.commands["approve"] = approve_command
    if stats is not None:
        stats_text = stats

        async def stats_command(args: str, who: StaffIdentity) -> list[Reply]:
            return [Reply(text=await stats_text(), key="workspace.stats")]

        room.commands["stats"] = stats_command
