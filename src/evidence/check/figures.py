"""Figure detectors: a number with its unit and wording (percentages, "1 in 8", counts, effect sizes, NNT/NNH,
doses, infusion times, "half", "the majority"). They run in priority order and never reuse characters an earlier
one claimed (``take=True``), so "1 in 5 adults (19%)" is one claim."""
from __future__ import annotations

import re

from evidence.check.lexicon import (HEDGE, RX_CI_AFTER, RX_COUNT, RX_DOSE, RX_EFFECT, RX_FRACTION, RX_HALF,
    RX_MAJORITY, RX_NNH_PHRASE, RX_NNT_EVERY, RX_NNT_PHRASE, RX_NNT_TERM, RX_N_IN_M, RX_ONE_IN, RX_OVER_MIN,
    RX_PCT, RX_PCT_RANGE, RX_VAGUE_COUNT, RX_X_OF_Y, _DIGITS, _FRACTIONS, _NUM_WORD, _PEOPLE, _PREV_CUES, _SAFETY,
    _SCALE, _SESSION_UNITS, _STUDY_CUES, _STUDY_UNITS, classify_share, parse_number, qualifier_of, raw_digits)
from evidence.check.spans import (_CHANGE_TAIL, _Ctx, _PEOPLE_TAIL, _extend_right)


# --------------------------------------------------------------- figure detectors

def _d_nnt(c: _Ctx) -> None:
    t = c.t
    for m in RX_NNT_TERM.finditer(t):
        harm = (m.group("w") or "").lower() == "harm" or (m.group("t") or "").upper() == "H"
        v = parse_number(m.group("v"))
        if v is None or not c.free(*m.span()):
            continue
        c.add("nnh" if harm else "nnt", m.start(), m.end(), take=True, value=v, unit="patients",
              qualifier="exact", raw={"claimed_value": raw_digits(m.group("v"))}, kind="nnt-term")
    for m in RX_NNH_PHRASE.finditer(t):
        v = parse_number(m.group("v"))
        if v is None or not c.free(*m.span()):
            continue
        c.add("nnh", m.start(), m.end(), take=True, value=v, unit="patients", qualifier=qualifier_of(m.group("h")),
              raw={"claimed_value": raw_digits(m.group("v"))}, kind="nnh-phrase")
    for m in RX_NNT_PHRASE.finditer(t):
        v = parse_number(m.group("v"))
        if v is None or not c.free(*m.span()):
            continue
        b = _extend_right(t, m.end(), r"\s+(?:patient\s+)?to\s+(?:\w+\s+){0,3}?(?:improve|benefit|respond|recover|"
                                      r"get\s+better|see\s+\w+)\b(?:\s+\w+ly)?")
        c.add("nnt", m.start(), b, take=True, value=v, unit="patients", qualifier=qualifier_of(m.group("h")),
              raw={"claimed_value": raw_digits(m.group("v"))}, kind="nnt-phrase")
    for rx in (RX_NNT_EVERY, RX_ONE_IN):
        for m in rx.finditer(t):
            v = parse_number(m.group("v"))
            if v is None or not c.free(*m.span()):
                continue
            tail = m.group("tail") or ""
            harm = bool(_SAFETY.search(tail)) or bool(re.search(r"\bharm", tail, re.I))
            good = re.search(r"\b(?:benefit|respond|improv|recover|remission|better|helped)", tail, re.I)
            if not harm and not good:
                continue
            c.add("nnh" if harm else "nnt", m.start(), m.end(), take=True, value=v, unit="patients",
                  qualifier="exact", raw={"claimed_value": raw_digits(m.group("v"))}, kind="nnt-every")


