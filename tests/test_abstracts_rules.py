"""Curation rules for issue #14 (citations, bookkeeping): each is caught on a small broken fixture.

The fixture is the one synthetic evidence base (tests/synthetic.py); each case breaks one cell and the
rule must name file, line, column and rule, while the real data pass (test_validate.test_real_data_pass).
"""
from __future__ import annotations

import pytest
from synthetic import add_copy, assert_caught, mutate   # tests/synthetic.py: the one synthetic base

from evidence.validate import validate_data


# (table, row, changes, file, line, column, rule)
BROKEN = [
    # url is the canonical address, never a mirror, proxy or raw IP (the copy read goes in read_via)
    ("sources", 1, {"url": "https://www.scribd.com/document/1/x"}, "sources.csv", 3, "url", "canonical-url"),
    ("sources", 1, {"url": "http://47.251.13.51:8081/38636712"}, "sources.csv", 3, "url", "canonical-url"),
    ("sources", 1, {"url": "https://fda.report/DailyMed/46dab560"}, "sources.csv", 3, "url", "canonical-url"),
    # stands_in_for names existing sources, and not itself
    ("sources", 1, {"stands_in_for": "ghost2020"}, "sources.csv", 3, "stands_in_for", "foreign-key"),
    ("sources", 1, {"stands_in_for": "trial_b"}, "sources.csv", 3, "stands_in_for", "foreign-key"),   # itself
    ("sources", 1, {"read_what": "tweet"}, "sources.csv", 3, "read_what", "enum"),
    # a note that contradicts its row (the three whittaker2021_* outcome rows of issue #14)
    ("outcomes", 0, {"notes": "Probable input to ma1, unverified (analysis_ids blank)."}, "outcomes.csv", 2, "analysis_ids",
     "note-contradicts-row"),
    ("facts", 0, {"notes": "value_num left blank because it is a range."}, "facts.csv", 2, "value_num", "note-contradicts-row"),
    # 'reported' on a figure that was computed or assumed (Taylor 2018 / Feder 2021 n_analysed, ADAA period, NIMH data_years)
    ("outcomes", 0, {"arithmetic": "33.33% of 18 = 6"}, "outcomes.csv", 2, "provenance", "reported-with-arithmetic"),
    ("sources", 0, {"n_analysed": "18", "notes": "n_analysed=18 for LSAS response (33.33% = 6/18)."}, "sources.csv", 2,
     "provenance", "reported-with-arithmetic"),
    ("sources", 0, {"n_analysed": "30", "notes": "n_analysed=30 assumes responder % are of all randomized."}, "sources.csv", 2,
     "provenance", "reported-with-arithmetic"),
    ("prevalence", 0, {"notes": "Period not printed; lifetime inferred from context."}, "prevalence.csv", 2, "provenance",
     "reported-with-arithmetic"),
    ("prevalence", 0, {"data_years": "2001-2003", "notes": "Lifetime bullet prints no years; data_years = NCS-R fieldwork."},
     "prevalence.csv", 2, "provenance", "reported-with-arithmetic"),
    # a percentage that is no whole count of its n (Taylor 2018 VAS placebo: 52.94% of 18)
    ("estimates", 0, {"measure": "pct_responders", "estimate": "52.94", "ci_low": "", "ci_high": "", "n_participants": "18"},
     "estimates.csv", 2, "n_participants", "pct-whole-count"),
]


@pytest.fixture
def fixture_data(synthetic_data):
    return synthetic_data  # tests/conftest.py: a fresh copy of the one synthetic base


@pytest.mark.parametrize("table,row,changes,file,line,column,rule", BROKEN,
                         ids=[f"{b[0]}-{b[-1]}-{list(b[2])[0]}-{i}" for i, b in enumerate(BROKEN)])
def test_each_curation_rule_is_caught(fixture_data, table, row, changes, file, line, column, rule):
    assert_caught(fixture_data, table, row, changes, file, line, column, rule)


def test_copy_read_without_canonical_address_is_enough(fixture_data):
    # a source whose canonical address was never seen keeps only the copy read (e.g. the Guardian via a reproduction)
    mutate(fixture_data, "sources", 1, url="", read_via="http://survivalistbriefing.com/2023/04/11/x/")
    assert validate_data(fixture_data) == []
    mutate(fixture_data, "sources", 1, read_via="")
    assert [i.rule for i in validate_data(fixture_data)] == ["source-identifier"]


def test_canonical_official_addresses_pass(fixture_data):
    for url in ("https://doi.org/10.1038/npp.2017.194", "https://pubmed.ncbi.nlm.nih.gov/36112599/",
                "https://www.nimh.nih.gov/health/statistics/any-anxiety-disorder.shtml"):
        mutate(fixture_data, "sources", 1, url=url)
        assert validate_data(fixture_data) == [], url


@pytest.mark.parametrize("pct,n", [("33.33", "18"), ("52.94", "17"), ("0", "18"), ("88.89", "18"), ("67", "15"), ("50", "8")])
def test_whole_counts_pass(fixture_data, pct, n):
    # Taylor 2018: 33.33% = 6/18, 52.94% = 9/17, 88.89% = 16/18; Feder 2021: 67% ~ 10/15; Rodriguez 2013: 50% = 4/8
    mutate(fixture_data, "estimates", 0, measure="pct_responders", estimate=pct, ci_low="", ci_high="", n_participants=n)
    assert validate_data(fixture_data) == []


def test_duplicate_outcome_rows_are_caught(fixture_data):
    # Glue 2017: two rows carried "Ten of 12 patients were treatment responders" with different wording
    add_copy(fixture_data, "outcomes", 0, outcome_id="o2", outcome="responders (reworded)", timepoint="after dosing")
    issues = [(i.file, i.line, i.rule) for i in validate_data(fixture_data)]
    assert ("outcomes.csv", 9, "duplicate-figure") in issues   # the copy: after the header and 7 synthetic rows


def test_duplicate_estimate_rows_are_caught_unless_explained(fixture_data):
    # Taylor 2018: _lsas_resp_ketamine and _lsas_response_pct_ketamine both printed 33.33
    mutate(fixture_data, "estimates", 0, measure="pct_responders", estimate="33.33", ci_low="", ci_high="", n_participants="18")
    add_copy(fixture_data, "estimates", 0, estimate_id="e2", outcome="same figure, other words")
    assert [(i.line, i.rule) for i in validate_data(fixture_data)] == [(6, "duplicate-figure")]   # after 4 rows
    # a genuine repeat (two scales that fell by the same printed amount) says so
    mutate(fixture_data, "estimates", 4, notes="not_duplicate: a different scale printed with the same value")
    assert validate_data(fixture_data) == []


def test_inferred_rows_with_their_arithmetic_pass(fixture_data):
    mutate(fixture_data, "sources", 0, n_analysed="18", provenance="inferred",
           arithmetic="n_analysed = 18 is inferred, not printed: 33.33% = 6/18")
    mutate(fixture_data, "outcomes", 0, notes="analysis_ids = ma1 records an inferred, unverified membership.")
    assert validate_data(fixture_data) == []
