"""Numbers in words: the one set of formatting functions for everything a person reads.

No ``424.0``, no ``4e+07``, no ``0.6667 hours``, no ``z = -7.684e-17``: every
count, percentage, interval, duration and p-value shown in the report, by
``evidence claims`` or by ``evidence check`` goes through these functions.
Units come from :mod:`evidence.vocab`. This module imports nothing else of
the package.
"""
from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal

from evidence import vocab

__all__ = ["num", "approx", "pct", "count", "n", "ci", "range", "duration", "p", "ratio_of"]

#: below this magnitude a non-integer prints as 0 (a floating-point residue, not a value)
_TINY = 1e-12
#: units that a duration steps down to when the value is below one of its own unit
_STEP_DOWN = {"years": "months", "months": "weeks", "weeks": "days", "days": "hours", "hours": "minutes"}


def _is_missing(x) -> bool:
    if x is None:
        return True
    try:
        return math.isnan(float(x))
    except (TypeError, ValueError):
        return True


def num(x, sig: int = 3, *, decimals: int | None = None) -> str:
    """A number as a person writes it.

    Integers print without a decimal point, with thousands separators from 1,000 and
    in millions from a million when that is exact to one decimal ("40 million",
    "6.8 million"); other numbers to ``sig`` significant digits with trailing zeros
    dropped ("0.36", "28.9", "243"); ``decimals`` fixes the digits after the point
    instead. Missing values print as "", infinities as "∞".
    """
    if _is_missing(x):
        return ""
    x = float(x)
    if math.isinf(x):
        return "∞" if x > 0 else "-∞"
    if decimals is not None:
        return _clean_zero(f"{x:,.{decimals}f}")
    if abs(x) < _TINY:
        return "0"
    if x.is_integer():
        return _integer(x)
    mag = math.floor(math.log10(abs(x)))
    digits = max(0, sig - 1 - mag)
    rounded = _round_half_up(x, digits)
    if float(rounded).is_integer():
        return _integer(float(rounded))
    s = f"{rounded:,.{digits}f}".rstrip("0").rstrip(".")
    return _clean_zero(s)


def approx(x, sig: int = 3) -> str:
    """A derived number rounded to ``sig`` significant digits, integers too: 46752300 -> "46.8 million",
    220994475.1 -> "221 million", 5233 -> "5,230". For figures computed here, not figures as printed."""
    if _is_missing(x):
        return ""
    x = float(x)
    if x == 0 or math.isinf(x):
        return num(x)
    digits = sig - 1 - math.floor(math.log10(abs(x)))
    return num(_round_half_up(x, digits) if digits >= 0 else round(x, digits), sig)


def _round_half_up(x: float, digits: int) -> float:
    """Round as printed figures are rounded (0.3595 -> 0.360, not the binary 0.359)."""
    return float(Decimal(repr(x)).quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP))


def _integer(x: float) -> str:
    if abs(x) >= 1e6:
        millions = x / 1e6
        if abs(round(millions, 1) * 1e6 - x) < 0.5:
            m = f"{round(millions, 1):.1f}".rstrip("0").rstrip(".")
            return f"{m} million"
    return f"{int(x):,}"


def _clean_zero(s: str) -> str:
    return "0" if s in ("-0", "-0.0") or (s.startswith("-") and float(s.replace(",", "")) == 0) else s


def pct(x, decimals: int | None = None) -> str:
    """A percentage (given in percent, not as a fraction): 30.0 -> "30%", 33.333 -> "33.3%".

    By default at most one decimal, dropped when it is zero; ``decimals`` fixes it.
    """
    if _is_missing(x):
        return ""
    if decimals is None:
        return f"{num(x, decimals=1).removesuffix('.0')}%"
    return f"{num(x, decimals=decimals)}%"


def _plural(noun: str) -> str:
    if noun.endswith(("s", "x", "ch", "sh")):
        return noun + "es"
    if noun.endswith("y") and noun[-2:-1] not in "aeiou":
        return noun[:-1] + "ies"
    return noun + "s"


