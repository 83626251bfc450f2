"""Telegram Bot API call validator built from the machine-readable spec in ``shared/``.

Usage::

    spec = BotApiSpec.load()
    spec.validate_call("sendMessage", {"chat_id": 1, "text": ""})
    # -> ['sendMessage.text: must be 1-4096 characters after entities parsing, got 0']
    spec.assert_valid("sendMessage", {"chat_id": "1", "text": "hi"})  # form strings are fine
    check = spec.check_call("sendmessage", {"chat_id": "1", "text": "hi", "reply_markup": "{...}"})
    check.method, check.params  # canonical name, params decoded/coerced ({"chat_id": 1, ...})

What is checked: the method exists (case-insensitive, like Telegram), no unknown parameters or
fields, required ones present, every value has one of the declared types (nested API types are
checked recursively, abstract types such as ``BotCommandScope`` by their ``type`` discriminator),
JSON-encoded strings are decoded for object/array parameters (as they arrive in form bodies),
``"123"``/``"true"`` are accepted for Integer/Boolean, and the limits that only live in the
descriptions: ``N-M characters``/``N-M bytes`` for strings (text after HTML/Markdown parsing when
``parse_mode`` is set, with a syntax check of the markup), ``Values between N-M`` for integers,
``N-M items``/``At most N`` for arrays, plus hand-written rules (InlineKeyboardButton has exactly
one action field, bot command charset, webhook secret charset, parse_mode and chat action
values, edit methods need ``chat_id``+``message_id`` or ``inline_message_id``).
"""

from __future__ import annotations

import html
import json
import os
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

SPEC_DIR_ENV = "BOT_API_SPEC_DIR"
SPEC_FILE = "api.json"

PRIMITIVES = frozenset({"String", "Integer", "Float", "Boolean", "True", "InputFile"})
ARRAY_PREFIX = "Array of "
PARSE_MODES = frozenset({"html", "markdown", "markdownv2"})
CHAT_ACTIONS = frozenset(
    {
        "typing",
        "upload_photo",
        "record_video",
        "upload_video",
        "record_voice",
        "upload_voice",
        "upload_document",
        "choose_sticker",
        "find_location",
        "record_video_note",
        "upload_video_note",
    }
)
# InlineKeyboardButton fields that are not "the action" of the button.
BUTTON_NON_ACTION_FIELDS = frozenset({"text", "icon_custom_emoji_id", "style"})
DISCRIMINATOR_FIELDS = frozenset({"type", "status", "source"})

_LENGTH_RE = re.compile(r"(\d+)-(\d+) (characters|bytes|Bytes)")
_INT_RANGE_RE = re.compile(r"(?<![\d.+-])(\d+)-(\d+)(?![\d-])")
_ITEMS_RE = re.compile(r"(?:[Ll]ist of|array of|must include) (\d+)-(\d+) ")
_AT_MOST_RE = re.compile(r"[Aa]t most (\d+) [\w ]+? can be specified")
_CONST_RE = re.compile(r'(?:must be|always) "?([a-z0-9_]+)"?\s*$')
_INT_STR_RE = re.compile(r"[+-]?\d+")
_BOT_COMMAND_RE = re.compile(r"[a-z0-9_]+")
_SECRET_TOKEN_RE = re.compile(r"[A-Za-z0-9_-]*")


@dataclass(frozen=True)
class UploadedFile:
    """A file that arrived as a multipart part (what ``InputFile`` means on the wire)."""

    data: bytes
    filename: str | None = None
    content_type: str | None = None

    @property
    def size(self) -> int:
        return len(self.data)


@dataclass(frozen=True)
class Limit:
    low: int
    high: int
    unit: str  # "characters" | "bytes" | "value" | "items"


@dataclass(frozen=True)
class FieldSpec:
    name: str
    types: tuple[str, ...]
    required: bool
    description: str
    limit: Limit | None = None
    const: str | None = None  # discriminator value ("photo" for InputMediaPhoto.type)

    @property
    def after_entities(self) -> bool:
        return "after entit" in self.description


@dataclass(frozen=True)
class ObjectSpec:
    """A method or an API type: its fields (parameters), or its subtypes when abstract."""

    name: str
    fields: Mapping[str, FieldSpec]
    subtypes: tuple[str, ...] = ()
    returns: tuple[str, ...] = ()
    description: str = ""

    @property
    def required(self) -> list[str]:
        return [f.name for f in self.fields.values() if f.required]


