"""How ``evidence check`` computes, not what: the speed measures of issue 15 item 9 (corpus scale) keep the output.

Byte-identity of the JSON output with an earlier revision is proven by ``benchmarks/bench_check_same.py`` (the
training pages and two 2 MB texts); these tests pin the mechanisms themselves.
"""
from __future__ import annotations

from pathlib import Path

REPO = Path(__file__).resolve().parents[1]



def test_check_pauses_the_cyclic_collector_only_while_it_runs_and_makes_no_cycles():
    """evidence.check.pipeline._gc_paused: the collector's state is what it was before, whatever it was, and a
    check leaves no cyclic garbage behind (so pausing the collector costs no memory). The text is the seed
    articles' opening lines (data/articles/)."""
    import gc

    from evidence.check import check

    text = "\n".join(p.read_text(encoding="utf-8")[:3000] for p in sorted((REPO / "data" / "articles").glob("*.txt")))
    check(text)          # the index and the engine are loaded before the cycles are counted
    gc.collect()
    assert gc.isenabled()
    check(text)
    assert gc.isenabled() and gc.collect() == 0
    gc.disable()
    try:
        check(text)
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_judging_a_repeated_claim_once_gives_what_judging_each_gives(monkeypatch):
    """evidence.check.judge.judge_all judges the same claim in the same sentence with the same link once and places
    the copy at its own offsets: the output is the output of judging every item (the memo never hits when each
    item gets a key of its own). The text is the seed articles' opening lines twice, so every claim repeats."""
    import json

    from evidence.check import check, judge

    text = "\n".join(p.read_text(encoding="utf-8")[:2500] for p in sorted((REPO / "data" / "articles").glob("*.txt")))
    text = text + "\n\n" + text
    memoized = check(text)
    monkeypatch.setattr(judge, "_item_key", lambda d, link: object())
    each = check(text)
    assert len(memoized.claims) > 40
    assert json.dumps(memoized.claims, sort_keys=True, default=str) == json.dumps(each.claims, sort_keys=True, default=str)
    assert json.dumps(memoized.non_claims, default=str) == json.dumps(each.non_claims, default=str)


def test_the_wilson_interval_is_statsmodels_own_to_the_last_bit():
    """evidence.stats.wilson.wilson_95 gives exactly what statsmodels' proportion_confint(x, n, alpha=0.05,
    method="wilson") gives (the engine's proportion recompute used the latter), for every count up to n = 300 and
    for some larger samples; the edges (0 or n events) are statsmodels' own answers."""
    import random

    from statsmodels.stats.proportion import proportion_confint

    from evidence.stats.wilson import wilson_95

    pairs = [(x, n) for n in range(1, 301) for x in range(n + 1)]
    rng = random.Random(9)
    pairs += [(rng.randint(0, n), n) for n in (rng.randint(301, 100000) for _ in range(2000))]
    for x, n in pairs:
        assert wilson_95(x, n) == proportion_confint(x, n, alpha=0.05, method="wilson"), (x, n)
    assert wilson_95(14, 20) == proportion_confint(14, 20, alpha=0.05, method="wilson")


# ---------------------------------------------------------------- session 11 (speed11): linear passes, more memos

def _item(start: int, end: int, code: str | None) -> dict:
    return {"start": start, "end": end, "reason_code": code}


