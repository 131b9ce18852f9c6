"""Issue 13: start-up and per-finding costs that do not show in a rule's
output but in every run's time."""
from __future__ import annotations

import subprocess
import sys

from health_lint.findings import Finding, project_path

from .conftest import FRONT, ROOT


def test_check_on_a_folder_builds_the_graph_without_networkx(tmp_path):
    (tmp_path / "content").mkdir()
    (tmp_path / "content" / "index.md").write_text(FRONT + "# Home\n\nSee [back pain](back-pain.md).\n")
    (tmp_path / "content" / "back-pain.md").write_text(FRONT + "# Back pain\n\nSee [home](index.md) and "
                                                       "[gone](/guides/neck-pian/).\n")
    code = ("import sys\nfrom health_lint.cli import main\n"
            "try:\n    main(['check', 'content', '-f', 'json'])\nexcept SystemExit:\n    pass\n"
            "print('networkx' in sys.modules, file=sys.stderr)\n")
    proc = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True,
                          env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})
    assert '"links/broken-internal"' in proc.stdout, proc.stderr  # the graph rules ran
    assert proc.stderr.strip().splitlines()[-1] == "False"


def test_fingerprint_paths_follow_the_current_folder(tmp_path, monkeypatch):
    """Paths are memoised per (path, root, current folder): changing folder
    must not reuse a stale answer."""
    (tmp_path / "site" / "a").mkdir(parents=True)
    f = Finding(path="a/x.md", line=1, column=1, end_line=1, end_column=1, rule="r/x", severity="error",
                message="m", snippet="s")
    monkeypatch.chdir(tmp_path / "site")
    first = project_path("a/x.md", tmp_path)
    fp_site = f.fingerprint(tmp_path)
    monkeypatch.chdir(tmp_path)
    assert first == "site/a/x.md" and project_path("a/x.md", tmp_path) == "a/x.md"
    assert f.fingerprint(tmp_path) != fp_site
    assert project_path(str(tmp_path / "site" / "a" / "x.md"), tmp_path) == "site/a/x.md"
    assert project_path("https://example.org/a", tmp_path) == "https://example.org/a"


def test_kept_documents_pack_their_source_and_keep_positions():
    """A kept document (held for the link-graph rules) stores its source
    compressed, yet gives the same text, line:column and snippets, survives
    pickling (the graph cache, worker results) and keeps undecodable bytes."""
    import pickle

    from health_lint import parsers
    from health_lint.document import KeptDocument, keep

    text = FRONT + "# Back pain\n\nSee [gone](/guides/neck-pian/).\n\n\u00e9 caf\u00e9 \udce9 end\n"
    doc = parsers.parse(text, "back-pain.md", "markdown", None)
    link_start = doc.links[0].start
    expected = (doc.source, doc.position(link_start), doc.position(len(doc.source)))
    kept = keep(doc)
    assert type(kept) is KeptDocument and "source" not in vars(kept)
    assert (kept.source, kept.position(link_start), kept.position(len(kept.source))) == expected
    again = pickle.loads(pickle.dumps(kept))
    assert again.source == expected[0] and again.links[0].url == "/guides/neck-pian/"
    # Text and line starts are held for the last page asked about only:
    # asking about two pages in turn gives each its own positions.
    other = parsers.parse("# Other\r\n\r\nline three\rline four\n", "other.md", "markdown", None)
    other_expected = [other.position(o) for o in range(len(other.source) + 1)]
    other = keep(other)
    for _ in range(2):
        assert [other.position(o) for o in range(len(other.source) + 1)] == other_expected
        assert kept.position(link_start) == expected[1]


