"""The one synthetic evidence base the tests build (issue 11 item 8).

A complete, valid ``data/`` directory written under a temporary folder: the
project's own ``datapackage.json``, small CSVs and one article text, so code is
exercised through :func:`evidence.db.load_db` exactly as the notebooks and the
commands use it. Every number is chosen by hand (see the comments next to the
rows); tests compute what they expect from these rows, never from the code
under test.

``make_data(root, hostile=True)`` writes the same base with hostile and unusual
text (:data:`PAYLOAD`) in the article, its title, the first claim's quote and a
citation: a report or an ``evidence check`` page must show it literally and run
none of it.

Use the ``synthetic_data`` fixture (tests/conftest.py) for a fresh copy per test,
``synthetic_db`` for the loaded, read-only base shared by a module.
"""
from __future__ import annotations

import csv
import json
import math
import shutil
from pathlib import Path

import numpy as np

TESTS = Path(__file__).resolve().parent
REPO = TESTS.parent
REAL_DATA = REPO / "data"

#: z for a two-sided 95% interval: scipy.stats.norm.ppf(0.975) = 1.959963984540054
Z_975 = 1.959963984540054

#: pieces of hostile or unusual text; each must appear literally in what a browser shows
SCRIPT = "<script>alert(1)</script>"
FLAG_SCRIPT = "<script>window.__xss=1</script>"
FLAG_IMG = '<img src=x onerror="window.__xss=1">'
ENTITIES = "&lt;script&gt;alert(2)&lt;/script&gt;"          # must stay the 8 characters "&lt;" etc.
RTL = "\u202eevil.exe\u202c"                               # right-to-left override
ZWJ_EMOJI = "\U0001F469\u200d\u2695\ufe0f"                  # woman health worker (ZWJ sequence)
ZWNJ = "a\u200cb\u200dc"                                   # zero-width non-joiner / joiner
COMBINING = "Z\u0351\u0327a\u0301l\u0308g\u0303o\u0336"      # stacked combining marks
PIECES = [SCRIPT, FLAG_SCRIPT, FLAG_IMG, ENTITIES, RTL, ZWJ_EMOJI, ZWNJ, COMBINING]
PAYLOAD = " ".join(PIECES)
TITLE = f"Hostile title {SCRIPT} {FLAG_IMG} {ENTITIES} {RTL} {ZWJ_EMOJI}"

#: the one article of the base: its id, its file under data/, its title
ARTICLE_ID = "a1"
ARTICLE_FILE = "articles/a1.txt"
PLAIN_TITLE = "Synthetic <b>clinic</b> post & more"
#: the sentence of the first claim (the one that carries the payload in the hostile base)
CLAIM_SENTENCE = "about 19.1% of adults each year"

ARTICLE_TEXT = (
    "Synthetic clinic post\n"
    "Anxiety affects {payload}about 19.1% of adults each year.\n"
    "A 2021 meta-analysis found an odds ratio of ~28.9 in social anxiety.\n"
    "A 2018 study of 18 adults showed that the majority of patients responded.\n"
    "Only about 5 patients need treatment for one to respond.\n"
    "Relief comes within 2 hours.\n"
)

SOURCES = [
    # source_id, kind, citation, year, journal, design, blinding, control, population, diagnosis, n_rand, n_an,
    # drug, dose, route, infusion_min
    ("trial_a", "trial", "Alpha AB, Beta C. Ketamine for SAD: crossover. J Test. 2018;1:1-2.", 2018, "J Test",
     "crossover_rct", "double_blind", "saline placebo", "adults with SAD", "SAD", 18, 18, "racemic ketamine", "0.5",
     "IV", 40),
    ("trial_b", "trial", "Gamma DE. Ketamine vs midazolam in SAD. J Test. 2020;2:3-4.", 2020, "J Test",
     "parallel_rct", "double_blind", "midazolam (active placebo)", "adults with SAD", "SAD", 20, 20,
     "racemic ketamine", "1", "SC", None),
    ("trial_c", "trial", "Delta F. Ketamine in PTSD. J Test. 2021;3:5-6.", 2021, "J Test", "parallel_rct",
     "double_blind", "midazolam", "adults with PTSD", "PTSD", 30, 30, "racemic ketamine", "0.5", "IV", 40),
    ("trial_d", "trial", "Epsilon G. Ketamine in PTSD, crossover. J Test. 2014;4:7-8.", 2014, "J Test",
     "crossover_rct", "double_blind", "midazolam", "adults with PTSD", "PTSD", 41, 41, "racemic ketamine", "0.5",
     "IV", 40),
    ("meta_x", "meta_analysis", "Omega H, Zeta I. Ketamine for anxiety: meta-analysis. Ther Test. 2021;5:9.", 2021,
     "Ther Test", "meta_analysis", "na", "", "RCTs in anxiety spectrum disorders", "SAD;PTSD", None, None,
     "racemic ketamine", "", "mixed", None),
    ("cohort_r", "observational", "Rho J. Real-world ketamine. J Clin Test. 2022;6:10.", 2022, "J Clin Test",
     "retrospective", "open", "none", "patients with TRD", "TRD", 424, 424, "racemic ketamine", "0.5", "IV", 40),
    ("dose_s", "trial", "Sigma K. Ascending doses. J Test. 2017;7:11.", 2017, "J Test", "single_arm", "open", "none",
     "refractory GAD/SAD", "GAD;SAD", 12, 12, "racemic ketamine", "0.25;0.5;1", "SC", None),
    ("survey_n", "web_page", "National Institute of Mental Health. Any Anxiety Disorder.", None,
     "National Institute of Mental Health", "fact_sheet", "na", "", "U.S. adults", "general_population", None, None,
     "", "", "na", None),
]

