"""What `check` says about the items it lists (settle10, session 10): classes of wrong verdicts, verdicts on claims
the evidence base cannot settle, and item types an editor reads, each closed and pinned.

Sentences are made-up copy unless a comment names the training page they are modelled on."""
from __future__ import annotations

from check_support import claims   # tests/check_support.py


# the sentences carry a year so that the design is listed (an undated design word with no study is not)
def _designs(text: str) -> list[dict]:
    return [c for c in claims(text) if c["claim_type"] == "design"]


def test_a_regulators_review_of_a_drug_is_not_a_narrative_review():
    # modelled on discovermagazine_esketamine_approval ("I participated in the FDA review of this drug"), which was
    # read as a study design and called misattributed against the FDA's notice
    for text in ("On Feb. 3, 2019, I sat in on the FDA review of this drug.",
                 "In 2019 the agency's review of the application took eight months."):
        assert not _designs(text), text


def test_a_clinics_review_of_the_patients_history_is_not_a_study_design():
    # modelled on pmcheal_first_esketamine_treatment ("a review of your treatment history")
    for text in ("In 2019 the first visit included a review of your treatment history.",
                 "In 2024 we began with a psychiatric assessment and review of prior medications."):
        assert not _designs(text), text


def test_a_review_of_studies_is_still_a_narrative_review():
    c = _designs("The study was a review of published trials.")
    assert [d["claimed_text"] for d in c] == ["narrative_review"]
    c = _designs("Walsh and colleagues published a review of ketamine trials in 2021.")
    assert [d["claimed_text"] for d in c] == ["narrative_review"]