@dataclass(frozen=True)
class Violation:
    path: str
    message: str
    telegram: str | None = None  # how Telegram itself words this error, when known

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


@dataclass
class CallCheck:
    """Result of :meth:`BotApiSpec.check_call`."""

    method: str  # canonical spelling ("sendMessage") or the name as given when unknown
    known: bool
    params: dict[str, Any]  # decoded and coerced: ints, bools, dicts/lists instead of JSON text
    violations: list[Violation] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.violations

    @property
    def messages(self) -> list[str]:
        return [str(v) for v in self.violations]

    def error_description(self) -> str:
        """A Telegram-style ``description`` for a 400 answer."""
        if not self.known:
            return "Not Found"
        first, rest = self.violations[0], self.violations[1:]
        text = first.telegram or str(first)
        if rest:
            text += " (also: " + "; ".join(str(v) for v in rest) + ")"
        return f"Bad Request: {text}"


def default_spec_dir() -> Path:
    """``$BOT_API_SPEC_DIR`` or ``<repo>/../shared/telegram-bot-api``."""
    env = os.environ.get(SPEC_DIR_ENV)
    if env:
        return Path(env)
    return Path(__file__).resolve().parents[3] / "shared" / "telegram-bot-api"


class BotApiSpec:
    """The Bot API methods and types, plus a validator for calls and objects."""

    def __init__(self, data: Mapping[str, Any]) -> None:
        self.version: str = str(data.get("version", ""))
        self.methods: dict[str, ObjectSpec] = {
            name: _object_spec(raw) for name, raw in data["methods"].items()
        }
        self.types: dict[str, ObjectSpec] = {
            name: _object_spec(raw) for name, raw in data["types"].items()
        }
        self._by_lower = {name.lower(): name for name in self.methods}

    @classmethod
    def load(cls, directory: str | Path | None = None) -> BotApiSpec:
        path = Path(directory) if directory is not None else default_spec_dir()
        with (path / SPEC_FILE).open(encoding="utf-8") as fh:
            return cls(json.load(fh))

    def method(self, name: str) -> ObjectSpec | None:
        """Look a method up case-insensitively, as Telegram does."""
        canonical = self._by_lower.get(name.lower())
        return self.methods[canonical] if canonical else None

    def check_call(self, method: str, params: Mapping[str, Any]) -> CallCheck:
        spec = self.method(method)
        if spec is None:
            return CallCheck(
                method, False, dict(params), [Violation(method, f"unknown method {method!r}")]
            )
        checker = _Checker(self)
        normalized = checker.check_fields(spec, params, spec.name, top_level=True)
        for rule in _METHOD_RULES:
            rule(spec, normalized, checker.violations)
        return CallCheck(spec.name, True, normalized, checker.violations)

    def validate_call(self, method: str, params: Mapping[str, Any]) -> list[str]:
        """Every violation of the call, as ``"<path>: <problem>"`` strings (empty if valid)."""
        return self.check_call(method, params).messages

    def assert_valid(self, method: str, params: Mapping[str, Any]) -> dict[str, Any]:
        """Raise AssertionError listing all violations; return the normalized params."""
        check = self.check_call(method, params)
        if check.violations:
            lines = "\n  ".join(check.messages)
            raise AssertionError(f"invalid Bot API call {method}:\n  {lines}")
        return check.params

    def check_object(
        self, type_name: str, value: Any, path: str | None = None
    ) -> tuple[Any, list[Violation]]:
        checker = _Checker(self)
        normalized = checker.check_value(value, (type_name,), path or type_name)
        return normalized, checker.violations

    def validate_object(self, type_name: str, value: Any) -> list[str]:
        """Validate any API object (``"Update"``, ``"Message"``, ``"InlineKeyboardMarkup"``...)."""
        return [str(v) for v in self.check_object(type_name, value)[1]]


# --------------------------------------------------------------------------- spec parsing


def _object_spec(raw: Mapping[str, Any]) -> ObjectSpec:
    fields = {f["name"]: _field_spec(f) for f in raw.get("fields", [])}
    return ObjectSpec(
        name=raw["name"],
        fields=fields,
        subtypes=tuple(raw.get("subtypes", ())),
        returns=tuple(raw.get("returns", ())),
        description=" ".join(raw.get("description", ())),
    )


