"""Charts of an article's page: verdicts, claims against their evidence, response rates, NNT, prevalence."""
from __future__ import annotations

import math
import re
import textwrap
from typing import Mapping

import numpy as np
import pandas as pd

from evidence.plotting.base import *  # noqa: F401,F403 - the shared style, sizes and helpers
from evidence.plotting.base import (  # noqa: F401
    _W, _caption, _figure_title, _finite, _fmt, _legend_above, _log_limits, _log_ticks, _narrow_rows, _new, _plt,
    _row_labels, _wrap,
)


# --------------------------------------------------------------------------- #
# Article charts
# --------------------------------------------------------------------------- #
def verdict_scorecard(counts: Mapping[str, int], labels: Mapping[str, str], title: str,
                      caption: str = ""):
    """Horizontal bars: how many claims got each verdict (colour + symbol + count)."""
    keys = [k for k in VERDICT_STYLE if k in counts]
    fig, ax = _new(0.45 * len(keys) + 1.6)
    y = np.arange(len(keys))[::-1]
    vals = [int(counts[k]) for k in keys]
    for yi, k, v in zip(y, keys, vals):
        colour, marker, sym = VERDICT_STYLE[k]
        ax.barh(yi, v, color=colour, edgecolor="#333333", linewidth=0.6, height=0.65,
                hatch="//" if k in ("overstated", "contradicted", "misattributed") else None)
        ax.text(v + 0.15, yi, f"{v}", va="center", fontsize=11)
    ax.set_yticks(y, [f"{VERDICT_STYLE[k][2]}  {labels.get(k, k)}" for k in keys])
    ax.set_xlabel("claims (count)")
    from matplotlib.ticker import MaxNLocator

    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlim(0, max(vals + [1]) * 1.15 + 0.5)
    ax.set_title(title)
    _caption(fig, caption)
    fig.tight_layout()
    return fig


def _claims_panel_rows(ax, sub: pd.DataFrame, ys) -> tuple[list[float], list[tuple]]:
    """Draw one panel's claims (open diamonds) and recomputed figures (verdict markers with CIs);
    returns the values drawn and the bands (the range each claim's wording admits) still to draw."""
    allv: list[float] = []
    bands: list[tuple] = []
    for y, (_, r) in zip(ys, sub.iterrows()):
        colour, marker, sym = VERDICT_STYLE.get(r.get("verdict"), (C["grey"], "o", ""))
        lo, hi = r.get("claimed_low"), r.get("claimed_high")
        cv = r.get("claimed_value")
        v, vlo, vhi = r.get("value"), r.get("low"), r.get("high")
        # the range the wording admits; open ends are drawn to the axis edge once limits are known
        a = float(lo) if _finite(lo) else None
        b = float(hi) if _finite(hi) else None
        if a is not None or b is not None:
            bands.append((y + 0.14, a, b))
            allv += [x for x in (a, b) if x is not None]
        if _finite(cv) and _finite(v):
            ax.plot([float(cv), float(v)], [y + 0.14, y - 0.14], color="#BBBBBB", lw=1, zorder=1)
        if _finite(cv):
            ax.plot(float(cv), y + 0.14, marker="D", ms=8, mfc="white", mec="#222222", mew=1.4, ls="none",
                    zorder=3)
            allv.append(float(cv))
        if _finite(v):
            if _finite(vlo) and _finite(vhi):
                ax.errorbar(float(v), y - 0.14, xerr=[[float(v) - float(vlo)], [float(vhi) - float(v)]],
                            fmt="none", ecolor="#222222", elinewidth=1.3, capsize=3, zorder=2)
                allv += [float(vlo), float(vhi)]
            ax.plot(float(v), y - 0.14, marker=marker, ms=8, color=colour, mec="#222222", ls="none", zorder=3)
            allv.append(float(v))
    return allv, bands


