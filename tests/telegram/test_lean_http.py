"""Our lean HTTP client (``bot/channels/telegram/lean_http.py``), the wire's JSON calls and the
poller on it, against real servers on 127.0.0.1: an aiohttp server, and a raw asyncio one
for what aiohttp would not send (odd framing, resets, a body cut to single bytes).

What matters most: a request that may have reached the server is never posted again by us
(a ``sendMessage`` must not arrive twice), and is reported as ``Transient``; only a request
that surely never left is ``NotSent``. Every wait here is on an event, none on time.
"""

from __future__ import annotations

import asyncio
import gzip
import json
import logging
import socket
import ssl
import subprocess
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web

from bot.channels.telegram.common import Blocked, NotSent, Rejected, RetryLater, Transient
from bot.channels.telegram.lean_http import HttpFailure, LeanHttp
from bot.channels.telegram.receiver import Poller, PollError
from bot.channels.telegram.wire import HttpWire

TOKEN = "123456789:AAH" + "x" * 32
MESSAGE = {"message_id": 5, "date": 1, "chat": {"id": 7, "type": "private"}, "text": "hi"}
OK = json.dumps({"ok": True, "result": MESSAGE}).encode()

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


@dataclass
class Api:
    """An aiohttp server standing in for the Bot API: answers by method name (``answers``),
    records every request and which connection (client port) it came on."""

    base: str = ""
    answers: dict[str, Handler] = field(default_factory=dict)
    seen: list[tuple[str, Any, int]] = field(default_factory=list)  # method, body, client port

    async def handle(self, request: web.Request) -> web.StreamResponse:
        method = request.match_info["method"]
        raw = await request.read()
        ctype = request.headers.get("Content-Type", "")
        body = json.loads(raw) if ctype.startswith("application/json") else raw
        peer = request.transport.get_extra_info("peername")[1]  # type: ignore[union-attr]
        self.seen.append((method, body, peer))
        assert request.match_info["bot"] == f"bot{TOKEN}"
        answer = self.answers.get(method)
        if answer is not None:
            return await answer(request)
        return web.Response(body=OK, content_type="application/json")

    def methods(self) -> list[str]:
        return [method for method, _, _ in self.seen]

    def ports(self) -> list[int]:
        return [port for _, _, port in self.seen]


async def _serve(
    api: Api, ssl_context: ssl.SSLContext | None = None
) -> AsyncIterator[web.AppRunner]:
    app = web.Application()
    app.router.add_route("*", "/{bot}/{method}", api.handle)
    app.router.add_get("/file/{bot}/{path:.*}", _a_file)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0, ssl_context=ssl_context)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]  # noqa: SLF001
    api.base = f"{'https' if ssl_context else 'http'}://127.0.0.1:{port}"
    try:
        yield runner
    finally:
        await runner.cleanup()


async def _a_file(request: web.Request) -> web.StreamResponse:
    assert request.match_info["bot"] == f"bot{TOKEN}"
    path = request.match_info["path"]
    if path == "missing":
        return web.Response(status=404)
    return web.Response(body=f"file {path}".encode())


@pytest.fixture
async def api() -> AsyncIterator[Api]:
    server = Api()
    async for _ in _serve(server):
        yield server


def json_answer(status: int, payload: Any, **headers: str) -> Handler:
    async def answer(request: web.Request) -> web.StreamResponse:
        body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
        return web.Response(status=status, body=body, headers=headers)

    return answer


# ----------------------------------------------------------------------------- the basics
async def test_calls_reuse_one_connection(api: Api) -> None:
    client = LeanHttp(api.base)
    try:
        for n in range(5):
            status, body = await client.request(
                "POST", f"/bot{TOKEN}/sendMessage", json.dumps({"n": n}).encode(), timeout=70
            )
            assert (status, json.loads(body)) == (200, {"ok": True, "result": MESSAGE})
        assert client.connections == 1
        assert len(set(api.ports())) == 1
        assert [body for _, body, _ in api.seen] == [{"n": n} for n in range(5)]
    finally:
        await client.close()


