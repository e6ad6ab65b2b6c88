"""Binary and continuous effect sizes against published values.

Tolerances: values printed to 4 decimals get ``atol=5e-5`` (half a unit in the
last digit; 5e-3 for 2 decimals and so on); values published at full
precision (metafor output stored in statsmodels' results_meta.py) get
``rtol=1e-12`` — the formulas are closed-form, so only floating-point
rounding separates the implementations.
"""
from __future__ import annotations

import math

import numpy as np
import pytest
from numpy.testing import assert_allclose

from evidence.stats.continuous import (
    hedges_correction,
    mean_difference,
    or_to_smd,
    se_from_ci,
    se_from_p,
    smd,
    smd_to_nnt,
    smd_to_or,
)
from evidence.stats.effects import (
    binary_effect_sizes,
    correct_counts,
    double_zero,
    nnt,
    nnt_from_rd,
    odds_ratio,
    proportion,
    risk_difference,
    risk_ratio,
    wilson_ci,
)

# dat.fine1993 columns e2i/nei/c2i/nci, as in statsmodels/stats/tests/test_meta.py (TestEffectsizeBinom)
FINE_E = [11, 18, 21, 14, 42, 80, 13, 37, 23, 19, 106, 170, 34, 18, 13, 12, 42]
FINE_NE = [19, 34, 72, 22, 70, 183, 26, 61, 36, 45, 246, 386, 59, 45, 14, 26, 74]
FINE_C = [12, 12, 15, 5, 13, 33, 18, 30, 12, 14, 76, 46, 17, 3, 14, 10, 40]
FINE_NC = [22, 35, 68, 20, 32, 94, 50, 55, 25, 35, 208, 141, 32, 15, 18, 19, 75]


def test_escalc_fine1993_or_rr_rd():
    # statsmodels/stats/tests/results/results_meta.py (eff_prop1), computed with R metafor:
    #   escalc(measure="OR"|"RR"|"RD", ai=e2i, n1i=nei, ci=c2i, n2i=nci, data=dat.fine1993)
    y_or = [0.13613217432458, 0.768370601797533, 0.374938517449009, 1.65822807660353, 0.784954729813068]
    v_or = [0.399242424242424, 0.244867149758454, 0.152761481951271, 0.463095238095238, 0.189078465394255]
    y_rr = [0.0595920972022457, 0.434452644981417, 0.279313822781264, 0.934309237376833, 0.389960921572199]
    v_rr = [0.0761562998405104, 0.080905695611578, 0.0856909430438842, 0.175974025974026, 0.0551968864468864]
    y_rd = [0.0334928229665072, 0.186554621848739, 0.071078431372549, 0.386363636363636, 0.19375]
    v_rd = [0.0240995805934916, 0.0137648162576944, 0.00539777447807907, 0.0198934072126221, 0.0109664132254464]
    for measure, ey, ev in (("OR", y_or, v_or), ("RR", y_rr, v_rr), ("RD", y_rd, v_rd)):
        yi, vi, _ = binary_effect_sizes(FINE_E, FINE_NE, FINE_C, FINE_NC, measure)
        assert_allclose(yi[:5], ey, rtol=1e-12, err_msg=measure)
        assert_allclose(vi[:5], ev, rtol=1e-12, err_msg=measure)


def test_fagerland_2015_example():
    # Fagerland, Lydersen & Laake (2015), Stat Methods Med Res 24:224, 7/34 vs 1/34 (2 decimals),
    # quoted in statsmodels/stats/tests/test_proportion.py::test_confint_2indep:
    #   Newcombe hybrid score diff 0.019 to 0.34; Katz log RR 0.91 to 54; Woolf logit OR 0.99 to 74
    rd = risk_difference(7, 34, 1, 34)
    assert_allclose([rd.ci_low, rd.ci_high], [0.019, 0.34], atol=5e-3)
    rr = risk_ratio(7, 34, 1, 34)
    assert_allclose(rr.estimate, 7.0, rtol=1e-12)
    assert_allclose(rr.ci_low, 0.91, atol=5e-3)
    assert_allclose(rr.ci_high, 54, atol=0.5)
    orr = odds_ratio(7, 34, 1, 34)
    assert_allclose(orr.ci_low, 0.99, atol=5e-3)
    assert_allclose(orr.ci_high, 74, atol=0.5)
    assert_allclose(orr.estimate, (7 * 33) / (27 * 1), rtol=1e-12)


