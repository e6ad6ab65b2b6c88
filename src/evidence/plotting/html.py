"""HTML for the pages: escaped tables (cards on phones), Markdown, badges and the claims table."""
from __future__ import annotations

import html
import math
import re
from typing import Iterable, Mapping, Sequence

import numpy as np
import pandas as pd

from evidence.plotting.base import *  # noqa: F401,F403 - the shared style, sizes and helpers
from evidence.plotting.markup import _MD_SPECIAL, esc, md  # noqa: F401 - re-exported for the notebooks
from evidence.plotting.base import (  # noqa: F401
    _W, _caption, _figure_title, _finite, _fmt, _legend_above, _log_limits, _log_ticks, _narrow_rows, _new, _plt,
    _row_labels, _wrap,
)


# --------------------------------------------------------------------------- #
# HTML tables
# --------------------------------------------------------------------------- #
TABLE_CSS = ("<style>.ev-table{border-collapse:collapse;font-size:0.9em;margin:0.5em 0;max-width:100%}"
             ".ev-table th,.ev-table td{border:1px solid #ccc;padding:4px 6px;vertical-align:top;text-align:left}"
             ".ev-table th{background:#f3f3f3}.ev-table td.num{text-align:right;white-space:nowrap}"
             ".ev-verdict{white-space:nowrap;font-weight:bold;padding:1px 4px;border-radius:3px}"
             ".ev-cards{display:none}.ev-card{border:1px solid #ccc;border-radius:4px;padding:4px 8px;margin:4px 0;"
             "line-height:1.4}"
             ".ev-card-key{color:#555}"
             "@media (max-width:699px){.ev-table-wrap.ev-with-cards{display:none}.ev-cards{display:block}}</style>")


_SNAKE = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b")


def bullets(items):
    """A bulleted list of items from the data, escaped: each item a string, or (head, text) shown as
    "**head** text" (cards that stack on a phone where a wide table would not fit)."""
    lines = []
    for it in items:
        if isinstance(it, (tuple, list)):
            head, text = it
            lines.append(f"- **{esc(head)}** {esc(text)}")
        else:
            lines.append(f"- {esc(it)}")
    return md("\n".join(lines))


def details_list(summary: str, items, code_heads: bool = False) -> str:
    """A folded list (HTML ``<details>``) of (head, text) items, every part escaped; ``code_heads`` shows
    each head's first word as code (a recipe name a researcher types)."""
    lis = []
    for head, text in items:
        h = html.escape(str(head))
        if code_heads:
            first, _, rest = h.partition(" ")
            h = f'<code class="ev-spec">{first}</code> {rest}'.rstrip()
        lis.append(f"<li><strong>{h}</strong> {html.escape(str(text))}</li>")
    return (f'<details class="ev-details"><summary>{html.escape(summary)}</summary><ul>{"".join(lis)}</ul>'
            "</details>")


def link(url: str, label: str | None = None) -> str:
    """An HTML link to an http(s) URL (anything else is shown as text), both parts escaped."""
    label = html.escape(str(label if label is not None else url))
    u = str(url or "")
    if not re.match(r"^https?://", u):
        return label
    return f'<a href="{html.escape(u, quote=True)}">{label}</a>'


def verdict_badge(verdict: str, label: str | None = None) -> str:
    """An HTML badge: symbol + label on a pale verdict colour (never colour alone)."""
    colour, _, sym = VERDICT_STYLE.get(verdict, (C["grey"], "o", "?"))
    label = label or verdict
    return (f'<span class="ev-verdict" style="border:2px solid {colour};background:{colour}22">'
            f'{html.escape(sym)} {html.escape(str(label))}</span>')


