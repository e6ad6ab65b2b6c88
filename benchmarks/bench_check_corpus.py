"""evidence check on unseen copy: the labelled corpus in tests/corpus/ (issue 15, Deliver item 8).

For every page of the chosen split this runs ``evidence check`` (the Python API), matches what it detects
to the hand-labelled claims and prints, per page and overall:

* **detection** — labelled claims with at least one detected item / labelled claims;
* **agreement on holds/fails** — among detected labelled claims whose expected verdict is ``holds`` or
  ``fails`` and that got a verdict, the share whose verdict agrees (``holds`` ⇔ the verdict holds);
  beside it, the same restricted to claims whose figure the curated tables hold
  (``settleable_by_data = yes``), and the share of the detected holds/fails claims that abstained;
* **confident verdicts on unknown** — detected claims labelled ``unknown`` that got a verdict instead of
  "not checkable" / all detected claims labelled ``unknown`` (lower is better);
* **items outside expected claims** — detected items that overlap no labelled claim / all detected items
  (lower is better); the items among them that overlap a ``non_claims.csv`` row (prices, ratings, dates…)
  are counted separately as well.

Matching rule. Each labelled quote (and each non-claim quote) is located in the text ``check`` worked on
(``CheckResult.analysis.text``): exactly if it occurs there, else after collapsing runs of white space and
folding typographic quotes/dashes on both sides (so the rule also works on HTML pages, whose text is
extracted). A detected item and a labelled claim match when their character spans overlap by at least
one character. A labelled claim may match several items: it counts as detected if any item matches; its
verdict is the set of holds/fails values of the matching items that gave a verdict — none → abstained,
all holds → holds, any fails → fails (a label is one claim: it fails when a part of it that check settles
fails; each item keeps its own span and verdict; until session 11 both values counted as "conflicting", a
disagreement even on a fails label whose failing part check found).

Abstaining. An item abstains when it gives no holds/fails value (``holds is None``: "not checkable here",
"linked, not evaluated") or its verdict is ``unverifiable`` ("the source the article names cannot be
identified, so the claim cannot be checked").

The adapter between ``check``'s output and this benchmark is :func:`items_of`; if ``check``'s JSON
changes, only that function changes. It counts **claim items only** (``CheckReport.claims``): what ``check``
lists as "not a claim" (``CheckReport.non_claims``: prices, the clinic's own figures, a time in a story, a
repeated statement …, each with its reason in words and no verdict) is neither a detection nor an item
outside any label.

    python benchmarks/bench_check_corpus.py [--split dev|holdout|holdout2|holdout3|train|holdout4|holdout5|holdout6|holdout7|holdout8|holdout9|holdout10|holdout11|holdout12|holdout13|holdout14|holdout15|holdout16|holdout17|holdout18|holdout19|all] [--json [PATH]]
        [--show-outside] [--show-missed]
    python benchmarks/bench_check_corpus.py --cv [--json]     # leave-one-split-out over the training splits

The holdout, holdout2 and holdout3 splits were each measured once, untouched (sessions 1, 2 and 3; figures in the
closing notes), and are open for development since (``train`` = dev + holdout + holdout2 + holdout3 since
session 4, + holdout4 since session 5, + holdout5 since session 7, + holdout6 and holdout7 since the end of
session 8, + holdout8, holdout9 and holdout10 since session 9). Each holdout split was measured once and then joined train; the newest split (``UNSEEN_SPLITS``) is
for the final measurement only (tests/corpus/README.md): do not read it or tune on it, and do not run ``all``
while developing.
"""
from __future__ import annotations

import argparse
import csv
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
CORPUS = REPO / "tests" / "corpus"

ABSTAIN_VERDICTS = {"unverifiable"}


# ------------------------------------------------------------------ the adapter (the only check-specific code)

@dataclass
class Item:
    start: int
    end: int
    quote: str
    verdict: str
    holds: bool | None      # None = abstained ("not checkable here")


