"""A statement budget per step of the browse load (issue 9; bench/bench_telegram.py's cycle):
a step that regains a statement fails here, long before a benchmark would show it.

Played through the engine (no Telegram) by a member who signed up, after one unmeasured
round (a customer in the middle of the cycle). Per step, every statement on either database
counts (the bot's: the log-in check and the session's save; the backend's: what the step
asks of it). The check before each Telegram send (one link read per turn's replies) is
tests/telegram/test_turn_guard.py's.
"""

from __future__ import annotations

from bench.bench_telegram import JOURNEY
from bench.count_statements import Statements  # the bench's counter, one copy
from bench.count_statements import step as play  # and its step
from tests.conversation.journeys import sign_up

# the bot's database: the chat's link (logged in still?), then the session saved (BEGIN
# IMMEDIATE, UPDATE with the version check); the session itself is read from the cache
BOT = 3
BACKEND = {  # the backend's statements, by step; 0 where not named
    ("cmd", "status"): 1,  # the claims counted and the member checked, in one statement
    ("text", "K2203N0000001"): 1,  # the serial check: the member and the key's owner, joined
}


async def test_each_browse_step_keeps_to_its_statement_budget(chat):
    await sign_up(chat)
    await chat.command("menu")
    for kind, payload in JOURNEY:  # one round unmeasured
        await play(chat, kind, payload)
    over = []
    for kind, payload in JOURNEY:
        with Statements() as seen:
            await play(chat, kind, payload)
        budget = {"bot": BOT, "backend": BACKEND.get((kind, payload), 0)}
        if any(seen.counts[db] > n for db, n in budget.items()) or set(seen.counts) - set(budget):
            over.append(f"{kind} {payload!r}: {dict(seen.counts)} > {budget}: {seen.texts}")
    assert not over, "\n".join(over)


async def test_the_budget_counts_what_a_step_runs(chat):
    """The counter sees the statements of both databases (else the budget proves nothing)."""
    await sign_up(chat)
    await chat.command("menu")
    with Statements() as seen:
        await chat.command("status")
    assert seen.counts["bot"] >= 1 and seen.counts["backend"] >= 1, seen.texts
