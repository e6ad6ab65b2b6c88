"""Classes of wrong or missed links found on the corpus's training pages (session 7), each closed and pinned.

Every case is copy written for this test (never corpus text). Each asserts the study or topic the claim resolved to
(or none), and the verdict, or the reason in words it abstains with. Figures come from data/:
sources.csv feder2021 (Feder et al. 2021, American Journal of Psychiatry; its notes record registry NCT02397889) and
its outcome feder2021_caps5_response (10 of 15 on ketamine responded at week 2: 67%); pacilio2025 (a survey, the
only study of 2025 in the evidence base); rodriguez2016 (an open-label trial, the only study of 2016); taylor2018
(the curated claim 003-10, quote "placebo-controlled").
"""
from __future__ import annotations

from check_support import claims, one   # tests/check_support.py


# ------------------------------------------------------------------ 1. a registry number names its study

def test_registry_number_in_the_evidence_base_names_its_study():
    # NCT02397889 is Feder 2021's registry record (sources.csv feder2021 notes; nct02397889 is the record itself):
    # the paper is the study; 10/15 = 67% responded on ketamine (outcomes.csv feder2021_caps5_response)
    c = one("In the trial registered as NCT02397889, 67% of patients who received ketamine responded.",
            "response_rate")
    assert c["study"] == "feder2021"
    assert "registry NCT02397889" in c["link_basis"]
    assert c["holds"] is True


def test_registry_number_not_in_the_evidence_base_names_no_study():
    # was: "the 2025 … placebo-controlled study (NCT…)" linked to Pacilio 2025, a survey, by its year, misattributed
    c = one("In the trial registered as NCT09999999, 67% of patients who received ketamine responded.",
            "response_rate")
    assert c["study"] == "" and c["checkable"] is False
    assert c["reason"] == "no study in the evidence base matches (cues: registry NCT09999999)"


def test_a_study_named_by_an_unknown_registry_is_the_passage_study():
    # the next sentence's "The trial" is the unknown registered trial, not another study of the same year
    text = ("The 2025 study (NCT09999999) was randomized, double-blind and placebo-controlled. "
            "The trial gave patients 56 mg or 84 mg of esketamine.")
    c = one(text, "dose_route") if len([x for x in claims(text) if x["claim_type"] == "dose_route"]) == 1 else \
        next(x for x in claims(text) if x["claimed_unit"] == "mg")
    assert c["study"] == "" and c["checkable"] is False
    assert "not in the evidence base" in c["reason"] and "registry NCT09999999" in c["reason"]


# ------------------------------------------------------------------ 2. a year alone does not beat a design

def test_year_alone_does_not_name_a_survey_for_a_placebo_controlled_trial():
    # pacilio2025 is the only study of 2025 in sources.csv, and it is a survey
    c = one("A 2025 randomized, double-blind, placebo-controlled study found that 20% of patients remitted.",
            "response_rate")
    assert c["study"] == "" and c["checkable"] is False
    assert c["reason"] == ("the year fits only Pacilio et al. 2025 (Journal of Clinical Psychiatry), a survey, but the "
                           "sentence describes a randomized, double-blind, placebo-controlled trial: a year alone does "
                           "not outweigh the design it describes")


def test_year_alone_does_not_name_an_open_label_study_for_a_blinded_trial():
    # rodriguez2016 (sources.csv design open_label) is the only study of 2016
    c = one("A 2016 double-blind trial found that 50% of patients with OCD responded.", "response_rate")
    assert c["study"] == "" and c["checkable"] is False
    assert "Rodriguez et al. 2016" in c["reason"] and "a double-blind trial" in c["reason"]


def test_short_curated_wording_needs_its_own_study():
    # was: any "placebo-controlled" took curated claim 003-10's answer (Taylor 2018), e.g. on an esketamine study
    for text in ("Esketamine was tested in a placebo-controlled study.",
                 "The approval is supported by data from a randomized, double-blind, placebo-controlled study."):
        found = claims(text)
        assert all(c["study"] != "taylor2018" and "taylor2018" not in c["source_ids"] for c in found), found
        assert all(c["holds"] is None for c in found if c["claim_type"] == "design")


