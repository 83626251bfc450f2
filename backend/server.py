"""Serve a backend (normally ``LocalBackend``) over the JSON API of docs/backend-api.md.

``make_app(backend, token)`` builds the aiohttp application (used by the tests and by
``redeem-bot backend serve``); ``serve(...)`` runs it until cancelled. Every route but
``GET /v1/health`` needs ``Authorization: Bearer <token>``. Bodies are never logged.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hmac
import logging
import re
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web

from backend.port import (
    AccountLocked,
    Actor,
    BackendError,
    BackendUnavailable,
    ClaimFix,
    ClaimRequest,
    CodeExpired,
    CodeWrong,
    EmailNotVerified,
    EmailTaken,
    InvalidCredentials,
    InvalidTransition,
    LimitReached,
    NoCodesLeft,
    NotEligible,
    NotFound,
    ProductRegistration,
    RejectReason,
    ResendTooSoon,
    SerialAlreadyRegistered,
    SerialDisputed,
    SerialLocked,
    SignUp,
    as_actor,
)
from backend.wire import API_PREFIX, WireError, error_body, from_wire, loads, to_wire

log = logging.getLogger(__name__)

BACKEND = web.AppKey("backend", Any)
TOKEN = web.AppKey("token", str)
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]

#: HTTP status per error type (the body's ``type`` and ``key`` are what clients read)
STATUS: dict[type[BackendError], int] = {
    NotFound: 404,
    EmailTaken: 409,
    SerialAlreadyRegistered: 409,
    SerialDisputed: 409,
    SerialLocked: 409,
    InvalidTransition: 409,
    NoCodesLeft: 409,
    InvalidCredentials: 403,
    AccountLocked: 423,
    NotEligible: 422,
    LimitReached: 422,
    BackendUnavailable: 503,
    EmailNotVerified: 403,
    CodeWrong: 403,
    CodeExpired: 410,
    ResendTooSoon: 429,
}


def _status(exc: BackendError) -> int:
    for cls in type(exc).__mro__:
        if cls in STATUS:
            return STATUS[cls]
    return 400


def _json(data: Any, status: int = 200) -> web.Response:
    return web.json_response(to_wire(data), status=status)


def _error(exc: BackendError, status: int | None = None) -> web.Response:
    return web.json_response(error_body(exc), status=status or _status(exc))


def _bad(field: str) -> BackendError:
    return BackendError("error.invalid_field", field=field)


@web.middleware
async def _errors(request: web.Request, handler: Handler) -> web.StreamResponse:
    try:
        return await handler(request)
    except BackendError as exc:
        return _error(exc)
    except WireError as exc:
        return _error(_bad(exc.field))
    except web.HTTPException as exc:  # unknown route, wrong method...
        if exc.status < 400:
            raise
        return _error(BackendError("error.http", status=exc.status), exc.status)
    except Exception:  # a bug: log the type and route only, never the body
        log.exception("backend API %s %s failed", request.method, request.path)
        return _error(BackendError("error.backend"), 500)


@web.middleware
async def _auth(request: web.Request, handler: Handler) -> web.StreamResponse:
    if request.path == f"{API_PREFIX}/health":
        return await handler(request)
    given = request.headers.get("Authorization", "")
    expected = f"Bearer {request.app[TOKEN]}"
    if not hmac.compare_digest(given.encode(), expected.encode()):
        return _error(BackendError("error.unauthorized"), 401)
    return await handler(request)


# --------------------------------------------------------------------------- helpers
_UNSTORABLE = re.compile(
    "[\x00\ud800-\udfff]"
)  # "\u0000" and lone "\ud800" escapes decode to these


def _storable(data: Any) -> bool:
    """Every string in ``data`` (keys too) is valid Unicode without NUL: what any database
    accepts. JSON's escapes can spell lone surrogates and NUL; they are refused, not stored."""
    stack = [data]
    while stack:
        value = stack.pop()
        if isinstance(value, str):
            if _UNSTORABLE.search(value):
                return False
        elif isinstance(value, dict):
            stack.extend(value.keys())
            stack.extend(value.values())
        elif isinstance(value, list):
            stack.extend(value)
    return True


async def _body(request: web.Request) -> dict[str, Any]:
    try:
        data = await request.json(loads=loads)  # depth-bounded (MAX_JSON_DEPTH)
    except ValueError:  # JSONDecodeError, UnicodeDecodeError and TooDeep all are
        raise _bad("body") from None
    if not isinstance(data, dict) or not _storable(data):
        raise _bad("body")
    return data


def _key(request: web.Request) -> str:
    key = request.headers.get("Idempotency-Key", "").strip()
    if not key:
        raise _bad("Idempotency-Key")
    return key


