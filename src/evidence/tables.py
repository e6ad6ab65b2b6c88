"""The schema and the CSV files: ``data/`` → typed tables and the issues found while reading.

This is the bottom of the data layer (``tables`` ← ``rules`` ← ``db``) and imports nothing else
of the package. It is also the only module that opens a CSV file: every other module gets rows
from :func:`read_tables` / :class:`evidence.db.EvidenceDB`, or reads some other CSV through
:func:`read_rows`.

``data/datapackage.json`` (a Frictionless Data Package) is the single source of truth: tables,
columns, types, constraints, primary keys, unique columns and foreign keys are read from it,
never re-coded here. Each cell keeps the line it came from; anything that does not fit becomes an
:class:`Issue` naming file, line, column and rule; nothing is silently coerced.

Types: ``string``, ``integer``, ``number``, ``boolean``, ``date`` (ISO 8601, ``2025-01-17``; the
value stays that string), ``year`` (four digits; an int). A string field may carry
``"format": "year-range"`` (``2001`` or ``2001-2003``) and ``"delimiter": ";"`` (the cell is a
list of ids, e.g. ``claims.source_ids``; a foreign key on such a field checks each item).

Identifiers (primary-key, unique and foreign-key columns) must not carry spaces, non-breaking
spaces or invisible characters; each is reported at its own cell, and the value is normalised
(:func:`normalize_id`) before uniqueness and references are checked.
"""
from __future__ import annotations

import csv
import json
import os
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pandas is imported when a table is turned into a frame, not at CLI start-up
    import pandas as pd

#: tables in load order (parents before children)
TABLES = ("articles", "sources", "outcomes", "estimates", "prevalence", "facts", "claims")


# --------------------------------------------------------------------------- where the data are

class DataDirError(ValueError):
    """The data directory given (``--data`` or ``$EVIDENCE_DATA``) is not a directory."""


def _repository_data(start: Path) -> Path | None:
    for parent in (start, *start.parents):
        if (parent / "data" / "datapackage.json").is_file():
            return parent / "data"
    return None


def find_data_dir(explicit: str | Path | None = None) -> Path:
    """The data directory every command uses, found one way.

    ``explicit`` (``--data``) if given, else ``$EVIDENCE_DATA`` if set, else the ``data/`` (with a
    ``datapackage.json``) of the repository the working directory is in, else that of the
    repository this package lives in, else ``./data``. Whether it exists is checked by
    :func:`check_data_dir`, not here.
    """
    if explicit not in (None, ""):
        return Path(explicit)
    env = os.environ.get("EVIDENCE_DATA")
    if env:
        return Path(env)
    found = _repository_data(Path.cwd().resolve()) or _repository_data(Path(__file__).resolve().parent)
    return found or Path.cwd() / "data"


def check_data_dir(data_dir: str | Path) -> Path:
    """``data_dir`` as a Path; :class:`DataDirError` ("no such directory") when it is not a directory."""
    p = Path(data_dir)
    if not p.exists():
        raise DataDirError(f"data directory {p}: no such directory")
    if not p.is_dir():
        raise DataDirError(f"data directory {p}: not a directory")
    return p


# --------------------------------------------------------------------------- issues

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
    """Raised by a strict load when the data break the schema or the cross-table rules."""

    def __init__(self, issues: list[Issue]):
        self.issues = sorted(issues)
        head = "\n".join(str(i) for i in self.issues[:20])
        more = f"\n... and {len(self.issues) - 20} more" if len(self.issues) > 20 else ""
        super().__init__(f"{len(self.issues)} data error(s):\n{head}{more}")


class SchemaError(ValueError):
    """datapackage.json parses as JSON but is not a usable Data Package."""


# --------------------------------------------------------------------------- the schema

