"""`evidence check` names its sources as people cite them, never by id (editor review, session 3, #33: the HTML
showed "Sources: fda_spravato_2019"), and its HTML is a stack of cards on a phone (#32: 1017 px wide at 390).

The FDA's 2019 Spravato record has no DOI or PubMed id, so it used to fall back to its id; Taylor et al. 2018 has
a DOI (10.1038/npp.2017.194, data/sources.csv), which is linked under the study's name, not as a bare address.
"""
from __future__ import annotations

import re

from evidence.check import check
from evidence.check.render import render

TEXT = ("Spravato, a nasal spray, was approved by the FDA in 2019 for treatment-resistant depression. "
        "A study published in Neuropsychopharmacology compared ketamine with placebo in 18 adults.")


def _result():
    return check(TEXT, filename="copy.txt")


def test_sources_are_names_or_addresses_never_ids():
    res = _result()
    with_sources = [c for c in res.claims if c.get("source_ids")]
    assert with_sources, "the approval and the Taylor 2018 claims are linked"
    for c in with_sources:
        assert len(c["source_names"]) == len(c["sources"])
        for s in c["sources"] + c["source_names"]:
            assert s not in c["source_ids"] and not re.fullmatch(r"[a-z0-9_]+", s), s
    names = {n for c in with_sources for n in c["source_names"]}
    assert "U.S. Food and Drug Administration 2019" in names
    assert "Taylor et al. 2018, Neuropsychopharmacology" in names


def test_the_html_links_a_source_under_its_name():
    html = render(_result(), "html", title="copy.txt")
    assert ">fda_spravato_2019<" not in html and "Sources: fda_" not in html
    assert ('<a href="https://doi.org/10.1038/npp.2017.194" rel="noopener noreferrer nofollow">'
            "Taylor et al. 2018, Neuropsychopharmacology</a>") in html


def test_the_html_stacks_each_claim_as_a_card_on_a_phone():
    html = render(_result(), "html", title="copy.txt")
    assert "@media (max-width:640px)" in html and "thead{display:none}" in html
    assert 'data-label="Verdict"' in html and 'data-label="Suggested wording"' in html
