"""The reader lint: what a reader sees on the report's pages carries no internals.

Run on a built report (``python -m evidence.report.lint report/``; exit 1 when it finds
anything) and by the build after the pages are assembled. On every readers' page
(``index.html`` and ``pages/*.html``; the code pages and the data page, which documents the
schema, are for reuse and are not linted) it checks the visible text for:

``internal-id``   a ``source_id``, article id or row id from ``data/`` (facts, estimates, outcomes,
                  prevalence, analyses): readers see sources by name, never by key;
``snake-case``    a ``snake_case`` code (``crossover_rct``, ``value_pct``);
``raw-float``     a number with more than 3 significant decimals (``0.6667``, ``0.05832``) or a
                  count printed with ``.0`` (``n=424.0``, ``30.0%``);
``build-leak``    a Python warning, a traceback or a machine path (``/tmp/…``, ``site-packages``);
``bare-address``  a link whose text is a web address or host (``web.archive.org``) instead of a name;
``missing-value`` a missing value printed as text: ``nan``, ``None`` after a colon, ``n/a``, ``null``;
``markup``        page-builder shortcodes (``[/av_textblock]``) or raw markdown (table pipes, ``**bold**``,
                  ``[text](url)``) shown as text;
``cut``           a sentence cut mid-phrase (an ellipsis right after "the", "of", "and" …) or a block
                  that opens a quotation or bracket it never closes;
``doubled``       a word printed twice in a row ("the the"), a name printed twice in one citation
                  ("Anxiety and Depression Association of America, Anxiety and Depression Association
                  of America"), a copy named twice ("(via fda.report) (read via fda.report)");
``grammar``       "1 patients" (plural after one), doubled punctuation ("…." ";." ",."), a sentence
                  that starts in lower case after a full stop;
``disagree``      a number two pages both state that differs (each article's bottom line on the
                  index and on its page; the claim total on the index and the claim explorer; the
                  count of ketamine trials wherever a page states it).

Visible text is the text of the page outside ``<script>``, ``<style>`` and the footer's build
details, plus image ``alt`` text. The recomputation recipe inside a card's "How it was checked"
(``<code class="ev-spec">``) is a machine recipe labelled as such and is not linted.
"""
from __future__ import annotations

import functools
import re
import sys
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

RULES = ("internal-id", "snake-case", "raw-float", "build-leak", "bare-address", "missing-value", "markup", "cut",
         "doubled", "grammar", "disagree")


@dataclass(frozen=True)
class Finding:
    page: str
    rule: str
    text: str

    def __str__(self) -> str:
        return f"{self.page}: {self.rule}: {self.text}"


# ------------------------------------------------------------------ visible text

