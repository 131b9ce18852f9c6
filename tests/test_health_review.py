"""Issue 3 review: fixes to the health rules, each with the case that must be
found and the case that must not (configuration checks, title-only topics,
trigger exclusions, the emergency-advice message and negation, word forms of
red flags, medical vocabulary, descriptive "instantly", "or" in jargon)."""
from __future__ import annotations

from pathlib import Path

import pytest

from health_lint import config as config_mod
from health_lint import packs as pack_mod
from health_lint import parsers
from health_lint.linter import UsageError, validate_options
from health_lint.rules import registry
from health_lint.terms import article_tokens, detect_topics

from .conftest import FRONT, lint_text, run_cli

RED_FLAG_RULES = ["red-flags/missing", "red-flags/no-emergency-advice"]


@pytest.fixture(autouse=True)
def _pinned_today(monkeypatch):
    monkeypatch.setenv("HEALTH_LINT_TODAY", "2026-11-25")


def packs():
    return pack_mod.load(())


def topics_of(text: str, name: str = "a.md") -> list[str]:
    doc = parsers.parse(text, name, parsers.format_of(name))
    return [p["id"] for p in detect_topics(doc, packs().of_kind("red-flags"), article_tokens(doc))]


def rules_found(text: str, prefix: str) -> list[str]:
    return [f.rule for f in lint_text(text) if f.rule.startswith(prefix)]


def validation_errors(rules: dict) -> str:
    cfg = config_mod.Config(rules=rules)
    try:
        validate_options(cfg, packs())
    except UsageError as exc:
        return str(exc)
    return ""


# -- 1. option values are checked against the packs ------------------------------

@pytest.mark.parametrize("rule", RED_FLAG_RULES)
def test_unknown_topic_is_a_configuration_error_naming_known_topics(rule):
    message = validation_errors({rule: {"topics": ["back-pian"]}})
    assert "'back-pian'" in message and "back-pain" in message and "chest-pain" in message


@pytest.mark.parametrize("rule", RED_FLAG_RULES)
def test_known_topics_are_accepted(rule):
    assert validation_errors({rule: {"topics": ["back-pain", "chest-pain"]}}) == ""


@pytest.mark.parametrize("concepts, bad", [
    (["cauda-equina-bladder-bowl"], "cauda-equina-bladder-bowl"),
    (["back-pain/cauda-equina-bladder-bowl"], "back-pain/cauda-equina-bladder-bowl"),
    (["back-pian/cauda-equina-bladder-bowel"], "back-pian"),
])
def test_unknown_ignored_concept_is_a_configuration_error(concepts, bad):
    message = validation_errors({"red-flags/missing": {"ignore-concepts": concepts}})
    assert f"{bad!r}" in message or f"'{bad}'" in message or bad in message
    assert "known" in message or "concepts of back-pain" in message  # the message names the known ids


@pytest.mark.parametrize("concepts", [["cauda-equina-bladder-bowel"], ["back-pain/night-pain", "thunderclap"]])
def test_known_ignored_concepts_are_accepted(concepts):
    assert validation_errors({"red-flags/missing": {"ignore-concepts": concepts}}) == ""


def test_unknown_topic_in_an_override_is_an_error_too():
    cfg = config_mod.Config(overrides=[{"files": ["*.md"], "rules": {"red-flags/missing": {"topics": ["nek-pain"]}}}])
    with pytest.raises(UsageError, match="overrides\\[0\\].rules.red-flags/missing: topics: unknown topic id 'nek-pain'"):
        validate_options(cfg, packs())


@pytest.mark.parametrize("options, ok", [
    ({"min-length": 0}, False), ({"min-length": 31}, False), ({"min-length": 4}, True),
    ({"dialects": ["en-US", "en-GB"]}, True), ({"dialects": ["en-AU"]}, False), ({"dialects": ["en-gb"]}, True),
])
def test_spelling_options_are_range_and_pack_checked(options, ok):
    message = validation_errors({"spelling/unknown-word": options})
    assert (message == "") is ok, message
    if "dialects" in options and not ok:
        assert "en-GB" in message and "en-AU.txt" in message