def _field_spec(raw: Mapping[str, Any]) -> FieldSpec:
    types = tuple(raw["types"])
    desc = raw.get("description", "")
    const = None
    if raw["name"] in DISCRIMINATOR_FIELDS and types == ("String",):
        match = _CONST_RE.search(desc)
        const = match.group(1) if match else None
    return FieldSpec(
        raw["name"], types, bool(raw.get("required")), desc, _limit(types, desc), const
    )


def _limit(types: tuple[str, ...], desc: str) -> Limit | None:
    if "String" in types and (m := _LENGTH_RE.search(desc)):
        return Limit(int(m.group(1)), int(m.group(2)), m.group(3).lower())
    if types == ("Integer",):
        found = _INT_RANGE_RE.findall(desc)
        if len(found) == 1:
            return Limit(int(found[0][0]), int(found[0][1]), "value")
    if any(t.startswith(ARRAY_PREFIX) for t in types):
        if m := _ITEMS_RE.search(desc):
            return Limit(int(m.group(1)), int(m.group(2)), "items")
        if m := _AT_MOST_RE.search(desc):
            return Limit(0, int(m.group(1)), "items")
    return None


# --------------------------------------------------------------------------- value checking


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "Boolean"
    if isinstance(value, int):
        return "Integer"
    if isinstance(value, float):
        return "Float"
    if isinstance(value, str):
        return "String"
    if isinstance(value, list | tuple):
        return "Array"
    if isinstance(value, Mapping):
        return "Object"
    if _is_file(value):
        return "InputFile"
    return type(value).__name__


def _is_file(value: Any) -> bool:
    return isinstance(value, UploadedFile | bytes | bytearray | memoryview) or hasattr(
        value, "read"
    )


def _decode_json(value: Any) -> Any:
    if isinstance(value, str) and value.lstrip()[:1] in ("{", "["):
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


