"""What `evidence check` lists as *not a claim* (issue 15 Deliver 6, review item 6), on copy written for these
tests (not corpus text). Every not-a-claim item is listed with its reason in words and no verdict; the claims
list never holds it. Each test pins one class of failure measured on the corpus's dev split."""
from __future__ import annotations

import pytest

from evidence.check import check
from evidence.check.patterns import non_claim_matches
from evidence.check.sift import sift


def _non(text: str) -> list[tuple[str, str]]:
    return [(n["quote"], n["reason_code"]) for n in check(text, filename="t.md").non_claims]


def _quotes(text: str) -> list[str]:
    return [c["quote"] for c in check(text, filename="t.md").claims]


def test_clinic_figures_and_prices_are_listed_with_reason_and_no_verdict():
    text = ("Our clinic is currently working with about 80 patients and has treated about 300 people since it "
            "opened in 2017. A series of six infusions costs $2,400. Call us at 555-123-4567.")
    rep = check(text, filename="t.md")
    got = [(n["quote"], n["reason_code"], n["reason"], n["verdict"], n["not_a_claim"]) for n in rep.non_claims]
    assert got == [
        ("Our clinic is currently working with about 80 patients", "clinic_patients",
         "the clinic's own figure: it needs the clinic's own source, not the evidence base", None, True),
        ("and has treated about 300 people", "clinic_patients",
         "the clinic's own figure: it needs the clinic's own source, not the evidence base", None, True),
        ("opened in 2017", "experience",
         "the clinic's own experience: it needs the clinic's own source, not the evidence base", None, True),
        ("$2,400", "price", "a price: not a claim to check", None, True),
        ("555-123-4567", "phone", "a phone number: not a claim to check", None, True),
    ]
    for n in rep.non_claims:   # every span is the quote's place in the text check worked on
        assert rep.text[n["start"]:n["end"]] == n["quote"]
    # "six infusions" is the clinic's course, still a claim (not checkable: no study), never a price
    assert [(c["quote"], c["claimed_value"], c["claimed_unit"], c["verdict"]) for c in rep.claims] == [
        ("six infusions", 6.0, "infusions", "not_checkable")]


def test_site_chrome_reading_time_and_publisher_pitch():
    assert _non("Ketamine and the brain | 4 min read") == [("4 min read", "reading_time")]
    assert _non("Subscribers get more than 40 years of archives and the weekly digest.") == [
        ("more than 40 years of archives", "publisher")]
    assert _quotes("Subscribers get more than 40 years of archives and the weekly digest.") == []


@pytest.mark.parametrize("text, quote", [
    ("For more than 20 years, Maria's panic attacks shaped her life.", "For more than 20 years"),
    ("Twelve years later, she tried ketamine for her anxiety.", "Twelve years"),
    ("He described ketamine as a turning point after years of depression.", "after years"),
    ("Her doctor left the practice last year, and she tried ketamine.", "last year"),
])
def test_a_time_in_a_story_is_not_a_finding(text, quote):
    rep = check(text, filename="t.md")
    assert [(n["quote"], n["reason_code"], n["reason"]) for n in rep.non_claims] == [
        (quote, "story_time", "a time in someone's story or a date, not a finding: not a claim to check")]
    assert quote not in [c["quote"] for c in rep.claims]


def test_a_relative_date_of_a_publication_stays_a_claim():
    # "last week" dates when a trial was published: an attribution claim, not a story
    rep = check("Last week a randomised trial of ketamine for anxiety was published in the Lancet Psychiatry.",
                filename="t.md")
    assert "last week" not in [n["quote"].lower() for n in rep.non_claims]


def test_hedged_and_other_treatment_efficacy_words_are_not_claims():
    text = ("Some antidepressants may also be effective in the treatment of panic disorder. "
            "Many patients get little to no benefit from first-line medications.")
    rep = check(text, filename="t.md")
    assert [(n["quote"], n["reason_code"], n["reason"]) for n in rep.non_claims] == [
        ("be effective", "hedged", "hedged (“may …”): it asserts no finding to check"),
        ("little to no benefit", "other_treatments", "describes who the patients are (not helped by other "
                                                     "treatments), not a finding about the treatment the article is "
                                                     "about")]
    assert rep.claims == []


def test_words_describing_the_condition_are_not_claims():
    # no treatment and no study in the sentence: "always"/"never" describe the condition
    rep = check("Everyday worry is always unpleasant and never fully goes away.", filename="t.md")
    assert [(n["quote"], n["reason_code"], n["reason"]) for n in rep.non_claims] == [
        ("always", "condition", "describes the condition, not a treatment or a study: not a claim to check"),
        ("never", "condition", "describes the condition, not a treatment or a study: not a claim to check")]
    assert rep.claims == []
    # "persistent" qualifying no effect ("persistent worry") is merged away, neither a claim nor listed
    rep = check("Generalized anxiety disorder is characterized by persistent worry and tension.", filename="t.md")
    assert (rep.claims, rep.non_claims) == ([], [])