def test_empty_jargon_marker_is_an_error():
    assert "explained-by" in validation_errors({"plain-language/jargon": {"explained-by": ["called", " "]}})
    assert validation_errors({"plain-language/jargon": {"explained-by": ["called"]}}) == ""


def test_bad_topic_in_pyproject_exits_2(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[tool.health-lint.rules."red-flags/missing"]\ntopics = ["back-pian"]\n',
                                             encoding="utf-8")
    (tmp_path / "a.md").write_text("# T\n\nHello.\n", encoding="utf-8")
    proc = run_cli("check", "a.md", cwd=tmp_path)
    assert proc.returncode == 2, proc.stderr
    assert "back-pian" in proc.stderr and "back-pain" in proc.stderr and "Traceback" not in proc.stderr


def test_english_only_rules_declare_it():
    reg = registry()
    for rule_id in ["spelling/unknown-word", "red-flags/missing", "red-flags/no-emergency-advice",
                    "claims/overpromise", "plain-language/jargon", "disclaimer/missing"]:
        assert reg[rule_id].languages == ("en",), rule_id


# -- 2. a title that mentions a topic in passing -----------------------------------

def _article(title: str, body: str) -> str:
    return FRONT.replace("title: T", f'title: "{title}"') + f"# {title}\n\n{body}\n"


@pytest.mark.parametrize("title, body", [
    ("Choosing a mattress: support for your upper back and neck",
     "A good mattress keeps your spine in line. Try it in the shop for ten minutes. Replace it every eight years."),
    ("Heat stroke and heat exhaustion",
     "Heat exhaustion happens when you get too hot. Heat stroke is more serious. Sunstroke is an old word for it."),
    ("Nurse-led heart attack recovery clinic opening hours",
     "The clinic is open Monday to Friday, 9am to 5pm. Bring a list of your medicines."),
])
def test_title_mention_without_body_support_is_no_topic(title, body):
    assert topics_of(_article(title, body)) == []
    assert rules_found(_article(title, body), "red-flags/") == []


@pytest.mark.parametrize("title, body, topic", [
    ("Back pain at work", "Back pain is common in office workers. Lower back pain often eases with movement.", "back-pain"),
    ("Heart attack: the signs", "Chest pain is the main sign. Chest pain that spreads to your arm needs help.", "chest-pain"),
    ("Stroke", "A stroke is an emergency. Learn the signs of a stroke.", "dizziness-stroke"),
])
def test_title_with_body_support_is_the_topic(title, body, topic):
    assert topics_of(_article(title, body)) == [topic]


def test_trigger_exclusions_cancel_body_mentions_too():
    body = "Heat stroke is serious. Heat stroke needs cooling. Sunstroke and heatstroke are other names. Swimming strokes differ."
    assert topics_of("# Staying safe in summer\n\n" + body + "\n") == []
    assert topics_of("# Staying safe\n\nA stroke is serious. Stroke signs matter. Know the stroke signs. A mini stroke too.\n") == [
        "dizziness-stroke"]


def test_cervical_screening_is_not_neck_pain_and_lumbar_puncture_is_not_back_pain():
    text = ("# Your screening test\n\nCervical screening checks for cervical cancer. Cervical cells are tested. "
            "Your cervical screening result comes by post. A lumbar puncture is a different test. Lumbar puncture results vary.\n")
    assert topics_of(text) == []


def test_min_title_support_is_configurable_per_pack(tmp_path):
    folder = tmp_path / "packs"
    folder.mkdir()
    (folder / "chest.yaml").write_text(
        "id: chest-pain\nkind: red-flags\ntitle: Chest pain\ntriggers:\n  strong: [chest pain]\n  body: [chest pain]\n"
        "  min-title-support: 0\nconcepts:\n  - id: c\n    name: the sign\n    guideline: G\n    phrases: [purple toes]\n",
        encoding="utf-8")
    cfg = config_mod.Config(root=tmp_path, packs=["packs"])
    text = FRONT + "# Chest pain clinic\n\nOpen on Mondays.\n"
    assert [f.rule for f in lint_text(text, config=cfg) if f.rule == "red-flags/missing"] == ["red-flags/missing"]
    assert [f.rule for f in lint_text(text) if f.rule == "red-flags/missing"] == []


