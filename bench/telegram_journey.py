"""The whole-journey load of ``bench_telegram.py --journeys N`` (issue 9), apart from the
browse load.

Each simulated customer, on the lean fake Bot API, does what a real one does from nothing to
a prize code: /start, sign-up (the password twice: argon2id; the e-mailed code, shown in the
chat in demo mode), /register with the invoice photo, the redemption that follows with the S/N
photo, and the claim submitted; then waits in its chat for the code. The staff approve as they
do on Telegram: the claim's review card arrives in the staff group (``STAFF_CHAT_ID``; cards go
there when ``REVIEW_CHAT_ID`` is unset) and a staff member (an administrator of that group,
asked with ``getChatMember``) presses its Approve button, or with ``--approve command`` sends
``/approve CLAIM`` in the group. The bot takes a code from the pool and delivers it.

Only our bots have such a journey; the peers (c, d, f, g) have no sign-up, photos nor staff,
so this load is reported for (a) wire, (e) aiogram and (b) PTB only, never as a ratio.

Nothing here imports bench_telegram: the fake and the bot process are passed in (``fake`` is
its ``LeanFake``), so the script can still be pointed at another checkout (``BENCH_REPO``).
"""

from __future__ import annotations

import asyncio
import io
import os
import re
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

STAFF_CHAT = -1001234567890  # the staff group (/approve CLAIM)
REVIEW_CHAT = -1001234567891  # the review chat (REVIEW_CHAT_ID): the claims' cards
STAFF_USER = 777  # its administrator who approves
PASSWORD = "Bench-passw0rd"
DEMO_CODE = re.compile(r"DEMO MODE.*?code for \S+ is: (\d{6})", re.S)
PRIZE = re.compile(r"activation code is:\s*(\S+)")
APPROVE = "rv:a."  # the review card's Approve button (handlers/review_cards.py ``data``)

Step = tuple[str, str]  # ("cmd" | "text" | "tap" | "photo", payload with {placeholders})

# From nothing to a submitted claim; {email}, {serial}, {code}, {invoice}, {sn} are the
# customer's own (the e-mailed code read from the chat, each photo a different picture).
STEPS: list[Step] = [
    ("cmd", "start"),
    ("tap", "Sign up"),
    ("text", "{email}"),
    ("text", "Alex"),
    ("text", "Germany"),
    ("tap", "Last name"),
    ("text", "Walker"),
    ("tap", "Contact number"),
    ("text", "+49 30 1234567"),
    ("tap", "I agree, continue"),
    ("text", PASSWORD),
    ("text", PASSWORD),
    ("text", "{code}"),
    ("cmd", "register"),
    ("tap", "Graphics Card"),
    ("text", "GeForce RTX 5070 GAMING TRIO"),
    ("text", "V531-001R"),
    ("text", "{serial}"),
    ("text", "123"),
    ("text", "Amazon.de"),
    ("text", "2026-10-01"),
    ("tap", "Online retailer"),
    ("photo", "{invoice}"),
    ("tap", "Confirm"),  # the product registered; the redemption follows at once
    ("photo", "{sn}"),
    ("text", "10115"),
    ("text", "Berlin"),
    ("text", "Invalidenstr. 1"),  # the unit is not asked (on the summary to add)
    ("tap", "Confirm"),  # the claim submitted
]


