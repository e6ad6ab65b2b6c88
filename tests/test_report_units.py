"""Fast tests of the report pipeline's parts (no kernels are started here)."""
from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
import threading
import tomllib
from pathlib import Path

import pytest

from evidence.report import cache as cachemod
from evidence.report.build import MARKER, Options, build, swap_into_place
from evidence.report.manifest import (ManifestError, apply_overrides, load_manifest, notebook_parameters,
                                      parse_overrides, select)
from evidence.report.render import remote_resources, scorecard

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).parent / "fixtures" / "notebooks"


def write_manifest(tmp_path: Path, body: str) -> Path:
    nbdir = tmp_path / "notebooks"
    nbdir.mkdir(exist_ok=True)
    for f in ("hello.ipynb", "article.ipynb", "plot.ipynb"):
        shutil.copyfile(FIXTURES / f, nbdir / f)
    if not (tmp_path / "data").exists():
        shutil.copytree(FIXTURES / "data", tmp_path / "data")
    m = nbdir / "manifest.toml"
    m.write_text(body)
    return m


# --------------------------------------------------------------------------- manifest

def test_fixture_manifest_expands_foreach_csv(tmp_path):
    m = load_manifest(FIXTURES / "manifest.toml", FIXTURES / "data")
    names = [p.name for p in m.pages]
    assert names == ["hello", "plot", "article-a1", "article-b22"]
    art = m.pages[2]
    assert art.title == "First article: ketamine & anxiety"       # from the CSV's title column
    assert art.parameters == {"article_id": "a1"} and art.section == "articles"
    assert art.declared == ("article_id", "results_path", "data_dir")
    assert m.pages[0].declared == ("greeting", "repeat", "results_path", "downloads_dir", "data_dir")
    assert m.section_order()[:3] == ["articles", "evidence", "methods"]


def test_foreach_values_and_title_placeholders(tmp_path):
    m = write_manifest(tmp_path, '''
[[page]]
name = "dose"
notebook = "plot.ipynb"
title = "Slope {slope}"
section = "evidence"
foreach = { slope = [0.5, 2] }
parameters = { unused = true }
''')
    pages = load_manifest(m, tmp_path / "data").pages
    assert [p.name for p in pages] == ["dose-0.5", "dose-2"]
    assert [p.title for p in pages] == ["Slope 0.5", "Slope 2"]
    assert pages[1].parameters == {"unused": True, "slope": 2}


@pytest.mark.parametrize("body, message", [
    ('[[page]]\nname = "x"\nnotebook = "missing.ipynb"\n', "not found"),
    ('[[page]]\nname = "x y"\nnotebook = "hello.ipynb"\n', "name may hold only"),
    ('[[page]]\nname = "x"\nnotebook = "hello.ipynb"\ncolour = 1\n', "unknown key"),
    ('[[page]]\nname = "x"\nnotebook = "hello.ipynb"\n[[page]]\nname = "x"\nnotebook = "plot.ipynb"\n', "two pages"),
    ('[[page]]\nname = "x"\nnotebook = "hello.ipynb"\nforeach = { a = [1, 2], b = [1] }\n', "same length"),
    ('[[page]]\nname = "x"\nnotebook = "article.ipynb"\nforeach_csv = "data/articles.csv"\n', "foreach_column"),
    ('[[page]]\nname = "x"\nnotebook = "article.ipynb"\nforeach_csv = "data/nope.csv"\nforeach_column = "a"\n',
     "not found"),
    ('[[page]]\nname = "x"\nnotebook = "hello.ipynb"\nparameters = { results_path = "x" }\n', "pipeline"),
    ('title = "no pages"\n', "no pages"),
    ('[[page]\n', "not valid TOML"),
    ('[[page]]\nname = "x"\nnotebook = "hello.ipynb"\ncolumns = { claims = "claim_id, two words" }\n',
     "columns.claims = 'claim_id, two words': 'two words' is not a column name"),
    ('[[page]]\nname = "x"\nnotebook = "hello.ipynb"\ncolumns = { claims = ["claim_id"] }\n',
     "'columns' must be a table of table"),
])
def test_manifest_errors_are_explained(tmp_path, body, message):
    m = write_manifest(tmp_path, body)
    with pytest.raises(ManifestError, match=message):
        load_manifest(m, tmp_path / "data")


