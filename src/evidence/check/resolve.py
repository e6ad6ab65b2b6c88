"""Study first, at the level of the document: which source is each sentence about?

Every source in ``data/sources.csv`` gets a :class:`Signature` (authors, year, journal, n, design, population,
route, kind). Each sentence gets its :class:`Cues` (author names, years, journal names, an explicit sample
size, design words, organisations, and whether it refers back: "the study", "participants", "researchers").
:func:`resolve_document` walks the sentences in order and gives each a :class:`Resolution`:

* **explicit cues** (an author, a journal, an explicit n, an organisation) name the sources they match;
  several strong cues must agree (their sets intersect) — **conflicting cues mean no study**; a year or a
  design only narrows a set that is already there (a wrong year is a claim to check, not a reason to switch);
* cues that match **no** source resolve to nothing, with the cues in words, and that unknown study becomes
  the section's subject (so "participants" after it is not checked against another study);
* a sentence without explicit cues that **refers back** takes the study the section is about (the most recent
  one established since the last heading);
* a year alone ("a 2018 study") resolves only when exactly one study of that year fits the sentence.

Names and journals are matched with typos allowed (:func:`similar`, difflib's ratio ≥ :data:`FUZZY`), so a
misspelt journal is matched, not flagged.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from evidence.check.condclash import condition_clash, diagnoses as _diagnoses, marker_words
from evidence.check.names import FUZZY, journal_key, similar  # noqa: F401 (re-exported: link, regulatory, tests)
from evidence.check.designclash import STUDY_KINDS, design_clash   # noqa: F401 (re-exported: resolve.design_clash)
from evidence.check.studyids import NCT as _NCT, doi_key as _doi_key, identifiers_in
from evidence.check.rxfilter import folded, may_match

#: an explicit sample size below this names a study only with a second cue (many trials enrol 20 or 40 people)
SMALL_N_CUE = 100
#: share of a source's title words a sentence must carry to name that source by its title
TITLE_SHARE = 0.7
#: design words that tell one kind of study from another (a "randomized" trial may be any RCT)
DISTINCT_DESIGNS = frozenset({"meta_analysis", "systematic_review", "crossover_rct", "open_label", "retrospective",
                              "prospective_cohort", "maintenance", "dose_ranging"})
#: "a systematic review and meta-analysis": said together, one marker (they describe many reviews)
REVIEW_DESIGNS = frozenset({"meta_analysis", "systematic_review"})

# ------------------------------------------------------------------ signatures

@dataclass(frozen=True)
class Signature:
    """What identifies one source, and how to name it to a reader."""

    source_id: str
    label: str                      # "Oliver et al. 2022 (Journal of Clinical Psychiatry)"
    kind: str = ""
    authors: tuple[str, ...] = ()   # surnames, lower case, first author first
    year: str = ""
    journal: str = ""
    journal_key: str = ""
    ns: frozenset[int] = frozenset()
    design: str = ""
    diagnoses: frozenset[str] = frozenset()
    orgs: frozenset[str] = frozenset()
    route: str = ""
    markers: frozenset[str] = frozenset()   # design markers, routes and diagnoses a sentence may describe it by
    title_words: frozenset[str] = frozenset()   # content words of the title (a page headed by it is about it)
    drug: str = ""                  # ketamine / esketamine / … (sources.csv drug)
    sessions: str = ""              # how many doses the study gave (sources.csv sessions, free text)
    registries: frozenset[str] = frozenset()   # trial registry numbers its row records ("NCT02397889")
    identifiers: frozenset[str] = frozenset()  # its paper's PubMed id and DOI ("PMID 22840761", "DOI 10.1016/…")

    @property
    def is_study(self) -> bool:
        return self.kind in STUDY_KINDS


_AUTHOR = re.compile(r"([A-Z][A-Za-z'’-]+(?:[- ][A-Z][a-z'’-]+)?)\s+[A-Z]{1,3}\b")
def _authors(citation: str, kind: str) -> tuple[str, ...]:
    if kind in ("label", "regulatory", "web_page") or not citation:
        return ()
    head = citation.split(". ")[0]
    names = []
    for m in _AUTHOR.finditer(head):
        name = m.group(1).lower()
        if name not in ("et", "al"):
            names.append(name.split()[-1] if " " in name and not name.startswith("van") else name)
    return tuple(dict.fromkeys(names))


_TITLE_STOP = frozenset("a an the of in on for and or with to by from at as is are was were vs versus its their "
                        "study trial".split())


def title_words(text: str) -> frozenset[str]:
    return frozenset(w for w in re.findall(r"[a-z0-9]+", (text or "").lower()) if w not in _TITLE_STOP and len(w) > 2)


def _title(citation: str, kind: str) -> str:
    """The title part of a citation ("Authors. Title. Journal. Year…")."""
    parts = [p for p in re.split(r"\.\s+", citation or "") if p]
    if kind in ("label", "regulatory", "web_page"):
        return ""
    return parts[1] if len(parts) > 2 else ""


def _int(v) -> int | None:
    try:
        return int(float(str(v).replace(",", "")))
    except (TypeError, ValueError):
        return None


def signature(row: dict, orgs: frozenset[str] = frozenset(), markers: frozenset[str] = frozenset()) -> Signature:
    sid = str(row.get("source_id") or "")
    kind = str(row.get("kind") or "")
    citation = str(row.get("citation") or "")
    journal = str(row.get("journal") or "")
    year = str(row.get("year") or "").split(".")[0]
    authors = _authors(citation, kind)
    if authors:
        many = len(authors) > 2 or "et al" in citation.split(". ")[0]
        who = authors[0].title() + (" et al." if many else f" and {authors[1].title()}" if len(authors) == 2 else "")
    else:
        who = journal.split(" (")[0] or sid
    where = f" ({journal})" if journal and authors else ""
    label = f"{who} {year}{where}".strip() if year else f"{who}{where}"
    ns = frozenset(n for n in (_int(row.get("n_randomized")), _int(row.get("n_analysed"))) if n)
    dx = frozenset(c.strip() for c in str(row.get("diagnosis") or "").split(";") if c.strip())
    registries = frozenset(m.upper() for v in row.values() for m in _NCT.findall(str(v or "")))
    ids = frozenset(([f"PMID {_int(row.get('pmid'))}"] if _int(row.get("pmid")) else [])
                    + ([_doi_key(str(row["doi"]))] if row.get("doi") else []))
    return Signature(sid, label, kind, authors, year, journal, journal_key(journal), ns, str(row.get("design") or ""),
                     dx, orgs, str(row.get("route") or ""), markers, title_words(_title(citation, kind)),
                     str(row.get("drug") or "").lower(), str(row.get("sessions") or ""), registries, ids)


# ------------------------------------------------------------------ cues

_REFERS_BACK = re.compile(
    r"\b(?:the|this|that|these|those|its|their)\s+(?:same\s+|original\s+|small\s+|pilot\s+)?(?:(?:19|20)\d\d\s+)?"
    r"(?:study|studies|trial|"
    r"experiment|paper|analysis|meta-analysis|review|research|researchers|investigators|authors|participants|"
    r"patients|subjects|volunteers|sample|cohort|results|findings)\b|^\s*(?:participants|researchers|investigators|"
    r"subjects|patients|they)\b|\b(?:participants|researchers|investigators|subjects|volunteers|responders)\b|"
    # "72% of patients had responded": a past-tense finding about "patients" is the passage's study (issue 15
    # Deliver 2 names "patients"); "70% of patients respond" (present tense, a clinic's general claim) is not
    r"\bof\s+(?:the\s+)?patients\s+(?:had|were|was|showed|reported|experienced|achieved|met|responded|remitted)\b|"
    # "67% of those on ketamine had responded", "the people given placebo": the arms of the passage's trial;
    # "50% had responded and 20% had remitted": a past-perfect finding continues the passage's study
    # "90% of them had …", "Their blood pressure …", "It was a double-blind study too", "In that one …", "The starting
    # dose was …": the passage's participants, study and its attributes (editor s4)
    r"\bof\s+them\b|^\s*(?:their|its)\b|^\s*it\s+was\s+an?\s+(?:[\w-]+\s+){0,3}?(?:study|trial)\b|\bin\s+that\s+one\b|"
    r"^\s*the\s+(?:starting|initial|first|maintenance|mean|median|average|total|target)\s+(?:dose|doses|series|"
    r"infusion|infusions|course|sample|age|score)\b|"
    r"\b(?:those|patients|people|participants|adults)\s+(?:on|receiving|given|taking|treated\s+with|assigned\s+to|"
    r"(?:who|that)\s+(?:received|got|were\s+given|took))\s+(?:the\s+)?(?:ketamine|esketamine|midazolam|placebo|saline)\b|"
    # "the ketamine group", "the controls", "the experimental arm": the arms of the passage's trial (editor s6)
    r"\bthe\s+(?:ketamine|esketamine|placebo|midazolam|saline|control|experimental|active|treatment)\s+(?:group|arm)s?\b|"
    r"\bthe\s+controls\b|"
    r"\d\s*%\s+(?:of\s+(?:them|those|participants|patients)\s+)?had\s+(?:responded|remitted|improved|relapsed|"
    r"recovered)\b|"
    r"\bthe\s+(?:[\w-]+\s+)?(?:group|arm)\b|"
    # "This systematic review and meta-analysis", "these randomized trials"
    r"\b(?:this|these)\s+(?:[\w-]+\s+(?:and\s+)?){1,3}?(?:study|studies|trials?|review|meta-analysis|analysis|paper|"
    r"research)\b", re.I)
_STUDY_WORDS = re.compile(r"\b(?:study|studies|trial|trials|RCT|experiment|meta-analysis|review|paper|published|"
                          r"researchers|investigators|authors|et\s+al|colleagues|analysis|cohort|chart|data|sample|"
                          r"participants|enrolled|randomi[sz]ed)\b", re.I)
_N_EQUALS = re.compile(r"\b[nN]\s*=\s*\d")
_YEAR = re.compile(r"(?<![\d.,$])\b((?:19|20)\d{2})\b(?![\d%,.]\d)")
_EXPLICIT_N = re.compile(
    r"\b[nN]\s*=\s*(\d[\d,]*)|\b(\d[\d,]*)\s+(?:(?:adult|adolescent|older|outpatient|veteran|elderly|healthy|"
    r"treatment-resistant|depressed|anxious|[A-Z]{2,5})\s+)?(?:patients|participants|subjects|volunteers|adults|people|"
    r"individuals|veterans|women|men)\b(?!\s+(?:each|every|per|a)\s+year)")
#: "was published in", "appeared in", "in the journal": the journal named next is a claim about the study
_STATED_IN = re.compile(r"\b(?:published|appeared|appearing|reported)\s+(?:\w+\s+){0,2}?in\s+(?:the\s+)?(?:journal\s+)?$|"
                        r"\bin\s+the\s+journal\s+$", re.I)
_PUBLISHED_IN = re.compile(r"\b(?:published|appeared|appearing|journal|issue\s+of)\b[^.;]{0,40}$", re.I)
_POSSESSIVE = re.compile(r"['’]s$")
#: capitalized words before a year or "et al." that are not names ("Since 2000", "In 2018")
#: (month abbreviations too: "FDA-approved Aug 2020" named no author Aug)
_NOT_NAMES = frozenset("since in by from the this that these those our their its his her another each every "
                       "a an after before until during around about published study "
                       "research trial review report data year years of on at for and or january february march "
                       "april may june july august september october november december spring summer autumn "
                       "fall winter jan feb mar apr jun jul aug sep sept oct nov dec".split())
_CAP_WORD = re.compile(r"\b([A-Z][a-z'’]+(?:-[A-Z][a-z]+)?)\b")
_AUTHOR_CONTEXT = re.compile(r"^\s*(?:et\s+al|and\s+(?:colleagues|co-?workers|team)|['’]s\b|\(\s*(?:19|20)\d\d|,?\s*"
                             r"(?:19|20)\d\d)", re.I)
#: "the Taylor trial", "the Glue study": a name before a study word (an author cue only if it is a known author)
_NAMED_STUDY = re.compile(r"^\s+(?:(?:19|20)\d\d\s+)?(?:trial|study|paper|team|group|review|analysis|RCT)\b", re.I)
#: "said Dr. Lena Ortiz", "Dr. Roe says": a quoted speaker (an author cue only if it is a known author)
_SPEAKER = re.compile(r"\b(?:said|says|according\s+to|told|explained|added|noted)\s+(?:\w+\s+){0,2}$", re.I)
#: universities, hospitals and health systems: where studies are done, never the journal that published one
_INSTITUTION_NAME = re.compile(r"\b(?:Mount\s+Sinai|Universit(?:y|ies)|Hospital|Medical\s+Cent(?:er|re)|School\s+of\s+Medicine|"
                               r"Health\s+System|Yale|Harvard|Stanford|Johns\s+Hopkins|Mayo\s+Clinic|Cleveland\s+Clinic|"
                               r"Icahn|Massachusetts\s+General|McLean)\b")
_SINGLE = re.compile(r"\b(?:a\s+single|one)\s+(?:ketamine\s+|IV\s+)?(?:infusion|dose|treatment|session|injection)\b|"
                     r"\bsingle[- ](?:dose|infusion)\b", re.I)
_REPEATED = re.compile(r"\b(?:repeated|serial|multiple|a\s+series\s+of|a\s+course\s+of)\s+(?:\w+\s+)?(?:ketamine\s+)?"
                       r"(?:infusions|doses|treatments|sessions)\b|\b(?:three|four|five|six|seven|eight|nine|ten|"
                       r"[3-9]|1[0-2])\s+(?:ketamine\s+|IV\s+)?infusions\b", re.I)   # two: a crossover's pair


def _dosing(sessions: str) -> str:
    """'single' / 'repeated' / '' from a study's sessions record ("up to 6, three times weekly", "1 (single
    infusion)", "2 infusions (ketamine and saline) in random order": a crossover gives ketamine once)."""
    t = sessions or ""
    if re.match(r"\s*1\b|\s*single\b", t, re.I) or re.search(r"\(\s*(?:ketamine\s+and\s+saline|saline\s+and\s+"
                                                              r"ketamine)\s*\)|single\s+infusion\s+of\s+each", t, re.I):
        return "single"
    if re.search(r"\bup\s+to\s+[2-9]|\b[2-9]\s+infusions|\bweekly\b|\bper\s+week\b|\bcourse\s+of\b|\btwice\b", t, re.I):
        return "repeated"
    return ""


