"""A kernel server that imports once and forks a fresh kernel per page (issue 13 item 5).

A kernel started from scratch spends about 1.5 s importing what every page imports (pandas,
matplotlib, the statistics) and loading the evidence base, before its first cell. The pool of a build
(:class:`evidence.report.pool.KernelPool`) starts instead one server,
``python -m evidence.report.kernel --fork-server``, that does everything a kernel does before it starts
answering (:func:`evidence.report.kernel.prepare`: the same imports, the same preloaded evidence base,
in the same order) and then waits. For each page it forks a child that becomes the page's kernel:
``ipykernel``'s ``launch_new_instance`` with the connection file the kernel manager wrote, in a session
of its own, with its output going to the page's kernel log and what it reads recorded in the page's
log. The child is a fresh kernel in everything a page can see (its own process, namespace, figures,
execution counter, warnings, random state: :mod:`random` reseeds itself in a forked child); only the
imports and the loading are shared, and they are the ones a pooled kernel makes anyway.

Safety rules:

* the server forks only a kernel whose command line, environment (but for the per-page logs) and
  working directory are those it was started with; anything else is refused and the build starts
  that kernel the usual way;
* a child tells the server it is in its own session before the server answers with its pid, so the
  build never signals the server's process group by mistake;
* the server reaps its children at once (``SIGCHLD``), so a dead kernel is seen dead;
* the server exits when the build closes its stdin or dies (end of file), killing its children first;
  a child is also killed by the system the moment its server ends (``PR_SET_PDEATHSIG``), so a server
  the build kills leaves no kernel behind, even one the build had not yet heard of.

The build's side is :class:`ForkServer` (one per build, started by the pool) and
:class:`ForkedProcess`, the ``Popen`` a kernel manager's provisioner holds for a forked kernel.
"""
from __future__ import annotations

import gc
import json
import os
import select
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any, NoReturn

#: environment variables that differ from page to page (set in the child after the fork)
PER_PAGE_ENV = ("EVIDENCE_READS", "EVIDENCE_CHARTS_USED")
#: how long the build waits for the server to import (its first kernel) and for one fork
READY_TIMEOUT_S = 120.0
SPAWN_TIMEOUT_S = 30.0


def available() -> bool:
    """Forking a Python process that has imported numpy and friends is safe on Linux only (macOS's
    system libraries do not support it), and ``EVIDENCE_REPORT_FORK=0`` turns the server off."""
    return hasattr(os, "fork") and sys.platform.startswith("linux") and \
        os.environ.get("EVIDENCE_REPORT_FORK", "1") != "0"


# --------------------------------------------------------------------------- the build's side

class ForkedProcess:
    """What ``subprocess.Popen`` is to a kernel the provisioner started, for a kernel a server forked:
    poll, wait, signal. The process is followed through a pidfd where there is one (immune to pid
    reuse), else by its pid."""

    stdin = stdout = stderr = None

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.returncode: int | None = None
        self._fd: int | None = None
        try:
            self._fd = os.pidfd_open(pid)
        except (AttributeError, OSError):
            self._fd = None

    def _gone(self) -> bool:
        if self._fd is not None:
            return bool(select.select([self._fd], [], [], 0)[0])   # readable: the process has exited
        try:
            os.kill(self.pid, 0)
        except ProcessLookupError:
            return True
        except PermissionError:
            return False
        try:     # a zombie the server has not reaped yet is dead
            return Path(f"/proc/{self.pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z"
        except (OSError, IndexError):
            return False

    def poll(self) -> int | None:
        if self.returncode is None and self._gone():
            self.returncode = -signal.SIGKILL     # the server reaps it; its status is not passed on
            self._close()
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        deadline = None if timeout is None else time.monotonic() + timeout
        while self.poll() is None:
            if deadline is not None and time.monotonic() > deadline:
                raise subprocess.TimeoutExpired(f"kernel {self.pid}", timeout or 0)
            time.sleep(0.02)
        return self.returncode  # type: ignore[return-value]

    def send_signal(self, sig: int) -> None:
        if self.poll() is not None:
            return
        if self._fd is not None and hasattr(signal, "pidfd_send_signal"):
            try:
                signal.pidfd_send_signal(self._fd, sig)
                return
            except ProcessLookupError:
                return
            except OSError:
                pass
        try:
            os.kill(self.pid, sig)
        except ProcessLookupError:
            pass

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)

    def _close(self) -> None:
        if self._fd is not None:
            try:
                os.close(self._fd)
            except OSError:
                pass
            self._fd = None


