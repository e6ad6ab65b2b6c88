"""Fragility index and the consistency checks (estimate/CI, CI/p, percentage, GRIM)."""
from __future__ import annotations

import pytest
from numpy.testing import assert_allclose
from scipy.stats import fisher_exact

from evidence.stats.consistency import check_ci_p, check_estimate_ci, check_percentage, grim, parse_number
from evidence.stats.fragility import fisher_p, fragility_index


def scipy_p(a, n1, c, n2):
    return fisher_exact([[a, n1 - a], [c, n2 - c]])[1]


# --------------------------------------------------------------------------- #
# Fragility
# --------------------------------------------------------------------------- #
def test_fragility_small_trial():
    # 0/10 vs 6/10: two-sided Fisher p = 0.01084 (= 2 * C(10,6)/C(20,6)... scipy fisher_exact);
    # one more event in the lower-proportion arm, 1/10 vs 6/10, gives p = 0.05728 >= 0.05 -> FI = 1
    r = fragility_index(0, 10, 6, 10)
    assert_allclose(r.p_initial, 0.010835913312693497, rtol=1e-12)  # = 2 * 3 * 280 / 155040 (hypergeometric)
    assert_allclose(r.p_initial, 2 * 3 * 280 / 155040, rtol=1e-12)
    assert r.kind == "fragility" and r.index == 1 and r.arm == "treatment" and r.direction == "add_events"
    assert_allclose(r.p_final, scipy_p(1, 10, 6, 10), rtol=1e-12)
    assert r.quotient == 1 / 20


@pytest.mark.parametrize("table", [(15, 40, 5, 40), (40, 60, 100, 210), (30, 100, 12, 100), (2, 200, 14, 200)])
def test_fragility_definition(table):
    # Walsh et al. (2014): FI = the number of added events (lower-proportion arm) after which p >= 0.05;
    # with one event fewer the result is still significant.
    a, n1, c, n2 = table
    r = fragility_index(a, n1, c, n2)
    assert r.kind == "fragility" and r.p_initial < 0.05
    lower_is_treat = a / n1 < c / n2
    step = (r.index, 0) if lower_is_treat else (0, r.index)
    assert (r.events_treat, r.events_ctrl) == (a + step[0], c + step[1])
    assert scipy_p(r.events_treat, n1, r.events_ctrl, n2) >= 0.05
    before = (a + step[0] - 1, c) if lower_is_treat else (a, c + step[1] - 1)
    assert scipy_p(before[0], n1, before[1], n2) < 0.05


def test_reverse_fragility():
    # Khan et al. (2020): a non-significant 10/50 vs 15/50 (p = 0.356) needs 4 fewer events in the
    # treatment arm (6/50 vs 15/50, p = 0.048); more events in control needs more changes.
    r = fragility_index(10, 50, 15, 50)
    assert r.kind == "reverse" and r.p_initial >= 0.05
    assert (r.index, r.arm, r.direction) == (4, "treatment", "remove_events")
    assert scipy_p(6, 50, 15, 50) < 0.05 <= scipy_p(7, 50, 15, 50)
    # the alternative path (adding control events) is longer
    k = next(k for k in range(1, 36) if scipy_p(10, 50, 15 + k, 50) < 0.05)
    assert k > 4
    # nothing can be made significant with one patient per arm
    none = fragility_index(0, 1, 0, 1)
    assert none.kind == "reverse" and none.index is None


def test_fisher_p_matches_scipy():
    assert_allclose(fisher_p(3, 12, 9, 11), scipy_p(3, 12, 9, 11), rtol=1e-14)
    with pytest.raises(ValueError):
        fragility_index(5, 4, 1, 10)


