"""Meta-analysis engine against published metafor / meta / paper values.

Tolerance policy (numpy.testing.assert_allclose):
* values printed to 4 decimals (metafor's print, pkgdown docs, testthat files):
  ``atol=5e-5`` (half a unit in the last printed digit; 5e-4 for 3 decimals);
* values published at full precision (statsmodels' results_meta.py, metafor
  testthat structures): ``rtol=1e-6``, or ``atol=1e-5`` when metafor's own
  iterative convergence threshold (1e-5 on τ² for ML/REML) or uniroot tolerance
  (eps^0.25 ≈ 1.2e-4 for the Q-profile CI) limits the reference itself.
"""
from __future__ import annotations

import math
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose

from evidence.stats.effects import binary_effect_sizes
from evidence.stats.meta import (
    cumulative,
    egger_test,
    leave_one_out,
    mantel_haenszel,
    meta_analysis,
    prediction_interval,
    tau2_ci_qprofile,
    tau2_estimate,
)

GOLDEN = Path(__file__).parent / "golden"
A4 = 5e-5  # half a unit in the 4th decimal


def bcg() -> pd.DataFrame:
    d = pd.read_csv(GOLDEN / "dat_bcg.csv")
    return pd.DataFrame(
        {
            "study": d.author + ", " + d.year.astype(str),
            "events_treat": d.tpos,
            "n_treat": d.tpos + d.tneg,
            "events_ctrl": d.cpos,
            "n_ctrl": d.cpos + d.cneg,
            "year": d.year,
        }
    )


# --------------------------------------------------------------------------- #
# dat.bcg, log risk ratio
# --------------------------------------------------------------------------- #
def test_bcg_rr_fixed_effect():
    # metafor tests/testthat/test_misc_metan_vs_rma.uni_with_dat.bcg.r:
    #   dat <- escalc(measure="RR", ai=tpos, bi=tneg, ci=cpos, di=cneg, data=dat.bcg)
    #   res <- rma(yi, vi, data=dat, method="EE"); predict(res, transf=exp)
    #   beta -0.4303, ci -0.5097/-0.3509, zval -10.6247, QE 152.2330; RR 0.6503 (0.6007, 0.7040)
    r = meta_analysis(bcg(), measure="RR", method="FE")
    assert r.k == 13
    assert_allclose([r.log_estimate, math.log(r.ci_low), math.log(r.ci_high), r.z], [-0.4303, -0.5097, -0.3509, -10.6247], atol=A4)
    assert_allclose(r.q, 152.2330, atol=A4)
    assert_allclose([r.estimate, r.ci_low, r.ci_high], [0.6503, 0.6007, 0.7040], atol=A4)
    assert r.tau2 == 0 and math.isnan(r.pi_low)  # no prediction interval for a fixed-effect model
    # IV is an alias of FE
    assert meta_analysis(bcg(), measure="RR", method="IV").log_estimate == r.log_estimate


def test_bcg_rr_dersimonian_laird():
    # metafor test_misc_metan_vs_rma.uni_with_dat.bcg.r: rma(yi, vi, data=dat, method="DL")
    #   beta -0.7141, ci -1.0644/-0.3638, zval -3.9952, tau2 0.3088, I2 92.1173; RR 0.4896 (0.3449, 0.6950)
    # metafor test_misc_confint.r / docs/reference/methods.confint.rma.html: confint(res)
    #   tau^2 0.3088 (0.1197, 1.1115); I^2 92.1173 (81.9177, 97.6781); H^2 12.6861 (5.5303, 43.0680)
    r = meta_analysis(bcg(), measure="RR", method="DL")
    assert_allclose([r.log_estimate, r.z, r.tau2, r.i2, r.h2], [-0.7141, -3.9952, 0.3088, 92.1173, 12.6861], atol=A4)
    assert_allclose([math.log(r.ci_low), math.log(r.ci_high)], [-1.0644, -0.3638], atol=A4)
    assert_allclose([r.estimate, r.ci_low, r.ci_high], [0.4896, 0.3449, 0.6950], atol=A4)
    # Q-profile CI: metafor's uniroot tolerance (eps^0.25 ~ 1.2e-4) limits agreement; its lower
    # bound 0.1196953 is 2.3e-5 short of the exact root, which moves I^2 by 0.003 points.
    assert_allclose(r.tau2_ci, [0.1197, 1.1115], atol=2e-4)
    assert_allclose(r.i2_ci, [81.9177, 97.6781], atol=5e-3)
    assert_allclose(r.h2_ci, [5.5303, 43.0680], atol=5e-3)
    # Our bounds solve the defining equations Q(tau2) = chi2 quantiles (Viechtbauer 2007) exactly.
    from scipy import stats
    from evidence.stats.meta import _q

    d = bcg()
    yi, vi, _ = binary_effect_sizes(d.events_treat, d.n_treat, d.events_ctrl, d.n_ctrl, "RR")
    assert_allclose(_q(yi, vi, r.tau2_ci[0]), stats.chi2.isf(0.025, 12), rtol=1e-10)
    assert_allclose(_q(yi, vi, r.tau2_ci[1]), stats.chi2.ppf(0.025, 12), rtol=1e-10)


