"""Safety effects stated in the grammar of causing or sparing are listed claims (issue 15 detection, session 7).

Every sentence here is our own copy, written for these tests (none is corpus text); the items asserted are what
``check`` lists, measured when the test was written. Before, each of these safety words was detected and then left
unlisted (an unchecked safety word), so the sentence was listed only when the classifier happened to call it a claim.
"""
from __future__ import annotations

import pytest

from evidence.check import check, claimclf
from evidence.check.wordclaims import RX_SAFETY_CAUSE


def _listed(text: str) -> list[tuple[str, str, bool]]:
    return [(c["detector"], c["quote"], bool(c["negated"])) for c in check(text).claims]


@pytest.fixture()
def detectors_alone(monkeypatch):
    # the rules on their own, without the classifier's back-up
    monkeypatch.setattr(claimclf, "ENABLED", False)


@pytest.mark.parametrize("text, quote, negated", [
    ("Esketamine can trigger dizziness and nausea in the first hour.", "can trigger dizziness", False),
    ("Long-term heavy use of ketamine has been linked with bladder damage.", "has been linked with bladder",
     False),
    ("Patients may develop an abuse problem with the drug over time.", "may develop an abuse", False),
    # (the statements' own rule reads this one: its quote stops at the verb)
    ("Unlike opioids, ketamine does not depress breathing at these doses.", "does not depress", True),
    ("Ketamine does not lower blood pressure in most patients.", "does not lower blood pressure", True),
    ("Common side effects include headache, nausea and a rise in blood pressure.",
     "side effects include headache, nausea and a rise in blood pressure", False),
])
def test_a_stated_effect_of_the_treatment_is_listed(detectors_alone, text, quote, negated):
    assert ("safety-statement", quote, negated) in _listed(text)


def test_symptoms_of_the_condition_are_not_effects_of_a_treatment(detectors_alone):
    # no treatment named: anxiety "can cause" a racing heart is about the condition
    assert not any(d == "safety-statement" for d, _, _ in _listed("Anxiety can cause a racing heart and nausea."))


def test_the_pattern_needs_a_causal_verb_and_an_effect():
    assert RX_SAFETY_CAUSE.search("ketamine may cause hallucinations")
    assert not RX_SAFETY_CAUSE.search("ketamine may cause relief within hours")
    assert not RX_SAFETY_CAUSE.search("patients experience improvement within a day")


def test_a_lower_case_schedule_with_a_roman_numeral_is_a_regulatory_claim(detectors_alone):
    assert ("schedule", "schedule III controlled substance", False) in _listed(
        "Esketamine is a schedule III controlled substance in the United States.")
    # a lower-case "schedule" with a digit is an appointment, not a drug schedule
    assert not any(d == "schedule" for d, _, _ in _listed("You can schedule 2 sessions in the first week."))


# ------------------------------------------------------------------ esketamine's setting and use with an antidepressant

@pytest.mark.parametrize("text, kind, quote", [
    # (the quote ends on a whole word: the detector's "center" takes the rest of "centers", review11)
    ("Spravato is only available at certified treatment centers.", "setting", "only available at certified treatment "
     "centers"),
    ("You will use esketamine nasal spray in a medical facility under the supervision of a nurse.", "setting",
     "in a medical facility under the supervision of"),
    ("Spravato is taken together with an oral anti-depressant.", "adjunct", "together with an oral anti-depressant"),
])
def test_word_orders_of_the_setting_and_the_adjunct_use_are_read(detectors_alone, text, kind, quote):
    assert (kind, quote, False) in _listed(text)


def test_a_required_antidepressant_is_contradicted_by_the_2025_monotherapy_approval():
    # facts.csv esketamine_monotherapy_approval_2025 (J&J, 21 January 2025): the first and only monotherapy for TRD;
    # contradicted when the sentence says it is so now (settle10: an undated one, true of the 2019 approval, abstains)
    [c] = [c for c in check("Esketamine still must be taken with an oral antidepressant.").claims
           if c["detector"] == "adjunct"]
    assert (c["quote"], c["verdict"]) == ("must be taken with an oral antidepressant", "contradicted")
    assert "monotherapy" in c["explanation"]
    [u] = [c for c in check("Esketamine must be taken with an oral antidepressant.").claims if c["detector"] == "adjunct"]
    assert u["verdict"] == "not_checkable" and "2019" in u["reason"] and "2025" in u["reason"]
    # described, not required: the combined use is what the 2019 approval says
    [d] = [c for c in check("Spravato is used in conjunction with an oral antidepressant.").claims
           if c["detector"] == "adjunct"]
    assert d["verdict"] == "accurate"