@dataclass(frozen=True)
class Field:
    name: str
    type: str
    format: str | None = None
    constraints: dict = field(default_factory=dict)
    delimiter: str | None = None  # the cell is a list of values separated by this
    identifier: bool = False       # a primary-key, unique or foreign-key column

    @property
    def required(self) -> bool:
        return bool(self.constraints.get("required"))


@dataclass(frozen=True)
class ForeignKey:
    field: str       # column of the referring table
    resource: str    # referenced table
    reference: str   # referenced column


@dataclass
class Resource:
    """One table of the Data Package, as declared."""

    name: str
    path: str
    fields: list[Field]
    primary_key: list[str]
    foreign_keys: list[ForeignKey]
    raw: dict

    @property
    def unique(self) -> list[str]:
        """Columns whose values must be unique: the primary key and every ``unique`` column."""
        out = list(self.primary_key)
        out += [f.name for f in self.fields if f.constraints.get("unique") and f.name not in out]
        return out

    def field(self, name: str) -> Field | None:
        return next((f for f in self.fields if f.name == name), None)

    # dict-style access, for code written against the raw resource
    def __getitem__(self, key: str) -> Any:
        return self.raw[key]

    def get(self, key: str, default: Any = None) -> Any:
        return self.raw.get(key, default)


def _as_list(v: Any) -> list[str]:
    if v is None:
        return []
    return [v] if isinstance(v, str) else list(v)


def parse_schema(package: Any) -> dict[str, Resource]:
    """``{table name: Resource}`` from a parsed ``datapackage.json``; SchemaError if its structure is wrong."""
    resources = package.get("resources") if isinstance(package, dict) else None
    if not isinstance(resources, list):
        raise SchemaError("no 'resources' list")
    out: dict[str, Resource] = {}
    for i, r in enumerate(resources):
        schema = r.get("schema") if isinstance(r, dict) else None
        fields = schema.get("fields") if isinstance(schema, dict) else None
        if not isinstance(r, dict) or not r.get("name") or not r.get("path") or not isinstance(fields, list) \
                or not all(isinstance(f, dict) and f.get("name") and f.get("type") for f in fields):
            name = r.get("name") if isinstance(r, dict) else None
            raise SchemaError(f"resource {i} ({name or 'unnamed'}) needs a name, a path and schema.fields with name and type")
        pk = _as_list(schema.get("primaryKey"))
        fks = []
        for fk in schema.get("foreignKeys") or []:
            try:
                (col,), ref = _as_list(fk["fields"]), fk["reference"]
                (ref_col,) = _as_list(ref["fields"])
                fks.append(ForeignKey(col, ref.get("resource") or r["name"], ref_col))
            except (KeyError, TypeError, ValueError):
                raise SchemaError(f"resource {r['name']}: a foreign key needs one field and a reference "
                                  "{resource, fields}") from None
        ids = set(pk) | {fk.field for fk in fks}
        typed = [Field(f["name"], f["type"], f.get("format"), dict(f.get("constraints") or {}), f.get("delimiter"),
                       f["name"] in ids or bool((f.get("constraints") or {}).get("unique")))
                 for f in fields]
        if not pk:
            pk = [typed[0].name]
        out[r["name"]] = Resource(r["name"], r["path"], typed, pk, fks, r)
    # a foreign key's referenced column is an identifier too
    for res in out.values():
        for fk in res.foreign_keys:
            parent = out.get(fk.resource)
            if parent is not None:
                parent.fields = [Field(f.name, f.type, f.format, f.constraints, f.delimiter, True)
                                 if f.name == fk.reference else f for f in parent.fields]
    return out


def read_schema(data_dir: str | Path) -> dict[str, Resource]:
    """``{table name: Resource}`` from ``data_dir/datapackage.json`` (FileNotFoundError, JSONDecodeError, SchemaError)."""
    with open(Path(data_dir) / "datapackage.json", encoding="utf-8") as fh:
        return parse_schema(json.load(fh))


# --------------------------------------------------------------------------- cells

