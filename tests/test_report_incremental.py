"""Incremental rebuilds (issue #13 item 4): a page executes again only when what it read changed.

The kernel of every page records the tables of the evidence base it touches and any other
file of data/ it opens (evidence.report.kernel); the manifest may narrow a table to the page's
rows (``rows = { claims = "article_id" }``). Two halves:

* a fixture project (tiny notebooks that read the evidence base the way the real ones do)
  shows which pages an edit re-executes, and what --explain says;
* the real notebooks with a declared row filter are run with only the declared rows in
  data/ and must come out byte for byte as with all of data/: the declaration is all they read.
"""
from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent / "fixtures" / "reliability"))

from builders import make_data, read_rows, write_csv  # noqa: E402
from synthetic import CLAIMS, FACTS, SOURCES  # noqa: E402  (ids of rows of the one synthetic base)

REPO = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.slow


def _nb(*cells: str) -> str:
    out = [{"cell_type": "code", "execution_count": None, "id": f"c{i}", "metadata": {"tags": ["parameters"]}
            if i == 0 else {}, "outputs": [], "source": src} for i, src in enumerate(cells)]
    return json.dumps({"cells": out, "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3",
                                                                 "language": "python"}},
                       "nbformat": 4, "nbformat_minor": 5}, indent=1)


PARAMS = "article_id = None\ndata_dir = None\nresults_path = None\n"
WRITE = "import json\njson.dump({'summary': 'done'}, open(results_path, 'w'))\n"
NOTEBOOKS = {
    # one article's claims (declared: rows = { claims = "article_id" })
    "art": _nb(PARAMS, "from evidence.db import load_db\ndb = load_db(data_dir)\n"
                       "mine = db.claims[db.claims['article_id'] == article_id]\n"
                       "print(article_id, list(mine['claim_id']), list(mine['search_note']))\n", WRITE),
    # every claim
    "all": _nb(PARAMS, "from evidence.db import load_db\ndb = load_db(data_dir)\n"
                       "print(len(db.claims), list(db.claims['search_note']))\n", WRITE),
    # two columns of every claim (declared: columns = { claims = "claim_id, quote" })
    "ids": _nb(PARAMS, "from evidence.db import load_db\ndb = load_db(data_dir)\n"
                       "print(list(db.claims.index), list(db.claims['quote']))\n", WRITE),
    # the sources only
    "src": _nb(PARAMS, "from evidence.db import load_db\ndb = load_db(data_dir)\n"
                       "print(list(db.sources['citation']))\n", WRITE),
    # files opened directly: an article's text with open(), a table with pandas
    "text": _nb(PARAMS, "import os, pandas as pd\n"
                        "print(open(os.path.join(data_dir, 'articles', 'a1.txt'), encoding='utf-8').read()[:20])\n"
                        "print(len(pd.read_csv(os.path.join(data_dir, 'facts.csv'))))\n", WRITE),
}
MANIFEST = """title = "Incremental fixture"
[[page]]
name = "art"
notebook = "art.ipynb"
title = "Article"
section = "articles"
foreach_csv = "data/articles.csv"
foreach_column = "article_id"
rows = { claims = "article_id" }
""" + "".join(f'[[page]]\nname = "{n}"\nnotebook = "{n}.ipynb"\ntitle = "{n.title()}"\nsection = "evidence"\n'
              for n in ("all", "src", "text")) + """[[page]]
name = "ids"
notebook = "ids.ipynb"
title = "Ids"
section = "evidence"
columns = { claims = "claim_id, quote" }
"""


def _edit(path: Path, match: dict, **changes) -> None:
    fields, rows = read_rows(path)
    hit = [r for r in rows if all(r[k] == v for k, v in match.items())]
    assert len(hit) == 1, (match, len(hit))
    hit[0].update(changes)
    write_csv(path, fields, rows)


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("incremental")
    d = make_data(root, hostile=False)
    # a second article with a claim of its own
    fields, arts = read_rows(d / "articles.csv")
    write_csv(d / "articles.csv", fields, arts + [dict(arts[0], article_id="a2", file="articles/a2.txt",
                                                       title="Second")])
    shutil.copyfile(d / "articles" / "a1.txt", d / "articles" / "a2.txt")
    fields, claims = read_rows(d / "claims.csv")
    write_csv(d / "claims.csv", fields, claims + [dict(claims[1], claim_id="a2-01", article_id="a2")])
    nb = root / "notebooks"
    nb.mkdir()
    for name, body in NOTEBOOKS.items():
        (nb / f"{name}.ipynb").write_text(body, encoding="utf-8")
    (nb / "manifest.toml").write_text(MANIFEST, encoding="utf-8")
    return root


