"""Support tickets and their messages as the stores hand them out."""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass
from typing import Any, Literal

from states.audit import StaffNote
from states.session import ConversationKey

Sender = Literal["customer", "staff", "system"]  # system: e.g. "closed by staff"
TicketStatus = Literal["open", "closed"]
OPEN: TicketStatus = "open"
CLOSED: TicketStatus = "closed"


@dataclass(frozen=True, slots=True)
class Ticket:
    id: int
    key: ConversationKey
    member_id: str | None
    status: TicketStatus
    created_at: dt.datetime
    updated_at: dt.datetime


@dataclass(frozen=True, slots=True)
class TicketMessage:
    id: int
    ticket_id: int
    key: ConversationKey  # the customer's conversation
    sender: Sender
    staff_name: str | None
    text: str
    media_ref: str | None
    at: dt.datetime
    delivered: bool
    member_id: str | None = None  # whom the ticket was opened as (None: a guest's)


@dataclass(frozen=True, slots=True)
class SupportLease:
    """Support messages taken to pass on: see :meth:`SupportStore.take_undelivered`."""

    token: str
    deadline: float  # time.monotonic() after which the holder must not send any more of them
    messages: list[TicketMessage]

    def live(self) -> bool:
        return time.monotonic() < self.deadline


def audit_row(kind: str, subject_id: str, note: StaffNote, at: dt.datetime) -> dict[str, Any]:
    """The values of one ``staff_audit`` row (shared with the backend)."""
    return {
        "subject_kind": kind,
        "subject_id": str(subject_id)[:64],
        "action": note.action[:32],
        "actor_id": note.actor_id[:100],
        "actor_name": note.actor_name[:100],
        "details": note.details[:500],
        "at": at,
    }
