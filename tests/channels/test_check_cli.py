"""``redeem-bot check serial FILE --json``: one JSON object on the last line of stdout,
the same reading the S/N step makes; and the words without ``--json``."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.cli import main
from tests.conftest import jpeg
from tests.stickers import sticker_photo

ROOT = Path(__file__).resolve().parents[2]


def test_the_command_prints_json_on_its_last_line(tmp_path: Path) -> None:
    photo = tmp_path / "sticker.jpg"
    photo.write_bytes(sticker_photo(angle=-8))
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "SERIAL_"))}
    env.update(PYTHONPATH=str(ROOT), LOG_LEVEL="WARNING")
    done = subprocess.run(
        [sys.executable, "-m", "bot.cli", "check", "serial", str(photo), "--json"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result == {"serial": "BA3T01946000V", "source": "barcode", "chk": "123", "findings": []}
    assert (
        not list(tmp_path.glob("*.db")) and not (tmp_path / "media").exists()
    )  # a check stores nothing


@pytest.fixture
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("LOG_LEVEL", "WARNING")
    monkeypatch.delenv("SERIAL_PATTERNS", raising=False)
    return tmp_path


def test_nothing_found_has_findings(isolated: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (isolated / "box.jpg").write_bytes(jpeg())
    assert main(["check", "serial", "box.jpg", "--json"]) == 0
    result = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert result["serial"] is None and result["source"] is None and result["chk"] is None
    assert result["findings"] == [{"code": "no_barcode", "message": "no Code128 barcode found"}]


def test_the_configured_serial_patterns_apply(isolated: Path, monkeypatch, capsys) -> None:
    (isolated / "s.png").write_bytes(sticker_photo("XY12345", fmt="PNG"))
    assert main(["check", "serial", "s.png", "--json"]) == 0
    assert (
        json.loads(capsys.readouterr().out.splitlines()[-1])["findings"][0]["code"] == "no_serial"
    )
    monkeypatch.setenv("SERIAL_PATTERNS", "XY[0-9]{5}")
    assert main(["check", "serial", "s.png"]) == 0
    out = capsys.readouterr().out
    assert "serial: XY12345 (barcode)" in out and "CHK: 123" in out


def test_a_missing_file_is_an_error(isolated: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "serial", "nope.jpg", "--json"]) == 2
    assert "cannot read nope.jpg" in capsys.readouterr().err
