"""Train, validate and write the claim-sentence classifier of ``evidence check`` (src/evidence/check/claimclf.py).

Training data: the labelled corpus in tests/corpus/, **training splits only** (``TRAIN_SPLITS``: dev, holdout … holdout8;
never the unseen split). Every sentence ``check`` reads (heading and list item included) is one example: positive when it
overlaps a labelled claim, negative otherwise (labelling is exhaustive: a sentence overlapping only a
``non_claims.csv`` row, or nothing, states no checkable claim).

The model is an L2-regularized logistic regression fitted with scipy's L-BFGS (scipy is already a dependency; the
fit is convex, so the optimum does not depend on the start), written as readable JSON with weights rounded to 4
decimals. Word features are kept only when they occur on at least ``MIN_SITES`` sites, so a phrasing of one page
cannot carry weight.

Validation is grouped cross-validation, the honest measure of copy never seen:

* **leave-one-split-out**: fit on every training split but one, measure on it;
* **leave-one-site-out**: fit on every site but one, measure on it.

For each, it prints detection (labelled claims with a detected item) and items outside any labelled claim,
**before** (``check``'s detectors alone) and **after** (detectors plus the classifier's sentences), overall and for
word claims (every kind but the five figure kinds), by kind.

    python benchmarks/train_claim_classifier.py            # validate and print the figures
    python benchmarks/train_claim_classifier.py --write    # ... and (re)write src/evidence/check/claimclf_model.json
    python benchmarks/train_claim_classifier.py --check    # exit 1 if retraining does not reproduce the shipped model
"""
from __future__ import annotations

import argparse
import json
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO / "src"))
sys.path.insert(0, str(HERE))

import numpy as np  # noqa: E402
from scipy import optimize, sparse  # noqa: E402

import bench_check_corpus as bench  # noqa: E402

#: figure claims: detected by the figure detectors (the word claims are every other kind)
FIGURE_KINDS = frozenset({"response_rate", "prevalence", "sample_size", "symptom_change", "effect_size"})
MIN_SITES = 4          # a word feature must occur on at least this many sites
L2 = 4.0               # the penalty: lambda * ||w||^2 / 2 (the intercept is not penalized)
#: a sentence at or above this probability is a claim. Chosen by grouped CV through the whole of check, never by
#: train, with the rule written in benchmarks/README.md ("The operating point, session 10";
#: ``benchmarks/cv_operating_point.py --choose`` applies it): the highest CV detection at which items outside any label
#: stay within issue 15's 20% on the recent splits (holdout5 … , labelled under the inclusive rules the new splits
#: are labelled under) under both leave-one-split-out and leave-one-site-out; the old splits (dev … holdout4) are
#: reported but not budgeted. Session 10 (clf10), eleven splits (1919 claims, main c4c0af8): 0.575 → 0.425, detection
#: 1611 → 1701 (split-out) and 1621 → 1698 (site-out), recent outside 17.7% → 19.7% and 17.9% → 19.8%. With holdout11
#: joined (twelve splits, 2159 claims, main 7feb854) the rule chose again: 0.425 is over on the recent splits
#: site-out (20.3%), so **0.45**: detection 1777 → 1871 split-out, 1794 → 1879 site-out, recent outside 19.65% and
#: 19.53%; on thirteen splits with words10's and settle10's rules (main 8c1e387) 0.45 again (2022 → 2101 split-out,
#: recent 19.63% / 19.73%; 0.425 site-out 20.15%). Session 9 (0.6 → 0.575) chose by overall CV outside, which the
#: old splits raise (23.8% at 0.575 on twelve splits, recent 17.7%); holdout10's own split-out fold (12.4%) matched
#: its one unseen measurement (12%).
#: Session 11 (clf11), fifteen splits (2883 claims, main 4afb336), the rule chose again: **0.425** gains 18 detections
#: split-out (2571 → 2589) and 16 site-out (2580 → 2596), over MIN_GAIN under each scheme, at recent outside 19.59%
#: and 19.42% (0.45: 19.42% / 19.18%); holdout10 … holdout14 963 → 979 of 1166 split-out.
#: Session 12, eighteen splits (coord 3d7cdaa), the rule chose **0.4** (+16 split-out, +22 site-out detections, recent
#: CV outside 19.94% / 19.65%), and the session's final unseen measurement was run at 0.4 (coord 5e4a066); it was then
#: taken back to 0.425 because at 0.4 the classifier lists "However, ketamine was originally developed to be used as an
#: anesthetic." whole, a sentence labelling rule 1 calls background (tests/test_check_precision_s9.py fails): the rule
#: must first learn that a sentence the background rule sets aside is no classifier claim.
THRESHOLD = 0.425
#: only sentences with no detected item get a classifier item (the detectors' quotes are more precise)
ROUND = 4


