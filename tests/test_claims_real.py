"""Real claims whose answer is beyond doubt get that answer (issue #5), and the exports are complete and valid."""
from __future__ import annotations

import csv
import io
import json
import pytest
from conftest import DATA

from evidence.claims import evaluate_all
from evidence.cli import main
from evidence.db import load_db


@pytest.fixture(scope="module")
def verdicts():
    db = load_db(DATA)
    return evaluate_all(db).set_index("claim_id")


@pytest.mark.parametrize("claim_id, verdict, why", [
    # NIMH GAD statistics page: past-year GAD 3.4% in women, 1.9% in men, 2.7% overall (NCS-R, 2001-2003)
    ("000-07", "accurate", "3.4% women matches NIMH exactly"),
    ("000-08", "accurate", "1.9% men matches NIMH exactly"),
    ("000-06", "accurate", "~2.7% matches NIMH 2.7%"),
    # NIMH SAD statistics page: lifetime 12.1%
    ("000-10", "accurate", "~12.1% lifetime matches NIMH"),
    # Taylor et al. 2018 was published in Neuropsychopharmacology (PMC5729569), in 2018, n=18
    ("003-04", "accurate", "journal"),
    ("003-03", "accurate", "year"),
    ("003-06", "accurate", "18 adults"),
    ("003-09", "accurate", "crossover RCT"),
    # Oliver 2022: 424 patients, J Clin Psychiatry
    ("000-33", "accurate", "424 patients"),
    ("001-05", "accurate", "Journal of Clinical Psychiatry"),
    # Whittaker 2021 pooled SAD, PTSD and OCD trials, not GAD
    ("000-15", "misattributed", "no GAD trials were pooled"),
    # Glue 2017 gave 0.25-1 mg/kg subcutaneously, not IV
    ("000-19", "misattributed", "route is SC"),
    # FDA approved esketamine, not ketamine, for depression
    ("002-10", "misattributed", "esketamine, not ketamine"),
    # FDA 2023: ketamine is not FDA approved for any psychiatric disorder
    ("002-09", "accurate", "not approved for anxiety"),
    # printed OR 28.94 (3.45-242.57) from two small trials: matches, but n=18 and n=12
    ("000-17", "accurate_missing_context", "~28.9 vs 28.94, two small trials"),
    # 'the majority' get little or no relief from conventional treatment: Bystritsky 2006 abstract,
    # about 60% respond, so about 40% do not: a minority, the opposite side of the majority line
    ("003-17", "contradicted", "40% is a minority"),
    # Re-judged verdicts (issue 14), each with its review_note in claims.csv:
    # NIMH: any anxiety disorder 19.1% past year, 31.1% lifetime; the 19% 'at some point' is the past-year figure
    ("000-04", "misattributed", "past-year figure given as lifetime"),
    # Bandelow 2018 (no difference after stopping) vs Batelaan 2017 (OR 3.11 for relapse after stopping)
    ("002-03", "mixed", "sources point both ways"),
    # NIH 'at least three to four weeks, sometimes longer'; Rodriguez 2013 '2-3 months lag time'
    ("003-19", "accurate_missing_context", "SSRIs can take months; typically 4-6 weeks to notice"),
    # Walsh 2021: 'less robust, but suggests similarly positive' effects
    ("003-22", "overstated", "direction supported, strength not"),
    # OCEBM 2011: randomised trial is Level 2, below systematic reviews of RCTs
    ("003-11", "overstated", "strongest single-study design, not the highest standard"),
    # Marchi 2022: no difference in cognition, in adults with affective disorders
    ("000-27", "accurate_missing_context", "indirect population"),
    # Taylor et al. 2018, Neuropsychopharmacology, cited as J Clin Psychopharmacol 2021
    ("004-22", "misattributed", "wrong year and journal"),
    # ADAA 40 million = 18.1% of 221 million adults; 2020 census: 258.3 million adults (18.1% = 46.8 million)
    ("000-02", "accurate_missing_context", "a count of the mid-2000s population"),
    # Janssen: phase 3 esketamine trials allowed benzodiazepines up to 6 mg/day lorazepam equivalent
    ("003-23", "contradicted", "they can be taken together"),
    # no source gives 70-80% for ketamine infusion in anxiety
    ("003-18", "unsupported", "no source"),
    # no NIMH page gives 'up to 40%'
    ("004-03", "unverifiable", "NIMH 2023 not identifiable"),
])
def test_real_claims(verdicts, claim_id, verdict, why):
    assert verdicts.loc[claim_id, "verdict"] == verdict, why


def test_pooled_or_claim_names_the_small_trials_behind_it(verdicts):
    # "odds ratio ~28.9" against Whittaker et al. 2021's printed OR 28.94 (abstract): it holds, and the
    # explanation carries the trial tagged to the analysis from its counts (Taylor 2018, n=18). Glue 2020
    # (n=12) is not named: the abstract does not say which two social anxiety trials were pooled (000-17's
    # review_note). That the printed CI is carried is asserted by
    # test_printed_pooled_estimate_carries_its_trials_and_imprecision.
    row = verdicts.loc["000-17"]
    assert "n = 18" in row["explanation"] and "n = 12" not in row["explanation"]
    assert row["holds"]