#: characters that do not show, or show as a plain space, in an editor
def _invisible(ch: str) -> bool:
    return unicodedata.category(ch) in ("Cf", "Cc", "Zl", "Zp") or (ch.isspace() and ch != " ") \
        or (unicodedata.category(ch) == "Zs" and ch != " ")


def _char_name(ch: str) -> str:
    return f"U+{ord(ch):04X} {unicodedata.name(ch, 'control character')}"


def normalize_id(value: str) -> str:
    """An identifier as it is compared: NFKC, invisible characters removed, no whitespace at all."""
    v = unicodedata.normalize("NFKC", value)
    return "".join(ch for ch in v if not (_invisible(ch) or ch.isspace()))


def id_problem(value: str) -> str | None:
    """What is wrong with an identifier's characters (None when nothing)."""
    for i, ch in enumerate(value):
        if ch != " " and _invisible(ch):
            return f"{value!r} contains an invisible or non-standard space character ({_char_name(ch)}) at position {i + 1}"
    if value != value.strip(" "):
        side = "leading" if value.startswith(" ") else "trailing"
        return f"{value!r} has a {side} space"
    if " " in value:
        return f"{value!r} contains a space"
    return None


_TRUE = {"true", "yes", "1"}
_FALSE = {"false", "no", "0"}
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_YEAR = re.compile(r"\d{4}")
_YEAR_RANGE = re.compile(r"(\d{4})(?:-(\d{4}))?")


def convert(raw: str, f: Field) -> Any:
    """Convert one non-empty CSV cell to its field's type; ValueError with a short reason."""
    type_ = f.type
    if type_ == "string":
        if f.format == "year-range":
            m = _YEAR_RANGE.fullmatch(raw.strip())
            if not m:
                raise ValueError(f"{raw!r} is not a year or a year range (write 2001 or 2001-2003)")
            if m.group(2) and int(m.group(2)) < int(m.group(1)):
                raise ValueError(f"{raw!r}: the range ends before it starts")
        return raw
    s = raw.strip()
    if type_ == "integer":
        try:
            return int(s)
        except ValueError:
            raise ValueError(f"{raw!r} is not a whole number{_hint(s)}") from None
    if type_ == "number":
        try:
            value = float(s)
        except ValueError:
            raise ValueError(f"{raw!r} is not a number{_hint(s)}") from None
        if value != value or value in (float("inf"), float("-inf")):
            raise ValueError(f"{raw!r} is not a finite number")
        return value
    if type_ == "boolean":
        low = s.lower()
        if low in _TRUE:
            return True
        if low in _FALSE:
            return False
        raise ValueError(f"{raw!r} is not true/false")
    if type_ == "date":
        if not _ISO_DATE.fullmatch(s):
            raise ValueError(f"{raw!r} is not an ISO 8601 date (write YYYY-MM-DD, e.g. 2025-01-17)")
        try:
            date.fromisoformat(s)
        except ValueError:
            raise ValueError(f"{raw!r} is not a calendar date") from None
        return s
    if type_ == "year":
        if not _YEAR.fullmatch(s):
            raise ValueError(f"{raw!r} is not a four-digit year")
        return int(s)
    raise ValueError(f"unknown type {type_!r} in schema")


def _hint(s: str) -> str:
    if s.endswith("%"):
        return " (write the number without the % sign)"
    if re.fullmatch(r"\d{1,3}(,\d{3})+(\.\d+)?", s):
        return " (write it without thousands separators)"
    return ""