def count(value, noun: str, plural: str | None = None) -> str:
    """A count with its noun, singular for one: ("1 patient", "18 patients", "40 million adults").

    ``noun`` may be a unit the vocabulary knows (then its singular and plural are used)
    or any noun in the singular.
    """
    if _is_missing(value):
        return ""
    known = vocab.UNITS.get(noun) or vocab.UNITS.get(vocab._ALIASES.get(noun.lower(), ""))
    one = float(value) == 1
    if known is not None:
        word = known.singular if one else known.plural
    else:
        word = noun if one else (plural or _plural(noun))
    return f"{num(value, sig=6)} {word}"


def n(value) -> str:
    """The sample size as printed in a study description: "n = 18"."""
    if _is_missing(value):
        return ""
    return f"n = {num(value, sig=9)}"


def ci(est, lo=None, hi=None, measure: str | None = None, level: float = 0.95, sig: int = 3,
       percent: bool = False) -> str:
    """An estimate with its confidence interval: "OR 2.03 (95% CI 0.67 to 6.15)".

    ``measure`` is shown before the estimate (a code such as OR, RR, RD or SMD); with
    ``percent=True`` (or a percentage measure) the numbers print as percentages.
    The interval is left out when either bound is missing.
    """
    if _is_missing(est):
        return ""
    as_pct = percent or (measure is not None and vocab.MEASURES.get(measure) is not None
                         and vocab.MEASURES[measure].scale == "percent")
    f = (lambda v: pct(v)) if as_pct else (lambda v: num(v, sig))
    head = f(est)
    if measure and not as_pct:
        head = f"{measure} {head}"
    if _is_missing(lo) or _is_missing(hi):
        return head
    return f"{head} ({num(level * 100, sig=4)}% CI {f(lo)} to {f(hi)})"


def range(lo, hi, unit: str | None = None, sig: int = 3) -> str:  # noqa: A001 - the natural name
    """A range of values: "70–80%", "4 to 6 weeks", "0.5 to 1 mg/kg"."""
    if _is_missing(lo) and _is_missing(hi):
        return ""
    if _is_missing(hi):
        return f"at least {_with_unit(lo, unit, sig)}"
    if _is_missing(lo):
        return f"up to {_with_unit(hi, unit, sig)}"
    if unit == "%":
        return f"{num(lo, sig)}–{num(hi, sig)}%"
    words = vocab.unit_label(unit, hi)
    tail = f" {words}" if words else ""
    return f"{num(lo, sig)} to {num(hi, sig)}{tail}"


def _with_unit(x, unit, sig) -> str:
    if unit == "%":
        return pct(x)
    words = vocab.unit_label(unit, x)
    return f"{num(x, sig)} {words}".strip()


def duration(value, unit: str, sig: int = 3) -> str:
    """A duration in the unit a person would use: (40, "minutes") -> "40 minutes",
    (0.6667, "hours") -> "40 minutes", (1, "days") -> "1 day", (730.5, "days") -> "730 days".

    A value below one of its unit steps down to the next smaller unit (hours to minutes,
    days to hours, ...). Unknown units print as given.
    """
    if _is_missing(value):
        return ""
    u = vocab.UNITS.get(vocab._ALIASES.get(str(unit).lower(), str(unit)))
    if u is None or u.hours is None:
        return f"{num(value, sig)} {unit}".strip()
    v, code = float(value), u.code
    while abs(v) < 1 and code in _STEP_DOWN and v != 0:
        smaller = vocab.UNITS[_STEP_DOWN[code]]
        v = v * vocab.UNITS[code].hours / smaller.hours
        code = smaller.code
    text = num(v, sig)
    return f"{text} {vocab.unit_label(code, float(text.replace(',', '')) if text else v)}"


def p(value) -> str:
    """A p-value as journals print it: "p = 0.019", "p = 0.21", "p < 0.001"."""
    if _is_missing(value):
        return ""
    v = float(value)
    if v < 0.001:
        return "p < 0.001"
    if v > 0.999:
        return "p > 0.999"
    return f"p = {num(v, sig=2) if v >= 0.01 else num(v, decimals=3)}"


def ratio_of(events, total) -> str:
    """ "6 of 18 (33%)": a count of a total with its percentage."""
    if _is_missing(events) or _is_missing(total) or float(total) == 0:
        return ""
    return f"{num(events, sig=9)} of {num(total, sig=9)} ({pct(100 * float(events) / float(total), decimals=0)})"
