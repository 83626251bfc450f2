"""Purchase dates in the many ways customers write them."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta

from handlers.locale_data import day_first, format_long, typed_month_names, typed_weekday_names
from handlers.validators.base import Invalid, _clean_code

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


#: month names typed in dates come from CLDR (handlers/locale_data.py); these two spellings
#: of "März" are not in it ("ae" for the umlaut, the old DIN abbreviation)
_MONTH_EXTRAS = {"maerz": 3, "mrz": 3}
_DAYS_AGO = {
    **dict.fromkeys(("today", "heute", "now", "aujourdhui", "hoy", "今天", "今日", "오늘"), 0),
    **dict.fromkeys(("yesterday", "gestern", "hier", "ayer", "昨天", "昨日", "어제"), 1),
}
_FILLER = frozenset(("of", "the", "de", "del", "den"))
_NUMERIC = re.compile(r"(\d{1,4})([/.\- ])(\d{1,2})\2(\d{1,4})")
_COMPACT = re.compile(r"((?:19|20)\d\d)(\d\d)(\d\d)")
_CJK = re.compile(r"(\d{2,4})\s*[年년]\s*(\d{1,2})\s*[月월]\s*(\d{1,2})\s*[日일号號]?")
_TOKENS = re.compile(r"[^\W\d_]+|\d+")


def purchase_date(text: str, today: date, locale: str = "en") -> DateReading:
    """A purchase date between ``today`` - 10 years and ``today``.

    Accepts ISO (2022-04-25, 2022/04/25, 20220425), day-first and month-first numbers
    (25/04/2022, 04/25/2022, 25-04-2022, 25.04.2022 - dots are always day-first), month
    names ("Apr 25 2022", "25 April 2022", "April 25th, 2022"), 2022年4月25日, "today",
    "yesterday", and 2-digit years (22 -> 2022). Day and month both <= 12 with "/", "-" or
    a space gives two candidates, unless only one of them is in range or the customer's
    ``locale`` writes the day first (CLDR's short date: de "dd.MM.yy"), which settles it.
    Month and weekday names are CLDR's (English, German, French, Spanish, ...): "1. Oktober
    2026", "Do., 1. Okt. 2026", "October 1, 2026".

    Raises ``invalid.date`` {examples}, ``invalid.date_future``, ``invalid.date_too_old``
    {years}.
    """
    s = _clean_code(text).casefold()
    if len(s) > 40:
        raise Invalid("invalid.date", examples=_date_examples(today, locale))
    key = s.replace("'", "").replace("’", "").rstrip(".!")
    if key in _DAYS_AGO:
        return DateReading(today - timedelta(days=_DAYS_AGO[key]))
    candidates = _date_candidates(s, today)
    if len(candidates) == 2 and _numeric_dates(s) and day_first(locale):
        candidates = candidates[:1]  # the day-first reading: the locale settles it
    if not candidates:
        if _no_such_day(s, today):
            raise Invalid("invalid.date_no_such_day")
        raise Invalid("invalid.date", examples=_date_examples(today, locale))
    oldest = _years_before(today, MAX_AGE_YEARS)
    in_range = [d for d in candidates if oldest <= d <= today]
    if not in_range:
        if candidates[0] > today:
            raise Invalid("invalid.date_future")
        raise Invalid("invalid.date_too_old", years=MAX_AGE_YEARS)
    if len(in_range) == 1:
        return DateReading(in_range[0])
    return DateReading(None, tuple(in_range))


def _date_examples(today: date, locale: str = "en") -> str:
    """ISO and the locale's own long form: both are read back unambiguously."""
    return f"{today.isoformat()}, {format_long(today, locale)}"


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


def _no_such_day(s: str, today: date) -> bool:
    """A date read plainly whose day is not in its month (31.02.2021, 2021-04-31)."""
    for y, m, d in _numeric_dates(s) or _named_dates(s) or _cjk_dates(s):
        year = _full_year(y, today)
        if year and 1 <= m <= 12 and 29 <= d <= 31:
            try:
                date(year, m, d)
            except ValueError:
                return True
    return False


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
        elif (month := typed_month_names().get(tok) or _MONTH_EXTRAS.get(tok)) is not None:
            months.append(month)
        elif tok in ("st", "nd", "rd", "th") and i and tokens[i - 1].isdigit():
            continue
        elif tok not in _FILLER and tok not in typed_weekday_names():
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
