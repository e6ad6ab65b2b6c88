"""A claim-sentence classifier: is this sentence (heading, list item) a checkable claim? (issue 15, detection)

Session 3's word-claim detectors were named regular expressions for the phrasings seen in training: 99% detection
on the training pages, 66% on unseen ones. This module backs them with a regularized logistic regression over
*general* sentence features, not phrasings:

* **lexicon hits** (:data:`LEXICONS`): what the sentence is about (the drug, a study, a condition) and what kind of
  fact it asserts (regulatory, safety, design, route, onset, attribution, mechanism, efficacy);
* **sentence shape** (:func:`shape`): a question, an imperative, the clinic's own voice (we / our / you), a hedge, a
  quotation, a heading, a list item, its length, a figure;
* **word features** (:func:`words`): lower-cased words, kept in the model only when they occur on several sites
  (``benchmarks/train_claim_classifier.py`` chooses them; grouped cross-validation says whether they help).

The model is a plain JSON file beside this module (``claimclf_model.json``: the features, their weights, the
intercept and the decision threshold), written by ``benchmarks/train_claim_classifier.py`` from the labelled corpus
(training splits only) and checked by ``tests/test_check_claimclf.py``: retraining reproduces the shipped file, and
its cross-validated figures stay above a floor. Nothing is unpickled and the runtime needs no learning library.
"""
from __future__ import annotations

import json
import math
import re
from functools import lru_cache
from pathlib import Path

from evidence.check.clauses import ATTRIBUTION_ONLY, clauses, has_predicate, opens_clause
from evidence.check.memo import IdentityMemo
from evidence.check.rxfilter import folded, may_match

MODEL_PATH = Path(__file__).with_name("claimclf_model.json")
#: off while ``benchmarks/train_claim_classifier.py`` reads what the detectors alone find
ENABLED = True

_I = re.I


def _w(*alts: str) -> re.Pattern:
    return re.compile(r"\b(?:" + "|".join(alts) + r")", _I)


