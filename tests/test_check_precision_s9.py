"""Precision classes of session 9 (issue 15): items `evidence check` listed outside every labelled claim of the
corpus's training split that are not claims by the corpus's labelling rules (tests/corpus/README.md), and
confident verdicts on claims the sources cannot settle. Each class is a general rule with its reason in words;
the sentences are from the training split (page id in the comment) unless marked as made up.
"""
from __future__ import annotations

import pytest

from evidence.check import check


def _report(text: str):
    return check(text, filename="t.md")


def _claims(text: str) -> list[str]:
    return [c["quote"] for c in _report(text).claims]


def _non(text: str) -> list[tuple[str, str]]:
    return [(n["quote"], n["reason_code"]) for n in _report(text).non_claims]


# ------------------------------------------------------------------ ketamine described as an anaesthetic

def test_a_described_use_inside_a_sentence_listed_whole_has_one_status():
    """review11 (one item, one status): when the claim-sentence classifier lists the whole sentence (here it also
    says where and how often the drug is used), the anaesthetic description inside it is not also listed as not a
    claim. (The corpus labels such sentences as claims: listing only the words beside the description lost 13
    labelled claims of the train splits, measured.)"""
    text = ("It has been used widely as an anesthetic in emergency medicine,operating rooms and wound clinics around "
            "the world on a daily basis.")   # northidahoketamine_faq
    rep = _report(text)
    listed = [(c["start"], c["end"]) for c in rep.claims]
    assert listed, "the classifier lists the sentence"
    assert not [n for n in rep.non_claims if any(a <= n["start"] and n["end"] <= b for a, b in listed)]
    assert all(c["claim_type"] != "regulatory_status" for c in rep.claims)


@pytest.mark.parametrize("text, quote", [
    # whyketamine_faqs
    ("Ketamine is used by medical practitioners as a short-acting general anesthetic.",
     "a short-acting general anesthetic"),
    # delraycenter_addiction_risk
    ("However, ketamine was originally developed to be used as an anesthetic.",
     "originally developed to be used as an anesthetic"),
])
def test_a_bare_anaesthetic_description_is_background(text, quote):
    """Labelling rule 1: a bare description of ketamine as an anaesthetic carries no year, approval, number or
    study; it is listed as not a claim, with the reason in words, and gets no verdict."""
    rep = _report(text)
    assert quote not in [c["quote"] for c in rep.claims]
    got = [n for n in rep.non_claims if n["quote"] == quote]
    assert [(n["reason_code"], n["verdict"]) for n in got] == [("background_use", None)]
    assert got[0]["reason"] == ("describes what ketamine is used as (an anaesthetic, a painkiller), with no year, "
                                "approval or study: background, not a claim to check")


@pytest.mark.parametrize("text, quote", [
    # westsidemindhealth_faq#01 (labelled, holds): "for decades" makes it a claim
    ("It has been used for decades as an anesthetic.", "used for decades as an anesthetic"),
    # ooralens_ketamine_landing#01 (labelled, holds): the approval and its year
    ("Ketamine was FDA approved as an anesthetic in 1970.", "FDA approved as an anesthetic"),
])
def test_an_anaesthetic_use_with_a_year_or_a_span_stays_a_claim(text, quote):
    claims = _claims(text)
    assert any(quote in q or q in quote for q in claims), claims
    assert "background_use" not in [code for _, code in _non(text)]


# ------------------------------------------------------------------ words that are not claims of their own

def test_never_inside_another_word_is_not_an_absolute_claim():
    # ketamineclinics_side_effects: "Never" was read inside "Nevertheless"
    text = ("Nevertheless, if you’re interested in pursuing Ketamine Infusion Therapy, it makes sense to wonder about "
            "ketamine infusion side effects.")
    assert not any(q.lower() == "never" for q in _claims(text))
    # the word itself still is one (elevatedhealth_spravato)
    assert "never" in _claims("Administered intranasally in a certified clinic – never at home.")


@pytest.mark.parametrize("text", [
    # ketamineclinics_side_effects
    "Ketamine Infusion Therapy is considered a trusted treatment for helping individuals cope with mental health "
    "conditions.",
    # ketaminehealthcenters_depression
    "ECT has been used to treat treatment resistant depression but it is considered barbaric by some and can lead "
    "to memory impairment.",
])
def test_is_considered_alone_is_not_listed_as_a_claim(text):
    """"is considered" says how something is regarded; what follows it is the claim, if any (the claim-sentence
    classifier may still list the sentence), so the two words are never an item of their own."""
    rep = _report(text)
    assert "is considered" not in [c["quote"] for c in rep.claims] + [n["quote"] for n in rep.non_claims]


# ------------------------------------------------------------------ sources given, site chrome

