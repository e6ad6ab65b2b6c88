"""Methods: how a claim gets its verdict (notebooks/methods.ipynb)."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, ClassVar, Mapping

import pandas as pd

from evidence.analyses.common import (
    DEFAULT_PARAMS, Page, _frame, display_frame, fmt, vocab, merge_params,
)

# =========================================================================== #
# Methods
# =========================================================================== #
def params_table(params: Mapping) -> pd.DataFrame:
    """Each parameter with its default, the value used and whether it was changed."""
    rows = []
    for k, default in DEFAULT_PARAMS.items():
        v = params.get(k, default)
        rows.append({"parameter": k, "default": "None" if default is None else str(default),
                     "used": "None" if v is None else str(v), "changed": v != default})
    return pd.DataFrame(rows)


STAT_METHODS = [
    ("Odds ratio, risk ratio", "log-scale Wald (Woolf / Katz) CI"),
    ("Risk difference", "Newcombe hybrid score CI (method 10)"),
    ("Proportion", "Wilson score CI"),
    ("NNT / NNH", "1/RD with the Altman (1998) CI, through infinity when the RD CI includes 0"),
    ("Zero cells", "0.5 added to every cell of a study with a zero cell (RevMan default); alternatives: "
                   "treatment-arm correction (Sweeting 2004), excluding double-zero studies, none"),
    ("Fixed effect", "inverse variance; Mantel–Haenszel (Robins–Breslow–Greenland variance); Peto one-step OR"),
    ("Random effects", "DerSimonian–Laird (RevMan), REML, Paule–Mandel; optional Hartung–Knapp–Sidik–Jonkman CI"),
    ("Heterogeneity", "Cochran's Q, I², τ² with Q-profile CI; prediction interval (metafor convention)"),
    ("Crossover trials", "as parallel (what most meta-analyses do) or as paired: Becker–Balagtas marginal log OR "
                         "with the within-patient correlation ρ imputed (Elbourne 2002), ρ capped at its "
                         "Fréchet bound; per-pair (discordant) counts are not in the data"),
    ("Fragility index", "Walsh (2014) with Fisher's exact test; reverse fragility (Khan 2020) when not significant"),
    ("Tolerance", "rounding-aware: a printed number stands for every value that rounds to it; 'about' widens "
                  f"that by a set relative tolerance ({fmt.pct(100 * DEFAULT_PARAMS['approx_rel_tol'])} by default)"),
]


def methods_frame() -> pd.DataFrame:
    return pd.DataFrame(STAT_METHODS, columns=["what", "method"])


def recompute_methods() -> pd.DataFrame:
    from evidence.spec import METHODS

    return pd.DataFrame([{"method": m, "required": ", ".join(sorted(req)) or "–",
                          "optional": ", ".join(sorted(opt)) or "–"} for m, (req, opt, _) in METHODS.items()])


# =========================================================================== #
# The page
# =========================================================================== #
#: recompute kind -> (what it does, its depth). A lookup of a printed figure is not a recomputation.
RECOMPUTE_KINDS = {
    "pooled": ("pools the trials' per-arm counts with the meta-analysis engine", "recomputed from counts"),
    "effect": ("computes an odds ratio, risk ratio or risk difference from one trial's counts", "recomputed from counts"),
    "nnt": ("computes the number needed to treat (or harm) from one trial's counts", "recomputed from counts"),
    "proportion": ("computes a share with its Wilson CI from a count and its total", "recomputed from counts"),
    "prevalence": ("compares the claimed figure with a survey's printed figure, allowing for rounding and the "
                   "claim's wording, and checks the period (past year or lifetime)", "compared with a printed figure"),
    "estimate": ("compares the claimed figure with an estimate a paper prints (an odds ratio, a percentage change)",
                 "compared with a printed figure"),
    "count": ("compares the claimed figure with a number a source prints (a sample size, a count of trials)",
              "compared with a printed figure"),
    "fact": ("compares the claim with a statement or figure a source prints (how fast, how long, approval status)",
             "compared with a printed figure"),
    "attribute": ("compares the claim with a recorded property of a source (its year, design, route, population)",
                  "compared with a printed figure"),
    "weigh": ("weighs what the sources read state, one statement at a time: for the claim, against it, weaker than "
              "its wording, or adding context it leaves out", "weighed from the sources' statements"),
    "none": ("no figure to recompute: the verdict follows from what the search found (for example, no evidence) "
             "or is set by hand with a written justification", "no figure"),
}
DEPTH_ORDER = ("recomputed from counts", "compared with a printed figure", "weighed from the sources' statements",
               "no figure")
#: each depth in plain words, for readers (the recipe names stay in the researchers' details)
DEPTH_WORDS = {
    "recomputed from counts": "the figure is computed again here from the counts a source prints (how many "
                              "responded out of how many, per arm where there are arms), with its confidence "
                              "interval.",
    "compared with a printed figure": "the claim is set beside a figure or statement a source prints (a survey's "
                                      "percentage, a paper's odds ratio, a trial's year or design); nothing is "
                                      "computed again.",
    "weighed from the sources' statements": "each statement the sources make is read as for the claim, against it, "
                                            "weaker than its wording, or adding context it leaves out; a rule, not a "
                                            "person, then decides.",
    "no figure": "there is nothing to compute: the verdict follows from what the search found (for example, no "
                 "evidence for the claim) or is set by hand with a written justification.",
}


def _param_words(name: str) -> str:
    """What a parameter changes, from the declared parameter table (evidence.params)."""
    from evidence.params import PARAMS

    p = PARAMS.get(name)
    # 'about' -> “about”; an apostrophe (claim's) is not a quote mark
    return re.sub(r"(?<![A-Za-z])'([^']*?)'(?![A-Za-z])", r"“\1”", p.changes) if p else ""


def _param_value(v) -> str:
    if v is None:
        return "none"
    return fmt.num(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else str(v)


def recompute_kind(spec) -> str:
    """The kind of a claim's ``recompute`` (``fact``, ``pooled``, ...; ``none`` when blank)."""
    s = str(spec or "").strip()
    return s.split(":", 1)[0].strip() if s else "none"


