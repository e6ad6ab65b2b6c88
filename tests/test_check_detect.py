"""evidence check, step 2: claim detection and typing (no evidence base needed)."""
from __future__ import annotations

from pathlib import Path

import pytest

from evidence.check import analyse

FIX = Path(__file__).parent / "fixtures" / "check"


def claims(text: str, fmt: str = "text"):
    return analyse(text, fmt=fmt).detected


def one(text: str, claim_type: str | None = None, kind: str | None = None):
    found = [d for d in claims(text) if (claim_type is None or d.claim_type == claim_type)
             and (kind is None or d.kind == kind)]
    assert found, f"no {claim_type or ''} {kind or ''} claim in {text!r}: {[(d.claim_type, d.quote) for d in claims(text)]}"
    return found[0]


# ------------------------------------------------------------------ percentages

@pytest.mark.parametrize("text,low,high", [
    ("Ketamine infusion has success rates between 70 and 80 percent.", 70, 80),
    ("Success rates are between 70–80% in our clinic.", 70, 80),
    ("Response rates of 60-70% were seen.", 60, 70),
])
def test_percentage_ranges(text, low, high):
    d = one(text, "response_rate")
    assert (d.low, d.high, d.unit, d.qualifier) == (low, high, "%", "range")


@pytest.mark.parametrize("text,ctype,value,qualifier", [
    ("Up to 40% of patients with anxiety disorders don't respond to first-line treatments.", "response_rate", 40, "up_to"),
    ("About 30% of patients show little to no improvement.", "response_rate", 30, "approx"),
    ("GAD affects around 2.7% of U.S. adults in a given year.", "prevalence", 2.7, "approx"),
    ("About 12.1% will experience it at some point in their lives.", "prevalence", 12.1, "approx"),
    ("The study reported a 30% reduction in anxiety symptoms.", "symptom_change", 30, "exact"),
    ("Scores fell by nearly 45 percent after two infusions.", "symptom_change", 45, "approx"),
    ("More than 60% of people with anxiety disorders are women.", "prevalence", 60, "at_least"),
])
def test_percentages_typed_by_context(text, ctype, value, qualifier):
    d = one(text, ctype)
    assert (d.value, d.unit, d.qualifier) == (value, "%", qualifier)


def test_confidence_level_is_not_a_claim():
    ds = claims("The odds ratio was 2.03 (95% CI 0.67 to 6.15).")
    assert [d.claim_type for d in ds] == ["effect_size"]
    assert ds[0].value == 2.03


@pytest.mark.parametrize("text,ctype,qualifier", [
    ("Nearly half of those diagnosed with depression also have an anxiety disorder.", "prevalence", "half"),
    ("Half of their self-reported anxiety symptoms vanished after treatment.", "symptom_change", "half"),
    ("It led to a 50% reduction in anxiety in the majority of participants.", "response_rate", "majority"),
    ("The vast majority of patients responded to the first infusion.", "response_rate", "majority"),
])
def test_half_and_majority(text, ctype, qualifier):
    d = one(text, ctype)
    assert d.qualifier == qualifier


def test_n_in_m_with_and_without_percent():
    d = one("Around 1 in 5 adults (19%) have been diagnosed with an anxiety disorder at some point.", "prevalence")
    assert (d.value, d.qualifier, d.text) == (19.0, "approx", "1 in 5")
    assert d.quote == "Around 1 in 5 adults (19%)"
    d = one("One in eight adults reports regular worry.", "prevalence")
    assert d.value == pytest.approx(12.5)


def test_x_of_y_patients():
    d = one("In one trial, 10 of 12 patients responded at 0.5-1 mg/kg.", "response_rate")
    assert d.value == pytest.approx(83.33)


# ------------------------------------------------------------------ counts

@pytest.mark.parametrize("text,ctype,value,unit", [
    ("Anxiety disorders affect approximately 40 million adults in the U.S. each year.", "prevalence", 40e6, "adults"),
    ("A larger observational study of 424 patients also tracked anxiety.", "sample_size", 424, "patients"),
    ("Of the 18 adults subjected to the experiment, most improved.", "sample_size", 18, "adults"),
    ("A review covering six randomized controlled trials found benefit.", "sample_size", 6, "trials"),
    ("Most patients only require one or two infusions.", "dose_route", None, "infusions"),
    ("Courses often range from 4 to 6 initial treatments.", "dose_route", None, "treatments"),
])
def test_counts(text, ctype, value, unit):
    d = one(text, ctype, None)
    assert d.unit == unit
    if value is None:
        assert d.qualifier == "range"
    else:
        assert d.value == value


def test_vague_counts():
    d = one("Anxiety disorders affect millions of people each year.", "prevalence")
    assert d.text == "millions" and d.qualifier == "categorical"


# ------------------------------------------------------------------ effect sizes, NNT, NNH

@pytest.mark.parametrize("text,value,unit,qualifier", [
    ("an especially strong response in social anxiety disorder (odds ratio ~28.9)", 28.9, "OR", "approx"),
    ("The pooled OR of 2.03 was not significant.", 2.03, "OR", "exact"),
    ("a standardized mean difference of -0.44", -0.44, "SMD", "exact"),
    ("an effect size (Hedges' g) of 0.8", 0.8, "SMD", "exact"),
])
def test_effect_sizes(text, value, unit, qualifier):
    d = one(text, "effect_size")
    assert (d.value, d.unit, d.qualifier) == (value, unit, qualifier)