def photo(seed: int) -> bytes:
    """A 1280x960 JPEG (the size Telegram gives a photo), a different colour per seed, so no
    two claims share an invoice picture."""
    from PIL import Image

    buf = io.BytesIO()
    colour = (seed % 251, (seed // 251) % 251, 90 + seed % 7)
    Image.new("RGB", (1280, 960), colour).save(buf, "JPEG", quality=80)
    return buf.getvalue()


@dataclass
class Shape:
    """What each step answers with, learned by calibration: the number of messages and the
    start of the last one (a measured turn must end the same)."""

    counts: list[int]
    endings: list[str]


@dataclass
class Tally:
    """The figures of a whole-journey run."""

    turns: list[float] = field(default_factory=list)  # customer turn latencies, s
    waits: list[float] = field(default_factory=list)  # claim submitted -> code in the chat, s
    journeys: int = 0
    updates: int = 0  # every update the bot got: customers' and staff's
    mismatched: int = 0  # turns ending unlike calibration
    failed: list[str] = field(default_factory=list)  # customers that gave up, and why
    codes: dict[int, list[str]] = field(default_factory=dict)  # chat -> codes it was sent
    approvals: int = 0


def ending(message: dict[str, Any]) -> str:
    return str(message.get("text", ""))[:24]


class Staff:
    """The staff group's administrator: approves each claim whose card arrives, once."""

    def __init__(self, fake: Any, tally: Tally, mode: str) -> None:
        self.fake, self.tally, self.mode = fake, tally, mode
        self.decided: set[str] = set()
        self._next_query = 1
        self._message_id = 1

    def __call__(self, message: dict[str, Any]) -> None:
        for row in (message.get("reply_markup") or {}).get("inline_keyboard", []):
            for button in row:
                data = str(button.get("callback_data", ""))
                if data.startswith(APPROVE) and data[len(APPROVE) :] not in self.decided:
                    self.decided.add(data[len(APPROVE) :])
                    self.approve(message, data)

    def approve(self, card: dict[str, Any], data: str) -> None:
        user = {"id": STAFF_USER, "is_bot": False, "first_name": "Sam", "username": "sam_staff"}
        if self.mode == "button":
            update: dict[str, Any] = {
                "callback_query": {
                    "id": f"staff-{self._next_query}",
                    "from": user,
                    "message": card,
                    "chat_instance": "staff",
                    "data": data,
                }
            }
            self._next_query += 1
        else:
            text = f"/approve {data[len(APPROVE) :]}"
            self._message_id += 1
            update = {
                "message": {
                    "message_id": 10_000_000 + self._message_id,
                    "date": int(time.time()),
                    "chat": {"id": STAFF_CHAT, "type": "supergroup", "title": "Staff"},
                    "from": user,
                    "text": text,
                    "entities": [{"type": "bot_command", "offset": 0, "length": 8}],
                }
            }
        self.tally.approvals += 1
        self.tally.updates += 1
        self.fake.enqueue(update)


class Customer:
    """One customer's whole journey through the fake, a turn at a time (closed loop)."""

    def __init__(self, fake: Any, uid: int, turn_timeout: float) -> None:
        self.fake, self.uid, self.turn_timeout = fake, uid, turn_timeout
        self.chat = fake.chat(uid)
        self.values = {
            "email": f"customer{uid}@example.com",
            "serial": f"BA3T{uid:08d}V",
            "invoice": self._file("i", photo(2 * uid)),
            "sn": self._file("s", photo(2 * uid + 1)),
        }

    def _file(self, kind: str, data: bytes) -> str:
        file_id = f"{kind}{self.uid}"
        self.fake.files[file_id] = data
        return file_id

    def update(self, step: Step) -> dict[str, Any]:
        kind, payload = step
        if "{code}" in payload:
            shown = [m.get("text", "") for m in self.chat.shown]
            found = DEMO_CODE.findall("\n".join(str(t) for t in shown))
            payload = found[-1] if found else "000000"
        return self.fake.update_for(self.chat, (kind, payload.format(**self.values)))

    async def turn(self, step: Step, expected: int, quiet: float = 0.0) -> list[dict[str, Any]]:
        """Send the step, wait for its answer: ``expected`` messages, or (calibration, 0)
        until ``quiet`` seconds pass without one."""
        update = self.update(step)
        turn = self.fake.open_turn(self.chat, expected)
        self.fake.enqueue(update)
        try:
            if expected:
                await asyncio.wait_for(turn.done, self.turn_timeout)
            else:
                deadline = time.perf_counter() + self.turn_timeout
                while not turn.messages or time.perf_counter() - turn.last_at < quiet:
                    if time.perf_counter() > deadline:
                        raise TimeoutError
                    await asyncio.sleep(0.02)
        except TimeoutError:
            got = [str(m.get("text", ""))[:40] for m in turn.messages]
            raise RuntimeError(
                f"customer {self.uid}: no complete answer to {step} within "
                f"{self.turn_timeout:.0f} s (expected {expected} messages, got {got})"
            ) from None
        finally:
            self.chat.turn = None
        self.chat.shown = turn.messages
        return list(turn.messages)

    async def wait_for_code(self, timeout: float) -> float:
        """After the claim: wait in the chat for the prize code; the seconds it took (0 when
        it came with the claim's own answer, before this wait began)."""
        if any(PRIZE.search(str(m.get("text", ""))) for m in self.chat.shown):
            return 0.0
        turn = self.fake.open_turn(
            self.chat, 0, until=lambda m: bool(PRIZE.search(str(m.get("text", ""))))
        )
        try:
            done = await asyncio.wait_for(turn.done, timeout)
        except TimeoutError:
            raise RuntimeError(
                f"customer {self.uid}: no prize code within {timeout:.0f} s of the claim"
            ) from None
        finally:
            self.chat.turn = None
        return float(done - turn.queued)


async def calibrate(fake: Any, uid: int, turn_timeout: float, quiet: float) -> Shape:
    """One customer's journey with a pause for quiet after each step: each step's answer."""
    customer = Customer(fake, uid, turn_timeout)
    counts, endings = [], []
    for step in STEPS:
        messages = await customer.turn(step, 0, quiet)
        if os.environ.get("BENCH_SHOW_CALIBRATION"):  # the transcript, to adapt STEPS
            print(f"    {step} -> {[str(m.get('text', ''))[:70] for m in messages]}", flush=True)
        counts.append(len(messages))
        endings.append(ending(messages[-1]))
    await customer.wait_for_code(turn_timeout * 4)
    return Shape(counts, endings)


async def journey(customer: Customer, shape: Shape, tally: Tally, code_timeout: float) -> None:
    for i, step in enumerate(STEPS):
        queued = time.perf_counter()
        messages = await customer.turn(step, shape.counts[i])
        tally.turns.append(time.perf_counter() - queued)
        tally.updates += 1
        if ending(messages[-1]) != shape.endings[i]:
            tally.mismatched += 1
    if not any("successfully sent" in str(m.get("text", "")) for m in customer.chat.shown):
        raise RuntimeError(f"customer {customer.uid}: the claim was not submitted")
    tally.waits.append(await customer.wait_for_code(code_timeout))
    tally.journeys += 1


async def load(
    customers: Sequence[Customer], in_flight: int, shape: Shape, tally: Tally, code_timeout: float
) -> None:
    """The customers, ``in_flight`` of them at once: when one has its code the next starts.
    A customer that fails is reported (``tally.failed``) and the rest go on."""
    queue = list(reversed(customers))

    async def worker() -> None:
        while queue:
            customer = queue.pop()
            try:
                await journey(customer, shape, tally, code_timeout)
            except RuntimeError as exc:
                tally.failed.append(str(exc))
                if len(tally.failed) == 1:
                    print(f"  {exc}", flush=True)

    await asyncio.gather(*(worker() for _ in range(min(in_flight, len(customers)))))


def observe_codes(tally: Tally) -> Any:
    """The fake's observer: every prize code sent to a customer's chat, by chat."""

    def seen(chat_id: int, message: dict[str, Any]) -> None:
        found = PRIZE.search(str(message.get("text", "")))
        if found and chat_id > 0:
            tally.codes.setdefault(chat_id, []).append(found.group(1))

    return seen


def prize_check(tally: Tally, uids: Sequence[int]) -> tuple[bool, str]:
    """Every journey ended with exactly one code in its chat, and no code went twice."""
    counts = [len(tally.codes.get(uid, [])) for uid in uids]
    every = [code for uid in uids for code in tally.codes.get(uid, [])]
    one_each = all(n == 1 for n in counts)
    distinct = len(set(every)) == len(every)
    text = (
        f"{sum(n == 1 for n in counts)} of {len(uids)} customers got exactly one code "
        f"({sum(n == 0 for n in counts)} none, {sum(n > 1 for n in counts)} more than one); "
        f"{len(set(every))} distinct codes of {len(every)} sent"
    )
    return one_each and distinct, text