@pytest.mark.parametrize(
    "a,n1,c,n2,lo,hi",
    [
        # Newcombe (1998), Stat Med 17:873, Table II, method 10 (hybrid score, no CC)
        (56, 70, 48, 80, 0.0524, 0.3339),
        (9, 10, 3, 10, 0.1705, 0.8090),
        (6, 7, 2, 7, 0.0582, 0.8062),
        (5, 56, 0, 29, -0.0381, 0.1926),
        (0, 10, 0, 20, -0.1611, 0.2775),
        (0, 10, 0, 10, -0.2775, 0.2775),
        (10, 10, 0, 20, 0.6791, 1.0000),
        (10, 10, 0, 10, 0.6075, 1.0000),
    ],
)
def test_newcombe_hybrid_score(a, n1, c, n2, lo, hi):
    r = risk_difference(a, n1, c, n2)
    assert_allclose(r.estimate, a / n1 - c / n2, rtol=1e-14)
    assert_allclose([r.ci_low, r.ci_high], [lo, hi], atol=5e-5)
    assert r.ci_method == "newcombe-wilson"


@pytest.mark.parametrize(
    "x,n,lo,hi",
    [
        # Newcombe (1998), Stat Med 17:857, Table I, method 3 (Wilson score, no CC)
        (81, 263, 0.2553, 0.3662),
        (15, 148, 0.0624, 0.1605),
        (0, 20, 0.0000, 0.1611),
        (1, 29, 0.0061, 0.1718),
    ],
)
def test_wilson_single_proportion(x, n, lo, hi):
    p = proportion(x, n)
    assert_allclose([p.ci_low, p.ci_high], [lo, hi], atol=5e-5)
    assert p.estimate == x / n and p.method == "wilson"


def test_wald_rd_option():
    r = risk_difference(56, 70, 48, 80, method="wald")
    se = math.sqrt(0.8 * 0.2 / 70 + 0.6 * 0.4 / 80)
    assert_allclose([r.ci_low, r.ci_high], [0.2 - 1.959963984540054 * se, 0.2 + 1.959963984540054 * se], rtol=1e-12)


# --------------------------------------------------------------------------- #
# Zero cells
# --------------------------------------------------------------------------- #
def test_all_if_zero_adds_to_every_cell():
    # 0/10 vs 5/10.  RevMan / metafor escalc(add=1/2, to="only0"): cells 0.5, 10.5, 5.5, 5.5, so
    # OR = (0.5*5.5)/(10.5*5.5) = 1/21 and var = 1/0.5 + 1/10.5 + 2/5.5.  statsmodels' Table2x2 would
    # instead replace only the zero (0 -> 0.5) and give (0.5*5)/(10*5) = 1/20 (statsmodels issue #7011).
    r = odds_ratio(0, 10, 5, 10)
    assert r.corrected
    assert_allclose(r.estimate, 1 / 21, rtol=1e-12)
    assert_allclose(r.se**2, 1 / 0.5 + 1 / 10.5 + 2 / 5.5, rtol=1e-12)
    rr = risk_ratio(0, 10, 5, 10)
    assert_allclose(rr.estimate, (0.5 / 11) / (5.5 / 11), rtol=1e-12)
    none = odds_ratio(0, 10, 5, 10, correction="none")
    assert math.isnan(none.estimate)  # not estimable without a correction
    # Studies without a zero cell are untouched.
    assert not odds_ratio(3, 10, 5, 10).corrected


def test_treatment_arm_correction():
    # Sweeting, Sutton & Lambert (2004): arm corrections n1/(n1+n2) and n2/(n1+n2) (R meta incr="TACC")
    cc = correct_counts([0], [10], [4], [30], "treatment_arm")
    assert_allclose([cc.a[0], cc.b[0], cc.c[0], cc.d[0]], [0.25, 10.25, 4.75, 26.75])
    # equal arms: identical to adding 0.5
    eq = correct_counts([0], [20], [4], [20], "treatment_arm")
    assert_allclose([eq.a[0], eq.b[0], eq.c[0], eq.d[0]], [0.5, 20.5, 4.5, 16.5])


def test_double_zero_handling():
    a, n1, c, n2 = [0, 3], [10, 20], [0, 6], [12, 20]
    assert double_zero(a, n1, c, n2).tolist() == [True, False]
    yi, vi, cc = binary_effect_sizes(a, n1, c, n2, "OR", "all_if_zero")
    assert_allclose(yi[0], math.log((0.5 * 12.5) / (10.5 * 0.5)))  # kept, corrected
    yi, vi, cc = binary_effect_sizes(a, n1, c, n2, "OR", "exclude_double_zero")
    assert math.isnan(yi[0]) and not cc.keep[0] and cc.keep[1]
    # all events in both arms is also a double-zero table (b = d = 0)
    assert double_zero([5], [5], [7], [7]).tolist() == [True]


