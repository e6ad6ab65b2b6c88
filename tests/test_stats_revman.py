"""RevMan 5 parity: its own exported results for the Fleiss (1993) examples.

Source of every expected value: the RevMan 5 "CR" export of Fleiss1993.rm5,
shipped with R package meta as inst/extdata/Fleiss1993_CR.csv
(github.com/guido-s/meta, commit e765b0df2d09104a4750440f065c679a5f4ea6a3);
columns Effect Estimate, SE, CI Start, CI End, Weight, Q, P(Q), I²(Q), Z, P(Z).
RevMan prints 8 decimals, so the tolerance is atol=5e-9 (half a unit in the
8th decimal), except for the p-values: RevMan's own chi² routine differs from
scipy's in the 7th decimal (0.12694225 vs 0.12694218), hence atol=1e-7 there,
and values derived from RevMan's rounded output (last test).
"""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
from numpy.testing import assert_allclose

from evidence.stats.meta import meta_analysis

# Comparison 1, outcome 1: "Aspirin for Preventing Death after Myocardial Infarction", DIC, MH, OR, Fixed
ASPIRIN = pd.DataFrame({
    "study": ["MRC-1", "CDP", "MRC-2", "GASP", "PARIS", "AMIS", "ISIS-2"],
    "events_treat": [49, 44, 102, 32, 85, 246, 1570], "n_treat": [615, 758, 832, 317, 810, 2267, 8587],
    "events_ctrl": [67, 64, 126, 38, 52, 219, 1720], "n_ctrl": [624, 771, 850, 309, 406, 2257, 8600],
})
ASPIRIN_OR = [0.71971415, 0.6807598, 0.80287019, 0.80073869, 0.79814324, 1.1327364, 0.89496936]
ASPIRIN_SE = [0.19721981, 0.20289717, 0.14314855, 0.2544889, 0.18761568, 0.09806494, 0.03880977]
ASPIRIN_LO = [0.48897453, 0.4573909, 0.60645288, 0.48626104, 0.55256335, 0.93466468, 0.82941758]
ASPIRIN_HI = [1.05933628, 1.01321191, 1.06290292, 1.31859721, 1.15286803, 1.37278298, 0.96570193]
ASPIRIN_W = [3.17649, 3.10168911, 5.67538044, 1.79548462, 3.21762436, 10.15349122, 72.87984024]

# Comparison 1, outcome 2: "Mental Health Treatment versus Control", CON, IV, MD, Fixed
MENTAL = pd.DataFrame({
    "study": ["Davis", "Florell", "Gruen", "Hart", "Wilson"],
    "mean_treat": [5, 4.9, 22.5, 12.5, 6.5], "sd_treat": [4.7, 1.71, 3.44, 1.47, 0.76], "n_treat": [13, 30, 35, 20, 8],
    "mean_ctrl": [6.5, 6.1, 24.9, 12.3, 7.38], "sd_ctrl": [3.8, 2.3, 10.65, 1.66, 1.41], "n_ctrl": [13, 50, 35, 20, 8],
})


def test_revman_mantel_haenszel_fixed_odds_ratio():
    # RevMan: OR 0.89686556 (0.8405144, 0.95699471), Q 9.94605598, P(Q) 0.12694225, I2 39.67458046,
    # Tau2 0, Z 3.28763306, P(Z) 0.00101033, df 6
    r = meta_analysis(ASPIRIN, measure="OR", method="MH")
    assert_allclose([r.estimate, r.ci_low, r.ci_high], [0.89686556, 0.8405144, 0.95699471], rtol=0, atol=5e-9)
    assert_allclose([r.q, r.i2, abs(r.z)], [9.94605598, 39.67458046, 3.28763306], rtol=0, atol=5e-9)
    assert_allclose([r.q_p, r.p], [0.12694225, 0.00101033], atol=1e-7)
    assert r.q_df == 6 and r.tau2 == 0
    st = r.studies
    assert_allclose(st.estimate, ASPIRIN_OR, rtol=0, atol=5e-9)
    assert_allclose(st.se, ASPIRIN_SE, rtol=0, atol=5e-9)
    assert_allclose(st.ci_low, ASPIRIN_LO, rtol=0, atol=5e-9)
    assert_allclose(st.ci_high, ASPIRIN_HI, rtol=0, atol=5e-9)
    assert_allclose(st.weight, ASPIRIN_W, rtol=0, atol=5e-9)  # RevMan's M-H weights b*c/N, in percent


def test_revman_inverse_variance_fixed_mean_difference():
    # RevMan: MD -0.70938839 (-1.25848502, -0.16029176), Q 5.66012379, P(Q) 0.22600895, I2 29.33016758,
    # Z 2.53211477, P(Z) 0.01133769; per study MD and SE, weights 2.79315513, 38.61251498, 2.19316111,
    # 31.92826572, 24.47290305
    r = meta_analysis(MENTAL, measure="MD", method="FE")
    assert_allclose([r.estimate, r.ci_low, r.ci_high], [-0.70938839, -1.25848502, -0.16029176], rtol=0, atol=5e-9)
    assert_allclose([r.q, r.i2, abs(r.z)], [5.66012379, 29.33016758, 2.53211477], rtol=0, atol=5e-9)
    assert_allclose([r.q_p, r.p], [0.22600895, 0.01133769], atol=1e-7)
    assert_allclose(r.studies.estimate, [-1.5, -1.2, -2.4, 0.2, -0.88], rtol=1e-12)
    assert_allclose(r.studies.se, [1.67630546, 0.45085474, 1.89175731, 0.49580742, 0.56631484], rtol=0, atol=5e-9)
    assert_allclose(r.studies.weight, [2.79315513, 38.61251498, 2.19316111, 31.92826572, 24.47290305], rtol=0, atol=5e-9)


def test_revman_mh_random_effects_from_revman_numbers():
    # RevMan's "M-H, Random": DerSimonian-Laird tau2 from the Q around the MH estimate (RevMan's
    # Q = 9.94605598 above), inverse-variance weights from RevMan's per-study SEs; pooled by
    # inverse variance with 1/(SE^2 + tau2).  Expected values derived from RevMan's printed numbers.
    w = 1 / np.asarray(ASPIRIN_SE) ** 2
    tau2 = (9.94605598 - 6) / (w.sum() - (w**2).sum() / w.sum())
    wr = 1 / (np.asarray(ASPIRIN_SE) ** 2 + tau2)
    mu = np.sum(wr * np.log(ASPIRIN_OR)) / wr.sum()
    r = meta_analysis(ASPIRIN, measure="OR", method="MH_DL")
    assert_allclose(r.tau2, tau2, rtol=1e-5)  # inputs printed to 8 digits; tau2 is a small difference
    assert_allclose(r.log_estimate, mu, atol=1e-7)
    assert_allclose(r.se, 1 / math.sqrt(wr.sum()), rtol=1e-6)
    assert_allclose([r.q, r.i2], [9.94605598, 39.67458046], rtol=1e-7)  # I2 from RevMan's Q
    # plain IV DerSimonian-Laird takes Q around the IV estimate, which minimises it
    dl = meta_analysis(ASPIRIN, measure="OR", method="DL")
    assert dl.q < r.q and dl.tau2 < r.tau2
