"""Edge cases of the meta-analysis engine: k = 1, zero cells, double zeros, tau^2 = 0, huge n.

Expected values here are closed-form arithmetic written out in the test (no
external reference is needed); tolerances are floating-point (rtol 1e-12).
"""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose

from evidence.stats.meta import meta_analysis

Z = 1.959963984540054


def counts(rows):
    return pd.DataFrame(rows, columns=["study", "events_treat", "n_treat", "events_ctrl", "n_ctrl"])


@pytest.mark.parametrize("method", ["FE", "DL", "PM", "REML", "ML", "MH", "PETO"])
def test_single_study(method):
    d = counts([("only", 12, 50, 6, 50)])
    r = meta_analysis(d, measure="OR", method=method)
    assert r.k == 1 and r.q == 0 and r.q_df == 0 and r.tau2 == 0
    assert math.isnan(r.q_p) and math.isnan(r.i2) and math.isnan(r.pi_low)
    if method == "PETO":
        # Peto OR of one table: (O - E)/V with O = 12, E = 50*18/100 = 9, V = 50*50*18*82/(100^2 * 99)
        v = 50 * 50 * 18 * 82 / (100**2 * 99)
        assert_allclose([r.log_estimate, r.se], [3 / v, 1 / math.sqrt(v)], rtol=1e-12)
    else:
        # Woolf: ln(12*44/(38*6)); Robins-Breslow-Greenland reduces to Woolf for one stratum
        assert_allclose(r.log_estimate, math.log(12 * 44 / (38 * 6)), rtol=1e-12)
        assert_allclose(r.se, math.sqrt(1 / 12 + 1 / 38 + 1 / 6 + 1 / 44), rtol=1e-12)
    assert r.studies.weight.tolist() == [100.0]
    d_json = r.to_dict()
    assert d_json["i2"] is None and d_json["pi_low"] is None


def test_single_study_hksj_falls_back():
    r = meta_analysis(counts([("only", 12, 50, 6, 50)]), method="DL", hksj=True)
    assert r.df is None and any("HKSJ" in n for n in r.notes)


def test_arm_with_no_events():
    d = counts([("zero arm", 0, 20, 5, 20), ("normal", 10, 40, 15, 40)])
    # Inverse variance with 0.5 added to all cells of study 1 (RevMan, metafor):
    y1, v1 = math.log(0.5 * 15.5 / (20.5 * 5.5)), 1 / 0.5 + 1 / 20.5 + 1 / 5.5 + 1 / 15.5
    y2, v2 = math.log(10 * 25 / (30 * 15)), 1 / 10 + 1 / 30 + 1 / 15 + 1 / 25
    fe = meta_analysis(d, measure="OR", method="FE")
    w1, w2 = 1 / v1, 1 / v2
    assert_allclose(fe.log_estimate, (w1 * y1 + w2 * y2) / (w1 + w2), rtol=1e-12)
    assert_allclose(fe.studies.yi, [y1, y2], rtol=1e-12)
    # Mantel-Haenszel with the same correction (RevMan 5 / metan / meta MH.exact=FALSE) …
    mh = meta_analysis(d, measure="OR", method="MH")
    R = 0.5 * 15.5 / 42 + 10 * 25 / 80  # corrected table 0.5, 20.5 / 5.5, 15.5 has N = 42
    S = 20.5 * 5.5 / 42 + 30 * 15 / 80
    assert_allclose(mh.log_estimate, math.log(R / S), rtol=1e-12)
    # … and exact, on the raw counts, with correction="none" (metafor rma.mh)
    ex = meta_analysis(d, measure="OR", method="MH", correction="none")
    assert_allclose(ex.log_estimate, math.log((0 + 10 * 25 / 80) / (20 * 5 / 40 + 30 * 15 / 80)), rtol=1e-12)
    # IV without correction cannot use the zero-cell study
    iv = meta_analysis(d, measure="OR", method="FE", correction="none")
    assert iv.k == 1 and not iv.studies.included[0] and iv.notes
    assert_allclose(iv.log_estimate, y2, rtol=1e-12)
    # treatment-arm correction (equal arms -> 0.5, the same as all_if_zero here)
    ta = meta_analysis(d, measure="OR", method="FE", correction="treatment_arm")
    assert_allclose(ta.log_estimate, fe.log_estimate, rtol=1e-12)


def test_double_zero_study():
    d = counts([("dz", 0, 30, 0, 30), ("a", 4, 30, 9, 30), ("b", 6, 40, 12, 40)])
    keep = meta_analysis(d, measure="OR", method="FE")  # all_if_zero keeps it: yi = ln(0.5*30.5/(30.5*0.5)) = 0
    assert keep.k == 3
    assert_allclose(keep.studies.yi[0], 0.0, atol=1e-15)
    drop = meta_analysis(d, measure="OR", method="FE", correction="exclude_double_zero")
    assert drop.k == 2 and not drop.studies.included[0]
    assert any("double-zero" in n for n in drop.notes)
    only_two = meta_analysis(d.iloc[1:], measure="OR", method="FE")
    assert_allclose(drop.log_estimate, only_two.log_estimate, rtol=1e-12)
    # MH and Peto: the double-zero table carries no weight whatever the correction
    for method in ("MH", "PETO"):
        r = meta_analysis(d, measure="OR", method=method)
        assert r.k == 2 and r.studies.weight[0] == 0.0
        assert_allclose(r.log_estimate, meta_analysis(d.iloc[1:], measure="OR", method=method).log_estimate, rtol=1e-12)
    # RD: a double-zero study is informative (RD = 0) and is kept
    rd = meta_analysis(d, measure="RD", method="MH")
    assert rd.k == 3


