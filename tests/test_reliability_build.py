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
    big = [dict(rows[0], outcome_id=f"o{i:05d}") for i in range(10_000)]
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
    proc = subprocess.Popen(cmd, cwd=project, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
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