def report(root: Path, *args: str) -> subprocess.CompletedProcess:
    cmd = [sys.executable, "-m", "evidence", "report", "--manifest", str(root / "notebooks" / "manifest.toml"),
           "--data", str(root / "data"), "--out", str(root / "report"), "--cache", str(root / ".cache"), *args]
    proc = subprocess.run(cmd, cwd=root, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    return proc


def executed(proc: subprocess.CompletedProcess) -> list[str]:
    return sorted(ln.split()[1] for ln in proc.stderr.splitlines() if ln.startswith("  executed "))


def explained(proc: subprocess.CompletedProcess) -> dict[str, str]:
    """page -> 'execute  reason' / 'cached  reason' from --explain or --dry-run."""
    out = {}
    for ln in (proc.stdout + proc.stderr).splitlines():
        parts = ln.split(None, 1)
        if len(parts) == 2 and ln.startswith("  ") and parts[1].split(None, 1)[0] in ("execute", "cached"):
            out[parts[0]] = parts[1]
    return out


@pytest.fixture(scope="module")
def built(project) -> Path:
    first = report(project)
    assert executed(first) == ["all", "art-a1", "art-a2", "ids", "src", "text"], first.stderr
    again = report(project, "--explain")
    assert executed(again) == [], again.stderr
    return project


def test_each_page_records_what_it_read(built):
    reads = {}
    for meta in (built / ".cache").glob("*/meta.json"):
        m = json.loads(meta.read_text())
        reads[m["name"]] = m["reads"]
    assert reads["art-a1"] == ["file:datapackage.json", "rows:claims:article_id=a1"]
    assert reads["all"] == ["file:datapackage.json", "table:claims"]
    assert reads["src"] == ["file:datapackage.json", "table:sources"]
    assert reads["ids"] == ["file:datapackage.json", "table:claims|claim_id,quote"]
    # files opened outside the evidence base: open() and pandas alike
    assert reads["text"] == ["file:articles/a1.txt", "file:facts.csv"]


def test_editing_one_claim_reexecutes_its_article_and_the_pages_that_list_every_claim(built):
    _edit(built / "data" / "claims.csv", {"claim_id": CLAIMS[1][0]}, search_note="one word changed")
    dry = subprocess.run([sys.executable, "-m", "evidence", "report", "--dry-run", "--manifest",
                          str(built / "notebooks" / "manifest.toml"), "--data", str(built / "data"),
                          "--out", str(built / "report"), "--cache", str(built / ".cache")],
                         cwd=built, capture_output=True, text=True, timeout=120)
    assert dry.returncode == 0, dry.stderr
    why = explained(dry)
    assert why["art-a1"] == "execute    changed: claims.csv rows with article_id = a1 (column search_note)"
    assert why["all"] == "execute    changed: claims.csv (column search_note)"
    for name in ("art-a2", "src", "text", "ids"):
        assert why[name].startswith("cached"), why
    # the page that reads two columns of every claim says so, and that neither changed
    assert "nothing it read changed (" in why["ids"] and "claims.csv columns claim_id, quote" in why["ids"]
    proc = report(built, "--explain")
    assert executed(proc) == ["all", "art-a1"], proc.stderr
    assert "one word changed" in (built / "report" / "pages" / "art-a1.html").read_text()


def test_editing_a_file_read_directly_reexecutes_only_its_reader(built):
    _edit(built / "data" / "facts.csv", {"fact_id": FACTS[0][0]}, locator="Abstract, p. 2")
    assert executed(report(built)) == ["text"]
    _edit(built / "data" / "sources.csv", {"source_id": SOURCES[0][0]}, citation="A. Trial. J 2018 (edited)")
    assert executed(report(built)) == ["src"]


def test_without_validation_any_data_change_reexecutes_every_page(built):
    report(built, "--no-validate")                    # keys on the whole of data/ from now on
    _edit(built / "data" / "sources.csv", {"source_id": SOURCES[-1][0]}, citation="NIMH (edited)")
    proc = report(built, "--no-validate", "--explain")
    assert executed(proc) == ["all", "art-a1", "art-a2", "ids", "src", "text"], proc.stderr


# --------------------------------------------------------------------------- the real notebooks

EPOCH = {**os.environ, "SOURCE_DATE_EPOCH": "1700000000"}
ENTRY_FILES = ("page.ipynb", "reader.html", "code.html", "results.json")
EDIT_ARTICLE = "000_5567c11ba940ceba"
#: one edit per column of claims.csv, each keeping data/ valid (the tests check that it does): a page
#: whose manifest entry declares `columns` is run with every other column edited
CELL_EDITS = {
    "article_id": None,                                   # moves a quote out of its article: no valid edit
    "claim_type": ("000-28", "other"),
    "claimed_value": ("000-33", "500"),                   # 424 patients randomised: the verdict changes
    "claimed_low": ("000-30", "1"),
    "claimed_high": ("000-30", "48"),
    "claimed_unit": ("000-28", "people"),
    "qualifier": ("000-28", "exact"),
    "claimed_text": ("000-28", "NNT about 5"),
    "named_source": ("000-24", "A maintenance study"),
    "source_ids": ("000-24", "glue2018;glue2017"),
    "evidence_status": ("000-28", "unidentifiable"),
    "search_note": ("000-24", "An edited search note."),
    "described_source": ("000-24", "glue2017"),
    "review_note": ("000-24", "An edited review note."),
    "quote": ("000-33", "424 patients"),
    "verdict_override": ("000-28", "unsupported"),
    "override_justification": ("000-28", "An edited justification."),
}


def _only_rows(data: Path, table_file: str, column: str, values: set[str]) -> int:
    fields, rows = read_rows(data / table_file)
    kept = [r for r in rows if r[column].strip() in values]
    write_csv(data / table_file, fields, kept)
    return len(rows) - len(kept)


def _copy_project(dest: Path) -> Path:
    shutil.copytree(REPO / "notebooks", dest / "notebooks")
    shutil.copytree(REPO / "data", dest / "data", ignore=shutil.ignore_patterns("curation"))
    return dest


def _build(root: Path, *args: str, cache: str = ".cache") -> subprocess.CompletedProcess:
    cmd = [sys.executable, "-m", "evidence", "report", "--manifest", str(root / "notebooks" / "manifest.toml"),
           "--data", str(root / "data"), "--out", str(root / "report"), "--cache", str(root / cache), *args]
    proc = subprocess.run(cmd, cwd=root, capture_output=True, text=True, timeout=900, env=EPOCH)
    assert proc.returncode == 0, proc.stderr
    return proc


def _entry(cache: Path, name: str, key: str | None = None) -> dict[str, bytes]:
    """The cache entry of a page (the one with this key, else the only one)."""
    found = [m.parent for m in cache.glob("*/meta.json") if json.loads(m.read_text())["name"] == name
             and (key is None or m.parent.name == key)]
    assert len(found) == 1, f"{len(found)} cache entries for {name}"
    return {f: (found[0] / f).read_bytes() for f in ENTRY_FILES if (found[0] / f).exists()}


def _set_cells(path: Path, edits: dict[str, tuple[str, str]]) -> None:
    """Set cells of claims.csv (column -> (claim_id, value)), keeping its line endings."""
    raw = path.read_bytes().decode("utf-8")
    rows = list(csv.reader(raw.splitlines(keepends=True)))
    header = rows[0]
    for column, (claim_id, value) in edits.items():
        hit = [r for r in rows[1:] if r[0] == claim_id]
        assert len(hit) == 1 and hit[0][header.index(column)] != value, (column, claim_id)
        hit[0][header.index(column)] = value
    with open(path, "w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, lineterminator="\r\n" if "\r\n" in raw else "\n").writerows(rows)


def _valid(data: Path) -> None:
    from evidence.db import validate_data

    issues = validate_data(data)
    assert not issues, [str(i) for i in issues[:5]]


@pytest.fixture(scope="module")
def real(tmp_path_factory) -> tuple[Path, dict[str, dict[str, bytes]]]:
    """A copy of the project built cold once, and every page's cache entry as that build left it."""
    root = _copy_project(tmp_path_factory.mktemp("real"))
    first = _build(root, "-q")
    from evidence.report.manifest import load_manifest

    names = [p.name for p in load_manifest(root / "notebooks" / "manifest.toml", root / "data").pages]
    return root, {n: _entry(root / ".cache", n) for n in names}


def test_real_pages_with_declared_rows_read_nothing_else(real, tmp_path):
    """Every page whose manifest entry declares `rows` is run with only the declared rows of the
    table in data/: the executed notebook, both HTML pages and the results must be identical byte
    for byte with those of the build with all of data/."""
    from evidence.report.manifest import load_manifest, parse_rows

    root0, full = real
    manifest = load_manifest(REPO / "notebooks" / "manifest.toml", REPO / "data")
    declared = [p for p in manifest.pages if p.rows]
    first_article = next(p for p in declared if "article_id" in p.parameters)
    pages = [first_article] + [p for p in declared if "article_id" not in p.parameters]
    assert len(pages) >= 3, [p.name for p in declared]
    for p in pages:
        root = _copy_project(tmp_path / f"only-{p.name}")
        for table, spec in p.rows.items():
            column, op, values = parse_rows(spec)
            if op == "param":
                values = (str(p.parameters[column]),)
            removed = _only_rows(root / "data", f"{table}.csv", column, set(values))
            assert removed > 0, f"{p.name}: the declared rows of {table} are the whole table; nothing is tested"
        _build(root, "-q", "--only", p.name)
        a, b = full[p.name], _entry(root / ".cache", p.name)
        assert sorted(a) == sorted(b)
        differ = [f for f in a if a[f] != b[f]]
        assert not differ, f"page {p.name} reads more of {sorted(p.rows)} than its rows declare: {differ} differ"


def test_real_pages_with_declared_columns_read_nothing_else(real, tmp_path):
    """Every page whose manifest entry declares `columns` is run with a cell of every other column
    of the table edited (data/ still valid): it must come out byte for byte the same."""
    from evidence.report.manifest import load_manifest

    _, full = real
    manifest = load_manifest(REPO / "notebooks" / "manifest.toml", REPO / "data")
    declared = [p for p in manifest.pages if p.columns]
    assert {"methods", "sources"} <= {p.name for p in declared}
    header = next(csv.reader(open(REPO / "data" / "claims.csv", encoding="utf-8", newline="")))
    for p in declared:
        assert set(p.columns) == {"claims"}, "CELL_EDITS edits claims.csv only"
        undeclared = [c for c in header if c not in p.columns["claims"]]
        missing = [c for c in undeclared if c not in CELL_EDITS]
        assert not missing, f"a new column of claims.csv needs an edit in CELL_EDITS: {missing}"
        unverifiable = [c for c in undeclared if CELL_EDITS[c] is None]
        assert not unverifiable, f"{p.name}: no valid edit exists for {unverifiable}: declare them"
        root = _copy_project(tmp_path / f"cols-{p.name}")
        _set_cells(root / "data" / "claims.csv", {c: CELL_EDITS[c] for c in undeclared})
        _valid(root / "data")
        _build(root, "-q", "--only", p.name)
        a, b = full[p.name], _entry(root / ".cache", p.name)
        differ = [f for f in a if a.get(f) != b.get(f)]
        assert not differ, (f"page {p.name} reads more of claims.csv than its columns declare "
                            f"({', '.join(p.columns['claims'])}): {differ} differ")


@pytest.mark.parametrize("column, claim, value", [
    ("claimed_value", "000-33", "500"),          # a verdict-affecting cell: 424 patients becomes 500
    ("search_note", "000-28", "No NNT of about 5 found (edited)."),
])
def test_one_claim_edit_reexecutes_its_article_and_the_claim_explorer_only(real, column, claim, value):
    """Issue 13: editing one claim re-executes its article's page and the claim explorer; the
    methods and sources pages read other columns of claims.csv and stay in the cache."""
    root, full = real
    claims = root / "data" / "claims.csv"
    pristine = claims.read_bytes()
    article = f"article-{EDIT_ARTICLE}"
    try:
        _set_cells(claims, {column: (claim, value)})
        _valid(root / "data")
        proc = _build(root, "--explain")
        assert executed(proc) == sorted([article, "claims"]), proc.stderr
        why = explained(proc)
        assert why[article] == (f"execute    changed: claims.csv rows with article_id = {EDIT_ARTICLE} "
                                f"(column {column})"), why[article]
        assert why["claims"] == f"execute    changed: claims.csv (column {column})", why["claims"]
        for name in ("methods", "sources"):
            assert why[name].startswith("cached     nothing it read changed (") and "claims.csv columns " in why[name]
        assert sum(w.startswith("cached") for w in why.values()) == len(full) - 2, why
        if column == "claimed_value":                 # the verdict did change
            before = json.loads(full[article]["results.json"])["verdict_counts"]
            after = json.loads((root / "report" / "results" / f"{article}.json").read_text())["verdict_counts"]
            assert before != after
    finally:
        claims.write_bytes(pristine)
        assert executed(_build(root)) == []        # every page of the pristine data is still in the cache


def _holds(html: str) -> tuple[str, str]:
    """The first "N of M checked claims" a page states (its bottom line)."""
    import re

    m = re.search(r"\b(\d+) of (\d+) checked claims\b", re.sub(r"<[^>]+>", " ", html))
    assert m, "no 'N of M checked claims' on the page"
    return m.group(1), m.group(2)


def test_a_parameter_set_for_one_page_rebuilds_every_page_that_uses_it(real):
    """Review item 2: `-p approx_rel_tol=0.05 --only claims` left the claim explorer at one count of
    claims that hold and the index and article pages at another. Every page that declares the
    parameter executes with it, and the index, the explorer and the article pages agree."""
    from evidence.report.manifest import load_manifest

    root, full = real
    pages = load_manifest(root / "notebooks" / "manifest.toml", root / "data").pages
    users = sorted(p.name for p in pages if p.declares("approx_rel_tol"))
    assert "claims" in users and len(users) >= 6, users
    try:
        # --no-lint: the article and methods pages name a changed parameter by its code
        # ("approx_rel_tol = 0.05"), which the reader lint flags (asked of their owners)
        proc = _build(root, "-p", "approx_rel_tol=0.05", "--only", "claims", "--explain", "--no-lint")
        assert executed(proc) == users, proc.stderr
        why = explained(proc)
        for name in users:
            if name != "claims":
                assert why[name].startswith("execute    -p approx_rel_tol: it uses it too"), why[name]
        assert "not current" not in proc.stderr
        report = root / "report"
        results = {p.stem: json.loads(p.read_text()) for p in (report / "results").glob("*.json")}
        assert results["claims"]["params"]["approx_rel_tol"] == 0.05
        assert results["claims"]["holds"] == sum(r["holds"] for n, r in results.items() if n.startswith("article-"))
        index, explorer = (report / "index.html").read_text(), (report / "pages" / "claims.html").read_text()
        assert _holds(index) == _holds(explorer)
    finally:
        _build(root, "-q")


def _newest_entry(cache: Path, name: str) -> Path:
    found = [m.parent for m in cache.glob("*/meta.json") if json.loads(m.read_text())["name"] == name]
    return max(found, key=lambda d: (d / "meta.json").stat().st_mtime_ns)


def test_kept_charts_come_out_as_drawn(real, tmp_path):
    """Charts are kept across builds (evidence.report.chartmemo): after a verdict-affecting edit, the
    article page draws again the chart of claimed against recomputed values (its input changed), shows
    its other charts as kept (their files are not rewritten), and comes out byte for byte as the page
    a build with no kept charts makes of the same data."""
    from evidence.report import chartmemo

    root, _ = real
    claims, charts = root / "data" / "claims.csv", root / ".cache" / chartmemo.DIRNAME
    pristine = claims.read_bytes()
    article = f"article-{EDIT_ARTICLE}"
    before = (_newest_entry(root / ".cache", article) / chartmemo.USED_FILE).read_text().split()
    assert len(before) >= 2, before                 # claimed against recomputed; response rates
    stamps = {k: (charts / f"{k}.json").stat().st_mtime_ns for k in before}
    edit = {"claimed_value": ("000-33", "500")}
    try:
        _set_cells(claims, edit)
        assert executed(_build(root)) == sorted([article, "claims"])
        entry = _newest_entry(root / ".cache", article)
        after = (entry / chartmemo.USED_FILE).read_text().split()
        kept = [k for k in after if k in stamps]
        drawn = [k for k in after if k not in stamps]
        assert kept and drawn, (before, after)
        assert all((charts / f"{k}.json").stat().st_mtime_ns == stamps[k] for k in kept)
        assert all((charts / f"{k}.json").is_file() for k in after)
        fresh = _copy_project(tmp_path / "fresh")
        _set_cells(fresh / "data" / "claims.csv", edit)
        _build(fresh, "-q", "--only", article)
        drawn_anew = _entry(fresh / ".cache", article)
        differ = [f for f in drawn_anew if drawn_anew[f] != (entry / f).read_bytes()]
        assert not differ, f"{differ} differ between kept and freshly drawn charts"
    finally:
        claims.write_bytes(pristine)
        assert executed(_build(root)) == []
