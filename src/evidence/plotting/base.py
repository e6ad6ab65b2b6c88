"""The one chart style of the report, its two widths, SVG output and the helpers every chart uses."""
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

from evidence import fmt, vocab  # noqa: F401 - fmt re-exported: the chart modules format through it
from evidence.plotting.markup import esc, md


STYLE_PATH = Path(__file__).resolve().parent.parent / "evidence.mplstyle"

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
_VERDICT_MARKERS = {"accurate": "o", "accurate_missing_context": "s", "understated": "v", "misattributed": "P",
                    "overstated": "^", "mixed": "h", "unsupported": "X", "unverifiable": "D", "contradicted": "x",
                    "not_checkable": "."}
VERDICT_STYLE: dict[str, tuple[str, str, str]] = {
    code: (v.colour, _VERDICT_MARKERS.get(code, "o"), v.symbol) for code, v in vocab.VERDICTS.items()
    if code != "not_checkable"}

#: treatment / control arm styles (colour, marker)
ARM_STYLE = {"treat": (C["blue"], "o"), "ctrl": (C["orange"], "s")}

FIG_WIDTH = 8.0  # inches: the wide (desktop) rendering; see WIDTHS

#: the two renderings of every chart (inches). SVG text is in points and 1 CSS px = 0.75 pt, so a
#: chart drawn 3.7 in (266 pt) wide shows its 11-pt text at 11 pt when the phone displays it at
#: about 355 px; the wide one (8 in = 768 px) fits a desktop column. :func:`show_chart` draws both.
WIDTHS = {"narrow": 3.7, "wide": 8.0}
#: the breakpoint (CSS px) from which the wide rendering is shown
WIDE_FROM_PX = 700
_W = {"w": FIG_WIDTH}


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
        except Exception:  # noqa: BLE001 pragma: no cover - a GUI-less fallback that never fails setup
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
    kind = path.suffix.lstrip(".").lower() or "svg"
    meta = {"png": {"Software": None}, "svg": {"Date": None, "Creator": None},
            "pdf": {"CreationDate": None, "Producer": None, "Creator": None}}.get(kind)
    fig.savefig(path, format=kind, dpi=dpi, metadata=meta)
    return path


def to_svg(fig) -> bytes:
    """The figure as SVG (text kept as text), with no date or creator that changes between runs.

    Without the draw that renders nothing: with ``savefig.bbox: tight`` matplotlib draws the whole
    figure once with every drawing call disabled, to bring its state up to date, then measures the
    tight box and draws it again for real. Our charts have no layout engine that runs at draw time
    and are laid out (``tight_layout``) before they are saved, so that first pass changes nothing
    the measure reads: the bytes are the same without it (tests/test_plotting.py compares them with
    a plain ``savefig`` for every article chart at both widths) and it was a quarter of the SVG
    output's time (article 000's claims chart, both layouts: 0.30 s of 1.2 s)."""
    buf = io.BytesIO()
    _skip_disabled_draw(fig)
    try:
        fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": None})
    finally:
        fig.__dict__.pop("draw", None)
    return buf.getvalue()


def _skip_disabled_draw(fig) -> None:
    """Make ``fig.draw`` skip a draw whose renderer has its drawing disabled (``_draw_disabled`` sets
    the no-op ``draw_*`` methods on the renderer itself); every real draw runs as before. Only for a
    figure without a layout engine of its own (constrained layout needs that pass)."""
    from matplotlib.layout_engine import PlaceHolderLayoutEngine

    engine = fig.get_layout_engine()
    if engine is not None and not isinstance(engine, PlaceHolderLayoutEngine):
        return
    real = type(fig).draw.__get__(fig)

    def draw(renderer):
        inner = getattr(renderer, "_renderer", None)   # a MixedModeRenderer disables its vector renderer
        if any("draw_path" in getattr(r, "__dict__", {}) for r in (renderer, inner)):
            return None
        return real(renderer)

    fig.draw = draw


def _svg_uri(fig) -> tuple[str, float]:
    """A data URI of the figure's SVG and its natural width in CSS px."""
    data = to_svg(fig)
    m = re.search(rb'<svg[^>]*\swidth="([0-9.]+)pt"', data)
    width_px = float(m.group(1)) * 4 / 3 if m else 768.0
    return "data:image/svg+xml;base64," + base64.b64encode(data).decode("ascii"), width_px


