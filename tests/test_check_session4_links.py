"""Session 4: classes of confident verdicts from weak links, and of wrong claims that abstained instead of failing.

Every case is copy written for this test (never corpus text). Each asserts the verdict (or that the claim
abstains) and the words an editor reads. Figures come from data/: facts.csv fda_esketamine_trd_approval (FDA,
5 March 2019), ketalar_fda_indication (DailyMed Ketalar label: "KETALAR is a general anesthetic indicated …",
no age group named).
"""
from __future__ import annotations

from check_support import claims, one   # tests/check_support.py


# ------------------------------------------------------------------ item 1: weak links abstain, with the reason

def test_a_product_named_beside_what_the_fda_said_is_no_status_claim():
    # was: "Spravato" → Accurate against the 2019 TRD approval, although the sentence states no approval
    found = [c for c in claims("Spravato, a cousin of the anaesthetic, needs extra monitoring, the FDA said on "
                               "Tuesday.") if c["claim_type"] == "regulatory_status"]
    # since the classifier's refit with holdout6 and holdout7 (end of session 8) its clause back-up also lists the
    # clause "the FDA said on Tuesday" (one item before the refit, two after); the refit of session 9 (residual, main
    # cc6e374 merged) scores it below the clause threshold again (one item). Either way the back-up's clause is
    # listed "not checkable here", so no verdict is given on the sentence: what the test is for
    assert [x["quote"] for x in found][:1] == ["Spravato"] and len(found) <= 2
    assert all(x["detector"] == "sentence-claim" and x["checkable"] is False and x["holds"] is None
               for x in found[1:])
    c = found[0]
    assert c["checkable"] is False and c["holds"] is None and not c["recompute"]
    assert c["reason"].startswith("the sentence names esketamine (Spravato) beside the FDA but states no approval")


def test_a_product_named_in_an_approval_sentence_is_still_checked():
    # the near miss: the sentence does state the approval (FDA news release, 5 March 2019: TRD, with an oral
    # antidepressant)
    c = one("In 2019 the FDA approved Spravato for adults with treatment-resistant depression.", "regulatory_status")
    assert c["verdict"] == "accurate" and c["holds"] is True
    assert c["recompute"] == "fact:id=fda_esketamine_trd_approval"


def test_a_use_narrowed_to_children_is_not_settled_by_a_label_that_names_no_age():
    # was: "used as an anesthetic … for children and teenagers" → Accurate against the Ketalar indication
    # ("has long been": a bare "is still used as an anesthetic" is background since session 9, by the corpus's
    # labelling rule 1; tests/test_check_precision_s9.py)
    found = [c for c in claims("Ketamine has long been used as an anesthetic for children and teenagers in many "
                               "emergency rooms.") if c["claim_type"] == "regulatory_status"]
    assert found, "the anesthetic use is detected"
    c = found[0]
    assert c["checkable"] is False and c["holds"] is None
    assert c["reason"].startswith("the sentence narrows the use to children and teenagers; the fact it matches (DailyMed")
    assert "Ketalar" in c["reason"] and "neither confirms nor contradicts" in c["reason"]


def test_an_anesthetic_use_without_a_population_is_still_accurate():
    # the near miss: Ketalar label, "KETALAR is a general anesthetic indicated …"
    c = one("Ketamine has long been used as an anesthetic in hospitals.", "regulatory_status")
    assert c["verdict"] == "accurate" and c["recompute"] == "fact:id=ketalar_fda_indication"


# ------------------------------------------------------------------ item 2: a wrong figure or date fails

def test_a_responder_count_of_a_resolved_study_is_compared_with_its_curated_count():
    # editor s3 #25: "In Glue et al. 2017, 12 of 12 patients responded." abstained against the study's dose-response
    # statement (words, no figure); outcomes.csv glue2017_response: 10 of 12 responders at 0.5-1 mg/kg (abstract:
    # "Ten of 12 patients were treatment responders")
    c = one("According to Glue and colleagues (2017), 12 of 12 patients in the trial responded.", "response_rate")
    assert c["recompute"] == "proportion:outcome=glue2017_response,arm=treat"
    assert c["holds"] is False and c["verdict"] == "overstated"
    assert "10 of 12 (83%)" in c["explanation"]


