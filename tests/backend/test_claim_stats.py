"""/stats numbers from the embedded backend (backend/stats.py): decisions since a time,
rejection reasons per promotion, and each decision's time from the (re)submission it answers."""

from __future__ import annotations

import datetime as dt

from backend.port import ClaimFix, ClaimRequest, ClaimStatsPort, RejectReason
from backend.stats import SqlClaimStats
from handlers.i18n import Catalog
from handlers.staff import StaffIdentity, StaffPolicy, StaffRoom
from handlers.workspace.commands import TopicDesk
from handlers.workspace.desk import Workspace
from handlers.workspace.stats import StatsDesk
from states import ConversationKey
from states.audit import StaffNote
from states.support_hours import parse_hours
from storage.db import make_engine
from storage.links import SupportStore
from storage.migrate import upgrade
from storage.workspace import FaqStore, PairStore, TopicStore
from tests.backend.conftest import product_data, recipient, sign_up_data, signed_up


async def test_decisions_reasons_and_times(env) -> None:
    local, clock = env.local, env.clock
    stats = SqlClaimStats(env.sessionmaker.kw["bind"])  # the backend's engine
    assert isinstance(stats, ClaimStatsPort)
    members = [await signed_up(local, sign_up_data()) for _ in range(3)]  # a limit of 2 each
    products = [await local.register_product(m.id, product_data()) for m in members]
    start = clock.now
    claims = [
        await local.submit_claim(
            m.id, ClaimRequest("open", p.id, "sha256:sn", recipient()), f"k{i}"
        )
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
    assert minutes == [
        10,
        30,
        30,
        60,
    ]  # the resubmitted claim: from its resubmission, not its first try

    later = await stats.claim_stats(start + dt.timedelta(hours=2))
    assert (later.approved, later.rejected, later.rejections) == (1, 0, {})


async def test_stats_desk_and_the_stats_command(env, tmp_path) -> None:
    """/stats in a topic: every number from the real stores and the embedded backend."""
    local, clock = env.local, env.clock
    bot_url = f"sqlite+aiosqlite:///{tmp_path / 'bot' / 'bot.db'}"
    await upgrade(bot_url)
    engine = make_engine(bot_url)
    topics, faq, pairs, support = (
        TopicStore(engine, now=clock),
        FaqStore(engine, now=clock),
        PairStore(engine, now=clock),
        SupportStore(engine),
    )
    catalog = Catalog()
    try:
        members = [await signed_up(local, sign_up_data()) for _ in range(3)]
        products = [await local.register_product(m.id, product_data()) for m in members]
        claims = [
            await local.submit_claim(
                m.id, ClaimRequest("open", p.id, "sha256:sn", recipient()), f"s{i}"
            )
            for i, (m, p) in enumerate(zip(members, products, strict=True))
        ]
        clock.advance(minutes=20)
        await local.approve(claims[0].id, "sam")
        await local.reject(claims[1].id, RejectReason.SN_PHOTO_ON_PACKAGE, "", "sam")
        key = ConversationKey("telegram", "42", "42")
        await support.open_ticket(key, None, "a ticket in a plain group")
        ws = Workspace(
            topics,
            faq,
            catalog,
            pairs=pairs,
            room="-1",
            hours=parse_hours(""),
            sla=dt.timedelta(minutes=60),
            now=clock,
        )

        async def create(name: str) -> str:
            return "5"

        topic = (
            await ws.customer_message(
                key, display="Jamie", locale="en", member_id=None, create=create, text="hello"
            )
        ).topic
        clock.advance(minutes=12)
        await topics.staff_answered(topic.id, "hi!", StaffNote("answer", "telegram:777", "@sam"))
        desk = StatsDesk(
            desk=local,
            backend=local,
            claim_stats=SqlClaimStats(env.sessionmaker.kw["bind"]),
            topics=topics,
            support=support,
            catalog=catalog,
            now=clock,
        )
        stats = await desk.collect()
        assert (stats.waiting, stats.decided_today, stats.topics_open, stats.tickets_open) == (
            1,
            2,
            1,
            1,
        )
        assert stats.rejections == {"open": {"sn_photo_on_package": 1}}
        assert round(stats.median_first_answer.total_seconds() / 60) == 12
        assert round(stats.median_decision.total_seconds() / 60) == 20
        assert stats.codes_left["open"] == 4  # 5 demo codes, one given out

        policy = StaffPolicy("-1", frozenset({"777"}))
        room = StaffRoom(local, support, catalog, policy=policy)
        topic_desk = TopicDesk(ws, room, backend=local, stats=desk.text)
        shown = await topic_desk.handle(
            "/stats", StaffIdentity("telegram", "777", "@sam", room="-1"), topic
        )
        assert [r.key for r in shown.staff] == ["workspace.stats"]
        text = shown.staff[0].text
        assert (
            "Claims waiting: 1" in text
            and "open: sn_photo_on_package 1" in text
            and "open: 4" in text
        )
        assert "12 min" in text and "20 min" in text
        refused = await topic_desk.handle(
            "/stats", StaffIdentity("telegram", "666", "@x", room="-1"), topic
        )
        assert [r.key for r in refused.staff] == ["staff.not_staff"]
    finally:
        for store in (topics, faq, pairs, support):
            await store.close()
        await engine.dispose()
