"""The declared parameter table (evidence.params): one validator for `report`, `claims` and `check` -p.

Every parameter the commands accept is in the table, the table agrees with the notebooks'
parameters cells, the manifest and the verdict engine, bad values are one line and exit 2,
and the README's researcher example changes what it says it changes.
"""
from __future__ import annotations

import ast
import json
import tomllib
from pathlib import Path

import pytest

from evidence import params as P
from evidence.cli import main

ROOT = Path(__file__).resolve().parents[1]
NB = ROOT / "notebooks"


def _parameters_cell(notebook: Path) -> dict:
    raw = json.loads(notebook.read_text(encoding="utf-8"))
    cell = next(c for c in raw["cells"] if "parameters" in c.get("metadata", {}).get("tags", []))
    out = {}
    for node in ast.parse("".join(cell["source"])).body:
        if isinstance(node, ast.Assign):
            out[node.targets[0].id] = ast.literal_eval(node.value)
    return out


def _entries() -> dict[str, Path]:
    raw = tomllib.loads((NB / "manifest.toml").read_text(encoding="utf-8"))
    return {p["name"]: NB / p["notebook"] for p in raw["page"]}


# --------------------------------------------------------------------------- the table against the code

@pytest.mark.parametrize("entry", sorted(_entries()))
def test_each_page_declares_exactly_the_table_parameters_it_is_listed_for(entry):
    from evidence.report.manifest import PIPELINE_PARAMETERS

    cell = _parameters_cell(_entries()[entry])
    declared = set(cell) - set(PIPELINE_PARAMETERS) - set(P.ALIASES) - set(P.PER_PAGE)
    listed = {n for n, p in P.PARAMS.items() if entry in p.pages}
    assert declared == listed, f"{entry}: notebook declares {sorted(declared)}, table lists {sorted(listed)}"
    for name in declared:  # the notebook's default is the table's
        assert cell[name] == P.PARAMS[name].default, (entry, name)


def test_every_listed_page_exists():
    entries = set(_entries())
    for p in P.PARAMS.values():
        assert set(p.pages) <= entries, p.name
        assert set(p.commands) <= set(P.COMMANDS) and p.commands, p.name
        p.check(p.default)  # every default passes its own validator


def test_engine_parameters_are_the_verdict_engine_defaults():
    from evidence.verdicts import DEFAULT_PARAMS

    assert P.defaults("claims") == DEFAULT_PARAMS == P.defaults("check")


def test_choices_are_the_methods_and_corrections_of_stats():
    from evidence.stats import cli as meta_cli
    from evidence.stats._common import CORRECTIONS

    assert P.METHODS == meta_cli.METHODS
    assert set(P.CORRECTIONS) == set(CORRECTIONS) == set(P.PARAMS["zero_cell_correction"].choices)


# --------------------------------------------------------------------------- the validator

def test_values_are_parsed_and_normalised():
    got = P.parse(["approx_rel_tol=0.05", "small_n=20", "pooled_method=reml", "zero_cell_correction=none",
                   "half_band=1"], "claims")
    assert got == {"approx_rel_tol": 0.05, "small_n": 20, "pooled_method": "REML",
                   "zero_cell_correction": "none", "half_band": 1.0}
    assert P.parse(["pooled_method=null"], "check") == {"pooled_method": None}
    assert P.parse(["rhos=[0.1,0.9]", "measure=rr"], "report") == {"rhos": [0.1, 0.9], "measure": "RR"}


@pytest.mark.parametrize("pair, command, message", [
    ("approx_rel_tol=abc", "claims", "-p approx_rel_tol: expected a number"),
    ("approx_rel_tol=-5", "claims", "-p approx_rel_tol: -5 is out of range"),
    ("approx_rel_tol=-5", "check", "-p approx_rel_tol: -5 is out of range"),
    ("approx_rel_tol=-1", "report", "-p approx_rel_tol: -1 is out of range"),
    ("approx_rel_tol=true", "claims", "-p approx_rel_tol: expected a number"),
    ("approx_rel_tol=NaN", "claims", "-p approx_rel_tol: expected a finite number"),
    ("small_n=2.5", "claims", "-p small_n: expected a whole number"),
    ("small_n=0", "claims", "-p small_n: 0 is out of range"),
    ("imprecision_ratio=1", "claims", "-p imprecision_ratio: 1 is out of range"),
    ("majority_threshold=100", "claims", "-p majority_threshold: 100 is out of range"),
    ("half_band=null", "claims", "-p half_band: null is not allowed"),
    ("pooled_method=XYZ", "claims", "-p pooled_method: 'XYZ' is not one of FE, IV, MH"),
    ("zero_cell_correction=half", "check", "-p zero_cell_correction: 'half' is not one of"),
    ("nope=1", "claims", "-p nope: unknown parameter"),
    ("measure=RR", "claims", "-p measure: unknown parameter by `evidence claims`"),
    ("rhos=[1.5]", "report", "-p rhos: 1.5 is out of range"),
    ("rhos=0.5", "report", "-p rhos: expected a JSON list"),
    ("article_id=x", "report", "-p article_id: set per article page by the manifest"),
    ("approx_rel_tol", "claims", "-p expects NAME=VALUE"),
])
def test_bad_values_name_the_option(pair, command, message):
    with pytest.raises(P.ParamError) as exc:
        P.parse([pair], command)
    assert str(exc.value).startswith(message)
    assert "\n" not in str(exc.value)


