"""The report manifest: which notebooks become which pages.

The manifest is TOML (read with :mod:`tomllib`)::

    title = "Evidence report"                   # index heading
    description = "One paragraph for the index."  # optional

    [sections]            # optional: order and headings of the index sections
    articles = "Articles checked"
    evidence = "Evidence"
    methods = "Methods"
    data = "Data"

    [[page]]
    name = "overview"                 # page name: [A-Za-z0-9_.-]
    notebook = "overview.ipynb"       # relative to the manifest's directory
    title = "Overview"
    section = "evidence"
    parameters = { alpha = 0.05 }     # injected with papermill

The pipeline itself injects, into notebooks whose ``parameters`` cell declares
them: ``results_path`` (write the page's results JSON there), ``downloads_dir``
(files written there are published in ``report/downloads/`` and listed on the data
page) and ``data_dir`` (the data directory, relative to the notebook).

    [[page]]                          # one page per row of a CSV in the data directory
    name = "article"                  # pages article-<id>
    notebook = "article.ipynb"
    title = "Article"                 # fallback; each page is titled from the CSV
    section = "articles"
    foreach_csv = "data/articles.csv" # "data/..." means the build's data directory
    foreach_column = "article_id"     # injected as parameter article_id
    title_column = "title"            # default "title"

    [[page]]                          # one page per value
    name = "dose"
    notebook = "dose.ipynb"
    title = "Dose {dose} mg/kg"       # {placeholders} take the foreach values (or CSV row)
    section = "evidence"
    foreach = { dose = [0.25, 0.5] }  # several keys: zipped (lists of equal length)

What a page reads of the data directory is recorded while it runs (table by table); two keys
narrow it, so that an edit elsewhere does not execute the page again::

    rows = { claims = "article_id" }          # only the claims of the page's article_id (parse_rows)
    columns = { claims = "claim_id, quote" }  # only these columns of claims.csv (parse_columns)

Both are declarations, verified by tests/test_report_incremental.py (the page comes out byte for
byte the same when everything else of the table is removed or changed).

This module only parses; it imports nothing heavy.
"""
from __future__ import annotations

import ast
import json
import os
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

#: parameters the pipeline injects itself when a notebook's parameters cell declares them
PIPELINE_PARAMETERS = ("results_path", "downloads_dir", "data_dir")
#: ... of which these cannot be set in the manifest or with -p
RESERVED_PARAMETERS = ("results_path", "downloads_dir")

_ENTRY_KEYS = {"name", "notebook", "title", "section", "parameters", "foreach",
               "foreach_csv", "foreach_column", "title_column", "kernel", "description", "results",
               "rows", "columns"}
_TOP_KEYS = {"title", "description", "sections", "page"}
_NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
DEFAULT_SECTIONS = {"articles": "Articles", "evidence": "Evidence", "methods": "Methods", "data": "Data"}


class ManifestError(Exception):
    """The manifest (or a file it names) is unusable; the message says why and where."""


@dataclass
class Page:
    name: str               # unique, file-name safe
    entry: str              # the manifest entry it came from
    notebook: Path          # absolute path of the source notebook
    title: str
    section: str
    parameters: dict[str, Any]          # from the manifest (+ foreach values); -p applied later
    declared: tuple[str, ...] = ()      # names assigned in the notebook's `parameters` cell
    kernel: str = "python3"
    description: str = ""
    notebook_bytes: bytes = field(default=b"", repr=False)
    results: bool = True                # False: the manifest says this page has no results
    rows: dict[str, str] = field(default_factory=dict)   # table -> row filter (see parse_rows)
    columns: dict[str, tuple[str, ...]] = field(default_factory=dict)   # table -> the columns it reads

    def declares(self, name: str) -> bool:
        return name in self.parameters or name in self.declared


@dataclass
class Manifest:
    path: Path
    title: str
    description: str
    sections: dict[str, str]            # section id -> heading, in display order
    pages: list[Page]

    def section_order(self) -> list[str]:
        order = list(self.sections)
        for p in self.pages:
            if p.section not in order:
                order.append(p.section)
        return order

    def section_title(self, section: str) -> str:
        return self.sections.get(section) or DEFAULT_SECTIONS.get(section) or section.replace("_", " ").title()


