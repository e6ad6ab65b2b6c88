"""What readers see of the verdicts: claim cards, the article annotated, the claim explorer, sources.

The verdict engine (:mod:`evidence.claims`) gives one row per claim; this module turns a row into
the words and numbers a reader sees, through :mod:`evidence.vocab` (codes) and :mod:`evidence.fmt`
(numbers), and renders them with the Jinja templates in ``templates/site/``. The notebooks
``article.ipynb`` and ``claims.ipynb`` call it; nothing here computes a verdict.

Every claim card carries ``id="claim-<claim_id>"``: that is the permalink the ClaimReview export
and ``claims.csv`` point to (:func:`permalink`).
"""
from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Any, Iterable, Mapping
from urllib.parse import urlparse

from evidence import fmt, vocab

__all__ = ["article_page", "explorer", "sources_page", "cite", "permalink", "article_identity",
           "claim_card_data", "bar_data", "bottom_line", "annotate", "checked_date", "article_page_name"]


#: the Jinja templates this module renders (the same directory render.py uses; no import of render)
TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"

# ------------------------------------------------------------------ small helpers

def _get(row: Any, key: str) -> Any:
    try:
        v = row.get(key) if hasattr(row, "get") else None
    except Exception:  # noqa: BLE001
        return None
    if v is None:
        return None
    try:
        import pandas as pd

        if not isinstance(v, (list, tuple, dict)) and pd.isna(v):
            return None
    except (TypeError, ValueError):
        pass
    if isinstance(v, str) and not v.strip():
        return None
    return v


def _int(v) -> int | None:
    try:
        return None if v is None else int(float(v))
    except (TypeError, ValueError):
        return None


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


def checked_date(data_dir: Path | str) -> str:
    """The date the claims were last checked: the last commit that touched data/ (deterministic),
    else the build date (SOURCE_DATE_EPOCH)."""
    import subprocess

    try:
        out = subprocess.run(["git", "log", "-1", "--format=%cs", "--", str(data_dir)], capture_output=True,
                             text=True, cwd=str(data_dir), timeout=10).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        out = ""
    if not out:
        from evidence.claims_cli import build_date

        out = build_date()
    return out


def long_date(iso: str) -> str:
    """'2026-12-01' -> '1 December 2026' (as written; anything else unchanged)."""
    m = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", str(iso or ""))
    if not m:
        return str(iso or "")
    months = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
              "October", "November", "December"]
    return f"{int(m.group(3))} {months[int(m.group(2)) - 1]} {m.group(1)}"


# ------------------------------------------------------------------ sources as people cite them

_PERSON = re.compile(r"^(?:[a-z]{1,4} )*[A-ZÀ-Þ][A-Za-zÀ-ÿ'’\-]+(?: [a-z]{1,4})*(?: [A-ZÀ-Þ][A-Za-zÀ-ÿ'’\-]+)* [A-Z]{1,5}$")


def _authors(src: Mapping) -> str:
    a = _get(src, "authors")
    if a:
        return str(a).strip()
    c = str(_get(src, "citation") or "")
    return c.split(". ", 1)[0].strip() if c else ""


def author_short(src: Mapping) -> str:
    """'Taylor et al.', 'Glue and Neehoff', or an organisation's name."""
    a = _authors(src)
    if not a:
        return ""
    names = [x.strip() for x in a.split(",") if x.strip()]
    etal = any(x.lower().startswith("et al") for x in names)
    people = [x for x in names if not x.lower().startswith("et al")]
    if people and all(_PERSON.match(x) for x in people):
        surnames = [x.rsplit(" ", 1)[0] for x in people]
        if len(surnames) == 1 and not etal:
            return surnames[0]
        if len(surnames) == 2 and not etal:
            return f"{surnames[0]} and {surnames[1]}"
        return f"{surnames[0]} et al."
    return a


def _year(src: Mapping) -> str:
    y = _int(_get(src, "year"))
    return str(y) if y else ""


def _journal(src: Mapping) -> str:
    j = str(_get(src, "journal") or "").strip()
    return j


