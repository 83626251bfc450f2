"""Digital promotions' code pools: import (deduplicated), allocate one to a claim (each
code to one claim: compare-and-set on its free slot), count what is left."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from backend.local.audit import audit
from backend.local.context import Context
from backend.local.events import chunks
from backend.local.validation import check_len, invalid
from backend.port import Actor, BackendError, PrizeKind, Promotion
from storage.backend_models import PrizeCodeRow


def allocate(s: Session, promotion: str, claim_id: str, now: dt.datetime) -> str | None:
    """Give the next unused code of ``promotion`` to ``claim_id`` (None: pool empty)."""
    for _ in range(10):
        free = s.execute(
            select(PrizeCodeRow.id, PrizeCodeRow.code)
            .where(PrizeCodeRow.promotion == promotion, PrizeCodeRow.claim_id.is_(None))
            .order_by(PrizeCodeRow.id)
            .limit(1)
        ).first()
        if free is None:
            return None
        taken = s.execute(
            update(PrizeCodeRow)
            .where(PrizeCodeRow.id == free.id, PrizeCodeRow.claim_id.is_(None))
            .values(claim_id=claim_id, allocated_at=now)
            .execution_options(synchronize_session=False)
        )
        if taken.rowcount == 1:  # type: ignore[attr-defined]
            return str(free.code)
    return None


class PrizeCodes:
    """The staff desk's code pool calls."""

    def __init__(self, ctx: Context) -> None:
        self._ctx = ctx

    async def import_codes(
        self, promotion: str, codes: list[str], staff: str | Actor | None = None
    ) -> int:
        """Add codes to a digital promotion's pool, skipping blanks and known codes; who did
        it and how many were added go to the audit trail (never the codes)."""
        self._digital(promotion)
        wanted = list(dict.fromkeys(c.strip() for c in codes if c and c.strip()))
        for code in wanted:
            check_len("code", code)
        for _attempt in range(3):
            try:
                return await self._ctx.write(lambda s: self._insert(s, promotion, wanted, staff))
            except IntegrityError:
                continue  # a concurrent import added some of them: recompute
        raise BackendError("error.backend")

    def _digital(self, promotion: str) -> Promotion:
        p = self._ctx.catalog.get(promotion)
        if p.prize_kind is not PrizeKind.DIGITAL:
            raise invalid("promotion")
        return p

    def _insert(
        self, s: Session, promotion: str, wanted: list[str], staff: str | Actor | None
    ) -> int:
        known: set[str] = set()
        for chunk in chunks(wanted, 500):
            known.update(s.scalars(select(PrizeCodeRow.code).where(PrizeCodeRow.code.in_(chunk))))
        new = [c for c in wanted if c not in known]
        s.add_all(PrizeCodeRow(promotion=promotion, code=c) for c in new)
        if staff is not None:
            s.add(
                audit(
                    "promotion",
                    promotion,
                    "import_codes",
                    staff,
                    f"{len(new)} added",
                    self._ctx.now(),
                )
            )
        s.commit()
        return len(new)

    async def code_stock(self, promotion: str) -> int:
        self._ctx.catalog.get(promotion)
        query = (
            select(func.count())
            .select_from(PrizeCodeRow)
            .where(PrizeCodeRow.promotion == promotion, PrizeCodeRow.claim_id.is_(None))
        )
        return await self._ctx.read(lambda s: int(s.scalar(query) or 0))
