"""Cron schedules as a Kubernetes CronJob accepts them: the standard five fields, or a macro.

Five fields, separated by white space: minute (0-59), hour (0-23), day of month (1-31),
month (1-12 or JAN-DEC) and day of week (0-6 or SUN-SAT). Each field is a comma-separated
list of `*` (or `?`), a value, or a range `a-b`, each optionally followed by `/step`.
The macros are @yearly (@annually), @monthly, @weekly, @daily (@midnight), @hourly and
`@every <duration>` (a Go duration such as `1h30m`). A time zone in the schedule (`TZ=`,
`CRON_TZ=`) is refused, as Kubernetes refuses it (a CronJob has a field for that).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rigd.domain.naming import quoted

_MACROS = frozenset({"@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly"})
_GO_DURATION = re.compile(r"(?:(?:\d+(?:\.\d*)?|\.\d+)(?:ns|us|µs|μs|ms|s|m|h))+")
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_DAYS = ("sun", "mon", "tue", "wed", "thu", "fri", "sat")
MAX_SCHEDULE = 256


@dataclass(frozen=True)
class _Field:
    name: str
    low: int
    high: int
    names: dict[str, int]


_FIELDS = (
    _Field("minute", 0, 59, {}),
    _Field("hour", 0, 23, {}),
    _Field("day of month", 1, 31, {}),
    _Field("month", 1, 12, {name: number for number, name in enumerate(_MONTHS, start=1)}),
    _Field("day of week", 0, 6, {name: number for number, name in enumerate(_DAYS)}),
)


def schedule_problem(schedule: str) -> str | None:
    """What is wrong with the schedule, or None when Kubernetes would accept it."""
    if not schedule.strip():
        return "must not be empty"
    text = schedule  # Kubernetes compares a macro as written: " @hourly" is no macro
    if len(text) > MAX_SCHEDULE:
        return f"is longer than {MAX_SCHEDULE} characters"
    if text.startswith(("TZ=", "CRON_TZ=")):
        return "must not name a time zone"
    if text.startswith("@"):
        return _macro_problem(text)
    fields = text.split()
    if len(fields) != len(_FIELDS):
        return f"{quoted(text)} must have 5 fields (minute hour day-of-month month day-of-week), not {len(fields)}"
    for field, value in zip(_FIELDS, fields, strict=True):
        for part in value.split(","):
            if problem := _part_problem(field, part):
                return f"{field.name} {quoted(value)}: {problem}"
    return None


def _macro_problem(text: str) -> str | None:
    if text in _MACROS:
        return None
    if text.startswith("@every "):
        duration = text.removeprefix("@every ").strip()
        if not _GO_DURATION.fullmatch(duration) or not re.search(r"[1-9]", duration):
            return f"{quoted(duration)} is not a positive duration such as 90s or 1h30m"
        return None
    return f"{quoted(text)} is not one of {', '.join(sorted(_MACROS))} or @every <duration>"


def _part_problem(field: _Field, part: str) -> str | None:
    range_text, slash, step_text = part.partition("/")
    if slash and not step_text.isdigit():
        return f"step {quoted(step_text)} must be a positive number"
    if slash and int(step_text) == 0:
        return "step must be a positive number"
    if range_text in ("*", "?"):
        return None
    low_text, dash, high_text = range_text.partition("-")
    low = _value(field, low_text)
    high = _value(field, high_text) if dash else low
    if low is None or high is None:
        bad = low_text if low is None else high_text
        return f"{quoted(bad)} is not a {field.name} ({_range_text(field)})"
    if low > high:
        return f"range {quoted(range_text)} starts after it ends"
    return None


def _value(field: _Field, text: str) -> int | None:
    """The number a value of the field stands for, or None when it is out of range or no value."""
    number = field.names.get(text.lower())
    if number is None and text.isascii() and text.isdigit():
        number = int(text)
    if number is None or not field.low <= number <= field.high:
        return None
    return number


def _range_text(field: _Field) -> str:
    names = f" or {next(iter(field.names)).upper()}-{list(field.names)[-1].upper()}" if field.names else ""
    return f"{field.low}-{field.high}{names}"