_REGISTRY = re.compile(r"nct\d{8}$", re.I)
#: "a study from Yale Medicine", "a trial conducted at Stanford University": the institution the study is credited to
_INSTITUTION = re.compile(r"\b(?:study|studies|trial|research)\s+(?:(?:conducted|done|carried\s+out|led)\s+)?(?:from|at|by)\s+"
                          r"(?:the\s+)?((?:[A-Z][\w&'’.-]*)(?:\s+(?:of\s+)?[A-Z][\w&'’.-]*){0,4})")
_LED_BY = re.compile(r"\b(?:by|led\s+by|Dr\.?|Professor|Prof\.?)\s*$")


#: a name cited as an author: "by Janik and colleagues", "Janik et al.", "Janik and his team"
_CITED_AUTHOR = re.compile(r"\b([A-Z][a-z'’-]+)\s+(?:et\s+al\b|and\s+(?:colleagues|co-?workers|(?:his|her|their)\s+"
                           r"(?:team|colleagues)))")


@dataclass
class Cues:
    """Study cues of one sentence, each with the sources it matches."""

    words: list[str] = field(default_factory=list)   # the cues in words ("author Oliver", "n = 424")
    strong: list[tuple[str, frozenset[str]]] = field(default_factory=list)   # (cue in words, matching sources)
    years: set[str] = field(default_factory=set)
    designs: set[str] = field(default_factory=set)
    orgs: dict[str, frozenset[str]] = field(default_factory=dict)   # publishers named: NIMH, ADAA, WHO …
    refers_back: bool = False
    study_words: bool = False
    markers: set[str] = field(default_factory=set)   # design words, route, diagnoses the sentence describes
    conditions: set[str] = field(default_factory=set)   # the conditions its patients are said to have ("anxiety" too)
    drugs: set[str] = field(default_factory=set)     # esketamine / ketamine named
    institution: str = ""   # "a study from Yale Medicine": where the study was done (sources.csv does not record it)
    #: journal cues the sentence states as where the study was published ("… was published in X"): a claim to
    #: check once the other cues name the study, not a cue that outvotes them
    published_in: set[str] = field(default_factory=set)
    single: bool = False     # "after a single infusion": one dose of ketamine
    repeated: bool = False   # "a series of six infusions": repeated doses
    cited_authors: frozenset[str] = frozenset()   # "by Janik and colleagues", "Janik et al.": named as authors

    @property
    def explicit(self) -> bool:
        return bool(self.strong)