async def test_a_base_path_prefixes_every_call(api: Api) -> None:
    app_base = api.base
    api.answers["getMe"] = json_answer(200, {"ok": True, "result": {"id": 1}})
    wire = HttpWire(app_base + "/", TOKEN)
    try:
        assert await wire.call("getMe", {}) == {"id": 1}
    finally:
        await wire.close()


async def test_chunked_answers_are_read(api: Api) -> None:
    async def chunked(request: web.Request) -> web.StreamResponse:
        response = web.StreamResponse(headers={"Content-Type": "application/json"})
        response.enable_chunked_encoding()
        await response.prepare(request)
        for piece in (OK[:10], OK[10:11], OK[11:]):
            await response.write(piece)
        await response.write_eof()
        return response

    api.answers["sendMessage"] = chunked
    wire = HttpWire(api.base, TOKEN)
    try:
        for _ in range(3):  # and the connection stays usable after a chunked body
            assert await wire.call("sendMessage", {"chat_id": 7, "text": "hi"}) == MESSAGE
        assert len(set(api.ports())) == 1
    finally:
        await wire.close()


@pytest.mark.parametrize(
    ("status", "payload", "error"),
    [
        (
            429,
            {
                "ok": False,
                "error_code": 429,
                "description": "Too Many Requests",
                "parameters": {"retry_after": 7},
            },
            RetryLater,
        ),  # fmt: skip
        (403, {"ok": False, "error_code": 403, "description": "Forbidden: blocked"}, Blocked),
        (500, {"ok": False, "error_code": 500, "description": "Internal"}, Transient),
        (400, {"ok": False, "error_code": 400, "description": "Bad Request: x"}, Rejected),
        (502, b"<html>Bad Gateway</html>", Transient),
        (429, b"slow down", Transient),
        (404, b"not found", Rejected),
        (200, b"not json", Transient),
    ],
)
async def test_answers_map_as_answer_of_does(
    api: Api, status: int, payload: Any, error: type
) -> None:
    api.answers["sendMessage"] = json_answer(status, payload)
    wire = HttpWire(api.base, TOKEN)
    try:
        with pytest.raises(error) as caught:
            await wire.call("sendMessage", {"chat_id": 7, "text": "hi"})
        assert type(caught.value) is error  # a Transient answer is never NotSent
        if error is RetryLater:
            assert caught.value.seconds == 7
        assert TOKEN not in str(caught.value)
        assert api.methods() == ["sendMessage"]  # asked once, never again by the client
    finally:
        await wire.close()


async def test_files_and_downloads_stay_on_aiohttp(api: Api) -> None:
    api.answers["sendPhoto"] = json_answer(200, {"ok": True, "result": MESSAGE})
    wire = HttpWire(api.base, TOKEN)
    try:
        assert await wire.call("sendPhoto", {"chat_id": 7}, {"photo": ("p.jpg", b"\xff\xd8")})
        method, body, _ = api.seen[0]
        assert method == "sendPhoto" and b"\xff\xd8" in body and b'name="chat_id"' in body
        assert await wire.file("photos/file_1.jpg") == b"file photos/file_1.jpg"
        with pytest.raises(Rejected):
            await wire.file("missing")
    finally:
        await wire.close()


# ----------------------------------------------------------------------------- connections
async def test_connection_close_opens_a_fresh_connection(api: Api) -> None:
    api.answers["sendMessage"] = json_answer(
        200, {"ok": True, "result": MESSAGE}, Connection="close"
    )
    client = LeanHttp(api.base)
    try:
        for _ in range(3):
            status, _body = await client.request(
                "POST", f"/bot{TOKEN}/sendMessage", b"{}", timeout=70
            )
            assert status == 200
        assert len(set(api.ports())) == 3  # each on its own connection
        assert api.methods() == ["sendMessage"] * 3  # and each asked once
    finally:
        await client.close()