class ForkServer:
    """The build's handle on one server: :meth:`spawn` asks it for a kernel. Any trouble (it failed
    to start, died, refused, took too long) makes :meth:`spawn` return None, and the server is not
    asked again: the build then starts its kernels the usual way."""

    def __init__(self, module: str, cwd: Path, env: dict[str, str], log: Path) -> None:
        self.cwd, self.env = str(cwd), dict(env)
        self.module = module
        self.log = log
        self.proc: Any = None           # the server: a Popen, or the ForkedProcess of a daemon's session
        self.broken = False
        self._lock = threading.Lock()
        self._ready = False
        self._rf: Any = None            # its answers, and where requests go
        self._wf: Any = None
        # set once the first kernel has been asked for (or the server is still importing, or failed): from
        # then on the build's own imports (papermill, nbconvert) overlap that kernel's start-up (pool.KernelPool)
        self.asked = threading.Event()

    def start(self) -> subprocess.Popen | None:
        """Start the server (it imports in the background; the first :meth:`spawn` waits for it)."""
        try:
            self.log.parent.mkdir(parents=True, exist_ok=True)
            with open(self.log, "ab") as err:
                # the directory of its kernels' connection files (jupyter_client's, the temporary directory)
                cmd = [sys.executable, "-m", self.module, "--fork-server", "--runtime", tempfile.gettempdir()]
                self.proc = subprocess.Popen(cmd,
                                             stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=err,
                                             cwd=self.cwd, env=self.env, start_new_session=True)
            self._rf, self._wf = self.proc.stdout, self.proc.stdin
        except OSError:
            self.broken = True
        return self.proc

    def _line(self, timeout: float) -> dict | None:
        assert self._rf is not None
        fd = self._rf.fileno()
        if not select.select([fd], [], [], timeout)[0]:
            return None
        raw = self._rf.readline()
        try:
            return json.loads(raw) if raw else None
        except ValueError:
            return None

    def spawn(self, argv: list[str], env: dict[str, str], cwd: str | None, log: str) -> ForkedProcess | None:
        """A kernel forked for ``argv`` (the kernel's arguments after ``-m MODULE``), or None."""
        with self._lock:
            if self.broken or self.proc is None:
                return None
            try:
                if not self._ready:
                    if not select.select([self._rf.fileno()], [], [], 0)[0]:
                        self.asked.set()      # still importing (no warm daemon): nothing to wait for
                    hello = self._line(READY_TIMEOUT_S)
                    if not hello or not hello.get("ready"):
                        raise OSError("the kernel server did not start")
                    self._ready = True
                req = {"argv": argv, "env": env, "cwd": str(cwd or self.cwd), "log": log}
                assert self._wf is not None
                self._wf.write((json.dumps(req) + "\n").encode("utf-8"))
                self._wf.flush()
                self.asked.set()
                reply = self._line(SPAWN_TIMEOUT_S)
                if not reply or "pid" not in reply:
                    raise OSError((reply or {}).get("error", "the kernel server did not answer"))
                return ForkedProcess(int(reply["pid"]))
            except (OSError, ValueError) as exc:
                self.broken = True
                _note(self.log, f"not forking any more: {exc}")
                self.close()
                return None
            finally:
                self.asked.set()

    def close(self) -> None:
        """End the server at once, and with it every kernel it forked (they die with it, see
        :func:`_die_with_server`): killed, not asked, since a Python process that imported pandas,
        matplotlib and scipy takes most of a second to finalise them on a clean exit."""
        proc, self.proc = self.proc, None
        if proc is None:
            return
        try:
            proc.kill()
            proc.wait(timeout=5)
        except (OSError, subprocess.TimeoutExpired):
            pass
        for fh in (self._wf, self._rf, getattr(self, "_sock", None)):
            try:
                if fh:
                    fh.close()
            except OSError:
                pass


