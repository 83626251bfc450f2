"""Out of the box: with the packaged catalog a newcomer can finish a claim."""

from __future__ import annotations

import datetime as dt

from backend.catalog import load_catalog
from backend.local import LocalBackend
from backend.port import ClaimRequest, ClaimStatus
from bot.config import PACKAGED_PROMOTIONS
from storage.db import make_engine, make_sessionmaker
from tests.backend.conftest import (
    FakeClock,
    cheap_hasher,
    prepare_db,
    product_data,
    recipient,
    sign_up_data,
    signed_up,
)


async def test_newcomer_claims_a_demo_code(tmp_path):
    url = await prepare_db(tmp_path / "demo.db")
    engine = make_engine(url)
    clock = FakeClock(dt.datetime(2026, 1, 15, 9, 0, tzinfo=dt.UTC))
    backend = LocalBackend(
        make_sessionmaker(engine), load_catalog(PACKAGED_PROMOTIONS), clock, hasher=cheap_hasher()
    )
    try:
        await backend.start()
        await backend.start()  # idempotent: no duplicate codes
        assert await backend.code_stock("levelup") == 50
        member = await signed_up(backend, sign_up_data())
        card = await backend.register_product(
            member.id,
            product_data(category="Graphics Card", purchase_date=dt.date(2026, 1, 10)),
        )
        offers = [e for e in await backend.eligibility(member.id, clock().date()) if e.ok]
        assert [e.promotion.code for e in offers] == ["levelup"]
        claim = await backend.submit_claim(
            member.id, ClaimRequest("levelup", card.id, "sha256:sn", recipient()), "k"
        )
        done = await backend.approve(claim.id, "demo")
        assert done.status is ClaimStatus.SUCCESS
        assert done.prize_code.startswith("DEMO-")
        assert await backend.code_stock("levelup") == 49
    finally:
        await engine.dispose()
