"""Whole command-line runs on a folder of hostile files: one bad file never
aborts the run (exit 3), and every reported span lies inside its file."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from .harness import span_problems

DEPTH = 5_000  # far past Python's recursion limit

HOSTILE = {
    "deep-divs.html": ("<html><body><main>" + "<div>" * DEPTH + "<p>Deep text.</p>" + "</div>" * DEPTH
                       + "</main></body></html>\n").encode(),
    "deep-inline.html": ("<html><body><main><p>" + "<b><i>" * DEPTH + "Deep text." + "</p></main></body></html>\n").encode(),
    "deep-html-block.md": ("# Deep\n\n" + "<div>" * DEPTH + "\nDeep text.\n" + "</div>" * DEPTH + "\n").encode(),
    "deep-quotes.md": ("# Deep\n\n" + ">" * DEPTH + " Deep text.\n").encode(),
    "deep-lists.md": ("# Deep\n\n" + "".join("  " * i + "- item\n" for i in range(1000))).encode(),
    "emphasis-runs.md": ("# Runs\n\n" + "*_[" * DEPTH + "text" + "]_*" * DEPTH + "\n").encode(),
    "lone-cr.md": "---\r title: T\r---\r# Title\r\rSee a doctor if the pain gets worse.\r<!-- never closed\r".encode(),
    "crlf-bom.html": b"\xef\xbb\xbf<html><body>\r\n<p>A <a href='https://example.org'>link</a>.</p>\r\n<div>\r\n",
    "aliases.md": b"---\nbase: &b {title: T}\nother: *b\n---\n# T\n\nText.\n",
    "invalid-utf8.md": b"# T\r\rText \xff here.\n",
    "binary.md": b"\x00\x01\x02 not text",
    "empty.md": b"",
    "open-comment.md": b"# T\n\n- <!-- open\n\n# Heading <!-- x --> NHS [][NHS]\n",
}


def test_check_folder_of_hostile_files(tmp_path):
    for name, data in HOSTILE.items():
        (tmp_path / name).write_bytes(data)
    env = {**os.environ, "NO_COLOR": "1"}
    proc = subprocess.run([sys.executable, "-m", "health_lint", "check", str(tmp_path), "--format", "json",
                           "--no-graph"], capture_output=True, text=True, env=env, timeout=300)
    assert proc.returncode in (0, 1), proc.stderr
    assert "internal error" not in proc.stderr
    findings = json.loads(proc.stdout)["findings"]
    by_file: dict[str, list] = {}
    for f in findings:
        by_file.setdefault(Path(f["path"]).name, []).append(f)
    # Every file was checked and reported on (at least its input problem or
    # a missing disclaimer), none skipped by a crash in another.
    assert set(by_file) == set(HOSTILE)

    class F:  # the JSON finding, with attributes as span_problems reads them
        def __init__(self, d):
            self.__dict__.update(d)

    for name, items in by_file.items():
        assert not span_problems([F(f) for f in items], HOSTILE[name], Path(name).suffix), name
    rules = {(Path(f["path"]).name, f["rule"]) for f in findings}
    assert ("binary.md", "input/binary") in rules
    assert ("invalid-utf8.md", "input/invalid-utf8") in rules
    assert ("empty.md", "input/empty") in rules
    bad_byte = next(f for f in findings if f["rule"] == "input/invalid-utf8")
    assert (bad_byte["line"], bad_byte["column"]) == (3, 6)  # lone CRs end lines