def check_cell(cell: str, f: Field) -> tuple[Any, list[tuple[str, str]]]:
    """(typed value or None, [(rule, message)]) for one cell against its field."""
    problems: list[tuple[str, str]] = []
    cons = f.constraints
    if cell.strip() == "":
        if cons.get("required"):
            problems.append(("required", "a value is required"))
        return None, problems
    if f.identifier:
        items = cell.split(f.delimiter) if f.delimiter else [cell]
        for item in items:
            why = id_problem(item) if item else f"{cell!r} has an empty item (two '{f.delimiter}' in a row, or one at an end)"
            if why:
                problems.append(("identifier", f"identifier {why}"))
                break
        if f.delimiter:
            cell = f.delimiter.join(normalize_id(x) for x in cell.split(f.delimiter) if normalize_id(x))
        else:
            cell = normalize_id(cell)
        if not cell:
            if cons.get("required"):
                problems.append(("required", "a value is required"))
            return None, problems
    try:
        value = convert(cell, f)
    except ValueError as exc:
        problems.append(("type", f"{exc} (expected {f.type}{', ' + f.format if f.format else ''})"))
        return None, problems
    if "enum" in cons and value not in cons["enum"]:
        problems.append(("enum", f"{value!r} is not one of: {', '.join(map(str, cons['enum']))}"))
    if "minimum" in cons and value < cons["minimum"]:
        problems.append(("minimum", f"{value} is below the minimum {cons['minimum']}"))
    if "maximum" in cons and value > cons["maximum"]:
        problems.append(("maximum", f"{value} is above the maximum {cons['maximum']}"))
    if "pattern" in cons and isinstance(value, str) and not re.fullmatch(cons["pattern"], value):
        problems.append(("pattern", f"{value!r} does not match the pattern {cons['pattern']}"))
    return value, problems


def _fits(cell: str, f: Field) -> bool:
    return not check_cell(cell, f)[1]


def misaligned_column(row: list[str], fields: list[Field]) -> tuple[list[str], str]:
    """Where a row with the wrong number of cells stops matching the header.

    Returns (candidate columns, most likely first; short description). With extra cells (an unquoted
    comma) the candidates are the columns that, taking the extra cells, let every column to their left
    and every column to their right (read from the end of the row) fit its declared type; with too few
    cells, the columns that may be missing. One candidate names the column outright.
    """
    n, d = len(fields), len(row) - len(fields)
    cands: list[str] = []
    if d > 0:
        left_ok = [True]
        for j in range(n):
            left_ok.append(left_ok[-1] and _fits(row[j], fields[j]))
        right_ok = [True] * (n + 1)      # right_ok[j]: columns j.. fit when read from the end
        for j in range(n - 1, -1, -1):
            right_ok[j] = right_ok[j + 1] and _fits(row[j + d], fields[j])
        fit = [j for j in range(n) if left_ok[j] and right_ok[j + 1]]
        # most likely first: a column whose cells, joined again, make a valid value (the mistaken value
        # may be invalid itself, so the others stay candidates)
        joined = [j for j in fit if _fits(",".join(row[j:j + d + 1]), fields[j])]
        cands = [fields[j].name for j in joined + [j for j in fit if j not in joined]]
        what = f"{len(row)} cells, header has {n}: an unquoted comma"
    elif d < 0:
        k = -d
        left_ok = [True]
        for j in range(len(row)):
            left_ok.append(left_ok[-1] and _fits(row[j], fields[j]))
        right_ok = [True] * (len(row) + 1)
        for j in range(len(row) - 1, -1, -1):
            right_ok[j] = right_ok[j + 1] and _fits(row[j], fields[j + k])
        for j in range(len(row) + 1):
            if left_ok[j] and right_ok[j] and all(not fields[c].required for c in range(j, j + k)):
                cands.append(fields[j].name)
        what = f"{len(row)} cells, header has {n}: a missing cell"
    else:
        return [], ""
    return cands, what


# --------------------------------------------------------------------------- tables

