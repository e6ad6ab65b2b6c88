"""Issue 15, "Why": every failure it lists, one test each, through ``evidence check`` end to end.

The first group uses the issue's own copy as input (it was written for this test, not taken from the corpus).
The second group ("as classes, from the real pages") uses copy of our own for each class, never corpus text.
Each test would fail if the failure recurred: the wrong comparison, the wrong verdict, a verdict where there
should be none. Tests that already pin a bullet elsewhere are named in the comment of the bullet.

Figures from data/: prevalence.csv adaa_any_anxiety_past_year (ADAA 2022: 40 million U.S. adults, 18.1%);
facts.csv adaa_anxiety_treatment_rate (ADAA: "only 36.9% of those suffering receive treatment");
sources.csv oliver2022 (Journal of Clinical Psychiatry, n = 424, retrospective chart review), taylor2018 (n = 18,
crossover RCT), feder2021 (sessions "6 infusions over 2 consecutive weeks (3 per week)"), murrough2013
(response 70.8% at study end, estimates.csv murrough2013_response_pct_study_end).
"""
from __future__ import annotations

import re

import pytest

from evidence import vocab
from evidence.check import InputError, check, render


def claims(text, **kw) -> list[dict]:
    return check(text, **kw).claims


def only(found: list[dict], claim_type: str) -> dict:
    hits = [c for c in found if c["claim_type"] == claim_type]
    assert len(hits) == 1, [(c["claim_type"], c["quote"]) for c in found]
    return hits[0]


# ------------------------------------------------------------------ the issue's own copy

def test_head_count_is_not_compared_with_a_percentage():
    # was: "overstated" against "18.1%" (also tests/test_check_linking.py::test_head_count_compared_with_head_count)
    c = only(claims("Anxiety disorders affect about 40 million adults in the U.S."), "prevalence")
    assert (c["claimed_value"], c["claimed_unit"]) == (40_000_000.0, "adults")
    assert c["recompute"].startswith("prevalence:id=adaa_any_anxiety_past_year,field=count")
    assert c["holds"] is True   # 40 million: accurate, with the census context (accurate but missing context)


def test_price_and_discount_are_not_claims():
    # was: "understated" against 2016, the publication year of an OCD study
    r = check("Booster infusion: $399 (save 10%).")
    assert r.claims == []
    assert [(n["quote"], n["reason"]) for n in r.non_claims] == [
        ("$399", "a price: not a claim to check"), ("save 10%", "a discount: not a claim to check")]


def test_years_of_experience_are_not_linked_to_a_dissociation_score():
    # was: "accurate but missing context", linked to a dissociation score of 20 points in Glue 2018 ("n=20")
    r = check("Our team has 20 years of experience.")
    assert r.claims == []
    assert [n["quote"] for n in r.non_claims] == ["20 years of experience"]


def test_infusion_minutes_are_not_a_sample_size():
    # was: "unsupported", linked to a surgical depression trial because "40 minutes" was read as n = 40
    # (also tests/test_check_linking.py::test_duration_is_not_a_sample_size)
    found = claims("Each infusion lasts 40 minutes at a dose of 0.5 mg/kg.")
    assert [(c["claim_type"], c["claimed_value"], c["claimed_unit"]) for c in found] == [
        ("dose_route", 40.0, "minutes"), ("dose_route", 0.5, "mg/kg")]
    assert all(c["checkable"] is False and c["source_ids"] == [] and c["study"] == "" for c in found)


def test_decimal_comma_is_read_as_a_decimal():
    # was: read as "1%" (also tests/test_check_precision.py::test_decimal_comma_before_percent)
    c = only(claims("Anxiety affects 18,1% of adults."), "prevalence")
    assert (c["claimed_value"], c["claimed_unit"], c["quote"]) == (18.1, "%", "18,1% of adults")
    assert c["recompute"] == "prevalence:id=adaa_any_anxiety_past_year" and c["verdict"] == "accurate"


def test_hidden_text_is_not_checked():
    # was: <div hidden>90% remission</div> checked (also tests/test_check_precision.py::test_hidden_text_not_read)
    r = check(b"<p>Ketamine clinics are opening.</p><div hidden>90% remission</div>", filename="page.html")
    assert "90%" not in r.analysis.text
    assert not any("90" in c["quote"] for c in r.claims)


@pytest.mark.parametrize("text", [
    "Rated 4.9 out of 5 from 312 Google reviews.",
    "0% APR financing for 12 months.",
    "Step 3: most patients receive 6 infusions.",
    "We use cookies to give you 100% of the experience.",
])
def test_ratings_reviews_financing_steps_and_cookie_banners_get_no_verdict(text):
    # was: detected as claims, some with verdicts (also tests/test_check_precision.py::test_not_a_claim)
    r = check(text)
    assert r.claims == [] and r.non_claims


def test_german_copy_is_refused_not_compared_with_a_z_statistic():
    # was: "…sprachen 33 % der 18 Patienten an…" overstated against the Wilcoxon z statistic of Taylor 2018
    with pytest.raises(InputError, match="German"):
        check("In der Studie von Taylor sprachen 33 % der 18 Patienten an.")


