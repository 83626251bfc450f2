"""What ``review show`` and ``review open`` add to a claim for staff: the product's details
(model, category, CHK, store, purchase date, channel, region), the member's email, the
earlier rejections, and the photos as files on disk (opened with a viewer when one is there)."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

from backend.port import BackendError, Claim, PrizeKind, StaffDesk
from states.audit import AuditEntry


def media_files(
    claim: Claim, media: Callable[[str], list[Path]] | None
) -> list[tuple[str, str, list[Path]]]:
    """(label, media ref, files) of the claim's S/N photo and invoice."""
    found = []
    for label, ref in (("S/N photo", claim.sn_photo), ("invoice", claim.invoice)):
        if ref:
            found.append((label, ref, media(ref) if media is not None else []))
    return found


def open_media(found: list[tuple[str, str, list[Path]]], opener: str | None, out: TextIO) -> None:
    """Open each file with ``opener`` (xdg-open) when there is one; print every path either way."""
    for label, ref, paths in found:
        if not paths:
            print(f"{label:>10}: {ref} (no file on this machine)", file=out)
        for path in paths:
            print(f"{label:>10}: {path}", file=out)
            if opener:
                subprocess.Popen(
                    [opener, str(path)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
                )  # noqa: S603


async def print_context(
    desk: StaffDesk | object,
    claim: Claim,
    history: list[AuditEntry],
    media: Callable[[str], list[Path]] | None,
    out: TextIO,
) -> None:
    """The rows ``review show`` adds under the claim's own."""
    rows: list[tuple[str, str]] = []
    get_product = getattr(desk, "get_product", None)
    if get_product is not None:
        try:
            p = await get_product(claim.member_id, claim.product_id)
        except BackendError:
            p = None
        if p is not None:
            rows += [
                ("model", p.model),
                ("category", p.category),
                ("CHK", p.chk or "—"),
                ("store", p.store),
                ("bought", p.purchase_date.isoformat()),
                ("channel", p.channel or "—"),
                ("region", p.region),
            ]
    get_member = getattr(desk, "get_member", None)
    if get_member is not None:
        try:
            member = await get_member(claim.member_id)
            rows.append(
                ("member", f"{member.first_name} {member.last_name}".strip() + f" <{member.email}>")
            )
        except BackendError:
            pass
    r = claim.recipient
    rows.append(("recipient", f"{r.first_name} {r.last_name}".strip() or "—"))
    if r.note and claim.prize_kind is not PrizeKind.PHYSICAL:  # a physical one shows it already
        rows.append(("note", r.note))
    rejections = [e for e in history if e.action == "reject"]
    for e in rejections:
        rows.append(("rejected", f"{e.at:%Y-%m-%d %H:%M} {e.details} by {e.actor_name}"))
    for label, ref, paths in media_files(claim, media):
        rows.append((f"{label} file", ", ".join(str(p) for p in paths) or f"{ref} (no file here)"))
    for label, value in rows:
        print(f"{label:>10}: {value}", file=out)
