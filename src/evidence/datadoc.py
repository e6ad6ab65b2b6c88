"""Generate the Variable | Source | Notes tables of ``data/README.md`` from the data.

Every figure in ``data/`` appears once: what it is, where it comes from (with
its DOI/PMID/URL) and how it was obtained (locator, provenance, arithmetic).
``tests/test_datadoc.py`` fails when the README is out of date; refresh it with
``python -m evidence.datadoc``.
"""
from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

from evidence.db import EvidenceDB, default_data_dir, load_db

BEGIN = "<!-- BEGIN GENERATED: variable-source-notes (python -m evidence.datadoc) -->"
END = "<!-- END GENERATED -->"

#: table -> (columns holding figures, a title)
FIGURES = {
    "sources": (["n_randomized", "n_analysed", "dose_mg_per_kg", "route", "infusion_min", "design"], "Study designs, sizes and doses"),
    "outcomes": (["n_treat", "events_treat", "n_ctrl", "events_ctrl", "mean_treat", "sd_treat", "mean_ctrl", "sd_ctrl"], "Per-arm counts"),
    "estimates": (["estimate", "ci_low", "ci_high", "p_value", "p_text"], "Estimates as printed"),
    "prevalence": (["value_pct", "count"], "Prevalence"),
    "facts": (["value_num", "unit", "value_text"], "Facts"),
}


def _cell(v) -> str:
    if v is None or (isinstance(v, float) and pd.isna(v)) or v is pd.NA:
        return ""
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    s = str(v).replace("|", "\\|").replace("\n", " ")
    return s


def _ident(src: pd.Series) -> str:
    for col, fmt in (("doi", "doi:{}"), ("pmid", "PMID {}"), ("pmcid", "{}"), ("url", "{}"), ("read_via", "read via {}")):
        v = _cell(src.get(col))
        if v:
            return fmt.format(v)
    return ""


def variable_tables(db: EvidenceDB) -> str:
    out = []
    for table, (cols, title) in FIGURES.items():
        df = getattr(db, table)
        out.append(f"### {title} (`{table}.csv`)\n")
        out.append("| Variable | Source | Notes |")
        out.append("|---|---|---|")
        for key, row in df.iterrows():
            parts = []
            for c in cols:
                v = _cell(row.get(c))
                if v:
                    if c == "value_text":
                        v = (v[:140] + "…") if len(v) > 140 else v
                    parts.append(f"{c}={v}")
            if not parts:
                continue
            sid = row["source_id"] if "source_id" in row and table != "sources" else key
            src = db.sources.loc[sid] if sid in db.sources.index else pd.Series(dtype=object)
            notes = [f"{_cell(row.get('locator'))}", f"{_cell(row.get('provenance'))}"]
            if _cell(row.get("arithmetic")):
                notes.append(f"arithmetic: {_cell(row.get('arithmetic'))}")
            if _cell(row.get("notes")):
                n = _cell(row.get("notes"))
                notes.append((n[:200] + "…") if len(n) > 200 else n)
            out.append(f"| `{key}`: {'; '.join(parts)} | `{sid}` {_ident(src)} | {'; '.join(x for x in notes if x)} |")
        out.append("")
    return "\n".join(out).rstrip() + "\n"


def render_readme(readme: str, db: EvidenceDB) -> str:
    block = f"{BEGIN}\n\n{variable_tables(db)}\n{END}"
    if BEGIN in readme and END in readme:
        head, rest = readme.split(BEGIN, 1)
        _, tail = rest.split(END, 1)
        return head + block + tail
    return readme.rstrip() + "\n\n" + block + "\n"


def main(argv: list[str] | None = None) -> int:
    data_dir = Path(argv[0]) if argv else default_data_dir()
    db = load_db(data_dir)
    path = data_dir / "README.md"
    new = render_readme(path.read_text(encoding="utf-8"), db)
    path.write_text(new, encoding="utf-8")
    print(f"wrote {path}")
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main(sys.argv[1:]))
