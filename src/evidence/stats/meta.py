"""Meta-analysis: fixed effect, Mantel–Haenszel, Peto and random effects.

Entry point
-----------
:func:`meta_analysis` (the rest of the project calls exactly this), plus
:func:`leave_one_out`, :func:`cumulative` and :func:`egger_test`.

Models and formulas
-------------------
Inverse variance (``method="FE"``, alias ``"IV"``)
    ``w_i = 1/v_i``, ``μ = Σ w_i y_i / Σ w_i``, ``SE = 1/sqrt(Σ w_i)``.

Random effects (``"DL"``, ``"PM"``, ``"REML"``, ``"ML"``)
    ``w_i = 1/(v_i + τ²)``, same pooled mean and SE.  τ² estimators, all
    truncated at 0 (statsmodels' ``combine_effects`` DL is *not* floored, so it
    is not used):

    * DL, DerSimonian & Laird (1986):
      ``τ² = max(0, (Q - (k-1)) / (Σw - Σw²/Σw))`` with ``w = 1/v``.
    * PM, Paule & Mandel (1982): the root of
      ``Σ w_i(τ²) (y_i - μ(τ²))² = k - 1`` (0 when ``Q ≤ k - 1``).  It equals the
      empirical Bayes estimator and the limit of iterated DL.
    * ML / REML: maximise the (restricted) log-likelihood by Fisher scoring
      with step halving, started at the DL value (Viechtbauer 2005).  REML
      update ``τ² += (Σ w²e² - tr P) / tr P²`` with
      ``tr P = Σw - Σw²/Σw`` and ``tr P² = Σw² - 2Σw³/Σw + (Σw²/Σw)²``;
      ML update ``τ² += (Σ w²e² - Σw) / Σw²``.  A bounded scalar optimiser on the
      same likelihood is the fallback.  O(k) per iteration: k = 10 000 fits in
      milliseconds.

Mantel–Haenszel (``"MH"``), fixed effect
    OR: ``ΣR/ΣS`` with ``R = a d/N``, ``S = b c/N``; variance of ln OR by Robins,
    Breslow & Greenland (1986).  RR: ``Σ a n2/N / Σ c n1/N`` with the Greenland &
    Robins (1985) variance.  RD: ``Σ (a n2 - c n1)/N / Σ n1 n2/N`` with the
    Greenland & Robins (1985) variance (as RevMan and Stata's metan);
    ``rd_variance="sato"`` in :func:`mantel_haenszel` gives the Sato, Greenland
    & Robins (1989) variance that metafor's ``rma.mh`` uses.  As in RevMan 5,
    metan and R meta (``MH.exact=FALSE``), the zero-cell correction is applied
    to the tables entering the MH estimate; ``correction="none"`` reproduces
    metafor's exact MH.  Tables with no events (or only events) in both arms
    always enter with their raw counts: they carry no information on OR/RR.

RevMan's Mantel–Haenszel random effects (``"MH_DL"``)
    RevMan 5's "M-H, Random": Q is taken around the MH estimate (R meta's
    ``Q.Cochrane=TRUE``), τ² is DerSimonian–Laird's from that Q, and the
    studies are pooled by inverse variance with ``1/(v_i + τ²)``; double-zero
    tables are left out of OR/RR.  I² and H² come from that Q.

Peto (``"PETO"``), fixed effect, OR only
    ``ln OR = Σ(O - E) / ΣV`` with ``O = a``, ``E = n1 m1/N`` and
    ``V = n1 n2 m1 m2 / (N² (N - 1))``; ``SE = 1/sqrt(ΣV)`` (Yusuf et al. 1985).
    No correction is ever needed.

Heterogeneity
    ``Q = Σ w_i (y_i - μ_FE)²`` with ``w = 1/v`` and ``k - 1`` df.  For MH the
    deviations are taken from the MH estimate (as RevMan and metafor do); for
    Peto ``Q = Σ (O-E)²/V - (Σ(O-E))²/ΣV``.  For fixed-effect models
    ``I² = max(0, (Q - df)/Q)`` and ``H² = Q/df``.  For random-effects models
    I² and H² follow metafor: ``I² = τ²/(τ² + s²)``, ``H² = (τ² + s²)/s²``
    with the "typical" within-study variance
    ``s² = (k-1) Σw / ((Σw)² - Σw²)``; with DL this is the same as
    ``(Q - df)/Q``.  I² is reported in percent.

Confidence interval for τ²
    Q-profile method (Viechtbauer 2007): the τ² values at which the generalised
    Q statistic ``Σ (y_i - μ(τ²))² / (v_i + τ²)`` equals the ``1 - α/2`` and
    ``α/2`` quantiles of χ²(k-1), truncated at 0.  Reported for random-effects
    models only; the I² and H² intervals follow from its limits.

Hartung–Knapp–Sidik–Jonkman (``hksj=True``)
    ``SE_HK = sqrt(q / Σw)`` with ``q = Σ w_i (y_i - μ)² / (k-1)``, CI and test
    from t(k-1) (metafor ``test="knha"``).  ``hksj_floor=True`` uses
    ``max(1, q)`` instead, so that the interval is never narrower than the
    standard one (Knapp & Hartung's ad hoc modification; metafor
    ``test="adhoc"``).

Prediction interval — metafor's convention
    ``μ ± c · sqrt(τ² + SE²)`` where ``c`` is the normal quantile, or the
    t(k-1) quantile when HKSJ is used (metafor ``predict()``; with
    ``test="knha"`` it switches to t(k-1)).  Higgins, Thompson & Spiegelhalter
    (2009) and the Cochrane Handbook use t(k-2) instead;
    :func:`prediction_interval` offers both.  Fixed-effect models (FE, MH,
    Peto) and random-effects fits with k = 1 report no prediction interval.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field, fields
from typing import Any, Sequence

import numpy as np
import pandas as pd
from scipy import optimize
from scipy import stats as _st

from ._common import (
    BINARY_MEASURES,
    CONTINUOUS_MEASURES,
    CORRECTIONS,
    check_level,
    clean,
    p_from_t,
    p_from_z,
    t_crit,
    to_display,
    z_crit,
)
from .continuous import mean_difference, smd
from .effects import binary_effect_sizes, correct_counts
from .io import StudyDataError, detect_kind, validate_studies

__all__ = [
    "METHODS",
    "StudyDataError",
    "RE_METHODS",
    "MetaResult",
    "cumulative",
    "egger_test",
    "leave_one_out",
    "mantel_haenszel",
    "meta_analysis",
    "peto",
    "prediction_interval",
    "tau2_ci_qprofile",
    "tau2_estimate",
]

RE_METHODS = ("DL", "PM", "REML", "ML", "MH_DL")
METHODS = ("FE", "IV", "MH", "PETO") + RE_METHODS


# --------------------------------------------------------------------------- #
# Result object
# --------------------------------------------------------------------------- #
@dataclass
class MetaResult:
    """Result of :func:`meta_analysis`.

    ``estimate``, ``ci_low``, ``ci_high``, ``pi_low``, ``pi_high`` are on the
    display scale (ratio scale for OR/RR); ``log_estimate`` and ``se`` on the
    analysis scale (log scale for OR/RR, identical to ``estimate`` otherwise).
    ``z`` and ``p`` test no effect (``z`` holds the t statistic and ``df`` its
    degrees of freedom under HKSJ).  ``i2`` is in percent.  ``studies`` has one
    row per input study: study, yi, vi, se, weight (percent of the total),
    estimate, ci_low, ci_high (display scale) and whether it was included.
    """

    measure: str
    method: str
    k: int
    estimate: float
    ci_low: float
    ci_high: float
    log_estimate: float
    se: float
    tau2: float
    tau2_ci: tuple
    i2: float
    h2: float
    q: float
    q_df: int
    q_p: float
    pi_low: float
    pi_high: float
    z: float
    p: float
    studies: pd.DataFrame = field(repr=False)
    level: float = 0.95
    correction: str = "all_if_zero"
    hksj: bool = False
    hksj_floor: bool = False
    df: float | None = None
    tau: float = 0.0
    i2_ci: tuple = (math.nan, math.nan)
    h2_ci: tuple = (math.nan, math.nan)
    notes: list = field(default_factory=list)

    @property
    def random_effects(self) -> bool:
        return self.method in RE_METHODS

    def to_dict(self, studies: bool = True) -> dict[str, Any]:
        """JSON-safe dict (NaN and infinities become None); per-study rows under ``"studies"``."""
        out: dict[str, Any] = {}
        for f in fields(self):
            if f.name == "studies":
                continue
            out[f.name] = getattr(self, f.name)
        out["random_effects"] = self.random_effects
        if studies:
            out["studies"] = self.studies.to_dict(orient="records")
        return clean(out)


# --------------------------------------------------------------------------- #
# Inverse-variance machinery on arrays
# --------------------------------------------------------------------------- #
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


# --------------------------------------------------------------------------- #
# Mantel–Haenszel and Peto on count arrays
# --------------------------------------------------------------------------- #
def mantel_haenszel(a, b, c, d, measure: str = "OR", rd_variance: str = "GR", rd_var_cells=None):
    """Mantel–Haenszel pooled log OR / log RR / RD, its SE and the study weights.

    Cells are taken as given (apply :func:`~evidence.stats.effects.correct_counts`
    first if wanted).  ``rd_variance`` is ``"GR"`` (Greenland & Robins 1985;
    RevMan, metan) or ``"sato"`` (Sato, Greenland & Robins 1989; metafor).
    ``rd_var_cells`` — optional ``(a, b, c, d)`` used for the RD variance only
    (R meta and RevMan compute the RD from the raw tables and its variance from
    the zero-cell corrected ones).  Returns ``(estimate, se, weights)``, the
    estimate on the log scale for OR/RR.  Estimate and SE are NaN when
    undefined (e.g. no events at all).
    """
    a, b, c, d = (np.asarray(x, float) for x in (a, b, c, d))
    n1, n2 = a + b, c + d
    N = n1 + n2
    measure = measure.upper()
    with np.errstate(divide="ignore", invalid="ignore"):
        if measure == "OR":
            R, S = a * d / N, b * c / N
            sR, sS = R.sum(), S.sum()
            if sR <= 0 or sS <= 0:
                return math.nan, math.nan, S
            P, Q = (a + d) / N, (b + c) / N
            var = (
                np.sum(P * R) / (2 * sR**2)
                + np.sum(P * S + Q * R) / (2 * sR * sS)
                + np.sum(Q * S) / (2 * sS**2)
            )
            return math.log(sR / sS), math.sqrt(var), S
        if measure == "RR":
            R, S = a * n2 / N, c * n1 / N
            sR, sS = R.sum(), S.sum()
            if sR <= 0 or sS <= 0:
                return math.nan, math.nan, S
            var = np.sum(n1 * n2 * (a + c) / N**2 - a * c / N) / (sR * sS)
            return math.log(sR / sS), math.sqrt(var), S
        if measure == "RD":
            w = n1 * n2 / N
            sw = w.sum()
            rd = float(np.sum((a * n2 - c * n1) / N) / sw)
            if rd_var_cells is not None:
                a, b, c, d = (np.asarray(x, float) for x in rd_var_cells)
                n1, n2 = a + b, c + d
                N = n1 + n2
                sw = np.sum(n1 * n2 / N)
            if rd_variance.upper() == "GR":
                var = np.sum((a * b * n2**3 + c * d * n1**3) / (n1 * n2 * N**2)) / sw**2
            elif rd_variance.lower() == "sato":
                P = (n1**2 * c - n2**2 * a + n1 * n2 * (n2 - n1) / 2.0) / N**2
                Qs = (a * (n2 - c) + c * (n1 - a)) / (2.0 * N)
                var = (rd * P.sum() + Qs.sum()) / sw**2
            else:
                raise ValueError("rd_variance must be 'GR' or 'sato'")
            return rd, math.sqrt(var), w
    raise ValueError(f"Mantel-Haenszel needs measure OR, RR or RD, got {measure!r}")


def peto(a, b, c, d):
    """Peto one-step log OR: returns ``(estimate, se, O - E, V, Q)`` (Yusuf et al. 1985)."""
    a, b, c, d = (np.asarray(x, float) for x in (a, b, c, d))
    n1, n2 = a + b, c + d
    N = n1 + n2
    m1, m2 = a + c, b + d
    E = n1 * m1 / N
    with np.errstate(divide="ignore", invalid="ignore"):
        V = np.where(N > 1, n1 * n2 * m1 * m2 / (N**2 * (N - 1)), 0.0)
    sV = V.sum()
    oe = a - E
    if sV <= 0:
        return math.nan, math.nan, oe, V, math.nan
    est = float(oe.sum() / sV)
    pos = V > 0
    q = max(0.0, float(np.sum(oe[pos] ** 2 / V[pos]) - oe.sum() ** 2 / sV))
    return est, math.sqrt(1.0 / sV), oe, V, q


# --------------------------------------------------------------------------- #
# Data preparation
# --------------------------------------------------------------------------- #
@dataclass
class _Prep:
    kind: str  # "counts", "generic", "continuous"
    measure: str
    study: np.ndarray  # labels (object)
    yi: np.ndarray
    vi: np.ndarray
    a: np.ndarray | None = None
    n1: np.ndarray | None = None
    c: np.ndarray | None = None
    n2: np.ndarray | None = None
    keep: np.ndarray | None = None  # False: excluded by exclude_double_zero

    def subset(self, idx) -> "_Prep":
        def s(x):
            return None if x is None else x[idx]

        return _Prep(
            self.kind, self.measure, self.study[idx], self.yi[idx], self.vi[idx],
            s(self.a), s(self.n1), s(self.c), s(self.n2), s(self.keep),
        )


def _normalise(measure: str, method: str, correction: str, level: float):
    measure = str(measure).upper()
    method = str(method).upper()
    if method == "IV":
        method = "FE"
    if method.replace("-", "_") == "MH_DL":
        method = "MH_DL"
    if method not in ("FE", "MH", "PETO") + RE_METHODS:
        raise ValueError(f"method must be one of {', '.join(METHODS)}, got {method!r}")
    if measure not in BINARY_MEASURES | CONTINUOUS_MEASURES | {"GEN"}:
        raise ValueError(f"measure must be one of OR, RR, RD, SMD, MD, GEN, got {measure!r}")
    if correction not in CORRECTIONS:
        raise ValueError(f"correction must be one of {', '.join(CORRECTIONS)}, got {correction!r}")
    return measure, method, correction, check_level(level)


def _prepare(data: pd.DataFrame, measure: str, correction: str) -> _Prep:
    if not isinstance(data, pd.DataFrame):
        data = pd.DataFrame(data)
    kind = detect_kind(data.columns, measure)
    df = validate_studies(data, kind=kind)
    study = df["study"].astype(str).to_numpy(dtype=object)
    if kind == "counts":
        if measure not in BINARY_MEASURES:
            raise ValueError(f"count data give OR, RR or RD, not {measure}")
        a, n1 = df["events_treat"].to_numpy(float), df["n_treat"].to_numpy(float)
        c, n2 = df["events_ctrl"].to_numpy(float), df["n_ctrl"].to_numpy(float)
        yi, vi, cc = binary_effect_sizes(a, n1, c, n2, measure, correction)
        return _Prep(kind, measure, study, yi, vi, a, n1, c, n2, cc.keep)
    if kind == "continuous":
        if measure not in CONTINUOUS_MEASURES:
            raise ValueError(f"means and SDs give SMD or MD, not {measure}")
        args = [df[col].to_numpy(float) for col in
                ("mean_treat", "sd_treat", "n_treat", "mean_ctrl", "sd_ctrl", "n_ctrl")]
        yi, vi = smd(*args) if measure == "SMD" else mean_difference(*args)
        return _Prep(kind, measure, study, np.asarray(yi, float), np.asarray(vi, float))
    yi, vi = df["yi"].to_numpy(float), df["vi"].to_numpy(float)
    return _Prep(kind, measure, study, yi, vi)


# --------------------------------------------------------------------------- #
# Fitting
# --------------------------------------------------------------------------- #
def _i2_h2_from_tau2(tau2: float, vi: np.ndarray):
    k = vi.size
    if k < 2:
        return math.nan, math.nan
    w = 1.0 / vi
    sw = w.sum()
    s2 = (k - 1) * sw / (sw**2 - np.dot(w, w))
    return 100.0 * tau2 / (tau2 + s2), (tau2 + s2) / s2


def _i2_h2_from_q(q: float, df: int):
    if df < 1 or not np.isfinite(q):
        return math.nan, math.nan
    i2 = 100.0 * max(0.0, (q - df) / q) if q > 0 else 0.0
    return i2, q / df


def _fit(prep: _Prep, method: str, correction: str, hksj: bool, hksj_floor: bool, level: float) -> MetaResult:
    measure = prep.measure
    n = prep.yi.size
    notes: list[str] = []
    zc = z_crit(level)

    # Studies usable for inverse-variance work.
    usable = np.isfinite(prep.yi) & np.isfinite(prep.vi) & (prep.vi > 0)
    if prep.keep is not None:
        usable &= prep.keep
        n_excl = int((~prep.keep).sum())
        if n_excl:
            notes.append(f"{n_excl} double-zero {'study' if n_excl == 1 else 'studies'} excluded")
    n_unusable = int((~usable).sum()) - (int((~prep.keep).sum()) if prep.keep is not None else 0)
    if n_unusable and method not in ("MH", "PETO"):
        notes.append(f"{n_unusable} {'study' if n_unusable == 1 else 'studies'} not estimable (zero cell without correction, or zero variance) and left out")
    yi_u, vi_u = prep.yi[usable], prep.vi[usable]

    weights = np.zeros(n)
    tau2, tau2_ci = 0.0, (math.nan, math.nan)
    i2_ci = h2_ci = (math.nan, math.nan)
    df_t: float | None = None
    pi = (math.nan, math.nan)
    study_y, study_v = prep.yi.copy(), prep.vi.copy()  # per-study values shown

    if method in ("MH", "PETO"):
        if prep.kind != "counts":
            raise ValueError(f"method {method} needs event counts (events_treat, n_treat, events_ctrl, n_ctrl)")
        if hksj:
            raise ValueError("HKSJ applies to inverse-variance models (FE, DL, PM, REML, ML), not MH or Peto")
        a, n1, c, n2 = prep.a, prep.n1, prep.c, prep.n2
        keep = prep.keep if prep.keep is not None else np.ones(n, bool)
        dz = ((a == 0) & (c == 0)) | ((a == n1) & (c == n2))
        if method == "MH":
            # Correction (if any) for tables with a zero cell, raw counts for double zeros.
            corr = "all_if_zero" if correction == "exclude_double_zero" else correction
            cc = correct_counts(a, n1, c, n2, corr)
            raw = correct_counts(a, n1, c, n2, "none")
            if measure == "RD":
                # RD from the raw tables; the correction only enters its variance (R meta, RevMan).
                mu, se, w = mantel_haenszel(raw.a[keep], raw.b[keep], raw.c[keep], raw.d[keep], "RD",
                                            rd_var_cells=(cc.a[keep], cc.b[keep], cc.c[keep], cc.d[keep]))
            else:
                A = np.where(dz, raw.a, cc.a)[keep]
                B = np.where(dz, raw.b, cc.b)[keep]
                C = np.where(dz, raw.c, cc.c)[keep]
                D = np.where(dz, raw.d, cc.d)[keep]
                mu, se, w = mantel_haenszel(A, B, C, D, measure)
                n_dz = int((dz & keep).sum())
                if n_dz:
                    notes.append(f"{n_dz} double-zero {'study carries' if n_dz == 1 else 'studies carry'} "
                                 "no weight in the Mantel-Haenszel estimate")
            weights[keep] = w
            # Q around the MH estimate with inverse-variance weights (RevMan, metafor); double-zero
            # tables say nothing about OR/RR but are informative for the RD (RD = 0).
            q_use = usable & ~dz if measure != "RD" else usable
            q = float(np.sum((prep.yi[q_use] - mu) ** 2 / prep.vi[q_use])) if np.isfinite(mu) else math.nan
            q_df = int(q_use.sum()) - 1
        else:  # PETO
            if measure != "OR":
                raise ValueError("Peto's method estimates odds ratios only (measure='OR')")
            raw = correct_counts(a, n1, c, n2, "none")
            A, B, C, D = raw.a[keep], raw.b[keep], raw.c[keep], raw.d[keep]
            mu, se, oe, V, q = peto(A, B, C, D)
            n_dz = int((dz & keep).sum())
            if n_dz:
                notes.append(f"{n_dz} double-zero {'study carries' if n_dz == 1 else 'studies carry'} no weight in Peto's estimate")
            weights[keep] = V
            with np.errstate(divide="ignore", invalid="ignore"):
                study_y = np.full(n, np.nan)
                study_v = np.full(n, np.nan)
                study_y[keep] = np.where(V > 0, oe / V, np.nan)
                study_v[keep] = np.where(V > 0, 1.0 / V, np.nan)
            q_df = int((V > 0).sum()) - 1
        k = int((weights > 0).sum())
        q_p = float(_st.chi2.sf(q, q_df)) if q_df >= 1 and np.isfinite(q) else math.nan
        i2, h2 = _i2_h2_from_q(q, q_df)
        zval = mu / se if se and np.isfinite(se) and se > 0 else math.nan
        pval = float(p_from_z(zval)) if np.isfinite(zval) else math.nan
        lo, hi = mu - zc * se, mu + zc * se
    else:
        if method == "MH_DL":
            if prep.kind != "counts":
                raise ValueError("method MH_DL needs event counts (events_treat, n_treat, events_ctrl, n_ctrl)")
            if measure != "RD":
                # RevMan leaves tables without events (or with only events) in both arms out of OR/RR.
                dz = ((prep.a == 0) & (prep.c == 0)) | ((prep.a == prep.n1) & (prep.c == prep.n2))
                n_dz = int((usable & dz).sum())
                if n_dz:
                    notes.append(f"{n_dz} double-zero {'study' if n_dz == 1 else 'studies'} left out (not estimable in RevMan)")
                usable = usable & ~dz
                yi_u, vi_u = prep.yi[usable], prep.vi[usable]
        k = int(usable.sum())
        if k == 0:
            raise ValueError("no study has an estimable effect (check zero cells and the correction)")
        q = _q(yi_u, vi_u, 0.0)
        q_df = k - 1
        if method == "MH_DL":
            # RevMan 5 "M-H, random": Q around the Mantel-Haenszel estimate (R meta Q.Cochrane=TRUE),
            # then DerSimonian-Laird tau2 from that Q and inverse-variance random-effects pooling.
            mh = _fit(prep, "MH", correction, False, False, level)
            q = float(np.dot(1.0 / vi_u, (yi_u - mh.log_estimate) ** 2)) if np.isfinite(mh.log_estimate) else q
        q_p = float(_st.chi2.sf(q, q_df)) if q_df >= 1 else math.nan
        if method == "MH_DL":
            w0 = 1.0 / vi_u
            c = w0.sum() - np.dot(w0, w0) / w0.sum()
            tau2 = max(0.0, (q - q_df) / c) if k >= 2 and c > 0 else 0.0
            tau2_ci = tau2_ci_qprofile(yi_u, vi_u, level)
            i2, h2 = _i2_h2_from_q(q, q_df)
        elif method in RE_METHODS:
            tau2 = tau2_estimate(yi_u, vi_u, method)
            tau2_ci = tau2_ci_qprofile(yi_u, vi_u, level)
            i2, h2 = _i2_h2_from_tau2(tau2, vi_u)
        if method in RE_METHODS:
            if k >= 2:
                i2_ci = tuple(_i2_h2_from_tau2(t, vi_u)[0] for t in tau2_ci)
                h2_ci = tuple(_i2_h2_from_tau2(t, vi_u)[1] for t in tau2_ci)
        else:
            i2, h2 = _i2_h2_from_q(q, q_df)
        if method in RE_METHODS and k < 2:
            i2 = h2 = math.nan
        mu, se, w = _iv(yi_u, vi_u, tau2)
        weights[usable] = w
        if hksj and k >= 2:
            # identical effects leave no residual: q is 0 exactly (not rounding noise around 1e-33)
            qh = 0.0 if np.ptp(yi_u) == 0 else float(np.dot(w, (yi_u - mu) ** 2)) / (k - 1)
            if hksj_floor:
                qh = max(1.0, qh)
            se = math.sqrt(qh / w.sum())
            df_t = float(k - 1)
            crit = t_crit(level, k - 1)
            if se > 0:
                zval = mu / se
                pval = float(p_from_t(zval, k - 1))
            else:  # zero-width CI: t is infinite and p is 0 unless the estimate is 0 (metafor likewise)
                zval = math.copysign(math.inf, mu) if mu != 0 else math.nan
                pval = 0.0 if mu != 0 else math.nan
        else:
            if hksj and k < 2:
                notes.append("HKSJ needs k >= 2; the standard interval is reported")
            crit = zc
            zval = mu / se if se > 0 else math.nan
            pval = float(p_from_z(zval)) if np.isfinite(zval) else math.nan
        lo, hi = mu - crit * se, mu + crit * se
        if method in RE_METHODS and k >= 2:
            pi = prediction_interval(mu, se, tau2, k, level, "t_k-1" if df_t else "normal")

    wsum = weights.sum()
    wpct = 100.0 * weights / wsum if wsum > 0 else weights
    with np.errstate(invalid="ignore"):
        s_se = np.sqrt(study_v)
    studies = pd.DataFrame(
        {
            "study": prep.study,
            "yi": study_y,
            "vi": study_v,
            "se": s_se,
            "weight": wpct,
            "estimate": to_display(study_y, measure),
            "ci_low": to_display(study_y - zc * s_se, measure),
            "ci_high": to_display(study_y + zc * s_se, measure),
            "included": weights > 0,
        }
    )
    if prep.kind == "counts":
        studies.insert(1, "events_treat", prep.a)
        studies.insert(2, "n_treat", prep.n1)
        studies.insert(3, "events_ctrl", prep.c)
        studies.insert(4, "n_ctrl", prep.n2)
    return MetaResult(
        measure=measure,
        method=method,
        k=k,
        estimate=float(to_display(mu, measure)),
        ci_low=float(to_display(lo, measure)),
        ci_high=float(to_display(hi, measure)),
        log_estimate=float(mu),
        se=float(se),
        tau2=float(tau2),
        tau2_ci=tuple(float(x) for x in tau2_ci),
        i2=float(i2),
        h2=float(h2),
        q=float(q),
        q_df=int(q_df),
        q_p=float(q_p),
        pi_low=float(to_display(pi[0], measure)),
        pi_high=float(to_display(pi[1], measure)),
        z=float(zval),
        p=float(pval),
        studies=studies,
        level=level,
        correction=correction,
        hksj=bool(hksj),
        hksj_floor=bool(hksj_floor),
        df=df_t,
        tau=math.sqrt(tau2),
        i2_ci=tuple(float(x) for x in i2_ci),
        h2_ci=tuple(float(x) for x in h2_ci),
        notes=notes,
    )


def meta_analysis(
    data: pd.DataFrame,
    measure: str = "OR",
    method: str = "DL",
    correction: str = "all_if_zero",
    hksj: bool = False,
    hksj_floor: bool = False,
    level: float = 0.95,
) -> MetaResult:
    """Meta-analyse a table of studies.

    ``data`` is a DataFrame with a ``study`` column (optional; rows are
    numbered otherwise) and either

    * ``events_treat, n_treat, events_ctrl, n_ctrl`` (measure OR, RR or RD),
    * ``mean_treat, sd_treat, n_treat, mean_ctrl, sd_ctrl, n_ctrl`` (SMD or MD), or
    * ``yi, vi`` — effects already on the analysis scale (log OR/RR for OR/RR;
      the raw scale for RD, SMD, MD or GEN).

    ``method``: FE (alias IV), MH, PETO, DL, PM, REML, ML, or MH_DL (RevMan's
    Mantel–Haenszel random effects).  ``correction``:
    zero-cell handling for counts (see :mod:`evidence.stats.effects`).
    ``hksj``/``hksj_floor``: Hartung–Knapp–Sidik–Jonkman (see module docs);
    ``hksj_floor=True`` implies ``hksj=True``.
    Raises :class:`~evidence.stats.io.StudyDataError` on invalid rows and
    ``ValueError`` on an impossible combination of options.
    """
    measure, method, correction, level = _normalise(measure, method, correction, level)
    prep = _prepare(data, measure, correction)
    return _fit(prep, method, correction, hksj or hksj_floor, hksj_floor, level)


_SUMMARY_COLUMNS = [
    "k", "estimate", "ci_low", "ci_high", "log_estimate", "se", "z", "p",
    "q", "q_p", "tau2", "i2", "h2", "pi_low", "pi_high",
]


def _summary_row(res: MetaResult) -> dict[str, Any]:
    return {c: getattr(res, c) for c in _SUMMARY_COLUMNS}


def _options(kwargs: dict) -> tuple:
    """The keyword options of :func:`meta_analysis`, normalised, for the functions that re-fit it."""
    measure, method, correction, level = _normalise(
        kwargs.pop("measure", "OR"), kwargs.pop("method", "DL"),
        kwargs.pop("correction", "all_if_zero"), kwargs.pop("level", 0.95),
    )
    hksj_floor = kwargs.pop("hksj_floor", False)
    hksj = kwargs.pop("hksj", False) or hksj_floor
    if kwargs:
        raise TypeError(f"unexpected arguments: {', '.join(kwargs)}")
    return measure, method, correction, level, hksj, hksj_floor


def _refit_row(prep, idx, study, fit: tuple) -> dict:
    """One row of a leave-one-out or cumulative table: the model re-fitted on the studies ``idx``."""
    row = {"study": study}
    try:
        row.update(_summary_row(_fit(prep.subset(idx), *fit)))
    except ValueError:  # e.g. no study left with weight
        row.update({c: math.nan for c in _SUMMARY_COLUMNS})
        row["k"] = 0
    return row


def leave_one_out(data: pd.DataFrame, **kwargs) -> pd.DataFrame:
    """Re-fit :func:`meta_analysis` leaving out each study in turn (metafor ``leave1out``).

    One row per omitted study (column ``study``), with the pooled estimate,
    CI, SE, test, Q, τ², I², H² and prediction interval of the remaining studies.
    """
    measure, method, correction, level, hksj, hksj_floor = _options(kwargs)
    prep = _prepare(data, measure, correction)
    n = prep.yi.size
    fit = (method, correction, hksj, hksj_floor, level)
    rows = [_refit_row(prep, np.r_[0:i, i + 1:n], prep.study[i], fit) for i in range(n)]
    return pd.DataFrame(rows, columns=["study"] + _SUMMARY_COLUMNS)


def cumulative(data: pd.DataFrame, order: str | Sequence | None = None, **kwargs) -> pd.DataFrame:
    """Cumulative meta-analysis (metafor ``cumul``): add the studies one at a time.

    Studies enter in row order, or sorted (stably) by ``order`` — a column name
    of ``data`` or a sequence of sort keys.  Row ``i`` is the analysis of the
    first ``i + 1`` studies; ``study`` names the one just added.
    """
    measure, method, correction, level, hksj, hksj_floor = _options(kwargs)
    prep = _prepare(data, measure, correction)
    n = prep.yi.size
    if order is None:
        perm = np.arange(n)
    else:
        keys = data[order].to_numpy() if isinstance(order, str) else np.asarray(order)
        if len(keys) != n:
            raise ValueError("order must have one key per study")
        perm = np.argsort(keys, kind="stable")
    fit = (method, correction, hksj, hksj_floor, level)
    rows = [_refit_row(prep, perm[: j + 1], prep.study[perm[j]], fit) for j in range(n)]
    return pd.DataFrame(rows, columns=["study"] + _SUMMARY_COLUMNS)


# --------------------------------------------------------------------------- #
# Small-study effects
# --------------------------------------------------------------------------- #
def egger_test(yi, vi, level: float = 0.95) -> dict[str, Any]:
    """Egger's regression test for funnel-plot asymmetry (Egger et al. 1997).

    Weighted least squares of ``y_i`` on ``(1, SE_i)`` with weights ``1/v_i``
    and a multiplicative dispersion parameter — identical to Egger's original
    regression of ``y_i/SE_i`` on ``1/SE_i`` (the slope on ``SE_i`` here is
    Egger's intercept, the "bias").  Same as metafor ``regtest(model="lm")``.
    t-test with ``k - 2`` df.

    Returns a dict: ``bias``, ``bias_se``, ``t``, ``df``, ``p``,
    ``limit_estimate`` (the intercept: effect as SE → 0) with its CI, ``k``,
    ``informative`` (False when k < 10: the Cochrane Handbook advises against
    the test with fewer than 10 studies, as it then has too little power) and
    a ``message``.
    """
    yi, vi = np.asarray(yi, float), np.asarray(vi, float)
    ok = np.isfinite(yi) & np.isfinite(vi) & (vi > 0)
    yi, vi = yi[ok], vi[ok]
    k = int(yi.size)
    level = check_level(level)
    out: dict[str, Any] = {"k": k, "df": k - 2, "level": level}
    if k < 3:
        out.update(bias=math.nan, bias_se=math.nan, t=math.nan, p=math.nan,
                   limit_estimate=math.nan, limit_ci=(math.nan, math.nan), informative=False,
                   message=f"Egger's test needs at least 3 studies (k = {k}); not computed")
        return out
    sei = np.sqrt(vi)
    X = np.column_stack([np.ones(k), sei])
    w = 1.0 / vi
    XtW = X.T * w
    cov = np.linalg.inv(XtW @ X)
    beta = cov @ (XtW @ yi)
    resid = yi - X @ beta
    s2 = float(np.dot(w, resid**2)) / (k - 2)
    if s2 <= np.finfo(float).eps ** 2 * max(1.0, float(np.dot(w, yi**2))):
        s2 = 0.0  # a perfect fit (e.g. identical effects): rounding noise is not residual variation
    se_b = np.sqrt(np.diag(cov) * s2)
    t = float(beta[1] / se_b[1]) if se_b[1] > 0 else math.nan
    p = float(p_from_t(t, k - 2)) if np.isfinite(t) else math.nan
    crit = t_crit(level, k - 2)
    informative = k >= 10
    msg = (f"Egger's test: bias {beta[1]:.3f}, t = {t:.3f}, df = {k - 2}, p = {p:.4f}"
           if np.isfinite(t) else "Egger's test: not computable (no residual variation)")
    if not informative:
        msg += f" — uninformative with k = {k} < 10 studies (low power; Cochrane Handbook 13.3.5.4)"
    out.update(
        bias=float(beta[1]), bias_se=float(se_b[1]), t=t, p=p,
        limit_estimate=float(beta[0]),
        limit_ci=(float(beta[0] - crit * se_b[0]), float(beta[0] + crit * se_b[0])),
        informative=informative, message=msg,
    )
    return out