def _claims_panel_axis(ax, allv: list[float], bands: list[tuple], log: bool) -> None:
    """Limits and ticks of one panel, then the bands (open ends drawn to the edge with an arrow)."""
    if log:
        ax.set_xscale("log")
        lo_, hi_ = _log_limits([x for x in allv if x is not None and x > 0])
        ax.set_xlim(lo_, hi_)
        _log_ticks(ax, lo_, hi_)
    else:
        finite = [x for x in allv if _finite(x)]
        if finite:
            a, b = min(finite + [0]), max(finite)
            span = (b - a) or max(abs(b), 1)
            ax.set_xlim(a - 0.05 * span, b + 0.08 * span)
        from matplotlib.ticker import FuncFormatter

        ax.xaxis.set_major_formatter(FuncFormatter(_big_number))
    left, right = ax.get_xlim()
    for yb, a, b in bands:
        a_, b_ = (a if a is not None else left), (b if b is not None else right)
        ax.plot([a_, b_], [yb, yb], color="#9E9E9E", lw=6, alpha=0.45, solid_capstyle="butt", zorder=1)
        if a is None or b is None:
            ax.annotate("", xy=(left if a is None else right, yb), xytext=(a_ if a is None else b_, yb),
                        arrowprops=dict(arrowstyle="-|>", color="#9E9E9E", lw=0, mutation_scale=12))
    ax.set_xlim(left, right)


def _big_number(x: float, _pos=None) -> str:
    """An axis number in words a phone can fit: "40 million", "2,000", "0.5"."""
    if abs(x) >= 1e6:
        return f"{x / 1e6:g} million"
    return f"{x:,.0f}" if abs(x) >= 1000 else f"{x:g}"


def claims_vs_evidence(items: pd.DataFrame, title: str, caption: str = ""):
    """Dumbbell chart: what each claim says against what the evidence recomputes.

    ``items`` columns: ``label`` (row label), ``panel`` (one panel per scale,
    e.g. "Prevalence (%)"), ``log`` (bool, per panel), ``claimed_value``,
    ``claimed_low``/``claimed_high`` (the range the wording admits, may be
    null or infinite), ``value``/``low``/``high`` (recomputed estimate and CI)
    and ``verdict``.
    """
    plt = _plt()
    narrow = _W["w"] < 5
    panels = list(dict.fromkeys(items["panel"]))
    per = 1.25 if narrow else 0.5                      # a phone row: its label and verdict written above it
    heights = [max(1.2, per * (items["panel"] == p).sum() + 0.9) for p in panels]
    fig, axes = plt.subplots(len(panels), 1, figsize=(_W["w"], min(sum(heights) + 1.0, 16 * (1.6 if narrow else 1))),
                             gridspec_kw={"height_ratios": heights}, squeeze=False)
    for ax, panel in zip(axes[:, 0], panels):
        sub = items[items["panel"] == panel].reset_index(drop=True)
        n = len(sub)
        ys = np.arange(n)[::-1]
        allv, bands = _claims_panel_rows(ax, sub, ys)
        verdicts = [f"{VERDICT_STYLE.get(r.get('verdict'), (None, None, ''))[2]} "
                    f"{r.get('verdict_label', r.get('verdict', ''))}".strip() for _, r in sub.iterrows()]
        if narrow:  # label and verdict above the row, across the whole width
            _row_labels(ax, {f"{r['label']} · {v}": y for (_, r), v, y in zip(sub.iterrows(), verdicts, ys)},
                        above_pt=14)
        else:
            ax.set_yticks(ys, [_wrap(f"{r['label']}", 40) for _, r in sub.iterrows()], fontsize=11)
            for y, v in zip(ys, verdicts):  # verdict symbol + label on the right margin
                ax.text(1.01, y, v, transform=ax.get_yaxis_transform(), va="center", fontsize=11, color="#222222")
        _claims_panel_axis(ax, allv, bands, bool(sub["log"].iloc[0]) if "log" in sub else False)
        ax.set_ylim(-0.7, n - 0.3 + (0.5 if narrow else 0))
        ax.set_xlabel(panel)
    _legend_above(axes[0, 0], _claims_handles(items), title, ncol=2)
    _caption(fig, caption, width=44 if narrow else 120)
    fig.tight_layout()
    if not narrow:
        fig.subplots_adjust(right=0.78)
    for ax in axes[:, 0]:  # once laid out: no two tick labels touch ("10,000,000" ran into "20,000,000")
        drop_touching_ticks(ax, priority=())
    return fig