def test_connectives_and_schedule_words_are_merged_not_listed():
    # "Compared to" alone and "maintenance program" assert nothing of their own: no claim, no not-a-claim row
    rep = check("Compared to many drugs on the market, this one is new. Patients are then placed on a "
                "maintenance program.", filename="t.md")
    assert [c["quote"] for c in rep.claims] == []
    assert [n["quote"] for n in rep.non_claims] == []


def test_each_span_once_and_nested_unchecked_items_merge_into_the_checked_one():
    a = {"start": 0, "end": 10, "quote": "0123456789", "sentence": "0123456789 x", "sentence_start": 0,
         "checkable": True, "detector": "pct", "claim_type": "response_rate", "id": 1}
    b = dict(a, checkable=False, id=2)                          # same span, unchecked: merged into a
    inner = dict(a, start=2, end=5, quote="234", checkable=False, id=3)   # inside a checked span: merged
    assert sift([a, b, inner]).claims == [a]


def test_a_design_repeated_about_the_same_study_is_listed_once():
    one = {"start": 0, "end": 5, "quote": "an RCT", "sentence": "s1", "sentence_start": 0, "checkable": True,
           "detector": "design", "claim_type": "design", "claimed_value": None, "claimed_low": None,
           "claimed_text": "parallel_rct", "study": "taylor2018", "id": 1}
    two = dict(one, start=50, end=55, sentence_start=40, id=2)
    fig = dict(one, start=80, end=83, sentence_start=70, claim_type="response_rate", claimed_value=33.3, id=3)
    fig2 = dict(fig, start=90, end=93, sentence_start=88, id=4)   # a figure said twice is two claims
    res = sift([one, two, fig, fig2])
    assert res.claims == [one, fig, fig2]
    assert [(n["quote"], n["reason_code"], n["reason"], n["start"]) for n in res.non_claims] == [
        ("an RCT", "repeated", "repeats “an RCT” above (the same statement about the same study), which is "
                               "checked there", 50)]


def test_doctor_named_in_a_story_is_not_a_citation():
    assert _quotes("The clinic is run by Dr Helen Moss, a psychiatrist in Leeds.") == []
    q = _quotes("Dr. Berman's placebo-controlled study changed the field.")
    assert "Dr. Berman's" in q


def test_title_words_are_not_journals():
    # "Clinical …" and "Cell" are journals only where the text cites one
    assert "Cell" not in _quotes("A long-term study of T Cells in 800 ketamine users.")
    rep = check("Clinical Effectiveness of Oral Ketamine in a Small Sample: A Chart Review\n", filename="t.md")
    assert [c["detector"] for c in rep.claims if c["claim_type"] == "attribution"] == []
    rep = check("The ketamine trial was published in Nature in 2019.", filename="t.md")
    assert [(c["quote"], c["claimed_text"]) for c in rep.claims if c["detector"] == "journal"] == [
        ("published in Nature", "Nature")]


def test_number_of_studies_written_k_equals():
    rep = check("This meta-analysis (k=14) of ketamine's effects on anxiety found rapid relief.", filename="t.md")
    got = [(c["quote"], c["claim_type"], c["claimed_value"], c["claimed_unit"]) for c in rep.claims
           if c["detector"] == "k-equals"]
    assert got == [("k=14", "sample_size", 14.0, "studies")]
    # outside a sentence about studies, "k = 3" is not a count of studies
    assert [c for c in check("Set k = 3 in the formula.", filename="t.md").claims if c["detector"] == "k-equals"] == []


def test_people_of_a_country_are_counted():
    rep = check("Ketamine could help the about 100,000 New Zealanders who do not respond to conventional treatment "
                "for depression.", filename="t.md")
    assert [(c["quote"], c["claimed_value"], c["claimed_unit"]) for c in rep.claims if c["detector"] == "count"] == [
        ("about 100,000 New Zealanders", 100000.0, "new zealanders")]


def test_mask_names_key_the_reasons():
    assert non_claim_matches("Rated 4.9 out of 5 by 312 Google reviews.") == [(0, 9, "rating"), (22, 40, "reviews")]


def test_json_and_jsonl_list_non_claims_beside_the_claims_without_a_verdict(tmp_path, capsys):
    import json

    from evidence.cli import main

    f = tmp_path / "post.md"
    f.write_text("Our team has treated over 900 patients. Sessions cost $350.\n", encoding="utf-8")
    assert main(["check", str(f), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [(o["quote"], o["not_a_claim"], o["verdict"], o["holds"], o["reason_code"], o["reason"]) for o in data] == [
        ("Our team has treated over 900 patients", True, None, None, "clinic_patients",
         "the clinic's own figure: it needs the clinic's own source, not the evidence base"),
        ("$350", True, None, None, "price", "a price: not a claim to check")]
    assert main(["check", str(f), "--format", "jsonl"]) == 0
    lines = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    assert [(o["file"], o["quote"], o["not_a_claim"], o["verdict"]) for o in lines] == [
        (str(f), "Our team has treated over 900 patients", True, None), (str(f), "$350", True, None)]
    assert main(["check", str(f)]) == 0
    table = capsys.readouterr().out
    assert "Not claims (2)" in table and "“$350” — a price: not a claim to check" in table
