"""/stats numbers from the embedded backend (backend/stats.py): decisions since a time,
rejection reasons per promotion, and each decision's time from the (re)submission it answers."""

from __future__ import annotations

import datetime as dt

from backend.port import ClaimFix, ClaimRequest, ClaimStatsPort, RejectReason
from backend.stats import SqlClaimStats
from tests.backend.conftest import product_data, recipient, sign_up_data, signed_up


async def test_decisions_reasons_and_times(env) -> None:
    local, clock = env.local, env.clock
    stats = SqlClaimStats(env.sessionmaker.kw["bind"])  # the backend's engine
    assert isinstance(stats, ClaimStatsPort)
    members = [await signed_up(local, sign_up_data()) for _ in range(3)]  # a limit of 2 each
    products = [await local.register_product(m.id, product_data()) for m in members]
    start = clock.now
    claims = [
        await local.submit_claim(m.id, ClaimRequest("open", p.id, "sha256:sn", recipient()), f"k{i}")
        for i, (m, p) in enumerate(zip(members, products, strict=True))
    ]
    clock.advance(minutes=30)
    await local.reject(claims[0].id, RejectReason.INVOICE_UNREADABLE, "", "sam")
    await local.reject(claims[1].id, RejectReason.INVOICE_UNREADABLE, "", "sam")
    clock.advance(minutes=30)
    await local.approve(claims[2].id, "sam")
    clock.advance(hours=5)
    await local.resubmit_claim(members[0].id, claims[0].id, ClaimFix(invoice="sha256:better"), "r1")
    clock.advance(minutes=10)
    await local.approve(claims[0].id, "kim")

    everything = await stats.claim_stats(start)
    assert (everything.approved, everything.rejected, everything.decided) == (2, 2, 4)
    assert everything.rejections == {"open": {"invoice_unreadable": 2}}
    minutes = sorted(round(t.total_seconds() / 60) for t in everything.decision_times)
    assert minutes == [10, 30, 30, 60]  # the resubmitted claim: from its resubmission, not its first try

    later = await stats.claim_stats(start + dt.timedelta(hours=2))
    assert (later.approved, later.rejected, later.rejections) == (1, 0, {})
