"""evidence.analyses on a small synthetic evidence base (issue #6).

The synthetic base is a real ``data/`` directory (the project's
datapackage.json, tiny CSVs, one article text) built in a temporary folder, so
the functions are exercised through :func:`evidence.db.load_db` exactly as the
notebooks use them. Every expected number below is computed by hand in the
test (or follows from a formula quoted next to it), never read back from the
code under test.
"""
from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import pytest

from synthetic import ARTICLE_ID, CLAIMS, OUTCOMES, SAD, SOURCES, Z_975, dl_pool, log_or_var  # tests/synthetic.py

from evidence import analyses as A


@pytest.fixture(scope="module")
def db(synthetic_db):
    return synthetic_db  # tests/conftest.py: the synthetic base, loaded strictly (it must be valid)


# --------------------------------------------------------------------------- loading, parameters

def test_synthetic_base_is_valid(db):
    assert len(db.claims) == len(CLAIMS) and len(db.outcomes) == len(OUTCOMES)


def test_load_falls_back_and_keeps_issues(synthetic_data):
    d = synthetic_data
    (d / "facts.csv").write_text("fact_id,wrong\n", encoding="utf-8")
    db = A.load(d)
    assert db.load_issues and any("facts.csv" in str(i) for i in db.load_issues)


def test_merge_params():
    p = A.merge_params({"approx_rel_tol": 0.2}, pooled_method="REML", half_band=None)
    assert p["approx_rel_tol"] == 0.2 and p["pooled_method"] == "REML" and p["half_band"] == 2.5
    with pytest.raises(ValueError, match="unknown parameter"):
        A.merge_params(alpha=0.05)


def test_study_label_and_population_group(db):
    assert A.study_label(db, "trial_a") == "Alpha 2018"
    assert A.study_label(db, "survey_n") == "survey_n"
    assert A.population_group("SAD;GAD") == "anxiety disorder"
    assert A.population_group("TRD") == "depression"
    assert A.population_group("TRD;GAD") == "mixed / other"
    assert A.population_group("general_population") == "general population"
    assert A.population_group(None) == "not stated"


# --------------------------------------------------------------------------- article

def test_article_evaluation_and_scorecard(db):
    meta = A.article_meta(db, ARTICLE_ID)
    assert meta["title"].startswith("Synthetic <b>")
    df = A.evaluate_article(db, ARTICLE_ID, {})
    assert list(df["claim_id"]) == [c[0] for c in CLAIMS]
    sc = A.scorecard(df)
    assert list(sc["verdict"]) == list(__import__("evidence.verdicts", fromlist=["SCALE"]).SCALE)
    assert sc["count"].sum() == len(CLAIMS)
    res = A.article_results(meta, df, A.merge_params())
    assert res["n_claims"] == len(CLAIMS) and sum(res["verdict_counts"].values()) == len(CLAIMS)
    assert res["holds"] == int(df["holds"].sum())
    # 900-07 has no evidence: unsupported
    assert df.set_index("claim_id").loc["900-07", "verdict"] == "unsupported"
    with pytest.raises(KeyError, match="unknown article_id"):
        A.article_meta(db, "nope")


def test_tolerance_parameter_changes_a_verdict(db):
    # the synthetic pooled SAD OR (DL) is 27.47: within 10% of "~28.9", not within 1%
    sad = dl_pool(SAD)[0]
    assert 0.01 < abs(sad - 28.9) / 28.9 < 0.10
    default = A.evaluate_article(db, ARTICLE_ID, {}).set_index("claim_id")
    tight = A.evaluate_article(db, ARTICLE_ID, {"approx_rel_tol": 0.01}).set_index("claim_id")
    assert default.loc["900-02", "holds"]
    assert tight.loc["900-02", "verdict"] == "overstated"


