"""Quote matching shared by linking (curated wording) and the recall measure: match-normalized text, locating a
quote, and which claim types are compatible. (Its own module, so that linking does not import the recall
measure, which imports the pipeline: no import cycle.)"""
from __future__ import annotations

#: claim types that describe the same kind of assertion
FAMILIES: dict[str, frozenset[str]] = {
    "population_figures": frozenset({"prevalence", "population"}),
    "study": frozenset({"sample_size", "design", "attribution", "population", "dose_route"}),
    "efficacy": frozenset({"effect_size", "nnt", "response_rate", "symptom_change", "comparison"}),
    "harms": frozenset({"safety", "nnh"}),
    "time_course": frozenset({"onset", "durability", "comparison"}),
    "regulatory": frozenset({"regulatory_status"}),
    "mechanism": frozenset({"mechanism"}),
}


def compatible(a: str, b: str) -> bool:
    if a == b or a == "other" or b == "other":
        return True
    return any(a in f and b in f for f in FAMILIES.values())


_FOLD = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'", "\u201c": '"', "\u201d": '"',
    "\u201e": '"', "\u2033": '"', "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-",
    "\u2212": "-", "\u00a0": " ", "|": " ", ";": " ", "*": " ", "#": " ", "_": " ", "`": " ", "\n": " ",
    "\t": " ",
})


def match_key(text: str) -> tuple[str, list[int]]:
    """Match-normalized text and, for each of its characters, the index in ``text``."""
    folded = text.translate(_FOLD).casefold()
    if len(folded) != len(text):  # casefold can expand (ß → ss); fall back to lower()
        folded = text.translate(_FOLD).lower()
    out: list[str] = []
    idx: list[int] = []
    prev_space = True
    for i, ch in enumerate(folded):
        if ch.isspace():
            if prev_space:
                continue
            out.append(" ")
            idx.append(i)
            prev_space = True
        else:
            out.append(ch)
            idx.append(i)
            prev_space = False
    while out and out[-1] == " ":
        out.pop()
        idx.pop()
    return "".join(out), idx


def locate(quote: str, text: str, key: tuple[str, list[int]] | None = None) -> tuple[int, int] | None:
    """Span of ``quote`` in ``text`` after match normalization, or None."""
    k, idx = key or match_key(text)
    q, _ = match_key(quote)
    q = q.strip(" .,:")
    if not q:
        return None
    pos = k.find(q)
    if pos < 0:
        return None
    return idx[pos], idx[pos + len(q) - 1] + 1