_ROWS_RE = re.compile(r"^\s*([A-Za-z_][A-Za-z0-9_]*)\s*(?:(=|\bin\b)\s*(.*?))?\s*$")


def parse_rows(spec: str) -> tuple[str, str, tuple[str, ...]]:
    """A page's row filter on one table: ``"article_id"`` (the rows whose column article_id equals
    the page's parameter article_id), ``"claim_type = prevalence"`` (equals a constant) or
    ``"claim_type in onset, durability"`` (one of several). Returns (column, op, values) with op
    "param", "=" or "in"; ValueError when it is none of these."""
    m = _ROWS_RE.match(spec)
    if not m:
        raise ValueError('expected "column", "column = value" or "column in value1, value2"')
    column, op, rest = m.group(1), m.group(2), m.group(3)
    if op is None:
        return column, "param", ()
    values = tuple(v.strip() for v in (rest or "").split(",")) if op == "in" else ((rest or "").strip(),)
    if not all(values):
        raise ValueError("a value is missing")
    return column, op, values


_COLUMN_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def parse_columns(spec: str) -> tuple[str, ...]:
    """A page's column declaration on one table: ``"claim_id, recompute, quote"`` (the only columns
    of the table the page's output depends on), sorted; ValueError when a name is not a column name."""
    names = [c.strip() for c in str(spec).split(",")]
    bad = next((c for c in names if not _COLUMN_RE.match(c)), None)
    if bad is not None:
        raise ValueError(f"{bad!r} is not a column name (expected \"column1, column2\")")
    return tuple(sorted(set(names)))


def slug(value: Any) -> str:
    s = re.sub(r"[^A-Za-z0-9_.-]+", "-", str(value)).strip("-.")
    return s or "x"


def notebook_problem(nb_json: Any) -> str | None:
    """Why parsed JSON is not a notebook (nbformat 4 structure, checked without nbformat), or None."""
    if not isinstance(nb_json, dict):
        return "the file is JSON but not a notebook (not a JSON object)"
    cells = nb_json.get("cells")
    if not isinstance(cells, list):
        return "the file is JSON but not a notebook ('cells' is missing or not a list)"
    major = nb_json.get("nbformat")
    if not isinstance(major, int) or major < 4:
        return f"the file is JSON but not an nbformat 4 notebook ('nbformat' is {major!r})"
    if not isinstance(nb_json.get("metadata", {}), dict):
        return "the file is JSON but not a notebook ('metadata' is not an object)"
    for i, c in enumerate(cells):
        where = f"cell {i} ({i + 1}{'st' if i == 0 else 'nd' if i == 1 else 'rd' if i == 2 else 'th'})"
        if not isinstance(c, dict):
            return f"{where} is not an object"
        if c.get("cell_type") not in ("code", "markdown", "raw"):
            return f"{where} has cell_type {c.get('cell_type')!r} (expected code, markdown or raw)"
        src = c.get("source", "")
        if not (isinstance(src, str) or (isinstance(src, list) and all(isinstance(x, str) for x in src))):
            return f"{where}: 'source' must be text or a list of text"
        if not isinstance(c.get("metadata", {}), dict):
            return f"{where}: 'metadata' is not an object"
        tags = c.get("metadata", {}).get("tags", [])
        if not isinstance(tags, list):
            return f"{where}: 'metadata.tags' is not a list"
    return None


def has_code(nb_json: dict) -> bool:
    """Does the notebook have at least one code cell with something in it?"""
    for c in nb_json.get("cells", []):
        src = c.get("source", "")
        if c.get("cell_type") == "code" and ("".join(src) if isinstance(src, list) else src).strip():
            return True
    return False