def test_declared_columns_are_parsed_sorted(tmp_path):
    m = write_manifest(tmp_path, '[[page]]\nname = "x"\nnotebook = "hello.ipynb"\n'
                                 'columns = { claims = "quote, claim_id,quote" }\n')
    assert load_manifest(m, tmp_path / "data").pages[0].columns == {"claims": ("claim_id", "quote")}


def _claims_dir(tmp_path: Path, rows: list[list[str]]) -> Path:
    d = tmp_path / "slices"
    d.mkdir(exist_ok=True)
    (d / "claims.csv").write_text("\n".join(",".join(r) for r in [["claim_id", "article_id", "quote", "note"], *rows])
                                  + "\n", encoding="utf-8")
    return d


def test_dependency_ids_round_trip():
    for dep in ("table:claims", "table:claims|claim_id,quote", "rows:claims:article_id=a1",
                "rows:claims:claim_type=onset,durability|claim_id", "file:articles/a1.txt"):
        assert str(cachemod.Dep.parse(dep)) == dep


def test_a_column_slice_changes_only_with_its_columns(tmp_path):
    base = [["c1", "a1", "q one", "n1"], ["c2", "a2", "q two", "n2"]]
    cols, rows = "table:claims|claim_id,quote", "rows:claims:article_id=a1|claim_id,quote"

    def digests(data_rows):
        s = cachemod.DataSlices(_claims_dir(tmp_path, data_rows))
        return s, {d: s.digest(d) for d in (cols, rows, "table:claims")}

    missing = "table:claims|claim_id,gone"
    s0, d0 = digests(base)
    old = {cols: s0.detail(cols), rows: s0.detail(rows)}
    m0 = s0.digest(missing)
    # a column no slice declares: only the whole table changes
    s1, d1 = digests([["c1", "a1", "q one", "n1 edited"], base[1]])
    assert d1[cols] == d0[cols] and d1[rows] == d0[rows] and d1["table:claims"] != d0["table:claims"]
    # a declared column of the other article's row: the column slice changes, the rows slice does not
    s2, d2 = digests([base[0], ["c2", "a2", "q two edited", "n2"]])
    assert d2[cols] != d0[cols] and d2[rows] == d0[rows]
    assert s2.what_changed(cols, old[cols]) == "column quote"
    # a row added
    s3, d3 = digests([*base, ["c3", "a1", "q three", "n3"]])
    assert d3[rows] != d0[rows] and s3.what_changed(rows, old[rows]) == "1 row added"
    assert s3.label(rows) == "claims.csv rows with article_id = a1, columns claim_id, quote"
    assert s3.label(cols) == "claims.csv columns claim_id, quote"
    # a column the table does not have: the whole file stands in (never a silent pass)
    assert digests([["c1", "a1", "q one", "n1 edited"], base[1]])[0].digest(missing) != m0


def test_notebook_parameters_cell_is_parsed():
    nb = {"cells": [{"cell_type": "code", "metadata": {"tags": ["parameters"]},
                     "source": ["%matplotlib inline\n", "a = 1\n", "b: int = 2\n", "c, d = 3, 4\n"]}]}
    assert notebook_parameters(nb) == ("a", "b", "c", "d")
    assert notebook_parameters({"cells": []}) == ()


def test_overrides_parse_json_else_string_and_need_a_declaring_page():
    assert parse_overrides(["n=3", "x=0.5", "flag=true", "none=null", "s=hello", 'q="3"', "l=[1,2]"]) == {
        "n": 3, "x": 0.5, "flag": True, "none": None, "s": "hello", "q": "3", "l": [1, 2]}
    with pytest.raises(ManifestError):
        parse_overrides(["novalue"])
    for reserved in ("results_path", "downloads_dir"):
        with pytest.raises(ManifestError, match="pipeline"):
            parse_overrides([f"{reserved}=x"])
    m = load_manifest(FIXTURES / "manifest.toml", FIXTURES / "data")
    apply_overrides(m.pages, {"repeat": 5, "slope": 2})          # declared only in the notebooks
    by = {p.name: p for p in m.pages}
    assert by["hello"].parameters["repeat"] == 5 and "repeat" not in by["plot"].parameters
    assert by["plot"].parameters["slope"] == 2
    with pytest.raises(ManifestError, match="no page declares"):
        apply_overrides(m.pages, {"nobody": 1})