def short_name(src: Mapping) -> str:
    """How a claim card names a source: 'Taylor et al. 2018', 'Mental Health America'."""
    who = author_short(src) or _journal(src) or "an unnamed source"
    y = _year(src)
    return f"{who} {y}" if y and y not in who else who


def _host(url: str | None) -> str:
    if not url:
        return ""
    try:
        h = urlparse(str(url)).hostname or ""
    except ValueError:
        return ""
    return h[4:] if h.startswith("www.") else h


_ARCHIVES = {"web.archive.org", "archive.org", "archive.ph", "archive.today", "webcache.googleusercontent.com"}


def cite(src: Mapping) -> dict:
    """A source as people cite it.

    ``{"short": "Taylor et al. 2018", "journal": "Neuropsychopharmacology", "title": ..., "href":
    the DOI / PubMed record / the publisher's page, "read_via": host of the copy actually read
    when it is not that record, "read_what": "abstract only" | ..., "html": the citation as HTML}``.
    Works with the ``authors/title/volume/pages/read_via/read_what`` columns of sources.csv and,
    where they are missing, with ``citation``, ``year``, ``journal`` and ``url``.
    """
    doi, pmid = _get(src, "doi"), _int(_get(src, "pmid"))
    url = _get(src, "url")
    read_via_url = _get(src, "read_via")
    has_canonical = "read_via" in getattr(src, "index", getattr(src, "keys", lambda: [])())
    if doi:
        href = f"https://doi.org/{doi}"
    elif pmid:
        href = f"https://pubmed.ncbi.nlm.nih.gov/{pmid}/"
    else:
        href = str(url) if url else ""
    if not read_via_url and not has_canonical:
        read_via_url = url        # before sources.csv had read_via, ``url`` was the copy read
    via = _host(read_via_url)
    if via and (via == _host(href) or (read_via_url and str(read_via_url).rstrip("/") == href.rstrip("/"))):
        via = ""
    if via in ("doi.org", "dx.doi.org"):
        via = ""
    if not via and not has_canonical and _host(href) in _ARCHIVES:
        via = _host(href)      # the only address known is an archive's copy: say so
    journal = _journal(src)
    title = str(_get(src, "title") or "")
    short = short_name(src)
    rw = _get(src, "read_what")
    read_what = vocab.word("read_what", rw) if rw else ""
    who = author_short(src)
    same = journal and who and (journal in short or journal.lower().startswith(who.lower()))
    jhtml = f", <i>{html.escape(journal)}</i>" if journal and not same else ""
    name_html = f"{html.escape(short)}{jhtml}"
    linked = f'<a href="{html.escape(href)}">{name_html}</a>' if href else name_html
    via_html = f' <span class="ev-read-via">(read via {html.escape(via)})</span>' if via else ""
    return {"short": short, "journal": journal, "title": title, "href": href, "read_via": via,
            "read_via_url": str(read_via_url or ""), "read_what": read_what, "html": linked + via_html}


def source_words(src: Mapping) -> str:
    """'crossover trial, n = 18, saline placebo, IV 0.5 mg/kg over 40 minutes; adults with SAD'"""
    parts = []
    design = _get(src, "design")
    if design and design != "other":
        parts.append(vocab.word("design", design))
    n = _get(src, "n_analysed") or _get(src, "n_randomized")
    if n is not None and design not in vocab.NOT_GRADED_DESIGNS:
        parts.append(fmt.n(n))
    control = _get(src, "control")
    if control and control not in ("none", "na", "n/a"):
        parts.append(str(control) if "_" not in str(control) else vocab.word("design", control))
    elif _get(src, "kind") in ("trial", "observational"):
        parts.append("no control group")
    route = _get(src, "route")
    if route and route != "na":
        r = vocab.word("route", route)
        dose = _get(src, "dose_mg_per_kg")
        if dose:
            ds = [fmt.num(float(d)) for d in str(dose).split(";") if d.strip()]
            r += f" {'/'.join(ds)} mg/kg"
        if _get(src, "infusion_min"):
            r += f" over {fmt.duration(float(_get(src, 'infusion_min')), 'minutes')}"
        parts.append(r)
    s = ", ".join(p for p in parts if p)
    pop = _get(src, "population")
    if pop:
        s += ("; " if s else "") + str(pop)
    return s


