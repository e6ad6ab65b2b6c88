"""Dose, route, onset and durability (notebooks/dose_route_onset.ipynb).

Only studies of ketamine or esketamine are ketamine evidence: the onset and
durability of psychotherapy (Bandelow 2018) or of SSRIs and benzodiazepines
(Mendez 2024) are comparator evidence, kept on a separate, labelled panel and
never stated as how long ketamine works.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Any, ClassVar, Mapping

import pandas as pd

from evidence.analyses.evidence_map import treatment_words
from evidence.analyses.common import (
    bracketed,
    STUDY_DESIGNS, SYNTHESIS_DESIGNS,
    Page, _frame, display_frame, fmt, is_ketamine, population_words, vocab, _get, _ids, _num, is_registry, population_group, sample_size, study_label,
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
#: a median time to relapse (or to loss of response) is when half the responders had lost the effect,
#: not a time the effect was still present: it gets its own marker and its own words
_MEDIAN_RELAPSE = re.compile(r"median time to (relapse|loss of response)", re.I)


def timing_kind(attribute: str, text: str) -> str | None:
    """"onset", "durability" (an effect reported still present), "relapse" (a median time to relapse or
    loss of response, in the source's words) or None for a fact that is not about timing."""
    if attribute in ONSET_ATTRS:
        return "onset"
    if attribute not in DURABILITY_ATTRS:
        return None
    return "relapse" if attribute == "relapse_after_stopping" or _MEDIAN_RELAPSE.search(text) else "durability"


def relapse_words(text: str) -> str:
    """'median time to loss of response among responders', from the source's own sentence."""
    m = _MEDIAN_RELAPSE.search(text)
    head = f"median time to {m.group(1).lower()}" if m else "time to relapse"
    return head + (" among responders" if re.search(r"\bresponders\b", text, re.I) else "")


def _restated(rows: list[dict], src: pd.DataFrame) -> set[int]:
    """Rows whose figure a review restates from a primary study that has the same figure on record
    (``stands_in_for``): the finding is shown once, under the primary study."""
    drop = set()
    for i, r in enumerate(rows):
        sid = r["source_id"]
        primary = _ids(_get(src.loc[sid], "stands_in_for")) if sid in src.index else []
        if any(o["source_id"] in primary and o["attribute"] == r["attribute"] and o["hours"] == r["hours"]
               for o in rows):
            drop.add(i)
    return drop


def onset_durability(db, include_claims: bool = True) -> pd.DataFrame:
    """Onset and durability facts in hours, one row per fact (and per timed article claim).

    Columns: ``label`` (source, design or treatment, n), ``source_id``, ``attribute``
    (onset/durability/relapse/claim, see :func:`timing_kind`), ``hours``, ``short`` (the time in words), ``text``, ``fact_id``,
    ``evidence`` ("ketamine" for studies of ketamine or esketamine and the articles' claims,
    "comparator" for every other treatment).
    """
    facts = _frame(db, "facts")
    src = _frame(db, "sources")
    rows = []
    if not facts.empty:
        for fid, f in facts.iterrows():
            kind = timing_kind(str(_get(f, "attribute") or ""), str(_get(f, "value_text") or ""))
            if kind is None:
                continue
            h = to_hours(_num(_get(f, "value_num")), _get(f, "unit"))
            if h is None:
                continue
            sid = f["source_id"]
            label = study_label(db, sid)
            evidence = "comparator"
            if sid in src.index:
                s = src.loc[sid]
                evidence = "ketamine" if is_ketamine(s) else "comparator"
                n = sample_size(s)
                route = _get(s, "route")
                design = vocab.word("design", _get(s, "design"))
                what = design if evidence == "ketamine" else (
                    f"{design} of {treatment_words(s)}" if design else treatment_words(s))
                pop = population_words(_get(s, "diagnosis"))
                bits = [what] + ([fmt.n(n)] if n else []) + (
                    [vocab.word("route", route)] if route and route not in ("na", "mixed") and evidence == "ketamine"
                    else []) + ([pop] if pop else [])
                label = f"{label}: {', '.join(b for b in bits if b)}"
            rows.append({"label": label, "source_id": sid, "attribute": kind, "hours": h,
                         "short": fmt.duration(_num(f["value_num"]), f["unit"]),
                         "text": str(_get(f, "value_text") or ""), "fact_id": fid, "evidence": evidence})
        rows = [r for i, r in enumerate(rows) if i not in _restated(rows, src)]
    if include_claims:
        claims = _frame(db, "claims")
        if not claims.empty:
            sel = claims[claims["claim_type"].isin(["onset", "durability"])]
            for cid, c in sel.iterrows():
                h = to_hours(_num(_get(c, "claimed_value")), _get(c, "claimed_unit"))
                if h is None:
                    continue
                q = {"up_to": "up to ", "at_least": "at least ", "approx": "about "}.get(_get(c, "qualifier") or "", "")
                rows.append({"label": f"an article's claim: “{_get(c, 'quote')}”", "source_id": "",
                             "attribute": "claim", "hours": h,
                             "short": q + fmt.duration(_num(c["claimed_value"]), c["claimed_unit"]),
                             "text": str(_get(c, "quote") or ""), "fact_id": cid, "evidence": "ketamine"})
    return pd.DataFrame(rows, columns=["label", "source_id", "attribute", "hours", "short", "text", "fact_id",
                                       "evidence"])


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
# The page
# =========================================================================== #
def study_words(summary: Mapping[str, Any]) -> str:
    """'open-label study of generalized anxiety disorder and social anxiety disorder, n = 12, no control group'."""
    bits = [vocab.word("design", summary.get("design")) or "study"]
    dx = vocab.word("diagnosis", summary.get("diagnosis"))
    head = f"{bits[0]} in {dx}" if dx else bits[0]
    ctrl = summary.get("control")
    ctrl_words = "no control group" if not ctrl or str(ctrl).lower().startswith("none") else f"against {bracketed(ctrl)}"
    return ", ".join([head, fmt.n(summary["n"]) if summary.get("n") else "size not reported", ctrl_words])


def responders(db, source_id: str, level: float = 0.95) -> dict[str, Any] | None:
    """The first binary responder count of a source's treated arm, with its Wilson CI (percent)."""
    out = _frame(db, "outcomes")
    if out.empty:
        return None
    rows = out[(out["source_id"] == source_id) & (out["outcome_type"] == "binary") & out["events_treat"].notna()
               & out["n_treat"].notna()]
    if rows.empty:
        return None
    r = rows.iloc[0]
    x, n = float(r["events_treat"]), float(r["n_treat"])
    lo, hi = wilson(x, n, level)
    return {"outcome_id": rows.index[0], "events": int(x), "n": int(n), "pct": 100 * x / n, "ci_low": 100 * lo,
            "ci_high": 100 * hi, "timepoint": str(_get(r, "timepoint") or ""), "outcome": str(_get(r, "outcome") or ""),
            "controlled": _num(_get(r, "events_ctrl")) is not None}


def _facts_table(db, source_id: str) -> pd.DataFrame:
    f = facts_for(db, source_id)
    rows = [{"Finding": str(r.attribute).replace("_", " "), "What the source says": str(_get(r._asdict(), "value_text") or ""),
             "Figure": (fmt.duration(r.value_num, r.unit) if vocab.unit_kind(r.unit) == "duration" else
                        f"{fmt.num(r.value_num)} {vocab.unit_label(r.unit, r.value_num)}".strip())
             if _num(r.value_num) is not None else "",
             "Where in the source": str(_get(r._asdict(), "locator") or "")} for r in f.itertuples()]
    return display_frame(rows, ["Finding", "What the source says", "Figure", "Where in the source"])


def _dose_words(summary: Mapping[str, Any]) -> str:
    raw = _get(summary, "dose_mg_per_kg")
    doses = [fmt.num(_num(d)) for d in _ids(raw) if _num(d) is not None and math.isfinite(_num(d))] if raw else []
    if not doses:
        return "dose not recorded"
    return (vocab.join_words(doses) if len(doses) > 1 else doses[0]) + " mg/kg"


def _route_table(doses: pd.DataFrame) -> pd.DataFrame:
    if doses.empty:
        return display_frame([], ["Route", "Studies", "Participants (all populations)", "Studies in anxiety disorders"])
    first = doses.drop_duplicates("source_id")
    rows = []
    for route, g in first.groupby("route"):
        rows.append({"Route": vocab.word("route", route), "Studies": fmt.num(len(g)),
                     "Participants (all populations)": fmt.num(g["n"].sum()),
                     "Studies in anxiety disorders": fmt.num(int((g["population_group"] == "anxiety disorder").sum()))})
    return display_frame(rows, ["Route", "Studies", "Participants (all populations)", "Studies in anxiety disorders"])


def _timing_sentences(tl: pd.DataFrame) -> tuple[str, str]:
    ket = tl[(tl["evidence"] == "ketamine") & (tl["attribute"] != "claim")]
    comp = tl[tl["evidence"] == "comparator"]
    on, du = ket[ket["attribute"] == "onset"], ket[ket["attribute"] == "durability"]
    rel = ket[ket["attribute"] == "relapse"].sort_values("hours", ascending=False)
    if len(on):
        first = on[on["hours"] == on["hours"].min()]
        s = (f"In the studies of ketamine on record, the earliest effect on anxiety is reported at "
             f"{first['short'].iloc[0]} ({'; '.join(dict.fromkeys(first['label']))})")
    else:
        s = "No study of ketamine on record reports when its effect starts"
    if len(du):
        last = du.loc[du["hours"].idxmax()]
        s += f", and the longest an effect is reported still present is {last['short']} ({last['label']})."
    else:
        s += "; none reports how long the effect is still present."
    if len(rel):  # when half the responders had lost the effect: said as such, never as "still present"
        each = "; ".join(f"the {relapse_words(r.text)} was {r.short} ({r.label})" for r in rel.itertuples())
        s += f" Measured differently, {each}."
    if len(on) and on["hours"].min() >= 1:
        s += " No study on record measured anxiety within minutes of dosing."
    comp_s = ""
    if len(comp):
        what = "; ".join(f"{r.label}: {r.short} ({'effect first seen' if r.attribute == 'onset' else 'still present'})"
                         for r in comp.itertuples())
        comp_s = (f"Comparator evidence, about other treatments and not about ketamine, is on its own panel: {what}. "
                  "It says how long those treatments take or last, not how long ketamine does.")
    return s, comp_s


@dataclass
class DoseRoutePage(Page):
    """The dose, route, onset and durability page (see :func:`page`)."""

    summary: str
    lead: str
    comparator_sentence: str
    routes: dict[str, list[str]]
    ascending_dose: dict[str, Any]
    iv: dict[str, Any]
    onset_hours: dict[str, float]
    durability_hours: dict[str, float]
    earliest_onset_hours: float | None
    longest_durability_hours: float | None
    comparator_hours: dict[str, float]
    relapse_hours: dict[str, float] = field(default_factory=dict)
    doses_sentence: str = ""
    ascending_sentence: str = ""
    iv_sentence: str = ""
    doses: pd.DataFrame = field(repr=False, default=None)
    ketamine_timeline: pd.DataFrame = field(repr=False, default=None)
    comparator_timeline: pd.DataFrame = field(repr=False, default=None)
    timeline_alt: str = ""
    dose_alt: str = ""
    studies_table: pd.DataFrame = field(repr=False, default=None)
    ascending_facts: pd.DataFrame = field(repr=False, default=None)
    iv_facts: pd.DataFrame = field(repr=False, default=None)
    route_table: pd.DataFrame = field(repr=False, default=None)
    timeline_table: pd.DataFrame = field(repr=False, default=None)
    display_only: ClassVar[tuple[str, ...]] = ("doses", "ketamine_timeline", "comparator_timeline", "studies_table",
                                               "ascending_facts", "iv_facts", "route_table", "timeline_table")


def _ascending(db, source_id: str) -> tuple[dict[str, Any], str]:
    glue = source_summary(db, source_id)
    if not glue:
        return {}, "The ascending-dose study is not on record."
    res = {k: glue[k] for k in ("label", "design", "n", "dose_mg_per_kg", "route", "control")}
    s = (f"{glue['label']} ({study_words(glue)}) gave {_dose_words(glue)} by the "
         f"{vocab.word('route', glue['route'])} route.")
    r = responders(db, source_id)
    if r:
        res["responders"] = {k: r[k] for k in ("events", "n", "pct", "ci_low", "ci_high")}
        s += (f" Responders: {fmt.ratio_of(r['events'], r['n'])} (Wilson 95% CI {fmt.pct(r['ci_low'], 0)} to "
              f"{fmt.pct(r['ci_high'], 0)}), {r['timepoint']}"
              + (", with no comparison group." if not r["controlled"] else "."))
    return res, s


def _iv(db, source_id: str, glue: Mapping) -> tuple[dict[str, Any], str]:
    iv = source_summary(db, source_id)
    if not iv:
        return {}, "The intravenous trial is not on record."
    res = {k: iv[k] for k in ("label", "design", "n", "dose_mg_per_kg", "route", "infusion_min", "control")}
    s = (f"{iv['label']} ({study_words(iv)}) gave {_dose_words(iv)} by the {vocab.word('route', iv['route'])} route"
         + (f" over {fmt.duration(iv['infusion_min'], 'minutes')}" if iv["infusion_min"] else "") + ".")
    if glue and glue.get("route") and glue.get("route") != iv.get("route"):
        s += (f" The ascending-dose study used the {vocab.word('route', glue['route'])} route, with no infusion time: "
              "a sentence that puts its 0.5–1 mg/kg range together with \"over 40 minutes IV\" joins two different "
              "protocols.")
    return res, s


def page(db, ascending_dose_source: str = "glue2017", iv_source: str = "taylor2018") -> DoseRoutePage:
    """Everything the dose/route page shows; timing figures of other treatments kept apart."""
    ket = ketamine_sources(db)
    doses = dose_route_rows(db)
    glue_res, glue_s = _ascending(db, ascending_dose_source)
    iv_res, iv_s = _iv(db, iv_source, source_summary(db, ascending_dose_source))
    tl = onset_durability(db)
    lead, comp_s = _timing_sentences(tl)
    kt = tl[tl["evidence"] == "ketamine"]
    ct = tl[tl["evidence"] == "comparator"]
    on, du = kt[kt["attribute"] == "onset"], kt[kt["attribute"] == "durability"]
    rel = kt[kt["attribute"] == "relapse"]
    routes = {vocab.word("route", r): sorted(dict.fromkeys(g["label"])) for r, g in doses.groupby("route")} if len(doses) else {}
    doses_s = ("Studies with a dose and route on record: " + "; ".join(f"{r}: {', '.join(v)}" for r, v in routes.items())
               + ".") if routes else ""
    studies = [{"Study": r.label, "Design": vocab.word("design", r.design),
                "Participants": fmt.num(r.n) if _num(r.n) else "not reported",
                "Population": vocab.word("diagnosis", _get({"d": r.diagnosis}, "d")) or "not stated",
                "Dose": _dose_words({"dose_mg_per_kg": r.dose_mg_per_kg}),
                "Route": vocab.word("route", r.route) if _get({"r": r.route}, "r") else "not stated",
                "Infusion": fmt.duration(r.infusion_min, "minutes") if _num(r.infusion_min) else "",
                "Compared with": r.control if isinstance(r.control, str) and r.control else "no control group"}
               for r in ket.sort_values(["route", "label"]).itertuples()] if len(ket) else []
    timeline_rows = [{"Study or claim": r.label,
                      "Evidence": "ketamine" if r.evidence == "ketamine" and r.attribute != "claim" else
                      ("an article's claim" if r.attribute == "claim" else "comparator (not ketamine)"),
                      "What": {"onset": "effect first reported", "durability": "effect still present (last reported)",
                               "claim": "claimed"}.get(r.attribute) or relapse_words(r.text),
                      "When": r.short, "What the source says": r.text if r.attribute != "claim" else ""}
                     for r in tl.itertuples()]
    alt = lead + (" " + comp_s if comp_s else "")
    return DoseRoutePage(
        summary=lead, lead=lead, comparator_sentence=comp_s,
        routes={r: list(v) for r, v in routes.items()}, ascending_dose=glue_res, iv=iv_res,
        onset_hours=dict(zip(on["fact_id"], on["hours"])), durability_hours=dict(zip(du["fact_id"], du["hours"])),
        earliest_onset_hours=float(on["hours"].min()) if len(on) else None,
        longest_durability_hours=float(du["hours"].max()) if len(du) else None,
        comparator_hours=dict(zip(ct["fact_id"], ct["hours"])), relapse_hours=dict(zip(rel["fact_id"], rel["hours"])),
        doses_sentence=doses_s, ascending_sentence=glue_s, iv_sentence=iv_s, doses=doses,
        ketamine_timeline=kt, comparator_timeline=ct, timeline_alt=alt,
        dose_alt=("Ketamine doses by study and route. " + doses_s) if doses_s else "",
        studies_table=display_frame(studies, ["Study", "Design", "Participants", "Population", "Dose", "Route",
                                              "Infusion", "Compared with"]),
        ascending_facts=_facts_table(db, ascending_dose_source), iv_facts=_facts_table(db, iv_source),
        route_table=_route_table(doses),
        timeline_table=display_frame(timeline_rows, ["Study or claim", "Evidence", "What", "When",
                                                     "What the source says"]))
