"""The report three ways, side by side on the same machine in one run.

(a) naive: what a user would script — for every page in the manifest (the
    article entry expanded over data/articles.csv) run the ``papermill`` CLI,
    then ``jupyter nbconvert --to html``, one after another;
(b) ``evidence report --force`` (parallel kernels, every page executed again);
(c) ``evidence report`` with nothing changed (every page from the cache).

Everything is written to a temporary directory (its own --out and --cache);
report/ and .cache/ of the working tree are never touched. Targets: b/a <= 0.35
on a 2-core machine, (c) under 1.5 s.

    python benchmarks/bench_report.py [--quick] [--repeat N] [--repeat-cached N] [--jobs N]
"""
from __future__ import annotations

import csv
import json
import os
import re
import shutil
import sys
import tempfile
import time
import tomllib
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import BIN, DATA, REPO, fmt_s, median, parser, run_timed, table, write_json  # noqa: E402

TARGET_RATIO = 0.35
TARGET_CACHED_S = 1.5


def naive_pages(manifest: Path, data_dir: Path) -> list[tuple[str, Path, dict]]:
    """(page name, notebook, parameters) for every page, expanded the way a user's script would."""
    raw = tomllib.loads(manifest.read_text(encoding="utf-8"))
    pages = []
    for e in raw.get("page", []):
        nb = (manifest.parent / e["notebook"]).resolve()
        params = dict(e.get("parameters", {}))
        if "foreach_csv" in e:
            spec = Path(e["foreach_csv"])
            csv_path = data_dir.joinpath(*spec.parts[1:]) if spec.parts[0] == "data" else data_dir / spec
            col = e["foreach_column"]
            with open(csv_path, encoding="utf-8-sig", newline="") as fh:
                for row in csv.DictReader(fh):
                    if row.get(col, "").strip():
                        pages.append((f"{e['name']}-{row[col].strip()}", nb, {**params, col: row[col].strip()}))
        elif "foreach" in e:
            keys = list(e["foreach"])
            for values in zip(*e["foreach"].values()):
                pages.append((e["name"] + "-" + "-".join(map(str, values)), nb, {**params, **dict(zip(keys, values))}))
        else:
            pages.append((e["name"], nb, params))
    return pages


def run_naive(pages, out: Path, data_dir: Path, env: dict) -> dict:
    """papermill then nbconvert, page after page; returns timings."""
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    t_pm = t_nbc = 0.0
    t0 = time.perf_counter()
    for name, nb, params in pages:
        executed = out / f"{name}.ipynb"
        # the data directory, as the pipeline passes it (a user would pass -p data_dir too)
        params = {**params, "data_dir": os.path.relpath(data_dir, nb.parent)}
        cmd = [str(BIN / "papermill"), str(nb), str(executed), "--cwd", str(nb.parent), "-y", json.dumps(params)]
        s, _ = run_timed(cmd, env=env)
        t_pm += s
        s, _ = run_timed([str(BIN / "jupyter"), "nbconvert", "--to", "html", str(executed)], env=env)
        t_nbc += s
    total = time.perf_counter() - t0
    htmls = sorted(out.glob("*.html"))
    assert len(htmls) == len(pages), f"naive route wrote {len(htmls)} pages, expected {len(pages)}"
    return {"total_s": total, "papermill_s": t_pm, "nbconvert_s": t_nbc}


def run_evidence(args: list[str], env: dict) -> tuple[float, str]:
    secs, proc = run_timed([str(BIN / "evidence"), "report", *args], env=env, cwd=REPO)
    return secs, proc.stderr


