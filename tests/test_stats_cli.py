"""``evidence meta FILE.csv``: table and JSON output, and every bad-input error.

The subcommand is exercised through its own ``register`` on a fresh parser, so
these tests do not depend on the other subcommands of ``evidence``.
Expected numbers are metafor's (see test_stats_meta.py for the sources).
"""
from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from numpy.testing import assert_allclose

import meta_cli as M   # tests/meta_cli.py: run `evidence meta`, write dat.bcg

from evidence.stats.io import StudyDataError, read_studies



@pytest.fixture()
def bcg_csv(tmp_path) -> Path:
    return M.bcg_csv(tmp_path)


def write(tmp_path, text, name="in.csv") -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


run = M.run


def test_subcommand_is_registered_in_the_main_cli():
    from evidence.cli import SUBCOMMANDS

    assert ("meta", "evidence.stats.cli") in [(n, m) for n, m, _ in SUBCOMMANDS]


def test_table_output(bcg_csv, capsys):
    rc, out, err = run([str(bcg_csv), "--measure", "RR", "--method", "REML"], capsys)
    assert rc == 0 and err == ""
    assert "k = 13" in out and "REML" in out
    assert "Pooled" in out and "0.4894" in out  # exp(-0.7145), metafor rma(method="REML")
    assert "[0.3441, 0.6962]" in out
    assert "I² = 92.22%" in out and "Q = 152.233" in out
    assert "Aronson 1948" in out and "Prediction interval" in out


def test_json_output(bcg_csv, capsys):
    rc, out, err = run([str(bcg_csv), "--measure", "rr", "--method", "dl", "--format", "json"], capsys)
    assert rc == 0
    d = json.loads(out)
    for key in ("measure", "method", "k", "estimate", "ci_low", "ci_high", "log_estimate", "se", "tau2", "i2",
                "q", "q_p", "pi_low", "pi_high", "studies"):
        assert key in d, key
    assert d["measure"] == "RR" and d["method"] == "DL" and d["k"] == 13
    # metafor rma(yi, vi, method="DL"): -0.7141, RR 0.4896 (0.3449, 0.6950), tau2 0.3088, I2 92.1173
    assert_allclose([d["log_estimate"], d["estimate"], d["ci_low"], d["ci_high"], d["tau2"], d["i2"]],
                    [-0.7141, 0.4896, 0.3449, 0.6950, 0.3088, 92.1173], atol=5e-5)
    assert len(d["studies"]) == 13 and d["studies"][0]["study"] == "Aronson 1948"


def test_json_fixed_effect_has_nulls_not_nan(bcg_csv, capsys):
    rc, out, _ = run([str(bcg_csv), "--method", "MH", "--format", "json"], capsys)
    assert rc == 0 and "NaN" not in out
    d = json.loads(out)
    assert d["pi_low"] is None and d["method"] == "MH" and d["measure"] == "OR"
    assert_allclose(d["estimate"], 0.6229, atol=5e-5)  # metafor rma.mh(measure="OR")


def test_options_hksj_level_and_other_layouts(bcg_csv, tmp_path, capsys):
    rc, out, _ = run([str(bcg_csv), "--measure", "RR", "--method", "REML", "--hksj", "--format", "json"], capsys)
    d = json.loads(out)
    assert rc == 0 and d["df"] == 12 and d["hksj"] is True
    assert_allclose(d["se"], 0.1808, atol=5e-5)  # metafor README, test="knha"
    rc, out, _ = run([str(bcg_csv), "--level", "0.9", "--format", "json"], capsys)
    assert rc == 0 and json.loads(out)["level"] == 0.9
    gen = write(tmp_path, "study,yi,vi\na,0.1,0.04\nb,0.3,0.02\nc,0.2,0.05\n")
    rc, out, _ = run([str(gen), "--format", "json"], capsys)
    assert rc == 0 and json.loads(out)["measure"] == "GEN"
    cont = write(tmp_path, "study,mean_treat,sd_treat,n_treat,mean_ctrl,sd_ctrl,n_ctrl\n"
                           "a,10,2,20,8,2.5,22\nb,12,3,30,11,3,28\n")
    rc, out, _ = run([str(cont)], capsys)
    assert rc == 0 and "SMD" in out
    rc, out, _ = run([str(cont), "--measure", "MD", "--format", "json"], capsys)
    assert rc == 0 and json.loads(out)["measure"] == "MD"


def test_zero_cell_default_and_correction_option(tmp_path, capsys):
    p = write(tmp_path, "study,events_treat,n_treat,events_ctrl,n_ctrl\nz,0,20,5,20\nn,10,40,15,40\n")
    _, out_default, _ = run([str(p), "--method", "FE", "--format", "json"], capsys)
    _, out_none, _ = run([str(p), "--method", "FE", "--correction", "none", "--format", "json"], capsys)
    d, n = json.loads(out_default), json.loads(out_none)
    assert d["correction"] == "all_if_zero" and d["k"] == 2
    assert n["k"] == 1 and n["studies"][0]["included"] is False


# --------------------------------------------------------------------------- #
# Bad input: one clear line on stderr naming file, row/line and column; exit 2; no traceback
# --------------------------------------------------------------------------- #
HEADER = "study,events_treat,n_treat,events_ctrl,n_ctrl\n"


