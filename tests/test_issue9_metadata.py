"""Issue 9, metadata precision: front matter in HTML templates, date keys
and date lines the meta rules used to miss, and what must still be missing."""
from __future__ import annotations

import pytest

from health_lint import parsers
from health_lint.parsers.metadata import parse_date

from .conftest import lint_text


@pytest.fixture(autouse=True)
def _pinned_today(monkeypatch):
    monkeypatch.setenv("HEALTH_LINT_TODAY", "2026-11-25")


def meta_rules(text: str, name: str = "article.md") -> list[str]:
    return sorted(f.rule for f in lint_text(text, name) if f.rule.startswith("meta/"))


HTML_TEMPLATE = """---
layout: article
title: Ankle sprains
author: Robin Hale
reviewed_by: Dana Cruz, RN
{date_line}
---
<!doctype html>
<html lang="en"><head><title>Ankle sprains</title></head>
<body><main>
<h1>Ankle sprains</h1>
<p>Most sprained ankles heal with rest, ice and gentle movement.</p>
</main></body></html>
"""


def test_html_front_matter_is_metadata_not_prose():
    source = HTML_TEMPLATE.format(date_line="lastmod: 2026-06-01")
    doc = parsers.parse(source, "ankle.html", "html")
    assert doc.metadata.author == "Robin Hale"
    assert doc.metadata.reviewer == "Dana Cruz, RN" and doc.metadata.reviewer_credentials == "RN"
    assert doc.metadata.updated == "2026-06-01"
    assert doc.front_matter["layout"] == "article"
    # Front matter is not text: no block holds "layout" or the YAML keys.
    assert all("layout" not in b.text and "lastmod" not in b.text for b in doc.blocks)
    assert [b.text for b in doc.blocks] == ["Ankle sprains", "Most sprained ankles heal with rest, ice and gentle movement."]
    # Positions still count the front matter's lines.
    heading = doc.blocks[0]
    assert doc.position(heading.start) == (11, 5)
    assert meta_rules(source, "ankle.html") == []


def test_html_front_matter_stale_and_missing_date_still_reported():
    stale = HTML_TEMPLATE.format(date_line="publishDate: 2019-01-05")
    assert meta_rules(stale, "ankle.html") == ["meta/stale-review"]
    undated = HTML_TEMPLATE.format(date_line="tags: [ankle]")
    assert meta_rules(undated, "ankle.html") == ["meta/missing-date"]


def test_html_without_front_matter_unchanged():
    doc = parsers.parse("<html><body><main><p>--- not front matter</p></main></body></html>", "a.html", "html")
    assert doc.front_matter == {} and doc.blocks[0].text == "--- not front matter"


@pytest.mark.parametrize("key", ["publishDate", "publishdate", "date_published", "lastmod", "last_modified",
                                 "lastModified", "last_updated", "pubDate"])
def test_front_matter_date_keys(key):
    text = f"---\nauthor: Robin Hale\nreviewed_by: Dana Cruz, RN\n{key}: 2026-03-01\n---\n# Ankle\n\nRest it.\n"
    assert meta_rules(text) == []


def test_json_ld_and_meta_tag_dates():
    ld = ('<html><head><script type="application/ld+json">{"@context": "https://schema.org", '
          '"@type": "MedicalWebPage", "datePublished": "2026-02-01", "author": {"name": "Robin Hale"}}'
          '</script></head><body><main><p>Rest it.</p></main></body></html>')
    assert parsers.parse(ld, "a.html", "html").metadata.published == "2026-02-01"
    tag = ('<html><head><meta property="article:modified_time" content="2026-04-02T09:30:00+00:00">'
           '</head><body><main><p>Rest it.</p></main></body></html>')
    doc = parsers.parse(tag, "a.html", "html")
    assert parse_date(doc.metadata.updated).isoformat() == "2026-04-02"


def _long_article(line: str) -> str:
    """A date line in the middle of a long page (not in the first or last
    twelve blocks)."""
    paragraphs = [f"Point {i}: rest the joint and keep it moving gently." for i in range(40)]
    paragraphs[20] = line
    return "# Ankle sprains\n\n" + "\n\n".join(paragraphs) + "\n"


@pytest.mark.parametrize("line, field, expected", [
    ("Page last reviewed: 14 February 2025\nNext review due: 14 February 2028", "last_reviewed", "2025-02-14"),
    ("Last updated 3 May 2023", "updated", "2023-05-03"),
    ("Last updated: June 2nd, 2024", "updated", "2024-06-02"),
    ("First published on 1st March 2022", "published", "2022-03-01"),
])
def test_visible_date_lines_anywhere(line, field, expected):
    doc = parsers.parse(_long_article(line), "a.md", "markdown")
    assert parse_date(getattr(doc.metadata, field)).isoformat() == expected


