"""The evidence map (notebooks/evidence_map.ipynb).

What the record holds for ketamine in anxiety disorders, counted only over
studies of ketamine or esketamine: a trial of psychotherapy against SSRIs is
comparator evidence, shown apart and labelled so. :func:`ketamine_rcts` is the
count the index and claim 000-38 state (results JSON key ``ketamine_rcts``).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, ClassVar, Mapping

import pandas as pd

from evidence.analyses.common import (
    CONTROLLED_DESIGNS, DEFAULT_PARAMS, STUDY_DESIGNS, SYNTHESIS_DESIGNS,
    UNCONTROLLED_DESIGNS, Page, _frame, display_frame, fmt, is_ketamine, population_words, vocab, _get, _ids, _num, is_registry, population_group, sample_size, study_label,
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
                                     "route", "control", "year", "population", "evidence"])
    rows = []
    for sid, s in src.iterrows():
        if not include_registry and is_registry(s):
            continue
        rows.append({"source_id": sid, "label": study_label(db, sid), "kind": _get(s, "kind"),
                     "design": _get(s, "design") or "other", "n": sample_size(s),
                     "population_group": population_group(_get(s, "diagnosis")),
                     "diagnosis": _get(s, "diagnosis") or "", "route": _get(s, "route") or "",
                     "control": _get(s, "control") or "", "year": _num(_get(s, "year")),
                     "population": _get(s, "population") or "",
                     "evidence": evidence_kind(s)})
    return pd.DataFrame(rows)


def thinness(db, small_n: int | None = None) -> pd.DataFrame:
    """Per anxiety diagnosis, over studies of ketamine or esketamine only: controlled trials, the
    participants in those with a known size, the largest, the small ones, crossover trials,
    uncontrolled studies and syntheses."""
    small_n = int(small_n if small_n is not None else DEFAULT_PARAMS["small_n"])
    m = evidence_map_frame(db)
    m = m[m["evidence"] == "ketamine"]
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


def evidence_kind(source: Mapping) -> str:
    """``ketamine`` (a study of ketamine or esketamine), ``comparator`` (a study of another
    treatment: psychotherapy, SSRIs, benzodiazepines) or ``other`` (surveys, fact sheets, labels,
    notices and reviews without a drug)."""
    if is_ketamine(source):
        return "ketamine"
    design = _get(source, "design")
    if design in STUDY_DESIGNS or design in SYNTHESIS_DESIGNS:
        return "comparator"
    return "other"


def treatment_words(source: Mapping) -> str:
    """What a comparator study tested, in words: its drug, else psychological treatment when its
    citation or population says so, else 'another treatment'."""
    drug = str(_get(source, "drug") or "").strip()
    text = " ".join(str(_get(source, c) or "") for c in ("citation", "population")).lower()
    psych = bool(re.search(r"psycholog|psychotherap|cognitive|\bcbt\b", text))
    if drug:  # "SSRIs; SNRIs; benzodiazepines" -> "SSRIs, SNRIs and benzodiazepines"
        drugs = vocab.join_words([d.strip() for d in drug.split(";") if d.strip()])
        return f"psychological treatment and {drugs}" if psych else drugs   # e.g. CBT, an SSRI or both
    return "psychological treatment" if psych else "another treatment"


def _trial_counts(trials: pd.DataFrame, small_n: int) -> dict[str, Any]:
    ns = trials["n"].dropna()
    largest = trials.loc[trials["n"].idxmax()] if len(ns) else None
    return {"k": int(len(trials)), "n_total": int(ns.sum()) if len(ns) else 0, "n_known": int(len(ns)),
            "largest": int(ns.max()) if len(ns) else None,
            "largest_study": str(largest["label"]) if largest is not None else None,
            "small": int((ns < small_n).sum()), "small_n": int(small_n),
            "crossover": int((trials["design"] == "crossover_rct").sum()),
            "studies": [str(x) for x in trials.sort_values("label")["label"]]}


def anxiety_trials(db, evidence: str = "ketamine") -> pd.DataFrame:
    """Randomized controlled trials in an anxiety disorder (PTSD and OCD included, as the 2021
    meta-analysis counts them) of ``evidence`` ("ketamine" or "comparator")."""
    m = evidence_map_frame(db)
    if m.empty:
        return m
    return m[m["design"].isin(CONTROLLED_DESIGNS) & (m["population_group"] == "anxiety disorder")
             & (m["evidence"] == evidence)]


def ketamine_rcts(db, small_n: int | None = None) -> dict[str, Any]:
    """The randomized controlled trials of ketamine or esketamine in an anxiety disorder:
    ``{k, n_total, n_known, largest, largest_study, small, small_n, crossover, studies}``.
    ``n_total`` adds the trials whose size is known (``n_known`` of the ``k``)."""
    small_n = int(small_n if small_n is not None else DEFAULT_PARAMS["small_n"])
    return _trial_counts(anxiety_trials(db, "ketamine"), small_n)


def ketamine_rct_sentence(counts: Mapping[str, Any]) -> str:
    """The count in one sentence, as the index and the evidence map state it."""
    k = counts["k"]
    if not k:
        return "No randomized controlled trial of ketamine or esketamine in an anxiety disorder is on record."
    known = (f"{fmt.count(counts['n_total'], 'participant')} in all" if counts["n_known"] == k else
             f"{fmt.count(counts['n_total'], 'participant')} in the {counts['n_known']} whose size is reported")
    s = (f"{fmt.count(k, 'randomized controlled trial')} of ketamine or esketamine in an anxiety disorder "
         f"(PTSD and OCD included) {'is' if k == 1 else 'are'} on record, with {known}")
    if counts["largest"]:
        s += f"; the largest has {fmt.count(counts['largest'], 'participant')} ({counts['largest_study']})"
    s += "."
    known, small, n_small = counts["n_known"], counts["small"], counts["small_n"]
    if known:
        if small == known == k:
            s += f" Every one of them has fewer than {n_small} participants"
        elif small == known:
            s += f" All {known} with a known size have fewer than {n_small} participants"
        else:
            s += f" {small} of the {known} with a known size {'has' if small == 1 else 'have'} fewer than {n_small} participants"
        cross = counts["crossover"]
        s += (f", and {cross} {'is a crossover trial' if cross == 1 else 'are crossover trials'}" if cross else "") + "."
    return s


def _studies_table(frame: pd.DataFrame, db, treatment: bool = False) -> pd.DataFrame:
    src = _frame(db, "sources")
    rows = []
    for r in frame.sort_values(["population_group", "design", "label"]).itertuples():
        s = src.loc[r.source_id] if r.source_id in src.index else {}
        row = {"Study": r.label, "Design": vocab.word("design", r.design),
               "Participants": fmt.num(r.n) if _num(r.n) else "not reported",
               "Population": vocab.word("diagnosis", r.diagnosis) or "not stated",
               "Compared with": r.control or "no control group"}
        if treatment:
            row["Treatment studied"] = treatment_words(s)
        else:
            row["Route"] = vocab.word("route", r.route) if r.route and r.route != "na" else "not stated"
        rows.append(row)
    cols = ["Study", "Design", "Participants", "Population"] + (["Treatment studied"] if treatment else ["Route"]) \
        + ["Compared with"]
    return display_frame(rows, cols)


@dataclass
class EvidenceMapPage(Page):
    """The evidence map's result (see :func:`page`)."""

    summary: str
    lead: str
    comparator_sentence: str
    ketamine_rcts: dict[str, Any]
    comparator_rcts: dict[str, Any]
    n_sources: int
    n_registry_left_out: int
    by_evidence: dict[str, int]
    by_design: dict[str, int]
    thinness: pd.DataFrame
    chart: pd.DataFrame = field(repr=False, default=None)
    chart_alt: str = ""
    chart_caption: str = ""
    registry_sentence: str = ""
    thinness_note: str = ""
    design_table: pd.DataFrame = field(repr=False, default=None)
    ketamine_table: pd.DataFrame = field(repr=False, default=None)
    comparator_table: pd.DataFrame = field(repr=False, default=None)
    thinness_table: pd.DataFrame = field(repr=False, default=None)
    display_only: ClassVar[tuple[str, ...]] = ("chart", "design_table", "ketamine_table", "comparator_table", "thinness_table")


