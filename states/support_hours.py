"""Support hours: when people answer (``SUPPORT_HOURS``), pure stdlib.

``Mon-Fri 09:00-18:00 Europe/Berlin`` (one or more ``DAYS HH:MM-HH:MM`` parts separated by
commas, then an IANA time zone). Days: ``Mon`` ... ``Sun``, a range ``Mon-Fri`` (wrapping:
``Sat-Sun``) or a list ``Mon/Wed``. An empty text means "always open". Times are local to the
zone, so opening hours stay 09:00 across daylight-saving changes; a local time that does not
exist that day (a spring-forward gap) moves forward by the gap.

Everything takes ``now`` (timezone-aware) from the caller: the clock is injected, tests run
on virtual time.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_PART = re.compile(r"^(?P<days>[A-Za-z/\-]+)\s+(?P<start>\d{1,2}:\d{2})-(?P<end>\d{1,2}:\d{2})$")
_SEARCH_DAYS = 8  # a week and a day: every weekly schedule opens within it


class HoursError(ValueError):
    """``SUPPORT_HOURS`` could not be read; the message says what is wrong."""


@dataclass(frozen=True, slots=True)
class Window:
    weekday: int  # 0 = Monday
    start: dt.time
    end: dt.time  # after start (an overnight window is written as two parts)


@dataclass(frozen=True, slots=True)
class SupportHours:
    windows: tuple[Window, ...]
    zone: ZoneInfo | None  # None: always open

    @property
    def always(self) -> bool:
        return self.zone is None

    def is_open(self, now: dt.datetime) -> bool:
        if self.zone is None:
            return True
        local = _aware(now).astimezone(self.zone)
        return any(
            start <= local < end
            for start, end in self._spans(local.date() - dt.timedelta(days=1), 2)
        )

    def next_opening(self, now: dt.datetime) -> dt.datetime:
        """``now`` itself when open, else the start of the next window (in the zone's time)."""
        if self.zone is None or self.is_open(now):
            return _aware(now).astimezone(self.zone) if self.zone else _aware(now)
        local = _aware(now).astimezone(self.zone)
        for start, _end in self._spans(local.date(), _SEARCH_DAYS):
            if start > local:
                return start
        raise HoursError("no opening within a week")  # pragma: no cover - parse forbids it

    def _spans(self, first: dt.date, days: int) -> list[tuple[dt.datetime, dt.datetime]]:
        assert self.zone is not None
        spans = []
        for offset in range(days):
            day = first + dt.timedelta(days=offset)
            for w in self.windows:
                if w.weekday == day.weekday():
                    spans.append((_local(day, w.start, self.zone), _local(day, w.end, self.zone)))
        return sorted(spans)


def _aware(now: dt.datetime) -> dt.datetime:
    if now.tzinfo is None:
        raise ValueError("support hours need a timezone-aware time")
    return now


def _local(day: dt.date, at: dt.time, zone: ZoneInfo) -> dt.datetime:
    """``day at`` in ``zone``; a time in a spring-forward gap moves forward by the gap
    (02:30 on the night the clocks jump from 02:00 to 03:00 is 03:30), like a wall clock."""
    return dt.datetime.combine(day, at, tzinfo=zone).astimezone(dt.UTC).astimezone(zone)


def parse_hours(text: str) -> SupportHours:
    """Read ``SUPPORT_HOURS``; raises :class:`HoursError` naming the problem."""
    text = " ".join((text or "").split())
    if not text:
        return SupportHours((), None)
    body, _, zone_name = text.rpartition(" ")
    try:
        zone = ZoneInfo(zone_name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise HoursError(f"unknown time zone {zone_name!r} (e.g. Europe/Berlin)") from exc
    windows: list[Window] = []
    for part in (p.strip() for p in body.split(",")):
        match = _PART.match(part)
        if match is None:
            raise HoursError(f"{part!r} is not like 'Mon-Fri 09:00-18:00'")
        start, end = _time(match["start"]), _time(match["end"])
        if end <= start:
            raise HoursError(f"{part!r}: the end must be after the start")
        windows += [Window(d, start, end) for d in _days(match["days"])]
    if not windows:
        raise HoursError("no opening hours given")
    return SupportHours(tuple(windows), zone)


def _time(text: str) -> dt.time:
    hours, minutes = (int(x) for x in text.split(":"))
    if hours == 24 and minutes == 0:
        return dt.time(23, 59, 59, 999999)
    if not (0 <= hours < 24 and 0 <= minutes < 60):
        raise HoursError(f"{text!r} is not a time of day")
    return dt.time(hours, minutes)


def _days(text: str) -> list[int]:
    found: list[int] = []
    for item in text.lower().split("/"):
        first, _, last = item.partition("-")
        a, b = _day(first), _day(last or first)
        found += [(a + i) % 7 for i in range((b - a) % 7 + 1)]
    return sorted(set(found))


def _day(text: str) -> int:
    names = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
    for index, name in enumerate(names):
        if len(text) >= 2 and name.startswith(text):
            return index
    raise HoursError(f"{text!r} is not a day (Mon, Tue, ... Sun)")


def waited_too_long(asked_at: dt.datetime, now: dt.datetime, sla: dt.timedelta) -> bool:
    """A request asked at ``asked_at`` is over the SLA at ``now``."""
    return now - asked_at > sla


__all__ = ["DAYS", "HoursError", "SupportHours", "Window", "parse_hours", "waited_too_long"]
