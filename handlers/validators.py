"""Validators for what customers type: pure functions from raw text to a parsed value.

Each validator returns the parsed value or raises ``Invalid(key, **params)``, where ``key``
is a catalog key (``handlers/locales/en.toml``) and ``params`` fill its placeholders. No
English text lives here, and no params carry what the customer typed (it may be personal data).

Typed text is cleaned the same way everywhere: Unicode-normalised (NFKC for codes, dates,
phones and e-mails, so full-width "１２３" or "＠" from CJK keyboards work; NFC for names and
free text), trimmed, internal whitespace collapsed, zero-width characters dropped.

Serial numbers and CHK codes come back as a ``CodeReading``: the canonical value to store,
plus which positions were corrected or could be read either way (0/O, 1/I/L, 5/S, 8/B, 2/Z),
so the conversation can ask "we read it as B A 3 T 0 1 9 4 6 0 0 0 V, is that right?".
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TypeVar

import phonenumbers


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
    map(ord, "\u200b\u200c\u200e\u200f\u2060\ufeff\u202a\u202b\u202c\u202d\u202e"
             "\u2066\u2067\u2068\u2069\u00ad"),
    None,
)
_DASHES = str.maketrans(dict.fromkeys("‐‑‒–—―−﹣－", "-"))


def _ascii_digits(text: str) -> str:
    """Any Unicode decimal digit (Arabic-Indic, Devanagari, full-width...) as 0-9."""
    if text.isascii():
        return text
    return "".join(str(unicodedata.decimal(c)) if c.isdecimal() else c for c in text)


def _clean(text: str, form: str = "NFC") -> str:
    """Normalised, invisible characters dropped, trimmed, whitespace runs as one space."""
    text = unicodedata.normalize(form, text.translate(_INVISIBLE))
    return " ".join(text.split())


def _clean_code(text: str) -> str:
    """For codes, phones, dates: NFKC, ASCII digits, one kind of dash."""
    return _ascii_digits(_clean(text, "NFKC")).translate(_DASHES)


def _printable(text: str) -> str:
    """Control characters (and lone surrogates, which cannot be stored) removed."""
    return "".join(c for c in text if unicodedata.category(c) not in ("Cc", "Cs"))


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
        and all(c.isalpha() or c == " " or c in _NAME_PUNCT or unicodedata.category(c)[0] == "M"
                for c in s)
    )
    if not ok:
        raise Invalid("invalid.name", max=NAME_MAX)
    return s


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
_ZIP_DE = re.compile(r"\d{5}")
_ZIP_TW = re.compile(r"\d{3}(?:\d{2,3})?")
_ZIP_GB = re.compile(
    r"(GIR ?0AA|[A-PR-UWYZ](?:\d[A-HJKPSTUW\d]?|[A-HK-Y]\d[ABEHMNPRV-Y\d]?) ?\d[ABD-HJLNP-UW-Z]{2})"
)
#: regions that use another region's postcode system
_ZIP_SYSTEM = {"PR": "US", "VI": "US", "GU": "US", "AS": "US", "MP": "US",
               "GG": "GB", "JE": "GB", "IM": "GB"}


def zip_code(text: str, region_code: str | None) -> str:
    """A postal code, upper-cased and trimmed.

    Generic rule: 2..10 letters, digits, spaces or dashes. Stricter for US (12345 or
    12345-6789), DE (5 digits), TW (3, 5 or 6 digits) and GB (postcode, returned as
    "SW1A 1AA"). Raises ``invalid.zip``.
    """
    s = _clean_code(text).upper()
    if not _ZIP_GENERIC.fullmatch(s):
        raise Invalid("invalid.zip")
    region = (region_code or "").strip().upper()
    system = _ZIP_SYSTEM.get(region, region)
    if system == "US":
        m = _ZIP_US.fullmatch(s)
        if not m:
            raise Invalid("invalid.zip")
        return m[1] + (f"-{m[2]}" if m[2] else "")
    if system == "GB":
        compact = s.replace(" ", "")
        if not _ZIP_GB.fullmatch(compact):
            raise Invalid("invalid.zip")
        return f"{compact[:-3]} {compact[-3:]}"
    strict = {"DE": _ZIP_DE, "TW": _ZIP_TW}.get(system)
    if strict and not strict.fullmatch(s):
        raise Invalid("invalid.zip")
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


# -- codes: serial number and CHK --------------------------------------------------------

#: letter -> the digit it is mistaken for, and back
_LETTER_DIGIT = {"O": "0", "I": "1", "L": "1", "S": "5", "B": "8", "Z": "2"}
_DIGIT_LETTERS = {"0": "O", "1": "IL", "5": "S", "8": "B", "2": "Z"}

#: catalog keys of the notes ``confusable_display`` attaches to confusable characters
GLYPH_NOTES = {
    "0": "glyph.digit_zero", "O": "glyph.letter_o",
    "1": "glyph.digit_one", "I": "glyph.letter_i", "L": "glyph.letter_l",
    "5": "glyph.digit_five", "S": "glyph.letter_s",
    "8": "glyph.digit_eight", "B": "glyph.letter_b",
    "2": "glyph.digit_two", "Z": "glyph.letter_z",
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
        return {"value": self.value, "typed": self.typed,
                "changed": list(self.changed), "uncertain": list(self.uncertain)}

    @classmethod
    def from_dict(cls, data: dict) -> CodeReading:
        return cls(data["value"], data["typed"], tuple(data["changed"]),
                   tuple(data["uncertain"]))


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
        s = s[m.end():]
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


def _readings(
    primary: str, alts: list[tuple[int, str]], budget: int
) -> Iterator[tuple[int, str]]:
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
    return {i for i, c in enumerate(value)
            if any(matches(value[:i] + other + value[i + 1:]) for other in _twins(c))}


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


# -- dates ------------------------------------------------------------------------------

MAX_AGE_YEARS = 10


@dataclass(frozen=True, slots=True)
class DateReading:
    """A purchase date: ``value`` when certain; else ``value`` is None and ``candidates``
    holds the possible dates (day-first reading first) for the conversation to ask back."""

    value: date | None
    candidates: tuple[date, ...] = ()

    @property
    def ambiguous(self) -> bool:
        return self.value is None


_MONTHS = {
    **dict.fromkeys(("jan", "january", "januar", "janv", "janvier", "enero"), 1),
    **dict.fromkeys(("feb", "february", "februar", "fev", "fevr", "fevrier", "febrero"), 2),
    **dict.fromkeys(("mar", "march", "marz", "maerz", "mrz", "mars", "marzo"), 3),
    **dict.fromkeys(("apr", "april", "avr", "avril", "abril"), 4),
    **dict.fromkeys(("may", "mai", "mayo"), 5),
    **dict.fromkeys(("jun", "june", "juni", "juin", "junio"), 6),
    **dict.fromkeys(("jul", "july", "juli", "juil", "juillet", "julio"), 7),
    **dict.fromkeys(("aug", "august", "aout", "agosto"), 8),
    **dict.fromkeys(("sep", "sept", "september", "septembre", "septiembre"), 9),
    **dict.fromkeys(("oct", "october", "okt", "oktober", "octobre", "octubre"), 10),
    **dict.fromkeys(("nov", "november", "novembre", "noviembre"), 11),
    **dict.fromkeys(("dec", "december", "dez", "dezember", "decembre", "diciembre"), 12),
}
_DAYS_AGO = {
    **dict.fromkeys(("today", "heute", "now", "aujourdhui", "hoy", "今天", "今日", "오늘"), 0),
    **dict.fromkeys(("yesterday", "gestern", "hier", "ayer", "昨天", "昨日", "어제"), 1),
}
_FILLER = frozenset(("of", "the", "de", "del", "den"))
_NUMERIC = re.compile(r"(\d{1,4})([/.\- ])(\d{1,2})\2(\d{1,4})")
_COMPACT = re.compile(r"((?:19|20)\d\d)(\d\d)(\d\d)")
_CJK = re.compile(r"(\d{2,4})\s*[年년]\s*(\d{1,2})\s*[月월]\s*(\d{1,2})\s*[日일号號]?")
_TOKENS = re.compile(r"[^\W\d_]+|\d+")


def purchase_date(text: str, today: date) -> DateReading:
    """A purchase date between ``today`` - 10 years and ``today``.

    Accepts ISO (2022-04-25, 2022/04/25, 20220425), day-first and month-first numbers
    (25/04/2022, 04/25/2022, 25-04-2022, 25.04.2022 - dots are always day-first), month
    names ("Apr 25 2022", "25 April 2022", "April 25th, 2022"), 2022年4月25日, "today",
    "yesterday", and 2-digit years (22 -> 2022). Day and month both <= 12 with "/", "-" or
    a space gives two candidates, unless only one of them is in range.

    Raises ``invalid.date`` {examples}, ``invalid.date_future``, ``invalid.date_too_old``
    {years}.
    """
    s = _clean_code(text).casefold()
    if len(s) > 40:
        raise Invalid("invalid.date", examples=_date_examples(today))
    key = s.replace("'", "").replace("’", "").rstrip(".!")
    if key in _DAYS_AGO:
        return DateReading(today - timedelta(days=_DAYS_AGO[key]))
    candidates = _date_candidates(s, today)
    if not candidates:
        raise Invalid("invalid.date", examples=_date_examples(today))
    oldest = _years_before(today, MAX_AGE_YEARS)
    in_range = [d for d in candidates if oldest <= d <= today]
    if not in_range:
        if candidates[0] > today:
            raise Invalid("invalid.date_future")
        raise Invalid("invalid.date_too_old", years=MAX_AGE_YEARS)
    if len(in_range) == 1:
        return DateReading(in_range[0])
    return DateReading(None, tuple(in_range))


def _date_examples(today: date) -> str:
    return f"{today.isoformat()}, {today:%d/%m/%Y}"


def _years_before(today: date, years: int) -> date:
    try:
        return today.replace(year=today.year - years)
    except ValueError:  # 29 February
        return today.replace(year=today.year - years, day=28)


def _date_candidates(s: str, today: date) -> list[date]:
    """Every date ``s`` can mean, most likely first, duplicates removed."""
    ymd = _numeric_dates(s) or _named_dates(s) or _cjk_dates(s)
    out: list[date] = []
    for y, m, d in ymd:
        year = _full_year(y, today)
        try:
            when = date(year, m, d) if year else None
        except ValueError:
            continue
        if when and when not in out:
            out.append(when)
    return out


def _full_year(y: str, today: date) -> int | None:
    if len(y) == 4:
        return int(y)
    if len(y) == 2:
        year = 2000 + int(y)
        return year if year <= today.year + 1 else year - 100
    return None


def _numeric_dates(s: str) -> list[tuple[str, int, int]]:
    if m := _COMPACT.fullmatch(s):
        return [(m[1], int(m[2]), int(m[3]))]
    s = re.sub(r"\s*([/.\-])\s*", r"\1", s)
    m = _NUMERIC.fullmatch(s)
    if not m:
        return []
    a, sep, b, c = m[1], m[2], m[3], m[4]
    if len(a) == 4:
        return [(a, int(b), int(c))]
    if len(a) > 2:
        return []
    day_first, month_first = (c, int(b), int(a)), (c, int(a), int(b))
    if sep == "." and int(b) <= 12:
        return [day_first]
    return [day_first, month_first]


def _named_dates(s: str) -> list[tuple[str, int, int]]:
    tokens = _TOKENS.findall(_fold_accents(s))
    numbers: list[str] = []
    months: list[int] = []
    for i, tok in enumerate(tokens):
        if tok.isdigit():
            numbers.append(tok)
        elif tok in _MONTHS:
            months.append(_MONTHS[tok])
        elif tok in ("st", "nd", "rd", "th") and i and tokens[i - 1].isdigit():
            continue
        elif tok not in _FILLER:
            return []
    if len(months) != 1 or len(numbers) != 2:
        return []
    first, second = numbers
    if len(first) == 4 or (len(first) > 2 and len(second) <= 2):
        return [(first, months[0], int(second))]
    return [(second, months[0], int(first))]


def _cjk_dates(s: str) -> list[tuple[str, int, int]]:
    m = _CJK.fullmatch(s)
    return [(m[1], int(m[2]), int(m[3]))] if m else []


def _fold_accents(s: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", s) if not unicodedata.combining(c))


# -- yes / no ---------------------------------------------------------------------------

_YES = frozenset((
    "y", "yes", "yeah", "yep", "yup", "ok", "okay", "sure", "true", "correct", "right",
    "ja", "j", "jawohl", "jo", "si", "sí", "oui", "da", "tak", "sim", "sì", "evet", "ya",
    "是", "是的", "对", "對", "好", "好的", "要", "确认", "確認", "有", "はい", "ええ",
    "네", "예", "응", "✅", "👍", "✔", "✔️",
))
_NO = frozenset((
    "n", "no", "nope", "nah", "false", "wrong", "nein", "ne", "nee", "non", "nej", "nie",
    "não", "nao", "net", "hayır", "hayir", "tidak", "否", "不", "不是", "不要", "没有",
    "沒有", "不对", "不對", "いいえ", "아니요", "아니오", "아니", "❌", "👎", "✖",
))


def yesno(text: str) -> bool:
    """True for yes/y/ja/是/はい/..., False for no/n/nein/否/いいえ/...

    Case, surrounding whitespace and trailing punctuation are ignored. Raises
    ``invalid.yesno``.
    """
    s = _clean(text).casefold().rstrip(".!。！?？ ")
    if s in _YES:
        return True
    if s in _NO:
        return False
    raise Invalid("invalid.yesno")


# -- choices: product category, purchase channel ----------------------------------------


@dataclass(frozen=True, slots=True)
class Category:
    """A product type. ``id`` is stored and sent in buttons; ``vendor`` is the vendor form's
    value (sent to the backend, not shown); the label is the catalog key ``label_key``."""

    id: str
    vendor: str
    aliases: tuple[str, ...] = ()  # other words customers type for it (matching only)

    @property
    def label_key(self) -> str:
        return f"category.{self.id}"


@dataclass(frozen=True, slots=True)
class Channel:
    """Where the product was bought (vendor form: "Where did you purchase the product")."""

    id: str
    vendor: str
    aliases: tuple[str, ...] = ()

    @property
    def label_key(self) -> str:
        return f"channel.{self.id}"


#: the vendor guide's product types, in its order
CATEGORIES: tuple[Category, ...] = (
    Category("laptop", "Laptop", ("notebook", "nb")),
    Category("all_in_one", "All-in-One PC", ("all in one", "aio pc")),
    Category("desktop", "Desktop", ("desktop pc", "pc", "tower")),
    Category("monitor", "Monitor", ("display", "screen")),
    Category("motherboard", "Motherboard", ("mainboard", "mobo", "mb")),
    Category("graphics_card", "Graphics Card", ("gpu", "vga", "video card", "graphic card")),
    Category("pc_case", "PC Case", ("case", "chassis")),
    Category("gaming_gear", "Gaming Gear", ("mouse", "keyboard", "headset", "gear")),
    Category("gaming_chair", "Gaming Chair", ("chair",)),
    Category("liquid_cooling", "Liquid Cooling", ("cooler", "water cooling", "aio cooler")),
    Category("power_supply", "Power Supply", ("psu", "power supply unit")),
)
CATEGORY_IDS: tuple[str, ...] = tuple(c.id for c in CATEGORIES)

CHANNELS: tuple[Channel, ...] = (
    Channel("retail", "Retail store", ("retail", "store", "shop")),
    Channel("online", "Online retailer", ("online", "internet", "web")),
    Channel("reseller", "Reseller", ("dealer", "distributor")),
)
CHANNEL_IDS: tuple[str, ...] = tuple(c.id for c in CHANNELS)

_Choice = TypeVar("_Choice", Category, Channel)


def _fold_choice(text: str) -> str:
    return " ".join(_clean(text).replace("_", " ").replace("-", " ").split()).casefold()


def _pick(options: tuple[_Choice, ...], text: str) -> _Choice | None:
    """The option ``text`` names: its id, vendor value or an alias (any case), or its
    1-based number in the list (for text-only channels)."""
    q = _fold_choice(text)
    if q.isascii() and q.isdigit() and len(q) <= 2 and 1 <= int(q) <= len(options):
        return options[int(q) - 1]
    for option in options:
        if q in {_fold_choice(n) for n in (option.id, option.vendor, *option.aliases)}:
            return option
    return None


def category(text: str) -> Category:
    """A product category by id, vendor name, alias or number. Raises ``invalid.category``."""
    found = _pick(CATEGORIES, text)
    if found is None:
        raise Invalid("invalid.category")
    return found


def channel(text: str) -> Channel:
    """A purchase channel by id, vendor name, alias or number. Raises ``invalid.channel``."""
    found = _pick(CHANNELS, text)
    if found is None:
        raise Invalid("invalid.channel")
    return found
