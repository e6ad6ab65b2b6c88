"""Reliability of `evidence report` (issue #8): what happens when things go wrong.

One fixture project in a temporary directory (the tiny notebooks in
tests/fixtures/reliability and a valid evidence base) is built once; that report
is the "previous report". Every test then breaks something — the data, a
notebook, the kernel, the process itself (SIGINT, SIGTERM) — and checks that the
build says what went wrong, exits non-zero, leaves the previous report
byte-identical, leaves no temporary directories and no kernel running.

Kernels are told apart from any other Jupyter kernel on the machine by their
connection file: each build runs with its own $TMPDIR, where jupyter_client
writes the connection file that the kernel's command line names.
"""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent / "fixtures" / "reliability"))

from synthetic import CLAIMS  # noqa: E402  (tests/synthetic.py: the one synthetic base)
from builders import (kernels_under, make_project, page_entry, read_rows, snapshot, write_csv,  # noqa: E402
                      write_manifest)

pytestmark = pytest.mark.slow
import psutil  # noqa: E402  (pinned in requirements.lock)


def evidence_report(root: Path, *args: str, data: Path | None = None, env: dict | None = None,
                    timeout: float = 120) -> subprocess.CompletedProcess:
    cmd = [sys.executable, "-m", "evidence", "report", "--out", str(root / "report"),
           "--cache", str(root / ".cache"), "--data", str(data or root / "data"), *args]
    return subprocess.run(cmd, cwd=root, capture_output=True, text=True, timeout=timeout,
                          env={**os.environ, **(env or {})})


def fresh_tmpdir(root: Path, name: str) -> Path:
    d = root / "tmpdirs" / name
    d.mkdir(parents=True)
    return d


def leftovers(root: Path) -> list[str]:
    """Temporary build directories and unfinished page runs left in the project."""
    found = [p.name for p in root.glob("report.tmp*")]
    run = root / ".cache" / "run"
    if run.is_dir():
        found += [f".cache/run/{p.name}" for p in run.iterdir()]
    return found


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("reliability-build")
    make_project(root)
    nb = root / "notebooks"
    ok = page_entry("ok", "ok.ipynb")
    write_manifest(nb, "ok.toml", [ok])
    write_manifest(nb, "failing.toml", [ok, page_entry("raises", "raises.ipynb"), page_entry("dies", "dies.ipynb")])
    write_manifest(nb, "slow.toml", [ok, page_entry("slow", "slow.ipynb")])
    write_manifest(nb, "three.toml", [ok, page_entry("ok2", "ok.ipynb"), page_entry("ok3", "ok.ipynb")])
    proc = evidence_report(root, "--manifest", str(nb / "ok.toml"))
    assert proc.returncode == 0, proc.stderr
    assert (root / "report" / "pages" / "ok.html").is_file()
    return root


@pytest.fixture(scope="module")
def previous(project) -> dict[str, bytes]:
    """The previous report, byte for byte; no test may change it."""
    return snapshot(project / "report")


# --------------------------------------------------------------------------- invalid data

def _dup_claim(d):
    f, rows = read_rows(d / "claims.csv")
    write_csv(d / "claims.csv", f, rows + [rows[1]])


def _blank_source_id(d):
    f, rows = read_rows(d / "sources.csv")
    rows[1]["source_id"] = ""
    write_csv(d / "sources.csv", f, rows)


def _bad_quoting(d):
    p = d / "facts.csv"
    lines = p.read_text(encoding="utf-8").splitlines()
    lines.insert(2, 'f2,s1,"ketamine,onset,,1,hours,Abstract,reported,,')
    lines.insert(3, lines[1].replace("f1,", "f3,", 1))
    p.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _big_outcomes(d):
    f, rows = read_rows(d / "outcomes.csv")
    big = [dict(rows[0], outcome_id=f"o{i:05d}", notes="not_duplicate: synthetic load-test copy") for i in range(10_000)]
    big[-1]["events_ctrl"] = "99"
    write_csv(d / "outcomes.csv", f, big)


CORRUPT = {
    # name: (corrupt(data_dir), text the error output must contain)
    "duplicate-claim-id": (_dup_claim, f"claims.csv:{len(CLAIMS) + 2}: column 'claim_id' [unique]"),
    "missing-source-id": (_blank_source_id, "sources.csv:3: column 'source_id' [required]"),
    "unreadable-csv": (_bad_quoting, "facts.csv:3:"),
    "empty-file": (lambda d: (d / "outcomes.csv").write_bytes(b""), "outcomes.csv: [file-empty]"),
    "missing-file": (lambda d: (d / "prevalence.csv").unlink(), "prevalence.csv: [file-missing]"),
    "10000-rows-one-bad": (_big_outcomes, "outcomes.csv:10001: column 'events_ctrl' [events-le-n]"),
}


