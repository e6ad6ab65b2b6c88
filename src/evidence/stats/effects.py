"""Effect sizes for binary outcomes: OR, RR, RD, NNT/NNH and single proportions.

Conventions
-----------
* Arm 1 is the treatment arm (``a`` events out of ``n1``), arm 2 the control arm
  (``c`` events out of ``n2``); the 2x2 table is ``a b / c d`` with ``b = n1 - a``
  and ``d = n2 - c``.  Every measure compares treatment with control:
  OR = (a d)/(b c), RR = (a/n1)/(c/n2), RD = a/n1 - c/n2.
* Ratios are analysed on the natural-log scale; ``yi``/``vi`` are the log effect
  and its variance, exactly as metafor's ``escalc`` returns them.
* Confidence intervals for ratios are Wald intervals on the log scale
  (Woolf for the OR; Katz for the RR), back-transformed with ``exp``.

Zero cells
----------
``correction`` selects what happens to a study with a zero cell (the options
match :data:`CORRECTIONS`):

``"none"``
    counts are used as they are (a log ratio with a zero cell is then not
    estimable and comes back as NaN).
``"all_if_zero"`` (default)
    0.5 is added to *every* cell of a study that has at least one zero cell
    (RevMan's and metafor's default, ``escalc(add=1/2, to="only0")``).  Note that
    statsmodels' ``Table2x2`` instead *replaces* zero cells by 0.5 (statsmodels
    issue #7011), which is why it is not used here.
``"treatment_arm"``
    Sweeting, Sutton & Lambert (2004) treatment-arm continuity correction: the
    cells of arm 1 get ``n1/(n1+n2)`` and those of arm 2 get ``n2/(n1+n2)``
    (each arm's correction is proportional to the reciprocal of the size of the
    opposite arm, and the two add up to 1 as 0.5 + 0.5 does).  This is
    ``incr="TACC"`` of R package meta.
``"exclude_double_zero"``
    studies with no events in either arm (or only events in both arms) are
    dropped; the remaining studies with a zero cell get ``all_if_zero``.

The risk difference itself is always the raw difference of proportions; a
correction only enters its variance (as in R meta and RevMan), and Newcombe's
score interval needs none.
"""
from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
from statsmodels.stats.proportion import proportion_confint

from ._common import CORRECTIONS, check_level, clean, p_from_z, z_crit

__all__ = [
    "CORRECTIONS",
    "CorrectedCounts",
    "EffectEstimate",
    "NNTResult",
    "ProportionEstimate",
    "binary_effect_sizes",
    "correct_counts",
    "double_zero",
    "nnt",
    "nnt_from_rd",
    "odds_ratio",
    "proportion",
    "risk_difference",
    "risk_ratio",
    "wilson_ci",
]


# --------------------------------------------------------------------------- #
# Result objects
# --------------------------------------------------------------------------- #
class _Result:
    """What every result object shares: ``to_dict()``, its fields as plain, JSON-ready values."""

    def to_dict(self) -> dict[str, Any]:
        return clean(asdict(self))


@dataclass(frozen=True)
class EffectEstimate(_Result):
    """One effect estimate of a single 2x2 table.

    ``estimate``, ``ci_low`` and ``ci_high`` are on the display scale (ratio
    scale for OR/RR); ``yi`` and ``se`` are on the analysis scale (log scale
    for OR/RR).  ``z`` and ``p`` are the Wald test of no effect.
    """

    measure: str
    estimate: float
    ci_low: float
    ci_high: float
    yi: float
    se: float
    z: float
    p: float
    level: float
    ci_method: str
    correction: str
    corrected: bool


@dataclass(frozen=True)
class ProportionEstimate(_Result):
    """A single proportion ``x/n`` with its confidence interval."""

    x: float
    n: float
    estimate: float
    ci_low: float
    ci_high: float
    level: float
    method: str


