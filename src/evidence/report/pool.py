"""The pool of kernels a build starts ahead of need (issue 13 item 5), forked from one kernel server.

While the build imports nbconvert and while pages execute, the next pages' kernels start, so that a
page finds its kernel ready. On Linux they are forks of one kernel server that imported what the
notebooks import and loaded the evidence base once (:mod:`evidence.report.forkserver`): a kernel then
costs its own start-up only, not 1.5 s of imports each. ``EVIDENCE_REPORT_FORK=0`` (or a server that
fails) starts each pooled kernel as its own process instead, as ``EVIDENCE_REPORT_POOL=0`` starts
each page's kernel when the page is due; pages come out byte for byte the same either way
(tests/test_report_build.py::test_two_forced_builds_in_two_directories_are_byte_identical).
"""
from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import Any

from evidence.report import forkserver
from evidence.report.execute import _LOCAL, _STOPPING, KERNEL_MODULE, USED_CHARTS, _register, _trace, kernel_manager_class


class KernelPool:
    """Kernels started ahead of need (issue 13 item 5): while the build imports nbconvert and while
    pages execute, the next pages' kernels start and import what the notebooks import
    (:data:`PREIMPORT`), so that a page finds its kernel ready. Each pooled kernel writes what its
    page reads to a log of its own (see :mod:`evidence.report.kernel`), handed to the page that takes it.

    ``total`` kernels at most, ``ahead`` of them started and not yet taken at any time; all with one
    kernel name and working directory (a page with another gets a kernel of its own)."""

    def __init__(self, root: Path, kernel: str, cwd: Path, total: int, ahead: int, cancel: threading.Event,
                 preimport: list[str] | None = None, preload: str | None = None, daemon: Path | None = None):
        self.root, self.kernel, self.cwd = Path(root), kernel, Path(cwd)
        self.preimport, self.preload = list(preimport or []), preload
        self.total, self.ahead, self.cancel = total, max(1, ahead), cancel
        self.started = 0
        self._ready: list[tuple[Any, Path, Path]] = []
        self._cond = threading.Condition()
        self._thread = threading.Thread(target=self._fill, name="evidence-report-pool", daemon=True)
        self.server: forkserver.ForkServer | None = None
        self.daemon = daemon            # the cache root whose warm daemon serves this build (None: no daemon)
        self.asked = threading.Event()  # the first kernel is on its way (see :meth:`wait_asked`)

    def start(self) -> "KernelPool":
        self.root.mkdir(parents=True, exist_ok=True)
        self._thread.start()
        return self

    def _start_one(self, i: int) -> tuple[Any, Path, Path]:
        import asyncio

        reads, log = self.root / f"kernel-{i}.reads.jsonl", self.root / f"kernel-{i}.log"
        _LOCAL.reads_log, _LOCAL.kernel_log = reads, log
        _LOCAL.charts_log = self.root / f"kernel-{i}.{USED_CHARTS}"
        _LOCAL.preimport, _LOCAL.preload = self.preimport, self.preload
        _LOCAL.forkserver = self.server
        km = kernel_manager_class()(kernel_name=self.kernel)

        async def go():
            await km.start_kernel(extra_arguments=[], cwd=str(self.cwd))
            km._close_control_socket()       # made in this thread's loop; the page's client makes its own
        asyncio.run(go())
        return km, reads, log

    def _start_server(self) -> None:
        """The kernel server, with the environment the pool's kernels get (but their own logs)."""
        if not forkserver.available():
            return
        env = dict(os.environ, JPY_PARENT_PID=str(os.getpid()))
        if self.preimport:
            env["EVIDENCE_PREIMPORT"] = ",".join(self.preimport)
        if self.preload:
            env["EVIDENCE_PRELOAD"] = self.preload
        log = self.root / "forkserver.log"
        proc = None
        if self.daemon is not None:      # a session of the warm daemon, else (silently) a server of its own
            self.server = forkserver.SessionServer(KERNEL_MODULE, self.cwd, env, log, self.daemon)
            proc = self.server.start()
            if proc is not None:
                _trace("pool: daemon session")
        if proc is None:
            self.server = forkserver.ForkServer(KERNEL_MODULE, self.cwd, env, log)
            proc = self.server.start()
        if proc is not None:
            self.server.asked = self.asked
            _register(proc, None)        # ended with the build's kernels (execute.kill_kernels)
            _trace("pool: kernel server starting")

    def wait_asked(self, timeout: float = 3.0) -> None:
        """Wait (``timeout`` at most) until the pool has asked its kernel server for the first kernel, or
        has no server, or the server is still importing: the build's main thread calls it before it
        imports papermill, so that a warm daemon's session forks the first kernel, which then starts up
        on another core, 0.2-0.3 s sooner than if the pool's thread waited for those imports (issue 13)."""
        self.asked.wait(timeout)

    def close(self) -> None:
        if (self.cancel.is_set() or _STOPPING.is_set()) and self._thread.is_alive():
            # stopped (an interrupt, a failure): a kernel launched in that moment is registered, and so killed,
            # before the build exits; else it would outlive the build as a process no one knows of
            self._thread.join(timeout=3)
        if self.server is not None:
            self.server.close()

    def _fill(self) -> None:
        try:
            self._start_server()
            if self.server is None:
                self.asked.set()
            self._fill_loop()
        finally:
            self.asked.set()

    def _fill_loop(self) -> None:
        while not self.cancel.is_set() and not _STOPPING.is_set() and self.started < self.total:
            with self._cond:
                while len(self._ready) >= self.ahead and not self.cancel.is_set():
                    self._cond.wait(0.2)
                if self.cancel.is_set():
                    break
                self.started += 1
            try:
                _trace(f"pool: kernel {self.started} starting")
                entry = self._start_one(self.started)
                _trace(f"pool: kernel {self.started} ready")
            except BaseException:  # noqa: BLE001 - the page starts a kernel of its own (and says what fails)
                self.asked.set()
                with self._cond:
                    self.total = self.started - 1
                    self._cond.notify_all()
                return
            self.asked.set()              # e.g. a kernel started the usual way, not forked
            with self._cond:
                self._ready.append(entry)
                self._cond.notify_all()

    def take(self, kernel: str, cwd: Path) -> tuple[Any, Path, Path] | None:
        """A started kernel for a page (its manager, its reads log, its log), or None: the page starts its own."""
        if kernel != self.kernel or Path(cwd) != self.cwd:
            return None
        with self._cond:
            # a kernel is being started (or the pool waits for one to be taken): wait for it
            while not self._ready and self._thread.is_alive() and not self.cancel.is_set():
                self._cond.wait(0.2)
            if not self._ready:
                return None
            entry = self._ready.pop(0)
            self._cond.notify_all()
            return entry
