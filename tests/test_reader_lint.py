"""The reader lint (evidence.report.lint) and the reader pages it guards (evidence.report.reader).

The rule tests feed the lint text it must flag and text it must let through; the page tests
render every article page, the claim explorer and the sources page from the real data/ and
require them to be clean, every quote to be found in its article, and every permalink the
exports use to land on a card.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from evidence import analyses as A
from evidence.claims import evaluate_all
from evidence.report import lint as L
from evidence.report import reader as R

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"


def page(body: str) -> str:
    return f"<!DOCTYPE html><html><head><title>t_t</title><style>.a_b{{}}</style></head><body><main>{body}</main>" \
           '<footer class="ev-provenance"><p>numpy 2.0.0 · data <code>0fb131506ced</code> /work/wt/x</p></footer></body></html>'


def findings(body: str, ids=frozenset({"taylor2018", "nimh_gad"})):
    text, links, _ = L.visible(page(body))
    return [(f.rule, f.text) for f in L.lint_text("p.html", text, links, set(ids)) + L.lint_prose("p.html", text)]


@pytest.mark.parametrize("body, rule", [
    ("<p>taylor2018 is small (n=18)</p>", "internal-id"),           # the issue's own example
    ("<p>Evidence: nimh_gad: 2.7%</p>", "internal-id"),
    ("<p>crossover_rct, value_pct</p>", "snake-case"),
    ("<p>RD 0.3595 (95% CI 0.05832 to 0.5934)</p>", "raw-float"),
    ("<p>0.6667 hours</p>", "raw-float"),
    ("<p>Oliver 2022: n=424.0, 30.0% reduction</p>", "raw-float"),
    ("<p>/tmp/build/x.py:3: UserWarning: Glyph missing</p>", "build-leak"),
    ("<p>Traceback (most recent call last):</p>", "build-leak"),
    ('<p><a href="https://web.archive.org/web/2022/x">web.archive.org</a></p>', "bare-address"),
    ('<p><a href="http://47.251.13.51:8081/38636712">47.251.13.51</a></p>', "bare-address"),
    ('<p><img src="x.png" alt="chart of crossover_rct"></p>', "snake-case"),
    # the editorial rules (review s1 items 14, 24, 27 and the cut cards of the closing note)
    ("<p>Population: nan · Dose: 0.5 mg/kg</p>", "missing-value"),                # review item 24
    ("<p>Give the source's own record: None (National Institute of Mental Health).</p>", "missing-value"),
    ("<p>Howick et al. 2011: n/a (evidence hierarchy)</p>", "missing-value"),
    ("<p>Why Ketamine Can Be a Game-Changer [/av_textblock]</p>", "markup"),       # review item 14
    ("<p>| Time to Effect | Weeks to months | Hours to days |</p>", "markup"),
    ("<p>|---|---|---|</p>", "markup"),
    ("<nav><span>Articles checked › [untitled] Ketamine has been long touted</span></nav>", "markup"),
    ("<p>**Note:** the data</p>", "markup"),
    ("<p>See [the paper](https://doi.org/10.1/x).</p>", "markup"),
    ("<p>benzodiazepines, which the article itself lists among the…</p>", "cut"),
    ("<p>The source says: “First-line drugs are the SSRIs and</p>", "cut"),
    ("<p>the the evidence</p>", "doubled"),
    ("<p>Anxiety and Depression Association of America, Anxiety and Depression Association of America (ADAA)</p>",
     "doubled"),                                                                     # review item 27
    ("<p>DailyMed (via fda.report) (read via fda.report)</p>", "doubled"),
    ("<p>1 patients responded</p>", "grammar"),
    ("<p>antidepressant….</p>", "grammar"),
    ("<p>no remission rates or durations;.</p>", "grammar"),
    ("<p>names no author, journal or year. candidates cannot be confirmed.</p>", "grammar"),
])
def test_lint_flags(body, rule):
    assert rule in [r for r, _ in findings(body)], findings(body)


@pytest.mark.parametrize("body", [
    "<p>Taylor et al. 2018 is small (n = 18): OR 28.9 (95% CI 3.45 to 243), p = 0.019.</p>",
    "<p>6 of 18 (33%) responded on ketamine, 0 of 18 (0%) on saline placebo; crossover trial, n = 18.</p>",
    '<p><a href="../downloads/claims.csv">claims.csv</a> · <a href="https://doi.org/10.1038/npp.2017.194">'
    "Taylor et al. 2018, <i>Neuropsychopharmacology</i></a> (read via web.archive.org); doi:10.1038/npp.2017.194</p>",
    '<details><summary>How it was checked</summary><code class="ev-spec">effect:outcome=taylor2018_lsas,measure=RD</code></details>',
    "<p>40 million adults, 18.1% of the population, 1.9%, 12.1% · claim 000-17</p>",
    "<script>var snake_case = 0.123456;</script>",
    # what the editorial rules must let through: real prose of the report
    "<p>None of the 5 articles cites it; none fails. The null hypothesis of no effect.</p>",
    "<p>Level 1: systematic review of randomised trials or n-of-1 trials; follow-up up to 1 year.</p>",
    "<p>1 patient, 1 trial, 2 patients; Taylor et al. 2018 (Neuropsychopharmacology); e.g. depression.</p>",
    "<p>KETALAR is a general anesthetic indicated ... (indications: sole anesthetic agent).</p>",
    "<p>Antidepressants take weeks: NIH says 3–4 weeks, sometimes longer…</p>",
    "<table><tr><td>none</td><td>none</td></tr></table>",
    "<table><tr><th>Treatment Types</th><th>Ketamine</th></tr><tr><td>Time to Effect</td><td>Hours to days</td></tr></table>",
    "<p>National Institute of Mental Health 2017; National Institute of Mental Health 2023</p>",
])
def test_lint_lets_through(body):
    assert findings(body) == []


def test_agreement_flags_a_bottom_line_the_index_does_not_repeat():
    art = page('<p class="ev-bottom">3 of 4 checked claims hold up; 1 does not: 1 overstated.</p>')
    idx = page('<p class="ev-bottom">Across the 1 articles: 3 of 4 checked claims hold up.</p>'
               '<p class="ev-bottom">2 of 4 checked claims hold up; 2 do not: 2 overstated.</p>')
    seen = {"index.html": L.visible(idx)[::2], "pages/article-a.html": L.visible(art)[::2]}
    out = L.agreement(seen)
    assert [f.rule for f in out] == ["disagree"] and out[0].page == "pages/article-a.html"
    # the same sentence on both pages: nothing to say
    idx2 = page('<p class="ev-bottom">3 of 4 checked claims hold up; 1 does not: 1 overstated.</p>')
    assert L.agreement({"index.html": L.visible(idx2)[::2], "pages/article-a.html": L.visible(art)[::2]}) == []


def test_agreement_flags_two_trial_counts():
    a = page("<p>7 randomized controlled trials of ketamine in anxiety disorders are on record.</p>")
    b = page("<p>6 RCTs in anxiety disorders.</p>")
    out = L.agreement({"index.html": L.visible(a)[::2], "pages/evidence-map.html": L.visible(b)[::2]})
    assert len(out) == 1 and "7 on index.html" in out[0].text and "6 on pages/evidence-map.html" in out[0].text


def test_lint_cli_exit_codes(tmp_path, capsys):
    assert L.main([str(tmp_path)]) == 2                     # not a report
    (tmp_path / "pages").mkdir()
    (tmp_path / "index.html").write_text(page("<p>All good: 18.1%.</p>"))
    assert L.main([str(tmp_path), str(DATA)]) == 0
    (tmp_path / "pages" / "x.html").write_text(page("<p>n=424.0</p>"))
    assert L.main([str(tmp_path), str(DATA)]) == 1
    assert "pages/x.html: raw-float" in capsys.readouterr().out


# ------------------------------------------------------------------ the reader pages on the real data

@pytest.fixture(scope="module")
def rendered():
    db = A.load(DATA)
    params = A.merge_params()
    claims = evaluate_all(db, params)
    order = list(db.articles.index)
    pages, facts = {}, {}
    for a in order:
        html, f = R.article_page(db, a, claims[claims["article"] == a], params, order=order)
        pages[f"pages/{R.article_page_name(a)}.html"] = html
        facts[a] = f
    pages["pages/claims.html"] = R.explorer(db, claims, params)
    pages["pages/sources.html"] = R.sources_page(db, claims)
    return db, claims, pages, facts


def test_reader_pages_have_no_internals(rendered):
    db, _, pages, _ = rendered
    ids = L._ids(DATA)
    assert "taylor2018" in ids and "000_5567c11ba940ceba" in ids
    bad = []
    for name, html in pages.items():
        text, links, _ = L.visible(page(html))
        bad += [str(f) for f in L.lint_text(name, text, links, ids) + L.lint_prose(name, text)]
    assert bad == []


def test_every_quote_is_found_in_its_article(rendered):
    # quotes are verbatim (project rule); the annotated article highlights each one in place
    _, claims, _, facts = rendered
    assert {a: f["unlocated_quotes"] for a, f in facts.items() if f["unlocated_quotes"]} == {}
    assert sum(len(f["verdict_counts"]) > 0 for f in facts.values()) == claims["article"].nunique()


def test_every_permalink_lands_on_a_card(rendered):
    # what claims.csv / claims.jsonld carry (relative to report/downloads/) must resolve in the report
    _, claims, pages, _ = rendered
    ids = {name: set(re.findall(r'id="(claim-[^"]+)"', html)) for name, html in pages.items()}
    for _, r in claims.iterrows():
        link = R.permalink(r["article"], r["claim_id"], from_dir="downloads")
        path, frag = link.split("#")
        assert path.startswith("../pages/")
        assert frag in ids[path[len("../"):]], link
    # and every card on an article page links back to itself
    html = pages["pages/article-000_5567c11ba940ceba.html"]
    assert 'id="claim-000-17"' in html and 'href="article-000_5567c11ba940ceba.html#claim-000-17"' in html


def test_article_page_leads_with_the_verdict_and_worst_claims(rendered):
    _, claims, pages, facts = rendered
    html = pages["pages/article-003_ad3450c415c3f1bc.html"]
    # 003 (the untitled one) is identified by a description, never "[untitled]"
    assert "[untitled]" not in html and "An untitled blog post about ketamine for anxiety" in html
    vc = claims[claims["article"] == "003_ad3450c415c3f1bc"]["verdict"].value_counts()
    holds = int(vc.get("accurate", 0) + vc.get("accurate_missing_context", 0))
    assert facts["003_ad3450c415c3f1bc"]["bottom_line"].startswith(f"{holds} of {int(vc.sum())} checked claims hold")
    # the most serious verdict comes first: contradicted cards before any accurate card
    assert html.index('data-verdict="contradicted"') < html.index('data-verdict="accurate"')
    assert html.index('class="ev-verdict-card"') < html.index('data-verdict="contradicted"')


def test_claim_card_evidence_in_words(rendered):
    db, claims, _, _ = rendered
    rows = {r["claim_id"]: r for r in db.table("claims").records}
    r = claims.set_index("claim_id", drop=False).loc["000-17"]
    card = R.claim_card_data(r, db, A.merge_params(), rows["000-17"])
    # Whittaker 2021 abstract: OR 28.94 (95% CI 3.45-242.57), shown to 3 significant figures
    assert card["evidence"][0] == "As the source prints it: OR 28.9 (95% CI 3.45 to 243)."
    assert card["why"].startswith("The figure matches, but the wording leaves out that Taylor et al. 2018 is small (n = 18)")
    assert any("crossover trial" in s["words"] and "n = 18" in s["words"] for s in card["studies"])


def test_citations_as_people_cite_them():
    import pandas as pd

    db = A.load(DATA)
    c = R.cite(db.sources.loc["taylor2018"])
    assert c["short"] == "Taylor et al. 2018" and c["href"] == "https://doi.org/10.1038/npp.2017.194"
    assert "Taylor et al. 2018, <i>Neuropsychopharmacology</i>" in c["html"]
    # sources.csv with a canonical url and the copy read apart (curation's columns, issue #14):
    # the mirror that was read is shown as "read via", never as the name
    row = pd.Series({"kind": "trial", "authors": "Glue P, Neehoff S, Sabadel A, et al.", "year": 2020,
                     "journal": "Journal of Psychopharmacology", "doi": "10.1177/0269881119874457",
                     "url": "https://doi.org/10.1177/0269881119874457", "read_via": "https://peeref.com/works/19043032",
                     "read_what": "abstract"})
    c = R.cite(row)
    assert (c["short"], c["read_via"], c["read_what"]) == ("Glue et al. 2020", "peeref.com", "abstract only")
    assert c["html"].startswith('<a href="https://doi.org/10.1177/0269881119874457">Glue et al. 2020, ')
    org = pd.Series({"kind": "web_page", "authors": "Anxiety and Depression Association of America", "year": 2022,
                     "url": "https://adaa.org/", "read_via": "https://web.archive.org/web/20220225174708/http://www.adaa.org"})
    c = R.cite(org)
    assert c["short"] == "Anxiety and Depression Association of America 2022" and c["read_via"] == "web.archive.org"
    # before those columns: an archive address is still not the name
    c = R.cite(db.sources.loc["adaa_home_2022"])
    assert "web.archive.org" not in c["short"] and "web.archive.org" in (c["read_via"] + c["href"])
