"""Content hashes and the page cache (``.cache/report/<key>/``).

A page's key is the SHA-256 of: its notebook's bytes, its parameters, its name
and title, the kernel, the checksum of the data directory, the checksum of the
``evidence`` package (every file under ``src/evidence`` but byte code: code,
templates, styles) and the versions of Python and the main libraries. When the
key is unchanged the page is not executed again.

A cache entry holds ``page.ipynb`` (the executed, cleaned notebook),
``reader.html``, ``code.html``, optionally ``results.json``, and ``meta.json``.
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
from pathlib import Path
from typing import Any, Iterable

KEY_VERSION = 1
ENTRY_FILES = ("page.ipynb", "reader.html", "code.html", "meta.json")
_SKIP_DIRS = {"__pycache__", ".ipynb_checkpoints", ".git"}


def _files(root: Path, skip_suffixes: tuple[str, ...] = ()) -> list[tuple[str, Path]]:
    """(relative posix path, path) of every regular file under root, sorted; hidden names skipped."""
    out = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if d not in _SKIP_DIRS and not d.startswith("."))
        for f in filenames:
            if f.startswith(".") or f.endswith(skip_suffixes):
                continue
            p = Path(dirpath, f)
            out.append((p.relative_to(root).as_posix(), p))
    out.sort(key=lambda t: t[0])
    return out


def file_sums(root: Path, skip_suffixes: tuple[str, ...] = ()) -> list[tuple[str, str]]:
    """(relative path, sha256 hex) for every file under root, sorted by path."""
    return [(rel, hashlib.sha256(p.read_bytes()).hexdigest()) for rel, p in _files(root, skip_suffixes)]


def tree_checksum(sums: Iterable[tuple[str, str]]) -> str:
    """SHA-256 of the ``sha256sum``-style listing ``<hex>  <path>\\n`` sorted by path.

    For a data directory this equals::

        cd data && find . -type f ! -name '.*' ! -path '*/.*' -printf '%P\\0' | LC_ALL=C sort -z \\
            | xargs -0 sha256sum | sha256sum
    """
    listing = "".join(f"{h}  {rel}\n" for rel, h in sums)
    return hashlib.sha256(listing.encode("utf-8")).hexdigest()


def data_checksum(data_dir: Path) -> tuple[str, list[tuple[str, str]]]:
    sums = file_sums(data_dir)
    return tree_checksum(sums), sums


def package_checksum() -> str:
    """Checksum of the installed ``evidence`` package: code, templates, styles."""
    import evidence

    return tree_checksum(file_sums(Path(evidence.__file__).resolve().parent, (".pyc", ".pyo")))


def canonical(obj: Any) -> str:
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def page_key(*, name: str, title: str, notebook_bytes: bytes, notebook_rel: str, parameters: dict,
             kernel: str, data_sum: str, package_sum: str, versions: dict[str, str]) -> str:
    doc = {
        "v": KEY_VERSION,
        "name": name,
        "title": title,
        "notebook": hashlib.sha256(notebook_bytes).hexdigest(),
        "notebook_path": notebook_rel,
        "parameters": parameters,
        "kernel": kernel,
        "data": data_sum,
        "package": package_sum,
        "versions": versions,
    }
    return hashlib.sha256(canonical(doc).encode("utf-8")).hexdigest()[:32]


class Cache:
    def __init__(self, root: Path):
        self.root = Path(root)

    def entry(self, key: str) -> Path:
        return self.root / key

    def run_dir(self, name: str) -> Path:
        """Where a page executes (by page name, so that the results_path a notebook sees
        does not change with the key; one build per cache at a time, see build._lock)."""
        return self.root / "run" / name

    def failed_path(self, name: str) -> Path:
        return self.root / "failed" / f"{name}.ipynb"

    def lookup(self, key: str) -> Path | None:
        d = self.entry(key)
        if all((d / f).is_file() for f in ENTRY_FILES):
            return d
        return None

    def touch(self, key: str) -> None:
        try:
            os.utime(self.entry(key))
        except OSError:
            pass

    def commit(self, key: str, src: Path) -> Path:
        """Move a finished run directory into place (atomic rename)."""
        dest = self.entry(key)
        dest.parent.mkdir(parents=True, exist_ok=True)
        if dest.exists():
            shutil.rmtree(dest, ignore_errors=True)
        try:
            os.replace(src, dest)
        except OSError:
            # someone else committed the same key meanwhile: theirs is as good as ours
            shutil.rmtree(src, ignore_errors=True)
        return dest

    # --- validation stamps -------------------------------------------------
    def validated(self, token: str) -> bool:
        return (self.root / "validated" / token).is_file()

    def mark_validated(self, token: str) -> None:
        d = self.root / "validated"
        d.mkdir(parents=True, exist_ok=True)
        for old in d.iterdir():
            old.unlink(missing_ok=True)
        (d / token).write_text("ok\n")

    # --- housekeeping ------------------------------------------------------
    def prune(self, used: dict[str, str], keep_per_page: int = 3) -> None:
        """Drop old entries: per page name keep the ones in use plus the most recent few."""
        if not self.root.is_dir():
            return
        by_name: dict[str, list[tuple[float, Path]]] = {}
        for d in self.root.iterdir():
            if not d.is_dir() or len(d.name) != 32:
                continue
            try:
                name = json.loads((d / "meta.json").read_text())["name"]
                mtime = d.stat().st_mtime
            except (OSError, ValueError, KeyError):
                shutil.rmtree(d, ignore_errors=True)
                continue
            by_name.setdefault(name, []).append((mtime, d))
        in_use = set(used.values())
        for name, entries in by_name.items():
            entries.sort(reverse=True)
            kept = 0
            for _, d in entries:
                if d.name in in_use:
                    continue
                kept += 1
                if kept >= keep_per_page:
                    shutil.rmtree(d, ignore_errors=True)
        shutil.rmtree(self.root / "run", ignore_errors=True)
