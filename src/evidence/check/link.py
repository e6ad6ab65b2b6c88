"""Link detected claims to the evidence base in ``data/``: study first, like with like, abstain with a reason.

The index is built once per data directory (and cached): every row of ``data/`` becomes a linking candidate
(:mod:`evidence.check.candidates`), every source a signature (:mod:`evidence.check.resolve`).
:meth:`EvidenceIndex.link_all` then, for one document:

1. resolves each sentence to a study — by its own cues (author, journal, explicit n, organisation, a year with a
   description), or, for "the study"/"participants", by the study its passage is about — or to none, with the
   reason in words (:func:`evidence.check.resolve.resolve_document`);
2. for each claim: a curated claim with the same wording answers it outright (so ``check`` and ``claims`` agree
   on the curated articles); otherwise the candidates it may be compared with are the resolved study's own (a
   prevalence: population figures of the topic; a regulatory claim: the FDA facts), of a comparable unit kind
   (:func:`evidence.quantity.comparable`) — see :mod:`evidence.check.gate`;
3. scores them (:meth:`EvidenceIndex.score`, weights in :data:`evidence.check.gate.WEIGHTS`) and returns a
   :class:`~evidence.check.gate.Link`: what it was compared with and why, in words, or why nothing was.
"""
from __future__ import annotations

import math
import re
import threading
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable

from evidence.check.timepoint import illness_duration, schedule_span, conflict as timepoint_conflict, outcome_conflict, time_measure, time_measure_link
from evidence.check.gate import (claimed_measure, included_design, REGULATORY_TYPES, TOPIC_SOURCE_KINDS, TOPIC_TYPES,
                                 UNIQUE_FIGURE_TYPES, WEIGHTS, Link, abstain, control_arm, responder_share, other_treatment,
                                 passage_source_figures, response_threshold, share_of_symptoms,
                                 like_with_like, no_figure_reason, not_a_prevalence, receives_treatment, study_reason, topic_ok,
                                 treatment_rates, edition_conflict, measured_when)
from evidence.check.regulatory import DATE_RECORD_REASON, denied_by_name, approval_date_words, indication_typo, approval_referred_back, date_record_mismatch, history_use, programme_check, programme_words, claimed_year, date_contradiction, qualifier_conflict, schedule_check, schedule_words, regulatory_date_conflict
from evidence.check.claimrules import (_AMONG_PEOPLE_WITH, _APPROVAL_WORDS, _CITATION_ATTRIBUTES, _SCHEDULE_SPAN, abuse_claim, circular_n, comorbidity,  # noqa: F401
    definition, not_checked, sessions_text as _sessions_text)
from evidence.check.labelrules import rule_claim
from evidence.check.doses import dose_text, mismatch_reason, other_drug_reason
from evidence.check.samplekind import is_arm, sample_kind
from evidence.check.resolve import Resolution, Resolver, journal_key, resolve_document, signature, similar
from evidence import fmt, vocab
from evidence.check.words import describe, in_words
from evidence.quantity import kind_of

from evidence.check.candidates import (Candidate, CandidateBuilder, Study)
from evidence.check.linkscore import ContextScoring, figure_in_text
from evidence.check.concepts import (PUBLISHER_ORGS, _DESIGN_RX, _ORG_RX,
    _STUDY_REASONS, _described, _journal_rx, _markers, patients_conditions,
    _same_journal, _str, slot_values, tokens, umbrella_condition, negative_claim, negative_fact)  # noqa: F401 (API)

MIN_SCORE = WEIGHTS["min_score"]
#: a curated quote shorter than this many words answers only a sentence resolved to its own study
SHORT_TEMPLATE_WORDS = 3

#: facts that give the share of people with a condition who receive treatment (not a prevalence)
TREATMENT_RATE_ATTRIBUTES = frozenset({"share_receiving_treatment", "treatment_rate", "treatment_coverage"})
#: candidates whose rows carry a ``timepoint`` column (outcomes, estimates, facts)
_TIMED_ORIGINS = frozenset({"outcome", "estimate", "fact"})

