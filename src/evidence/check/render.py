"""Output of ``evidence check``: terminal table, JSON, standalone HTML.

The HTML page is self-contained: inline CSS, no scripts, no external
resources, and a Content-Security-Policy that forbids scripts and remote
loads. Every piece of text that came from the input is passed through
:func:`html.escape` — nothing from the input can become markup.
"""
from __future__ import annotations

import html
import json
import shutil
import textwrap
from collections import Counter

#: per-claim JSON fields: words for a reader, and the codes (claim_type, verdict, recompute, source_ids, study)
#: in fields of their own beside them
JSON_KEYS = ["id", "sentence", "sentence_start", "sentence_end", "quote", "start", "end",
             "claim_type", "claim_type_label", "claimed", "claimed_value", "claimed_low", "claimed_high",
             "claimed_unit", "qualifier", "claimed_text", "named_source", "negated",
             "verdict", "verdict_label", "holds", "rating", "checkable", "abstained", "reason",
             "compared_with", "why_this_source", "study", "study_label", "evidence", "explanation", "certainty",
             "sources", "source_names", "source_ids", "recompute", "suggestion", "not_a_claim"]
#: fields of a not-a-claim item (a price, the clinic's own figure …): the reason in words, its code beside it,
#: never a verdict
NON_CLAIM_KEYS = ["quote", "start", "end", "sentence", "sentence_start", "not_a_claim", "reason", "reason_code"]


def render(result, fmt: str, *, width: int | None = None, title: str = "input") -> str:
    if fmt == "json":
        return to_json(result.claims, getattr(result, "non_claims", []))
    if fmt == "html":
        return to_html(result, title=title)
    return to_table(result, width=width)


# ------------------------------------------------------------------ JSON

def _jsonable(v):
    if isinstance(v, float) and (v != v or v in (float("inf"), float("-inf"))):
        return None
    return v


def claim_object(c: dict) -> dict:
    """One claim as JSON: the words for a reader and, in fields of their own, the codes."""
    obj = {k: _jsonable(c.get(k)) for k in JSON_KEYS}
    obj["not_a_claim"] = False
    for k in ("recomputed", "recomputed_low", "recomputed_high", "recomputed_text"):
        if k in c:
            obj[k] = _jsonable(c[k])
    return obj


def non_claim_object(n: dict) -> dict:
    """One not-a-claim item as JSON: the claim fields empty (no verdict, ``holds`` null), ``not_a_claim`` true,
    the reason in words and ``reason_code`` beside it."""
    obj = {k: None for k in JSON_KEYS}
    obj.update(checkable=False, abstained=False, sources=[], source_ids=[])
    obj.update({k: n.get(k) for k in NON_CLAIM_KEYS})
    return obj


def to_json(claims: list[dict], non_claims: list[dict] = ()) -> str:
    """The claims, then the items found that are not claims (``"not_a_claim": true``, no verdict)."""
    out = [claim_object(c) for c in claims] + [non_claim_object(n) for n in non_claims]
    return json.dumps(out, ensure_ascii=False, indent=2) + "\n"


def non_claim_lines(result, width: int) -> list[str]:
    """The table's closing section: what was found but is not a claim, each with its reason in words."""
    items = getattr(result, "non_claims", [])
    if not items:
        return []
    lines = [""] + textwrap.wrap(f"Not claims ({len(items)}): found in the text, listed so nothing is dropped "
                                 "silently; no verdict.", width=width)
    for n in items:
        lines += textwrap.wrap(f"“{n['quote']}” — {n['reason']}", width=width, initial_indent="  · ",
                               subsequent_indent="    ", break_long_words=True)
    return lines


# ------------------------------------------------------------------ table

def summary(result) -> str:
    claims = result.claims
    n_sent = len(result.analysis.sentences)
    linked = sum(1 for c in claims if c.get("checkable"))
    counts = Counter(c.get("verdict_label") or c["verdict"] for c in claims)
    verdicts = ", ".join(f"{k}: {v}" for k, v in counts.most_common())
    return (f"{len(claims)} claim(s) in {n_sent} sentence(s) ({result.analysis.format}); "
            f"{linked} checked against the evidence base" + (f". Verdicts — {verdicts}" if verdicts else ""))


def _wrap(text: str, width: int) -> list[str]:
    text = " ".join(str(text or "").split())
    if not text:
        return [""]
    return textwrap.wrap(text, width=max(4, width), break_long_words=True, break_on_hyphens=True) or [""]


