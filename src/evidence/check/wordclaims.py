"""Word detectors: claims without a figure (routes, onset and durability phrasings, comparisons, regulatory
status, design words, citations, journals and organisations, populations, efficacy, safety, mechanism)."""
from __future__ import annotations

import re

from evidence.check.lexicon import (_SAFETY_WORDS, RX_ABSOLUTE, RX_AMBIGUOUS_JOURNAL, RX_CITES_AFTER, RX_CITES_BEFORE, RX_ANESTHETIC, RX_APPROVAL, RX_ATTRIB, RX_COMPARE, RX_DECADE,
    RX_DESIGN, RX_DIAGNOSIS, RX_DURABILITY, RX_DURATION_NUM, RX_EFFICACY, RX_JOURNAL, RX_MECHANISM,
    RX_MOST_COMMON, RX_ONSET_WORDS, RX_TRAILING_FUNCTION_WORDS, RX_ORG, RX_PAREN_CITE, RX_ROUTE, RX_STOP, RX_STUDY_YEAR, RX_SUBSIDE,
    RX_TIME_RANGE, RX_WITHIN, VAGUE_SPAN, VAGUE_TIME, _NUM_WORD, _SAFETY, _STUDY_CUES, parse_number, qualifier_of,
    raw_digits)
from evidence.check.lexicon import MONTH, RX_AGE_AFTER, RX_DEPARTMENT, RX_GENERIC_JOURNAL, RX_PUBLICATION_AFTER, RX_PUBLICATION_BEFORE, time_not_of_effect
from evidence.check.spans import (_Ctx)


# --------------------------------------------------------------- word detectors

def _d_route(c: _Ctx) -> None:
    t = c.t
    seen = set()
    for m in RX_ROUTE.finditer(t):
        code = ("IV" if m.group("iv") else "SC" if m.group("sc") else "IM" if (m.group("im") or m.group("im2"))
                else "intranasal" if m.group("nasal") else "oral")
        if code in seen:
            continue
        if code == "oral" and not re.search(r"\bketamine|\bdose|\bform|\btaken|\bmedication|\bdrug|\btablet|\blozenge",
                                            t, re.I):
            continue
        if code == "IM" and not re.search(r"\bketamine|\binject|\bdose", t, re.I):
            continue
        seen.add(code)
        a, b = m.start(), m.end()
        # quote the phrase "intravenous racemic ketamine" / "IV ketamine"
        ext = re.compile(r"(?:\s+(?:racemic|infusions?\s+of|injections?\s+of|administration\s+of|form\s+of))?\s+"
                         r"(?:ketamine|esketamine|infusions?|injections?|administration|dosing|route)\b", re.I).match(t, b)
        if ext:
            b = ext.end()
        c.add("dose_route", a, b, qualifier="categorical", text=code, kind="route")


def _time_unit(u: str) -> str:
    u = u.lower().rstrip("s")
    return {"min": "minutes", "minute": "minutes", "hr": "hours", "hour": "hours", "day": "days", "week": "weeks",
            "month": "months", "year": "years", "second": "seconds"}.get(u, u + "s")


def _d_timing(c: _Ctx) -> None:
    """Onset, durability and session-length phrasings, each kind by its own pattern."""
    _timing_within(c, c.t)
    _timing_ranges(c, c.t)
    _timing_words(c, c.t)
    _timing_durations(c, c.t)
    _timing_durability(c, c.t)


def _timing_within(c: _Ctx, t: str) -> None:
    safety_ctx = _SAFETY.search(t)
    for m in RX_WITHIN.finditer(t):
        prep = m.group("prep").lower()
        if prep.endswith("to") and not prep.startswith("up"):
            continue
        a, b = m.start(), m.end()
        q = (m.group("q") or "").strip().lower()
        unit = _time_unit(m.group("u"))
        kw: dict = {"unit": unit, "kind": "within"}
        q = re.sub(r"^the\s+first\s+(?=\S)", "", q) if re.match(r"the\s+first\s+\S", q) else q
        num = re.match(rf"(?P<lo>\d+(?:\.\d+)?|{_NUM_WORD})(?:\s*(?:-|–|to|or)\s*(?P<hi>\d+|{_NUM_WORD}))?$", q, re.I)
        if num and num.group("hi"):
            kw.update(low=parse_number(num.group("lo")), high=parse_number(num.group("hi")), qualifier="range")
        elif num and parse_number(num.group("lo")) is not None:
            kw.update(value=parse_number(num.group("lo")), raw={"claimed_value": raw_digits(num.group("lo"))},
                      qualifier="up_to" if prep.startswith(("within", "in", "up")) else qualifier_of(m.group("h")))
        elif q in ("a", "an", "one", "the first"):
            kw.update(value=1.0, qualifier="up_to")
        elif (q, unit) in VAGUE_TIME and prep.startswith(("within", "in")):
            lo, hi, u = VAGUE_TIME[(q, unit)]
            kw.update(low=lo, high=hi, unit=u, qualifier="range", text=f"{prep} {q} {unit}".replace("  ", " ").strip())
        else:
            kw.update(qualifier="categorical", text=f"{prep} {q} {unit}".replace("  ", " ").strip())
        left = t[max(0, a - 70):a]
        right = t[b:b + 50]
        if RX_SUBSIDE.search(left) and not re.search(r"benefit|relief|improve|effect of (?:the )?treatment", left, re.I):
            ctype = "safety"
        elif RX_STOP.search(left[-45:]) or re.match(r"\s+(?:of|after)\s+(?:stopping|discontinu\w*|the\s+last|the\s+final|"
                                                     r"ending|finishing|treatment\s+(?:end|cessation))", right, re.I) \
                or (prep.startswith("up") and re.search(r"\blast\w*", left[-30:], re.I)):
            ctype = "durability"
        elif prep.startswith("up") and not re.search(r"\blast|\bsession|\bremission|\bbenefit", left[-40:], re.I):
            continue
        elif re.search(r"\bsession|\btreatment\s+takes|\bappointment|\binfusion\s+(?:takes|lasts)", left[-50:], re.I):
            ctype = "dose_route"
        else:
            ctype = "onset"
        if ctype == "onset" and safety_ctx and re.search(r"side|adverse|nausea|dizz|dissoc", left, re.I):
            ctype = "safety"
        if m.group("u2"):
            u2 = _time_unit(m.group("u2"))
            kw.pop("value", None)
            kw.pop("raw", None)
            kw.update(text=f"{q} {unit} to {u2}".strip(), qualifier="categorical", low=None, high=None)
            if not q and (unit, u2) in VAGUE_SPAN:
                lo, hi, u = VAGUE_SPAN[(unit, u2)]
                kw.update(low=lo, high=hi, unit=u, qualifier="range")
        if not c.has(ctype, a, b) and c.free(a, b):
            c.add(ctype, a, b, **kw)


