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


EVIDENCE = ["meta_analysis", "dose_route_onset", "real_world", "prevalence", "evidence_map", "methods"]


@pytest.mark.parametrize("name", EVIDENCE)
def test_evidence_notebooks_only_call_display_and_narrate(name):
    """Issue 11 item 5: no function or class defined, no lambda, no private helper called, no loop
    that computes: page logic lives in evidence.analyses.<page>, where it is unit-tested."""
    import ast

    nb = nbformat.read(NB_DIR / f"{name}.ipynb", as_version=4)
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        tree = ast.parse(cell.source)
        for node in ast.walk(tree):
            assert not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)), \
                f"{name}: defines a function"
            if isinstance(node, ast.Attribute):
                assert not node.attr.startswith("_"), f"{name}: calls a private helper {node.attr}"
            assert not isinstance(node, (ast.ListComp, ast.DictComp, ast.SetComp)), f"{name}: computes inline"
    # one page object per evidence page, built by its module
    assert f"{name}.page(" in "".join(c.source for c in nb.cells)


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


# The evidence pages' values are tested fast, on the page objects (tests/test_analyses.py); here each
# evidence notebook is executed once, and what it writes must be exactly its page object's JSON: the
# notebook only calls, displays and narrates.
EVIDENCE_PAGES = {  # notebook -> (module of evidence.analyses, the page() call with the notebook's defaults)
    "meta_analysis": ("meta_analysis", {}),
    "dose_route_onset": ("dose_route_onset", {}),
    "real_world": ("real_world", {}),
    "prevalence": ("prevalence", {}),
    "evidence_map": ("evidence_map", {}),
    "methods": ("methods", {}),
}


def _visible_outputs(nb) -> list[dict]:
    return [o for c in nb.cells if c.cell_type == "code" and "remove-output" not in c.metadata.get("tags", [])
            for o in c.outputs]


@pytest.mark.slow
@pytest.mark.parametrize("name", list(EVIDENCE_PAGES))
def test_evidence_notebook_writes_its_page_object(tmp_root, name):
    import importlib

    from evidence.analyses import load

    res = run(name, tmp_root)
    module, kwargs = EVIDENCE_PAGES[name]
    expected = json.loads(json.dumps(importlib.import_module(f"evidence.analyses.{module}").page(load(DATA), **kwargs)
                                     .to_json(), allow_nan=False))
    assert res == expected
    nb = _CACHE[_key(name, {}) + ("nb",)]
    outs = _visible_outputs(nb)
    # no build warning and no machine path reaches a reader (a leaked UserWarning carried the build path)
    assert not [o for o in outs if o.get("name") == "stderr"], [o.get("text") for o in outs if o.get("name") == "stderr"]
    text = "".join(str(o.get("data", {}).get("text/html", "")) + str(o.get("data", {}).get("text/markdown", ""))
                   for o in outs)
    assert str(REPO) not in text and "/tmp/" not in text
    # charts are SVG, never PNG
    assert "data:image/png" not in text


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
