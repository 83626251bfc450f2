"""The claim's audit trail: who approved, rejected, shipped, looked at its personal data or
imported codes, on both adapters (embedded and over HTTP) and on the command line."""

from __future__ import annotations

import argparse
import io

import pytest

from backend.port import Actor, ClaimRequest, InvalidTransition, RejectReason
from backend.staff_cli import add_review_parser, login_name, run_review
from tests.backend.conftest import product_data, recipient, signed_up

SAM = Actor(id="telegram:777", name="@sam_staff")
KIM = Actor(id="telegram:778", name="@kim_staff")


async def _claim(backend, category="Motherboard", promotion="open", key="k"):
    member = await signed_up(backend)
    product = await backend.register_product(member.id, product_data(category=category))
    request = ClaimRequest(promotion, product.id, "sha256:sn", recipient(street="Hauptstr. 5"))
    return member, await backend.submit_claim(member.id, request, key)


def _trail(entries):
    return [(e.action, e.actor_id, e.actor_name, e.details) for e in entries]


async def test_every_staff_action_is_recorded_with_who_did_it(backend):
    member, claim = await _claim(backend)
    assert await backend.claim_history(claim.id) == []
    await backend.record_view(claim.id, SAM)
    await backend.reject(claim.id, RejectReason.INVOICE_UNREADABLE, "", SAM)
    trail = await backend.claim_history(claim.id)
    assert _trail(trail) == [
        ("show", "telegram:777", "@sam_staff", ""),
        ("reject", "telegram:777", "@sam_staff", "invoice_unreadable"),
    ]
    assert trail[0].at <= trail[1].at


async def test_approve_and_ship_record_the_actor_never_the_code(backend):
    member, chair = await _claim(backend, "Gaming Chair", "chair")
    await backend.approve(chair.id, KIM)
    await backend.mark_shipped(chair.id, SAM, "1Z999")
    assert _trail(await backend.claim_history(chair.id)) == [
        ("approve", "telegram:778", "@kim_staff", "approved"),
        ("ship", "telegram:777", "@sam_staff", "1Z999"),
    ]
    member2 = await signed_up(backend)
    product = await backend.register_product(member2.id, product_data())
    digital = await backend.submit_claim(
        member2.id, ClaimRequest("open", product.id, "sha256:sn", recipient()), "k2"
    )
    approved = await backend.approve(digital.id, SAM)
    assert approved.prize_code
    trail = await backend.claim_history(digital.id)
    assert _trail(trail) == [("approve", "telegram:777", "@sam_staff", "success")]
    assert all(approved.prize_code not in str(e) for e in trail)


async def test_a_refused_action_leaves_no_trace(backend):
    member, claim = await _claim(backend)
    await backend.reject(claim.id, RejectReason.INVOICE_UNREADABLE, "", SAM)
    with pytest.raises(InvalidTransition):
        await backend.approve(claim.id, KIM)  # not under review any more
    assert [e.action for e in await backend.claim_history(claim.id)] == ["reject"]


async def test_a_bare_name_still_works(backend):
    member, claim = await _claim(backend)
    await backend.approve(claim.id, "staff-anna")
    assert _trail(await backend.claim_history(claim.id)) == [
        ("approve", "staff-anna", "staff-anna", "success")
    ]


def _parse(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="redeem-bot")
    add_review_parser(parser.add_subparsers(dest="command", required=True))
    return parser.parse_args(["review", *argv])


async def test_review_show_records_the_look_and_prints_the_history(backend, tmp_path):
    login = login_name()
    member, claim = await _claim(backend)
    await backend.approve(claim.id, SAM)
    out = io.StringIO()
    assert await run_review(_parse("--staff", "ana", "show", claim.id), backend, out) == 0
    text = out.getvalue()
    assert "approve by @sam_staff (telegram:777)" in text
    assert f"show by ana (os:{login})" in text  # the look itself is on record before it is shown
    out = io.StringIO()
    assert await run_review(_parse("show", claim.id), backend, out) == 0
    assert f"show by {login} (os:{login})" in out.getvalue()  # no --staff: the login name
    codes = tmp_path / "codes.txt"
    codes.write_text("SECRET-CODE-1\nSECRET-CODE-2\n", encoding="utf-8")
    assert (
        await run_review(
            _parse("--staff", "ana", "import-codes", "open", str(codes)), backend, io.StringIO()
        )
        == 0
    )


def test_the_cli_actor_is_the_real_login_not_an_environment_variable(monkeypatch):
    """``USER=boss redeem-bot review approve ...`` must not put "os:boss" in the history:
    the id is the account the process runs as (``--staff`` is only the name shown)."""
    import os
    import pwd

    from backend.staff_cli import cli_actor

    for name in ("LOGNAME", "USER", "LNAME", "USERNAME"):
        monkeypatch.setenv(name, "boss")
    real = pwd.getpwuid(os.getuid()).pw_name
    assert real != "boss"
    assert cli_actor(None) == Actor(id=f"os:{real}", name=real)
    assert cli_actor("boss").id == f"os:{real}"
