"""Reliability of data loading and validation (issue #8): the cases tests/test_validate.py does not cover.

Duplicate and missing ids in *every* table, dangling references for every
``recompute`` method, tables of 10,000 rows, and files that are not CSV at all
(empty, blank, bad quoting, a byte-order mark, a broken datapackage.json). Each
problem must come back as an :class:`~evidence.db.Issue` naming file, line,
column and rule — never a traceback, never silence. No notebook runs here; the
report's refusal to build from such data is in test_reliability_build.py.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from synthetic import ARTICLE_FILE, FACTS, PREVALENCE, read_rows, write_csv  # tests/synthetic.py: the one synthetic base

from evidence.db import TABLES, load_db
from evidence.validate import validate_data

KEYS = {"articles": "article_id", "sources": "source_id", "outcomes": "outcome_id", "estimates": "estimate_id",
        "prevalence": "prevalence_id", "facts": "fact_id", "claims": "claim_id"}


@pytest.fixture
def data(synthetic_data) -> Path:
    assert validate_data(synthetic_data) == []
    return synthetic_data


#: the line a row appended to facts.csv lands on (header is line 1)
FACTS_NEXT_LINE = len(FACTS) + 2


def where(issues) -> set[tuple]:
    return {(i.file, i.line, i.column, i.rule) for i in issues}


def explain(issues) -> str:
    return "\n".join(map(str, issues)) or "(no issues)"


# --------------------------------------------------------------------------- ids

@pytest.mark.parametrize("table", TABLES)
def test_duplicate_id_is_named_in_every_table(data, table):
    fields, rows = read_rows(data / f"{table}.csv")
    write_csv(data / f"{table}.csv", fields, rows + [dict(rows[0])])
    line = len(rows) + 2                     # header is line 1
    issues = validate_data(data)
    assert (f"{table}.csv", line, KEYS[table], "unique") in where(issues), explain(issues)
    dup = next(i for i in issues if i.rule == "unique")
    assert "line 2" in dup.message            # points back at the first use


@pytest.mark.parametrize("table", TABLES)
def test_missing_id_is_named_in_every_table(data, table):
    fields, rows = read_rows(data / f"{table}.csv")
    rows[0][KEYS[table]] = "  "
    write_csv(data / f"{table}.csv", fields, rows)
    issues = validate_data(data)
    assert (f"{table}.csv", 2, KEYS[table], "required") in where(issues), explain(issues)


@pytest.mark.parametrize("table", ["estimates", "prevalence", "facts"])
def test_unknown_source_id_in_child_tables(data, table):
    fields, rows = read_rows(data / f"{table}.csv")
    rows[0]["source_id"] = "nobody2020"
    write_csv(data / f"{table}.csv", fields, rows)
    assert (f"{table}.csv", 2, "source_id", "foreign-key") in where(validate_data(data))


@pytest.mark.parametrize("spec", [
    "effect:outcome=o9", "proportion:outcome=o9", "estimate:id=e9", "fact:id=f9", "count:source=s9",
    "nnt:estimate=e9", "nnt:outcome=o9", "attribute:source=s9,field=journal", "prevalence:id=p9",
])
def test_recompute_naming_a_missing_row(data, spec):
    fields, rows = read_rows(data / "claims.csv")
    rows[0]["recompute"] = spec
    write_csv(data / "claims.csv", fields, rows)
    issues = validate_data(data)
    hits = [i for i in issues if (i.file, i.line, i.column, i.rule) == ("claims.csv", 2, "recompute", "recompute")]
    assert hits and "9" in hits[0].message, explain(issues)


def test_article_row_pointing_at_no_text(data):
    fields, rows = read_rows(data / "articles.csv")
    rows[0]["file"] = "articles/gone.txt"
    write_csv(data / "articles.csv", fields, rows)
    assert ("articles.csv", 2, "file", "foreign-key") in where(validate_data(data))


def test_deleting_a_parent_table_names_every_orphan_once(data):
    referenced = set()
    for table in ("outcomes", "estimates", "prevalence", "facts"):
        referenced |= {r["source_id"] for r in read_rows(data / f"{table}.csv")[1]}
    for r in read_rows(data / "claims.csv")[1]:
        referenced |= {s.strip() for s in r["source_ids"].split(";") if s.strip()}
    (data / "sources.csv").unlink()
    issues = validate_data(data)
    assert ("sources.csv", 0, "", "file-missing") in where(issues)
    named = [re.search(r"no source '([^']+)'", i.message).group(1) for i in issues if i.rule == "foreign-key"]
    # each missing source once (at the first row that refers to it, with the count), not once per referring row
    assert sorted(named) == sorted(referenced), explain(issues)


def test_a_missing_parent_is_reported_once_with_the_count_of_referring_rows(data):
    fields, rows = read_rows(data / "sources.csv")
    write_csv(data / "sources.csv", fields, [r for r in rows if r["source_id"] != "trial_a"])
    issues = [i for i in validate_data(data) if i.rule == "foreign-key"]
    # trial_a is referred to by 3 outcomes rows (lines 2, 6, 7) and by the source_ids of claims 900-03 and 900-06
    assert len(issues) == 1, explain(issues)
    assert (issues[0].file, issues[0].line, issues[0].column) == ("outcomes.csv", 2, "source_id")
    assert "3 in outcomes.csv" in issues[0].message and "2 in claims.csv" in issues[0].message


# --------------------------------------------------------------------------- rule variants test_validate.py misses

def _set(table, column, value, row=0):
    def corrupt(d):
        fields, rows = read_rows(d / f"{table}.csv")
        rows[row][column] = value
        write_csv(d / f"{table}.csv", fields, rows)
    return corrupt


def _drop_resource(name):
    def corrupt(d):
        pkg = json.loads((d / "datapackage.json").read_text(encoding="utf-8"))
        pkg["resources"] = [r for r in pkg["resources"] if r["name"] != name]
        (d / "datapackage.json").write_text(json.dumps(pkg), encoding="utf-8")
    return corrupt


def _append(table, text):
    def corrupt(d):
        with open(d / f"{table}.csv", "a", encoding="utf-8", newline="") as fh:
            fh.write(text)
    return corrupt


VARIANTS = {
    # name: (corrupt, (file, line, column, rule))
    "number-nan": (_set("estimates", "estimate", "nan"), ("estimates.csv", 2, "estimate", "type")),
    "number-inf": (_set("estimates", "ci_high", "inf"), ("estimates.csv", 2, "ci_high", "type")),
    "boolean": (_set("outcomes", "paired", "maybe"), ("outcomes.csv", 2, "paired", "type")),
    "events-without-n": (_set("outcomes", "n_ctrl", ""), ("outcomes.csv", 2, "n_ctrl", "events-le-n")),
    "unidentifiable-without-note": (_set("claims", "evidence_status", "unidentifiable"),
                                    ("claims.csv", 2, "search_note", "evidence-status")),
    "article-text-not-utf8": (lambda d: (d / ARTICLE_FILE).write_bytes("caf\xe9 12.1%".encode("latin-1")),
                              ("articles.csv", 2, "file", "encoding")),
    "resource-missing-from-datapackage": (_drop_resource("facts"), ("datapackage.json", 0, "", "schema")),
    "field-over-csv-limit": (_append("facts", 'f2,s1,"' + "x" * 200_000 + "\n"), ("facts.csv", FACTS_NEXT_LINE, "", "csv-syntax")),
    "row-with-extra-cell": (_append("facts", "f2,s1,ketamine,onset,,1,hours,,Abstract,reported,,,extra\n"),
                            ("facts.csv", FACTS_NEXT_LINE, "arithmetic", "row-length")),
}


@pytest.mark.parametrize("case", list(VARIANTS))
def test_rule_variants(data, case):
    corrupt, expected = VARIANTS[case]
    corrupt(data)
    issues = validate_data(data)
    assert expected in where(issues), explain(issues)


# --------------------------------------------------------------------------- 10,000 rows

def test_ten_thousand_rows_per_table_validate_and_name_the_broken_ones(data):
    n = 10_000
    fields, rows = read_rows(data / "sources.csv")
    sources = [dict(rows[0], source_id=f"s{i:05d}") for i in range(n)] + rows
    write_csv(data / "sources.csv", fields, sources)
    fields, rows = read_rows(data / "outcomes.csv")
    outcomes = [dict(rows[0], outcome_id=f"o{i:05d}", source_id=f"s{i:05d}") for i in range(n)] + rows
    outcomes[4321]["events_treat"] = "19"               # more events than participants
    outcomes[9998]["outcome_id"] = "o00007"             # duplicate id near the end
    outcomes[6000]["outcome_id"] = ""                   # missing id
    write_csv(data / "outcomes.csv", fields, outcomes)
    fields, rows = read_rows(data / "facts.csv")
    write_csv(data / "facts.csv", fields, [dict(rows[0], fact_id=f"f{i:05d}") for i in range(n)])
    fields, rows = read_rows(data / "claims.csv")
    write_csv(data / "claims.csv", fields, [dict(rows[1], claim_id=f"a1-{i:05d}") for i in range(n)])

    issues = validate_data(data)   # how long this takes is measured in benchmarks/, not asserted here
    assert where(issues) == {
        ("outcomes.csv", 4323, "events_treat", "events-le-n"),
        ("outcomes.csv", 10000, "outcome_id", "unique"),
        ("outcomes.csv", 6002, "outcome_id", "required"),
    }, explain(issues)


def test_ten_thousand_rows_load_typed(data):
    fields, rows = read_rows(data / "prevalence.csv")
    write_csv(data / "prevalence.csv", fields,
              [dict(rows[0], prevalence_id=f"p{i:05d}", value_pct=f"{i % 100}.5") for i in range(10_000)] + rows)
    db = load_db(data)
    assert len(db.prevalence) == 10_000 + len(PREVALENCE)
    assert db.prevalence.loc["p00042", "value_pct"] == 42.5
    assert db.prevalence.loc["p00042", "_line"] == 44


# --------------------------------------------------------------------------- files that are not good CSV

@pytest.mark.parametrize("table", TABLES)
def test_empty_file_is_named(data, table):
    (data / f"{table}.csv").write_bytes(b"")
    assert (f"{table}.csv", 0, "", "file-empty") in where(validate_data(data))


def test_blank_lines_only_is_a_header_problem(data):
    (data / "facts.csv").write_bytes(b"\n\n   \n")
    issues = validate_data(data)
    assert any(i.file == "facts.csv" and i.rule in ("header", "file-empty") for i in issues), explain(issues)


def test_unterminated_quote_in_the_middle_is_named(data):
    fields, rows = read_rows(data / "facts.csv")
    write_csv(data / "facts.csv", fields, rows + [dict(rows[0], fact_id=f"f{i}") for i in range(2, 5)])
    lines = (data / "facts.csv").read_text(encoding="utf-8").splitlines()
    assert ",ketamine SC," in lines[2]
    lines[2] = lines[2].replace(",ketamine SC,", ',"ketamine SC,', 1)   # opens a quote that never closes
    (data / "facts.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    issues = validate_data(data)
    assert any(i.file == "facts.csv" and i.line == 3 and i.rule in ("row-length", "csv-syntax") for i in issues), \
        explain(issues)


def test_unterminated_quote_in_the_last_column_does_not_swallow_rows_silently(data):
    fields, rows = read_rows(data / "facts.csv")
    write_csv(data / "facts.csv", fields, rows + [dict(rows[0], fact_id=f"f{i}") for i in range(2, 5)])
    lines = (data / "facts.csv").read_text(encoding="utf-8").splitlines()
    lines[1] += '"'                                # the empty `notes` cell now opens a quote
    (data / "facts.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    issues = validate_data(data)
    # three rows (f2..f4) disappeared into f1's notes; that must be an error, not a clean bill
    assert any(i.file == "facts.csv" for i in issues), "facts.csv lost 3 rows and validated clean"


def test_byte_order_mark_is_reported_not_misread(data):
    path = data / "facts.csv"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    issues = validate_data(data)
    assert any(i.file == "facts.csv" and i.line == 1 and i.rule == "header" for i in issues), explain(issues)


def test_windows_line_endings_are_fine(data):
    for table in TABLES:
        p = data / f"{table}.csv"
        p.write_bytes(p.read_bytes().replace(b"\r\n", b"\n").replace(b"\n", b"\r\n"))
    assert validate_data(data) == []


def test_binary_garbage_is_an_encoding_issue(data):
    (data / "claims.csv").write_bytes(bytes(range(256)) * 4)
    issues = validate_data(data)
    assert any(i.file == "claims.csv" and i.rule == "encoding" for i in issues), explain(issues)


def test_datapackage_that_is_not_json(data):
    (data / "datapackage.json").write_text('{"resources": [', encoding="utf-8")
    issues = validate_data(data)
    assert [(i.file, i.rule) for i in issues] == [("datapackage.json", "json")]


@pytest.mark.parametrize("package", ['{"resources": [{"name": "claims", "path": "claims.csv"}]}', '{"name": "x"}'],
                         ids=["resource-without-schema", "no-resources"])
def test_datapackage_without_schema_is_an_issue_not_a_crash(data, package):
    (data / "datapackage.json").write_text(package, encoding="utf-8")
    issues = validate_data(data)
    assert any(i.file == "datapackage.json" for i in issues), explain(issues)
