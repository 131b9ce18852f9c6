"""Every graph rule's true and false positives, and slug rules for anchors."""
from __future__ import annotations

import pytest

from health_lint.document import slugify

from .conftest import page


@pytest.mark.parametrize("heading, slug", [
    ("When to see a doctor", "when-to-see-a-doctor"),
    ("What's causing it? (and why)", "whats-causing-it-and-why"),
    ("Back pain: 5 myths", "back-pain-5-myths"),
    ("Rückenschmerzen über 50", "rückenschmerzen-über-50"),
    ("Dolor de espalda — qué hacer", "dolor-de-espalda--qué-hacer"),
    ("🚑 Emergency signs", "-emergency-signs"),
    ("Heat & ice 🔥🧊", "heat--ice-"),
    ("snake_case and-hyphens", "snake_case-and-hyphens"),
    # Spacing (Mc) and non-spacing (Mn) vowel signs are kept, as on GitHub.
    ("पीठ दर्द", "पीठ-दर्द"),  # Devanagari: ी is Mc
    ("कमर दर्द के कारण", "कमर-दर्द-के-कारण"),
    ("முதுகு வலி", "முதுகு-வலி"),  # Tamil: ு is Mc
    ("தலைவலி: காரணங்கள்", "தலைவலி-காரணங்கள்"),
    ("a\u20dd circled", "a\u20dd-circled"),  # enclosing mark (Me)
    ("tie\u2040it", "tie\u2040it"),  # connector punctuation (Pc) other than _
])
def test_slugs(heading, slug):
    assert slugify(heading) == slug


def test_slug_collisions_skip_taken_suffixes():
    """github-slugger: a suffixed slug already used by a heading is skipped."""
    seen: dict = {}
    assert [slugify(h, seen) for h in ["Causes", "Causes-1", "Causes", "Causes", "Causes 1"]] == \
        ["causes", "causes-1", "causes-2", "causes-3", "causes-1-1"]
    seen = {}
    assert [slugify(h, seen) for h in ["FAQ", "FAQ", "FAQ-1"]] == ["faq", "faq-1", "faq-1-1"]


def test_heading_named_like_a_suffix_does_not_collide(tree):
    t = tree({"a.md": page("A", "## Causes\n\n## Causes-1\n\n## Causes\n\n## पीठ दर्द"),
              "b.md": page("B", "[1](a.md#causes-2) [2](a.md#causes-1) [3](a.md#पीठ-दर्द) [4](a.md#causes-3)")})
    assert {"causes", "causes-1", "causes-2", "पीठ-दर्द"} <= t.documents[t.index("a.md")].anchors
    assert [f.data["fragment"] for f in t.of("links/missing-anchor")] == ["causes-3"]


def test_unicode_anchor_messages_are_decoded(tree):
    t = tree({"a.md": page("A", "## पीठ दर्द\n\n[x](#%E0%A4%AA%E0%A5%80%E0%A4%A0) [y](#पीठ) [ok](#पीठ-दर्द) "
                                "[ok2](#%E0%A4%AA%E0%A5%80%E0%A4%A0-%E0%A4%A6%E0%A4%B0%E0%A5%8D%E0%A4%A6)")})
    missing = t.of("links/missing-anchor")
    assert len(missing) == 2  # the Devanagari heading's real slug resolves, encoded or not
    for f in missing:
        assert "→ #पीठ: this page has no anchor #पीठ. Nearest anchors: #पीठ-दर्द" in f.message, f.message
        assert "%E0" not in f.message


def test_shown_url():
    from health_lint.graph import shown_url

    assert shown_url("b.md#%E0%A4%AA") == "b.md#प"
    assert shown_url("a%20b.md") == "a b.md"
    assert shown_url("bad%FF.md") == "bad%FF.md"  # not UTF-8: as written
    assert shown_url("ctl%0A.md") == "ctl%0A.md"  # unprintable: as written


def test_duplicate_heading_slugs_and_anchor_checks(tree):
    body = """
    ## Causes

    One.

    ## Causes

    Two.

    ## Causes

    Three.

    ## 🚑 Emergency signs

    ## Rückenschmerzen über 50

    ## Custom heading {#my-id}
    """
    t = tree({"a.md": page("A", body),
              "b.md": page("B", "[1](a.md#causes) [2](a.md#causes-1) [3](a.md#causes-2) [4](a.md#causes-3) "
                                "[5](a.md#-emergency-signs) [6](a.md#r%C3%BCckenschmerzen-%C3%BCber-50) "
                                "[7](a.md#my-id) [8](a.md#Causes) [9](a.md#emergency-signs)")})
    missing = t.of("links/missing-anchor")
    assert sorted(f.data["fragment"] for f in missing) == ["Causes", "causes-3", "emergency-signs"]
    by = {f.data["fragment"]: f for f in missing}
    assert by["Causes"].data["nearest"][0] == "causes"
    assert "#-emergency-signs" in by["emergency-signs"].message
    assert all(f.severity == "error" for f in missing)


