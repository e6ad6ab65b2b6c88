"""Session 7, detection on copy never seen (issue 15): the classes of missed claims fixed this session.

Every sentence here is our own copy, written for these tests (none is corpus text); the spans and kinds asserted are
what the shipped classifier (``claimclf_model.json``) and the rules give, measured when the test was written.
"""
from __future__ import annotations

from evidence.check import check


def _claims(text: str) -> list[tuple[str, str, int]]:
    return [(c["detector"], c["quote"], c["start"]) for c in check(text).claims]


def _non(text: str) -> list[tuple[str, str, int]]:
    return [(n["reason_code"], n["quote"], n["start"]) for n in check(text).non_claims]


# ------------------------------------------------------------------ class 1: a headline that states an approval

HEADLINE = "FDA Approves Esketamine Spray as Standalone Treatment for Severe Depression"


def test_a_headline_that_states_an_approval_is_a_claim():
    # the regulator and its decision are in the headline: it asserts what the article reports
    text = HEADLINE + "\n\nThe spray is given in a clinic."
    assert ("approval", "FDA Approves", 0) in _claims(text)
    # the passive headline too, and "endorsed by" is an approval verb
    assert any(d == "approval" for d, _, _ in _claims("Esketamine Spray Approved by FDA for Severe Depression\n\nIt "
                                                      "is given in a clinic."))
    assert ("approval", "Endorsed", 17) in _claims("Esketamine Spray Endorsed by FDA\n\nThe spray is given in a clinic.")


def test_a_headline_without_the_regulators_verb_stays_a_title():
    # "… Receives FDA Approval" names the topic; the body's sentence carries the claim (session 3's rule)
    text = "New Nasal Spray to Treat Depression Receives FDA Approval\n\nIt is given in a clinic."
    assert ("title_run", "FDA Approval", 45) in _non(text)
    assert not any(d == "approval" for d, _, _ in _claims(text))


def test_a_headline_printed_twice_is_one_claim():
    # page title, byline, then the article's own heading: the claim is listed once, at the first copy
    text = HEADLINE + "\n\nBy Jo Writer\n\n" + HEADLINE + "\n\nThe spray is given in a clinic."
    second = text.index(HEADLINE, 1)
    assert ("approval", "FDA Approves", 0) in _claims(text)
    assert ("repeated", "FDA Approves", second) in _non(text)
    assert [s for d, _, s in _claims(text) if d == "approval"] == [0]


def test_a_heading_cut_short_gives_way_to_the_full_heading():
    # a truncated page title above the full heading ("The FDA Approves …"): the full heading carries the claim
    text = "FDA Approves Standalone Esketamine\n\nThe FDA Approves Standalone Esketamine for Severe Depression\n\n" \
           "The spray is given in a clinic."
    full = text.index("The FDA")
    assert ("approval", "FDA Approves", full + 4) in _claims(text)
    assert ("repeated", "FDA Approves", 0) in _non(text)


# ------------------------------------------------------------------ class 2: the drug described in apposition

def test_a_phrase_in_apposition_describes_the_drug_and_is_not_a_claim():
    text = "Researchers knew that ketamine, an anesthetic, blocks a receptor in the brain."
    assert ("appositive", "an anesthetic", 32) in _non(text)
    assert not any(q == "an anesthetic" for _, q, _ in _claims(text))
    # the same words as the sentence's predicate are its claim (with a span of time: a bare "is used as an
    # anesthetic in surgery" is background by the corpus's labelling rule 1, test_check_precision_s9.py)
    assert ("anesthetic", "long been used as an anesthetic", 13) in _claims(
        "Ketamine has long been used as an anesthetic in surgery.")


def test_the_sentence_around_a_phrase_in_apposition_is_still_read():
    # the appositive used to make the classifier's back-up give the whole sentence up ("the rules read it already")
    text = "Esketamine is a nasal medicine derived from ketamine, an old anesthetic."
    # since session 9 a rule reads what the drug is derived from (evidence.check.wordstatements, "drug-identity"),
    # so the sentence is read by that rule rather than by the classifier's back-up; either way it is not given up
    got = _claims(text)
    assert ("sentence-claim", text, 0) in got or ("drug-identity", "derived from ketamine", 31) in got


# ------------------------------------------------------------------ class 3: a clause holding the source of a claim

def test_a_clause_naming_an_organisation_beside_a_checked_claim_is_listed():
    # "World Health Organization" is set aside as the source of the approval beside it; the clause that says what
    # the organisation did is a claim of its own and is listed, "not checkable here"
    text = ("Spravato was approved by the FDA in 2019 for depression, and it is featured on the World Health "
            "Organization list of essential medicines.")
    clause = "it is featured on the World Health Organization list of essential medicines"
    assert ("sentence-claim", clause, text.index(clause)) in _claims(text)
    assert any(d == "approval" for d, _, _ in _claims(text))
