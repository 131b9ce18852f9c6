"""Issue 9, readability/long-sentence: what is one sentence and one word.
Hyphenated words are one word, a bold run-in label is a title, text the
parser joined across a heading or line break is two sentences, and a row of
link labels is not a sentence. Real long sentences are still reported."""
from __future__ import annotations

import pytest

from .conftest import FRONT, lint_text

RULE = "readability/long-sentence"

# 23 words, no hyphens.
BASE = ("Drink small sips of water often through the day and rest in a cool room until you feel "
        "well enough to eat again")


def counts(text: str, name: str = "article.md") -> list[int]:
    return [f.data.get("words") or int(f.message.split()[2]) for f in lint_text(text, name) if f.rule == RULE]


def md(body: str) -> str:
    return FRONT + "# Feeling sick\n\n" + body + "\n"


def test_hyphenated_words_count_once():
    # Every hyphenated word is one word, as readers (and editors) count.
    sentence = BASE + ", then try self-care, a follow-up call and well-known remedies."
    assert counts(md(sentence)) == [len(sentence.split())]
    short = "Use self-care at home, book a follow-up call, keep a day-by-day diary and take well-known painkillers if you need them."
    assert len(short.split()) <= 25 and counts(md(short)) == []


def test_hyphenated_sentence_at_the_limit_is_fine():
    # 25 words once "self-isolate" and "check-up" are one word each.
    sentence = ("If you feel unwell, self-isolate at home, drink plenty of fluids, rest as much as possible "
                "and book a check-up if it lasts a week.")
    assert len(sentence.split()) == 25
    assert counts(md(sentence)) == []


def test_bold_run_in_label_is_not_part_of_the_sentence():
    label = "**What happens at the appointment:** "
    sentence = BASE + " at home."  # 24 words; with the label's 5 it would be 29
    assert counts(md(label + sentence)) == []
    assert counts(md("- " + label + sentence)) == []
    assert counts(FRONT + "# T\n\n", "a.md") == []


def test_html_bold_label():
    html = f"<html><body><main><p><strong>What it involves:</strong> {BASE} at home.</p></main></body></html>"
    assert counts(html, "a.html") == []


def test_plain_colon_is_part_of_the_sentence():
    # Not bold: "Symptoms include:" is the start of the sentence.
    sentence = "What happens at the appointment: " + BASE + " at home."
    assert counts(md(sentence)) == [len(sentence.split())]


def test_label_does_not_hide_a_long_sentence_after_it():
    sentence = "**Tip:** " + BASE + " and then slowly go back to your normal food over the next day."
    assert counts(md(sentence)) == [len(sentence.split()) - 1]  # not "Tip"


def test_bold_line_is_a_heading():
    body = "**Looking after yourself at home**\n" + BASE + " at home."
    assert counts(md(body)) == []


def test_hard_line_break_ends_the_line():
    body = "Call your surgery if you are worried  \n" + BASE + "."
    assert counts(md(body)) == []


def test_soft_wrapped_long_sentence_still_reported():
    body = ("Drink small sips of water often through the day\nand rest in a cool room until you feel well "
            "enough\nto eat again, then go back slowly to your usual food and drink.")
    assert counts(md(body)) == [33]


def test_html_break_tag():
    html = f"<html><body><main><p>Call us if you are worried<br>{BASE}.</p></main></body></html>"
    assert counts(html, "a.html") == []


def test_row_of_link_labels_is_not_a_sentence():
    links = ", ".join(f"[{t}](/{i}/)" for i, t in enumerate(
        ["Food poisoning", "Stomach ache", "Diarrhoea and vomiting", "Dehydration in children",
         "Norovirus", "Gastroenteritis in adults", "Indigestion and heartburn", "Travel sickness"]))
    assert counts(md("Related pages: " + links)) == []
    html = ("<html><body><main><p>" + " ".join(
        f"<a href='/p{i}/'>Useful page about sickness number {i}</a>" for i in range(6)) + "</p></main></body></html>")
    assert counts(html, "a.html") == []


def test_long_sentence_with_a_few_links_is_still_prose():
    sentence = ("Drink small sips of [water](/water/) often through the day and rest in a cool room until you "
                "feel well enough to eat, and see the [pharmacist](/pharmacy/) or [GP](/gp/) if it lasts more "
                "than a week.")
    assert counts(md(sentence)) == [35]
def test_html_heading_inside_a_link_card():
    html = ("<html><body><main><h1>Sickness</h1><a href='/rest/'><h3>Resting at home after a stomach bug</h3>"
            f"<p>{BASE}.</p></a></main></body></html>")
    assert counts(html, "a.html") == []


