"""Computations behind the evidence notebooks.

Each notebook in ``notebooks/`` is thin: it loads the evidence base, calls the
functions here, hands their tidy frames to :mod:`evidence.plotting` and
narrates the numbers they return. Nothing here draws or displays anything, so
every function can be unit-tested on small synthetic :class:`EvidenceDB`-like
objects (anything with the ``articles``, ``claims``, ``sources``, ``outcomes``,
``estimates``, ``prevalence`` and ``facts`` frames).

Sections: loading and parameters; one article's claims; the meta-analysis
reproduction and its sensitivity; dose, route, onset and durability; the
uncontrolled real-world study against placebo arms; prevalence; the evidence
map; the methods page; writing results as JSON.
"""
from __future__ import annotations

import json
import math
import re
from pathlib import Path
from typing import Any, Iterable, Mapping, Sequence

import numpy as np
import pandas as pd

from evidence.params import normalise as normalise_params
from evidence.verdicts import DEFAULT_PARAMS, HOLDS, SCALE, decimals_of

ANXIETY_CODES = {"SAD", "GAD", "PTSD", "OCD", "panic", "mixed_anxiety"}
DEPRESSION_CODES = {"TRD", "MDD"}
CONTROLLED_DESIGNS = {"parallel_rct", "crossover_rct"}
UNCONTROLLED_DESIGNS = {"open_label", "single_arm", "retrospective", "prospective_cohort"}
STUDY_DESIGNS = CONTROLLED_DESIGNS | UNCONTROLLED_DESIGNS
SYNTHESIS_DESIGNS = {"meta_analysis", "systematic_review"}
CONTROL_WORDS = re.compile(r"placebo|saline|midazolam|control|sham|vehicle", re.I)
TIME_TO_HOURS = {"minute": 1 / 60, "minutes": 1 / 60, "min": 1 / 60, "hour": 1.0, "hours": 1.0, "h": 1.0,
                 "day": 24.0, "days": 24.0, "week": 168.0, "weeks": 168.0, "month": 730.5, "months": 730.5,
                 "year": 8766.0, "years": 8766.0}


# =========================================================================== #
# Loading, parameters, small helpers
# =========================================================================== #
def load(data_dir: str | Path | None = None):
    """Load the evidence base; fall back to a non-strict load while data are being curated.

    Returns the :class:`~evidence.db.EvidenceDB`. When the strict load fails
    the problems are kept as ``db.load_issues`` (a list of
    :class:`~evidence.db.Issue`) so that the notebook can say so.
    """
    from evidence.db import DataError, load_db

    try:
        db = load_db(data_dir)
        db.load_issues = []
    except DataError as exc:
        db = load_db(data_dir, strict=False)
        db.load_issues = list(exc.issues)
    return db


def merge_params(overrides: Mapping[str, Any] | None = None, **kw) -> dict[str, Any]:
    """``DEFAULT_PARAMS`` updated with the given values (unknown names are an error).

    ``None`` is a legitimate value for ``pooled_method``/``correction`` ("do not
    override"); for the numeric tolerances ``None`` keeps the default.
    """
    given = dict(overrides or {})
    given.update(kw)
    given = normalise_params(given)  # deprecated names (correction -> zero_cell_correction)
    unknown = set(given) - set(DEFAULT_PARAMS)
    if unknown:
        raise ValueError(f"unknown parameter(s): {', '.join(sorted(unknown))} (known: {', '.join(DEFAULT_PARAMS)})")
    out = dict(DEFAULT_PARAMS)
    for k, v in given.items():
        if v is None and DEFAULT_PARAMS[k] is not None:
            continue
        out[k] = v
    return out


def _get(row: Mapping, key: str) -> Any:
    try:
        v = row[key]
    except (KeyError, IndexError, TypeError):
        return None
    try:
        if v is None or pd.isna(v):
            return None
    except (TypeError, ValueError):
        pass
    return v


def _num(v) -> float | None:
    try:
        if v is None or pd.isna(v):
            return None
        return float(v)
    except (TypeError, ValueError):
        return None


def _ids(s) -> list[str]:
    return [x.strip() for x in str(s or "").split(";") if x.strip()]


def _frame(db, name: str) -> pd.DataFrame:
    df = getattr(db, name, None)
    return df if isinstance(df, pd.DataFrame) else pd.DataFrame()