OUTCOMES = [
    # id, source, outcome, type, timepoint, arm_t, n_t, e_t, mean_t, arm_c, n_c, e_c, mean_c, paired, analysis
    ("trial_a_resp", "trial_a", "LSAS response", "binary", "2 weeks", "ketamine", 18, 6, None, "saline", 18, 0, None,
     "true", "meta_x_sad"),
    ("trial_b_resp", "trial_b", "response", "binary", "2 weeks", "ketamine", 10, 8, None, "midazolam", 10, 1, None,
     "false", "meta_x_sad"),
    ("trial_c_resp", "trial_c", "PCL response", "binary", "1 week", "ketamine", 15, 10, None, "midazolam", 15, 6,
     None, "false", "meta_x_ptsd"),
    ("trial_d_resp", "trial_d", "IES-R response", "binary", "24 h", "ketamine", 41, 12, None, "midazolam", 41, 8,
     None, "true", "meta_x_ptsd"),
    ("trial_a_lsas_base", "trial_a", "LSAS", "continuous", "baseline", "ketamine", 18, None, 80.0, "saline", 18, None,
     80.0, "true", ""),
    ("trial_a_lsas_2wk", "trial_a", "LSAS", "continuous", "2 weeks", "ketamine", 18, None, 60.0, "saline", 18, None,
     72.0, "true", ""),
    ("dose_s_resp", "dose_s", "responders", "binary", "after 0.5-1 mg/kg", "ketamine SC", 12, 10, None, "", None,
     None, None, "", ""),
]

PREVALENCE = [
    ("survey_n_any_py", "survey_n", "any anxiety disorder", "U.S. adults 18+", "all", "past_year", 19.1,
     "National Comorbidity Survey Replication (NCS-R)", "2001-2003"),
    ("survey_n_any_lt", "survey_n", "any anxiety disorder", "U.S. adults 18+", "all", "lifetime", 31.1,
     "National Comorbidity Survey Replication (NCS-R)", "2001-2003"),
]

FACTS = [
    ("dose_s_onset", "dose_s", "ketamine SC", "onset", "within 1 h of dosing", 1, "hours"),
    ("dose_s_durability", "dose_s", "ketamine SC", "durability", "persisted for up to seven days", 7, "days"),
    ("trial_d_onset", "trial_d", "ketamine IV", "onset", "at 24 hours", 24, "hours"),
]

CLAIMS = [
    # id, quote, type, value, unit, qualifier, text, source_ids, recompute, status, note
    ("900-01", "about 19.1% of adults each year", "prevalence", 19.1, "%", "approx", "", "survey_n",
     "prevalence:id=survey_n_any_py", "found", ""),
    ("900-02", "an odds ratio of ~28.9", "effect_size", 28.9, "OR", "approx", "", "meta_x",
     "pooled:analysis=meta_x_sad,measure=OR,method=DL", "found", ""),
    ("900-03", "18 adults", "sample_size", 18, "adults", "exact", "", "trial_a",
     "count:source=trial_a,field=n_randomized", "found", ""),
    ("900-04", "the majority of patients responded", "response_rate", None, "%", "majority", "", "dose_s",
     "proportion:outcome=dose_s_resp,arm=treat", "found", ""),
    ("900-05", "about 5 patients need treatment", "nnt", 5, "patients", "approx", "", "trial_b",
     "nnt:outcome=trial_b_resp", "found", ""),
    ("900-06", "A 2018 study", "attribution", None, "", "categorical", "2018", "trial_a",
     "attribute:source=trial_a,field=year", "found", ""),
    ("900-07", "Relief comes within 2 hours", "onset", 2, "hours", "up_to", "", "", "", "not_found",
     "searched the synthetic corpus"),
]

