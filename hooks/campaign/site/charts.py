"""Geometry of the small inline SVG line chart on the survey overview.

Only numbers are computed here; templates/_line_chart.html.j2 draws them. The chart is a
picture for sighted readers beside a data table with the same figures, so it carries a
<title>/<desc> and needs no JavaScript.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

WIDTH, HEIGHT = 640, 300
LEFT, RIGHT, TOP, BOTTOM = 48, 24, 56, 40
INSET = 48  # horizontal room for the centred quarter labels at both ends
LEGEND_PER_ROW = 4
# At most this many category labels (and value labels) along the x axis: beyond it every
# k-th is labelled, counted back from the newest, so that labels neither overlap nor make a
# chart of years of months weigh kilobytes more; every point keeps its tooltip and the
# data table beside the chart has every figure.
MAX_LABELS = 12
# Line styles tell series apart without colour (dash patterns) as well as with it.
STYLES = [("#b71c1c", "", 3.0), ("#1565c0", "6 4", 2.0), ("#2e7d32", "2 3", 2.0),
          ("#6a1b9a", "8 3 2 3", 2.0), ("#e65100", "1 4", 2.0)]


@dataclass(frozen=True)
class ChartPoint:
    x: float
    y: float
    value: float
    category: str
    label_x: float = 0.0  # where the value label goes (primary series only): clear of other points
    label_y: float = 0.0
    label_anchor: str = "middle"
    labelled: bool = True  # the value label is drawn (see MAX_LABELS)


@dataclass(frozen=True)
class ChartSeries:
    name: str
    color: str
    dash: str
    stroke: float
    points: list[ChartPoint]

    @property
    def polyline(self) -> str:
        return " ".join(f"{p.x:.1f},{p.y:.1f}" for p in self.points)


@dataclass(frozen=True)
class LineChart:
    width: int
    height: int
    left: int
    right: int
    top: int
    bottom: int
    y_ticks: list[tuple[float, str]]  # (y pixel, label)
    x_ticks: list[tuple[float, str]]
    series: list[ChartSeries]
    cut_at: int = 0  # the y axis starts here instead of 0 (marked as cut on the chart)

    @property
    def plot_right(self) -> int:
        return self.width - self.right

    @property
    def plot_bottom(self) -> int:
        return self.height - self.bottom

    def legend_at(self, index: int) -> tuple[int, int]:
        """Top-left of the index-th legend entry: rows of LEGEND_PER_ROW above the plot."""
        return self.left + (index % LEGEND_PER_ROW) * 136, 14 + (index // LEGEND_PER_ROW) * 20


def _range(values: list[float]) -> tuple[int, int]:
    """A y range in steps of 5 around the values, at least 10 points tall, within 0-100."""
    low = max(0, int(math.floor((min(values) - 2) / 5) * 5))
    high = min(100, int(math.ceil((max(values) + 2) / 5) * 5))
    if high - low < 10:
        high = min(100, low + 10)
        low = max(0, high - 10)
    return low, high


def line_chart(categories: list[str], series: list[tuple[str, list[float | None]]],
               zero_based: bool = False) -> LineChart:
    """Place each series (name, one value or None per category) on a shared 0-100 scale.
    The y axis starts at 0 when zero_based; otherwise it may start higher, and the chart
    says so (cut_at) so that a small change does not look like a large one."""
    top = TOP + 20 * ((len(series) - 1) // LEGEND_PER_ROW)
    values = [v for _, vs in series for v in vs if v is not None] or [0.0]
    low, high = (0, 100) if zero_based else _range(values)
    plot_w = WIDTH - LEFT - RIGHT
    height = HEIGHT + top - TOP
    plot_h = height - top - BOTTOM
    count = len(categories)

    def x_at(index: int) -> float:
        # Inset so the first and last quarter labels stay inside the picture.
        inner = plot_w - 2 * INSET
        return LEFT + INSET + (inner / 2 if count == 1 else inner * index / (count - 1))

    def y_at(value: float) -> float:
        return top + plot_h * (high - value) / (high - low)

    step = 5 if high - low <= 30 else (10 if high - low <= 60 else 20)
    y_ticks = [(y_at(v), str(v)) for v in range(low, high + 1, step)]
    every = -(-len(categories) // MAX_LABELS) if categories else 1
    shown = {i for i in range(len(categories)) if (len(categories) - 1 - i) % every == 0}
    x_ticks = [(x_at(i), c) for i, c in enumerate(categories) if i in shown]
    drawn = []
    for index, (name, vs) in enumerate(series):
        color, dash, stroke = STYLES[index % len(STYLES)]
        points = [ChartPoint(x_at(i), y_at(v), v, categories[i]) for i, v in enumerate(vs) if v is not None]
        drawn.append(ChartSeries(name, color, dash, stroke, points))
    if drawn:
        drawn[0] = _placed_labels(drawn[0], drawn[1:], {categories[i] for i in shown})
    return LineChart(WIDTH, height, LEFT, RIGHT, top, BOTTOM, y_ticks, x_ticks, drawn, cut_at=low)


LABEL_CLEAR = 16  # px between a value label and another series' point or line at that category


def _placed_labels(primary: ChartSeries, others: list[ChartSeries], labelled: set[str]) -> ChartSeries:
    """Value labels of the primary series above its points, or below, or beside them when
    another series passes there, so that labels do not overlap other points."""
    placed = []
    for p in primary.points:
        near = [q.y for s in others for q in s.points if q.category == p.category]
        above = not any(p.y - 10 - LABEL_CLEAR < y <= p.y + 2 for y in near)
        below = not any(p.y - 2 <= y < p.y + 18 + LABEL_CLEAR for y in near)
        if above:
            x, y, anchor = p.x, p.y - 10, "middle"
        elif below:
            x, y, anchor = p.x, p.y + 20, "middle"
        else:
            x, y, anchor = p.x + 10, p.y + 4, "start"
        placed.append(ChartPoint(p.x, p.y, p.value, p.category, x, y, anchor, p.category in labelled))
    return ChartSeries(primary.name, primary.color, primary.dash, primary.stroke, placed)


def month_axis(months: list[str]) -> list[str]:
    """Short month labels: 5月 within one year, 18年5月 across years (they must not overlap)."""
    if len({m[:4] for m in months}) <= 1:
        return [f"{int(m[5:])}月" for m in months]
    return [f"{m[2:4]}年{int(m[5:])}月" for m in months]


@dataclass(frozen=True)
class ProgressChart:
    chart: LineChart
    rows: list[tuple[str, float, float]]  # (YYYY-MM, actual, expected)
    desc: str  # the numbers in words, for the SVG <desc>


def progress_chart(rows: list[tuple[str, float, float]]) -> ProgressChart:
    """Actual against expected progress by month (schedule.progress_series), on 0-100 %."""
    desc = "；".join(f"{int(m[:4])}年{int(m[5:])}月实际进度 {a:.1f}%，序时进度 {e:.1f}%" for m, a, e in rows) + "。"
    return ProgressChart(_progress_line(rows), rows, desc)


def _progress_line(rows: list[tuple[str, float, float]]) -> LineChart:
    return line_chart(month_axis([r[0] for r in rows]),
                      [("实际进度", [round(r[1], 1) for r in rows]), ("序时进度", [round(r[2], 1) for r in rows])],
                      zero_based=True)
