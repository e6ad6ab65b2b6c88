"""How ``evidence check`` computes, not what: the speed measures of issue 15 item 9 (corpus scale) keep the output.

Byte-identity of the JSON output with an earlier revision is proven by ``benchmarks/bench_check_same.py`` (the
training pages and two 2 MB texts); these tests pin the mechanisms themselves.
"""
from __future__ import annotations

from pathlib import Path

REPO = Path(__file__).resolve().parents[1]



def test_check_pauses_the_cyclic_collector_only_while_it_runs_and_makes_no_cycles():
    """evidence.check.pipeline._gc_paused: the collector's state is what it was before, whatever it was, and a
    check leaves no cyclic garbage behind (so pausing the collector costs no memory). The text is the seed
    articles' opening lines (data/articles/)."""
    import gc

    from evidence.check import check

    text = "\n".join(p.read_text(encoding="utf-8")[:3000] for p in sorted((REPO / "data" / "articles").glob("*.txt")))
    check(text)          # the index and the engine are loaded before the cycles are counted
    gc.collect()
    assert gc.isenabled()
    check(text)
    assert gc.isenabled() and gc.collect() == 0
    gc.disable()
    try:
        check(text)
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_judging_a_repeated_claim_once_gives_what_judging_each_gives(monkeypatch):
    """evidence.check.judge.judge_all judges the same claim in the same sentence with the same link once and places
    the copy at its own offsets: the output is the output of judging every item (the memo never hits when each
    item gets a key of its own). The text is the seed articles' opening lines twice, so every claim repeats."""
    import json

    from evidence.check import check, judge

    text = "\n".join(p.read_text(encoding="utf-8")[:2500] for p in sorted((REPO / "data" / "articles").glob("*.txt")))
    text = text + "\n\n" + text
    memoized = check(text)
    monkeypatch.setattr(judge, "_item_key", lambda d, link: object())
    each = check(text)
    assert len(memoized.claims) > 40
    assert json.dumps(memoized.claims, sort_keys=True, default=str) == json.dumps(each.claims, sort_keys=True, default=str)
    assert json.dumps(memoized.non_claims, default=str) == json.dumps(each.non_claims, default=str)


def test_the_wilson_interval_is_statsmodels_own_to_the_last_bit():
    """evidence.stats.wilson.wilson_95 gives exactly what statsmodels' proportion_confint(x, n, alpha=0.05,
    method="wilson") gives (the engine's proportion recompute used the latter), for every count up to n = 300 and
    for some larger samples; the edges (0 or n events) are statsmodels' own answers."""
    import random

    from statsmodels.stats.proportion import proportion_confint

    from evidence.stats.wilson import wilson_95

    pairs = [(x, n) for n in range(1, 301) for x in range(n + 1)]
    rng = random.Random(9)
    pairs += [(rng.randint(0, n), n) for n in (rng.randint(301, 100000) for _ in range(2000))]
    for x, n in pairs:
        assert wilson_95(x, n) == proportion_confint(x, n, alpha=0.05, method="wilson"), (x, n)
    assert wilson_95(14, 20) == proportion_confint(14, 20, alpha=0.05, method="wilson")
