"""`evidence meta` diagnostics and plots against metafor 3.8.1 on dat.bcg (RR, REML).

The reference values and the R calls that made them: tests/results/metafor_bcg_diagnostics.{R,py}.
"""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose

import meta_cli as M   # tests/meta_cli.py: run `evidence meta`, write dat.bcg

from tests.results import metafor_bcg_diagnostics as R

TOL = dict(rtol=1e-6, atol=1e-8)   # metafor run with threshold 1e-12 (the .R file)


@pytest.fixture()
def bcg(tmp_path) -> Path:
    return M.bcg_csv(tmp_path, moderators=True)


def fit(bcg, capsys, *extra):
    rc, out, err = run([str(bcg), "--measure", "RR", "--method", "REML", "--format", "json", *extra], capsys)
    assert rc == 0, err
    return json.loads(out)


run = M.run


def test_egger_begg_trimfill(bcg, capsys):
    d = fit(bcg, capsys, "--egger", "--begg", "--trimfill")
    # regtest(yi, vi, model="lm", predictor="sei"): t, p, limit estimate
    assert_allclose([d["egger"]["t"], d["egger"]["p"], d["egger"]["limit_estimate"]], R.EGGER_T_P_LIMIT, **TOL)
    assert d["egger"]["informative"] is True  # k = 13
    # ranktest(res): Kendall's tau, p
    assert_allclose([d["begg"]["tau"], d["begg"]["p"]], R.BEGG_TAU_P, **TOL)
    # trimfill(res): k0 = 1, estimate, se
    assert d["trimfill"]["k0"] == R.TRIMFILL_K0_B_SE[0]
    assert_allclose([d["trimfill"]["estimate"], d["trimfill"]["se"]], R.TRIMFILL_K0_B_SE[1:], **TOL)


def test_leave_one_out_and_cumulative(bcg, capsys):
    d = fit(bcg, capsys, "--loo", "--cumulative")
    loo = pd.DataFrame(d["leave_one_out"])
    assert_allclose(np.log(loo["estimate"]), R.LOO_ESTIMATE, **TOL)    # leave1out(res)$estimate
    assert_allclose(loo["tau2"], R.LOO_TAU2, **TOL)
    cu = pd.DataFrame(d["cumulative"])
    assert_allclose(np.log(cu["estimate"]), R.CUMUL_ESTIMATE, **TOL)  # cumul(res)$estimate


def test_influence(bcg, capsys):
    inf = pd.DataFrame(fit(bcg, capsys, "--influence")["influence"])   # influence(res)$inf
    for ours, ref in (("rstudent", R.INF_RSTUDENT), ("dffits", R.INF_DFFITS), ("cook_d", R.INF_COOK),
                      ("hat", R.INF_HAT), ("tau2_del", R.INF_TAU2_DEL), ("q_del", R.INF_QE_DEL)):
        assert_allclose(inf[ours], ref, err_msg=ours, **TOL)
    assert inf["study"][0] == "Aronson 1948"


def test_moderators(bcg, capsys):
    # rma(yi, vi, mods = ~ ablat + factor(alloc), method = "REML")
    mr = fit(bcg, capsys, "--moderator", "ablat", "--moderator", "alloc")["meta_regression"]
    cf = pd.DataFrame(mr["coefficients"])
    assert list(cf["term"]) == ["intercept", "ablat", "alloc=random", "alloc=systematic"]
    assert_allclose(cf["estimate"], R.MR_B, **TOL)
    assert_allclose(cf["se"], R.MR_SE, **TOL)
    assert_allclose(cf["p"], R.MR_PVAL, **TOL)
    assert_allclose([mr["tau2"], mr["r2"], mr["qm"], mr["qm_p"], mr["qe"]], R.MR_TAU2_R2_QM_QMP_QE, **TOL)
    # ... test = "knha": SE, p and the F test
    kh = fit(bcg, capsys, "--moderator", "ablat", "--moderator", "alloc", "--hksj")["meta_regression"]
    cf = pd.DataFrame(kh["coefficients"])
    assert_allclose(np.r_[cf["se"], cf["p"]], R.MRKNHA_SE_PVAL, **TOL)
    assert_allclose([kh["qm"], kh["qm_p"]], R.MRKNHA_QM_QMP, **TOL)
    assert kh["qm_df"] == [3, 9]


def test_subgroups(bcg, capsys):
    sg = fit(bcg, capsys, "--subgroup", "alloc")["subgroups"]
    tab = pd.DataFrame(sg["subgroups"])
    assert list(tab["subgroup"]) == ["alternate", "random", "systematic"]
    assert_allclose(tab["estimate"], R.SUB_B, **TOL)   # rma(yi, vi, subset = alloc == g, method = "REML")
    assert_allclose(tab["se"], R.SUB_SE, **TOL)
    assert_allclose([sg["q_between"], sg["p"]], R.SUB_QB_P, **TOL)  # rma(yi = b, sei = se, method = "FE")$QE


def test_table_output_has_every_section(bcg, capsys):
    rc, out, _ = run([str(bcg), "--measure", "RR", "--method", "REML", "--egger", "--begg", "--trimfill", "--loo",
                      "--influence", "--subgroup", "alloc", "--moderator", "ablat"], capsys)
    assert rc == 0
    for text in ("Egger's test", "Begg's test", "Trim-and-fill (L0): 1 study imputed", "Leave-one-out",
                 "Influence", "Test for subgroup differences: Q = 1.8614 (df = 2", "Meta-regression (REML"):
        assert text in out, text


def test_begg_is_flagged_uninformative_below_10_studies(tmp_path, capsys):
    p = tmp_path / "g.csv"
    p.write_text("study,yi,vi\na,0.1,0.04\nb,0.3,0.02\nc,0.2,0.05\nd,0.5,0.1\n", encoding="utf-8")
    rc, out, _ = run([str(p), "--begg", "--egger", "--format", "json"], capsys)
    d = json.loads(out)
    assert rc == 0 and d["begg"]["informative"] is False and d["egger"]["informative"] is False
    assert "uninformative with k = 4 < 10" in d["begg"]["message"]


@pytest.mark.parametrize("ext", ["svg", "png"])
def test_forest_and_funnel_files(bcg, capsys, tmp_path, ext):
    f, u = tmp_path / f"forest.{ext}", tmp_path / f"funnel.{ext}"
    rc, _, err = run([str(bcg), "--measure", "RR", "--forest", str(f), "--funnel", str(u)], capsys)
    assert rc == 0 and f.stat().st_size > 1000 and u.stat().st_size > 1000
    assert f"wrote {f}" in err
    if ext == "svg":
        svg = f.read_text(encoding="utf-8")
        for text in ("Aronson 1948", "Total (95% CI)", "Heterogeneity: Tau² = 0.31; Chi² = 152.23, df = 12",
                     "Test for overall effect", "Weight"):
            assert text in svg, text
    else:
        assert f.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


@pytest.mark.parametrize("argv, message", [
    (["--forest", "out.pdf"], "name the file .svg or .png"),
    (["--method", "MH", "--influence"], "--influence needs an inverse-variance method"),
    (["--subgroup", "nope"], "--subgroup nope: no such column"),
    (["--moderator", "study"], "needs more than 13 studies"),
])
def test_bad_options_are_one_line_exit_2(bcg, capsys, tmp_path, argv, message):
    argv = [a if a != "out.pdf" else str(tmp_path / "out.pdf") for a in argv]
    rc, out, err = run([str(bcg), "--measure", "RR", *argv], capsys)
    assert rc == 2 and err.count("\n") == 1 and message in err, err
