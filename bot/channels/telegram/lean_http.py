"""A lean keep-alive HTTP/1.1 client for the Bot API's JSON calls (issue 9).

Almost every Bot API call of a turn (a reply, an edit, ``answerCallbackQuery``) and the
``getUpdates`` poll is one small JSON POST to one host. aiohttp's ``ClientSession`` spends
most of its CPU per call on generality this path never uses (URL objects, header
multidicts, tracing, cookie jars, per-call timer objects, response objects with streams):
``bench/bench_http.py`` measures it against this client. Here, per call:

- the request is one ``write``: request line, headers and body built as one ``bytes``;
- the response is parsed from the transport's buffer: status line, the few headers that
  matter (``Content-Length``, ``Transfer-Encoding: chunked``, ``Connection``,
  ``Content-Encoding``), the body; one timer per call for the deadline.

Connections: one pool per client (one host), at most ``limit`` open, reused most recent
first, closed after ``idle_expiry`` seconds unused, and dropped when the server closes them
(``Connection: close``, an idle close, a reset). A call fails with :class:`HttpFailure`,
whose ``sent`` says whether the request may have reached the server: ``False`` only when it
surely never left (no connection, the connect or TLS handshake failed or timed out, no free
connection within the deadline, a pooled connection found closed before anything was
written to it: such a one is skipped, never written to). Once written, a failure is
``sent=True`` and is never retried here: a ``sendMessage`` must not be posted twice by us.

Failures never carry the URL (the Bot API's holds the token): their message is a type name.
Files (multipart) and file downloads stay on aiohttp (wire.py).
"""

from __future__ import annotations

import asyncio
import ssl
import zlib
from collections import deque
from collections.abc import Callable
from urllib.parse import quote, urlsplit

CONNECT_TIMEOUT = 10.0
IDLE_EXPIRY = 15.0  # below the idle close of common servers (nginx 75 s, aiohttp 75 s)
MAX_HEAD = 64 * 1024
MAX_BODY = 64 * 1024 * 1024


class HttpFailure(Exception):
    """A call failed on the way. ``sent``: the request may have reached the server (False
    only when it surely never left). The message is a reason, never the URL."""

    def __init__(self, reason: str, *, sent: bool) -> None:
        super().__init__(reason)
        self.reason = reason
        self.sent = sent


class _Malformed(Exception):
    """The server's answer is not HTTP/1.x as we read it."""


