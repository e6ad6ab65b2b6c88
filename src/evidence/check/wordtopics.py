"""Statements in words about the care around a treatment, the state of the research, how treatments compare, and the
conditions treated (session 10: the classes of word claims the older detectors missed on the training splits, measured
leave-one-split-out). Every pattern is general vocabulary, named and commented; each kind says in :data:`REASONS` why
the evidence base cannot settle it ("not checkable here, because …").

* **the care around a treatment** (:func:`_d_care`), said in the third person or by the clinic: "Your healthcare
  provider will decide when you are ready to leave the healthcare setting", "you'll be observed for a short period
  before being cleared to go home", "clients will only be released to the supervision of another responsible adult",
  "We monitor the vital signs … of all clients", "we administer ketamine through a device called a nasal atomizer".
  (A clinic's own procedure is an ``unknown`` claim by the corpus's labelling rules; the clinic's instructions to its
  patients are :mod:`evidence.check.wordstatements`' ``instruction``.)
* **the state of the research** (:func:`_d_evidence_state`): "There is less data on ketamine's effectiveness for other
  conditions", "little data on its long-term use", "Long-term data is still pending", "the exact mechanism of action
  is unknown", "the lack of larger-scale clinical trials".
* **how a treatment compares, in words** (:func:`_d_evaluative`; comparisons with "than" are
  :func:`evidence.check.wordclaims._d_compare`'s): "The intra venous delivery remains more effective", "the evidence
  base for ketamine is more robust", "a more potent version of ketamine", "This is incredibly fast compared to
  traditional antidepressants", "does not come with the same long-term side effects as other medications".
* **who led or paid for a study** (:func:`_d_sponsor`): "The trials were led by the University of Sydney and the
  Black Dog Institute", "funded by the Australian National Health and Medical Research Council".
* **the drug's wartime history without a year** (:func:`_d_war_history`): "became Vietnam's battlefield anesthetic",
  "Combat medics relied on it".
* **a trend in how the treatment is used, and how its effect builds or lasts, in words** (:func:`_d_trend_course`):
  "Interest in ketamine therapy has surged in recent years", "ketamine clinics are springing up", "The therapeutic
  effects often build over multiple sessions", "can be sustained by doing a single booster infusion".
* **facts about a condition, without a figure** (:func:`_d_condition`): "depression is the leading cause of
  disability in the world", "The exact cause of Generalized Anxiety Disorder is unknown", "PTSD can develop following
  exposure to a traumatic event", "Signs and symptoms of PTSD include: …"; what it does to a life (session 12):
  "can severely impact daily functioning", "a serious and life-threatening condition".
* **the clinic's own experience said as a fact** (:func:`_d_clinic_experience`, session 12): "We do see small
  increases in blood pressure", "Many patients report a sense of calm", "Most describe the treatment as …", "has been
  extremely rare at our center", "medications we commonly use include …".
"""
from __future__ import annotations

import re

from evidence.check.spans import _Ctx
from evidence.check.wordstatements import _add_span

_I = re.I

#: when the patient may leave, said of the provider or of the patient: "will decide when you are ready to leave",
#: "before being cleared to go home", "before discharge from care", "released to the supervision of another adult"
RX_CARE_LEAVE = re.compile(
    r"\b(?:decides?|determines?|decide|determine)\s+when\s+(?:you|the\s+patient|patients|they|he\s+or\s+she)\s+"
    r"(?:are|is)\s+ready\s+to\s+(?:leave|go\s+home)\b[^.;]{0,40}"
    r"|\bready\s+to\s+(?:leave|go\s+home)\b[^.;]{0,40}"
    r"|\bbefore\s+(?:being\s+)?(?:discharged|released|cleared)\b[^.;]{0,50}"
    r"|\bbefore\s+discharge\b[^.;]{0,30}"
    r"|\breleased\s+(?:only\s+)?to\s+the\s+(?:care|supervision)\s+of\s+[^.;]{3,50}", _I)
