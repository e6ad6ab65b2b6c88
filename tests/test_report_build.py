"""End-to-end tests of `evidence report` on the tiny fixture notebooks in tests/fixtures/notebooks.

One fixture project (notebooks/ + data/ in a temporary directory) is built once
per module; the tests then rebuild it in different ways, each into its own
output directory where it would change the first report.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from browser_support import require_browser
from evidence.report.build import Options, build
from evidence.report.cache import package_checksum
from evidence.report.render import BUILD_TIME_ATTR, remote_resources

FIXTURES = Path(__file__).parent / "fixtures" / "notebooks"
PAGES = ["hello", "plot", "article-a1", "article-b22"]

pytestmark = pytest.mark.slow


def run_cli(project: Path, *args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "evidence", "report", "--no-validate", *args],
                          cwd=project, capture_output=True, text=True, timeout=timeout)


def opts(project: Path, out: str = "report", **kw) -> Options:
    return Options(manifest=project / "notebooks" / "manifest.toml", out=project / out, data=project / "data",
                   cache=project / ".cache" / "report", validate=False, quiet=True, progress=False, **kw)


def snapshot(root: Path, strip_build_time: bool = False) -> dict[str, bytes]:
    """Every file under root (relative path -> bytes), optionally without the build-time lines."""
    out = {}
    for p in sorted(root.rglob("*")):
        if p.is_file():
            data = p.read_bytes()
            if strip_build_time and p.suffix == ".html":
                data = b"\n".join(ln for ln in data.split(b"\n") if BUILD_TIME_ATTR.encode() not in ln)
            out[p.relative_to(root).as_posix()] = data
    return out


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("report-project")
    (root / "notebooks").mkdir()
    for f in FIXTURES.iterdir():
        if f.is_file():
            shutil.copyfile(f, root / "notebooks" / f.name)
    shutil.copytree(FIXTURES / "data", root / "data")
    return root


_BUILT_WITH: list[str] = []


@pytest.fixture(scope="module")
def first(project: Path) -> subprocess.CompletedProcess:
    """The first build, through the command line; every page executes."""
    _BUILT_WITH[:] = [package_checksum()]
    proc = run_cli(project, "--jobs", "2")
    assert proc.returncode == 0, proc.stderr
    return proc


def settle(project: Path) -> None:
    """Refresh the cache if src/evidence changed since the last build (someone edits the tree
    while the tests run): the cache tests need inputs that did not change."""
    now = package_checksum()
    if _BUILT_WITH and now != _BUILT_WITH[0]:
        assert build(opts(project)).exit_code == 0
        _BUILT_WITH[:] = [now]


# --------------------------------------------------------------------------- first build

def test_first_build_executes_every_page(project, first):
    assert "4 pages: 4 executed" in first.stderr
    report = project / "report"
    for name in PAGES:
        for sub, ext in (("pages", "html"), ("code", "html"), ("notebooks", "ipynb")):
            assert (report / sub / f"{name}.{ext}").is_file(), f"{sub}/{name}.{ext} missing"
    assert not list(project.glob("report.tmp-*")), "temporary build directory left behind"


def test_parameters_are_injected(project, first):
    report = project / "report"
    # the manifest sets greeting = "bonjour" (the notebook's default is "hello")
    assert "GREETING=bonjour x2" in (report / "pages" / "hello.html").read_text()
    nb = json.loads((report / "notebooks" / "hello.ipynb").read_text())
    injected = [c for c in nb["cells"] if "injected-parameters" in c["metadata"].get("tags", [])]
    assert len(injected) == 1 and 'greeting = "bonjour"' in "".join(injected[0]["source"])
    assert 'data_dir = "../data"' in "".join(injected[0]["source"])
    # one page per row of data/articles.csv, with the row's id injected and the row's title
    assert "ARTICLE a1 - First article: ketamine &amp; anxiety" in (report / "pages" / "article-a1.html").read_text()
    assert "ARTICLE b22" in (report / "pages" / "article-b22.html").read_text()


def test_reader_page_hides_code_and_code_page_shows_it(project, first):
    reader = (project / "report" / "pages" / "hello.html").read_text()
    code = (project / "report" / "code" / "hello.html").read_text()
    assert "results_path" not in reader and 'class="jp-InputPrompt' not in reader
    assert "results_path" in code and 'class="jp-InputPrompt' in code
    assert 'href="../code/hello.html"' in reader and 'href="../pages/hello.html"' in code


def test_results_json_and_scorecard(project, first):
    report = project / "report"
    res = json.loads((report / "results" / "article-a1.json").read_text())
    assert res["verdict_counts"] == {"accurate": 2, "overstated": 1, "unsupported": 0}
    assert not (report / "results" / "plot.json").exists()     # plot writes no results
    index = (report / "index.html").read_text()
    assert "ev-scorecard" in index
    # article pages are listed by their titles from data/articles.csv (escaped)
    assert "First article: ketamine &amp; anxiety" in index and "Second article &lt;on&gt; dosing" in index
    assert "Said bonjour 2 times." in index                   # a results "summary"
    for name in PAGES:
        assert f'href="pages/{name}.html"' in index and f'href="code/{name}.html"' in index


def test_data_downloads_and_provenance_footer(project, first):
    report = project / "report"
    for f in ("articles.csv", "datapackage.json", "README.md"):
        assert (report / "data" / f).read_bytes() == (project / "data" / f).read_bytes()
    assert 'href="data/articles.csv"' in (report / "data.html").read_text()
    # a notebook's downloads_dir is published in report/downloads/, credited to its page
    assert (report / "downloads" / "greetings.csv").read_text() == "greeting,repeat\nbonjour,2\n"
    assert 'href="downloads/greetings.csv"' in (report / "data.html").read_text()
    assert 'href="pages/hello.html">Hello</a>' in (report / "data.html").read_text()
    assert "greetings.csv" in (report / "downloads" / "SHA256SUMS").read_text()
    assert "greetings.csv" not in (report / "data" / "SHA256SUMS").read_text()
    assert 'href="data.html"' in (report / "index.html").read_text()
    from evidence.report.cache import data_checksum

    data_sum, _ = data_checksum(project / "data")
    for page in report.rglob("*.html"):
        text = page.read_text()
        assert text.count('class="ev-provenance"') == 1, page
        assert data_sum in text and "pandas " in text and "python " in text and "Commit" in text
        assert len([ln for ln in text.splitlines() if BUILD_TIME_ATTR in ln]) >= 1


def test_no_page_loads_anything_from_the_network(project, first):
    pages = list((project / "report").rglob("*.html"))
    assert len(pages) == 2 * len(PAGES) + 2
    tag = re.compile(r"<(script|link|img|iframe|source|embed)\b[^>]*\b(src|href|srcset)\s*=\s*[\"']?\s*(https?:)?//",
                     re.I)
    for p in pages:
        text = p.read_text()
        assert not remote_resources(text), p
        assert not tag.search(text), p
        assert "cdnjs" not in text and "require.js" not in text.lower(), p
    # figures are embedded
    assert "data:image/png;base64," in (project / "report" / "pages" / "plot.html").read_text()


# --------------------------------------------------------------------------- cache

def test_second_build_is_all_cache_hits(project, first):
    settle(project)
    t0 = time.monotonic()
    proc = run_cli(project)
    seconds = time.monotonic() - t0
    assert proc.returncode == 0, proc.stderr
    assert "4 pages: 0 executed, 4 from cache" in proc.stderr
    assert "4 from cache" in (project / "report" / "index.html").read_text()
    assert seconds < 10, f"a rebuild with nothing changed took {seconds:.1f} s"


def test_changed_parameter_reexecutes_only_that_page(project, first):
    settle(project)
    res = build(opts(project, "report-params", params=["repeat=7"]))
    assert res.exit_code == 0
    assert res.executed == ["hello"]
    assert sorted(res.cached) == sorted(p for p in PAGES if p != "hello")
    assert "GREETING=bonjour x7" in (project / "report-params" / "pages" / "hello.html").read_text()
    # a parameter no page declares is an error, before anything runs
    res = build(opts(project, "report-params", params=["no_such_parameter=1"]))
    assert res.exit_code == 2 and not res.executed


def test_only_executes_the_selected_pages(project, first):
    settle(project)
    res = build(opts(project, "report-only", only=["article"], force=True))
    assert res.exit_code == 0
    assert res.executed == ["article-a1", "article-b22"]
    assert "hello" in res.cached


# --------------------------------------------------------------------------- failure

def test_failing_notebook_fails_the_build_and_keeps_the_previous_report(project, first):
    out = project / "report-fail"
    shutil.copytree(project / "report", out)
    before = snapshot(out)
    manifest = project / "notebooks" / "manifest-broken.toml"
    manifest.write_text((project / "notebooks" / "manifest.toml").read_text()
                        + '\n[[page]]\nname = "broken"\nnotebook = "broken.ipynb"\ntitle = "Broken"\nsection = "methods"\n')
    proc = run_cli(project, "--manifest", str(manifest), "--out", "report-fail")
    assert proc.returncode == 1
    err = proc.stderr
    assert "notebooks/broken.ipynb" in err                    # the notebook
    assert "index 2" in err and "y = x / 0" in err             # the cell: index and first line
    assert "ZeroDivisionError: division by zero" in err        # the error
    assert snapshot(out) == before, "the previous report changed"
    assert not list(project.glob("report-fail.tmp-*"))
    assert (project / ".cache" / "report" / "failed" / "broken.ipynb").is_file()


LEAK_NB = {"cells": [{"cell_type": "code", "execution_count": None, "id": "leak", "metadata": {}, "outputs": [],
                      "source": "from IPython.display import HTML, display\n"
                                "display(HTML('<p>Design: crossover_rct</p>'))\n"}],
           "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
           "nbformat": 4, "nbformat_minor": 5}


def test_a_page_that_leaks_a_code_fails_the_reader_lint_and_keeps_the_previous_report(project, first):
    """Issue 12 item 9: the build lints the assembled report before the swap; a finding is one
    line naming the page, the rule and the text, the exit status is 4, the old report is kept."""
    out = project / "report-lint"
    shutil.copytree(project / "report", out)
    before = snapshot(out)
    (project / "notebooks" / "leak.ipynb").write_text(json.dumps(LEAK_NB), encoding="utf-8")
    manifest = project / "notebooks" / "manifest-leak.toml"
    manifest.write_text((project / "notebooks" / "manifest.toml").read_text()
                        + '\n[[page]]\nname = "leak"\nnotebook = "leak.ipynb"\ntitle = "Leak"\nsection = "methods"\n'
                        + 'results = false\n')
    for attempt in ("executed", "cached: its lint findings remembered"):
        proc = run_cli(project, "--manifest", str(manifest), "--out", "report-lint")
        assert proc.returncode == 4, (attempt, proc.stderr)
        lines = proc.stderr.splitlines()
        leak = [ln for ln in lines if ln.startswith("evidence report: lint: ")]
        assert len(leak) == 1 and leak[0].startswith("evidence report: lint: pages/leak.html: snake-case: "
                                                     "'crossover_rct' in "), proc.stderr
        assert "1 reader lint finding in the new report" in proc.stderr
        assert "Traceback" not in proc.stderr
        assert snapshot(out) == before, "the previous report changed"
        assert not list(project.glob("report-lint.tmp-*"))
    # --no-lint builds it (for a report under construction)
    proc = run_cli(project, "--manifest", str(manifest), "--out", "report-lint", "--no-lint")
    assert proc.returncode == 0, proc.stderr
    assert "crossover_rct" in (out / "pages" / "leak.html").read_text(encoding="utf-8")


def test_the_build_lints_as_the_reader_lint_does_and_remembers_each_page(project, first, tmp_path):
    """The build's lint (each page's findings remembered by its bytes) finds what lint_report finds,
    from a fresh memo and from a full one; a page that changes is linted again."""
    from evidence.report.build import _lint_pages
    from evidence.report.lint import Finding, lint_report

    report = tmp_path / "report"
    shutil.copytree(project / "report", report)
    page = report / "pages" / "hello.html"
    page.write_text(page.read_text().replace("</main>", "<p>an n_total leaked</p></main>", 1))
    memo = tmp_path / "memo"
    expected = lint_report(report, project / "data")
    assert Finding("pages/hello.html", "snake-case", expected[0].text) in expected
    assert _lint_pages(report, project / "data", memo, "salt", "no build time") == expected
    assert len(list(memo.glob("*.json"))) == 1 + len(list((report / "pages").glob("*.html")))
    assert _lint_pages(report, project / "data", memo, "salt", "no build time") == expected   # from the memo
    page.write_text(page.read_text().replace("<p>an n_total leaked</p>", ""))
    assert _lint_pages(report, project / "data", memo, "salt", "no build time") == lint_report(report, project / "data")


def test_a_page_that_loads_from_the_network_fails_the_build_from_the_cache_too(project, first):
    """The offline check: a page that would fetch an image from the network fails the build before
    the swap, when it has just executed and when it comes from the cache (scanned once, when made)."""
    nb = json.loads(json.dumps(LEAK_NB))
    nb["cells"][0]["source"] = ("from IPython.display import HTML, display\n"
                                "display(HTML('<img alt=\"chart\" src=\"https://example.org/chart.png\">'))\n")
    (project / "notebooks" / "remote.ipynb").write_text(json.dumps(nb), encoding="utf-8")
    manifest = project / "notebooks" / "manifest-remote.toml"
    manifest.write_text((project / "notebooks" / "manifest.toml").read_text()
                        + '\n[[page]]\nname = "remote"\nnotebook = "remote.ipynb"\ntitle = "Remote"\n'
                        + 'section = "methods"\nresults = false\n')
    out = project / "report-remote"
    shutil.copytree(project / "report", out)
    before = snapshot(out)
    for attempt in ("executed", "cached"):
        proc = run_cli(project, "--manifest", str(manifest), "--out", "report-remote")
        assert proc.returncode == 1, (attempt, proc.stderr)
        assert ("evidence report: loads from the network: pages/remote.html: "
                "<img src='https://example.org/chart.png'>") in proc.stderr, (attempt, proc.stderr)
        assert ("executed remote" in proc.stderr) == (attempt == "executed"), proc.stderr
        assert snapshot(out) == before and not list(project.glob("report-remote.tmp-*"))


def test_interrupt_cleans_up_and_kills_kernels(project, first):
    import psutil
    out = project / "report-int"
    shutil.copytree(project / "report", out)
    before = snapshot(out)
    proc = subprocess.Popen([sys.executable, "-m", "evidence", "report", "--no-validate", "--force", "-q",
                             "--out", "report-int"], cwd=project, stderr=subprocess.PIPE, text=True,
                            # SIGINT at its default even when this suite runs as a background job that ignores it
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    kernels: set[int] = set()
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not kernels:
        time.sleep(0.1)
        try:
            kids = psutil.Process(proc.pid).children(recursive=True)
        except psutil.NoSuchProcess:
            break
        for k in kids:
            try:
                cmd = " ".join(k.cmdline())
            except (psutil.NoSuchProcess, psutil.ZombieProcess, psutil.AccessDenied):
                continue
            if "ipykernel" in cmd or "evidence.report.kernel" in cmd:    # our launcher of ipykernel
                kernels.add(k.pid)
    assert kernels, "no kernel started"
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err

    def running(pid: int) -> bool:
        try:
            return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
        except psutil.NoSuchProcess:
            return False

    deadline = time.monotonic() + 2
    while time.monotonic() < deadline and any(running(pid) for pid in kernels):
        time.sleep(0.1)
    alive = [pid for pid in kernels if running(pid)]
    assert not alive, f"kernels left running: {alive}"
    assert snapshot(out) == before
    assert not list(project.glob("report-int.tmp-*"))


# --------------------------------------------------------------------------- determinism

def test_two_builds_are_identical_apart_from_the_build_time(project, first, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    res = build(opts(project, "report-again", force=True))
    assert res.exit_code == 0 and sorted(res.executed) == sorted(PAGES)
    a = snapshot(project / "report", strip_build_time=True)
    b = snapshot(project / "report-again", strip_build_time=True)
    assert sorted(a) == sorted(b)
    differ = [k for k in a if a[k] != b[k]]
    assert not differ, f"files differ beyond the build-time line: {differ}"
    # the build time honours SOURCE_DATE_EPOCH
    assert "Built 2023-11-14 22:13:20 UTC" in (project / "report-again" / "pages" / "plot.html").read_text()


def test_two_forced_builds_in_two_directories_are_byte_identical(tmp_path):
    """issue #12 item 10: the same inputs with the same SOURCE_DATE_EPOCH, built --force in two
    different directories (own project copy, output and cache), give identical files: no build
    duration, no absolute path, no random id in any page. The second build starts every kernel
    when its page is due (EVIDENCE_REPORT_POOL=0), the first takes them from the pool of kernels
    started ahead of need (issue 13 item 5): the pages do not depend on which."""
    snaps = []
    for name, pool in (("one", "1"), ("elsewhere/two", "0")):
        root = tmp_path / name
        (root / "notebooks").mkdir(parents=True)
        for f in FIXTURES.iterdir():
            if f.is_file():
                shutil.copyfile(f, root / "notebooks" / f.name)
        shutil.copytree(FIXTURES / "data", root / "data")
        proc = subprocess.run([sys.executable, "-m", "evidence", "report", "--no-validate", "--force", "--jobs", "2"],
                              cwd=root, capture_output=True, text=True, timeout=300,
                              env={**os.environ, "SOURCE_DATE_EPOCH": "1700000000", "EVIDENCE_REPORT_POOL": pool})
        assert proc.returncode == 0, proc.stderr
        snaps.append(snapshot(root / "report"))
        for p in (root / "report").rglob("*"):
            if p.is_file():
                assert str(tmp_path).encode() not in p.read_bytes(), f"{p} holds the build's absolute path"
    a, b = snaps
    assert sorted(a) == sorted(b)
    differ = [k for k in a if a[k] != b[k]]
    assert not differ, f"files differ between the two builds: {differ}"
    assert b"Built 2023-11-14 22:13:20 UTC" in a["index.html"]
    assert not re.search(rb"Built [^<]* in [0-9.]+ s", a["index.html"]), "the build duration is in the index"


# --------------------------------------------------------------------------- browser

@pytest.mark.browser
def test_browser_follows_every_link_offline(project, first):
    exe, sync_playwright = require_browser()

    report = (project / "report").resolve()
    requests: list[str] = []
    problems: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=exe, args=[
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        page = browser.new_page()
        page.on("request", lambda r: requests.append(r.url))
        page.on("console", lambda m: problems.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
        page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
        todo = [(report / "index.html").as_uri()]
        seen: set[str] = set()
        files: set[str] = set()
        external: set[str] = set()
        while todo:
            url = todo.pop()
            if url in seen:
                continue
            seen.add(url)
            page.goto(url)
            hrefs = page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)")
            for h in hrefs:
                h = h.split("#")[0]
                if not h:
                    continue
                if not h.startswith("file://"):
                    external.add(h)
                    continue
                target = Path(h[len("file://"):])
                assert target.exists(), f"broken link {h} on {url}"
                if target.suffix == ".html":
                    todo.append(h)
                else:
                    files.add(h)
        browser.close()
    html_pages = {u for u in seen}
    assert len(html_pages) == 2 * len(PAGES) + 2, sorted(html_pages)
    assert any(f.endswith(".ipynb") for f in files) and any(f.endswith("articles.csv") for f in files)
    leaving = [u for u in requests if not u.startswith(("file://", "data:"))]
    assert not leaving, f"requests left the machine: {leaving}"
    assert not problems, problems
    assert not external, f"external links in the fixture report: {external}"


def test_only_keeps_pages_that_are_not_current_from_the_previous_report(project, first, tmp_path):
    """--only rebuilds the named page; pages it leaves out that are no longer current (here: the data
    changed) are kept from the previous report as they were, marked 'not current', never dropped."""
    copy = tmp_path / "p"
    shutil.copytree(project, copy)
    before = snapshot(copy / "report")
    with open(copy / "data" / "README.md", "a", encoding="utf-8") as fh:
        fh.write("\nA change to data/: every page's cache key changes.\n")
    proc = run_cli(copy, "--only", "plot")
    assert proc.returncode == 0, proc.stderr
    assert "1 executed [plot]" in proc.stderr and "3 kept from the previous build (not current)" in proc.stderr
    after = snapshot(copy / "report")
    for name in ("hello", "article-a1", "article-b22"):
        for rel in (f"pages/{name}.html", f"code/{name}.html", f"notebooks/{name}.ipynb"):
            assert after[rel] == before[rel], f"{rel} changed although it was kept"
    index = (copy / "report" / "index.html").read_text()
    assert index.count('<span class="ev-missing">(not current)</span>') == 3
    assert "not built in this run" not in index
    # a kept page's downloads stay published (hello writes greetings.csv)
    assert after["downloads/greetings.csv"] == before["downloads/greetings.csv"]
