"""The identifiers that name one paper or trial exactly: a ClinicalTrials.gov registry number, a PubMed id, a DOI
(split from resolve.py; settle13). A sentence that prints one names that study, or, when the evidence base does not
record it, a study outside it."""
from __future__ import annotations

import re

#: a ClinicalTrials.gov registry number: names one trial exactly (its record and its paper are one study)
NCT = re.compile(r"\bNCT\d{8}\b", re.I)
#: a paper's PubMed id as a citation prints it ("PMID: 37224232", "PMID 22840761"): names one paper exactly
_PMID = re.compile(r"\bPMID\s*:?\s*(\d{6,9})\b")
#: a DOI as printed or inside its resolver's address ("doi: 10.1056/NEJMoa2302399", "https://doi.org/10.1016/j.x.1");
#: a closing full stop or bracket is the sentence's, not the DOI's
_DOI = re.compile(r"\b(10\.\d{4,9}/[^\s\"<>]+)")


def doi_key(doi: str) -> str:
    return "DOI " + doi.rstrip(".,;:)]").lower()


def identifiers_in(text: str) -> list[str]:
    """The PubMed ids and DOIs a text prints, as cue words ("PMID 37224232", "DOI 10.1056/nejmoa2302399")."""
    return list(dict.fromkeys([f"PMID {m}" for m in _PMID.findall(text)] + [doi_key(m) for m in _DOI.findall(text)]))