def test_fixture_articles_keep_their_topics():
    root = Path(__file__).resolve().parent.parent / "fixtures"
    for path in [*sorted((root / "clean").glob("*.md")), root / "defects" / "back-pain-missing-red-flags.md"]:
        if path.name == "index.md":
            continue
        doc = parsers.parse(path.read_text(encoding="utf-8"), str(path), "markdown")
        assert len(detect_topics(doc, packs().of_kind("red-flags"), article_tokens(doc))) == 1, path.name


# -- 3. the emergency-advice message does not claim signs are listed ----------------

BACK = _article("Back pain", "Back pain is common. Lower back pain usually gets better. Sciatica is pain down the leg.")


def test_no_emergency_advice_message_says_the_topic_has_signs():
    found = [f for f in lint_text(BACK) if f.rule == "red-flags/no-emergency-advice"]
    assert len(found) == 1
    message = found[0].message
    assert "lists emergency warning signs" not in message
    assert "is about Back pain" in message and "which has emergency warning signs (" in message
    assert "cauda equina bladder bowel" in message


# -- 4. advice NOT to go is not emergency advice --------------------------------------

@pytest.mark.parametrize("sentence", [
    "You do not need to go to the emergency room for ordinary back pain.",
    "There is no need to call 999 for a sore back.",
    "Most people get better without going to A&E.",
    "You won\u2019t usually need to go to A&E.",
    "It is not usually necessary to call an ambulance.",
    "See your GP instead of going to the emergency department.",
])
def test_negated_emergency_advice_does_not_count(sentence):
    assert rules_found(BACK + sentence + "\n", "red-flags/no-emergency-advice") == ["red-flags/no-emergency-advice"]


@pytest.mark.parametrize("sentence", [
    "Call 999 or go to A&E if you cannot pee.",
    "Do not wait: call 999.",
    "Don't hesitate to call 911.",
    "If it does not stop bleeding call 999.",
    "Do not drive yourself to A&E.",
    "If you can't pee, go to A&E.",
    "Don\u2019t wait to see if it gets better \u2014 call 911.",
    "Call 999. You do not need to wait for your GP.",
])
def test_real_emergency_advice_still_counts(sentence):
    assert rules_found(BACK + sentence + "\n", "red-flags/no-emergency-advice") == []


# -- 5. ordinary word forms of red flags ------------------------------------------------

def missing_concepts(text: str) -> set[str]:
    return {c for f in lint_text(text) if f.rule == "red-flags/missing" for c in f.data["concepts"]}


@pytest.mark.parametrize("sentence, concept", [
    ("Get help if your legs get weaker.", "progressive-neurological-deficit"),
    ("Get help if your legs are getting weaker.", "progressive-neurological-deficit"),
    ("Weakening legs need checking by a doctor today.", "progressive-neurological-deficit"),
    ("Get help if numbness is spreading to the other leg.", "progressive-neurological-deficit"),
    ("Get help if you pee yourself.", "cauda-equina-bladder-bowel"),
    ("Get help if you wet yourself.", "cauda-equina-bladder-bowel"),
])
def test_word_forms_of_back_pain_red_flags(sentence, concept):
    assert concept in missing_concepts(BACK + "Call 999 if you are worried.\n")
    assert concept not in missing_concepts(BACK + "Call 999 if you are worried. " + sentence + "\n")


@pytest.mark.parametrize("sentence", ["Muscles get weaker with age.", "Ask for a number to call.", "Pee before bed."])
def test_unrelated_forms_do_not_count(sentence):
    missing = missing_concepts(BACK + "Call 999 if you are worried. " + sentence + "\n")
    assert {"progressive-neurological-deficit", "cauda-equina-bladder-bowel"} <= missing


