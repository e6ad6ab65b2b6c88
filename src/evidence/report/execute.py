"""Execute one page with papermill and export it to HTML (runs in a worker thread).

Heavy modules (papermill, nbformat, nbconvert) are imported here only, and
only when a page actually has to run.

Kernels:

* every kernel starts through :class:`TrackedKernelManager`, which holds a
  process-wide lock while ports are picked and the process is launched, and
  records the process so that :func:`kill_kernels` can end it on SIGINT/SIGTERM;
* a failure to start a kernel (the ZMQ port race of papermill #511, "Kernel died
  before replying to kernel_info", a start-up timeout) is retried up to three
  times with backoff; an error *inside* a cell is never retried.
"""
from __future__ import annotations

import json
import math
import os
import re
import shutil
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

MAX_START_RETRIES = 3
_START_LOCK = threading.Lock()
_EXPORT_LOCK = threading.Lock()
_PROCS_LOCK = threading.Lock()
_PROCS: list[Any] = []          # (Popen, kernel manager) of kernels started by this process
_KM_CLASS = None
#: held while papermill, nbconvert or jupyter_client is imported: the kernel pool's thread imports jupyter_client while
#: the main thread imports papermill (which imports it too), and two threads inside one package's circular imports
#: see it half made ("cannot import name 'AsyncKernelManager' from partially initialized module")
_IMPORTS = threading.RLock()
_LOCAL = threading.local()      # per worker thread: where the current kernel's stdout/stderr go

INJECTED_CELL_ID = "injected-parameters"
USED_CHARTS = "charts.txt"      # the charts a page showed (evidence.report.chartmemo.USED_FILE)
KERNEL_MODULE = "evidence.report.kernel"     # replaces ipykernel_launcher in the kernel's command line
#: modules a kernel imports before it answers (set by the build; see evidence.report.kernel)
PREIMPORT: list[str] = []
REMOVE_CELL_TAGS = {"remove-cell", "remove_cell"}
REMOVE_INPUT_TAGS = {"remove-input", "remove_input", "hide-input", "hide_input"}
REMOVE_OUTPUT_TAGS = {"remove-output", "remove_output"}


class Cancelled(Exception):
    pass


@dataclass
class Task:
    name: str
    title: str
    key: str
    notebook: Path             # source notebook
    notebook_rel: str          # as recorded in the executed notebook's metadata
    cwd: Path                  # kernel working directory (the notebook's directory)
    parameters: dict[str, Any]  # final, including injected results_path/data_dir
    kernel: str
    run_dir: Path
    failed_path: Path
    header_reader: str         # HTML inserted at the top of the reader page
    header_code: str           # ... and of the code page
    css: str
    source_ids: set[str] = field(default_factory=set)
    injected_index: int | None = None   # index of the injected cell in the executed notebook
    timeout: float | None = None
    expect_results: bool = False        # the page declares results_path and must write it


@dataclass
class Failure:
    name: str
    notebook: str
    cell_index: int | None = None   # index in the source notebook (0-based); None: not a cell error
    injected: bool = False          # the error is in papermill's injected-parameters cell
    source_line: str = ""
    ename: str = ""
    evalue: str = ""
    kept: str = ""                  # where the executed notebook was kept
    log_tail: str = ""              # last lines the kernel wrote to stderr (kernel failures)

    def __str__(self) -> str:
        lines = [f"page {self.name!r} failed", f"  notebook: {self.notebook}"]
        if self.injected:
            lines.append("  cell:     the injected-parameters cell")
        elif self.cell_index is not None:
            lines.append(f"  cell:     index {self.cell_index} ({_ordinal(self.cell_index + 1)} cell), "
                         f"first line: {self.source_line}")
        lines.append(f"  error:    {self.ename}: {self.evalue}" if self.evalue else f"  error:    {self.ename}")
        if self.kept:
            lines.append(f"  executed notebook kept at {self.kept}")
        if self.log_tail:
            lines.append("  kernel log (last lines):")
            lines += [f"    {ln}" for ln in self.log_tail.splitlines()]
        return "\n".join(lines)


@dataclass
class Outcome:
    name: str
    key: str
    ok: bool
    seconds: float
    failure: Failure | None = None
    attempts: int = 1


