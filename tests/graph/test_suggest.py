""""Did you mean": the page a broken internal link most likely meant, on a
site of thousands of pages in one folder (issue 13: difflib's scan was
quadratic there; rapidfuzz ranks the same way in C)."""
from __future__ import annotations

from health_lint.graph.resolve import close_matches, nearest_anchors

from .conftest import page


def test_close_matches_ranks_by_similarity_then_common_beginning():
    names = ["back-pain-134", "back-pain-348", "neck-pain", "sciatica"]
    # Equal similarity: the name sharing the longer beginning wins.
    assert close_matches("back-pain-34x", names, 1, 0.6) == ["back-pain-348"]
    assert close_matches("back-pian", ["back-pain", "back-pay"], 2, 0.6) == ["back-pain", "back-pay"]
    assert close_matches("appendicitis", names, 1, 0.75) == []


def test_nearest_anchors_case_variant_first_then_close_spellings():
    anchors = ["causes", "when-to-see-a-doctor", "what-helps", "what-to-expect"]
    assert nearest_anchors("When-To-See-A-Doctor", anchors)[0] == "when-to-see-a-doctor"
    assert nearest_anchors("what-help", anchors)[0] == "what-helps"
    assert nearest_anchors("zzz", []) == []


def test_suggestions_on_a_flat_site_of_3000_pages(tree):
    files = {f"posts/{topic}-{i}.md": page(f"{topic} {i}")
             for i in range(750) for topic in ("back-pain", "neck-pain", "knee-pain", "sleep")}
    files["index.md"] = page("Home", "[typo](/posts/back-pian-17/) [renamed](/posts/knee-pain-512-guide/) "
                                     "[moved](/archive/sleep-42/) [gone](/posts/appendicitis/)")
    t = tree(files)
    msgs = [f.message for f in t.of("links/broken-internal")]
    assert len(msgs) == 4
    assert "Did you mean /posts/back-pain-17/" in msgs[0]
    assert "Did you mean /posts/knee-pain-512/" in msgs[1]
    assert "Did you mean /posts/sleep-42/" in msgs[2]
    assert "Did you mean" not in msgs[3]
