"""What `check` says about the items it lists (settle13, session 12): classes of wrong verdicts found on holdout15 and
holdout16 (training since their one measurement at the end of session 11) and in an editor's made-up copy, each closed
as a class and pinned here.

Every sentence is made-up copy; a comment names the kind of training page each class was found on."""
from __future__ import annotations

from check_support import claims, md_claims   # tests/check_support.py


def _said(text: str) -> list[tuple[str, str, str]]:
    return [(c["quote"], c["claim_type"], c["verdict"]) for c in claims(text)]


def _with(text: str, words: str, md: bool = False) -> dict:
    found = md_claims(text) if md else claims(text)
    hits = [c for c in found if words in c["quote"]]
    assert hits, [(c["quote"], c["verdict"]) for c in found]
    return hits[0]


# ------------------------------------------------------------------ a PubMed id or DOI names its paper

_REPRINTED_ABSTRACT = """Ketamine for hard-to-treat depression: a new trial

Smith J, Doe K, Murrough JW, Lee P. Ketamine infusions in resistant depression. Fake J Med. 2022 Jan 5. doi: 10.9999/fake.2022.01. PMID: 99999999

Methods: We conducted an open-label trial of repeated ketamine infusions in patients with treatment-resistant major depression. Results: A total of 150 patients were enrolled, and responders were followed over a 6-month period.
"""


def test_an_abstract_reprinted_under_an_unknown_pmid_is_not_matched_to_another_study():
    # found on a psychiatrist's blog reprinting a NEJM abstract under its citation (PMID, DOI): the Methods sentence's
    # description (open-label, TRD) matched Murrough 2013, and the trial's 403 randomized, 200 per arm and 6-month
    # follow-up were called overstated against Murrough's 24 patients and 83 days; the PMID names a paper the
    # evidence base does not hold, and neither a description nor the paper's own n (150 is Apeldoorn 2010's) replaces it
    found = claims(_REPRINTED_ABSTRACT)
    for words in ("150 patients", "6-month"):
        c = next(c for c in found if words in c["quote"])
        assert c["holds"] is None and "not in the evidence base" in c["reason"], (c["quote"], c["reason"])
        assert "PMID 99999999" in c["reason"]
    assert not any(c["source_ids"] for c in found), _said(_REPRINTED_ABSTRACT)


def test_a_pmid_the_evidence_base_records_names_that_study():
    # Murrough 2013's PubMed id is 22840761 (sources.csv murrough2013, PMC3725185 header); 24 patients (its abstract)
    c = _with("Murrough JW, et al. Biol Psychiatry. PMID: 22840761. In this study, 24 patients received up to six "
              "ketamine infusions.", "24 patients")
    assert c["verdict"] == "accurate" and c["source_ids"] == ["murrough2013"]


# ------------------------------------------------------------------ a group's size is not the whole trial's

def test_a_groups_size_is_compared_only_with_that_groups_size():
    # the same page: "200 patients were assigned to the ketamine group" is one arm's size; Fava 2018 records its
    # arms (facts.csv fava2018_n_midazolam: 19) and its total (sources.csv n_randomized 99)
    c = _with("In Fava et al. (2018), 19 patients were assigned to the midazolam group.", "19 patients")
    assert c["verdict"] == "accurate" and "midazolam" in c["compared_with"]
    # a total is not compared with one arm, and an arm not with the total
    c = _with("Fava et al. (2018) randomized 99 patients.", "99 patients")
    assert c["verdict"] == "accurate" and "arm" not in c["compared_with"]
    c = _with("In Fava et al. (2018), 22 patients were assigned to the ketamine 0.5 mg/kg group.", "22 patients")
    assert c["verdict"] == "accurate" and "0.5 mg/kg" in c["compared_with"]   # fava2018_n_ketamine_0p5: n = 22


def test_an_arm_the_study_has_several_of_abstains():
    # Fava 2018 gave four ketamine doses (facts.csv fava2018_n_ketamine_0p1 … _1p0): "the ketamine group" is none
    # of them in particular; before, the 0.1 mg/kg arm (18) was taken and 40 called overstated
    c = _with("In Fava et al. (2018), 40 patients were assigned to the ketamine group.", "40 patients")
    assert c["holds"] is None and "group" in c["reason"], c["reason"]


# ------------------------------------------------------------------ racemic ketamine's off-label use

