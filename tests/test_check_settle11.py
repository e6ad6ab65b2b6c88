"""What `check` says about the items it lists (settle11, session 11): classes of wrong or over-confident verdicts
found on holdout13 (now training) and the train split's disagreements, each closed and pinned.

Sentences are made-up copy unless a comment names the training page they are modelled on."""
from __future__ import annotations

import sys
from pathlib import Path

from check_support import claims   # tests/check_support.py

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
import bench_check_corpus as bench  # noqa: E402


def _of(text: str, claim_type: str) -> list[dict]:
    return [c for c in claims(text) if c["claim_type"] == claim_type]


def _with(text: str, words: str) -> dict:
    hits = [c for c in claims(text) if words in c["quote"]]
    assert hits, [(c["quote"], c["verdict"]) for c in claims(text)]
    return hits[0]


# ------------------------------------------------------------------ the drug an approval is said of

def test_a_form_of_ketamine_that_is_approved_is_the_forms_approval():
    # modelled on balancedmentalwellness_faq ("esketamine, a form of ketamine that has been FDA-approved for the
    # treatment of treatment-resistant depression"), contradicted as if ketamine were approved: the restrictive
    # "that" (no comma) says it of the form. Fact fda_esketamine_trd_approval: Spravato (esketamine) approved for TRD
    c = _with("Our clinic offers esketamine, a version of ketamine that has been FDA-approved for "
              "treatment-resistant depression.", "approved")
    assert c["verdict"] == "accurate" and "fda_spravato_2019" in c["source_ids"], (c["verdict"], c["link_basis"])


def test_ketamine_itself_said_to_be_approved_for_depression_is_still_contradicted():
    # FDA 2023 (fact fda_ketamine_not_approved_psychiatric): "Ketamine is not FDA approved for the treatment of any
    # psychiatric disorder"
    c = _with("Ketamine has been FDA-approved for the treatment of treatment-resistant depression.", "approved")
    assert c["verdict"] == "contradicted"


# ------------------------------------------------------------------ a cited study that studied another condition

def test_a_citation_of_a_trial_of_another_condition_abstains():
    # modelled on integratedketamine_anxiety ("A study by Feder et al. (2014) demonstrated that patients with
    # treatment-resistant anxiety …"): Feder 2014 (sources.csv diagnosis PTSD) is a PTSD trial, and the citation was
    # called accurate on its year; the condition the sentence describes is not the study's, so nothing is settled
    for text, said in (("A trial by Feder and colleagues (2014) showed that people with social anxiety got better "
                        "fast.", "social anxiety"),
                       ("Feder et al. (2014) found that ketamine helped patients with anxiety in a day.", "anxiety")):
        found = claims(text)
        assert found and all(c["holds"] is None for c in found), [(c["quote"], c["verdict"]) for c in found]
        assert any("which studied post-traumatic stress disorder, but the sentence describes " + said in c["reason"]
                   for c in found), [c["reason"] for c in found]


def test_a_citation_of_the_trial_with_its_own_condition_is_still_checked():
    # Feder 2014 studied chronic PTSD (sources.csv): the condition named is the study's, so its year is checked
    c = _with("A trial by Feder and colleagues (2014) showed that people with chronic PTSD got better fast.", "Feder")
    assert c["verdict"] == "accurate" and c["study"] == "feder2014"


def test_a_condition_measured_is_not_the_condition_studied():
    # Oliver 2022 (sources.csv diagnosis TRD) measured anxiety symptoms: an outcome is what was measured, not who
    # was studied, so the journal and the n still name the study (tests/test_check_linking.py's chart review)
    text = ("A chart review of 424 patients, published in the Journal of Clinical Psychiatry, reported a 30% "
            "reduction in anxiety symptoms.")
    assert all(c["study"] == "oliver2022" for c in claims(text))


def test_a_second_condition_beside_the_studys_own_is_no_clash():
    # "PTSD and depression": the study's own condition is named, so the study is still the one cited
    c = _with("Feder et al. (2014) found that ketamine eased PTSD and depression symptoms.", "Feder")
    assert c["study"] == "feder2014"


# ------------------------------------------------------------------ listings and licences outside the FDA's remit

def test_a_who_listing_is_not_settled_by_an_fda_indication():
    # modelled on unityhealth_ketamine_depression_program ("on the World Health Organization's list of Essential
    # Medications as an anesthetic", labelled unknown: no WHO list was read), called accurate against Ketalar's
    # FDA indication; the evidence base holds no WHO fact
    regs = _of("Ketamine appears on the WHO list of essential medicines as an anaesthetic agent.", "regulatory_status")
    assert regs and all(c["holds"] is None for c in regs), [(c["quote"], c["verdict"]) for c in regs]
    assert any("World Health Organization's list of essential medicines" in c["reason"] for c in regs)


