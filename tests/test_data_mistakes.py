"""Realistic editing mistakes on copies of the real tables are caught where they are made (issue 13 item 1).

Hypothesis picks a table, a row, a column and a mistake; the test writes the mutated copy of the real
``data/`` table, runs ``evidence validate``'s checks and asserts an issue names the file, the line
and the column of the mistake. The expected line is counted independently here: each table is
rewritten with :mod:`csv` and the newlines before each row are counted (quoted cells may span lines).

Mistake classes: a stray space or invisible character in an identifier, a doubled row, two cells
swapped, a typo in a reference, a comma inside an unquoted field, a percent sign in a number, a date
or year written another way.

Example counts are bounded (profile ``fast``, the default: ``MAX_EXAMPLES`` per class) so the suite
stays quick; ``HYPOTHESIS_PROFILE=thorough`` runs 300 per class.
"""
from __future__ import annotations

import csv
import io
import json
import os
import shutil
from pathlib import Path

import pytest
from conftest import DATA
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from evidence.db import validate_data

MAX_EXAMPLES = 12
settings.register_profile("fast", max_examples=MAX_EXAMPLES, deadline=None,
                          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
settings.register_profile("thorough", max_examples=300, deadline=None,
                          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "fast"))

PACKAGE = json.loads((DATA / "datapackage.json").read_text(encoding="utf-8"))
RESOURCES = {r["name"]: r for r in PACKAGE["resources"]}
FIELDS = {n: {f["name"]: f for f in r["schema"]["fields"]} for n, r in RESOURCES.items()}


