"""``redeem-bot``: run the bot (console chat or Telegram), the staff review desk, support
answers, the backend's HTTP API, and migrations."""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import faulthandler
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from pydantic import ValidationError

from bot.config import Settings

if TYPE_CHECKING:
    from storage.sticker import StickerReading


async def cmd_chat(settings: Settings, args: argparse.Namespace) -> int:
    from bot.app import build_app
    from bot.channels.console import ConsoleChat

    app = await build_app(settings, warm_images=True)
    app.start_housekeeping()
    try:
        chat = ConsoleChat(
            app.engine, locale=console_language(args), log_path=console_log_path(settings)
        )
        await chat.run()
    finally:
        await app.close()
    return 0


def console_log_path(settings: Settings) -> Path:
    """Where the console chat's log lines go (next to the media directory), never the chat."""
    return settings.media_dir.parent / "console.log"


def chat_mode(args: argparse.Namespace, settings: Settings) -> bool:
    """This run is the console chat (``chat``, or ``run`` without a Telegram token)."""
    return args.command == "chat" or (
        args.command in (None, "run") and settings.telegram_bot_token is None
    )


def log_stream(args: argparse.Namespace, settings: Settings) -> TextIO | None:
    """The console chat logs to a file (log lines printed between prompts would read as the
    bot's words); every other command to stderr (None)."""
    if not chat_mode(args, settings):
        return None
    path = console_log_path(settings)
    path.parent.mkdir(parents=True, exist_ok=True)
    return path.open("a", encoding="utf-8")


def console_language(args: argparse.Namespace) -> str | None:
    """--lang, else the terminal's LANG ("de_DE.UTF-8" -> "de_DE"; "C"/"POSIX" mean nothing)."""
    lang = getattr(args, "lang", None) or os.environ.get("LANG", "").split(".")[0]
    return None if lang in ("", "C", "POSIX") else lang


async def cmd_run(settings: Settings, args: argparse.Namespace) -> int:
    if settings.telegram_bot_token is None:
        print("TELEGRAM_BOT_TOKEN is not set: starting the console chat instead.", file=sys.stderr)
        return await cmd_chat(settings, args)
    from bot.channels.telegram_runner import STUCK_AFTER, run_telegram

    try:
        return await run_telegram(settings)
    finally:
        # left: asyncio.run's end (leftover tasks cancelled, its default executor joined) and
        # the interpreter's exit (it joins the threads). Should they hang, every thread's stack
        # goes to stderr (functions, files and lines; no values) and the process exits 1.
        faulthandler.dump_traceback_later(STUCK_AFTER, exit=True)


async def cmd_review(settings: Settings, args: argparse.Namespace) -> int:
    from backend.staff_cli import run_review
    from bot.app import build_app

    app = await build_app(settings)
    try:
        return await run_review(args, app.desk, tools=review_tools(settings, app)) or 0
    finally:
        await app.close()


def review_tools(settings: Settings, app: Any) -> Any:
    """The desk's command line in words (the catalog), with the media files and a viewer."""
    import shutil

    from backend.staff_cli import Tools
    from handlers.i18n import Catalog
    from storage.media import parse_ref

    catalog = Catalog()
    locale = catalog.resolve_locale(settings.staff_locale)  # staff texts: STAFF_LOCALE

    def words(exc: Any) -> str:
        staff_key = f"staff.{exc.key}"
        key = staff_key if catalog.has(staff_key) else exc.key
        return str(catalog.text(locale, key, **exc.params))

    def media(ref: str) -> list[Path]:
        try:
            digest = parse_ref(ref)
        except ValueError:
            return []
        return sorted(Path(settings.media_dir, digest[:2]).glob(f"{digest}.*"))

    return Tools(
        words=words,
        media=media,
        opener=shutil.which("xdg-open"),
        backend=app.backend,
        stats=stats_text(app, locale),
    )


def stats_text(app: Any, locale: str) -> Any:
    """/stats as the review room says it (None when the backend gives no decision numbers)."""
    if app.claim_stats is None or app.stores is None:
        return None
    from handlers.workspace.stats import StatsDesk

    return StatsDesk(
        desk=app.desk,
        backend=app.backend,
        claim_stats=app.claim_stats,
        topics=app.stores.topics,
        support=app.support,
        catalog=app.catalog,
        now=app.stores.topics.now,
        locale=locale,
    ).text


