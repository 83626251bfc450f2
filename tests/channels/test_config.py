"""Settings: the secret key is made once, safely, and short keys are refused."""

from __future__ import annotations

from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest

from bot.config import Settings


def make_key(media_dir: str) -> bytes:
    return Settings(_env_file=None, MEDIA_DIR=media_dir).secret_bytes()


def test_secret_key_generated_once_even_by_racing_processes(tmp_path: Path) -> None:
    media = str(tmp_path / "data" / "media")
    with ProcessPoolExecutor(4) as pool:
        keys = set(pool.map(make_key, [media] * 8))
    assert len(keys) == 1 and len(next(iter(keys))) >= 32
    assert (tmp_path / "data" / "secret.key").stat().st_mode & 0o777 == 0o600


def test_short_secret_key_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        Settings(_env_file=None, SECRET_KEY="x", MEDIA_DIR=str(tmp_path)).secret_bytes()
    assert len(Settings(_env_file=None, SECRET_KEY="k" * 40).secret_bytes()) == 40


def test_empty_settings_values_mean_defaults(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "")
    monkeypatch.setenv("WEBHOOK_URL", "")
    s = Settings(_env_file=None)
    assert s.telegram_bot_token is None and s.webhook_url is None