def test_off_label_for_mood_disorders_after_an_anaesthesia_approval_is_accurate():
    # found on two clinics' FAQs ("Although Ketamine is FDA approved for anesthesia, … for the treatment of mood
    # disorders is an off-label usage"; "While ketamine is FDA approved for anesthesia, ketamine therapy for mood
    # disorders … is not FDA approved"): the concessive clause's anaesthesia approval was read as the claim's
    # indication and the label contradicted it. FDA 2023 (facts.csv): "Ketamine is not FDA approved for the treatment
    # of any psychiatric disorder"; the approval for depression is esketamine's
    for text, words in (("Although ketamine is FDA approved for anesthesia, its use for mood disorders is an off-label "
                         "use of the drug.", "off-label"),
                        ("While ketamine is approved for anesthesia, ketamine treatment for mood disorders is not FDA "
                         "approved.", "not FDA approved")):
        c = _with(text, words)
        assert c["verdict"] == "accurate", (c["quote"], c["verdict"], c["compared_with"])
        assert "psychiatric" in c["compared_with"]
        assert all(x["verdict"] != "contradicted" for x in claims(text)), _said(text)


def test_the_anaesthesia_approval_in_the_same_sentence_is_still_checked():
    # Ketalar's label: a general anesthetic (facts.csv, DailyMed 2024)
    c = _with("Although ketamine is FDA approved for anesthesia, its use for mood disorders is off-label.",
              "approved for anesthesia")
    assert c["verdict"] == "accurate" and "Ketalar" in c["compared_with"]


# ------------------------------------------------------------------ esketamine's indications and their dates

def test_indicated_for_mdd_as_a_whole_is_overstated():
    # found on a trade-press news item ("SPRAVATO (esketamine) CIII nasal spray is indicated for major depressive
    # disorder (MDD)", labelled fails): every approved indication is narrower: TRD with an oral antidepressant
    # (FDA, 5 March 2019), MDD with acute suicidal ideation (Janssen, 3 August 2020), alone for MDD with an inadequate
    # response to at least two oral antidepressants (J&J, 21 January 2025)
    c = _with("The esketamine nasal spray is indicated for major depressive disorder (MDD).", "indicated")
    assert c["verdict"] == "overstated" and "narrower" in c["explanation"]
    c = _with("Esketamine is indicated for treatment-resistant depression in adults.", "indicated")
    assert c["verdict"] == "accurate"


def test_approved_for_depression_in_plain_words_is_not_the_indication_rule():
    # the corpus reads "approved for depression" as the approval told in plain words (holds, FDA 2019)
    c = _with("Esketamine is approved for depression.", "approved for depression")
    assert c["verdict"] == "accurate"


def test_not_approved_as_solo_therapy_is_contradicted_by_the_2025_approval():
    # found on a clinic's Spravato page ("This treatment has not been approved by the FDA as solo therapy.", labelled
    # fails): J&J, 21 January 2025 (facts.csv esketamine_monotherapy_approval_2025): "the first and only monotherapy"
    text = "Patients keep their antidepressant while receiving Spravato. This treatment has not been approved as solo therapy."
    c = _with(text, "solo therapy")
    assert c["verdict"] == "contradicted" and "2025" in c["explanation"], (c["verdict"], c["explanation"])


# ------------------------------------------------------------------ a misattribution needs a source that says otherwise

def test_an_organisations_report_of_another_year_is_not_misattributed():
    # found on a clinic's blog ("A 2020 survey by the Centers for Disease Control & Prevention", labelled holds): the
    # evidence base's one CDC record is the NCHS data brief of 2024, so "2020" was misattributed; an organisation
    # publishes many reports, and the one cited is not in the evidence base
    c = _with("A 2020 survey by the Centers for Disease Control found that many adults had anxiety.", "2020 survey")
    assert c["holds"] is None and "organisation" in c["reason"], (c["verdict"], c["reason"])
    # the record's own year is still its year (nchs_nhsr213_2024)
    c = _with("A 2024 report by the Centers for Disease Control found that adults had anxiety.", "2024 report")
    assert c["verdict"] == "accurate"


def test_an_approval_date_in_brackets_is_not_a_journal_name():
    # found in a drug wiki's table row ("… (FDA-approved March 2019)", labelled holds): "FDA-approved March" was read
    # as the journal and misattributed against the FDA's name; a month abbreviation ("Aug 2020") was read as an author
    text = "| uses | Depressive symptoms in adults with MDD with suicidal ideation (FDA-approved Aug 2020). |"
    found = md_claims(text)
    assert not any(c["verdict"] == "misattributed" for c in found), [(c["quote"], c["verdict"]) for c in found]
    assert not any("author Aug" in c["reason"] for c in found), [c["reason"] for c in found]


# ------------------------------------------------------------------ confident verdicts on what the base cannot settle

def test_a_postpartum_prevalence_is_not_a_survey_of_all_women():
    # found on a wellness page ("PPD is estimated to occur in 6.5% to 20% of postpartum women", labelled unknown):
    # called accurate against NIMH's 8% of U.S. women with social anxiety disorder
    c = _with("In the U.S., PPD affects 10% to 15% of postpartum women.", "%")
    assert c["holds"] is None and "childbirth" in c["reason"], (c["verdict"], c["reason"])
    # NIMH: social anxiety disorder, past year, U.S. women 8% (prevalence.csv)
    c = _with("About 8% of women in the U.S. have social anxiety disorder.", "8%")
    assert c["verdict"] == "accurate"