def study_label(db, source_id: str) -> str:
    """'Taylor 2018' from the citation's first author and the year; the id when unknown."""
    src = _frame(db, "sources")
    if source_id not in src.index:
        return str(source_id)
    s = src.loc[source_id]
    cit = str(_get(s, "citation") or "")
    year = _get(s, "year")
    m = re.match(r"\s*([A-Z][A-Za-z'\-]+(?:\s+[a-z]{1,3}\s+[A-Z][A-Za-z'\-]+)?)\s+[A-Z]{1,3}\b", cit)
    kind = _get(s, "kind")
    if m and kind not in ("web_page", "regulatory", "label"):
        name = m.group(1)
        suffix = re.search(r"\d{4}([a-z])$", str(source_id))
        return f"{name} {int(year)}{suffix.group(1) if suffix else ''}" if year is not None else name
    return str(source_id)


def cite(db, source_ids: Iterable[str], prefix: str = "Source: ", max_items: int | None = 8) -> str:
    """A caption line naming each source with its identifier: 'Source: Taylor 2018 (doi:…); …'."""
    src = _frame(db, "sources")
    parts = []
    for sid in dict.fromkeys(x for x in source_ids if x):
        if sid not in src.index:
            parts.append(str(sid))
            continue
        s = src.loc[sid]
        label = study_label(db, sid)
        if label == sid and _get(s, "journal"):
            label = f"{_get(s, 'journal')} ({sid})"
        ident = (f"doi:{s['doi']}" if _get(s, "doi") else f"PMID {s['pmid']}" if _get(s, "pmid")
                 else f"{s['pmcid']}" if _get(s, "pmcid") else str(_get(s, "url") or ""))
        parts.append(f"{label} ({ident})" if ident else label)
    if max_items and len(parts) > max_items:
        parts = parts[:max_items] + [f"and {len(parts) - max_items} more (see the tables)"]
    return prefix + "; ".join(parts) if parts else prefix.rstrip(": ")


def wilson(x: float, n: float, level: float = 0.95) -> tuple[float, float]:
    """Wilson score interval of x/n (fractions)."""
    from evidence.stats.effects import wilson_ci

    lo, hi = wilson_ci(x, n, level)
    return float(lo), float(hi)


def to_hours(value: float | None, unit: str | None) -> float | None:
    """A duration in hours (None when the unit is not a time unit)."""
    if value is None or unit is None:
        return None
    f = TIME_TO_HOURS.get(str(unit).strip().lower())
    return None if f is None else float(value) * f


def population_group(diagnosis: str | None) -> str:
    """anxiety disorder / depression / mixed / other / general population / not stated."""
    dx = set(_ids(diagnosis))
    if not dx:
        return "not stated"
    if "general_population" in dx:
        return "general population"
    anx, dep = bool(dx & ANXIETY_CODES), bool(dx & DEPRESSION_CODES)
    if anx and not dep:
        return "anxiety disorder"
    if dep and not anx:
        return "depression"
    return "mixed / other"


def is_registry(row: Mapping) -> bool:
    """A trial-registry record (ClinicalTrials.gov, ANZCTR…): it describes a trial listed elsewhere."""
    sid = str(_get(row, "source_id") or "")
    text = " ".join(str(_get(row, c) or "") for c in ("url", "citation", "journal"))
    return bool(re.match(r"^(nct\d{8}|actrn\d+|isrctn\d+)$", sid, re.I)
                or re.search(r"clinicaltrials\.gov|anzctr\.org\.au|isrctn\.com", text, re.I))


def sample_size(row: Mapping) -> float | None:
    """n analysed, else n randomized."""
    return _num(_get(row, "n_analysed")) or _num(_get(row, "n_randomized"))


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


def _claims_table(db):
    """(records, raw) of claims.csv when the db keeps them, for rounding-aware claimed values."""
    try:
        t = db.table("claims")
        return {r["claim_id"]: (r, raw) for r, raw in zip(t.records, t.raw)}
    except Exception:
        claims = _frame(db, "claims")
        return {cid: (row.to_dict(), {}) for cid, row in claims.iterrows()}


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
        except Exception:  # recompute problems are reported by the verdict table itself
            rec = None
        if rec is not None and rec.unit in TIME_TO_HOURS and rec.value is not None:
            rec.unit = "hours"
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


