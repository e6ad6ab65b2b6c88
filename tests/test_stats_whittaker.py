"""Whittaker et al. (2021) pooled odds ratios from the curated per-arm counts.

Target (Whittaker E, Dadabayev AR, Joshi SA, Glue P, Ther Adv Psychopharmacol 2021, abstract;
data/estimates.csv rows whittaker2021_sad_or and whittaker2021_ptsd_or):
    SAD  treatment response OR 28.94 (95% CI 3.45-242.57), p = 0.002
    PTSD treatment response OR 2.03 (95% CI 0.67-6.15), p = 0.21

The per-arm counts are read at test time through the data layer (data/outcomes.csv rows
whose ``analysis_ids`` contain ``whittaker2021_sad`` / ``whittaker2021_ptsd``) and compared
with the tables their papers print (``CURATED`` below).

STATUS (marked xfail below): the curated counts are incomplete.  Only Taylor
2018 (SAD, 6/18 vs 0/18) and Feder 2021 (PTSD, 10/15 vs 3/15) were found; Glue
2020 (SAD) and Feder 2014 / Dadabayev 2020 (PTSD) print no responder counts in
any source read (data/curation/trials.md).  The reproduction test is
``xfail(strict=True)``: once the missing rows are curated and the printed ORs
are reproduced, it XPASSes, which fails the run, and the marker must go.
"""
from __future__ import annotations

import math

import pandas as pd
import pytest
from conftest import DATA, Z_975
from numpy.testing import assert_allclose

from evidence.db import load_db
from evidence.stats.consistency import check_ci_p, check_estimate_ci
from evidence.stats.meta import meta_analysis

TARGETS = {
    # analysis id: (OR, CI low, CI high, p) as printed in the abstract
    "whittaker2021_sad": ("28.94", "3.45", "242.57", "0.002"),
    "whittaker2021_ptsd": ("2.03", "0.67", "6.15", "0.21"),
}

#: the trials each published analysis pooled (Whittaker 2021, abstract and Figure 2; data/curation/trials.md)
POOLED = {
    "whittaker2021_sad": {"taylor2018", "glue2020"},
    "whittaker2021_ptsd": {"feder2014", "feder2021", "dadabayev2020"},
}

#: every per-arm table curated for these analyses, as its paper prints it (events_t, n_t, events_c, n_c):
#: Taylor 2018 abstract (PMC5729569) "33.33% response ketamine vs 0% response placebo", 18 crossed over;
#: Feder 2021 abstract "67% ... treatment responders, compared with 20%", 15 per arm (NCT02397889 flow).
#: A new curated row must be added here with its source, or this test fails: nothing vanishes silently.
CURATED = {
    "whittaker2021_sad": {"taylor2018": (6, 18, 0, 18)},
    "whittaker2021_ptsd": {"feder2021": (10, 15, 3, 15)},
}


@pytest.fixture(scope="module")
def db():
    return load_db(DATA)


def tagged_rows(db, analysis_id: str) -> pd.DataFrame:
    rows = db.outcomes_for(analysis_id)
    rows = rows[rows["outcome_type"] == "binary"]
    return pd.DataFrame({
        "study": rows["source_id"],
        "events_treat": rows["events_treat"].astype(float),
        "n_treat": rows["n_treat"].astype(float),
        "events_ctrl": rows["events_ctrl"].astype(float),
        "n_ctrl": rows["n_ctrl"].astype(float),
    }).reset_index(drop=True)


@pytest.mark.parametrize("analysis_id", sorted(TARGETS))
def test_printed_values_are_internally_consistent(analysis_id):
    # Whatever the counts, the printed OR must be the geometric centre of its CI and the CI must
    # imply the printed p (log-scale Wald interval, as RevMan prints).
    est, lo, hi, p = TARGETS[analysis_id]
    assert check_estimate_ci(est, lo, hi).ok
    assert check_ci_p(est, lo, hi, p).ok


@pytest.mark.parametrize("analysis_id", sorted(TARGETS))
def test_curated_rows_are_the_printed_tables(db, analysis_id):
    d = tagged_rows(db, analysis_id)
    got = {r.study: (r.events_treat, r.n_treat, r.events_ctrl, r.n_ctrl) for r in d.itertuples()}
    assert got == CURATED[analysis_id]
    assert set(got) <= POOLED[analysis_id], "a tagged study the published analysis did not pool"


