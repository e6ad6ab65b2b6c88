"""How common is anxiety (notebooks/prevalence.ipynb)."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import ClassVar, Iterable, Mapping, Sequence

import pandas as pd

from evidence.analyses.common import (
    decimals_of,
    Page, _claims_table, _frame, display_frame, fmt, vocab, _get, _num, merge_params, study_label,
)

def _prevalence_spec_id(spec) -> str | None:
    from evidence.spec import parse_recompute

    try:
        method, args = parse_recompute(spec)
    except ValueError:
        return None
    return args.get("id") if method == "prevalence" else None


#: period code -> the words of the vocabulary ("in the past year", "at some point in life", ...); a figure
#: coded "other" is one whose source gives no time frame (prevalence.csv notes), so it is said as such
PERIOD_WORDS = {**{code: term.label for code, term in vocab.PERIODS.items()}, "other": "period not stated"}


def printed_pct(value) -> str:
    """A survey's percentage with the digits it was printed with ("4.05%", "19.1%", "8%"), never rounded."""
    return fmt.pct(value, decimals_of(_num(value))) if _num(value) is not None else ""


def period_words(code) -> str:
    """'in the past year', 'at some point in life', 'period not stated' (for "other")."""
    code = _get({"p": code}, "p")
    return PERIOD_WORDS.get(code, vocab.word("period", code)) if code else ""


def legend_names(db, source_ids: Iterable[str]) -> dict[str, str]:
    """One name per source for a chart legend, the same for every page of one organisation: "NIMH" for
    every NIMH page (whichever way its publisher is spelt), "ADAA" for both ADAA pages; an edition year
    only where one organisation has pages of different years ("WHO 2023", "WHO 2025"); studies keep their
    author and year ("Kessler 2005a")."""
    src = _frame(db, "sources")
    ids = [s for s in dict.fromkeys(source_ids) if s in src.index]
    abbrev: dict[str, str] = {}
    for sid in src.index:  # "National Institute of Mental Health (NIMH)" -> NIMH, for every spelling of it
        m = re.match(r"^(.*?)\s*\(([A-Z]{2,6})\)", str(_get(src.loc[sid], "journal") or ""))
        if m:
            abbrev.setdefault(m.group(1).strip(), m.group(2))
    org: dict[str, str] = {}
    for sid in ids:
        s = src.loc[sid]
        if _get(s, "kind") not in ("web_page", "regulatory", "label"):
            continue
        publisher = re.sub(r"\s*\([A-Z]{2,6}\).*$", "", str(_get(s, "journal") or "")).strip()
        org[sid] = abbrev.get(publisher) or re.sub(r"\s+\d{4}[a-z]?$", "", study_label(db, sid))
    years: dict[str, set] = {}
    for sid, o in org.items():
        if _num(_get(src.loc[sid], "year")) is not None:
            years.setdefault(o, set()).add(int(_num(_get(src.loc[sid], "year"))))
    out = {}
    for sid in ids:
        y = _num(_get(src.loc[sid], "year"))
        out[sid] = (f"{org[sid]} {int(y)}" if y is not None and len(years.get(org[sid], ())) > 1 else org[sid]) \
            if sid in org else study_label(db, sid)
    return out


def survey_label(db, prev_row: Mapping) -> str:
    """'NIMH (NCS-R, data 2001-2003)'-style label of a prevalence figure's origin."""
    sid = prev_row["source_id"]
    src = _frame(db, "sources")
    org = sid
    if sid in src.index:
        s = src.loc[sid]
        org = str(_get(s, "journal") or sid)
        org = re.sub(r"^National Institute of Mental Health.*", "NIMH", org)
        org = re.sub(r"^Anxiety and Depression Association of America.*", "ADAA", org)
        org = re.sub(r"^National Center for Health Statistics.*", "NCHS", org)
        if org.startswith("Archives of General Psychiatry"):
            org = study_label(db, sid)
    survey = str(_get(prev_row, "survey") or "")
    m = re.search(r"\(([A-Z][A-Za-z\-]+)\)", survey)
    short = m.group(1) if m else survey
    years = _get(prev_row, "data_years")
    bits = [b for b in (short, f"data {years}" if years else "data years not stated") if b]
    return f"{org} ({', '.join(bits)})"