def _today(request: web.Request) -> dt.date:
    try:
        return dt.date.fromisoformat(request.query["today"])
    except (KeyError, ValueError):
        raise _bad("today") from None


def _text(data: dict[str, Any], name: str, default: str | None = None) -> str:
    value = data.get(name, default)
    if not isinstance(value, str):
        raise _bad(name)
    return value


def _m(request: web.Request) -> str:
    return request.match_info["member_id"]


def _b(request: web.Request) -> Any:
    return request.app[BACKEND]


# --------------------------------------------------------------------------- accounts
async def health(request: web.Request) -> web.Response:
    return _json({"ok": True})


async def sign_up(request: web.Request) -> web.Response:
    data = from_wire(SignUp, await _body(request))
    return _json(await _b(request).sign_up(data), 201)


def _c(request: web.Request) -> str:
    return request.match_info["challenge_id"]


async def resend_code(request: web.Request) -> web.Response:
    return _json(await _b(request).resend_code(_c(request)))


async def verify_code(request: web.Request) -> web.Response:
    body = await _body(request)
    return _json(await _b(request).verify_code(_c(request), _text(body, "code")))


async def start_verification(request: web.Request) -> web.Response:
    body = await _body(request)
    challenge = await _b(request).start_verification(_text(body, "email"), _text(body, "password"))
    return _json(challenge, 201)


async def email_registered(request: web.Request) -> web.Response:
    registered = await _b(request).email_registered(_text(await _body(request), "email"))
    return _json({"registered": registered})


async def start_reset(request: web.Request) -> web.Response:
    challenge = await _b(request).start_reset(_text(await _body(request), "email"))
    return web.Response(status=204) if challenge is None else _json(challenge, 201)


async def reset_password(request: web.Request) -> web.Response:
    body = await _body(request)
    return _json(await _b(request).reset_password(_c(request), _text(body, "password")))


async def log_in(request: web.Request) -> web.Response:
    body = await _body(request)
    member = await _b(request).log_in(_text(body, "email"), _text(body, "password"))
    return _json(member)


async def get_member(request: web.Request) -> web.Response:
    return _json(await _b(request).get_member(_m(request)))


async def update_member(request: web.Request) -> web.Response:
    changes = await _body(request)
    for name in changes:
        if name in ("self", "member_id"):  # would clash with the method's own arguments
            raise _bad(name)
    return _json(await _b(request).update_member(_m(request), **changes))


# --------------------------------------------------------------------------- products
async def register_product(request: web.Request) -> web.Response:
    data = from_wire(ProductRegistration, await _body(request))
    return _json(await _b(request).register_product(_m(request), data), 201)


async def check_serial(request: web.Request) -> web.Response:
    serial = (await _body(request)).get("serial")
    if not isinstance(serial, str):
        raise _bad("serial")
    await _b(request).check_serial(_m(request), serial)
    return _json({"free": True})


async def list_products(request: web.Request) -> web.Response:
    return _json({"products": await _b(request).list_products(_m(request))})


async def get_product(request: web.Request) -> web.Response:
    pid = request.match_info["product_id"]
    return _json(await _b(request).get_product(_m(request), pid))


async def why_not(request: web.Request) -> web.Response:
    pid = request.match_info["product_id"]
    reasons = await _b(request).why_not(_m(request), pid, _today(request))
    return _json({"reasons": reasons})


# --------------------------------------------------------------------------- promotions
async def list_promotions(request: web.Request) -> web.Response:
    return _json({"promotions": await _b(request).list_promotions()})


async def get_promotion(request: web.Request) -> web.Response:
    return _json(await _b(request).get_promotion(request.match_info["code"]))


async def eligibility(request: web.Request) -> web.Response:
    result = await _b(request).eligibility(_m(request), _today(request))
    return _json({"eligibility": result})


def _offset(request: web.Request) -> int:
    """The ``offset`` query parameter: 0 or more, 0 when absent."""
    try:
        offset = int(request.query.get("offset", "0"))
    except ValueError:
        raise _bad("offset") from None
    if offset < 0:
        raise _bad("offset")
    return offset


async def product_page(request: web.Request) -> web.Response:
    page = await _b(request).product_page(
        _m(request),
        _today(request),
        _offset(request),
        _limit(request),
        request.query.get("product_id") or None,
    )
    return _json(page)


async def redeemable_promotions(request: web.Request) -> web.Response:
    found = await _b(request).redeemable_promotions(_m(request), _today(request))
    return _json({"promotions": found})


async def redeemable_products(request: web.Request) -> web.Response:
    page = await _b(request).redeemable_products(
        _m(request),
        request.match_info["code"],
        _today(request),
        _offset(request),
        _limit(request),
        request.query.get("product_id") or None,
    )
    return _json(page)