def test_single_curated_studies_give_the_closed_form_odds_ratio(db):
    # Each curated table on its own (Woolf; 0.5 added to every cell of a table with a zero, RevMan's rule):
    #   Taylor 2018 6/18 vs 0/18: OR = (6.5*18.5)/(12.5*0.5) = 19.24, SE^2 = 1/6.5 + 1/12.5 + 1/0.5 + 1/18.5
    #   Feder 2021 10/15 vs 3/15: OR = (10*12)/(5*3) = 8, SE^2 = 1/10 + 1/5 + 1/3 + 1/12
    sad = meta_analysis(tagged_rows(db, "whittaker2021_sad"), measure="OR", method="MH", correction="all_if_zero")
    se = math.sqrt(1 / 6.5 + 1 / 12.5 + 1 / 0.5 + 1 / 18.5)
    assert_allclose([sad.estimate, sad.se], [6.5 * 18.5 / (12.5 * 0.5), se], rtol=1e-12)
    assert_allclose([sad.ci_low, sad.ci_high], [19.24 * math.exp(-Z_975 * se), 19.24 * math.exp(Z_975 * se)],
                    rtol=1e-12)
    ptsd = meta_analysis(tagged_rows(db, "whittaker2021_ptsd"), measure="OR", method="MH")
    assert_allclose([ptsd.estimate, ptsd.se], [8.0, math.sqrt(1 / 10 + 1 / 5 + 1 / 3 + 1 / 12)], rtol=1e-12)


@pytest.mark.xfail(
    strict=True, raises=AssertionError,
    reason="curated counts incomplete: Glue 2020 (SAD) and Feder 2014 / Dadabayev 2020 (PTSD) responder "
           "counts not found (data/curation/trials.md); remove this marker once reproduced",
)
@pytest.mark.parametrize("analysis_id", sorted(TARGETS))
def test_reproduces_whittaker_pooled_or(db, analysis_id):
    # RevMan's model for these analyses is not stated in the abstract; accept any of its standard
    # dichotomous models (MH fixed, IV fixed, DL random on MH or IV) with RevMan's 0.5 correction.
    # Tolerance: half a unit in the printed 2nd decimal.
    est, lo, hi, _ = (float(x) for x in TARGETS[analysis_id])
    d = tagged_rows(db, analysis_id)
    # fails here today, and only here: fewer trials are curated than the published analysis pooled
    assert set(d["study"]) == POOLED[analysis_id], f"curated {sorted(d['study'])}, pooled {sorted(POOLED[analysis_id])}"
    fits = [meta_analysis(d, measure="OR", method=m, correction="all_if_zero") for m in ("MH", "FE", "DL", "MH_DL")]
    matches = [f for f in fits if all(abs(x - y) <= 0.005 for x, y in ((f.estimate, est), (f.ci_low, lo), (f.ci_high, hi)))]
    assert matches, [(f.method, round(f.estimate, 2), round(f.ci_low, 2), round(f.ci_high, 2)) for f in fits]


# --------------------------------------------------------------------------
# Method checks on two 2x2 tables with zero cells. (During curation a search found that
# 6/18 vs 0/17 with 8/12 vs 0/12 reproduces the printed SAD OR under inverse variance; tables
# solved to give a result cannot test the method that produced it, so they are used here only
# as input, and the expected values are the closed-form estimators, by hand.)
# --------------------------------------------------------------------------
TABLES = [(6, 18, 0, 17), (8, 12, 0, 12)]   # (events_t, n_t, events_c, n_c), both with a zero cell


def _frame():
    return pd.DataFrame({"study": ["one", "two"], "events_treat": [t[0] for t in TABLES],
                         "n_treat": [t[1] for t in TABLES], "events_ctrl": [t[2] for t in TABLES],
                         "n_ctrl": [t[3] for t in TABLES]})


def _cells():
    # 0.5 added to every cell of each table (each has a zero): a, b, c, d
    return [(a + 0.5, n1 - a + 0.5, c + 0.5, n2 - c + 0.5) for a, n1, c, n2 in TABLES]


def test_inverse_variance_with_half_added_is_the_woolf_pool():
    y = [math.log(a * d / (b * c)) for a, b, c, d in _cells()]
    w = [1 / (1 / a + 1 / b + 1 / c + 1 / d) for a, b, c, d in _cells()]
    mu = sum(wi * yi for wi, yi in zip(w, y)) / sum(w)
    se = math.sqrt(1 / sum(w))
    res = meta_analysis(_frame(), measure="OR", method="FE", correction="all_if_zero")
    assert_allclose([res.estimate, res.ci_low, res.ci_high],
                    [math.exp(mu), math.exp(mu - Z_975 * se), math.exp(mu + Z_975 * se)], rtol=1e-10)


def test_mantel_haenszel_with_half_added_is_the_mh_ratio():
    # OR_MH = sum(a d / n) / sum(b c / n) over the corrected tables (n = a + b + c + d)
    cells = _cells()
    num = sum(a * d / (a + b + c + d) for a, b, c, d in cells)
    den = sum(b * c / (a + b + c + d) for a, b, c, d in cells)
    res = meta_analysis(_frame(), measure="OR", method="MH", correction="all_if_zero")
    assert_allclose(res.estimate, num / den, rtol=1e-10)
    # and it differs from the inverse-variance pool on the same tables by more than the printed rounding
    iv = meta_analysis(_frame(), measure="OR", method="FE", correction="all_if_zero")
    assert abs(res.estimate - iv.estimate) > 0.01
