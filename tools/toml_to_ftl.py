"""Convert the old TOML catalog (``str.format`` placeholders) to a Fluent ``.ftl`` file.

    python tools/toml_to_ftl.py handlers/locales/en.toml handlers/locales/en.ftl

Rules (kept by :func:`verify`, which runs on every conversion and fails it on any difference):

* a dotted key becomes a Fluent id with ``.`` replaced by ``-`` (``reg.serial.prompt`` ->
  ``reg-serial-prompt``); two keys mapping to one id is an error;
* ``{name}`` becomes ``{ $name }``; a literal brace becomes ``{"{"}`` / ``{"}"}``;
* a value with line breaks becomes Fluent multi-line text, one indented line per line;
  leading or trailing spaces of a line, a line starting with ``[``, ``*`` or ``.`` (Fluent
  syntax there) and an empty first or last line are written as string literals (``{"  "}``);
* keys listed in :data:`PLURALS` get a plural selector on a numeric parameter; their
  ``other`` variant is the TOML text itself, so the check renders it with a count of 3;
* TOML comments are carried over as Fluent comments above the next message.

Re-run it whenever keys are added to a TOML file (e.g. when merging a branch that still
edits ``en.toml``): the output is the whole file, in the TOML file's order.
"""

from __future__ import annotations

import argparse
import re
import string
import sys
import tomllib
from pathlib import Path
from typing import Any

HEADER = """\
### redeem-bot: the English catalog (Project Fluent). Every text the customer or staff sees.
###
### For translators:
### - Keep the vendor's terms as they are: "S/N" (the serial number sticker), "CHK" (the
###   3-digit check code on that sticker), "Steam" and "Steam code", "MSI", "MSI®".
### - { $name } is a parameter filled in by the bot: keep it, with the same name; you may move
###   it within the sentence. Do not translate the parameter's name.
### - Plural forms: write a selector on the number, e.g.
###     key = { $count ->
###         [one] one claim
###        *[other] { $count } claims
###     }
###   with the plural categories of your language (German: one/other; Chinese: other only).
### - Button labels (btn-*) should stay short (Telegram shows about 30 characters per button).
### - Command descriptions (command-*) must fit 256 characters; better under 60.
### - Lines of a multi-line text are indented by four spaces. {"  "} keeps leading spaces,
###   {"["} / {"*"} / {"."} keep a line that starts with that character as text.
### - Every id here must exist in every language, with the same parameters (a test checks it).
"""

# key -> (numeric parameter, text for the "one" category). The TOML text is the "other" form.
PLURALS: dict[str, tuple[str, str]] = {
    "staff.queue_title": ("count", "{count} claim waiting for review:"),
    "error.code_wrong": ("tries_left", "That code is not right. {tries_left} try left."),
    "error.account_locked": (
        "minutes",
        "Too many failed attempts: this account is locked for {minutes} minute. "
        "Please try again later.",
    ),
    "email_code.wait": (
        "seconds",
        "I sent a code very recently. You can ask for a new one in {seconds} second.",
    ),
    "error.resend_too_soon": (
        "seconds",
        "I just sent you a code. You can ask for a new one in {seconds} second.",
    ),
    "invalid.date_too_old": (
        "years",
        "That's more than {years} year ago. Please check the purchase date.",
    ),
    "invalid.password_short": ("min", "Your password must be at least {min} character long."),
}
# the "other" texts that replace the TOML text where it reads wrong for a plural
OTHER_OVERRIDES: dict[str, str] = {
    "staff.queue_title": "{count} claims waiting for review:",
}

SPECIAL_START = ("[", "*", ".")
_FMT = string.Formatter()


class ConversionError(ValueError):
    pass


def fluent_id(key: str) -> str:
    ident = key.replace(".", "-")
    if not re.fullmatch(r"[a-zA-Z][a-zA-Z0-9_-]*", ident):
        raise ConversionError(f"{key!r} does not make a valid Fluent id ({ident!r})")
    return ident


def flatten(node: dict[str, Any], prefix: str = "") -> dict[str, str]:
    out: dict[str, str] = {}
    for k, v in node.items():
        key = f"{prefix}.{k}" if prefix else k
        if isinstance(v, dict):
            out.update(flatten(v, key))
        else:
            out[key] = str(v)
    return out


def placeholders(template: str) -> list[str]:
    return [f for _, f, _, _ in _FMT.parse(template) if f is not None]


def _literal(text: str) -> str:
    return '{"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"}'


def _line(line: str, first: bool, last: bool) -> str:
    """One line of a str.format template as Fluent text."""
    parts: list[str] = []
    for lit, field, spec, conv in _FMT.parse(line):
        lit = lit.replace("{", "\0{").replace("}", "\0}")
        parts.append(re.sub(r"\0([{}])", lambda m: _literal(m.group(1)), lit))
        if field is not None:
            if spec or conv or not field.isidentifier():
                raise ConversionError(f"placeholder {{{field}}} is not a plain name")
            parts.append("{ $" + field + " }")
    text = "".join(parts)
    if text == "":
        return _literal("") if (first or last) else ""
    lead = len(text) - len(text.lstrip(" \t"))
    if lead:
        text = _literal(text[:lead]) + text[lead:]
    elif text.startswith(SPECIAL_START):
        text = _literal(text[0]) + text[1:]
    trail = len(text) - len(text.rstrip(" \t"))
    if trail:
        text = text[: len(text) - trail] + _literal(text[len(text) - trail :])
    return text