def test_bcg_rr_reml():
    # metafor docs/reference/rma.uni.html: rma(yi, vi, data=dat, method="REML")
    #   tau^2 0.3132 (SE 0.1664), tau 0.5597, I^2 92.22%, H^2 12.86, Q(df=12) 152.2330,
    #   estimate -0.7145 se 0.1798 zval -3.9744 ci -1.0669/-0.3622
    # metafor tests/testthat/test_misc_influence.r (full precision):
    #   tau2 0.313243325980895, QE 152.233008082373
    # docs/reference/methods.confint.rma.html: I^2(%) 92.2213861
    # docs/reference/predict.rma.html: predict(res, digits=2): pi -1.87, 0.44; transf=exp 0.15, 1.55
    r = meta_analysis(bcg(), measure="RR", method="REML")
    assert_allclose([r.log_estimate, r.se, r.z], [-0.7145, 0.1798, -3.9744], atol=A4)
    assert_allclose([math.log(r.ci_low), math.log(r.ci_high)], [-1.0669, -0.3622], atol=A4)
    assert_allclose(r.tau2, 0.313243325980895, atol=1e-5)  # metafor REML threshold 1e-5
    assert_allclose(r.q, 152.233008082373, rtol=1e-9)
    assert_allclose(r.tau, 0.5597, atol=A4)
    assert_allclose(r.i2, 92.2213861, atol=1e-4)
    assert_allclose(r.h2, 12.86, atol=5e-3)
    assert r.q_df == 12 and r.q_p < 1e-4
    assert_allclose([math.log(r.pi_low), math.log(r.pi_high)], [-1.87, 0.44], atol=5e-3)
    assert_allclose([r.pi_low, r.pi_high], [0.15, 1.55], atol=5e-3)


def test_bcg_rr_reml_knha():
    # metafor README.md: res <- rma(yi, vi, data=dat, test="knha")
    #   estimate -0.7145 se 0.1808 tval -3.9522 df 12 pval 0.0019 ci -1.1084/-0.3206
    #   predict(res, transf=exp, digits=2): 0.49 (0.33, 0.73), pi 0.14 to 1.76
    r = meta_analysis(bcg(), measure="RR", method="REML", hksj=True)
    assert_allclose([r.log_estimate, r.se, r.z], [-0.7145, 0.1808, -3.9522], atol=A4)
    assert r.df == 12
    assert_allclose(r.p, 0.0019, atol=A4)
    assert_allclose([math.log(r.ci_low), math.log(r.ci_high)], [-1.1084, -0.3206], atol=A4)
    assert_allclose([r.estimate, r.ci_low, r.ci_high, r.pi_low, r.pi_high], [0.49, 0.33, 0.73, 0.14, 1.76], atol=5e-3)


def test_bcg_rr_ml():
    # metafor docs/reference/anova.rma.html: res1 <- rma(yi, vi, data=dat, method="ML")
    #   tau^2 0.2800, tau 0.5292, I^2 91.38%, H^2 11.60, estimate -0.7112 se 0.1719 zval -4.1374 ci -1.0481/-0.3743
    r = meta_analysis(bcg(), measure="RR", method="ML")
    assert_allclose([r.tau2, r.tau, r.log_estimate, r.se, r.z], [0.2800, 0.5292, -0.7112, 0.1719, -4.1374], atol=A4)
    assert_allclose([math.log(r.ci_low), math.log(r.ci_high)], [-1.0481, -0.3743], atol=A4)
    assert_allclose([r.i2, r.h2], [91.38, 11.60], atol=5e-3)


