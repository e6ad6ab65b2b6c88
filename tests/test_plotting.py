"""evidence.plotting: every chart has a title, labelled axes and a source caption; output is
deterministic; colour is never the only code; HTML helpers escape what comes from the data (issue #6)."""
from __future__ import annotations

import math
import struct

import matplotlib
import pandas as pd
import pytest

from evidence import plotting as P
from evidence.verdicts import SCALE

P.setup()


def titles_and_labels(fig):
    """Title of the figure (axes title or figure title) and the x/y labels of its axes."""
    title = P._figure_title(fig)
    xlabels = [ax.get_xlabel() for ax in fig.axes]
    return title, xlabels


def assert_chart(fig, title: str, caption: str):
    assert isinstance(fig, matplotlib.figure.Figure)
    t, xlabels = titles_and_labels(fig)
    assert t == title
    assert any(x.strip() for x in xlabels), "an axis label is required"
    assert fig.evidence_caption == caption
    texts = [t.get_text() for t in fig.texts]
    assert any(caption.split()[0] in s for s in texts), "the caption is drawn under the chart"
    # the desktop rendering; a forest plot's table needs a little more
    assert P.FIG_WIDTH <= fig.get_size_inches()[0] <= 8.4
    P._plt().close(fig)


# --------------------------------------------------------------------------- frames

def points():
    return pd.DataFrame([
        {"label": "A-01: ~19.1%", "panel": "percent (%)", "log": False, "claimed_value": 19.1, "claimed_low": 17.1,
         "claimed_high": 21.1, "value": 19.1, "low": None, "high": None, "verdict": "accurate",
         "verdict_label": "Accurate"},
        {"label": "A-02: the majority", "panel": "percent (%)", "log": False, "claimed_value": None,
         "claimed_low": 50.0, "claimed_high": None, "value": 83.3, "low": 55.2, "high": 95.3,
         "verdict": "accurate_missing_context", "verdict_label": "Accurate but missing context"},
        {"label": "A-03: ~28.9 OR", "panel": "odds ratio (OR, log scale)", "log": True, "claimed_value": 28.9,
         "claimed_low": 26.0, "claimed_high": 31.8, "value": 19.24, "low": 0.99, "high": 373.0,
         "verdict": "overstated", "verdict_label": "Overstated"},
        {"label": "A-04: 0-24 hours", "panel": "time (hours, log scale)", "log": True, "claimed_value": None,
         "claimed_low": None, "claimed_high": 24.5, "value": 12.0, "low": None, "high": None,
         "verdict": "accurate", "verdict_label": "Accurate"},
    ])


def rates():
    return pd.DataFrame([
        {"label": "Trial A: response", "arm": "treat", "arm_label": "ketamine", "events": 6, "n": 18, "pct": 33.3,
         "low": 16.3, "high": 56.3},
        {"label": "Trial A: response", "arm": "ctrl", "arm_label": "saline", "events": 0, "n": 18, "pct": 0.0,
         "low": 0.0, "high": 17.6},
        {"label": "Study B: responders", "arm": "treat", "arm_label": "ketamine SC", "events": 10, "n": 12,
         "pct": 83.3, "low": 55.2, "high": 95.3},
    ])


def studies():
    return pd.DataFrame({"study": ["Alpha 2018", "Gamma 2020"], "events_treat": [6, 8], "n_treat": [18, 10],
                         "events_ctrl": [0, 1], "n_ctrl": [18, 10], "weight": [43.1, 56.9],
                         "estimate": [19.24, 36.0], "ci_low": [0.99, 2.72], "ci_high": [373.0, 476.3]})


# --------------------------------------------------------------------------- setup and output

def test_setup_applies_the_shared_style_and_agg():
    P.setup()
    rc = matplotlib.rcParams
    assert matplotlib.get_backend().lower() == "agg"
    assert list(rc["figure.figsize"]) == [9.0, 5.0]
    assert rc["axes.prop_cycle"].by_key()["color"][0].lower() in ("#0072b2", "0072b2")
    assert rc["svg.hashsalt"] == "evidence"
    P.setup()  # idempotent