def recompute_distribution(db) -> pd.DataFrame:
    """Claims by recompute kind, with what the kind does and its depth (most claims: a lookup)."""
    claims = _frame(db, "claims")
    kinds = (claims["recompute"].map(recompute_kind).value_counts() if len(claims)
             else pd.Series(dtype=int))
    rows = []
    for kind, n in kinds.items():
        what, depth = RECOMPUTE_KINDS.get(kind, ("not described", "no figure"))
        rows.append({"kind": kind, "claims": int(n), "what": what, "depth": depth})
    out = pd.DataFrame(rows, columns=["kind", "claims", "what", "depth"])
    order = {d: i for i, d in enumerate(DEPTH_ORDER)}
    return out.assign(_o=out["depth"].map(order)).sort_values(["_o", "claims"], ascending=[True, False]).drop(
        columns="_o").reset_index(drop=True)


def hand_set_verdicts(db) -> pd.DataFrame:
    """Every claim whose verdict is set by hand, with the written justification (claims.csv)."""
    claims = _frame(db, "claims")
    if claims.empty or "verdict_override" not in claims:
        return pd.DataFrame(columns=["claim_id", "quote", "verdict", "justification"])
    sel = claims[claims["verdict_override"].notna() & (claims["verdict_override"].astype(str).str.strip() != "")]
    return pd.DataFrame({"claim_id": sel.index, "quote": sel["quote"].to_numpy(),
                         "verdict": sel["verdict_override"].to_numpy(),
                         "justification": sel["override_justification"].fillna("").to_numpy()})


@dataclass
class MethodsPage(Page):
    """The methods page (see :func:`page`)."""

    summary: str
    params: dict[str, Any]
    changed: list[str]
    n_rules: int
    rules: pd.DataFrame
    recompute_methods: dict[str, int]
    depth: dict[str, int]
    hand_set: list[str]
    depth_sentence: str = ""
    hand_sentence: str = ""
    params_sentence: str = ""
    rules_table: pd.DataFrame = field(repr=False, default=None)
    params_display: pd.DataFrame = field(repr=False, default=None)
    methods_table: pd.DataFrame = field(repr=False, default=None)
    kinds_table: pd.DataFrame = field(repr=False, default=None)
    hand_table: pd.DataFrame = field(repr=False, default=None)
    kind_items: list[tuple[str, str]] = field(default_factory=list)
    group_items: list[tuple[str, str]] = field(default_factory=list)
    hand_items: list[tuple[str, str]] = field(default_factory=list)
    rule_items: list[tuple[str, str]] = field(default_factory=list)
    display_only: ClassVar[tuple[str, ...]] = ("rules_table", "params_display", "methods_table", "kinds_table",
                                               "hand_table", "kind_items", "group_items", "hand_items",
                                               "rule_items")


def _depth_sentence(dist: pd.DataFrame, total: int) -> str:
    by = dist.groupby("depth")["claims"].sum()
    parts = []
    verbs = {"recomputed from counts": ("is recomputed from counts", "are recomputed from counts"),
             "compared with a printed figure": ("is compared with a figure or statement a source prints",
                                                "are compared with a figure or statement a source prints"),
             "weighed from the sources' statements": ("is weighed from the sources' statements",
                                                      "are weighed from the sources' statements"),
             "no figure": ("has no figure to recompute", "have no figure to recompute")}
    for d in DEPTH_ORDER:  # plain groups only: the recipe names are in the researchers' details
        n = int(by.get(d, 0))
        parts.append(f"{fmt.num(n)} {verbs[d][n != 1]}")
    return (f"Of the {fmt.count(total, 'claim')}, {'; '.join(parts)}. “Recomputed” is meant literally only for the "
            "first group: the others are checked by looking up a figure or statement a source prints and comparing "
            "the claim with it, which tests whether the article reports its source correctly, not whether the "
            "source's figure is right.")