def test_bcg_rr_paule_mandel():
    # metafor tests/testthat/test_misc_rma_uni.r: rma(yi, vi, data=dat, method="DLIT") and "SJIT"
    # give tau2 0.3181.  Iterated DL (and iterated SJ) converge to the Paule-Mandel estimator
    # (DerSimonian & Kacker 2007, Contemp Clin Trials 28:105), so PM must give 0.3181 too.
    r = meta_analysis(bcg(), measure="RR", method="PM")
    assert_allclose(r.tau2, 0.3181, atol=A4)
    # The PM estimate solves generalised Q = k - 1 (definition).
    yi, vi, _ = binary_effect_sizes(bcg().events_treat, bcg().n_treat, bcg().events_ctrl, bcg().n_ctrl, "RR")
    w = 1 / (vi + r.tau2)
    mu = np.sum(w * yi) / np.sum(w)
    assert_allclose(np.sum(w * (yi - mu) ** 2), 12, rtol=1e-10)


def test_bcg_or_iv_models():
    # metafor test_misc_metan_vs_rma.uni_with_dat.bcg.r, measure="OR":
    #   EE: beta -0.4361, ci -0.5190/-0.3533, zval -10.3190, QE 163.1649; OR 0.6465 (0.5951, 0.7024)
    #   DL: beta -0.7474, ci -1.1242/-0.3706, zval -3.8873, tau2 0.3663, I2 92.6455; OR 0.4736 (0.3249, 0.6903)
    fe = meta_analysis(bcg(), measure="OR", method="FE")
    assert_allclose([fe.log_estimate, math.log(fe.ci_low), math.log(fe.ci_high), fe.z], [-0.4361, -0.5190, -0.3533, -10.3190], atol=A4)
    assert_allclose(fe.q, 163.1649, atol=A4)
    assert_allclose([fe.estimate, fe.ci_low, fe.ci_high], [0.6465, 0.5951, 0.7024], atol=A4)
    dl = meta_analysis(bcg(), measure="OR", method="DL")
    assert_allclose([dl.log_estimate, math.log(dl.ci_low), math.log(dl.ci_high), dl.z], [-0.7474, -1.1242, -0.3706, -3.8873], atol=A4)
    assert_allclose([dl.tau2, dl.i2], [0.3663, 92.6455], atol=A4)
    assert_allclose([dl.estimate, dl.ci_low, dl.ci_high], [0.4736, 0.3249, 0.6903], atol=A4)


def test_bcg_rd_iv_models():
    # metafor test_misc_metan_vs_rma.uni_with_dat.bcg.r, measure="RD":
    #   EE: beta -0.0009, ci -0.0014/-0.0005, zval -4.0448, QE 276.4737
    #   DL: beta -0.0071, ci -0.0101/-0.0040, zval -4.5128, tau2 0.0000, I2 95.6596
    fe = meta_analysis(bcg(), measure="RD", method="FE")
    assert_allclose([fe.estimate, fe.ci_low, fe.ci_high, fe.z], [-0.0009, -0.0014, -0.0005, -4.0448], atol=A4)
    assert_allclose(fe.q, 276.4737, atol=A4)
    dl = meta_analysis(bcg(), measure="RD", method="DL")
    assert_allclose([dl.estimate, dl.ci_low, dl.ci_high, dl.z, dl.tau2, dl.i2], [-0.0071, -0.0101, -0.0040, -4.5128, 0.0, 95.6596], atol=A4)
    assert dl.log_estimate == dl.estimate  # RD is analysed on its own scale