@pytest.mark.parametrize("line", [
    # A date inside running text is about something else.
    "A large study published in March 2019 followed people with sprains for a year and found that most "
    "had healed by six weeks without any special treatment at all.",
    "Next review due: 14 February 2028",
    "Reviewed by the team on request.",
])
def test_no_date_from_running_text(line):
    assert "meta/missing-date" in meta_rules(_long_article(line))


def test_stale_review_reads_visible_date_line():
    text = _long_article("Page last reviewed: 14 February 2021")
    assert "meta/stale-review" in meta_rules(text)
    assert "meta/missing-date" not in meta_rules(text)


def test_html_footer_date_line():
    html = ("<html><body><main><h1>Ankle</h1><p>Rest it.</p></main>"
            "<footer><p>Page last reviewed: 2 June 2026</p></footer></body></html>")
    doc = parsers.parse(html, "a.html", "html")
    assert doc.metadata.last_reviewed == "2 June 2026"


@pytest.mark.parametrize("value, expected", [
    ("21st December 2020", "2020-12-21"), ("December 21st, 2020", "2020-12-21"), ("Sept. 3, 2025", "2025-09-03"),
    ("3 Mar. 2025", "2025-03-03"), ("Wed, 03 May 2023 10:00:00 GMT", "2023-05-03"), ("May 2023", "2023-05-01"),
])
def test_parse_date_written_forms(value, expected):
    assert parse_date(value).isoformat() == expected


def test_parse_date_still_refuses_ambiguous_and_invalid():
    assert parse_date("03/04/2026") is None
    assert parse_date("2019-13-45") is None
    assert parse_date("soon") is None


def test_hugo_toml_front_matter():
    text = ('+++\ntitle = "Ankle sprains"\nauthor = "Robin Hale"\nreviewed_by = "Dana Cruz, RN"\n'
            'publishDate = 2026-02-01T09:00:00Z\nlastmod = 2026-05-03\n+++\n# Ankle sprains\n\nRest it.\n')
    doc = parsers.parse(text, "ankle.md", "markdown")
    assert parse_date(doc.metadata.published).isoformat() == "2026-02-01"
    assert doc.metadata.updated == "2026-05-03"
    assert [b.text for b in doc.blocks] == ["Ankle sprains", "Rest it."]
    assert doc.position(doc.blocks[0].start) == (8, 3)
    assert meta_rules(text) == []
    html = text.replace("# Ankle sprains\n\nRest it.\n", "<html><body><main><p>Rest it.</p></main></body></html>\n")
    assert meta_rules(html, "ankle.html") == []


def test_broken_toml_front_matter_is_an_input_error():
    from health_lint.parsers.errors import InputError

    with pytest.raises(InputError) as err:
        parsers.parse("+++\ntitle = \n+++\n# Ankle\n\nRest it.\n", "a.md", "markdown")
    assert err.value.line == 2 and "invalid TOML front matter" in str(err.value)
    with pytest.raises(InputError, match="never closed"):
        parsers.parse("+++\ntitle = 'x'\n# Ankle\n", "a.md", "markdown")
    # A first line that merely starts with +++ is text.
    doc = parsers.parse("+++ New clinic hours +++\n\nWe open at 8.\n", "a.md", "markdown")
    assert doc.front_matter == {} and doc.blocks[0].text == "+++ New clinic hours +++"


def test_html_time_element_labelled_by_its_text():
    html = ('<html><body><main><h1>Ankle</h1><p>Last updated <time datetime="2026-05-03">3 May</time></p>'
            '<p>The clinic opens on <time datetime="2026-07-01">1 July</time>.</p></main></body></html>')
    doc = parsers.parse(html, "a.html", "html")
    assert doc.metadata.updated == "2026-05-03" and doc.metadata.published == ""
    unlabelled = '<html><body><main><p>Opens <time datetime="2026-07-01">1 July</time>.</p></main></body></html>'
    assert parsers.parse(unlabelled, "a.html", "html").metadata.published == ""


def test_ambiguous_numeric_date_is_a_date_but_not_an_age():
    text = _long_article("Last updated: 03/04/2025")
    rules = meta_rules(text)
    assert "meta/missing-date" not in rules
    stale = [f for f in lint_text(text) if f.rule == "meta/stale-review"]
    assert len(stale) == 1 and "ambiguous" in stale[0].message
    # Readable either way but only one way valid: 25/04/2025 is 25 April.
    assert "meta/missing-date" not in meta_rules(_long_article("Last updated: 25/04/2026"))
    assert "meta/missing-date" in meta_rules(_long_article("Last updated: 45/04/2026"))
