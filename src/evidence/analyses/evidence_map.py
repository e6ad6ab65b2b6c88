"""The evidence map (notebooks/evidence_map.ipynb)."""
from __future__ import annotations

import math
import re
from typing import Any, Iterable, Mapping, Sequence

import numpy as np
import pandas as pd

from evidence.analyses.common import (
    CONTROL_WORDS, CONTROLLED_DESIGNS, DEFAULT_PARAMS, HOLDS, SCALE, STUDY_DESIGNS, SYNTHESIS_DESIGNS,
    UNCONTROLLED_DESIGNS, ANXIETY_CODES, DEPRESSION_CODES, TIME_TO_HOURS, decimals_of,
    _claims_table, _frame, _get, _ids, _num, arm_rates, cite, is_registry, merge_params, population_group, sample_size, study_label,
    to_hours, wilson,
)

# =========================================================================== #
# Evidence map
# =========================================================================== #
def evidence_map_frame(db, include_registry: bool = False) -> pd.DataFrame:
    """Every source with design, n, population group, route and control.

    Trial-registry records (:func:`is_registry`) are left out unless asked for:
    they describe trials that are already sources in their own right."""
    src = _frame(db, "sources")
    if src.empty:
        return pd.DataFrame(columns=["source_id", "label", "kind", "design", "n", "population_group", "diagnosis",
                                     "route", "control", "year", "population"])
    rows = []
    for sid, s in src.iterrows():
        if not include_registry and is_registry(s):
            continue
        rows.append({"source_id": sid, "label": study_label(db, sid), "kind": _get(s, "kind"),
                     "design": _get(s, "design") or "other", "n": sample_size(s),
                     "population_group": population_group(_get(s, "diagnosis")),
                     "diagnosis": _get(s, "diagnosis") or "", "route": _get(s, "route") or "",
                     "control": _get(s, "control") or "", "year": _num(_get(s, "year")),
                     "population": _get(s, "population") or ""})
    return pd.DataFrame(rows)


def thinness(db, small_n: int | None = None) -> pd.DataFrame:
    """Per anxiety diagnosis: controlled trials, participants in them, the largest, and the small ones."""
    small_n = int(small_n if small_n is not None else DEFAULT_PARAMS["small_n"])
    m = evidence_map_frame(db)
    rows = []
    for dx in ("SAD", "GAD", "PTSD", "OCD", "panic", "mixed_anxiety"):
        has = m[m["diagnosis"].apply(lambda s: dx in _ids(s))]
        rct = has[has["design"].isin(CONTROLLED_DESIGNS)]
        unc = has[has["design"].isin(UNCONTROLLED_DESIGNS)]
        ns = rct["n"].dropna()
        rows.append({"diagnosis": dx, "rcts": int(len(rct)), "rct_participants": int(ns.sum()) if len(ns) else 0,
                     "largest_rct_n": int(ns.max()) if len(ns) else None,
                     "small_rcts": int((ns < small_n).sum()),
                     "crossover_rcts": int((rct["design"] == "crossover_rct").sum()),
                     "uncontrolled_studies": int(len(unc)),
                     "syntheses": int(has["design"].isin(SYNTHESIS_DESIGNS).sum())})
    return pd.DataFrame(rows)
