"""The webhook receiver refuses a body nested deeper than any update (400), without parsing
it into a RecursionError; a real update still goes through."""

from __future__ import annotations

import logging
from typing import Any

import aiohttp

from bot.channels.telegram_runner import SECRET_HEADER, WebhookServer
from tests.telegram.conftest import free_port

SECRET = "s3cret_Token-1"


async def test_a_100000_deep_body_is_refused(caplog) -> None:
    fed: list[dict[str, Any]] = []

    async def feed(data: dict[str, Any]) -> None:
        fed.append(data)

    port = free_port()
    server = WebhookServer(f"127.0.0.1:{port}", "/hook", SECRET, feed)
    await server.start()
    url = f"http://127.0.0.1:{port}/hook"
    try:
        with caplog.at_level(logging.DEBUG):
            async with aiohttp.ClientSession(headers={SECRET_HEADER: SECRET}) as http:
                for body in (
                    "[" * 100_000 + "]" * 100_000,
                    '{"update_id": 1, "x": ' + "[" * 100_000 + "]" * 100_000 + "}",
                ):
                    async with http.post(url, data=body) as resp:
                        assert (resp.status, await resp.text()) == (400, "bad json")
                async with http.post(url, json={"update_id": 2, "message": {"text": "hi"}}) as resp:
                    assert resp.status == 200
        await server.stop()
    finally:
        await server.stop()
    assert [d["update_id"] for d in fed] == [2]
    assert "RecursionError" not in caplog.text
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR], caplog.text