def arm_rates(db, outcomes: pd.DataFrame, level: float = 0.95) -> pd.DataFrame:
    """Long frame: one row per arm of each binary outcome, with % and Wilson CI (percent)."""
    rows = []
    for oid, o in outcomes.iterrows():
        src = study_label(db, o["source_id"])
        label = f"{src}: {o['outcome']}" + (f" ({o['timepoint']})" if _get(o, "timepoint") else "")
        for arm in ("treat", "ctrl"):
            x, n = _num(_get(o, f"events_{arm}")), _num(_get(o, f"n_{arm}"))
            if x is None or n is None or n <= 0:
                continue
            lo, hi = wilson(x, n, level)
            rows.append({"outcome_id": oid, "source_id": o["source_id"], "label": label, "arm": arm,
                         "arm_label": str(_get(o, f"arm_{arm}") or arm), "events": int(x), "n": int(n),
                         "pct": 100 * x / n, "low": 100 * lo, "high": 100 * hi,
                         "paired": bool(_get(o, "paired") or False)})
    cols = ["outcome_id", "source_id", "label", "arm", "arm_label", "events", "n", "pct", "low", "high", "paired"]
    return pd.DataFrame(rows, columns=cols)


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


# =========================================================================== #
# Meta-analysis reproduction
# =========================================================================== #
def analysis_ids(db, prefix: str | None = None) -> list[str]:
    """Every analysis id tagged on outcomes.csv rows (optionally those starting with ``prefix``)."""
    out = _frame(db, "outcomes")
    if out.empty or "analysis_ids" not in out:
        return []
    ids: list[str] = []
    for v in out["analysis_ids"].dropna():
        ids += _ids(v)
    ids = list(dict.fromkeys(ids))
    return [i for i in ids if not prefix or i.startswith(prefix)]


def arm_frame(db, analysis_id: str) -> pd.DataFrame:
    """The binary 2×2 rows of one analysis, ready for :func:`evidence.stats.meta.meta_analysis`.

    Columns: study (label), source_id, outcome_id, events_treat, n_treat,
    events_ctrl, n_ctrl, paired, arm_treat, arm_ctrl, timepoint, outcome.
    """
    rows = db.outcomes_for(analysis_id)
    rows = rows[(rows["outcome_type"] == "binary") & rows[["events_treat", "n_treat", "events_ctrl", "n_ctrl"]]
                .notna().all(axis=1)]
    labels = [study_label(db, s) for s in rows["source_id"]]
    # two rows of one source (e.g. two doses) need distinct labels
    seen: dict[str, int] = {}
    uniq = []
    for lab, arm in zip(labels, rows["arm_treat"].fillna("")):
        seen[lab] = seen.get(lab, 0) + 1
        uniq.append(lab if labels.count(lab) == 1 else f"{lab} ({arm or seen[lab]})")
    return pd.DataFrame({
        "study": uniq,
        "source_id": rows["source_id"].to_numpy(),
        "outcome_id": rows.index.to_numpy(),
        "events_treat": rows["events_treat"].astype(float).to_numpy(),
        "n_treat": rows["n_treat"].astype(float).to_numpy(),
        "events_ctrl": rows["events_ctrl"].astype(float).to_numpy(),
        "n_ctrl": rows["n_ctrl"].astype(float).to_numpy(),
        "paired": rows["paired"].fillna(False).astype(bool).to_numpy() if "paired" in rows else False,
        "arm_treat": rows["arm_treat"].to_numpy(),
        "arm_ctrl": rows["arm_ctrl"].to_numpy(),
        "timepoint": rows["timepoint"].to_numpy(),
        "outcome": rows["outcome"].to_numpy(),
    })


def _raw_cell(db, table: str, key: str, column: str) -> str | None:
    try:
        t = db.table(table)
    except Exception:
        return None
    for rec, raw in zip(t.records, t.raw):
        if rec.get(t.key) == key:
            return raw.get(column)
    return None


