"""Codes from the sticker: serial number and CHK, read with confusable characters resolved."""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from handlers.validators.base import Invalid, _clean_code

# -- codes: serial number and CHK --------------------------------------------------------

#: letter -> the digit it is mistaken for, and back
_LETTER_DIGIT = {"O": "0", "I": "1", "L": "1", "S": "5", "B": "8", "Z": "2"}
_DIGIT_LETTERS = {"0": "O", "1": "IL", "5": "S", "8": "B", "2": "Z"}

#: catalog keys of the notes ``confusable_display`` attaches to confusable characters
GLYPH_NOTES = {
    "0": "glyph.digit_zero",
    "O": "glyph.letter_o",
    "1": "glyph.digit_one",
    "I": "glyph.letter_i",
    "L": "glyph.letter_l",
    "5": "glyph.digit_five",
    "S": "glyph.letter_s",
    "8": "glyph.digit_eight",
    "B": "glyph.letter_b",
    "2": "glyph.digit_two",
    "Z": "glyph.letter_z",
}


@dataclass(frozen=True, slots=True)
class Glyph:
    """One character of a code as the conversation should show it.

    ``note`` is a catalog key naming the character when it is confusable
    ("glyph.digit_zero", "glyph.letter_o", ...), else None. ``marked`` is True where the
    value was corrected or could be read either way: highlight those.
    """

    char: str
    note: str | None
    marked: bool = False


