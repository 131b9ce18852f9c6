"""Issue 3, health-content rules: each rule on small in-memory articles, with
the cases that must trigger it and the cases that must not (negations,
explanations, quotes, code, names...). The fixture tables and the CLI are in
test_health_fixtures.py."""
from __future__ import annotations

import pytest

from health_lint import config as config_mod
from health_lint import packs as pack_mod
from health_lint import parsers
from health_lint.redflags import concept_mentions
from health_lint.terms import article_tokens, detect_topics, mentioned
from health_lint.text import PhraseIndex, tokens

from .conftest import FRONT, lint_text

TODAY = "2026-11-25"


@pytest.fixture(autouse=True)
def _pinned_today(monkeypatch):
    monkeypatch.setenv("HEALTH_LINT_TODAY", TODAY)


def found(text: str, rule: str, name: str = "article.md", config=None) -> list[tuple[int, int, str]]:
    """(line, column, source text) of each finding of ``rule``."""
    doc_source = text
    out = []
    for f in lint_text(text, name, config=config):
        if f.rule == rule:
            out.append((f.line, f.column, f.snippet))
    assert all(isinstance(x[2], str) for x in out), doc_source
    return out


def snippets(text: str, rule: str, **kw) -> list[str]:
    return [s for _, _, s in found(text, rule, **kw)]


ARTICLE = FRONT + "# Arthritis\n\n"  # the body starts on line 10
BODY_LINE = 10


def builtin_packs():
    return pack_mod.load(())


def topics_of(text: str, name: str = "a.md") -> list[str]:
    doc = parsers.parse(text, name, parsers.format_of(name))
    return [p["id"] for p in detect_topics(doc, builtin_packs().of_kind("red-flags"), article_tokens(doc))]


# -- claims/overpromise ----------------------------------------------------

CLAIMS = "claims/overpromise"


@pytest.mark.parametrize("sentence, expected", [
    ("This pill cures arthritis.", [(BODY_LINE, 11, "cures")]),
    ("It never fails.", [(BODY_LINE, 4, "never fails")]),
    ("Results are guaranteed.", [(BODY_LINE, 13, "guaranteed")]),
    ("It works instantly.", [(BODY_LINE, 10, "instantly")]),
    ("It's 100% effective.", [(BODY_LINE, 6, "100% effective")]),
    ("Our tea will detox your body.", [(BODY_LINE, 14, "detox")]),
    ("A miracle for your knees.", [(BODY_LINE, 3, "miracle")]),
])
def test_claims_found_with_positions(sentence, expected):
    assert found(ARTICLE + sentence + "\n", CLAIMS) == expected


@pytest.mark.parametrize("sentence", [
    "There is no cure for arthritis.",
    "It's not a cure.",
    "It\u2019s not a cure.",  # curly apostrophe
    "No treatment is guaranteed to work.",
    "Arthritis cannot be cured, but it can be managed.",
    "Be wary of products that claim to cure it.",
    "Some sellers claim their pills cure arthritis.",
    "Alcohol detox should be supervised by a doctor.",
    "A medically supervised detox is safe.",
    "Drug detox needs a doctor.",
    "Surgery is not 100% effective.",
    "Nothing works instantly.",
    "It isn't guaranteed.",
    "There is no miracle treatment.",
])
def test_claims_negated_or_in_context_are_not_findings(sentence):
    assert found(ARTICLE + sentence + "\n", CLAIMS) == []


@pytest.mark.parametrize("sentence", [
    "Beware of the so-called 'miracle cure'.",
    'Beware of the so-called "miracle cure".',
    "Beware of the so-called \u201cmiracle cure\u201d.",
    "Ads call it \u201cguaranteed relief\u201d.",
])
def test_claims_quoted_text_is_reported_speech(sentence):
    assert found(ARTICLE + sentence + "\n", CLAIMS) == []


def test_claims_in_code_never_trigger():
    text = ARTICLE + "Write `miracle cure` in the form.\n\n```\nThis miracle pill cures everything, guaranteed.\n```\n\n    indented miracle cure\n"
    assert found(text, CLAIMS) == []


def test_claims_longest_match_one_finding():
    assert snippets(ARTICLE + "Try this miracle cure today.\n", CLAIMS) == ["miracle cure"]


# -- plain-language/jargon -------------------------------------------------

JARGON = "plain-language/jargon"
HEART = FRONT + "# Heart\n\n"


