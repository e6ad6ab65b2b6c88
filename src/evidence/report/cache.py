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

KEY_VERSION = 2
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


def _write_json(path: Path, obj: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(json.dumps(obj, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    os.replace(tmp, path)


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


def static_parts(*, name: str, title: str, notebook_bytes: bytes, notebook_rel: str, parameters: dict,
                 kernel: str, package_sum: str, versions: dict[str, str], data: str,
                 rows: dict[str, str] | None = None) -> dict[str, Any]:
    """Everything a page's output depends on apart from what it reads from the data directory.
    ``data`` is "recorded" (the data part of the key is what the page was seen to read) or, when
    reads cannot be trusted (data not validated), the checksum of the whole data directory."""
    return {
        "v": KEY_VERSION,
        "name": name,
        "title": title,
        "notebook": hashlib.sha256(notebook_bytes).hexdigest(),
        "notebook_path": notebook_rel,
        "parameters": parameters,
        "kernel": kernel,
        "package": package_sum,
        "versions": versions,
        "data": data,
        "rows": rows or {},
    }


def digest(obj: Any) -> str:
    return hashlib.sha256(canonical(obj).encode("utf-8")).hexdigest()[:32]


def full_key(static: str, digests: dict[str, str]) -> str:
    """A page's cache key: its static key plus the digest of every data slice it read."""
    return digest({"static": static, "reads": digests})


class DataSlices:
    """Digests of the pieces of a data directory a page can read: a table (its CSV, read with the
    schema in datapackage.json), the rows of a table whose column equals a value, any other file."""

    def __init__(self, data_dir: Path):
        self.data_dir = Path(data_dir)
        self._paths: dict[str, str] | None = None
        self._rows: dict[str, tuple[list[str], list[list[str]]] | None] = {}
        self._memo: dict[str, str] = {}

    def table_path(self, table: str) -> str:
        if self._paths is None:
            self._paths = {}
            try:
                pkg = json.loads((self.data_dir / "datapackage.json").read_text(encoding="utf-8"))
                for r in pkg.get("resources", []):
                    if isinstance(r, dict) and r.get("name") and r.get("path"):
                        self._paths[str(r["name"])] = str(r["path"])
            except (OSError, ValueError):
                pass
        return self._paths.get(table, f"{table}.csv")

    def _file(self, rel: str) -> str:
        p = self.data_dir / rel
        try:
            return hashlib.sha256(p.read_bytes()).hexdigest()
        except FileNotFoundError:
            return "missing"
        except OSError as exc:
            return f"unreadable: {exc.errno}"

    def _table_rows(self, rel: str):
        if rel not in self._rows:
            from evidence.tables import iter_csv  # the data layer opens the CSVs

            try:
                rows = [cells for _, cells in iter_csv(self.data_dir / rel)]
                self._rows[rel] = (rows[0], rows[1:]) if rows else ([], [])
            except (OSError, UnicodeDecodeError, Exception):  # noqa: BLE001 - digest of the bytes instead
                self._rows[rel] = None
        return self._rows[rel]

    def label(self, dep: str) -> str:
        """Reader words for a dependency id (``table:claims``, ``rows:claims:article_id=000``, ``file:x``)."""
        kind, _, rest = dep.partition(":")
        if kind == "rows":
            table, _, cond = rest.partition(":")
            col, _, value = cond.partition("=")
            values = value.split(",")
            if len(values) > 1:
                return f"{self.table_path(table)} rows with {col} in {', '.join(values)}"
            return f"{self.table_path(table)} rows with {col} = {value}"
        if kind == "table":
            return self.table_path(rest)
        return rest

    def digest(self, dep: str) -> str:
        if dep in self._memo:
            return self._memo[dep]
        kind, _, rest = dep.partition(":")
        if kind == "table":
            out = self._file(self.table_path(rest))
        elif kind == "rows":
            table, _, cond = rest.partition(":")
            col, _, value = cond.partition("=")
            rel = self.table_path(table)
            parsed = self._table_rows(rel)
            if parsed is None or col not in parsed[0]:
                out = self._file(rel)
            else:
                header, rows = parsed
                i = header.index(col)
                wanted = set(value.split(","))
                mine = [r for r in rows if len(r) > i and r[i].strip() in wanted]
                out = hashlib.sha256(canonical([header, mine]).encode("utf-8")).hexdigest()
        else:
            out = self._file(rest)
        self._memo[dep] = out
        return out

    def digests(self, deps: Iterable[str]) -> dict[str, str]:
        return {d: self.digest(d) for d in sorted(set(deps))}


def dependencies(reads_log: Path, rows: dict[str, str], parameters: dict[str, Any], slices: DataSlices) -> list[str]:
    """Dependency ids from a kernel's reads log (see :mod:`evidence.report.kernel`): a table the
    manifest gives a row filter for (``rows = { claims = "article_id" }``) becomes the rows whose
    column equals the page's parameter; any table read brings in datapackage.json (its schema)."""
    deps: set[str] = set()
    try:
        lines = reads_log.read_text(encoding="utf-8").splitlines()
    except OSError:
        lines = []
    for ln in lines:
        try:
            rec = json.loads(ln)
        except ValueError:
            continue
        if "table" in rec:
            t = str(rec["table"])
            dep = f"table:{t}"
            if rows.get(t):
                from evidence.report.manifest import parse_rows

                col, op, values = parse_rows(rows[t])
                if op == "param" and parameters.get(col) is not None:
                    values = (str(parameters[col]),)
                if values:
                    dep = f"rows:{t}:{col}={','.join(values)}"
            deps.add(dep)
            deps.add("file:datapackage.json")
        elif "file" in rec:
            deps.add(f"file:{rec['file']}")
    return sorted(deps)


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

    # --- what each page read ---------------------------------------------------
    def deps_path(self, static: str) -> Path:
        return self.root / "deps" / f"{static}.json"

    def read_deps(self, static: str) -> dict | None:
        try:
            rec = json.loads(self.deps_path(static).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        return rec if isinstance(rec, dict) and isinstance(rec.get("digests"), dict) else None

    def write_deps(self, static: str, digests: dict[str, str]) -> None:
        _write_json(self.deps_path(static), {"digests": digests})

    def last_path(self, name: str) -> Path:
        return self.root / "last" / f"{name}.json"

    def read_last(self, name: str) -> dict | None:
        try:
            rec = json.loads(self.last_path(name).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        return rec if isinstance(rec, dict) else None

    def write_last(self, name: str, rec: dict) -> None:
        _write_json(self.last_path(name), rec)

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
