"""Session 6: classes found reading `evidence check` as an editor (/work/coord/review-s6.md).

Every case is copy written for this test (never corpus text). Each asserts the verdict (or that the claim abstains)
and the words an editor reads. Doses come from data/sources.csv ``dose_mg_per_kg``: feder2014 "0.5" (Feder et al.
2014, JAMA Psychiatry, 41 patients: "ketamine hydrochloride (0.5 mg/kg)"), glue2017 "0.25;0.5;1" (Glue et al. 2017,
J Psychopharmacol, 12 patients, ascending doses).
"""
from __future__ import annotations

from check_support import claims, one   # tests/check_support.py

_FEDER = "Feder et al. 2014 (JAMA Psychiatry) randomized 41 patients with chronic PTSD. "


# ------------------------------------------------------------------ a dose against the study's recorded doses

def test_a_study_dose_that_is_the_recorded_dose_is_accurate():
    # was: "the closest figure in the evidence base does not bear on the claim as worded (… dose 0.5 mg/kg)"
    c = [c for c in claims(_FEDER + "The patients received ketamine at 0.5 mg/kg.") if c["quote"] == "0.5 mg/kg"][0]
    assert c["recompute"] == "attribute:source=feder2014,field=dose_mg_per_kg"
    assert c["holds"] is True and c["verdict"] == "accurate_missing_context"   # n = 41 < 50
    assert "compared with Feder et al. 2014 (JAMA Psychiatry): dose 0.5 mg/kg" in c["explanation"]
    assert c["suggestion"].startswith("Feder et al. 2014 gave doses of 0.5 mg/kg.")


def test_a_dose_range_holds_when_each_end_is_a_recorded_dose():
    c = [c for c in claims("Glue et al. 2017 (Journal of Psychopharmacology) gave 12 patients ketamine at 0.5-1 "
                           "mg/kg.") if c["claim_type"] == "dose_route" and "mg/kg" in c["quote"]][0]
    assert c["holds"] is True
    assert "dose 0.25 mg/kg or 0.5 mg/kg or 1 mg/kg" in c["explanation"]


def test_a_dose_the_study_did_not_give_abstains_with_the_record_in_words():
    c = [c for c in claims(_FEDER + "The patients received ketamine at 1 mg/kg.") if c["quote"] == "1 mg/kg"][0]
    assert c["checkable"] is False and c["holds"] is None
    assert c["reason"] == ("Feder et al. 2014 (JAMA Psychiatry) gave 0.5 mg/kg; 1 mg/kg is not among its doses, and "
                           "the sentence may describe another arm, another study or another drug, so it is not judged")
    assert c["suggestion"].startswith("Check the dose against the study's methods")


def test_the_control_drugs_dose_is_never_compared_with_ketamines():
    # was: "0.045 mg/kg" → "does not bear on the claim as worded (Feder et al. 2021: dose 0.5 mg/kg)"
    found = claims(_FEDER + "Patients received ketamine 0.5 mg/kg, while controls received midazolam at 0.045 mg/kg.")
    c = [c for c in found if c["quote"] == "0.045 mg/kg"][0]
    assert c["checkable"] is False and c["holds"] is None
    assert c["reason"] == ("this is the dose of midazolam, not of ketamine or esketamine; the evidence base records "
                           "the ketamine doses a study gave, so it is not compared with them")
    assert c["suggestion"].startswith("Nothing to correct on its own")
    assert [c["holds"] for c in found if c["quote"] == "0.5 mg/kg"] == [True]


# ------------------------------------------------------------------ which source, in words

def test_an_organisation_named_as_source_says_which_and_what_to_add():
    c = [c for c in claims("According to the World Health Organization, ketamine is widely used in surgery.")
         if c["claim_type"] == "attribution"][0]
    assert c["reason"] == ("the sentence names an organisation (World Health Organization) as its source; the name "
                           "alone is not a claim to check, and the figures it supports are checked on their own")
    assert c["suggestion"] == "Name the organisation's report or page (title, year, link) so readers can find it."