def test_a_uk_licence_is_not_settled_by_an_fda_approval():
    # modelled on oxfordhealth_ketamine_service_faq ("ketamine is licensed as an anaesthetic and for analgesia",
    # after "Drugs receive a licence if the MHRA approves them"): a UK licence is the MHRA's; data/ holds only the
    # FDA's approvals (facts.csv), so the claim abstains instead of being called accurate by Ketalar's U.S. label
    text = ("In Britain, medicines are licensed by the MHRA. Ketamine is licensed as an anaesthetic for surgery.")
    regs = _of(text, "regulatory_status")
    assert regs and all(c["holds"] is None for c in regs), [(c["quote"], c["verdict"]) for c in regs]
    assert any("in the UK it is the MHRA's" in c["reason"] for c in regs), [c["reason"] for c in regs]


def test_a_us_approval_said_as_licensed_is_still_checked():
    # the U.S. named in the sentence keeps it the FDA's: Ketalar's label (facts.csv) indicates it as an anesthetic
    regs = _of("In the United States, ketamine is licensed as an anesthetic.", "regulatory_status")
    assert any(c["verdict"] == "accurate" for c in regs), [(c["quote"], c["verdict"]) for c in regs]


# ------------------------------------------------------------------ an acronym's expansion

def test_a_wrong_expansion_of_rems_is_contradicted_on_its_own():
    # modelled on greenbrookproviders_spravato_faq ("a REMS (risk evaluation and mitigation system) certified
    # center", labelled fails): the expansion was inside the setting's quote and called accurate with it. FDA 2019
    # (facts.csv fda_esketamine_rems): "under a Risk Evaluation and Mitigation Strategy"
    text = "Spravato is only given at a REMS (risk evaluation and management system) certified office."
    exp = _with(text, "management system")
    assert exp["verdict"] == "contradicted" and "Risk Evaluation and Mitigation Strategy" in exp["explanation"]
    setting = [c for c in claims(text) if c is not exp and c["claim_type"] == "regulatory_status"
               and c["start"] < exp["start"]]
    assert setting and all(c["end"] <= exp["start"] for c in setting)   # the setting keeps its own verdict
    assert any(c["verdict"] == "accurate" for c in setting), [(c["quote"], c["verdict"]) for c in setting]


def test_the_right_expansion_of_rems_is_accurate_even_misspelt():
    # pepid_spravato_fda writes "Mitgation": a misspelling of the FDA's word is still its word
    for text in ("Esketamine is dispensed under a Risk Evaluation and Mitgation Strategy (REMS).",
                 "Clinics must enrol in the REMS (Risk Evaluation and Mitigation Strategy) program.",
                 # rumble_esketamine_video: the plural is the same word
                 "The drug comes under Risk Evaluation and Mitigation Strategies (REMS)."):
        exp = [c for c in claims(text) if "Evaluation" in c["quote"]]
        assert exp and exp[0]["verdict"] == "accurate", text


# ------------------------------------------------------------------ journals named side by side

def test_two_journals_joined_by_and_are_two_journals():
    # modelled on stilldetox_ketamine_therapy_high ("Research from JAMA Psychiatry and The American Journal of
    # Psychiatry indicates …", labelled unknown: no article named): read as one journal "JAMA Psychiatry and The
    # American Journal" and matched to Feder 2021; two journals name no one study
    from evidence.check.lexicon import RX_JOURNAL

    names = [m.group(0) for m in RX_JOURNAL.finditer("Work in JAMA Psychiatry and The British Journal of Psychiatry")]
    assert names == ["JAMA Psychiatry", "The British Journal of Psychiatry"]
    assert [m.group(0) for m in RX_JOURNAL.finditer("a paper in Depression and Anxiety")] == ["Depression and Anxiety"]
    found = claims("Papers in JAMA Psychiatry and The American Journal of Psychiatry say careful dosing helps PTSD.")
    assert all(c["holds"] is None for c in found), [(c["quote"], c["verdict"]) for c in found]


# ------------------------------------------------------------------ a rise in blood pressure and its course

def test_how_soon_a_rise_in_blood_pressure_passes_is_not_settled_by_the_label():
    # modelled on stilldetox_ketamine_therapy_high ("Slight increases in blood pressure are also common but
    # typically resolve shortly after treatment", labelled unknown), called accurate on the rise alone; ketamine's
    # label (facts ketamine_label_bp_pulse_elevated) records that blood pressure rises, not how soon it settles
    c = _with("Increases in blood pressure are usual with ketamine but typically return to normal within the hour.",
              "blood pressure")
    assert c["holds"] is None and "how soon the rise passes" in c["reason"], (c["verdict"], c["reason"])