def _d_effect(c: _Ctx) -> None:
    t = c.t
    for m in RX_EFFECT.finditer(t):
        name = m.group("m")
        low = name.lower()
        if low in ("g", "d") and not re.search(r"(?:hedges|cohen)", t[max(0, m.start() - 12):m.start()], re.I):
            if not re.search(r"effect\s+size", t[max(0, m.start() - 30):m.start()], re.I):
                continue
        if name in ("OR",) and not re.match(r"\s*(?:of|=|:|≈|~|was|\(|\d)", t[m.end("m"):m.end("m") + 6]):
            continue
        if not c.free(*m.span()):
            continue
        measure = ("OR" if "odds" in low or name in ("OR", "aOR") else "RR" if "risk" in low or name == "RR"
                   else "HR" if "hazard" in low or name == "HR" else "SMD" if "standard" in low or name == "SMD"
                   or "effect size" in low or "hedges" in low or "cohen" in low or low in ("g", "d")
                   else "MD" if "mean diff" in low else name.upper())
        b = _extend_right(t, m.end(), r"\s*[,;]?\s*\(?\s*95\s?%\s*(?:CI|confidence\s+interval)[^)]{0,40}\)?")
        c.add("effect_size", m.start(), b, take=True, value=float(m.group("v")), unit=measure,
              qualifier=qualifier_of(m.group("h")), raw={"claimed_value": m.group("v")}, kind="effect",
              text=measure)
    # "2.5 times (more likely|the odds)"
    for m in re.finditer(rf"(?:(?P<h>{HEDGE})\s+)?\b(?P<v>{_DIGITS}|\b{_NUM_WORD}\b)[- ](?:times|fold)\s+"
                         r"(?:more|less|higher|lower|greater|as)\b(?:\s+(?:likely|effective|odds|risk))?", t, re.I):
        v = parse_number(m.group("v"))
        if v is None or not c.free(*m.span()):
            continue
        said = m.group(0).lower()   # "as likely" / "the risk" is a risk ratio, "the odds" an odds ratio
        unit = "OR" if "odds" in said else "RR" if re.search(r"likely|risk", said) else "ratio"
        c.add("effect_size", m.start(), m.end(), take=True, value=v, unit=unit,
              qualifier=qualifier_of(m.group("h")), raw={"claimed_value": raw_digits(m.group("v"))}, kind="times")


#: a dose per reference body weight: "35mg/70kg" (= 0.5 mg/kg), "35 mg per 70 kg"
RX_DOSE_PER_WEIGHT = re.compile(r"\b(?P<mg>\d+(?:\.\d+)?)\s*mg\s*(?:/|per)\s*(?P<kg>\d+(?:\.\d+)?)\s*kg\b", re.I)


def _d_dose(c: _Ctx) -> None:
    t = c.t
    for m in RX_DOSE_PER_WEIGHT.finditer(t):
        kg = float(m.group("kg"))
        if kg > 1 and c.free(*m.span()):
            c.add("dose_route", m.start(), m.end(), take=True, value=round(float(m.group("mg")) / kg, 4), unit="mg/kg",
                  qualifier="exact", kind="dose", text=m.group(0))
    for m in RX_DOSE.finditer(t):
        if not c.free(*m.span()):
            continue
        u = re.sub(r"\s+", "", m.group("u").lower())
        unit = "mg/kg" if "kg" in u or "kilogram" in u else ("mg" if u.startswith(("mg", "milli")) else u)
        if "per kg" in m.group("u").lower() or "perkg" in u:
            unit = "mg/kg"
        v = parse_number(m.group("v"))      # "0,5 mg/kg" (a decimal comma) is 0.5
        if m.group("lo"):
            lo = parse_number(m.group("lo"))
            c.add("dose_route", m.start(), m.end(), take=True, low=lo, high=v, unit=unit, qualifier="range",
                  raw={"claimed_low": raw_digits(m.group("lo")), "claimed_high": raw_digits(m.group("v"))}, kind="dose")
        else:
            c.add("dose_route", m.start(), m.end(), take=True, value=v, unit=unit,
                  qualifier=qualifier_of(m.group("h")), raw={"claimed_value": raw_digits(m.group("v"))}, kind="dose")
    dosing = re.search(r"\b(?:dos\w+|infus\w*|mg|IV|intravenous\w*|administ\w+|inject\w*|session|given|drip)", t, re.I)
    if not dosing:
        return
    for m in RX_OVER_MIN.finditer(t):
        if not c.free(*m.span()):
            continue
        u = m.group("u").lower()
        unit = "minutes" if u.startswith("min") else "hours"
        kw = {}
        if m.group("lo"):
            kw = dict(low=parse_number(m.group("lo")), high=parse_number(m.group("v")), qualifier="range",
                      raw={"claimed_low": raw_digits(m.group("lo")), "claimed_high": raw_digits(m.group("v"))})
        else:
            kw = dict(value=parse_number(m.group("v")), qualifier=qualifier_of(m.group("h")),
                      raw={"claimed_value": raw_digits(m.group("v"))})
        a = m.start()
        pre = re.search(r"(?:typically|usually|often|generally|normally)\s+$", t[max(0, a - 14):a], re.I)
        if pre:
            a -= len(pre.group(0))
        c.add("dose_route", a, m.end(), take=True, unit=unit, kind="duration", **kw)