# ------------------------------------------------------------------ 4. an anaesthetic use tied to the drug's history

def test_anaesthetic_use_tied_to_a_discovery_and_a_country_is_not_settled_by_the_label():
    # was: accurate against the Ketalar label's indication (facts.csv ketalar_fda_indication), which records neither
    # where ketamine was discovered nor when; the labeller found it discovered in the U.S. (Parke-Davis, 1962)
    c = one("Ketamine has been used since its discovery in Belgium during the 1960s as an anesthetic.",
            "regulatory_status")
    assert c["checkable"] is False and c["holds"] is None
    assert c["reason"].startswith("the sentence ties the anaesthetic use to the drug's history (“discovery”)")


def test_anaesthetic_use_in_a_war_is_not_settled_by_the_label():
    c = one("In 1966 ketamine was used as a battlefield anesthetic in the Vietnam war.", "regulatory_status")
    assert c["checkable"] is False and "its use in a war" in c["reason"]


def test_anaesthetic_use_dated_by_its_approval_is_still_checked():
    # the label's indication (facts.csv ketalar_fda_indication) settles the use; no history is tied to it
    c = one("Ketamine has been used as an anesthetic since 1970.", "regulatory_status")
    assert c["recompute"] == "fact:id=ketalar_fda_indication" and c["holds"] is True


# ------------------------------------------------------------------ 7. "at least 2" oral antidepressants is TRD

def test_monotherapy_for_mdd_after_at_least_2_antidepressants_is_the_2025_approval():
    # J&J, 21 January 2025 (facts.csv esketamine_monotherapy_approval_2025): "the first and only monotherapy for adults
    # living with MDD who have had an inadequate response to at least two oral antidepressants"; was: overstated, as
    # if the sentence said MDD as a whole ("not responded adequately to at least 2" was not read as that population)
    found = [c for c in claims("Spravato is now the first and only monotherapy for adults with major depressive "
                               "disorder who have not responded adequately to at least 2 oral antidepressants.")
             if c["recompute"] == "fact:id=esketamine_monotherapy_approval_2025"]
    assert found and all(c["holds"] is True for c in found), [(c["quote"], c["verdict"]) for c in found]


# ------------------------------------------------------------------ 8. Spravato's restrictions said with "it"

def test_restriction_said_with_it_after_spravato_is_spravatos():
    # FDA, 5 March 2019 (facts.csv fda_esketamine_certified_setting): "available only at a certified doctor's office or
    # clinic"; was: "not a clinic's own procedure for ketamine" because the sentence itself names no drug
    c = one("Spravato is a nasal spray for depression. It must be given in a certified doctor's office or clinic.",
            "regulatory_status")
    assert c["recompute"] == "fact:id=fda_esketamine_certified_setting" and c["holds"] is True


def test_restriction_said_with_it_after_ketamine_is_a_clinics_procedure():
    c = one("Ketamine infusions are given by our nurses. It must be given in a certified doctor's office or clinic.",
            "regulatory_status")
    assert c["checkable"] is False
    assert c["reason"] == ("the evidence base records where esketamine (Spravato) may be given and with what, not a "
                           "clinic's own procedure for ketamine")


def test_each_requirement_of_a_restriction_is_its_own_clause():
    # "cannot be taken home" is what the certified-setting record says; supervision is not recorded (abstains)
    found = {c["quote"]: c for c in claims("Spravato is a nasal spray. It cannot be taken home and must be given "
                                           "under the supervision of a doctor.") if c["claim_type"] == "regulatory_status"}
    assert found["cannot be taken home"]["holds"] is True
    sup = next(c for q, c in found.items() if "supervision" in q)
    assert sup["checkable"] is False and "not who must supervise or monitor it" in sup["reason"]
    assert "esketamine (Spravato) is only available" in sup["reason"]


