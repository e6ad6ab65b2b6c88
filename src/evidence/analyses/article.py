"""One article's page: its claims, verdicts and the figures behind them (notebooks/article.ipynb)."""
from __future__ import annotations

import math
from typing import Any, Mapping

import pandas as pd

from evidence.analyses.common import (
    HOLDS, SCALE, TIME_TO_HOURS, _claims_table, _frame, _get, _ids, _num, fmt, vocab, merge_params,
)

# =========================================================================== #
# One article
# =========================================================================== #
def article_meta(db, article_id: str) -> dict[str, Any]:
    """Title, publisher, date and file of one article (KeyError naming the known ids)."""
    arts = _frame(db, "articles")
    if article_id not in arts.index:
        raise KeyError(f"unknown article_id {article_id!r}; known: {', '.join(map(str, arts.index))}")
    a = arts.loc[article_id]
    return {"article_id": article_id, "title": str(_get(a, "title") or article_id),
            "publisher": _get(a, "publisher") or "", "date": _get(a, "date") or "",
            "file": _get(a, "file") or "", "notes": _get(a, "notes") or ""}


def evaluate_article(db, article_id: str, params: Mapping | None = None) -> pd.DataFrame:
    """Every claim of one article with its verdict (see :func:`evidence.claims.evaluate_all`)."""
    from evidence.claims import evaluate_all

    article_meta(db, article_id)  # unknown id -> KeyError with the list of ids
    return evaluate_all(db, merge_params(params), article=article_id)


def scorecard(df: pd.DataFrame) -> pd.DataFrame:
    """One row per verdict on the scale (in order), with its count and share."""
    counts = df["verdict"].value_counts() if len(df) else pd.Series(dtype=int)
    total = int(len(df))
    rows = []
    for v, (label, rating, rule) in SCALE.items():
        n = int(counts.get(v, 0))
        rows.append({"verdict": v, "label": label, "rating": rating, "count": n,
                     "share_pct": 100.0 * n / total if total else 0.0, "holds": v in HOLDS})
    return pd.DataFrame(rows)


def verdict_counts(df: pd.DataFrame) -> dict[str, int]:
    sc = scorecard(df)
    return {r.verdict: int(r.count) for r in sc.itertuples()}


UNIT_PANELS = {
    "%": ("percent", "%", False),
    "OR": ("odds ratio", "OR, log scale", True),
    "RR": ("risk ratio", "RR, log scale", True),
    "hours": ("time", "hours, log scale", True),
    "n": ("sample size", "participants", False),
    "NNT": ("number needed to treat", "patients, log scale", True),
    "NNH": ("number needed to harm", "patients, log scale", True),
    "mg/kg": ("dose", "mg/kg", False),
    "minutes": ("time", "minutes", False),
}
PEOPLE_UNITS = {"patients", "adults", "participants", "people", "subjects", "trials"}


def _scale_key(claimed_unit: str | None, rec) -> str | None:
    """The common scale of a claim and its recomputed figure, or None when they differ."""
    cu = (claimed_unit or "").strip()
    measure = (rec.measure or "") if rec is not None else ""
    ru = (rec.unit or "") if rec is not None else ""
    if measure in ("NNT", "NNH"):
        return measure if cu in PEOPLE_UNITS or cu in ("NNT", "NNH", "") else None
    if measure in ("OR", "RR"):
        return measure if cu in (measure, "") else None
    if cu == "%" and (ru == "%" or measure == "pct"):
        return "%"
    if cu == "hours" and ru == "hours":
        return "hours"
    if cu in PEOPLE_UNITS and (measure in ("n", "count") or ru in ("participants", "people", "patients")):
        return "n"
    if cu and cu == ru:
        return cu
    return None


