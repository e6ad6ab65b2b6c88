"""Statistics engine: effect sizes, meta-analysis, fragility and consistency checks.

Submodules (imported lazily so that ``evidence --help`` stays fast):

* :mod:`evidence.stats.effects` — OR, RR, RD (Newcombe), NNT/NNH, Wilson proportions
* :mod:`evidence.stats.continuous` — Hedges' g, MD, OR↔SMD, SMD→NNT, SE from CI/p
* :mod:`evidence.stats.meta` — :func:`meta_analysis` and friends
* :mod:`evidence.stats.fragility` — fragility and reverse fragility index
* :mod:`evidence.stats.consistency` — estimate/CI/p, percentage and GRIM checks
* :mod:`evidence.stats.io` — reading and validating a study table
* :mod:`evidence.stats.cli` — ``evidence meta``

The most used names are re-exported here: ``from evidence.stats import meta_analysis``.
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
