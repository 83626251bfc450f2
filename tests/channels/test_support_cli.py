"""``redeem-bot support reply|close``: answers and closes a ticket, recorded with who did it
(the OS login as the id, ``--staff`` as the name)."""

from __future__ import annotations

import asyncio

from backend.staff_cli import login_name
from bot.app import build_app
from bot.cli import main
from states import ConversationKey
from tests.conftest import make_settings

KEY = ConversationKey("test", "1001", "1001")


def test_reply_and_close_are_recorded(tmp_path, monkeypatch, capsys) -> None:
    settings = make_settings(tmp_path)
    for name, value in (
        ("DATABASE_URL", settings.database_url),
        ("BACKEND_DATABASE_URL", settings.backend_database_url),
        ("MEDIA_DIR", str(settings.media_dir)),
        ("LOG_LEVEL", "WARNING"),
        ("OCR_WORKERS", "0"),
    ):
        monkeypatch.setenv(name, value)
    monkeypatch.chdir(tmp_path)

    async def ticket() -> int:
        app = await build_app(settings)
        try:
            return (await app.support.open_ticket(KEY, text="Where is my code?")).id
        finally:
            await app.close()

    number = asyncio.run(ticket())
    assert main(["support", "reply", str(number), "On", "its", "way", "--staff", "ana"]) == 0
    assert main(["support", "close", str(number)]) == 0
    assert main(["support", "list"]) == 0

    async def history() -> list:
        app = await build_app(settings)
        try:
            return await app.support.history(number)
        finally:
            await app.close()

    login = login_name()
    assert [(a.action, a.actor_id, a.actor_name) for a in asyncio.run(history())] == [
        ("reply", f"os:{login}", "ana"),
        ("close", f"os:{login}", login),
    ]
    capsys.readouterr()


def test_support_list_names_the_customer_and_review_errors_are_words(
    tmp_path, monkeypatch, capsys
) -> None:
    from backend.port import ClaimRequest
    from tests.backend.conftest import product_data, recipient, sign_up_data, signed_up

    settings = make_settings(tmp_path)
    for name, value in (
        ("DATABASE_URL", settings.database_url),
        ("BACKEND_DATABASE_URL", settings.backend_database_url),
        ("MEDIA_DIR", str(settings.media_dir)),
        ("LOG_LEVEL", "WARNING"),
    ):
        monkeypatch.setenv(name, value)
    monkeypatch.chdir(tmp_path)

    async def member_with_ticket_and_claim() -> str:
        app = await build_app(settings)
        try:
            member = await signed_up(
                app.backend, sign_up_data("kim@example.com", first_name="Kim", last_name="Lee")
            )
            await app.support.open_ticket(KEY, member.id, text="Where is my code?")
            product = await app.backend.register_product(
                member.id, product_data(category="Motherboard")
            )
            request = ClaimRequest("levelup", product.id, "sha256:sn", recipient())
            return (await app.backend.submit_claim(member.id, request, "k")).id
        finally:
            await app.close()

    claim_id = asyncio.run(member_with_ticket_and_claim())
    assert main(["support", "list"]) == 0
    listed = capsys.readouterr().out
    assert "Kim Lee <kim@example.com>" in listed and "1001" not in listed.splitlines()[0]
    assert main(["review", "reject", claim_id[:8], "--reason", "other"]) == 1
    err = capsys.readouterr().err
    assert "--text" in err and "error.invalid_field" not in err  # words, not the key
    assert main(["review", "approve", claim_id[:8]]) == 0  # a short id will do
    assert main(["review", "approve", claim_id[:8]]) == 1
    err = capsys.readouterr().err
    assert "cannot be given" in err and "error.invalid_transition" not in err
    assert main(["review", "show", "ffffffff-no-such-claim"]) == 1
    err = capsys.readouterr().err
    assert "There is no claim “ffffffff-no-such-claim”" in err and "error." not in err


def test_review_stats_says_what_the_review_room_says(tmp_path, monkeypatch, capsys) -> None:
    from backend.port import ClaimRequest, RejectReason
    from tests.backend.conftest import product_data, recipient, sign_up_data, signed_up

    settings = make_settings(tmp_path)
    for name, value in (
        ("DATABASE_URL", settings.database_url),
        ("BACKEND_DATABASE_URL", settings.backend_database_url),
        ("MEDIA_DIR", str(settings.media_dir)),
        ("LOG_LEVEL", "WARNING"),
        ("OCR_WORKERS", "0"),
    ):
        monkeypatch.setenv(name, value)
    monkeypatch.chdir(tmp_path)

    async def claims() -> None:
        app = await build_app(settings)
        try:
            await app.support.open_ticket(KEY, text="Where is my code?")
            for n, category in enumerate(("Motherboard", "Graphics Card", "Monitor")):
                member = await signed_up(app.backend, sign_up_data(f"kim{n}@example.com"))
                product = await app.backend.register_product(
                    member.id, product_data(category=category, serial=f"SN0000{n}XYZ")
                )
                request = ClaimRequest("levelup", product.id, f"sha256:sn{n}", recipient())
                claim = await app.backend.submit_claim(member.id, request, f"k{n}")
                if n == 1:
                    await app.desk.reject(claim.id, RejectReason.SN_MISMATCH, "", "ana")
        finally:
            await app.close()

    asyncio.run(claims())
    assert main(["review", "stats"]) == 0
    out = capsys.readouterr().out
    assert "Claims waiting: 2" in out and "Decided today: 1" in out
    assert "tickets open: 1" in out
    assert "levelup" in out and "sn_mismatch 1" in out
    assert "Median time to decision" in out and "Codes left:" in out