def test_all_studies_double_zero():
    d = counts([("x", 0, 10, 0, 10), ("y", 0, 12, 0, 11)])
    with pytest.raises(ValueError, match="estimable"):
        meta_analysis(d, measure="OR", method="FE", correction="exclude_double_zero")
    mh = meta_analysis(d, measure="OR", method="MH")
    assert math.isnan(mh.estimate) and mh.k == 0


@pytest.mark.parametrize("method", ["DL", "PM", "REML", "ML"])
def test_homogeneous_tau2_zero(method):
    # identical effects: Q = 0, every tau^2 estimator gives 0 and RE = FE exactly
    d = pd.DataFrame({"study": list("abcd"), "yi": [0.3] * 4, "vi": [0.01, 0.04, 0.02, 0.09]})
    re = meta_analysis(d, measure="GEN", method=method)
    fe = meta_analysis(d, measure="GEN", method="FE")
    assert re.tau2 == 0 and re.q == pytest.approx(0, abs=1e-20) and re.i2 == 0
    assert_allclose([re.estimate, re.se, re.ci_low, re.ci_high], [fe.estimate, fe.se, fe.ci_low, fe.ci_high], rtol=1e-12)
    # with tau^2 = 0 the prediction interval equals the confidence interval
    assert_allclose([re.pi_low, re.pi_high], [re.ci_low, re.ci_high], rtol=1e-12)
    assert re.tau2_ci[0] == 0.0


def test_very_large_n():
    d = counts([("mega1", 51_234, 10_000_000, 49_876, 10_000_000), ("mega2", 20_001, 4_000_000, 19_502, 4_100_000),
                ("small", 3, 40, 5, 41)])
    for method in ("FE", "MH", "PETO", "DL", "REML"):
        r = meta_analysis(d, measure="RR" if method != "PETO" else "OR", method=method)
        assert np.isfinite([r.estimate, r.ci_low, r.ci_high, r.se]).all()
        assert r.ci_low < r.estimate < r.ci_high
    y = math.log((51_234 / 10_000_000) / (49_876 / 10_000_000))
    r = meta_analysis(d.iloc[:1], measure="RR", method="FE")
    assert_allclose(r.log_estimate, y, rtol=1e-12)


def test_continuous_layouts():
    d = pd.DataFrame({"study": ["s1", "s2"], "mean_treat": [10.0, 12.0], "sd_treat": [2.0, 3.0], "n_treat": [20, 30],
                      "mean_ctrl": [8.0, 11.0], "sd_ctrl": [2.5, 3.0], "n_ctrl": [22, 28]})
    md = meta_analysis(d, measure="MD", method="FE")
    v1, v2 = 4 / 20 + 6.25 / 22, 9 / 30 + 9 / 28
    assert_allclose(md.estimate, (2 / v1 + 1 / v2) / (1 / v1 + 1 / v2), rtol=1e-12)
    g = meta_analysis(d, measure="SMD", method="REML")
    assert g.measure == "SMD" and math.isfinite(g.estimate)
    with pytest.raises(ValueError, match="SMD or MD"):
        meta_analysis(d, measure="OR")


def test_validation_errors_name_row_and_column():
    from evidence.stats.io import StudyDataError

    d = counts([("a", 3, 10, 2, 10), ("b", 12, 10, 1, 9)])
    with pytest.raises(StudyDataError) as e:
        meta_analysis(d)
    assert e.value.row == 2 and e.value.column == "events_treat" and "data row 2" in str(e.value)
    with pytest.raises(StudyDataError, match="missing column 'n_ctrl'"):
        meta_analysis(d.drop(columns="n_ctrl"))


def test_risk_difference_zero_cells_correct_only_the_variance():
    # R meta / RevMan convention: the RD is the raw difference; 0.5 is added to the cells of a
    # zero-cell table only to compute its variance (metafor's escalc would also shift the RD).
    d = counts([("z", 0, 20, 5, 20), ("n", 10, 40, 15, 40)])
    fe = meta_analysis(d, measure="RD", method="FE")
    p1, p2 = 0.5 / 21, 5.5 / 21
    assert_allclose(fe.studies.yi[0], -0.25, rtol=1e-12)
    assert_allclose(fe.studies.vi[0], p1 * (1 - p1) / 21 + p2 * (1 - p2) / 21, rtol=1e-12)
    mh = meta_analysis(d, measure="RD", method="MH")
    w = [20 * 20 / 40, 40 * 40 / 80]
    assert_allclose(mh.estimate, (w[0] * -0.25 + w[1] * -0.125) / sum(w), rtol=1e-12)
    # Greenland-Robins variance on the corrected tables (0.5, 20.5 / 5.5, 15.5 has n = 21, 21, N = 42)
    gr = (0.5 * 20.5 * 21**3 + 5.5 * 15.5 * 21**3) / (21 * 21 * 42**2) + (10 * 30 * 40**3 + 15 * 25 * 40**3) / (40 * 40 * 80**2)
    assert_allclose(mh.se, math.sqrt(gr) / (21 * 21 / 42 + 40 * 40 / 80), rtol=1e-12)


def test_hksj_floor_implies_hksj():
    d = pd.DataFrame({"yi": [0.1, 0.5, 0.2], "vi": [0.02, 0.03, 0.05]})
    r = meta_analysis(d, measure="GEN", method="DL", hksj_floor=True)
    assert r.hksj and r.hksj_floor and r.df == 2