def _timing_ranges(c: _Ctx, t: str) -> None:
    for m in RX_TIME_RANGE.finditer(t):
        a, b = m.start(), m.end()
        if any(c0.start - c.s.start <= a and b <= c0.end - c.s.start for c0 in c.claims):
            continue
        left = t[max(0, a - 40):a]
        comp = re.search(r"\b(?:take|takes|taking|required?|need|compared|contrast|unlike|traditional|SSRIs?|"
                         r"antidepressants?|conventional|medications?)\b", left + t[b:b + 40], re.I)
        ctype = "comparison" if comp else "onset"
        if not c.has(ctype, a, b):
            span = VAGUE_SPAN.get((m.group("u").lower(), m.group("u2").lower())) if ctype == "onset" else None
            if span:
                c.add(ctype, a, b, qualifier="range", low=span[0], high=span[1], unit=span[2],
                      text=m.group(0).lower(), kind="time-range")
            else:
                c.add(ctype, a, b, qualifier="categorical", text=m.group(0).lower(), kind="time-range")


def _timing_words(c: _Ctx, t: str) -> None:
    for m in RX_ONSET_WORDS.finditer(t):
        a, b = m.start(), m.end()
        if c.has("onset", a - 40, b + 40):
            continue
        if re.match(r"\s*(?:to\s+|and\s+)?(?:changing|growing|evolving|paced|expanding|spreading)", t[b:b + 14], re.I):
            continue
        ext = re.compile(r"(?:\s+(?:and\s+)?[\w'’-]+){0,3}?\s+(?:relief|onset|action|effects?|results|acting|"
                         r"improvement|response|reduc\w*|allevia\w*|reliev\w*)\b", re.I).match(t, b, min(len(t), b + 50))
        if ext:
            b = ext.end()
        word = m.group(0).lower()
        if re.match(r"(?:rapid|quick|fast|swift|speedy)", word) and not re.search(r"onset|time\s+to", word):
            c.add("onset", a, b, qualifier="range", low=0.0, high=24.0, unit="hours", text=word, kind="onset-word")
        else:
            c.add("onset", a, b, qualifier="categorical", text=word, kind="onset-word")


#: a course of treatment just before "over …": "six infusions over two weeks", "a series of treatments over"
RX_COURSE_BEFORE = re.compile(r"\b(?:infusions|sessions|treatments|doses|injections|series)\s+(?:given\s+)?$", re.I)


#: "ago" right after a span of time: the span dates an event
RX_AGO_AFTER = re.compile(r"\s+ago\b", re.I)


def _department_not_journal(c: _Ctx, m: re.Match, j: str) -> bool:
    """A name built like a journal's that is a department or a firm: "Adult Psychiatry" as a heading, "welcome to …
    Clinic Psychiatry", "Grand View Research" in a sentence, with no publication cited (review11)."""
    t = c.t
    if not RX_GENERIC_JOURNAL.fullmatch(j) or RX_PUBLICATION_BEFORE.search(t[max(0, m.start() - 60):m.start()]) \
            or RX_PUBLICATION_AFTER.match(t, m.end()):
        return False
    return not c.s.whole_line or RX_DEPARTMENT.match(j) is not None


#: a statement of a risk: the people an age names are the people at risk
_RX_RISK = re.compile(r"\brisks?\b|\bwarn\w*|\bsuicid\w*|\badverse\b|\bside[- ]effects?\b|\bcontraindicat\w*|"
                      r"\bboxed\b", re.I)


def _timing_durations(c: _Ctx, t: str) -> None:
    for m in RX_DURATION_NUM.finditer(t):
        a, b = m.start(), m.end()
        if not c.free(a, b) or c.has("durability", a, b):
            continue
        if re.search(r"\bsession|\binfusion\s+(?:takes|lasts)|\bover\s*$", t[max(0, a - 30):a], re.I):
            continue
        if (m.group("h") or "").lower() == "over" and RX_COURSE_BEFORE.search(t[max(0, a - 40):a]):
            continue      # "six infusions over two to three weeks": the course's length (a schedule), not a durability
        unit = _time_unit(m.group("u"))
        v = parse_number(m.group("v"))
        if v is None:
            continue
        kw = dict(value=v, qualifier=qualifier_of(m.group("h")), raw={"claimed_value": raw_digits(m.group("v"))})
        if m.group("lo"):
            lo = parse_number(m.group("lo"))
            kw = dict(low=lo, high=v, qualifier="range",
                      raw={"claimed_low": raw_digits(m.group("lo")), "claimed_high": raw_digits(m.group("v"))})
        # "developed more than 50 years ago": when something happened (a date in a history), not how long an effect
        # lasts (review9, editor run: it was typed "how long it lasts")
        ago = RX_AGO_AFTER.match(t, b) is not None
        # an age ("aged 18 to 65 years") says who was studied and a study's length ("the trial lasted 12 weeks") how
        # it was designed: neither is how long an effect lasts (review11: both were typed "how long it lasts")
        other = time_not_of_effect(t, m.start("v") if not m.group("lo") else m.start("lo"), b)
        ctype, kind = (("other", "years-ago") if ago else ("population", "age") if other == "age" else
                       ("design", "study-length") if other == "study-length" else ("durability", "duration-num"))
        if kind == "age":
            # an age in a statement of a risk ("increased the risk of suicidal thoughts in patients up to 24 years of
            # age") says who is at risk, not who was studied; the quote keeps "of age" (settle12)
            tail = RX_AGE_AFTER.match(t, b)
            b = tail.end() if tail and c.free(b, tail.end()) else b
            ctype = "safety" if _RX_RISK.search(t) else ctype
        c.add(ctype, a, b, unit=unit, kind=kind, text=t[a:b].lower(), **kw)


