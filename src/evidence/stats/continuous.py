"""Continuous outcomes and conversions between effect measures.

* :func:`smd` — Hedges' g with metafor's variance (``escalc(measure="SMD")``).
* :func:`mean_difference` — raw mean difference.
* :func:`or_to_smd` / :func:`smd_to_or` — Chinn (2000) logistic conversion.
* :func:`smd_to_nnt` — Kraemer & Kupfer (2006) or Furukawa (1999) NNT.
* :func:`se_from_ci` / :func:`se_from_p` — recover a standard error
  (Cochrane Handbook 6.3.1; Altman & Bland 2011, BMJ 343:d2090).

Arm 1 is treatment, arm 2 control; a positive SMD/MD means arm 1 has the
higher mean.
"""
from __future__ import annotations

import math

import numpy as np
from scipy import stats as _st
from scipy.special import gammaln

from ._common import check_level, z_crit

__all__ = [
    "hedges_correction",
    "mean_difference",
    "or_to_smd",
    "se_from_ci",
    "se_from_p",
    "smd",
    "smd_to_nnt",
    "smd_to_or",
]

_SQRT3_PI = math.sqrt(3.0) / math.pi


def hedges_correction(m):
    """Exact small-sample bias correction J(m) of Hedges (1981), m = n1 + n2 - 2.

    ``J(m) = Γ(m/2) / (sqrt(m/2) Γ((m-1)/2))`` — what metafor uses (its
    ``.cmicalc``); ``1 - 3/(4m - 1)`` is the familiar approximation.
    """
    m = np.asarray(m, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        out = np.exp(gammaln(m / 2.0) - 0.5 * np.log(m / 2.0) - gammaln((m - 1.0) / 2.0))
    return np.where(m > 1, out, np.nan)


def smd(m1, sd1, n1, m2, sd2, n2, vtype: str = "LS"):
    """Standardised mean difference (Hedges' g) and its sampling variance.

    ``d = (m1 - m2) / s_p`` with the pooled SD
    ``s_p = sqrt(((n1-1) sd1² + (n2-1) sd2²) / (n1 + n2 - 2))``, and
    ``g = J(n1 + n2 - 2) · d`` (:func:`hedges_correction`).

    Variance (metafor ``escalc(measure="SMD")``):

    * ``vtype="LS"`` (metafor's default, large-sample):
      ``v = 1/n1 + 1/n2 + g² / (2 (n1 + n2))``
    * ``vtype="UB"`` (unbiased, Hedges 1983):
      ``v = 1/n1 + 1/n2 + (1 - (m - 2)/(m J²)) g²``

    Vectorised; returns ``(yi, vi)``.
    """
    m1, sd1, n1, m2, sd2, n2 = (np.asarray(x, dtype=float) for x in (m1, sd1, n1, m2, sd2, n2))
    m = n1 + n2 - 2.0
    with np.errstate(invalid="ignore", divide="ignore"):
        sp = np.sqrt(((n1 - 1.0) * sd1**2 + (n2 - 1.0) * sd2**2) / m)
        j = hedges_correction(m)
        yi = j * (m1 - m2) / sp
        if vtype == "LS":
            vi = 1.0 / n1 + 1.0 / n2 + yi**2 / (2.0 * (n1 + n2))
        elif vtype == "UB":
            vi = 1.0 / n1 + 1.0 / n2 + (1.0 - (m - 2.0) / (m * j**2)) * yi**2
        else:
            raise ValueError("vtype must be 'LS' or 'UB'")
    return yi, vi


def mean_difference(m1, sd1, n1, m2, sd2, n2):
    """Raw mean difference ``m1 - m2`` with variance ``sd1²/n1 + sd2²/n2``."""
    m1, sd1, n1, m2, sd2, n2 = (np.asarray(x, dtype=float) for x in (m1, sd1, n1, m2, sd2, n2))
    return m1 - m2, sd1**2 / n1 + sd2**2 / n2


def or_to_smd(log_or, var_log_or=None):
    """Chinn (2000): ``SMD = ln(OR) · √3/π``; variance ``var(ln OR) · 3/π²``.

    Takes the *log* odds ratio.  Returns the SMD, or ``(SMD, variance)`` when a
    variance is given.
    """
    d = np.asarray(log_or, dtype=float) * _SQRT3_PI
    if var_log_or is None:
        return d
    return d, np.asarray(var_log_or, dtype=float) * _SQRT3_PI**2


def smd_to_or(d, var_d=None):
    """Inverse of :func:`or_to_smd`: ``ln(OR) = SMD · π/√3``.  Returns the *log* OR."""
    lo = np.asarray(d, dtype=float) / _SQRT3_PI
    if var_d is None:
        return lo
    return lo, np.asarray(var_d, dtype=float) / _SQRT3_PI**2


def smd_to_nnt(d, method: str = "kraemer", cer: float | None = None):
    """NNT implied by a standardised mean difference.

    ``method="kraemer"`` (Kraemer & Kupfer 2006): ``NNT = 1 / (2 Φ(d/√2) - 1)``,
    i.e. one over the area-under-the-curve difference; no event rate needed.

    ``method="furukawa"`` (Furukawa 1999; Furukawa & Leucht 2011) needs the
    control event rate ``cer`` of a *beneficial* event (e.g. response):
    ``NNT = 1 / (Φ(d + Φ⁻¹(CER)) - CER)``.

    A positive NNT is an NNTB; a negative value means the treatment is worse
    (its absolute value is an NNTH); d = 0 gives infinity.
    """
    d = np.asarray(d, dtype=float)
    with np.errstate(divide="ignore"):
        if method == "kraemer":
            diff = 2.0 * _st.norm.cdf(d / math.sqrt(2.0)) - 1.0
        elif method == "furukawa":
            if cer is None or not 0.0 < float(cer) < 1.0:
                raise ValueError("Furukawa's method needs a control event rate 0 < cer < 1")
            diff = _st.norm.cdf(d + _st.norm.ppf(float(cer))) - float(cer)
        else:
            raise ValueError("method must be 'kraemer' or 'furukawa'")
        out = np.where(diff == 0, np.inf, 1.0 / np.where(diff == 0, 1.0, diff))
    return out if out.ndim else float(out)


def se_from_ci(ci_low, ci_high, level: float = 0.95, log: bool = False):
    """Standard error from a symmetric CI: ``(upper - lower) / (2 z)``.

    ``log=True`` for ratio measures (OR, RR, HR): the limits are logged first
    and the SE is on the log scale (Cochrane Handbook §6.3.1).
    """
    level = check_level(level)
    lo, hi = np.asarray(ci_low, dtype=float), np.asarray(ci_high, dtype=float)
    if log:
        lo, hi = np.log(lo), np.log(hi)
    out = (hi - lo) / (2.0 * z_crit(level))
    return out if out.ndim else float(out)


def se_from_p(estimate, p, log: bool = False):
    """Standard error from an estimate and its two-sided p-value (Altman & Bland 2011, BMJ 343:d2090).

    ``z = Φ⁻¹(1 - p/2)``, ``SE = |estimate| / z``; for ratios pass the ratio
    and ``log=True`` (SE on the log scale).
    """
    est = np.asarray(estimate, dtype=float)
    if log:
        est = np.log(est)
    z = _st.norm.isf(np.asarray(p, dtype=float) / 2.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.abs(est) / z
    return out if out.ndim else float(out)
