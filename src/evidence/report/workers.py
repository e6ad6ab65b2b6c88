"""Execute the pages a build plans to run: ``jobs`` kernels at a time, one export thread, each finished
page committed to the cache with the key of what it read (see :mod:`evidence.report.execute` for one
page, :mod:`evidence.report.plan` for the keys)."""
from __future__ import annotations

import json
import logging
import os
import queue
import shutil
import threading
from pathlib import Path
from typing import Any, Callable

from evidence.report import cache as cachemod
from evidence.report import chartmemo, render
from evidence.report.outdir import BuildError


def cpu_count() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def _write_meta_key(run_dir: Path, key: str, deps: list[str]) -> None:
    meta_path = run_dir / "meta.json"
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        meta = {}
    meta.update(key=key, reads=deps)
    meta_path.write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")


def _prepare(data_dir: Path, st, charts: tuple[Path, str] | None = None) -> Any:
    """Set the kernels' environment and quiet papermill's and nbclient's logs (failures are reported
    once, by the build, as a block per page)."""
    from evidence.report import execute as ex

    ex.reset()
    for name in ("papermill", "traitlets", "nbclient", "asyncio"):
        logging.getLogger(name).setLevel(logging.CRITICAL + 1)
    env = ex.kernel_env(data_dir, render.STATIC_DIR / "matplotlibrc", charts)
    for k, v in env.items():
        st.restore_env.setdefault(k, os.environ.get(k))
        os.environ[k] = v
    ex.warm_matplotlib(env, st.cancel)
    return ex


#: what the evidence package imports only when it is used, and (nearly) every page uses: the statistics
#: (evidence.stats is lazy; its _common imports scipy.stats, 0.5 s; effects statsmodels, meta the pooling)
#: and the charts (P.setup: pyplot, 0.5 s). A kernel started ahead of need imports them too, so that a
#: page's first cells do not wait for them.
LAZY_IMPORTS = ("evidence.stats._common", "evidence.stats.effects", "evidence.stats.meta", "matplotlib.pyplot")


def notebook_imports(notebooks: list[bytes]) -> list[str]:
    """The modules the notebooks' code cells import (``import a.b``, ``from a import b``: a, a.b),
    in order of first use: what a kernel started ahead of need imports while it waits."""
    import ast

    out: dict[str, None] = {}
    for raw in notebooks:
        try:
            cells = json.loads(raw).get("cells", [])
        except (ValueError, AttributeError):
            continue
        for c in cells:
            src = c.get("source", "") if isinstance(c, dict) and c.get("cell_type") == "code" else ""
            src = "".join(src) if isinstance(src, list) else str(src)
            src = "\n".join("" if ln.lstrip().startswith(("%", "!")) else ln for ln in src.splitlines())
            try:
                tree = ast.parse(src)
            except SyntaxError:
                continue
            for node in tree.body:
                if isinstance(node, ast.Import):
                    out.update((a.name, None) for a in node.names)
                elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                    out[node.module] = None
                    out.update((f"{node.module}.{a.name}", None) for a in node.names if a.name != "*")
    return list(out)


def _pool(ex, tasks: list, todo: list, jobs: int, cache: cachemod.Cache, cancel: threading.Event,
          manifest=None, daemon: bool = False):
    """Kernels for the pages, started ahead of need: for the kernel and directory most pages run in,
    ``jobs`` ahead, importing what the notebooks import and loading the evidence base they load. With
    ``daemon``, their server is a session of the warm daemon (:mod:`evidence.report.daemon`), which
    imports what every page of the manifest imports (so that an edit that runs two pages finds the
    daemon the cold build left)."""
    from collections import Counter

    if not tasks:
        return None
    (kernel, cwd), n = Counter((t.kernel, t.cwd) for t in tasks).most_common(1)[0]
    mine = [t for t in tasks if (t.kernel, t.cwd) == (kernel, cwd)]
    data_args = {t.parameters.get("data_dir") for t in mine}
    preload = next(iter(data_args)) if len(data_args) == 1 and None not in data_args else None
    pages = manifest.pages if daemon and manifest is not None else [pl.page for pl in todo]
    preimport = notebook_imports(list(dict.fromkeys(p.notebook_bytes for p in pages)))
    if any(m == "evidence" or m.startswith("evidence.") for m in preimport):
        preimport += [m for m in LAZY_IMPORTS if m not in preimport]
    from evidence.report.pool import KernelPool

    return KernelPool(cache.root / "run" / ".pool", kernel, cwd, n, jobs, cancel, preimport=preimport,
                      preload=preload, daemon=cache.root if daemon else None).start()


