"""Working days for the 政府信息公开条例 (2019) §26 check: publish within 20 working days.

Working days are Monday to Friday. Public holidays and the adjusted weekend working days
(调休) are NOT modelled: their dates are announced each year by the State Council and the
data holds no calendar of them. The count can therefore be a few days off around holidays;
the result is only a warning for the editor to look at, never an error.
"""
from __future__ import annotations

from datetime import date, timedelta

PUBLICATION_LIMIT = 20  # working days after the document was made (成文)


def working_days_after(start: date, end: date) -> int:
    """Mon-Fri days in (start, end]: the working days elapsed from start until end."""
    if end <= start:
        return 0
    days = (end - start).days
    weeks, rest = divmod(days, 7)
    count = weeks * 5
    for offset in range(1, rest + 1):
        if (start + timedelta(days=weeks * 7 + offset)).weekday() < 5:
            count += 1
    return count


def publication_late_by(written: date, published: date, limit: int = PUBLICATION_LIMIT) -> int:
    """How many working days past the limit the publication came (0 when in time)."""
    return max(0, working_days_after(written, published) - limit)