@pytest.mark.parametrize("sentence", [
    "You may have hypertension (high blood pressure).",
    "You may have high blood pressure (hypertension).",
    "Hypertension, also called high blood pressure, is common.",
    "Hypertension, also known as high blood pressure, is common.",
    "High blood pressure is also known as hypertension.",
    "Edema, which means swelling, can show up in your ankles.",
    "Hypertension means your blood pressure is too high.",
    "Hypertension, or high blood pressure, is common.",
    "Your hypertension is treated because high blood pressure harms the kidneys.",
    "Your blood pressure is high, called hypertension.",
    "Write `analgesic` on the form.",
])
def test_jargon_explained_or_in_code_is_fine(sentence):
    assert found(HEART + sentence + "\n", JARGON) == []


@pytest.mark.parametrize("sentence, expected", [
    ("Hypertension raises your risk.", [(BODY_LINE, 1, "Hypertension")]),
    ("Take an analgesic.", [(BODY_LINE, 9, "analgesic")]),
    ("A myocardial infarction is serious.", [(BODY_LINE, 3, "myocardial infarction")]),
    ("Hypertensive people must take care.", [(BODY_LINE, 1, "Hypertensive")]),
    # Longest match wins: one finding, for the longer term.
    ("Pulmonary hypertension is rare.", [(BODY_LINE, 1, "Pulmonary hypertension")]),
])
def test_jargon_unexplained(sentence, expected):
    assert found(HEART + sentence + "\n", JARGON) == expected


def test_jargon_first_use_decides_explained_then_plain_later():
    text = HEART + "Hypertension (high blood pressure) is common.\n\nLater, untreated hypertension can harm your kidneys.\n"
    assert found(text, JARGON) == []


def test_jargon_only_first_unexplained_use_reported():
    text = HEART + "Hypertension is common.\n\nTachycardia is common.\n\nHypertension again, and tachycardia again.\n"
    assert found(text, JARGON) == [(10, 1, "Hypertension"), (12, 1, "Tachycardia")]


def test_jargon_explained_only_after_first_use_is_still_reported_once():
    text = HEART + "Later, hypertension came back.\n\nHypertension (high blood pressure) is common.\n"
    assert found(text, JARGON) == [(10, 8, "hypertension")]


def test_jargon_ignores_headings():
    assert found(HEART + "## Hypertension\n\nHigh blood pressure is common.\n", JARGON) == []


# -- red flags ----------------------------------------------------------------

def concepts(text: str, topic: str) -> set[str]:
    """Concepts of ``topic`` that ``text`` mentions (with or without advice)."""
    pack = next(p for p in builtin_packs().of_kind("red-flags") if p["id"] == topic)
    doc = parsers.parse(f"# Title\n\n{text}\n", "a.md", "markdown")
    return {m.concept for m in concept_mentions(doc, builtin_packs(), pack)}


@pytest.mark.parametrize("text", [
    "You can't control your bladder.",
    "You can\u2019t control your bladder.",  # curly apostrophe
    "Loss of bladder-control is a warning sign.",  # hyphen
    "You are losing all control of your bladder.",  # `...` gap, word form
    "Problems peeing or pooping.",  # a|b alternatives
    "Trouble urinating.",
    "New incontinence.",
])
def test_red_flag_matching_is_tolerant(text):
    assert "cauda-equina-bladder-bowel" in concepts(text, "back-pain")


@pytest.mark.parametrize("text", [
    "Numbness around your bottom.", "You feel numb around the genitals.", "Saddle-area numbness.",
])
def test_red_flag_saddle_numbness_phrasings(text):
    assert "cauda-equina-saddle-numbness" in concepts(text, "back-pain")


def test_naming_the_syndrome_alone_is_not_the_signs():
    assert concepts("This can be cauda equina syndrome.", "back-pain") == set()


def emergency(text: str) -> bool:
    index = PhraseIndex((p, True) for pk in builtin_packs().of_kind("emergency-advice") for p in pk["phrases"])
    return bool(mentioned(index, [tokens(text)]))


@pytest.mark.parametrize("text", [
    "Call 911.", "Call 999 now.", "Dial 112.", "Go to A&E.", "go to a&e", "Go to the emergency department.",
    "Go to the emergency room.", "Call an ambulance.", "Get emergency help.", "Call triple zero.",
])
def test_emergency_advice_variants(text):
    assert emergency(text)


@pytest.mark.parametrize("text", [
    "Go to urgent care.", "Call 111 for advice.", "Call NHS 111.", "This is a medical emergency.",
    "See your GP today.", "Call your doctor right away.", "Room 112 is upstairs.",
])
def test_not_emergency_advice(text):
    assert not emergency(text)


