"""Words judged not a claim one at a time no longer hide the sentence they stand in (issue 15 detection, session 7).

Every sentence here is our own copy, written for these tests (none is corpus text); what is asserted is what the
shipped classifier and the rules give, measured when the test was written.
"""
from __future__ import annotations

from evidence.check import check
from evidence.check.sift import PASSING_CODES


def _run(text: str):
    r = check(text)
    return ([(c["detector"], c["quote"], bool(c["checkable"])) for c in r.claims],
            [(x["quote"], x.get("reason_code")) for x in r.non_claims])


def test_a_bare_efficacy_word_does_not_hide_the_sentence():
    # "effectiveness for" alone is not a claim (bare_efficacy), but the sentence states one: it is listed, unchecked
    text = ("In some cases, adding lithium to an antidepressant can increase the effectiveness for a few patients, but "
            "this raises the risk of side effects.")
    claims, non = _run(text)
    assert ("sentence-claim", text, False) in claims
    assert ("effectiveness for", "bare_efficacy") in non


def test_a_hedged_finding_is_listed_once_not_checkable_here():
    # before: the whole sentence was "not a claim (hedged)" and nothing was listed; now the claim is listed "not
    # checkable here" and the same words are not listed a second time as not a claim
    text = "Research has shown that supervised use of esketamine may also help reduce suicidal thoughts in adults."
    claims, non = _run(text)
    assert claims == [("sentence-claim", text, False)]
    assert not any(code == "hedged" for _, code in non)


def test_codes_that_judge_the_whole_sentence_still_block():
    # a price, a testimonial's time, a question: the rules read the sentence already
    for code in ("price", "story_time", "question", "promise", "repeated"):
        assert code not in PASSING_CODES
    assert {"condition", "bare_efficacy", "affiliation", "other_treatments", "hedged"} <= PASSING_CODES