def test_claim_points(db):
    df = A.evaluate_article(db, ARTICLE_ID, {})
    pts, skipped = A.claim_points(db, df, {})
    by = pts.set_index("claim_id")
    # 19.1 "about": [19.05 - 1.91, 19.15 + 1.91]
    assert by.loc["900-01", "claimed_low"] == pytest.approx(19.05 - 1.91)
    assert by.loc["900-01", "claimed_high"] == pytest.approx(19.15 + 1.91)
    assert by.loc["900-01", "value"] == pytest.approx(19.1)
    assert by.loc["900-02", "log"] and by.loc["900-02", "value"] == pytest.approx(dl_pool(SAD)[0])
    assert by.loc["900-03", "value"] == 18
    # "the majority": (50, inf) -> no upper end; evidence 10/12
    assert by.loc["900-04", "claimed_high"] is None or pd.isna(by.loc["900-04", "claimed_high"])
    assert by.loc["900-04", "value"] == pytest.approx(100 * 10 / 12)
    assert "900-06" not in by.index  # a word claim is not a point
    assert set(pts["panel"]) >= {"percent (%)", "odds ratio (OR, log scale)"}


def test_claim_outcomes_and_arm_rates(db):
    df = A.evaluate_article(db, ARTICLE_ID, {})
    outs = A.claim_outcomes(db, df)
    assert {"trial_a_resp", "trial_b_resp", "dose_s_resp"} <= set(outs.index)
    assert "trial_a_lsas_base" not in outs.index  # continuous rows are not response rates
    rates = A.arm_rates(db, outs)
    r = rates[(rates["outcome_id"] == "trial_b_resp") & (rates["arm"] == "treat")].iloc[0]
    assert r["pct"] == pytest.approx(80.0)
    # Wilson 95% CI of 8/10 (z = 1.95996): 0.4902 to 0.9433
    assert r["low"] == pytest.approx(49.02, abs=0.01) and r["high"] == pytest.approx(94.33, abs=0.01)
    single = rates[rates["outcome_id"] == "dose_s_resp"]
    assert list(single["arm"]) == ["treat"]


def test_nnt_points(db):
    df = A.evaluate_article(db, ARTICLE_ID, {})
    pts = A.nnt_points(db, df)
    assert list(pts["role"]) == ["claimed", "evidence"]
    assert pts.iloc[0]["value"] == 5
    # RD = 8/10 - 1/10 = 0.7 -> NNT 1/0.7
    assert pts.iloc[1]["value"] == pytest.approx(1 / 0.7)


def test_prevalence_points_pair_periods(db):
    pts = A.prevalence_points(db, article_id=ARTICLE_ID)
    assert set(pts["kind"]) == {"claim", "survey"}
    groups = list(dict.fromkeys(pts["group"]))
    assert groups == ["any anxiety disorder · past year", "any anxiety disorder · lifetime"]
    survey = pts[pts["kind"] == "survey"]
    assert sorted(survey["value"]) == [19.1, 31.1]
    assert survey["who"].iloc[0] == "NIMH (NCS-R, data 2001-2003)"


# --------------------------------------------------------------------------- meta-analysis

def test_arm_frame_and_published(db):
    data = A.arm_frame(db, "meta_x_sad")
    assert list(data["study"]) == ["Alpha 2018", "Gamma 2020"]
    assert list(data["paired"]) == [True, False]
    pub = A.published_estimate(db, "meta_x_sad")
    assert pub["estimate_decimals"] == 2 and pub["ci_high_decimals"] == 2
    assert A.published_estimate(db, "nope") is None


def test_pool_reproduces_hand_dl(db):
    res = A.pool(db, "meta_x_sad", method="DL")
    est, lo, hi = dl_pool(SAD)
    assert (res.estimate, res.ci_low, res.ci_high) == pytest.approx((est, lo, hi), rel=1e-9)
    s = A.summary(res, A.published_estimate(db, "meta_x_sad"))
    assert s["reproduces"] is True
    s_fe = A.summary(A.pool(db, "meta_x_sad", method="FE"), A.published_estimate(db, "meta_x_sad"))
    assert s_fe["k"] == 2