def test_an_approval_dated_before_the_recorded_approval_is_contradicted():
    # editor s3 #6: "Spravato was approved by the FDA in 2017." abstained although the fact dates it to 2019;
    # facts.csv fda_esketamine_trd_approval: "5 March 2019 - The U.S. FDA today approved Spravato (esketamine) …"
    c = one("Esketamine nasal spray (Spravato) won FDA approval in 2016.", "regulatory_status")
    assert c["recompute"] == "fact:id=fda_esketamine_trd_approval"
    assert c["verdict"] == "contradicted" and c["holds"] is False
    assert ("The claim dates the approval to 2016, but U.S. Food and Drug Administration 2019 dates it to 2019, and "
            "nothing is approved before the date it is approved") in c["explanation"]
    # the near misses: the right year holds; a later year may be a supplemental approval and is not settled
    c = one("Esketamine nasal spray (Spravato) won FDA approval in 2019.", "regulatory_status")
    assert c["verdict"] == "accurate"
    c = one("Esketamine nasal spray (Spravato) won FDA approval in 2022.", "regulatory_status")
    assert c["checkable"] is False and c["reason"].startswith("the sentence dates the approval to 2022")


def test_a_year_of_discovery_does_not_date_the_approval():
    # "Discovered in 1962, …" dates the discovery; the approval (Ketalar label: a general anesthetic) is undated
    found = [c for c in claims("Discovered in 1962, ketamine is an FDA approved anesthetic.")
             if c["claim_type"] == "regulatory_status"]
    assert [c["verdict"] for c in found] == ["accurate"]
    assert "1962" not in found[0]["explanation"]


def test_an_approval_before_ketamines_first_us_approval_is_contradicted():
    # facts.csv spravato_label_header: "Initial U.S. Approval: 1970 (ketamine)" (the Spravato label's header)
    c = one("The FDA approved ketamine in 1965.", "regulatory_status")
    assert c["verdict"] == "contradicted"
    assert "dates it to 1970" in c["explanation"]


def test_the_journal_a_study_is_said_to_be_published_in_is_the_claim_not_a_cue():
    # editor s3 #7: "Glue's 2018 study was published in the American Journal of Psychiatry" abstained ("cues point at
    # different studies"); the author and the year single out Glue 2018, whose record (sources.csv glue2018) says
    # Journal of Psychopharmacology
    found = claims("Glue's 2018 trial was published in the American Journal of Psychiatry.")
    j = next(c for c in found if c["recompute"] == "attribute:source=glue2018,field=journal")
    assert j["verdict"] == "misattributed" and j["holds"] is False
    assert ("The article says American Journal of Psychiatry; the source's own record says Journal of "
            "Psychopharmacology.") in j["explanation"]
    # the near miss: without the year, the author names two studies (Glue 2017 and 2018) and nothing is checked
    found = claims("Glue's trial was published in the American Journal of Psychiatry.")
    assert all(c["holds"] is None for c in found if c["claim_type"] == "attribution")
    # … and a figure in that sentence abstains: the paper meant may be another of the same authors and year
    found = claims("Oliver and colleagues (2022), published in Neuropsychopharmacology, reported that 50% of patients "
                   "responded. Participants received six infusions.")
    j = next(c for c in found if c["claim_type"] == "attribution" and "Neuropsychopharmacology" in c["quote"])
    assert j["verdict"] == "misattributed"
    rate = next(c for c in found if c["claim_type"] == "response_rate")
    assert rate["holds"] is None and rate["reason"].startswith("the cues point at different studies (author Oliver")
    later = next(c for c in found if c["claim_type"] == "dose_route")
    assert later["holds"] is None and later["reason"].startswith("which study this passage is about is in doubt")


# ------------------------------------------------------------------ a source identified by the passage's figures

_ADAA = ("Anxiety disorders are the most common mental illness in the U.S., affecting 40 million adults, or 18.1% "
         "of the population, every year. Even so, only {} of those affected receive treatment.")


def test_a_near_miss_is_a_wrong_figure_when_the_passage_quotes_that_sources_other_figures():
    # facts.csv adaa_anxiety_treatment_rate: "only 36.9% of those suffering receive treatment" (ADAA 2022), whose
    # prevalence row adaa_any_anxiety_past_year is 40 million adults / 18.1%; 38.9% is no other survey's figure here
    c = next(x for x in claims(_ADAA.format("38.9%")) if x["claimed_value"] == 38.9)
    assert c["recompute"] == "fact:id=adaa_anxiety_treatment_rate"
    assert c["verdict"] == "overstated" and c["holds"] is False
    assert "matched on the passage's other figures, which are this source's" in c["explanation"]
    assert c["link_basis"].endswith("the passage's figures 40 million, 18.1%")


