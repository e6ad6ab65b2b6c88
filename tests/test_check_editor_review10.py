"""Classes found by reading `evidence check` output as an editor (review10, session 10), each closed and pinned.

The sentences are from training pages (tests/corpus/pages, splits holdout11/holdout12; data/articles), named beside
each case."""
from __future__ import annotations

import pytest

from check_support import claims   # tests/check_support.py
from evidence.check.claimclf import claim_frame
from evidence.check.judge import COVERAGE_ADVICE, GENERAL_ADVICE


def _sentence_claim(text: str) -> dict:
    return next(c for c in claims(text) if c["detector"] == "sentence-claim")


@pytest.mark.parametrize("text", [
    # uhhospitals_ketamine_depression (holdout12): "at University Hospitals" is a place, not a citation
    "Patients with treatment-resistant major depression or treatment-resistant bipolar depression may benefit from "
    "ketamine infusion treatment at University Hospitals.",
    # ntketamine_faqs (holdout12): a clinic's procedure, typed a citation by "hospital"
    "Yes, Ketamine infusion therapy for depression and pain control is an outpatient procedure requiring no hospital "
    "admission.",
])
def test_a_sentence_typed_a_citation_by_a_place_is_not_asked_for_a_full_citation(text):
    # was: "Give a full citation (authors, title, journal, year, DOI) so readers can find the source."
    c = _sentence_claim(text)
    assert c["claim_type"] == "attribution"
    assert "full citation" not in c["suggestion"]
    assert c["suggestion"] == GENERAL_ADVICE


def test_insurance_cover_is_checked_against_the_coverage_policy_not_the_fda_label():
    # uhhospitals_ketamine_depression (holdout12); was: "Check it against the product's FDA label or approval notice"
    c = _sentence_claim("Ketamine infusion procedures for depression are not currently covered by private insurance or "
                        "Medicare/Medicaid.")
    assert c["claim_type"] == "regulatory_status"
    assert c["suggestion"] == COVERAGE_ADVICE
    assert "FDA" not in c["suggestion"]


def test_a_history_typed_an_approval_by_anesthetic_is_not_sent_to_the_label():
    # mindstreammedicine_side_effects (holdout11)
    c = _sentence_claim("Originally used as an anesthetic for pain management during invasive procedures, ketamine is "
                        "now being explored for its remarkable effects on Treatment Resistant Depression, anxiety, "
                        "and PTSD.")
    assert "FDA label" not in c["suggestion"]


def test_a_restricted_distribution_sentence_keeps_the_label_advice():
    # thestar_wsj_spravato_approval (holdout12): REMS is on the label, so the label advice stays
    c = next(c for c in claims("The FDA approved Spravato despite mixed results in clinical testing, saying Tuesday "
                               "that because of safety concerns, the drug will be available only through a "
                               "restricted distribution system.") if c["detector"] == "sentence-claim")
    assert "FDA label" in c["suggestion"]


@pytest.mark.parametrize("text", [
    # data/articles/003 (curated)
    "It is also advised that you bring a loved one along with you during the ketamine injection procedure.",
    "The most reputable ketamine infusion clinics in the Midwest region of the United States are Michigan "
    "Progressive Health and the Midwest Ketamine Center.",
    # mindstreammedicine_side_effects (holdout11)
    "However, if a trained professional is nearby, these effects are very minimal, as the provider can stop the "
    "infusion as and when the patient wants.",
    # themeditary_esketamine_nasal (holdout12)
    "After you use esketamine nasal spray, do not drive a car, operate machinery, or do anything where you need to "
    "be completely alert until the next day after a restful night's sleep.",
])
def test_a_treatments_name_alone_does_not_make_a_sentence_dose_and_route(text):
    # was: type "dose and route" for a sentence whose only route word is the treatment's name
    assert claim_frame(text)["claim_type"] != "dose_route"


@pytest.mark.parametrize("text", [
    # uhhospitals_ketamine_depression (holdout12): how it is given
    "It is administered by an IV infusion in the arm, and typically the effects last for anywhere from days to weeks.",
    # clevelandclinic_ketamine_therapy (holdout11)
    "Treatment is given by IV or nasal spray under medical supervision.",
])
def test_a_sentence_that_says_how_the_treatment_is_given_stays_dose_and_route(text):
    assert claim_frame(text)["claim_type"] == "dose_route"