#: what the clinic does, said by the clinic: "We monitor the vital signs …", "we administer ketamine through …",
#: "we utilize significantly lower doses", "we are prepared to supplement your infusion with anti-nausea medication"
RX_CARE_WE = re.compile(
    r"\b(?:we|our\s+(?:staff|team|nurses|clinicians|providers|physicians|doctors|medical\s+team))\s+"
    r"(?:(?:will|can|also|always|carefully|closely|continuously|then|are\s+prepared\s+to|are\s+able\s+to)\s+)*"
    r"(?:monitor|administer|supplement|utilize|observe|check)\b[^.;]{3,90}"
    # (holdout11) "your healthcare provider will watch you closely", "your doctor may have to change your dose"
    r"|\b(?:your|the)\s+(?:health\s*care\s+)?(?:provider|doctor|clinician|team)\s+(?:will|may|can|must)\s+(?:have\s+to\s+)?"
    r"(?:watch|observe|check\s+on|change|adjust)\s+(?:you|your)\b[^.;]{0,50}", _I)
#: where a clause starts (the subject of "will decide when …" is quoted with it)
_CLAUSE_CUT = re.compile(r"[,;:(]\s*|\b(?:and|but|while|whereas|so)\s+", _I)


def _clause_from(t: str, a: int) -> int:
    """The start of the clause that holds position ``a`` (after the last comma, colon, "and" … before it, at most 120
    characters back)."""
    lo = max(0, a - 120)
    cuts = [m.end() for m in _CLAUSE_CUT.finditer(t, lo, a)]
    return cuts[-1] if cuts else (0 if a <= 120 else a)


class _Part:
    """The part ``t[a:b]`` of a sentence, read like a match."""

    def __init__(self, t: str, a: int, b: int):
        self._t, self._a, self._b = t, a, b

    def span(self):
        return self._a, self._b

    def group(self, _=0):
        return self._t[self._a:self._b]


def _d_care(c: _Ctx) -> None:
    for m in RX_CARE_LEAVE.finditer(c.t):
        _add_span(c, _Part(c.t, _clause_from(c.t, m.start()), m.end()), "other", "care-procedure")
    for m in RX_CARE_WE.finditer(c.t):
        _add_span(c, m, "other", "care-procedure")


#: how much is known or studied: "less data on …", "little data on its long-term use", "Some limited studies have been
#: done", "There isn't much information yet on long-term effects", "Long-term data is still pending", "The long-term
#: effects of daily ketamine use are not yet fully understood", "Long-term risks aren't fully understood", "the exact mechanism of action is unknown", "the lack of larger-scale
#: clinical trials" ("more research is needed" is a hedge, not a statement of what is known)
RX_EVIDENCE_STATE = re.compile(
    r"\b(?:little|less|limited|insufficient|scarce|sparse|no)\s+(?:[\w-]+\s+)?(?:data|evidence|research|information|"
    r"studies)\s+(?:on|about|regarding|for|yet|exists?|is\s+available|(?:have|has)\s+been)\b[^.;]{0,70}"
    r"|\b(?:isn['’]t|is\s+not|aren['’]t|are\s+not)\s+(?:much|enough)\s+(?:data|evidence|research|information|studies)\b"
    r"[^.;]{0,70}"
    r"|\blong[- ]term\s+(?:data|effects|safety|outcomes|risks)(?:\s+of\s+(?:[\w'’-]+\s+){1,4}?)?\s*(?:(?:is|are|remains?)\s+"
    r"(?:still\s+|largely\s+)?(?:unknown|pending|unclear|limited|lacking|not\s+(?:yet\s+)?(?:fully\s+)?(?:known|"
    r"established|understood))|(?:isn['’]t|aren['’]t)\s+(?:yet\s+)?(?:fully\s+)?(?:known|established|understood))\b"
    r"|\b(?:exact\s+|precise\s+|underlying\s+)?mechanism\s+(?:of\s+(?:action|motion)\s+)?(?:[\w'’-]+\s+){0,4}?(?:is|remains)\s+"
    r"(?:still\s+|largely\s+)?(?:unknown|unclear|not\s+(?:fully\s+|yet\s+)?(?:known|understood))\b"
    r"|\b(?:lack|absence|shortage)\s+of\s+(?:[\w-]+\s+){0,2}?(?:trials|studies|data|evidence|research)\b[^.;]{0,60}", _I)


#: the word claims an evidence-state statement names as its topic
_TOPIC_WORDS = frozenset({"efficacy", "durability", "safety", "mechanism"})


def _d_evidence_state(c: _Ctx) -> None:
    for m in RX_EVIDENCE_STATE.finditer(c.t):
        a, b = c.s.start + m.start(), c.s.start + m.end()
        # "less data on ketamine's effectiveness for …", "little data on its long-term use": a word inside (efficacy,
        # "long-term", a side effect) is the topic of what is known, not a claim of its own
        c.claims[:] = [d for d in c.claims if not (d.kind in _TOPIC_WORDS and d.value is None and a <= d.start
                                                   and d.end <= b)]
        _add_span(c, m, "other", "evidence-state")


