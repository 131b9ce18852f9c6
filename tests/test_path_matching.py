"""Ignore, include and override globs (config._glob_match) are compiled once
per pattern for speed; they must answer exactly as the plain definition,
fnmatch on the path (or, without a slash, on the file name too) and then
PurePosixPath.match, kept here as the reference."""
from __future__ import annotations

import fnmatch
from pathlib import PurePosixPath

import pytest
from hypothesis import given, settings, strategies as st

from health_lint.config import DEFAULT_IGNORE, _glob_match


def reference(path: str, pattern: str) -> bool:
    path = path.replace("\\", "/")
    if "/" not in pattern:
        return fnmatch.fnmatch(PurePosixPath(path).name, pattern) or fnmatch.fnmatch(path, pattern)
    if fnmatch.fnmatch(path, pattern):
        return True
    if pattern.startswith("**/") and fnmatch.fnmatch(path, pattern[3:]):
        return True
    return PurePosixPath(path).match(pattern)


PATTERNS = DEFAULT_IGNORE + [
    "*.md", "drafts/*", "drafts/**", "**/drafts/**", "/drafts/*.md", "//x/*", "*/a", "a/*/c", "**/*.html",
    "content/**/index.md", "[ab]*/x?.md", "./a/*", "a/./b", "**", "*", ".", "a/", "/a", "/",
]
PATHS = [
    "a.md", "drafts/a.md", "content/drafts/x/y.md", "/drafts/a.md", "//x/y", "///x/y", "/a", "a", "a/b/c",
    "b/x1.md", "node_modules/p/readme.md", "x/node_modules/y.md", "a/b/", "a/.", "a/./b", "a//b", "..", "a/..",
    "content/index.md", "content/sub/index.md", "dir\\file.md", ".venv/x.md", "",
]


def assert_same_answer(path: str, pattern: str) -> None:
    """The same answer as the reference, or the same ValueError (an empty pattern)."""
    try:
        expected = reference(path, pattern)
    except ValueError:
        with pytest.raises(ValueError):
            _glob_match(path, pattern)
        return
    assert _glob_match(path, pattern) == expected, (path, pattern)


@pytest.mark.parametrize("pattern", PATTERNS)
def test_same_answers_as_the_reference(pattern):
    for path in PATHS:
        assert_same_answer(path, pattern)


SEGMENT = st.sampled_from(["a", "b", "x.md", "node_modules", ".", "..", "", "*", "**", "?", "[ab]", "*.md", "_site"])


@settings(max_examples=400, deadline=None)
@given(st.lists(SEGMENT, max_size=5), st.lists(SEGMENT, min_size=1, max_size=4), st.booleans(), st.booleans())
def test_generated_globs_agree(path_parts, pattern_parts, absolute_path, absolute_pattern):
    path = ("/" if absolute_path else "") + "/".join(p for p in path_parts if p not in ("*", "**", "?", "[ab]", "*.md"))
    pattern = ("/" if absolute_pattern else "") + "/".join(pattern_parts)
    assert_same_answer(path, pattern)


# -- file paths relative to the project root (linter._rel_to) -----------------

def test_relative_paths_agree_with_pathlib(tmp_path, monkeypatch):
    """The string version of ``Path(p).resolve().relative_to(root)`` answers
    as pathlib does: plain files, dot segments, symlinks in and out of the
    root, a symlink loop, a path outside the root, relative roots."""
    import os

    from health_lint import linter

    root = tmp_path / "site"
    (root / "a" / "b").mkdir(parents=True)
    (root / "a" / "b" / "page.md").write_text("x")
    (tmp_path / "outside.md").write_text("x")
    os.symlink(root / "a" / "b", root / "link")
    os.symlink(tmp_path / "outside.md", root / "out-link.md")
    os.symlink(root / "loop1", root / "loop2")
    os.symlink(root / "loop2", root / "loop1")
    monkeypatch.chdir(root)
    paths = ["a/b/page.md", "./a/b/../b/page.md", "link/page.md", "out-link.md", "loop1", "loop1/x.md",
             str(tmp_path / "outside.md"), "missing/new.md", str(root / "a"), ".", str(root), "/"]
    roots = [str(root), str(root) + "/", str(tmp_path), "/", "site", ""]
    for rel_root in roots:
        for path in paths:
            linter._rel_to.cache_clear()
            assert linter._rel_to(path, rel_root) == linter._rel_to_portable(path, rel_root), (path, rel_root)
