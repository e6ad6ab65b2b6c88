"""What `check` says about the items it lists (settle10, session 10): classes of wrong verdicts, verdicts on claims
the evidence base cannot settle, and item types an editor reads, each closed and pinned.

Sentences are made-up copy unless a comment names the training page they are modelled on."""
from __future__ import annotations

from check_support import claims   # tests/check_support.py


# the sentences carry a year so that the design is listed (an undated design word with no study is not)
def _designs(text: str) -> list[dict]:
    return [c for c in claims(text) if c["claim_type"] == "design"]


def test_a_regulators_review_of_a_drug_is_not_a_narrative_review():
    # modelled on discovermagazine_esketamine_approval ("I participated in the FDA review of this drug"), which was
    # read as a study design and called misattributed against the FDA's notice
    for text in ("On Feb. 3, 2019, I sat in on the FDA review of this drug.",
                 "In 2019 the agency's review of the application took eight months."):
        assert not _designs(text), text


def test_a_clinics_review_of_the_patients_history_is_not_a_study_design():
    # modelled on pmcheal_first_esketamine_treatment ("a review of your treatment history")
    for text in ("In 2019 the first visit included a review of your treatment history.",
                 "In 2024 we began with a psychiatric assessment and review of prior medications."):
        assert not _designs(text), text


def test_a_review_of_studies_is_still_a_narrative_review():
    c = _designs("The study was a review of published trials.")
    assert [d["claimed_text"] for d in c] == ["narrative_review"]
    c = _designs("Walsh and colleagues published a review of ketamine trials in 2021.")
    assert [d["claimed_text"] for d in c] == ["narrative_review"]


def _regulatory(text: str) -> list[dict]:
    return [c for c in claims(text) if c["claim_type"] == "regulatory_status"]


def test_the_first_drug_to_be_approved_in_decades_is_not_settled_by_the_approval():
    # modelled on drugdeliverybusiness_fda_spravato_2019 ("the first new drug to be approved for depression in
    # decades"), called accurate against the 2019 approval notice: the notice does not say no drug was approved before
    for text in ("Spravato is the first new medicine to be approved for depression in decades.",
                 "Esketamine was the first drug to win FDA approval for treatment-resistant depression."):
        regs = _regulatory(text)
        assert regs and all(c["verdict"] == "not_checkable" for c in regs), text
        assert all("first" in c["reason"] and "no other product" in c["reason"] for c in regs), text


def test_an_approval_said_as_done_beside_a_later_first_is_still_checked():
    # modelled on onemillionbestdownloads_spravato_2020: the uniqueness is about the clause it overlaps
    text = ("Esketamine was first approved by the FDA in March 2019, achieving a number of firsts: it was "
            "the first new antidepressant to be approved in decades.")
    first, second = _regulatory(text)
    assert first["verdict"] == "accurate"
    assert second["verdict"] == "not_checkable" and "no other product" in second["reason"]


def test_a_superlative_says_why_it_cannot_be_settled():
    # was: "the sentence names no study and none is established before it" for "the first new drug", "in decades"
    for text, quote in (("Spravato is the first new medicine to be approved for depression in decades.", "in decades"),
                        ("It is the largest study of ketamine for anxiety.", "the largest study")):
        c = next(c for c in claims(text) if c["quote"] == quote)
        assert c["verdict"] == "not_checkable"
        assert c["reason"].startswith(f"“{quote}” compares it with every other drug, study or clinic")


def test_a_span_of_decades_is_not_read_as_a_ranking():
    c = next(c for c in claims("Ketamine has been used for decades in operating rooms.") if c["quote"] == "for decades")
    assert "compares it with every other" not in c["reason"]


def test_a_recommendation_or_vote_for_approval_is_not_the_approval():
    # modelled on pharmamanufacturing_esketamine_panel ("One panel member who voted to recommend approval … said the
    # drug could be a “game-changer”", called accurate against the approval notice) and bbrfoundation_esketamine_panel
    for text in ("A panel member who voted to recommend approval for esketamine called it a “game-changer”.",
                 "In 2019 an FDA advisory panel voted 14-2 in favor of approving esketamine.",
                 "Last month an FDA panel recommended that the agency approve esketamine for depression.",
                 "Esketamine could be headed for FDA approval for depression."):
        regs = _regulatory(text)
        assert regs and all(c["verdict"] == "not_checkable" for c in regs), text
        assert any(c["reason"].startswith("the sentence is about a step before an approval") for c in regs), text


def test_an_approval_said_as_done_after_a_vote_is_checked():
    regs = _regulatory("The FDA approved esketamine in 2019 after an advisory panel recommended approval.")
    assert regs and all(c["verdict"] == "accurate" for c in regs)


def _about(text: str, word: str) -> dict:
    return next(c for c in claims(text) if word in c["quote"])


