"""Free text the customer types: passwords, names, single-line text."""

from __future__ import annotations

import unicodedata

from handlers.validators.base import Invalid, _clean, _printable

# -- passwords --------------------------------------------------------------------------

PASSWORD_MIN = 8
PASSWORD_MAX = 128


def password(text: str) -> str:
    """The password exactly as typed (never trimmed or normalised: login must match).

    Raises ``invalid.password_short`` {min}, ``invalid.password_long`` {max},
    ``invalid.password_weak`` (needs a letter and a digit).
    """
    if len(text) < PASSWORD_MIN:
        raise Invalid("invalid.password_short", min=PASSWORD_MIN)
    if len(text) > PASSWORD_MAX:
        raise Invalid("invalid.password_long", max=PASSWORD_MAX)
    if not (any(c.isalpha() for c in text) and any(c.isdigit() for c in text)):
        raise Invalid("invalid.password_weak")
    return text


# -- names ------------------------------------------------------------------------------

NAME_MAX = 50
#: punctuation that appears inside names: apostrophes, hyphens, dots, middle dots
_NAME_PUNCT = frozenset("'’ʼ‘-‐.·・‧")


def name(text: str) -> str:
    """A person's name: 1..50 characters of letters in any script, spaces and ' - . ·

    Needs at least one letter; digits are not allowed. Raises ``invalid.name`` {max}.
    """
    s = _clean(text)
    ok = (
        0 < len(s) <= NAME_MAX
        and any(c.isalpha() for c in s)
        and all(
            c.isalpha() or c == " " or c in _NAME_PUNCT or unicodedata.category(c)[0] == "M"
            for c in s
        )
    )
    if not ok:
        raise Invalid("invalid.name", max=NAME_MAX)
    return s


# -- free text --------------------------------------------------------------------------


def text(text: str, max_len: int = 100) -> str:
    """Trimmed single-line text: whitespace runs (newlines too) become one space and other
    control characters are dropped. Raises ``invalid.text_empty``, ``invalid.text_long`` {max}.
    """
    s = _printable(_clean(text))
    if not s.strip():
        raise Invalid("invalid.text_empty")
    s = " ".join(s.split())
    if len(s) > max_len:
        raise Invalid("invalid.text_long", max=max_len)
    return s