def test_the_outermost_not_a_claim_items_are_the_pairwise_definitions_own():
    """evidence.check.sift._outermost drops an item lying inside a longer item of the same reason code, by one sort
    per code (the pairwise scan it replaced took 17.7M steps on the 2 MB benchmark text). Made-up spans: a nested
    item of the same code goes, one of another code stays, two items of the same span both stay (neither is longer),
    and on random spans the answer is the pairwise definition's, item for item and in order."""
    import random

    from evidence.check.sift import _outermost

    def pairwise(non):
        return [n for n in non if not any(o is not n and o.get("reason_code") == n.get("reason_code")
                                          and o["start"] <= n["start"] and n["end"] <= o["end"]
                                          and o["end"] - o["start"] > n["end"] - n["start"] for o in non)]

    outer, inner, other, twin_a, twin_b, same_start = (_item(0, 50, "page_itself"), _item(10, 20, "page_itself"),
                                                      _item(12, 18, "price"), _item(60, 70, "price"),
                                                      _item(60, 70, "price"), _item(0, 30, "page_itself"))
    kept = _outermost([outer, inner, other, twin_a, twin_b, same_start])
    assert [id(x) for x in kept] == [id(outer), id(other), id(twin_a), id(twin_b)]
    rng = random.Random(11)
    for _ in range(2000):
        non = []
        for _ in range(rng.randint(0, 12)):
            a = rng.randint(0, 10)
            item = {"start": a, "end": a + rng.randint(0, 6)}
            code = rng.choice(["x", "y", None, "absent"])
            if code != "absent":
                item["reason_code"] = code
            non.append(item)
        assert [id(x) for x in _outermost(non)] == [id(x) for x in pairwise(non)], non


def test_whether_a_back_up_covers_a_hedge_is_the_scan_of_every_span_by_bisection():
    """evidence.check.sift._Cover: a span (a, b) with a <= start and end <= b exists, answered by one bisection over
    the spans sorted with the furthest end reached so far; the answer is the scan's on made-up and random spans."""
    import random

    from evidence.check.sift import _Cover

    cover = _Cover([(10, 40), (0, 5), (12, 20)])
    assert cover.covers(15, 40) and cover.covers(0, 5) and not cover.covers(3, 8) and not cover.covers(35, 41)
    assert not _Cover([]).covers(0, 0)
    rng = random.Random(11)
    for _ in range(2000):
        spans = [(a, a + rng.randint(0, 8)) for a in (rng.randint(0, 20) for _ in range(rng.randint(0, 8)))]
        c = _Cover(spans)
        for _ in range(8):
            s = rng.randint(0, 25)
            e = s + rng.randint(0, 6)
            assert c.covers(s, e) == any(a <= s and e <= b for a, b in spans), (spans, s, e)


def test_memoized_clauses_and_remainders_are_fresh_lists_of_the_uncached_answer(monkeypatch):
    """evidence.check.clauses.clauses (memoized on the sentence, the offset added after) and
    evidence.check.units.remainders (memoized on the sentence, the taken spans and the model in use) give the
    uncached answer as a new list each call (a caller may change it), and a model swapped in reads with its own
    weights, not the memo's. Made-up sentence."""
    from evidence.check import claimclf, units
    from evidence.check.clauses import _clauses, clauses

    text = ("Ketamine was approved by the FDA in 1970, and it has a long record of safe use in surgery, "
            "which makes it a common anesthetic.")
    first = clauses(text, offset=7)
    assert first == [(7 + a, 7 + b) for a, b in _clauses.__wrapped__(text)] and len(first) >= 2
    first.append((0, 0))
    assert clauses(text, offset=7) == first[:-1]
    text = ("In 1962, ketamine was first synthesized by Calvin Stevens at Parke-Davis Co, a ketamine-derived "
            "anesthetic that works within hours.")
    taken = [(3, 7)]                                              # the year, listed by a detector
    got = units.remainders(text, taken)
    assert got == units._remainders(text, taken)
    assert [text[a:b] for a, b in got] == ["ketamine was first synthesized by Calvin Stevens at Parke-Davis Co, a "
                                           "ketamine-derived anesthetic that works within hours"]
    got.append((0, 0))
    assert units.remainders(text, taken) == got[:-1]
    shipped = claimclf.model()
    silent = {**shipped, "weights": {}, "intercept": -60.0}     # scores every remainder 0: none is listed
    monkeypatch.setattr(claimclf, "model", lambda: silent)
    assert units.remainders(text, taken) == [] == units._remainders(text, taken)
    monkeypatch.setattr(claimclf, "model", lambda: shipped)
    assert units.remainders(text, taken) == got[:-1]


