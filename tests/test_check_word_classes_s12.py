"""Word claims of session 11 (words12, issue 15): broad classes read from the leave-one-split-out misses of dev …
holdout13 (each on several sites), measured on holdout14 before its own misses were read (benchmarks/README.md).
Every sentence here is made up; the pages that showed the class are named in the comments.
"""
from __future__ import annotations

import pytest

from check_support import md_claims, reads_well   # tests/check_support.py

#: the detector names this file's reasons must never show
_CODES = "clinic-experience|condition-fact|fraction"


def _quotes(text: str) -> dict[str, dict]:
    return {c["quote"]: c for c in md_claims(text)}


def _overlapping(text: str, words: str) -> dict | None:
    return next((c for c in md_claims(text) if words in c["quote"]), None)


@pytest.mark.parametrize("text, words", [
    # palomarkln_ketamine_side_effects (holdout13), thriveketamine_spravato_hopes_concerns (holdout12): what the clinic
    # or the writer has seen in its own patients, said as a fact (an ``unknown`` claim by the labelling rules)
    ("At our office we do see mild headaches in some patients after a session.", "mild headaches"),
    # ketaminescottsdale_ptsd (holdout10), palomarkln (holdout13): what the clinic's patients report or tolerate
    ("Many patients living with chronic pain report a calmer mood after their first infusion.", "calmer mood"),
    ("Most describe the session as a dreamlike, drifting experience.", "dreamlike"),
    # nushamatherapy_faq (holdout4): how often something happens among the clinic's own patients
    ("A fainting spell during treatment has been very uncommon at our clinic.", "uncommon at our clinic"),
    # palomarkln (holdout13): what the clinic commonly uses
    ("For an upset stomach we routinely give a mild anti-nausea medication.", "anti-nausea"),
])
def test_the_clinics_own_experience_said_as_a_fact_is_listed_unchecked(text, words):
    c = _overlapping(text, words)
    assert c is not None, [x["quote"] for x in md_claims(text)]
    # the clinic's own observation: no study behind it, so no verdict (never a verdict from a weak link)
    assert c["holds"] is None and c["checkable"] is False


def test_the_clinics_experience_reason_reads_well():
    # the reason names what the statement is, in words (made up)
    c = _overlapping("Many clients report feeling lighter and calmer the next morning.", "lighter")
    assert c is not None
    reads_well(c, r"this clinic or writer has seen", _CODES)


def test_the_clinic_seeing_its_patients_or_a_question_is_no_experience():
    # "we see patients from …" is whom the clinic serves, and a question asserts nothing (made up)
    assert not md_claims("We see patients from across the whole county.")
    assert not [c for c in md_claims("Do most patients describe the infusion as pleasant?")
                if "describe" in c["quote"]]


def test_a_share_said_by_a_figure_keeps_its_experience_part():
    # palomarkln (holdout13): "The vast majority of our patients" is a share the figure detectors read; what the
    # patients do ("tolerate the treatment well") is listed as the clinic's experience (made up)
    text = "The vast majority of our clients at the center tolerate the sessions well."
    assert any("tolerate the sessions well" in q for q in _quotes(text)), list(_quotes(text))


@pytest.mark.parametrize("text, quote", [
    # psychedelicsci_kap_anxiety, integratedketamine_anxiety (holdout13): what a condition does to a life, said of it
    ("Disorders such as panic disorder can seriously affect daily life and relationships.",
     "panic disorder can seriously affect daily life and relationships"),
    ("Untreated PTSD often causes distress, leading to severe impairment in work functioning.",
     "leading to severe impairment in work functioning"),
])
def test_what_a_condition_does_to_a_life_is_listed_unchecked(text, quote):
    c = next((c for q, c in _quotes(text).items() if quote in q), None)
    assert c is not None, list(_quotes(text))
    reads_well(c, r"fact about the condition", _CODES)


def test_a_price_or_a_side_effect_impacting_daily_life_is_not_a_condition_fact():
    # the sentence must be about a condition: a budget's impact is not one (made up)
    assert not [c for c in md_claims("The cost can affect your daily life and budget.")
                if "daily life" in c["quote"]]


@pytest.mark.parametrize("text, claimed", [
    # annatarnoff_depression_ketamine (holdout7): a share written with a Unicode vulgar fraction is the fraction in
    # words ("a third"): listed with its value, like "two-thirds of people"
    ("Roughly ⅓ of people in such trials feel no benefit.", 100 / 3),
    ("Over ⅔ of patients responded to the first course.", 200 / 3),
    ("About ¼ of participants dropped out.", 25.0),
])
def test_a_unicode_fraction_is_a_share(text, claimed):
    hits = [c for c in md_claims(text) if c["claimed_unit"] == "%" and c["claimed_value"] is not None]
    assert hits, [(c["quote"], c["claimed"]) for c in md_claims(text)]
    assert abs(hits[0]["claimed_value"] - claimed) < 0.01
    # no study named: listed, not checked
    assert hits[0]["holds"] is None


def test_a_unicode_fraction_that_is_not_a_share_stays_unlisted():
    # "⅓ cup" is a measure, not a share of people (made up)
    assert not [c for c in md_claims("Mix ⅓ cup of water with the juice.") if c["claimed_unit"] == "%"]