def test_bcg_mantel_haenszel():
    # metafor test_misc_metan_vs_rma.mh_with_dat.bcg.r and docs/reference/rma.mh.html:
    #   rma.mh(measure="OR", ai=tpos, bi=tneg, ci=cpos, di=cneg, data=dat.bcg)
    #     beta -0.4734 se 0.0410 zval -11.5444 ci -0.5538/-0.3930, Q 163.9426, I^2 92.68%, H^2 13.66; OR 0.6229 (0.5748, 0.6750)
    #   rma.mh(measure="RR", ...)
    #     beta -0.4537 se 0.0393 zval -11.5338 ci -0.5308/-0.3766, Q 152.5676, I^2 92.13%, H^2 12.71; RR 0.6353 (0.5881, 0.6862)
    orr = meta_analysis(bcg(), measure="OR", method="MH")
    assert_allclose([orr.log_estimate, orr.se, orr.z, math.log(orr.ci_low), math.log(orr.ci_high)],
                    [-0.4734, 0.0410, -11.5444, -0.5538, -0.3930], atol=A4)
    assert_allclose([orr.q, orr.estimate, orr.ci_low, orr.ci_high], [163.9426, 0.6229, 0.5748, 0.6750], atol=A4)
    assert_allclose([orr.i2, orr.h2], [92.68, 13.66], atol=5e-3)
    rr = meta_analysis(bcg(), measure="RR", method="MH")
    assert_allclose([rr.log_estimate, rr.se, rr.z, math.log(rr.ci_low), math.log(rr.ci_high)],
                    [-0.4537, 0.0393, -11.5338, -0.5308, -0.3766], atol=A4)
    assert_allclose([rr.q, rr.estimate, rr.ci_low, rr.ci_high], [152.5676, 0.6353, 0.5881, 0.6862], atol=A4)
    assert_allclose([rr.i2, rr.h2], [92.13, 12.71], atol=5e-3)
    assert orr.tau2 == 0 and math.isnan(orr.pi_low)


def test_bcg_mantel_haenszel_rd_variances():
    # metafor test_misc_metan_vs_rma.mh_with_dat.bcg.r, rma.mh(measure="RD", ...):
    #   beta -0.0033, ci -0.0039/-0.0027, zval -11.4708 (Sato, Greenland & Robins 1989 variance),
    #   "11.56 in Stata" = metan's Greenland & Robins (1985) variance, which RevMan also uses; QE 386.7759
    d = pd.read_csv(GOLDEN / "dat_bcg.csv")
    est, se, _ = mantel_haenszel(d.tpos, d.tneg, d.cpos, d.cneg, "RD", rd_variance="sato")
    assert_allclose([est, est / se, est - 1.959964 * se, est + 1.959964 * se], [-0.0033, -11.4708, -0.0039, -0.0027], atol=A4)
    r = meta_analysis(bcg(), measure="RD", method="MH")  # default: Greenland-Robins
    assert_allclose(r.estimate, -0.0033, atol=A4)
    assert_allclose(abs(r.z), 11.56, atol=5e-3)
    assert_allclose(r.q, 386.7759, atol=A4)


def test_bcg_peto():
    # metafor test_misc_metan_vs_rma.peto_with_dat.bcg.r: rma.peto(ai=tpos, bi=tneg, ci=cpos, di=cneg, data=dat.bcg)
    #   beta -0.4744, ci -0.5541/-0.3948, zval -11.6689, QE 167.7302; OR 0.6222 (0.5746, 0.6738)
    r = meta_analysis(bcg(), measure="OR", method="PETO")
    assert_allclose([r.log_estimate, math.log(r.ci_low), math.log(r.ci_high), r.z], [-0.4744, -0.5541, -0.3948, -11.6689], atol=A4)
    assert_allclose([r.q, r.estimate, r.ci_low, r.ci_high], [167.7302, 0.6222, 0.5746, 0.6738], atol=A4)
    with pytest.raises(ValueError, match="Peto"):
        meta_analysis(bcg(), measure="RR", method="PETO")


def test_bcg_leave_one_out():
    # metafor tests/testthat/test_misc_influence.r, leave1out(res) first row (trial 1 omitted):
    #   rma (REML): estimate -0.707083788031436 se 0.189961024702717 zval -3.72225717953459
    #     ci -1.07940055491509/-0.334767021147788 Q 151.582572747109 tau2 0.336156745300306
    #     I2 93.2259349111223 H2 14.762184698253
    #   rma.mh (RR): estimate -0.451379469928476 se 0.0394350331703394 Q 151.915260738878
    #   rma.peto: estimate -0.472177269248539 se 0.0407784291562603 Q 167.200450619361
    loo = leave_one_out(bcg(), measure="RR", method="REML")
    assert len(loo) == 13 and loo.k.eq(12).all()
    row = loo.iloc[0]
    assert row.study == "Aronson, 1948"
    assert_allclose([row.log_estimate, row.se, row.z, math.log(row.ci_low), math.log(row.ci_high)],
                    [-0.707083788031436, 0.189961024702717, -3.72225717953459, -1.07940055491509, -0.334767021147788], atol=1e-5)
    assert_allclose([row.q, row.tau2, row.i2, row.h2], [151.582572747109, 0.336156745300306, 93.2259349111223, 14.762184698253], atol=1e-5)
    mh = leave_one_out(bcg(), measure="RR", method="MH").iloc[0]
    assert_allclose([mh.log_estimate, mh.se, mh.q], [-0.451379469928476, 0.0394350331703394, 151.915260738878], rtol=1e-6)
    pe = leave_one_out(bcg(), measure="OR", method="PETO").iloc[0]
    assert_allclose([pe.log_estimate, pe.se, pe.q], [-0.472177269248539, 0.0407784291562603, 167.200450619361], rtol=1e-6)


