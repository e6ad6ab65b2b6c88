"""Charts of the evidence pages: forest plot, specifications, onset and durability, doses, changes, the map."""
from __future__ import annotations

import math
import textwrap
from typing import Mapping

import numpy as np
import pandas as pd

from evidence import fmt, vocab
from evidence.plotting.base import *  # noqa: F401,F403 - the shared style, sizes and helpers
from evidence.plotting.base import (  # noqa: F401
    _W, _caption, _figure_title, _finite, _fmt, _legend_above, _log_limits, _log_ticks, _narrow_rows, _new, _plt,
    _row_labels, _wrap,
)


# --------------------------------------------------------------------------- #
# Meta-analysis charts
# --------------------------------------------------------------------------- #
def _forest_columns(fig, ax, studies: pd.DataFrame, pooled: Mapping, published: Mapping | None, ys, y_head,
                    y_tot, y_pub, measure: str, labels: tuple[str, str]) -> None:
    """The forest plot's table: study, counts per arm, weight and the estimate with its CI."""
    from matplotlib.transforms import blended_transform_factory

    tr = blended_transform_factory(fig.transFigure, ax.transData)

    def put(xfig, y, s, **kw):
        fig.text(xfig, y, s, transform=tr, va="center", fontsize=kw.pop("fontsize", 11), **kw)

    def cnt(e, n):
        return f"{int(e)}/{int(n)}" if _finite(e) and _finite(n) else "–"

    def ci(est, lo, hi):
        return f"{_fmt2(est)} [{_fmt2(lo)}, {_fmt2(hi)}]"

    bold = dict(fontweight="bold")
    put(0.01, y_head, "Study", **bold)
    put(0.25, y_head, f"{labels[0]}\nn/N", ha="center", **bold)
    put(0.36, y_head, f"{labels[1]}\nn/N", ha="center", **bold)
    put(0.49, y_head, "Weight", ha="right", **bold)
    put(0.775, y_head, f"{measure} [95% CI]", **bold)
    for y, (_, r) in zip(ys, studies.iterrows()):
        put(0.01, y, _wrap(str(r["study"]), 18))
        put(0.25, y, cnt(r.get("events_treat"), r.get("n_treat")), ha="center")
        put(0.36, y, cnt(r.get("events_ctrl"), r.get("n_ctrl")), ha="center")
        put(0.49, y, f"{float(r['weight']):.1f}%", ha="right")
        put(0.775, y, ci(_num(r.get("estimate")), _num(r.get("ci_low")), _num(r.get("ci_high"))))
    sums = {c: (studies[c].sum() if c in studies else math.nan)
            for c in ("events_treat", "n_treat", "events_ctrl", "n_ctrl")}
    put(0.01, y_tot, _wrap(str(pooled.get("label", "Total (95% CI)")), 16), **bold)
    put(0.25, y_tot, cnt(sums["events_treat"], sums["n_treat"]), ha="center", **bold)
    put(0.36, y_tot, cnt(sums["events_ctrl"], sums["n_ctrl"]), ha="center", **bold)
    put(0.49, y_tot, "100.0%", ha="right", **bold)
    put(0.775, y_tot, ci(float(pooled["estimate"]), float(pooled["ci_low"]), float(pooled["ci_high"])), **bold)
    if published:
        put(0.01, y_pub, _wrap(str(published.get("label", "Published")), 22), style="italic")
        put(0.775, y_pub, ci(float(published["estimate"]), float(published["ci_low"]), float(published["ci_high"])),
            style="italic")


def _forest_axis(ax, vals: list[float], log: bool, y_head: float, measure: str, favours: tuple[str, str]) -> None:
    """The forest plot's axis: the line of no effect, limits symmetric around it, the favours labels."""
    null = 1.0 if log else 0.0
    ax.plot([null, null], [-0.5, y_head - 0.5], color="#222222", lw=0.9)
    if log:
        ax.set_xscale("log")
        lo_, hi_ = _log_limits(vals + [null], pad=1.4)
        span = max(hi_ / 1.0, 1.0 / lo_)               # symmetric around 1, as RevMan draws it
        span = min(span, 1e5)
        ax.set_xlim(1 / span, span)
        _log_ticks(ax, 1 / span, span)
    else:
        finite = [v for v in vals if _finite(v)] + [null]
        m = max(abs(min(finite)), abs(max(finite))) * 1.1
        ax.set_xlim(-m, m)
    for side in ("left", "right", "top"):
        ax.spines[side].set_visible(False)
    ax.set_yticks([])
    ax.grid(False)
    ax.set_xlabel(f"{measure}, 95% CI{' (log scale)' if log else ''}", fontsize=11)
    ax.annotate(f"← {favours[0]}", xy=(0.49, 0), xycoords="axes fraction", xytext=(0, -42),
                textcoords="offset points", ha="right", va="top", fontsize=11)
    ax.annotate(f"{favours[1]} →", xy=(0.51, 0), xycoords="axes fraction", xytext=(0, -42),
                textcoords="offset points", ha="left", va="top", fontsize=11)


