"""The warm report daemon (evidence.report.daemon, issue 13 item 4): a kernel server kept between builds.

Its builds' pages are byte for byte those of a build without it, and so are the keys of what each page
read; a second build finds it warm; a dead daemon's socket is replaced without a word; --no-daemon
and EVIDENCE_REPORT_DAEMON=0 leave none behind; the socket's directory is 0700 and both ends check
the other's uid. The rest of the suite runs with the daemon off (tests/conftest.py); these tests turn
it on for their own builds and end every daemon they start.
"""
from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent / "fixtures" / "reliability"))

from builders import snapshot  # noqa: E402
from synthetic import make_data  # noqa: E402

from evidence.report import daemon, forkserver  # noqa: E402

FIXTURES = Path(__file__).parent / "fixtures" / "notebooks"
needs_fork = pytest.mark.skipif(not forkserver.available(), reason="the daemon's sessions fork (Linux only)")


def _project(root: Path) -> Path:
    (root / "notebooks").mkdir(parents=True)
    for f in FIXTURES.iterdir():
        if f.is_file():
            shutil.copyfile(f, root / "notebooks" / f.name)
    make_data(root)                         # a valid evidence base: keys are made of what each page read
    return root


def _report(root: Path, out: str, *args: str, **env: str) -> subprocess.CompletedProcess:
    cmd = [sys.executable, "-m", "evidence", "report", "--force", "--jobs", "2", "--out", out, *args]
    return subprocess.run(cmd, cwd=root, capture_output=True, text=True, timeout=300,
                          env={**os.environ, "SOURCE_DATE_EPOCH": "1700000000", "EVIDENCE_REPORT_TRACE": "1",
                               "EVIDENCE_REPORT_DAEMON": "1", **env})


def _daemons(cache: Path) -> dict[Path, int]:
    """The live daemons of a cache: socket -> pid (the pid its socket's peer credentials give)."""
    out = {}
    for sock in sorted((cache / "daemon").glob("*.sock")) if (cache / "daemon").is_dir() else []:
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            with daemon._Addr(sock) as addr:           # a deep temporary path is over sun_path's 108 bytes
                s.connect(addr)
            pid, _uid, _gid = daemon._UCRED.unpack(s.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, daemon._UCRED.size))
            out[sock] = pid
        except OSError:
            pass
        finally:
            s.close()
    return out


def _end(cache: Path) -> None:
    for pid in _daemons(cache).values():
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


def _last(cache: Path) -> dict[str, tuple]:
    """Each page's key and what its kernel recorded that it read (tables, files of data/), as the cache
    remembers them (validated data: keys are made of what each page read)."""
    out = {}
    for p in sorted((cache / "last").glob("*.json")):
        last = json.loads(p.read_text(encoding="utf-8"))
        meta = json.loads((cache / last["key"] / "meta.json").read_text(encoding="utf-8"))
        out[p.stem] = (last["key"], last["parts"].get("data"), sorted(meta["reads"]))
    return out


@pytest.mark.slow
@needs_fork
def test_pages_and_keys_are_byte_identical_with_and_without_the_daemon(tmp_path):
    root = _project(tmp_path / "p")
    cache = root / ".cache" / "report"
    try:
        cold = _report(root, "report-cold")                    # starts the daemon (and is served by it)
        assert cold.returncode == 0, cold.stderr
        assert "daemon: starting" in cold.stderr and "pool: daemon session" in cold.stderr, cold.stderr
        keys_cold = _last(cache)
        warm = _report(root, "report-warm")                    # finds it warm
        assert warm.returncode == 0, warm.stderr
        assert "daemon: warm" in warm.stderr and "pool: daemon session" in warm.stderr, warm.stderr
        keys_warm = _last(cache)
        assert len(_daemons(cache)) == 1                       # one daemon for one code and environment
        none = _report(root, "report-none", EVIDENCE_REPORT_DAEMON="0")
        assert none.returncode == 0, none.stderr
        assert "daemon" not in none.stderr, none.stderr
        keys_none = _last(cache)
    finally:
        _end(cache)
    a, b, c = (snapshot(root / d) for d in ("report-cold", "report-warm", "report-none"))
    assert sorted(a) == sorted(b) == sorted(c)
    differ = [k for k in a if not (a[k] == b[k] == c[k])]
    assert not differ, f"files differ with and without the daemon: {differ}"
    # what each page read (the recorder in the daemon's sessions) keys the cache the same way
    assert keys_cold == keys_warm == keys_none and len(keys_none) >= 3, (keys_cold, keys_none)
    # the article pages open articles.csv themselves: a file read the recorder must see in a session too
    reads = [r for k, (_key, how, r) in keys_none.items() if k.startswith("article-")]
    assert reads and all(any("articles.csv" in x for x in r) for r in reads), keys_none
    assert {how for _k, how, _r in keys_none.values()} == {"recorded"}, keys_none


def _build_then_kill_daemon(root, cache):
    """A build that leaves its warm daemon, then that daemon killed: its socket file stays behind, stale."""
    first = _report(root, "report")
    assert first.returncode == 0, first.stderr
    [(sock, pid)] = _daemons(cache).items()
    os.kill(pid, signal.SIGKILL)
    deadline = time.monotonic() + 5
    while _daemons(cache) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert sock.exists() and not _daemons(cache)
    return sock


