"""Methods: how a claim gets its verdict (notebooks/methods.ipynb)."""
from __future__ import annotations

import math
import re
from typing import Any, Iterable, Mapping, Sequence

import numpy as np
import pandas as pd

from evidence.analyses.common import (
    CONTROL_WORDS, CONTROLLED_DESIGNS, DEFAULT_PARAMS, HOLDS, SCALE, STUDY_DESIGNS, SYNTHESIS_DESIGNS,
    UNCONTROLLED_DESIGNS, ANXIETY_CODES, DEPRESSION_CODES, TIME_TO_HOURS, decimals_of,
    _claims_table, _frame, _get, _ids, _num, arm_rates, cite, is_registry, merge_params, population_group, sample_size, study_label,
    to_hours, wilson,
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
    ("Odds ratio, risk ratio", "log-scale Wald (Woolf / Katz) CI; evidence.stats.effects"),
    ("Risk difference", "Newcombe hybrid score CI (method 10); evidence.stats.effects"),
    ("Proportion", "Wilson score CI; evidence.stats.effects.proportion"),
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
                  "that by approx_rel_tol"),
]


def methods_frame() -> pd.DataFrame:
    return pd.DataFrame(STAT_METHODS, columns=["what", "method"])


def recompute_methods() -> pd.DataFrame:
    from evidence.spec import METHODS

    return pd.DataFrame([{"method": m, "required": ", ".join(sorted(req)) or "–",
                          "optional": ", ".join(sorted(opt)) or "–"} for m, (req, opt, _) in METHODS.items()])
