"""Issue 11, item 13: log lines never print into the console chat. ``redeem-bot chat`` run
whole (main(), its logging set up as in production): a warning logged while the chat runs
(the demo-mode SMTP notice at start) goes to data/console.log, not to the screen."""

from __future__ import annotations

import io
import logging
import sys

from bot.cli import console_log_path, main
from tests.conftest import make_settings


def test_a_warning_while_chatting_goes_to_the_log_file_not_the_chat(
    tmp_path, monkeypatch, capsys
) -> None:  # type: ignore[no-untyped-def]
    settings = make_settings(tmp_path)
    for name, value in (
        ("DATABASE_URL", settings.database_url),
        ("BACKEND_DATABASE_URL", settings.backend_database_url),
        ("MEDIA_DIR", str(settings.media_dir)),
        ("LOG_LEVEL", "INFO"),
        ("OCR_WORKERS", "0"),
    ):
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("SMTP_HOST", raising=False)
    monkeypatch.delenv("TELEGRAM_BOT_TOKEN", raising=False)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(sys, "stdin", io.StringIO("/quit\n"))
    root = logging.getLogger()
    before = list(root.handlers)
    try:
        assert main(["chat"]) == 0
    finally:
        for handler in root.handlers[:]:
            if handler not in before:  # what main() added: closed, the root as it was
                root.removeHandler(handler)
                handler.close()
    shown = capsys.readouterr()
    assert "Bye!" in shown.out  # the chat itself ran
    assert "SMTP_HOST" not in shown.out and "SMTP_HOST" not in shown.err
    logged = console_log_path(settings).read_text(encoding="utf-8")
    assert "SMTP_HOST is not set" in logged