_SKIP_TAGS = {"script", "style", "head", "title", "template", "noscript"}
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class _Visible(HTMLParser):
    """Collects visible text in blocks, the text of every link, and bottom-line sentences."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, bool]] = []   # (tag, skipped)
        self.chunks: list[str] = []
        self.links: list[list[str]] = []
        self._link_depth: list[int] = []
        self.bottoms: list[list[str]] = []
        self._bottom_depth: list[int] = []

    def _skipping(self) -> bool:
        return any(s for _, s in self.stack)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        cls = (a.get("class") or "").split()
        if tag == "img" and a.get("alt") and not self._skipping():
            self.chunks.append(" " + a["alt"] + " ")
        if tag in _VOID:
            if tag == "br":
                self.chunks.append(" ")
            return
        skip = (tag in _SKIP_TAGS or (tag == "footer" and "ev-provenance" in cls)
                or (tag == "code" and "ev-spec" in cls) or "build-time" in cls or "hidden" in a
                and tag == "form")
        self.stack.append((tag, skip))
        if tag in ("p", "div", "li", "td", "th", "dd", "dt", "h1", "h2", "h3", "h4", "tr", "section", "article",
                   "blockquote", "figcaption", "caption", "header", "summary"):
            self.chunks.append("\n")
        if tag == "a":
            self.links.append([])
            self._link_depth.append(len(self.stack))
        if "ev-bottom" in cls:
            self.bottoms.append([])
            self._bottom_depth.append(len(self.stack))

    def handle_endtag(self, tag):
        if tag in _VOID:
            return
        # pop to the matching tag (HTML in the wild is not always balanced)
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                depth = i + 1
                del self.stack[i:]
                if self._link_depth and self._link_depth[-1] >= depth:
                    self._link_depth.pop()
                if self._bottom_depth and self._bottom_depth[-1] >= depth:
                    self._bottom_depth.pop()
                break
        if tag in ("p", "div", "li", "td", "th", "dd", "dt", "h1", "h2", "h3", "tr"):
            self.chunks.append("\n")

    def handle_data(self, data):
        if self._skipping():
            return
        if not any(t == "pre" for t, _ in self.stack):
            data = data.replace("\n", " ")      # a line break in the source is a space on the page
        self.chunks.append(data)
        if self._link_depth:
            self.links[-1].append(data)
        if self._bottom_depth:
            self.bottoms[-1].append(data)


def visible(page_html: str) -> tuple[str, list[str], list[str]]:
    """(visible text, the text of each link, each bottom-line sentence) of a page."""
    p = _Visible()
    p.feed(page_html)
    p.close()
    norm = lambda s: re.sub(r"[ \t\r\f\v]+", " ", s).strip()  # noqa: E731
    text = "\n".join(norm(x) for x in "".join(p.chunks).split("\n") if norm(x))
    return text, [norm("".join(x)) for x in p.links], [norm("".join(x)) for x in p.bottoms]


# ------------------------------------------------------------------ rules

_URL = re.compile(r"(?:https?://|www\.|doi:\s*|\b(?=10\.\d{4,}/))\S+", re.I)   # addresses and DOIs
_SNAKE = re.compile(r"(?<![\w./@#-])[a-z][a-z0-9]*(?:_[a-z0-9]+)+(?![\w/]|\.\w)")
_LONG_DECIMAL = re.compile(r"(?<![\w.])\d+\.(\d+)(?![\w.])")
_DOT_ZERO = re.compile(r"(?<![\w.])\d+\.0+(?![\d.])(?!\.\d)")
_LEAK = re.compile(r"(?:\b\w*Warning\b:|Traceback \(most recent call last\)|\bsite-packages\b|"
                   r"(?<![\w.])/(?:tmp|home|root|work|usr|var|opt|private|Users)/|\b[A-Z]:\\\\)")
_FILE_EXT = ("csv", "json", "jsonld", "ipynb", "html", "md", "txt", "png", "svg", "pdf", "py", "toml", "zip")
_HOSTLIKE = re.compile(r"^(?:https?://)?(?:[\w-]+\.)+([a-z]{2,}|\d{1,3})(?::\d+)?(?:/\S*)?$", re.I)


#: the tables (and their key columns) the ids readers must never see come from; the lint's results
#: depend on data/ through these tables only (the build remembers a page's lint by them)
ID_COLUMNS = {"sources": ["source_id"], "articles": ["article_id"], "facts": ["fact_id"],
              "estimates": ["estimate_id", "analysis_id"], "outcomes": ["outcome_id", "analysis_ids"],
              "prevalence": ["prevalence_id"]}


def _ids(data_dir: Path) -> set[str]:
    """Keys readers must never see: source ids, article ids and row ids of the evidence tables."""
    from evidence.tables import read_tables  # the data layer reads the CSVs

    tables, _ = read_tables(Path(data_dir))
    out: set[str] = set()
    for name, keys in ID_COLUMNS.items():
        if name not in tables:
            continue
        for row in tables[name].raw_dicts(blank=""):
            for k in keys:
                for v in str(row.get(k) or "").split(";"):
                    v = v.strip()
                    # a key that is an ordinary word (no digit, no underscore) could be a word in prose
                    if v and re.search(r"[\d_]", v) and len(v) >= 4:
                        out.add(v)
    return out


@functools.lru_cache(maxsize=8)
def _id_pattern(ids: frozenset[str]) -> re.Pattern:
    """One compiled alternation of every id, longest first (built once per set of ids, not per page)."""
    return re.compile(r"(?<![\w-])(" + "|".join(re.escape(i) for i in sorted(ids, key=len, reverse=True))
                      + r")(?![\w-])")


_WORD_RUN = re.compile(r"(?<![\w-])(\w+)(?![\w-])")


def _id_matches(plain: str, ids: set[str]):
    """The matches of :func:`_id_pattern` in ``plain``. When every id is word characters only, an id
    matches exactly where it is a whole run of word characters with no hyphen on either side, so the
    runs are looked up in the set (one pass, instead of trying hundreds of alternatives at every
    position: 0.2 s on the claim explorer)."""
    if all(_WORD_ONLY.fullmatch(i) for i in ids):
        return (m for m in _WORD_RUN.finditer(plain) if m.group(1) in ids)
    return _id_pattern(frozenset(ids)).finditer(plain)


_WORD_ONLY = re.compile(r"\w+")


def lint_text(page: str, text: str, links: list[str], ids: set[str]) -> list[Finding]:
    """Findings of every rule but ``disagree`` on one page's visible text."""
    out: list[Finding] = []
    plain = _URL.sub(" ", text)

    def ctx(m: re.Match, s: str) -> str:
        a, b = max(0, m.start() - 40), min(len(s), m.end() + 40)
        return s[a:b].replace("\n", " ").strip()

    idspans = set()
    if ids:
        for m in _id_matches(plain, ids):     # one pass: the findings and the ids seen
            out.append(Finding(page, "internal-id", f"{m.group(1)!r} in “{ctx(m, plain)}”"))
            idspans.add(m.group(1))
    for m in _SNAKE.finditer(plain):
        if m.group(0) in idspans:
            continue
        out.append(Finding(page, "snake-case", f"{m.group(0)!r} in “{ctx(m, plain)}”"))
    for m in _LONG_DECIMAL.finditer(plain):
        digits = m.group(1).lstrip("0")
        if len(digits) > 3:
            out.append(Finding(page, "raw-float", f"{m.group(0)!r} in “{ctx(m, plain)}”"))
    for m in _DOT_ZERO.finditer(plain):
        out.append(Finding(page, "raw-float", f"{m.group(0)!r} in “{ctx(m, plain)}”"))
    for m in _LEAK.finditer(text):
        out.append(Finding(page, "build-leak", f"“{ctx(m, text)}”"))
    for t in links:
        t = t.strip()
        m = _HOSTLIKE.match(t)
        if m and m.group(1).lower() not in _FILE_EXT and " " not in t:
            out.append(Finding(page, "bare-address", f"link named {t!r}"))
    return out


