"""Invalid, the exception every validator raises, and the cleaning all of them share."""

from __future__ import annotations

import unicodedata
from typing import Literal


class Invalid(Exception):
    """The text is not acceptable; ``key`` is a catalog key, ``params`` its placeholders."""

    def __init__(self, key: str, **params: object) -> None:
        super().__init__(key)
        self.key = key
        self.params = params

    def __repr__(self) -> str:
        return f"Invalid({self.key!r}, **{self.params!r})"


# -- cleaning ---------------------------------------------------------------------------

#: zero-width and bidi-control characters: invisible, never meant, dropped everywhere
_INVISIBLE = dict.fromkeys(
    map(
        ord,
        "\u200b\u200c\u200e\u200f\u2060\ufeff\u202a\u202b\u202c\u202d\u202e"
        "\u2066\u2067\u2068\u2069\u00ad",
    ),
    None,
)
_DASHES = str.maketrans(dict.fromkeys("‐‑‒–—―−﹣－", "-"))


def _ascii_digits(text: str) -> str:
    """Any Unicode decimal digit (Arabic-Indic, Devanagari, full-width...) as 0-9."""
    if text.isascii():
        return text
    return "".join(str(unicodedata.decimal(c)) if c.isdecimal() else c for c in text)


def _clean(text: str, form: Literal["NFC", "NFKC"] = "NFC") -> str:
    """Normalised, invisible characters dropped, trimmed, whitespace runs as one space."""
    text = unicodedata.normalize(form, text.translate(_INVISIBLE))
    return " ".join(text.split())


def _clean_code(text: str) -> str:
    """For codes, phones, dates: NFKC, ASCII digits, one kind of dash."""
    return _ascii_digits(_clean(text, "NFKC")).translate(_DASHES)


def _printable(text: str) -> str:
    """Control characters (and lone surrogates, which cannot be stored) removed."""
    return "".join(c for c in text if unicodedata.category(c) not in ("Cc", "Cs"))
