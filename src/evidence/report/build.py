"""Build the offline HTML report: manifest -> pages (cached or executed) -> report/.

The build never leaves a half-written report: pages are executed into the
cache, the report is assembled in ``<out>.tmp-XXXX`` next to the output, checked
(no page may load anything from the network; the reader lint finds nothing), and
only then swapped into place. A failing notebook, a data validation error, a lint
finding or an interruption leaves the previous report exactly as it was.

The steps live in their own modules: :mod:`~evidence.report.plan` (keys, what
executes and why), :mod:`~evidence.report.workers` (executing the pages),
:mod:`~evidence.report.assemble` (the report directory from the cache) and
:mod:`~evidence.report.outdir` (writable targets, the temporary directory, the swap).
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import signal
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from evidence.report import cache as cachemod
from evidence.report import provenance, render
from evidence.report import trace as tr
from evidence.report.assemble import Build, assemble
from evidence.report.manifest import ManifestError, apply_overrides, load_manifest, parse_overrides, select
from evidence.report.outdir import (EXIT_UNWRITABLE, MARKER, PID_FILE, BuildError, _clean_stale,  # noqa: F401
                                    _is_report_dir, _mkdtemp, _shown, check_targets, swap_into_place)
from evidence.report.plan import Inputs, Planned, explain, plan_pages, remember_reads

MAX_ISSUES_SHOWN = 50
#: exit status when the assembled report fails the reader lint (evidence.report.lint)
EXIT_LINT = 4

__all__ = ["BuildError", "BuildResult", "EXIT_LINT", "EXIT_UNWRITABLE", "MARKER", "Options", "PID_FILE", "build",
           "check_targets", "swap_into_place"]


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
    lint: bool = True                 # run the reader lint on the assembled report before the swap
    # start kernels ahead of need (EVIDENCE_REPORT_POOL=0: each page starts its own when it is due)
    pool: bool = field(default_factory=lambda: os.environ.get("EVIDENCE_REPORT_POOL", "1") != "0")
    # a warm kernel server kept between builds (evidence.report.daemon; --no-daemon or
    # EVIDENCE_REPORT_DAEMON=0: each build starts its own)
    daemon: bool = field(default_factory=lambda: os.environ.get("EVIDENCE_REPORT_DAEMON", "1") != "0")


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


class _Interrupted(BaseException):
    """Raised at the build's next checkpoint after SIGINT or SIGTERM (see :func:`build`)."""