def test_okabe_ito_and_redundant_verdict_encoding():
    # every verdict the engine gives has a style, and the colours and symbols are the vocabulary's
    # (the same on every page and on the index)
    assert set(SCALE) <= set(P.VERDICT_STYLE)
    from evidence import vocab

    assert all(P.VERDICT_STYLE[v][0] == vocab.VERDICTS[v].colour and P.VERDICT_STYLE[v][2] == vocab.VERDICTS[v].symbol
               for v in P.VERDICT_STYLE)
    markers = [m for _, m, _ in P.VERDICT_STYLE.values()]
    symbols = [s for _, _, s in P.VERDICT_STYLE.values()]
    assert len(set(markers)) == len(markers), "every verdict has its own marker"
    assert len(set(symbols)) == len(symbols), "every verdict has its own symbol"
    okabe = {c.upper() for c in P.OKABE_ITO.values()}
    assert {c.upper() for c, _, _ in P.VERDICT_STYLE.values()} - okabe <= {"#BBBBBB"}


def _png_chunks(data: bytes):
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    i, out = 8, []
    while i < len(data):
        (length,) = struct.unpack(">I", data[i:i + 4])
        kind = data[i + 4:i + 8].decode("ascii")
        out.append((kind, data[i + 8:i + 8 + length]))
        i += 12 + length
    return out


def test_png_is_deterministic_and_has_no_timestamp_or_software():
    a = P.to_png(P.claims_vs_evidence(points(), "t", "Source: x"))
    b = P.to_png(P.claims_vs_evidence(points(), "t", "Source: x"))
    assert a == b
    kinds = [k for k, _ in _png_chunks(a)]
    assert "tIME" not in kinds
    texts = [v for k, v in _png_chunks(a) if k in ("tEXt", "iTXt", "zTXt")]
    assert not any(b"Software" in t or b"Date" in t for t in texts)
    P._plt().close("all")


def test_save_writes_deterministic_svg(tmp_path):
    fig = P.verdict_scorecard({"accurate": 2, "overstated": 1}, {"accurate": "Accurate", "overstated": "Overstated"},
                              "t", "Source: x")
    p1 = P.save(fig, tmp_path / "a.svg")
    p2 = P.save(fig, tmp_path / "b.svg")
    assert p1.read_bytes() == p2.read_bytes()
    assert b"<dc:date>" not in p1.read_bytes()
    P._plt().close(fig)


def _plain_svg(fig) -> bytes:
    import io

    buf = io.BytesIO()
    fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": None})
    return buf.getvalue()


@pytest.mark.parametrize("width", ["wide", "narrow"])
@pytest.mark.parametrize("chart,frame", [(P.claims_vs_evidence, points), (P.response_rates, rates)])
def test_to_svg_skips_only_the_disabled_draw_and_gives_savefigs_bytes(chart, frame, width):
    """to_svg draws the figure once, not twice (the draw with rendering disabled is skipped), and writes
    the very bytes a plain savefig writes, at both widths (a matplotlib whose first pass mattered would
    fail here)."""
    import matplotlib.figure

    a = _plain_svg(P.draw(chart, frame(), "t", "Source: x", width=width))
    fig = P.draw(chart, frame(), "t", "Source: x", width=width)
    calls = []
    real = matplotlib.figure.Figure.draw
    try:
        matplotlib.figure.Figure.draw = lambda self, renderer: (calls.append(1), real(self, renderer))[1]
        b = P.to_svg(fig)
    finally:
        matplotlib.figure.Figure.draw = real
    assert a == b
    assert len(calls) == 1           # a plain savefig with savefig.bbox: tight draws twice
    assert "draw" not in vars(fig)   # the figure is left as it was
    P._plt().close("all")


def test_figure_html_inlines_svg_and_escapes_caption():
    fig = P.verdict_scorecard({"accurate": 1}, {"accurate": "Accurate"}, "Scores <b>", "Source: <script>x</script>")
    h = P.figure_html(fig)
    assert 'src="data:image/svg+xml;base64,' in h
    assert "<script>" not in h and "<figcaption>" not in h  # the drawn caption is not repeated
    assert 'alt="Scores &lt;b&gt;. Source: &lt;script&gt;x&lt;/script&gt;"' in h  # title and source as alt text
    h2 = P.figure_html(fig, caption="Note <i>x</i>")
    assert "<figcaption>Note &lt;i&gt;x&lt;/i&gt;</figcaption>" in h2
    P._plt().close(fig)