class _Checker:
    def __init__(self, spec: BotApiSpec) -> None:
        self.spec = spec
        self.violations: list[Violation] = []

    def fail(self, path: str, message: str, telegram: str | None = None) -> None:
        self.violations.append(Violation(path, message, telegram))

    def sub(self) -> _Checker:
        return _Checker(self.spec)

    # ----- objects

    def check_fields(
        self, spec: ObjectSpec, value: Mapping[str, Any], path: str, *, top_level: bool = False
    ) -> dict[str, Any]:
        out: dict[str, Any] = {}
        what = "parameter" if top_level else "field"
        for key in value:
            if key not in spec.fields:
                self.fail(f"{path}.{key}", f"unknown {what} for {spec.name}")
        for fspec in spec.fields.values():
            raw = value.get(fspec.name)
            if raw is None:
                if fspec.required:
                    self.fail(
                        f"{path}.{fspec.name}",
                        f"required {what} is missing",
                        _missing_text(spec.name, fspec.name) if top_level else None,
                    )
                continue
            out[fspec.name] = self.check_field(spec, fspec, raw, value, f"{path}.{fspec.name}")
        rule = _TYPE_RULES.get(spec.name)
        if rule is not None:
            rule(out, path, self)
        return out

    def check_field(
        self, owner: ObjectSpec, fspec: FieldSpec, raw: Any, siblings: Mapping[str, Any], path: str
    ) -> Any:
        before = len(self.violations)
        value = self.check_value(raw, fspec.types, path)
        if len(self.violations) > before:
            return value
        if fspec.const is not None and value != fspec.const:
            self.fail(path, f"must be {fspec.const!r}, got {value!r}")
        if (
            fspec.name.endswith("parse_mode")
            and isinstance(value, str)
            and value
            and value.lower() not in PARSE_MODES
        ):
            self.fail(
                path, f"unsupported parse_mode {value!r}", f"unsupported parse_mode {value!r}"
            )
        if fspec.limit is not None:
            self.check_limit(owner, fspec, value, siblings, path)
        return value

    def check_limit(
        self,
        owner: ObjectSpec,
        fspec: FieldSpec,
        value: Any,
        siblings: Mapping[str, Any],
        path: str,
    ) -> None:
        limit = fspec.limit
        assert limit is not None
        if limit.unit == "value" and isinstance(value, int):
            if not limit.low <= value <= limit.high:
                self.fail(path, f"must be between {limit.low} and {limit.high}, got {value}")
            return
        if limit.unit == "items" and isinstance(value, list):
            if not limit.low <= len(value) <= limit.high:
                self.fail(path, f"must have {limit.low}-{limit.high} items, got {len(value)}")
            return
        if not isinstance(value, str):
            return
        text, note = value, ""
        if fspec.after_entities:
            mode_key = "quote_parse_mode" if fspec.name == "quote" else "parse_mode"
            mode = siblings.get(mode_key)
            if isinstance(mode, str) and mode:
                text, error = parse_entities(value, mode)
                if error is not None:
                    self.fail(
                        path,
                        f"can't parse entities ({mode}): {error}",
                        f"can't parse entities: {error}",
                    )
                    return
            note = " after entities parsing"
            if limit.low > 0 and not text.strip():
                self.fail(path, "must not be empty" + note, _empty_text(owner.name, fspec.name))
                return
        size = len(text.encode("utf-8")) if limit.unit == "bytes" else len(text)
        if not limit.low <= size <= limit.high:
            self.fail(
                path,
                f"must be {limit.low}-{limit.high} {limit.unit}{note}, got {size}",
                _length_text(owner.name, fspec.name, size > limit.high),
            )

    # ----- values

    def check_value(self, value: Any, types: tuple[str, ...], path: str) -> Any:
        """Check ``value`` against a union of type names; return the normalized value."""
        alternatives = _alternatives(types)
        decoded = _decode_json(value) if any(_is_complex(a) for a in alternatives) else value
        attempts: list[tuple[str | tuple[str, ...], Any, list[Violation]]] = []
        for alt in alternatives:
            candidate = decoded if _is_complex(alt) else value
            sub = self.sub()
            normalized = sub.check_single(candidate, alt, path)
            if not sub.violations:
                return normalized
            attempts.append((alt, normalized, sub.violations))
        best = attempts[0] if len(attempts) == 1 else self.best_attempt(decoded, attempts)
        if best is None:
            self.fail(path, f"expected {_describe(types)}, got {_kind(decoded)} {_short(decoded)}")
            return value
        self.violations.extend(best[2])
        return best[1]

    def best_attempt(
        self, value: Any, attempts: list[tuple[str | tuple[str, ...], Any, list[Violation]]]
    ) -> tuple[str | tuple[str, ...], Any, list[Violation]] | None:
        compatible = [a for a in attempts if self.shape_matches(value, a[0])]
        if not compatible:
            return None
        return min(compatible, key=lambda a: (self.required_missing(value, a[0]), len(a[2])))

    def shape_matches(self, value: Any, alt: str | tuple[str, ...]) -> bool:
        if isinstance(alt, tuple):
            return isinstance(value, list | tuple)
        if alt in PRIMITIVES:
            return False  # a primitive mismatch is reported as "expected X, got Y"
        return isinstance(value, Mapping)

    def required_missing(self, value: Any, alt: str | tuple[str, ...]) -> int:
        if isinstance(alt, tuple) or not isinstance(value, Mapping):
            return 0
        spec = self.spec.types.get(alt)
        return 0 if spec is None else sum(1 for r in spec.required if r not in value)

    def check_single(self, value: Any, alt: str | tuple[str, ...], path: str) -> Any:
        if isinstance(alt, tuple):
            return self.check_array(value, alt, path)
        if alt in PRIMITIVES:
            return self.check_primitive(value, alt, path)
        spec = self.spec.types.get(alt)
        if spec is None:
            self.fail(path, f"spec has no type {alt!r}")
            return value
        if spec.subtypes:
            return self.check_abstract(value, spec, path)
        if not isinstance(value, Mapping):
            self.fail(path, f"expected {alt} object, got {_kind(value)}")
            return value
        return self.check_fields(spec, value, path)

    def check_array(self, value: Any, item_types: tuple[str, ...], path: str) -> Any:
        if not isinstance(value, list | tuple):
            self.fail(path, f"expected Array of {_describe(item_types)}, got {_kind(value)}")
            return value
        return [self.check_value(item, item_types, f"{path}[{i}]") for i, item in enumerate(value)]

    def check_abstract(self, value: Any, spec: ObjectSpec, path: str) -> Any:
        consts = self.discriminators(spec)
        if consts is None:
            return self.check_value(value, spec.subtypes, path)
        if not isinstance(value, Mapping):
            self.fail(path, f"expected {spec.name} object, got {_kind(value)}")
            return value
        key, by_value = consts
        chosen = by_value.get(str(value.get(key)))
        if chosen is None:
            allowed = ", ".join(sorted(by_value))
            self.fail(
                f"{path}.{key}", f"must be one of {allowed} for {spec.name}, got {value.get(key)!r}"
            )
            return value
        return self.check_single(value, chosen, path)

    def discriminators(self, spec: ObjectSpec) -> tuple[str, dict[str, str]] | None:
        key: str | None = None
        by_value: dict[str, str] = {}
        for sub in spec.subtypes:
            sub_spec = self.spec.types.get(sub)
            if sub_spec is None:
                return None
            found = [f for f in sub_spec.fields.values() if f.const is not None]
            if len(found) != 1 or (key is not None and found[0].name != key):
                return None
            key = found[0].name
            by_value[found[0].const or ""] = sub
        return (key, by_value) if key else None

    def check_primitive(self, value: Any, name: str, path: str) -> Any:
        ok, normalized = _PRIMITIVE_CHECKS[name](value)
        if not ok:
            got = _kind(value)
            if name == "True" and got in ("Boolean", "String"):
                self.fail(path, f"must be True, got {value!r}")
            else:
                self.fail(path, f"expected {name}, got {got} {_short(value)}")
        return normalized


