"""Small-study effects and influence: Begg's rank test, trim-and-fill, influence diagnostics.

All work on per-study ``yi``/``vi`` on the analysis scale (log OR/RR for OR/RR) and an
inverse-variance model, like metafor's ``ranktest``, ``trimfill`` and ``influence`` on an
``rma.uni`` fit; ``tests/parity`` compares them with metafor live. Egger's test is
:func:`evidence.stats.meta.egger_test`.
"""
from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats as _st

from .tau2 import iv_pool, q_statistic, tau2_estimate

__all__ = ["begg_test", "trimfill", "influence"]

#: the Cochrane Handbook (13.3.5.4) advises against tests for funnel-plot asymmetry below this k
MIN_K_INFORMATIVE = 10


def _clean(yi, vi):
    yi, vi = np.asarray(yi, float), np.asarray(vi, float)
    ok = np.isfinite(yi) & np.isfinite(vi) & (vi > 0)
    return yi[ok], vi[ok], ok


def begg_test(yi, vi) -> dict[str, Any]:
    """Begg & Mazumdar's (1994) rank correlation test (metafor ``ranktest``).

    Kendall's tau between the standardised effects ``(y_i - μ_FE) / sqrt(v_i - 1/Σw)`` and the
    variances ``v_i``; p from the exact null distribution when k < 50 and there are no ties, else
    the normal approximation (as R's ``cor.test``). Flagged uninformative when k < 10.
    """
    yi, vi, _ = _clean(yi, vi)
    k = int(yi.size)
    out: dict[str, Any] = {"k": k, "informative": k >= MIN_K_INFORMATIVE}
    if k < 3:
        out.update(tau=math.nan, p=math.nan, message=f"Begg's test needs at least 3 studies (k = {k}); not computed")
        return out
    if np.ptp(yi) == 0:  # identical effects: no ranks to correlate (metafor gives NA)
        out.update(tau=math.nan, p=math.nan, message="Begg's test: not computable (every effect is the same)")
        return out
    w = 1.0 / vi
    mu = float(np.dot(w, yi) / w.sum())
    ystar = (yi - mu) / np.sqrt(vi - 1.0 / w.sum())
    ties = len(np.unique(ystar)) < k or len(np.unique(vi)) < k
    method = "exact" if k < 50 and not ties else "asymptotic"
    res = _st.kendalltau(ystar, vi, method=method)
    tau, p = float(res.statistic), float(res.pvalue)
    msg = f"Begg's test: Kendall's tau = {tau:.4f}, p = {p:.4f} (k = {k})"
    if k < MIN_K_INFORMATIVE:
        msg += f"; uninformative with k = {k} < {MIN_K_INFORMATIVE} studies (low power; Cochrane Handbook 13.3.5.4)"
    out.update(tau=tau, p=p, message=msg)
    return out


def _l0(y_sorted, vi_sorted, method, k):
    """Iterate the L0 estimator of the number of missing studies (Duval & Tweedie 2000)."""
    k0, prev, it = 0, -1, 0
    mu = math.nan
    while k0 != prev:
        prev = k0
        it += 1
        if it > 100:
            raise ValueError("trim-and-fill did not converge")
        yt, vt = y_sorted[: k - k0], vi_sorted[: k - k0]
        mu = iv_pool(yt, vt, tau2_estimate(yt, vt, method))[0]
        c = y_sorted - mu
        ranks = _st.rankdata(np.abs(c), method="ordinal")
        sr = float(np.sum(ranks[c > 0]))
        k0 = max(0, int(round((4 * sr - k * (k + 1)) / (2 * k - 1))))
        k0 = min(k0, k - 1)
    return k0, mu