def page(db, params: Mapping | None = None) -> MethodsPage:
    """The methods page: the rules, which verdicts are set by hand and why, what “recomputed” means."""
    from evidence.verdicts import rules_table

    p = merge_params(params)
    rules = pd.DataFrame(rules_table())
    pt = params_table(p)
    changed = list(pt.loc[pt["changed"], "parameter"])
    dist = recompute_distribution(db)
    hand = hand_set_verdicts(db)
    total = int(len(_frame(db, "claims")))
    hand_s = (f"{fmt.num(len(hand))} of the {fmt.count(total, 'verdict')} {'is' if len(hand) == 1 else 'are'} set by hand, "
              "where the rules cannot weigh what the sources say (a caveat the wording leaves out, a drug confused "
              "with another, a self-reported outcome presented as the treatment's effect). Each carries a written "
              "justification that its own sources must support; here they are, verbatim." if len(hand) else
              "No verdict is set by hand: every verdict comes from the rules.")
    params_s = ("Every parameter has its default value." if not changed else
                f"{fmt.count(len(changed), 'parameter')} {'differs' if len(changed) == 1 else 'differ'} from the "
                "defaults: " + "; ".join(f"{_param_words(c)}: {_param_value(p[c])} here instead of "
                                          f"{_param_value(DEFAULT_PARAMS[c])}" for c in changed) + ".")
    return MethodsPage(
        summary=f"{fmt.count(len(rules), 'verdict')} with their rules; {fmt.num(len(hand))} set by hand; "
                f"{fmt.num(int(dist.loc[dist['depth'] == DEPTH_ORDER[0], 'claims'].sum()))} of {fmt.num(total)} "
                "claims recomputed from counts",
        params=p, changed=changed, n_rules=int(len(rules)), rules=rules[["verdict", "label", "rating"]],
        recompute_methods={r.kind: r.claims for r in dist.itertuples()},
        depth={d: int(dist.loc[dist["depth"] == d, "claims"].sum()) for d in DEPTH_ORDER},
        hand_set=list(hand["claim_id"]), depth_sentence=_depth_sentence(dist, total), hand_sentence=hand_s,
        params_sentence=params_s,
        rules_table=display_frame([{"Verdict": r.label, "Rating (1–5)": fmt.num(r.rating), "Rule": r.rule}
                                   for r in rules.itertuples()], ["Verdict", "Rating (1–5)", "Rule"]),
        params_display=display_frame([{"Parameter": r.parameter, "What it sets": _param_words(r.parameter),
                                       "Default": _param_value(DEFAULT_PARAMS[r.parameter]),
                                       "Used here": _param_value(p.get(r.parameter))}
                                      for r in pt.itertuples()], ["Parameter", "What it sets", "Default", "Used here"]),
        methods_table=display_frame([{"What": w, "Method": m} for w, m in STAT_METHODS], ["What", "Method"]),
        kinds_table=display_frame([{"Kind": r.kind, "Claims": fmt.num(r.claims), "What it does": r.what,
                                    "Depth": r.depth} for r in dist.itertuples()],
                                  ["Kind", "Claims", "What it does", "Depth"]),
        kind_items=[(f"{r.kind} ({fmt.count(r.claims, 'claim')}, {r.depth}):", f"{r.what}.")
                    for r in dist.itertuples()],
        group_items=[(f"{d[0].upper()}{d[1:]} ({fmt.count(int(dist.loc[dist['depth'] == d, 'claims'].sum()), 'claim')}):",
                      DEPTH_WORDS[d]) for d in DEPTH_ORDER if int(dist.loc[dist["depth"] == d, "claims"].sum())],
        hand_items=[(f"“{r.quote}”: {vocab.VERDICTS[r.verdict].label if r.verdict in vocab.VERDICTS else r.verdict}.",
                     r.justification) for r in hand.itertuples()],
        rule_items=[(f"{vocab.VERDICTS[r.verdict].symbol if r.verdict in vocab.VERDICTS else ''} {r.label} "
                     f"(rating {fmt.num(r.rating)} of 5):".strip(), r.rule) for r in rules.itertuples()],
        hand_table=display_frame([{"Claim": f"“{r.quote}”",
                                   "Verdict set by hand": vocab.VERDICTS[r.verdict].label if r.verdict in vocab.VERDICTS
                                   else r.verdict, "Why": r.justification} for r in hand.itertuples()],
                                 ["Claim", "Verdict set by hand", "Why"]))