@pytest.mark.parametrize("title, body, concept", [
    ("Stroke", "A stroke is an emergency. Stroke signs come on fast. Call 999 if one arm feels weaker than the other.", "arm-weakness"),
    ("Neck pain", "Neck pain is common. A sore neck eases. Call 999 if hurt. See a GP if your hands are getting weaker.", "arm-or-leg-nerve-signs"),
    ("Headache", "Headaches are common. A headache can last hours. Call 999 if worried. See a GP if your headache is getting worse.",
     "worsening-or-positional"),
    ("Shortness of breath", "Shortness of breath has many causes. Being short of breath is scary. Call 999 if severe. "
     "See a GP if your breathing is getting worse.", "ongoing-or-worsening"),
])
def test_word_forms_in_other_topics(title, body, concept):
    # (the sign is paired with advice, so it is covered; without it, missing)
    without = _article(title, body.rsplit(". ", 1)[0].rsplit(" if ", 1)[0] + ".")
    assert concept in missing_concepts(without)
    assert concept not in missing_concepts(_article(title, body))


# -- 6. medical vocabulary ----------------------------------------------------------------

WORDS = ("musculoskeletal hepatobiliary hypercholesterolaemia neuroimaging allodynia dysaesthesia coronavirus norovirus "
         "preeclampsia probiotics bloodwork vaping vape kefir gyn rotavirus folate microbiome isotretinoin rosacea "
         "benzodiazepines psychoeducation hyperemesis gravidarum calprotectin campylobacter").split()


@pytest.mark.parametrize("word", WORDS)
def test_medical_word_is_known(word):
    text = FRONT + "# Words\n\nThe doctor said " + word + " twice.\n"
    assert [f.snippet for f in lint_text(text) if f.rule == "spelling/unknown-word"] == []


def test_ob_gyn_is_not_reported_but_a_misspelling_still_is():
    text = FRONT + "# Words\n\nSee your ob-gyn about norovirus. Probiotcs are popular.\n"
    assert [f.snippet for f in lint_text(text) if f.rule == "spelling/unknown-word"] == ["Probiotcs"]


def test_seed_keeps_the_review_words():
    seed = (Path(__file__).resolve().parent.parent / "tools" / "medical_seed.txt").read_text(encoding="utf-8").split()
    assert set(WORDS) <= set(seed)


# -- 7. "instantly" as a description is not a claim ------------------------------------------

CLAIM = FRONT + "# Arthritis\n\n"


@pytest.mark.parametrize("sentence", [
    "A thunderclap headache comes on instantly.",
    "Dial 999 instantly.",
    "Phone 911 instantly.",
    "It started instantly.",
    "The pain came on almost instantly.",
    "Take extra doses for breakthrough pain.",
    "Breakthrough bleeding is common in the first months on the pill.",
])
def test_descriptions_are_not_claims(sentence):
    assert rules_found(CLAIM + sentence + "\n", "claims/") == []


@pytest.mark.parametrize("sentence", [
    "The pain is gone instantly.",
    "This cream works instantly.",
    "It starts working instantly.",
    "A breakthrough treatment for arthritis.",
])
def test_promises_are_still_claims(sentence):
    assert rules_found(CLAIM + sentence + "\n", "claims/") == ["claims/overpromise"]


# -- 8. "or" is not an explanation --------------------------------------------------------------

JARGON = FRONT + "# Check-ups\n\n"


@pytest.mark.parametrize("sentence, term", [
    ("Ask about hypertension or diabetes.", "hypertension"),
    ("Take an analgesic or rest.", "analgesic"),
])
def test_plain_or_does_not_explain_jargon(sentence, term):
    assert [f.data["term"] for f in lint_text(JARGON + sentence + "\n") if f.rule == "plain-language/jargon"] == [term]


@pytest.mark.parametrize("sentence", [
    "Hypertension, or high blood pressure, is common.",
    "Hypertension (high blood pressure) is common.",
    "Hypertension, also called high blood pressure, is common.",
])
def test_real_explanations_still_count(sentence):
    assert [f for f in lint_text(JARGON + sentence + "\n") if f.rule == "plain-language/jargon"] == []
