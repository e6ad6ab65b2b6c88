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
              for n in ("all", "src", "text"))


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
    assert executed(first) == ["all", "art-a1", "art-a2", "src", "text"], first.stderr
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
    assert why["art-a1"].startswith("execute") and "claims.csv rows with article_id = a1" in why["art-a1"]
    assert why["all"].startswith("execute") and "changed: claims.csv" in why["all"]
    for name in ("art-a2", "src", "text"):
        assert why[name].startswith("cached"), why
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
    assert executed(proc) == ["all", "art-a1", "art-a2", "src", "text"], proc.stderr


# --------------------------------------------------------------------------- the real notebooks

def _only_rows(data: Path, table_file: str, column: str, values: set[str]) -> int:
    fields, rows = read_rows(data / table_file)
    kept = [r for r in rows if r[column].strip() in values]
    write_csv(data / table_file, fields, kept)
    return len(rows) - len(kept)


def test_real_pages_with_declared_rows_read_nothing_else(tmp_path):
    """Every page whose manifest entry declares `rows` is run twice, in two copies of the project:
    with all of data/, and with only the declared rows of the table. The executed notebook, both
    HTML pages and the results must be identical byte for byte."""
    from evidence.report.manifest import load_manifest, parse_rows

    manifest = load_manifest(REPO / "notebooks" / "manifest.toml", REPO / "data")
    declared = [p for p in manifest.pages if p.rows]
    first_article = next(p for p in declared if "article_id" in p.parameters)
    pages = [first_article] + [p for p in declared if "article_id" not in p.parameters]
    assert len(pages) >= 3, [p.name for p in declared]

    def copy(name: str) -> Path:
        root = tmp_path / name
        shutil.copytree(REPO / "notebooks", root / "notebooks")
        shutil.copytree(REPO / "data", root / "data", ignore=shutil.ignore_patterns("curation"))
        return root

    def build(root: Path, only: list[str]) -> Path:
        cmd = [sys.executable, "-m", "evidence", "report", "-q", "--manifest", str(root / "notebooks" / "manifest.toml"),
               "--data", str(root / "data"), "--out", str(root / "report"), "--cache", str(root / ".cache"),
               *[a for n in only for a in ("--only", n)]]
        proc = subprocess.run(cmd, cwd=root, capture_output=True, text=True, timeout=900,
                              env={**os.environ, "SOURCE_DATE_EPOCH": "1700000000"})
        assert proc.returncode == 0, proc.stderr
        return root / ".cache"

    def entry(cache: Path, name: str) -> dict[str, bytes]:
        for meta in cache.glob("*/meta.json"):
            if json.loads(meta.read_text())["name"] == name:
                return {f: (meta.parent / f).read_bytes() for f in ("page.ipynb", "reader.html", "code.html",
                                                                     "results.json") if (meta.parent / f).exists()}
        raise AssertionError(f"no cache entry for {name}")

    full = build(copy("full"), [p.name for p in pages])
    for p in pages:
        root = copy(f"only-{p.name}")
        for table, spec in p.rows.items():
            column, op, values = parse_rows(spec)
            if op == "param":
                values = (str(p.parameters[column]),)
            removed = _only_rows(root / "data", f"{table}.csv", column, set(values))
            assert removed > 0, f"{p.name}: the declared rows of {table} are the whole table; nothing is tested"
        reduced = build(root, [p.name])
        a, b = entry(full, p.name), entry(reduced, p.name)
        assert sorted(a) == sorted(b)
        differ = [f for f in a if a[f] != b[f]]
        assert not differ, f"page {p.name} reads more of {sorted(p.rows)} than its rows declare: {differ} differ"