async def customer_of(app: Any, ticket: Any) -> str:
    """The customer of a ticket by name and email (a guest: the chat it came from)."""
    from backend.port import BackendError

    if ticket.member_id:
        try:
            m = await app.backend.get_member(ticket.member_id)
        except BackendError:
            pass
        else:
            name = f"{m.first_name} {m.last_name}".strip()
            return f"{name} <{m.email}> ({ticket.key.channel})"
    return f"guest in {ticket.key}"


async def cmd_support(settings: Settings, args: argparse.Namespace) -> int:
    from bot.app import build_app

    app = await build_app(settings)
    try:
        store = app.support
        if args.support_cmd == "list":
            tickets = await store.list_open()
            if not tickets:
                print("No open support requests.")
            for ticket in tickets:
                print(
                    f"#{ticket.id}  {ticket.created_at:%Y-%m-%d %H:%M}  {await customer_of(app, ticket)}"
                )
                for message in await store.messages(ticket.id):
                    print(f"    [{message.sender}] {message.text}")
                for action in await store.history(ticket.id):
                    print(
                        f"    {action.at:%Y-%m-%d %H:%M} {action.action} by {action.actor_name} ({action.actor_id})"
                    )
            from backend.staff_cli import RECENT_CONFLICTS, print_recent_conflicts

            print_recent_conflicts(
                await app.desk.serial_conflicts(RECENT_CONFLICTS + 1), sys.stdout
            )
        elif not args.ticket.lstrip("#").isdigit():
            print(f"No support request {args.ticket!r}: give its number, e.g. 12.", file=sys.stderr)
            return 2
        elif args.support_cmd == "reply":
            answered = await store.get(int(args.ticket.lstrip("#")))
            if answered is None or answered.status != "open":
                print(
                    f"#{args.ticket} is not an open support request (see: redeem-bot support list).",
                    file=sys.stderr,
                )
                return 2
            from backend.staff_cli import cli_actor
            from handlers.staff import staff_note

            actor = cli_actor(args.staff)
            await store.add_message(
                answered.id,
                "staff",
                " ".join(args.text),
                staff_name=actor.name,
                audit=staff_note("reply", actor),
            )
            print(f"Answer queued for #{answered.id}; the customer gets it in their chat.")
        elif args.support_cmd == "close":
            from backend.staff_cli import cli_actor
            from handlers.staff import close_ticket, staff_note

            actor = cli_actor(args.staff)
            closed = await close_ticket(
                store, int(args.ticket.lstrip("#")), actor.name, audit=staff_note("close", actor)
            )
            print(
                f"Closed #{args.ticket}; the customer is told."
                if closed
                else f"#{args.ticket} was not open."
            )
        return 0
    finally:
        await app.close()


async def cmd_backend(settings: Settings, args: argparse.Namespace) -> int:
    from aiohttp import web

    from backend.server import make_app
    from bot.app import build_backend
    from storage.db import make_engine, make_sessionmaker
    from storage.migrate import upgrade

    await upgrade(settings.backend_database_url)
    db = make_engine(settings.backend_database_url, single_writer=True)
    backend, _, close_backend = await build_backend(
        settings.model_copy(update={"backend": "local"}), make_sessionmaker(db)
    )
    token = (
        settings.backend_token.get_secret_value() if settings.backend_token else ""
    )  # "": refused
    host, _, port = args.listen.rpartition(":")
    runner = web.AppRunner(make_app(backend, token))
    await runner.setup()
    await web.TCPSite(runner, host or "127.0.0.1", int(port)).start()
    print(f"Backend API on http://{host or '127.0.0.1'}:{port}", file=sys.stderr)
    try:
        await asyncio.Event().wait()
    finally:
        await runner.cleanup()
        await close_backend()
        await db.dispose()
    return 0


async def cmd_migrate(settings: Settings, args: argparse.Namespace) -> int:
    from storage.migrate import upgrade

    await upgrade(settings.database_url)
    if settings.backend == "local" and settings.backend_database_url != settings.database_url:
        await upgrade(settings.backend_database_url)
    print("Databases are up to date.")
    return 0


