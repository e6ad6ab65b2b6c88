"""One engine (issue 15 item 7): on the curated articles, `evidence check` gives the curated verdict for every
curated quote it detects, through the same engine `evidence claims` uses (evidence.claims.evaluate_claim)."""
from __future__ import annotations

from pathlib import Path

import pytest

from evidence.check import check
from evidence.check.recall import compatible, locate, match_key, read_curated
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
            if verdicts[row["claim_id"]] not in {c["verdict"] for c in hits}:
                disagree += 1
    # 111 of the 114 curated quotes were detected (bench_check.py recall); all of them must agree. Since session 9
    # (precision f735cac) a bare description of ketamine as an anaesthetic is background, listed as "not a claim" with
    # the reason, as the labelled corpus's rule 1 has it (tests/corpus/README.md: "the corpus rule is narrower, so
    # check may be told apart on such sentences without either being wrong"): the curated 000-12 ("Ketamine,
    # traditionally an anesthetic"), 003-13 ("ketamine hydrochloride, is an anesthetic painkiller") and 004-04
    # ("ketamine was initially developed as an anesthetic"), all accurate in claims.csv, are no longer listed: 108.
    assert detected >= 108
    assert disagree == 0
