"""Cron expressions: the five fields of crontab(5), checked, and the slots they name.

croniter does the calendar arithmetic (day-of-month OR day-of-week, month and day names, steps);
this module keeps to the five-field form that crontab and the scheduler both understand.
"""

from __future__ import annotations

from datetime import datetime

from croniter import CroniterError, croniter


class CronError(ValueError):
    """A schedule that is not a five-field cron expression, with what is wrong."""


def check_cron(expr: str) -> None:
    """Raise CronError, saying why, unless expr is a valid five-field cron expression."""
    fields = expr.split()
    if len(fields) != 5:
        raise CronError(f"{expr!r} has {len(fields)} fields; a cron expression has 5 (minute hour day month weekday)")
    try:
        croniter(expr)
    except (CroniterError, ValueError) as exc:
        raise CronError(f"{expr!r} is not a valid cron expression: {exc}") from None
    try:
        croniter(expr, datetime(2000, 1, 1)).get_next(datetime)
    except CroniterError:
        raise CronError(f"{expr!r} names no date that exists, so it would never run") from None


def latest_slot(expr: str, now: datetime) -> datetime:
    """The most recent time at or before `now` that the expression names."""
    probe = now.replace(second=0, microsecond=0)
    if croniter.match(expr, probe):
        return probe
    return croniter(expr, now).get_prev(datetime)


def next_slot(expr: str, now: datetime) -> datetime:
    """The first time after `now` that the expression names."""
    return croniter(expr, now).get_next(datetime)