def test_show_chart_renders_a_phone_and_a_desktop_svg():
    import base64
    import re

    from IPython.core.interactiveshell import InteractiveShell  # noqa: F401 - display() needs IPython

    wide = P.draw(P.verdict_scorecard, {"accurate": 3}, {"accurate": "Accurate"}, "Scores", width="wide")
    narrow = P.draw(P.verdict_scorecard, {"accurate": 3}, {"accurate": "Accurate"}, "Scores", width="narrow")
    assert wide.get_size_inches()[0] == pytest.approx(P.WIDTHS["wide"])
    assert narrow.get_size_inches()[0] == pytest.approx(P.WIDTHS["narrow"])
    h = P.figure_html(wide, alt="3 claims are accurate", narrow=narrow)
    assert h.count("data:image/svg+xml;base64,") == 2
    assert f'<source media="(min-width: {P.WIDE_FROM_PX}px)"' in h and 'alt="3 claims are accurate"' in h
    # the phone rendering is at most 3.7 in (266 pt = 355 CSS px) wide, so 11-pt text stays 11 pt on a 390-px phone
    svg = base64.b64decode(re.search(r'<img src="data:image/svg\+xml;base64,([^"]+)"', h).group(1))
    width_pt = float(re.search(rb'width="([0-9.]+)pt"', svg).group(1))
    assert width_pt <= P.WIDTHS["narrow"] * 72 + 1
    sizes = [float(x) for x in re.findall(rb"font-size: ?([0-9.]+)px", svg)]  # matplotlib writes pt as px units
    assert sizes and min(sizes) >= 11
    assert b"<dc:date>" not in svg
    P._plt().close(wide)
    P._plt().close(narrow)


def test_show_chart_without_phone_displays_what_show_of_the_chart_displays(monkeypatch):
    """phone=False: one desktop SVG and the alt text from the title and caption, the very output of
    show(chart(...)) (the article page's NNT and prevalence charts, kept by a build's kernels this way)."""
    import IPython.display

    shown = []
    monkeypatch.setattr(IPython.display, "display", lambda obj, raw=False: shown.append(obj))
    P.show(P.response_rates(rates(), "Response by arm", caption="Source: Trial A"))
    P.show_chart(P.response_rates, rates(), "Response by arm", "Source: Trial A", alt=None, phone=False)
    assert len(shown) == 2 and shown[0] == shown[1]
    assert shown[0]["text/html"].count("data:image/svg+xml;base64,") == 1 and "<picture>" not in shown[0]["text/html"]
    assert shown[0]["text/plain"] == "Response by arm. Source: Trial A"
    assert not P._plt().get_fignums()    # both closed


def test_has_data():
    assert not P.has_data(None) and not P.has_data(pd.DataFrame())
    df = pd.DataFrame({"a": [1, None], "b": [None, None]})
    assert P.has_data(df) and P.has_data(df, "a") and not P.has_data(df, "b") and not P.has_data(df, "c")


# --------------------------------------------------------------------------- each chart

def test_verdict_scorecard():
    fig = P.verdict_scorecard({v: i for i, v in enumerate(SCALE)}, {v: l for v, (l, _, _) in SCALE.items()},
                              "Verdicts", "Source: data/claims.csv")
    labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert all(any(P.VERDICT_STYLE[v][2] in lab for lab in labels) for v in SCALE)
    assert_chart(fig, "Verdicts", "Source: data/claims.csv")


def test_claims_vs_evidence_panels_and_log_scales():
    fig = P.claims_vs_evidence(points(), "Claimed against evidence", "Source: Taylor 2018")
    assert len(fig.axes) == 3  # one panel per scale
    scales = {ax.get_xlabel(): ax.get_xscale() for ax in fig.axes}
    assert scales["odds ratio (OR, log scale)"] == "log" and scales["percent (%)"] == "linear"
    assert_chart(fig, "Claimed against evidence", "Source: Taylor 2018")


