"""A study's size is compared only with a size of the same kind (settle13, issue 15 Deliver 3).

"200 patients were assigned to the ketamine group" gives the size of one arm; "A total of 403 patients underwent
randomization" gives the whole trial's. An arm's size is compared only with that arm's recorded size (facts.csv
``n_randomized_arm``), a whole trial's only with the trial's (sources.csv ``n_randomized`` / ``n_analysed``, a fact of
the patients enrolled), never the one with the other. When the study has several arms of the drug the sentence names
(Fava 2018: four ketamine doses), the sentence must say which (its dose), or the claim abstains.
"""
from __future__ import annotations

import re

#: the clause after a head count says it is the size of one group: "… were assigned to the ketamine group",
#: "… and 203 to the ECT group", "… in the placebo arm", "… randomized to receive esketamine"
_ARM_AFTER = re.compile(r"^[^.;:]{0,40}?\b(?:to|in|into|on)\s+(?:the|each|either|a|one)\s+(?P<arm>(?:[\w./-]+\s+){0,4}?)"
                        r"(?:group|arm|condition)s?\b|"
                        r"^[^.;:]{0,30}?\b(?:assigned|randomi[sz]ed|allocated)\s+to\s+(?:receive\s+)?(?P<drug>[\w-]+)",
                        re.I)
#: the treatments an arm is named by, as a trial's arms are recorded ("Fava 2018 arm: single IV dose of ketamine …")
_ARM_NAME = re.compile(r"\b(?:esketamine|ketamine|midazolam|placebo|saline|ECT|electroconvulsive|control)\b", re.I)
#: a dose that tells one arm from another ("0.5 mg/kg", "0.5 mg per kilogram")
_DOSE = re.compile(r"(\d+(?:\.\d+)?)\s*mg\s*(?:/|per\s+)\s*(?:kg|kilogram)", re.I)
#: the facts.csv attribute of an arm's size
ARM_ATTRIBUTE = "n_randomized_arm"


def claimed_arm(d) -> str | None:
    """The arm a sample-size claim gives the size of ("ketamine", "placebo"; "" for an arm not named by a
    treatment), or None when the claim is the size of the whole study."""
    t, b = d.sentence.text, d.end - d.sentence.start
    m = _ARM_AFTER.search(t[b:b + 90])
    if not m:
        return None
    named = _ARM_NAME.search(m.group("arm") or m.group("drug") or "")
    if m.group("drug") is not None and not named:
        return None   # "randomized to receive …" of no named treatment: not an arm
    return named.group(0).lower() if named else ""


def is_arm(c) -> bool:
    return c.origin == "fact" and str((c.row or {}).get("attribute") or "") == ARM_ATTRIBUTE


def _arm_of(c) -> str:
    return str((c.row or {}).get("subject") or "").lower()


def _names(arm: str, subject: str) -> bool:
    return bool(re.search(rf"\b{re.escape(arm)}\b", subject))   # "ketamine" is not inside "esketamine"


def sample_kind(d, c, arms_of) -> str:
    """Why a sample-size claim is not compared with this size ('' when it may). ``arms_of(source_id)`` gives that
    study's arm-size candidates."""
    if d.claim_type != "sample_size" or d.value is None:
        return ""
    arm = claimed_arm(d)
    if arm is None:
        return ("the sentence gives the whole study's size and the closest figure is one arm's "
                f"({_arm_of(c)})") if is_arm(c) else ""
    if not is_arm(c):
        return ("the sentence gives the size of one group, and the evidence base records no size for that group "
                "(the closest figure is the whole study's)")
    if not arm or not _names(arm, _arm_of(c)):
        return f"the sentence gives the size of another group than this arm ({_arm_of(c)})"
    same = [x for x in arms_of(c.source_ids[0]) if _names(arm, _arm_of(x))] if c.source_ids else []
    doses = set(_DOSE.findall(d.sentence.text))
    if len(same) > 1 and not (doses & set(_DOSE.findall(_arm_of(c)))):
        return (f"the study has {len(same)} {arm} arms and the sentence does not say which one it gives the size of")
    return ""
