"""Word claims of session 11 (words11, issue 15): classes read from the misses of dev … holdout12 under
leave-one-split-out, written as general rules and measured on holdout13 before its own misses were read
(benchmarks/README.md). Every sentence here is made up; the page that showed the class is named in the comment.
"""
from __future__ import annotations

from check_support import md_claims, reads_well   # tests/check_support.py


#: the detector names this file's reasons must never show
_CODES = "list-entry|onset-said|mechanism-said"


def _quotes(text: str) -> dict[str, dict]:
    return {c["quote"]: c for c in md_claims(text)}


def test_short_lines_without_commas_under_a_side_effect_lead_in_are_entries():
    # thecontrolcenter_ketamine (holdout12): thirteen effects on lines of their own, none with a comma; the comma rule
    # of session 10 ended the list at its first entry. Made-up copy of the same shape.
    text = ("Possible side effects of misuse:\n\n"
            "Pain when passing urine\n\n"
            "Ringing in the ears\n\n"
            "Slurred speech or confusion\n\n"
            "Dosage for Adults\n")
    quotes = _quotes(text)
    for q in ("Pain when passing urine", "Ringing in the ears", "Slurred speech or confusion"):
        assert q in quotes, list(quotes)
        reads_well(quotes[q], r"entry of the list under", _CODES)
    # a title after the list capitalizes a word after its first: not an entry
    assert "Dosage for Adults" not in quotes


def test_short_lines_under_a_lead_in_that_names_no_risk_stay_unlisted():
    # the lead-in decides: a list of what to bring is not a list of claims (made up)
    text = ("Things to bring on the day:\n\n"
            "A warm blanket\n\n"
            "Something to read\n")
    quotes = _quotes(text)
    assert "A warm blanket" not in quotes and "Something to read" not in quotes


import pytest   # noqa: E402  (the onset tests below are parametrized)


@pytest.mark.parametrize("text, word", [
    # corecover_esketamine_faq (holdout7), texasholisticpsychiatry_spravato (holdout6),
    # revitalizinginfusions_side_effects and wrongplanet_forum_ketamine (holdout4), clevelandclinic_ketamine_therapy
    # (holdout11): how fast it works, asserted in words. Made-up copy of each shape.
    ("For most people the medication takes effect quickly.", "takes effect"),
    ("This treatment can deliver almost immediate benefits for many people.", "immediate"),
    ("The therapy is famous for its fast-acting mood effects.", "fast-acting"),
    ("Several patients notice a very rapid lift in their mood after treatment.", "rapid"),
    ("It may rapidly ease low mood.", "rapidly ease"),
])
def test_an_onset_word_asserted_of_the_treatment_is_listed(text, word):
    hits = [c for c in md_claims(text) if c["claim_type"] == "onset" and word in c["quote"]]
    assert hits, [(c["claim_type"], c["quote"]) for c in md_claims(text)]
    # no study named: listed, not checked (no verdict from a weak link)
    assert hits[0]["holds"] is None


def test_an_onset_word_alone_or_asked_stays_unlisted():
    # a topic word without a verb that asserts it, and a question, are not claims (made up)
    assert not [c for c in md_claims("Rapid relief for a busy life") if c["claim_type"] == "onset"]
    assert not [c for c in md_claims("We are often asked whether it works quickly.") if c["claim_type"] == "onset"]


@pytest.mark.parametrize("text, quote, words", [
    # kairprogram_kap_side_effects, elevatepsychiatry_what_is_ketamine_esketamine (holdout12): the receptor class said
    # with another verb than "is"; enthea_is_ketamine_therapy_safe (holdout8): plasticity as what it promotes
    ("The medicine works as an NMDA-antagonist.", "works as an NMDA-antagonist", r"acts in the brain"),
    ("Its structure makes it an NMDA receptor antagonist.", "makes it an NMDA receptor antagonist", r"acts in the brain"),
    ("Ketamine may lift mood by promoting neuroplasticity.", "promoting neuroplasticity", r"acts in the brain"),
    # brickpsych_spravato, ketaminelife_ketamine_anxiety (holdout11), serenityinfuse_faq,
    # epocrates_esketamine_monotherapy (holdout6): harmless, manageable, no safety signals (made up)
    ("The nasal spray is entirely painless.", "is entirely painless", r"states a risk in words"),
    ("Most of these side effects are easily handled.", "are easily handled", r"states a risk in words"),
    ("No new safety signals emerged with longer use of the spray.", "No new safety signals", r"states a risk in words"),
])
def test_mechanism_and_safety_said_in_other_words(text, quote, words):
    quotes = _quotes(text)
    hit = next((c for q, c in quotes.items() if quote.lower() in q.lower() or q.lower() in quote.lower()), None)
    assert hit is not None, list(quotes)
    reads_well(hit, words, _CODES + "|risk-said")


def test_a_safety_word_without_an_assertion_of_the_treatment_stays_out():
    # "harmless" said of something else than the treatment or its effects is no claim (made up)
    assert not [c for c in md_claims("The waiting room is harmless fun for children.") if c["claim_type"] == "safety"]