# ------------------------------------------------------------------ numbers in words

def recomputed_words(rec) -> str:
    """A :class:`evidence.verdicts.Recomputed` in words ("OR 28.9 (95% CI 3.45 to 243)", "40 minutes")."""
    if rec is None:
        return ""
    if rec.value is None:
        return str(rec.text or "")
    unit = rec.unit
    kind = vocab.unit_kind(unit) if unit else ""
    if rec.measure in ("OR", "RR", "RD", "SMD", "MD", "NNT", "NNH"):
        return fmt.ci(rec.value, rec.low, rec.high, measure=rec.measure)
    if unit == "%" or rec.measure == "pct":
        return fmt.ci(rec.value, rec.low, rec.high, percent=True)
    if kind in ("duration", "calendar"):
        s = fmt.duration(rec.value, unit)
        if rec.low is not None and rec.high is not None:
            s += f" (95% CI {fmt.duration(rec.low, unit)} to {fmt.duration(rec.high, unit)})"
        return s
    if unit in ("people", "participants", "adults", "patients"):
        return fmt.count(rec.value, unit)
    if unit:
        return f"{fmt.num(rec.value)} {vocab.unit_label(unit, rec.value)}".strip()
    return fmt.ci(rec.value, rec.low, rec.high)


def _arms(db, args: Mapping) -> str:
    """'6 of 18 (33%) responded on ketamine, 0 of 18 (0%) on saline placebo' from an outcomes row."""
    oid = args.get("outcome")
    if not oid or oid not in db.outcomes.index:
        return ""
    o = db.outcomes.loc[oid]
    et, nt, ec, nc = (_get(o, k) for k in ("events_treat", "n_treat", "events_ctrl", "n_ctrl"))
    what = str(_get(o, "outcome") or "met the outcome")
    what = what.replace("_", " ")
    at = str(_get(o, "arm_treat") or "ketamine")
    s = ""
    if et is not None and nt is not None:
        s = f"{fmt.ratio_of(et, nt)} on {at}"
    if ec is not None and nc is not None and _get(o, "arm_ctrl"):
        s += f", {fmt.ratio_of(ec, nc)} on {_get(o, 'arm_ctrl')}"
    if s and _get(o, "timepoint"):
        s += f" ({str(_get(o, 'timepoint')).replace('_', ' ')})"
    return f"{what}: {s}" if s else ""


def _strip_search_log(note: str) -> str:
    """The finding of a search note without the log of queries run."""
    keep = []
    for sent in re.split(r"(?<=[.;])\s+", str(note or "")):
        if re.match(r"(?i)\s*(searched|search(es)? (in|of|run)|only abstracts|full text not readable|"
                    r"no .* is in the corpus)", sent) or "pages corpus" in sent or "_" in sent:
            continue
        keep.append(sent)
    return " ".join(keep).strip()


def brief(text: str, limit: int = 280) -> str:
    """The first sentences of ``text`` up to about ``limit`` characters ("…" when cut)."""
    t = re.sub(r"\s+", " ", str(text or "")).strip()
    if len(t) <= limit:
        return t
    out = ""
    for sent in re.split(r"(?<=[.!?])\s+(?=[A-Z“‘'\"(])", t):
        if out and len(out) + 1 + len(sent) > limit:
            break
        out = f"{out} {sent}".strip()
    if len(out) > limit or not out:
        out = t[:limit].rsplit(" ", 1)[0].rstrip(",;:")
        if out.count("(") > out.count(")"):           # do not end inside a parenthesis
            out = out[:out.rindex("(")].rstrip(" ,;:")
        out += "…"
    return out if out.endswith(("…", ".", "!", "?")) else out + " …"