def trimfill(yi, vi, method: str = "FE", side: str | None = None) -> dict[str, Any]:
    """Duval & Tweedie's trim-and-fill with the L0 estimator (metafor ``trimfill`` defaults).

    ``side`` (where studies are missing) is chosen as metafor does when not given: from the sign
    of the slope of ``y`` on ``sqrt(v)`` by weighted least squares (missing on the left when the
    slope is positive). Returns ``k0``, its side, the filled ``yi``/``vi`` and the pooled fit of
    the k + k0 studies (``estimate``, ``se``, ``tau2``) by ``method``.
    """
    yi, vi, _ = _clean(yi, vi)
    k = int(yi.size)
    if k < 3:
        raise ValueError(f"trim-and-fill needs at least 3 studies (k = {k})")
    if side is None:
        # the slope of a weighted regression on sqrt(v) with the model's tau2 (metafor)
        sei = np.sqrt(vi)
        X = np.column_stack([np.ones(k), sei])
        t2 = _tau2_mods(yi, vi, X, method)
        w = 1.0 / (vi + t2)
        beta = np.linalg.solve((X.T * w) @ X, (X.T * w) @ yi)
        side = "left" if beta[1] >= 0 else "right"
    sign = -1.0 if side == "right" else 1.0
    y = sign * yi
    order = np.argsort(y, kind="stable")
    ys, vs = y[order], vi[order]
    k0, mu_trim = _l0(ys, vs, method, k) if np.ptp(ys) > 0 else (0, math.nan)
    if k0:
        fill_y = 2 * mu_trim - ys[k - k0:]
        fill_v = vs[k - k0:]
        y_all = np.concatenate([yi, sign * fill_y])
        v_all = np.concatenate([vi, fill_v])
    else:
        y_all, v_all = yi, vi
    t2 = tau2_estimate(y_all, v_all, method)
    mu, se, _ = iv_pool(y_all, v_all, t2)
    return {"k0": k0, "side": side, "estimate": mu, "se": se, "tau2": t2, "k": k + k0,
            "filled_yi": y_all[k:], "filled_vi": v_all[k:]}


def _tau2_mods(yi, vi, X, method):
    from .metareg import tau2_mods

    return tau2_mods(yi, vi, X, method)


def influence(yi, vi, method: str = "DL", hksj: bool = False, study=None) -> pd.DataFrame:
    """Case-deletion diagnostics of an intercept-only model (metafor ``influence.rma.uni``).

    Per study: ``rstudent`` (externally standardised residual), ``dffits``, ``cook_d``,
    ``hat``, ``weight`` (percent), ``tau2_del`` and ``q_del`` (τ² and Q with the study left out).
    With ``hksj`` the Knapp–Hartung factor of each fit scales the variances, as in metafor.
    """
    yi, vi, _ = _clean(yi, vi)
    k = int(yi.size)
    if k < 3:
        raise ValueError(f"influence diagnostics need at least 3 studies (k = {k})")
    t2 = tau2_estimate(yi, vi, method)
    mu, se, w = iv_pool(yi, vi, t2)
    vb = _s2w(yi, vi, t2, mu, hksj) / w.sum() if hksj else se * se
    hat = w / w.sum()
    rows = []
    with np.errstate(divide="ignore", invalid="ignore"):
        for i in range(k):
            rows.append(_case_deleted(yi, vi, i, method, hksj, mu, vb, hat, study))
    return pd.DataFrame(rows)


def _case_deleted(yi, vi, i, method, hksj, mu, vb, hat, study) -> dict:
    """The diagnostics of study ``i``: the model refitted without it."""
    k = yi.size
    keep = np.arange(k) != i
    y, v = yi[keep], vi[keep]
    t2d = tau2_estimate(y, v, method)
    mud, sed, wd = iv_pool(y, v, t2d)
    s2w = _s2w(y, v, t2d, mud, hksj) if hksj else 1.0
    vbd = s2w / wd.sum()
    resid = yi[i] - mud
    return {
        "study": None if study is None else study[i],
        "rstudent": np.float64(resid) / np.sqrt(vi[i] * s2w + vbd + t2d * s2w),
        "dffits": np.float64(mu - mud) / np.sqrt(s2w * hat[i] * (t2d + vi[i])),
        "cook_d": np.float64(mu - mud) ** 2 / vb,
        "hat": hat[i], "weight": 100 * hat[i],
        "tau2_del": t2d, "q_del": q_statistic(y, v),
    }


def _s2w(y, v, t2, mu, hksj):
    if not hksj:
        return 1.0
    w = 1.0 / (v + t2)
    return 0.0 if np.ptp(y) == 0 else float(np.dot(w, (y - mu) ** 2)) / (y.size - 1)