def test_only_selects_names_entries_and_globs():
    pages = load_manifest(FIXTURES / "manifest.toml", FIXTURES / "data").pages
    assert select(pages, ["article"]) == {"article-a1", "article-b22"}
    assert select(pages, ["hello", "article-b*"]) == {"hello", "article-b22"}
    assert select(pages, None) == {p.name for p in pages}
    with pytest.raises(ManifestError, match="no such page"):
        select(pages, ["nope"])


def test_project_manifest_is_well_formed():
    raw = tomllib.loads((ROOT / "notebooks" / "manifest.toml").read_text())
    assert raw["title"] and raw["page"]
    names = [p["name"] for p in raw["page"]]
    assert len(names) == len(set(names))
    for p in raw["page"]:
        assert p["notebook"].endswith(".ipynb") and p["section"] in raw["sections"]
    article = next(p for p in raw["page"] if p.get("foreach_csv"))
    assert article["foreach_csv"] == "data/articles.csv" and article["foreach_column"] == "article_id"


# --------------------------------------------------------------------------- checksums and keys

def test_data_checksum_is_the_sha256sum_listing(tmp_path):
    d = tmp_path / "data"
    (d / "sub").mkdir(parents=True)
    (d / "b.csv").write_text("x\n1\n")
    (d / "a.csv").write_text("y\n")
    (d / "sub" / "c.txt").write_text("z")
    (d / ".hidden").write_text("ignored")
    total, sums = cachemod.data_checksum(d)
    listing = "".join(f"{hashlib.sha256((d / rel).read_bytes()).hexdigest()}  {rel}\n"
                      for rel in ["a.csv", "b.csv", "sub/c.txt"])
    assert total == hashlib.sha256(listing.encode()).hexdigest()
    assert [r for r, _ in sums] == ["a.csv", "b.csv", "sub/c.txt"]
    if shutil.which("sha256sum") and shutil.which("find"):
        cmd = ("find . -type f ! -path '*/.*' -printf '%P\\0' | LC_ALL=C sort -z | xargs -0 sha256sum "
               "| sha256sum")
        out = subprocess.run(cmd, shell=True, cwd=d, capture_output=True, text=True, check=True).stdout
        assert out.split()[0] == total
    (d / "a.csv").write_text("y\n2\n")
    assert cachemod.data_checksum(d)[0] != total


def test_page_key_changes_with_each_input():
    base = dict(name="p", title="T", notebook_bytes=b"{}", notebook_rel="notebooks/p.ipynb",
                parameters={"a": 1}, kernel="python3", data_sum="d", package_sum="s", versions={"x": "1"})
    k = cachemod.page_key(**base)
    assert k == cachemod.page_key(**{**base, "parameters": {"a": 1}})
    for change in ({"notebook_bytes": b"{ }"}, {"parameters": {"a": 2}}, {"data_sum": "e"},
                   {"package_sum": "t"}, {"versions": {"x": "2"}}, {"title": "U"}):
        assert cachemod.page_key(**{**base, **change}) != k, change


# --------------------------------------------------------------------------- offline check, scorecard

@pytest.mark.parametrize("snippet", [
    '<script src="https://cdnjs.cloudflare.com/ajax/libs/require.js/2.1.10/require.min.js"></script>',
    "<link rel='stylesheet' href='//fonts.googleapis.com/css?family=Lato'>",
    '<img src="http://example.org/x.png">',
    '<img srcset="a.png 1x, https://example.org/b.png 2x">',
    '<style>@import "https://example.org/a.css";</style>',
    '<style>body { background: url(https://example.org/bg.png) }</style>',
    '<div style="background-image: url(\'//example.org/a.png\')"></div>',
    '<iframe src="https://example.org"></iframe>',
])
def test_offline_check_finds_remote_resources(snippet):
    assert remote_resources(f"<html><head></head><body>{snippet}</body></html>")