def test_an_unnamed_source_says_it_is_unnamed():
    c = [c for c in claims("Another meta-analysis found that ketamine eased anxiety.")
         if c["claim_type"] == "attribution"][0]
    assert c["reason"] == "the source is not named; the figures it is said to support are checked on their own"
    assert c["suggestion"] == "Name the study (first author, year, journal) so readers can find it."


def test_an_organisation_with_several_reports_asks_which_one():
    # was: "the study this passage is about is not in the evidence base (organisation WHO) fit more than one study: …"
    c = [c for c in claims("Ketamine is one of the safest anesthetics in the world according to the WHO.")
         if c["claim_type"] != "attribution"][0]
    assert c["reason"].startswith("the cues (organisation WHO) fit more than one study: World Health Organization")
    assert c["suggestion"].startswith("Say which report or study is meant")


# ------------------------------------------------------------------ whom a prevalence figure is about
# prevalence.csv: nimh_any_anxiety_past_year 19.1% (U.S. adults 18+), who2023_anxiety_global_current 4% (global),
# nimh_sad_lifetime 12.1% (U.S. adults 18+, at some point in life)

def test_a_figure_about_teens_is_not_settled_by_an_adult_or_global_figure():
    # was: "32% of teens between 13-18" → Overstated against WHO 2023's global 4% (all ages)
    found = claims("The World Health Organization (WHO) tracks anxiety. In the U.S., anxiety disorders affect nearly "
                   "19% of adults and 32% of teens.")
    teens = [c for c in found if c["claimed"] == "32%"][0]
    assert teens["checkable"] is False and teens["holds"] is None
    assert teens["reason"].startswith("the figure is about young people (“teens”), and the closest figure in the "
                                      "evidence base (")
    assert teens["reason"].endswith(") is about other people, so it does not settle it")
    adults = [c for c in found if c["claimed"] == "~19%"][0]
    assert adults["holds"] is True and "U.S. adults 18+: 19.1%" in adults["explanation"]


def test_a_us_figure_is_not_settled_by_a_global_one():
    c = one("The World Health Organization (WHO) says that in the United States, 9% of people have an anxiety "
            "disorder right now.", "prevalence")
    assert c["holds"] is None and "global" not in (c["compared_with"] or "")
    assert c["reason"] != "" and c["checkable"] is False


def test_a_rise_in_per_cent_is_not_a_prevalence():
    # was: "anxiety rose by 25% worldwide" → Overstated against WHO's 4%
    c = one("According to the WHO, anxiety rose by 25% worldwide in the first year of the pandemic.", "prevalence")
    assert c["checkable"] is False and c["holds"] is None
    assert c["reason"] == ("this is how much a figure changed (a rise or fall in per cent), not how many people have a "
                           "condition; a prevalence figure does not settle it")


def test_a_disorder_described_rather_than_named_is_that_disorder():
    # social anxiety disorder described ("trouble connecting socially"), not named: NIMH 12.1% lifetime, not ADAA's
    # 18.1% for all anxiety disorders
    c = one("Anxiety affects approximately 12% of Americans who have trouble connecting socially.", "prevalence")
    assert c["holds"] is True
    assert "social anxiety disorder, at some point in life, U.S. adults 18+: 12.1%" in c["explanation"]


# ------------------------------------------------------------------ esketamine as a monotherapy (2025 approval)
# facts.csv esketamine_monotherapy_approval_2025 (J&J press release, 21 January 2025): "making it the first and only
# monotherapy for adults living with MDD who have had an inadequate response to at least two oral antidepressants"

_MONO_2025 = ("the FDA's 2025 approval made Spravato (esketamine) “the first and only monotherapy for adults living "
              "with MDD who have had an inadequate response to at least two oral antidepressants”")


def test_esketamine_alone_for_trd_is_accurate_by_the_2025_approval():
    # was: matched FDA 2019 (an approval *with* an oral antidepressant), "no curated figure for this statement"
    c = [c for c in claims("The FDA approved Spravato, making it the first standalone treatment for adults with "
                           "treatment-resistant depression.") if c["quote"] == "the first standalone treatment"][0]
    assert c["recompute"] == "fact:id=esketamine_monotherapy_approval_2025"
    assert c["verdict"] == "accurate" and c["suggestion"] == ""
    assert c["explanation"] == (
        "Accurate: compared with Johnson & Johnson 2025: esketamine nasal spray (Spravato), FDA approved indication. "
        "The claim says “standalone treatment for adults with treatment-resistant depression”; " + _MONO_2025 + ".")


