"""Where a build's wall time goes, for benchmarks: with ``EVIDENCE_REPORT_TRACE=1`` the build writes
one line per step to stderr (``trace +1.234 s  page article-000 first cell``), seconds since the
process started. Off by default; it never changes what is built."""
from __future__ import annotations

import os
import sys
import threading
import time

ON = os.environ.get("EVIDENCE_REPORT_TRACE", "") not in ("", "0")
_LOCK = threading.Lock()


def _since_start() -> float:
    try:                                   # seconds since this process started (Linux), else since import
        with open("/proc/self/stat", encoding="ascii") as fh:
            start_ticks = float(fh.read().rsplit(")", 1)[1].split()[19])
        with open("/proc/uptime", encoding="ascii") as fh:
            uptime = float(fh.read().split()[0])
        return uptime - start_ticks / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError, AttributeError):
        return 0.0


_T0 = time.monotonic() - (_since_start() if ON else 0.0)


def mark(event: str) -> None:
    """One line on stderr, when tracing is on."""
    if ON:
        with _LOCK:
            print(f"trace +{time.monotonic() - _T0:7.3f} s  {event}", file=sys.stderr, flush=True)
