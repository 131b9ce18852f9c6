"""Every per-document step must be linear (or n log n): a page four times
larger may take about four times longer, never sixteen. Each shape below
once took quadratic time (or blew the recursion limit) somewhere in the
pipeline; it is checked at two sizes and the CPU times compared.

The 2 MB figures (a page of links, one long paragraph) come from
``benchmarks/big_files.py``.
"""
from __future__ import annotations

import os
import time
import tracemalloc

import pytest

from .harness import checker

SMALL = 24_000
LARGE = 4 * SMALL
# Linear growth is 4x; allow 8x, plus a constant for timer noise on fast
# shapes. A quadratic step (16x) on a shape that takes a second fails.
GROWTH = 8.0
NOISE_SECONDS = 0.4
# Peak Python memory while checking, per byte of input.
MEMORY_PER_BYTE = 600

SHAPES = {
    # The two pages: all links, and one long paragraph.
    "md-links-paragraph": (".md", "[source {i}](https://site{i}.example.org/a/{i}) "),
    "md-long-paragraph": (".md", "The patient should see a doctor if the pain gets worse. Fever e.g. a rash {i}. "),
    "md-list-of-links": (".md", "- [guide {i}](https://example.org/page/{i}) about pain.\n"),
    "html-links-paragraph": (".html", "<a href=\"https://site{i}.example.org/a/{i}\">source {i}</a> and "),
    "html-long-paragraph": (".html", "The patient should see a doctor if the pain gets worse. Fever {i}. "),
    "txt-long-paragraph": (".txt", "The patient should see a doctor if the pain gets worse. Fever {i}. "),
    # Markup that made regexes or stacks rescan the rest of the page.
    "md-unclosed-comments": (".md", "<!-- a {i} "),
    "md-lines-open-bracket": (".md", "[a {i}\n"),
    "md-html-blocks": (".md", "<div>text {i}</div>\n\n"),
    "md-sentence-dots": (".md", "e.g. a. U.S. b {i} "),
    "md-urls-in-text": (".md", "see www.nhs.uk/a{i} and https://cdc.gov/b{i} "),
    "html-deep-divs": (".html", "<div>"),
    "html-deep-spans": (".html", "<span>x "),
    "html-tags-without-end": (".html", "<a <b {i} "),
    "html-open-comments": (".html", "<!-- a {i} "),
    "html-unclosed-paragraphs": (".html", "<p>a {i} "),
    "html-pre-blocks": (".html", "<pre>a {i}</pre>"),
    "md-deep-quotes": (".md", "> "),
    "md-code-fences": (".md", "```\nx {i}\n```\n"),
    "html-unclosed-scripts": (".html", "<script a {i} "),
    "md-emphasis-runs": (".md", "*_"),
}

# Known quadratic steps outside the parsers, with their minimal example;
# each mark goes when the owning fix lands.
KNOWN_SLOW = {
}


def _page(unit: str, size: int) -> bytes:
    parts, n, i = [], 0, 0
    while n < size:
        piece = unit.format(i=i)
        parts.append(piece)
        n += len(piece)
        i += 1
    text = "".join(parts)
    if unit.startswith(("<div>", "<span>")):
        text += "deep text."
    return text.encode()


def _cpu_seconds(data: bytes, suffix: str, folder) -> float:
    path = os.path.join(folder, "page" + suffix)
    with open(path, "wb") as fh:
        fh.write(data)
    start = time.process_time()
    checker().check_file(path, path)
    return time.process_time() - start


@pytest.mark.parametrize("shape", [pytest.param(name, marks=KNOWN_SLOW[name]) if name in KNOWN_SLOW else name
                                   for name in SHAPES])
def test_time_grows_linearly(shape, tmp_path):
    suffix, unit = SHAPES[shape]
    small = _cpu_seconds(_page(unit, SMALL), suffix, tmp_path)
    large = _cpu_seconds(_page(unit, LARGE), suffix, tmp_path)
    assert large < NOISE_SECONDS + GROWTH * small, f"{shape}: {small:.2f} s at {SMALL // 1000} KB, {large:.2f} s at {LARGE // 1000} KB"


@pytest.mark.parametrize("shape", ["md-links-paragraph", "md-long-paragraph", "html-deep-divs"])
def test_memory_bounded_per_byte(shape, tmp_path):
    suffix, unit = SHAPES[shape]
    data = _page(unit, LARGE)
    path = os.path.join(tmp_path, "page" + suffix)
    with open(path, "wb") as fh:
        fh.write(data)
    checker()  # word lists are not part of the page's cost
    tracemalloc.start()
    try:
        checker().check_file(path, path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < MEMORY_PER_BYTE * len(data), f"{shape}: peak {peak / 1e6:.1f} MB for {len(data) / 1e3:.0f} KB"
