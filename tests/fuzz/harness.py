"""Run the check pipeline in-process on file bytes and judge the result."""
from __future__ import annotations

import atexit
import itertools
import os
import re
import shutil
import tempfile
import time

from health_lint import parsers
from health_lint.config import from_dict
from health_lint.parsers.errors import InputError
from health_lint.linter import Checker

# Per document, in CPU seconds: a fixed allowance plus a per-kilobyte one. Generous enough
# for a loaded CI machine; a quadratic step on a large input blows it (the
# scaling tests in test_scaling.py measure growth directly).
SECONDS_BASE = 3.0
SECONDS_PER_KB = 0.05

STATS = {"documents": 0, "bytes": 0, "findings": 0, "seconds": 0.0, "slowest": 0.0, "slowest_kb": 0.0}
_LINE_BREAK_RE = re.compile(r"\r\n|\r|\n")
_checker: Checker | None = None
_folder = tempfile.mkdtemp(prefix="health-lint-fuzz-")
atexit.register(shutil.rmtree, _folder, ignore_errors=True)
_counter = itertools.count()


def checker() -> Checker:
    global _checker
    if _checker is None:
        _checker = Checker(from_dict({}))
        _checker.warm()  # word lists load once, not inside the first timed document
    return _checker


def check_bytes(data: bytes, suffix: str):
    """Findings for a file holding ``data``, checked as the CLI checks a
    file (decode, parse, rules, suppression); asserts the time budget."""
    checker()
    path = os.path.join(_folder, f"doc{next(_counter)}{suffix}")
    with open(path, "wb") as fh:
        fh.write(data)
    try:
        # CPU time of this process: other jobs on a busy machine do not count.
        start = time.process_time()
        result = checker().check_file(path, path)
        elapsed = time.process_time() - start
    finally:
        os.unlink(path)
    kb = len(data) / 1024
    STATS["documents"] += 1
    STATS["bytes"] += len(data)
    STATS["findings"] += len(result.findings)
    STATS["seconds"] += elapsed
    if elapsed > STATS["slowest"]:
        STATS["slowest"], STATS["slowest_kb"] = elapsed, kb
        if os.environ.get("HEALTH_LINT_FUZZ_KEEP_SLOWEST"):
            with open(os.environ["HEALTH_LINT_FUZZ_KEEP_SLOWEST"] + suffix, "wb") as fh:
                fh.write(data)
    assert elapsed < SECONDS_BASE + SECONDS_PER_KB * kb, f"{elapsed:.2f} s for {kb:.1f} KB"
    return result.findings


def editor_lines(data: bytes, suffix: str = ".md") -> list[str]:
    """The file's lines as an editor shows them: \\n, \\r\\n and a lone \\r
    each end a line; a byte-order mark is not text. Decoded as the pipeline
    decodes it (UTF-16 by its BOM...); bytes it rejects as UTF-8 with
    replacement characters."""
    try:
        text = parsers.decode_file(data, parsers.format_of("x" + suffix) or "text")[0]
    except InputError:
        text = data.decode("utf-8", errors="replace")
    if text.startswith("\ufeff"):
        text = text[1:]
    return _LINE_BREAK_RE.split(text)


def span_problems(findings, data: bytes, suffix: str = ".md") -> list[str]:
    """Every finding whose (line, column)-(end line, end column) does not lie
    inside the file (columns are 1-based characters; an end may sit just past
    a line's last character)."""
    lines = editor_lines(data, suffix)
    bad = []
    for f in findings:
        def inside(line: int, column: int) -> bool:
            return 1 <= line <= len(lines) and 1 <= column <= len(lines[line - 1]) + 1
        ok = inside(f.line, f.column) and inside(f.end_line, f.end_column) and \
            (f.end_line, f.end_column) >= (f.line, f.column)
        if not ok:
            bad.append(f"{f.rule} at {f.line}:{f.column}-{f.end_line}:{f.end_column} "
                       f"({len(lines)} lines; line {f.line} has "
                       f"{len(lines[f.line - 1]) if 1 <= f.line <= len(lines) else '?'} chars)")
    return bad