def test_an_anaesthetic_use_ranked_against_others_is_not_settled_by_the_label():
    # found on a legal-status page ("Ketamine is most commonly used as an anesthetic in veterinary medicine",
    # labelled unknown): the label records the indication, not which use is the commonest
    text = "Today ketamine is most commonly used as an anesthetic by vets."
    assert all(c["holds"] is None for c in claims(text)), _said(text)


def test_a_list_of_risks_is_not_settled_by_its_abuse_entry():
    # found on a clinical-reference page (the REMS reasons "sedation; difficulty with attention …; suicidal thoughts
    # and behaviors; and the potential for drug misuse", labelled unknown): the abuse rule settled the whole list;
    # the FDA 2019 release gives sedation, dissociation and abuse/misuse, not suicidal thoughts
    text = ("Patients stay two hours because of the risk of sedation; trouble with thinking; suicidal thoughts; and the "
            "potential for drug misuse.")
    assert all(c["holds"] is None for c in claims(text)), _said(text)
    # alone, the risk of misuse is the FDA's reason for esketamine's restricted programme (fda_esketamine_rems)
    c = _with("Esketamine carries a potential for misuse.", "misuse")
    assert c["verdict"] == "accurate"


# ------------------------------------------------------------------ a share of symptoms is not a share of people

def test_half_of_their_symptoms_is_not_a_responder_share():
    # an editor's made-up sentence (issue 15 review): compared with Taylor 2018's 88.9% of VAS responders after
    # ketamine and called understated; "half of their symptoms vanished" is a change within each person, and the
    # curated reading of that wording (data/claims.csv 003-07) is a judgement on the responder difference, not a share
    text = "In the Taylor 2018 trial, 18 adults with social anxiety received ketamine; half of their anxiety symptoms vanished."
    c = _with(text, "half of their")
    assert c["holds"] is None and "within a person" in c["reason"], (c["verdict"], c["reason"])


def test_the_curated_wording_keeps_the_curated_verdict():
    # article 003's wording (claims.csv 003-07, verdict overstated, justification in the row): the same evaluate as
    # `evidence claims`; the share beside it is not compared with the share of people receiving treatment (ADAA)
    text = ("In the Taylor 2018 trial, 18 adults with social anxiety received ketamine; half of their self-reported "
            "anxiety symptoms vanished after receiving treatment.")
    found = claims(text)
    assert any(c["verdict"] == "overstated" and "curated" in c["link_basis"] for c in found), _said(text)
    half = [c for c in found if c["quote"].startswith("half of their")]
    assert all(c["holds"] is None for c in half), _said(text)


# ------------------------------------------------------------------ "the two treatments" counts nothing tried

def test_the_two_treatments_named_before_are_not_the_definitions_count():
    # the reprinted-abstract page ("… the comparative effectiveness of the two treatments remains uncertain", an item
    # outside the labels): "two treatments" was called accurate against the definition of treatment-resistant
    # depression (facts.csv trd_definition, Fava 2018); "the two treatments" are ECT and ketamine, named before
    text = ("ECT and ketamine are both used for treatment-resistant depression, but how the two treatments compare "
            "remains uncertain.")
    assert all(c["holds"] is None for c in claims(text)), _said(text)
    # a count of treatments that failed is still the definition's (at least two, Fava 2018)
    c = _with("People have treatment-resistant depression when two treatments have failed.", "two treatments")
    assert c["holds"] is True and "fava2018" in c["source_ids"]


# ------------------------------------------------------------------ holdout17's confident verdicts (after it joined)

def test_a_who_listing_a_fast_track_and_a_low_abuse_risk_are_not_settled():
    # found on holdout17 after it joined training (a news reprint and a safety explainer): "is listed by the World
    # Health Organization as an important anesthetic" was accurate on Ketalar's FDA label (a WHO listing is not an
    # FDA fact); "placed on the fast track for … FDA approval" was contradicted by the approval record (a designation
    # before an approval); "the abuse potential is relatively low" was accurate by the label (which records that the
    # risk exists, not its size)
    for text in ("Ketamine is listed by the World Health Organization as a key anesthetic.",
                 "The spray was placed on the fast track for FDA approval for treating depression, its maker said.",
                 "The abuse potential is relatively low in most patients given ketamine in a clinic."):
        found = claims(text)
        assert found and all(c["holds"] is None for c in found), _said(text)
    # the risk itself is still the label's (Pfizer ketamine label, section 9: "risk for abuse and misuse")
    c = _with("Ketamine has a potential for abuse and misuse.", "potential for abuse")
    assert c["verdict"] == "accurate"
