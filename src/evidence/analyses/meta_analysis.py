"""The 2021 meta-analysis, checked (notebooks/meta_analysis.ipynb).

The page recomputes each pooled odds ratio of the 2021 meta-analysis of ketamine
in anxiety from the per-arm counts that could be read, says whether that
reproduces the printed figure, and when it does not, what the printed figure
implies (:func:`implied_tables`: the 2×2 tables consistent with it under the
method that reproduces the printed precision; implied, not data).
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, ClassVar, Mapping, Sequence

import numpy as np
import pandas as pd

from evidence.analyses.common import (  # noqa: F401
    bracketed,
    CONTROL_WORDS, CONTROLLED_DESIGNS, DEFAULT_PARAMS, HOLDS, SCALE, STUDY_DESIGNS, SYNTHESIS_DESIGNS,
    UNCONTROLLED_DESIGNS, ANXIETY_CODES, DEPRESSION_CODES, TIME_TO_HOURS, decimals_of,
    Page, _claims_table, _frame, display_frame, fmt, jsonable, vocab, _get, _ids, _num, arm_rates, cite, is_registry, merge_params, population_group, sample_size, study_label,
    to_hours, wilson,
)

from evidence.analyses.meta_implied import (  # noqa: F401 - part of this page's API
    _iv_log_or, _known_variants, implied_remainder, implied_tables, matches_printed, published_se,
)

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
    except (AttributeError, KeyError):  # a frame-only db (tests) has no typed tables
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


def sensitivity_range(sens: pd.DataFrame, measure: str = "OR") -> dict[str, Any]:
    """Smallest and largest pooled estimate (and lower CI limit) across specifications.

    ``n_excluding_null`` counts the specifications whose CI excludes the measure's value of no
    difference (``vocab.MEASURES[measure].null``: 1 for a ratio, 0 for a difference)."""
    ok = sens[np.isfinite(sens["estimate"].astype(float))]
    if ok.empty:
        return {"min": None, "max": None, "n_specs": 0}
    null = vocab.MEASURES[measure.upper()].null if measure.upper() in vocab.MEASURES else None
    null = 1.0 if null is None else float(null)
    lo_row = ok.loc[ok["estimate"].idxmin()]
    hi_row = ok.loc[ok["estimate"].idxmax()]
    return {"min": float(lo_row["estimate"]), "min_label": f"{lo_row['group']}: {lo_row['label']}",
            "max": float(hi_row["estimate"]), "max_label": f"{hi_row['group']}: {hi_row['label']}",
            "min_ci_low": float(ok["ci_low"].min()), "max_ci_high": float(ok["ci_high"].max()),
            "n_specs": int(len(ok)), "null": null,
            "n_excluding_null": int(((ok["ci_low"] > null) | (ok["ci_high"] < null)).sum())}


def short_key(analysis_id: str) -> str:
    """'whittaker2021_sad' -> 'sad'."""
    return analysis_id.split("_", 1)[1] if "_" in analysis_id else analysis_id


# =========================================================================== #
# What a printed pooled result implies about counts that could not be read
# =========================================================================== #
# =========================================================================== #
# The page
# =========================================================================== #
def _trial_words(db, row) -> str:
    """'Taylor 2018 (randomized crossover trial, n = 18, against saline placebo)'."""
    src = _frame(db, "sources")
    s = src.loc[row["source_id"]] if row["source_id"] in src.index else {}
    n = sample_size(s) if len(s) else None
    bits = [vocab.word("design", _get(s, "design")) or "trial", fmt.n(n) if n else "size not reported"]
    ctrl = _get(s, "control")
    if ctrl:
        bits.append(f"against {bracketed(ctrl)}")
    return f"{row['study']} ({', '.join(bits)})"


def _counts_words(row) -> str:
    ctrl = str(row.get("arm_ctrl") or "the control") if isinstance(row.get("arm_ctrl"), str) else "the control"
    return (f"{fmt.ratio_of(row['events_treat'], row['n_treat'])} responded on ketamine, "
            f"{fmt.ratio_of(row['events_ctrl'], row['n_ctrl'])} on {ctrl}")


def _published_words(pub: Mapping, measure: str) -> str:
    d = int(pub.get("estimate_decimals", 2))
    txt = (f"{measure} {fmt.num(pub['estimate'], decimals=d)} (95% CI {fmt.num(pub['ci_low'], decimals=d)} to "
           f"{fmt.num(pub['ci_high'], decimals=d)}")
    return txt + (f"; {fmt.p(pub['p_value'])})" if pub.get("p_value") is not None else ")")


def _p_sentence(res, frag: pd.DataFrame) -> str:
    """Reconcile Fisher's exact p of a single trial with the Wald p of its (pooled) log OR."""
    if res.k != 1 or frag.empty:
        return ""
    r = frag.iloc[0]
    exact, wald = float(r["p_fisher"]), float(res.p)
    same = (exact < 0.05) == (wald < 0.05)
    s = (f"Fisher's exact test on these counts gives {fmt.p(exact)}; the Wald test of the log odds ratio, which "
         f"the pooled analysis uses, gives {fmt.p(wald)}.")
    if not same:
        s += (" They disagree because the Wald test rests on a normal approximation that is poor with a zero cell: "
              "the 0.5 added to every cell to make the odds ratio finite also widens its standard error, so the "
              "Wald interval just includes 1 while the exact test, which needs no correction, finds the difference "
              "significant.")
    if bool(r["paired"]):
        s += (" Both treat the crossover trial's two conditions as independent groups, although the same "
              "patients were in both.")
    return s


