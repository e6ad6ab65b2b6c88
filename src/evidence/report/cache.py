"""Content hashes and the page cache (``.cache/report/<key>/``).

A page's key is the SHA-256 of: its notebook's bytes, its parameters, its name
and title, the kernel, the checksum of the ``evidence`` package (every file under
``src/evidence`` but byte code: code, templates, styles), the versions of Python
and the main libraries, and what it read of the data directory the last time it
ran (:class:`Dep`: tables, the rows and columns the manifest narrows them to,
other files; without validation, the checksum of the whole data directory).
When the key is unchanged the page is not executed again.

A cache entry holds ``page.ipynb`` (the executed, cleaned notebook),
``reader.html``, ``code.html``, optionally ``results.json``, and ``meta.json``.
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
from dataclasses import dataclass
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


def _read_json(path: Path) -> dict | None:
    """A JSON object from a file, or None when it is missing, unreadable or not an object."""
    try:
        rec = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return rec if isinstance(rec, dict) else None


def canonical(obj: Any) -> str:
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def page_key(*, name: str, title: str, notebook_bytes: bytes, notebook_rel: str, parameters: dict,
             kernel: str, data_sum: str, package_sum: str, versions: dict[str, str]) -> str:
    """The key of a page keyed on the whole data directory (``data_sum``), as without validation."""
    return digest(static_parts(name=name, title=title, notebook_bytes=notebook_bytes, notebook_rel=notebook_rel,
                               parameters=parameters, kernel=kernel, package_sum=package_sum, versions=versions,
                               data=data_sum))


def static_parts(*, name: str, title: str, notebook_bytes: bytes, notebook_rel: str, parameters: dict,
                 kernel: str, package_sum: str, versions: dict[str, str], data: str,
                 rows: dict[str, str] | None = None,
                 columns: dict[str, tuple[str, ...]] | None = None) -> dict[str, Any]:
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
        "columns": {t: list(c) for t, c in sorted((columns or {}).items())},
    }


def digest(obj: Any) -> str:
    return hashlib.sha256(canonical(obj).encode("utf-8")).hexdigest()[:32]


def full_key(static: str, digests: dict[str, str]) -> str:
    """A page's cache key: its static key plus the digest of every data slice it read."""
    return digest({"static": static, "reads": digests})


@dataclass(frozen=True)
class Dep:
    """One thing a page read of the data directory, as its id says:

    ``table:claims``                       a whole table (the bytes of its CSV)
    ``table:claims|claim_id,quote``        only these columns of it (manifest ``columns``)
    ``rows:claims:article_id=000``         the rows whose column is one of the values (manifest ``rows``)
    ``rows:claims:article_id=000|quote``   ... and of those rows only these columns
    ``file:articles/000.txt``              any other file
    """
    kind: str
    name: str                                  # the table, or the file's path
    column: str = ""                           # rows: the column the rows are chosen by ...
    values: tuple[str, ...] = ()               # ... and its values
    columns: tuple[str, ...] = ()              # the columns read; () means all

    @classmethod
    def parse(cls, dep: str) -> "Dep":
        kind, _, rest = dep.partition(":")
        if kind == "file":
            return cls(kind, rest)
        rest, _, cols = rest.partition("|")
        columns = tuple(c for c in cols.split(",") if c)
        if kind == "rows":
            table, _, cond = rest.partition(":")
            col, _, value = cond.partition("=")
            return cls(kind, table, col, tuple(value.split(",")), columns)
        return cls("table", rest, columns=columns)

    def __str__(self) -> str:
        if self.kind == "file":
            return f"file:{self.name}"
        cols = f"|{','.join(self.columns)}" if self.columns else ""
        if self.kind == "rows":
            return f"rows:{self.name}:{self.column}={','.join(self.values)}{cols}"
        return f"table:{self.name}{cols}"