def _timing_durability(c: _Ctx, t: str) -> None:
    for m in RX_DURABILITY.finditer(t):
        a, b = m.start(), m.end()
        if c.has("durability", a - 20, b + 20):
            continue
        w = m.group(0).lower()
        if w in ("lasting",) and re.search(r"\bsession", t[max(0, a - 30):a], re.I):
            continue
        if re.match(r"long[- ]term", w) and re.match(r"\s+(?:effects?|impact|risks?|safety|side)", t[b:b + 12], re.I) \
                and not re.search(r"benefit|relief|improve", t[b:b + 30], re.I):
            if _SAFETY.search(t[b:b + 40]) or re.match(r"\s+risks?", t[b:b + 8], re.I):
                continue
        if re.match(r"(?:fade|fades|faded|wear|wears|wore)", w) and _SAFETY.search(t[max(0, a - 60):a]) \
                and not re.search(r"benefit|relief|improve|effect of (?:the )?treatment", t[max(0, a - 60):a], re.I):
            continue      # "side effects … usually fade": the side effects' course (a safety claim), not durability
        if re.match(r"(?:wane|wanes|waned|fade|fades|faded|wear|wears|wore)", w):
            ext = re.compile(r"\s+(?:\w+\s+){0,4}?(?:stopping|time|treatment)\b", re.I).match(t, b, min(len(t), b + 40))
            if ext:
                b = ext.end()
        # "over the last few years", "a last resort": "last" that is no span of an effect (review11) is listed as a
        # statement of its own kind, never "how long it lasts"
        ctype = "other" if time_not_of_effect(t, a, b) else "durability"
        c.add(ctype, a, b, qualifier="categorical", text=w, kind="durability")

#: what a treatment is combined with: "combined with psychotherapy", "in combination with an oral antidepressant"
RX_TREATMENT_AFTER = re.compile(r"\s+(?:[\w'’-]+\s+){0,2}?(?:therapy|psychotherapy|treatments?|antidepressants?|"
                                r"medications?|counsel\w*|CBT|infusions?|ketamine|esketamine|SSRIs?|drugs?)\b", re.I)


def _d_compare(c: _Ctx) -> None:
    t = c.t
    for m in RX_COMPARE.finditer(t):
        a, b = m.start(), m.end()
        if c.has("comparison", a, b):
            continue
        w = m.group(0)
        if re.match(r"(?:when\s+)?(?:combined|in\s+combination)\s+with", w, re.I) and not RX_TREATMENT_AFTER.match(t, b):
            continue      # "a ketone combined with an amine": chemistry, not a treatment given with another
        if re.match(r"(?:more|less|better|greater|higher|lower)\s", w, re.I) and re.search(r"\b(?:rather|other)\s+than$",
                                                                                           w, re.I):
            continue
        if re.match(r"(?:unlike|whereas|compared|in\s+comparison|versus|vs)", w, re.I):
            ext = re.compile(r"\s*(?:[\w'’()-]+[\s,]+){0,6}?(?:weeks|months|years|days|hours|effective|efficacy|"
                             r"side\s+effects|relief|results|treatments?|medications?|SSRIs?|therapy|placebo)\b",
                             re.I).match(t, b, min(len(t), b + 80))
            if ext:
                b = ext.end()
        if re.match(r"(?:take|takes|taking|took|require|requires|required|requiring|need)\b", w, re.I):
            ext = re.compile(r"\s+(?:or\s+(?:even\s+)?(?:weeks|months|years)\s*)?(?:to|before|until)\s+(?:[\w'’-]+\s+){0,4}?"
                             r"(?:effective|work\w*|efficacy|results|effect|relief|kick\s+in)\b", re.I).match(t, b,
                                                                                                     min(len(t), b + 60))
            if ext:
                b = ext.end()
        c.add("comparison", a, b, qualifier="categorical", text=re.sub(r"\s+", " ", w.lower()), kind="compare")
    for m in RX_ABSOLUTE.finditer(t):
        if c.has("other", m.start(), m.end()):
            continue
        c.add("other", m.start(), m.end(), qualifier="categorical", text=m.group(0).lower(), kind="absolute")