def _display_path(p: Path) -> str:
    try:
        return os.path.relpath(p)
    except ValueError:
        return str(p)


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _trace(event: str) -> None:
    from evidence.report import trace

    trace.mark(event)


def import_runner() -> None:
    """Import papermill (what runs a page; once, from the main thread).

    jsonschema (via nbformat) imports ``rfc3987_syntax`` when it is installed, only
    to check the "iri" string format, and that import compiles a grammar for
    about a second. Notebook validation never uses that format, so it is hidden
    while jsonschema loads; anything importing ``rfc3987_syntax`` later gets it.
    """
    with _IMPORTS:
        _import_runner()


def _import_runner() -> None:
    if "papermill" in sys.modules:
        return
    hide = "rfc3987_syntax" not in sys.modules and "jsonschema" not in sys.modules
    if hide:
        sys.modules["rfc3987_syntax"] = None  # type: ignore[assignment]  # makes its import fail
    try:
        import jsonschema  # noqa: F401
    finally:
        if hide:
            del sys.modules["rfc3987_syntax"]
    import papermill  # noqa: F401
    from evidence.report import trace

    trace.mark("imported papermill")


def import_exporter() -> None:
    """Import nbconvert (what exports a page): in the export thread, while the first pages run, so
    that it is not on the way to the first cell (about 0.3 s of an edit rebuild)."""
    import_runner()              # jsonschema first, with rfc3987_syntax hidden
    if "nbconvert.exporters.html" in sys.modules:
        return
    with _IMPORTS:
        import nbconvert.exporters.html  # noqa: F401
    from evidence.report import trace

    trace.mark("imported nbconvert")


def import_heavy() -> None:
    """Import papermill and nbconvert."""
    import_runner()
    import_exporter()


# --------------------------------------------------------------------------- kernels

_STOPPING = threading.Event()   # set by kill_kernels: a kernel that starts after that dies at once


def _kill(proc) -> bool:
    import signal

    if proc.poll() is not None:
        return False
    try:
        if hasattr(os, "killpg") and os.getpgid(proc.pid) == proc.pid:
            os.killpg(proc.pid, signal.SIGKILL)   # kernels run in their own session
        else:
            proc.kill()
        return True
    except (ProcessLookupError, PermissionError, OSError):
        return False


def _forget(km) -> None:
    """Remove the kernel's connection file (it holds the kernel's HMAC key)."""
    try:
        km.cleanup_connection_file()
    except Exception:  # noqa: BLE001 - best effort while stopping
        pass


def _register(proc, km) -> None:
    with _PROCS_LOCK:
        ended = [(p, k) for p, k in _PROCS if p.poll() is not None]
        _PROCS[:] = [(p, k) for p, k in _PROCS if (p, k) not in ended]
        _PROCS.append((proc, km))
    del ended       # the ended kernels' managers are freed outside the lock (freeing can need the import lock)
    if _STOPPING.is_set():
        _kill(proc)
        _forget(km)


def _forked(km, server, kernel_cmd: list[str], kw: dict) -> bool:
    """Launch the kernel as a fork of the pool's kernel server (evidence.report.forkserver) when its
    command is the server's (``python -m evidence.report.kernel ...``); False: launch it the usual way."""
    if kernel_cmd[1:3] != ["-m", KERNEL_MODULE] or os.path.realpath(kernel_cmd[0]) != os.path.realpath(sys.executable):
        return False
    env = dict(kw["env"], JPY_PARENT_PID=str(os.getpid()))     # as jupyter_client's launcher sets it
    proc = server.spawn(kernel_cmd[3:], env, kw.get("cwd"), str(getattr(_LOCAL, "kernel_log", None) or ""))
    if proc is None:
        return False
    prov = km.provisioner
    prov.process, prov.pid, prov.pgid, prov.cwd = proc, proc.pid, proc.pid, kw.get("cwd")
    km._reconcile_connection_info(prov.connection_info)
    return True