_MISSING = re.compile(r"(?<![\w/-])(?:nan|NaN|undefined|n/a|N/A)(?![\w/-])|(?<=[:=] )(?:None|null)\b|(?<=[:=(])(?:None|null)\b")
_MARKUP = re.compile(r"\[untitled\]|\[/?[a-z][a-z0-9]*_[a-z0-9_]*(?:\s[^\]]*)?\]|^\s*\|.*\|.*\|\s*$|\|\s*:?-{3,}|\*\*\w[^*]*\*\*|"
                     r"\]\((?:https?:|\.\./|/)", re.M)
_CUT = re.compile(r"\b(?:the|a|an|of|and|or|to|in|with|for|by|on|at|from|that|which|is|are|was|were|its|their)…",
                  re.I)
_DOUBLED_WORD = re.compile(r"(?<![\w-])([A-Za-z]{2,})[ \t]+\1\b", re.I)
_DOUBLED_NAME = re.compile(r"\b([A-Z][\w&.'’-]*(?: [\w&.'’-]+){2,9})[,;]? \(?\1\b(?! \d{4})")
_DOUBLED_VIA = re.compile(r"\(via ([\w.-]+)\)\s*\(read via \1\)")
_ONE_PLURAL = re.compile(r"(?<![\d.,-])\b1 (?:patients|participants|claims|trials|studies|days|weeks|months|years|hours|"
                         r"minutes|adults|people|sources|infusions|sessions|articles|verdicts|responders)\b")
_PUNCT = re.compile(r"…\.|[;,:]\.(?!\w)|(?<![.\d])\.\.(?!\.)|\.\s+\.(?!\.)")
_LOWER_START = re.compile(r"(?<![A-Z])\b([a-z]{2,})\. ([a-z]{3,})\b")
_NOT_ENDS = {"al", "vs", "eg", "ie", "approx", "cf", "etc", "no", "fig", "ca", "incl", "resp", "mg", "min", "wk", "yr",
             "ed", "eds", "vol", "pp", "ch", "sec", "dept", "univ", "ver", "spp", "gov", "org", "com", "www", "doi"}


def _open_quote(block: str) -> bool:
    """A block that opens a quotation or bracket it never closes (a cut quote)."""
    return block.count("“") > block.count("”") or block.count("(") > block.count(")")


def lint_prose(page: str, text: str) -> list[Finding]:
    """The editorial rules on visible text: missing values, markup, cuts, doubles and grammar."""
    out: list[Finding] = []
    plain = _URL.sub(" ", text)

    def add(rule: str, m: re.Match, s: str = plain) -> None:
        a, b = max(0, m.start() - 40), min(len(s), m.end() + 40)
        out.append(Finding(page, rule, f"{m.group(0).strip()!r} in “{s[a:b].replace(chr(10), ' ').strip()}”"))

    for m in _MISSING.finditer(plain):
        add("missing-value", m)
    for m in _MARKUP.finditer(text):
        add("markup", m, text)
    for m in _CUT.finditer(plain):
        add("cut", m)
    for block in plain.split("\n"):
        if _open_quote(block):
            out.append(Finding(page, "cut", f"unclosed quotation or bracket in “{block[:160]}”"))
    for rx in (_DOUBLED_WORD, _DOUBLED_NAME, _DOUBLED_VIA):
        for m in rx.finditer(plain):
            add("doubled", m)
    for m in _ONE_PLURAL.finditer(plain):
        add("grammar", m)
    for m in _PUNCT.finditer(plain):
        add("grammar", m)
    for m in _LOWER_START.finditer(plain):
        if m.group(1).lower() not in _NOT_ENDS:
            add("grammar", m)
    return out


