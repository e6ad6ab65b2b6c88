"""The evidence base in ``data/``: typed tables (:mod:`evidence.tables`) checked by the cross-table
rules (:mod:`evidence.rules`), as one object every other module reads rows from.

The data layer is ``tables`` ← ``rules`` ← ``db``: each imports only the ones to its left.

>>> db = load_db()                       # doctest: +SKIP   strict: DataError on any issue
>>> db = load_db(strict=False)           # doctest: +SKIP   lenient: what could be read, with db.issues
>>> db.outcomes.loc["taylor2018_lsas_response", "events_treat"]   # doctest: +SKIP
"""
from __future__ import annotations

from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from evidence.rules import cross_table_issues
from evidence.tables import (TABLES, DataDirError, DataError, Issue, SchemaError, Table, check_data_dir,
                             find_data_dir, read_schema, read_table, read_tables)

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["TABLES", "DataDirError", "DataError", "EvidenceDB", "Issue", "SchemaError", "Table", "check_data_dir",
           "default_data_dir", "find_data_dir", "load_db", "read_schema", "read_table", "read_tables", "validate_data"]


def default_data_dir() -> Path:
    """The data directory when none is given: see :func:`evidence.tables.find_data_dir`."""
    return find_data_dir()


class EvidenceDB:
    """The evidence base: one typed DataFrame per table, indexed by its primary key, and the issues found."""

    def __init__(self, data_dir: Path, tables: dict[str, Table], issues: list[Issue] | None = None):
        self.data_dir = Path(data_dir)
        self._tables = tables
        #: every issue found when loading (empty after a strict load)
        self.issues: list[Issue] = sorted(issues or [])
        self.load_issues: list[Issue] = list(self.issues)
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
        """The table as read: ``records`` (typed), ``raw`` (strings), ``lines``."""
        return self._tables[name]

    def rows(self, name: str) -> list[dict]:
        """Rows of a table as dicts of the cells as written (strings; blank cells None)."""
        t = self._tables.get(name)
        return t.raw_dicts() if t is not None else []

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


def validate_data(data_dir: Path | str | None = None) -> list[Issue]:
    """Every issue in the evidence base, sorted by file and line (empty when clean)."""
    return sorted(set(_read(data_dir)[2]))


def _read(data_dir: Path | str | None) -> tuple[Path, dict[str, Table], list[Issue]]:
    data_dir = find_data_dir(data_dir)
    tables, issues = read_tables(data_dir)
    if tables:
        issues += cross_table_issues(data_dir, tables)
    return data_dir, tables, issues


def load_db(data_dir: Path | str | None = None, *, strict: bool = True) -> EvidenceDB:
    """Load and validate the evidence base.

    ``strict`` (the default): any issue raises :class:`DataError` listing every problem (the
    report and the claims commands use this). ``strict=False``: the database of what could be
    read, with every issue in ``db.issues``.
    """
    data_dir, tables, issues = _read(data_dir)
    issues = sorted(set(issues))
    if issues and strict:
        raise DataError(issues)
    return EvidenceDB(data_dir, tables, issues)
