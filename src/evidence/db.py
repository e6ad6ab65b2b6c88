"""Load the curated evidence base in ``data/`` with the types its schema declares.

``data/datapackage.json`` (a Frictionless Data Package) is the single source of
truth for tables, columns, types and constraints. This module reads each CSV
with the standard :mod:`csv` module, so every value keeps the line number it
came from, and converts it to the declared type. Anything that does not fit
becomes an :class:`Issue` naming file, line, column and rule; nothing is
silently coerced.

>>> db = load_db()                       # doctest: +SKIP
>>> db.outcomes.loc["taylor2018_lsas_response", "events_treat"]   # doctest: +SKIP
"""
from __future__ import annotations

import csv
import json
import os
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pandas is imported when a table is turned into a frame, not at CLI start-up
    import pandas as pd

#: tables in load order (parents before children)
TABLES = ("articles", "sources", "outcomes", "estimates", "prevalence", "facts", "claims")


def default_data_dir() -> Path:
    """``$EVIDENCE_DATA`` if set, else ``data/`` of the repository this package lives in,
    else ``./data``."""
    env = os.environ.get("EVIDENCE_DATA")
    if env:
        return Path(env)
    here = Path(__file__).resolve()
    for parent in here.parents:
        if (parent / "data" / "datapackage.json").is_file():
            return parent / "data"
    return Path.cwd() / "data"


@dataclass(frozen=True, order=True)
class Issue:
    """One problem in the data: where it is and which rule it breaks."""

    file: str
    line: int  # 1-based line in the file (header is line 1); 0 = whole file
    column: str
    rule: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        col = f" column '{self.column}'" if self.column else ""
        return f"{where}:{col} [{self.rule}] {self.message}"

    def to_dict(self) -> dict[str, Any]:
        return {"file": self.file, "line": self.line, "column": self.column, "rule": self.rule, "message": self.message}


class DataError(Exception):
    """Raised by :func:`load_db` when the data break the schema or the cross-table rules."""

    def __init__(self, issues: list[Issue]):
        self.issues = sorted(issues)
        head = "\n".join(str(i) for i in self.issues[:20])
        more = f"\n... and {len(self.issues) - 20} more" if len(self.issues) > 20 else ""
        super().__init__(f"{len(self.issues)} data error(s):\n{head}{more}")


class SchemaError(ValueError):
    """datapackage.json parses as JSON but is not a usable Data Package."""


def read_schema(data_dir: Path) -> dict[str, dict]:
    """Return ``{table name: resource}`` from ``datapackage.json``; SchemaError if its structure is wrong."""
    path = Path(data_dir) / "datapackage.json"
    with open(path, encoding="utf-8") as fh:
        package = json.load(fh)
    resources = package.get("resources") if isinstance(package, dict) else None
    if not isinstance(resources, list):
        raise SchemaError("no 'resources' list")
    out = {}
    for i, r in enumerate(resources):
        fields = r.get("schema", {}).get("fields") if isinstance(r, dict) and isinstance(r.get("schema"), dict) else None
        if not isinstance(r, dict) or not r.get("name") or not r.get("path") or not isinstance(fields, list) \
                or not all(isinstance(f, dict) and f.get("name") and f.get("type") for f in fields):
            name = r.get("name") if isinstance(r, dict) else None
            raise SchemaError(f"resource {i} ({name or 'unnamed'}) needs a name, a path and schema.fields with name and type")
        out[r["name"]] = r
    return out


_TRUE = {"true", "yes", "1"}
_FALSE = {"false", "no", "0"}


def _convert(raw: str, type_: str) -> Any:
    """Convert one CSV cell; raise ValueError with a short reason."""
    if type_ == "string":
        return raw
    if type_ == "integer":
        try:
            return int(raw)
        except ValueError:
            raise ValueError(f"{raw!r} is not a whole number") from None
    if type_ == "number":
        try:
            value = float(raw)
        except ValueError:
            raise ValueError(f"{raw!r} is not a number") from None
        if value != value or value in (float("inf"), float("-inf")):
            raise ValueError(f"{raw!r} is not a finite number")
        return value
    if type_ == "boolean":
        low = raw.strip().lower()
        if low in _TRUE:
            return True
        if low in _FALSE:
            return False
        raise ValueError(f"{raw!r} is not true/false")
    raise ValueError(f"unknown type {type_!r} in schema")