def _d_ratio(c: _Ctx) -> None:
    t = c.t
    for m in RX_X_OF_Y.finditer(t):
        x, y = parse_number(m.group("x")), parse_number(m.group("y"))
        if x is None or y is None or y <= 0 or x > y or not c.free(*m.span()):
            continue
        if re.fullmatch(r"(?:19|20)\d{2}", m.group("y")):
            continue
        ctype = classify_share(t, m.start(), m.end())
        if ctype in ("prevalence", "other") and _STUDY_CUES.search(t):
            ctype = "response_rate"
        c.add(ctype, m.start(), m.end(), take=True, value=round(100.0 * x / y, 2), unit="%", qualifier="exact",
              text=f"{m.group('x')} of {m.group('y')}", kind="x-of-y")
    for m in RX_N_IN_M.finditer(t):
        n, mm = parse_number(m.group("n")), parse_number(m.group("m"))
        if n is None or mm is None or mm <= 0 or n > mm or not c.free(*m.span()):
            continue
        a, b = m.start(), m.end()
        noun = (m.group("noun") or "")
        if m.group("noun") and not re.search(rf"\b(?:{_PEOPLE}|U\.S\.|US|American)\b", noun, re.I):
            b = m.end("m")  # "1 in 5 experience ..." — keep the quote on the ratio
            if m.group("pct"):
                b = m.end()
        pct = m.group("pct")
        if pct:
            pm = re.search(rf"(?P<h>{HEDGE})?\s*(?P<v>{_DIGITS})\s*%", pct, re.I)
            if pm:
                val, raw_v, q = float(pm.group("v").replace(",", "")), raw_digits(pm.group("v")), qualifier_of(
                    m.group("h") or pm.group("h"))
            else:
                continue
        else:
            val, raw_v, q = 100.0 * n / mm, None, qualifier_of(m.group("h"))
        ctype = classify_share(t, a, b)
        if ctype == "other" and re.search(r"\b(?:adults|Americans|people|women|men|children|adolescents|teens)\b",
                                          noun, re.I) and not _STUDY_CUES.search(t):
            ctype = "prevalence"  # "one in eight adults …": a share of a population
        c.add(ctype, a, b, take=True, value=round(val, 4), unit="%", qualifier=q, text=f"{m.group('n')} in {m.group('m')}",
              raw={"claimed_value": raw_v}, kind="n-in-m")


