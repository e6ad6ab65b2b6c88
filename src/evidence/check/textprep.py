"""Input handling for ``evidence check``: bytes → plain text → sentences.

Every later step works on one *normalized text*: the plain text that this
module makes from the input (HTML tags and Markdown markup removed, entities
unescaped, line endings and odd spaces folded). Sentences and claim quotes are
character spans of that text, so a quote is always a substring of it.

Nothing from the input is ever executed: HTML is parsed with BeautifulSoup's
``html.parser`` (a tokenizer, no scripting), ``<script>``/``<style>`` and
similar elements are dropped with their contents, and the result is plain text.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from evidence.check.rxfilter import may_match

#: raw inputs larger than this are refused (exit code 2); ``--max-bytes`` changes it
DEFAULT_MAX_BYTES = 64 * 1024 * 1024
#: extracted plain text longer than this is refused (exit code 2): ~300,000 words, a few seconds of work;
#: ``--max-chars`` changes it. (A 10 MB HTML page is fine if its visible text is short.)
DEFAULT_MAX_CHARS = 2_000_000
#: sentences longer than this are cut at whitespace (run-on text, tables, minified HTML)
MAX_SENTENCE = 1200


class InputError(ValueError):
    """The input cannot be checked (empty, binary, too large). Exit code 2."""


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    text: str
    index: int
    whole_line: bool = False  # the sentence is a line of its own (a heading, a list item, a table row)
    list_item: bool = False   # the sentence starts a bulleted or numbered list item ("- Non-addictive at low doses")


# ------------------------------------------------------------------ decoding

_CTRL = bytes(b for b in range(32) if b not in (9, 10, 12, 13))
_BOMS = ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"))


def decode(data: bytes, *, max_bytes: int = DEFAULT_MAX_BYTES) -> tuple[str, list[str]]:
    """Bytes → text. Returns (text, warnings); raises :class:`InputError`.

    UTF-8 (with or without BOM) and BOM-marked UTF-16 are read as such. Other
    bytes that are not valid UTF-8 are replaced with U+FFFD and a warning is
    returned. Input that looks binary (NUL bytes or many control bytes) is
    refused.
    """
    warnings: list[str] = []
    if len(data) > max_bytes:
        raise InputError(f"input is {len(data):,} bytes, more than the limit of {max_bytes:,} (see --max-bytes)")
    for bom, enc in _BOMS:
        if data.startswith(bom):
            text = data[len(bom):].decode(enc, errors="replace")
            if "\ufffd" in text:
                warnings.append(f"input is not valid {enc}; undecodable bytes were replaced with U+FFFD")
            break
    else:
        sample = data[:65536]
        if sample:
            nul = sample.count(b"\x00")
            ctrl = sum(sample.count(bytes([b])) for b in _CTRL)
            if nul or ctrl / len(sample) > 0.05:
                raise InputError("input looks binary (NUL or control bytes); give plain text, Markdown or HTML")
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            text = data.decode("utf-8", errors="replace")
            warnings.append(f"input is not valid UTF-8 (first bad byte at offset {exc.start}); "
                            "undecodable bytes were replaced with U+FFFD")
    if not text.strip():
        raise InputError("input is empty")
    return text, warnings


# ----------------------------------------------------------- format sniffing

_HTML_TAG = re.compile(
    r"<(?:!doctype\s+html|html|head|body|p|div|span|br|hr|h[1-6]|article|section|main|header|footer|nav|"
    r"ul|ol|li|table|thead|tbody|tr|td|th|a|strong|em|b|i|u|blockquote|script|style|meta|link|title|img|figure|"
    r"figcaption|aside|sup|sub|small|dl|dt|dd|pre|code|iframe|noscript|svg|form|input|button|label)\b[^<>]{0,2000}>",
    re.I)
_MD_HINT = re.compile(
    r"(?m)^\s{0,3}#{1,6}\s+\S|^\s*\|?\s*:?-{3,}:?\s*\|\s*:?-{3,}|\*\*\S[^*\n]*\*\*|__\S[^_\n]*__|"
    r"\[[^\]\n]+\]\([^)\s]+\)|^\s*```")


def sniff_format(text: str, filename: str | None = None) -> str:
    """'html', 'markdown' or 'text', from the file extension, else the content."""
    if filename:
        low = filename.lower()
        if low.endswith((".html", ".htm", ".xhtml")):
            return "html"
        if low.endswith((".md", ".markdown", ".mdown", ".mkd")):
            return "markdown"
    head = text[:200000]
    if re.match(r"\s*<(?:!doctype\s+html|html\b|\?xml)", head, re.I):
        return "html"  # a whole HTML document, whatever its name
    # a .txt file is never sniffed as HTML from stray tags: "<script>" in it is text, not markup
    is_txt = bool(filename) and filename.lower().endswith(".txt")
    tags = [] if is_txt else _HTML_TAG.findall(head, 0, len(head))
    if len(tags) >= 2 or any(re.match(r"<(script|style|html|body|p|div)\b", t, re.I) for t in tags):
        return "html"
    if _MD_HINT.search(head):
        return "markdown"
    return "text"


# ---------------------------------------------------------------- HTML

_DROP_TAGS = ("script", "style", "noscript", "template", "svg", "iframe", "object", "embed", "head", "canvas",
              "math", "button", "select", "textarea", "form")
_BLOCK_TAGS = ("p", "div", "br", "hr", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "table",
               "section", "article", "main", "header", "footer", "nav", "aside", "blockquote", "pre", "figure",
               "figcaption", "dl", "dt", "dd", "thead", "tbody", "tfoot", "caption", "address", "details",
               "summary", "title", "body", "html")
_CELL_TAGS = ("td", "th")
#: inline styles and class/id names of elements a reader does not see (or that are not the article)
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
_NOT_ARTICLE = re.compile(r"(?:^|[-_\s])(?:cookie|consent|gdpr|sr-only|visually-hidden|screen-reader-text)(?:$|[-_\s])",
                          re.I)


#: a rule of a page's own stylesheet: its selectors and its declarations (".sr, #promo { display: none }")
_CSS_RULE = re.compile(r"([^{}]+)\{([^{}]*)\}")
#: a selector that is one class or one id (".sr", "div.sr", "#promo"): the only ones read
_CSS_SIMPLE = re.compile(r"^\s*(?:[a-z][a-z0-9]*)?([.#])([\w-]+)\s*$", re.I)


def hidden_by_stylesheet(markup_styles: list[str]) -> tuple[set[str], set[str]]:
    """(classes, ids) that the page's own ``<style>`` blocks hide (``display: none`` or ``visibility: hidden``), from
    rules whose selectors are one class or one id; issue 15, Deliver 6 (review11: a ``<div class="sr">`` hidden by
    the page's stylesheet was read as a claim). Media queries and compound selectors are not read."""
    classes: set[str] = set()
    ids: set[str] = set()
    for css in markup_styles:
        css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
        for sel, body in _CSS_RULE.findall(css):
            if not _HIDDEN_STYLE.search(body) or sel.strip().startswith("@"):
                continue
            for one in sel.split(","):
                m = _CSS_SIMPLE.match(one)
                if m:
                    (classes if m.group(1) == "." else ids).add(m.group(2))
    return classes, ids


#: an at-rule block ("@media print { … }", "@supports …"): its rules apply only sometimes (print, a narrow screen),
#: so what they hide is read; the block is cut out before the page's rules are read
_AT_BLOCK_START = re.compile(r"@[\w-]+[^{};]*\{")


def _without_at_blocks(css: str) -> str:
    out, i = [], 0
    for m in _AT_BLOCK_START.finditer(css):
        if m.start() < i:
            continue
        out.append(css[i:m.start()])
        depth, j = 1, m.end()
        while j < len(css) and depth:
            depth += {"{": 1, "}": -1}.get(css[j], 0)
            j += 1
        i = j
    return "".join(out) + css[i:]


def hidden_selectors(markup_styles: list[str]) -> list[str]:
    """The compound selectors the page's own ``<style>`` blocks hide (".faq .answer-old", "div.x, span.y" each,
    "[hidden]", "[aria-hidden=true]"), for :func:`html_to_text` to select with soupsieve (review12: they were not
    read, so text under them was checked). Only selectors that name a class, an id or an attribute: never a bare
    element ("p", "body"), never one with a pseudo-class (":hover .menu" is shown until hovered), never inside an
    at-rule block (``@media print``). One class or one id alone is :func:`hidden_by_stylesheet`'s."""
    out: list[str] = []
    for css in markup_styles:
        css = _without_at_blocks(re.sub(r"/\*.*?\*/", "", css, flags=re.S))
        for sel, body in _CSS_RULE.findall(css):
            if not _HIDDEN_STYLE.search(body):
                continue
            for one in (x.strip() for x in sel.split(",")):
                if one and not _CSS_SIMPLE.match(one) and re.search(r"[.#\[]", one) and ":" not in one:
                    out.append(one)
    return out


def _drop_selected(soup, selectors: list[str]) -> None:
    import soupsieve

    for sel in selectors:
        try:
            found = soup.select(sel)
        except (soupsieve.SelectorSyntaxError, ValueError, NotImplementedError):
            continue   # a selector soupsieve does not read: its text stays (never a guess at what it hides)
        for tag in found:
            if not tag.decomposed and tag.name not in ("html", "body"):
                tag.decompose()


def _not_shown(tag, hidden: tuple[set[str], set[str]] = (set(), set())) -> bool:
    """Elements the browser would not show, navigation, and cookie/consent banners."""
    if set(tag.get("class") or []) & hidden[0] or str(tag.get("id") or "") in hidden[1]:
        return True
    if tag.name == "nav" or tag.has_attr("hidden"):
        return True
    if str(tag.get("aria-hidden", "")).lower() == "true":
        return True
    style = tag.get("style")
    if isinstance(style, str) and _HIDDEN_STYLE.search(style):
        return True
    names = " ".join(tag.get("class") or []) + " " + str(tag.get("id") or "")
    return bool(names.strip()) and bool(_NOT_ARTICLE.search(names))


def html_to_text(markup: str) -> str:
    """Visible text of an HTML document or fragment (block elements become line breaks)."""
    from bs4 import BeautifulSoup, Comment, Doctype, NavigableString, ProcessingInstruction, Declaration, CData

    soup = BeautifulSoup(markup, "html.parser")
    # keep the <title> text as a first line, drop everything else in <head>
    title = soup.find("title")
    title_text = title.get_text(" ", strip=True) if title else ""
    styles = [t.get_text() for t in soup.find_all("style")]
    hidden = hidden_by_stylesheet([_without_at_blocks(x) for x in styles])
    compound = hidden_selectors(styles)
    if compound:
        _drop_selected(soup, compound)
    for tag in soup.find_all(_DROP_TAGS):
        tag.decompose()
    for tag in soup.find_all(lambda t: _not_shown(t, hidden)):
        if not tag.decomposed:
            tag.decompose()
    for node in soup.find_all(string=lambda s: isinstance(s, (Comment, Doctype, ProcessingInstruction,
                                                              Declaration, CData))):
        node.extract()
    for tag in soup.find_all(_CELL_TAGS):
        tag.insert_after(NavigableString("; "))
    for tag in soup.find_all(_BLOCK_TAGS):
        tag.insert_before(NavigableString("\n"))
        tag.insert_after(NavigableString("\n"))
    for tag in soup.find_all("img"):
        alt = tag.get("alt")
        tag.replace_with(NavigableString(f" {alt} " if isinstance(alt, str) and alt.strip() else " "))
    text = soup.get_text("")
    if title_text and title_text not in text[:2000]:
        text = title_text + "\n" + text
    return text


# ------------------------------------------------------------- Markdown

_MD_FENCE = re.compile(r"^\s*(```|~~~)")
_MD_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(.*?)(?:\s+#+)?\s*$")
_MD_SETEXT = re.compile(r"^\s{0,3}(=+|-{2,})\s*$")
_MD_TABLE_SEP = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")
_MD_REFDEF = re.compile(r"^\s{0,3}\[[^\]]+\]:\s+\S+.*$")
_MD_QUOTE = re.compile(r"^\s{0,3}(>\s?)+")
_MD_IMAGE = re.compile(r"!\[([^\]\n]*)\]\([^)\n]*\)")
_MD_LINK = re.compile(r"\[([^\]\n]+)\]\([^)\n]*\)")
_MD_REFLINK = re.compile(r"\[([^\]\n]+)\]\[[^\]\n]*\]")
_MD_AUTOLINK = re.compile(r"<((?:https?|mailto):[^>\s]+)>")
_MD_BOLD = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")
_MD_ITAL_STAR = re.compile(r"(?<![\w*])\*(?=[^\s*])([^*\n]+?)(?<=[^\s*])\*(?![\w*])")
_MD_ITAL_UND = re.compile(r"(?<![\w_])_(?=[^\s_])([^_\n]+?)(?<=[^\s_])_(?![\w_])")
_MD_STRIKE = re.compile(r"~~(?=\S)(.+?)(?<=\S)~~")
_MD_CODE = re.compile(r"`+([^`\n]+)`+")
_MD_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|>~])")
_MD_INLINE_HTML = re.compile(r"</?[A-Za-z][A-Za-z0-9]*(?:\s[^<>]{0,500})?/?>")