@dataclass(frozen=True)
class Resolution:
    """The study (or none) one sentence is about, and why, in words."""

    study: str | None = None
    basis: tuple[str, ...] = ()       # "matched on author Oliver, n = 424"
    reason: str = ""                  # why there is no study, when there is none
    from_context: bool = False
    cues: tuple[str, ...] = ()
    #: named only by a small sample size (no second cue): a figure is compared with it only when it matches one
    #: of the study's own figures (two numbers of one study are a cue; one small n is not)
    weak: bool = False
    #: the sentence says the study was published in another journal than its record's: the study is resolved for
    #: checking that citation only; its other claims abstain with this reason (the cited paper may be another)
    journal_conflict: str = ""
    #: the sentence's own cues name a study the evidence base does not hold (a registry number it does not record;
    #: a design that the one study of the year it gives does not have): no curated wording of another study answers it
    outside: bool = False


class Resolver:
    """Signatures of every source, and the cue matching over them."""

    def __init__(self, sigs: dict[str, Signature], design_rx: dict[str, re.Pattern], org_rx: dict[str, re.Pattern],
                 describe=None, patients=None):
        self.sigs = sigs
        self.describe, self.patients = describe, patients   # a sentence's markers; its patients' conditions
        self._cues: dict[str, Cues] = {}
        self._near_memo: dict[tuple, frozenset[str]] = {}   # (name, table) / journal key -> sources, memoized scans
        self.design_rx = design_rx
        self.org_rx = org_rx
        self.by_author: dict[str, set[str]] = {}      # first authors: how studies are cited
        self.co_authors: dict[str, set[str]] = {}     # the others: a cue only together with the study's year
        for s in sigs.values():
            for i, a in enumerate(s.authors):
                (self.co_authors if i else self.by_author).setdefault(a, set()).add(s.source_id)
        self.by_registry: dict[str, set[str]] = {}
        for s in sigs.values():
            for nct in s.registries:
                self.by_registry.setdefault(nct, set()).add(s.source_id)
        self.by_identifier: dict[str, set[str]] = {}
        for s in sigs.values():
            for key in s.identifiers:
                self.by_identifier.setdefault(key, set()).add(s.source_id)
        self.journals = {s.journal_key: set() for s in sigs.values() if s.journal_key}
        for s in sigs.values():
            if s.journal_key:
                self.journals[s.journal_key].add(s.source_id)

    # ---------------------------------------------------------------- cues of a sentence

    def _author_hits(self, t: str) -> list[tuple[str, frozenset[str]]]:
        from evidence.check.lexicon import RX_JOURNAL

        out = []
        journals = [j.span("j") for j in RX_JOURNAL.finditer(t)] if "(" in t or " et al" in t else []
        for m in _CAP_WORD.finditer(t):
            w = _POSSESSIVE.sub("", m.group(1).lower())
            if w in _NOT_NAMES:
                continue
            span = next(((a, b) for a, b in journals if a <= m.start(1) < b), None)
            if span is not None:
                # "The paper in Scientific Reports (2019)": the journal's last word, no author (review12); a journal
                # the evidence base does not hold is still a cue, so the year alone picks no other journal's study
                cue = f"journal {t[span[0]:span[1]]}"
                if not self._journal_sources(journal_key(t[span[0]:span[1]])) and cue not in [w for w, _ in out]:
                    out.append((cue, frozenset()))
                continue
            right, left = t[m.end():m.end() + 30], t[max(0, m.start() - 16):m.start()]
            named_study = bool(_NAMED_STUDY.match(right))
            if not (_AUTHOR_CONTEXT.match(right) or _LED_BY.search(left) or named_study):
                continue
            if w in ("the", "this", "in", "a", "one"):
                continue
            sids = self._author(w, self.by_author)
            if not sids:
                years = set(_YEAR.findall(t))
                sids = {x for x in self._author(w, self.co_authors) if self.sigs[x].year in years}
            speaker = bool(_SPEAKER.search(t[max(0, m.start() - 30):m.start()].replace("Dr.", "").replace("Dr ", "")))
            if not sids and (named_study or speaker or (_LED_BY.search(left) and not _AUTHOR_CONTEXT.match(right))):
                continue   # "the Yale study", "said Dr. Lena Ortiz": not an author the sentence cites
            name = _POSSESSIVE.sub("", m.group(1))
            out.append((f"author {name}", frozenset(sids)))
        return out

    def _registry_hits(self, t: str) -> list[tuple[str, frozenset[str]]]:
        """"(NCT04599855)": a registry number names one trial; one the evidence base does not record names a study
        that is not in it (so the sentence is not checked against another study of the same year)."""
        return [(f"registry {nct}", frozenset(self.by_registry.get(nct, ())))
                for nct in dict.fromkeys(m.upper() for m in _NCT.findall(t))]

    def _identifier_hits(self, t: str) -> list[tuple[str, frozenset[str]]]:
        """"PMID: 37224232", "doi: 10.1056/…": a paper's PubMed id or DOI names that one paper, as a registry number
        names its trial; one the evidence base does not record names a study outside it (an abstract reprinted
        under its citation is not checked against another study its description happens to fit)."""
        return [(key, frozenset(self.by_identifier.get(key, ()))) for key in identifiers_in(t)]

    def _title_hits(self, t: str) -> list[tuple[str, frozenset[str]]]:
        """A sentence (a page's title) carrying most of a source's title words names that source."""
        words = title_words(t)
        if len(words) < 5:
            return []
        hits = frozenset(s.source_id for s in self.sigs.values() if len(s.title_words) >= 5
                         and len(words & s.title_words) >= TITLE_SHARE * len(s.title_words))
        return [("the title of the study", hits)] if hits else []

    def _author(self, w: str, table: dict[str, set[str]]) -> set[str]:
        """The sources of author ``w`` in ``table`` (equal, or a typo of it): the fuzzy scan over every author is
        memoized per (name, table), built once in ``__init__`` (a fresh set each call)."""
        if w in table:
            return set(table[w])
        hit = self._near_memo.get((w, id(table)))
        if hit is None:
            hit = self._near_memo[(w, id(table))] = frozenset().union(*(v for a, v in table.items() if similar(a, w)))
        return set(hit)

    def _journal_sources(self, key: str) -> frozenset[str]:
        """The sources of every journal that is ``key`` (equal, a typo, or containing it), memoized on the key."""
        hit = self._near_memo.get(("journal", key))
        if hit is None:
            hit = self._near_memo[("journal", key)] = frozenset().union(*(
                s for jk, s in self.journals.items() if jk == key or similar(jk, key) or _contains(jk, key)))
        return hit

    def _journal_hits(self, t: str, journal_rx: re.Pattern | None, stated: set | None = None
                      ) -> list[tuple[str, frozenset[str]]]:
        """The journals a sentence names, with their sources; ``stated`` collects those it says the study was
        published in ("… was published in X")."""
        if journal_rx is None:
            return []
        out = []
        for m in journal_rx.finditer(t):
            name = m.group(0).strip()
            key = journal_key(name)
            if not key or any(rx.search(name) for rx in self.org_rx.values()) or _INSTITUTION_NAME.search(name):
                continue   # a publisher is an organisation cue; a university or hospital is where a study was done
            sids = self._journal_sources(key)
            left = t[max(0, m.start() - 60):m.start()]
            if sids or (len(key.split()) >= 2 and _PUBLISHED_IN.search(left)):
                # an unknown name counts only where the text says it is a journal ("published in …")
                out.append((f"journal {name}", frozenset(sids)))
                if stated is not None and _STATED_IN.search(left):
                    stated.add(f"journal {name}")
        return out

    def cues(self, t: str, journal_rx: re.Pattern | None = None) -> Cues:
        """The study cues of one sentence (memoized on its text; the result is not to be changed)."""
        c = self._cues.get(t)
        if c is None:
            if len(self._cues) > 50000:
                self._cues.clear()
            c = self._cues[t] = self._cues_of(t, journal_rx)
        return c

    def _cues_of(self, t: str, journal_rx: re.Pattern | None) -> Cues:
        c = Cues()
        c.refers_back = bool(_REFERS_BACK.search(t))
        c.study_words = bool(_STUDY_WORDS.search(t))
        c.strong += self._registry_hits(t)
        c.strong += self._identifier_hits(t)
        c.strong += self._author_hits(t)
        c.cited_authors = frozenset(m.group(1) for m in _CITED_AUTHOR.finditer(t))
        c.strong += self._journal_hits(t, journal_rx, c.published_in)
        if c.study_words or c.strong or _N_EQUALS.search(t):
            for m in _EXPLICIT_N.finditer(t):
                n = _int(m.group(1) or m.group(2))
                if n and n >= 5 and not (1900 <= n <= 2100):
                    sids = frozenset(s.source_id for s in self.sigs.values() if n in s.ns)
                    c.strong.append((f"n = {n}", sids))
        low = folded(t)   # (literal prefilters: evidence.check.rxfilter)
        for k, rx in self.org_rx.items():
            if may_match(rx, t, low) and rx.search(t):
                c.orgs[k] = frozenset(s.source_id for s in self.sigs.values() if k in s.orgs)
        if not c.strong and c.orgs:   # an organisation names the source only when nothing more specific does
            c.strong += [(f"organisation {k.upper()}", s) for k, s in c.orgs.items()]
        c.years = set(_YEAR.findall(t)) if (c.study_words or c.strong) else set()
        c.designs = {k for k, rx in self.design_rx.items() if may_match(rx, t, low) and rx.search(t)}
        c.markers = set(self.describe(t)) if self.describe else set()
        c.conditions = set(self.patients(t)) if c.strong and self.patients else set()
        c.drugs = {d for d in ("esketamine", "ketamine") if d in t.lower()}
        if "esketamine" in c.drugs:
            c.drugs.discard("ketamine")
        c.words = [w for w, _ in c.strong] + sorted(c.years)
        c.single, c.repeated = bool(_SINGLE.search(t)), bool(_REPEATED.search(t))
        m = _INSTITUTION.search(t)
        if m and not any(rx.search(m.group(1)) for rx in self.org_rx.values()) and not (
                set(re.findall(r"[a-z]+", m.group(1).lower())) & (set(self.by_author) | set(self.co_authors))):
            c.institution = m.group(1).strip()
        return c

    # ---------------------------------------------------------------- one sentence

    def resolve_explicit(self, c: Cues) -> Resolution | None:
        """The study the sentence's own cues name; None when it has no explicit cue."""
        cue_words = tuple(c.words)
        if c.strong:
            known = [(w, s) for w, s in c.strong if s]
            unknown = [w for w, s in c.strong if not s]
            if not known:
                return Resolution(None, reason=f"no study in the evidence base matches (cues: {', '.join(cue_words)})",
                                  cues=cue_words, outside=any(w.startswith(("registry ", "PMID ", "DOI ")) for w in unknown))
            sets = [s for _, s in known]
            common = frozenset.intersection(*sets)
            if not common:
                detail = "; ".join(f"{w} → {', '.join(sorted(self.sigs[x].label for x in s)[:2])}" for w, s in known)
                reason = f"the cues point at different studies ({detail})"
                stated = self._stated_journal(c, known, reason)
                if stated is not None:
                    return stated
                return Resolution(None, reason=reason, cues=cue_words)
            common = self._narrow(common, c)
            lost = [w[7:] for w in unknown if w.startswith("author ") and w[7:] in c.cited_authors]
            if lost and all(w.startswith("journal ") for w, _ in known):   # "… by Janik and colleagues, published in
                # JAMA Psychiatry" (midcitytms): a study outside the evidence base, not another paper of its journal
                return Resolution(None, reason=f"the author named ({', '.join(lost)}) matches no study in the evidence "
                                               "base, and the journal alone does not identify one", cues=cue_words,
                                  outside=True)
            if len(common) == 1 and all(w.startswith("journal ") for w, _ in known) and not self._corroborated(
                    next(iter(common)), c):
                return Resolution(None, reason=f"the journal alone does not identify a study in the evidence base "
                                               f"(cues: {', '.join(cue_words)})", cues=cue_words)
            weak = len(common) == 1 and all(w.startswith("n = ") and int(w[4:]) < SMALL_N_CUE for w, _ in known) \
                and not self._corroborated(next(iter(common)), c)
            # a schedule, or the patients' condition ("Feder et al. (2014) … patients with anxiety": condclash.py)
            clash = len(common) == 1 and (self.schedule_conflict(next(iter(common)), c) or condition_clash(
                self.sigs[next(iter(common))], c.conditions))
            if clash:
                return Resolution(None, reason=clash, cues=cue_words)
            if len(common) == 1:
                sid = next(iter(common))
                basis = tuple(w for w, _ in known) + tuple(f"year {y}" for y in c.years if y == self.sigs[sid].year)
                if unknown:
                    basis += tuple(f"({w} not matched)" for w in unknown)
                return Resolution(sid, basis, cues=cue_words, weak=weak)
            names = ", ".join(sorted(self.sigs[x].label for x in common)[:3])
            return Resolution(None, reason=f"the cues ({', '.join(cue_words)}) fit more than one study: {names}",
                              cues=cue_words)
        if c.years and c.study_words:
            cands = frozenset(s.source_id for s in self.sigs.values() if s.year in c.years and s.is_study)
            cands = self._narrow(cands, c, by_year=False)
            if len(cands) == 1:
                sid = next(iter(cands))
                named = _diagnoses(c.markers)
                clash = design_clash(self.sigs[sid], c.designs)
                if clash:
                    # "the 2025 … placebo-controlled study": the year's one study is a survey; a year is a weak cue and
                    # the design the sentence describes outweighs it (conflicting cues mean no study)
                    return Resolution(None, reason=f"the year fits only {self.sigs[sid].label}, {clash}", cues=cue_words,
                                      outside=True)
                if named and not named & self.sigs[sid].markers:
                    # "A 2019 study … of veterans with PTSD": the year's one study studied something else; a year
                    # alone does not outweigh the condition the sentence names (conflicting cues mean no study)
                    return Resolution(None, reason=(f"the year fits only {self.sigs[sid].label}, which did not "
                                                    f"study {marker_words(named)}"), cues=cue_words)
                return Resolution(sid, (f"year {self.sigs[sid].year}",) + tuple(
                    f"design {d.replace('_', ' ')}" for d in sorted(c.designs & {self.sigs[sid].design})), cues=cue_words)
            return Resolution(None, reason=(f"no single study in the evidence base matches (cues: {', '.join(cue_words)}"
                                            f"{'; ' + str(len(cands)) + ' studies fit' if cands else ''})"),
                              cues=cue_words)
        if c.study_words and len(c.markers) >= 2:
            return self._by_description(c)
        return None

    def _stated_journal(self, c: Cues, known: list, conflict: str) -> Resolution | None:
        """"Glue's 2018 study was published in the American Journal of Psychiatry": the author and the year single
        out the study, and the journal is what the sentence claims about it (checked as an attribution), not a cue
        that points elsewhere. None unless the other cues name exactly one study."""
        rest = [(w, s) for w, s in known if w not in c.published_in and not w.startswith("n = ")]
        if len(rest) == len(known) or not rest or not any(w.startswith("author ") for w, _ in rest):
            return None
        journal_said = any(w in c.published_in for w, _ in known)
        common = self._narrow(frozenset.intersection(*[s for _, s in rest]), c)
        if len(common) != 1:
            return None
        sid = next(iter(common))
        if self.sigs[sid].year not in c.years and len(frozenset.intersection(*[s for _, s in rest])) > 1:
            return None
        basis = tuple(w for w, _ in rest) + tuple(f"year {y}" for y in c.years if y == self.sigs[sid].year)
        # a stated journal that is not the study's leaves which paper is meant in doubt (its figures abstain); a
        # sample size is the claim itself ("the 2020 Glue trial … to 40 patients": checked against Glue 2020's n)
        return Resolution(sid, basis, cues=tuple(c.words), journal_conflict=conflict if journal_said else "")

    def schedule_conflict(self, sid: str, c: Cues) -> str:
        """Why the study the cues name may not be the paper meant ('' when it fits): the sentence describes a single
        treatment and the study gave repeated ones, or the other way round ("… relief that can last days or weeks
        after a single treatment (Murrough et al., 2013)": Murrough 2013 in the evidence base gave up to six
        infusions; the same group's single-infusion trial of 2013 is another paper)."""
        sig = self.sigs[sid]
        said = "single" if c.single else "repeated" if c.repeated else ""
        gave = _dosing(sig.sessions)
        if not said or not gave or said == gave:
            return ""
        return (f"the sentence describes {'a single treatment' if said == 'single' else 'repeated treatments'}, but "
                f"{sig.label} gave {'repeated ones' if gave == 'repeated' else 'a single one'} ({sig.sessions}); the "
                "paper it cites may be another by the same authors")

    def _corroborated(self, sid: str, c: Cues) -> bool:
        """A journal names a study only with a second cue: its year, or a design/route/diagnosis it has."""
        sig = self.sigs[sid]
        return sig.year in c.years or bool(c.markers & sig.markers)

    def _by_description(self, c: Cues) -> Resolution | None:
        """"A small ascending-dose study of subcutaneous ketamine": the one study that fits two or more markers.

        A description names no study when the sentence also says where the study was done ("a study from Yale
        Medicine"): the evidence base does not record institutions, so the description alone cannot confirm it."""
        if c.institution:
            words = marker_words(c.markers)
            return Resolution(None, reason=f"the sentence attributes the study to {c.institution}, and no study in the "
                                           f"evidence base can be confirmed as that one (described as {words})",
                              cues=(f"institution {c.institution}", f"described as {words}"))
        if len(c.markers - {"systematic_review"}) < 2 or c.markers <= REVIEW_DESIGNS:
            return None   # "a systematic review and meta-analysis" is one description, of many studies
        scored = sorted(((len(c.markers & s.markers), s.source_id) for s in self.sigs.values() if s.is_study),
                        reverse=True)
        if not scored or scored[0][0] < 2:
            return None
        if len(scored) > 1 and scored[1][0] == scored[0][0]:
            tied = sorted(self.sigs[x].label for k, x in scored if k == scored[0][0])
            words = marker_words(c.markers)
            return Resolution(None, reason=f"the description ({words}) fits more than one study: {', '.join(tied[:3])}",
                              cues=(f"described as {words}",))
        sid = scored[0][1]
        words = marker_words(c.markers & self.sigs[sid].markers)
        return Resolution(sid, (f"described as {words}",), cues=(f"described as {words}",))

    def _narrow(self, sids: frozenset[str], c: Cues, by_year: bool = True) -> frozenset[str]:
        """Among several matching sources, keep those the year and design words also fit (if any do)."""
        out = sids
        if by_year and c.years and len(out) > 1:
            fit = frozenset(s for s in out if self.sigs[s].year in c.years)
            out = fit or out
        for designs in (c.designs & DISTINCT_DESIGNS, c.designs):
            if designs and len(out) > 1:
                fit = frozenset(s for s in out if self.sigs[s].design in designs or designs & self.sigs[s].markers or
                                (self.sigs[s].design.endswith("_rct") and "parallel_rct" in designs))
                out = fit or out
        if len(out) > 1:
            studies = frozenset(s for s in out if self.sigs[s].is_study)
            out = studies or out
        if len(out) > 1:   # a trial's registry record and its paper are one study: the paper is the source
            papers = frozenset(s for s in out if not _REGISTRY.match(s) and not self.sigs[s].label.startswith(
                "ClinicalTrials.gov"))
            out = papers or out
        if len(out) > 1 and c.drugs:     # a sentence about ketamine is about a study of ketamine
            fit = frozenset(s for s in out if any(d in self.sigs[s].drug for d in c.drugs))
            out = fit or out
        if len(out) > 1 and c.markers:   # route, diagnoses and design markers the sentence describes
            best = max(len(c.markers & self.sigs[s].markers) for s in out)
            if best:
                out = frozenset(s for s in out if len(c.markers & self.sigs[s].markers) == best)
        return out