def test_bcg_cumulative():
    # metafor tests/testthat/test_misc_cumul.r, cumul(res, order=year), 6-decimal values:
    #   rma (REML), rma.mh (RR) and rma.peto
    reml = [-0.889311, -1.325003, -0.97208, -1.001094, -1.101424, -0.973464, -0.901251, -0.788566,
            -0.865607, -0.785211, -0.708206, -0.794768, -0.714532]
    mh = [-0.889311, -1.351739, -0.827295, -0.837892, -0.894003, -0.850672, -0.835785, -0.774442,
          -0.789605, -0.666015, -0.635076, -0.775798, -0.45371]
    pe = [-0.860383, -1.240086, -0.957016, -0.964222, -1.000315, -0.940979, -0.924632, -0.850145,
          -0.871198, -0.726791, -0.691247, -0.816134, -0.474446]
    d = bcg()
    c1 = cumulative(d, order="year", measure="RR", method="REML")
    assert_allclose(c1.log_estimate, reml, atol=1e-5)  # metafor's REML threshold
    assert c1.k.tolist() == list(range(1, 14))
    assert c1.study.iloc[0] == "Aronson, 1948"  # 1948 is the earliest year
    assert_allclose(cumulative(d, order="year", measure="RR", method="MH").log_estimate, mh, atol=5e-7)
    assert_allclose(cumulative(d, order="year", measure="OR", method="PETO").log_estimate, pe, atol=5e-7)


# --------------------------------------------------------------------------- #
# statsmodels' reference examples (statsmodels/stats/tests/results/results_meta.py)
# --------------------------------------------------------------------------- #
KACKER = pd.DataFrame(
    {
        "yi": [61.0, 61.4, 62.21, 62.3, 62.34, 62.6, 62.7, 62.84, 65.9],
        "vi": [0.2025, 1.2100, 0.0900, 0.2025, 0.3844, 0.5625, 0.0676, 0.0225, 1.8225],
    }
)


def test_kacker_paule_mandel():
    # results_meta.exk1_metafor: rma(y, v, data=dat, method="PM", control=list(tol=1e-9))
    r = meta_analysis(KACKER, measure="GEN", method="PM")
    assert_allclose(r.log_estimate, 62.4076199113286, rtol=1e-9)
    assert_allclose(r.se, 0.338030602684471, rtol=1e-7)
    assert_allclose([r.ci_low, r.ci_high], [61.7450921043947, 63.0701477182625], rtol=1e-9)
    assert_allclose(r.tau2, 0.705395309224248, rtol=1e-7)
    assert_allclose(r.z, 184.621213037276, rtol=1e-7)
    assert_allclose([r.q, r.q_p], [24.801897741835, 0.00167935146372742], rtol=1e-9)
    assert_allclose([r.i2, r.h2], [83.7218626490482, 6.14320900751909], rtol=1e-7)


def test_kacker_dl_fe_and_hksj():
    # results_meta.exk1_dl: rma(y, v, data=dat, method="DL")
    dl = meta_analysis(KACKER, measure="GEN", method="DL")
    assert_allclose([dl.log_estimate, dl.se, dl.ci_low, dl.ci_high], [62.3901386044504, 0.245749668040304, 61.9084781058787, 62.8717991030221], rtol=1e-9)
    assert_allclose([dl.tau2, dl.i2, dl.h2, dl.z], [0.288049246973751, 67.744403741711, 3.10023721772938, 253.876797075543], rtol=1e-9)
    # results_meta.exk1_dl_hksj: rma(y, v, data=dat, method="DL", test="knha")
    hk = meta_analysis(KACKER, measure="GEN", method="DL", hksj=True)
    assert_allclose([hk.se, hk.ci_low, hk.ci_high, hk.p], [0.29477605699879, 61.710383798052, 63.0698934108488, 2.77938607433693e-16], rtol=1e-7)
    # results_meta.exk1_fe and exk1_fe_hksj: method="FE" (with and without test="knha")
    fe = meta_analysis(KACKER, measure="GEN", method="FE")
    assert_allclose([fe.log_estimate, fe.se, fe.ci_low, fe.ci_high, fe.z], [62.5833970939982, 0.107845705498231, 62.3720233953344, 62.7947707926621, 580.304953311515], rtol=1e-9)
    fh = meta_analysis(KACKER, measure="GEN", method="FE", hksj=True)
    assert_allclose([fh.se, fh.ci_low, fh.ci_high, fh.p], [0.189889223522271, 62.1455117593252, 63.0212824286713, 8.04326466920145e-18], rtol=1e-7)