def test_esketamine_as_the_sole_monotherapy_for_all_of_mdd_is_overstated():
    # was: Accurate against J&J 2020 (MDD with suicidal ideation, with an oral antidepressant)
    found = claims("The FDA approved Spravato nasal spray. Spravato is now the sole monotherapy for major depressive "
                   "disorder, the company said.")
    c = [c for c in found if c["recompute"] == "fact:id=esketamine_monotherapy_approval_2025"][0]
    assert c["verdict"] == "overstated" and c["holds"] is False
    assert c["explanation"].endswith("The claim says “monotherapy for major depressive disorder”, but " + _MONO_2025
                                     + ", that is for treatment-resistant depression, not for major depressive "
                                       "disorder as a whole.")


def test_not_approved_as_a_monotherapy_for_depression_abstains_saying_why():
    # was: Contradicted against FDA 2019 by a polarity check ("the linked source says approved")
    c = one("Spravato is not approved as a monotherapy for depression.", "regulatory_status")
    assert c["checkable"] is False and c["holds"] is None
    assert c["reason"].startswith(_MONO_2025 + " (21 January 2025): it is not approved as a monotherapy for major "
                                  "depressive disorder as a whole, but it is for treatment-resistant depression")


def test_a_rule_verdict_quotes_the_fact_once():
    # the card's "compared with" no longer repeats the label text the justification quotes (review s5/s6)
    c = one("Ketamine can cause a temporary increase in blood pressure.", "safety")
    assert c["explanation"].count("Blood pressure and pulse rate are frequently elevated") == 1
    assert c["verdict"] == "accurate" and c["suggestion"] == ""


def test_a_contracted_negation_of_a_body_system_is_read_as_a_negation():
    # "doesn't raise blood pressure" reads like "does not raise": contradicted by ketamine's label (facts.csv
    # ketamine_label_bp_pulse_elevated: "Blood pressure and pulse rate are frequently elevated …"); the quote starts
    # with the word, not with "n't"
    c = [c for c in claims("Ketamine is an anesthetic that doesn't raise blood pressure.")
         if c["verdict"] == "contradicted"][0]
    assert "The claim says “doesn't raise blood pressure”, but ketamine's label says" in c["explanation"]
    breathing = [c for c in claims("Ketamine is an anesthetic that doesn’t depress breathing.")
                 if "depress" in c["quote"]][0]
    assert breathing["holds"] is None
    assert breathing["reason"].startswith("ketamine's label ties respiratory depression to overdosage")


# ------------------------------------------------------------------ what a figure describes, not what it claims

def test_the_span_of_a_course_of_infusions_is_not_a_durability():
    # was: "6 infusions of ketamine at 0.5 mg/kg over 14 days" → "over 14 days" Accurate but missing context against
    # Feder 2021's "median time to loss of response was 27.5 days" (facts.csv feder2021_durability)
    found = claims("Feder et al. 2021 (American Journal of Psychiatry) randomized 30 veterans. The experimental group "
                   "received 6 infusions of ketamine at 0.5 mg/kg over 14 days.")
    c = [c for c in found if "14 days" in c["quote"]][0]
    assert c["checkable"] is False and c["holds"] is None
    assert c["reason"] == ("this is the time over which the treatments were given, not how fast or how long an effect "
                           "came or lasted; the number of treatments is checked on its own")
    assert c["suggestion"].startswith("Nothing to correct on its own")
    assert [c["holds"] for c in found if c["quote"] == "6 infusions"] == [True]


def test_the_trials_a_meta_analysis_searched_for_are_not_its_design():
    # was: "… searched to capture randomised control trials" → Misattributed ("The article says rct; the source's own
    # record says meta-analysis"); Hartland et al. 2023 is a meta-analysis (sources.csv design)
    found = claims("Hartland et al. 2023 (Journal of Psychopharmacology) is a meta-analysis. Electronic databases were "
                   "searched to capture randomised control trials measuring the anxiolytic effects of ketamine.")
    assert not [c for c in found if c["verdict"] == "misattributed"]
    named = one("Hartland et al. 2023 (Journal of Psychopharmacology) was a randomized controlled trial.", "design")
    assert named["verdict"] == "misattributed"
    assert "The article says a randomized controlled trial; the source's own record says meta-analysis." in \
        named["explanation"]


