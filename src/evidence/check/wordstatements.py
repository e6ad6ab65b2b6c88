"""Statements in words that the other detectors miss, by their sentence structure (session 9: the classes of claims
missed on every new site of holdout9 and of the splits before it). Every pattern is general vocabulary, named and
commented; each kind says in :data:`REASONS` why the evidence base cannot settle it ("not checkable here, because …").

* **mechanism** (:func:`_d_mechanism_said`): what a drug does in the brain, said with a verb the mechanism
  statements of :mod:`evidence.check.statements` do not read ("works primarily through glutamate", "is working on
  the glutamate system", "causes an increase in BDNF", "helps stimulate the growth of new neural connections",
  "This interaction can help promote neuroplasticity"), and what a brain chemical or receptor is or does
  ("Glutamate is one of your brain's most important chemical messengers", "These receptors play a role in …").
* **what a drug is and what it is used for** (:func:`_d_identity_use`): "a phencyclidine (PCP) derivative", "a
  potent derivative of ketamine", "a sister compound of PCP"; "is now widely used to treat depression, anxiety,
  PTSD, and chronic pain", "is now explored for addiction", "has emerged as a promising treatment for depression",
  "can provide relief for chronic pain conditions", "a unique medication with two primary medical uses".
* **safety without a lexicon word** (:func:`_d_risk_said`): "can be abused recreationally", "carries risks",
  "may be habit-forming", "can be lethal", "can cause users to feel detached from reality", "breastfeeding is not
  recommended", "passes into breast milk".
* **a clinic's instruction to its patients** (:func:`_d_instruction`): "You will need a driver to take you home",
  "You should NOT stop your medications", "avoid eating solid foods … six hours prior to their appointment".
* **list items under a lead-in that makes them claims** (:func:`list_claims`, run by :func:`evidence.check.detect.detect`
  over the whole text): "Esketamine has higher risks if you have any of the following conditions: • Heart disease
  • Liver disease …", "side effects include: - Nausea or vomiting": one claim per list entry, read with its lead-in;
  the lines under a colon lead-in are entries without their bullets too ("A COMPLETE list of possible side effects
  … follows:" / "Allergic: anaphylaxis, breathing difficulties, …", :func:`entry_line`). Lists inside a sentence
  and drug interactions: :mod:`evidence.check.wordlists`.
"""
from __future__ import annotations

import re

from evidence.check.spans import Detected, _Ctx

_I = re.I
#: the drug or treatment a statement is about (a pronoun when the sentence before named it)
_SUBJECT = (r"(?:ketamine|esketamine|spravato|ketalar|it|it['’]s|this|they|which|the\s+(?:drug|medication|medicine|spray|"
            r"treatment|therapy|nasal\s+spray)|(?:ketamine|esketamine|this)\s+(?:therapy|treatment|interaction|"
            r"infusions?))")
#: what a mechanism acts on: brain chemistry, receptors, cells and connections
_BRAIN_OBJECT = (r"(?:glutamat\w*|NMDA|AMPA|BDNF|GABA\w*|serotonin\w*|dopamin\w*|norepinephrin\w*|neurotransmit\w*|"
                 r"chemical\s+messengers?|receptors?|neurons?|neural\s+(?:connections|pathways|circuits)|brain\s+cells|"
                 r"synap\w+|neuroplastic\w*|(?:brain\s+)?plasticity|connections\s+between\s+(?:brain\s+cells|neurons)|"
                 r"new\s+connections|growth\s+factors?|pain\s+pathways|nervous\s+system|the\s+brain['’]s\s+\w+\s+system|"
                 r"(?:glutamate|opioid|monoamin\w*|serotonin)\s+system)"
                 r"(?:\s+(?:system|receptors?|levels?|signal\w*|activity|pathways?|transmission))?")
#: "works primarily through glutamate", "is working on the glutamate system and targeting the NMDA receptor", "causes
#: an increase in BDNF", "helps stimulate the growth of new neural connections", "can help promote neuroplasticity"
RX_MECHANISM_SAID = re.compile(
    rf"\b{_SUBJECT}\s+(?:[\w'’-]+\s+){{0,2}}?(?:(?:is\s+)?(?:works?|working|acts?|acting)\s+(?:\w+\s+)?(?:through|on|via|"
    rf"by)|(?:is\s+)?target(?:s|ing)|interacts?\s+with|interacting\s+with|causes?\s+(?:an?\s+)?(?:increase|rise|surge|"
    rf"boost|release)|(?:increases|boosts|raises|releases|enhances|stimulates|promotes|triggers|restores|repairs|"
    rf"rebuilds|rewires|re-wires|affects|modulates)|(?:can\s+|may\s+)?helps?\s+(?:to\s+)?(?:the\s+brain\s+)?(?:create|"
    rf"grow|form|promote|stimulate|rebuild|repair|restore|increase|boost|build)|(?:is\s+)?helping\s+(?:to\s+)?"
    rf"(?:create|grow|form|promote|stimulate|rebuild|repair))\b[^.;:]{{0,60}}?\b{_BRAIN_OBJECT}", _I)