@dataclass(frozen=True, slots=True)
class CodeReading:
    """How we read a serial number or CHK code.

    - ``value``: the canonical reading, what the bot stores.
    - ``typed``: what the customer typed, upper-cased, separators dropped (same length).
    - ``changed``: positions where ``value`` differs from ``typed`` (we corrected them, e.g.
      a letter O where the format needs a digit); a lower-case "l" counts as changed.
    - ``uncertain``: positions where the formats accept either reading (0 or O, ...), so
      the customer should check the sticker.
    - ``positions``: changed and uncertain together, sorted; ``ambiguous``: any of them.
    """

    value: str
    typed: str
    changed: tuple[int, ...] = ()
    uncertain: tuple[int, ...] = ()
    positions: tuple[int, ...] = field(init=False)
    ambiguous: bool = field(init=False)

    def __post_init__(self) -> None:
        positions = tuple(sorted(set(self.changed) | set(self.uncertain)))
        object.__setattr__(self, "positions", positions)
        object.__setattr__(self, "ambiguous", bool(positions))

    def display(self) -> tuple[Glyph, ...]:
        """The value as glyphs, confusable characters named, doubtful ones marked."""
        return confusable_display(self.value, self.positions)

    def as_dict(self) -> dict[str, object]:
        """JSON-friendly form (for the session's scratch space)."""
        return {
            "value": self.value,
            "typed": self.typed,
            "changed": list(self.changed),
            "uncertain": list(self.uncertain),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> CodeReading:
        return cls(data["value"], data["typed"], tuple(data["changed"]), tuple(data["uncertain"]))


#: the shape the bot shows in examples
SERIAL_EXAMPLE = "BA3T01946000V"
#: default serial formats (full match on the upper-cased serial without spaces and dashes):
#: a letter and 1-3 letters/digits, then 7-10 digits, then at most one letter
#: (BA3T01946000V); and letter, 4 digits, letter, 6-8 digits (K2203N0123456).
DEFAULT_SERIAL_PATTERNS: tuple[str, ...] = (
    r"[A-Z][A-Z0-9]{1,3}[0-9]{7,10}[A-Z]?",
    r"[A-Z][0-9]{4}[A-Z][0-9]{6,8}",
    r"[0-9]{3}V[0-9]{3}[0-9A-Z]{2,6}[0-9]{8,13}",  # graphics cards: 602-V390-470B2005080001
)
SERIAL_MAX = 40
#: how many alternative readings the serial search tries at most: all swaps, then only
#: letter -> digit swaps (reaches readings that need many O -> 0 corrections)
_SEARCH_BUDGET = 4_000
_DIGIT_BUDGET = 10_000
_SERIAL_LABEL = re.compile(r"(?:S/N|SN|SERIAL(?: NO\.?| NUMBER)?)\s*[:#]\s*|S/N\s*", re.I)
_SERIAL_SEPARATORS = str.maketrans({" ": None, "-": None})


def check_patterns(patterns: Sequence[str]) -> tuple[re.Pattern[str], ...]:
    """Compile configured serial patterns; raises ``ValueError`` on a bad one (a config error)."""
    try:
        return tuple(re.compile(p) for p in patterns)
    except re.error as exc:
        raise ValueError(f"bad serial pattern: {exc}") from exc


def serial(text: str, patterns: Sequence[str] = DEFAULT_SERIAL_PATTERNS) -> CodeReading:
    """Read a serial number: upper-case, drop spaces and dashes (and a leading "S/N:"),
    then find the reading closest to what was typed that matches one of ``patterns``
    (``DEFAULT_SERIAL_PATTERNS`` when empty).

    Confusable characters (O/0, I/1, L/1, S/5, B/8, Z/2, lower-case l) are swapped where
    the format needs the other kind; the fewest swaps win (a lower-case l is read as 1
    unless the format needs a letter). Patterns are full-matched against upper-case text.
    Raises ``invalid.serial`` {example}.
    """
    raw = _serial_raw(text)
    if not raw or len(raw) > SERIAL_MAX or not re.fullmatch(r"[A-Za-z0-9]+", raw, re.ASCII):
        raise Invalid("invalid.serial", example=SERIAL_EXAMPLE)
    typed, primary = raw.upper(), raw.replace("l", "1").upper()
    compiled = check_patterns(patterns or DEFAULT_SERIAL_PATTERNS)

    def matches(candidate: str) -> bool:
        return any(p.fullmatch(candidate) for p in compiled)

    alts = _alternatives(primary, typed)
    best = _closest(primary, alts, matches, _SEARCH_BUDGET)
    if best is None:  # many swaps needed: try only letters -> digits, the usual slip
        digits_only = [(i, "".join(c for c in o if c.isdigit())) for i, o in alts]
        best = _closest(primary, [(i, o) for i, o in digits_only if o], matches, _DIGIT_BUDGET)
    if best is None:
        raise Invalid("invalid.serial", example=SERIAL_EXAMPLE)
    value, ties = best
    lower_l = {i for i, c in enumerate(raw) if c == "l"}  # 1 or L: always shown
    changed = tuple(i for i in range(len(value)) if value[i] != typed[i] or i in lower_l)
    uncertain = tuple(sorted(ties | _flippable(value, matches)))
    return CodeReading(value, typed, changed, uncertain)


def _serial_raw(text: str) -> str:
    """The serial as typed: cleaned, label and separators dropped, case kept."""
    s = _clean_code(text)
    if m := _SERIAL_LABEL.match(s):
        s = s[m.end() :]
    return s.translate(_SERIAL_SEPARATORS)


def _twins(c: str) -> str:
    return _LETTER_DIGIT.get(c, "") + _DIGIT_LETTERS.get(c, "")


def _alternatives(primary: str, typed: str) -> list[tuple[int, str]]:
    """(position, other readings) for every confusable character; for a lower-case "l"
    (primary "1", typed "L") the letter L is always among them."""
    alts = []
    for i, c in enumerate(primary):
        others = "".join(dict.fromkeys(ch for ch in _twins(c) + typed[i] if ch != c))
        if others:
            alts.append((i, others))
    return alts


def _readings(primary: str, alts: list[tuple[int, str]], budget: int) -> Iterator[tuple[int, str]]:
    """(number of swaps, candidate) in order of increasing swaps, at most ``budget`` of them."""
    for r in range(len(alts) + 1):
        for combo in itertools.combinations(alts, r):
            for choice in itertools.product(*(others for _, others in combo)):
                budget -= 1
                if budget < 0:
                    return
                chars = list(primary)
                for (i, _), ch in zip(combo, choice, strict=True):
                    chars[i] = ch
                yield r, "".join(chars)


def _closest(
    primary: str, alts: list[tuple[int, str]], matches: Callable[[str], bool], budget: int
) -> tuple[str, set[int]] | None:
    """The first matching reading with the fewest swaps, and the positions where other
    matching readings with as few swaps differ from it."""
    best: str | None = None
    best_r = 0
    ties: set[int] = set()
    for r, candidate in _readings(primary, alts, budget):
        if best is not None and r > best_r:
            break
        if matches(candidate):
            if best is None:
                best, best_r = candidate, r
            else:
                ties |= {i for i, (a, b) in enumerate(zip(best, candidate, strict=True)) if a != b}
    return None if best is None else (best, ties)


def _flippable(value: str, matches: Callable[[str], bool]) -> set[int]:
    """Positions where swapping the one confusable character still matches a format."""
    return {
        i
        for i, c in enumerate(value)
        if any(matches(value[:i] + other + value[i + 1 :]) for other in _twins(c))
    }


def confusable_display(code: str, marked: Sequence[int] = ()) -> tuple[Glyph, ...]:
    """``code`` as glyphs: each confusable character (0 O 1 I L 5 S 8 B 2 Z) carries the
    catalog key that names it ("glyph.digit_zero", "glyph.letter_o", ...), so the
    conversation can render "B A 3 T 0 1 ..." with zeros and letter O told apart;
    ``marked`` positions are flagged for highlighting.
    """
    marks = set(marked)
    return tuple(Glyph(c, GLYPH_NOTES.get(c), i in marks) for i, c in enumerate(code))


def spell_serial(code: str, marked: Sequence[int] = ()) -> str:
    """``code`` spelled out for reading back: "B A 3 T 0 1 9 4 6 0 0 0 V"; ``marked``
    positions are bracketed ("B A 3 T [0] 1 ..."). Language-neutral, safe as a catalog param.
    """
    marks = set(marked)
    return " ".join(f"[{c}]" if i in marks else c for i, c in enumerate(code))


CHK_LENGTH = 3


def chk(text: str) -> CodeReading:
    """The 3-digit CHK code from the serial-number sticker.

    Letters typed for digits (O/o -> 0, I/i/l/L -> 1, S -> 5, B -> 8, Z -> 2) are
    converted and reported in ``changed``. Raises ``invalid.chk`` {length}.
    """
    raw = _clean_code(text).replace(" ", "")
    if len(raw) != CHK_LENGTH:
        raise Invalid("invalid.chk", length=CHK_LENGTH)
    value = "".join(c if c in "0123456789" else _LETTER_DIGIT.get(c.upper(), "?") for c in raw)
    if "?" in value:
        raise Invalid("invalid.chk", length=CHK_LENGTH)
    changed = tuple(i for i, c in enumerate(raw) if c != value[i])
    return CodeReading(value, raw.upper(), changed)
