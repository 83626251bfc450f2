"""The HTTP adapter and server beyond the shared contract: auth, errors, unreachable server."""

from __future__ import annotations

import socket

import aiohttp
import pytest

from backend.http import HttpBackend
from backend.port import (
    AccountLocked,
    BackendError,
    BackendUnavailable,
    Claim,
    ClaimStatus,
    NotEligible,
    RejectReason,
    SerialAlreadyRegistered,
)
from backend.wire import error_body, error_from_body, from_wire, to_wire
from tests.backend.conftest import TOKEN, product_data, sign_up_data, signed_up


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def test_wrong_token_is_unavailable(server):
    async with HttpBackend(str(server.make_url("")), "wrong-token", timeout=5) as client:
        with pytest.raises(BackendUnavailable) as info:
            await client.list_promotions()
    assert info.value.params == {"reason": "unauthorized"}


async def test_unreachable_server_is_unavailable():
    url = f"http://127.0.0.1:{_free_port()}"
    async with HttpBackend(url, TOKEN, timeout=2, retries=1, backoff=0.01) as client:
        with pytest.raises(BackendUnavailable):
            await client.list_promotions()
        with pytest.raises(BackendUnavailable):
            await signed_up(client, sign_up_data())


async def test_health_needs_no_token_and_errors_are_json(server):
    async with aiohttp.ClientSession() as http:
        async with http.get(server.make_url("/v1/health")) as resp:
            assert (resp.status, await resp.json()) == (200, {"ok": True})
        async with http.get(server.make_url("/v1/promotions")) as resp:
            assert resp.status == 401
            assert (await resp.json())["error"]["key"] == "error.unauthorized"
        headers = {"Authorization": f"Bearer {TOKEN}"}
        async with http.get(server.make_url("/v1/nowhere"), headers=headers) as resp:
            assert resp.status == 404
            assert (await resp.json())["error"]["key"] == "error.http"


async def test_claim_submit_needs_idempotency_key(server):
    headers = {"Authorization": f"Bearer {TOKEN}"}
    async with aiohttp.ClientSession(headers=headers) as http:
        url = server.make_url("/v1/members/m1/claims")
        async with http.post(url, json={}) as resp:
            assert resp.status == 400
            assert (await resp.json())["error"] == {
                "key": "error.invalid_field",
                "params": {"field": "Idempotency-Key"},
                "type": "BackendError",
            }
        async with http.post(url, data="{not json", headers={"Idempotency-Key": "k"}) as resp:
            assert (await resp.json())["error"]["params"] == {"field": "body"}


async def test_bad_bodies_name_the_field(server):
    headers = {"Authorization": f"Bearer {TOKEN}"}
    body = {"email": "a@example.com"}  # the rest missing
    async with aiohttp.ClientSession(headers=headers) as http:
        async with http.post(server.make_url("/v1/members"), json=body) as resp:
            assert resp.status == 400
            assert (await resp.json())["error"]["params"] == {"field": "password"}
        async with http.get(server.make_url("/v1/members/x/eligibility")) as resp:
            assert (await resp.json())["error"]["params"] == {"field": "today"}


async def test_serial_conflict_status_and_body(server, env):
    client = HttpBackend(str(server.make_url("")), TOKEN)
    try:
        a = await signed_up(client, sign_up_data())
        await client.register_product(a.id, product_data("BA3T5555555V"))
        with pytest.raises(SerialAlreadyRegistered) as info:
            await client.register_product(a.id, product_data("BA3T5555555V"))
        assert info.value.params == {"serial": "BA3T5555555V", "mine": True}
    finally:
        await client.close()


@pytest.mark.parametrize(
    "error",
    [
        AccountLocked(minutes=15),
        NotEligible(
            promotion="X", reasons=[{"key": "why.category", "params": {"category": "Laptop"}}]
        ),
        BackendError("error.invalid_field", field="email"),
        BackendError("error.consent_required"),
    ],
)
def test_error_bodies_round_trip(error):
    back = error_from_body(error_body(error), 400)
    assert type(back) is type(error)
    assert (back.key, back.params) == (error.key, error.params)


def test_unknown_error_bodies_map_by_status():
    assert isinstance(error_from_body("oops", 502), BackendUnavailable)
    assert type(error_from_body(None, 400)) is BackendError


async def test_claim_round_trips_through_the_codec(env):
    member = await signed_up(env.local, sign_up_data())
    product = await env.local.register_product(member.id, product_data())
    from backend.port import ClaimRequest
    from tests.backend.conftest import recipient

    claim = await env.local.submit_claim(
        member.id, ClaimRequest("open", product.id, "sha256:sn", recipient()), "k"
    )
    claim = await env.local.reject(claim.id, RejectReason.SN_PHOTO_ON_PACKAGE, "", "ana")
    assert from_wire(Claim, to_wire(claim)) == claim
    assert to_wire(claim)["status"] == ClaimStatus.REJECTED.value
    assert to_wire(claim)["created_at"].endswith("+00:00")


def test_token_not_in_repr():
    client = HttpBackend("http://127.0.0.1:1", "s3cret-token")
    assert "s3cret" not in repr(client)
