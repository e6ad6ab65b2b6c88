"""Word statements of session 9 (issue 15; evidence.check.wordstatements): classes of claims that every new site of
the corpus states in words the older detectors did not read: mechanism statements, what a drug is and what it is
used for, risks without a safety-lexicon word, a clinic's instructions, and list entries under a lead-in that makes
them claims. Each is listed "not checkable here" with its reason in plain words. The sentences are from the
corpus's training split (page id in the comment) unless marked as made up.
"""
from __future__ import annotations

import re

import pytest

from check_support import md_claims, overlapping, reads_well   # tests/check_support.py


_claims, _find = md_claims, overlapping


#: the detector names this file's reasons must never show
_CODES = "mechanism-said|brain-chemistry|drug-identity|drug-use|risk-said|instruction|list-entry"


def _reads_well(c: dict, words: str) -> None:
    reads_well(c, words, _CODES)


@pytest.mark.parametrize("text, quote", [
    # mbldnpsych_spravato (holdout9)
    ("Spravato works primarily through glutamate.", "Spravato works primarily through glutamate"),
    # motifri_ketamine_interview (holdout9)
    ("It’s working on the glutamate system and targeting the NMDA receptor.", "working on the glutamate system"),
    # motifri_ketamine_interview (holdout9)
    ("From a neurobiology standpoint, it causes an increase in BDNF.", "it causes an increase in BDNF"),
    # manarecovery_ketamine_depression (holdout9)
    ("By interacting with NMDA receptors, ketamine helps stimulate the growth of new neural connections.",
     "ketamine helps stimulate the growth of new neural connections"),
    # betteru_ketamine_depression_anxiety (holdout9)
    ("This interaction can help promote neuroplasticity—your brain's natural ability to form new connections.",
     "This interaction can help promote neuroplasticity"),
])
def test_a_mechanism_statement_is_listed_with_its_reason(text, quote):
    _reads_well(_find(text, quote), r"how the drug acts in the brain")


@pytest.mark.parametrize("text, quote", [
    # mbldnpsych_spravato (holdout9)
    ("Glutamate is one of your brain’s most important chemical messengers.", "chemical messengers"),
    # addictiontreatmentforyou_ketamine_therapy (holdout9)
    ("Ketamine blocks NMDA receptors. These receptors play a role in nerve signal transmission and are critical to "
     "pain perception and memory.", "These receptors play a role in nerve signal transmission"),
])
def test_what_a_brain_chemical_does_is_background_physiology(text, quote):
    _reads_well(_find(text, quote), r"background physiology")


@pytest.mark.parametrize("text, quote, words", [
    # arktimes_ketamine_uses_risks (holdout9)
    ("Chemically, ketamine is a phencyclidine (PCP) derivative.", "phencyclidine (PCP) derivative",
     r"what kind of compound"),
    # nakedmed_ketamine_nasal_spray (holdout5)
    ("Ketamine is a sister compound of phencyclidine, PCP.", "sister compound of phencyclidine", r"what kind of compound"),
    # josephrosadomd_ketamine_side_effects (holdout9)
    ("Ketamine is a unique medication with two primary medical uses: anesthesia and mental health treatment.",
     "two primary medical uses", r"used or explored for"),
    # josephrosadomd_ketamine_side_effects (holdout9)
    ("Originally an anesthetic, it is now widely used to treat depression, anxiety, PTSD, and chronic pain.",
     "is now widely used to treat depression", r"used or explored for"),
    # addictiontreatmentforyou_ketamine_therapy (holdout9)
    ("In sub-anesthetic doses, ketamine can provide relief for chronic pain conditions.",
     "can provide relief for chronic pain", r"used or explored for"),
])
def test_what_a_drug_is_and_is_used_for_is_listed(text, quote, words):
    _reads_well(_find(text, quote), words)


def test_a_use_said_of_another_treatment_is_not_a_drug_use_claim():
    """made up after ketaminehealthcenters_depression: "ECT has been used to treat …" says nothing of ketamine."""
    assert not any(re.search(r"used or explored for", c["reason"] or "")
                   for c in _claims("ECT has been used to treat treatment resistant depression for decades."))


# (a risk of abuse or dependence, "can be abused", "may be habit-forming", is settled or abstains by the label's
# section 9 since session 10: labelrules.abuse_risk_claim, tests/test_check_settle10.py)
@pytest.mark.parametrize("text, quote", [
    # manarecovery_ketamine_depression (holdout9)
    ("At high doses, ketamine can cause users to feel detached from reality.", "feel detached from reality"),
    # motifri_ketamine_interview (holdout9)
    ("Unapproved or unmonitored recreational use can be lethal.", "can be lethal"),
    # medicinenet_spravato_side_effects (holdout6)
    ("Spravato is present in breastmilk.", "present in breastmilk"),
])
def test_a_risk_said_without_a_safety_word_is_listed(text, quote):
    _reads_well(_find(text, quote), r"states a risk in words")


@pytest.mark.parametrize("text, quote", [
    # dartmouth_esketamine_trd (holdout9)
    ("You will need a driver to take you home after treatment.", "You will need a driver to take you home"),
    # bionuu_infusion_faq (holdout9)
    ("You should NOT stop your medications.", "You should NOT stop your medications"),
    # chicagolandketamine_depression_faqs (holdout9)
    ("We ask that patients avoid eating solid foods, soup, or pulpy juices six hours prior to their appointment.",
     "avoid eating solid foods"),
])
def test_a_clinics_instruction_is_not_checkable_here(text, quote):
    _reads_well(_find(text, quote), r"what this clinic does or asks")


