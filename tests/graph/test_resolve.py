"""Internal link resolution: every resolution style, and what is not a page."""
from __future__ import annotations

import pytest

from health_lint.graph.resolve import ASSET, BROKEN, EXTERNAL, MISSING_ANCHOR, OK, OUTSIDE, SKIPPED, norm_key

from .conftest import page


@pytest.mark.parametrize("path, key", [
    ("guides/back-pain.md", "/guides/back-pain"),
    ("/guides/back-pain.html", "/guides/back-pain"),
    ("/guides/back-pain/", "/guides/back-pain"),
    ("/guides/back-pain", "/guides/back-pain"),
    ("/guides/index.html", "/guides"),
    ("guides/_index.md", "/guides"),
    ("guides/README.md", "/guides"),
    ("/", "/"),
    ("index.md", "/"),
    ("/a/./b/../c/", "/a/c"),
    ("/back%20pain.md", "/back pain"),
    ("/r%C3%BCcken.html", "/rücken"),
    ("/files/leaflet.pdf", "/files/leaflet.pdf"),
])
def test_norm_key(path, key):
    assert norm_key(path) == key


FILES = {
    "index.md": page("Home", "[Guides](guides/)"),
    "guides/index.md": page("Guides", "x"),
    "guides/back-pain.md": page("Back pain", "## What helps\n\nRest.\n\n## When to see a doctor\n\nSoon."),
    "guides/sciatica.md": page("Sciatica", "x"),
    "guides/back pain tips.md": page("Tips", "x"),
    "guides/rücken.md": page("Rücken", "x"),
    "docs/README.md": page("Docs", "x"),
    "hugo/_index.md": page("Hugo section", "x"),
    "hugo/leaf/index.md": page("Leaf bundle", "x"),
    "renamed.md": page("Renamed", "x", permalink="/conditions/low-back-pain/"),
    "slugged.md": page("Slugged", "x", slug="neck-pain"),
    "moved.md": page("Moved", "x", aliases="[/old/moved-page/]"),
    "files/leaflet.pdf": b"%PDF-1.4\n",
    "about.html": "<html><head><title>About</title></head><body><main><h1 id='top-of-about'>About</h1>"
                  "<p><a name='team'></a>Team</p></main></body></html>",
}


@pytest.fixture
def site(tree):
    return tree(FILES, site={"base-url": "https://example.org/", "domains": ["health.example.com"]})


@pytest.mark.parametrize("source, url, target", [
    # relative to the file
    ("guides/sciatica.md", "back-pain.md", "guides/back-pain.md"),
    ("guides/sciatica.md", "./back-pain.md", "guides/back-pain.md"),
    ("guides/sciatica.md", "../index.md", "index.md"),
    ("index.md", "guides/back-pain.md", "guides/back-pain.md"),
    # .md <-> .html <-> directory, trailing slash
    ("guides/sciatica.md", "back-pain.html", "guides/back-pain.md"),
    ("index.md", "guides/back-pain/", "guides/back-pain.md"),
    ("index.md", "guides/", "guides/index.md"),
    ("index.md", "guides", "guides/index.md"),
    ("index.md", "guides/index.html", "guides/index.md"),
    # relative to the published (pretty) URL /guides/sciatica/
    ("guides/sciatica.md", "../back-pain/", "guides/back-pain.md"),
    # site-root links
    ("index.md", "/guides/back-pain/", "guides/back-pain.md"),
    ("index.md", "/guides/back-pain.html", "guides/back-pain.md"),
    ("index.md", "/", "index.md"),
    ("index.md", "/docs/", "docs/README.md"),
    ("index.md", "/hugo/", "hugo/_index.md"),
    ("index.md", "/hugo/leaf/", "hugo/leaf/index.md"),
    # absolute links to the site's own domains
    ("index.md", "https://example.org/guides/back-pain/", "guides/back-pain.md"),
    ("index.md", "https://www.example.org/guides/back-pain/", "guides/back-pain.md"),
    ("index.md", "http://EXAMPLE.org:443/guides/", "guides/index.md"),
    ("index.md", "https://health.example.com/guides/sciatica", "guides/sciatica.md"),
    ("index.md", "//example.org/guides/sciatica/", "guides/sciatica.md"),
    # URL-encoded names, query strings
    ("guides/sciatica.md", "back%20pain%20tips.md", "guides/back pain tips.md"),
    ("guides/sciatica.md", "r%C3%BCcken.md", "guides/rücken.md"),
    ("guides/sciatica.md", "rücken.md", "guides/rücken.md"),
    ("guides/sciatica.md", "back-pain.md?utm_source=x", "guides/back-pain.md"),
    ("index.md", "/guides/back-pain/?ref=home#what-helps", "guides/back-pain.md"),
    # front matter permalink, slug, aliases
    ("index.md", "/conditions/low-back-pain/", "renamed.md"),
    ("index.md", "renamed.md", "renamed.md"),
    ("index.md", "/neck-pain/", "slugged.md"),
    ("index.md", "/old/moved-page/", "moved.md"),
    # same page
    ("guides/back-pain.md", "#what-helps", "guides/back-pain.md"),
    ("guides/back-pain.md", "?print=1", "guides/back-pain.md"),
    # HTML page
    ("index.md", "about.html#team", "about.html"),
    ("index.md", "/about/#top-of-about", "about.html"),
])
def test_resolves(site, source, url, target):
    res = site.resolve(source, url)
    assert res.status == OK, (url, res)
    assert site.target(source, url) == target


