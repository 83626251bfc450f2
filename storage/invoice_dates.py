"""Dates written on invoices and till receipts, in the forms shops print them.

``dates_in(text)`` finds every calendar date in a line of text: ISO ``2026-10-01`` (also with
``/`` or ``.``), day first ``01.10.2026``, ``01/10/2026``, ``1-10-26``, month names in English,
German, French, Spanish, Italian and Dutch (``1 Oct 2026``, ``Oct 1, 2026``, ``1. Oktober
2026``, ``1er octobre 2026``, ``1 de octubre de 2026``) and Chinese / Japanese
``2026年10月1日``. A numeric date whose day and month could be swapped (``10/01/2026``:
1 October for Europe, 10 January for the US) yields both readings, day first first; the
caller decides with what it knows; a dotted date is always day first (the registered purchase date). OCR's usual slips inside
a number (``O`` for ``0``, ``l`` or ``I`` for ``1``) are forgiven between digits.
"""

from __future__ import annotations

import datetime as dt
import re

MONTHS: dict[str, int] = {}
for _number, _names in enumerate(
    (
        "jan january januar janvier enero gennaio januari janv ene gen jänner",
        "feb february februar fevrier février febrero febbraio februari fev fév févr",
        "mar march märz maerz marz mars marzo maart mär mrz",
        "apr april avril abril aprile avr",
        "may mai mayo maggio mei mag",
        "jun june juni juin junio giugno giu",
        "jul july juli juillet julio luglio juil lug",
        "aug august aout août agosto augustus ago",
        "sep sept september septembre septiembre settembre set",
        "oct october oktober octobre octubre ottobre okt ott",
        "nov november novembre noviembre",
        "dec december dezember decembre décembre diciembre dicembre dez dic",
    ),
    start=1,
):
    for _name in _names.split():
        MONTHS[_name] = _number
del _number, _names, _name

_MONTH = "|".join(sorted((re.escape(m) for m in MONTHS), key=len, reverse=True))
_SEP = r"[./\-]"
_ISO = re.compile(rf"(?<!\d)(\d{{4}})\s?({_SEP})\s?(\d{{1,2}})\s?\2\s?(\d{{1,2}})(?!\d)")
_NUMERIC = re.compile(
    rf"(?<!\d)(\d{{1,2}})\s?({_SEP})\s?(\d{{1,2}})\s?\2\s?(\d{{4}}|\d{{2}})(?!\d)"
)
_DAY_MONTH = re.compile(
    rf"(?<!\d)(\d{{1,2}})(?:\.|er|st|nd|rd|th)?\s*(?:de\s+)?({_MONTH})\.?,?\s*(?:de\s+)?(\d{{4}})(?!\d)",
    re.IGNORECASE,
)
_MONTH_DAY = re.compile(
    rf"(?<![a-z])({_MONTH})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})(?!\d)", re.IGNORECASE
)
_CJK = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日?")
_OCR_DIGIT = re.compile(
    r"(?<=\d)[OoQDlI|](?=\d)|(?<=\d[./\-])[OoQlI|](?=\d)|(?<=\d)[OoQlI|](?=[./\-]\d)"
)
_DIGIT_FOR = str.maketrans({"O": "0", "o": "0", "Q": "0", "D": "0", "l": "1", "I": "1", "|": "1"})


def _date(year: int, month: int, day: int) -> dt.date | None:
    if year < 100:
        year += 2000
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


_WORD = re.compile(r"[^\W\d_]*\d[^\W_]*|[^\W\d_]+\d[^\W_]*", re.UNICODE)
_LETTER_FOR = str.maketrans({"0": "o", "1": "l", "5": "s", "8": "b", "6": "g"})


def _month_word(m: re.Match[str]) -> str:
    """``0ktober`` -> ``oktober``: a word of letters and look-alike digits that is a month."""
    word = m.group(0)
    if not any(c.isalpha() for c in word):
        return word
    fixed = word.translate(_LETTER_FOR)
    return fixed if fixed.lower() in MONTHS else word


def _repair(text: str) -> str:
    """``O1.1O.2O26`` -> ``01.10.2026``: a letter that looks like a digit, between digits;
    ``0ktober`` -> ``oktober``: a digit that looks like a letter, in a month's name."""
    for _ in range(2):  # twice: a slip next to another slip
        text = _OCR_DIGIT.sub(lambda m: m.group(0).translate(_DIGIT_FOR), text)
    return _WORD.sub(_month_word, text)


def dates_in(text: str) -> list[dt.date]:
    """Every date in ``text``, in order of appearance (both readings of an ambiguous
    numeric date, day first first), without repeats."""
    text = _repair(text)
    found: list[tuple[int, dt.date]] = []

    def add(pos: int, d: dt.date | None) -> None:
        if d is not None and 1990 <= d.year <= 2100:
            found.append((pos, d))

    taken: list[tuple[int, int]] = []
    for m in _ISO.finditer(text):
        add(m.start(), _date(int(m[1]), int(m[3]), int(m[4])))
        taken.append(m.span())
    for m in _NUMERIC.finditer(text):
        if any(a <= m.start() < b for a, b in taken):
            continue
        first, second, year = int(m[1]), int(m[3]), int(m[4])
        add(m.start(), _date(year, second, first))
        if first != second and m[2] != ".":  # 10.01.2026 is never month first
            add(m.start(), _date(year, first, second))
    for m in _DAY_MONTH.finditer(text):
        add(m.start(), _date(int(m[3]), MONTHS[m[2].lower()], int(m[1])))
    for m in _MONTH_DAY.finditer(text):
        add(m.start(), _date(int(m[3]), MONTHS[m[1].lower()], int(m[2])))
    for m in _CJK.finditer(text):
        add(m.start(), _date(int(m[1]), int(m[2]), int(m[3])))
    found.sort(key=lambda pair: pair[0])
    return list(dict.fromkeys(d for _, d in found))
