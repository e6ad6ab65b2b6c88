"""The kernel process of a report page: ``python -m evidence.report.kernel -f CONNECTION_FILE``.

It is ``ipykernel_launcher`` with two additions, both switched on by the build
through the kernel's environment:

* ``EVIDENCE_READS=<path>``: record what the page reads from the data directory
  (``EVIDENCE_DATA``), one JSON line per new dependency, appended to ``<path>``:

  - ``{"table": "claims"}`` the first time the notebook touches a table of the
    :class:`evidence.db.EvidenceDB` (``db.claims``, ``db.table("claims")``);
  - ``{"file": "articles/000.txt"}`` the first time any file under the data
    directory is opened outside :func:`evidence.db.read_tables`/``load_db``
    (a Python audit hook sees every ``open``: pandas, csv, pathlib alike).

  Loading the evidence base reads every table to validate it; that is not a
  dependency of the page (the build validates the data before any page runs),
  so opens made while loading are not recorded, the tables the page then uses
  are. The build keys each page's cache entry on exactly these tables and files
  (with the row filter the manifest declares, see ``rows``).

* ``EVIDENCE_PREIMPORT=mod1,mod2``: import these modules before the kernel
  starts answering, so that a kernel started ahead of need has paid for them.

* ``EVIDENCE_CHARTS=<dir>`` (with ``EVIDENCE_CHARTS_SALT`` and, per kernel, ``EVIDENCE_CHARTS_USED``):
  ``evidence.plotting.show_chart`` shows a chart kept from an earlier build when its inputs are the
  same, and keeps the ones it draws (:mod:`evidence.report.chartmemo`).

* ``EVIDENCE_PRELOAD=<data_dir>``: also load the evidence base (``load_db(data_dir)``, strict)
  ahead of need; the page's first ``load_db`` with that same argument gets it (once) instead of
  loading it again. A load that fails is not kept: the page's own call then fails as it would.

``python -m evidence.report.kernel --fork-server`` is the same process up to the kernel's start, once
for many pages: it does all of the above but the per-page parts (the reads log, the charts-used log)
and then forks a fresh kernel per page (:mod:`evidence.report.forkserver`).
"""
from __future__ import annotations

import json
import os
import sys
import threading


#: where the recorder writes (a fork server's kernels set it after the fork; empty: nothing is recorded)
READS_LOG = {"path": ""}
#: the data directory whose files the recorder records (a warm daemon's session sets it after its fork)
READS_ROOT = {"root": ""}


def _install_recorder(log_path: str, data_dir: str) -> None:
    seen: set[tuple[str, str]] = set()
    lock = threading.Lock()
    state = threading.local()
    READS_LOG["path"] = log_path
    READS_ROOT["root"] = os.path.realpath(data_dir) + os.sep if data_dir else ""

    def record(kind: str, name: str) -> None:
        log = READS_LOG["path"]
        if not log:
            return
        with lock:
            if (kind, name) in seen:
                return
            seen.add((kind, name))
            with open(log, "a", encoding="utf-8") as fh:     # the recorder's own write (not a read)
                fh.write(json.dumps({kind: name}) + "\n")

    def hook(event: str, args: tuple) -> None:
        root = READS_ROOT["root"]
        if event != "open" or not root or getattr(state, "loading", 0) or getattr(state, "busy", False):
            return
        path = args[0]
        if isinstance(path, int):
            return
        try:
            path = os.fsdecode(path)
        except TypeError:
            return
        if not path.startswith(root):
            full = os.path.realpath(path)
            if not full.startswith(root):
                return
        else:
            full = os.path.realpath(path)
        state.busy = True
        try:
            record("file", os.path.relpath(full, root[:-1]).replace(os.sep, "/"))
        finally:
            state.busy = False

    import evidence.db as db

    tables = set(db.TABLES)

    def loading(fn):
        def wrapper(*a, **kw):
            state.loading = getattr(state, "loading", 0) + 1
            try:
                return fn(*a, **kw)
            finally:
                state.loading -= 1
        wrapper.__wrapped__ = fn
        wrapper.__name__ = fn.__name__
        wrapper.__doc__ = fn.__doc__
        return wrapper

    db.read_tables = loading(db.read_tables)
    db.load_db = loading(db.load_db)
    cls = db.EvidenceDB
    cls.__init__ = loading(cls.__init__)
    base_getattribute = cls.__getattribute__
    base_table = cls.table

    def __getattribute__(self, name):
        if name in tables and not getattr(state, "loading", 0):
            record("table", name)
        return base_getattribute(self, name)

    def table(self, name):
        if not getattr(state, "loading", 0):
            record("table", name)
        return base_table(self, name)

    cls.__getattribute__ = __getattribute__
    cls.table = table
    sys.addaudithook(hook)