def test_response_rates():
    fig = P.response_rates(rates(), "Response by arm", "Source: outcomes.csv")
    assert fig.axes[0].get_xlim() == (0, 100)
    assert "Wilson 95% CI" in fig.axes[0].get_xlabel()
    assert_chart(fig, "Response by arm", "Source: outcomes.csv")


def test_nnt_chart_icons_and_missing_values():
    items = pd.DataFrame([
        {"label": "claimed", "kind": "NNT", "value": 5.0, "low": None, "high": None, "note": ""},
        {"label": "recomputed", "kind": "NNT", "value": 1.43, "low": 1.16, "high": 3.76, "note": ""},
        {"label": "harm", "kind": "NNH", "value": 60.0, "low": None, "high": None, "note": ""},
        {"label": "none", "kind": "NNH", "value": math.nan, "low": None, "high": None,
         "note": "no evidence"},
    ])
    fig = P.nnt_chart(items, "NNT", "Source: x", max_icons=40)
    texts = [t.get_text() for t in fig.axes[0].texts]
    assert "1 in 5" in texts and any(t.startswith("1 in 2 (95% CI 1.16 to 3.76)") for t in texts)
    assert any("60 in all" in t for t in texts) and "no evidence" in texts
    assert_chart(fig, "NNT", "Source: x")


def test_prevalence_chart():
    rows = pd.DataFrame([
        {"group": "GAD · past year", "who": "NIMH (NCS-R, data 2001-2003)", "kind": "survey", "value": 2.7},
        {"group": "GAD · past year", "who": "000-06", "kind": "claim", "value": 2.7, "low": 2.4, "high": 3.0},
        {"group": "GAD · lifetime", "who": "NIMH (NCS-R, data 2001-2003)", "kind": "survey", "value": 5.7},
    ])
    fig = P.prevalence_chart(rows, "Prevalence", "Source: NIMH")
    legend = [t.get_text() for t in fig.legends[0].get_texts()]
    assert "NIMH (NCS-R, data 2001-2003)" in legend and any("an article's figure" in t for t in legend)
    assert_chart(fig, "Prevalence", "Source: NIMH")


def test_forest_plot_revman_columns():
    fig = P.forest_plot(studies(), {"label": "Total (95% CI)", "estimate": 27.47, "ci_low": 3.92, "ci_high": 192.57},
                        "Forest", "Source: trials", published={"label": "Published", "estimate": 28.94,
                                                              "ci_low": 3.45, "ci_high": 242.57},
                        heterogeneity="Heterogeneity: Chi² = 0.10, df = 1 (P = 0.75); I² = 0%",
                        overall="Test for overall effect: Z = 3.33 (P < 0.001)")
    texts = [t.get_text() for t in fig.texts]
    for expected in ("Study", "Weight", "6/18", "0/18", "43.1%", "19.24 [0.99, 373.00]", "27.47 [3.92, 192.57]",
                     "28.94 [3.45, 242.57]", "Heterogeneity: Chi² = 0.10, df = 1 (P = 0.75); I² = 0%",
                     "Test for overall effect: Z = 3.33 (P < 0.001)", "14/28", "1/28"):
        assert any(expected in t for t in texts), expected
    ax = fig.axes[0]
    assert ax.get_xscale() == "log"
    lo, hi = ax.get_xlim()
    assert lo < 1 < hi and lo * hi == pytest.approx(1.0)  # symmetric around no effect
    assert_chart(fig, "Forest", "Source: trials")