@dataclass
class Table:
    """One table as read: typed records, raw strings and line numbers."""

    name: str
    file: str
    fields: list[Field]
    records: list[dict] = field(default_factory=list)
    raw: list[dict] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)
    resource: Resource | None = None
    unread: dict[str, int] = field(default_factory=dict)   # key -> line of a row too long or short to read

    @property
    def key(self) -> str:
        """The primary-key column (datapackage.json ``primaryKey``)."""
        if self.resource is not None and self.resource.primary_key:
            return self.resource.primary_key[0]
        return self.fields[0].name

    @property
    def columns(self) -> list[str]:
        return [f.name for f in self.fields]

    def __len__(self) -> int:
        return len(self.records)

    def raw_dicts(self, blank: Any = None) -> list[dict]:
        """Each row's cells as read (strings), blank cells as ``blank``; identifiers normalised."""
        ids = {f.name for f in self.fields if f.identifier}
        return [{k: (rec[k] if k in ids and rec[k] is not None else (v if v.strip() != "" else blank))
                 for k, v in raw.items()} for rec, raw in zip(self.records, self.raw)]

    def frame(self) -> pd.DataFrame:
        import pandas as pd

        cols = self.columns
        df = pd.DataFrame.from_records(self.records, columns=cols)
        for f in self.fields:
            if f.type in ("integer", "year"):
                df[f.name] = df[f.name].astype("Int64")
            elif f.type == "number":
                df[f.name] = df[f.name].astype("float64")
            elif f.type == "boolean":
                df[f.name] = df[f.name].astype("boolean")
        df.insert(0, "_line", pd.Series(self.lines, dtype="int64"))
        return df.set_index(self.key, drop=False)


def _header_issue(rel: str, header: list[str], expected: list[str]) -> tuple[Issue, bool]:
    missing = [c for c in expected if c not in header]
    extra = [c for c in header if c not in expected]
    msg = "header does not match datapackage.json"
    if missing:
        msg += f"; missing: {', '.join(missing)}"
    if extra:
        msg += f"; unexpected: {', '.join(extra)}"
    column = ""
    if not missing and not extra:
        i = next(i for i, (a, b) in enumerate(zip(header, expected)) if a != b)
        column = expected[i]
        msg += f"; columns are out of order: column {i + 1} is {header[i]!r}, datapackage.json has {expected[i]!r} there"
    elif extra:
        column = extra[0]
    elif missing:
        column = missing[0]
    return Issue(rel, 1, column, "header", msg), bool(missing)


def read_table(data_dir: str | Path, resource: Resource, issues: list[Issue]) -> Table:
    """Read one CSV against its schema, appending problems to ``issues``."""
    rel = resource.path
    fields = resource.fields
    table = Table(resource.name, rel, fields, resource=resource)
    path = Path(data_dir) / rel
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
            expected = [f.name for f in fields]
            if header and header[0].startswith("\ufeff"):
                issues.append(Issue(rel, 1, "", "header", "the file starts with a byte-order mark; save it as UTF-8 without BOM"))
                header = [header[0].lstrip("\ufeff")] + header[1:]
            if header != expected:
                issue, fatal = _header_issue(rel, header, expected)
                issues.append(issue)
                if fatal:
                    return table
            index = {name: header.index(name) for name in expected}
            by_pos = [next(f for f in fields if f.name == h) for h in header] if header == expected else None
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
                    cands, what = misaligned_column(row, by_pos) if by_pos else ([], f"{len(row)} cells, header has {len(header)}")
                    if len(cands) == 1:
                        msg = f"{what} in column '{cands[0]}' (the cells after it no longer match the header)"
                    elif cands:
                        msg = (f"{what} in column '{cands[0]}' or in one of {', '.join(repr(c) for c in cands[1:])} "
                               "(the cells after it no longer match the header)")
                    else:
                        msg = f"{len(row)} cells, header has {len(header)}"
                    issues.append(Issue(rel, start, cands[0] if cands else "", "row-length", msg))
                    key = index.get(table.key)
                    if key is not None and key < len(row) and (not cands or cands[0] != table.key):
                        table.unread[normalize_id(row[key])] = start     # its references are not reported again
                    continue
                rec, raw = {}, {}
                for f in fields:
                    cell = row[index[f.name]]
                    raw[f.name] = cell
                    value, problems = check_cell(cell, f)
                    rec[f.name] = value
                    issues.extend(Issue(rel, start, f.name, rule, msg) for rule, msg in problems)
                table.records.append(rec)
                table.raw.append(raw)
                table.lines.append(start)
    except UnicodeDecodeError as exc:
        issues.append(Issue(rel, 0, "", "encoding", f"not valid UTF-8 ({exc.reason} at byte {exc.start})"))
    return table