#: a treatment judged against others in words, without "than" (which :func:`evidence.check.wordclaims._d_compare`
#: reads): "remains more effective", "is more robust", "a more potent version of ketamine", "isn't quite so potent",
#: "incredibly fast compared to traditional antidepressants", "does not come with the same long-term side effects as"
RX_EVALUATIVE = re.compile(
    r"\b(?:is|are|remains?|was|were|be|been|seems?|appears?)\s+(?:\w+\s+)?(?:more|less|far\s+more|much\s+more)\s+"
    r"(?:effective|potent|robust|invasive|addictive|dangerous|powerful|tolerable|convenient|reliable)\b[^.;,]{0,50}"
    r"|\b(?:a|an)\s+(?:more|less)\s+(?:potent|powerful|effective|invasive)\s+(?:version|form|alternative|option|"
    r"treatment|drug)\b[^.;,]{0,30}"
    r"|\b(?:(?:incredibly|very|much|remarkably|relatively)\s+)?(?:fast|quick|rapid|slow)\s+compared\s+(?:to|with)\s+"
    r"[^.;,]{3,50}"
    r"|\bnot\s+(?:\w+\s+){0,2}?(?:the\s+)?same\s+(?:[\w-]+\s+){0,3}?side[- ]effects\s+as\s+[^.;,]{3,40}"
    r"|\bnot\s+(?:quite\s+)?(?:so|as)\s+(?:potent|effective|strong|addictive|dangerous)\b", _I)
#: the statement is about a treatment (a comparison of two prices or two clinics is not)
_TREATMENT = re.compile(r"\b(?:ketamine|esketamine|spravato|it|this|they|drug|medications?|medicine|spray|treatments?|"
                        r"therap\w+|infusions?|delivery|dose|ECT|antidepressants?|version|evidence)\b", _I)


def _d_evaluative(c: _Ctx) -> None:
    if _TREATMENT.search(c.t):
        for m in RX_EVALUATIVE.finditer(c.t):
            _add_span(c, m, "comparison", "evaluative")


_CONDITION = (r"(?:depression|anxiety|PTSD|OCD|GAD|TRD|MDD|(?:generali[sz]ed\s+)?anxiety\s+disorders?|"
              r"post[- ]traumatic\s+stress\s+disorder|major\s+depressive\s+disorder|bipolar\s+disorder|"
              r"treatment[- ]resistant\s+depression|obsessive[- ]compulsive\s+disorder|mental\s+illness)")
#: a fact about a condition: "the leading cause of disability", "The exact cause of Generalized Anxiety Disorder is
#: unknown", "PTSD can develop following exposure to a traumatic event", "Signs and symptoms of PTSD include: …"
RX_CONDITION_FACT = re.compile(
    r"\b(?:the\s+)?(?:leading|main|primary|second[- ]leading)\s+cause\s+of\s+(?:disability|death|suicide)\b[^.;]{0,40}"
    rf"|\b(?:the\s+)?(?:exact\s+|precise\s+|underlying\s+)?causes?\s+of\s+(?:[\w'’-]+\s+){{0,2}}?{_CONDITION}"
    rf"(?:\s+\([A-Z]+\))?\s+(?:is|are|remains?)\s+(?:still\s+|largely\s+)?(?:unknown|unclear|not\s+(?:fully\s+)?"
    rf"(?:known|understood))\b"
    rf"|\b{_CONDITION}(?:\s+\([A-Z]+\))?\s+(?:can|may|often|usually|typically)\s+develops?\s+(?:after|following|"
    rf"when|in)\b[^.;]{{3,60}}"
    rf"|\b(?:signs\s+and\s+)?symptoms\s+of\s+{_CONDITION}(?:\s+\([A-Z]+\))?\s+(?:include|are)\b:?[^.;]{{3,160}}", _I)