class SessionServer(ForkServer):
    """A build's kernel server that is a session forked by the warm daemon (:mod:`evidence.report.daemon`)
    instead of a process of its own that imports everything again: the same protocol over the daemon's
    socket. :meth:`start` returns None when there is no daemon to be had (the build then starts a
    server of its own, silently)."""

    def __init__(self, module: str, cwd: Path, env: dict[str, str], log: Path, cache_root: Path) -> None:
        super().__init__(module, cwd, env, log)
        self.cache_root = cache_root
        self._sock: Any = None

    def start(self) -> ForkedProcess | None:  # type: ignore[override]
        from evidence.report import daemon
        from evidence.report.execute import _trace

        try:
            self.log.parent.mkdir(parents=True, exist_ok=True)
            sock = daemon.connect(self.cache_root, self.env, Path(self.cwd), self.module, _trace)
            if sock is None:
                return None
            pid = daemon.request(sock, self.env, Path(self.cwd), tempfile.gettempdir(), self.log)
            if pid is None:
                sock.close()
                return None
        except OSError:
            return None
        self._sock = sock
        self._rf, self._wf = sock.makefile("rb"), sock.makefile("wb")
        self.proc = ForkedProcess(pid)
        return self.proc


def _note(log: Path, text: str) -> None:
    try:
        with open(log, "a", encoding="utf-8") as fh:
            fh.write(f"[fork server] {text}\n")
    except OSError:
        pass


# --------------------------------------------------------------------------- the server's side

def _mismatch(req: dict, env0: dict[str, str], cwd0: str, runtime: str = "") -> str:
    """Why this request cannot be a fork of this server ('' when it can): a kernel of another
    environment or directory, or whose connection file is not in the server's ``runtime`` directory."""
    env = {k: v for k, v in req.get("env", {}).items() if k not in PER_PAGE_ENV}
    mine = {k: v for k, v in env0.items() if k not in PER_PAGE_ENV}
    if env != mine:
        keys = sorted(k for k in set(env) | set(mine) if env.get(k) != mine.get(k))
        return "environment differs: " + ", ".join(keys[:5])
    if os.path.realpath(req.get("cwd", "")) != os.path.realpath(cwd0):
        return "working directory differs"
    argv = req.get("argv")
    if not (isinstance(argv, list) and all(isinstance(a, str) for a in argv)):
        return "no kernel arguments"
    conn = argv[argv.index("-f") + 1] if "-f" in argv[:-1] else ""
    if runtime and os.path.dirname(os.path.realpath(conn)) != os.path.realpath(runtime):
        return "connection file not in the kernels' runtime directory"
    return ""


def _die_with_server(server: int) -> None:
    """In a child: be killed the moment the server ends (Linux's parent-death signal), so that a server
    the build kills (or that sees the build gone) leaves no kernel behind, registered or not."""
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL, 0, 0, 0)     # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass
    if os.getppid() != server:                        # the server ended before the signal was set
        os._exit(1)