def _forest_marks(ax, studies: pd.DataFrame, pooled: Mapping, published: Mapping | None, ys, y_tot,
                  y_pub) -> list[float]:
    """The forest plot's marks: a square per study (area by weight) with its CI, the pooled diamond
    (and prediction interval), the published figure as an open diamond. Returns the values drawn."""
    vals: list[float] = []
    w = pd.to_numeric(studies["weight"], errors="coerce").fillna(0)
    wmax = float(w.max()) if len(w) and w.max() > 0 else 1.0
    for y, (_, r), wi in zip(ys, studies.iterrows(), w):
        est, lo, hi = _num(r.get("estimate")), _num(r.get("ci_low")), _num(r.get("ci_high"))
        if lo is not None and hi is not None:
            ax.plot([lo, hi], [y, y], color="#222222", lw=1.2, solid_capstyle="butt")
            vals += [lo, hi]
        if est is not None:
            size = 4 + 10 * math.sqrt(max(float(wi), 0) / wmax)
            ax.plot(est, y, marker="s", ms=size, color=C["blue"], mec="#222222", ls="none", zorder=3)
            vals.append(est)

    def diamond(y, est, lo, hi, filled=True):
        ax.fill([lo, est, hi, est, lo], [y, y + 0.28, y, y - 0.28, y], facecolor="#222222" if filled else "white",
                edgecolor="#222222", lw=1.2, zorder=3)

    diamond(y_tot, float(pooled["estimate"]), float(pooled["ci_low"]), float(pooled["ci_high"]))
    vals += [float(pooled["ci_low"]), float(pooled["ci_high"])]
    if _finite(pooled.get("pi_low")) and _finite(pooled.get("pi_high")):
        ax.plot([float(pooled["pi_low"]), float(pooled["pi_high"])], [y_tot - 0.42] * 2, color="#555555", lw=1,
                ls=(0, (3, 2)))
        vals += [float(pooled["pi_low"]), float(pooled["pi_high"])]
    if published:
        diamond(y_pub, float(published["estimate"]), float(published["ci_low"]), float(published["ci_high"]),
                filled=False)
        vals += [float(published["ci_low"]), float(published["ci_high"])]
    return vals


def _forest_narrow_labels(ax, studies: pd.DataFrame, pooled: Mapping, published: Mapping | None, ys, y_tot,
                          y_pub, measure: str, labels: tuple[str, str]) -> None:
    """The phone rendering's table: each row's study, counts, weight and estimate written above its
    mark across the whole width (no column is cut off, nothing scrolls)."""
    from matplotlib.transforms import blended_transform_factory

    tr = blended_transform_factory(ax.transAxes, ax.transData)

    def cnt(e, n):
        return f"{int(e)}/{int(n)}" if _finite(e) and _finite(n) else "–"

    def put(y, head, est, lo, hi, **kw):
        text = f"{head}\n{measure} {_fmt2(est)} [{_fmt2(lo)}, {_fmt2(hi)}]"
        ax.text(0.0, y + 0.3, text, transform=tr, ha="left", va="bottom", fontsize=11, color="#222222",
                linespacing=1.25, bbox=dict(boxstyle="square,pad=0.1", fc="white", ec="none"), zorder=4, **kw)

    for y, (_, r) in zip(ys, studies.iterrows()):
        head = (f"{_wrap(str(r['study']), 22)} · {cnt(r.get('events_treat'), r.get('n_treat'))} vs "
                f"{cnt(r.get('events_ctrl'), r.get('n_ctrl'))} · {float(r['weight']):.0f}%")
        put(y, head, _num(r.get("estimate")), _num(r.get("ci_low")), _num(r.get("ci_high")))
    sums = [studies[c].sum() if c in studies else math.nan for c in ("events_treat", "n_treat", "events_ctrl",
                                                                     "n_ctrl")]
    put(y_tot, f"{pooled.get('label', 'Total (95% CI)')} · {cnt(*sums[:2])} vs {cnt(*sums[2:])}",
        float(pooled["estimate"]), float(pooled["ci_low"]), float(pooled["ci_high"]), fontweight="bold")
    if published:
        put(y_pub, str(published.get("label", "Published")), float(published["estimate"]),
            float(published["ci_low"]), float(published["ci_high"]), style="italic")
    ax.text(0.0, 1.02, f"n/N: {labels[0].lower()} vs {labels[1].lower()}; % = weight", transform=ax.transAxes,
            ha="left", va="bottom", fontsize=11, color="#444444")