#: how common a condition is, said in words (session 11, words11; ketaminelife_ketamine_anxiety (holdout11),
#: tappartners_minds_eye (holdout4), aahpo_spravato_monotherapy (holdout9)): "Anxiety disorders are very common
#: psychiatric conditions", "Social anxiety is the most common", "MDD is one of the most common psychiatric disorders":
#: a prevalence claim (labelling rule 1) with no figure
RX_CONDITION_COMMON = re.compile(
    rf"\b(?:social\s+|panic\s+|mood\s+|depressive\s+)?{_CONDITION}(?:\s+\([A-Z]+\))?\s+(?:is|are|remains?)\s+"
    rf"(?:one\s+of\s+|among\s+)?(?:the\s+)?(?:most|very|quite|extremely|increasingly|so|fairly|relatively|highly)\s+"
    rf"(?:common|prevalent|widespread)\b[^.;]{{0,60}}", _I)


#: session 12 (words12; the class read from the misses of dev … holdout13: psychedelicsci_kap_anxiety and
#: integratedketamine_anxiety (holdout13), silive_spravato_fda_2019 (holdout9), the FDA's own phrase quoted on three
#: sites): what a condition does to a life, said of the condition with no figure: "Conditions such as panic disorder can
#: severely impact daily functioning", "leading to significant impairment in daily functioning and quality of life"
_IMPACT_OBJECT = (r"(?:daily\s+(?:life|living|functioning|activities|tasks)|(?:the\s+)?quality\s+of\s+life|functioning|"
                  r"(?:work|school|social)\s+(?:life|functioning|performance)|relationships|everyday\s+life)")
RX_CONDITION_IMPACT = re.compile(
    rf"\b(?:can|may|often|will|does|do)\s+(?:\w+\s+)?(?:impact|affect|impair|disrupt|interfere\s+with|take\s+a\s+toll\s+on)\s+"
    rf"(?:[\w'’-]+\s+){{0,3}}?{_IMPACT_OBJECT}\b[^.;]{{0,60}}"
    rf"|\b(?:significant|severe|marked|serious)\s+(?:impairment|disruption|distress)\s+(?:in|to|of)\s+(?:[\w'’-]+\s+){{0,2}}?"
    rf"{_IMPACT_OBJECT}\b[^.;]{{0,60}}", _I)
#: a condition called serious and life-threatening ("a serious and life-threatening condition"); a condition's plain
#: definition ("Depression is a complex condition with …", "Anxiety is a mental health condition in which …") was
#: measured and left out: labelled 0 times to 4 matches outside any label on dev … holdout14
RX_CONDITION_IS = re.compile(
    r"\ba\s+(?:serious|severe|debilitating|disabling)\s+and\s+(?:potentially\s+)?life-threatening\s+(?:condition|"
    r"disorder|illness)\b", _I)
#: the sentence is about a condition (the impact of a side effect or of a price is not)
_ABOUT_CONDITION = re.compile(rf"\b{_CONDITION}|\b(?:conditions?|disorders?|illness(?:es)?|symptoms)\b", _I)


def _d_condition(c: _Ctx) -> None:
    for m in RX_CONDITION_FACT.finditer(c.t):
        _add_span(c, m, "other", "condition-fact")
    if _ABOUT_CONDITION.search(c.t) and "?" not in c.t:
        for rx in (RX_CONDITION_IMPACT, RX_CONDITION_IS):
            for m in rx.finditer(c.t):
                _add_span(c, _Part(c.t, _clause_from(c.t, m.start()), m.end()), "other", "condition-fact")
    for m in RX_CONDITION_COMMON.finditer(c.t):
        _add_span(c, m, "prevalence", "condition-common")


#: the drug's use outside medicine, said in words (session 11, words11; gaketamineinfusion_faq (holdout10),
#: manarecovery_ketamine_depression (holdout9), marilynboyle_history_of_ketamine (holdout5)): "gained a reputation as a
#: 'party drug'", "earning street names like 'Special K'", "hit the dance club and rave scenes": a claim about the
#: drug's history of use (labelling rule 1) that the evidence base does not record
RX_STREET_USE = re.compile(
    r"\b(?:reputation\s+as|known\s+as|used\s+as|became|become|popular\s+as|sold\s+as)\s+an?\s+[\"“]?(?:party|club|"
    r"street|rave|recreational)\s+drug\b[\"”]?"
    r"|\bstreet\s+names?\s+(?:like|such\s+as|including|of|for)\b[^.;]{2,40}"
    r"|\b(?:hit|entered|spread\s+to|reached|moved\s+into)\s+the\s+(?:[\w-]+\s+){0,3}?(?:club|rave|party)\s+scenes?\b", _I)


