"""Every number in a stored abstract or panel is curated for its source, or deliberately left out (issue #14).

``data/abstracts/<source_id>.txt`` holds the abstract, panel or label text exactly as read (its first
lines, starting with ``#``, say where and what was read). For each number printed in that text, this
test looks for the same value in a typed column of a row of that source (a count, n, value, CI bound,
dose, time point or data year, in any of sources/outcomes/estimates/prevalence/facts), allowing only
the printed formatting (``1,298`` = 1298, ``.001`` = 0.001, ``95%`` CI = ci_level 0.95, a printed minus sign
``−1.17`` = -1.17; signs are compared as magnitudes because the text's minus signs vary; ``6.8 million`` = 6800000). A number that
is deliberately not curated (a scale's name such as PHQ-9, a registration number, degrees of freedom)
is listed in ``data/abstracts/excluded.csv`` with a reason. Nothing else passes.
"""
from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parents[1] / "data"
ABSTRACTS = DATA / "abstracts"

#: the typed columns whose numbers count as curated, per table
CURATED = {
    "sources": ("n_randomized", "n_analysed", "dose_mg_per_kg", "infusion_min", "sessions", "response_definition",
                "population", "control"),
    "outcomes": ("n_treat", "events_treat", "mean_treat", "sd_treat", "n_ctrl", "events_ctrl", "mean_ctrl", "sd_ctrl",
                 "timepoint", "outcome", "arm_treat", "arm_ctrl"),
    "estimates": ("estimate", "ci_low", "ci_high", "se", "ci_level", "p_value", "p_text", "k_studies", "n_participants",
                  "timepoint", "arm", "population"),
    "prevalence": ("value_pct", "count", "data_years", "population"),
    "facts": ("value_num", "timepoint"),
}
NUMBER = re.compile(r"\d+(?:[.,]\d+)*|(?<=[\s<>=(])\.\d+")
SCALE = re.compile(r"\s*(million|billion)\b", re.I)
SCALES = {"million": 1e6, "billion": 1e9}


def _values(token: str) -> set[float]:
    """The values a printed token can stand for: 1,298 -> 1298; 9,115 (not thousands) -> nothing; .001 -> 0.001."""
    out = set()
    if re.fullmatch(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?", token):
        out.add(float(token.replace(",", "")))
    elif "," not in token:
        try:
            out.add(float(token))
        except ValueError:
            pass
    return out


def _rows(table: str):
    with open(DATA / f"{table}.csv", encoding="utf-8", newline="") as fh:
        yield from csv.DictReader(fh)


def curated_values(source_id: str) -> set[float]:
    vals: set[float] = set()
    for table, cols in CURATED.items():
        for row in _rows(table):
            if row.get("source_id") != source_id:
                continue
            for c in cols:
                for tok in NUMBER.findall(row.get(c) or ""):
                    for v in _values(tok):
                        vals.add(abs(v))
                        if c == "ci_level":
                            vals.add(round(v * 100, 6))
    return vals


def excluded() -> dict[str, dict[str, str]]:
    out: dict[str, dict[str, str]] = {}
    for row in csv.DictReader(open(ABSTRACTS / "excluded.csv", encoding="utf-8", newline="")):
        out.setdefault(row["source_id"], {})[row["number"]] = row["reason"]
    return out


def body(path: Path) -> str:
    return "\n".join(line for line in path.read_text(encoding="utf-8").splitlines() if not line.startswith("#"))


STORED = sorted(ABSTRACTS.glob("*.txt"))

#: issue #14, item 1: the sources whose abstract or panel must be stored
REQUIRED = {"whittaker2021", "taylor2018", "glue2017", "glue2018", "glue2020", "oliver2022", "feder2014", "feder2021",
            "rodriguez2013", "hartland2023", "marchi2022", "murrough2013", "fava2018", "adaa_facts", "nimh_any_anxiety",
            "nimh_gad", "nimh_sad", "nimh_panic", "fda_ketalar_label", "fda_spravato_label"}


def gaps(path: Path) -> tuple[list[str], int, int, int]:
    sid = path.stem
    have, skip = curated_values(sid), excluded().get(sid, {})
    missing, n_cur, n_exc, total = [], 0, 0, 0
    text = body(path)
    for m in NUMBER.finditer(text):
        tok, total = m.group(), total + 1
        vals = {abs(v) for v in _values(tok)}
        scale = SCALE.match(text, m.end())
        if scale:  # "6.8 million" is 6800000
            vals |= {round(v * SCALES[scale.group(1).lower()], 3) for v in vals}
        if vals & have:
            n_cur += 1
        elif tok in skip:
            n_exc += 1
        else:
            missing.append(tok)
    return missing, n_cur, n_exc, total


@pytest.mark.parametrize("path", STORED, ids=[p.stem for p in STORED])
def test_every_number_is_curated_or_excluded(path):
    missing, *_ = gaps(path)
    assert not missing, f"{path.name}: numbers neither curated for {path.stem} nor in excluded.csv: {missing}"


@pytest.mark.parametrize("path", STORED, ids=[p.stem for p in STORED])
def test_header_says_where_it_was_read(path):
    head = path.read_text(encoding="utf-8").splitlines()[0]
    assert head.startswith(f"# {path.stem} | ") and "read via " in head, head
    sources = {r["source_id"] for r in _rows("sources")}
    assert path.stem in sources


def test_the_core_sources_are_stored():
    assert REQUIRED <= {p.stem for p in STORED}, sorted(REQUIRED - {p.stem for p in STORED})


def test_exclusions_name_stored_numbers_and_give_reasons():
    for sid, nums in excluded().items():
        path = ABSTRACTS / f"{sid}.txt"
        assert path.is_file(), f"excluded.csv names {sid}, which has no stored text"
        printed = NUMBER.findall(body(path))
        for num, reason in nums.items():
            assert num in printed, f"excluded.csv: {sid} does not print {num!r}"
            assert reason.strip(), f"excluded.csv: {sid} {num!r} has no reason"


def test_the_checker_catches_an_uncurated_number(tmp_path, monkeypatch):
    # Taylor 2018's abstract with one figure changed: 52.94 -> 52.95 is in no row, so it must be reported
    text = (ABSTRACTS / "taylor2018.txt").read_text(encoding="utf-8").replace("52.94%", "52.95%")
    fake = tmp_path / "taylor2018.txt"
    fake.write_text(text, encoding="utf-8")
    missing, *_ = gaps(fake)
    assert missing == ["52.95"]