CHEST_NO_EMERGENCY = FRONT + """# Chest pain

Chest pain has many causes, from sore muscles to heartburn. Chest pain that spreads to your arm, jaw or back can be a heart attack.
"""


def test_no_emergency_advice_reported_once_at_first_heading():
    assert found(CHEST_NO_EMERGENCY, "red-flags/no-emergency-advice") == [(8, 3, "no-emergency-advice")]


@pytest.mark.parametrize("advice", ["Call 911 straight away.", "Go to A&E.", "Call an ambulance."])
def test_emergency_advice_present(advice):
    assert found(CHEST_NO_EMERGENCY + "\n" + advice + "\n", "red-flags/no-emergency-advice") == []


@pytest.mark.parametrize("advice", ["Go to urgent care.", "Call 111."])
def test_urgent_is_not_emergency_advice(advice):
    assert len(found(CHEST_NO_EMERGENCY + "\n" + advice + "\n", "red-flags/no-emergency-advice")) == 1


def test_red_flags_missing_one_finding_per_topic_with_details():
    findings = [f for f in lint_text(CHEST_NO_EMERGENCY) if f.rule == "red-flags/missing"]
    pack = next(p for p in builtin_packs().of_kind("red-flags") if p["id"] == "chest-pain")
    assert len(findings) == 1
    [f] = findings
    # "spreads to your arm, jaw or back" is named but never paired with advice: still missing
    assert f.data["concepts"] == [c["id"] for c in pack["concepts"]]
    assert [d["concept"] for d in f.data["details"]] == f.data["concepts"]
    for d in f.data["details"]:
        assert d["topic"] == "chest-pain" and d["id"] == f"chest-pain/{d['concept']}" and d["guideline"] in f.hint
        assert f"{d['concept']} (EMERGENCY)" in f.message  # the id an editor writes in ignore-concepts
    assert (f.line, f.column) == (8, 3)  # the first heading's text


def test_red_flag_paired_with_advice_is_covered():
    text = CHEST_NO_EMERGENCY + "\nCall 911 if the pain spreads to your arm or jaw.\n"
    [f] = [f for f in lint_text(text) if f.rule == "red-flags/missing"]
    assert "pain-spreading" not in f.data["concepts"]


def test_red_flags_option_ignore_concepts():
    cfg = config_mod.Config(rules={"red-flags/missing": {"ignore-concepts": ["chest-pain/tearing-pain", "blood-clot-in-lung"]}})
    missing = {c for f in lint_text(CHEST_NO_EMERGENCY, config=cfg) if f.rule == "red-flags/missing" for c in f.data["concepts"]}
    assert missing and not missing & {"tearing-pain", "blood-clot-in-lung"}


def test_non_health_article_has_no_red_flag_findings():
    text = FRONT + "# A healthy breakfast\n\nOats, fruit and yoghurt make a good breakfast.\n"
    assert [f for f in lint_text(text) if f.rule.startswith("red-flags/")] == []


# -- topic detection ---------------------------------------------------------

def test_chest_pain_article_mentioning_back_and_stroke_signs_is_only_chest_pain():
    text = ("# Chest pain\n\nChest pain can spread to your back, jaw or arm. Back pain with chest pain matters. "
            "Lower back and upper back. Stroke signs: face drooping, arm weakness, speech problems. "
            "A stroke is an emergency. Stroke. Stroke. Dizzy. Dizziness.\n")
    assert topics_of(text) == ["chest-pain"]


def test_topic_from_body_mentions_when_there_is_no_title():
    assert topics_of("My lower back hurts. Back pain is common. Sciatica runs down the leg. Low back pain often eases.\n") == ["back-pain"]


def test_too_few_body_mentions_is_no_topic():
    assert topics_of("Back pain. Sciatica.\n") == []


def test_topic_from_html_title_and_from_tags():
    # A title or tag topic needs some support in the body (min-title-support, 2).
    html = "<html><head><title>Sciatica</title></head><body><main><p>Sciatica is leg pain from the lower back.</p></main></body></html>"
    assert topics_of(html, "a.html") == ["back-pain"]
    assert topics_of("---\ntags: [neck pain]\n---\nNeck pain is common. A sore neck often eases.\n") == ["neck-pain"]


def test_bare_body_words_do_not_trigger_other_topics():
    text = "# Heart health\n\nYour back, your neck and your spine. The back of the neck. Stand up straight. Back, back, back.\n"
    assert topics_of(text) == []


# -- spelling/unknown-word ---------------------------------------------------

SPELL = "spelling/unknown-word"
DOC = FRONT + "# Title\n\n"


