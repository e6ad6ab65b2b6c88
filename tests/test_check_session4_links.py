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
    c = one("Spravato, a cousin of the anaesthetic, needs extra monitoring, the FDA said on Tuesday.",
            "regulatory_status")
    assert c["quote"] == "Spravato"
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
    found = [c for c in claims("Ketamine is still used as an anesthetic for children and teenagers in many "
                               "emergency rooms.") if c["claim_type"] == "regulatory_status"]
    assert found, "the anesthetic use is detected"
    c = found[0]
    assert c["checkable"] is False and c["holds"] is None
    assert c["reason"].startswith("the sentence narrows the use to children and teenagers; the fact it matches (DailyMed")
    assert "Ketalar" in c["reason"] and "neither confirms nor contradicts" in c["reason"]


def test_an_anesthetic_use_without_a_population_is_still_accurate():
    # the near miss: Ketalar label, "KETALAR is a general anesthetic indicated …"
    c = one("Ketamine is used as an anesthetic in hospitals.", "regulatory_status")
    assert c["verdict"] == "accurate" and c["recompute"] == "fact:id=ketalar_fda_indication"
