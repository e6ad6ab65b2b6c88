"""What a printed pooled result implies (for :mod:`evidence.analyses.meta_analysis`).

The printed CI of an inverse-variance pooled ratio gives its total weight, so the studies that
could not be read must carry the rest (:func:`implied_remainder`); with one unread trial, every
2×2 table of it that reproduces the printed digits can be listed (:func:`implied_tables`). These
are implied by a published result, not data.
"""
from __future__ import annotations

import math
from itertools import product
from typing import Any, Mapping

import numpy as np
import pandas as pd


def published_se(published: Mapping, level: float = 0.95) -> float | None:
    """SE of the log ratio implied by a printed Wald CI: (ln high − ln low) / (2 z)."""
    from evidence.stats._common import z_crit

    lo, hi = published.get("ci_low"), published.get("ci_high")
    if not lo or not hi or lo <= 0:
        return None
    return (math.log(hi) - math.log(lo)) / (2 * z_crit(level))


def implied_remainder(published: Mapping, available, level: float = 0.95) -> dict[str, Any] | None:
    """What the studies we lack must contribute for the printed pooled ratio to hold.

    Under inverse-variance fixed effect the pooled log ratio is
    ``Σ w_i y_i / Σ w_i`` with ``Σ w_i = 1/SE²``. The printed CI gives the
    total weight ``W = 1/SE²``; the studies we have give ``w_a`` and
    ``Σ w_i y_i``; the rest must carry ``w_r = W − w_a`` at
    ``y_r = (W ŷ − Σ_a w_i y_i)/w_r``. ``available`` is the fixed-effect
    (IV) :class:`MetaResult` of the studies we have. Returns None when the
    printed figure has no CI; ``consistent`` is False when the available
    studies alone weigh more than the printed total (then no fixed-effect
    remainder exists).
    """
    from evidence.stats._common import z_crit

    se = published_se(published, level)
    if se is None or published.get("estimate") is None:
        return None
    W = 1.0 / se ** 2
    st = available.studies
    st = st[st["included"]]
    w_a = float((1.0 / st["vi"]).sum())
    s_a = float((st["yi"] / st["vi"]).sum())
    y_pub = math.log(published["estimate"])
    out = {"total_weight": W, "available_weight": w_a, "available_share_pct": 100.0 * w_a / W,
           "published_se": se, "consistent": W > w_a}
    if W <= w_a:
        return out
    w_r = W - w_a
    y_r = (W * y_pub - s_a) / w_r
    z = z_crit(level)
    se_r = 1.0 / math.sqrt(w_r)
    out.update({"remainder_weight": w_r, "remainder_or": math.exp(y_r), "remainder_ci_low": math.exp(y_r - z * se_r),
                "remainder_ci_high": math.exp(y_r + z * se_r), "remainder_se": se_r})
    return out


def matches_printed(value: float, printed: float, decimals: int) -> bool:
    """Does ``value`` round to the printed number (half a unit in the last printed place)?"""
    if value is None or printed is None or not math.isfinite(value):
        return False
    return abs(value - printed) <= 0.5 * 10 ** -decimals + 1e-12


def _iv_log_or(a, n1, c, n2):
    """Woolf log OR and variance, 0.5 added to every cell of a table with a zero cell (vectorised)."""
    a, n1, c, n2 = (np.asarray(x, float) for x in (a, n1, c, n2))
    b, d = n1 - a, n2 - c
    cc = np.where((a == 0) | (b == 0) | (c == 0) | (d == 0), 0.5, 0.0)
    return np.log((a + cc) * (d + cc) / ((b + cc) * (c + cc))), 1 / (a + cc) + 1 / (b + cc) + 1 / (c + cc) + 1 / (d + cc)


def _known_variants(known: pd.DataFrame) -> list[tuple[tuple[int, int, int, int], ...]]:
    """Each known table as curated and, for a crossover trial, with one patient fewer in either
    condition (completers of the two periods may differ)."""
    options = []
    for r in known.itertuples():
        a, n1, c, n2 = int(r.events_treat), int(r.n_treat), int(r.events_ctrl), int(r.n_ctrl)
        opts = [(a, n1, c, n2)]
        if bool(getattr(r, "paired", False)):
            opts += [(a, x, c, y) for x in (n1, n1 - 1) for y in (n2, n2 - 1) if (x, y) != (n1, n2) and x >= a and y >= c]
        options.append(opts)
    return list(product(*options))


def implied_tables(published: Mapping, known: pd.DataFrame, max_n: int = 30, level: float = 0.95) -> pd.DataFrame:
    """The 2×2 tables of one unread trial that, pooled with the known trials, give the printed result.

    Searches every table ``a/n1`` against ``c/n2`` with 1 ≤ n1, n2 ≤ ``max_n`` and pools it with
    the known tables (``known``: rows with events_treat, n_treat, events_ctrl, n_ctrl, paired; a
    crossover row is also tried with one patient fewer in either condition) by inverse-variance
    fixed effect with 0.5 added to every cell of a table with a zero cell: the method that gives
    the printed precision. A table is kept when the pooled estimate and both CI limits round to the
    printed digits. Returns one row per match: the known tables used (``known``, text) and the
    unread trial's ``events_treat, n_treat, events_ctrl, n_ctrl``, with the pooled ``estimate``,
    ``ci_low``, ``ci_high`` and ``p``. These tables are implied by a published result, not data.
    """
    from evidence.stats._common import z_crit
    from scipy.stats import norm

    z = z_crit(level)
    grid = np.array([(a, n1, c, n2) for n1 in range(1, max_n + 1) for n2 in range(1, max_n + 1)
                     for a in range(n1 + 1) for c in range(n2 + 1)], float)
    y2, v2 = _iv_log_or(grid[:, 0], grid[:, 1], grid[:, 2], grid[:, 3])
    rows = []
    for variant in _known_variants(known):
        t = np.array(variant, float)
        y1, v1 = _iv_log_or(t[:, 0], t[:, 1], t[:, 2], t[:, 3])
        w1, s1 = float((1 / v1).sum()), float((y1 / v1).sum())
        w = w1 + 1 / v2
        y = (s1 + y2 / v2) / w
        se = 1 / np.sqrt(w)
        est, lo, hi = np.exp(y), np.exp(y - z * se), np.exp(y + z * se)
        ok = np.ones(len(grid), bool)
        for col, val in (("estimate", est), ("ci_low", lo), ("ci_high", hi)):
            ok &= np.abs(val - published[col]) <= 0.5 * 10.0 ** -published.get(f"{col}_decimals", 2) + 1e-12
        for i in np.flatnonzero(ok):
            rows.append({"known": "; ".join(f"{a}/{n1} vs {c}/{n2}" for a, n1, c, n2 in variant),
                         "events_treat": int(grid[i, 0]), "n_treat": int(grid[i, 1]),
                         "events_ctrl": int(grid[i, 2]), "n_ctrl": int(grid[i, 3]),
                         "estimate": float(est[i]), "ci_low": float(lo[i]), "ci_high": float(hi[i]),
                         "p": float(2 * norm.sf(abs(y[i] / se[i])))})
    return pd.DataFrame(rows, columns=["known", "events_treat", "n_treat", "events_ctrl", "n_ctrl", "estimate",
                                       "ci_low", "ci_high", "p"])
