"""Forest and funnel plots for `evidence meta --forest FILE --funnel FILE` (SVG or PNG by extension).

The forest plot is laid out as RevMan's: one row per study with its counts (or effect), weight and
estimate with CI, the pooled diamond, and the heterogeneity and overall-effect lines under it.
The funnel plot is contour-enhanced (Peters et al. 2008): shaded where a study would be
significant at 10%, 5% and 1% against no effect, with the pooled estimate and its pseudo 95% limits.
"""
from __future__ import annotations

import math
from pathlib import Path

import numpy as np

FORMATS = (".svg", ".png")


def check_target(path: str) -> Path:
    p = Path(path)
    if p.suffix.lower() not in FORMATS:
        raise ValueError(f"{path}: a plot is written as SVG or PNG; name the file .svg or .png")
    if not p.parent.exists():
        raise ValueError(f"{path}: the directory {p.parent} does not exist")
    return p


def _plt():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    plt.rcParams["svg.hashsalt"] = "evidence"  # reproducible SVG ids
    return plt


def _num(x: float) -> str:
    return "NA" if not math.isfinite(x) else f"{x:.2f}"


def _p(p: float) -> str:
    return "NA" if not math.isfinite(p) else ("P < 0.00001" if p < 1e-5 else f"P = {p:.2g}")


def _axis(ax, X, tr, a, b, pad, ratio, x0, x1) -> None:
    """The effect axis under the studies, with ticks at round values (powers of ten for ratios)."""
    ax.plot([x0, x1], [0.75, 0.75], color="black", lw=0.8, transform=ax.get_yaxis_transform())
    if ratio:
        ticks = [10.0 ** e for e in range(int(math.floor(a / math.log(10))), int(math.ceil(b / math.log(10))) + 1)]
    else:
        ticks = list(np.linspace(a + pad, b - pad, 3))
    ticks = [t for t in ticks if a <= tr(t) <= b]
    if len(ticks) > 5:
        ticks = ticks[::2] if tr(1.0 if ratio else 0.0) not in [tr(t) for t in ticks[1::2]] else ticks[1::2]
    for t in ticks:
        if a <= tr(t) <= b:
            ax.plot([X(t)] * 2, [0.75, 0.6], color="black", lw=0.8, transform=ax.get_yaxis_transform())
            ax.text(X(t), 0.35, f"{t:g}", ha="center", va="center", fontsize=8, transform=ax.get_yaxis_transform())


