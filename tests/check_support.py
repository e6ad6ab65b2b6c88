"""Helpers shared by the `evidence check` tests that read its claims (one copy; duplicates listed two)."""
from __future__ import annotations

from evidence.check import check


def claims(text: str) -> list[dict]:
    """The claim objects `check` gives for ``text`` (what the JSON output lists)."""
    return check(text).claims


def one(text: str, claim_type: str) -> dict:
    """The single claim of ``claim_type`` in ``text``; fails, listing what was found, if there is not exactly one."""
    found = [c for c in claims(text) if c["claim_type"] == claim_type]
    assert len(found) == 1, [(c["claim_type"], c["quote"]) for c in claims(text)]
    return found[0]


def md_claims(text: str) -> list[dict]:
    """The claims `check` gives for ``text`` read as a Markdown file (the word-claim tests' copy)."""
    return check(text, filename="t.md").claims


def overlapping(text: str, quote: str) -> dict:
    """The first claim whose quote contains ``quote`` or lies inside it; fails, listing the quotes, if none does."""
    hits = [c for c in md_claims(text) if quote in c["quote"] or c["quote"] in quote]
    assert hits, f"no claim overlaps {quote!r} in {[c['quote'] for c in md_claims(text)]}"
    return hits[0]


def reads_well(c: dict, words: str, codes: str) -> None:
    """Not checkable, the reason in words an editor reads (matching ``words``): no snake_case and none of the
    detector names in the alternation ``codes``."""
    import re

    assert c["checkable"] is False and c["holds"] is None
    assert re.search(words, c["reason"]), c["reason"]
    assert not re.search(r"_|\b(?:" + codes + r")\b", c["reason"]), c["reason"]
