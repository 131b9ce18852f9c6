"""The Markdown parser (pyromark events -> blocks and links): what its
byte ranges must become, and what renderers do that it must match."""
from __future__ import annotations

import pytest

from health_lint.parsers import markdown
from health_lint.parsers.markdown import normalize_link


def parse(text: str):
    return markdown.parse(text, "a.md")


def source_of(src: str, block, word: str) -> str:
    """The source text that ``word`` of the block's text maps to."""
    i = block.text.index(word)
    s, e = block.source_span(i, i + len(word))
    return src[s:e]


def test_positions_after_non_ascii_text_are_characters_not_bytes():
    # "é", "’" and "😀" are 2, 3 and 4 bytes in UTF-8: a byte offset would
    # land several characters too far.
    src = "---\ntitle: Café ’quotes’\n---\nCafé ’x’ 😀 see [the NHS page](https://www.nhs.uk/a) today.\n"
    doc = parse(src)
    link, = doc.links
    assert src[link.start:link.end] == "[the NHS page](https://www.nhs.uk/a)"
    assert src[link.url_start:link.url_end] == "https://www.nhs.uk/a"
    assert src[link.text_start:link.text_end] == "the NHS page"
    block, = doc.blocks
    assert source_of(src, block, "today") == "today"


def test_a_destination_with_parentheses_is_spanned_whole():
    src = "See [eczema](http://www.nhs.uk/conditions/Eczema-(atopic)/Pages/Introduction.aspx). Next.\n"
    link, = parse(src).links
    assert src[link.url_start:link.url_end] == "http://www.nhs.uk/conditions/Eczema-(atopic)/Pages/Introduction.aspx"
    assert src[link.start:link.end] == "[eczema](http://www.nhs.uk/conditions/Eczema-(atopic)/Pages/Introduction.aspx)"


def test_angle_bracket_destination_and_title():
    src = 'Read [the guide](<my guide.md> "Guide (PDF)") first.\n'
    link, = parse(src).links
    assert link.url == "my%20guide.md"
    assert link.title == "Guide (PDF)"
    assert src[link.url_start:link.url_end] == "my guide.md"
    assert src[link.start:link.end] == '[the guide](<my guide.md> "Guide (PDF)")'


def test_reference_links_and_images_point_at_their_definition():
    src = "Use [the NHS][nhs] and ![a chart][fig].\n\n[nhs]: https://www.nhs.uk/\n[fig]: /img/chart.png\n"
    doc = parse(src)
    link, image = doc.links
    assert (link.kind, link.url, link.text) == ("link", "https://www.nhs.uk/", "the NHS")
    assert src[link.start:link.end] == "[the NHS][nhs]"
    assert src[link.url_start:link.url_end] == "https://www.nhs.uk/"
    assert (image.kind, image.url, image.text) == ("image", "/img/chart.png", "a chart")
    assert src[image.url_start:image.url_end] == "/img/chart.png"
    # The image's alt text is not prose of the paragraph.
    assert doc.blocks[0].text == "Use the NHS and ."


def test_image_alt_text_is_the_text_a_screen_reader_reads():
    src = '![An *x-ray* of the `spine`](/img/spine.png "Spine (side view)")\n'
    image, = parse(src).links
    assert image.text == "An x-ray of the spine"
    assert image.title == "Spine (side view)"
    assert src[image.start:image.end] == src.strip()


def test_autolinks_and_email_autolinks():
    src = "Write to <help@example.org> or see <https://example.org/help>.\n"
    doc = parse(src)
    mail, web = doc.links
    assert mail.url == "mailto:help@example.org"
    assert src[mail.url_start:mail.url_end] == "help@example.org"
    assert web.url == "https://example.org/help"
    assert src[web.start:web.end] == "<https://example.org/help>"
    # Their text is not spell-checked as words.
    block = doc.blocks[0]
    assert [block.text[a:b].strip() for a, b in block.ignore] == ["help@example.org", "https://example.org/help"]


@pytest.mark.parametrize("url", ["javascript:alert(1)", "vbscript:x", "file:///etc/passwd", "data:text/html,hi"])
def test_dangerous_link_targets_stay_text_as_renderers_leave_them(url):
    src = f"Click [here]({url}) now.\n"
    doc = parse(src)
    assert doc.links == []
    assert doc.blocks[0].text == f"Click [here]({url}) now."


def test_data_image_is_an_image():
    doc = parse("![dot](data:image/png;base64,iVBORw0KGgo=)\n")
    assert [link.kind for link in doc.links] == ["image"]


def test_tight_and_loose_list_items_and_nesting():
    src = "- one\n  - two\n    more\n- three\n\n1. loose\n\n   second para\n"
    doc = parse(src)
    assert [(b.kind, b.text, b.level) for b in doc.blocks] == [
        ("list_item", "one", 1), ("list_item", "two more", 2), ("list_item", "three", 1),
        ("list_item", "loose", 1), ("list_item", "second para", 1)]