def published_estimate(db, analysis_id: str, measure: str = "OR") -> dict[str, Any] | None:
    """The estimate a source prints for an analysis (estimates.csv), with its printed precision."""
    est = _frame(db, "estimates")
    if est.empty:
        return None
    sub = est[(est["analysis_id"] == analysis_id) & (est["measure"] == measure)]
    if sub.empty:
        return None
    e = sub.iloc[0]
    eid = e["estimate_id"]
    out = {"estimate_id": eid, "source_id": e["source_id"], "label": f"Published ({study_label(db, e['source_id'])})",
           "estimate": _num(e["estimate"]), "ci_low": _num(e["ci_low"]), "ci_high": _num(e["ci_high"]),
           "k": _num(_get(e, "k_studies")), "n": _num(_get(e, "n_participants")), "model": _get(e, "model") or "",
           "locator": _get(e, "locator") or "", "p_text": _get(e, "p_text") or "",
           "p_value": _num(_get(e, "p_value"))}
    for col in ("estimate", "ci_low", "ci_high"):
        raw = _raw_cell(db, "estimates", eid, col)
        out[f"{col}_decimals"] = decimals_of(raw) if raw else (decimals_of(out[col]) if out[col] is not None else 0)
    return out


def published_k(db, analysis_id: str, published: Mapping | None = None) -> int | None:
    """Studies the source pooled: estimates.k_studies, else a fact ``k_rcts_<short>`` of that source."""
    if published and published.get("k"):
        return int(published["k"])
    facts = _frame(db, "facts")
    if facts.empty:
        return None
    sid = published["source_id"] if published else analysis_id.split("_", 1)[0]
    attr = f"k_rcts_{short_key(analysis_id)}"
    hit = facts[(facts["source_id"] == sid) & (facts["attribute"] == attr)]
    if hit.empty or _num(hit.iloc[0]["value_num"]) is None:
        return None
    return int(hit.iloc[0]["value_num"])


def published_se(published: Mapping, level: float = 0.95) -> float | None:
    """SE of the log ratio implied by a printed Wald CI: (ln high − ln low) / (2 z)."""
    from evidence.stats._common import z_crit

    lo, hi = published.get("ci_low"), published.get("ci_high")
    if not lo or not hi or lo <= 0:
        return None
    return (math.log(hi) - math.log(lo)) / (2 * z_crit(level))


def implied_remainder(published: Mapping, available, level: float = 0.95) -> dict[str, Any] | None:
    """What the studies we lack must contribute for the printed pooled ratio to hold.

    Under inverse-variance fixed effect the pooled log ratio is
    ``Σ w_i y_i / Σ w_i`` with ``Σ w_i = 1/SE²``. The printed CI gives the
    total weight ``W = 1/SE²``; the studies we have give ``w_a`` and
    ``Σ w_i y_i``; the rest must carry ``w_r = W − w_a`` at
    ``y_r = (W ŷ − Σ_a w_i y_i)/w_r``. ``available`` is the fixed-effect
    (IV) :class:`MetaResult` of the studies we have. Returns None when the
    printed figure has no CI; ``consistent`` is False when the available
    studies alone weigh more than the printed total (then no fixed-effect
    remainder exists).
    """
    from evidence.stats._common import z_crit

    se = published_se(published, level)
    if se is None or published.get("estimate") is None:
        return None
    W = 1.0 / se ** 2
    st = available.studies
    st = st[st["included"]]
    w_a = float((1.0 / st["vi"]).sum())
    s_a = float((st["yi"] / st["vi"]).sum())
    y_pub = math.log(published["estimate"])
    out = {"total_weight": W, "available_weight": w_a, "available_share_pct": 100.0 * w_a / W,
           "published_se": se, "consistent": W > w_a}
    if W <= w_a:
        return out
    w_r = W - w_a
    y_r = (W * y_pub - s_a) / w_r
    z = z_crit(level)
    se_r = 1.0 / math.sqrt(w_r)
    out.update({"remainder_weight": w_r, "remainder_or": math.exp(y_r), "remainder_ci_low": math.exp(y_r - z * se_r),
                "remainder_ci_high": math.exp(y_r + z * se_r), "remainder_se": se_r})
    return out


def matches_printed(value: float, printed: float, decimals: int) -> bool:
    """Does ``value`` round to the printed number (half a unit in the last printed place)?"""
    if value is None or printed is None or not math.isfinite(value):
        return False
    return abs(value - printed) <= 0.5 * 10 ** -decimals + 1e-12