def kernel_manager_class():
    """AsyncKernelManager that serializes launches and remembers its process."""
    global _KM_CLASS
    if _KM_CLASS is None:
        with _IMPORTS:
            from jupyter_client.manager import AsyncKernelManager
            from traitlets import DottedObjectName, Type

            import evidence.report.client  # noqa: F401 - named below by its dotted name, imported here under the lock

        class TrackedKernelManager(AsyncKernelManager):
            # its handshake before the first cell polls instead of waiting 0.2 s twice (evidence.report.client)
            client_class = DottedObjectName("evidence.report.client.ReadyClient")
            client_factory = Type("evidence.report.client.ReadyClient", klass="jupyter_client.asynchronous.AsyncKernelClient")

            async def start_kernel(self, **kw):  # type: ignore[override]
                if _STOPPING.is_set():
                    raise Cancelled()
                log_path = getattr(_LOCAL, "kernel_log", None)
                fh = open(log_path, "ab") if log_path else None
                if fh is not None:  # the kernel's own chatter goes to a log, not our terminal
                    kw.setdefault("stdout", fh)
                    kw.setdefault("stderr", fh)
                try:
                    with _START_LOCK:   # ports are picked and bound one kernel at a time
                        await super().start_kernel(**kw)
                finally:
                    if fh is not None:
                        fh.close()

            async def _async_launch_kernel(self, kernel_cmd, **kw):
                # our launcher: ipykernel plus the recorder of what the page reads (evidence.report.kernel)
                kernel_cmd = [KERNEL_MODULE if a == "ipykernel_launcher" else a for a in kernel_cmd]
                env = dict(kw.get("env") or os.environ)
                reads = getattr(_LOCAL, "reads_log", None)
                if reads:
                    env["EVIDENCE_READS"] = str(reads)
                charts = getattr(_LOCAL, "charts_log", None)
                if charts and env.get("EVIDENCE_CHARTS"):
                    env["EVIDENCE_CHARTS_USED"] = str(charts)
                preimport = getattr(_LOCAL, "preimport", None) or PREIMPORT
                if preimport:
                    env["EVIDENCE_PREIMPORT"] = ",".join(preimport)
                if getattr(_LOCAL, "preload", None):
                    env["EVIDENCE_PRELOAD"] = _LOCAL.preload
                kw["env"] = env
                server = getattr(_LOCAL, "forkserver", None)
                if server is None or not _forked(self, server, kernel_cmd, kw):
                    await super()._async_launch_kernel(kernel_cmd, **kw)
                proc = getattr(self.provisioner, "process", None)
                if proc is not None:       # remembered the moment it exists
                    _register(proc, self)

        with _IMPORTS:          # the main thread and the pool's may both get here (workers.execute_all)
            if _KM_CLASS is None:
                _KM_CLASS = TrackedKernelManager
    return _KM_CLASS


#: the pool the build's pages take kernels from (set by evidence.report.workers for one build)
POOL: Any = None      # an evidence.report.pool.KernelPool


def _end(km) -> None:
    """Kill a pooled kernel its page is done with (nbclient leaves a kernel it did not start running)."""
    proc = getattr(getattr(km, "provisioner", None), "process", None)
    if proc is not None:
        _kill(proc)
    _forget(km)


def reset() -> None:
    """Before a build: kernels may start again."""
    _STOPPING.clear()


def kill_kernels() -> int:
    """Kill every kernel this process started that is still running (and its process group);
    kernels that start from now on (until :func:`reset`) are killed as soon as they exist."""
    _STOPPING.set()
    # never wait for ever: an interrupt inside an import can leave Python's import lock held, and a
    # thread that holds this lock may be waiting for that one (seen once: the build hung on Ctrl-C)
    got = _PROCS_LOCK.acquire(timeout=2)
    try:
        procs, _PROCS[:] = list(_PROCS), []
    finally:
        if got:
            _PROCS_LOCK.release()
    killed = 0
    for proc, km in procs:
        killed += _kill(proc)
        _forget(km)
    return killed