def _unread_trials(db, analysis_id: str, known: pd.DataFrame) -> list[dict[str, Any]]:
    """Randomized ketamine trials on record in the analysis's diagnosis that have no counts in it."""
    from evidence.analyses.evidence_map import anxiety_trials

    dx = short_key(analysis_id).upper()
    trials = anxiety_trials(db, "ketamine")
    rows = trials[trials["diagnosis"].apply(lambda s: dx in {x.upper() for x in _ids(s)})
                  & ~trials["source_id"].isin(set(known["source_id"]))]
    return [{"source_id": r.source_id, "label": r.label, "design": r.design, "n": int(r.n)}
            for r in rows.itertuples() if _num(r.n)]


def _denominator_notes(db, tables: pd.DataFrame, known: pd.DataFrame) -> list[str]:
    """Where the implied known table differs from the curated one, another outcome of the trial with that n."""
    out_rows = _frame(db, "outcomes")
    notes = []
    for variant in sorted(set(tables["known"])):
        for (_, r), part in zip(known.iterrows(), variant.split("; ")):
            a, rest = part.split(" vs ")
            n_t, n_c = int(a.split("/")[1]), int(rest.split("/")[1])
            if (n_t, n_c) == (int(r["n_treat"]), int(r["n_ctrl"])):
                continue
            arm, n_imp = ("ctrl", n_c) if n_c != int(r["n_ctrl"]) else ("treat", n_t)
            same = out_rows[(out_rows["source_id"] == r["source_id"]) & (out_rows[f"n_{arm}"] == n_imp)]
            if len(same):
                o = same.iloc[0]
                notes.append(f"{r['study']}'s other outcome on record, {o['outcome']}, has {n_imp} patients in the "
                             f"{'placebo' if arm == 'ctrl' else 'ketamine'} condition, so one patient fewer there "
                             "is plausible.")
    return notes


