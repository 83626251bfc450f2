"""The string catalog: every user-facing text, one Project Fluent file per language.

``handlers/locales/<locale>.ftl`` (``en``, ``de``, ``zh-Hant``), loaded once by the composition
root into one ``FluentBundle`` per locale. The code names texts by dotted keys
(``reg.serial.prompt``); the Fluent id is the key with ``.`` replaced by ``-``
(``reg-serial-prompt``). A key missing in a language falls back to English, key by key; a key
missing everywhere renders as the key itself (and is caught by the catalog tests).

Parameters are named (``{ $count }``). Whole numbers are handed to Fluent as numbers, so a
text can select its plural form on them (CLDR plural rules via Babel); they are shown
without digit grouping (a claim number or a year is not "2,026"). Bidi isolation marks are
off: Telegram shows them as stray characters, and none of our languages is right-to-left.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from fluent.runtime import FluentBundle
from fluent.runtime.types import fluent_number
from fluent.syntax import FluentParser, ast

log = logging.getLogger(__name__)
T = TypeVar("T")

LOCALES_DIR = Path(__file__).resolve().parent / "locales"
FALLBACK = "en"
# the Telegram/IETF hints that mean Traditional Chinese; any other "zh" is Simplified
_HANT_MARKS = {"hant", "tw", "hk", "mo"}


def fluent_id(key: str) -> str:
    return key.replace(".", "-")


def catalog_key(ident: str) -> str:
    return ident.replace("-", ".")


class CatalogError(ValueError):
    """A locale file that does not parse (a translator's typo must not reach customers)."""


class _Locale:
    """One language: its bundle and the parsed messages (for ids and their parameters)."""

    def __init__(self, locale: str, source: str, name: str) -> None:
        resource = FluentParser(with_spans=False).parse(source)
        junk = [e for e in resource.body if isinstance(e, ast.Junk)]
        if junk:
            raise CatalogError(f"{name}: cannot parse {(junk[0].content or '').strip()[:120]!r}")
        self.messages = {
            e.id.name: e for e in resource.body if isinstance(e, ast.Message) and e.value
        }
        self.bundle = FluentBundle([locale], use_isolating=False)
        self.bundle.add_resource(resource)


def _variables(node: Any, out: set[str]) -> set[str]:
    if isinstance(node, ast.VariableReference):
        out.add(node.id.name)
    if isinstance(node, ast.BaseNode):
        for value in vars(node).values():
            for child in value if isinstance(value, list) else [value]:
                _variables(child, out)
    return out


def _to_fluent(value: Any) -> Any:
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return fluent_number(value, useGrouping=False)
    if isinstance(value, float):
        return fluent_number(value)
    return value if isinstance(value, str) else str(value)


class Catalog:
    """All languages' texts, loaded once by the composition root."""

    def __init__(self, directory: Path = LOCALES_DIR) -> None:
        self._locales: dict[str, _Locale] = {}
        for path in sorted(directory.glob("*.ftl")):
            self._locales[path.stem] = _Locale(path.stem, path.read_text("utf-8"), path.name)
        if FALLBACK not in self._locales:
            raise RuntimeError(f"no {FALLBACK}.ftl catalog in {directory}")
        # texts without parameters (labels, titles), formatted once per language: a list of
        # ten products asks for its category and button labels dozens of times (issue 9).
        # Bounded: only the catalog's own ids are kept.
        self._plain: dict[tuple[str, str], str] = {}
        self._parsed: dict[tuple[str, str, Callable[[str], Any]], Any] = {}  # see ``parsed``

    @property
    def locales(self) -> list[str]:
        return sorted(self._locales)

    def known_keys(self, locale: str = FALLBACK) -> set[str]:
        loc = self._locales.get(locale)
        return {catalog_key(i) for i in loc.messages} if loc else set()

    def has(self, key: str, locale: str = FALLBACK) -> bool:
        ident = fluent_id(key)
        loc = self._locales.get(locale)
        return (loc is not None and ident in loc.messages) or ident in self._locales[
            FALLBACK
        ].messages

    def parameters(self, locale: str, key: str) -> set[str]:
        """The parameter names a language's text for ``key`` uses (for the catalog tests)."""
        loc = self._locales.get(locale)
        msg = loc.messages.get(fluent_id(key)) if loc else None
        return _variables(msg, set()) if msg else set()

    def resolve_locale(self, hint: str | None) -> str:
        """Our locale for a client hint: ``de-AT`` -> de, ``zh-TW``/``zh-hant`` -> zh-Hant;
        Simplified Chinese (``zh-CN``, ``zh-hans``) and anything unknown -> English."""
        if not hint:
            return FALLBACK
        parts = hint.strip().lower().replace("_", "-").split("-")
        wanted = parts[0]
        if wanted == "zh":
            wanted = "zh-hant" if _HANT_MARKS & set(parts[1:]) else ""
        for loc in self._locales:
            if loc.lower() == wanted:
                return loc
        return FALLBACK

    def text(self, locale: str, key: str, **params: Any) -> str:
        if params:
            return self._format(locale, key, params)[0]
        found = self._plain.get((locale, key))
        if found is None:
            found, clean = self._format(locale, key, params)
            if clean and locale in self._locales:  # kept: a language and an id of ours
                self._plain[locale, key] = found
        return found

    def parsed(self, locale: str, key: str, parse: Callable[[str], T]) -> T:
        """``parse(self.text(locale, key))``, computed once per language, key and parser (a
        text read as data on every turn, e.g. the FAQ's keywords). Kept only for the
        catalog's own languages and ids, like the plain texts."""
        memo = (locale, key, parse)
        if memo in self._parsed:
            return self._parsed[memo]  # type: ignore[no-any-return]
        value = parse(self.text(locale, key))
        if (locale, key) in self._plain:  # a clean text of ours: bounded by the catalog
            self._parsed[memo] = value
        return value

    def _format(self, locale: str, key: str, params: dict[str, Any]) -> tuple[str, bool]:
        """The text, and whether it came out clean (an id of the catalog, no error)."""
        ident = fluent_id(key)
        loc = self._locales.get(locale)
        if loc is None or ident not in loc.messages:
            loc = self._locales[FALLBACK]
            if ident not in loc.messages:
                log.warning("missing catalog key %s", key)
                return key, False
            if locale != FALLBACK:
                log.debug("catalog key %s falls back to %s for %s", key, FALLBACK, locale)
        args = {name: _to_fluent(value) for name, value in params.items()}
        pattern = loc.bundle.get_message(ident).value
        if pattern is None:  # a message with attributes only: never written by our catalogs
            return key, False
        text, errors = loc.bundle.format_pattern(pattern, args)
        if errors:  # e.g. a parameter the caller did not give: the text still goes out
            log.warning("catalog key %s: %s", key, "; ".join(type(e).__name__ for e in errors))
        return str(text), not errors