def markdown_to_text(md: str) -> str:
    """Markdown → plain text: headings, emphasis, links, code, quotes and table pipes removed. A fenced code block
    is not copy (editor s3 #47: "dose = 0.5 mg/kg  # 40 minutes" was read as two claims): its lines become blank,
    like hidden HTML, so offsets of the text around it are kept."""
    out: list[str] = []
    fence = ""
    for line in md.split("\n"):
        f = _match(_MD_FENCE, line)
        if fence:
            if f and line.strip().startswith(fence):
                fence = ""
            out.append("")
            continue
        if f:
            fence = line.strip()[:3]
        if f or _match(_MD_TABLE_SEP, line) or _match(_MD_REFDEF, line) \
                or (_match(_MD_SETEXT, line) and out and out[-1].strip()):
            out.append("")
            continue
        m = _match(_MD_HEADING, line)
        if m:
            line = m.group(1)
        line = _sub(_MD_QUOTE, "", line)
        stripped = line.strip()
        if stripped.count("|") >= 2 or (stripped.startswith("|") and stripped.endswith("|") and len(stripped) > 1):
            cells = [c.strip() for c in stripped.strip("|").split("|")]
            line = "; ".join(c for c in cells if c)
        line = _sub(_MD_IMAGE, r"\1", line)
        line = _sub(_MD_LINK, r"\1", line)
        line = _sub(_MD_REFLINK, r"\1", line)
        line = _sub(_MD_AUTOLINK, r"\1", line)
        line = _sub(_MD_CODE, r"\1", line)
        for _ in range(2):
            line = _sub(_MD_BOLD, r"\2", line)
        line = _sub(_MD_ITAL_STAR, r"\1", line)
        line = _sub(_MD_ITAL_UND, r"\1", line)
        line = _sub(_MD_STRIKE, r"\1", line)
        line = _sub(_MD_INLINE_HTML, "", line)
        line = _sub(_MD_ESCAPE, r"\1", line)
        out.append(line)
    return "\n".join(out)