def figure_html(fig, caption: str | None = None, alt: str | None = None, narrow=None, scroll: bool = False) -> str:
    """An HTML ``<figure>`` with the chart inlined as SVG (offline).

    ``alt`` should state the result the chart shows (default: its title and drawn caption);
    ``caption`` is added as an escaped ``<figcaption>``. With ``narrow`` (a second rendering of
    the same chart for phones) the figure is a ``<picture>``: the narrow SVG below
    :data:`WIDE_FROM_PX`, the wide one from there.
    """
    drawn = getattr(fig, "evidence_caption", "")
    title = alt or ". ".join(x for x in (_figure_title(fig) or "chart", drawn) if x)
    wide_uri, wide_px = _svg_uri(fig)
    cap = f"<figcaption>{html.escape(caption)}</figcaption>" if caption else ""
    alt_attr = html.escape(title, quote=True)
    if scroll:  # a chart that cannot be narrower (a forest plot's table): it scrolls in its own box on phones
        img = (f'<div class="evidence-scroll" style="overflow-x:auto;max-width:100%"><img src="{wide_uri}" '
               f'alt="{alt_attr}" width="{wide_px:.0f}" style="width:{wide_px:.0f}px;max-width:none;height:auto"/>'
               '</div>')
    elif narrow is None:
        img = (f'<img src="{wide_uri}" alt="{alt_attr}" width="{wide_px:.0f}" '
               f'style="width:100%;max-width:{wide_px:.0f}px;height:auto"/>')
    else:
        narrow_uri, narrow_px = _svg_uri(narrow)
        img = (f'<picture><source media="(min-width: {WIDE_FROM_PX}px)" srcset="{wide_uri}"/>'
               f'<img src="{narrow_uri}" alt="{alt_attr}" '
               f'style="width:100%;max-width:{wide_px:.0f}px;height:auto"/></picture>')
    return f'<figure class="evidence-figure" style="margin:1em 0;max-width:100%">{img}{cap}</figure>'


def show(fig, caption: str | None = None, alt: str | None = None, close: bool = True, narrow=None,
         scroll: bool = False) -> None:
    """Display a figure in the notebook as an HTML figure (SVG inlined), then close it."""
    from IPython.display import display

    text = alt or ". ".join(x for x in (_figure_title(fig), getattr(fig, "evidence_caption", ""), caption or "") if x)
    display({"text/html": figure_html(fig, caption, alt, narrow=narrow, scroll=scroll), "text/plain": text}, raw=True)
    if close:
        _plt().close(fig)
        if narrow is not None:
            _plt().close(narrow)


def draw(chart, *args, width: str = "wide", **kw):
    """Draw ``chart(*args, **kw)`` at one of :data:`WIDTHS` ("narrow" for phones, "wide")."""
    import warnings

    old = _W["w"]
    _W["w"] = WIDTHS[width]
    try:
        with warnings.catch_warnings():
            # matplotlib still draws a layout it cannot tighten fully; its warning (with this file's
            # path) must not reach a reader's page
            warnings.filterwarnings("ignore", message="Tight layout not applied")
            return chart(*args, **kw)
    finally:
        _W["w"] = old


def show_chart(chart, *args, alt: str | None, caption: str | None = None, phone: bool = True, **kw) -> None:
    """Draw a chart twice (phone and desktop widths) and display both as one responsive figure.

    ``alt`` states the result the chart shows (None: its title and drawn caption); ``caption``
    (HTML-escaped) says how to read it. ``phone=False``: the desktop rendering only, as
    ``show(chart(...))`` shows it, but through this function, so that a build's kernel keeps it
    (:mod:`evidence.report.chartmemo`) and a page executed again does not draw it again."""
    wide = draw(chart, *args, width="wide", **kw)
    narrow = draw(chart, *args, width="narrow", **kw) if phone else None
    show(wide, caption=caption, alt=alt, narrow=narrow)


def load_note(db) -> None:
    """Say so when the data did not validate (the page then uses what could be read)."""
    issues = getattr(db, "load_issues", None)
    if issues:
        from IPython.display import display

        display(md(f"**Note:** the data do not validate yet ({len(issues)} problem{'s' if len(issues) != 1 else ''}; "
                   f"first: {esc(issues[0])}). What follows uses what could be read."))


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
        fig.text(0.01, 0.005, text, ha="left", va="top", fontsize=11, color="#444444",
                 transform=fig.transFigure)


