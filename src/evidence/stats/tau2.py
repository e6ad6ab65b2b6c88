"""Inverse-variance pooling and the between-study variance τ² (DL, PM, REML, ML), its
Q-profile CI and the prediction interval; used by :mod:`evidence.stats.meta`,
:mod:`evidence.stats.metareg` and :mod:`evidence.stats.diagnostics`. Formulas: see
:mod:`evidence.stats.meta`."""
from __future__ import annotations

import math

import numpy as np
from scipy import optimize
from scipy import stats as _st

from ._common import check_level, t_crit, z_crit

__all__ = ["iv_pool", "q_statistic", "tau2_estimate", "tau2_ci_qprofile", "prediction_interval"]

def _iv(yi: np.ndarray, vi: np.ndarray, tau2: float = 0.0):
    w = 1.0 / (vi + tau2)
    sw = w.sum()
    mu = float(np.dot(w, yi) / sw)
    return mu, math.sqrt(1.0 / sw), w


def _q(yi: np.ndarray, vi: np.ndarray, tau2: float = 0.0) -> float:
    """Generalised Q: ``Σ (y_i - μ(τ²))² / (v_i + τ²)``; Cochran's Q at τ² = 0."""
    mu, _, w = _iv(yi, vi, tau2)
    return float(np.dot(w, (yi - mu) ** 2))


def _tau2_dl(yi, vi) -> float:
    k = yi.size
    if k < 2:
        return 0.0
    w = 1.0 / vi
    sw = w.sum()
    c = sw - np.dot(w, w) / sw
    return max(0.0, (_q(yi, vi) - (k - 1)) / c) if c > 0 else 0.0


def _upper_bracket(f, start: float) -> float:
    """Smallest of start, 2·start, 4·start… at which the decreasing f is negative."""
    hi = max(start, 1e-8)
    for _ in range(200):
        if f(hi) < 0:
            return hi
        hi *= 2.0
    raise RuntimeError("could not bracket the root")  # pragma: no cover


def _tau2_pm(yi, vi) -> float:
    k = yi.size
    if k < 2:
        return 0.0

    def f(t):
        return _q(yi, vi, t) - (k - 1)

    if f(0.0) <= 0:
        return 0.0
    start = max(_tau2_dl(yi, vi), float(np.var(yi)), 1e-8)
    hi = _upper_bracket(f, start)
    return float(optimize.brentq(f, 0.0, hi, xtol=1e-14, rtol=1e-14, maxiter=500))


def _loglik(t: float, yi, vi, reml: bool) -> float:
    w = 1.0 / (vi + t)
    sw = w.sum()
    mu = np.dot(w, yi) / sw
    ll = -0.5 * np.sum(np.log(vi + t)) - 0.5 * np.dot(w, (yi - mu) ** 2)
    if reml:
        ll -= 0.5 * math.log(sw)
    return float(ll)


def _fisher_scoring(yi, vi, reml: bool, t: float, tol: float, maxiter: int) -> float | None:
    """ML/REML Fisher scoring with step halving from ``t``; None when it does not converge."""
    ll = _loglik(t, yi, vi, reml)
    for _ in range(maxiter):
        w = 1.0 / (vi + t)
        sw, sw2 = w.sum(), np.dot(w, w)
        mu = np.dot(w, yi) / sw
        we2 = np.dot(w * w, (yi - mu) ** 2)
        if reml:
            score = we2 - (sw - sw2 / sw)
            info = sw2 - 2.0 * np.sum(w**3) / sw + (sw2 / sw) ** 2
        else:
            score = we2 - sw
            info = sw2
        if info <= 0 or not np.isfinite(info):
            return None
        step = score / info
        new = max(0.0, t + step)
        ll_new = _loglik(new, yi, vi, reml)
        halvings = 0
        while ll_new < ll - 1e-13 * (1 + abs(ll)) and halvings < 60:
            step /= 2.0
            new = max(0.0, t + step)
            ll_new = _loglik(new, yi, vi, reml)
            halvings += 1
        if abs(new - t) <= tol * max(1.0, t):
            return new
        t, ll = new, ll_new
    return None


