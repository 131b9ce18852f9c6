"""Hostile and odd local input (issue 14): each case builds the input that
used to crash (exit 3), hang, mis-position findings or hide suppressions,
and checks the clear finding or error that replaces it."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest

from .conftest import FRONT, lint_text, rules_of, run_cli, run_json

LONG = " ".join(["word"] * 30) + "."


def long_sentences(findings):
    return [f.line for f in findings if f.rule == "readability/long-sentence"]


# -- suppression ------------------------------------------------------------------
def test_enable_rule_after_bare_disable_re_enables_that_rule_only():
    text = (f"# T\n\n<!-- health-lint-disable -->\n{LONG}\n\n<!-- health-lint-enable readability/long-sentence -->\n"
            f"{LONG}\n")
    found = lint_text(text)
    assert long_sentences(found) == [7]
    assert rules_of(found) == ["readability/long-sentence"]  # every other rule stays disabled


def test_enable_rule_inside_family_disable_and_disable_again():
    text = (f"# T\n\n<!-- health-lint-disable readability/* -->\n{LONG}\n\n"
            f"<!-- health-lint-enable readability/long-sentence -->\n{LONG}\n\n"
            f"<!-- health-lint-disable readability/long-sentence -->\n{LONG}\n")
    assert long_sentences(lint_text(text)) == [7]


def test_unclosed_suppression_comment_gives_one_warning_not_one_per_word():
    text = (f"# T\n\n<!-- health-lint-disable readability/long-sentence\n\n{LONG}\n\n"
            f"Some more text here with many words.\n\n<!-- a later comment -->\n")
    found = [f for f in lint_text(text) if f.rule == "suppression/unknown-rule"]
    assert len(found) == 1
    assert "not a rule id" in found[0].message and "-->" in found[0].message


def test_never_closed_suppression_comment_is_reported_and_ignored():
    text = f"# T\n\n{LONG}\n\n<!-- health-lint-disable readability/long-sentence\n"
    found = lint_text(text)
    assert [f.message for f in found if f.rule == "suppression/unknown-rule"] == [
        "Suppression comment is never closed (no `-->`); it was ignored."]
    assert long_sentences(found) == [3]


@pytest.mark.parametrize("value", ["[readability/long-sentence]", "5", "{disable: 5}", "{disable: [{a: 1}]}",
                                   "{disabled: [readability/long-sentence]}"])
def test_malformed_front_matter_suppression_is_an_input_finding_not_a_crash(value):
    text = f"---\ntitle: T\nhealth-lint: {value}\n---\n# T\n\n{LONG}\n"
    found = lint_text(text)
    problems = [f for f in found if f.rule == "input/front-matter"]
    assert len(problems) == 1 and problems[0].line == 3, found
    assert "it must be `health-lint: {disable: [RULE, ...]}`" in problems[0].message
    assert long_sentences(found) == [7]  # nothing was suppressed


def test_front_matter_disable_as_one_string_still_works():
    text = f"---\ntitle: T\nhealth-lint:\n  disable: readability/long-sentence\n---\n# T\n\n{LONG}\n"
    found = lint_text(text)
    assert long_sentences(found) == [] and "input/front-matter" not in rules_of(found)


@pytest.mark.parametrize("hidden", [
    'See [the guide](https://nhs.uk/ "<!-- health-lint-disable -->").',
    'See <span title="<!-- health-lint-disable -->">the guide</span>.',
    "Type `<!-- health-lint-disable -->` to silence a rule.",
    "Type ``a <!-- health-lint-disable --> b`` to silence a rule.",
])
def test_directive_text_outside_a_real_comment_suppresses_nothing(hidden):
    text = f"# T\n\n{hidden}\n\n{LONG}\n"
    assert long_sentences(lint_text(text)) == [5]


def test_directive_text_in_a_front_matter_string_suppresses_nothing():
    text = f'---\ntitle: "<!-- health-lint-disable -->"\n---\n# T\n\n{LONG}\n'
    assert long_sentences(lint_text(text)) == [6]


def test_directive_text_in_an_html_attribute_suppresses_nothing_in_html():
    text = (f'<html><body><main><h1 title="<!-- health-lint-disable -->">T</h1>\n<p>{LONG}</p>\n'
            f'<script>var s = "<!-- health-lint-disable -->";</script></main></body></html>')
    assert long_sentences(lint_text(text, "a.html")) == [2]


def test_real_comments_still_work_next_to_hidden_ones():
    text = (f'# T\n\nSee [g](https://nhs.uk/ "<!-- x -->") now.\n\n<!-- health-lint-disable-next-line '
            f"readability/long-sentence -->\n{LONG}\n\n{LONG}\n")
    assert long_sentences(lint_text(text)) == [8]
