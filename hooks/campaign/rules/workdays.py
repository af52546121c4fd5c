"""Working days for the 政府信息公开条例 (2019) §26 check: publish within 20 working days.

Working days are Monday to Friday, corrected by the calendar in data/site.yml when the
county fills it in: `holidays` are 法定节假日 falling on weekdays (days off), `workdays` are
调休 weekend days worked. Their dates are announced each year by the State Council
(国务院办公厅关于部分节假日安排的通知); without them the count can be a few days off around
holidays, and the result is only a warning for the editor to look at, never an error.
"""
from __future__ import annotations

from datetime import date, timedelta
from typing import Collection

PUBLICATION_LIMIT = 20  # working days after the document was made (成文)


def working_days_after(start: date, end: date, holidays: Collection[date] = (),
                       workdays: Collection[date] = ()) -> int:
    """Working days in (start, end]: Mon-Fri, less weekday holidays, plus weekend workdays."""
    if end <= start:
        return 0
    days = (end - start).days
    weeks, rest = divmod(days, 7)
    count = weeks * 5
    for offset in range(1, rest + 1):
        if (start + timedelta(days=weeks * 7 + offset)).weekday() < 5:
            count += 1
    count -= sum(1 for day in set(holidays) if start < day <= end and day.weekday() < 5)
    count += sum(1 for day in set(workdays) if start < day <= end and day.weekday() >= 5)
    return count


def publication_late_by(written: date, published: date, limit: int = PUBLICATION_LIMIT,
                        holidays: Collection[date] = (), workdays: Collection[date] = ()) -> int:
    """How many working days past the limit the publication came (0 when in time)."""
    return max(0, working_days_after(written, published, holidays, workdays) - limit)