def _alternatives(types: Iterable[str]) -> list[str | tuple[str, ...]]:
    """Scalars stay as they are; all ``Array of X`` alternatives merge into one array check."""
    scalars: list[str | tuple[str, ...]] = []
    items: list[str] = []
    for t in types:
        if t.startswith(ARRAY_PREFIX):
            items.append(t[len(ARRAY_PREFIX) :])
        else:
            scalars.append(t)
    if items:
        scalars.append(tuple(items))
    return scalars


def _is_complex(alt: str | tuple[str, ...]) -> bool:
    return isinstance(alt, tuple) or alt not in PRIMITIVES


def _describe(types: Iterable[str]) -> str:
    return " or ".join(types)


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _check_integer(value: Any) -> tuple[bool, Any]:
    if isinstance(value, bool):
        return False, value
    if isinstance(value, int):
        return True, value
    if isinstance(value, str) and _INT_STR_RE.fullmatch(value.strip()):
        return True, int(value)
    return False, value


def _check_float(value: Any) -> tuple[bool, Any]:
    if isinstance(value, bool):
        return False, value
    if isinstance(value, int | float):
        return True, float(value)
    if isinstance(value, str):
        try:
            return True, float(value)
        except ValueError:
            return False, value
    return False, value


def _check_boolean(value: Any) -> tuple[bool, Any]:
    if isinstance(value, bool):
        return True, value
    if isinstance(value, str) and value.strip().lower() in ("true", "false", "1", "0"):
        return True, value.strip().lower() in ("true", "1")
    return False, value


def _check_true(value: Any) -> tuple[bool, Any]:
    ok, normalized = _check_boolean(value)
    return (ok and normalized is True), normalized


def _check_string(value: Any) -> tuple[bool, Any]:
    return isinstance(value, str), value


def _check_input_file(value: Any) -> tuple[bool, Any]:
    if isinstance(value, str):
        return bool(value.strip()), value
    return _is_file(value), value


_PRIMITIVE_CHECKS: dict[str, Callable[[Any], tuple[bool, Any]]] = {
    "Integer": _check_integer,
    "Float": _check_float,
    "Boolean": _check_boolean,
    "True": _check_true,
    "String": _check_string,
    "InputFile": _check_input_file,
}


# --------------------------------------------------------------------------- Telegram wording


def _missing_text(method: str, name: str) -> str:
    if name == "text" and method.startswith("send"):
        return "message text is empty"
    return f"{name} is empty"


def _empty_text(owner: str, name: str) -> str | None:
    if name in ("text", "message_text"):
        return "message text is empty"
    return None


def _length_text(owner: str, name: str, too_long: bool) -> str | None:
    if name in ("text", "message_text"):
        return "message is too long" if too_long else "message text is empty"
    if name == "caption" and too_long:
        return "message caption is too long"
    if owner == "InlineKeyboardButton" and name == "callback_data":
        return "BUTTON_DATA_INVALID"
    return None


# --------------------------------------------------------------------------- hand-written rules


