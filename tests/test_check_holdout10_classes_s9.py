"""Classes of holdout10's disagreements, read after its one measurement at the end of session 9.

A schedule named as a class of drugs is not a claim about this drug's schedule (holdout10, read after its one
measurement at the end of session 9: altmedapp_schedule_iii#03 and #04, both `holds` by their label, were
contradicted with ketamine's Schedule III). "Schedule I" is never the pronoun "I", and "Schedule I drugs …" at the
start of a sentence is never an invitation to schedule an appointment."""
from __future__ import annotations

import pytest

from evidence.check import check


# (quotes end on whole words since review11: the detector's "Schedule I drug" takes the rest of "drugs")
@pytest.mark.parametrize("text, quote", [
    ("Schedule I drugs are considered the most dangerous and have no accepted medical use (like heroin).",
     "Schedule I drugs"),
    ("Schedule V drugs have a lower potential for abuse and accepted medical uses.", "Schedule V drugs"),
    ("Ketamine is classified as a Schedule III drug, while Schedule I drugs have no accepted medical use.",
     "Schedule I drugs"),
])
def test_a_schedule_said_of_its_drugs_in_general_is_not_checked(text, quote):
    c = next(c for c in check(text).claims if c["quote"] == quote)
    assert c["verdict"] == "not_checkable" and c["holds"] is None
    assert "drugs of a schedule in general" in c["explanation"]


@pytest.mark.parametrize("text, verdict", [
    ("Ketamine is a Schedule II drug.", "contradicted"),            # the label's CIII
    ("Ketamine and esketamine are Schedule III drugs.", "accurate"),  # plural, but said of the named drugs
    ("Ketamine is classified as a Schedule III drug, while Schedule I drugs have no accepted medical use.", "accurate"),
    ("Both SPRAVATO and ketamine are Schedule III controlled substances under the U.S. Controlled Substances Act.",
     "accurate"),
])
def test_a_drug_said_to_be_in_a_schedule_is_still_checked(text, verdict):
    assert check(text).claims[0]["verdict"] == verdict


def test_schedule_is_still_an_invitation_as_a_verb():
    r = check("Schedule your first infusion today.")
    assert r.claims == [] and [n["reason_code"] for n in r.non_claims] == ["invitation"]


def test_the_2025_population_is_read_through_quotation_marks():
    # holdout10's financetom_spravato_monotherapy_2025#02 (holds by its label) was called overstated: the 2025
    # population, quoted ("inadequate response" to at least two oral antidepressants), was not read as TRD
    t = ('Johnson & Johnson said Tuesday that the US Food and Drug Administration has approved Spravato, or esketamine, '
         'CIII nasal spray as a standalone treatment for adults with major depressive disorder who showed "inadequate '
         'response" to at least two oral antidepressants.')
    verdicts = {c["verdict"] for c in check(t).claims}
    assert "overstated" not in verdicts and "accurate" in verdicts
    # without that population it is still stronger than the approval (labelrules.monotherapy_claim)
    t2 = "The FDA approved Spravato as a standalone treatment for adults with major depressive disorder."
    assert [c["verdict"] for c in check(t2).claims] == ["overstated"]
