"""The verdict rules, on synthetic claims built to trigger each one (issue #5).

Every case below is designed for exactly one rule. The tests check that the
rule decides that case, and that no other case is decided by it.
"""
from __future__ import annotations

import math

import pytest

from evidence.verdicts import (DEFAULT_PARAMS, RULES, SCALE, Claimed, Recomputed, compare_numeric, decide,
                               decimals_of, text_matches)

P = dict(DEFAULT_PARAMS)


def num(q, v=None, lo=None, hi=None, unit="%", raw=None):
    return Claimed(qualifier=q, value=v, low=lo, high=hi, unit=unit, raw_value=raw)


def ev(v, lo=None, hi=None, measure="pct", unit="%", flags=(), null=None, method="estimate", text=None):
    return Recomputed(method, value=v, low=lo, high=hi, measure=measure, unit=unit, flags=list(flags), null=null, text=text)


ROW = {"claim_type": "prevalence", "evidence_status": "found"}
EFF = {"claim_type": "effect_size", "evidence_status": "found"}

CASES = {
    # name: (row, claimed, recomputed, expected verdict, expected rule)
    "override": ({**ROW, "verdict_override": "contradicted", "override_justification": "label says so"},
                 num("exact", 18.1), ev(18.1), "contradicted", "override"),
    "unverifiable": ({**ROW, "evidence_status": "unidentifiable", "search_note": "no such paper"},
                     num("exact", 5), None, "unverifiable", "unverifiable"),
    "unsupported": ({**ROW, "evidence_status": "not_found", "search_note": "searched PMC"},
                    num("range", lo=70, hi=80), None, "unsupported", "unsupported"),
    "misattributed": ({**ROW, "claim_type": "attribution"}, Claimed("categorical", text="2020"),
                      ev(None, method="attribute", measure="attribute", text="2021"), "misattributed", "misattributed"),
    "contradicted-fact": ({**ROW, "claim_type": "regulatory_status"}, Claimed("categorical", text="approved for anxiety"),
                          ev(None, method="fact", measure="fact", text="not approved for any psychiatric indication"),
                          "contradicted", "contradicted-fact"),
    "contradicted-direction": (EFF, num("approx", 2.0, unit="OR"), ev(0.5, 0.3, 0.8, measure="OR", unit=None, null=1.0),
                               "contradicted", "contradicted-direction"),
    "overstated": (EFF, num("approx", 28.9, unit="OR", raw="28.9"), ev(2.03, 0.67, 6.15, measure="OR", unit=None, null=1.0),
                   "overstated", "overstated"),
    "understated": (ROW, num("exact", 10.0, raw="10"), ev(19.1), "understated", "understated"),
    "missing-context": (EFF, num("approx", 28.9, unit="OR", raw="28.9"),
                        ev(28.94, 3.45, 242.57, measure="OR", unit=None, null=1.0, flags=["taylor2018 is small (n=18)"]),
                        "accurate_missing_context", "missing-context"),
    "accurate": (ROW, num("exact", 2.7, raw="2.7"), ev(2.7), "accurate", "accurate"),
    "not-comparable": ({**ROW, "claim_type": "other"}, Claimed("categorical", text="thousands"),
                       ev(12.0), "unsupported", "not-comparable"),
    # a citation with the wrong year/journal for the study described decides, whatever the figure
    "misattributed-citation": (EFF, num("exact", 33.3, raw="33.3"),
                               Recomputed("proportion", value=33.3, unit="%", measure="pct",
                                          citation_problem="the article cites J Clin Psychopharmacol, 2021, but ..."),
                               "misattributed", "misattributed-citation"),
    # NIMH any anxiety disorder: 19.1% past year, 31.1% lifetime; "19% at some point" is the past-year figure
    "misattributed-period": (ROW, num("approx", 19, raw="19"),
                             Recomputed("prevalence", value=19.1, unit="%", measure="pct", period="past_year",
                                        claimed_period="lifetime", period_figure="31.1%"),
                             "misattributed", "misattributed-period"),
    # "the majority" against 40% (Bystritsky 2006: about 60% respond, so about 40% do not)
    "contradicted-minority": (ROW, num("majority"), ev(40.0), "contradicted", "contradicted-minority"),
    "mixed": (ROW, Claimed("categorical", text="outlasts"),
              Recomputed("weigh", text="...", support=["a"], oppose=["b"]), "mixed", "mixed"),
    "contradicted-weighed": (ROW, Claimed("categorical", text="x"), Recomputed("weigh", oppose=["b"]),
                             "contradicted", "contradicted-weighed"),
    "overstated-weighed": (ROW, Claimed("categorical", text="x"), Recomputed("weigh", support=["a"], weaker=["c"]),
                           "overstated", "overstated-weighed"),
    "missing-context-weighed": (ROW, Claimed("categorical", text="x"),
                                Recomputed("weigh", support=["a"], context_statements=["typically 4 to 6 weeks"]),
                                "accurate_missing_context", "missing-context-weighed"),
    "accurate-weighed": (ROW, Claimed("categorical", text="x"), Recomputed("weigh", support=["a"]),
                         "accurate", "accurate-weighed"),
    # "patients reported" against a clinician-rated outcome only (Feder 2021's CAPS-5 is clinician-administered)
    "not-self-reported": ({**EFF, "quote": "patients reported a 67% response"}, num("exact", 67, raw="67"),
                          Recomputed("proportion", value=66.7, unit="%", measure="pct",
                                     detail="10/15 CAPS-5 treatment response"),
                          "unsupported", "not-self-reported"),
}


