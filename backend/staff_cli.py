"""The staff review desk on the command line (``redeem-bot review ...``).

``bot/cli.py`` mounts it: ``add_review_parser(subparsers)`` adds the ``review`` command
and its sub-commands; ``await run_review(args, desk)`` runs one against any
:class:`backend.port.StaffDesk` (the local backend or the HTTP one) and returns an exit
code. Output is for staff: claim ids, products, serials, media refs; the recipient's
address only where a physical prize has to be shipped.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from backend.claim_view import media_files, open_media, print_context
from backend.port import (
    WAITING_CAP,
    Actor,
    AuditEntry,
    BackendError,
    Claim,
    PrizeKind,
    RejectReason,
    SerialConflict,
    StaffDesk,
)


def add_review_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Add ``review`` with sub-commands list, show, approve, reject, ship, import-codes, stock,
    conflicts."""
    review = subparsers.add_parser("review", help="staff review desk for claims")
    review.add_argument(
        "--staff",
        help="your name in the claim's history (default: login name); "
        "the login name is recorded as your id either way",
    )
    sub = review.add_subparsers(dest="review_command", metavar="COMMAND", required=True)
    listing = sub.add_parser(
        "list", help="claims waiting for review, oldest first, a page at a time"
    )
    listing.add_argument("--limit", type=int, default=50, help="claims a page (default 50; 0: all)")
    listing.add_argument(
        "--after",
        default=None,
        metavar="CLAIM",
        help="the page after this claim (the last one the page before printed)",
    )
    for name, text in (
        ("show", "one claim in full (any unique start of its id will do)"),
        ("open", "open the claim's photos (xdg-open; else their file paths are printed)"),
        ("approve", "approve (digital: send a code)"),
    ):
        sub.add_parser(name, help=text).add_argument("claim_id")
    reject = sub.add_parser("reject", help="reject with a standard reason")
    reject.add_argument("claim_id")
    reject.add_argument("--reason", required=True, choices=[r.value for r in RejectReason])
    reject.add_argument("--text", default="", help="extra words for the customer")
    ship = sub.add_parser("ship", help="mark an approved physical prize as shipped")
    ship.add_argument("claim_id")
    ship.add_argument("--tracking", default="", help="parcel tracking number")
    codes = sub.add_parser("import-codes", help="add prize codes (one per line) to a pool")
    codes.add_argument("promotion")
    codes.add_argument("file", type=Path)
    stock = sub.add_parser("stock", help="unused codes left for a promotion")
    stock.add_argument("promotion")
    sub.add_parser(
        "stats",
        help="claims waiting, decided today, rejection reasons, median times to a first answer "
        "and to a decision, tickets open; per promotion: codes left, claims waiting for a code",
    )
    conflicts = sub.add_parser("conflicts", help="serial numbers registered twice, newest first")
    conflicts.add_argument("--limit", type=int, default=50)
    return review


Words = Callable[[BackendError], str]
MediaFiles = Callable[[str], list[Path]]


def raw_words(exc: BackendError) -> str:
    """An error as its key and parameters (when no catalog is at hand)."""
    return f"{exc.key} " + " ".join(f"{k}={v}" for k, v in exc.params.items())


@dataclass(frozen=True)
class Tools:
    """What the bot's composition root lends the desk's command line: ``words`` (an error in
    the catalog's words), ``media`` (a media ref -> its files on disk), ``opener`` (a program
    that opens files, e.g. xdg-open; None: print the paths)."""

    words: Words = raw_words
    media: MediaFiles | None = None
    opener: str | None = None
    backend: object | None = None  # the customer port (products, members); else the desk
    stats: Callable[[], Awaitable[str]] | None = None  # /stats in words (the bot's StatsDesk)
    waiting_cap: int = WAITING_CAP  # `review list` counts the waiting claims up to this ("+")