def test_bad_counts_raise():
    with pytest.raises(ValueError):
        odds_ratio(11, 10, 1, 10)
    with pytest.raises(ValueError):
        odds_ratio(1, 0, 1, 10)
    with pytest.raises(ValueError):
        correct_counts([1], [10], [1], [10], "half")


def test_very_large_n():
    # 1.2 million per arm: closed forms stay finite and exact.
    r = odds_ratio(1_500, 1_200_000, 1_000, 1_200_000)
    expected = math.log(1500 * 1_199_000 / (1_198_500 * 1000))
    assert_allclose(r.yi, expected, rtol=1e-12)
    assert_allclose(r.se, math.sqrt(1 / 1500 + 1 / 1_198_500 + 1 / 1000 + 1 / 1_199_000), rtol=1e-12)
    d = risk_difference(1_500, 1_200_000, 1_000, 1_200_000)
    assert d.ci_low < d.estimate < d.ci_high and d.ci_low > 0


# --------------------------------------------------------------------------- #
# NNT
# --------------------------------------------------------------------------- #
def test_nnt_ci_excluding_zero():
    # Newcombe's 56/70 vs 48/80: RD 0.2 (0.0524, 0.3339) -> NNTB 5 (1/0.3339 = 3.0 to 1/0.0524 = 19.1)
    r = nnt(56, 70, 48, 80)
    assert r.kind == "NNTB" and not r.crosses_zero
    assert_allclose(r.value, 5.0, rtol=1e-12)
    assert_allclose([r.ci_low, r.ci_high], [1 / 0.333872654036906, 1 / 0.05243147240236498], rtol=1e-6)
    assert r.text == "NNTB 5.0 (95% CI 3.0 to 19.1)"
    assert r.value_rounded == 5


def test_nnt_ci_crossing_zero_altman():
    # Altman (1998) BMJ 317:1309: when the RD CI includes 0, report "NNTB x to ∞ to NNTH y".
    # Newcombe's 5/56 vs 0/29: RD 0.0893 (-0.0381, 0.1926)
    r = nnt(5, 56, 0, 29)
    assert r.crosses_zero and r.kind == "NNTB"
    assert_allclose(r.value, 56 / 5, rtol=1e-12)
    assert r.value_rounded == 12  # round up to whole patients
    assert_allclose([r.nntb_bound, r.nnth_bound], [1 / 0.19256001385511162, 1 / 0.03813714790353688], rtol=1e-6)
    assert "NNTB 5.2 to ∞ to NNTH 26.2" in r.text


def test_nnh_for_harmful_outcome():
    # adverse event: treatment 12/100, control 4/100 -> RD +0.08 is harm -> NNTH 12.5
    r = nnt_from_rd(0.08, 0.01, 0.15, benefit="negative")
    assert r.kind == "NNTH" and not r.crosses_zero
    assert_allclose([r.value, r.ci_low, r.ci_high], [12.5, 1 / 0.15, 100.0], rtol=1e-12)
    zero = nnt_from_rd(0.0, -0.1, 0.1)
    assert zero.kind == "none" and math.isinf(zero.value)
    assert "NNTB 10.0 to ∞ to NNTH 10.0" in zero.text


# --------------------------------------------------------------------------- #
# Continuous outcomes and conversions
# --------------------------------------------------------------------------- #
SMD_DATA = np.array(  # "Applied Meta-Analysis with R" (Chen & Peace), in statsmodels' TestEffSmdMeta
    [[94, 22, 60, 92, 20, 60], [98, 21, 65, 92, 22, 65], [98, 28, 40, 88, 26, 40],
     [94, 19, 200, 82, 17, 200], [98, 21, 50, 88, 22, 45], [96, 21, 85, 92, 22, 85]], float).T