@pytest.mark.parametrize("sentence", [
    "Don't worry, it isn't serious. You didn't know. We'd go. They'll see. I've been. I'm here. Can't. Won't.",
    "Don\u2019t worry, it isn\u2019t serious. You didn\u2019t know. Can\u2019t. Won\u2019t.",
    "The doctor's office. The patients' rooms. The doctor\u2019s notes.",
    "An MRI, a CT scan, NSAIDs, ECGs, an EKG, a TIA and COVID-19.",
    "We met Dr Okonkwo and Priya Nair at Kaiser Permanente.",  # names inside a sentence
    "Visit www.qwzxv-example.com or https://foo.example/xyzzyq, mail me@qwzxv.org, or see qwzxv.org today.",
    "Use `qwzxv blorf` in code.",
    "Naïve café visitors.",  # accents
    "Take co-codamol or an x-ray as a follow-up.",
    "The doctor may suggest discitis, physiatrist, microdiscectomy, radiculopathy, spondylolisthesis, piriformis, "
    "gabapentin, NSAIDs, MRI, immunocompromised, rheumatologist, interventional, radiofrequency.",
])
def test_spelling_not_reported(sentence):
    assert found(DOC + sentence + "\n", SPELL) == []


def test_spelling_code_block_ignored():
    assert found(DOC + "```\nqwzxv blorf\n```\n\n    zzxqy indented\n", SPELL) == []


def test_spelling_typo_with_suggestion_and_position():
    findings = [f for f in lint_text(DOC + "Take the medicne with food.\n") if f.rule == SPELL]
    assert [(f.line, f.column, f.data["word"]) for f in findings] == [(10, 10, "medicne")]
    assert findings[0].data.get("suggestion") == "medicine" and 'Did you mean "medicine"?' in findings[0].message


def test_spelling_one_letter_typo_of_medical_word_is_suggested():
    findings = [f for f in lint_text(DOC + "Sciatca is pain that runs down the leg.\n") if f.rule == SPELL]
    assert [(f.line, f.column) for f in findings] == [(10, 1)]
    assert findings[0].data.get("suggestion") == "sciatica"


def test_spelling_capitalised_unknown_word_at_sentence_start_is_checked():
    assert snippets(DOC + "Teh pain.\n", SPELL) == ["Teh"]


def test_spelling_author_and_reviewer_names():
    text = "---\ntitle: T\nauthor: Zbigniew Qwertz\nreviewed_by: Xochitl Yzaguirre, MD\n---\n# T\n\nZbigniew Qwertz wrote this. Xochitl reviewed it.\n"
    assert found(text, SPELL) == []


def test_spelling_html_boilerplate_outside_main_ignored():
    html = ("<html><head><title>T</title></head><body><nav>Hoem Abuot Contcat</nav><main><h1>T</h1>"
            "<p>Good text here, with a tpyo.</p></main><footer>Copyrite blorf</footer></body></html>")
    assert [f.data["word"] for f in lint_text(html, "a.html") if f.rule == SPELL] == ["tpyo"]


def _pack_config(tmp_path, files: dict[str, str], **rules) -> config_mod.Config:
    folder = tmp_path / "packs"
    for rel, text in files.items():
        path = folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return config_mod.Config(root=tmp_path, packs=["packs"], rules=rules)


def test_spelling_accept_and_reject_in_extra_pack_folder(tmp_path):
    cfg = _pack_config(tmp_path, {"words/accept.txt": "# house words\nphysioflexx\nSpineCo\n",
                                  "words/reject.txt": "alright\n"})
    text = DOC + "Our physioflexx band is alright. Zzqxv is not.\n"
    assert [f.data["word"] for f in lint_text(text, config=cfg) if f.rule == SPELL] == ["alright", "Zzqxv"]
    msg = next(f.message for f in lint_text(text, config=cfg) if f.rule == SPELL)
    assert "reject list" in msg
    # Without the folder: the house word is unknown and "alright" is fine.
    assert [f.data["word"] for f in lint_text(text) if f.rule == SPELL] == ["physioflexx", "Zzqxv"]


# -- meta/* -----------------------------------------------------------------

def meta(text: str, name: str = "a.md", config=None) -> list[str]:
    return sorted(f.rule for f in lint_text(text, name, config=config) if f.rule.startswith("meta/"))


ALL_META = ["meta/missing-author", "meta/missing-date", "meta/missing-reviewer"]


