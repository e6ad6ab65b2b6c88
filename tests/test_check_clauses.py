"""A sentence's clauses by its structure (src/evidence/check/clauses.py, issue 15 detection).

Every sentence here is our own copy, written for these tests (none is corpus text). What is asserted is where a clause
begins by the rules of the module (a subordinator, a coordinator between two predicates, a participle or reporting verb
after a comma, a semicolon or dash) and where it does not (a list, an apposition, an opening phrase).
"""
from __future__ import annotations

from evidence.check.claimclf import candidate_clauses, own_clauses
from evidence.check.clauses import clauses, has_predicate, opens_clause


def _parts(text: str) -> list[str]:
    return [text[a:b] for a, b in clauses(text)]


def test_a_coordinator_between_two_predicates_starts_a_clause_without_a_comma():
    assert _parts("Esketamine was approved by the FDA in 2019 and has a boxed warning about sedation.") == [
        "Esketamine was approved by the FDA in 2019", "and has a boxed warning about sedation"]


def test_a_list_joined_by_and_stays_one_clause():
    text = "Common side effects include nausea, dizziness, headache, and increased blood pressure."
    assert _parts(text) == [text.rstrip(".")]


def test_an_apposition_and_an_opening_phrase_stay_inside_their_clause():
    text = "In March, the agency cleared Spravato, a nasal spray made by Janssen, for adults with depression."
    assert _parts(text) == [text.rstrip(".")]


def test_subordinators_participles_and_reporting_verbs_start_clauses():
    assert _parts("Ketamine is often preferred in the field because it does not depress breathing.") == [
        "Ketamine is often preferred in the field", "because it does not depress breathing"]
    assert _parts("The agency approved the spray for depression, making it the first drug of its kind.") == [
        "The agency approved the spray for depression", "making it the first drug of its kind"]
    assert _parts("Relief came within hours, says the lead author of the trial.") == [
        "Relief came within hours", "says the lead author of the trial"]
    assert _parts("Patients reported nausea, which usually passed within two hours.") == [
        "Patients reported nausea", "which usually passed within two hours"]


def test_a_relative_pronoun_without_a_comma_restricts_its_noun():
    text = "Adults who did not respond to two antidepressants were enrolled."
    assert _parts(text) == [text.rstrip(".")]


def test_semicolons_colons_and_dashes_always_separate_clauses():
    assert _parts("The trial was small; only 12 adults took part.") == ["The trial was small", "only 12 adults took part"]
    assert _parts("Onset: relief within a day.") == ["Onset", "relief within a day"]
    assert _parts("It was fast — most felt better by the next morning.") == [
        "It was fast", "most felt better by the next morning"]
    # a time is not a colon between clauses
    assert _parts("The infusion starts at 10:30 and lasts forty minutes.") == [
        "The infusion starts at 10:30 and lasts forty minutes"]


def test_spans_are_offset_and_trimmed():
    text = "Esketamine was approved in 2019, and it carries a boxed warning."
    spans = clauses(text, offset=50)
    assert [text[a - 50:b - 50] for a, b in spans] == ["Esketamine was approved in 2019",
                                                        "and it carries a boxed warning"]


def test_predicates_and_openers():
    assert has_predicate("it carries a boxed warning") and has_predicate("has a boxed warning")
    assert not has_predicate("nausea, dizziness and increased blood pressure")
    assert opens_clause("announced by the manufacturer in January") and opens_clause("which passed quickly")
    assert not opens_clause("the manufacturer announced it")


def test_candidate_clauses_are_the_clauses_that_could_state_something():
    # a sentence of one clause has none; "and animals" is too short to state anything
    assert candidate_clauses("Ketamine was approved by the FDA as an anesthetic in 1970.") == []
    text = "Ketamine was approved as an anesthetic in 1970 and has a long record of safe use in surgery."
    assert [text[a:b] for a, b in candidate_clauses(text)] == ["Ketamine was approved as an anesthetic in 1970",
                                                               "and has a long record of safe use in surgery"]


def test_the_clause_a_detector_misses_is_read_on_its_own():
    # the shipped model, fitted on clauses too, reads the safety clause after the approval as a claim of its own
    text = "Ketamine was approved as an anesthetic in 1970 and has a long record of safe use in surgery."
    assert "has a long record of safe use in surgery" in [text[a:b] for a, b in own_clauses(text)]