def _rule_inline_button(obj: dict[str, Any], path: str, checker: _Checker) -> None:
    actions = sorted(k for k in obj if k not in BUTTON_NON_ACTION_FIELDS)
    if len(actions) != 1:
        spec = checker.spec.types["InlineKeyboardButton"]
        choices = ", ".join(k for k in spec.fields if k not in BUTTON_NON_ACTION_FIELDS)
        got = ", ".join(actions) or "none"
        checker.fail(
            path, f"exactly one of {choices} must be set, got {got}", "BUTTON_TYPE_INVALID"
        )


def _rule_bot_command(obj: dict[str, Any], path: str, checker: _Checker) -> None:
    command = obj.get("command")
    if isinstance(command, str) and command and not _BOT_COMMAND_RE.fullmatch(command):
        checker.fail(
            f"{path}.command",
            f"{command!r} may contain only lowercase English letters, digits and underscores",
            "BOT_COMMAND_INVALID",
        )


_TYPE_RULES: dict[str, Callable[[dict[str, Any], str, _Checker], None]] = {
    "InlineKeyboardButton": _rule_inline_button,
    "BotCommand": _rule_bot_command,
}


def _rule_edit_target(spec: ObjectSpec, params: dict[str, Any], out: list[Violation]) -> None:
    """chat_id + message_id are required if inline_message_id is not given (edit methods)."""
    method = spec.name
    optional = ("chat_id", "message_id", "inline_message_id")
    if not all(k in spec.fields and not spec.fields[k].required for k in optional):
        return
    if "inline_message_id" in params:
        return
    for key in ("chat_id", "message_id"):
        if key not in params:
            out.append(
                Violation(
                    f"{method}.{key}",
                    "required when inline_message_id is not specified",
                    f"{key} is empty"
                    if key == "chat_id"
                    else "message identifier is not specified",
                )
            )


def _rule_edit_text(spec: ObjectSpec, params: dict[str, Any], out: list[Violation]) -> None:
    method = spec.name
    if method == "editMessageText" and "text" not in params and "rich_message" not in params:
        out.append(
            Violation(
                f"{method}.text",
                "required when rich_message is not specified",
                "text must be non-empty",
            )
        )


def _rule_secret_token(spec: ObjectSpec, params: dict[str, Any], out: list[Violation]) -> None:
    method = spec.name
    token = params.get("secret_token")
    if method == "setWebhook" and isinstance(token, str) and not _SECRET_TOKEN_RE.fullmatch(token):
        out.append(Violation(f"{method}.secret_token", "only A-Z, a-z, 0-9, _ and - are allowed"))


def _rule_chat_action(spec: ObjectSpec, params: dict[str, Any], out: list[Violation]) -> None:
    method = spec.name
    action = params.get("action")
    if method == "sendChatAction" and isinstance(action, str) and action not in CHAT_ACTIONS:
        out.append(
            Violation(
                f"{method}.action",
                f"unknown chat action {action!r}",
                "wrong parameter action in request",
            )
        )


_METHOD_RULES: tuple[Callable[[ObjectSpec, dict[str, Any], list[Violation]], None], ...] = (
    _rule_edit_target,
    _rule_edit_text,
    _rule_secret_token,
    _rule_chat_action,
)


# --------------------------------------------------------------------------- entity parsing


HTML_TAGS = frozenset(
    {
        "b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "span", "tg-spoiler",
        "a", "code", "pre", "blockquote", "tg-emoji", "tg-time",
    }
)  # fmt: skip
_HTML_TAG_RE = re.compile(r"<(/?)([A-Za-z][\w-]*)((?:\s[^<>]*)?)>")
_HTML_ENTITY_RE = re.compile(r"&(lt|gt|amp|quot|#\d+|#x[0-9a-fA-F]+);")
MARKDOWN_V2_RESERVED = frozenset("_*[]()~`>#+-=|{}.!")


def parse_entities(text: str, parse_mode: str) -> tuple[str, str | None]:
    """Approximate Telegram's entity parsing: ``(plain_text, error_or_None)``."""
    mode = parse_mode.lower()
    if mode == "html":
        return _parse_html(text)
    if mode == "markdownv2":
        return _parse_markdown(text, v2=True)
    if mode == "markdown":
        return _parse_markdown(text, v2=False)
    return text, None


