"""Regions / locations a member can pick (ISO 3166-1 alpha-2 codes).

Which regions, and the vendor's English name of each, live in ``handlers/data/regions.json``
(with the few search spellings CLDR lacks: "UK", "USA", "Dubai"). Names in other languages
come from CLDR through Babel (``handlers/locale_data.py``): shown in the customer's language
(``region_name``: "Deutschland", "德國") and searchable in English, German, Traditional and
Simplified Chinese and the other languages of ``locale_data.TYPED_LOCALES``. The file is read
on first use through a cached loader; importing this module does no I/O.

``search_regions`` ranks matches in tiers: exact code ("de", "uk" -> GB), exact name or alias,
name/alias prefix, substring, and only when all of those found nothing, a fuzzy match with
``difflib`` for typos ("germny" -> Germany). Matching ignores case, accents, punctuation and
repeated spaces.
"""

from __future__ import annotations

import difflib
import functools
import json
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from handlers.locale_data import territory_name, territory_names_typed
from handlers.validators import Invalid

#: codes customers type that are not the ISO code of the region they mean
_CODE_ALIASES: dict[str, str] = {"UK": "GB"}
#: longest query worth matching; anything longer cannot be a region name
_MAX_QUERY = 100
#: similarity threshold for the fuzzy tier (difflib ratio, 0..1)
_FUZZY_CUTOFF = 0.75
#: shorter queries match only codes, whole names and name beginnings
_MIN_SUBSTRING = 3
_DROP = str.maketrans({c: None for c in ".'’‘`´(),;:!?\"*"})
_SPACE = str.maketrans({c: " " for c in "-_/&+‐‑–—"})


@dataclass(frozen=True, slots=True)
class Region:
    code: str  # ISO 3166-1 alpha-2, upper case ("XK" for Kosovo)
    name: str  # English name, as shown and stored


@dataclass(frozen=True, slots=True)
class _Entry:
    region: Region
    keys: tuple[str, ...]  # folded name first, then folded aliases


def fold(text: str) -> str:
    """The form names and queries are compared in: case, accents and punctuation ignored."""
    text = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", text).casefold())
    text = "".join(c for c in text if not unicodedata.combining(c))
    return " ".join(text.translate(_DROP).translate(_SPACE).split())


@cache
def _data() -> dict[str, Any]:
    raw = resources.files("handlers").joinpath("data", "regions.json").read_text("utf-8")
    return json.loads(raw)  # type: ignore[no-any-return]


@cache
def _entries() -> tuple[_Entry, ...]:
    out = []
    for item in _data()["regions"]:
        region = Region(item["code"], item["name"])
        keys = [fold(item["name"])]
        names = (*territory_names_typed(region.code), *item.get("aliases", ()))
        keys += [k for k in (fold(a) for a in names) if k and k not in keys]
        out.append(_Entry(region, tuple(keys)))
    return tuple(out)


def region_name(code: str, locale: str) -> str:
    """The region's name in the customer's language: the vendor's English name in English,
    CLDR's (short where CLDR has a short form) in the others; the code itself if unknown."""
    region = region_by_code(code)
    if region is None:
        return code
    if locale == "en":
        return region.name
    short = _data().get("short", {}).get(locale, {}).get(region.code)
    return short or territory_name(region.code, locale) or region.name


@cache
def _by_code() -> dict[str, Region]:
    return {e.region.code: e.region for e in _entries()}


@cache
def _by_key() -> dict[str, Region]:
    """Every folded name and alias -> its region (the first entry wins on a clash)."""
    table: dict[str, Region] = {}
    for e in _entries():
        for k in e.keys:
            table.setdefault(k, e.region)
    return table


@cache
def all_regions() -> tuple[Region, ...]:
    """Every region, sorted by code."""
    return tuple(e.region for e in _entries())


def region_by_code(code: str) -> Region | None:
    """The region with ISO code ``code`` (any case; "UK" means GB), or None."""
    code = code.strip().upper()
    return _by_code().get(_CODE_ALIASES.get(code, code))


def search_regions(query: str, limit: int = 8) -> list[Region]:
    """Regions matching ``query``, best first, at most ``limit`` of them."""
    q = fold(query)
    if not q or limit <= 0 or len(q) > _MAX_QUERY:
        return []
    found: dict[str, Region] = {}  # insertion-ordered, keyed by code

    def take(regions: list[Region]) -> None:
        for r in regions:
            if len(found) < limit:
                found.setdefault(r.code, r)

    if len(q) <= 3 and (by_code := region_by_code(q)):
        take([by_code])
    if exact := _by_key().get(q):
        take([exact])
    take(_matching(lambda k: k.startswith(q)))
    if len(q) >= _MIN_SUBSTRING:
        take(_matching(lambda k: q in k))
    if not found:
        take(_fuzzy(q, limit))
    return list(found.values())


def _matching(pred: Callable[[str], bool]) -> list[Region]:
    """Regions whose name matches ``pred`` (sorted by name), then those matching by an alias."""
    by_name = sorted((e.region for e in _entries() if pred(e.keys[0])), key=lambda r: fold(r.name))
    by_alias = [e.region for e in _entries() if any(pred(k) for k in e.keys[1:])]
    return by_name + sorted(by_alias, key=lambda r: fold(r.name))


def _fuzzy(q: str, limit: int) -> list[Region]:
    table = _by_key()
    close = difflib.get_close_matches(q, table.keys(), n=limit * 3, cutoff=_FUZZY_CUTOFF)
    return [table[k] for k in close]


def parse_region(text: str) -> Region:
    """The region ``text`` names exactly (code, English name or an alias).

    Anything else raises ``Invalid("invalid.region")``; the conversation then offers
    ``search_regions(text)`` as buttons.
    """
    q = fold(text)
    if 0 < len(q) <= 3 and (by_code := region_by_code(q)):
        return by_code
    if q and (exact := _by_key().get(q)):
        return exact
    raise Invalid("invalid.region")


@functools.lru_cache(maxsize=512)
def region_timezone(code: str) -> str | None:
    """The main IANA time zone of a region (from phonenumbers' data), e.g. "DE" ->
    "Europe/Berlin"; None when unknown. Good enough to know the customer's "today"."""
    import phonenumbers
    from phonenumbers import timezone as number_zones

    number = phonenumbers.example_number(code.upper()) if code else None
    zones = number_zones.time_zones_for_number(number) if number else ()
    zone = zones[0] if zones else None
    return None if zone in (None, "Etc/Unknown") else zone