@dataclass
class Example:
    page_id: str
    split: str
    site: str
    text: str
    start: int
    end: int
    whole_line: bool
    list_item: bool
    heading: bool
    positive: bool
    kinds: list[str]
    blocked: bool = False             # an item of it was found not to be a claim (sift lists no back-up there)
    clause_of: str | None = None      # a clause example: the text of its sentence (claimclf.clause_features)
    section: str | None = None        # the heading of the section it stands in (detect.sections)
    items: list[tuple[int, int, bool]] = field(default_factory=list)   # detector items in it: (start, end, outside)


@dataclass
class Page:
    page_id: str
    split: str
    site: str
    labels: list[tuple[tuple[int, int], str]]          # (span, kind)
    items: list[tuple[int, int]]                       # the detectors' items (after check's sift)
    examples: list[Example]


def site_of(url: str) -> str:
    return urlparse(url).netloc.lower().removeprefix("www.")


def build() -> list[Page]:
    """Every training page: its labels, check's items (the detectors alone) and its sentences as examples."""
    from evidence.check import claimclf

    labels = bench.read_csv("labels.csv")
    claimclf.ENABLED = False         # what the detectors find alone
    try:
        return [_page(pg, [r for r in labels if r["page_id"] == pg["page_id"]]) for pg in bench.pages("train")]
    finally:
        claimclf.ENABLED = True


def _page(pg: dict, labels: list[dict]) -> Page:
    from evidence.check import check
    from evidence.check.detect import is_heading

    path = bench.page_file(pg["page_id"])
    res = check(path.read_bytes(), filename=path.name)
    labs = [(sp, lab["kind"]) for lab in labels if (sp := bench.locate(res.analysis.text, lab["quote"])) is not None]
    items = [(int(c["start"]), int(c["end"])) for c in res.claims]
    from evidence.check.sift import PASSING_CODES

    # (an item set aside as part of the sentence's other words never blocks the back-up: evidence.check.sift)
    nons = [int(x["start"]) for x in res.non_claims if x.get("reason_code") not in PASSING_CODES]
    from evidence.check.detect import sections

    exs = []
    for s, section in zip(res.analysis.sentences, sections(res.analysis.sentences)):
        kinds = [k for sp, k in labs if sp[0] < s.end and s.start < sp[1]]
        inside = [(a, b, not any(sp[0] < b and a < sp[1] for sp, _ in labs)) for a, b in items
                  if a < s.end and s.start < b]
        exs.append(Example(pg["page_id"], pg["split"], site_of(pg["url"]), s.text, s.start, s.end, s.whole_line,
                           s.list_item, is_heading(s.text, s.whole_line), bool(kinds), kinds,
                           blocked=any(s.start <= a < s.end for a in nons),
                           items=inside, section=section))
        exs.extend(_clause_examples(exs[-1], s.text, labs, nons, pg))
    return Page(pg["page_id"], pg["split"], site_of(pg["url"]), labs, items, exs)


def _clause_examples(sent: Example, text: str, labs: list, nons: list[int], pg: dict) -> list[Example]:
    """The clauses of a sentence of several (``claimclf.candidate_clauses``) as examples of their own, positive when a
    label overlaps them: the units the clause back-up reads (``sift._classifier_backup`` lists a clause that holds no
    detector item). A clause that holds a detector item is not an example (the back-up never reads it). Fitting on
    the clauses of every sentence, not only of those a detector reads in part, measured the same detection and fewer
    items outside leave-one-split-out (725 vs 723 of 885; 240/1221 vs 244/1229 at threshold 0.4/0.45)."""
    from evidence.check.claimclf import candidate_clauses

    out = []
    for a, b in candidate_clauses(text):
        a, b = a + sent.start, b + sent.start
        if any(x < b and a < y for x, y, _ in sent.items):
            continue
        kinds = [k for sp, k in labs if sp[0] < b and a < sp[1]]
        out.append(Example(pg["page_id"], pg["split"], sent.site, text[a - sent.start:b - sent.start], a, b, False,
                           False, False, bool(kinds), kinds, blocked=any(a <= x < b for x in nons), clause_of=text))
    return out