def items_of(path: Path, data_dir: Path | None = None) -> tuple[str, list[Item]]:
    """Run ``evidence check`` on one page: (the text it worked on, the detected items). A page ``check`` refuses
    (``InputError``: copy in a language it does not read, German for one) is scored as it is for an editor: nothing
    detected, every label on it missed, nothing outside."""
    from evidence.check import check
    from evidence.check.textprep import InputError

    try:
        res = check(path.read_bytes(), filename=path.name, data_dir=data_dir)
    except InputError:
        return path.read_text(encoding="utf-8"), []
    items = []
    for c in res.claims:
        verdict = str(c.get("verdict") or "")
        holds = c.get("holds")
        if c.get("checkable") is False or verdict in ABSTAIN_VERDICTS:
            holds = None
        start, end = c.get("start"), c.get("end")
        if start is None or end is None:      # no span given: locate the quote
            start = res.analysis.text.find(c.get("quote") or "\0")
            end = start + len(c.get("quote") or "")
        items.append(Item(int(start), int(end), str(c.get("quote") or ""), verdict,
                          None if holds is None else bool(holds)))
    return res.analysis.text, items


# ------------------------------------------------------------------ reading the corpus

def read_csv(name: str) -> list[dict]:
    with open(CORPUS / name, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


#: the splits developed on (dev, and the holdouts already measured once each: holdout4 joined in session 5,
#: holdout5 in session 7, holdout6 and holdout7 at the end of session 8 after their one measurement,
#: benchmarks/README.md "holdout6 and holdout7, measured once"), holdout8 at the start of session 9 after its one
#: measurement at the end of session 8 (benchmarks/README.md "holdout8, measured once"), holdout9 mid-session 9 after its
#: one measurement (benchmarks/README.md "holdout9, measured once"), holdout10 at the end of session 9 after its one
#: measurement (benchmarks/README.md "holdout10, measured once"), holdout11 at the start of session 10 after its one
#: measurement (benchmarks/README.md "holdout11, measured once"), holdout12 mid-session 10 after its one measurement
#: (benchmarks/README.md "holdout12, measured once"), holdout13 at the start of session 11 after its one measurement at
#: the end of session 10 (benchmarks/README.md "holdout13, measured once"), holdout14 mid-session 11 after its one
#: measurement (benchmarks/README.md "holdout14, measured once mid-session 11"), holdout15 and holdout16 at the start of
#: session 12 after their one measurement together at the end of session 11 (benchmarks/README.md "holdout15 and
#: holdout16, measured once"), holdout17 early in session 12 after its one measurement (benchmarks/README.md
#: "holdout17, measured once").
TRAIN_SPLITS = ("dev", "holdout", "holdout2", "holdout3", "holdout4", "holdout5", "holdout6", "holdout7", "holdout8",
                "holdout9", "holdout10", "holdout11", "holdout12", "holdout13", "holdout14", "holdout15", "holdout16",
                "holdout17")
#: ``UNSEEN_SPLITS`` are the splits kept for one measurement each: holdout9 (session 9, new sites only, labels
#: re-read by a verifier; 20 pages, 227 claims, two builders), measured once mid-session 9 and then joining train, and
#: holdout10 (session 9, 20 pages, 202 claims, two builders, labels re-read by a verifier), for the session's final
#: measurement; both have joined train. Session 10 builds holdout11 (20 pages, two builders, labels re-read by a
#: verifier; measured once at the start of the session, now in train), holdout12 (20 pages, the same way), measured
#: once mid-session, now in train, and holdout13, for the session's final measurement, now in train. Session 11 builds
#: holdout14 (measured once mid-session, now in train), holdout15 and holdout16 (the final measurement, together; now in
#: train). Session 12 builds holdout17 (measured once mid-session) and holdout18 and holdout19 (the final measurement,
#: together); each is added here when its builders and verifier have landed it; never read, never run while developing
UNSEEN_SPLITS: tuple[str, ...] = ("holdout18", "holdout19")


def pages(split: str) -> list[dict]:
    rows = read_csv("pages.csv")
    if split == "train":
        return [r for r in rows if r["split"] in TRAIN_SPLITS]
    # "all" is every split but the unseen ones: an unseen split is only ever read by name
    return [r for r in rows if (split == "all" and r["split"] not in UNSEEN_SPLITS) or r["split"] == split]


def page_file(page_id: str) -> Path:
    for ext in (".txt", ".md", ".html"):
        p = CORPUS / "pages" / f"{page_id}{ext}"
        if p.exists():
            return p
    raise FileNotFoundError(f"tests/corpus/pages/{page_id}.(txt|md|html) is missing (pages.csv names it)")


_FOLD = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "–": "-", "—": "-", "\u00a0": " "})


