"""Pure conversation model: states, forms, transitions and the session they live in.

Standard library only; imports nothing of ours. Everything above builds on it.
"""

from states.audit import AuditEntry, StaffNote
from states.control import FormControl
from states.machine import FORMS, PUBLIC_STATES, Field, FieldKind, Form, State, form_of
from states.session import ConversationKey, Session

__all__ = [
    "FORMS",
    "AuditEntry",
    "PUBLIC_STATES",
    "ConversationKey",
    "Field",
    "FieldKind",
    "Form",
    "FormControl",
    "Session",
    "StaffNote",
    "State",
    "form_of",
]