class EvidenceIndex(ContextScoring, CandidateBuilder):
    """Candidates built from ``data/`` plus the scoring that links a claim to one of them."""

    def __init__(self, tables: dict[str, list[dict]], data_dir: Path | None = None, warnings: list[str] | None = None):
        self.data_dir = data_dir
        self.warnings = list(warnings or [])
        self.studies: dict[str, Study] = {}
        self.candidates: list[Candidate] = []
        self._tpl_cache: list[Candidate] | None = None
        self._census: list[Candidate] | None = None
        self._link_memo: dict[tuple, Link] = {}
        self._ctx_cache: dict[tuple, dict] = {}
        self._text_cues: dict[str, dict] = {}
        self._build(tables)
        self.sigs = {sid: signature(r, self.studies[sid].orgs, _markers(self.studies[sid], _str(r.get("population"))))
                     for r in tables.get("sources", []) if (sid := _str(r.get("source_id"))) in self.studies}
        self.resolver = Resolver(self.sigs, dict(_DESIGN_RX), {k: v for k, v in _ORG_RX.items() if k in PUBLISHER_ORGS},
                                 describe=_described, patients=patients_conditions)
        self._by_type: dict[str, list[Candidate]] = {}
        for c in self.candidates:
            for t in c.types:
                self._by_type.setdefault(t, []).append(c)
        df: dict[str, int] = {}
        for c in self.candidates:
            for w in c.words:
                df[w] = df.get(w, 0) + 1
        n = max(1, len(self.candidates))
        self._idf = {w: math.log((n + 1) / (k + 0.5)) for w, k in df.items()}

    def _template_match(self, d, ctx: dict, key_cache: dict, res: Resolution | None = None) -> Candidate | None:
        """A curated claim whose quote is this claim's own wording (same sentence span, type and figure). A quote of
        one or two words ("placebo-controlled") is wording many studies share: it answers only a sentence resolved to
        the curated claim's own study."""
        from evidence.check.matching import compatible

        s = d.sentence
        tkey = ("tpl", s.index, s.start)
        if tkey not in key_cache:
            key_cache[tkey] = self._templates_in(s.text)
        skey, sidx, present = key_cache[tkey]
        best = None
        best_len = 0
        for c in present:
            if len(c.template_key.split()) < SHORT_TEMPLATE_WORDS and c.source_ids and not (
                    res is not None and res.study in c.source_ids):
                continue
            ttype = next(iter(c.types))
            if not compatible(ttype, d.claim_type) or (ttype != d.claim_type and d.claim_type != "other"
                                                       and ttype != "other" and d.kind != "efficacy"):
                continue  # (a generic efficacy phrase may be typed either response rate or symptom change)
            pos = skey.find(c.template_key)
            ta, tb = sidx[pos], sidx[pos + len(c.template_key) - 1] + 1
            qa, qb = d.start - s.start, d.end - s.start
            if not (qa < tb and ta < qb):
                continue
            v = d.value if d.value is not None else d.high
            if c.numbers and v is not None and not any(abs(v - n) <= max(0.5, 0.02 * abs(n)) for n in c.numbers):
                continue
            tfield = ""
            m = re.search(r"field=(\w+)", c.recompute)
            if m:
                tfield = m.group(1)
            dfield = (d.raw.get("field") if isinstance(d.raw, dict) else None) or _implied_field(d)
            if tfield and dfield and tfield != dfield and not (tfield in ("journal", "citation") and dfield == "journal"):
                continue
            if c.numbers and v is None and d.claim_type == "dose_route":
                continue  # a route word is not the curated figure next to it ("over 40 minutes IV")
            if len(c.template_key) > best_len:
                best, best_len = c, len(c.template_key)
        return best

    @lru_cache(maxsize=1 << 14)  # noqa: B019 - one index per data directory, kept for the process
    def _templates_in(self, text: str) -> tuple:
        """(match key, index map, curated templates whose quote is in the sentence) of a sentence text."""
        from evidence.check.matching import match_key

        skey, sidx = match_key(text)
        return skey, sidx, [c for c in self._templates if c.template_key and c.template_key in skey]

    @property
    def _templates(self) -> list[Candidate]:
        if self._tpl_cache is None:
            self._tpl_cache = [c for c in self.candidates if c.origin == "template"]
        return self._tpl_cache

    def link(self, d, sentences: list, key_cache: dict | None = None, res: Resolution | None = None) -> Link:
        """The evidence one detected claim is compared with (a :class:`Link`), or why none is (``reason``)."""
        key_cache = {} if key_cache is None else key_cache
        ctx = self.claim_context(d, sentences, key_cache)
        tpl = None if d.negated else self._template_match(d, ctx, key_cache, res)   # a negation is not the curated wording
        if tpl is not None and res is not None and res.study and tpl.source_ids and res.study not in tpl.source_ids \
                and not res.from_context:
            tpl = None   # "the Oliver team ran a placebo-controlled trial": the sentence's own study, not the curated one
        if tpl is not None and res is not None and res.outside and tpl.source_ids:
            tpl = None   # "… placebo-controlled study (NCT04599855)": its own cues name a study outside the evidence base
        if tpl is not None:
            r = tpl.template or {}
            sid = tpl.source_ids[0] if len(tpl.source_ids) == 1 else ""
            what = ", ".join(self.label_of(x) for x in tpl.source_ids) or "its curated answer"
            return Link(tpl.recompute if tpl.recompute != "none" else "", tpl.source_ids,
                        _str(r.get("evidence_status")) or "found", _str(r.get("search_note")), what,
                        "the same wording as a claim curated in the evidence base", score=99.0, origin="template",
                        template=r, study=sid, study_label=self.label_of(sid) if sid else "")
        abuse = rule_claim(self, d, ctx.get("prev", ""))   # before the negation rule: "non-addictive" is the claim
        if abuse is not None:
            return abuse
        why_not = self._not_checked(d, ctx.get("prev", ""))
        if why_not:
            return abstain(why_not)
        defined = self._definition(d, res) or self._comorbidity(d)
        if defined is not None:
            return defined
        circular = self._circular_n(d, res)
        if circular:
            return abstain(circular)
        if res is not None and res.journal_conflict and d.claim_type != "attribution":
            return abstain(res.journal_conflict)   # only the citation is checked against the author's study
        threshold = response_threshold(d) or other_drug_reason(d) or included_design(self, d, res) or schedule_span(d) \
            or illness_duration(d) or history_use(d) or approval_referred_back(d, ctx.get("prev", "")) or denied_by_name(d)
        if threshold:
            return abstain(threshold)
        measured = time_measure(d)
        if measured is not None:   # a washout or a follow-up: compared only with the study's record of it
            return time_measure_link(self, d, res, measured)
        pool, reason = self._pool(d, res)
        if pool is None:
            return abstain(reason)
        best, rejected = self._best(d, ctx, pool, res)
        if best is None:
            if d.claim_type in TOPIC_TYPES:
                return abstain(rejected or f"no population figure in the evidence base fits this claim "
                                           f"({self._topic_words(ctx)})")
            if d.claim_type in REGULATORY_TYPES:
                return abstain(rejected or "no regulatory fact in the evidence base fits this claim")
            return abstain(no_figure_reason(d, res, self, rejected), study=res.study or "",
                           study_label=self.sigs[res.study].label if res.study in self.sigs else "")
        s, c, why = best[:3]
        contradiction = best[3] if len(best) > 3 else ""
        if why_not := self._organisation_only(d, c, res, why) or _time_of_no_measure(d, c, self.describe) or (
                c.field == "dose_mg_per_kg" and mismatch_reason(d, c, self.label_of(c.source_ids[0]))):
            return abstain(why_not)
        if d.claim_type in TOPIC_TYPES and edition_conflict(d, c, pool, self):
            return abstain(edition_conflict(d, c, pool, self))
        if c.field == "route" and _str((c.row or {}).get("route")).lower() == "mixed":
            return abstain(f"{self.label_of(c.source_ids[0])} records several routes (its participants were given the "
                           "drug in more than one way); which route the sentence means is not recorded, so one route "
                           "is neither confirmed nor contradicted", study=c.source_ids[0],
                           study_label=self.label_of(c.source_ids[0]))
        if d.kind == "route" and _APPROVAL_WORDS.search(d.sentence.text) and c.source_ids and all(
                self._study(x).kind in ("regulatory", "label") for x in c.source_ids):
            return abstain("the route names the form of an approved product (its approval is the claim); the "
                           "approval is checked on its own")
        figures = tuple(passage_source_figures(d, ctx, c, self.candidates)) if d.claim_type in TOPIC_TYPES else ()
        if figures:
            why = why + [f"the passage's figures {', '.join(figures)}"]
        c = self._with_population(c)
        study = res.study if res is not None and res.study and res.study in c.source_ids else ""
        basis = list(res.basis) if study else []
        if study:   # the resolution already says why this study; keep the reasons about the figure
            why = [w for w in why if not w.startswith(_STUDY_REASONS)]
        return Link(claimed_measure(d, c.recompute), c.source_ids, "found", "", self.describe(c), self._why(basis + why),
                    score=round(s, 2), origin=c.origin, fact_text=c.text, study=study,
                    study_label=self.sigs[study].label if study in self.sigs else "",
                    claimed_text=self._normalized_text(d, c), negate=bool(d.negated and d.claim_type == "design"),
                    claimed_year=claimed_year(d, c), contradiction=contradiction, by_figures=figures)

    @staticmethod
    def _figure_words(c: Candidate) -> str:
        return ", ".join(fmt.pct(n) if c.number_unit == "%" else fmt.num(n) for n in c.numbers[:2]) or "another figure"

    def _with_population(self, c: Candidate) -> Candidate:
        """A U.S. head count printed beside its rate is judged with the census counts of U.S. adults, as the curated
        claims are (``population=``): "40 million" is 18.1% of the adult population of the 2000s, not of today's."""
        if not c.recompute.endswith(",field=count") or c.origin != "prevalence":
            return c
        row = c.row or {}
        if not _str(row.get("value_pct")) or not re.search(r"\bU\.?S\.?\b", _str(row.get("population"))):
            return c
        if self._census is None:
            self._census = sorted((c2 for c2 in self.candidates if c2.origin == "fact"
                                   and _str((c2.row or {}).get("attribute")) == "n_adults"
                                   and _str((c2.row or {}).get("fact_id")).startswith("census_")),
                                  key=lambda c2: _str(c2.row.get("fact_id")))
        if not self._census:
            return c
        import dataclasses

        ids = ";".join(_str(c2.row.get("fact_id")) for c2 in self._census)
        srcs = tuple(dict.fromkeys(c.source_ids + tuple(x for c2 in self._census for x in c2.source_ids)))
        return dataclasses.replace(c, recompute=f"{c.recompute},population={ids}", source_ids=srcs)

    def label_of(self, sid: str) -> str:
        st = self.sigs.get(sid)
        return st.label if st else sid

    def describe(self, c: Candidate) -> str:
        """What a claim is compared with, in words."""
        return describe(c, self.label_of)

    def _why(self, reasons: list[str]) -> str:
        """The link's reasons in words (codes such as 'condition any_anxiety' turned into their words)."""
        out = []
        for r in dict.fromkeys(reasons):
            head, _, codes = r.partition(" ")
            if head in ("condition", "diagnosis") and codes:
                r = f"{head} {vocab.join_words([vocab.word('diagnosis', x) or x for x in codes.split('/')])}"
            elif head == "design" and codes:
                r = "design " + vocab.join_words([in_words(x, {}) for x in codes.split("/")])
            elif head in ("period", "sex") and codes:
                r = vocab.join_words([vocab.word(head, x) for x in codes.split("/")])
            out.append(r)
        return "; ".join(out)

    def _not_checked(self, d, prev: str = "") -> str:
        return not_checked(self, d, prev)

    def _definition(self, d, res: Resolution | None) -> Link | None:
        return definition(self, d, res)

    def _comorbidity(self, d) -> Link | None:
        return comorbidity(self, d)

    def _circular_n(self, d, res: Resolution | None) -> str:
        return circular_n(self, d, res)

    def _pool(self, d, res: Resolution | None) -> tuple[list | None, str]:
        """The candidates a claim may be compared with (topic, regulatory, or the resolved study's), or why none."""
        cands = self._by_type.get(d.claim_type, ())
        if d.claim_type in TOPIC_TYPES:
            t = d.sentence.text
            if symptoms := share_of_symptoms(t, d.start - d.sentence.start, d.end - d.sentence.start):
                return None, symptoms
            if receives_treatment(t, d.start - d.sentence.start, d.end - d.sentence.start):
                # the share who receive treatment is compared only with a curated treatment rate, never a prevalence
                return treatment_rates(d, [c for c in self.candidates if c.origin == "fact" and str(
                    (c.row or {}).get("attribute") or "") in TREATMENT_RATE_ATTRIBUTES], self.label_of)
            a = d.start - d.sentence.start
            why_not = not_a_prevalence(t, a, d.end - d.sentence.start) if kind_of(d.unit) == "percent" else ""
            if why_not:
                return None, why_not
            if _AMONG_PEOPLE_WITH.search(t[a:d.end - d.sentence.start + 45]):
                return None, ("this is a share among people who have a condition (how often two conditions occur "
                              "together), not a population prevalence; a prevalence figure does not settle it")
            sig = self.sigs.get(res.study) if res is not None and res.study else None
            if sig is not None and sig.is_study and sig.kind not in TOPIC_SOURCE_KINDS and sig.design != "survey":
                return None, (f"this figure is about the participants of {sig.label}, not a population; "
                              "a study's population is not compared with a national fact sheet")
            return list(cands), ""
        if d.claim_type in REGULATORY_TYPES:
            return list(cands), ""
        if res is None or not res.study:
            if d.claim_type in UNIQUE_FIGURE_TYPES and (res is None or not res.cues):
                return list(cands), ""   # no study named at all: only a unique, strongly matching figure may link
            return None, study_reason(res, self, d)
        return [c for c in cands if res.study in c.source_ids], ""

    def _best(self, d, ctx: dict, pool: list, res: Resolution | None):
        """(score, candidate, reasons) of the best comparable candidate, and the first rejection in words."""
        best = None
        exact = None       # a population figure that is the claim's own (another survey of the same topic may differ)
        contra = None      # a dated approval the evidence base contradicts (the best-fitting fact's date)
        second = 0.0
        rejected = undated = ""
        top_rejected = -1.0
        resolved = res is not None and bool(res.study)
        study_bound = d.claim_type not in TOPIC_TYPES and d.claim_type not in REGULATORY_TYPES
        unique_only = study_bound and not resolved
        orgs = ctx.get("org_sources") or {}
        for c in pool:
            if c.origin == "template" or not self._field_ok(d, c):
                continue
            why_not = self._unlike(d, c, orgs, study_bound)
            if not why_not and d.claim_type in REGULATORY_TYPES:
                why_not, wrong = schedule_check(d, c)
                if why_not and c.source_ids:   # say which fact: "this fact" alone left the editor asking (review12)
                    why_not = why_not.replace("this fact", f"the fact it was compared with ({self.label_of(c.source_ids[0])})")
                if wrong:   # a different schedule, or "not controlled": contradicted by this fact
                    s_wrong, _, why_wrong = self.score(d, ctx, c)
                    if contra is None or s_wrong > contra[0]:   # its reasons say why this fact (review12: none did)
                        contra = (s_wrong, c, [w for w in why_wrong if not w.startswith("schedule")], wrong)
                    continue
            if not why_not and d.claim_type in REGULATORY_TYPES:
                why_not = programme_check(d, c) or date_record_mismatch(d, c) or qualifier_conflict(d, c, self._fact_words(c))
            if why_not:
                if why_not == DATE_RECORD_REASON:   # the reason worth giving is the better-fitting fact's
                    undated = undated or why_not
                else:
                    rejected = rejected or why_not
                continue
            s, anchored, why = self.score(d, ctx, c)
            if s < 0:
                continue
            if d.claim_type in REGULATORY_TYPES:     # the best-fitting fact's reason is the one worth giving
                dated = regulatory_date_conflict(d, c, pool, self.sigs)
                if dated:
                    if s > top_rejected:
                        top_rejected, rejected = s, dated
                        wrong, dating = date_contradiction(d, c, pool, self.sigs)
                        contra = (s, dating, [w for w in why if not w.startswith(("year ", "the date "))],
                                  wrong) if wrong else None   # the date is the claim, not why this fact
                    continue
            if study_bound and resolved:
                if res.weak and not any(w.startswith("number ") for w in why):
                    rejected = rejected or (f"{self.label_of(res.study)} is named only by a small sample size, and "
                                            "none of its figures matches this one")
                    continue
                s += WEIGHTS["resolved_study"]
                anchored = True
            if s < WEIGHTS["unique_min_score" if unique_only else "min_score"] or not anchored:
                continue
            if d.claim_type in TOPIC_TYPES and any(w.startswith("number ") for w in why) and (
                    exact is None or s > exact[0]):
                exact = (s, c, why)
            if best is None or s > best[0] + 1e-9:
                if best is not None and set(best[1].source_ids) != set(c.source_ids):
                    second = max(second, best[0])
                best = (s, c, why)
            elif set(best[1].source_ids) != set(c.source_ids):
                second = max(second, s)
        rejected = rejected or undated
        if unique_only and best is not None:
            if best[0] - second < WEIGHTS["unique_margin"]:
                return None, "figures of more than one study fit, and the sentence names none of them"
            best = (best[0], best[1], ["no study named; the only figure in the evidence base that fits"] + best[2])
        if best is None and contra is not None:
            return contra, rejected
        if exact is not None and best is not None and exact[1] is not best[1] and \
                exact[0] >= best[0] - WEIGHTS["exact_margin"]:
            # "GAD affects 3.1% of U.S. adults": ADAA gives 3.1%, NIMH 2.7%; of two surveys that fit the condition and
            # period, the one whose figure the sentence gives is the one it quotes
            best = (exact[0], exact[1], exact[2] + [f"the figure of this survey: {self.label_of(best[1].source_ids[0])} "
                                                    f"gives {self._figure_words(best[1])}"])
        return best, rejected

    def _unlike(self, d, c: Candidate, orgs: dict, study_bound: bool) -> str:
        """Why candidate ``c`` is not like the claim (unit, measure, timepoint, topic, treatment), or ''."""
        why_not = like_with_like(d, c) or control_arm(d, c) or responder_share(d, c) or sample_kind(d, c, self._arms_of) or (
            timepoint_conflict(d, c.row) or outcome_conflict(d, c.row) if c.origin in _TIMED_ORIGINS else "")
        if not why_not and d.claim_type in TOPIC_TYPES:
            why_not = topic_ok(d, c, d.sentence.text, orgs, self)
        if not why_not and study_bound:
            why_not = other_treatment(d, c) or measured_when(d, c) or self._online_year(d, c)
        return why_not

    def _organisation_only(self, d, c: Candidate, res: Resolution | None, why: list[str]) -> str:
        """Why a citation's year or journal is not judged against the one record of the organisation it names ('' when
        it may be): "A 2020 survey by the Centers for Disease Control" against the evidence base's CDC report of 2024
        was called misattributed (settle13). An organisation publishes many reports; the record it has is one of
        them, so a year or a journal that differs from it is the citation of a report the evidence base does not
        hold, not a wrong one. A misattribution needs a source that says otherwise about the same paper."""
        if d.claim_type != "attribution" or c.origin != "source" or c.field not in ("year", "journal"):
            return ""
        basis = [str(b) for b in (res.basis if res is not None and res.study else why)]
        if not any(b.startswith("organisation") for b in basis) or any(
                b.startswith(("author ", "journal ", "n = ", "registry ", "PMID ", "DOI ", "the title")) for b in basis):
            return ""
        sig = self.sigs.get(c.source_ids[0]) if c.source_ids else None
        if sig is None:
            return ""
        if c.field == "year" and sig.year and re.search(rf"\b{sig.year}\b", d.quote or ""):
            return ""   # "A 2024 report by the CDC": the year is the record's
        said = journal_key(d.text or "")
        if c.field == "journal" and said and sig.journal_key and (said == sig.journal_key or similar(said, sig.journal_key)):
            return ""   # the organisation's own name, as the record gives it ("(FDA-approved March 2019)" is not one)
        return (f"the sentence names the organisation only; the evidence base holds one of its reports "
                f"({sig.label}), and the report the sentence cites may be another, so its "
                f"{'year' if c.field == 'year' else 'name'} is not settled here")

    def _arms_of(self, sid: str) -> list[Candidate]:
        """The arm sizes a study's facts record (facts.csv n_randomized_arm), built once per index."""
        if getattr(self, "_arms", None) is None:
            self._arms: dict[str, list[Candidate]] = {}
            for x in self.candidates:
                if is_arm(x) and x.source_ids:
                    self._arms.setdefault(x.source_ids[0], []).append(x)
        return self._arms.get(sid, [])

    def _online_year(self, d, c: Candidate) -> str:
        """"One study in 2012 of 24 patients …" against Murrough 2013 (Biol Psychiatry 2013;74(4)): a year one before
        the record's is often the paper's online publication, which the evidence base does not record ('' else)."""
        sig = self.sigs.get(c.source_ids[0]) if c.source_ids else None
        if d.claim_type != "attribution" or c.field != "year" or sig is None or not str(sig.year).isdigit() or \
                not re.fullmatch(r"(?:19|20)\d{2}", d.text or "") or int(d.text) != int(sig.year) - 1:
            return ""
        return (f"the sentence dates the study to {d.text}, the year before the journal issue the evidence base records "
                f"({sig.year}); a paper is often published online the year before print, so the year is not settled")

    def _fact_words(self, c: Candidate) -> str:
        """'the fact it matches (FDA 2019, esketamine nasal spray (Spravato))'."""
        return "the fact it matches (" + ", ".join(x for x in (self.label_of(c.source_ids[0]) if c.source_ids else "",
                                                             _str((c.row or {}).get("subject"))) if x) + ")"

    def _normalized_text(self, d, c: Candidate) -> str | None:
        """A journal named with a typo is the record's journal: pass the record's name, so it is matched.
        "Observational" / "real-world" names any observational design (retrospective, prospective cohort)."""
        if d.claim_type == "design" and c.field == "design" and d.text == "observational":
            st = self.sigs.get(c.source_ids[0]) if c.source_ids else None
            return st.design if st is not None and st.design in ("retrospective", "prospective_cohort") else None
        if figure_in_text(d, c):
            return figure_in_text(d, c)   # "at 24 hours" against "… assessed 24 hours after infusion"
        if d.claim_type == "regulatory_status" and d.kind in ("schedule", "controlled") and c.origin == "fact":
            return schedule_words(d, c)   # the fact's own words for the schedule ("CIII."), which the engine finds
        if d.claim_type == "regulatory_status" and d.kind == "setting":
            return programme_words(d, c)
        if d.claim_type == "regulatory_status" and indication_typo(d, c):
            return indication_typo(d, c)   # "approved as an aesthetic": the fact's "anesthetic", misspelt
        if d.claim_type == "regulatory_status" and approval_date_words(d, c):
            return approval_date_words(d, c)   # "approved in 2019" in the date record's words ("2019-03-05")
        if d.claim_type == "dose_route" and c.field == "infusion_min" and d.value is not None and d.unit == "minutes":
            return fmt.num(d.value)   # "over 40 minutes" in the record's words ("40"): equal figures are equal
        if d.claim_type == "dose_route" and c.field == "dose_mg_per_kg":
            return dose_text(d, c)    # "0.5–1 mg/kg" as the record's "0.5;1" when each is a recorded dose
        if d.claim_type == "dose_route" and c.field == "sessions" and d.value is not None and float(d.value).is_integer():
            return _sessions_text(int(d.value), d.unit or "", _str((c.row or {}).get("sessions")))
        if d.claim_type != "attribution" or c.field != "journal" or not d.text:
            return None
        st = self.sigs.get(c.source_ids[0]) if c.source_ids else None
        if st is None or not st.journal:
            return None
        a, b = journal_key(d.text), st.journal_key
        if a and b and d.text != st.journal and (a == b or similar(a, b) or _same_journal(a, b)):
            return st.journal   # also "The American Journal of Psychiatry", "journal of clinical psychiatry"
        return None

    def _topic_words(self, ctx: dict) -> str:
        parts = [f"{k} {'/'.join(sorted(ctx.get(k) or []))}" for k in ("condition", "period", "sex") if ctx.get(k)]
        return "; ".join(parts) or "no condition or period named"

    def _field_ok(self, d, c: Candidate) -> bool:
        """Attribute candidates answer only claims about that field; unnamed or institutional sources never link."""
        if d.claim_type == "attribution":
            if d.kind == "generic-attrib" or (d.text or "") == "unnamed source":
                return False
            if d.kind == "org":
                orgs = {k for k, rx in _ORG_RX.items() if rx.search(d.text or "")} & PUBLISHER_ORGS
                if not any(orgs & self._study(sid).orgs for sid in c.source_ids):
                    return False  # an institution ("Yale") is not a journal; nothing to compare it with
        if c.origin == "fact" and (d.claim_type in ("design", "population", "attribution") or d.kind == "route"):
            return False  # structured claims are compared with the source's own record (sources.csv)
        if c.origin == "fact" and _str((c.row or {}).get("attribute")) in _CITATION_ATTRIBUTES:
            return False  # a journal's volume, issue and pages are not figures of the study
        if c.origin != "source" or not c.field:
            return True
        want = d.raw.get("field") if isinstance(d.raw, dict) else None
        if d.claim_type == "attribution":
            text = d.text or ""
            if re.fullmatch(r"(?:19|20)\d{2}", text):
                return c.field == "year"
            return c.field == "journal"
        if d.claim_type == "design":
            return c.field == (want or "design")
        if d.claim_type == "dose_route":
            if d.kind == "route":
                return c.field == "route"
            if d.unit == "mg/kg":
                return c.field == "dose_mg_per_kg"
            if d.unit in ("minutes", "hours") and d.kind in ("duration", "duration-bare"):   # ("0.5 mg/kg/40 minutes")
                return c.field == "infusion_min"
            if d.unit in ("infusions", "sessions", "treatments", "doses"):
                return c.field == "sessions"
            return False
        if d.claim_type == "population":
            return c.field == "diagnosis"
        return True

    def resolve(self, sentences: list) -> list[Resolution]:
        """The study (or none) each sentence is about, reading the document in order."""
        from evidence.check.detect import is_heading

        return resolve_document(self.resolver, sentences, is_heading, _journal_rx())

    def link_all(self, detected: list, sentences: list) -> list[tuple[Any, Link]]:
        """Every detected claim with its :class:`Link`. A link depends only on the claim, its sentence, the two
        sentences before it and the sentence's resolution, so boilerplate repeated across a corpus (a clinic's
        footer, the same paragraph on every page) is linked once (memoized on exactly those)."""
        cache: dict = {}
        res = self.resolve(sentences) if detected else []
        by_index = {s.index: r for s, r in zip(sentences, res)}
        out = []
        for d in detected:
            r = by_index.get(d.sentence.index)
            key = self._link_key(d, sentences, r)
            lk = self._link_memo.get(key)
            if lk is None:
                if len(self._link_memo) > 50000:
                    self._link_memo.clear()
                lk = self._link_memo[key] = self.link(d, sentences, cache, r)
            out.append((d, lk))
        return out

    @staticmethod
    def _link_key(d, sentences: list, r: Resolution | None) -> tuple:
        s = d.sentence
        prev = tuple(x.text for x in sentences[max(0, s.index - 2):s.index]) if sentences and s.index is not None \
            else ()
        raw = tuple(sorted((k, str(v)) for k, v in d.raw.items())) if isinstance(d.raw, dict) else str(d.raw)
        return (d.claim_type, d.kind, d.start - s.start, d.end - s.start, d.value, d.low, d.high, d.unit, d.text,
                d.qualifier, d.named_source, d.negated, raw, s.text, s.whole_line, prev, r)


