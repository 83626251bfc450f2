"""The FAQ as staff teach it: seeded from the catalog's ``faq.*`` entries (read through the
:class:`Catalog` API), matched against free text by keywords and by the ways of asking staff
taught (``/learn``), and rendered for a customer's language; saved replies with parameters."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from handlers.faq_ids import FAQ_IDS
from handlers.i18n import Catalog
from storage.workspace import FaqItem, FaqStore, SeedEntry, SeedText, normalize

EXACT = 10.0  # a taught way of asking, word for word
SIMILAR = 0.8  # how alike (difflib ratio) a text must be to a taught way of asking to count
CLOSEST = 3  # entries shown to staff beside an unmatched question
PARAMS = ("first_name", "claim")  # what a saved reply may use
_PARAM = re.compile(r"\{(\w+)\}")


def seed_entries(catalog: Catalog, ids: Iterable[str] = FAQ_IDS) -> list[SeedEntry]:
    """The catalog's FAQ entries in every language that has them (question and answer)."""
    entries = []
    for faq_id in ids:
        texts = {}
        for locale in catalog.locales:
            keys = catalog.known_keys(locale)
            if f"faq.{faq_id}.q" in keys and f"faq.{faq_id}.a" in keys:
                keywords = (
                    catalog.text(locale, f"faq.{faq_id}.keywords")
                    if f"faq.{faq_id}.keywords" in keys
                    else ""
                )
                texts[locale] = SeedText(
                    catalog.text(locale, f"faq.{faq_id}.q"),
                    catalog.text(locale, f"faq.{faq_id}.a"),
                    keywords,
                )
        if texts:
            entries.append(SeedEntry(faq_id, texts))
    return entries


async def seed(store: FaqStore, catalog: Catalog) -> int:
    """Put the catalog's FAQ into the database (at start; idempotent)."""
    return await store.seed(seed_entries(catalog))


@dataclass(frozen=True, slots=True)
class Scored:
    item: FaqItem
    score: float


def score(item: FaqItem, text: str) -> float:
    """How clearly ``text`` asks ``item``: keyword hits (a phrase counts twice) plus, for a
    taught way of asking, EXACT when word for word or up to 5 when alike."""
    normalized = normalize(text)
    words = set(normalized.split())
    if not words:
        return 0.0
    hits = 0.0
    for k in item.keywords:
        if " " in k:
            hits += 2.0 if f" {normalize(k)} " in f" {normalized} " else 0.0
        elif k in words:
            hits += 1.0
    best_way = 0.0
    for way in item.phrasings:
        if way == normalized:
            best_way = EXACT
            break
        ratio = difflib.SequenceMatcher(None, way, normalized).ratio()
        if ratio >= SIMILAR:
            best_way = max(best_way, 5.0 * ratio)
    return hits + best_way


def ranked(items: Iterable[FaqItem], text: str) -> list[Scored]:
    found = [Scored(i, score(i, text)) for i in items]
    return sorted((s for s in found if s.score > 0), key=lambda s: (-s.score, s.item.id))


def best_match(items: Iterable[FaqItem], text: str) -> FaqItem | None:
    """The entry ``text`` clearly asks; None when nothing scores or two tie at the top."""
    top = ranked(items, text)
    if not top or top[0].score < 1.0 or (len(top) > 1 and top[1].score == top[0].score):
        return None
    return top[0].item


def closest(items: Iterable[FaqItem], text: str, n: int = CLOSEST) -> list[FaqItem]:
    """The entries that came closest (for staff, beside a question the bot could not answer)."""
    return [s.item for s in ranked(items, text)[:n]]


async def answer_for(store: FaqStore, text: str, locale: str) -> FaqItem | None:
    """The entry the bot answers ``text`` with, in ``locale`` (else English); None: hand it
    to a person ("Ask a person"). For the customer's FAQ step once it reads the database."""
    return best_match(await store.entries(locale), text)


def render_answer(catalog: Catalog, locale: str, item: FaqItem) -> str:
    return catalog.text(locale, "faq.answer", question=item.question, answer=item.answer)


def fill(template: str, values: Mapping[str, str]) -> str:
    """A saved reply with its ``{first_name}``, ``{claim}`` filled in. Only these plain names
    are replaced (no format-string attribute or index access); an unknown one stays as is."""
    return _PARAM.sub(
        lambda m: values.get(m.group(1), m.group(0)) if m.group(1) in PARAMS else m.group(0),
        template,
    )


def unknown_params(template: str) -> list[str]:
    """Placeholders in a saved reply that cannot be filled (told to staff on /save)."""
    return sorted({m for m in _PARAM.findall(template) if m not in PARAMS})


__all__ = [
    "answer_for",
    "Scored",
    "best_match",
    "closest",
    "fill",
    "ranked",
    "render_answer",
    "score",
    "seed",
    "seed_entries",
    "unknown_params",
]
