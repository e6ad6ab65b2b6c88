"""A follow-on sentence about "patients" or "responders" inherits the study its passage is about (issue 15
Deliver 2 names "patients"; editor review session 3, #5/#53: "After 10 infusions, 72% of patients had responded."
abstained with "none is established before it" right after a sentence about Oliver et al. 2022). A clinic's
present-tense "70% of patients respond" is not a study's finding and still names no study.

Oliver et al. 2022 (J Clin Psychiatry, a retrospective chart review of 424 patients): 72% response after 10
infusions (data/outcomes.csv, the study's own printed figure).
"""
from __future__ import annotations

from evidence.check import check

SETUP = ("Oliver and colleagues reviewed the charts of 424 patients with treatment-resistant depression "
         "(Journal of Clinical Psychiatry, 2022). ")


def _claim(text: str, quote: str) -> dict:
    res = check(text, filename="copy.txt")
    hits = [c for c in res.claims if c["quote"] == quote]
    assert len(hits) == 1, [c["quote"] for c in res.claims]
    return hits[0]


def test_a_past_tense_finding_about_patients_is_the_passages_study():
    c = _claim(SETUP + "After 10 infusions, 72% of patients had responded.", "72% of patients")
    assert c["study"] == "oliver2022" and c["checkable"]
    assert c["verdict"] in ("accurate", "accurate_missing_context")
    assert c["claimed_value"] == 72.0 and c["claimed_unit"] == "%"


def test_responders_refer_back_to_the_passages_study():
    c = _claim(SETUP + "Among responders, the median time to relapse was 18 days.", "18 days")
    assert c["study"] == "oliver2022"
    assert "Oliver et al. 2022" in c["reason"] and not c["checkable"]   # it has no curated relapse figure


def test_a_clinics_present_tense_claim_about_patients_names_no_study():
    c = _claim(SETUP + "\n\nAt our clinic, 70% of patients respond to ketamine.", "70% of patients")
    assert not c["checkable"] and c["study"] in (None, "")


def test_a_year_alone_does_not_outweigh_the_condition_the_sentence_names():
    # editor review s3 #2: the base's only 2019 study is Jakubovski et al. 2019 (Depression and Anxiety), a
    # study without PTSD; "A 2019 study from Stanford … veterans with PTSD" was Accurate (year) and Misattributed
    # (PTSD) against it. Conflicting cues mean no study.
    res = check("A 2019 study from Stanford found that ketamine helped 65% of veterans with PTSD.", filename="y.txt")
    assert all(not c["checkable"] for c in res.claims), [(c["quote"], c["verdict"]) for c in res.claims]
    year = next(c for c in res.claims if c["quote"] == "A 2019 study")
    assert year["reason"].startswith("the year fits only Jakubovski et al. 2019")
    assert "post-traumatic stress disorder" in year["reason"]


def test_a_count_of_infusions_is_not_the_timepoint_of_a_figure_measured_after_doses():
    # editor review s3 #45: Glue et al. 2017 (J Psychopharmacol) gave single ascending doses; its 10 of 12 (83%)
    # responders are "after 0.5-1 mg/kg doses" (data/outcomes.csv timepoint). "72% … after 10 infusions" was
    # Understated against it (telling the editor to write 83%); it is a figure of another study and timepoint.
    res = check("Glue et al. (2017) found that 72% of patients responded after 10 infusions.", filename="g.txt")
    c = next(c for c in res.claims if c["quote"] == "72% of patients")
    assert not c["checkable"] and c["verdict"] != "understated"


def test_a_share_with_a_diagnosis_is_not_a_response_rate():
    # editor review s3 #1: "90% of participants met criteria for generalized anxiety disorder" was Accurate but
    # missing context against Glue et al. 2018's 18 of 20 with improved functioning (a treatment outcome); the
    # share with a diagnosis is the population's make-up (the curated GAD share is 75%, facts glue2018_pct_gad).
    res = check("Glue and colleagues (2018) followed 20 patients on weekly ketamine for 14 weeks. In that maintenance "
                "study, 90% of participants met criteria for generalized anxiety disorder.", filename="m.txt")
    c = next(c for c in res.claims if c["quote"] == "90% of participants")
    assert not c["checkable"] and "share of participants with a diagnosis" in c["reason"]