@pytest.mark.parametrize("case", list(CORRUPT))
def test_invalid_data_is_refused_and_the_previous_report_kept(project, previous, tmp_path, case):
    corrupt, expected = CORRUPT[case]
    data = tmp_path / "data"
    shutil.copytree(project / "data", data)
    corrupt(data)
    tmpdir = fresh_tmpdir(tmp_path, "t")
    proc = evidence_report(project, "--manifest", str(project / "notebooks" / "ok.toml"), "--force",
                           data=data, env={"TMPDIR": str(tmpdir)})
    assert proc.returncode == 1, proc.stderr
    assert expected in proc.stderr, proc.stderr
    assert "the report was not built" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert "executed" not in proc.stderr                    # validation comes before any kernel
    assert not kernels_under(tmpdir)
    assert snapshot(project / "report") == previous, "the previous report changed"
    assert not leftovers(project), leftovers(project)


# --------------------------------------------------------------------------- failing notebooks

@pytest.fixture(scope="module")
def failing(project, previous, tmp_path_factory) -> dict:
    """One build with three pages: one fine, one raising in a cell, one whose kernel dies (os._exit)."""
    tmpdir = tmp_path_factory.mktemp("failing-tmpdir")
    proc = evidence_report(project, "--manifest", str(project / "notebooks" / "failing.toml"), "--force",
                           "--jobs", "2", env={"TMPDIR": str(tmpdir)})
    time.sleep(0.3)
    return {"proc": proc, "kernels_left": kernels_under(tmpdir), "tmp_files": sorted(p.name for p in tmpdir.iterdir())}


def test_a_raising_notebook_is_named_with_its_cell_and_error(failing):
    proc = failing["proc"]
    assert proc.returncode == 1, proc.stderr
    err = proc.stderr
    assert "page 'raises' failed" in err
    assert "notebooks/raises.ipynb" in err
    assert "index 2" in err and "class ReliabilityError(Exception):" in err      # the cell
    assert "ReliabilityError: boom at x=42" in err                                 # the error
    assert "2 pages failed; the previous report is unchanged" in err


def test_a_dying_kernel_fails_the_build_and_is_named(failing):
    proc = failing["proc"]
    assert proc.returncode == 1
    err = proc.stderr
    assert "page 'dies' failed" in err and "notebooks/dies.ipynb" in err
    assert "DeadKernelError" in err or "Kernel died" in err
    assert "Traceback" not in err


def test_a_dying_kernel_names_the_cell(failing):
    err = failing["proc"].stderr
    block = err[err.index("page 'dies' failed"):]
    assert "index 2" in block and "os._exit(1)" in block


def test_failed_pages_leave_the_previous_report_and_no_kernels(project, previous, failing):
    assert snapshot(project / "report") == previous, "the previous report changed"
    assert not leftovers(project), leftovers(project)
    assert not failing["kernels_left"], f"kernels left running: {failing['kernels_left']}"
    assert failing["tmp_files"] == [], "kernel connection files left in $TMPDIR"
    assert (project / ".cache" / "failed" / "raises.ipynb").is_file()       # kept for the post-mortem


# --------------------------------------------------------------------------- interrupted builds

