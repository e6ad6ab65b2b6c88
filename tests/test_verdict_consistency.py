"""Verdicts that survive review (issue 14, Deliver 4-5).

* Claims that rest on the same evidence with the same wording get the same verdict,
  unless a written review (``review_note``) explains the difference.
* Every claim carries the depth of its check, and no claim with per-arm counts behind
  it is checked by looking up a printed figure, unless a review says why.
"""
from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pytest

from evidence.claims import DEPTH, evaluate_all
from evidence.db import load_db

DATA = Path(__file__).resolve().parents[1] / "data"
#: claim types whose figure could come from per-arm counts
COUNT_TYPES = {"response_rate", "effect_size", "nnt", "nnh"}
LOOKUPS = {"fact", "estimate", "prevalence", "count"}


@pytest.fixture(scope="module")
def db():
    return load_db(DATA)


@pytest.fixture(scope="module")
def table(db):
    claims = db.table("claims").records
    verdicts = evaluate_all(db).set_index("claim_id")
    return claims, verdicts


def _key(rec):
    text = " ".join(str(rec.get("claimed_text") or "").lower().split())
    return (rec.get("recompute") or "none", text, rec.get("claimed_value"), rec.get("claimed_low"),
            rec.get("claimed_high"), rec.get("qualifier"), rec.get("claimed_unit"))


def test_same_evidence_and_wording_same_verdict(table):
    claims, verdicts = table
    groups = defaultdict(list)
    for rec in claims:
        if (rec.get("recompute") or "none") != "none":
            groups[_key(rec)].append(rec)
    compared = 0
    for recs in groups.values():
        if len(recs) < 2:
            continue
        compared += len(recs)
        found = {r["claim_id"]: verdicts.loc[r["claim_id"], "verdict"] for r in recs}
        if len(set(found.values())) > 1:
            unexplained = [cid for cid in found if not any(o in (verdicts.loc[cid, "review_note"] or "")
                                                           for o in found if o != cid)]
            assert not unexplained, f"same evidence and wording, different verdicts: {found}"
    # the five articles repeat themselves: 'anesthetic' five times, 'within hours' four times, ...
    assert compared >= 15   # 19 claims in 8 groups on 2026-12-01


def test_every_claim_has_a_depth(table):
    _, verdicts = table
    assert set(verdicts["depth"]) <= set(DEPTH.values()) | {"derived from printed figures"}
    counts = verdicts["depth"].value_counts()
    assert counts.get("recomputed from counts", 0) >= 2     # 000-21 (10/12, Glue 2017) and 003-07 (Taylor 2018)


def test_no_claim_with_counts_behind_it_is_checked_by_lookup(db, table):
    claims, _ = table
    with_counts = {r["source_id"] for r in db.table("outcomes").records
                   if r.get("events_treat") is not None and r.get("n_treat") is not None}
    offenders = []
    for rec in claims:
        method = (rec.get("recompute") or "none").split(":")[0]
        sources = set((rec.get("source_ids") or "").split(";"))
        if rec["claim_type"] in COUNT_TYPES and method in LOOKUPS and sources & with_counts:
            if "counts" not in (rec.get("review_note") or "") + (rec.get("search_note") or ""):
                offenders.append(rec["claim_id"])
    assert not offenders
