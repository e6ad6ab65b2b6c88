"""Build the offline HTML report: manifest -> pages (cached or executed) -> report/.

The build never leaves a half-written report: pages are executed into the
cache, the report is assembled in ``<out>.tmp-XXXX`` next to the output, checked
(no page may load anything from the network), and only then swapped into place.
A failing notebook, a data validation error or an interruption leaves the
previous report exactly as it was.
"""
from __future__ import annotations

import hashlib
import json
import logging
import os
import queue
import secrets
import shutil
import signal
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from evidence.report import cache as cachemod
from evidence.report import provenance, render
from evidence.report.manifest import (Manifest, ManifestError, apply_overrides,
                                      load_manifest, parse_overrides, select)

MARKER = ".evidence-report"          # present in every report directory this module writes
PID_FILE = ".build-pid"              # present in a temporary build directory while it is being written
DATA_FILES_EXTRA = ("datapackage.json", "README.md")
MAX_ISSUES_SHOWN = 50


#: exit status when an output, the cache or a temporary directory cannot be written
EXIT_UNWRITABLE = 3


@dataclass
class Options:
    manifest: Path | None = None    # None: notebooks/manifest.toml next to the data directory, else ./notebooks/
    out: Path = Path("report")
    data: Path | None = None        # None: found as `evidence validate` finds it ($EVIDENCE_DATA, the repository's data/)
    cache: Path = Path(".cache/report")
    jobs: int | None = None
    force: bool = False
    only: list[str] = field(default_factory=list)
    params: list[str] = field(default_factory=list)
    quiet: bool = False
    validate: bool = True
    timeout: float | None = None
    progress: bool | None = None      # None: when stderr is a terminal and not quiet
    explain: bool = False             # say why each page executes or comes from the cache
    dry_run: bool = False             # only say it (on stdout); execute and write nothing


@dataclass
class BuildResult:
    exit_code: int
    out: Path | None = None
    pages: list[str] = field(default_factory=list)
    executed: list[str] = field(default_factory=list)
    cached: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    carried: list[str] = field(default_factory=list)   # skipped pages kept from the previous report
    failures: list[Any] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return self.exit_code == 0


class BuildError(Exception):
    """A problem that stops the build before the report is touched (message for the user)."""

    def __init__(self, message: str, code: int = 1):
        super().__init__(message)
        self.code = code


class _Terminated(BaseException):
    pass


@dataclass
class _Planned:
    page: Any
    key: str | None            # None until the page has run once with this static key
    params: dict[str, Any]
    section_title: str
    notebook_rel: str
    status: str = ""           # "cached" | "execute" | "skipped"
    static: str = ""           # key of everything but what the page reads from data/
    parts: dict = field(default_factory=dict)
    reason: str = ""           # why it executes (or why it is cached), for --explain
    key_params: dict[str, Any] = field(default_factory=dict)   # the parameters as the key and rows see them
    now: dict[str, str] = field(default_factory=dict)          # digests of what it read last time, as of now
    rec_digests: dict[str, str] = field(default_factory=dict)  # ... and as they were then


