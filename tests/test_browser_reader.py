"""The reader report in headless Chromium, at a phone's 390 px and a desktop's 1280 px.

Builds the real report once (pages come from the build cache in .cache/report when current)
and checks what a reader meets: no page scrolls sideways, no table cell spills into the next,
text is at least 14 px, every permalink the exports carry lands on a claim card, the claim
explorer filters (and lists every claim without JavaScript), a highlighted claim in the
annotated article opens its card, and the report stays light enough for a phone.
"""
from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from browser_support import ARGS, require_browser

ROOT = Path(__file__).resolve().parents[1]
pytestmark = [pytest.mark.browser, pytest.mark.slow]

WIDTHS = (390, 1280)


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    from evidence.report.build import Options, build

    out = tmp_path_factory.mktemp("reader") / "report"
    res = build(Options(manifest=ROOT / "notebooks" / "manifest.toml", out=out, data=ROOT / "data",
                        cache=ROOT / ".cache" / "report", quiet=True, progress=False))
    assert res.exit_code == 0, res.failures
    return out


@pytest.fixture(scope="module")
def browser():
    exe, sync_playwright = require_browser()
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=exe, args=ARGS)
        yield p, b
        b.close()


def _context(browser, width: int, js: bool = True):
    p, b = browser
    if width == 390:
        kw = dict(p.devices["iPhone 12"])
        kw.pop("default_browser_type", None)
    else:
        kw = {"viewport": {"width": width, "height": 900}}
    return b.new_context(java_script_enabled=js, **kw)


def _readers_pages(report: Path) -> list[Path]:
    return [report / "index.html", *sorted((report / "pages").glob("*.html"))]


LAYOUT_JS = """() => {
  const de = document.documentElement;
  const out = {scroll: de.scrollWidth, client: de.clientWidth, spills: [], small: []};
  for (const cell of document.querySelectorAll('td, th')) {
    if (cell.scrollWidth > cell.clientWidth + 2 && getComputedStyle(cell).overflowX === 'visible')
      out.spills.push(cell.textContent.trim().slice(0, 60));
  }
  for (const row of document.querySelectorAll('tr')) {
    const cells = [...row.children].map(c => c.getBoundingClientRect()).filter(r => r.width > 0);
    for (let i = 1; i < cells.length; i++)
      if (cells[i].left < cells[i - 1].right - 2) out.spills.push('overlap: ' + row.textContent.trim().slice(0, 60));
  }
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const t = walker.currentNode, el = t.parentElement;
    if (!t.textContent.trim() || !el || !el.getClientRects().length) continue;
    if (el.closest('svg, .ev-spec, footer, [hidden]')) continue;
    const size = parseFloat(getComputedStyle(el).fontSize);
    if (size < 13.95) out.small.push(size.toFixed(1) + 'px: ' + t.textContent.trim().slice(0, 40));
  }
  return out;
}"""


@pytest.mark.parametrize("width", WIDTHS)
def test_no_page_scrolls_sideways_and_no_cell_spills(report, browser, width):
    ctx = _context(browser, width)
    page = ctx.new_page()
    problems = []
    # every page: the readers', the data page and the researchers' code pages
    for f in [*_readers_pages(report), report / "data.html", *sorted((report / "code").glob("*.html"))]:
        page.goto(f.as_uri())
        r = page.evaluate(LAYOUT_JS)
        name = f.relative_to(report).as_posix()
        if r["scroll"] > r["client"] + 1:
            problems.append(f"{name} @{width}: {r['scroll']} px wide in a {r['client']} px window")
        problems += [f"{name} @{width}: cell spills: {s}" for s in r["spills"][:3]]
    ctx.close()
    assert problems == []


@pytest.mark.parametrize("width", WIDTHS)
def test_reader_text_is_at_least_14px(report, browser, width):
    ctx = _context(browser, width)
    page = ctx.new_page()
    small = {}
    for f in [report / "index.html", *sorted((report / "pages").glob("article-*.html")),
              report / "pages" / "claims.html", report / "pages" / "sources.html"]:
        page.goto(f.as_uri())
        s = page.evaluate(LAYOUT_JS)["small"]
        if s:
            small[f.name] = s[:3]
    ctx.close()
    assert small == {}