def _d_regulatory(c: _Ctx) -> None:
    t = c.t
    for m in RX_APPROVAL.finditer(t):
        verb = m.group("verb").lower()
        rest = m.group("rest") or ""
        a, b = m.start(), m.end("verb")
        if verb in ("indicated",) and not re.match(r"\s+for\b", rest):
            continue
        if verb.startswith("clear") and not (m.group("fda") or re.search(r"\bFDA\b", t, re.I)):
            continue
        if verb.startswith(("approv", "licens", "authori", "sanction", "endors")) and not (
                m.group("fda") or re.search(r"\b(?:FDA|Food\s+and\s+Drug|EMA|Health\s+Canada|regulator\w*|"
                                            r"approved\s+(?:for|as|to|in|by))", t[max(0, a - 80):b + 40], re.I)):
            continue
        neg = bool(m.group("neg")) or bool(re.search(r"\b(?:not|n['’]t|never|no)\s+(?:\w+\s+){0,3}$", t[max(0, a - 30):a], re.I))
        if verb.startswith("off"):
            neg = True
        ind = re.match(r"\s*(?:(?:by|from)\s+(?:the\s+)?(?:U\.?S\.?\s+)?(?:FDA|Food\s+and\s+Drug\s+Administration|\w+)\s*)?"
                       r"(?:(?:in|since)\s+(?:19|20)\d{2}\s*)?,?\s*(?:(?:ketamine|esketamine|spravato|it)\s+)?"
                       r"(?:for|to\s+treat|as)\s+"
                       r"(?:the\s+treatment\s+of\s+|treating\s+|use\s+in\s+|use\s+as\s+)?(?:(?:an?|the|any)\s+)?"
                       r"(?P<ind>[\w'’-]+(?:\s+(?!(?:though|but|and|which|however|in|as|by|since|while|when|it|yet|"
                       r"or|with|so|because|after|during|until)\b)[\w'’-]+){0,3})", rest, re.I)
        indication = ""
        if ind:
            indication = ind.group("ind").strip().lower()
            b = m.end("verb") + ind.end("ind")
        if re.search(r"\bdepress", indication):   # "adults whose depression hasn't responded …": TRD
            indication = "treatment-resistant depression" if re.search(
                r"resist|refractory|n['’]t\s+(?:responded|budged|improved)|not\s+responded", t, re.I) else "depression"
        if not indication and not neg and re.search(r"\ban(?:a)?esthetic", t, re.I):
            indication = "anesthetic"   # "a SAFE FDA-approved powerful anesthetic"
        drug = "esketamine" if re.search(r"esketamine|spravato", t, re.I) else "ketamine"
        # claimed_text in the words a label or notice uses ("not FDA approved", "approved for depression")
        agency = "FDA " if (m.group("fda") or re.search(r"\bFDA\b|Food\s+and\s+Drug", t)) else ""
        if re.search(r"an(?:a)?esthe|painkiller|analges|sedat", indication):
            indication = "anesthetic"
        if verb.startswith("off"):
            text = "off-label" + (f" for {indication}" if indication else "")
        elif indication == "anesthetic" and not neg:
            text = "anesthetic"
        elif neg:
            text = f"not {agency}approved"
        else:
            text = f"{agency}approved" + (f" for {indication}" if indication else "")
        a2 = a
        pre = re.search(r"(?:(?:is|was|are|has\s+been|have\s+been|been|it['’]s|it\s+is|currently|yet|now|only|also|"
                        r"though|although|but)\s+)+$", t[max(0, a - 40):a], re.I)
        if pre and not m.group("neg"):
            a2 = a - len(pre.group(0))
        c.add("regulatory_status", a2, b, qualifier="categorical", text=text, named_source=None, kind="approval",
              raw={"drug": drug, "indication": indication})
    for m in RX_ANESTHETIC.finditer(t):
        if c.has("regulatory_status", m.start(), m.end()):
            continue
        c.add("regulatory_status", m.start(), m.end(), qualifier="categorical",
              text=re.sub(r"\s+", " ", m.group("what").lower()).replace("anaesthetic", "anesthetic"),
              kind="anesthetic", raw={"drug": "ketamine"})
    for m in re.finditer(r"\b(?:Spravato|esketamine)\b", t, re.I):
        if c.has_type("regulatory_status"):
            break
        if re.search(r"\bFDA|approv|clear", t, re.I):
            c.add("regulatory_status", m.start(), m.end(), qualifier="categorical", text="esketamine", kind="spravato",
                  raw={"drug": "esketamine"})
            break


_DESIGN_CODE_ORDER = ("crossover", "meta_analysis", "systematic_review", "open_label", "retrospective",
                      "prospective_cohort", "observational", "case_series", "pilot", "randomized", "controlled", "review",
                      "large_scale")


#: (design words found, code) in priority order: the first rule whose words are all found gives the code
_DESIGN_RULES: tuple[tuple[frozenset[str], str], ...] = tuple((frozenset(k.split("+")), v) for k, v in (
    ("meta_analysis", "meta_analysis"), ("systematic_review", "systematic_review"),
    # "open-label real-world data": the study is observational, the treatment open
    ("retrospective", "retrospective"), ("prospective_cohort", "prospective_cohort"),
    ("observational", "observational"), ("open_label", "open_label"), ("case_series", "case_series"),
    # "a randomized trial" does not say parallel or crossover: "rct" matches either design
    ("randomized", "rct"), ("controlled+placebo", "rct"), ("pilot", "pilot"), ("controlled", "controlled_trial"),
    ("large_scale", "controlled_trial"), ("review", "narrative_review")))


def _design_code(found: set[str]) -> str:
    if "crossover" in found:
        return "crossover_rct" if found & {"randomized", "controlled", "placebo"} else "crossover"
    return next((code for words, code in _DESIGN_RULES if words <= found), "")


#: the verb between a sentence's subject and what it asserts of it ("… chart review was a randomized trial")
RX_COPULA = re.compile(r"\b(?:was|were|is|are)\s+(?:not\s+)?(?:an?\s+|the\s+)?", re.I)


#: a control group said as a group (editor s3 #9, #43), asserted ("had a placebo group", "compared with a control
#: group") or denied ("had no control group", "without a comparison group", "did not include a placebo group")
RX_CONTROL_GROUP = re.compile(
    r"\b(?:(?P<neg>no|without(?:\s+an?)?|(?:not|n['’]t)\s+(?:include|have|use|involve|enrol+)\s+an?|lacked\s+an?|never\s+"
    r"had\s+an?)|(?:had|has|have|included|includes|used|uses|with|against|versus|vs\.?|compared\s+(?:with|to))\s+"
    r"(?:an?|the|its)?)\s*(?:(?!no\b|not\b)[\w-]+\s+)?(?P<kind>placebo|sham|control|comparison|comparator)\s+(?:group|arm|condition)s?\b",
    re.I)


def _d_control_group(c: _Ctx) -> None:
    """A control group said as a group. The claim is about the study's control: ``none`` when denied (so "had no
    control group" holds for an uncontrolled study and fails for one with an active or placebo control), else
    ``placebo`` for a placebo (sham) group; an asserted control group of unnamed kind says too little to check."""
    for m in RX_CONTROL_GROUP.finditer(c.t):
        kind = m.group("kind").lower()
        a = m.start() if m.group("neg") else m.start("kind")
        if c.has("design", a, m.end()):
            continue
        if m.group("neg"):
            c.add("design", a, m.end(), qualifier="categorical", text="none", kind="control",
                  raw={"field": "control"})
        elif kind in ("placebo", "sham"):
            c.add("design", a, m.end(), qualifier="categorical", text="placebo", kind="control",
                  raw={"field": "control"})