def prevalence_points(db, claims_df: pd.DataFrame | None = None, article_id: str | None = None,
                      params: Mapping | None = None, all_figures: bool = False,
                      periods: Sequence[str] = ("past_year", "lifetime")) -> pd.DataFrame:
    """Survey figures and article claims on one frame for :func:`plotting.prevalence_chart`.

    A claim enters when its recompute names a prevalence row; the row's
    condition and sex pick the survey figures shown next to it (every period,
    every source), so that a lifetime figure and a past-year figure sit on
    adjacent rows. ``all_figures`` adds every survey figure for the whole
    population (sex "all") in ``periods``, claimed or not.
    """
    from evidence.claims import claimed_from_row

    prev = _whole_ages(_frame(db, "prevalence"))
    claims = _frame(db, "claims")
    if prev.empty or claims.empty:
        return pd.DataFrame(columns=["group", "who", "kind", "value", "low", "high", "claim_id", "prevalence_id"])
    table = _claims_table(db)
    p = merge_params(params)
    sel = claims[claims["claim_type"] == "prevalence"]
    if article_id:
        sel = sel[sel["article_id"] == article_id]
    if claims_df is not None:
        sel = sel[sel.index.isin(claims_df["claim_id"])]
    rows, keys = [], []
    for cid, c in sel.iterrows():
        pid = _prevalence_spec_id(_get(c, "recompute"))
        if not pid or pid not in prev.index:
            continue
        pr = prev.loc[pid]
        claimed = claimed_from_row(*table.get(cid, (c.to_dict(), {})))
        if claimed.unit != "%" or claimed.value is None:
            continue
        lo, hi = claimed.interval(p) or (None, None)
        group = f"{pr['condition']} · {PERIOD_WORDS.get(pr['period'], pr['period'])}" + (
            f" · {vocab.word('sex', pr['sex'])}" if _get(pr, "sex") not in (None, "all") else "")
        rows.append({"group": group, "who": cid, "kind": "claim", "value": claimed.value, "low": lo, "high": hi,
                     "claim_id": cid, "prevalence_id": pid, "condition": pr["condition"], "period": pr["period"],
                     "sex": _get(pr, "sex") or "all"})
        keys.append((str(pr["condition"]).lower(), _get(pr, "sex") or "all"))
    if all_figures:
        keys += [(str(c).lower(), "all") for c in prev.loc[prev["period"].isin(periods), "condition"]]
    for cond, sex in dict.fromkeys(keys):
        same = prev[(prev["condition"].str.lower() == cond) & (prev["sex"].fillna("all") == sex)]
        for pid, pr in same.iterrows():
            if _num(_get(pr, "value_pct")) is None:
                continue
            group = f"{pr['condition']} · {PERIOD_WORDS.get(pr['period'], pr['period'])}" + (
                f" · {vocab.word('sex', sex)}" if sex != "all" else "")
            rows.append({"group": group, "who": survey_label(db, pr), "kind": "survey",
                         "value": float(pr["value_pct"]), "low": None, "high": None, "claim_id": None,
                         "prevalence_id": pid, "condition": pr["condition"], "period": pr["period"], "sex": sex})
    out = pd.DataFrame(rows, columns=["group", "who", "kind", "value", "low", "high", "claim_id", "prevalence_id",
                                      "condition", "period", "sex"])
    if out.empty:
        return out
    order = {"past_year": 0, "lifetime": 1}
    out["_o1"] = out["condition"].str.lower()
    out["_o2"] = out["period"].map(lambda x: order.get(x, 2))
    return out.sort_values(["_o1", "sex", "_o2", "kind"], kind="stable").drop(columns=["_o1", "_o2"]).reset_index(
        drop=True)



