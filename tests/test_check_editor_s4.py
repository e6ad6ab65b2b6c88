"""Two confident wrong verdicts the session-4 editor review found on main 1fa97e3 (/work/coord/review-s4.md,
re-run section), on copy written for the review, never corpus text. Both must abstain with the reason in words."""
from __future__ import annotations

from check_support import claims

OLIVER = ("Oliver and colleagues reviewed the charts of 424 patients treated with IV ketamine "
          "(Journal of Clinical Psychiatry, 2022). ")


def test_a_count_of_infusions_before_its_figure_is_the_timepoint_not_a_schedule():
    # "After 10 infusions, 72% ... had responded": the 10 is when the 72% was measured. It had come out
    # Overstated against Oliver 2022's initial series (facts: 6 infusions within 21 days).
    got = [c for c in claims(OLIVER + "After 10 infusions, 72% of patients had responded and 38% were in remission.")
           if c["quote"] == "10 infusions"]
    assert len(got) == 1
    assert got[0]["abstained"] is True
    assert "when the figure after it was measured" in got[0]["explanation"]


def test_the_figure_before_its_count_keeps_its_reason():
    got = [c for c in claims(OLIVER + "72% of patients had responded after 10 infusions.") if c["quote"] == "10 infusions"]
    assert [c["abstained"] for c in got] == [True]
    assert "when the figure before it was measured" in got[0]["explanation"]


def test_a_share_with_a_diagnosis_is_not_a_symptom_change():
    # "90% of them had social anxiety disorder" is who was enrolled; it had been called Overstated against
    # Glue 2018's 50% drop in Fear Questionnaire ratings (estimates.csv, glue2018 FQ % decrease).
    text = ("In Glue et al. 2018, 20 adults with generalized or social anxiety disorder received ketamine. "
            "And 90% of them had social anxiety disorder.")
    got = [c for c in claims(text) if c["quote"].startswith("90%")]
    assert len(got) == 1
    assert got[0]["abstained"] is True
    assert "share of participants with a diagnosis" in got[0]["explanation"]


def test_a_reduction_in_symptoms_is_still_an_outcome():
    # near miss: "had a reduction in anxiety symptoms" is an outcome, not a diagnosis, so it is still compared
    got = [c for c in claims("In Glue et al. 2018, 50% of patients had a reduction in anxiety symptoms.")
           if c["quote"].startswith("50%")]
    assert len(got) == 1 and got[0]["abstained"] is False
