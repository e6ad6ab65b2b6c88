"""The real-world study against placebo arms (notebooks/real_world.ipynb)."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, ClassVar

import pandas as pd

from evidence.analyses.common import (
    CONTROL_WORDS, UNCONTROLLED_DESIGNS, Page, _frame, display_frame, fmt, vocab, _get, _num, arm_rates, study_label,
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


# =========================================================================== #
# The page
# =========================================================================== #
@dataclass
class RealWorldPage(Page):
    """The real-world study against placebo arms (see :func:`page`)."""

    summary: str
    lead: str
    cohort: dict[str, Any]
    can_show: list[str]
    cannot_show: list[str]
    control_arms: pd.DataFrame
    control_response_min_pct: float | None
    control_response_max_pct: float | None
    pct_changes: pd.DataFrame
    control_sentence: str = ""
    change_sentence: str = ""
    rates: pd.DataFrame = field(repr=False, default=None)
    rates_alt: str = ""
    changes: pd.DataFrame = field(repr=False, default=None)
    changes_alt: str = ""
    rates_table: pd.DataFrame = field(repr=False, default=None)
    display_only: ClassVar[tuple[str, ...]] = ("rates", "changes", "rates_table")


def _cohort(db, cohort_source: str, cohort_estimate: str) -> tuple[dict[str, Any], str, list[str], list[str]]:
    from evidence.analyses.dose_route_onset import source_summary

    c = source_summary(db, cohort_source)
    if not c:
        return {}, "The real-world study is not on record.", [], []
    est_frame = _frame(db, "estimates")
    est = est_frame.loc[cohort_estimate] if cohort_estimate in est_frame.index else None
    cohort = {k: c[k] for k in ("label", "design", "n", "population", "route", "dose_mg_per_kg", "control", "diagnosis")}
    cohort["pct_reduction"] = _num(est["estimate"]) if est is not None else None
    dx_words = vocab.word("diagnosis", c["diagnosis"]) or "a condition not recorded"
    control = c["control"] if c["control"] and not str(c["control"]).lower().startswith("none") else None
    lead = (f"{c['label']} is a {vocab.word('design', c['design'])} of {fmt.count(c['n'], 'patient') if c['n'] else 'patients'}"
            f" with {dx_words}, treated with {vocab.word('route', c['route'])} ketamine"
            + (f" {fmt.num(_num(c['dose_mg_per_kg']))} mg/kg" if _num(c["dose_mg_per_kg"]) else "")
            + (f" over {fmt.duration(c['infusion_min'], 'minutes')}" if c["infusion_min"] else "")
            + (f", against {control}." if control else ", with no control group.")
            + (f" It reports a {fmt.pct(cohort['pct_reduction'])} reduction in "
               f"{re.sub(r',?[^,]*% reduction.*$', '', str(est['outcome'])).strip()}." if est is not None
               else " No anxiety result is recorded for it."))
    anxiety = bool(vocab.diagnosis_groups(c["diagnosis"]) & vocab.ANXIETY_GROUPS)
    # from the source record (sources.csv population/notes): the charts of n patients seen at a clinic, the
    # number measured on the anxiety scale not printed; never more than the record says
    pop = str(c.get("population") or "")
    setting = re.search(r"seen at (an? [^,(]*clinic)", pop)
    can = [f"that anxiety scores were lower after treatment began than before it, in the patients whose charts "
           f"were analysed ({fmt.count(c['n'], 'patient') if c['n'] else 'patients'} seen; how many were measured "
           "on the anxiety scale is not printed);",
           f"that the treatment was given in routine practice{', at ' + setting.group(1) if setting else ''}."]
    cannot = ["how much of the fall is due to ketamine: without a control group, regression to the mean (people "
              "start treatment when they feel worst), placebo response, expectation and other care are all included;",
              (f"anything about anxiety disorders: the patients were diagnosed with {dx_words}, not an anxiety "
               "disorder, and anxiety was measured as a symptom score, not as an anxiety-disorder diagnosis;") if not anxiety else "a causal effect;",
              "how long the change lasted, or how many patients were not measured (the abstract gives neither)."
              if est is not None and "not printed" in str(_get(est, "notes") or "").lower() else
              "how long the change lasted."]
    return cohort, lead, can, cannot


def page(db, cohort_source: str = "oliver2022", cohort_estimate: str = "oliver2022_gad7_pct_reduction") -> RealWorldPage:
    """The uncontrolled real-world figure beside how much patients improve on placebo in the trials."""
    cohort, lead, can, cannot = _cohort(db, cohort_source, cohort_estimate)
    ctl = control_arm_rates(db)
    arms = ctl[ctl["arm"] == "ctrl"] if len(ctl) else ctl
    ch = pct_changes(db)
    control_s = ""
    if len(arms):
        top = arms.loc[arms["pct"].idxmax()]
        control_s = (f"Control-arm response ranges from {fmt.pct(arms['pct'].min(), 0)} to {fmt.pct(arms['pct'].max(), 0)} "
                     f"across {fmt.count(len(arms), 'outcome')}; the highest is {top['label']}, with "
                     f"{fmt.ratio_of(top['events'], top['n'])} responding on {top['arm_label']}.")
    change_s = ("" if "control arm (RCT)" in set(ch["group"]) else
                "No trial on record prints the percentage change in its placebo arm, or baseline and follow-up "
                "means from which it could be computed; the response rates above are the placebo comparison "
                "available.") if len(ch) else ""
    rates_rows = [{"Trial and outcome": r.label, "Arm": "ketamine" if r.arm == "treat" else "control",
                   "Treatment": r.arm_label, "Responders": fmt.ratio_of(r.events, r.n),
                   "Wilson 95% CI": f"{fmt.pct(r.low, 0)} to {fmt.pct(r.high, 0)}"} for r in ctl.itertuples()]
    changes = ch.copy()
    if len(changes):
        changes["note"] = [f"{n.replace(' → ', ' to ')} points" if n else "" for n in changes["note"]]
    summary = (f"{cohort.get('label')}: {fmt.pct(cohort.get('pct_reduction'))} reduction, {fmt.n(cohort.get('n'))}, no control; "
               f"control arms of trials: {fmt.pct(arms['pct'].min(), 0)} to {fmt.pct(arms['pct'].max(), 0)} responders"
               if cohort and len(arms) else "real-world study or control arms not on record")
    return RealWorldPage(
        summary=summary, lead=lead, cohort=cohort, can_show=can, cannot_show=cannot,
        control_arms=arms[["outcome_id", "label", "events", "n", "pct", "low", "high"]] if len(arms) else pd.DataFrame(),
        control_response_min_pct=float(arms["pct"].min()) if len(arms) else None,
        control_response_max_pct=float(arms["pct"].max()) if len(arms) else None,
        pct_changes=ch[["id", "label", "group", "value", "how"]] if len(ch) else pd.DataFrame(),
        control_sentence=control_s, change_sentence=change_s, rates=ctl,
        rates_alt=("Responders in the ketamine and control arms of the trials. " + control_s) if control_s else "",
        changes=changes,
        changes_alt=("Reported reductions in anxiety scores: " + "; ".join(
            f"{r.label}: {fmt.pct(r.value)} ({r.group})" for r in ch.itertuples()) + ".") if len(ch) else "",
        rates_table=display_frame(rates_rows, ["Trial and outcome", "Arm", "Treatment", "Responders", "Wilson 95% CI"]))
