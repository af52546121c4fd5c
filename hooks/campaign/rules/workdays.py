"""Working days for the 政府信息公开条例 (2019) §26 check: publish within 20 working days.

Working days follow the State Council's yearly holiday notice (国务院办公厅关于部分节假日安排
的通知): the `chinesecalendar` package (import name `chinese_calendar`, pinned in
requirements.txt) carries every 法定节假日 and 调休 workday of the years it covers
(2004–2026 in 1.11.0). The calendar in data/site.yml overrides it day by day and fills in
the years it does not cover: `holidays` are weekdays off, `workdays` are weekend days
worked. A year neither covers is counted Monday to Friday, and `uncovered_years` names it
so that the check can warn; the result is only ever a warning, never an error.
"""
from __future__ import annotations

from bisect import bisect_right
from datetime import date, timedelta
from functools import lru_cache
from typing import Collection

import chinese_calendar

PUBLICATION_LIMIT = 20  # working days after the document was made (成文)


@lru_cache(maxsize=1)
def _official() -> tuple[frozenset[int], dict[date, bool]]:
    """(years covered, {day: is a working day}) for the days that differ from Mon–Fri."""
    exceptions: dict[date, bool] = {}
    for day in chinese_calendar.holidays:
        if day.weekday() < 5:
            exceptions[day] = False
    for day in chinese_calendar.workdays:
        if day.weekday() >= 5:
            exceptions[day] = True
    years = frozenset(day.year for day in chinese_calendar.holidays)
    return years, exceptions


def covered_years() -> tuple[int, int]:
    """First and last year of the official calendar carried by chinesecalendar."""
    years = _official()[0]
    return min(years), max(years)


@lru_cache(maxsize=8)
def _exceptions(holidays: frozenset[date], workdays: frozenset[date]) -> tuple[list[date], list[int]]:
    """Sorted days that differ from Mon–Fri, with +1 (extra workday) or -1 (day off)."""
    merged = dict(_official()[1])
    for day in holidays:  # the county's own calendar wins over the package
        merged[day] = False
    for day in workdays:
        merged[day] = True
    days, deltas = [], []
    for day in sorted(merged):
        weekday = day.weekday() < 5
        if merged[day] != weekday:
            days.append(day)
            deltas.append(1 if merged[day] else -1)
    return days, deltas


def working_days_after(start: date, end: date, holidays: Collection[date] = (),
                       workdays: Collection[date] = ()) -> int:
    """Working days in (start, end]: official calendar, overridden by holidays/workdays."""
    if end <= start:
        return 0
    days = (end - start).days
    weeks, rest = divmod(days, 7)
    count = weeks * 5
    for offset in range(1, rest + 1):
        if (start + timedelta(days=weeks * 7 + offset)).weekday() < 5:
            count += 1
    listed, deltas = _exceptions(frozenset(holidays), frozenset(workdays))
    first, last = bisect_right(listed, start), bisect_right(listed, end)
    return count + sum(deltas[first:last])


def uncovered_years(start: date, end: date, holidays: Collection[date] = (),
                    workdays: Collection[date] = ()) -> list[int]:
    """Years touching (start, end] that neither chinesecalendar nor the overrides cover."""
    if end <= start:
        return []
    official = _official()[0]
    listed = {d.year for d in holidays} | {d.year for d in workdays}
    first = (start + timedelta(days=1)).year
    return [y for y in range(first, end.year + 1) if y not in official and y not in listed]


def publication_late_by(written: date, published: date, limit: int = PUBLICATION_LIMIT,
                        holidays: Collection[date] = (), workdays: Collection[date] = ()) -> int:
    """How many working days past the limit the publication came (0 when in time)."""
    return max(0, working_days_after(written, published, holidays, workdays) - limit)

