"""HTTP adapter: a client of the documented JSON API (docs/backend-api.md).

``HttpBackend`` implements :class:`backend.port.RedemptionBackend` and
:class:`backend.port.StaffDesk` over one ``aiohttp.ClientSession`` (connections are
reused; call ``close()`` at shutdown). Reads (GET) and idempotency-keyed claim
submissions are retried on connection errors; anything the server cannot be reached
for raises :class:`backend.port.BackendUnavailable`. Error bodies
``{"error": {"key", "params", "type"}}`` come back as the port's ``BackendError``
subclasses. The wire codec (``to_wire`` / ``from_wire``) is shared with ``backend.server``.
"""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
import functools
import itertools
import json
import logging
import re
import types
import typing
from enum import Enum
from typing import Any
from urllib.parse import quote

import aiohttp

from backend.port import (
    AccountLocked,
    Actor,
    AuditEntry,
    BackendError,
    BackendUnavailable,
    Claim,
    ClaimEvent,
    ClaimFix,
    ClaimRequest,
    CodeExpired,
    CodeWrong,
    Eligibility,
    EmailChallenge,
    EmailNotVerified,
    EmailTaken,
    Ineligibility,
    InvalidCredentials,
    InvalidTransition,
    LimitReached,
    Member,
    NoCodesLeft,
    NotEligible,
    NotFound,
    Product,
    ProductRegistration,
    Promotion,
    RejectReason,
    ResendTooSoon,
    SerialAlreadyRegistered,
    SerialConflict,
    SerialDisputed,
    SerialLocked,
    SignUp,
    as_actor,
)

log = logging.getLogger(__name__)

API_PREFIX = "/v1"
#: every error type the API may name, by class name
ERROR_TYPES: dict[str, type[BackendError]] = {
    cls.__name__: cls
    for cls in (
        BackendError,
        EmailTaken,
        InvalidCredentials,
        AccountLocked,
        SerialAlreadyRegistered,
        SerialDisputed,
        SerialLocked,
        NotEligible,
        LimitReached,
        NotFound,
        InvalidTransition,
        NoCodesLeft,
        BackendUnavailable,
        EmailNotVerified,
        CodeWrong,
        CodeExpired,
        ResendTooSoon,
    )
}


# --------------------------------------------------------------------------- codec
class WireError(ValueError):
    """A request or response body does not match the expected shape."""

    def __init__(self, field: str) -> None:
        super().__init__(field)
        self.field = field


#: the deepest nesting a body may have (ours is at most 6 levels); deeper is refused before
#: parsing, so a hostile body cannot make the parser recurse until RecursionError
MAX_JSON_DEPTH = 32
_JSON_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")
_STEP = {"[": 1, "{": 1, "]": -1, "}": -1}


class TooDeep(ValueError):
    """A JSON text nests deeper than allowed."""


def json_depth(text: str) -> int:
    """How deep ``text``'s arrays and objects nest (brackets inside strings do not count).
    Linear, no recursion: strings out, brackets kept, the running sum's maximum."""
    brackets = _NOT_BRACKET.sub("", _JSON_STRING.sub("", text))
    return max(itertools.accumulate(map(_STEP.__getitem__, brackets)), default=0)


def loads(text: str | bytes, max_depth: int = MAX_JSON_DEPTH) -> Any:
    """``json.loads`` for bodies from outside: raises ``TooDeep`` (a ValueError) for a
    body nested deeper than ``max_depth`` instead of recursing into it."""
    if isinstance(text, bytes | bytearray):
        text = text.decode("utf-8")
    if json_depth(text) > max_depth:
        raise TooDeep(max_depth)
    try:
        return json.loads(text)
    except RecursionError:  # not reached within the bound; a last line all the same
        raise TooDeep(max_depth) from None


