"""The conversation session: where a customer is and what they have entered so far.

A session is plain data (JSON-serialisable) so any store can keep it: SQLite now,
PostgreSQL for several replicas later. It is saved after every handled event.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from states.control import FormControl, split_legacy

#: how many recent event ids a session remembers, to drop redelivered events
RECENT_EVENTS = 32
#: appended to an id in ``recent`` when the event's input held a secret (see ``held_secret``)
SECRET_MARK = "#secret"
#: the saved form of a session (``to_json``); older payloads are upgraded by ``upgrade``.
#: 1 (no "v" key): control flags inside the form values; 2: ``controls`` apart.
PAYLOAD_VERSION = 2


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
    - ``forms``: per form name, the values the customer entered so far (kept across
      interruptions); only field values, nothing else.
    - ``controls``: per form name, the form's own control state (:class:`FormControl`).
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
    controls: dict[str, FormControl] = field(default_factory=dict)
    resume: str | None = None
    seq: int = 0
    recent: list[str] = field(default_factory=list)
    scratch: dict[str, Any] = field(default_factory=dict)
    version: int = 0
    buckets: dict[str, list[float]] = field(default_factory=dict)
    #: the JSON this session was read from (``from_json``), until ``undo_point`` takes it
    loaded: str | None = field(default=None, repr=False, compare=False)

    # -- forms -------------------------------------------------------------
    def form(self, name: str) -> dict[str, Any]:
        """The fields of form ``name`` entered so far (created empty on first use)."""
        return self.forms.setdefault(name, {})

    def control(self, name: str) -> FormControl:
        """The control state of form ``name`` (created empty on first use)."""
        control = self.controls.get(name)
        if control is None:
            control = self.controls[name] = FormControl()
        return control

    def has_form(self, name: str) -> bool:
        """Form ``name`` is under way: something entered, or control state kept."""
        control = self.controls.get(name)
        return bool(self.forms.get(name)) or (control is not None and not control.empty())

    def drop_form(self, name: str) -> None:
        self.forms.pop(name, None)
        self.controls.pop(name, None)

    def drop_forms(self) -> None:
        self.forms.clear()
        self.controls.clear()

    # -- events ------------------------------------------------------------
    def seen(self, event_id: str | None) -> bool:
        return event_id is not None and (
            event_id in self.recent or event_id + SECRET_MARK in self.recent
        )

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
        if self.has_form(form):
            self.control(form).left_at = state
            self.resume = state

    def left_at(self, form: str) -> str | None:
        control = self.controls.get(form)
        return control.left_at if control is not None else None

    def undo_point(self) -> str:
        """What ``restore`` takes to undo the step about to run: the text the session was
        read from (no second serialisation) when nothing was taken from it yet, else
        ``to_json()``. Call it before the step changes anything."""
        text, self.loaded = self.loaded, None
        return text if text is not None else self.to_json()

    def restore(self, snapshot: str) -> None:
        """Put back the state saved by ``to_json`` (after a failed step), keeping ``seq``."""
        old = Session.from_json(self.key, snapshot, self.version)
        for name in (
            "state",
            "member_id",
            "locale",
            "forms",
            "controls",
            "resume",
            "recent",
            "scratch",
        ):
            setattr(self, name, getattr(old, name))

    # -- serialisation -----------------------------------------------------
    def to_json(self) -> str:
        return json.dumps(
            {
                "v": PAYLOAD_VERSION,
                "state": self.state,
                "member_id": self.member_id,
                "locale": self.locale,
                "forms": self.forms,
                "controls": {
                    name: c.to_dict() for name, c in self.controls.items() if not c.empty()
                },
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
        raw = upgrade(json.loads(text))
        return cls(
            key=key,
            state=raw.get("state", "start"),
            member_id=raw.get("member_id"),
            locale=raw.get("locale", "en"),
            forms=raw.get("forms", {}),
            controls={
                name: FormControl.from_dict(c) for name, c in raw.get("controls", {}).items()
            },
            resume=raw.get("resume"),
            seq=raw.get("seq", 0),
            recent=raw.get("recent", []),
            scratch=raw.get("scratch", {}),
            version=version,
            buckets=raw.get("buckets", {}),
            loaded=text,
        )


def upgrade(raw: dict[str, Any]) -> dict[str, Any]:
    """A saved payload of any earlier version in the current form (in place, returned).

    1 -> 2: the control flags kept among a form's values ("_edit", "_at", "_serial_pending",
    "nonce", ...) move to ``controls``; the values keep only what the customer entered.
    """
    if raw.get("v", 1) < 2:
        controls = raw.setdefault("controls", {})
        for name, values in (raw.get("forms") or {}).items():
            moved = split_legacy(values) if isinstance(values, dict) else {}
            if moved:
                controls[name] = {**controls.get(name, {}), **moved}
        raw["v"] = 2
    return raw