def test_a_risk_of_abuse_said_as_real_holds_by_the_label():
    # modelled on chooseketamine_disclaimers ("Ketamine has the potential for misuse and addiction"),
    # ketaminemidwest_infusion_faq ("ketamine can be abused recreationally"), momentofclarity ("does have abuse
    # potential"): the label's section 9 (facts ketamine_label_abuse, ketamine_label_dependence) says so
    for text, word in (("Ketamine carries the potential for misuse and addiction.", "misuse"),
                       ("Used outside a clinic, ketamine can be abused.", "abused"),
                       ("Ketamine does have some abuse potential, doctors warn.", "abuse potential")):
        c = _about(text, word)
        assert c["verdict"] == "accurate", (text, c["verdict"], c["reason"])
        assert "Physical dependence has been reported" in c["explanation"] or "Physical dependence" in c["evidence"]


def test_esketamines_abuse_risk_holds_by_the_fdas_reason_for_its_restricted_programme():
    # modelled on sixabc_esketamine_fda_weighing ("there are concerns it could also be abused"; fda_esketamine_rems)
    c = _about("Esketamine works fast, but it could also be abused.", "abused")
    assert c["verdict"] == "accurate"
    assert "potential for abuse and misuse" in c["explanation"]


def test_esketamine_said_habit_forming_abstains_because_its_dependence_is_not_curated():
    # modelled on skyscape_esketamine_monograph ("Esketamine may be habit-forming."): the evidence base holds the
    # FDA's "potential for abuse and misuse", not Spravato's label section 9.3 (Dependence)
    c = _about("Esketamine nasal spray may be habit-forming.", "habit-forming")
    assert c["verdict"] == "not_checkable"
    assert c["reason"].startswith("the evidence base records esketamine's potential for abuse and misuse")


def test_a_degree_of_risk_abstains():
    # modelled on longislandinterventions_side_effects ("a highly addictive nature and increased potential for
    # abuse", unknown: no source grades it) and altmedapp_schedule_iii ("a moderate risk of abuse and dependence")
    for text in ("Ketamine is a party drug with a highly addictive nature and a potential for abuse.",
                 "Ketamine carries a high risk of abuse."):
        c = _about(text, "abuse")
        assert c["verdict"] == "not_checkable", text
        assert "how large or how common the risk is" in c["reason"], text


def test_what_is_done_about_the_risk_or_asked_about_it_is_not_settled_as_a_risk():
    # modelled on lihpao_when_was_ketamine_invented ("reformulated to reduce its potential for abuse"),
    # delraycenter_addiction_risk ("ask about the risk of addiction"), stilldetox ("Questions about the potential …")
    for text in ("Ketamine was later reformulated to reduce its potential for abuse.",
                 "Before starting ketamine, ask about the risk of addiction.",
                 "Questions about the potential for addiction with ketamine are common."):
        assert all(c["verdict"] != "accurate" for c in claims(text)), text


def test_a_denial_of_abuse_is_still_contradicted():
    c = _about("Ketamine is not habit-forming.", "habit-forming")
    assert c["verdict"] == "contradicted"


def _typed(text: str, quote_part: str) -> str:
    return next(c["claim_type"] for c in claims(text) if quote_part in c["quote"])


def test_a_recovery_time_is_a_safety_statement_not_a_dose():
    # review9 #6 (northidahoketamine_faq: "Typical recovery times last from 20-30 minutes after … your infusion")
    assert _typed("Recovery usually takes 30-45 minutes after each infusion.", "30-45 minutes") == "safety"
    # a session's own length is still how the treatment is given
    assert _typed("Each infusion session lasts 40-60 minutes.", "40-60 minutes") == "dose_route"


def test_a_drugs_maker_is_not_a_citation():
    # review9 #7 (thescientist_esketamine_approval: "Spravato, an esketamine-containing nasal spray developed by
    # Johnson & Johnson, was tested …"): the apposition says what the drug is, not who found something
    text = ("Spravato, an esketamine nasal spray developed by Johnson & Johnson, was tested for use with oral "
            "antidepressants as a therapy for treatment-resistant depression.")
    assert _typed(text, "developed by Johnson & Johnson") != "attribution"
    # a finding attributed to a university is still a citation
    assert _typed("Ketamine eased anxiety within hours, researchers at Yale University reported in a new paper.",
                  "Yale") == "attribution"


def test_a_speed_word_in_a_mechanism_is_the_mechanism():
    # review9 #9 (data/articles 001: "By modulating the glutamate system, ketamine can rapidly alter brain function")
    text = "By modulating the glutamate system, ketamine can rapidly alter brain function."
    assert _typed(text, "rapidly alter brain function") == "mechanism"
    # a speed word with what it relieves is how fast it works (the classifier's reading of a whole sentence)
    from evidence.check.claimclf import claim_frame
    assert claim_frame("Ketamine works rapidly for depression by acting on NMDA receptors.")["claim_type"] == "onset"
    assert claim_frame("Ketamine can rapidly alter brain function.")["claim_type"] == "mechanism"


