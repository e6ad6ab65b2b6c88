"""The 2021 meta-analysis, checked (notebooks/meta_analysis.ipynb)."""
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
