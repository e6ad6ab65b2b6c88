"""Session 6, detection on copy never seen (issue 15): the classes of missed claims fixed this session.

Every sentence here is our own copy, written for these tests (none is corpus text); the spans and kinds asserted are
what the shipped classifier (``claimclf_model.json``) and the rules give, measured when the test was written.
"""
from __future__ import annotations

from evidence.check import check
from evidence.check.claimclf import own_clauses


def _items(text: str) -> list[tuple[str, str, str, bool]]:
    return [(c["detector"], c["quote"], c["claim_type"], bool(c["checkable"])) for c in check(text).claims]


# ------------------------------------------------------------------ class 1: a clause no detector reads

def test_a_clause_beside_a_detected_one_is_listed_on_its_own():
    # the approval detector reads the first clause; the safety statement after ", and" used to vanish with the
    # suppressed whole-sentence back-up
    text = "Esketamine was approved by the FDA in 2019, and it has a well-documented safety record in clinical use."
    items = _items(text)
    assert ("sentence-claim", "it has a well-documented safety record in clinical use", "safety", False) in items
    assert any(d == "approval" and q == "was approved" for d, q, _, _ in items)
    # the clause the detector read gets no second item
    assert not any(d == "sentence-claim" and "approved" in q for d, q, _, _ in items)


def test_a_sentence_of_one_clause_has_no_clauses_of_its_own():
    assert own_clauses("Ketamine was approved by the FDA as an anesthetic in 1970.") == []


def test_short_clauses_and_clauses_without_a_verb_or_figure_are_not_claims():
    # "and animals" (two words) and "In 1970" name things; only the clause that states something is kept
    text = "Ketamine has been used around the world in humans, and animals."
    spans = own_clauses(text)
    assert all(len(text[a:b].split()) >= 4 for a, b in spans)
    assert "and animals" not in [text[a:b] for a, b in spans]


def test_clause_spans_are_offset_into_the_text():
    text = "Esketamine was approved by the FDA in 2019, and it has a well-documented safety record in clinical use."
    spans = own_clauses(text, offset=100)
    assert (100 + text.index("it has"), 100 + len(text) - 1) in spans