def test_meta_all_missing_point_at_title():
    findings = [f for f in lint_text("# T\n\nText.\n") if f.rule.startswith("meta/")]
    assert sorted(f.rule for f in findings) == ALL_META
    assert {(f.line, f.column) for f in findings} == {(1, 3)}  # the title heading's text


def test_meta_front_matter_complete():
    assert meta("---\nauthor: A B\nreviewed_by: C D, MD\nlast_reviewed: 2026-01-01\n---\n# T\n\nText.\n") == []
    assert meta("---\nauthor: A B\nmedically_reviewed_by: C D, RN\nupdated: 2025-01-01\n---\n# T\n\nText.\n") == []


def test_meta_reviewer_without_credentials_and_unreadable_date():
    text = "---\nauthor: A B\nreviewed_by: C D\ndate: not a date\n---\n# T\n\nText.\n"
    findings = {f.rule: f for f in lint_text(text) if f.rule.startswith("meta/")}
    assert sorted(findings) == ["meta/missing-date", "meta/missing-reviewer"]
    assert "credentials" in findings["meta/missing-reviewer"].message
    assert "not understood" in findings["meta/missing-date"].message


def test_meta_visible_bylines():
    assert meta("# T\n\nWritten by Sam Lee. Medically reviewed by Dana Cruz, MD. Last reviewed: March 3, 2026.\n\nText.\n") == []
    assert meta("# T\n\nBy Sam Lee\n\nMedically reviewed by Dana Cruz, MD\n\nLast reviewed: 3 March 2026\n\nText.\n") == []


def test_meta_by_at_sentence_start_is_not_a_byline():
    assert "meta/missing-author" in meta("# T\n\nBy Monday you will feel better.\n\nBy the way, rest.\n")


def test_meta_html_meta_tags():
    html = ('<html><head><title>T</title><meta name="author" content="Sam Lee"><meta name="reviewer" content="Dana Cruz, MD">'
            '<meta property="article:published_time" content="2026-02-01"></head><body><main><h1>T</h1><p>Text.</p></main></body></html>')
    assert meta(html, "a.html") == []


JSON_LD = ('<html><head><title>T</title><script type="application/ld+json">{json}</script></head>'
           '<body><main><h1>T</h1><p>Text.</p></main></body></html>')


def test_meta_json_ld_medical_web_page():
    data = ('{"@context":"https://schema.org","@type":"MedicalWebPage","author":{"@type":"Person","name":"Sam Lee"},'
            '"reviewedBy":{"@type":"Person","name":"Dana Cruz","honorificSuffix":"MD"},"lastReviewed":"2026-03-01",'
            '"datePublished":"2025-01-01","dateModified":"2026-03-01"}')
    assert meta(JSON_LD.replace("{json}", data), "a.html") == []


def test_meta_json_ld_graph_and_stale_review():
    data = ('{"@context":"https://schema.org","@graph":[{"@type":"MedicalWebPage","author":"Sam Lee",'
            '"reviewedBy":"Dana Cruz, MD","lastReviewed":"2023-03-01"}]}')
    findings = [f for f in lint_text(JSON_LD.replace("{json}", data), "a.html") if f.rule.startswith("meta/")]
    assert [f.rule for f in findings] == ["meta/stale-review"]
    assert findings[0].data == {"date": "2023-03-01", "age_months": 44}


@pytest.mark.parametrize("reviewed, months, stale", [
    ("2024-11-25", 24, False),  # exactly 24 months: still fine
    ("2024-11-24", 24, True),
    ("2022-01-01", 24, True),
    ("2022-01-01", 60, False),
    ("2026-06-01", 3, True),
])
def test_meta_stale_review_max_age(reviewed, months, stale):
    cfg = config_mod.Config(rules={"meta/stale-review": {"max-age-months": months}})
    text = f"---\nauthor: A B\nreviewed_by: C D, MD\nlast_reviewed: {reviewed}\n---\n# T\n\nText.\n"
    assert meta(text, config=cfg) == (["meta/stale-review"] if stale else [])


def test_meta_stale_uses_newest_other_date_and_says_so():
    text = "---\nauthor: A B\nreviewed_by: C D, MD\ndate: 2019-01-01\nupdated: 2020-01-01\n---\n# T\n\nText.\n"
    finding = next(f for f in lint_text(text) if f.rule == "meta/stale-review")
    assert "newest date 2020-01-01" in finding.message and finding.data["age_months"] == 82


def test_meta_no_date_is_not_stale():
    assert "meta/stale-review" not in meta("# T\n\nText.\n")


# -- links/* ----------------------------------------------------------------

SLEEP = FRONT + "# Sleep\n\n"