def _contains(a: str, b: str) -> bool:
    """One journal key's words all in the other's (≥ 2 words, at most one extra)."""
    ta, tb = set(a.split()), set(b.split())
    small, big = (ta, tb) if len(ta) <= len(tb) else (tb, ta)
    return len(small) >= 2 and small <= big and len(small) >= len(big) - 1


def _described_only(r: Resolution) -> bool:
    """Was the passage's study matched by its description alone? (Then design words that contradict it describe
    another study; after a named study, "That 2017 study was double-blind" is a claim about it.)"""
    return bool(r.basis) and all(str(b).startswith("described as ") for b in r.basis)


def _outside_by_id(current: Resolution | None) -> bool:
    """Is the passage about a paper outside the evidence base that a PubMed id, DOI or registry number named?"""
    return current is not None and current.study is None and current.outside and any(
        str(w).startswith(("registry ", "PMID ", "DOI ")) for w in current.cues)


def _fits_design(resolver: Resolver, current: Resolution | None, c: Cues) -> bool:
    """Is there a passage study, and do the sentence's design words (if any) fit it?"""
    if current is None or not current.study or current.study not in resolver.sigs:
        return False
    sig = resolver.sigs[current.study]
    return not c.designs or bool(c.designs & ({sig.design} | set(sig.markers)))


