"""Locale data from CLDR, through Babel, instead of hand-kept tables.

* language names for the language buttons (each in its own language: "Deutsch", "中文 (繁體)");
* region names in each language, and in the languages customers type them in;
* month and weekday names, for dates shown (``format_day``, ``format_month``) and for dates
  typed (``typed_month_names``, ``typed_weekday_names``);
* the order a locale writes a short numeric date in (``day_first``): a German "03.04.2026"
  or "03/04/2026" is 3 April; where the locale does not settle it (English in a bot used
  worldwide, Chinese writing year first) the conversation asks back.

Babel's data is read lazily and cached per locale (immutable; nothing is loaded at import).
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from functools import cache

import babel
from babel import dates as babel_dates

FALLBACK = "en"
#: our locale ids -> Babel's (zh-Hant in Taiwan usage: 台灣, not the Hong Kong variants)
_BABEL_IDS = {"en": "en", "de": "de", "zh-Hant": "zh_Hant_TW"}
#: dates shown to English readers worldwide: day, month name, year ("4 Mar 2026"), neither
#: the US order nor en_GB's "Sept"; other locales use CLDR's own skeleton patterns
_EN_PATTERNS = {"yMMMd": "d MMM y", "yMMM": "MMM y", "long": "d MMMM y"}
#: the languages a customer may type a region or month name in (CLDR names of each are
#: searchable); ours first, then those customers of the vendor's regions commonly use
TYPED_LOCALES = (
    "en",
    "de",
    "zh_Hant",
    "zh_Hans",
    "fr",
    "es",
    "it",
    "nl",
    "pl",
    "pt",
    "sv",
    "id",
    "vi",
    "ru",
    "ja",
    "ko",
    "th",
)
#: locales whose month names are read in typed dates (CJK dates are read by their pattern)
DATE_LOCALES = ("en", "en_GB", "de", "de_AT", "fr", "es", "it", "nl", "pt")


@cache
def babel_locale(locale: str) -> babel.Locale:
    """Babel's locale for ours ("de", "zh-Hant") or for a Babel id ("zh_Hans")."""
    try:
        return babel.Locale.parse(_BABEL_IDS.get(locale, locale.replace("-", "_")))
    except (ValueError, babel.UnknownLocaleError):
        return babel.Locale.parse(FALLBACK)


def language_name(locale: str) -> str:
    """The language's own name for itself, e.g. "English", "Deutsch", "中文（繁體）"."""
    loc = babel.Locale.parse(locale.replace("-", "_"))
    name = loc.get_display_name(loc) or locale
    return name[:1].upper() + name[1:]


def territory_name(code: str, locale: str) -> str | None:
    """CLDR's name of a region (ISO 3166-1 alpha-2) in ``locale``."""
    return babel_locale(locale).territories.get(code.upper())


@cache
def territory_names_typed(code: str) -> tuple[str, ...]:
    """Every name customers may type for a region: CLDR's in each of TYPED_LOCALES."""
    names: list[str] = []
    for loc in TYPED_LOCALES:
        name = babel_locale(loc).territories.get(code)
        if name and name not in names:
            names.append(name)
    return tuple(names)


# -- dates ----------------------------------------------------------------------------------


def _format(day: dt.date, skeleton: str, locale: str) -> str:
    if babel_locale(locale).language == "en":
        return babel_dates.format_date(day, _EN_PATTERNS[skeleton], locale=babel_locale(locale))
    if skeleton == "long":
        return babel_dates.format_date(day, "long", locale=babel_locale(locale))
    return babel_dates.format_skeleton(skeleton, day, locale=babel_locale(locale))


def format_day(day: dt.date, locale: str) -> str:
    """A day with its month's name: "1 Oct 2026", "1. Okt. 2026", "2026年10月1日"."""
    return _format(day, "yMMMd", locale)


def format_month(day: dt.date, locale: str) -> str:
    """A month of a year: "Oct 2026", "Okt. 2026", "2026年10月"."""
    return _format(day, "yMMM", locale)


def format_long(day: dt.date, locale: str) -> str:
    """A day in full: "1 October 2026", "1. Oktober 2026", "2026年10月1日"."""
    return _format(day, "long", locale)


def day_first(locale: str) -> bool:
    """Whether the locale's short numeric date puts the day before the month (de: dd.MM.yy)."""
    pattern = babel_dates.get_date_format("short", locale=babel_locale(locale)).pattern
    d, m = pattern.find("d"), pattern.find("M")
    return 0 <= d < m


def fold_word(word: str) -> str:
    """Lower case, accents and dots dropped: "März" -> "marz", "Okt." -> "okt"."""
    word = unicodedata.normalize("NFKD", word.casefold())
    return "".join(c for c in word if not unicodedata.combining(c)).replace(".", "").strip()


@cache
def typed_month_names() -> dict[str, int]:
    """Folded month names and abbreviations (format and stand-alone) of DATE_LOCALES -> 1..12."""
    out: dict[str, int] = {}
    for loc in DATE_LOCALES:
        months = babel_locale(loc).months
        for context in ("format", "stand-alone"):
            for width in ("wide", "abbreviated"):
                for number, name in months[context][width].items():
                    out.setdefault(fold_word(name), number)
    return out


@cache
def typed_weekday_names() -> frozenset[str]:
    """Folded weekday names of DATE_LOCALES: ignored in a typed date ("Do., 1. Okt. 2026")."""
    out: set[str] = set()
    for loc in DATE_LOCALES:
        days = babel_locale(loc).days
        for context in ("format", "stand-alone"):
            for width in ("wide", "abbreviated", "short"):
                out.update(fold_word(name) for name in days[context][width].values())
    return frozenset(out)
