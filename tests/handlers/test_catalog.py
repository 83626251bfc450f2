"""The English catalog has every key the layers below the conversation can produce."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from backend.port import BackendError, ClaimStatus, RejectReason
from handlers import validators as v
from handlers.faq import FAQ_IDS
from handlers.i18n import Catalog
from states import FORMS, State

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return Catalog()


def keys_raised_in(path: Path) -> set[str]:
    """Catalog keys written as string literals: "error.x", "invalid.y", "why.z", "image.w" ..."""
    text = path.read_text()
    return set(re.findall(r'"((?:error|invalid|why|image|media|reason|glyph)\.[a-z_]+)"', text))


VALIDATORS = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "handlers/validators").glob("*.py"))
LOCAL_BACKEND = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "backend/local").glob("*.py"))


def test_validators_package_is_scanned() -> None:
    assert "handlers/validators/codes.py" in VALIDATORS and len(VALIDATORS) >= 6
    assert "backend/local/claims.py" in LOCAL_BACKEND and len(LOCAL_BACKEND) >= 6


@pytest.mark.parametrize(
    "module",
    [
        *LOCAL_BACKEND,
        "backend/port.py",
        "backend/http.py",
        "backend/wire.py",
        "storage/images.py",
        "storage/media.py",
        *VALIDATORS,
        "handlers/regions.py",
    ],
)
def test_keys_of_lower_layers_exist(catalog: Catalog, module: str) -> None:
    missing = sorted(k for k in keys_raised_in(ROOT / module) if not catalog.has(k))
    assert not missing


def test_backend_error_classes_have_texts(catalog: Catalog) -> None:
    for cls in BackendError.__subclasses__():
        assert catalog.has(cls.key), cls


def test_dynamic_keys_exist(catalog: Catalog) -> None:
    wanted = [f"reason.{r.value}" for r in RejectReason] + [
        f"status.{s.value}" for s in ClaimStatus
    ]
    wanted += [f"review.reason_{r.value}" for r in RejectReason if r is not RejectReason.OTHER]
    wanted += [f"review.status_{s.value}" for s in ClaimStatus]
    wanted += [f"category.{c}" for c in v.CATEGORY_IDS] + [f"channel.{c}" for c in v.CHANNEL_IDS]
    wanted += [f"help.serial.{c}" for c in v.CATEGORY_IDS] + [
        f"help.chk.{c}" for c in v.CATEGORY_IDS
    ]
    wanted += [f"faq.{f}.{part}" for f in FAQ_IDS for part in ("q", "a", "keywords")]
    wanted += [f"form.{name}" for name in FORMS] + [f"help.form.{name}" for name in FORMS]
    for form in FORMS.values():
        wanted += [f"field.{form.name}.{f.name}" for f in form.fields]
        wanted += [f"{f.state}.prompt" for f in form.fields]
    wanted += [
        f"{state}.prompt" for state in (State.SIGNUP_PASSWORD, State.SIGNUP_PASSWORD_CONFIRM)
    ]
    assert sorted(k for k in wanted if not catalog.has(k)) == []


def test_placeholders_are_well_formed(catalog: Catalog) -> None:
    for key in catalog.known_keys():
        text = catalog.text("en", key)
        assert text.count("{") == text.count("}"), key


# -- every language ---------------------------------------------------------------------------

LANGUAGES = ("en", "de", "zh-Hant")


def test_the_three_languages_are_there(catalog: Catalog) -> None:
    assert catalog.locales == sorted(LANGUAGES)


@pytest.mark.parametrize("locale", LANGUAGES[1:])
def test_every_key_in_every_language(catalog: Catalog, locale: str) -> None:
    english = catalog.known_keys("en")
    assert sorted(english - catalog.known_keys(locale)) == []  # nothing falls back to English
    assert sorted(catalog.known_keys(locale) - english) == []  # nothing the code never asks for


@pytest.mark.parametrize("locale", LANGUAGES[1:])
def test_same_parameters_in_every_language(catalog: Catalog, locale: str) -> None:
    differ = {
        key: (catalog.parameters("en", key), catalog.parameters(locale, key))
        for key in catalog.known_keys("en")
        if catalog.parameters("en", key) != catalog.parameters(locale, key)
    }
    assert differ == {}


@pytest.mark.parametrize("locale", LANGUAGES)
def test_every_text_renders_without_errors(catalog: Catalog, locale: str, caplog) -> None:
    for key in catalog.known_keys(locale):
        params = {p: 3 for p in catalog.parameters("en", key)}
        text = catalog.text(locale, key, **params)
        assert text and "{" not in text and "$" not in text, (locale, key, text)
        assert "\u2068" not in text and "\u2069" not in text  # no bidi isolation marks
    assert not [r for r in caplog.records if r.name == "handlers.i18n"]


@pytest.mark.parametrize(
    ("locale", "key", "count", "expected"),
    [
        ("en", "staff.queue_title", 1, "1 claim waiting for review:"),
        ("en", "staff.queue_title", 3, "3 claims waiting for review:"),
        ("en", "error.code_wrong", 1, "That code is not right. 1 try left."),
        ("en", "error.code_wrong", 4, "That code is not right. 4 tries left."),
    ],
)
def test_plural_forms_english(
    catalog: Catalog, locale: str, key: str, count: int, expected: str
) -> None:
    params = {p: count for p in catalog.parameters("en", key)}
    assert catalog.text(locale, key, **params) == expected


@pytest.mark.parametrize(
    "key",
    [
        "staff.queue_title",
        "error.code_wrong",
        "error.account_locked",
        "invalid.date_too_old",
        "invalid.password_short",
    ],
)
def test_plural_forms_per_language(catalog: Catalog, key: str) -> None:
    """English and German have "one" and "other" (a selector gives 1 and 3 different texts);
    Chinese has only "other": the number is shown, the sentence does not change."""
    for locale in LANGUAGES:
        param = sorted(catalog.parameters("en", key))[0]
        one = catalog.text(locale, key, **{param: 1})
        many = catalog.text(locale, key, **{param: 3})
        assert "1" in one and "3" in many, (locale, key, one, many)
        if locale == "zh-Hant":
            assert one.replace("1", "3") == many, (key, one, many)
    de_one = catalog.text("de", "staff.queue_title", count=1)
    de_many = catalog.text("de", "staff.queue_title", count=3)
    assert de_one.replace("1", "3") != de_many, (de_one, de_many)  # German: its own singular


def test_numbers_are_not_grouped(catalog: Catalog) -> None:
    assert "2026" in catalog.text("en", "staff.queue_title", count=2026)
    assert "2026" in catalog.text("de", "staff.queue_title", count=2026)


@pytest.mark.parametrize(
    ("hint", "locale"),
    [
        (None, "en"),
        ("", "en"),
        ("en", "en"),
        ("en-US", "en"),
        ("de", "de"),
        ("de-AT", "de"),
        ("de-CH", "de"),
        ("DE_de", "de"),
        ("zh-hant", "zh-Hant"),
        ("zh-Hant", "zh-Hant"),
        ("zh-TW", "zh-Hant"),
        ("zh-hk", "zh-Hant"),
        ("zh-MO", "zh-Hant"),
        ("zh-Hant-TW", "zh-Hant"),
        ("zh-hans", "en"),
        ("zh-CN", "en"),
        ("zh-SG", "en"),
        ("zh", "en"),
        ("fr", "en"),
        ("ko", "en"),
        ("xx-yy", "en"),
    ],
)
def test_resolve_locale(catalog: Catalog, hint: str | None, locale: str) -> None:
    assert catalog.resolve_locale(hint) == locale


def test_a_broken_translation_is_refused_at_load(tmp_path: Path) -> None:
    from handlers.i18n import CatalogError

    (tmp_path / "en.ftl").write_text("a = fine\n", encoding="utf-8")
    (tmp_path / "de.ftl").write_text("a = { $x\n", encoding="utf-8")
    with pytest.raises(CatalogError):
        Catalog(tmp_path)


def test_a_missing_key_falls_back_to_english_per_key(tmp_path: Path) -> None:
    (tmp_path / "en.ftl").write_text("a = A\nb = B { $n }\n", encoding="utf-8")
    (tmp_path / "de.ftl").write_text("a = Ä\n", encoding="utf-8")
    catalog = Catalog(tmp_path)
    assert (catalog.text("de", "a"), catalog.text("de", "b", n=2)) == ("Ä", "B 2")
    assert catalog.text("de", "c.d") == "c.d"


# -- Telegram's limits hold in every language ---------------------------------------------------


def utf16(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


BUTTON_PREFIXES = (
    "btn.",
    "category.",
    "channel.",
    "date.today",
    "date.yesterday",
    "date.pick",
    "review.btn_",
    "review.reason_",
)


@pytest.mark.parametrize("locale", LANGUAGES)
def test_button_labels_fit_in_every_language(catalog: Catalog, locale: str) -> None:
    """Labels two to a row stay readable on a phone (Telegram cuts long ones with "…")."""
    long = {
        key: catalog.text(locale, key, **{p: "" for p in catalog.parameters("en", key)})
        for key in catalog.known_keys(locale)
        if key.startswith(BUTTON_PREFIXES)
    }
    assert {k: t for k, t in long.items() if utf16(t) > 32} == {}


@pytest.mark.parametrize("locale", LANGUAGES)
def test_command_descriptions_and_captions_fit(catalog: Catalog, locale: str) -> None:
    for key in catalog.known_keys(locale):
        if key.startswith("command."):
            assert 3 <= utf16(catalog.text(locale, key)) <= 256, key  # setMyCommands' bounds
    for key in ("staff.invoice", "staff.sn_photo"):  # captions of the pictures sent to staff
        assert utf16(catalog.text(locale, key, claim="C" * 36)) <= 1024


@pytest.mark.parametrize(
    ("locale", "expected"),
    [
        ("en", "1,000+ claims waiting for review:"),
        ("de", "1.000+ Anträge warten auf Prüfung:"),
        ("zh-Hant", "超過 1,000 筆申請待審核："),
    ],
)
def test_capped_queue_count_is_grouped_per_language(
    catalog: Catalog, locale: str, expected: str
) -> None:
    """The review queue's count past its cap ("1,000+"): Fluent's NUMBER groups it the
    language's way (the exact count below the cap stays as it was)."""
    assert catalog.text(locale, "staff.queue_title_capped", count=1000) == expected