def pool(db, analysis_id: str, measure: str = "OR", method: str = "DL", correction: str = "all_if_zero",
         hksj: bool = False, data: pd.DataFrame | None = None):
    """Meta-analyse one analysis' 2×2 rows (:func:`evidence.stats.meta.meta_analysis`)."""
    from evidence.stats.meta import meta_analysis

    data = arm_frame(db, analysis_id) if data is None else data
    if data.empty:
        raise ValueError(f"no binary outcome rows are tagged {analysis_id!r} in outcomes.csv")
    return meta_analysis(data[["study", "events_treat", "n_treat", "events_ctrl", "n_ctrl"]], measure=measure,
                         method=method, correction=correction, hksj=hksj)


def summary(res, published: Mapping | None = None) -> dict[str, Any]:
    """The JSON-ready summary of a MetaResult (and whether it reproduces the printed figure)."""
    out = {"estimate": res.estimate, "ci_low": res.ci_low, "ci_high": res.ci_high, "k": res.k,
           "measure": res.measure, "method": res.method, "correction": res.correction, "hksj": res.hksj,
           "tau2": res.tau2, "i2": res.i2, "q": res.q, "q_df": res.q_df, "q_p": res.q_p, "z": res.z, "p": res.p,
           "pi_low": res.pi_low, "pi_high": res.pi_high, "notes": list(res.notes)}
    if published:
        out["published"] = {k: published[k] for k in ("estimate_id", "estimate", "ci_low", "ci_high", "k", "model",
                                                        "locator")}
        out["reproduces"] = all(matches_printed(getattr(res, c), published[c], published[f"{c}_decimals"])
                                for c in ("estimate", "ci_low", "ci_high") if published.get(c) is not None)
    return out


def heterogeneity_text(res) -> str:
    """RevMan's heterogeneity line: 'Heterogeneity: Tau² = …; Chi² = …, df = … (P = …); I² = …%'."""
    def p(x):
        if x is None or not math.isfinite(x):
            return "P n/a"
        return "P < 0.001" if x < 0.001 else f"P = {x:.2f}"

    if res.q_df < 1:
        return "Heterogeneity: not applicable (one study)"
    tau = f"Tau² = {res.tau2:.2f}; " if res.random_effects else ""
    return f"Heterogeneity: {tau}Chi² = {res.q:.2f}, df = {res.q_df} ({p(res.q_p)}); I² = {res.i2:.0f}%"


def overall_text(res) -> str:
    """RevMan's 'Test for overall effect: Z = … (P = …)'."""
    if not math.isfinite(res.z):
        return "Test for overall effect: not estimable"
    pv = "P < 0.001" if res.p < 0.001 else f"P = {res.p:.3f}"
    stat = "t" if res.hksj else "Z"
    return f"Test for overall effect: {stat} = {abs(res.z):.2f} ({pv})"


METHOD_WORDS = {"FE": "fixed effect, inverse variance", "MH": "fixed effect, Mantel–Haenszel",
                "PETO": "fixed effect, Peto", "DL": "random effects, DerSimonian–Laird",
                "REML": "random effects, REML", "PM": "random effects, Paule–Mandel", "ML": "random effects, ML"}
CORRECTION_WORDS = {"all_if_zero": "0.5 added to every cell of a study with a zero cell",
                    "treatment_arm": "treatment-arm continuity correction (Sweeting 2004)",
                    "exclude_double_zero": "double-zero studies dropped, 0.5 elsewhere",
                    "none": "no correction (zero-cell studies not estimable by IV)"}


def method_words(method: str, hksj: bool = False) -> str:
    m = "FE" if method.upper() == "IV" else method.upper()
    return METHOD_WORDS.get(m, m) + (" with Hartung–Knapp–Sidik–Jonkman CI" if hksj else "")