def _d_percent(c: _Ctx) -> None:
    t = c.t
    for m in RX_PCT_RANGE.finditer(t):
        if not c.free(*m.span()) or RX_CI_AFTER.match(t, m.end()):
            continue
        lo, hi = parse_number(m.group("lo")), parse_number(m.group("hi"))
        if lo is None or hi is None or lo > hi:
            continue
        b = _extend_right(t, m.end(), _PEOPLE_TAIL)
        c.add(classify_share(t, m.start(), m.end()), m.start(), b, take=True, low=lo, high=hi, unit="%",
              qualifier="range", raw={"claimed_low": raw_digits(m.group("lo")), "claimed_high": raw_digits(m.group("hi"))},
              kind="pct-range")
    for m in RX_PCT.finditer(t):
        if not c.free(*m.span()) or RX_CI_AFTER.match(t, m.end()):
            continue
        v = parse_number(m.group("v"))
        if v is None:
            continue
        a = m.start()
        # "(13%)" right after a phrase: keep the parenthesis context in the quote
        b = _extend_right(t, m.end(), _PEOPLE_TAIL + _CHANGE_TAIL)
        if t[max(0, a - 1):a] == "(" and t[b:b + 1] == ")":
            b += 1
            pre = re.search(r"(?:[\w.'’-]+\s+){1,5}\($", t[max(0, a - 60):a])
            if pre:
                a -= len(pre.group(0))
        c.add(classify_share(t, m.start(), m.end()), a, b, take=True, value=v, unit="%",
              qualifier=qualifier_of(m.group("h")), raw={"claimed_value": raw_digits(m.group("v"))}, kind="pct")


def _before_of(m: re.Match) -> int:
    """End of a 'half of' / 'majority of' match without its 'of' (the context classifier reads 'of …')."""
    g = m.group(0)
    k = re.search(r"\s+of$", g)
    return m.start() + k.start() if k else m.end()


def _d_shares(c: _Ctx) -> None:
    t = c.t
    for m in RX_HALF.finditer(t):
        if not c.free(*m.span()):
            continue
        b = _extend_right(t, m.end(), r"(?:\s+(?:the\s+|their\s+|all\s+|those\s+)?(?:[\w.'’-]+\s+){0,3}?(?:" + _PEOPLE +
                          r"|those|them|symptoms|cases))?")
        h = (m.group("h") or "").lower()
        q = "half" if not h or h in ("nearly", "almost", "about", "around", "roughly", "approximately", "close to") \
            else qualifier_of(h)
        c.add(classify_share(t, m.start(), _before_of(m)), m.start(), b, take=True, value=50.0, unit="%", qualifier=q,
              text="half", kind="half")
    for m in RX_FRACTION.finditer(t):
        if not c.free(*m.span()):
            continue
        f = m.group("f").lower().replace("-", " ").split()[-1]
        v = _FRACTIONS.get(f)
        if v is None:
            continue
        b = _extend_right(t, m.end(), r"\s+(?:the\s+|their\s+|all\s+|those\s+)?(?:[\w.'’-]+\s+){0,3}?(?:" + _PEOPLE +
                          r"|those|them)")
        c.add(classify_share(t, m.start(), _before_of(m)), m.start(), b, take=True, value=round(v, 2), unit="%",
              qualifier=qualifier_of(m.group("h"), "approx"), text=m.group("f"), kind="fraction")
    for m in RX_MAJORITY.finditer(t):
        if not c.free(*m.span()):
            continue
        b = _extend_right(t, m.end(), r"\s+(?:the\s+|their\s+|all\s+|those\s+)?(?:[\w.'’-]+\s+){0,3}?(?:" + _PEOPLE +
                          r"|those|them)") if m.group(0).lower().rstrip().endswith("of") else m.end()
        c.add(classify_share(t, m.start(), _before_of(m)), m.start(), b, take=True, unit="%", qualifier="majority",
              text="majority", kind="majority")


#: "between" right before a range said with "and" ("between two and three million Americans")
RX_BETWEEN_BEFORE = re.compile(r"\bbetween\s+$", re.I)