def _implied_sentence(tables: pd.DataFrame, pub: Mapping, known: pd.DataFrame, max_n: int, measure: str,
                      candidates: Sequence[Mapping] = (), dropped: Sequence[str] = ()) -> str:
    if tables.empty:
        return (f"No 2×2 table of up to {max_n} patients per arm, pooled with the counts on record by inverse-variance "
                f"fixed effect with 0.5 added to zero cells, gives the printed {_published_words(pub, measure)}: the "
                "paper's counts or its method differ.")
    curated = "; ".join(f"{int(r.events_treat)}/{int(r.n_treat)} vs {int(r.events_ctrl)}/{int(r.n_ctrl)}"
                        for r in known.itertuples())
    def words(t: str) -> str:
        return t.replace("/", " of ").replace(" vs ", " against ")

    used = [words(t) for t in sorted(set(tables["known"]))]
    curated = words(curated)
    opts = vocab.join_words([f"{r.events_treat} of {r.n_treat} against {r.events_ctrl} of {r.n_ctrl}"
                             for r in tables.itertuples()])
    s = (f"Pooled by inverse-variance fixed effect with 0.5 added to every cell of a table with a zero cell (the "
         f"method that gives the printed precision), the printed {_published_words(pub, measure)} is reproduced to "
         f"every printed digit only if the trial with counts entered as {vocab.join_words(used)}"
         + (f" (the data record {curated})" if curated not in used else "")
         + f", and the other trial as one of these tables: {opts} (every table of up to {max_n} patients per arm "
         "was tried). These tables are implied by the published result; they are not data, and no verdict uses them.")
    for cand in candidates:
        fits = tables[(tables["n_treat"] == cand["n"]) & (tables["n_ctrl"] == cand["n"])]
        if len(fits):
            s += (f" {cand['label']}, the only other randomized trial of ketamine in this diagnosis on record, is a "
                  f"{vocab.word('design', cand['design'])} of {fmt.count(cand['n'], 'patient')}: "
                  f"{vocab.join_words([f'{r.events_treat} of {r.n_treat} against {r.events_ctrl} of {r.n_ctrl}' for r in fits.itertuples()])} "
                  f"{'has' if len(fits) == 1 else 'have'} {cand['n']} in each arm, which is what that crossover looks "
                  "like when its two periods are entered as if they were separate groups of patients.")
    for note in dropped:
        s += " " + note
    if candidates or dropped:
        s += (" So the printed result implies that the crossover trials were analysed as parallel-group trials, "
              "each patient counted in both arms and the pairing ignored.")
    return s


def _to_printed(x: float, decimals: int) -> str:
    """A recomputed figure to the digits the paper prints ("19.24"), a whole number without them ("8")."""
    s = fmt.num(x, decimals=decimals)
    return fmt.num(round(x)) if float(s.replace(",", "")) == round(x) else s


def _finding(db, res, data: pd.DataFrame, pub: Mapping | None, k_pub: int | None, summ: Mapping,
             measure: str) -> str:
    """What the analysis prints, what the trials with counts give, and whether that reproduces it."""
    trials = "; ".join(f"{_trial_words(db, r)}: {_counts_words(r)}" for _, r in data.iterrows())
    d = int(pub.get("estimate_decimals", 2)) if pub else 2
    recomputed = (f"{measure} {_to_printed(res.estimate, d)} (95% CI {_to_printed(res.ci_low, d)} to "
                  f"{_to_printed(res.ci_high, d)})")
    s = ""
    if pub:
        s += f"The meta-analysis prints {_published_words(pub, measure)}" + (
            f" from {fmt.count(k_pub, 'trial')}. " if k_pub else ". ")
    s += (f"{'Only one trial' if pub and k_pub and len(data) == 1 < k_pub else fmt.count(len(data), 'trial')} "
          f"{'prints' if len(data) == 1 else 'print'} responder counts that could be read: {trials}. "
          f"{'That trial alone gives' if len(data) == 1 else 'Pooled, they give'} {recomputed}.")
    if pub and summ.get("reproduces"):
        return s + " That reproduces the printed figure to its printed precision."
    if pub and k_pub and len(data) < k_pub:
        miss = k_pub - len(data)
        return s + (f" The printed figure cannot be reproduced: "
                    f"{'the other trial' if miss == 1 else fmt.count(miss, 'other trial')} of the {k_pub} pooled "
                    f"print{'s' if miss == 1 else ''} no responder counts in any source that could be read."
                    + (" Below: which counts the printed figure implies." if miss == 1 and measure.upper() == "OR"
                       else ""))
    if pub:
        return s + (" With the same trials, that does not reproduce the printed figure: the paper's counts, model or "
                    "correction differ.")
    return s + " The paper prints no pooled figure for this analysis."


