"""The conversation session: where a customer is and what they have entered so far.

A session is plain data (JSON-serialisable) so any store can keep it: SQLite now,
PostgreSQL for several replicas later. It is saved after every handled event.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

#: how many recent event ids a session remembers, to drop redelivered events
RECENT_EVENTS = 32
#: appended to an id in ``recent`` when the event's input held a secret (see ``held_secret``)
SECRET_MARK = "#secret"
#: key in a form's values: the step the customer left the form at
RESUME_AT = "_at"


@dataclass(frozen=True, slots=True)
class ConversationKey:
    """Who the conversation is with, on which channel. Frozen: usable as a dict key."""

    channel: str  # "telegram", "console", "web", ...
    chat_id: str  # the chat (private chat = user; a group for staff)
    user_id: str  # the person in that chat

    def __str__(self) -> str:  # never contains personal data beyond opaque ids
        return f"{self.channel}:{self.chat_id}:{self.user_id}"

    @classmethod
    def parse(cls, text: str) -> ConversationKey:
        channel, chat_id, user_id = text.split(":", 2)
        return cls(channel, chat_id, user_id)


@dataclass(slots=True)
class Session:
    """One customer's conversation state.

    - ``state``: the current step (a ``State`` value, kept as str for storage).
    - ``forms``: per form name, the fields entered so far (kept across interruptions).
    - ``resume``: the form step the customer left for the menu/FAQ/status, if any.
    - ``seq``: increases with every handled event; buttons carry it to detect stale taps.
    - ``recent``: ids of the last handled events (drops redelivered updates).
    - ``version``: optimistic-concurrency counter owned by the session store.
    - ``buckets``: rate limits of this chat (e.g. pictures), ``{name: [tokens, at]}``; kept
      through logout and through a failed step's undo, so neither refills them.
    """

    key: ConversationKey
    state: str = "start"
    member_id: str | None = None
    locale: str = "en"
    forms: dict[str, dict[str, Any]] = field(default_factory=dict)
    resume: str | None = None
    seq: int = 0
    recent: list[str] = field(default_factory=list)
    scratch: dict[str, Any] = field(default_factory=dict)
    version: int = 0
    buckets: dict[str, list[float]] = field(default_factory=dict)

    # -- forms -------------------------------------------------------------
    def form(self, name: str) -> dict[str, Any]:
        """The fields of form ``name`` entered so far (created empty on first use)."""
        return self.forms.setdefault(name, {})

    def drop_form(self, name: str) -> None:
        self.forms.pop(name, None)

    # -- events ------------------------------------------------------------
    def seen(self, event_id: str | None) -> bool:
        return event_id is not None and (event_id in self.recent or event_id + SECRET_MARK in self.recent)

    def held_secret(self, event_id: str | None) -> bool:
        """The event was handled and its input held a secret (a password, an emailed code):
        a redelivered copy must still be deleted from the chat (the first run may have
        stopped between committing the step and deleting the message)."""
        return event_id is not None and event_id + SECRET_MARK in self.recent

    def remember(self, event_id: str | None, *, secret: bool = False) -> None:
        if event_id is None:
            return
        self.recent.append(event_id + SECRET_MARK if secret else event_id)
        if len(self.recent) > RECENT_EVENTS:
            del self.recent[: len(self.recent) - RECENT_EVENTS]

    # -- resume points -------------------------------------------------------
    def mark_left(self, state: str, form: str) -> None:
        """The customer left form ``form`` at ``state``: remember it (per form, and as the
        last one left, which the menu offers to continue)."""
        values = self.forms.get(form)
        if values:
            values[RESUME_AT] = state
            self.resume = state

    def left_at(self, form: str) -> str | None:
        return (self.forms.get(form) or {}).get(RESUME_AT)

    def restore(self, snapshot: str) -> None:
        """Put back the state saved by ``to_json`` (after a failed step), keeping ``seq``."""
        old = Session.from_json(self.key, snapshot, self.version)
        for name in ("state", "member_id", "locale", "forms", "resume", "recent", "scratch"):
            setattr(self, name, getattr(old, name))

    # -- serialisation -----------------------------------------------------
    def to_json(self) -> str:
        return json.dumps(
            {
                "state": self.state,
                "member_id": self.member_id,
                "locale": self.locale,
                "forms": self.forms,
                "resume": self.resume,
                "seq": self.seq,
                "recent": self.recent,
                "scratch": self.scratch,
                "buckets": self.buckets,
            },
            separators=(",", ":"),
            ensure_ascii=False,
        )

    @classmethod
    def from_json(cls, key: ConversationKey, text: str, version: int = 0) -> Session:
        raw = json.loads(text)
        return cls(
            key=key,
            state=raw.get("state", "start"),
            member_id=raw.get("member_id"),
            locale=raw.get("locale", "en"),
            forms=raw.get("forms", {}),
            resume=raw.get("resume"),
            seq=raw.get("seq", 0),
            recent=raw.get("recent", []),
            scratch=raw.get("scratch", {}),
            version=version,
            buckets=raw.get("buckets", {}),
        )