def main(argv: list[str] | None = None) -> dict:
    p = parser(__doc__.splitlines()[0])
    p.add_argument("--repeat", type=int, default=1, help="runs of (a) and (b) (default 1)")
    p.add_argument("--repeat-cached", type=int, default=5, help="runs of (c) (default 5)")
    p.add_argument("--jobs", type=int, default=None, help="--jobs for (b) (default: evidence's own, the CPUs)")
    p.add_argument("--manifest", type=Path, default=REPO / "notebooks" / "manifest.toml")
    p.add_argument("--data", type=Path, default=DATA)
    p.add_argument("--no-validate", action="store_true", help="pass --no-validate to evidence report")
    p.add_argument("--skip-naive", action="store_true", help="time only (b) and (c)")
    p.add_argument("--keep", type=Path, default=None, help="keep the outputs in this directory (default: deleted)")
    args = p.parse_args(argv)
    if args.quick:
        args.repeat_cached = min(args.repeat_cached, 3)

    manifest, data_dir = args.manifest.resolve(), args.data.resolve()
    pages = naive_pages(manifest, data_dir)
    env = {**os.environ, "EVIDENCE_DATA": str(data_dir), "PYTHONHASHSEED": "0"}
    env.pop("SOURCE_DATE_EPOCH", None)
    tmp = Path(args.keep or tempfile.mkdtemp(prefix="evidence-bench-report-"))
    tmp.mkdir(parents=True, exist_ok=True)
    common = ["--manifest", str(manifest), "--data", str(data_dir), "--cache", str(tmp / "cache")]
    if args.no_validate:
        common.append("--no-validate")
    jobs = ["--jobs", str(args.jobs)] if args.jobs else []
    out: dict = {"pages": len(pages), "repeat": args.repeat, "repeat_cached": args.repeat_cached,
                 "jobs": args.jobs or len(os.sched_getaffinity(0)), "naive": [], "force": [], "cached": []}
    try:
        # untimed warm-up: one page through the pipeline (own cache and output), so that the first timed
        # route does not alone pay for cold disk caches (Python imports in the kernel and the builder)
        t_w, _ = run_timed([str(BIN / "evidence"), "report", "--manifest", str(manifest), "--data", str(data_dir),
                            "--cache", str(tmp / "warm-cache"), "--out", str(tmp / "warm"), "--only", pages[-1][0],
                            "-q", *(["--no-validate"] if args.no_validate else [])], env=env, cwd=REPO)
        shutil.rmtree(tmp / "warm-cache", ignore_errors=True)
        shutil.rmtree(tmp / "warm", ignore_errors=True)
        print(f"  warm-up (one page, untimed): {fmt_s(t_w)}", flush=True)
        for i in range(args.repeat):
            # (b) first on even rounds, (a) first on odd ones: neither always pays for cold disk caches
            order = ["b", "a"] if i % 2 == 0 else ["a", "b"]
            for which in order:
                if which == "a" and not args.skip_naive:
                    r = run_naive(pages, tmp / "naive", data_dir, env)
                    out["naive"].append(r)
                    print(f"  (a) naive papermill + nbconvert: {fmt_s(r['total_s'])} "
                          f"(papermill {fmt_s(r['papermill_s'])}, nbconvert {fmt_s(r['nbconvert_s'])})", flush=True)
                elif which == "b":
                    secs, err = run_evidence([*common, "--out", str(tmp / "report"), "--force", *jobs], env)
                    m = re.search(r"\((\d+) pages: (\d+) executed", err)
                    assert m and m.group(1) == m.group(2) == str(len(pages)), err
                    out["force"].append(secs)
                    print(f"  (b) evidence report --force: {fmt_s(secs)}", flush=True)
        # one untimed build brings the cache up to date: the naive route ran since (b), and the
        # cache key covers src/evidence, which others may be editing while the benchmark runs
        run_evidence([*common, "--out", str(tmp / "report"), *jobs], env)
        attempts = 0
        while len(out["cached"]) < args.repeat_cached:
            secs, err = run_evidence([*common, "--out", str(tmp / "report")], env)
            if f"({len(pages)} pages: 0 executed" in err:
                out["cached"].append(secs)
                continue
            attempts += 1          # something changed under us: that run executed pages; not a cached run
            print(f"  (c) discarded a run that executed pages (inputs changed): {err.strip().splitlines()[-1]}",
                  flush=True)
            if attempts > 3:
                raise RuntimeError("the inputs keep changing; cannot time a build with nothing changed")
        print(f"  (c) evidence report, nothing changed: {', '.join(fmt_s(s) for s in out['cached'])}", flush=True)
    finally:
        if args.keep is None:
            shutil.rmtree(tmp, ignore_errors=True)

    a = median([r["total_s"] for r in out["naive"]]) if out["naive"] else float("nan")
    b = median(out["force"])
    c = median(out["cached"])
    ratio = b / a if out["naive"] else float("nan")
    out.update(naive_median_s=a, force_median_s=b, cached_median_s=c, ratio_b_over_a=ratio,
               ratio_target=TARGET_RATIO, cached_target_s=TARGET_CACHED_S,
               ratio_met=(ratio <= TARGET_RATIO) if ratio == ratio else None, cached_met=c < TARGET_CACHED_S)
    rows = [
        ["(a) papermill CLI + nbconvert, sequential", fmt_s(a), "1.00", "", str(len(out["naive"]))],
        [f"(b) evidence report --force (jobs {out['jobs']})", fmt_s(b), f"{ratio:.2f}" if a == a else "",
         f"<= {TARGET_RATIO}: {'met' if out['ratio_met'] else 'MISSED'}" if a == a else "", str(len(out["force"]))],
        ["(c) evidence report, nothing changed", fmt_s(c), f"{c / a:.3f}" if a == a else "",
         f"< {TARGET_CACHED_S} s: {'met' if out['cached_met'] else 'MISSED'}", str(len(out["cached"]))],
    ]
    print(f"report: {len(pages)} pages from {manifest.relative_to(REPO) if manifest.is_relative_to(REPO) else manifest}; "
          "medians")
    print(table(rows, ["route", "median", "ratio to (a)", "target", "runs"]))
    write_json(args.json, out)
    return out


if __name__ == "__main__":
    main()
