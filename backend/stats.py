"""Staff decisions in numbers, read from the embedded backend's tables (for /stats).

:class:`SqlClaimStats` implements :class:`backend.port.ClaimStatsPort`: who approved or
rejected what is in the audit trail (``staff_audit``, written with the decision), the
(re)submission a decision answers is the claim's latest ``under_review`` event before it.
A new module so the local backend can delegate to it (``LocalBackend.claim_stats``).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict

from sqlalchemy import Connection, select
from sqlalchemy.ext.asyncio import AsyncEngine

from backend.port import ClaimStats
from storage.backend_models import ClaimEventRow, ClaimRow
from storage.models import StaffAudit

DECISIONS = ("approve", "reject")
UNDER_REVIEW = "under_review"
CHUNK = 500  # ids per IN (...)


class SqlClaimStats:
    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    async def claim_stats(self, since: dt.datetime) -> ClaimStats:
        async with self._engine.connect() as conn:
            return await conn.run_sync(_stats, since)


def _stats(conn: Connection, since: dt.datetime) -> ClaimStats:
    a = StaffAudit.__table__
    decisions = conn.execute(
        select(a.c.subject_id, a.c.action, a.c.details, a.c.at)
        .where(a.c.subject_kind == "claim", a.c.action.in_(DECISIONS), a.c.at >= since)
        .order_by(a.c.id)
    ).all()
    ids = sorted({d.subject_id for d in decisions})
    promotion: dict[str, str] = {}
    created: dict[str, dt.datetime] = {}
    submitted: dict[str, list[dt.datetime]] = defaultdict(list)
    c, e = ClaimRow.__table__, ClaimEventRow.__table__
    for start in range(0, len(ids), CHUNK):
        part = ids[start : start + CHUNK]
        for r in conn.execute(
            select(c.c.id, c.c.promotion, c.c.created_at).where(c.c.id.in_(part))
        ):
            promotion[r.id], created[r.id] = r.promotion, r.created_at
        events = select(e.c.claim_id, e.c.at).where(
            e.c.claim_id.in_(part), e.c.status == UNDER_REVIEW
        )
        for claim_id, at in conn.execute(events):
            submitted[claim_id].append(at)
    reasons: dict[str, Counter[str]] = defaultdict(Counter)
    times: list[dt.timedelta] = []
    approved = rejected = 0
    for d in decisions:
        if d.action == "approve":
            approved += 1
        else:
            rejected += 1
            reasons[promotion.get(d.subject_id, "?")][(d.details or "other").split()[0]] += 1
        before = [at for at in submitted.get(d.subject_id, []) if at <= d.at]
        start_at = max(before) if before else created.get(d.subject_id)
        if start_at is not None:
            times.append(d.at - start_at)
    return ClaimStats(
        since, approved, rejected, {p: dict(r) for p, r in reasons.items()}, tuple(times)
    )


__all__ = ["SqlClaimStats"]
