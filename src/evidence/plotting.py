"""Charts and HTML presentation helpers for the evidence notebooks.

Every chart function takes a tidy :class:`pandas.DataFrame` (built by
:mod:`evidence.analyses`) and returns a :class:`matplotlib.figure.Figure`
that carries an axes title, axis labels with units, confidence intervals where
the data have them and a caption naming the source (drawn under the plot and
kept as ``fig.evidence_caption`` for :func:`show`).

Conventions

* One style: :func:`setup` applies ``evidence.mplstyle`` (9 in at 100 dpi,
  i.e. the report's 900 px width) and the Agg backend.
* Colour-vision safe: the Okabe–Ito palette, and nothing is encoded by colour
  alone. Verdicts, arms, designs and populations each get a marker *and* a
  colour, and most points carry a text label.
* Deterministic output: PNGs are written without the ``Software`` chunk (PNG
  has no timestamp otherwise); SVG ids use a fixed salt; ``SOURCE_DATE_EPOCH``
  pins PDF/SVG dates.
* Nothing drawn on an empty frame: callers check :func:`has_data` and say in a
  sentence why a chart is skipped (:func:`nothing_to_show`).
* All text that comes from data is escaped before it goes into HTML
  (:func:`html_table`, :func:`show`).
"""
from __future__ import annotations

import base64
import html
import io
import math
import os
import re
import textwrap
from pathlib import Path
from typing import Iterable, Mapping, Sequence

import numpy as np
import pandas as pd

STYLE_PATH = Path(__file__).with_name("evidence.mplstyle")

#: Okabe & Ito (2008) colour-universal-design palette
OKABE_ITO = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
    "grey": "#8C8C8C",
}
C = OKABE_ITO

#: verdict -> (colour, matplotlib marker, text symbol). The symbol repeats the
#: verdict in words-free form so that the scorecard never relies on colour.
VERDICT_STYLE: dict[str, tuple[str, str, str]] = {
    "accurate": (C["bluish_green"], "o", "✓"),
    "accurate_missing_context": (C["sky_blue"], "s", "◐"),
    "understated": (C["yellow"], "v", "▽"),
    "misattributed": (C["reddish_purple"], "P", "≠"),
    "overstated": (C["orange"], "^", "▲"),
    "mixed": (C["blue"], "d", "±"),
    "unsupported": (C["grey"], "X", "?"),
    "unverifiable": ("#BBBBBB", "D", "∅"),
    "contradicted": (C["vermillion"], "x", "✗"),
}

#: treatment / control arm styles (colour, marker)
ARM_STYLE = {"treat": (C["blue"], "o"), "ctrl": (C["orange"], "s")}

FIG_WIDTH = 9.0  # inches: 900 px at 100 dpi


# --------------------------------------------------------------------------- #
# Setup and output
# --------------------------------------------------------------------------- #
def setup() -> None:
    """Apply the shared style and a non-interactive backend; idempotent.

    Uses Agg unless a non-GUI backend other than the default is already in use
    (so it is safe to call in a kernel, a test or a script, before or after
    ``pyplot`` was imported). Figures are shown explicitly with :func:`show`.
    """
    import matplotlib

    os.environ.setdefault("SOURCE_DATE_EPOCH", "0")
    backend = str(matplotlib.get_backend()).lower()
    if backend != "agg":
        try:
            import matplotlib.pyplot as plt

            plt.switch_backend("Agg")
        except Exception:  # pragma: no cover - a GUI-less fallback that never fails setup
            matplotlib.use("Agg", force=True)
    import matplotlib.pyplot as plt

    plt.style.use(str(STYLE_PATH))


def _plt():
    import matplotlib.pyplot as plt

    return plt


