"""What a run keeps between runs to start fast (issue 13, one article):
compiled regular expressions, compiled pack phrases, the spelling
vocabulary's sets and the source-name alternations (usercache.Memo), and
the common front matter read without PyYAML. Each must give exactly what
building it fresh gives."""
from __future__ import annotations

import json
import os
import pickle
import random
import re
import subprocess
import sys

import pytest

from health_lint import regexcache
from health_lint.parsers import plain_front_matter, yaml_safe
from health_lint.usercache import Memo

from .conftest import FIXTURES, ROOT, run_cli


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("HEALTH_LINT_CACHE_DIR", str(tmp_path / "cache"))
    regexcache.reset()
    yield tmp_path / "cache"
    regexcache.reset()


# -- Memo -------------------------------------------------------------------
def test_memo_keeps_values_between_runs_and_forgets_them_when_its_code_changes(cache, tmp_path):
    code = tmp_path / "builder.py"
    code.write_text("v1")
    built = []

    def build(value):
        built.append(value)
        return value

    memo = Memo("demo", code=(str(code),))
    assert memo.get("a", lambda: build(1)) == 1 and memo.get("a", lambda: build(2)) == 1
    memo.save()
    again = Memo("demo", code=(str(code),))
    assert again.get("a", lambda: build(3)) == 1  # read from the file
    assert built == [1]
    code.write_text("v2, a longer file")  # other code: other values
    changed = Memo("demo", code=(str(code),))
    assert changed.get("a", lambda: build(4)) == 4
    changed.save()
    assert len(list(cache.glob("demo-*.pickle"))) == 1  # the old memo is removed


def test_memo_keeps_its_newest_entries_and_survives_a_broken_or_read_only_folder(cache, tmp_path):
    memo = Memo("bounded", limit=3)
    for i in range(5):
        memo.get(i, lambda i=i: i * 10)
    assert list(memo.entries()) == [2, 3, 4]
    memo.save()
    path = next(cache.glob("bounded-*.pickle"))
    path.write_bytes(b"not a pickle")
    assert Memo("bounded").get(1, lambda: "rebuilt") == "rebuilt"
    blocked = tmp_path / "file-not-folder"
    blocked.write_text("")
    os.environ["HEALTH_LINT_CACHE_DIR"] = str(blocked)
    memo = Memo("bounded")
    assert memo.get(1, lambda: "fine") == "fine"
    memo.save()  # cannot write: no error, only slower next time


def test_a_damaged_memo_is_not_read(cache):
    """A memo's values are used as they are (a pattern's engine code), so a
    file with one byte changed is ignored, not half-trusted."""
    memo = Memo("damaged")
    memo.get("code", lambda: [17, 4, 2, 99])
    memo.save()
    path = next(cache.glob("damaged-*.pickle"))
    raw = bytearray(path.read_bytes())
    assert Memo("damaged").get("code", lambda: "rebuilt") == [17, 4, 2, 99]
    raw[raw.index(b"Kc", 16) + 1] = 98  # the pickled 99 (BININT1 99) becomes 98: still a valid pickle
    assert pickle.loads(bytes(raw[16:]))["code"] == [17, 4, 2, 98]
    path.write_bytes(bytes(raw))
    assert Memo("damaged").get("code", lambda: "rebuilt") == "rebuilt"


def test_memos_of_other_versions_do_not_share_values(cache):
    one, other = Memo("build", version="python A"), Memo("build", version="python B")
    one.get("k", lambda: "from A")
    one.save()
    assert other.get("k", lambda: "from B") == "from B"


# -- compiled regular expressions ------------------------------------------------
PATTERNS = [
    (r"(?P<year>\d{4})-(\d\d)", 0),
    (r"\bcall\s+(?:999|911)\b", re.I),
    (r"^\s*#+\s*(.*)$", re.M),
    (rb"[\x00-\x08]", 0),
    (r"(?<![\w.])(?:NHS(?:\s+England)?|CDC)(?!\w)", 0),
]
TEXTS = ["2024-02 call 999 now\n# Heading\nNHS England said", "Call  911. CDC, nhs", "\x01\x02"]