def _evidence_cell(c: dict) -> str:
    """What the claim was compared with, why that source, the recomputed figure and the suggested wording, each
    said once (a long record quoted in the comparison is not repeated by the evidence or the suggestion)."""
    parts: list[str] = []

    def add(text: str) -> None:
        text = " ".join(str(text or "").split())
        said = text.lstrip("→ ").split(": ", 1)[-1] if "record says" in text[:40] else text
        if text and not any(said[:60] in p for p in parts):
            parts.append(text)
        elif text.startswith("→"):
            parts.append("→ Say what the source's record (above) says.")

    if not c.get("checkable") and c.get("reason"):   # an abstention leads with why not, then what came closest
        add(c["reason"])
        if c.get("compared_with") and c["compared_with"][:60] not in c["reason"]:
            add("closest in the evidence base: " + c["compared_with"])
    elif c.get("compared_with"):
        add("compared with " + c["compared_with"] + (f" ({c['why_this_source']})" if c.get("why_this_source") else ""))
    elif c.get("reason"):
        add(c["reason"])
    if c.get("verdict") == "unverifiable":
        add(c.get("explanation", "").removeprefix("Unverifiable: "))
    evidence = str(c.get("evidence") or "")
    evidence = evidence.split("; certainty: not graded")[0].removeprefix("certainty: not graded")
    add(evidence)
    if c.get("suggestion"):
        add("→ " + c["suggestion"])
    return " · ".join(parts)


def claimed_adds(c: dict) -> bool:
    """Whether the claim's reading (``claimed``: "at least 60 years" for "over 60 years") tells the editor more than
    the quote and its sentence already do. A reading that is only the sentence's own words, case and spacing folded
    (a statement in words reads as its clause, lower-cased), is not printed again."""
    claimed = " ".join(str(c.get("claimed") or "").split()).casefold()
    if not claimed:
        return False
    shown = " ".join(f"{c.get('quote') or ''} {c.get('sentence') or ''}".split()).casefold()
    return claimed not in shown


def _by_sentence(claims: list[dict]) -> list[tuple[str, list[dict]]]:
    groups: list[tuple[str, list[dict]]] = []
    for c in claims:
        if groups and groups[-1][1][0].get("sentence_start") == c.get("sentence_start"):
            groups[-1][1].append(c)
        else:
            groups.append((c["sentence"], [c]))
    return groups


#: the narrowest table (--width): below it the words would break inside every word
MIN_WIDTH = 40


def _stacked(claims: list[dict], width: int) -> list[str]:
    """The table for a narrow terminal: per claim a head line (number, type, verdict), then the claim and the
    evidence, each wrapped to ``width``."""
    lines: list[str] = []
    for sentence, group in _by_sentence(claims):
        lines += textwrap.wrap(f"“{' '.join(sentence.split())}”", width=width, initial_indent="  ",
                               subsequent_indent="   ", break_long_words=True)
        for c in group:
            claim_text = f"“{c['quote']}”" + (f" [{c['claimed']}]" if claimed_adds(c) else "")
            head = f"{c['id']:>3} · {c.get('claim_type_label') or ''} · {c.get('verdict_label') or ''}"
            lines += textwrap.wrap(head, width=width, subsequent_indent="      ", break_long_words=True)
            for text in (claim_text, _evidence_cell(c)):
                lines += [("      " + x) for x in _wrap(text, width - 6)]
        lines.append("")
    return lines


