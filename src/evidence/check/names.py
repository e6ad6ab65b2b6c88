"""Names and journal titles matched as an editor would read them: a journal's abbreviation and its full title are
one key ('J Clin Psychiatry' and 'Journal of Clinical Psychiatry'), and a typo is the same name (difflib's ratio
at least :data:`FUZZY`). Its own module so that the resolver (:mod:`evidence.check.resolve`, which re-exports
these) stays one concern: which study a sentence is about."""
from __future__ import annotations

import re
from difflib import SequenceMatcher
from functools import lru_cache

#: similarity (difflib ratio) at which two names or journal titles are taken to be the same
FUZZY = 0.86

_ABBREV = {"j": "journal", "clin": "clinical", "am": "american", "psychopharmacol": "psychopharmacology",
           "psychiatr": "psychiatry", "affect": "affective", "disord": "disorders",
           "neuropsychopharmacol": "neuropsychopharmacology", "biol": "biological", "mol": "molecular",
           "transl": "translational", "br": "british", "aust": "australian", "n": "new", "engl": "england",
           "med": "medicine", "int": "international", "eur": "european", "psychol": "psychological", "res": "research",
           "pharmacol": "pharmacology", "anesth": "anesthesia", "anaesth": "anesthesia", "ther": "therapeutics",
           "depress": "depression", "neurosci": "neuroscience", "rev": "reviews", "gen": "general", "arch": "archives"}
_JOURNAL_STOP = frozenset({"the", "of", "and", "in", "on", "for", "&"})


def journal_key(name: str) -> str:
    """'J Clin Psychiatry' and 'Journal of Clinical Psychiatry' → 'journal clinical psychiatry'."""
    words = re.findall(r"[a-z]+", (name or "").lower().split("(")[0])
    return " ".join(_ABBREV.get(w, w) for w in words if w not in _JOURNAL_STOP)


@lru_cache(maxsize=1 << 16)
def similar(a: str, b: str, threshold: float = FUZZY) -> bool:
    """Same name allowing a typo: equal, or difflib ratio ≥ threshold (short names must be equal). Memoized (a
    sentence's capitalised words are compared with every author and journal of the evidence base)."""
    if not a or not b:
        return False
    if a == b:
        return True
    if min(len(a), len(b)) < 5:
        return False
    if (a in b or b in a) and abs(len(a) - len(b)) >= 4:
        return False   # "Psychopharmacology" is not "Neuropsychopharmacology": an added part is another name, not a typo
    sm = SequenceMatcher(None, a, b)
    # real_quick_ratio (from the lengths) and quick_ratio (from the letters) are upper bounds of ratio, as in
    # difflib.get_close_matches: a pair either bound rules out is never compared in full (same answer, faster)
    return sm.real_quick_ratio() >= threshold and sm.quick_ratio() >= threshold and sm.ratio() >= threshold