def html_table(df: pd.DataFrame, columns: Sequence[str] | None = None, headers: Mapping[str, str] | None = None,
               raw_html: Iterable[str] = (), numeric: Iterable[str] = (), css: bool = True,
               caption: str | None = None, code: Iterable[str] = (), cards: bool = True,
               recipe: Iterable[str] = ()) -> str:
    """Render a frame as an HTML table; every cell is escaped except ``raw_html`` columns.

    ``raw_html`` columns must already be safe HTML built by this module
    (e.g. :func:`verdict_badge`); nothing from the data goes there unescaped.
    """
    columns = list(columns or df.columns)
    headers = dict(headers or {})
    raw = set(raw_html)
    nums = set(numeric)
    codes = set(code)
    recipe = set(recipe)
    wide = len(columns) > 3 and cards
    out = [TABLE_CSS if css else "",
           f'<div class="ev-table-wrap{" ev-with-cards" if wide else ""}" style="overflow-x:auto;max-width:100%">',
           '<table class="ev-table">', f"<caption>{html.escape(caption)}</caption>" if caption else "", "<thead><tr>"]
    th = ' style="text-align:left;vertical-align:bottom"'
    out += [f"<th{th}>{html.escape(str(headers.get(c, c)))}</th>" for c in columns]
    out.append("</tr></thead><tbody>")
    for _, r in df.iterrows():
        out.append("<tr>")
        for c in columns:
            v = r[c]
            if c in raw:
                cell = "" if v is None else str(v)
            else:
                cell = html.escape(_cell_text(v))
            if c in codes:  # a name a researcher types (a -p parameter): a machine recipe, shown as code
                cell = f'<code class="ev-spec">{cell}</code>'
            elif c in recipe:  # prose that names such codes: each code shown as code
                cell = _SNAKE.sub(lambda m: f'<code class="ev-spec">{m.group(0)}</code>', cell)
            style = ("text-align:right;white-space:nowrap" if c in nums else "text-align:left") + ";vertical-align:top"
            out.append(f'<td style="{style}">{cell}</td>')
        out.append("</tr>")
    out.append("</tbody></table></div>")
    if wide:  # on a phone, each row becomes a card (the same cells, stacked)
        out.append('<div class="ev-cards">' + (f"<p><strong>{html.escape(caption)}</strong></p>" if caption else ""))
        for _, r in df.iterrows():
            cells = []
            for c in columns:
                v = r[c]
                cell = ("" if v is None else str(v)) if c in raw else html.escape(_cell_text(v))
                if c in codes:
                    cell = f'<code class="ev-spec">{cell}</code>'
                elif c in recipe:
                    cell = _SNAKE.sub(lambda m: f'<code class="ev-spec">{m.group(0)}</code>', cell)
                cells.append((html.escape(str(headers.get(c, c))), cell))
            head = cells[0][1]
            rest = " · ".join(f'<span class="ev-card-field"><span class="ev-card-key">{h}:</span> {v}</span>'
                              for h, v in cells[1:] if v)
            out.append(f'<div class="ev-card"><strong>{head}</strong><br/>{rest}</div>')
        out.append("</div>")
    return "".join(out)


def _cell_text(v) -> str:
    if v is None:
        return ""
    if isinstance(v, (float, np.floating)):
        v = float(v)
        if not math.isfinite(v):
            return "" if math.isnan(v) else ("∞" if v > 0 else "−∞")
        if v.is_integer():
            return f"{int(v):,}" if abs(v) >= 10000 else f"{int(v)}"
        if abs(v - round(v, 2)) < 1e-9 and abs(v) < 1e7:
            return f"{round(v, 2):,.2f}".rstrip("0").rstrip(".")   # a printed figure: keep its digits
        return f"{v:,.4g}" if abs(v) >= 1 else f"{v:.3g}"
    if isinstance(v, (list, tuple)):
        return "; ".join(_cell_text(x) for x in v)
    try:
        if pd.isna(v):
            return ""
    except (TypeError, ValueError):
        pass
    return str(v)


def claims_html(df: pd.DataFrame) -> str:
    """The article's claims as an HTML table: every text cell escaped, verdicts as badges,
    sources as links (http/https only)."""
    rows = []
    for _, r in df.iterrows():
        srcs = r.get("sources") or []
        if isinstance(srcs, str):
            srcs = [srcs]
        rows.append({
            "claim": f"<b>{html.escape(str(r['claim_id']))}</b><br><small>{html.escape(str(r['claim_type']))}</small>",
            # <bdi>: article text with a right-to-left override cannot reorder the rest of the row
            "quote": f"<q><bdi>{html.escape(str(r['quote']))}</bdi></q>",
            "claimed": html.escape(_cell_text(r.get("claimed"))),
            "recomputed": html.escape(_cell_text(r.get("recomputed"))),
            "verdict": verdict_badge(r["verdict"], r.get("verdict_label")) +
                       f"<br><small>certainty: {html.escape(_cell_text(r.get('certainty')))}</small>",
            "explanation": _explanation_html(_cell_text(r.get("explanation"))),
            "correction": html.escape(_cell_text(r.get("correction"))),
            "sources": "<br>".join(link(u, _short_url(u)) for u in srcs),
        })
    frame = pd.DataFrame(rows, columns=["claim", "quote", "claimed", "recomputed", "verdict", "explanation",
                                        "correction", "sources"])
    headers = {"claim": "Claim", "quote": "Quote (verbatim)", "claimed": "Claimed", "recomputed": "Recomputed",
               "verdict": "Verdict", "explanation": "Why", "correction": "What the evidence supports",
               "sources": "Sources"}
    return html_table(frame, headers=headers, raw_html=frame.columns)


def _explanation_html(text: str) -> str:
    """The deciding reason in full; how it was recomputed and the evidence folded in a <details>."""
    head, sep, rest = text.partition(" Recomputed: ")
    out = html.escape(head)
    if sep:
        out += (f"<details><summary>how it was recomputed</summary><small>Recomputed: {html.escape(rest)}</small>"
                "</details>")
    return out


def _short_url(u: str) -> str:
    u = str(u)
    m = re.match(r"^https?://(?:dx\.)?doi\.org/(.+)$", u)
    if m:
        return f"doi:{m.group(1)}"
    m = re.match(r"^https?://([^/]+)", u)
    return m.group(1) if m else u