def notebook_parameters(nb_json: dict) -> tuple[str, ...]:
    """Names assigned in the first cell tagged ``parameters`` (empty when there is none)."""
    for cell in nb_json.get("cells", []):
        if cell.get("cell_type") != "code" or "parameters" not in cell.get("metadata", {}).get("tags", []):
            continue
        src = cell.get("source", "")
        src = "".join(src) if isinstance(src, list) else src
        # drop IPython magics and shell escapes so that ast can parse the rest
        src = "\n".join("" if ln.lstrip().startswith(("%", "!")) else ln for ln in src.splitlines())
        try:
            tree = ast.parse(src)
        except SyntaxError:
            return ()
        names: list[str] = []
        for node in tree.body:
            targets = node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(node, ast.AnnAssign) else []
            for t in targets:
                for n in ast.walk(t):
                    if isinstance(n, ast.Name) and n.id not in names:
                        names.append(n.id)
        return tuple(names)
    return ()


def _format_title(template: str, values: dict[str, Any], where: str) -> str:
    try:
        return template.format_map(values)
    except (KeyError, IndexError, ValueError) as exc:
        raise ManifestError(f"{where}: cannot fill title {template!r}: {exc!r}") from None


def _resolve_csv(spec: str, manifest_dir: Path, data_dir: Path) -> Path:
    p = Path(spec)
    if p.is_absolute():
        return p
    parts = p.parts
    if parts and parts[0] == "data":
        return data_dir.joinpath(*parts[1:])
    return data_dir / p


def _read_toml(path: Path) -> dict:
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ManifestError(f"{path}: manifest not found") from None
    except tomllib.TOMLDecodeError as exc:
        raise ManifestError(f"{path}: not valid TOML: {exc}") from None
    unknown = set(raw) - _TOP_KEYS
    if unknown:
        raise ManifestError(f"{path}: unknown top-level key(s): {', '.join(sorted(unknown))}")
    entries = raw.get("page", [])
    if not isinstance(entries, list) or not entries:
        raise ManifestError(f"{path}: no pages (add [[page]] tables)")
    if not isinstance(raw.get("sections", {}), dict):
        raise ManifestError(f"{path}: [sections] must be a table of id = \"heading\"")
    return raw


def _entry_name(e: Any, i: int, path: Path) -> str:
    where = f"{path}: page #{i}"
    if not isinstance(e, dict):
        raise ManifestError(f"{where}: must be a table")
    unknown = set(e) - _ENTRY_KEYS
    if unknown:
        raise ManifestError(f"{where}: unknown key(s): {', '.join(sorted(unknown))}")
    for key in ("name", "notebook"):
        if not isinstance(e.get(key), str) or not e[key]:
            raise ManifestError(f"{where}: '{key}' is required")
    if not _NAME_RE.match(e["name"]):
        raise ManifestError(f"{path}: page {e['name']!r}: name may hold only letters, digits, '_', '.', '-'")
    return e["name"]


def _entry_settings(e: dict, where: str) -> tuple[dict, bool, dict[str, str], dict[str, tuple[str, ...]]]:
    """(parameters, results, rows, columns) of a manifest entry, each checked."""
    params = e.get("parameters", {})
    if not isinstance(params, dict):
        raise ManifestError(f"{where}: 'parameters' must be a table")
    bad = [p for p in params if p in RESERVED_PARAMETERS]
    if bad:
        raise ManifestError(f"{where}: {bad[0]!r} is set by the pipeline")
    results = e.get("results", True)
    if not isinstance(results, bool):
        raise ManifestError(f"{where}: 'results' must be true or false")
    rows = e.get("rows", {})
    if not isinstance(rows, dict) or not all(isinstance(k, str) and isinstance(v, str) and v
                                             for k, v in rows.items()):
        raise ManifestError(f"{where}: 'rows' must be a table of table = \"column\", "
                            "e.g. { claims = \"article_id\" }")
    cols = e.get("columns", {})
    if not isinstance(cols, dict) or not all(isinstance(k, str) and isinstance(v, str) and v.strip()
                                             for k, v in cols.items()):
        raise ManifestError(f"{where}: 'columns' must be a table of table = \"column1, column2\", "
                            "e.g. { claims = \"claim_id, source_ids\" }")
    columns = {}
    for table, spec in cols.items():
        try:
            columns[table] = parse_columns(spec)
        except ValueError as exc:
            raise ManifestError(f"{where}: columns.{table} = {spec!r}: {exc}") from None
    return dict(params), results, dict(rows), columns


