"""Tables that read on a phone: every data cell carries its column's name.

The long tables are plain <table> elements (tables.py, cells.py, templates, or Python-
Markdown for editors' pages). On narrow screens the stylesheet lays each row out as a card,
one "名称：值" line per cell, printing the name from the cell's data-label, so 状态,
完成时限 and 剩余时间 stay inside the screen instead of past its right edge. Dates in
cells are wrapped so that they never break inside ("2018年6 / 月30日").

Every such table arrives already in Material's scroll box and marked class="data-table":
Material's script wraps each table:not([class]) itself at start-up, after the first paint,
which moved every table in the page and laid it out again inside the script's start-up
task, the longest task of a table-heavy page such as the home page (Lighthouse's total
blocking time, issue 15). tables.css carries Material's table rules over to the class.

label_tables is a pure function on the page's content HTML, run once per page by the
adapter; grid writes the generated pages' tables in that final form at once (most of the
tables of a build), so that pass has nothing left to do for them.
"""
from __future__ import annotations

import itertools
import re
from typing import Iterable, Sequence

# Only the tables Markdown writes (no attributes); the 政务公开 block (class="gk-meta")
# has its own phone layout.
_TABLE = re.compile(r"<table>(.*?)</table>", re.S)
_HEAD = re.compile(r"<thead>(.*?)</thead>", re.S)
_TH = re.compile(r"<th(?:\s[^>]*)?>(.*?)</th>", re.S)
_TR = re.compile(r"<tr>(.*?)</tr>", re.S)
_TD = re.compile(r"<td(\s[^>]*)?>(.*?)</td>", re.S)
_TAG = re.compile(r"(<[^>]+>)")
_DATE = re.compile(r"\d{4}年\d{1,2}月(?:\d{1,2}日)?|\d{4}-\d{2}-\d{2}")

# Tables this narrow fit a phone as they are.
MIN_COLUMNS = 3

# Material's scroll box (its renderTable), written at build instead of at start-up.
WRAP_OPEN = '<div class="md-typeset__scrollwrap"><div class="md-typeset__table">'
WRAP_CLOSE = "</div></div>"


def _label(cell_html: str) -> str:
    text = " ".join(_TAG.sub("", cell_html).split())
    return text.replace('"', "&quot;")


def _keep_dates(cell_html: str) -> str:
    if not _DATE.search(cell_html):
        return cell_html
    parts = _TAG.split(cell_html)
    for index in range(0, len(parts), 2):  # text between tags, never inside a tag
        parts[index] = _DATE.sub(r'<span class="nowrap">\g<0></span>', parts[index])
    return "".join(parts)


def _table(match: re.Match) -> str:
    body = match.group(1)
    head = _HEAD.search(body)
    if head is None:
        return f'{WRAP_OPEN}<table class="data-table">{body}</table>{WRAP_CLOSE}'
    labels = [_label(th) for th in _TH.findall(head.group(1))]
    stack = len(labels) >= MIN_COLUMNS

    def cell(index: int, td: re.Match) -> str:
        attrs = td.group(1) or ""
        label = labels[index] if stack and index < len(labels) else ""
        if label:
            attrs += f' data-label="{label}"'
        return f"<td{attrs}>{_keep_dates(td.group(2))}</td>"

    def row(tr: re.Match) -> str:
        cells = itertools.count()
        return "<tr>" + _TD.sub(lambda td: cell(next(cells), td), tr.group(1)) + "</tr>"

    rows = _TR.sub(row, body[head.end():])
    opening = '<table class="data-table" data-stack>' if stack else '<table class="data-table">'
    return WRAP_OPEN + opening + body[:head.end()] + rows + "</table>" + WRAP_CLOSE


def label_tables(content: str) -> str:
    """Content HTML with every Markdown table in its scroll box, and data-label on the
    cells of those of three or more columns."""
    if "<table>" not in content:
        return content
    return _TABLE.sub(_table, content)


def grid(header: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    """A table in the form label_tables gives a Markdown table of this header and rows
    (header cells our own words, row cells escaped HTML), written directly."""
    labels = [_label(cell) for cell in header]
    stack = len(labels) >= MIN_COLUMNS
    opens = [f'<td data-label="{label}">' if stack and label else "<td>" for label in labels]
    head = "".join(f"<th>{cell}</th>" for cell in header)
    body = "".join(
        "<tr>" + "".join(f"{opens[i] if i < len(opens) else '<td>'}{_keep_dates(f'{cell}')}</td>" for i, cell in enumerate(row))
        + "</tr>\n" for row in rows)
    opening = '<table class="data-table" data-stack>' if stack else '<table class="data-table">'
    return (f"{WRAP_OPEN}{opening}\n<thead>\n<tr>{head}</tr>\n</thead>\n<tbody>\n{body}</tbody>\n</table>{WRAP_CLOSE}\n")
