"""The code pool seen from the review room: warnings when a digital promotion's unused codes
drop below ``CODE_STOCK_WARN`` and when none are left (claims then wait approved, and get
their code at the next import), and ``/import PROMO`` with the codes as text or a CSV/text
file. Codes are money: they are counted, never logged nor echoed."""

from __future__ import annotations

import csv
import io
from collections.abc import Awaitable, Callable
from typing import Any

from backend.port import Claim, ClaimStatus, PrizeKind
from handlers.i18n import Catalog
from handlers.io import Reply
from handlers.staff import StaffIdentity, StaffRoom

MAX_IMPORT_BYTES = 2_000_000  # a file of codes: some ten thousand lines
HEADERS = frozenset({"code", "codes", "key", "keys", "prize_code"})


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
        self, desk: Any, catalog: Catalog, locale: str = "en", *, warn_below: int = 10
    ) -> None:
        self.desk, self.catalog, self.locale, self.warn_below = desk, catalog, locale, warn_below

    def say(self, key: str, **params: Any) -> Reply:
        return Reply(text=self.catalog.text(self.locale, key, **params), key=key)

    async def after_approval(self, claim: Claim) -> list[Reply]:
        """The warning an approval calls for: the pool just dropped below the threshold, it
        just ran out, or the claim waits for a code. Stateless: a code is taken per approval,
        so one approval sees the count cross the line."""
        if claim.prize_kind is not PrizeKind.DIGITAL:
            return []
        if claim.status is ClaimStatus.APPROVED:
            waiting = await self.awaiting(claim.promotion)
            return [self.say("review.pool_waiting", promotion=claim.promotion, waiting=waiting)]
        left = await self.desk.code_stock(claim.promotion)
        if left == 0:
            return [self.say("review.pool_empty", promotion=claim.promotion)]
        if left == self.warn_below - 1:
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
        codes = parse_codes(document if document is not None else f"{inline}\n{rest}")
        if not codes:
            return [self.say("review.import_usage")]
        before = await self.awaiting(promotion)
        added = await self.desk.import_codes(promotion, codes, who.actor)
        served = before - await self.awaiting(promotion)
        left = await self.desk.code_stock(promotion)
        return [
            self.say(
                "review.imported",
                promotion=promotion,
                added=added,
                known=len(codes) - added,
                served=served,
                left=left,
            )
        ]


def install(
    room: StaffRoom, pool: CodePool, stats: Callable[[], Awaitable[str]] | None = None
) -> None:
    """Add ``/import`` (codes as text) and ``/stats`` to the staff room's commands; both pass
    the room's staff check like every other command."""

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
            replies += await pool.after_approval(await finder(claim_id))
        return replies

    room.commands["approve"] = approve_command
    if stats is not None:
        stats_text = stats

        async def stats_command(args: str, who: StaffIdentity) -> list[Reply]:
            return [Reply(text=await stats_text(), key="workspace.stats")]

        room.commands["stats"] = stats_command
