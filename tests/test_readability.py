"""Readability figures agree with textstat's, and prose is counted right."""
from __future__ import annotations

import pytest
import textstat

from health_lint import parsers
from health_lint.readability import score_text, syllables

from .conftest import lint_text

SAMPLES = [
    "Back pain is very common. Most people get it at some point in their lives. It usually gets better on its own.",
    "Thoracic intervertebral disc herniation constitutes a comparatively infrequent pathological entity. "
    "It characteristically manifests through radicular symptomatology and myelopathic deterioration.",
    "Keep moving as much as you can. Short walks help a lot. Heat packs may ease the pain in your muscles. "
    "See a doctor if the pain does not get better after a few weeks.",
]


@pytest.mark.parametrize("text", SAMPLES)
def test_scores_match_textstat(text):
    ours = score_text(text)
    assert ours.syllables == textstat.syllable_count(text)
    assert ours.words == textstat.lexicon_count(text)
    assert ours.sentences == textstat.sentence_count(text)
    assert ours.flesch_kincaid_grade == pytest.approx(textstat.flesch_kincaid_grade(text), abs=0.05)
    assert ours.flesch_reading_ease == pytest.approx(textstat.flesch_reading_ease(text), abs=0.05)


def test_curly_apostrophes_stay_inside_words():
    straight = score_text("Don't stop moving. It's fine.")
    curly = score_text("Don’t stop moving. It’s fine.")
    assert curly == straight
    assert curly.words == 5


def test_front_matter_code_and_urls_do_not_count():
    plain = "# T\n\nBack pain is common. It gets better.\n"
    noisy = ("---\ntitle: Extraordinarily complicated metadata\ndescription: Incomprehensibly verbose\n---\n"
             "# T\n\nBack pain is common. It gets better.\n\n```\nunconstitutionally_overcomplicated()\n```\n")
    def total(src):
        doc = parsers.parse(src, "a.md", "markdown")
        return sum((score_text(b.text, b.ignore).words for b in doc.blocks if b.kind == "paragraph"))
    assert total(plain) == total(noisy) == 7
    assert score_text("Read https://www.nhs.uk/conditions/back-pain/ today.").words == 2


def test_cmudict_table_and_fallback():
    assert syllables("pain") == 1
    # Not in CMUdict: Pyphen's hyphenation decides, as in textstat.
    assert syllables("radiculopathy") == textstat.syllable_count("radiculopathy")
    assert syllables("Don't") == 1


def test_grade_rule_true_and_false_positive():
    hard = "# T\n\n" + ("Comprehensive neurological evaluation necessitates sophisticated diagnostic investigations. " * 8)
    easy = "# T\n\n" + ("Back pain is common. Most people get better in a few weeks. Keep moving. " * 6)
    assert [f.rule for f in lint_text(hard) if f.rule == "readability/grade"] == ["readability/grade"]
    assert [f for f in lint_text(easy) if f.rule == "readability/grade"] == []


def test_grade_rule_names_hardest_section_and_skips_short_articles():
    src = ("# Back pain\n\n## Easy part\n\n" + "Back pain is common. It gets better soon. Keep moving each day. " * 5 +
           "\n\n## Hard part\n\n" + "Comprehensive neurological evaluation necessitates sophisticated investigations. " * 8)
    (finding,) = [f for f in lint_text(src) if f.rule == "readability/grade"]
    assert 'Hardest section: "Hard part"' in finding.message
    assert "Flesch reading ease" in finding.message and "SMOG" in finding.message
    short = "# T\n\nComprehensive neurological evaluation necessitates sophisticated investigations.\n"
    assert [f for f in lint_text(short) if f.rule == "readability/grade"] == []


def test_long_sentence_positions_and_boundaries():
    src = ("# T\n\nShort one. Word " + " ".join(["word"] * 25) + ". Dr. Smith saw 2.5 mg doses, e.g. small ones.\n\n"
           "- " + " ".join(["item"] * 26) + "\n")
    found = [(f.line, f.column, f.end_column) for f in lint_text(src) if f.rule == "readability/long-sentence"]
    assert found == [(3, 12, 12 + 26 * 5), (5, 3, 3 + 26 * 5 - 1)]
    ok = "# T\n\n" + " ".join(["word"] * 25) + ".\n"
    assert [f for f in lint_text(ok) if f.rule == "readability/long-sentence"] == []


def test_stemmer_makes_word_forms_agree():
    from health_lint.text import stem

    for a, b in [("peeing", "pee"), ("seeing", "see"), ("stopped", "stop"), ("controlling", "control"),
                 ("controlled", "control"), ("swelling", "swell"), ("agreed", "agree"), ("losing", "lose"),
                 ("weaknesses", "weakness"), ("falls", "fall"), ("can’t", "can't")]:
        assert stem(a.replace("’", "'")) == stem(b), (a, b)
    assert stem("number") != stem("numb")  # comparatives are not folded: "number" is not "numb"
