"""evidence check, measured quality: recall of the curated claims of each article (data/claims.csv).

A curated claim counts as *found* when a detected claim's quote or sentence overlaps the curated quote's span
(after whitespace/quote/markup normalization) and the claim types are compatible — see
:mod:`evidence.check.recall` for the exact definition. Run with ``pytest -s`` to see the table.
"""
from __future__ import annotations

import pytest
from conftest import DATA

from evidence.check.recall import compatible, format_recall, recall_all
from evidence.db import load_db

#: the articles under check, as data/articles.csv lists them (a removed article is a failure, not a skip)
ARTICLES = list(load_db(DATA, strict=False).articles.index)


@pytest.fixture(scope="module")
def results():
    res = recall_all(DATA)
    print("\nevidence check: recall of the curated claims (data/claims.csv)\n" + format_recall(res))
    for r in res:
        for m in r.missed:
            print(f"  missed {m['claim_id']} [{m['claim_type']}] {m['quote'][:90]!r}")
    return res


def test_every_article_is_measured(results):
    assert ARTICLES and [r.article_id for r in results] == ARTICLES


@pytest.mark.parametrize("article_id", ARTICLES)
def test_recall_at_least_90_percent_per_article(results, article_id):
    r = next(r for r in results if r.article_id == article_id)
    assert r.curated > 0
    assert r.recall >= 0.9, f"{r.article_id}: recall {r.recall:.1%}; missed {r.missed}"


def test_type_compatibility_is_not_a_free_pass():
    assert compatible("prevalence", "prevalence") and compatible("nnh", "safety")
    assert compatible("other", "onset") and compatible("onset", "other")
    assert not compatible("prevalence", "onset")
    assert not compatible("regulatory_status", "effect_size")
    assert not compatible("mechanism", "prevalence")
