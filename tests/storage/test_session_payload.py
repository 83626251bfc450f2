"""The saved session payload: versioned; a version-1 row (control flags among the form's
values) loads through the store as the current version, nothing the customer entered lost."""

from __future__ import annotations

import json

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from states import FormControl
from states.control import LEGACY_KEYS, split_legacy
from states.session import PAYLOAD_VERSION, ConversationKey, Session, upgrade
from storage.sessions import SqlSessionStore

KEY = ConversationKey("telegram", "42", "42")

#: a row the previous version wrote: at the serial confirmation, editing from the summary,
#: a sign-up password's first entry, and a redeem form left at the S/N photo
PAYLOAD_1 = {
    "state": "reg.serial_confirm",
    "member_id": "m1",
    "locale": "en",
    "forms": {
        "register": {
            "category": "graphics_card",
            "serial": "BA3T01946000V",
            "_edit": True,
            "_serial_pending": {
                "value": "K2203N0123456",
                "typed": "K22O3N0123456",
                "changed": [3],
                "uncertain": [],
            },
            "_serial_source": "barcode",
            "_chk_pending": "456",
            "_picker": "months",
            "_date_candidates": ["2026-03-04", "2026-04-03"],
            "_region_matches": ["DE", "DK"],
        },
        "signup": {
            "email": "jo@example.com",
            "_pw_hash": "$argon2id$x",
            "_pw_until": "2026-12-01T10:00:00+00:00",
        },
        "redeem": {
            "promotion": "levelup",
            "first_name": "Jo",
            "nonce": "n1",
            "_region": "DE",
            "promotion_name": "Level up",
            "product_label": "Trio · BA3",
            "_again": "c9",
            "_at": "redeem.sn_photo",
        },
        "again": {"claim_id": "c8", "fix": "invoice", "nonce": "n2", "promotion_name": "Level up"},
        "login": {"email": "jo@example.com"},
    },
    "resume": "redeem.sn_photo",
    "seq": 12,
    "recent": ["e1"],
    "scratch": {"member_region": "DE", "_pw_hash": "$argon2id$y"},
    "buckets": {},
}


def check_upgraded(session: Session) -> None:
    assert session.forms == {
        "register": {"category": "graphics_card", "serial": "BA3T01946000V"},
        "signup": {"email": "jo@example.com"},
        "redeem": {"promotion": "levelup", "first_name": "Jo"},
        "again": {},
        "login": {"email": "jo@example.com"},
    }
    assert session.controls == {
        "register": FormControl(
            editing=True,
            serial_reading={
                "value": "K2203N0123456",
                "typed": "K22O3N0123456",
                "changed": [3],
                "uncertain": [],
            },
            serial_source="barcode",
            chk_reading="456",
            picker="months",
            date_candidates=["2026-03-04", "2026-04-03"],
            region_matches=["DE", "DK"],
        ),
        "signup": FormControl(pw_hash="$argon2id$x", pw_until="2026-12-01T10:00:00+00:00"),
        "redeem": FormControl(
            nonce="n1",
            member_region="DE",
            promotion_name="Level up",
            product_label="Trio · BA3",
            claim_id="c9",
            left_at="redeem.sn_photo",
        ),
        "again": FormControl(claim_id="c8", fix="invoice", nonce="n2", promotion_name="Level up"),
    }
    assert session.has_form("again") and session.left_at("redeem") == "redeem.sn_photo"
    assert session.scratch == {"member_region": "DE", "_pw_hash": "$argon2id$y"}  # not a form
    assert (session.state, session.member_id, session.resume, session.seq) == (
        "reg.serial_confirm",
        "m1",
        "redeem.sn_photo",
        12,
    )


def test_every_legacy_key_names_a_control_field() -> None:
    known = set(FormControl.__dataclass_fields__)
    assert set(LEGACY_KEYS.values()) <= known
    assert set(LEGACY_KEYS.values()) == known  # and every control field had a legacy key


def test_payload_1_upgrades_in_memory() -> None:
    session = Session.from_json(KEY, json.dumps(PAYLOAD_1), 3)
    check_upgraded(session)
    assert session.version == 3
    again = Session.from_json(KEY, session.to_json(), 3)  # the current version round-trips
    assert again.forms == session.forms and again.controls == session.controls
    assert json.loads(session.to_json())["v"] == PAYLOAD_VERSION == 2


def test_upgrade_leaves_a_current_payload_alone() -> None:
    current = json.loads(Session.from_json(KEY, json.dumps(PAYLOAD_1)).to_json())
    current["forms"]["redeem"]["nonce"] = "typed by nobody"  # not a control key in version 2
    assert upgrade(json.loads(json.dumps(current))) == current


def test_split_keeps_unknown_keys_and_drops_empty_flags() -> None:
    values = {"serial": "X", "_unknown": 1, "_edit": False, "_date_candidates": None, "nonce": ""}
    assert split_legacy(values) == {}
    assert values == {"serial": "X", "_unknown": 1}


def test_empty_control_is_not_saved_and_unknown_fields_are_ignored() -> None:
    session = Session(KEY)
    session.control("register")
    assert json.loads(session.to_json())["controls"] == {}
    assert not session.has_form("register")
    assert FormControl.from_dict({"editing": True, "from_the_future": 1}) == FormControl(
        editing=True
    )


async def test_a_payload_1_row_loads_through_the_store(db: AsyncEngine) -> None:
    store = SqlSessionStore(db, cache_size=0)
    await store.save(Session(KEY))  # creates the row (version 1)
    async with db.begin() as conn:
        await conn.execute(
            text("UPDATE conversations SET data = :d WHERE key = :k"),
            {"d": json.dumps(PAYLOAD_1), "k": str(KEY)},
        )
    loaded = await store.load(KEY)
    assert loaded is not None and loaded.version == 1
    check_upgraded(loaded)
    await store.save(loaded)  # saved back in the current version
    async with db.connect() as conn:
        data = (await conn.execute(text("SELECT data FROM conversations"))).scalar_one()
    raw = json.loads(data)
    assert raw["v"] == PAYLOAD_VERSION and "_edit" not in raw["forms"]["register"]
    assert raw["controls"]["register"]["editing"] is True
    await store.close()