def sigint_as_at_a_terminal() -> None:
    """In the child before it runs Python: SIGINT at its default, so Python turns it into KeyboardInterrupt."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


@pytest.fixture(scope="module", params=["SIGINT", "SIGTERM"])
def interrupted(request, project, previous, tmp_path_factory) -> dict:
    """A build interrupted while the slow notebook sleeps in a cell."""
    sig = getattr(signal, request.param)
    base = tmp_path_factory.mktemp(f"interrupt-{request.param}")
    tmpdir, marker = base / "tmpdir", base / "sleeping"
    tmpdir.mkdir()
    cmd = [sys.executable, "-m", "evidence", "report", "--out", str(project / "report"),
           "--cache", str(project / ".cache"), "--data", str(project / "data"),
           "--manifest", str(project / "notebooks" / "slow.toml"), "--only", "slow", "--force"]
    env = {**os.environ, "TMPDIR": str(tmpdir), "RELIABILITY_MARKER": str(marker)}
    # Ctrl-C at a terminal: SIGINT at its default in the build, even when this suite runs where it is ignored
    # (a background job of a non-interactive shell inherits SIGINT ignored, and Python then keeps it ignored)
    proc = subprocess.Popen(cmd, cwd=project, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            preexec_fn=sigint_as_at_a_terminal)
    try:
        deadline = time.monotonic() + 90
        while not marker.exists() and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        assert marker.exists(), f"the slow notebook never started: {proc.poll()} {proc.stderr and ''}"
        time.sleep(0.5)                                    # now inside time.sleep(30)
        kernel_pid = int(marker.read_text() or 0)
        seen = kernels_under(tmpdir)
        t0 = time.monotonic()
        proc.send_signal(sig)
        _, err = proc.communicate(timeout=60)
        seconds = time.monotonic() - t0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    time.sleep(0.3)
    return {"signal": request.param, "returncode": proc.returncode, "stderr": err, "seconds": seconds,
            "kernel_pid": kernel_pid, "seen": seen, "left": kernels_under(tmpdir),
            "tmp_files": sorted(p.name for p in tmpdir.iterdir())}


def test_interrupt_stops_promptly_with_the_right_status(interrupted):
    r = interrupted
    assert r["returncode"] == (130 if r["signal"] == "SIGINT" else 143), r["stderr"]
    assert "interrupted; the previous report is unchanged" in r["stderr"]
    assert "Traceback" not in r["stderr"]
    assert r["seconds"] < 15, f"took {r['seconds']:.1f} s to stop (the cell sleeps 30 s)"


def test_interrupt_leaves_the_previous_report_and_no_temporary_directories(project, previous, interrupted):
    assert snapshot(project / "report") == previous, "the previous report changed"
    assert not leftovers(project), leftovers(project)


def test_interrupt_leaves_no_kernel_running(interrupted):
    r = interrupted
    assert r["seen"] and r["kernel_pid"] in r["seen"], "the test did not see the sleeping kernel"
    assert not r["left"], f"kernels left running after {r['signal']}: {r['left']}"
    alive = psutil.pid_exists(r["kernel_pid"]) and psutil.Process(r["kernel_pid"]).status() != psutil.STATUS_ZOMBIE
    assert not alive


def test_interrupt_leaves_no_kernel_connection_file(interrupted):
    # the connection file holds the kernel's HMAC key; it must not outlive the kernel
    assert interrupted["tmp_files"] == []


#: where the build is when the signal is sent: the moment this text appears on its stderr
#: (EVIDENCE_REPORT_TRACE=1's timeline, or a page's "executed" line), with the signal
INTERRUPT_POINTS = [
    ("build: inputs read", "SIGINT"),               # validating the data next
    ("build: planned", "SIGTERM"),                  # the temporary report directory made next
    ("pool: kernel server starting", "SIGINT"),     # the server importing, papermill and nbconvert importing
    ("imported papermill", "SIGTERM"),              # pooled kernels starting, the first page taking one
    (": first cell", "SIGINT"),                     # a page's cells running
    (": cells done", "SIGTERM"),                    # a page's notebook done, its export next
    (": export", "SIGINT"),                         # a page exporting to HTML
    ("  executed ", "SIGTERM"),                     # a page just committed to the cache, the others running
    ("build: pages done", "SIGINT"),                # assembling the new report
    ("build: assembled", "SIGTERM"),                # the offline check and the reader lint
]


def _cache_is_whole(cache: Path) -> list[str]:
    """What is half-made in the cache: an entry without all its files, a temporary file, a run directory."""
    from evidence.report.cache import ENTRY_FILES

    bad = [str(p.relative_to(cache)) for p in cache.rglob("*.tmp")]
    bad += [f"run/{p.name}" for p in (cache / "run").iterdir()] if (cache / "run").is_dir() else []
    for d in cache.iterdir():
        if d.is_dir() and len(d.name) == 32:
            bad += [f"{d.name}/{f} missing" for f in ENTRY_FILES if not (d / f).is_file()]
    return bad


@pytest.mark.parametrize("point,sig", INTERRUPT_POINTS, ids=[f"{p.strip(' :')}-{s}" for p, s in INTERRUPT_POINTS])
def test_an_interrupt_at_any_point_stops_the_build_cleanly(project, previous, tmp_path, point, sig):
    """SIGINT or SIGTERM at any point of a real build (three pages, executed): the build stops at its next
    checkpoint with 130 (143), one line and no traceback; the previous report, no temporary directory,
    no half-made cache entry or memo, no kernel, kernel server or connection file left."""
    tmpdir = fresh_tmpdir(tmp_path, "k")
    cmd = [sys.executable, "-m", "evidence", "report", "--out", str(project / "report"),
           "--cache", str(project / ".cache"), "--data", str(project / "data"),
           "--manifest", str(project / "notebooks" / "three.toml"), "--force"]
    env = {**os.environ, "TMPDIR": str(tmpdir), "EVIDENCE_REPORT_TRACE": "1"}
    proc = subprocess.Popen(cmd, cwd=project, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                            preexec_fn=sigint_as_at_a_terminal)
    lines, sent = [], None
    try:
        for line in proc.stderr:                       # ends when the build exits
            lines.append(line)
            if sent is None and point in line:
                proc.send_signal(getattr(signal, sig))
                sent = time.monotonic()
        proc.wait(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    err = "".join(lines)
    assert sent is not None, f"the build never reached {point!r}:\n{err}"
    assert time.monotonic() - sent < 15, "took too long to stop"
    assert proc.returncode == (130 if sig == "SIGINT" else 143), err
    assert "evidence report: interrupted; the previous report is unchanged" in err
    assert "Traceback" not in err and "Exception ignored" not in err, err
    assert snapshot(project / "report") == previous, "the previous report changed"
    assert not list(project.glob("report.tmp*")), "a temporary report directory was left"
    assert _cache_is_whole(project / ".cache") == []
    time.sleep(0.3)                                    # a killed kernel's process is reaped
    assert kernels_under(tmpdir) == {}, "kernels (or the kernel server) left running"
    assert sorted(p.name for p in tmpdir.iterdir()) == [], "kernel connection files left"


# --------------------------------------------------------------------------- never a traceback (issue #13)

def _one_line_error(proc: subprocess.CompletedProcess, code: int, *needles: str) -> str:
    """The build failed with ``code`` and said so in one line containing every needle, without a traceback."""
    assert proc.returncode == code, (proc.returncode, proc.stderr)
    err = proc.stderr
    assert "Traceback" not in err and "zmq" not in err, err
    lines = [ln for ln in err.splitlines() if ln.strip()]
    assert len(lines) == 1, err
    for n in needles:
        assert n in lines[0], err
    return lines[0]


@pytest.mark.parametrize("args, needle", [
    (["--timeout", "-5"], "--timeout -5"),
    (["--timeout", "0"], "--timeout 0"),
    (["--timeout", "nan"], "--timeout nan"),
    # issue 13: below a second no kernel can start and answer a cell (it was a TraitError on the page)
    (["--timeout", "0.2"], "--timeout 0.2: too short to start a kernel"),
    (["--jobs", "0"], "--jobs 0"),
    (["--jobs", "-3"], "--jobs -3"),
])
def test_bad_option_values_are_refused_in_one_line(project, previous, args, needle):
    proc = evidence_report(project, "--manifest", str(project / "notebooks" / "ok.toml"), "--force", *args)
    _one_line_error(proc, 2, needle)
    assert snapshot(project / "report") == previous
    assert not leftovers(project), leftovers(project)


NOT_NOTEBOOKS = {
    # name: (file contents, words the one line must contain)
    "cells-not-a-list": ('{"cells": "oops"}', "'cells' is missing or not a list"),
    "json-array": ("[1, 2, 3]", "not a JSON object"),
    "not-json": ("this is not JSON", "not valid JSON"),
    "cell-not-an-object": ('{"cells": [42], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}', "cell 0"),
    "unknown-cell-type": ('{"cells": [{"cell_type": "python", "source": "1"}], "metadata": {}, '
                          '"nbformat": 4, "nbformat_minor": 5}', "cell_type 'python'"),
    "nbformat-3": ('{"cells": [], "metadata": {}, "nbformat": 3}', "nbformat 4"),
}


@pytest.mark.parametrize("case", list(NOT_NOTEBOOKS))
def test_a_file_that_is_not_a_notebook_is_named_in_one_line(project, previous, tmp_path, case):
    body, words = NOT_NOTEBOOKS[case]
    nb = project / "notebooks" / f"bad-{case}.ipynb"
    nb.write_text(body, encoding="utf-8")
    manifest = write_manifest(project / "notebooks", f"bad-{case}.toml", [page_entry("bad", nb.name)])
    proc = evidence_report(project, "--manifest", str(manifest), "--force")
    _one_line_error(proc, 2, f"bad-{case}.ipynb", "not a notebook", words)
    assert snapshot(project / "report") == previous
    assert not leftovers(project), leftovers(project)


def _empty_notebook(path: Path, cells: list | None = None) -> None:
    import json

    path.write_text(json.dumps({"cells": cells or [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}),
                    encoding="utf-8")


def test_an_empty_notebook_is_an_error_unless_the_manifest_says_it_has_no_results(project, previous, tmp_path):
    nb = project / "notebooks"
    _empty_notebook(nb / "empty.ipynb")
    _empty_notebook(nb / "markdown-only.ipynb", [{"cell_type": "markdown", "metadata": {}, "source": "# Title"}])
    for name in ("empty", "markdown-only"):
        manifest = write_manifest(nb, f"{name}.toml", [page_entry(name, f"{name}.ipynb")])
        proc = evidence_report(project, "--manifest", str(manifest), "--force")
        _one_line_error(proc, 2, f"{name}.ipynb", "no code", "results = false")
    assert snapshot(project / "report") == previous
    # declared as a page without results, it builds (elsewhere: the previous report stays as it is)
    manifest = write_manifest(nb, "empty-ok.toml", [page_entry("empty", "empty.ipynb") + "results = false\n"])
    out = tmp_path / "report"
    proc = subprocess.run([sys.executable, "-m", "evidence", "report", "--out", str(out), "--cache",
                           str(tmp_path / "cache"), "--data", str(project / "data"), "--manifest", str(manifest)],
                          cwd=project, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert (out / "pages" / "empty.html").is_file()


def test_a_page_that_declares_results_but_writes_none_fails(project, previous):
    import json

    src = json.loads((project / "notebooks" / "ok.ipynb").read_text(encoding="utf-8"))
    for c in src["cells"]:
        if "open(results_path" in "".join(c["source"]):
            c["source"] = ["pass\n"]
    (project / "notebooks" / "nores.ipynb").write_text(json.dumps(src), encoding="utf-8")
    manifest = write_manifest(project / "notebooks", "nores.toml", [page_entry("nores", "nores.ipynb")])
    proc = evidence_report(project, "--manifest", str(manifest), "--force")
    assert proc.returncode == 1, proc.stderr
    assert "page 'nores' failed" in proc.stderr and "notebooks/nores.ipynb" in proc.stderr
    assert "declares results_path but wrote no results" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert snapshot(project / "report") == previous


def test_a_fractional_timeout_is_whole_seconds_for_the_kernel(project, previous, tmp_path):
    # nbclient takes whole seconds: 1.5 was a TraitError on every page; it is rounded up to 2
    proc = evidence_report(project, "--manifest", str(project / "notebooks" / "slow.toml"), "--only", "slow",
                           "--force", "--timeout", "1.5")
    assert proc.returncode == 1, proc.stderr
    assert "the cell ran longer than --timeout 1.5 s" in proc.stderr and "TraitError" not in proc.stderr, proc.stderr


def test_a_cell_past_the_timeout_fails_the_page_without_kernel_noise(project, previous, tmp_path):
    tmpdir = fresh_tmpdir(tmp_path, "t")
    proc = evidence_report(project, "--manifest", str(project / "notebooks" / "slow.toml"), "--only", "slow",
                           "--force", "--timeout", "1", env={"TMPDIR": str(tmpdir)})
    assert proc.returncode == 1, proc.stderr
    err = proc.stderr
    assert "page 'slow' failed" in err and "notebooks/slow.ipynb" in err
    assert "time.sleep(30)" in err                                  # the cell that ran too long
    assert "the cell ran longer than --timeout 1 s" in err
    assert "Traceback" not in err and "zmq" not in err.lower() and "Timeout waiting" not in err, err
    assert snapshot(project / "report") == previous
    assert not leftovers(project), leftovers(project)
    time.sleep(0.3)
    assert not kernels_under(tmpdir)


def test_a_dying_kernel_prints_no_kernel_noise(failing):
    err = failing["proc"].stderr
    block = err[err.index("page 'dies' failed"):]
    assert "the kernel died while running this cell" in block
    assert "zmq" not in err.lower() and "running over TCP" not in err, err


# --------------------------------------------------------------------------- fail before the work (issue #13)

def _lock_down(path: Path) -> None:
    """Make ``path`` unwritable, for root too (immutable attribute), else by its mode."""
    if os.geteuid() == 0:
        r = subprocess.run(["chattr", "+i", str(path)], capture_output=True, text=True)
        if r.returncode != 0:
            pytest.skip(f"running as root and chattr +i is not supported here: {r.stderr.strip()}")
    else:
        path.chmod(path.stat().st_mode & ~0o222)
    if path.is_dir():
        try:
            (path / ".probe").write_text("x")
        except OSError:
            return
        (path / ".probe").unlink()
        pytest.skip(f"could not make {path} unwritable on this file system")


def _unlock(path: Path) -> None:
    if os.geteuid() == 0:
        subprocess.run(["chattr", "-i", str(path)], capture_output=True)
    else:
        path.chmod(path.stat().st_mode | 0o200)


def _no_work_done(proc: subprocess.CompletedProcess, cache: Path) -> None:
    assert "  executed " not in proc.stderr, proc.stderr
    entries = [p for p in cache.iterdir() if len(p.name) == 32] if cache.is_dir() else []
    assert not entries, f"pages were executed into the cache: {entries}"


@pytest.mark.parametrize("target", ["report", "report-file", "parent", "cache"])
def test_an_unwritable_target_fails_before_anything_is_executed(project, tmp_path, target):
    root = tmp_path / "p"
    shutil.copytree(project / "data", root / "data")
    shutil.copytree(project / "notebooks", root / "notebooks")
    manifest = str(root / "notebooks" / "ok.toml")
    base = [sys.executable, "-m", "evidence", "report", "--data", str(root / "data"), "--manifest", manifest]
    out, cache = root / "site" / "report", root / "cache"
    proc = subprocess.run([*base, "--out", str(out), "--cache", str(root / "first-cache")],
                          cwd=root, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    before = snapshot(out)
    locked = {"report": out, "report-file": out / "pages" / "ok.html", "parent": out.parent,
              "cache": root / "cache-parent"}[target]
    if target == "cache":
        locked.mkdir()
        cache = locked / "cache"
    _lock_down(locked)
    try:
        proc = subprocess.run([*base, "--out", str(out), "--cache", str(cache), "--force"],
                              cwd=root, capture_output=True, text=True, timeout=120)
    finally:
        _unlock(locked)
    line = _one_line_error(proc, 3, "nothing was executed" if target != "report-file" else "cannot replace")
    assert {"report": "report", "report-file": "ok.html", "parent": "site", "cache": "cache-parent"}[target] in line
    _no_work_done(proc, cache)
    assert snapshot(out) == before
    assert not list(out.parent.glob("report.tmp*")), list(out.parent.glob("report.tmp*"))


def test_a_swap_that_cannot_remove_the_old_report_leaves_both_as_they_were(tmp_path):
    from evidence.report.build import MARKER, BuildError, swap_into_place

    out, new = tmp_path / "report", tmp_path / "report.tmp-new"
    for d, text in ((out, "old"), (new, "new")):
        (d / "pages").mkdir(parents=True)
        (d / MARKER).write_text("")
        (d / "pages" / "a.html").write_text(text)
        (d / "pages" / "b.html").write_text(text)
    _lock_down(out / "pages" / "b.html")
    try:
        with pytest.raises(BuildError) as exc:
            swap_into_place(new, out)
    finally:
        _unlock(out / "pages" / "b.html")
    assert exc.value.code == 3 and "cannot replace" in str(exc.value) and "b.html" in str(exc.value)
    assert (out / "pages" / "a.html").read_text() == "old" and (out / "pages" / "b.html").read_text() == "old"
    assert not new.exists(), "the new report's temporary directory was left behind"


def test_outside_the_repository_the_report_finds_the_repositorys_data(tmp_path):
    """Run from an unrelated directory, `evidence report` uses the repository's data/ and manifest,
    as `evidence validate` does (checked with --dry-run: nothing is executed)."""
    env = {k: v for k, v in os.environ.items() if k != "EVIDENCE_DATA"}
    proc = subprocess.run([sys.executable, "-m", "evidence", "report", "--dry-run", "--out", str(tmp_path / "r"),
                           "--cache", str(tmp_path / "c")], cwd=tmp_path, capture_output=True, text=True,
                          timeout=120, env=env)
    assert proc.returncode == 0, proc.stderr
    assert "data directory" not in proc.stderr and "not found" not in proc.stderr
    assert "article-000" in proc.stdout + proc.stderr and "methods" in proc.stdout + proc.stderr
    assert not (tmp_path / "r").exists()
    proc = subprocess.run([sys.executable, "-m", "evidence", "report", "--data", "nonexistent"], cwd=tmp_path,
                          capture_output=True, text=True, timeout=60, env=env)
    _one_line_error(proc, 1, "data directory nonexistent: no such directory")