def test_a_rounded_fraction_of_that_source_stays_in_the_grey_zone():
    # "about one-third" of ADAA's 36.9%: a rounding, not a wrong figure (the grey zone of judge.grey_zone)
    c = next(x for x in claims(_ADAA.format("about one-third")) if x["claim_type"] == "prevalence"
             and "third" in x["quote"])
    assert c["holds"] is None and "is close to" in c["reason"]


def test_a_near_miss_without_the_sources_figures_stays_in_the_grey_zone():
    c = next(x for x in claims("Only 38.9% of people with an anxiety disorder receive treatment.")
             if x["claimed_value"] == 38.9)
    assert c["holds"] is None and "so a near miss is not settled here" in c["reason"]


def test_the_share_who_get_little_relief_is_an_outcome_not_a_prevalence_or_a_treatment_rate():
    # was: "for those who do, 30-40% experience little to no relief" compared with ADAA's treatment rate, and (with
    # the condition of the sentence before) with NIMH's lifetime prevalence of any anxiety disorder (31.1%): accurate
    found = claims("Anxiety disorders affect many adults in the United States. Only a minority of those affected "
                   "receive treatment, and for those who do, 30-40% experience little to no relief from standard "
                   "therapies.")
    c = next(x for x in found if x["claimed_low"] == 30.0)
    assert c["holds"] is None and c["reason"].startswith("this is a share of people who do or do not benefit from a "
                                                         "treatment (an outcome)")


# ------------------------------------------------------------------ item 3: "non-addictive" against the label

def test_non_addictive_is_contradicted_by_the_label_and_schedule_iii():
    # facts.csv ketamine_label_dependence / _abuse / _schedule_iii (ketamine injection label, section 9, Pfizer
    # Medical Information): "a Schedule III controlled substance", "risk for abuse and misuse", "Physical dependence
    # has been reported with prolonged use of ketamine"
    for text, said in (("Our ketamine infusions are non-addictive and gentle.", "non-addictive"),
                       ("Unlike opioids, ketamine has no abuse potential.", "no abuse potential")):
        c = next(x for x in claims(text) if x["claim_type"] == "safety")
        assert c["recompute"] == "fact:id=ketamine_label_dependence", text
        assert c["verdict"] == "contradicted" and c["holds"] is False
        assert f"The claim says “{said}”, but ketamine's label calls it “a Schedule III controlled substance”" \
            in c["explanation"]
        assert c["source_names"] == ["Pfizer Inc. (labeler), Pfizer Medical Information"]


def test_esketamine_not_addictive_is_contradicted_by_the_reason_for_its_rems():
    # facts.csv fda_esketamine_rems (FDA news release, 5 March 2019): "the potential for abuse and misuse of the drug"
    c = next(x for x in claims("Esketamine nasal spray is not addictive.") if x["claim_type"] == "safety")
    assert c["recompute"] == "fact:id=fda_esketamine_rems" and c["verdict"] == "contradicted"
    assert "the FDA restricts esketamine (Spravato) because of “the potential for abuse and misuse" in c["explanation"]


def test_a_claim_limited_to_prescribed_use_abstains_and_safe_alone_is_not_checked():
    c = next(x for x in claims("When used as prescribed, ketamine is not addictive.") if x["claim_type"] == "safety")
    assert c["holds"] is None
    assert c["reason"].startswith("the sentence limits the claim to one use (“When used as prescribed”)")
    for c in claims("Ketamine is safe."):
        assert c["holds"] is None and not c["recompute"]


# ------------------------------------------------------------------ item 4: the editor's open findings (review s3)

def test_a_negated_design_says_what_the_article_and_the_record_say():
    # editor s3 #4/#19: "… was not placebo-controlled" → Contradicted, but "The claim says what the source says" and
    # the claim shown as "placebo"; sources.csv taylor2018 control "saline placebo (normal saline)"
    c = one("Taylor and colleagues (2018) ran a trial that was not placebo-controlled.", "design")
    assert c["claimed"] == "not placebo-controlled"
    assert c["verdict"] == "contradicted"
    assert c["explanation"].endswith("The article says the study was not placebo-controlled; the source's record says "
                                     "it was (saline placebo (normal saline)).")
    assert "The claim says what the source says" not in c["explanation"]
    assert c["suggestion"].startswith("Say that the study was placebo-controlled")
    # sources.csv oliver2022 design retrospective: "not randomized" holds, in words
    c = one("The 2022 chart review by Oliver was not randomized.", "design")
    assert c["verdict"] == "accurate" and c["claimed"] == "not randomized"
    assert c["explanation"].endswith("The article says the study was not randomized, and the source's record agrees "
                                     "(retrospective study).")