def forest_plot(studies: pd.DataFrame, pooled: Mapping, title: str, caption: str = "",
                measure: str = "OR", labels: tuple[str, str] = ("Ketamine", "Control"),
                published: Mapping | None = None, heterogeneity: str = "", overall: str = "",
                favours: tuple[str, str] = ("Favours control", "Favours ketamine")):
    """A RevMan-style forest plot; on the phone rendering (:func:`draw` ``width="narrow"``) each row's
    figures are written above its mark instead of in columns, so the chart fits 390 px.

    ``studies`` columns: ``study``, ``events_treat``, ``n_treat``,
    ``events_ctrl``, ``n_ctrl``, ``weight`` (percent), ``estimate``,
    ``ci_low``, ``ci_high``. ``pooled`` has ``label``, ``estimate``,
    ``ci_low``, ``ci_high`` (and optionally ``pi_low``/``pi_high``, drawn as a
    dashed line under the diamond). ``published`` (optional): the printed
    estimate, drawn as an open diamond. ``heterogeneity`` and ``overall`` are
    the two summary lines under the table.
    """
    plt = _plt()
    narrow = _W["w"] < 5
    k = len(studies)
    head = 0 if narrow else 1                          # the wide rendering has a header row of column names
    n_rows = head + k + 1 + (1 if published else 0)    # header, studies, total, published
    row_in = 0.95 if narrow else 0.42
    title_lines = textwrap.wrap(title, 40) if narrow else [title]
    top_in, bottom_in = (0.5 + 0.25 * len(title_lines), 2.3) if narrow else (0.5, 1.5)
    height = top_in + bottom_in + row_in * n_rows
    fig = plt.figure(figsize=(_W["w"] if narrow else max(_W["w"], 8.4), height))
    x0, x1 = (0.03, 0.97) if narrow else (0.53, 0.765)   # the plot column, in figure fraction
    ax = fig.add_axes([x0, bottom_in / height, x1 - x0, row_in * n_rows / height])
    log = measure.upper() in ("OR", "RR")
    ax.set_ylim(-0.5, n_rows - 0.5 + (0.3 if narrow else 0))
    y_head = n_rows - 1 + (1 - head)
    ys = [n_rows - 1 - head - i for i in range(k)]
    y_tot = n_rows - 1 - head - k
    y_pub = y_tot - 1 if published else None
    vals = _forest_marks(ax, studies, pooled, published, ys, y_tot, y_pub)
    _forest_axis(ax, vals, log, y_head, measure, favours)
    if narrow:
        _forest_narrow_labels(ax, studies, pooled, published, ys, y_tot, y_pub, measure, labels)
    else:
        _forest_columns(fig, ax, studies, pooled, published, ys, y_head, y_tot, y_pub, measure, labels)
    line_y = (bottom_in - 0.95) / height
    summary = [ln for s in (heterogeneity, overall) if s for ln in (textwrap.wrap(s, 34) if narrow else [s])]
    for i, s in enumerate(summary):
        fig.text(0.01, line_y - i * 0.22 / height, s, fontsize=11, ha="left", va="top")
    fig.text(0.01, 1 - 0.12 / height, "\n".join(title_lines), ha="left", va="top", fontsize=13, fontweight="bold")
    fig.evidence_title = title
    _caption(fig, caption, width=44 if narrow else 120)
    return fig


def _num(v) -> float | None:
    try:
        f = float(v)
    except (TypeError, ValueError):
        return None
    return f if math.isfinite(f) else None