def test_a_response_word_negated_outside_its_item_describes_the_patients():
    # review9 #12 (thescientist_esketamine_approval: "whose depression hasn't responded to other antidepressants"):
    # "responded" was listed as a response-rate claim, its negation held by the approval item (as ac3d16e, session 9,
    # reverted then because it changed the classifier's training data; refitted in its own commit here)
    from evidence.check import check
    rep = check("The regulator has approved esketamine for adults whose depression hasn’t responded to other "
                "antidepressants.")
    assert not [c for c in rep.claims if c["quote"] == "responded"]
    assert ("responded", "other_treatments") in [(n["quote"], n["reason_code"]) for n in rep.non_claims]


def test_a_response_word_said_of_ketamine_stays_a_claim():
    # the negation rule is for other treatments only: "responded to ketamine" is a finding
    from evidence.check import check
    rep = check("Most patients who had not responded before responded to ketamine within a week.")
    assert not [n for n in rep.non_claims if n["reason_code"] == "other_treatments" and n["quote"] == "responded"]


def test_pregnancy_and_breastfeeding_statements_are_safety():
    # review9 #11 (rxlist_spravato_side_effects: "There is a pregnancy exposure registry that monitors pregnancy
    # outcomes …" was typed "other")
    from evidence.check.claimclf import claim_frame
    assert claim_frame("A pregnancy exposure registry monitors outcomes in women exposed to the medicine.")[
        "claim_type"] == "safety"
    assert claim_frame("Breastfeeding is not advised during treatment.")["claim_type"] == "safety"


def test_a_set_aside_inside_another_for_the_same_reason_is_said_once():
    # review9 #15 (rxlist_spravato_side_effects: "Nasal Spray" set aside as the page describing its own contents
    # inside the sentence set aside for the same reason)
    from evidence.check.sift import _outermost
    outer = {"start": 0, "end": 90, "reason_code": "page_itself", "quote": "Our … Nasal Spray Side Effects Center …"}
    inner = {"start": 20, "end": 31, "reason_code": "page_itself", "quote": "Nasal Spray"}
    other = {"start": 40, "end": 50, "reason_code": "phone", "quote": "1-800-000"}
    assert _outermost([outer, inner, other]) == [outer, other]


def test_an_approval_dated_to_a_decade_before_the_recorded_one_is_contradicted():
    # modelled on ketaminemidwest_infusion_faq ("Ketamine has been FDA approved as a dissociative anesthetic since
    # the 1960s", fails: the label header reads "Initial U.S. Approval: 1970 (ketamine)")
    reg = _regulatory("Ketamine has had FDA approval as an anesthetic since the 1960s.")
    assert [c["verdict"] for c in reg] == ["contradicted"]
    assert "dates the approval to the 1960s" in reg[0]["explanation"] and "1970" in reg[0]["explanation"]


def test_an_approval_dated_to_the_decade_it_fell_in_is_not_contradicted():
    reg = _regulatory("Ketamine has been FDA approved as an anesthetic since the 1970s.")
    assert reg and all(c["verdict"] != "contradicted" for c in reg)
    # a decade that dates another event ("discovered in the 1960s") is not the approval's
    reg = _regulatory("Ketamine, discovered in the 1960s, was FDA approved as an anesthetic.")
    assert reg and all(c["verdict"] != "contradicted" for c in reg)


def test_a_list_entrys_title_is_not_a_claim_but_its_text_is_read():
    # review9 #16 (data/articles 002: "Immediate Symptom Relief: Ketamine provides rapid reduction in symptoms, …")
    from evidence.check import check
    rep = check("Benefits of ketamine:\n\n- Fast Symptom Relief: Ketamine brings a rapid reduction in symptoms for "
                "many patients.\n")
    assert ("Symptom Relief", "entry_title") in [(n["quote"], n["reason_code"]) for n in rep.non_claims]
    assert not [c for c in rep.claims if c["quote"] == "Symptom Relief"]
    assert [c for c in rep.claims if "rapid reduction" in c["quote"]]


def test_the_designs_a_statement_is_based_on_are_not_the_studys_design():
    # modelled on neiglobal_apa_ketamine_consensus ("Based primarily on small-scale studies and numerous case
    # reports, much excitement has been built …" was called misattributed against the consensus statement's design)
    # (the page names a review the evidence base holds, so the design words resolve to it)
    text = ("A Consensus Statement on the Use of Ketamine in the Treatment of Mood Disorders\n\n"
            "Sanacora et al. JAMA Psychiatry 2017\n\n"
            "Based mostly on small studies and case reports, interest in ketamine for mood disorders has grown quickly."
            "\n\nBased on available studies as well as a recent meta-analysis, the authors give tentative advice.\n")
    assert not [c for c in claims(text) if c["claim_type"] == "design" and c["verdict"] != "not_checkable"]
    assert not [c for c in claims(text) if c["verdict"] == "misattributed"]
