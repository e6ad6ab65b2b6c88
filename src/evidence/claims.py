"""Recompute every claim from ``data/`` and decide its verdict.

:func:`evaluate_claim` is the single entry point: it takes one claims row
(a mapping with the ``claims.csv`` columns), recomputes the figure with the
statistics engine (:mod:`evidence.stats`) as its ``recompute`` spec says,
and applies the rules in :mod:`evidence.verdicts`. :func:`evaluate_all`
does every curated claim; :func:`to_claimreview` gives schema.org JSON-LD.
"""
from __future__ import annotations

import difflib
import re
from typing import Mapping

import pandas as pd

from evidence import claims_words as W
from evidence import fmt, vocab
from evidence.claims_words import study_name, source_words
from evidence.spec import parse_recompute, split_ids
from evidence.verdicts import DEFAULT_PARAMS, SCALE, Claimed, Recomputed, decide

ANXIETY_CODES = vocab.ANXIETY_CODES
CONTROLLED = vocab.CONTROLLED_DESIGNS
UNCONTROLLED = vocab.UNCONTROLLED_DESIGNS
NOT_GRADED = vocab.NOT_GRADED_DESIGNS
TIME_TO_HOURS = {"minute": 1 / 60, "minutes": 1 / 60, "hour": 1, "hours": 1, "day": 24, "days": 24,
                 "week": 168, "weeks": 168, "month": 730.5, "months": 730.5}
#: the columns of the CSV export: words for people (claimed, recomputed, verdict_label, certainty, reason,
#: checked, explanation, correction, depth) beside the codes (claim_id, claim_type, verdict, rule, source_ids, recipe)
EXPORT_COLUMNS = ["article", "claim_id", "claim_type", "quote", "claimed", "recomputed", "verdict", "verdict_label",
                  "holds", "rating", "certainty", "rule", "sources", "explanation", "correction", "depth",
                  "reason", "checked", "source_ids", "recipe"]
#: the fields that are words for people: no code, id or raw float in them (tests/test_claims_words.py)
WORDS_FIELDS = ["claimed", "recomputed", "verdict_label", "certainty", "reason", "reason_detail", "checked",
                "studies", "explanation", "correction", "depth"]


_get = W.get
_ids = W.ids


def _num(v) -> float | None:
    v = _get({"v": v}, "v")
    return None if v is None else float(v)


# ------------------------------------------------------------------ context

#: a study described in words (kept under its old name)
source_context = source_words


def context_flags(src: Mapping, params: Mapping) -> list[str]:
    """Reasons a figure from this source needs context in an anxiety article."""
    flags = []
    design = _get(src, "design") or ""
    # readers see these sentences: the study by name ("Taylor et al. 2018"), never its source_id
    sid = study_name(src, journal=False)
    what = []          # one sentence per study: "Glue et al. 2017 is small (n = 12) and an open-label study …"
    n = _get(src, "n_analysed") or _get(src, "n_randomized")
    if n is not None and design not in NOT_GRADED and int(n) < int(params["small_n"]):
        what.append(f"small ({fmt.n(int(n))})")
    if design in UNCONTROLLED:
        what.append(f"{W.a_an(vocab.word('design', design))} with no randomized control")
    dx = set(_ids(_get(src, "diagnosis")))
    other = vocab.word("diagnosis", ";".join(sorted(dx))) if dx and not (dx & ANXIETY_CODES) \
        and design not in NOT_GRADED else ""
    if what:
        flags.append(f"{sid} is {' and '.join(what)}"
                     + (f", in people with {other} (not an anxiety disorder)" if other else ""))
    elif other:
        flags.append(f"{sid} studied people with {other}, not an anxiety disorder")
    return flags


def grade(sources: list[Mapping], params: Mapping, imprecise: bool = False) -> str:
    """A GRADE-style certainty from design, size, blinding, population and precision."""
    graded = [s for s in sources if (_get(s, "design") or "") not in NOT_GRADED]
    if not graded:
        kinds = sorted({vocab.word("design", _get(s, "design")) for s in sources if _get(s, "design")})
        return W.not_graded(kinds, len(sources))
    designs = {_get(s, "design") for s in graded}
    level = 4 if designs & (CONTROLLED | {"meta_analysis", "systematic_review"}) else 2
    if designs <= {"open_label", "single_arm"}:
        level = 1
    reasons = []
    if any(_get(s, "blinding") in ("open", "single_blind") for s in graded) and level > 1:
        level -= 1
        reasons.append("risk of bias: not double-blind")
    ns = [int(_get(s, "n_analysed") or _get(s, "n_randomized")) for s in graded
          if (_get(s, "n_analysed") or _get(s, "n_randomized")) is not None]
    if imprecise or (ns and max(ns) < int(params["small_n"])):
        level -= 1
        reasons.append("imprecision: " + ("a wide confidence interval" if imprecise
                                          else f"the largest study has {fmt.n(max(ns))}"))
    dx = set().union(*[set(_ids(_get(s, "diagnosis"))) for s in graded])
    if dx and not (dx & ANXIETY_CODES):
        level -= 1
        reasons.append("indirectness: not an anxiety population")
    return W.grade_words(level, reasons)


# ---------------------------------------------------------------- recompute

def _stats():
    from evidence.stats import effects, meta

    return effects, meta


