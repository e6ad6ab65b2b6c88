"""The literal prefilters of ``evidence check`` (src/evidence/check/rxfilter.py): a speed-up that must never change
what an expression finds. ``may_match(rx, text)`` may say True when ``rx`` does not match (then ``rx`` is run);
it must never say False when ``rx`` matches somewhere in ``text``, or in a window of it."""
from __future__ import annotations

import random
import re
import sys
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

import importlib
import pkgutil

import evidence.check
from evidence.check import claimclf
from evidence.check.rxfilter import ASCII_FOLDS, Prefiltered, folded, may_match, required

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "benchmarks"))
import bench_check_corpus as corpus  # noqa: E402


def _patterns_of(mod) -> list[re.Pattern]:
    """Every compiled expression a module keeps (top level, in dicts, lists, tuples, named tuples)."""
    out, seen = [], set()

    def walk(x, depth=0):
        if isinstance(x, Prefiltered):   # (wrapped by the pipeline: the pattern inside)
            x = x.rx
        if isinstance(x, re.Pattern):
            if id(x) not in seen:
                seen.add(id(x))
                out.append(x)
        elif depth < 4 and isinstance(x, dict):
            for v in x.values():
                walk(v, depth + 1)
        elif depth < 4 and isinstance(x, (list, tuple)):   # (a named tuple too)
            for v in x:
                walk(v, depth + 1)
    for v in vars(mod).values():
        walk(v)
    return out


#: every module-level expression of evidence.check (the prefilter is sound for any of them, not just the ones it serves)
PATTERNS = list({id(rx): rx for mi in pkgutil.iter_modules(evidence.check.__path__)
                 for rx in _patterns_of(importlib.import_module(f"evidence.check.{mi.name}"))}.values())


def _train_sentences(n: int = 160) -> list[str]:
    lines = []
    for page in corpus.pages("train"):          # the training pages only (never the unseen split)
        assert page["split"] not in corpus.UNSEEN_SPLITS
        lines += [x for x in corpus.page_file(page["page_id"]).read_text(encoding="utf-8").splitlines() if x.strip()]
    return random.Random(15).sample(lines, min(n, len(lines)))