# =========================================================================== #
# Prevalence
# =========================================================================== #
def _year(text) -> int | None:
    m = re.findall(r"(?:19|20)\d\d", str(text or ""))
    return int(m[-1]) if m else None


def prevalence_table(db) -> pd.DataFrame:
    """Every prevalence figure with its source, period, data years and the data's last year."""
    prev = _frame(db, "prevalence")
    if prev.empty:
        return pd.DataFrame(columns=["prevalence_id", "source", "condition", "population", "sex", "period",
                                     "value_pct", "count", "survey", "data_years", "data_end_year",
                                     "source_year"])
    src = _frame(db, "sources")
    rows = []
    for pid, p in prev.iterrows():
        sid = p["source_id"]
        rows.append({"prevalence_id": pid, "source": survey_label(db, p), "source_id": sid,
                     "condition": p["condition"], "population": _get(p, "population") or "",
                     "sex": _get(p, "sex") or "all", "period": p["period"],
                     "value_pct": _num(_get(p, "value_pct")), "count": _num(_get(p, "count")),
                     "survey": _get(p, "survey") or "", "data_years": _get(p, "data_years") or "",
                     "data_end_year": _year(_get(p, "data_years")),
                     "source_year": _num(_get(src.loc[sid], "year")) if sid in src.index else None})
    return pd.DataFrame(rows)


def _whole_ages(prev: pd.DataFrame) -> pd.DataFrame:
    """Prevalence rows for all ages of their population (rows with an ``age_group`` band are left out)."""
    if prev.empty or "age_group" not in prev.columns:
        return prev
    return prev[prev["age_group"].fillna("").astype(str).str.strip() == ""]


def period_pairs(db) -> pd.DataFrame:
    """Past-year against lifetime prevalence of the same condition from the same source."""
    t = prevalence_table(db)
    if "prevalence_id" in t.columns and not t.empty:
        t = t[t["prevalence_id"].isin(_whole_ages(_frame(db, "prevalence")).index)]
    if t.empty:
        return pd.DataFrame(columns=["source", "condition", "sex", "past_year", "lifetime", "ratio", "data_years"])
    rows = []
    for (sid, cond, sex), g in t.groupby(["source_id", "condition", "sex"], sort=False):
        py = g.loc[g["period"] == "past_year", "value_pct"].dropna()
        lt = g.loc[g["period"] == "lifetime", "value_pct"].dropna()
        if py.empty or lt.empty:
            continue
        rows.append({"source": g["source"].iloc[0], "source_id": sid, "condition": cond, "sex": sex,
                     "past_year": float(py.iloc[0]), "lifetime": float(lt.iloc[0]),
                     "ratio": float(lt.iloc[0]) / float(py.iloc[0]) if py.iloc[0] else None,
                     "data_years": g["data_years"].iloc[0]})
    return pd.DataFrame(rows, columns=["source", "source_id", "condition", "sex", "past_year", "lifetime", "ratio",
                                       "data_years"])


def prevalence_claims(db, params: Mapping | None = None) -> pd.DataFrame:
    """Every prevalence claim in every article with its verdict and matched survey figure."""
    from evidence.claims import evaluate_claim

    claims = _frame(db, "claims")
    prev = _frame(db, "prevalence")
    arts = _frame(db, "articles")
    table = _claims_table(db)
    p = merge_params(params)
    rows = []
    if claims.empty:
        return pd.DataFrame()
    for cid, c in claims[claims["claim_type"] == "prevalence"].iterrows():
        rec, raw = table.get(cid, (c.to_dict(), {}))
        ev = evaluate_claim(rec, db, p, raw=raw)
        pid = _prevalence_spec_id(_get(c, "recompute"))
        pr = prev.loc[pid] if pid and pid in prev.index else None
        art_date = _get(arts.loc[c["article_id"]], "date") if c["article_id"] in arts.index else None
        data_end = _year(_get(pr, "data_years")) if pr is not None else None
        rows.append({"claim_id": cid, "article_id": c["article_id"], "quote": c["quote"], "claimed": ev["claimed"],
                     "prevalence_id": pid or "", "period": _get(pr, "period") if pr is not None else "",
                     "figure": ev["recomputed"], "data_years": _get(pr, "data_years") if pr is not None else "",
                     "article_year": _year(art_date),
                     "data_age_years": (_year(art_date) - data_end) if _year(art_date) and data_end else None,
                     "verdict": ev["verdict"], "verdict_label": ev["verdict_label"]})
    return pd.DataFrame(rows)