def test_kacker_hksj_floor_never_narrower():
    # q = 24.80/8 > 1 here, so the floor changes nothing; with homogeneous data it does.
    hk = meta_analysis(KACKER, measure="GEN", method="DL", hksj=True)
    hf = meta_analysis(KACKER, measure="GEN", method="DL", hksj=True, hksj_floor=True)
    assert_allclose([hf.ci_low, hf.ci_high], [hk.ci_low, hk.ci_high], rtol=1e-12)
    homog = pd.DataFrame({"yi": [0.10, 0.11, 0.09, 0.10], "vi": [0.04, 0.05, 0.03, 0.04]})
    std = meta_analysis(homog, measure="GEN", method="DL")
    plain = meta_analysis(homog, measure="GEN", method="DL", hksj=True)
    floored = meta_analysis(homog, measure="GEN", method="DL", hksj=True, hksj_floor=True)
    assert plain.ci_high - plain.ci_low < std.ci_high - std.ci_low  # HKSJ can be narrower…
    assert floored.ci_high - floored.ci_low >= std.ci_high - std.ci_low  # …the floored version never is


def test_metabin_or_dl_hakn():
    # results_meta.results_or_dl_hk: R meta 4.11-0
    #   metabin(e2i, nei, c2i, nci, data=dat2, sm="OR", Q.Cochrane=FALSE, method="Inverse",
    #           method.tau="DL", hakn=TRUE, backtransf=FALSE)
    ee = [18, 22, 21, 14, 42, 80, 13, 37, 23, 19, 106, 170, 34, 18, 13, 12, 42]
    ne = [19, 34, 72, 22, 70, 183, 26, 61, 36, 45, 246, 386, 59, 45, 14, 26, 74]
    ec = [12, 12, 15, 5, 13, 33, 18, 30, 12, 14, 76, 46, 17, 3, 14, 10, 40]
    nc = [22, 35, 68, 20, 32, 94, 50, 55, 25, 35, 208, 141, 32, 15, 18, 19, 75]
    d = pd.DataFrame({"events_treat": ee, "n_treat": ne, "events_ctrl": ec, "n_ctrl": nc})
    te = [2.70805020110221, 1.25672336971146, 0.374938517449009, 1.65822807660353, 0.784954729813068]
    sete = [1.1130538571376, 0.505568465186247, 0.390847133738078, 0.680511012471685, 0.434831536798166]
    r = meta_analysis(d, measure="OR", method="DL", hksj=True)
    assert_allclose(r.studies.yi[:5], te, rtol=1e-12)
    assert_allclose(r.studies.se[:5], sete, rtol=1e-12)
    assert_allclose([r.log_estimate, r.se], [0.429520368698268, 0.0915952752397692], rtol=1e-10)
    assert_allclose([math.log(r.ci_low), math.log(r.ci_high)], [0.235347059333852, 0.623693678062684], rtol=1e-10)
    assert_allclose(r.p, 0.000246175101510513, rtol=1e-8)
    assert_allclose([r.q, r.q_p, r.tau2], [16.181374262823, 0.440375456698129, 0.0016783981912744], rtol=1e-9)
    assert_allclose(r.i2 / 100, 0.0112088293538659, rtol=1e-9)
    assert_allclose(r.h2, 1.00565197331206**2, rtol=1e-9)
    # meta's prediction interval: t with k-2 df and the HKSJ standard error (seTE_predict 0.100339885576592)
    lo, hi = prediction_interval(r.log_estimate, r.se, r.tau2, r.k, dist="t_k-2")
    assert_allclose([lo, hi], [0.215650965184522, 0.643389772212014], rtol=1e-10)
    # fixed effect: TE_fixed 0.428036725396544, seTE_fixed 0.0902874968199668, lower/upper 0.251076483375135/0.604996967417954
    fe = meta_analysis(d, measure="OR", method="FE")
    assert_allclose([fe.log_estimate, fe.se, math.log(fe.ci_low), math.log(fe.ci_high), fe.p],
                    [0.428036725396544, 0.0902874968199668, 0.251076483375135, 0.604996967417954, 2.12855503378502e-06], rtol=1e-9)


