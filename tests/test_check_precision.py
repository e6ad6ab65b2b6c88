"""Precision of detection (issue 15 item 6): what is *not* a claim, hidden text, decimal commas, negation.

Each case is a failure seen on copy `evidence check` had never seen (issue 15, "Typical failures"); the
assertions pin every parsed field of what *is* detected (value, unit, span, qualifier), as statcheck's
extraction tests do.
"""
from __future__ import annotations

import pytest

from evidence.check import InputError, analyse
from evidence.check.patterns import mask_non_claims, negated, non_claim_spans


def detected(text: str, fmt: str = "auto"):
    return analyse(text, fmt=fmt).detected


def figures(text: str, fmt: str = "auto"):
    """Detected claims that carry a number."""
    return [d for d in detected(text, fmt) if d.value is not None or d.low is not None]


# ------------------------------------------------------------------ not claims

@pytest.mark.parametrize("text", [
    "Booster infusion: $399 (save 10%).",                 # a price and a discount (issue 15)
    "Our team has 20 years of experience.",               # years of experience
    "Rated 4.9 out of 5 from 312 Google reviews.",       # a rating and a review count
    "0% APR financing for 12 months.",                    # financing terms
    "Step 3: most patients receive 6 infusions.",         # a step of the clinic's procedure
    "We use cookies to give you 100% of the experience.",  # a cookie banner
    "We have 12 clinics and have treated over 5,000 patients.",  # the clinic's own counts
    "Open Monday to Friday, 9am to 5pm.",                 # opening hours
    "Call 555-123-4567 today.",                           # a phone number
    "Visit us at 1200 Main Street, Suite 300.",           # an address
    "Get 15% off your first infusion package.",            # a discount
    "Copyright 2024 Serenity Ketamine Clinic.",            # a copyright year
])
def test_not_a_claim(text):
    assert figures(text) == [], [(d.claim_type, d.quote) for d in figures(text)]


def test_non_claim_reasons_in_words():
    spans = non_claim_spans("Booster infusion: $399 (save 10%). Call 555-123-4567.")
    reasons = [r for _, _, r in spans]
    assert reasons == ["a price", "a discount", "a phone number"]
    masked, _ = mask_non_claims("Booster infusion: $399 (save 10%).")
    assert masked == "Booster infusion:      (        )."  # same length: offsets of the rest hold


def test_statistics_next_to_non_claims_still_found():
    # a real prevalence figure in the same text as a price is still detected, with every field
    text = "Anxiety disorders affect 19.1% of U.S. adults each year. A session costs $450."
    (d,) = figures(text)
    assert (d.claim_type, d.value, d.unit, d.qualifier, d.quote) == (
        "prevalence", 19.1, "%", "exact", "19.1% of U.S. adults")
    assert text[d.start:d.end] == d.quote


def test_study_counts_are_not_clinic_counts():
    # "6 patients treated" in an NNH phrasing is a statistic, not the clinic's patient count
    (d,) = [d for d in detected("6 patients treated might experience some adverse effect.") if d.claim_type == "nnh"]
    assert (d.value, d.unit, d.qualifier) == (6.0, "patients", "exact")


# ------------------------------------------------------------------ decimal commas and languages

def test_decimal_comma_before_percent():
    text = "Anxiety affects 18,1% of adults."
    (d,) = figures(text)
    # read as 18.1 (a thousands separator needs three digits), not as "1%"
    assert (d.claim_type, d.value, d.unit, d.qualifier, d.raw["claimed_value"]) == ("prevalence", 18.1, "%", "exact",
                                                                                    "18.1")
    assert (d.start, d.end, d.quote) == (16, 31, "18,1% of adults")


def test_thousands_separator_still_read():
    (d,) = figures("The trial enrolled 1,250 participants.")
    assert (d.claim_type, d.value, d.unit) == ("sample_size", 1250.0, "participants")


def test_other_language_refused_naming_it():
    with pytest.raises(InputError, match="German"):
        analyse("In der Studie sprachen 33 % der 18 Patienten an.")
    with pytest.raises(InputError, match="French"):
        analyse("Dans cette étude, 33 % des patients ont répondu au traitement et la dose était de 0,5 mg/kg.")


def test_english_not_refused():
    assert analyse("Die-hard fans of the study said 40% of the patients improved.").detected


# ------------------------------------------------------------------ hidden text

@pytest.mark.parametrize("html", [
    "<p>Intro text.</p><div hidden>90% remission in every patient</div>",
    "<p>Intro text.</p><div style='display: none'>90% remission in every patient</div>",
    "<p>Intro text.</p><span style='visibility:hidden'>90% remission in every patient</span>",
    "<p>Intro text.</p><nav aria-hidden='true'><a>90% remission in every patient</a></nav>",
    "<p>Intro text.</p><div class='cookie-banner'>We use 100% of cookies</div>",
    "<p>Intro text.</p><div aria-hidden=\"true\">90% remission in every patient</div>",
])
def test_hidden_text_not_read(html):
    an = analyse(html, fmt="html")
    assert "90%" not in an.text and "100%" not in an.text
    assert an.detected == []