def test_forest_plot_phone_rendering_fits_the_width_with_every_figure():
    # review item 12: the forest plot was cut off at 390 px. The phone rendering writes each row's
    # counts, weight and estimate above its mark and keeps the figure at the phone width.
    fig = P.draw(P.forest_plot, studies(), {"label": "Total (fixed effect)", "estimate": 27.47, "ci_low": 3.92,
                                            "ci_high": 192.57},
                 "Treatment response, ketamine against control", "Source: trials", width="narrow",
                 published={"label": "Published", "estimate": 28.94, "ci_low": 3.45, "ci_high": 242.57},
                 overall="Test for overall effect: Z = 3.33 (P < 0.001)")
    assert fig.get_size_inches()[0] == pytest.approx(P.WIDTHS["narrow"])
    ax = fig.axes[0]
    texts = [t.get_text() for t in ax.texts]
    assert "Alpha 2018 · 6/18 vs 0/18 · 43%\nOR 19.24 [0.99, 373.00]" in texts
    assert "Total (fixed effect) · 14/28 vs 1/28\nOR 27.47 [3.92, 192.57]" in texts
    assert "Published\nOR 28.94 [3.45, 242.57]" in texts
    left, _, width, _ = ax.get_position().bounds
    assert left < 0.05 and width > 0.9          # the marks use the whole phone width: no table column beside
    fig_texts = [t.get_text() for t in fig.texts]
    assert "Test for overall effect: Z = 3.33" in fig_texts and "(P < 0.001)" in fig_texts
    P._plt().close(fig)


def test_specification_chart():
    specs = pd.DataFrame([
        {"group": "primary", "label": "MH", "estimate": 19.24, "ci_low": 0.99, "ci_high": 373.0, "base": True},
        {"group": "MH vs IV vs Peto", "label": "Peto", "estimate": 10.31, "ci_low": 1.83, "ci_high": 58.08,
         "base": False},
        {"group": "zero-cell correction", "label": "none", "estimate": math.nan, "ci_low": math.nan,
         "ci_high": math.nan, "base": False},
    ])
    fig = P.specification_chart(specs, "Specs", "Source: x", published={"estimate": 28.94, "ci_low": 3.45,
                                                                       "ci_high": 242.57})
    ax = fig.axes[0]
    texts = [t.get_text() for t in ax.texts]
    assert "not estimable" in texts and "10.31 [1.83, 58.08]" in texts
    assert any(lab.get_text().startswith("★") for lab in ax.get_yticklabels())
    assert ax.get_xscale() == "log"
    assert_chart(fig, "Specs", "Source: x")


def test_timeline_chart_log_time_axis():
    ev = pd.DataFrame([
        {"label": "Glue 2017", "attribute": "onset", "hours": 1.0, "short": "1 hours"},
        {"label": "Glue 2017", "attribute": "durability", "hours": 168.0, "short": "7 days"},
        {"label": "claim 000-25", "attribute": "claim", "hours": 336.0, "short": "up to 2 weeks"},
    ])
    fig = P.timeline_chart(ev, "Timeline", "Source: facts")
    ax = fig.axes[0]
    assert ax.get_xscale() == "log"
    ticks = [t.get_text() for t in ax.get_xticklabels()]
    assert "1 hour" in ticks and "1 week" in ticks  # time in words, thinned so that labels never touch
    assert_chart(fig, "Timeline", "Source: facts")


@pytest.mark.parametrize("width", ["narrow", "wide"])
def test_timeline_panels_tick_labels_never_touch(width):
    # review item 23: "1 month" and "6 months" ran together on the dose-route chart (1 hour to 24 months)
    ket = pd.DataFrame([
        {"label": "Glue 2017", "attribute": "onset", "hours": 1.0, "short": "1 hour"},
        {"label": "Feder 2021", "attribute": "relapse", "hours": 660.0, "short": "27.5 days"}])
    comp = pd.DataFrame([{"label": "Bandelow 2018", "attribute": "durability", "hours": 24 * 730.5,
                          "short": "24 months"}])
    fig = P.draw(P.timeline_panels, ket, comp, "Timeline", width=width)
    ax = fig.axes[-1]
    renderer = fig.canvas.get_renderer()
    boxes = sorted((lab.get_window_extent(renderer) for lab in ax.get_xticklabels() if lab.get_text()),
                   key=lambda b: b.x0)
    assert len(boxes) >= 3
    assert all(b.x0 >= a.x1 + 10 for a, b in zip(boxes, boxes[1:]))
    legend = [t.get_text().replace("\n", " ") for t in fig.legends[0].get_texts()]
    assert "median time to relapse or loss of response" in legend   # every marker drawn is in the legend
    P._plt().close(fig)


