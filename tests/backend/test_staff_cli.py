"""The staff review CLI against a real desk (the local backend, and over HTTP)."""

from __future__ import annotations

import argparse
import io

import pytest

from backend.port import ClaimRequest, ClaimStatus, SerialAlreadyRegistered
from backend.staff_cli import Tools, add_review_parser, run_review
from tests.backend.conftest import product_data, recipient, sign_up_data, signed_up


def _parse(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="redeem-bot")
    add_review_parser(parser.add_subparsers(dest="command", required=True))
    return parser.parse_args(["review", "--staff", "ana", *argv])


async def _run(desk, *argv: str) -> tuple[int, str]:
    out = io.StringIO()
    code = await run_review(_parse(*argv), desk, out)
    return code, out.getvalue()


async def _claim(backend, category="Motherboard", promotion="open"):
    member = await signed_up(backend, sign_up_data())
    product = await backend.register_product(member.id, product_data(category=category))
    request = ClaimRequest(promotion, product.id, "sha256:sn", recipient(street="Hauptstr. 5"))
    return member, await backend.submit_claim(member.id, request, "k")


async def test_list_show_approve(backend):
    code, text = await _run(backend, "list")
    assert (code, text.strip()) == (0, "no claims waiting for review")
    member, claim = await _claim(backend)
    code, text = await _run(backend, "list")
    assert claim.id in text and claim.serial in text and "1 waiting" in text
    assert "jamie" not in text.lower()  # no personal data in the queue
    code, text = await _run(backend, "show", claim.id)
    assert "Open Upgrade (open)" in text and "sha256:sn" in text
    assert "Hauptstr" not in text  # digital prize: no address needed
    code, text = await _run(backend, "approve", claim.id)
    assert code == 0 and "success" in text
    full = await backend.get_claim(member.id, claim.id)
    assert full.prize_code not in text and full.prize_code[-4:] in text  # masked


async def test_reject_and_ship(backend):
    member, claim = await _claim(backend)
    code, _ = await _run(backend, "reject", claim.id, "--reason", "invoice_unreadable")
    assert code == 0
    assert (await backend.get_claim(member.id, claim.id)).status is ClaimStatus.REJECTED
    member, chair = await _claim(backend, "Gaming Chair", "chair")
    await _run(backend, "approve", chair.id)
    code, text = await _run(backend, "show", chair.id)
    assert "Hauptstr. 5" in text  # physical prize: staff need the address
    code, text = await _run(backend, "ship", chair.id, "--tracking", "1Z999")
    assert code == 0 and "shipped" in text


async def test_import_codes_and_stock(backend, tmp_path):
    codes = tmp_path / "codes.txt"
    codes.write_text("# batch 7\nAAA-1\nAAA-2\n\nAAA-1\n", encoding="utf-8")
    code, text = await _run(backend, "import-codes", "models", str(codes))
    assert (code, text.strip()) == (
        0,
        "added 2 of 3 codes; 0 waiting claims got their code; 2 unused in models",
    )
    code, text = await _run(backend, "stock", "models")
    assert text.strip() == "2 unused codes in models"


async def test_empty_pool_approval_waits_then_import_and_stats(backend, tmp_path):
    member = await signed_up(backend, sign_up_data())
    screen = await backend.register_product(
        member.id, product_data(category="Monitor", model="MAG 27CQ")
    )
    request = ClaimRequest("models", screen.id, "sha256:sn", recipient())
    claim = await backend.submit_claim(member.id, request, "k")
    code, text = await _run(backend, "approve", claim.id)
    assert code == 0 and "approved" in text
    code, text = await _run(backend, "stats")
    assert (
        "1 claims waiting" not in text
        and "models: 0 codes left, 1 approved claims waiting for a code" in text
    )
    codes = tmp_path / "codes.csv"
    codes.write_text("ZZZ-1\nZZZ-2\n", encoding="utf-8")
    code, text = await _run(backend, "import-codes", "models", str(codes))
    assert text.strip() == "added 2 of 2 codes; 1 waiting claims got their code; 1 unused in models"
    assert "ZZZ" not in text
    assert (await backend.get_claim(member.id, claim.id)).prize_code == "ZZZ-1"
    code, text = await _run(backend, "stats")
    assert "0 claims waiting for review" in text and "models: 1 codes left, 0 approved" in text


async def test_refusals_exit_1(backend, capsys):
    code, _ = await _run(backend, "approve", "no-such-claim")
    assert code == 1
    assert "error.not_found" in capsys.readouterr().err
    code, _ = await _run(backend, "import-codes", "models", "/nonexistent/codes.txt")
    assert code == 1


def test_reject_reason_must_be_standard():
    with pytest.raises(SystemExit):
        _parse("reject", "x", "--reason", "because")


async def test_conflicts_lists_serial_clashes_for_staff(backend):
    code, text = await _run(backend, "conflicts")
    assert (code, text.strip()) == (0, "no serial conflicts")
    owner = await signed_up(backend)
    other = await signed_up(backend)
    product = await backend.register_product(owner.id, product_data("BO3T01946000V"))
    with pytest.raises(SerialAlreadyRegistered):
        await backend.register_product(other.id, product_data("B03T01946000V"))
    code, text = await _run(backend, "conflicts", "--limit", "5")
    assert code == 0
    [line] = [ln for ln in text.splitlines() if "B03T01946000V" in ln]
    assert "register" in line and other.id in line and owner.id in line and product.id in line
    assert "1 shown" in text
    assert "jamie" not in text.lower() and "@" not in text  # ids only, no personal data