def forest(res, path: str, title: str | None = None) -> Path:
    """RevMan-style forest plot of a :class:`~evidence.stats.meta.MetaResult`."""
    target = check_target(path)
    plt = _plt()
    st = res.studies.reset_index(drop=True)
    n = len(st)
    ratio = res.measure in ("OR", "RR")
    fig, ax = plt.subplots(figsize=(11, 1.6 + 0.32 * (n + 5)))
    ax.set_axis_off()
    y = np.arange(n, 0, -1) + 2.0
    lo = np.nanmin(np.r_[st["ci_low"][st["included"]], res.ci_low])
    hi = np.nanmax(np.r_[st["ci_high"][st["included"]], res.ci_high])
    tr = (np.log if ratio else (lambda v: v))
    x0, x1 = 0.53, 0.80  # axes fraction of the plotting area
    a, b = tr(max(lo, 1e-12) if ratio else lo), tr(hi)
    if not b > a:
        a, b = a - 1, b + 1
    pad = 0.05 * (b - a)
    a, b = a - pad, b + pad

    def X(v):
        return x0 + (x1 - x0) * (tr(v) - a) / (b - a)

    counts = "events_treat" in st.columns
    head = ["Study", "Treatment", "Control", "Weight", f"{res.measure} [{res.level * 100:g}% CI]"] if counts \
        else ["Study", "Estimate", "", "Weight", f"{res.measure} [{res.level * 100:g}% CI]"]
    cols = [0.0, 0.30, 0.42, 0.50, 0.82]  # study (left), then right-aligned numbers, then the estimate
    right = {1, 2, 3}
    top = n + 3
    for j, (c, h) in enumerate(zip(cols, head)):
        ax.text(c, top, h, fontweight="bold", va="center", ha="right" if j in right else "left",
                transform=ax.get_yaxis_transform())
    for i, r in st.iterrows():
        yy = y[i]
        ax.text(cols[0], yy, str(r["study"]), va="center", transform=ax.get_yaxis_transform())
        if counts:
            ax.text(cols[1], yy, f"{int(r['events_treat'])}/{int(r['n_treat'])}", va="center", ha="right",
                    transform=ax.get_yaxis_transform())
            ax.text(cols[2], yy, f"{int(r['events_ctrl'])}/{int(r['n_ctrl'])}", va="center", ha="right",
                    transform=ax.get_yaxis_transform())
        if r["included"]:
            ax.text(cols[3], yy, f"{r['weight']:.1f}%", va="center", ha="right", transform=ax.get_yaxis_transform())
            ax.text(cols[4], yy, f"{_num(r['estimate'])} [{_num(r['ci_low'])}, {_num(r['ci_high'])}]", va="center",
                    transform=ax.get_yaxis_transform())
            ax.plot([X(r["ci_low"]), X(r["ci_high"])], [yy, yy], color="black", lw=1,
                    transform=ax.get_yaxis_transform())
            size = 4 + 10 * math.sqrt(r["weight"] / 100.0)
            ax.plot([X(r["estimate"])], [yy], marker="s", ms=size, color="#2b6cb0", transform=ax.get_yaxis_transform())
        else:
            ax.text(cols[4], yy, "not estimable", va="center", transform=ax.get_yaxis_transform())
    yt = 1.2
    ax.text(cols[0], yt, f"Total ({res.level * 100:g}% CI)", fontweight="bold", va="center",
            transform=ax.get_yaxis_transform())
    ax.text(cols[3], yt, "100.0%", fontweight="bold", va="center", ha="right", transform=ax.get_yaxis_transform())
    ax.text(cols[4], yt, f"{_num(res.estimate)} [{_num(res.ci_low)}, {_num(res.ci_high)}]", fontweight="bold",
            va="center", transform=ax.get_yaxis_transform())
    dx = [X(res.ci_low), X(res.estimate), X(res.ci_high), X(res.estimate)]
    ax.fill(dx, [yt, yt + 0.3, yt, yt - 0.3], color="black", transform=ax.get_yaxis_transform())
    null = 1.0 if ratio else 0.0
    if tr(null) > a and tr(null) < b:
        ax.plot([X(null), X(null)], [0.6, n + 2.5], color="grey", lw=0.8, transform=ax.get_yaxis_transform())
    _axis(ax, X, tr, a, b, pad, ratio, x0, x1)
    het = (f"Heterogeneity: Tau² = {res.tau2:.2f}; Chi² = {res.q:.2f}, df = {res.q_df} ({_p(res.q_p)}); "
           f"I² = {res.i2:.0f}%") if res.q_df >= 1 and math.isfinite(res.i2) else "Heterogeneity: not estimable"
    stat = "t" if res.df else "Z"
    ax.text(cols[0], -0.3, het, va="center", fontsize=9, transform=ax.get_yaxis_transform())
    ax.text(cols[0], -0.9, f"Test for overall effect: {stat} = {abs(res.z):.2f} ({_p(res.p)})", va="center", fontsize=9,
            transform=ax.get_yaxis_transform())
    ax.set_ylim(-1.3, top + 0.6)
    if title:
        ax.set_title(title, loc="left")
    fig.savefig(target, bbox_inches="tight", metadata={"Date": None} if target.suffix == ".svg" else None)
    plt.close(fig)
    return target


def funnel(res, path: str, title: str | None = None) -> Path:
    """Contour-enhanced funnel plot: effect (analysis scale) against its SE, SE axis inverted."""
    from scipy import stats as _st

    target = check_target(path)
    plt = _plt()
    st = res.studies[res.studies["included"]]
    yi, se = st["yi"].to_numpy(float), st["se"].to_numpy(float)
    smax = float(np.nanmax(se)) * 1.1 if len(se) else 1.0
    s = np.linspace(0, smax, 100)
    fig, ax = plt.subplots(figsize=(6, 5))
    shades = ((0.01, "#bbbbbb"), (0.05, "#dddddd"), (0.10, "#ffffff"))  # widest first
    span = max(float(np.nanmax(np.abs(yi))) * 1.2 if len(yi) else 1.0, _st.norm.isf(0.005) * smax)
    ax.axvspan(-span, span, color="#999999", zorder=0, label="p < 0.01")  # outside every contour
    for (alpha, colour), label in zip(shades, ("0.01 < p < 0.05", "0.05 < p < 0.10", "p > 0.10")):
        z = _st.norm.isf(alpha / 2)
        ax.fill_betweenx(s, -z * s, z * s, color=colour, zorder=1, label=label)
    mu = res.log_estimate
    ax.plot([mu - 1.96 * s[-1], mu, mu + 1.96 * s[-1]], [s[-1], 0, s[-1]], ls="--", color="black", lw=0.8)
    ax.axvline(mu, color="black", lw=0.8)
    ax.scatter(yi, se, color="#2b6cb0", zorder=3, s=18)
    ax.set_ylim(smax, 0)
    ax.set_xlim(-span, span)
    scale = {"OR": "log odds ratio", "RR": "log risk ratio"}.get(res.measure, res.measure)
    ax.set_xlabel(scale)
    ax.set_ylabel("standard error")
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8, framealpha=1)
    ax.set_title(title or f"Funnel plot (k = {res.k}), contours against no effect", loc="left", fontsize=10)
    fig.savefig(target, bbox_inches="tight", metadata={"Date": None} if target.suffix == ".svg" else None)
    plt.close(fig)
    return target
