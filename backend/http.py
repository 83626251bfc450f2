"""HTTP adapter: a client of the documented JSON API (docs/backend-api.md).

``HttpBackend`` implements :class:`backend.port.RedemptionBackend` and
:class:`backend.port.StaffDesk` over one ``aiohttp.ClientSession`` (connections are
reused; call ``close()`` at shutdown). Reads (GET) and idempotency-keyed claim
submissions are retried on connection errors; anything the server cannot be reached
for raises :class:`backend.port.BackendUnavailable`. Error bodies
``{"error": {"key", "params", "type"}}`` come back as the port's ``BackendError``
subclasses. The wire format is ``backend.wire`` (shared with ``backend.server``).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from typing import Any, Self
from urllib.parse import quote

import aiohttp

from backend.port import (
    Actor,
    AuditEntry,
    BackendUnavailable,
    Claim,
    ClaimEvent,
    ClaimFix,
    ClaimPage,
    ClaimRequest,
    Eligibility,
    EmailChallenge,
    Ineligibility,
    Member,
    Product,
    ProductPage,
    ProductRegistration,
    Promotion,
    RejectReason,
    ReviewArrival,
    SerialConflict,
    SignUp,
    as_actor,
)
from backend.wire import API_PREFIX, WireError, error_from_body, from_wire, loads, to_wire

log = logging.getLogger(__name__)


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


class ApiClient:
    """One connection pool to the API. ``base_url`` like ``http://127.0.0.1:8181`` (``/v1``
    is added)."""

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
        return f"{type(self).__name__}({self._base!r})"

    async def __aenter__(self) -> Self:
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


class HttpCustomer(ApiClient):
    """The customer port (``RedemptionBackend``) over HTTP."""

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
        return _parse(
            EmailChallenge, await self._call("POST", "/email-codes/verification", body=body)
        )

    async def start_reset(self, email: str) -> EmailChallenge | None:
        data = await self._call("POST", "/email-codes/reset", body={"email": email})
        return None if data is None else _parse(EmailChallenge, data)

    async def reset_password(self, challenge_id: str, password: str) -> Member:
        path = f"/email-codes/{_seg(challenge_id)}/password"
        return _parse(Member, await self._call("POST", path, body={"password": password}))

    async def email_registered(self, email: str) -> bool:
        data = await self._call("POST", "/email-checks", body={"email": email})
        return isinstance(data, dict) and data.get("registered") is True

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

    async def check_serial(self, member_id: str, serial: str) -> None:
        path = f"/members/{_seg(member_id)}/serial-check"
        await self._call("POST", path, body={"serial": serial})

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

    async def product_page(
        self,
        member_id: str,
        today: dt.date,
        offset: int = 0,
        limit: int = 10,
        product_id: str | None = None,
    ) -> ProductPage:
        query = {"today": today.isoformat(), "offset": str(offset), "limit": str(limit)}
        if product_id is not None:
            query["product_id"] = product_id
        data = await self._call("GET", f"/members/{_seg(member_id)}/product-page", query=query)
        return _parse(ProductPage, data)

    async def redeemable_promotions(self, member_id: str, today: dt.date) -> list[Promotion]:
        path = f"/members/{_seg(member_id)}/redeemable"
        data = await self._call("GET", path, query={"today": today.isoformat()})
        return _parse(list[Promotion], _item(data, "promotions"))

    async def redeemable_products(
        self,
        member_id: str,
        promotion: str,
        today: dt.date,
        offset: int = 0,
        limit: int = 10,
        product_id: str | None = None,
    ) -> ProductPage:
        query = {"today": today.isoformat(), "offset": str(offset), "limit": str(limit)}
        if product_id is not None:
            query["product_id"] = product_id
        path = f"/members/{_seg(member_id)}/redeemable/{_seg(promotion)}"
        return _parse(ProductPage, await self._call("GET", path, query=query))

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

    async def claim_page(self, member_id: str, offset: int = 0, limit: int = 10) -> ClaimPage:
        query = {"offset": str(offset), "limit": str(limit)}
        data = await self._call("GET", f"/members/{_seg(member_id)}/claim-page", query=query)
        return _parse(ClaimPage, data)

    async def get_claim(self, member_id: str, claim_id: str) -> Claim:
        path = f"/members/{_seg(member_id)}/claims/{_seg(claim_id)}"
        return _parse(Claim, await self._call("GET", path))

    async def status_history(self, member_id: str, claim_id: str) -> list[ClaimEvent]:
        path = f"/members/{_seg(member_id)}/claims/{_seg(claim_id)}/events"
        return _parse(list[ClaimEvent], _item(await self._call("GET", path), "events"))

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


class HttpStaffDesk(ApiClient):
    """The staff port (``StaffDesk``) over HTTP."""

    async def review_queue(self, limit: int | None = None, after: str | None = None) -> list[Claim]:
        query = {"limit": str(limit)} if limit is not None else {}
        if after:
            query["after"] = after
        data = await self._call("GET", "/staff/queue", query=query or None)
        return _parse(list[Claim], _item(data, "claims"))

    async def review_arrivals(self, after: int | None, limit: int) -> list[ReviewArrival]:
        query = {"limit": str(limit)}
        if after is not None:
            query["after"] = str(after)
        data = await self._call("GET", "/staff/arrivals", query=query)
        return _parse(list[ReviewArrival], _item(data, "arrivals"))

    async def claim_ids_starting(self, prefix: str, limit: int = 5) -> list[str]:
        """Ids of claims that start with ``prefix`` (like git's short ids)."""
        data = await self._call(
            "GET", "/staff/claim-ids", query={"prefix": prefix, "limit": str(limit)}
        )
        return [str(i) for i in _item(data, "ids")]

    async def waiting_count(self, cap: int | None = None) -> int:
        """The server counts at most ``cap + 1`` (``"capped": true`` beyond ``cap``); one
        that predates ``cap`` counts them all, and the figure is cut here the same way."""
        query = {"cap": str(max(0, cap))} if cap is not None else None
        data = await self._call("GET", "/staff/queue/count", query=query)
        count: int = _parse(int, _item(data, "count"))
        return count if cap is None else min(count, max(0, cap) + 1)

    async def find_claim(self, claim_id: str) -> Claim:
        """Any claim by id (staff view; not part of the customer port)."""
        return _parse(Claim, await self._call("GET", f"/staff/claims/{_seg(claim_id)}"))

    async def approve(self, claim_id: str, staff: str | Actor) -> Claim:
        path = f"/staff/claims/{_seg(claim_id)}/approve"
        return _parse(Claim, await self._call("POST", path, body=_staff(staff)))

    async def reject(
        self, claim_id: str, reason: RejectReason, text: str, staff: str | Actor
    ) -> Claim:
        body = {"reason": RejectReason(reason).value, "text": text, **_staff(staff)}
        path = f"/staff/claims/{_seg(claim_id)}/reject"
        return _parse(Claim, await self._call("POST", path, body=body))

    async def mark_shipped(self, claim_id: str, staff: str | Actor, tracking: str = "") -> Claim:
        body = {"tracking": tracking, **_staff(staff)}
        path = f"/staff/claims/{_seg(claim_id)}/ship"
        return _parse(Claim, await self._call("POST", path, body=body))

    async def import_codes(
        self, promotion: str, codes: list[str], staff: str | Actor | None = None
    ) -> int:
        path = f"/staff/promotions/{_seg(promotion)}/codes"
        body: dict[str, Any] = {
            "codes": list(codes),
            **(_staff(staff) if staff is not None else {}),
        }
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

    async def awaiting_codes(self, promotion: str) -> int:
        data = await self._call("GET", f"/staff/promotions/{_seg(promotion)}/awaiting")
        return _parse(int, _item(data, "awaiting"))

    async def serial_conflicts(self, limit: int = 100) -> list[SerialConflict]:
        data = await self._call("GET", "/staff/serial-conflicts", query={"limit": str(limit)})
        return _parse(list[SerialConflict], _item(data, "conflicts"))


class HttpBackend(HttpCustomer, HttpStaffDesk):
    """Both ports over one connection pool (the composition root hands the same object out
    as both)."""
