"""What a process may know of itself from the operating system: the CPUs it may run on and
its memory (for splitting work into processes, and for the benchmark's figures). Linux's
/proc where it exists; elsewhere no figure (0)."""
from __future__ import annotations

import os


def usable_cpus() -> int:
    """CPUs this process may run on: work is split into processes only with two or more
    (on one, the split costs its copies and saves nothing)."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def peak_kib(pid: int | str = "self") -> int:
    """The kernel's peak resident memory (KiB) of a process: its own figure, which a child's
    ru_maxrss is not (a child spawned by a large process is charged that process's size)."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as status:
            return next((int(line.split()[1]) for line in status if line.startswith("VmHWM:")), 0)
    except (OSError, ValueError, IndexError):
        return 0


def resident_mb() -> float:
    """This process's resident memory now, in MB."""
    try:
        with open("/proc/self/statm", encoding="ascii") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
    except (OSError, ValueError, IndexError):
        return 0.0