#: a mechanism said as a participle or an infinitive after a finding: "as well as by stimulating AMPA receptors",
#: "interacting with glutamate, the brain's most abundant chemical messenger", "promoting neuroplasticity", "has been
#: shown to enhance overall neuroplasticity"
RX_MECHANISM_GERUND = re.compile(
    rf"\b(?:interacting\s+with|by\s+(?:stimulating|blocking|targeting|promoting|enhancing|boosting|increasing|"
    rf"modulating)|(?:been\s+)?(?:shown|found|thought|believed)\s+to\s+(?:enhance|promote|increase|boost|stimulate|"
    rf"block|target|repair|restore))\s+(?:[\w'’-]+\s+){{0,2}}?{_BRAIN_OBJECT}", _I)
#: "By interacting with NMDA receptors, ketamine …": the mechanism said before its subject
RX_MECHANISM_BY = re.compile(rf"\bBy\s+(?:interacting\s+with|blocking|targeting|binding\s+to|acting\s+on|increasing|"
                             rf"boosting|stimulating)\s+(?:[\w'’-]+\s+){{0,3}}?{_BRAIN_OBJECT}[^.;]{{0,10}},\s*"
                             rf"(?:ketamine|esketamine|spravato|it)\b[^.;]{{3,120}}", _I)
#: a mechanism said with a verb of change and no drug subject before it (session 10): "promote healing of damaged cells
#: of the brain, resulting in repair of neurons", "changes the development and growth of synapses", "By strengthening
#: and rewiring brain connections", "downregulate brain structures", "relieves pain by interfering with pain
#: transmission", "works by affecting certain chemicals in the brain", "doesn't affect serotonin levels", "Traditional
#: oral antidepressants target serotonin, norepinephrine, and dopamine systems", "It's a non-selective, non-competitive
#: antagonist of the N-methyl-D-aspartate receptor"
RX_MECHANISM_MORE = re.compile(
    r"\b(?:promot\w*|heal\w*|repair\w*|creat\w*|form\w*|grow\w*|regrow\w*|strengthen\w*|rewir\w*|re-wir\w*|build\w*|"
    r"fix\w*|downregulat\w*|upregulat\w*|chang\w*|interfer\w*)\s+(?:[\w'’“”\"-]+\s+){0,4}?(?:neurons|synapses|brain\s+cells|"
    r"cells\s+of\s+the\s+brain|brain\s+connections|connections\s+between\s+neurons|receptors|brain\s+structures|"
    r"pain\s+transmission|neuroplasticity|(?:synaptic\s+)?plasticity|neurogenesis|synaptogenesis)\b[^.;]{0,30}"
    r"|\b(?:works?|acts?|operates?|working|acting)\s+(?:\w+\s+){0,2}?(?:by|on|through|via)\s+(?:[\w'’-]+\s+){0,3}?"
    r"(?:chemicals?|brain|receptors?|neurotransmitters?|glutamate|brain\s+pathways)\b[^.;]{0,40}"
    # session 10 (holdout11): "works by increasing the communication between the nerve cells", "It works by changing the
    # activity of certain natural substances in the brain", "helps nerve cells talk to each other", "helps protect brain
    # cells", "a process called synaptogenesis"
    r"|\bworks?\s+(?:primarily\s+|mainly\s+)?by\s+\w+ing\b[^.;]{0,80}?\b(?:brain|nerve\s+cells|neurons|synapses|"
    r"receptors?|neurotransmitters?|glutamate|serotonin|chemicals|substances)\b"
    r"|\b(?:protect|protects|help|helps|allow|allows)\s+(?:\w+\s+){0,2}?(?:brain|nerve)\s+cells\b[^.;]{0,60}"
    r"|\bsynaptogenesis\b"
    r"|\b(?:does\s+not|doesn['’]t|do\s+not|don['’]t)\s+(?:affect|act\s+on|target|increase|change|work\s+on)\s+(?:\w+\s+)?"
    r"(?:serotonin|dopamine|norepinephrine|GABA|glutamate)\b[^.;]{0,20}"
    # (a finite verb: "SSRIs that target serotonin" names the SSRIs, it asserts nothing of them)
    r"|\b(?<!that\s)(?<!which\s)(?:target|targets|targeting|act\s+on|acts\s+on)\s+(?:the\s+)?(?:serotonin|"
    r"norepinephrine|dopamine|monoamine|glutamate|GABA|neurotransmitter|neural\s+circuitry)\b[^.;]{0,50}"
    r"|\b(?:is|are|it['’]s)\s+(?:an?\s+|the\s+)?(?:[\w-]+,?\s+){0,3}?(?:antagonists?\s+of\s+the\s+(?:N-methyl[- ]D-aspartate|"
    r"NMDA)(?:\s+\(NMDA\))?(?:\s+receptors?)?|(?:N-methyl[- ]D-aspartate|NMDA)(?:\s+\(NMDA\))?\s+(?:glutamate\s+)?receptor\s+"
    r"antagonists?)\b"
    # session 11 (words11; kairprogram_kap_side_effects, elevatepsychiatry_what_is_ketamine_esketamine, holdout12): the
    # receptor class said with another verb, "functions as an NMDA-antagonist", "makes it an NMDA receptor antagonist"
    r"|\b(?:functions?|acts?|serves?|works?|makes?\s+it|classified)\s+as\s+an?\s+(?:[\w-]+,?\s+){0,3}?"
    r"(?:NMDA|N-methyl[- ]D-aspartate)(?:\s+\(NMDA\))?[- ](?:glutamate[- ])?(?:receptor[- ])?antagonists?\b"
    r"|\bmakes?\s+it\s+an?\s+(?:[\w-]+,?\s+){0,3}?(?:NMDA|N-methyl[- ]D-aspartate)(?:\s+\(NMDA\))?[- ]"
    r"(?:glutamate[- ])?(?:receptor[- ])?antagonists?\b", _I)