# --------------------------------------------------------------------------- #
# Estimate vs CI, CI vs p
# --------------------------------------------------------------------------- #
def test_whittaker_2021_printed_values_are_consistent():
    # Whittaker et al. (2021) as printed: SAD pooled OR 28.94 (95% CI 3.45-242.57), p = 0.002;
    # PTSD OR 2.03 (0.67-6.15).  sqrt(3.45 * 242.57) = 28.93; recomputed p = 0.0019 -> "0.002".
    r = check_estimate_ci("28.94", "3.45", "242.57")
    assert r.ok
    assert_allclose(r.details["implied_estimate"], (3.45 * 242.57) ** 0.5, rtol=1e-14)
    p = check_ci_p("28.94", "3.45", "242.57", "0.002")
    assert p.ok and not p.details["decision_error"]
    assert_allclose(p.details["p_recomputed"], 0.00192, atol=5e-6)
    assert check_estimate_ci(2.03, 0.67, 6.15).ok


def test_estimate_ci_inconsistent():
    r = check_estimate_ci(2.5, 1.1, 3.0)
    assert not r.ok and r.details["asymmetry"] > 0.5
    outside = check_estimate_ci(4.0, 1.1, 3.0)
    assert not outside.ok and "outside" in outside.message
    # differences are checked on the linear scale; strings keep the printed precision
    # (the float 0.20 reads as "0.2", a coarser rounding box)
    assert check_estimate_ci("0.20", "0.05", "0.35", ratio=False).ok
    assert not check_estimate_ci("0.20", "0.02", "0.30", ratio=False).ok
    assert check_estimate_ci(0.20, 0.02, 0.30, ratio=False).ok  # [0.15, 0.25] overlaps midpoints [0.1325, 0.1875]


def test_ci_p_inconsistent_and_thresholds():
    r = check_ci_p(1.5, 1.1, 2.0, "0.5")
    assert not r.ok and r.details["decision_error"]
    assert check_ci_p(3.0, 2.0, 4.5, "<0.001").ok
    assert not check_ci_p(1.2, 0.9, 1.6, "p < 0.05").ok
    assert check_ci_p(1.2, 0.9, 1.6, "> .05").ok
    # without an estimate the CI centre is used
    assert check_ci_p(None, "3.45", "242.57", "0.002").ok
    # mean difference: 2.0 (0.04 to 3.96): SE = 1, z = 2, p = 0.0455
    r = check_ci_p(2.0, 0.04, 3.96, "0.046", ratio=False)
    assert r.ok
    assert_allclose(r.details["p_recomputed"], 0.0455, atol=5e-5)


def test_parse_number_precision():
    assert parse_number("33.3%") == (33.3, 1)
    assert parse_number("\u22120.50") == (-0.5, 2)
    assert parse_number(".002") == (0.002, 3)
    assert parse_number(28.94) == (28.94, 2)
    assert parse_number(3) == (3.0, 0)
    with pytest.raises(ValueError):
        parse_number("abc")


# --------------------------------------------------------------------------- #
# Percentages and GRIM
# --------------------------------------------------------------------------- #
def test_percentage_of_n():
    r = check_percentage("33.33%", 18)
    assert r.ok and r.details["candidates"] == [6]
    assert check_percentage("33.3", 18).details["candidates"] == [6]
    assert check_percentage("37.5", 8).details["candidates"] == [3]
    bad = check_percentage("34", 18)
    assert not bad.ok and bad.details["nearest"] == 6
    # a coarse percentage of a large n admits several counts
    assert check_percentage("50", 1000).details["candidates"] == list(range(495, 506))


def test_grim():
    # Brown & Heathers (2017), Soc Psychol Personal Sci 8:363: a mean of 5.19 from N = 28 is impossible
    # (145/28 = 5.18, 146/28 = 5.21)
    r = grim("5.19", 28)
    assert not r.ok and r.details["informative"]
    assert grim("5.18", 28).ok
    # n >= 10^decimals: every mean is possible, test uninformative
    u = grim("3.45", 150)
    assert u.ok and not u.details["informative"]
    # multi-item scales: granularity 1/(n * items)
    assert grim("2.57", 10, items=3).ok
    assert not grim("2.55", 10, items=1).ok
