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