def test_vague_anchor_whole_anchor_only():
    text = SLEEP + ("See [here](https://www.nhs.uk/a). [Click here.](https://www.nhs.uk/b) [to read more](https://www.nhs.uk/c) "
                    "[learn more about sciatica](https://www.nhs.uk/d) [Here!](https://www.nhs.uk/e) [this page](https://www.nhs.uk/f) "
                    "[NHS page on sleep](https://www.nhs.uk/g) [here is the NHS sleep guide](https://www.nhs.uk/h)\n")
    assert found(text, "links/vague-anchor") == [
        # At the anchor text itself, not the link's markup.
        (10, 6, "here"), (10, 36, "Click here."), (10, 72, "to read more"), (10, 159, "Here!"),
        (10, 189, "this page")]


def test_vague_anchor_html():
    html = ('<html><head><title>T</title></head><body><main><h1>T</h1><p>Read <a href="https://www.nhs.uk/x">click here</a> '
            'or <a href="https://www.nhs.uk/y">NHS sleep advice</a>.</p></main></body></html>')
    assert [f.snippet for f in lint_text(html, "a.html") if f.rule == "links/vague-anchor"] == ["click here"]


def test_insecure_links_at_url_local_ignored():
    text = SLEEP + "See [the guide](http://www.nhs.uk/a), [local](http://localhost:8000/x), [ok](https://www.nhs.uk/b) and ![img](http://example.org/a.png).\n"
    line = text.splitlines()[9]
    assert found(text, "links/insecure") == [(10, line.index("http://www") + 1, "http://www.nhs.uk/a"),
                                             (10, line.index("http://example") + 1, "http://example.org/a.png")]


def test_unlinked_source_case_sensitive_acronyms():
    text = SLEEP + "The who and what of sleep. A nice day. Who knows?\n"
    assert found(text, "links/unlinked-source") == []
    text = SLEEP + "The WHO says so. NICE guidelines agree.\n"
    assert snippets(text, "links/unlinked-source") == ["The WHO", "NICE guidelines"]


def test_unlinked_source_linked_elsewhere_subdomain_or_in_link_text():
    assert found(SLEEP + "According to the [Mayo Clinic](https://www.mayoclinic.org/x), rest helps. The Mayo Clinic agrees.\n",
                 "links/unlinked-source") == []
    assert found(SLEEP + "The [NINDS page](https://www.ninds.nih.gov/x) says so. The NIH agrees.\n", "links/unlinked-source") == []
    # The name is in the link text; the link goes to another site of the same body.
    text = SLEEP + "Read the [HealthyChildren.org page from the American Academy of Pediatrics](https://www.healthychildren.org/x).\n"
    assert found(text, "links/unlinked-source") == []


def test_unlinked_source_one_finding_per_domain_code_and_emails_ignored():
    text = SLEEP + "The NIH says so. The NIH also says this. Use `the CDC` here. Mail info@mayoclinic.org. See nhs.uk.\n"
    assert found(text, "links/unlinked-source") == [(10, 1, "The NIH"), (10, text.splitlines()[9].index("nhs.uk") + 1, "nhs.uk")]


HEALTH_BODY = ("Sciatica is pain that runs from your lower back down one leg. It happens when the sciatic nerve is pressed, "
               "often by a slipped disc. Most sciatica gets better in four to six weeks. Keep moving, take short walks and use "
               "heat packs. Anti-inflammatory painkillers such as ibuprofen may help. A physiotherapist can show you exercises. "
               "If the pain is severe, a doctor may suggest a steroid injection. Very rarely, surgery such as a microdiscectomy is needed. "
               "See a doctor if your leg feels weak or numb, or if the pain lasts more than a few weeks. "
               "Go to the emergency department if you cannot control your bladder or bowel.\n")


@pytest.mark.parametrize("link, expected", [
    ("", 1),
    ("Read the [NHS guide to sciatica](https://www.nhs.uk/conditions/sciatica/).", 0),
    ("Read the [NINDS page on back pain](https://www.ninds.nih.gov/health-information/disorders/back-pain).", 0),
    ("Read [our shop page on sciatica](https://shop.example/sciatica).", 1),
    ("Read the [fake NHS page](https://nhs.uk.example.com/sciatica).", 1),
])
def test_no_authoritative_source(link, expected):
    text = FRONT + "# Sciatica\n\n" + HEALTH_BODY + "\n" + link + "\n"
    assert len(found(text, "links/no-authoritative-source")) == expected