def _read_notebook(e: dict, where: str, base: Path, nb_cache: dict) -> tuple[Path, str, tuple]:
    """(path, path as shown, (bytes, declared parameters, has code)) of an entry's notebook, read once."""
    nb_path = (base / e["notebook"]).resolve()
    shown = os.path.relpath(nb_path) if not os.path.isabs(e["notebook"]) else e["notebook"]
    if nb_path in nb_cache:
        return nb_path, shown, nb_cache[nb_path]
    try:
        nb_bytes = nb_path.read_bytes()
    except FileNotFoundError:
        raise ManifestError(f"{where}: notebook {e['notebook']} not found (looked in {base})") from None
    except IsADirectoryError:
        raise ManifestError(f"{where}: notebook {shown} is a directory, not a file") from None
    except PermissionError:
        raise ManifestError(f"{where}: notebook {shown} cannot be read (permission denied)") from None
    except OSError as exc:
        raise ManifestError(f"{where}: notebook {shown} cannot be read: {exc.strerror or exc}") from None
    try:
        nb_json = json.loads(nb_bytes)
    except (ValueError, UnicodeDecodeError) as exc:
        raise ManifestError(f"{shown}: not a notebook: not valid JSON ({exc})") from None
    problem = notebook_problem(nb_json)
    if problem:
        raise ManifestError(f"{shown}: not a notebook: {problem}")
    nb_cache[nb_path] = (nb_bytes, notebook_parameters(nb_json), has_code(nb_json))
    return nb_path, shown, nb_cache[nb_path]


def _check_rows(e: dict, where: str, rows: dict[str, str], params: dict, declared: tuple[str, ...]) -> None:
    for table, spec in rows.items():
        try:
            column, op, _ = parse_rows(spec)
        except ValueError as exc:
            raise ManifestError(f"{where}: rows.{table} = {spec!r}: {exc}") from None
        if op == "param" and column not in declared and column not in params \
                and e.get("foreach_column") != column and column not in e.get("foreach", {}):
            raise ManifestError(f"{where}: rows.{table} = {spec!r} names no parameter of the page")


def _expand_foreach(e: dict, name: str, title: str, params: dict, common: dict, where: str) -> list[Page]:
    fe = e["foreach"]
    if not isinstance(fe, dict) or not fe or not all(isinstance(v, list) for v in fe.values()):
        raise ManifestError(f"{where}: 'foreach' must be a table of lists, e.g. {{ article_id = [\"a\", \"b\"] }}")
    if len({len(v) for v in fe.values()}) != 1:
        raise ManifestError(f"{where}: the lists in 'foreach' must have the same length")
    keys = list(fe)
    pages = []
    for values in zip(*fe.values()):
        vals = dict(zip(keys, values))
        pname = name + "-" + "-".join(slug(v) for v in values)
        ptitle = (_format_title(title, vals, where) if "{" in title
                  else f"{title} ({', '.join(f'{k}={v}' for k, v in vals.items())})")
        pages.append(Page(name=pname, title=ptitle, parameters={**params, **vals}, **common))
    return pages


def _expand_csv(e: dict, name: str, title: str, params: dict, common: dict, where: str, base: Path,
                data_dir: Path) -> list[Page]:
    col = e.get("foreach_column")
    if not isinstance(col, str) or not col:
        raise ManifestError(f"{where}: 'foreach_csv' needs 'foreach_column'")
    csv_path = _resolve_csv(str(e["foreach_csv"]), base, data_dir)
    from evidence.tables import read_rows

    try:
        header, rows = read_rows(csv_path)
    except FileNotFoundError:
        raise ManifestError(f"{where}: {csv_path} not found") from None
    if rows and col not in header:
        raise ManifestError(f"{where}: {csv_path.name} has no column {col!r}")
    title_col = e.get("title_column", "title")
    pages = []
    for row in rows:
        value = (row.get(col) or "").strip()
        if not value:
            continue
        if "{" in title:
            ptitle = _format_title(title, row, where)
        else:
            ptitle = (row.get(title_col) or "").strip() or f"{title} {value}"
        pages.append(Page(name=f"{name}-{slug(value)}", title=ptitle, parameters={**params, col: value}, **common))
    return pages


