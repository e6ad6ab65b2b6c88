"""Word-claim classes of session 12 (words13; issue 15, detection on unseen copy), read from the misses of dev …
holdout14 and then measured on holdout15 and holdout16 before their misses were read (benchmarks/README.md, "Word
claims, session 12"). Every sentence here is our own copy, written for the class; what is asserted is the class.
"""
from __future__ import annotations

from evidence.check import check
from evidence.check.sift import REASON_PART, _parts_of_unbacked
from evidence.check.units import uncovered


def _claims(text: str) -> list[tuple[str, str]]:
    return [(c.get("detector"), c["quote"]) for c in check(text).claims]


def _non_claims(text: str) -> list[tuple[str, str]]:
    return [(n.get("reason_code"), n["quote"]) for n in check(text).non_claims]


def _span(text: str, part: str) -> tuple[int, int]:
    i = text.index(part)
    return i, i + len(part)


def _free(text: str, item: str) -> list[str]:
    return [text[a:b] for a, b in uncovered(text, 0, len(text), [_span(text, item)])]


# --------------------------------------------------------------- the words beside an item inside one phrase

def test_the_predicate_before_an_item_joined_by_and_is_a_remainder():
    # reason: "… as older medicines and [acts differently in the brain]": a detector lists the second predicate; the
    # first is a claim of its own (a safety comparison) that stood in the same phrase, so nothing listed it
    text = "Ketamine does not cause the same long-term problems as older medicines and acts quite differently in the brain"
    assert _free(text, "acts quite differently in the brain") == [
        "Ketamine does not cause the same long-term problems as older medicines"]


def test_the_predicate_after_an_item_that_is_its_subject_is_a_remainder():
    # reason: the item ("nasal spray", a route) is the subject; what follows it is what the sentence says of it
    text = "Esketamine nasal spray is given only in a certified clinic under supervision"
    assert _free(text, "nasal spray") == ["is given only in a certified clinic under supervision"]


def test_the_words_an_item_completes_are_no_remainder():
    # reason: the item is the verb's argument ("lasts between [40 and 60 minutes]"): the words before it state
    # nothing alone, and cutting there listed fragments ("A typical session lasts between")
    text = "A typical session lasts between 40 and 60 minutes"
    assert _free(text, "40 and 60 minutes") == []


def test_a_sentence_below_the_classifier_threshold_still_has_its_parts_read():
    # reason: a sentence a detector lists part of is a claim sentence whatever its score; its other clause is scored on
    # its own (here the clause on the drug's safety record), listed not checkable, with none of the figure's fields
    sentence = "The trial enrolled 40 adults, and ketamine has a long and excellent safety record in anaesthesia."
    item = {"sentence_start": 0, "sentence": sentence, "start": 19, "end": 28, "quote": "40 adults",
            "detector": "count", "checkable": True, "claimed_value": 40.0, "claimed_unit": "people",
            "verdict": "accurate", "holds": True, "claim_type": "sample_size"}
    parts = _parts_of_unbacked([item], {0: [(19, 28)]}, [], [])
    assert [p["quote"] for p in parts] == ["ketamine has a long and excellent safety record in anaesthesia"]
    part = parts[0]
    assert (part["checkable"], part["holds"], part["reason"], part["claimed_value"]) == (False, None, REASON_PART, None)


# --------------------------------------------------------------- set-aside rules that hid claims

def test_a_ranking_beside_its_figure_is_a_claim_of_its_own():
    # reason: "the most common anxiety disorder" ranks the condition among others, which its share does not state
    # (the corpus labels the ranking apart from the figure); both are listed, the figure still checked
    found = _claims("Generalized anxiety disorder is the most common anxiety disorder seen in primary care, "
                    "affecting 6% of adults.")
    assert ("most-common", "is the most common anxiety disorder seen in primary") in found
    assert ("pct", "6% of adults") in found


def test_a_clinician_speaking_of_their_own_patients_is_no_story():
    # reason: a clinician's experience said as a fact is a claim (`unknown` by the labelling rules), while the
    # writer's own story stays set aside
    assert any(q.startswith("I have seen my own patients recover") for _, q in
               _claims("I have seen my own patients recover after a course of esketamine treatment."))
    assert ("first_person", "third infusion") in _non_claims("My depression lifted after my third infusion.")


def test_a_panel_vote_said_in_the_first_person_is_a_claim():
    # reason: an advisory committee's vote is a regulatory fact, whoever reports it
    text = "As a member of the advisory committee, I voted with the majority of the panel, 11 to 3."
    assert not any(code == "first_person" for code, _ in _non_claims(text))
    assert _claims(text)


def test_an_approval_said_of_off_label_use_or_by_a_list_entry_is_a_regulatory_claim():
    # reason: off-label use is what an approval does not cover (a regulatory statement though no drug is named), and a
    # list entry without a subject says it of the page's drug; an approval of nothing in particular stays set aside
    assert ("approval", "Off-label") in _claims("Off-label prescribing of approved medicines is legal and widespread.")
    assert ("approval", "Not approved for use in children") in _claims(
        "Spravato nasal spray:\n- Not approved for use in children.\n")
    assert ("no_drug", "are not FDA-approved") in _non_claims(
        "Insurers seldom pay for therapies that are not FDA-approved.")


# --------------------------------------------------------------- lists that lost their entries

def test_an_unbulleted_line_between_bulleted_entries_is_an_entry_and_the_list_goes_on():
    # reason: a bullet lost in copying made the line the lead-in of a new list, and every entry after it was lost
    found = _claims("Who benefits from esketamine?\n\n- Treatment-resistant depression\n\nPostpartum depression\n\n"
                    "- Major depression with suicidal thoughts\n")
    assert ("list-entry", "Postpartum depression") in found
    assert ("list-entry", "Major depression with suicidal thoughts") in found


def test_a_long_entry_in_lower_case_continues_its_list():
    # reason: a line that begins in lower case is no title and no new sentence: under a colon lead-in it is an entry
    # however long, and the entries after it stay in the list
    found = _claims("Possible adverse effects include:\nchanges in how sounds and colours are perceived during and just "
                    "after the session\nheavy limbs\n")
    assert ("list-entry", "changes in how sounds and colours are perceived during and just after the session") in found
    assert ("list-entry", "heavy limbs") in found