def test_matches_printed():
    assert A.matches_printed(28.944, 28.94, 2)
    assert not A.matches_printed(28.96, 28.94, 2)
    assert A.matches_printed(3.449, 3.45, 2)


def test_paired_log_or_formula():
    # 6/18 vs 3/18: V1 = 1/6 + 1/12, V2 = 1/3 + 1/15; Var = V1 + V2 - 2ρ√(V1 V2)
    y, v, r = A.paired_log_or(6, 3, 18, 0.3)
    v1, v2 = 1 / 6 + 1 / 12, 1 / 3 + 1 / 15
    assert y == pytest.approx(math.log(6 * 15 / (12 * 3)))
    assert v == pytest.approx(v1 + v2 - 2 * 0.3 * math.sqrt(v1 * v2))
    assert r == 0.3
    # rho = 0 is the parallel analysis
    assert A.paired_log_or(6, 3, 18, 0.0)[1] == pytest.approx(v1 + v2)
    # the correlation is capped at the Fréchet bound of the marginals
    p1, p2 = 6 / 18, 3 / 18
    bound = (min(p1, p2) - p1 * p2) / math.sqrt(p1 * (1 - p1) * p2 * (1 - p2))
    assert A.paired_log_or(6, 3, 18, 0.99)[2] == pytest.approx(bound)


def test_sensitivity_groups_and_values(db):
    sens = A.sensitivity(db, "meta_x_sad", method="DL")
    groups = list(dict.fromkeys(sens["group"]))
    assert groups == ["primary", "fixed vs random", "MH vs IV vs Peto", "zero-cell correction", "leave one out",
                      "crossover analysed as paired"]
    base = sens[sens["base"]]
    assert len(base) == 1 and base.iloc[0]["estimate"] == pytest.approx(dl_pool(SAD)[0])
    loo = sens[sens["group"] == "leave one out"].set_index("label")
    # leaving out trial_a leaves trial_b alone: OR = (8*9)/(2*1) = 36
    assert loo.loc["without Alpha 2018", "estimate"] == pytest.approx(36.0)
    # no correction: the zero-cell trial is not estimable by IV, trial_b alone remains
    none = sens[(sens["group"] == "zero-cell correction") & (sens["correction"] == "none")].iloc[0]
    assert none["estimate"] == pytest.approx(36.0) and none["k"] == 1
    # paired: same trial OR, smaller variance -> more weight to trial_a
    paired = sens[sens["group"] == "crossover analysed as paired"]
    assert len(paired) == 3 and paired["estimate"].notna().all()
    rng = A.sensitivity_range(sens)
    assert rng["min"] <= base.iloc[0]["estimate"] <= rng["max"]
    assert rng["n_specs"] == sens["estimate"].notna().sum()


def test_fragility_table(db):
    fr = A.fragility_table(A.arm_frame(db, "meta_x_sad"))
    assert list(fr["kind"]) == ["fragility", "fragility"]  # 6/18 vs 0/18 (p=0.019) and 8/10 vs 1/10 are significant
    assert (fr["index"] >= 1).all()


def test_heterogeneity_and_overall_text(db):
    res = A.pool(db, "meta_x_sad", method="DL")
    h = A.heterogeneity_text(res)
    assert h.startswith("Heterogeneity: Tau² = ") and "df = 1" in h and "I² = " in h
    assert A.overall_text(res).startswith("Test for overall effect: Z = ")


def test_analysis_ids(db):
    assert A.analysis_ids(db) == ["meta_x_sad", "meta_x_ptsd"]
    assert A.short_key("whittaker2021_sad") == "sad"


# --------------------------------------------------------------------------- dose, onset, real world