def pattern(template: str, indent: str = "    ") -> str:
    """The text after ``id =``: inline for one line, an indented block for several."""
    lines = template.split("\n")
    conv = [_line(ln, i == 0, i == len(lines) - 1) for i, ln in enumerate(lines)]
    if len(conv) == 1:
        return " " + conv[0]
    return "\n" + "\n".join(indent + c if c else "" for c in conv)


def message(key: str, template: str) -> str:
    ident = fluent_id(key)
    if key not in PLURALS:
        return f"{ident} ={pattern(template)}"
    param, one = PLURALS[key]
    other = OTHER_OVERRIDES.get(key, template)
    for form in (one, other):
        if param not in placeholders(form) or sorted(set(placeholders(form))) != sorted(
            set(placeholders(template))
        ):
            raise ConversionError(f"plural forms of {key} must use the same parameters")
    pad = " " * 8
    return (
        f"{ident} = {{ ${param} ->\n"
        f"        [one]{pattern(one, pad + '    ')}\n"
        f"       *[other]{pattern(other, pad + '    ')}\n"
        f"    }}"
    )


def _ordered_keys_and_comments(toml_text: str) -> list[tuple[str, str]]:
    """("comment", text) and ("key", dotted key) in file order."""
    out: list[tuple[str, str]] = []
    table = ""
    for raw in toml_text.splitlines():
        line = raw.strip()
        if line.startswith("#"):
            out.append(("comment", line.lstrip("#").strip()))
        elif m := re.match(r"^\[([^\]]+)\]$", line):
            table = m.group(1).strip()
        elif m := re.match(r"^([A-Za-z0-9_-]+)\s*=", line):
            out.append(("key", f"{table}.{m.group(1)}" if table else m.group(1)))
    return out


def convert(toml_text: str, header: str = HEADER) -> str:
    values = flatten(tomllib.loads(toml_text))
    ids: dict[str, str] = {}
    for key in values:
        ident = fluent_id(key)
        if ident in ids:
            raise ConversionError(f"{key!r} and {ids[ident]!r} both map to {ident!r}")
        ids[ident] = key
    chunks: list[str] = [header]
    pending: list[str] = []
    seen: set[str] = set()
    for kind, item in _ordered_keys_and_comments(toml_text):
        if kind == "comment":
            if not item.startswith(("English catalog", "Other languages")):
                pending.append(f"# {item.strip('- ')}".rstrip())
            continue
        if item not in values or item in seen:
            continue
        seen.add(item)
        chunks.append("\n".join([*pending, message(item, values[item])]))
        pending = []
    for key in values:  # anything the line scan missed (e.g. inline tables)
        if key not in seen:
            chunks.append(message(key, values[key]))
    return "\n\n".join(chunks).rstrip("\n") + "\n"


def sample_params(template: str, count: int = 3) -> dict[str, Any]:
    return {
        name: (count if name in {p for p, _ in PLURALS.values()} else f"<{name}: a {{b}} c>")
        for name in placeholders(template)
    }


def verify(toml_text: str, ftl_text: str) -> list[str]:
    """Every key renders in Fluent exactly as ``str.format`` rendered it (plural keys: their
    ``other`` form with 3, their ``one`` form with 1). Returns the differences."""
    from fluent.runtime import FluentBundle, FluentResource
    from fluent.runtime.types import fluent_number

    bundle = FluentBundle(["en"], use_isolating=False)
    bundle.add_resource(FluentResource(ftl_text))
    problems: list[str] = []
    for key, template in flatten(tomllib.loads(toml_text)).items():
        ident = fluent_id(key)
        if not bundle.has_message(ident):
            problems.append(f"{key}: no message {ident}")
            continue
        cases = [(template, 3)]
        if key in PLURALS:
            cases = [(OTHER_OVERRIDES.get(key, template), 3), (PLURALS[key][1], 1)]
        for expected_template, count in cases:
            params = sample_params(expected_template, count)
            expected = expected_template.format(**params)
            fparams = {
                k: fluent_number(v, useGrouping=False) if isinstance(v, int) else v
                for k, v in params.items()
            }
            msg = bundle.get_message(ident)
            if msg.value is None:  # an id with attributes only: nothing to compare
                problems.append(f"{key}: no value")
                continue
            got, errors = bundle.format_pattern(msg.value, fparams)
            if errors or got != expected:
                problems.append(f"{key}: {got!r} != {expected!r} {errors or ''}")
    return problems


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("toml", type=Path)
    ap.add_argument("ftl", type=Path)
    args = ap.parse_args(argv)
    toml_text = args.toml.read_text(encoding="utf-8")
    ftl_text = convert(toml_text)
    problems = verify(toml_text, ftl_text)
    if problems:
        print("\n".join(problems), file=sys.stderr)
        return 1
    args.ftl.write_text(ftl_text, encoding="utf-8")
    print(f"{args.ftl}: {len(flatten(tomllib.loads(toml_text)))} messages, round trip ok")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
