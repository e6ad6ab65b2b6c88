"""The report three ways, side by side on the same machine in one run.

(a) naive: what a user would script — for every page in the manifest (the
    article entry expanded over data/articles.csv) run the ``papermill`` CLI,
    then ``jupyter nbconvert --to html``, one after another;
(b) ``evidence report`` cold: an empty cache, every page executed;
(c) ``evidence report`` with nothing changed (every page from the cache);
(d) ``evidence report`` after editing one word of one claim of article 000
    (its search_note; the first claim of a type no evidence page lists) in a
    copy of data/: only the pages that read that column of that claim execute
    again (its article's page and the claim explorer);
(e) the same after a verdict-affecting edit (the claimed value of the first such
    claim with a number, plus one);
(f) with --no-pool-too: (b) with every kernel started when its page is due
    (EVIDENCE_REPORT_POOL=0), to show what the pool of kernels started ahead buys;
(g) with --no-fork-too: (b) with the pool's kernels each started as a process of its own
    (EVIDENCE_REPORT_FORK=0) instead of forked from one kernel server that imported once
    (evidence.report.forkserver), to show what the server buys;
(h) with --no-daemon-too: (d) without the warm daemon (EVIDENCE_REPORT_DAEMON=0): the edit's build
    starts a kernel server of its own, which imports everything again. (d) and (e) find the daemon
    their previous build (the pristine data, just before the edit) left warm, as a curator's edit
    a minute after the last build does; (b) has an empty cache, so no daemon, and starts one.

(a), (b), (d), (e) (and (f), (g)) alternate in every round, so that load from other
work on the machine falls on all of them; the ratios are taken within each
round and reported as median, min and max over the rounds, with the load
average (1 min) before each round. The cold
build's time is broken down from what each page recorded in the cache
(meta.json "timings": kernel start, the setup cell — imports and loading the
data —, the other cells, HTML export) and what is left for the build itself
(validation, planning, assembly, the offline check).

Everything is written to a temporary directory (its own --out and --cache);
report/ and .cache/ of the working tree are never touched. Targets: b/a <= 0.2,
d/b <= 0.3, (c) under 1.5 s.

    python benchmarks/bench_report.py [--quick] [--repeat N] [--repeat-cached N] [--jobs N] [--no-pool-too]
                                      [--no-fork-too]
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

TARGET_RATIO = 0.2            # cold build / naive loop
TARGET_EDIT_RATIO = 0.3       # one-claim edit rebuild / cold build
TARGET_CACHED_S = 1.5
EDIT_ARTICLE = "000"          # the article whose claim is edited (article_id prefix)


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


def edit_claimed_value(data_dir: Path, n: int) -> str:
    """Add 1 + n to the claimed value of the first claim of article EDIT_ARTICLE that has one (of a type
    no evidence page lists): a verdict-affecting edit; returns the claim id."""
    path = data_dir / "claims.csv"
    raw = path.read_text(encoding="utf-8")
    with open(path, encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    header = rows[0]
    col, aid, typ = header.index("claimed_value"), header.index("article_id"), header.index("claim_type")
    for r in rows[1:]:
        if r[aid].startswith(EDIT_ARTICLE) and r[typ] not in ("prevalence", "onset", "durability") and r[col]:
            r[col] = f"{float(r[col]) + 1 + n:g}"
            with open(path, "w", encoding="utf-8", newline="") as fh:
                csv.writer(fh, lineterminator="\r\n" if "\r\n" in raw else "\n").writerows(rows)
            return r[0]
    raise RuntimeError(f"no claim of article {EDIT_ARTICLE} with a claimed value in {path}")


def edit_one_claim(data_dir: Path, n: int) -> str:
    """Change one word of the search_note of the first claim of article EDIT_ARTICLE (a different
    word each time, so that every edit is a change); returns the claim id."""
    path = data_dir / "claims.csv"
    with open(path, encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    header = rows[0]
    col, aid = header.index("search_note"), header.index("article_id")
    typ = header.index("claim_type")
    for r in rows[1:]:
        # a claim of a type no evidence page lists (prevalence, onset and durability claims are also
        # shown on the prevalence and dose-route pages, which then execute too)
        if r[aid].startswith(EDIT_ARTICLE) and r[typ] not in ("prevalence", "onset", "durability"):
            r[col] = (r[col] + f" (benchmark edit {n})").strip()
            crlf = b"\r\n" in path.read_bytes()
            with open(path, "w", encoding="utf-8", newline="") as fh:
                csv.writer(fh, lineterminator="\r\n" if crlf else "\n").writerows(rows)
            return r[0]
    raise RuntimeError(f"no claim of article {EDIT_ARTICLE} in {path}")


def breakdown(cache: Path, total_s: float, jobs: int) -> dict:
    """Sum of the per-page timings the cold build recorded, and what the build spent outside pages."""
    sums = {"kernel_start_s": 0.0, "setup_cell_s": 0.0, "other_cells_s": 0.0, "export_s": 0.0, "page_s": 0.0}
    pages = 0
    for meta in cache.glob("*/meta.json"):
        m = json.loads(meta.read_text(encoding="utf-8"))
        t = m.get("timings") or {}
        pages += 1
        sums["page_s"] += m.get("seconds", 0.0)
        for k in ("kernel_start_s", "setup_cell_s", "other_cells_s", "export_s"):
            sums[k] += t.get(k, 0.0)
    # pages run `jobs` at a time: the wall time of the page phase is at least their sum / jobs
    sums["pages"] = pages
    sums["build_total_s"] = total_s
    sums["pages_wall_floor_s"] = sums["page_s"] / max(jobs, 1)
    sums["outside_pages_s"] = max(total_s - sums["pages_wall_floor_s"], 0.0)
    return sums


#: the steps of a build's timeline (EVIDENCE_REPORT_TRACE=1, evidence.report.trace), latest page for each
STEPS = (("planned", "build: planned"), ("first cell", ": first cell"), ("cells done", ": cells done"),
         ("pages done", "build: pages done"), ("checked", "build: checked"))


def timeline(stderr: str) -> dict[str, float]:
    """Seconds since the process started at which each step of :data:`STEPS` was reached (the last page's)."""
    out: dict[str, float] = {}
    for ln in stderr.splitlines():
        m = re.match(r"trace \+\s*([0-9.]+) s  (.*)$", ln)
        if not m:
            continue
        for name, marker in STEPS:
            if marker in m.group(2):
                out[name] = max(out.get(name, 0.0), float(m.group(1)))
    return out


def run_evidence(args: list[str], env: dict) -> tuple[float, str]:
    secs, proc = run_timed([str(BIN / "evidence"), "report", *args], env=env, cwd=REPO)
    return secs, proc.stderr


def _spread(xs: list[float]) -> str:
    return f"median {median(xs):.2f}, min {min(xs):.2f}, max {max(xs):.2f}" if xs else "n/a"


class _Routes:
    """The timed routes of one run, each writing into ``out``."""

    def __init__(self, tmp: Path, data_dir: Path, pristine: bytes, pages: list, base: list[str], jobs: list[str],
                 njobs: int, env: dict, out: dict):
        self.tmp, self.data_dir, self.pristine, self.pages = tmp, data_dir, pristine, pages
        self.base, self.jobs, self.njobs, self.env, self.out = base, jobs, njobs, env, out

    def naive(self, i: int) -> None:
        r = run_naive(self.pages, self.tmp / "naive", self.data_dir, self.env)
        self.out["naive"].append(r)
        print(f"  (a) naive papermill + nbconvert: {fmt_s(r['total_s'])} "
              f"(papermill {fmt_s(r['papermill_s'])}, nbconvert {fmt_s(r['nbconvert_s'])})", flush=True)

    def cold(self, i: int, pool: bool = True, fork: bool = True) -> None:
        cache = self.tmp / f"cold-cache-{i}-{int(pool)}{int(fork)}"
        shutil.rmtree(cache, ignore_errors=True)
        env = {**self.env, "EVIDENCE_REPORT_POOL": "1" if pool else "0", "EVIDENCE_REPORT_FORK": "1" if fork else "0"}
        secs, err = run_evidence([*self.base, "--cache", str(cache), "--out", str(self.tmp / "report-cold"),
                                  *self.jobs], env)
        m = re.search(r"\((\d+) pages: (\d+) executed", err)
        assert m and m.group(1) == m.group(2) == str(len(self.pages)), err
        key, label = ("force", "b") if pool and fork else ("force_nopool", "f") if fork else ("force_nofork", "g")
        self.out[key].append(secs)
        if key == "force":
            self.out["breakdown"].append(breakdown(cache, secs, self.njobs))
        shutil.rmtree(cache, ignore_errors=True)
        how = {"b": "", "f": ", no kernel pool", "g": ", no kernel server: each pooled kernel imports"}[label]
        print(f"  ({label}) evidence report, cold (empty cache{how}): {fmt_s(secs)}", flush=True)

    def edit(self, i: int, kind: str, daemon: bool = True) -> None:
        cache, rep = self.tmp / "edit-cache", self.tmp / "report-edit"
        (self.data_dir / "claims.csv").write_bytes(self.pristine)
        run_evidence([*self.base, "--cache", str(cache), "--out", str(rep), *self.jobs], self.env)   # up to date
        # (h) edits with other words than (d) of the same round: else its pages are in the cache already
        claim = (edit_one_claim if kind == "note" else edit_claimed_value)(self.data_dir, i if daemon else 1000 + i)
        try:
            secs, err = run_evidence([*self.base, "--cache", str(cache), "--out", str(rep), *self.jobs],
                                     {**self.env, "EVIDENCE_REPORT_TRACE": "1",
                                      "EVIDENCE_REPORT_DAEMON": "1" if daemon else "0"})
        finally:
            (self.data_dir / "claims.csv").write_bytes(self.pristine)
        ran = sorted(ln.split()[1] for ln in err.splitlines() if ln.startswith("  executed "))
        key = "edit_nodaemon" if not daemon else "edit" if kind == "note" else "edit_value"
        self.out[key].append(secs)
        self.out[key + "_executed"].append(ran)
        self.out[key + "_timeline"].append(timeline(err))
        self.out[key + "_warm"].append("daemon: warm" in err)
        what = "one word of the search_note" if kind == "note" else "the claimed value"
        label = "h" if not daemon else "d" if kind == "note" else "e"
        how = "no daemon" if not daemon else "daemon warm" if "daemon: warm" in err else "daemon NOT warm"
        print(f"  ({label}) evidence report after editing {what} of claim {claim} ({how}): "
              f"{fmt_s(secs)}, executed {len(ran)}: {', '.join(ran)}", flush=True)


def _cached(r: _Routes, repeat: int) -> None:
    """(c): the edit cache is current again once it is rebuilt with the pristine claims.csv."""
    cache, rep = r.tmp / "edit-cache", r.tmp / "report-edit"
    run_evidence([*r.base, "--cache", str(cache), "--out", str(rep), *r.jobs], r.env)
    attempts = 0
    while len(r.out["cached"]) < repeat:
        secs, err = run_evidence([*r.base, "--cache", str(cache), "--out", str(rep)], r.env)
        if f"({len(r.pages)} pages: 0 executed" in err:
            r.out["cached"].append(secs)
            continue
        attempts += 1          # something changed under us: that run executed pages; not a cached run
        print(f"  (c) discarded a run that executed pages (inputs changed): {err.strip().splitlines()[-1]}",
              flush=True)
        if attempts > 3:
            raise RuntimeError("the inputs keep changing; cannot time a build with nothing changed")
    print(f"  (c) evidence report, nothing changed: {', '.join(fmt_s(s) for s in r.out['cached'])}", flush=True)


def _summarise(out: dict) -> None:
    a = median([r["total_s"] for r in out["naive"]]) if out["naive"] else float("nan")
    b, c, d = median(out["force"]), median(out["cached"]), median(out["edit"])
    rounds_ba = [f / n["total_s"] for f, n in zip(out["force"], out["naive"])]
    rounds_db = [e / f for e, f in zip(out["edit"], out["force"])]
    rounds_eb = [e / f for e, f in zip(out["edit_value"], out["force"])]
    rounds_fb = [f / g for f, g in zip(out["force_nopool"], out["force"])]
    rounds_gb = [g / f for g, f in zip(out["force_nofork"], out["force"])]
    rounds_ga = [g / n["total_s"] for g, n in zip(out["force_nofork"], out["naive"])]
    rounds_hb = [h / f for h, f in zip(out["edit_nodaemon"], out["force"])]
    rounds_dh = [e / h for e, h in zip(out["edit"], out["edit_nodaemon"])]
    ratio = median(rounds_ba) if rounds_ba else float("nan")
    edit_ratio = median(rounds_db)
    out.update(naive_median_s=a, force_median_s=b, cached_median_s=c, edit_median_s=d,
               edit_value_median_s=median(out["edit_value"]), ratio_b_over_a=ratio, ratio_d_over_b=edit_ratio,
               ratio_e_over_b=median(rounds_eb), rounds_b_over_a=rounds_ba, rounds_d_over_b=rounds_db,
               rounds_e_over_b=rounds_eb, rounds_nopool_over_pool=rounds_fb, rounds_nofork_over_fork=rounds_gb,
               rounds_nofork_over_naive=rounds_ga, rounds_h_over_b=rounds_hb, rounds_d_over_h=rounds_dh,
               ratio_target=TARGET_RATIO, edit_ratio_target=TARGET_EDIT_RATIO, cached_target_s=TARGET_CACHED_S,
               ratio_met=(ratio <= TARGET_RATIO) if ratio == ratio else None,
               edit_ratio_met=edit_ratio <= TARGET_EDIT_RATIO and max(rounds_eb or [0]) <= TARGET_EDIT_RATIO,
               cached_met=c < TARGET_CACHED_S)
    rows = [
        ["(a) papermill CLI + nbconvert, sequential", fmt_s(a), "1.00", "", str(len(out["naive"]))],
        [f"(b) evidence report, cold (jobs {out['jobs']})", fmt_s(b), f"{b / a:.2f}" if a == a else "",
         f"b/a <= {TARGET_RATIO}: {'met' if out['ratio_met'] else 'MISSED'}" if a == a else "", str(len(out["force"]))],
        ["(c) evidence report, nothing changed", fmt_s(c), f"{c / a:.3f}" if a == a else "",
         f"< {TARGET_CACHED_S} s: {'met' if out['cached_met'] else 'MISSED'}", str(len(out["cached"]))],
        ["(d) one claim's search_note edited", fmt_s(d), f"{d / a:.3f}" if a == a else "",
         f"d/b <= {TARGET_EDIT_RATIO}: {'met' if edit_ratio <= TARGET_EDIT_RATIO else 'MISSED'}", str(len(out["edit"]))],
        ["(e) one claim's claimed value edited", fmt_s(out["edit_value_median_s"]), "", "", str(len(out["edit_value"]))],
    ]
    if out["force_nopool"]:
        rows.append(["(f) cold, no kernel pool", fmt_s(median(out["force_nopool"])), "", "",
                     str(len(out["force_nopool"]))])
    if out["force_nofork"]:
        rows.append(["(g) cold, no kernel server", fmt_s(median(out["force_nofork"])), "", "",
                     str(len(out["force_nofork"]))])
    if out["edit_nodaemon"]:
        rows.append(["(h) (d) without the warm daemon", fmt_s(median(out["edit_nodaemon"])), "", "",
                     str(len(out["edit_nodaemon"]))])
    print(table(rows, ["route", "median", "ratio to (a)", "target", "runs"]))
    print(f"per round (load average before each: {', '.join(f'{x:.1f}' for x in out['load'])}; "
          f"after the last: {out.get('load_after', float('nan')):.1f}):")
    print(f"  b/a cold/naive:            {_spread(rounds_ba)}  [{', '.join(f'{x:.3f}' for x in rounds_ba)}]")
    print(f"  d/b search_note edit/cold: {_spread(rounds_db)}  [{', '.join(f'{x:.3f}' for x in rounds_db)}]")
    print(f"  e/b claimed-value edit/cold: {_spread(rounds_eb)}  [{', '.join(f'{x:.3f}' for x in rounds_eb)}]")
    if rounds_fb:
        print(f"  f/b no pool/pool (cold):   {_spread(rounds_fb)}")
    if rounds_hb:
        print(f"  h/b search_note edit without the daemon/cold: {_spread(rounds_hb)}  "
              f"[{', '.join(f'{x:.3f}' for x in rounds_hb)}]")
        print(f"  d/h the edit with/without the warm daemon: {_spread(rounds_dh)}")
    for key, label in (("edit_warm", "d"), ("edit_value_warm", "e")):
        if out.get(key):
            print(f"  ({label}) found the daemon warm in {sum(out[key])} of {len(out[key])} rounds")
    if rounds_gb:
        print(f"  g/b no server/server (cold): {_spread(rounds_gb)}")
        print(f"  g/a cold without the server/naive: {_spread(rounds_ga)}")
    for key, label in (("edit_executed", "d"), ("edit_value_executed", "e")):
        kinds = {tuple(x) for x in out[key]}
        print(f"  pages executed by ({label}): " + "; ".join(f"{len(k)}: {', '.join(k)}" for k in sorted(kinds)))
    for key, label in (("edit_timeline", "d"), ("edit_value_timeline", "e"), ("edit_nodaemon_timeline", "h")):
        tls = [t for t in out[key] if t]
        if tls:
            print(f"  ({label}) timeline, median s since the process started: " + ", ".join(
                f"{name} {median([t[name] for t in tls if name in t]):.2f}" for name, _ in STEPS
                if any(name in t for t in tls)))
    if out["breakdown"]:
        bd = out["breakdown"][len(out["breakdown"]) // 2]
        print(f"cold build breakdown ({bd['pages']} pages, summed over pages; {out['jobs']} at a time): "
              f"kernel start {fmt_s(bd['kernel_start_s'])}, setup cell (imports + data) {fmt_s(bd['setup_cell_s'])}, "
              f"other cells {fmt_s(bd['other_cells_s'])}, HTML export {fmt_s(bd['export_s'])}; "
              f"page total {fmt_s(bd['page_s'])} (/ {out['jobs']} = {fmt_s(bd['pages_wall_floor_s'])}); "
              f"build {fmt_s(bd['build_total_s'])}, of which outside pages >= {fmt_s(bd['outside_pages_s'])}")


def main(argv: list[str] | None = None) -> dict:
    p = parser(__doc__.splitlines()[0])
    p.add_argument("--repeat", type=int, default=3, help="rounds of (a), (b), (d) and (e) (default 3)")
    p.add_argument("--repeat-cached", type=int, default=5, help="runs of (c) (default 5)")
    p.add_argument("--jobs", type=int, default=None, help="--jobs for (b) and (d) (default: evidence's own, the CPUs)")
    p.add_argument("--manifest", type=Path, default=REPO / "notebooks" / "manifest.toml")
    p.add_argument("--data", type=Path, default=DATA)
    p.add_argument("--no-validate", action="store_true", help="pass --no-validate to evidence report")
    p.add_argument("--skip-naive", action="store_true", help="time only (b), (c), (d) and (e)")
    p.add_argument("--no-pool-too", action="store_true", help="also time (f): cold without the kernel pool")
    p.add_argument("--no-fork-too", action="store_true",
                   help="also time (g): cold with pooled kernels that each import, not forked from the kernel server")
    p.add_argument("--no-daemon-too", action="store_true",
                   help="also time (h): (d) without the warm daemon (EVIDENCE_REPORT_DAEMON=0)")
    p.add_argument("--keep", type=Path, default=None, help="keep the outputs in this directory (default: deleted)")
    args = p.parse_args(argv)
    if args.quick:
        args.repeat_cached = min(args.repeat_cached, 3)

    manifest, src_data = args.manifest.resolve(), args.data.resolve()
    tmp = Path(args.keep or tempfile.mkdtemp(prefix="evidence-bench-report-"))
    tmp.mkdir(parents=True, exist_ok=True)
    # a copy of data/: routes (d) and (e) edit it (the same bytes as data/ for (a), (b) and (c))
    data_dir = tmp / "data"
    shutil.rmtree(data_dir, ignore_errors=True)
    shutil.copytree(src_data, data_dir)
    pages = naive_pages(manifest, data_dir)
    env = {**os.environ, "EVIDENCE_DATA": str(data_dir), "PYTHONHASHSEED": "0"}
    env.pop("SOURCE_DATE_EPOCH", None)
    njobs = args.jobs or len(os.sched_getaffinity(0))
    base = ["--manifest", str(manifest), "--data", str(data_dir), *(["--no-validate"] if args.no_validate else [])]
    out: dict = {"pages": len(pages), "repeat": args.repeat, "repeat_cached": args.repeat_cached, "jobs": njobs,
                 "naive": [], "force": [], "force_nopool": [], "force_nofork": [], "cached": [], "edit": [], "edit_executed": [],
                 "edit_value": [], "edit_value_executed": [], "edit_timeline": [], "edit_value_timeline": [],
                 "edit_nodaemon": [], "edit_nodaemon_executed": [], "edit_nodaemon_timeline": [],
                 "edit_warm": [], "edit_value_warm": [], "edit_nodaemon_warm": [], "breakdown": [], "load": []}
    r = _Routes(tmp, data_dir, (data_dir / "claims.csv").read_bytes(), pages, base,
                ["--jobs", str(args.jobs)] if args.jobs else [], njobs, env, out)
    routes = {"a": r.naive, "b": r.cold, "d": lambda i: r.edit(i, "note"), "e": lambda i: r.edit(i, "value"),
              "f": lambda i: r.cold(i, pool=False), "g": lambda i: r.cold(i, fork=False),
              "h": lambda i: r.edit(i, "note", daemon=False)}
    names = [k for k in "abdefgh" if not (k == "a" and args.skip_naive) and not (k == "f" and not args.no_pool_too)
             and not (k == "g" and not args.no_fork_too) and not (k == "h" and not args.no_daemon_too)]
    try:
        # untimed warm-up: one page through the pipeline (own cache and output), so that the first timed
        # route does not alone pay for cold disk caches (Python imports in the kernel and the builder)
        t_w, _ = run_timed([str(BIN / "evidence"), "report", *base, "--cache", str(tmp / "warm-cache"),
                            "--out", str(tmp / "warm"), "--only", pages[-1][0], "-q"], env=env, cwd=REPO)
        shutil.rmtree(tmp / "warm-cache", ignore_errors=True)
        shutil.rmtree(tmp / "warm", ignore_errors=True)
        print(f"  warm-up (one page, untimed): {fmt_s(t_w)}", flush=True)
        for i in range(args.repeat):
            out["load"].append(os.getloadavg()[0])
            print(f"round {i + 1} (load average {out['load'][-1]:.1f})", flush=True)
            k = i % len(names)        # the order rotates from round to round: no route always runs first
            for which in names[k:] + names[:k]:
                routes[which](i)
        _cached(r, args.repeat_cached)
        out["load_after"] = os.getloadavg()[0]
    finally:
        if args.keep is None:
            shutil.rmtree(tmp, ignore_errors=True)
    print(f"report: {len(pages)} pages from {manifest.relative_to(REPO) if manifest.is_relative_to(REPO) else manifest}; "
          "medians")
    _summarise(out)
    write_json(args.json, out)
    return out


if __name__ == "__main__":
    main()