@pytest.mark.parametrize("name", CASES)
def test_each_rule_fires_on_its_case(name):
    row, claimed, rec, verdict, rule = CASES[name]
    d = decide(row, claimed, rec, P)
    assert (d.verdict, d.rule) == (verdict, rule)


def test_each_rule_fires_only_on_its_case():
    decided_by = {name: decide(c[0], c[1], c[2], P).rule for name, c in CASES.items()}
    for name, rule in decided_by.items():
        others = [n for n, r in decided_by.items() if r == rule and n != name]
        assert not others, f"rule {rule} also decides {others}"
    # every rule in RULES has a case
    assert len(set(decided_by.values())) >= len(RULES)


def test_scale_ratings_and_holds():
    assert {v[1] for v in SCALE.values()} <= {1, 2, 3, 4, 5}
    assert decide(*CASES["accurate"][:3], P).holds
    assert decide(*CASES["missing-context"][:3], P).holds
    for name in ("overstated", "understated", "misattributed", "contradicted-fact", "unsupported", "unverifiable",
                 "mixed", "misattributed-citation", "misattributed-period", "contradicted-minority"):
        assert not decide(*CASES[name][:3], P).holds, name


def test_override_needs_known_verdict():
    with pytest.raises(ValueError):
        decide({**ROW, "verdict_override": "pants_on_fire", "override_justification": "x"}, num("exact", 1), ev(1), P)


# ------------------------------------------------------- tolerance edge cases

@pytest.mark.parametrize("claimed, evidence, expected", [
    # rounding: "18.1%" stands for [18.05, 18.15]
    (num("exact", 18.1, raw="18.1"), 18.14, "match"),
    (num("exact", 18.1, raw="18.1"), 18.16, "under"),
    (num("exact", 18.1, raw="18.1"), 18.04, "over"),
    # "~28.9" matches the printed 28.94 (issue #5); approx adds 10%
    (num("approx", 28.9, unit="OR", raw="28.9"), 28.94, "match"),
    (num("approx", 28.9, unit="OR", raw="28.9"), 31.8, "match"),
    (num("approx", 28.9, unit="OR", raw="28.9"), 32.0, "under"),
    # ranges: "70 to 80 percent" is [69.5, 80.5]
    (num("range", lo=70, hi=80), 80.4, "match"),
    (num("range", lo=70, hi=80), 69.6, "match"),
    (num("range", lo=70, hi=80), 33.3, "over"),
    (num("range", lo=70, hi=80), 81.0, "under"),
    # "the majority" is strictly more than 50%
    (num("majority"), 50.0, "over"),
    (num("majority"), 50.1, "match"),
    # "half" is 50% +/- 2.5 points
    (num("half", 50), 33.3, "over"),
    (num("half", 50), 52.4, "match"),
    # "up to 40%": the evidence must reach 40 (within about) but not exceed it
    (num("up_to", 40, raw="40"), 38.0, "match"),
    (num("up_to", 40, raw="40"), 20.0, "over"),
    (num("up_to", 40, raw="40"), 45.0, "under"),
    # "1 in 8" is 12.5%
    (num("exact", 12.5, raw="12.5"), 12.5, "match"),
    # "at least 5"
    (num("at_least", 5, unit="patients", raw="5"), 9.0, "match"),
])
def test_tolerance(claimed, evidence, expected):
    assert compare_numeric(claimed, ev(evidence), P) == expected


def test_nnt_direction_is_inverse():
    # a smaller NNT is a stronger claim: "about 5" against an NNT of 9 overstates the benefit
    assert compare_numeric(num("approx", 5, unit="patients", raw="5"), ev(9.0, measure="NNT", unit=None), P) == "over"
    assert compare_numeric(num("approx", 5, unit="patients", raw="5"), ev(3.0, measure="NNT", unit=None), P) == "under"
    assert compare_numeric(num("approx", 5, unit="patients", raw="5"), ev(5.4, measure="NNT", unit=None), P) == "match"


def test_range_of_evidence_values():
    # a source printing "30-40%" supports "about 30%" and "up to 40%"
    r = ev(35.0)
    r.value_range = (30.0, 40.0)
    assert compare_numeric(num("approx", 30, raw="30"), r, P) == "match"
    assert compare_numeric(num("up_to", 40, raw="40"), r, P) == "match"


def test_parameters_change_the_tolerance():
    claimed = num("approx", 28.9, unit="OR", raw="28.9")
    assert compare_numeric(claimed, ev(33.0), P) == "under"
    assert compare_numeric(claimed, ev(33.0), {**P, "approx_rel_tol": 0.2}) == "match"