def test_code_blocks_are_whole_lines_with_normalised_line_ends():
    src = "Intro.\r\n\r\n```py\r\nx = 1\r\n```\r\nAfter.\r\n"
    doc = parse(src)
    code = next(b for b in doc.blocks if b.kind == "code")
    assert code.text == "x = 1\n"
    assert src[code.start:code.end] == "```py\r\nx = 1\r\n```\r\n"
    after = doc.blocks[-1]
    assert src[after.start:after.end] == "After."


def test_html_block_text_is_read_and_its_tags_are_not_text():
    src = '<div class="callout" id="warn">\n<p>Call 999 if it gets worse.</p>\n</div>\n\nAfter.\n'
    doc = parse(src)
    assert "warn" in doc.anchors
    texts = [b.text for b in doc.blocks]
    assert texts == ["Call 999 if it gets worse.", "After."]
    first = doc.blocks[0]
    assert src[first.start:first.end] == "Call 999 if it gets worse."


def test_entities_and_escapes_map_to_their_source():
    src = "Fish &amp; chips \\*not emphasis\\* here.\n"
    block, = parse(src).blocks
    assert block.text == "Fish & chips *not emphasis* here."
    assert source_of(src, block, "here") == "here"


@pytest.mark.parametrize("raw, expected", [
    ("https://www.nhs.uk/conditions/back-pain/", "https://www.nhs.uk/conditions/back-pain/"),
    ("my file.md", "my%20file.md"),
    ("/search?q=a%20b", "/search?q=a%20b"),
    ("/100%", "/100%25"),
    ("/ü", "/%C3%BC"),
    ("https://bücher.example/x", "https://xn--bcher-kva.example/x"),
])
def test_link_destinations_are_normalised_as_renderers_write_them(raw, expected):
    assert normalize_link(raw) == expected


def test_undecodable_bytes_keep_every_later_position():
    # parsers.load keeps bytes that are not UTF-8 as surrogate escapes.
    src = "Caf\udce9 and caf\u00e9: see [the guide](/guide/).\n"
    doc = parse(src)
    link, = doc.links
    assert src[link.start:link.end] == "[the guide](/guide/)"
    block, = doc.blocks
    assert source_of(src, block, "see") == "see"


def test_byte_offsets_become_character_offsets_in_any_order():
    import random

    body = "".join(random.Random(7).choice(["a", "é", "’", "😀", "\n", " "]) for _ in range(3000))
    data = body.encode("utf-8")
    boundaries = [len(body[:i].encode("utf-8")) for i in range(len(body) + 1)]
    at = markdown._CharOffsets(body, base=10)
    order = random.Random(8).sample(range(len(boundaries)), 600) + [len(data), 0, 5]
    for b in order:
        byte = boundaries[b] if b < len(boundaries) else b
        assert at(byte) == 10 + len(data[:byte].decode("utf-8"))


def test_a_page_of_many_links_in_non_ascii_text_keeps_every_position():
    src = "".join(f"Café {i} – see [page {i}](/p{i}/) now.\n\n" for i in range(2000))
    doc = parse(src)
    assert len(doc.links) == 2000
    for i in (0, 999, 1999):
        link = doc.links[i]
        assert src[link.start:link.end] == f"[page {i}](/p{i}/)"


def test_lone_carriage_returns_end_lines_code_blocks_included():
    # Old Mac files: a fence or an indented block must not swallow the rest.
    for src in ("x\r\r~~~\rcode\r~~~\r\rHello world\r", "    code\r\rHello world\r\r- a\r"):
        doc = parse(src)
        code = next(b for b in doc.blocks if b.kind == "code")
        assert code.text == "code\n"
        hello = next(b for b in doc.blocks if b.text == "Hello world")
        assert src[hello.start:hello.end] == "Hello world"


def test_undecodable_byte_inside_a_list_item_is_placed():
    src = "- caf\udce9 au lait\n"
    block, = parse(src).blocks
    assert block.start == 2 and src[block.start:block.end] == "caf\udce9 au lait"


@pytest.mark.parametrize("src, dest", [
    ("[a\n](https://example.org/u)", "https://example.org/u"),          # text ends with a line break
    ("![a [b](c) d](img/i.png)", "img/i.png"),                       # a link inside the alt text
    ("![a\\]b](img/i.png)", "img/i.png"),                             # an escaped bracket in the alt text
    ("[z](/p?a=1&amp;b=2)", "/p?a=1&amp;b=2"),                        # an entity: the span is as written
])
def test_destination_spans_are_the_destination_as_written(src, dest):
    link = parse(src + "\n").links[-1]
    assert src[link.url_start:link.url_end] == dest


def test_no_destination_span_rather_than_a_wrong_one():
    # In a block quote the destination's line starts with "> ": we do not
    # guess; `links --fix` then leaves the link alone.
    link, = parse("> [next line](\n> https://example.org/u)\n").links
    assert link.url == "https://example.org/u"
    assert (link.url_start, link.url_end) == (-1, -1)


def test_image_alt_text_keeps_the_space_of_a_line_break():
    image, = parse("![chest\nx-ray](i.png)\n").links
    assert image.text == "chest x-ray"
