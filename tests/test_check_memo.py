"""evidence.check.memo.IdentityMemo: the one helper behind the memos keyed by the object in use (the classifier's
readings and clauses for the model, claimclf._READINGS and _CLAUSES; the population figures for the index's candidate
list, gate._FIGURES_OF). Output is unchanged by it: benchmarks/bench_check_same.py --base d866f37, 179/179 inputs
byte-identical."""
from __future__ import annotations

from evidence.check import claimclf, gate
from evidence.check.memo import IdentityMemo


def test_entries_hold_for_one_owner_and_start_afresh_for_another():
    memo, calls = IdentityMemo(), []
    a, b = {"model": "a"}, {"model": "a"}          # equal, but two objects
    compute = lambda: calls.append(1) or len(calls)
    assert memo.get(a, "k", compute) == 1 and memo.get(a, "k", compute) == 1
    assert memo.get(b, "k", compute) == 2           # another object: never another's entry
    assert memo.get(a, "k", compute) == 3           # swapped back: a fresh table
    assert len(calls) == 3


def test_a_changed_stamp_starts_afresh_and_the_limit_clears_a_full_table():
    memo = IdentityMemo(limit=2)
    owner = [1, 2]
    assert memo.get(owner, "n", lambda: len(owner), stamp=len(owner)) == 2
    owner.append(3)                                  # grown in place: the stamp says so
    assert memo.get(owner, "n", lambda: len(owner), stamp=len(owner)) == 3
    t = memo.table(owner, len(owner))
    memo.put(t, "x", 1)
    assert set(t) == {"n", "x"}
    memo.put(t, "y", 2)                              # full at 2 entries: cleared first
    assert t == {"y": 2}


def test_the_check_memos_are_identity_memos():
    assert isinstance(claimclf._READINGS, IdentityMemo) and claimclf._READINGS.limit == 1 << 15
    assert isinstance(claimclf._CLAUSES, IdentityMemo) and claimclf._CLAUSES.limit == 1 << 14
    assert isinstance(gate._FIGURES_OF, IdentityMemo)
    # a model swapped in (as bench_check_corpus.py --cv does) reads with its own weights, not the memo's
    text = "Ketamine reduced depressive symptoms in a randomized trial."
    shipped = claimclf.model
    p_shipped = claimclf._reading(text, False, False, False)[0]
    try:
        m = dict(shipped(), intercept=shipped()["intercept"] - 5.0)
        claimclf.model = lambda: m
        assert claimclf._reading(text, False, False, False)[0] < p_shipped
    finally:
        claimclf.model = shipped
    assert claimclf._reading(text, False, False, False)[0] == p_shipped
