"""Internal-consistency checks of printed statistics (statcheck/GRIM spirit).

Each check returns a :class:`CheckResult` with ``ok`` and a one-line
``message``; ``details`` holds the numbers behind the verdict.

Printed precision matters: "28.94" stands for anything in [28.935, 28.945].
Every check therefore works with the *rounding box* of the printed values.
Numbers may be passed as strings (their decimals are read from the text, and
"%", "−" and thousands separators are understood) or as numbers (decimals are
read from the shortest repr, e.g. ``28.94`` → 2; pass ``decimals=`` to
override).

* :func:`check_estimate_ci` — is the estimate the centre of its CI (geometric
  centre for ratios, i.e. symmetric on the log scale)?
* :func:`check_ci_p` — does the CI imply the printed p-value?
* :func:`check_percentage` — can ``pct`` % of ``n`` be a whole count?
* :func:`grim` — GRIM test (Brown & Heathers 2017) for means of integer data.
"""
from __future__ import annotations

import itertools
import math
import re
from dataclasses import dataclass, field
from typing import Any

from scipy import stats as _st

from ._common import check_level, clean, z_crit

__all__ = ["CheckResult", "check_ci_p", "check_estimate_ci", "check_percentage", "grim", "parse_number"]

_EPS = 1e-9


@dataclass(frozen=True)
class CheckResult:
    ok: bool
    message: str
    check: str = ""
    details: dict = field(default_factory=dict)

    def __bool__(self) -> bool:  # pragma: no cover - convenience
        return self.ok

    def to_dict(self) -> dict[str, Any]:
        return clean({"ok": self.ok, "message": self.message, "check": self.check, "details": self.details})


def parse_number(x, decimals: int | None = None) -> tuple[float, int]:
    """Value and number of printed decimals of ``x`` (str or number)."""
    if isinstance(x, str):
        s = x.strip().replace("\u2212", "-").replace("%", "").replace(",", "").replace(" ", "")
        if s.startswith("."):
            s = "0" + s
        s = s.replace("-.", "-0.")
        try:
            value = float(s)
        except ValueError:
            raise ValueError(f"not a number: {x!r}") from None
        dec = len(s.split(".", 1)[1]) if "." in s and "e" not in s.lower() else 0
    else:
        value = float(x)
        if isinstance(x, int):
            dec = 0
        else:
            r = repr(value)
            dec = len(r.split(".", 1)[1]) if "." in r and "e" not in r else 0
    if not math.isfinite(value):
        raise ValueError(f"not a finite number: {x!r}")
    return value, (dec if decimals is None else int(decimals))


def _half(dec: int) -> float:
    return 0.5 * 10.0 ** (-dec)


def _box(value: float, dec: int) -> tuple[float, float]:
    h = _half(dec)
    return value - h, value + h


# --------------------------------------------------------------------------- #
def check_estimate_ci(estimate, ci_low, ci_high, ratio: bool = True, decimals: int | None = None) -> CheckResult:
    """Is the printed estimate the centre of its printed CI?

    For ratios (OR, RR, HR) a Wald CI is symmetric on the log scale, so the
    estimate should equal ``sqrt(low · high)``; for differences, ``(low+high)/2``.
    ``ok`` is True when some values inside the rounding boxes of the three
    numbers satisfy this exactly, and the estimate lies inside the CI.
    ``details["discrepancy"]`` is ``ln(est) - (ln low + ln high)/2`` for
    ratios (``est - midpoint`` otherwise) and ``details["asymmetry"]`` the same
    as a fraction of the CI half-width.  Exact, profile or score intervals are
    legitimately asymmetric, so a failure is a prompt to look, not proof.
    """
    (e, de), (lo, dl), (hi, dh) = (parse_number(v, decimals) for v in (estimate, ci_low, ci_high))
    if lo > hi:
        lo, hi = hi, lo
        dl, dh = dh, dl
    elo, ehi = _box(e, de)
    llo, lhi = _box(lo, dl)
    hlo, hhi = _box(hi, dh)
    if ratio:
        if min(e, lo, hi) <= 0:
            return CheckResult(False, "a ratio and its CI must be positive", "estimate_ci",
                               {"estimate": e, "ci_low": lo, "ci_high": hi})
        implied = math.sqrt(lo * hi)
        imp_lo = math.sqrt(max(llo, 0.0) * max(hlo, 0.0))
        imp_hi = math.sqrt(lhi * hhi)
        disc = math.log(e) - 0.5 * (math.log(lo) + math.log(hi))
        half = 0.5 * (math.log(hi) - math.log(lo))
    else:
        implied = 0.5 * (lo + hi)
        imp_lo, imp_hi = 0.5 * (llo + hlo), 0.5 * (lhi + hhi)
        disc = e - implied
        half = 0.5 * (hi - lo)
    inside = elo <= hhi + _EPS and ehi >= llo - _EPS  # the estimate can lie within the CI
    consistent = imp_lo <= ehi + _EPS and imp_hi >= elo - _EPS
    details = {
        "estimate": e, "ci_low": lo, "ci_high": hi, "implied_estimate": implied,
        "implied_range": (imp_lo, imp_hi), "discrepancy": disc,
        "asymmetry": disc / half if half > 0 else math.nan, "scale": "log" if ratio else "linear",
    }
    what = "geometric mean" if ratio else "midpoint"
    if not inside:
        return CheckResult(False, f"estimate {e:g} lies outside its CI {lo:g} to {hi:g}", "estimate_ci", details)
    if consistent:
        msg = f"estimate {e:g} matches the CI {what} {implied:.4g} (within rounding)"
    else:
        msg = (f"estimate {e:g} differs from the CI {what} {implied:.4g} "
               f"(possible range {imp_lo:.4g}–{imp_hi:.4g}; asymmetry {details['asymmetry']:+.1%} of the half-width)")
    return CheckResult(consistent, msg, "estimate_ci", details)


