"""Make content-derived text safe to print on a terminal or in a CI log.

Titles, link targets, anchor texts and file names come from the checked
content. Printed raw, a newline in one starts a new output line that GitHub
Actions reads as a workflow command (``::add-mask::``, ``::error ...``,
``::stop-commands::``), a legacy ``##[command]`` is read anywhere in a line,
and ANSI/OSC escape sequences (``ESC[...``, ``ESC]8;;...``) drive the
terminal. Every human-readable format prints such strings through
:func:`printable` and every line through :func:`safe_line`:

* C0 and C1 control characters (but tab), DEL, the Unicode line and
  paragraph separators and the bidirectional overrides become visible
  escapes (``\\n``, ``\\x1b``, ``\\u202e``);
* a line whose first non-blank characters are ``::`` gets its first colon
  escaped (``\\x3a:``), and ``##[`` becomes ``#\\x23[``, so the runner
  executes nothing.

Machine formats escape by their own rules (JSON, SARIF, JUnit XML; the
``github`` format encodes annotations as the runner expects).
"""
from __future__ import annotations

import re

from .. import regexcache

# Tab is kept: it cannot start a line or move the cursor anywhere harmful.
_UNSAFE = regexcache.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_NAMED = {"\n": "\\n", "\r": "\\r"}


def _escape(m: re.Match) -> str:
    ch = m.group(0)
    if ch in _NAMED:
        return _NAMED[ch]
    code = ord(ch)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


_UNSAFE_BUT_NEWLINES = regexcache.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def printable(text: object, keep_newlines: bool = False) -> str:
    """``text`` with control characters shown as escapes, on one line
    (``keep_newlines``: ``\\n`` and ``\\r`` left for a format that encodes
    them itself, as GitHub annotations do)."""
    text = "" if text is None else str(text)
    return (_UNSAFE_BUT_NEWLINES if keep_newlines else _UNSAFE).sub(_escape, text)


def safe_line(text: object) -> str:
    """One output line that no CI runner reads as a command."""
    line = printable(text).replace("##[", "#\\x23[")
    stripped = line.lstrip()
    if stripped.startswith("::"):
        indent = len(line) - len(stripped)
        line = line[:indent] + "\\x3a" + stripped[1:]
    return line


def safe_lines(text: str) -> str:
    """Each line of ``text`` (built by us, newlines intended) made safe."""
    return "\n".join(safe_line(line) for line in text.split("\n"))