def to_png(fig, dpi: int | None = None) -> bytes:
    """The figure as PNG bytes, with no metadata that changes between runs."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi, metadata={"Software": None})
    return buf.getvalue()


def save(fig, path: str | Path, dpi: int | None = None) -> Path:
    """Write the figure (format from the suffix) with deterministic metadata."""
    path = Path(path)
    fmt = path.suffix.lstrip(".").lower() or "png"
    meta = {"png": {"Software": None}, "svg": {"Date": None, "Creator": None},
            "pdf": {"CreationDate": None, "Producer": None, "Creator": None}}.get(fmt)
    fig.savefig(path, format=fmt, dpi=dpi, metadata=meta)
    return path


def figure_html(fig, caption: str | None = None, alt: str | None = None) -> str:
    """An HTML ``<figure>`` with the PNG inlined (offline).

    The source caption drawn under the chart (``fig.evidence_caption``) is also
    the image's alt text, after the title; a ``caption`` given here is added as
    an escaped ``<figcaption>``.
    """
    drawn = getattr(fig, "evidence_caption", "")
    title = alt or ". ".join(x for x in (_figure_title(fig) or "chart", drawn) if x)
    data = base64.b64encode(to_png(fig)).decode("ascii")
    cap = f"<figcaption>{html.escape(caption)}</figcaption>" if caption else ""
    return (f'<figure class="evidence-figure" style="margin:1em 0;max-width:900px">'
            f'<img src="data:image/png;base64,{data}" alt="{html.escape(title, quote=True)}" '
            f'style="width:100%;height:auto"/>{cap}</figure>')


def show(fig, caption: str | None = None, alt: str | None = None, close: bool = True) -> None:
    """Display a figure in the notebook as an HTML figure (PNG inlined), then close it."""
    from IPython.display import display

    text = ". ".join(x for x in (_figure_title(fig), getattr(fig, "evidence_caption", ""), caption or "") if x)
    display({"text/html": figure_html(fig, caption, alt), "text/plain": text}, raw=True)
    if close:
        _plt().close(fig)


def nothing_to_show(sentence: str) -> None:
    """Say in a sentence why a chart is skipped (instead of drawing empty axes)."""
    from IPython.display import Markdown, display

    display(Markdown(f"*{sentence.strip()}*"))


def has_data(df: pd.DataFrame | None, *columns: str) -> bool:
    """True when ``df`` has at least one row with every named column present and not null."""
    if df is None or len(df) == 0:
        return False
    if not columns:
        return True
    if any(c not in df.columns for c in columns):
        return False
    return bool(df[list(columns)].notna().all(axis=1).any())


def _figure_title(fig) -> str:
    if getattr(fig, "evidence_title", None):
        return fig.evidence_title
    if getattr(fig, "_suptitle", None) is not None and fig._suptitle.get_text():
        return fig._suptitle.get_text()
    for ax in fig.axes:
        t = ax.get_title(loc="left") or ax.get_title()
        if t:
            return t
    return ""


def _caption(fig, caption: str, width: int = 120) -> None:
    """Draw the caption (source line) under the axes and remember it."""
    fig.evidence_caption = caption
    if caption:
        text = "\n".join(textwrap.wrap(caption, width=width))
        fig.text(0.01, 0.005, text, ha="left", va="top", fontsize=8.5, color="#444444",
                 transform=fig.transFigure)


def _legend_above(ax, handles, title: str, ncol: int, fontsize: float = 9) -> None:
    """Legend in rows above the axes, and the axes title above the legend."""
    if handles:
        ax.legend(handles=handles, loc="lower left", bbox_to_anchor=(0, 1.0), ncol=ncol, fontsize=fontsize,
                  borderaxespad=0.3)
    rows = math.ceil(len(handles) / max(ncol, 1)) if handles else 0
    ax.set_title(title, pad=8 + 17 * rows)


def _new(nrows_height: float, min_h: float = 2.6, max_h: float = 14.0, **kw):
    plt = _plt()
    h = float(min(max(nrows_height, min_h), max_h))
    return plt.subplots(figsize=(FIG_WIDTH, h), **kw)


def _wrap(label: str, width: int = 38) -> str:
    return "\n".join(textwrap.wrap(str(label), width=width)) or str(label)


def _fmt(x: float | None, digits: int = 3) -> str:
    if x is None or (isinstance(x, float) and not math.isfinite(x)):
        return "–"
    return f"{x:.{digits}g}"


def _log_ticks(ax, lo: float, hi: float, axis: str = "x") -> None:
    from matplotlib.ticker import FixedLocator, NullFormatter, NullLocator

    cands = (0.001, 0.01, 0.03, 0.1, 0.3, 1, 3, 10, 30, 100, 300, 1000, 3000, 10000)
    if hi / lo > 2000:
        cands = (0.0001, 0.001, 0.01, 0.1, 1, 10, 100, 1000, 10000, 100000)
    ticks = [t for t in cands if lo <= t <= hi]
    if len(ticks) < 2:
        return
    loc = FixedLocator(ticks)
    labels = [f"{t:g}" for t in ticks]
    if axis == "x":
        ax.xaxis.set_major_locator(loc)
        ax.xaxis.set_minor_locator(NullLocator())
        ax.set_xticks(ticks, labels)
        ax.xaxis.set_minor_formatter(NullFormatter())
    else:
        ax.yaxis.set_major_locator(loc)
        ax.yaxis.set_minor_locator(NullLocator())
        ax.set_yticks(ticks, labels)


def _log_limits(values: Iterable[float], pad: float = 1.6) -> tuple[float, float]:
    v = [float(x) for x in values if x is not None and np.isfinite(x) and x > 0]
    if not v:
        return 0.1, 10.0
    return min(v) / pad, max(v) * pad


def _finite(x) -> bool:
    try:
        return x is not None and math.isfinite(float(x))
    except (TypeError, ValueError):
        return False


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
        ax.text(v + 0.15, yi, f"{v}", va="center", fontsize=10)
    ax.set_yticks(y, [f"{VERDICT_STYLE[k][2]}  {labels.get(k, k)}" for k in keys])
    ax.set_xlabel("claims (count)")
    from matplotlib.ticker import MaxNLocator

    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlim(0, max(vals + [1]) * 1.15 + 0.5)
    ax.set_title(title)
    _caption(fig, caption)
    fig.tight_layout()
    return fig


def claims_vs_evidence(items: pd.DataFrame, title: str, caption: str = ""):
    """Dumbbell chart: what each claim says against what the evidence recomputes.

    ``items`` columns: ``label`` (row label), ``panel`` (one panel per scale,
    e.g. "Prevalence (%)"), ``log`` (bool, per panel), ``claimed_value``,
    ``claimed_low``/``claimed_high`` (the range the wording admits, may be
    null or infinite), ``value``/``low``/``high`` (recomputed estimate and CI)
    and ``verdict``.
    """
    plt = _plt()
    panels = list(dict.fromkeys(items["panel"]))
    heights = [max(1.2, 0.5 * (items["panel"] == p).sum() + 0.9) for p in panels]
    fig, axes = plt.subplots(len(panels), 1, figsize=(FIG_WIDTH, min(sum(heights) + 1.0, 16)),
                             gridspec_kw={"height_ratios": heights}, squeeze=False)
    for ax, panel in zip(axes[:, 0], panels):
        sub = items[items["panel"] == panel].reset_index(drop=True)
        log = bool(sub["log"].iloc[0]) if "log" in sub else False
        n = len(sub)
        ys = np.arange(n)[::-1]
        allv = []
        bands = []
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
        ax.set_yticks(ys, [_wrap(f"{r['label']}", 40) for _, r in sub.iterrows()], fontsize=9)
        # verdict symbol + label on the right margin
        for y, (_, r) in zip(ys, sub.iterrows()):
            colour, marker, sym = VERDICT_STYLE.get(r.get("verdict"), (C["grey"], "o", ""))
            ax.text(1.01, y, f"{sym} {r.get('verdict_label', r.get('verdict', ''))}", transform=ax.get_yaxis_transform(),
                    va="center", fontsize=8.5, color="#222222")
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

            ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _: f"{x:,.0f}" if abs(x) >= 1000 else f"{x:g}"))
        left, right = ax.get_xlim()
        for yb, a, b in bands:
            a_, b_ = (a if a is not None else left), (b if b is not None else right)
            ax.plot([a_, b_], [yb, yb], color="#9E9E9E", lw=6, alpha=0.45, solid_capstyle="butt", zorder=1)
            if a is None or b is None:
                ax.annotate("", xy=(left if a is None else right, yb), xytext=(a_ if a is None else b_, yb),
                            arrowprops=dict(arrowstyle="-|>", color="#9E9E9E", lw=0, mutation_scale=12))
        ax.set_xlim(left, right)
        ax.set_ylim(-0.7, n - 0.3)
        ax.set_xlabel(panel)
    from matplotlib.lines import Line2D

    handles = [Line2D([], [], marker="D", mfc="white", mec="#222222", ls="none", label="claimed"),
               Line2D([], [], color="#9E9E9E", lw=6, alpha=0.45, label="range the wording admits"),
               Line2D([], [], marker="o", color="#222222", ls="-", lw=1.3, label="recomputed (95% CI)")]
    _legend_above(axes[0, 0], handles, title, ncol=3)
    _caption(fig, caption)
    fig.tight_layout()
    fig.subplots_adjust(right=0.78)
    return fig


def response_rates(rows: pd.DataFrame, title: str, caption: str = ""):
    """Response (event) rates with Wilson 95% CIs, by arm.

    ``rows`` columns: ``label`` (study and outcome), ``arm`` ("treat"/"ctrl"),
    ``arm_label``, ``events``, ``n``, ``pct``, ``low``, ``high`` (percent).
    """
    labels = list(dict.fromkeys(rows["label"]))
    fig, ax = _new(0.75 * len(labels) + 1.8)
    ys = {lab: i for i, lab in enumerate(labels[::-1])}
    off = {"treat": 0.15, "ctrl": -0.15}
    for _, r in rows.iterrows():
        colour, marker = ARM_STYLE.get(r["arm"], (C["grey"], "D"))
        y = ys[r["label"]] + off.get(r["arm"], 0)
        ax.errorbar(r["pct"], y, xerr=[[r["pct"] - r["low"]], [r["high"] - r["pct"]]], fmt=marker,
                    color=colour, mec="#222222", ms=7, capsize=3, elinewidth=1.3)
        ax.text(101, y, f"{int(r['events'])}/{int(r['n'])}  {_wrap(r['arm_label'], 34).splitlines()[0]}",
                va="center", fontsize=8.5, transform=ax.transData)
    ax.set_yticks(list(ys.values()), [_wrap(k, 34) for k in ys], fontsize=9)
    ax.set_ylim(-0.6, len(labels) - 0.4)
    ax.set_xlim(0, 100)
    ax.set_xlabel("participants with the outcome (%, Wilson 95% CI)")
    from matplotlib.lines import Line2D

    _legend_above(ax, [Line2D([], [], marker="o", color=C["blue"], mec="#222222", ls="none", label="ketamine arm"),
                       Line2D([], [], marker="s", color=C["orange"], mec="#222222", ls="none", label="control arm")],
                  title, ncol=2)
    _caption(fig, caption)
    fig.tight_layout()
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
            ax.text(shown + 0.8, y, f"1 in {k}{more}{ci}", va="center", fontsize=9)
        else:
            note = r.get("note") if isinstance(r.get("note"), str) and r.get("note") else \
                "not estimable (no difference between the arms)"
            ax.text(1, y, note, va="center", fontsize=9, color="#444444", style="italic")
    ax.set_yticks(ys, [_wrap(f"{r['label']}", 40) for _, r in items.iterrows()], fontsize=9)
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


def prevalence_chart(rows: pd.DataFrame, title: str, caption: str = ""):
    """Prevalence as printed by surveys/fact sheets against the figure an article claims.

    ``rows`` columns: ``group`` (row label, e.g. "GAD · past year"),
    ``who`` (e.g. "NIMH (NCS-R 2001-2003)", or "article 000-06"),
    ``kind`` ("survey" or "claim"), ``value`` (percent), optional
    ``low``/``high`` (the claim's admitted range, percent).
    """
    groups = list(dict.fromkeys(rows["group"]))
    fig, ax = _new(0.85 * len(groups) + 1.8)
    ys = {g: i for i, g in enumerate(groups[::-1])}
    whos = [w for w in dict.fromkeys(rows.loc[rows["kind"] == "survey", "who"])]
    markers = ["o", "s", "^", "v", "P", "h", "<", ">"]
    colours = [C["blue"], C["bluish_green"], C["reddish_purple"], C["sky_blue"], C["black"], C["yellow"]]
    style = {w: (colours[i % len(colours)], markers[i % len(markers)]) for i, w in enumerate(whos)}
    from matplotlib.lines import Line2D

    handles = []
    for w in whos:
        colour, marker = style[w]
        handles.append(Line2D([], [], marker=marker, color=colour, mec="#222222", ls="none", label=w))
    handles.append(Line2D([], [], marker="D", mfc="white", mec=C["vermillion"], mew=1.8, ls="none",
                          label="article's figure"))
    for g in groups:
        sub = rows[rows["group"] == g]
        surveys = sub[sub["kind"] == "survey"]
        claims = sub[sub["kind"] == "claim"]
        k = len(surveys)
        for j, (_, r) in enumerate(surveys.iterrows()):
            colour, marker = style[r["who"]]
            y = ys[g] + 0.15 + (j - (k - 1) / 2) * 0.17
            ax.plot(r["value"], y, marker=marker, color=colour, mec="#222222", ms=8, ls="none", zorder=3)
            ax.annotate(f"{r['value']:g}%", (r["value"], y), xytext=(7, 0), textcoords="offset points",
                        va="center", fontsize=8)
        for _, r in claims.iterrows():
            y = ys[g] - 0.2
            if _finite(r.get("low")) and _finite(r.get("high")):
                ax.plot([r["low"], r["high"]], [y, y], color=C["vermillion"], alpha=0.35, lw=5,
                        solid_capstyle="butt")
            ax.plot(r["value"], y, marker="D", mfc="white", mec=C["vermillion"], mew=1.8, ms=8, ls="none", zorder=3)
            ax.text(r["value"], y - 0.24, f"{r['value']:g}% ({r['who']})", ha="center", fontsize=8,
                    color="#222222")
    ax.set_yticks(list(ys.values()), [_wrap(g, 32) for g in ys], fontsize=9)
    vals = pd.to_numeric(rows["value"], errors="coerce").dropna()
    ax.set_xlim(0, max(vals.max() * 1.15, 5) if len(vals) else 40)
    ax.set_ylim(-0.7, len(groups) - 0.4)
    ax.set_xlabel("prevalence (% of U.S. adults)")
    _legend_above(ax, handles, title, ncol=2, fontsize=8.5)
    _caption(fig, caption)
    fig.tight_layout()
    return fig


# --------------------------------------------------------------------------- #
# Meta-analysis charts
# --------------------------------------------------------------------------- #
def forest_plot(studies: pd.DataFrame, pooled: Mapping, title: str, caption: str = "",
                measure: str = "OR", labels: tuple[str, str] = ("Ketamine", "Control"),
                published: Mapping | None = None, heterogeneity: str = "", overall: str = "",
                favours: tuple[str, str] = ("Favours control", "Favours ketamine")):
    """A RevMan-style forest plot.

    ``studies`` columns: ``study``, ``events_treat``, ``n_treat``,
    ``events_ctrl``, ``n_ctrl``, ``weight`` (percent), ``estimate``,
    ``ci_low``, ``ci_high``. ``pooled`` has ``label``, ``estimate``,
    ``ci_low``, ``ci_high`` (and optionally ``pi_low``/``pi_high``, drawn as a
    dashed line under the diamond). ``published`` (optional): the printed
    estimate, drawn as an open diamond. ``heterogeneity`` and ``overall`` are
    the two summary lines under the table.
    """
    from matplotlib.transforms import blended_transform_factory

    plt = _plt()
    k = len(studies)
    n_rows = k + 2 + (1 if published else 0)          # header, studies, total, published
    row_in = 0.42
    top_in, bottom_in = 0.5, 1.5
    height = top_in + bottom_in + row_in * n_rows
    fig = plt.figure(figsize=(FIG_WIDTH, height))
    x0, x1 = 0.515, 0.765                               # the plot column, in figure fraction
    ax = fig.add_axes([x0, bottom_in / height, x1 - x0, row_in * n_rows / height])
    log = measure.upper() in ("OR", "RR")
    ax.set_ylim(-0.5, n_rows - 0.5)
    y_head = n_rows - 1
    ys = [n_rows - 2 - i for i in range(k)]
    y_tot = n_rows - 2 - k
    y_pub = y_tot - 1 if published else None
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
    ax.set_xlabel(f"{measure}, 95% CI{' (log scale)' if log else ''}", fontsize=10)
    ax.annotate(f"← {favours[0]}", xy=(0.49, 0), xycoords="axes fraction", xytext=(0, -42),
                textcoords="offset points", ha="right", va="top", fontsize=8.5)
    ax.annotate(f"{favours[1]} →", xy=(0.51, 0), xycoords="axes fraction", xytext=(0, -42),
                textcoords="offset points", ha="left", va="top", fontsize=8.5)
    tr = blended_transform_factory(fig.transFigure, ax.transData)

    def put(xfig, y, s, **kw):
        fig.text(xfig, y, s, transform=tr, va="center", fontsize=kw.pop("fontsize", 9), **kw)

    def cnt(e, n):
        return f"{int(e)}/{int(n)}" if _finite(e) and _finite(n) else "–"

    def ci(est, lo, hi):
        return f"{_fmt2(est)} [{_fmt2(lo)}, {_fmt2(hi)}]"

    bold = dict(fontweight="bold")
    put(0.01, y_head, "Study", **bold)
    put(0.215, y_head, f"{labels[0]}\nEvents / Total", ha="center", **bold)
    put(0.335, y_head, f"{labels[1]}\nEvents / Total", ha="center", **bold)
    put(0.455, y_head, "Weight", ha="right", **bold)
    put(0.775, y_head, f"{measure} [95% CI]", **bold)
    for y, (_, r) in zip(ys, studies.iterrows()):
        put(0.01, y, _wrap(str(r["study"]), 26))
        put(0.215, y, cnt(r.get("events_treat"), r.get("n_treat")), ha="center")
        put(0.335, y, cnt(r.get("events_ctrl"), r.get("n_ctrl")), ha="center")
        put(0.455, y, f"{float(r['weight']):.1f}%", ha="right")
        put(0.775, y, ci(_num(r.get("estimate")), _num(r.get("ci_low")), _num(r.get("ci_high"))))
    sums = {c: (studies[c].sum() if c in studies else math.nan)
            for c in ("events_treat", "n_treat", "events_ctrl", "n_ctrl")}
    put(0.01, y_tot, _wrap(str(pooled.get("label", "Total (95% CI)")), 30), **bold)
    put(0.215, y_tot, cnt(sums["events_treat"], sums["n_treat"]), ha="center", **bold)
    put(0.335, y_tot, cnt(sums["events_ctrl"], sums["n_ctrl"]), ha="center", **bold)
    put(0.455, y_tot, "100.0%", ha="right", **bold)
    put(0.775, y_tot, ci(float(pooled["estimate"]), float(pooled["ci_low"]), float(pooled["ci_high"])), **bold)
    if published:
        put(0.01, y_pub, _wrap(str(published.get("label", "Published")), 34), style="italic")
        put(0.775, y_pub, ci(float(published["estimate"]), float(published["ci_low"]), float(published["ci_high"])),
            style="italic")
    line_y = (bottom_in - 0.95) / height
    for i, s in enumerate(x for x in (heterogeneity, overall) if x):
        fig.text(0.01, line_y - i * 0.22 / height, s, fontsize=8.5, ha="left", va="top")
    fig.text(0.01, 1 - 0.12 / height, title, ha="left", va="top", fontsize=13, fontweight="bold")
    fig.evidence_title = title
    _caption(fig, caption)
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
        ax.text(0.0, y, g, transform=ax.get_yaxis_transform(), fontweight="bold", fontsize=9.5, va="center",
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
            ax.text(1.01, y, txt, transform=ax.get_yaxis_transform(), va="center", fontsize=8.5)
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
    ax.set_yticks(yt, labels, fontsize=8.5)
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
HOURS_TICKS = [(1 / 60, "1 min"), (10 / 60, "10 min"), (1, "1 h"), (4, "4 h"), (12, "12 h"), (24, "1 day"),
               (72, "3 days"), (168, "1 week"), (730.5, "1 month"), (2191.5, "3 months"),
               (4383, "6 months"), (8766, "1 year")]


def time_axis(ax, lo: float, hi: float) -> None:
    """A log time axis in hours labelled in words (1 min … 1 year)."""
    ax.set_xscale("log")
    ticks = [(t, s) for t, s in HOURS_TICKS if lo <= t <= hi]
    ax.set_xlim(lo, hi)
    ax.set_xticks([t for t, _ in ticks], [s for _, s in ticks])
    ax.xaxis.set_minor_locator(__import__("matplotlib").ticker.NullLocator())


def timeline_chart(events: pd.DataFrame, title: str, caption: str = ""):
    """Onset and durability by source on a log time axis.

    ``events`` columns: ``label`` (row: source and design), ``attribute``
    ("onset" or "durability" or "claim"), ``hours``, optional
    ``hours_low``/``hours_high`` (a range), ``short`` (annotation, e.g. "7 days").
    """
    labels = list(dict.fromkeys(events["label"]))
    fig, ax = _new(0.55 * len(labels) + 2.0)
    ys = {lab: i for i, lab in enumerate(labels[::-1])}
    style = {"onset": (C["blue"], ">", "first effect reported"),
             "durability": (C["orange"], "s", "effect still present (last reported)"),
             "claim": (C["vermillion"], "D", "article's claim")}
    allh = []
    for lab in labels:
        sub = events[events["label"] == lab]
        y = ys[lab]
        on = sub.loc[sub["attribute"] == "onset", "hours"]
        du = sub.loc[sub["attribute"] == "durability", "hours"]
        if len(on) and len(du):
            ax.plot([on.min(), du.max()], [y, y], color="#AAAAAA", lw=3, alpha=0.6, zorder=1)
        for _, r in sub.iterrows():
            colour, marker, _ = style.get(r["attribute"], (C["grey"], "o", r["attribute"]))
            lo, hi = r.get("hours_low"), r.get("hours_high")
            if _finite(lo) and _finite(hi):
                ax.plot([lo, hi], [y, y], color=colour, lw=2, zorder=2)
                allh += [float(lo), float(hi)]
            ax.plot(r["hours"], y, marker=marker, color=colour if r["attribute"] != "claim" else "white",
                    mec=colour if r["attribute"] == "claim" else "#222222", mew=1.6, ms=9, ls="none", zorder=3)
            allh.append(float(r["hours"]))
            note = r.get("short") if isinstance(r.get("short"), str) and r.get("short") else None
            if note:
                ax.text(r["hours"], y + 0.24, note, fontsize=8, ha="center")
    from matplotlib.lines import Line2D

    present = [a for a in style if a in set(events["attribute"])]
    handles = [Line2D([], [], marker=style[a][1], color=style[a][0] if a != "claim" else "white",
                      mec=style[a][0] if a == "claim" else "#222222", ls="none", label=style[a][2])
               for a in present]
    time_axis(ax, min(allh + [1]) / 2.5, max(allh + [24]) * 2.5)
    ax.set_yticks(list(ys.values()), [_wrap(k, 36) for k in ys], fontsize=9)
    ax.set_ylim(-0.7, len(labels) - 0.3)
    ax.set_xlabel("time after dosing (log scale)")
    _legend_above(ax, handles, title, ncol=3)
    _caption(fig, caption)
    fig.tight_layout()
    return fig


DESIGN_ORDER = ["meta_analysis", "systematic_review", "parallel_rct", "crossover_rct", "open_label", "single_arm",
                "prospective_cohort", "retrospective", "narrative_review", "survey", "fact_sheet", "label",
                "regulatory_notice", "other"]
DESIGN_LABEL = {"meta_analysis": "meta-analysis", "systematic_review": "systematic review",
                "parallel_rct": "parallel RCT", "crossover_rct": "crossover RCT", "open_label": "open-label",
                "single_arm": "single-arm", "prospective_cohort": "prospective cohort",
                "retrospective": "retrospective", "narrative_review": "narrative review", "survey": "survey",
                "fact_sheet": "fact sheet", "label": "drug label", "regulatory_notice": "regulatory notice",
                "other": "other"}
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
    fig, ax = _new(0.42 * len(studies) + 2.0)
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
        n = f"n={int(r0['n'])}" if _finite(r0.get("n")) else "n not reported"
        design = DESIGN_LABEL.get(r0.get("design"), str(r0.get("design") or ""))
        note = f" {r0['note']}" if isinstance(r0.get("note"), str) and r0["note"] else ""
        ticks.append((y, f"{lab} · {route}{note}\n{design}, {n}, {r0.get('population_group', '')}"))
    for route in order[:-1]:  # a dotted line between route groups
        lowest = min(y for (r, _), y in ys.items() if r == route)
        ax.axhline(lowest - 0.5, color="#999999", lw=0.6, ls=":")
    from matplotlib.lines import Line2D

    h = [Line2D([], [], marker=ROUTE_STYLE.get(r, "o"), color="#777777", mec="#222222", ls="none", label=r)
         for r in order]
    pops = list(dict.fromkeys(rows["population_group"]))
    h += [Line2D([], [], marker="o", color=POPULATION_STYLE.get(p, (C["grey"], "o"))[0], mec="#222222", ls="none",
                 label=p) for p in pops]
    ax.set_yticks([t[0] for t in ticks], [t[1] for t in ticks], fontsize=8.5)
    ax.set_ylim(-0.7, len(studies) - 0.3)
    dmax = pd.to_numeric(rows["dose"], errors="coerce").max()
    ax.set_xlim(0, max(1.1, float(dmax) * 1.15 if _finite(dmax) else 1.1))
    ax.set_xlabel("dose per administration (mg/kg body weight)")
    _legend_above(ax, h, title, ncol=min(len(h), 5), fontsize=8.5)
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
        ax.text(max(vals + [0]) * 0 + r["value"] + 1.5, y, f"{r['value']:g}%{note}", va="center", fontsize=8)
    from matplotlib.lines import Line2D

    handles = [Line2D([], [], marker=gstyle[g][1], color=gstyle[g][0], mec="#222222", ls="none", label=g)
               for g in groups]
    ax.axvline(0, color="#222222", lw=0.8)
    ax.set_yticks(ys, [_wrap(x, 40) for x in rows["label"]], fontsize=8.5)
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
    fig, ax = _new(0.55 * len(designs) + 2.4)
    ys = {d: i for i, d in enumerate(designs[::-1])}
    ns = pd.to_numeric(sources["n"], errors="coerce")
    finite = ns[ns > 0]
    lo = 10 ** math.floor(math.log10(finite.min())) / 2 if len(finite) else 1
    hi = 10 ** math.ceil(math.log10(finite.max())) * 1.5 if len(finite) else 10000
    left = lo / 1.3
    with_n = sources[ns > 0].assign(_n=ns[ns > 0]).sort_values("_n")
    counts: dict[str, int] = {}
    for _, r in with_n.iterrows():
        d = r["design"]
        j = counts.get(d, 0)
        counts[d] = j + 1
        y = ys[d] + ((j % 4) - 1.5) * 0.16
        colour, marker = POPULATION_STYLE.get(r.get("population_group"), (C["grey"], "o"))
        ax.plot(float(r["_n"]), y, marker=marker, color=colour, mec="#222222", ms=8, ls="none", zorder=3)
        ax.annotate(str(r.get("label", r["source_id"])), (float(r["_n"]), y), xytext=(6, 0),
                    textcoords="offset points", fontsize=7.5, va="center")
    without = sources[~(ns > 0)]
    for d, g in without.groupby("design", sort=False):
        parts = g["population_group"].value_counts()
        for i, (pop, k) in enumerate(parts.items()):
            colour, marker = POPULATION_STYLE.get(pop, (C["grey"], "o"))
            x = left * (1.9 ** i)
            ax.plot(x, ys[d], marker=marker, mfc="white", mec=colour, mew=1.5, ms=9, ls="none", zorder=3)
            ax.annotate(f"{k}", (x, ys[d]), xytext=(0, 8), textcoords="offset points", fontsize=7.5, ha="center")
    from matplotlib.lines import Line2D

    pops = [p for p in POPULATION_STYLE if p in set(sources["population_group"])]
    h = [Line2D([], [], marker=POPULATION_STYLE[p][1], color=POPULATION_STYLE[p][0], mec="#222222", ls="none",
                label=p) for p in pops]
    h.append(Line2D([], [], marker="o", mfc="white", mec="#555555", ls="none",
                    label="n not reported (left: number of sources)"))
    ax.set_xscale("log")
    ax.set_xlim(left / 1.6, hi * 3)
    _log_ticks(ax, lo, hi * 3)
    ax.axvline(50, color="#555555", lw=0.8, ls=":")
    ax.text(50, len(designs) - 0.45, " n = 50", fontsize=8, color="#555555")
    ax.set_yticks(list(ys.values()), [DESIGN_LABEL.get(d, d) for d in ys])
    ax.set_ylim(-0.7, len(designs) - 0.3)
    ax.set_xlabel("participants (n, log scale)")
    ax.grid(True, axis="both")
    _legend_above(ax, h, title, ncol=3)
    _caption(fig, caption)
    fig.tight_layout()
    return fig


# --------------------------------------------------------------------------- #
# HTML tables
# --------------------------------------------------------------------------- #
TABLE_CSS = ("<style>.ev-table{border-collapse:collapse;font-size:0.9em;margin:0.5em 0;max-width:100%}"
             ".ev-table th,.ev-table td{border:1px solid #ccc;padding:4px 6px;vertical-align:top;text-align:left}"
             ".ev-table th{background:#f3f3f3}.ev-table td.num{text-align:right;white-space:nowrap}"
             ".ev-verdict{white-space:nowrap;font-weight:bold;padding:1px 4px;border-radius:3px}</style>")


_MD_SPECIAL = re.compile(r"([\\`*_\[\]#|~<>])")


def esc(text) -> str:
    """Text from the data, made inert for Markdown *and* HTML (for f-strings in Markdown cells)."""
    return _MD_SPECIAL.sub(r"\\\1", html.escape("" if text is None else str(text), quote=False))


def md(text: str):
    """``IPython.display.Markdown`` of a string whose data parts were passed through :func:`esc`."""
    from IPython.display import Markdown

    return Markdown(text)


def link(url: str, label: str | None = None) -> str:
    """An HTML link to an http(s) URL (anything else is shown as text), both parts escaped."""
    label = html.escape(str(label if label is not None else url))
    u = str(url or "")
    if not re.match(r"^https?://", u):
        return label
    return f'<a href="{html.escape(u, quote=True)}">{label}</a>'


def verdict_badge(verdict: str, label: str | None = None) -> str:
    """An HTML badge: symbol + label on a pale verdict colour (never colour alone)."""
    colour, _, sym = VERDICT_STYLE.get(verdict, (C["grey"], "o", "?"))
    label = label or verdict
    return (f'<span class="ev-verdict" style="border:2px solid {colour};background:{colour}22">'
            f'{html.escape(sym)} {html.escape(str(label))}</span>')


def html_table(df: pd.DataFrame, columns: Sequence[str] | None = None, headers: Mapping[str, str] | None = None,
               raw_html: Iterable[str] = (), numeric: Iterable[str] = (), css: bool = True) -> str:
    """Render a frame as an HTML table; every cell is escaped except ``raw_html`` columns.

    ``raw_html`` columns must already be safe HTML built by this module
    (e.g. :func:`verdict_badge`); nothing from the data goes there unescaped.
    """
    columns = list(columns or df.columns)
    headers = dict(headers or {})
    raw = set(raw_html)
    nums = set(numeric)
    out = [TABLE_CSS if css else "", '<table class="ev-table"><thead><tr>']
    th = ' style="text-align:left;vertical-align:bottom"'
    out += [f"<th{th}>{html.escape(str(headers.get(c, c)))}</th>" for c in columns]
    out.append("</tr></thead><tbody>")
    for _, r in df.iterrows():
        out.append("<tr>")
        for c in columns:
            v = r[c]
            if c in raw:
                cell = "" if v is None else str(v)
            else:
                cell = html.escape(_cell_text(v))
            style = ("text-align:right;white-space:nowrap" if c in nums else "text-align:left") + ";vertical-align:top"
            out.append(f'<td style="{style}">{cell}</td>')
        out.append("</tr>")
    out.append("</tbody></table>")
    return "".join(out)


def _cell_text(v) -> str:
    if v is None:
        return ""
    if isinstance(v, (float, np.floating)):
        v = float(v)
        if not math.isfinite(v):
            return "" if math.isnan(v) else ("∞" if v > 0 else "−∞")
        if v.is_integer():
            return f"{int(v):,}" if abs(v) >= 10000 else f"{int(v)}"
        if abs(v - round(v, 2)) < 1e-9 and abs(v) < 1e7:
            return f"{round(v, 2):,.2f}".rstrip("0").rstrip(".")   # a printed figure: keep its digits
        return f"{v:,.4g}" if abs(v) >= 1 else f"{v:.3g}"
    if isinstance(v, (list, tuple)):
        return "; ".join(_cell_text(x) for x in v)
    try:
        if pd.isna(v):
            return ""
    except (TypeError, ValueError):
        pass
    return str(v)


def claims_html(df: pd.DataFrame) -> str:
    """The article's claims as an HTML table: every text cell escaped, verdicts as badges,
    sources as links (http/https only)."""
    rows = []
    for _, r in df.iterrows():
        srcs = r.get("sources") or []
        if isinstance(srcs, str):
            srcs = [srcs]
        rows.append({
            "claim": f"<b>{html.escape(str(r['claim_id']))}</b><br><small>{html.escape(str(r['claim_type']))}</small>",
            # <bdi>: article text with a right-to-left override cannot reorder the rest of the row
            "quote": f"<q><bdi>{html.escape(str(r['quote']))}</bdi></q>",
            "claimed": html.escape(_cell_text(r.get("claimed"))),
            "recomputed": html.escape(_cell_text(r.get("recomputed"))),
            "verdict": verdict_badge(r["verdict"], r.get("verdict_label")) +
                       f"<br><small>certainty: {html.escape(_cell_text(r.get('certainty')))}</small>",
            "explanation": _explanation_html(_cell_text(r.get("explanation"))),
            "correction": html.escape(_cell_text(r.get("correction"))),
            "sources": "<br>".join(link(u, _short_url(u)) for u in srcs),
        })
    frame = pd.DataFrame(rows, columns=["claim", "quote", "claimed", "recomputed", "verdict", "explanation",
                                        "correction", "sources"])
    headers = {"claim": "Claim", "quote": "Quote (verbatim)", "claimed": "Claimed", "recomputed": "Recomputed",
               "verdict": "Verdict", "explanation": "Why", "correction": "What the evidence supports",
               "sources": "Sources"}
    return html_table(frame, headers=headers, raw_html=frame.columns)


def _explanation_html(text: str) -> str:
    """The deciding reason in full; how it was recomputed and the evidence folded in a <details>."""
    head, sep, rest = text.partition(" Recomputed: ")
    out = html.escape(head)
    if sep:
        out += (f"<details><summary>how it was recomputed</summary><small>Recomputed: {html.escape(rest)}</small>"
                "</details>")
    return out


def _short_url(u: str) -> str:
    u = str(u)
    m = re.match(r"^https?://(?:dx\.)?doi\.org/(.+)$", u)
    if m:
        return f"doi:{m.group(1)}"
    m = re.match(r"^https?://([^/]+)", u)
    return m.group(1) if m else u