def read_tables(data_dir: str | Path | None = None) -> tuple[dict[str, Table], list[Issue]]:
    """Every table of the Data Package, with the per-cell issues found."""
    data_dir = Path(data_dir) if data_dir is not None else find_data_dir()
    if not data_dir.is_dir():
        return {}, [Issue(str(data_dir), 0, "", "file-missing", f"data directory {data_dir}: no such directory")]
    issues: list[Issue] = []
    try:
        schema = read_schema(data_dir)
    except FileNotFoundError:
        return {}, [Issue("datapackage.json", 0, "", "file-missing", f"no datapackage.json in {data_dir}")]
    except UnicodeDecodeError as exc:
        return {}, [Issue("datapackage.json", 0, "", "encoding", f"not valid UTF-8 ({exc.reason})")]
    except json.JSONDecodeError as exc:
        return {}, [Issue("datapackage.json", exc.lineno, "", "json", exc.msg)]
    except SchemaError as exc:
        return {}, [Issue("datapackage.json", 0, "", "schema", str(exc))]
    tables = {name: read_table(data_dir, schema[name], issues) for name in TABLES if name in schema}
    for name in TABLES:
        if name not in schema:
            issues.append(Issue("datapackage.json", 0, "", "schema", f"no resource named {name!r}"))
    return tables, issues


# --------------------------------------------------------------------------- any other CSV

def read_rows(path: str | Path) -> tuple[list[str], list[dict[str, str]]]:
    """(header, rows as dicts of strings) of any CSV file (a byte-order mark is dropped).

    For CSVs outside the Data Package (a manifest's ``foreach_csv``); raises OSError,
    UnicodeDecodeError or csv.Error.
    """
    with open(path, encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        rows = list(reader)
        return list(reader.fieldnames or []), rows


def count_rows(path: str | Path) -> int | None:
    """Data rows of a CSV file (header excluded); None when it cannot be read."""
    try:
        with open(path, encoding="utf-8-sig", newline="") as fh:
            return max(sum(1 for _ in csv.reader(fh)) - 1, 0)
    except (OSError, csv.Error, UnicodeDecodeError):
        return None


def iter_csv(path: str | Path) -> Iterator[tuple[int, list[str]]]:
    """(line the row starts on, cells) for each non-blank row of any CSV file (a byte-order mark is dropped).

    For CSVs outside the Data Package (``evidence meta``'s table of studies). Raises OSError,
    UnicodeDecodeError, or csv.Error with the attribute ``line``.
    """
    with open(path, newline="", encoding="utf-8-sig") as fh:
        yield from _rows_with_lines(csv.reader(fh))


def iter_csv_text(text: str, delimiter: str = ",") -> Iterator[tuple[int, list[str]]]:
    """As :func:`iter_csv`, for text already read (e.g. standard input) split at ``delimiter``."""
    import io

    yield from _rows_with_lines(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))


def _rows_with_lines(reader) -> Iterator[tuple[int, list[str]]]:
    """The non-blank rows of a csv reader with the line each starts on; a csv.Error carries ``line``."""
    last = 0
    while True:
        start = last + 1
        try:
            rec = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            exc.line = reader.line_num
            raise
        last = reader.line_num
        if rec and any(c.strip() for c in rec):
            yield start, rec