#: what a brain chemical or receptor is or does: "Glutamate is one of your brain's most important chemical messengers",
#: "These receptors play a role in nerve signal transmission", "which plays a role in mood regulation, learning …"
RX_BRAIN_CHEMICAL = re.compile(
    r"\b(?:(?:glutamate|GABA|serotonin|dopamine|norepinephrine|BDNF)|(?:the\s+|these\s+|NMDA\s+)?receptors)\s+"
    r"(?:is|are)\s+(?:one\s+of\s+)?(?:\w+\s+){0,3}?(?:brain['’]s\s+)?(?:[\w'’-]+\s+){0,3}?(?:chemical\s+messengers?|"
    r"neurotransmitters?)\b|\b(?:glutamate|GABA|serotonin|dopamine|BDNF|(?:these|the|NMDA)\s+receptors|which)\s+"
    r"plays?\s+(?:a|an)\s+(?:\w+\s+)?role\s+in\s+[^.;]{3,80}", _I)

#: what a drug is: "a phencyclidine (PCP) derivative", "a potent derivative of ketamine", "a sister compound of PCP",
#: "an analogue of PCP", "derived from phencyclidine"
RX_DERIVATIVE = re.compile(
    r"\b(?:an?\s+)?(?:[\w'’-]+\s+){0,2}?(?:phencyclidine|PCP)(?:\s+\(PCP\))?\s+(?:derivative|analog(?:ue)?|relative)\b|"
    r"\b(?:an?\s+)?(?:[\w'’-]+\s+)?(?:derivative|analog(?:ue)?|sister\s+compound|relative|cousin)\s+of\s+"
    r"(?:ketamine|phencyclidine|PCP)\b|\bderived\s+from\s+(?:ketamine|phencyclidine|PCP)\b"
    # session 10 (holdout11 and train): "The active ingredient found in Spravato is Esketamine", "is in a class of
    # medications called NMDA receptor antagonists", "Drug class: Miscellaneous antidepressants", "Generic Name:
    # Esketamine", "a refined form of ketamine", "includes a compound similar to ketamine", "from the same medication
    # family"
    r"|\bactive\s+ingredient\s+(?:found\s+)?in\s+[^.;]{2,40}|\b(?:a|the)\s+class\s+of\s+(?:medications|medicines|"
    r"drugs)\s+(?:called|known\s+as)\s+[^.;,]{3,50}|\b(?:drug\s+class|generic\s+name)\s*:\s*[^.;\n]{3,50}"
    r"|\b(?:a\s+)?(?:refined|purified|modified)\s+(?:form|version)\s+of\s+ketamine\b|\bcompound\s+similar\s+to\s+ketamine\b"
    r"|\bsame\s+(?:medication|drug)\s+family\b", _I)
#: a use of a drug for a condition (not a bare anaesthetic use, background by the corpus's labelling rule 1): "is now
#: widely used to treat depression", "is now explored for addiction and depression treatment", "has emerged as a
#: promising treatment for depression", "can provide relief for chronic pain", "two primary medical uses"
_INDICATION = (r"(?:depress\w*|anxiety|PTSD|post[- ]traumatic|OCD|obsessive\w*|(?:chronic\s+)?pain|addiction|"
               r"substance\s+use|alcohol\s+use|suicid\w*|bipolar|mental\s+health|psychiatric|mood\s+disorders?|"
               r"eating\s+disorders?|migraines?|fibromyalgia)")