def test_no_authoritative_source_short_or_not_health():
    assert found(FRONT + "# Sciatica\n\nSciatica is leg pain. See a doctor.\n", "links/no-authoritative-source") == []
    prose = "We walked to the market and bought apples, bread and cheese for the picnic by the river. " * 12
    assert found(FRONT + "# A picnic\n\n" + prose + "\n", "links/no-authoritative-source") == []


def test_non_authoritative_via_option_and_via_pack(tmp_path):
    text = SLEEP + "A [supplement shop](https://www.cures.example/knee) and the [NHS page](https://www.nhs.uk/x).\n"
    assert found(text, "links/non-authoritative") == []  # no list shipped
    cfg = config_mod.Config(rules={"links/non-authoritative": {"domains": ["cures.example"]}})
    assert found(text, "links/non-authoritative", config=cfg) == [(10, 3, "[supplement shop](https://www.cures.example/knee)")]
    cfg = _pack_config(tmp_path, {"domains/site.yaml": "id: site-domains\nkind: domains\nlow-quality: [cures.example]\n"})
    findings = [f for f in lint_text(text, config=cfg) if f.rule == "links/non-authoritative"]
    assert [(f.line, f.column, f.data["domain"]) for f in findings] == [(10, 3, "cures.example")]


# -- dialects (spelling/unknown-word) and the health signal (links/no-authoritative-source)

BRITISH = FRONT + "# Care\n\nThe colour chart at the centre shows tumour behaviour. The paediatric programme covers the oesophagus.\n"


def _spelling_words(text, config=None):
    return [f.data for f in lint_text(text, config=config) if f.rule == SPELL]


def test_british_spellings_accepted_by_default():
    assert _spelling_words(BRITISH) == []


def test_british_spellings_reported_for_us_only_site_with_us_suggestion():
    cfg = config_mod.Config(rules={SPELL: {"dialects": ["en-US"]}})
    got = _spelling_words(BRITISH, config=cfg)
    assert [(d["word"], d.get("suggestion")) for d in got] == [
        ("colour", "color"), ("centre", "center"), ("tumour", "tumor"), ("behaviour", "behavior"),
        ("paediatric", "pediatric"), ("programme", "program"), ("oesophagus", "esophagus")]
    msg = next(f.message for f in lint_text(BRITISH, config=cfg) if f.rule == SPELL)
    assert "en-GB" in msg and "dialects" in msg
    # US spellings stay fine either way; accept.txt still wins over the dialect.
    assert _spelling_words(FRONT + "# Care\n\nThe color of the center.\n", config=cfg) == []


def test_dialect_option_is_case_insensitive_and_accept_overrides(tmp_path):
    cfg = config_mod.Config(rules={SPELL: {"dialects": ["en-us", "EN-gb"]}})
    assert _spelling_words(BRITISH, config=cfg) == []
    cfg = _pack_config(tmp_path, {"words/accept.txt": "colour\n"}, **{SPELL: {"dialects": ["en-US"]}})
    assert "colour" not in [d["word"] for d in _spelling_words(BRITISH, config=cfg)]


def test_site_dialect_list_only_with_its_tag(tmp_path):
    text = FRONT + "# Care\n\nBring a doona to the clinic.\n"
    cfg = _pack_config(tmp_path, {"words/en-AU.txt": "doona\n"})
    assert [d["word"] for d in _spelling_words(text, config=cfg)] == ["doona"]
    other = tmp_path / "b"  # pack sets are cached per folder within a process
    cfg = _pack_config(other, {"words/en-AU.txt": "doona\ncolour\n"}, **{SPELL: {"dialects": ["en-US", "en-AU"]}})
    assert _spelling_words(text, config=cfg) == []
    # "colour" is also Australian: not reported although en-GB is off.
    assert _spelling_words(FRONT + "# Care\n\nThe colour of the centre.\n", config=cfg) == [{"word": "centre", "suggestion": "center", "occurrences": 1}]


def test_vocabulary_cached_per_dialect_tuple():
    from health_lint.spelling import vocabulary

    packs = builtin_packs()
    both = vocabulary(packs)
    assert vocabulary(packs, ["en-GB", "en-US"]) is both
    us = vocabulary(packs, ["en-US"])
    assert us is not both and vocabulary(packs, ("en-US",)) is us
    assert both.is_known("colour") and not us.is_known("colour")
    assert us.other_dialects["colour"] == "en-GB"