def _assert_sound(rx: re.Pattern, text: str) -> None:
    if may_match(rx, text):
        return
    assert rx.search(text) is None, (rx.pattern[:80], text[:120])
    for a, b in ((0, len(text) // 2), (len(text) // 3, len(text)), (5, len(text) - 5)):
        if 0 <= a <= b:
            assert rx.search(text, a, b) is None, (rx.pattern[:80], text[:120], a, b)


def test_the_ascii_folds_are_every_character_case_insensitive_matching_pairs_with_an_ascii_letter():
    every = "".join(chr(c) for c in range(0x80, 0x110000) if not 0xD800 <= c < 0xE000)
    found = set()
    for letter in "abcdefghijklmnopqrstuvwxyz":
        found |= set(re.findall(letter, every, re.I))
    assert found == set(ASCII_FOLDS)   # İ ı ſ K (Python 3.11's re)
    assert folded("Ketamine İs") is None and folded("KETAMINE’s") == "ketamine’s"


def test_literals_read_from_the_expression():
    assert required(re.compile(r"\b(?:19|20)\d{2}\b")) == (("19", "20"), False)
    assert required(re.compile(r"\b(?:safe\w*|harm(?:ful)?|side[- ]effects?)", re.I)) == (
        ("side effect", "side-effect", "harm", "safe"), True)
    # the parser factors a common first letter out of the alternatives: the rest of each is still required
    assert required(re.compile(r"\bsafe\w*|\bside[- ]effects?", re.I)) == (("ide effect", "ide-effect", "afe"), True)
    assert required(re.compile(r"[Kk]etamine")) == (("Ketamine", "ketamine"), False)
    assert required(re.compile(r"a?b|c*")) == (None, False)          # may match the empty string: nothing required
    assert required(re.compile(r"(?i:abc)d")) == (("d",), False)     # a (?i:) group in a cased expression: none
    # a case-sensitive group inside a case-insensitive expression (speed13): its ASCII literals, lower-cased, as the
    # text lower-cased holds them ("major depression or MDD"); a cased non-ASCII letter in it gives none
    assert required(re.compile(r"major\s+depress\w*|(?-i:\bMDD\b)", re.I)) == (("depress", "mdd"), True)
    assert required(re.compile(r"x(?-i:AB[Cc])d", re.I)) == (("xabcd",), True)
    assert required(re.compile("(?-i:\u00c9tude)", re.I)) == (None, True)
    assert may_match(re.compile(r"(?-i:\bMDD\b)", re.I), "diagnosed with MDD") and not may_match(
        re.compile(r"(?-i:\bMDD\b)", re.I), "diagnosed with major depression")
    assert required(re.compile(r"\d+")) == (None, False)
    # every lexicon of the classifier is prefiltered (the point of the module)
    assert all(required(rx)[0] for rx in claimclf.LEXICONS.values())


def test_never_false_when_the_expression_matches_the_training_pages():
    assert len(PATTERNS) > 400
    texts = _train_sentences()
    texts += [t.upper() for t in texts[:40]] + [t.title() for t in texts[:40]] + [t.swapcase() for t in texts[:40]]
    for rx in PATTERNS:
        for t in texts:
            _assert_sound(rx, t)


WORDS = st.sampled_from(["ketamine", "Ketamine", "KETAMINE", "FDA", "approved", "Approv", "safe", "side-effects",
                         "side effects", "2019", "1999", "n = 18", "18%", "percent", "we", "our", "is", "are", "et al.",
                         "İ", "ı", "ſ", "K", "’", "—", "\u00a0", "$399", "mg/kg", "IV", "nasal spray", "placebo",
                         "randomized", "anxiety", "GAD", "depression", "study", "trial", "not", "n’t", " ", ", ", ". "])
TEXTS = st.lists(st.one_of(WORDS, st.text(max_size=6)), max_size=14).map(" ".join)


@settings(max_examples=150, deadline=None)
@given(TEXTS)
def test_never_false_when_the_expression_matches_generated_text(text):
    for rx in PATTERNS:
        _assert_sound(rx, text)



def _spans(ms) -> list:
    return [(m.span(), m.groups()) for m in ms]


def test_a_prefiltered_pattern_answers_as_the_pattern_does():
    texts = _train_sentences(60) + ["", "KETAMINE İS approved", "ſafe", "Ketamine’s FDA-approved nasal spray (2019)"]
    n = 0
    for rx in PATTERNS:
        if required(rx)[0] is None:
            continue
        p = Prefiltered(rx)
        n += 1
        for t in texts:
            m, m2 = p.search(t), rx.search(t)
            assert (m and (m.span(), m.groups())) == (m2 and (m2.span(), m2.groups())), rx.pattern[:60]
            assert _spans(p.finditer(t)) == _spans(rx.finditer(t))
            assert p.findall(t) == rx.findall(t) and p.sub("#", t) == rx.sub("#", t) and p.subn("", t) == rx.subn("", t)
            assert _spans(p.finditer(t, 3, 90)) == _spans(rx.finditer(t, 3, 90))
        assert p.pattern == rx.pattern and p.flags == rx.flags and p.groupindex == rx.groupindex
    assert n > 400


def test_the_pipeline_wraps_the_module_patterns_once():
    from evidence.check import check, lexicon, textprep
    from evidence.check.rxfilter import prefilter_modules

    check("Ketamine was approved by the FDA in 2019 for treatment-resistant depression.")
    assert isinstance(lexicon.RX_DESIGN, Prefiltered) and isinstance(textprep._MD_LINK, Prefiltered)
    assert prefilter_modules(["evidence.check.lexicon", "evidence.check.textprep"]) == 0   # nothing more to wrap


def test_a_prefiltered_pattern_pickles_and_copies_as_itself():
    import copy
    import pickle

    p = Prefiltered(re.compile(r"\bketamine\b", re.I))
    for q in (pickle.loads(pickle.dumps(p)), copy.copy(p), copy.deepcopy(p)):
        assert isinstance(q, Prefiltered) and q.pattern == p.pattern and q.search("KETAMINE works").span() == (0, 8)
        assert q.search("esketamine") is None and q.groups == 0