@pytest.mark.parametrize("text, quote", [
    # uhhospitals_ketamine_depression (holdout12), klarisana_ketamine_ptsd_depression (holdout6): one route asserted as
    # how the drug is given is a dose-and-route claim (made up)
    ("The medicine is given by an intravenous drip over an hour.", "intravenous"),
    ("Our ketamine care is an IM (intramuscular) treatment.", "IM"),
])
def test_one_route_asserted_as_how_the_drug_is_given_is_listed(text, quote):
    hits = [c for c in md_claims(text) if c["claim_type"] == "dose_route" and quote in c["quote"]]
    assert hits, [(c["claim_type"], c["quote"]) for c in md_claims(text)]
    assert hits[0]["holds"] is None     # no study named: no verdict


def test_one_route_word_in_a_procedure_stays_unlisted():
    # "an IV will be placed" describes the visit, not how the drug is given (sift._route_lists; made up)
    assert not [c for c in md_claims("After you sit down, a nurse will place an IV line in your hand.")
                if c["claim_type"] == "dose_route"]


def test_researchers_named_by_their_institution_are_an_attribution():
    # vice_ketamine_social_anxiety (holdout4), ptsdorg_feder2021_infusions (holdout3): made-up copy of the shape
    c = next((c for c in md_claims("Psychiatrists at the Royal Hobart Hospital and Monash University report the "
                                   "change.") if c["claim_type"] == "attribution"), None)
    assert c is not None and "Royal Hobart Hospital" in c["quote"]
    reads_well(c, r"names who found it", _CODES + "|source-said")


def test_how_common_a_condition_is_said_in_words_is_a_prevalence_claim():
    # ketaminelife_ketamine_anxiety (holdout11), aahpo_spravato_monotherapy (holdout9): made-up copy of the shape
    c = next((c for c in md_claims("Generalized anxiety disorder is fairly common among older adults.")
              if c["claim_type"] == "prevalence"), None)
    assert c is not None and c["holds"] is None
    reads_well(c, r"how common the condition is", _CODES + "|condition-common")


def test_the_labels_wording_of_the_indication_leads_a_list_of_claims():
    # kcpsych_spravato_patient_faq (holdout11): the label's "used along with … to treat:" (made up, same shape)
    text = ("The spray is a prescription medicine, used along with a daily antidepressant to treat:\n\n"
            "- Adults whose depression did not lift after two medicines\n")
    assert "Adults whose depression did not lift after two medicines" in _quotes(text)


def test_a_clinics_bare_used_to_treat_list_stays_unlisted():
    # session 10 measured a clinic's "used to treat:" list as mostly outside any label (made up)
    text = "Our clinic's infusions are used to treat:\n\n- Long-standing sadness\n"
    assert "Long-standing sadness" not in _quotes(text)


@pytest.mark.parametrize("text, quote", [
    # gaketamineinfusion_faq (holdout10), manarecovery_ketamine_depression (holdout9), marilynboyle_history_of_ketamine
    # (holdout5): the drug's use outside medicine (made up)
    ("By the late 1990s the drug had earned a reputation as a club drug.", "reputation as a club drug"),
    ("It is often taken for its dissociative effects, earning street names such as Vitamin K.",
     "street names such as Vitamin K"),
])
def test_street_use_said_in_words_is_a_claim(text, quote):
    c = next((c for c in md_claims(text) if quote in c["quote"]), None)
    assert c is not None, [c["quote"] for c in md_claims(text)]
    reads_well(c, r"used outside medicine", _CODES + "|street-use")


def test_a_club_or_party_that_is_no_drug_use_stays_out():
    # made up: a book club and a party are not the drug's street use
    assert not [c for c in md_claims("Our book club meets at the clinic, and the staff party is in June.")
                if "club" in c["quote"] or "party" in c["quote"]]


@pytest.mark.parametrize("text, quote", [
    # sbs_ketamine_trial_australia_nz (holdout9), mountsinai_weekly_ketamine_infusions (holdout11): where a study was
    # run (made up)
    ("The new trial was conducted in Chile and Peru over two winters.", "conducted in Chile and Peru"),
    ("Everyone was treated at a single research hospital in the city.", "at a single research hospital"),
])
def test_where_a_study_was_run_is_a_design_claim(text, quote):
    c = next((c for c in md_claims(text) if quote in c["quote"]), None)
    assert c is not None, [c["quote"] for c in md_claims(text)]
    reads_well(c, r"where a study was run", _CODES + "|study-setting")


def test_memory_gaps_said_to_be_caused_are_a_safety_statement():
    # pledgetimes_ketamine_vs_ect (holdout7): made-up copy of the shape
    c = next((c for c in md_claims("Rarely, the treatment can cause lasting memory lapses.")
              if c["claim_type"] == "safety"), None)
    assert c is not None and "memory lapses" in c["quote"] and c["holds"] is None
