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


#: the embedded backend is a package: every module of it
EMBEDDED = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "backend" / "local").glob("*.py"))


@pytest.mark.parametrize("module", [*EMBEDDED, "backend/port.py", "backend/http.py", "backend/wire.py",
                                    "storage/images.py", "storage/media.py", "handlers/validators.py",
                                    "handlers/regions.py"])
def test_keys_of_lower_layers_exist(catalog: Catalog, module: str) -> None:
    missing = sorted(k for k in keys_raised_in(ROOT / module) if not catalog.has(k))
    assert not missing


def test_backend_error_classes_have_texts(catalog: Catalog) -> None:
    for cls in BackendError.__subclasses__():
        assert catalog.has(cls.key), cls


def test_dynamic_keys_exist(catalog: Catalog) -> None:
    wanted = [f"reason.{r.value}" for r in RejectReason] + [f"status.{s.value}" for s in ClaimStatus]
    wanted += [f"category.{c}" for c in v.CATEGORY_IDS] + [f"channel.{c}" for c in v.CHANNEL_IDS]
    wanted += [f"help.serial.{c}" for c in v.CATEGORY_IDS] + [f"help.chk.{c}" for c in v.CATEGORY_IDS]
    wanted += [f"faq.{f}.{part}" for f in FAQ_IDS for part in ("q", "a", "keywords")]
    wanted += [f"form.{name}" for name in FORMS] + [f"help.form.{name}" for name in FORMS]
    for form in FORMS.values():
        wanted += [f"field.{form.name}.{f.name}" for f in form.fields]
        wanted += [f"{f.state}.prompt" for f in form.fields]
    wanted += [f"{state}.prompt" for state in (State.SIGNUP_PASSWORD, State.SIGNUP_PASSWORD_CONFIRM)]
    assert sorted(k for k in wanted if not catalog.has(k)) == []


def test_placeholders_are_well_formed(catalog: Catalog) -> None:
    for key in catalog.known_keys():
        text = catalog.text("en", key)
        assert text.count("{") == text.count("}"), key