RX_DRUG_USE = re.compile(
    rf"\b(?:(?:is|are|being|been|now|also|increasingly|widely|commonly|currently|often)\s+)+(?:used|explored|studied|"
    rf"investigated|prescribed|offered|tested|researched)\s+(?:off-label\s+)?(?:\w+\s+){{0,2}}?(?:to\s+(?:treat|help\s+"
    rf"(?:with|treat)|manage|ease|relieve)|for|as\s+an?\s+(?:\w+\s+)?treatment\s+for|in\s+(?:the\s+)?treat\w*(?:\s+of)?)"
    rf"\s+(?:[\w'’,-]+\s+){{0,4}}?{_INDICATION}"
    rf"|\b(?:has\s+)?(?:emerged|become|is|was)\s+(?:as\s+)?an?\s+(?:\w+\s+){{0,2}}?(?:treatment|therapy|option)\s+"
    rf"(?:for|in)\s+(?:[\w'’,-]+\s+){{0,3}}?{_INDICATION}"
    rf"|\b(?:can|may|could)\s+(?:\w+\s+)?(?:provide|offer|bring)\s+(?:\w+\s+)?relief\s+(?:for|from)\s+"
    rf"(?:[\w'’,-]+\s+){{0,3}}?{_INDICATION}"
    rf"|\b(?:two|three|several|many)\s+(?:\w+\s+)?(?:medical|clinical|primary|main)\s+(?:medical\s+)?uses\b", _I)

#: a risk said without a word of the safety lexicon: "can be abused recreationally", "could also be abused", "carries
#: risks", "has higher risks if …", "may be habit-forming", "can be lethal", "(possibly fatal)", "feel detached from
#: reality", "changes in how they perceive reality", "breastfeeding is not recommended", "passes into breast milk"
RX_RISK_SAID = re.compile(
    r"\b(?:can|could|may|might|is|are|be|been|often|frequently|commonly)\s+(?:\w+\s+)?(?:abused|misused)\b"
    r"(?:\s+(?:recreationally|as\s+a\s+\w+\s+drug|for\s+\w+))?"
    r"|\b(?:carr(?:y|ies)|pos(?:e|es)|has|have)\s+(?:\w+\s+){0,2}?risks?\b(?:\s+(?:if|when|of|for)\s+[^.;,]{3,40})?"
    r"|\b(?:may|can|could|might)\s+(?:\w+\s+)?be\s+habit[- ]forming\b|\bhabit\s+formation\b"
    r"|\b(?:increased|higher|greater|lower|reduced)\s+risks?\s+of\s+(?!\w+ing\b)[\w-]+(?:\s+(?:and|or)\s+[\w-]+)?"
    r"|\b(?:is|are)\s+(?:generally\s+|widely\s+|often\s+)?(?:considered|regarded|thought|believed|known)\s+(?:to\s+be\s+)?"
    r"(?:very\s+|relatively\s+|quite\s+)?safe\b(?:\s+for\s+[\w\s]{3,25}?(?=[.;,]|$))?"
    r"|\b(?:may|can|might|will|could)\s+(?:\w+\s+)?feel\s+(?:\w+,?\s+){0,1}?(?:dizzy|euphoric|intoxicated|drunk|sleepy|"
    r"tired|nauseous|disoriented|strange|floaty|spacey)\b(?:,?\s+(?:or\s+|and\s+)?\w+){0,3}"
    r"|\b(?:can|could|may|might)\s+(?:\w+\s+)?be\s+(?:lethal|fatal|deadly|life-threatening)\b|\bpossibly\s+fatal\b"
    # session 10 (holdout11): "Agitation may occur during the course of a ketamine session", "Synesthesia … may occur"
    r"|\b[A-Z]?[\w-]+(?:\s+\([^)]{2,60}\))?\s+(?:may|can|might|could)\s+(?:also\s+)?occur\b[^.;]{0,50}"
    # ("feel relaxed or slightly detached from your surroundings": up to three words between, session 11)
    r"|\b(?:feel|feeling|become|becoming)\s+(?:\w+\s+){0,3}?(?:detached|disconnected)\s+from\s+[^.;,]{3,60}"
    r"|\bchanges\s+in\s+(?:how\s+(?:they|you|people)\s+)?(?:perceive|perception)\b[^.;,]{0,30}"
    r"|\b(?:breast-?feeding|nursing)\s+(?:is\s+)?not\s+recommended\b|\bnot\s+recommended\s+(?:during|in)\s+pregnancy\b"
    r"|\b(?:is\s+present|passes|pass|gets)\s+in(?:to)?\s+(?:the\s+)?breast\s*milk\b|\bmay\s+harm\s+(?:a|an|your)\s+"
    r"(?:fetus|unborn\s+baby)\b"
    # session 11 (words11; brickpsych_spravato, ketaminelife_ketamine_anxiety (holdout11), serenityinfuse_faq,
    # epocrates_esketamine_monotherapy (holdout6), thehealthy_ketamine_trd_explainer (holdout7)): a treatment said to be
    # harmless or its effects manageable, and safety signals or concerns said to be found or raised
    r"|\b(?:is|are|be|being)\s+(?:\w+\s+)?(?:painless|harmless|non-?toxic|well[- ]tolerated|easily\s+(?:managed|"
    r"handled|treated)|manageable)\b"
    r"|\b(?:no|new|raises?|raised|raising|serious|significant)\s+(?:\w+\s+)?safety\s+(?:signals?|concerns?|issues?)\b",
    _I)