# ------------------------------------------------------------------ the model

def feats(ex: Example) -> dict[str, float]:
    from evidence.check.claimclf import clause_features, features, section_features

    if ex.clause_of is not None:
        return clause_features(ex.text, features(ex.clause_of))
    return {**features(ex.text, whole_line=ex.whole_line, list_item=ex.list_item, heading=ex.heading),
            **section_features(ex.section)}


def vocabulary(exs: list[Example], fs: list[dict]) -> list[str]:
    """The features the model may weigh: every non-word feature, and words seen on >= MIN_SITES sites."""
    sites: dict[str, set[str]] = defaultdict(set)
    for ex, f in zip(exs, fs):
        for k in f:
            sites[k].add(ex.site)
    return sorted(k for k, s in sites.items() if not k.startswith("w:") or len(s) >= MIN_SITES)


def fit(exs: list[Example], fs: list[dict] | None = None, l2: float = L2) -> dict:
    """An L2-regularized logistic regression on these examples: {"intercept", "weights", "threshold"}."""
    fs = fs if fs is not None else [feats(e) for e in exs]
    vocab = vocabulary(exs, fs)
    col = {k: i for i, k in enumerate(vocab)}
    rows, cols, vals = [], [], []
    for r, f in enumerate(fs):
        for k, v in f.items():
            if k in col:
                rows.append(r)
                cols.append(col[k])
                vals.append(v)
    X = sparse.csr_matrix((vals, (rows, cols)), shape=(len(fs), len(vocab)))
    y = np.array([1.0 if e.positive else 0.0 for e in exs])


    def loss(theta):
        b, w = theta[0], theta[1:]
        z = X @ w + b
        # log(1 + e^z) - y z, stably
        ll = np.logaddexp(0.0, z) - y * z
        p = 1.0 / (1.0 + np.exp(-z))
        g = p - y
        return ll.sum() + 0.5 * l2 * w @ w, np.concatenate([[g.sum()], X.T @ g + l2 * w])

    res = optimize.minimize(loss, np.zeros(len(vocab) + 1), jac=True, method="L-BFGS-B",
                            options={"maxiter": 5000, "gtol": 1e-8, "ftol": 1e-12})
    theta = res.x
    weights = {k: round(float(w), ROUND) for k, w in zip(vocab, theta[1:]) if round(float(w), ROUND) != 0.0}
    return {"intercept": round(float(theta[0]), ROUND), "threshold": THRESHOLD, "weights": weights}


def predict(m: dict, f: dict) -> float:
    z = m["intercept"] + sum(m["weights"].get(k, 0.0) * v for k, v in f.items())
    return 1.0 / (1.0 + float(np.exp(-np.clip(z, -60, 60))))


# ------------------------------------------------------------------ measuring

@dataclass
class Tally:
    labels: Counter = field(default_factory=Counter)
    detected: Counter = field(default_factory=Counter)
    items: int = 0
    outside: int = 0

    def add(self, other: "Tally") -> None:
        self.labels.update(other.labels)
        self.detected.update(other.detected)
        self.items += other.items
        self.outside += other.outside


