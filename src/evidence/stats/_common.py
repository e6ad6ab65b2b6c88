"""Small numerical helpers shared by the statistics modules.

Nothing here is public API; import from :mod:`evidence.stats.effects`,
:mod:`evidence.stats.meta` and friends instead.
"""
from __future__ import annotations

import math
from typing import Any

import numpy as np
from scipy import stats as _st

from evidence import vocab

#: Measures analysed on the log scale (displayed on the ratio scale).
RATIO_MEASURES = frozenset({"OR", "RR"})
#: Measures computed from 2x2 counts.
BINARY_MEASURES = frozenset({"OR", "RR", "RD"})
#: Measures computed from per-arm means and SDs.
CONTINUOUS_MEASURES = frozenset({"SMD", "MD"})
#: Every measure :func:`evidence.stats.meta.meta_analysis` accepts.
#: ``GEN`` is a generic effect already on its analysis scale (yi, vi input).
ALL_MEASURES = BINARY_MEASURES | CONTINUOUS_MEASURES | {"GEN"}

CORRECTIONS = tuple(vocab.ZERO_CELL_CORRECTIONS)


def check_level(level: float) -> float:
    """Validate a confidence level given as a fraction (0.95), or in percent (95)."""
    level = float(level)
    if 1.0 < level < 100.0:  # tolerate metafor-style level=95
        level = level / 100.0
    if not 0.0 < level < 1.0:
        raise ValueError(f"level must be between 0 and 1 (e.g. 0.95), got {level!r}")
    return level


def z_crit(level: float = 0.95) -> float:
    """Two-sided standard-normal critical value, e.g. 1.959964 for level 0.95."""
    return float(_st.norm.isf((1.0 - level) / 2.0))


def t_crit(level: float, df: float) -> float:
    """Two-sided Student-t critical value with ``df`` degrees of freedom."""
    return float(_st.t.isf((1.0 - level) / 2.0, df))


def p_from_z(z: Any) -> Any:
    """Two-sided p-value of a standard-normal statistic."""
    return 2.0 * _st.norm.sf(np.abs(z))


def p_from_t(t: Any, df: float) -> Any:
    """Two-sided p-value of a Student-t statistic."""
    return 2.0 * _st.t.sf(np.abs(t), df)


def to_display(x: Any, measure: str) -> Any:
    """Back-transform from the analysis scale (log for OR/RR) to the display scale."""
    if measure in RATIO_MEASURES:
        return np.exp(x)
    return x


def clean(value: Any) -> Any:
    """Make a value JSON-safe: numpy scalars to Python, NaN/inf to None, recurse."""
    if isinstance(value, dict):
        return {str(k): clean(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [clean(v) for v in value]
    if isinstance(value, np.ndarray):
        return [clean(v) for v in value.tolist()]
    if isinstance(value, (np.bool_, bool)):
        return bool(value)
    if isinstance(value, (np.integer,)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        f = float(value)
        return f if math.isfinite(f) else None
    if value is None:
        return None
    try:  # pandas.NA / NaT
        import pandas as pd

        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    return value
