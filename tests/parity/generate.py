"""A seeded generator of varied meta-analysis datasets for the parity suite against R's metafor.

Binary sets: k from 2 to 30; tiny (1-8 per arm), small (10-60) and large (200-10,000) arms; zero
cells and double-zero studies; from homogeneous to very heterogeneous (τ on the log-OR scale 0,
0.4, 1.2). Generic (yi, vi) and continuous (means, SDs, n) sets likewise. Every set carries a
continuous moderator ``x1``, a binary moderator ``x2`` and a subgroup label ``grp``.
Deterministic: the same seed gives the same data on every machine (numpy's PCG64).
"""
from __future__ import annotations

import numpy as np
import pandas as pd

SEED = 20261201
SIZES = {"tiny": (1, 8), "small": (10, 60), "large": (200, 10_000)}
TAUS = (0.0, 0.4, 1.2)


def _extras(rng, k: int) -> dict:
    return {"x1": np.round(rng.normal(0, 1, k), 3), "x2": rng.integers(0, 2, k),
            "grp": rng.choice(["A", "B", "C"], k)}


def _counts(rng, k: int, size: str, tau: float, zeros: str) -> pd.DataFrame:
    lo, hi = SIZES[size]
    n1 = rng.integers(lo, hi + 1, k)
    n2 = rng.integers(lo, hi + 1, k)
    base = rng.uniform(0.02, 0.4)
    theta = rng.normal(0.6, tau, k) if tau else np.full(k, 0.6)
    logit = np.log(base / (1 - base)) + rng.normal(0, 0.3, k)
    p2 = 1 / (1 + np.exp(-logit))
    p1 = 1 / (1 + np.exp(-(logit + theta)))
    a, c = rng.binomial(n1, p1), rng.binomial(n2, p2)
    if zeros in ("zero", "double"):
        idx = rng.choice(k, max(1, k // 4), replace=False)
        c[idx] = 0
    if zeros == "double" and k > 2:
        j = rng.choice(k, 1)
        a[j] = 0
        c[j] = 0
    return pd.DataFrame({"events_treat": a, "n_treat": n1, "events_ctrl": c, "n_ctrl": n2})


def _generic(rng, k: int, tau: float) -> pd.DataFrame:
    vi = np.round(rng.uniform(0.01, 0.8, k), 6)
    yi = np.round(rng.normal(0.3, np.sqrt(vi + tau**2)), 6)
    return pd.DataFrame({"yi": yi, "vi": vi})


def _continuous(rng, k: int, size: str, tau: float) -> pd.DataFrame:
    lo, hi = SIZES["small" if size == "tiny" else size]
    n1, n2 = rng.integers(max(lo, 3), hi + 1, k), rng.integers(max(lo, 3), hi + 1, k)
    delta = rng.normal(0.4, tau / 2, k)
    sd1, sd2 = np.round(rng.uniform(5, 15, k), 3), np.round(rng.uniform(5, 15, k), 3)
    m2 = np.round(rng.normal(50, 5, k), 3)
    m1 = np.round(m2 + delta * (sd1 + sd2) / 2 + rng.normal(0, 1, k), 3)
    return pd.DataFrame({"mean_treat": m1, "sd_treat": sd1, "n_treat": n1,
                         "mean_ctrl": m2, "sd_ctrl": sd2, "n_ctrl": n2})


def datasets(seed: int = SEED, n_counts: int = 14, n_generic: int = 8, n_continuous: int = 6) -> list[dict]:
    """``[{"id", "kind", "frame", "desc"}]``; ``frame`` has a ``study`` column and x1, x2, grp."""
    rng = np.random.default_rng(seed)
    out = []
    zero_kinds = ("none", "zero", "double")
    for i in range(n_counts):
        size = list(SIZES)[i % 3]
        tau = TAUS[(i // 3) % 3]
        zeros = zero_kinds[(i + i // 3) % 3]
        k = int(rng.integers(2, 31)) if i > 1 else (2 + 28 * i)  # the first two: k = 2 and k = 30
        f = _counts(rng, k, size, tau, zeros)
        out.append({"kind": "counts", "frame": f, "desc": f"counts k={k} {size} arms tau={tau} zeros={zeros}"})
    for i in range(n_generic):
        tau = TAUS[i % 3]
        k = int(rng.integers(2, 31)) if i else 3
        f = _generic(rng, k, tau)
        if i == n_generic - 1:  # homogeneous to the digit: every yi equal (zero-width HKSJ CI)
            f["yi"] = 0.25
        out.append({"kind": "generic", "frame": f, "desc": f"generic k={k} tau={tau}"})
    for i in range(n_continuous):
        size = ("small", "large")[i % 2]
        tau = TAUS[i % 3]
        k = int(rng.integers(2, 31))
        out.append({"kind": "continuous", "frame": _continuous(rng, k, size, tau),
                    "desc": f"continuous k={k} {size} arms tau={tau}"})
    for j, d in enumerate(out):
        k = len(d["frame"])
        d["id"] = f"d{j:02d}"
        d["frame"].insert(0, "study", [f"{d['id']}-s{s + 1}" for s in range(k)])
        for col, v in _extras(rng, k).items():
            d["frame"][col] = v
    return out