def claim_points(db, df: pd.DataFrame, params: Mapping | None = None) -> tuple[pd.DataFrame, list[str]]:
    """Numeric claims with the range their wording admits and the recomputed estimate + CI.

    Returns ``(points, skipped)``: ``points`` has the columns
    :func:`evidence.plotting.claims_vs_evidence` draws (``label``, ``panel``,
    ``log``, ``claimed_value``, ``claimed_low``, ``claimed_high``, ``value``,
    ``low``, ``high``, ``verdict``, ``verdict_label``, ``claim_id``,
    ``claim_type``); ``skipped`` names numeric claims that could not be put on
    a common scale with their evidence (e.g. a count against a percentage).
    """
    from evidence.claims import claimed_from_row, recompute

    p = merge_params(params)
    table = _claims_table(db)
    rows, skipped = [], []
    for _, r in df.iterrows():
        cid = r["claim_id"]
        if r.get("recomputed_value") is None or pd.isna(r.get("recomputed_value")):
            continue
        rec_row, raw = table.get(cid, ({}, {}))
        claimed = claimed_from_row(rec_row, raw)
        interval = claimed.interval(p)
        if interval is None:
            continue
        try:
            rec = recompute(rec_row, db, p)
        except Exception:  # noqa: BLE001 - recompute problems are reported by the verdict table itself
            rec = None
        if rec is not None and rec.unit in TIME_TO_HOURS and rec.value is not None:
            rec.unit = "hours"
        if vocab.unit_kind(claimed.unit) == "calendar":  # a year is a date, not a quantity: no axis of counts
            continue
        key = _scale_key(claimed.unit, rec)
        if key is None:
            skipped.append(f"{cid} (claimed in {claimed.unit or 'words'}, evidence in "
                           f"{(rec.unit or rec.measure) if rec else 'nothing'})")
            continue
        name, axis, log = UNIT_PANELS.get(key, ("count", key, False))
        if key == "n" and r["claim_type"] == "prevalence":
            name, axis = "people affected", "count"
        lo, hi = interval
        value = r["recomputed_value"]
        low, high = r.get("recomputed_low"), r.get("recomputed_high")
        if log and (value is None or value <= 0):
            skipped.append(f"{cid} (not positive on a log scale)")
            continue
        rows.append({
            "claim_id": cid, "claim_type": r["claim_type"],
            "label": f"{cid}: {r['claimed']}",
            "panel": f"{name} ({axis})", "log": log,
            "claimed_value": claimed.value,
            "claimed_low": lo if math.isfinite(lo) and (not log or lo > 0) else None,
            "claimed_high": hi if math.isfinite(hi) else None,
            "value": float(value), "low": _num(low), "high": _num(high),
            "verdict": r["verdict"], "verdict_label": r["verdict_label"],
        })
    cols = ["claim_id", "claim_type", "label", "panel", "log", "claimed_value", "claimed_low", "claimed_high",
            "value", "low", "high", "verdict", "verdict_label"]
    return pd.DataFrame(rows, columns=cols), skipped


def points_alt(points: pd.DataFrame) -> str:
    """The claims chart's result in words: each claim, what the evidence gives and its verdict."""
    if points is None or not len(points):
        return ""
    each = []
    for r in points.itertuples():
        what = str(r.label).split(": ", 1)[-1]
        f = fmt.pct if str(r.panel).endswith("(%)") else fmt.num
        each.append(f"{what}: the evidence gives {f(r.value)}"
                    + (f" (95% CI {f(r.low)} to {f(r.high)})" if _num(r.low) is not None and
                       _num(r.high) is not None else "") + f", {str(r.verdict_label).lower()}")
    return "What the article claims, against what the evidence gives: " + "; ".join(each) + "."


def rates_alt(rates: pd.DataFrame) -> str:
    """The response-rate chart's result in words: each outcome, its arms' counts and shares."""
    if rates is None or not len(rates):
        return ""
    each = []
    for label, g in rates.groupby("label", sort=False):
        arms = [f"{fmt.ratio_of(r.events, r.n)} on {r.arm_label}" for r in g.itertuples()]
        each.append(f"{label}: {vocab.join_words(arms)}" + ("" if len(g) > 1 else " (no control group)"))
    return "Participants meeting the response definition, by arm: " + "; ".join(each) + "."


