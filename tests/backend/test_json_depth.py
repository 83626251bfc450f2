"""Deeply nested JSON: the backend API answers 400 in its error shape (field ``body``), never a
500 with a RecursionError in the log; the HTTP client treats such a response as a bad one."""

from __future__ import annotations

import logging
import re

import aiohttp
import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer

from backend.http import HttpBackend
from backend.port import BackendUnavailable
from backend.server import ROUTES
from backend.wire import MAX_JSON_DEPTH, TooDeep, json_depth, loads
from tests.backend.conftest import TOKEN

DEEP = 100_000
HEADERS = {
    "Authorization": f"Bearer {TOKEN}",
    "Idempotency-Key": "k1",
    "Content-Type": "application/json",
}


def nested(depth: int, open_: str = "[", close: str = "]", inner: str = "") -> str:
    return open_ * depth + inner + close * depth


def deep_object(depth: int) -> str:
    return '{"a":' * depth + "1" + "}" * depth


NO_BODY = {"/email-codes/{challenge_id}/resend"}  # reads no body, so parses none
BODY_ROUTES = [
    (method, path)
    for method, path, _ in ROUTES
    if method in ("POST", "PATCH") and path not in NO_BODY
]


@pytest.mark.parametrize(("method", "path"), BODY_ROUTES)
@pytest.mark.parametrize(
    "body",
    [nested(DEEP), deep_object(DEEP), '{"ids": ' + nested(DEEP) + "}"],
    ids=["array", "object", "inside"],
)
async def test_a_100000_deep_body_is_a_400(
    server, caplog, method: str, path: str, body: str
) -> None:
    url = server.make_url("/v1" + re.sub(r"\{[a-z_]+\}", "x1", path.replace("{code}", "levelup")))
    with caplog.at_level(logging.DEBUG):
        async with (
            aiohttp.ClientSession(headers=HEADERS) as http,
            http.request(method, url, data=body) as resp,
        ):
            assert resp.status == 400, await resp.text()
            assert (await resp.json())["error"] == {
                "key": "error.invalid_field",
                "params": {"field": "body"},
                "type": "BackendError",
            }
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING or r.exc_info], (
        caplog.text
    )
    assert "RecursionError" not in caplog.text


async def test_just_deep_enough_is_parsed_and_one_more_is_refused(server) -> None:
    async with aiohttp.ClientSession(headers=HEADERS) as http:
        url = server.make_url("/v1/events/delivered")
        ok = '{"ids": ' + nested(MAX_JSON_DEPTH - 1) + "}"
        async with http.post(url, data=ok) as resp:  # parsed; then the field is the wrong shape
            assert (resp.status, (await resp.json())["error"]["params"]) == (400, {"field": "ids"})
        async with http.post(url, data='{"ids": []}') as resp:
            assert resp.status == 204
        async with http.post(url, data='{"ids": ' + nested(MAX_JSON_DEPTH) + "}") as resp:
            assert (await resp.json())["error"]["params"] == {"field": "body"}


@pytest.mark.parametrize(
    ("text", "depth"),
    [
        ("1", 0),
        ("[]", 1),
        ("[[],[[]]]", 3),
        ('{"a": {"b": [1, {"c": 2}]}}', 4),
        ('"[[[["', 0),
        ('["\\"[[", "]]]"]', 1),
        ('{"k": "\\\\", "v": [[]]}', 3),
        ('["\\u005b"]', 1),
    ],
)
def test_depth_ignores_brackets_in_strings(text: str, depth: int) -> None:
    assert json_depth(text) == depth


def test_loads_bounds_depth_without_recursing() -> None:
    assert loads('{"a": [1, "[[[[[["]}') == {"a": [1, "[[[[[["]}
    assert loads(nested(MAX_JSON_DEPTH).encode()) is not None
    for body in (nested(DEEP), deep_object(DEEP), nested(MAX_JSON_DEPTH + 1)):
        with pytest.raises(TooDeep):
            loads(body)
    with pytest.raises(ValueError):
        loads(nested(DEEP)[:-1])  # unbalanced as well


async def test_client_refuses_a_deep_response() -> None:
    async def promotions(request: web.Request) -> web.Response:
        return web.Response(
            text='{"promotions": ' + nested(DEEP) + "}", content_type="application/json"
        )

    app = web.Application()
    app.router.add_get("/v1/promotions", promotions)
    srv = TestServer(app, host="127.0.0.1")
    await srv.start_server()
    try:
        async with HttpBackend(str(srv.make_url("")), TOKEN, timeout=5) as client:
            with pytest.raises(BackendUnavailable) as info:
                await client.list_promotions()
        assert info.value.params == {"reason": "bad_response"}
    finally:
        await srv.close()


async def test_a_body_over_1_mib_is_a_413_in_the_error_shape(server, caplog) -> None:
    body = '{"codes": ["' + "A" * (1024**2) + '"]}'
    with caplog.at_level(logging.DEBUG):
        async with (
            aiohttp.ClientSession(headers=HEADERS) as http,
            http.post(server.make_url("/v1/staff/promotions/levelup/codes"), data=body) as resp,
        ):
            assert resp.status == 413
            assert (await resp.json())["error"] == {
                "key": "error.http",
                "params": {"status": 413},
                "type": "BackendError",
            }
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING or r.exc_info], (
        caplog.text
    )


@pytest.mark.parametrize("escape", ["\\ud800", "\\udfff", "\\u0000", "a\\ud800b"])
@pytest.mark.parametrize("where", ["value", "key", "list"])
async def test_lone_surrogates_and_nul_in_a_body_are_a_400(
    server, caplog, escape: str, where: str
) -> None:
    """JSON escapes can spell text no database stores: refused at the edge, not a 500."""
    body = {
        "value": '{"email": "jo%s@example.com", "password": "x"}',
        "key": '{"em%sail": "jo@example.com", "password": "x"}',
        "list": '{"ids": ["e1", "%s"]}',
    }[where] % escape
    path = "/v1/events/delivered" if where == "list" else "/v1/sessions"
    with caplog.at_level(logging.DEBUG):
        async with (
            aiohttp.ClientSession(headers=HEADERS) as http,
            http.post(server.make_url(path), data=body) as resp,
        ):
            assert resp.status == 400, await resp.text()
            assert (await resp.json())["error"]["params"] == {"field": "body"}
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING or r.exc_info], (
        caplog.text
    )


async def test_valid_escapes_still_work(server) -> None:
    body = (
        '{"email": "j\\u00f6@example.com", "password": "pw \\ud83d\\ude00\\n\\t"}'  # ö, a pair: 😀
    )
    async with (
        aiohttp.ClientSession(headers=HEADERS) as http,
        http.post(server.make_url("/v1/sessions"), data=body) as resp,
    ):
        assert (await resp.json())["error"][
            "type"
        ] == "InvalidCredentials"  # parsed, checked, refused as usual