def test_a_purpose_after_a_restriction_is_not_a_requirement():
    # "to ensure proper monitoring" says why; the REMS record (facts.csv fda_esketamine_rems) settles the rest
    found = [c for c in claims("Spravato is a nasal spray. It must be administered in certified clinics under the REMS "
                               "safety program to ensure proper monitoring.") if c["claim_type"] == "regulatory_status"
             and c["checkable"]]
    assert found and all(c["holds"] is True for c in found)


# ------------------------------------------------------------------ 5. "the approval" refers back

def test_the_approval_refers_back_and_is_not_checked_against_another_approval():
    # was: "The approval follows an FDA Priority Review" accurate against the 2019 TRD approval
    # (facts.csv fda_esketamine_trd_approval) in a text about the 2025 monotherapy approval
    found = {c["quote"]: c for c in claims(
        "FDA Approves Esketamine as Monotherapy for Adults With Treatment-Resistant Depression. "
        "The approval of esketamine follows an FDA Priority Review and is based on data showing rapid improvement "
        "in depressive symptoms.")}
    c = found["approval"]
    assert c["checkable"] is False and not c["recompute"]
    assert c["reason"].startswith("“the approval” refers back to the approval the text stated before")


def test_an_approval_with_its_own_year_is_an_approval_claim():
    # FDA, 5 March 2019 (facts.csv fda_esketamine_trd_approval): Spravato was approved in 2019
    found = [c for c in claims("Spravato is a nasal spray. The approval of Spravato in 2019 was a milestone.")
             if c["claim_type"] == "regulatory_status" and c["holds"] is not None]
    assert found and all(c["holds"] is True for c in found)


# ------------------------------------------------------------------ 6. approval records: other uses, other drugs

def test_a_use_added_to_the_indication_is_not_settled_by_it():
    # was: "FDA-approved to treat depression and mood disorders" accurate against the label header's approval date
    # (facts.csv spravato_label_header, "Initial U.S. Approval: 1970 (ketamine)"), because "unlike … ketamine"
    # was read as the claim's drug; no recorded approval of Spravato is for mood disorders
    c = next(c for c in claims("The best-known nasal spray is Spravato and, unlike injections of ketamine, it is "
                          "FDA-approved to treat depression and mood disorders.") if "FDA-approved" in c["quote"])
    assert c["checkable"] is False
    assert c["reason"].startswith("the sentence names a use for mood disorders")


def test_a_drug_the_claim_is_contrasted_with_is_not_its_drug():
    # FDA, 5 March 2019 (facts.csv fda_esketamine_trd_approval): Spravato approved for treatment-resistant depression
    c = next(c for c in claims("Unlike ketamine, Spravato is FDA-approved to treat treatment-resistant depression.")
             if c["claim_type"] == "regulatory_status")
    assert c["recompute"] == "fact:id=fda_esketamine_trd_approval" and c["holds"] is True


def test_a_sole_treatment_is_the_2025_monotherapy_approval():
    # was: accurate against the label header's "Initial U.S. Approval: 1970 (ketamine)" (the wrong approval).
    # J&J, 21 January 2025 (facts.csv esketamine_monotherapy_approval_2025): monotherapy for adults with MDD after an
    # inadequate response to at least two oral antidepressants: true of a kind of depression, not of all depression
    c = next(c for c in claims("Spravato was approved Tuesday by the Food and Drug Administration for use as a sole "
                               "treatment for depression.") if c["claim_type"] == "regulatory_status")
    assert c["recompute"] == "fact:id=esketamine_monotherapy_approval_2025"
    assert c["verdict"] == "accurate_missing_context"
    assert "not for depression in general" in c["explanation"]


def test_an_approval_date_record_does_not_settle_an_undated_use():
    # the label header (facts.csv spravato_label_header) dates the first approval of ketamine; it says nothing of the
    # uses of esketamine, so an undated approval for a use is never compared with it
    for c in claims("Spravato is FDA-approved for adults with treatment-resistant depression."):
        assert c["recompute"] not in ("fact:id=spravato_label_header", "fact:id=spravato_label_initial_approval_year",
                                      "fact:id=fda_esketamine_approval_date"), c