async def cmd_check(settings: Settings, args: argparse.Namespace) -> int:
    """``check serial FILE`` / ``check invoice FILE ...``: a customer's file checked as the
    bot checks it; with ``--json`` one JSON object on the last line of stdout."""
    import json
    from pathlib import Path

    try:
        data = Path(args.file).read_bytes()
    except OSError as exc:
        print(f"redeem-bot check: cannot read {args.file}: {exc.strerror}", file=sys.stderr)
        return 2
    result = await (
        check_invoice_file(settings, args, data)
        if args.check_cmd == "invoice"
        else check_serial_file(settings, data)
    )
    if args.json:
        print(json.dumps(result, ensure_ascii=False))
    elif args.check_cmd == "serial":
        print(
            f"serial: {result['serial'] or '-'} ({result['source'] or 'not read'})\nCHK: {result['chk'] or '-'}"
        )
    else:
        for name, value in result["read"].items():
            print(f"{name}: {value if value is not None else '-'}")
    if not args.json:
        for finding in result["findings"]:
            print(f"finding: {finding['code']}: {finding['message']}")
    return 0


async def check_serial_file(settings: Settings, data: bytes) -> dict[str, Any]:
    """The serial (and CHK) off a sticker photo: the barcode, else the printed text (OCR)."""
    from handlers.i18n import Catalog
    from handlers.validators import DEFAULT_SERIAL_PATTERNS
    from storage.sticker import StickerReader
    from storage.sticker_text import read_sticker_text

    async def text(data: bytes, patterns: Sequence[str]) -> StickerReading:
        return await asyncio.to_thread(read_sticker_text, data, patterns)

    patterns = settings.serial_regexes() or DEFAULT_SERIAL_PATTERNS
    reading = await StickerReader(
        patterns, text=text, timeout=settings.ocr_timeout_seconds
    ).read_serial(data)
    catalog = Catalog()
    findings = [
        {"code": c, "message": catalog.text(settings.default_locale, f"sticker.finding.{c}")}
        for c in reading.findings
    ]
    return {**reading.as_dict(), "findings": findings}


async def check_invoice_file(
    settings: Settings, args: argparse.Namespace, data: bytes
) -> dict[str, Any]:
    """The invoice pre-check of one file (a photo or a PDF), as the bot runs it."""
    from handlers.i18n import Catalog
    from handlers.invoice_check import Claimed, finding_messages
    from storage.invoice import check_invoice
    from storage.invoice_text import Expected

    claimed = Claimed(
        args.product or "", args.model or "", args.date, args.store or "", args.window
    )
    expected = Expected(
        claimed.product,
        claimed.model,
        claimed.date,
        claimed.store,
        claimed.window,
        catalog_models(settings),
    )
    check = await asyncio.to_thread(check_invoice, data, expected)
    findings = finding_messages(
        Catalog(), settings.default_locale, check.findings, claimed, check.read
    )
    return {"findings": findings, "read": check.read}


def catalog_models(settings: Settings) -> tuple[str, ...]:
    """Every model the promotion catalog names (``read.product`` is the one on the invoice);
    none when the catalog cannot be read (the check goes on without them)."""
    from backend.catalog import CatalogError, load_catalog

    try:
        catalog = load_catalog(settings.promotions_file)
    except (CatalogError, OSError):
        return ()
    return tuple(dict.fromkeys(m for p in catalog.promotions for m in p.models))


def iso_date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a date as YYYY-MM-DD, not {value!r}") from None


