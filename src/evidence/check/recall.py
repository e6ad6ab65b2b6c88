"""Measure how many curated claims ``evidence check`` finds on its own.

Definition (used by the tests and ``benchmarks/bench_check.py``):

* The article text goes through the same pipeline as any input
  (:func:`evidence.check.textprep.to_plain_text`), giving the normalized text.
* A curated quote (``claims.csv``) is located in that text after *match
  normalization* of both: case folded; typographic quotes, dashes and
  non-breaking spaces folded; Markdown/table markup characters (``| ; * # _ ```)
  turned into spaces; whitespace collapsed. This gives the curated span.
* A curated claim is **found** when some detected claim
  1. has a quote span *or* a sentence span that overlaps the curated span by
     at least one character, and
  2. has a compatible claim type: the same type, or both types in one of the
     :data:`FAMILIES`, or either side is ``other`` (a claim typed ``other``
     carries no type to disagree with).
* Recall of an article = found / curated claims of that article. A curated
  quote that cannot be located counts as *not found*.

Two stricter numbers are reported alongside for transparency:
``quote_recall`` (the detected *quote* must overlap, types compatible) and
``strict_recall`` (quote overlap and the *same* claim type).
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from evidence.check.matching import FAMILIES, compatible, locate, match_key  # noqa: F401 (the recall API)


@dataclass
class ArticleRecall:
    article_id: str
    curated: int
    found: int
    quote_found: int
    strict_found: int
    detected: int
    missed: list[dict]

    @property
    def recall(self) -> float:
        return self.found / self.curated if self.curated else 1.0

    @property
    def quote_recall(self) -> float:
        return self.quote_found / self.curated if self.curated else 1.0

    @property
    def strict_recall(self) -> float:
        return self.strict_found / self.curated if self.curated else 1.0


def read_curated(data_dir: Path) -> tuple[dict[str, str], dict[str, list[dict]]]:
    """(article_id → file path, article_id → curated claim rows) from articles.csv / claims.csv."""
    from evidence.tables import read_tables

    tables, _ = read_tables(Path(data_dir))
    files: dict[str, str] = {}
    for r in tables["articles"].raw_dicts(blank=""):
        files[r["article_id"]] = r["file"]
    claims: dict[str, list[dict]] = {a: [] for a in files}
    for r in tables["claims"].raw_dicts(blank=""):
        claims.setdefault(r["article_id"], []).append(r)
    return files, claims


def article_recall(article_id: str, text: str, curated: list[dict], detected: list, filename: str | None = None
                   ) -> ArticleRecall:
    """Recall of one article. ``detected`` are :class:`~evidence.check.detect.Detected` claims of ``text``
    (the normalized text the pipeline produced)."""
    key = match_key(text)
    found = qfound = sfound = 0
    missed = []
    for row in curated:
        span = locate(row["quote"], text, key)
        ctype = row["claim_type"]
        hit = qhit = shit = False
        if span:
            a, b = span
            for d in detected:
                q_over = d.start < b and a < d.end
                s_over = d.sentence.start < b and a < d.sentence.end
                if not compatible(d.claim_type, ctype):
                    continue
                if q_over or s_over:
                    hit = True
                if q_over:
                    qhit = True
                    if d.claim_type == ctype:
                        shit = True
        found += hit
        qfound += qhit
        sfound += shit
        if not hit:
            missed.append({"claim_id": row["claim_id"], "claim_type": ctype, "quote": row["quote"],
                           "located": bool(span)})
    return ArticleRecall(article_id, len(curated), found, qfound, sfound, len(detected), missed)


def recall_all(data_dir: Path) -> list[ArticleRecall]:
    """Recall for every article in ``data_dir/articles.csv`` with curated claims."""
    from evidence.check.pipeline import analyse

    files, claims = read_curated(data_dir)
    out = []
    for aid, rel in files.items():
        rows = claims.get(aid) or []
        if not rows:
            continue
        path = Path(data_dir) / rel
        res = analyse(path.read_bytes(), filename=path.name)
        out.append(article_recall(aid, res.text, rows, res.detected))
    return out


def format_recall(results: list[ArticleRecall]) -> str:
    lines = [f"{'article':<24} {'curated':>7} {'found':>5} {'recall':>7} {'quote':>7} {'strict':>7} {'detected':>8}"]
    for r in results:
        lines.append(f"{r.article_id:<24} {r.curated:>7} {r.found:>5} {r.recall:>7.1%} {r.quote_recall:>7.1%} "
                     f"{r.strict_recall:>7.1%} {r.detected:>8}")
    tot_c = sum(r.curated for r in results)
    tot_f = sum(r.found for r in results)
    if tot_c:
        lines.append(f"{'all':<24} {tot_c:>7} {tot_f:>5} {tot_f / tot_c:>7.1%} "
                     f"{sum(r.quote_found for r in results) / tot_c:>7.1%} "
                     f"{sum(r.strict_found for r in results) / tot_c:>7.1%} {sum(r.detected for r in results):>8}")
    return "\n".join(lines)