def test_smd_hedges_g_metafor():
    # statsmodels/stats/tests/test_meta.py::TestEffSmdMeta::test_smd, metafor values:
    #   escalc(measure="SMD", m1i=m.t, sd1i=sd.t, n1i=n.t, m2i=m.c, sd2i=sd.c, n2i=n.c, data=dat)
    #   (yi, vi with the default large-sample vtype, "vi_asy"), and vtype="UB" ("vi_ub")
    yi_m = [0.09452415852032972, 0.27735586626551018, 0.36654442951591998, 0.66438496832691396,
            0.46180628128769841, 0.18516443739910043]
    vi_ls = [0.03337056173559990, 0.03106510106366112, 0.05083971761755720, 0.01055175923267344,
             0.04334466980873156, 0.02363025255552155]
    vi_ub = [0.03337176211751222, 0.03107388569950075, 0.05088098670518214, 0.01055698026322296,
             0.04339077140867459, 0.02363252645927709]
    yi, vi = smd(*SMD_DATA)
    assert_allclose(yi, yi_m, rtol=1e-12)  # exact gamma-function J, as metafor
    assert_allclose(vi, vi_ls, rtol=1e-12)
    assert_allclose(smd(*SMD_DATA, vtype="UB")[1], vi_ub, rtol=1e-12)


def test_hedges_correction_and_md():
    # J(m) ~ 1 - 3/(4m - 1) (Hedges 1981): close for moderate m, exact value slightly different
    assert_allclose(hedges_correction(118), 1 - 3 / (4 * 118 - 1), rtol=1e-5)
    md, v = mean_difference(10, 2, 20, 8, 3, 25)
    assert_allclose([md, v], [2.0, 4 / 20 + 9 / 25], rtol=1e-14)


def test_chinn_conversion():
    # Chinn (2000), Stat Med 19:3127: SMD = ln(OR) * sqrt(3)/pi (= ln OR / 1.81)
    assert_allclose(or_to_smd(math.log(2.0)), math.log(2.0) * math.sqrt(3) / math.pi, rtol=1e-14)
    assert_allclose(or_to_smd(math.pi / math.sqrt(3)), 1.0, rtol=1e-14)  # ln OR = 1.8138 <-> SMD = 1
    d, v = or_to_smd(0.5, 0.04)
    assert_allclose(v, 0.04 * 3 / math.pi**2, rtol=1e-14)
    assert_allclose(smd_to_or(d, v), (0.5, 0.04), rtol=1e-14)


def test_smd_to_nnt():
    # Kraemer & Kupfer (2006), Biol Psychiatry 59:990: d = 0.2, 0.5, 0.8 -> NNT 8.9, 3.6, 2.3
    assert_allclose(smd_to_nnt([0.2, 0.5, 0.8]), [8.9, 3.6, 2.3], atol=0.05)
    assert math.isinf(smd_to_nnt(0.0))
    # Furukawa (1999): NNT = 1/(Phi(d + Phi^-1(CER)) - CER) — formula check with scipy's normal:
    # d = 0.5, CER = 0.2: Phi(0.5 - 0.841621) = Phi(-0.341621) = 0.366320 -> NNT 6.0126
    from scipy.stats import norm

    assert_allclose(smd_to_nnt(0.5, "furukawa", cer=0.2), 1 / (norm.cdf(0.5 + norm.ppf(0.2)) - 0.2), rtol=1e-12)
    assert_allclose(smd_to_nnt(0.5, "furukawa", cer=0.2), 6.0126, atol=5e-5)
    with pytest.raises(ValueError):
        smd_to_nnt(0.5, "furukawa")


def test_se_from_ci_and_p():
    # Cochrane Handbook 6.3.1: SE = (upper - lower)/3.92 for a 95% CI; ratios on the log scale
    assert_allclose(se_from_ci(1.0, 4.92), 3.92 / (2 * 1.959963984540054), rtol=1e-12)
    assert_allclose(se_from_ci(0.5, 2.0, log=True), math.log(4) / (2 * 1.959963984540054), rtol=1e-12)
    assert_allclose(se_from_ci(0.0, 1.0, level=0.90), 1 / (2 * 1.6448536269514722), rtol=1e-12)
    # Altman & Bland (2011) BMJ 343:d2090 ("How to obtain the confidence interval from a P value"):
    # SE = |est|/z with z the normal quantile of p/2 (their z = -0.862 + sqrt(0.743 - 2.404 ln p) is an
    # approximation to it); the exact z for p = 0.05 is 1.959964
    assert_allclose(se_from_p(1.0, 0.05), 1 / 1.959963984540054, rtol=1e-10)
    assert_allclose(se_from_p(2.0, 0.05, log=True), math.log(2) / 1.959963984540054, rtol=1e-10)


def test_wilson_vectorised_in_unit_interval():
    lo, hi = wilson_ci(np.array([0, 5, 10]), np.array([10, 10, 10]))
    assert (lo >= 0).all() and (hi <= 1).all() and lo[0] == 0 and hi[2] == 1
