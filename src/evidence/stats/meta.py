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
from .mh_peto import mantel_haenszel, peto
from .tau2 import (  # noqa: F401  (re-exported: the τ² machinery lived here)
    _iv,
    _loglik,
    _q,
    _tau2_dl,
    _tau2_lik,
    _tau2_pm,
    prediction_interval,
    tau2_ci_qprofile,
    tau2_estimate,
)

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


@dataclass
class _State:
    """What a model family fills in; :func:`_result` turns it into a :class:`MetaResult`."""

    usable: np.ndarray
    weights: np.ndarray
    study_y: np.ndarray
    study_v: np.ndarray
    notes: list
    mu: float = math.nan
    se: float = math.nan
    lo: float = math.nan
    hi: float = math.nan
    zval: float = math.nan
    pval: float = math.nan
    k: int = 0
    q: float = math.nan
    q_df: int = 0
    q_p: float = math.nan
    i2: float = math.nan
    h2: float = math.nan
    tau2: float = 0.0
    tau2_ci: tuple = (math.nan, math.nan)
    i2_ci: tuple = (math.nan, math.nan)
    h2_ci: tuple = (math.nan, math.nan)
    df_t: float | None = None
    pi: tuple = (math.nan, math.nan)


def _plural(n: int, one: str, many: str) -> str:
    return one if n == 1 else many


def _start(prep: _Prep, method: str) -> _State:
    """The studies usable for inverse-variance work, and the notes on those left out."""
    notes: list[str] = []
    usable = np.isfinite(prep.yi) & np.isfinite(prep.vi) & (prep.vi > 0)
    if prep.keep is not None:
        usable &= prep.keep
        n_excl = int((~prep.keep).sum())
        if n_excl:
            notes.append(f"{n_excl} double-zero {_plural(n_excl, 'study', 'studies')} excluded")
    n_unusable = int((~usable).sum()) - (int((~prep.keep).sum()) if prep.keep is not None else 0)
    if n_unusable and method not in ("MH", "PETO"):
        notes.append(f"{n_unusable} {_plural(n_unusable, 'study', 'studies')} not estimable (zero cell without "
                     "correction, or zero variance) and left out")
    n = prep.yi.size
    return _State(usable=usable, weights=np.zeros(n), study_y=prep.yi.copy(), study_v=prep.vi.copy(), notes=notes)


def _double_zero(prep: _Prep) -> np.ndarray:
    return ((prep.a == 0) & (prep.c == 0)) | ((prep.a == prep.n1) & (prep.c == prep.n2))


def _fit_mh(prep: _Prep, st: _State, correction: str) -> None:
    """Mantel–Haenszel fixed effect; Q around the MH estimate with inverse-variance weights."""
    a, n1, c, n2, measure = prep.a, prep.n1, prep.c, prep.n2, prep.measure
    keep = prep.keep if prep.keep is not None else np.ones(a.size, bool)
    dz = _double_zero(prep)
    # Correction (if any) for tables with a zero cell, raw counts for double zeros.
    cc = correct_counts(a, n1, c, n2, "all_if_zero" if correction == "exclude_double_zero" else correction)
    raw = correct_counts(a, n1, c, n2, "none")
    if measure == "RD":
        # RD from the raw tables; the correction only enters its variance (R meta, RevMan).
        mu, se, w = mantel_haenszel(raw.a[keep], raw.b[keep], raw.c[keep], raw.d[keep], "RD",
                                    rd_var_cells=(cc.a[keep], cc.b[keep], cc.c[keep], cc.d[keep]))
    else:
        cells = [np.where(dz, r, x)[keep] for r, x in ((raw.a, cc.a), (raw.b, cc.b), (raw.c, cc.c), (raw.d, cc.d))]
        mu, se, w = mantel_haenszel(*cells, measure)
        n_dz = int((dz & keep).sum())
        if n_dz:
            st.notes.append(f"{n_dz} double-zero {_plural(n_dz, 'study carries', 'studies carry')} "
                            "no weight in the Mantel-Haenszel estimate")
    st.weights[keep] = w
    # Double-zero tables say nothing about OR/RR but are informative for the RD (RD = 0).
    q_use = st.usable & ~dz if measure != "RD" else st.usable
    st.q = float(np.sum((prep.yi[q_use] - mu) ** 2 / prep.vi[q_use])) if np.isfinite(mu) else math.nan
    st.q_df = int(q_use.sum()) - 1
    st.mu, st.se = mu, se


