"""evidence check, speed: a 2,000-word article in well under a second once the index is built.

The benchmark (benchmarks/bench_check.py) reports the real figures; this test only guards against regressions,
with head-room for a loaded CI machine.
"""
from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))

DATA = Path(__file__).resolve().parents[1] / "data"


@pytest.mark.skipif(not (DATA / "articles").is_dir(), reason="no seed articles")
def test_two_thousand_words_under_a_second():
    from bench_check import article_of

    from evidence.check import check

    text = article_of(2000)
    assert 1990 <= len(text.split()) <= 2000
    check(text, fmt="text")  # builds and caches the index, loads data/
    times = []
    for _ in range(3):
        t0 = time.perf_counter()
        res = check(text, fmt="text")
        times.append(time.perf_counter() - t0)
    assert res.claims
    assert statistics.median(times) < 1.0, times