def _normalised(s: str) -> tuple[str, list[int]]:
    """``s`` with white-space runs collapsed and quotes/dashes folded, and each output char's index in ``s``."""
    out, idx, prev_space = [], [], False
    for i, ch in enumerate(s.translate(_FOLD)):
        if ch.isspace():
            if prev_space:
                continue
            ch, prev_space = " ", True
        else:
            prev_space = False
        out.append(ch)
        idx.append(i)
    return "".join(out), idx


def locate(text: str, quote: str) -> tuple[int, int] | None:
    """The span of ``quote`` in ``text`` (exact, else white-space/quote-folded, else, for a quote of a Markdown table
    row, the row as check renders it: ``| brand | String | Spravato |`` is ``brand; String; Spravato`` in check's
    text), or None."""
    i = text.find(quote)
    if i >= 0:
        return i, i + len(quote)
    if "|" in quote:
        from evidence.check.textprep import markdown_to_text
        rendered = markdown_to_text(quote).strip()
        if rendered and rendered != quote:
            return locate(text, rendered)
    nt, idx = _normalised(text)
    nq, _ = _normalised(quote.strip())
    j = nt.find(nq)
    if j < 0 or not nq:
        return None
    return idx[j], idx[j + len(nq) - 1] + 1


# ------------------------------------------------------------------ scoring

@dataclass
class PageScore:
    page_id: str
    split: str
    labels: int = 0
    detected: int = 0
    hf_detected: int = 0          # detected labels expected holds/fails
    hf_verdict: int = 0           # ... that got a verdict
    hf_agree: int = 0             # ... whose verdict agrees
    hf_abstained: int = 0
    hfs_verdict: int = 0          # ... of those, settleable by data/ and given a verdict
    hfs_agree: int = 0            # ... and agreeing
    unk_detected: int = 0         # detected labels expected unknown
    unk_confident: int = 0        # ... that got a verdict anyway
    items: int = 0
    items_outside: int = 0        # items overlapping no labelled claim
    items_on_non_claims: int = 0  # ... of which overlapping a non_claims row
    unlocated: list[str] = field(default_factory=list)
    outside: list[dict] = field(default_factory=list)   # diagnostics: the items overlapping no label
    detail: list[dict] = field(default_factory=list)


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def score_page(page: dict, labels: list[dict], non_claims: list[dict], data_dir: Path | None = None) -> PageScore:
    sc = PageScore(page["page_id"], page["split"])
    text, items = items_of(page_file(page["page_id"]), data_dir)
    spans = []
    for lab in labels:
        sp = locate(text, lab["quote"])
        if sp is None:
            sc.unlocated.append(lab["label_id"])
        spans.append(sp)
    nc_spans = [sp for sp in (locate(text, r["quote"]) for r in non_claims) if sp is not None]
    sc.labels = len(labels)
    for lab, sp in zip(labels, spans):
        hits = [it for it in items if sp is not None and _overlap(sp, (it.start, it.end))]
        given = {it.holds for it in hits if it.holds is not None}
        exp = lab["expected"]
        # a label is one claim: it holds when every item on it that gives a verdict holds, and fails when one of
        # them fails ("In 2019 the FDA approved X for TRD and MDD with suicidal ideation, with an oral
        # antidepressant": the approval's date is contradicted, the adjunct accurate; the claim as labelled fails).
        # Each item keeps its own span and verdict in check's output; only the label's reading is their conjunction
        got = ("not detected" if not hits else "abstained" if not given
               else "holds" if given == {True} else "fails")
        sc.detail.append({"label_id": lab["label_id"], "kind": lab["kind"], "expected": exp, "got": got,
                          "settleable_by_data": lab.get("settleable_by_data", ""),
                          "verdicts": sorted({it.verdict for it in hits})})
        if not hits:
            continue
        sc.detected += 1
        if exp in ("holds", "fails"):
            sc.hf_detected += 1
            if not given:
                sc.hf_abstained += 1
            else:
                sc.hf_verdict += 1
                sc.hf_agree += got == exp
                if lab.get("settleable_by_data") == "yes":
                    sc.hfs_verdict += 1
                    sc.hfs_agree += got == exp
        elif exp == "unknown":
            sc.unk_detected += 1
            sc.unk_confident += bool(given)
    sc.items = len(items)
    label_spans = [sp for sp in spans if sp is not None]
    for it in items:
        s = (it.start, it.end)
        if not any(_overlap(s, sp) for sp in label_spans):
            sc.items_outside += 1
            on_nc = any(_overlap(s, sp) for sp in nc_spans)
            sc.items_on_non_claims += on_nc
            sc.outside.append({"quote": it.quote, "verdict": it.verdict, "on_non_claim": on_nc,
                               "sentence": text[max(0, it.start - 80):it.end + 80].replace("\n", " ")})
    return sc


