"""A warm kernel server kept between builds: what an edit rebuild waits for is gone (issue 13 item 4).

A build's kernel server (:mod:`evidence.report.forkserver`) spends about 1.6 s importing what the
notebooks import (IPython, pandas, matplotlib, scipy, statsmodels, the package) before its first
kernel answers. A cold build pays that once for 13 pages; a one-claim edit, which runs 2 pages, pays
it in full, and it is most of the edit. So the first build starts, besides its work, a daemon,
``python -m evidence.report.kernel --daemon SOCKET``, that does only those imports and then waits on a
Unix socket; the next builds (an edit a minute later) find it warm.

What the daemon holds is code only: it imports modules and never reads the data (no evidence base is
preloaded, the reads recorder points nowhere), so an edit of ``data/`` needs no invalidation. It is
found by a key, a hash of everything its imports depend on: the interpreter, the ``evidence``
package's files, the versions of the libraries (the mtimes of the ``site-packages`` directories on
``sys.path``, which ``pip`` changes), the matplotlib rc file's bytes, the working directory and the whole environment
but for what differs from build to build (the data directory, the kept charts, the per-page logs).
A code change gives another key, so another daemon; the old one ends after its idle time.

* Socket: ``<cache>/daemon/<key>.sock``; the directory is made 0700 and must be owned by this user,
  else no daemon is used. Both ends check the other's uid (``SO_PEERCRED``).
* Each build gets a session of its own: the daemon forks, and the child (in its own session) is
  that build's kernel server, exactly as :func:`evidence.report.forkserver.serve` is for a build that
  started one: it points the recorder at the build's data, installs the kept charts, preloads the
  evidence base and forks a kernel per page. The daemon itself never runs a page, so builds cannot
  see each other's state; pages are byte-identical with or without it (tests/test_report_daemon.py).
* A daemon ends after ``IDLE_S`` (10 minutes) without a build, when its socket is removed (its
  cache was deleted) or replaced, and when it is killed; a stale socket (no daemon behind it, or one
  that does not answer in time) is replaced, and the build falls back to a server of its own,
  silently.
* ``evidence report --no-daemon`` or ``EVIDENCE_REPORT_DAEMON=0`` turns it off (the test suite does,
  but for the daemon's own tests); it needs the fork server (Linux, ``EVIDENCE_REPORT_FORK`` not 0).
"""
from __future__ import annotations

import errno
import fcntl
import hashlib
import json
import os
import select
import signal
import socket
import struct
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, Callable, NoReturn

#: how long a daemon waits for a build before it ends
IDLE_S = 600.0
#: what differs from build to build: not part of the key, never in the daemon's environment (the shell's
#: own bookkeeping too: a curator who `cd`s between two builds changes OLDPWD, which no import reads; every
#: kernel still gets the build's whole environment, set in its session after the fork)
PER_BUILD_ENV = ("EVIDENCE_DATA", "EVIDENCE_PRELOAD", "EVIDENCE_CHARTS", "EVIDENCE_CHARTS_SALT",
                 "EVIDENCE_READS", "EVIDENCE_CHARTS_USED", "JPY_PARENT_PID", "EVIDENCE_REPORT_TRACE",
                 "EVIDENCE_REPORT_DAEMON", "OLDPWD", "PWD", "_", "SHLVL", "COLUMNS", "LINES")
#: how long a build waits to connect to a daemon that is starting (its imports), and for its session
#: (a daemon listens only once it has imported, so its answer is a fork away)
CONNECT_TIMEOUT_S = 120.0
SESSION_TIMEOUT_S = 20.0
_UCRED = struct.Struct("3i")


def enabled(flag: bool | None = None) -> bool:
    """The daemon is used unless ``--no-daemon`` (``flag`` False) or ``EVIDENCE_REPORT_DAEMON=0``."""
    if flag is False:
        return False
    return os.environ.get("EVIDENCE_REPORT_DAEMON", "1") != "0"


def daemon_env(env: dict[str, str]) -> dict[str, str]:
    return {k: v for k, v in env.items() if k not in PER_BUILD_ENV}


def key(env: dict[str, str], cwd: Path) -> str:
    """The daemon for this code, these libraries, this environment and this working directory."""
    from evidence.report.cache import package_checksum

    paths = {}
    for p in sys.path:                         # pip adds and removes entries in these: new mtimes
        if p.rstrip(os.sep).endswith(("site-packages", "dist-packages")):
            try:
                paths[p] = os.stat(p).st_mtime_ns
            except OSError:
                paths[p] = None
    rc = env.get("MATPLOTLIBRC", "")
    try:
        rc_sum = hashlib.sha256(Path(rc).read_bytes()).hexdigest() if rc else ""
    except OSError:
        rc_sum = "unreadable"
    parts = {"python": [os.path.realpath(sys.executable), sys.version], "package": package_checksum(),
             "paths": paths, "rc": rc_sum, "cwd": os.path.realpath(cwd), "env": sorted(daemon_env(env).items()),
             "uid": os.getuid()}
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode("utf-8")).hexdigest()[:24]