# =========================================================================== #
# The page
# =========================================================================== #
def region(population: str | None) -> str:
    """``global`` for a world figure, else ``U.S.`` (every other survey on record is of U.S. adults)."""
    return "global" if "global" in str(population or "").lower() or "world" in str(population or "").lower() else "U.S."


def _data_words(years: str | None) -> str:
    y = str(years or "").strip()
    if not y:
        return "years not stated"
    m = re.match(r"^(\d{4})\s*-\s*(\d{4})(.*)$", y)
    return f"{m.group(1)}–{m.group(2)}{m.group(3)}" if m else y


def _figure_words(r: Mapping) -> str:
    parts = []
    if _num(r.get("value_pct")) is not None:
        parts.append(printed_pct(r["value_pct"]))
    if _num(r.get("count")) is not None:
        parts.append(fmt.count(r["count"], "person"))
    return " (".join(parts) + (")" if len(parts) == 2 else "")


def _who(names: Mapping[str, str], prev_row: Mapping) -> str:
    """'NIMH, data 2001–2003': a survey figure's source (:func:`legend_names`) and data years, for a legend."""
    return f"{names.get(prev_row['source_id'], prev_row['source_id'])}, data {_data_words(_get(prev_row, 'data_years'))}"


def same_survey_sentence(db) -> str:
    """Why one survey has two headline figures: NIMH's 31.1% and Kessler 2005b's 28.8% lifetime (and
    19.1% against 18.1% past year) both come from the NCS-R. Said from the sources' own definitions and
    what was read (prevalence.csv notes: NIMH's lifetime figure cites a table that was not read)."""
    prev = _whole_ages(_frame(db, "prevalence"))
    if prev.empty:
        return ""
    sel = prev[prev["survey"].fillna("").str.contains("NCS-R") & prev["condition"].str.lower().str.startswith("any")
               & (prev["sex"].fillna("all") == "all") & prev["value_pct"].notna()]
    names = legend_names(db, sel["source_id"])
    parts = []
    for period in ("past_year", "lifetime"):
        g = sel[sel["period"] == period]
        if g["value_pct"].nunique() > 1:
            each = " against ".join(f"{printed_pct(r.value_pct)} ({names.get(r.source_id, r.source_id)}: {r.condition})"
                                    for r in g.sort_values("value_pct").itertuples())
            parts.append(f"{period_words(period).replace('in the ', '').replace('at some point in life', 'lifetime')}"
                         f" {each}")
    if not parts:
        return ""
    src = _frame(db, "sources")
    defs = []
    for sid in dict.fromkeys(sel["source_id"]):
        m = re.search(r"Any anxiety disorder here = ([^.]+)\.", str(_get(src.loc[sid], "notes") or "")) \
            if sid in src.index else None
        if m:  # "panic, GAD, agoraphobia, ..." in the vocabulary's words
            words = [vocab.word("diagnosis", t.strip()) for t in m.group(1).split(",") if t.strip()]
            defs.append(f"{names.get(sid, sid)}'s \"any anxiety disorder\" counts {vocab.join_words(words)}")
    unread = [r.source_id for r in sel.itertuples() if "not read" in str(_get(r._asdict(), "notes") or "")]
    papers = [sid for sid in dict.fromkeys(sel["source_id"]) if sid in src.index and sid not in unread]
    abstracts = bool(papers) and all(_get(src.loc[sid], "read_what") == "abstract" for sid in papers)
    return (f"The same survey (the National Comorbidity Survey Replication, the same interviews) is reported with "
            f"two sets of headline figures: {'; '.join(parts)}. " + (f"{'; '.join(defs)}. " if defs else "")
            + (f"{names.get(unread[0], unread[0])}'s figures cite tables of the survey that were not read for this "
               f"report{', and only the abstracts of the survey papers were read' if abstracts else ''}, so which "
               "disorders or which analysis make the difference cannot be said here. " if unread else "")
            + "The gap is not a change over time.")


