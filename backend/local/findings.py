"""What staff should know about a claim (issue 12), found inside the submitting transaction
and stored with it (``claim_findings``); a resubmission finds them afresh.

- the pre-checks: the invoice's (kept with the product: ``invoice.<code>``; none ran or it
  could not run: ``unchecked``) and the S/N photo's at redemption (``sn.<code>``);
- duplicates, each with the other claim's id: the same invoice picture (content address),
  the same file by the channel's id (Telegram's ``file_unique_id``: ``duplicate.invoice_file``)
  or the same invoice read again (the OCR key store|number|date) on another member's claim
  or another claim of the same promotion; the same S/N photo on another product's claim;
  the same serial in any spelling (``serial_key``) on another product's claim;
- the member's other claims (information: the only finding that does not stop an
  auto-approval), the same phone or address on other members' claims.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from sqlalchemy import ColumnElement, delete, or_, select
from sqlalchemy.orm import Session

from backend.port import Finding, serial_key
from storage.backend_models import ClaimFindingRow, ClaimRow, ProductRow

LIMIT = 5  # other claims named per kind of finding (staff see the pattern, not a list)


def _claims(s: Session, *where: ColumnElement[bool]) -> list[ClaimRow]:
    return list(
        s.scalars(
            select(ClaimRow).where(*where).order_by(ClaimRow.created_at, ClaimRow.id).limit(LIMIT)
        )
    )


def _duplicates(code: str, found: Iterable[ClaimRow]) -> list[Finding]:
    return [Finding(code, other.id) for other in found]


def _same_invoice_rule(row: ClaimRow) -> ColumnElement[bool]:
    """Another member's claim, or another claim of the same promotion (one member's one
    invoice for one product may serve several promotions)."""
    return or_(ClaimRow.member_id != row.member_id, ClaimRow.promotion == row.promotion)


def find(
    s: Session, row: ClaimRow, product: ProductRow, sn_findings: Iterable[str]
) -> list[Finding]:
    """Every finding on ``row`` (flushed, not committed)."""
    found: list[Finding] = []
    check = product.invoice_check
    if not check or not check.get("checked"):
        found.append(Finding("unchecked", detail="invoice"))
    else:
        found += [Finding(f"invoice.{code}") for code in check.get("findings", ())]
    found += [Finding(f"sn.{code}") for code in sn_findings]
    other = ClaimRow.id != row.id
    found += _duplicates(
        "duplicate.invoice_picture",
        _claims(s, other, ClaimRow.invoice == row.invoice, _same_invoice_rule(row)),
    )
    uid = check.get("uid") if check else None
    if uid:  # the same file (Telegram's file_unique_id), whatever its bytes came to
        same_file = select(ProductRow.id).where(
            ProductRow.invoice_check["uid"].as_string() == str(uid), ProductRow.id != product.id
        )
        found += _duplicates(
            "duplicate.invoice_file",
            _claims(s, other, ClaimRow.product_id.in_(same_file), _same_invoice_rule(row)),
        )
    if product.invoice_key:
        same_key = select(ProductRow.id).where(
            ProductRow.invoice_key == product.invoice_key, ProductRow.id != product.id
        )
        found += _duplicates(
            "duplicate.invoice",
            _claims(s, other, ClaimRow.product_id.in_(same_key), _same_invoice_rule(row)),
        )
    found += _duplicates(
        "duplicate.sn_photo",
        _claims(s, other, ClaimRow.sn_photo == row.sn_photo, ClaimRow.product_id != row.product_id),
    )
    key = serial_key(product.serial)
    same_serial = [
        p.id
        for p in s.scalars(
            select(ProductRow).where(
                ProductRow.id != product.id,
                or_(ProductRow.serial_key == key, ProductRow.serial_key.is_(None)),
            )
        )
        if serial_key(p.serial) == key
    ]
    if same_serial:
        found += _duplicates(
            "duplicate.serial", _claims(s, other, ClaimRow.product_id.in_(same_serial))
        )
    found += _duplicates(
        "member.other_claim", _claims(s, other, ClaimRow.member_id == row.member_id)
    )
    someone_else = ClaimRow.member_id != row.member_id
    if row.rcpt_phone.strip():
        found += _duplicates(
            "same.phone", _claims(s, someone_else, ClaimRow.rcpt_phone == row.rcpt_phone)
        )
    if row.rcpt_street.strip():
        found += _duplicates(
            "same.address",
            _claims(
                s,
                someone_else,
                ClaimRow.rcpt_street == row.rcpt_street,
                ClaimRow.rcpt_zip == row.rcpt_zip,
                ClaimRow.rcpt_unit == row.rcpt_unit,
            ),
        )
    return found


def store(s: Session, claim_id: str, findings: Iterable[Finding], now: dt.datetime) -> None:
    """Replace the claim's findings with ``findings`` (a resubmission is checked afresh)."""
    s.execute(delete(ClaimFindingRow).where(ClaimFindingRow.claim_id == claim_id))
    s.add_all(
        ClaimFindingRow(
            claim_id=claim_id,
            code=f.code,
            other_claim=f.other_claim,
            detail=f.detail,
            created_at=now,
        )
        for f in findings
    )


def load(s: Session, claim_id: str) -> tuple[Finding, ...]:
    found = s.scalars(
        select(ClaimFindingRow)
        .where(ClaimFindingRow.claim_id == claim_id)
        .order_by(ClaimFindingRow.id)
    )
    return tuple(Finding(r.code, r.other_claim, r.detail) for r in found)


def clean(findings: Iterable[Finding]) -> bool:
    """Nothing that stops an auto-approval."""
    return not any(f.blocks_auto for f in findings)