def _fit_peto(prep: _Prep, st: _State) -> None:
    """Peto's one-step odds ratio; the per-study values shown are (O - E)/V and 1/V."""
    if prep.measure != "OR":
        raise ValueError("Peto's method estimates odds ratios only (measure='OR')")
    n = prep.yi.size
    keep = prep.keep if prep.keep is not None else np.ones(n, bool)
    raw = correct_counts(prep.a, prep.n1, prep.c, prep.n2, "none")
    mu, se, oe, V, q = peto(raw.a[keep], raw.b[keep], raw.c[keep], raw.d[keep])
    n_dz = int((_double_zero(prep) & keep).sum())
    if n_dz:
        st.notes.append(f"{n_dz} double-zero {_plural(n_dz, 'study carries', 'studies carry')} no weight in Peto's estimate")
    st.weights[keep] = V
    with np.errstate(divide="ignore", invalid="ignore"):
        st.study_y, st.study_v = np.full(n, np.nan), np.full(n, np.nan)
        st.study_y[keep] = np.where(V > 0, oe / V, np.nan)
        st.study_v[keep] = np.where(V > 0, 1.0 / V, np.nan)
    st.q, st.q_df = q, int((V > 0).sum()) - 1
    st.mu, st.se = mu, se


def _fixed_count_model(prep: _Prep, st: _State, method: str, correction: str, hksj: bool, level: float) -> None:
    """MH or Peto: the model, then k, the heterogeneity and the z test."""
    if prep.kind != "counts":
        raise ValueError(f"method {method} needs event counts (events_treat, n_treat, events_ctrl, n_ctrl)")
    if hksj:
        raise ValueError("HKSJ applies to inverse-variance models (FE, DL, PM, REML, ML), not MH or Peto")
    (_fit_mh if method == "MH" else lambda p, s, _c: _fit_peto(p, s))(prep, st, correction)
    st.k = int((st.weights > 0).sum())
    st.q_p = float(_st.chi2.sf(st.q, st.q_df)) if st.q_df >= 1 and np.isfinite(st.q) else math.nan
    st.i2, st.h2 = _i2_h2_from_q(st.q, st.q_df)
    se = st.se
    st.zval = st.mu / se if se and np.isfinite(se) and se > 0 else math.nan
    st.pval = float(p_from_z(st.zval)) if np.isfinite(st.zval) else math.nan
    zc = z_crit(level)
    st.lo, st.hi = st.mu - zc * se, st.mu + zc * se


def _mh_dl_exclude(prep: _Prep, st: _State) -> None:
    """RevMan leaves tables without events (or with only events) in both arms out of an M-H random OR/RR."""
    if prep.kind != "counts":
        raise ValueError("method MH_DL needs event counts (events_treat, n_treat, events_ctrl, n_ctrl)")
    if prep.measure != "RD":
        dz = _double_zero(prep)
        n_dz = int((st.usable & dz).sum())
        if n_dz:
            st.notes.append(f"{n_dz} double-zero {_plural(n_dz, 'study', 'studies')} left out (not estimable in RevMan)")
        st.usable = st.usable & ~dz


def _mh_dl_heterogeneity(prep: _Prep, st: _State, correction: str, level: float) -> None:
    """RevMan 5 "M-H, random": Q around the MH estimate (R meta ``Q.Cochrane=TRUE``), then the
    DerSimonian–Laird τ² from that Q (and I², H² from that Q)."""
    yi, vi = prep.yi[st.usable], prep.vi[st.usable]
    mh = _State(usable=st.usable.copy(), weights=np.zeros(prep.yi.size), study_y=prep.yi, study_v=prep.vi, notes=[])
    _fit_mh(prep, mh, correction)
    if np.isfinite(mh.mu):
        st.q = float(np.dot(1.0 / vi, (yi - mh.mu) ** 2))
    w0 = 1.0 / vi
    c = w0.sum() - np.dot(w0, w0) / w0.sum()
    st.tau2 = max(0.0, (st.q - st.q_df) / c) if yi.size >= 2 and c > 0 else 0.0
    st.tau2_ci = tau2_ci_qprofile(yi, vi, level)
    st.i2, st.h2 = _i2_h2_from_q(st.q, st.q_df)


def _fit_iv(prep: _Prep, st: _State, method: str, correction: str, level: float) -> None:
    """Inverse variance, fixed (FE) or random effects (DL, PM, REML, ML, MH_DL): τ², Q, I², H²."""
    if method == "MH_DL":
        _mh_dl_exclude(prep, st)
    yi, vi = prep.yi[st.usable], prep.vi[st.usable]
    k = st.k = int(yi.size)
    if k == 0:
        raise ValueError("no study has an estimable effect (check zero cells and the correction)")
    st.q, st.q_df = _q(yi, vi, 0.0), k - 1
    if method == "MH_DL":
        _mh_dl_heterogeneity(prep, st, correction, level)
    elif method in RE_METHODS:
        st.tau2 = tau2_estimate(yi, vi, method)
        st.tau2_ci = tau2_ci_qprofile(yi, vi, level)
        st.i2, st.h2 = _i2_h2_from_tau2(st.tau2, vi)
    else:
        st.i2, st.h2 = _i2_h2_from_q(st.q, st.q_df)
    st.q_p = float(_st.chi2.sf(st.q, st.q_df)) if st.q_df >= 1 else math.nan
    if method in RE_METHODS:
        if k >= 2:
            st.i2_ci = tuple(_i2_h2_from_tau2(t, vi)[0] for t in st.tau2_ci)
            st.h2_ci = tuple(_i2_h2_from_tau2(t, vi)[1] for t in st.tau2_ci)
        else:
            st.i2 = st.h2 = math.nan


