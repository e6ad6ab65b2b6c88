"""Word statements of session 10 (issue 15; evidence.check.wordtopics): the care around a treatment said in the third
person or by the clinic, the state of the research, treatments judged against others without "than", and facts about
a condition without a figure. Each is listed "not checkable here" with its reason in plain words. The sentences are
from the corpus's training split (page id and split in the comment) unless marked as made up.
"""
from __future__ import annotations

import re

import pytest

from check_support import md_claims, overlapping, reads_well   # tests/check_support.py


_claims, _find = md_claims, overlapping


#: the detector names this file's reasons must never show
_CODES = "care-procedure|evidence-state|evaluative|condition-fact"


def _reads_well(c: dict, words: str) -> None:
    reads_well(c, words, _CODES)


@pytest.mark.parametrize("text, quote", [
    # medicinenet_spravato_side_effects (holdout6)
    ("Your healthcare provider will decide when you are ready to leave the healthcare setting.",
     "Your healthcare provider will decide when you are ready to leave the healthcare setting"),
    # ketamindhealthlv_faqs (holdout6)
    ("After the infusion, you'll be observed for a short period before being cleared to go home with a designated "
     "driver.", "before being cleared to go home"),
    # zenpsychiatric_full_medical_observation (holdout10)
    ("Once deemed to be back at baseline, clients will only be released to the supervision of another responsible "
     "adult.", "released to the supervision of another responsible adult"),
    # zenpsychiatric_full_medical_observation (holdout10)
    ("We monitor the vital signs and mental/cognitive status of all clients before, during and after treatment.",
     "We monitor the vital signs"),
    # galemd_spravato_ketamine (holdout4)
    ("For ketamine, we administer ketamine through a device called a nasal atomizer.",
     "we administer ketamine through a device called a nasal atomizer"),
])
def test_the_care_around_a_treatment_is_the_clinics_procedure(text, quote):
    _reads_well(_find(text, quote), r"the care around a treatment.*clinic's own procedure")


@pytest.mark.parametrize("text, quote", [
    # nameart_wsj_ketamine_at_home (holdout8)
    ("There is less data on ketamine’s effectiveness for other conditions including anxiety and PTSD.",
     "less data on ketamine’s effectiveness"),
    # pharmacists_spravato_nasal_spray (holdout4)
    ("Some limited studies have been done to assess the effects of ketamine on depression and post-traumatic stress "
     "disorder (PTSD).", "limited studies have been done"),
    # galemd_spravato_ketamine (holdout4)
    ("Ketamine is thought to work on glutamate, but the exact mechanism of action is unknown.",
     "mechanism of action is unknown"),
    # neiglobal_apa_ketamine_consensus (holdout6)
    ("However, the lack of larger-scale clinical trials has left serious knowledge gaps.",
     "lack of larger-scale clinical trials"),
    # nameart_wsj_ketamine_at_home (holdout8): "long-term" is what is not known, not a durability claim
    ("There is little data on its long-term use.", "little data on its long-term use"),
    # chooseketamine_disclaimers (holdout5)
    ("The long-term effects of daily ketamine use are not yet fully understood.",
     "The long-term effects of daily ketamine use are not yet fully understood"),
    # arizonaketamine_side_effects (holdout4)
    ("There isn’t much information yet on long-term effects of repetitive Ketamine therapy.",
     "isn’t much information yet on long-term effects"),
])
def test_the_state_of_the_research_is_listed_with_its_reason(text, quote):
    _reads_well(_find(text, quote), r"how much is known or has been studied")


@pytest.mark.parametrize("text, quote", [
    # aahpo_spravato_monotherapy (holdout9)
    ("The intra venous delivery remains more effective.", "remains more effective"),
    # nzmj_ketamine_nz_editorial (holdout7)
    ("Compared with esketamine, the evidence base for ketamine is more robust.", "is more robust"),
    # psychiatrycenters_ketamine_anxiety (holdout4)
    ("Ketamine does not come with the same long-term side effects as other medications.",
     "same long-term side effects as other medications"),
])
def test_a_treatment_judged_against_others_in_words(text, quote):
    _reads_well(_find(text, quote), r"judges one treatment against others")


@pytest.mark.parametrize("text, quote", [
    # annatarnoff_depression_ketamine (holdout7)
    ("Today, depression is the leading cause of disability in the world.", "leading cause of disability"),
    # novavitacare_gad (holdout4)
    ("The exact cause of Generalized Anxiety Disorder is unknown, yet health conditions, family background, and life "
     "experiences play a role.", "The exact cause of Generalized Anxiety Disorder is unknown"),
    # ketaminescottsdale_ptsd (holdout10)
    ("Signs and symptoms of PTSD include: intrusive memories, avoidance, negative changes in thinking and mood.",
     "Signs and symptoms of PTSD include"),
])
def test_a_fact_about_a_condition_is_listed_with_its_reason(text, quote):
    _reads_well(_find(text, quote), r"fact about the condition")


def test_a_comparison_of_prices_is_not_a_judgement_of_treatments():
    # made up: a comparison with no treatment in it
    assert not [c for c in _claims("Our parking lot is more convenient.") if "judges one treatment" in c["reason"]]


# ------------------------------------------------------------ esketamine's setting and adjunct use in more word orders
# (evidence.check.wordclaims.RX_SETTING_MORE / RX_ADJUNCT_MORE, session 10)