def _d_design(c: _Ctx) -> None:
    t = c.t
    hits = [(m.lastgroup, m.start(), m.end()) for m in RX_DESIGN.finditer(t)]
    if RX_CONTROL_GROUP.search(t):
        _d_control_group(c)
    if not hits:
        return
    # "The Oliver 2022 chart review was a randomized controlled trial": a design word before the verb names the
    # subject; the design the sentence asserts is the one after it
    for i in range(len(hits) - 1, 0, -1):
        if RX_COPULA.search(t, hits[i - 1][2], hits[i][1]):
            hits = hits[i:]
            break
    # group hits that sit close together ("double-blind, randomized, placebo-controlled crossover trial")
    groups: list[list[tuple[str, int, int]]] = []
    for h in hits:
        if groups and h[1] - groups[-1][-1][2] <= 30:
            groups[-1].append(h)
        else:
            groups.append([h])
    all_found = {k for k, _, _ in hits}
    specific = ("crossover", "meta_analysis", "systematic_review", "open_label", "retrospective", "prospective_cohort",
                "observational", "case_series")
    code_done = False
    for g in groups:
        found = {k for k, _, _ in g}
        if not code_done and not (found & set(specific)) and (all_found & set(specific)):
            found_for_code = set()  # this group only says "randomized"; the sentence's main design is elsewhere
        else:
            found_for_code = all_found if not code_done else (found if found & set(specific) else set())
        a, b = g[0][1], g[-1][2]
        ext = re.compile(r"(?:\s+[\w'’-]+){0,2}?\s+(?:trials?|stud(?:y|ies)|experiments?|reviews?|analys[ie]s|design|"
                         r"RCTs?)\b", re.I).match(t, b, min(len(t), b + 40))
        if ext:
            b = ext.end()
        pre = re.search(r"(?:\b(?:a|an|the|this|one|another)\s+(?:[\w'’-]+\s+){0,2}?)$", t[max(0, a - 30):a], re.I)
        if pre and not re.search(r"\d", pre.group(0)):
            a -= len(pre.group(0))
        blind = [k for k in ("double_blind", "single_blind") if k in found]
        code = _design_code(found_for_code) if found_for_code else ""
        if code:
            code_done = True
        if blind:
            bs = min(s for k, s, e in g if k in blind)
            be = max(e for k, s, e in g if k in blind)
            c.add("design", bs, be, qualifier="categorical", text=blind[0], kind="blinding", raw={"field": "blinding"})
        if "placebo" in found:
            ps = min(s for k, s, e in g if k == "placebo")
            pe = max(e for k, s, e in g if k == "placebo")
            c.add("design", ps, pe, qualifier="categorical", text="placebo", kind="control", raw={"field": "control"})
        if code:
            c.add("design", a, b, qualifier="categorical", text=code, kind="design", raw={"field": "design"})
        elif "open_label" in found and not blind:
            c.add("design", a, b, qualifier="categorical", text="open", kind="blinding", raw={"field": "blinding"})


def _clean_source(name: str) -> str:
    return re.sub(r"\s+", " ", name.strip(" ,.;:’'\""))


#: an author-year citation's names: "Feder et al.", "Glue and colleagues", "Taylor & Bloch", "Berman"
_AUTHOR_CITE = re.compile(r"[A-Z][\w'’-]+(?:\s+(?:et\s+al\.?|and\s+colleagues|(?:and|&)\s+[A-Z][\w'’-]+))?")


#: the finding a research verb reports: "(that) more than one in five people achieved remission" up to the clause's end
_REPORTED_CLAUSE = re.compile(r"(?:\s+that)?\s+(?=[\w\"“])(?:[^.;:!?—]|\.(?=\d)){3,240}?(?=\s*(?:[.;:!?—](?!\d)|,\s+(?:but|"
                              r"while|whereas|although|though)\b|$))")


def _d_attribution(c: _Ctx) -> None:
    t = c.t
    named: list[tuple[int, int, str]] = []
    for m in RX_PAREN_CITE.finditer(t):
        src = _clean_source(m.group("src"))
        if re.fullmatch(r"(?:e\.g\.|see|n\s*=|p\s*[<=]).*", src, re.I) or re.search(r"\d\s*%", src):
            continue
        if not _AUTHOR_CITE.fullmatch(src):   # "(Feder et al., 2021)" names authors, not a journal: its year is checked
            c.add("attribution", m.start(), m.end(), qualifier="categorical", text=src, named_source=src,
                  kind="cite-source", raw={"field": "journal", "year": m.group("year")})
        c.add("attribution", m.start(), m.end(), qualifier="categorical", text=m.group("year"), named_source=src,
              kind="cite-year", raw={"field": "year"})
        named.append((m.start(), m.end(), src))
    for m in RX_JOURNAL.finditer(t):
        j = _clean_source(m.group("j"))
        if any(a <= m.start() < b for a, b, _ in named):
            continue
        if RX_AMBIGUOUS_JOURNAL.match(j) and not (RX_CITES_BEFORE.search(t[max(0, m.start() - 40):m.start()])
                                                  or RX_CITES_AFTER.match(t, m.end())):
            continue
        if _department_not_journal(c, m, j):
            continue
        if re.fullmatch(r"[A-Z][a-z]+\s+(?:Medicine|Research|Reports|Reviews)", j) and not re.search(
                r"\b(?:published|journal|in\s+the)\b", t[max(0, m.start() - 40):m.start()], re.I):
            # "Yale Medicine" is handled as an organisation; "Clinical Research" is not a journal
            if not RX_ORG.match(t, m.start()):
                continue
            continue
        a = m.start()
        pre = re.search(r"(?:published\s+(?:online\s+)?in\s+(?:the\s+)?(?:(?:\w+\s+){0,3}?journal,?\s+)?|(?:appeared\s+)?in\s+"
                        r"(?:the\s+)?(?:journal\s+)?)$", t[max(0, a - 60):a], re.I)
        if pre:
            a -= len(pre.group(0))
        c.add("attribution", a, m.end(), qualifier="categorical", text=j, named_source=j, kind="journal",
              raw={"field": "journal"})
        named.append((m.start(), m.end(), j))
        _publication_year(c, t, a, m.end(), j)
    for m in RX_ORG.finditer(t):
        o = _clean_source(m.group("o"))
        if any(a <= m.start() < b for a, b, _ in named):
            continue
        if o in ("FDA", "Food and Drug Administration") or o.startswith("U.S. Food"):
            continue  # regulatory, handled there
        if o == "WHO" and not re.search(r"\bWHO\b", t):
            continue
        b = m.end()
        ext = re.compile(r"\s+(?:\w+\s+){0,3}?(?:research|stud(?:y|ies)|data|statistics|survey|report|guidelines?|"
                         r"figures|estimates)\b(?:\s+on\s+\w+)?", re.I).match(t, b, min(len(t), b + 60))
        if ext:
            b = ext.end()
        c.add("attribution", m.start(), b, qualifier="categorical", text=o, named_source=o, kind="org",
              raw={"field": "journal"})
        named.append((m.start(), m.end(), o))
    for m in RX_STUDY_YEAR.finditer(t):
        year = m.group("year") or m.group("year2") or m.group("year3")
        a, b = m.start(), m.end()
        if c.has("attribution", a, b) and any(d.text == year for d in c.claims if d.claim_type == "attribution"):
            continue
        pre = re.search(r"(?:\b(?:a|an|the|this|one|another|that)\s+(?:[\w'’-]+\s+){0,2}?)$", t[max(0, a - 30):a], re.I)
        if pre and m.group("year"):
            a -= len(pre.group(0))
        author = None
        if m.group("year3"):
            pa = re.search(r"\b([A-Z][\w'’-]+)\s+$", t[max(0, a - 40):a])
            if pa:
                a -= len(pa.group(0))
                author = pa.group(1)
        src = named[0][2] if named else author
        c.add("attribution", a, b, qualifier="categorical", text=year, named_source=src, kind="study-year",
              raw={"field": "year"})
    for m in RX_DECADE.finditer(t):
        dec = re.search(r"(?P<part>early|mid|late)?[- ]?(?P<y>(?:19|20)\d0)s", m.group(0), re.I)
        y0 = int(dec.group("y"))
        part = (dec.group("part") or "").lower()
        lo, hi = {"early": (y0, y0 + 3), "mid": (y0 + 4, y0 + 6), "late": (y0 + 7, y0 + 9)}.get(part, (y0, y0 + 9))
        c.add("other", m.start(), m.end(), qualifier="range", low=float(lo), high=float(hi), unit="year",
              text=m.group(0).lower(), kind="decade")
    if not c.has_type("attribution"):
        _generic_attribution(c, t)