def _entry_pages(e: dict, i: int, path: Path, base: Path, data_dir: Path, nb_cache: dict) -> list[Page]:
    """The pages of one manifest entry (one, or one per foreach value or CSV row)."""
    name = _entry_name(e, i, path)
    where = f"{path}: page {name!r}"
    params, results, rows, columns = _entry_settings(e, where)
    nb_path, shown, (nb_bytes, declared, code) = _read_notebook(e, where, base, nb_cache)
    if not code and results:
        raise ManifestError(f"{shown}: the notebook has no code, so page {name!r} would be empty with no "
                            "results; add its cells, or set results = false in the manifest entry if "
                            "the page is meant to have none")
    _check_rows(e, where, rows, params, declared)
    title = e.get("title", name)
    common = dict(entry=name, notebook=nb_path, section=str(e.get("section", "other")),
                  declared=declared, kernel=str(e.get("kernel", "python3")),
                  description=str(e.get("description", "")), notebook_bytes=nb_bytes,
                  results=results, rows=rows, columns=columns)
    if "foreach" in e and "foreach_csv" in e:
        raise ManifestError(f"{where}: use either 'foreach' or 'foreach_csv', not both")
    if "foreach" in e:
        return _expand_foreach(e, name, title, params, common, where)
    if "foreach_csv" in e:
        return _expand_csv(e, name, title, params, common, where, base, data_dir)
    if "foreach_column" in e:
        raise ManifestError(f"{where}: 'foreach_column' without 'foreach_csv'")
    return [Page(name=name, title=title, parameters=dict(params), **common)]


def load_manifest(path: Path | str, data_dir: Path | str) -> Manifest:
    """Parse and expand the manifest; raises :class:`ManifestError` on any problem."""
    path = Path(path)
    raw = _read_toml(path)
    base = path.parent.resolve()
    nb_cache: dict[Path, tuple[bytes, tuple[str, ...], bool]] = {}
    pages: list[Page] = []
    for i, e in enumerate(raw["page"], 1):
        pages += _entry_pages(e, i, path, base, Path(data_dir), nb_cache)
    seen: dict[str, str] = {}
    for p in pages:
        if p.name in seen:
            raise ManifestError(f"{path}: two pages are named {p.name!r} (entries {seen[p.name]!r} and {p.entry!r})")
        seen[p.name] = p.entry
    return Manifest(path=path, title=str(raw.get("title", "Report")),
                    description=str(raw.get("description", "")),
                    sections={str(k): str(v) for k, v in raw.get("sections", {}).items()}, pages=pages)


def parse_overrides(pairs: list[str] | None) -> dict[str, Any]:
    """``NAME=VALUE`` pairs; a value parses as JSON when it can, else it is a string."""
    from evidence.params import parse

    try:
        return parse(pairs, "report", reserved=RESERVED_PARAMETERS)
    except ValueError as exc:
        raise ManifestError(str(exc)) from None


def apply_overrides(pages: list[Page], overrides: dict[str, Any]) -> None:
    """Set each override on every page that declares it (manifest or notebook parameters cell)."""
    for name, value in overrides.items():
        hit = [p for p in pages if p.declares(name)]
        if not hit:
            raise ManifestError(f"-p {name}: no page declares a parameter {name!r}")
        for p in hit:
            p.parameters[name] = value


def select(pages: list[Page], only: list[str] | None) -> set[str]:
    """Names of the pages matched by ``--only`` (page names, entry names or shell globs)."""
    import fnmatch

    if not only:
        return {p.name for p in pages}
    chosen: set[str] = set()
    for pattern in only:
        hit = {p.name for p in pages
               if p.name == pattern or p.entry == pattern or fnmatch.fnmatchcase(p.name, pattern)}
        if not hit:
            raise ManifestError(f"--only {pattern}: no such page (pages: {', '.join(p.name for p in pages)})")
        chosen |= hit
    return chosen