def test_a_washout_is_compared_with_the_studys_washout_not_typed_as_durability():
    # editor s3 #26: facts.csv taylor2018_washout "28-day washout period between infusions" (28 days)
    c = next(x for x in claims("In the Taylor et al. 2018 crossover, the washout between the two infusions was 14 "
                               "days.") if x["claimed_value"] == 14.0)
    assert c["recompute"] == "fact:id=taylor2018_washout" and c["holds"] is False
    assert "washout: 28-day washout period between infusions" in c["explanation"]
    c = next(x for x in claims("In the Taylor et al. 2018 crossover, the washout between the two infusions was 28 "
                               "days.") if x["claimed_value"] == 28.0)
    assert c["holds"] is True
    # a follow-up is not an effect that lasted either: facts.csv taylor2018_followup "followed for 14 days"
    c = next(x for x in claims("Taylor et al. (2018) followed participants for 14 days.") if x["claimed_value"] == 14.0)
    assert c["recompute"] == "fact:id=taylor2018_followup" and c["holds"] is True
    # a study with no curated washout abstains, saying what the figure is
    c = next(x for x in claims("In Glue et al. 2017, doses were given one week apart, with a washout of 7 days.")
             if x["claimed_value"] == 7.0)
    assert c["holds"] is None and c["reason"].startswith("this is the interval between infusions (a washout), not "
                                                         "how fast or how long an effect came or lasted")


def test_a_course_within_n_days_is_a_schedule_not_an_onset():
    # editor s3 #11: "6 infusions within 21 days" typed as how fast it works
    c = next(x for x in claims("Oliver et al. 2022 describe a starting course of 6 infusions within 21 days.")
             if x["claim_type"] == "onset")
    assert c["holds"] is None and c["reason"].startswith("this is the time over which the treatments were given")


def test_an_infusion_time_equal_to_the_record_is_accurate_and_a_different_one_fails():
    # editor s3 #8: "over 40 minutes" abstained against sources.csv oliver2022 infusion_min 40 ("does not bear")
    c = next(x for x in claims("In Oliver et al. 2022, patients received 0.5 mg/kg over 40 minutes.")
             if x["claimed_unit"] == "minutes")
    assert c["recompute"] == "attribute:source=oliver2022,field=infusion_min" and c["holds"] is True
    c = next(x for x in claims("In Oliver et al. 2022, patients received 0.5 mg/kg over 30 minutes.")
             if x["claimed_unit"] == "minutes")
    assert c["recompute"] == "attribute:source=oliver2022,field=infusion_min" and c["holds"] is False
    assert "the source's own record says 40 minutes" in c["explanation"]


def test_after_n_infusions_dates_the_figure_before_it():
    # editor s3 #51: "… 72% response rate after 10 infusions": the 10 infusions are the 72%'s timepoint
    # (estimates.csv oliver2022_phq9_response_10inf, "after 10 infusions"), not a schedule to check
    found = claims("Oliver et al. 2022 (N=424) reported a 72% response rate after 10 infusions.")
    rate = next(x for x in found if x["claim_type"] == "response_rate")
    assert rate["recompute"] == "estimate:id=oliver2022_phq9_response_10inf" and rate["holds"] is True
    n = next(x for x in found if x["claim_type"] == "dose_route")
    assert n["holds"] is None and n["reason"].startswith("this is when the figure before it was measured (“after 10 "
                                                         "infusions”)")


def test_of_two_surveys_the_one_whose_figure_the_sentence_gives_is_the_one_it_quotes():
    # editor s3 #50: prevalence.csv adaa_gad_past_year 3.1% (ADAA) and nimh_gad_past_year 2.7% (NIMH, NCS-R)
    c = one("Generalized anxiety disorder affects 3.1% of U.S. adults in a given year.", "prevalence")
    assert c["recompute"] == "prevalence:id=adaa_gad_past_year" and c["verdict"] == "accurate"
    assert "(matched on the figure, which is this survey's — National Institute of Mental Health gives 2.7%)" \
        in c["explanation"]
    c = one("Generalized anxiety disorder affects 2.7% of U.S. adults in a given year.", "prevalence")
    assert c["recompute"] == "prevalence:id=nimh_gad_past_year" and c["verdict"] == "accurate"