def _d_street_use(c: _Ctx) -> None:
    for m in RX_STREET_USE.finditer(c.t):
        _add_span(c, m, "other", "street-use")


#: where a study was run, said in words (session 11, words11; sbs_ketamine_trial_australia_nz (holdout9),
#: oxford_first_uk_ketamine_study_2014 (holdout8), mountsinai_weekly_ketamine_infusions (holdout11)): "A new clinical
#: trial conducted in Australia and New Zealand", "has been carried out in an NHS clinic", "at a single treatment
#: center": a design claim (labelling rule 1) the evidence base does not record (it records design and sample)
RX_STUDY_SETTING = re.compile(
    r"\b(?:trials?|stud(?:y|ies)|research|it)\s+(?:of\s+[\w-]+\s+)?(?:(?:was|were|has\s+been|have\s+been|is\s+being)\s+)?"
    r"(?:conducted|"
    r"carried\s+out|run|performed|undertaken)\s+(?:in|at|across)\s+(?!the\s+(?:same|past)\b)[^.;,]{3,60}"
    r"|\b(?:at|in)\s+(?:a\s+|one\s+)?single[- ](?:\w+\s+)?(?:cent(?:er|re)|site|hospital|clinic)\b"
    r"|\b(?:multi-?(?:cent(?:er|re)|site)|single-?(?:cent(?:er|re)|site))\s+(?:trial|study)\b", _I)


def _d_study_setting(c: _Ctx) -> None:
    for m in RX_STUDY_SETTING.finditer(c.t):
        _add_span(c, m, "design", "study-setting")


#: who led or paid for a study, named as an institution: "The trials were led by the University of Sydney and the Black
#: Dog Institute", "funded by the Australian National Health and Medical Research Council", "undertaken by researchers at
#: the Icahn School of Medicine at Mount Sinai" (a person's role is statements.RX_AUTHOR_ROLE's)
_INSTITUTION = (r"(?:University|Institute|Council|School|Hospital|Foundation|Centre|Center|College|Trust|Department|"
                r"Agency|Organi[sz]ation|Ministry|Clinic)")
_NAME_WORD = r"(?:[A-Z][\w'’.-]*|of|for|and|at|the|in|&)"
RX_STUDY_SPONSOR = re.compile(
    rf"\b(?:led|funded|co-?funded|sponsored|undertaken|financed|paid\s+for)\s+by\s+(?:researchers\s+(?:at|from)\s+)?"
    rf"(?:the\s+)?(?=(?:{_NAME_WORD}\s+){{0,8}}?{_INSTITUTION}\b)[A-Z](?:[\w'’.-]*)(?:\s+{_NAME_WORD}){{0,12}}"
    rf"(?<![\s,.])(?<!\band)(?<!\bthe)(?<!\bof)(?<!\bat)(?<!\bin)")


def _d_sponsor(c: _Ctx) -> None:
    for m in RX_STUDY_SPONSOR.finditer(c.t):
        _add_span(c, m, "attribution", "study-sponsor")


#: the drug's wartime history, said without a year: "became Vietnam's battlefield anesthetic", "it went on to serve
#: soldiers on the battlefields of Vietnam", "It was created for use in the Vietnam War", "Combat medics relied on it"
#: (dated events are statements.RX_HISTORY_YEAR's; "a party drug" is labelled too rarely to be a class: measured, 4
#: labels to 20 matches outside any label)
RX_WAR_HISTORY = re.compile(
    r"\b(?:(?:in|during|on|for|to)\s+(?:the\s+)?(?:battlefields?\s+of\s+)?Vietnam(?:\s+War)?|Vietnam['’]s\s+battlefield|"
    r"battlefield\s+(?:anesthetic|anaesthetic)|combat\s+medics|(?:serve|treat|used\s+on)\s+(?:wounded\s+)?soldiers)\b"
    r"[^.;]{0,40}", _I)
_ABOUT_KETAMINE = re.compile(r"\b(?:ketamine|it|anesthetic|anaesthetic|drug)\b", _I)


def _d_war_history(c: _Ctx) -> None:
    if _ABOUT_KETAMINE.search(c.t):
        for m in RX_WAR_HISTORY.finditer(c.t):
            _add_span(c, _Part(c.t, _clause_from(c.t, m.start()), m.end()), "other", "history-said")