@dataclass(frozen=True)
class NNTResult(_Result):
    """Number needed to treat, from a risk difference and its CI (Altman 1998).

    ``kind`` is ``"NNTB"`` (number needed to treat for one additional
    beneficial outcome), ``"NNTH"`` (…for one additional harmful outcome) or
    ``"none"`` when the risk difference is exactly 0 (NNT infinite).
    ``value`` is ``1/|RD|``.  When the CI of the RD excludes 0, ``ci_low`` and
    ``ci_high`` bound the NNT of the same kind.  When it includes 0 the
    interval is disjoint and goes through infinity: ``nntb_bound`` (from the
    benefit-side RD limit) and ``nnth_bound`` (from the harm-side limit) are
    set, ``crosses_zero`` is True and ``text`` reads
    "NNTB x to ∞ to NNTH y".  ``value_rounded`` rounds ``value`` *up* to
    the next whole patient, as is conventional.
    """

    rd: float
    rd_ci_low: float
    rd_ci_high: float
    kind: str
    value: float
    value_rounded: float
    ci_low: float
    ci_high: float
    crosses_zero: bool
    nntb_bound: float
    nnth_bound: float
    level: float
    benefit: str
    text: str


@dataclass(frozen=True)
class CorrectedCounts:
    """Cell counts after zero-cell handling (float arrays).

    ``corrected`` flags studies whose cells were changed; ``keep`` is False for
    studies dropped by ``exclude_double_zero``.
    """

    a: np.ndarray
    b: np.ndarray
    c: np.ndarray
    d: np.ndarray
    corrected: np.ndarray
    keep: np.ndarray

    @property
    def n1(self) -> np.ndarray:
        return self.a + self.b

    @property
    def n2(self) -> np.ndarray:
        return self.c + self.d


# --------------------------------------------------------------------------- #
# Zero cells
# --------------------------------------------------------------------------- #
def _as_counts(a, n1, c, n2):
    a, n1, c, n2 = (np.asarray(x, dtype=float) for x in (a, n1, c, n2))
    a, n1, c, n2 = np.broadcast_arrays(a, n1, c, n2)
    if np.any((a < 0) | (c < 0)):
        raise ValueError("event counts must be >= 0")
    if np.any((n1 <= 0) | (n2 <= 0)):
        raise ValueError("arm sizes must be > 0")
    if np.any((a > n1) | (c > n2)):
        raise ValueError("events cannot exceed the arm size")
    return a, n1, c, n2


def double_zero(a, n1, c, n2) -> np.ndarray:
    """True for studies with no events in both arms, or only events in both arms."""
    a, n1, c, n2 = _as_counts(a, n1, c, n2)
    return ((a == 0) & (c == 0)) | ((a == n1) & (c == n2))


def correct_counts(a, n1, c, n2, correction: str = "all_if_zero", add: float = 0.5) -> CorrectedCounts:
    """Apply a zero-cell correction to 2x2 tables (vectorised; see module docs).

    Parameters are events and arm sizes; ``add`` is the constant of
    ``all_if_zero`` (0.5).  Returns the four (possibly corrected) cells.
    """
    if correction not in CORRECTIONS:
        raise ValueError(f"correction must be one of {CORRECTIONS}, got {correction!r}")
    a, n1, c, n2 = _as_counts(a, n1, c, n2)
    a = np.atleast_1d(a).astype(float)
    n1 = np.atleast_1d(n1).astype(float)
    c = np.atleast_1d(c).astype(float)
    n2 = np.atleast_1d(n2).astype(float)
    b = n1 - a
    d = n2 - c
    has_zero = (a == 0) | (b == 0) | (c == 0) | (d == 0)
    keep = np.ones(a.shape, dtype=bool)
    corrected = np.zeros(a.shape, dtype=bool)
    if correction == "none":
        return CorrectedCounts(a, b, c, d, corrected, keep)
    if correction == "exclude_double_zero":
        keep = ~(((a == 0) & (c == 0)) | ((b == 0) & (d == 0)))
    corrected = has_zero & keep
    if correction == "treatment_arm":
        k1 = n1 / (n1 + n2)
        k2 = n2 / (n1 + n2)
    else:
        k1 = np.full(a.shape, float(add))
        k2 = np.full(a.shape, float(add))
    a = np.where(corrected, a + k1, a)
    b = np.where(corrected, b + k1, b)
    c = np.where(corrected, c + k2, c)
    d = np.where(corrected, d + k2, d)
    return CorrectedCounts(a, b, c, d, corrected, keep)