def test_offline_check_allows_links_and_inline_data():
    page = ('<a href="https://doi.org/10.1000/x">paper</a><img src="data:image/png;base64,AAAA">'
            '<script>var u = "https://example.org";</script><link rel="stylesheet" href="style.css">'
            '<style>.x { background: url(data:image/svg+xml;base64,PHN2Zz4=) }</style>')
    assert remote_resources(page) == []


def test_scorecard_orders_verdicts_by_the_scale_and_tolerates_missing_results():
    pages = [{"name": "a", "results": {"verdict_counts": {"overstated": 1, "accurate": 2, "zzz_new": 1}}},
             {"name": "b", "results": None},
             {"name": "c", "results": {"verdict_counts": {"accurate": 1}}}]
    sc = scorecard(pages)
    keys = [c["key"] for c in sc["columns"]]
    assert keys.index("accurate") < keys.index("overstated") and keys[-1] == "zzz_new"
    assert sc["rows"][0]["total"] == 4 and sc["rows"][1]["counts"] is None
    assert sc["total"] == 5
    assert scorecard([{"name": "a", "results": {"summary": "x"}}]) is None


# --------------------------------------------------------------------------- retries

def test_kernel_start_failures_are_retried_but_cell_errors_are_not(tmp_path, monkeypatch):
    import nbformat
    from papermill.exceptions import PapermillExecutionError

    from evidence.report import execute as ex

    monkeypatch.setattr(ex.time, "sleep", lambda s: None)
    task = ex.Task(name="hello", title="Hello", key="k" * 32, notebook=FIXTURES / "hello.ipynb",
                   notebook_rel="notebooks/hello.ipynb", cwd=FIXTURES, parameters={}, kernel="python3",
                   run_dir=tmp_path / "run", failed_path=tmp_path / "failed.ipynb",
                   header_reader="<nav>r</nav>", header_code="<nav>c</nav>", css="")
    calls = []

    def flaky(*args, **kw):
        calls.append(1)
        if len(calls) <= 2:
            raise RuntimeError("Kernel died before replying to kernel_info")
        return nbformat.read(str(FIXTURES / "plot.ipynb"), as_version=4)

    out = ex.execute(task, threading.Event(), runner=flaky)
    assert out.ok and out.attempts == 3
    assert (task.run_dir / "reader.html").is_file()

    def always(*args, **kw):
        raise RuntimeError("zmq.error.ZMQError: Address already in use")

    out = ex.execute(task, threading.Event(), runner=always)
    assert not out.ok and out.attempts == ex.MAX_START_RETRIES + 1

    calls.clear()

    def cell_error(*args, **kw):
        calls.append(1)
        raise PapermillExecutionError(3, 2, "y = 1/0\nprint(y)", "ZeroDivisionError", "division by zero", [])

    task.injected_index = 2

    def dies(*args, **kw):           # the kernel dies while executing cell 3 (after the injected cell)
        calls.append(1)
        kw["on_cell_execute"](cell=nbformat.v4.new_code_cell("import os\nos._exit(1)"), cell_index=3)
        raise RuntimeError("Kernel died before replying to kernel_info")

    out = ex.execute(task, threading.Event(), runner=dies)
    assert not out.ok and len(calls) == 1                 # a cell ran: not a start failure, no retry
    assert (out.failure.cell_index, out.failure.source_line) == (2, "import os")
    calls.clear()
    out = ex.execute(task, threading.Event(), runner=cell_error)
    assert not out.ok and len(calls) == 1
    f = out.failure
    assert (f.cell_index, f.source_line, f.ename) == (2, "y = 1/0", "ZeroDivisionError")
    assert "index 2 (3rd cell)" in str(f) and "ZeroDivisionError: division by zero" in str(f)


# --------------------------------------------------------------------------- output directory