def _err(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


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


@dataclass
class _State:
    """What a build has to undo when it stops early, and whether it was asked to stop."""
    cancel: threading.Event = field(default_factory=threading.Event)
    signum: int | None = None       # the first SIGINT or SIGTERM received
    shielded: bool = False          # swapping in or cleaning up: a signal is only noted
    tmp: Path | None = None
    run_dirs: list[Path] = field(default_factory=list)
    restore_env: dict[str, str | None] = field(default_factory=dict)
    cache: cachemod.Cache | None = None
    lock: Any = None
    threads: list[threading.Thread] = field(default_factory=list)

    def checkpoint(self) -> None:
        """Stop here when a signal came: between two steps, never inside one (an import, a cache
        commit, a memo being written), so that what the build leaves is always whole."""
        if self.signum is not None:
            raise _Interrupted()

    def on_signal(self, signum: int, frame: Any) -> None:
        """SIGINT/SIGTERM: note it and tell the workers; the build stops at its next checkpoint (the
        main thread passes one at least every 0.2 s while pages run). A second signal before that
        stops at once, unless the build is swapping the new report in or cleaning up."""
        first = self.signum is None
        if first:
            self.signum = signum
        self.cancel.set()
        if not first and not self.shielded:
            self.shielded = True
            raise _Interrupted()


#: the signals that interrupt a build (each handled unless it was ignored when the build started)
_SIGNALS = ("SIGINT", "SIGTERM")


def _handle_signals(st: _State) -> dict[int, Any]:
    """Install ``st.on_signal`` for SIGINT and SIGTERM (main thread only); the handlers it replaced.
    A signal ignored when the build starts (``nohup``, a background job's SIGINT) stays ignored."""
    if threading.current_thread() is not threading.main_thread():
        return {}
    old = {}
    for name in _SIGNALS:
        sig = getattr(signal, name, None)
        if sig is None or signal.getsignal(sig) == signal.SIG_IGN:
            continue
        old[sig] = signal.signal(sig, st.on_signal)
    return old


def _stop_workers(st: _State) -> None:
    """After an interrupt: kill the kernels (and the kernel server), let the workers see them die."""
    st.cancel.set()
    _kill_kernels()
    deadline = time.monotonic() + 3
    for th in st.threads:
        if th.ident is not None:                # started (a thread is listed before it starts)
            th.join(max(0.0, deadline - time.monotonic()))


def _clean_partial(st: _State) -> None:
    """What a kernel killed mid-write can leave in the cache: a chart memo's temporary file."""
    if st.cache is None:
        return
    from evidence.report import chartmemo

    for tmp in (st.cache.root / chartmemo.DIRNAME).glob(".*.tmp"):
        tmp.unlink(missing_ok=True)


def build(opts: Options) -> BuildResult:
    """Run a whole build; user-facing problems end up in ``exit_code`` and on stderr, not as exceptions.

    SIGINT and SIGTERM set a flag; the build stops at its next checkpoint (:meth:`_State.checkpoint`),
    kills its kernels and the kernel server, removes its temporary report and run directories, and
    exits 130 (143 for SIGTERM) with the previous report unchanged. A signal that comes after the last
    checkpoint, while the new report is swapped in, lets the build finish (exit 0)."""
    t0 = time.monotonic()
    result = BuildResult(exit_code=0)
    st = _State()
    old_handlers = _handle_signals(st)
    try:
        return _build(opts, result, t0, st)
    except BuildError as exc:
        if st.signum is not None and not st.shielded:   # e.g. the workers stopped because of the signal
            return _interrupted(st, result)
        _err(f"evidence report: {exc}")
        result.exit_code = exc.code
        return result
    except (KeyboardInterrupt, _Interrupted):
        return _interrupted(st, result)
    finally:
        st.shielded = True
        st.cancel.set()
        _kill_kernels()
        if st.tmp is not None and st.tmp.exists():
            shutil.rmtree(st.tmp, ignore_errors=True)
        for d in st.run_dirs:
            shutil.rmtree(d, ignore_errors=True)
        if st.signum is not None:
            _clean_partial(st)
        for k, v in st.restore_env.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
        if st.lock is not None:
            st.lock.close()                      # releases the build lock
        for sig, handler in old_handlers.items():
            signal.signal(sig, handler)
        result.seconds = time.monotonic() - t0


def _interrupted(st: _State, result: BuildResult) -> BuildResult:
    st.shielded = True
    _stop_workers(st)
    _err("evidence report: interrupted; the previous report is unchanged")
    result.exit_code = 143 if st.signum == signal.SIGTERM else 130
    return result


def _kill_kernels() -> None:
    mod = sys.modules.get("evidence.report.execute")
    if mod is not None:
        mod.kill_kernels()


def _inputs(opts: Options) -> tuple[Path, Path, Path, Path]:
    """(data as given or found, data directory, manifest, output), with the option values checked."""
    data_arg = Path(opts.data) if opts.data is not None else _default_data()
    data_dir = data_arg.resolve()
    # as the user gave it (--data or $EVIDENCE_DATA: the words of validate, claims and check), else as found
    given = opts.data if opts.data is not None else os.environ.get("EVIDENCE_DATA") or None
    shown_data = str(given) if given is not None else _shown(data_arg)
    # the data cannot be used: exit 1 and the same words as `validate`, `claims` and `check`
    if not data_dir.exists():
        raise BuildError(f"data directory {shown_data}: no such directory", 1)
    if not data_dir.is_dir():
        raise BuildError(f"data directory {shown_data}: not a directory", 1)
    if opts.timeout is not None and not (opts.timeout > 0 and opts.timeout != float("inf")):
        raise BuildError(f"--timeout {opts.timeout:g}: must be a number of seconds above 0", 2)
    if opts.jobs is not None and opts.jobs < 1:
        raise BuildError(f"--jobs {opts.jobs}: must be at least 1", 2)
    manifest_path = Path(opts.manifest if opts.manifest is not None else _default_manifest(data_dir)).resolve()
    return data_arg, data_dir, manifest_path, Path(opts.out).absolute()


def _manifest(opts: Options, manifest_path: Path, data_dir: Path, out: Path):
    """(manifest with -p applied, the -p values, the pages --only selects)."""
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
    return manifest, overrides, chosen


def _validated(opts: Options, data_dir: Path, data_arg: Path, data_sum: str, package_sum: str,
               cache: cachemod.Cache) -> str:
    """Validate the data before anything is executed or written; invalid data stop the build."""
    if not opts.validate:
        return "not validated: --no-validate"
    token = hashlib.sha256(f"{data_sum}:{package_sum}".encode()).hexdigest()[:32]
    validated, issues = _validate(data_dir, token, cache)
    if issues:
        for line in issues[:MAX_ISSUES_SHOWN]:
            _err(line)
        more = len(issues) - MAX_ISSUES_SHOWN
        if more > 0:
            _err(f"... and {more} more (run `evidence validate --data {_shown(data_arg)}`)")
        raise BuildError(f"{len(issues)} data error(s) in {_shown(data_arg)}; the report was not built", 1)
    return validated


def _temporary(out: Path, st: _State) -> Path:
    """The directory the report is assembled in exists before anything runs (and proves it can be made)."""
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        _clean_stale(out)
        tmp = st.tmp = Path(_mkdtemp(out))
        (tmp / PID_FILE).write_text(f"{os.getpid()}\n")
        (tmp / MARKER).write_text("This directory is written by `evidence report`; it is replaced on every build.\n")
    except OSError as exc:
        raise BuildError(f"cannot create a temporary directory next to {_shown(out)}: "
                         f"{exc.strerror or exc}; nothing was executed", EXIT_UNWRITABLE) from None
    return tmp


def _execute(todo: list[Planned], plan: list[Planned], opts: Options, manifest, data_dir: Path,
             cache: cachemod.Cache, st: _State, result: BuildResult, slices: cachemod.DataSlices,
             chart_salt: str | None = None) -> None:
    show_progress = (not opts.quiet and sys.stderr.isatty()) if opts.progress is None else opts.progress
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

    from evidence.report.workers import execute_all

    try:
        execute_all(todo, opts, manifest, data_dir, cache, st, result, bar, say, slices, chart_salt)
    finally:
        if bar is not None:
            bar.close()


def _offline(tmp: Path, plan: list[Planned], cache: cachemod.Cache, footer: str) -> list[str]:
    """What the new report would load from the network. A page from the cache was scanned when it was
    made (its meta.json "remote"); its footer is scanned once; every other HTML file now."""
    scanned: dict[str, list[str]] = {}
    for pl in plan:
        if pl.status == "skipped":
            continue
        try:
            remote = json.loads((cache.entry(pl.key) / "meta.json").read_text(encoding="utf-8"))["remote"]
            scanned[f"pages/{pl.page.name}.html"] = list(remote["reader"])
            scanned[f"code/{pl.page.name}.html"] = list(remote["code"])
        except (OSError, ValueError, KeyError, TypeError):
            continue                                  # an entry made before the scan was kept: scan it now
    in_footer = render.remote_resources(footer)
    out = []
    for p in sorted(tmp.rglob("*.html")):
        rel = p.relative_to(tmp).as_posix()
        found = scanned[rel] + in_footer if rel in scanned else render.remote_resources(p.read_text(encoding="utf-8"))
        out += [f"{rel}: {r}" for r in found]
    return out


def _lint_salt(data_dir: Path, data_sums: list[tuple[str, str]], package_sum: str) -> str:
    """What a page's lint depends on besides its bytes: the code, and the files of data/ the ids come
    from (every file but the tables the lint takes no id from, e.g. claims.csv: a claim edit re-lints
    only the pages it changed)."""
    from evidence.report.lint import ID_COLUMNS

    try:
        resources = json.loads((data_dir / "datapackage.json").read_text(encoding="utf-8"))["resources"]
        other = {str(r["path"]) for r in resources if r["name"] not in ID_COLUMNS}
    except (OSError, ValueError, KeyError, TypeError):
        other = set()
    kept = [(rel, h) for rel, h in data_sums if rel not in other]
    return f"{cachemod.tree_checksum(kept)}:{package_sum}"


def _check_new(tmp: Path, opts: Options, plan: list[Planned], cache: cachemod.Cache, footer: str,
               inp: Inputs, built: str, data_sums: list[tuple[str, str]], checkpoint=lambda: None) -> None:
    bad = _offline(tmp, plan, cache, footer)
    if bad:
        for b in bad[:MAX_ISSUES_SHOWN]:
            _err(f"evidence report: loads from the network: {b}")
        raise BuildError(f"{len(bad)} network reference(s) in the report; the previous report is unchanged", 1)
    if opts.lint:
        _lint(tmp, inp.data_dir, cache.root / "lint", _lint_salt(inp.data_dir, data_sums, inp.package_sum), built,
              checkpoint)


def _summary(opts: Options, result: BuildResult, secs: float) -> str:
    ex = result.executed
    names = ", ".join(ex[:8]) + (f", ... ({len(ex) - 8} more)" if len(ex) > 8 else "")
    line = (f"evidence report: {opts.out}/ ({len(result.pages)} pages: "
            f"{len(ex)} executed{f' [{names}]' if ex else ''}, {len(result.cached)} from cache")
    if result.carried:
        line += f", {len(result.carried)} kept from the previous build (not current)"
    if len(result.skipped) > len(result.carried):
        line += f", {len(result.skipped) - len(result.carried)} not built (--only)"
    return line + f") in {secs:.1f} s"


def _build(opts: Options, result: BuildResult, t0: float, st: _State) -> BuildResult:
    data_arg, data_dir, manifest_path, out = _inputs(opts)
    cache = st.cache = cachemod.Cache(Path(opts.cache).absolute())
    built = provenance.format_time(provenance.build_time())   # before kernels get their own epoch
    manifest, overrides, chosen = _manifest(opts, manifest_path, data_dir, out)
    check_targets(out, cache.root)        # fail before the work: everything the build writes must be writable
    data_sum, data_sums = cachemod.data_checksum(data_dir)
    package_sum, versions = cachemod.package_checksum(), provenance.versions()
    tr.mark("build: inputs read")
    st.checkpoint()
    validated = _validated(opts, data_dir, data_arg, data_sum, package_sum, cache)
    tr.mark(f"build: {validated}")
    st.checkpoint()
    if not opts.dry_run:
        st.lock = _lock(cache.root)
    # a page's key covers what it read of data/ (recorded by its kernel) when the data validated;
    # otherwise what a page reads cannot be trusted to be all it depends on: the whole of data/
    inp = Inputs(data_dir, manifest_path.parent.parent, package_sum, versions, data_sum, validated == "validated")
    slices = cachemod.DataSlices(data_dir)
    plan = plan_pages(manifest, chosen, overrides, opts.force, inp, cache, slices)
    tr.mark("build: planned")
    if opts.explain or opts.dry_run:
        explain(plan, to_stdout=opts.dry_run)
    result.pages = [p.page.name for p in plan if p.status != "skipped"]
    result.skipped = [p.page.name for p in plan if p.status == "skipped"]
    result.cached = [p.page.name for p in plan if p.status == "cached"]
    if opts.dry_run:
        return result
    st.checkpoint()
    tmp = _temporary(out, st)
    remember_reads(plan, cache, slices)
    todo = [p for p in plan if p.status == "execute"]
    if todo:
        # charts kept across builds are keyed on the code and the drawing libraries, as pages are
        chart_salt = json.dumps([package_sum, versions], sort_keys=True)
        _execute(todo, plan, opts, manifest, data_dir, cache, st, result, slices, chart_salt)
    st.checkpoint()                       # an interrupted build is not reported as failed pages
    if result.failures:
        for f in result.failures:
            _err(f"evidence report: {f}")
        n = len(result.failures)
        _err(f"evidence report: {n} page{'s' if n != 1 else ''} failed; the previous report is unchanged")
        result.exit_code = 1
        return result
    # assemble the new report next to the old one, check it, swap it in
    b = Build(data_dir, data_sum, len(data_sums), versions, str(provenance.git_info(manifest_path.parent)), validated,
              built, result.executed, result.cached, result.skipped, result.carried)
    tr.mark("build: pages done")
    footer = assemble(tmp, cache, plan, manifest, b, out if out.is_dir() and _is_report_dir(out) else None)
    tr.mark("build: assembled")
    st.checkpoint()
    _check_new(tmp, opts, plan, cache, footer, inp, built, data_sums, st.checkpoint)
    tr.mark("build: checked (offline, lint)")
    st.checkpoint()                       # the last one: from here on the new report goes in
    st.shielded = True
    swap_into_place(tmp, out)
    st.tmp = None
    cache.prune({p.page.name: p.key for p in plan if p.status != "skipped"})
    _log_build(cache, opts, out, data_dir, manifest_path, result, time.monotonic() - t0)
    if not opts.quiet:
        _err(_summary(opts, result, time.monotonic() - t0))
    if st.signum is not None:
        _err("evidence report: the interrupt came after the new report was put in place; it is complete")
    result.out = out
    return result


#: the footer every page gets (render.footer); the lint skips it (lint._Visible: footer.ev-provenance)
_FOOTER = re.compile(r'<footer class="ev-provenance">.*?</footer>', re.S)


_IDS_FILE = "ids.memo"      # not *.json: the memo's *.json are one per page


def _lint_ids(L, data_dir: Path, memo_dir: Path, salt: str) -> set[str]:
    """The ids the lint looks for (lint._ids reads the tables), remembered with the salt they depend on."""
    try:
        rec = json.loads((memo_dir / _IDS_FILE).read_text(encoding="utf-8"))
        if rec["salt"] == salt and isinstance(rec["ids"], list):
            return set(rec["ids"])
    except (OSError, ValueError, KeyError, TypeError):
        pass
    ids = L._ids(data_dir)
    cachemod._write_json(memo_dir / _IDS_FILE, {"salt": salt, "ids": sorted(ids)})
    return ids


def _lint_pages(tmp: Path, data_dir: Path, memo_dir: Path, salt: str, built: str, checkpoint=lambda: None) -> list:
    """The reader lint of :func:`evidence.report.lint.lint_report`, each page's part remembered in
    ``memo_dir`` by the page's bytes (its build time left out), the data and the code (``salt``):
    a rebuild lints again only the pages that changed; the agreement between pages is checked anew."""
    from evidence.report import lint as L

    ids = None
    out, seen, used = [], {}, set()
    for p in L.readers_pages(tmp):
        checkpoint()                            # between two pages (a page's memo is written whole)
        name = p.relative_to(tmp).as_posix()
        html = p.read_text(encoding="utf-8")
        # the build's footer (the data's checksum, the build time) is not linted: not in the key either,
        # so that an edit of data/ re-lints only the pages whose own content changed
        keyed = _FOOTER.sub("", html).replace(built, "")
        key = hashlib.sha256(f"{salt}\0{name}\0{keyed}".encode("utf-8")).hexdigest()[:32]
        used.add(f"{key}.json")
        try:
            rec = json.loads((memo_dir / f"{key}.json").read_text(encoding="utf-8"))
            text, bottoms, found = rec["text"], rec["bottoms"], [L.Finding(name, r, t) for r, t in rec["findings"]]
        except (OSError, ValueError, KeyError, TypeError):
            if ids is None:
                ids = _lint_ids(L, data_dir, memo_dir, salt)
            text, links, bottoms = L.visible(html)
            found = L.lint_text(name, text, links, ids)
            cachemod._write_json(memo_dir / f"{key}.json", {"text": text, "bottoms": bottoms,
                                                            "findings": [[f.rule, f.text] for f in found]})
        seen[name] = (text, bottoms)
        out += found
    for old in memo_dir.glob("*.json") if memo_dir.is_dir() else []:
        if old.name not in used:
            old.unlink(missing_ok=True)
    return out + L.agreement(seen)


def _lint(tmp: Path, data_dir: Path, memo_dir: Path, salt: str, built: str, checkpoint=lambda: None) -> None:
    """The reader lint on the assembled report: each finding on a line (page, rule, text); any
    finding stops the build before the swap, so the previous report stays as it was."""
    findings = _lint_pages(tmp, data_dir, memo_dir, salt, built, checkpoint)
    if not findings:
        return
    for f in findings[:MAX_ISSUES_SHOWN]:
        _err(f"evidence report: lint: {f}")
    more = len(findings) - MAX_ISSUES_SHOWN
    if more > 0:
        _err(f"evidence report: lint: ... and {more} more")
    n = len(findings)
    raise BuildError(f"{n} reader lint finding{'s' if n != 1 else ''} in the new report (internal codes, ids or "
                     "raw numbers a reader would see); the previous report is unchanged", EXIT_LINT)


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
