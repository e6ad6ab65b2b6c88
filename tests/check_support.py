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