@pytest.mark.slow
@needs_fork
def test_a_dead_daemons_socket_is_replaced_silently(tmp_path):
    root = _project(tmp_path / "p")
    cache = root / ".cache" / "report"
    try:
        sock = _build_then_kill_daemon(root, cache)
        again = _report(root, "report")
        assert again.returncode == 0, again.stderr
        assert "Traceback" not in again.stderr and "daemon: starting" in again.stderr, again.stderr
        assert list(_daemons(cache)) == [sock]                 # a new daemon behind the same socket
    finally:
        _end(cache)


@pytest.mark.slow
@needs_fork
def test_a_daemon_that_cannot_start_behind_a_stale_socket_is_not_waited_for(tmp_path):
    root = _project(tmp_path / "p")
    cache = root / ".cache" / "report"
    try:
        sock = _build_then_kill_daemon(root, cache)
        lock = sock.with_suffix(".lock")
        lock.unlink()
        lock.mkdir()                          # the next daemon cannot open its lock: it fails at once
        t0 = time.monotonic()
        again = _report(root, "report")
        took = time.monotonic() - t0
        assert again.returncode == 0, again.stderr
        assert "daemon: starting" in again.stderr and "pool: daemon session" not in again.stderr, again.stderr
        assert "Traceback" not in again.stderr
        assert took < daemon.CONNECT_TIMEOUT_S / 2, took       # it fell back to a server of its own
        assert not _daemons(cache)
    finally:
        _end(cache)


@pytest.mark.slow
@needs_fork
@pytest.mark.parametrize("how", ["--no-daemon", "EVIDENCE_REPORT_DAEMON=0"])
def test_turned_off_no_daemon_is_started(tmp_path, how):
    root = _project(tmp_path / "p")
    cache = root / ".cache" / "report"
    args, env = (["--no-daemon"], {}) if how == "--no-daemon" else ([], {"EVIDENCE_REPORT_DAEMON": "0"})
    proc = _report(root, "report", *args, **env)
    try:
        assert proc.returncode == 0, proc.stderr
        assert "daemon" not in proc.stderr and not (cache / "daemon").exists(), proc.stderr
    finally:
        _end(cache)


@needs_fork
def test_an_idle_daemon_ends_and_so_does_one_whose_socket_is_removed(tmp_path):
    d = daemon.socket_dir(tmp_path / "cache")
    env = {k: v for k, v in os.environ.items() if k != "EVIDENCE_PREIMPORT"}
    procs = []
    for name, idle in (("idle", "1"), ("removed", "600")):
        procs.append(subprocess.Popen([sys.executable, "-m", "evidence.report.kernel", "--daemon", str(d / f"{name}.sock"),
                                       "--idle", idle], env=env, stdin=subprocess.DEVNULL, stderr=subprocess.PIPE))
    try:
        deadline = time.monotonic() + 60
        while not (d / "removed.sock").exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        (d / "removed.sock").unlink()
        for p in procs:
            assert p.wait(timeout=30) == 0, p.stderr.read()
        assert not (d / "idle.sock").exists()                  # it removes its socket when it ends
    finally:
        for p in procs:
            if p.poll() is None:
                p.kill()


def test_the_socket_directory_is_private_and_ours(tmp_path):
    d = daemon.socket_dir(tmp_path / "cache")
    assert d is not None and (d.stat().st_mode & 0o777) == 0o700
    os.chmod(d, 0o755)
    assert daemon.socket_dir(tmp_path / "cache") == d and (d.stat().st_mode & 0o777) == 0o700
    if os.getuid() == 0:                                       # root can hand it to someone else
        os.chown(d, 65534, 65534)
        assert daemon.socket_dir(tmp_path / "cache") is None


def test_both_ends_check_the_peers_uid_and_the_environment():
    a, b = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        assert daemon.peer_uid(a) == os.getuid() == daemon.peer_uid(b)
    finally:
        a.close()
        b.close()
    env0 = {"PATH": "/bin", "PYTHONHASHSEED": "0"}
    ok = {"env": dict(env0, EVIDENCE_DATA="/x", JPY_PARENT_PID="1"), "cwd": os.getcwd()}
    assert daemon._refuse(ok, env0, os.getcwd()) == ""                       # per-build values may differ
    assert daemon._refuse({**ok, "env": dict(env0, PYTHONHASHSEED="1")}, env0, os.getcwd()).startswith(
        "environment differs: PYTHONHASHSEED")
    assert daemon._refuse({**ok, "cwd": "/"}, env0, os.getcwd()) == "working directory differs"
    assert daemon._refuse("nonsense", env0, os.getcwd()) == "not a request"


def test_the_key_follows_the_code_and_environment_not_the_data(tmp_path):
    env = {"PATH": "/bin", "PYTHONHASHSEED": "0"}
    k = daemon.key(env, tmp_path)
    assert daemon.key(dict(env, EVIDENCE_DATA="/elsewhere", EVIDENCE_PRELOAD="../data"), tmp_path) == k
    assert daemon.key(dict(env, OLDPWD="/somewhere", PWD="/here", SHLVL="3"), tmp_path) == k    # a `cd` between builds
    assert daemon.key(dict(env, PYTHONHASHSEED="1"), tmp_path) != k
    assert daemon.key(env, tmp_path / "other") != k


def test_off_switches():
    assert daemon.enabled(False) is False
    assert os.environ["EVIDENCE_REPORT_DAEMON"] == "0" and daemon.enabled(True) is False   # tests/conftest.py
