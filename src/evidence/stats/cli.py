"""``evidence meta FILE.csv`` — meta-analyse your own table of studies.

Input: a CSV with a header row and one study per row, in one of four layouts
(see :mod:`evidence.stats.io`); ``-`` reads standard input:

    study,events_treat,n_treat,events_ctrl,n_ctrl
    study,yi,vi
    study,yi,sei
    study,mean_treat,sd_treat,n_treat,mean_ctrl,sd_ctrl,n_ctrl

Bad input (unreadable or empty file, missing column, a cell that is not a
number, negative or zero n, events > n, two kinds of input columns without
``--input``, no study with an estimable effect, …) prints one error line naming
the file, the line and data row, and the column, and exits with status 2.
Duplicate study labels are a warning on standard error.

Numbers are printed as metafor prints them: estimates, CIs, SEs, τ² and H² to 4
significant digits; test statistics (Q, z, t) to 4 decimals; I² in percent to 2
decimals; p to 4 decimals ("< 0.0001" below). What is not estimable says so in words.
Heavy imports happen inside :func:`run` so that ``evidence --help`` stays fast.
"""
from __future__ import annotations

import argparse
import json
import math
import sys

from evidence import vocab
from evidence.params import CORRECTIONS, METHODS

MEASURES = ("OR", "RR", "RD", "SMD", "MD", "GEN")
INPUTS = {"counts": "counts", "continuous": "continuous", "vi": "generic", "sei": "generic_sei"}
EPILOG = """\
examples:
  evidence meta trials.csv                          DerSimonian-Laird random effects, OR for counts
  evidence meta trials.csv --measure RR --method REML --hksj
  evidence meta trials.csv --method MH --correction none   metafor's rma.mh (raw counts)
  evidence meta effects.csv --input sei             yi with standard errors (the file also has vi)
  cat trials.csv | evidence meta -                  read standard input
  evidence meta trials.csv --format json            every field, per-study rows included
  evidence meta effects.csv --method REML --egger --begg --trimfill     small-study effects
  evidence meta effects.csv --method REML --loo --cumulative --influence
  evidence meta effects.csv --subgroup design       per-design pooled estimates and Q between
  evidence meta effects.csv --method REML --moderator year --moderator dose --hksj
  evidence meta trials.csv --forest forest.svg --funnel funnel.png

exit status: 0 done, 2 bad input or options (one line naming the file, line and column)."""
_DEFAULT_MEASURE = {"counts": "OR", "continuous": "SMD", "generic": "GEN"}
_METHOD_NAMES = {
    "FE": "fixed effect, inverse variance", "MH": "fixed effect, Mantel-Haenszel", "PETO": "fixed effect, Peto",
    "DL": "random effects, DerSimonian-Laird", "PM": "random effects, Paule-Mandel",
    "REML": "random effects, REML", "ML": "random effects, ML",
    "MH_DL": "random effects, DerSimonian-Laird with Mantel-Haenszel Q (RevMan M-H random)",
}


def _level(text: str) -> float:
    try:
        v = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if 1.0 < v < 100.0:
        v /= 100.0
    if not 0.0 < v < 1.0:
        raise argparse.ArgumentTypeError(f"level must be between 0 and 1 (e.g. 0.95), got {text!r}")
    return v


def _upper(_choices=None):
    def conv(text: str) -> str:
        return text.upper()

    conv.__name__ = "choice"
    return conv