def _spec_outcomes(db, spec: str | None) -> list[str]:
    from evidence.spec import parse_recompute

    try:
        method, args = parse_recompute(spec)
    except ValueError:
        return []
    out = []
    if "outcome" in args:
        out.append(args["outcome"])
    if "analysis" in args:
        out += list(db.outcomes_for(args["analysis"]).index)
    return out


def claim_outcomes(db, df: pd.DataFrame) -> pd.DataFrame:
    """Binary outcome rows the article's claims touch.

    An outcome is touched when a claim's ``recompute`` names it (``outcome=``
    or ``analysis=``), or when it belongs to a source named by an efficacy
    claim (response rate, effect size, NNT/NNH, symptom change).
    """
    from evidence.verdicts import EFFICACY_TYPES

    outcomes = _frame(db, "outcomes")
    if outcomes.empty:
        return outcomes
    claims = _frame(db, "claims")
    ids: list[str] = []
    for cid in df["claim_id"]:
        if cid not in claims.index:
            continue
        c = claims.loc[cid]
        ids += _spec_outcomes(db, _get(c, "recompute"))
        if _get(c, "claim_type") in EFFICACY_TYPES:
            srcs = set(_ids(_get(c, "source_ids")))
            ids += list(outcomes.index[outcomes["source_id"].isin(srcs)])
    ids = [i for i in dict.fromkeys(ids) if i in outcomes.index]
    sub = outcomes.loc[ids]
    return sub[sub["outcome_type"] == "binary"]


def nnt_points(db, df: pd.DataFrame) -> pd.DataFrame:
    """NNT/NNH claims: the claimed figure and the recomputed one, as rows for an icon array."""
    claims = _frame(db, "claims")
    rows = []
    for _, r in df[df["claim_type"].isin(["nnt", "nnh"])].iterrows():
        kind = "NNH" if r["claim_type"] == "nnh" else "NNT"
        c = claims.loc[r["claim_id"]] if r["claim_id"] in claims.index else {}
        cv = _num(_get(c, "claimed_value"))
        rows.append({"claim_id": r["claim_id"], "kind": kind, "role": "claimed",
                     "label": f"{r['claim_id']} claimed: {r['claimed']}", "value": cv,
                     "low": None, "high": None, "verdict": r["verdict"], "note": ""})
        v = _num(r.get("recomputed_value"))
        rows.append({"claim_id": r["claim_id"], "kind": kind, "role": "evidence",
                     "label": (f"{r['claim_id']} recomputed" if v is not None
                               else f"{r['claim_id']} evidence: none found"),
                     "value": v, "low": _num(r.get("recomputed_low")), "high": _num(r.get("recomputed_high")),
                     "verdict": r["verdict"],
                     "note": "" if v is not None else "no evidence for this figure in the curated sources"})
    return pd.DataFrame(rows, columns=["claim_id", "kind", "role", "label", "value", "low", "high", "verdict", "note"])



def article_results(meta: Mapping, df: pd.DataFrame, params: Mapping) -> dict[str, Any]:
    """The article notebook's JSON results."""
    counts = verdict_counts(df)
    holds = int(df["holds"].sum()) if len(df) else 0
    return {
        "article_id": meta["article_id"], "title": meta["title"], "publisher": meta.get("publisher", ""),
        "n_claims": int(len(df)), "verdict_counts": counts, "holds": holds,
        "holds_pct": round(100.0 * holds / len(df), 1) if len(df) else None,
        "mean_rating": round(float(df["rating"].mean()), 2) if len(df) else None,
        "by_type": {t: int(n) for t, n in df["claim_type"].value_counts().sort_index().items()} if len(df) else {},
        "claims": [{"claim_id": r.claim_id, "claim_type": r.claim_type, "verdict": r.verdict,
                    "claimed": r.claimed, "recomputed": r.recomputed} for r in df.itertuples()],
        "params": dict(params),
    }