# ------------------------------------------------------------------ years in words

def test_years_are_written_as_years():
    from evidence.check.judge import year_words

    assert year_words(1962.0) == "1962"                     # never "1,962"
    assert year_words(None, 1970.0, 1979.0) == "the 1970s"
    assert year_words(None, 1970.0, 1973.0) == "the early 1970s"
    assert year_words(None, 1964.0, 1966.0) == "the mid-1960s"
    assert year_words(None, 1987.0, 1989.0) == "the late 1980s"
    assert year_words(None, 1964.0, 1970.0) == "1964–1970"


def test_a_decade_in_a_claim_reads_as_a_decade():
    # was: claimed "1,970–1,973 year"
    found = [c for c in claims("Ketamine was approved for use in anesthesia during the early 1970s.")
             if c.get("claimed_unit") == "year"]
    assert found and all(c["claimed"] == "the early 1970s" for c in found)
    assert not any("1,97" in str(v) for c in claims("Ketamine has been used as an anesthetic since the 1970s.")
                   for v in c.values())


# ------------------------------------------------------------------ 3. a curated figure worded differently

def test_a_figure_in_a_curated_statement_is_matched_in_its_own_words():
    # facts.csv feder2014_primary_result (Feder 2014 abstract): "… compared with midazolam, when assessed 24 hours after
    # infusion" (no figure column of its own); was: "does not bear on the claim as worded"
    c = next(c for c in claims("Feder et al. (2014) in JAMA Psychiatry found that the primary outcome, PTSD symptom "
                               "severity, improved with ketamine at 24 hours.") if c["claimed_unit"] == "hours")
    assert c["recompute"] == "fact:id=feder2014_primary_result" and c["holds"] is True


def _fact(fid: str):
    from evidence.check.link import get_index

    return next(c for c in get_index().candidates if (c.row or {}).get("fact_id") == fid)


def _approval(text: str):
    from evidence.check.pipeline import analyse

    return next(d for d in analyse(text).detected if d.claim_type == "regulatory_status")


def test_a_figure_not_in_the_curated_statement_is_not_matched():
    from evidence.check.linkscore import figure_in_text

    fact = _fact("feder2014_primary_result")

    class D:   # the slots figure_in_text reads
        value, low, unit = 48.0, None, "hours"
    assert figure_in_text(D, fact) is None                  # the abstract says 24 hours, not 48
    D.value = 24.0
    assert figure_in_text(D, fact) == "24 hours"


def test_an_approval_dated_to_the_year_of_the_date_record_is_said_in_its_words():
    # facts.csv fda_esketamine_approval_date: 2019-03-05 (FDA news release date); was: "does not bear on the claim as
    # worded" (the engine could not find "approved" in a date)
    from evidence.check.regulatory import approval_date_words

    record = _fact("fda_esketamine_approval_date")
    assert approval_date_words(_approval("Esketamine was approved by the FDA in 2019."), record) == "2019-03-05"
    assert approval_date_words(_approval("Esketamine was approved by the FDA in 2021."), record) is None


def test_a_date_said_aside_does_not_tie_the_use_to_history():
    # "Discovered in 1962, …" dates the discovery; the present use as an anaesthetic is the label's indication
    # (facts.csv ketalar_fda_indication)
    for text in ("Ketamine, discovered in 1962, is widely used as an anesthetic in hospitals.",
                 "Discovered in 1962, ketamine is a synthetic compound used as an anesthetic."):
        c = one(text, "regulatory_status")
        assert c["recompute"] == "fact:id=ketalar_fda_indication" and c["holds"] is True, text


# ------------------------------------------------------------------ a misspelt indication is matched

def test_a_misspelt_indication_is_the_facts_word():
    # facts.csv ketalar_fda_indication: "KETALAR is a general anesthetic indicated …"; "as an aesthetic" is that word
    # misspelt (was: "does not bear on the claim as worded")
    c = next(c for c in claims("Doctors may prescribe ketamine; the drug has been officially approved by the FDA as an "
                               "aesthetic, but not as a treatment for depression.") if "aesthetic" in c["quote"])
    assert c["recompute"] == "fact:id=ketalar_fda_indication" and c["holds"] is True