def socket_dir(cache_root: Path) -> Path | None:
    """``<cache>/daemon``, 0700 and ours, or None (then no daemon is used)."""
    d = Path(cache_root) / "daemon"
    try:
        d.mkdir(mode=0o700, parents=True, exist_ok=True)
        st = d.lstat()
        if st.st_uid != os.getuid() or not os.path.isdir(d) or os.path.islink(d):
            return None
        if st.st_mode & 0o077:
            os.chmod(d, 0o700)
        return d
    except OSError:
        return None


def peer_uid(sock: socket.socket) -> int | None:
    try:
        _pid, uid, _gid = _UCRED.unpack(sock.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, _UCRED.size))
        return uid
    except (OSError, AttributeError, struct.error):
        return None


class _Addr:
    """A socket's address short enough for ``sun_path`` (108 bytes): a deep cache's path is reached
    through ``/proc/self/fd/N/`` of its directory (Linux, where the daemon runs)."""

    def __init__(self, path: Path) -> None:
        self.fd: int | None = None
        self.addr = str(path)
        if len(os.fsencode(self.addr)) > 100:
            self.fd = os.open(str(path.parent), os.O_RDONLY | os.O_DIRECTORY)
            self.addr = f"/proc/self/fd/{self.fd}/{path.name}"

    def __enter__(self) -> str:
        return self.addr

    def __exit__(self, *_: Any) -> None:
        if self.fd is not None:
            os.close(self.fd)


# --------------------------------------------------------------------------- the build's side

def _connect(path: Path) -> socket.socket | None:
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        with _Addr(path) as addr:
            s.connect(addr)
    except OSError:
        s.close()
        return None
    if peer_uid(s) != os.getuid():          # a socket someone else answers: never talk to it
        s.close()
        return None
    return s


def _start(path: Path, env: dict[str, str], cwd: Path, module: str, log: Path) -> subprocess.Popen | None:
    try:
        with open(log, "ab") as err:
            return subprocess.Popen([sys.executable, "-m", module, "--daemon", str(path), "--idle", str(IDLE_S)],
                                    stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=err,
                                    cwd=str(cwd), env=daemon_env(env), start_new_session=True)
    except OSError:
        return None


def connect(cache_root: Path, env: dict[str, str], cwd: Path, module: str, trace=lambda _e: None) -> socket.socket | None:
    """A connection to the warm daemon for ``env`` and ``cwd`` (started now if there is none), or None."""
    d = socket_dir(cache_root)
    if d is None:
        return None
    k = key(env, cwd)
    path = d / f"{k}.sock"
    s = _connect(path)
    if s is not None:
        trace("daemon: warm")
        return s
    proc = _start(path, env, cwd, module, d / f"{k}.log")
    if proc is None:
        return None
    trace("daemon: starting")
    deadline = time.monotonic() + CONNECT_TIMEOUT_S
    while time.monotonic() < deadline:
        s = _connect(path)
        if s is not None:
            return s
        if proc.poll() is not None and proc.returncode != 0:
            return None                        # it failed (its log says why): no waiting on a stale socket
        # (exit 0: another daemon holds this key's lock; it answers once it has imported)
        time.sleep(0.02)
    return None


# --------------------------------------------------------------------------- the daemon's side

