"""How common is anxiety (notebooks/prevalence.ipynb)."""
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

def _prevalence_spec_id(spec) -> str | None:
    from evidence.spec import parse_recompute

    try:
        method, args = parse_recompute(spec)
    except ValueError:
        return None
    return args.get("id") if method == "prevalence" else None


PERIOD_WORDS = {"past_year": "past year", "lifetime": "lifetime", "current": "current",
                "past_2_weeks": "past 2 weeks", "other": "other period"}


def survey_label(db, prev_row: Mapping) -> str:
    """'NIMH (NCS-R, data 2001-2003)'-style label of a prevalence figure's origin."""
    sid = prev_row["source_id"]
    src = _frame(db, "sources")
    org = sid
    if sid in src.index:
        s = src.loc[sid]
        org = str(_get(s, "journal") or sid)
        org = re.sub(r"^National Institute of Mental Health.*", "NIMH", org)
        org = re.sub(r"^Anxiety and Depression Association of America.*", "ADAA", org)
        org = re.sub(r"^National Center for Health Statistics.*", "NCHS", org)
        if org.startswith("Archives of General Psychiatry"):
            org = study_label(db, sid)
    survey = str(_get(prev_row, "survey") or "")
    m = re.search(r"\(([A-Z][A-Za-z\-]+)\)", survey)
    short = m.group(1) if m else survey
    years = _get(prev_row, "data_years")
    bits = [b for b in (short, f"data {years}" if years else "data years not stated") if b]
    return f"{org} ({', '.join(bits)})"


def prevalence_points(db, claims_df: pd.DataFrame | None = None, article_id: str | None = None,
                      params: Mapping | None = None, all_figures: bool = False,
                      periods: Sequence[str] = ("past_year", "lifetime")) -> pd.DataFrame:
    """Survey figures and article claims on one frame for :func:`plotting.prevalence_chart`.

    A claim enters when its recompute names a prevalence row; the row's
    condition and sex pick the survey figures shown next to it (every period,
    every source), so that a lifetime figure and a past-year figure sit on
    adjacent rows. ``all_figures`` adds every survey figure for the whole
    population (sex "all") in ``periods``, claimed or not.
    """
    from evidence.claims import claimed_from_row

    prev = _frame(db, "prevalence")
    claims = _frame(db, "claims")
    if prev.empty or claims.empty:
        return pd.DataFrame(columns=["group", "who", "kind", "value", "low", "high", "claim_id", "prevalence_id"])
    table = _claims_table(db)
    p = merge_params(params)
    sel = claims[claims["claim_type"] == "prevalence"]
    if article_id:
        sel = sel[sel["article_id"] == article_id]
    if claims_df is not None:
        sel = sel[sel.index.isin(claims_df["claim_id"])]
    rows, keys = [], []
    for cid, c in sel.iterrows():
        pid = _prevalence_spec_id(_get(c, "recompute"))
        if not pid or pid not in prev.index:
            continue
        pr = prev.loc[pid]
        claimed = claimed_from_row(*table.get(cid, (c.to_dict(), {})))
        if claimed.unit != "%" or claimed.value is None:
            continue
        lo, hi = claimed.interval(p) or (None, None)
        group = f"{pr['condition']} · {PERIOD_WORDS.get(pr['period'], pr['period'])}" + (
            f" · {pr['sex']}" if _get(pr, "sex") not in (None, "all") else "")
        rows.append({"group": group, "who": cid, "kind": "claim", "value": claimed.value, "low": lo, "high": hi,
                     "claim_id": cid, "prevalence_id": pid, "condition": pr["condition"], "period": pr["period"],
                     "sex": _get(pr, "sex") or "all"})
        keys.append((str(pr["condition"]).lower(), _get(pr, "sex") or "all"))
    if all_figures:
        keys += [(str(c).lower(), "all") for c in prev.loc[prev["period"].isin(periods), "condition"]]
    for cond, sex in dict.fromkeys(keys):
        same = prev[(prev["condition"].str.lower() == cond) & (prev["sex"].fillna("all") == sex)]
        for pid, pr in same.iterrows():
            if _num(_get(pr, "value_pct")) is None:
                continue
            group = f"{pr['condition']} · {PERIOD_WORDS.get(pr['period'], pr['period'])}" + (
                f" · {sex}" if sex != "all" else "")
            rows.append({"group": group, "who": survey_label(db, pr), "kind": "survey",
                         "value": float(pr["value_pct"]), "low": None, "high": None, "claim_id": None,
                         "prevalence_id": pid, "condition": pr["condition"], "period": pr["period"], "sex": sex})
    out = pd.DataFrame(rows, columns=["group", "who", "kind", "value", "low", "high", "claim_id", "prevalence_id",
                                      "condition", "period", "sex"])
    if out.empty:
        return out
    order = {"past_year": 0, "lifetime": 1}
    out["_o1"] = out["condition"].str.lower()
    out["_o2"] = out["period"].map(lambda x: order.get(x, 2))
    return out.sort_values(["_o1", "sex", "_o2", "kind"], kind="stable").drop(columns=["_o1", "_o2"]).reset_index(
        drop=True)