# --------------------------------------------------------------------------- #
# Vectorised effect sizes (metafor's escalc)
# --------------------------------------------------------------------------- #
def binary_effect_sizes(a, n1, c, n2, measure: str = "OR", correction: str = "all_if_zero"):
    """Per-study effect sizes ``yi`` and sampling variances ``vi`` (like ``escalc``).

    * OR: ``yi = ln(a d / (b c))``, ``vi = 1/a + 1/b + 1/c + 1/d`` (Woolf).
    * RR: ``yi = ln((a/n1)/(c/n2))``, ``vi = 1/a - 1/n1 + 1/c - 1/n2`` (Katz).
    * RD: ``yi = a/n1 - c/n2``, ``vi = p1(1-p1)/n1 + p2(1-p2)/n2``.

    The cells are first passed through :func:`correct_counts`; for the RD the
    correction enters the variance only and ``yi`` is the raw difference (as
    in R meta and RevMan; metafor's ``escalc`` also corrects the RD itself).  Returns
    ``(yi, vi, counts)``; values that are not estimable (a zero cell without a
    correction, a study dropped by ``exclude_double_zero``) are NaN.
    """
    measure = measure.upper()
    cc = correct_counts(a, n1, c, n2, correction)
    A, B, C, D = cc.a, cc.b, cc.c, cc.d
    N1, N2 = A + B, C + D
    with np.errstate(divide="ignore", invalid="ignore"):
        if measure == "OR":
            yi = np.log(A) + np.log(D) - np.log(B) - np.log(C)
            vi = 1.0 / A + 1.0 / B + 1.0 / C + 1.0 / D
        elif measure == "RR":
            yi = np.log(A / N1) - np.log(C / N2)
            vi = 1.0 / A - 1.0 / N1 + 1.0 / C - 1.0 / N2
        elif measure == "RD":
            # The difference itself needs no correction: raw counts (R meta, RevMan); the
            # correction only keeps the variance away from 0 (metafor's escalc corrects both).
            raw = correct_counts(a, n1, c, n2, "none")
            yi = raw.a / raw.n1 - raw.c / raw.n2
            p1, p2 = A / N1, C / N2
            vi = p1 * (1.0 - p1) / N1 + p2 * (1.0 - p2) / N2
        else:
            raise ValueError(f"measure must be OR, RR or RD, got {measure!r}")
    bad = ~np.isfinite(yi) | ~np.isfinite(vi) | ~cc.keep
    yi = np.where(bad, np.nan, yi)
    vi = np.where(bad, np.nan, vi)
    return yi, vi, cc


# --------------------------------------------------------------------------- #
# Single proportions
# --------------------------------------------------------------------------- #
def wilson_ci(x, n, level: float = 0.95):
    """Wilson score interval for ``x/n`` (vectorised; statsmodels, method="wilson").

    statsmodels' ``proportion_confint`` defaults to the Wald interval, so the
    method is always passed explicitly.
    """
    level = check_level(level)
    x, n = np.asarray(x, float), np.asarray(n, float)
    lo, hi = proportion_confint(x, n, alpha=1.0 - level, method="wilson")
    # The score interval is exactly [0, .] for x = 0 and [., 1] for x = n; statsmodels can
    # miss those bounds (or [0, 1]) by a rounding error.
    lo = np.where(x == 0, 0.0, np.clip(lo, 0.0, 1.0))
    hi = np.where(x == n, 1.0, np.clip(hi, 0.0, 1.0))
    return lo, hi