def paired_log_or(e_treat: float, e_ctrl: float, n: float, rho: float, correction: str = "all_if_zero"):
    """Log OR of a crossover trial analysed as paired, from marginal counts and an assumed correlation.

    Becker & Balagtas (1993) marginal OR for crossover trials, with the
    within-patient correlation imputed as Elbourne et al. (2002) suggest when
    the paired (discordant-pair) table is not reported. With ``V1 = 1/a + 1/b``
    and ``V2 = 1/c + 1/d`` the variances of the two log-odds, and ``ρ`` the
    correlation between a patient's outcomes in the two periods,

        Var(log OR) = V1 + V2 − 2 ρ √(V1 V2)

    (the delta-method covariance of the two logits is ρ/(n √(p1 q1 p2 q2))).
    The point estimate is unchanged: only the weight of the trial changes.
    ``ρ`` is capped at the largest value the marginal proportions allow
    (the Fréchet bound). Returns ``(yi, vi, rho_used)``.
    """
    from evidence.stats.effects import correct_counts

    cc = correct_counts([e_treat], [n], [e_ctrl], [n], correction)
    a, b, c, d = (float(x[0]) for x in (cc.a, cc.b, cc.c, cc.d))
    if min(a, b, c, d) <= 0:
        return math.nan, math.nan, rho
    yi = math.log(a * d / (b * c))
    v1, v2 = 1 / a + 1 / b, 1 / c + 1 / d
    p1, p2 = a / (a + b), c / (c + d)
    rho_max = (min(p1, p2) - p1 * p2) / math.sqrt(p1 * (1 - p1) * p2 * (1 - p2))
    r = min(float(rho), rho_max)
    vi = v1 + v2 - 2 * r * math.sqrt(v1 * v2)
    return yi, vi, r


def paired_frame(data: pd.DataFrame, rho: float, correction: str = "all_if_zero") -> tuple[pd.DataFrame, list[str]]:
    """yi/vi of every study, with crossover (``paired``) rows re-weighted by :func:`paired_log_or`.

    Returns the frame (with a ``rho_used`` column: NaN for parallel trials) and notes."""
    from evidence.stats.effects import binary_effect_sizes

    yi, vi, _ = binary_effect_sizes(data["events_treat"], data["n_treat"], data["events_ctrl"], data["n_ctrl"],
                                    "OR", correction)
    yi, vi = np.array(yi, float), np.array(vi, float)
    notes = []
    used_rho = np.full(len(data), np.nan)
    for i, r in enumerate(data.itertuples()):
        if not bool(r.paired):
            continue
        n = max(r.n_treat, r.n_ctrl)
        if r.n_treat != r.n_ctrl:
            notes.append(f"{r.study}: arms of {int(r.n_treat)} and {int(r.n_ctrl)}; the paired variance uses "
                         f"n = {int(n)} (completers may differ by period)")
        y, v, used = paired_log_or(r.events_treat, r.events_ctrl, n, rho, correction)
        yi[i], vi[i], used_rho[i] = y, v, used
        if used < rho:
            notes.append(f"{r.study}: ρ capped at {used:.2f} (the most the marginal proportions allow)")
    return pd.DataFrame({"study": data["study"].to_numpy(), "yi": yi, "vi": vi, "rho_used": used_rho}), notes