def test_dose_route_rows(db):
    rows = A.dose_route_rows(db)
    ds = rows[rows["source_id"] == "dose_s"]
    assert sorted(ds["dose"]) == [0.25, 0.5, 1.0] and set(ds["route"]) == {"SC"}
    ta = rows[rows["source_id"] == "trial_a"].iloc[0]
    assert ta["note"] == "over 40 min" and ta["route"] == "IV"
    assert "meta_x" not in set(rows["source_id"])  # no dose


def test_onset_durability_hours(db):
    ev = A.onset_durability(db)
    by = ev.set_index("fact_id")
    assert by.loc["dose_s_onset", "hours"] == 1
    assert by.loc["dose_s_durability", "hours"] == 7 * 24
    assert by.loc["900-07", "attribute"] == "claim" and by.loc["900-07", "hours"] == 2
    assert A.to_hours(2, "weeks") == 336 and A.to_hours(1, "mg/kg") is None


def test_pct_changes_groups(db):
    ch = A.pct_changes(db).set_index("id")
    assert ch.loc["cohort_r_gad7", "group"] == "uncontrolled cohort" and ch.loc["cohort_r_gad7", "value"] == 30
    assert ch.loc["trial_a_placebo_pct", "group"] == "control arm (RCT)"
    derived = ch[ch["how"] == "from means"]
    # (80 - 60)/80 = 25% ketamine; (80 - 72)/80 = 10% saline
    assert sorted(derived["value"]) == pytest.approx([10.0, 25.0])
    assert set(derived["group"]) == {"ketamine arm (RCT)", "control arm (RCT)"}


def test_control_arm_rates(db):
    r = A.control_arm_rates(db)
    assert set(r["outcome_id"]) == {"trial_a_resp", "trial_b_resp", "trial_c_resp", "trial_d_resp"}
    assert r[(r["outcome_id"] == "trial_a_resp") & (r["arm"] == "ctrl")]["pct"].iloc[0] == 0


# --------------------------------------------------------------------------- prevalence, map, methods

def test_prevalence_tables(db):
    pairs = A.period_pairs(db)
    assert len(pairs) == 1 and pairs.iloc[0]["ratio"] == pytest.approx(31.1 / 19.1)
    pc = A.prevalence_claims(db).set_index("claim_id")
    assert pc.loc["900-01", "data_age_years"] == 2025 - 2003
    assert pc.loc["900-01", "verdict"] == "accurate"
    t = A.prevalence_table(db)
    assert set(t["data_end_year"]) == {2003}


def test_evidence_map_and_thinness(db):
    m = A.evidence_map_frame(db)
    assert len(m) == len(SOURCES)
    assert m.set_index("source_id").loc["cohort_r", "population_group"] == "depression"
    th = A.thinness(db).set_index("diagnosis")
    assert th.loc["SAD", "rcts"] == 2 and th.loc["SAD", "rct_participants"] == 38
    assert th.loc["SAD", "largest_rct_n"] == 20 and th.loc["SAD", "small_rcts"] == 2
    assert th.loc["PTSD", "crossover_rcts"] == 1
    assert th.loc["GAD", "rcts"] == 0 and th.loc["GAD", "uncontrolled_studies"] == 1


def test_methods_tables():
    p = A.merge_params(pooled_method="REML")
    t = A.params_table(p).set_index("parameter")
    assert t.loc["pooled_method", "used"] == "REML" and t.loc["pooled_method", "changed"]
    assert not t.loc["approx_rel_tol", "changed"]
    assert "pooled" in set(A.recompute_methods()["method"])
    assert len(A.methods_frame()) >= 8


def test_write_results_is_strict_json(tmp_path):
    out = A.write_results(tmp_path / "r" / "results.json",
                          {"a": np.float64(1.5), "b": math.nan, "c": [np.int64(2), math.inf],
                           "d": pd.DataFrame({"x": [1.0, np.nan]})})
    assert out == {"a": 1.5, "b": None, "c": [2, None], "d": [{"x": 1.0}, {"x": None}]}
    assert json.loads((tmp_path / "r" / "results.json").read_text()) == out
    assert A.write_results(None, {"a": 1}) == {"a": 1}