class _Conn(asyncio.Protocol):
    """One connection: parses the response of the one request in flight on it."""

    def __init__(self, pool: LeanHttp) -> None:
        self.pool = pool
        self.transport: asyncio.Transport | None = None
        self.waiter: asyncio.Future[tuple[int, bytes]] | None = None
        self.closed = False  # the server closed it or it broke: never written to again
        self.dropped = False  # no longer counted by the pool
        self.keep = True  # may be reused after the current response
        self.idle_since = 0.0
        self._buf = bytearray()
        self._reset()

    def _reset(self) -> None:
        self._status = 0  # 0: the head is not read yet
        self._length = -1  # Content-Length; -1: chunked or until the end
        self._chunked = False
        self._encoding = ""
        self._body = bytearray()
        self._chunk_left = -1  # chunked: bytes left in the current chunk (-1: at a size line)

    # ------------------------------------------------------------------ asyncio's side
    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]

    def data_received(self, data: bytes) -> None:
        waiter = self.waiter
        if waiter is None or waiter.done():  # nothing was asked: the connection is unusable
            self._broken()
            return
        self._buf += data
        try:
            result = self._parse()
        except (_Malformed, ValueError, zlib.error) as exc:
            self._fail(HttpFailure(f"bad response ({type(exc).__name__})", sent=True))
            return
        if result is not None:
            self.waiter = None
            if self._buf:  # more than the one answer asked for
                self.keep = False
            waiter.set_result(result)

    def eof_received(self) -> bool:
        self._ended(None)
        return False

    def connection_lost(self, exc: Exception | None) -> None:
        self._ended(exc)

    def _ended(self, exc: Exception | None) -> None:
        self.closed = True
        waiter = self.waiter
        if waiter is not None and not waiter.done():
            if exc is None and self._status and self._length < 0 and not self._chunked:
                self.waiter = None  # a body delimited by the end of the connection
                self.keep = False
                waiter.set_result((self._status, self._decoded(bytes(self._buf))))
            else:
                reason = type(exc).__name__ if exc is not None else "ServerDisconnected"
                self._fail(HttpFailure(reason, sent=True))
        elif waiter is None:
            self.pool._lost(self)

    def _fail(self, failure: HttpFailure) -> None:
        waiter, self.waiter = self.waiter, None
        self._broken()
        if waiter is not None and not waiter.done():
            waiter.set_exception(failure)

    def _broken(self) -> None:
        self.closed = True
        self.keep = False
        if self.transport is not None:
            self.transport.abort()

    # ------------------------------------------------------------------ the request
    def start(self, waiter: asyncio.Future[tuple[int, bytes]], request: bytes) -> None:
        self.waiter = waiter
        self._reset()
        self.transport.write(request)  # type: ignore[union-attr]

    def expire(self) -> None:
        """The call's deadline passed (a timer)."""
        self._fail(HttpFailure("TimeoutError", sent=True))

    # ------------------------------------------------------------------ the response
    def _parse(self) -> tuple[int, bytes] | None:
        buf = self._buf
        while not self._status:
            end = buf.find(b"\r\n\r\n")
            if end < 0:
                if len(buf) > MAX_HEAD:
                    raise _Malformed("head too long")
                return None
            head = bytes(buf[:end]).decode("latin-1")
            del buf[: end + 4]
            self._head(head)
        if self._chunked:
            return self._chunks()
        if self._length >= 0:
            if len(buf) < self._length:
                return None
            body = bytes(buf[: self._length])
            del buf[: self._length]
            return self._status, self._decoded(body)
        if len(buf) > MAX_BODY:
            raise _Malformed("body too long")
        return None  # until the end of the connection

    def _head(self, head: str) -> None:
        lines = head.split("\r\n")
        version, _, rest = lines[0].partition(" ")
        if not version.startswith("HTTP/1.") or len(rest) < 3:
            raise _Malformed("status line")
        status = int(rest[:3])
        if 100 <= status < 200:  # an interim answer: the real one follows
            return
        connection = ""
        for line in lines[1:]:
            name, sep, value = line.partition(":")
            if not sep:
                raise _Malformed("header line")
            name = name.strip().lower()
            if name == "content-length":
                self._length = int(value)
                if self._length < 0 or self._length > MAX_BODY:
                    raise _Malformed("content-length")
            elif name == "transfer-encoding":
                self._chunked = "chunked" in value.lower()
            elif name == "connection":
                connection = value.strip().lower()
            elif name == "content-encoding":
                self._encoding = value.strip().lower()
        if version == "HTTP/1.0":
            self.keep = self.keep and connection == "keep-alive"
        elif connection == "close":
            self.keep = False
        if status in (204, 304):
            self._chunked, self._length = False, 0
        elif self._chunked:
            self._length = -1
        elif self._length < 0:
            self.keep = False  # delimited by the end of the connection
        self._status = status

    def _chunks(self) -> tuple[int, bytes] | None:
        buf = self._buf
        while True:
            if self._chunk_left < 0:
                end = buf.find(b"\r\n")
                if end < 0:
                    if len(buf) > MAX_HEAD:
                        raise _Malformed("chunk size")
                    return None
                size = int(bytes(buf[:end]).split(b";", 1)[0].strip(), 16)
                if size == 0:
                    return self._trailers(end + 2)
                del buf[: end + 2]
                self._chunk_left = size
            if len(buf) < self._chunk_left + 2:
                return None
            if buf[self._chunk_left : self._chunk_left + 2] != b"\r\n":
                raise _Malformed("chunk end")
            self._body += buf[: self._chunk_left]
            if len(self._body) > MAX_BODY:
                raise _Malformed("body too long")
            del buf[: self._chunk_left + 2]
            self._chunk_left = -1

    def _trailers(self, start: int) -> tuple[int, bytes] | None:
        buf = self._buf
        if buf[start : start + 2] == b"\r\n":
            end = start + 2
        else:
            found = buf.find(b"\r\n\r\n", start)
            if found < 0:
                return None
            end = found + 4
        del buf[:end]
        return self._status, self._decoded(bytes(self._body))

    def _decoded(self, body: bytes) -> bytes:
        if not self._encoding or self._encoding == "identity":
            return body
        if self._encoding in ("gzip", "x-gzip"):
            return zlib.decompress(body, 16 + zlib.MAX_WBITS)
        if self._encoding == "deflate":
            try:
                return zlib.decompress(body)
            except zlib.error:
                return zlib.decompress(body, -zlib.MAX_WBITS)
        raise _Malformed("content-encoding")


