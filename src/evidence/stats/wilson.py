"""The Wilson score interval (95%) of a proportion, as ``statsmodels``' ``proportion_confint(x, n, alpha=0.05,
method="wilson")`` computes it, operation for operation, without importing statsmodels and scipy (about 1 s, paid
by every ``evidence check`` process whose article has a response rate to recompute).

The same floating-point operations in the same order give the same doubles (true division, a square root, the
critical value ``scipy.stats.norm.isf(0.025)`` as a constant). Where statsmodels' clipping to [0, 1] could matter
(no events, all events, a bound at or past 0 or 1, no observations) statsmodels itself answers. ``tests/
test_check_speed.py`` compares the two for every count up to n = 300 and for larger samples.
"""
from __future__ import annotations

import math

#: ``scipy.stats.norm.isf(0.025)``: the two-sided 95% critical value statsmodels uses
Z_95 = 1.9599639845400545


def wilson_95(count: int, nobs: int) -> tuple[float, float]:
    """(low, high) of the Wilson 95% interval of ``count`` events in ``nobs`` (fractions, not percentages)."""
    if 0 < count < nobs:
        q_ = count / nobs
        crit = Z_95
        crit2 = crit**2
        denom = 1 + crit2 / nobs
        center = (q_ + crit2 / (2 * nobs)) / denom
        dist = crit * math.sqrt(q_ * (1.0 - q_) / nobs + crit2 / (4.0 * nobs**2))
        dist /= denom
        low, high = center - dist, center + dist
        if 0.0 < low and high < 1.0:
            return low, high
    from statsmodels.stats.proportion import proportion_confint

    return proportion_confint(count, nobs, alpha=0.05, method="wilson")