def test_a_heading_cut_short_is_found_by_one_pass_over_the_later_headings_words():
    """evidence.check.sift._last_opened: key k (words joined by single spaces) is cut short from a later key exactly
    when the later key opens with k's words and more (after "the", "a" or "an" or not), as the pairwise regular
    expression it replaced said; made-up headings, then random ones."""
    import random
    import re

    from evidence.check.sift import _last_opened

    def pairwise(keys):
        return {i for i, k in enumerate(keys) if any(k2 != k and re.match(r"(?:(?:the|a|an)\s+)?" + re.escape(k) + " ",
                                                                          k2) for k2 in keys[i + 1:])}

    def one_pass(keys):
        last = _last_opened(keys)
        return {i for i, k in enumerate(keys) if last.get(k, -1) > i}

    keys = ["ketamine for depression", "the ketamine for depression guide", "ketamine", "ketamine for depression",
            "an fda approval", "fda approval"]
    assert one_pass(keys) == pairwise(keys) == {0, 2}     # "ketamine" opens the 4th key; "fda approval" opens none
    words = ["the", "a", "an", "fda", "ketamine", "approves", "then", "and"]
    rng = random.Random(11)
    for _ in range(5000):
        keys = [" ".join(rng.choice(words) for _ in range(rng.randint(1, 4))) for _ in range(rng.randint(0, 6))]
        assert one_pass(keys) == pairwise(keys), keys


def test_the_fuzzy_name_test_skips_only_pairs_its_upper_bounds_rule_out():
    """evidence.check.resolve.similar checks difflib's two upper bounds of the ratio (from the lengths, from the
    letters) before the ratio itself, as difflib.get_close_matches does: the answer is the plain ratio test's on
    random made-up names (and on typos of one another), near the threshold too."""
    import random
    from difflib import SequenceMatcher

    from evidence.check.resolve import FUZZY, similar

    def plain(a: str, b: str, threshold: float = FUZZY) -> bool:   # the test before session 12
        if not a or not b:
            return False
        if a == b:
            return True
        if min(len(a), len(b)) < 5:
            return False
        if (a in b or b in a) and abs(len(a) - len(b)) >= 4:
            return False
        return SequenceMatcher(None, a, b).ratio() >= threshold

    rng = random.Random(12)
    names = ["".join(rng.choice("aeimnorstu") for _ in range(rng.randint(3, 14))) for _ in range(150)]
    names += [n[:k] + rng.choice("aeiou") + n[k + 1:] for n in names[:60] for k in (rng.randrange(len(n)),)]
    pairs = [(a, b) for a in names[:70] for b in names]
    assert any(plain(a, b) and a != b for a, b in pairs)   # some typos are found, so the test can fail
    for a, b in pairs:
        for t in (FUZZY, 0.7, 0.95):
            assert similar(a, b, t) == plain(a, b, t), (a, b, t)


def test_memoized_regulatory_readings_are_fresh_sets_of_the_uncached_answer():
    """evidence.check.regulatory: a claim's clause, drugs, years, indication and qualifiers are memoized on the
    sentence text and the claim's offset (all they read); each call returns a fresh set (a caller may change it)
    equal to the answer read afresh. Made-up sentences."""
    from evidence.check import regulatory as R
    from evidence.check.spans import Detected
    from evidence.check.textprep import Sentence

    text = ("Ketamine has been approved as an anesthetic since 1970, and esketamine was approved for "
            "treatment-resistant depression in adolescents in 2019.")
    s = Sentence(0, len(text), text, 0)
    for word, kind in (("approved", "approval"), ("anesthetic", "approval")):
        for k in [i for i in range(len(text)) if text.startswith(word, i)]:
            d = Detected("regulatory_status", k, k + len(word), s, text=word, kind=kind, raw={})
            a = k
            drugs, years = R.claim_drugs(d), R.approval_years(d)
            assert R.clause(d) == R._clause_at.__wrapped__(text, a)
            assert drugs == set(R._claim_drugs_at.__wrapped__(text, a))
            assert R.indication(d) == R._indication_at.__wrapped__("", word, kind, text, a)
            drugs.add("changed"), years.add("changed")
            assert "changed" not in R.claim_drugs(d) and "changed" not in R.approval_years(d)
    late = Detected("regulatory_status", text.rindex("approved"), text.rindex("approved") + 8, s, text="approved",
                    kind="approval", raw={})
    assert R.claim_drugs(late) == {"esketamine"} and R.approval_years(late) == {"2019"}   # its own clause's
    assert "adolescents" in R._qualified(f"{R.indication(late)} {late.quote} {R._narrowed_to(late)}")