def _thinness_display(th: pd.DataFrame) -> pd.DataFrame:
    rows = [{"Diagnosis": vocab.word("diagnosis", r.diagnosis), "Trials": fmt.num(r.rcts),
             "Participants (known sizes)": fmt.num(r.rct_participants),
             "Largest trial": fmt.num(r.largest_rct_n) if _num(r.largest_rct_n) else "–",
             f"Under {r.small_n} participants": fmt.num(r.small_rcts), "Crossover trials": fmt.num(r.crossover_rcts),
             "Uncontrolled studies": fmt.num(r.uncontrolled_studies), "Reviews and meta-analyses": fmt.num(r.syntheses)}
            for r in th.assign(small_n=th.attrs.get("small_n", 50)).itertuples()]
    return display_frame(rows, list(rows[0]) if rows else ["Diagnosis"])


def _comparator_sentence(comp: Mapping[str, Any], trials: pd.DataFrame, src: pd.DataFrame) -> str:
    """'Comparator evidence, not counted above: 1 randomized trial of other treatments in an anxiety
    disorder, with 150 participants: Van Apeldoorn 2010, SSRIs (…) in panic disorder. …'"""
    if not comp["k"]:
        return "No comparator trial (psychotherapy, SSRIs, benzodiazepines) in an anxiety disorder is on record."
    each = [f"{r.label}, {treatment_words(src.loc[r.source_id])} in {population_words(r.diagnosis) or 'a population not stated'}"
            for r in trials.sort_values("label").itertuples() if r.source_id in src.index]
    return (f"Comparator evidence, not counted above: {fmt.count(comp['k'], 'randomized trial')} of other treatments "
            f"in an anxiety disorder, with {fmt.count(comp['n_total'], 'participant')}"
            f"{' in those with a known size' if comp['n_known'] < comp['k'] else ''}: {'; '.join(each)}. They say "
            "how those treatments do, not how ketamine does.")