def _tau2_lik(yi, vi, reml: bool, tol: float = 1e-12, maxiter: int = 500) -> float:
    """ML/REML τ² by Fisher scoring with step halving; bounded optimiser as fallback.

    The (restricted) likelihood can have two maxima (e.g. a few zero-cell studies with large
    effects among many precise ones): scoring starts at the DL value, at metafor's starting
    value ``max(0, var(y) - mean(v))`` and at the best point of a coarse grid; the largest
    likelihood wins.
    """
    k = yi.size
    if k < 2:
        return 0.0
    starts = [_tau2_dl(yi, vi), max(0.0, float(np.var(yi, ddof=1)) - float(np.mean(vi)))]
    # and the best point of a coarse log grid, so that a distant second maximum is not missed
    top = 10.0 * max(float(np.var(yi)), float(np.max(vi)), 1e-8)
    grid = np.geomspace(top * 1e-8, top, 25)
    starts.append(float(grid[int(np.argmax([_loglik(g, yi, vi, reml) for g in grid]))]))
    found = [t for t in (_fisher_scoring(yi, vi, reml, s, tol, maxiter) for s in starts) if t is not None]
    if found:
        return max(found, key=lambda t: (_loglik(t, yi, vi, reml), -t))
    # Fallback: bounded maximisation of the profile likelihood.
    hi = max(10.0 * max(starts[0], float(np.var(yi))), 1.0)
    res = optimize.minimize_scalar(
        lambda x: -_loglik(x, yi, vi, reml), bounds=(0.0, hi), method="bounded", options={"xatol": 1e-12}
    )
    best = float(res.x)
    return 0.0 if _loglik(0.0, yi, vi, reml) >= _loglik(best, yi, vi, reml) else best


def tau2_estimate(yi, vi, method: str = "REML") -> float:
    """Between-study variance τ² by DL, PM, REML or ML (always ≥ 0); FE gives 0."""
    yi, vi = np.asarray(yi, float), np.asarray(vi, float)
    method = method.upper()
    if method in ("FE", "IV", "MH", "PETO"):
        return 0.0
    if method == "DL":
        return _tau2_dl(yi, vi)
    if method == "PM":
        return _tau2_pm(yi, vi)
    if method in ("REML", "ML"):
        return _tau2_lik(yi, vi, reml=method == "REML")
    raise ValueError(f"unknown τ² method {method!r}")


def tau2_ci_qprofile(yi, vi, level: float = 0.95) -> tuple[float, float]:
    """Q-profile confidence interval for τ² (Viechtbauer 2007), truncated at 0."""
    yi, vi = np.asarray(yi, float), np.asarray(vi, float)
    k = yi.size
    if k < 2:
        return (math.nan, math.nan)
    level = check_level(level)
    alpha = 1.0 - level
    df = k - 1
    q0 = _q(yi, vi, 0.0)

    def solve(target: float) -> float:
        if q0 <= target:
            return 0.0

        def f(t):
            return _q(yi, vi, t) - target

        hi = _upper_bracket(f, max(_tau2_dl(yi, vi), float(np.var(yi)), 1e-8))
        return float(optimize.brentq(f, 0.0, hi, xtol=1e-14, rtol=1e-14, maxiter=500))

    lower = solve(_st.chi2.isf(alpha / 2.0, df))
    upper = solve(_st.chi2.ppf(alpha / 2.0, df))
    return (lower, upper)


def prediction_interval(mu: float, se: float, tau2: float, k: int, level: float = 0.95, dist: str = "normal"):
    """Prediction interval ``μ ± c·sqrt(τ² + SE²)`` on the analysis scale.

    ``dist="normal"`` is metafor's default; ``"t_k-1"`` is metafor with
    ``test="knha"``; ``"t_k-2"`` is Higgins, Thompson & Spiegelhalter (2009)
    and the Cochrane Handbook (needs k ≥ 3).
    """
    level = check_level(level)
    if dist == "normal":
        c = z_crit(level)
    elif dist == "t_k-1":
        c = t_crit(level, k - 1) if k > 1 else math.nan
    elif dist == "t_k-2":
        c = t_crit(level, k - 2) if k > 2 else math.nan
    else:
        raise ValueError("dist must be 'normal', 't_k-1' or 't_k-2'")
    half = c * math.sqrt(tau2 + se * se)
    return (mu - half, mu + half)




#: public names of the inverse-variance helpers
iv_pool = _iv
q_statistic = _q

