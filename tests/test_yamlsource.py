"""The loader's YAML typing: the same values as PyYAML's SafeLoader, except that dates
stay text (validation turns them into dates with a Chinese message when wrong)."""
from __future__ import annotations

import math

import yaml

from campaign.records.problems import Problems
from campaign.records.yamlsource import parse_yaml

SCALARS = """\
empty:
tilde: ~
null_word: null
yes_word: yes
true_word: true
False_word: False
int: 42
negative: -7
octal: 0o17
hex: 0x1F
float: 3.5
exp: 1e3
inf: .inf
nan: .nan
date: 2018-05-01
datetime: 2018-05-01 10:00:00
version: 1.2.3
quoted_int: "42"
single_quoted: '0x1F'
chinese: 紫阳县营商环境
colon_text: "时间: 上午"
list: [1, two, 3.0, null, 2018-06-30]
nested: {a: 1, b: [true, "x"]}
block: |
  第一行
  第二行
"""


def test_scalars_typed_as_safe_loader_except_dates():
    problems = Problems()
    ours = parse_yaml(SCALARS, "t.yml", problems).data
    assert not problems.items
    expected = yaml.load(SCALARS, Loader=yaml.SafeLoader)
    expected["date"] = "2018-05-01"
    expected["datetime"] = "2018-05-01 10:00:00"
    expected["list"][4] = "2018-06-30"
    assert math.isnan(ours.pop("nan")) and math.isnan(expected.pop("nan"))  # nan != nan: apart
    assert ours == expected
    assert type(ours["int"]) is int and type(ours["float"]) is float and ours["yes_word"] is True