def test_decimals_and_text_matching():
    assert decimals_of("18.1") == 1 and decimals_of("40") == 0 and decimals_of(2.5) == 1
    assert text_matches("Neuropsychopharmacology", "Neuropsychopharmacology")
    assert text_matches("GAD;SAD", "SAD;GAD;PTSD")
    assert not text_matches("GAD;SAD", "SAD;PTSD;OCD")
    assert text_matches("crossover_rct", "crossover_rct")
    assert not text_matches("IV", "SC")
    assert text_matches("2018", "2018") and not text_matches("2020", "2021")


def test_interval_is_open_above_for_majority():
    lo, hi = num("majority").interval(P)
    assert lo > 50.0 and lo == pytest.approx(50.0) and math.isinf(hi)


def test_phrase_matching_respects_negation():
    from evidence.verdicts import phrase_in

    fact = "Ketamine is not FDA approved for the treatment of any psychiatric disorder."
    assert phrase_in("not FDA approved", fact)
    assert not phrase_in("FDA approved", fact)
    assert phrase_in("FDA-approved as an injection", "Ketamine is FDA-approved as an injection for anesthesia")


def test_onset_compares_inversely():
    # "within 30 minutes" against an onset of 12 hours claims a faster effect than the evidence shows
    fast = Claimed("up_to", value=0.5, unit="hours", raw_value="0.5")
    rec = ev(12.0, measure="value", unit="hours")
    rec.inverse = True
    assert compare_numeric(Claimed("exact", value=0.5, unit="hours", raw_value="0.5"), rec, P) == "over"
    assert compare_numeric(Claimed("exact", value=48, unit="hours", raw_value="48"), rec, P) == "under"
    # "up to"/"within" follows the same direction (it had ignored it: "within 30 minutes" came out understated)
    assert compare_numeric(fast, rec, P) == "over"
    assert compare_numeric(Claimed("up_to", value=24, unit="hours", raw_value="24"), rec, P) == "under"
    assert compare_numeric(Claimed("up_to", value=12, unit="hours", raw_value="12"), rec, P) == "match"


def test_missing_context_needs_a_match_first():
    # flags (a small study) never turn a claim the evidence does not support into "accurate but missing context"
    row = {"claim_type": "comparison", "evidence_status": "found"}
    rec = ev(48.0, measure="value", unit="%", method="fact", flags=["taylor2018 is small (n=18)"],
             text="Treatment effect estimates were significantly larger in smaller trials")
    d = decide(row, Claimed("categorical", text="rarely produce misleading results"), rec, P)
    assert d.verdict == "contradicted"


def test_a_fact_with_a_number_still_contradicts_a_word_claim():
    rec = ev(6.0, measure="value", unit="mg/day", method="fact",
             text="patients taking benzodiazepines up to 6 mg/day lorazepam could continue them")
    d = decide({"claim_type": "safety", "evidence_status": "found"},
               Claimed("categorical", text="they cannot be taken at the same time"), rec, P)
    assert (d.verdict, d.rule) == ("contradicted", "contradicted-fact")


def test_majority_is_overstated_not_contradicted_when_the_ci_reaches_the_majority():
    # 45% with a CI up to 55%: not clearly a minority, so the numeric rule decides
    d = decide(ROW, num("majority"), ev(45.0, 35.0, 55.0), P)
    assert (d.verdict, d.rule) == ("overstated", "overstated")


def test_period_rule_needs_the_figure_to_match():
    # "about 19%" against a past-year 25%: the figure itself is off, so the numeric rules decide
    rec = Recomputed("prevalence", value=25.0, unit="%", measure="pct", period="past_year", claimed_period="lifetime")
    assert decide(ROW, num("exact", 19, raw="19"), rec, P).rule == "understated"


def test_mixed_is_rated_between_failing_and_holding():
    assert SCALE["mixed"][1] == 3 and not decide(*CASES["mixed"][:3], P).holds


def test_self_report_rule_needs_only_clinician_scales():
    row = {**EFF, "quote": "patients reported a 67% response"}
    both = Recomputed("proportion", value=66.7, unit="%", measure="pct", detail="HAM-A and FQ response")
    assert decide(row, num("exact", 67, raw="67"), both, P).rule != "not-self-reported"
    none = Recomputed("proportion", value=66.7, unit="%", measure="pct", detail="anxiety ratings")
    assert decide(row, num("exact", 67, raw="67"), none, P).rule != "not-self-reported"


def test_a_caveat_gives_missing_context_for_any_claim_type():
    # ADAA: 40 million adults, 18.1%: 40/0.181 = 221 million, not the 2020 census's 258.3 million adults
    rec = Recomputed("prevalence", value=40e6, unit="people", measure="count",
                     caveats=["the count is 18.1% of 221 million adults, an earlier population"])
    d = decide(ROW, num("approx", 40e6, unit="adults", raw="40000000"), rec, P)
    assert (d.verdict, d.rule) == ("accurate_missing_context", "missing-context")
    rec.caveats = []
    assert decide(ROW, num("approx", 40e6, unit="adults", raw="40000000"), rec, P).verdict == "accurate"