def _cpu_count() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def _err(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


# --------------------------------------------------------------------------- output directory

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


def _default_data() -> Path:
    """Without --data: ``$EVIDENCE_DATA``; else ``./data`` when it is a data directory (a project
    of its own); else what `evidence validate` and `evidence claims` use (the repository's data/)."""
    from evidence import db

    if not os.environ.get("EVIDENCE_DATA") and (Path("data") / "datapackage.json").is_file():
        return Path("data")
    return Path(db.default_data_dir())


def _default_manifest(data_dir: Path) -> Path:
    """``notebooks/manifest.toml`` of the project the data directory belongs to, else of the working directory."""
    beside = data_dir.parent / "notebooks" / "manifest.toml"
    here = Path("notebooks/manifest.toml")
    if here.is_file() or not beside.is_file():
        return here
    return beside


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


# --------------------------------------------------------------------------- validation

def _validate(data_dir: Path, token: str, cache: cachemod.Cache) -> tuple[str, list[str]]:
    """('validated'|'validator unavailable', issues). Passing results are remembered per data+code."""
    if cache.validated(token):
        return "validated", []
    try:
        from evidence import validate as vmod

        fn = vmod.validate_data
    except (ImportError, AttributeError):
        return "not validated: no validator", []
    issues = list(fn(data_dir) or [])
    if issues:
        return "invalid", [str(i) for i in issues]
    cache.mark_validated(token)
    return "validated", []


# --------------------------------------------------------------------------- data downloads

def _data_files(data_dir: Path) -> list[Path]:
    files = sorted(p for p in data_dir.glob("*.csv") if p.is_file())
    files += [data_dir / n for n in DATA_FILES_EXTRA if (data_dir / n).is_file()]
    return files


def _csv_rows(p: Path) -> int | None:
    from evidence.tables import count_rows

    return count_rows(p)


def _size(n: int) -> str:
    for unit in ("B", "kB", "MB", "GB"):
        if n < 1000 or unit == "GB":
            return f"{n} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1000
    return str(n)


# --------------------------------------------------------------------------- the build

@dataclass
class _State:
    """What a build has to undo when it stops early."""
    cancel: threading.Event = field(default_factory=threading.Event)
    tmp: Path | None = None
    run_dirs: list[Path] = field(default_factory=list)
    restore_env: dict[str, str | None] = field(default_factory=dict)
    cache: cachemod.Cache | None = None
    lock: Any = None
    threads: list[threading.Thread] = field(default_factory=list)


def build(opts: Options) -> BuildResult:
    """Run a whole build; user-facing problems end up in ``exit_code`` and on stderr, not as exceptions."""
    t0 = time.monotonic()
    result = BuildResult(exit_code=0)
    st = _State()
    old_term = None
    in_main = threading.current_thread() is threading.main_thread()

    def on_term(signum, frame):
        raise _Terminated()

    if in_main:
        old_term = signal.signal(signal.SIGTERM, on_term)
    try:
        return _build(opts, result, t0, st)
    except BuildError as exc:
        _err(f"evidence report: {exc}")
        result.exit_code = exc.code
        return result
    except (KeyboardInterrupt, _Terminated) as exc:
        st.cancel.set()
        _kill_kernels()
        deadline = time.monotonic() + 3        # let the workers see their kernels die and clean up
        for th in st.threads:
            th.join(max(0.0, deadline - time.monotonic()))
        _err("evidence report: interrupted; the previous report is unchanged")
        result.exit_code = 143 if isinstance(exc, _Terminated) else 130
        return result
    finally:
        st.cancel.set()
        _kill_kernels()
        if st.tmp is not None and st.tmp.exists():
            shutil.rmtree(st.tmp, ignore_errors=True)
        for d in st.run_dirs:
            shutil.rmtree(d, ignore_errors=True)
        for k, v in st.restore_env.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
        if st.lock is not None:
            st.lock.close()                      # releases the build lock
        if in_main and old_term is not None:
            signal.signal(signal.SIGTERM, old_term)
        result.seconds = time.monotonic() - t0


def _kill_kernels() -> None:
    mod = sys.modules.get("evidence.report.execute")
    if mod is not None:
        mod.kill_kernels()


def _build(opts: Options, result: BuildResult, t0: float, st: _State) -> BuildResult:
    data_arg = Path(opts.data) if opts.data is not None else _default_data()
    data_dir = data_arg.resolve()
    shown_data = str(opts.data) if opts.data is not None else _shown(data_arg)
    if not data_dir.exists():
        raise BuildError(f"--data {shown_data}: no such directory", 2)
    if not data_dir.is_dir():
        raise BuildError(f"--data {shown_data}: not a directory", 2)
    manifest_path = Path(opts.manifest if opts.manifest is not None else _default_manifest(data_dir)).resolve()
    out = Path(opts.out).absolute()
    cache = st.cache = cachemod.Cache(Path(opts.cache).absolute())
    built = provenance.format_time(provenance.build_time())   # before kernels get their own epoch
    show_progress = (not opts.quiet and sys.stderr.isatty()) if opts.progress is None else opts.progress
    if opts.timeout is not None and not (opts.timeout > 0 and opts.timeout != float("inf")):
        raise BuildError(f"--timeout {opts.timeout:g}: must be a number of seconds above 0", 2)
    if opts.jobs is not None and opts.jobs < 1:
        raise BuildError(f"--jobs {opts.jobs}: must be at least 1", 2)

    try:
        manifest = load_manifest(manifest_path, data_dir)
        overrides = parse_overrides(opts.params)
        apply_overrides(manifest.pages, overrides)
        chosen = select(manifest.pages, opts.only)
    except ManifestError as exc:
        raise BuildError(str(exc), 2) from None
    if out.exists() and not (out.is_dir() and _is_report_dir(out)):
        raise BuildError(f"refusing to replace {opts.out}: it is not a report built by evidence "
                         f"(no {MARKER} inside); remove it or choose another --out", 2)
    # fail before the work: everything the build writes must be writable
    check_targets(out, cache.root)

    data_sum, data_sums = cachemod.data_checksum(data_dir)
    package_sum = cachemod.package_checksum()
    versions = provenance.versions()

    # validate before anything is executed or written
    if opts.validate:
        token = hashlib.sha256(f"{data_sum}:{package_sum}".encode()).hexdigest()[:32]
        validated, issues = _validate(data_dir, token, cache)
        if issues:
            for line in issues[:MAX_ISSUES_SHOWN]:
                _err(line)
            more = len(issues) - MAX_ISSUES_SHOWN
            if more > 0:
                _err(f"... and {more} more (run `evidence validate --data {_shown(data_arg)}`)")
            raise BuildError(f"{len(issues)} data error(s) in {_shown(data_arg)}; the report was not built", 1)
    else:
        validated = "not validated: --no-validate"

    if not opts.dry_run:
        st.lock = _lock(cache.root)
    root = manifest_path.parent.parent
    # a page's key covers what it read of data/ (recorded by its kernel) when the data validated;
    # otherwise what a page reads cannot be trusted to be all it depends on: the whole of data/
    recorded = validated == "validated"
    slices = cachemod.DataSlices(data_dir)
    plan: list[_Planned] = []
    for page in manifest.pages:
        nb_dir = page.notebook.parent
        params = dict(page.parameters)
        if "data_dir" in page.declared and "data_dir" not in params:
            params["data_dir"] = os.path.relpath(data_dir, nb_dir)
        try:
            nb_rel = page.notebook.relative_to(root).as_posix()
        except ValueError:
            nb_rel = page.notebook.name
        section_title = manifest.section_title(page.section)
        parts = cachemod.static_parts(
            name=page.name, title=page.title, notebook_bytes=page.notebook_bytes, notebook_rel=nb_rel,
            parameters=params, kernel=page.kernel, package_sum=package_sum,
            versions={**versions, "section": section_title, "index": manifest.title},
            data="recorded" if recorded else data_sum, rows=page.rows, columns=page.columns)
        static = cachemod.digest(parts)
        key_params = dict(params)
        if "results_path" in page.declared:
            params["results_path"] = os.path.relpath(cache.run_dir(page.name) / "results.json", nb_dir)
        if "downloads_dir" in page.declared:
            params["downloads_dir"] = os.path.relpath(cache.run_dir(page.name) / "downloads", nb_dir)
        rec = cache.read_deps(static)
        key = None
        now: dict[str, str] = {}
        if rec is not None:
            now = slices.digests(rec["digests"])
            key = cachemod.full_key(static, now)
        pl = _Planned(page, key, params, section_title, nb_rel, static=static, parts=parts, key_params=key_params,
                      now=now, rec_digests=rec["digests"] if rec is not None else {})
        hit = key is not None and cache.lookup(key) is not None
        if page.name in chosen and (opts.force or not hit):
            pl.status = "execute"
        elif hit:
            pl.status = "cached"
        else:
            pl.status = "skipped"
        pl.reason = _reason(pl, hit, opts.force, rec, now, cache.read_last(page.name), slices)
        plan.append(pl)

    if opts.explain or opts.dry_run:
        _explain(plan, to_stdout=opts.dry_run)
    if opts.dry_run:
        result.pages = [p.page.name for p in plan if p.status != "skipped"]
        result.skipped = [p.page.name for p in plan if p.status == "skipped"]
        result.cached = [p.page.name for p in plan if p.status == "cached"]
        return result

    # the directory the report is assembled in exists before anything runs (and proves it can be made)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        _clean_stale(out)
        tmp = st.tmp = Path(_mkdtemp(out))
        (tmp / PID_FILE).write_text(f"{os.getpid()}\n")
        (tmp / MARKER).write_text("This directory is written by `evidence report`; it is replaced on every build.\n")
    except OSError as exc:
        raise BuildError(f"cannot create a temporary directory next to {_shown(out)}: "
                         f"{exc.strerror or exc}; nothing was executed", EXIT_UNWRITABLE) from None

    result.pages = [p.page.name for p in plan if p.status != "skipped"]
    result.skipped = [p.page.name for p in plan if p.status == "skipped"]
    result.cached = [p.page.name for p in plan if p.status == "cached"]
    todo = [p for p in plan if p.status == "execute"]
    for p in plan:     # what a page read, as of this build: --explain then says what changed since
        if p.status == "cached" and p.now and p.now != p.rec_digests:
            cache.write_deps(p.static, p.now, slices.details(p.now))

    bar = None
    if show_progress:
        from tqdm import tqdm

        bar = tqdm(total=len(plan) - len(result.skipped), initial=len(result.cached), unit="page",
                   desc="report", file=sys.stderr, dynamic_ncols=True, leave=False)

    def say(msg: str) -> None:
        if bar is not None:
            bar.write(msg, file=sys.stderr)
        else:
            _err(msg)

    try:
        if todo:
            _execute_all(todo, opts, manifest, data_dir, cache, st, result, bar, say, slices)
    finally:
        if bar is not None:
            bar.close()

    if result.failures:
        for f in result.failures:
            _err(f"evidence report: {f}")
        n = len(result.failures)
        _err(f"evidence report: {n} page{'s' if n != 1 else ''} failed; the previous report is unchanged")
        result.exit_code = 1
        return result

    # ---- assemble the new report next to the old one, check it, swap it in
    git = provenance.git_info(manifest_path.parent)
    elapsed = time.monotonic() - t0
    previous = out if out.is_dir() and _is_report_dir(out) else None
    _assemble(tmp, cache, plan, manifest, data_dir, data_sum, data_sums, versions, str(git), validated,
              built, elapsed, result, previous)
    bad = render.offline_violations(tmp)
    if bad:
        for b in bad[:MAX_ISSUES_SHOWN]:
            _err(f"evidence report: loads from the network: {b}")
        raise BuildError(f"{len(bad)} network reference(s) in the report; the previous report is unchanged", 1)
    if st.cancel.is_set():
        raise KeyboardInterrupt
    swap_into_place(tmp, out)
    st.tmp = None
    cache.prune({p.page.name: p.key for p in plan if p.status != "skipped"})

    _log_build(cache, opts, out, data_dir, manifest_path, result, time.monotonic() - t0)
    if not opts.quiet:
        secs = time.monotonic() - t0
        ex = result.executed
        names = ", ".join(ex[:8]) + (f", ... ({len(ex) - 8} more)" if len(ex) > 8 else "")
        line = (f"evidence report: {opts.out}/ ({len(result.pages)} pages: "
                f"{len(ex)} executed{f' [{names}]' if ex else ''}, {len(result.cached)} from cache")
        if result.carried:
            line += f", {len(result.carried)} kept from the previous build (not current)"
        if len(result.skipped) > len(result.carried):
            line += f", {len(result.skipped) - len(result.carried)} not built (--only)"
        _err(line + f") in {secs:.1f} s")
    result.out = out
    return result


_PART_WORDS = {
    "notebook": "its notebook changed",
    "notebook_path": "its notebook moved",
    "parameters": "its parameters changed",
    "package": "the evidence package changed (code, templates or styles under src/evidence)",
    "versions": "a library version, its section or the report title changed",
    "title": "its title changed",
    "kernel": "its kernel changed",
    "rows": "the rows it reads (manifest 'rows') changed",
    "name": "its name changed",
    "v": "the cache format changed",
}


def _reason(pl: _Planned, hit: bool, force: bool, rec: dict | None, now: dict[str, str], last: dict | None,
            slices: cachemod.DataSlices) -> str:
    """Why a page executes, or why it does not (for --explain)."""
    label = slices.label
    if hit and not force:
        reads = ", ".join(label(d) for d in now) or "nothing from data/"
        if pl.parts.get("data") != "recorded":
            return "cached: nothing changed in data/, the notebook, its parameters or the code"
        return f"cached: nothing it read changed ({reads})"
    if force and hit:
        return "--force"
    if rec is not None:
        old = rec["digests"]
        details = rec.get("details") if isinstance(rec.get("details"), dict) else {}
        changed = [label(d) + (f" ({w})" if (w := slices.what_changed(d, details.get(d))) else "")
                   for d in old if now.get(d) != old[d]]
        if changed:
            more = f" and {len(changed) - 6} more" if len(changed) > 6 else ""
            return f"changed: {', '.join(changed[:6])}{more}"
        return "not in the cache (pruned or removed)"
    if last is not None and isinstance(last.get("parts"), dict):
        old_parts = last["parts"]
        diff = [k for k in pl.parts if k != "data" and old_parts.get(k) != pl.parts[k]]
        if old_parts.get("data") != pl.parts.get("data"):
            if pl.parts.get("data") == "recorded":
                diff.append("data-recorded")
            else:
                diff.append("data-whole")
        if diff:
            words = [_PART_WORDS.get(k, {"data-recorded": "the data validated again: keyed on what it reads",
                                          "data-whole": "data/ changed and is not validated (--no-validate): "
                                                        "keyed on all of data/"}.get(k, k)) for k in diff]
            return "; ".join(dict.fromkeys(words))
    return "not built before with this cache"


def _explain(plan: list[_Planned], to_stdout: bool) -> None:
    width = max((len(p.page.name) for p in plan), default=0)
    lines = []
    for p in plan:
        status = {"execute": "execute", "cached": "cached", "skipped": "not built"}[p.status]
        reason = p.reason if p.status != "skipped" else "not selected by --only and not current"
        if p.status == "cached" and reason.startswith("cached: "):
            reason = reason[len("cached: "):]
        lines.append(f"  {p.page.name:<{width}}  {status:<9}  {reason}")
    text = "\n".join(lines)
    if to_stdout:
        print(text, flush=True)
    else:
        _err(text)


def _log_build(cache: cachemod.Cache, opts: Options, out: Path, data_dir: Path, manifest_path: Path,
               result: BuildResult, seconds: float) -> None:
    """What the pages leave out (how long it took, where it ran) goes to <cache>/build-log.jsonl."""
    rec = {"finished": provenance.format_time(provenance.datetime.now(provenance.timezone.utc)),
           "seconds": round(seconds, 3), "out": str(out), "data": str(data_dir), "manifest": str(manifest_path),
           "executed": result.executed, "cached": result.cached, "carried": result.carried,
           "source_date_epoch": os.environ.get("SOURCE_DATE_EPOCH")}
    try:
        with open(cache.root / "build-log.jsonl", "a", encoding="utf-8") as fh:
            fh.write(json.dumps(rec) + "\n")
    except OSError:
        pass


def _lock(cache_root: Path):
    """One build at a time per cache (two would share run directories)."""
    cache_root.mkdir(parents=True, exist_ok=True)
    fh = open(cache_root / ".lock", "a+")
    try:
        import fcntl
    except ImportError:          # not POSIX: no lock
        return fh
    try:
        fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        fh.close()
        raise BuildError(f"another `evidence report` is running with the cache {cache_root}; "
                         "wait for it to finish", 2) from None
    return fh


def _mkdtemp(out: Path) -> str:
    import tempfile

    d = tempfile.mkdtemp(prefix=out.name + ".tmp-", dir=out.parent)
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(d, 0o777 & ~umask)        # mkdtemp makes it private; a report is for reading
    return d


def _write_meta_key(run_dir: Path, key: str, deps: list[str]) -> None:
    meta_path = run_dir / "meta.json"
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        meta = {}
    meta.update(key=key, reads=deps)
    meta_path.write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")


def _execute_all(todo: list[_Planned], opts: Options, manifest: Manifest, data_dir: Path,
                 cache: cachemod.Cache, st: _State, result: BuildResult, bar, say,
                 slices: cachemod.DataSlices) -> None:
    cancel = st.cancel
    planned = {p.page.name: p for p in todo}
    from evidence.report import execute as ex

    ex.import_heavy()     # once, in the main thread
    ex.reset()

    # failures are reported once, by the build, as a block per page: papermill and nbclient stay quiet
    for name in ("papermill", "traitlets", "nbclient", "asyncio"):
        logging.getLogger(name).setLevel(logging.CRITICAL + 1)
    env = ex.kernel_env(data_dir, render.STATIC_DIR / "matplotlibrc")
    for k, v in env.items():
        st.restore_env.setdefault(k, os.environ.get(k))
        os.environ[k] = v
    ex.warm_matplotlib(env)

    css = render.css()
    tasks = []
    for pl in todo:
        page = pl.page
        header_reader, header_code = render.page_headers(page.name, page.title, pl.section_title, manifest.title)
        try:
            src = json.loads(page.notebook_bytes)
        except ValueError:
            src = {}
        cells = src.get("cells", [])
        source_ids = {c.get("id") for c in cells if c.get("id")}
        injected_index = None
        if pl.params:
            pidx = next((i for i, c in enumerate(cells)
                         if "parameters" in c.get("metadata", {}).get("tags", [])), None)
            injected_index = 0 if pidx is None else pidx + 1
        run_dir = cache.run_dir(page.name)
        st.run_dirs.append(run_dir)
        tasks.append(ex.Task(name=page.name, title=page.title, key=pl.key or pl.static, notebook=page.notebook,
                             notebook_rel=pl.notebook_rel, cwd=page.notebook.parent, parameters=pl.params,
                             kernel=page.kernel, run_dir=run_dir, failed_path=cache.failed_path(page.name),
                             header_reader=header_reader, header_code=header_code, css=css,
                             source_ids=source_ids, injected_index=injected_index, timeout=opts.timeout,
                             expect_results=page.results and "results_path" in pl.params))

    work: queue.Queue = queue.Queue()
    for t in tasks:
        work.put(t)
    done: queue.Queue = queue.Queue()

    # Kernels run `jobs` at a time; a finished notebook goes to one export thread (nbconvert runs
    # one page at a time anyway) so that its worker starts the next page's kernel at once instead
    # of waiting for the export.
    exports: queue.Queue = queue.Queue()

    def failed(t, exc) -> Any:
        return ex.Outcome(t.name, t.key, False, 0.0,
                          ex.Failure(t.name, t.notebook_rel, ename=type(exc).__name__, evalue=str(exc)))

    def worker() -> None:
        while not cancel.is_set():
            try:
                t = work.get_nowait()
            except queue.Empty:
                return
            try:
                ran = ex.run(t, cancel)
            except ex.Cancelled:
                return
            except BaseException as exc:  # noqa: BLE001 - reported as a page failure
                if cancel.is_set():
                    return
                ran = failed(t, exc)
            if isinstance(ran, ex.Outcome):
                done.put((t, ran))
            else:
                exports.put(ran)

    def exporter() -> None:
        while not cancel.is_set():
            try:
                ran = exports.get(timeout=0.1)
            except queue.Empty:
                if not any(th.is_alive() for th in workers) and exports.empty():
                    return
                continue
            try:
                o = ex.finish(ran, cancel)
            except ex.Cancelled:
                return
            except BaseException as exc:  # noqa: BLE001 - reported as a page failure
                if cancel.is_set():
                    return
                o = failed(ran.task, exc)
            done.put((ran.task, o))

    jobs = max(1, min(opts.jobs or _cpu_count(), len(tasks)))
    workers = [threading.Thread(target=worker, name=f"evidence-report-{i}", daemon=True) for i in range(jobs)]
    threads = st.threads = [*workers, threading.Thread(target=exporter, name="evidence-report-export", daemon=True)]
    for th in threads:
        th.start()
    finished = 0
    while finished < len(tasks):
        try:
            t, o = done.get(timeout=0.2)
        except queue.Empty:
            if not any(th.is_alive() for th in threads) and done.empty():
                raise BuildError("worker threads stopped unexpectedly")
            continue
        finished += 1
        if o.ok:
            pl = planned[t.name]
            if pl.parts.get("data") == "recorded":
                deps = cachemod.dependencies(t.run_dir / "reads.jsonl", pl.page.rows, pl.key_params, slices,
                                             pl.page.columns)
            else:
                deps = []
            digests = slices.digests(deps)
            pl.key = cachemod.full_key(pl.static, digests)
            _write_meta_key(t.run_dir, pl.key, deps)
            cache.commit(pl.key, t.run_dir)
            cache.write_deps(pl.static, digests, slices.details(deps))
            cache.write_last(pl.page.name, {"parts": pl.parts, "static": pl.static, "key": pl.key})
            result.executed.append(t.name)
            if bar is None and not opts.quiet:
                say(f"  executed {t.name} ({o.seconds:.1f} s)")
        else:
            shutil.rmtree(t.run_dir, ignore_errors=True)
            result.failures.append(o.failure)
            say(f"  FAILED   {t.name}")
        if bar is not None:
            bar.update(1)
    order = {p.page.name: i for i, p in enumerate(todo)}
    result.executed.sort(key=order.get)
    result.failures.sort(key=lambda f: order.get(f.name, 0))


#: stands for "a page of the previous report" where a download's page is not rebuilt in this run
_PREVIOUS_BUILD = SimpleNamespace(name="previous-build", title="previous build (not current)")


def _carry_over(previous: Path, tmp: Path, page) -> dict:
    """Copy one page of the previous report into the new one, unchanged; return its index entry."""
    name = page.name
    for sub, suffix in (("pages", ".html"), ("code", ".html"), ("notebooks", ".ipynb"), ("results", ".json")):
        src = previous / sub / f"{name}{suffix}"
        if src.is_file():
            shutil.copyfile(src, tmp / sub / f"{name}{suffix}")
    results = None
    if (tmp / "results" / f"{name}.json").is_file():
        try:
            results = json.loads((tmp / "results" / f"{name}.json").read_text(encoding="utf-8"))
        except ValueError:
            results = None
        if not isinstance(results, dict):
            results = None
    return {"name": name, "title": page.title, "href": f"pages/{name}.html", "code_href": f"code/{name}.html",
            "results_href": f"results/{name}.json" if results is not None else "",
            "summary": "Not current: kept from the previous build (--only); its footer names the build it came from.",
            "description": page.description, "results": results, "stale": True}


def _assemble(tmp: Path, cache: cachemod.Cache, plan: list[_Planned], manifest: Manifest, data_dir: Path, data_sum: str,
              data_sums: list[tuple[str, str]], versions: dict[str, str], git: str, validated: str,
              built: str, elapsed: float, result: BuildResult, previous: Path | None = None) -> None:
    for sub in ("pages", "code", "notebooks", "results", "data"):
        (tmp / sub).mkdir()
    render.write_static(tmp)   # the one stylesheet and script every page links (report/static/)
    footer = {d: render.footer(git=git, data_sum=data_sum, versions=versions,
                               packages=provenance.FOOTER_PACKAGES, built=built, validated=validated, depth=d)
              for d in (0, 1)}
    pages_ctx: dict[str, list[dict]] = {}
    page_downloads: list[tuple[Path, Any]] = []
    missing: dict[str, list[dict]] = {}
    for pl in plan:
        page = pl.page
        if pl.status == "skipped":
            # --only left this page out and it is not current: keep the previous report's copy as it was
            # (its own footer still names the build it came from) rather than dropping it
            if previous is not None and (previous / "pages" / f"{page.name}.html").is_file():
                pages_ctx.setdefault(page.section, []).append(_carry_over(previous, tmp, page))
                result.carried.append(page.name)
            else:
                missing.setdefault(page.section, []).append({"title": page.title, "name": page.name})
            continue
        entry = cache.entry(pl.key)
        name = page.name
        shutil.copyfile(entry / "page.ipynb", tmp / "notebooks" / f"{name}.ipynb")
        for variant, sub in (("reader", "pages"), ("code", "code")):
            text = (entry / f"{variant}.html").read_text(encoding="utf-8")
            (tmp / sub / f"{name}.html").write_text(render.insert_footer(text, footer[1]), encoding="utf-8")
        results = None
        if (entry / "results.json").is_file():
            shutil.copyfile(entry / "results.json", tmp / "results" / f"{name}.json")
            try:
                results = json.loads((entry / "results.json").read_text(encoding="utf-8"))
            except ValueError:
                results = None
            if not isinstance(results, dict):
                results = None
        if (entry / "downloads").is_dir():
            for f in sorted((entry / "downloads").iterdir()):
                if f.is_file():
                    page_downloads.append((f, page))
        summary = results.get("summary") if results and isinstance(results.get("summary"), str) else ""
        if summary.strip() == page.title.strip():
            summary = ""
        pages_ctx.setdefault(page.section, []).append({
            "name": name, "title": page.title, "href": f"pages/{name}.html", "code_href": f"code/{name}.html",
            "results_href": f"results/{name}.json" if results is not None or (entry / "results.json").is_file() else "",
            "summary": summary, "description": page.description, "results": results, "stale": False})

    if previous is not None and result.carried and (previous / "downloads").is_dir():
        produced = {f.name for f, _ in page_downloads}
        for f in sorted((previous / "downloads").iterdir()):
            if f.is_file() and f.name != "SHA256SUMS" and f.name not in produced:
                page_downloads.append((f, _PREVIOUS_BUILD))

    # data downloads
    files = []
    lines = []
    # data/ files go to report/data/; files a page publishes go to report/downloads/
    # (so a page's claims.csv of verdicts never collides with the curated data/claims.csv)
    sources = [(p, None) for p in _data_files(data_dir)] + page_downloads
    dl_lines: list[str] = []
    for p, page in sources:
        sub = "data" if page is None else "downloads"
        (tmp / sub).mkdir(exist_ok=True)
        if (tmp / sub / p.name).exists():
            by = f"page {page.name!r}" if page is not None else "data/"
            raise BuildError(f"{by} publishes {p.name}, but report/{sub}/ already has a file of that name")
        shutil.copyfile(p, tmp / sub / p.name)
        digest = hashlib.sha256(p.read_bytes()).hexdigest()
        (lines if page is None else dl_lines).append(f"{digest}  {p.name}\n")
        files.append({"name": p.name, "href": f"{sub}/{p.name}", "size": _size(p.stat().st_size), "sha256": digest,
                      "rows": _csv_rows(p) if p.suffix == ".csv" else None,
                      "source": f"pages/{page.name}.html" if page not in (None, _PREVIOUS_BUILD) else "",
                      "source_title": page.title if page is not None else "data/"})
    (tmp / "data" / "SHA256SUMS").write_text("".join(lines), encoding="utf-8")
    if dl_lines:
        (tmp / "downloads" / "SHA256SUMS").write_text("".join(dl_lines), encoding="utf-8")
    readme = data_dir / "README.md"
    data_html = render.render_site(
        "data.html.j2", page_title=f"Data · {manifest.title}",
        nav=render.nav(0, index_title=manifest.title, crumb="Data"),
        files=files, data_sum=data_sum, n_data_files=len(data_sums),
        readme_html=render.readme_html(readme.read_text(encoding="utf-8")) if readme.is_file() else "")
    (tmp / "data.html").write_text(render.insert_footer(data_html, footer[0]), encoding="utf-8")

    # index
    order = manifest.section_order()
    if "data" not in order:
        order.append("data")
    sections = []
    for sid in order:
        pages = pages_ctx.get(sid, [])
        miss = missing.get(sid, [])
        if not pages and not miss and sid != "data":
            continue
        sections.append({"id": sid, "anchor": f"section-{sid}", "title": manifest.section_title(sid),
                         "pages": pages, "missing": miss, "scorecard": render.scorecard(pages),
                         "articles": render.article_rows(pages) if sid == "articles" else None,
                         "first_column": "Article" if sid == "articles" else "Page"})
    n_exec, n_cached = len(result.executed), len(result.cached)
    # no duration and no machine path in a page: two builds of the same inputs are byte-identical
    # (the duration goes to the build log in the cache, see _log_build)
    build_line = (f"Built {built}: {n_exec} page{'s' if n_exec != 1 else ''} executed, "
                  f"{n_cached} from cache"
                  + (f", {len(result.carried)} kept from the previous build (not current)" if result.carried else "")
                  + (f", {len(result.skipped) - len(result.carried)} not built (--only)"
                     if len(result.skipped) > len(result.carried) else "")
                  + ".")
    index_html = render.render_site(
        "index.html.j2", page_title=manifest.title, nav=render.nav(0, index_title=manifest.title),
        title=manifest.title, description=manifest.description, sections=sections,
        n_pages=sum(len(s["pages"]) for s in sections), data_sum=data_sum, git=git,
        build_line=build_line, data_files=files)
    (tmp / "index.html").write_text(render.insert_footer(index_html, footer[0]), encoding="utf-8")
