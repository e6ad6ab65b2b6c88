"""Session 5: classes of confident verdicts from weak links, and of wrong claims that abstained instead of failing.

Every case is copy written for this test (never corpus text). Each asserts the verdict (or that the claim abstains)
and the words an editor reads. Figures come from data/: facts.csv adaa_anxiety_treatment_rate (ADAA 2022: "only
36.9% of those suffering receive treatment"), fda_esketamine_rems and fda_esketamine_certified_setting (FDA news
release, 5 March 2019: "only available through a restricted distribution system, under a Risk Evaluation and
Mitigation Strategy"; title "available only at a certified doctor's office or clinic"), feder2014_interval
("administrations 2 weeks apart"), ketamine_label_dependence (Pfizer label 9.3); prevalence.csv
who2023_anxiety_global_2019_count (301 million, 2019 data) and who2025_anxiety_global_2021_count (359 million,
2021 data), who2023_anxiety_global_current (4%).
"""
from __future__ import annotations

from check_support import claims, one   # tests/check_support.py


# ------------------------------------------------------------------ seeking treatment is not receiving it

def test_a_share_who_seek_treatment_is_not_compared_with_a_share_who_receive_it():
    # was: "40% … seek treatment" → Overstated against ADAA's 36.9% who receive treatment
    c = one("Anxiety disorders respond well to care, yet only 40% of people with them ever seek treatment.",
            "prevalence")
    assert c["checkable"] is False and c["holds"] is None
    assert c["reason"] == ("the sentence gives the share who seek treatment; the evidence base's figure (Anxiety and "
                           "Depression Association of America 2022: 36.9%) is the share who receive it, and seeking "
                           "care is not receiving it")


def test_a_treatment_rate_of_all_mental_disorders_is_not_settled_by_one_conditions_rate():
    c = one("Most mental health conditions can be treated, but only 30% of those suffering receive treatment.",
            "prevalence")
    assert c["checkable"] is False and c["holds"] is None
    assert c["reason"].startswith("the sentence is about mental disorders in general; the evidence base's treatment "
                                  "rate (Anxiety and Depression Association of America 2022: 36.9%) is for one "
                                  "condition")


def test_a_share_who_receive_treatment_is_still_compared_with_the_treatment_rate():
    # the near miss: ADAA 2022, 36.9% receive treatment; 30% is beyond tolerance
    c = one("Only 30% of people with anxiety disorders receive treatment, according to the ADAA.", "prevalence")
    assert c["recompute"] == "fact:id=adaa_anxiety_treatment_rate"
    assert c["verdict"] == "understated" and c["holds"] is False


# ------------------------------------------------------------------ an estimate that changes between editions

def test_an_undated_count_between_two_editions_abstains_naming_the_editions_held():
    # was: "264 million" → Understated against WHO 2023's 301 million (2019 data), though WHO's count changes by
    # edition (2025: 359 million, 2021 data) and the sentence gives no year
    c = one("The World Health Organization estimates that anxiety disorders affect 264 million people around the "
            "globe.", "prevalence")
    assert c["checkable"] is False and c["holds"] is None
    assert c["reason"] == ("this estimate changes between editions: the evidence base holds 301 million (2019 data, "
                           "World Health Organization 2023) and 359 million (2021 data, World Health Organization "
                           "2025); the sentence gives no year, and 264 million people may be another edition's "
                           "estimate, so it is not settled here")


def test_a_figure_of_one_edition_is_still_accurate():
    c = one("The World Health Organization says anxiety disorders affect 301 million people around the globe.",
            "prevalence")
    assert c["verdict"] == "accurate"
    assert c["recompute"] == "prevalence:id=who2023_anxiety_global_2019_count,field=count"


def test_a_figure_far_outside_every_edition_still_fails():
    # WHO: 4% (2023 fact sheet) and 4.4% (2025); 10% is farther from both than they are from each other
    c = one("According to the WHO, 10% of the world's population has an anxiety disorder.", "prevalence")
    assert c["verdict"] == "overstated" and c["holds"] is False


# ------------------------------------------------------------------ a time of measurement is not a span

def test_a_time_of_measurement_is_not_compared_with_the_interval_between_infusions():
    # was: "at 24 hours" → Understated against Feder 2014's "administrations 2 weeks apart"
    found = [c for c in claims("Feder and colleagues (2014, JAMA Psychiatry) measured the main outcome at 24 "
                               "hours.") if c["quote"] == "24 hours"]
    assert found, "the time is detected"
    c = found[0]
    assert c["verdict"] != "understated"
    assert "fact:id=feder2014_interval" not in (c.get("recompute") or "")
    # session 7: it is the time of the primary outcome, which facts.csv feder2014_primary_result words as "when
    # assessed 24 hours after infusion" (Feder 2014 abstract): compared with that, in its own words, it holds
    assert c["recompute"] == "fact:id=feder2014_primary_result" and c["holds"] is True


# ------------------------------------------------------------------ "whether or not addictive" is no claim

def test_whether_or_not_addictive_is_not_a_claim_that_the_drug_is_not_addictive():
    # was: Contradicted against the ketamine label's physical dependence
    found = claims("Most research on ketamine's side effects studies recreational users, whether or not addictive "
                   "behaviour is present.")
    assert not any(c["verdict"] == "contradicted" for c in found), [(c["quote"], c["verdict"]) for c in found]


