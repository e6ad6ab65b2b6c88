"""One engine (issue 15 item 7): on the curated articles, `evidence check` gives the curated verdict for every
curated quote it detects, through the same engine `evidence claims` uses (evidence.claims.evaluate_claim)."""
from __future__ import annotations

from pathlib import Path

import pytest

from evidence.check import check
from evidence.check.recall import compatible, locate, match_key, read_curated
from evidence.check.sift import REASON_PART
from evidence.claims import evaluate_all
from evidence.db import load_db

DATA = Path(__file__).resolve().parents[1] / "data"


@pytest.fixture(scope="module")
def curated():
    db = load_db(DATA)
    verdicts = dict(zip(evaluate_all(db)["claim_id"], evaluate_all(db)["verdict"]))
    files, claims = read_curated(DATA)
    return verdicts, files, claims


def test_check_agrees_with_claims_on_every_detected_curated_quote(curated):
    verdicts, files, claims = curated
    detected = disagree = 0
    parts_only: list[str] = []
    for art, rows in claims.items():
        report = check((DATA / files[art]).read_bytes(), filename=Path(files[art]).name)
        key = match_key(report.text)
        for row in rows:
            span = locate(row["quote"], report.text, key)
            hits = [c for c in report.claims if span and c["start"] < span[1] and span[0] < c["end"]
                    and compatible(c["claim_type"], row["claim_type"])]
            if not hits:
                continue
            detected += 1
            if all(c.get("reason") == REASON_PART for c in hits):
                parts_only.append(row["claim_id"])     # found only as a part of its sentence, not checkable here
            elif verdicts[row["claim_id"]] not in {c["verdict"] for c in hits}:
                disagree += 1
    # 111 of the 114 curated quotes were detected (bench_check.py recall); all of them must agree. Since session 9
    # (precision f735cac) a bare description of ketamine as an anaesthetic is background, listed as "not a claim" with
    # the reason, as the labelled corpus's rule 1 has it (tests/corpus/README.md: "the corpus rule is narrower, so
    # check may be told apart on such sentences without either being wrong"): the curated 000-12 ("Ketamine,
    # traditionally an anesthetic"), 003-13 ("ketamine hydrochloride, is an anesthetic painkiller") and 004-04
    # ("ketamine was initially developed as an anesthetic"), all accurate in claims.csv, are no longer listed: 108.
    assert detected >= 108
    assert disagree == 0
    # since residual (session 9) the uncovered remainder of a claim sentence is listed on its own, not checkable here:
    # one curated quote is found that way only ("found that Ketamine significantly improved anxiety symptoms", whose
    # curated verdict rests on Whittaker 2021's count of significant trials, a figure the sentence does not state).
    # It abstains rather than disagrees; any other quote found only so would be a new class and fails here. Since the
    # thirteen-split refit (session 10, holdout12 joined) that remainder scores under the remainder threshold and is
    # not listed at all: a miss (counted out of ``detected`` above), not a disagreement
    assert parts_only in ([], ["000-16"])
