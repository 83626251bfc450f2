"""Rows as a database at revision 0004 holds them (before serial keys), for migration tests."""

from __future__ import annotations

import dataclasses
import datetime as dt

from backend.catalog import Catalog, parse_catalog
from tests.backend.conftest import TEST_CATALOG, recipient

T0 = dt.datetime(2025, 2, 1, 9, 0, tzinfo=dt.UTC)


def old_member(member_id: str) -> dict:
    return {
        "id": member_id,
        "email": f"{member_id}@example.com",
        "password_hash": "x",
        "first_name": "M",
        "last_name": "",
        "region": "Germany",
        "phone": "",
        "newsletter": False,
        "reward_program": False,
        "privacy_consent_at": T0,
        "created_at": T0,
        "failed_logins": 0,
        "locked_until": None,
    }


def old_product(product_id: str, member_id: str, serial: str, minutes: int) -> dict:
    return {
        "id": product_id,
        "member_id": member_id,
        "category": "Motherboard",
        "product_name": "MEG Z890 ACE",
        "model": "E96-0R1",
        "serial": serial,
        "chk": "123",
        "region": "Germany",
        "store": "Shop",
        "purchase_date": dt.date(2025, 1, 10),
        "channel": "retail",
        "invoice": "sha256:inv",
        "registered_at": T0 + dt.timedelta(minutes=minutes),
    }


def old_claim(claim_id: str, member_id: str, product_id: str) -> dict:
    r = {f"rcpt_{k}": v for k, v in dataclasses.asdict(recipient()).items()}
    return r | {
        "id": claim_id,
        "member_id": member_id,
        "promotion": "open",
        "product_id": product_id,
        "product_name": "MEG Z890 ACE",
        "serial": "-",
        "sn_photo": "sha256:sn",
        "invoice": "sha256:inv",
        "status": "under_review",
        "reason": None,
        "reason_text": "",
        "prize_code": "",
        "tracking": "",
        "attempts": 1,
        "idempotency_key": claim_id,
        "created_at": T0,
        "updated_at": T0,
    }


def parsed_catalog() -> Catalog:
    return parse_catalog(TEST_CATALOG, source="test")
