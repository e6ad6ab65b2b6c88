"""The real-world study against placebo arms (notebooks/real_world.ipynb)."""
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
# Real-world study against placebo arms
# =========================================================================== #
def _arm_group(design: str | None, outcome_text: str) -> str:
    if design in UNCONTROLLED_DESIGNS or design in (None, "", "observational"):
        return "uncontrolled cohort"
    if CONTROL_WORDS.search(outcome_text or ""):
        return "control arm (RCT)"
    return "ketamine arm (RCT)"


def pct_changes(db) -> pd.DataFrame:
    """% reductions in anxiety scores: printed ones (estimates, measure pct_change) and ones
    derived from baseline and follow-up means in outcomes.csv (both arms).

    Columns: ``label``, ``group`` (uncontrolled cohort / ketamine arm (RCT) /
    control arm (RCT)), ``value`` (% reduction, positive = better), ``source_id``,
    ``how`` ("printed" or "from means"), ``note``.
    """
    rows = []
    est = _frame(db, "estimates")
    src = _frame(db, "sources")
    if not est.empty:
        for eid, e in est[est["measure"] == "pct_change"].iterrows():
            v = _num(e["estimate"])
            if v is None:
                continue
            sid = e["source_id"]
            design = _get(src.loc[sid], "design") if sid in src.index else None
            rows.append({"label": f"{study_label(db, sid)}: {e['outcome']}", "group": _arm_group(design, e["outcome"]),
                         "value": v, "source_id": sid, "how": "printed", "note": "", "id": eid})
    out = _frame(db, "outcomes")
    if not out.empty:
        cont = out[out["outcome_type"] == "continuous"]
        base = cont[cont["timepoint"].fillna("").str.contains(r"baseline|pre-?treatment|pre-?infusion", case=False)]
        for bid, b in base.iterrows():
            later = cont[(cont["source_id"] == b["source_id"]) & (cont["outcome"] == b["outcome"])
                         & (cont.index != bid)]
            for lid, l in later.iterrows():
                sid = b["source_id"]
                design = _get(src.loc[sid], "design") if sid in src.index else None
                for arm in ("treat", "ctrl"):
                    m0, m1 = _num(_get(b, f"mean_{arm}")), _num(_get(l, f"mean_{arm}"))
                    if m0 is None or m1 is None or m0 == 0:
                        continue
                    arm_text = str(_get(l, f"arm_{arm}") or arm)
                    group = "control arm (RCT)" if arm == "ctrl" else _arm_group(design, arm_text)
                    rows.append({"label": f"{study_label(db, sid)}: {l['outcome']}, {arm_text} ({l['timepoint']})",
                                 "group": group, "value": 100 * (m0 - m1) / m0, "source_id": sid,
                                 "how": "from means", "note": f"{m0:g} → {m1:g}", "id": f"{bid}→{lid}:{arm}"})
    return pd.DataFrame(rows, columns=["label", "group", "value", "source_id", "how", "note", "id"])


def control_arm_rates(db, level: float = 0.95) -> pd.DataFrame:
    """Both arms of every controlled binary outcome (for 'how many respond on placebo')."""
    out = _frame(db, "outcomes")
    if out.empty:
        return arm_rates(db, out)
    ctl = out[(out["outcome_type"] == "binary") & out["events_ctrl"].notna() & out["n_ctrl"].notna()]
    return arm_rates(db, ctl, level)