def test_not_addictive_is_still_contradicted():
    c = one("Ketamine is not addictive.", "safety")
    assert c["verdict"] == "contradicted" and c["recompute"] == "fact:id=ketamine_label_dependence"


# ------------------------------------------------------------------ a restricted programme

def test_a_rems_claim_is_compared_with_the_record_of_the_programme():
    # was: "REMS" → Accurate against the TRD approval, whose text says nothing of a programme
    c = one("Spravato is only available through a restricted distribution program called a REMS.",
            "regulatory_status")
    assert c["recompute"] == "fact:id=fda_esketamine_rems"
    assert c["verdict"] == "accurate"


def test_who_must_enrol_in_the_programme_is_not_settled_by_its_record():
    # was: Accurate against the TRD approval
    c = one("You and your pharmacy must be enrolled in the Spravato REMS program before you can receive it.",
            "regulatory_status")
    assert c["checkable"] is False and c["holds"] is None
    assert c["reason"] == ("the evidence base records that esketamine (Spravato) is only available through a "
                           "restricted distribution system under a Risk Evaluation and Mitigation Strategy (REMS), at "
                           "a certified doctor's office or clinic, not who must enrol in it, so it neither confirms "
                           "nor contradicts the claim")


def test_a_certified_office_is_compared_with_the_releases_own_words():
    # FDA news release title, 5 March 2019: "available only at a certified doctor's office or clinic"
    found = [c for c in claims("Spravato can only be administered in a certified doctor's office.")
             if c["claim_type"] == "regulatory_status"]
    assert found and all(c["recompute"] == "fact:id=fda_esketamine_certified_setting" for c in found)
    assert all(c["verdict"] == "accurate" for c in found)


# ------------------------------------------------------------------ a drug-name mismatch in an approval claim

def test_an_approved_ketamine_nasal_spray_is_contradicted_saying_what_was_approved():
    # was: Accurate against the Spravato label header. FDA 2022 (facts fda_ketamine_2022_no_nasal_ketamine): "There
    # is no FDA-approved ketamine nasal spray"; FDA 5 March 2019: Spravato (esketamine) nasal spray approved for TRD
    c = one("Big news: the FDA approves ketamine nasal spray for treatment-resistant depression.", "regulatory_status")
    assert c["verdict"] == "contradicted" and c["holds"] is False
    assert "the nasal spray the FDA approved is esketamine (Spravato), a different drug" in c["explanation"]
    assert "There is no FDA-approved ketamine nasal spray" in c["explanation"]


def test_an_approved_esketamine_nasal_spray_is_still_accurate():
    c = one("The FDA approved esketamine nasal spray for treatment-resistant depression in 2019.", "regulatory_status")
    assert c["verdict"] == "accurate" and c["recompute"] == "fact:id=fda_esketamine_trd_approval"


# ------------------------------------------------------------------ blood pressure, the heart, breathing

def test_no_effect_on_blood_pressure_is_contradicted_by_the_label():
    # facts ketamine_label_bp_pulse_elevated (Hospira label, Adverse Reactions: "Blood pressure and pulse rate are
    # frequently elevated following administration of ketamine alone"), glue2018_bp_increase (~10 mm Hg at 30 min)
    c = one("Ketamine has no effect on blood pressure.", "safety")
    assert c["verdict"] == "contradicted" and c["holds"] is False
    assert c["recompute"] == "fact:id=ketamine_label_bp_pulse_elevated"
    assert "frequently elevated following administration of ketamine alone" in c["explanation"]


def test_a_rise_in_blood_pressure_on_spravato_is_accurate():
    # facts spravato_bp_time_course: "SPRAVATO causes increases in systolic and/or diastolic blood pressure (BP) at
    # all recommended doses"
    c = one("Spravato can cause a temporary increase in your blood pressure.", "safety")
    assert c["verdict"] == "accurate" and c["holds"] is True
    assert c["recompute"] == "fact:id=spravato_bp_time_course"


def test_breathing_unaffected_at_low_doses_abstains_with_the_labels_condition():
    c = one("At these low doses, ketamine does not depress breathing.", "safety")
    assert c["checkable"] is False and c["holds"] is None
    assert c["reason"].startswith("the sentence limits the claim to “At these low doses”; ketamine's label ties "
                                  "respiratory depression to overdosage or a rapid rate of administration")


def test_safe_alone_is_not_settled_by_the_label():
    found = claims("Ketamine is safe.")
    assert not any(c["holds"] is not None for c in found), [(c["quote"], c["verdict"]) for c in found]


def test_blood_pressure_may_rise_on_ketamine_is_accurate_by_its_label():
    # was listed "not checkable" (tests/test_check_detect_statements.py); facts ketamine_label_bp_pulse_elevated
    c = one("Blood pressure may rise slightly during an infusion of ketamine.", "safety")
    assert c["quote"] == "Blood pressure may rise"
    assert c["verdict"] == "accurate" and c["recompute"] == "fact:id=ketamine_label_bp_pulse_elevated"
