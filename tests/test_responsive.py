"""Table cells carry their column names for the phone layout; dates never break."""
from campaign.site.responsive import grid, label_tables

TABLE = """<table>
<thead>
<tr>
<th>任务</th>
<th style="text-align: left;">状态</th>
<th>完成时限</th>
</tr>
</thead>
<tbody>
<tr>
<td><a href="x/" title="2018年6月30日">任务 "甲"</a></td>
<td style="text-align: left;"><span class="status">已完成</span></td>
<td>2018年6月30日</td>
</tr>
</tbody>
</table>"""


def test_cells_get_their_column_name_and_dates_stay_whole():
    out = label_tables("<p>前</p>" + TABLE)
    assert out.startswith('<p>前</p><div class="md-typeset__scrollwrap"><div class="md-typeset__table">'
                          '<table class="data-table" data-stack>')
    assert out.endswith("</table></div></div>")
    assert '<td data-label="任务"><a href="x/" title="2018年6月30日">任务 "甲"</a></td>' in out
    assert '<td style="text-align: left;" data-label="状态">' in out
    assert '<td data-label="完成时限"><span class="nowrap">2018年6月30日</span></td>' in out


def test_two_column_tables_and_other_html_stay():
    two = "<table>\n<thead>\n<tr>\n<th>名称</th>\n<th>内容</th>\n</tr>\n</thead>\n<tbody>\n<tr>\n<td>a</td>\n<td>b</td>\n</tr>\n</tbody>\n</table>"
    # In Material's scroll box already, with a class: Material's script leaves it alone.
    wrapped = label_tables(two)
    assert wrapped == ('<div class="md-typeset__scrollwrap"><div class="md-typeset__table"><table class="data-table">'
                       + two.removeprefix("<table>") + "</div></div>")
    assert "data-label" not in wrapped
    assert label_tables("<p>无表格</p>") == "<p>无表格</p>"
    meta = '<table class="gk-meta"><tr><th>a</th><td>b</td></tr></table>'
    assert label_tables(meta) == meta


def _markdown_grid(header, rows):
    # The table as the tables extension writes it (what generated pages carried before).
    head = "".join(f"<th>{cell}</th>" for cell in header)
    body = "".join("<tr>" + "".join(f"<td>{cell}</td>" for cell in row) + "</tr>\n" for row in rows)
    return f"<table>\n<thead>\n<tr>{head}</tr>\n</thead>\n<tbody>\n{body}</tbody>\n</table>\n"


def test_generated_tables_are_written_as_labelling_makes_them():
    link = '<a href="../a01/" title="x">“营商” &amp; 2018年6月30日</a>'
    cases = [
        (["任务", "状态", "完成时限"], [[link, '<span class="status">已完成</span>', "2018年6月30日"],
                                       ["乙", "", "2018-06-30 前"]]),
        (["名称", "内容"], [["a", "2019年1月"], ["b", "c"]]),  # narrow: no labels
        (['<span title="说明">单位</span>', "数 量", '“引号”', "", "多"], [["1", "2", "3", "4", "5", "6"], ["7"]]),
        (["甲", "乙", "丙"], []),
    ]
    for header, rows in cases:
        assert grid(header, rows) == label_tables(_markdown_grid(header, rows)), header
