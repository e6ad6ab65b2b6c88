"""Reading and validating a table of studies for meta-analysis.

Three layouts are accepted (extra columns are ignored; column names are
matched case-insensitively after trimming spaces):

* counts:      ``study, events_treat, n_treat, events_ctrl, n_ctrl``
* generic:     ``study, yi, vi``
* continuous:  ``study, mean_treat, sd_treat, n_treat, mean_ctrl, sd_ctrl, n_ctrl``

:func:`validate_studies` checks a DataFrame and returns it with numeric
columns; :func:`read_studies` reads a CSV file and validates it.  Both raise
:class:`StudyDataError`, whose message names the file, the 1-based data row
(and the line of the file) and the column at fault.
"""
from __future__ import annotations

import csv
import os
from typing import Iterable, Sequence

import numpy as np
import pandas as pd

__all__ = ["LAYOUTS", "StudyDataError", "detect_kind", "read_studies", "validate_studies"]

LAYOUTS: dict[str, tuple[str, ...]] = {
    "counts": ("events_treat", "n_treat", "events_ctrl", "n_ctrl"),
    "continuous": ("mean_treat", "sd_treat", "n_treat", "mean_ctrl", "sd_ctrl", "n_ctrl"),
    "generic": ("yi", "vi"),
}
_BINARY = {"OR", "RR", "RD"}
_CONT = {"SMD", "MD"}


class StudyDataError(ValueError):
    """Invalid input table.  ``path``, ``row`` (1-based data row), ``line`` and
    ``column`` locate the problem when known; ``problem`` is the bare reason."""

    def __init__(self, problem: str, *, path: str | None = None, row: int | None = None,
                 line: int | None = None, column: str | None = None, column_in_problem: bool = False):
        self.problem, self.path, self.row, self.line, self.column = problem, path, row, line, column
        where = []
        if line is not None and row is not None:
            where.append(f"line {line} (data row {row})")
        elif row is not None:
            where.append(f"data row {row}")
        elif line is not None:
            where.append(f"line {line}")
        if column is not None and not column_in_problem:
            where.append(f"column '{column}'")
        loc = ", ".join(where)
        prefix = f"{path}: " if path else ""
        super().__init__(f"{prefix}{loc}: {problem}" if loc else f"{prefix}{problem}")


def _layout_text() -> str:
    return "; or ".join("study," + ",".join(cols) for cols in LAYOUTS.values())


def detect_kind(columns: Iterable[str], measure: str | None = None, path: str | None = None) -> str:
    """Which layout the columns hold: ``"counts"``, ``"continuous"`` or ``"generic"``.

    With a ``measure``, the layout that fits it is preferred (OR/RR/RD →
    counts, SMD/MD → continuous, otherwise yi/vi).  Raises
    :class:`StudyDataError` naming the missing column(s) of the closest layout.
    """
    cols = {str(c).strip().lower() for c in columns}
    have = {kind: set(req) <= cols for kind, req in LAYOUTS.items()}
    m = (measure or "").upper()
    if m in _BINARY and have["counts"]:
        return "counts"
    if m in _CONT and have["continuous"]:
        return "continuous"
    if have["generic"]:
        return "generic"
    for kind in ("counts", "continuous"):
        if have[kind]:
            return kind
    # Nothing complete: report the missing columns of the closest layout.
    pref = "counts" if m in _BINARY else "continuous" if m in _CONT else "generic" if m else None

    def score(kind):
        return (len(set(LAYOUTS[kind]) & cols) / len(LAYOUTS[kind]), kind == pref)

    best = max(LAYOUTS, key=score)
    missing = [c for c in LAYOUTS[best] if c not in cols]
    if not set(LAYOUTS[best]) & cols:
        raise StudyDataError(
            f"no recognised columns; expected {_layout_text()} (found: {', '.join(sorted(cols)) or 'none'})",
            path=path,
        )
    names = ", ".join(f"'{c}'" for c in missing)
    raise StudyDataError(
        f"missing column{'s' if len(missing) > 1 else ''} {names} (expected {_layout_text()})",
        path=path, column=missing[0], column_in_problem=True,
    )


