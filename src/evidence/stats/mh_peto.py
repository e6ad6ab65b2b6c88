"""Mantel–Haenszel and Peto pooling on 2×2 count arrays (formulas: :mod:`evidence.stats.meta`)."""
from __future__ import annotations

import math

import numpy as np

__all__ = ["mantel_haenszel", "peto"]

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