def test_what_you_need_to_know_is_not_an_instruction():
    """enthea_is_ketamine_therapy_safe: the page introducing itself."""
    assert not any(re.search(r"clinic does or asks", c["reason"] or "")
                   for c in _claims("Here is what you need to know before considering treatment with ketamine."))


# dartmouth_esketamine_trd (holdout9), shortened
LIST = """Esketamine has higher risks if you have any of the following conditions, but may still be an option with careful medical evaluation:

  • Bladder inflammation
  • Heart disease
  • Liver disease
  • Psychosis

What is the treatment schedule?
"""


def test_list_entries_under_a_risk_lead_in_are_claims_read_with_it():
    got = {c["quote"]: c for c in _claims(LIST)}
    for entry in ("Bladder inflammation", "Heart disease", "Liver disease", "Psychosis"):
        assert entry in got, sorted(got)
        _reads_well(got[entry], r"list under “Esketamine has higher risks if you have any of the following")


def test_list_entries_under_another_lead_in_are_not_claims():
    """made up: a list of what to bring names no risk."""
    text = "What to bring to your appointment:\n\n  • Liver disease records\n  • A book\n"
    assert not any(c["quote"] in ("Liver disease records", "A book") for c in _claims(text))


@pytest.mark.parametrize("text, quote", [
    # hudson_ketamine_addictive (holdout8)
    ("Ketamine is an anesthetic. It blocks a receptor called NMDA, which increases the release of another chemical "
     "called glutamate.", "which increases the release of another chemical called glutamate"),
    # anabellabergamasco_kap_info (holdout7)
    ("It has also been shown to enhance overall neuroplasticity for lasting symptom improvement.",
     "been shown to enhance overall neuroplasticity"),
    # nakedmed_ketamine_nasal_spray (holdout5): the relative clause is quoted with the clause it describes
    ("Ketamine is a N-methyl-d-aspartate (NMDA) blocker in the brain which interacts with the neurotransmitter "
     "glutamate.", "Ketamine is a N-methyl-d-aspartate (NMDA) blocker in the brain which interacts"),
])
def test_a_mechanism_in_a_relative_clause_or_an_infinitive_is_listed(text, quote):
    _reads_well(_find(text, quote), r"how the drug acts in the brain")


@pytest.mark.parametrize("text, quote, words", [
    # texasholisticpsychiatry_spravato (holdout6)
    ("During treatment, you may feel dizzy, euphoric, or intoxicated.", "may feel dizzy, euphoric, or intoxicated",
     r"states a risk in words"),
    # texasholisticpsychiatry_spravato (holdout6)
    ("You can't do anything hazardous for the rest of your day, so you'll need someone to drive you home after "
     "treatment.", "you'll need someone to drive you home", r"what this clinic does or asks"),
    # imhclinic_esketamine_treatment (holdout7)
    ("After treatment, you are not allowed to drive or operate machinery until the next day.",
     "you are not allowed to drive or operate machinery", r"what this clinic does or asks"),
])
def test_a_feeling_said_as_a_risk_and_an_instruction_with_a_contraction_are_listed(text, quote, words):
    _reads_well(_find(text, quote), words)


# snbcare_esketamine_faqs (holdout7), shortened: a list entry that ends with "the following" leads a nested list
NESTED = """Esketamine is used with an oral antidepressant.

  • The risks involved with Esketamine therapy coincide with your medical history. Those who have a history of the following are not recommended for Esketamine Therapy.
    • Stroke/Intracerebral Haemorrhage
    • History of allergic reactions or anaphylaxis to Esketamine or Ketamine
"""


def test_a_nested_list_is_read_with_the_entry_that_leads_it():
    got = {c["quote"]: c for c in _claims(NESTED)}
    assert "Stroke/Intracerebral Haemorrhage" in got, sorted(got)
    _reads_well(got["Stroke/Intracerebral Haemorrhage"], r"list under “Those who have a history of the following")


@pytest.mark.parametrize("text, quote", [
    # session 10 (wordstatements.RX_MECHANISM_MORE): a verb of change with no drug subject before it
    # gaketamineinfusion_faq (holdout10)
    ("Ketamine is able to promote healing of damaged cells of the brain, resulting in repair of neurons.",
     "promote healing of damaged cells of the brain"),
    # nakedmed_ketamine_nasal_spray (holdout5)
    ("As an analgesic, it relieves pain by interfering with pain transmission to the spinal cord.",
     "interfering with pain transmission"),
    # cervellowellness_esketamine (holdout8)
    ("It is a type of anesthesia that works by affecting certain chemicals in the brain.",
     "works by affecting certain chemicals in the brain"),
    # obsessiveanxiety_rodriguez_ocd (holdout4)
    ("Ketamine, however, doesn’t affect serotonin levels.", "doesn’t affect serotonin levels"),
    # wholesomepsychiatry_spravato_monotherapy (holdout8)
    ("Traditional oral antidepressants target serotonin, norepinephrine, and dopamine systems.",
     "target serotonin, norepinephrine, and dopamine systems"),
    # thepsychologyretreat_esketamine_monotherapy (holdout5)
    ("It’s a non-selective, non-competitive antagonist of the N-methyl-D-aspartate receptor.",
     "antagonist of the N-methyl-D-aspartate receptor"),
])
def test_a_mechanism_said_with_a_verb_of_change_is_listed(text, quote):
    _reads_well(_find(text, quote), r"how the drug acts in the brain")