async def run_review(
    args: argparse.Namespace, desk: StaffDesk, out: TextIO | None = None, tools: Tools | None = None
) -> int:
    """Run the parsed ``review`` sub-command; 0 on success, 1 on a refused action."""
    out = out or sys.stdout
    tools = tools or Tools()
    staff = cli_actor(getattr(args, "staff", None))
    try:
        if getattr(args, "claim_id", None):
            args.claim_id = await resolve_claim_id(desk, args.claim_id)
        await _dispatch(args, desk, staff, out, tools)
    except BackendError as exc:
        print(f"error: {tools.words(exc)}".rstrip(), file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


async def resolve_claim_id(desk: StaffDesk, typed: str) -> str:
    """The full id for any unique start of one (like git); the typed id where the desk cannot
    look ids up. ``error.claim_id_ambiguous`` names the candidates."""
    starting = getattr(desk, "claim_ids_starting", None)
    if starting is None:
        return typed
    ids = await starting(typed, 5)
    if typed in ids or len(ids) == 1:
        return typed if typed in ids else str(ids[0])
    if not ids:
        raise BackendError("error.not_found", what="claim", id=typed)
    raise BackendError("error.claim_id_ambiguous", id=typed, ids=", ".join(ids))


async def _dispatch(
    args: argparse.Namespace, desk: StaffDesk, staff: Actor, out: TextIO, tools: Tools
) -> None:
    command = args.review_command
    if command == "list":
        limit = max(0, args.limit) or None
        claims = await desk.review_queue(
            limit=None if limit is None else limit + 1, after=args.after
        )
        cap = None if limit is None else max(tools.waiting_cap, limit)  # never below the page
        waiting = await desk.waiting_count(cap)
        _print_queue(claims[:limit], _waiting(waiting, cap), out)
        if limit is not None and len(claims) > limit:
            print(f"next page: review list --after {claims[limit - 1].id}", file=out)
        print_recent_conflicts(await desk.serial_conflicts(RECENT_CONFLICTS + 1), out)
    elif command == "show":
        claim = await _find(desk, args.claim_id)
        await desk.record_view(claim.id, staff)  # the customer's data is about to be shown
        _print_claim(claim, out)
        history = await desk.claim_history(claim.id)
        await print_context(tools.backend or desk, claim, history, tools.media, out)
        _print_history(history, out)
    elif command == "open":
        claim = await _find(desk, args.claim_id)
        await desk.record_view(claim.id, staff)
        open_media(media_files(claim, tools.media), tools.opener, out)
    elif command == "approve":
        _print_done(await desk.approve(args.claim_id, staff), out)
    elif command == "reject":
        reason = RejectReason(args.reason)
        _print_done(await desk.reject(args.claim_id, reason, args.text, staff), out)
    elif command == "ship":
        _print_done(await desk.mark_shipped(args.claim_id, staff, args.tracking), out)
    elif command == "import-codes":
        codes = _read_codes(args.file)
        before = await _awaiting(desk, args.promotion)
        added = await desk.import_codes(args.promotion, codes, staff)
        served = before - await _awaiting(desk, args.promotion)
        left = await desk.code_stock(args.promotion)
        print(
            f"added {added} of {len(codes)} codes; {served} waiting claims got their code; "
            f"{left} unused in {args.promotion}",
            file=out,
        )
    elif command == "stats":
        if tools.stats is not None:  # the same numbers as the review room's /stats
            print(await tools.stats(), file=out)
        await _print_stats(desk, out)
    elif command == "conflicts":
        _print_conflicts(await desk.serial_conflicts(max(1, min(args.limit, 1000))), out)
    elif command == "stock":
        print(f"{await desk.code_stock(args.promotion)} unused codes in {args.promotion}", file=out)
    else:  # pragma: no cover - argparse restricts the choices
        raise ValueError(command)


async def _awaiting(desk: StaffDesk, promotion: str) -> int:
    counter = getattr(desk, "awaiting_codes", None)  # an older HTTP backend may not say
    return int(await counter(promotion)) if counter is not None else 0


async def _print_stats(desk: StaffDesk, out: TextIO) -> None:
    """What the review room's /stats says about claims and codes (the desk's numbers)."""
    print(f"{await desk.waiting_count()} claims waiting for review", file=out)
    promotions = getattr(desk, "list_promotions", None)
    for promotion in await promotions() if promotions is not None else []:
        if promotion.prize_kind is PrizeKind.DIGITAL:
            left = await desk.code_stock(promotion.code)
            waiting = await _awaiting(desk, promotion.code)
            print(
                f"{promotion.code}: {left} codes left, {waiting} approved claims waiting for a code",
                file=out,
            )


def login_name() -> str:
    """The account this process runs as (its real uid), not ``$USER``/``$LOGNAME``, which
    anyone can set to someone else's name."""
    try:
        import pwd

        return pwd.getpwuid(os.getuid()).pw_name
    except (ImportError, KeyError):  # no passwd entry (a bare container uid), or not POSIX
        try:
            return f"uid{os.getuid()}"
        except AttributeError:
            return getpass.getuser()


def cli_actor(name: str | None) -> Actor:
    """Staff on the command line: the OS login is the id (whoever may run this on the
    database is staff), ``--staff NAME`` the name shown (default: the login)."""
    login = login_name()
    return Actor(id=f"os:{login}", name=((name or "").strip() or login)[:100])


def _print_history(entries: list[AuditEntry], out: TextIO) -> None:
    if not entries:
        return
    print(f"{'history':>10}:", file=out)
    for e in entries:
        details = f" · {e.details}" if e.details else ""
        print(
            f"{'':>10}  {e.at:%Y-%m-%d %H:%M} {e.action} by {e.actor_name} ({e.actor_id}){details}",
            file=out,
        )


def _read_codes(path: Path) -> list[str]:
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


async def _find(desk: StaffDesk, claim_id: str) -> Claim:
    finder = getattr(desk, "find_claim", None)
    if finder is not None:
        return await finder(claim_id)
    for claim in await desk.review_queue():
        if claim.id == claim_id:
            return claim
    raise BackendError("error.not_found", what="claim", id=claim_id)


def _waiting(count: int, cap: int | None) -> str:
    """``count`` as staff read it: "1,000+" past ``cap`` (counting stopped there)."""
    return f"{cap:,}+" if cap is not None and count > cap else str(count)


def _print_queue(claims: list[Claim], waiting: str, out: TextIO) -> None:
    if not claims:
        print(
            "no claims waiting for review" if waiting == "0" else f"no more; {waiting} waiting",
            file=out,
        )
        return
    print(f"{'claim':36}  {'submitted':16}  {'promotion':12}  try  product / serial", file=out)
    for c in claims:
        when = c.created_at.strftime("%Y-%m-%d %H:%M")
        line = f"{c.id:36}  {when:16}  {c.promotion:12}  {c.attempts:>3}  {c.product_name} / {c.serial}"
        print(line, file=out)
    print(f"{waiting} waiting", file=out)


def _print_claim(c: Claim, out: TextIO) -> None:
    rows = [
        ("claim", c.id),
        ("status", c.status.value),
        ("promotion", f"{c.promotion_name} ({c.promotion})"),
        ("prize", c.prize_kind.value),
        ("product", c.product_name),
        ("serial", c.serial),
        ("invoice", c.invoice),
        ("S/N photo", c.sn_photo),
        ("attempts", str(c.attempts)),
        ("submitted", c.created_at.isoformat(timespec="minutes")),
        ("updated", c.updated_at.isoformat(timespec="minutes")),
    ]
    if c.reason:
        rows.append(("reason", f"{c.reason.value} {c.reason_text}".strip()))
    if c.prize_code:
        rows.append(("code", _masked(c.prize_code)))
    if c.prize_kind is PrizeKind.PHYSICAL:
        r = c.recipient
        rows.append(("ship to", f"{r.first_name} {r.last_name}".strip()))
        rows.append(
            ("address", ", ".join(p for p in (r.street, r.unit, r.zip, r.city, r.state) if p))
        )
        rows.append(("phone", r.phone))
        if r.note:
            rows.append(("note", r.note))
    for label, value in rows:
        print(f"{label:>10}: {value}", file=out)
    if c.findings:  # issue 12: the pre-checks, duplicates, the member's other claims
        print(f"{'findings':>10}:", file=out)
        for f in c.findings:
            other = f" -> claim {f.other_claim}" if f.other_claim else ""
            detail = f" ({f.detail})" if f.detail else ""
            print(f"{'':>10}  {f.code}{detail}{other}", file=out)
    else:
        print(f"{'findings':>10}: none", file=out)


def _masked(code: str) -> str:
    """Staff see only the end of a prize code (enough to answer "which code did I get")."""
    return "*" * max(0, len(code) - 4) + code[-4:]


def _print_done(c: Claim, out: TextIO) -> None:
    extra = f" code {_masked(c.prize_code)}" if c.prize_code else ""
    print(f"{c.id}: {c.status.value}{extra}", file=out)


#: how many serial clashes ``review list`` and ``support list`` show under their lists
RECENT_CONFLICTS = 5


def print_recent_conflicts(conflicts: list[SerialConflict], out: TextIO) -> None:
    """Under a staff list: the newest serial clashes (a serial tried by one member that
    another's product owns), so nobody has to know to ask ``review conflicts``."""
    if not conflicts:
        return
    shown = conflicts[:RECENT_CONFLICTS]
    more = " (more: review conflicts)" if len(conflicts) > len(shown) else ""
    print(f"\nserial conflicts, newest first{more}:", file=out)
    for c in shown:
        print(
            f"  {c.at:%Y-%m-%d %H:%M}  {c.origin:9}  {c.serial}  {c.member_id} -> {c.owner_member_id}",
            file=out,
        )


def _print_conflicts(conflicts: list[SerialConflict], out: TextIO) -> None:
    """One line per clash: when, how it was found, the serial tried, who tried it (and their
    product, if any), the owner and the owner's product."""
    if not conflicts:
        print("no serial conflicts", file=out)
        return
    print(
        f"{'at':16}  {'origin':9}  {'serial tried':24}  member [product] -> owner / product",
        file=out,
    )
    for c in conflicts:
        mine = f" [{c.other_product_id}]" if c.other_product_id else ""
        line = (
            f"{c.at:%Y-%m-%d %H:%M}  {c.origin:9}  {c.serial:24}  "
            f"{c.member_id}{mine} -> {c.owner_member_id} / {c.product_id}"
        )
        print(line, file=out)
    print(f"{len(conflicts)} shown", file=out)