def to_table(result, width: int | None = None) -> str:
    """The claims sentence by sentence: each sentence once, then its claims (verdict, what they were compared
    with and why, the suggested wording), then what was found but is not a claim."""
    width = width or shutil.get_terminal_size((110, 24)).columns
    width = max(MIN_WIDTH, min(width, 240))
    claims = result.claims
    lines = textwrap.wrap(summary(result), width=width) + [""]
    if not claims:
        lines.append("No checkable claims found.")
        return "\n".join(lines + non_claim_lines(result, width)) + "\n"
    w_id, w_type, w_verdict = 3, 14, 22
    rest = width - (w_id + w_type + w_verdict + 4 * 3)
    if rest < 2 * 16:   # too narrow for the columns (editor s3 #55: --width 60 gave 88-character lines): stacked
        return "\n".join(lines + _stacked(claims, width) + non_claim_lines(result, width)) + "\n"
    w_claim = max(16, rest * 35 // 100)
    w_ev = max(16, rest - w_claim)
    sep = " │ "
    head = sep.join([f"{'#':>{w_id}}", f"{'type':<{w_type}}", f"{'claim':<{w_claim}}", f"{'verdict':<{w_verdict}}",
                     "evidence / suggestion"])
    lines += [head, "─" * min(width, len(head) + w_ev)]
    for sentence, group in _by_sentence(claims):
        lines += textwrap.wrap(f"“{' '.join(sentence.split())}”", width=width, initial_indent="  ",
                               subsequent_indent="   ")
        for c in group:
            claim_text = f"“{c['quote']}”" + (f" [{c['claimed']}]" if claimed_adds(c) else "")
            cols = [_wrap(str(c["id"]), w_id), _wrap(c.get("claim_type_label") or "", w_type),
                    _wrap(claim_text, w_claim), _wrap(c.get("verdict_label") or "", w_verdict),
                    _wrap(_evidence_cell(c), w_ev)]
            for i in range(max(len(x) for x in cols)):
                cells = [x[i] if i < len(x) else "" for x in cols]
                lines.append(sep.join([f"{cells[0]:>{w_id}}", f"{cells[1]:<{w_type}}", f"{cells[2]:<{w_claim}}",
                                       f"{cells[3]:<{w_verdict}}", cells[4]]).rstrip())
        lines.append("")
    return "\n".join(lines + non_claim_lines(result, width)) + "\n"


# ------------------------------------------------------------------ HTML

_CSS = """
body{font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:2rem auto;max-width:1200px;padding:0 1rem;color:#1d1d1f;background:#fff}
h1{font-size:1.4rem;margin:0 0 .3rem}
p.summary{color:#444;margin:.2rem 0 1rem}
table{border-collapse:collapse;width:100%}
th,td{border-bottom:1px solid #ddd;padding:.5rem .6rem;vertical-align:top;text-align:left}
th{background:#f4f4f6;position:sticky;top:0}
td.num{color:#666;width:2.5em}
td.type code{font-size:.85em;background:#eef;padding:.05rem .3rem;border-radius:3px}
mark{background:#fff3a8;padding:0 .1rem}
.sentence{color:#333}
.claimed{display:block;color:#555;font-size:.9em;margin-top:.2rem}
.badge{display:inline-block;padding:.1rem .5rem;border-radius:10px;font-size:.85em;font-weight:600;white-space:nowrap}
.v-accurate{background:#d9f2dc;color:#14532d}.v-accurate_missing_context{background:#e9f5d0;color:#3f5212}
.v-understated{background:#e4ecfb;color:#1e3a8a}.v-misattributed{background:#f3e8ff;color:#5b21b6}
.v-overstated{background:#ffe4d5;color:#9a3412}.v-unsupported,.v-unverifiable{background:#fde2e2;color:#991b1b}
.v-contradicted{background:#fbcaca;color:#7f1d1d}.v-none{background:#eee;color:#444}
.small{font-size:.85em;color:#555}
.warn{background:#fff7e0;border:1px solid #f0d68a;padding:.5rem .8rem;border-radius:4px;margin:.5rem 0}
footer{margin-top:2rem;color:#777;font-size:.85em}
td{overflow-wrap:anywhere}
@media (max-width:640px){
body{margin:1rem auto;padding:0 .75rem}
table,tbody,tr,td{display:block;width:auto}
thead{display:none}
tr{border:1px solid #ddd;border-radius:6px;margin:0 0 1rem;padding:.4rem .6rem}
td{border:0;padding:.25rem 0}
td.num{width:auto;font-weight:600}
td.num::before{content:"Claim "}
td[data-label]::before{content:attr(data-label) ": ";font-weight:600;color:#444}
td[data-label]:empty{display:none}
}
"""

_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"


def _e(s) -> str:
    return html.escape("" if s is None else str(s), quote=True)


def _sentence_html(c: dict) -> str:
    s, q = c["sentence"], c["quote"]
    i = s.find(q) if q else -1
    # <bdi> isolates the input's bidirectional text: a right-to-left override cannot reorder the page around it
    if i < 0:
        return f"<bdi>{_e(s)}</bdi>"
    return f"<bdi>{_e(s[:i])}<mark>{_e(q)}</mark>{_e(s[i + len(q):])}</bdi>"


def _source_html(src: str, name: str | None = None) -> str:
    # sources come from data/, never from the input; still escaped, and only https links become anchors; the
    # link reads as the source's name ("Taylor et al. 2018, Neuropsychopharmacology"), not as a bare address
    if isinstance(src, str) and src.startswith("https://") and not any(ch in src for ch in "\"'<> "):
        return f'<a href="{_e(src)}" rel="noopener noreferrer nofollow">{_e(name or src)}</a>'
    return _e(name or src)


def to_html(result, title: str = "input") -> str:
    claims = result.claims
    rows = []
    for c in claims:
        v = str(c.get("verdict") or "")
        vclass = "v-" + (v if v.replace("_", "").isalpha() else "none")
        label = c.get("verdict_label") or v
        evidence = []
        if c.get("evidence"):
            evidence.append(f"<div>{_e(c['evidence'])}</div>")
        if c.get("explanation") and not str(c["explanation"]).startswith("Not checkable here"):
            evidence.append(f"<div class=small>{_e(c['explanation'])}</div>")
        if c.get("sources"):
            names = c.get("source_names") or []
            names = names if len(names) == len(c["sources"]) else [None] * len(c["sources"])
            evidence.append("<div class=small>Sources: " + "; ".join(
                _source_html(s, n) for s, n in zip(c["sources"], names)) + "</div>")
        abstained = bool(c.get("reason")) and not c.get("checkable")
        if c.get("compared_with") and not (abstained and c["compared_with"][:60] in c["reason"]):
            # an abstention leads with why not; what came closest is not a comparison
            evidence.insert(0, f"<div>Closest in the evidence base: {_e(c['compared_with'])}</div>" if abstained
                            else f"<div>Compared with {_e(c['compared_with'])}</div>")
        if c.get("why_this_source") and not abstained:
            evidence.append(f"<div class=small>Why this source: {_e(c['why_this_source'])}</div>")
        if abstained:
            evidence.insert(0, f"<div>Not checkable here: {_e(c['reason'])}</div>")
        rows.append(
            "<tr>"
            f"<td class=num>{_e(c['id'])}</td>"
            f"<td class=sentence>{_sentence_html(c)}"
            + (f"<span class=claimed>claimed: {_e(c.get('claimed'))}</span>" if claimed_adds(c) else "") + "</td>"
            f"<td class=type data-label=\"Type\">{_e(c.get('claim_type_label') or c['claim_type'])}</td>"
            f"<td data-label=\"Verdict\"><span class=\"badge {_e(vclass)}\">{_e(label)}</span></td>"
            f"<td data-label=\"Evidence\">{''.join(evidence)}</td>"
            f"<td data-label=\"Suggested wording\">{_e(c.get('suggestion'))}</td>"
            "</tr>")
    warnings = "".join(f"<div class=warn>{_e(w)}</div>" for w in result.warnings)
    non = getattr(result, "non_claims", [])
    if non:
        body_non = ("<div class=nonclaims><p class=summary>Not claims: found in the text and listed so nothing is "
                    "dropped silently; no verdict.</p>" + "".join(
                        f"<div class=small><bdi>“{_e(n['quote'])}”</bdi> — {_e(n['reason'])}</div>" for n in non)
                    + "</div>")
    else:
        body_non = ""
    body = ("<table><thead><tr><th>#</th><th>Claim in context</th><th>Type</th><th>Verdict</th><th>Evidence</th>"
            "<th>Suggested wording</th></tr></thead><tbody>" + "".join(rows) + "</tbody></table>") if claims \
        else "<p>No checkable claims found.</p>"
    body += body_non
    return (
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        f"<meta http-equiv=\"Content-Security-Policy\" content=\"{_CSP}\">\n"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        "<meta name=\"referrer\" content=\"no-referrer\">\n"
        f"<title>Fact check: {_e(title)}</title>\n<style>{_CSS}</style>\n</head>\n<body>\n"
        f"<h1>Fact check: {_e(title)}</h1>\n<p class=summary>{_e(summary(result))}</p>\n{warnings}\n{body}\n"
        "<footer>Generated by <code>evidence check</code>. Claims are found by patterns and linked to the curated "
        "evidence base; “not checkable here” says why no source in the base can settle the claim — it is not a verdict on "
        "the claim."
        "</footer>\n</body>\n</html>\n")