def _claims_handles(items: pd.DataFrame) -> list:
    """The claims chart's legend: claimed, the wording's range, and one entry per verdict marker drawn
    (so the "×" of a contradicted figure is in the legend)."""
    from matplotlib.lines import Line2D

    handles = [Line2D([], [], marker="D", mfc="white", mec="#222222", ls="none", label="claimed"),
               Line2D([], [], color="#9E9E9E", lw=6, alpha=0.45, label="range the wording admits")]
    # the recomputed figure with its 95% CI, its marker and colour giving the verdict
    drawn = set(items.loc[pd.to_numeric(items["value"], errors="coerce").notna(), "verdict"])
    for v, (colour, marker, sym) in VERDICT_STYLE.items():
        if v in drawn:
            label = items.loc[items["verdict"] == v, "verdict_label"].iloc[0] if "verdict_label" in items else v
            handles.append(Line2D([], [], marker=marker, color=colour, mec="#222222", ls="-", lw=1.3,
                                  label=f"recomputed, {str(label).lower()}"))
    return handles


def response_rates(rows: pd.DataFrame, title: str, caption: str = ""):
    """Response (event) rates with Wilson 95% CIs, by arm.

    ``rows`` columns: ``label`` (study and outcome), ``arm`` ("treat"/"ctrl"),
    ``arm_label``, ``events``, ``n``, ``pct``, ``low``, ``high`` (percent).
    """
    labels = list(dict.fromkeys(rows["label"]))
    fig, ax = _new((0.75 if _W["w"] >= 5 else 1.1) * len(labels) + 1.8)
    ys = {lab: i for i, lab in enumerate(labels[::-1])}
    off = {"treat": 0.15, "ctrl": -0.15} if _W["w"] >= 5 else {"treat": -0.08, "ctrl": -0.36}
    for _, r in rows.iterrows():
        colour, marker = ARM_STYLE.get(r["arm"], (C["grey"], "D"))
        y = ys[r["label"]] + off.get(r["arm"], 0)
        ax.errorbar(r["pct"], y, xerr=[[r["pct"] - r["low"]], [r["high"] - r["pct"]]], fmt=marker,
                    color=colour, mec="#222222", ms=7, capsize=3, elinewidth=1.3)
        if _W["w"] >= 5:  # the counts and the arm, whole (its bracketed detail is in the row label's study)
            arm = re.sub(r"\s*\([^)]*\)", "", str(r["arm_label"])).strip() or str(r["arm_label"])
            ax.text(101, y, f"{int(r['events'])} of {int(r['n'])} {arm}", va="center", fontsize=11,
                    transform=ax.transData)
    _row_labels(ax, ys, 34, above_pt=None if _W["w"] >= 5 else 8)   # phone: just above its own row's marks
    ax.set_ylim(-0.6, len(labels) - 0.4 + (0.6 if _W["w"] < 5 else 0))
    ax.set_xlim(0, 100)
    ax.set_xlabel("participants with the outcome (%, Wilson 95% CI)")
    from matplotlib.lines import Line2D

    _legend_above(ax, [Line2D([], [], marker="o", color=C["blue"], mec="#222222", ls="none", label="ketamine arm"),
                       Line2D([], [], marker="s", color=C["orange"], mec="#222222", ls="none", label="control arm")],
                  title, ncol=2)
    _caption(fig, caption)
    fig.tight_layout()
    if _W["w"] >= 5:
        fig.subplots_adjust(right=0.68)
    return fig


