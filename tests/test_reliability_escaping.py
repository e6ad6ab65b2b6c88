"""Hostile and unusual text is shown, never run (issue #8).

An article whose text, title, publisher and claim quote carry ``<script>``
tags, an ``<img onerror>``, HTML entities that must stay entities, a
right-to-left override, zero-width joiners, a ZWJ emoji and stacked combining
marks (tests/fixtures/reliability/builders.py) goes through

* the report: the real ``notebooks/article.ipynb`` rendered by ``evidence
  report`` from a fixture evidence base, plus the index and the data page
  (whose README carries the same text), and
* ``evidence check --format html`` (text and HTML input).

Every page is checked in the HTML source and in headless Chromium: no dialog
opens, ``window.__xss`` (which every payload would set) stays undefined, and
the text is visible literally. The report build is also done twice to check it
is deterministic with the real article notebook.
"""
from __future__ import annotations

import html
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent / "fixtures" / "reliability"))

from builders import (COMBINING, ENTITIES, FLAG_IMG, FLAG_SCRIPT, PIECES, REPO, RTL, SCRIPT, TITLE,  # noqa: E402
                      ZWJ_EMOJI, ZWNJ, make_data, open_in_chromium, snapshot)

from evidence.report.cache import package_checksum  # noqa: E402

ARTICLE_NB = REPO / "notebooks" / "article.ipynb"
_BUILT_WITH: list[str] = []      # src/evidence checksum at the first build (others may edit the tree meanwhile)
RAW_MARKUP = [SCRIPT, FLAG_SCRIPT, FLAG_IMG, "<img src=x", "<script>window"]
ZERO_WIDTH = re.compile("[\u200b-\u200d]")
MANIFEST = """title = "Escaping fixture <b>bold?</b>"

[[page]]
name = "article"
notebook = "article.ipynb"
title = "Article"
section = "articles"
foreach_csv = "data/articles.csv"
foreach_column = "article_id"
"""


def build(root: Path, out: str, *extra: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "evidence", "report", "--manifest", str(root / "notebooks" / "manifest.toml"),
                           "--data", str(root / "data"), "--out", str(root / out), "--cache", str(root / ".cache"),
                           *extra], cwd=root, capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def hostile_report(tmp_path_factory) -> Path:
    assert ARTICLE_NB.is_file(), f"{ARTICLE_NB} is missing"
    root = tmp_path_factory.mktemp("escaping")
    make_data(root, hostile=True)
    (root / "notebooks").mkdir()
    shutil.copyfile(ARTICLE_NB, root / "notebooks" / "article.ipynb")
    (root / "notebooks" / "manifest.toml").write_text(MANIFEST, encoding="utf-8")
    proc = build(root, "report")
    assert proc.returncode == 0, proc.stderr
    _BUILT_WITH[:] = [package_checksum()]
    return root / "report"


def report_pages(report: Path) -> dict[str, list[str]]:
    """page -> the hostile pieces it must show literally."""
    title_pieces = [SCRIPT, FLAG_IMG, ENTITIES, RTL, ZWJ_EMOJI]
    return {"index.html": title_pieces, "data.html": PIECES, "pages/article-a1.html": PIECES,
            "code/article-a1.html": PIECES}


# --------------------------------------------------------------------------- the report

@pytest.mark.slow
def test_report_html_never_carries_the_markup_raw(hostile_report):
    pages = sorted(hostile_report.rglob("*.html"))
    assert len(pages) >= 4
    for p in pages:
        text = p.read_text(encoding="utf-8")
        for raw in RAW_MARKUP:
            assert raw not in text, f"{p.relative_to(hostile_report)} carries {raw!r} unescaped"
        # entities in the data must stay visible as entities: "&lt;" is written "&amp;lt;"
        assert ENTITIES not in text, f"{p.relative_to(hostile_report)} turned {ENTITIES!r} into markup"
    article = (hostile_report / "pages" / "article-a1.html").read_text(encoding="utf-8")
    assert html.escape(SCRIPT, quote=False) in article
    assert RTL in article and ZWJ_EMOJI in article and COMBINING in article and ZWNJ in article


@pytest.mark.slow
@pytest.mark.browser
def test_report_in_chromium_runs_nothing_and_shows_the_text(hostile_report):
    pages = report_pages(hostile_report)
    urls = {(hostile_report / rel).resolve().as_uri(): rel for rel in pages}
    results = open_in_chromium(list(urls))
    for url, rec in results.items():
        rel = urls[url]
        assert rec["dialogs"] == [], f"{rel}: a dialog opened: {rec['dialogs']}"
        assert rec["xss"] == "undefined", f"{rel}: a payload ran (window.__xss is {rec['xss']})"
        assert rec["leaving"] == [], f"{rel}: requests left the machine: {rec['leaving']}"
        for piece in pages[rel]:
            assert piece in rec["text"], f"{rel}: {piece!r} is not shown literally"
    index = results[(hostile_report / "index.html").resolve().as_uri()]
    assert TITLE.split(" <")[0] in index["text"]
    assert "Escaping fixture <b>bold?</b>" in index["title"]           # the manifest title, as text


