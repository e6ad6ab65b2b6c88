"""Lists of side effects, contraindications and drug interactions said without bullets (session 10: the lists the
bulleted-list reading of :func:`evidence.check.wordstatements.list_claims` does not see). Each pattern is general
vocabulary, named and commented; each claim says why the evidence base cannot settle it ("not checkable here,
because …").

* **a list inside a sentence** (:func:`_d_inline_list`): "The most common side effects … included: disassociation,
  dizziness, nausea …", "side effects of ECT, such as temporary memory loss, muscle pain, or weakness": the list
  after the lead-in is one claim, read with its lead-in.
* **drug interactions** (:func:`_d_inline_list`): "Spravato may interact with CNS depressants (e.g., benzodiazepines,
  opioids, alcohol), psychostimulants (…), and monoamine oxidase inhibitors (MAOIs)": one claim per drug or class
  named, because each interaction is its own statement of the label (section 7, Drug Interactions).

List entries on lines of their own without bullets are read by :func:`evidence.check.wordstatements.list_claims`
(:func:`evidence.check.wordstatements.entry_line`).
"""
from __future__ import annotations

import re

from evidence.check.spans import _Ctx
from evidence.check.wordstatements import _add_span

_I = re.I
#: the lead-in of a list of effects: "side effects", "adverse events", "adverse reactions"
_EFFECTS_LEAD = r"(?:side[- ]effects?|adverse\s+(?:effects?|events?|reactions?))"
#: what introduces the list after its lead-in: a colon, "such as", "include(d)", "including", "e.g.", "like", or the
#: copula of "The most common side effects … are nausea, …"
_MARKER = r"(?::|\bsuch\s+as\b|\binclud(?:e|es|ed|ing)\b(?:\s*:)?|\be\.g\.,?|\blike\b|\b(?:are|were)\b(?:\s*:)?)"
#: a list after a lead-in of effects, within one sentence: at least three entries (two separators: a comma, a bullet,
#: "and" / "or"), up to the end of the sentence
RX_INLINE_EFFECTS = re.compile(
    rf"\b{_EFFECTS_LEAD}\b(?P<lead>[^.;:?!]{{0,90}}?)\s*{_MARKER}\s*(?P<list>(?:\b[ei]\.[ge]\.|[^.;?!]|\.(?=\d)){{3,400}})", _I)
#: "may interact with", "can interact with", "interactions with": one entry per drug or class named after it
RX_INTERACTS = re.compile(r"\b(?:may|can|could|might|does|do|is\s+known\s+to)\s+(?:\w+\s+)?interact\s+with\s+"
                          r"(?P<list>(?:\b[ei]\.[ge]\.|[^.;?!]|\.(?=\d)){3,400})", _I)
#: a separator between two entries of a list
_SEPARATOR = re.compile(r",|•|\band\b|\bor\b", _I)
#: the drug or treatment whose effects are listed (a list of an illness's symptoms is not a claim of this kind)
_ABOUT_TREATMENT = re.compile(r"\b(?:ketamine|esketamine|spravato|it|its|this|drug|medication|medicine|spray|"
                              r"treatment|therapy|infusions?|ECT|antidepressants?|SSRIs?)\b", _I)
#: a list that is not of effects but of the page's own steps or a question ("side effects are possible, however …")
_NOT_A_LIST = re.compile(r"\b(?:however|but|although|though|because)\b", _I)


def _entries(text: str, offset: int) -> list[tuple[int, int]]:
    """The (start, end) of each top-level entry of a list, cut at commas and at "and"/"or" outside parentheses."""
    out, depth, a = [], 0, 0
    i = 0
    while i < len(text):
        ch = text[i]
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth = max(0, depth - 1)
        elif depth == 0:
            m = re.compile(r",\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+", _I).match(text, i)
            if m and (ch == "," or text[i].isspace()):
                out.append((a, i))
                a, i = m.end(), m.end()
                continue
        i += 1
    out.append((a, len(text)))
    return [(offset + x, offset + y) for x, y in out if text[x:y].strip()]


def _d_inline_list(c: _Ctx) -> None:
    t = c.t
    for m in RX_INTERACTS.finditer(t):
        lead = t[:m.start("list")].strip()
        for a, b in _entries(m.group("list"), m.start("list")):
            _add_span(c, _Span(t, a, b), "safety", "interaction-entry", raw={"lead": lead})
    if not _ABOUT_TREATMENT.search(t):
        return
    for m in RX_INLINE_EFFECTS.finditer(t):
        lst = m.group("list")
        if len(_SEPARATOR.findall(lst)) < 2 or _NOT_A_LIST.search(lst) or _NOT_A_LIST.search(m.group("lead")):
            continue
        _add_span(c, _Span(t, m.start("list"), m.end("list")), "safety", "list-inline",
                  raw={"lead": t[:m.start("list")].strip()})


class _Span:
    """A part of the sentence, read like a match (``span``, ``group``)."""

    def __init__(self, t: str, a: int, b: int):
        while b > a and t[b - 1] in " ,;:":
            b -= 1
        self._t, self._a, self._b = t, a, b

    def span(self):
        return self._a, self._b

    def group(self, _=0):
        return self._t[self._a:self._b]


def list_reason(d) -> str:
    """Why an inline list or an interaction named in words is not checkable here, naming its lead-in."""
    lead = (d.raw or {}).get("lead", "")
    lead = lead if len(lead) <= 90 else "… " + lead[-87:].split(" ", 1)[-1]
    if d.kind == "interaction-entry":
        return (f"it names, after “{lead}”, a drug or class of drugs the medicine may interact with, in words with no "
                "figure or study; the evidence base does not record drug interactions, so check it against the "
                "drug's label (Drug Interactions)")
    return (f"it lists, after “{lead}”, effects named in words with no figure or study; the evidence base does not "
            "record them, so check them against the drug's label (Adverse Reactions)")


#: (detector, cheap pre-check), run with the word statements
WORD_LISTS = (
    (_d_inline_list, re.compile(r"side[- ]effect|adverse|interact", _I)),
)
