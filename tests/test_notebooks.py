"""The report notebooks (issue #6): stored clean, parameterized, and executable under papermill.

Fast tests check the stored notebooks (no outputs, a tagged parameters cell). The slow tests run
every notebook once with its default parameters and once with non-default ones (one kernel per
run, in the notebooks/ directory as the report pipeline does) and check key values of the JSON
each writes to ``results_path`` against numbers read independently from ``data/`` here.
"""
from __future__ import annotations

import csv
import json
import math
from pathlib import Path

import nbformat
import pytest

from evidence.report.manifest import notebook_parameters
from evidence.verdicts import HOLDS, SCALE

REPO = Path(__file__).resolve().parents[1]
NB_DIR = REPO / "notebooks"
DATA = REPO / "data"
NOTEBOOKS = ["article", "meta_analysis", "dose_route_onset", "real_world", "prevalence", "evidence_map", "methods"]
PIPELINE = {"results_path", "data_dir"}
DECLARED = {
    "article": {"article_id", "approx_rel_tol", "half_band", "small_n", "pooled_method", "correction"},
    "meta_analysis": {"measure", "method", "correction"},
    "methods": {"approx_rel_tol", "half_band", "small_n", "pooled_method", "correction"},
}


def read_csv(name: str) -> list[dict]:
    with open(DATA / name, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def num(s: str) -> float | None:
    return float(s) if s not in ("", None) else None


# --------------------------------------------------------------------------- stored notebooks (fast)

@pytest.mark.parametrize("name", NOTEBOOKS)
def test_stored_without_outputs(name):
    nb = nbformat.read(NB_DIR / f"{name}.ipynb", as_version=4)
    nbformat.validate(nb)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, f"{name}: outputs are stored"


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_parameters_cell(name):
    raw = json.loads((NB_DIR / f"{name}.ipynb").read_text(encoding="utf-8"))
    code = [c for c in raw["cells"] if c["cell_type"] == "code"]
    assert "parameters" in code[0]["metadata"].get("tags", []), "the first code cell is the parameters cell"
    declared = set(notebook_parameters(raw))
    assert PIPELINE <= declared
    assert DECLARED.get(name, set()) <= declared
    assert raw["metadata"]["kernelspec"]["name"] == "python3"


# --------------------------------------------------------------------------- execution (slow)

_CACHE: dict[tuple, dict] = {}


def _key(name: str, params: dict) -> tuple:
    return (name, tuple(sorted((k, repr(v)) for k, v in params.items())))


def run(name: str, tmp_root: Path, **params) -> dict:
    """Execute a notebook with papermill (cwd notebooks/, kernel python3); return its results JSON."""
    import papermill as pm

    key = _key(name, params)
    if key in _CACHE:
        return _CACHE[key]
    tag = "-".join(f"{k}={v}" for k, v in sorted(params.items())) or "default"
    out_dir = tmp_root / f"{name}-{abs(hash(tag))}"
    out_dir.mkdir(parents=True, exist_ok=True)
    results = out_dir / "results.json"
    pm.execute_notebook(str(NB_DIR / f"{name}.ipynb"), str(out_dir / f"{name}.ipynb"),
                        parameters={**params, "results_path": str(results), "data_dir": str(DATA)},
                        kernel_name="python3", cwd=str(NB_DIR), progress_bar=False, execution_timeout=600)
    nb = nbformat.read(out_dir / f"{name}.ipynb", as_version=4)
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"]
    assert not errors, errors
    data = json.loads(results.read_text(encoding="utf-8"))  # strict JSON: NaN would not parse back as null
    assert isinstance(data.get("summary"), str) and data["summary"], "every page gives the index a summary"
    _CACHE[key] = data
    _CACHE[key + ("nb",)] = nb
    return data


@pytest.fixture(scope="module")
def tmp_root(tmp_path_factory):
    return tmp_path_factory.mktemp("notebooks")


ARTICLES = [r["article_id"] for r in read_csv("articles.csv")]


@pytest.mark.slow
@pytest.mark.parametrize("article_id", ARTICLES)
def test_article_default(tmp_root, article_id):
    res = run("article", tmp_root, article_id=article_id)
    article = next(r for r in read_csv("articles.csv") if r["article_id"] == article_id)
    n = sum(1 for r in read_csv("claims.csv") if r["article_id"] == article_id)
    assert res["article_id"] == article_id and res["title"] == article["title"]
    assert res["n_claims"] == n == len(res["claims"])
    assert list(res["verdict_counts"]) == list(SCALE) and sum(res["verdict_counts"].values()) == n
    assert res["holds"] == sum(res["verdict_counts"][v] for v in HOLDS)
    assert res["params"]["approx_rel_tol"] == 0.10 and res["params"]["pooled_method"] is None


@pytest.mark.slow
def test_article_non_default_parameters(tmp_root):
    article_id = ARTICLES[0]
    default = run("article", tmp_root, article_id=article_id)
    tight = run("article", tmp_root, article_id=article_id, approx_rel_tol=0.01, half_band=1.0, small_n=10,
                pooled_method="REML", correction="treatment_arm")
    assert tight["params"]["approx_rel_tol"] == 0.01 and tight["params"]["pooled_method"] == "REML"
    assert tight["params"]["zero_cell_correction"] == "treatment_arm" and tight["params"]["small_n"] == 10
    assert tight["n_claims"] == default["n_claims"]
    # a tighter tolerance admits fewer values, so no claim can start to hold because of it
    assert tight["holds"] <= default["holds"]


def _published(estimate_id: str) -> tuple[float, float, float]:
    row = next(r for r in read_csv("estimates.csv") if r["estimate_id"] == estimate_id)
    return float(row["estimate"]), float(row["ci_low"]), float(row["ci_high"])


def _rows(analysis_id: str) -> list[dict]:
    return [r for r in read_csv("outcomes.csv") if analysis_id in [a.strip() for a in r["analysis_ids"].split(";")]]


def _or_half_corrected(a, n1, c, n2):
    """Woolf OR with 0.5 added to every cell when one is zero (RevMan's default)."""
    b, d = n1 - a, n2 - c
    if 0 in (a, b, c, d):
        a, b, c, d = a + 0.5, b + 0.5, c + 0.5, d + 0.5
    y = math.log(a * d / (b * c))
    se = math.sqrt(1 / a + 1 / b + 1 / c + 1 / d)
    z = 1.959963984540054
    return math.exp(y), math.exp(y - z * se), math.exp(y + z * se)


@pytest.mark.slow
def test_meta_analysis_default(tmp_root):
    res = run("meta_analysis", tmp_root)
    sad, ptsd = res["sad"], res["ptsd"]
    # Printed values (Whittaker E, Dadabayev AR, Joshi SA, Glue P. Ther Adv Psychopharmacol 2021;11:
    # 20451253211056743, abstract): SAD OR 28.94 (95% CI 3.45-242.57); PTSD OR 2.03 (0.67-6.15).
    # The notebook must read them from data/estimates.csv, never type them.
    assert _published("whittaker2021_sad_or") == (28.94, 3.45, 242.57)
    assert _published("whittaker2021_ptsd_or") == (2.03, 0.67, 6.15)
    assert (sad["published"]["estimate"], sad["published"]["ci_low"], sad["published"]["ci_high"]) == \
        _published("whittaker2021_sad_or")
    assert (ptsd["published"]["estimate"], ptsd["published"]["ci_low"], ptsd["published"]["ci_high"]) == \
        _published("whittaker2021_ptsd_or")
    assert res["method"] == "IV" and res["correction"] == "all_if_zero"
    for key, analysis in (("sad", "whittaker2021_sad"), ("ptsd", "whittaker2021_ptsd")):
        r = res[key]
        rows = _rows(analysis)
        assert r["k"] == len(rows)
        if len(rows) == 1:  # one trial: every method gives that trial's own OR
            o = rows[0]
            est, lo, hi = _or_half_corrected(int(o["events_treat"]), int(o["n_treat"]),
                                             int(o["events_ctrl"]), int(o["n_ctrl"]))
            assert (r["estimate"], r["ci_low"], r["ci_high"]) == pytest.approx((est, lo, hi), rel=1e-9)
        if r["k"] < (r["k_published"] or 0):
            assert r["reproduces"] is False and r["missing"] == r["k_published"] - r["k"]
            assert r["implied_remainder"] is not None
        rng = r["range"]
        assert rng["min"] <= r["estimate"] <= rng["max"]
    groups = {s["group"] for s in res["sensitivity"] if s["analysis"] == "whittaker2021_sad"}
    assert groups >= {"primary", "fixed vs random", "MH vs IV vs Peto", "zero-cell correction"}
    crossover = any(r["paired"] == "true" for r in _rows("whittaker2021_sad"))
    assert ("crossover analysed as paired" in groups) == crossover
    frag = {f["study"]: f for f in res["fragility"]}
    assert all(f["index"] is None or f["index"] >= 1 for f in frag.values())


@pytest.mark.slow
@pytest.mark.xfail(strict=True, raises=AssertionError,
                   reason="data/outcomes.csv lacks the per-arm counts of Glue 2020 (data/curation/trials.md); "
                          "remove this marker once reproduced")
def test_meta_analysis_sad_reproduces_published(tmp_root):
    """SAD OR 28.94 (95% CI 3.45-242.57): Whittaker et al. 2021, Ther Adv Psychopharmacol, abstract.

    Reproduced to the printed precision (two decimals) once data/outcomes.csv holds the per-arm counts
    of every trial the paper pooled; until then this is an expected failure that says what is missing.
    """
    sad = run("meta_analysis", tmp_root)["sad"]
    assert sad["k"] == sad["k_published"], \
        f"per-arm counts for {sad['k']} of the {sad['k_published']} SAD trials are in data/outcomes.csv"
    est, lo, hi = _published("whittaker2021_sad_or")
    assert abs(sad["estimate"] - est) <= 0.005 and abs(sad["ci_low"] - lo) <= 0.005 and abs(sad["ci_high"] - hi) <= 0.005
    assert sad["reproduces"] is True


@pytest.mark.slow
def test_meta_analysis_non_default_parameters(tmp_root):
    default = run("meta_analysis", tmp_root)
    res = run("meta_analysis", tmp_root, method="REML", correction="treatment_arm", rhos=[0.1])
    assert res["method"] == "REML" and res["correction"] == "treatment_arm"
    assert res["sad"]["method"] == "REML" and res["sad"]["correction"] == "treatment_arm"
    primary = [s for s in res["sensitivity"] if s["analysis"] == "whittaker2021_sad" and s["base"]]
    assert len(primary) == 1 and primary[0]["method"] == "REML"
    paired = [s for s in res["sensitivity"] if s["group"] == "crossover analysed as paired"]
    assert all("ρ = 0.1" in s["label"] for s in paired)
    assert res["sad"]["k"] == default["sad"]["k"]


@pytest.mark.slow
def test_dose_route_onset(tmp_root):
    res = run("dose_route_onset", tmp_root)
    src = {r["source_id"]: r for r in read_csv("sources.csv")}
    assert res["ascending_dose"]["route"] == src["glue2017"]["route"]
    assert res["iv"]["route"] == src["taylor2018"]["route"] == "IV"
    assert res["iv"]["infusion_min"] == float(src["taylor2018"]["infusion_min"])
    assert "glue2017" in res["routes"][src["glue2017"]["route"]]
    onset = [r for r in read_csv("facts.csv") if r["attribute"] == "onset" and r["value_num"] and r["unit"] == "hours"]
    if onset:
        assert res["earliest_onset_hours"] <= min(float(r["value_num"]) for r in onset)
    other = run("dose_route_onset", tmp_root, ascending_dose_source="glue2018", iv_source="feder2021")
    assert other["iv"]["label"] == "Feder 2021" and other["ascending_dose"]["label"] == "Glue 2018"


@pytest.mark.slow
def test_real_world(tmp_root):
    res = run("real_world", tmp_root)
    src = {r["source_id"]: r for r in read_csv("sources.csv")}
    est = {r["estimate_id"]: r for r in read_csv("estimates.csv")}
    assert res["cohort"]["n"] == float(src["oliver2022"]["n_analysed"] or src["oliver2022"]["n_randomized"])
    assert res["cohort"]["pct_reduction"] == float(est["oliver2022_gad7_pct_reduction"]["estimate"])
    ctrl = [100 * int(r["events_ctrl"]) / int(r["n_ctrl"]) for r in read_csv("outcomes.csv")
            if r["outcome_type"] == "binary" and r["events_ctrl"] and r["n_ctrl"]]
    assert res["control_response_max_pct"] == pytest.approx(max(ctrl))
    assert res["control_response_min_pct"] == pytest.approx(min(ctrl))


@pytest.mark.slow
def test_prevalence(tmp_root):
    res = run("prevalence", tmp_root)
    prev = read_csv("prevalence.csv")
    assert len(res["figures"]) == len(prev)
    # the year of a figure's data is the last year of its collection period ("2001-2003" -> 2003;
    # "1990-2019 (dataset span)" -> 2019), as the prevalence page states
    ends = [int(found[-1]) for r in prev
            if (found := __import__("re").findall(r"(?:19|20)\d\d", r["data_years"]))]
    assert res["oldest_data_year"] == min(ends) and res["newest_data_year"] == max(ends)
    assert res["n_claims"] == sum(1 for r in read_csv("claims.csv") if r["claim_type"] == "prevalence")
    nimh = {(p["period"]): float(p["value_pct"]) for p in prev if p["prevalence_id"].startswith("nimh_any_anxiety")
            and p["sex"] == "all"}
    pair = next(p for p in res["period_pairs"] if p["source_id"] == "nimh_any_anxiety")
    assert (pair["past_year"], pair["lifetime"]) == (nimh["past_year"], nimh["lifetime"])
    tight = run("prevalence", tmp_root, approx_rel_tol=0.0)
    assert tight["n_claims"] == res["n_claims"]


@pytest.mark.slow
def test_evidence_map(tmp_root):
    res = run("evidence_map", tmp_root)
    src = read_csv("sources.csv")
    registry = [r for r in src if r["source_id"].lower().startswith("nct") or "clinicaltrials.gov" in r["url"]]
    assert res["n_sources"] == len(src) - len(registry)
    anx = {"SAD", "GAD", "PTSD", "OCD", "panic", "mixed_anxiety"}
    rcts = [r for r in src if r not in registry and r["design"] in ("parallel_rct", "crossover_rct")
            and set(r["diagnosis"].split(";")) & anx and not set(r["diagnosis"].split(";")) & {"TRD", "MDD"}]
    assert res["anxiety_rcts"] == len(rcts)
    assert res["anxiety_rct_participants"] == sum(int(r["n_analysed"] or r["n_randomized"] or 0) for r in rcts)
    small = run("evidence_map", tmp_root, small_n=20)
    by = {t["diagnosis"]: t for t in small["thinness"]}
    assert all(t["small_rcts"] <= {x["diagnosis"]: x for x in res["thinness"]}[d]["small_rcts"] for d, t in by.items())


@pytest.mark.slow
def test_methods(tmp_root):
    res = run("methods", tmp_root)
    assert res["changed"] == [] and res["n_rules"] == len(SCALE)
    assert [r["verdict"] for r in res["rules"]] == list(SCALE)
    other = run("methods", tmp_root, approx_rel_tol=0.2, pooled_method="REML")
    assert sorted(other["changed"]) == ["approx_rel_tol", "pooled_method"]
    assert other["params"]["approx_rel_tol"] == 0.2


@pytest.mark.slow
def test_article_page_escapes_article_text(tmp_root):
    """No text from the data reaches the page as markup: every '<' in an article's quotes is escaped."""
    run("article", tmp_root, article_id=ARTICLES[0])
    nb = _CACHE[_key("article", {"article_id": ARTICLES[0]}) + ("nb",)]
    html_out = "".join(o.get("data", {}).get("text/html", "") for c in nb.cells if c.cell_type == "code"
                       for o in c.outputs)
    assert "<script" not in html_out.lower()
    quotes = [r["quote"] for r in read_csv("claims.csv") if r["article_id"] == ARTICLES[0]]
    import html as _html

    for q in quotes[:10]:
        assert _html.escape(q, quote=False) in html_out or _html.escape(q) in html_out
