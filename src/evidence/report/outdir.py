"""The report's output directory: checked writable before the work, assembled next to the old one,
swapped in atomically, and never a ``<out>.tmp-*`` left behind (issue 13)."""
from __future__ import annotations

import os
import secrets
import shutil
import sys
from pathlib import Path

MARKER = ".evidence-report"          # present in every report directory this module writes
PID_FILE = ".build-pid"              # present in a temporary build directory while it is being written

#: exit status when an output, the cache or a temporary directory cannot be written
EXIT_UNWRITABLE = 3


class BuildError(Exception):
    """A problem that stops the build before the report is touched (message for the user)."""

    def __init__(self, message: str, code: int = 1):
        super().__init__(message)
        self.code = code


def _is_report_dir(d: Path) -> bool:
    return (d / MARKER).is_file() or (d.is_dir() and not any(d.iterdir()))


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _clean_stale(out: Path) -> None:
    """Remove temporary build directories left by builds that died (kill -9, power loss)."""
    if not out.parent.is_dir():
        return
    for d in out.parent.glob(out.name + ".tmp-*"):
        if not d.is_dir() or not (d / MARKER).is_file():
            continue
        try:
            pid = int((d / PID_FILE).read_text().strip())
        except (OSError, ValueError):
            pid = None
        if pid is not None and pid != os.getpid() and _pid_alive(pid):
            continue
        shutil.rmtree(d, ignore_errors=True)


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two directories (Linux renameat2 RENAME_EXCHANGE); False when unsupported."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        fn = libc.renameat2
    except (OSError, AttributeError):
        return False
    fn.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    fn.restype = ctypes.c_int
    AT_FDCWD, RENAME_EXCHANGE = -100, 2
    return fn(AT_FDCWD, os.fsencode(a), AT_FDCWD, os.fsencode(b), RENAME_EXCHANGE) == 0


def _remove(p: Path) -> bool:
    """Remove a file, link or directory tree; True when nothing is left."""
    if p.is_symlink() or p.is_file():
        p.unlink(missing_ok=True)
    else:
        shutil.rmtree(p, ignore_errors=True)
    return not (p.exists() or p.is_symlink())


def swap_into_place(tmp: Path, out: Path) -> None:
    """Put the new report ``tmp`` in place of ``out`` and remove the old one. When the old report
    cannot be removed the swap is undone, the new report removed, and :class:`BuildError` raised:
    no ``<out>.tmp-*`` is left behind either way."""
    (tmp / PID_FILE).unlink(missing_ok=True)
    try:
        if not out.exists() and not out.is_symlink():
            os.rename(tmp, out)
            return
        _replaceable(out, "the previous report is unchanged")   # checked before the work; again now
        if out.is_dir() and not out.is_symlink() and _exchange(tmp, out):
            if _remove(tmp):       # tmp now holds the old report
                return
            raise BuildError(f"the new report is in {_shown(out)}, but what is left of the previous one could "
                             f"not be removed from {_shown(tmp)}", EXIT_UNWRITABLE)
        trash = out.with_name(f"{out.name}.tmp-old-{secrets.token_hex(4)}")
        os.rename(out, trash)
        try:
            os.rename(tmp, out)
        except OSError:
            os.rename(trash, out)
            raise
        if not _remove(trash):
            raise BuildError(f"the new report is in {_shown(out)}, but the previous one could not be removed "
                             f"and is left at {_shown(trash)}", EXIT_UNWRITABLE)
    except BuildError:
        if tmp.exists():
            _remove(tmp)
        raise
    except OSError as exc:
        if tmp.exists() and (tmp / MARKER).is_file():
            _remove(tmp)
        raise BuildError(f"could not put the new report in place at {_shown(out)}: {exc.strerror or exc}; "
                         "the previous report is unchanged", EXIT_UNWRITABLE) from None


def _unwritable(d: Path, what: str) -> BuildError:
    return BuildError(f"{_shown(d)}/: cannot write {what} there: permission denied; nothing was executed",
                      EXIT_UNWRITABLE)


def _shown(p: Path) -> str:
    try:
        rel = os.path.relpath(p)
    except ValueError:
        return str(p)
    return rel if not rel.startswith("../..") else str(p)


def _writable_dir(d: Path, what: str) -> None:
    """Can files be created in ``d`` (or, when it does not exist yet, can it be created)?
    Probed with a temporary file that is removed at once: the check itself leaves nothing behind."""
    import tempfile

    probe = d
    while not probe.exists() and not probe.is_symlink() and probe.parent != probe:
        probe = probe.parent
    if not probe.is_dir():
        raise BuildError(f"{_shown(probe)}: cannot write {what} there: it is a file, not a directory",
                         EXIT_UNWRITABLE)
    try:
        with tempfile.TemporaryFile(dir=probe, prefix=".evidence-probe-"):
            pass
    except PermissionError:
        raise _unwritable(probe, what) from None
    except OSError as exc:
        raise BuildError(f"{_shown(probe)}/: cannot write {what} there: {exc.strerror or exc}",
                         EXIT_UNWRITABLE) from None


def _immutable(p: Path) -> bool:
    """A file even its owner (or root) cannot write or delete: the immutable or append-only attribute."""
    try:
        st = p.lstat()
    except OSError:
        return False
    if p.is_symlink() or os.access(p, os.W_OK):
        return False
    # root may write anything that is not immutable; an owner may write a file with its own w bit
    return os.geteuid() == 0 or (st.st_uid == os.geteuid() and bool(st.st_mode & 0o200))


def _replaceable(out: Path, after: str = "nothing was executed") -> None:
    """The previous report must be removable once the new one is in place: every directory in it
    writable and no file in it immutable (else removing it would stop halfway)."""
    if not out.is_dir() or out.is_symlink():
        return
    for dirpath, dirnames, filenames in os.walk(out):
        d = Path(dirpath)
        bad = d if not os.access(d, os.W_OK | os.X_OK) else next(
            (d / f for f in [*filenames, *dirnames] if _immutable(d / f)), None)
        if bad is not None:
            raise BuildError(f"cannot replace {_shown(out)}: {_shown(bad)} cannot be removed (permission denied), "
                             f"so neither can the previous report; fix its permissions or choose another "
                             f"--out; {after}", EXIT_UNWRITABLE)


def check_targets(out: Path, cache_root: Path) -> None:  # noqa: D401
    """Before any work: the cache, the directory the report is assembled in (next to ``out``),
    the previous report and the kernels' runtime directory can all be written."""
    _writable_dir(cache_root, "the cache")
    _writable_dir(out.parent, f"the report (--out {_shown(out)})")
    _replaceable(out)
    try:
        from jupyter_core.paths import jupyter_runtime_dir
    except ImportError:  # pragma: no cover - jupyter_core comes with papermill
        return
    _writable_dir(Path(jupyter_runtime_dir()), "the kernels' runtime directory")


def _mkdtemp(out: Path) -> str:
    import tempfile

    d = tempfile.mkdtemp(prefix=out.name + ".tmp-", dir=out.parent)
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(d, 0o777 & ~umask)        # mkdtemp makes it private; a report is for reading
    return d