#: the year a journal published a paper, said beside the journal: "published in the Journal of X in 2021", "…
#: in JAMA Psychiatry (2018)", "in JAMA Psychiatry, March 2018"; or before it: "published in 2021 in the Journal of X"
_PUB_MONTH = MONTH
_PUB_YEAR_AFTER = re.compile(rf"(?:\s+(?:in|on)\s+|\s*,\s*|\s*\(\s*)(?:{_PUB_MONTH}\s+(?:\d{{1,2}},?\s+)?)?"
                             r"(?P<y>(?:19|20)\d{2})\b\)?")
_PUB_YEAR_BEFORE = re.compile(r"\b(?:published|appeared|printed)\s+(?:online\s+)?in\s+(?P<y>(?:19|20)\d{2})\s+"
                              r"(?:in\s+)?(?:the\s+)?(?:journal\s+)?$", re.I)


def _publication_year(c: _Ctx, t: str, a: int, b: int, journal: str) -> None:
    """A publication year said beside a journal is a citation claim of its own (editor s3 #3/#30): the linker
    checks it against the study's year as it checks "(Journal, 2021)"."""
    m = _PUB_YEAR_AFTER.match(t, b) or _PUB_YEAR_BEFORE.search(t, max(0, a - 40), a)
    if m is None:
        return
    ya, yb, year = m.start("y"), m.end("y"), m.group("y")
    if any(d.claim_type == "attribution" and d.text == year for d in c.claims) or re.search(rf"\b{year}\b", t[:a]):
        return      # the citation names this year already ("Oliver et al. (2022) … in 2022"); another is a claim
    c.add("attribution", ya, yb, qualifier="categorical", text=year, named_source=journal, kind="cite-year",
          raw={"field": "year"})


#: "according to the clinician's judgment", "according to your doctor": a person's judgment, not a source
RX_NOT_A_SOURCE = re.compile(r"\s+(?:the|your|their|his|her)\s+(?:treating\s+)?(?:clinician|doctor|provider|physician|"
                             r"prescriber|patient|nurse)['’]?s?\b", re.I)


def _generic_attribution(c: _Ctx, t: str) -> None:
    """"Research shows", "researchers found that …": the claim is what they found, to the end of its clause."""
    for m in RX_ATTRIB.finditer(t):
        if RX_NOT_A_SOURCE.match(t, m.end()):
            continue      # "according to the clinician's judgment" names no source
        ext = _REPORTED_CLAUSE.match(t, m.end())
        b = ext.end() if ext and m.group(0).lower() not in ("according to",) else m.end()
        c.add("attribution", m.start(), b, qualifier="categorical", text="unnamed source", kind="generic-attrib")
        break    # one unnamed source per sentence


def _d_population(c: _Ctx) -> None:
    t = c.t
    if not _STUDY_CUES.search(t):
        return
    if not re.search(r"\b(?:study|studies|trials?|RCTs?|meta-analys|experiment|research|review|participants|"
                     r"patients|subjects|investigat|explored|enrolled|focused|focusing)", t, re.I):
        return
    # "a rapid improvement in PTSD symptoms": an outcome, not who was studied
    hits = [h for h in RX_DIAGNOSIS.finditer(t) if not re.match(r"\s+(?:symptoms?|severity|scores?)\b", t[h.end():])]
    if not hits:
        return
    cluster = [hits[0]]
    for h in hits[1:]:  # diagnoses named together ("GAD and SAD", "TRD and suicidal ideation")
        if h.start() - cluster[-1].end() <= 12:
            cluster.append(h)
        else:
            break
    hits = cluster
    a, b = hits[0].start(), hits[-1].end()
    pre = re.search(r"(?:(?:patients|people|adults|participants|individuals|those|subjects)\s+(?:with|dealing\s+with|"
                    r"suffering\s+from|living\s+with|who\s+had|diagnosed\s+with)\s+|in\s+treating\s+|(?:including|"
                    r"focused\s+on|focusing\s+on)\s+(?:those\s+)?(?:\w+\s+){0,2}?)$", t[max(0, a - 60):a], re.I)
    if pre:
        a -= len(pre.group(0))
    codes = []
    for h in hits:
        codes.append(_dx_code(h.group(0)))
    codes = list(dict.fromkeys(x for x in codes if x in ("SAD", "GAD", "PTSD", "OCD", "TRD", "MDD", "panic")))
    if not codes:
        return
    c.add("population", a, b, qualifier="categorical", text=";".join(codes), kind="population",
          raw={"field": "diagnosis"})


