"""Inline and front-matter suppression."""
from __future__ import annotations

from .conftest import lint_text, rules_of

LONG = " ".join(["word"] * 30) + "."
DISCLAIMER = "This article is for general information and is not a substitute for professional medical advice."


def long_sentences(findings):
    return [f.line for f in findings if f.rule == "readability/long-sentence"]


def test_disable_enable_range():
    text = f"# T\n\n<!-- health-lint-disable readability/long-sentence -->\n{LONG}\n<!-- health-lint-enable -->\n\n{LONG}\n\n{DISCLAIMER}\n"
    assert long_sentences(lint_text(text)) == [7]


def test_disable_next_line_skips_blank_lines():
    text = f"# T\n\n<!-- health-lint-disable-next-line readability/long-sentence -->\n\n{LONG}\n\n{LONG}\n"
    assert long_sentences(lint_text(text)) == [7]


def test_disable_all_and_family():
    text = f"# T\n\n<!-- health-lint-disable -->\n{LONG}\n"
    assert lint_text(text) == []
    text = f"# T\n\n<!-- health-lint-disable readability/* -->\n{LONG}\n"
    assert "readability/long-sentence" not in rules_of(lint_text(text))


def test_document_level_finding_suppressed_by_comment_anywhere():
    text = "# T\n\nShort text.\n\n<!-- health-lint-disable disclaimer/missing -->\n"
    assert "disclaimer/missing" not in rules_of(lint_text(text))
    assert "disclaimer/missing" in rules_of(lint_text("# T\n\nShort text.\n"))


def test_front_matter_disable():
    text = f"---\ntitle: T\nhealth-lint:\n  disable: [readability/long-sentence, disclaimer/missing]\n---\n# T\n\n{LONG}\n"
    found = set(rules_of(lint_text(text)))
    assert not found & {"readability/long-sentence", "disclaimer/missing"}
    assert "meta/missing-author" in found  # only the listed rules are disabled


def test_unknown_rules_in_suppressions_are_reported():
    text = f"---\nhealth-lint:\n  disable: [readability/grades]\n---\n# T\n\n<!-- health-lint-disable-next-line links/nope -->\n{LONG}\n\n{DISCLAIMER}\n"
    found = [(f.rule, f.line) for f in lint_text(text) if f.rule == "suppression/unknown-rule"]
    assert ("suppression/unknown-rule", 7) in found
    assert len(found) == 2
    # The misspelled suppression suppressed nothing.
    assert long_sentences(lint_text(text)) == [8]


def test_html_comments_suppress_in_html():
    text = f"<html><body><main><h1>T</h1>\n<!-- health-lint-disable-next-line readability/long-sentence -->\n<p>{LONG}</p>\n<p>{LONG}</p></main></body></html>"
    assert long_sentences(lint_text(text, "a.html")) == [4]


def test_comment_inside_code_is_an_example_not_a_directive():
    text = f"# T\n\n```markdown\n<!-- health-lint-disable -->\n```\n\nUse `<!-- health-lint-disable -->` to silence.\n\n{LONG}\n"
    found = rules_of(lint_text(text))
    assert "readability/long-sentence" in found and "disclaimer/missing" in found


def test_bare_disable_enable_pair_does_not_hide_document_findings():
    text = f"# T\n\n<!-- health-lint-disable -->\n{LONG}\n<!-- health-lint-enable -->\n\nShort.\n"
    found = rules_of(lint_text(text))
    assert "disclaimer/missing" in found and "readability/long-sentence" not in found


def test_disable_next_line_counts_from_the_end_of_a_multiline_comment():
    text = f"# T\n\n<!--\nhealth-lint-disable-next-line readability/long-sentence\n-->\n{LONG}\n\n{LONG}\n"
    assert long_sentences(lint_text(text)) == [8]


def test_html_block_text_is_read_in_markdown():
    text = (f"# T\n\n<div class=\"note\">\n  <p>{DISCLAIMER}</p>\n</div>\n\n<div>\n<p>{LONG}</p>\n</div>\n")
    found = [(f.rule, f.line, f.column) for f in lint_text(text)]
    assert not any(r == "disclaimer/missing" for r, _, _ in found)
    assert ("readability/long-sentence", 8, 4) in found
