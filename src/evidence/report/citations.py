"""Sources as people cite them: 'Taylor et al. 2018, *Neuropsychopharmacology*', linked to the DOI or
PubMed record, with the copy actually read shown as "read via …" and never as the name.

Works on rows of data/sources.csv (``authors/title/volume/pages/read_via/read_what`` and, where
those are missing, ``citation``, ``year``, ``journal`` and ``url``).
"""
from __future__ import annotations

import html
import re
from typing import Any, Mapping
from urllib.parse import urlparse

from evidence import fmt, vocab

__all__ = ["cite", "short_name", "author_short", "source_words", "study_brief"]

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


# ------------------------------------------------------------------ sources as people cite them

_PERSON = re.compile(r"^(?:[a-z]{1,4} )*[A-ZÀ-Þ][A-Za-zÀ-ÿ'’\-]+(?: [a-z]{1,4})*(?: [A-ZÀ-Þ][A-Za-zÀ-ÿ'’\-]+)* [A-Z]{1,5}$")


def _authors(src: Mapping) -> str:
    a = _get(src, "authors")
    if a:
        return str(a).strip()
    c = str(_get(src, "citation") or "")
    head = c.split(". ", 1)[0].strip() if c else ""
    title = str(_get(src, "title") or "")
    if head and title and head[:20].lower() == title[:20].lower():
        return ""          # an unsigned piece: its citation opens with the title, so the journal names it
    return head


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
    if via:   # "DailyMed / FDA (via fda.report)" beside "(read via fda.report)": name the copy once
        journal = re.sub(rf"\s*\(via {re.escape(via)}\)", "", journal).strip()
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
    control = _control(src)
    if control:
        parts.append(control)
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
    pop = str(_get(src, "population") or "").strip()
    pop = re.sub(r"(?i)^n/?a\s*\((.+)\)$", r"\1", pop).replace(">=", "≥").replace("<=", "≤")
    if pop and pop.lower() not in ("na", "n/a"):
        s += ("; " if s else "") + pop
    return s


def _control(src: Mapping) -> str:
    """The control group in words: 'saline placebo', 'no control group'; '' where none applies
    ('n/a (evidence hierarchy)' gives 'evidence hierarchy')."""
    control = str(_get(src, "control") or "").strip()
    m = re.fullmatch(r"(?i)n/?a\s*\((.+)\)", control)
    if m:
        return m.group(1)
    if control.lower() in ("na", "n/a"):
        return ""
    if not control or control.lower().startswith("none"):
        return "no control group" if _get(src, "kind") in ("trial", "observational") else ""
    return control if "_" not in control else vocab.word("design", control)


def study_brief(src: Mapping) -> str:
    """A study in a few words, for a suggested wording: 'open-label study, n = 12, no control group',
    'meta-analysis', 'fact sheet'."""
    design = _get(src, "design")
    parts = [vocab.word("design", design)] if design and design != "other" else []
    n = _get(src, "n_analysed") or _get(src, "n_randomized")
    if n is not None and design not in vocab.NOT_GRADED_DESIGNS and design not in ("meta_analysis", "systematic_review"):
        parts.append(fmt.n(n))
    if _control(src) == "no control group":
        parts.append("no control group")
    return ", ".join(parts)