@pytest.mark.parametrize(
    "text,where,column,problem",
    [
        (HEADER + "A,3,10,2,10\nB,12,10,1,9\n", "line 3 (data row 2)", "events_treat", "exceed the arm size"),
        (HEADER + "A,3,10,2,10\nB,x,10,1,9\n", "line 3 (data row 2)", "events_treat", "not a finite number: 'x'"),
        (HEADER + "A,3,-10,2,10\n", "line 2 (data row 1)", "n_treat", "must not be negative"),
        (HEADER + "A,3,10,2,10\nB,1,10,,9\n", "line 3 (data row 2)", "events_ctrl", "missing value"),
        (HEADER + "A,3,10,2.5,10\n", "line 2 (data row 1)", "events_ctrl", "whole number"),
        (HEADER + "A,3,10,2,0\n", "line 2 (data row 1)", "n_ctrl", "at least 1"),
        (HEADER + "\nA,3,10,2,10\n\nB,1,10,1,nan\n", "line 5 (data row 2)", "n_ctrl", "not a finite number"),
        ("study,yi,vi\na,0.1,0.04\nb,0.3,-0.02\n", "line 3 (data row 2)", "vi", "must be > 0"),
    ],
)
def test_bad_cells(tmp_path, capsys, text, where, column, problem):
    p = write(tmp_path, text)
    rc, out, err = run([str(p)], capsys)
    assert rc == 2 and out == ""
    assert err.startswith("evidence meta: error: ") and err.count("\n") == 1
    assert str(p) in err and where in err and f"column '{column}'" in err and problem in err
    assert "Traceback" not in err


def test_missing_column(tmp_path, capsys):
    p = write(tmp_path, "study,events_treat,n_treat,events_ctrl\nA,3,10,2\n")
    rc, _, err = run([str(p)], capsys)
    assert rc == 2 and str(p) in err and "missing column 'n_ctrl'" in err
    p2 = write(tmp_path, "events_treat,n_treat,events_ctrl,n_ctrl\n3,10,2,10\n", "nostudy.csv")
    rc, _, err = run([str(p2)], capsys)
    assert rc == 2 and "missing column 'study'" in err
    p3 = write(tmp_path, "foo,bar\n1,2\n", "foreign.csv")
    rc, _, err = run([str(p3)], capsys)
    assert rc == 2 and "no recognised columns" in err


@pytest.mark.parametrize(
    "content,problem",
    [
        ("", "empty file"),
        ("\n\n", "empty file"),
        (HEADER, "no data rows"),
        (HEADER + "A,3,10,2\n", "expected 5 fields"),
    ],
)
def test_empty_or_ragged_file(tmp_path, capsys, content, problem):
    p = write(tmp_path, content)
    rc, _, err = run([str(p)], capsys)
    assert rc == 2 and str(p) in err and problem in err and "Traceback" not in err


def test_unreadable_files(tmp_path, capsys):
    missing = tmp_path / "nope.csv"
    rc, _, err = run([str(missing)], capsys)
    assert rc == 2 and str(missing) in err and "no such file" in err
    rc, _, err = run([str(tmp_path)], capsys)
    assert rc == 2 and "directory" in err
    binary = tmp_path / "bin.csv"
    binary.write_bytes(b"\xff\xfe\x00\x81garbage")
    rc, _, err = run([str(binary)], capsys)
    assert rc == 2 and str(binary) in err and "UTF-8" in err
    if os.name == "posix" and os.geteuid() != 0:  # root can read anything
        locked = write(tmp_path, HEADER + "A,3,10,2,10\n", "locked.csv")
        locked.chmod(0)
        rc, _, err = run([str(locked)], capsys)
        assert rc == 2 and "permission denied" in err


def test_impossible_option_combinations(bcg_csv, capsys):
    rc, _, err = run([str(bcg_csv), "--measure", "SMD"], capsys)
    assert rc == 2 and str(bcg_csv) in err and "OR, RR or RD" in err
    rc, _, err = run([str(bcg_csv), "--measure", "RR", "--method", "PETO"], capsys)
    assert rc == 2 and "Peto" in err
    rc, _, err = run([str(bcg_csv), "--method", "MH", "--hksj"], capsys)
    assert rc == 2 and "HKSJ" in err


def test_bad_level_is_an_argparse_error(bcg_csv, capsys):
    with pytest.raises(SystemExit) as e:
        run([str(bcg_csv), "--level", "1.5x"], capsys)
    assert e.value.code == 2


def test_read_studies_reusable(bcg_csv, tmp_path):
    table, kind = read_studies(bcg_csv)
    assert kind == "counts" and len(table) == 13 and table.n_treat.dtype.kind == "f"
    bad = write(tmp_path, HEADER + "A,3,10,2,10\nB,1,10,11,10\n")
    with pytest.raises(StudyDataError) as e:
        read_studies(bad)
    assert (e.value.path, e.value.row, e.value.line, e.value.column) == (str(bad), 2, 3, "events_ctrl")


def test_through_the_evidence_entry_point(bcg_csv, tmp_path, capsys):
    # End to end through evidence.cli.main (imports every subcommand module).
    from evidence.cli import main

    assert main(["meta", str(bcg_csv), "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["k"] == 13
    bad = write(tmp_path, HEADER + "A,3,10,2,10\nB,12,10,1,9\n")
    assert main(["meta", str(bad)]) == 2
    err = capsys.readouterr().err
    assert "line 3 (data row 2)" in err and "column 'events_treat'" in err and "Traceback" not in err
