"""Charts remembered across builds: a page that executes again draws only the charts whose inputs changed.

Editing one claim re-executes its article's page (issue 13), but most of that page's charts do not
change: drawing a chart twice (phone and desktop) and writing both as SVG is most of the page's time.
In the build's kernels (see :mod:`evidence.report.kernel`) :func:`evidence.plotting.show_chart` is
wrapped: its display output is kept in ``<cache>/charts/<key>.json`` and shown again, unchanged, the
next time the same chart function is called with the same arguments. The key covers

* the chart function (module and name; only the package's own charts are remembered, whose code
  the salt covers) and its arguments, pickled (the charts read nothing else: no files, no data; a
  call given the evidence base itself is drawn every time, so that what it reads is recorded);
* matplotlib's settings at the call (``rcParams``, so a style set by the notebook counts);
* the salt the build passes: the checksum of the ``evidence`` package and the versions of the
  libraries that draw (the same as every page's cache key).

An argument that cannot be pickled, a chart from outside the package or no IPython kernel: the chart
is drawn as usual. A kept chart is the bytes the chart drew, so a page comes out byte-identical
whether its charts were drawn or remembered (tests/test_report_incremental.py). Each page lists the
charts it used in ``charts.txt`` of its cache entry; the build removes charts no entry lists.
"""
from __future__ import annotations

import hashlib
import json
import os
import pickle
from pathlib import Path
from typing import Any, Callable, Iterable

ENV_DIR = "EVIDENCE_CHARTS"            # where the charts are kept (set for every kernel of a build)
ENV_SALT = "EVIDENCE_CHARTS_SALT"      # code and library versions
ENV_USED = "EVIDENCE_CHARTS_USED"      # per kernel: the file that lists the charts its page used
USED_FILE = "charts.txt"
DIRNAME = "charts"


def chart_key(salt: str, chart: Callable, args: tuple, kw: dict) -> str | None:
    """The key of one call, or None when it cannot be remembered."""
    module = getattr(chart, "__module__", None) or ""
    if not (module == "evidence" or module.startswith("evidence.")):
        return None
    if any(_reads_tables(v) for v in (*args, *kw.values())):
        return None      # a chart that reads the evidence base itself: its reads must be recorded, so draw it
    try:
        import matplotlib

        blob = pickle.dumps((module, getattr(chart, "__qualname__", None), args, sorted(kw.items())), protocol=4)
        rc = json.dumps(sorted((k, repr(v)) for k, v in matplotlib.rcParams.items()))
    except Exception:  # noqa: BLE001 - an argument pickle cannot take: draw as usual
        return None
    h = hashlib.sha256()
    for part in (salt.encode("utf-8"), blob, rc.encode("utf-8")):
        h.update(len(part).to_bytes(8, "big"))
        h.update(part)
    return h.hexdigest()[:40]


def _reads_tables(value: Any) -> bool:
    """Is this argument the evidence base (whose table reads the kernel records per page)?"""
    import sys

    db = sys.modules.get("evidence.db")
    return db is not None and isinstance(value, db.EvidenceDB)


def _read(path: Path) -> list[dict] | None:
    try:
        outputs = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(outputs, list) or not all(isinstance(o, dict) and isinstance(o.get("data"), dict)
                                                for o in outputs):
        return None
    return outputs


def _write(path: Path, outputs: list[dict]) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        tmp.write_text(json.dumps(outputs, ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, path)
    except OSError:
        pass                                   # not kept: the next build draws it again


#: the file that lists the charts this kernel's page used (a fork server's kernels set it after the fork)
USED_LOG: dict[str, str | None] = {"path": None}


def remembering(inner: Callable, directory: Path, salt: str, used_log: str | Callable[[], str | None] | None
                ) -> Callable:
    """``show_chart`` that shows a kept chart, or draws it (with ``inner``) and keeps what it displayed;
    ``used_log`` (a path, or a function that gives it) lists the charts shown."""

    def show_chart(chart, *args, alt: str | None, caption: str | None = None, **kw):
        from IPython import get_ipython

        key = chart_key(salt, chart, args, dict(kw, alt=alt, caption=caption))
        if key is None or get_ipython() is None:
            return inner(chart, *args, alt=alt, caption=caption, **kw)
        path = directory / f"{key}.json"
        outputs = _read(path)
        if outputs is None:
            from IPython.utils.capture import capture_output

            with capture_output(stdout=False, stderr=False, display=True) as cap:
                inner(chart, *args, alt=alt, caption=caption, **kw)
            outputs = [{k: v for k, v in (("data", o.data), ("metadata", o.metadata), ("transient", o.transient),
                                          ("update", o.update)) if v or k == "data"} for o in cap.outputs]
            _write(path, outputs)
        log = used_log() if callable(used_log) else used_log
        if log:
            try:
                with open(log, "a", encoding="utf-8") as fh:
                    fh.write(key + "\n")
            except OSError:
                pass
        from IPython.display import publish_display_data

        for o in outputs:
            extra: dict[str, Any] = {"update": True} if o.get("update") else {}
            publish_display_data(o["data"], o.get("metadata"), transient=o.get("transient"), **extra)

    show_chart.__wrapped__ = inner
    show_chart.__doc__ = inner.__doc__
    return show_chart


def install(directory: str, salt: str, used_log: str | None) -> None:
    """In a kernel: ``evidence.plotting.show_chart`` remembers its charts in ``directory``."""
    import evidence.plotting as P
    import evidence.plotting.base as B

    USED_LOG["path"] = used_log
    wrapped = remembering(B.show_chart, Path(directory), salt, lambda: USED_LOG["path"])
    B.show_chart = wrapped
    P.show_chart = wrapped


def prune(root: Path, entries: Iterable[Path]) -> None:
    """Remove the kept charts no cache entry lists (``root``: the charts directory)."""
    if not root.is_dir():
        return
    used: set[str] = set()
    for d in entries:
        try:
            used.update((d / USED_FILE).read_text(encoding="utf-8").split())
        except OSError:
            continue
    for f in root.iterdir():
        if f.suffix == ".json" and f.stem not in used or f.name.endswith(".tmp"):
            f.unlink(missing_ok=True)