async def test_an_idle_close_by_the_server_is_skipped_never_written_to() -> None:
    closed = asyncio.Event()
    requests: list[bytes] = []

    async def answer_once_then_close(
        reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> None:
        requests.append(await _read_request(reader))
        writer.write(_response(OK))
        await writer.drain()
        writer.close()  # an idle close: the connection is kept alive by the client
        await writer.wait_closed()
        closed.set()

    async with _raw_server(answer_once_then_close) as base:
        client = LeanHttp(base)
        try:
            await client.request("POST", "/a", b"{}", timeout=70)
            await closed.wait()
            while client.connections:  # until the client has seen the close (an event)
                await asyncio.sleep(0)
            status, _ = await client.request("POST", "/b", b"{}", timeout=70)
            assert status == 200
            assert [r.split(b" ")[1] for r in requests] == [b"/a", b"/b"]  # /b asked once
        finally:
            await client.close()


async def test_a_reset_after_the_request_left_is_transient_and_not_repeated() -> None:
    requests: list[bytes] = []

    async def reset(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        requests.append(await _read_request(reader))
        sock = writer.get_extra_info("socket")
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
        writer.transport.abort()  # RST

    async with _raw_server(reset) as base:
        wire = HttpWire(base, TOKEN)
        try:
            with pytest.raises(Transient) as caught:
                await wire.call("sendMessage", {"chat_id": 7, "text": "once"})
            assert not isinstance(caught.value, NotSent)  # it may have been carried out
            assert len(requests) == 1  # the client never posted it twice
            assert TOKEN not in str(caught.value)
        finally:
            await wire.close()


async def test_a_disconnect_without_an_answer_is_transient() -> None:
    async def hang_up(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await _read_request(reader)
        writer.write(b'HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n{"ok":')
        await writer.drain()
        writer.close()

    async with _raw_server(hang_up) as base:
        client = LeanHttp(base)
        try:
            with pytest.raises(HttpFailure) as caught:
                await client.request("POST", "/x", b"{}", timeout=70)
            assert caught.value.sent is True
            assert client.connections == 0
        finally:
            await client.close()


async def test_refused_connection_is_not_sent() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # closed again: nobody listens there
    wire = HttpWire(f"http://127.0.0.1:{port}", TOKEN)
    try:
        with pytest.raises(NotSent) as caught:
            await wire.call("sendMessage", {"chat_id": 7, "text": "hi"})
        assert TOKEN not in str(caught.value) and "bot" not in str(caught.value)
    finally:
        await wire.close()


async def test_connect_timeout_is_not_sent(api: Api) -> None:
    client = LeanHttp(api.base, connect_timeout=0)
    try:
        with pytest.raises(HttpFailure) as caught:
            await client.request("POST", "/x", b"{}", timeout=70)
        assert (caught.value.sent, caught.value.reason) == (False, "ConnectionTimeoutError")
        assert api.seen == [] and client.connections == 0
    finally:
        await client.close()


async def test_a_call_past_its_deadline_is_transient_and_its_connection_dropped(api: Api) -> None:
    arrived, release = asyncio.Event(), asyncio.Event()

    async def slow(request: web.Request) -> web.StreamResponse:
        arrived.set()
        await release.wait()
        return web.Response(body=OK)

    api.answers["slow"] = slow
    client = LeanHttp(api.base)
    try:
        with pytest.raises(HttpFailure) as caught:
            await client.request("POST", f"/bot{TOKEN}/slow", b"{}", timeout=0.01)
        assert (caught.value.sent, caught.value.reason) == (True, "TimeoutError")
        await arrived.wait()  # it did reach the server
        assert client.connections == 0  # a late answer can never be read as another's
        release.set()
        status, _ = await client.request("POST", f"/bot{TOKEN}/getMe", b"{}", timeout=70)
        assert status == 200
    finally:
        release.set()
        await client.close()


async def test_a_cancelled_call_drops_its_connection(api: Api) -> None:
    arrived, release = asyncio.Event(), asyncio.Event()

    async def slow(request: web.Request) -> web.StreamResponse:
        arrived.set()
        await release.wait()
        return web.Response(body=OK)

    api.answers["slow"] = slow
    client = LeanHttp(api.base)
    try:
        call = asyncio.create_task(client.request("POST", f"/bot{TOKEN}/slow", b"{}", timeout=70))
        await arrived.wait()
        call.cancel()
        with pytest.raises(asyncio.CancelledError):
            await call
        assert client.connections == 0
        release.set()
        status, body = await client.request("POST", f"/bot{TOKEN}/getMe", b"{}", timeout=70)
        assert (status, body) == (200, OK)
    finally:
        release.set()
        await client.close()


async def test_connections_per_host_are_bounded(api: Api) -> None:
    inside, release = 0, asyncio.Event()
    most = 0
    two_in = asyncio.Event()

    async def held(request: web.Request) -> web.StreamResponse:
        nonlocal inside, most
        inside += 1
        most = max(most, inside)
        if inside == 2:
            two_in.set()
        await release.wait()
        inside -= 1
        return web.Response(body=OK)

    api.answers["held"] = held
    client = LeanHttp(api.base, limit=2)
    try:
        calls = [
            asyncio.create_task(client.request("POST", f"/bot{TOKEN}/held", b"{}", timeout=70))
            for _ in range(6)
        ]
        await two_in.wait()
        assert client.connections == 2 and len(api.seen) == 2
        release.set()
        assert [status for status, _ in await asyncio.gather(*calls)] == [200] * 6
        assert most == 2 and len(set(api.ports())) == 2
    finally:
        release.set()
        await client.close()


async def test_no_free_connection_before_the_deadline_is_not_sent(api: Api) -> None:
    arrived, release = asyncio.Event(), asyncio.Event()

    async def held(request: web.Request) -> web.StreamResponse:
        arrived.set()
        await release.wait()
        return web.Response(body=OK)

    api.answers["held"] = held
    client = LeanHttp(api.base, limit=1)
    try:
        first = asyncio.create_task(client.request("POST", f"/bot{TOKEN}/held", b"{}", timeout=70))
        await arrived.wait()
        with pytest.raises(HttpFailure) as caught:
            await client.request("POST", f"/bot{TOKEN}/other", b"{}", timeout=0.01)
        assert (caught.value.sent, caught.value.reason) == (False, "PoolTimeout")
        release.set()
        assert (await first)[0] == 200
        assert api.methods() == ["held"]  # the other never left
    finally:
        release.set()
        await client.close()


async def test_close_ends_every_connection(api: Api) -> None:
    client = LeanHttp(api.base)
    await client.request("POST", f"/bot{TOKEN}/getMe", b"{}", timeout=70)
    assert client.connections == 1
    await client.close()
    assert client.connections == 0
    with pytest.raises(HttpFailure) as caught:
        await client.request("POST", f"/bot{TOKEN}/getMe", b"{}", timeout=70)
    assert caught.value.sent is False


# ----------------------------------------------------------------------------- framing
@pytest.mark.parametrize(
    "response",
    [
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
        b"5;ext=1\r\n"
        + OK[:5]
        + b"\r\n"
        + hex(len(OK) - 5)[2:].encode()
        + b"\r\n"
        + OK[5:]
        + b"\r\n0\r\nX-Trailer: 1\r\n\r\n",
        b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: "
        + str(len(OK)).encode()
        + b"\r\n\r\n"
        + OK,
        b"HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: "
        + str(len(gzip.compress(OK))).encode()
        + b"\r\n\r\n"
        + gzip.compress(OK),
    ],
    ids=["chunked-extensions-trailers", "interim-100", "gzip"],
)
async def test_framing_read_one_byte_at_a_time(response: bytes) -> None:
    async def dribble(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        for _ in range(2):  # twice on the same connection
            await _read_request(reader)
            for i in range(len(response)):
                writer.write(response[i : i + 1])
                await writer.drain()
        writer.close()

    async with _raw_server(dribble) as base:
        client = LeanHttp(base)
        try:
            for _ in range(2):
                assert await client.request("POST", "/x", b"{}", timeout=70) == (200, OK)
        finally:
            await client.close()


async def test_a_body_delimited_by_the_end_of_the_connection() -> None:
    async def until_eof(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await _read_request(reader)
        writer.write(b"HTTP/1.0 200 OK\r\n\r\n" + OK)
        await writer.drain()
        writer.close()

    async with _raw_server(until_eof) as base:
        client = LeanHttp(base)
        try:
            assert await client.request("POST", "/x", b"{}", timeout=70) == (200, OK)
            assert client.connections == 0
        finally:
            await client.close()


@pytest.mark.parametrize(
    "response",
    [
        b"garbage\r\n\r\n",
        b"HTTP/1.1 200 OK\r\nContent-Length: x\r\n\r\n",
        b"HTTP/1.1 200 OK\r\nbad\r\n\r\n",
    ],
)
async def test_a_malformed_answer_is_transient(response: bytes) -> None:
    async def bad(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await _read_request(reader)
        writer.write(response)
        await writer.drain()
        await reader.read()  # until the client hangs up

    async with _raw_server(bad) as base:
        wire = HttpWire(base, TOKEN)
        try:
            with pytest.raises(Transient) as caught:
                await wire.call("sendMessage", {"chat_id": 7, "text": "hi"})
            assert not isinstance(caught.value, NotSent)
        finally:
            await wire.close()


async def test_the_request_is_well_formed(api: Api) -> None:
    wire = HttpWire(api.base, TOKEN)
    try:
        params = {"chat_id": 7, "text": "Grüße 🎁 \ud800", "reply_markup": {"inline_keyboard": []}}
        await wire.call("sendMessage", params)
        assert api.seen[0][1] == params  # lone surrogates and all: JSON escapes survive
    finally:
        await wire.close()


# ----------------------------------------------------------------------------- https
@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(  # noqa: S603
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "2",
            "-keyout",
            str(key),
            "-out",
            str(cert),
            "-subj",
            "/CN=127.0.0.1",
            "-addext",
            "subjectAltName=IP:127.0.0.1",
        ],  # fmt: skip
        check=True,
        capture_output=True,
    )
    return cert, key


async def test_https_with_a_trusted_certificate(certificate: tuple[Path, Path]) -> None:
    cert, key = certificate
    server_context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server_context.load_cert_chain(cert, key)
    api = Api()
    async for _ in _serve(api, server_context):
        trusting = ssl.create_default_context(cafile=str(cert))
        wire = HttpWire(api.base, TOKEN, ssl_context=trusting)
        try:
            for _ in range(3):
                assert await wire.call("sendMessage", {"chat_id": 7, "text": "tls"}) == MESSAGE
            assert len(set(api.ports())) == 1
        finally:
            await wire.close()
        # the system's CAs do not know this certificate: refused before anything was sent
        default = HttpWire(api.base, TOKEN)
        try:
            with pytest.raises(NotSent) as caught:
                await default.call("sendMessage", {"chat_id": 7, "text": "never"})
            assert "Certificate" in str(caught.value) or "SSL" in str(caught.value)
            assert TOKEN not in str(caught.value)
        finally:
            await default.close()
        assert len(api.seen) == 3


# ----------------------------------------------------------------------------- the poller
class _NoReceiver:
    async def wait_for_room(self) -> None:
        return None


async def test_the_poll_reads_updates_and_says_once_it_is_sent(api: Api) -> None:
    updates = [{"update_id": 10, "message": MESSAGE}, {"update_id": 11, "message": MESSAGE}]
    api.answers["getUpdates"] = json_answer(200, {"ok": True, "result": updates})
    polling: list[str] = []
    poller = Poller(
        api.base, TOKEN, _NoReceiver(),  # type: ignore[arg-type]
        allowed_updates=["message"], polling=lambda: polling.append("sent"),
    )  # fmt: skip
    try:
        assert await poller._get(10) == updates  # noqa: SLF001
        poller.offset = 12
        assert await poller._get(10) == updates  # noqa: SLF001
        assert polling == ["sent"]
        bodies = [body for _, body, _ in api.seen]
        assert bodies[0] == {"timeout": 10, "limit": 100, "allowed_updates": ["message"]}
        assert bodies[1]["offset"] == 12
        assert len(set(api.ports())) == 1
    finally:
        await poller._close()  # noqa: SLF001


@pytest.mark.parametrize(
    ("status", "payload", "retry"),
    [
        (
            429,
            {
                "ok": False,
                "error_code": 429,
                "description": "Too Many",
                "parameters": {"retry_after": 3},
            },
            3.0,
        ),  # fmt: skip
        (502, b"<html>Bad Gateway</html>", None),
        (409, {"ok": False, "error_code": 409, "description": "Conflict"}, None),
    ],
)
async def test_a_failed_poll_is_a_poll_error(
    api: Api, status: int, payload: Any, retry: float | None, caplog: pytest.LogCaptureFixture
) -> None:
    api.answers["getUpdates"] = json_answer(status, payload)
    poller = Poller(api.base, TOKEN, _NoReceiver(), allowed_updates=[])  # type: ignore[arg-type]
    caplog.set_level(logging.DEBUG)
    try:
        with pytest.raises(PollError) as caught:
            await poller._get(10)  # noqa: SLF001
        assert caught.value.retry_after == retry
        assert TOKEN not in str(caught.value)
    finally:
        await poller._close()  # noqa: SLF001
    assert TOKEN not in caplog.text


async def test_a_poll_to_nowhere_is_a_poll_error_without_the_token() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    poller = Poller(f"http://127.0.0.1:{port}", TOKEN, _NoReceiver(), allowed_updates=[])  # type: ignore[arg-type]
    try:
        with pytest.raises(PollError) as caught:
            await poller._get(10)  # noqa: SLF001
        assert str(caught.value) == "ConnectionRefusedError"
    finally:
        await poller._close()  # noqa: SLF001


# ----------------------------------------------------------------------------- raw server
class _raw_server:  # noqa: N801 - used as ``async with _raw_server(handler) as base``
    def __init__(
        self, handler: Callable[[asyncio.StreamReader, asyncio.StreamWriter], Awaitable[None]]
    ) -> None:
        self.handler = handler
        self.server: asyncio.Server | None = None

    async def __aenter__(self) -> str:
        self.server = await asyncio.start_server(self.handler, "127.0.0.1", 0)
        return f"http://127.0.0.1:{self.server.sockets[0].getsockname()[1]}"

    async def __aexit__(self, *exc: object) -> None:
        assert self.server is not None
        self.server.close()


async def _read_request(reader: asyncio.StreamReader) -> bytes:
    head = await reader.readuntil(b"\r\n\r\n")
    length = next(
        int(line.split(b":", 1)[1])
        for line in head.split(b"\r\n")
        if line.lower().startswith(b"content-length:")
    )
    return head + await reader.readexactly(length)


def _response(body: bytes) -> bytes:
    return b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n%s" % (len(body), body)


async def test_the_wire_opens_again_after_close(api: Api) -> None:
    wire = HttpWire(api.base, TOKEN)
    try:
        assert await wire.call("sendMessage", {"chat_id": 7, "text": "a"}) == MESSAGE
        await wire.close()
        assert await wire.call("sendMessage", {"chat_id": 7, "text": "b"}) == MESSAGE
        assert len(set(api.ports())) == 2  # a fresh connection after the close
    finally:
        await wire.close()