def test_parallel_and_serial_runs_agree_on_a_site(tmp_path, monkeypatch):
    """Workers send results in small chunks and the main process lets go of
    the word tables before the graph rules: the findings are the same as a
    one-process run's."""
    import os

    from health_lint import config as config_mod, linter
    from health_lint.document import KeptDocument
    from health_lint.linter import MAX_CHUNK, lint

    site = tmp_path / "site"
    site.mkdir()
    for i in range(3 * MAX_CHUNK + 5):
        nxt = f"page-{i + 1}.md" if i % 7 else "page-missing.md#nowhere"
        # Suppression comments travel with a page's kept document: one
        # silences a graph finding, one is unused (judged after the graph).
        comment = ("<!-- health-lint-disable-next-line links/broken-internal -->\n" if i % 14 == 0 else
                   "<!-- health-lint-disable-next-line claims/overpromise -->\n" if i % 5 == 0 else "")
        (site / f"page-{i}.md").write_text(FRONT + f"# Page {i}\n\n{comment}A recieve of page {i}: see [next]({nxt}).\n")
    cfg = config_mod.load(None, site)
    serial = lint([str(site)], cfg, jobs=1)
    parallel = lint([str(site)], cfg, jobs=2)
    key = [(f.path, f.line, f.column, f.rule, f.message, f.snippet) for f in serial.findings]
    assert key == [(f.path, f.line, f.column, f.rule, f.message, f.snippet) for f in parallel.findings]
    assert {"links/broken-internal", "spelling/unknown-word", "suppression/unused"} <= {f.rule for f in serial.findings}
    assert serial.suppressed == parallel.suppressed > 0
    assert "page-0.md" not in {f.path for f in serial.findings if f.rule == "links/broken-internal"}
    assert os.cpu_count() and parallel.files == serial.files
    # A small run keeps pages as they are; a large one packs their source.
    # Either way the graph findings (with their snippets) are the same.
    assert not any(isinstance(d, KeptDocument) for d in parallel.documents)
    monkeypatch.setattr(linter, "PACK_KEPT_FROM", 10)
    for jobs in (1, 2):
        packed = lint([str(site)], cfg, jobs=jobs)
        assert all(isinstance(d, KeptDocument) for d in packed.documents)
        assert [(f.path, f.line, f.column, f.rule, f.message, f.snippet) for f in packed.findings] == key
        assert packed.suppressed == serial.suppressed


def test_word_blob_lookups_agree_with_a_set():
    """The general word list answers by binary search over its sorted lines
    until it has been asked often enough to be worth a set: both ways give
    the same answers, first and last words, absent words and '' included."""
    from health_lint.spelling import WordBlob

    words = ["abdominal", "Achilles", "bursitis", "COVID", "ear", "earache", "earwax", "zygote", "ölfactory"]
    probes = words + ["", "a", "ea", "earach", "earaches", "zz", "achilles", "covid", "bursiti", "zygotes"]
    blob = WordBlob(words)
    before = [(blob.has_lower(p), blob.has_exact(p)) for p in probes]
    blob.prepare_set()
    after = [(blob.has_lower(p), blob.has_exact(p)) for p in probes]
    expected = [(p in words and p == p.lower() and p != "", p in words and p != p.lower()) for p in probes]
    assert before == after == expected


def test_tokens_skip_every_kind_of_url_the_url_pattern_knows():
    """Blocks are tokenised without the URL regex only when they hold none
    of the substrings a URL needs: a URL without a dot is still skipped."""
    from health_lint.text import tokens

    words = lambda s: [t.text for t in tokens(s)]  # noqa: E731
    assert words("see http://localhost:8000/x now") == ["see", "now"]
    assert words("mail help@nhs.uk or visit WWW.NHS.UK today") == ["mail", "or", "visit", "today"]
    assert words("Rest, then walk. Call 111.") == ["Rest", "then", "walk", "Call", "111"]


def test_loading_turns_the_collector_off_then_freezes_what_was_loaded():
    """Loading the run's tables is not interrupted by collections; what was
    loaded is frozen afterwards and the collector's state is restored."""
    import gc

    from health_lint.collector import paused

    assert gc.isenabled()
    try:
        with paused():
            assert not gc.isenabled()
            kept = [[i] for i in range(1000)]  # tracked containers, loaded "for the run"
        assert gc.isenabled()
        assert gc.get_freeze_count() >= len(kept)
        gc.disable()
        with paused():
            pass
        assert not gc.isenabled()  # a caller that had it off keeps it off
    finally:
        gc.enable()
        gc.unfreeze()


