"""Whittaker et al. (2021) pooled odds ratios from the curated per-arm counts.

Target (Whittaker E, Dadabayev AR, Joshi SA, Glue P, Ther Adv Psychopharmacol 2021, abstract;
data/estimates.csv rows whittaker2021_sad_or and whittaker2021_ptsd_or):
    SAD  treatment response OR 28.94 (95% CI 3.45-242.57), p = 0.002
    PTSD treatment response OR 2.03 (95% CI 0.67-6.15), p = 0.21

The per-arm counts are read at test time from data/outcomes.csv, rows whose
``analysis_ids`` contain ``whittaker2021_sad`` / ``whittaker2021_ptsd``.

STATUS (marked xfail below): the curated counts are incomplete.  Only Taylor
2018 (SAD, 6/18 vs 0/18) and Feder 2021 (PTSD, 10/15 vs 3/15) were found; Glue
2020 (SAD) and Feder 2014 / Dadabayev 2020 (PTSD) print no responder counts in
any source read (data/curation/trials.md).  The reproduction test is
``xfail(strict=True)``: once the missing rows are curated and the printed ORs
are reproduced, it XPASSes, which fails the run, and the marker must go.
"""
from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest
from numpy.testing import assert_allclose

from evidence.stats.consistency import check_ci_p, check_estimate_ci
from evidence.stats.meta import meta_analysis

DATA = Path(__file__).resolve().parents[1] / "data"
OUTCOMES = DATA / "outcomes.csv"

TARGETS = {
    # analysis id: (OR, CI low, CI high, p) as printed in the abstract
    "whittaker2021_sad": ("28.94", "3.45", "242.57", "0.002"),
    "whittaker2021_ptsd": ("2.03", "0.67", "6.15", "0.21"),
}


def tagged_rows(analysis_id: str) -> pd.DataFrame:
    if not OUTCOMES.exists():
        pytest.skip(f"{OUTCOMES} not curated yet")
    o = pd.read_csv(OUTCOMES, dtype=str, keep_default_na=False)
    ids = o["analysis_ids"].str.split(";").map(lambda xs: [x.strip() for x in xs])
    rows = o[ids.map(lambda xs: analysis_id in xs) & (o["outcome_type"] == "binary")]
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
def test_tagged_rows_are_valid_input(analysis_id):
    d = tagged_rows(analysis_id)
    assert len(d) >= 1, f"no binary rows in {OUTCOMES.name} are tagged {analysis_id}"
    r = meta_analysis(d, measure="OR", method="MH")
    assert r.k == len(d)
    assert r.ci_low < r.estimate < r.ci_high


def test_available_counts_single_studies():
    # What the curated rows give on their own (closed form, 0.5 added to every cell of a table with a zero):
    #   Taylor 2018 6/18 vs 0/18: OR = (6.5*18.5)/(12.5*0.5) = 19.24, SE^2 = 1/6.5 + 1/12.5 + 1/0.5 + 1/18.5
    #   Feder 2021 10/15 vs 3/15: OR = (10*12)/(5*3) = 8
    sad = tagged_rows("whittaker2021_sad")
    if len(sad) == 1:
        r = meta_analysis(sad, measure="OR", method="MH")
        a, n1, c, n2 = sad.iloc[0, 1:].tolist()
        if (a, n1, c, n2) == (6, 18, 0, 18):
            assert_allclose(r.estimate, 6.5 * 18.5 / (12.5 * 0.5), rtol=1e-12)
            assert_allclose(r.se, math.sqrt(1 / 6.5 + 1 / 12.5 + 1 / 0.5 + 1 / 18.5), rtol=1e-12)
    ptsd = tagged_rows("whittaker2021_ptsd")
    if len(ptsd) == 1 and tuple(ptsd.iloc[0, 1:]) == (10, 15, 3, 15):
        assert_allclose(meta_analysis(ptsd, measure="OR", method="MH").estimate, 8.0, rtol=1e-12)


@pytest.mark.xfail(
    strict=True,
    reason="curated counts incomplete: Glue 2020 (SAD) and Feder 2014 / Dadabayev 2020 (PTSD) responder "
           "counts not found (data/curation/trials.md); remove this marker once reproduced",
)
@pytest.mark.parametrize("analysis_id", sorted(TARGETS))
def test_reproduces_whittaker_pooled_or(analysis_id):
    # RevMan's model for these analyses is not stated in the abstract; accept any of its standard
    # dichotomous models (MH fixed, IV fixed, DL random on MH or IV) with RevMan's 0.5 correction.
    # Tolerance: half a unit in the printed 2nd decimal.
    est, lo, hi, _ = (float(x) for x in TARGETS[analysis_id])
    d = tagged_rows(analysis_id)
    assert len(d) >= 2, f"only {len(d)} study tagged {analysis_id}; the published analysis pooled more"
    fits = [meta_analysis(d, measure="OR", method=m, correction="all_if_zero") for m in ("MH", "FE", "DL", "MH_DL")]
    matches = [f for f in fits if all(abs(x - y) <= 0.005 for x, y in ((f.estimate, est), (f.ci_low, lo), (f.ci_high, hi)))]
    assert matches, [(f.method, round(f.estimate, 2), round(f.ci_low, 2), round(f.ci_high, 2)) for f in fits]


# --------------------------------------------------------------------------
# Method consistency (not a reproduction). The per-arm counts Whittaker 2021
# pooled for SAD could not be read (see data/curation/trials.md and
# data/curation/counts.md). An exhaustive search over 2x2 tables with
# up to 30 per arm (the lead's solver, run once during curation) found that
# Taylor 2018 entered as 6/18 vs 0/17 together with a 12-vs-12 table 8/12 vs
# 0/12 gives the printed result exactly under inverse variance with 0.5 added
# to every cell of zero-cell studies. These two tables are a HYPOTHESIS used
# only to check the method; they are not in data/ and no verdict uses them.
# Printed target: OR 28.94 (95% CI 3.45-242.57), Whittaker et al. 2021,
# Ther Adv Psychopharmacol 11:20451253211056743, abstract.
# --------------------------------------------------------------------------
def _hypothetical_sad_tables():
    import pandas as pd

    return pd.DataFrame({"study": ["taylor2018 (6/18 vs 0/17)", "second SAD trial (8/12 vs 0/12)"],
                         "events_treat": [6, 8], "n_treat": [18, 12], "events_ctrl": [0, 0], "n_ctrl": [17, 12]})


def test_iv_with_half_added_to_zero_cell_studies_gives_the_printed_precision():
    from numpy.testing import assert_allclose

    from evidence.stats.meta import meta_analysis

    res = meta_analysis(_hypothetical_sad_tables(), measure="OR", method="FE", correction="all_if_zero")
    # printed to 2 decimals: tolerance is half a unit in the last printed digit
    assert_allclose([res.estimate, res.ci_low, res.ci_high], [28.94, 3.45, 242.57], atol=0.005)
    assert round(res.p, 3) == 0.002


def test_mantel_haenszel_does_not_give_the_printed_result_on_the_same_tables():
    from evidence.stats.meta import meta_analysis

    res = meta_analysis(_hypothetical_sad_tables(), measure="OR", method="MH", correction="all_if_zero")
    assert abs(res.estimate - 28.94) > 0.5 or abs(res.ci_low - 3.45) > 0.05