@dataclass
class Table:
    """One table as read: typed records, raw strings and line numbers."""

    name: str
    file: str
    fields: list[dict]
    records: list[dict] = field(default_factory=list)
    raw: list[dict] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)

    @property
    def key(self) -> str:
        return self.fields[0]["name"]

    def frame(self) -> pd.DataFrame:
        import pandas as pd

        cols = [f["name"] for f in self.fields]
        df = pd.DataFrame.from_records(self.records, columns=cols)
        for f in self.fields:
            if f["type"] == "integer":
                df[f["name"]] = df[f["name"]].astype("Int64")
            elif f["type"] == "number":
                df[f["name"]] = df[f["name"]].astype("float64")
            elif f["type"] == "boolean":
                df[f["name"]] = df[f["name"]].astype("boolean")
        df.insert(0, "_line", pd.Series(self.lines, dtype="int64"))
        return df.set_index(self.key, drop=False)


def read_table(data_dir: Path, resource: dict, issues: list[Issue]) -> Table:
    """Read one CSV against its schema, appending problems to ``issues``."""
    data_dir = Path(data_dir)
    rel = resource["path"]
    fields = resource["schema"]["fields"]
    table = Table(resource["name"], rel, fields)
    path = data_dir / rel
    if not path.is_file():
        issues.append(Issue(rel, 0, "", "file-missing", f"{rel} does not exist"))
        return table
    try:
        with open(path, encoding="utf-8", newline="") as fh:
            # strict: a quote that never closes is an error, not a cell that swallows every later row
            reader = csv.reader(fh, strict=True)
            try:
                header = next(reader)
            except StopIteration:
                issues.append(Issue(rel, 0, "", "file-empty", "the file is empty (no header row)"))
                return table
            except csv.Error as exc:
                issues.append(Issue(rel, 1, "", "csv-syntax", str(exc)))
                return table
            expected = [f["name"] for f in fields]
            if header and header[0].startswith("\ufeff"):
                issues.append(Issue(rel, 1, "", "header", "the file starts with a byte-order mark; save it as UTF-8 without BOM"))
                header = [header[0].lstrip("\ufeff")] + header[1:]
            if header != expected:
                missing = [c for c in expected if c not in header]
                extra = [c for c in header if c not in expected]
                msg = "header does not match datapackage.json"
                if missing:
                    msg += f"; missing: {', '.join(missing)}"
                if extra:
                    msg += f"; unexpected: {', '.join(extra)}"
                if not missing and not extra:
                    msg += "; columns are out of order"
                issues.append(Issue(rel, 1, "", "header", msg))
                if missing:
                    return table
            index = {name: header.index(name) for name in expected}
            while True:
                start = reader.line_num + 1
                try:
                    row = next(reader)
                except StopIteration:
                    break
                except csv.Error as exc:
                    issues.append(Issue(rel, start, "", "csv-syntax", str(exc)))
                    break
                if not row or all(not c.strip() for c in row):
                    continue
                if len(row) != len(header):
                    issues.append(Issue(rel, start, "", "row-length", f"{len(row)} cells, header has {len(header)}"))
                    continue
                rec, raw = {}, {}
                for f in fields:
                    name = f["name"]
                    cell = row[index[name]]
                    raw[name] = cell
                    cons = f.get("constraints", {})
                    if cell.strip() == "":
                        rec[name] = None
                        if cons.get("required"):
                            issues.append(Issue(rel, start, name, "required", "a value is required"))
                        continue
                    try:
                        value = _convert(cell.strip() if f["type"] != "string" else cell, f["type"])
                    except ValueError as exc:
                        issues.append(Issue(rel, start, name, "type", f"{exc} (expected {f['type']})"))
                        rec[name] = None
                        continue
                    if "enum" in cons and value not in cons["enum"]:
                        issues.append(Issue(rel, start, name, "enum", f"{value!r} is not one of: {', '.join(map(str, cons['enum']))}"))
                    if "minimum" in cons and value < cons["minimum"]:
                        issues.append(Issue(rel, start, name, "minimum", f"{value} is below the minimum {cons['minimum']}"))
                    if "maximum" in cons and value > cons["maximum"]:
                        issues.append(Issue(rel, start, name, "maximum", f"{value} is above the maximum {cons['maximum']}"))
                    rec[name] = value
                table.records.append(rec)
                table.raw.append(raw)
                table.lines.append(start)
    except UnicodeDecodeError as exc:
        issues.append(Issue(rel, 0, "", "encoding", f"not valid UTF-8 ({exc.reason} at byte {exc.start})"))
    return table


