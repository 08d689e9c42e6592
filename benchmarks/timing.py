"""Whole-process measurement of one command: wall time, CPU time and peak memory, as /usr/bin/time reports them."""

from __future__ import annotations

import os
import statistics
import subprocess
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Run:
    exit: int  # negative: killed by that signal
    wall_s: float
    cpu_s: float  # user + system, of the command and every child it waited for
    peak_mb: float  # the largest resident set of any one of those processes, in MiB
    log: Path  # where its output went: LOG.out and LOG.err

    @property
    def stdout(self) -> str:
        return self.log.with_suffix(".out").read_text(encoding="utf-8", errors="replace")

    @property
    def stderr(self) -> str:
        return self.log.with_suffix(".err").read_text(encoding="utf-8", errors="replace")

    def as_json(self) -> dict[str, Any]:
        return {
            "exit": self.exit,
            "wall_s": round(self.wall_s, 3),
            "cpu_s": round(self.cpu_s, 3),
            "peak_mb": self.peak_mb,
        }


def run_measured(command: Sequence[str], cwd: Path, log: Path) -> Run:
    """Run ``command`` to its end and account for that process alone.

    ``os.wait4`` gives the rusage of this one child (with the children it reaped), so the figures are not mixed with
    other commands this script ran before, as ``getrusage(RUSAGE_CHILDREN)`` would be. Output goes to files, never a
    pipe: a build that reports a problem per page can print more than a pipe holds.
    """
    log.parent.mkdir(parents=True, exist_ok=True)
    with open(log.with_suffix(".out"), "wb") as out, open(log.with_suffix(".err"), "wb") as err:
        started = time.perf_counter()
        process = subprocess.Popen(command, cwd=cwd, stdin=subprocess.DEVNULL, stdout=out, stderr=err)
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)  # reaped here, so Popen must not wait for it again
    return Run(
        exit=process.returncode,
        wall_s=wall,
        cpu_s=usage.ru_utime + usage.ru_stime,
        peak_mb=round(usage.ru_maxrss / 1024, 1),  # Linux gives KiB
        log=log,
    )


def spread(values: Sequence[float], digits: int = 3) -> dict[str, float]:
    """Min, median and max: quote the median; a wide gap between min and max says the machine was busy."""
    return {
        "min": round(min(values), digits),
        "median": round(statistics.median(values), digits),
        "max": round(max(values), digits),
    }