# --------------------------------------------------------------------------- claims
async def submit_claim(request: web.Request) -> web.Response:
    key = _key(request)
    data = from_wire(ClaimRequest, await _body(request))
    return _json(await _b(request).submit_claim(_m(request), data, key), 201)


async def resubmit_claim(request: web.Request) -> web.Response:
    key = _key(request)
    fix = from_wire(ClaimFix, await _body(request))
    cid = request.match_info["claim_id"]
    return _json(await _b(request).resubmit_claim(_m(request), cid, fix, key))


async def list_claims(request: web.Request) -> web.Response:
    return _json({"claims": await _b(request).list_claims(_m(request))})


async def claim_page(request: web.Request) -> web.Response:
    page = await _b(request).claim_page(_m(request), _offset(request), _limit(request))
    return _json(page)


async def get_claim(request: web.Request) -> web.Response:
    cid = request.match_info["claim_id"]
    return _json(await _b(request).get_claim(_m(request), cid))


async def status_history(request: web.Request) -> web.Response:
    cid = request.match_info["claim_id"]
    return _json({"events": await _b(request).status_history(_m(request), cid)})


# --------------------------------------------------------------------------- events
def _limit(request: web.Request) -> int:
    """The ``limit`` query parameter: 0..1000, 100 when absent."""
    try:
        limit = int(request.query.get("limit", "100"))
    except ValueError:
        raise _bad("limit") from None
    if not 0 <= limit <= 1000:
        raise _bad("limit")
    return limit


async def undelivered_events(request: web.Request) -> web.Response:
    limit = _limit(request)
    member_id = request.query.get("member_id") or None
    events = await _b(request).undelivered_events(member_id, limit)
    return _json({"events": events})


async def mark_delivered(request: web.Request) -> web.Response:
    ids = from_wire(list[str], (await _body(request)).get("ids"), "ids")
    await _b(request).mark_delivered(ids)
    return web.Response(status=204)


# --------------------------------------------------------------------------- staff
async def review_queue(request: web.Request) -> web.Response:
    limit = _limit(request) if "limit" in request.query else None  # none: the whole queue
    after = request.query.get("after") or None
    return _json({"claims": await _b(request).review_queue(limit, after)})


async def review_arrivals(request: web.Request) -> web.Response:
    raw = request.query.get("after")
    try:
        after = int(raw) if raw else None
    except ValueError:
        raise _bad("after") from None
    return _json({"arrivals": await _b(request).review_arrivals(after, _limit(request))})


async def waiting_count(request: web.Request) -> web.Response:
    """``{"count": N}``; with ``?cap=C`` (0..100000) at most ``C + 1`` are counted and
    ``"capped"`` says whether there are more than ``C`` (then ``count`` is ``C + 1``)."""
    raw = request.query.get("cap")
    if raw is None:
        return _json({"count": await _b(request).waiting_count()})
    try:
        cap = int(raw)
    except ValueError:
        raise _bad("cap") from None
    if not 0 <= cap <= 100_000:
        raise _bad("cap")
    count = await _b(request).waiting_count(cap)
    return _json({"count": count, "capped": count > cap})


async def claim_ids_starting(request: web.Request) -> web.Response:
    try:
        limit = max(1, min(int(request.query.get("limit", "5")), 20))
    except ValueError:
        limit = 5
    ids = await _b(request).claim_ids_starting(request.query.get("prefix", "")[:64], limit)
    return _json({"ids": ids})


async def find_claim(request: web.Request) -> web.Response:
    return _json(await _b(request).find_claim(request.match_info["claim_id"]))


def _actor(body: dict[str, Any]) -> Actor:
    """The staff member named in a request: ``staff`` (display) and ``staff_id``."""
    name = _text(body, "staff", "")
    return as_actor(Actor(id=_text(body, "staff_id", "") or name, name=name) if name else "")


async def approve(request: web.Request) -> web.Response:
    body = await _body(request)
    cid = request.match_info["claim_id"]
    return _json(await _b(request).approve(cid, _actor(body)))


async def reject(request: web.Request) -> web.Response:
    body = await _body(request)
    reason = from_wire(RejectReason, body.get("reason"), "reason")
    cid = request.match_info["claim_id"]
    claim = await _b(request).reject(cid, reason, _text(body, "text", ""), _actor(body))
    return _json(claim)


async def ship(request: web.Request) -> web.Response:
    body = await _body(request)
    cid = request.match_info["claim_id"]
    return _json(await _b(request).mark_shipped(cid, _actor(body), _text(body, "tracking", "")))


async def record_view(request: web.Request) -> web.Response:
    body = await _body(request)
    await _b(request).record_view(request.match_info["claim_id"], _actor(body))
    return web.Response(status=204)


async def claim_history(request: web.Request) -> web.Response:
    return _json({"history": await _b(request).claim_history(request.match_info["claim_id"])})


