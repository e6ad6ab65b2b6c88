"""The claim context and the scoring of :class:`evidence.check.link.EvidenceIndex` (split from ``link`` by concern).

:class:`ContextScoring` reads what a claim's sentence says (slots, study cues, and the weaker cues of the two
sentences before it) and scores a linking candidate against it: slots, study cues, number proximity, regulatory
polarity and word overlap, with the weights of :data:`evidence.check.gate.WEIGHTS`. The index that owns the
candidates, studies and IDF table mixes it in.
"""
from __future__ import annotations

import re
from typing import Any

from evidence import fmt
from evidence.check.candidates import Candidate, Study
from evidence.check.concepts import (PUBLISHER_ORGS, _DESIGN_RX, _DISTINCT_DESIGNS, _ORG_KEYS, _ORG_RX,
    _ORIGIN_BONUS, _TOPIC_RX, _explicit_ns, _journal_key, _journal_rx, _nearest, _refine, _same_journal,
    _topics_of, _unit_kind, _units_compatible, slot_values, tokens, umbrella_condition)  # noqa: F401 (_TOPIC_RX: API)
from evidence.check.gate import REGULATORY_TYPES, TOPIC_TYPES, WEIGHTS, _clause_of
from evidence.check.regulatory import regulatory_score
from evidence.check.rxfilter import folded, may_match
from evidence.check.statements import referred_drug
from evidence.quantity import kind_of

#: "those affected", "sufferers", "people with it": a population figure about the condition named before
_TOPIC_ANAPHOR = re.compile(r"\b(?:those|people|adults|individuals)\s+(?:affected|suffering|who\s+(?:have|suffer\s+from)\s+"
                            r"(?:it|them|one|these|this))\b|\bsufferers\b|\b(?:with|have)\s+(?:it|them|the\s+"
                            r"(?:condition|disorder))\b", re.I)


