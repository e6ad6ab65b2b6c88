"""Study first, like with like, abstain with a reason (issue 15 items 1–5), against the real data/.

Each case is a failure from issue 15 (or one of its classes from real pages), now pinned: the figure a claim
is compared with must be the resolved study's (or topic's) own, of the same kind of quantity; otherwise the
claim is "not checkable here" with the reason in words. Expected figures come from data/ (sources.csv:
oliver2022 n = 424, Journal of Clinical Psychiatry, retrospective chart review; taylor2018 n = 18, saline
placebo crossover RCT; prevalence.csv adaa_any_anxiety_past_year: 40 million U.S. adults, 19.1%).
"""
from __future__ import annotations

import pytest

from check_support import claims, one   # tests/check_support.py
from evidence.quantity import Quantity, comparable, kind_of




# ------------------------------------------------------------------ like with like

@pytest.mark.parametrize("claim_unit,evidence_unit,ok", [
    ("adults", "%", False),        # a head count never against a percentage
    ("year", "%", False),          # a calendar year never against a percentage
    ("points", "participants", False),   # a score never against a sample size
    ("infusions", "sessions", False),    # infusions never against therapy sessions
    ("$", "%", False),             # money is never compared
    ("adults", "people", True),
    ("%", "%", True),
    ("minutes", "hours", True),    # both durations (compared in hours by the engine)
    ("mg/kg", "mg", False),        # a dose per kilogram is not a dose in mg
])
def test_comparable_kinds(claim_unit, evidence_unit, ok):
    got, why = comparable(claim_unit, evidence_unit)
    assert got is ok
    assert bool(why) is (not ok)


def test_reason_names_both_kinds():
    assert comparable("adults", "%") == (False, "the claim is a head count and the evidence is a percentage")
    assert kind_of("infusions") == "infusions" and kind_of("treatments") == "sessions" and kind_of("OR") == "ratio"


def test_quantity_printed_figures():
    q = Quantity(value=18.1, unit="%", text="18,1%", printed_value="18.1")
    assert (q.kind, q.numeric, q.numbers(), q.printed()) == ("percent", True, (18.1,), {"claimed_value": "18.1"})


def test_head_count_compared_with_head_count():
    # issue 15: "40 million adults" was judged overstated against "18.1%"
    c = one("Anxiety disorders affect about 40 million adults in the U.S.", "prevalence")
    # judged as the curated claim 000-02 is: with the census counts of U.S. adults (40 million is 18.1% of the
    # adult population of the 2000s; 18.1% of the 2020 census's 258.3 million adults is about 46.8 million)
    assert c["recompute"] == ("prevalence:id=adaa_any_anxiety_past_year,field=count,"
                              "population=census_adults_2000;census_adults_2010;census_adults_2020")
    assert c["holds"] is True and c["verdict"] == "accurate_missing_context"


def test_duration_is_not_a_sample_size():
    # issue 15: "40 minutes" was read as n = 40 and linked to a surgical depression trial
    found = claims("Each infusion lasts 40 minutes at a dose of 0.5 mg/kg.")
    assert [(c["claim_type"], c["claimed_value"], c["claimed_unit"]) for c in found] == [
        ("dose_route", 40.0, "minutes"), ("dose_route", 0.5, "mg/kg")]
    for c in found:   # a clinic's protocol: not checkable, and never against a study's sample size
        assert c["checkable"] is False and c["source_ids"] == []
        assert c["reason"] == ("the sentence describes how a treatment is given without naming a study; a clinic's "
                               "own protocol is not something the evidence base settles")


# ------------------------------------------------------------------ study first

def test_typo_in_journal_is_matched_not_flagged():
    text = ("A chart review of 424 patients, published in the Journal of Clinical Psychiatrry, reported a 30% "
            "reduction in anxiety symptoms.")
    c = one(text, "attribution")
    assert c["recompute"] == "attribute:source=oliver2022,field=journal"
    assert c["verdict"] == "accurate" and c["study"] == "oliver2022"
    assert c["study_label"] == "Oliver et al. 2022 (Journal of Clinical Psychiatry)"