def test_self_administered_under_supervision_is_a_setting_claim_the_programme_record_does_not_settle():
    # serenityhealthcentersfl_spravato (holdout5)
    c = _find("Spravato is a nasal spray. The nasal spray is self-administered under the supervision of your doctor or "
              "healthcare professional.", "self-administered under the supervision of your doctor")
    assert c["claim_type"] == "regulatory_status" and c["holds"] is None
    assert re.search(r"restricted distribution system.*not who must supervise or monitor it", c["reason"]), c["reason"]


@pytest.mark.parametrize("text, quote", [
    # myhealthalberta_esketamine_spray (holdout6); FDA 5 March 2019: "available only at a certified doctor's office or
    # clinic"
    ("Esketamine is given in a doctor's office or medical clinic.", "given in a doctor's office or medical clinic"),
    # dartmouth_esketamine_trd (holdout9); the Spravato label: "in conjunction with an oral antidepressant"
    ("Esketamine nasal spray: Taken in addition to an oral antidepressant medication.",
     "Taken in addition to an oral antidepressant medication"),
])
def test_esketamines_setting_and_adjunct_use_in_more_word_orders_are_checked(text, quote):
    c = _find(text, quote)
    assert c["claim_type"] == "regulatory_status" and c["holds"] is True, c


def test_a_use_stated_as_a_promising_treatment_is_a_drug_use_claim():
    # momentofclarity_ketamine_side_effects (holdout9): "promising treatment" alone is a hope (siftrules), but "has
    # emerged as a promising treatment for depression, PTSD, and chronic pain" states what the drug is used for
    c = _find("Ketamine therapy has emerged as a promising treatment for depression, PTSD, and chronic pain.",
              "has emerged as a promising treatment for depression")
    _reads_well(c, r"what the drug is used or explored for")


@pytest.mark.parametrize("text, quote", [
    # sbs_ketamine_trial_australia_nz (holdout9)
    ("The trials were led by the University of Sydney and the Black Dog Institute, and funded by the Australian "
     "National Health and Medical Research Council.", "led by the University of Sydney and the Black Dog Institute"),
    ("The trials were led by the University of Sydney and the Black Dog Institute, and funded by the Australian "
     "National Health and Medical Research Council.",
     "funded by the Australian National Health and Medical Research Council"),
])
def test_who_led_or_paid_for_a_study_is_listed_with_its_reason(text, quote):
    c = next((c for c in _claims(text) if c["quote"] == quote), None)
    assert c is not None, [c["quote"] for c in _claims(text)]
    _reads_well(c, r"who led or paid for a study")


def test_a_person_named_by_a_study_role_is_an_author_role():
    # pledgetimes_ketamine_vs_ect (holdout7): statements.RX_AUTHOR_ROLE
    c = _find("“Ketamine works,” said Amit Anand, the study’s lead author.", "the study’s lead author")
    assert c["claim_type"] == "attribution" and c["holds"] is None
    assert "role in a study" in c["reason"], c["reason"]


def test_a_person_is_not_an_institution():
    # made up, after medpath_kwan_meta_analysis: a person who led a study is not a sponsor
    assert not [c for c in _claims("The meta-analysis was led by Angela Kwan of Toronto.")
                if "who led or paid for a study" in c["reason"]]


@pytest.mark.parametrize("text, quote", [
    # fieldtriphealth_is_ketamine_addictive (holdout10)
    ("Combat medics relied on it.", "Combat medics relied on it"),
    # ketaminetherapyusa_addiction_offlabel (holdout10)
    ("It was created for use in the Vietnam War to operate on or treat injuries on the front line.",
     "for use in the Vietnam War"),
])
def test_the_drugs_wartime_history_without_a_year_is_listed_with_its_reason(text, quote):
    _reads_well(_find(text, quote), r"the drug's history")


@pytest.mark.parametrize("text, quote, words", [
    # thehealthy_ketamine_trd_explainer (holdout7)
    ("Since then, ketamine therapy has gained traction in controlled clinical settings.", "has gained traction",
     r"a trend in how the treatment is used"),
    # hudson_ketamine_addictive (holdout8)
    ("Today, in major cities across the country, ketamine clinics are springing up.", "are springing up",
     r"a trend in how the treatment is used"),
    # momentofclarity_ketamine_side_effects (holdout9)
    ("The therapeutic effects of ketamine often build over multiple sessions.", "build over multiple sessions",
     r"how the effect builds or lasts over a course"),
    # josephrosadomd_ketamine_side_effects (holdout9)
    ("While these effects are often mild and short-lived, some need care.", "mild and short-lived",
     r"how the effect builds or lasts over a course"),
])
def test_a_trend_or_a_course_said_in_words_is_listed_with_its_reason(text, quote, words):
    _reads_well(_find(text, quote), words)


@pytest.mark.parametrize("text, quote", [
    # clevelandclinic_ketamine_therapy (holdout11): the pattern's tail of so many characters ended inside "new"
    ("It works by blocking certain brain signals and helping nerve cells form new connections.",
     "works by blocking certain brain signals and helping nerve cells form"),
    # longislandinterventions_side_effects (holdout5): it ended at "although it is"
    ("Interest in it for this purpose has grown in recent years, although it is important to remember that ketamine "
     "is a drug.", "Interest in it for this purpose has grown in recent years"),
])
def test_a_word_statement_ends_at_a_words_end(text, quote):
    assert quote in [c["quote"] for c in _claims(text)], [c["quote"] for c in _claims(text)]