def nnt_chart(items: pd.DataFrame, title: str, caption: str = "", max_icons: int = 40):
    """NNT/NNH as icon arrays: "treat N people for one more to benefit (or be harmed)".

    ``items`` columns: ``label``, ``value`` (NNT or NNH, may be inf/NaN),
    ``low``/``high`` (CI or NaN), ``role`` ("claimed" / "evidence"), ``kind``
    ("NNT"/"NNH"). Each row draws ceil(value) person icons with one filled.
    """
    n = len(items)
    fig, ax = _new(0.6 * n + 1.8)
    ys = np.arange(n)[::-1]
    for y, (_, r) in zip(ys, items.iterrows()):
        v = r.get("value")
        harm = str(r.get("kind", "NNT")).upper() in ("NNH", "NNTH")
        fill = C["vermillion"] if harm else C["bluish_green"]
        marker = "^" if harm else "o"
        if _finite(v) and float(v) > 0:
            k = int(math.ceil(float(v) - 1e-9))
            shown = min(k, max_icons)
            xs = np.arange(1, shown + 1)
            ax.scatter(xs[1:], [y] * (shown - 1), s=70, marker=marker, facecolor="white", edgecolor="#555555",
                       linewidth=1, zorder=2)
            ax.scatter([1], [y], s=90, marker=marker, facecolor=fill, edgecolor="#222222", linewidth=1, zorder=3)
            more = f" … ({k} in all)" if k > shown else ""
            ci = ""
            if _finite(r.get("low")) and _finite(r.get("high")):
                ci = f" (95% CI {float(r['low']):.3g} to {float(r['high']):.3g})"
            ax.text(shown + 0.8, y, f"1 in {k}{more}{ci}", va="center", fontsize=11)
        else:
            note = r.get("note") if isinstance(r.get("note"), str) and r.get("note") else \
                "not estimable (no difference between the arms)"
            ax.text(1, y, note, va="center", fontsize=11, color="#444444", style="italic")
    ax.set_yticks(ys, [_wrap(f"{r['label']}", 40) for _, r in items.iterrows()], fontsize=11)
    finite = [float(v) for v in items["value"] if _finite(v) and float(v) > 0]
    right = min(max(finite + [5]), max_icons) + 12
    ax.set_xlim(0, right)
    ax.set_ylim(-0.8, n - 0.2)
    ax.set_xlabel("people treated; the filled icon is the one extra who benefits (●) or is harmed (▲)")
    ax.grid(False)
    ax.set_title(title)
    _caption(fig, caption)
    fig.tight_layout()
    return fig


def _prevalence_axis(ax, rows: pd.DataFrame, style: Mapping[str, tuple[str, str]], xlabel: str) -> None:
    groups = list(dict.fromkeys(rows["group"]))
    ys = {g: i for i, g in enumerate(groups[::-1])}
    for g in groups:
        sub = rows[rows["group"] == g]
        surveys = sub[sub["kind"] == "survey"]
        claims = sub[sub["kind"] == "claim"]
        k = len(surveys)
        for j, (_, r) in enumerate(surveys.iterrows()):
            colour, marker = style[r["who"]]
            y = ys[g] + (0.1 if _W["w"] < 5 else 0.15) + (j - (k - 1) / 2) * 0.17
            ax.plot(r["value"], y, marker=marker, color=colour, mec="#222222", ms=9, ls="none", zorder=3)
            ax.annotate(f"{r['value']:g}%", (r["value"], y), xytext=(7, 0), textcoords="offset points",
                        va="center", fontsize=11)
        for _, r in claims.iterrows():
            y = ys[g] - (0.12 if _W["w"] < 5 else 0.22)
            if _finite(r.get("low")) and _finite(r.get("high")):
                ax.plot([r["low"], r["high"]], [y, y], color=C["vermillion"], alpha=0.35, lw=5,
                        solid_capstyle="butt")
            ax.plot(r["value"], y, marker="D", mfc="white", mec=C["vermillion"], mew=1.8, ms=9, ls="none", zorder=3)
    _row_labels(ax, ys)
    vals = pd.to_numeric(rows["value"], errors="coerce").dropna()
    ax.set_xlim(0, max(vals.max() * 1.2, 5) if len(vals) else 40)
    ax.set_ylim(-0.7, len(groups) - 0.4 + (0.45 if _W["w"] < 5 else 0))
    ax.set_xlabel(xlabel)