# --------------------------------------------------------------------------- #
_P_RE = re.compile(r"^\s*(?:p\s*)?(<=|>=|≤|≥|<|>|=)?\s*([-+]?[0-9]*\.?[0-9]+(?:[eE][-+]?[0-9]+)?)\s*$", re.I)


def _parse_p(p) -> tuple[str, float, int]:
    if isinstance(p, str):
        m = _P_RE.match(p.replace("\u2212", "-").replace("·", "."))
        if not m:
            raise ValueError(f"cannot read p-value {p!r}")
        op = {"≤": "<=", "≥": ">="}.get(m.group(1) or "=", m.group(1) or "=")
        value, dec = parse_number(m.group(2))
        return op, value, dec
    value, dec = parse_number(p)
    return "=", value, dec


def _p_from_ci(e, lo, hi, ratio, zc, use_estimate):
    if ratio:
        if min(lo, hi) <= 0 or (use_estimate and e <= 0):
            return math.nan
        centre = math.log(e) if use_estimate else 0.5 * (math.log(lo) + math.log(hi))
        se = (math.log(hi) - math.log(lo)) / (2 * zc)
    else:
        centre = e if use_estimate else 0.5 * (lo + hi)
        se = (hi - lo) / (2 * zc)
    if se <= 0:
        return math.nan
    return float(2 * _st.norm.sf(abs(centre / se)))


def check_ci_p(estimate, ci_low, ci_high, p, ratio: bool = True, level: float = 0.95,
               alpha: float = 0.05, decimals: int | None = None) -> CheckResult:
    """Does the CI imply the printed p-value?  (Altman & Bland 2011, BMJ 343:d2304.)

    ``SE = (ln high - ln low) / (2 z)`` (no logs for differences),
    ``z = ln(est)/SE``, ``p = 2(1 - Φ(|z|))``.  The p-value is recomputed over the
    rounding box of the estimate and CI limits, giving a range; the printed
    ``p`` (a number or a string such as ``"0.002"``, ``"<0.001"``,
    ``"p = .04"``) is consistent when its own rounding box (or, for "<"/">",
    the stated bound) overlaps that range.  ``estimate=None`` uses the CI
    centre.  ``details["decision_error"]`` flags a printed p on the other side
    of ``alpha`` from every recomputed value (statcheck's gross inconsistency).
    """
    level = check_level(level)
    zc = z_crit(level)
    op, pv, pd_ = _parse_p(p)
    (lo, dl), (hi, dh) = parse_number(ci_low, decimals), parse_number(ci_high, decimals)
    use_est = estimate is not None
    e, de = parse_number(estimate, decimals) if use_est else (math.nan, 0)
    centre_p = _p_from_ci(e, lo, hi, ratio, zc, use_est)
    corners = []
    e_box = _box(e, de) if use_est else (math.nan, math.nan)
    for ev, lv, hv in itertools.product(e_box if use_est else (math.nan,), _box(lo, dl), _box(hi, dh)):
        if ratio and lv <= 0:
            lv = min(lo, 10.0 ** (-dl)) / 2.0 if lo > 0 else lv
        pc = _p_from_ci(ev, lv, hv, ratio, zc, use_est)
        if math.isfinite(pc):
            corners.append(pc)
    if not corners:
        return CheckResult(False, "cannot recompute a p-value from this CI", "ci_p", {"p_recomputed": centre_p})
    pmin, pmax = min(corners + [centre_p]), max(corners + [centre_p])
    if op == "=":
        rlo, rhi = _box(pv, pd_)
        consistent = pmin <= rhi + _EPS and pmax >= rlo - _EPS
        reported_sig = pv < alpha
    elif op in ("<", "<="):
        consistent = pmin < pv + _EPS
        reported_sig = pv <= alpha
    else:
        consistent = pmax > pv - _EPS
        reported_sig = False
    recomputed_sig_all = pmax < alpha
    recomputed_nonsig_all = pmin >= alpha
    decision_error = (reported_sig and recomputed_nonsig_all) or (not reported_sig and op == "=" and recomputed_sig_all)
    details = {
        "p_reported": pv, "comparator": op, "p_recomputed": centre_p, "p_range": (pmin, pmax),
        "decision_error": bool(decision_error), "level": level,
    }
    shown = f"p {op} {pv:g}" if op != "=" else f"p = {pv:g}"
    if consistent:
        msg = f"{shown} is consistent with the CI (recomputed p = {centre_p:.3g}, range {pmin:.3g}–{pmax:.3g})"
    else:
        msg = f"{shown} is inconsistent with the CI (recomputed p = {centre_p:.3g}, range {pmin:.3g}–{pmax:.3g})"
        if decision_error:
            msg += "; the significance decision differs"
    return CheckResult(consistent, msg, "ci_p", details)