def test_dose_route_chart():
    rows = pd.DataFrame([
        {"label": "Glue 2017", "route": "SC", "dose": d, "design": "open_label", "n": 12,
         "population_group": "anxiety disorder", "note": ""} for d in (0.25, 0.5, 1.0)] + [
        {"label": "Taylor 2018", "route": "IV", "dose": 0.5, "design": "crossover_rct", "n": 18,
         "population_group": "anxiety disorder", "note": "over 40 min"}])
    fig = P.dose_route_chart(rows, "Doses", "Source: sources.csv")
    labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert any("Taylor 2018 · intravenous over 40 min" in lab for lab in labels)  # routes in words
    assert "mg/kg" in fig.axes[0].get_xlabel()
    assert_chart(fig, "Doses", "Source: sources.csv")


def test_change_chart():
    rows = pd.DataFrame([
        {"label": "Oliver 2022: GAD-7", "group": "uncontrolled cohort", "value": 30.0, "note": ""},
        {"label": "Taylor 2018: placebo", "group": "control arm (RCT)", "value": 12.0, "note": ""},
    ])
    fig = P.change_chart(rows, "Change", "Source: estimates.csv")
    assert "%" in fig.axes[0].get_xlabel()
    assert_chart(fig, "Change", "Source: estimates.csv")


def test_evidence_map():
    src = pd.DataFrame([
        {"source_id": "taylor2018", "label": "Taylor 2018", "design": "crossover_rct", "n": 18,
         "population_group": "anxiety disorder"},
        {"source_id": "oliver2022", "label": "Oliver 2022", "design": "retrospective", "n": 424,
         "population_group": "depression"},
        {"source_id": "nimh", "label": "nimh", "design": "fact_sheet", "n": None,
         "population_group": "general population"},
    ])
    fig = P.evidence_map(src, "Map", "Source: sources.csv")
    ax = fig.axes[0]
    assert ax.get_xscale() == "log" and "log scale" in ax.get_xlabel()
    assert [t.get_text().replace("\n", " ") for t in ax.get_yticklabels()] == [
        "fact sheet", "retrospective study", "randomized crossover trial"]
    assert_chart(fig, "Map", "Source: sources.csv")


# --------------------------------------------------------------------------- HTML and Markdown

def test_html_table_escapes_every_cell_but_raw_columns():
    df = pd.DataFrame({"quote": ['<img src=x onerror="alert(1)">'], "badge": [P.verdict_badge("accurate", "Accurate")],
                       "n": [1234567.0], "x": [0.123456]})
    h = P.html_table(df, raw_html=["badge"], numeric=["n"])
    assert "<img" not in h and "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in h
    assert "✓ Accurate" in h and 'class="ev-verdict"' in h
    assert "1,234,567" in h and "0.123" in h
    assert "text-align:right" in h  # numeric columns, inline so that notebook CSS cannot override it


def test_claims_html_escapes_and_links_only_http():
    df = pd.DataFrame([{
        "claim_id": "000-01", "claim_type": "prevalence", "quote": "18.1% <b>each</b> year & more",
        "claimed": "~18.1%", "recomputed": "18.1%", "verdict": "overstated", "verdict_label": "Overstated",
        "certainty": "low", "explanation": "x < y", "correction": "",
        "sources": ["https://doi.org/10.1/abc", "javascript:alert(1)"]}])
    h = P.claims_html(df)
    assert "&lt;b&gt;each&lt;/b&gt; year &amp; more" in h and "<b>each</b>" not in h
    assert '<a href="https://doi.org/10.1/abc">doi:10.1/abc</a>' in h
    assert 'href="javascript' not in h and "x &lt; y" in h
    assert "▲ Overstated" in h


def test_esc_makes_text_inert_in_markdown_and_html():
    s = P.esc("<script>*bold* [link](u) _x_ #h | `c`")
    assert "<script>" not in s and "&lt;script&gt;" in s
    for ch in "*[]_#|`":
        assert f"\\{ch}" in s
    assert P.link("javascript:alert(1)", "x") == "x"
    assert P.link("https://a.org/?q=<>", "<t>") == '<a href="https://a.org/?q=&lt;&gt;">&lt;t&gt;</a>'