# ------------------------------------------------------------------ a ratio is a ratio; an infusion time is one
# outcomes.csv feder2021_caps5_response: responders 10 of 15 (ketamine) vs 3 of 15 (midazolam) at week 2, so the risk
# ratio is (10/15)/(3/15) = 3.33 and the odds ratio (10*12)/(5*3) = 8; estimates.csv feder2021_caps5_d: d = 1.13

_FEDER21 = "Feder et al. 2021 (American Journal of Psychiatry) randomized 30 veterans with PTSD. "


def test_times_as_likely_is_a_risk_ratio_from_the_trials_counts():
    # was: no study (the arm was not read as the passage's) and then Overstated against d = 1.13, Understated
    # against OR 8
    c = one(_FEDER21 + "Those who received the ketamine were 3 times more likely to improve.", "effect_size")
    assert c["recompute"] == "effect:outcome=feder2021_caps5_response,measure=RR"
    assert c["claimed"] == "3 times" and c["holds"] is True
    assert "RR 3.33 (95% CI 1.14 to 9.75)" in c["suggestion"]


def test_a_ratio_is_never_compared_with_a_standardized_mean_difference():
    from evidence.check.gate import like_with_like
    from types import SimpleNamespace as NS

    d = NS(value=3.0, low=None, high=None, unit="RR", kind="times", claim_type="effect_size")
    smd = NS(numbers=(1.13,), origin="estimate", field="", recompute="estimate:id=feder2021_caps5_d",
             row={"measure": "SMD"}, number_unit="SMD")
    assert like_with_like(d, smd) == "the claim is a ratio and the evidence is a standardized mean difference"
    odds = NS(numbers=(8.0,), origin="estimate", field="", recompute="estimate:id=x", row={"measure": "OR"},
              number_unit="OR")
    assert like_with_like(d, odds) == "the claim is a risk ratio and the evidence is an odds ratio"


def test_a_bare_infusion_time_is_compared_with_the_studys_record():
    # was: "0.5 mg/kg/40 minutes" → "40 minutes" compared with Oliver 2022's route; sources.csv oliver2022
    # infusion_min 40
    c = [c for c in claims("Oliver et al. 2022 (Journal of Clinical Psychiatry) reviewed 424 patients. The patients "
                           "received infusions at a starting dose of 0.5 mg/kg/40 minutes.")
         if c["quote"] == "40 minutes"][0]
    assert c["recompute"] == "attribute:source=oliver2022,field=infusion_min"
    assert c["holds"] is True


def test_a_p_value_beside_an_effect_says_what_is_not_curated():
    # was: "no curated figure for effect size (the claim is another kind of figure and the evidence is a ratio)"
    found = claims("Hartland et al. 2023 (Journal of Psychopharmacology) found SMD -0.44 (p < 0.01) and R2 = 0.621.")
    p = [c for c in found if c["quote"] == "p < 0.01"][0]
    assert p["claimed"] == "p < 0.01" and p["holds"] is None
    assert p["reason"] == ("matched Hartland et al. 2023 (Journal of Psychopharmacology), which has no curated figure "
                           "for a p-value (the evidence base records effect sizes, not the p-values or correlations "
                           "printed beside them)")
    r2 = [c for c in found if c["quote"] == "R2 = 0.621"][0]
    assert "no curated figure for a correlation (R²)" in r2["reason"]


def test_how_long_participants_had_been_ill_is_not_a_durability():
    # was: "mean duration of PTSD 13 years" → "no curated figure for how long it lasts"
    c = [c for c in claims(_FEDER + "Participants were 46% female, average age 36, mean duration of PTSD 13 years.")
         if c["quote"] == "13 years"][0]
    assert c["holds"] is None
    assert c["reason"] == ("this is how long the participants had been ill, not how long an effect lasted; the "
                           "evidence base has no curated figure for it")
    assert c["suggestion"].startswith("Nothing to correct on its own: it describes who took part")