def _use_daemon(opts) -> bool:
    from evidence.report import daemon, forkserver

    return forkserver.available() and daemon.enabled(getattr(opts, "daemon", True))


def _task(ex, pl, manifest, cache: cachemod.Cache, css: str, timeout: float | None):
    page = pl.page
    header_reader, header_code = render.page_headers(page.name, page.title, pl.section_title, manifest.title)
    try:
        src = json.loads(page.notebook_bytes)
    except ValueError:
        src = {}
    cells = src.get("cells", [])
    injected_index = None
    if pl.params:
        pidx = next((i for i, c in enumerate(cells) if "parameters" in c.get("metadata", {}).get("tags", [])), None)
        injected_index = 0 if pidx is None else pidx + 1
    return ex.Task(name=page.name, title=page.title, key=pl.key or pl.static, notebook=page.notebook,
                   notebook_rel=pl.notebook_rel, cwd=page.notebook.parent, parameters=pl.params,
                   kernel=page.kernel, run_dir=cache.run_dir(page.name), failed_path=cache.failed_path(page.name),
                   header_reader=header_reader, header_code=header_code, css=css,
                   source_ids={c.get("id") for c in cells if c.get("id")}, injected_index=injected_index,
                   timeout=timeout, expect_results=page.results and "results_path" in pl.params)


class _Stop(Exception):
    """The build was cancelled: the thread ends without a word."""


def _attempt(ex, fn: Callable, arg, task, cancel: threading.Event):
    """``fn(arg, cancel)``, with any exception turned into a failed page (the build reports it)."""
    try:
        return fn(arg, cancel)
    except ex.Cancelled:
        raise _Stop() from None
    except BaseException as exc:  # noqa: BLE001 - reported as a page failure
        if cancel.is_set():
            raise _Stop() from None
        return ex.Outcome(task.name, task.key, False, 0.0,
                          ex.Failure(task.name, task.notebook_rel, ename=type(exc).__name__, evalue=str(exc)))


def _threads(ex, tasks: list, jobs: int, cancel: threading.Event, done: queue.Queue) -> list[threading.Thread]:
    """Kernels run ``jobs`` at a time; a finished notebook goes to one export thread (nbconvert runs one
    page at a time anyway) so that its worker starts the next page's kernel at once."""
    work: queue.Queue = queue.Queue()
    for t in tasks:
        work.put(t)
    exports: queue.Queue = queue.Queue()

    def worker() -> None:
        while not cancel.is_set():
            try:
                t = work.get_nowait()
            except queue.Empty:
                return
            try:
                ran = _attempt(ex, ex.run, t, t, cancel)
            except _Stop:
                return
            if isinstance(ran, ex.Outcome):
                done.put((t, ran))
            else:
                exports.put(ran)

    def exporter() -> None:
        try:
            ex.import_exporter()      # while the first pages run; a failure is said by the first export
        except Exception:  # noqa: BLE001
            pass
        while not cancel.is_set():
            try:
                ran = exports.get(timeout=0.1)
            except queue.Empty:
                if not any(th.is_alive() for th in workers) and exports.empty():
                    return
                continue
            try:
                done.put((ran.task, _attempt(ex, ex.finish, ran, ran.task, cancel)))
            except _Stop:
                return

    workers = [threading.Thread(target=worker, name=f"evidence-report-{i}", daemon=True) for i in range(jobs)]
    return [*workers, threading.Thread(target=exporter, name="evidence-report-export", daemon=True)]