_RCT = re.compile(r"(\d+) (?:ketamine |esketamine )?(?:randomi[sz]ed controlled trials|randomi[sz]ed trials|RCTs)"
                  r"(?: of (?:ketamine|esketamine)(?: or esketamine)?)? in (?:an |people with an )?anxiety disorders?",
                  re.I)
_TOTAL = re.compile(r"\b(\d+) of (\d+) checked claims\b")


def agreement(pages: dict[str, tuple[str, list[str]]]) -> list[Finding]:
    """Numbers two pages both state must agree. ``pages``: name -> (visible text, bottom lines)."""
    out: list[Finding] = []
    # each article's bottom line: the same sentence on the index and on the article page
    index = pages.get("index.html")
    if index is not None:
        for name, (_, bottoms) in pages.items():
            if not name.startswith("pages/article-") or not bottoms:
                continue
            if bottoms[0] not in index[0]:
                out.append(Finding(name, "disagree", f"its bottom line “{bottoms[0]}” is not what the index says"))
        claims = pages.get("pages/claims.html")
        if claims is not None:
            a, b = _TOTAL.findall(index[1][0] if index[1] else ""), _TOTAL.findall(claims[1][0] if claims[1] else "")
            if a and b and a[0] != b[0]:
                out.append(Finding("pages/claims.html", "disagree",
                                   f"{b[0][0]} of {b[0][1]} claims hold; the index says {a[0][0]} of {a[0][1]}"))
    # the count of ketamine trials in anxiety disorders, wherever a page states it
    seen: dict[str, list[str]] = {}
    for name, (text, _) in pages.items():
        for m in _RCT.finditer(text):
            seen.setdefault(m.group(1), []).append(name)
    if len(seen) > 1:
        parts = "; ".join(f"{k} on {', '.join(sorted(set(v)))}" for k, v in sorted(seen.items()))
        out.append(Finding("(several pages)", "disagree", f"trials of ketamine in anxiety disorders: {parts}"))
    return out


def readers_pages(root: Path) -> list[Path]:
    root = Path(root)
    return [p for p in [root / "index.html", *sorted((root / "pages").glob("*.html"))] if p.is_file()]


def lint_report(root: Path, data_dir: Path | None = None) -> list[Finding]:
    """Every finding on the readers' pages of the report in ``root`` (data ids from ``data_dir``,
    by default the report's own copy of the data in ``root``/data)."""
    root = Path(root)
    ids = _ids(Path(data_dir) if data_dir else root / "data")
    out: list[Finding] = []
    seen: dict[str, tuple[str, list[str]]] = {}
    for p in readers_pages(root):
        name = p.relative_to(root).as_posix()
        text, links, bottoms = visible(p.read_text(encoding="utf-8"))
        seen[name] = (text, bottoms)
        out += lint_text(name, text, links, ids)
        out += lint_prose(name, text)
    out += agreement(seen)
    return out


def counts(findings: list[Finding]) -> dict[str, int]:
    c = {r: 0 for r in RULES}
    for f in findings:
        c[f.rule] = c.get(f.rule, 0) + 1
    return c


def main(argv: list[str] | None = None) -> int:
    """``python -m evidence.report.lint REPORT_DIR [DATA_DIR]``: print findings; exit 1 if any, 2 on bad use."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] in ("-h", "--help") or len(argv) > 2:
        print("usage: python -m evidence.report.lint REPORT_DIR [DATA_DIR]", file=sys.stderr)
        return 2
    root = Path(argv[0])
    if not (root / "index.html").is_file():
        print(f"evidence lint: {root}: no index.html (not a built report)", file=sys.stderr)
        return 2
    found = lint_report(root, Path(argv[1]) if len(argv) > 1 else None)
    for f in found:
        print(f)
    c = counts(found)
    summary = ", ".join(f"{k} {v}" for k, v in c.items())
    print(f"evidence lint: {len(found)} finding{'s' if len(found) != 1 else ''} on "
          f"{len(readers_pages(root))} readers' pages ({summary})", file=sys.stderr)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