#: lexicons: a hit sets the feature ``lex:NAME`` (general vocabulary of the domain, not corpus phrasings)
LEXICONS: dict[str, re.Pattern] = {
    "drug": _w(r"ketamine\b", r"esketamine\b", r"spravato\b", r"ketalar\b", r"arketamine\b", r"the\s+(?:drug|medication|"
               r"medicine|nasal\s+spray)\b"),
    "study": _w(r"stud(?:y|ies)\b", r"trials?\b", r"research(?:ers)?\b", r"scientists?\b", r"investigators?\b",
                r"meta-?analys[ie]s\b", r"reviews?\b", r"participants?\b", r"subjects\b", r"placebo\b", r"cohort\b",
                r"findings?\b", r"evidence\b", r"data\b", r"paper\b", r"et\s+al\b"),
    "author_year": re.compile(r"\b[A-Z][a-z]+(?:\s+et\s+al\.?|\s+and\s+colleagues)?,?\s*\(?(?:19|20)\d{2}\b|"
                              r"\bet\s+al\b|\b(?:in|from)\s+(?:19|20)\d{2}\b"),
    "year": re.compile(r"\b(?:19|20)\d{2}\b"),
    "assert": _w(r"approved\b", r"found\b", r"finds?\b", r"show(?:s|ed|n)?\b", r"demonstrat\w+", r"reveal\w*",
                 r"report(?:s|ed)\b", r"concluded\b", r"suggests?\b", r"indicates?\b", r"confirm\w*", r"proved?n?\b"),
    "copula": _w(r"is\b", r"are\b", r"was\b", r"were\b", r"has\s+been\b", r"have\s+been\b", r"remains?\b"),
    "regulatory": _w(r"FDA\b", r"approv\w+", r"clear(?:ed|ance)\b", r"indicat\w+", r"off-?label\b", r"label(?:ed|led)?\b",
                     r"prescri\w+", r"schedule\s+(?:I|II|III|IV|V)\b", r"controlled\s+substance", r"DEA\b", r"REMS\b",
                     r"regulat\w+", r"authori[sz]\w+", r"licen[cs]\w+", r"EMA\b", r"TGA\b", r"TGA\b", r"Medicare\b",
                     r"insurance\b", r"covered\b", r"monotherapy\b", r"breakthrough\b", r"anesthetic\b", r"anaesthetic\b",
                     r"generic\b", r"brand\b", r"WHO\b", r"essential\s+medicine", r"restricted\s+(?:distribution|program)"),
    "safety": _w(r"safe\w*", r"side[- ]effects?", r"adverse\b", r"risks?\b", r"addict\w+", r"abuse\b", r"dependen\w+",
                 r"misuse\b", r"habit[- ]forming", r"toxic\w*", r"dissociat\w+", r"hallucinat\w+", r"nausea\b",
                 r"blood\s+pressure", r"heart\s+rate", r"bladder\b", r"cystitis\b", r"sedat\w+", r"overdose\b",
                 r"withdrawal\b", r"tolerat\w+", r"warning\b", r"death\b", r"fatal\b", r"psychosis\b"),
    "design": _w(r"randomi[sz]\w+", r"placebo\w*", r"double-?blind\w*", r"blind\w*", r"open-?label", r"controlled\b",
                 r"crossover\b", r"retrospective\b", r"prospective\b", r"observational\b", r"chart\s+review",
                 r"case\s+(?:series|report)", r"pilot\b", r"phase\s+(?:I|II|III|IV|[1-4])\b", r"sample\b",
                 r"control\s+group", r"systematic\b"),
    "route": _w(r"intravenous\w*", r"IV\b", r"intranasal\w*", r"nasal\b", r"intramuscular\w*", r"IM\b", r"oral\w*",
                r"sublingual\w*", r"lozenges?\b", r"troches?\b", r"infusions?\b", r"injections?\b", r"injected\b",
                r"spray\b", r"tablets?\b", r"subcutaneous\w*", r"mg/kg\b", r"dos(?:e|es|ing|age)\b"),
    "onset": _w(r"rapid\w*", r"quick\w*", r"fast\w*", r"immediate\w*", r"within\s+(?:hours|minutes|a\s+day|days|24)",
                r"hours\b", r"minutes\b", r"overnight\b", r"same\s+day", r"onset\b", r"weeks?\s+to\s+work"),
    "durability": _w(r"last(?:s|ed|ing)?\b", r"durab\w+", r"sustain\w*", r"maintenance\b", r"relapse\w*", r"booster\w*",
                     r"long-?term\b", r"months\b", r"weeks\b"),
    "attribution": _w(r"published\b", r"journal\b", r"according\s+to", r"university\b", r"institutes?\b",
                      r"hospital\b", r"professor\b", r"Dr\.", r"led\s+by", r"authors?\b", r"lancet\b", r"JAMA\b",
                      r"psychiatry\b", r"developed\s+by", r"funded\b", r"Yale\b", r"NIMH\b", r"NIH\b", r"association\b",
                      r"college\b", r"department\b", r"company\b", r"janssen\b", r"johnson\b", r"pharmaceutical\w*"),
    "mechanism": _w(r"NMDA\b", r"glutamat\w+", r"receptors?\b", r"neuroplastic\w*", r"synap\w+", r"neurons?\b",
                    r"BDNF\b", r"brain\b", r"neurotransmitt\w+", r"antagonist\b", r"AMPA\b", r"mTOR\b", r"GABA\b",
                    r"serotonin\b", r"dopamine\b", r"opioid\w*", r"connections\b"),
    "efficacy": _w(r"effective\w*", r"efficacy\b", r"reduc\w+", r"improv\w+", r"relie\w+", r"response\b", r"respond\w*",
                   r"remission\b", r"benefit\w*", r"work(?:s|ed)?\b", r"help(?:s|ed)?\b", r"treat(?:s|ed|ment|ments)?\b",
                   r"alleviat\w+", r"decreas\w+", r"outcomes?\b", r"symptoms?\b", r"results?\b", r"success\w*"),
    "condition": _w(r"depress\w+", r"anxi\w+", r"PTSD\b", r"post-?traumatic", r"OCD\b", r"obsessive", r"bipolar\b",
                    r"suicid\w+", r"TRD\b", r"MDD\b", r"GAD\b", r"SAD\b", r"social\s+anxiety", r"panic\b", r"pain\b",
                    r"disorders?\b", r"treatment-?resistant"),
    "population": _w(r"adults?\b", r"patients?\b", r"people\b", r"individuals\b", r"veterans?\b", r"Americans\b",
                     r"children\b", r"adolescents?\b", r"women\b", r"men\b", r"population\b"),
    "comparison": _w(r"than\b", r"compared\b", r"versus\b", r"vs\.?", r"more\s+\w+\s+than", r"better\b", r"faster\b",
                     r"superior\b", r"outperform\w*", r"unlike\b", r"traditional\b", r"conventional\b", r"SSRIs?\b"),
    "history": _w(r"first\b", r"discovered\b", r"synthesi[sz]ed\b", r"invented\b", r"since\b", r"decades?\b",
                  r"introduced\b", r"originally\b", r"history\b", r"history\b", r"developed\b"),
    "hedge": _w(r"may\b", r"might\b", r"could\b", r"can\b", r"possibl\w+", r"potential\w*", r"promis\w+", r"believe\w*",
                r"hope\w*", r"seems?\b", r"appears?\b", r"likely\b"),
    "negation": _w(r"not\b", r"no\b", r"never\b", r"n['’]t\b", r"without\b", r"neither\b", r"nor\b"),
    "clinic": _w(r"we\b", r"our\b", r"us\b", r"ours\b", r"I\b", r"my\b", r"me\b", r"clinic\b", r"team\b", r"staff\b",
                 r"providers?\b", r"call\b", r"contact\b", r"schedule\s+(?:a|an|your)\b", r"book\b", r"appointment\w*",
                 r"consultation\b", r"visit\b", r"office\b", r"located\b"),
    "you": _w(r"you\b", r"your\b", r"yours\b", r"yourself\b"),
    "commerce": re.compile(r"\$|€|£|\b(?:price|prices|cost|costs|pay|payment|financ\w+|discount\w*|save|package|"
                           r"membership|insurance|deposit|fee|fees|free)\b", _I),
    "story": _w(r"she\b", r"he\b", r"her\b", r"his\b", r"him\b", r"told\b", r"says\b", r"said\b", r"felt\b", r"recalls?\b"),
    "time_words": _w(r"today\b", r"now\b", r"recent\w*", r"currently\b", r"new\b", r"latest\b"),
}