def test_missing_anchor_position_and_same_page(tree):
    t = tree({"a.md": page("A", "## What helps\n\nJump to [help](#what-help) or [help](#what-helps).")})
    (f,) = t.of("links/missing-anchor")
    doc = t.documents[0]
    assert doc.source.splitlines()[f.line - 1][f.column - 1:].startswith("#what-help)")
    assert "this page has no anchor #what-help" in f.message and "#what-helps" in f.message


def test_broken_internal(tree):
    t = tree({"index.md": page("Home", "[Back](guides/back-pain.md) [typo](guides/back-pian.md) "
                                       "[root](/guides/back-pain-relief/) [gone](/conditions/appendicitis/) "
                                       "![x-ray](img/xray.png) [ext](https://www.nhs.uk/missing) [mail](mailto:a@b.c)"),
              "guides/back-pain.md": page("Back pain", "[Home](../index.md)")})
    broken = t.of("links/broken-internal")
    assert [f.data["url"] for f in broken] == ["guides/back-pian.md", "/guides/back-pain-relief/",
                                               "/conditions/appendicitis/", "img/xray.png"]
    msgs = [f.message for f in broken]
    assert "Did you mean guides/back-pain.md?" in msgs[0]
    assert "Did you mean /guides/back-pain/" in msgs[1]
    assert "Did you mean" not in msgs[2]
    assert msgs[3].startswith("Broken internal image")
    assert all(f.severity == "error" for f in broken)


def test_broken_internal_images_option(tree):
    t = tree({"index.md": page("Home", "![x-ray](img/xray.png)")})
    t.config.rules = {"links/broken-internal": {"include-images": False}}
    from health_lint.linter import run_project_rules

    findings, _ = run_project_rules(t.documents, t.config)
    assert not [f for f in findings if f.rule == "links/broken-internal"]


def test_orphans_and_entry_pages(tree):
    files = {"index.md": page("Home", "[Hub](back-pain/index.md)"),
             "about.md": page("About", "[Home](index.md)"),
             "back-pain/index.md": page("Back pain", "[Sciatica](sciatica.md) [Home](../index.md)"),
             "back-pain/sciatica.md": page("Sciatica", "[Hub](index.md) [Me](sciatica.md)"),
             "back-pain/posture.md": page("Posture", "[Hub](index.md)")}
    t = tree(files)
    # Entry pages: the home page and section index pages. A top-level page
    # nothing links to (about.md) is an orphan too; a self-link does not count.
    assert t.paths("graph/orphan") == ["about.md", "back-pain/posture.md"]
    assert sorted(t.rel(p) for p in t.graph.summary()["entry_pages"]) == ["back-pain/index.md", "index.md"]
    f = t.of("graph/orphan")[1]
    assert f.severity == "warning" and f.line == 1 and '"Posture"' in f.message
    # Configured entry pages replace the defaults.
    t = tree(files, graph={"entry-pages": ["/", "back-pain/posture.md"]})
    assert t.paths("graph/orphan") == ["about.md"]


def test_top_level_pages_are_not_entry_pages(tree):
    """A top-level page nothing links to is an orphan, and depth counts from
    the home page, not from every top-level page."""
    t = tree({"index.md": page("Home", "[A](guides/a.md)"), "guides/a.md": page("A", "[Home](../index.md)"),
              "flu.md": page("Flu", "[Home](index.md)"), "covid.md": page("Covid", "[Flu](flu.md)")})
    assert t.paths("graph/orphan") == ["covid.md"]
    s = t.graph.summary()
    assert [t.rel(p) for p in s["entry_pages"]] == ["index.md"]
    assert s["depth_histogram"] == {"0": 1, "1": 1} and s["unreached"] == 2
    assert sorted(t.rel(f.path) for f in t.of("graph/deep")) == ["flu.md"]  # reached only from the orphan


def test_home_page_by_permalink_is_an_entry_page(tree):
    t = tree({"home.md": page("Home", "[A](a.md)", permalink="/"), "a.md": page("A", "[Home](home.md)"),
              "b.md": page("B", "[A](a.md)")})
    assert [t.rel(p) for p in t.graph.summary()["entry_pages"]] == ["home.md"]
    assert t.paths("graph/orphan") == ["b.md"]