#: the synthetic SAD analysis: trial_a 6/18 vs 0/18 (zero cell: +0.5 everywhere), trial_b 8/10 vs 1/10
SAD = [(6, 18, 0, 18), (8, 10, 1, 10)]
PTSD = [(10, 15, 6, 15), (12, 41, 8, 41)]


def log_or_var(a, n1, c, n2):
    """Woolf log OR and variance with 0.5 added to every cell when a cell is zero."""
    b, d = n1 - a, n2 - c
    if min(a, b, c, d) == 0:
        a, b, c, d = a + 0.5, b + 0.5, c + 0.5, d + 0.5
    return math.log(a * d / (b * c)), 1 / a + 1 / b + 1 / c + 1 / d


def dl_pool(tables):
    """DerSimonian–Laird by hand: (OR, low, high)."""
    y, v = zip(*(log_or_var(*t) for t in tables))
    y, v = np.array(y), np.array(v)
    w = 1 / v
    mu_fe = (w * y).sum() / w.sum()
    q = (w * (y - mu_fe) ** 2).sum()
    c = w.sum() - (w ** 2).sum() / w.sum()
    tau2 = max(0.0, (q - (len(y) - 1)) / c)
    ws = 1 / (v + tau2)
    mu = (ws * y).sum() / ws.sum()
    se = math.sqrt(1 / ws.sum())
    return math.exp(mu), math.exp(mu - Z_975 * se), math.exp(mu + Z_975 * se)