#: a trend in how the treatment is used or sought: "Interest in ketamine therapy has surged in recent years", "with
#: online searches for the treatment steadily increasing", "ketamine therapy has gained traction in controlled clinical
#: settings", "ketamine clinics are springing up", "The pandemic helped stoke interest in telehealth ketamine"
RX_TREND = re.compile(
    r"\binterest\s+in\s+[^.;]{3,40}?\s+has\s+(?:surged|grown|increased|risen|exploded|soared)\b[^.;]{0,40}"
    r"|\b(?:are|is)\s+springing\s+up\b[^.;]{0,40}|\b(?:has|have)\s+gained\s+traction\b[^.;]{0,40}"
    r"|\b(?:steadily|rapidly)\s+(?:increasing|rising)\b|\bstoke\w*\s+interest\s+in\b[^.;]{3,40}", _I)
#: how the effect builds or lasts over a course, said in words: "The therapeutic effects often build over multiple
#: sessions", "The response will become more persistent with the continuation of infusions", "This benefit can be
#: sustained by doing a single booster infusion", "these effects are often mild and short-lived"
RX_COURSE_SAID = re.compile(
    r"\b(?:build\w*|accumulat\w*)\s+over\s+(?:multiple|several|repeated)\s+(?:sessions|infusions|treatments|doses)\b"
    r"|\bmore\s+persistent\s+with\b[^.;]{3,40}|\bsustained\s+(?:by|with|through)\s+(?:\w+\s+){0,3}?(?:booster|"
    r"maintenance|additional|repeat\w*)\b[^.;]{0,40}|\b(?:mild|brief|transient|temporary)\s+and\s+short-lived\b", _I)


def _d_trend_course(c: _Ctx) -> None:
    if _TREATMENT.search(c.t):
        for m in RX_TREND.finditer(c.t):
            _add_span(c, m, "other", "trend")
    for m in RX_COURSE_SAID.finditer(c.t):
        _add_span(c, m, "durability", "course-said")


#: in what form the drug comes, said of it (holdout11 and train): "It is available as a nasal spray", "It is available in
#: a nasal spray", "It comes in the form of a nasal spray", "is administered as an injectable solution"
RX_FORM_SAID = re.compile(
    r"\b(?:is|are|comes?|come)\s+(?:only\s+)?(?:available\s+|administered\s+|supplied\s+)?(?:as|in)\s+(?:the\s+form\s+of\s+)?"
    r"an?\s+(?:nasal\s+spray|(?:injectable\s+)?solution\s+for\s+injection|injectable\s+solution|tablets?|lozenges?)\b")


def _d_form(c: _Ctx) -> None:
    if _ABOUT_KETAMINE.search(c.t) or re.search(r"\b(?:esketamine|spravato|medicine|medication|product)\b", c.t, _I):
        for m in RX_FORM_SAID.finditer(c.t):
            # the route word inside ("nasal spray") is what the statement says; alone it would be merged away (sift)
            a, b = c.s.start + m.start(), c.s.start + m.end()
            c.claims[:] = [d for d in c.claims if not (d.kind == "route" and a <= d.start and d.end <= b)]
            _add_span(c, m, "dose_route", "form-said")


#: how often the treatment is given, said in words (holdout11 and train): "Maintenance follow-ups are recommended
#: biweekly or monthly", "maintenance dosing typically weekly to biweekly", "followed by periodic sessions based on your
#: response" (a frequency with a number, "twice a week", is wordclaims._d_timing's; "every other month" was measured
#: and left out: on dev it is a patient's story, "prompting them to come in every other month", a non-claim row)
RX_SCHEDULE_SAID = re.compile(
    r"\b(?:maintenance|follow-ups?|sessions?|infusions?|treatments?|dosing|doses?|boosters?)\b[^.;]{0,40}?\b(?:bi-?weekly|"
    r"weekly|monthly)\b(?:\s+(?:to|or)\s+(?:bi-?weekly|weekly|monthly))?"
    r"|\b(?:periodic|occasional|as-needed)\s+(?:sessions|infusions|treatments|boosters|maintenance)\b[^.;]{0,40}", _I)


def _d_schedule_said(c: _Ctx) -> None:
    for m in RX_SCHEDULE_SAID.finditer(c.t):
        # "Maintenance …" alone is a durability word (set aside when unchecked); here it names the schedule said
        a, b = c.s.start + m.start(), c.s.start + m.end()
        c.claims[:] = [d for d in c.claims if not (d.kind == "durability" and d.value is None and a <= d.start
                                                   and d.end <= b)]
        _add_span(c, m, "dose_route", "schedule-said")