def sensitivity(db, analysis_id: str, measure: str = "OR", method: str = "DL", correction: str = "all_if_zero",
                rhos: Sequence[float] = (0.25, 0.5, 0.75), data: pd.DataFrame | None = None) -> pd.DataFrame:
    """The pooled estimate under every alternative specification.

    Groups: model (fixed/random, τ² estimator, HKSJ), pooling method (IV, MH,
    Peto), zero-cell correction, leave one out, crossover trials as paired
    (ρ = ``rhos``) rather than parallel. One row per specification with
    ``group``, ``label``, ``method``, ``correction``, ``estimate``, ``ci_low``,
    ``ci_high``, ``k``, ``tau2``, ``i2``, ``base`` (the primary analysis) and
    ``note``.
    """
    from evidence.stats.meta import leave_one_out, meta_analysis

    data = arm_frame(db, analysis_id) if data is None else data
    base_method = "FE" if method.upper() == "IV" else method.upper()
    rows: list[dict] = []

    def add(group, label, fn, m, corr, hk=False, base=False, note=""):
        try:
            res = fn()
            rows.append({"group": group, "label": label, "method": m, "correction": corr, "hksj": hk,
                         "estimate": res.estimate, "ci_low": res.ci_low, "ci_high": res.ci_high, "k": res.k,
                         "tau2": res.tau2, "i2": res.i2, "base": base,
                         "note": "; ".join([note] + list(res.notes)).strip("; ")})
        except (ValueError, ZeroDivisionError) as exc:
            rows.append({"group": group, "label": label, "method": m, "correction": corr, "hksj": hk,
                         "estimate": math.nan, "ci_low": math.nan, "ci_high": math.nan, "k": 0, "tau2": math.nan,
                         "i2": math.nan, "base": base, "note": f"not estimable: {exc}"})

    counts = data[["study", "events_treat", "n_treat", "events_ctrl", "n_ctrl"]]

    def fit(m, corr=correction, hk=False, d=counts, meas=measure):
        return lambda: meta_analysis(d, measure=meas, method=m, correction=corr, hksj=hk)

    add("primary", f"{method_words(base_method)}; {correction}", fit(base_method), base_method, correction,
        base=True)
    for m in ("FE", "DL", "REML", "PM"):
        if m != base_method:
            add("fixed vs random", method_words(m), fit(m), m, correction)
    add("fixed vs random", method_words("DL", True), fit("DL", hk=True), "DL", correction, hk=True)
    for m in ("MH", "FE", "PETO"):
        if measure.upper() != "OR" and m == "PETO":
            continue
        add("MH vs IV vs Peto", method_words(m), fit(m), m, correction)
    for corr in ("all_if_zero", "treatment_arm", "exclude_double_zero", "none"):
        add("zero-cell correction", f"{CORRECTION_WORDS[corr]}", fit(base_method, corr), base_method, corr)
    if len(counts) > 1:
        loo = leave_one_out(counts, measure=measure, method=base_method, correction=correction)
        for r in loo.itertuples():
            ok = r.k > 0 and math.isfinite(r.estimate)
            rows.append({"group": "leave one out", "label": f"without {r.study}", "method": base_method,
                         "correction": correction, "hksj": False, "estimate": r.estimate if ok else math.nan,
                         "ci_low": r.ci_low if ok else math.nan, "ci_high": r.ci_high if ok else math.nan,
                         "k": int(r.k), "tau2": r.tau2, "i2": r.i2, "base": False, "note": ""})
    if measure.upper() == "OR" and bool(data["paired"].any()):
        iv_method = base_method if base_method not in ("MH", "PETO") else "DL"
        crossover = ", ".join(data.loc[data["paired"], "study"])
        for rho in rhos:
            d, notes = paired_frame(data, rho, correction)
            used = d["rho_used"].dropna()
            capped = f" (capped at {used.min():.2f})" if len(used) and used.min() < rho else ""
            add("crossover analysed as paired", f"{crossover} paired, ρ = {rho:g}{capped}",
                lambda d=d: meta_analysis(d[["study", "yi", "vi"]], measure="OR", method=iv_method), iv_method,
                correction, note="; ".join(notes))
    return pd.DataFrame(rows, columns=["group", "label", "method", "correction", "hksj", "estimate", "ci_low",
                                       "ci_high", "k", "tau2", "i2", "base", "note"])


def fragility_table(data: pd.DataFrame, alpha: float = 0.05) -> pd.DataFrame:
    """Fragility (or reverse fragility) index of every trial (Fisher exact test, Walsh 2014)."""
    from evidence.stats.fragility import fragility_index

    rows = []
    for r in data.itertuples():
        fi = fragility_index(int(r.events_treat), int(r.n_treat), int(r.events_ctrl), int(r.n_ctrl), alpha=alpha)
        rows.append({"study": r.study, "events_treat": int(r.events_treat), "n_treat": int(r.n_treat),
                     "events_ctrl": int(r.events_ctrl), "n_ctrl": int(r.n_ctrl), "p_fisher": fi.p_initial,
                     "significant": fi.p_initial < alpha, "kind": fi.kind, "index": fi.index,
                     "quotient": fi.quotient, "arm": fi.arm, "direction": fi.direction, "message": fi.message,
                     "paired": bool(r.paired)})
    return pd.DataFrame(rows, columns=["study", "events_treat", "n_treat", "events_ctrl", "n_ctrl", "p_fisher",
                                       "significant", "kind", "index", "quotient", "arm", "direction", "message",
                                       "paired"])