def test_indication_typo_leaves_the_facts_own_words_alone():
    from evidence.check.regulatory import indication_typo

    fact = _fact("ketalar_fda_indication")
    assert indication_typo(_approval("Ketamine is approved by the FDA as an anesthetic."), fact) is None
    assert indication_typo(_approval("Ketamine is approved by the FDA as an anestetic."), fact) == "anesthetic"


def test_a_drug_name_in_a_sentence_that_denies_its_approval_is_not_an_approval():
    # was: "Esketamine" accurate against FDA 2019 (facts.csv fda_esketamine_trd_approval), read as "esketamine is
    # approved" in a sentence that says it is not
    found = [c for c in claims("Esketamine is not currently an approved treatment for depression.")
             if c["claim_type"] == "regulatory_status"]
    assert found and all(c["holds"] is not True for c in found), [(c["quote"], c["verdict"]) for c in found]


# ------------------------------------------------------------------ an approval year is the drug's own

def test_the_label_headers_1970_is_ketamines_not_spravatos():
    # facts.csv spravato_label_header: "SPRAVATO (esketamine) nasal spray, CIII. Initial U.S. Approval: 1970
    # (ketamine)"; was: "Spravato was approved by the FDA in 1970" accurate against it. FDA, 5 March 2019
    # (fda_esketamine_trd_approval) is Spravato's first approval, and nothing is approved before its approval date
    c = next(c for c in claims("Spravato was approved by the FDA in 1970.") if c["claim_type"] == "regulatory_status")
    assert c["verdict"] == "contradicted"
    c = next(c for c in claims("Ketamine was approved by the FDA in 1970.") if c["claim_type"] == "regulatory_status")
    assert c["holds"] is True


def test_an_approval_said_with_it_is_the_approval_of_the_drug_named_before():
    # "it" is ketamine: the header's "Initial U.S. Approval: 1970 (ketamine)" settles it; was: "a general approval
    # statement"
    found = [c for c in claims("Ketamine is a dissociative anesthetic. The FDA approved it in 1970.")
             if c["claim_type"] == "regulatory_status" and "approved" in c["quote"].lower()]
    assert found and all(c["holds"] is True for c in found)
    # "it" is Spravato: the 1970 approval is not its own
    found = [c for c in claims("Spravato is a nasal spray. The FDA approved it in 1970.")
             if c["claim_type"] == "regulatory_status" and "approved" in c["quote"].lower()]
    assert found and all(c["holds"] is not True for c in found)


def test_it_after_a_sentence_naming_both_drugs_refers_to_neither():
    from evidence.check.statements import referred_drug

    assert referred_drug("It was approved in 2019.", "Esketamine, derived from ketamine, can now be used alone.") == ""
    assert referred_drug("It was approved in 1970.", "Ketamine is an anesthetic.") == "ketamine"
    assert referred_drug("It was approved in 2019.", "Spravato is a nasal spray.") == "esketamine"


def test_a_route_is_not_misattributed_against_a_record_of_several_routes():
    # sources.csv pacilio2025 route = mixed (a survey of clinics that give ketamine by several routes); was:
    # "intravenously" misattributed ("the source's own record says several routes")
    for c in claims("Pacilio et al. (2025) found that most psychiatrists prescribe ketamine intravenously."):
        assert c["verdict"] != "misattributed", c
    from evidence.check.link import get_index
    from evidence.check.pipeline import analyse

    text = "Pacilio et al. (2025) found that most psychiatrists prescribe ketamine intravenously."
    an = analyse(text)
    route = [lk for d, lk in get_index().link_all(an.detected, an.sentences) if d.kind == "route"]
    assert route and all(not lk.recompute for lk in route)
    assert route[0].reason.startswith("Pacilio et al. 2025 (Journal of Clinical Psychiatry) records several routes")