#: the measure a bare time may be the time of, named: "the primary outcome", "main endpoint"
_NAMED_OUTCOME = re.compile(r"\b(?:primary|main|principal)\s+(?:outcome|endpoint|end\s+point|result|measure)", re.I)
#: the units of a figure that records a span of time
_TIME_UNITS = frozenset({"time", "minutes", "hours", "days", "weeks", "months", "years"})


def _time_of_no_measure(d, c, describe) -> str:
    """Why a bare span of time said of no measure ("… severity at 24 hours", typed other) is not settled by a record
    whose figure is no time ('' when it is one): the same number in a finding's words is no compared figure of the
    same measure (settle12: "24 hours" was called accurate against a primary result in words)."""
    if d.kind != "duration-bare" or d.claim_type != "other" or _NAMED_OUTCOME.search(d.sentence.text):
        return ""   # "the primary outcome … at 24 hours": the time of the measure a primary result records
    if c.number_unit in _TIME_UNITS or (c.field or "").endswith(("_min", "_hours", "_days", "_weeks")):
        return ""
    return (f"“{d.quote}” says when something was measured or how long it took, but names no measure; the record it "
            f"matches is not a figure for that span of time, so the time alone settles nothing ({describe(c)})")


def _implied_field(d) -> str | None:
    """The sources.csv field a dose/route claim is about (route word, infusion time, dose in mg/kg)."""
    if d.claim_type != "dose_route":
        return None
    if d.kind == "route":
        return "route"
    if d.kind in ("duration", "duration-bare"):
        return "infusion_min"
    if d.unit == "mg/kg":
        return "dose_mg_per_kg"
    return None