_PREVIEW = ("Researchers at Yale Medicine tested ketamine on adults with social anxiety. In the Yale study, most patients "
            "improved within a day.\nA 2019 study from Stanford found that ketamine helped veterans with PTSD, and side "
            "effects were mild.\nTaylor et al. (2018) randomized 18 adults with social anxiety disorder; 33% of "
            "participants responded on the LSAS.\n")


def test_no_verdicts_lists_what_a_full_run_lists():
    # editor s3 #54: --no-verdicts listed "most patients", "PTSD", "side effects" … that a full run does not list
    # (measured on the same copy before the fix: 14 items against 10)
    from evidence.check import check

    full = check(_PREVIEW).claims
    preview = check(_PREVIEW, evaluate=False).claims
    assert [(c["start"], c["end"]) for c in preview] == [(c["start"], c["end"]) for c in full]
    # The count moved with every refit of the claim classifier (10 until session 6, 11, 10, 11, 10, and 11 again when
    # holdout9 joined in session 9: the clause "side effects were mild" sits at the clause threshold). What the
    # test is for is that the preview and the full run list the same spans (above); what it pins is what the rules
    # list, which no refit moves: the figures of Taylor 2018 and the study cues of the other two sentences.
    quotes = {c["quote"] for c in full}
    assert {"Yale Medicine", "within a day", "A 2019 study", "Taylor et al. (2018)", "randomized", "18 adults",
            "33% of participants"} <= quotes
    # session 11: the classifier's clauses ("side effects were mild", "that ketamine helped veterans with PTSD") move
    # with each refit, so the count pins the rules' items alone (every detector but the classifier's "sentence-claim")
    assert len([c for c in full if c["detector"] != "sentence-claim"]) == 10
    assert all(c["checkable"] is False and c["verdict"] == "linked_not_evaluated" for c in preview if c["recompute"])


def test_the_table_honours_width_and_refuses_a_width_too_narrow(tmp_path, capsys):
    # editor s3 #55: --format table --width 60 printed 88-character lines (the columns did not shrink)
    from evidence.cli import main

    page = tmp_path / "copy.txt"
    page.write_text(_PREVIEW + "Glue's 2018 trial was published in the American Journal of Psychiatry, and "
                    "Generalized anxiety disorder affects 3.1% of U.S. adults in a given year.\n", encoding="utf-8")
    for width in (40, 60, 100, 140):
        assert main(["check", str(page), "--format", "table", "--width", str(width)]) == 0
        out = capsys.readouterr().out.splitlines()
        assert max(len(x) for x in out) <= width, (width, max(out, key=len))
        assert any("Misattributed" in x for x in out)
    assert main(["check", str(page), "--width", "30"]) == 2
    assert capsys.readouterr().err.strip() == ("evidence check: --width must be at least 40 (the table's narrowest "
                                               "layout)")


def test_claims_article_takes_its_number(capsys):
    # editor s3 #38: `evidence claims --article 2` was refused; data/articles.csv 002_7eea33e9fe03bfcd
    from evidence.cli import main

    assert main(["claims", "--article", "002", "--format", "json"]) == 0
    by_prefix = capsys.readouterr().out
    assert main(["claims", "--article", "2", "--format", "json"]) == 0
    assert capsys.readouterr().out == by_prefix and "002_7eea33e9fe03bfcd" in by_prefix
    assert main(["claims", "--article", "9"]) == 2
    assert "--article '9' is no article (known: 000, 001, 002, 003, 004)" in capsys.readouterr().err


def test_not_checkable_says_what_to_add_or_where_to_look():
    # review s3: every abstention got the same "Name the study or official source …" sentence
    c = one("Smith and colleagues (2019) found that 80% of participants responded.", "response_rate")
    assert c["suggestion"] == ("The study it cites (author Smith, 2019) is not in the evidence base: add it "
                               "(sources.csv, with the figure it reports), or give a full citation so readers can "
                               "find it.")
    c = one("Around 60% of patients respond to ketamine.", "response_rate")
    assert c["suggestion"].startswith("Name the study behind this figure (first author, year, journal)")
    # sources.csv murrough2013 has no curated onset figure
    c = next(x for x in claims("Murrough et al. (2013) saw symptom relief within hours.") if x["claim_type"] == "onset")
    assert c["suggestion"].startswith("Check the figure against Murrough et al. 2013 (Biological Psychiatry) itself")