@pytest.mark.parametrize("url, status", [
    ("https://www.nhs.uk/conditions/back-pain/", EXTERNAL),
    ("http://other.example.org/guides/", EXTERNAL),
    ("mailto:editor@example.org", SKIPPED),
    ("tel:+441234567890", SKIPPED),
    ("javascript:void(0)", SKIPPED),
    ("", SKIPPED),
    ("/files/leaflet.pdf", ASSET),
    ("../files/leaflet.pdf", ASSET),
    ("/files/missing.pdf", BROKEN),
    ("back-pian.md", BROKEN),
    ("/guides/back-pain-relief/", BROKEN),
    ("https://example.org/guides/nope/", BROKEN),
    ("back-pain.md#what-help", MISSING_ANCHOR),
    ("back-pain.md#", OK),
    ("back-pain.md#top", OK),
    ("back-pain.md#:~:text=rest", OK),
])
def test_statuses(site, url, status):
    assert site.resolve("guides/sciatica.md", url).status == status


def test_outside_content_root(site, tmp_path):
    (tmp_path / "LICENSE.md").write_text("MIT")
    assert site.resolve("index.md", "../LICENSE.md").status == OUTSIDE
    assert site.resolve("index.md", "../MISSING.md").status == BROKEN


def test_suggestions(site):
    assert site.resolve("guides/sciatica.md", "back-pian.md").suggestion == "guides/back-pain.md"
    assert site.resolve("index.md", "/guides/Back-Pain/").suggestion == "guides/back-pain.md"  # letter case
    assert site.resolve("index.md", "/sciatica/").suggestion == "guides/sciatica.md"  # moved to another folder
    assert site.resolve("index.md", "/guides/appendicitis/").suggestion == ""  # nothing obvious


def test_base_url_path_prefix(tree):
    t = tree({"index.md": page("Home"), "guides/back-pain.md": page("Back pain")},
             site={"base-url": "https://example.org/health/"})
    assert t.target("index.md", "/health/guides/back-pain/") == "guides/back-pain.md"
    assert t.target("index.md", "https://example.org/health/guides/back-pain/") == "guides/back-pain.md"
    assert t.target("index.md", "/guides/back-pain/") == "guides/back-pain.md"


def test_jekyll_posts_and_permalink_styles(tree):
    files = {
        "index.md": page("Home"),
        "_posts/2024-01-05-flu-season.md": page("Flu season", categories="news", date="2024-01-05"),
        # Front matter date wins over the file name's (as in Jekyll).
        "_posts/2023-11-20-hay-fever.md": page("Hay fever", date="2023-11-21"),
    }
    t = tree(files)  # Jekyll's default for posts: /:categories/:year/:month/:day/:title.html
    assert t.target("index.md", "/news/2024/01/05/flu-season.html") == "_posts/2024-01-05-flu-season.md"
    assert t.target("index.md", "/2023/11/21/hay-fever.html") == "_posts/2023-11-20-hay-fever.md"
    t = tree(files, site={"permalink": "pretty"})
    assert t.target("index.md", "/news/2024/01/05/flu-season/") == "_posts/2024-01-05-flu-season.md"
    t = tree(files, site={"permalink": "/blog/:year/:title/"})
    assert t.target("index.md", "/blog/2024/flu-season/") == "_posts/2024-01-05-flu-season.md"
    assert t.resolve("index.md", "/blog/2025/flu-season/").status == BROKEN


def test_hugo_section_slug_pattern(tree):
    t = tree({"_index.md": page("Home"), "conditions/_index.md": page("Conditions"),
              "conditions/asthma.md": page("Asthma in adults", slug="asthma-adults"),
              "conditions/eczema.md": page("Eczema")},
             site={"permalink": "/:section/:slug/"})
    assert t.target("_index.md", "/conditions/asthma-adults/") == "conditions/asthma.md"
    assert t.target("_index.md", "/conditions/eczema/") == "conditions/eczema.md"
    assert t.target("_index.md", "/conditions/") == "conditions/_index.md"


def test_mkdocs_layout(tree):
    t = tree({"index.md": page("Home", "[Setup](setup/install.md)"), "setup/install.md": page("Install", "[Home](../index.md)"),
              "setup/README.md": page("Setup")})
    assert t.target("index.md", "setup/install.md") == "setup/install.md"
    assert t.target("setup/install.md", "../") == "index.md"
    assert t.target("setup/install.md", "./") == "setup/README.md"


def test_static_dir_beside_content(tree, tmp_path):
    static = tmp_path / "static" / "img"
    static.mkdir(parents=True)
    (static / "spine.png").write_bytes(b"\x89PNG")
    t = tree({"index.md": page("Home", "![Spine](/img/spine.png) ![Gone](/img/gone.png)")})
    statuses = [r.resolution.status for r in t.graph.records[t.index("index.md")]]
    assert statuses == [ASSET, BROKEN]
