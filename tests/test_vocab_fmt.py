"""The vocabulary (evidence.vocab) and the number formatter (evidence.fmt).

The vocabulary must cover every code the data use: the enums declared in
data/datapackage.json, every diagnosis code and unit in the tables. The
formatter's expected strings are what a style guide would print (AP/AMA style:
thousands separators, no trailing ".0", "p < 0.001").
"""
from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from evidence import fmt, vocab

DATA = Path(__file__).resolve().parents[1] / "data"

#: datapackage field -> vocabulary kind
ENUM_KINDS = {("sources", "kind"): "source_kind", ("sources", "design"): "design",
              ("sources", "blinding"): "blinding", ("sources", "route"): "route",
              ("prevalence", "sex"): "sex", ("prevalence", "period"): "period",
              ("claims", "claim_type"): "claim_type", ("claims", "qualifier"): "qualifier",
              ("claims", "evidence_status"): "evidence_status", ("claims", "verdict_override"): "verdict",
              ("estimates", "measure"): "measure"}


def _rows(table: str) -> list[dict]:
    with open(DATA / f"{table}.csv", encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_every_enum_in_the_schema_has_words():
    pkg = json.loads((DATA / "datapackage.json").read_text(encoding="utf-8"))
    seen = 0
    for res in pkg["resources"]:
        for field in res["schema"]["fields"]:
            kind = ENUM_KINDS.get((res["name"], field["name"]))
            if kind is None:
                continue
            for code in field.get("constraints", {}).get("enum", []):
                assert code in vocab.KINDS[kind], f"{res['name']}.{field['name']}: no words for {code!r}"
                seen += 1
    assert seen >= 60   # the schema declares 11 enums with 70-odd codes in all


def test_every_diagnosis_code_in_sources_is_known():
    codes = {c for r in _rows("sources") for c in vocab.split_codes(r["diagnosis"])}
    assert codes, "sources.csv has no diagnosis codes"
    assert codes <= set(vocab.DIAGNOSES), codes - set(vocab.DIAGNOSES)


def test_every_unit_in_the_tables_has_a_kind():
    units = {r["claimed_unit"] for r in _rows("claims")} | {r["unit"] for r in _rows("facts")}
    unknown = {u for u in units if u and vocab.unit_kind(u) == "other"}
    assert not unknown


@pytest.mark.parametrize("kind,code,words", [
    ("design", "crossover_rct", "randomized crossover trial"),
    ("diagnosis", "TRD;GAD", "treatment-resistant depression and generalized anxiety disorder"),
    ("diagnosis", "general_population", "the general population"),
    ("verdict", "accurate_missing_context", "Accurate but missing context"),
    ("design", "label", "drug label"),
    ("period", "past_year", "in the past year"),
    ("diagnosis", "some_new_code", "some new code"),   # unknown codes never leak snake_case
])
def test_word(kind, code, words):
    assert vocab.word(kind, code) == words


def test_groups_and_units():
    assert vocab.DIAGNOSES["SAD"].group == "anxiety"
    assert vocab.DIAGNOSES["PTSD"].group == "trauma_ocd"
    assert vocab.DIAGNOSES["TRD"].group == "depression"
    assert vocab.diagnosis_groups("TRD;GAD") == {"depression", "anxiety"}
    assert vocab.design_group("crossover_rct") == "controlled"
    assert vocab.design_group("open_label") == "uncontrolled"
    assert vocab.design_group("meta_analysis") == "synthesis"
    assert vocab.MEASURES["OR"].null == 1.0 and vocab.MEASURES["RD"].null == 0.0
    # "year" in facts.csv is a calendar year; a duration in years is "years"
    assert vocab.unit_kind("year") == "calendar" and vocab.unit_kind("years") == "duration"
    assert vocab.unit_kind("patients") == "people" and vocab.unit_kind("%") == "percent"
    assert vocab.unit_kind("infusions") != vocab.unit_kind("sessions")
    assert vocab.to_hours(40, "minutes") == pytest.approx(2 / 3)
    assert vocab.to_hours(2, "weeks") == 336 and vocab.to_hours(1, "months") == 730.5
    assert vocab.to_hours(2016, "year") is None


def test_verdict_scale_order_and_holds():
    assert vocab.VERDICT_ORDER[0] == "contradicted"
    assert {c for c, v in vocab.VERDICTS.items() if v.holds} == {"accurate", "accurate_missing_context"}
    assert len({v.colour for v in vocab.VERDICTS.values()}) == len(vocab.VERDICTS)
    assert len({v.symbol for v in vocab.VERDICTS.values()}) == len(vocab.VERDICTS)


@pytest.mark.parametrize("x,kw,out", [
    (424.0, {}, "424"), (40000000, {}, "40 million"), (6800000, {}, "6.8 million"), (5233, {}, "5,233"),
    (0.3595, {}, "0.36"), (0.05832, {}, "0.0583"), (28.94, {}, "28.9"), (28.94, {"sig": 4}, "28.94"),
    (242.57, {}, "243"), (-7.684e-17, {}, "0"), (0.6667, {}, "0.667"), (float("nan"), {}, ""),
    (None, {}, ""), (float("inf"), {}, "∞"), (2.0, {"decimals": 2}, "2.00"), (-0.0001, {"decimals": 2}, "0"),
])
def test_num(x, kw, out):
    assert fmt.num(x, **kw) == out


def test_pct_count_n_ratio():
    assert fmt.pct(30.0) == "30%" and fmt.pct(33.333) == "33.3%" and fmt.pct(52.94) == "52.9%"
    assert fmt.pct(18.1, decimals=2) == "18.10%"
    assert fmt.count(1, "patient") == "1 patient" and fmt.count(18.0, "patients") == "18 patients"
    assert fmt.count(40000000, "adults") == "40 million adults" and fmt.count(2, "study") == "2 studies"
    assert fmt.n(424.0) == "n = 424"
    assert fmt.ratio_of(6, 18) == "6 of 18 (33%)"


def test_ci_range_duration_p():
    # Whittaker 2021 abstract: PTSD OR 2.03 (95% CI 0.67-6.15)
    assert fmt.ci(2.03, 0.67, 6.15, "OR") == "OR 2.03 (95% CI 0.67 to 6.15)"
    assert fmt.ci(0.3595, 0.05832, 0.5934, "RD") == "RD 0.36 (95% CI 0.0583 to 0.593)"
    assert fmt.ci(33.3, 15.2, 58.3, percent=True) == "33.3% (95% CI 15.2% to 58.3%)"
    assert fmt.ci(1.5, None, 2, "RR") == "RR 1.5"
    assert fmt.range(70, 80, "%") == "70–80%" and fmt.range(4, 6, "weeks") == "4 to 6 weeks"
    assert fmt.range(None, 40, "%") == "up to 40%"
    assert fmt.duration(0.6667, "hours") == "40 minutes"
    assert fmt.duration(1, "days") == "1 day" and fmt.duration(40, "minutes") == "40 minutes"
    assert fmt.duration(2, "week") == "2 weeks"
    assert fmt.p(0.019) == "p = 0.019" and fmt.p(0.21) == "p = 0.21" and fmt.p(0.0004) == "p < 0.001"
    assert fmt.p(0.0019) == "p = 0.002" and fmt.p(0.051) == "p = 0.051"


def test_scale_raters_and_self_report_wording():
    # Taylor 2018: LSAS (clinician-administered) and VAS-Anxiety (self-rated)
    assert vocab.scale_raters("significant on the LSAS but not the VAS-Anxiety") == {"clinician", "self"}
    assert vocab.scale_raters("CAPS-5 total score") == {"clinician"}
    assert vocab.scale_raters("anxiety ratings") == set()
    assert vocab.SELF_REPORT.search("Patients often report a significant reduction")
    assert vocab.SELF_REPORT.search("half of their self-reported anxiety symptoms vanished")
    assert not vocab.SELF_REPORT.search("The report was published in 2018")


def test_approx_rounds_derived_numbers():
    # 40 million / 18.1% (ADAA) and 18.1% of 258.3 million (2020 census adults)
    assert fmt.approx(40e6 / 0.181) == "221 million" and fmt.approx(0.181 * 258.3e6) == "46.8 million"
    assert fmt.approx(5233) == "5,230" and fmt.approx(0.35949) == "0.359" and fmt.approx(None) == ""


def test_every_zero_cell_correction_has_words():
    # params.CORRECTIONS are the choices of -p zero_cell_correction and `evidence meta --correction`;
    # `evidence meta` prints the words with the code in brackets (stats/cli.py)
    from evidence import params
    from evidence.stats import _common
    # the four corrections documented in stats/effects.py, in that order (the default, all_if_zero, is RevMan's)
    assert params.CORRECTIONS == _common.CORRECTIONS == ("none", "all_if_zero", "treatment_arm", "exclude_double_zero")
    for code in params.CORRECTIONS:
        assert "_" not in vocab.word("zero_cell_correction", code)
    assert vocab.word("zero_cell_correction", "all_if_zero") == "0.5 added to every cell of a study with a zero cell"