def _clean_words(text: str) -> str:
    """Engine text shown to readers: codes joined with ';' become words."""
    return re.sub(r"\b([A-Za-z]+(?:;[A-Za-z]+)+)\b", lambda m: vocab.word("diagnosis", m.group(1)), str(text))


# ------------------------------------------------------------------ claim cards

def claim_card_data(row: Mapping, db, params: Mapping | None = None, claim_row: Mapping | None = None) -> dict:
    """Everything a claim card shows, in words. ``row``: one row of :func:`evidence.claims.evaluate_all`;
    ``claim_row``: the curated data/claims.csv row (looked up when not given)."""
    from evidence.claims import recompute
    from evidence.spec import parse_recompute
    from evidence.verdicts import DEFAULT_PARAMS, SCALE

    cid = str(row["claim_id"])
    aid = str(row["article"])
    v = vocab.VERDICTS[row["verdict"]]
    if claim_row is None:
        cl = db.claims if hasattr(db, "claims") else None
        claim_row = cl.loc[cid] if cl is not None and cid in cl.index else {}
    p = dict(DEFAULT_PARAMS)
    p.update(params or {})
    try:
        rec = recompute(dict(claim_row), db, p) if claim_row is not None and len(claim_row) else None
    except Exception:  # noqa: BLE001 - the card still shows the engine's words
        rec = None
    spec = str(_get(claim_row, "recompute") or "none")
    try:
        method, args = parse_recompute(spec)
    except Exception:  # noqa: BLE001
        method, args = "none", {}
    sids = [s for s in (row.get("source_ids") or []) if s in db.sources.index]
    srcs = {s: db.sources.loc[s] for s in sids}
    names = {s: short_name(r) for s, r in srcs.items()}

    def words(text: str) -> str:
        t = str(text or "")
        for s in sorted(names, key=len, reverse=True):
            t = re.sub(rf"\b{re.escape(s)}\b", names[s], t)
        return _clean_words(t)

    recomputed = recomputed_words(rec) if rec is not None else ""
    kind = {"diagnosis": "diagnosis", "route": "route", "design": "design", "blinding": "blinding"}.get(
        args.get("field", "")) if method == "attribute" else None
    expl = str(row.get("explanation") or "")
    reason = str(row.get("reason") or expl.split(" Recomputed: ")[0]).strip()   # the engine's verdict in words
    hand = bool(row.get("hand_set")) or reason.startswith("Set by hand: ")
    code = row["verdict"]
    why = ""
    if hand:        # the hand-set verdict's plain lead; its statistics go under "How it was checked"
        why = reason.removeprefix("Set by hand: ")
    elif code == "accurate":
        why = f"The evidence gives {recomputed}, which matches the claim." if recomputed and rec is not None \
            and rec.value is not None else "The source says what the claim says."
    elif code == "accurate_missing_context":
        flags = [words(f) for f in (row.get("flags") or [])]
        flags = [re.sub(r"\(n=(\d+)\)", lambda m: f"({fmt.n(m.group(1))})", f) for f in flags]
        flags = [re.sub(r"\(95% CI ([\d.]+) to ([\d.]+)\)",
                        lambda m: f"(95% CI {fmt.num(float(m.group(1)))} to {fmt.num(float(m.group(2)))})", f)
                 for f in flags]
        why = ("The figure matches, but the wording leaves out that " + vocab.join_words(flags) + "."
               if flags else "The figure matches, but the wording leaves out how thin the evidence is.")
    elif code == "unsupported":
        note = _strip_search_log(_get(claim_row, "search_note") or "")
        why = "No source that reports this was found." + (f" {words(note)}" if note else "")
    elif code == "unverifiable":
        note = _strip_search_log(_get(claim_row, "search_note") or "")
        why = "The source the article names cannot be identified." + (f" {words(note)}" if note else "")
    elif code == "misattributed" and method == "attribute" and rec is not None:
        said = _get(claim_row, "claimed_text") or row.get("claimed")
        said = vocab.word(kind, said) if kind and said else said
        has = vocab.word(kind, rec.text) if kind else rec.text
        why = f"The article says {said}; the source's own record says {has}."
    elif code in ("overstated", "understated"):
        word = "stronger" if code == "overstated" else "weaker"
        why = (f"The claim is {word} than the evidence, which gives {recomputed}."
               if recomputed else words(reason))
    else:
        why = words(reason)
    why = why.strip()
    if why and not why.endswith((".", "!", "?", "”", "'", "’")):
        why += "."
    why_full = ""
    if len(why) > 320:          # one plain sentence on the card; the whole reasoning under "How it was checked"
        why_full, why = why, brief(why, 260)
    if hand and row.get("reason_detail"):
        why_full = f"{why_full or why} {row['reason_detail']}"

    evidence = []
    if rec is not None and rec.value is not None and recomputed:
        label = {"pooled": "Pooled from the trials' own counts", "effect": "Recomputed from the trial's counts",
                 "proportion": "Recomputed from the study's counts", "nnt": "Recomputed",
                 "estimate": "As the source prints it", "prevalence": "As the survey reports it",
                 "fact": "As the source states it", "count": "As the source reports it"}.get(method, "Recomputed")
        evidence.append(f"{label}: {recomputed}.")
    elif rec is not None and rec.text and code not in ("misattributed",) and str(rec.text)[:60] not in (why_full or why):
        said = vocab.word(kind, rec.text) if kind else brief(str(rec.text).strip().rstrip("."), 400).rstrip(".")
        evidence.append(f"The source's own record: {said}." if kind else f"The source says: “{said}.”")
    arms = _arms(db, args) if method in ("effect", "proportion", "nnt") else ""
    if arms:
        evidence.append(arms[0].upper() + arms[1:] + ".")
    studies = []
    for s, r in srcs.items():
        c = cite(r)
        studies.append({"cite_html": c["html"], "words": source_words(r), "read_what": c["read_what"],
                        "anchor": f"source-{s}"})

    correction = ""
    if code not in ("accurate",):
        if code in ("unsupported", "unverifiable"):
            correction = "Remove the figure, or cite a source that reports it."
        elif code == "misattributed" and why:
            correction = "Give the source's own " + (
                {"diagnosis": "population", "route": "route", "design": "design"}.get(args.get("field", ""), "record")
            ) + f": {vocab.word(kind, rec.text) if rec is not None and kind else (rec.text if rec else '')}" + (
                f" ({names[sids[0]]})." if sids else ".")
        elif code == "accurate_missing_context":
            first = srcs[sids[0]] if sids else None
            ctx = source_words(first) if first is not None else ""
            correction = (f"Keep the figure and say where it comes from: {names[sids[0]]}, {ctx}."
                          if first is not None and ctx else "Keep the figure and say how small the evidence is.")
        elif code == "mixed":
            correction = "Say that the evidence is mixed, and what the studies on each side found."
        elif recomputed and len(recomputed) <= 160:
            correction = f"Say what the evidence gives: {recomputed}" + (f" ({names[sids[0]]})." if sids else ".")
        elif rec is not None and (rec.text or recomputed):
            first = brief(str(rec.text or recomputed).strip(), 200).rstrip(".")
            correction = f"Say what the source says: “{first}.”" + (f" ({names[sids[0]]})" if sids else "")
    rule_text = SCALE.get(code, ("", 0, ""))[2]
    rule_text = _strip_search_log(rule_text) if "search_note" in rule_text else rule_text
    return {
        "id": cid, "anchor": f"claim-{cid}", "article": aid, "quote": str(row["quote"]),
        "type": vocab.word("claim_type", row.get("claim_type")), "type_code": str(row.get("claim_type") or ""),
        "verdict": code, "label": v.label, "symbol": v.symbol, "holds": bool(v.holds), "severity": v.severity,
        "why": why, "why_full": why_full, "evidence": evidence, "studies": studies, "correction": correction,
        "certainty": _clean_words(str(row.get("certainty") or "")).replace("n≤", "n ≤ "),
        "rule": rule_text, "spec": spec, "hand_set": hand,
        "href": permalink(aid, cid),
    }