def _sensitivity_part(db, analysis_id: str, data: pd.DataFrame, measure: str, method: str, correction: str,
                      rhos: Sequence[float]) -> dict[str, Any]:
    """Sensitivity analyses where there are at least two trials; with one, a line that says why not."""
    if len(data) < 2:
        return {"sensitivity_line": (
            "No sensitivity analysis is shown: with one trial, fixed and random effects, the pooling methods and "
            "leaving a trial out all return that trial's own figure, so they cannot test robustness.")}
    sens = sensitivity(db, analysis_id, measure=measure, method=method, correction=correction, rhos=rhos, data=data)
    rng = sensitivity_range(sens, measure)
    out: dict[str, Any] = {"sensitivity": sens, "range": rng}
    if rng["n_specs"]:
        out["range_sentence"] = (
            f"Across {rng['n_specs']} specifications the pooled {measure} ranges from {fmt.num(rng['min'])} "
            f"({rng['min_label']}) to {fmt.num(rng['max'])} ({rng['max_label']}); "
            f"{rng['n_excluding_null']} of them exclude no difference ({measure} = {fmt.num(rng['null'])}).")
    return out


def _remainder_sentence(imp: Mapping[str, Any], miss: int, measure: str) -> str:
    if not imp["consistent"]:
        return (f"The trial with counts already carries more weight ({fmt.pct(imp['available_share_pct'], 0)}) than "
                "the printed CI allows for all the trials together: no inverse-variance pooling with further trials "
                "gives the printed figure, so the paper's model or counts differ.")
    return (f"Under inverse-variance fixed effect (0.5 added to zero cells), the printed figure implies that the "
            f"{fmt.count(miss, 'trial')} without readable counts together contribute {measure} "
            f"{fmt.num(imp['remainder_or'])} (95% CI {fmt.num(imp['remainder_ci_low'])} to "
            f"{fmt.num(imp['remainder_ci_high'])}), {fmt.pct(100 - imp['available_share_pct'], 0)} of the pooled "
            f"weight; with {miss} unknown tables the printed result cannot say how that splits between them, so no "
            "table is shown. This is implied by the published result; it is not data.")


def _implied_part(db, analysis_id: str, data: pd.DataFrame, pub: Mapping, k_pub: int | None, measure: str,
                  correction: str, max_n: int) -> dict[str, Any]:
    """What the printed figure implies about the trials whose counts could not be read."""
    fe = pool(db, analysis_id, measure=measure, method="FE", correction=correction, data=data)
    imp = implied_remainder(pub, fe)
    out: dict[str, Any] = {"implied_remainder": imp}
    miss = (k_pub or 0) - len(data)
    if imp is not None and miss >= 2:
        out["implied_sentence"] = _remainder_sentence(imp, miss, measure)
    if miss == 1 and measure.upper() == "OR":
        tables = implied_tables(pub, data, max_n=max_n)
        out["implied_tables"] = tables
        if len(tables):
            out["implied_display"] = implied_display(tables, measure)
        out["implied_sentence"] = _implied_sentence(tables, pub, data, max_n, measure,
                                                    _unread_trials(db, analysis_id, data),
                                                    _denominator_notes(db, tables, data))
    return out


