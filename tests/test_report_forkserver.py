"""The kernel server that imports once and forks a fresh kernel per page (evidence.report.forkserver,
issue 13 item 5): pages come out byte for byte as from kernels started from scratch, one page's state
never reaches the next, and a server that cannot serve a kernel is refused without a word."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest

sys.path.insert(0, str(Path(__file__).parent / "fixtures" / "reliability"))

from builders import make_project, page_entry, snapshot, write_manifest  # noqa: E402

from evidence.report import forkserver  # noqa: E402

pytestmark = pytest.mark.slow

# A page that changes everything a kernel keeps between cells: a global, matplotlib's settings, an open
# figure (the inline backend told not to close it), the warning filters, the environment, sys.path and
# the random generators.
DIRTY = [
    "import json, os, random, sys, warnings\nimport matplotlib\nimport matplotlib.pyplot as plt\nimport numpy as np",
    "leaked = 42\nmatplotlib.rcParams['lines.linewidth'] = 9.5\nplt.rcParams['axes.grid'] = True\n"
    "%config InlineBackend.close_figures = False\nfig = plt.figure()\n_ = plt.plot([1, 2])",
    "warnings.simplefilter('ignore')\nos.environ['EVIDENCE_TEST_LEAK'] = '1'\nsys.path.insert(0, '/leak')\n"
    "random.seed(1)\nnp.random.seed(1)",
    "with open(results_path, 'w', encoding='utf-8') as fh:\n    json.dump({'summary': 'the page before'}, fh)",
]
# The page after it prints what it finds, draws a chart and writes the results the index reads.
CLEAN = [
    "import json, os, random, sys, warnings\nimport matplotlib\nimport matplotlib.pyplot as plt",
    "print('leaked' in globals(), matplotlib.rcParams['lines.linewidth'], matplotlib.rcParams['axes.grid'])\n"
    "print(plt.get_fignums(), os.environ.get('EVIDENCE_TEST_LEAK'), '/leak' in sys.path, len(warnings.filters))",
    "fig, ax = plt.subplots(figsize=(3, 2))\n_ = ax.plot([1, 3, 2])",
    "with open(results_path, 'w', encoding='utf-8') as fh:\n    json.dump({'summary': 'the page after'}, fh)",
]
# Each page says, outside the report, whether its kernel was forked from the server.
# A forked kernel also keeps what it inherited out of the garbage collector (gc.freeze).
SIDE = ("import gc as _gc, os as _os\nwith open(_os.path.join(_os.environ['EVIDENCE_TEST_SIDE'], NAME), 'w') as _fh:\n"
        "    _fh.write(str('--fork-server' in open(f'/proc/{_os.getppid()}/cmdline').read()) + ' ' "
        "+ str(_gc.get_freeze_count() > 0))")


def _notebook(path: Path, name: str, cells: list[str]) -> None:
    nb = nbformat.v4.new_notebook(metadata={"kernelspec": {"display_name": "Python 3", "language": "python",
                                                           "name": "python3"}, "language_info": {"name": "python"}})
    params = nbformat.v4.new_code_cell('results_path = None\ndata_dir = "../data"')
    params.metadata["tags"] = ["parameters"]
    side = nbformat.v4.new_code_cell(SIDE.replace("NAME", repr(name)))
    side.metadata["tags"] = ["remove-cell"]
    nb.cells = [nbformat.v4.new_markdown_cell(f"# {name}"), params, side,
                *(nbformat.v4.new_code_cell(c) for c in cells)]
    for i, c in enumerate(nb.cells):
        c["id"] = f"c{i}"
    nbformat.write(nb, path)


def _build(root: Path, out: str, side: Path, **env: str) -> subprocess.CompletedProcess:
    side.mkdir(parents=True, exist_ok=True)
    cmd = [sys.executable, "-m", "evidence", "report", "--out", str(root / out), "--cache", str(root / ".cache"),
           "--data", str(root / "data"), "--manifest", str(root / "notebooks" / "two.toml"),
           "--force", "--jobs", "1", "--no-validate"]
    return subprocess.run(cmd, cwd=root, capture_output=True, text=True, timeout=300,
                          env={**os.environ, "SOURCE_DATE_EPOCH": "1700000000", "EVIDENCE_TEST_SIDE": str(side), **env})


@pytest.mark.skipif(not forkserver.available(), reason="the kernel server forks on Linux only")
def test_a_page_after_one_that_changes_the_kernel_is_as_from_a_fresh_kernel(tmp_path):
    root = make_project(tmp_path / "project", notebooks=())
    _notebook(root / "notebooks" / "dirty.ipynb", "dirty", DIRTY)
    _notebook(root / "notebooks" / "clean.ipynb", "clean", CLEAN)
    write_manifest(root / "notebooks", "two.toml", [page_entry("dirty", "dirty.ipynb"), page_entry("clean", "clean.ipynb")])
    forked = _build(root, "report-forked", tmp_path / "side-forked")
    assert forked.returncode == 0, forked.stderr
    fresh = _build(root, "report-fresh", tmp_path / "side-fresh", EVIDENCE_REPORT_FORK="0", EVIDENCE_REPORT_POOL="0")
    assert fresh.returncode == 0, fresh.stderr
    pooled = _build(root, "report-pooled", tmp_path / "side-pooled", EVIDENCE_REPORT_FORK="0")   # started ahead
    assert pooled.returncode == 0, pooled.stderr
    assert {p.name: p.read_text() for p in (tmp_path / "side-forked").iterdir()} == {"dirty": "True True", "clean": "True True"}
    for d in ("side-fresh", "side-pooled"):
        assert {p.name: p.read_text() for p in (tmp_path / d).iterdir()} == {"dirty": "False False", "clean": "False False"}
    executed = nbformat.read(root / "report-forked" / "notebooks" / "clean.ipynb", as_version=4)
    code = [c for c in executed.cells if c.cell_type == "code"]
    printed = "".join(o.get("text", "") for c in code if "print(" in c.source for o in c.outputs)
    assert printed.startswith("False ") and " None False " in printed and "[] None" in printed, printed
    assert "9.5" not in printed and "True" not in printed, printed
    # a fresh kernel's counter: the first cell is 1, and so on
    assert [c.execution_count for c in code] == list(range(1, len(code) + 1))
    a = snapshot(root / "report-forked")
    for other in ("report-fresh", "report-pooled"):
        b = snapshot(root / other)
        assert sorted(a) == sorted(b)
        assert not [k for k in a if a[k] != b[k]], f"pages differ between forked kernels and {other}"


def test_the_server_refuses_a_kernel_it_was_not_started_for():
    env0 = {"PATH": "/bin", "EVIDENCE_DATA": "/d", "EVIDENCE_PREIMPORT": "pandas"}
    req = {"argv": ["-f", "/tmp/k.json"], "cwd": "/", "log": "", "env": dict(env0, EVIDENCE_READS="/tmp/r.jsonl")}
    assert forkserver._mismatch(req, env0, "/") == ""          # the per-page logs may differ
    assert "EVIDENCE_PREIMPORT" in forkserver._mismatch(dict(req, env=dict(env0, EVIDENCE_PREIMPORT="x")), env0, "/")
    assert "MPLBACKEND" in forkserver._mismatch(dict(req, env=dict(env0, MPLBACKEND="agg")), env0, "/")
    assert forkserver._mismatch(dict(req, cwd="/tmp"), env0, "/") == "working directory differs"
    assert forkserver._mismatch(dict(req, argv="-f x"), env0, "/") == "no kernel arguments"
    assert forkserver._mismatch(req, env0, "/", runtime="/tmp") == ""
    assert forkserver._mismatch(req, env0, "/", runtime="/run") == "connection file not in the kernels' runtime directory"


@pytest.mark.skipif(not forkserver.available(), reason="the kernel server forks on Linux only")
def test_a_refused_kernel_turns_the_server_off_and_leaves_nothing_running(tmp_path):
    env = {**os.environ, "EVIDENCE_PREIMPORT": "json"}
    server = forkserver.ForkServer("evidence.report.kernel", tmp_path, env, tmp_path / "server.log")
    proc = server.start()
    assert proc is not None
    try:
        assert server.spawn(["-f", str(tmp_path / "k.json")], dict(env, EVIDENCE_PREIMPORT="os"), str(tmp_path), "") is None
        assert server.broken and server.spawn(["-f", "x"], env, str(tmp_path), "") is None
        assert proc.wait(timeout=10) == -signal.SIGKILL     # ended by the refusal
        assert "refused: environment differs: EVIDENCE_PREIMPORT" in (tmp_path / "server.log").read_text()
    finally:
        if proc.poll() is None:
            proc.kill()


def test_a_forked_process_is_polled_waited_for_and_killed_by_pid():
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        p = forkserver.ForkedProcess(child.pid)
        assert p.poll() is None
        with pytest.raises(subprocess.TimeoutExpired):
            p.wait(timeout=0.1)
        t0 = time.monotonic()
        p.kill()
        assert p.wait(timeout=10) == -signal.SIGKILL and time.monotonic() - t0 < 5
        assert p.poll() == -signal.SIGKILL
        p.send_signal(signal.SIGTERM)                       # a dead kernel: nothing happens
    finally:
        child.kill()
        child.wait()
