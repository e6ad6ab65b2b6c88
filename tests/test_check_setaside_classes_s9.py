"""Set-aside reasons narrowed where they hid claims (issue 15 detection, session 9, helper residual).

An item set aside as "not a claim" hides its part of the sentence. Two reasons were wrong as a class on the training
pages: an approval that names no ketamine medicine ("no_drug") hid regulatory claims about other medicines and about
what is approved for a condition, and "N years later" ("story_time") hid the dates of a history told without a person
in it. Each sentence's origin is given beside it: a TRAIN page of tests/corpus (its page id) or our own copy.
"""
from __future__ import annotations

import pytest

from evidence.check import check
from evidence.check.siftrules import REASON_NO_DRUG


def _codes(text: str) -> dict[str, str]:
    return {n["quote"]: n["reason_code"] for n in check(text).non_claims}


def _claims(text: str) -> list[dict]:
    return check(text).claims


@pytest.mark.parametrize("text, quote", [
    # strongstar_ketamine_ptsd (train): how many medicines are approved for a condition
    ("Although hundreds of thousands of active duty military personnel and veterans suffer from posttraumatic stress "
     "disorder, there are only two U.S. Food and Drug Administration-approved medications for treating PTSD.",
     "U.S. Food and Drug Administration-approved"),
    # marilynboyle_history_of_ketamine (train): a dated approval in a timeline, its use named
    ("1970: FDA approval as an anesthetic.", "FDA approval as an anesthetic"),
    # our own copy: the only approved medicines for a condition
    ("The only medications approved by the FDA to treat obsessive-compulsive disorder are serotonin reuptake "
     "inhibitors.", "approved by the FDA"),
])
def test_an_approval_of_other_medicines_or_for_a_condition_is_a_claim_not_checkable_here(text, quote):
    items = [c for c in _claims(text) if quote in c["quote"] or c["quote"] in quote]
    assert items, _codes(text)
    item = items[0]
    assert item["verdict"] == "not_checkable" and item["holds"] is None
    assert item["reason"].startswith("an approval that names no ketamine medicine")
    assert "no_drug" not in _codes(text).values()


def test_approvals_in_general_stay_set_aside():
    # our own copy (tests/test_check_detect_sentence_rules.py has the same class): no use, no count, no drug
    text = "Insurers seldom pay for therapies that are not FDA-approved."
    assert _codes(text) == {"are not FDA-approved": "no_drug"}
    assert not _claims(text)
    assert REASON_NO_DRUG.startswith("a general statement about approvals")


def test_years_later_in_a_history_is_not_a_story_but_in_a_persons_story_it_is():
    # atlantaketaminecenter_ketamine (train): a publication dated in the drug's history
    text = ("Two years later Time magazine published a story entitled “Ketamine for Depression: The Most Important "
            "Advance in Field in 50 Years?” which was the first mainstream recognition of Ketamine's alternative use "
            "in the treatment of depression.")
    assert "story_time" not in _codes(text).values()
    assert _claims(text)
    # our own copy: a person's story keeps its reason, study or not
    story = "Two years later she published a study of her own recovery on ketamine."
    assert _codes(story).get("Two years") == "story_time"
