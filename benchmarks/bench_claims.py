"""Claims and verdicts at scale: ``evaluate_all`` on a synthetic corpus of up to 500 articles x 20 claims.

The synthetic evidence base lives in a temporary directory: the real sources,
outcomes, estimates, prevalence and facts tables are copied unchanged, and N
articles are generated, each with 20 claims taken in turn from the real
``claims.csv`` (so every real ``recompute`` spec, qualifier and claim type is
exercised, in the real mix). Each article's text is its claims' quotes, so the
verbatim-quote rule holds and the corpus validates.

For each size the script times loading + validating (``load_db``) and
``evaluate_all`` (after one untimed call on the same corpus), and prints the time per claim: constant time per claim means
the cost grows linearly. The slope and intercept of a least-squares line
through (claims, seconds) are printed with its R².

    python benchmarks/bench_claims.py [--quick] [--sizes 50,100,250,500] [--repeat N]
"""
from __future__ import annotations

import csv
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import DATA, fmt_s, median, parser, table, timed, write_json  # noqa: E402

CLAIMS_PER_ARTICLE = 20
COPIED = ("datapackage.json", "sources.csv", "outcomes.csv", "estimates.csv", "prevalence.csv", "facts.csv")


def build_corpus(dest: Path, n_articles: int, claims_per_article: int = CLAIMS_PER_ARTICLE,
                 source: Path = DATA) -> Path:
    """Write a synthetic data directory with ``n_articles`` articles to ``dest``; return it."""
    dest.mkdir(parents=True, exist_ok=True)
    (dest / "articles").mkdir(exist_ok=True)
    for name in COPIED:
        shutil.copyfile(source / name, dest / name)
    with open(source / "claims.csv", encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        claim_fields = list(reader.fieldnames or [])
        real = list(reader)
    with open(source / "articles.csv", encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        article_fields = list(reader.fieldnames or [])
    articles, claims = [], []
    i = 0
    for a in range(n_articles):
        aid = f"syn{a:04d}"
        quotes = []
        for j in range(claims_per_article):
            row = dict(real[i % len(real)])
            i += 1
            row["claim_id"] = f"{aid}-{j + 1:02d}"
            row["article_id"] = aid
            claims.append(row)
            quotes.append(row["quote"])
        rel = f"articles/{aid}.txt"
        (dest / rel).write_text(f"Synthetic article {a}.\n\n" + "\n\n".join(quotes) + "\n", encoding="utf-8")
        articles.append({"article_id": aid, "title": f"Synthetic article {a}", "publisher": "bench",
                         "file": rel, "date": "", "notes": ""})
    for name, fields, rows in (("articles.csv", article_fields, articles), ("claims.csv", claim_fields, claims)):
        with open(dest / name, "w", encoding="utf-8", newline="") as fh:
            w = csv.DictWriter(fh, fieldnames=fields)
            w.writeheader()
            for r in rows:
                w.writerow({k: r.get(k, "") for k in fields})
    return dest


def fit_line(xs: list[float], ys: list[float]) -> tuple[float, float, float]:
    """Least squares y = a + b x: (b, a, R²)."""
    n = len(xs)
    mx, my = sum(xs) / n, sum(ys) / n
    sxx = sum((x - mx) ** 2 for x in xs)
    sxy = sum((x - mx) * (y - my) for x, y in zip(xs, ys))
    b = sxy / sxx if sxx else float("nan")
    a = my - b * mx
    ss_tot = sum((y - my) ** 2 for y in ys)
    ss_res = sum((y - (a + b * x)) ** 2 for x, y in zip(xs, ys))
    r2 = 1 - ss_res / ss_tot if ss_tot else float("nan")
    return b, a, r2


def main(argv: list[str] | None = None) -> dict:
    p = parser(__doc__.splitlines()[0])
    p.add_argument("--sizes", default=None, help="numbers of articles, comma separated (default 50,100,250,500)")
    p.add_argument("--repeat", type=int, default=None, help="timed runs per size (default 5; --quick 1)")
    args = p.parse_args(argv)
    sizes = [int(s) for s in (args.sizes or ("10,25,50" if args.quick else "50,100,250,500")).split(",")]
    repeat = args.repeat or (1 if args.quick else 5)

    from evidence.claims import evaluate_all
    from evidence.db import load_db

    out: dict = {"claims_per_article": CLAIMS_PER_ARTICLE, "repeat": repeat, "sizes": []}
    with tempfile.TemporaryDirectory(prefix="evidence-bench-claims-") as tmp:
        # warm up imports and the statistics engine on the real data
        evaluate_all(load_db(DATA))
        rows = []
        for n in sizes:
            d = build_corpus(Path(tmp) / f"n{n}", n)
            load_times, db = timed(lambda: load_db(d), repeat)
            eval_times, df = timed(lambda: evaluate_all(db), repeat, warmup=1)
            n_claims = len(df)
            assert n_claims == n * CLAIMS_PER_ARTICLE, (n_claims, n)
            t_load, t_eval = median(load_times), median(eval_times)
            out["sizes"].append({"articles": n, "claims": n_claims, "load_validate_s": t_load,
                                 "evaluate_all_s": t_eval, "per_claim_s": t_eval / n_claims,
                                 "verdicts": df["verdict"].value_counts().to_dict()})
            rows.append([str(n), f"{n_claims:,}", fmt_s(t_load), fmt_s(t_eval), fmt_s(t_eval / n_claims),
                         fmt_s(t_load / n_claims)])
            shutil.rmtree(d, ignore_errors=True)
    xs = [s["claims"] for s in out["sizes"]]
    ys = [s["evaluate_all_s"] for s in out["sizes"]]
    per = [s["per_claim_s"] for s in out["sizes"]]
    slope, intercept, r2 = fit_line(xs, ys) if len(xs) > 1 else (float("nan"),) * 3
    ratio_per_claim = per[-1] / per[0]
    growth = (ys[-1] / ys[0], xs[-1] / xs[0])
    out.update(slope_s_per_claim=slope, intercept_s=intercept, r2=r2, per_claim_ratio_largest_smallest=ratio_per_claim,
               time_ratio=growth[0], size_ratio=growth[1])
    print(f"evaluate_all on synthetic corpora ({CLAIMS_PER_ARTICLE} claims per article, real recompute specs); "
          f"median of {repeat}")
    print(table(rows, ["articles", "claims", "load_db", "evaluate_all", "per claim", "load per claim"]))
    print(f"least squares: evaluate_all ≈ {intercept * 1e3:.1f} ms + {slope * 1e3:.3f} ms x claims (R² = {r2:.4f})")
    print(f"{growth[1]:.0f}x the claims took {growth[0]:.1f}x the time; per-claim time largest/smallest size = "
          f"{ratio_per_claim:.2f} (1.00 = exactly linear)")
    write_json(args.json, out)
    return out


if __name__ == "__main__":
    main()
