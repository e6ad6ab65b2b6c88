"""What is not a claim, read with its sentence (evidence.check.siftrules), session 3.

Copy written for these tests (never corpus text). Each class: the item is listed as not a claim with its reason in
words and no verdict, and a near miss stays a claim. The classes are those of the items detected outside any
labelled claim on the corpus's training split.
"""
from __future__ import annotations

import pytest

from evidence.check import check
from evidence.check import siftrules as R


def non_claims(text: str) -> list[tuple[str, str, str]]:
    return [(n["quote"], n["reason_code"], n["reason"]) for n in check(text).non_claims]


def claims(text: str) -> list[tuple[str, str]]:
    return [(c["detector"], c["quote"]) for c in check(text).claims]


@pytest.mark.parametrize("text, quote, code, reason", [
    ("Jane Roe is a dean at the Icahn School of Medicine at Mount Sinai and studies ketamine.",
     "Mount Sinai and studies", "affiliation", R.REASON_AFFILIATION),
    ("Panic attacks can feel like a heart attack (APA, 2019).", "(APA, 2019)", "bare_citation", R.REASON_BARE_CITATION),
    ("Anxiety disorders are the most common mental illness in the country, affecting 19% of adults each year.",
     "are the most common mental illness in the", "ranking", R.REASON_RANKING),
    ("We treat adults with comorbid anxiety disorders using ketamine.", "comorbid", "comorbid_word",
     R.REASON_COMORBID_WORD),
    ("Its efficacy for depression is one reason clinics offer ketamine.", "efficacy", "bare_efficacy",
     R.REASON_BARE_EFFICACY),
    ("Ketamine has shown promise for anxiety.", "shown promise", "promise", R.REASON_PROMISE),
    ("Further research is needed to explore the long-term effects of ketamine.", "long-term", "future", R.REASON_FUTURE),
    ("Sales rose (FDA approves new nasal spray medication for migraine; available only at certified pharmacies).",
     "FDA approves", "headline", R.REASON_HEADLINE),
    ("[2] National Institute of Mental Health. (2022). Any anxiety disorder.", "National Institute of Mental Health",
     "reference", R.REASON_REFERENCE),
    ("In the first nine months of 2024, sales of the ketamine spray rose.", "nine months", "calendar",
     R.REASON_CALENDAR),
    ("Over the past ten years, and in our experience, most patients improve with ketamine.", "ten years",
     "clinic_experience", R.REASON_CLINIC_EXPERIENCE),
])
def test_listed_as_not_a_claim_with_the_reason(text, quote, code, reason):
    assert (quote, code, reason) in non_claims(text)
    rep = check(text)
    item = next(n for n in rep.non_claims if n["quote"] == quote)
    assert (item["verdict"], item["holds"], item["not_a_claim"]) == (None, None, True)
    assert text[item["start"]:item["end"]] == quote
    assert not any(c["quote"] == quote for c in rep.claims)


def test_the_figure_beside_a_ranking_is_still_checked():
    text = "Anxiety disorders are the most common mental illness in the country, affecting 19% of adults each year."
    assert ("pct", "19% of adults") in claims(text)


@pytest.mark.parametrize("text, detector, quote", [
    # a citation of a figure is kept: the figure is the claim it supports
    ("About 31% of adults have an anxiety disorder at some point (NIMH, 2017).", "cite-year", "(NIMH, 2017)"),
    # a ranking with no figure beside it is itself the claim
    ("Depression is the most common disorder among adults with anxiety.", "most-common",
     "is the most common disorder among adults with"),
    # the verb "co-occur" states a finding; only the adjective names who the patients are
    ("Anxiety and depression often co-occur with each other.", "comorbidity", "co-occur"),
    # efficacy that research examined is reported research
    ("A 2019 trial examined the efficacy of ketamine for anxiety.", "efficacy", "efficacy"),
    # the main clause after "While more research is needed," asserts a finding
    ("While more research is needed, ketamine gives lasting relief from anxiety.", "efficacy", "relief from anxiety"),
])
def test_near_misses_stay_claims(text, detector, quote):
    assert (detector, quote) in claims(text)
    assert all(n[0] != quote for n in non_claims(text))