def _iv_test(prep: _Prep, st: _State, method: str, hksj: bool, hksj_floor: bool, level: float) -> None:
    """Pool by ``1/(v + τ²)``; z test, or HKSJ's t with k - 1 df; the prediction interval."""
    yi, vi, k = prep.yi[st.usable], prep.vi[st.usable], st.k
    mu, se, w = _iv(yi, vi, st.tau2)
    st.weights[st.usable] = w
    if hksj and k >= 2:
        # identical effects leave no residual: q is 0 exactly (not rounding noise around 1e-33)
        qh = 0.0 if np.ptp(yi) == 0 else float(np.dot(w, (yi - mu) ** 2)) / (k - 1)
        if hksj_floor:
            qh = max(1.0, qh)
        se = math.sqrt(qh / w.sum())
        st.df_t = float(k - 1)
        crit = t_crit(level, k - 1)
        if se > 0:
            st.zval, st.pval = mu / se, float(p_from_t(mu / se, k - 1))
        else:  # zero-width CI: t is infinite and p is 0 unless the estimate is 0 (metafor likewise)
            st.zval = math.copysign(math.inf, mu) if mu != 0 else math.nan
            st.pval = 0.0 if mu != 0 else math.nan
    else:
        if hksj and k < 2:
            st.notes.append("HKSJ needs k >= 2; the standard interval is reported")
        crit = z_crit(level)
        st.zval = mu / se if se > 0 else math.nan
        st.pval = float(p_from_z(st.zval)) if np.isfinite(st.zval) else math.nan
    st.mu, st.se = mu, se
    st.lo, st.hi = mu - crit * se, mu + crit * se
    if method in RE_METHODS and k >= 2:
        st.pi = prediction_interval(mu, se, st.tau2, k, level, "t_k-1" if st.df_t else "normal")


def _fit(prep: _Prep, method: str, correction: str, hksj: bool, hksj_floor: bool, level: float) -> MetaResult:
    """Dispatch to the model family (MH, Peto, inverse variance incl. MH+DL), then build the result."""
    st = _start(prep, method)
    if method in ("MH", "PETO"):
        _fixed_count_model(prep, st, method, correction, hksj, level)
    else:
        _fit_iv(prep, st, method, correction, level)
        _iv_test(prep, st, method, hksj, hksj_floor, level)
    return _result(prep, st, method, correction, hksj, hksj_floor, level)


def _studies_frame(prep: _Prep, st: _State, level: float) -> pd.DataFrame:
    zc, measure = z_crit(level), prep.measure
    wsum = st.weights.sum()
    with np.errstate(invalid="ignore"):
        s_se = np.sqrt(st.study_v)
    studies = pd.DataFrame({
        "study": prep.study, "yi": st.study_y, "vi": st.study_v, "se": s_se,
        "weight": 100.0 * st.weights / wsum if wsum > 0 else st.weights,
        "estimate": to_display(st.study_y, measure),
        "ci_low": to_display(st.study_y - zc * s_se, measure),
        "ci_high": to_display(st.study_y + zc * s_se, measure),
        "included": st.weights > 0,
    })
    if prep.kind == "counts":
        for i, (col, v) in enumerate((("events_treat", prep.a), ("n_treat", prep.n1),
                                      ("events_ctrl", prep.c), ("n_ctrl", prep.n2)), start=1):
            studies.insert(i, col, v)
    return studies


def _result(prep: _Prep, st: _State, method: str, correction: str, hksj: bool, hksj_floor: bool,
            level: float) -> MetaResult:
    m = prep.measure

    def disp(x):
        return float(to_display(x, m))

    return MetaResult(
        measure=m, method=method, k=st.k,
        estimate=disp(st.mu), ci_low=disp(st.lo), ci_high=disp(st.hi),
        log_estimate=float(st.mu), se=float(st.se),
        tau2=float(st.tau2), tau2_ci=tuple(float(x) for x in st.tau2_ci),
        i2=float(st.i2), h2=float(st.h2), q=float(st.q), q_df=int(st.q_df), q_p=float(st.q_p),
        pi_low=disp(st.pi[0]), pi_high=disp(st.pi[1]), z=float(st.zval), p=float(st.pval),
        studies=_studies_frame(prep, st, level), level=level, correction=correction,
        hksj=bool(hksj), hksj_floor=bool(hksj_floor), df=st.df_t, tau=math.sqrt(st.tau2),
        i2_ci=tuple(float(x) for x in st.i2_ci), h2_ci=tuple(float(x) for x in st.h2_ci), notes=st.notes,
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
