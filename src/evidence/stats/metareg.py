"""Meta-regression with moderators and subgroup analysis (metafor ``rma(yi, vi, mods = ~ ...)``).

Model ``y_i = x_i'β + u_i + e_i``, ``u_i ~ N(0, τ²)``, ``e_i ~ N(0, v_i)``. With
``W = diag(1/(v_i + τ²))`` and ``P = W - W X (X'WX)⁻¹ X'W``:

* τ² (residual heterogeneity): FE 0; DL ``max(0, (Q_E - (k - p)) / tr P₀)`` with ``P₀`` at τ² = 0;
  PM the root of ``y'P y = k - p``; REML Fisher scoring ``τ² += (y'PPy - tr P) / tr PP``;
  ML ``τ² += (y'PPy - tr W) / tr WW`` (metafor's updates; truncated at 0).
* ``β = (X'WX)⁻¹ X'W y``, ``Var β = (X'WX)⁻¹``; with Knapp–Hartung (``hksj``) multiplied by
  ``s² = y'Py / (k - p)`` and t tests with k - p df (metafor ``test="knha"``).
* Q_M (omnibus test of the moderators, intercept excluded): ``β'V⁻¹β`` ~ χ²(m), or F(m, k - p) = Q_M / m
  with Knapp–Hartung. Q_E = ``y'P₀y`` ~ χ²(k - p). R² = ``max(0, (τ²₀ - τ²) / τ²₀)`` with τ²₀ the
  intercept-only τ² by the same method.

Every trace is computed from p×p matrices, never k×k, so that large k stays cheap.
"""
from __future__ import annotations

import math
from typing import Any, Sequence

import numpy as np
import pandas as pd
from scipy import optimize
from scipy import stats as _st

from ._common import check_level, t_crit, z_crit
from .tau2 import iv_pool, tau2_estimate

__all__ = ["design_matrix", "tau2_mods", "meta_regression", "subgroups"]

_MR_METHODS = ("FE", "DL", "PM", "REML", "ML")


def design_matrix(data: pd.DataFrame, moderators: Sequence[str]) -> tuple[np.ndarray, list[str]]:
    """Intercept plus each moderator: numeric columns as they are, others as treatment-coded dummies
    (first level, in sorted order, the reference, as R's factor coding)."""
    cols, names = [np.ones(len(data))], ["intercept"]
    for m in moderators:
        if m not in data.columns:
            raise ValueError(f"no column {m!r} for --moderator (columns: {', '.join(map(str, data.columns))})")
        s = data[m]
        num = pd.to_numeric(s, errors="coerce")
        if num.notna().all():
            cols.append(num.to_numpy(float))
            names.append(str(m))
        else:
            if s.isna().any() or (s.astype(str).str.strip() == "").any():
                raise ValueError(f"column {m!r} has a missing value; every study needs a moderator value")
            levels = sorted(s.astype(str).unique())
            for lev in levels[1:]:
                cols.append((s.astype(str) == lev).to_numpy(float))
                names.append(f"{m}={lev}")
    X = np.column_stack(cols)
    if np.linalg.matrix_rank(X) < X.shape[1]:
        raise ValueError("the moderators are collinear (a column is a combination of the others)")
    return X, names


def _parts(yi, vi, X, t2):
    """w, (X'WX)⁻¹, residuals e = y - Xβ, β."""
    w = 1.0 / (vi + t2)
    A = np.linalg.inv((X.T * w) @ X)
    beta = A @ ((X.T * w) @ yi)
    return w, A, yi - X @ beta, beta


def _traces(w, A, X):
    """tr P and tr PP without forming k×k matrices."""
    B = A @ ((X.T * w**2) @ X)
    tr_p = w.sum() - np.trace(B)
    tr_pp = np.dot(w, w) - 2 * np.trace(A @ ((X.T * w**3) @ X)) + np.trace(B @ B)
    return tr_p, tr_pp


def _ypy(w, e):
    return float(np.dot(w, e * e))


def _ppy(w, A, X, e):
    # P y = W e (e the WLS residuals), so y'PPy = Σ (w e)²
    return float(np.dot(w * e, w * e))


def tau2_mods(yi, vi, X, method: str = "REML", tol: float = 1e-12, maxiter: int = 1000) -> float:
    """Residual τ² of a meta-regression (see the module docstring)."""
    yi, vi, X = np.asarray(yi, float), np.asarray(vi, float), np.asarray(X, float)
    k, p = X.shape
    method = method.upper()
    if method in ("FE", "IV") or k <= p:
        return 0.0
    if X.shape[1] == 1:
        return tau2_estimate(yi, vi, method)
    if method == "DL":
        w, A, e, _ = _parts(yi, vi, X, 0.0)
        tr_p, _ = _traces(w, A, X)
        return max(0.0, (_ypy(w, e) - (k - p)) / tr_p)
    if method == "PM":
        def f(t):
            w, _, e, _ = _parts(yi, vi, X, t)
            return _ypy(w, e) - (k - p)

        if f(0.0) <= 0:
            return 0.0
        hi = max(float(np.var(yi)), 1e-8)
        while f(hi) > 0:
            hi *= 2.0
        return float(optimize.brentq(f, 0.0, hi, xtol=1e-14, rtol=1e-14, maxiter=500))
    if method not in ("REML", "ML"):
        raise ValueError(f"meta-regression estimates tau² by {', '.join(_MR_METHODS)}, not {method}")
    t = max(0.0, tau2_mods(yi, vi, X, "DL"))
    for _ in range(maxiter):
        w, A, e, _ = _parts(yi, vi, X, t)
        if method == "REML":
            tr_p, tr_pp = _traces(w, A, X)
            step = (_ppy(w, A, X, e) - tr_p) / tr_pp
        else:
            step = (_ppy(w, A, X, e) - w.sum()) / np.dot(w, w)
        new = max(0.0, t + step)
        if abs(new - t) <= tol * max(1.0, t):
            return new
        t = new
    raise ValueError("the tau² iterations of the meta-regression did not converge")