class LeanHttp:
    """Keep-alive HTTP/1.1 calls to the one origin of ``base_url`` (its path is a prefix of
    every call's ``path``). ``ssl_context`` for https (default: the system's CAs)."""

    def __init__(
        self,
        base_url: str,
        *,
        limit: int = 100,
        ssl_context: ssl.SSLContext | None = None,
        connect_timeout: float = CONNECT_TIMEOUT,
        idle_expiry: float = IDLE_EXPIRY,
    ) -> None:
        parts = urlsplit(base_url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError("an http(s) base URL is needed")
        self._tls = parts.scheme == "https"
        self._host = parts.hostname
        self._port = parts.port or (443 if self._tls else 80)
        default_port = self._port == (443 if self._tls else 80)
        name = f"[{self._host}]" if ":" in self._host else self._host
        self._host_header = name if default_port else f"{name}:{self._port}"
        self._prefix = _safe_path(parts.path.rstrip("/"))
        self._ssl = ssl_context
        self._limit = max(1, limit)
        self._connect_timeout = connect_timeout
        self._idle_expiry = idle_expiry
        self._idle: list[_Conn] = []  # most recently used last
        self._open: set[_Conn] = set()
        self._count = 0  # connections open or being opened
        self._waiters: deque[asyncio.Future[None]] = deque()
        self._closed = False

    @property
    def connections(self) -> int:
        """Connections open or being opened (the pool's bound is ``limit``)."""
        return self._count

    async def request(
        self,
        method: str,
        path: str,
        body: bytes = b"",
        *,
        timeout: float,
        content_type: str = "application/json",
        sent: Callable[[], None] | None = None,
    ) -> tuple[int, bytes]:
        """``method path`` with ``body``: the status and the (decoded) body of the answer.
        ``sent`` is called once the request is written. Raises :class:`HttpFailure`."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            conn = self._take_idle(loop.time()) or await self._acquire(loop, deadline)
            if not conn.closed:
                break
            self._drop(conn)  # closed before anything was written to it: another one
        head = (
            f"{method} {self._prefix}{_safe_path(path)} HTTP/1.1\r\nHost: {self._host_header}\r\n"
            f"Content-Type: {content_type}\r\nContent-Length: {len(body)}\r\n\r\n"
        )
        waiter: asyncio.Future[tuple[int, bytes]] = loop.create_future()
        timer = loop.call_at(deadline, conn.expire)
        try:
            conn.start(waiter, head.encode("latin-1") + body)
            if sent is not None:
                sent()
            result = await waiter
        except BaseException:
            conn._broken()
            self._drop(conn)
            raise
        finally:
            timer.cancel()
        self._release(conn, loop.time())
        return result

    async def close(self) -> None:
        """Close every connection (a call in flight fails, ``sent=True``)."""
        self._closed = True
        conns = list(self._open)
        for conn in conns:
            if conn.waiter is not None:
                conn._fail(HttpFailure("ClientClosed", sent=True))
            elif conn.transport is not None:
                conn.transport.close()
            self._drop(conn)
        while self._waiters:
            waiter = self._waiters.popleft()
            if not waiter.done():
                waiter.set_result(None)
        await asyncio.sleep(0)  # let the transports run their connection_lost

    # ------------------------------------------------------------------ the pool
    def _take_idle(self, now: float) -> _Conn | None:
        idle = self._idle
        while idle:
            conn = idle.pop()
            if conn.closed or conn.transport is None or conn.transport.is_closing():
                self._drop(conn)  # closed while idle: skipped, nothing was written to it
            elif now - conn.idle_since > self._idle_expiry:
                conn.transport.close()
                self._drop(conn)
            else:
                return conn
        return None

    async def _acquire(self, loop: asyncio.AbstractEventLoop, deadline: float) -> _Conn:
        while True:
            if self._closed:
                raise HttpFailure("ClientClosed", sent=False)
            conn = self._take_idle(loop.time())
            if conn is not None:
                return conn
            if self._count < self._limit:
                self._count += 1
                try:
                    return await self._connect(loop, deadline)
                except BaseException:
                    self._count -= 1
                    self._wake()
                    raise
            await self._wait(loop, deadline)

    async def _wait(self, loop: asyncio.AbstractEventLoop, deadline: float) -> None:
        """Until a connection is released or dropped (then the caller looks again)."""
        waiter: asyncio.Future[None] = loop.create_future()
        self._waiters.append(waiter)  # a cancelled one is skipped by _wake
        try:
            async with asyncio.timeout_at(deadline):
                await waiter
        except BaseException as exc:
            if waiter.done() and not waiter.cancelled():
                self._wake()  # woken, but leaving: the turn passes to the next one
            waiter.cancel()
            if isinstance(exc, TimeoutError):
                raise HttpFailure("PoolTimeout", sent=False) from None
            raise

    async def _connect(self, loop: asyncio.AbstractEventLoop, deadline: float) -> _Conn:
        context = self._context() if self._tls else None
        timeout = min(self._connect_timeout, max(0.0, deadline - loop.time()))
        try:
            async with asyncio.timeout(timeout):
                _, conn = await loop.create_connection(
                    lambda: _Conn(self),
                    self._host,
                    self._port,
                    ssl=context,
                    server_hostname=self._host if context is not None else None,
                )
        except TimeoutError:
            raise HttpFailure("ConnectionTimeoutError", sent=False) from None
        except OSError as exc:  # refused, unreachable, DNS, TLS handshake (ssl.SSLError)
            raise HttpFailure(type(exc).__name__, sent=False) from None
        if self._closed:  # closed while connecting: nothing was written
            conn.transport.close()  # type: ignore[union-attr]
            raise HttpFailure("ClientClosed", sent=False)
        self._open.add(conn)
        return conn

    def _context(self) -> ssl.SSLContext:
        if self._ssl is None:
            self._ssl = ssl.create_default_context()  # the system's CAs, hostname checked
        return self._ssl

    def _release(self, conn: _Conn, now: float) -> None:
        if not conn.keep or conn.closed or self._closed:
            if conn.transport is not None:
                conn.transport.close()
            self._drop(conn)
            return
        conn.idle_since = now
        self._idle.append(conn)
        self._wake()

    def _lost(self, conn: _Conn) -> None:
        """An idle connection was closed by the server."""
        self._drop(conn)

    def _drop(self, conn: _Conn) -> None:
        if conn.dropped:
            return
        conn.dropped = True
        self._count -= 1
        self._open.discard(conn)
        if conn in self._idle:
            self._idle.remove(conn)
        self._wake()

    def _wake(self) -> None:
        while self._waiters:
            waiter = self._waiters.popleft()
            if not waiter.done():
                waiter.set_result(None)
                return


def _safe_path(path: str) -> str:
    """``path`` fit for a request line: no space, control or non-ASCII character."""
    if path.isascii() and path.isprintable() and " " not in path:
        return path
    return quote(path, safe="/:@!$&'()*+,;=-._~%?")


__all__ = ["HttpFailure", "LeanHttp"]