# ------------------------------------------------------------------ the classes, from the real pages (our copy)

def test_infusions_are_compared_with_infusions_of_the_study_itself():
    # was: a number of infusions checked against a number of therapy sessions in another study
    c = only(claims("In the Feder 2021 trial, participants received six infusions over two weeks."), "dose_route")
    assert (c["claimed_value"], c["claimed_unit"], c["study"]) == (6.0, "infusions", "feder2021")
    assert c["recompute"] == "attribute:source=feder2021,field=sessions" and c["holds"] is True
    wrong = only(claims("In the Feder 2021 trial, participants received eight infusions."), "dose_route")
    assert wrong["study"] == "feder2021" and wrong["verdict"] == "misattributed"


def test_response_rate_is_compared_with_the_same_studys_response_rate():
    # was: a response rate of one study checked against a responder count of another
    c = only(claims("Murrough et al. (2013) found that 71% of 24 patients responded."), "response_rate")
    assert (c["claimed_value"], c["claimed_unit"], c["study"]) == (71.0, "%", "murrough2013")
    assert c["recompute"] == "estimate:id=murrough2013_response_pct_study_end" and c["holds"] is True


def test_share_receiving_treatment_is_compared_with_the_named_organisations_treatment_rate():
    # was: matched to a prevalence figure or a response rate although the sentence names ADAA
    # (also tests/test_check_linking.py::test_share_receiving_treatment_is_not_a_prevalence)
    c = only(claims("According to the ADAA, only 36.9% of people with anxiety disorders receive treatment."),
             "prevalence")
    assert c["recompute"] == "fact:id=adaa_anxiety_treatment_rate" and c["verdict"] == "accurate"


def test_typo_in_a_journal_name_is_matched_not_flagged():
    # was: misattributed (also tests/test_check_linking.py::test_typo_in_journal_is_matched_not_flagged and
    # tests/test_check_link_classes.py::test_journal_with_a_leading_article_is_the_records_journal)
    found = claims("Oliver et al. (2022), in the Jounral of Clinical Psychiatry, reviewed 424 patients.")
    c = next(x for x in found if x["detector"] == "journal")
    assert c["study"] == "oliver2022" and c["verdict"] == "accurate"


def test_negated_design_about_another_study_is_not_checked_against_this_one():
    # was: "this study was not …" verified as its opposite, about a different study than the sentence means
    # (the negation itself: tests/test_check_linking.py::test_negated_design_holds_when_the_record_agrees)
    found = claims("Taylor et al. (2018) ran a crossover trial. A later study by Smith and colleagues was not "
                   "randomized.")
    later = [c for c in found if c["sentence_start"] > 0]
    assert not any(c["study"] == "taylor2018" or c["holds"] is not None for c in later)


def test_study_population_is_not_compared_with_a_national_fact_sheet():
    # was: a study's population compared with a national fact sheet's
    found = claims("Oliver et al. (2022) reviewed 424 patients, of whom 60% had an anxiety disorder.")
    sixty = next(c for c in found if c["claimed_value"] == 60.0)
    assert not (sixty["recompute"] or "").startswith("prevalence:") and sixty["checkable"] is False


def test_curated_figures_worded_differently_are_not_misjudged():
    # was: a dissociation score over 14 weeks and a rise in blood pressure at 30 minutes not found. Detection of
    # "~10 mm Hg" and "8.8 points" is asked of `detect` (requests.md, 03:18); until then nothing wrong is said:
    # no verdict from any other figure of Glue 2018 (facts.csv glue2018_bp_increase, glue2018_cadss_week14).
    for text in ("In Glue et al. (2018), mean systolic and diastolic blood pressure increased by about 10 mm Hg at "
                 "30 minutes.",
                 "In the Glue 2018 maintenance study, the mean CADSS dissociation score was 8.8 at week 14."):
        for c in claims(text):
            if c["claim_type"] != "attribution":
                assert c["holds"] is None or c["recompute"] in ("fact:id=glue2018_bp_increase",
                                                                "fact:id=glue2018_cadss_week14"), c


def test_editors_see_no_internal_codes():
    # was: "TRD;GAD", "general_population", "nimh_gad", "accurate_missing_context" in the output
    r = check("Anxiety disorders affect about 40 million adults in the U.S. Oliver et al. (2022) reviewed 424 "
              "patients with treatment-resistant depression; 72% responded after 10 infusions.")
    table, html = render.to_table(r, width=200), render.to_html(r)
    shown = re.sub(r"<[^>]+>", " ", re.sub(r"<(style|script)\b.*?</\1>", " ", html, flags=re.S))   # what a reader sees
    for out in (table, shown):
        for code in ("TRD;GAD", "general_population", "nimh_gad", "accurate_missing_context", "adaa_any_anxiety",
                     "oliver2022", "not_checkable"):
            assert code not in out, code
    assert vocab.word("verdict", "accurate_missing_context") in table