def resolve_document(resolver: Resolver, sentences: list, is_heading, journal_rx=None) -> list[Resolution]:
    """One :class:`Resolution` per sentence, carrying the section's study to sentences that refer back."""
    out: list[Resolution] = []
    current: Resolution | None = None
    page: Resolution | None = None   # a page headed by a study's own title is about that study throughout
    for i, s in enumerate(sentences):
        c = resolver.cues(s.text, journal_rx)
        if i < 3 and page is None and getattr(s, "whole_line", True):
            hits = resolver._title_hits(s.text)
            if hits and len(hits[0][1]) == 1:
                page = current = Resolution(next(iter(hits[0][1])), ("the page is headed by its title",),
                                            cues=("the title of the study",))
                out.append(page)
                continue
        if not getattr(s, "list_item", False) and is_heading(s.text, getattr(s, "whole_line", False)) or (
                i and _DATE_LINE.match(s.text) and is_heading(sentences[i - 1].text,
                                                              getattr(sentences[i - 1], "whole_line", False))):
            heading = _heading_study(resolver, sentences, i, is_heading, journal_rx)
            current = heading or page
            out.append(heading or Resolution(reason="a heading"))
            continue
        r = resolver.resolve_explicit(c)
        r = _passage_claims(resolver, c, r, None if _announcement_before(resolver, current, s.text) else current)
        if r is not None and page is not None and r.study is None and not c.strong:
            r = None   # a vague description or a bare year does not take a study summary away from its study
        if r is not None and _outside_by_id(current) and not c.years and (
                not c.strong and _described_only(r) or c.strong and all(w.startswith("n = ") for w, _ in c.strong)):
            # an abstract reprinted under its citation ("… PMID: 37224232" / "Methods: We conducted an open-label,
            # randomized trial …"): the paper its identifier names is not in the evidence base, and a description
            # that happens to fit another study does not replace it (explicit cues beat context), nor does a sample size
            # alone ("A total of 150 patients were enrolled": the paper's own n, the claim)
            r = Resolution(None, reason=f"the study this passage is about is not in the evidence base "
                                        f"(cues: {', '.join(current.cues)})", from_context=True, cues=current.cues,
                           outside=True)
        if r is not None and not c.strong and not c.years and c.refers_back and _fits_design(resolver, current, c):
            r = None   # "This systematic review …": a description that refers back is the passage's study
        if r is not None and r.study and current is not None and current.study == r.study and c.refers_back:
            # "This study gave 20 patients …" in a passage about that study: its own cue and the passage agree
            r = Resolution(r.study, r.basis + ("the study this passage is about",), cues=r.cues)
        if r is not None:
            current = r   # a study introduced here (known or not) is what the passage is about from now on
            if r.journal_conflict:   # … unless which paper is meant is in doubt
                current = Resolution(None, reason=r.journal_conflict, cues=r.cues)
            out.append(r)
            continue
        if page is not None and not c.refers_back:
            out.append(Resolution(page.study, page.basis, from_context=True, cues=page.cues))
            continue
        if c.refers_back and current is not None:
            if current.study is None and (current.reason.startswith("the cues point")
                                          or "fit more than one study" in current.reason):
                out.append(Resolution(None, reason=f"which study this passage is about is in doubt: {current.reason}",
                                      from_context=True, cues=current.cues))
            elif current.study is None:
                out.append(Resolution(None, reason=f"the study this passage is about is not in the evidence base "
                                                   f"({current.reason.split('(', 1)[-1].rstrip(')') or 'no match'})",
                                      from_context=True, cues=current.cues))
            elif _announcement_before(resolver, current, s.text):
                # "In 2019 the FDA approved esketamine. Researchers at Mount Sinai found that 67% …": an approval
                # notice is no study, so a finding of researchers is not about it (review12, an editor's new copy)
                out.append(Resolution(None, reason=f"the sentence reports a study's finding, and the passage before "
                                                   f"it is about {resolver.sigs[current.study].label}, an "
                                                   "announcement, not a study", from_context=True))
            elif current.study in resolver.sigs and _described_only(current) and design_clash(
                    resolver.sigs[current.study], c.designs):
                # "… conducted a randomized, double-blind crossover comparison" after a passage matched to a chart review
                clash = design_clash(resolver.sigs[current.study], c.designs).split(":")[0]
                out.append(Resolution(None, reason=f"the passage's study ({resolver.sigs[current.study].label}) is {clash}",
                                      from_context=True, cues=current.cues, outside=True))
            else:
                out.append(Resolution(current.study, current.basis + ("the study this passage is about",),
                                      from_context=True, cues=current.cues, weak=current.weak))
            continue
        out.append(Resolution(None, reason="the sentence names no study and none is established before it"))
    return _named_next(sentences, out)


