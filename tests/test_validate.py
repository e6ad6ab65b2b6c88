"""`evidence validate`: each rule is caught on a small broken fixture, and the real data pass (issue #3)."""
from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from conftest import DATA
from synthetic import ARTICLE_FILE, ARTICLE_TEXT, assert_caught, mutate, write_csv  # tests/synthetic.py: the one synthetic base

from evidence.cli import main
from evidence.db import DataError, load_db
from evidence.validate import validate_data

def _write(path: Path, fields: list[str], rows: list[dict]) -> None:
    write_csv(path, fields, rows)


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
    # identifiers (issue 13): spaces, non-breaking spaces and invisible characters, at the cell
    ("claims", 0, {"claim_id": "900-01 "}, "claims.csv", 2, "claim_id", "identifier"),
    ("claims", 1, {"claim_id": "900-01"}, "claims.csv", 3, "claim_id", "unique"),
    ("claims", 1, {"claim_id": "900-01\u00a0"}, "claims.csv", 3, "claim_id", "unique"),     # unique after normalising
    ("claims", 0, {"source_ids": "survey_n; trial_a"}, "claims.csv", 2, "source_ids", "identifier"),
    ("outcomes", 0, {"source_id": "trial\u200b_a"}, "outcomes.csv", 2, "source_id", "identifier"),
    ("sources", 0, {"source_id": "trial_a "}, "sources.csv", 2, "source_id", "identifier"),
    ("sources", 0, {"source_id": "trial_a "}, "sources.csv", 2, "source_id", "foreign-key"),  # the count, there
    # dates typed in the schema
    ("articles", 0, {"date": "17/01/2025"}, "articles.csv", 2, "date", "type"),
    ("articles", 0, {"date": "2025-13-45"}, "articles.csv", 2, "date", "type"),
    ("sources", 0, {"year": "18"}, "sources.csv", 2, "year", "type"),
    ("prevalence", 0, {"data_years": "03/2001-2003"}, "prevalence.csv", 2, "data_years", "type"),
    ("prevalence", 0, {"data_years": "2003-2001"}, "prevalence.csv", 2, "data_years", "type"),
    ("prevalence", 0, {"value_pct": "19.1%"}, "prevalence.csv", 2, "value_pct", "type"),
]


@pytest.mark.parametrize("table,row,changes,file,line,column,rule", BROKEN,
                         ids=[f"{b[0]}-{b[-1]}-{list(b[2])[0]}" for b in BROKEN])
def test_each_rule_is_caught(fixture_data, table, row, changes, file, line, column, rule):
    assert_caught(fixture_data, table, row, changes, file, line, column, rule)


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


def test_a_source_id_with_a_trailing_space_is_one_mistake_at_its_own_line(fixture_data):
    # issue 13: 'taylor2018 ' gave 48 errors on the referring rows and none at sources.csv
    mutate(fixture_data, "sources", 0, source_id="trial_a ")
    issues = validate_data(fixture_data)
    assert {(i.file, i.line, i.column) for i in issues} == {("sources.csv", 2, "source_id")}, issues
    count = next(i for i in issues if i.rule == "foreign-key")
    # trial_a: outcomes trial_a_resp, trial_a_lsas_base, trial_a_lsas_2wk; estimates trial_a_placebo_pct;
    # claims 900-03 and 900-06
    assert "6 rows refer to 'trial_a': 3 in outcomes.csv, 1 in estimates.csv, 2 in claims.csv" in count.message


def test_a_source_id_typo_is_reported_once_where_it_is_defined(fixture_data):
    # issue 13: a typo in sources.csv's source_id was reported at every row that refers to the
    # intended id (48 errors for taylor2018 in the real data) and never at sources.csv's own line
    mutate(fixture_data, "sources", 0, source_id="trial_q")
    issues = validate_data(fixture_data)
    assert [(i.file, i.line, i.column, i.rule) for i in issues] == [("sources.csv", 2, "source_id", "foreign-key")], \
        [str(i) for i in issues]
    msg = issues[0].message
    assert "no source 'trial_a' in sources.csv" in msg and "'trial_q'" in msg and "a typo?" in msg
    # the same six rows as above: 3 outcomes, 1 estimate, claims 900-03 and 900-06 (once each,
    # though they name trial_a in source_ids and in recompute)
    assert "6 rows refer to 'trial_a': 3 in outcomes.csv, 1 in estimates.csv, 2 in claims.csv" in msg


def test_a_missing_source_with_no_near_spelling_is_reported_at_the_first_referring_row(fixture_data):
    mutate(fixture_data, "sources", 0, source_id="zzz_unrelated")
    issues = validate_data(fixture_data)
    fk = [i for i in issues if "trial_a" in i.message]
    assert len(fk) == 1 and fk[0].file != "sources.csv" and "6 rows refer to it" in fk[0].message, [str(i) for i in issues]


def test_a_row_with_an_unquoted_comma_names_the_column(fixture_data):
    path = fixture_data / "sources.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[1].startswith("trial_a,trial,")
    lines[1] = lines[1].replace('"', "", 2)   # the citation 'Alpha AB, Beta C. ...' loses its quotes
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    issues = validate_data(fixture_data)
    hit = next(i for i in issues if i.rule == "row-length")
    assert (hit.file, hit.line, hit.column) == ("sources.csv", 2, "citation"), str(hit)
    # the row that could not be read is the one mistake: the rows that refer to trial_a are not
    # reported as referring to a missing source as well
    assert [i.rule for i in issues] == ["row-length"], [str(i) for i in issues]


def test_header_columns_out_of_order_name_the_first(fixture_data):
    path = fixture_data / "facts.csv"
    text = path.read_text(encoding="utf-8").split("\n", 1)
    header = text[0].split(",")
    header[2], header[3] = header[3], header[2]
    path.write_text(",".join(header) + "\n" + text[1], encoding="utf-8")
    hit = next(i for i in validate_data(fixture_data) if i.rule == "header")
    assert (hit.line, hit.column) == (1, "subject") and "column 3 is 'attribute'" in hit.message