class EvidenceDB:
    """The evidence base: one typed DataFrame per table, indexed by its id column."""

    def __init__(self, data_dir: Path, tables: dict[str, Table]):
        self.data_dir = Path(data_dir)
        self._tables = tables
        for name, table in tables.items():
            setattr(self, name, table.frame())

    articles: pd.DataFrame
    sources: pd.DataFrame
    outcomes: pd.DataFrame
    estimates: pd.DataFrame
    prevalence: pd.DataFrame
    facts: pd.DataFrame
    claims: pd.DataFrame

    def table(self, name: str) -> Table:
        return self._tables[name]

    @cached_property
    def texts(self) -> dict[str, str]:
        """Article id → article text."""
        out = {}
        for aid, row in self.articles.iterrows():
            out[aid] = (self.data_dir / row["file"]).read_text(encoding="utf-8")
        return out

    def source(self, source_id: str) -> pd.Series:
        return self.sources.loc[source_id]

    def outcomes_for(self, analysis_id: str) -> pd.DataFrame:
        """Rows of outcomes.csv that enter the meta-analysis ``analysis_id``."""
        tags = self.outcomes["analysis_ids"].fillna("").str.split(";")
        mask = tags.apply(lambda ts: analysis_id in [t.strip() for t in ts])
        return self.outcomes[mask]

    def __repr__(self) -> str:
        sizes = ", ".join(f"{n}={len(getattr(self, n))}" for n in self._tables)
        return f"EvidenceDB({self.data_dir}, {sizes})"


def read_tables(data_dir: Path | None = None) -> tuple[dict[str, Table], list[Issue]]:
    """Read every table; return them with the per-cell issues found."""
    data_dir = Path(data_dir or default_data_dir())
    issues: list[Issue] = []
    try:
        schema = read_schema(data_dir)
    except FileNotFoundError:
        return {}, [Issue("datapackage.json", 0, "", "file-missing", f"no datapackage.json in {data_dir}")]
    except json.JSONDecodeError as exc:
        return {}, [Issue("datapackage.json", exc.lineno, "", "json", exc.msg)]
    except SchemaError as exc:
        return {}, [Issue("datapackage.json", 0, "", "schema", str(exc))]
    tables = {name: read_table(data_dir, schema[name], issues) for name in TABLES if name in schema}
    for name in TABLES:
        if name not in schema:
            issues.append(Issue("datapackage.json", 0, "", "schema", f"no resource named {name!r}"))
    return tables, issues


def load_db(data_dir: Path | str | None = None, *, strict: bool = True) -> EvidenceDB:
    """Load and validate the evidence base.

    With ``strict`` (the default) any validation issue raises :class:`DataError`
    listing every problem; the report and the claims commands use this.
    """
    from evidence.validate import cross_table_issues

    data_dir = Path(data_dir or default_data_dir())
    tables, issues = read_tables(data_dir)
    if tables:
        issues += cross_table_issues(data_dir, tables)
    if issues and strict:
        raise DataError(issues)
    return EvidenceDB(data_dir, tables)