def _ratio(n: int, d: int) -> float | None:
    return n / d if d else None


def figures(sc) -> dict:
    """The four measures (and their counts) of a PageScore or of a total."""
    return {
        "labels": sc.labels, "detected": sc.detected, "detection": _ratio(sc.detected, sc.labels),
        "holds_fails_detected": sc.hf_detected, "holds_fails_with_verdict": sc.hf_verdict,
        "holds_fails_agree": sc.hf_agree, "agreement": _ratio(sc.hf_agree, sc.hf_verdict),
        "settleable_with_verdict": sc.hfs_verdict, "settleable_agree": sc.hfs_agree,
        "agreement_settleable": _ratio(sc.hfs_agree, sc.hfs_verdict),
        "holds_fails_abstained": sc.hf_abstained, "abstained_share": _ratio(sc.hf_abstained, sc.hf_detected),
        "unknown_detected": sc.unk_detected, "unknown_confident": sc.unk_confident,
        "confident_on_unknown": _ratio(sc.unk_confident, sc.unk_detected),
        "items": sc.items, "items_outside": sc.items_outside, "outside_share": _ratio(sc.items_outside, sc.items),
        "items_on_non_claims": sc.items_on_non_claims,
        "non_claim_share": _ratio(sc.items_on_non_claims, sc.items),
    }


def run(split: str = "dev", data_dir: Path | None = None) -> dict:
    labels, non_claims = read_csv("labels.csv"), read_csv("non_claims.csv")
    scores = []
    for page in pages(split):
        pid = page["page_id"]
        scores.append(score_page(page, [r for r in labels if r["page_id"] == pid],
                                 [r for r in non_claims if r["page_id"] == pid], data_dir))
    total = PageScore("ALL", split)
    for sc in scores:
        for k in ("labels", "detected", "hf_detected", "hf_verdict", "hf_agree", "hf_abstained", "hfs_verdict", "hfs_agree",
                  "unk_detected", "unk_confident", "items", "items_outside", "items_on_non_claims"):
            setattr(total, k, getattr(total, k) + getattr(sc, k))
    unlocated = [u for sc in scores for u in sc.unlocated]
    return {"split": split, "pages": len(scores), "overall": figures(total), "unlocated_labels": unlocated,
            "per_page": [{"page_id": sc.page_id, "split": sc.split, **figures(sc), "claims": sc.detail,
                          "outside": sc.outside} for sc in scores]}