def _lead(table: pd.DataFrame, pairs: pd.DataFrame) -> str:
    us = pairs[(pairs["sex"] == "all") & pairs["condition"].str.lower().str.startswith("any")]
    if us.empty and len(pairs):
        us = pairs.iloc[:1]
    s = ""
    if len(us):
        r = us.iloc[0]
        s = (f"The best-known U.S. figures ({r['source'].split(' (')[0]}, from the National Comorbidity Survey "
             f"Replication) come from interviews done in {_data_words(r['data_years'])}: {printed_pct(r['past_year'])} of "
             f"U.S. adults had {r['condition']} in the past year, and {printed_pct(r['lifetime'])} at some point in their "
             f"lives, {fmt.num(r['ratio'], 2)} times as many. A past-year figure is not a lifetime figure, and "
             f"data from {_data_words(r['data_years'])} are not today's.")
    glob = table[(table["region"] == "global") & table["value_pct"].notna() & (table["period"] == "current")]
    if len(glob):
        g = glob.sort_values("source_year").iloc[-1]
        s += (f" Global figures are a different measure on a different population: {g['source'].split(' (')[0]} "
              f"puts {g['condition']} at {printed_pct(g['value_pct'])} of the world's population at any one time. "
              "They are shown on their own panel.")
    return s.strip()


@dataclass
class PrevalencePage(Page):
    """The prevalence page (see :func:`page`)."""

    summary: str
    lead: str
    pair_sentences: list[str]
    same_survey_sentence: str
    age_sentence: str
    n_claims: int
    claim_verdicts: dict[str, int]
    oldest_data_year: int | None
    newest_data_year: int | None
    figures: pd.DataFrame
    period_pairs: pd.DataFrame
    claims: pd.DataFrame
    points: pd.DataFrame = field(repr=False, default=None)
    chart_alt: str = ""
    us_table: pd.DataFrame = field(repr=False, default=None)
    global_table: pd.DataFrame = field(repr=False, default=None)
    claims_table: pd.DataFrame = field(repr=False, default=None)
    display_only: ClassVar[tuple[str, ...]] = ("points", "us_table", "global_table", "claims_table")


def _figures_display(t: pd.DataFrame, names: Mapping[str, str]) -> pd.DataFrame:
    rows = [{"Source": names.get(r["source_id"], r["source"].split(" (")[0]), "Survey": r["survey"] or "not stated",
             "Condition": r["condition"],
             "Who": r["population"] + ("" if r["sex"] == "all" else f", {vocab.word('sex', r['sex'])}"),
             "Period": period_words(r["period"]), "Figure": _figure_words(r),
             "Data collected": _data_words(r["data_years"])} for _, r in t.iterrows()]
    return display_frame(rows, ["Source", "Survey", "Condition", "Who", "Period", "Figure", "Data collected"])