def kernel_env(data_dir: Path, rc_file: Path, charts: tuple[Path, str] | None = None) -> dict[str, str]:
    """Environment for kernels: deterministic hashing, figures and dates; where the data are; where
    charts are kept across builds, with the salt of their keys (see :mod:`evidence.report.chartmemo`)."""
    env = {
        "PYTHONHASHSEED": "0",                   # set/dict-of-str ordering is stable
        "MPLBACKEND": "module://matplotlib_inline.backend_inline",
        "MATPLOTLIBRC": str(rc_file),            # our rc: no user rc, fixed svg.hashsalt
        "SOURCE_DATE_EPOCH": os.environ.get("SOURCE_DATE_EPOCH", "0"),  # dates in PDF/SVG/PS metadata
        "EVIDENCE_DATA": str(data_dir.resolve()),
        "EVIDENCE_REPORT": "1",
        "PYDEVD_DISABLE_FILE_VALIDATION": "1",   # silence debugpy's frozen-modules warning
    }
    if charts is not None:
        env["EVIDENCE_CHARTS"], env["EVIDENCE_CHARTS_SALT"] = str(charts[0]), charts[1]
    return env


def warm_matplotlib(env: dict[str, str], cancel: threading.Event | None = None) -> None:
    """Build matplotlib's font cache before any kernel needs it.

    Otherwise the first kernel to import matplotlib on a fresh machine prints
    "Matplotlib is building the font cache" into its notebook, and two builds differ.
    It runs in a process of its own, ended when ``cancel`` is set (the build was interrupted).
    """
    cfg = os.environ.get("MPLCONFIGDIR") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "matplotlib")
    try:
        if any(f.startswith("fontlist-") for f in os.listdir(cfg)):
            return
    except OSError:
        pass
    try:
        proc = subprocess.Popen([sys.executable, "-c", "import matplotlib.font_manager"], env={**os.environ, **env},
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    except OSError:
        return
    deadline = time.monotonic() + 300
    try:
        while proc.poll() is None and time.monotonic() < deadline and not (cancel and cancel.is_set()):
            time.sleep(0.05)
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait()


def is_kernel_start_error(exc: BaseException) -> bool:
    """Does this exception look like a kernel that failed to start (worth a retry)?"""
    text = f"{type(exc).__module__}.{type(exc).__name__}: {exc}".lower()
    markers = ("zmq", "address already in use", "kernel died before replying", "kernel_info",
               "kernel didn't respond", "kernel did not respond", "timeout waiting for kernel",
               "failed to start the kernel", "kernel failed to start")
    return any(m in text for m in markers)


# --------------------------------------------------------------------------- notebooks

def clean_notebook(nb, task: Task) -> None:
    """Remove everything that changes from run to run: timestamps, durations, random ids, paths."""
    pm = nb.metadata.get("papermill")
    if pm is not None:
        for k in ("start_time", "end_time", "duration"):
            pm.pop(k, None)
        pm["input_path"] = task.notebook_rel
        pm["output_path"] = f"notebooks/{task.name}.ipynb"
    for i, cell in enumerate(nb.cells):
        md = cell.setdefault("metadata", {})
        md.pop("execution", None)
        cpm = md.get("papermill")
        if cpm is not None:
            for k in ("start_time", "end_time", "duration"):
                cpm.pop(k, None)
        if "injected-parameters" in md.get("tags", []):
            cell["id"] = INJECTED_CELL_ID
        elif cell.get("id") not in task.source_ids:
            cell["id"] = f"cell-{i}"


_EXPORTERS: dict[tuple[bool, bool], Any] = {}


def _memo(fn, key=lambda *a, **kw: (a, tuple(sorted(kw.items())))):
    """A pure string filter, remembered by its arguments (the same cells recur across pages)."""
    import functools

    cache: dict = {}

    @functools.wraps(fn)
    def wrapper(*a, **kw):
        try:
            k = key(*a, **kw)
            hash(k)
        except TypeError:
            return fn(*a, **kw)
        if k not in cache:
            if len(cache) > 4096:
                cache.clear()
            cache[k] = fn(*a, **kw)
        return cache[k]
    return wrapper


def _exporter(reader: bool, embed_images: bool = True):
    """One HTMLExporter per variant, built once per process (its templates compiled once); bleach's
    clean_html and pygments highlighting remembered by their input (call only under _EXPORT_LOCK)."""
    exp = _EXPORTERS.get((reader, embed_images))
    if exp is not None:
        return exp
    from nbconvert import HTMLExporter
    from nbconvert.filters import Highlight2HTML
    from nbconvert.filters.strings import clean_html
    from nbconvert.preprocessors import TagRemovePreprocessor

    from evidence.report.render import TEMPLATES_DIR

    kw: dict[str, Any] = dict(template_name="evidence", extra_template_basedirs=[str(TEMPLATES_DIR)],
                              embed_images=embed_images, theme="light")
    if reader:
        kw.update(exclude_input=True, exclude_input_prompt=True, exclude_output_prompt=True)
    exp = HTMLExporter(**kw)
    exp.register_preprocessor(TagRemovePreprocessor(remove_cell_tags=REMOVE_CELL_TAGS,
                                                    remove_input_tags=REMOVE_INPUT_TAGS,
                                                    remove_all_outputs_tags=REMOVE_OUTPUT_TAGS,
                                                    enabled=True), enabled=True)
    highlight = Highlight2HTML(pygments_lexer="ipython3", parent=exp)
    exp.register_filter("highlight_code", _memo(
        highlight, key=lambda source, language=None, metadata=None, **kw: (
            source, language, json.dumps(metadata or {}, sort_keys=True, default=str), tuple(sorted(kw.items())))))
    exp.register_filter("clean_html", _memo(clean_html))
    _EXPORTERS[(reader, embed_images)] = exp
    return exp


def _needs_embedding(nb) -> bool:
    """Does a markdown cell refer to an image file (which embed_images would inline)?"""
    for c in nb.cells:
        if c.get("cell_type") == "markdown":
            src = c.get("source", "")
            if "<img" in src or "![" in src:
                return True
    return False


class _Unparsed:
    """Stands in for BeautifulSoup in nbconvert's HTMLExporter, which parses and re-serialises every page
    only to add two attributes (the claim explorer: 0.85 of its 0.87 s export); :func:`_accessible` adds
    them to the template's own markup instead, and the page is written as the template renders it."""

    def __init__(self, markup: str, *_, **__) -> None:
        self.markup = markup

    def select(self, _selector: str) -> list:
        return []

    def __str__(self) -> str:
        return self.markup


_OPEN_TAG = re.compile(r"<(div|img)\b([^<>]*)>")
_CLASS = re.compile(r"""\bclass=(?:"([^"]*)"|'([^']*)')""")
_FOCUSABLE = {"jp-Cell-inputWrapper", "jp-OutputArea-output"}
NO_ALT = "No description has been provided for this image"   # nbconvert's words for an image without alt


def _accessible(page: str) -> str:
    """What nbconvert's HTMLExporter adds after rendering: ``tabindex="0"`` on every cell input and
    output area (keyboard users can scroll them), and an ``alt`` on every image without one."""
    def fix(m: re.Match) -> str:
        tag, attrs = m.group(1), m.group(2)
        closing = "/" if attrs.endswith("/") else ""
        body = attrs[:-1] if closing else attrs
        if tag == "img":
            if re.search(r"\balt\s*=", body):
                return m.group(0)
            return f'<img{body} alt="{NO_ALT}"{closing}>'
        c = _CLASS.search(body)
        if not c or not _FOCUSABLE.intersection((c.group(1) or c.group(2) or "").split()) or "tabindex" in body:
            return m.group(0)
        return f'<div{body} tabindex="0"{closing}>'

    head, sep, rest = page.partition("<body")
    return head + sep + _OPEN_TAG.sub(fix, rest) if sep else page


def export_html(nb, task: Task) -> tuple[str, str]:
    """(reader page, code page); nbconvert is not thread safe enough to trust, so one at a time."""
    import nbconvert.exporters.html as nbhtml

    out = []
    embed = _needs_embedding(nb)
    with _EXPORT_LOCK:
        parser, nbhtml.BeautifulSoup = nbhtml.BeautifulSoup, _Unparsed
        try:
            for reader, header in ((True, task.header_reader), (False, task.header_code)):
                resources = {"metadata": {"name": task.title, "path": str(task.cwd)},
                             "evidence_header": header, "evidence_css": task.css}
                body, _ = _exporter(reader, embed).from_notebook_node(nb, resources=resources)
                out.append(_accessible(body))
        finally:
            nbhtml.BeautifulSoup = parser
    return out[0], out[1]


def _locate(failure: Failure, idx: int, source: Any, task: Task) -> Failure:
    """Point a failure at a cell: ``idx`` counts cells of the executed notebook (with the
    injected-parameters cell); the failure names its index in the source notebook."""
    failure.injected = task.injected_index is not None and idx == task.injected_index
    failure.cell_index = idx - 1 if task.injected_index is not None and idx > task.injected_index else idx
    source = source if isinstance(source, str) else "".join(source or [])
    first = next((ln.strip() for ln in source.splitlines() if ln.strip()), "(empty cell)")
    failure.source_line = first if len(first) <= 100 else first[:97] + "..."
    return failure


def _failure_from_error(err, task: Task) -> Failure:
    failure = Failure(name=task.name, notebook=task.notebook_rel, ename=str(err.ename),
                      evalue=str(err.evalue).strip())
    return _locate(failure, err.cell_index, err.source, task)


_LOG_NOISE = ("Kernel is running over TCP without encryption", "To connect another client to this kernel")


def _log_tail(path: Path, lines: int = 6) -> str:
    """The last lines a kernel wrote, without Python tracebacks (their last line is kept) or start-up noise."""
    try:
        text = path.read_text(errors="replace")
    except OSError:
        return ""
    kept: list[str] = []
    in_tb = False
    for ln in text.splitlines():
        if any(n in ln for n in _LOG_NOISE) or not ln.strip():
            continue
        if ln.startswith("Traceback (most recent call last)"):
            in_tb = True
            continue
        if in_tb:
            if ln.startswith((" ", "\t")):
                continue
            in_tb = False      # the exception line that ends the traceback
        kept.append(ln.rstrip())
    return "\n".join(kept[-lines:])


def _normalize_results(path: Path) -> bytes | None:
    if not path.is_file():
        return None
    data = json.loads(path.read_text(encoding="utf-8"))
    return (json.dumps(data, indent=2, ensure_ascii=False, allow_nan=False) + "\n").encode("utf-8")


def execute(task: Task, cancel: threading.Event,
            runner: Callable[..., Any] | None = None) -> Outcome:
    """Run one page into ``task.run_dir`` and export it; the caller commits the directory to the cache."""
    ran = run(task, cancel, runner)
    if isinstance(ran, Outcome):
        return ran
    return finish(ran, cancel)


@dataclass
class Ran:
    """A page whose notebook ran to the end, waiting for its HTML export (:func:`finish`)."""
    task: Task
    nb: Any
    t0: float
    attempts: int
    timings: dict[str, float]
    t_ran: float = 0.0


class _Clock:
    """Where a page's time goes (nbclient's cell hooks): kernel start (launch to the first cell), the
    setup cell (the first code cell after the parameters: imports and loading the data), the others."""

    def __init__(self) -> None:
        self.running: dict[str, Any] = {}       # the cell being executed
        self.marks: dict[str, float] = {}
        self.cell_times: list[tuple[int, float]] = []

    def launch(self) -> None:
        self.running.clear()
        self.marks.clear()
        self.cell_times.clear()
        self.marks["launch"] = time.monotonic()

    def on_cell_execute(self, cell, cell_index, **_) -> None:
        now = time.monotonic()
        if "ready" not in self.marks:
            _trace(f"page {getattr(_LOCAL, 'page', '?')}: first cell")
        self.marks.setdefault("ready", now)            # papermill has no notebook-start hook: the first cell
        self.running.update(index=cell_index, source=cell.source, start=now)

    def on_cell_executed(self, cell, cell_index, **_) -> None:
        if self.running.get("index") == cell_index and "start" in self.running:
            self.marks["last_cell_end"] = time.monotonic()
            self.cell_times.append((cell_index, self.marks["last_cell_end"] - self.running["start"]))

    def timings(self, nb, t0: float) -> dict[str, float]:
        tags = lambda c: c.get("metadata", {}).get("tags", [])  # noqa: E731
        code_idx = [i for i, c in enumerate(nb.cells) if c.get("cell_type") == "code"
                    and "parameters" not in tags(c) and "injected-parameters" not in tags(c)]
        setup = code_idx[0] if code_idx else None
        m = self.marks
        return {"kernel_start_s": round(m.get("ready", m["launch"]) - m["launch"], 3),
                "setup_cell_s": round(sum(d for i, d in self.cell_times if i == setup), 3),
                "other_cells_s": round(sum(d for i, d in self.cell_times if i != setup), 3),
                # after the last cell: the kernel's shutdown, papermill writing the executed notebook
                "kernel_stop_s": round(time.monotonic() - m.get("last_cell_end", time.monotonic()), 3),
                "prepare_s": round(m["launch"] - t0, 3)}


def _adopt(entry: tuple[Any, Path, Path], task: Task) -> None:
    """A pooled kernel's page is done: the kernel ends, its reads log and its log become the page's."""
    km, reads, log = entry
    _end(km)
    charts = log.with_name(log.name.replace(".log", f".{USED_CHARTS}"))
    for src, dest in ((reads, task.run_dir / "reads.jsonl"), (log, task.run_dir / "kernel.log"),
                      (charts, task.run_dir / USED_CHARTS)):
        try:
            os.replace(src, dest)
        except OSError:
            pass


def _cell_failure(err, task: Task, out_nb: Path) -> Failure:
    """A cell raised: the failure names it, and the executed notebook is kept for a look."""
    failure = _failure_from_error(err, task)
    if out_nb.is_file():
        task.failed_path.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(out_nb, task.failed_path)
        failure.kept = _display_path(task.failed_path)
    return failure


def _run_failure(exc: BaseException, task: Task, running: dict) -> Failure:
    """The kernel died, timed out or could not start: the failure says which, in words."""
    msg = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    ename = type(exc).__name__
    if ename == "CellTimeoutError":
        # the kernel is killed mid-reply; its log holds only zmq noise
        failure = Failure(task.name, task.notebook_rel, ename="Timeout",
                          evalue=f"the cell ran longer than --timeout {task.timeout:g} s"
                          if task.timeout else "the cell timed out")
    else:
        if ename == "DeadKernelError":
            ename, msg = "DeadKernelError", "the kernel died while running this cell"
        failure = Failure(task.name, task.notebook_rel, ename=ename, evalue=msg,
                          log_tail=_log_tail(task.run_dir / "kernel.log"))
    if running:                      # e.g. the kernel died (os._exit, segfault, out of memory)
        _locate(failure, running["index"], running["source"], task)
    return failure


def run(task: Task, cancel: threading.Event, runner: Callable[..., Any] | None = None) -> Outcome | Ran:
    """Execute one page's notebook (kernel start to the last cell): a failed :class:`Outcome`, or
    :class:`Ran` for :func:`finish`. The kernel is shut down when this returns."""
    import_runner()
    import papermill
    from papermill.exceptions import PapermillExecutionError

    t0 = time.monotonic()
    shutil.rmtree(task.run_dir, ignore_errors=True)
    task.run_dir.mkdir(parents=True)
    (task.run_dir / "downloads").mkdir()
    out_nb = task.run_dir / "executed.ipynb"
    _LOCAL.kernel_log = task.run_dir / "kernel.log"
    _LOCAL.reads_log = task.run_dir / "reads.jsonl"
    _LOCAL.charts_log = task.run_dir / USED_CHARTS
    pooled = runner is None and POOL is not None
    runner = runner or papermill.execute_notebook
    attempts = 0
    clock = _Clock()
    while True:
        if cancel.is_set():
            raise Cancelled()
        attempts += 1
        # a kernel from the pool (first attempt only: a retry starts a kernel of its own)
        entry = POOL.take(task.kernel, task.cwd) if pooled and attempts == 1 else None
        _LOCAL.page = task.name
        _trace(f"page {task.name}: kernel {'from the pool' if entry else 'to start'}")
        clock.launch()
        try:
            nb = runner(
                str(task.notebook), str(out_nb), parameters=task.parameters, kernel_name=task.kernel,
                **({"km": entry[0]} if entry else {}),
                progress_bar=False, log_output=False, request_save_on_cell_execute=False,
                # nbclient's timeout is whole seconds: a fraction is rounded up (the CLI refuses < 1 s)
                execution_timeout=math.ceil(task.timeout) if task.timeout else None,
                # kernel cwd without papermill's process-wide chdir (unsafe in threads)
                resources={"metadata": {"path": str(task.cwd)}},
                kernel_manager_class=kernel_manager_class(), record_timing=False,
                # the page is finished with its last cell: kill the kernel instead of waiting
                # seconds for a graceful shutdown (what it read is already on disk, see kernel.py)
                shutdown_kernel="immediate",
                on_cell_execute=clock.on_cell_execute, on_cell_executed=clock.on_cell_executed)
            if entry:
                _adopt(entry, task)
            break
        except PapermillExecutionError as err:
            if cancel.is_set():
                raise Cancelled() from None
            if entry:
                _adopt(entry, task)
            return Outcome(task.name, task.key, False, time.monotonic() - t0, _cell_failure(err, task, out_nb),
                           attempts)
        except Exception as exc:  # noqa: BLE001 - classified below
            if cancel.is_set():
                raise Cancelled() from None
            if entry:
                _adopt(entry, task)
            if not clock.running and attempts <= MAX_START_RETRIES and is_kernel_start_error(exc):
                time.sleep(0.5 * 2 ** (attempts - 1))
                continue
            return Outcome(task.name, task.key, False, time.monotonic() - t0,
                           _run_failure(exc, task, clock.running), attempts)
    if cancel.is_set():
        raise Cancelled()
    _trace(f"page {task.name}: cells done")
    return Ran(task, nb, t0, attempts, clock.timings(nb, t0), time.monotonic())


def finish(ran: Ran, cancel: threading.Event) -> Outcome:
    """Check a page's results, export it to HTML and write its cache entry files into ``task.run_dir``."""
    import nbformat

    task, nb, t0, attempts = ran.task, ran.nb, ran.t0, ran.attempts
    if cancel.is_set():
        raise Cancelled()
    try:
        results = _normalize_results(task.run_dir / "results.json")
    except ValueError as exc:
        return Outcome(task.name, task.key, False, time.monotonic() - t0,
                       Failure(task.name, task.notebook_rel, ename="InvalidResultsJSON",
                               evalue=f"results_path does not hold valid JSON: {exc}"), attempts)
    if results is None and task.expect_results:
        return Outcome(task.name, task.key, False, time.monotonic() - t0,
                       Failure(task.name, task.notebook_rel, ename="NoResults",
                               evalue="the notebook declares results_path but wrote no results there "
                                      "(write them, or set results = false in the manifest entry)"), attempts)
    _trace(f"page {task.name}: export")
    clean_notebook(nb, task)
    t_export = time.monotonic()
    reader, code = export_html(nb, task)
    timings = {**ran.timings, "export_wait_s": round(t_export - ran.t_ran, 3),
               "export_s": round(time.monotonic() - t_export, 3)}
    (task.run_dir / "executed.ipynb").unlink(missing_ok=True)
    (task.run_dir / "kernel.log").unlink(missing_ok=True)
    if not (task.run_dir / "reads.jsonl").exists():
        (task.run_dir / "reads.jsonl").write_text("", encoding="utf-8")
    downloads = task.run_dir / "downloads"
    if not any(downloads.iterdir()):
        downloads.rmdir()
    (task.run_dir / "page.ipynb").write_text(nbformat.writes(nb) + "\n", encoding="utf-8")
    (task.run_dir / "reader.html").write_text(reader, encoding="utf-8")
    (task.run_dir / "code.html").write_text(code, encoding="utf-8")
    if results is not None:
        (task.run_dir / "results.json").write_bytes(results)
    seconds = time.monotonic() - t0
    from evidence.report.render import remote_resources

    meta = {"name": task.name, "title": task.title, "key": task.key, "seconds": round(seconds, 3),
            "attempts": attempts, "timings": timings,
            # what each page would load from the network (the build's offline check reads it from here)
            "remote": {"reader": remote_resources(reader), "code": remote_resources(code)}}
    (task.run_dir / "meta.json").write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
    return Outcome(task.name, task.key, True, seconds, None, attempts)
