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
from typing import Iterable, Mapping

from evidence import fmt, vocab
from evidence.report.cards import article_page_name, claim_card_data, permalink, site_templates
from evidence.report.citations import _get, cite, short_name, source_words

__all__ = ["article_page", "explorer", "sources_page", "cite", "permalink", "article_identity",
           "claim_card_data", "bar_data", "bottom_line", "annotate", "checked_date", "article_page_name"]


#: the Jinja templates this module renders (the same directory render.py uses; no import of render)
TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"

#: how a reader sees an article whose text gives no title (articles.csv says "[untitled] …")
UNTITLED = "An untitled blog post about ketamine for anxiety"


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
        title = UNTITLED
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


def _table_cell(text: str, start: int, end: int) -> tuple[int, int]:
    """A quote that is a whole markdown table row ("| Time to Effect | Weeks | Hours |") is marked
    on its last cell, so the highlight stays inside one cell of the rendered table."""
    seg = text[start:end]
    if "|" not in seg:
        return start, end
    cells = [m for m in re.finditer(r"[^|]+", seg) if m.group(0).strip()]
    if not cells:
        return start, end
    m = cells[-1]
    lead_ws = len(m.group(0)) - len(m.group(0).lstrip())
    return start + m.start() + lead_ws, start + m.start() + len(m.group(0).rstrip())


def _marker(c: dict, inner: str = "") -> str:
    title = html.escape(f"{c['label']}: {c['why']}").replace("|", "&#124;")
    cls = f"ev-hl ev-v-{c['verdict']}"
    ref = f'href="#{c["anchor"]}" data-claim-ref="{c["id"]}" title="{title}"'
    if not inner:
        return f'<a class="{cls} ev-nested" {ref}>{html.escape(c["symbol"])}</a>'
    return (f'<a class="{cls}" {ref}>{inner}<sup aria-label="{html.escape(c["label"])}">'
            f'{html.escape(c["symbol"])}</sup></a>')


def annotate(text: str, cards: list[dict]) -> tuple[str, list[str]]:
    """The article's text as HTML with every located claim highlighted as a link to its card;
    returns (html, ids of claims whose quote could not be located). A claim inside another one's
    words gets one small marker after it (all nested claims at one place share it)."""
    spans, missing = [], []
    for c in cards:
        loc = locate(text, c["quote"])
        if loc is None:
            missing.append(c["id"])
        else:
            spans.append((*_table_cell(text, *loc), c))
    spans.sort(key=lambda s: (s[0], -(s[1] - s[0])))
    kept, nested, last_end = [], {}, -1
    for s in spans:
        if s[0] < last_end:
            nested.setdefault(last_end, []).append(s[2])
            continue
        kept.append(s)
        last_end = s[1]
    out, pos = [], 0
    for start, end, c in kept:
        out.append(html.escape(text[pos:start]))
        out.append(_marker(c, html.escape(text[start:end])))
        if nested.get(end):
            out.append('<sup class="ev-nest">' + "".join(_marker(n) for n in nested[end]) + "</sup>")
        pos = end
    out.append(html.escape(text[pos:]))
    return _blocks("".join(out)), missing


_SHORTCODE = re.compile(r"\[/?[a-z][a-z0-9]*_[a-z0-9_]*(?:\s[^\]]*)?\]")


def _blocks(body: str) -> str:
    """Annotated text, one stored line per block, as HTML: page-builder shortcodes removed, a
    markdown table as a table, "- " lines as a list, short lines without a full stop as headings."""
    lines = [ln.strip() for ln in _SHORTCODE.sub("", body).split("\n")]
    out, i = [], 0
    while i < len(lines):
        ln = lines[i]
        if not ln:
            i += 1
            continue
        if ln.startswith("|") and ln.endswith("|"):
            rows = []
            while i < len(lines) and lines[i].startswith("|") and lines[i].endswith("|"):
                if not re.fullmatch(r"\|[\s:|-]+\|", lines[i]):
                    rows.append([x.strip() for x in lines[i][1:-1].split("|")])
                i += 1
            head, *rest = rows
            out.append('<div class="ev-scroll"><table class="ev-text-table"><thead><tr>'
                       + "".join(f"<th>{x}</th>" for x in head) + "</tr></thead><tbody>"
                       + "".join("<tr>" + "".join(f"<td>{x}</td>" for x in r) + "</tr>" for r in rest)
                       + "</tbody></table></div>")
            continue
        if ln.startswith(("- ", "* ", "• ")):
            items = []
            while i < len(lines) and lines[i].startswith(("- ", "* ", "• ")):
                items.append(lines[i][2:].strip())
                i += 1
            out.append("<ul>" + "".join(f"<li>{x}</li>" for x in items) + "</ul>")
            continue
        plain = re.sub(r"<[^>]+>", "", ln)
        if len(plain) <= 90 and not plain.rstrip().endswith((".", "!", "?", ":", ";", ",", "”", '"')) \
                and "<a " not in ln:
            out.append(f'<p class="ev-text-head">{ln}</p>')
        else:
            out.append(f"<p>{ln}</p>")
        i += 1
    return "".join(out)


