"""What must never reach a log: the values a whole journey handles (tests/conversation/journeys.py),
and a search for them that names what leaked and where."""

from __future__ import annotations

import re

from backend.catalog import load_catalog
from bot.config import PACKAGED_PROMOTIONS

EMAIL = "jamie@example.com"
PHONE = ("+49 30 1234567", "+49301234567", "301234567")
STREET = "Invalidenstr"
LAST_NAME = "Smith"
PRIZE_CODE = re.compile(r"DEMO-[A-Z0-9]{4}-[A-Z0-9]{4}")


def pool_codes() -> list[str]:
    """Every demo prize code of the packaged catalog, used or not."""
    return [code for pool in load_catalog(PACKAGED_PROMOTIONS).demo_codes.values() for code in pool]


def secrets_of_the_journey(
    password: str, *, token: str | None = None, code: str | None = None
) -> dict[str, str]:
    """name -> value of everything secret or personal in a whole journey."""
    found = {
        "password": password,
        "argon2 hash": "$argon2id$",
        "email": EMAIL,
        "email (urlencoded)": EMAIL.replace("@", "%40"),
        "street": STREET,
        "last name": LAST_NAME,
    }
    found.update({f"phone {p!r}": p for p in PHONE})
    found.update({f"pool code {c}": c for c in pool_codes()})
    if token:
        found["bot token"] = token
        found["bot token (secret part)"] = token.partition(":")[2]
    if code:
        found["delivered code"] = code
    return found


def leaks(log: str, secrets: dict[str, str]) -> list[str]:
    """Each secret found in ``log``, with the line it is on (shortened)."""
    out = []
    codes = 0
    for name, value in secrets.items():
        at = log.find(value)
        if at < 0:
            continue
        if name.startswith("pool code"):
            codes += 1
            continue
        start = log.rfind("\n", 0, at) + 1
        out.append(f"{name}: {log[start : start + 300]!r}")
    if codes:
        out.append(f"{codes} codes of the pool")
    other = PRIZE_CODE.search(log)
    if other:
        start = log.rfind("\n", 0, other.start()) + 1
        out.append(f"a prize code: {log[start : start + 300]!r}")
    return out
