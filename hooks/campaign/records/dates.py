"""Dates as editors write them and as readers read them.

Data stores ISO dates (2018-04-13); pages show GB/T 9704 style (2018年4月13日). The plan
gives many deadlines as periods ("2018年7月中旬前", "2018年6月底前"); `parse_deadline`
maps them to one date by the rules in DEADLINE_RULES, which the 统计口径 page prints.
"""
from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from functools import lru_cache
from datetime import date

ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
ISO_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


def parse_iso_date(text: str) -> date:
    """Parse YYYY-MM-DD; raise ValueError with a Chinese reason."""
    match = ISO_DATE.match(text.strip())
    if not match:
        raise ValueError(f"「{text}」不是日期格式，应写成 2018-04-13 这样的“年-月-日”")
    year, month, day = map(int, match.groups())
    if not 1 <= month <= 12:
        raise ValueError(f"「{text}」中的月份 {month} 不存在，月份应在 1 到 12 之间")
    last = calendar.monthrange(year, month)[1]
    if not 1 <= day <= last:
        raise ValueError(f"「{text}」这一天不存在：{year}年{month}月只有 {last} 天")
    return date(year, month, day)


@lru_cache(maxsize=4096)
def parse_month(text: str) -> tuple[int, int]:
    """Parse YYYY-MM into (year, month). Remembered: a province's 28,800 reports name a few
    dozen months, parsed by several checks each."""
    match = ISO_MONTH.match(text.strip())
    if not match or not 1 <= int(match.group(2)) <= 12:
        raise ValueError(f"「{text}」不是月份格式，应写成 2018-06 这样的“年-月”")
    return int(match.group(1)), int(match.group(2))


@dataclass(frozen=True, order=True)
class Month:
    """A calendar month: the reporting period of monthly reports and bulletins.

    Written "2018-08" in data and URLs (str()), "2018年8月" for readers (.zh). Arithmetic
    on months goes through here, never through sliced or formatted strings.
    """

    year: int
    month: int

    @classmethod
    def parse(cls, text: str) -> "Month":
        """"2018-08" (or " 2018-8 ") → Month; ValueError with a Chinese message."""
        return cls(*parse_month(str(text)))

    @classmethod
    def of(cls, day: date) -> "Month":
        return cls(day.year, day.month)

    def __str__(self) -> str:
        return f"{self.year}-{self.month:02d}"

    @property
    def zh(self) -> str:
        return zh_month(self.year, self.month)

    @property
    def first_day(self) -> date:
        return date(self.year, self.month, 1)

    @property
    def last_day(self) -> date:
        return last_day(self.year, self.month)

    def next(self) -> "Month":
        return Month(self.year + 1, 1) if self.month == 12 else Month(self.year, self.month + 1)

    def previous(self) -> "Month":
        return Month(self.year - 1, 12) if self.month == 1 else Month(self.year, self.month - 1)


def zh_date(value: date | None) -> str:
    """2018年4月13日: no zero padding, as GB/T 9704-2012 writes dates."""
    if value is None:
        return "未定"
    return f"{value.year}年{value.month}月{value.day}日"


def zh_month(year: int, month: int) -> str:
    return f"{year}年{month}月"


def zh_month_of(month: "str | Month") -> str:
    """"2018-08" (a report month) → 2018年8月."""
    return Month.parse(str(month)).zh if not isinstance(month, Month) else month.zh


def last_day(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


# Each rule: (pattern after "YYYY年M月", day chosen, explanation printed for readers).
DEADLINE_RULES: list[tuple[str, str]] = [
    ("2018年6月30日 / 2018-06-30", "按写明的日期"),
    ("2018年5月初、2018年5月上旬", "按当月 10 日"),
    ("2018年7月中旬", "按当月 20 日"),
    ("2018年6月底、2018年6月下旬、2018年6月", "按当月最后一天"),
    ("2018年6月前（只写月份加“前”）", "按上个月最后一天（“6月前”即 6 月 1 日之前）"),
    ("2018年4月13至20日", "按区间的最后一天（4 月 20 日）"),
]

_ZH_DATE = re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日(?:前)?(?:完成)?$")
_ZH_RANGE = re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日?(?:至|-|—|～|~)(\d{1,2})日(?:前)?(?:完成)?$")
_ZH_PERIOD = re.compile(r"^(\d{4})年(\d{1,2})月(初|上旬|中旬|下旬|底|末)?(前)?(?:完成)?$")


@dataclass(frozen=True)
class Deadline:
    """A deadline as written (text) and the date it counts as (due)."""

    text: str
    due: date
    start: date | None = None  # the first day, when the text gives a range

    @property
    def label(self) -> str:
        return self.text


def parse_deadline(text: str) -> Deadline:
    """Map an ISO date or the plan's Chinese wording to a Deadline (rules above)."""
    raw = str(text).strip()
    compact = raw.replace(" ", "")
    if ISO_DATE.match(compact):
        return Deadline(zh_date(parse_iso_date(compact)), parse_iso_date(compact))
    if match := _ZH_DATE.match(compact):
        due = parse_iso_date(f"{match[1]}-{int(match[2]):02d}-{int(match[3]):02d}")
        return Deadline(raw, due)
    if match := _ZH_RANGE.match(compact):
        year, month = int(match[1]), int(match[2])
        start = parse_iso_date(f"{year}-{month:02d}-{int(match[3]):02d}")
        due = parse_iso_date(f"{year}-{month:02d}-{int(match[4]):02d}")
        if due < start:
            raise ValueError(f"「{raw}」的结束日早于开始日")
        return Deadline(raw, due, start)
    if match := _ZH_PERIOD.match(compact):
        year, month, part, before = int(match[1]), int(match[2]), match[3], match[4]
        if not 1 <= month <= 12:
            raise ValueError(f"「{raw}」中的月份 {month} 不存在")
        if part in ("初", "上旬"):
            due = date(year, month, 10)
        elif part == "中旬":
            due = date(year, month, 20)
        elif part in ("底", "末", "下旬"):
            due = last_day(year, month)
        elif before:
            due = last_day(year - 1, 12) if month == 1 else last_day(year, month - 1)
        else:
            due = last_day(year, month)
        return Deadline(raw, due)
    raise ValueError(
        f"「{raw}」不是可识别的期限。可写成 2018-07-20，或照方案原文写 2018年7月中旬、"
        "2018年6月底前、2018年5月初、2018年4月13至20日"
    )
