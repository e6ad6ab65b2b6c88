"""HTML around the notebooks: navigation, index, data page, provenance footer, offline check."""
from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from evidence.report.cards import site_templates, strip_search_log
from evidence.report.reader import UNTITLED, bar_data, bottom_line

HERE = Path(__file__).resolve().parent
TEMPLATES_DIR = HERE / "templates"
STATIC_DIR = HERE / "static"
FOOTER_MARK = "<!--evidence:footer-->"
BUILD_TIME_ATTR = "data-build-time"   # marks the one line per page that changes from build to build


#: files of static/ published in report/static/ (the one stylesheet, the code colours, the script)
STATIC_FILES = ("report.css", "code.css", "report.js")


def _tint(colour: str, keep: float = 0.28) -> str:
    """``colour`` mixed with white (``keep`` of the colour): the background behind a verdict's text."""
    c = colour.lstrip("#")
    rgb = [int(c[i:i + 2], 16) for i in (0, 2, 4)]
    return "#" + "".join(f"{round(255 - (255 - v) * keep):02x}" for v in rgb)


def verdict_css() -> str:
    """One rule per verdict from :data:`evidence.vocab.VERDICTS`: its colour and a light tint."""
    from evidence import vocab

    def ink(colour: str) -> str:
        # text on the verdict's colour: white on dark colours, near-black on light ones (WCAG luminance)
        c = colour.lstrip("#")
        lin = [(v / 255) / 12.92 if v / 255 <= 0.03928 else (((v / 255) + 0.055) / 1.055) ** 2.4
               for v in (int(c[i:i + 2], 16) for i in (0, 2, 4))]
        lum = 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]
        return "#ffffff" if (1.05 / (lum + 0.05)) > ((lum + 0.05) / 0.05) else "#111111"

    rules = [f".ev-v-{v.code} {{ --vc: {v.colour}; --vt: {_tint(v.colour)}; --vi: {ink(v.colour)}; }}"
             for v in vocab.VERDICTS.values()]
    return "/* verdict colours, generated from evidence.vocab.VERDICTS */\n" + "\n".join(rules)


def css() -> str:
    """The report's stylesheet as published in report/static/report.css."""
    return (STATIC_DIR / "report.css").read_text(encoding="utf-8").strip() + "\n\n" + verdict_css() + "\n"


def write_static(root: Path) -> list[Path]:
    """Publish the shared stylesheet, code colours and script in ``root``/static/; every page links them."""
    out = Path(root) / "static"
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name in STATIC_FILES:
        text = css() if name == "report.css" else (STATIC_DIR / name).read_text(encoding="utf-8")
        (out / name).write_text(text, encoding="utf-8")
        written.append(out / name)
    return written


def _a(href: str, text: str, current: bool = False, download: bool = False) -> str:
    if current:
        return f'<span class="ev-current">{html.escape(text)}</span>'
    extra = " download" if download else ""
    return f'<a href="{html.escape(href)}"{extra}>{html.escape(text)}</a>'


def nav(depth: int, *, index_title: str, crumb: str = "", views: list[tuple[str, str, bool, bool]] = ()) -> str:
    """Top bar. ``views``: (href relative to the page, label, is_current, is_download)."""
    up = "../" * depth
    parts = [f'<a class="ev-home" href="{up}index.html">{html.escape(index_title)}</a>']
    if crumb:
        parts.append(f'<span class="ev-crumb">{html.escape(crumb)}</span>')
    if views:
        parts.append('<span class="ev-views">' + "".join(_a(h, t, c, d) for h, t, c, d in views) + "</span>")
    return '<nav class="ev-nav"><div class="ev-nav-inner">' + "".join(parts) + "</div></nav>"