def _fmt2(x) -> str:
    """RevMan's number format: two decimals (three significant digits below 0.01)."""
    if x is None or not _finite(x):
        return "–"
    x = float(x)
    if x != 0 and abs(x) < 0.01:
        return f"{x:.3g}"
    return f"{x:.2f}"


def specification_chart(specs: pd.DataFrame, title: str, caption: str = "", measure: str = "OR",
                        published: Mapping | None = None):
    """The pooled estimate across analysis specifications (dot + 95% CI, log scale).

    ``specs`` columns: ``group`` (e.g. "model", "method", "zero cells",
    "leave one out", "crossover"), ``label``, ``estimate``, ``ci_low``,
    ``ci_high``; optional ``base`` (bool: the primary specification).
    """
    groups = list(dict.fromkeys(specs["group"]))
    n = len(specs) + len(groups)
    fig, ax = _new(0.32 * n + 1.9)
    y = n
    yt, labels = [], []
    vals = []
    markers = ["o", "s", "^", "v", "D", "P", "h", "X"]
    colours = [C["blue"], C["orange"], C["bluish_green"], C["reddish_purple"], C["vermillion"], C["sky_blue"],
               C["black"], C["grey"]]
    for gi, g in enumerate(groups):
        y -= 1
        ax.text(0.0, y, g, transform=ax.get_yaxis_transform(), fontweight="bold", fontsize=11.5, va="center",
                ha="right")
        for _, r in specs[specs["group"] == g].iterrows():
            y -= 1
            est, lo, hi = r["estimate"], r["ci_low"], r["ci_high"]
            colour, marker = colours[gi % len(colours)], markers[gi % len(markers)]
            base = bool(r.get("base", False))
            if _finite(est):
                if _finite(lo) and _finite(hi):
                    ax.plot([lo, hi], [y, y], color=colour, lw=1.6)
                    vals += [float(lo), float(hi)]
                ax.plot(est, y, marker=marker, color=colour, mec="#222222", ms=9 if base else 7, ls="none",
                        mew=2 if base else 0.8)
                vals.append(float(est))
                txt = f"{_fmt2(est)} [{_fmt2(lo)}, {_fmt2(hi)}]"
            else:
                txt = "not estimable"
            ax.text(1.01, y, txt, transform=ax.get_yaxis_transform(), va="center", fontsize=11)
            yt.append(y)
            labels.append(("★ " if base else "") + _wrap(str(r["label"]), 40))
    null = 1.0
    ax.axvline(null, color="#222222", lw=0.9)
    if published:
        ax.axvspan(float(published["ci_low"]), float(published["ci_high"]), color=C["yellow"], alpha=0.18, lw=0)
        ax.axvline(float(published["estimate"]), color=C["vermillion"], lw=1.4, ls="--")
        vals += [float(published["ci_low"]), float(published["ci_high"])]
        from matplotlib.lines import Line2D
        from matplotlib.patches import Patch

        handles = [Line2D([], [], color=C["vermillion"], lw=1.4, ls="--",
                          label=f"published {measure} {float(published['estimate']):g}"),
                   Patch(color=C["yellow"], alpha=0.3, label=f"its 95% CI {float(published['ci_low']):g}–"
                                                              f"{float(published['ci_high']):g}")]
    else:
        handles = []
    ax.set_xscale("log")
    lo_, hi_ = _log_limits(vals + [null], pad=1.4)
    ax.set_xlim(lo_, hi_)
    _log_ticks(ax, lo_, hi_)
    ax.set_yticks(yt, labels, fontsize=11)
    ax.set_ylim(y - 0.8, n - 0.2)
    ax.set_xlabel(f"pooled {measure} (95% CI, log scale; 1 = no difference)")
    _legend_above(ax, handles, title, ncol=2)
    _caption(fig, caption)
    fig.tight_layout()
    fig.subplots_adjust(right=0.8, left=max(0.3, fig.subplotpars.left))
    return fig


# --------------------------------------------------------------------------- #
# Evidence charts
# --------------------------------------------------------------------------- #
HOURS_TICKS = [(1 / 60, "1 min"), (10 / 60, "10 min"), (1, "1 hour"), (4, "4 hours"), (12, "12 hours"), (24, "1 day"),
               (72, "3 days"), (168, "1 week"), (730.5, "1 month"), (2191.5, "3 months"),
               (4383, "6 months"), (8766, "1 year")]