def test_entries_under_a_sources_heading_and_a_citation_line_are_references():
    # epocrates_esketamine_monotherapy (its "Sources:" list) and iamaimed_spravato_monotherapy (its citation line)
    text = ("Esketamine nasal spray is now approved as a monotherapy.\n\nSources:\n\nSPRAVATO® (esketamine) approved in "
            "the U.S. as the first and only monotherapy for adults with treatment-resistant depression. Johnson & "
            "Johnson. 2025.\n\nCitation: https://www.businesswire.com/news/home/20250121005733/en/FDA-Approves-Spravato-"
            "as-Standalone-Treatment-for-Treatment-Resistant-Depression\n")
    rep = _report(text)
    assert all(c["sentence_start"] < text.index("Sources:") for c in rep.claims), [c["quote"] for c in rep.claims]
    non = [(n["quote"], n["reason_code"], n["reason"]) for n in rep.non_claims]
    # the entry is set aside whole ("approved" inside it, set aside for the same reason, is said once: settle10)
    assert [q for q, code, _ in non if code == "reference" and "approved in the U.S." in q]
    assert ("approved", "reference", "an entry of the reference list: a source, not a claim") not in non
    assert ("FDA-Approves", "reference", "an entry of the reference list: a source, not a claim") in non


def test_words_inside_a_web_address_are_not_claims():
    # made up, after epocrates_esketamine_monotherapy's list of sources
    text = "The company said so (https://www.jnj.com/press-releases/spravato-esketamine-approved-in-the-u-s)."
    assert ("spravato", "web_address") in _non(text)
    assert not any("spravato" in q for q in _claims(text))


@pytest.mark.parametrize("text", [
    ">> Sanacora et al. JAMA Psychiatry 2017",     # neiglobal_apa_ketamine_consensus
    "Molero et al. (2018)",                         # stratas_molero2018_summary
])
def test_a_citation_standing_alone_is_a_reference(text):
    rep = _report(text)
    assert rep.claims == [] and {n["reason_code"] for n in rep.non_claims} == {"reference"}


@pytest.mark.parametrize("text", [
    # rxlist_spravato_side_effects
    "Our Spravato (esketamine) Nasal Spray Side Effects Drug Center provides a comprehensive view of available drug "
    "information on the potential side effects when taking this medication.",
    # scopeblog_stanford_ketamine_ocd
    "This 1:2:1 podcast features a conversation with psychiatrist Carolyn Rodriguez on the use of ketamine to treat OCD.",
])
def test_the_page_describing_itself_is_site_chrome(text):
    # the rule reads the sentence, whichever item of it was found (a detector's or the classifier's whole sentence)
    from evidence.check.siftrules import why_source_entry
    item = {"sentence": text, "sentence_start": 0, "start": 0, "quote": text}
    assert why_source_entry(item, None) == ("page_itself", "the page describing its own contents (site chrome), not a "
                                                           "claim to check")
    assert _report(text).claims == []


def test_the_rxlist_drug_center_line_is_listed_as_chrome():
    rep = _report("Our Spravato (esketamine) Nasal Spray Side Effects Drug Center provides a comprehensive view of "
                  "available drug information on the potential side effects when taking this medication.")
    assert rep.non_claims and {n["reason_code"] for n in rep.non_claims} == {"page_itself"}


@pytest.mark.parametrize("text, quote, code", [
    ("You may report side effects to FDA at 1-800-FDA-1088.", "1-800-FDA-1088", "phone"),   # rxlist
    ("June 12, 2025 Estimated Read Time: 11 Minutes Fact checked by a reviewer",              # veriheal
     "Estimated Read Time: 11 Minutes", "reading_time"),
    ("This story is over 5 years old.", "This story is over 5 years old", "page_age"),        # vice
    ("1 year ago 19  Nasal Spray (Esketamine) FDA Approved for treatment of depression.",     # rumble
     "1 year ago", "post_meta"),
    ("RELATED: 10 Surprising Facts About Antidepressants",                                    # onemillionbestdownloads
     "RELATED: 10 Surprising Facts About Antidepressants", "teaser"),
])
def test_site_chrome_figures_are_not_claims(text, quote, code):
    assert (quote, code) in _non(text)
    assert not any(quote in q for q in _claims(text))


def test_a_time_ago_in_prose_is_still_read():
    # the near miss of the post's age: "Two years ago" in a sentence is not a line's chrome
    assert "Two years" in _claims("Two years ago, 40% of patients responded.")


# ------------------------------------------------------------------ confident verdicts on claims nothing here settles

