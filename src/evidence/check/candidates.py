"""Linking candidates: every figure and attribute in ``data/`` as a :class:`Candidate` with its slots, study and
numbers (:class:`CandidateBuilder` builds them table by table for :class:`evidence.check.link.EvidenceIndex`)."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from evidence.check.concepts import (_DESIGN_RX, _ORG_RX, _TOPIC_RX, _journal_key, _num, _str, slot_values,
    tokens)


# ------------------------------------------------------------------ candidates

@dataclass
class Study:
    source_id: str
    journal_key: str = ""
    journal: str = ""
    year: str = ""
    author: str = ""
    ns: tuple[float, ...] = ()
    designs: frozenset[str] = frozenset()
    diagnoses: frozenset[str] = frozenset()
    orgs: frozenset[str] = frozenset()
    drug: frozenset[str] = frozenset()
    route: frozenset[str] = frozenset()
    kind: str = ""
    words: frozenset[str] = frozenset()


@dataclass
class Candidate:
    recompute: str
    source_ids: tuple[str, ...]
    types: frozenset[str]
    origin: str                       # prevalence / estimate / outcome / source / fact / template
    label: str
    slots: dict[str, frozenset[str]] = field(default_factory=dict)
    numbers: tuple[float, ...] = ()
    number_unit: str = ""            # '%', 'count', 'ratio', 'time', ''
    words: frozenset[str] = frozenset()
    field: str = ""                  # attribute candidates: the sources.csv column
    topics: frozenset[str] = frozenset()
    template_key: str = ""           # templates: match-normalized quote
    template: dict | None = None
    k_studies: float | None = None
    text: str = ""                   # facts: value_text (for the claimed_text policy and polarity)
    row: dict | None = None          # the data/ row it came from


_FIELD_TYPES = {
    "journal": "attribution", "year": "attribution", "citation": "attribution",
    "design": "design", "blinding": "design", "control": "design",
    "route": "dose_route", "drug": "dose_route", "dose_mg_per_kg": "dose_route", "infusion_min": "dose_route",
    "sessions": "dose_route", "diagnosis": "population", "population": "population",
}


def _fact_types(attribute: str, subject: str, value_text: str, unit: str) -> set[str]:
    types = _fact_types_of(attribute.lower())
    if types == {"other"}:
        types = _fact_types_of(f"{attribute} {subject}".lower())
    return types


def _fact_types_of(a: str) -> set[str]:
    types: set[str] = set()
    if re.search(r"approv|indicat|label|regulat|licen|authori|schedul|warning|fda|status|distribution_restr", a):
        types.add("regulatory_status")
    if re.search(r"onset|time_to|time to|rapid", a):
        types.add("onset")
    if re.search(r"relaps|durab|duration_of|remission|maintenance|return|persist|sustain|wane|lasting", a):
        types.add("durability")
    if re.search(r"adverse|side|safety|dissoc|blood|toleran|harm|cognitive|nnh|interaction", a):
        types.add("safety")
    if re.search(r"\bn_|count|n_patients|n_trials|k_|trials|studies|participants|sample", a):
        types.add("sample_size")
    if re.search(r"dose|route|infusion|session|administration|mg", a):
        types.add("dose_route")
    if re.search(r"respon|remission_rate|success", a):
        types.add("response_rate")
    if re.search(r"change|reduction|improvement", a):
        types.add("symptom_change")
    if re.search(r"prevalen", a):
        types.add("prevalence")
    if re.search(r"design|blind|random", a):
        types.add("design")
    if re.search(r"mechanism|receptor|nmda|glutamat", a):
        types.add("mechanism")
    if re.search(r"compar|versus|vs_|than", a):
        types.add("comparison")
    if not types:
        types.add("other")
    return types


def _estimate_types(measure: str, outcome: str) -> set[str]:
    m = (measure or "").upper()
    adverse = bool(re.search(r"adverse|side|dissoc|harm|dropout", outcome or "", re.I))
    if m in ("OR", "RR", "RD", "SMD", "MD"):
        return {"effect_size", "safety"} if adverse else {"effect_size"}
    if m == "NNT":
        return {"nnt"}
    if m == "NNH":
        return {"nnh"}
    if m == "PCT_CHANGE":
        return {"symptom_change"}
    if m == "PCT_RESPONDERS":
        return {"safety"} if adverse else {"response_rate", "symptom_change"}
    if m == "MEAN_CHANGE":
        return {"symptom_change"}
    return {"other", "effect_size"}




class CandidateBuilder:
    """The table-by-table construction of the candidates (a mixin of EvidenceIndex)."""

    # ---------------------------------------------------------------- build

    def _build(self, tables: dict[str, list[dict]]) -> None:
        for table, add in (("sources", self._add_source), ("prevalence", self._add_prevalence),
                           ("estimates", self._add_estimate), ("outcomes", self._add_outcome),
                           ("facts", self._add_fact), ("claims", self._add_template)):
            for r in tables.get(table, []):
                k = len(self.candidates)
                add(r)
                for c in self.candidates[k:]:
                    c.row = r   # the row, to say in words what a claim was compared with

    def _study(self, sid: str) -> Study:
        return self.studies.get(sid) or Study(sid)

    def _add_source(self, r: dict) -> None:
        sid = _str(r.get("source_id"))
        if not sid:
            return
        citation = _str(r.get("citation"))
        journal = _str(r.get("journal"))
        author = ""
        m = re.match(r"\s*([A-Z][A-Za-z'’-]+)\s+[A-Z]{1,3}\b[,.]?", citation)  # "Taylor JH, ..."
        if m and _str(r.get("kind")) not in ("label", "regulatory", "web_page"):
            author = m.group(1).lower()
        ns = tuple(x for x in (_num(r.get("n_randomized")), _num(r.get("n_analysed"))) if x is not None)
        # the design comes from the structured fields; free text only adds the secondary markers
        free_text = " ".join(_str(r.get(k)) for k in ("control", "notes", "citation", "sessions"))
        designs = {k for k in ("maintenance", "dose_ranging", "placebo", "midazolam")
                   if _DESIGN_RX[k].search(free_text)}
        d = _str(r.get("design"))
        if d:
            designs.add(d)
            if d in ("retrospective", "prospective_cohort"):
                designs.add("retrospective")  # "observational", "real-world", "chart review"
            if d == "systematic_review" and _str(r.get("kind")) == "meta_analysis":
                designs.add("meta_analysis")
            if d in ("fact_sheet", "survey"):
                designs.add("survey")
        if _str(r.get("blinding")) == "double_blind":
            designs.add("double_blind")
        dx_text = " ".join(_str(r.get(k)) for k in ("diagnosis", "population"))
        diagnoses = set(slot_values(dx_text.replace(";", " "), "condition"))
        for code in _str(r.get("diagnosis")).split(";"):
            code = code.strip()
            if code:
                diagnoses.add({"mixed_anxiety": "any_anxiety", "general_population": "any_anxiety"}.get(code, code))
        org_text = " ".join([journal, citation, _str(r.get("url")), sid])
        orgs = {k for k, rx in _ORG_RX.items() if rx.search(org_text) or sid.lower().startswith(k)}
        words = tokens(" ".join([citation, journal, _str(r.get("population")), _str(r.get("notes")),
                                 _str(r.get("outcome_scales")), _str(r.get("drug"))]))
        st = Study(sid, _journal_key(journal), journal, _str(r.get("year")), author, ns, frozenset(designs),
                   frozenset(diagnoses), frozenset(orgs), frozenset(slot_values(_str(r.get("drug")), "drug")),
                   frozenset(slot_values(_str(r.get("route")), "route")), _str(r.get("kind")), frozenset(words))
        self.studies[sid] = st
        base_slots = {"condition": st.diagnoses}
        if ns:
            self.candidates.append(Candidate(
                f"count:source={sid},field=n_randomized" if _num(r.get("n_randomized")) is not None
                else f"count:source={sid},field=n_analysed",
                (sid,), frozenset({"sample_size"}), "source", f"sample size of {sid}", dict(base_slots), ns, "count",
                frozenset(words)))
        for fld, ctype in _FIELD_TYPES.items():
            if fld == "citation":
                continue
            val = _str(r.get(fld))
            if not val or val == "na":
                continue
            slots = dict(base_slots)
            nums: tuple[float, ...] = ()
            unit = ""
            if fld == "route":
                slots["route"] = frozenset(slot_values(val, "route") or {val})
            if fld == "drug":
                slots["drug"] = frozenset(slot_values(val, "drug"))
            if fld == "dose_mg_per_kg":
                nums = tuple(x for x in (_num(p) for p in val.split(";")) if x is not None)
                unit = "mg/kg"
            if fld == "infusion_min":
                nums = (_num(val),) if _num(val) is not None else ()
                unit = "minutes"
            if fld == "year":
                nums = (_num(val),) if _num(val) is not None else ()
                unit = "year"
            self.candidates.append(Candidate(
                f"attribute:source={sid},field={fld}", (sid,), frozenset({ctype}), "source",
                f"{fld} of {sid}: {val}", slots, nums, unit, frozenset(words | tokens(val)), field=fld))

    def _add_prevalence(self, r: dict) -> None:
        pid, sid = _str(r.get("prevalence_id")), _str(r.get("source_id"))
        if not pid:
            return
        cond = slot_values(_str(r.get("condition")), "condition") or {"any_anxiety"}
        sex = _str(r.get("sex")) or "all"
        period = _str(r.get("period"))
        slots = {"condition": frozenset(cond), "sex": frozenset({sex}),
                 "period": frozenset({period}) if period in ("past_year", "lifetime") else frozenset()}
        nums = tuple(x for x in (_num(r.get("value_pct")),) if x is not None)
        counts = tuple(x for x in (_num(r.get("count")),) if x is not None)
        words = tokens(" ".join(_str(r.get(k)) for k in ("condition", "population", "survey", "notes")))
        st = self._study(sid)
        label = (f"{pid}: {_str(r.get('condition'))}, {period.replace('_', ' ')}, sex {sex}"
                 + (f" = {nums[0]:g}%" if nums else ""))
        # a share and a head count are different quantities: one candidate each (like with like)
        if nums:
            self.candidates.append(Candidate(f"prevalence:id={pid}", (sid,) if sid else (), frozenset({"prevalence"}),
                                             "prevalence", label, slots, nums, "%", frozenset(words | st.words)))
        if counts:
            self.candidates.append(Candidate(f"prevalence:id={pid},field=count", (sid,) if sid else (),
                                             frozenset({"prevalence"}), "prevalence", label, dict(slots), counts,
                                             "people", frozenset(words | st.words)))

    def _add_estimate(self, r: dict) -> None:
        eid, sid = _str(r.get("estimate_id")), _str(r.get("source_id"))
        if not eid:
            return
        measure = _str(r.get("measure"))
        outcome = _str(r.get("outcome"))
        types = _estimate_types(measure, outcome)
        mu = measure.upper()
        spec = f"nnt:estimate={eid}" + (",kind=NNH" if mu == "NNH" else "") if mu in ("NNT", "NNH") \
            else f"estimate:id={eid}"
        slots = {"measure": frozenset({mu}) if mu in ("OR", "RR", "SMD", "NNT", "NNH") else frozenset()}
        cond = slot_values(outcome + " " + _str(r.get("analysis_id")).replace("_", " "), "condition")
        aid = _str(r.get("analysis_id")).lower()
        for code in ("sad", "gad", "ptsd", "ocd", "panic", "trd"):
            if re.search(rf"(?:^|_){code}(?:_|$)", aid):
                cond.add(code.upper() if code != "panic" else "panic")
        st = self._study(sid)
        slots["condition"] = frozenset(cond or st.diagnoses)
        nums = tuple(x for x in (_num(r.get("estimate")),) if x is not None)
        words = tokens(" ".join([outcome, _str(r.get("analysis_id")).replace("_", " "), _str(r.get("notes")),
                                 _str(r.get("model"))]))
        self.candidates.append(Candidate(spec, (sid,) if sid else (), frozenset(types), "estimate",
                                         f"{eid}: {measure} {nums[0] if nums else ''} ({outcome})", slots, nums,
                                         "%" if mu.startswith("PCT") else "ratio", frozenset(words | st.words),
                                         k_studies=_num(r.get("k_studies"))))

    def _add_outcome(self, r: dict) -> None:
        oid, sid = _str(r.get("outcome_id")), _str(r.get("source_id"))
        if not oid:
            return
        outcome = _str(r.get("outcome"))
        st = self._study(sid)
        words = frozenset(tokens(" ".join([outcome, _str(r.get("timepoint")), _str(r.get("arm_treat"))])) | st.words)
        adverse = bool(re.search(r"adverse|side|dissoc|harm|nausea|dropout", outcome, re.I))
        slots = {"condition": frozenset(st.diagnoses)}
        if _str(r.get("outcome_type")) == "binary":
            et, nt = _num(r.get("events_treat")), _num(r.get("n_treat"))
            pct = (100.0 * et / nt,) if et is not None and nt else ()
            self.candidates.append(Candidate(
                f"proportion:outcome={oid},arm=treat", (sid,), frozenset({"safety"} if adverse else {"response_rate"}),
                "outcome", f"{oid}: {outcome} in the treatment arm", dict(slots), pct, "%", words))
            if _num(r.get("n_ctrl")) is not None:
                self.candidates.append(Candidate(
                    f"nnt:outcome={oid}" + (",kind=NNH" if adverse else ""), (sid,),
                    frozenset({"nnh"} if adverse else {"nnt"}), "outcome", f"{oid}: {'NNH' if adverse else 'NNT'}",
                    dict(slots), (), "", words))
                self.candidates.append(Candidate(
                    f"effect:outcome={oid},measure=OR", (sid,), frozenset({"effect_size"}), "outcome",
                    f"{oid}: OR", {**slots, "measure": frozenset({"OR"})}, (), "ratio", words))

    def _add_fact(self, r: dict) -> None:
        fid, sid = _str(r.get("fact_id")), _str(r.get("source_id"))
        if not fid:
            return
        subject, attribute = _str(r.get("subject")), _str(r.get("attribute"))
        value_text, unit = _str(r.get("value_text")), _str(r.get("unit"))
        types = _fact_types(attribute, subject, value_text, unit)
        if "regulatory_status" not in types and re.search(r"approv|indicat|an(?:a)?esthe", value_text, re.I) \
                and re.search(r"fda|label|regulat", sid + " " + attribute, re.I):
            types.add("regulatory_status")
        text = " ".join([subject, attribute.replace("_", " "), value_text])
        st = self._study(sid)
        slots = {"drug": frozenset(slot_values(subject, "drug")),
                 "condition": frozenset(slot_values(text, "condition", refine=False) or st.diagnoses)}
        nums = tuple(x for x in (_num(r.get("value_num")),) if x is not None)
        topics = frozenset(k for k, rx in _TOPIC_RX.items() if rx.search(text))
        self.candidates.append(Candidate(f"fact:id={fid}", (sid,) if sid else (), frozenset(types), "fact",
                                         f"{fid}: {subject} / {attribute}: {value_text}", slots, nums,
                                         unit, frozenset(tokens(text) | st.words), topics=topics, text=value_text))

    def _add_template(self, r: dict) -> None:
        from evidence.check.matching import match_key

        spec = _str(r.get("recompute"))
        status = _str(r.get("evidence_status"))
        if not spec and status not in ("not_found", "unidentifiable"):
            return  # provisional rows teach nothing yet
        quote = _str(r.get("quote"))
        if not quote:
            return
        key = match_key(quote)[0].strip(" .,:")
        sids = tuple(s.strip() for s in _str(r.get("source_ids")).split(";") if s.strip())
        nums = tuple(x for x in (_num(r.get("claimed_value")), _num(r.get("claimed_low")), _num(r.get("claimed_high")))
                     if x is not None)
        self.candidates.append(Candidate(spec or "none", sids, frozenset({_str(r.get("claim_type"))}), "template",
                                         f"curated claim {_str(r.get('claim_id'))}", {}, nums, _str(r.get("claimed_unit")),
                                         frozenset(tokens(quote)), template_key=key, template=dict(r)))