#: which time labels to keep first when not all fit: round units before in-between ones
TICK_PRIORITY = ("1 hour", "1 day", "1 week", "1 month", "1 year", "6 months", "12 hours", "3 days", "3 months",
                 "4 hours", "10 min", "1 min")


def time_axis(ax, lo: float, hi: float) -> None:
    """A log time axis in hours labelled in words (1 min … 1 year); every label in range is set, and
    :func:`drop_touching_ticks` keeps those that fit once the layout is final."""
    ax.set_xscale("log")
    ticks = [(t, s) for t, s in HOURS_TICKS if lo <= t <= hi]
    ax.set_xlim(lo, hi)
    ax.set_xticks([t for t, _ in ticks], [s for _, s in ticks])
    ax.xaxis.set_minor_locator(__import__("matplotlib").ticker.NullLocator())


TIMELINE_STYLE = {"onset": (C["blue"], ">", "first effect reported"),
                  "durability": (C["orange"], "s", "effect still present (last reported)"),
                  "relapse": (C["reddish_purple"], "v", "median time to relapse or loss of response"),
                  "claim": (C["vermillion"], "D", "article's claim")}


def timeline_chart(events: pd.DataFrame, title: str, caption: str = ""):
    """Onset and durability by source on a log time axis, in one panel (:func:`timeline_panels` draws
    ketamine and comparators apart).

    ``events`` columns: ``label`` (row: source and design), ``attribute``
    ("onset" or "durability" or "claim"), ``hours``, ``short`` (annotation, e.g. "7 days").
    """
    labels = list(dict.fromkeys(events["label"]))
    fig, ax = _new(0.55 * len(labels) + 2.0)
    allh = _timeline_rows(ax, events)
    time_axis(ax, min(allh + [1]) / 2.5, max(allh + [24]) * 2.5)
    ax.set_xlabel("time after dosing (log scale)")
    _legend_above(ax, _timeline_handles(set(events["attribute"])), title, ncol=3)
    _caption(fig, caption)
    fig.tight_layout()
    drop_touching_ticks(ax, priority=TICK_PRIORITY)
    return fig


def _timeline_handles(attributes) -> list:
    """Legend entries for the timeline markers present (in :data:`TIMELINE_STYLE`'s order)."""
    from matplotlib.lines import Line2D

    return [Line2D([], [], marker=TIMELINE_STYLE[a][1], color="white" if a == "claim" else TIMELINE_STYLE[a][0],
                   mec=TIMELINE_STYLE[a][0] if a == "claim" else "#222222", ls="none",
                   label=_wrap(TIMELINE_STYLE[a][2], 60))
            for a in TIMELINE_STYLE if a in attributes]


def _timeline_rows(ax, events: pd.DataFrame) -> list[float]:
    """Draw one timeline panel (a row per label); returns the hours drawn."""
    labels = list(dict.fromkeys(events["label"]))
    ys = {lab: i for i, lab in enumerate(labels[::-1])}
    allh: list[float] = []
    for lab in labels:
        sub = events[events["label"] == lab]
        y = ys[lab]
        on = sub.loc[sub["attribute"] == "onset", "hours"]
        du = sub.loc[sub["attribute"] == "durability", "hours"]
        if len(on) and len(du):
            ax.plot([on.min(), du.max()], [y, y], color="#AAAAAA", lw=3, alpha=0.6, zorder=1)
        for _, r in sub.iterrows():
            colour, marker, _ = TIMELINE_STYLE.get(r["attribute"], (C["grey"], "o", r["attribute"]))
            claim = r["attribute"] == "claim"
            ax.plot(r["hours"], y, marker=marker, color="white" if claim else colour,
                    mec=colour if claim else "#222222", mew=1.6, ms=10, ls="none", zorder=3)
            allh.append(float(r["hours"]))
            if isinstance(r.get("short"), str) and r["short"]:
                ax.annotate(r["short"], (r["hours"], y), xytext=(0, -10), textcoords="offset points", fontsize=11,
                            ha="center", va="top")
    _row_labels(ax, ys, 44, above_pt=11)
    ax.set_ylim(-0.75, len(labels) - 0.1 + (0.5 if _W["w"] < 5 else 0))
    return allh


