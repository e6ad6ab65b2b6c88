"""Word claims of holdout11 (session 10, issue 15): the classes the freshest split's pages showed after it joined
training, written as general rules (holdout12 and holdout13 measure whether they are): how a drug works ("works by
changing the activity of …"), what a drug is ("the active ingredient …", "a class of medications called …"), an
effect that "may occur", where esketamine may be given ("cannot be given at home"), the form it comes in ("is available
as a nasal spray"), and the entries of a list of the uses a drug is indicated for. Each is listed "not checkable here"
with its reason in words, or checked where the evidence base has the fact. Sentences are from the corpus's holdout11
pages (a training split since its one measurement), page id in the comment, unless marked as made up.
"""
from __future__ import annotations

import pytest

from check_support import md_claims, overlapping, reads_well   # tests/check_support.py


_claims, _find = md_claims, overlapping


#: the detector names this file's reasons must never show
_CODES = "mechanism-said|drug-identity|risk-said|form-said|list-entry"


def _unchecked(c: dict, words: str) -> None:
    reads_well(c, words, _CODES)


@pytest.mark.parametrize("text, quote", [
    # drugstip_esketamine_nasal
    ("It works by changing the activity of certain natural substances in the brain.",
     "works by changing the activity of certain natural substances"),
    # ketaminelife_ketamine_anxiety
    ("Ketamine works by increasing the communication between the nerve cells and the brain.",
     "works by increasing the communication between the nerve cells"),
    # ketamd_faqs
    ("Traditional antidepressants, or SSRIs, target the neurotransmitter serotonin.",
     "target the neurotransmitter serotonin"),
])
def test_how_a_drug_works_in_more_word_orders(text, quote):
    _unchecked(_find(text, quote), r"how the drug acts in the brain")


@pytest.mark.parametrize("text, quote", [
    # pharmacyexam_spravato_question
    ("The active ingredient found in Spravato is Esketamine.", "active ingredient found in Spravato is Esketamine"),
    # drugstip_esketamine_nasal
    ("Esketamine is in a class of medications called NMDA receptor antagonists.",
     "a class of medications called NMDA receptor antagonists"),
    # greenbrookproviders_spravato_faq
    ("Spravato is a refined form of ketamine, used to treat adults with treatment-resistant depression.",
     "a refined form of ketamine"),
])
def test_what_a_drug_is_in_more_word_orders(text, quote):
    _unchecked(_find(text, quote), r"what kind of compound the drug is")


def test_an_effect_that_may_occur_is_a_risk_said():
    # laszlo4therapykap_adverse_effects
    _unchecked(_find("Agitation may occur during the course of a ketamine session.", "Agitation may occur"),
               r"states a risk in words")


def test_the_form_a_drug_comes_in():
    # verywellhealth_spravato_nasal
    _unchecked(_find("Spravato is a prescription medicine. It is available as a nasal spray.",
                     "is available as a nasal spray"), r"in what form the drug comes")


@pytest.mark.parametrize("text, quote", [
    # drugstip_esketamine_nasal; FDA 5 March 2019: "available only at a certified doctor's office or clinic"
    ("Esketamine must be used in a medical facility.", "must be used in a medical facility"),
])
def test_where_esketamine_may_be_given_in_more_word_orders(text, quote):
    c = _find(text, quote)
    assert c["claim_type"] == "regulatory_status" and c["holds"] is True, c


def test_the_entries_of_a_list_of_who_benefits_are_claims():
    # ketaminetherapistcenter_therapists (its bullets are "⦁", textprep._BULLET)
    quotes = {c["quote"]: c for c in _claims("Who benefits from ketamine treatments?\n\n⦁ Treatment-resistant "
                                              "depression\n\n⦁ PTSD\n")}
    assert {"Treatment-resistant depression", "PTSD"} <= set(quotes), list(quotes)
    _unchecked(quotes["PTSD"], r"entry of the list under “Who benefits from ketamine treatments\?”")


def test_an_indication_list_is_read_with_its_lead_in():
    # pharmacyexam_spravato_question
    text = ("Spravato is a non-competitive N-methyl D-aspartate (NMDA) receptor antagonist indicated, in conjunction "
            "with an oral antidepressant, for the treatment of:\n\n1. Treatment-resistant depression (TRD) in adults.\n")
    assert any(c["quote"].startswith("Treatment-resistant depression (TRD) in adults") for c in _claims(text))


def test_how_often_the_treatment_is_given_in_words():
    # brickpsych_spravato: "Maintenance" alone is a durability word set aside when unchecked; here it names a schedule
    c = _find("Spravato is a nasal spray. Maintenance follow-ups are recommended biweekly or monthly in order to "
              "maintain remission.", "Maintenance follow-ups are recommended biweekly or monthly")
    _unchecked(c, r"how often the treatment is given")


def test_the_care_around_a_treatment_said_of_your_provider():
    # clevelandclinic_ketamine_therapy
    c = _find("Ketamine therapy: during the session your healthcare provider will watch you closely to make sure "
              "you’re safe.", "your healthcare provider will watch you closely")
    _unchecked(c, r"the care around a treatment")
