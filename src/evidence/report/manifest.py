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
               "rows"}
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


def load_manifest(path: Path | str, data_dir: Path | str) -> Manifest:
    """Parse and expand the manifest; raises :class:`ManifestError` on any problem."""
    path = Path(path)
    data_dir = Path(data_dir)
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
    sections = raw.get("sections", {})
    if not isinstance(sections, dict):
        raise ManifestError(f"{path}: [sections] must be a table of id = \"heading\"")
    base = path.parent.resolve()
    nb_cache: dict[Path, tuple[bytes, tuple[str, ...]]] = {}
    pages: list[Page] = []
    for i, e in enumerate(entries, 1):
        where = f"{path}: page #{i}"
        if not isinstance(e, dict):
            raise ManifestError(f"{where}: must be a table")
        unknown = set(e) - _ENTRY_KEYS
        if unknown:
            raise ManifestError(f"{where}: unknown key(s): {', '.join(sorted(unknown))}")
        for key in ("name", "notebook"):
            if not isinstance(e.get(key), str) or not e[key]:
                raise ManifestError(f"{where}: '{key}' is required")
        name = e["name"]
        where = f"{path}: page {name!r}"
        if not _NAME_RE.match(name):
            raise ManifestError(f"{where}: name may hold only letters, digits, '_', '.', '-'")
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
        nb_path = (base / e["notebook"]).resolve()
        shown = os.path.relpath(nb_path) if not os.path.isabs(e["notebook"]) else e["notebook"]
        if nb_path not in nb_cache:
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
        nb_bytes, declared, code = nb_cache[nb_path]
        if not code and results:
            raise ManifestError(f"{shown}: the notebook has no code, so page {name!r} would be empty with no "
                                "results; add its cells, or set results = false in the manifest entry if "
                                "the page is meant to have none")
        for table, spec in rows.items():
            try:
                column, op, _ = parse_rows(spec)
            except ValueError as exc:
                raise ManifestError(f"{where}: rows.{table} = {spec!r}: {exc}") from None
            if op == "param" and column not in declared and column not in params \
                    and e.get("foreach_column") != column and column not in e.get("foreach", {}):
                raise ManifestError(f"{where}: rows.{table} = {spec!r} names no parameter of the page")
        title = e.get("title", name)
        common = dict(entry=name, notebook=nb_path, section=str(e.get("section", "other")),
                      declared=declared, kernel=str(e.get("kernel", "python3")),
                      description=str(e.get("description", "")), notebook_bytes=nb_bytes,
                      results=results, rows=dict(rows))

        if "foreach" in e and "foreach_csv" in e:
            raise ManifestError(f"{where}: use either 'foreach' or 'foreach_csv', not both")
        if "foreach" in e:
            fe = e["foreach"]
            if not isinstance(fe, dict) or not fe or not all(isinstance(v, list) for v in fe.values()):
                raise ManifestError(f"{where}: 'foreach' must be a table of lists, e.g. {{ article_id = [\"a\", \"b\"] }}")
            lengths = {len(v) for v in fe.values()}
            if len(lengths) != 1:
                raise ManifestError(f"{where}: the lists in 'foreach' must have the same length")
            keys = list(fe)
            for values in zip(*fe.values()):
                vals = dict(zip(keys, values))
                pname = name + "-" + "-".join(slug(v) for v in values)
                ptitle = (_format_title(title, vals, where) if "{" in title
                          else f"{title} ({', '.join(f'{k}={v}' for k, v in vals.items())})")
                pages.append(Page(name=pname, title=ptitle, parameters={**params, **vals}, **common))
        elif "foreach_csv" in e:
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
            for row in rows:
                value = (row.get(col) or "").strip()
                if not value:
                    continue
                pname = f"{name}-{slug(value)}"
                if "{" in title:
                    ptitle = _format_title(title, row, where)
                else:
                    ptitle = (row.get(title_col) or "").strip() or f"{title} {value}"
                pages.append(Page(name=pname, title=ptitle, parameters={**params, col: value}, **common))
        else:
            if "foreach_column" in e:
                raise ManifestError(f"{where}: 'foreach_column' without 'foreach_csv'")
            pages.append(Page(name=name, title=title, parameters=dict(params), **common))

    seen: dict[str, str] = {}
    for p in pages:
        if p.name in seen:
            raise ManifestError(f"{path}: two pages are named {p.name!r} (entries {seen[p.name]!r} and {p.entry!r})")
        seen[p.name] = p.entry
    return Manifest(path=path, title=str(raw.get("title", "Report")),
                    description=str(raw.get("description", "")),
                    sections={str(k): str(v) for k, v in sections.items()}, pages=pages)


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