def timeline_panels(ketamine: pd.DataFrame, comparators: pd.DataFrame, title: str):
    """Onset and durability on a log time axis: ketamine studies (and the articles' claims) on
    the first panel, comparator treatments on a second, separately labelled panel."""
    plt = _plt()
    panels = [(ketamine, "Ketamine and esketamine studies, and the articles' claims"),
              (comparators, "Comparators: other treatments, not ketamine")]
    panels = [(d, t) for d, t in panels if d is not None and len(d)]
    narrow = _W["w"] < 5
    rows = [len(dict.fromkeys(d["label"])) for d, _ in panels]
    per = 1.6 if narrow else 0.75                     # a phone row: its label above, the time under the mark
    heights = [per * r + 1.1 for r in rows]
    fig, axes = plt.subplots(len(panels), 1, figsize=(_W["w"], sum(heights) + 1.6), sharex=True,
                             gridspec_kw={"height_ratios": heights}, squeeze=False)
    allh: list[float] = []
    for ax, (d, t) in zip(axes[:, 0], panels):
        allh += _timeline_rows(ax, d)
        ax.set_title(_wrap(t, 60), loc="left", fontsize=12, fontweight="bold")
    lo, hi = min(allh + [1]) / 2.5, max(allh + [24]) * 2.5
    for ax in axes[:, 0]:
        time_axis(ax, lo, hi)
    axes[-1, 0].set_xlabel("time after dosing (log scale)")
    handles = _timeline_handles(set().union(*(set(d["attribute"]) for d, _ in panels)))
    ncol = 1 if narrow else 2
    fig.legend(handles=handles, loc="upper left", ncol=ncol, fontsize=11, frameon=False, bbox_to_anchor=(0.0, 1.0))
    lines = sum(h.get_label().count("\n") + 1 for h in handles)
    legend_in = 0.22 * math.ceil(lines / ncol) + 0.12   # the legend's lines, kept clear of the panels
    fig.suptitle(_wrap(title, 60), x=0.01, ha="left", y=1.0 + (0.06 if narrow else 0.03), fontsize=13,
                 fontweight="bold")
    fig.evidence_title = title
    fig.tight_layout(rect=(0, 0, 1, 1 - legend_in / (sum(heights) + 1.6)))
    drop_touching_ticks(axes[-1, 0], priority=TICK_PRIORITY)   # shared x: the bottom axes carry the labels
    return fig


#: designs in the vocabulary's order (strongest first), with their reader words
DESIGN_ORDER = list(vocab.DESIGN_ORDER)
DESIGN_LABEL = {code: term.label for code, term in vocab.DESIGNS.items()}
POPULATION_STYLE = {
    "anxiety disorder": (C["blue"], "o"),
    "depression": (C["orange"], "s"),
    "mixed / other": (C["reddish_purple"], "^"),
    "general population": (C["bluish_green"], "D"),
    "not stated": (C["grey"], "X"),
}


ROUTE_STYLE = {"IV": "o", "SC": "^", "IM": "D", "intranasal": "s", "oral": "P", "mixed": "X"}