def sensitivity_range(sens: pd.DataFrame) -> dict[str, Any]:
    """Smallest and largest pooled estimate (and lower CI limit) across specifications."""
    ok = sens[np.isfinite(sens["estimate"].astype(float))]
    if ok.empty:
        return {"min": None, "max": None, "n_specs": 0}
    lo_row = ok.loc[ok["estimate"].idxmin()]
    hi_row = ok.loc[ok["estimate"].idxmax()]
    return {"min": float(lo_row["estimate"]), "min_label": f"{lo_row['group']}: {lo_row['label']}",
            "max": float(hi_row["estimate"]), "max_label": f"{hi_row['group']}: {hi_row['label']}",
            "min_ci_low": float(ok["ci_low"].min()), "max_ci_high": float(ok["ci_high"].max()),
            "n_specs": int(len(ok)),
            "n_excluding_null": int(((ok["ci_low"] > 1) | (ok["ci_high"] < 1)).sum())}


def short_key(analysis_id: str) -> str:
    """'whittaker2021_sad' -> 'sad'."""
    return analysis_id.split("_", 1)[1] if "_" in analysis_id else analysis_id


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


# =========================================================================== #
# Methods
# =========================================================================== #
def params_table(params: Mapping) -> pd.DataFrame:
    """Each parameter with its default, the value used and whether it was changed."""
    rows = []
    for k, default in DEFAULT_PARAMS.items():
        v = params.get(k, default)
        rows.append({"parameter": k, "default": "None" if default is None else str(default),
                     "used": "None" if v is None else str(v), "changed": v != default})
    return pd.DataFrame(rows)


STAT_METHODS = [
    ("Odds ratio, risk ratio", "log-scale Wald (Woolf / Katz) CI; evidence.stats.effects"),
    ("Risk difference", "Newcombe hybrid score CI (method 10); evidence.stats.effects"),
    ("Proportion", "Wilson score CI; evidence.stats.effects.proportion"),
    ("NNT / NNH", "1/RD with the Altman (1998) CI, through infinity when the RD CI includes 0"),
    ("Zero cells", "0.5 added to every cell of a study with a zero cell (RevMan default); alternatives: "
                   "treatment-arm correction (Sweeting 2004), excluding double-zero studies, none"),
    ("Fixed effect", "inverse variance; Mantel–Haenszel (Robins–Breslow–Greenland variance); Peto one-step OR"),
    ("Random effects", "DerSimonian–Laird (RevMan), REML, Paule–Mandel; optional Hartung–Knapp–Sidik–Jonkman CI"),
    ("Heterogeneity", "Cochran's Q, I², τ² with Q-profile CI; prediction interval (metafor convention)"),
    ("Crossover trials", "as parallel (what most meta-analyses do) or as paired: Becker–Balagtas marginal log OR "
                         "with the within-patient correlation ρ imputed (Elbourne 2002), ρ capped at its "
                         "Fréchet bound; per-pair (discordant) counts are not in the data"),
    ("Fragility index", "Walsh (2014) with Fisher's exact test; reverse fragility (Khan 2020) when not significant"),
    ("Tolerance", "rounding-aware: a printed number stands for every value that rounds to it; 'about' widens "
                  "that by approx_rel_tol"),
]


def methods_frame() -> pd.DataFrame:
    return pd.DataFrame(STAT_METHODS, columns=["what", "method"])


def recompute_methods() -> pd.DataFrame:
    from evidence.spec import METHODS

    return pd.DataFrame([{"method": m, "required": ", ".join(sorted(req)) or "–",
                          "optional": ", ".join(sorted(opt)) or "–"} for m, (req, opt, _) in METHODS.items()])


# =========================================================================== #
# Results
# =========================================================================== #
def jsonable(value: Any) -> Any:
    """JSON-safe copy: numpy scalars to Python, NaN/inf to None, frames to records."""
    from evidence.stats._common import clean

    if isinstance(value, pd.DataFrame):
        return clean(value.to_dict(orient="records"))
    if isinstance(value, pd.Series):
        return clean(value.to_dict())
    if isinstance(value, Mapping):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    return clean(value)


def write_results(path: str | Path | None, results: Mapping[str, Any]) -> dict[str, Any]:
    """Write the notebook's key results as JSON (strict: no NaN); returns what was written."""
    data = jsonable(results)
    if path:
        p = Path(path)
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(json.dumps(data, indent=2, ensure_ascii=False, allow_nan=False) + "\n", encoding="utf-8")
    return data
