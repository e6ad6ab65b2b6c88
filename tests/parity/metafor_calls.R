# Runs every call of calls.csv through R's metafor and writes results.csv (call, field, value).
# Usage: Rscript metafor_calls.R DIR   (DIR holds data.csv and calls.csv; written by tests/parity/conftest.py)
#
# How each evidence-meta call maps to metafor (the conventions are documented in tests/parity/README.md):
#   IV / random effects, OR and RR:  rma(measure=, ai, bi, ci, di, method=, test=)  (escalc adds 1/2 to
#                                    every cell of a study with a zero cell: add=1/2, to="only0", = all_if_zero)
#   IV / random effects, RD:         yi = the raw difference (escalc add=0), vi = escalc's (add=1/2, to="only0")
#   MH, correction none:             rma.mh(measure=, ai, bi, ci, di)  (metafor's exact MH)
#   MH, all_if_zero:                 rma.mh on tables with 1/2 already added to studies with a zero cell
#                                    (double-zero tables enter raw), add=0
#   MH RD:                           rma.mh(measure="RD") uses the Sato variance = mantel_haenszel(rd_variance="sato")
#   Peto:                            rma.peto(ai, bi, ci, di)
#   generic:                         rma(yi, vi, method=, test=);  SMD/MD: rma(measure="SMD"/"MD", m1i, sd1i, n1i, ...)
suppressMessages(library(metafor))
# metafor stops its tau^2 iterations on an absolute step of 1e-5 (threshold) and root finding at tol;
# tightened so that its values converge beyond the tolerances the suite compares with.
ctrl <- list(threshold = 1e-12, tol = 1e-12, maxiter = 2000)
args <- commandArgs(trailingOnly = TRUE)
dir <- args[1]
data <- read.csv(file.path(dir, "data.csv"), stringsAsFactors = FALSE)
calls <- read.csv(file.path(dir, "calls.csv"), stringsAsFactors = FALSE)
out <- list()
put <- function(call, field, value) {
  value <- as.numeric(value)
  out[[length(out) + 1]] <<- data.frame(call = call, field = paste0(field, if (length(value) > 1) paste0(".", seq_along(value)) else ""),
                                        value = value)
}
fit_of <- function(cl, d) {
  meas <- cl$measure
  test <- if (cl$hksj == 1) "knha" else "z"
  if (cl$model == "peto") return(rma.peto(ai = d$ai, n1i = d$n1i, ci = d$ci, n2i = d$n2i))
  if (cl$model == "mh") {
    ai <- d$ai; bi <- d$n1i - d$ai; ci <- d$ci; di <- d$n2i - d$ci
    if (cl$correction == "all_if_zero" && meas != "RD") {
      z <- (ai == 0 | bi == 0 | ci == 0 | di == 0)
      dz <- (ai == 0 & ci == 0) | (bi == 0 & di == 0)
      add <- ifelse(z & !dz, 0.5, 0)
      ai <- ai + add; bi <- bi + add; ci <- ci + add; di <- di + add
    }
    return(rma.mh(measure = meas, ai = ai, bi = bi, ci = ci, di = di, add = 0, to = "none"))
  }
  if (cl$kind == "counts") {
    es <- escalc(measure = meas, ai = d$ai, n1i = d$n1i, ci = d$ci, n2i = d$n2i)
    if (meas == "RD") es$yi <- d$ai / d$n1i - d$ci / d$n2i
    return(rma(yi = es$yi, vi = es$vi, method = cl$method, test = test, control = ctrl))
  }
  if (cl$kind == "continuous") {
    es <- escalc(measure = meas, m1i = d$m1i, sd1i = d$sd1i, n1i = d$n1i, m2i = d$m2i, sd2i = d$sd2i, n2i = d$n2i)
    return(rma(yi = es$yi, vi = es$vi, method = cl$method, test = test, control = ctrl))
  }
  rma(yi = d$yi, vi = d$vi, method = cl$method, test = test, control = ctrl)
}
extras <- function(cl, res, d) {
  extra <- if (is.null(cl$extra) || is.na(cl$extra)) "" else cl$extra
  if (grepl("egger", extra)) try({
    rt <- regtest(res$yi, res$vi, model = "lm", predictor = "sei")
    put(cl$call, "egger.z", rt$zval); put(cl$call, "egger.p", rt$pval); put(cl$call, "egger.b", rt$est)
  }, silent = TRUE)
  if (grepl("begg", extra)) try({
    rk <- ranktest(res$yi, res$vi)
    put(cl$call, "begg.tau", rk$tau); put(cl$call, "begg.p", rk$pval)
  }, silent = TRUE)
  if (grepl("loo", extra)) try({
    l1 <- leave1out(res)
    put(cl$call, "loo.b", l1$estimate); put(cl$call, "loo.se", l1$se); put(cl$call, "loo.Q", l1$Q)
    if (!is.null(l1$tau2)) put(cl$call, "loo.tau2", l1$tau2)
  }, silent = TRUE)
  if (grepl("cumul", extra)) try({
    cu <- cumul(res)
    put(cl$call, "cumul.b", cu$estimate); put(cl$call, "cumul.se", cu$se)
  }, silent = TRUE)
  if (grepl("trimfill", extra)) try({
    tf <- trimfill(res)
    put(cl$call, "tf.k0", tf$k0); put(cl$call, "tf.b", tf$beta[1]); put(cl$call, "tf.se", tf$se)
  }, silent = TRUE)
  if (grepl("influence", extra)) try({
    inf <- influence(res)$inf
    put(cl$call, "inf.rstudent", inf$rstudent); put(cl$call, "inf.dffits", inf$dffits)
    put(cl$call, "inf.cook", inf$cook.d); put(cl$call, "inf.hat", inf$hat)
    put(cl$call, "inf.tau2.del", inf$tau2.del); put(cl$call, "inf.QE.del", inf$QE.del)
  }, silent = TRUE)
  if (grepl("mods", extra)) try({
    mr <- tryCatch(rma(yi = res$yi, vi = res$vi, mods = ~ x1 + factor(grp), data = d, method = cl$method,
                       test = if (cl$hksj == 1) "knha" else "z", control = ctrl), error = function(e) NULL)
  }, silent = TRUE)
  if (grepl("mods", extra) && !is.null(mr)) try({
    put(cl$call, "mr.b", mr$beta[, 1]); put(cl$call, "mr.se", mr$se); put(cl$call, "mr.pval", mr$pval)
    put(cl$call, "mr.ci.lb", mr$ci.lb); put(cl$call, "mr.tau2", mr$tau2); put(cl$call, "mr.QM", mr$QM)
    put(cl$call, "mr.QMp", mr$QMp); put(cl$call, "mr.QE", mr$QE)
    if (!is.null(mr$R2)) put(cl$call, "mr.R2", mr$R2)
  }, silent = TRUE)
  if (grepl("subgroup", extra)) try({
    lv <- sort(unique(d$grp)); b <- c(); s <- c()
    for (g in lv) {
      sel <- d$grp == g
      fg <- tryCatch(rma(yi = res$yi[sel], vi = res$vi[sel], method = cl$method, control = ctrl),
                     error = function(e) NULL)
      if (is.null(fg)) { b <- c(b, NA); s <- c(s, NA); next }
      b <- c(b, fg$beta[1]); s <- c(s, fg$se)
    }
    if (length(lv) >= 2 && all(table(d$grp) >= 2)) {
      put(cl$call, "sg.b", b); put(cl$call, "sg.se", s)
      qb <- rma(yi = b, sei = s, method = "FE")
      put(cl$call, "sg.Qb", qb$QE); put(cl$call, "sg.Qbp", qb$QEp)
    }
  }, silent = TRUE)
}
for (i in seq_len(nrow(calls))) {
  cl <- calls[i, ]
  d <- data[data$dataset == cl$dataset, ]
  res <- tryCatch(fit_of(cl, d), error = function(e) e)
  if (inherits(res, "error")) { put(cl$call, "error", 1); next }
  put(cl$call, "b", res$beta[1]); put(cl$call, "se", res$se); put(cl$call, "zval", res$zval)
  put(cl$call, "pval", res$pval); put(cl$call, "ci.lb", res$ci.lb); put(cl$call, "ci.ub", res$ci.ub)
  put(cl$call, "ll", as.numeric(logLik(res)))
  put(cl$call, "QE", res$QE); put(cl$call, "QEp", res$QEp); put(cl$call, "k", res$k)
  if (!is.null(res$I2)) { put(cl$call, "I2", res$I2); put(cl$call, "H2", res$H2) }
  if (cl$model == "rma") {
    put(cl$call, "tau2", res$tau2)
    if (cl$method != "FE") {
      pr <- predict(res)
      put(cl$call, "pi.lb", pr$pi.lb); put(cl$call, "pi.ub", pr$pi.ub)
      ci <- tryCatch(confint(res, control = list(tol = 1e-12, maxiter = 2000, tau2.max = 1e6))$random, error = function(e) NULL)
      if (!is.null(ci)) { put(cl$call, "tau2.lb", ci["tau^2", "ci.lb"]); put(cl$call, "tau2.ub", ci["tau^2", "ci.ub"]) }
    }
  }
  try(extras(cl, res, d), silent = TRUE)
}
res <- do.call(rbind, out)
write.csv(res, file.path(dir, "results.csv"), row.names = FALSE)