#: (word stems, exact abbreviations, code) in priority order for a population phrase
_DX_RULES = (
    (("suicid",), (), "suicidal_ideation"), (("generali",), ("gad",), "GAD"), (("social",), ("sad",), "SAD"),
    (("traumatic",), ("ptsd",), "PTSD"), (("obsess",), ("ocd",), "OCD"), (("panic",), (), "panic"),
    (("depress",), ("mdd",), "MDD"), (("bipolar",), (), "bipolar"), (("healthy",), (), "healthy"))


def _dx_code(s: str) -> str:
    low = s.lower()
    if "resistant" in low or "refractory" in low or low == "trd":
        return "TRD" if "depress" in low or low == "trd" else ("GAD;SAD" if "anxiety" in low else "refractory")
    return next((code for stems, abbr, code in _DX_RULES if low in abbr or any(x in low for x in stems)), "")


def _d_efficacy(c: _Ctx) -> None:
    t = c.t
    if c.has_type("symptom_change", "response_rate", "effect_size", "nnt"):
        return
    m = RX_EFFICACY.search(t)
    if not m:
        return
    w = m.group(0).lower()
    ctype = "response_rate" if re.search(r"effective|efficacy|success|respon|rate|resistant|refractory|promis", w) \
        else "symptom_change"
    a, b = m.start(), m.end()
    c.add(ctype, a, b, qualifier="categorical", text=re.sub(r"\s+", " ", w), kind="efficacy")


def _d_most_common(c: _Ctx) -> None:
    t = c.t
    for m in RX_MOST_COMMON.finditer(t):
        if c.has("prevalence", m.start(), m.end()) or c.has("safety", m.start(), m.end()):
            continue
        ctx = t[max(0, m.start() - 80):m.end() + 40]
        ctype = "safety" if _SAFETY.search(ctx) else "prevalence"
        if ctype == "prevalence" and not re.search(r"disorder|condition|illness|anxiety|depression|problem|diagnos|"
                                                   r"mental|health|issue", ctx, re.I):
            continue
        end = m.start() + len(RX_TRAILING_FUNCTION_WORDS.sub("", m.group(0)))
        c.add(ctype, m.start(), end, qualifier="categorical", text=re.sub(r"\s+", " ", t[m.start():end].lower()),
              kind="most-common")


def _d_safety(c: _Ctx) -> None:
    t = c.t
    if c.has_type("safety", "nnh"):
        return
    hits = list(_SAFETY.finditer(t))
    if not hits:
        return
    if not re.search(r"side[- ]effects?|adverse|safety|safe\b|tolerab|ketamine|esketamine|treatment|drug|medication|"
                     r"infusion|therapy|dose|dosing|SSRIs?|benzodiazepines?|antidepressants?|administ|session|"
                     r"prescri|taken|taking|clinic", t, re.I):
        return  # symptoms of the condition, not effects of a treatment
    # "interacts" / "harm" alone in a sentence about effects on the brain are not safety claims
    words = [h.group(0).lower() for h in hits]
    if all(re.match(r"interact|harm", w) for w in words) and not re.search(r"\bwith\s+(?:other\s+)?(?:drugs|medications|"
                                                                           r"benzodiazepines|alcohol)", t, re.I):
        return
    a, b = hits[0].start(), hits[-1].end()
    if b - a > 200:
        b = hits[0].end()
    c.add("safety", a, b, qualifier="categorical", text=";".join(dict.fromkeys(words)), kind="safety")


#: an effect the words say the treatment has on the body, in the grammar of causing or sparing: "can induce
#: hallucinations", "may lead to bladder problems", "has been associated with cognitive impairment", "side effects
#: include …", "does not lower blood pressure", "heart function … unaffected". The effect words are the safety
#: vocabulary (lexicon._SAFETY_WORDS) and a few organ and function words; the verbs are general causal verbs.
_EFFECTS = (rf"{_SAFETY_WORDS}|psychos[ie]s|impairment|memory\s+(?:loss|issues|problems|gaps|lapses|deficits)|bladder\s+\w+|"
            r"allergic\s+reactions?|respiratory\s+\w+|confusion|vision|heart|breathing|respirat\w*|airway")
RX_SAFETY_CAUSE = re.compile(
    rf"\b(?:can|may|might|could|will|often|commonly|sometimes|does|do)\s+(?:\w+\s+){{0,2}}?(?:induce|cause|lead\s+to|"
    rf"result\s+in|produce|trigger|develop|experience|pose)\b[^.;:]{{0,60}}?\b(?:{_EFFECTS})"
    rf"|\b(?:has|have)\s+been\s+(?:\w+\s+)?(?:associated|linked)\s+with\s+[^.;:]{{0,50}}?\b(?:{_EFFECTS})"
    rf"|\b(?:side[- ]effects?|adverse\s+effects?)\s+(?:\w+\s+){{0,2}}?(?:include|are|may\s+include|can\s+include)\s+"
    rf"[^.;:]{{0,40}}?\b(?:{_EFFECTS})"
    rf"|\b(?:does|do|did)\s*(?:not|n['’]t)\s+(?:\w+\s+)?(?:lower|affect|depress|raise|increase|slow|suppress|impair)\s+"
    rf"(?:\w+\s+){{0,2}}?(?:blood\s+pressure|heart|breathing|respirat\w*|airway|lungs)"
    rf"|\b(?:heart|breathing|respirat\w*|airway)[^.;:]{{0,60}}?\b(?:unaffected|not\s+affected)\b", re.I)
_TREATMENT = re.compile(r"\b(?:ketamine|esketamine|spravato|it|drug|infusions?|treatments?|therapy|medications?|use|side[- ]effects?|"
                        r"doses?|dosing)\b", re.I)