# ------------------------------------------------------------------ loading

_INDEX_CACHE: dict[str, EvidenceIndex] = {}
_LOCK = threading.Lock()


def data_dir_of(data_dir: str | Path | None) -> Path:
    """The data directory, found as every command finds it (:func:`evidence.tables.find_data_dir`)."""
    from evidence.tables import find_data_dir

    return find_data_dir(data_dir)


def read_tables(data_dir: Path) -> tuple[dict[str, list[dict]], list[str]]:
    """Every evidence table of ``data_dir`` as a list of dicts of the cells as written (blank cells → None).

    Read through the data layer (:func:`evidence.tables.read_tables`, no pandas); numbers are parsed
    where they are compared. (``evidence validate`` is what reports the schema issues.)
    """
    from evidence.tables import read_tables as read_data

    tables, issues = read_data(data_dir)
    warnings: list[str] = []
    missing = sorted({i.file for i in issues if i.rule == "file-missing"})
    for i in issues:
        if i.rule in ("encoding", "csv-syntax", "file-empty", "json", "schema"):
            warnings.append(f"could not read {Path(data_dir) / i.file}: {i.message}")
    out = {n: t.raw_dicts() for n, t in tables.items()
           if n in ("sources", "outcomes", "estimates", "prevalence", "facts", "claims") and t.file not in missing}
    if missing:
        warnings.append(f"evidence base in {data_dir} is incomplete (missing: {', '.join(missing)}); "
                        "claims that need those tables stay unlinked")
    return out, warnings


