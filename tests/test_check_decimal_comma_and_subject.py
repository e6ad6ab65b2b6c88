"""Two confident wrong verdicts from the editor's review (session 3), each a class issue 15 names.

* #24 decimal commas (Deliver 6): "0,5 mg/kg" was read as 5 mg/kg and came out Overstated against Taylor et al.
  2018's intravenous 0.5 mg/kg over 40 minutes (Neuropsychopharmacology 2018;43:325-333, Methods). A comma
  followed by one or two digits before a unit of dose is a decimal comma (a thousands separator takes three).
* #56 the design asserted, not the subject's: "The Oliver 2022 chart review was a randomized controlled trial."
  took "chart review" (the subject) as the claimed design and was Accurate; Oliver et al. 2022 (J Clin
  Psychiatry) is a retrospective chart review, so the claim is misattributed.
"""
from __future__ import annotations

from evidence.check import check


def _claims(text: str) -> dict[str, dict]:
    return {c["quote"]: c for c in check(text, filename="copy.txt").claims}


def test_a_decimal_comma_in_a_dose_is_read_as_a_decimal():
    c = _claims("Taylor et al. (2018) gave ketamine at 0,5 mg/kg.")["0,5 mg/kg"]
    assert (c["claimed_value"], c["claimed_unit"]) == (0.5, "mg/kg")
    assert c["verdict"] in ("accurate", "accurate_missing_context")


def test_a_decimal_comma_range_of_doses():
    c = _claims("Doses of 0,5 mg/kg and 1,0 mg/kg were given.")["0,5 mg/kg and 1,0 mg/kg"]
    assert (c["claimed_low"], c["claimed_high"], c["claimed_unit"]) == (0.5, 1.0, "mg/kg")


def test_a_thousands_separator_is_still_read_as_one():
    c = _claims("The survey asked 1,500 adults.")
    assert not any(x.get("claimed_value") == 1.5 for x in c.values())


def test_the_design_after_the_verb_is_the_claim_not_the_subjects():
    c = _claims("The Oliver 2022 chart review was a randomized controlled trial.")
    design = [x for x in c.values() if x["claim_type"] == "design"]
    assert len(design) == 1 and design[0]["quote"] == "a randomized controlled trial"
    assert design[0]["claimed_text"] == "rct" and design[0]["verdict"] == "misattributed"
