"""Settings: the secret key is made once, safely, and short keys are refused."""

from __future__ import annotations

from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest

from bot.config import Settings


def make_key(key_file: str) -> bytes:
    return Settings(_env_file=None, SECRET_KEY_FILE=key_file).secret_bytes()


def test_secret_key_generated_once_even_by_racing_processes(tmp_path: Path) -> None:
    key_file = str(tmp_path / "config" / "redeem-bot" / "secret.key")
    with ProcessPoolExecutor(4) as pool:
        keys = set(pool.map(make_key, [key_file] * 8))
    assert len(keys) == 1 and len(next(iter(keys))) >= 32
    assert Path(key_file).stat().st_mode & 0o777 == 0o600
    assert Path(key_file).parent.stat().st_mode & 0o777 == 0o700


def test_generated_secret_key_is_not_kept_beside_the_databases(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Defect 9: data/secret.key sat next to the session database, so one copy of ./data
    held both the digest and its key. By default the key now lives in the config dir."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    monkeypatch.chdir(tmp_path)
    settings = Settings(_env_file=None)
    key = settings.secret_bytes()
    assert not (tmp_path / "data" / "secret.key").exists()
    kept = tmp_path / "xdg" / "redeem-bot" / "secret.key"
    assert kept.read_bytes().strip() == key and kept.stat().st_mode & 0o777 == 0o600
    data_dir = Path(settings.database_url.rsplit("///", 1)[1]).resolve().parent
    assert data_dir not in kept.resolve().parents


def test_short_secret_key_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        Settings(_env_file=None, SECRET_KEY="x", MEDIA_DIR=str(tmp_path)).secret_bytes()
    assert len(Settings(_env_file=None, SECRET_KEY="k" * 40).secret_bytes()) == 40


def test_empty_settings_values_mean_defaults(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "")
    monkeypatch.setenv("WEBHOOK_URL", "")
    s = Settings(_env_file=None)
    assert s.telegram_bot_token is None and s.webhook_url is None


@pytest.mark.parametrize(
    "url", ["sqlite+aiosqlite://", "sqlite+aiosqlite:///:memory:", "sqlite://"]
)
def test_in_memory_databases_refused(url: str) -> None:
    with pytest.raises(ValueError, match="in-memory SQLite"):
        Settings(_env_file=None, DATABASE_URL=url)
    with pytest.raises(ValueError, match="in-memory SQLite"):
        Settings(_env_file=None, BACKEND_DATABASE_URL=url)


def test_bad_settings_are_listed_without_a_traceback(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    from bot.cli import main

    monkeypatch.chdir(tmp_path)  # no .env here
    monkeypatch.setenv("TELEGRAM_CONCURRENCY", "0")
    monkeypatch.setenv("DATABASE_URL", "sqlite+aiosqlite://")
    assert main(["chat"]) == 2
    err = capsys.readouterr().err
    assert "TELEGRAM_CONCURRENCY: Input should be greater than or equal to 1" in err
    assert "DATABASE_URL: an in-memory SQLite database" in err
    assert "Traceback" not in err and ".env.example" in err
