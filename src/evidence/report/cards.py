"""A claim card in words: the verdict's reason, the evidence, the sources and a suggested wording.

:func:`claim_card_data` turns one row of :func:`evidence.claims.evaluate_all` into what a reader
sees on a card, through :mod:`evidence.vocab` (codes) and :mod:`evidence.fmt` (numbers). Nothing
here computes a verdict; the engine's own sentences are tidied (names for ids, "16 of 18 (89%)"
for "16/18 (88.89%)") and cut only at a sentence or clause, never mid-word.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping

from evidence import fmt, vocab
from evidence.report.citations import _get, cite, short_name, source_words, study_brief

__all__ = ["claim_card_data", "permalink", "article_page_name", "recomputed_words", "brief", "tidy", "strip_search_log", "statements"]


def article_page_name(article_id: str) -> str:
    """The report page of an article (the manifest's ``foreach`` page ``article``)."""
    return f"article-{article_id}"


def permalink(article_id: str, claim_id: str, *, from_dir: str = "pages") -> str:
    """The address of a claim's card, relative to a file in ``from_dir`` of the report
    (``pages``: another page; ``downloads``: claims.csv / claims.jsonld; ``""``: the report root)."""
    target = f"pages/{article_page_name(article_id)}.html#claim-{claim_id}"
    if from_dir == "pages":
        return target.split("/", 1)[1]
    return ("../" if from_dir else "") + target


@functools.lru_cache(maxsize=None)
def site_templates(keep_trailing_newline: bool = False):
    """The Jinja environment of ``templates/site/`` (reader.py renders fragments, render.py whole pages)."""
    import jinja2

    return jinja2.Environment(loader=jinja2.FileSystemLoader(str(Path(__file__).resolve().parent / "templates" / "site")),
                              autoescape=True, trim_blocks=True, lstrip_blocks=True,
                              keep_trailing_newline=keep_trailing_newline, undefined=jinja2.StrictUndefined)


# ------------------------------------------------------------------ numbers in words

def recomputed_words(rec) -> str:
    """A :class:`evidence.verdicts.Recomputed` in words ("OR 28.9 (95% CI 3.45 to 243)", "40 minutes",
    "a difference of 36 percentage points (95% CI 5.8 to 59)", "2000")."""
    if rec is None:
        return ""
    if rec.value is None:
        return str(rec.text or "")
    unit = rec.unit
    kind = vocab.unit_kind(unit) if unit else ""
    if rec.measure == "RD":        # a risk difference reads as percentage points
        pts = [None if v is None else 100 * float(v) for v in (rec.value, rec.low, rec.high)]
        s = f"a difference of {fmt.num(pts[0], 2)} percentage points"
        if pts[1] is not None and pts[2] is not None:
            s += f" (95% CI {fmt.num(pts[1], 2)} to {fmt.num(pts[2], 2)})"
        return s
    if rec.measure in ("OR", "RR", "SMD", "MD", "NNT", "NNH"):
        return fmt.ci(rec.value, rec.low, rec.high, measure=rec.measure)
    if unit == "%" or rec.measure == "pct":
        return fmt.ci(rec.value, rec.low, rec.high, percent=True)
    if kind == "calendar":         # a calendar year is written as a year, not a count ("2000")
        return str(int(round(float(rec.value))))
    if kind == "duration":
        s = fmt.duration(rec.value, unit)
        if rec.low is not None and rec.high is not None:
            s += f" (95% CI {fmt.duration(rec.low, unit)} to {fmt.duration(rec.high, unit)})"
        return s
    if unit in ("people", "participants", "adults", "patients"):
        return fmt.count(rec.value, unit)
    if unit:
        return f"{fmt.num(rec.value)} {vocab.unit_label(unit, rec.value)}".strip()
    return fmt.ci(rec.value, rec.low, rec.high)


def arms(db, args: Mapping) -> str:
    """'6 of 18 (33%) responded on ketamine, 0 of 18 (0%) on saline placebo' from an outcomes row."""
    oid = args.get("outcome")
    if not oid or oid not in db.outcomes.index:
        return ""
    o = db.outcomes.loc[oid]
    et, nt, ec, nc = (_get(o, k) for k in ("events_treat", "n_treat", "events_ctrl", "n_ctrl"))
    what = str(_get(o, "outcome") or "met the outcome").replace("_", " ")
    s = ""
    if et is not None and nt is not None:
        s = f"{fmt.ratio_of(et, nt)} on {_get(o, 'arm_treat') or 'ketamine'}"
    if ec is not None and nc is not None and _get(o, "arm_ctrl"):
        s += f", {fmt.ratio_of(ec, nc)} on {_get(o, 'arm_ctrl')}"
    if s and _get(o, "timepoint"):
        s += f" ({str(_get(o, 'timepoint')).replace('_', ' ')})"
    return tidy(f"{what}: {s}") if s else ""


# ------------------------------------------------------------------ the engine's sentences, tidied

_SEARCH_LOG = re.compile(r"(?i)\b(searched|search(es)? (in|of|run)|queries\b|only abstracts|openings only|"
                         r"full text not readable|pages corpus|is in the corpus|data/curation|PMC\d+)")


def _split_outside(text: str, sep: str) -> list[str]:
    """``text`` split at ``sep`` where it is outside brackets and quotes."""
    out, depth, start, i = [], 0, 0, 0
    while i < len(text):
        ch = text[i]
        if ch in "(“[":
            depth += 1
        elif ch in ")”]" and depth:
            depth -= 1
        elif depth == 0 and text.startswith(sep, i):
            out.append(text[start:i])
            start = i + len(sep)
            i = start
            continue
        i += 1
    out.append(text[start:])
    return out


def strip_search_log(note: str) -> str:
    """The finding of a search note without the log of queries run, the corpus searched or a
    curation file: each sentence and clause that is log is dropped; what is left starts with a
    capital and ends with a full stop."""
    kept = []
    for sent in sentences(str(note or "")):
        body = sent.rstrip(".")
        clauses = [c.strip() for c in _split_outside(body, "; ")
                   if c.strip() and not _SEARCH_LOG.search(c) and "_" not in c]
        if clauses:
            k = "; ".join(clauses).rstrip(".") + "."
            kept.append(k[:1].upper() + k[1:])
    out = " ".join(kept).replace(".).", ".)").replace(".)." , ".)")
    return out[:1].upper() + out[1:] if out else ""


_RATIO_PCT = re.compile(r"\b(\d+)/(\d+) \(\d+(?:\.\d+)?%\)")
_TEST_STAT = re.compile(r"\s*\((?:[A-Za-z]\d*[,\d]*\s*=\s*[-\d.]+,\s*)?p\s*=\s*([\d.]+)\)")


def tidy(text: str) -> str:
    """The engine's and curators' shorthand in plain print: '16/18 (88.89%)' -> '16 of 18 (89%)',
    '(F10,141=0.4, p=0.95)' -> '(p = 0.95)', '>=50%' -> '≥50%', 'n=41' -> 'n = 41', '0.25;0.5;1' -> '0.25, 0.5, 1'."""
    t = str(text or "")
    t = _RATIO_PCT.sub(lambda m: fmt.ratio_of(int(m.group(1)), int(m.group(2))), t)
    t = _TEST_STAT.sub(lambda m: f" ({fmt.p(float(m.group(1)))})", t)
    t = t.replace(">=", "≥").replace("<=", "≤")
    t = re.sub(r"\bn\s*=\s*(\d)", r"n = \1", t)
    t = re.sub(r"\bn\s*[≤<]\s*(\d)", r"n ≤ \1", t)
    t = re.sub(r"(?<=\d);(?=\d)", ", ", t)
    t = re.sub(r"(?<![\w.])(\d+\.\d{3,})(?![\w.])", lambda m: fmt.num(float(m.group(1))), t)
    t = re.sub(r"\b([A-Za-z]+(?:;[A-Za-z]+)+)\b", lambda m: vocab.word("diagnosis", m.group(1)), t)
    return t


#: full stops that do not end a sentence
_ABBREV = re.compile(r"(?:\b(?:U\.S|U\.K|e\.g|i\.e|et al|vs|approx|No|Dr|Inc|Ltd|St)|\b[A-Z])\.$")


def sentences(text: str) -> list[str]:
    """``text`` split into sentences ('U.S.', 'et al.', 'e.g.' and initials do not end one)."""
    t = re.sub(r"\s+", " ", str(text or "")).strip()
    out, start = [], 0
    for m in re.finditer(r"[.!?][”’\"')]?(?=\s+[A-Z0-9“‘'\"(])", t):
        if _ABBREV.search(t[start:m.start() + 1]) or not _balanced(t[start:m.end()]):
            continue
        out.append(t[start:m.end()].strip())
        start = m.end()
    if t[start:].strip():
        out.append(t[start:].strip())
    return out


def brief(text: str, limit: int = 280) -> str:
    """The first sentences of ``text`` up to about ``limit`` characters. When even the first sentence
    is longer, it is cut at the last clause break (";", ":", " — ") that keeps it under the limit and
    ends with "…"; never mid-word, never inside brackets or quotes."""
    t = re.sub(r"\s+", " ", str(text or "")).strip()
    if len(t) <= limit:
        return t
    out = ""
    for sent in sentences(t):
        if out and len(out) + 1 + len(sent) > limit:
            break
        out = f"{out} {sent}".strip()
        if len(out) > limit:
            break
    if len(out) <= limit:
        return out
    return _cut(out, limit)


def _close(s: str) -> str:
    """``s`` with any quotation or bracket it leaves open closed after an ellipsis."""
    tail = ""
    if len(re.findall(r"(?<![A-Za-z])'|'(?![A-Za-z])", s)) % 2:
        tail += "'"
    tail += "”" * (s.count("“") - s.count("”")) + ")" * (s.count("(") - s.count(")"))
    return s.rstrip(" ,;:—") + "…" + tail


def _cut(out: str, limit: int) -> str:
    """One over-long sentence cut: at a clause break outside quotes; else at a sentence end inside
    a quotation (the quotation closed); else at a word outside brackets."""
    clause = ""
    for m in re.finditer(r"[;:,](?= )| — ", out[:limit]):
        head = out[:m.start()]
        if _balanced(head) and len(head) >= limit // 2:
            clause = head
    if clause:
        return clause.rstrip(" ,;:—") + "…"
    inner = [m.end() for m in re.finditer(r"[.!?](?= [A-Z0-9])", out[:limit]) if m.end() >= limit // 3
             and not _ABBREV.search(out[:m.end()])]
    if inner:
        return _close(out[:inner[-1]].rstrip(" ."))
    words = out[:limit].rsplit(" ", 1)[0]
    while " " in words and not _balanced(words):
        words = words.rsplit(" ", 1)[0]
    return (words if _balanced(words) else _close(words)).rstrip(" ,;:—") + ("" if not _balanced(words) else "…")


def _balanced(s: str) -> bool:
    """No bracket or quotation left open in ``s`` (an apostrophe inside a word is not a quote)."""
    singles = len(re.findall(r"(?<![A-Za-z])'|'(?![A-Za-z])", s))
    return s.count("(") == s.count(")") and s.count("“") == s.count("”") and singles % 2 == 0


_SIDES = {"for the claim": "For the claim", "against it": "Against it", "only weaker than worded": "Weaker than worded",
          "context": "Context the wording leaves out"}
_STATEMENT = re.compile(r"(.+?) \((for the claim|against it|only weaker than worded|context)\): “(.*?)”(?:; |$)", re.S)


def statements(rec, names: Mapping[str, str] | None = None) -> list[str]:
    """A weighed claim's statements, one line each: 'For the claim: Marchi et al. 2022: “No difference …”.'"""
    if rec is None or rec.method != "weigh" or not rec.text:
        return []
    out = []
    for who, side, said in _STATEMENT.findall(str(rec.text)):
        name = (names or {}).get(who.split(", ")[0], who.split(", ")[0])
        out.append(f"{_SIDES[side]}: {name}: {quoted(said, 300)}")
    return out


# ------------------------------------------------------------------ the card

@dataclass
class _Claim:
    """What one card is built from (the evaluated row, the curated row, the recomputation)."""

    row: Mapping
    db: Any
    claim_row: Mapping
    rec: Any
    method: str
    args: dict
    spec: str
    srcs: dict = field(default_factory=dict)
    names: dict = field(default_factory=dict)

    @property
    def code(self) -> str:
        return str(self.row["verdict"])

    @property
    def reason(self) -> str:
        """The engine's verdict in one sentence (``reason``; older engines: the explanation's head)."""
        r = self.row.get("reason")
        if isinstance(r, str) and r.strip():
            return r.strip()
        return str(self.row.get("explanation") or "").split(" Recomputed: ")[0].strip()

    @property
    def hand_set(self) -> bool:
        return bool(self.row.get("hand_set")) or self.reason.startswith("Set by hand: ")

    @property
    def kind(self) -> str | None:
        return {"diagnosis": "diagnosis", "route": "route", "design": "design", "blinding": "blinding"}.get(
            self.args.get("field", "")) if self.method == "attribute" else None

    @property
    def recomputed(self) -> str:
        return recomputed_words(self.rec) if self.rec is not None else ""

    @property
    def first(self) -> str:
        """The first source's name, for '(Taylor et al. 2018)'; a bare author's name gets its
        publisher ('Davis, Mental Health America')."""
        sid = next(iter(self.names), None)
        if sid is None:
            return ""
        name, journal = self.names[sid], str(_get(self.srcs[sid], "journal") or "")
        bare = journal and len(journal) <= 40 and not re.search(r"\d{4}", name) and journal not in name
        return f"{name}, {journal}" if bare else name

    def words(self, text: str) -> str:
        t = str(text or "")
        for s in sorted(self.names, key=len, reverse=True):
            t = re.sub(rf"\b{re.escape(s)}\b", self.names[s], t)
        return tidy(t)


def _claim(row: Mapping, db, params: Mapping | None, claim_row: Mapping | None) -> _Claim:
    from evidence.claims import recompute
    from evidence.spec import parse_recompute
    from evidence.verdicts import DEFAULT_PARAMS

    cid = str(row["claim_id"])
    if claim_row is None:
        cl = db.claims if hasattr(db, "claims") else None
        claim_row = cl.loc[cid] if cl is not None and cid in cl.index else {}
    p = {**DEFAULT_PARAMS, **(params or {})}
    try:
        rec = recompute(dict(claim_row), db, p) if claim_row is not None and len(claim_row) else None
    except Exception:  # noqa: BLE001 - the card still shows the engine's words
        rec = None
    spec = str(_get(claim_row, "recompute") or "none")
    try:
        method, args = parse_recompute(spec)
    except Exception:  # noqa: BLE001
        method, args = "none", {}
    srcs = {s: db.sources.loc[s] for s in (row.get("source_ids") or []) if s in db.sources.index}
    return _Claim(row, db, claim_row, rec, method, dict(args), spec, srcs, {s: short_name(r) for s, r in srcs.items()})


_FLAG = re.compile(r"^(?P<who>.+?) (?P<what>is .+|studied .+)$")


def _short_population(pop: str) -> str:
    """'424 patients with treatment-resistant depression (TRD) seen at …' -> '424 patients with
    treatment-resistant depression'."""
    cut = len(pop)
    for sep in (";", " (", ",", " seen ", " in ", " who ", " from "):
        i = pop.find(sep, 12)
        if 0 < i < cut:
            cut = i
    return pop[:cut].strip()


def context_words(flags: list[str], c: _Claim) -> str:
    """The engine's context flags as one clause: each study named once ('Glue et al. 2017 is
    open-label with no randomized control and small (n = 12)')."""
    by_who: dict[str, list[str]] = {}
    rest = []
    for f in flags:
        f = c.words(f)
        m = _FLAG.match(f)
        if not m:
            rest.append(f)
            continue
        what = m.group("what")
        if what.startswith("studied ") and what.endswith(", not an anxiety disorder"):
            what = f"studied {_short_population(what[8:-len(', not an anxiety disorder')])}, not an anxiety disorder"
        by_who.setdefault(m.group("who"), []).append(what)
    parts = []
    for who, whats in by_who.items():
        joined = [whats[0]] + [w[3:] if w.startswith("is ") and whats[0].startswith("is ") else w for w in whats[1:]]
        parts.append(f"{who} {vocab.join_words(joined)}")
    return vocab.join_words(parts + rest)


def _why(c: _Claim) -> str:
    code, rec, recomputed = c.code, c.rec, c.recomputed
    if c.hand_set:
        detail = c.row.get("reason_detail")
        detail = detail if isinstance(detail, str) and detail.strip() and c.row.get("reason") else ""
        return c.words(c.reason.removeprefix("Set by hand: ") + (f" {detail.strip()}" if detail else ""))
    if c.method == "weigh":
        return c.words(c.reason)
    if code == "accurate":
        if recomputed and rec is not None and rec.value is not None:
            return f"The evidence gives {recomputed}, which matches the claim."
        return "The source says what the claim says."
    if code == "accurate_missing_context":
        ctx = context_words(list(c.row.get("flags") or []), c)
        return (f"The figure matches, but the wording leaves out that {ctx}." if ctx
                else "The figure matches, but the wording leaves out how thin the evidence is.")
    if code in ("unsupported", "unverifiable"):
        note = strip_search_log(_get(c.claim_row, "search_note") or "")
        head = ("No source that reports this was found." if code == "unsupported"
                else "The source the article names cannot be identified.")
        return head + (f" {c.words(note)}" if note else "")
    if code == "misattributed" and c.method == "attribute" and rec is not None:
        said = _get(c.claim_row, "claimed_text") or c.row.get("claimed")
        said = vocab.word(c.kind, said) if c.kind and said else said
        has = vocab.word(c.kind, rec.text) if c.kind else rec.text
        return f"The article says {said}; the source's own record says {has}."
    if code in ("overstated", "understated") and recomputed:
        return f"The claim is {'stronger' if code == 'overstated' else 'weaker'} than the evidence, which gives {recomputed}."
    return c.words(c.reason)


def lead(why: str, limit: int = 300) -> tuple[str, str]:
    """(the card's lead: the first sentences of the reasoning up to about ``limit`` characters,
    the rest of the reasoning or "")."""
    why = why.strip()
    if why and not why.endswith((".", "!", "?", "”", "’", "…", "'")):
        why += "."
    if len(why) <= limit:
        return why, ""
    head, rest = "", []
    ss = sentences(why)
    for i, sent in enumerate(ss):
        if head and len(head) + 1 + len(sent) > limit:
            rest = ss[i:]
            break
        head = f"{head} {sent}".strip()
    if len(head) > limit and len(ss) > 1 and len(ss[-1]) <= 200:
        return ss[-1], " ".join(ss[:-1])     # a long finding then a short conclusion: the conclusion leads
    if len(head) > limit:         # one long sentence: a cut lead, the whole reasoning below it
        return brief(head, limit), why
    return head, " ".join(rest)


def _evidence(c: _Claim, shown: str) -> list[str]:
    rec, out = c.rec, []
    if c.method == "weigh":
        from evidence.claims import study_name

        return statements(rec, {study_name(r, journal=False): c.names[s] for s, r in c.srcs.items()})
    if rec is not None and rec.value is not None and c.recomputed:
        label = {"pooled": "Pooled from the trials' own counts", "effect": "Recomputed from the trial's counts",
                 "proportion": "Recomputed from the study's counts", "nnt": "Recomputed",
                 "estimate": "As the source prints it", "prevalence": "As the survey reports it",
                 "fact": "As the source states it", "count": "As the source reports it"}.get(c.method, "Recomputed")
        out.append(f"{label}: {c.recomputed}.")
    elif rec is not None and rec.text and c.code != "misattributed" and tidy(str(rec.text))[:60] not in shown:
        said = tidy(str(rec.text).strip().rstrip("."))
        if c.kind:
            out.append(f"The source's own record: {vocab.word(c.kind, rec.text)}.")
        elif len(said) <= 40 and not re.search(r"[.!?]", said):     # a year, a journal, a design word
            out.append(f"The source's own record: {said}.")
        else:
            out.append(f"The source says: {quoted(said, 400)}")
    return out


def quoted(text: str, limit: int) -> str:
    """“text” cut to about ``limit`` characters, ending with one full stop or an ellipsis."""
    t = brief(tidy(str(text)).strip(), limit)
    return f"“{t if t.endswith(('…', '?', '!')) else t.rstrip('.') + '.'}”"


def _correction(c: _Claim, why: str) -> str:
    code, rec, first = c.code, c.rec, c.first
    by = f" ({first})" if first else ""
    if code == "accurate":
        return ""
    if code in ("unsupported", "unverifiable"):
        if _get(c.claim_row, "claimed_value") is None and _get(c.claim_row, "claimed_low") is None:
            return "Remove the claim, or cite a source that supports it."       # a statement, not a figure
        return "Remove the figure, or cite a source that reports it."
    if code == "mixed":
        return "Say that the evidence is mixed, and what the studies on each side found."
    if code == "accurate_missing_context":
        src = next(iter(c.srcs.values()), None)
        short = study_brief(src) if src is not None else ""
        return (f"Keep the figure and say where it comes from: {first} ({short})." if short
                else f"Keep the figure and name its source: {first}." if first
                else "Keep the figure and say how small the evidence is.")
    if c.hand_set and code in ("misattributed", "contradicted") and c.row.get("reason"):
        r = c.words(c.reason.removeprefix("Set by hand: "))
        return f"Say that {r[:1].lower() + r[1:] if not r[:2].isupper() else r}"      # the hand-set reason, as advice
    if code == "misattributed" and _get(c.claim_row, "described_source") in c.srcs:
        src = c.srcs[_get(c.claim_row, "described_source")]
        return f"Cite the study it describes: {cite(src)['short']}" + (
            f", {_get(src, 'journal')}." if _get(src, "journal") else ".")
    if code == "misattributed" and rec is not None and rec.text:
        what = {"diagnosis": "population", "route": "route", "design": "design"}.get(c.args.get("field", ""), "record")
        text = vocab.word(c.kind, rec.text) if c.kind else tidy(str(rec.text))
        if len(text) > 120:
            return f"Say what the source says: {quoted(text, 160)}{by}"
        return f"Give the source's own {what}: {text.rstrip('.')}{by}."
    if c.method == "weigh":
        return "Say what the sources support, in their own words."
    if c.method in ("effect", "proportion") and arms(c.db, c.args):
        found = arms(c.db, c.args).split(": ", 1)[-1]
        return f"Say what the {'trial' if c.method == 'effect' else 'study'} found: {found}{by}."
    if c.recomputed and rec is not None and rec.value is not None:
        return f"Say what the evidence gives: {c.recomputed}{by}."
    if rec is not None and rec.text:
        return f"Say what the source says: {quoted(rec.text, 200)}{by}"
    return ""


def suggested_wording(c: _Claim, why: str) -> str:
    """The engine's pasteable wording (``correction``) when it is one; else the card's own. A hand-set
    verdict's ``correction`` repeats its reason, which is not a wording."""
    eng = c.row.get("correction")
    if isinstance(eng, str) and eng.strip() and c.code != "accurate" and eng.strip() != c.reason:
        return brief(tidy(eng.strip()), 360)
    return _correction(c, why)


def claim_card_data(row: Mapping, db, params: Mapping | None = None, claim_row: Mapping | None = None) -> dict:
    """Everything a claim card shows, in words. ``row``: one row of :func:`evidence.claims.evaluate_all`;
    ``claim_row``: the curated data/claims.csv row (looked up when not given)."""
    from evidence.verdicts import SCALE

    c = _claim(row, db, params, claim_row)
    cid, aid, code = str(row["claim_id"]), str(row["article"]), c.code
    v = vocab.VERDICTS[code]
    if c.hand_set and isinstance(row.get("reason"), str) and row.get("reason"):
        # the engine's plain lead, then its statistics (review item 17)
        why = lead(c.words(c.reason))[0]
        detail = row.get("reason_detail")
        more = c.words(detail) if isinstance(detail, str) else ""
    else:
        why, more = lead(_why(c))
    full = more if more and "…" in why[-3:] else ""       # a cut lead: the whole reasoning goes under "How it was checked"
    evidence = _evidence(c, f"{why} {more}")
    if c.method in ("effect", "proportion", "nnt"):
        a = arms(db, c.args)
        if a:
            evidence.append(a[0].upper() + a[1:] + ".")
    studies = []
    for s, r in c.srcs.items():
        ct = cite(r)
        words = source_words(r)
        rw = ct["read_what"] if ct["read_what"] and ct["read_what"] not in words else ""
        studies.append({"cite_html": ct["html"], "words": words, "read_what": rw, "anchor": f"source-{s}"})
    rule_text = SCALE.get(code, ("", 0, ""))[2]
    return {
        "id": cid, "anchor": f"claim-{cid}", "article": aid, "quote": str(row["quote"]), "quote_words": "",
        "type": vocab.word("claim_type", row.get("claim_type")), "type_code": str(row.get("claim_type") or ""),
        "verdict": code, "label": v.label, "symbol": v.symbol, "holds": bool(v.holds), "severity": v.severity,
        "why": why, "why_more": "" if full else more, "why_full": full, "evidence": evidence, "studies": studies,
        "correction": suggested_wording(c, why),
        "certainty": tidy(str(row.get("certainty") or "")),
        "rule": strip_search_log(rule_text) if "search_note" in rule_text else rule_text,
        "spec": c.spec, "hand_set": c.hand_set, "depth": str(row.get("depth") or ""), "href": permalink(aid, cid),
    }
