"""Statistics engine: effect sizes, meta-analysis, fragility and consistency checks.

Submodules (imported lazily so that ``evidence --help`` stays fast):

* :mod:`evidence.stats.effects` — OR, RR, RD (Newcombe), NNT/NNH, Wilson proportions
* :mod:`evidence.stats.continuous` — Hedges' g, MD, OR↔SMD, SMD→NNT, SE from CI/p
* :mod:`evidence.stats.meta` — :func:`meta_analysis` and friends (the model families: MH, Peto,
  inverse variance and random effects, MH+DL)
* :mod:`evidence.stats.tau2` — inverse-variance pooling, τ² (DL, PM, REML, ML), Q-profile CI, prediction interval
* :mod:`evidence.stats.mh_peto` — Mantel–Haenszel and Peto on 2×2 arrays
* :mod:`evidence.stats.diagnostics` — Begg's test, trim-and-fill, influence diagnostics
* :mod:`evidence.stats.metareg` — meta-regression with moderators, subgroup analysis
* :mod:`evidence.stats.plots` — forest and funnel plots
* :mod:`evidence.stats.fragility` — fragility and reverse fragility index
* :mod:`evidence.stats.consistency` — estimate/CI/p, percentage and GRIM checks
* :mod:`evidence.stats.io` — reading and validating a study table
* :mod:`evidence.stats.cli` — ``evidence meta``

The most used names are re-exported here: ``from evidence.stats import meta_analysis``.

One convention for confidence: every function takes ``level``, the confidence level as a
fraction (``level=0.95``; metafor's ``level=95`` is accepted too, see ``_common.check_level``).
``alpha`` names only a significance threshold (fragility index, statcheck-style consistency).
"""
from __future__ import annotations

import importlib

_EXPORTS = {
    "meta_analysis": "meta", "leave_one_out": "meta", "cumulative": "meta", "egger_test": "meta",
    "MetaResult": "meta", "tau2_estimate": "meta", "tau2_ci_qprofile": "meta",
    "prediction_interval": "meta", "mantel_haenszel": "meta", "peto": "meta",
    "odds_ratio": "effects", "risk_ratio": "effects", "risk_difference": "effects",
    "proportion": "effects", "nnt": "effects", "nnt_from_rd": "effects", "wilson_ci": "effects",
    "binary_effect_sizes": "effects", "correct_counts": "effects",
    "smd": "continuous", "mean_difference": "continuous", "or_to_smd": "continuous",
    "smd_to_or": "continuous", "smd_to_nnt": "continuous", "se_from_ci": "continuous",
    "se_from_p": "continuous",
    "fragility_index": "fragility",
    "check_estimate_ci": "consistency", "check_ci_p": "consistency", "check_percentage": "consistency",
    "grim": "consistency", "CheckResult": "consistency",
    "read_studies": "io", "validate_studies": "io", "StudyDataError": "io",
    "begg_test": "diagnostics", "trimfill": "diagnostics", "influence": "diagnostics",
    "meta_regression": "metareg", "subgroups": "metareg",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    mod = _EXPORTS.get(name)
    if mod is None:
        raise AttributeError(f"module 'evidence.stats' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{mod}"), name)
    globals()[name] = value
    return value


def __dir__():
    return sorted(list(globals()) + __all__)