def test_flat_folder_pages_are_not_all_entries(tree):
    t = tree({"a.md": page("A", "[B](b.md)"), "b.md": page("B", "[A](a.md)"), "c.md": page("C", "[A](a.md)")})
    assert t.paths("graph/orphan") == ["c.md"]
    assert not t.of("graph/deep")  # no entry page: depth is not measured


def test_dead_end(tree):
    t = tree({"index.md": page("Home", "[A](a.md) [B](b.md)"),
              "a.md": page("A", "[NHS](https://www.nhs.uk/) [self](a.md) [broken](nope.md) ![img](/x.png)"),
              "b.md": page("B", "[Home](index.md)")})
    assert t.paths("graph/dead-end") == ["a.md"]
    assert t.of("graph/dead-end")[0].severity == "info"


def test_deep_and_unreachable(tree):
    files = {"index.md": page("Home", "[A](a.md)"), "a.md": page("A", "[B](b.md)"), "b.md": page("B", "[C](c.md)"),
             "c.md": page("C", "[D](d.md)"), "d.md": page("D", "[Home](index.md)"),
             "x/orphan.md": page("Orphan", "[Island](island.md)"), "x/island.md": page("Island", "[Home](../index.md)")}
    t = tree(files, graph={"entry-pages": ["index.md"]})
    deep = t.of("graph/deep")
    assert sorted(t.rel(f.path) for f in deep) == ["d.md", "x/island.md"]
    d = next(f for f in deep if f.path.endswith("d.md"))
    assert "4 clicks" in d.message and "(limit 3)" in d.message and d.message.count("→") == 4
    assert t.paths("graph/orphan") == ["x/orphan.md"]
    t = tree(files, graph={"entry-pages": ["index.md"], "max-depth": 4})
    assert [t.rel(f.path) for f in t.of("graph/deep")] == ["x/island.md"]


def test_duplicate_links(tree):
    t = tree({"index.md": page("Home", "Read about [back pain](back.md) first, then [again](/back/) and [in HTML](back.html). "
                                       "It has sections on [causes](back.md#a) and [treatment](back.md#b). "
                                       "The [NHS page](https://www.nhs.uk/back/) and [the NHS page again](https://nhs.uk/back) "
                                       "and [another one](https://www.nhs.uk/other/) help too. ![i](/x.png) ![i](/x.png)"),
              "back.md": page("Back", "## A\n\n## B\n\n[Home](index.md)")})
    dups = t.of("links/duplicate")
    targets = [f.data["target"] for f in dups]
    assert [t_.endswith("content/back.md") for t_ in targets] == [True, True, False]
    assert targets[2] == "https://nhs.uk/back"
    assert all(f.severity == "info" for f in dups)
    assert "already linked on line" in dups[0].message
    t.config.rules = {"links/duplicate": {"include-external": False}}
    from health_lint.graph import clear_cache
    from health_lint.linter import run_project_rules

    findings, _ = run_project_rules(t.documents, t.config)
    assert len([f for f in findings if f.rule == "links/duplicate"]) == 2


def test_self_links(tree):
    t = tree({"index.md": page("Home", "[A](a.md)"),
              "a.md": page("A", "## Treatments\n\nThis is [me](a.md) and [me too](/a/); see [jump](#treatments) and "
                                "[jump2](a.md#treatments) or go [home](index.md).")})
    selfs = t.of("links/self")
    assert [f.data["url"] for f in selfs] == ["a.md", "/a/"]
    # The two self-links are not also reported as duplicates; the two jumps to
    # the same section are.
    (dup,) = t.of("links/duplicate")
    assert dup.data["target"].endswith("a.md#treatments")


def test_suppression_comment_applies_to_graph_findings(tree):
    t = tree({"index.md": page("Home", "<!-- health-lint-disable-next-line links/broken-internal -->\n[x](nope.md)\n\n[y](gone.md)")})
    assert [f.data["url"] for f in t.of("links/broken-internal")] == ["gone.md"]
    assert t.suppressed == 1


def test_graph_built_once_per_run(tree, monkeypatch):
    import importlib

    from health_lint.linter import run_project_rules

    build_mod = importlib.import_module("health_lint.graph.build")

    t = tree({"index.md": page("Home", "[A](a.md)"), "a.md": page("A")})
    calls = []
    real = build_mod.build
    monkeypatch.setattr(build_mod, "build", lambda *a, **k: calls.append(1) or real(*a, **k))
    build_mod.clear_cache()
    run_project_rules(t.documents, t.config)
    assert len(calls) == 1