async def test_any_unique_start_of_an_id_will_do_and_an_ambiguous_one_is_named(backend, capsys):
    _, first = await _claim(backend)
    _, second = await _claim(backend)
    shared = 0
    while first.id[: shared + 1] == second.id[: shared + 1]:
        shared += 1
    code, text = await _run(backend, "show", first.id[: shared + 1])
    assert code == 0 and first.id in text and second.id not in text
    capsys.readouterr()
    code, _ = await _run(backend, "approve", first.id[:shared])  # "" or a shared start
    err = capsys.readouterr().err
    assert code == 1
    if shared:
        assert "error.claim_id_ambiguous" in err and first.id in err and second.id in err
    assert (await backend.find_claim(first.id)).status is ClaimStatus.UNDER_REVIEW  # nothing done
    code, _ = await _run(backend, "approve", "%")  # no wildcard reaches the query
    assert code == 1 and "error.not_found" in capsys.readouterr().err


async def test_show_has_the_product_member_rejections_and_photo_files(backend, tmp_path):
    from backend.port import RejectReason
    from backend.staff_cli import Tools

    member, claim = await _claim(backend)
    await backend.reject(claim.id, RejectReason.INVOICE_UNREADABLE, "", "ana")
    photo = tmp_path / "sn.jpg"
    photo.write_bytes(b"jpeg")
    tools = Tools(media=lambda ref: [photo] if ref == "sha256:sn" else [])
    out = io.StringIO()
    assert await run_review(_parse("show", claim.id), backend, out, tools) == 0
    text = out.getvalue()
    for shown in (
        "E96-0R1",
        "Motherboard",
        "123",
        "Computer Shop",
        "2025-02-10",
        "Germany",
        member.email,
        "invoice_unreadable",
        str(photo),
    ):
        assert shown in text, (shown, text)
    rows = {
        label.strip(): value.strip()
        for label, _, value in (line.partition(": ") for line in text.splitlines())
        if value
    }
    expected = {
        "model": "E96-0R1",
        "category": "Motherboard",
        "CHK": "123",
        "store": "Computer Shop",
        "bought": "2025-02-10",
        "channel": "retail",
        "region": "Germany",
        "member": f"Jamie Tester <{member.email}>",
        "recipient": "Jamie Tester",
        "S/N photo file": str(photo),
    }
    assert {k: rows.get(k) for k in expected} == expected, text
    assert rows["rejected"].endswith("invoice_unreadable by ana"), text
    out = io.StringIO()
    assert await run_review(_parse("open", claim.id), backend, out, tools) == 0  # no viewer
    assert str(photo) in out.getvalue()


async def test_list_pages_with_a_cursor(backend):
    claims = [(await _claim(backend))[1] for _ in range(5)]
    whole = [c.id for c in await backend.review_queue()]
    assert sorted(whole) == sorted(c.id for c in claims)
    seen: list[str] = []
    argv: tuple[str, ...] = ("list", "--limit", "2")
    for _ in range(5):
        code, text = await _run(backend, *argv)
        assert code == 0 and "5 waiting" in text
        seen += [cid for cid in whole if cid in text]
        if "next page: review list --after " not in text:
            break
        argv = ("list", "--limit", "2", "--after", text.rsplit("--after ", 1)[1].strip())
    assert seen == whole  # every claim once, oldest first, over three pages
    assert [c.id for c in await backend.review_queue(limit=2, after=whole[1])] == whole[2:4]
    assert [c.id for c in await backend.review_queue(limit=2, after="no-such-claim")] == whole[:2]
    assert await backend.waiting_count() == 5
    code, text = await _run(backend, "list", "--limit", "0")
    assert all(cid in text for cid in whole) and "next page" not in text


async def test_list_counts_the_waiting_up_to_the_cap(backend):
    """`review list` reads at most cap + 1 waiting claims to count them: "2+" past the cap,
    the exact figure at it; the pages still reach every claim; a page longer than the cap
    counts at least as far as it shows; `--limit 0` (the whole queue) counts them all."""
    claims = [(await _claim(backend))[1] for _ in range(3)]
    whole = [c.id for c in await backend.review_queue()]
    tools = Tools(waiting_cap=2)

    async def listing(*argv: str) -> str:
        out = io.StringIO()
        assert await run_review(_parse("list", *argv), backend, out, tools) == 0
        return out.getvalue()

    seen: list[str] = []
    argv: tuple[str, ...] = ("--limit", "1")
    for _ in range(4):
        text = await listing(*argv)
        assert "\n2+ waiting\n" in text and "3 waiting" not in text, text
        seen += [cid for cid in whole if cid in text]
        if "--after " not in text:
            break
        argv = ("--limit", "1", "--after", text.rsplit("--after ", 1)[1].strip())
    assert seen == whole  # every claim once, oldest first
    assert "no more; 2+ waiting" in await listing("--limit", "1", "--after", whole[-1])
    assert "\n3 waiting\n" in await listing("--limit", "3")  # the page's 3 > the cap's 2
    assert "\n3 waiting\n" in await listing("--limit", "0")
    await backend.approve(claims[0].id, "ana")
    assert "\n2 waiting\n" in await listing("--limit", "1")  # exact at the cap
    code, text = await _run(backend, "list")
    assert code == 0 and "\n2 waiting\n" in text  # the default cap (1,000)