# --------------------------------------------------------------------------- #
def check_percentage(pct, n: int, decimals: int | None = None) -> CheckResult:
    """Is ``pct`` % of ``n`` a whole count?  E.g. 33.33 % of 18 → yes, 6 (6/18 = 33.333…%);
    34 % of 18 → no (6/18 = 33.3 %, 7/18 = 38.9 %).

    ``details["candidates"]`` lists every count ``x`` in ``0..n`` with
    ``100·x/n`` inside the rounding box of the printed percentage (which,
    printed as "33.3", covers [33.25, 33.35]).
    """
    value, dec = parse_number(pct, decimals)
    n = int(n)
    if n <= 0:
        raise ValueError("n must be positive")
    h = _half(dec)
    lo_k = max(0, math.floor((value - h) * n / 100.0) - 1)
    hi_k = min(n, math.ceil((value + h) * n / 100.0) + 1)
    cands = [x for x in range(lo_k, hi_k + 1) if abs(100.0 * x / n - value) <= h + _EPS * max(1.0, value)]
    details = {"percentage": value, "decimals": dec, "n": n, "candidates": cands,
               "candidate_percentages": [100.0 * x / n for x in cands]}
    if cands:
        shown = ", ".join(f"{x}/{n} = {100.0 * x / n:.{dec + 2}f}%" for x in cands)
        return CheckResult(True, f"{value:.{dec}f}% of {n} is consistent with {shown}", "percentage", details)
    nearest = min(range(n + 1), key=lambda x: abs(100.0 * x / n - value))
    return CheckResult(False, f"{value:.{dec}f}% of {n} is not a whole count "
                       f"(nearest: {nearest}/{n} = {100.0 * nearest / n:.{dec + 2}f}%)", "percentage",
                       {**details, "nearest": nearest})


def grim(mean, n: int, decimals: int | None = None, items: int = 1) -> CheckResult:
    """GRIM test (Brown & Heathers 2017): can a mean of ``n`` integer scores be ``mean``?

    With ``items`` integer items per participant the granularity is
    ``1/(n·items)``.  The mean is consistent when some integer total ``T``
    gives ``T/(n·items)`` inside the rounding box of the printed mean.  When
    ``n·items ≥ 10^decimals`` every printed mean is attainable, so the test is
    uninformative (``details["informative"] = False``, ``ok`` True).
    """
    value, dec = parse_number(mean, decimals)
    n, items = int(n), int(items)
    if n <= 0 or items <= 0:
        raise ValueError("n and items must be positive")
    N = n * items
    h = _half(dec)
    informative = N < 10**dec
    t0 = round(value * N)
    totals = [t for t in range(t0 - 2, t0 + 3) if abs(t / N - value) <= h + _EPS * max(1.0, abs(value))]
    details = {"mean": value, "decimals": dec, "n": n, "items": items, "informative": informative,
               "totals": totals, "possible_means": [t / N for t in totals]}
    if not informative:
        return CheckResult(True, f"GRIM uninformative: n×items = {N} ≥ 10^{dec}; every mean at {dec} decimals is possible",
                           "grim", details)
    if totals:
        return CheckResult(True, f"mean {value:.{dec}f} is possible with n = {n} (total {totals[0]}/{N})", "grim", details)
    below = math.floor(value * N) / N
    above = math.ceil(value * N) / N
    return CheckResult(False, f"mean {value:.{dec}f} is impossible for integer data with n = {n}"
                       f"{'' if items == 1 else f' × {items} items'} "
                       f"(nearest possible: {below:.{dec + 2}f} or {above:.{dec + 2}f})", "grim",
                       {**details, "nearest_possible": (below, above)})