def proportion(x: float, n: float, level: float = 0.95) -> ProportionEstimate:
    """A single proportion with its Wilson score CI (Wilson 1927)."""
    level = check_level(level)
    if n <= 0 or x < 0 or x > n:
        raise ValueError(f"need 0 <= x <= n and n > 0, got x={x}, n={n}")
    lo, hi = wilson_ci(x, n, level)
    return ProportionEstimate(float(x), float(n), float(x) / float(n), float(lo), float(hi), level, "wilson")


# --------------------------------------------------------------------------- #
# Single-study effects
# --------------------------------------------------------------------------- #
def _ratio(measure, a, n1, c, n2, level, correction) -> EffectEstimate:
    level = check_level(level)
    yi, vi, cc = binary_effect_sizes(a, n1, c, n2, measure, correction)
    y, v = float(yi[0]), float(vi[0])
    se = math.sqrt(v) if np.isfinite(v) else math.nan
    z = z_crit(level)
    zval = y / se if se > 0 else math.nan
    return EffectEstimate(
        measure=measure,
        estimate=math.exp(y) if np.isfinite(y) else math.nan,
        ci_low=math.exp(y - z * se) if np.isfinite(y) else math.nan,
        ci_high=math.exp(y + z * se) if np.isfinite(y) else math.nan,
        yi=y,
        se=se,
        z=zval,
        p=float(p_from_z(zval)) if np.isfinite(zval) else math.nan,
        level=level,
        ci_method="log-wald",
        correction=correction,
        corrected=bool(cc.corrected[0]),
    )


def odds_ratio(a, n1, c, n2, level: float = 0.95, correction: str = "all_if_zero") -> EffectEstimate:
    """Odds ratio of one 2x2 table with its Woolf (log-scale Wald) CI.

    ``ln OR = ln(a d / (b c))``, ``SE = sqrt(1/a + 1/b + 1/c + 1/d)``,
    CI = ``exp(ln OR ± z·SE)``.
    """
    return _ratio("OR", a, n1, c, n2, level, correction)


def risk_ratio(a, n1, c, n2, level: float = 0.95, correction: str = "all_if_zero") -> EffectEstimate:
    """Risk ratio of one 2x2 table with its Katz (log-scale Wald) CI.

    ``ln RR = ln((a/n1)/(c/n2))``, ``SE = sqrt(1/a - 1/n1 + 1/c - 1/n2)``.
    """
    return _ratio("RR", a, n1, c, n2, level, correction)


def risk_difference(
    a, n1, c, n2, level: float = 0.95, method: str = "newcombe", correction: str = "all_if_zero"
) -> EffectEstimate:
    """Risk difference ``p1 - p2`` with Newcombe's hybrid score CI (default).

    Newcombe (1998), method 10: with Wilson limits ``(l1, u1)`` for ``p1`` and
    ``(l2, u2)`` for ``p2``,

        lower = RD - sqrt((p1 - l1)^2 + (u2 - p2)^2)
        upper = RD + sqrt((u1 - p1)^2 + (p2 - l2)^2)

    The point estimate and the score interval use the raw counts (no
    correction is needed).  ``se`` and the Wald test use the binomial variance
    of the (corrected, when a cell is zero) counts as in ``escalc``.
    ``method="wald"`` gives ``RD ± z·SE`` instead.
    """
    level = check_level(level)
    a, n1, c, n2 = (float(x) for x in _as_counts(a, n1, c, n2))
    p1, p2 = a / n1, c / n2
    rd = p1 - p2
    _, vi, cc = binary_effect_sizes(a, n1, c, n2, "RD", correction)
    v = float(vi[0])
    se = math.sqrt(v) if np.isfinite(v) else math.nan
    z = z_crit(level)
    if method == "newcombe":
        (l1, u1), (l2, u2) = (tuple(map(float, wilson_ci(x, n, level))) for x, n in ((a, n1), (c, n2)))
        lo = rd - math.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2)
        hi = rd + math.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2)
        ci_method = "newcombe-wilson"
    elif method == "wald":
        lo, hi = rd - z * se, rd + z * se
        ci_method = "wald"
    else:
        raise ValueError("method must be 'newcombe' or 'wald'")
    zval = rd / se if se > 0 else math.nan
    return EffectEstimate(
        measure="RD",
        estimate=rd,
        ci_low=lo,
        ci_high=hi,
        yi=rd,
        se=se,
        z=zval,
        p=float(p_from_z(zval)) if np.isfinite(zval) else math.nan,
        level=level,
        ci_method=ci_method,
        correction=correction,
        corrected=bool(cc.corrected[0]),
    )


