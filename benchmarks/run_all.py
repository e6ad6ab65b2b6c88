"""Run every benchmark in one go on this machine and print the headline figures (``make bench``).

    python benchmarks/run_all.py [--quick] [--only NAME ...] [--skip NAME ...] [--repeat N]

Each benchmark runs in its own process (fresh imports) and writes its figures
to benchmarks/out/<name>.json; the summary goes to benchmarks/out/summary.json.
``--quick`` runs smaller sizes and fewer repeats (a smoke run: minutes, not a
measurement). ``--repeat N`` sets the runs of the two slow report builds
(naive and --force); the build with nothing changed always runs 5 times
(3 with --quick). Exit status 1 when a benchmark failed to run (a missed
target is reported, not an error).
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from _common import fmt_s, machine, table  # noqa: E402

# name -> script; run in this order (cheap first, the report last)
BENCHMARKS = {
    "meta": "bench_meta.py",
    "claims": "bench_claims.py",
    "check": "bench_check.py",       # written with `evidence check` (speed on 2,000 words, recall)
    "check_corpus": "bench_check_corpus.py",  # `evidence check` on the labelled unseen pages, dev split only
    "report": "bench_report.py",
}
OUT = HERE / "out"


def headline(name: str, r: dict) -> list[list[str]]:
    """Rows (figure, value, target) for the summary table."""
    if name == "meta":
        c = r["cases"]
        return [[f"REML, k = {r['k']:,} (yi/vi)", fmt_s(c["REML, yi/vi"]["median_s"]), ""],
                [f"REML, k = {r['k']:,} (2x2 counts)", fmt_s(c["REML, 2x2 counts"]["median_s"]), ""]]
    if name == "claims":
        big = r["sizes"][-1]
        return [[f"evaluate_all, {big['articles']} articles x {r['claims_per_article']} claims",
                 fmt_s(big["evaluate_all_s"]), ""],
                ["  time per claim (slope)", fmt_s(r["slope_s_per_claim"]), f"linear: R² = {r['r2']:.4f}"],
                ["  per-claim time, largest / smallest size", f"{r['per_claim_ratio_largest_smallest']:.2f}",
                 "1.00 = linear"],
                [f"load_db + validate, {big['claims']:,} claims", fmt_s(big["load_validate_s"]), ""]]
    if name == "check":
        rows = [[f"evidence check, {r['words']:,} words", fmt_s(r["check_median_s"]),
                 f"< 1 s: {'met' if r.get('under_1s') else 'MISSED'}"]]
        if "recall_min" in r:
            rows.append(["  lowest per-article recall", f"{r['recall_min']:.1%}", ">= 90%"])
        return rows
    if name == "check_corpus":
        o = r["overall"]
        pct = lambda x: "n/a" if x is None else f"{x:.0%}"
        return [[f"check on unseen pages ({r['split']}, {r['pages']} pages, {o['labels']} claims): detection",
                 pct(o["detection"]), ">= 90%"],
                ["  agreement on holds/fails", pct(o["agreement"]), ">= 85%"],
                ["  confident verdicts on unknown claims", pct(o["confident_on_unknown"]), "<= 10%"],
                ["  detected items outside expected claims", pct(o["outside_share"]), "<= 20%"]]
    if name == "report":
        ratio = r.get("ratio_b_over_a")
        rows = []
        if r.get("naive"):
            rows.append([f"report (a) naive papermill + nbconvert, {r['pages']} pages", fmt_s(r["naive_median_s"]), ""])
        rows.append([f"report (b) evidence report --force (jobs {r['jobs']})", fmt_s(r["force_median_s"]),
                     f"b/a = {ratio:.2f} (<= {r['ratio_target']}: {'met' if r['ratio_met'] else 'MISSED'})"
                     if r.get("naive") else ""])
        rows.append(["report (c) evidence report, nothing changed", fmt_s(r["cached_median_s"]),
                     f"< {r['cached_target_s']} s: {'met' if r['cached_met'] else 'MISSED'}"])
        return rows
    return []


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--quick", action="store_true", help="smaller sizes, fewer repeats")
    p.add_argument("--only", nargs="+", choices=list(BENCHMARKS), help="run only these")
    p.add_argument("--skip", nargs="+", choices=list(BENCHMARKS), default=[], help="leave these out")
    p.add_argument("--repeat", type=int, default=None, help="runs of the slow report builds (a) and (b) (default 1)")
    args = p.parse_args(argv)

    info = machine()
    print("machine: " + ", ".join(f"{k} {v}" for k, v in info.items()), flush=True)
    OUT.mkdir(parents=True, exist_ok=True)
    summary: dict = {"machine": info, "quick": args.quick, "results": {}, "failed": {}}
    rows: list[list[str]] = []
    for name, script in BENCHMARKS.items():
        if (args.only and name not in args.only) or name in args.skip:
            continue
        path = HERE / script
        if not path.is_file():
            print(f"\n== {name}: {script} not found, skipped", flush=True)
            summary["failed"][name] = f"{script} not found"
            continue
        cmd = [sys.executable, str(path), "--json", str(OUT / f"{name}.json")]
        if args.quick:
            cmd.append("--quick")
        if name == "report" and args.repeat:
            cmd += ["--repeat", str(args.repeat)]
        print(f"\n== {name}: {' '.join(cmd[1:])}", flush=True)
        (OUT / f"{name}.json").unlink(missing_ok=True)
        t0 = time.perf_counter()
        rc = subprocess.call(cmd)
        secs = time.perf_counter() - t0
        if rc != 0 or not (OUT / f"{name}.json").is_file():
            print(f"== {name}: FAILED (exit {rc}) after {secs:.0f} s", flush=True)
            summary["failed"][name] = f"exit {rc}"
            continue
        print(f"== {name}: done in {secs:.0f} s", flush=True)
        result = json.loads((OUT / f"{name}.json").read_text())
        summary["results"][name] = result
        rows += headline(name, result)

    print("\nsummary (medians)" + (" -- QUICK RUN, not a measurement" if args.quick else ""))
    print(table(rows, ["figure", "value", "target"]) if rows else "(nothing ran)")
    print(f"machine: {info['nproc']} CPUs ({info['cpu']}), {info['ram']} RAM, Python {info['python']}, "
          f"{info['date']}, load average at start {info['loadavg_at_start']}")
    for name, why in summary["failed"].items():
        print(f"FAILED: {name}: {why}")
    (OUT / "summary.json").write_text(json.dumps(summary, indent=2, default=str) + "\n", encoding="utf-8")
    return 1 if summary["failed"] else 0


if __name__ == "__main__":
    raise SystemExit(main())