def _read(name: str) -> tuple[list[str], list[list[str]]]:
    with open(DATA / RESOURCES[name]["path"], encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    return rows[0], [r for r in rows[1:] if any(c.strip() for c in r)]


ORIGINAL = {name: _read(name) for name in RESOURCES}


def _row_text(cells: list[str]) -> str:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerow(cells)
    return buf.getvalue()


def render(header: list[str], rows: list[list[str]], raw: tuple[int, int] | None = None) -> tuple[str, list[int]]:
    """(CSV text, the line each row starts on). ``raw=(row, col)`` writes that cell unquoted."""
    parts, lines, line = [_row_text(header)], [], 1 + _row_text(header).count("\n")
    for i, cells in enumerate(rows):
        if raw is not None and raw[0] == i:
            text = ",".join(c if j == raw[1] else _row_text([c]).rstrip("\n") for j, c in enumerate(cells)) + "\n"
        else:
            text = _row_text(cells)
        lines.append(line)
        parts.append(text)
        line += text.count("\n")
    return "".join(parts), lines


@pytest.fixture(scope="module")
def copy(tmp_path_factory) -> Path:
    """A copy of the real data/, every table rewritten by :func:`render` (it must still validate)."""
    d = Path(shutil.copytree(DATA, tmp_path_factory.mktemp("mistakes") / "data"))
    for name, (header, rows) in ORIGINAL.items():
        (d / RESOURCES[name]["path"]).write_text(render(header, rows)[0], encoding="utf-8")
    return d


def caught(copy: Path, name: str, text: str) -> list:
    path = copy / RESOURCES[name]["path"]
    try:
        path.write_text(text, encoding="utf-8")
        return validate_data(copy)
    finally:
        path.write_text(render(*ORIGINAL[name])[0], encoding="utf-8")


def at(issues, file, line, column, rules=None) -> bool:
    return any((i.file, i.line, i.column) == (file, line, column) and (rules is None or i.rule in rules)
               for i in issues)


def explain(issues) -> str:
    return "\n".join(map(str, issues[:15])) or "(no issue)"


class Mistake:
    """A mistake in the making: one cell (table ``name``, row ``i``, column ``col``) of a fresh copy of
    the table's rows; :meth:`caught` writes the edited copy and returns the issues and each row's line."""

    def __init__(self, name: str, i: int, col: str):
        self.name, self.i, self.col = name, i, col
        self.header, rows = ORIGINAL[name]
        self.rows = [list(r) for r in rows]
        self.j = self.header.index(col)
        self.path = RESOURCES[name]["path"]

    @property
    def value(self) -> str:
        return self.rows[self.i][self.j]

    @value.setter
    def value(self, v: str) -> None:
        self.rows[self.i][self.j] = v

    def caught(self, copy: Path, raw: bool = False) -> tuple[list, list[int]]:
        text, lines = render(self.header, self.rows, raw=(self.i, self.j) if raw else None)
        return caught(copy, self.name, text), lines

    def found(self, copy: Path, rules: set[str], line_of: int | None = None) -> None:
        """Assert an issue of one of ``rules`` names the file, the line (of row ``line_of``, by default the
        edited row) and the column."""
        issues, lines = self.caught(copy)
        row = self.i if line_of is None else line_of
        assert at(issues, self.path, lines[row], self.col, rules), explain(issues)


def test_the_rewritten_copy_of_the_real_data_is_clean(copy):
    assert validate_data(copy) == []


def _pk(name):
    pk = RESOURCES[name]["schema"]["primaryKey"]
    return pk if isinstance(pk, str) else pk[0]


def _id_columns(name):
    cols = {_pk(name)}
    for fk in RESOURCES[name]["schema"].get("foreignKeys", []):
        cols.add(fk["fields"])
    return sorted(cols)


ID_CELLS = [(n, c) for n in RESOURCES for c in _id_columns(n)]


@st.composite
def cell_in(draw, cells: list[tuple[str, str]], ok=lambda v: v.strip() != ""):
    """(table, row index, column) of a cell whose value satisfies ``ok``."""
    name, col = draw(st.sampled_from(cells))
    header, rows = ORIGINAL[name]
    j = header.index(col)
    candidates = [i for i, r in enumerate(rows) if ok(r[j])]
    if not candidates:
        return None
    return name, draw(st.sampled_from(candidates)), col


# --------------------------------------------------------------------------- the mistakes

@given(target=cell_in(ID_CELLS, ok=lambda v: v.strip() != "" and ";" not in v),
       where=st.sampled_from(["leading", "trailing", "inner"]),
       char=st.sampled_from([" ", "\u00a0", "\u200b", "\u2009", "\ufeff", "\u200d"]))
def test_a_stray_space_in_an_identifier(copy, target, where, char):
    if target is None:
        return
    m = Mistake(*target)
    v = m.value
    m.value = {"leading": char + v, "trailing": v + char, "inner": v[: len(v) // 2] + char + v[len(v) // 2:]}[where]
    m.found(copy, {"identifier"})


@given(target=cell_in([(n, _pk(n)) for n in RESOURCES]), later=st.booleans())
def test_a_doubled_row(copy, target, later):
    if target is None:
        return
    m = Mistake(*target)
    pos = len(m.rows) if later else m.i + 1
    m.rows.insert(pos, list(m.rows[m.i]))
    m.found(copy, {"unique"}, line_of=pos)


def _is_number(v: str) -> bool:
    try:
        float(v)
        return True
    except ValueError:
        return False


NUMERIC = [(n, f) for n in RESOURCES for f, spec in FIELDS[n].items() if spec["type"] in ("integer", "number")]
TEXT = {n: [f for f, spec in FIELDS[n].items() if spec["type"] == "string"] for n in RESOURCES}


@given(target=cell_in(NUMERIC), data=st.data())
def test_two_cells_swapped(copy, target, data):
    if target is None:
        return
    m = Mistake(*target)
    row = m.rows[m.i]
    # swap the number with a text cell of the same row that is not a number
    others = [c for c in TEXT[m.name] if row[m.header.index(c)].strip() and not _is_number(row[m.header.index(c)])]
    if not others:
        return
    b = m.header.index(data.draw(st.sampled_from(others)))
    row[m.j], row[b] = row[b], row[m.j]
    m.found(copy, {"type"})


FK_CELLS = [(n, fk["fields"]) for n in RESOURCES for fk in RESOURCES[n]["schema"].get("foreignKeys", [])
            if not FIELDS[n][fk["fields"]].get("delimiter")]


def _keys(resource: str, column: str) -> set[str]:
    header, rows = ORIGINAL[resource]
    return {r[header.index(column)] for r in rows}


@given(target=cell_in(FK_CELLS), edit=st.sampled_from(["drop", "double", "swap", "replace"]), pos=st.integers(0, 50),
       letter=st.sampled_from("aeiorstnxz"))
def test_a_typo_in_a_reference(copy, target, edit, pos, letter):
    if target is None:
        return
    m = Mistake(*target)
    fk = next(fk for fk in RESOURCES[m.name]["schema"]["foreignKeys"] if fk["fields"] == m.col)
    v = m.value
    k = pos % len(v)
    typo = {"drop": v[:k] + v[k + 1:], "double": v[:k] + v[k] + v[k:],
            "swap": v[:k] + v[k + 1:k + 2] + v[k:k + 1] + v[k + 2:], "replace": v[:k] + letter + v[k + 1:]}[edit]
    if not typo or typo in _keys(fk["reference"]["resource"], fk["reference"]["fields"]):
        return  # not a mistake: the edit gave an id that exists
    m.value = typo
    m.found(copy, {"foreign-key"})


def _referred_twice(value: str) -> bool:
    """A source id that at least two rows of the other tables name (by foreign key or in a list)."""
    n = 0
    for name, r in RESOURCES.items():
        for fk in r["schema"].get("foreignKeys", []):
            if fk["reference"]["resource"] != "sources":
                continue
            header, rows = ORIGINAL[name]
            j, delim = header.index(fk["fields"]), FIELDS[name][fk["fields"]].get("delimiter")
            n += sum(value in ([x.strip() for x in row[j].split(delim)] if delim else [row[j]]) for row in rows)
    return n >= 2


@given(target=cell_in([("sources", "source_id")], ok=_referred_twice), edit=st.sampled_from(["drop", "swap", "replace"]),
       pos=st.integers(0, 50), letter=st.sampled_from("aeiorstnxz"))
def test_a_typo_in_a_key_where_it_is_defined(copy, target, edit, pos, letter):
    # issue 13: a typo in sources.csv's source_id is reported at sources.csv's own line, once, not at
    # every row that refers to the id as it should be spelled
    if target is None:
        return
    m = Mistake(*target)
    v = m.value
    k = pos % len(v)
    typo = {"drop": v[:k] + v[k + 1:], "swap": v[:k] + v[k + 1:k + 2] + v[k:k + 1] + v[k + 2:],
            "replace": v[:k] + letter + v[k + 1:]}[edit]
    if typo == v or typo in _keys("sources", "source_id") or len(typo) < 5:
        return
    m.value = typo
    issues, lines = m.caught(copy)
    mine = [i for i in issues if repr(v) in i.message]
    assert len(mine) == 1 and at(mine, m.path, lines[m.i], m.col, {"foreign-key"}), explain(issues)
    assert "a typo?" in mine[0].message


STRING_CELLS = [(n, f) for n in RESOURCES for f, spec in FIELDS[n].items()
                if spec["type"] == "string" and not spec.get("delimiter")]


@given(target=cell_in(STRING_CELLS, ok=lambda v: len(v.strip()) >= 2 and not set(v) & set('",\n\r')),
       pos=st.integers(1, 200))
def test_a_comma_inside_an_unquoted_field(copy, target, pos):
    if target is None:
        return
    m = Mistake(*target)
    v = m.value
    k = 1 + pos % (len(v) - 1)
    m.value = v[:k] + "," + v[k:]
    issues, lines = m.caught(copy, raw=True)
    hits = [x for x in issues if (x.file, x.line, x.rule) == (m.path, lines[m.i], "row-length")]
    assert hits, explain(issues)
    # the column itself, or (when a neighbour could have taken the extra cell too) among the columns named
    assert hits[0].column == m.col or f"'{m.col}'" in hits[0].message, hits[0]


@given(target=cell_in(NUMERIC), space=st.sampled_from(["", " "]))
def test_a_percent_sign_in_a_number(copy, target, space):
    if target is None:
        return
    m = Mistake(*target)
    m.value = m.value.strip() + space + "%"
    m.found(copy, {"type"})


MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


@st.composite
def other_date(draw):
    y, m, d = draw(st.integers(1990, 2030)), draw(st.integers(1, 12)), draw(st.integers(1, 28))
    return draw(st.sampled_from([f"{d:02d}/{m:02d}/{y}", f"{m}/{d}/{y}", f"{MONTHS[m - 1]} {d}, {y}",
                                 f"{d} {MONTHS[m - 1]} {y}", f"{y}/{m:02d}/{d:02d}", f"{y}{m:02d}{d:02d}",
                                 f"{y}-{m:02d}-{d + 40}", f"{y}-{m + 12:02d}-{d:02d}", f"{d:02d}-{m:02d}-{y}"]))


@st.composite
def date_mistake(draw):
    kind = draw(st.sampled_from(["date", "year", "year-range"]))
    if kind == "date":
        cells = [(n, f) for n in RESOURCES for f, spec in FIELDS[n].items() if spec["type"] == "date"]
        value = draw(other_date())
    elif kind == "year":
        cells = [(n, f) for n in RESOURCES for f, spec in FIELDS[n].items() if spec["type"] == "year"]
        y = draw(st.integers(1990, 2030))
        value = draw(st.sampled_from([f"{y % 100:02d}", f"'{y % 100:02d}", f"{y}.0", f"c. {y}", f"{y}s"]))
    else:
        cells = [(n, f) for n in RESOURCES for f, spec in FIELDS[n].items() if spec.get("format") == "year-range"]
        a = draw(st.integers(1990, 2020))
        b = a + draw(st.integers(1, 5))
        value = draw(st.sampled_from([f"03/{a}-{b}", f"{a}\u2013{b}", f"{a % 100:02d}-{b % 100:02d}", f"{b}-{a}",
                                      f"{a} to {b}", f"{a}-{b} (survey)"]))
    name, col = draw(st.sampled_from(cells))
    i = draw(st.integers(0, len(ORIGINAL[name][1]) - 1))
    return name, i, col, value


@given(mistake=date_mistake())
def test_a_date_written_another_way(copy, mistake):
    name, i, col, value = mistake
    m = Mistake(name, i, col)
    m.value = value
    m.found(copy, {"type"})


def test_every_mistake_class_has_cells_to_work_on():
    # the strategies above draw from these; an empty one would make its test vacuous
    for cells in (ID_CELLS, NUMERIC, FK_CELLS, STRING_CELLS):
        assert cells
    for kind in ("date", "year"):
        assert any(spec["type"] == kind for n in RESOURCES for spec in FIELDS[n].values())
    assert any(spec.get("format") == "year-range" for n in RESOURCES for spec in FIELDS[n].values())