async def import_codes(request: web.Request) -> web.Response:
    body = await _body(request)
    codes = from_wire(list[str], body.get("codes"), "codes")
    staff = _actor(body) if "staff" in body else None
    added = await _b(request).import_codes(request.match_info["code"], codes, staff)
    return _json({"added": added})


async def code_stock(request: web.Request) -> web.Response:
    return _json({"stock": await _b(request).code_stock(request.match_info["code"])})


async def awaiting_codes(request: web.Request) -> web.Response:
    return _json({"awaiting": await _b(request).awaiting_codes(request.match_info["code"])})


async def serial_conflicts(request: web.Request) -> web.Response:
    return _json({"conflicts": await _b(request).serial_conflicts(_limit(request))})


ROUTES: tuple[tuple[str, str, Handler], ...] = (
    ("GET", "/health", health),
    ("POST", "/members", sign_up),
    ("POST", "/sessions", log_in),
    ("POST", "/email-checks", email_registered),
    ("POST", "/email-codes/verification", start_verification),
    ("POST", "/email-codes/reset", start_reset),
    ("POST", "/email-codes/{challenge_id}/resend", resend_code),
    ("POST", "/email-codes/{challenge_id}/verify", verify_code),
    ("POST", "/email-codes/{challenge_id}/password", reset_password),
    ("GET", "/members/{member_id}", get_member),
    ("PATCH", "/members/{member_id}", update_member),
    ("POST", "/members/{member_id}/products", register_product),
    ("GET", "/members/{member_id}/products", list_products),
    ("POST", "/members/{member_id}/serial-check", check_serial),
    ("GET", "/members/{member_id}/products/{product_id}", get_product),
    ("GET", "/members/{member_id}/products/{product_id}/why-not", why_not),
    ("GET", "/members/{member_id}/eligibility", eligibility),
    ("GET", "/members/{member_id}/product-page", product_page),
    ("GET", "/members/{member_id}/redeemable", redeemable_promotions),
    ("GET", "/members/{member_id}/redeemable/{code}", redeemable_products),
    ("GET", "/promotions", list_promotions),
    ("GET", "/promotions/{code}", get_promotion),
    ("POST", "/members/{member_id}/claims", submit_claim),
    ("GET", "/members/{member_id}/claims", list_claims),
    ("GET", "/members/{member_id}/claim-page", claim_page),
    ("GET", "/members/{member_id}/claims/{claim_id}", get_claim),
    ("GET", "/members/{member_id}/claims/{claim_id}/events", status_history),
    ("POST", "/members/{member_id}/claims/{claim_id}/resubmit", resubmit_claim),
    ("GET", "/events", undelivered_events),
    ("POST", "/events/delivered", mark_delivered),
    ("GET", "/staff/queue", review_queue),
    ("GET", "/staff/arrivals", review_arrivals),
    ("GET", "/staff/claim-ids", claim_ids_starting),
    ("GET", "/staff/queue/count", waiting_count),
    ("GET", "/staff/claims/{claim_id}", find_claim),
    ("POST", "/staff/claims/{claim_id}/approve", approve),
    ("POST", "/staff/claims/{claim_id}/reject", reject),
    ("POST", "/staff/claims/{claim_id}/ship", ship),
    ("POST", "/staff/claims/{claim_id}/views", record_view),
    ("GET", "/staff/claims/{claim_id}/history", claim_history),
    ("POST", "/staff/promotions/{code}/codes", import_codes),
    ("GET", "/staff/promotions/{code}/stock", code_stock),
    ("GET", "/staff/promotions/{code}/awaiting", awaiting_codes),
    ("GET", "/staff/serial-conflicts", serial_conflicts),
)


def make_app(backend: Any, token: str) -> web.Application:
    """The API application for ``backend`` (RedemptionBackend + StaffDesk + ``find_claim``)."""
    if not token:
        raise ValueError("a non-empty token is required to serve the backend API")
    app = web.Application(middlewares=[_errors, _auth], client_max_size=1024**2)
    app[BACKEND] = backend
    app[TOKEN] = token
    for method, path, handler in ROUTES:
        app.router.add_route(method, API_PREFIX + path, handler)
    return app


async def serve(
    backend: Any,
    token: str,
    host: str = "127.0.0.1",
    port: int = 8181,
    *,
    started: asyncio.Event | None = None,
) -> None:
    """Run the API on ``host:port`` until cancelled (``started`` is set once listening)."""
    runner = web.AppRunner(make_app(backend, token), access_log=None)
    await runner.setup()
    try:
        await web.TCPSite(runner, host, port).start()
        log.info("backend API listening on %s:%s", host, port)
        if started is not None:
            started.set()
        await asyncio.Event().wait()
    finally:
        await runner.cleanup()