# ------------------------------------------------------------------ pages (HTML fragments for notebooks)

def _render(name: str, **ctx) -> str:
    return site_templates().get_template(name).render(**ctx)


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
    cards = [claim_card_data(r, db, params, rows.get(r["claim_id"], {})) for _, r in claims.iterrows()]
    texts: dict[str, str] = {}
    for c in cards:
        if c["quote"].lstrip().startswith("|"):
            t = texts.setdefault(c["article"], article_text(db, c["article"]))
            c["quote_words"] = table_row_words(t, c["quote"])
    return cards


def table_row_words(text: str, row: str) -> str:
    """A quoted markdown table row in words, with its table's column heads:
    'Time to Effect: Weeks to months (Traditional Treatments); Hours to days (Ketamine Infusion Therapy)'."""
    cells = [x.strip() for x in row.strip().strip("|").split("|")]
    lines = text.split("\n")
    head = None
    for i, ln in enumerate(lines):
        if ln.strip() == row.strip():
            for j in range(i - 1, -1, -1):
                if not lines[j].strip().startswith("|"):
                    break
                if not re.fullmatch(r"\|[\s:|-]+\|", lines[j].strip()):
                    head = [x.strip() for x in lines[j].strip().strip("|").split("|")]
            break
    if not head or len(head) != len(cells) or len(cells) < 2:
        return "; ".join(cells)
    return f"{cells[0]}: " + "; ".join(f"{v} ({h})" for v, h in zip(cells[1:], head[1:]))


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


def changed_parameters(params: Mapping) -> str:
    """A sentence naming, in words, each setting of this build that differs from its default
    ("" when none does): "Built with settings other than the defaults: 'about', '~', 'nearly':
    relative tolerance … of the claimed figure: 0.05 instead of 0.1." Codes such as ``approx_rel_tol`` never show."""
    from evidence.params import PARAMS

    parts = []
    for k, v in params.items():
        p = PARAMS.get(k)
        if p is None or v == p.default:
            continue
        was = "not set" if p.default is None else fmt.num(p.default) if isinstance(p.default, (int, float)) else str(p.default)
        now = fmt.num(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else str(v)
        parts.append(f"{p.changes}: {now} instead of {was}")
    return ("Built with settings other than the defaults: " + "; ".join(parts) + ".") if parts else ""


def caption(db, source_ids: Iterable[str], limit: int = 6) -> str:
    """A chart's source line: 'Sources: Taylor et al. 2018; Glue et al. 2017 and 2 more (see the cards above).'"""
    seen = [s for s in dict.fromkeys(source_ids) if s in db.sources.index]
    if not seen:
        return ""
    names = list(dict.fromkeys(short_name(db.sources.loc[s]) for s in seen))   # one name once
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
        design = vocab.word("design", _get(src, "design")) if _get(src, "design") not in (None, "other") else ""
        # "Narrative review, …" rather than "Review: narrative review, …"
        line = words if design and words.lower().startswith(design.lower()) else (
            f"{kind}: {words}" if words else kind)
        rows.append({"anchor": f"source-{sid}", "cite": c, "title": c["title"] or "", "line": line[:1].upper() + line[1:],
                     "words": words, "claims": use.get(sid, []), "kind": kind})
    rows.sort(key=lambda r: r["cite"]["short"].lower())
    return _render("sources.html.j2", sources=rows)