def test_en_gb_list_shape():
    words = pack_mod.builtin_dir() / "words" / "en-GB.txt"
    entries = [w for w in words.read_text(encoding="utf-8").split("\n") if w and not w.startswith("#")]
    assert 2000 < len(entries) < 6000
    assert all(w == w.lower() and "'" not in w for w in entries)
    for w in ("colour", "centre", "behaviour", "tumour", "programme", "paediatric", "oesophagus", "organise"):
        assert w in entries
    for w in ("color", "center", "the", "doctor"):
        assert w not in entries


RECIPE = ("# Lemon and herb roast chicken\n\n" + (
    "This is our favourite Sunday dinner. Rub the chicken with olive oil, lemon zest, garlic and thyme, then roast it "
    "for an hour and a half until the skin is golden and the juices run clear. Let it rest for fifteen minutes before "
    "carving. Serve with roast potatoes, carrots and plenty of gravy. Leftovers keep for three days in the fridge and "
    "make a lovely sandwich. The lemons add vitamin C and the dish is a healthy, simple meal for the whole family. ") * 3 + "\n")
TRAVEL = ("# A week in Lisbon\n\n" + (
    "We spent a week in Lisbon in May. The old town is steep, so wear good shoes and take the famous yellow tram up the "
    "hill. Be patient in the queues at the castle; the view over the river is worth it. We ate grilled sardines at a "
    "small family restaurant and walked along the river to Belem for custard tarts. The trains to Sintra are cheap and "
    "fast. Buy travel insurance before you go, and keep some cash for the small cafes. ") * 3 + "\n")
HEALTH_EVERYDAY = ("# Living with high blood pressure\n\n"
                   "High blood pressure rarely causes symptoms, so many people only find out at a health check with "
                   "their GP or a pharmacist. Your doctor may suggest changes to what you eat and how active you are, "
                   "and sometimes a medicine such as a tablet taken once a day. Treatment lowers the chance of a heart "
                   "attack or kidney disease. Keep taking your medication even when you feel well, and ask about side "
                   "effects. Measure your blood pressure at home and bring the readings to your appointments. Most "
                   "people need regular check-ups for years, and the dose may change over time. Ask your nurse how "
                   "often you should have a blood test, and what to do if you feel dizzy when you stand up.\n")


@pytest.mark.parametrize("body", [RECIPE, TRAVEL])
def test_no_authoritative_source_not_for_recipes_or_travel(body):
    assert len(body.split()) >= 180
    assert found(FRONT + body, "links/no-authoritative-source") == []
    from health_lint.rules.links_no_authoritative_source import health_word_count

    doc = parsers.parse(FRONT + body, "article.md", "markdown")
    assert health_word_count(builtin_packs(), article_tokens(doc)) < 5


def test_no_authoritative_source_everyday_health_words_count():
    text = FRONT + HEALTH_EVERYDAY
    assert len(found(text, "links/no-authoritative-source")) == 1
    assert found(text + "\nRead the [NHS page on high blood pressure](https://www.nhs.uk/conditions/high-blood-pressure-hypertension/).\n",
                 "links/no-authoritative-source") == []


def test_health_signal_pack_and_longest_phrase_counts_once():
    from health_lint.rules.links_no_authoritative_source import health_word_count

    pack = next(p for p in builtin_packs().of_kind("health-signal"))
    assert pack["id"] == "health-signal" and pack["source"] and pack["licence"]
    assert 120 <= len(pack["phrases"]) <= 200
    assert health_word_count(builtin_packs(), [tokens("high blood pressure")]) == 1
    assert health_word_count(builtin_packs(), [tokens("Doctors treat symptoms with a microdiscectomy.")]) == 3  # doctor, symptom, medical.txt


def test_pages_in_another_language_skip_english_only_rules():
    page = ('<html lang="es"><head><title>Dolor de espalda</title></head><body><main><h1>Dolor de espalda</h1>'
            '<p>El dolor de espalda es muy frecuente y suele mejorar en pocas semanas sin tratamiento.</p>'
            '<p>' + " ".join(["palabra"] * 30) + '.</p></main></body></html>')
    found = {f.rule for f in lint_text(page, "es.html")}
    assert not found & {"spelling/unknown-word", "disclaimer/missing", "readability/grade", "red-flags/missing"}
    # Language-neutral rules still run.
    assert {"readability/long-sentence", "meta/missing-author"} <= found
    md = "---\nlang: es-MX\n---\n# Dolor\n\nEl dolorr de espalda.\n"
    assert "spelling/unknown-word" not in {f.rule for f in lint_text(md)}
    en = "---\nlang: en-GB\n---\n# Pain\n\nThe painn is bad.\n"
    assert "spelling/unknown-word" in {f.rule for f in lint_text(en)}
