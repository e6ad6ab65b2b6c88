"""Durations are compared in hours but keep the precision and the unit the writer and the source printed.

"28 days" admits 27.5–28.5 days (half of the last printed digit, in days), so it agrees with Feder et al.
2021's median time to loss of response of 27.5 days (Am J Psychiatry 2021;178:193-202, abstract: "the median
time to loss of response was 27.5 days"); before, the half-unit was taken in hours (672 ± 0.5 h) and the claim
came out overstated. The recomputed figure is said in the source's unit ("2 weeks"), not "336 hours".
"""
from __future__ import annotations

from evidence.claims import _to_hours, claimed_from_row
from evidence.verdicts import DEFAULT_PARAMS, Recomputed


def test_a_duration_in_days_admits_half_a_day_either_side():
    c = claimed_from_row({"claimed_value": 28.0, "claimed_unit": "days", "qualifier": "none"},
                         {"claimed_value": "28"})
    lo, hi = c.interval(DEFAULT_PARAMS)
    assert (lo, hi) == (27.5 * 24, 28.5 * 24)          # 660 h to 684 h
    assert c.unit == "hours" and c.display() == "28 days"


def test_a_decimal_duration_keeps_its_own_precision():
    # "1.5 days" admits 1.45–1.55 days: 34.8–37.2 hours
    c = claimed_from_row({"claimed_value": 1.5, "claimed_unit": "days", "qualifier": "none"}, {"claimed_value": "1.5"})
    lo, hi = c.interval(DEFAULT_PARAMS)
    assert abs(lo - 34.8) < 1e-9 and abs(hi - 37.2) < 1e-9


def test_a_range_in_weeks_scales_both_ends():
    # "1–8 weeks" (claim 000-37's form) admits 0.5–8.5 weeks
    c = claimed_from_row({"claimed_low": 1.0, "claimed_high": 8.0, "claimed_unit": "weeks", "qualifier": "range"},
                         {"claimed_low": "1", "claimed_high": "8"})
    assert c.interval(DEFAULT_PARAMS) == (0.5 * 168, 8.5 * 168)


def test_without_the_printed_text_the_value_gives_the_precision_in_its_own_unit():
    c = claimed_from_row({"claimed_value": 28.0, "claimed_unit": "days", "qualifier": "none"})
    assert c.interval(DEFAULT_PARAMS) == (27.5 * 24, 28.5 * 24)


def test_the_recomputed_duration_is_said_in_the_sources_unit():
    rec = _to_hours(Recomputed(method="lookup", value=2.0, unit="weeks"))
    assert (rec.value, rec.unit) == (336.0, "hours")
    assert rec.display() == "2 weeks"
    rec = _to_hours(Recomputed(method="lookup", value=27.5, unit="days"))
    assert rec.display() == "27.5 days"
