"""Exact line:column positions in every format."""
from __future__ import annotations

from health_lint import parsers


def where(doc, needle: str, block_kind: str | None = None):
    """(line, col) of ``needle`` found in block text, mapped to the source."""
    for block in doc.blocks:
        if block_kind and block.kind != block_kind:
            continue
        i = block.text.find(needle)
        if i >= 0:
            s, e = block.source_span(i, i + len(needle))
            return doc.position(s), doc.source[s:e]
    raise AssertionError(f"{needle!r} not in any block: {[b.text for b in doc.blocks]}")


MD = """---
title: Back pain
author: Jane Roe
tags: [back, spine]
---
# Back *pain* basics

Most back pain gets better. Don’t stay in bed.
Second line with **bold words** here.

- first item
  - nested item with [a link](https://nhs.uk/back "NHS")
- third item

| Sign | What to do |
|------|------------|
| Numb legs | Call 911 |

> A quoted line.

```
code is not prose
```

Text with &amp; entity and \\*escaped\\* stars.
"""


def test_markdown_positions_after_front_matter_lists_tables():
    doc = parsers.parse(MD, "a.md", "markdown")
    assert doc.body_start == MD.index("# Back")
    assert where(doc, "Back pain basics", "heading") == ((6, 3), "Back *pain* basics")
    assert where(doc, "Don’t stay")[0] == (8, 29)
    # Across a soft line break and inside bold.
    pos, src = where(doc, "bold words")
    assert pos == (9, 20) and src == "bold words"
    assert where(doc, "nested item", "list_item")[0] == (12, 5)
    assert where(doc, "third item", "list_item")[0] == (13, 3)
    assert where(doc, "Numb legs", "table_cell")[0] == (17, 3)
    assert where(doc, "Call 911", "table_cell")[0] == (17, 15)
    assert where(doc, "A quoted line", "blockquote")[0] == (19, 3)
    # Entities and escapes map back to their source characters.
    pos, src = where(doc, "& entity")
    assert pos == (25, 11) and src == "&amp; entity"
    pos, src = where(doc, "*escaped*")
    assert pos == (25, 29)


def test_markdown_code_and_front_matter_are_not_prose():
    doc = parsers.parse(MD, "a.md", "markdown")
    prose = doc.prose_text()
    assert "code is not prose" not in prose
    assert "title:" not in prose and "Jane Roe" not in prose
    assert any(b.kind == "code" for b in doc.blocks)


def test_markdown_links_have_exact_ranges():
    doc = parsers.parse(MD, "a.md", "markdown")
    (link,) = doc.links
    assert link.url == "https://nhs.uk/back" and link.text == "a link" and link.title == "NHS"
    assert doc.source[link.start:link.end] == '[a link](https://nhs.uk/back "NHS")'
    assert doc.source[link.url_start:link.url_end] == "https://nhs.uk/back"
    assert doc.position(link.start) == (12, 22)


def test_markdown_metadata_from_front_matter():
    doc = parsers.parse(MD, "a.md", "markdown")
    assert doc.metadata.title == "Back pain"
    assert doc.metadata.author == "Jane Roe"
    assert doc.metadata.tags == ["back", "spine"]


def test_heading_slugs_github_style():
    src = "# Back pain\n\n# Back pain\n\n## What's “red flag”? 🚩\n\n## Über Schmerzen\n"
    doc = parsers.parse(src, "a.md", "markdown")
    assert [b.slug for b in doc.headings()] == ["back-pain", "back-pain-1", "whats-red-flag-", "über-schmerzen"]
    assert {"back-pain", "back-pain-1", "über-schmerzen"} <= doc.anchors


HTML = """<!doctype html>
<html><head><title>Back pain &amp; you</title>
<meta name="author" content="Ann Lee, MD">
<script type="application/ld+json">{"@type": "MedicalWebPage", "reviewedBy": {"name": "Bo Chan", "honorificSuffix": "DO"}, "lastReviewed": "2025-01-02"}</script>
</head><body>
<nav><a href="/">Home</a> Most back pain</nav>
<main>
<h1 id="top">Back pain</h1>
<p>Most back pain gets better &amp; <em>quickly</em>.
   It can <a href="https://www.nhs.uk/x" rel="nofollow noopener">come back</a> later.</p>
<ul><li>Rest a little.<ul><li>Nested item</li></ul></li></ul>
<table><tr><td>Cell one</td><td>Cell <code>two</code></td></tr></table>
<div>Loose text in a div</div>
<script>var notProse = "Most back pain";</script>
</main>
<footer>Copyright text</footer>
</body></html>
"""