def test_memoized_author_and_journal_lookups_are_the_scan_of_every_name():
    """evidence.check.resolve.Resolver._author and _journal_sources memoize the fuzzy scan over every author and
    journal of the evidence base (built once, in __init__): the answer is the scan's, a fresh set for an author.
    Names: typos made up from the evidence base's own authors and journals (data/sources.csv)."""
    from evidence.check.link import get_index
    from evidence.check.resolve import _contains, similar

    r = get_index(REPO / "data").resolver
    authors = sorted(r.by_author)[:25]
    for w in [a[:-1] + "x" for a in authors if len(a) >= 6] + ["zzzzzz"]:
        want = set().union(*(r.by_author[a] for a in r.by_author if similar(a, w)))
        got = r._author(w, r.by_author)
        assert got == want
        got.add("changed")
        assert "changed" not in r._author(w, r.by_author)
    assert any(r._author(a[:-1] + "x", r.by_author) for a in authors if len(a) >= 6)   # typos do resolve
    for key in sorted(r.journals)[:25]:
        want = set().union(*(s for jk, s in r.journals.items() if jk == key or similar(jk, key) or _contains(jk, key)))
        assert r._journal_sources(key) == want and key in r.journals and want


def test_the_pages_naming_themselves_are_found_as_the_scan_of_every_organisation_and_text_finds_them():
    """evidence.check.sift._self_named (speed13): settle12's definition searched every pattern of
    sift._SELF_NAMING for every organisation in every sentence of the text (660,000 searches on 0.6 MB of real copy,
    about half of the real 2 MB run); it now searches only the sentences with a self-naming word that hold the
    organisation's name. The answer is the scan's on made-up sentences (each pattern, case, a name that is a prefix
    of another, a name in a sentence of its own beside the self-naming one, regex characters in a name) and on
    random sentences built from those words."""
    import random
    import re

    from evidence.check.sift import _SELF_NAMING, _self_named

    def scan(orgs, texts):
        return {o for o in orgs if any(re.search(p.format(org=re.escape(o)), t, re.I)
                                       for p in _SELF_NAMING for t in texts)}

    texts = ["We do not endorse non-Acme Clinic products.", "© 2024-2025 the Mayo Foundation. All rights reserved",
             "Copyright Bright Health", "  Hope Center is a not-for-profit hospital.", "Here at Sun (Rx) Care, we treat",
             "Acme Clinic says 70% improved.", "Mayo Clinic found a 50% response", "Trials at Yale University showed",
             "at yale university, our team"]
    orgs = {"Acme Clinic", "Acme", "Mayo Foundation", "Mayo Clinic", "Bright Health", "Hope Center", "Sun (Rx) Care",
            "Yale University", "Harvard", "Clinic"}
    assert _self_named(orgs, texts) == scan(orgs, texts) == {"Acme Clinic", "Acme", "Mayo Foundation",
                                                              "Bright Health", "Hope Center", "Sun (Rx) Care",
                                                              "Yale University"}
    assert _self_named(orgs, []) == set() and _self_named(set(), texts) == set()
    words = ["non-", "©", "(c)", "copyright", "2025", "the", "at", "here", "we", "our", "is", "a", "nonprofit",
             "non-profit", "ACME", "acme", "Acme Clinic", "Mayo", ",", "NON-", "At", "profit", "\n"]
    rng = random.Random(13)
    for _ in range(3000):
        ts = ["".join(rng.choice(words) + rng.choice([" ", "", "  "]) for _ in range(rng.randint(0, 7)))
              for _ in range(rng.randint(0, 4))]
        os_ = set(rng.sample(["Acme", "acme clinic", "Mayo", "Acme Clinic", "the", "we"], rng.randint(0, 4)))
        assert _self_named(os_, ts) == scan(os_, ts), (os_, ts)