def _sub(rx: re.Pattern, repl: str, line: str) -> str:
    """``rx.sub(repl, line)``, skipped when none of the expression's literals is in the line (nothing to replace;
    :mod:`evidence.check.rxfilter`): most lines have no Markdown at all."""
    return rx.sub(repl, line) if may_match(rx, line) else line


def _match(rx: re.Pattern, line: str):
    """``rx.match(line)``, or None at once when none of the expression's literals is in the line."""
    return rx.match(line) if may_match(rx, line) else None


# -------------------------------------------------------------- normalize

_SPACES = re.compile(r"[\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000\t\f\v]")
_INVISIBLE = re.compile(r"[\u200b-\u200d\u2060\ufeff\u00ad]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")
_MANY_BLANK = re.compile(r"\n[ ]*\n(?:[ ]*\n)+")


def normalize(text: str) -> str:
    """Fold line endings, exotic spaces and invisible/control characters."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n")
    text = _SPACES.sub(" ", text)
    text = _INVISIBLE.sub("", text)
    text = _CONTROL.sub(" ", text)
    text = _MANY_BLANK.sub("\n\n", text)
    return text.strip()


def to_plain_text(text: str, fmt: str = "auto", filename: str | None = None) -> tuple[str, str]:
    """Return (normalized plain text, format used)."""
    if fmt == "auto":
        fmt = sniff_format(text, filename)
    if fmt == "html":
        text = html_to_text(text)
        # an HTML page may carry Markdown-ish tables of pipes; leave them, they are harmless
    elif fmt == "markdown":
        text = markdown_to_text(normalize(text))
    return normalize(text), fmt


# -------------------------------------------------------------- language

#: the commonest function words of the languages whose copy is most likely to reach the checker; English is
#: what the detectors read. Numbers in the others use decimal commas ("18,1 %") and their words are not matched.
_FUNCTION_WORDS: dict[str, frozenset[str]] = {
    "English": frozenset("the and of to in is that for with are was as on be by this it or from at have not".split()),
    "German": frozenset("der die das und ist nicht mit von den sich des auf für eine ein dem zu im bei sind wurde "
                        "auch oder nach wie".split()),
    "French": frozenset("le la les et des est une un du dans pour que qui sur pas par avec sont au aux ont été".split()),
    "Spanish": frozenset("el la los las y del es una un en que por para con se su al son fue como pero".split()),
    "Italian": frozenset("il lo gli e del della è una un per che con non sono nel alla dei delle".split()),
    "Dutch": frozenset("de het een en van is dat niet met voor zijn op te ook bij werd aan".split()),
    "Portuguese": frozenset("o os as e do da é uma um em que por para com não são foi dos das".split()),
}
_WORD = re.compile(r"[^\W\d_]+")


def language_of(text: str, sample: int = 20000) -> tuple[str, float]:
    """(language, share of function words that are that language's) from the first ``sample`` characters.

    A deliberately small reader: it only has to tell English copy from copy the detectors would misread.
    """
    counts = dict.fromkeys(_FUNCTION_WORDS, 0)
    for w in _WORD.findall(text[:sample].lower()):
        for lang, words in _FUNCTION_WORDS.items():
            if w in words:
                counts[lang] += 1
    total = sum(counts.values())
    if total < 3:
        return "English", 1.0
    lang = max(counts, key=counts.get)
    return lang, counts[lang] / total


def require_english(text: str) -> None:
    """Refuse copy in another language (exit 2) with a message naming it."""
    lang, share = language_of(text)
    if lang != "English" and share >= 0.5:
        raise InputError(f"the text reads as {lang}; evidence check reads English copy only (in {lang} decimal commas "
                         "and phrasing would be misread, so its figures are not checked)")


# ------------------------------------------------------------- sentences

_ABBREV = frozenset("""
e.g i.e etc vs cf al approx ca est dr mr mrs ms prof st jr sr no nos fig figs vol pp p ed eds dept inc ltd co corp
u.s u.k u.n e.u jan feb mar apr jun jul aug sep sept oct nov dec mt ft lt gen gov sen rep rev hon mg ml min max
resp incl viz pts pt ref refs sec esp approx. ph.d m.d b.a m.a d.o r.n
""".split())
# a boundary candidate: terminal punctuation (+ closing quotes/brackets) then whitespace
_BOUNDARY = re.compile(r"[.!?…]+[\"'”’)\]]*(?=\s+)")
_BULLET = re.compile(r"[ ]*(?:[-*+•●▪◦‣·–—⦁]|\(?\d{1,3}[.)]|\(?[a-zA-Z][.)](?=\s))[ ]+")
_WORD_BEFORE = re.compile(r"(\S+)$")


def _is_abbrev(text: str, dot: int) -> bool:
    """Is the '.' at text[dot] the end of an abbreviation or an initial?"""
    m = _WORD_BEFORE.search(text, max(0, dot - 20), dot)
    if not m:
        return False
    word = m.group(1).lstrip("([\"'“‘").lower()
    if not word:
        return False
    if word in _ABBREV or word.rstrip(".") in _ABBREV:
        return True
    if len(word) == 1 and word.isalpha():  # an initial: "J. Smith"
        return True
    if re.fullmatch(r"(?:[a-z]\.)+[a-z]", word):  # "u.s", "e.g", "ph.d"
        return True
    return False


def _split_line(text: str, start: int, end: int, out: list) -> None:
    pos = start
    first = len(out)
    for m in _BOUNDARY.finditer(text, start, end):
        cut = m.end()
        nxt = cut
        while nxt < end and text[nxt] == " ":
            nxt += 1
        if nxt >= end:
            break
        ch = text[nxt]
        if not (ch.isupper() or ch.isdigit() or ch in "\"'“‘([•-–—*"):
            continue
        punct = text[m.start()]
        if punct == "." and m.end() - m.start() == 1 and _is_abbrev(text, m.start()):
            continue
        out.append((pos, cut, False))
        pos = nxt
    out.append((pos, end, len(out) == first))


def split_sentences(text: str) -> list[Sentence]:
    """Sentences of a normalized text as spans: line breaks and list bullets are boundaries;
    '.', '!' and '?' are boundaries unless they end an abbreviation ("e.g.", "U.S.", "Dr.")
    or sit inside a number ("0.5", "~28.9")."""
    spans: list[tuple[int, int, bool]] = []
    bullets: set[int] = set()          # where a list item's text starts
    n = len(text)
    line_start = 0
    while line_start <= n:
        line_end = text.find("\n", line_start)
        if line_end < 0:
            line_end = n
        s = line_start
        b = _BULLET.match(text, s, line_end)
        if b:
            s = b.end()
        while s < line_end and text[s] == " ":
            s += 1
        if b:
            bullets.add(s)
        if s < line_end:
            _split_line(text, s, line_end, spans)
        line_start = line_end + 1
    out: list[Sentence] = []
    for a, b, whole in spans:
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        if b <= a:
            continue
        while b - a > MAX_SENTENCE:  # run-on text: cut at the last space before the limit
            cut = text.rfind(" ", a + MAX_SENTENCE // 2, a + MAX_SENTENCE)
            if cut <= a:
                cut = a + MAX_SENTENCE
            out.append(Sentence(a, cut, text[a:cut], len(out), False))
            a = cut
            while a < b and text[a].isspace():
                a += 1
        if b > a:
            out.append(Sentence(a, b, text[a:b], len(out), whole, a in bullets))
    return out