def _shared_trials_sentence(db, th: pd.DataFrame, k: int) -> str:
    """Which trials sit in more than one diagnosis row of the thinness table (so its rows add up to more
    than the trial count), or "" when none does."""
    trials = anxiety_trials(db, "ketamine")
    rows = set(th["diagnosis"])
    shared = [(r.label, [vocab.word("diagnosis", d) for d in _ids(r.diagnosis) if d in rows])
              for r in trials.sort_values("label").itertuples()]
    shared = [(lab, dx) for lab, dx in shared if len(dx) > 1]
    if not shared:
        return ""
    each = "; ".join(f"{lab} under {vocab.join_words(dx)}" for lab, dx in shared)
    return (f"A trial in more than one diagnosis is counted in each row ({each}), so the rows add up to "
            f"{fmt.num(int(th['rcts'].sum()))} trials, not {fmt.num(k)}.")


def page(db, small_n: int | None = None) -> EvidenceMapPage:
    """Everything the evidence map shows: the ketamine trial count first, comparators apart."""
    small_n = int(small_n if small_n is not None else DEFAULT_PARAMS["small_n"])
    m = evidence_map_frame(db)
    n_registry = len(evidence_map_frame(db, include_registry=True)) - len(m)
    ket = ketamine_rcts(db, small_n)
    comp_frame = anxiety_trials(db, "comparator")
    comp = _trial_counts(comp_frame, small_n)
    src = _frame(db, "sources")
    comparator_sentence = _comparator_sentence(comp, comp_frame, src)
    th = thinness(db, small_n)
    th.attrs["small_n"] = small_n
    chart = m[(m["evidence"] == "ketamine") & m["design"].isin(STUDY_DESIGNS | SYNTHESIS_DESIGNS)].copy()
    chart["design_words"] = [vocab.word("design", d) for d in chart["design"]]
    by_dp = (m[m["evidence"] != "other"].assign(
        Design=lambda d: [vocab.word("design", x) for x in d["design"]],
        Evidence=lambda d: ["ketamine or esketamine" if e == "ketamine" else "comparator treatments" for e in d["evidence"]])
        .groupby(["Design", "Evidence"]).size().unstack(fill_value=0))
    by_dp = by_dp[[c for c in ("ketamine or esketamine", "comparator treatments") if c in by_dp.columns]]
    design_table = display_frame([{"Design": d, **{c: fmt.num(v) for c, v in row.items()}}
                                  for d, row in by_dp.iterrows()], ["Design"] + list(by_dp.columns))
    with_n = chart.dropna(subset=["n"])
    alt = f"Ketamine and esketamine studies by design and size: {len(with_n)} of {len(chart)} report a size"
    if len(with_n):
        top = with_n.loc[with_n["n"].idxmax()]
        alt += (f"; the largest is {top['label']} ({vocab.word('design', top['design'])} in "
                f"{vocab.word('diagnosis', top['diagnosis']) or 'a population not stated'}, "
                f"{fmt.count(top['n'], 'participant')})")
    alt += ". " + ketamine_rct_sentence(ket)
    lead = ketamine_rct_sentence(ket)
    return EvidenceMapPage(
        summary=lead, lead=lead, comparator_sentence=comparator_sentence, ketamine_rcts=ket, comparator_rcts=comp,
        n_sources=int(len(m)), n_registry_left_out=int(n_registry),
        by_evidence={k: int(v) for k, v in m["evidence"].value_counts().items()} if len(m) else {},
        by_design={k: int(v) for k, v in m["design"].value_counts().items()} if len(m) else {},
        thinness=th, chart=chart, chart_alt=alt,
        chart_caption=("Each point is a study, placed by its design and its number of participants (log scale); "
                       "colour and shape give the population studied. Studies that report no size are counted at the "
                       f"left of their row. Dotted line: {small_n} participants. Source: the study records in the "
                       "report's data (sources table)."),
        registry_sentence=(f"{fmt.count(n_registry, 'trial-registry record')} {'is' if n_registry == 1 else 'are'} "
                           "left out: they describe trials already listed." if n_registry else ""), design_table=design_table,
        ketamine_table=_studies_table(chart[chart["design"].isin(STUDY_DESIGNS)], db),
        comparator_table=_studies_table(m[(m["evidence"] == "comparator") & m["design"].isin(STUDY_DESIGNS)], db,
                                        treatment=True),
        thinness_table=_thinness_display(th), thinness_note=_shared_trials_sentence(db, th, ket["k"]))