def check_analysis(db, analysis_id: str, measure: str = "OR", method: str = "IV", correction: str = "all_if_zero",
                   rhos: Sequence[float] = (0.25, 0.5, 0.75), max_n: int = 30) -> dict[str, Any]:
    """One analysis of the meta-analysis recomputed and compared with what it prints."""
    pub = published_estimate(db, analysis_id, measure)
    k_pub = published_k(db, analysis_id, pub)
    data = arm_frame(db, analysis_id)
    key = short_key(analysis_id)
    name = vocab.word("diagnosis", key.upper() if key.upper() in vocab.DIAGNOSES else key)
    out: dict[str, Any] = {"analysis": analysis_id, "key": key, "name": name, "heading": name[:1].upper() + name[1:],
                           "published": pub, "k_published": k_pub, "k": int(len(data)), "data": data}
    if data.empty:
        out["finding"] = ("No trial of this analysis prints responder counts that could be read, so nothing can be "
                          "recomputed.")
        return out
    res = pool(db, analysis_id, measure=measure, method=method, correction=correction, data=data)
    summ = summary(res, pub)
    frag = fragility_table(data)
    out.update(result=res, summary=summ, reproduces=bool(summ.get("reproduces")), fragility=frag,
               p_sentence=_p_sentence(res, frag), finding=_finding(db, res, data, pub, k_pub, summ, measure))
    if pub and k_pub and len(data) < k_pub and not summ.get("reproduces"):
        out["missing"] = k_pub - len(data)
    out["forest"] = {"studies": res.studies.copy(), "published": pub, "heterogeneity": heterogeneity_text(res),
                     "overall": overall_text(res), "alt": out["finding"],
                     "pooled": {"label": f"Total ({method_words(method).split(',')[0]})", "estimate": res.estimate,
                                "ci_low": res.ci_low, "ci_high": res.ci_high, "pi_low": res.pi_low,
                                "pi_high": res.pi_high}}
    out.update(_sensitivity_part(db, analysis_id, data, measure, method, correction, rhos))
    if pub and not summ.get("reproduces") and pub.get("ci_low"):
        out.update(_implied_part(db, analysis_id, data, pub, k_pub, measure, correction, max_n))
    return out


def implied_display(tables: pd.DataFrame, measure: str = "OR") -> pd.DataFrame:
    """The implied tables for readers, every row labelled as implied (not data)."""
    rows = [{"Trial with counts, as it must have been entered": r.known.replace("/", " of ").replace(" vs ", " against "),
             "Other trial, ketamine": f"{r.events_treat} of {r.n_treat}",
             "Other trial, control": f"{r.events_ctrl} of {r.n_ctrl}",
             "Pooled (implied)": f"{measure} {fmt.num(r.estimate, decimals=2)} ({fmt.num(r.ci_low, decimals=2)} to "
                                 f"{fmt.num(r.ci_high, decimals=2)}), {fmt.p(r.p)}",
             "Status": "implied by the published result, not data"} for r in tables.itertuples()]
    return display_frame(rows, ["Trial with counts, as it must have been entered", "Other trial, ketamine",
                                "Other trial, control", "Pooled (implied)", "Status"])


def fragility_display(frag: pd.DataFrame) -> pd.DataFrame:
    rows = [{"Trial": r.study, "Ketamine": f"{r.events_treat} of {r.n_treat}", "Control": f"{r.events_ctrl} of {r.n_ctrl}",
             "Fisher's exact p": fmt.p(r.p_fisher).removeprefix("p = ").replace("p < ", "< "),
             "Fragility": (f"{fmt.count(r.index, 'patient')} changing outcome would make it "
                           f"{'not significant' if r.significant else 'significant'}") if _num(r.index) else "not computable",
             "Design note": "crossover: the test treats its two conditions as independent groups" if r.paired else ""}
            for r in frag.itertuples()]
    return display_frame(rows, ["Trial", "Ketamine", "Control", "Fisher's exact p", "Fragility", "Design note"])