#: "… according to a new study." (a study introduced without a name) and "The study, published in …" (named next)
#: a line that is only a date ("March 2018", "2021"): with the heading above it, a citation heading
_DATE_LINE = re.compile(r"\s*(?:(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?\s+)?(?:\d{1,2},?\s+)?"
                        r"(?:19|20)\d{2}\s*$")
_INTRODUCES = re.compile(r"\b(?:a|one|new|recent|the\s+latest)\s+(?:[\w-]+\s+){0,2}?(?:study|trial)\b", re.I)
#: a sentence that reports what a study found: "researchers found", "participants were given", "in the trial"
_RESEARCH_FINDING = re.compile(r"\b(?:researchers|investigators|scientists|participants|volunteers|subjects)\b|"
                               r"\b(?:the|this|that)\s+(?:\w+\s+)?(?:study|trial|experiment)\b", re.I)
_NAMES_BACK = re.compile(r"\s*(?:the|this)\s+(?:new\s+|same\s+)?(?:study|trial|paper|research)\b", re.I)


def _announcement_before(resolver: Resolver, current: Resolution | None, text: str) -> bool:
    """Is the passage about a regulatory announcement (an approval notice, a safety alert) while the sentence reports
    what a study found? Then the announcement is not the study it means."""
    sig = resolver.sigs.get(current.study) if current is not None and current.study else None
    return sig is not None and sig.kind == "regulatory" and bool(_RESEARCH_FINDING.search(text))