def page_headers(name: str, title: str, section_title: str, index_title: str) -> tuple[str, str]:
    """Navigation for the reader page (pages/<name>.html) and the code page (code/<name>.html)."""
    if title.lower().startswith("[untitled]"):
        title = UNTITLED
    short = re.split(r" \(|: ", title)[0]      # the crumb stays short: the page's own heading has the rest
    crumb = f"{section_title} › {short}"
    reader = nav(1, index_title=index_title, crumb=crumb, views=[
        ("", "Reader view", True, False),
        (f"../code/{name}.html", "Show code", False, False),
        (f"../notebooks/{name}.ipynb", "Notebook (.ipynb)", False, True)])
    code = nav(1, index_title=index_title, crumb=crumb, views=[
        (f"../pages/{name}.html", "Reader view", False, False),
        ("", "Code", True, False),
        (f"../notebooks/{name}.ipynb", "Notebook (.ipynb)", False, True)])
    return reader, code


def footer(*, git: str, data_sum: str, versions: dict[str, str], packages: tuple[str, ...], built: str,
           validated: str, depth: int) -> str:
    up = "../" * depth
    vers = " · ".join(f"{html.escape(p)} {html.escape(versions.get(p, '?'))}" for p in (*packages, "python"))
    # the checksum is shortened (the data page has it in full): 64 characters would push a phone page sideways
    return (
        '<footer class="ev-provenance">\n'
        f'<p>Commit <code>{html.escape(git)}</code> · data '
        f'<a href="{up}data.html" title="SHA-256 {html.escape(data_sum)}"><code>{html.escape(data_sum[:12])}</code></a>'
        f" · {html.escape(validated)}</p>\n"
        f"<p>{vers}</p>\n"
        f'<p class="build-time" {BUILD_TIME_ATTR}>Built {html.escape(built)}</p>\n'
        "</footer>"
    )


def insert_footer(page_html: str, footer_html: str) -> str:
    if FOOTER_MARK not in page_html:
        raise ValueError("page has no footer placeholder")
    return page_html.replace(FOOTER_MARK, footer_html, 1)


# --------------------------------------------------------------------------- jinja pages

def render_site(template: str, **ctx: Any) -> str:
    from markupsafe import Markup

    ctx.setdefault("up", "")
    ctx["nav"] = Markup(ctx["nav"])
    return site_templates(keep_trailing_newline=True).get_template(template).render(**ctx)


def readme_html(text: str) -> str:
    from markupsafe import Markup

    try:
        import mistune

        md = mistune.create_markdown(escape=True, plugins=["table"])
        return Markup(md(text))
    except Exception:  # noqa: BLE001 - any trouble: show the text as is
        return Markup("<pre>" + html.escape(text) + "</pre>")


# --------------------------------------------------------------------------- scorecards

def verdict_meta() -> dict[str, tuple[str, int, str]]:
    """verdict -> (label, rating 1-5, rule) from :mod:`evidence.verdicts` when it is there."""
    try:
        from evidence.verdicts import SCALE

        return {k: (v[0], int(v[1]), str(v[2])) for k, v in SCALE.items()}
    except Exception:  # noqa: BLE001 - the scale is optional for the index
        return {}


def verdict_terms() -> list[dict]:
    """Every verdict a reader meets, in the order they see them, with its rule in words."""
    from evidence import vocab

    meta = verdict_meta()
    out = []
    for code in ("accurate", "accurate_missing_context", *[c for c in vocab.VERDICT_ORDER if c in vocab.FAILING]):
        v = vocab.VERDICTS[code]
        if code not in meta:
            continue          # a verdict the engine does not give (no rule to state)
        rule = meta[code][2]
        out.append({"code": code, "label": v.label, "symbol": v.symbol, "holds": v.holds,
                    "rule": strip_search_log(rule) if "_" in rule else rule})
    return out


def article_rows(pages: list[dict]) -> dict | None:
    """The index's bottom line: per article its title, site, one sentence and a stacked verdict bar;
    and the same over all articles. None when no page gives verdict counts."""
    rows, total = [], {}
    for p in pages:
        res = p.get("results") or {}
        vc = res.get("verdict_counts")
        if not isinstance(vc, dict):
            rows.append({"page": p, "title": p["title"], "site": "", "bottom": "", "segments": [], "n": 0})
            continue
        counts = {}
        for k, n in vc.items():
            try:
                counts[str(k)] = int(n or 0)
            except (TypeError, ValueError):
                continue
        for k, n in counts.items():
            total[k] = total.get(k, 0) + n
        rows.append({"page": p, "title": str(res.get("reader_title") or p["title"]), "site": str(res.get("site") or ""),
                     "bottom": str(res.get("bottom_line") or bottom_line(counts)), "segments": bar_data(counts),
                     "n": sum(counts.values())})
    if not any(r["segments"] for r in rows):
        return None
    return {"rows": rows, "bottom": bottom_line(total), "segments": bar_data(total), "n": sum(total.values()),
            "terms": verdict_terms()}


