"""Standard 5-field cron schedules (minute hour day-of-month month day-of-week), as Kubernetes
CronJobs read them: lists, ranges, steps, names, `?` for `*`, and the `@hourly`-style macros.
When both day fields are restricted a day matches either of them (classic cron)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

_MACROS = {
    "@yearly": "0 0 1 1 *",
    "@annually": "0 0 1 1 *",
    "@monthly": "0 0 1 * *",
    "@weekly": "0 0 * * 0",
    "@daily": "0 0 * * *",
    "@midnight": "0 0 * * *",
    "@hourly": "0 * * * *",
}
_MONTHS = {
    n: i + 1 for i, n in enumerate(["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"])
}
_DAYS = {n: i for i, n in enumerate(["sun", "mon", "tue", "wed", "thu", "fri", "sat"])}
# (lowest, highest, names) per field.
_NO_NAMES: dict[str, int] = {}
_FIELDS = ((0, 59, _NO_NAMES), (0, 23, _NO_NAMES), (1, 31, _NO_NAMES), (1, 12, _MONTHS), (0, 7, _DAYS))
LOOK_BACK = timedelta(days=7)
"""How far back a missed schedule is still run once (rigd was down, or the clock jumped)."""


class InvalidSchedule(ValueError):
    pass


@dataclass(frozen=True)
class CronSchedule:
    minutes: frozenset[int]
    hours: frozenset[int]
    days: frozenset[int]
    months: frozenset[int]
    weekdays: frozenset[int]
    any_day: bool
    any_weekday: bool

    @classmethod
    def parse(cls, text: str) -> CronSchedule:
        text = _MACROS.get(text.strip().lower(), text)
        parts = text.split()
        if len(parts) != 5:
            raise InvalidSchedule(f"a schedule has 5 fields, not {len(parts)}: {text!r}")
        sets = [_parse_field(part, *spec) for part, spec in zip(parts, _FIELDS, strict=True)]
        weekdays = frozenset(day % 7 for day in sets[4])  # 7 is Sunday too
        return cls(sets[0], sets[1], sets[2], sets[3], weekdays, parts[2] in ("*", "?"), parts[4] in ("*", "?"))

    def matches(self, moment: datetime) -> bool:
        if moment.minute not in self.minutes or moment.hour not in self.hours or moment.month not in self.months:
            return False
        day = moment.day in self.days
        weekday = (moment.weekday() + 1) % 7 in self.weekdays
        if self.any_day or self.any_weekday:
            return day and weekday
        return day or weekday

    def latest(self, after: datetime, until: datetime) -> datetime | None:
        """The latest minute in (`after`, `until`] the schedule matches, looking back at most
        `LOOK_BACK`; None when there is none."""
        moment = until.replace(second=0, microsecond=0)
        floor = max(after, until - LOOK_BACK)
        while moment > floor:
            if self.matches(moment):
                return moment
            moment -= timedelta(minutes=1)
        return None


def _parse_field(text: str, low: int, high: int, names: dict[str, int]) -> frozenset[int]:
    values: set[int] = set()
    for item in text.lower().split(","):
        values.update(_parse_item(item, low, high, names))
    return frozenset(values)


def _parse_item(item: str, low: int, high: int, names: dict[str, int]) -> range:
    span, _, step_text = item.partition("/")
    step = _number(step_text, names) if step_text else 1
    if span in ("*", "?"):
        first, last = low, high
    elif "-" in span:
        first_text, last_text = span.split("-", 1)
        first, last = _number(first_text, names), _number(last_text, names)
    else:
        first = _number(span, names)
        last = high if step_text else first
    if step < 1 or not low <= first <= last <= high:
        raise InvalidSchedule(f"{item!r} is outside {low}-{high}")
    return range(first, last + 1, step)


def _number(text: str, names: dict[str, int]) -> int:
    if text in names:
        return names[text]
    if not text.isdigit():
        raise InvalidSchedule(f"{text!r} is not a number")
    return int(text)