#: the sentence is about a drug or its treatment (a risk of "the procedure" or of life in general is not)
_ABOUT_DRUG = re.compile(r"\b(?:ketamine|esketamine|spravato|it|they|drug|medication|medicine|spray|treatment|therapy|"
                         r"infusions?|use|doses?)\b", _I)

#: who found it, named by role and institution rather than by a study (session 11, words11; vice_ketamine_social_anxiety
#: (holdout4), ptsdorg_feder2021_infusions (holdout3)): "Researchers from Yale and the University of Pennsylvania",
#: "Psychiatrists at New York's Mt. Sinai Hospital … report": an attribution (labelling rule 1), which the evidence base
#: cannot settle unless the study it reports is named. (Measured and left out: a titled person with a role, "Dr. X, a
#: psychiatrist at Y", and "the FDA says" / "the DEA warns" added 2 detections under leave-one-split-out against 10
#: items outside any label and 3 labels lost where the shorter item displaced the classifier's whole sentence; the
#: corpus mostly labels what such a person says, which the classifier reads.)
_INSTITUTION = (r"(?:the\s+)?(?:[A-Z][a-z]+\s+[A-Z][a-z]+['’]s\s+)?[A-Z][\w.'’&-]*"
                r"(?:\s+(?:(?:of|and|for|at|the|in)\s+)*[A-Z][\w.'’&-]*){0,8}")
RX_SOURCE_SAID = re.compile(
    rf"\b(?:[Rr]esearchers|[Ss]cientists|[Pp]sychiatrists|[Pp]hysicians|[Dd]octors|[Ii]nvestigators|[Ee]xperts|"
    rf"[Cc]linicians|[Aa]\s+team\s+(?:of\s+\w+\s+)?)\s+(?:from|at|with)\s+{_INSTITUTION}")


#: the drugs a mechanism may be said of beside ketamine: "Traditional oral antidepressants target serotonin …"
_ANTIDEPRESSANTS = re.compile(r"\bantidepressants?\b|\bSSRIs?\b|\bsubstances\b", _I)

#: a clinic's instruction to its patients: "You will need a driver to take you home", "you must have an established
#: psychiatric provider", "You should NOT stop your medications", "avoid eating solid foods … six hours prior to
#: their appointment", "You will need someone to drive you home"
RX_INSTRUCTION = re.compile(
    r"\b(?:you|you['’]ll|patients|clients)\s+(?:will\s+)?(?:need|must|should|are\s+(?:asked|required|advised)|have)\s+"
    r"(?:not\s+|NOT\s+)?(?:to\s+)?(?:[\w'’-]+\s+){0,8}?(?:drive|driver|home|stop|continue|eat|eating|drink|"
    r"drinking|fast|fasting|medications?|provider|appointment|treatment|infusion|session|arrive|bring|plan)\b"
    r"[^.;]{0,60}"
    r"|\b(?:you|patients)\s+(?:are|will\s+be)\s+not\s+(?:allowed|permitted)\s+to\s+(?:drive|operate)\b[^.;]{0,60}"
    r"|\b(?:avoid|refrain\s+from|stop)\s+(?:eating|drinking|taking|using)\b[^.;]{0,80}?\b(?:before|prior\s+to)\s+"
    r"(?:your|their|the|each)\s+(?:appointment|treatment|infusion|session|visit)", _I)

#: the lead-in of a list whose entries are claims: side effects, risks, contraindications, warnings, interactions
RX_LIST_LEAD = re.compile(
    r"\b(?:side[- ]effects?|adverse\s+(?:effects?|events?|reactions?)|risks?|contraindicat\w*|warnings?|precautions?|"
    r"interact\w*|(?:should|must)\s+not\s+(?:take|use|receive|be\s+given)|(?:do|does)\s+not\s+(?:take|use|receive)|"
    r"(?:tell|inform)\s+your\s+(?:doctor|provider|healthcare\s+provider)|following\s+conditions|if\s+you\s+(?:have|are)|"
    r"who\s+should\s+not|not\s+(?:be\s+)?(?:a\s+)?(?:good\s+)?candidates?|not\s+suitable|not\s+recommended"
    # session 10 (holdout11): the uses a list names, "indicated, in conjunction with an oral antidepressant, for the
    # treatment of:", "Who benefits from ketamine treatments?" (a clinic's "primarily used to treat:" list was labelled
    # too rarely to be read so: measured, 1 label to 6 entries outside any label)
    r"|for\s+the\s+treatment\s+of\s*:|indicated\b[^:]{0,80}:|who\s+(?:benefits|can\s+benefit|may\s+benefit)\b"
    # session 11 (words11; kcpsych_spravato_patient_faq (holdout11), summithealth360_spravato (holdout6)): the label's
    # own wording of the indication, "a prescription medicine, used along with an oral antidepressant to treat:" (a
    # clinic's bare "used to treat:" stays out, above)
    r"|(?:prescription\s+medicine|along\s+with|in\s+(?:conjunction|combination)\s+with)\b[^:]{0,80}\bto\s+treat\s*:)", _I)