def page(db, params: Mapping | None = None) -> PrevalencePage:
    """The prevalence page: the finding first, U.S. and global figures apart."""
    table = prevalence_table(db)
    if len(table):
        table["region"] = [region(p) for p in table["population"]]
    pairs = period_pairs(db)
    names = legend_names(db, table["source_id"]) if len(table) else {}
    pc = prevalence_claims(db, params)
    pts = prevalence_points(db, params=params, all_figures=True)
    if len(pts):
        prev = _frame(db, "prevalence")
        pts["region"] = [region(prev.loc[p, "population"]) if p in prev.index else "U.S." for p in pts["prevalence_id"]]
        pts["who"] = [_who(names, prev.loc[p]) if k == "survey" and p in prev.index else "an article"
                      for p, k in zip(pts["prevalence_id"], pts["kind"])]
    pair_s = [f"{r.source.split(' (')[0]}, {r.condition}{'' if r.sex == 'all' else ', ' + vocab.word('sex', r.sex)}: "
              f"{printed_pct(r.past_year)} in the past year, {printed_pct(r.lifetime)} over a lifetime "
              f"({fmt.num(r.ratio, 2)} times as many)." for r in pairs.itertuples()]
    years = table["data_end_year"].dropna() if len(table) else pd.Series(dtype=float)
    ages = pc["data_age_years"].dropna() if len(pc) else pd.Series(dtype=float)
    if len(years):
        oldest = table.loc[table["data_end_year"].idxmin()]
        age_s = (f"The oldest survey data behind these figures were collected up to {int(years.min())} "
                 f"({oldest['source'].split(' (')[0]}); the newest up to {int(years.max())}."
                 + (f" Where an article is dated, its prevalence figures rest on data {int(ages.min())}–{int(ages.max())} "
                    "years older than the article." if len(ages) else
                    " None of the articles whose prevalence figures could be matched to a survey is dated, so the "
                    "age of the data at publication cannot be computed."))
    else:
        age_s = "No prevalence figure records the years its data were collected."
    counts = {k: int(v) for k, v in pc["verdict"].value_counts().items()} if len(pc) else {}
    verdict_words = vocab.join_words([f"{fmt.num(n)} {vocab.VERDICTS[v].label.lower()}"
                                      for v, n in sorted(counts.items(), key=lambda x: vocab.VERDICTS[x[0]].severity)])
    alt = (_lead(table, pairs) + (f" The articles' {fmt.count(len(pc), 'prevalence claim')}: {verdict_words}."
                                  if len(pc) else "")) if len(table) else ""
    claims_rows = [{"The article says": f"“{r.quote}”", "Figure checked": r.claimed or "",
                    "Survey figure": r.figure or "no matching figure",
                    "Period": period_words(r.period),
                    "Data collected": _data_words(r.data_years) if _get({"d": r.data_years}, "d") else "",
                    "Verdict": vocab.VERDICTS[r.verdict].label if r.verdict in vocab.VERDICTS else r.verdict}
                   for r in pc.itertuples()] if len(pc) else []
    lead = _lead(table, pairs) if len(table) else "No prevalence figure is on record."
    return PrevalencePage(
        summary=lead, lead=lead, pair_sentences=pair_s, same_survey_sentence=same_survey_sentence(db), age_sentence=age_s, n_claims=int(len(pc)),
        claim_verdicts=counts, oldest_data_year=int(years.min()) if len(years) else None,
        newest_data_year=int(years.max()) if len(years) else None,
        figures=table[["prevalence_id", "source", "condition", "sex", "period", "value_pct", "data_years", "region"]]
        if len(table) else pd.DataFrame(),
        period_pairs=pairs,
        claims=pc[["claim_id", "article_id", "claimed", "figure", "prevalence_id", "period", "verdict"]] if len(pc) else pd.DataFrame(),
        points=pts, chart_alt=alt,
        us_table=_figures_display(table[table["region"] == "U.S."], names) if len(table) else pd.DataFrame(),
        global_table=_figures_display(table[table["region"] == "global"], names) if len(table) else pd.DataFrame(),
        claims_table=display_frame(claims_rows, ["The article says", "Figure checked", "Survey figure", "Period",
                                                 "Data collected", "Verdict"]))