# ------------------------------------------------------------------ editor s4 (interim, 05:27-06:04)

def test_a_different_schedule_or_not_controlled_is_contradicted():
    # editor s4: "Schedule I / II / IV controlled substance" and "not a controlled substance" were Accurate against
    # facts.csv fda_ketamine_2022_ketalar_statement ("… is a Schedule III controlled substance …")
    for text, why in (("Ketamine is a Schedule II controlled substance.", "the claim says Schedule II; the source says "
                                                                          "Schedule III"),
                      ("Ketamine is not a controlled substance.", "the claim says it is not a controlled substance; "
                                                                  "the source says it is in Schedule III")):
        c = one(text, "regulatory_status")
        assert c["verdict"] == "contradicted" and c["holds"] is False, text
        assert why[0].upper() + why[1:] in c["explanation"], c["explanation"]
    c = one("Ketamine is a Schedule III controlled substance.", "regulatory_status")
    assert c["verdict"] == "accurate"


def test_approved_for_ptsd_now_is_the_psychiatric_use_the_fda_says_is_not_approved():
    # editor s4: "… FDA approved for PTSD now, my clinic said." abstained ("narrows the use to ptsd"); facts.csv
    # fda_ketamine_not_approved_psychiatric: "Ketamine is not FDA approved for the treatment of any psychiatric
    # disorder … (e.g., … post-traumatic stress disorder (PTSD) …)"
    c = one("Ketamine is FDA approved for PTSD now, according to our clinic.", "regulatory_status")
    assert c["recompute"] == "fact:id=fda_ketamine_not_approved_psychiatric" and c["verdict"] == "contradicted"


def test_an_esketamine_use_the_base_has_no_approval_for_abstains_naming_it_and_the_right_drug():
    # editor s4: "Spravato … approved … for generalized anxiety disorder" abstained with the Ketalar label as reason
    c = one("Spravato is also approved by the FDA for generalized anxiety disorder.", "regulatory_status")
    assert c["holds"] is None and "Ketalar" not in c["reason"]
    assert c["reason"].startswith("the sentence names a use for anxiety; the fact it matches (U.S. Food and Drug "
                                  "Administration 2019, esketamine nasal spray (Spravato)) is for another use")


def test_the_arms_and_a_past_perfect_finding_continue_the_passages_study():
    # editor s4: "At week two, 67% of those on ketamine had responded, compared with 20% on midazolam." after a
    # sentence resolved to Feder 2021 → "names no study"; estimates.csv feder2021_resp_ketamine 67 /
    # feder2021_resp_midazolam 20 (treatment responders at week 2)
    found = claims("A 2021 trial in the American Journal of Psychiatry randomized 30 adults with chronic PTSD to six "
                   "infusions over two weeks. At week two, 67% of those on ketamine had responded, compared with 20% "
                   "on midazolam.")
    rates = [c for c in found if c["claim_type"] == "response_rate"]
    assert [c["claimed_value"] for c in rates] == [67.0, 20.0]
    assert all(c["study"] == "feder2021" and c["holds"] is True for c in rates)
    # estimates.csv oliver2022_phq9_response_6wk 50: "50% had responded" continues the passage about Oliver 2022
    found = claims("Oliver et al. 2022 reviewed the charts of 424 patients. Within six weeks of starting infusions, "
                   "50% had responded.")
    c = next(x for x in found if x["claimed_value"] == 50.0)
    assert c["recompute"] == "estimate:id=oliver2022_phq9_response_6wk" and c["holds"] is True


def test_a_response_threshold_is_not_a_reduction_and_another_drugs_figure_is_not_ketamines():
    # was: "at least a 35 percent reduction" (the Y-BOCS response criterion) understated against 50% responders, and
    # "after one week" overstated against the SRIs' 2-3 month lag (facts.csv rodriguez2013_sri_lag_upper)
    found = claims("Rodriguez et al. (2013) gave a single ketamine infusion to adults with OCD. Half of those given "
                   "ketamine still reported at least a 35 percent reduction in symptoms after one week.")
    half = next(c for c in found if c["quote"].startswith("Half"))
    assert half["recompute"] == "estimate:id=rodriguez2013_resp_ketamine" and half["holds"] is True
    t = next(c for c in found if c["claimed_value"] == 35.0)
    assert t["holds"] is None and t["reason"].startswith("this is the threshold that defines a response")
    assert not any(c["holds"] is False for c in found), [(c["quote"], c["verdict"]) for c in found]