def _arm_frame(rows: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({
        "study": rows["source_id"].to_numpy(),
        "events_treat": rows["events_treat"].astype(float).to_numpy(),
        "n_treat": rows["n_treat"].astype(float).to_numpy(),
        "events_ctrl": rows["events_ctrl"].astype(float).to_numpy(),
        "n_ctrl": rows["n_ctrl"].astype(float).to_numpy(),
    })


def recompute(row: Mapping, db, params: Mapping | None = None) -> Recomputed | None:
    """Recompute the figure behind one claim; None when there is nothing to recompute."""
    p = dict(DEFAULT_PARAMS)
    p.update(params or {})
    method, args = parse_recompute(_get(row, "recompute"))
    if method == "none":
        return None
    fn = _RECOMPUTE[method]
    rec = fn(args, db, p)
    rec.method = method
    # a shorter time to onset is the stronger claim
    rec.inverse = _get(row, "claim_type") == "onset"
    # sources named on the claim add their context too
    for sid in _ids(_get(row, "source_ids")):
        if sid not in rec.sources:
            rec.sources.append(sid)
    # a printed pooled estimate rests on the trials tagged with its analysis: their design and size are its context
    if method == "estimate":
        analysis = _get(db.estimates.loc[args["id"]], "analysis_id")
        if analysis:
            for sid in db.outcomes_for(analysis)["source_id"]:
                if sid not in rec.sources:
                    rec.sources.append(sid)
    rec.citation_problem = citation_problem(row, db)
    srcs = [db.sources.loc[s] for s in rec.sources if s in db.sources.index]
    # the studies in words ("Taylor et al. 2018: randomized crossover trial, n = 18, …"), then any context
    # the recompute added (e.g. the census counts behind a head count)
    rec.context = [W.study_line(s) for s in srcs] + rec.context
    for s in srcs if method != "weigh" else []:   # weigh: the statements themselves carry the context
        for flag in context_flags(s, p):
            if flag not in rec.flags:
                rec.flags.append(flag)
    imprecise = _imprecise(rec, p)
    if imprecise and rec.low is not None:
        rec.flags.append(f"the estimate is imprecise (95% CI {fmt.num(rec.low)} to {fmt.num(rec.high)})")
    record = _get(row, "claim_type") in RECORD_TYPES or vocab.unit_kind(rec.unit) == "calendar"
    if rec.certainty == "not graded" and record:    # a date, a journal, a design: not an effect to grade
        rec.certainty = "not graded (a fact of the record, not an effect)"
    elif rec.certainty == "not graded":
        rec.certainty = grade(srcs, p, imprecise=imprecise)
    return rec


#: claim types about a study's or a drug's record (year, journal, design, size, approval): certainty
#: of an effect (GRADE) does not apply to them
RECORD_TYPES = {"attribution", "design", "population", "sample_size", "regulatory_status"}

_YEAR = re.compile(r"\b(19|20)\d{2}\b")


def _journal_key(name: str) -> str:
    """Lower-case words of a journal name, 'J' expanded and 'the'/'of'/'and' dropped."""
    words = re.sub(r"[^a-z ]", " ", name.lower().replace("j.", "journal ")).split()
    words = ["journal" if w == "j" else w for w in words]
    return " ".join(w for w in words if w not in ("the", "of", "and", "a", "an"))


def citation_problem(row: Mapping, db) -> str | None:
    """Where the article cites the study it describes (``described_source``) with a year or journal
    that differs from the study's record, say so in words; None when the citation fits or no study
    is described. Near spellings of a journal's name (a typo) count as the same journal."""
    sid = _get(row, "described_source")
    named = _get(row, "named_source")
    if not sid or not named or sid not in db.sources.index:
        return None
    src = db.sources.loc[sid]
    problems = []
    years = {m.group(0) for m in _YEAR.finditer(str(named))}
    year = _get(src, "year")
    if years and year is not None and str(int(float(year))) not in years:
        problems.append(f"the year ({', '.join(sorted(years))}; the study is from {int(float(year))})")
    journal = _get(src, "journal")
    cited = _YEAR.sub("", str(named)).strip(" ,;()")
    if journal and _journal_key(cited):
        likeness = difflib.SequenceMatcher(None, _journal_key(cited), _journal_key(str(journal))).ratio()
        names_a_journal = "journal" in cited.lower() or likeness > 0.6
        if names_a_journal and likeness < 0.9:
            problems.append(f"the journal ({cited}; the study appeared in {journal})")
    if not problems:
        return None
    return (f"the article cites {named}, but the study it describes is {study_name(src)}: "
            f"{' and '.join(problems)} {'is' if len(problems) == 1 else 'are'} wrong")


#: how deep a recompute goes, by method: the words Methods and the claims table use
DEPTH = {
    "proportion": "recomputed from counts", "effect": "recomputed from counts", "pooled": "recomputed from counts",
    "nnt": "recomputed from counts", "estimate": "compared with a printed figure",
    "prevalence": "compared with a printed figure", "count": "compared with a printed figure",
    "fact": "compared with a printed figure or statement", "attribute": "compared with the source's record",
    "weigh": "weighed against the sources' statements", "none": "no figure to compare",
}


def depth(row: Mapping, db) -> str:
    """The depth of a claim's check: recomputed from counts, derived, compared with a printed figure, ...

    A lookup of a printed figure whose row was itself derived from reported figures (provenance
    ``derived``) is "derived from printed figures"; an NNT read from a printed estimate is a comparison.
    """
    method, args = parse_recompute(_get(row, "recompute"))
    if method == "nnt" and "estimate" in args:
        return DEPTH["estimate"]
    if method == "prevalence" and args.get("population"):
        return "derived from printed figures"
    table = {"fact": "facts", "estimate": "estimates", "prevalence": "prevalence"}.get(method)
    if table and args.get("id") in getattr(db, table).index:
        if _get(getattr(db, table).loc[args["id"]], "provenance") == "derived":
            return "derived from printed figures"
    return DEPTH[method]


def _imprecise(rec: Recomputed, p: Mapping) -> bool:
    if rec.low is None or rec.high is None:
        return False
    if rec.measure in ("OR", "RR") and rec.low > 0:
        return rec.high / rec.low > float(p["imprecision_ratio"])
    if rec.null is not None:
        return rec.low <= rec.null <= rec.high
    return False


def _prevalence_words(r, value_words: str, db) -> tuple[str, str]:
    """(what the row gives, the same as a sentence) for a prevalence.csv row."""
    period = _get(r, "period")
    when = vocab.word("period", period) if period and period != "other" else ""
    sex = _get(r, "sex")
    who = _get(r, "population") or "the population surveyed"
    if sex in ("female", "male"):
        who = f"{vocab.word('sex', sex)} ({who})"
    years = _get(r, "data_years")
    source = _get(r, "survey") or W.name_of(db, r["source_id"])
    of = " of" if value_words.endswith("%") else ""      # "19.1% of U.S. adults", "40 million U.S. adults"
    words = f"{value_words}{of} {who}, {W.code_words(r['condition'])}" + (f", {when}" if when else "")
    said = (f"{value_words}{of} {who} had {W.code_words(r['condition'])}" + (f" {when}" if when else "")
            + f" ({source}" + (f", data from {years}" if years else ", data years not stated") + ").")
    return words + f" ({source}" + (f", data from {years})" if years else ")"), said


def _r_prevalence(args, db, p):
    r = db.prevalence.loc[args["id"]]
    value = _num(r["value_pct"])
    unit = "%"
    if args.get("field") == "count" or (value is None and _num(r["count"]) is not None):
        value, unit = _num(r["count"]), "people"
    shown = fmt.pct(value) if unit == "%" else fmt.num(value)
    words, said = _prevalence_words(r, shown, db)
    rec = Recomputed("prevalence", value=value, unit=unit, measure="pct" if unit == "%" else "count",
                     detail=f"{r['prevalence_id']} ({r['locator']}, {r['provenance']})",
                     sources=[r["source_id"]], certainty="not graded (survey)",
                     period=_get(r, "period"), claimed_period=args.get("claimed_period"), words=words, statement=said)
    if args.get("population") and _num(r["count"]) is not None and _num(r["value_pct"]):
        _combine_count_and_rate(rec, r, split_ids(args["population"]), db, p)
    if rec.claimed_period and rec.claimed_period != rec.period:
        # the same survey's figure for the period the claim states, if the source prints it
        same = db.prevalence[(db.prevalence["source_id"] == r["source_id"])
                             & (db.prevalence["condition"] == r["condition"])
                             & (db.prevalence["sex"].fillna("all") == (_get(r, "sex") or "all"))
                             & (db.prevalence["period"] == rec.claimed_period)]
        if len(same):
            # readers see this figure in the verdict's reason: the number, not the row id (kept in detail)
            rec.period_figure = fmt.pct(float(same.iloc[0]["value_pct"]))
            rec.detail += f"; same survey, period claimed: {same.index[0]}"
            rec.statement = (_prevalence_words(same.iloc[0], rec.period_figure, db)[1].rstrip(".")
                             + f"; {shown} had it {vocab.word('period', rec.period)}.")
        rec.text = f"{fmt.pct(rec.value)} {vocab.word('period', rec.period)}" + (
            f", {rec.period_figure} {vocab.word('period', rec.claimed_period)}" if rec.period_figure else "")
    return rec


def _combine_count_and_rate(rec: Recomputed, r, population_ids: list[str], db, p: Mapping) -> None:
    """A head count printed beside its rate implies a population (count / rate). Compare that with
    the population counts named, and say when the count belongs to an earlier population than the
    latest one (the rate applied to today's population would give another count)."""
    count, rate = float(r["count"]), float(r["value_pct"]) / 100
    implied = count / rate
    pops = []                      # (year of the count, population), the year read from the fact's id
    for fid in population_ids:
        year = re.search(r"(?:19|20)\d{2}(?!\d)", fid)
        pops.append((int(year.group(0)) if year else 0, float(db.facts.loc[fid]["value_num"])))
    pops.sort()
    listing = ", ".join(f"{fmt.num(v)} in {y}" for y, v in pops)
    latest_year, latest_value = pops[-1]
    at_latest = rate * latest_value
    rec.context.append(f"{fmt.count(count, 'adults')} is {fmt.pct(rate * 100)} of {fmt.approx(implied)} adults; "
                       f"the census counted {listing} adults")
    rec.detail += f"; implied population {fmt.num(count)} / {fmt.pct(rate * 100)} = {fmt.approx(implied)}"
    rel = float(p["approx_rel_tol"])
    if abs(at_latest - count) > rel * count:
        rec.caveats.append(f"the count is {fmt.pct(rate * 100)} of {fmt.approx(implied)} adults, an earlier U.S. "
                           f"adult population than {latest_year}'s {fmt.num(latest_value)}, "
                           f"of whom {fmt.pct(rate * 100)} would be {fmt.approx(at_latest)}")


def _r_count(args, db, p):
    src = db.sources.loc[args["source"]]
    field = args.get("field", "n_randomized")
    v = _num(src[field])
    who = study_name(src, journal=False)
    verb = "analysed" if field == "n_analysed" else (
        "randomized" if _get(src, "design") in CONTROLLED else "included")
    return Recomputed("count", value=v, unit="participants", measure="n",
                      detail=f"{field} of {args['source']} ({src['locator']})", sources=[args["source"]],
                      words=f"{fmt.count(v, 'participants')} {verb} ({who})",
                      statement=f"{who} {verb} {fmt.count(v, 'participants')}.")


#: how the engine says a study's value of a field, as a sentence ("Taylor et al. 2018 was a crossover trial.")
_ATTRIBUTE_SENTENCE = {"year": "{who} was published in {v}.", "journal": "{who} appeared in {v}.",
                       "design": "{who} was a {v}.", "blinding": "{who} was {v}.",
                       "diagnosis": "{who} studied people with {v}.", "population": "{who} studied {v}.",
                       "route": "{who} gave the drug by the {v} route.", "drug": "{who} studied {v}.",
                       "dose_mg_per_kg": "{who} gave doses of {v}.", "infusion_min": "{who} gave each infusion over {v}.",
                       "kind": "{who} is {v}.", "control": "{who} used {v} as the control."}


def _r_attribute(args, db, p):
    src = db.sources.loc[args["source"]]
    field = args["field"]
    value = src[field]
    text = "" if _get({"v": value}, "v") is None else str(value)
    if isinstance(value, float) and value.is_integer():
        text = str(int(value))
    said = W.field_value(field, text)
    who = study_name(src, journal=False, year=field != "year")
    template = _ATTRIBUTE_SENTENCE.get(field, "{who}: " + W.FIELD_WORDS.get(field, "record") + " {v}.")
    if field == "kind":
        said = W.a_an(said)
    statement = template.format(who=who, v=said) if said else ""
    return Recomputed("attribute", text=text, measure="attribute", source_field=field,
                      detail=f"{field} of {args['source']}: {text!r}", sources=[args["source"]],
                      words=statement.rstrip(".") or f"no {W.FIELD_WORDS.get(field, 'record')} given ({who})",
                      statement=statement)


def _r_fact(args, db, p):
    f = db.facts.loc[args["id"]]
    v = _num(f["value_num"])
    unit = _get(f, "unit")
    who = W.name_of(db, f["source_id"])
    text = str(_get(f, "value_text") or "").strip()
    shown = W.quantity_words(v, unit) if v is not None else ""
    quoted = _get(f, "provenance") == "reported"     # a derived or inferred row is our arithmetic, not a quote
    words = ((f"“{text.rstrip('.')}”" if quoted else text.rstrip(".")) if text else shown) + f" ({who})"
    short = W.key_sentences(text, v, limit=200)   # what an editor pastes: the sentences with the figure
    return Recomputed("fact", value=v, unit=unit, text=_get(f, "value_text"), measure="value" if v is not None else "fact",
                      detail=f"{f['fact_id']}: {f['subject']} / {f['attribute']} ({f['locator']}, {f['provenance']})",
                      sources=[f["source_id"]], words=words,
                      statement=(f"{who} says: “{short.rstrip('.')}.”" if text and quoted else
                                 f"From {who}: {short.rstrip('.')}." if text else f"{who} gives {shown}."))


def _r_estimate(args, db, p):
    e = db.estimates.loc[args["id"]]
    measure = e["measure"]
    null = {"OR": 1.0, "RR": 1.0, "RD": 0.0, "SMD": 0.0, "MD": 0.0}.get(measure)
    unit = "%" if measure in ("pct_change", "pct_responders") else None
    who, words = _estimate_words(db, e)
    return Recomputed("estimate", value=_num(e["estimate"]), low=_num(e["ci_low"]), high=_num(e["ci_high"]),
                      measure=measure if measure not in ("pct_change", "pct_responders") else "pct",
                      unit=unit, null=null,
                      detail=f"as printed: {e['estimate_id']} ({e['locator']})", sources=[e["source_id"]],
                      words=f"{words} ({who})", statement=f"{who} reports {words}.")


def _estimate_words(db, e) -> tuple[str, str]:
    """(the source's name, 'odds ratio 28.9 (95% CI 3.45 to 243) for response …') for an estimates.csv row."""
    m = str(e["measure"])
    value = W.ci_words(_num(e["estimate"]), _num(e["ci_low"]), _num(e["ci_high"]), m)
    if m in ("OR", "RR", "SMD", "MD"):
        value = f"{W.a_an(vocab.word('measure', m))} of {value.removeprefix(m + ' ')}"
    elif m not in ("RD",) and vocab.MEASURES.get(m) and vocab.MEASURES[m].scale != "percent":
        value = f"{vocab.word('measure', m)} {value}"
    elif m != "RD":         # a percentage: what it is a percentage of, in brackets ("30% (GAD-7, % reduction)")
        return W.name_of(db, e["source_id"]), f"{value} ({W.code_words(e['outcome'])})"
    return W.name_of(db, e["source_id"]), f"{value} for {W.code_words(e['outcome'])}"


def _r_proportion(args, db, p):
    from evidence.stats.wilson import wilson_95   # = statsmodels' proportion_confint(wilson), without its import

    o = db.outcomes.loc[args["outcome"]]
    arm = args.get("arm", "treat")
    x, n = int(o[f"events_{arm}"]), int(o[f"n_{arm}"])
    lo, hi = wilson_95(x, n)
    who = W.name_of(db, o["source_id"])
    words = f"{fmt.ratio_of(x, n)} on {o[f'arm_{arm}']} ({W.outcome_words(o)}; Wilson 95% CI {fmt.pct(100 * lo)} to {fmt.pct(100 * hi)})"
    return Recomputed("proportion", value=100 * x / n, low=100 * lo, high=100 * hi, unit="%", measure="pct",
                      detail=f"{x}/{n} {o['outcome']} in {o[f'arm_{arm}']}, {o['timepoint']} (Wilson 95% CI)",
                      sources=[o["source_id"]], words=f"{words} ({who})",
                      statement=f"In {who}, {fmt.ratio_of(x, n)} on {o[f'arm_{arm}']} met the outcome "
                                f"({W.outcome_words(o)}).")


def _two_by_two(o, measure: str, correction: str = "all_if_zero"):
    effects, _ = _stats()
    fn = {"OR": effects.odds_ratio, "RR": effects.risk_ratio, "RD": effects.risk_difference}[measure]
    return fn(int(o["events_treat"]), int(o["n_treat"]), int(o["events_ctrl"]), int(o["n_ctrl"]), correction=correction)


def _r_effect(args, db, p):
    o = db.outcomes.loc[args["outcome"]]
    measure = args.get("measure", "OR")
    res = _two_by_two(o, measure, args.get("correction", "all_if_zero"))
    who = W.name_of(db, o["source_id"])
    shown = W.ci_words(res.estimate, res.ci_low, res.ci_high, measure)
    zero = "" if min(int(o["events_treat"]), int(o["events_ctrl"])) > 0 else f"; {W.ZERO_CELLS.get(res.correction, '')}"
    return Recomputed("effect", value=res.estimate, low=res.ci_low, high=res.ci_high, measure=measure,
                      null=0.0 if measure == "RD" else 1.0,
                      detail=(f"{measure} from {o['outcome_id']}: {int(o['events_treat'])}/{int(o['n_treat'])} vs "
                              f"{int(o['events_ctrl'])}/{int(o['n_ctrl'])} ({o['outcome']}, {o['timepoint']}); "
                              f"CI {res.ci_method}, zero cells: {res.correction}"),
                      sources=[o["source_id"]],
                      words=f"{shown}, from {W.arms_words(o)} ({W.outcome_words(o)}{zero}; {who})",
                      statement=f"In {who}, {W.arms_words(o)} met the outcome ({W.outcome_words(o)}): {shown}.")


def _r_pooled(args, db, p):
    _, meta = _stats()
    rows = db.outcomes_for(args["analysis"])
    measure = args.get("measure", "OR")
    method = p.get("pooled_method") or args.get("method", "IV")
    correction = p.get("zero_cell_correction") or args.get("correction", "all_if_zero")
    res = meta.meta_analysis(_arm_frame(rows), measure=measure, method=method, correction=correction,
                             hksj=str(args.get("hksj", "false")).lower() == "true")
    studies = ", ".join(rows["source_id"])
    sids = list(dict.fromkeys(rows["source_id"]))
    names = W.join([W.name_of(db, s) for s in sids])
    shown = W.ci_words(res.estimate, res.ci_low, res.ci_high, measure)
    trials = fmt.count(res.k, "trials")
    return Recomputed("pooled", value=res.estimate, low=res.ci_low, high=res.ci_high, measure=measure,
                      null=0.0 if measure == "RD" else 1.0,
                      detail=(f"{method} pooled {measure} of {res.k} studies ({studies}), zero cells: {correction}; "
                              f"I²={res.i2:.0f}%, tau²={res.tau2:.3g}"),
                      sources=sids,
                      words=(f"{shown}, pooled ({W.METHODS.get(method, method)}) from the counts of {trials} "
                             f"({names}; {W.ZERO_CELLS.get(correction, '')})"),
                      statement=f"Pooled over {trials} ({names}), the evidence gives {shown}.")


def _r_nnt(args, db, p):
    kind = args.get("kind", "NNT").upper()
    if "estimate" in args:
        e = db.estimates.loc[args["estimate"]]
        who, words = _estimate_words(db, e)
        return Recomputed("nnt", value=_num(e["estimate"]), low=_num(e["ci_low"]), high=_num(e["ci_high"]),
                          measure=kind, detail=f"as printed: {e['estimate_id']} ({e['locator']})",
                          sources=[e["source_id"]], words=f"{words} ({who})", statement=f"{who} reports {words}.")
    effects, meta = _stats()
    if "outcome" in args:
        o = db.outcomes.loc[args["outcome"]]
        rd = _two_by_two(o, "RD", "none")
        what = f"{int(o['events_treat'])}/{int(o['n_treat'])} vs {int(o['events_ctrl'])}/{int(o['n_ctrl'])}"
        srcs = [o["source_id"]]
        basis = f"{W.arms_words(o)} ({W.outcome_words(o)}; {W.name_of(db, o['source_id'])})"
    else:
        rows = db.outcomes_for(args["analysis"])
        rd = meta.meta_analysis(_arm_frame(rows), measure="RD", method=p.get("pooled_method") or "MH")
        what = f"pooled RD of {rd.k} studies"
        srcs = list(dict.fromkeys(rows["source_id"]))
        basis = f"the pooled risk difference of {fmt.count(rd.k, 'trials')} ({W.join([W.name_of(db, s) for s in srcs])})"
    res = effects.nnt_from_rd(rd.estimate, rd.ci_low, rd.ci_high,
                              benefit="negative" if kind == "NNH" else "positive")
    finite = not res.crosses_zero
    rec = Recomputed("nnt", value=res.value, low=res.ci_low if finite else None,
                     high=res.ci_high if finite else None, measure=kind,
                     detail=f"{kind} = 1/RD from {what}; {res.text}", sources=srcs)
    shown = W.ci_words(rec.value, rec.low, rec.high, kind)
    label = vocab.word("measure", kind)
    rec.words = f"{shown}, as 1 / risk difference from {basis}"
    rec.statement = f"The {label} is {shown.removeprefix(kind + ' ')}, from {basis}."
    return rec


def _statement(db, rid: str) -> tuple[str, str]:
    """(source_id, what the row says in words) for a facts.csv or estimates.csv id."""
    if rid in db.facts.index:
        f = db.facts.loc[rid]
        return f["source_id"], str(_get(f, "value_text") or "")
    e = db.estimates.loc[rid]
    return e["source_id"], _estimate_words(db, e)[1]


#: a side of a weighed claim in words
_SIDES = (("for", "for the claim"), ("against", "against it"), ("weaker", "only weaker than worded"),
          ("context", "context"))


def _r_weigh(args, db, p):
    sides = {}
    sources: list[str] = []
    parts = []
    names: dict[str, list[str]] = {}
    for side, label in _SIDES:
        ids = split_ids(args.get(side))
        sides[side] = ids
        for rid in ids:
            sid, text = _statement(db, rid)
            if sid not in sources:
                sources.append(sid)
            names.setdefault(side, []).append(W.name_of(db, sid))
            parts.append(f"{W.name_of(db, sid, journal=True)} ({label}): “{text.strip().rstrip('.')}”")
    said = {side: [_statement(db, rid) for rid in sides[side]] for side, _ in _SIDES}
    statement = _weighed_statement(db, said)
    return Recomputed("weigh", text="; ".join(parts), measure="weigh", sources=sources, weighed_names=names,
                      support=sides["for"], oppose=sides["against"], weaker=sides["weaker"],
                      context_statements=[t for _, t in said["context"]], statements=parts, statement=statement,
                      detail="statements weighed: " + "; ".join(
                          f"{side} {', '.join(ids)}" for side, ids in sides.items() if ids))


def _weighed_statement(db, said: dict) -> str:
    """What the weighed sources say, as a sentence an editor can use: each side's sources by name, and
    the words of a short statement that says otherwise, is weaker, or adds context."""
    def who(side):
        return W.join(list(dict.fromkeys(W.name_of(db, sid) for sid, _ in said[side])))

    def quote(side):
        short = [W.key_sentences(t, limit=220).strip().rstrip(".") for _, t in said[side]]
        short = [t for t in short if t and len(t) <= 260]
        return f": “{short[0]}”" if short else ""

    out = []
    if said["for"] and said["against"]:
        out.append(f"The evidence is mixed: {who('for')} support this, while {who('against')} do not.")
    elif said["against"]:
        out.append(f"The sources say otherwise ({who('against')}){quote('against')}.")
    elif said["weaker"]:
        out.append(f"The sources support only a weaker claim ({who('weaker')}){quote('weaker')}.")
    if said["context"]:
        many = len({sid for sid, _ in said["context"]}) > 1
        out.append(f"As {who('context')} {'say' if many else 'says'}{quote('context')}.")
    elif said["for"] and not out:
        out.append(f"The sources support it ({who('for')}).")
    return " ".join(out)


_RECOMPUTE = {"weigh": _r_weigh, "prevalence": _r_prevalence, "count": _r_count, "attribute": _r_attribute, "fact": _r_fact,
              "estimate": _r_estimate, "proportion": _r_proportion, "effect": _r_effect, "pooled": _r_pooled,
              "nnt": _r_nnt}


# ----------------------------------------------------------------- evaluate

def claimed_from_row(row: Mapping, raw: Mapping | None = None) -> Claimed:
    raw = raw or {}
    unit = _get(row, "claimed_unit")
    value, low, high = _num(_get(row, "claimed_value")), _num(_get(row, "claimed_low")), _num(_get(row, "claimed_high"))
    claimed = Claimed(qualifier=_get(row, "qualifier") or "none", value=value, low=low, high=high, unit=unit,
                      text=_get(row, "claimed_text"), raw_value=raw.get("claimed_value") or None,
                      raw_low=raw.get("claimed_low") or None, raw_high=raw.get("claimed_high") or None)
    # time claims compare in hours but display in the article's own unit
    if unit in TIME_TO_HOURS:
        f = TIME_TO_HOURS[unit]
        claimed.label = claimed.display()
        claimed.value, claimed.low, claimed.high = (None if v is None else v * f for v in (value, low, high))
        # the printed precision is that of the article's figures, in the article's unit, scaled to hours
        claimed.raw_value, claimed.raw_low, claimed.raw_high = (
            r or o for r, o in zip((claimed.raw_value, claimed.raw_low, claimed.raw_high), (value, low, high)))
        claimed.unit, claimed.unit_scale = "hours", f
    return claimed


def _to_hours(rec: Recomputed) -> Recomputed:
    if rec.unit in TIME_TO_HOURS and rec.value is not None:
        f = TIME_TO_HOURS[rec.unit]
        rec.label = rec.label or rec.display()      # said in the source's own unit, compared in hours
        rec.value = rec.value * f
        rec.low = None if rec.low is None else rec.low * f
        rec.high = None if rec.high is None else rec.high * f
        rec.unit = "hours"
    return rec


def source_links(db, sids: list[str]) -> list[str]:
    out = []
    for sid in sids:
        if sid not in db.sources.index:
            continue
        s = db.sources.loc[sid]
        if _get(s, "doi"):
            out.append(f"https://doi.org/{s['doi']}")
        elif _get(s, "pmid"):
            out.append(f"https://pubmed.ncbi.nlm.nih.gov/{s['pmid']}/")
        elif _get(s, "url"):
            out.append(str(s["url"]))
    return out


def correction_for(row: Mapping, verdict: str, rec: Recomputed | None, db, lead: str = "") -> str:
    """A wording an editor could paste: what the evidence supports, as a sentence with its source.

    Accurate claims need none; claims with no evidence are to be removed or sourced; claims that hold
    with missing context keep their figure and add the context; the rest say what the evidence gives."""
    if verdict == "accurate":
        return ""
    if lead:                 # a hand-set verdict: its plain lead says what the evidence supports
        return W.sentence(lead)
    if verdict == "unverifiable" or (rec is None and _get(row, "evidence_status") == "unidentifiable"):
        return "Cite the source in full (authors, year, title and journal) so that readers can find it, or remove the claim."
    if rec is None or verdict == "unsupported":
        if _get(row, "claimed_value") is None and _get(row, "claimed_low") is None:
            return "Remove the claim, or cite a source that supports it."
        return "Remove the figure, or cite a source that reports it."
    if rec.citation_problem and rec.sources and rec.sources[0] in db.sources.index:
        src = db.sources.loc[_get(row, "described_source") or rec.sources[0]]
        return f"Cite the study as {study_name(src)}."
    said = rec.statement or W.sentence(rec.words)
    if verdict == "accurate_missing_context":
        extra = [W.sentence(c) for c in rec.caveats] or \
            [W.sentence(("Note that " if i == 0 else "") + f) for i, f in enumerate(rec.flags)]
        if rec.method == "weigh":
            return said
        return " ".join([said] + extra)
    return said


def evaluate_claim(row: Mapping, db, params: Mapping | None = None, raw: Mapping | None = None) -> dict:
    """Recompute one claims.csv row and decide its verdict (see :func:`evaluate`)."""
    fields = {k: v for k, v in dict(row).items() if k not in ("recompute", "source_ids")}
    return evaluate(claimed_from_row(row, raw), _get(row, "recompute"), _ids(_get(row, "source_ids")), db, params,
                    **fields)


def evaluate(claimed: Claimed, spec: str | None, sources: list[str], db, params: Mapping | None = None,
             **fields) -> dict:
    """The one entry point of the verdict engine, for ``evidence claims`` and ``evidence check`` alike.

    ``claimed`` is what the text claims, ``spec`` the ``recompute`` spec, ``sources`` the source ids; ``fields``
    are the claim's other claims.csv columns (claim_type, qualifier, evidence_status, verdict_override, …).
    Returns a dict with verdict, holds, rating, recomputed, recomputed_low, recomputed_high, recomputed_text,
    certainty, explanation, correction, sources, rule and claimed. The recomputation is memoized per database
    (spec, sources, claim type and parameters), so checking a corpus recomputes each figure once.
    """
    p = dict(DEFAULT_PARAMS)
    p.update(params or {})
    row = {**fields, "recompute": spec, "source_ids": ";".join(sources or [])}
    try:
        rec = _recompute_memo(row, db, p)
    except KeyError as exc:
        raise ValueError(f"claim {_get(row, 'claim_id')}: recompute names a missing row {exc}") from None
    if rec is not None:
        rec = _to_hours(rec)
    claimed = _claimed_in_words(claimed, rec)
    decision = decide(dict(row), claimed, rec, p)
    hand_set = decision.rule == "override"
    if hand_set:            # the written justification: a plain lead, then the statistics behind it
        reason, detail = W.lead_and_detail(_get(row, "override_justification"))
    elif decision.verdict in ("unsupported", "unverifiable"):   # what was found, then what was searched
        reason, detail = W.lead_and_detail(decision.reason)
    else:
        reason, detail = W.sentence(decision.reason), ""
    checked = _checked(rec, row, db)
    studies = list(rec.context) if rec else []
    parts = [f"Verdict set by hand: {reason}" if hand_set else reason, detail] + [
        f"How it was checked: {checked}" if checked else "",
        ("Evidence: " + "; ".join(studies) + ".") if studies else ""]
    sources = list(rec.sources) if rec else _ids(_get(row, "source_ids"))
    return {
        "claimed": claimed.display(),
        "verdict": decision.verdict,
        "verdict_label": decision.label,
        "holds": decision.holds,
        "rating": decision.rating,
        "rule": decision.rule,
        "recomputed": rec.display() if rec else "",
        "recomputed_value": rec.value if rec else None,
        "recomputed_low": rec.low if rec else None,
        "recomputed_high": rec.high if rec else None,
        "recomputed_text": rec.text if rec else None,
        "certainty": rec.certainty if rec else "no evidence",
        "reason": reason,                 # the verdict in one sentence
        "reason_detail": detail,          # hand-set verdicts: the written justification behind the lead
        "hand_set": hand_set,
        "checked": checked,               # how it was checked, in words
        "statements": list(rec.statements) if rec else [],   # weighed claims: each statement and its side
        "studies": studies,               # the evidence, one study (or context) per line, in words
        "explanation": " ".join(x for x in parts if x),
        "correction": correction_for(row, decision.verdict, rec, db, lead=reason if hand_set else ""),
        "sources": source_links(db, sources) or sources,
        "source_ids": sources,
        "recipe": rec.detail if rec else "",   # the recomputation with its row ids (for researchers)
        "flags": (list(rec.flags) + list(rec.caveats)) if rec else [],   # what the wording leaves out
        "depth": depth(row, db),
        "review_note": _get(row, "review_note") or "",
    }


def _claimed_in_words(claimed: Claimed, rec: Recomputed | None) -> Claimed:
    """The claim displayed in words: a claimed design or population as the vocabulary says it."""
    import dataclasses

    kind = W.FIELD_KINDS.get(rec.source_field or "") if rec is not None and rec.method == "attribute" else None
    if kind and claimed.text and not claimed.label:
        return dataclasses.replace(claimed, label=vocab.word(kind, claimed.text))
    return claimed


#: how a check went, by method, in words (the lead of ``checked``)
_CHECKED = {"proportion": "Recomputed from the study's counts", "effect": "Recomputed from the trial's counts",
            "pooled": "Pooled from the trials' own counts", "nnt": "Recomputed",
            "estimate": "As the source prints it", "prevalence": "As the survey reports it",
            "fact": "As the source states it", "count": "As the source reports it",
            "attribute": "The source's own record", "weigh": "Weighed statement by statement"}


def _checked(rec: Recomputed | None, row: Mapping, db) -> str:
    if rec is None:
        return ""
    lead = _CHECKED.get(rec.method, "Recomputed")
    if depth(row, db) == "derived from printed figures" and rec.method != "weigh":
        lead = "Derived from the source's printed figures"
    if rec.method == "weigh":
        return f"{lead}: " + " ".join(W.sentence(x) for x in rec.statements)
    return W.sentence(f"{lead}: {rec.words}") if rec.words else ""


def _recompute_memo(row: Mapping, db, p: Mapping) -> Recomputed | None:
    """:func:`recompute`, once per (spec, sources, claim type, parameters) and database; a copy is returned."""
    import copy

    key = (str(_get(row, "recompute")), str(_get(row, "source_ids")), str(_get(row, "claim_type")),
           tuple(sorted((k, str(v)) for k, v in p.items())))
    memo = db.__dict__.setdefault("_recompute_memo", {})
    if key not in memo:
        if len(memo) > 10000:
            memo.clear()
        memo[key] = recompute(row, db, p)
    return copy.deepcopy(memo[key])


def evaluate_all(db, params: Mapping | None = None, article: str | None = None) -> pd.DataFrame:
    """Every curated claim with its verdict, in claims.csv order (EXPORT_COLUMNS first)."""
    table = db.table("claims")
    out = []
    for rec, raw in zip(table.records, table.raw):
        if article and rec["article_id"] != article:
            continue
        ev = evaluate_claim(rec, db, params, raw=raw)
        out.append({"article": rec["article_id"], "claim_id": rec["claim_id"], "claim_type": rec["claim_type"],
                    "quote": rec["quote"], **ev})
    cols = EXPORT_COLUMNS + [c for c in (out[0].keys() if out else []) if c not in EXPORT_COLUMNS]
    return pd.DataFrame(out, columns=cols)


def verdict_counts(df: pd.DataFrame) -> dict[str, int]:
    counts = df["verdict"].value_counts()
    return {v: int(counts.get(v, 0)) for v in SCALE}


def to_claimreview(df: pd.DataFrame, db, date_published: str, base_url: str = "") -> list[dict]:
    """One schema.org ClaimReview per claim (JSON-LD)."""
    out = []
    for _, r in df.iterrows():
        art = db.articles.loc[r["article"]]
        appearance = {"@type": "CreativeWork", "headline": art["title"], "name": art["title"]}
        if _get(art, "date"):
            appearance["datePublished"] = str(art["date"])
        author = {"@type": "Organization", "name": _get(art, "publisher") or "unnamed clinic"}
        out.append({
            "@context": "https://schema.org",
            "@type": "ClaimReview",
            "@id": f"{base_url}#claim-{r['claim_id']}",
            "claimReviewed": r["quote"],
            "datePublished": date_published,
            "author": {"@type": "Organization", "name": "evidence (ketamine-for-anxiety fact check)"},
            "itemReviewed": {"@type": "Claim", "author": author, "appearance": [appearance]},
            "reviewRating": {"@type": "Rating", "ratingValue": int(r["rating"]), "bestRating": 5, "worstRating": 1,
                             "alternateName": r["verdict_label"]},
            "reviewBody": r["explanation"] + (f" Suggested wording: {r['correction']}" if r["correction"] else ""),
            "citation": [{"@type": "CreativeWork", "url": u} for u in r["sources"] if str(u).startswith("http")],
        })
    return out