class DataSlices:
    """Digests of the pieces of a data directory a page can read (see :class:`Dep`): a table (its CSV,
    read with the schema in datapackage.json), some of its rows, some of its columns, any other file."""

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
        d = Dep.parse(dep)
        if d.kind == "file":
            return d.name
        out = self.table_path(d.name)
        if d.kind == "rows":
            op = f"in {', '.join(d.values)}" if len(d.values) > 1 else f"= {d.values[0]}"
            out += f" rows with {d.column} {op}"
        if d.columns:
            out += f"{',' if d.kind == 'rows' else ''} column{'s' if len(d.columns) > 1 else ''} {', '.join(d.columns)}"
        return out

    def _slice(self, d: Dep) -> tuple[list[str], list[list[str]]] | None:
        """(columns, their cells in the chosen rows), or None when the table cannot be sliced (not
        readable, or a column the slice names is not in it): the bytes of its file stand in."""
        parsed = self._table_rows(self.table_path(d.name))
        if parsed is None:
            return None
        header, rows = parsed
        wanted = list(d.columns) or header
        if any(c not in header for c in [*wanted, *([d.column] if d.kind == "rows" else [])]):
            return None
        if d.kind == "rows":
            i, values = header.index(d.column), set(d.values)
            rows = [r for r in rows if len(r) > i and r[i].strip() in values]
        idx = [header.index(c) for c in wanted]
        return wanted, [[r[i] if i < len(r) else "" for i in idx] for r in rows]

    def digest(self, dep: str) -> str:
        if dep in self._memo:
            return self._memo[dep]
        d = Dep.parse(dep)
        sliced = self._slice(d) if d.kind == "rows" or d.columns else None
        if d.kind == "file":
            out = self._file(d.name)
        elif sliced is None:
            out = self._file(self.table_path(d.name))
        elif d.kind == "rows" and not d.columns:
            # as before columns could be declared: the header and the chosen rows
            header = self._table_rows(self.table_path(d.name))[0]
            out = hashlib.sha256(canonical([header, sliced[1]]).encode("utf-8")).hexdigest()
        else:
            out = hashlib.sha256(canonical(list(sliced)).encode("utf-8")).hexdigest()
        self._memo[dep] = out
        return out

    def digests(self, deps: Iterable[str]) -> dict[str, str]:
        return {d: self.digest(d) for d in sorted(set(deps))}

    def detail(self, dep: str) -> dict | None:
        """For --explain: how many rows a table slice has and a digest of each of its columns."""
        d = Dep.parse(dep)
        sliced = None if d.kind == "file" else self._slice(d)
        if sliced is None:
            return None
        names, rows = sliced
        return {"rows": len(rows),
                "columns": {c: digest([r[j] for r in rows]) for j, c in enumerate(names)}}

    def details(self, deps: Iterable[str]) -> dict[str, dict]:
        out = {}
        for d in sorted(set(deps)):
            det = self.detail(d)
            if det is not None:
                out[d] = det
        return out

    def what_changed(self, dep: str, old: dict | None) -> str:
        """Words for what changed in a table slice since ``old`` (its :meth:`detail` then): the rows
        added or removed, else the columns whose cells changed; "" when that cannot be said."""
        new = self.detail(dep)
        if not isinstance(old, dict) or new is None or not isinstance(old.get("columns"), dict):
            return ""
        if old.get("rows") != new["rows"]:
            n = new["rows"] - int(old.get("rows") or 0)
            return f"{abs(n)} row{'s' if abs(n) != 1 else ''} {'added' if n > 0 else 'removed'}"
        cols = [c for c, h in new["columns"].items() if old["columns"].get(c) != h]
        if not cols:
            return ""
        return f"column{'s' if len(cols) > 1 else ''} {', '.join(cols[:6])}{' and more' if len(cols) > 6 else ''}"


def dependencies(reads_log: Path, rows: dict[str, str], parameters: dict[str, Any], slices: DataSlices,
                 columns: dict[str, tuple[str, ...]] | None = None) -> list[str]:
    """Dependency ids from a kernel's reads log (see :mod:`evidence.report.kernel`): a table the
    manifest gives a row filter for (``rows = { claims = "article_id" }``) becomes the rows whose
    column equals the page's parameter, a table it declares the columns of (``columns = { claims =
    "claim_id, quote" }``) only those columns; any table read brings in datapackage.json (its schema)."""
    from evidence.report.manifest import parse_rows

    columns = columns or {}
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
            dep = Dep("table", t, columns=tuple(columns.get(t, ())))
            if rows.get(t):
                col, op, values = parse_rows(rows[t])
                if op == "param" and parameters.get(col) is not None:
                    values = (str(parameters[col]),)
                if values:
                    dep = Dep("rows", t, col, tuple(values), dep.columns)
            deps.add(str(dep))
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
        """{"digests": {dep: digest}, "details": {dep: detail}} as the page's last run left them."""
        rec = _read_json(self.deps_path(static))
        return rec if rec is not None and isinstance(rec.get("digests"), dict) else None

    def write_deps(self, static: str, digests: dict[str, str], details: dict[str, dict] | None = None) -> None:
        _write_json(self.deps_path(static), {"digests": digests, "details": details or {}})

    def last_path(self, name: str) -> Path:
        return self.root / "last" / f"{name}.json"

    def read_last(self, name: str) -> dict | None:
        return _read_json(self.last_path(name))

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
        from evidence.report import chartmemo

        chartmemo.prune(self.root / chartmemo.DIRNAME,
                        [d for d in self.root.iterdir() if d.is_dir() and len(d.name) == 32])