class ContextScoring:
    """What a claim's sentence says, and how well a candidate fits it (mixed into the evidence index)."""

    # ---------------------------------------------------------------- claim context

    def sentence_context(self, s, sentences: list) -> dict:
        """Slots and study cues of one sentence and (weaker) the two before it (memoized on the texts)."""
        prevs: tuple[str, ...] = ()
        if sentences and s.index is not None:
            prevs = tuple(x.text for x in sentences[max(0, s.index - 2):s.index])
        key = (s.text, prevs)
        ctx = self._ctx_cache.get(key)
        if ctx is None:
            if len(self._ctx_cache) > 20000:
                self._ctx_cache.clear()
            ctx = self._ctx_cache[key] = self._sentence_context(s.text, prevs)
        return ctx

    def _cues_of_text(self, t: str) -> dict:
        """The study cues of one text, memoized: a sentence is read once as itself and again as a sentence before."""
        f = self._text_cues.get(t)
        if f is None:
            if len(self._text_cues) > 50000:
                self._text_cues.clear()
            jrx, low = _journal_rx(), folded(t)   # (literal prefilters first: evidence.check.rxfilter)
            f = self._text_cues[t] = {
                "words": tokens(t), "orgs": {k for k, rx in _ORG_RX.items() if may_match(rx, t, low) and rx.search(t)},
                "designs": {k for k, rx in _DESIGN_RX.items() if may_match(rx, t, low) and rx.search(t)},
                "years": set(re.findall(r"\b(?:19|20)\d{2}\b", t)),
                # a sample size is a study cue only when written as one ("n = 18", "18 patients"), never any number
                "numbers": _explicit_ns(t),
                # organisations are matched as organisations, not journals
                "journals": {j for j in (_journal_key(m.group("j")) for m in jrx.finditer(t))
                             if not any(rx.fullmatch(j) for rx in _ORG_KEYS)},
                "condition": slot_values(t, "condition")}
        return f

    def _sentence_context(self, t: str, prevs: tuple[str, ...]) -> dict:
        prev_text = " ".join(prevs)
        ctx: dict[str, Any] = {"text": t, "prev": prev_text}
        ctx["cond_all"] = slot_values(t, "condition")
        sex = slot_values(t, "sex")
        ctx["sex_all"] = sex if len(sex) == 1 else set()
        per = slot_values(t, "period")
        ctx["period_all"] = per if len(per) == 1 else set()
        ctx["route"] = slot_values(t, "route")
        ctx["measure_all"] = slot_values(t, "measure")
        ctx["drug"] = slot_values(t, "drug")
        ctx["drug_ref"] = {referred_drug(t, prev_text)} - {""}   # "The FDA approved it in 1970": the drug named before
        own, before = self._cues_of_text(t), [self._cues_of_text(x) for x in prevs]
        for k in ("words", "orgs", "designs", "years", "numbers", "journals"):
            ctx[k] = own[k]
            ctx["prev_" + k] = set().union(*(b[k] for b in before)) if before else set()
        ctx["org_sources"] = {k: frozenset(sid for sid, st in self.studies.items() if k in st.orgs)
                              for k in ctx["orgs"] & PUBLISHER_ORGS}
        ctx["prev_condition"] = _refine("condition", set().union(*(b["condition"] for b in before))) if before \
            else set()
        topics, ctx["anaphora"] = _topics_of(t)   # (read once per sentence text: concepts._topics_of)
        ctx["topics"] = set(topics)
        return ctx

    def claim_context(self, d, sentences: list, cache: dict | None = None) -> dict:
        """Slots and study cues of one detected claim: its sentence's, with slots taken nearest to the claim."""
        s = d.sentence
        cache = {} if cache is None else cache
        key = ("ctx", s.index, s.start)
        base = cache.get(key)
        if base is None:
            base = cache[key] = self.sentence_context(s, sentences)
        ctx = dict(base)
        t = s.text
        a, b = d.start - s.start, d.end - s.start
        ctx["condition"] = umbrella_condition(t, a) or _refine("condition", _nearest(t, a, b, "condition", 90, 60)) \
            or base["cond_all"]
        if not ctx["condition"] and d.claim_type in TOPIC_TYPES and _TOPIC_ANAPHOR.search(_clause_of(t, a, b)):
            # "only 37.9% of those affected receive treatment": the condition is the previous sentences'
            ctx["condition"] = base["prev_condition"]
        ctx["sex"] = _nearest(t, a, b, "sex", 45, 20) or base["sex_all"]
        ctx["period"] = _nearest(t, a, b, "period", 40, 60) or base["period_all"]
        ctx["measure"] = slot_values(t[max(0, a - 40):b + 10], "measure") or base["measure_all"]
        return ctx

    def study_score(self, st: Study, ctx: dict) -> tuple[float, list[str]]:
        """How strongly the claim's sentence (and, weaker, the two before it) points at this study."""
        score, why = 0.0, []
        if ctx["years"] and st.year and st.year not in ctx["years"]:
            score -= 1.5  # the sentence dates its study, and not to this one's year
        for prefix, w in (("", 1.0), ("prev_", 0.5 if ctx.get("anaphora") else 0.15)):
            journals = ctx[prefix + "journals"]
            if st.journal_key and journals:
                if any(_same_journal(j, st.journal_key) for j in journals):
                    score += 4 * w
                    why.append(f"journal {st.journal}")
            if st.year and st.year in ctx[prefix + "years"]:
                score += 2 * w
                why.append(f"year {st.year}")
            if st.author and re.search(rf"\b{re.escape(st.author)}\b", ctx[prefix + "text" if not prefix else "prev"],
                                       re.I):
                score += 4 * w
                why.append(f"author {st.author.title()}")
            nums = ctx[prefix + "numbers"]
            if st.ns and any(n in nums for n in st.ns if n >= 5):
                score += 4 * w
                why.append(f"n={int(max(st.ns))}")
            des = ctx[prefix + "designs"] & st.designs
            if des:
                score += min(4.0, sum(2.5 if x in _DISTINCT_DESIGNS else 1.0 for x in des)) * w
                why.append("design " + "/".join(sorted(des)))
            orgs = ctx[prefix + "orgs"] & st.orgs
            if orgs:
                score += 3 * w
                why.append("organisation " + "/".join(sorted(orgs)).upper())
        cond = ctx["condition"] | (ctx["prev_condition"] if ctx.get("anaphora") else set())
        dx = cond & st.diagnoses
        if dx:
            score += 1.5
            why.append("diagnosis " + "/".join(sorted(dx)))
            score -= 0.3 * len(st.diagnoses - cond - {"any_anxiety", "general_population"})  # prefer the closest fit
        if ctx["route"] & st.route:
            score += 0.5
        if ctx["drug"] & st.drug:
            score += 0.5
        return score, why

    # ---------------------------------------------------------------- scoring

    def score(self, d, ctx: dict, c: Candidate) -> tuple[float, bool, list[str]]:
        """(score, anchored, reasons) of candidate ``c`` for claim ``d``; score < 0 rules it out.

        The weights are :data:`evidence.check.gate.WEIGHTS`:

        * slots: a value the claim states that the candidate contradicts rules the candidate out; matching values
          add ``slot_*``; an unstated sex/period/condition where the candidate is specific costs a little;
        * study cues (see :meth:`study_score`) for the candidate's source;
        * number proximity: within 2 % ``number_close``, within 15 % ``number_near``; a count must be equal
          (``count_equal``);
        * regulatory polarity and indication; word overlap (IDF-weighted, at most ``words_cap``).
        """
        # a regulatory claim's indication is read by regulatory_score; the conditions its sentence names elsewhere
        # ("… for TRD and for MDD with suicidal ideation, with an oral antidepressant") do not rule a fact out
        if d.kind == "route" and c.field == "route":
            ctx = {**ctx, "route": set()}   # "gave ketamine intravenously": the route is the claim, not a slot to agree
        slots = self._slot_score(ctx if d.claim_type not in REGULATORY_TYPES else {**ctx, "condition": set()}, c)
        if slots is None:
            return -1, False, []
        score, anchored, why = slots
        st_best, st_why = 0.0, []
        for sid in c.source_ids:
            st = self.studies.get(sid)
            if st is not None:
                s_score, s_why = self.study_score(st, ctx)
                if s_score > st_best:
                    st_best, st_why = s_score, s_why
        if st_best:
            score += st_best
            why += st_why
            anchored = anchored or st_best >= 2.5
        nums = self._number_score(d, c, anchored)
        if nums is None:
            return -1, False, []
        score += nums[0] + _ORIGIN_BONUS.get(c.origin, 0.0)
        if c.origin == "fact" and not c.numbers and (d.value is not None or d.high is not None) and \
                kind_of(d.unit) not in ("", "other"):
            score += WEIGHTS["words_only"]   # a figure is compared with a figure before a statement in words
        anchored = nums[1]
        why += nums[2]
        if d.claim_type == "regulatory_status":
            r_score, r_anchor, r_why = regulatory_score(d, ctx, c)
            score += r_score
            anchored = anchored or r_anchor
            why += r_why
        shared = ctx["words"] & c.words
        if shared:
            score += min(WEIGHTS["words_cap"], sum(self._idf.get(w, 0.0) for w in shared) / 8.0)
        return score, anchored, why

    def _slot_score(self, ctx: dict, c: Candidate) -> tuple[float, bool, list[str]] | None:
        """Agreeing slots add their weight; a contradicting one rules the candidate out (None)."""
        score, anchored, why = 0.0, False, []
        for slot in ("condition", "sex", "period", "measure", "route", "drug"):
            cv = c.slots.get(slot) or frozenset()
            kv = ctx.get(slot) or set()
            if slot == "sex" and cv == {"all"}:
                if kv:
                    return None
                continue
            if not cv:
                continue
            if not kv:
                if slot == "sex" and cv & {"female", "male"}:
                    score -= 2
                elif slot == "period" and "lifetime" in cv:
                    score -= 0.5
                elif slot == "condition" and c.origin == "prevalence" and "any_anxiety" not in cv:
                    score -= 1
                continue
            if not (kv & cv):
                if slot == "condition":
                    # a depression/TRD study can still back an anxiety *outcome*; only exclusive anxiety codes clash
                    spec_k, spec_c = kv - {"any_anxiety", "depression"}, cv - {"any_anxiety", "depression"}
                    if c.origin == "prevalence" or (spec_k and spec_c and not (spec_k & spec_c)):
                        return None
                    continue
                if (slot == "route" and c.field != "route") or (slot == "drug" and c.field != "drug"):
                    continue
                return None
            score += WEIGHTS[f"slot_{slot}"]
            anchored = True
            why.append(f"{slot} {'/'.join(sorted(kv & cv))}")
        return score, anchored, why

    def _number_score(self, d, c: Candidate, anchored: bool) -> tuple[float, bool, list[str]] | None:
        """Number proximity (ties between comparable figures); None rules out an 'other' claim without one."""
        score, why = 0.0, []
        v = d.value if d.value is not None else d.high
        if d.value is None and d.low is not None and d.high is not None and c.numbers \
                and _units_compatible(d.unit, c.number_unit):
            if any(d.low <= n <= d.high for n in c.numbers):
                score += WEIGHTS["number_close"]
                anchored = anchored or d.claim_type == "other"
                why.append(f"number in {d.low:g}–{d.high:g}")
            v = None
        if d.claim_type == "other" and (d.qualifier == "categorical" or not anchored):
            return None  # an "other" claim links only through its figure
        if v is not None and c.numbers and _units_compatible(d.unit, c.number_unit):
            if _unit_kind(c.number_unit) == "count" or _unit_kind(d.unit) == "count":
                if any(abs(v - n) < 0.5 for n in c.numbers):
                    score += WEIGHTS["count_equal"]
                    anchored = True
                    why.append(f"number {fmt.num(v)}")
            else:
                rel = min(abs(v - n) / max(abs(n), 1e-9) for n in c.numbers)
                if rel <= 0.02:
                    score += WEIGHTS["number_close"]
                    why.append(f"number {fmt.num(v)}")
                elif rel <= 0.15:
                    score += WEIGHTS["number_near"]
        if d.claim_type == "sample_size" and d.unit in ("trials", "studies", "rcts") and c.k_studies is not None \
                and v is not None and abs(v - c.k_studies) < 0.5:
            score += WEIGHTS["count_equal"]
            anchored = True
        return score, anchored, why


#: how a fact's text writes a figure's unit ("24 hours", "24-hour", "40 min", "30 percent")
_UNIT_WORDS = {"hours": r"hours?|hrs?|h", "minutes": r"minutes?|mins?", "days": r"days?", "weeks": r"weeks?",
               "months": r"months?", "%": r"%|percent|per\s+cent"}


def figure_in_text(d, c: Candidate) -> str | None:
    """The words in which a statement in words (a fact with no figure of its own) gives the claim's exact figure in
    the same unit ("at 24 hours" against "… when assessed 24 hours after infusion"), so the engine's phrase match
    finds it; None when the text does not give it."""
    if c.origin != "fact" or c.numbers or d.value is None or d.low is not None or not c.text:
        return None
    pat = _UNIT_WORDS.get(d.unit or "")
    if pat is None:
        return None
    v = d.value
    num = re.escape(str(int(v)) if float(v).is_integer() else fmt.num(v))
    m = re.search(rf"(?<![\d.,]){num}\s*(?:-\s*)?(?:{pat})\b", c.text, re.I)
    return m.group(0) if m else None