def test_clasp_tau2_estimators():
    # DerSimonian & Kacker (2007), Contemp Clin Trials 28:105, Tables 3-4, CLASP example, log OR;
    # reproduced in metafor tests/testthat/test_analysis_example_dersimonian2007.r
    #   (tau, mu, se):  PM 0.3681 -0.3811 0.2060; DL 0.2323 -0.3240 0.1540;
    #                   ML 0.0023 -0.1974 0.0694; REML 0.1843 -0.2980 0.1343
    d = pd.DataFrame({"events_treat": [5, 5, 12, 69, 9, 313], "n_treat": [156, 303, 565, 1570, 103, 4659],
                      "events_ctrl": [8, 17, 9, 94, 11, 352], "n_ctrl": [74, 303, 477, 1565, 105, 4650]})
    for method, (tau, mu, se) in {"PM": (0.3681, -0.3811, 0.2060), "DL": (0.2323, -0.3240, 0.1540),
                                  "REML": (0.1843, -0.2980, 0.1343)}.items():
        r = meta_analysis(d, measure="OR", method=method)
        assert_allclose([r.tau, r.log_estimate, r.se], [tau, mu, se], atol=A4, err_msg=method)
    # ML: the likelihood is maximised on the boundary (score at tau2 = 0 is -42), so the exact
    # maximiser is tau = 0; the paper's 0.0023 (tau2 = 5e-6) is its iteration stopping short.
    ml = meta_analysis(d, measure="OR", method="ML")
    assert ml.tau2 == 0.0
    assert_allclose([ml.tau, ml.log_estimate, ml.se], [0.0023, -0.1974, 0.0694], atol=2.5e-3)


# --------------------------------------------------------------------------- #
# Egger's test
# --------------------------------------------------------------------------- #
def test_egger_magnesium():
    # metafor docs/reference/regtest.html:
    #   dat <- escalc(measure="OR", ai=ai, n1i=n1i, ci=ci, n2i=n2i, data=dat.egger2001, subset=-16)
    #   regtest(yi, vi, data=dat, model="lm")
    #   t = -3.1783, df = 13, p = 0.0073; limit estimate b = -0.1512 (CI: -0.5130, 0.2106)
    #   rma(yi, vi, data=dat): tau^2 0.1911, I^2 38.19%, Q(df=14) 20.9184, estimate -0.8745 se 0.2080
    e = pd.read_csv(GOLDEN / "dat_egger2001.csv").iloc[:15]
    yi, vi, _ = binary_effect_sizes(e.ai, e.n1i, e.ci, e.n2i, "OR")
    # docs: dat$yi printed to 8 decimals
    assert_allclose(yi[:6], [-0.83034830, -1.05605267, -1.27833981, -0.04348511, 0.22314355, -2.40751999], atol=5e-9)
    eg = egger_test(yi, vi)
    assert_allclose([eg["t"], eg["p"], eg["limit_estimate"]], [-3.1783, 0.0073, -0.1512], atol=A4)
    assert_allclose(eg["limit_ci"], [-0.5130, 0.2106], atol=A4)
    assert eg["df"] == 13 and eg["informative"] is True
    r = meta_analysis(pd.DataFrame({"events_treat": e.ai, "n_treat": e.n1i, "events_ctrl": e.ci, "n_ctrl": e.n2i}),
                      measure="OR", method="REML")
    assert_allclose([r.tau2, r.q, r.log_estimate, r.se], [0.1911, 20.9184, -0.8745, 0.2080], atol=A4)
    assert_allclose(r.i2, 38.19, atol=5e-3)


def test_egger_flagged_uninformative_below_10():
    eg = egger_test(KACKER.yi, KACKER.vi)
    assert eg["k"] == 9 and eg["informative"] is False and "uninformative" in eg["message"]
    assert math.isfinite(eg["t"])
    tiny = egger_test([0.1, 0.2], [0.01, 0.02])
    assert tiny["informative"] is False and math.isnan(tiny["t"])


