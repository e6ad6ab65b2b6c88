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
    # an unchecked citation beside a checked figure names that figure's source
    ("About 31% of adults have an anxiety disorder at some point (NIMH, 2017).", "(NIMH, 2017)", "source_of_neighbour",
     R.REASON_SOURCE_OF_NEIGHBOUR),
    # a word beside a checked figure of the same sentence is that figure's context
    ("Ketamine reduced social anxiety in a crossover trial of 18 adults (Taylor et al., 2018).",
     "reduced social anxiety", "context", R.REASON_CONTEXT),
    ("In order to produce sustained effects, ketamine is given twice a week.", "sustained", "goal", R.REASON_GOAL),
    ("These ads rarely mention the follow-up care ketamine needs.", "rarely", "others_say", R.REASON_OTHERS_SAY),
    ("Insurers seldom pay for therapies that are not FDA-approved.", "are not FDA-approved", "no_drug",
     R.REASON_NO_DRUG),
    # (session 7: a headline whose verb states the approval, "FDA Approves …", is a claim: the corpus labels it, and
    # news pages often state the approval nowhere else; see test_check_detect_session7.py)
    ("New Nasal Spray to Treat Depression Receives FDA Approval", "FDA Approval", "title_run", R.REASON_TITLE_RUN),
    # (session 12, words13: a ranking beside its figure is no longer set aside: the corpus labels it as a claim of its
    # own; tests/test_check_word_classes_s13.py)
    ("We treat adults with comorbid anxiety disorders using ketamine.", "comorbid", "comorbid_word",
     R.REASON_COMORBID_WORD),
    ("Its efficacy for depression is one reason clinics offer ketamine.", "efficacy", "bare_efficacy",
     R.REASON_BARE_EFFICACY),
    ("Ketamine has shown promise for anxiety.", "shown promise", "promise", R.REASON_PROMISE),
    ("Further research is needed to explore the long-term effects of ketamine.", "long-term", "future", R.REASON_FUTURE),
    ("Sales rose (FDA approves new nasal spray medication for migraine; available only at certified pharmacies).",
     "FDA approves", "headline", R.REASON_HEADLINE),
    # the reference entry's author is set aside as part of the entry (since settle10, session 10, a set-aside inside
    # another is said once: the larger one, "[2] National Institute of Mental Health.")
    ("[2] National Institute of Mental Health. (2022). Any anxiety disorder.", "[2] National Institute of Mental Health.",
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
    # and the ranking is listed beside it (session 12, words13)
    assert ("most-common", "are the most common mental illness in the country") in claims(text)


@pytest.mark.parametrize("text, detector, quote", [
    # a citation the evidence base checks (its year) stays a claim beside the figures it supports
    ("Ketamine reduced social anxiety in a crossover trial of 18 adults (Taylor et al., 2018).", "cite-year",
     "(Taylor et al., 2018)"),
    # a ranking with no figure beside it is itself the claim
    ("Depression is the most common disorder among adults with anxiety.", "most-common",
     "is the most common disorder among adults with anxiety"),
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


# ------------------------------------------------------------------------------------- second pass (same session)

@pytest.mark.parametrize("text, quote, code, reason", [
    # off-label restates "not FDA-approved" in the same sentence
    ("Ketamine is not FDA-approved for anxiety, but is used as an off-label treatment.", "off-label",
     "same_statement", R.REASON_SAME_STATEMENT),
    # the Controlled Substances Act restates the schedule beside it (both checked, same verdict)
    ("Ketamine became a Schedule III substance under the Controlled Substances Act.", "Controlled Substances Act",
     "same_statement", R.REASON_SAME_STATEMENT),
    ("“Off-label” use means that a doctor prescribes a drug for an unapproved purpose.", "Off-label", "term",
     R.REASON_TERM),
    ("Ads promise that ketamine will “instantly cure” depression.", "cure", "quoted", R.REASON_QUOTED),
    ("The patient responded very well to the first dose of ketamine.", "responded", "one_patient",
     R.REASON_ONE_PATIENT),
    ("Studies have suggested that ketamine may also help with anxiety.",
     "Studies have suggested that ketamine may also help with anxiety", "hedged", R.REASON_HEDGED_FINDING),
    ("She has had non-response to multiple classes of medications.", "non-response", "other_treatments",
     "describes who the patients are (not helped by other treatments), not a finding about the treatment the article "
     "is about"),
])
def test_second_pass_not_claims(text, quote, code, reason):
    assert (quote, code, reason) in non_claims(text)
    assert not any(c["quote"] == quote for c in check(text).claims)


def test_the_primary_statement_stays_checked():
    assert ("approval", "is not FDA-approved for anxiety") in claims(
        "Ketamine is not FDA-approved for anxiety, but is used as an off-label treatment.")
    assert ("schedule", "Schedule III substance") in claims(
        "Ketamine became a Schedule III substance under the Controlled Substances Act.")
    # "a Schedule III controlled substance" is one claim, the schedule's (the label prints "CIII")
    assert claims("Esketamine is a Schedule III controlled substance.") == [("schedule",
                                                                            "Schedule III controlled substance")]


def test_a_figure_repeated_with_the_same_verdict_is_listed_once():
    text = ("Taylor et al. 2018 enrolled 18 adults with social anxiety disorder. "
            "In the Taylor et al. 2018 crossover trial, 18 adults received ketamine.")
    rep = check(text)
    counts = [c for c in rep.claims if c["detector"] == "count"]
    assert [(c["quote"], c["start"], c["verdict"]) for c in counts] == [("18 adults", text.index("18 adults"), "accurate")]
    rep_item = next(n for n in rep.non_claims if n["reason_code"] == "repeated")
    assert (rep_item["quote"], rep_item["start"], rep_item["verdict"]) == ("18 adults", text.rindex("18 adults"), None)
    assert rep_item["reason"] == ("repeats “18 adults” above (the same figure of the same study, with the same "
                                  "verdict), which is checked there")


def test_near_misses_of_the_second_pass():
    # chemistry is no treatment combination; a clinician's judgment is no source
    assert claims("A ketone combined with an amine forms the compound ketamine.") == []
    # a clinician's procedure is a claim the corpus rules count as `unknown` (tests/corpus/README.md): since the
    # twelve-split refit (session 10) the classifier lists it; it is never a citation, and never gets a verdict
    assert all(d != "generic-attrib" for d, _ in claims("The ketamine dose is tapered according to the clinician's "
                                                          "judgment."))
    item = check("The ketamine dose is tapered according to the clinician's judgment.").claims
    assert all(c["claim_type"] != "attribution" and c["verdict"] == "not_checkable" for c in item)
    # a combination with a treatment is a comparison claim
    assert ("compare", "combined with") in claims("Ketamine combined with psychotherapy gives better results.")
    # a research finding stated without "may" stays a claim
    assert any(d == "generic-attrib" for d, _ in claims("Studies have shown that ketamine relieves anxiety."))
    # "cure" unquoted is the text's own claim, not someone else's wording
    assert ("absolute", "cure") in claims("Ketamine can cure depression in many patients.")


def test_third_pass_near_misses():
    # an approval statement that names its drug is a claim
    assert claims("Ketamine is not FDA-approved.") == [("approval", "is not FDA-approved")]
    # a durability finding (not a goal) stays a claim
    assert ("durability", "lasting") in claims("Patients reported lasting relief after six ketamine infusions.")
    # "PTSD symptoms" is an outcome, not a population
    assert not [d for d, _ in claims("Researchers found a rapid improvement in PTSD symptoms with ketamine.")
                if d == "population"]


def test_a_ranked_approval_is_not_merged_away():
    # "the first and only FDA-approved …" ranks the approval: a claim of its own, listed even when another approval
    # of the page is checked (here: not checkable, with the reason)
    text = ("Esketamine was approved by the FDA for treatment-resistant depression. "
            "Spravato is the first and only FDA-approved nasal spray of its kind.")
    quotes = [c["quote"] for c in check(text).claims if c["detector"] == "approval"]
    assert len(quotes) == 2 and "FDA-approved" in quotes[1]


def test_fourth_pass():
    # an indication said as a purpose restates the regulatory statement beside it
    text = "Esketamine nasal spray is used along with another antidepressant to manage treatment-resistant depression."
    assert ("manage treatment-resistant depression", "same_statement", R.REASON_SAME_STATEMENT) in non_claims(text)
    assert ("adjunct", "along with another antidepressant") in claims(text)
    # "the most promising" is a hope, not a finding
    assert ("most promising", "promise", R.REASON_PROMISE) in non_claims(
        "Ketamine is one of the most promising new treatment options for depression.")
    # a cited headline in title case
    assert any(code == "headline" for _, code, _ in non_claims(
        "It was approved in 2019 (FDA Approves New Nasal Spray Medication for Depression; available at clinics)."))
    # inadequate relief from other treatments describes the patients
    assert any(code == "other_treatments" for _, code, _ in non_claims(
        "Many patients with social anxiety experience inadequate symptom relief from available treatments."))
    # a year in the sentence: when it became a controlled substance is not recorded, both items abstain
    rep = check("In 1999, ketamine became a Schedule III non-narcotic substance under the Controlled Substances Act.")
    assert [(c["detector"], c["verdict"]) for c in rep.claims] == [("schedule", "not_checkable")]
    assert [(n["quote"], n["reason_code"]) for n in rep.non_claims] == [("Controlled Substances Act", "same_statement")]


def test_fourth_pass_near_misses():
    # an organisation alone in a sentence stays listed (a study's authors: "Researchers at Yale have been …")
    assert claims("Researchers at Yale have been studying low-dose ketamine for years.") == [("org", "Yale")]
    # a purpose without a regulatory statement beside it stays a claim: since words10 (session 10) the whole purpose,
    # what the drug is used for, which the evidence base does not record (not checkable, with the reason)
    rep = check("Ketamine is used to manage symptoms of depression quickly.")
    assert [(c["detector"], c["quote"], c["verdict"]) for c in rep.claims] == [
        ("drug-use", "is used to manage symptoms of depression", "not_checkable")]
    assert rep.non_claims == []


def test_news_trial_classes():
    # an interviewee's history (named with an age) is a story: the treatments tried and the years
    text = "When Tom Baker, 51, walked into the clinic, he had tried five medications in ten years."
    assert [(q, code) for q, code, _ in non_claims(text)] == [("five medications", "story_time"),
                                                              ("ten years", "story_time")]
    # an expert's quote is no testimonial: its figures stay claims
    rep = check("“Most patients improve within weeks,” said Armstrong, noting a 60% success rate for ketamine.")
    assert [(c["detector"], c["quote"]) for c in rep.claims] == [("within", "within weeks"), ("pct", "60%")]
    assert ("rarely", "insurance", "about insurance or costs, not a claim about ketamine") in non_claims(
        "Clinics charge for each infusion, and insurance rarely covers the cost of ketamine.")
    assert ("cure", "disclaimer", "a word others might use (“calls this a cure”), not the text's own claim") in \
        non_claims("We need larger ketamine trials before anyone calls this a cure.")
    # "about a third receive treatment": a share said with a verb
    assert ("fraction", "about a third") in claims(
        "About 40 million adults have an anxiety disorder, yet only about a third receive treatment.")
    # any hedged finding of an unnamed source gets no verdict: it is set aside as hedged, or, since the classifier was
    # refitted with holdout17 (session 12; the recent splits label such sentences, as `unknown`), listed as a
    # sentence claim that is not checkable; what matters to an editor is that nothing settles it
    hedged = "A small trial suggests it may also ease anxiety."
    rep = check(hedged)
    assert any(code == "hedged" for _, code, _ in non_claims(hedged)) or \
        [c["verdict"] for c in rep.claims] == ["not_checkable"]


def test_a_question_is_not_a_claim():
    assert ("Is ketamine safe", "question", R.REASON_QUESTION) in non_claims("**Is ketamine safe?**\nIt is well tolerated.")
    # a figure inside a question is still a claim (a rhetorical question can assert one)
    assert ("pct", "31% of U.S. adults") in claims("Did you know that 31% of U.S. adults have an anxiety disorder?")


def test_headline_words_are_not_claims_even_when_checkable():
    # a heading line in title case ("…, Receives FDA Approval") restates the article; its sentences are checked
    text = ("Esketamine, a Treatment for Depression, Receives FDA Approval\n\n"
            "The FDA approved esketamine nasal spray for treatment-resistant depression in 2019.\n")
    rep = check(text, filename="t.md")
    assert ("FDA Approval", "title_run", R.REASON_TITLE_RUN) in [(n["quote"], n["reason_code"], n["reason"])
                                                                 for n in rep.non_claims]
    assert any(c["detector"] == "approval" and c["start"] > text.index("\n") for c in rep.claims)