# --------------------------------------------------------------------------- helpers added for the notebooks

def test_implied_remainder_recovers_the_missing_trial(db):
    # pool both synthetic SAD trials by IV fixed effect and "print" the result; from trial_a alone the
    # back-calculation must give trial_b back: OR (8*9)/(2*1) = 36, Woolf CI exp(ln 36 ± 1.96·√(1/8+1/2+1/1+1/9))
    data = A.arm_frame(db, "meta_x_sad")
    both = A.pool(db, "meta_x_sad", method="FE", data=data)
    printed = {"estimate": both.estimate, "ci_low": both.ci_low, "ci_high": both.ci_high}
    one = A.pool(db, "meta_x_sad", method="FE", data=data.iloc[:1])
    imp = A.implied_remainder(printed, one)
    se_b = math.sqrt(1 / 8 + 1 / 2 + 1 / 1 + 1 / 9)
    assert imp["consistent"]
    assert imp["remainder_or"] == pytest.approx(36.0, rel=1e-9)
    assert imp["remainder_se"] == pytest.approx(se_b, rel=1e-9)
    assert imp["remainder_ci_low"] == pytest.approx(36 * math.exp(-Z_975 * se_b), rel=1e-9)
    # the available trial's share of the total weight: w_a / (w_a + w_b)
    w_a = 1 / log_or_var(*SAD[0])[1]
    assert imp["available_share_pct"] == pytest.approx(100 * w_a / (w_a + 1 / se_b ** 2), rel=1e-9)
    # a printed CI narrower than what one trial alone gives cannot be completed by adding trials
    wide = A.implied_remainder({"estimate": 20.0, "ci_low": 0.1, "ci_high": 4000.0}, one)
    assert wide["consistent"] is False and "remainder_or" not in wide
    assert A.implied_remainder({"estimate": 2.0, "ci_low": None, "ci_high": None}, one) is None


def test_published_k_from_estimate_or_fact(db):
    pub = A.published_estimate(db, "meta_x_sad")
    assert A.published_k(db, "meta_x_sad", pub) == 2
    assert A.published_k(db, "meta_x_sad", {**pub, "k": None}) is None  # no k_rcts_sad fact in the synthetic base


def test_cite_names_sources_with_identifiers(db):
    c = A.cite(db, ["trial_a", "trial_a", "survey_n", "nope"])
    assert c == ("Source: Alpha 2018 (https://example.org/trial_a); National Institute of Mental Health "
                 "(survey_n) (https://example.org/survey_n); nope")
    many = A.cite(db, [s[0] for s in SOURCES], max_items=3)
    assert many.endswith(f"and {len(SOURCES) - 3} more (see the tables)")


def test_is_registry():
    assert A.is_registry({"source_id": "nct02083926"})
    assert A.is_registry({"source_id": "x", "url": "https://clinicaltrials.gov/study/NCT1"})
    assert not A.is_registry({"source_id": "taylor2018", "url": "https://www.nature.com/articles/npp2017194"})


def test_prevalence_points_all_figures(db):
    pts = A.prevalence_points(db, all_figures=True)
    assert set(pts["prevalence_id"].dropna()) >= {"survey_n_any_py", "survey_n_any_lt"}


def test_claim_points_range_claim_has_no_diamond(db):
    df = A.evaluate_article(db, ARTICLE_ID, {})
    pts, _ = A.claim_points(db, df, {})
    maj = pts.set_index("claim_id").loc["900-04"]
    assert maj["claimed_value"] is None or pd.isna(maj["claimed_value"])  # "the majority": a range, not a point
    assert maj["claimed_low"] == pytest.approx(50.0)