def test_what_a_sentence_claims_about_the_passages_study_does_not_pick_another_study():
    # editor s4: "That 2017 study" read "That" as an author; "The 2014 trial enrolled 61 patients …, said Dr. Lena
    # Ortiz" read the speaker as an author and the claimed n as a cue; "That paper appeared in the American Journal
    # of Psychiatry" and "The Taylor trial, published in JAMA Psychiatry" let the claimed journal pick the study.
    # sources.csv glue2017 open-label; feder2014 n 41 (facts feder2014_n "Forty-one patients"); murrough2013 and
    # taylor2018 journals Biological Psychiatry and Neuropsychopharmacology
    found = claims("Glue and colleagues (2017) gave ketamine to 12 patients. That 2017 study was double-blind.")
    assert next(c for c in found if c["quote"] == "double-blind")["verdict"] == "misattributed"
    found = claims("Feder et al. (2014) ran a crossover trial. The 2014 trial enrolled 61 patients in all, said Dr. "
                   "Lena Ortiz, a psychiatrist who was not involved in the work.")
    n = next(c for c in found if c["claim_type"] == "sample_size")
    assert n["study"] == "feder2014" and n["verdict"] == "overstated"
    for text, record in (("Murrough et al. (2013) gave up to six infusions. That paper appeared in the American "
                          "Journal of Psychiatry.", "Biological Psychiatry"),
                         ("Taylor et al. (2018) studied 18 adults with social anxiety. The Taylor trial, published in "
                          "JAMA Psychiatry, was small.", "Neuropsychopharmacology")):
        j = next(c for c in claims(text) if c["claim_type"] == "attribution" and "Psychiatry" in c["quote"])
        assert j["verdict"] == "misattributed", text
        assert f"the source's own record says {record}" in j["explanation"]


def test_a_journal_inside_another_journals_name_is_not_that_journal():
    # editor s4: "Psychopharmacology" (cut from "Therapeutic Advances in Psychopharmacology") fuzzy-matched
    # Neuropsychopharmacology; sources.csv whittaker2021 is the one 2021 meta-analysis (facts whittaker2021_n_rcts 6)
    from evidence.check.resolve import similar

    assert not similar("psychopharmacology", "neuropsychopharmacology")
    assert similar("neuropsychopharmacolgy", "neuropsychopharmacology")      # a typo still matches
    found = claims("A 2021 meta-analysis in Therapeutic Advances in Psychopharmacology found six eligible randomized "
                   "controlled trials of ketamine for anxiety spectrum disorders.")
    assert {c["study"] for c in found} == {"whittaker2021"}
    n = next(c for c in found if c["claim_type"] == "sample_size")
    assert n["holds"] is True


def test_an_author_named_team_beats_a_curated_wording_and_a_claimed_n_is_the_claim():
    # editor s4 #2: "the Oliver team ran a randomized, placebo-controlled trial" → Accurate against Taylor 2018's
    # curated "placebo-controlled"; sources.csv oliver2022 design retrospective, control none
    found = claims("One caution: the Oliver team ran a randomized, placebo-controlled trial.")
    assert {c["study"] for c in found if c["claim_type"] == "design"} == {"oliver2022"}
    assert all(c["verdict"] == "misattributed" for c in found if c["claim_type"] == "design")
    # editor s4 #4: "the 2020 Glue trial … to 40 patients" matched Lii 2023 (n = 40); facts glue2020 n 12
    c = one("Then there is the 2020 Glue trial, where ketamine was given to 40 patients.", "sample_size")
    assert c["study"] == "glue2020" and c["verdict"] == "overstated"


def test_more_back_references_and_a_course_over_days():
    # editor s4 #3: "Their blood pressure went up …", "… 90% of them had …" after a sentence naming Glue 2018
    # (facts.csv glue2018_bp: blood pressure rose at 30 minutes)
    found = claims("Glue et al. (2018) gave weekly doses. Their blood pressure went up by 10 mmHg at 30 min.")
    assert next(c for c in found if c["quote"] == "10 mmHg")["study"] == "glue2018"
    # editor s4 #7: "six infusions to 24 patients … over 12 days" is the course, not a durability (it was compared
    # with Murrough 2013's 83-day relapse follow-up)
    found = claims("Murrough et al. gave six infusions to 24 patients with treatment-resistant depression over 12 "
                   "days; 71% responded.")
    c = next(x for x in found if x["claimed_value"] == 12.0)
    assert c["holds"] is None and c["reason"].startswith("this is the time over which the treatments were given")


