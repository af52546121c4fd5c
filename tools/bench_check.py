#!/usr/bin/env python3
"""Prints how long `./column check` takes on the default data (the issue asks < 3 s).

Timings are printed, never asserted: the machines running tests are shared and slow.
Usage: python3 tools/bench_check.py [runs]
"""
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
runs = int(sys.argv[1]) if len(sys.argv) > 1 else 5
times = []
for _ in range(runs):
    start = time.perf_counter()
    subprocess.run([sys.executable, str(ROOT / "column"), "check"], cwd=ROOT, check=True, capture_output=True)
    times.append(time.perf_counter() - start)
print(f"./column check: {runs} runs, median {statistics.median(times):.2f} s, max {max(times):.2f} s")
