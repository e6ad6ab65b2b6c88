"""Meta-analysis engine at scale: REML on k = 10,000 synthetic studies (fixed seed).

Side by side in one run: the same 10,000 studies pooled by REML from effects
already on the log scale (``yi, vi``) and from 2x2 counts (effect sizes and
zero-cell corrections computed first), with fixed-effect and DerSimonian-Laird
as references. Prints the median of ``--repeat`` runs and the ratio to FE.

    python benchmarks/bench_meta.py [--quick] [--repeat N] [--k K]
"""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from _common import fmt_s, median, parser, table, timed, write_json  # noqa: E402

SEED = 20240611
TRUE_LOG_OR = 0.4
TRUE_TAU2 = 0.05


def synthetic_effects(k: int, seed: int = SEED) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    vi = rng.uniform(0.01, 0.5, k)
    yi = rng.normal(TRUE_LOG_OR, np.sqrt(TRUE_TAU2 + vi))
    return pd.DataFrame({"study": [f"s{i}" for i in range(k)], "yi": yi, "vi": vi})


def synthetic_counts(k: int, seed: int = SEED) -> pd.DataFrame:
    rng = np.random.default_rng(seed + 1)
    n_t = rng.integers(10, 200, k)
    n_c = rng.integers(10, 200, k)
    base = rng.uniform(0.05, 0.5, k)
    log_or = rng.normal(TRUE_LOG_OR, np.sqrt(TRUE_TAU2), k)
    odds_t = base / (1 - base) * np.exp(log_or)
    p_t = odds_t / (1 + odds_t)
    return pd.DataFrame({"study": [f"s{i}" for i in range(k)],
                         "events_treat": rng.binomial(n_t, p_t), "n_treat": n_t,
                         "events_ctrl": rng.binomial(n_c, base), "n_ctrl": n_c})


def main(argv: list[str] | None = None) -> dict:
    p = parser(__doc__.splitlines()[0])
    p.add_argument("--repeat", type=int, default=None, help="timed runs per case (default 5; --quick 3)")
    p.add_argument("--k", type=int, default=10_000, help="number of studies (default 10,000)")
    args = p.parse_args(argv)
    repeat = args.repeat or (3 if args.quick else 5)

    from evidence.stats.meta import meta_analysis

    k = args.k
    eff = synthetic_effects(k)
    cnt = synthetic_counts(k)
    cases = [
        ("FE, yi/vi", lambda: meta_analysis(eff, measure="OR", method="FE")),
        ("DL, yi/vi", lambda: meta_analysis(eff, measure="OR", method="DL")),
        ("REML, yi/vi", lambda: meta_analysis(eff, measure="OR", method="REML")),
        ("REML, 2x2 counts", lambda: meta_analysis(cnt, measure="OR", method="REML")),
        ("REML + HKSJ, yi/vi", lambda: meta_analysis(eff, measure="OR", method="REML", hksj=True)),
    ]
    rows, out = [], {"k": k, "seed": SEED, "repeat": repeat, "cases": {}}
    base = None
    for name, fn in cases:
        times, res = timed(fn, repeat, warmup=1)
        med = median(times)
        base = base or med
        out["cases"][name] = {"median_s": med, "times_s": times, "tau2": res.tau2, "estimate": res.estimate,
                              "k": res.k}
        rows.append([name, fmt_s(med), f"{med / base:.1f}x", f"{res.tau2:.4f}", f"{res.estimate:.3f}", str(res.k)])
    print(f"meta_analysis on k = {k:,} synthetic studies (seed {SEED}; true OR {np.exp(TRUE_LOG_OR):.3f}, "
          f"tau² {TRUE_TAU2}); median of {repeat}")
    print(table(rows, ["case", "median", "vs FE", "tau²", "OR", "k"]))
    out["reml_median_s"] = out["cases"]["REML, yi/vi"]["median_s"]
    write_json(args.json, out)
    return out


if __name__ == "__main__":
    main()
