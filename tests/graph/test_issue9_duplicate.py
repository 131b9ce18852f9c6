"""Issue 9, links/duplicate: lists of links repeat a page on purpose (a
resource list or table, a menu, a "Related" block); running text that links
a page twice is still reported, in Markdown and HTML, by `check` and `graph`."""
from __future__ import annotations

from .conftest import page

OTHER = {"sprains.md": page("Sprains", "Back to [the home page](index.md) for more."),
         "fractures.md": page("Fractures", "Back to [the home page](index.md) for more.")}


def dup_lines(t, rel="index.md") -> list[int]:
    return sorted(f.line for f in t.of("links/duplicate") if t.rel(f.path) == rel)


def test_resource_list_and_table_repeat_a_page(tree):
    body = """
    Most sprains get better in a few weeks.

    - [Sprains](sprains.md): how to rest and ice a joint
    - [Sprains](sprains.md#exercises): exercises
    - [Broken bones](fractures.md): when it is more than a sprain
    - [Sprains and children](sprains.md): what is different for children

    | Service | Page |
    | --- | --- |
    | Self care | [Sprains](sprains.md) |
    | Urgent care | [Broken bones](fractures.md) |
    | Physiotherapy | [Sprains](sprains.md) |
    """
    t = tree({"index.md": page("Injuries", body), **OTHER})
    assert dup_lines(t) == []


def test_link_only_blocks_and_related_sections(tree):
    body = """
    [Sprains](sprains.md) · [Broken bones](fractures.md) · [Sprains again](sprains.md)

    Rest the joint for a day or two.

    ## Related pages

    You may also want to read about [sprains](sprains.md), which most people get at some point, and about
    [broken bones](fractures.md), which need an X-ray, and [sprains in children](sprains.md).
    """
    t = tree({"index.md": page("Injuries", body), **OTHER})
    assert dup_lines(t) == []


def test_running_text_duplicates_still_reported(tree):
    body = """
    Most [sprains](sprains.md) heal within six weeks if you rest the joint.

    If the pain does not ease, read our advice on [sprains](sprains.md) again or ask a pharmacist.

    - Ice the joint for 20 minutes, as the [sprains page](sprains.md) explains, every few hours.
    """
    t = tree({"index.md": page("Injuries", body), **OTHER})
    assert len(dup_lines(t)) == 2


def test_running_text_after_a_resource_list_is_compared_with_text_only(tree):
    body = """
    - [Sprains](sprains.md)
    - [Broken bones](fractures.md)

    Most [sprains](sprains.md) heal within six weeks if you rest the joint.
    """
    t = tree({"index.md": page("Injuries", body), **OTHER})
    assert dup_lines(t) == []


def test_html_card_grid_and_prose(tree):
    html = """<!doctype html><html><head><title>Injuries</title></head><body><main>
<h1>Injuries</h1>
<p>Most <a href="sprains.md">sprains</a> heal within six weeks. Read about <a href="sprains.md">sprains</a> first.</p>
<ul>
<li><a href="sprains.md">Sprains</a></li>
<li><a href="fractures.md">Broken bones</a></li>
<li><a href="sprains.md">Sprains in sport</a></li>
</ul>
<table><tr><td><a href="sprains.md">Sprains</a></td><td><a href="sprains.md">More on sprains</a></td></tr></table>
</main></body></html>
"""
    t = tree({"index.html": html, **OTHER})
    assert dup_lines(t, "index.html") == [3]