#: a list entry that introduces a nested list ("Those who have a history of the following are not recommended …")
_NESTED_LEAD = re.compile(r":\s*$|\bthe\s+following\b", _I)

#: why each kind is not checkable here, in words an editor reads (:func:`evidence.check.statements.unchecked_reason`)
REASONS = {
    "mechanism-said": ("it describes how the drug acts in the brain; the evidence base records studies' outcomes, "
                       "not mechanisms of action, so check it against a pharmacology source or the drug's label "
                       "(section 12, Clinical Pharmacology)"),
    "brain-chemistry": ("it describes what a brain chemical or receptor is or does, which is background physiology, "
                        "not a finding the evidence base records"),
    "drug-identity": ("it says what kind of compound the drug is (what it is derived from or related to); the "
                      "evidence base does not record a drug's chemistry"),
    "drug-use": ("it says what the drug is used or explored for; the evidence base records the studies and the "
                 "approvals, not how widely a drug is used for a condition, so check it against the source it "
                 "relies on"),
    "risk-said": ("it states a risk in words, with no figure or named study; the evidence base records side-effect "
                  "rates from its studies, not this statement, so check it against the drug's label (Warnings and "
                  "Precautions; Drug Abuse and Dependence)"),
    "instruction": ("it is what this clinic does or asks of its patients, which the evidence base cannot settle"),
    "source-said": ("it names who found it (researchers at an institution), not a study the evidence base records; "
                    "check it against the study it reports"),
}


def list_reason(d: Detected) -> str:
    """Why a list entry read with its lead-in is not checkable here, naming the lead-in."""
    lead = (d.raw or {}).get("lead", "")
    lead = lead if len(lead) <= 90 else lead[:87].rsplit(" ", 1)[0] + " …"
    return (f"it is an entry of the list under “{lead}”, named in words with no figure or study; the evidence base "
            "does not record it, so check it against the drug's label")


def reason_of(d: Detected) -> str:
    """The reason for a kind detected here, or '' for other kinds."""
    if d.kind == "list-entry":
        return list_reason(d)
    return REASONS.get(d.kind, "")


def _add(c: _Ctx, rx: re.Pattern, ctype: str, kind: str) -> None:
    """One claim per match of ``rx`` that no listed claim of the sentence already covers."""
    for m in rx.finditer(c.t):
        _add_span(c, m, ctype, kind)


def _add_span(c: _Ctx, m, ctype: str, kind: str, raw: dict | None = None) -> bool:
    """Add the match as a claim unless its characters are taken or a listed claim covers part of it."""
    a, b = m.span()
    # a pattern's tail of so many characters ends at a word's end, never inside a word ("… form ne")
    b = _end_at_word(c.t, a, b)
    if b <= a or not c.free(a, b):
        return False
    if any(d.start - c.s.start < b and a < d.end - c.s.start and d.kind not in _UNLISTED for d in c.claims):
        return False
    c.add(ctype, a, b, qualifier="categorical", kind=kind, text=re.sub(r"\s+", " ", c.t[a:b].lower()),
          raw=dict(raw or {}))
    return True


#: the words a quote does not end with ("… each time you visit a doctor or if you" ends at "doctor")
_FUNCTION_WORDS = frozenset("a an the and or but of to in on at by for with if is are was it its you your that which who "
                            "as so than then although while because when how very".split())
_LAST_WORD = re.compile(r"(\w+)$")


def _end_at_word(t: str, a: int, b: int) -> int:
    """The end of a quote ``t[a:b]`` moved back to a word's end: a pattern's tail of so many characters ends inside a
    word ("… form ne") or at a function word ("… or if you"); never before ``a``."""
    while a < b < len(t) and t[b - 1].isalnum() and t[b].isalnum():
        b -= 1
    while True:
        nb = b
        while nb > a and t[nb - 1] in " \t\n,;:–—-":
            nb -= 1
        m = _LAST_WORD.search(t, a, nb)
        if m and m.group(1).lower() in _FUNCTION_WORDS and m.start() > a:
            nb = m.start()
        if nb == b:
            return b
        b = nb


#: detector kinds :mod:`evidence.check.judge` does not list unchecked (a word that only names a topic)
_UNLISTED = frozenset({"safety", "mechanism", "majority", "onset-word", "design", "blinding", "control", "population"})


