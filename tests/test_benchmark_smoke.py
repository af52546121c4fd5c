"""The benchmark runs at ×1 of both profiles and prints every figure (a smoke test: no timing
asserted), with the preview measurement, two county projects built in parallel and each
build repeated (ours and stock Material's in turn)."""
from __future__ import annotations

import subprocess
import sys

import pytest

from support import ROOT

# Whole builds at scale or twice over: run by CI's second step (`pytest -m slow`).
pytestmark = pytest.mark.slow


FIGURES = ["记录数 records", "生成页面 generated pages", "构建总耗时 build time", "自有代码耗时 own code",
           "峰值内存 peak RSS", "最大 HTML 页面 largest page", "搜索索引 search index", "开放数据 open data",
           "仅检查数据 check（./column check）", "其中文字把关 proofreading pass", "变更记录 history", "原版 Material 构建同样页面 stock build",
           "原版搜索索引 stock search index", "预览刷新 preview", "重新生成时自有代码分项",
           "吞吐量 throughput", "原版各次 stock runs", "相邻两次之比 pair ratios", "== 目标 targets =="]


def test_benchmark_x1_prints_every_figure():
    result = subprocess.run([sys.executable, "benchmarks/run.py", "--scales", "1", "--preview-scale", "1",
                             "--counties", "2", "--repeat", "2"], cwd=ROOT, capture_output=True, text=True, timeout=1800)
    assert result.returncode == 0, result.stdout + result.stderr
    for label in FIGURES:
        assert label in result.stdout, label
    for profile in ("short", "long"):
        assert f"== {profile} ×1 ==" in result.stdout
        assert f"== {profile}：2 个县并行构建 counties ==" in result.stdout
    assert result.stdout.count("取中位数") >= 2  # our build's runs, per profile