#: session 12 (words12; the class read from the misses of dev … holdout13 on eight sites: palomarkln_ketamine_side_effects
#: and solacebehavioral_ketamine_spravato (holdout13), ketaminescottsdale_ptsd (holdout10), thriveketamine_spravato_
#: hopes_concerns (holdout12), hcplive_esketamine_monotherapy (holdout5), nushamatherapy_faq (holdout4),
#: thedailyaus_ketamine_depression_clinic (holdout13)): the clinic's or the writer's own experience said as a fact, an
#: ``unknown`` claim by the labelling rules (a clinic's own observation). Three shapes:
#: what the writer has seen, "We do see small increases in blood pressure", "I have seen my own patients turn their
#: lives around", "I've seen firsthand the real-world impact" ("we see you", "see our …", "see if …" are not findings)
RX_WE_SEE = re.compile(
    r"\b(?:we|I)(?:['’]ve)?\s+(?:(?:do|often|commonly|typically|usually|frequently|sometimes|also|regularly|routinely|"
    r"have|personally|consistently|repeatedly|already)\s+)*(?:see|seen|observe|observed|witness|witnessed)\s+"
    r"(?!(?:you|us|our|if|how|what|whether|it|this|that|them|each|patients\s+(?:from|in|at|of|for|who))\b)[^.;?!]{5,110}",
    _I)
#: what the clinic's patients report, the share said in words: "The vast majority of our patients tolerate the treatment
#: well", "Many patients suffering from PTSD report a sense of calm", "Most describe the treatment as a floating
#: experience", "with several reporting really good responses"
RX_PATIENTS_REPORT = re.compile(
    r"\b(?:the\s+(?:vast\s+|great\s+|overwhelming\s+)?majority\s+of|most|many|some|several|a\s+lot\s+of)\s+(?:of\s+)?"
    r"(?:(?:our|my|these|the|those)\s+)?(?:patients|clients|people|individuals|users)\s+(?:[\w'’-]+\s+){0,5}?"
    r"(?P<v>report|reported|reporting|describe|described|tolerate|tolerated|notice|noticed)\b[^.;?!]{3,100}"
    r"|\b(?:most|many|several|some)\s+(?:report|reporting|describe|describing|tolerate|notice)\b[^.;?!]{3,100}", _I)
#: how often something happens among the clinic's own patients: "which has been extremely rare at our center", "is
#: uncommon in our practice"; what the clinic commonly uses: "Some effective medications we commonly use include …"
RX_AT_OUR_CENTER = re.compile(
    r"\b(?:has\s+been|have\s+been|is|are|remains?|was|were)\s+(?:\w+\s+)?(?:rare|uncommon|common|unusual|infrequent)\s+"
    r"(?:at|in|among|for)\s+(?:our|my)\s+(?:center|centre|clinic|clinics|practice|office|patients|clients)\b"
    r"|\bwe\s+(?:commonly|typically|usually|often|routinely|frequently)\s+(?:use|prescribe|give|recommend)\b[^.;?!]{0,80}",
    _I)


def _add_free_part(c: _Ctx, m: re.Match, ctype: str, kind: str) -> bool:
    """Add the clause of a match; when a figure already took its subject ("The vast majority of our patients" is a
    share), the part from the end of that figure, provided the figure ends before the match's verb (group ``v``) so
    the part still says what the patients do."""
    a, b = _clause_from(c.t, m.start()), m.end()
    if _add_span(c, _Part(c.t, a, b), ctype, kind) or _add_span(c, m, ctype, kind):
        return True
    verb = m.start("v") if "v" in m.re.groupindex and m.start("v") >= 0 else -1
    ends = [y for x, y in c.taken if x < b and a < y <= verb]
    if not ends:
        return False
    rest = max(ends)
    while rest < b and not c.t[rest].isalnum():
        rest += 1
    return _add_span(c, _Part(c.t, rest, b), ctype, kind)


def _d_clinic_experience(c: _Ctx) -> None:
    if "?" in c.t:
        return      # a question ("Do we see …?") states nothing
    for rx in (RX_WE_SEE, RX_PATIENTS_REPORT, RX_AT_OUR_CENTER):
        for m in rx.finditer(c.t):
            _add_free_part(c, m, "other", "clinic-experience")


