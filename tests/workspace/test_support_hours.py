"""SUPPORT_HOURS: parsing, open or not, the next opening across daylight saving, and the SLA
reminder on virtual time (once per wait, only while support is open)."""

from __future__ import annotations

import datetime as dt

import pytest

from states.support_hours import HoursError, parse_hours
from tests.workspace.conftest import Desk, keys

BERLIN = "Mon-Fri 09:00-18:00 Europe/Berlin"


def utc(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    "text",
    [
        "Mon-Fri 09:00-18:00 Mars/Olympus",
        "Mon-Fri 9-18 Europe/Berlin",
        "Mon-Fri 18:00-09:00 Europe/Berlin",
        "Someday 09:00-18:00 Europe/Berlin",
        "Mon-Fri 25:00-26:00 Europe/Berlin",
        "Europe/Berlin",
    ],
)
def test_bad_hours_are_refused_with_a_reason(text: str) -> None:
    with pytest.raises(HoursError):
        parse_hours(text)


def test_empty_means_always_open() -> None:
    hours = parse_hours("")
    assert hours.always and hours.is_open(utc(2027, 1, 10, 3, 0))


def test_open_and_closed_in_local_time() -> None:
    hours = parse_hours(BERLIN)
    assert hours.is_open(utc(2027, 1, 11, 8, 0))  # Monday 09:00 CET
    assert not hours.is_open(utc(2027, 1, 11, 7, 59))
    assert not hours.is_open(utc(2027, 1, 11, 17, 0))  # 18:00 CET: closed
    assert hours.is_open(utc(2027, 7, 12, 7, 0))  # Monday 09:00 CEST (summer: UTC+2)
    assert not hours.is_open(utc(2027, 1, 16, 10, 0))  # Saturday


def test_next_opening_is_monday_nine_across_the_spring_change() -> None:
    hours = parse_hours(BERLIN)
    friday_evening = utc(2027, 3, 26, 18, 0)  # 19:00 CET; clocks jump on Sunday the 28th
    opening = hours.next_opening(friday_evening)
    assert (opening.strftime("%a %H:%M"), opening.astimezone(dt.UTC)) == (
        "Mon 09:00",
        utc(2027, 3, 29, 7, 0),
    )


def test_next_opening_across_the_autumn_change() -> None:
    hours = parse_hours(BERLIN)
    opening = hours.next_opening(utc(2027, 10, 29, 17, 0))  # Friday 19:00 CEST; back on the 31st
    assert opening.astimezone(dt.UTC) == utc(2027, 11, 1, 8, 0)  # Monday 09:00 CET


def test_several_parts_and_a_time_in_the_gap() -> None:
    hours = parse_hours("Mon-Fri 09:00-17:00, Sat/Sun 02:30-04:00 Europe/Berlin")
    # on 28 March 2027, 02:30 does not exist in Berlin: it opens when the wall clock says 03:30
    opening = hours.next_opening(utc(2027, 3, 27, 12, 0))
    assert opening == dt.datetime(2027, 3, 28, 3, 30, tzinfo=opening.tzinfo)
    assert opening.astimezone(dt.UTC) == utc(2027, 3, 28, 1, 30)
    assert hours.is_open(utc(2027, 3, 27, 1, 45))  # Saturday 02:45 CET


async def test_sla_reminder_once_on_virtual_time(desk: Desk) -> None:
    inbound = await desk.customer("hello?")
    desk.clock.advance(minutes=59)
    assert await desk.ws.reminders() == []
    desk.clock.advance(minutes=2)
    due = await desk.ws.reminders()
    assert [(t.id, r.key) for t, r in due] == [(inbound.topic.id, "workspace.sla_reminder")]
    assert "61 minutes" in due[0][1].text
    desk.clock.advance(minutes=30)
    assert await desk.ws.reminders() == []  # once per wait
    await desk.staff_says("Here to help.", inbound.topic)
    await desk.customer("thanks, and another question")  # a new wait
    desk.clock.advance(minutes=61)
    assert len(await desk.ws.reminders()) == 1


async def test_sla_waits_for_the_opening(desk: Desk) -> None:
    desk.clock.now = utc(2027, 1, 15, 16, 50)  # Friday 17:50 Berlin
    inbound = await desk.customer("hello?")
    desk.clock.advance(hours=3)
    assert await desk.ws.reminders() == []  # closed: nobody to remind
    desk.clock.now = utc(2027, 1, 18, 8, 1)  # Monday 09:01
    assert [t.id for t, _ in await desk.ws.reminders()] == [inbound.topic.id]


async def test_an_answered_or_closed_request_is_not_reminded(desk: Desk) -> None:
    first = await desk.customer("hi", user="60")
    second = await desk.customer("hi", user="61")
    await desk.staff_says("hello!", first.topic)
    await desk.staff_says("/close", second.topic)
    desk.clock.advance(hours=2)
    assert keys([r for _, r in await desk.ws.reminders()]) == []
