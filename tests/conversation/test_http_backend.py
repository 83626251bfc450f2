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
from tests.conversation.journeys import redeem, register_product, sign_up, sign_up_to_password

TOKEN = "vendor-api-test-token"


class Vendor:
    """The vendor's backend server, which a test can take down and bring back."""

    def __init__(self, backend: LocalBackend) -> None:
        self.backend = backend
        self.server: TestServer | None = None
        self.port: int | None = None

    async def start(self) -> None:
        self.server = TestServer(make_app(self.backend, TOKEN), host="127.0.0.1", port=self.port)
        await self.server.start_server()
        self.port = self.server.port

    async def stop(self) -> None:
        if self.server is not None:
            await self.server.close()
            self.server = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


@pytest.fixture
async def vendor(tmp_path, clock) -> AsyncIterator[Vendor]:
    url = f"sqlite+aiosqlite:///{tmp_path / 'vendor.db'}"
    await upgrade(url)
    engine = make_engine(url)
    backend = LocalBackend(make_sessionmaker(engine), load_catalog(PACKAGED_PROMOTIONS), clock)
    await backend.start()
    server = Vendor(backend)
    await server.start()
    yield server
    await server.stop()
    await engine.dispose()


@pytest.fixture
async def http_app(tmp_path, clock, vendor: Vendor) -> AsyncIterator[App]:
    settings = make_settings(
        tmp_path, BACKEND="http", BACKEND_URL=vendor.url, BACKEND_TOKEN=TOKEN, BACKEND_TIMEOUT="3"
    )
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
    await chat.command("status")
    await chat.tap("Details: GeForce RTX 5070 GAMING TRIO")  # the history, over the API too
    details = chat.replies[-1].text
    assert "25 Nov 2026 · Sent" in details and "25 Nov 2026 · Redeem Success" in details


async def test_unreachable_backend_is_told_kindly_and_nothing_is_lost(tmp_path, clock) -> None:
    settings = make_settings(
        tmp_path,
        BACKEND="http",
        BACKEND_URL="http://127.0.0.1:9",
        BACKEND_TOKEN=TOKEN,
        BACKEND_TIMEOUT="2",
    )
    app = await build_app(settings, clock=clock)
    try:
        chat = Chat(app)
        await sign_up_to_password(chat)
        await chat.text("Better-vault-7-kite")
        await chat.text("Better-vault-7-kite")
        assert chat.keys[0] == "error.backend_unavailable", chat.text_all
        session = await app.sessions.load(chat.key)
        assert session.forms["signup"]["email"] == "jo@example.com"
        assert "error.unexpected" not in chat.keys
    finally:
        await app.close()


async def test_backend_outage_mid_step_is_undone_and_explained(
    http_app: App, vendor: Vendor
) -> None:
    from tests.conversation.test_fields import form_values, walk_registration_to

    chat = Chat(http_app)
    await sign_up(chat)
    await walk_registration_to(chat, "reg.invoice")
    await chat.photo()
    before = await form_values(chat, "register")
    await vendor.stop()
    await chat.tap("Confirm")
    assert chat.keys[0] == "error.backend_unavailable", chat.text_all
    assert await chat.current_state() == "reg.summary"
    assert await form_values(chat, "register") == before
    await vendor.start()
    await chat.tap("Confirm")
    assert chat.keys[0] == "reg.done", chat.text_all