#: why each kind is not checkable here, in words an editor reads (:func:`evidence.check.statements.unchecked_reason`)
REASONS = {
    "care-procedure": ("it describes the care around a treatment (what the clinic or the prescriber does, when a "
                       "patient may leave), which is the clinic's own procedure; the evidence base records studies "
                       "and approvals, not how a clinic works"),
    "evidence-state": ("it says how much is known or has been studied; the evidence base records what individual "
                       "studies found, not the state of the research, so check it against a recent review"),
    "evaluative": ("it judges one treatment against others in words, with no figure or named study; the evidence "
                   "base records each study's own results, not this judgement, so check it against the comparison "
                   "it relies on"),
    "history-said": ("it tells the drug's history (its use in war, on battlefields) without a date; the evidence base "
                     "does not record a drug's history, so check it against a history of the drug"),
    "trend": ("it describes a trend in how the treatment is used or sought (interest, clinics, searches), which the "
              "evidence base does not record"),
    "course-said": ("it says in words how the effect builds or lasts over a course of treatment, with no time or named "
                    "study; the evidence base records durations from its studies, not this statement"),
    "form-said": ("it says in what form the drug comes (a nasal spray, a solution for injection); the evidence base "
                  "records routes as its studies gave them, not this statement, so check it against the drug's label "
                  "(Dosage Forms)"),
    "schedule-said": ("it says in words how often the treatment is given (weekly, monthly, periodic sessions), with no "
                      "figure the evidence base can compare; check it against the dosing schedule of the label or the "
                      "study it relies on"),
    "study-sponsor": ("it names who led or paid for a study; the evidence base records studies by their citation, not "
                      "their institutions or funders, so check it against the study's own paper"),
    "study-setting": ("it says where a study was run; the evidence base records a study's design and sample, not its "
                      "sites, so check it against the study's own paper"),
    "street-use": ("it says how the drug is used outside medicine (its street use or names); the evidence base records "
                   "studies and approvals, not recreational use, so check it against a drug-use source (DEA, NIDA)"),
    "condition-common": ("it says how common the condition is in words, with no figure or named study; check it "
                         "against a prevalence source (NIMH, WHO or the study it relies on)"),
    "clinic-experience": ("it is what this clinic or writer has seen in their own patients, which no study in the "
                          "evidence base records; check it against a published study of such patients"),
    "condition-fact": ("it states a fact about the condition (its causes, course or symptoms) with no figure or named "
                       "study; the evidence base records treatment studies, not descriptions of a condition, so check "
                       "it against a clinical reference"),
}


def topic_reason(d) -> str:
    """The reason for a kind detected here, or '' for other kinds."""
    return REASONS.get(d.kind, "")


#: (detector, cheap pre-check), run with the word statements
WORD_TOPICS = (
    (_d_care, re.compile(r"ready\s+to|before\s+(?:being\s+)?(?:discharg|releas|clear)|released|\bwe\b|\bour\s|"
                         r"provider|doctor|clinician|team", _I)),
    (_d_evidence_state, re.compile(r"data|evidence|research|information|studies|long[- ]term|mechanism|lack|absence|"
                                   r"shortage", _I)),
    (_d_evaluative, re.compile(r"\bmore\b|\bless\b|compared|same|\bso\b|\bas\b", _I)),
    (_d_condition, re.compile(r"cause|develop|symptoms|common|prevalent|widespread|impact|affect|impair|disrupt|"
                              r"interfere|toll|condition|disorder|illness|disease", _I)),
    (_d_study_setting, re.compile(r"conducted|carried|run\b|performed|undertaken|single|multi", _I)),
    (_d_street_use, re.compile(r"party|club|street|rave|recreational", _I)),
    (_d_war_history, re.compile(r"Vietnam|battlefield|combat\s+medic|soldiers", _I)),
    (_d_trend_course, re.compile(r"interest|springing|traction|steadily|rapidly|stoke|build|accumulat|persistent|"
                                 r"sustained|short-lived", _I)),
    (_d_form, re.compile(r"spray|solution|tablet|lozenge", _I)),
    (_d_schedule_said, re.compile(r"weekly|monthly|periodic|occasional|as-needed", _I)),
    (_d_clinic_experience, re.compile(r"\b(?:we|I)(?:['’]ve)?\s|report|describ|tolerat|notic|\bour\s", _I)),
    (_d_sponsor, re.compile(r"\b(?:led|funded|sponsored|undertaken|financed|paid)\s+(?:for\s+)?by\b", _I)),
)
