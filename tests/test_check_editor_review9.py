"""Classes found by reading `evidence check` output as an editor (review9, session 9), each closed and pinned.

Every case is copy written for this test (never corpus text)."""
from __future__ import annotations

from check_support import claims   # tests/check_support.py
from evidence.check.judge import HISTORY_ADVICE


def _by_quote(text: str, quote: str) -> dict:
    return next(c for c in claims(text) if c["quote"] == quote)


def test_a_decade_in_a_history_is_not_asked_for_a_study():
    # was: "Name the study behind this figure (first author, year, journal) … or remove the figure" for "1970s"
    c = _by_quote("Misuse of the drug grew through the 1970s in several cities.", "1970s")
    assert c["checkable"] is False
    assert c["suggestion"] == HISTORY_ADVICE
    assert "remove the figure" not in c["suggestion"]


def test_a_dated_decade_phrase_gets_the_history_advice():
    c = next(c for c in claims("During the late 1980s ketamine became linked to club culture.")
             if "1980s" in c["quote"])
    assert c["suggestion"] == HISTORY_ADVICE


def test_a_figure_that_is_not_a_date_keeps_the_study_advice():
    # a response rate with no study named is still asked for its study (the advice is for dates only)
    c = next(c for c in claims("About 60% of patients respond to ketamine.") if c["claimed_unit"] == "%")
    assert c["suggestion"] != HISTORY_ADVICE
    assert "study" in c["suggestion"].lower()


def test_a_source_named_after_according_to_is_named_in_the_reason():
    # was: "the source is not named" for "according to The Washington Post"
    c = next(c for c in claims("Esketamine works within hours, according to The Daily Courier.")
             if c["quote"] == "according to")
    assert c["checkable"] is False
    assert "not named" not in c["reason"]
    assert "(The Daily Courier)" in c["reason"]


def test_according_to_with_no_name_still_says_no_source_is_named():
    c = next(c for c in claims("Esketamine works within hours, according to research.")
             if c["quote"].lower().startswith("according to"))
    assert c["reason"].startswith("the source is not named")


def test_a_span_of_time_with_ago_dates_an_event_not_how_long_it_lasts():
    # was: "more than 50 years" ("developed more than 50 years ago") typed "how long it lasts", asked for a study
    c = next(c for c in claims("Ketamine is an anesthetic that was developed more than 50 years ago.")
             if "50 years" in c["quote"])
    assert c["quote"] == "more than 50 years"
    assert c["claim_type"] != "durability"
    assert c["suggestion"] == HISTORY_ADVICE


def test_a_span_of_time_without_ago_is_still_a_duration():
    c = next(c for c in claims("The relief lasted more than 2 weeks after ketamine.") if "2 weeks" in c["quote"])
    assert c["claim_type"] == "durability"


def test_years_ago_in_a_persons_story_is_still_set_aside():
    # the story-time set-aside reads "years ago" as it read the duration before (sift._TIME_KINDS)
    from evidence.check import check
    rep = check("Two years ago, my sister started ketamine infusions at our clinic.")
    assert not [c for c in rep.claims if "years" in c["quote"]]


def test_a_clause_read_as_another_type_does_not_keep_its_sentences_label_advice():
    # was: "culminating in 1978 with the publishing of … 'The Scientist'" (type other) told to check the FDA label,
    # the advice of its sentence's approval reading
    # a training sentence (tests/corpus/pages/release_ketamine_history.txt, split holdout6)
    text = ("It was used in psychiatric and other academic research through the 1970s, culminating in 1978 with the "
            "publishing of the neuroscientist and psychoanalyst John Lilly's ‘The Scientist’ and Marcia Moore, who died "
            "of hypothermia in the woods behind her house after a large dose of IV ketamine.")
    items = [c for c in claims(text) if c["claim_type"] != "regulatory_status"]
    assert items
    assert not [c["quote"] for c in items if "FDA label" in c["suggestion"]]