def _legend_above(ax, handles, title: str, ncol: int, fontsize: float = 11) -> None:
    """Legend in rows above the axes, and the axes title above the legend."""
    if _W["w"] < 5:
        ncol = 1
    if handles:
        ax.legend(handles=handles, loc="lower left", bbox_to_anchor=(0, 1.0), ncol=ncol, fontsize=fontsize,
                  borderaxespad=0.3)
    rows = math.ceil(len(handles) / max(ncol, 1)) if handles else 0
    ax.set_title(_wrap(title, 60), pad=8 + 19 * rows)


def _new(nrows_height: float, min_h: float = 2.6, max_h: float = 14.0, **kw):
    plt = _plt()
    narrow = _W["w"] < 5
    h = float(min(max(nrows_height * (1.5 if narrow else 1.0), min_h), max_h * (1.6 if narrow else 1.0)))
    return plt.subplots(figsize=(_W["w"], h), **kw)


def _wrap(label: str, width: int = 38) -> str:
    """Wrap a label; at the narrow rendering, to fewer characters."""
    if _W["w"] < 5:
        width = max(14, int(width * 0.55))
    return "\n".join(textwrap.wrap(str(label), width=width)) or str(label)


def _row_labels(ax, ys: Mapping[str, float], width: int = 30, above_pt: float | None = None) -> None:
    """Row labels: y tick labels on the desktop rendering; on the phone rendering, written above each
    row across the whole width, so that the plot keeps the width and no label is squeezed (0.32 of a
    row above it, or ``above_pt`` points above its marks: close to its own row, whatever the row height)."""
    if _W["w"] >= 5:
        ax.set_yticks(list(ys.values()), [_wrap(k, width) for k in ys], fontsize=11)
        return
    from matplotlib.transforms import blended_transform_factory

    ax.set_yticks([])
    tr = blended_transform_factory(ax.transAxes, ax.transData)
    for lab, y in ys.items():
        text = "\n".join(textwrap.wrap(str(lab), 38)) or str(lab)
        if above_pt is None:
            ax.text(0.0, y + 0.32, text, transform=tr, ha="left", va="bottom", fontsize=11, color="#222222")
        else:
            ax.annotate(text, (0.0, y), xycoords=tr, xytext=(0, above_pt), textcoords="offset points", ha="left",
                        va="bottom", fontsize=11, color="#222222")


def drop_touching_ticks(ax, pad_px: float = 12.0, priority: Sequence[str] = ()) -> list[str]:
    """Once the layout is final, keep x tick labels in order of ``priority`` (then left to right), each
    only if it touches none already kept; without a priority, every k-th label, the smallest k that fits.
    Measured on the drawn labels, so "1 month" and "6 months" never run together. Returns the kept
    labels, left to right."""
    fig = ax.figure
    # no draw: get_xticklabels() places the labels and get_window_extent() measures them with the
    # canvas's renderer (the same figures as a full draw, which costs a raster of the whole figure)
    renderer = fig.canvas.get_renderer()
    lo, hi = sorted(ax.get_xlim())
    drawn = [(t, lab.get_text(), lab.get_window_extent(renderer))
             for t, lab in zip(ax.get_xticks(), ax.get_xticklabels())
             if lab.get_text() and lab.get_visible() and lo <= t <= hi]   # ticks outside the view are not drawn
    kept: list[tuple[float, str, object]] = []
    if not priority:  # evenly spaced ticks stay evenly spaced: every k-th, the smallest k that fits
        drawn.sort(key=lambda d: d[0])
        for k in range(1, len(drawn) + 1):
            kept = drawn[::k]
            if all(b[2].x0 >= a[2].x1 + pad_px for a, b in zip(kept, kept[1:])):
                break
    else:
        rank = {s: i for i, s in enumerate(priority)}
        for t, text, box in sorted(drawn, key=lambda d: (rank.get(d[1], len(rank)), d[0])):
            if all(box.x0 >= k.x1 + pad_px or box.x1 <= k.x0 - pad_px for _, _, k in kept):
                kept.append((t, text, box))
        kept.sort(key=lambda k: k[0])
    limits = ax.get_xlim()
    ax.set_xticks([t for t, _, _ in kept], [s for _, s, _ in kept])
    ax.set_xlim(limits)                                # set_xticks may widen the view; keep it as laid out
    return [s for _, s, _ in kept]


def _narrow_rows(n_rows: int, lines: int = 2) -> float:
    """Figure height (inches) of ``n_rows`` rows on the phone rendering, each with its label above."""
    return n_rows * (0.45 + 0.19 * lines) + 1.6


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