def dose_route_chart(rows: pd.DataFrame, title: str, caption: str = ""):
    """Doses (mg/kg) of each study, one row per study grouped by route.

    ``rows`` columns: ``label`` (study), ``route``, ``dose`` (mg/kg, one row
    per dose), ``design``, ``n``, ``population_group``, optional ``note``
    (e.g. "over 40 min"). Marker shape = route, colour *and* the row text =
    population; several doses of one study are joined by a line.
    """
    order = [r for r in ROUTE_STYLE if r in set(rows["route"])] + \
        [r for r in dict.fromkeys(rows["route"]) if r not in ROUTE_STYLE]
    studies = []
    for route in order:
        for lab in dict.fromkeys(rows.loc[rows["route"] == route, "label"]):
            studies.append((route, lab))
    fig, ax = _new(0.7 * len(studies) + 2.4)
    ys = {key: i for i, key in enumerate(studies[::-1])}
    ticks = []
    for (route, lab), y in ys.items():
        sub = rows[(rows["route"] == route) & (rows["label"] == lab)].sort_values("dose")
        r0 = sub.iloc[0]
        colour = POPULATION_STYLE.get(r0.get("population_group"), (C["grey"], "o"))[0]
        marker = ROUTE_STYLE.get(route, "o")
        if len(sub) > 1:
            ax.plot(sub["dose"], [y] * len(sub), color=colour, lw=1.5, alpha=0.7)
        ax.plot(sub["dose"], [y] * len(sub), marker=marker, color=colour, mec="#222222", ms=9, ls="none", zorder=3)
        n = fmt.n(r0["n"]) if _finite(r0.get("n")) else "size not reported"
        design = vocab.word("design", r0.get("design"))
        note = f" {r0['note']}" if isinstance(r0.get("note"), str) and r0["note"] else ""
        ticks.append((y, f"{lab} · {vocab.word('route', route)}{note}\n" + _wrap(f"{design}, {n}, {r0.get('population_group', '')}", 44)))
    for route in order[:-1]:  # a dotted line between route groups
        lowest = min(y for (r, _), y in ys.items() if r == route)
        ax.axhline(lowest - 0.5, color="#999999", lw=0.6, ls=":")
    from matplotlib.lines import Line2D

    h = [Line2D([], [], marker=ROUTE_STYLE.get(r, "o"), color="#777777", mec="#222222", ls="none",
                label=vocab.word("route", r))
         for r in order]
    pops = list(dict.fromkeys(rows["population_group"]))
    h += [Line2D([], [], marker="o", color=POPULATION_STYLE.get(p, (C["grey"], "o"))[0], mec="#222222", ls="none",
                 label=p) for p in pops]
    if _W["w"] >= 5:
        ax.set_yticks([t[0] for t in ticks], [t[1] for t in ticks], fontsize=11)
    else:
        _row_labels(ax, {t[1].replace("\n", ", "): t[0] for t in ticks})
    ax.set_ylim(-0.7, len(studies) - 0.3 + (0.5 if _W["w"] < 5 else 0))
    dmax = pd.to_numeric(rows["dose"], errors="coerce").max()
    ax.set_xlim(0, max(1.1, float(dmax) * 1.15 if _finite(dmax) else 1.1))
    ax.set_xlabel("dose per administration (mg/kg body weight)")
    _legend_above(ax, h, title, ncol=min(len(h), 5), fontsize=11)
    _caption(fig, caption)
    fig.tight_layout()
    return fig


def change_chart(rows: pd.DataFrame, title: str, caption: str = ""):
    """Symptom reduction (%) in uncontrolled cohorts, ketamine arms and placebo arms.

    ``rows`` columns: ``label``, ``group`` (e.g. "uncontrolled cohort",
    "ketamine arm (RCT)", "control arm (RCT)"), ``value`` (% reduction),
    optional ``low``/``high``, ``note``.
    """
    groups = list(dict.fromkeys(rows["group"]))
    fixed = {"uncontrolled cohort": (C["vermillion"], "D"), "ketamine arm (RCT)": ARM_STYLE["treat"],
             "control arm (RCT)": ARM_STYLE["ctrl"]}
    extra = [(C["bluish_green"], "^"), (C["reddish_purple"], "v"), (C["sky_blue"], "P")]
    gstyle = {g: fixed.get(g, extra[i % len(extra)]) for i, g in enumerate(groups)}
    fig, ax = _new(0.5 * len(rows) + 2.0)
    ys = np.arange(len(rows))[::-1]
    vals = []
    for y, (_, r) in zip(ys, rows.iterrows()):
        colour, marker = gstyle[r["group"]]
        ax.barh(y, r["value"], color=colour, alpha=0.25, height=0.6, edgecolor=colour)
        if _finite(r.get("low")) and _finite(r.get("high")):
            ax.errorbar(r["value"], y, xerr=[[r["value"] - r["low"]], [r["high"] - r["value"]]], fmt="none",
                        ecolor="#222222", capsize=3)
            vals += [float(r["low"]), float(r["high"])]
        ax.plot(r["value"], y, marker=marker, color=colour, mec="#222222", ms=8, ls="none")
        vals.append(float(r["value"]))
        note = f" — {r['note']}" if isinstance(r.get("note"), str) and r["note"] else ""
        ax.text(max(vals + [0]) * 0 + r["value"] + 1.5, y, f"{r['value']:g}%{note}", va="center", fontsize=11)
    from matplotlib.lines import Line2D

    handles = [Line2D([], [], marker=gstyle[g][1], color=gstyle[g][0], mec="#222222", ls="none", label=g)
               for g in groups]
    ax.axvline(0, color="#222222", lw=0.8)
    _row_labels(ax, dict(zip(rows["label"], ys)), 40)
    ax.set_ylim(-0.6, len(rows) - 0.4 + (0.6 if _W["w"] < 5 else 0))
    ax.set_xlim(min(vals + [0]) - 5, max(vals + [10]) * 1.6 + 5)
    ax.set_xlabel("reduction in anxiety score from baseline (%)")
    _legend_above(ax, handles, title, ncol=3)
    _caption(fig, caption)
    fig.tight_layout()
    return fig


