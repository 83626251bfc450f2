"""CPU per Bot API call: aiohttp's client (as used, and tuned) vs our lean client (issue 9).

    .venv/bin/python bench/bench_http.py [--calls 4000] [--rounds 5] [--concurrency 1,8]

A real aiohttp server (``--serve``, started as a subprocess: its CPU is not ours) answers
``POST /bot<token>/sendMessage`` with a message-sized JSON answer on 127.0.0.1. This
process posts a sendMessage-shaped JSON body (a text and an inline keyboard) and reads the
answer, ``--calls`` times per variant and round, with ``--concurrency`` calls in flight;
the variants run interleaved, round after round, and the table gives the median CPU time of
this process (user + system, ``time.process_time``) per call, in microseconds. On loopback
the kernel's work for the receiver is partly charged to the sender: the same for all.

Variants:
  aiohttp-as-is    ClientSession(timeout=ClientTimeout(total=70, sock_connect=10)),
                   ``post(url_str, json=params)``, ``await resp.read()``: HttpWire until now
  aiohttp-tuned    the cheap knobs aiohttp offers: a prebuilt ``yarl.URL`` (encoded),
                   ``data=bytes`` with a JSON content type header, ``skip_auto_headers``,
                   ``auto_decompress=False``, a tuned ``TCPConnector``, the session's timeout
                   (no timeout object per call)
  aiohttp-tuned-nt the same without any timeout (``ClientTimeout()``: no timer at all)
  lean             bot/channels/telegram/lean_http.py (one write per request, the response
                   parsed from the transport's buffer, one timer per call)
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

TOKEN = "123456:" + "A" * 35
ANSWER = json.dumps(
    {
        "ok": True,
        "result": {
            "message_id": 4711,
            "from": {"id": 123456, "is_bot": True, "first_name": "Redeem", "username": "rb_bot"},
            "chat": {"id": 9001, "first_name": "Jamie", "username": "jamie", "type": "private"},
            "date": 1765100000,
            "text": "Your claim C-1042 is waiting for review. " * 4,
            "reply_markup": {
                "inline_keyboard": [
                    [{"text": "Status", "callback_data": "m:status~1"}],
                    [{"text": "Menu", "callback_data": "m:menu~1"}],
                ]
            },
        },
    }
).encode()
PARAMS: dict[str, Any] = {
    "chat_id": 9001,
    "text": "Your claim C-1042 is waiting for review. " * 4,
    "reply_markup": {
        "inline_keyboard": [
            [{"text": "Status", "callback_data": "m:status~1"}],
            [{"text": "Menu", "callback_data": "m:menu~1"}],
        ]
    },
}


# ----------------------------------------------------------------------------- the server
async def serve() -> None:
    from aiohttp import web

    async def answer(request: web.Request) -> web.Response:
        await request.read()
        return web.Response(body=ANSWER, content_type="application/json")

    app = web.Application()
    app.router.add_post("/{bot}/{method}", answer)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]  # noqa: SLF001
    print(port, flush=True)
    await asyncio.Event().wait()


# ----------------------------------------------------------------------------- the clients
Call = Callable[[], Awaitable[bytes]]


async def aiohttp_as_is(base: str) -> tuple[Call, Callable[[], Awaitable[None]]]:
    import aiohttp

    session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=70, sock_connect=10))
    url = f"{base}/bot{TOKEN}/sendMessage"

    async def call() -> bytes:
        async with session.post(url, json=PARAMS) as resp:
            return await resp.read()

    return call, session.close


async def aiohttp_tuned(
    base: str, timeout: bool = True
) -> tuple[Call, Callable[[], Awaitable[None]]]:
    import aiohttp
    from multidict import CIMultiDict
    from yarl import URL

    session = aiohttp.ClientSession(
        connector=aiohttp.TCPConnector(limit=100, limit_per_host=0, enable_cleanup_closed=False),
        timeout=aiohttp.ClientTimeout(total=70, sock_connect=10)
        if timeout
        else aiohttp.ClientTimeout(),
        skip_auto_headers=("User-Agent", "Accept", "Accept-Encoding"),
        auto_decompress=False,
        cookie_jar=aiohttp.DummyCookieJar(),
    )
    url = URL(f"{base}/bot{TOKEN}/sendMessage", encoded=True)
    headers = CIMultiDict({"Content-Type": "application/json"})

    async def call() -> bytes:
        body = json.dumps(PARAMS).encode()
        async with session.post(url, data=body, headers=headers) as resp:
            return await resp.read()

    return call, session.close


async def aiohttp_tuned_nt(base: str) -> tuple[Call, Callable[[], Awaitable[None]]]:
    return await aiohttp_tuned(base, timeout=False)


async def lean(base: str) -> tuple[Call, Callable[[], Awaitable[None]]]:
    from bot.channels.telegram.lean_http import LeanHttp

    client = LeanHttp(base)
    path = f"/bot{TOKEN}/sendMessage"

    async def call() -> bytes:
        body = json.dumps(PARAMS).encode()
        status, answer = await client.request("POST", path, body, timeout=70.0)
        return answer

    return call, client.close


VARIANTS = {
    "aiohttp-as-is": aiohttp_as_is,
    "aiohttp-tuned": aiohttp_tuned,
    "aiohttp-tuned-nt": aiohttp_tuned_nt,
    "lean": lean,
}


async def measure(call: Call, calls: int, concurrency: int) -> float:
    """CPU microseconds per call, ``calls`` calls with ``concurrency`` in flight."""
    left = calls

    async def worker() -> None:
        nonlocal left
        while left > 0:
            left -= 1
            answer = await call()
            assert answer == ANSWER

    for _ in range(20):  # warm: connections open
        await call()
    start = time.process_time()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return (time.process_time() - start) / calls * 1e6


async def main(args: argparse.Namespace) -> None:
    server = subprocess.Popen(  # noqa: S603
        [sys.executable, __file__, "--serve"], stdout=subprocess.PIPE, text=True
    )
    try:
        port = int(server.stdout.readline())  # type: ignore[union-attr]
        base = f"http://127.0.0.1:{port}"
        levels = [int(c) for c in args.concurrency.split(",")]
        names = [n for n in VARIANTS if not args.only or n in args.only.split(",")]
        results: dict[tuple[str, int], list[float]] = {}
        for _ in range(args.rounds):
            for level in levels:
                for name in names:
                    call, close = await VARIANTS[name](base)
                    try:
                        cost = await measure(call, args.calls, level)
                    finally:
                        await close()
                    results.setdefault((name, level), []).append(cost)
        print(f"CPU us per call (median of {args.rounds} rounds of {args.calls} calls)")
        print(f"{'variant':18}" + "".join(f"{f'c={level}':>14}" for level in levels))
        for name in names:
            row = "".join(f"{statistics.median(results[(name, level)]):>14.1f}" for level in levels)
            print(f"{name:18}{row}")
        for level in levels:
            best = (
                min(
                    statistics.median(results[(n, level)]) for n in names if n.startswith("aiohttp")
                )
                if any(n.startswith("aiohttp") for n in names)
                else None
            )
            if best and "lean" in names:
                ours = statistics.median(results[("lean", level)])
                print(f"c={level}: lean saves {100 * (1 - ours / best):.0f}% of the best aiohttp")
    finally:
        server.terminate()
        server.wait()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--calls", type=int, default=4000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--concurrency", default="1,8")
    parser.add_argument("--only", default="", help="variants, comma separated")
    arguments = parser.parse_args()
    asyncio.run(serve() if arguments.serve else main(arguments))
