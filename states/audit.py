"""Who did a staff action: the note recorded with it in the audit trail (``staff_audit``).

Shared by the staff journey (which knows who acted), the support store and the embedded
backend (which write it in the same transaction as the action). Never a prize code, a
password or a customer's message in ``details``.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class StaffNote:
    action: str  # 'approve', 'reject', 'ship', 'show', 'import_codes', 'reply', 'close'
    actor_id: str  # 'telegram:777', 'os:sam'
    actor_name: str  # '@sam_staff', 'sam'
    details: str = ""
