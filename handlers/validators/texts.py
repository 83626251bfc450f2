"""Free text the customer types: passwords, names, single-line text."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from zxcvbn import zxcvbn

from handlers.validators.base import Invalid, _clean, _printable

# -- passwords --------------------------------------------------------------------------

PASSWORD_MIN = 8
PASSWORD_MAX = 128
#: zxcvbn's score (0..4) a new password needs: 3 = "safely unguessable" (about 10^10 guesses)
PASSWORD_SCORE = 3
_CONTEXT_MIN = 3  # shorter parts of a name or address are not looked for


def _context_words(context: Iterable[str]) -> list[str]:
    """The customer's own words (e-mail address, its parts, names), case-folded."""
    words: set[str] = set()
    for value in context:
        folded = (value or "").casefold().strip()
        if len(folded) >= _CONTEXT_MIN:
            words.add(folded)
        words.update(w for w in re.split(r"[\W_]+", folded) if len(w) >= _CONTEXT_MIN)
    return sorted(words)


def password(text: str, context: Iterable[str] = ()) -> str:
    """The password exactly as typed (never trimmed or normalised: login must match).

    ``context``: the customer's e-mail address and names; a password containing one of
    them, or one zxcvbn scores below ``PASSWORD_SCORE`` (common passwords, keyboard walks,
    words with digits tacked on), is refused with the reason.

    Raises ``invalid.password_short`` {min}, ``invalid.password_long`` {max},
    ``invalid.password_weak`` (needs a letter and a digit), ``invalid.password_personal``
    (contains the e-mail address or a name), ``invalid.password_common`` (a well-known
    password, or one with a few characters added), ``invalid.password_guessable``.
    """
    if len(text) < PASSWORD_MIN:
        raise Invalid("invalid.password_short", min=PASSWORD_MIN)
    if len(text) > PASSWORD_MAX:
        raise Invalid("invalid.password_long", max=PASSWORD_MAX)
    if not (any(c.isalpha() for c in text) and any(c.isdigit() for c in text)):
        raise Invalid("invalid.password_weak")
    words = _context_words(context)
    folded = text.casefold()
    if any(w in folded for w in words):
        raise Invalid("invalid.password_personal")
    result = zxcvbn(text[:72], user_inputs=words)  # its own bound: slow on very long input
    if result["score"] < PASSWORD_SCORE:
        common = any(m.get("dictionary_name") == "passwords" for m in result["sequence"])
        raise Invalid("invalid.password_common" if common else "invalid.password_guessable")
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