def cross_validate(data_dir: Path | None = None) -> dict:
    """Leave-one-split-out through the whole of ``check``: for each training split S, the claim-sentence
    classifier is refitted without S (``train_claim_classifier.fit``) and ``check`` is measured on S with it.
    The honest proxy for unseen copy: the detectors were developed on every split, the classifier never saw S."""
    sys.path.insert(0, str(HERE))
    import train_claim_classifier as tcc
    from evidence.check import claimclf

    built = tcc.build()
    shipped = claimclf.model
    folds = {}
    try:
        for split in TRAIN_SPLITS:
            m = tcc.fit([e for p in built if p.split != split for e in p.examples])
            claimclf.model = lambda m=m: m
            folds[split] = run(split, data_dir)["overall"]
    finally:
        claimclf.model = shipped
    keys = ("labels", "detected", "items", "items_outside", "unknown_detected", "unknown_confident",
            "holds_fails_with_verdict", "holds_fails_agree")
    tot = {k: sum(f[k] for f in folds.values()) for k in keys}
    return {"folds": folds, "overall": {
        **tot, "detection": _ratio(tot["detected"], tot["labels"]),
        "outside_share": _ratio(tot["items_outside"], tot["items"]),
        "agreement": _ratio(tot["holds_fails_agree"], tot["holds_fails_with_verdict"]),
        "confident_on_unknown": _ratio(tot["unknown_confident"], tot["unknown_detected"])}}


def render_cv(cv: dict) -> str:
    lines = ["leave-one-split-out (classifier refitted without the split, check measured on it)",
             f"{'split':<10} {'detection':>15} {'outside':>15} {'agreement':>15} {'verdict on unknown':>19}"]
    for name, f in list(cv["folds"].items()) + [("ALL", cv["overall"])]:
        lines.append(f"{name:<10} {_pct(f['detection']) + ' (' + str(f['detected']) + '/' + str(f['labels']) + ')':>15} "
                     f"{_pct(f['outside_share']) + ' (' + str(f['items_outside']) + '/' + str(f['items']) + ')':>15} "
                     f"{_pct(f['agreement']) + ' (' + str(f['holds_fails_agree']) + '/' + str(f['holds_fails_with_verdict']) + ')':>15} "
                     f"{_pct(f['confident_on_unknown']) + ' (' + str(f['unknown_confident']) + '/' + str(f['unknown_detected']) + ')':>19}")
    return "\n".join(lines)


def _pct(x: float | None) -> str:
    return "–" if x is None else f"{100 * x:.0f}%"


def render(result: dict) -> str:
    head = ["page", "claims", "detection", "agree h/f", "agree (settleable)", "abstain h/f", "verdict on unknown", "outside", "on non-claims"]
    rows = []
    for r in [*result["per_page"], {"page_id": "ALL", **result["overall"]}]:
        rows.append([r["page_id"], str(r["labels"]),
                     f"{_pct(r['detection'])} ({r['detected']}/{r['labels']})",
                     f"{_pct(r['agreement'])} ({r['holds_fails_agree']}/{r['holds_fails_with_verdict']})",
                     f"{_pct(r['agreement_settleable'])} ({r['settleable_agree']}/{r['settleable_with_verdict']})",
                     f"{_pct(r['abstained_share'])} ({r['holds_fails_abstained']}/{r['holds_fails_detected']})",
                     f"{_pct(r['confident_on_unknown'])} ({r['unknown_confident']}/{r['unknown_detected']})",
                     f"{_pct(r['outside_share'])} ({r['items_outside']}/{r['items']})",
                     f"{r['items_on_non_claims']}"])
    widths = [max(len(x[i]) for x in [head, *rows]) for i in range(len(head))]
    fmt = lambda r: "  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths)))
    lines = [f"evidence check on the labelled corpus, split = {result['split']} ({result['pages']} pages)",
             fmt(head), fmt(["-" * w for w in widths]), *map(fmt, rows[:-1]), fmt(["-" * w for w in widths]),
             fmt(rows[-1])]
    if result["unlocated_labels"]:
        lines.append(f"WARNING: {len(result['unlocated_labels'])} labelled quotes not found in check's text: "
                     + ", ".join(result["unlocated_labels"]))
    return "\n".join(lines)


