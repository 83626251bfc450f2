"""/stats: claims waiting, decided today, rejection reasons per promotion, median times to a
first answer and to a decision, topics and tickets open, codes left per promotion. Read
through the ports; nothing here is kept."""

from __future__ import annotations

import datetime as dt
import statistics
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from backend.port import BackendError, ClaimStatsPort, PrizeKind, RedemptionBackend
from handlers.i18n import Catalog
from storage.workspace import TopicStore

WINDOW_DAYS = 30  # rejection reasons and median times: over this many days


@dataclass(frozen=True, slots=True)
class Stats:
    waiting: int
    decided_today: int
    rejections: dict[str, dict[str, int]]
    median_first_answer: dt.timedelta | None
    median_decision: dt.timedelta | None
    topics_open: int
    tickets_open: int
    codes_left: dict[str, int]


def median(times: Sequence[dt.timedelta]) -> dt.timedelta | None:
    return (
        dt.timedelta(seconds=statistics.median(t.total_seconds() for t in times)) if times else None
    )


class StatsDesk:
    def __init__(
        self,
        *,
        desk: Any,  # the StaffDesk: review_queue, code_stock
        backend: RedemptionBackend,
        claim_stats: ClaimStatsPort,
        topics: TopicStore,
        support: Any,  # the SupportStore (tickets of a group that is not a forum)
        catalog: Catalog,
        now: Callable[[], dt.datetime],
        locale: str = "en",
    ) -> None:
        self.desk, self.backend, self.claim_stats = desk, backend, claim_stats
        self.topics, self.support, self.catalog, self.now, self.locale = (
            topics,
            support,
            catalog,
            now,
            locale,
        )

    async def collect(self, *, day_start: dt.datetime | None = None) -> Stats:
        """The numbers now; "today" starts at ``day_start`` (default: midnight UTC)."""
        now = self.now()
        today = day_start or now.replace(hour=0, minute=0, second=0, microsecond=0)
        window = now - dt.timedelta(days=WINDOW_DAYS)
        recent = await self.claim_stats.claim_stats(window)
        decided_today = (await self.claim_stats.claim_stats(today)).decided
        codes: dict[str, int] = {}
        for promotion in await self.backend.list_promotions():
            if promotion.prize_kind is PrizeKind.DIGITAL:
                try:
                    codes[promotion.code] = await self.desk.code_stock(promotion.code)
                except BackendError:
                    continue
        return Stats(
            waiting=await self.desk.waiting_count(),
            decided_today=decided_today,
            rejections=recent.rejections,
            median_first_answer=median(await self.topics.answer_times(window)),
            median_decision=median(recent.decision_times),
            topics_open=await self.topics.count_open(),
            tickets_open=len(await self.support.list_open(limit=10_000)),
            codes_left=codes,
        )

    async def text(self) -> str:
        return self.render(await self.collect())

    def render(self, s: Stats) -> str:
        t, loc = self.catalog.text, self.locale
        none = t(loc, "workspace.stats_none")
        reasons = [
            t(
                loc,
                "workspace.stats_reason",
                promotion=p,
                reasons=", ".join(
                    f"{r} {n}" for r, n in sorted(rs.items(), key=lambda x: (-x[1], x[0]))
                ),
            )
            for p, rs in sorted(s.rejections.items())
        ]
        codes = [
            t(loc, "workspace.stats_codes", promotion=p, count=n)
            for p, n in sorted(s.codes_left.items())
        ]
        return t(
            loc,
            "workspace.stats",
            waiting=s.waiting,
            decided_today=s.decided_today,
            topics_open=s.topics_open,
            tickets_open=s.tickets_open,
            first_answer=self.duration(s.median_first_answer),
            decision=self.duration(s.median_decision),
            days=WINDOW_DAYS,
            reasons="\n".join(reasons) or none,
            codes="\n".join(codes) or none,
        )

    def duration(self, d: dt.timedelta | None) -> str:
        if d is None:
            return self.catalog.text(self.locale, "workspace.stats_unknown")
        minutes = int(d.total_seconds() // 60)
        if minutes >= 60:
            return self.catalog.text(
                self.locale,
                "workspace.stats_hours",
                hours=minutes // 60,
                minutes=f"{minutes % 60:02d}",
            )
        return self.catalog.text(self.locale, "workspace.stats_minutes", minutes=minutes)


__all__ = ["Stats", "StatsDesk", "WINDOW_DAYS", "median"]