def test_a_pattern_from_the_memo_is_the_pattern_re_compiles(cache, monkeypatch):
    fresh = [regexcache.compile(p, f) for p, f in PATTERNS]
    assert fresh == [re.compile(p, f) for p, f in PATTERNS]
    regexcache.MEMO.save()
    regexcache.reset()

    def refuse(*args, **kwargs):
        raise AssertionError("compiled again instead of built from the memo")

    monkeypatch.setattr(regexcache.re, "compile", refuse)
    kept = [regexcache.compile(p, f) for p, f in PATTERNS]
    monkeypatch.undo()
    for (pattern, flags), got in zip(PATTERNS, kept):
        want = re.compile(pattern, flags)
        assert got == want and got.groupindex == want.groupindex and got.groups == want.groups
        for text in TEXTS:
            subject = text.encode("latin-1") if isinstance(pattern, bytes) else text
            assert [m.span() for m in got.finditer(subject)] == [m.span() for m in want.finditer(subject)]
            assert [m.groups() for m in got.finditer(subject)] == [m.groups() for m in want.finditer(subject)]


def test_every_pattern_a_run_keeps_is_the_one_re_compiles(cache):
    """The package's own patterns and the packs' name alternations, after a
    real run: each entry of the memo builds a pattern equal to re.compile's."""
    proc = run_cli("check", str(FIXTURES / "articles" / "thoracic-spine-pain.md"), env={"HEALTH_LINT_CACHE_DIR": str(cache)})
    assert proc.returncode in (0, 1), proc.stderr
    code = (
        "import re, _sre\n"
        "from health_lint import regexcache\n"
        "entries = regexcache.MEMO.entries()\n"
        "assert len(entries) > 50, len(entries)\n"
        "bad = [k for k, args in entries.items() if _sre.compile(*args) != re.compile(*k)]\n"
        "print(len(entries), len(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                         env={**os.environ, "HEALTH_LINT_CACHE_DIR": str(cache)})
    assert out.returncode == 0, out.stderr
    assert out.stdout.split()[1] == "0"


def test_a_second_run_finds_the_same_with_every_memo_warm(cache, tmp_path):
    """First run: memos empty (built and written). Second run: every memo
    read. Same findings, same order, same messages. (A few files: a serial
    run, where the main process builds and writes every memo.)"""
    paths = [str(FIXTURES / "articles" / "thoracic-spine-pain.md"), str(FIXTURES / "spelling"),
             str(FIXTURES / "red-flags" / "dev" / "suicide-crisis-us.md")]
    env = {"HEALTH_LINT_CACHE_DIR": str(cache)}
    first = run_cli("check", *paths, "--format", "json", env=env)
    names = sorted(p.name.split("-v")[0] for p in cache.glob("*.pickle"))
    for memo in ("alternations", "phrases", "regex", "vocabulary"):
        assert memo in names, names
    second = run_cli("check", *paths, "--format", "json", env=env)
    assert first.returncode == second.returncode == 1
    assert json.loads(first.stdout)["findings"] == json.loads(second.stdout)["findings"]
    assert json.loads(first.stdout)["findings"]


# -- front matter without PyYAML ------------------------------------------------
COMMON = """title: "Thoracic spine pain: when to worry"
description: Why pain between the shoulder blades happens, and what helps.
author: Dr Li Wei, MD
last_reviewed: 2024-02-10
source_url: https://www.nhs.uk/conditions/back-pain/#when-to-get-help
tags: [back pain, thoracic spine, "self-care"]
aliases:
  - /back/thoracic
  - '/old/thoracic'
"""


def test_common_front_matter_is_read_as_pyyaml_reads_it():
    got = plain_front_matter.read(COMMON)
    assert got is not None
    assert got == yaml_safe.load(COMMON)
    assert got["last_reviewed"] == "2024-02-10" and got["tags"][2] == "self-care"
    assert plain_front_matter.read(COMMON.replace("\n", "\r\n")) == got


@pytest.mark.parametrize("text", [
    "count: 12",                      # a number
    "draft: yes",                     # a YAML 1.1 true
    "draft: off",
    "title: null",
    "title: a: b",                    # a mapping inside a plain value
    "title: Back pain # draft",       # a comment
    "title: 'it''s'",                 # an escaped quote
    'title: "line\\nbreak"',          # an escape
    "author:\n  name: Sam",           # nesting
    "tags: &t [a]\nalso: *t",         # an anchor and alias
    "title: a\ntitle: b",             # a duplicate key
    "tags:",                          # an empty value (null)
    "yes: x",                         # a key YAML reads as true
    "title: x\n\ttabbed: y",
    "title: [a, [b]]",
    "title: \u2028x",
    "# a comment line\ntitle: x",
    "title: |\n  block",
    "title: 2024-02-10T10:00:00",
    "tags: [a?b]",                    # a "?" in a flow list: libyaml and PyYAML's Python loader differ
    "k" * 1025 + ": v",               # a key longer than PyYAML allows
])
def test_other_front_matter_is_left_to_pyyaml(text):
    assert plain_front_matter.read(text) is None


_GOOD = ["Back pain", "Dr X, MD", "https://x.org/a#b", "Don't panic", "say \"hi\" now", "2024-02-10", "Ménière disease",
         "a - b", "a [b] {c}", "x#y", "\"quoted: with colon\"", "'single # not a comment'", "\"\"", "''", "(sic) no",
         "a,b", "end.", "What is it?", "a!b&c*d|e>f%g@h`i", "/back/pain", "_draft", "(see below)"]
_TRICKY = ["yes", "No", "12", "1.5", "0x1F", ".inf", "~", "null", "a: b", "a:", "a #c", "[x, y]", "[]", "[a, [b]]", "{a: b}",
           "&x a", "*x", "!!str 5", "|", ">", "- a", "%x", "@x", "`x`", "\u2028", "\x85", "\ufeff", "a\tb", "'it''s'",
           '"a\\nb"', '"a, b"', "2024-2-1", "+1", "1:20", "a]", "x: #", "\ud800", "\x7f", "\x01", "nan", "?x", "<<", "=", "a?b", "a ?b"]


def _front_matter(rnd: random.Random) -> str:
    keys = ["title", "tags", "date", "last_reviewed", "reviewed-by", "_k", "Title", "a-b"]

    def atom():
        return rnd.choice(_GOOD) if rnd.random() < 0.93 else rnd.choice(_TRICKY)

    lines = []
    # Now and then a key YAML reads as true or a number, or a duplicate.
    odd = [rnd.choice(["on", "1a", "no", rnd.choice(keys)])] if rnd.random() < 0.1 else []
    for key in rnd.sample(keys, rnd.randint(1, 6)) + odd:
        r = rnd.random()
        if r < 0.55:
            lines.append(f"{key}:{rnd.choice([' '] * 8 + ['  ', ''])}{atom()}{rnd.choice(['', ' '])}")
        elif r < 0.75:
            lines.append(f"{key}: [{', '.join(atom() for _ in range(rnd.randint(0, 3)))}]")
        elif r < 0.95:
            indent = rnd.choice(["", "  "])
            lines.append(f"{key}:")
            lines += [f"{rnd.choice([indent] * 9 + [' '])}- {atom()}" for _ in range(rnd.choice([0, 1, 1, 2, 2, 3, 3]))]
        else:
            lines.append(rnd.choice(["", "  ", "\t", "  nested: x", "...", "key"]))
    return rnd.choice(["\n", "\r\n"]).join(lines)


def _pure_python_loader():
    """yaml_safe's loader on PyYAML's Python loader instead of libyaml (what
    a PyYAML without libyaml uses): the two differ in corners."""
    import yaml

    class PurePython(yaml.SafeLoader):
        pass

    PurePython.yaml_implicit_resolvers = {
        first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }
    return PurePython


def test_what_is_read_without_pyyaml_is_what_pyyaml_reads():
    """Differential: on 6,000 generated front matters, every one read
    without PyYAML gives PyYAML's mapping (types included), with libyaml
    and with PyYAML's Python loader, and never where either reports an error."""
    import yaml

    pure = _pure_python_loader()
    rnd = random.Random(13)
    read = 0
    for _ in range(6000):
        text = _front_matter(rnd)
        got = plain_front_matter.read(text)
        if got is None:
            continue
        read += 1
        for load in (yaml_safe.load, lambda t: yaml.load(t, Loader=pure)):
            try:
                want = load(text) or {}
            except yaml.YAMLError as exc:
                pytest.fail(f"read {got!r} where PyYAML reports {exc}: {text!r}")
            assert got == want and [type(v) for v in got.values()] == [type(v) for v in want.values()], text
    assert read > 2000  # the generator makes mostly common shapes


def test_an_article_with_common_front_matter_is_checked_without_importing_pyyaml(cache, tmp_path):
    article = tmp_path / "a.md"
    article.write_text(f"---\n{COMMON}---\n# Back pain\n\nRest and keep moving.\n", encoding="utf-8")
    code = ("import sys\nfrom health_lint import parsers\n"
            f"doc = parsers.load({str(article)!r}, 'a.md')\n"
            "print(doc.front_matter['author'], 'yaml' in sys.modules)\n")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["Dr", "Li", "Wei,", "MD", "False"]