def _numeric(series: pd.Series) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Parse a column: returns (values, missing mask, not-a-number mask)."""
    s = series
    if s.dtype == object or pd.api.types.is_string_dtype(s.dtype):
        s = s.map(lambda x: x.strip() if isinstance(x, str) else x)
        missing = s.isna().to_numpy() | (s == "").to_numpy()
    else:
        missing = s.isna().to_numpy()
    vals = pd.to_numeric(s.where(~missing, np.nan), errors="coerce").to_numpy(dtype=float)
    nan_parsed = np.isnan(vals) & ~missing
    infinite = np.isinf(vals)
    return vals, missing, nan_parsed | infinite


def validate_studies(
    df: pd.DataFrame,
    kind: str | None = None,
    *,
    measure: str | None = None,
    path: str | None = None,
    lines: Sequence[int] | None = None,
    require_study: bool = False,
) -> pd.DataFrame:
    """Check a table of studies and return it with a ``study`` column and float columns.

    Checks, per cell: present (not blank), a finite number, counts and arm
    sizes whole numbers, arm sizes > 0 (≥ 2 for means/SDs), 0 ≤ events ≤ n,
    SDs ≥ 0 and not both 0, ``vi`` > 0.  The first offending cell (by row, then
    column) is reported as a :class:`StudyDataError`.  ``lines`` gives the file
    line of each row (for messages); without it only the data row is named.
    """
    if df is None or len(df.columns) == 0:
        raise StudyDataError("no columns", path=path)
    rename = {c: str(c).strip().lower() for c in df.columns}
    df = df.rename(columns=rename)
    if df.columns.duplicated().any():
        dup = df.columns[df.columns.duplicated()][0]
        raise StudyDataError("duplicate column", path=path, column=dup)
    if kind is None:
        kind = detect_kind(df.columns, measure, path)
    elif not set(LAYOUTS[kind]) <= set(df.columns):
        missing = [c for c in LAYOUTS[kind] if c not in df.columns]
        names = ", ".join(f"'{c}'" for c in missing)
        raise StudyDataError(f"missing column{'s' if len(missing) > 1 else ''} {names}", path=path, column=missing[0],
                             column_in_problem=True)
    if require_study and "study" not in df.columns:
        raise StudyDataError(f"missing column 'study' (expected {_layout_text()})", path=path, column="study",
                             column_in_problem=True)
    if len(df) == 0:
        raise StudyDataError("no data rows", path=path)

    problems: list[tuple[int, int, str, str]] = []  # (row index, column order, column, problem)
    order = (["study"] if "study" in df.columns else []) + list(LAYOUTS[kind])
    out = pd.DataFrame(index=df.index)

    if "study" in df.columns:
        st = df["study"]
        blank = st.isna().to_numpy() | st.map(lambda x: isinstance(x, str) and not x.strip()).to_numpy()
        for i in np.flatnonzero(blank)[:1]:
            problems.append((int(i), 0, "study", "missing study label"))
        out["study"] = st.map(lambda x: x.strip() if isinstance(x, str) else x).astype(object)
    else:
        out["study"] = [str(i + 1) for i in range(len(df))]

    vals: dict[str, np.ndarray] = {}
    for j, col in enumerate(LAYOUTS[kind], start=1):
        v, missing, bad = _numeric(df[col])
        vals[col] = v
        for i in np.flatnonzero(missing)[:1]:
            problems.append((int(i), j, col, "missing value"))
        for i in np.flatnonzero(bad)[:1]:
            raw = df[col].iloc[i]
            problems.append((int(i), j, col, f"not a finite number: {str(raw).strip()!r}"))

    def flag(mask: np.ndarray, col: str, text) -> None:
        idx = np.flatnonzero(np.nan_to_num(mask, nan=0).astype(bool))
        if idx.size:
            i = int(idx[0])
            problems.append((i, order.index(col), col, text(i) if callable(text) else text))

    with np.errstate(invalid="ignore"):
        ncols = [c for c in LAYOUTS[kind] if c.startswith(("n_", "events_"))]
        for col in ncols:
            v = vals[col]
            flag(np.isfinite(v) & (v != np.round(v)), col, lambda i, v=v: f"must be a whole number, got {v[i]:g}")
            flag(np.isfinite(v) & (v < 0), col, lambda i, v=v: f"must not be negative, got {v[i]:g}")
        min_n = 2 if kind == "continuous" else 1
        for col in ("n_treat", "n_ctrl"):
            if col in vals:
                v = vals[col]
                flag(np.isfinite(v) & (v >= 0) & (v < min_n), col,
                     lambda i, v=v: f"arm size must be at least {min_n}, got {v[i]:g}")
        if kind == "counts":
            for ev, n in (("events_treat", "n_treat"), ("events_ctrl", "n_ctrl")):
                e, nn = vals[ev], vals[n]
                flag(np.isfinite(e) & np.isfinite(nn) & (nn >= 1) & (nn == np.round(nn)) & (e > nn), ev,
                     lambda i, e=e, nn=nn, n=n: f"events ({e[i]:g}) exceed the arm size {n} ({nn[i]:g})")
        elif kind == "continuous":
            for col in ("sd_treat", "sd_ctrl"):
                v = vals[col]
                flag(np.isfinite(v) & (v < 0), col, lambda i, v=v: f"SD must not be negative, got {v[i]:g}")
            s1, s2 = vals["sd_treat"], vals["sd_ctrl"]
            flag((s1 == 0) & (s2 == 0), "sd_treat", "both SDs are 0; the effect is not defined")
        else:
            v = vals["vi"]
            flag(np.isfinite(v) & (v <= 0), "vi", lambda i, v=v: f"sampling variance must be > 0, got {v[i]:g}")

    if problems:
        i, _, col, text = min(problems, key=lambda p: (p[0], p[1]))
        line = int(lines[i]) if lines is not None else None
        raise StudyDataError(text, path=path, row=i + 1, line=line, column=col)

    for col in LAYOUTS[kind]:
        out[col] = vals[col]
    out = out.reset_index(drop=True)
    out.attrs["kind"] = kind
    return out


def read_studies(path: str | os.PathLike, measure: str | None = None) -> tuple[pd.DataFrame, str]:
    """Read and validate a CSV table of studies; returns ``(table, kind)``.

    Every failure (unreadable or empty file, ragged rows, missing column, bad
    cell) raises :class:`StudyDataError` naming the file, line/row and column.
    """
    p = os.fspath(path)
    from evidence.tables import iter_csv  # the one place that opens CSV files

    records: list[list[str]] = []
    starts: list[int] = []
    header: list[str] | None = None
    header_line = 0
    try:
        for start, rec in iter_csv(p):   # blank lines are skipped
            if header is None:
                header, header_line = rec, start
                continue
            records.append(rec)
            starts.append(start)
    except FileNotFoundError:
        raise StudyDataError("cannot read file: no such file", path=p) from None
    except IsADirectoryError:
        raise StudyDataError("cannot read file: it is a directory", path=p) from None
    except PermissionError:
        raise StudyDataError("cannot read file: permission denied", path=p) from None
    except UnicodeDecodeError as e:
        raise StudyDataError(f"cannot read file: not UTF-8 text ({e.reason} at byte {e.start})", path=p) from None
    except csv.Error as e:
        raise StudyDataError(f"malformed CSV: {e}", path=p, line=getattr(e, "line", None)) from None
    except OSError as e:
        raise StudyDataError(f"cannot read file: {e.strerror or e}", path=p) from None
    if header is None:
        raise StudyDataError("empty file (no header row)", path=p)
    header = [h.strip() for h in header]
    if any(not h for h in header):
        raise StudyDataError(f"empty column name in the header (column {header.index('') + 1})", path=p, line=header_line)
    width = len(header)
    for i, (rec, ln) in enumerate(zip(records, starts)):
        if len(rec) != width:
            raise StudyDataError(
                f"expected {width} fields as in the header, found {len(rec)}", path=p, row=i + 1, line=ln
            )
    if not records:
        raise StudyDataError("no data rows (header only)", path=p)
    frame = pd.DataFrame(records, columns=header, dtype=object)
    kind = detect_kind(frame.columns, measure, p)
    table = validate_studies(frame, kind, path=p, lines=starts, require_study=True)
    return table, kind
