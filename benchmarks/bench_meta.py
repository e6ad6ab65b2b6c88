"""Meta-analysis engine at scale: REML on k = 10,000 synthetic studies (fixed seed).

Side by side in one run: the same 10,000 studies pooled by REML from effects
already on the log scale (``yi, vi``) and from 2x2 counts (effect sizes and
zero-cell corrections computed first), with fixed-effect and DerSimonian-Laird
as references. Prints the median of ``--repeat`` runs and the ratio to FE.

``--methods`` adds every method of ``evidence meta`` on ``--big-k`` (default 100,000) 2x2
tables, the start-up cost of the command (``evidence meta --help``, and the command on a
3-study file), and, when ``Rscript`` with metafor is installed, metafor on the same data side
by side (``rma``, ``rma.mh``, ``rma.peto``, timed inside R with ``system.time``) at
``--r-k`` studies (default 2,000: ``rma.uni`` works with k×k matrices, 80 GB at k = 100,000).

    python benchmarks/bench_meta.py [--quick] [--repeat N] [--k K] [--methods] [--big-k K] [--r-k K]
"""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from _common import fmt_s, median, parser, run_timed, table, timed, write_json  # noqa: E402

import shutil  # noqa: E402
import subprocess  # noqa: E402
import tempfile  # noqa: E402

METHODS = ("FE", "MH", "PETO", "DL", "PM", "REML", "ML", "MH_DL")
#: the metafor call for each method (MH with add = 0 on the raw tables; MH_DL has none)
R_CALL = {"FE": 'rma(measure="OR", ai=ai, bi=bi, ci=ci, di=di, method="FE")',
          "MH": 'rma.mh(measure="OR", ai=ai, bi=bi, ci=ci, di=di)',
          "PETO": "rma.peto(ai=ai, bi=bi, ci=ci, di=di)",
          "DL": 'rma(measure="OR", ai=ai, bi=bi, ci=ci, di=di, method="DL")',
          "PM": 'rma(measure="OR", ai=ai, bi=bi, ci=ci, di=di, method="PM")',
          "REML": 'rma(measure="OR", ai=ai, bi=bi, ci=ci, di=di, method="REML")',
          "ML": 'rma(measure="OR", ai=ai, bi=bi, ci=ci, di=di, method="ML")'}

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
    p.add_argument("--methods", action="store_true", help="every method at --big-k, start-up, metafor side by side")
    p.add_argument("--big-k", type=int, default=100_000, help="studies for --methods (default 100,000)")
    p.add_argument("--r-k", type=int, default=2_000, help="studies for the metafor comparison (default 2,000)")
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
    if args.methods:
        out["methods"] = every_method(args.big_k, args.r_k, 1 if args.quick else min(repeat, 3))
    write_json(args.json, out)
    return out


def _metafor_times(cnt: pd.DataFrame, repeat: int) -> dict | None:
    """Median seconds of each metafor call on ``cnt`` (inside R), or None without R/metafor."""
    if not shutil.which("Rscript"):
        return None
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "d.csv"
        cnt.to_csv(path, index=False)
        lines = ["suppressMessages(library(metafor))", f'd <- read.csv("{path}")',
                 "ai <- d$events_treat; bi <- d$n_treat - ai; ci <- d$events_ctrl; di <- d$n_ctrl - ci"]
        for m, call in R_CALL.items():
            lines.append(f't <- replicate({repeat}, system.time(suppressWarnings({call}))[["elapsed"]]); '
                         f'cat("{m}", median(t), "\\n")')
        proc = subprocess.run(["Rscript", "-e", "\n".join(lines)], capture_output=True, text=True, timeout=3600)
    if proc.returncode:
        return {"error": proc.stderr[-500:]}
    return {ln.split()[0]: float(ln.split()[1]) for ln in proc.stdout.splitlines() if ln.strip()}


def every_method(big_k: int, r_k: int, repeat: int) -> dict:
    """Every method on ``big_k`` tables; start-up; metafor side by side on ``r_k`` tables."""
    from evidence.stats.meta import meta_analysis

    res: dict = {"big_k": big_k, "r_k": r_k, "repeat": repeat, "evidence_big": {}, "evidence_r_k": {}}
    big, small = synthetic_counts(big_k), synthetic_counts(r_k, seed=SEED + 7)
    for m in METHODS:
        times, _ = timed(lambda m=m: meta_analysis(big, measure="OR", method=m), repeat, warmup=0)
        res["evidence_big"][m] = median(times)
        times, _ = timed(lambda m=m: meta_analysis(small, measure="OR", method=m), repeat, warmup=1)
        res["evidence_r_k"][m] = median(times)
    exe = str(Path(sys.executable).with_name("evidence"))
    with tempfile.TemporaryDirectory() as tmp:
        three = Path(tmp) / "three.csv"
        big.head(3).to_csv(three, index=False)
        bigf = Path(tmp) / "big.csv"
        big.to_csv(bigf, index=False)
        res["startup_help_s"] = median([run_timed([exe, "meta", "--help"])[0] for _ in range(3)])
        res["startup_3_studies_s"] = median([run_timed([exe, "meta", str(three)])[0] for _ in range(3)])
        res["cli_big_reml_s"] = run_timed([exe, "meta", str(bigf), "--method", "REML", "--format", "json"])[0]
    if shutil.which("Rscript"):
        res["r_startup_s"] = median([run_timed(["Rscript", "-e", "suppressMessages(library(metafor))"])[0]
                                     for _ in range(3)])
    res["metafor_r_k"] = _metafor_times(small, repeat)
    rows = []
    for m in METHODS:
        r = (res["metafor_r_k"] or {}).get(m)
        ours = res["evidence_r_k"][m]
        rows.append([m, fmt_s(res["evidence_big"][m]), fmt_s(ours), fmt_s(r) if r is not None else "—",
                     f"{r / ours:.0f}x" if r else "—"])
    print(f"\nevery method: evidence on k = {big_k:,} 2x2 tables; evidence and metafor on k = {r_k:,}; "
          f"median of {repeat}")
    print(table(rows, ["method", f"evidence, k={big_k:,}", f"evidence, k={r_k:,}", f"metafor, k={r_k:,}",
                       "metafor / evidence"]))
    print(f"start-up: `evidence meta --help` {fmt_s(res['startup_help_s'])}, `evidence meta` on 3 studies "
          f"{fmt_s(res['startup_3_studies_s'])}, Rscript + library(metafor) {fmt_s(res.get('r_startup_s', float('nan')))}; "
          f"`evidence meta` on {big_k:,} studies (REML, read + fit + JSON) {fmt_s(res['cli_big_reml_s'])}")
    return res


if __name__ == "__main__":
    main()
