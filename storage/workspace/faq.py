"""The FAQ in the database (seeded from the catalog, taught by staff) and staff's saved
replies. Entries have texts per language and "ways of asking": questions customers asked
that staff taught with ``/learn``, so the bot answers the next customer asking them."""

from __future__ import annotations

import re
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, delete, insert, select, update

from states.audit import AuditEntry, StaffNote
from storage.sessions import insert_ignore
from storage.workspace.base import StoreBase, table
from storage.workspace.models import FaqEntry, FaqPhrasing, FaqText, SavedReply

FALLBACK = "en"
AUDIT_KIND = "faq"
_WORD = re.compile(r"[\w']+", re.UNICODE)


def normalize(text: str) -> str:
    """Lower-case words, one space apart: how ways of asking are compared and kept unique."""
    return " ".join(w.lower() for w in _WORD.findall(text or ""))[:500]


@dataclass(frozen=True, slots=True)
class SeedText:
    question: str
    answer: str
    keywords: str = ""


@dataclass(frozen=True, slots=True)
class SeedEntry:
    slug: str
    texts: dict[str, SeedText]  # locale -> texts


@dataclass(frozen=True, slots=True)
class FaqItem:
    id: int
    slug: str
    source: str
    locale: str  # the language of question and answer (the fallback when asked one is missing)
    question: str
    answer: str
    keywords: tuple[str, ...]
    phrasings: tuple[str, ...] = field(default=())  # normalized ways of asking (every language)


@dataclass(frozen=True, slots=True)
class Saved:
    name: str
    text: str
    created_by: str


class FaqStore(StoreBase):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._e, self._x = table(FaqEntry), table(FaqText)
        self._p, self._s = table(FaqPhrasing), table(SavedReply)

    async def seed(self, entries: Sequence[SeedEntry]) -> int:
        """Add the catalog's entries (by slug) and refresh their texts; staff-taught entries
        and every way of asking are kept. Returns how many entries were new."""
        e, x = self._e, self._x

        def write(conn: Connection) -> int:
            now, added = self.now(), 0
            for entry in entries:
                added += conn.execute(
                    insert_ignore(conn.dialect, e, "slug"),
                    {"slug": entry.slug, "source": "seed", "created_by": "", "created_at": now},
                ).rowcount
                entry_id = conn.execute(select(e.c.id).where(e.c.slug == entry.slug)).scalar_one()
                for locale, texts in entry.texts.items():
                    conn.execute(delete(x).where(x.c.entry_id == entry_id, x.c.locale == locale))
                    conn.execute(
                        insert(x).values(
                            entry_id=entry_id,
                            locale=locale,
                            question=texts.question,
                            answer=texts.answer,
                            keywords=texts.keywords,
                        )
                    )
            return added

        return await self._writer.run(write)

    async def entries(self, locale: str = FALLBACK) -> list[FaqItem]:
        """Every entry, numbered by id, in ``locale`` (else English, else any language)."""
        e, x, p = self._e, self._x, self._p
        heads = await self._read(select(e).order_by(e.c.id))
        texts: dict[int, dict[str, Any]] = {}
        for r in await self._read(select(x)):
            texts.setdefault(r.entry_id, {})[r.locale] = r
        ways: dict[int, list[str]] = {}
        for r in await self._read(select(p.c.entry_id, p.c.normalized).order_by(p.c.id)):
            ways.setdefault(r.entry_id, []).append(r.normalized)
        items = []
        for h in heads:
            found = texts.get(h.id, {})
            t = found.get(locale) or found.get(FALLBACK) or next(iter(found.values()), None)
            if t is None:
                continue
            keywords = tuple(k.strip().lower() for k in t.keywords.split(",") if k.strip())
            items.append(
                FaqItem(
                    h.id,
                    h.slug,
                    h.source,
                    t.locale,
                    t.question,
                    t.answer,
                    keywords,
                    tuple(ways.get(h.id, ())),
                )
            )
        return items

    async def entry(self, entry_id: int, locale: str = FALLBACK) -> FaqItem | None:
        return next((i for i in await self.entries(locale) if i.id == entry_id), None)

    async def add_phrasing(self, entry_id: int, locale: str, text: str, note: StaffNote) -> bool:
        """Teach a way of asking ``entry_id``; False when it was known already."""
        normalized = normalize(text)
        if not normalized:
            return False
        p = self._p

        def write(conn: Connection) -> bool:
            added = (
                conn.execute(
                    insert_ignore(conn.dialect, p, "entry_id", "normalized"),
                    {
                        "entry_id": entry_id,
                        "locale": locale[:16],
                        "text": text[:2000],
                        "normalized": normalized,
                        "added_by": note.actor_id[:100],
                        "at": self.now(),
                    },
                ).rowcount
                == 1
            )
            if added:
                self._audited(conn, AUDIT_KIND, entry_id, note)
            return added

        return await self._writer.run(write)

    async def add_entry(self, question: str, answer: str, locale: str, note: StaffNote) -> int:
        """A new entry taught by staff (its question is also its first way of asking)."""
        e, x = self._e, self._x
        slug = "staff-" + uuid.uuid4().hex[:12]

        def write(conn: Connection) -> int:
            now = self.now()
            made = conn.execute(
                insert(e).values(
                    slug=slug, source="staff", created_by=note.actor_id[:100], created_at=now
                )
            )
            entry_id = int(made.inserted_primary_key[0])  # type: ignore[index]
            conn.execute(
                insert(x).values(
                    entry_id=entry_id,
                    locale=locale[:16],
                    question=question[:2000],
                    answer=answer[:4000],
                    keywords="",
                )
            )
            self._audited(conn, AUDIT_KIND, entry_id, note)
            return entry_id

        entry_id = await self._writer.run(write)
        await self.add_phrasing(entry_id, locale, question, note)
        return entry_id

    async def save_reply(self, name: str, text: str, note: StaffNote) -> None:
        """Keep (or replace) the saved reply ``name``."""
        s = self._s
        name = name.lower()[:32]

        def write(conn: Connection) -> None:
            now = self.now()
            if (
                conn.execute(
                    update(s)
                    .where(s.c.name == name)
                    .values(text=text, created_by=note.actor_id[:100], updated_at=now)
                ).rowcount
                == 0
            ):
                conn.execute(
                    insert(s).values(
                        name=name, text=text, created_by=note.actor_id[:100], updated_at=now
                    )
                )
            self._audited(conn, AUDIT_KIND, name, note)

        await self._writer.run(write)

    async def history(self, subject: int | str) -> list[AuditEntry]:
        """Who taught or saved what: ``subject`` an entry id or a saved reply's name."""
        return await self._trail(AUDIT_KIND, subject)

    async def saved(self, name: str) -> Saved | None:
        s = self._s
        rows = await self._read(select(s).where(s.c.name == name.lower()[:32]))
        return Saved(rows[0].name, rows[0].text, rows[0].created_by) if rows else None

    async def saved_replies(self) -> list[Saved]:
        s = self._s
        return [
            Saved(r.name, r.text, r.created_by)
            for r in await self._read(select(s).order_by(s.c.name))
        ]


__all__ = ["FaqItem", "FaqStore", "Saved", "SeedEntry", "SeedText", "normalize"]