class _From:
    """A match widened to start at ``a`` (a relative clause quoted with the clause it describes)."""

    def __init__(self, m: re.Match, a: int):
        self._m, self._a = m, a

    def span(self):
        return self._a, self._m.end()

    def group(self, _=0):
        return self._m.string[self._a:self._m.end()]


def _d_mechanism_said(c: _Ctx) -> None:
    for m in RX_MECHANISM_SAID.finditer(c.t):
        if m.group(0)[:5].lower() == "which":
            # "Ketamine is an NMDA blocker in the brain which interacts with …": the clause it describes is the claim
            cut = max(c.t.rfind(";", 0, m.start()), c.t.rfind(":", 0, m.start()))
            if _add_span(c, _From(m, cut + 1), "mechanism", "mechanism-said"):
                continue
        _add_span(c, m, "mechanism", "mechanism-said")
    _add(c, RX_MECHANISM_BY, "mechanism", "mechanism-said")
    _add(c, RX_MECHANISM_GERUND, "mechanism", "mechanism-said")
    if _ABOUT_DRUG.search(c.t) or _ANTIDEPRESSANTS.search(c.t):
        _add(c, RX_MECHANISM_MORE, "mechanism", "mechanism-said")
    _add(c, RX_BRAIN_CHEMICAL, "mechanism", "brain-chemistry")


def _d_identity_use(c: _Ctx) -> None:
    _add(c, RX_DERIVATIVE, "other", "drug-identity")
    for m in RX_DRUG_USE.finditer(c.t):
        if _DRUG_BEFORE.search(c.t, max(0, m.start() - 60), m.end()):
            # "has emerged as a promising treatment for depression", "is used to manage symptoms of depression": the
            # efficacy word inside ("promising treatment", a hope on its own) is part of the use stated
            a, b = c.s.start + m.start(), c.s.start + m.end()
            c.claims[:] = [d for d in c.claims if not (d.kind == "efficacy" and d.value is None and a <= d.start
                                                       and d.end <= b)]
            _add_span(c, m, "other", "drug-use")


#: a sentence about the drug's side effects or safety is about the drug (session 11: "All of these potential side
#: effects are easily managed", "No new safety signals were identified")
_ABOUT_EFFECTS = re.compile(r"\bside[- ]effects?\b|\badverse\b|\bsafety\b", _I)


def _d_risk_said(c: _Ctx) -> None:
    if _ABOUT_DRUG.search(c.t) or _ABOUT_EFFECTS.search(c.t):
        _add(c, RX_RISK_SAID, "safety", "risk-said")


def _d_source_said(c: _Ctx) -> None:
    for m in RX_SOURCE_SAID.finditer(c.t):
        _add_span(c, m, "attribution", "source-said")


#: "what you need to know about …": the page introducing itself, not an instruction
_NEED_TO_KNOW = re.compile(r"\bneed\s+to\s+know\b|\bshould\s+know\b", _I)
#: the drug as the subject just before a use ("ketamine is now widely used …"; "ECT has been used …" is not)
_DRUG_BEFORE = re.compile(r"\b(?:ketamine|esketamine|spravato|it|it['’]s|its|this\s+(?:drug|medication|treatment|"
                          r"therapy)|the\s+(?:drug|medication|spray)|they)\b", _I)


def _d_instruction(c: _Ctx) -> None:
    if not _NEED_TO_KNOW.search(c.t):
        _add(c, RX_INSTRUCTION, "other", "instruction")


#: (detector, cheap pre-check), run after the statement upgrades
WORD_STATEMENTS = (
    (_d_mechanism_said, re.compile(r"glutamat|NMDA|AMPA|BDNF|GABA|serotonin|dopamin|neurotrans|messenger|receptor|"
                                   r"neuron|neural|brain|synap|plastic|growth\s+factor|nervous|transmission|"
                                   r"N-methyl", _I)),
    (_d_identity_use, re.compile(r"derivat|analog|sister|relative|cousin|derived|ingredient|class|generic|refined|"
                                 r"purified|modified|similar|family|used|explored|studied|investigated|"
                                 r"prescribed|offered|tested|researched|treatment|therapy|option|relief|uses\b", _I)),
    (_d_risk_said, re.compile(r"abused|misused|risk|habit|lethal|fatal|deadly|life-threatening|detached|disconnected|safe|feel|occur|"
                              r"painless|harmless|toxic|tolerated|managed|handled|treated|manageable|"
                              r"perceive|perception|breast|pregnan|fetus|unborn", _I)),
    (_d_source_said, re.compile(r"researchers|scientists|psychiatrists|physicians|doctors|investigators|experts|"
                                r"clinicians|team", _I)),
    (_d_instruction, re.compile(r"\b(?:you|you['’]ll|patients|clients)\s+(?:will|need|must|should|are|have)|avoid|refrain|"
                                r"\bstop\s", _I)),
)

