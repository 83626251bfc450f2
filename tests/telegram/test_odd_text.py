"""Odd text over Telegram, both frameworks in-process: a lone surrogate (JSON may carry
``"\\ud800"``) or NUL in a customer's message or a staff command is made valid at the edge;
no "unexpected error", no crash in the log."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator

import pytest

from tests.conversation.journeys import PASSWORD, sign_up_to_password
from tests.telegram.conftest import Harness, InProcessChat, open_harness
from tests.telegram.scenarios import staff_says

pytestmark = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")


@pytest.fixture(params=["aiogram", "ptb", "wire"])
async def harness(request, fake, tg_app, vtime) -> AsyncIterator[Harness]:
    h = await open_harness(request.param, fake, tg_app, vtime)
    yield h
    await h.stop()
    fake.assert_no_violations()


def crashes(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR or r.exc_info]


async def test_lone_surrogate_at_password_confirmation(
    harness: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    chat = InProcessChat(harness)
    await sign_up_to_password(chat)
    await chat.text(PASSWORD)
    await chat.text("\ud800x")
    assert "something went wrong" not in chat.text_all.lower(), chat.text_all
    await chat.text("Jo\x00\ud800")
    assert "something went wrong" not in chat.text_all.lower(), chat.text_all
    assert not crashes(caplog), caplog.text


async def test_odd_staff_command(harness: Harness, caplog: pytest.LogCaptureFixture) -> None:
    answers = await staff_says(harness, "/show \ud800\x00")
    assert answers and all("\ud800" not in a.text for a in answers)
    assert not crashes(caplog), caplog.text