def to_wire(value: Any) -> Any:
    """Port dataclasses, enums, dates and containers -> JSON-compatible data."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_wire(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, dt.date):  # datetime too
        return value.isoformat()
    if isinstance(value, list | tuple | set):
        return [to_wire(v) for v in value]
    if isinstance(value, dict):
        return {str(k): to_wire(v) for k, v in value.items()}
    return value


@functools.cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def from_wire(tp: Any, data: Any, field: str = "body") -> Any:
    """JSON data -> an instance of ``tp`` (a port dataclass, enum, date, container...)."""
    try:
        return _decode(tp, data, field)
    except WireError:
        raise
    except (TypeError, ValueError, KeyError, AttributeError) as exc:
        raise WireError(field) from exc


def _decode(tp: Any, data: Any, field: str) -> Any:
    origin = typing.get_origin(tp)
    if tp is Any:
        return data
    if origin in (typing.Union, types.UnionType):
        return _decode_union(tp, data, field)
    if origin in (tuple, list):
        if not isinstance(data, list):
            raise WireError(field)
        items = [from_wire(typing.get_args(tp)[0], v, field) for v in data]
        return tuple(items) if origin is tuple else items
    if origin is dict:
        if not isinstance(data, dict):
            raise WireError(field)
        return dict(data)
    if dataclasses.is_dataclass(tp):
        return _decode_dataclass(tp, data, field)
    return _decode_scalar(tp, data, field)


def _decode_union(tp: Any, data: Any, field: str) -> Any:
    args = [a for a in typing.get_args(tp) if a is not type(None)]
    if data is None and len(args) < len(typing.get_args(tp)):
        return None
    return from_wire(args[0], data, field)


def _decode_dataclass(tp: Any, data: Any, field: str) -> Any:
    if not isinstance(data, dict):
        raise WireError(field)
    hints = _hints(tp)
    kwargs = {}
    for f in dataclasses.fields(tp):
        if f.name in data:
            kwargs[f.name] = from_wire(hints[f.name], data[f.name], f.name)
        elif f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING:
            raise WireError(f.name)
    return tp(**kwargs)


def _decode_scalar(tp: Any, data: Any, field: str) -> Any:
    if isinstance(tp, type) and issubclass(tp, Enum):
        return tp(data)
    if tp is dt.datetime:
        value = dt.datetime.fromisoformat(data)
        return value if value.tzinfo else value.replace(tzinfo=dt.UTC)
    if tp is dt.date:
        return dt.date.fromisoformat(data)
    if tp is bool:
        if not isinstance(data, bool):
            raise WireError(field)
        return data
    if tp is int and (not isinstance(data, int) or isinstance(data, bool)):
        raise WireError(field)
    if tp is str and not isinstance(data, str):
        raise WireError(field)
    return data


def error_body(exc: BackendError) -> dict[str, Any]:
    return {"error": {"key": exc.key, "params": to_wire(exc.params), "type": type(exc).__name__}}


def error_from_body(body: Any, status: int) -> BackendError:
    """The port error an API error body stands for (unknown shapes: by HTTP status)."""
    err = body.get("error") if isinstance(body, dict) else None
    if not isinstance(err, dict) or not isinstance(err.get("key"), str):
        return BackendUnavailable(status=status) if status >= 500 else BackendError(status=status)
    cls = ERROR_TYPES.get(str(err.get("type")), BackendError)
    params = err.get("params") if isinstance(err.get("params"), dict) else {}
    key = err["key"]
    return cls(None if key == cls.key else key, **params)


# --------------------------------------------------------------------------- client
def _parse(tp: Any, data: Any) -> Any:
    """Decode a response body; a body of the wrong shape means a broken backend."""
    try:
        return from_wire(tp, data)
    except WireError as exc:
        log.warning("backend response did not match the API (field %s)", exc.field)
        raise BackendUnavailable(reason="bad_response") from exc


def _item(data: Any, name: str) -> Any:
    if not isinstance(data, dict) or name not in data:
        log.warning("backend response lacks %r", name)
        raise BackendUnavailable(reason="bad_response")
    return data[name]


def _staff(staff: str | Actor) -> dict[str, str]:
    actor = as_actor(staff)
    return {"staff": actor.name, "staff_id": actor.id}


def _seg(value: str) -> str:
    return quote(str(value), safe="")


class HttpBackend:
    """The port over HTTP. ``base_url`` like ``http://127.0.0.1:8181`` (``/v1`` is added)."""

    def __init__(
        self,
        base_url: str,
        token: str,
        timeout: float = 10.0,
        *,
        retries: int = 2,
        backoff: float = 0.2,
    ) -> None:
        if not token:
            raise ValueError("a backend token is required")
        self._base = base_url.rstrip("/") + API_PREFIX
        self._headers = {"Authorization": f"Bearer {token}", "Accept": "application/json"}
        self._timeout = aiohttp.ClientTimeout(total=timeout)
        self._retries = max(0, retries)
        self._backoff = backoff
        self._session: aiohttp.ClientSession | None = None

    def __repr__(self) -> str:  # never shows the token
        return f"HttpBackend({self._base!r})"

    async def __aenter__(self) -> HttpBackend:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    async def close(self) -> None:
        if self._session is not None and not self._session.closed:
            await self._session.close()
        self._session = None

    def _client(self) -> aiohttp.ClientSession:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(
                headers=self._headers,
                timeout=self._timeout,
                connector=aiohttp.TCPConnector(limit=100, keepalive_timeout=30),
            )
        return self._session

    async def _call(
        self,
        method: str,
        path: str,
        *,
        body: Any = None,
        query: dict[str, str] | None = None,
        key: str | None = None,
        retry: bool | None = None,
    ) -> Any:
        """One API call; ``retry`` defaults to True for GET and for keyed requests."""
        retry = (method == "GET" or key is not None) if retry is None else retry
        headers = {"Idempotency-Key": key} if key is not None else None
        attempts = 1 + (self._retries if retry else 0)
        for attempt in range(attempts):
            try:
                return await self._once(method, path, body, query, headers)
            except (aiohttp.ClientConnectionError, TimeoutError) as exc:
                if attempt + 1 >= attempts:
                    log.warning("backend %s %s unreachable: %s", method, path, type(exc).__name__)
                    raise BackendUnavailable() from exc
                await asyncio.sleep(self._backoff * (2**attempt))
        raise BackendUnavailable()  # pragma: no cover - loop always returns or raises

    async def _once(
        self,
        method: str,
        path: str,
        body: Any,
        query: dict[str, str] | None,
        headers: dict[str, str] | None,
    ) -> Any:
        async with self._client().request(
            method,
            self._base + path,
            json=None if body is None else to_wire(body),
            params=query,
            headers=headers,
        ) as resp:
            if resp.status == 204:
                return None
            try:
                data = await resp.json(content_type=None, loads=loads)
            except (aiohttp.ContentTypeError, ValueError):
                data = None
            if resp.status < 300:
                return data
            if resp.status == 401:
                log.warning("backend refused our token (401): check BACKEND_TOKEN")
                raise BackendUnavailable(reason="unauthorized")
            raise error_from_body(data, resp.status)

    # ------------------------------------------------------------------ accounts
    async def sign_up(self, data: SignUp) -> EmailChallenge:
        return _parse(EmailChallenge, await self._call("POST", "/members", body=data))

    async def resend_code(self, challenge_id: str) -> EmailChallenge:
        path = f"/email-codes/{_seg(challenge_id)}/resend"
        return _parse(EmailChallenge, await self._call("POST", path, body={}))

    async def verify_code(self, challenge_id: str, code: str) -> Member:
        path = f"/email-codes/{_seg(challenge_id)}/verify"
        return _parse(Member, await self._call("POST", path, body={"code": code}))

    async def start_verification(self, email: str, password: str) -> EmailChallenge:
        body = {"email": email, "password": password}
        return _parse(EmailChallenge, await self._call("POST", "/email-codes/verification", body=body))

    async def start_reset(self, email: str) -> EmailChallenge | None:
        data = await self._call("POST", "/email-codes/reset", body={"email": email})
        return None if data is None else _parse(EmailChallenge, data)

    async def reset_password(self, challenge_id: str, password: str) -> Member:
        path = f"/email-codes/{_seg(challenge_id)}/password"
        return _parse(Member, await self._call("POST", path, body={"password": password}))

    async def log_in(self, email: str, password: str) -> Member:
        body = {"email": email, "password": password}
        return _parse(Member, await self._call("POST", "/sessions", body=body))

    async def get_member(self, member_id: str) -> Member:
        return _parse(Member, await self._call("GET", f"/members/{_seg(member_id)}"))

    async def update_member(self, member_id: str, **changes: Any) -> Member:
        data = await self._call("PATCH", f"/members/{_seg(member_id)}", body=changes)
        return _parse(Member, data)

    # ------------------------------------------------------------------ products
    async def register_product(self, member_id: str, data: ProductRegistration) -> Product:
        path = f"/members/{_seg(member_id)}/products"
        return _parse(Product, await self._call("POST", path, body=data))

    async def list_products(self, member_id: str) -> list[Product]:
        data = await self._call("GET", f"/members/{_seg(member_id)}/products")
        return _parse(list[Product], _item(data, "products"))

    async def get_product(self, member_id: str, product_id: str) -> Product:
        path = f"/members/{_seg(member_id)}/products/{_seg(product_id)}"
        return _parse(Product, await self._call("GET", path))

    # ------------------------------------------------------------------ promotions
    async def list_promotions(self) -> list[Promotion]:
        data = await self._call("GET", "/promotions")
        return _parse(list[Promotion], _item(data, "promotions"))

    async def get_promotion(self, code: str) -> Promotion:
        return _parse(Promotion, await self._call("GET", f"/promotions/{_seg(code)}"))

    async def eligibility(self, member_id: str, today: dt.date) -> list[Eligibility]:
        path = f"/members/{_seg(member_id)}/eligibility"
        data = await self._call("GET", path, query={"today": today.isoformat()})
        return _parse(list[Eligibility], _item(data, "eligibility"))

    async def why_not(self, member_id: str, product_id: str, today: dt.date) -> list[Ineligibility]:
        path = f"/members/{_seg(member_id)}/products/{_seg(product_id)}/why-not"
        data = await self._call("GET", path, query={"today": today.isoformat()})
        return _parse(list[Ineligibility], _item(data, "reasons"))

    # ------------------------------------------------------------------ claims
    async def submit_claim(
        self, member_id: str, request: ClaimRequest, idempotency_key: str
    ) -> Claim:
        path = f"/members/{_seg(member_id)}/claims"
        data = await self._call("POST", path, body=request, key=idempotency_key)
        return _parse(Claim, data)

    async def resubmit_claim(
        self, member_id: str, claim_id: str, fix: ClaimFix, idempotency_key: str
    ) -> Claim:
        path = f"/members/{_seg(member_id)}/claims/{_seg(claim_id)}/resubmit"
        data = await self._call("POST", path, body=fix, key=idempotency_key)
        return _parse(Claim, data)

    async def list_claims(self, member_id: str) -> list[Claim]:
        data = await self._call("GET", f"/members/{_seg(member_id)}/claims")
        return _parse(list[Claim], _item(data, "claims"))

    async def get_claim(self, member_id: str, claim_id: str) -> Claim:
        path = f"/members/{_seg(member_id)}/claims/{_seg(claim_id)}"
        return _parse(Claim, await self._call("GET", path))

    # ------------------------------------------------------------------ events
    async def undelivered_events(
        self, member_id: str | None = None, limit: int = 100
    ) -> list[ClaimEvent]:
        query = {"limit": str(limit)}
        if member_id is not None:
            query["member_id"] = member_id
        data = await self._call("GET", "/events", query=query)
        return _parse(list[ClaimEvent], _item(data, "events"))

    async def mark_delivered(self, event_ids: list[str]) -> None:
        if event_ids:  # idempotent on the server: safe to retry
            await self._call("POST", "/events/delivered", body={"ids": event_ids}, retry=True)

    # ------------------------------------------------------------------ staff desk
    async def review_queue(self) -> list[Claim]:
        data = await self._call("GET", "/staff/queue")
        return _parse(list[Claim], _item(data, "claims"))

    async def find_claim(self, claim_id: str) -> Claim:
        """Any claim by id (staff view; not part of the customer port)."""
        return _parse(Claim, await self._call("GET", f"/staff/claims/{_seg(claim_id)}"))

    async def approve(self, claim_id: str, staff: str | Actor) -> Claim:
        path = f"/staff/claims/{_seg(claim_id)}/approve"
        return _parse(Claim, await self._call("POST", path, body=_staff(staff)))

    async def reject(self, claim_id: str, reason: RejectReason, text: str, staff: str | Actor) -> Claim:
        body = {"reason": RejectReason(reason).value, "text": text, **_staff(staff)}
        path = f"/staff/claims/{_seg(claim_id)}/reject"
        return _parse(Claim, await self._call("POST", path, body=body))

    async def mark_shipped(self, claim_id: str, staff: str | Actor, tracking: str = "") -> Claim:
        body = {"tracking": tracking, **_staff(staff)}
        path = f"/staff/claims/{_seg(claim_id)}/ship"
        return _parse(Claim, await self._call("POST", path, body=body))

    async def import_codes(self, promotion: str, codes: list[str], staff: str | Actor | None = None) -> int:
        path = f"/staff/promotions/{_seg(promotion)}/codes"
        body: dict[str, Any] = {"codes": list(codes), **(_staff(staff) if staff is not None else {})}
        data = await self._call("POST", path, body=body, retry=True)
        return _parse(int, _item(data, "added"))

    async def record_view(self, claim_id: str, staff: str | Actor) -> None:
        await self._call("POST", f"/staff/claims/{_seg(claim_id)}/views", body=_staff(staff))

    async def claim_history(self, claim_id: str) -> list[AuditEntry]:
        data = await self._call("GET", f"/staff/claims/{_seg(claim_id)}/history")
        return _parse(list[AuditEntry], _item(data, "history"))

    async def code_stock(self, promotion: str) -> int:
        data = await self._call("GET", f"/staff/promotions/{_seg(promotion)}/stock")
        return _parse(int, _item(data, "stock"))

    async def serial_conflicts(self, limit: int = 100) -> list[SerialConflict]:
        data = await self._call("GET", "/staff/serial-conflicts", query={"limit": str(limit)})
        return _parse(list[SerialConflict], _item(data, "conflicts"))