def evidence_map(sources: pd.DataFrame, title: str, caption: str = ""):
    """Every source by design (rows) and n (log x), coloured *and* shaped by population.

    ``sources`` columns: ``source_id``, ``design``, ``n`` (may be null),
    ``population_group``, optional ``label`` (drawn next to the point). Sources
    without an n are not placed on the n axis: each design row says at its
    left edge how many there are, per population (open markers).
    """
    designs = [d for d in DESIGN_ORDER if d in set(sources["design"])] + \
              [d for d in dict.fromkeys(sources["design"]) if d not in DESIGN_ORDER]
    fig, ax = _new(1.0 * len(designs) + 2.4)
    ys = {d: i for i, d in enumerate(designs[::-1])}
    ns = pd.to_numeric(sources["n"], errors="coerce")
    finite = ns[ns > 0]
    lo = 10 ** math.floor(math.log10(finite.min())) / 2 if len(finite) else 1
    hi = float(finite.max()) * 3 if len(finite) else 10000
    left = lo / 1.3
    with_n = sources[ns > 0].assign(_n=ns[ns > 0]).sort_values("_n")
    counts: dict[str, int] = {}
    per_design = with_n["design"].value_counts().to_dict()
    for _, r in with_n.iterrows():
        d = r["design"]
        j = counts.get(d, 0)
        counts[d] = j + 1
        k = per_design[d]
        y = ys[d] + (j - (k - 1) / 2) * min(0.21, 0.84 / max(k - 1, 1))
        colour, marker = POPULATION_STYLE.get(r.get("population_group"), (C["grey"], "o"))
        ax.plot(float(r["_n"]), y, marker=marker, color=colour, mec="#222222", ms=8, ls="none", zorder=3)
        ax.annotate(str(r.get("label", r["source_id"])), (float(r["_n"]), y), xytext=(6, 0),
                    textcoords="offset points", fontsize=11, va="center")
    without = sources[~(ns > 0)]
    for d, g in without.groupby("design", sort=False):
        parts = g["population_group"].value_counts()
        for i, (pop, k) in enumerate(parts.items()):
            colour, marker = POPULATION_STYLE.get(pop, (C["grey"], "o"))
            x = left * ((3.2 if _W["w"] < 5 else 1.9) ** i)   # far enough apart for their counts on a phone
            ax.plot(x, ys[d], marker=marker, mfc="white", mec=colour, mew=1.5, ms=9, ls="none", zorder=3)
            ax.annotate(f"{k}", (x, ys[d]), xytext=(0, 8), textcoords="offset points", fontsize=11, ha="center")
    from matplotlib.lines import Line2D

    pops = [p for p in POPULATION_STYLE if p in set(sources["population_group"])]
    h = [Line2D([], [], marker=POPULATION_STYLE[p][1], color=POPULATION_STYLE[p][0], mec="#222222", ls="none",
                label=p) for p in pops]
    h.append(Line2D([], [], marker="o", mfc="white", mec="#555555", ls="none",
                    label="n not reported (left: number of sources)"))
    ax.set_xscale("log")
    ax.set_xlim(left / (2.5 if _W["w"] < 5 else 1.6), hi * 1.6)
    _log_ticks(ax, lo, hi * 1.6)
    ax.axvline(50, color="#555555", lw=0.8, ls=":")
    ax.text(50, len(designs) - 0.45, " n = 50", fontsize=11, color="#555555")
    ax.set_yticks(list(ys.values()), [_wrap(vocab.word("design", d), 16) for d in ys])
    ax.set_ylim(-0.7, len(designs) - 0.3)
    ax.set_xlabel("participants (n, log scale)")
    ax.grid(True, axis="both")
    _legend_above(ax, h, title, ncol=3)
    _caption(fig, caption)
    fig.tight_layout()
    drop_touching_ticks(ax)                            # "100" and "1000" never touch; decades stay even
    return fig