def test_swap_replaces_the_old_report(tmp_path):
    out, new = tmp_path / "report", tmp_path / "report.tmp-x"
    out.mkdir()
    (out / "old.txt").write_text("old")
    new.mkdir()
    (new / "new.txt").write_text("new")
    swap_into_place(new, out)
    assert sorted(p.name for p in out.iterdir()) == ["new.txt"]
    assert not new.exists() and [p.name for p in tmp_path.iterdir()] == ["report"]


def test_refuses_to_replace_a_directory_it_did_not_write(tmp_path):
    write_manifest(tmp_path, (FIXTURES / "manifest.toml").read_text())
    (tmp_path / "report").mkdir()
    (tmp_path / "report" / "precious.txt").write_text("keep me")
    res = build(Options(manifest=tmp_path / "notebooks" / "manifest.toml", out=tmp_path / "report",
                        data=tmp_path / "data", cache=tmp_path / ".cache", validate=False, quiet=True))
    assert res.exit_code == 2
    assert (tmp_path / "report" / "precious.txt").read_text() == "keep me"


def test_invalid_data_stops_the_build_before_anything_runs(tmp_path, monkeypatch, capsys):
    import evidence.validate

    class Problem:
        def __str__(self):
            return "articles.csv:3: title: required value missing [required]"

    monkeypatch.setattr(evidence.validate, "validate_data", lambda d: [Problem()], raising=False)
    write_manifest(tmp_path, (FIXTURES / "manifest.toml").read_text())
    out = tmp_path / "report"
    out.mkdir()
    (out / MARKER).write_text("")
    (out / "index.html").write_text("previous")
    res = build(Options(manifest=tmp_path / "notebooks" / "manifest.toml", out=out, data=tmp_path / "data",
                        cache=tmp_path / ".cache", quiet=True))
    assert res.exit_code == 1 and not res.executed
    err = capsys.readouterr().err
    assert "articles.csv:3: title: required value missing" in err and "1 data error" in err
    assert (out / "index.html").read_text() == "previous"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data", "notebooks", "report"]   # nothing else written


# --------------------------------------------------------------------------- command line

def test_report_help_is_clear():
    out = subprocess.run([sys.executable, "-m", "evidence", "report", "--help"], capture_output=True, text=True,
                         check=True).stdout
    for opt in ("--jobs", "--force", "--only", "-p NAME=VALUE", "--manifest", "--out", "--data", "--quiet",
                "results_path", "notebooks/manifest.toml"):
        assert opt in out, opt