def measure(page: Page, positive: set[int] | None, vetoed: set[int] = frozenset()) -> Tally:
    """Detection and items outside on one page: the detectors' items, plus (``positive`` given) one item per
    sentence the classifier calls a claim and no detector item covers, minus the items of ``vetoed`` sentences."""
    gone = {(a, b) for i in vetoed for a, b, _ in page.examples[i].items}
    items = [it for it in page.items if it not in gone]
    if positive is not None:
        for i in positive:
            ex = page.examples[i]
            if ex.clause_of is None and not ex.items and not ex.blocked:
                items.append((ex.start, ex.end))
    t = Tally()
    for sp, kind in page.labels:
        group = "word" if kind not in FIGURE_KINDS else "figure"
        hit = any(sp[0] < b and a < sp[1] for a, b in items)
        for key in ("all", group, "kind:" + (kind or "?")):
            t.labels[key] += 1
            t.detected[key] += hit
    t.items = len(items)
    t.outside = sum(not any(sp[0] < b and a < sp[1] for sp, _ in page.labels) for a, b in items)
    return t


def cross_validate(pages: list[Page], key: str) -> tuple[Tally, Tally]:
    """(before, after) tallies, each page measured by a model fitted without its group (``split`` or ``site``)."""
    fs = {p.page_id: [feats(e) for e in p.examples] for p in pages}
    before, after = Tally(), Tally()
    for g in sorted({getattr(p, key) for p in pages}):
        train = [p for p in pages if getattr(p, key) != g]
        exs = [e for p in train for e in p.examples]
        m = fit(exs, [f for p in train for f in fs[p.page_id]])
        for p in (p for p in pages if getattr(p, key) == g):
            pos = {i for i, f in enumerate(fs[p.page_id]) if predict(m, f) >= m["threshold"]}
            before.add(measure(p, None))
            after.add(measure(p, pos))
    return before, after


def _pct(n: int, d: int) -> str:
    return f"{100 * n / d:.0f}% ({n}/{d})" if d else "–"


def report(name: str, before: Tally, after: Tally) -> str:
    lines = [f"{name}: detection before → after; items outside before → after"]
    keys = ["all", "word", "figure"] + sorted(k for k in before.labels if k.startswith("kind:"))
    for k in keys:
        lines.append(f"  {k:<28} {_pct(before.detected[k], before.labels[k]):>16} → "
                     f"{_pct(after.detected[k], after.labels[k]):>16}")
    lines.append(f"  {'outside':<28} {_pct(before.outside, before.items):>16} → {_pct(after.outside, after.items):>16}")
    return "\n".join(lines)


def cv_figures(pages: list[Page]) -> dict:
    out = {}
    for key in ("split", "site"):
        b, a = cross_validate(pages, key)
        out[key] = {"before": {"detection": b.detected["all"] / b.labels["all"],
                               "word_detection": b.detected["word"] / b.labels["word"],
                               "outside": b.outside / b.items},
                    "after": {"detection": a.detected["all"] / a.labels["all"],
                              "word_detection": a.detected["word"] / a.labels["word"],
                              "outside": a.outside / a.items},
                    "text": report(f"leave-one-{key}-out", b, a)}
    return out


def trained(pages: list[Page] | None = None) -> dict:
    """The model fitted on every training page (what is shipped)."""
    pages = pages if pages is not None else build()
    m = fit([e for p in pages for e in p.examples])
    return {"about": "claim-sentence classifier of evidence check; written by benchmarks/train_claim_classifier.py "
                     "--write from tests/corpus (training splits); do not edit by hand",
            "l2": L2, "min_sites": MIN_SITES, **m}


def dump(m: dict) -> str:
    return json.dumps(m, indent=1, sort_keys=True) + "\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--write", action="store_true", help="(re)write src/evidence/check/claimclf_model.json")
    ap.add_argument("--check", action="store_true", help="exit 1 unless retraining reproduces the shipped model")
    ap.add_argument("--no-cv", action="store_true", help="skip the cross-validation")
    a = ap.parse_args(argv)
    from evidence.check.claimclf import MODEL_PATH

    pages = build()
    if not a.no_cv:
        for v in cv_figures(pages).values():
            print(v["text"])
    m = trained(pages)
    if a.check:
        same = MODEL_PATH.exists() and MODEL_PATH.read_text(encoding="utf-8") == dump(m)
        print("shipped model reproduced" if same else "shipped model differs from a retrained one")
        return 0 if same else 1
    if a.write:
        MODEL_PATH.write_text(dump(m), encoding="utf-8")
        print(f"wrote {MODEL_PATH.relative_to(REPO)} ({len(m['weights'])} weights)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