def scorecard(pages: list[dict]) -> dict | None:
    """A verdict table over pages whose results carry ``verdict_counts``; None when none do."""
    counted = [p for p in pages if isinstance((p.get("results") or {}).get("verdict_counts"), dict)]
    if not counted:
        return None
    meta = verdict_meta()
    seen: list[str] = []
    for p in counted:
        for v in p["results"]["verdict_counts"]:
            if v not in seen:
                seen.append(str(v))
    known = [v for v in meta if v in seen]
    order = known + [v for v in seen if v not in meta]
    columns = [{"key": v, "label": meta[v][0] if v in meta else v.replace("_", " ").capitalize(),
                "rating": meta[v][1] if v in meta else 0, "help": meta[v][2] if v in meta else ""}
               for v in order]
    rows = []
    totals = [0] * len(order)
    for p in pages:
        vc = (p.get("results") or {}).get("verdict_counts")
        if not isinstance(vc, dict):
            rows.append({"page": p, "counts": None, "total": None})
            continue
        counts = []
        for i, v in enumerate(order):
            try:
                n = int(vc.get(v, 0) or 0)
            except (TypeError, ValueError):
                n = 0
            counts.append(n)
            totals[i] += n
        rows.append({"page": p, "counts": counts, "total": sum(counts)})
    return {"columns": columns, "rows": rows, "totals": totals, "total": sum(totals)}


# --------------------------------------------------------------------------- offline check

_LOADING = {  # tag -> attributes whose URL the browser fetches on its own
    "script": ("src",), "link": ("href",), "img": ("src", "srcset"), "iframe": ("src",), "frame": ("src",),
    "embed": ("src",), "object": ("data",), "source": ("src", "srcset"), "video": ("src", "poster"),
    "audio": ("src",), "track": ("src",), "input": ("src",), "image": ("href", "xlink:href"),
    "use": ("href", "xlink:href"), "base": ("href",),
}
_REMOTE = re.compile(r"^\s*(?:[a-z][a-z0-9+.-]*:)?//", re.I)
_CSS_REMOTE = re.compile(r"(?:url\(\s*['\"]?|@import\s+['\"])\s*((?:https?:)?//[^'\")\s]+)", re.I)


class _Scan(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.remote: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag, attrs):
        tag = tag.lower()
        for name, value in attrs:
            if value is None:
                continue
            name = name.lower()
            if name in _LOADING.get(tag, ()):
                urls = [u.strip().split()[0] for u in value.split(",") if u.strip()] if name == "srcset" else [value]
                for u in urls:
                    if _REMOTE.match(u) and not u.lower().startswith("file:"):
                        self.remote.append(f"<{tag} {name}={u!r}>")
            if name == "style":
                self.remote += [f"<{tag} style> url {m}" for m in _CSS_REMOTE.findall(value)]
        if tag == "style":
            self._in_style = True

    def handle_endtag(self, tag):
        if tag.lower() == "style":
            self._in_style = False

    def handle_data(self, data):
        if self._in_style:
            self.remote += [f"<style> {m}" for m in _CSS_REMOTE.findall(data)]


def remote_resources(page_html: str) -> list[str]:
    """Every URL the page would fetch from the network by itself (links to click are fine)."""
    s = _Scan()
    s.feed(page_html)
    s.close()
    return s.remote


def offline_violations(root: Path) -> list[str]:
    out = []
    for p in sorted(root.rglob("*.html")):
        for r in remote_resources(p.read_text(encoding="utf-8")):
            out.append(f"{p.relative_to(root).as_posix()}: {r}")
    return out