# ------------------------------------------------------------------ a definition inside a share's sentence

def test_a_count_of_treatments_that_describes_a_shares_people_abstains():
    # modelled on birmingham_esketamine_nice_trd ("About 30% of people receiving treatment for depression will not
    # respond to at least 2 consecutive treatments and are … “treatment-resistant”", labelled unknown: no source for
    # 30%): the count was called accurate against Fava 2018's definition of TRD, lending the sentence a verdict
    c = _with("Roughly 25% of patients will fail at least 2 antidepressants and are then said to have "
              "treatment-resistant depression.", "at least 2")
    assert c["holds"] is None and "the sentence's figure" in c["reason"], (c["verdict"], c["reason"])


def test_a_definition_on_its_own_is_still_compared_with_the_recorded_one():
    # facts.csv fava2018_trd_definition: "failure to achieve a satisfactory response … to at least two adequate
    # treatment courses"
    c = _with("Patients who have tried at least two antidepressants without relief are considered to have "
              "treatment-resistant depression.", "at least two")
    assert c["verdict"] == "accurate"
    # nzherald_ketamine_nz: a rate before it ("a 60% success rate … with TRD, which is …") counts no one it defines
    c = _with("She cited a 70% success rate for the drug in treatment-resistant depression, which is depression that "
              "has not lifted after at least two different antidepressants.", "at least two")
    assert c["verdict"] == "accurate"


# ------------------------------------------------------------------ like with like: a symptom change is not a share

def test_a_symptom_change_is_not_compared_with_a_fact_sheets_treatment_share():
    # the coordinator's finding: "half of their self-reported anxiety symptoms" judged overstated against ADAA's
    # 36.9% (adaa_home_2022: "only 36.9% of those suffering receive treatment"), a share of people treated; a study's
    # symptom change is another measure, so it never takes that verdict
    text = ("Anxiety disorders affect 40 million adults, and only 36.9% of those suffering receive treatment. In a "
            "small trial, patients lost half of their self-reported anxiety symptoms after ketamine.")
    c = _with(text, "half of their")
    assert c["holds"] is None, (c["verdict"], c["compared_with"])


# ------------------------------------------------------------------ the benchmark reads a label as one claim

def test_a_fails_label_with_a_failing_part_agrees(monkeypatch):
    # modelled on overheadsun_ketamine_spravato_faqs#05 (labelled fails: the 2019 approval was for TRD only): the
    # approval was contradicted and the adjunct ("with an oral antidepressant") accurate, which counted as
    # "conflicting", a disagreement; the claim as labelled fails when a part of it fails
    text = "In 2019 the FDA approved X for A and B, used with an oral antidepressant."
    items = [bench.Item(8, 20, "FDA approved", "contradicted", False),
             bench.Item(45, 71, "with an oral antidepressant", "accurate", True)]
    monkeypatch.setattr(bench, "page_file", lambda pid: Path("unused"))
    monkeypatch.setattr(bench, "items_of", lambda path, data_dir=None: (text, items))
    labels = [{"label_id": "A", "quote": text, "kind": "regulatory_status", "expected": "fails",
               "settleable_by_data": "yes"},
              {"label_id": "B", "quote": text, "kind": "regulatory_status", "expected": "holds",
               "settleable_by_data": "yes"}]
    sc = bench.score_page({"page_id": "x", "split": "dev"}, labels, [])
    assert [c["got"] for c in sc.detail] == ["fails", "fails"]
    f = bench.figures(sc)
    assert (f["holds_fails_agree"], f["holds_fails_with_verdict"]) == (1, 2)   # a holds label with a failing part


# ------------------------------------------------------------------ "ketamine nasal spray": the approval it describes

def test_a_ketamine_nasal_spray_approved_alone_names_the_2025_approval_in_its_justification():
    # modelled on veriheal_spravato_monotherapy#01 ("FDA Approves Ketamine Nasal Spray as First and Only Standalone
    # Therapy …"): the justification named only the 2019 adjunct approval. The verdict stays contradicted, as the
    # corpus labels this wording (psychedelic2_ketamine_nasal_spray#01, nakedmed_ketamine_nasal_spray#01): FDA 2022,
    # "There is no FDA-approved ketamine nasal spray"; J&J, 21 January 2025: Spravato "the first and only monotherapy"
    c = _with("The FDA has approved a ketamine nasal spray as a standalone treatment for depression.", "approved")
    assert c["verdict"] == "contradicted"
    assert "on 21 January 2025 as the first and only monotherapy" in c["explanation"]
    assert "jnj_spravato_2025" in c["source_ids"]
    c = _with("The FDA has approved a ketamine nasal spray for depression.", "approved")
    assert "2025" not in c["explanation"]    # an approval the claim does not describe is not named
