"""Validators for what customers type: pure functions from raw text to a parsed value.

Each validator returns the parsed value or raises ``Invalid(key, **params)``, where ``key``
is a catalog key (``handlers/locales/en.ftl``) and ``params`` fill its placeholders. No
English text lives here, and no params carry what the customer typed (it may be personal data).

Typed text is cleaned the same way everywhere: Unicode-normalised (NFKC for codes, dates,
phones and e-mails, so full-width "１２３" or "＠" from CJK keyboards work; NFC for names and
free text), trimmed, internal whitespace collapsed, zero-width characters dropped.

Serial numbers and CHK codes come back as a ``CodeReading``: the canonical value to store,
plus which positions were corrected or could be read either way (0/O, 1/I/L, 5/S, 8/B, 2/Z),
so the conversation can ask "we read it as B A 3 T 0 1 9 4 6 0 0 0 V, is that right?".

One module per kind: ``texts`` (password, name, free text), ``contact`` (e-mail, phone,
postal code), ``codes`` (serial number, CHK), ``dates`` (purchase date), ``choices`` (yes/no,
category, channel); ``base`` holds ``Invalid`` and the shared cleaning. Everything public is
re-exported here, so callers write ``from handlers import validators as v``.
"""

from __future__ import annotations

from handlers.validators.base import Invalid
from handlers.validators.choices import (
    CATEGORIES,
    CATEGORY_IDS,
    CHANNEL_IDS,
    CHANNELS,
    Category,
    Channel,
    category,
    channel,
    yesno,
)
from handlers.validators.codes import (
    CHK_LENGTH,
    DEFAULT_SERIAL_PATTERNS,
    GLYPH_NOTES,
    SERIAL_EXAMPLE,
    SERIAL_MAX,
    CodeReading,
    Glyph,
    check_patterns,
    chk,
    confusable_display,
    serial,
    spell_serial,
)
from handlers.validators.contact import (
    EMAIL_MAX,
    email,
    looks_like_postal_code,
    phone,
    postal_format,
    zip_and_city,
    zip_code,
)
from handlers.validators.dates import MAX_AGE_YEARS, DateReading, purchase_date
from handlers.validators.texts import NAME_MAX, PASSWORD_MAX, PASSWORD_MIN, name, password, text

__all__ = [
    "CATEGORIES",
    "CATEGORY_IDS",
    "CHANNELS",
    "CHANNEL_IDS",
    "CHK_LENGTH",
    "DEFAULT_SERIAL_PATTERNS",
    "EMAIL_MAX",
    "GLYPH_NOTES",
    "MAX_AGE_YEARS",
    "NAME_MAX",
    "PASSWORD_MAX",
    "PASSWORD_MIN",
    "SERIAL_EXAMPLE",
    "SERIAL_MAX",
    "Category",
    "Channel",
    "CodeReading",
    "DateReading",
    "Glyph",
    "Invalid",
    "category",
    "channel",
    "check_patterns",
    "chk",
    "confusable_display",
    "email",
    "name",
    "password",
    "phone",
    "postal_format",
    "purchase_date",
    "serial",
    "spell_serial",
    "text",
    "yesno",
    "zip_and_city",
    "zip_code",
    "looks_like_postal_code",
]
