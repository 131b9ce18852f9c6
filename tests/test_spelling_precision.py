"""spelling/unknown-word on real-world patterns (issue 9): correct words the
old dictionary lacked, other languages and scripts, markup, and one finding
per word. Every text here is written for the project (no real articles)."""
from __future__ import annotations

import pytest

from .conftest import lint_text

SPELL = "spelling/unknown-word"
DOC = "# Title\n\n"


def words(text: str, name: str = "article.md") -> list[str]:
    return [f.data["word"] for f in lint_text(DOC + text, name) if f.rule == SPELL]


@pytest.mark.parametrize("sentence", [
    # medical words
    "Temporomandibular pain, prodromal signs, colorectal screening, diabetes mellitus and dyslipidemia.",
    "Perimenopause and postmenopausal bleeding; a hematocrit and a haematocrit test.",
    # health insurance
    "Copayments for habilitative services may need preauthorization before you disenroll.",
    # everyday modern words
    "Use the app, read the intro, check your inbox within the timeframe; the metadata is searchable.",
    "Unvaccinated children can catch it.",
    # prefixes on known words
    "Prediabetes can often be reversed. Nonurgent visits can wait. Reenroll next year.",
    # two-word Latin names, capitalised genus or not
    "Haemophilus influenzae and Streptococcus pneumoniae cause it, as do molluscum contagiosum and erythema toxicum.",
])
def test_correct_words_not_reported(sentence):
    assert words(sentence + "\n") == []


@pytest.mark.parametrize("typo, suggestion", [
    ("recieve", "receive"),        # common in text, but "receive" is far more common
    ("excercises", "exercises"),
    ("caffiene", "caffeine"),
    ("presense", "presence"),      # pre + sense: a prefix does not hide a typo
])
def test_common_typos_still_reported(typo, suggestion):
    findings = [f for f in lint_text(DOC + f"You may {typo} it today.\n") if f.rule == SPELL]
    assert [f.data["word"] for f in findings] == [typo]
    assert findings[0].data.get("suggestion") == suggestion


def test_latin_looking_typo_of_an_english_word_is_reported():
    # "diabetus" ends like Latin but is one edit from "diabetes".
    assert words("Type 2 diabetus mellitus is common.\n") == ["diabetus"]


def test_one_finding_per_word_with_count():
    text = "Sciatca hurts. Most sciatca gets better.\n\n- Sciatca can come back.\n"
    findings = [f for f in lint_text(DOC + text) if f.rule == SPELL]
    assert len(findings) == 1
    f = findings[0]
    assert (f.line, f.column, f.data["occurrences"]) == (3, 1, 3)
    assert "3 times" in f.message and f.data["suggestion"] == "sciatica"


def test_other_languages_and_scripts_not_spell_checked():
    text = (
        "## Help in your language\n\n"
        "- Español: Si necesita ayuda en español, llame al número gratuito.\n"
        "- Deutsch: Wenn Sie Hilfe auf Deutsch brauchen, rufen Sie uns an.\n"
        "- Tagalog: Kung kailangan mo ng tulong, tumawag sa amin.\n"
        "- Français : Si vous avez besoin d'aide, appelez-nous.\n"
        "- Tiếng Việt: Nếu quý vị cần trợ giúp, xin gọi cho chúng tôi.\n"
        "- 한국어: 도움이 필요하시면 전화하십시오.\n"
        "- 中文: 如果您需要帮助，请致电。\n"
        "- العربية: إذا كنت بحاجة إلى مساعدة، اتصل بنا.\n"
        "- Polski\n"
    )
    assert words(text) == []


def test_typo_in_an_english_sentence_next_to_foreign_ones_is_still_reported():
    text = ("- Español: Si necesita ayuda en español, llame al número gratuito.\n"
            "- English: If you need help, call the number on your sympton card.\n")
    assert words(text) == ["sympton"]


def test_attribute_lists_are_markup_not_words():
    text = ("- [Adults](#adults){data-analytics=anchor}\n"
            "- [Children](#children){data-analytics=anchor .qwzxv}\n"
            "{.link-list}\n\nA paragraph with an id {#qwzxv-id}.\n")
    assert words(text) == []
    # Braces that are not attribute syntax stay prose.
    assert words("A typo in braces {teh}.\n") == ["teh"]


def test_html_front_matter_is_not_spell_checked():
    html = ("---\nlayout: qwzxvlayout\ntitle: Back pain\n---\n"
            "<html><body><main><h1>Back pain</h1><p>Rest helps.</p></main></body></html>\n")
    findings = [f for f in lint_text(html, "page.html") if f.rule == SPELL]
    assert findings == []


def test_spelling_density_on_generated_clean_articles():
    """A varied English text with no typos gives no spelling findings."""
    text = ("Your deductible resets each year. Telehealth visits and e-visits count. "
            "Our chatbot answers questions about enrollment, coinsurance and the formulary. "
            "Postpartum checkups, prenatal vitamins and immunizations are covered. "
            "Bronchiolitis and croup are common in babies; impetigo and roseola too.\n")
    assert words(text) == []


def test_html_lang_attribute_marks_text_in_another_language():
    html = ('<html lang="en"><body><main><h1>Help in your language</h1><ul>'
            '<li lang="es">Llame al número gratuito para ayuda.</li>'
            '<li>Say <span lang="tl">salamat</span> to the nurse who helps you.</li>'
            '<li lang="en-GB">Call us about your sympton.</li>'
            '</ul></main></body></html>')
    findings = [f.data["word"] for f in lint_text(html, "page.html") if f.rule == SPELL]
    assert findings == ["sympton"]
