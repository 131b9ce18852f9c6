"""content/placeholder: unfinished content must not be published."""
from __future__ import annotations

import pytest

from .conftest import lint_text

RULE = "content/placeholder"


def found(text: str, name: str = "article.md"):
    return [(f.line, f.column, f.data["placeholder"], f.severity) for f in lint_text(text, name) if f.rule == RULE]


@pytest.mark.parametrize("line, placeholder", [
    ("Call [insert local number] if the reliever does not help.", "[insert local number]"),
    ("TODO: add the peak-flow section.", "TODO"),
    ("The usual dose is TK tablets a day.", "TK"),
    ("Lorem ipsum dolor sit amet, consectetur.", "Lorem ipsum dolor sit amet"),
    ("Most people recover in days [citation needed].", "[citation needed]"),
    ("Click here to add text.", "Click here to add"),
    ("FIXME check the figures.", "FIXME"),
])
def test_placeholder_text_reported_as_error(line, placeholder):
    got = found(f"# Asthma\n\n{line}\n")
    assert [(g[2], g[3]) for g in got] == [(placeholder, "error")]
    assert got[0][0] == 3 and got[0][1] == line.index(placeholder) + 1


@pytest.mark.parametrize("target", ["TODO", "tbd", "link", "insert-link-here", "https://example.com/guide"])
def test_placeholder_link_target_reported(target):
    got = found(f"# Asthma\n\nRead our [inhaler guide]({target}).\n")
    assert [g[2] for g in got] == [target]


@pytest.mark.parametrize("text", [
    "Keep a to-do list of questions. The todo app helps. Tk is her name.",   # not markers in capitals
    "Call 999 if your lips turn blue.",
    "Use `TODO` as the label in the form.",                                   # code
    "<!-- TODO: editors, check the dose -->\nThe dose is two puffs.",          # comment, not published
    "Go [back to top](#).",                                                   # a bare # is a real link
    "See [the NHS page](https://www.nhs.uk/conditions/asthma/).",
    "A TKR (total knee replacement) and XXL sizes.",
])
def test_not_placeholders(text):
    assert found(f"# Asthma\n\n{text}\n") == []


def test_placeholder_in_html_page():
    html = ('<html><body><main><h1>Asthma</h1><p>Call [insert number] now.</p>'
            '<p><a href="TODO">Inhaler guide</a></p></main></body></html>')
    assert [g[2] for g in found(html, "page.html")] == ["[insert number]", "TODO"]