def _passage_claims(resolver: Resolver, c: Cues, r: Resolution | None, current: Resolution | None
                    ) -> Resolution | None:
    """A sentence that refers back to the passage's study and whose other cues are what it claims about that study:
    "That 2017 study was …" (its year is the study's), "The 2014 trial enrolled 61 patients" (the n is the claim,
    not a cue to another study), "The Taylor trial, published in JAMA Psychiatry, …" (the author names the passage's
    study among his papers; the journal is the claim). Editor s4: the claimed value must not be the cue that picks
    the study it is checked against. Returns ``r`` unchanged otherwise."""
    if r is None or r.study is not None or current is None or not current.study:
        return r
    if not c.refers_back and not any(w.startswith("author ") and current.study in sids for w, sids in c.strong):
        return r
    sig = resolver.sigs.get(current.study)
    if sig is None or (c.years and sig.year not in c.years) or _described_only(current) and design_clash(sig, c.designs):
        return r   # (a randomized crossover trial described after a passage matched to a chart review by its description)
    for w, sids in c.strong:
        if w.startswith("n = ") and not sids:
            continue   # an unknown sample size: the claim
        if w in c.published_in:
            continue   # the journal the sentence says it appeared in: the claim
        if w.startswith("author ") and current.study in sids:
            continue   # the author of the passage's study
        return r
    return Resolution(current.study, current.basis + ("the study this passage is about",), from_context=True,
                      cues=current.cues)


