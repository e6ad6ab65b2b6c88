"""Property-based tests (hypothesis) of the statistics engine.

Tolerances are floating-point only (rtol 1e-9 or tighter): every property is
an exact mathematical identity.
"""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose

from evidence.stats.consistency import check_percentage, grim
from evidence.stats.effects import odds_ratio, proportion, risk_difference, risk_ratio, wilson_ci
from evidence.stats.meta import _q, meta_analysis, tau2_estimate

FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def table(draw, max_n=300):
    n1 = draw(st.integers(1, max_n))
    n2 = draw(st.integers(1, max_n))
    return draw(st.integers(0, n1)), n1, draw(st.integers(0, n2)), n2


@st.composite
def study_table(draw, min_k=2, max_k=8):
    k = draw(st.integers(min_k, max_k))
    rows = []
    for i in range(k):
        n1 = draw(st.integers(5, 200))
        n2 = draw(st.integers(5, 200))
        a = draw(st.integers(1, n1 - 1))  # no zero cells: swapping arms is then exact for every method
        c = draw(st.integers(1, n2 - 1))
        rows.append((f"s{i}", a, n1, c, n2))
    return pd.DataFrame(rows, columns=["study", "events_treat", "n_treat", "events_ctrl", "n_ctrl"])


def swap(d: pd.DataFrame) -> pd.DataFrame:
    return d.rename(columns={"events_treat": "events_ctrl", "n_treat": "n_ctrl",
                             "events_ctrl": "events_treat", "n_ctrl": "n_treat"})


@FAST
@given(table())
def test_swapping_arms_inverts_the_odds_ratio(t):
    a, n1, c, n2 = t
    r, s = odds_ratio(a, n1, c, n2), odds_ratio(c, n2, a, n1)
    if math.isfinite(r.yi):
        assert_allclose(s.yi, -r.yi, atol=1e-12)
        assert_allclose([s.ci_low, s.ci_high], [1 / r.ci_high, 1 / r.ci_low], rtol=1e-9)
        assert_allclose(s.se, r.se, rtol=1e-12)


@FAST
@given(study_table(), st.sampled_from(["FE", "MH", "PETO", "DL", "PM", "REML", "ML"]))
def test_swapping_arms_inverts_the_pooled_odds_ratio(d, method):
    r = meta_analysis(d, measure="OR", method=method)
    s = meta_analysis(swap(d), measure="OR", method=method)
    assert_allclose(s.log_estimate, -r.log_estimate, atol=1e-9)
    assert_allclose(s.se, r.se, rtol=1e-9)
    assert_allclose(s.tau2, r.tau2, atol=1e-9)


@FAST
@given(table())
def test_every_single_study_ci_contains_its_estimate(t):
    a, n1, c, n2 = t
    for r in (odds_ratio(a, n1, c, n2), risk_ratio(a, n1, c, n2), risk_difference(a, n1, c, n2)):
        if math.isfinite(r.estimate):
            assert r.ci_low <= r.estimate <= r.ci_high
    rd = risk_difference(a, n1, c, n2)
    assert -1 <= rd.ci_low <= rd.ci_high <= 1


@FAST
@given(study_table(min_k=1), st.sampled_from(["FE", "MH", "PETO", "DL", "PM", "REML", "ML"]),
       st.sampled_from(["OR", "RR", "RD"]), st.booleans())
def test_every_pooled_ci_contains_its_estimate(d, method, measure, hksj):
    if method == "PETO":
        measure = "OR"
    if method in ("MH", "PETO"):
        hksj = False
    r = meta_analysis(d, measure=measure, method=method, hksj=hksj)
    assert r.ci_low <= r.estimate <= r.ci_high
    if math.isfinite(r.pi_low):
        assert r.pi_low <= r.ci_low and r.ci_high <= r.pi_high
    st_ = r.studies
    ok = st_.included
    assert ((st_.ci_low[ok] <= st_.estimate[ok]) & (st_.estimate[ok] <= st_.ci_high[ok])).all()
    assert r.tau2 >= 0 and abs(st_.weight.sum() - 100) < 1e-9


@FAST
@given(st.lists(st.tuples(st.floats(-2, 2), st.floats(0.005, 1.0)), min_size=2, max_size=12),
       st.sampled_from(["DL", "PM", "REML", "ML"]))
def test_random_effects_equals_fixed_effect_when_tau2_is_zero(pairs, method):
    d = pd.DataFrame(pairs, columns=["yi", "vi"])
    re = meta_analysis(d, measure="GEN", method=method)
    assert re.tau2 >= 0
    if re.tau2 == 0:
        fe = meta_analysis(d, measure="GEN", method="FE")
        assert_allclose([re.estimate, re.se, re.ci_low, re.ci_high], [fe.estimate, fe.se, fe.ci_low, fe.ci_high],
                        rtol=1e-12, atol=1e-15)


@FAST
@given(st.lists(st.tuples(st.floats(-2, 2), st.floats(0.005, 1.0)), min_size=2, max_size=12))
def test_paule_mandel_lies_in_the_q_profile_ci(pairs):
    # PM solves Q(tau2) = k - 1, and k - 1 lies between the chi2(k-1) 2.5% and 97.5% quantiles,
    # so the PM estimate is always inside the Q-profile interval (Viechtbauer 2007).
    d = pd.DataFrame(pairs, columns=["yi", "vi"])
    r = meta_analysis(d, measure="GEN", method="PM")
    lo, hi = r.tau2_ci
    assert lo - 1e-9 <= r.tau2 <= hi + 1e-9
    if r.tau2 > 0:
        assert_allclose(_q(d.yi.to_numpy(), d.vi.to_numpy(), r.tau2), len(d) - 1, rtol=1e-8)


@FAST
@given(st.integers(0, 10_000).flatmap(lambda n: st.tuples(st.integers(0, max(n, 1)), st.just(max(n, 1)))),
       st.sampled_from([0.8, 0.9, 0.95, 0.99]))
def test_wilson_ci_within_unit_interval(xn, level):
    x, n = xn
    lo, hi = wilson_ci(x, n, level)
    assert 0.0 <= lo <= x / n <= hi <= 1.0
    p = proportion(x, n, level)
    assert p.ci_low == float(lo) and p.ci_high == float(hi)


@FAST
@given(st.integers(1, 2000).flatmap(lambda n: st.tuples(st.integers(0, n), st.just(n))), st.integers(0, 3))
def test_percentage_candidates_contain_the_true_count(xn, dec):
    x, n = xn
    pct = f"{100 * x / n:.{dec}f}"
    assert x in check_percentage(pct, n).details["candidates"]


@FAST
@given(st.integers(1, 99).flatmap(lambda n: st.tuples(st.integers(0, 7 * n), st.just(n))))
def test_grim_accepts_every_attainable_mean(tn):
    total, n = tn
    assert grim(f"{total / n:.2f}", n).ok


@FAST
@given(st.lists(st.tuples(st.floats(-1, 1), st.floats(0.01, 0.5)), min_size=3, max_size=10))
def test_tau2_estimators_are_non_negative(pairs):
    y = np.array([p[0] for p in pairs])
    v = np.array([p[1] for p in pairs])
    for m in ("DL", "PM", "REML", "ML"):
        assert tau2_estimate(y, v, m) >= 0
