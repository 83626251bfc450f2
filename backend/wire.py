"""The backend API's wire format (docs/backend-api.md), shared by the HTTP adapter
(``backend.http``, the client) and ``backend.server``.

- bodies from outside are parsed with a bound on their nesting (``loads``);
- the port's domain types are decoded with pydantic ``TypeAdapter`` in strict JSON mode
  (a string is never taken for a number, nor a number for a flag; enums by value, dates
  and times in ISO 8601; unknown keys ignored); a body of the wrong shape raises
  ``WireError`` naming the field;
- ``to_wire`` writes them back: dataclasses as objects, enums by value, dates and times in
  ISO 8601 with the offset as ``+00:00`` (pydantic would write UTC as ``Z``);
- errors travel as ``{"error": {"key", "params", "type"}}``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import itertools
import json
import re
from enum import Enum
from typing import Any

from pydantic import TypeAdapter, ValidationError

from backend.port import (
    AccountLocked,
    BackendError,
    BackendUnavailable,
    CodeExpired,
    CodeWrong,
    EmailNotVerified,
    EmailTaken,
    InvalidCredentials,
    InvalidTransition,
    LimitReached,
    NoCodesLeft,
    NotEligible,
    NotFound,
    ResendTooSoon,
    SerialAlreadyRegistered,
    SerialDisputed,
    SerialLocked,
)

API_PREFIX = "/v1"
#: every error type the API may name, by class name
ERROR_TYPES: dict[str, type[BackendError]] = {
    cls.__name__: cls
    for cls in (
        BackendError,
        EmailTaken,
        InvalidCredentials,
        AccountLocked,
        SerialAlreadyRegistered,
        SerialDisputed,
        SerialLocked,
        NotEligible,
        LimitReached,
        NotFound,
        InvalidTransition,
        NoCodesLeft,
        BackendUnavailable,
        EmailNotVerified,
        CodeWrong,
        CodeExpired,
        ResendTooSoon,
    )
}


class WireError(ValueError):
    """A request or response body does not match the expected shape."""

    def __init__(self, field: str) -> None:
        super().__init__(field)
        self.field = field


# --------------------------------------------------------------------------- JSON text
#: the deepest nesting a body may have (ours is at most 6 levels); deeper is refused before
#: parsing, so a hostile body cannot make the parser recurse until RecursionError
MAX_JSON_DEPTH = 32
_JSON_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")
_STEP = {"[": 1, "{": 1, "]": -1, "}": -1}


class TooDeep(ValueError):
    """A JSON text nests deeper than allowed."""


def json_depth(text: str) -> int:
    """How deep ``text``'s arrays and objects nest (brackets inside strings do not count).
    Linear, no recursion: strings out, brackets kept, the running sum's maximum."""
    brackets = _NOT_BRACKET.sub("", _JSON_STRING.sub("", text))
    return max(itertools.accumulate(map(_STEP.__getitem__, brackets)), default=0)


def loads(text: str | bytes, max_depth: int = MAX_JSON_DEPTH) -> Any:
    """``json.loads`` for bodies from outside: raises ``TooDeep`` (a ValueError) for a
    body nested deeper than ``max_depth`` instead of recursing into it."""
    if isinstance(text, bytes | bytearray):
        text = text.decode("utf-8")
    if json_depth(text) > max_depth:
        raise TooDeep(max_depth)
    try:
        return json.loads(text)
    except RecursionError:  # not reached within the bound; a last line all the same
        raise TooDeep(max_depth) from None


# --------------------------------------------------------------------------- domain types
def to_wire(value: Any) -> Any:
    """Port dataclasses, enums, dates and containers -> JSON-compatible data."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_wire(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, dt.date):  # datetime too
        return value.isoformat()
    if isinstance(value, list | tuple | set):
        return [to_wire(v) for v in value]
    if isinstance(value, dict):
        return {str(k): to_wire(v) for k, v in value.items()}
    return value


@functools.cache
def _adapter(tp: Any) -> TypeAdapter[Any]:
    """One adapter per type, built at its first use (building one compiles a validator)."""
    return TypeAdapter(tp)


def from_wire(tp: Any, data: Any, field: str = "body") -> Any:
    """JSON data -> an instance of ``tp`` (a port dataclass, enum, date, container...).
    A time without an offset is taken as UTC."""
    try:
        text = json.dumps(data)
    except (TypeError, ValueError):
        raise WireError(field) from None
    try:
        value = _adapter(tp).validate_json(text, strict=True)
    except ValidationError as exc:
        raise WireError(_field(exc, field)) from None
    return _aware(value)


def _field(exc: ValidationError, default: str) -> str:
    """The innermost named field of the first error (a list index names nothing)."""
    names = [p for p in exc.errors()[0]["loc"] if isinstance(p, str)]
    return names[-1] if names else default


def _aware(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value if value.tzinfo else value.replace(tzinfo=dt.UTC)
    if isinstance(value, list | tuple):
        return type(value)(_aware(v) for v in value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        old = {f.name: getattr(value, f.name) for f in dataclasses.fields(value)}
        new = {k: _aware(v) for k, v in old.items()}
        changed = {k: v for k, v in new.items() if v is not old[k]}
        return dataclasses.replace(value, **changed) if changed else value
    return value


# --------------------------------------------------------------------------- errors
def error_body(exc: BackendError) -> dict[str, Any]:
    return {"error": {"key": exc.key, "params": to_wire(exc.params), "type": type(exc).__name__}}


def error_from_body(body: Any, status: int) -> BackendError:
    """The port error an API error body stands for (unknown shapes: by HTTP status)."""
    err = body.get("error") if isinstance(body, dict) else None
    if not isinstance(err, dict) or not isinstance(err.get("key"), str):
        return BackendUnavailable(status=status) if status >= 500 else BackendError(status=status)
    cls = ERROR_TYPES.get(str(err.get("type")), BackendError)
    params: dict[str, Any] = err["params"] if isinstance(err.get("params"), dict) else {}
    key = err["key"]
    return cls(None if key == cls.key else key, **params)