def test_claims_chart_puts_every_verdict_marker_in_the_legend_and_fits_a_phone():
    # review item 11: article 003's chart drew a contradicted "×" that the legend did not explain
    items = points()
    for width in ("narrow", "wide"):
        fig = P.draw(P.claims_vs_evidence, items, "Claims", "Source: x", width=width)
        legend = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
        assert {"recomputed, accurate", "recomputed, accurate but missing context", "recomputed, overstated"} <= set(legend)
        if width == "narrow":
            assert fig.get_size_inches()[0] == pytest.approx(P.WIDTHS["narrow"])
            assert any("A-03: ~28.9 OR · ▲ Overstated" in t.get_text() for ax in fig.axes for t in ax.texts)
        P._plt().close(fig)


def test_evidence_map_phone_ticks_never_touch():
    # the phone rendering of the evidence map ran "100" into "1000" (n from 7 to 2,042: sources.csv)
    src = pd.DataFrame([{"source_id": f"s{i}", "label": f"S {i}", "design": "parallel_rct", "n": n,
                         "population_group": "anxiety disorder"} for i, n in enumerate((7, 18, 424, 2042))])
    fig = P.draw(P.evidence_map, src, "Map", "Source: sources.csv", width="narrow")
    ax = fig.axes[0]
    renderer = fig.canvas.get_renderer()
    boxes = sorted((t.get_window_extent(renderer) for t in ax.get_xticklabels() if t.get_text()), key=lambda b: b.x0)
    assert len(boxes) >= 2 and all(b.x0 >= a.x1 + 10 for a, b in zip(boxes, boxes[1:]))
    P._plt().close(fig)


def test_response_rates_phone_labels_sit_above_their_own_row():
    # real-world page at 390 px: a row's label was drawn over the row above's control-arm marker
    fig = P.draw(P.response_rates, rates(), "Response by arm", "Source: outcomes.csv", width="narrow")
    ax = fig.axes[0]
    labels = [t for t in ax.texts if t.get_text().startswith(("Trial A", "Study B"))]
    assert len(labels) == 2 and all(t.xyann == (0, 8) for t in labels)   # 8 points above the row's marks
    P._plt().close(fig)


def test_claims_chart_linear_ticks_stay_even_and_never_touch():
    # article 000 at 390 px: "10,000,000" ran into "20,000,000" (claims.csv 000-02: ~40 million adults)
    items = pd.DataFrame([{"label": "A-01: ~40 million adults", "panel": "people affected (count)", "log": False,
                           "claimed_value": 4e7, "claimed_low": 3.6e7, "claimed_high": 4.4e7, "value": 4.0e7,
                           "low": None, "high": None, "verdict": "accurate", "verdict_label": "Accurate"}])
    fig = P.draw(P.claims_vs_evidence, items, "Claims", "Source: x", width="narrow")
    ax = fig.axes[0]
    ticks = [t for t in ax.get_xticks() if ax.get_xlim()[0] <= t <= ax.get_xlim()[1]]
    assert len({round(b - a) for a, b in zip(ticks, ticks[1:])}) == 1          # evenly spaced
    assert all("million" in t.get_text() or t.get_text() == "0" for t in ax.get_xticklabels())
    renderer = fig.canvas.get_renderer()
    boxes = [t.get_window_extent(renderer) for t in ax.get_xticklabels() if t.get_text()]
    assert all(b.x0 >= a.x1 + 10 for a, b in zip(boxes, boxes[1:]))
    P._plt().close(fig)


def test_response_rates_arm_text_is_never_cut():
    # review item 13: "10/12 ketamine 0.5-1 mg/kg SC (open-" was cut mid-word on the desktop rendering
    rows = rates().assign(arm_label=["ketamine 0.5-1 mg/kg SC (open-label ascending dose)", "saline", "ketamine SC"])
    fig = P.response_rates(rows, "Response by arm", "Source: outcomes.csv")
    texts = [t.get_text() for t in fig.axes[0].texts]
    assert "6 of 18 ketamine 0.5-1 mg/kg SC" in texts and not any(t.endswith("-") or "(open" in t for t in texts)
    P._plt().close(fig)