def _write(path: Path, header: list[str], rows: list[dict]) -> None:
    with open(path, "w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=header)
        w.writeheader()
        for r in rows:
            w.writerow({k: ("" if r.get(k) is None else r.get(k)) for k in header})


def make_data(root: Path, *, hostile: bool = False) -> Path:
    """Write the synthetic base as ``root/data`` and return that directory (it must not exist yet)."""
    d = Path(root) / "data"
    (d / "articles").mkdir(parents=True)
    shutil.copyfile(REAL_DATA / "datapackage.json", d / "datapackage.json")
    schema = {r["name"]: [f["name"] for f in r["schema"]["fields"]]
              for r in json.loads((d / "datapackage.json").read_text())["resources"]}
    payload = f"{PAYLOAD} " if hostile else ""
    (d / ARTICLE_FILE).write_text(ARTICLE_TEXT.format(payload=payload), encoding="utf-8")
    (d / "README.md").write_text(f"# Fixture data\n\nA README with {PAYLOAD if hostile else 'nothing odd'} in it.\n",
                                 encoding="utf-8")
    _write(d / "articles.csv", schema["articles"], [
        {"article_id": ARTICLE_ID, "title": TITLE if hostile else PLAIN_TITLE,
         "publisher": f"Clinic {SCRIPT}" if hostile else "Test Clinic", "file": ARTICLE_FILE, "date": "2025-01-17",
         "notes": PAYLOAD if hostile else ""}])
    keys = ["source_id", "kind", "citation", "year", "journal", "design", "blinding", "control", "population",
            "diagnosis", "n_randomized", "n_analysed", "drug", "dose_mg_per_kg", "route", "infusion_min"]
    _write(d / "sources.csv", schema["sources"], [
        {**dict(zip(keys, s)), "url": f"https://example.org/{s[0]}", "locator": "Abstract",
         "provenance": "reported"} for s in SOURCES])
    if hostile:  # a citation with markup in it
        _set_cell(d / "sources.csv", 0, "citation", f"Alpha AB {FLAG_IMG}. Ketamine for SAD. J Test. 2018;1:1-2.")
    okeys = ["outcome_id", "source_id", "outcome", "outcome_type", "timepoint", "arm_treat", "n_treat",
             "events_treat", "mean_treat", "arm_ctrl", "n_ctrl", "events_ctrl", "mean_ctrl", "paired", "analysis_ids"]
    orows = []
    for o in OUTCOMES:
        r = dict(zip(okeys, o))
        if r["mean_treat"] is not None:
            r["sd_treat"], r["sd_ctrl"] = 10.0, 10.0
        orows.append({**r, "locator": "Table 2", "provenance": "reported"})
    _write(d / "outcomes.csv", schema["outcomes"], orows)
    sad, ptsd = dl_pool(SAD), dl_pool(PTSD)
    _write(d / "estimates.csv", schema["estimates"], [
        {"estimate_id": "meta_x_sad_or", "source_id": "meta_x", "analysis_id": "meta_x_sad", "outcome": "response",
         "measure": "OR", "estimate": f"{sad[0]:.2f}", "ci_low": f"{sad[1]:.2f}", "ci_high": f"{sad[2]:.2f}",
         "ci_level": 0.95, "k_studies": 2, "model": "random effects (RevMan)", "locator": "Abstract",
         "provenance": "reported"},
        {"estimate_id": "meta_x_ptsd_or", "source_id": "meta_x", "analysis_id": "meta_x_ptsd", "outcome": "response",
         "measure": "OR", "estimate": f"{ptsd[0]:.2f}", "ci_low": f"{ptsd[1]:.2f}", "ci_high": f"{ptsd[2]:.2f}",
         "ci_level": 0.95, "k_studies": 2, "model": "random effects (RevMan)", "locator": "Abstract",
         "provenance": "reported"},
        {"estimate_id": "cohort_r_gad7", "source_id": "cohort_r", "outcome": "GAD-7, % reduction",
         "measure": "pct_change", "estimate": 30, "locator": "Abstract", "provenance": "reported"},
        {"estimate_id": "trial_a_placebo_pct", "source_id": "trial_a",
         "outcome": "LSAS % reduction, placebo condition", "measure": "pct_change", "estimate": 12,
         "locator": "Figure 2", "provenance": "reported"},
    ])
    pkeys = ["prevalence_id", "source_id", "condition", "population", "sex", "period", "value_pct", "survey",
             "data_years"]
    _write(d / "prevalence.csv", schema["prevalence"], [
        {**dict(zip(pkeys, p)), "locator": "bullet 1", "provenance": "reported"} for p in PREVALENCE])
    fkeys = ["fact_id", "source_id", "subject", "attribute", "value_text", "value_num", "unit"]
    _write(d / "facts.csv", schema["facts"], [
        {**dict(zip(fkeys, f)), "locator": "Abstract", "provenance": "reported"} for f in FACTS])
    ckeys = ["claim_id", "quote", "claim_type", "claimed_value", "claimed_unit", "qualifier", "claimed_text",
             "source_ids", "recompute", "evidence_status", "search_note"]
    claims = [{**dict(zip(ckeys, c)), "article_id": ARTICLE_ID} for c in CLAIMS]
    if hostile:
        claims[0]["quote"] = f"{PAYLOAD} {claims[0]['quote']}"
    _write(d / "claims.csv", schema["claims"], claims)
    return d


def _set_cell(path: Path, row: int, column: str, value: str) -> None:
    fields, rows = read_rows(path)
    rows[row][column] = value
    write_csv(path, fields, rows)


def mutate(d: Path, table: str, row: int, **changes) -> None:
    """Change cells of row ``row`` (0-based) of ``d/<table>.csv``: break one thing for a rule to catch."""
    fields, rows = read_rows(d / f"{table}.csv")
    rows[row].update(changes)
    write_csv(d / f"{table}.csv", fields, rows)


def add_copy(d: Path, table: str, row: int, **changes) -> None:
    """Append a copy of row ``row`` of ``d/<table>.csv`` with ``changes`` (a second row for the duplicate rules)."""
    fields, rows = read_rows(d / f"{table}.csv")
    rows.append(dict(rows[row], **changes))
    write_csv(d / f"{table}.csv", fields, rows)


def assert_caught(d: Path, table: str, row: int, changes: dict, file: str, line: int, column: str, rule: str) -> None:
    """Break row ``row`` of ``table`` with ``changes``; `evidence validate` must name file, line, column and rule."""
    from evidence.validate import validate_data

    mutate(d, table, row, **changes)
    issues = validate_data(d)
    hits = [i for i in issues if (i.file, i.line, i.column, i.rule) == (file, line, column, rule)]
    assert hits, f"expected {file}:{line} {column} {rule}; got {[str(i) for i in issues]}"


def write_csv(path: Path, fields: list[str], rows: list[dict]) -> None:
    """Write rows (dicts; missing keys and None become empty cells) under a header."""
    _write(path, fields, rows)


def read_rows(path: Path) -> tuple[list[str], list[dict]]:
    """(header, rows as dicts) of a CSV file."""
    with open(path, encoding="utf-8", newline="") as fh:
        r = csv.DictReader(fh)
        return list(r.fieldnames or []), list(r)


def columns(data_dir: Path) -> dict[str, list[str]]:
    """Table name -> column names, from a data directory's datapackage.json."""
    pkg = json.loads((Path(data_dir) / "datapackage.json").read_text(encoding="utf-8"))
    return {r["name"]: [f["name"] for f in r["schema"]["fields"]] for r in pkg["resources"]}


