"""``fold_label``: a button's label as a customer would type it, on every code point."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from handlers.router import fold_label


def by_definition(label: str) -> str:
    """No character that is neither alphanumeric nor space; case-folded; spaces collapsed."""
    kept = "".join(ch for ch in label if ch.isalnum() or ch.isspace())
    return " ".join(kept.casefold().split())


def test_every_code_point_is_kept_or_dropped_by_the_definition() -> None:
    for start in range(0, 0x110000, 4096):
        chunk = "".join(chr(c) for c in range(start, start + 4096) if not 0xD800 <= c < 0xE000)
        assert fold_label(chunk) == by_definition(chunk), hex(start)


@given(st.text(max_size=40))
def test_any_label(label: str) -> None:
    assert fold_label(label) == by_definition(label)


def test_examples() -> None:
    assert fold_label("📦 Register a product") == "register a product"
    assert fold_label("  Back_to   MENU ✅") == "backto menu"
    assert fold_label("Straße") == "strasse"