@pytest.mark.parametrize("text,ctype,value", [
    ("Only about 5 patients needed treatment for one to improve significantly.", "nnt", 5),
    ("The number needed to treat of 5 compares well with SSRIs.", "nnt", 5),
    ("The NNT was 3 at one week.", "nnt", 3),
    ("The number needed to treat for remission was 6.", "nnt", 6),
    ("6 patients treated might experience some adverse effect.", "nnh", 6),
    ("The number needed to harm was 7 for dizziness.", "nnh", 7),
    ("For every 4 patients treated, one more will benefit.", "nnt", 4),
])
def test_nnt_nnh(text, ctype, value):
    d = one(text, ctype)
    assert d.value == value


# ------------------------------------------------------------------ doses, routes, timing

def test_doses_and_infusion_time():
    ds = claims("Doses of 0.5–1 mg/kg (typically over 40 minutes IV) were used.")
    dose = [d for d in ds if d.kind == "dose"][0]
    assert (dose.low, dose.high, dose.unit, dose.qualifier) == (0.5, 1.0, "mg/kg", "range")
    dur = [d for d in ds if d.kind == "duration"][0]
    assert (dur.value, dur.unit) == (40, "minutes")
    route = [d for d in ds if d.kind == "route"][0]
    assert route.text == "IV"
    d = one("We give 0.5 mg/kg over 40 minutes.", "dose_route", "dose")
    assert (d.value, d.unit) == (0.5, "mg/kg")


@pytest.mark.parametrize("text,code", [
    ("It was given by intravenous infusion.", "IV"), ("A subcutaneous injection of ketamine was given.", "SC"),
    ("Intranasal esketamine is approved.", "intranasal"), ("Oral ketamine lozenges are used.", "oral"),
])
def test_routes(text, code):
    assert one(text, "dose_route", "route").text == code


@pytest.mark.parametrize("text,ctype", [
    ("Symptoms can begin to improve within hours.", "onset"),
    ("Relief comes within minutes of administration.", "onset"),
    ("Symptoms often returned within two weeks of stopping.", "durability"),
    ("Responders stayed in remission for several months.", "durability"),
    ("Benefits lasting weeks were reported.", "durability"),
    ("These side effects generally subside within a few hours.", "safety"),
])
def test_timing(text, ctype):
    one(text, ctype)


def test_vague_times_become_ranges():
    d = one("Symptoms can begin to improve within hours.", "onset", "within")
    assert (d.low, d.high, d.unit, d.qualifier) == (0, 24, "hours", "range")
    d = one("Symptoms often returned within two weeks of stopping.", "durability")
    assert (d.value, d.unit, d.qualifier) == (2, "weeks", "up_to")


# ------------------------------------------------------------------ named sources, regulatory, design, comparison

def test_journals_years_and_citations():
    d = one("Another study published in the Journal of Clinical Psychiatry looked at 424 patients.", "attribution",
            "journal")
    assert d.text == "Journal of Clinical Psychiatry" and d.quote.startswith("published in")
    ds = claims("It creates new neural pathways (American Journal of Psychiatry, 2020).")
    texts = {d.text for d in ds if d.claim_type == "attribution"}
    assert {"American Journal of Psychiatry", "2020"} <= texts
    ds = claims("A 2018 study in Neuropsychopharmacology enrolled 18 adults.")
    texts = {d.text for d in ds if d.claim_type == "attribution"}
    assert {"2018", "Neuropsychopharmacology"} <= texts


@pytest.mark.parametrize("text,expected", [
    ("Ketamine is FDA-approved as an anesthetic.", "anesthetic"),
    ("It’s not yet FDA-approved for anxiety (though approved for depression).", "not FDA approved"),
    ("Spravato was approved by the FDA in 2019 for treatment-resistant depression.",
     "FDA approved for treatment-resistant depression"),
    ("Ketamine, traditionally an anesthetic, is gaining attention.", "anesthetic"),
])
def test_regulatory_status(text, expected):
    texts = [d.text for d in claims(text) if d.claim_type == "regulatory_status"]
    assert expected in texts


def test_approved_for_depression_is_its_own_claim():
    texts = [d.text for d in claims("It’s not yet FDA-approved for anxiety (though approved for depression).")
             if d.claim_type == "regulatory_status"]
    assert texts == ["not FDA approved", "FDA approved for depression"]


def test_design_words():
    ds = [d for d in claims("The study was a double-blind, randomized, placebo-controlled crossover trial.")
          if d.claim_type == "design"]
    assert {d.text for d in ds} == {"crossover_rct", "double_blind", "placebo"}
    assert one("An open-label maintenance study followed 20 patients.", "design").text == "open_label"
    assert one("A 2021 systematic review and meta-analysis pooled six trials.", "design").text == "meta_analysis"


@pytest.mark.parametrize("text", [
    "Many patients find ketamine has fewer side effects than SSRIs.",
    "Symptoms improve within hours, compared to weeks or months with traditional medications.",
    "Unlike SSRIs, which take weeks to show efficacy, ketamine acts fast.",
])
def test_comparisons(text):
    one(text, "comparison")


# ------------------------------------------------------------------ no claims

@pytest.mark.parametrize("text", (FIX / "no_claims.txt").read_text(encoding="utf-8").splitlines())
def test_sentences_without_claims(text):
    assert claims(text) == []


def test_no_claims_file():
    assert analyse((FIX / "no_claims.txt").read_bytes()).detected == []


def test_headings_name_topics_not_claims():
    assert claims("Rapid Relief and Neuroplasticity\n") == []
    assert claims("What the trials found\n") == []


def test_quotes_are_substrings_of_the_normalized_text():
    for name in ("riverside_post.md", "harbor_clinic.html"):
        an = analyse((FIX / name).read_bytes(), filename=name)
        assert an.detected
        for d in an.detected:
            assert an.text[d.start:d.end] == d.quote
            assert d.quote in d.sentence.text