def test_unknown_study_abstains_with_cues_and_its_passage_too():
    text = "Smith et al. (2019) found that 80% of participants responded. Participants received six infusions."
    rate = one(text, "response_rate")
    assert rate["checkable"] is False
    assert rate["reason"] == "no study in the evidence base matches (cues: author Smith, 2019)"
    infusions = one(text, "dose_route")
    assert infusions["checkable"] is False
    assert infusions["reason"] == "the study this passage is about is not in the evidence base (cues: author Smith, 2019)"


def test_conflicting_cues_mean_no_study():
    c = one("Oliver et al. (2022), published in Neuropsychopharmacology, found that 50% of patients responded.",
            "response_rate")
    assert c["checkable"] is False and c["reason"].startswith("the cues point at different studies (author Oliver → "
                                                              "Oliver et al. 2022")


def test_referring_back_takes_the_section_study():
    text = ("Taylor et al. (2018) randomized 18 adults with social anxiety disorder. "
            "In the study, 33% of participants responded on the LSAS.")
    c = one(text, "response_rate")
    assert c["study"] == "taylor2018"
    assert c["why_this_source"] == "matched on the author, the sample size, the year and the study the passage is about"
    assert "the study this passage is about" in c["link_basis"]   # the matching detail, kept out of the words


def test_heading_ends_the_section():
    text = "Taylor et al. (2018) randomized 18 adults.\n\nOur Clinic\n\nParticipants received six infusions."
    c = one(text, "dose_route")
    assert c["checkable"] is False


# ------------------------------------------------------------------ negation

def test_negated_design_holds_when_the_record_agrees():
    # oliver2022 is a retrospective chart review: "not randomized" is right
    c = one("Oliver et al. (2022) reviewed 424 patients. The study was not randomized.", "design")
    assert c["negated"] is True and c["verdict"] == "accurate"


def test_negated_design_contradicted_when_the_record_disagrees():
    # taylor2018 had a saline placebo: "not placebo-controlled" is the opposite of the record
    c = one("Taylor et al. (2018) studied 18 adults with social anxiety disorder. The study was not "
            "placebo-controlled.", "design")
    assert c["negated"] is True and c["verdict"] == "contradicted" and c["study"] == "taylor2018"


# ------------------------------------------------------------------ topics

def test_share_receiving_treatment_is_not_a_prevalence():
    # compared with the ADAA treatment rate (data/facts.csv adaa_anxiety_treatment_rate: 36.9%), never a prevalence
    found = claims("Only 36.9% of people with anxiety disorders receive treatment each year.")
    (c,) = [c for c in found if c["claimed"] == "36.9%"]
    assert (c["verdict"], c["recompute"]) == ("accurate", "fact:id=adaa_anxiety_treatment_rate")


def test_page_headed_by_a_study_title_is_about_that_study():
    # the title of Oliver et al. 2022 (sources.csv citation) heads a summary page: its figures are that study's
    text = ("Clinical Effectiveness of Intravenous Racemic Ketamine Infusions in a Large Community Sample of Patients "
            "With Treatment-Resistant Depression, Suicidal Ideation, and Generalized Anxiety Symptoms: A Retrospective "
            "Chart Review\nResponse and remission rates were 72% and 38%, respectively, after 10 infusions.")
    found = [c for c in claims(text) if c["claimed"] == "72%"]
    assert found and found[0]["study"] == "oliver2022"
    assert found[0]["why_this_source"] == "matched on the page's title"
    assert found[0]["holds"] is True


def test_real_world_data_is_an_observational_design():
    c = one("Oliver et al. (2022) analysed real-world data from 424 patients.", "design")
    assert c["study"] == "oliver2022" and c["holds"] is True


def test_approval_of_an_anesthetic_and_of_esketamine_for_trd():
    c = one("Ketamine is a SAFE FDA-approved powerful anesthetic.", "regulatory_status")
    assert (c["claimed_text"], c["recompute"], c["holds"]) == ("anesthetic", "fact:id=ketalar_fda_indication", True)
    c = one("The US Food and Drug Administration has approved esketamine to treat adults whose depression hasn't "
            "responded to other treatments.", "regulatory_status")
    assert c["claimed_text"] == "FDA approved for treatment-resistant depression" and c["holds"] is True


def test_capitalized_words_before_a_year_are_not_authors():
    c = one("Since 2000 ketamine has been found to be a highly effective treatment for depression.", "response_rate")
    assert "author" not in c["reason"]
