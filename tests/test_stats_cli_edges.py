"""`evidence meta` edge cases (issue 16): refusals, stdin, delimiters, duplicate labels,
ambiguous columns, sei input, zero-width HKSJ, warnings and number formatting."""
from __future__ import annotations

import io
import json
import math

import pytest

from evidence.cli import main
from evidence.stats import cli as meta_cli

HEADER = "study,events_treat,n_treat,events_ctrl,n_ctrl\n"
GEN = "study,yi,vi\na,0.1,0.04\nb,0.3,0.02\nc,0.2,0.05\n"


def run(argv, capsys, stdin: bytes | None = None, monkeypatch=None):
    if stdin is not None:
        monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(stdin), encoding="utf-8"))
    rc = main(["meta", *argv])
    cap = capsys.readouterr()
    return rc, cap.out, cap.err


def write(tmp_path, text, name="in.csv"):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return str(p)


@pytest.mark.parametrize("method", ["MH", "PETO", "FE", "DL", "REML", "MH_DL"])
def test_no_estimable_study_is_exit_2_for_every_method(tmp_path, capsys, method):
    # every table double-zero: metafor's rma.peto stops with an error, rma.mh returns NA
    p = write(tmp_path, HEADER + "a,0,10,0,12\nb,0,5,0,5\n")
    rc, out, err = run([p, "--method", method, "--correction", "exclude_double_zero" if method != "MH" else "none"],
                       capsys)
    assert rc == 2 and out == ""
    assert err.startswith("evidence meta: error: ") and "estimable" in err and err.count("\n") == 1


def test_zero_width_hksj_interval_gets_its_p(tmp_path, capsys):
    # metafor: rma(yi=c(.5,.5,.5), vi=c(.1,.2,.3), method="DL", test="knha") -> se 0, zval Inf, pval 0
    p = write(tmp_path, "study,yi,vi\na,0.5,0.1\nb,0.5,0.2\nc,0.5,0.3\n")
    rc, out, _ = run([p, "--hksj", "--format", "json"], capsys)
    d = json.loads(out)
    assert rc == 0 and d["p"] == 0.0 and d["se"] == 0.0 and d["ci_low"] == d["ci_high"] == 0.5
    rc, out, _ = run([p, "--hksj"], capsys)
    assert "t = ∞ (df = 2), p < 0.0001" in out


def test_dash_reads_standard_input(tmp_path, capsys, monkeypatch):
    rc, out, err = run(["-", "--method", "FE", "--format", "json"], capsys, stdin=GEN.encode(), monkeypatch=monkeypatch)
    assert rc == 0 and err == ""
    d = json.loads(out)
    # metafor: rma(yi=c(.1,.3,.2), vi=c(.04,.02,.05), method="FE") -> 0.2263, se 0.1026
    assert d["file"] == "<stdin>" and d["estimate"] == pytest.approx(0.226316, abs=1e-6)
    rc, _, err = run(["-"], capsys, stdin=b"study,yi\na,1\n", monkeypatch=monkeypatch)
    assert rc == 2 and err.startswith("evidence meta: error: <stdin>: ")


@pytest.mark.parametrize("sep", [";", "\t", "|"])
def test_delimiter_is_detected(tmp_path, capsys, sep):
    rc, out, _ = run([write(tmp_path, GEN.replace(",", sep)), "--method", "FE", "--format", "json"], capsys)
    assert rc == 0 and json.loads(out)["estimate"] == pytest.approx(0.226316, abs=1e-6)


def test_unknown_delimiter_is_named(tmp_path, capsys):
    rc, _, err = run([write(tmp_path, GEN.replace(",", " "))], capsys)
    assert rc == 2 and "the header is one field when split at each comma" in err and err.count("\n") == 1
    rc, _, err = run([write(tmp_path, "study;yi;vi\na;0.1;0.04\nb;0.3\n")], capsys)
    assert rc == 2 and "expected 3 fields as in the header (semicolon-separated), found 2" in err


def test_duplicate_labels_warn(tmp_path, capsys):
    rc, out, err = run([write(tmp_path, "study,yi,vi\na,0.1,0.04\nb,0.3,0.02\na,0.2,0.05\n")], capsys)
    assert rc == 0 and out
    assert err == f"evidence meta: warning: {tmp_path / 'in.csv'}: study label 'a' is used by 2 rows (lines 2, 4)\n"


def test_two_kinds_of_columns_need_input(tmp_path, capsys):
    p = write(tmp_path, "study,yi,vi,events_treat,n_treat,events_ctrl,n_ctrl\na,0.1,0.04,1,10,2,10\nb,0.3,0.02,3,10,4,10\n")
    rc, out, err = run([p], capsys)
    assert rc == 2 and out == "" and "more than one kind of input" in err and "--input counts" in err
    rc, out, _ = run([p, "--input", "counts", "--method", "FE", "--format", "json"], capsys)
    assert rc == 0 and json.loads(out)["measure"] == "OR"
    rc, out, _ = run([p, "--input", "vi", "--method", "FE", "--format", "json"], capsys)
    assert rc == 0 and json.loads(out)["measure"] == "GEN"


def test_sei_input_equals_vi_input(tmp_path, capsys):
    sei = "study,yi,sei\na,0.1,0.2\nb,0.3,0.25\nc,0.2,0.5\n"
    vi = "study,yi,vi\na,0.1,0.04\nb,0.3,0.0625\nc,0.2,0.25\n"
    rc1, o1, _ = run([write(tmp_path, sei, "s.csv"), "--method", "REML", "--format", "json"], capsys)
    rc2, o2, _ = run([write(tmp_path, vi, "v.csv"), "--method", "REML", "--format", "json"], capsys)
    a, b = json.loads(o1), json.loads(o2)
    assert rc1 == rc2 == 0
    for key in ("estimate", "se", "tau2", "q"):
        assert a[key] == pytest.approx(b[key], rel=1e-12)
    rc, _, err = run([write(tmp_path, "study,yi,sei\na,0.1,0\n")], capsys)
    assert rc == 2 and "column 'sei'" in err and "standard error must be > 0" in err


def test_absurd_magnitudes_are_one_line_and_no_numpy_warning(tmp_path, capsys):
    rc, out, err = run([write(tmp_path, "study,yi,vi\na,1e200,1e-300\nb,-1e200,1e300\n")], capsys)
    assert rc == 2 and out == "" and err.count("\n") == 1 and "Warning" not in err


def test_numbers_print_to_consistent_digits():
    assert meta_cli._fmt(0.282417) == "0.2824" and meta_cli._fmt(152.233) == "152.2"
    assert meta_cli._fmt(1234567.0) == "1.235e+06" and meta_cli._fmt(-7.684e-17) == "0"
    assert meta_cli._stat(-7.684e-17) == "0.0000" and meta_cli._stat(152.233) == "152.2330"
    assert meta_cli._stat(math.inf) == "∞"


def test_one_study_says_heterogeneity_is_not_estimable(tmp_path, capsys):
    rc, out, _ = run([write(tmp_path, "study,yi,vi\na,0.1,0.04\n")], capsys)
    assert rc == 0 and "NA%" not in out and "Heterogeneity: not estimable with 1 study" in out


def test_help_explains_where_the_correction_matches_metafor(capsys):
    with pytest.raises(SystemExit):
        main(["meta", "--help"])
    out = " ".join(capsys.readouterr().out.split())
    assert "escalc default" in out and "rma.mh pools the raw counts" in out and "- reads standard input" in out