_IMPERATIVE = re.compile(r"^(?:call|contact|schedule|book|learn|find|read|click|ask|get|take|try|discover|join|visit|"
                         r"sign|start|see|explore|talk|reach|let|don['’]t|do|make|give|download|subscribe|share|check|"
                         r"request|fill|email|text|follow|watch|view|apply|register|consider)\b", _I)
#: a finite verb (a line with one asserts something; a line without one names a topic)
_VERB = re.compile(r"\b(?:is|are|was|were|has|have|had|can|may|might|could|will|would|should|must|does|do|did|"
                   r"approves?|approved|shows?|showed|found|finds|helps?|works?|reduces?|reduced|improves?|improved|"
                   r"causes?|caused|affects?|affected|lasts?|lasted|takes?|took|offers?|offered|provides?|provided|"
                   r"makes?|made|becomes?|became|remains?|leads?|led|gives?|gave|needs?|means?|says?|said|marks?|"
                   r"marked|clears?|cleared|treats?|treated|eases?|eased|relieves?|relieved|boosts?|boosted|"
                   r"[a-z]+ed\s+(?:by|to|in|for|with|as|on))\b", _I)
#: a reference-list entry: "[4] Glue P, Gulati A, …", "Smith JA, Jones B. Title …"
_REFERENCE = re.compile(r"^\s*(?:\[\d+\]|\d+\.\s)|\b[A-Z][a-z]+\s+[A-Z]{1,3}[,.]\s+[A-Z][a-z]+\s+[A-Z]{1,3}\b")
#: a person in a story: "a 38-year-old", "Holly's", "Mr. Smith"
_PERSON = re.compile(r"\b\d{1,2}-year-old\b|\b[A-Z][a-z]+['’]s\b(?<!Ketamine's)(?<!Spravato's)|\b(?:Mr|Mrs|Ms)\.\s")
_QUOTE = re.compile(r"[\"“”]")
_FIRST_WORD = re.compile(r"[A-Za-z][\w'’-]*")
_WORD = re.compile(r"[a-z][a-z'’-]+")
_STOP = frozenset("the a an of and or to in for on at by with from as that this these those it its be".split())