def test_a_single_treatment_cited_to_a_repeated_infusion_study_is_in_doubt():
    # was: "(Murrough et al., 2013)" Accurate (year) beside "… after a single treatment"; sources.csv murrough2013
    # sessions "up to 6, three times weekly over 12 days" (the same group's 2013 single-infusion trial is another
    # paper, not in the evidence base)
    found = claims("Relief can last for days after a single treatment (Murrough et al., 2013).")
    assert found and all(c["holds"] is None for c in found)
    assert all(c["reason"].startswith("the sentence describes a single treatment, but Murrough et al. 2013 "
                                      "(Biological Psychiatry) gave repeated ones") for c in found)
    # the near miss: the repeated infusions it did give are checked (facts murrough2013 relapse, 70.8% response)
    c = next(x for x in claims("After up to six infusions, 71% responded (Murrough et al., 2013).")
             if x["claim_type"] == "response_rate")
    assert c["study"] == "murrough2013" and c["holds"] is True


def test_an_anesthetic_statement_under_an_anxiety_heading_is_not_a_psychiatric_approval_claim():
    # was: "Ketamine For Anxiety Ketamine is a dissociative anesthetic agent …" (a heading run into the sentence)
    # Contradicted against FDA 2023's "not determined that ketamine is safe and effective for such uses"
    # (since session 9 the bare description is background, not a claim, by the corpus's labelling rule 1: the
    # span of time keeps it a claim here, tests/test_check_precision_s9.py)
    found = claims("Ketamine For Anxiety Ketamine is a dissociative anesthetic agent used in medical procedures for "
                   "decades.")
    c = next(x for x in found if x["claim_type"] == "regulatory_status")
    assert c["holds"] is not False and "psychiatric" not in c["explanation"]


def test_a_rule_verdict_suggests_what_the_source_says():
    c = one("Ketamine is a Schedule IV controlled substance.", "regulatory_status")
    assert c["suggestion"].startswith("Say what the source says: “Ketamine hydrochloride (tradename: Ketalar) is a "
                                      "Schedule III controlled substance")


def test_the_right_schedule_holds_in_the_facts_own_words():
    # facts.csv spravato_label_header "SPRAVATO (esketamine) nasal spray, CIII. …"; ketamine_label_schedule_iii /
    # fda_ketamine_2022_ketalar_statement "… a Schedule III controlled substance …"
    c = one("Spravato (esketamine) is a Schedule III controlled substance.", "regulatory_status")
    assert c["verdict"] == "accurate"
    c = one("Ketamine is a Schedule III substance.", "regulatory_status")
    assert c["verdict"] == "accurate"


def test_a_near_miss_against_the_organisation_the_sentence_names_is_a_wrong_figure():
    # editor s4 #8: "According to the National Institute of Mental Health, … 3.1%" abstained ("the sentence names no
    # source") although it names NIMH, whose figure is 2.7% (prevalence.csv nimh_gad_past_year)
    c = one("According to the National Institute of Mental Health, generalized anxiety disorder affects 3.1% of U.S. "
            "adults in a given year.", "prevalence")
    assert c["recompute"] == "prevalence:id=nimh_gad_past_year" and c["verdict"] == "overstated"
    # editor s4 #13: a remission rate is described as one (estimates.csv oliver2022_phq9_remission_10inf 38%)
    c = one("Oliver et al. 2022 reported a remission rate of 38% after 10 infusions.", "response_rate")
    assert "share in remission 38%" in c["explanation"]


def test_a_wrong_route_of_a_named_study_is_misattributed():
    # editor s3 #27 / detect 06:24: "Glue et al. 2017 gave ketamine intravenously." abstained (the route was matched
    # as a slot and ruled its own record out); sources.csv glue2017 route SC
    c = one("Glue and colleagues (2017) gave ketamine intravenously.", "dose_route")
    assert c["verdict"] == "misattributed"
    assert "the source's own record says subcutaneous" in c["explanation"]
    c = one("Glue and colleagues (2017) gave ketamine subcutaneously.", "dose_route")
    assert c["holds"] is True
