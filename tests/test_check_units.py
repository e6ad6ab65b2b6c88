"""The uncovered remainder of a claim sentence, listed as a claim of its own (src/evidence/check/units.py, sift;
issue 15 detection: a sentence that states several claims, one of them listed by a detector).

Each sentence's origin is given beside it: a TRAIN page of tests/corpus (its page id) or our own copy. What is asserted
is the class: an apposition, a parenthesis saying what a company became, an attribute in a list and a second predicate
are listed when a detector lists another part of their sentence; a name or an opening phrase is not.
"""
from __future__ import annotations

from evidence.check import check
from evidence.check.sift import REASON_PART
from evidence.check.units import carries_claim, phrases, remainders, uncovered


def _phrases(text: str) -> list[str]:
    return [text[a:b] for a, b in phrases(text, 0, len(text))]


def _span(text: str, part: str) -> tuple[int, int]:
    i = text.index(part)
    return i, i + len(part)


def test_phrases_end_at_commas_parentheses_and_a_coordinator_before_a_verb():
    # our own copy
    assert _phrases("The company, Parke-Davis (now Pfizer), ran the trial and published it in 1966") == [
        "The company", "Parke-Davis", "(now Pfizer)", "ran the trial", "and published it in 1966"]
    # a coordinator inside a name or a list of adjectives is not a phrase's end
    assert _phrases("The Food and Drug Administration saw rapid and robust effects") == [
        "The Food and Drug Administration saw rapid and robust effects"]


def test_the_uncovered_remainder_joins_neighbouring_free_phrases_and_drops_the_joining_words():
    # our own copy: "eight patients" is listed; what is left of the clause is its first predicate
    text = "The first trial ran just three pages long and involved only eight patients"
    assert [text[a:b] for a, b in uncovered(text, 0, len(text), [_span(text, "eight patients")])] == [
        "The first trial ran just three pages long"]
    # nothing taken: no remainder (the clause is listed whole, or not at all)
    assert uncovered(text, 0, len(text), []) == []


def test_a_remainder_carries_a_claim_with_a_figure_a_verb_or_enough_words():
    assert carries_claim("ages 18-55") and carries_claim("announced by the company in January")
    # a year alone opens a sentence; a short name states nothing
    assert not carries_claim("In 2019") and not carries_claim("The U.S. Food and Drug Administration (FDA)")


def test_an_apposition_a_list_attribute_and_a_renamed_company_are_listed_beside_the_detected_part():
    # newsnews_spravato_monotherapy (train): the approval is listed, the apposition says who developed the spray
    s1 = ("The FDA has granted approval for Spravato, a ketamine-derived nasal spray developed by Johnson & Johnson, "
          "making it the first standalone treatment for adults suffering from treatment-resistant depression.")
    assert "a ketamine-derived nasal spray developed by Johnson & Johnson" in [
        s1[a:b] for a, b in remainders(s1, [_span(s1, "approval for Spravato")])]
    # psychjournalclub_feder2014 (train): the percentage and the duration are listed, the mean age is not a figure
    # any detector reads
    s2 = "Participants were 46% female, average age 36, mean duration of PTSD 13 years."
    assert "average age 36" in [s2[a:b] for a, b in remainders(s2, [_span(s2, "46%"), _span(s2, "13 years")])]
    # discreetketamine_history (train): the year of synthesis is listed, the company's present name is a claim too
    s3 = ("Ketamine was first synthesized in 1962 by Dr. Calvin Stevens at Parke-Davis pharmaceutical company (now "
          "part of Pfizer), working under a contract with the University of Michigan.")
    assert "(now part of Pfizer)" in [s3[a:b] for a, b in remainders(s3, [_span(s3, "first synthesized in 1962")])]


def test_a_subject_name_or_an_opening_date_is_not_listed():
    # anschutz_rediscovering_ketamine (train): the approval and its year are listed; "The U.S. Food and Drug
    # Administration (FDA)" is who approved, and the date opens the sentence
    s = "The U.S. Food and Drug Administration (FDA) approved ketamine in 1970, the same year the Controlled Substances Act (CSA) was passed."
    parts = [s[a:b] for a, b in remainders(s, [_span(s, "approved ketamine in 1970")])]
    assert "The U.S. Food and Drug Administration (FDA)" not in parts


def test_check_lists_the_part_not_checkable_in_words_without_the_sentences_verdict():
    # hcplive_esketamine_monotherapy (train): the whole sentence got a verdict (the 2025 approval); who announced it
    # and when is listed on its own, not checkable here, with none of that verdict's sources
    text = ("The US Food and Drug Administration (FDA) approved esketamine (SPRAVATO) CIII nasal spray as the first "
            "monotherapy for adults with treatment-resistant depression (TRD), announced by Johnson & Johnson on "
            "January 21, 2025.")
    res = check(text)
    parts = [c for c in res.claims if c.get("reason") == REASON_PART]
    assert [c["quote"] for c in parts] == ["announced by Johnson & Johnson on January 21, 2025"]
    part = parts[0]
    assert part["verdict"] == "not_checkable" and part["holds"] is None and part["checkable"] is False
    assert part["source_ids"] == [] and part["sources"] == [] and "correction" not in part
    assert part["explanation"] == "Not checkable here: " + REASON_PART + "."
    assert part["claimed"] == part["quote"]          # the part's own words, not its sentence's
    assert any(c.get("verdict") not in (None, "not_checkable") for c in res.claims if c is not part)


def test_a_statement_about_the_drug_beside_the_detected_part_is_listed():
    # sabinorecovery_ketamine_ptsd (train): the anaesthetic use is listed; what ketamine is (its mechanism) was lost
    s = ("Ketamine is a noncompetitive glutamate N-methyl-D-aspartate (NMDA) receptor antagonist that has been used "
         "for decades as an anesthetic and analgesic agent.")
    # session 10: a rule lists this mechanism now (wordstatements.RX_MECHANISM_MORE, "is a … receptor antagonist"), and
    # the classifier refitted with it scores the remainder 0.298, at the drug-subject bar (0.3); what the test guards,
    # that what ketamine is stays listed beside the anaesthetic use, is asserted on check's output
    got = {c["quote"]: c for c in check(s).claims}
    assert "is a noncompetitive glutamate N-methyl-D-aspartate (NMDA) receptor antagonist" in got, list(got)
    assert "used for decades as an anesthetic" in got, list(got)
    # our own copy: the same shape without the drug as its subject is held to the usual score
    other = ("The clinic is a small practice in the valley that has been used for decades as a training site for "
             "nurses.")
    assert remainders(other, [_span(other, "used for decades as a training site")]) == []