def register(sub, name, help_):
    p = sub.add_parser(
        name,
        help=help_,
        description=help_ + ". Input columns: study,events_treat,n_treat,events_ctrl,n_ctrl; "
        "or study,yi,vi or study,yi,sei (yi on the analysis scale: log OR/RR for OR/RR); "
        "or study,mean_treat,sd_treat,n_treat,mean_ctrl,sd_ctrl,n_ctrl. Comma, semicolon, tab or "
        "vertical-bar separated (detected from the header).",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("file", metavar="FILE.csv", help="CSV table of studies (one row per study); - reads standard input")
    p.add_argument("--input", choices=tuple(INPUTS), default=None,
                   help="which columns to use when the file holds more than one kind: counts, continuous "
                        "(means/SDs), vi (yi with sampling variances) or sei (yi with standard errors)")
    p.add_argument("--measure", type=_upper(MEASURES), choices=MEASURES, default=None,
                   help="effect measure (default: OR for counts, SMD for means/SDs, GEN for yi/vi)")
    p.add_argument("--method", type=_upper(METHODS), choices=METHODS, default="DL",
                   help="pooling method (default: DL; IV is an alias of FE; MH_DL is RevMan's M-H random effects)")
    p.add_argument("--hksj", action="store_true",
                   help="Hartung-Knapp-Sidik-Jonkman CI and test (t with k-1 df)")
    p.add_argument("--hksj-floor", action="store_true",
                   help="HKSJ never narrower than the standard interval (ad hoc max(1, q)); implies --hksj")
    p.add_argument("--correction", choices=CORRECTIONS, default="all_if_zero",
                   help="zero-cell handling (default: all_if_zero, 0.5 added to every cell of a study with a "
                        "zero cell; for inverse-variance OR and RR this is metafor's escalc default and RevMan's. "
                        "Not metafor's for MH, where rma.mh pools the raw counts (--correction none matches it; "
                        "the default matches RevMan and R meta), nor for RD, where the difference is taken from "
                        "the raw counts and only its variance is corrected, as RevMan does, while metafor's "
                        "escalc shifts the difference too)")
    p.add_argument("--level", type=_level, default=0.95, help="confidence level (default: 0.95)")
    p.add_argument("--format", choices=("table", "json"), default="table", help="output format (default: table)")
    g = p.add_argument_group("diagnostics and plots (metafor's regtest, ranktest, trimfill, leave1out, cumul, "
                             "influence; rma with mods)")
    g.add_argument("--egger", action="store_true", help="Egger's regression test (regtest(model='lm'))")
    g.add_argument("--begg", action="store_true", help="Begg's rank correlation test (ranktest)")
    g.add_argument("--trimfill", action="store_true", help="Duval & Tweedie trim-and-fill, L0 estimator (trimfill)")
    g.add_argument("--loo", action="store_true", help="leave-one-out analysis (leave1out)")
    g.add_argument("--cumulative", action="store_true", help="cumulative meta-analysis in file order (cumul)")
    g.add_argument("--influence", action="store_true",
                   help="standardized residuals, DFFITS, Cook's distance, hat values, tau² and Q left out (influence)")
    g.add_argument("--subgroup", metavar="COLUMN",
                   help="pool each subgroup of COLUMN (own tau²) and test for subgroup differences")
    g.add_argument("--moderator", metavar="COLUMN", action="append",
                   help="meta-regression on COLUMN (repeatable; text columns become dummies); tau² by --method, "
                        "Knapp-Hartung with --hksj")
    g.add_argument("--forest", metavar="FILE", help="write a RevMan-style forest plot (FILE.svg or FILE.png)")
    g.add_argument("--funnel", metavar="FILE", help="write a contour-enhanced funnel plot (FILE.svg or FILE.png)")
    p.set_defaults(func=run)
    return p


def _fmt(x, digits: int = 4) -> str:
    """``digits`` significant digits, without exponent notation from 1e-4 to 1e6 ("0.4894", "152.2", "1235")."""
    if x is None or (isinstance(x, float) and not math.isfinite(x)):
        return "NA"
    x = float(x)
    if x == 0 or abs(x) < 1e-12:
        return "0"
    mag = math.floor(math.log10(abs(x)))
    if not -4 <= mag < 6:
        return f"{x:.{digits - 1}e}"
    return f"{x:.{max(0, digits - 1 - mag)}f}"


def _stat(x, decimals: int = 4) -> str:
    """A test statistic to ``decimals`` decimals, as metafor prints it ("152.2330", "0.0000", never "-0.0000")."""
    if x is None or not math.isfinite(x):
        return "∞" if x == math.inf else "-∞" if x == -math.inf else "NA"
    text = f"{x:.{decimals}f}"
    return text[1:] if text.startswith("-") and float(text) == 0 else text


def _fmt_p(p) -> str:
    if p is None or not math.isfinite(p):
        return "NA"
    return "< 0.0001" if p < 1e-4 else f"= {p:.4f}"


def format_table(res, path: str) -> str:
    """Human-readable summary of a :class:`~evidence.stats.meta.MetaResult`."""
    lv = f"{res.level * 100:g}%"
    lines = [
        f"Meta-analysis of {path}: k = {res.k}, measure {res.measure}, {_METHOD_NAMES.get(res.method, res.method)}"
        + (" with HKSJ" + (" (floored)" if res.hksj_floor else "") if res.hksj else ""),
        "",
    ]
    st = res.studies
    width = max([len("Pooled"), len("study")] + [len(str(s)) for s in st["study"]])
    head = f"{'study':<{width}}  {res.measure:>9}  {lv + ' CI':^21}  {'weight':>7}"
    lines += [head, "-" * len(head)]
    for row in st.itertuples(index=False):
        if row.included:
            ci = f"[{_fmt(row.ci_low)}, {_fmt(row.ci_high)}]"
            lines.append(f"{str(row.study):<{width}}  {_fmt(row.estimate):>9}  {ci:^21}  {row.weight:6.1f}%")
        else:
            lines.append(f"{str(row.study):<{width}}  {'—':>9}  {'(excluded)':^21}  {0.0:6.1f}%")
    lines.append("-" * len(head))
    ci = f"[{_fmt(res.ci_low)}, {_fmt(res.ci_high)}]"
    lines.append(f"{'Pooled':<{width}}  {_fmt(res.estimate):>9}  {ci:^21}  {100.0:6.1f}%")
    stat = "t" if res.df else "z"
    dfs = f" (df = {res.df:g})" if res.df else ""
    lines.append(f"Test of no effect: {stat} = {_stat(res.z)}{dfs}, p {_fmt_p(res.p)}")
    if res.q_df >= 1 and math.isfinite(res.q):
        i2 = f"I² = {res.i2:.2f}%, H² = {_fmt(res.h2)}" if math.isfinite(res.i2) else "I² and H² not estimable"
        het = f"Heterogeneity: Q = {_stat(res.q)} (df = {res.q_df}, p {_fmt_p(res.q_p)}), {i2}"
    else:
        het = f"Heterogeneity: not estimable with {res.k} {'study' if res.k == 1 else 'studies'} (Q needs two)"
    lines.append(het)
    if res.random_effects:
        lines.append(f"tau² = {_fmt(res.tau2)} ({lv} CI {_fmt(res.tau2_ci[0])} to {_fmt(res.tau2_ci[1])}, Q-profile), "
                     f"tau = {_fmt(res.tau)}")
        lines.append(f"Prediction interval ({lv}): {_fmt(res.pi_low)} to {_fmt(res.pi_high)}")
    if res.correction != "none" and res.measure in ("OR", "RR", "RD"):
        lines.append(f"Zero cells: {vocab.word('zero_cell_correction', res.correction)} ({res.correction})")
    for note in res.notes:
        lines.append(f"Note: {note}")
    return "\n".join(lines)


def run(args) -> int:
    import warnings

    import numpy as np

    path = "<stdin>" if args.file == "-" else args.file
    # No numpy or scipy warning reaches the user: what cannot be estimated is said in words.
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        try:
            res = _analyse(args)
        except ValueError as e:  # StudyDataError included
            msg = str(e) if getattr(e, "path", None) else f"{path}: {e}"
            print(f"evidence meta: error: {msg}", file=sys.stderr)
            return 2
        except (RuntimeError, ArithmeticError) as e:  # e.g. effects of 1e200 with variances of 1e-300
            print(f"evidence meta: error: {path}: the numbers are beyond what can be computed in double "
                  f"precision ({e}); rescale the effects or variances", file=sys.stderr)
            return 2
        for w in res.studies.attrs.get("warnings", []):
            print(f"evidence meta: warning: {path}: {w}", file=sys.stderr)
        return _print(res, path, args)


def _analyse(args):
    from .io import read_studies
    from .meta import meta_analysis
    from .plots import check_target

    for target in (args.forest, args.funnel):
        if target:
            check_target(target)  # before any work, so that a bad name costs nothing

    table, kind = read_studies(args.file, measure=args.measure, kind=INPUTS.get(args.input) if args.input else None)
    measure = args.measure or _DEFAULT_MEASURE["generic" if kind == "generic_sei" else kind]
    res = meta_analysis(
        table, measure=measure, method=args.method, correction=args.correction,
        hksj=args.hksj, hksj_floor=args.hksj_floor, level=args.level,
    )
    if res.k == 0 or not math.isfinite(res.estimate):
        # MH and Peto return an empty result rather than raising (library behaviour); the command refuses it
        raise ValueError(f"no study has an estimable effect with method {res.method} "
                         "(no events, or only events, in every study; check zero cells and the correction)")
    res.studies.attrs["warnings"] = table.attrs.get("warnings", [])
    res.extras = _extras(res, table, args, measure)
    return res


_IV_ONLY = ("FE", "DL", "PM", "REML", "ML")


def _extras(res, table, args, measure) -> dict:
    """The diagnostics asked for, as plain dicts/DataFrames (see :mod:`evidence.stats.diagnostics`)."""
    from . import diagnostics as D
    from .meta import cumulative, egger_test, leave_one_out

    out: dict = {}
    st = res.studies[res.studies["included"]]
    yi, vi = st["yi"].to_numpy(float), st["vi"].to_numpy(float)
    tau_method = res.method if res.method in _IV_ONLY else None
    opts = dict(measure=measure, method=args.method, correction=args.correction, hksj=args.hksj,
                hksj_floor=args.hksj_floor, level=args.level)
    needs_iv = [o for o in ("trimfill", "influence", "moderator", "subgroup") if getattr(args, o)]
    if needs_iv and tau_method is None:
        raise ValueError(f"--{needs_iv[0]} needs an inverse-variance method (FE, DL, PM, REML, ML), not {res.method}")
    if args.egger:
        out["egger"] = egger_test(yi, vi, level=args.level)
    if args.begg:
        out["begg"] = D.begg_test(yi, vi)
    if args.trimfill:
        out["trimfill"] = D.trimfill(yi, vi, method=tau_method)
    if args.loo:
        out["leave_one_out"] = leave_one_out(table, **opts)
    if args.cumulative:
        out["cumulative"] = cumulative(table, **opts)
    if args.influence:
        out["influence"] = D.influence(yi, vi, method=tau_method, hksj=args.hksj, study=st["study"].to_numpy())
    raw = table.attrs.get("raw")
    if args.subgroup or args.moderator:
        from .metareg import design_matrix, meta_regression, subgroups

        keep = res.studies["included"].to_numpy()
        frame = raw.loc[keep].reset_index(drop=True) if raw is not None else None
        if args.subgroup:
            col = _column(frame, args.subgroup, "--subgroup")
            out["subgroups"] = subgroups(yi, vi, frame[col], method=tau_method, hksj=args.hksj, level=args.level)
        if args.moderator:
            cols = [_column(frame, m, "--moderator") for m in args.moderator]
            X, names = design_matrix(frame, cols)
            out["meta_regression"] = meta_regression(yi, vi, X, names, method=tau_method, hksj=args.hksj,
                                                     level=args.level)
    return out


def _column(frame, name: str, option: str) -> str:
    if frame is None:
        raise ValueError(f"{option} needs the columns of the input file")
    by_lower = {str(c).strip().lower(): c for c in frame.columns}
    if name.strip().lower() not in by_lower:
        raise ValueError(f"{option} {name}: no such column (columns: {', '.join(map(str, frame.columns))})")
    return by_lower[name.strip().lower()]


def _print(res, path, args) -> int:
    from ._common import clean

    extras = getattr(res, "extras", {})
    if args.format == "json":
        out = res.to_dict()
        out["file"] = path
        for key, value in extras.items():
            out[key] = _jsonable(value)
        print(json.dumps(clean(out), indent=2, ensure_ascii=False, allow_nan=False))
    else:
        print(format_table(res, path))
        for key, value in extras.items():
            print()
            print(_EXTRA_TEXT[key](value, res))
    _plots(res, args)
    return 0


def _plots(res, args) -> None:
    if not (args.forest or args.funnel):
        return
    from . import plots

    for opt, fn in (("forest", plots.forest), ("funnel", plots.funnel)):
        target = getattr(args, opt)
        if target:
            fn(res, target)
            print(f"evidence meta: wrote {target}", file=sys.stderr)


def _jsonable(value):
    import pandas as pd

    if isinstance(value, pd.DataFrame):
        return value.to_dict(orient="records")
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    return value


def _frame_text(df, cols, title) -> str:
    head = "  ".join(f"{c:>10}" for c in cols)
    lines = [title, f"{'study':<14}{head}"]
    for r in df.itertuples(index=False):
        d = r._asdict()
        lines.append(f"{str(d.get('study', '')):<14}"
                     + "  ".join(f"{(str(int(d[c])) if c == 'k' else _fmt(d[c])):>10}" for c in cols))
    return "\n".join(lines)


def _egger_text(e, res) -> str:
    return e["message"] + (f"; limit estimate {_fmt(e['limit_estimate'])}" if math.isfinite(e.get("limit_estimate", math.nan)) else "")


def _trimfill_text(t, res) -> str:
    from ._common import to_display

    est = float(to_display(t["estimate"], res.measure))
    return (f"Trim-and-fill (L0): {t['k0']} {'study' if t['k0'] == 1 else 'studies'} imputed on the {t['side']}; "
            f"adjusted estimate {_fmt(est)} (SE {_fmt(t['se'])} on the analysis scale, k = {t['k']}, "
            f"tau² = {_fmt(t['tau2'])})")


def _subgroup_text(s, res) -> str:
    lines = [f"Subgroups ({s['method']}, each with its own tau²; estimates on the analysis scale):"]
    for r in s["subgroups"].itertuples(index=False):
        lines.append(f"  {r.subgroup}: k = {r.k}, {_fmt(r.estimate)} (SE {_fmt(r.se)}), tau² = {_fmt(r.tau2)}")
    lines.append(f"Test for subgroup differences: Q = {_stat(s['q_between'])} (df = {s['df']}, p {_fmt_p(s['p'])})")
    return "\n".join(lines)


def _metareg_text(m, res) -> str:
    stat = "t" if m["hksj"] else "z"
    lines = [f"Meta-regression ({m['method']}{', Knapp-Hartung' if m['hksj'] else ''}; k = {m['k']}; "
             "coefficients on the analysis scale):",
             f"{'term':<16}{'estimate':>10}{'SE':>10}{'CI low':>10}{'CI high':>10}{stat:>10}{'p':>10}"]
    for r in m["coefficients"].itertuples(index=False):
        d = r._asdict()
        lines.append(f"{str(d['term']):<16}{_fmt(d['estimate']):>10}{_fmt(d['se']):>10}{_fmt(d['ci_low']):>10}"
                     f"{_fmt(d['ci_high']):>10}{_stat(d[stat]):>10}{_fmt(d['p']):>10}")
    qm = (f"QM: F({m['qm_df'][0]}, {m['qm_df'][1]}) = {_stat(m['qm'])}" if m["hksj"]
          else f"QM = {_stat(m['qm'])} (df = {m['qm_df']})") + f", p {_fmt_p(m['qm_p'])}"
    lines.append(f"Residual tau² = {_fmt(m['tau2'])}; R² = {_fmt(m['r2'])}%; {qm}; "
                 f"residual heterogeneity QE = {_stat(m['qe'])} (df = {m['qe_df']}, p {_fmt_p(m['qe_p'])})")
    return "\n".join(lines)


_SUMMARY = ["k", "estimate", "ci_low", "ci_high", "p", "tau2", "i2", "q"]
_EXTRA_TEXT = {
    "egger": _egger_text,
    "begg": lambda b, res: b["message"],
    "trimfill": _trimfill_text,
    "leave_one_out": lambda df, res: _frame_text(df, _SUMMARY, "Leave-one-out (each row: that study left out):"),
    "cumulative": lambda df, res: _frame_text(df, _SUMMARY, "Cumulative (each row: up to and including that study):"),
    "influence": lambda df, res: _frame_text(df, ["rstudent", "dffits", "cook_d", "hat", "tau2_del", "q_del"],
                                             "Influence (rstudent: externally standardized residual):"),
    "subgroups": _subgroup_text,
    "meta_regression": _metareg_text,
}