def test_every_permalink_resolves(report, browser):
    rows = list(csv.DictReader((report / "downloads" / "claims.csv").open(encoding="utf-8")))
    reviews = json.loads((report / "downloads" / "claims.jsonld").read_text(encoding="utf-8"))
    assert len(rows) == len(reviews) > 100
    # the review an editor republishes is the card in words: no source id, code or raw float
    from evidence.report import lint

    ids = lint._ids(ROOT / "data")
    bad = [str(f) for r in reviews for f in lint.lint_text(r["url"], r["reviewBody"], [], ids)]
    assert bad == [] and all(r["review"] for r in rows)
    targets: dict[Path, set[str]] = {}
    for link in [r["permalink"] for r in rows] + [r["url"] for r in reviews]:
        path, frag = link.split("#")
        targets.setdefault((report / "downloads" / path).resolve(), set()).add(frag)
    ctx = _context(browser, 1280)
    page = ctx.new_page()
    missing = []
    for path, frags in targets.items():
        assert path.is_file(), path
        page.goto(path.as_uri())
        # each target is a card a reader can see (not a hidden or collapsed element)
        found = page.evaluate("(ids) => ids.filter(i => { const e = document.getElementById(i);"
                              " return !e || !e.matches('article.ev-claim') || !e.getClientRects().length; })",
                              sorted(frags))
        missing += [f"{path.name}#{i}" for i in found]
    # following one: the card is where the window lands
    page.goto((report / "pages" / "article-000_5567c11ba940ceba.html").as_uri() + "#claim-000-17")
    top = page.evaluate("document.getElementById('claim-000-17').getBoundingClientRect().top")
    ctx.close()
    assert missing == []
    assert 0 <= top < 100


def test_claim_explorer_filters(report, browser):
    rows = list(csv.DictReader((report / "downloads" / "claims.csv").open(encoding="utf-8")))
    n = len(rows)
    contradicted = sum(r["verdict"] == "contradicted" for r in rows)
    in_003 = sum(r["article"] == "003_ad3450c415c3f1bc" for r in rows)
    url = (report / "pages" / "claims.html").as_uri()
    # without JavaScript: every claim is listed and the filters (which need it) are not shown
    ctx = _context(browser, 390, js=False)
    page = ctx.new_page()
    page.goto(url)
    assert page.locator("[data-claim]:visible").count() == n
    assert not page.locator("#ev-filters").is_visible()
    ctx.close()
    ctx = _context(browser, 390)
    page = ctx.new_page()
    page.goto(url)
    assert page.locator("#ev-count").inner_text() == f"Showing all {n} claims."
    page.select_option("#ev-f-verdict", "contradicted")
    assert page.locator("[data-claim]:visible").count() == contradicted
    assert set(page.locator("[data-claim]:visible").evaluate_all("els => els.map(e => e.dataset.verdict)")) == {
        "contradicted"}
    assert page.locator("#ev-count").inner_text() == f"Showing {contradicted} of {n} claims."
    page.select_option("#ev-f-verdict", "")
    page.select_option("#ev-f-article", "003_ad3450c415c3f1bc")
    assert page.locator("[data-claim]:visible").count() == in_003
    page.select_option("#ev-f-article", "")
    page.fill("#ev-f-text", "placebo")
    texts = page.locator("[data-claim]:visible").all_inner_texts()
    assert 0 < len(texts) < n and all("placebo" in t.lower() for t in texts)
    # the filter state is in the address, so a filtered view can be linked
    assert "text=placebo" in page.url
    ctx.close()


def test_explorer_with_no_match_offers_to_clear_and_counts_per_article(report, browser):
    # review item 31: no "clear filters" on 0 results; the per-article counts did not follow the filters
    rows = list(csv.DictReader((report / "downloads" / "claims.csv").open(encoding="utf-8")))
    n = len(rows)
    in_003 = sum(r["article"] == "003_ad3450c415c3f1bc" for r in rows)
    ctx = _context(browser, 390)
    page = ctx.new_page()
    page.goto((report / "pages" / "claims.html").as_uri())
    assert not page.locator("#ev-clear").is_visible()
    page.fill("#ev-f-text", "zzqx no such words")
    assert page.locator("[data-claim]:visible").count() == 0
    assert page.locator("#ev-count").inner_text() == "No claim matches these filters."
    page.locator("#ev-clear").click()
    assert page.locator("[data-claim]:visible").count() == n
    assert page.locator("#ev-f-text").input_value() == "" and not page.locator("#ev-clear").is_visible()
    page.select_option("#ev-f-verdict", "-fails")
    fails_003 = sum(r["article"] == "003_ad3450c415c3f1bc" and r["verdict"] not in ("accurate", "accurate_missing_context")
                    for r in rows)
    counter = page.locator('[data-article-section="003_ad3450c415c3f1bc"] [data-section-count]')
    assert counter.inner_text() == f"Showing {fails_003} of {in_003} claims of this article."
    ctx.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_verdict_bar_segments_show_their_symbol_whole(report, browser, width):
    # review item 32: on a phone the one-claim segments (✗ ≠ ▲ ±) were printed over each other
    ctx = _context(browser, width)
    page = ctx.new_page()
    bad = []
    for f in [report / "index.html", *sorted((report / "pages").glob("article-*.html")), report / "pages" / "claims.html"]:
        page.goto(f.as_uri())
        bad += [f"{f.name}: {t}" for t in page.evaluate("""() => [...document.querySelectorAll('.ev-bar > span')]
            .filter(s => s.scrollWidth > s.clientWidth + 1 || s.clientWidth < 14).map(s => s.title)""")]
    ctx.close()
    assert bad == []