# --------------------------------------------------------------------------- #
# Functions on arrays
# --------------------------------------------------------------------------- #
def test_tau2_functions_and_qprofile():
    yi, vi, _ = binary_effect_sizes(bcg().events_treat, bcg().n_treat, bcg().events_ctrl, bcg().n_ctrl, "RR")
    assert_allclose(tau2_estimate(yi, vi, "DL"), 0.3088, atol=A4)
    assert tau2_estimate(yi, vi, "FE") == 0.0
    lo, hi = tau2_ci_qprofile(yi, vi)
    assert_allclose([lo, hi], [0.1196953, 1.111486], atol=2e-4)  # methods.confint.rma.html, 7 digits
    with pytest.raises(ValueError):
        tau2_estimate(yi, vi, "SJ")


def test_prediction_interval_conventions():
    lo, hi = prediction_interval(0.0, 0.1, 0.04, k=10, dist="normal")
    assert_allclose(hi, 1.959964 * math.sqrt(0.05), rtol=1e-6)
    lo1, hi1 = prediction_interval(0.0, 0.1, 0.04, k=10, dist="t_k-1")
    lo2, hi2 = prediction_interval(0.0, 0.1, 0.04, k=10, dist="t_k-2")
    assert hi < hi1 < hi2
    assert math.isnan(prediction_interval(0.0, 0.1, 0.04, k=2, dist="t_k-2")[0])


def test_result_to_dict_is_json_safe():
    import json

    r = meta_analysis(bcg(), measure="RR", method="FE")
    d = r.to_dict()
    for key in ("measure", "method", "k", "estimate", "ci_low", "ci_high", "log_estimate", "se", "tau2",
                "i2", "q", "q_p", "pi_low", "pi_high", "studies"):
        assert key in d
    assert d["pi_low"] is None and d["tau2_ci"] == [None, None]  # NaN -> None
    text = json.dumps(d, allow_nan=False)
    assert "NaN" not in text
    assert len(d["studies"]) == 13 and abs(sum(s["weight"] for s in d["studies"]) - 100) < 1e-9


def test_per_study_rows():
    r = meta_analysis(bcg(), measure="RR", method="REML")
    st = r.studies
    assert list(st.columns[:1]) == ["study"]
    for col in ("yi", "vi", "weight", "estimate", "ci_low", "ci_high"):
        assert col in st.columns
    # escalc(measure="RR", ...) printed in metafor README: yi -0.8893, vi 0.3256 for Aronson 1948
    assert_allclose([st.yi[0], st.vi[0]], [-0.8893, 0.3256], atol=A4)
    assert_allclose(st.estimate, np.exp(st.yi), rtol=1e-12)
    assert_allclose(st.weight.sum(), 100.0)
    # metafor influence(): weight of study 1 in the REML model is 5.05948307931551 %
    assert_allclose(st.weight[0], 5.05948307931551, atol=1e-4)


def test_bad_options_raise():
    with pytest.raises(ValueError, match="method"):
        meta_analysis(bcg(), method="XYZ")
    with pytest.raises(ValueError, match="correction"):
        meta_analysis(bcg(), correction="some")
    with pytest.raises(ValueError, match="HKSJ"):
        meta_analysis(bcg(), method="MH", hksj=True)
    with pytest.raises(ValueError, match="SMD"):
        meta_analysis(bcg(), measure="SMD")


def test_reml_is_fast_for_10000_studies():
    rng = np.random.default_rng(20240501)
    k = 10_000
    vi = rng.uniform(0.01, 0.5, k)
    yi = rng.normal(0.3, np.sqrt(vi + 0.1))
    d = pd.DataFrame({"yi": yi, "vi": vi})
    t0 = time.perf_counter()
    r = meta_analysis(d, measure="GEN", method="REML")
    elapsed = time.perf_counter() - t0
    assert elapsed < 3.0, elapsed  # includes validation and the Q-profile CI; typically ~0.1 s
    assert_allclose(r.tau2, 0.1, atol=0.01)  # simulated tau2
    # REML score equation holds at the solution
    w = 1 / (vi + r.tau2)
    mu = np.sum(w * yi) / np.sum(w)
    score = np.sum(w**2 * (yi - mu) ** 2) - (np.sum(w) - np.sum(w**2) / np.sum(w))
    assert abs(score) < 1e-6 * np.sum(w)