def test_every_claim_has_a_verdict_explanation_and_holds(verdicts):
    db = load_db(DATA)
    assert len(verdicts) == len(db.claims)
    assert verdicts["verdict"].notna().all() and (verdicts["explanation"].str.len() > 20).all()
    assert set(verdicts["holds"]) <= {True, False}
    # a claim that does not hold always says what the evidence supports
    bad = verdicts[~verdicts["holds"]]
    assert (bad["correction"].str.len() > 10).all()


def test_parameters_change_verdicts_reproducibly():
    db = load_db(DATA)
    a = evaluate_all(db)
    b = evaluate_all(db)
    assert a.equals(b)
    # "about 30%" against a third of completers (Taylor 2012, derived 33.3%) holds with the default 10%
    # tolerance for "about", and is understated when "about" is given no tolerance beyond rounding
    c = evaluate_all(db, {"approx_rel_tol": 0.0}).set_index("claim_id")
    assert a.set_index("claim_id").loc["002-02", "verdict"] == "accurate"
    assert c.loc["002-02", "verdict"] == "understated"
    # "~28.9" stands for [28.85, 28.95] by rounding alone, so 28.94 still matches
    assert c.loc["000-17", "verdict"] == "accurate_missing_context"


def test_cli_csv_prints_every_curated_claim(capsys):
    assert main(["claims", "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    db = load_db(DATA)
    assert [r["claim_id"] for r in rows] == list(db.claims.index)
    for col in ("article", "claim_id", "quote", "claimed", "recomputed", "verdict", "holds", "rating", "certainty",
                "sources", "explanation", "correction"):
        assert col in rows[0]


def test_cli_jsonld_is_valid_claimreview(capsys, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")  # 2026-01-01
    assert main(["claims", "--format", "jsonld", "--article", "003_ad3450c415c3f1bc"]) == 0
    items = json.loads(capsys.readouterr().out)
    db = load_db(DATA)
    assert len(items) == int((db.claims["article_id"] == "003_ad3450c415c3f1bc").sum()) > 0
    for it in items:
        assert it["@context"] == "https://schema.org" and it["@type"] == "ClaimReview"
        assert it["datePublished"] == "2026-01-01"
        r = it["reviewRating"]
        assert 1 <= r["ratingValue"] <= 5 and r["bestRating"] == 5 and r["worstRating"] == 1 and r["alternateName"]
        assert it["claimReviewed"] and it["itemReviewed"]["@type"] == "Claim"


def test_cli_rejects_unknown_article_and_parameter(capsys):
    assert main(["claims", "--article", "nope"]) == 2
    assert "--article 'nope' is no article" in capsys.readouterr().err
    assert main(["claims", "--article", "00"]) == 2          # a prefix of all five articles
    assert "matches several articles" in capsys.readouterr().err
    with pytest.raises(SystemExit, match="unknown parameter"):
        main(["claims", "-p", "colour=red"])


def test_printed_pooled_estimate_carries_its_trials_and_imprecision(verdicts):
    # Whittaker 2021's SAD OR rests on Taylor 2018 (n=18); its CI 3.45-242.57 spans two orders of magnitude
    flags = verdicts.loc["000-17", "flags"]
    assert any("Taylor et al. 2018 is small (n = 18)" in f for f in flags)   # named as cited, not by source_id
    assert any(f.startswith("the estimate is imprecise (95% CI 3.45 to 243)") for f in flags)


def test_check_new_copy_agrees_with_the_curated_verdicts():
    """Differently worded copy gets the verdicts the evidence base gives (issue #7, 'Done when')."""
    from evidence.check import check

    text = ("A 2018 randomized trial of 18 adults with social anxiety, published in Neuropsychopharmacology, "
            "found that 33% responded to intravenous ketamine. A 2021 meta-analysis reported an odds ratio of "
            "28.94 for social anxiety. Ketamine is FDA-approved for anxiety.")
    got = {(c["claim_type"], c["verdict"]) for c in check(text, fmt="text").claims}
    assert ("design", "accurate") in got                      # a crossover RCT is a randomized trial
    assert ("effect_size", "accurate_missing_context") in got  # 28.94: two small trials, wide CI
    assert ("regulatory_status", "contradicted") in got       # FDA: not approved for any psychiatric disorder


def test_study_names_as_cited():
    # sources.csv authors: "van Dis EAM, ..." (JAMA Psychiatry 2020); NIMH's publisher repeats its name
    from evidence.claims import study_name
    db = load_db(DATA)
    assert study_name(db.sources.loc["vandis2020"]) == "van Dis et al. 2020, JAMA Psychiatry"
    assert study_name(db.sources.loc["taylor2018"], journal=False) == "Taylor et al. 2018"
    assert study_name(db.sources.loc["nimh_any_anxiety"]) == "National Institute of Mental Health"


def test_a_caveat_reaches_the_cards_flags(verdicts):
    # 000-02: ADAA's 40 million is 18.1% of 221 million adults; the 2020 census counted 258.3 million
    flags = " ".join(verdicts.loc["000-02", "flags"])
    assert "221 million" in flags and "258.3 million" in flags


def test_cli_article_by_its_number(capsys):
    # an editor types the article's number, as the report shows it ("article 002"); data/articles.csv has one 002_…
    assert main(["claims", "--format", "csv", "--article", "002"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert rows and {r["claim_id"][:3] for r in rows} == {"002"}