def shape(text: str, *, whole_line: bool = False, list_item: bool = False, heading: bool = False) -> dict[str, float]:
    """Features of a sentence's shape (not of its topic)."""
    t = text.strip()
    n_words = len(t.split())
    f = {
        "shape:question": float(t.endswith("?")), "shape:exclaim": float(t.endswith("!")),
        "shape:imperative": float(bool(_IMPERATIVE.match(t))), "shape:quote": float(bool(_QUOTE.search(t))),
        "shape:whole_line": float(whole_line), "shape:list_item": float(list_item), "shape:heading": float(heading),
        "shape:digit": float(bool(re.search(r"\d", t))), "shape:percent": float("%" in t or "percent" in t.lower()),
        "shape:no_end": float(not re.search(r"[.!?:]$", t)), "shape:colon_end": float(t.endswith(":")),
        "shape:short": float(n_words <= 5), "shape:medium": float(5 < n_words <= 25), "shape:long": float(n_words > 40),
    }
    f["shape:reference"] = float(bool(_REFERENCE.search(t)))
    f["shape:person"] = float(bool(_PERSON.search(t)))
    first = _FIRST_WORD.search(t)
    f["shape:starts_drug"] = float(bool(first and LEXICONS["drug"].match(t, first.start())))
    f["shape:starts_study"] = float(bool(first and LEXICONS["study"].match(t, first.start())))
    return f


def words(text: str) -> set[str]:
    """The sentence's lower-cased words (stop words dropped) as ``w:WORD`` features."""
    return {"w:" + w.replace("’", "'") for w in _WORD.findall(text.lower()) if w not in _STOP}


def features(text: str, *, whole_line: bool = False, list_item: bool = False, heading: bool = False) -> dict[str, float]:
    """Every feature of one sentence (the model keeps the ones it has a weight for). What the detectors found in
    the sentence is deliberately not a feature: under leave-one-split-out it made the unseen split worse (the
    detectors know the training phrasings better than new ones). A fresh dict each call (the callers may add to
    it); the reading itself is memoized on the text (a corpus repeats its boilerplate, and ``check`` reads the same
    sentence when it backs the detectors up and again when it splits the sentence into clauses)."""
    return dict(_features(text, bool(whole_line), bool(list_item), bool(heading)))


@lru_cache(maxsize=8192)
def _features(text: str, whole_line: bool, list_item: bool, heading: bool) -> dict[str, float]:
    f = shape(text, whole_line=whole_line, list_item=list_item, heading=heading)
    low = folded(text)
    for name, rx in LEXICONS.items():
        if not may_match(rx, text, low):   # none of the lexicon's literals occurs: no hit (rxfilter)
            continue
        hits = _hits(rx, text)
        if hits:
            f["lex:" + name] = 1.0
            if hits > 1:
                f["lex2:" + name] = 1.0
    # two pairings that say "asserts a fact about the drug or a study" better than either half
    if "lex:drug" in f and ("lex:copula" in f or "lex:assert" in f):
        f["pair:drug_asserts"] = 1.0
    if "lex:study" in f and "lex:assert" in f:
        f["pair:study_found"] = 1.0
    if _VERB.search(text):
        f["shape:verb"] = 1.0
        if heading:     # a headline that asserts ("FDA Approves …", "Infusions Reduce …") is not a topic title
            f["pair:heading_verb"] = 1.0
    if heading:
        for name in ("regulatory", "efficacy", "drug"):
            if "lex:" + name in f:
                f["pair:heading_" + name] = 1.0
    for w in words(text):
        f[w] = 1.0
    return f


def _hits(rx: re.Pattern, text: str) -> int:
    """0, 1 or 2 (two or more): how many times ``rx`` matches, counted as ``findall`` counts them (non-overlapping,
    left to right) but stopping at the second match."""
    m = rx.search(text)
    if m is None:
        return 0
    if m.end() == m.start():
        return min(2, len(rx.findall(text)))   # an empty match: findall's own stepping
    return 2 if rx.search(text, m.end()) is not None else 1


