"""The same claim journey with BACKEND=http: the bot talks to a vendor backend over the
documented API (here the embedded backend served by backend/server.py on 127.0.0.1)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from aiohttp.test_utils import TestServer

from backend.catalog import load_catalog
from backend.http import HttpBackend
from backend.local import LocalBackend
from backend.server import make_app
from bot.app import App, build_app
from bot.config import PACKAGED_PROMOTIONS
from storage.db import make_engine, make_sessionmaker
from storage.migrate import upgrade
from tests.conftest import Chat, make_settings
from tests.conversation.journeys import redeem, register_product, sign_up

TOKEN = "vendor-api-test-token"


@pytest.fixture
async def vendor(tmp_path, clock) -> AsyncIterator[str]:
    url = f"sqlite+aiosqlite:///{tmp_path / 'vendor.db'}"
    await upgrade(url)
    engine = make_engine(url)
    backend = LocalBackend(make_sessionmaker(engine), load_catalog(PACKAGED_PROMOTIONS), clock)
    await backend.start()
    server = TestServer(make_app(backend, TOKEN), host="127.0.0.1")
    await server.start_server()
    yield str(server.make_url("")).rstrip("/")
    await server.close()
    await engine.dispose()


@pytest.fixture
async def http_app(tmp_path, clock, vendor: str) -> AsyncIterator[App]:
    settings = make_settings(tmp_path, BACKEND="http", BACKEND_URL=vendor, BACKEND_TOKEN=TOKEN)
    application = await build_app(settings, clock=clock)
    yield application
    await application.close()


async def test_claim_journey_over_the_http_backend(http_app: App) -> None:
    assert isinstance(http_app.backend, HttpBackend)
    chat = Chat(http_app)
    await sign_up(chat)
    await register_product(chat)
    assert "qualifies for" in chat.text_all
    await redeem(chat)
    claim = (await http_app.desk.review_queue())[0]
    await http_app.desk.approve(claim.id, "vendor-staff")
    news = await chat.notifications()
    assert news and news[0].key == "notify.success" and "DEMO-" in news[0].text


async def test_unreachable_backend_is_told_kindly_and_nothing_is_lost(tmp_path, clock) -> None:
    settings = make_settings(tmp_path, BACKEND="http", BACKEND_URL="http://127.0.0.1:9", BACKEND_TOKEN=TOKEN,
                             BACKEND_TIMEOUT="2")
    app = await build_app(settings, clock=clock)
    try:
        chat = Chat(app)
        await chat.command("signup")
        for value in ("jo@example.com", "Jo", "Doe", "Germany", "+49 30 1234567"):
            await chat.text(value)
        await chat.tap("Yes")
        await chat.tap("Yes")
        await chat.tap("I agree")
        await chat.tap("Confirm")
        await chat.text("Good-passw0rd")
        await chat.text("Good-passw0rd")
        assert chat.keys[0] == "error.backend_unavailable", chat.text_all
        session = await app.sessions.load(chat.key)
        assert session.forms["signup"]["email"] == "jo@example.com"
        assert "error.unexpected" not in chat.keys
    finally:
        await app.close()