# ------------------------------------------------------------------ verdict bars and bottom lines

def bar_data(counts: Mapping[str, int]) -> list[dict]:
    """Segments of a stacked verdict bar: the verdicts that hold first, then each failing verdict."""
    order = ["accurate", "accurate_missing_context"] + [c for c in vocab.VERDICT_ORDER
                                                        if c in vocab.FAILING]
    total = sum(int(counts.get(c, 0) or 0) for c in order)
    out = []
    for c in order:
        n = int(counts.get(c, 0) or 0)
        if n:
            v = vocab.VERDICTS[c]
            out.append({"code": c, "label": v.label, "symbol": v.symbol, "n": n,
                        "pct": round(100 * n / total, 2) if total else 0})
    return out


def bottom_line(counts: Mapping[str, int]) -> str:
    """One plain sentence: how many claims hold and how many do not, and how."""
    n = sum(int(x or 0) for x in counts.values())
    acc, ctx = int(counts.get("accurate", 0) or 0), int(counts.get("accurate_missing_context", 0) or 0)
    holds = acc + ctx
    fail = [(c, int(counts.get(c, 0) or 0)) for c in vocab.VERDICT_ORDER if c in vocab.FAILING and counts.get(c)]
    n_fail = sum(k for _, k in fail)
    if not n:
        return "No claim of this article has been checked yet."
    hold_part = f"{holds} of {fmt.count(n, 'checked claim')} {'holds' if holds == 1 else 'hold'} up"
    if acc and ctx:
        hold_part += f" ({acc} accurate, {ctx} accurate but missing context)"
    elif ctx:
        hold_part += " (accurate but missing context)" if ctx > 1 else ""
    if not n_fail:
        return hold_part + "; none fails."
    fail_words = vocab.join_words([f"{k} {vocab.VERDICTS[c].short or vocab.VERDICTS[c].label.lower()}" for c, k in fail])
    return f"{hold_part}; {n_fail} {'does' if n_fail == 1 else 'do'} not: {fail_words}."


