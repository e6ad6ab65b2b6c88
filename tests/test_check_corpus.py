"""`evidence check` on the dev split of the labelled corpus of unseen pages (tests/corpus/, issue 15).

The floors below are what `check` achieved on the dev split when the corpus landed (2026-12-01,
``python benchmarks/bench_check_corpus.py --split dev``), rounded to the whole percent in the safe
direction: a regression fails the build. The `check` helper raises them as `check` improves; the issue's
targets are detection >= 90%, agreement >= 85%, confident verdicts on unknown claims <= 10%, items
outside expected claims <= 20%. Only the dev split is used here: the holdout split is for the final
measurement only.
"""
from __future__ import annotations

import csv
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "benchmarks"))

import bench_check_corpus as bench  # noqa: E402

# measure -> (direction, bound). Measured on dev (16 pages, 96 claims) on 2026-12-01 with main at 9885c8c:
# detection 77/96, agreement 15/36, confident verdicts on unknown 24/35, items outside expected claims 102/219.
# After the check redesign (branch check, 2026-12-01 ~22:00 UTC): detection 92/96, agreement 20/21, confident
# verdicts on unknown 1/43, outside 87/217; then (~22:10) detection 91/96, agreement 23/24, 1/42, outside 68/192. Floors: the targets where they are met, else today's figure.
# Dev grew to 20 pages, 111 claims (corpus batch 3, ~22:40): detection 99/111, agreement 23/25, confident verdicts
# on unknown 1/46, outside 85/232 with main at 5cdfe5a's check; detection floor lowered to that figure (0.89).
# Session 2 (branch check, 2026-12-02 ~00:05 UTC, not-a-claim list): detection 99/111, agreement 26/27, unknown
# 1/46, outside 45/187 (24%); outside ceiling lowered to 26%.
FLOORS = {
    "detection": ("min", 0.89),
    "agreement": ("min", 0.85),
    "confident_on_unknown": ("max", 0.10),
    "outside_share": ("max", 0.26),
}


@pytest.fixture(scope="module")
def dev():
    return bench.run("dev")


@pytest.mark.parametrize("measure", sorted(FLOORS))
def test_dev_floor(dev, measure):
    direction, bound = FLOORS[measure]
    got = dev["overall"][measure]
    assert got is not None, f"{measure}: nothing to measure on dev"
    if direction == "min":
        assert got >= bound, f"{measure} on dev fell to {got:.1%} (floor {bound:.0%})"
    else:
        assert got <= bound, f"{measure} on dev rose to {got:.1%} (ceiling {bound:.0%})"


def test_every_labelled_quote_is_found_in_checks_text(dev):
    assert dev["unlocated_labels"] == []


def test_corpus_is_well_formed():
    """Every label quotes its page verbatim, once, with a known kind and expected verdict."""
    root = REPO / "tests" / "corpus"
    pages = {r["page_id"]: r for r in csv.DictReader(open(root / "pages.csv", encoding="utf-8"))}
    assert {r["split"] for r in pages.values()} <= {"dev", "holdout"}
    kinds = {"prevalence", "sample_size", "response_rate", "symptom_change", "effect_size", "dose_route", "onset",
             "durability", "regulatory_status", "design", "attribution", "safety", "comparison", "other"}
    ids = set()
    for name in ("labels.csv", "non_claims.csv"):
        for i, r in enumerate(csv.DictReader(open(root / name, encoding="utf-8")), start=2):
            assert r["page_id"] in pages, f"{name} row {i}: unknown page_id {r['page_id']}"
            text = bench.page_file(r["page_id"]).read_text(encoding="utf-8")
            assert text.count(r["quote"]) == 1, f"{name} row {i}: quote not found exactly once in its page"
            if name == "labels.csv":
                assert r["kind"] in kinds, f"labels.csv row {i}: kind {r['kind']!r}"
                assert r["expected"] in {"holds", "fails", "unknown"}, f"labels.csv row {i}: expected"
                assert r["settleable_by_data"] in {"yes", "no"}, f"labels.csv row {i}: settleable_by_data"
                assert r["reason"].strip(), f"labels.csv row {i}: no reason"
                assert r["label_id"] not in ids, f"labels.csv row {i}: duplicate label_id"
                ids.add(r["label_id"])


def test_matching_rule_handles_folded_whitespace_and_quotes():
    # the rule used when check's extracted text differs from the stored page (HTML, normalised quotes)
    assert bench.locate("a  b\u2019s\n c", "b's c") == (3, 9)
    assert bench.locate("abc", "zzz") is None


def test_scoring_rules_on_a_made_up_page(monkeypatch):
    """The matching and counting rules of the benchmark, on a page whose detected items are fixed."""
    text = "Ketamine helps 70% of patients. It costs $400. Yale found 18 days in 2013."
    items = [
        bench.Item(15, 18, "70%", "accurate", True),          # on claim A, agrees (holds)
        bench.Item(41, 45, "$400", "not checkable here", None),  # on a non-claim
        bench.Item(59, 66, "18 days", "overstated", False),   # on claim B (unknown): a confident verdict
        bench.Item(70, 74, "2013", "accurate", True),         # on claim C (holds) ...
        bench.Item(70, 74, "2013", "misattributed", False),   # ... and conflicting there
        bench.Item(0, 8, "Ketamine", "accurate", True),       # outside every label
    ]
    monkeypatch.setattr(bench, "page_file", lambda pid: Path("unused"))
    monkeypatch.setattr(bench, "items_of", lambda path, data_dir=None: (text, items))
    labels = [
        {"label_id": "A", "quote": "helps 70% of patients", "kind": "response_rate", "expected": "holds",
         "settleable_by_data": "yes"},
        {"label_id": "B", "quote": "18 days", "kind": "durability", "expected": "unknown", "settleable_by_data": "no"},
        {"label_id": "C", "quote": "in 2013", "kind": "attribution", "expected": "holds", "settleable_by_data": "no"},
        {"label_id": "D", "quote": "Yale found", "kind": "attribution", "expected": "holds", "settleable_by_data": "no"},
    ]
    sc = bench.score_page({"page_id": "x", "split": "dev"}, labels, [{"quote": "$400"}])
    f = bench.figures(sc)
    assert (f["detected"], f["labels"]) == (3, 4)                      # D has no item
    assert (f["holds_fails_agree"], f["holds_fails_with_verdict"]) == (1, 2)   # A agrees, C conflicts
    assert (f["unknown_confident"], f["unknown_detected"]) == (1, 1)
    assert (f["items_outside"], f["items"], f["items_on_non_claims"]) == (2, 6, 1)  # "$400" and "Ketamine"
    assert [c["got"] for c in sc.detail] == ["holds", "fails", "conflicting", "not detected"]