#: the lexicons whose hits in a section's heading say what the section is about (``sec:NAME``)
_SECTION_LEXICONS = ("drug", "study", "regulatory", "safety", "design", "route", "onset", "durability", "attribution",
                     "mechanism", "efficacy", "condition", "history", "comparison", "clinic", "you", "commerce")


def section_features(heading: str | None) -> dict[str, float]:
    """What the section a sentence stands in is about: the lexicon hits of its heading ("Side Effects of Ketamine"
    → ``sec:safety``, "Pricing" → ``sec:commerce``), and whether the heading is a question (an FAQ's answer)."""
    if not heading:
        return {}
    f = {"sec:" + name: 1.0 for name in _SECTION_LEXICONS if LEXICONS[name].search(heading)}
    if heading.rstrip().endswith("?"):
        f["sec:question"] = 1.0
    return f


@lru_cache(maxsize=1)
def model() -> dict:
    """The shipped model (``claimclf_model.json``)."""
    return json.loads(MODEL_PATH.read_text(encoding="utf-8"))


def probability(m: dict, f: dict[str, float]) -> float:
    """The model ``m``'s probability for the features ``f`` (the logistic of the weighted sum, clipped to ±60)."""
    w = m["weights"]
    z = m["intercept"] + sum(w.get(k, 0.0) * v for k, v in f.items())
    return 1.0 / (1.0 + math.exp(-max(-60.0, min(60.0, z))))


def score(text: str, *, whole_line: bool = False, list_item: bool = False, heading: bool = False,
          m: dict | None = None) -> float:
    """The model's probability that this sentence states a checkable claim."""
    return probability(m or model(), features(text, whole_line=whole_line, list_item=list_item, heading=heading))


def clause_score(part: str, sentence: str, m: dict | None = None) -> float:
    """The model's probability for ``part`` read as a clause of ``sentence`` (:func:`clause_features`)."""
    return probability(m or model(), clause_features(part, features(sentence)))


def is_claim(text: str, **kw) -> bool:
    """Is the sentence's score at or above the model's threshold?"""
    m = kw.pop("m", None) or model()
    return score(text, m=m, **kw) >= m["threshold"]


#: the claim kind of a sentence the classifier found, by the first lexicon it hits (most specific first)
_KIND_OF = (("regulatory", "regulatory_status"), ("attribution", "attribution"), ("safety", "safety"),
            ("design", "design"), ("onset", "onset"), ("route", "dose_route"), ("durability", "durability"),
            ("comparison", "comparison"), ("mechanism", "mechanism"))
#: the study cues a sentence may carry, handed to linking in the claim frame
_CUES = {"author_year": LEXICONS["author_year"], "year": LEXICONS["year"], "attribution": LEXICONS["attribution"]}


#: hits of the ``regulatory`` lexicon that say nothing about a regulator (the lexicon is case-folded, so "WHO" also
#: finds the pronoun "who"; "indicates" is a study's verb, not an indication): they do not make a classifier-found
#: sentence a regulatory status, whose advice is "check it against the FDA label" ("The drug will help patients …
#: who are considered to have treatment-resistant depression"). The model's features keep the lexicon as fitted:
#: "WHO" and "SAD" in capitals only, measured as features (session 10), moved CV detection 1701 → 1696 (split-out)
#: and 1698 → 1697 (site-out) at the same items outside.
_NOT_REGULATORY_HIT = re.compile(r"who|indicat(?:es?|ing)", _I)


#: the anaesthetic words of the ``regulatory`` lexicon
_ANESTHETIC_HIT = re.compile(r"an(?:a)?esthetic", _I)


def _regulatory_kind(text: str) -> bool:
    """Does a hit of the ``regulatory`` lexicon say something about a regulator? Not "who" or "indicates", nor the
    anaesthetic word when the sentence describes ketamine as an anaesthetic as background (nothing in it that
    labelling rule 1 counts, :data:`evidence.check.lexicon.RX_ANESTHETIC_CLAIM_CUE`): that description is set aside
    as not a claim, so the sentence is not an approval status by it either (review11: "Originally used as an
    anesthetic, ketamine has shown …" was listed both ways)."""
    from evidence.check.lexicon import RX_ANESTHETIC_CLAIM_CUE

    background = RX_ANESTHETIC_CLAIM_CUE.search(text) is None
    return any(m.group(0) == "WHO" or not (_NOT_REGULATORY_HIT.fullmatch(m.group(0))
                                           or (background and _ANESTHETIC_HIT.fullmatch(m.group(0))))
               for m in LEXICONS["regulatory"].finditer(text))