def test_warm_builds_the_lookup_structures_a_run_of_that_size_needs():
    """Before forking, the dictionary's lookup dict is always built (spelling
    suggestions); the tables consulted once per distinct word only when each
    worker will check enough files to make binary searches dearer."""
    from health_lint import config, readability, spelling
    from health_lint.linter import WARM_ALL_TABLES_FROM, Checker
    from health_lint.packs import load as load_packs

    def fresh_tables():
        spelling.english_frequencies.cache_clear()
        spelling.english_zipf.cache_clear()
        readability.syllable_table.cache_clear()
        load_packs.cache_clear()

    try:
        fresh_tables()
        checker = Checker(config.load(None))
        checker.warm(files_per_worker=100)
        general = spelling.vocabulary(checker.context.packs).general
        assert spelling.english_frequencies()._dict is not None
        assert readability.syllable_table()._dict is None
        assert spelling.english_zipf()._dict is None
        assert general._lower_set is None
        fresh_tables()
        checker = Checker(config.load(None))
        checker.warm(files_per_worker=WARM_ALL_TABLES_FROM)
        assert readability.syllable_table()._dict is not None
        assert spelling.english_zipf()._dict is not None
        assert spelling.vocabulary(checker.context.packs).general._lower_set is not None
    finally:
        fresh_tables()


def test_directive_scan_runs_only_on_pages_that_can_hold_a_directive(monkeypatch):
    """A page whose source never says ``<!-- health-lint`` (in any case)
    skips the comment scan; one that does is scanned, and only its real
    comments count, as before."""
    from health_lint import parsers, suppression

    scanned = []
    real = suppression.real_comments
    monkeypatch.setattr(suppression, "real_comments", lambda doc: scanned.append(doc.path) or real(doc))

    def directives(name, text):
        return suppression.parse_directives(parsers.parse(text, name, "markdown"))

    assert directives("plain.md", "# T\n\n<!-- a note -->\n\nSee `health-lint` and [x](y \"health-lint\").\n") == []
    # The marker in front matter only: not a comment of the body either.
    assert directives("front.md", "---\nnote: <!-- health-lint-disable -->\n---\n# T\n\nText.\n") == []
    assert scanned == []
    # In a link title: scanned, but not a real comment (a hidden directive).
    assert directives("title.md", '# T\n\n[x](y "<!-- health-lint-disable -->")\n') == []
    found = directives("real.md", "# T\n\n<!-- Health-Lint-disable-next-line claims/overpromise -->\nText.\n")
    assert scanned == ["title.md", "real.md"]
    assert [(d.action, d.line) for d in found] == [("invalid", 3)]  # directives are lower case
    found = directives("ok.md", "# T\n\n<!-- health-lint-disable-next-line claims/overpromise -->\nText.\n")
    assert [(d.action, d.rules, d.line) for d in found] == [("disable-next-line", ["claims/overpromise"], 3)]


def test_health_word_count_stops_once_it_has_enough():
    from health_lint import packs as pack_mod
    from health_lint.rules.links_no_authoritative_source import health_word_count
    from health_lint.text import tokens

    packs = pack_mod.load(())  # the built-in packs
    blocks = [tokens("Ask a doctor about high blood pressure."), tokens("Plain words here."),
              tokens("Symptoms of a stroke need a doctor and a nurse.")]
    full = health_word_count(packs, blocks)
    assert full >= 5
    assert health_word_count(packs, blocks, enough=full + 1) == full  # never reached: the whole count
    stopped = health_word_count(packs, blocks, enough=2)
    assert 2 <= stopped < full  # counting stopped after the block that reached 2