# --------------------------------------------------------------------------- #
# NNT / NNH
# --------------------------------------------------------------------------- #
def _fmt(x: float) -> str:
    return "∞" if math.isinf(x) else f"{x:.1f}"


def nnt_from_rd(rd: float, ci_low: float, ci_high: float, benefit: str = "positive", level: float = 0.95) -> NNTResult:
    """NNT (NNTB or NNTH) and its CI from a risk difference (Altman 1998, BMJ 317:1309).

    ``benefit="positive"`` when a positive RD (treatment minus control) is good
    for patients (e.g. response, remission); ``benefit="negative"`` when a
    negative RD is good (e.g. an adverse event or relapse becomes rarer).

    NNT = 1/|RD|.  If the RD CI excludes 0 the NNT limits are the reciprocals
    of the RD limits.  If it includes 0 the NNT CI consists of two pieces
    joined through infinity, reported as "NNTB x to ∞ to NNTH y", where
    ``x = 1/(benefit-side RD limit)`` and ``y = 1/|harm-side RD limit|``.
    """
    if benefit not in ("positive", "negative"):
        raise ValueError("benefit must be 'positive' or 'negative'")
    rd, lo, hi = float(rd), float(ci_low), float(ci_high)
    if lo > hi:
        lo, hi = hi, lo
    sign = 1.0 if benefit == "positive" else -1.0
    # Work on the "benefit scale": positive = good.
    b, blo, bhi = sign * rd, min(sign * lo, sign * hi), max(sign * lo, sign * hi)

    def inv(x: float) -> float:
        return math.inf if x == 0 else 1.0 / abs(x)

    kind = "NNTB" if b > 0 else "NNTH" if b < 0 else "none"
    value = inv(b)
    rounded = math.ceil(value - 1e-9) if math.isfinite(value) else math.inf
    crosses = blo <= 0 <= bhi
    nntb_bound = nnth_bound = math.nan
    if crosses:
        nntb_bound = inv(bhi) if bhi > 0 else math.inf
        nnth_bound = inv(blo) if blo < 0 else math.inf
        ci_low_n, ci_high_n = math.nan, math.nan
        head = f"{kind} {_fmt(value)}" if kind != "none" else "NNT ∞"
        text = f"{head} (95% CI: NNTB {_fmt(nntb_bound)} to ∞ to NNTH {_fmt(nnth_bound)})"
    else:
        ci_low_n, ci_high_n = sorted((inv(blo), inv(bhi)))
        text = f"{kind} {_fmt(value)} (95% CI {_fmt(ci_low_n)} to {_fmt(ci_high_n)})"
    if abs(level - 0.95) > 1e-12:
        text = text.replace("95% CI", f"{level * 100:g}% CI")
    return NNTResult(
        rd=rd,
        rd_ci_low=lo,
        rd_ci_high=hi,
        kind=kind,
        value=value,
        value_rounded=float(rounded),
        ci_low=ci_low_n,
        ci_high=ci_high_n,
        crosses_zero=crosses,
        nntb_bound=nntb_bound,
        nnth_bound=nnth_bound,
        level=level,
        benefit=benefit,
        text=text,
    )


def nnt(a, n1, c, n2, benefit: str = "positive", level: float = 0.95, method: str = "newcombe") -> NNTResult:
    """NNT of one 2x2 table: RD with Newcombe's CI (default), then :func:`nnt_from_rd`."""
    level = check_level(level)
    rd = risk_difference(a, n1, c, n2, level=level, method=method)
    return nnt_from_rd(rd.estimate, rd.ci_low, rd.ci_high, benefit=benefit, level=level)