_NEGATION = re.compile(r"\b(?:not|no|never|without|unaffected)\b|n['’]t\b", re.I)


def _d_safety_cause(c: _Ctx) -> None:
    """A safety word the sentence states as an effect of the treatment (:data:`RX_SAFETY_CAUSE`) is a statement to
    list ("safety-statement"), not a word to leave unlisted; the quote is the statement."""
    if not _TREATMENT.search(c.t):
        return
    for m in RX_SAFETY_CAUSE.finditer(c.t):
        a, b = c.s.start + m.start(), c.s.start + m.end()
        if any(d.kind == "safety-statement" and d.start < b and a < d.end for d in c.claims):
            continue
        words = [d for d in c.claims if d.kind == "safety" and d.start < b and a < d.end]
        text = re.sub(r"\s+", " ", m.group(0).lower())
        if words:
            d = words[0]
            d.kind, d.start, d.end, d.text = "safety-statement", min(a, d.start), max(b, d.end), text
            d.negated = bool(_NEGATION.search(text))
        elif c.free(m.start(), m.end()):
            c.add("safety", m.start(), m.end(), qualifier="categorical", kind="safety-statement", text=text,
                  negated=bool(_NEGATION.search(text)))


#: where and how esketamine is given, in word orders the statements' rules (statements.RX_SETTING, RX_ADJUNCT) do
#: not read: "only available at certified offices", "accessible solely at an authorized clinic", "must be used with
#: another antidepressant", "with an oral anti-depressant", "in a medical facility under the observation of a doctor"
RX_SETTING_MORE = re.compile(
    r"\b(?:only|solely)\s+(?:be\s+)?(?:available|accessible|administered|given|dispensed|offered)\s+(?:at|in|through)\s+"
    r"(?:an?\s+|the\s+)?(?:certified|authori[sz]ed|approved|registered|REMS)[^.;]{0,50}?(?:office|offices|workplace|clinic|"
    r"clinics|setting|facility|facilities|center|centre|pharmac(?:y|ies))"
    r"|\b(?:available|accessible)\s+(?:only|solely)\s+(?:at|in|through)\s+(?:an?\s+)?(?:authori[sz]ed|approved|registered)"
    r"[^.;]{0,50}?(?:office|workplace|clinic|clinics|setting|facility|center|centre)"
    r"|\bin\s+(?:a|the)\s+(?:medical|healthcare|health\s+care|clinical)\s+(?:facility|setting|office)\s+under\s+(?:the\s+)?"
    r"(?:observation|supervision|care)\s+of"
    # session 10: "self-administered under the supervision of a healthcare provider", "given in a doctor's office or
    # medical clinic", "only be available at a doctor's office or clinic"
    r"|\b(?:self-?administer\w*|administered|given|used|taken)\s+(?:[\w'’]+\s+){0,3}?under\s+the\s+(?:direct\s+|close\s+)?"
    r"supervision\s+of\s+(?:an?\s+|your\s+|the\s+)?(?:[\w'’]+\s+){0,3}?(?:providers?|doctors?|professionals?|"
    r"physicians?|clinicians?|staff|nurses?)\b"
    r"|\b(?:given|taken|administered|available|used)\s+(?:only\s+)?(?:in|at)\s+(?:an?\s+|the\s+)?(?:certified\s+)?"
    r"(?:doctor['’]s|health\s*care\s+provider['’]s|medical)\s+office\s+or\s+(?:medical\s+)?clinic\b"
    # (holdout11) "It cannot be given at home", "must be used in a medical facility", "under a provider's supervision"
    r"|\bcan(?:not|['’]t)\s+be\s+(?:given|used|taken|administered)\s+at\s+home\b|\bmust\s+be\s+(?:used|given|administered|"
    r"taken)\s+in\s+a\s+(?:medical|healthcare|health\s+care|certified)\s+(?:facility|setting|office|clinic)\b"
    r"|\bunder\s+(?:a|the|your)\s+(?:provider|doctor|physician|clinician)['’]s\s+supervision\b", re.I)
RX_ADJUNCT_MORE = re.compile(
    r"\b(?:must|has\s+to|needs?\s+to|is\s+to|should)\s+be\s+(?:used|taken|given|prescribed)\s+(?:with|alongside)\s+"
    r"(?:an?\s+|another\s+|other\s+)?(?:oral\s+)?anti-?depressants?\b"
    r"|\b(?:in\s+conjunction|together|along|combined|in\s+combination)\s+with\s+(?:an?\s+|another\s+|other\s+)?"
    r"(?:oral\s+)?anti-depressants?\b"
    # session 10: "Taken in addition to an oral antidepressant medication", "used alongside an antidepressant"
    r"|\b(?:taken|used|given|prescribed)\s+(?:\w+\s+)?(?:in\s+addition\s+to|alongside)\s+(?:an?\s+|another\s+)?"
    r"(?:oral\s+)?anti-?depressants?(?:\s+medications?)?\b", re.I)
_ESKETAMINE = re.compile(r"\b(?:esketamine|spravato|nasal\s+spray|it)\b", re.I)


def _d_setting_more(c: _Ctx) -> None:
    """Esketamine's setting of use and its use with an antidepressant, in the word orders of
    :data:`RX_SETTING_MORE` / :data:`RX_ADJUNCT_MORE` (the same kinds as the statements' rules, so they are linked
    and judged alike)."""
    if not _ESKETAMINE.search(c.t):
        return
    for rx, kind, raw in ((RX_SETTING_MORE, "setting", {}), (RX_ADJUNCT_MORE, "adjunct", {"drug": "esketamine"})):
        for m in rx.finditer(c.t):
            if c.free(*m.span()) and not any(d.kind == kind and d.start < c.s.start + m.end()
                                             and c.s.start + m.start() < d.end for d in c.claims):
                c.add("regulatory_status", m.start(), m.end(), qualifier="categorical", kind=kind, take=True,
                      text=re.sub(r"\s+", " ", m.group(0).lower()), raw=dict(raw))


def _d_mechanism(c: _Ctx) -> None:
    m = RX_MECHANISM.search(c.t)
    if m:
        c.add("mechanism", m.start(), m.end(), qualifier="categorical", text=m.group(0), kind="mechanism")


