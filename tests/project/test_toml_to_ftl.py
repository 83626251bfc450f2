"""tools/toml_to_ftl.py: every TOML text renders the same in Fluent as it did with str.format."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _tool():
    spec = importlib.util.spec_from_file_location("toml_to_ftl", ROOT / "tools" / "toml_to_ftl.py")
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


TRICKY = r"""
# a comment
[a]
plain = "Hello {name}!"
braces = "JSON looks like {{\"k\": {value}}} and {{}}"
lines = "first\n\n  indented {x}\n[bracket\n*star\n.dot\ntrailing  \n    {code}"
lead = "  two spaces first"
edges = "\nstarts and ends empty\n"
empty = ""
quote = "say \"{what}\" \\ back"
[a.b]
deep = "{one}{two}"
[error]
code_wrong = "That code is not right. {tries_left} tries left."
"""


def test_tricky_values_round_trip() -> None:
    tool = _tool()
    ftl = tool.convert(TRICKY)
    assert tool.verify(TRICKY, ftl) == []
    assert "a-b-deep = { $one }{ $two }" in ftl
    assert "[one] That code is not right. { $tries_left } try left." in ftl


def test_a_broken_conversion_is_caught() -> None:
    tool = _tool()
    ftl = tool.convert(TRICKY).replace('{"  "}two spaces', "two spaces")
    assert any(p.startswith("a.lead") for p in tool.verify(TRICKY, ftl))


def test_colliding_ids_are_refused() -> None:
    tool = _tool()
    with pytest.raises(tool.ConversionError):
        tool.convert('"a-b" = "y"\n[a]\nb = "x"\n')
    with pytest.raises(tool.ConversionError):
        tool.convert('[a]\nb = "{x!r}"\n')


@pytest.mark.skipif(not (ROOT / "handlers/locales/en.toml").exists(), reason="en.toml converted")
def test_the_real_catalog_round_trips() -> None:
    tool = _tool()
    text = (ROOT / "handlers/locales/en.toml").read_text(encoding="utf-8")
    assert tool.verify(text, tool.convert(text)) == []