def test_html_positions_entities_lists_tables():
    doc = parsers.parse(HTML, "a.html", "html")
    assert where(doc, "Back pain", "heading")[0] == (8, 14)
    # Found in <main>, not in the <nav> that says the same words earlier.
    assert where(doc, "Most back pain", "paragraph")[0] == (9, 4)
    pos, src = where(doc, "& quickly")
    assert pos == (9, 31) and src.startswith("&amp;")
    assert where(doc, "come back")[0] == (10, 66)
    assert where(doc, "Nested item", "list_item")[0] == (11, 31)
    assert where(doc, "Cell one", "table_cell")[0] == (12, 16)
    assert where(doc, "Loose text", "paragraph")[0] == (13, 6)


def test_html_main_content_only():
    doc = parsers.parse(HTML, "a.html", "html")
    prose = doc.prose_text()
    assert "Home" not in prose and "notProse" not in prose and "Copyright" not in prose
    assert "Copyright text" in doc.extra_text


def test_html_body_without_main_drops_boilerplate():
    src = "<html><body><header>Site name</header><nav>Menu</nav><p>Article text.</p><aside>Ads</aside><footer>Foot</footer></body></html>"
    doc = parsers.parse(src, "a.html", "html")
    assert doc.prose_text() == "Article text."


def test_html_links_and_metadata():
    doc = parsers.parse(HTML, "a.html", "html")
    (link,) = doc.links
    assert link.url == "https://www.nhs.uk/x" and link.text == "come back" and link.rel == "nofollow noopener"
    assert doc.source[link.url_start:link.url_end] == "https://www.nhs.uk/x"
    assert doc.source[link.start:link.end].startswith("<a href=") and doc.source[link.start:link.end].endswith("</a>")
    m = doc.metadata
    assert m.title == "Back pain & you"
    assert m.author == "Ann Lee, MD" and m.author_credentials == "MD"
    assert m.reviewer == "Bo Chan" and m.reviewer_credentials == "DO"
    assert m.last_reviewed == "2025-01-02"
    assert "top" in doc.anchors


def test_text_positions():
    src = "Back pain\n\nMost back pain gets better.\nKeep moving.\n\n  Indented paragraph here.\n"
    doc = parsers.parse(src, "a.txt", "text")
    assert where(doc, "Keep moving")[0] == (4, 1)
    assert where(doc, "Indented")[0] == (6, 3)
    assert doc.metadata.title == "Back pain"


def test_byline_metadata():
    src = "# Knee pain\n\nMedically reviewed by Dana Cruz, MD. Last reviewed: March 3, 2025.\n\nText.\n"
    doc = parsers.parse(src, "a.md", "markdown")
    assert doc.metadata.reviewer == "Dana Cruz, MD"
    assert doc.metadata.reviewer_credentials == "MD"
    assert doc.metadata.last_reviewed == "March 3, 2025"


def test_reference_links_point_at_their_definition():
    src = "# T\n\nSee [the NHS][nhs] and [again][NHS].\n\n[nhs]: <http://www.nhs.uk/x> \"NHS\"\n"
    doc = parsers.parse(src, "a.md", "markdown")
    assert [l.text for l in doc.links] == ["the NHS", "again"]
    for link in doc.links:
        assert doc.source[link.url_start:link.url_end] == "http://www.nhs.uk/x"
        assert doc.position(link.url_start) == (5, 9)


def test_html_image_source_position_and_alt_text():
    src = '<html><body><main>\n<p>x <img alt="Spine" src="http://a.org/s.png"></p></main></body></html>'
    (image,) = parsers.parse(src, "a.html", "html").links
    assert image.kind == "image" and image.text == "Spine"
    assert src[image.url_start:image.url_end] == "http://a.org/s.png"


def test_tokens_from_split_match_the_word_pattern():
    """Blocks without URLs or code are tokenised by splitting on the word
    pattern; the words, stems and offsets are those of its matches."""
    import random

    from health_lint import text

    rnd = random.Random(3)
    pieces = ["pain", "e.g.", "U.S.", "1,000", "3.5", "don't", "don\u2019t", "x_y", "caf\u00e9", "--", "  ", "\n",
              "(NHS)", "A&E", "\u00a0", "99", "'quoted'", "it's", "a.b", "\u2014", "\u00e9t\u00e9", ".", ","]
    for _ in range(500):
        block = "".join(rnd.choice(pieces) + rnd.choice(["", " "]) for _ in range(rnd.randint(0, 30)))
        folded = text.fold(block)
        expected = [(m.group(), m.group().lower(), text.stem(m.group()), m.start(), m.end())
                    for m in text.WORD_RE.finditer(folded)]
        assert [tuple(t) for t in text._tokens.__wrapped__(block, ())] == expected, block