def date_window(value: str) -> tuple[dt.date, dt.date]:
    start, sep, end = value.partition(":")
    window = (iso_date(start), iso_date(end)) if sep else None
    if window is None or window[0] > window[1]:
        raise argparse.ArgumentTypeError(
            f"expected FROM:TO as YYYY-MM-DD:YYYY-MM-DD, not {value!r}"
        )
    return window


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="redeem-bot", description=__doc__)
    sub = p.add_subparsers(dest="command")
    chat = sub.add_parser(
        "chat", help="talk to the bot in this terminal (embedded backend by default)"
    )
    chat.add_argument(
        "--lang",
        help="the conversation's language at first contact: en, de, zh-Hant "
        "(default: from LANG); /language changes it later",
    )
    sub.add_parser("run", help="run the Telegram bot (the console chat when no token is set)")
    sub.add_parser("migrate", help="apply database migrations")
    from backend.staff_cli import add_review_parser

    add_review_parser(sub)
    sp = sub.add_parser("support", help="answer customers' support requests")
    ssub = sp.add_subparsers(dest="support_cmd", required=True)
    ssub.add_parser("list", help="open requests with their messages")
    reply = ssub.add_parser("reply", help="answer a request")
    reply.add_argument("ticket")
    reply.add_argument("text", nargs="+")
    reply.add_argument("--staff", help="your name in the ticket's history (default: login name)")
    close = ssub.add_parser("close", help="close a request (the customer is told)")
    close.add_argument("ticket")
    close.add_argument("--staff", help="your name in the ticket's history (default: login name)")
    cp = sub.add_parser(
        "check", help="check a customer's file as the bot does (sticker photo, invoice)"
    )
    csub = cp.add_subparsers(dest="check_cmd", required=True)
    cserial = csub.add_parser(
        "serial", help="read the serial number and CHK off a photo of the S/N sticker"
    )
    cserial.add_argument("file")
    cserial.add_argument(
        "--json", action="store_true", help="one JSON object on the last line of output"
    )
    cinv = csub.add_parser(
        "invoice", help="pre-check an invoice (photo or PDF) against the registered purchase"
    )
    cinv.add_argument("file")
    cinv.add_argument(
        "--product", help="the registered product name, e.g. 'MAG B650 TOMAHAWK WIFI'"
    )
    cinv.add_argument("--model", help="its model number, e.g. MS-7D75")
    cinv.add_argument("--date", type=iso_date, help="the registered purchase date, YYYY-MM-DD")
    cinv.add_argument("--store", help="the registered store")
    cinv.add_argument(
        "--window", type=date_window, help="the promotion's purchase window, FROM:TO (YYYY-MM-DD)"
    )
    cinv.add_argument(
        "--json", action="store_true", help="one JSON object on the last line of output"
    )
    bp = sub.add_parser("backend", help="serve the embedded backend over its HTTP API")
    bsub = bp.add_subparsers(dest="backend_cmd", required=True)
    serve = bsub.add_parser("serve")
    serve.add_argument("--listen", default="127.0.0.1:8181")
    return p


COMMANDS = {
    "chat": cmd_chat,
    "run": cmd_run,
    "review": cmd_review,
    "support": cmd_support,
    "backend": cmd_backend,
    "migrate": cmd_migrate,
    "check": cmd_check,
}


def settings_problems(exc: ValidationError) -> str:
    """The settings that are wrong, one line each, named as in .env (no traceback)."""
    lines = ["redeem-bot: some settings are not valid (from .env or the environment):"]
    for error in exc.errors():
        name = ".".join(str(part) for part in error["loc"]) or "settings"
        message = str(error["msg"]).removeprefix("Value error, ")
        lines.append(f"  {name}: {message}")
    lines.append("See .env.example for every setting and its default.")
    return "\n".join(lines)


def valid_args(args: argparse.Namespace) -> argparse.Namespace:
    """The command line's text made valid (Python hands undecodable bytes over as lone
    surrogates, which no database stores); paths are left as they are."""
    from handlers.io import valid_text

    for name, value in vars(args).items():
        if isinstance(value, str):
            setattr(args, name, valid_text(value))
        elif isinstance(value, list):
            setattr(args, name, [valid_text(v) if isinstance(v, str) else v for v in value])
    return args


def main(argv: list[str] | None = None) -> int:
    args = valid_args(parser().parse_args(argv))
    try:
        settings = Settings()
    except ValidationError as exc:
        print(settings_problems(exc), file=sys.stderr)
        return 2
    from bot.logs import setup_logging

    setup_logging(settings, log_stream(args, settings))
    command = COMMANDS[args.command or "run"]  # argparse allows only these
    try:
        return asyncio.run(command(settings, args))
    except KeyboardInterrupt:
        return 130
    except Exception:  # through the redacting log, not the bare traceback printer
        logging.getLogger("bot.cli").critical(
            "redeem-bot %s stopped on an error", args.command or "run", exc_info=True
        )
        return 1


if __name__ == "__main__":
    raise SystemExit(main())