def prevalence_chart(rows: pd.DataFrame, title: str, caption: str = ""):
    """Prevalence as printed by surveys/fact sheets against the figure an article claims.

    ``rows`` columns: ``group`` (row label, e.g. "GAD · past year"),
    ``who`` (e.g. "NIMH (NCS-R 2001-2003)"), ``kind`` ("survey" or "claim"),
    ``value`` (percent), optional ``low``/``high`` (the claim's admitted range,
    percent) and ``region`` ("U.S." or "global"): with both regions the U.S. and
    the global figures are drawn on two separately labelled panels.
    """
    plt = _plt()
    regions = list(dict.fromkeys(rows["region"])) if "region" in rows else [None]
    regions = sorted(regions, key=lambda r: r != "U.S.")
    whos = [w for w in dict.fromkeys(rows.loc[rows["kind"] == "survey", "who"])]
    markers = ["o", "s", "^", "v", "P", "h", "<", ">"]
    colours = [C["blue"], C["bluish_green"], C["reddish_purple"], C["sky_blue"], C["black"], C["yellow"]]
    style = {w: (colours[i % len(colours)], markers[i % len(markers)]) for i, w in enumerate(whos)}
    parts = [rows if r is None else rows[rows["region"] == r] for r in regions]
    narrow = _W["w"] < 5
    heights = [(1.05 if narrow else 0.8) * len(dict.fromkeys(p["group"])) + 1.2 for p in parts]
    wrap_at = 30 if narrow else 40
    lines = [len(textwrap.wrap(w, wrap_at)) or 1 for w in whos] + [2 if narrow else 1]
    legend_h = (0.21 * sum(lines) if narrow else 0.3 * math.ceil(len(lines) / 2)) + 0.9
    fig, axes = plt.subplots(len(parts), 1, figsize=(_W["w"], sum(heights) + legend_h),
                             gridspec_kw={"height_ratios": heights}, squeeze=False)
    words = {"U.S.": ("U.S. surveys", "% of U.S. adults"), "global": ("Global estimates", "% of the world's population"),
             None: ("", "prevalence (%)")}
    for ax, r, part in zip(axes[:, 0], regions, parts):
        panel, xlabel = words.get(r, (str(r), "prevalence (%)"))
        _prevalence_axis(ax, part, style, xlabel)
        if panel:
            ax.set_title(panel, loc="left", fontsize=12, fontweight="bold")
    from matplotlib.lines import Line2D

    handles = [Line2D([], [], marker=style[w][1], color=style[w][0], mec="#222222", ls="none",
                      label="\n".join(textwrap.wrap(w, wrap_at))) for w in whos]
    handles.append(Line2D([], [], marker="D", mfc="white", mec=C["vermillion"], mew=1.8, ls="none",
                          label="\n".join(textwrap.wrap("an article's figure (band: what its wording admits)", wrap_at))))
    top = 1 - legend_h / (sum(heights) + legend_h)
    fig.legend(handles=handles, loc="lower left", bbox_to_anchor=(0.0, top), ncol=1 if narrow else 2, fontsize=11,
               frameon=False)
    fig.suptitle(_wrap(title, 60), x=0.01, ha="left", y=0.995, fontsize=13, fontweight="bold")
    fig.evidence_title = title
    _caption(fig, caption)
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # a layout that cannot be tightened is still drawn; no warning reaches a page
        fig.tight_layout(rect=(0, 0, 1, top - 0.01))
    return fig