def article_identity(db, article_id: str) -> dict:
    """Title, who published it and a description, as the article's own text gives them."""
    a = db.articles.loc[article_id]
    title = str(_get(a, "title") or "").strip()
    text = article_text(db, article_id)
    untitled = not title or title.lower().startswith("[untitled]")
    if untitled:
        first = re.sub(r"\s+", " ", text.strip())[:80].rsplit(" ", 1)[0] if text.strip() else ""
        title = "An untitled blog post about ketamine for anxiety"
        desc = f"It opens: “{first}…”" if first else ""
    else:
        desc = ""
    publisher = _get(a, "publisher")
    date = _get(a, "date")
    site = f"Blog post by {publisher}" if publisher else "Blog post; the publisher is not named in the text"
    site += f", dated {long_date(str(date))}" if date else ", undated"
    return {"title": title, "site": site, "description": desc, "publisher": str(publisher or ""),
            "date": str(date or ""), "untitled": untitled}


def article_text(db, article_id: str) -> str:
    a = db.articles.loc[article_id]
    f = _get(a, "file")
    if not f:
        return ""
    p = Path(db.data_dir) / str(f)
    return p.read_text(encoding="utf-8") if p.is_file() else ""


# ------------------------------------------------------------------ the article, annotated

def locate(text: str, quote: str) -> tuple[int, int] | None:
    """Where ``quote`` is in ``text``: exact, then with quotes, dashes, case and runs of spaces folded (the one
    matcher ``evidence check`` uses too, :func:`evidence.check.matching.locate`)."""
    from evidence.check.matching import locate as folded_locate

    i = text.find(quote)
    if i >= 0:
        return i, i + len(quote)
    return folded_locate(quote, text)


