"""`evidence validate`: each rule is caught on a small broken fixture, and the real data pass (issue #3)."""
from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from conftest import DATA
from synthetic import ARTICLE_FILE, ARTICLE_TEXT, write_csv  # tests/synthetic.py: the one synthetic base

from evidence.cli import main
from evidence.db import DataError, load_db
from evidence.validate import validate_data

def _write(path: Path, fields: list[str], rows: list[dict]) -> None:
    write_csv(path, fields, rows)


def mutate(d: Path, table: str, row: int, **changes) -> None:
    path = d / f"{table}.csv"
    with open(path, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
        fields = list(rows[0].keys())
    rows[row].update(changes)
    _write(path, fields, rows)


@pytest.fixture
def fixture_data(synthetic_data):
    return synthetic_data  # tests/conftest.py: a fresh copy of the one synthetic base


def test_clean_fixture_passes(fixture_data):
    assert validate_data(fixture_data) == []


# (table, row, changes, file, line, column, rule)
BROKEN = [
    ("sources", 0, {"n_randomized": "eighteen"}, "sources.csv", 2, "n_randomized", "type"),
    ("sources", 0, {"design": "case_report"}, "sources.csv", 2, "design", "enum"),
    ("sources", 0, {"citation": ""}, "sources.csv", 2, "citation", "required"),
    ("sources", 0, {"n_randomized": "-3"}, "sources.csv", 2, "n_randomized", "minimum"),
    ("sources", 1, {"source_id": "trial_a"}, "sources.csv", 3, "source_id", "unique"),
    ("sources", 0, {"url": ""}, "sources.csv", 2, "doi", "source-identifier"),  # trial_a has only a URL
    ("outcomes", 0, {"events_treat": "19"}, "outcomes.csv", 2, "events_treat", "events-le-n"),
    ("outcomes", 0, {"source_id": "nobody"}, "outcomes.csv", 2, "source_id", "foreign-key"),
    ("outcomes", 0, {"provenance": "inferred"}, "outcomes.csv", 2, "arithmetic", "provenance"),
    ("outcomes", 0, {"locator": ""}, "outcomes.csv", 2, "locator", "required"),
    ("outcomes", 0, {"provenance": "guessed"}, "outcomes.csv", 2, "provenance", "enum"),
    # estimates row 0: the synthetic SAD OR 27.47 (3.92 to 192.57), DerSimonian-Laird of tests/synthetic.SAD
    ("estimates", 0, {"ci_low": "300"}, "estimates.csv", 2, "ci_low", "ci-order"),
    ("estimates", 0, {"estimate": "2.5"}, "estimates.csv", 2, "estimate", "ci-order"),
    ("estimates", 0, {"estimate": "40.0"}, "estimates.csv", 2, "estimate", "ci-log-symmetry"),
    ("estimates", 0, {"p_value": "1.3"}, "estimates.csv", 2, "p_value", "maximum"),
    ("prevalence", 0, {"value_pct": "112"}, "prevalence.csv", 2, "value_pct", "maximum"),
    ("claims", 0, {"quote": "about 19.1% of all adults each year"}, "claims.csv", 2, "quote", "quote-verbatim"),
    ("claims", 0, {"article_id": "a9"}, "claims.csv", 2, "article_id", "foreign-key"),
    ("claims", 0, {"source_ids": "survey_n;ghost"}, "claims.csv", 2, "source_ids", "foreign-key"),
    ("claims", 0, {"recompute": "prevalence:id=p9"}, "claims.csv", 2, "recompute", "recompute"),
    ("claims", 0, {"recompute": "guess:id=p1"}, "claims.csv", 2, "recompute", "recompute"),
    ("claims", 0, {"recompute": "pooled:analysis=ma9"}, "claims.csv", 2, "recompute", "analysis"),
    ("claims", 5, {"recompute": "attribute:source=trial_a,field=colour"}, "claims.csv", 7, "recompute", "recompute"),
    ("claims", 0, {"verdict_override": "accurate"}, "claims.csv", 2, "override_justification", "override"),
    ("claims", 0, {"evidence_status": "not_found"}, "claims.csv", 2, "search_note", "evidence-status"),
    ("claims", 0, {"source_ids": ""}, "claims.csv", 2, "source_ids", "evidence-status"),
]


@pytest.mark.parametrize("table,row,changes,file,line,column,rule", BROKEN,
                         ids=[f"{b[0]}-{b[-1]}-{list(b[2])[0]}" for b in BROKEN])
def test_each_rule_is_caught(fixture_data, table, row, changes, file, line, column, rule):
    mutate(fixture_data, table, row, **changes)
    issues = validate_data(fixture_data)
    hits = [i for i in issues if (i.file, i.line, i.column, i.rule) == (file, line, column, rule)]
    assert hits, f"expected {file}:{line} {column} {rule}; got {[str(i) for i in issues]}"


def test_quotes_normalize_whitespace_and_typographic_quotes(fixture_data):
    text = ARTICLE_TEXT.format(payload="")
    assert "about 19.1% of" in text
    (fixture_data / ARTICLE_FILE).write_text(text.replace("about 19.1% of", "about  19.1%\nof"), encoding="utf-8")
    assert validate_data(fixture_data) == []


def test_every_error_reported_at_once_and_cli_exit_codes(fixture_data, capsys):
    mutate(fixture_data, "outcomes", 0, events_treat="19")
    mutate(fixture_data, "claims", 0, quote="not in the text")
    assert main(["validate", "--data", str(fixture_data)]) == 1
    out = capsys.readouterr().out
    assert "outcomes.csv:2: column 'events_treat' [events-le-n]" in out
    assert "claims.csv:2: column 'quote' [quote-verbatim]" in out
    assert main(["validate", "--data", str(fixture_data), "--format", "json"]) == 1
    payload = json.loads(capsys.readouterr().out)
    assert payload["ok"] is False and len(payload["issues"]) == 2


def test_header_and_file_problems(fixture_data):
    (fixture_data / "facts.csv").write_text("fact_id,source_id\nf1,s1\n", encoding="utf-8")
    (fixture_data / "prevalence.csv").unlink()
    issues = validate_data(fixture_data)
    rules = {(i.file, i.rule) for i in issues}
    assert ("facts.csv", "header") in rules and ("prevalence.csv", "file-missing") in rules


def test_non_utf8_is_named(fixture_data):
    (fixture_data / "facts.csv").write_bytes(b"fact_id\xff\n")
    assert any(i.rule == "encoding" and i.file == "facts.csv" for i in validate_data(fixture_data))


def test_load_db_raises_on_bad_data(fixture_data):
    mutate(fixture_data, "outcomes", 0, events_treat="19")
    with pytest.raises(DataError, match="events-le-n"):
        load_db(fixture_data)
    assert load_db(fixture_data, strict=False).outcomes.loc["trial_a_resp", "events_treat"] == 19


def test_large_tables_validate(fixture_data):
    # 10,000 claims rows still validate (and name the broken one)
    path = fixture_data / "claims.csv"
    with open(path, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    fields = list(rows[0].keys())
    big = [dict(rows[0], claim_id=f"a1-{i:05d}") for i in range(10_000)]
    big[7777]["qualifier"] = "roughly"
    _write(path, fields, big)
    issues = validate_data(fixture_data)
    assert [(i.line, i.column, i.rule) for i in issues] == [(7779, "qualifier", "enum")]


def test_real_data_pass():
    issues = validate_data(DATA)
    assert issues == [], "\n".join(map(str, issues[:30]))
