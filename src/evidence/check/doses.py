"""A dose in mg/kg against a study's record of its doses (issue 15 Deliver 3 and 4).

``sources.csv`` records each study's ketamine doses (``dose_mg_per_kg``, ``;``-separated when several were given).
A claimed dose is compared with that record figure by figure: "ketamine 0.5 mg/kg" holds for a study that gave
0.5 mg/kg, "0.5–1 mg/kg" for one that gave 0.5 and 1 mg/kg. A dose that is not among the recorded ones is not
judged (it may be another arm's, another study's or another drug's), and a dose printed for the control drug
("midazolam 0.045 mg/kg") is never compared with ketamine's: both abstain with the record in words.
"""
from __future__ import annotations

import re

from evidence import fmt

#: drugs that are not ketamine or esketamine: a control, a comparator or a co-medication
_OTHER_DRUG = re.compile(r"\b(?:midazolam|placebo|saline|diphenhydramine|lorazepam|diazepam|alprazolam|propofol|"
                         r"remifentanil|fentanyl|dexmedetomidine|ondansetron|clonidine|nitrous\s+oxide|"
                         r"benzodiazepines?|comparator|controls?(?:\s+group)?|the\s+control\s+(?:arm|group|condition))"
                         r"\b", re.I)
_KETAMINE = re.compile(r"\b(?:es|ar)?ketamine\b|\bspravato\b", re.I)
#: the clause the figure belongs to starts after the last of these before it
_CLAUSE = re.compile(r"[;:()\n]|,\s|\s(?:while|whereas|and|or|vs\.?|versus|compared\s+with|compared\s+to)\s", re.I)


def _clause_before(d) -> str:
    text = d.sentence.text
    a = d.start - d.sentence.start
    before = text[:max(0, a)]
    cut = 0
    for m in _CLAUSE.finditer(before):
        cut = m.end()
    return before[cut:]


def other_drug(d) -> str:
    """The other drug a mg/kg figure is the dose of ("midazolam at 0.045 mg/kg"), or ''."""
    if d.claim_type != "dose_route" or d.unit != "mg/kg":
        return ""
    clause = _clause_before(d)
    others = list(_OTHER_DRUG.finditer(clause))
    if not others:
        return ""
    ket = list(_KETAMINE.finditer(clause))
    if ket and ket[-1].start() > others[-1].start():
        return ""   # "placebo-controlled, ketamine 0.5 mg/kg": ketamine is named nearer the figure
    return " ".join(others[-1].group(0).lower().split())


def other_drug_reason(d) -> str:
    drug = other_drug(d)
    if not drug:
        return ""
    what = "the control" if drug.startswith(("control", "the control", "comparator")) else drug
    return (f"this is the dose of {what}, not of ketamine or esketamine; the evidence base records the ketamine "
            "doses a study gave, so it is not compared with them")


def _claimed(d) -> tuple[float, ...]:
    vals = [v for v in (d.low, d.high) if v is not None] or ([d.value] if d.value is not None else [])
    return tuple(float(v) for v in vals)


def _same(a: float, b: float) -> bool:
    return abs(a - b) <= 1e-9 * max(1.0, abs(b))


def recorded(c) -> tuple[float, ...]:
    return tuple(float(n) for n in (c.numbers or ()))


def dose_text(d, c) -> str | None:
    """The claimed doses in the record's own form ("0.5", "0.5;1") when every one is a recorded dose, else None."""
    got, have = _claimed(d), recorded(c)
    if not got or not have or not all(any(_same(g, h) for h in have) for g in got):
        return None
    return ";".join(fmt.num(g) for g in dict.fromkeys(got))


def mismatch_reason(d, c, label: str) -> str:
    """Why a dose that is not among the study's recorded doses is not judged, with the record in words; or ''."""
    got, have = _claimed(d), recorded(c)
    if not got or not have or dose_text(d, c) is not None:
        return ""
    gave = " or ".join(f"{fmt.num(h)} mg/kg" for h in have)
    said = "–".join(fmt.num(g) for g in got) + " mg/kg"
    return (f"{label} gave {gave}; {said} is not among its doses, and the sentence may describe another arm, "
            "another study or another drug, so it is not judged")