def _d_counts(c: _Ctx) -> None:
    t = c.t
    for m in RX_COUNT.finditer(t):
        if not c.free(*m.span()):
            continue
        n = parse_number(m.group("n"))
        if n is None:
            continue
        raw_n = m.group("n")
        if re.fullmatch(r"(?:19|20)\d{2}", raw_n) and not m.group("scale"):
            continue  # a year ("2018 patients" is rarer than "a 2018 study")
        if re.search(r"\d[\d,.]*\s*$", t[max(0, m.start() - 8):m.start()]) or (m.start() > 0 and t[m.start() - 1] in ".-/"):
            continue  # part of a bigger number or range we do not understand
        scale = _SCALE.get((m.group("scale") or "").lower(), 1.0)
        value = n * scale
        noun = m.group("noun").lower()
        adj = (m.group("adj") or "").lower()
        if re.search(r"\b(?:years?|old|hours?|minutes?|weeks?|days?|months?|mg)\b", adj):
            continue
        if noun in _STUDY_UNITS.lower().split("|"):
            ctype, unit = "sample_size", noun
        elif noun in _SESSION_UNITS.split("|"):
            ctype, unit = "dose_route", noun
        elif noun in ("classes", "drugs", "medications", "antidepressants"):
            ctype, unit = "other", noun
        else:
            study = _STUDY_CUES.search(t)
            prev = _PREV_CUES.search(t)
            # millions of people are a population, not a study's size, even without a prevalence word ("two and
            # three million Americans have treatment-resistant depression"; review11), unless a study is named
            if (prev or (scale >= 1e6 and not study)) and (scale >= 1e6 or not study or re.search(r"\b(?:affect\w*|impact\w*|suffer\w*|each\s+year|annual\w*|"
                                                                 r"nationwide|worldwide|in\s+the\s+U\.?S)", t, re.I)
                         and not re.search(r"\b(?:trial|enrolled|randomi|participants|experiment|study\s+of)", t, re.I)):
                ctype = "prevalence"
            else:
                ctype = "sample_size"
            unit = noun if noun in ("adults", "patients", "participants", "people", "women", "men") else noun
        lo_scale = _SCALE.get((m.group("loscale") or "").lower(), scale)
        if m.group("lo") and (m.group("sep") or "").lower() == "and" and not RX_BETWEEN_BEFORE.search(
                t[max(0, m.start() - 12):m.start()]):
            # "20 and 30 patients" without "between" is not a range: the count is the second number alone
            c.add(ctype, m.start("n"), m.end(), take=True, value=value, unit=unit, qualifier="exact",
                  raw={"claimed_value": raw_digits(raw_n) if scale == 1.0 else None}, kind="count")
        elif m.group("lo"):
            lo = parse_number(m.group("lo"))
            if lo is None or lo * lo_scale > value:
                continue
            between = RX_BETWEEN_BEFORE.search(t[max(0, m.start() - 12):m.start()])
            a = m.start() - (len(between.group(0)) if between and (m.group("sep") or "").lower() == "and" else 0)
            c.add(ctype, a, m.end(), take=True, low=lo * lo_scale, high=value, unit=unit, qualifier="range",
                  # (the figure as written only when neither end has a scale: "3-5 million" is not "3–5")
                  raw={"claimed_low": raw_digits(m.group("lo")) if lo_scale == 1.0 else None,
                       "claimed_high": raw_digits(raw_n) if scale == 1.0 else None}, kind="count-range")
        else:
            raw_v = raw_digits(raw_n)
            if raw_v and scale != 1.0:
                raw_v = None
            c.add(ctype, m.start(), m.end(), take=True, value=value, unit=unit, qualifier=qualifier_of(m.group("h")),
                  raw={"claimed_value": raw_v}, kind="count")
    for m in RX_VAGUE_COUNT.finditer(t):
        if not c.free(*m.span()):
            continue
        prev = _PREV_CUES.search(t)
        ctype = "prevalence" if prev else ("sample_size" if m.group("noun") and _STUDY_CUES.search(t) else "other")
        c.add(ctype, m.start(), m.end(), take=True, unit=(m.group("noun") or "people").lower(), qualifier="categorical",
              text=m.group("w").lower(), kind="vague-count")