def sensitivity_display(sens: pd.DataFrame) -> pd.DataFrame:
    rows = [{"Choice": r.group, "Specification": r.label, "Trials": fmt.num(r.k),
             "Pooled (95% CI)": fmt.ci(r.estimate, r.ci_low, r.ci_high) if np.isfinite(r.estimate) else "not estimable",
             "I²": fmt.pct(r.i2, 0) if _num(r.i2) is not None and np.isfinite(r.i2) else ""} for r in sens.itertuples()]
    return display_frame(rows, ["Choice", "Specification", "Trials", "Pooled (95% CI)", "I²"])


@dataclass
class MetaAnalysisPage(Page):
    """The meta-analysis page (see :func:`page`)."""

    summary: str
    lead: str
    measure: str
    method: str
    correction: str
    analyses: list[str]
    results: dict[str, dict[str, Any]]
    checks: list[dict[str, Any]] = field(repr=False, default_factory=list)
    display_only: ClassVar[tuple[str, ...]] = ("checks",)

    def to_json(self) -> dict[str, Any]:
        out = super().to_json()
        for key, r in self.results.items():  # the per-analysis results also at the top level, as before
            out[key] = jsonable(r)
        return out


def _result_json(chk: Mapping[str, Any]) -> dict[str, Any]:
    out = dict(chk.get("summary") or {})
    out.update({"k": chk["k"], "k_published": chk.get("k_published"), "studies": list(chk["data"]["study"]),
                "reproduces": chk.get("reproduces", False), "finding": chk["finding"]})
    for k in ("missing", "range", "implied_remainder", "p_sentence", "sensitivity_line", "implied_sentence"):
        if chk.get(k) is not None:
            out[k] = chk[k]
    if chk.get("implied_tables") is not None:
        out["implied_tables"] = chk["implied_tables"].to_dict(orient="records")
    if chk.get("fragility") is not None:
        out["fragility"] = chk["fragility"].to_dict(orient="records")
    return out


def page(db, measure: str = "OR", method: str = "IV", correction: str = "all_if_zero",
         analysis_prefix: str = "whittaker2021_", rhos: Sequence[float] = (0.25, 0.5, 0.75),
         max_n: int = 30, pooled_method: str | None = None,
         zero_cell_correction: str | None = None) -> MetaAnalysisPage:
    """The meta-analysis checked: the headline analysis first (the largest printed estimate).

    ``pooled_method`` and ``zero_cell_correction`` (the declared ``-p`` names) win over ``method``
    and ``correction`` (their deprecated names) when they are set."""
    method = pooled_method or method
    correction = zero_cell_correction or correction
    ids = analysis_ids(db, analysis_prefix)
    checks = [check_analysis(db, a, measure, method, correction, rhos, max_n) for a in ids]
    checks.sort(key=lambda c: (c["published"] is None, -((c["published"] or {}).get("estimate") or 0), c["analysis"]))
    lead = (f"{checks[0]['heading']}: {checks[0]['finding'][:1].lower()}{checks[0]['finding'][1:]}" if checks
            else "No analysis of the meta-analysis is on record.")
    for i, chk in enumerate(checks):
        chk["show_finding"] = i > 0  # the first analysis's finding is the page's lead
    parts = []
    for chk in checks:
        s = chk.get("summary")
        word = ("reproduced" if chk.get("reproduces") else "not reproduced" if chk["published"] else "no printed figure")
        parts.append(f"{chk['name']}: {fmt.ci(s['estimate'], s['ci_low'], s['ci_high'], measure=measure)} from "
                     f"{fmt.count(chk['k'], 'trial')} with counts ({word})" if s else f"{chk['name']}: no counts")
    return MetaAnalysisPage(summary="; ".join(parts), lead=lead, measure=measure, method=method, correction=correction,
                            analyses=[c["analysis"] for c in checks],
                            results={c["key"]: _result_json(c) for c in checks}, checks=checks)