def _child(req: dict, ready_fd: int, argv0: str, reads_log: dict[str, str]) -> None:
    """In the forked child: become the page's kernel (never returns)."""
    code = 1
    try:
        # what the server imported and loaded is never garbage: kept out of the collector, so that a
        # full collection in the page (matplotlib's charts set one off) scans only what the page made
        # (0.2-0.6 s less of article 000's cells under load); nothing the page computes depends on it
        gc.freeze()
        _die_with_server(req["server"])
        os.setsid()                                   # its own session, as jupyter_client starts kernels
        for sig in (signal.SIGCHLD, signal.SIGTERM, signal.SIGPIPE):
            signal.signal(sig, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.default_int_handler)
        null = os.open(os.devnull, os.O_RDONLY)
        out = os.open(req["log"] or os.devnull, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        for fd, to in ((null, 0), (out, 1), (out, 2)):
            os.dup2(fd, to)
        os.close(null)
        os.close(out)
        os.chdir(req["cwd"])
        env = dict(req["env"])
        from evidence.report import chartmemo

        reads_log["path"] = env.pop("EVIDENCE_READS", "")
        chartmemo.USED_LOG["path"] = env.pop(chartmemo.ENV_USED, "") or None
        for k in ("EVIDENCE_PREIMPORT", "EVIDENCE_PRELOAD", "EVIDENCE_CHARTS", chartmemo.ENV_SALT):
            env.pop(k, None)                          # as kernel.prepare leaves the environment
        os.environ.clear()
        os.environ.update(env)
        sys.argv = [argv0, *req["argv"]]
        os.write(ready_fd, b"1")
        os.close(ready_fd)
        from ipykernel import kernelapp

        kernelapp.launch_new_instance()
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 0
    except BaseException:  # noqa: BLE001 - said in the page's kernel log
        import traceback

        traceback.print_exc()
    finally:
        try:
            import atexit

            atexit._run_exitfuncs()
            sys.stdout.flush()
            sys.stderr.flush()
        finally:
            os._exit(code)


def _fork(req: dict, argv0: str, children: set[int], reads_log: dict[str, str]) -> dict:
    r, w = os.pipe()
    req = dict(req, server=os.getpid())
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGCHLD})    # not reaped before it is listed
    try:
        pid = os.fork()
        if pid == 0:
            os.close(r)
            signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGCHLD})
            _child(req, w, argv0, reads_log)
        children.add(pid)
    finally:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGCHLD})
    os.close(w)
    with os.fdopen(r, "rb") as fh:
        ok = fh.read(1)
    if not ok:
        return {"error": "the forked kernel died before it started"}
    return {"pid": pid}


def serve(env0: dict[str, str], reads_log: dict[str, str], argv: list[str] | None = None) -> NoReturn:
    """The server's loop: one JSON request per line on stdin, one JSON answer per line on stdout.
    ``env0``: the environment the server started with (a kernel it forks must ask for that one);
    ``reads_log``: where the recorder of :mod:`evidence.report.kernel` writes (set in each child);
    ``argv``: ``--runtime DIR``, the directory of the kernels' connection files (it also names the
    server and its kernels, which share its command line, as the build's)."""
    from ipykernel import kernelapp  # noqa: F401 - imported once, for every kernel

    cwd0, argv0 = os.getcwd(), sys.argv[0]
    argv = list(argv or [])
    runtime = argv[argv.index("--runtime") + 1] if "--runtime" in argv[:-1] else ""
    children: set[int] = set()

    def reap(*_: Any) -> None:
        while True:
            try:
                pid, _status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                return
            if pid == 0:
                return
            children.discard(pid)

    signal.signal(signal.SIGCHLD, reap)
    signal.signal(signal.SIGINT, signal.SIG_IGN)      # the build ends the server (and its kernels)
    inp, out = sys.stdin.buffer, sys.stdout.buffer

    def answer(obj: dict) -> None:
        out.write((json.dumps(obj) + "\n").encode("utf-8"))
        out.flush()

    answer({"ready": True, "pid": os.getpid()})
    while True:
        raw = inp.readline()
        if not raw:
            break
        try:
            req = json.loads(raw)
            why = _mismatch(req, env0, cwd0, runtime) if isinstance(req, dict) else "not a request"
            if why:
                print(f"[fork server] refused: {why}", file=sys.stderr, flush=True)
            answer({"error": why} if why else _fork(req, argv0, children, reads_log))
        except (ValueError, OSError) as exc:
            answer({"error": f"{type(exc).__name__}: {exc}"})
    for pid in list(children):           # the build is gone: so are its kernels
        try:
            os.killpg(pid, signal.SIGKILL)
        except OSError:
            pass
    os._exit(0)                          # without finalising what it imported (most of a second)
