"""The patients a sentence describes (:func:`evidence.check.concepts.patients_conditions`, given to the resolver by
:mod:`link`), against the condition a cited study studied (used by :mod:`resolve`).

* :func:`condition_clash` — why a study the citation names is not the one the sentence describes: "A study by
  Feder et al. (2014) demonstrated that patients with treatment-resistant anxiety …" (integratedketamine_anxiety,
  holdout13) cites a PTSD trial, and its year was called accurate;
* :func:`diagnoses`, :func:`marker_words` — a sentence's or a study's description markers, and the same in words.
"""
from __future__ import annotations

#: the condition codes that describe one kind of patient: a sentence's "anxiety" may be a study's GAD, its
#: "depression" a study's TRD; PTSD and OCD are their own (a study of PTSD is not a study of "anxiety" patients)
_FAMILIES = {"TRD": "depression", "MDD": "depression", "depression": "depression", "any_anxiety": "anxiety",
             "mixed_anxiety": "anxiety", "GAD": "anxiety", "SAD": "anxiety", "panic": "anxiety", "PTSD": "PTSD",
             "OCD": "OCD"}


def _families(codes) -> set[str]:
    """The kinds of patient a set of condition codes describes (a code outside the table, "general_population",
    none)."""
    return {_FAMILIES[x] for x in codes if x in _FAMILIES}


def _words(codes) -> str:
    from evidence import vocab

    return vocab.join_words(sorted((vocab.word("diagnosis", x) or x.replace("_", " ")).replace("any anxiety", "anxiety")
                                   for x in codes))


def condition_clash(sig, conditions) -> str:
    """Why the study ``sig`` (a resolve.Signature) is not the one a sentence whose patients have ``conditions``
    describes ('' when it may be): only conditions of another kind than the study's. A condition the study did study,
    named beside another ("PTSD and depression"), is no clash."""
    if not getattr(sig, "is_study", False):
        return ""
    said, studied = _families(conditions), _families(sig.diagnoses)
    if not said or not studied or said & studied:
        return ""
    return (f"the citation names {sig.label}, which studied {_words(sig.diagnoses - {'general_population'})}, but the "
            f"sentence describes {_words(conditions)}: the study cited does not settle a claim about another condition")


def diagnoses(markers) -> set[str]:
    """The diagnoses among a sentence's description markers ("diagnosis PTSD")."""
    return {m for m in markers if str(m).startswith("diagnosis ")}


def marker_words(markers) -> str:
    """A study's description markers in words ("diagnosis TRD" → "treatment-resistant depression", "open_label" →
    "open-label study", "route SC" → "subcutaneous")."""
    from evidence import vocab

    out = []
    for m in sorted(markers):
        head, _, code = m.partition(" ")
        if head == "diagnosis" and code:
            out.append(vocab.word("diagnosis", code) or code)
        elif head == "route" and code:
            out.append(vocab.word("route", code) or code)
        else:
            out.append(vocab.word("design", m) or m.replace("_", " "))
    return ", ".join(dict.fromkeys(out))