def _commit(pl, t, cache: cachemod.Cache, slices: cachemod.DataSlices) -> None:
    """A page that ran: its key is what it read; into the cache, with what it read remembered."""
    if pl.parts.get("data") == "recorded":
        deps = cachemod.dependencies(t.run_dir / "reads.jsonl", pl.page.rows, pl.key_params, slices, pl.page.columns)
    else:
        deps = []
    digests = slices.digests(deps)
    pl.key = cachemod.full_key(pl.static, digests)
    _write_meta_key(t.run_dir, pl.key, deps)
    cache.commit(pl.key, t.run_dir)
    cache.write_deps(pl.static, digests, slices.details(deps))
    cache.write_last(pl.page.name, {"parts": pl.parts, "static": pl.static, "key": pl.key})


def execute_all(todo: list, opts, manifest, data_dir: Path, cache: cachemod.Cache, st, result, bar, say,
                slices: cachemod.DataSlices, chart_salt: str | None = None) -> None:
    """Run every planned page; the executed go to ``result.executed``, the failed to ``result.failures``.
    With ``chart_salt``, charts are kept across builds in ``<cache>/charts`` (evidence.report.chartmemo;
    --force draws every chart again)."""
    charts = None
    if chart_salt is not None:
        charts = (cache.root / chartmemo.DIRNAME, chart_salt)
        if opts.force:
            shutil.rmtree(charts[0], ignore_errors=True)
    ex = _prepare(data_dir, st, charts)
    st.checkpoint()
    planned = {p.page.name: p for p in todo}
    css = render.css()
    tasks = [_task(ex, pl, manifest, cache, css, opts.timeout) for pl in todo]
    st.run_dirs += [t.run_dir for t in tasks] + [cache.root / "run" / ".pool"]
    jobs = max(1, min(opts.jobs or cpu_count(), len(tasks)))
    # the first kernels start while papermill and nbconvert are imported, the next while pages run
    ex.POOL = _pool(ex, tasks, todo, jobs, cache, st.cancel, manifest, _use_daemon(opts)) if opts.pool else None
    try:
        if ex.POOL is not None:
            # the first kernel is asked for before papermill and nbconvert are imported: with a warm daemon it
            # then starts up in its own process while they import (jupyter_client, which it needs, first)
            ex.kernel_manager_class()
            ex.POOL.wait_asked()
        ex.import_runner()       # once, in the main thread (nbconvert: in the export thread)
        st.checkpoint()
        _run_all(ex, tasks, planned, jobs, opts, cache, st, result, bar, say, slices)
    finally:
        if ex.POOL is not None:
            ex.POOL.close()
        ex.POOL = None
    order = {p.page.name: i for i, p in enumerate(todo)}
    result.executed.sort(key=order.get)
    result.failures.sort(key=lambda f: order.get(f.name, 0))


def _run_all(ex, tasks: list, planned: dict, jobs: int, opts, cache: cachemod.Cache, st, result, bar, say,
             slices: cachemod.DataSlices) -> None:
    done: queue.Queue = queue.Queue()
    threads = st.threads = _threads(ex, tasks, jobs, st.cancel, done)
    for th in threads:
        th.start()
    for _ in tasks:
        while True:
            st.checkpoint()              # SIGINT/SIGTERM: the build kills the kernels and stops here
            try:
                t, o = done.get(timeout=0.2)
                break
            except queue.Empty:
                if not any(th.is_alive() for th in threads) and done.empty():
                    raise BuildError("worker threads stopped unexpectedly") from None
        if o.ok:
            _commit(planned[t.name], t, cache, slices)
            result.executed.append(t.name)
            if bar is None and not opts.quiet:
                say(f"  executed {t.name} ({o.seconds:.1f} s)")
        else:
            shutil.rmtree(t.run_dir, ignore_errors=True)
            result.failures.append(o.failure)
            say(f"  FAILED   {t.name}")
        if bar is not None:
            bar.update(1)