@pytest.mark.slow
def test_two_builds_of_the_real_article_page_are_identical(hostile_report):
    from evidence.report.render import BUILD_TIME_ATTR

    root = hostile_report.parent
    if package_checksum() != _BUILT_WITH[0]:      # src/evidence changed since: rebuild the first one too
        assert build(root, "report", "--force").returncode == 0
    proc = build(root, "report-again", "--force")
    assert proc.returncode == 0, proc.stderr
    assert "1 executed" in proc.stderr

    def strip(snap):
        out = {}
        for k, v in snap.items():
            if k.endswith(".html"):
                v = b"\n".join(ln for ln in v.split(b"\n") if BUILD_TIME_ATTR.encode() not in ln)
            out[k] = v
        return out

    a, b = strip(snapshot(hostile_report)), strip(snapshot(root / "report-again"))
    assert sorted(a) == sorted(b)
    differ = [k for k in a if a[k] != b[k]]
    assert not differ, f"files differ beyond the build-time lines: {differ}"


# --------------------------------------------------------------------------- evidence check --format html

CHECK_TEXT = (f"Ketamine helps {SCRIPT} {FLAG_SCRIPT} quickly. {FLAG_IMG} About 12.1% of adults have SAD "
              f"{ENTITIES} {RTL} {ZWJ_EMOJI} {ZWNJ} {COMBINING}.\n\nIn one trial 6 of 18 patients responded.\n")
CHECK_HTML = ("<!doctype html><html><head><title>T</title></head><body>"
              "<p>About 12.1% of adults have SAD &lt;script&gt;window.__xss=1&lt;/script&gt; "
              "&lt;img src=x onerror=\"window.__xss=1\"&gt; &amp;lt;b&amp;gt; \u202eevil\u202c.</p>"
              "<script>window.__xss=1</script><img src=x onerror=\"window.__xss=1\"></body></html>")


@pytest.fixture(scope="module")
def checked(tmp_path_factory) -> dict[str, tuple[Path, list[str]]]:
    """kind -> (the HTML page `evidence check` wrote, the pieces it must show literally)."""
    root = tmp_path_factory.mktemp("check-escaping")
    hostile_name = '<img src=x onerror="window.__xss=1">.txt'
    cases = {
        "text": (root / hostile_name, CHECK_TEXT, ["--input-format", "text"],
                 [SCRIPT, FLAG_SCRIPT, FLAG_IMG, ENTITIES, RTL, COMBINING]),
        "html": (root / "page.html", CHECK_HTML, [],
                 ["<script>window.__xss=1</script>", '<img src=x onerror="window.__xss=1">', "&lt;b&gt;",
                  "\u202eevil\u202c"]),
    }
    out = {}
    for kind, (path, text, extra, pieces) in cases.items():
        path.write_text(text, encoding="utf-8")
        page = root / f"check-{kind}.html"
        proc = subprocess.run([sys.executable, "-m", "evidence", "check", str(path), "--format", "html",
                               "-o", str(page), *extra], capture_output=True, text=True, timeout=120)
        assert proc.returncode == 0, proc.stderr
        out[kind] = (page, pieces)
    return out


@pytest.mark.parametrize("kind", ["text", "html"])
def test_check_html_never_carries_the_markup_raw(checked, kind):
    page, _ = checked[kind]
    text = page.read_text(encoding="utf-8")
    for raw in RAW_MARKUP:
        assert raw not in text, f"{kind}: {raw!r} unescaped in the page"
    assert "About 12.1% of adults have SAD" in re.sub(r"<[^>]+>", "", text)


@pytest.mark.browser
def test_check_html_in_chromium_runs_nothing_and_shows_the_text(checked):
    urls = {page.resolve().as_uri(): (kind, pieces) for kind, (page, pieces) in checked.items()}
    results = open_in_chromium(list(urls))
    for url, rec in results.items():
        kind, pieces = urls[url]
        assert rec["dialogs"] == [], f"{kind}: a dialog opened: {rec['dialogs']}"
        assert rec["xss"] == "undefined", f"{kind}: a payload ran"
        assert rec["leaving"] == [], rec["leaving"]
        for piece in pieces:
            assert piece in rec["text"], f"{kind}: {piece!r} is not shown literally"
        # zero-width characters are folded by `evidence check` (textprep.normalize); what remains shows
        if kind == "text":
            for piece in (ZWJ_EMOJI, ZWNJ):
                assert ZERO_WIDTH.sub("", piece) in ZERO_WIDTH.sub("", rec["text"])
    text_page = next(rec for url, rec in results.items() if urls[url][0] == "text")
    assert '<img src=x onerror="window.__xss=1">.txt' in text_page["title"]


def test_right_to_left_override_is_isolated_in_bdi():
    """A U+202E override in article text is escaped and isolated, so it cannot reorder the page around it."""
    from evidence.check import check
    from evidence.check.render import to_html
    from evidence.plotting import claims_html
    import pandas as pd

    text = "About 30% of patients \u202eevil\u202c improved."
    page = to_html(check(text, fmt="text", evaluate=False), title="t")
    assert "\u202e" in page and page.index("<bdi>") < page.index("\u202e") < page.index("</bdi>")
    row = pd.DataFrame([{"claim_id": "x-01", "claim_type": "other", "quote": text, "verdict": "accurate",
                         "verdict_label": "Accurate"}])
    cell = claims_html(row)
    assert "<q><bdi>" in cell and cell.index("<bdi>") < cell.index("\u202e") < cell.index("</bdi>")
