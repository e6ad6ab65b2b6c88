"""Does a sentence's design words describe a study? (split from resolve.py; settle13.)

A placebo-controlled or randomized trial is not a survey or a chart review, a double-blind trial is not an open-label
study, and a meta-analysis or systematic review is not a single trial: a year alone does not outweigh the design a
sentence describes (issue 15 Deliver 2: conflicting cues mean no study)."""
from __future__ import annotations

#: source kinds that are studies (their figures belong to that study only)
STUDY_KINDS = frozenset({"trial", "observational", "meta_analysis", "review", "survey", "case_report", "cohort"})


#: design words that describe a controlled trial, and those that describe a review of many studies
_TRIAL_WORDS = frozenset({"parallel_rct", "crossover_rct", "double_blind", "placebo", "midazolam"})
_BLINDED_WORDS = frozenset({"double_blind", "placebo", "midazolam"})
_REVIEW_WORDS = frozenset({"meta_analysis", "systematic_review"})
#: study designs that are not controlled trials (a survey, a chart review, a single-arm study)
_TRIAL_ADJECTIVES = {"parallel_rct": "randomized", "crossover_rct": "crossover", "double_blind": "double-blind",
                     "placebo": "placebo-controlled", "midazolam": "midazolam-controlled"}
_UNCONTROLLED = frozenset({"survey", "fact_sheet", "retrospective", "prospective_cohort", "other"})


def design_clash(sig, designs) -> str:   # sig: a resolve.Signature
    """Why the design words of a sentence do not describe this study ('' when they may): a placebo-controlled or
    randomized trial is not a survey or a chart review, a double-blind trial is not an open-label study, and a
    meta-analysis or systematic review is not a single trial. A review may be described by the trials it pooled."""
    designs = set(designs)
    reviews = sig.kind in ("meta_analysis", "review") or sig.design in ("meta_analysis", "systematic_review",
                                                                           "narrative_review")
    said = designs & _TRIAL_WORDS if sig.design in _UNCONTROLLED and not reviews else \
        designs & _BLINDED_WORDS if sig.design == "open_label" else \
        designs & _REVIEW_WORDS if not reviews and sig.kind in STUDY_KINDS else set()
    if not said:
        return ""
    from evidence import vocab

    if said <= _REVIEW_WORDS:
        words = vocab.join_words([vocab.word("design", d) for d in sorted(said)])
    else:
        words = "a " + ", ".join(_TRIAL_ADJECTIVES[d] for d in _TRIAL_ADJECTIVES if d in said) + " trial"
    return (f"a {vocab.word('design', sig.design) or 'study'}, but the sentence describes {words}: a year alone does "
            "not outweigh the design it describes")
