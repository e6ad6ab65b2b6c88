"""``evidence meta FILE.csv`` — meta-analyse your own table of studies.

Input: a CSV with a header row and one study per row, in one of three layouts
(see :mod:`evidence.stats.io`):

    study,events_treat,n_treat,events_ctrl,n_ctrl
    study,yi,vi
    study,mean_treat,sd_treat,n_treat,mean_ctrl,sd_ctrl,n_ctrl

Bad input (unreadable or empty file, missing column, a cell that is not a
number, negative or zero n, events > n, …) prints one error line naming the
file, the line and data row, and the column, and exits with status 2.
Heavy imports happen inside :func:`run` so that ``evidence --help`` stays fast.
"""
from __future__ import annotations

import argparse
import json
import math
import sys

MEASURES = ("OR", "RR", "RD", "SMD", "MD", "GEN")
METHODS = ("FE", "IV", "MH", "PETO", "DL", "PM", "REML", "ML", "MH_DL")
CORRECTIONS = ("none", "all_if_zero", "treatment_arm", "exclude_double_zero")
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
        "or study,yi,vi (yi on the analysis scale: log OR/RR for OR/RR); "
        "or study,mean_treat,sd_treat,n_treat,mean_ctrl,sd_ctrl,n_ctrl.",
    )
    p.add_argument("file", metavar="FILE.csv", help="CSV table of studies (one row per study)")
    p.add_argument("--measure", type=_upper(MEASURES), choices=MEASURES, default=None,
                   help="effect measure (default: OR for counts, SMD for means/SDs, GEN for yi/vi)")
    p.add_argument("--method", type=_upper(METHODS), choices=METHODS, default="DL",
                   help="pooling method (default: DL; IV is an alias of FE; MH_DL is RevMan's M-H random effects)")
    p.add_argument("--hksj", action="store_true",
                   help="Hartung-Knapp-Sidik-Jonkman CI and test (t with k-1 df)")
    p.add_argument("--hksj-floor", action="store_true",
                   help="HKSJ never narrower than the standard interval (ad hoc max(1, q)); implies --hksj")
    p.add_argument("--correction", choices=CORRECTIONS, default="all_if_zero",
                   help="zero-cell handling (default: all_if_zero, 0.5 added to every cell of a "
                        "study with a zero cell, as RevMan and metafor)")
    p.add_argument("--level", type=_level, default=0.95, help="confidence level (default: 0.95)")
    p.add_argument("--format", choices=("table", "json"), default="table", help="output format (default: table)")
    p.set_defaults(func=run)
    return p


def _fmt(x, digits: int = 4) -> str:
    if x is None or (isinstance(x, float) and not math.isfinite(x)):
        return "NA"
    return f"{x:.{digits}g}"


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
    lines.append(f"Test of no effect: {stat} = {_fmt(res.z)}{dfs}, p {_fmt_p(res.p)}")
    het = f"Heterogeneity: Q = {_fmt(res.q, 6)} (df = {res.q_df}, p {_fmt_p(res.q_p)}), I² = {_fmt(res.i2, 4)}%, H² = {_fmt(res.h2)}"
    lines.append(het)
    if res.random_effects:
        lines.append(f"tau² = {_fmt(res.tau2)} ({lv} CI {_fmt(res.tau2_ci[0])} to {_fmt(res.tau2_ci[1])}, Q-profile), "
                     f"tau = {_fmt(res.tau)}")
        lines.append(f"Prediction interval ({lv}): {_fmt(res.pi_low)} to {_fmt(res.pi_high)}")
    if res.correction != "none" and res.measure in ("OR", "RR", "RD"):
        lines.append(f"Zero cells: {res.correction}")
    for note in res.notes:
        lines.append(f"Note: {note}")
    return "\n".join(lines)


def run(args) -> int:
    from .io import StudyDataError, read_studies
    from .meta import meta_analysis

    path = args.file
    try:
        table, kind = read_studies(path, measure=args.measure)
        measure = args.measure or _DEFAULT_MEASURE[kind]
        res = meta_analysis(
            table, measure=measure, method=args.method, correction=args.correction,
            hksj=args.hksj, hksj_floor=args.hksj_floor, level=args.level,
        )
    except StudyDataError as e:
        msg = str(e) if e.path else f"{path}: {e}"
        print(f"evidence meta: error: {msg}", file=sys.stderr)
        return 2
    except ValueError as e:
        print(f"evidence meta: error: {path}: {e}", file=sys.stderr)
        return 2
    if args.format == "json":
        out = res.to_dict()
        out["file"] = path
        print(json.dumps(out, indent=2, ensure_ascii=False, allow_nan=False))
    else:
        print(format_table(res, path))
    return 0
