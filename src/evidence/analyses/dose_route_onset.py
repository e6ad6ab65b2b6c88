"""Dose, route, onset and durability (notebooks/dose_route_onset.ipynb)."""
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
# Dose, route, onset, durability
# =========================================================================== #
def ketamine_sources(db) -> pd.DataFrame:
    """Studies of ketamine/esketamine with their dose, route and design (one row per source)."""
    src = _frame(db, "sources")
    if src.empty:
        return src
    drug = src["drug"].fillna("").str.contains("ketamine", case=False)
    studies = src["design"].isin(STUDY_DESIGNS | SYNTHESIS_DESIGNS)
    registry = pd.Series([is_registry(r) for _, r in src.iterrows()], index=src.index, dtype=bool)
    sub = src[drug & studies & ~registry].copy()
    sub["n"] = [sample_size(r) for _, r in sub.iterrows()]
    sub["population_group"] = [population_group(d) for d in sub["diagnosis"]]
    sub["label"] = [study_label(db, s) for s in sub.index]
    return sub


def dose_route_rows(db) -> pd.DataFrame:
    """One row per (study, dose): dose in mg/kg, route, design, n, population group, infusion note."""
    rows = []
    for sid, s in ketamine_sources(db).iterrows():
        doses = [_num(d) for d in _ids(_get(s, "dose_mg_per_kg"))]
        route = _get(s, "route")
        if not route or route == "na":
            continue
        note = f"over {float(s['infusion_min']):g} min" if _num(_get(s, "infusion_min")) else ""
        for d in doses:
            if d is None:
                continue
            rows.append({"source_id": sid, "label": study_label(db, sid), "route": route, "dose": d,
                         "design": s["design"], "n": sample_size(s),
                         "population_group": population_group(_get(s, "diagnosis")), "note": note,
                         "sessions": _get(s, "sessions") or "", "control": _get(s, "control") or ""})
    return pd.DataFrame(rows, columns=["source_id", "label", "route", "dose", "design", "n", "population_group",
                                       "note", "sessions", "control"])


ONSET_ATTRS = {"onset"}
DURABILITY_ATTRS = {"durability", "relapse_after_stopping", "duration_of_effect"}


def onset_durability(db, include_claims: bool = True) -> pd.DataFrame:
    """Onset and durability facts in hours, one row per fact (and per timed article claim).

    Columns: ``label`` (source, design, n), ``source_id``, ``attribute``
    (onset/durability/claim), ``hours``, ``text``, ``fact_id``.
    """
    facts = _frame(db, "facts")
    src = _frame(db, "sources")
    rows = []
    if not facts.empty:
        for fid, f in facts.iterrows():
            attr = str(_get(f, "attribute") or "")
            if attr in ONSET_ATTRS:
                kind = "onset"
            elif attr in DURABILITY_ATTRS:
                kind = "durability"
            else:
                continue
            h = to_hours(_num(_get(f, "value_num")), _get(f, "unit"))
            if h is None:
                continue
            sid = f["source_id"]
            label = study_label(db, sid)
            if sid in src.index:
                s = src.loc[sid]
                n = sample_size(s)
                design = str(_get(s, "design") or "").replace("_", " ")
                route = _get(s, "route")
                bits = [design] + ([f"n={int(n)}"] if n else []) + ([route] if route and route != "na" else [])
                label = f"{label} ({', '.join(b for b in bits if b)})"
            rows.append({"label": label, "source_id": sid, "attribute": kind, "hours": h,
                         "short": f"{_num(f['value_num']):g} {f['unit']}",
                         "text": str(_get(f, "value_text") or ""), "fact_id": fid})
    if include_claims:
        claims = _frame(db, "claims")
        if not claims.empty:
            sel = claims[claims["claim_type"].isin(["onset", "durability"])]
            for cid, c in sel.iterrows():
                h = to_hours(_num(_get(c, "claimed_value")), _get(c, "claimed_unit"))
                if h is None:
                    continue
                q = {"up_to": "up to ", "at_least": "at least ", "approx": "about "}.get(_get(c, "qualifier") or "", "")
                rows.append({"label": f"article claim {cid}", "source_id": "", "attribute": "claim", "hours": h,
                             "short": f"{q}{_num(c['claimed_value']):g} {c['claimed_unit']}",
                             "text": str(_get(c, "quote") or ""), "fact_id": cid})
    return pd.DataFrame(rows, columns=["label", "source_id", "attribute", "hours", "short", "text", "fact_id"])


def facts_for(db, source_id: str) -> pd.DataFrame:
    facts = _frame(db, "facts")
    if facts.empty:
        return facts
    return facts[facts["source_id"] == source_id]


def source_summary(db, source_id: str) -> dict[str, Any]:
    """Design, n, population, dose, route, infusion time and control of one source (or {})."""
    src = _frame(db, "sources")
    if source_id not in src.index:
        return {}
    s = src.loc[source_id]
    return {"source_id": source_id, "label": study_label(db, source_id), "design": _get(s, "design"),
            "blinding": _get(s, "blinding"), "control": _get(s, "control"), "population": _get(s, "population"),
            "diagnosis": _get(s, "diagnosis"), "n": sample_size(s), "dose_mg_per_kg": _get(s, "dose_mg_per_kg"),
            "route": _get(s, "route"), "infusion_min": _num(_get(s, "infusion_min")),
            "sessions": _get(s, "sessions"), "year": _num(_get(s, "year")), "journal": _get(s, "journal")}