def _bind(path: Path) -> tuple[socket.socket, int] | None:
    """The listening socket and the held lock, or None when another daemon has this key."""
    lock = os.open(str(path.with_suffix(".lock")), os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        os.close(lock)
        return None
    try:
        path.unlink()                          # a stale socket: nobody holds its lock
    except FileNotFoundError:
        pass
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    old = os.umask(0o177)
    try:
        with _Addr(path) as addr:
            s.bind(addr)
    finally:
        os.umask(old)
    s.listen(16)
    return s, lock


def _ours(path: Path, ino: int) -> bool:
    try:
        return path.stat().st_ino == ino
    except OSError:
        return False


def serve(argv: list[str], reads_log: dict[str, str], env0: dict[str, str],
          become_server: Callable[[dict, dict, list], NoReturn]) -> NoReturn:
    """The daemon's loop (``--daemon SOCKET [--idle SECONDS]``): accept a build, fork its session.
    ``env0``: the environment it started with (a build's must be the same but for PER_BUILD_ENV)."""
    from ipykernel import kernelapp  # noqa: F401 - imported once, for every kernel of every build

    path = Path(argv[0])
    idle = float(argv[argv.index("--idle") + 1]) if "--idle" in argv[:-1] else IDLE_S
    bound = _bind(path)
    if bound is None:
        os._exit(0)
    listener, lock = bound
    ino = path.stat().st_ino
    cwd0 = os.getcwd()
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    sessions: set[int] = set()
    last = time.monotonic()
    while True:
        ready = select.select([listener], [], [], 1.0)[0]
        _reap(sessions)
        if not _ours(path, ino) or (not sessions and time.monotonic() - last > idle):
            break
        if not ready:
            continue
        try:
            conn, _ = listener.accept()
        except OSError:
            continue
        last = time.monotonic()
        if peer_uid(conn) != os.getuid():
            conn.close()
            continue
        try:
            pid = os.fork()
        except OSError:
            conn.close()
            continue
        if pid == 0:
            listener.close()
            os.close(lock)
            _session(conn, env0, cwd0, reads_log, become_server)
        sessions.add(pid)
        conn.close()
    if _ours(path, ino):
        path.unlink(missing_ok=True)
    os._exit(0)                                # without finalising what it imported


def _reap(children: set[int]) -> None:
    for pid in list(children):
        try:
            done, _ = os.waitpid(pid, os.WNOHANG)
        except ChildProcessError:
            done = pid
        if done:
            children.discard(pid)


def _send(conn: socket.socket, obj: dict) -> None:
    conn.sendall((json.dumps(obj) + "\n").encode("utf-8"))


def _session(conn: socket.socket, env0: dict[str, str], cwd0: str, reads_log: dict[str, str],
             become_server: Callable[[dict, dict, list], NoReturn]) -> NoReturn:
    """In a forked child: become this build's kernel server (never returns). ``become_server(env, reads_log,
    argv)`` is the running kernel module's (:func:`evidence.report.kernel.become_server`: it runs as ``__main__``,
    so importing it again would give a second copy of its recorder state; and the forkserver, which imports this
    module, is not imported back)."""
    try:
        os.setsid()
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        rf = conn.makefile("rb")
        req = json.loads(rf.readline() or b"{}")
        why = _refuse(req, env0, cwd0)
        if why:
            _send(conn, {"error": why})
            os._exit(1)
        _send(conn, {"session": os.getpid()})
        fd = conn.fileno()
        os.dup2(fd, 0)
        os.dup2(fd, 1)
        log = os.open(req.get("log") or os.devnull, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        os.dup2(log, 2)
        os.close(log)
        rf.close()
        conn.detach()
        os.close(fd)
        env = {k: str(v) for k, v in req["env"].items()}
        os.environ.clear()
        os.environ.update(env)
        os.chdir(req["cwd"])
        sys.argv = [sys.argv[0], "--fork-server", "--runtime", str(req.get("runtime", ""))]
        os.environ.pop("EVIDENCE_READS", None)
        os.environ.pop("EVIDENCE_PREIMPORT", None)        # imported by the daemon
        become_server(env, reads_log, sys.argv[2:])     # the recorder's data, kept charts, preloaded data
    except BaseException:  # noqa: BLE001 - said in the build's server log; the build starts its own
        import traceback

        traceback.print_exc()
    os._exit(1)


def _refuse(req: Any, env0: dict[str, str], cwd0: str) -> str:
    """Why a build's request cannot be served by this daemon ('' when it can)."""
    if not isinstance(req, dict) or not isinstance(req.get("env"), dict) or not isinstance(req.get("cwd"), str):
        return "not a request"
    if daemon_env(req["env"]) != daemon_env(env0):
        keys = sorted(k for k in set(daemon_env(req["env"])) | set(daemon_env(env0))
                      if req["env"].get(k) != env0.get(k))
        return "environment differs: " + ", ".join(keys[:5])
    if os.path.realpath(req["cwd"]) != os.path.realpath(cwd0):
        return "working directory differs"
    return ""


def request(conn: socket.socket, env: dict[str, str], cwd: Path, runtime: str, log: Path) -> int | None:
    """Ask the daemon for this build's session: its pid, or None (refused, or no answer in time)."""
    try:
        _send(conn, {"env": env, "cwd": str(cwd), "runtime": runtime, "log": str(log)})
        conn.settimeout(SESSION_TIMEOUT_S)
        line = b""
        while not line.endswith(b"\n"):
            chunk = conn.recv(1)
            if not chunk:
                return None
            line += chunk
        conn.settimeout(None)
        reply = json.loads(line)
        return int(reply["session"]) if "session" in reply else None
    except (OSError, ValueError, KeyError, TypeError):
        return None


__all__ = ["IDLE_S", "connect", "enabled", "key", "request", "serve", "socket_dir", "errno"]