def _diagnostics(result: dict, outside: bool, missed: bool) -> str:
    """The items outside any label and/or the labels not detected or disagreeing, page by page (dev only)."""
    labels = {r["label_id"]: r for r in read_csv("labels.csv")}
    lines = []
    for pg in result["per_page"]:
        if outside:
            for o in pg["outside"]:
                lines.append(f"OUTSIDE {pg['page_id']} [{o['verdict']}]{' (non-claim row)' if o['on_non_claim'] else ''}"
                             f" {o['quote']!r}  … {o['sentence']!r}")
        if missed:
            for c in pg["claims"]:
                bad = c["got"] == "not detected" or (c["got"] in ("holds", "fails") and c["got"] != c["expected"])
                if bad or (c["got"] == "abstained" and c["settleable_by_data"] == "yes"):
                    lab = labels[c["label_id"]]
                    lines.append(f"{c['got'].upper()} {c['label_id']} [{c['kind']}; expected {c['expected']}; "
                                 f"settleable {c['settleable_by_data']}; {c['verdicts']}] {lab['quote']!r}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--split", choices=["dev", "holdout", "holdout2", "holdout3", "train", "holdout4", "holdout5", "holdout6", "holdout7", "holdout8", "holdout9", "holdout10", "holdout11", "holdout12", "holdout13", "holdout14", "holdout15", "holdout16", "holdout17", "holdout18", "holdout19", "all"],
                    default="dev",
                    help="which pages to measure (default dev; train = dev + holdout … holdout8, measured "
                         "once each already and open for development)")
    ap.add_argument("--json", nargs="?", const="-", metavar="PATH",
                    help="write the figures as JSON to PATH (no PATH: to standard output instead of the table)")
    ap.add_argument("--quick", action="store_true", help="accepted for run_all.py; the run is already quick")
    ap.add_argument("--data", type=Path, default=None, help="data directory (default: the repository's data/)")
    ap.add_argument("--show-outside", action="store_true",
                    help="diagnostics (training splits only): list the detected items that overlap no labelled claim")
    ap.add_argument("--show-missed", action="store_true",
                    help="diagnostics (training splits only): list the labelled claims with no detected item, and the verdicts")
    ap.add_argument("--cv", action="store_true",
                    help="leave-one-split-out over the training splits: refit the claim classifier without each split "
                         "and measure check on it")
    a = ap.parse_args(argv)
    if a.cv:
        sys.path.insert(0, str(REPO / "src"))
        cv = cross_validate(a.data)
        print(json.dumps(cv, indent=2) if a.json == "-" else render_cv(cv))
        return 0
    if (a.show_outside or a.show_missed) and a.split not in TRAIN_SPLITS + ("train",):
        ap.error("--show-outside/--show-missed are for the training splits only (the unseen split is not to be read)")
    sys.path.insert(0, str(REPO / "src"))
    try:
        result = run(a.split, a.data)
    except (FileNotFoundError, KeyError) as exc:
        print(f"bench_check_corpus: the corpus in {CORPUS} is incomplete: {exc}", file=sys.stderr)
        return 2
    if a.json == "-":
        print(json.dumps(result, indent=2))
    else:
        print(render(result))
        if a.show_outside or a.show_missed:
            print(_diagnostics(result, a.show_outside, a.show_missed))
        if a.json:
            Path(a.json).write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