def _parse_html(text: str) -> tuple[str, str | None]:
    out: list[str] = []
    stack: list[str] = []
    i = 0
    while i < len(text):
        ch = text[i]
        if ch == "<":
            m = _HTML_TAG_RE.match(text, i)
            if m is None:
                return "", f"unexpected '<' at offset {i} (escape it as &lt;)"
            closing, name = m.group(1) == "/", m.group(2).lower()
            if name not in HTML_TAGS:
                return "", f'unsupported start tag "{name}" at offset {i}'
            if closing:
                if not stack or stack[-1] != name:
                    return (
                        "",
                        f'can\'t find start tag corresponding to end tag "{name}" at offset {i}',
                    )
                stack.pop()
            else:
                stack.append(name)
            i = m.end()
            continue
        if ch == "&" and (m := _HTML_ENTITY_RE.match(text, i)):
            out.append(html.unescape(m.group(0)))
            i = m.end()
            continue
        if ch == ">":
            return "", f"unexpected '>' at offset {i} (escape it as &gt;)"
        out.append(ch)
        i += 1
    if stack:
        return "", f'can\'t find end tag corresponding to start tag "{stack[-1]}"'
    return "".join(out), None


def _parse_markdown(text: str, *, v2: bool) -> tuple[str, str | None]:
    parser = _MarkdownParser(text, v2)
    return parser.run()


class _MarkdownParser:
    def __init__(self, text: str, v2: bool) -> None:
        self.text = text
        self.v2 = v2
        self.out: list[str] = []
        self.stack: list[tuple[str, int]] = []
        self.i = 0

    def run(self) -> tuple[str, str | None]:
        try:
            while self.i < len(self.text):
                self.step()
        except ValueError as exc:
            return "", str(exc)
        if self.stack:
            return "", f"can't find end of the entity starting at offset {self.stack[-1][1]}"
        return "".join(self.out), None

    def step(self) -> None:
        text, i = self.text, self.i
        ch = text[i]
        if ch == "\\" and i + 1 < len(text) and (self.v2 or text[i + 1] in "_*`["):
            self.out.append(text[i + 1])
            self.i += 2
        elif ch == "`":
            self.code()
        elif ch == "[" or (self.v2 and text.startswith("![", i)):
            self.i += 2 if ch == "!" else 1
            self.stack.append(("[", i))
        elif ch == "]" and self.stack and self.stack[-1][0] == "[":
            self.link_end()
        elif self.v2 and self.toggle_v2():
            pass
        elif not self.v2 and ch in "*_":
            self.toggle(ch, 1)
        elif self.v2 and ch == ">" and (i == 0 or text[i - 1] == "\n"):
            self.i += 1  # blockquote marker
        elif self.v2 and ch in MARKDOWN_V2_RESERVED:
            raise ValueError(
                f"character '{ch}' is reserved and must be escaped with the preceding '\\'"
            )
        else:
            self.out.append(ch)
            self.i += 1

    def toggle_v2(self) -> bool:
        text, i = self.text, self.i
        for marker in ("__", "||", "*", "_", "~"):
            if text.startswith(marker, i):
                self.toggle(marker, len(marker))
                return True
        return False

    def toggle(self, marker: str, width: int) -> None:
        if self.stack and self.stack[-1][0] == marker:
            self.stack.pop()
        elif any(m == marker for m, _ in self.stack):
            raise ValueError(f"can't find end of the entity starting at offset {self.stack[-1][1]}")
        else:
            self.stack.append((marker, self.i))
        self.i += width

    def code(self) -> None:
        text, i = self.text, self.i
        fence = "```" if text.startswith("```", i) else "`"
        j = i + len(fence)
        body: list[str] = []
        while j < len(text) and not text.startswith(fence, j):
            if text[j] == "\\" and self.v2 and j + 1 < len(text):
                body.append(text[j + 1])
                j += 2
            else:
                body.append(text[j])
                j += 1
        if j >= len(text):
            raise ValueError(f"can't find end of the entity starting at offset {i}")
        content = "".join(body)
        if fence == "```" and "\n" in content:
            first, rest = content.split("\n", 1)
            content = rest if first and " " not in first.strip() else content
        self.out.append(content)
        self.i = j + len(fence)

    def link_end(self) -> None:
        text = self.text
        self.stack.pop()
        j = self.i + 1
        if j < len(text) and text[j] == "(":
            close = text.find(")", j)
            if close < 0:
                raise ValueError(f"can't find end of a URL at offset {j}")
            self.i = close + 1
        elif self.v2:
            raise ValueError(
                "character ']' is reserved and must be escaped with the preceding '\\'"
            )
        else:
            self.i = j
