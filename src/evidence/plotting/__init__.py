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

from evidence.plotting.base import *  # noqa: F401,F403
from evidence.plotting.base import (  # noqa: F401 - used by the notebooks' tests and the other modules
    _W, _caption, _figure_title, _finite, _fmt, _legend_above, _log_limits, _log_ticks, _narrow_rows, _new, _plt,
    _row_labels, _wrap,
)
from evidence.plotting.article import *  # noqa: F401,F403
from evidence.plotting.article import _prevalence_axis  # noqa: F401
from evidence.plotting.evidence import *  # noqa: F401,F403
from evidence.plotting.evidence import _fmt2, _num, _timeline_rows  # noqa: F401
from evidence.plotting.html import *  # noqa: F401,F403
from evidence.plotting.html import _cell_text, _explanation_html, _short_url, _MD_SPECIAL  # noqa: F401