def test_top_level_help_does_not_import_the_heavy_modules():
    code = ("import sys; from evidence.cli import build_parser; build_parser(); "
            "heavy = [m for m in ('papermill', 'nbconvert', 'nbclient', 'jinja2', 'tqdm', 'evidence.report.build',"
            " 'pandas', 'numpy') "
            "if m in sys.modules]; print(heavy)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_stale_temporary_builds_are_removed(tmp_path):
    from evidence.report.build import PID_FILE, _clean_stale

    out = tmp_path / "report"
    dead, alive, foreign = (tmp_path / "report.tmp-dead", tmp_path / "report.tmp-alive", tmp_path / "report.tmp-x")
    for d in (dead, alive, foreign):
        d.mkdir()
    for d in (dead, alive):
        (d / MARKER).write_text("")
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    (dead / PID_FILE).write_text(f"{proc.pid}\n")            # a finished process
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        (alive / PID_FILE).write_text(f"{sleeper.pid}\n")    # a build still running
        _clean_stale(out)
    finally:
        sleeper.kill()
        sleeper.wait()
    assert not dead.exists() and alive.exists() and foreign.exists()   # never touch what is not ours


def test_kernels_started_ahead_import_what_the_notebooks_import():
    from evidence.report.workers import notebook_imports

    nb = json.dumps({"cells": [
        {"cell_type": "code", "source": ["%matplotlib inline\n", "import pandas as pd, json\n",
                                         "from evidence import analyses as A\n"]},
        {"cell_type": "markdown", "source": "import not_code"},
        {"cell_type": "code", "source": "from .local import x\nfrom evidence.claims import *\nimport json\n"},
        {"cell_type": "code", "source": "def broken(:\n"}]}).encode()
    assert notebook_imports([nb, b"not json"]) == ["pandas", "json", "evidence", "evidence.analyses",
                                                   "evidence.claims"]


def test_a_pooled_kernel_hands_its_preloaded_evidence_base_to_the_first_matching_load(monkeypatch):
    import evidence.db as db
    from evidence.report import kernel

    calls = []
    monkeypatch.setattr(db, "load_db", lambda d=None, *, strict=True: calls.append((d, strict)) or object())
    kernel._preload("../data")
    assert calls == [("../data", True)]
    first = db.load_db("../data")
    assert calls == [("../data", True)]                    # handed over, not loaded again
    assert db.load_db("../data") is not first and len(calls) == 2   # once only
    db.load_db("../data", strict=False)
    db.load_db("elsewhere")
    assert calls[2:] == [("../data", False), ("elsewhere", True)]



def test_the_lint_memo_survives_a_claim_edit_and_not_an_edit_of_a_table_ids_come_from(tmp_path):
    """A page's lint is remembered by its bytes, the code and the tables the lint's ids come from
    (lint.ID_COLUMNS): editing claims.csv keeps the memo of every page the edit did not change;
    editing sources.csv (a source id could become a leak) or the schema lints every page again."""
    from evidence.report.build import _lint_salt

    data = tmp_path / "data"
    shutil.copytree(Path(__file__).resolve().parent.parent / "data", data)
    salt = lambda: _lint_salt(data, cachemod.data_checksum(data)[1], "code")  # noqa: E731
    before = salt()
    with open(data / "claims.csv", "a", encoding="utf-8") as fh:
        fh.write("\n")
    assert salt() == before
    assert _lint_salt(data, cachemod.data_checksum(data)[1], "other code") != before
    for name in ("sources.csv", "datapackage.json"):
        p = data / name
        p.write_bytes(p.read_bytes() + b"\n")
        assert salt() != before, name
        before = salt()


def test_pages_get_the_attributes_nbconvert_adds_without_its_reparse():
    """nbconvert's HTMLExporter re-parses every page with BeautifulSoup only to add tabindex="0" to cell
    input and output areas and an alt to images without one; the build adds them to the rendered
    markup itself (execute._accessible) and leaves everything else as the template wrote it."""
    from evidence.report.execute import NO_ALT, _accessible

    head = '<html><head><meta charset="utf-8"><div class="jp-OutputArea-output">in the head</div></head>'
    page = (head + '<body class="jp-Notebook">\n<div class="jp-Cell-inputWrapper">\n'
            '<div class="jp-RenderedHTMLCommon jp-OutputArea-output " data-mime-type="text/html">'
            '<img src="a.svg" alt="A chart"/><img src="data:image/png;base64,AAAA"><img src="b.png" />'
            "<div class='jp-OutputArea-output' tabindex=\"-1\">kept</div><div class=\"jp-OutputArea-child\">x</div>"
            "</div></div></body></html>")
    out = _accessible(page)
    assert out.startswith(head)                       # nothing before <body> changes
    assert out.count('tabindex="0"') == 2             # the input wrapper and the output area, once each
    assert '<div class="jp-Cell-inputWrapper" tabindex="0">' in out
    assert 'data-mime-type="text/html" tabindex="0">' in out
    assert "tabindex=\"-1\">kept" in out and '<div class="jp-OutputArea-child">x' in out
    assert '<img src="a.svg" alt="A chart"/>' in out
    assert f'<img src="data:image/png;base64,AAAA" alt="{NO_ALT}">' in out
    assert f'<img src="b.png"  alt="{NO_ALT}"/>' in out
    assert _accessible("no body here") == "no body here"


def test_the_lint_skips_a_hidden_form_however_the_attribute_is_written():
    """The explorer's filter form is hidden until its script runs: `hidden` and `hidden=""` alike."""
    from evidence.report import lint as L

    for attr in ("hidden", 'hidden=""', "hidden='hidden'"):
        text, _, _ = L.visible(f"<body><form {attr}><select><option>snake_case_option</option></select></form>"
                               "<p>Shown</p></body>")
        assert text == "Shown", attr


def test_the_lint_finds_ids_where_the_alternation_of_every_id_finds_them():
    """lint._id_matches looks word runs up in the set of ids; it must find exactly what the regex of
    every id (lint._id_pattern) finds, at the same places: ids next to hyphens, inside longer words,
    prefixes of one another, at the ends of the text."""
    import random

    from evidence.report import lint as L

    ids = {"taylor2018", "taylor2018b", "000_5567c11ba940ceba", "glue_2017", "nimh_gad_12m", "abcd_1"}
    rnd = random.Random(20261202)
    pieces = sorted(ids) + ["taylor", "2018", "-", "_", " ", ".", "\n", "é", "x", "(", "—"]
    texts = ["taylor2018", "taylor2018-b", "-taylor2018", "taylor2018b.", "xtaylor2018", "abcd_1_2 abcd_1",
             "(000_5567c11ba940ceba)", "glue_2017—taylor2018b"]
    texts += ["".join(rnd.choice(pieces) for _ in range(30)) for _ in range(500)]
    found = 0
    for t in texts:
        want = [(m.start(), m.group(1)) for m in L._id_pattern(frozenset(ids)).finditer(t)]
        assert [(m.start(), m.group(1)) for m in L._id_matches(t, ids)] == want, t
        found += len(want)
    assert found > 300                                   # the texts do contain ids
    assert [m.group(1) for m in L._id_matches("see a-b.c9 and taylor2018", {"a-b.c9", "taylor2018"})] == \
        ["a-b.c9", "taylor2018"]                         # an id that is not word characters only: the regex


def test_the_lint_memo_ignores_the_build_footer(tmp_path, monkeypatch):
    """A data edit changes every page's footer (the data checksum, the build time) but the lint skips
    the footer: a page whose own content did not change is not linted again; one that changed is."""
    from evidence.report import build as B
    from evidence.report import lint as L
    from evidence.report import render

    report, memo = tmp_path / "report", tmp_path / "memo"
    (report / "pages").mkdir(parents=True)
    calls: list[int] = []
    real_visible = L.visible
    monkeypatch.setattr(L, "visible", lambda html: calls.append(1) or real_visible(html))
    monkeypatch.setattr(L, "_ids", lambda data_dir: {"taylor2018"})

    def write(data_sum: str, built: str, body: str) -> None:
        foot = render.footer(git="abc", data_sum=data_sum, versions={}, packages=(), built=built,
                             validated="validated", depth=1)
        (report / "pages" / "a.html").write_text(f"<body><p>{body}</p>{foot}</body>", encoding="utf-8")
        (report / "index.html").write_text(f"<body><p>Index</p>{foot}</body>", encoding="utf-8")

    write("1" * 64, "2026-12-02 03:00:00 UTC", "Same words.")
    assert B._lint_pages(report, tmp_path, memo, "salt", "2026-12-02 03:00:00 UTC") == []
    assert len(calls) == 2
    write("2" * 64, "2026-12-02 03:05:00 UTC", "Same words.")          # another data checksum, another time
    assert B._lint_pages(report, tmp_path, memo, "salt", "2026-12-02 03:05:00 UTC") == []
    assert len(calls) == 2                                              # both remembered
    write("2" * 64, "2026-12-02 03:06:00 UTC", "Now taylor2018 shows.")
    found = B._lint_pages(report, tmp_path, memo, "salt", "2026-12-02 03:06:00 UTC")
    assert len(calls) == 3 and [f.rule for f in found] == ["internal-id"]


def test_a_chart_is_kept_only_when_its_key_covers_everything_it_depends_on(tmp_path):
    """chartmemo.chart_key: the same call gives the same key; another argument, another rcParam or
    another salt gives another; a chart from outside the package, an argument pickle cannot take, or
    the evidence base itself (its table reads must be recorded) gives none: the chart is drawn."""
    import matplotlib
    import pandas as pd

    from evidence import plotting as P
    from evidence.db import load_db
    from evidence.report.chartmemo import chart_key

    df = pd.DataFrame({"label": ["a", "b"], "value": [1.0, 2.5]})
    k = chart_key("salt", P.response_rates, (df, "Title"), {"alt": "x", "caption": None})
    assert k == chart_key("salt", P.response_rates, (df.copy(), "Title"), {"alt": "x", "caption": None})
    assert k != chart_key("salt", P.response_rates, (df.assign(value=[1.0, 2.6]), "Title"), {"alt": "x", "caption": None})
    assert k != chart_key("salt", P.response_rates, (df, "Title"), {"alt": "y", "caption": None})
    assert k != chart_key("other salt", P.response_rates, (df, "Title"), {"alt": "x", "caption": None})
    with matplotlib.rc_context({"font.size": 7}):
        assert k != chart_key("salt", P.response_rates, (df, "Title"), {"alt": "x", "caption": None})
    assert chart_key("salt", len, (df,), {}) is None                                  # not the package's
    assert chart_key("salt", P.response_rates, (lambda: 1,), {}) is None               # cannot be pickled
    db = load_db(Path(__file__).resolve().parent.parent / "data")
    assert chart_key("salt", P.response_rates, (db, "Title"), {"alt": "x"}) is None     # reads tables


def test_the_data_readme_is_rendered_once_per_text(tmp_path, monkeypatch):
    """assemble._readme remembers data/README.md's HTML by its text and the renderer; a new text is
    rendered anew (and replaces the old one); the HTML is what render.readme_html makes."""
    from evidence.report import assemble as AS
    from evidence.report import render

    readme, memo = tmp_path / "README.md", tmp_path / "memo"
    readme.write_text("# Data\n\n| a | b |\n|---|---|\n| 1 | 2 |\n", encoding="utf-8")
    want = render.readme_html(readme.read_text(encoding="utf-8"))
    assert str(AS._readme(readme, memo)) == str(want) and "<table>" in str(want)
    calls = []
    monkeypatch.setattr(render, "readme_html", lambda text: calls.append(text) or "<p>new</p>")
    assert str(AS._readme(readme, memo)) == str(want) and calls == []       # remembered
    readme.write_text("Changed.\n", encoding="utf-8")
    assert AS._readme(readme, memo) == "<p>new</p>" and len(calls) == 1
    assert len(list(memo.glob("*.html"))) == 1
    assert AS._readme(tmp_path / "missing.md", memo) == ""


def test_the_program_ends_without_teardown_after_its_exit_handlers(tmp_path, monkeypatch):
    """``evidence report`` run as the program (main() with argv None) flushes, runs the exit handlers and
    ends with os._exit and the build's exit code (issue 13: 0.1-0.15 s of teardown saved); a caller in the
    same process (argv given) gets the code back."""
    import atexit
    import os

    import evidence.cli as cli

    m = write_manifest(tmp_path, '[[page]]\nname = "hello"\nnotebook = "hello.ipynb"\n')
    args = ["report", "-n", "--no-validate", "--manifest", str(m), "--data", str(tmp_path / "data"),
            "--cache", str(tmp_path / "cache"), "--out", str(tmp_path / "report")]
    calls: list = []

    class Exited(Exception):
        pass

    def fake_exit(code):
        calls.append(("exit", code))
        raise Exited

    monkeypatch.setattr(atexit, "_run_exitfuncs", lambda: calls.append("handlers"))
    monkeypatch.setattr(os, "_exit", fake_exit)
    assert cli.main(args) == 0 and calls == []
    monkeypatch.setattr(sys, "argv", ["evidence", *args])
    with pytest.raises(Exited):
        cli.main()
    assert calls == ["handlers", ("exit", 0)]
    monkeypatch.setattr(sys, "argv", ["evidence", "claims", "--data", str(tmp_path / "nowhere")])
    calls.clear()
    assert cli.main() == 1 and calls == []            # other commands return as before
    # as a process: the plan is printed whole through a pipe, and the exit code is the build's
    proc = subprocess.run([sys.executable, "-m", "evidence", *args], capture_output=True, text=True)
    assert proc.returncode == 0 and "hello" in proc.stdout, proc.stderr