def _preload(arg: str) -> None:
    """Load the evidence base now; hand it to the first ``load_db(arg)`` the page makes."""
    import evidence.db as db

    inner = db.load_db
    try:
        ready = [inner(arg)]
    except Exception:  # noqa: BLE001 - the page's own call says what is wrong
        return

    def load_db(data_dir=None, *, strict: bool = True):
        if ready and strict and data_dir == arg:
            return ready.pop()
        return inner(data_dir, strict=strict)
    load_db.__wrapped__ = inner
    load_db.__doc__ = inner.__doc__
    db.load_db = load_db


def prepare(fork_server: bool = False) -> None:
    """Everything a kernel does before it starts answering, from its environment (see above). A fork
    server's kernels record their reads and charts in logs of their own, set after the fork."""
    log_path = os.environ.pop("EVIDENCE_READS", "")
    data_dir = os.environ.get("EVIDENCE_DATA", "")
    if data_dir and (log_path or fork_server):
        _install_recorder(log_path, data_dir)
    preimport()
    prepare_build()


def preimport() -> None:
    """Import ``EVIDENCE_PREIMPORT``'s modules (what the notebooks import): the part of
    :func:`prepare` that depends on the code and the environment only, never on the data, which is
    all a warm daemon (:mod:`evidence.report.daemon`) does before it forks a session per build."""
    for mod in filter(None, os.environ.pop("EVIDENCE_PREIMPORT", "").split(",")):
        try:
            __import__(mod.strip())
        except Exception:  # noqa: BLE001 - the notebook's own import will say what is wrong
            pass


def prepare_build() -> None:
    """The part of :func:`prepare` that belongs to one build: kept charts, the preloaded data (a warm
    daemon's session does this, and points the recorder at the build's data, after its fork)."""
    if READS_ROOT["root"] == "" and os.environ.get("EVIDENCE_DATA") and _recorder_installed():
        READS_ROOT["root"] = os.path.realpath(os.environ["EVIDENCE_DATA"]) + os.sep
    charts = os.environ.pop("EVIDENCE_CHARTS", "")
    if charts:
        from evidence.report import chartmemo

        chartmemo.install(charts, os.environ.pop(chartmemo.ENV_SALT, ""), os.environ.pop(chartmemo.ENV_USED, "") or None)
    preload = os.environ.pop("EVIDENCE_PRELOAD", "")
    if preload:
        _preload(preload)


def become_server(env: dict, reads_log: dict, argv: list):
    """In a warm daemon's forked session: this build's data, kept charts and preloaded tables, then serve the build
    as its kernel server (never returns)."""
    from evidence.report import forkserver

    prepare_build()
    forkserver.serve(env, reads_log, argv)


def _recorder_installed() -> bool:
    import evidence.db as db

    return hasattr(db.read_tables, "__wrapped__")


def main() -> None:
    if sys.argv[1:2] == ["--daemon"]:
        from evidence.report import daemon

        env = dict(os.environ)                   # what each build's request must match
        _install_recorder("", "")                # before the imports, as a fork server does; no data yet
        preimport()
        daemon.serve(sys.argv[2:], READS_LOG, env, become_server)   # this module's recorder (it runs as __main__)
    if sys.argv[1:2] == ["--fork-server"]:
        from evidence.report import forkserver

        env = dict(os.environ)               # what each kernel it forks must have been started with
        prepare(fork_server=True)
        forkserver.serve(env, READS_LOG, sys.argv[2:])      # this module's recorder (it runs as __main__)
    prepare()
    from ipykernel import kernelapp

    kernelapp.launch_new_instance()


if __name__ == "__main__":
    main()
