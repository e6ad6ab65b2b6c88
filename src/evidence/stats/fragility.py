"""Fragility index of a two-arm trial with a binary outcome.

Fragility index (Walsh et al. 2014, J Clin Epidemiol 67:622)
    For a significant result (two-sided Fisher exact p < α): take the arm with
    fewer events, turn its non-events into events one at a time (arm sizes
    unchanged) and recompute Fisher's exact test; the FI is the number of
    changes needed for p ≥ α.  "Fewer events" is read as the lower event
    *proportion* (the same thing for the 1:1 trials Walsh studied, and the
    only reading that moves the result towards the null when arms differ in
    size); ties in proportion go to the arm with fewer events.

Reverse fragility index (Khan et al. 2020, JAMA Netw Open 3:e2012469)
    For a non-significant result: the number of outcome changes in one arm
    needed to reach p < α.  Two single-arm paths move the result away from the
    null — more events in the arm with the higher event proportion, or fewer
    events in the arm with the lower one — and the smaller count is reported
    (with the arm and direction used).  If neither path can reach significance
    the index is None.

The fragility quotient is the index divided by the total sample size.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from scipy.stats import fisher_exact

from ._common import clean

__all__ = ["FragilityResult", "fisher_p", "fragility_index"]


@dataclass(frozen=True)
class FragilityResult:
    """``kind`` is ``"fragility"`` (significant start) or ``"reverse"``.

    ``index`` is the number of outcome changes (None when significance
    cannot be reversed); ``arm`` ("treatment"/"control") and ``direction``
    ("add_events"/"remove_events") describe the path; ``p_initial`` and
    ``p_final`` are the two-sided Fisher p-values before and after;
    ``events_treat``/``events_ctrl`` are the modified counts.
    """

    kind: str
    index: int | None
    quotient: float | None
    arm: str | None
    direction: str | None
    p_initial: float
    p_final: float | None
    events_treat: int | None
    events_ctrl: int | None
    alpha: float
    message: str

    def to_dict(self) -> dict[str, Any]:
        return clean(asdict(self))


def fisher_p(a: int, n1: int, c: int, n2: int) -> float:
    """Two-sided Fisher exact p-value of ``a/n1`` against ``c/n2`` (scipy)."""
    return float(fisher_exact([[a, n1 - a], [c, n2 - c]], alternative="two-sided")[1])


def _walk(a, n1, c, n2, arm: int, step: int, alpha: float, want_significant: bool):
    """Change the outcome in one arm by ``step`` (+1/-1) until the significance flips."""
    e = [a, c]
    n = [n1, n2]
    count = 0
    while True:
        e[arm] += step
        if e[arm] < 0 or e[arm] > n[arm]:
            return None
        count += 1
        p = fisher_p(e[0], n1, e[1], n2)
        if (p < alpha) == want_significant:
            return count, p, e[0], e[1]


def fragility_index(a: int, n1: int, c: int, n2: int, alpha: float = 0.05) -> FragilityResult:
    """Fragility index (significant result) or reverse fragility index (non-significant).

    ``a`` events of ``n1`` in the treatment arm, ``c`` of ``n2`` in control.
    """
    a, n1, c, n2 = (int(x) for x in (a, n1, c, n2))
    if min(a, c) < 0 or n1 <= 0 or n2 <= 0 or a > n1 or c > n2:
        raise ValueError(f"need 0 <= events <= n and n > 0, got {a}/{n1} and {c}/{n2}")
    p0 = fisher_p(a, n1, c, n2)
    names = ("treatment", "control")
    total = n1 + n2
    r1, r2 = a / n1, c / n2
    lower = 0 if (r1, a) < (r2, c) else 1  # arm with the lower event proportion
    higher = 1 - lower
    if p0 < alpha:
        hit = _walk(a, n1, c, n2, lower, +1, alpha, want_significant=False)
        if hit is None:  # cannot happen for a two-sided test, kept for safety
            return FragilityResult("fragility", None, None, names[lower], "add_events", p0, None, None, None, alpha,
                                   "significance cannot be reversed by adding events to one arm")
        count, p, ea, ec = hit
        return FragilityResult(
            "fragility", count, count / total, names[lower], "add_events", p0, p, ea, ec, alpha,
            f"fragility index {count}: {count} more event{'s' if count != 1 else ''} in the {names[lower]} arm "
            f"({ea if lower == 0 else ec}/{n1 if lower == 0 else n2}) gives Fisher's p = {p:.3g} ≥ {alpha:g}",
        )
    options = []
    for arm, step, direction in ((higher, +1, "add_events"), (lower, -1, "remove_events")):
        hit = _walk(a, n1, c, n2, arm, step, alpha, want_significant=True)
        if hit is not None:
            options.append((hit[0], arm, direction, hit))
    if not options:
        return FragilityResult("reverse", None, None, None, None, p0, None, None, None, alpha,
                               f"not significant (p = {p0:.3g}); no single-arm change reaches p < {alpha:g}")
    count, arm, direction, (_, p, ea, ec) = min(options, key=lambda o: o[0])
    verb = "more" if direction == "add_events" else "fewer"
    return FragilityResult(
        "reverse", count, count / total, names[arm], direction, p0, p, ea, ec, alpha,
        f"reverse fragility index {count}: {count} {verb} event{'s' if count != 1 else ''} in the {names[arm]} arm "
        f"give Fisher's p = {p:.3g} < {alpha:g}",
    )
