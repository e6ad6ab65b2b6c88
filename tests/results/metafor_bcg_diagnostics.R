# Reference values for tests/test_stats_diagnostics.py: metafor 3.8.1 on dat.bcg (RR, REML).
# REML fits with control = list(threshold = 1e-12): converged beyond the tolerance compared.
# Run: Rscript tests/results/metafor_bcg_diagnostics.R  (prints the values stored in metafor_bcg_diagnostics.py)
suppressMessages(library(metafor))
dat <- escalc(measure = "RR", ai = tpos, bi = tneg, ci = cpos, di = cneg, data = dat.bcg)
res <- rma(yi, vi, data = dat, method = "REML", control = list(threshold = 1e-12, maxiter = 2000))
p <- function(name, x) cat(name, "=", paste0("[", paste(sprintf("%.10g", x), collapse = ", "), "]"), "\n")
rt <- regtest(res$yi, res$vi, model = "lm", predictor = "sei"); p("egger_t_p_limit", c(rt$zval, rt$pval, rt$est))
rk <- ranktest(res); p("begg_tau_p", c(rk$tau, rk$pval))
tf <- trimfill(res); p("trimfill_k0_b_se", c(tf$k0, tf$beta, tf$se))
l1 <- leave1out(res); p("loo_estimate", l1$estimate); p("loo_tau2", l1$tau2)
cu <- cumul(res); p("cumul_estimate", cu$estimate)
inf <- influence(res)$inf
p("inf_rstudent", inf$rstudent); p("inf_dffits", inf$dffits); p("inf_cook", inf$cook.d); p("inf_hat", inf$hat)
p("inf_tau2_del", inf$tau2.del); p("inf_QE_del", inf$QE.del)
mr <- rma(yi, vi, mods = ~ ablat + factor(alloc), data = dat, method = "REML", control = list(threshold = 1e-12, maxiter = 2000))
p("mr_b", mr$beta); p("mr_se", mr$se); p("mr_pval", mr$pval); p("mr_tau2_R2_QM_QMp_QE", c(mr$tau2, mr$R2, mr$QM, mr$QMp, mr$QE))
mk <- rma(yi, vi, mods = ~ ablat + factor(alloc), data = dat, method = "REML", test = "knha", control = list(threshold = 1e-12, maxiter = 2000))
p("mrknha_se_pval", c(mk$se, mk$pval)); p("mrknha_QM_QMp", c(mk$QM, mk$QMp))
b <- c(); s <- c()
for (g in sort(unique(dat$alloc))) { f <- rma(yi, vi, data = dat, subset = alloc == g, method = "REML", control = list(threshold = 1e-12, maxiter = 2000)); b <- c(b, f$beta); s <- c(s, f$se) }
qb <- rma(yi = b, sei = s, method = "FE"); p("sub_b", b); p("sub_se", s); p("sub_Qb_p", c(qb$QE, qb$QEp))