def meta_regression(yi, vi, X, names: Sequence[str], method: str = "REML", hksj: bool = False,
                    level: float = 0.95) -> dict[str, Any]:
    """Fit the mixed-effects meta-regression; coefficients with SE, CI and p, τ², R², Q_M and Q_E."""
    yi, vi, X = np.asarray(yi, float), np.asarray(vi, float), np.asarray(X, float)
    level = check_level(level)
    k, p = X.shape
    if k <= p:
        raise ValueError(f"meta-regression with {p} coefficients needs more than {p} studies (k = {k})")
    method = "FE" if method.upper() == "IV" else method.upper()
    t2 = tau2_mods(yi, vi, X, method)
    w, A, e, beta = _parts(yi, vi, X, t2)
    s2 = _ypy(w, e) / (k - p) if hksj else 1.0
    vb = A * s2
    se = np.sqrt(np.diag(vb))
    stat = beta / se
    if hksj:
        crit = t_crit(level, k - p)
        pv = 2 * _st.t.sf(np.abs(stat), k - p)
    else:
        crit = z_crit(level)
        pv = 2 * _st.norm.sf(np.abs(stat))
    coef = pd.DataFrame({"term": list(names), "estimate": beta, "se": se, "ci_low": beta - crit * se,
                         "ci_high": beta + crit * se, "z" if not hksj else "t": stat, "p": pv})
    m = p - 1
    qm = qm_p = math.nan
    if m:
        b, V = beta[1:], vb[1:, 1:]
        qm = float(b @ np.linalg.solve(V, b))
        if hksj:
            qm /= m
            qm_p = float(_st.f.sf(qm, m, k - p))
        else:
            qm_p = float(_st.chi2.sf(qm, m))
    w0, _, e0, _ = _parts(yi, vi, X, 0.0)
    qe = _ypy(w0, e0)
    t2_null = tau2_estimate(yi, vi, method) if method != "FE" else 0.0
    r2 = max(0.0, 100.0 * (t2_null - t2) / t2_null) if t2_null > 0 else (0.0 if method != "FE" else math.nan)
    return {"coefficients": coef, "tau2": t2, "k": k, "p": p, "qm": qm, "qm_df": (m, k - p) if hksj else m,
            "qm_p": qm_p, "qm_test": "F" if hksj else "chi2", "qe": qe, "qe_df": k - p,
            "qe_p": float(_st.chi2.sf(qe, k - p)), "r2": r2, "method": method, "hksj": hksj, "level": level}


def subgroups(yi, vi, groups, method: str = "DL", hksj: bool = False, level: float = 0.95) -> dict[str, Any]:
    """Pool each subgroup separately (own τ², as RevMan) and test for subgroup differences.

    Q_between = Σ (μ_g - μ̄)² / SE_g² with μ̄ the fixed-effect pool of the subgroup estimates, df G - 1:
    the same as metafor ``rma(yi = μ_g, sei = SE_g, method = "FE")$QE``.
    """
    from .meta import meta_analysis

    yi, vi = np.asarray(yi, float), np.asarray(vi, float)
    g = pd.Series(groups).astype(str).to_numpy()
    rows = []
    for lev in sorted(set(g)):
        sel = g == lev
        res = meta_analysis(pd.DataFrame({"yi": yi[sel], "vi": vi[sel]}), measure="GEN", method=method,
                            hksj=hksj, level=level)
        rows.append({"subgroup": lev, "k": res.k, "estimate": res.log_estimate, "se": res.se,
                     "ci_low": res.ci_low, "ci_high": res.ci_high, "p": res.p, "tau2": res.tau2, "i2": res.i2,
                     "q": res.q, "q_df": res.q_df})
    tab = pd.DataFrame(rows)
    G = len(tab)
    if G < 2:
        raise ValueError("a test for subgroup differences needs at least two subgroups")
    mu, _, _ = iv_pool(tab["estimate"].to_numpy(), tab["se"].to_numpy() ** 2)
    qb = float(np.sum((tab["estimate"] - mu) ** 2 / tab["se"] ** 2))
    return {"subgroups": tab, "q_between": qb, "df": G - 1, "p": float(_st.chi2.sf(qb, G - 1)),
            "method": method}