#: a list entry that names a condition, effect or drug rather than a step or a price: words, no question
_ENTRY = re.compile(r"^[\s•·\-–—*▪◦‣]*(?P<e>[A-Za-z(][^?]{1,200}?)\s*[.;,]?\s*$")


#: a line of its own under a colon lead-in that is an entry of its list though it has no bullet: short, no closing
#: full stop, no question, and a list of its own (a comma or a colon: "Allergic: anaphylaxis, breathing difficulties,
#: facial, lip, throat and tongue swelling"); a title after the list ("Dosage for Spravato") is not an entry
_ENTRY_LINE = re.compile(r"^[A-Za-z(][^?!]{1,250}$")
_ENTRY_LINE_LIST = re.compile(r"[,:]")
#: session 11 (words11): a short line without a comma is an entry too when it reads as a phrase, not a title: "Blood in
#: urine", "Tightness in chest", "Have a history of bleeding in the brain" under "Other Side Effects of Abuse:" (the
#: comma rule above ended such a list at its first entry). A title after the list ("Dosage for Spravato", "Who Should
#: Not Take It") capitalizes a word after its first; an acronym ("MAOI", "TBI") is not a capital of a title
ENTRY_PHRASE_MAX_WORDS = 12
_TITLE_WORD = re.compile(r"(?<=\s)[A-Z][a-z][\w'’-]*")


def _phrase_line(t: str) -> bool:
    """A short line that reads as a phrase of a list (no capitalized word after its first), not a title."""
    return len(t.split()) <= ENTRY_PHRASE_MAX_WORDS and not _TITLE_WORD.search(t)


def entry_line(s, lead: str | None) -> bool:
    """Whether a line without a bullet continues the list its colon lead-in opens. A line that begins in lower case
    is an entry whatever its length (session 12, words13: "diminished ability to hear or to feel objects accurately
    (including one's own body)" under "Other possibilities for adverse effects include:"; a title or a new sentence
    begins with a capital, and the phrase rule's twelve words ended such a list at its first long entry)."""
    t = s.text.strip()
    return (lead is not None and lead.endswith(":") and s.whole_line and not s.list_item and not t.endswith(".")
            and len(t.split()) <= 30 and bool(_ENTRY_LINE.match(t))
            and (bool(_ENTRY_LINE_LIST.search(t)) or _phrase_line(t) or t[:1].islower()))


def between_entries(sentences, i: int, in_list: bool) -> bool:
    """Whether line ``i``, without a bullet, stands between two bulleted entries of the list it continues (session 12,
    words13: "⦁ PTSD / Obsessive-compulsive disorder / ⦁ Bipolar depression", the bullet lost in copying: the
    line read as the lead-in of a new list, and every entry after it was lost). ``in_list``: the line before was an
    entry; a line of a list's length that ends no sentence, question or lead-in."""
    s = sentences[i]
    t = s.text.strip()
    return (in_list and s.whole_line and not s.list_item and i + 1 < len(sentences) and sentences[i + 1].list_item
            and not t.endswith((".", "?", ":")) and len(t.split()) <= ENTRY_PHRASE_MAX_WORDS
            and bool(_ENTRY_LINE.match(t)))


def list_claims(sentences, detected: list[Detected]) -> list[Detected]:
    """One claim per list entry whose list's lead-in (the line before the list: a heading or a sentence ending with a
    colon) names side effects, risks, contraindications, warnings or interactions, and that no listed claim covers
    (an entry is a bulleted line, or a line without a bullet under a colon lead-in, :func:`entry_line`);
    a word claim the detectors left unlisted on the entry ("Nausea or vomiting") becomes the entry's claim."""
    out: list[Detected] = []
    lead = None
    by_sentence: dict[int, list[Detected]] = {}
    for d in detected:
        by_sentence.setdefault(d.sentence.index, []).append(d)
    in_list = False
    for i, s in enumerate(sentences):
        t = s.text.strip()
        if (not s.list_item and not entry_line(s, lead) and not between_entries(sentences, i, in_list)) \
                or _NESTED_LEAD.search(t):
            lead = t if t.endswith(":") or _NESTED_LEAD.search(t) or (s.whole_line and len(t) <= 120) else None
            in_list = False
            continue
        in_list = True
        if lead is None or not RX_LIST_LEAD.search(lead):
            continue
        m = _ENTRY.match(s.text)
        if not m or len(m.group("e").split()) > 30:
            continue
        mine = by_sentence.get(s.index, [])
        if any(d.kind not in _UNLISTED for d in mine):
            continue
        a, b = s.start + m.start("e"), s.start + m.end("e")
        word = next((d for d in mine if d.kind == "safety"), None)
        if word is not None:
            word.kind, word.start, word.end = "list-entry", a, b
            word.raw = {**(word.raw or {}), "lead": lead}
            continue
        out.append(Detected("safety", a, b, s, qualifier="categorical", text=m.group("e").lower(), kind="list-entry",
                            raw={"lead": lead}))
    return out
