"""Curation rules for issue #14 (citations, bookkeeping): each is caught on a small broken fixture.

The fixture is the clean evidence base of tests/test_validate.py; each case breaks one cell and the
rule must name file, line, column and rule, while the real data pass (test_validate.test_real_data_pass).
"""
from __future__ import annotations

import pytest

from evidence.validate import validate_data
from test_validate import make_fixture, mutate

# (table, row, changes, file, line, column, rule)
BROKEN = [
    # url is the canonical address, never a mirror, proxy or raw IP (the copy read goes in read_via)
    ("sources", 1, {"url": "https://www.scribd.com/document/1/x"}, "sources.csv", 3, "url", "canonical-url"),
    ("sources", 1, {"url": "http://47.251.13.51:8081/38636712"}, "sources.csv", 3, "url", "canonical-url"),
    ("sources", 1, {"url": "https://fda.report/DailyMed/46dab560"}, "sources.csv", 3, "url", "canonical-url"),
    # stands_in_for names existing sources, and not itself
    ("sources", 1, {"stands_in_for": "ghost2020"}, "sources.csv", 3, "stands_in_for", "foreign-key"),
    ("sources", 1, {"stands_in_for": "nimh"}, "sources.csv", 3, "stands_in_for", "foreign-key"),
    ("sources", 1, {"read_what": "tweet"}, "sources.csv", 3, "read_what", "enum"),
]


@pytest.fixture
def fixture_data(tmp_path):
    return make_fixture(tmp_path)


@pytest.mark.parametrize("table,row,changes,file,line,column,rule", BROKEN,
                         ids=[f"{b[0]}-{b[-1]}-{list(b[2])[0]}-{i}" for i, b in enumerate(BROKEN)])
def test_each_curation_rule_is_caught(fixture_data, table, row, changes, file, line, column, rule):
    mutate(fixture_data, table, row, **changes)
    issues = validate_data(fixture_data)
    hits = [i for i in issues if (i.file, i.line, i.column, i.rule) == (file, line, column, rule)]
    assert hits, f"expected {file}:{line} {column} {rule}; got {[str(i) for i in issues]}"


def test_copy_read_without_canonical_address_is_enough(fixture_data):
    # a source whose canonical address was never seen keeps only the copy read (e.g. the Guardian via a reproduction)
    mutate(fixture_data, "sources", 1, url="", read_via="http://survivalistbriefing.com/2023/04/11/x/")
    assert validate_data(fixture_data) == []
    mutate(fixture_data, "sources", 1, read_via="")
    assert [i.rule for i in validate_data(fixture_data)] == ["source-identifier"]


def test_canonical_official_addresses_pass(fixture_data):
    for url in ("https://doi.org/10.1038/npp.2017.194", "https://pubmed.ncbi.nlm.nih.gov/36112599/",
                "https://www.nimh.nih.gov/health/statistics/any-anxiety-disorder.shtml"):
        mutate(fixture_data, "sources", 1, url=url)
        assert validate_data(fixture_data) == [], url