def test_wide_table_on_a_phone_says_it_scrolls(report, browser):
    # review item 12: a box that scrolls sideways on a phone carries a visible cue above it
    ctx = _context(browser, 390)
    page = ctx.new_page()
    missing, cued = [], 0
    for f in [report / "index.html", *sorted((report / "pages").glob("*.html"))]:
        page.goto(f.as_uri())
        r = page.evaluate("""() => [...document.querySelectorAll('div, table, figure')]
            .filter(b => ['auto', 'scroll'].includes(getComputedStyle(b).overflowX))
            .filter(b => b.scrollWidth > b.clientWidth + 2 && b.getClientRects().length)
            .map(b => { const c = b.previousElementSibling;
                        return c && c.classList.contains('ev-live') && c.getClientRects().length ? 1 : 0; })""")
        cued += sum(r)
        missing += [f.name] * (len(r) - sum(r))
    ctx.close()
    # at least the annotated article's three-column comparison table (article 000) scrolls on a phone
    assert missing == [] and cued >= 1


def test_annotated_claim_opens_its_card(report, browser):
    url = (report / "pages" / "article-000_5567c11ba940ceba.html").as_uri()
    ctx = _context(browser, 390)
    page = ctx.new_page()
    page.goto(url)
    hl = page.locator('#annotated a.ev-hl[data-claim-ref="000-17"]')
    assert hl.get_attribute("href") == "#claim-000-17"      # without JS: a link to the card
    hl.click()
    pop = page.locator(".ev-pop")
    assert pop.is_visible() and "odds ratio" in pop.inner_text()
    box = pop.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390 + 1
    page.keyboard.press("Escape")
    assert page.locator(".ev-pop").count() == 0
    ctx.close()


def test_verdict_card_fits_the_first_screen(report, browser):
    # "each article's verdict is clear within ten seconds": the bottom line and the verdict bar are
    # on the first screen of a phone
    ctx = _context(browser, 390)
    page = ctx.new_page()
    for f in sorted((report / "pages").glob("article-*.html")):
        page.goto(f.as_uri())
        h = page.evaluate("window.innerHeight")
        for sel in (".ev-verdict-card .ev-bottom", ".ev-verdict-card .ev-bar"):
            box = page.locator(sel).first.bounding_box()
            assert box["y"] + box["height"] <= h, (f.name, sel, box, h)
    ctx.close()


def _sizes(report: Path):
    pages = {p.relative_to(report).as_posix(): p.stat().st_size for p in report.rglob("*.html")}
    total = sum(p.stat().st_size for p in report.rglob("*") if p.is_file())
    return pages, total


def test_stylesheet_is_shared_not_inlined(report):
    for p in _readers_pages(report):
        text = p.read_text(encoding="utf-8")
        assert "static/report.css" in text, p
        # a notebook output may carry a small <style> of its own (a pandas Styler table); the ~261 KB
        # of JupyterLab CSS nbconvert used to inline must not come back
        import re

        inline = sum(len(m) for m in re.findall(r"<style[^>]*>(.*?)</style>", text, flags=re.S))
        assert inline < 5_000 and "--jp-" not in text, (p, inline)
    assert (report / "static" / "report.css").stat().st_size < 40_000


def test_report_weight(report):
    pages, total = _sizes(report)
    heavy = {k: v for k, v in pages.items() if v > 700_000}
    assert heavy == {} and total < 10_000_000, (heavy, total)


def test_reader_lint_on_the_built_report(report):
    from evidence.report import lint

    found = lint.lint_report(report, ROOT / "data")
    mine = [str(f) for f in found if f.page.startswith(("pages/article-", "pages/claims", "pages/sources"))]
    assert mine == []


def test_reader_lint_whole_report_is_clean(report):
    from evidence.report import lint

    assert [str(f) for f in lint.lint_report(report, ROOT / "data")] == []