def annotate(text: str, cards: list[dict]) -> tuple[str, list[str]]:
    """The article's text as HTML paragraphs with every located claim highlighted as a link to its
    card; returns (html, ids of claims whose quote could not be located)."""
    spans, missing = [], []
    for c in cards:
        loc = locate(text, c["quote"])
        if loc is None:
            missing.append(c["id"])
        else:
            spans.append((loc[0], loc[1], c))
    # overlapping quotes: keep the earlier (then longer) one whole, drop overlaps into the list of misses
    spans.sort(key=lambda s: (s[0], -(s[1] - s[0])))
    kept, last_end = [], -1
    for s in spans:
        if s[0] < last_end:
            # nested or overlapping: mark the later claim after the outer one instead
            kept.append((last_end, last_end, s[2]))
            continue
        kept.append(s)
        last_end = s[1]
    out, pos = [], 0
    for start, end, c in kept:
        out.append(html.escape(text[pos:start]))
        inner = html.escape(text[start:end])
        title = html.escape(f"{c['label']}: {c['why']}")
        cls = f"ev-hl ev-v-{c['verdict']}"
        if start == end:
            out.append(f'<a class="{cls}" href="#{c["anchor"]}" data-claim-ref="{c["id"]}" title="{title}">'
                       f'<sup>{html.escape(c["symbol"])} {html.escape(c["label"])}</sup></a>')
        else:
            out.append(f'<a class="{cls}" href="#{c["anchor"]}" data-claim-ref="{c["id"]}" title="{title}">'
                       f'{inner}<sup aria-label="{html.escape(c["label"])}">{html.escape(c["symbol"])}</sup></a>')
        pos = max(pos, end)
    out.append(html.escape(text[pos:]))
    body = "".join(out)
    # one line of the stored text is one paragraph (the texts keep a paragraph per line)
    paras = [p.strip() for p in body.split("\n") if p.strip()]
    return "".join(f"<p>{p}</p>" for p in paras), missing


# ------------------------------------------------------------------ pages (HTML fragments for notebooks)

_ENV = None


def _env():
    global _ENV
    if _ENV is None:
        import jinja2

        _ENV = jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES_DIR / "site")),
                                  autoescape=True, trim_blocks=True, lstrip_blocks=True,
                                  undefined=jinja2.StrictUndefined)
    return _ENV


def _render(name: str, **ctx) -> str:
    return _env().get_template(name).render(**ctx)


def review_body(card: Mapping) -> str:
    """A claim card in one paragraph of plain words (the ClaimReview ``reviewBody``)."""
    parts = [card["why"], *card["evidence"]]
    if card.get("correction"):
        parts.append(f"Suggested wording: {card['correction']}")
    return " ".join(p.strip() for p in parts if p and p.strip())


def claim_cards(db, claims, params: Mapping | None = None) -> list[dict]:
    """Every claim of ``claims`` (rows of :func:`evidence.claims.evaluate_all`) as card data."""
    return _cards(db, claims, params)


def _cards(db, claims, params) -> list[dict]:
    cl = db.table("claims")
    rows = {r["claim_id"]: r for r in cl.records}
    return [claim_card_data(r, db, params, rows.get(r["claim_id"], {})) for _, r in claims.iterrows()]


def _groups(cards: list[dict]) -> list[dict]:
    out = []
    for code in vocab.VERDICT_ORDER:
        cs = [c for c in cards if c["verdict"] == code]
        if cs:
            v = vocab.VERDICTS[code]
            out.append({"code": code, "label": v.label, "symbol": v.symbol, "holds": v.holds, "cards": cs})
    return out