def _fingerprint(data_dir: Path) -> str:
    parts = []
    for n in ("sources", "outcomes", "estimates", "prevalence", "facts", "claims", "datapackage"):
        p = data_dir / (f"{n}.csv" if n != "datapackage" else "datapackage.json")
        try:
            st = p.stat()
            parts.append(f"{n}:{st.st_mtime_ns}:{st.st_size}")
        except OSError:
            parts.append(f"{n}:-")
    return f"{data_dir.resolve()}|" + "|".join(parts)


def get_index(data_dir: str | Path | None = None) -> EvidenceIndex:
    """The evidence index of ``data_dir``, built once and cached (rebuilt when a table file changes)."""
    d = data_dir_of(data_dir)
    key = _fingerprint(d)
    with _LOCK:
        idx = _INDEX_CACHE.get(key)
        if idx is None:
            tables, warnings = read_tables(d) if d.is_dir() else ({}, [f"no data directory {d}"])
            idx = EvidenceIndex(tables, d, warnings)
            _INDEX_CACHE.clear()
            _INDEX_CACHE[key] = idx
        return idx


def index_from_tables(tables: dict[str, Iterable[dict]]) -> EvidenceIndex:
    """Build an index from in-memory tables (tests)."""
    return EvidenceIndex({k: list(v) for k, v in tables.items()})

