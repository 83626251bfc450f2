"""The string catalog: every user-facing text, one TOML file per language.

Keys are dotted (``reg.serial.prompt``); values use ``{name}`` placeholders. A key missing
in a language falls back to English; a key missing everywhere renders as the key itself
(and is caught by the catalog tests).
"""

from __future__ import annotations

import logging
import tomllib
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

LOCALES_DIR = Path(__file__).resolve().parent / "locales"
FALLBACK = "en"


def _flatten(prefix: str, node: dict[str, Any], out: dict[str, str]) -> None:
    for k, v in node.items():
        key = f"{prefix}.{k}" if prefix else k
        if isinstance(v, dict):
            _flatten(key, v, out)
        else:
            out[key] = str(v)


class _Keep(dict):
    def __missing__(self, key: str) -> str:  # leave unknown placeholders visible, never crash
        return "{" + key + "}"


class Catalog:
    """All languages' strings, loaded once by the composition root."""

    def __init__(self, directory: Path = LOCALES_DIR) -> None:
        self._texts: dict[str, dict[str, str]] = {}
        for path in sorted(directory.glob("*.toml")):
            flat: dict[str, str] = {}
            with path.open("rb") as fh:
                _flatten("", tomllib.load(fh), flat)
            self._texts[path.stem] = flat
        if FALLBACK not in self._texts:
            raise RuntimeError(f"no {FALLBACK}.toml catalog in {directory}")

    @property
    def locales(self) -> list[str]:
        return sorted(self._texts)

    def known_keys(self, locale: str = FALLBACK) -> set[str]:
        return set(self._texts.get(locale, {}))

    def has(self, key: str, locale: str = FALLBACK) -> bool:
        return key in self._texts.get(locale, {}) or key in self._texts[FALLBACK]

    def resolve_locale(self, hint: str | None) -> str:
        """Best supported locale for a client hint like ``de-DE`` or ``zh-hant``."""
        if not hint:
            return FALLBACK
        hint = hint.lower().replace("_", "-")
        if hint in self._texts:
            return hint
        for loc in self._texts:
            if hint.startswith(loc) or loc.startswith(hint.split("-")[0]):
                return loc
        return FALLBACK

    def text(self, locale: str, key: str, **params: Any) -> str:
        template = self._texts.get(locale, {}).get(key)
        if template is None:
            template = self._texts[FALLBACK].get(key)
        if template is None:
            log.warning("missing catalog key %s", key)
            return key
        return template.format_map(_Keep(params)) if params else template
