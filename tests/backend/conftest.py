"""Fixtures for the backend contract tests: one temp SQLite per test, two adapters.

``backend`` is parametrized: the embedded ``LocalBackend`` itself, and ``HttpBackend``
talking to ``backend.server`` (serving that same LocalBackend) on 127.0.0.1.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from aiohttp.test_utils import TestServer
from argon2 import PasswordHasher
from sqlalchemy.ext.asyncio import async_sessionmaker

from backend.catalog import Catalog, parse_catalog
from backend.http import HttpBackend
from backend.local import LocalBackend
from backend.port import Member, ProductRegistration, Recipient, SignUp
from backend.server import make_app
from storage.db import Base, make_engine, make_sessionmaker

TOKEN = "test-token-not-a-secret"
START = dt.datetime(2025, 3, 1, 12, 0, tzinfo=dt.UTC)
MAX_FAILURES = 3
LOCK_MINUTES = 10


class FakeClock:
    """A clock the tests move by hand; each reading ticks 1 ms so events keep their order."""

    def __init__(self, now: dt.datetime) -> None:
        self.now = now

    def __call__(self) -> dt.datetime:
        self.now += dt.timedelta(milliseconds=1)
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += dt.timedelta(**delta)


def _promo(code: str, **over: Any) -> dict[str, Any]:
    base = {
        "code": code,
        "name": code.replace("-", " ").title(),
        "categories": ["Motherboard"],
        "purchase_from": "2025-01-01",
        "purchase_to": "2025-12-31",
        "redeem_from": "2025-01-01",
        "redeem_to": "2026-06-30",
        "regions": [],
        "models": [],
        "per_member_limit": 2,
        "prize_kind": "digital",
        "prize_name": "Steam code",
    }
    return base | over


TEST_CATALOG: dict[str, Any] = {
    "version": 1,
    "product_categories": ["Motherboard", "Graphics Card", "Monitor", "Gaming Chair", "Laptop"],
    "promotions": [
        _promo(
            "open",
            name="Open Upgrade",
            categories=["Motherboard", "Graphics Card", "Monitor"],
            demo_codes={"prefix": "TEST", "count": 5},
        ),
        _promo(
            "chair",
            name="Chair Deal",
            categories=["Gaming Chair"],
            regions=["Germany", "France"],
            per_member_limit=1,
            prize_kind="physical",
            prize_name="Gaming chair",
            purchase_from="2024-06-01",
            redeem_from="2024-06-01",
            redeem_to="2025-12-31",
        ),
        _promo("models", name="Model Monitors", categories=["Monitor"], models=["MAG 27CQ"]),
        _promo(
            "closed",
            name="Old Times",
            purchase_from="2024-01-01",
            purchase_to="2024-06-30",
            redeem_from="2024-01-01",
            redeem_to="2024-07-31",
        ),
        _promo("future", name="Soon", redeem_from="2025-06-01", redeem_to="2025-12-31"),
    ],
}


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(START)


@pytest.fixture
def catalog() -> Catalog:
    return parse_catalog(TEST_CATALOG, source="test")


async def prepare_db(path: Path) -> str:
    """A migrated temp SQLite database (Alembic if storage.migrate exists, else create_all)."""
    url = f"sqlite+aiosqlite:///{path}"
    try:
        from tests.fast_setup import upgrade  # the migrations, copied after the first
    except ModuleNotFoundError:  # pragma: no cover - before the migration runner existed
        import storage.backend_models  # noqa: F401

        engine = make_engine(url)
        async with engine.begin() as conn:
            await conn.run_sync(Base.metadata.create_all)
        await engine.dispose()
    else:
        await upgrade(url)
    return url


def cheap_hasher() -> PasswordHasher:
    return PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)


@dataclass
class Env:
    local: LocalBackend
    sessionmaker: async_sessionmaker
    clock: FakeClock


@pytest.fixture
async def env(tmp_path: Path, clock: FakeClock, catalog: Catalog) -> AsyncIterator[Env]:
    url = await prepare_db(tmp_path / "backend.db")
    engine = make_engine(url)
    sm = make_sessionmaker(engine)
    local = LocalBackend(
        sm,
        catalog,
        clock,
        max_failures=MAX_FAILURES,
        lock_minutes=LOCK_MINUTES,
        hasher=cheap_hasher(),
    )
    await local.start()
    try:
        yield Env(local, sm, clock)
    finally:
        await local.close()
        await engine.dispose()


@pytest.fixture
async def server(env: Env) -> AsyncIterator[TestServer]:
    """The embedded backend served over HTTP on 127.0.0.1 (the API under test)."""
    srv = TestServer(make_app(env.local, TOKEN), host="127.0.0.1")
    await srv.start_server()
    try:
        yield srv
    finally:
        await srv.close()


@pytest.fixture(params=["local", "http"])
async def backend(request: pytest.FixtureRequest, env: Env) -> AsyncIterator[Any]:
    """The adapter under test (both ports on one object: customer side and staff desk)."""
    if request.param == "local":
        yield env.local
        return
    srv = TestServer(make_app(env.local, TOKEN), host="127.0.0.1")
    await srv.start_server()
    client = HttpBackend(str(srv.make_url("")), TOKEN, timeout=10)
    try:
        yield client
    finally:
        await client.close()
        await srv.close()


# --------------------------------------------------------------------------- builders
_seq = itertools.count(1)


def sign_up_data(email: str | None = None, **over: Any) -> SignUp:
    n = next(_seq)
    base = {
        "email": email or f"user{n}@example.com",
        "password": "correct horse battery",
        "first_name": "Jamie",
        "last_name": "Tester",
        "region": "Germany",
        "phone": "+49 30 1234567",
        "newsletter": False,
        "reward_program": False,
        "privacy_consent": True,
    }
    return SignUp(**(base | over))


def product_data(serial: str | None = None, **over: Any) -> ProductRegistration:
    n = next(_seq)
    base = {
        "category": "Motherboard",
        "product_name": "MEG Z890 ACE",
        "model": "E96-0R1",
        "serial": serial or f"BA3T{n:07d}V",
        "chk": "123",
        "region": "Germany",
        "store": "Computer Shop",
        "purchase_date": dt.date(2025, 2, 10),
        "channel": "retail",
        "invoice": f"sha256:invoice{n}",
    }
    return ProductRegistration(**(base | over))


def recipient(**over: Any) -> Recipient:
    base = {
        "first_name": "Jamie",
        "last_name": "Tester",
        "zip": "10115",
        "city": "Berlin",
        "state": "Berlin",
        "street": "Teststr. 1",
        "unit": "",
        "phone": "+49 30 1234567",
    }
    return Recipient(**(base | over))


async def signed_up(backend: Any, data: SignUp | None = None) -> Member:
    """Sign up and type the emailed code: an active (verified) member."""
    challenge = await backend.sign_up(data or sign_up_data())
    return await backend.verify_code(challenge.id, challenge.code)
