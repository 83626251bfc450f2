"""Texts without parameters are formatted once per language and kept (issue 9); texts with
parameters, other languages and unknown keys are not mixed up by it."""

from __future__ import annotations

import logging

import pytest

from handlers.i18n import Catalog


def test_plain_texts_kept_per_language_params_never() -> None:
    catalog = Catalog()
    en = catalog.text("en", "btn.menu")
    de = catalog.text("de", "btn.menu")
    assert en != de  # each language its own
    assert catalog.text("en", "btn.menu") == en and catalog.text("de", "btn.menu") == de
    # a text with parameters says each call's values
    one = catalog.text("en", "page.of", page=1, pages=3)
    two = catalog.text("en", "page.of", page=2, pages=3)
    assert "1" in one and "2" in two and one != two
    # an unknown language falls back to English, and is not kept under its own name
    assert catalog.text("xx", "btn.menu") == en
    assert ("xx", "btn.menu") not in catalog._plain


def test_a_missing_key_is_reported_every_time(caplog: pytest.LogCaptureFixture) -> None:
    catalog = Catalog()
    with caplog.at_level(logging.WARNING, logger="handlers.i18n"):
        assert catalog.text("en", "no.such.key") == "no.such.key"
        assert catalog.text("en", "no.such.key") == "no.such.key"
    assert [r.getMessage() for r in caplog.records].count("missing catalog key no.such.key") == 2
    caplog.clear()  # said on purpose here (the suite fails any test that shows a missing key)


def test_parsed_texts_are_per_language_and_parser_and_only_for_our_ids(
    caplog: pytest.LogCaptureFixture,
) -> None:
    catalog = Catalog()
    seen: list[str] = []

    def words(text: str) -> tuple[str, ...]:
        seen.append(text)
        return tuple(text.split())

    en = catalog.parsed("en", "btn.menu", words)
    assert catalog.parsed("en", "btn.menu", words) == en  # parsed once, then kept
    de = catalog.parsed("de", "btn.menu", words)
    assert de != en and seen == [catalog.text("en", "btn.menu"), catalog.text("de", "btn.menu")]
    assert catalog.parsed("en", "btn.menu", str.upper) == catalog.text("en", "btn.menu").upper()
    # an unknown id is parsed each time (its key said back) and never kept
    with caplog.at_level(logging.WARNING, logger="handlers.i18n"):
        assert catalog.parsed("en", "no.such.key", words) == ("no.such.key",)
        catalog.parsed("en", "no.such.key", words)
    assert seen.count("no.such.key") == 2
    assert not [m for m in catalog._parsed if m[1] == "no.such.key"]
    caplog.clear()  # the missing key was said on purpose