def _judgment_only(text: str) -> bool:
    """True when every attribution in the sentence is a person's judgment ("tapered according to the clinician's
    judgment"): no source is named, so the sentence is not typed as a citation (it says what a clinician does)."""
    from evidence.check.wordclaims import RX_NOT_A_SOURCE

    hits = list(LEXICONS["attribution"].finditer(text))
    return bool(hits) and all(RX_NOT_A_SOURCE.match(text, m.end()) for m in hits)


#: cue words that type a claim only weakly (review9 #7, #9): a drug's maker is not a citation ("a nasal spray
#: developed by Johnson & Johnson"), a speed word alone beside a mechanism is the mechanism ("can rapidly alter brain
#: function"); ("anesthetic" alone stays an approval status: the sentence is compared with the label's indication)
_WEAK_CUES = {"attribution": re.compile(r"developed\s+by|company|janssen|johnson|pharmaceutical\w*", _I),
              "onset": re.compile(r"(?:rapid|quick|fast|immediate)\w*", _I),
              "dose_route": re.compile(r"infusions?|injections?|spray|nasal", _I)}
_WEAK_LEX = {"attribution": "attribution", "onset": "onset", "dose_route": "route"}
#: a treatment's name ("ketamine infusion clinics", "the ketamine injection procedure", "stop the infusion", "the
#: drug, a nasal spray") is not how it is given (review10: "bring a loved one … during the ketamine injection
#: procedure" typed dose and route); a sentence that says how it is given ("given as an infusion", "administered
#: by injection", "over 40 minutes") keeps the type
_RX_GIVEN = re.compile(r"\b(?:administer\w*|given|give|deliver\w*|via|through|by\s+(?:an?\s+)?(?:infusion|injection|"
                       r"spray)|as\s+an?\s+(?:\w+\s+)?(?:infusion|injection|spray)|into\s+the|each\s+nostril|"
                       r"minutes?|hours?|sessions?|series|once|twice|times)\b", _I)
#: pregnancy and breastfeeding: a safety statement when no other kind's cue is there (the safety lexicon, a feature of
#: the model, is left as fitted)
_PREGNANCY = re.compile(r"\bpregnan\w*|\bbreast-?(?:feed\w*|fed|milk)|\bfetus\b|\bfetal\b|\bfoetal\b|\blactat\w*|"
                        r"\bnursing\s+(?:mothers?|infants?|babies)", _I)


#: the kinds read from a span of time: each needs one cue that may be an effect's time
_TIME_KINDS = {"onset": "onset", "durability": "durability"}


def _no_effect_time(text: str, kind: str) -> bool:
    """Every cue of how fast or how long in ``text`` is something else: an age ("aged 18 to 65 years"), a study's or a
    session's length ("a trial lasting 12 weeks", "each infusion lasts 40 minutes"), "last" that is no span ("a last
    resort"), so the sentence is not typed by it (review11: "considered a last resort" was "how long it lasts").
    The lexicon itself, a feature of the model, is unchanged."""
    from evidence.check.lexicon import time_not_of_effect

    hits = list(LEXICONS[_TIME_KINDS[kind]].finditer(text))
    return bool(hits) and all(time_not_of_effect(text, m.start(), m.end()) for m in hits)


#: "controlled" that says nothing of a trial's control: "at lower, controlled doses", "in a controlled setting" (settle12:
#: such a sentence was typed "study design"); "a controlled trial", "placebo-controlled" keep the type
_CONTROLLED_NOT_DESIGN = re.compile(r"controlled(?!\s+(?:clinical\s+|randomi[sz]ed\s+|[\w-]+\s+)?(?:trials?|stud(?:y|ies)|"
                                    r"experiments?|groups?|comparisons?)\b)", _I)
#: a speed word that describes the anaesthetic, not an effect: "a fast-acting anesthetic", "a rapid-acting sedative"
#: (settle12: "Ketamine is a fast-acting anesthetic." was typed "how fast it works")
_ANESTHETIC_SPEED = re.compile(r"(?:[\w-]+[- ]acting|rapid|fast|quick)\s+(?:general\s+|dissociative\s+|"
                               r"injectable\s+)?(?:an(?:a)?esthe\w+|sedatives?|sedation)", _I)