# =========================================================================== #
# Prevalence
# =========================================================================== #
def _year(text) -> int | None:
    m = re.findall(r"(?:19|20)\d\d", str(text or ""))
    return int(m[-1]) if m else None


def prevalence_table(db) -> pd.DataFrame:
    """Every prevalence figure with its source, period, data years and the data's last year."""
    prev = _frame(db, "prevalence")
    if prev.empty:
        return pd.DataFrame(columns=["prevalence_id", "source", "condition", "population", "sex", "period",
                                     "value_pct", "count", "survey", "data_years", "data_end_year",
                                     "source_year"])
    src = _frame(db, "sources")
    rows = []
    for pid, p in prev.iterrows():
        sid = p["source_id"]
        rows.append({"prevalence_id": pid, "source": survey_label(db, p), "source_id": sid,
                     "condition": p["condition"], "population": _get(p, "population") or "",
                     "sex": _get(p, "sex") or "all", "period": p["period"],
                     "value_pct": _num(_get(p, "value_pct")), "count": _num(_get(p, "count")),
                     "survey": _get(p, "survey") or "", "data_years": _get(p, "data_years") or "",
                     "data_end_year": _year(_get(p, "data_years")),
                     "source_year": _num(_get(src.loc[sid], "year")) if sid in src.index else None})
    return pd.DataFrame(rows)


def period_pairs(db) -> pd.DataFrame:
    """Past-year against lifetime prevalence of the same condition from the same source."""
    t = prevalence_table(db)
    if t.empty:
        return pd.DataFrame(columns=["source", "condition", "sex", "past_year", "lifetime", "ratio", "data_years"])
    rows = []
    for (sid, cond, sex), g in t.groupby(["source_id", "condition", "sex"], sort=False):
        py = g.loc[g["period"] == "past_year", "value_pct"].dropna()
        lt = g.loc[g["period"] == "lifetime", "value_pct"].dropna()
        if py.empty or lt.empty:
            continue
        rows.append({"source": g["source"].iloc[0], "source_id": sid, "condition": cond, "sex": sex,
                     "past_year": float(py.iloc[0]), "lifetime": float(lt.iloc[0]),
                     "ratio": float(lt.iloc[0]) / float(py.iloc[0]) if py.iloc[0] else None,
                     "data_years": g["data_years"].iloc[0]})
    return pd.DataFrame(rows, columns=["source", "source_id", "condition", "sex", "past_year", "lifetime", "ratio",
                                       "data_years"])


def prevalence_claims(db, params: Mapping | None = None) -> pd.DataFrame:
    """Every prevalence claim in every article with its verdict and matched survey figure."""
    from evidence.claims import evaluate_claim

    claims = _frame(db, "claims")
    prev = _frame(db, "prevalence")
    arts = _frame(db, "articles")
    table = _claims_table(db)
    p = merge_params(params)
    rows = []
    if claims.empty:
        return pd.DataFrame()
    for cid, c in claims[claims["claim_type"] == "prevalence"].iterrows():
        rec, raw = table.get(cid, (c.to_dict(), {}))
        ev = evaluate_claim(rec, db, p, raw=raw)
        pid = _prevalence_spec_id(_get(c, "recompute"))
        pr = prev.loc[pid] if pid and pid in prev.index else None
        art_date = _get(arts.loc[c["article_id"]], "date") if c["article_id"] in arts.index else None
        data_end = _year(_get(pr, "data_years")) if pr is not None else None
        rows.append({"claim_id": cid, "article_id": c["article_id"], "quote": c["quote"], "claimed": ev["claimed"],
                     "prevalence_id": pid or "", "period": _get(pr, "period") if pr is not None else "",
                     "figure": ev["recomputed"], "data_years": _get(pr, "data_years") if pr is not None else "",
                     "article_year": _year(art_date),
                     "data_age_years": (_year(art_date) - data_end) if _year(art_date) and data_end else None,
                     "verdict": ev["verdict"], "verdict_label": ev["verdict_label"]})
    return pd.DataFrame(rows)
