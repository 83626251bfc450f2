"""What the embedded backend accepts: field lengths, e-mail and serial spellings, the rules
for when two addresses are one mailbox and for one-time codes. Pure functions, no database."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import unicodedata

from backend.port import BackendError, Recipient

CHANNELS = ("retail", "online", "reseller")
#: recipient fields the vendor's form marks required
RECIPIENT_REQUIRED = ("first_name", "zip", "street", "phone")
MEMBER_FIELDS = {
    "first_name": str,
    "last_name": str,
    "region": str,
    "phone": str,
    "newsletter": bool,
    "reward_program": bool,
    "email": str,
    "password": str,
}
#: longest accepted text per field (the column widths)
MAX_LEN = {
    "email": 320,
    "first_name": 100,
    "last_name": 100,
    "region": 100,
    "phone": 40,
    "category": 60,
    "product_name": 200,
    "model": 200,
    "serial": 64,
    "chk": 16,
    "store": 200,
    "invoice": 200,
    "sn_photo": 200,
    "zip": 20,
    "city": 100,
    "state": 100,
    "street": 200,
    "unit": 100,
    "note": 500,
    "idempotency_key": 200,
}
#: UTC+14 (Kiribati): no place's date is later
LATEST_OFFSET = dt.timedelta(hours=14)

_SERIAL = re.compile(r"[A-Z0-9]+(?:-[A-Z0-9]+)*", re.ASCII)


def invalid(field: str) -> BackendError:
    """A field the backend refuses: catalog key ``error.invalid_field`` {field}."""
    return BackendError("error.invalid_field", field=field)


def check_len(field: str, value: str) -> None:
    if len(value) > MAX_LEN.get(field, 200):
        raise invalid(field)


def same(a: str, b: str) -> bool:
    return a.strip().casefold() == b.strip().casefold()


def normalize_email(email: str) -> str:
    """Lower-cased, compatibility forms folded (a fullwidth "＠" or "ｅ" is the ASCII one, as
    mail software reads it), no root dot after the domain."""
    email = _folded(email)
    if "@" not in email or email.startswith("@") or email.endswith("@") or " " in email:
        raise invalid("email")
    check_len("email", email)
    return email


def _folded(email: str) -> str:
    return unicodedata.normalize("NFKC", email).strip().lower().rstrip(".")


def _ascii_domain(domain: str) -> str:
    """An internationalised domain as DNS knows it (punycode): "bücher.de" and
    "xn--bcher-kva.de" are one mail server."""
    try:
        return domain.encode("idna").decode("ascii").lower()
    except UnicodeError:
        return domain


@dataclasses.dataclass(frozen=True, slots=True)
class EmailRules:
    """When two addresses are one mailbox (one member, one "2 per email"): case always;
    ``+tag`` after the local part when ``plus_tags``; dots in the local part for the
    ``dotless_domains`` (Gmail ignores them). ``googlemail.com`` is ``gmail.com``."""

    plus_tags: bool = True
    dotless_domains: tuple[str, ...] = ("gmail.com", "googlemail.com")
    aliases: tuple[tuple[str, str], ...] = (("googlemail.com", "gmail.com"),)

    def canonical(self, email: str) -> str:
        local, _, domain = _folded(email).rpartition("@")
        domain = _ascii_domain(domain)
        dotless = domain in self.dotless_domains
        domain = dict(self.aliases).get(domain, domain)
        if self.plus_tags:
            local = local.split("+", 1)[0]
        if dotless or domain in self.dotless_domains:
            local = local.replace(".", "")
        return f"{local}@{domain}"


@dataclasses.dataclass(frozen=True, slots=True)
class CodeRules:
    """One-time codes by email: lifetime, wrong tries per code, resend cool-down (per
    member, all purposes: no mail-bombing an address), sends per challenge."""

    ttl: dt.timedelta = dt.timedelta(minutes=15)
    tries: int = 5
    cooldown: dt.timedelta = dt.timedelta(seconds=60)
    max_sends: int = 5
    # wrong tries per member across all its codes (a new reset is a new challenge: without
    # this, 5 guesses a minute for ever); past it even the right code waits for the window
    member_tries: int = 20
    member_window: dt.timedelta = dt.timedelta(hours=24)


def normalize_serial(serial: str) -> str:
    """Upper-cased, spaces dropped; ASCII letters and digits (dashes between them) only, so
    a look-alike from another script (Cyrillic "О") can never make a second spelling."""
    serial = "".join(unicodedata.normalize("NFKC", serial).split()).upper()
    if not _SERIAL.fullmatch(serial):
        raise invalid("serial")
    check_len("serial", serial)
    return serial


def recipient_values(r: Recipient) -> dict[str, str]:
    """The recipient as claim columns (``rcpt_*``), checked and stripped."""
    values = dataclasses.asdict(r)
    for name, value in values.items():
        if not isinstance(value, str):
            raise invalid(f"recipient.{name}")
        check_len(name, value)
        if name in RECIPIENT_REQUIRED and not value.strip():
            raise invalid(f"recipient.{name}")
    return {f"rcpt_{k}": v.strip() for k, v in values.items()}


def idempotency_key(key: str) -> str:
    if not isinstance(key, str) or not key.strip() or len(key) > MAX_LEN["idempotency_key"]:
        raise invalid("idempotency_key")
    return key.strip()


def photo_ref(field: str, value: str | None) -> str:
    """A stored photo's reference (``sn_photo``, ``invoice``): present and not too long."""
    if not value or len(value) > MAX_LEN[field]:
        raise invalid(field)
    return value