def test_an_anaesthetic_use_said_of_another_drug_abstains():
    # alexdenne_ketamine_invention#04 (labelled unknown) was Accurate against ketamine's Ketalar indication
    c = next(c for c in _report("By 1958, Parke-Davis had tested PCP as an anesthetic.").claims
             if c["claim_type"] == "regulatory_status")
    assert c["holds"] is None and c["checkable"] is False
    assert c["reason"] == ("the anaesthetic use is said of another drug (PCP), not of ketamine; the evidence base "
                           "records ketamine's approved anaesthetic indication only")
    # the near miss: said of ketamine, it is checked (ooralens_ketamine_landing#01)
    c = next(c for c in _report("Ketamine was FDA approved as an anesthetic in 1970.").claims
             if c["claim_type"] == "regulatory_status")
    assert c["holds"] is True


@pytest.mark.parametrize("text", [
    # medicinenet_spravato_side_effects#05 and #06 (labelled unknown), Accurate against Spravato's blood-pressure fact
    "Spravato can raise blood pressure. Concomitant use with psychostimulants (e.g., amphetamines, methylphenidate, "
    "modafinil, armodafinil) may increase blood pressure.",
    "Spravato can raise blood pressure. Concomitant use with monoamine oxidase inhibitors (MAOIs) may increase blood "
    "pressure.",
])
def test_a_drug_interaction_is_not_checked_here(text):
    rep = _report(text)
    second = [c for c in rep.claims if c["sentence_start"] > 0]
    assert second and all(c["holds"] is None for c in second)
    assert second[0]["reason"].startswith("the sentence is about taking the drug together with another one (an "
                                          "interaction)")
    # the first sentence (the drug's own effect) is still checked
    assert [c["holds"] for c in rep.claims if c["sentence_start"] == 0] == [True]


def test_esketamine_with_an_oral_antidepressant_is_its_indication_not_an_interaction():
    from evidence.check.claimrules import interaction_reason
    assert interaction_reason("Spravato is given concomitantly with an oral antidepressant.") == ""
    assert interaction_reason("Concomitant use with MAOIs may increase blood pressure.") != ""
    # drfred_ketamine_anxiety#05: a mechanism ("interacts with glutamate") is not an interaction with another drug
    assert interaction_reason("Approved as an anesthetic by the FDA in 1970, ketamine works primarily as an NMDA "
                              "receptor antagonist—meaning it interacts with glutamate.") == ""


def test_controlled_substances_in_general_are_not_the_drugs_schedule():
    # nameart_wsj_ketamine_at_home#11 (labelled unknown) was Accurate against FDA 2022's statement on ketamine
    rep = _report("Startups are making use of relaxed restrictions on the prescription of controlled substances during "
                  "the pandemic.")
    c = next(c for c in rep.claims if c["quote"] == "controlled substances")
    assert c["holds"] is None
    assert c["reason"] == ("speaks of controlled substances in general, not of the drug's own schedule: nothing to "
                           "check here")
    # the near miss: the drug said to be one is checked against its schedule
    c = next(c for c in _report("Ketamine is a controlled substance.").claims if c["claim_type"] == "regulatory_status")
    assert c["holds"] is True


def test_an_approvals_indication_stops_at_a_purpose_clause():
    # premierinfusions_ketamine_therapy#05/#06: "approved ketamine as an anesthetic so that Vietnam War soldiers …"
    # took "so that Vietnam" into the indication, and the item's verdict onto the purpose clause (labelled unknown)
    text = ("In 1970, the Food and Drug Administration (FDA) approved ketamine as an anesthetic so that Vietnam War "
            "soldiers injured on the battlefield could get rapid relief from pain.")
    c = next(c for c in _report(text).claims if c["claim_type"] == "regulatory_status")
    assert c["quote"] == "approved ketamine as an anesthetic" and c["holds"] is True


@pytest.mark.parametrize("text", [
    # everhopetoday_first_spravato
    "This post is designed to reduce that uncertainty with a clear, step-by-step walkthrough of what typically "
    "happens during a first session.",
    # nextsteppsychiatry_first_spravato
    "Here's exactly what to expect so you can feel prepared and confident walking into your first session.",
])
def test_the_page_saying_what_it_is_for_is_site_chrome(text):
    rep = _report(text)
    assert rep.claims == [] and [n["reason_code"] for n in rep.non_claims] == ["page_itself"]


def test_a_duration_alone_on_a_line_is_page_chrome():
    # hrcnz_ketamine_neurotic_disorders: "48 months" above the grant's budget line; rumble_esketamine_video: "1 year ago"
    text = "Ketamine therapy for neurotic disorders\n\n48 months\n\n1 year ago\n"
    rep = _report(text)
    assert rep.claims == []
    assert sorted((n["quote"], n["reason_code"]) for n in rep.non_claims) == [("1 year ago", "post_meta"),
                                                                             ("48 months", "bare_line")]