def _not_design(text: str) -> bool:
    """Every hit of the design lexicon in ``text`` is "controlled" said of something else than a study (a dose, a
    setting), so the sentence is not typed as a study design by it. The lexicon, a feature of the model, is kept."""
    hits = list(LEXICONS["design"].finditer(text))
    return bool(hits) and all(m.group(0).lower() == "controlled" and _CONTROLLED_NOT_DESIGN.match(text, m.start())
                              and not re.search(r"(?:placebo|sham)[- ]$", text[max(0, m.start() - 8):m.start()], _I)
                              for m in hits)


def _anesthetic_speed_only(text: str) -> bool:
    """Every cue of how fast in ``text`` describes the anaesthetic ("a fast-acting anesthetic"), not an effect."""
    hits = list(LEXICONS["onset"].finditer(text))
    return bool(hits) and all(any(a.start() <= m.start() < a.end() for a in _ANESTHETIC_SPEED.finditer(text))
                              for m in hits)


def _kind(text: str, f: dict[str, float]) -> str:
    """The claim type of a classifier-found sentence: the first lexicon of :data:`_KIND_OF` it uses, passing over one
    whose every cue is weak (:data:`_WEAK_CUES`) when another kind's cue is there or the weak one says too little."""
    kinds = [k for lex, k in _KIND_OF if "lex:" + lex in f and not (lex == "attribution" and _judgment_only(text))
             and (lex != "regulatory" or _regulatory_kind(text)) and not (k in _TIME_KINDS and _no_effect_time(text, k))
             and not (k == "design" and _not_design(text)) and not (k == "onset" and _anesthetic_speed_only(text))]
    for k in list(kinds):
        weak = _WEAK_CUES.get(k)
        if weak is None or not all(weak.fullmatch(m.group(0)) for m in LEXICONS[_WEAK_LEX[k]].finditer(text)):
            break
        if k == "dose_route" and _RX_GIVEN.search(text):
            break   # "It is administered by an IV infusion": how it is given
        if k == "onset" and ("mechanism" not in kinds or "lex:efficacy" in f or "lex:condition" in f):
            break   # "works rapidly for depression" is how fast it works
        kinds.remove(k)
    if not kinds and _PREGNANCY.search(text):
        return "safety"   # "There is a pregnancy exposure registry …", "breastfeeding is not recommended" (review9 #11)
    return kinds[0] if kinds else "other"


def claim_frame(text: str, f: dict[str, float] | None = None) -> dict:
    """What a classifier-found sentence asserts, in the fields the detectors give: its kind (the first lexicon it
    hits in :data:`_KIND_OF`; a regulatory status only with a hit outside :data:`_NOT_REGULATORY_HIT`, a citation
    only with a source, not a person's judgment alone), negation and cues."""
    f = f if f is not None else features(text)
    kind = _kind(text, f)
    cues = sorted({m.group(0) for rx in _CUES.values() for m in rx.finditer(text)})
    return {"claim_type": kind, "negated": "lex:negation" in f, "cues": cues}


def classify(sent, heading: bool = False, section: str | None = None):
    """A :class:`~evidence.check.spans.Detected` for a sentence the classifier calls a claim, or None. The claim is
    the whole sentence; linking says it is not checkable here and why."""
    from evidence.check.spans import Detected

    if not ENABLED:
        return None
    p, frame, text = _reading(sent.text, bool(sent.whole_line), bool(sent.list_item), bool(heading), section)
    if frame is None:
        return None
    return Detected(frame["claim_type"], sent.start, sent.end, sent, qualifier="categorical",
                    text=text, kind="sentence-claim", negated=frame["negated"],
                    raw={"classifier": round(p, 3), "cues": list(frame["cues"])})


#: :func:`_reading`'s readings, for the model in use (a model swapped in starts afresh)
_READINGS = IdentityMemo(limit=1 << 15)