def _heading_study(resolver: Resolver, sentences: list, i: int, is_heading, journal_rx) -> Resolution | None:
    """A section headed by a citation ("Journal of Psychopharmacology" / "March 2018" on the lines above it) is
    about the study that citation names: the heading lines read together must resolve to one study."""
    lines = [sentences[i].text]
    if i + 1 < len(sentences) and _DATE_LINE.match(sentences[i + 1].text):
        lines.append(sentences[i + 1].text)   # the date line under a journal's name
    j = i - 1
    while j >= 0 and len(lines) < 3 and is_heading(sentences[j].text, getattr(sentences[j], "whole_line", False)):
        lines.insert(0, sentences[j].text)
        j -= 1
    r = resolver.resolve_explicit(resolver.cues(". ".join(lines), journal_rx))
    if r is None or r.study is None or not any(b.startswith(("journal ", "author ")) for b in r.basis):
        return None
    return Resolution(r.study, r.basis + ("the citation heading the section",), cues=r.cues)


def _named_next(sentences: list, out: list[Resolution]) -> list[Resolution]:
    """A study introduced without a name and named in the very next sentence ("… according to a study by
    researchers at X. The study, published in the American Journal of Psychiatry, …") is that study."""
    for i in range(len(out) - 1):
        r, nxt = out[i], out[i + 1]
        if r.study is not None or r.cues or not _INTRODUCES.search(sentences[i].text):
            continue
        if nxt.study is None or nxt.from_context or not _NAMES_BACK.match(sentences[i + 1].text):
            continue
        out[i] = Resolution(nxt.study, nxt.basis + ("the study the next sentence names",), from_context=True,
                            cues=nxt.cues, weak=nxt.weak)
    return out
