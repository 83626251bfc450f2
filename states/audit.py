"""Who did a staff action: the note recorded with it in the audit trail (``staff_audit``), and
the trail as read back.

Shared by the staff journey (which knows who acted), the support store and the embedded
backend (which write it in the same transaction as the action). Never a prize code, a
password or a customer's message in ``details``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class StaffNote:
    action: str  # 'approve', 'reject', 'ship', 'show', 'import_codes', 'reply', 'close'
    actor_id: str  # 'telegram:777', 'os:sam'
    actor_name: str  # '@sam_staff', 'sam'
    details: str = ""


@dataclass(frozen=True, slots=True)
class AuditEntry:
    """One line of a claim's or a ticket's audit trail, as read back (oldest first)."""

    at: dt.datetime
    action: str
    actor_id: str
    actor_name: str
    details: str = ""