def _reading(text: str, whole_line: bool, list_item: bool, heading: bool,
             section: str | None = None) -> tuple[float, dict | None, str]:
    """(the model's probability, the claim frame or None below the threshold, the claim's text) of one sentence in
    its section (the heading it stands under, :func:`evidence.check.detect.sections`), memoized on the sentence, its
    flags and that heading for the current :func:`model` (boilerplate repeats across a corpus)."""
    m = model()

    def read() -> tuple[float, dict | None, str]:
        f = features(text, whole_line=whole_line, list_item=list_item, heading=heading)
        f.update(section_features(section))
        p = probability(m, f)
        frame = claim_frame(text, f) if p >= m["threshold"] else None
        return p, frame, re.sub(r"\s+", " ", text.lower()) if frame is not None else ""

    return _READINGS.get(m, (text, whole_line, list_item, heading, section), read)


#: a clause with fewer words than this names a thing rather than stating something about it
CLAUSE_MIN_WORDS = 4
#: the score a clause needs to be listed on its own (the model is fitted on clauses too, with the offset
#: ``unit:clause``). Measured leave-one-split-out with clause units (session 7, 885 claims): 0.3 → detection 727,
#: outside 269/1275; 0.35 → 727, 243/1231; 0.4 → 725, 240/1221; 0.45 → 723, 238/1214; 0.6 → 715, 227/1195
CLAUSE_THRESHOLD = 0.35
_LEAD_CONJUNCTION = re.compile(r"^(?:and|but)\s+", _I)
_TOPIC_FEATURES = frozenset({"lex:drug", "lex:study", "shape:starts_drug", "shape:starts_study"})


def clause_features(part: str, sentence_features: dict[str, float]) -> dict[str, float]:
    """The features of one clause read on its own: its own features, what its sentence is about (the drug, a study:
    "Ketamine was approved … and has a good safety record") and ``unit:clause``, the model's offset for a clause (it
    is fitted on clauses as well as sentences, ``benchmarks/train_claim_classifier.py``)."""
    f = {**features(part), **{k: 1.0 for k in sentence_features if k in _TOPIC_FEATURES}, "unit:clause": 1.0}
    if "lex:drug" in f and ("lex:copula" in f or "lex:assert" in f):
        f["pair:drug_asserts"] = 1.0
    return f


def candidate_clauses(sentence: str) -> list[tuple[int, int]]:
    """The clauses of a sentence of several (:func:`evidence.check.clauses.clauses`) that could state a claim of their
    own: at least :data:`CLAUSE_MIN_WORDS` words and a predicate, an opening subordinator or participle, or a figure.
    A sentence of one clause has none (the sentence is the claim)."""
    spans = clauses(sentence)
    if len(spans) < 2:
        return []
    return [(a, b) for a, b in spans if len(sentence[a:b].split()) >= CLAUSE_MIN_WORDS
            and (has_predicate(sentence[a:b]) or opens_clause(sentence[a:b]) or re.search(r"\d", sentence[a:b]))]


def own_clauses(sentence: str, offset: int = 0, m: dict | None = None) -> list[tuple[int, int]]:
    """The spans (``offset`` added) of the clauses of a sentence that carry a claim of their own: the
    :func:`candidate_clauses` whose score, read as a clause (:func:`clause_features`), is at or above
    :data:`CLAUSE_THRESHOLD`."""
    if m is None:   # the shipped (or swapped-in) model: memoized on the sentence, the offset added after
        cur = model()
        spans = _CLAUSES.get(cur, sentence, lambda: tuple(_own_clauses(sentence, 0, cur)))
        return [(offset + a, offset + b) for a, b in spans]
    return _own_clauses(sentence, offset, m)


#: :func:`own_clauses`'s clauses by sentence, for the model in use
_CLAUSES = IdentityMemo(limit=1 << 14)


def _own_clauses(sentence: str, offset: int, m: dict) -> list[tuple[int, int]]:
    whole = features(sentence)
    out = []
    for a, b in candidate_clauses(sentence):
        part = sentence[a:b]
        if ATTRIBUTION_ONLY.fullmatch(part):
            continue   # "according to the NIMH": whose words these are, not a claim of its own (review12)
        if probability(m, clause_features(part, whole)) >= CLAUSE_THRESHOLD:
            part = _LEAD_CONJUNCTION.sub("", part)      # the claim is what follows "and"
            a += sentence[a:b].find(part)
            out.append((offset + a, offset + a + len(part)))
    return out