def article_page(db, article_id: str, claims, params: Mapping | None = None, *,
                 order: Iterable[str] = ()) -> tuple[str, dict]:
    """The article page's verdict card, claims that fail, the article annotated and claims that hold.
    Returns (HTML, facts for the results JSON: counts, unlocated quotes)."""
    ident = article_identity(db, article_id)
    cards = _cards(db, claims, params)
    counts = {c: 0 for c in vocab.VERDICTS}
    for c in cards:
        counts[c["verdict"]] += 1
    text = article_text(db, article_id)
    annotated, missing = annotate(text, cards) if text else ("", [c["id"] for c in cards])
    order = list(order)
    prev_a = nxt = None
    if article_id in order:
        i = order.index(article_id)
        prev_a = order[i - 1] if i > 0 else None
        nxt = order[i + 1] if i + 1 < len(order) else None
    pager = {k: ({"href": f"{article_page_name(a)}.html", "title": article_identity(db, a)["title"]} if a else None)
             for k, a in (("prev", prev_a), ("next", nxt))}
    groups = _groups(cards)
    html_out = _render("article.html.j2", ident=ident, checked=long_date(checked_date(db.data_dir)),
                       bottom=bottom_line(counts), segments=bar_data(counts), n=len(cards),
                       failing=[g for g in groups if not g["holds"]], holding=[g for g in groups if g["holds"]],
                       n_fail=sum(len(g["cards"]) for g in groups if not g["holds"]),
                       annotated=annotated, missing=missing, pager=pager, show_article=False)
    return html_out, {"verdict_counts": {k: v for k, v in counts.items() if v}, "unlocated_quotes": missing,
                      "bottom_line": bottom_line(counts), "title": ident["title"], "site": ident["site"]}


def explorer(db, claims, params: Mapping | None = None) -> str:
    """Every claim as a card, grouped by article, with filters (article, verdict, claim type, text)
    that report.js switches on; without JavaScript the page lists every claim."""
    cards = _cards(db, claims, params)
    idents = {a: article_identity(db, a) for a in dict.fromkeys(c["article"] for c in cards)}
    for c in cards:
        c["href"] = permalink(c["article"], c["id"])
        c["article_title"] = idents[c["article"]]["title"]
    types = sorted({(c["type_code"], c["type"]) for c in cards}, key=lambda t: t[1])
    verdicts = [(code, vocab.VERDICTS[code]) for code in vocab.VERDICT_ORDER if any(c["verdict"] == code for c in cards)]
    arts = []
    for a, ident in idents.items():
        cs = [c for c in cards if c["article"] == a]
        counts = {}
        for c in cs:
            counts[c["verdict"]] = counts.get(c["verdict"], 0) + 1
        arts.append({"id": a, "ident": ident, "cards": cs, "bar": bar_data(counts), "bottom": bottom_line(counts),
                     "href": f"{article_page_name(a)}.html"})
    return _render("explorer.html.j2", articles=arts, types=types, verdicts=verdicts, n=len(cards))


def caption(db, source_ids: Iterable[str], limit: int = 6) -> str:
    """A chart's source line: 'Sources: Taylor et al. 2018; Glue et al. 2017 and 2 more (see the cards above).'"""
    seen = [s for s in dict.fromkeys(source_ids) if s in db.sources.index]
    if not seen:
        return ""
    names = [short_name(db.sources.loc[s]) for s in seen]
    head = "; ".join(names[:limit])
    more = f" and {len(names) - limit} more (named on the claim cards)" if len(names) > limit else ""
    return f"Source{'s' if len(names) != 1 else ''}: {head}{more}."


def sources_page(db, claims) -> str:
    """Every source with its citation, design, n, what was read and which claims use it."""
    use: dict[str, list[tuple[str, str]]] = {}
    for _, r in claims.iterrows():
        for s in r.get("source_ids") or []:
            use.setdefault(s, []).append((str(r["claim_id"]), permalink(str(r["article"]), str(r["claim_id"]))))
    rows = []
    for sid, src in db.sources.iterrows():
        src = src.copy()
        src["source_id"] = sid
        c = cite(src)
        kind = vocab.word("source_kind", _get(src, "kind"))
        words = source_words(src)
        if words.lower().startswith(kind.lower()):
            words = words[len(kind):].lstrip(" ,;")
        rows.append({"anchor": f"source-{sid}", "cite": c, "title": c["title"] or "",
                     "words": words, "claims": use.get(sid, []), "kind": kind})
    rows.sort(key=lambda r: r["cite"]["short"].lower())
    return _render("sources.html.j2", sources=rows)
