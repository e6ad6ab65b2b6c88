"""Lists said without bullets (session 10, issue 15; evidence.check.wordlists and wordstatements.entry_line): a list of
side effects inside a sentence after its lead-in, the drugs a medicine may interact with (one claim per drug or class),
and list entries on lines of their own whose bullets were lost. Each is listed "not checkable here" with its reason in
words. The sentences are from the corpus's training split (page id in the comment) unless marked as made up.
"""
from __future__ import annotations

import re

import pytest

from evidence.check import check


def _claims(text: str) -> list[dict]:
    return check(text, filename="t.md").claims


def _reads_well(c: dict, words: str) -> None:
    """Not checkable, the reason in words an editor reads: no internal code, no detector name."""
    assert c["checkable"] is False and c["holds"] is None
    assert re.search(words, c["reason"]), c["reason"]
    assert not re.search(r"_|\b(?:list-inline|interaction-entry|list-entry)\b", c["reason"]), c["reason"]


def test_each_drug_an_interaction_names_is_a_claim_of_its_own():
    # rxlist_spravato_side_effects (holdout8)
    text = ("Spravato may interact with CNS depressants (e.g., benzodiazepines, opioids, alcohol), psychostimulants "
            "(e.g., amphetamines, methylphenidate, modafanil, armodafinil), and monoamine oxidase inhibitors (MAOIs).")
    quotes = {c["quote"]: c for c in _claims(text)}
    for q in ("CNS depressants (e.g., benzodiazepines, opioids, alcohol)",
              "psychostimulants (e.g., amphetamines, methylphenidate, modafanil, armodafinil)",
              "monoamine oxidase inhibitors (MAOIs)"):
        assert q in quotes, list(quotes)
        _reads_well(quotes[q], r"may interact with.*Drug Interactions")


@pytest.mark.parametrize("text, quote", [
    # pledgetimes_ketamine_vs_ect (holdout7)
    ("Many patients fear the side effects of ECT, such as temporary memory loss, muscle pain, or weakness.",
     "temporary memory loss, muscle pain, or weakness"),
    # silive_spravato_fda_2019 (holdout9)
    ("Spravato is a nasal spray. The most common side effects experienced by patients treated with this drug in "
     "clinical trials included: disassociation, dizziness, nausea, sedation, vertigo, anxiety, lethargy, vomiting and "
     "feeling drunk.", "disassociation, dizziness, nausea, sedation, vertigo"),
])
def test_a_list_of_effects_inside_a_sentence_is_a_claim(text, quote):
    hits = [c for c in _claims(text) if c["quote"].startswith(quote)]
    assert hits, [c["quote"] for c in _claims(text)]
    c = hits[0]
    assert c["holds"] is None or c["checkable"], c
    assert "effects named in words" in c["reason"] or c["checkable"], c["reason"]


def test_an_effects_list_reason_reads_well():
    # made up, after pledgetimes_ketamine_vs_ect: no other rule reads this sentence
    c = next(c for c in _claims("Patients fear the side effects of ECT, such as memory loss, muscle pain, or weakness.")
             if c["quote"].startswith("memory loss"))
    _reads_well(c, r"effects named in words.*Adverse Reactions")


def test_a_sentence_that_only_mentions_side_effects_is_not_a_list():
    # ketamineclinics_side_effects (holdout4): "however" ends what the lead-in introduces; no list claim
    text = "Side effects are possible with Ketamine Infusion Therapy, however, they tend to be both mild and temporary."
    assert not [c for c in _claims(text) if c["reason"] and "effects named in words" in c["reason"]]


def test_lines_without_bullets_under_a_colon_lead_in_are_entries():
    # zenpsychiatric_full_medical_observation (holdout10; the page's bullets were lost in the copy)
    text = ("A COMPLETE list of possible side effects (reported per US FDA protocol) follows:\n\n"
            "Allergic: anaphylaxis, breathing difficulties, facial, lip, throat and tongue swelling, hives\n\n"
            "Gastrointestinal: anorexia, nausea, and vomiting\n\n"
            "Neurologic: confusion, seizures\n\n"
            "Dosage for Spravato\n")
    quotes = {c["quote"]: c for c in _claims(text)}
    assert "Gastrointestinal: anorexia, nausea, and vomiting" in quotes, list(quotes)
    assert "Neurologic: confusion, seizures" in quotes, list(quotes)
    _reads_well(quotes["Neurologic: confusion, seizures"], r"entry of the list under")
    # a title after the list is not one of its entries (rxlist_spravato_side_effects)
    assert "Dosage for Spravato" not in quotes