def test_visible_text_next_to_hidden_is_read():
    an = analyse("<div hidden>90% remission</div><p>In the trial, 33% of 18 patients responded.</p>", fmt="html")
    (d,) = [d for d in an.detected if d.value is not None]
    assert (d.claim_type, d.value, d.unit, d.quote) == ("response_rate", 33.0, "%", "33% of 18 patients")


# ------------------------------------------------------------------ negation

@pytest.mark.parametrize("text,word,expected", [
    ("This study was not randomized.", "randomized", True),
    ("It was a non-randomized trial.", "randomized", True),
    ("The trial had no placebo group.", "placebo", True),
    ("The study wasn't blinded.", "blinded", True),
    ("The study was randomized and not open-label.", "randomized", False),
    ("Not only randomized, the trial was blinded.", "randomized", False),
    ("It was not large; it was randomized.", "randomized", False),
])
def test_negation_scope(text, word, expected):
    assert negated(text, text.index(word)) is expected


def test_negated_design_claim_is_marked():
    (d,) = [d for d in detected("This study was not randomized.") if d.claim_type == "design"]
    assert d.negated is True
    (d2,) = [d for d in detected("This study was randomized.") if d.claim_type == "design"]
    assert d2.negated is False


def test_outcome_definition_threshold_is_not_a_claim():
    # "(>50% reduction in symptoms, PHQ-9)" defines response; the claim is the 72%
    text = "Ketamine led to a clinical response (>50% reduction in symptoms, PHQ-9) for 72% of patients."
    (d,) = figures(text)
    assert (d.claim_type, d.value, d.unit, d.qualifier, d.quote) == ("response_rate", 72.0, "%", "exact",
                                                                    "72% of patients")
    assert [r for _, _, r in non_claim_spans(text)] == ["a threshold that defines response or remission"]


# ------------------------------------------------------------------ claims the first detectors missed (dev split)

@pytest.mark.parametrize("text,expected", [
    # (claim_type, kind, value, low, high, unit, qualifier, quote)
    ("This analysis of real-world data (n=424) found a response.",
     ("sample_size", "n-equals", 424.0, None, None, "participants", "exact", "n=424")),
    ("PTSD Checklist scores fell (pooled estimate, -28.07; 95% confidence interval [CI], -40.05 to -16.1).",
     ("effect_size", "pooled", -28.07, None, None, "MD", "exact", "pooled estimate, -28.07")),
    ("The link was significant at subacute time points (R2 = 0.621, p = 0.035).",
     ("effect_size", "p-value", 0.621, None, None, "R2", "exact", "R2 = 0.621")),
    ("Booster infusions as needed, often starting at 1 session every 2–6 weeks.",
     ("dose_route", "schedule", None, 2.0, 6.0, "weeks", "range", "1 session every 2–6 weeks")),
    # a recovery time is a safety statement, not a dose or route (review9 #6, session 10)
    ("Typical recovery times last from 20-30 minutes after the completion of your infusion.",
     ("safety", "duration-bare", None, 20.0, 30.0, "minutes", "range", "20-30 minutes")),
    ("Discovered in 1962, ketamine is an anesthetic.",
     ("other", "history", 1962.0, None, None, "year", "exact", "Discovered in 1962")),
])
def test_extra_detections_every_field(text, expected):
    found = [d for d in detected(text) if d.kind == expected[1]]
    assert len(found) >= 1, [(d.claim_type, d.kind, d.quote) for d in detected(text)]
    d = found[0]
    assert (d.claim_type, d.kind, d.value, d.low, d.high, d.unit, d.qualifier, d.quote) == expected
    assert text[d.start:d.end] == d.quote


@pytest.mark.parametrize("text,claim_type,kind,quote", [
    ("It is currently listed as a Schedule III compound under DEA guidelines.", "regulatory_status", "schedule",
     "Schedule III compound"),
    ("These disorders often co-occur with depression.", "prevalence", "comorbidity", "co-occur"),
    ("Spravato is the first major depression drug to enter the US market in decades.", "other", "decades",
     "in decades"),
    ("Anteris, the only clinic in New Zealand willing to prescribe it.", "other", "superlative", "the only clinic"),
    ("The initial study was Dr. Berman's placebo-controlled trial.", "attribution", "doctor", "Dr. Berman's"),
])
def test_extra_word_claims(text, claim_type, kind, quote):
    (d,) = [d for d in detected(text) if d.kind == kind]
    assert (d.claim_type, d.quote, d.qualifier) == (claim_type, quote, "categorical")
