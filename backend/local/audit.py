"""The staff audit trail: who did what to which claim or promotion."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from backend.port import Actor, AuditEntry, as_actor
from states import StaffNote
from storage.links import audit_row
from storage.models import StaffAudit


def audit(
    kind: str, subject_id: str, action: str, staff: str | Actor, details: str, at: dt.datetime
) -> StaffAudit:
    actor = as_actor(staff)
    return StaffAudit(
        **audit_row(kind, subject_id, StaffNote(action, actor.id, actor.name, details), at)
    )


def claim_history(s: Session, claim_id: str) -> list[AuditEntry]:
    """Who did what to the claim, oldest first."""
    query = (
        select(StaffAudit)
        .where(StaffAudit.subject_kind == "claim", StaffAudit.subject_id == claim_id)
        .order_by(StaffAudit.id)
    )
    return [
        AuditEntry(r.at, r.action, r.actor_id, r.actor_name, r.details) for r in s.scalars(query)
    ]
