"""Every setting is documented in .env.example and in the README."""

from __future__ import annotations

import re
from pathlib import Path

from bot.config import Settings

ROOT = Path(__file__).resolve().parents[2]


def test_every_setting_is_in_env_example_and_readme() -> None:
    names = {field.alias for field in Settings.model_fields.values()}
    example = set(
        re.findall(r"^#? ?([A-Z_]+)=", (ROOT / ".env.example").read_text(), re.M)
    )  # "# X=" documents an optional one
    readme = (ROOT / "README.md").read_text()
    assert names - example == set()
    assert example - names == set()
    assert [n for n in sorted(names) if n not in readme] == []
