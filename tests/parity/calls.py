"""The parity calls: each dataset of :mod:`generate` with every method the project offers,
as an `evidence meta` option set and as the metafor call it must equal (see metafor_calls.R)."""
from __future__ import annotations

from functools import lru_cache

import pandas as pd

from .generate import datasets

RE = ("DL", "REML", "PM", "ML")


@lru_cache(maxsize=1)
def sets() -> dict[str, dict]:
    return {d["id"]: d for d in datasets()}


def r_data() -> pd.DataFrame:
    """Every dataset in one long table with metafor's argument names."""
    rows = []
    for d in sets().values():
        f = d["frame"].rename(columns={"events_treat": "ai", "n_treat": "n1i", "events_ctrl": "ci",
                                       "n_ctrl": "n2i", "mean_treat": "m1i", "sd_treat": "sd1i",
                                       "mean_ctrl": "m2i", "sd_ctrl": "sd2i"}).copy()
        f.insert(0, "dataset", d["id"])
        rows.append(f)
    return pd.concat(rows, ignore_index=True)


def _call(ds, kind, measure, model, method, hksj=False, correction="all_if_zero", extra=""):
    cid = f"{ds}:{measure}:{model}:{method}:{'knha' if hksj else 'z'}:{correction}"
    return {"call": cid, "dataset": ds, "kind": kind, "measure": measure, "model": model, "method": method,
            "hksj": int(hksj), "correction": correction, "extra": extra}


def all_calls() -> list[dict]:
    out = []
    for ds, d in sets().items():
        kind = d["kind"]
        if kind == "counts":
            for measure in ("OR", "RR", "RD"):
                for m in ("FE",) + RE:
                    out.append(_call(ds, kind, measure, "rma", m, extra="egger;begg;loo;cumul" if m == "FE" else ""))
                for m in ("DL", "REML"):
                    out.append(_call(ds, kind, measure, "rma", m, hksj=True))
                for corr in ("none", "all_if_zero"):
                    out.append(_call(ds, kind, measure, "mh", "MH", correction=corr))
            out.append(_call(ds, kind, "OR", "peto", "PETO", correction="none"))
        else:
            measures = ("SMD", "MD") if kind == "continuous" else ("GEN",)
            for measure in measures:
                for m in ("FE",) + RE:
                    extra = {"REML": "egger;begg;loo;cumul;influence;trimfill;mods;subgroup",
                             "DL": "mods;subgroup;trimfill", "FE": "mods;trimfill", "ML": "mods", "PM": "mods"}[m]
                    out.append(_call(ds, kind, measure, "rma", m, extra=extra))
                for m in ("DL", "REML", "PM"):
                    out.append(_call(ds, kind, measure, "rma", m, hksj=True, extra="mods;influence"))
    return out