def test_old_names_work_with_a_deprecation_message():
    said = []
    assert P.parse(["correction=treatment_arm"], "claims", warn=said.append) == {
        "zero_cell_correction": "treatment_arm"}
    assert P.parse(["method=REML"], "report", warn=said.append) == {"pooled_method": "REML"}
    assert said == ["evidence: -p correction is deprecated; use -p zero_cell_correction (same values)",
                    "evidence: -p method is deprecated; use -p pooled_method (same values)"]
    with pytest.raises(P.ParamError, match="given together"):
        P.parse(["zero_cell_correction=none", "correction=none"], "claims", warn=None)
    # library callers (the notebooks' merge_params) map the old name too
    from evidence.analyses import merge_params

    assert merge_params(correction="treatment_arm")["zero_cell_correction"] == "treatment_arm"


def test_report_leaves_undeclared_names_to_the_manifest():
    # the pipeline builds any manifest (tests/fixtures): an undeclared name passes here and the
    # manifest refuses it unless a page declares it (tests/test_report_units.py)
    assert P.parse(["repeat=5"], "report") == {"repeat": 5}
    with pytest.raises(P.ParamError):
        P.parse(["repeat=5"], "claims")


# --------------------------------------------------------------------------- the three commands

@pytest.mark.parametrize("argv", [
    ["claims", "-p", "approx_rel_tol=abc"],
    ["claims", "-p", "approx_rel_tol=-5"],
    ["claims", "-p", "pooled_method=XYZ"],
    ["check", "-", "-p", "approx_rel_tol=abc"],
    ["check", "-", "-p", "approx_rel_tol=-5"],
])
def test_commands_refuse_bad_parameters_with_exit_2(argv, capsys, monkeypatch):
    import io

    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(b"About 30% of patients respond.\n")))
    try:
        rc = main(argv)
    except SystemExit as exc:
        rc = exc.code
    err = capsys.readouterr().err
    assert rc == 2
    assert err.count("\n") == 1 and "-p " in err and "Traceback" not in err, err


def test_report_refuses_a_bad_parameter_before_building(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(ROOT)
    rc = main(["report", "-q", "-p", "approx_rel_tol=-1", "--out", str(tmp_path / "r"),
               "--cache", str(tmp_path / "c")])
    assert rc == 2
    assert "-p approx_rel_tol: -1 is out of range" in capsys.readouterr().err
    assert not (tmp_path / "r").exists()


def test_every_engine_parameter_reaches_a_page():
    # `evidence report -p majority_threshold=60` used to exit 2 ("no page declares a parameter")
    from evidence.report.manifest import apply_overrides, load_manifest

    m = load_manifest(NB / "manifest.toml", ROOT / "data")
    over = P.parse([f"{n}={json.dumps(v if v is not None else 'REML' if n == 'pooled_method' else 'none')}"
                    for n, v in P.defaults("claims").items()], "report")
    apply_overrides(m.pages, over)
    by = {p.name: p for p in m.pages}
    assert by["methods"].parameters["majority_threshold"] == 50.0
    assert by["claims"].parameters["imprecision_ratio"] == 10.0
    assert by["meta-analysis"].parameters["pooled_method"] == "REML"
    assert by["meta-analysis"].parameters["zero_cell_correction"] == "none"
    assert "majority_threshold" not in by["meta-analysis"].parameters


# --------------------------------------------------------------------------- the README's researcher example

@pytest.fixture(scope="module")
def db():
    from evidence.db import load_db

    return load_db(ROOT / "data")


def test_readme_example_a_stricter_about_changes_a_verdict(db):
    """`-p approx_rel_tol=0.05`: 002-02 claims "~30%" where the evidence gives 33.3% (1/3).

    Default 10%: the claim admits [29.5 - 3, 30.5 + 3] = [26.5, 33.5], so 33.3% is accurate.
    At 5%: [29.5 - 1.5, 30.5 + 1.5] = [28, 32]; 33.3% is above it: the claim understates.
    """
    from evidence.claims import evaluate_all

    base = evaluate_all(db, P.parse([], "claims"))
    strict = evaluate_all(db, P.parse(["approx_rel_tol=0.05"], "claims"))
    b = base.set_index("claim_id")["verdict"]
    s = strict.set_index("claim_id")["verdict"]
    assert b["002-02"] == "accurate" and s["002-02"] == "understated"
    assert list(b.index[b != s]) == ["002-02"]
    assert (b == "accurate").sum() - (s == "accurate").sum() == 1
    assert (s == "understated").sum() - (b == "understated").sum() == 1


def test_readme_example_zero_cell_correction_changes_the_meta_analysis_page(db):
    """`-p zero_cell_correction=treatment_arm` re-pools the meta-analysis page.

    OCD (Rodriguez 2013, 4/8 vs 0/7), inverse variance, one trial:
    all_if_zero: (4.5 × 7.5) / (4.5 × 0.5) = 15; treatment arm (Sweeting 2004: the arms get
    n_ctrl/N = 7/15 and n_treat/N = 8/15 added to their cells... the control cells 7/15):
    (7 + 7/15) / (7/15) = 16.
    `pooled_method` changes nothing on this page today: every analysis has one trial with counts.
    """
    from evidence import analyses as A

    data = A.arm_frame(db, "whittaker2021_ocd")
    base = A.pool(db, "whittaker2021_ocd", measure="OR", method="IV", correction="all_if_zero", data=data)
    alt = A.pool(db, "whittaker2021_ocd", measure="OR", method="IV", correction="treatment_arm", data=data)
    assert base.estimate == pytest.approx(15.0, rel=1e-12)
    assert alt.estimate == pytest.approx(16.0, rel=1e-12)
    assert base.k == alt.k == 1
