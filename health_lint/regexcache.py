"""Compiled regular expressions kept between runs.

Python compiles a regular expression with Python code (``re._parser`` and
``re._compiler``), in every process: the modules' patterns and the packs'
source-name alternations took about 40 ms of a 0.2-0.3 s one-article run
on the 2-core benchmark machine. What that code produces is a list of
integers that the C engine takes as it is (``_sre.compile``). We keep those
lists in the user cache and build patterns straight from them.

Safe by construction:

* an entry is kept only after the pattern built from it compared equal to
  ``re.compile``'s (same pattern, flags and engine code);
* the memo is keyed by the exact Python build (``sys.version``) and the
  engine's version (``_sre.MAGIC``), so another Python never reads it;
* anything unexpected (a changed private API, an unreadable file) falls
  back to ``re.compile``: slower, never different.

Use it for the package's own patterns and patterns derived from rule
packs, which are the same run after run; not for patterns built from a
document's text (each would be a new entry).
"""
from __future__ import annotations

import re

try:  # Python 3.11+
    from re import _compiler, _parser
except ImportError:  # pragma: no cover - Python 3.10
    import sre_compile as _compiler
    import sre_parse as _parser

import _sre

from .usercache import Memo

# Memo keys each memo by the Python version too.
MEMO = Memo("regex", version=repr((_sre.MAGIC, _sre.CODESIZE)), limit=4096)
_patterns: dict = {}  # (pattern, flags) -> this process's compiled pattern
_usable = True  # False once _sre.compile refused kept arguments


def compile(pattern: str | bytes, flags: int = 0) -> re.Pattern:
    """``re.compile(pattern, flags)``, built from the memo when it has it."""
    global _usable
    key = (pattern, int(flags))
    compiled = _patterns.get(key)
    if compiled is not None:
        return compiled
    args = MEMO.entries().get(key)
    if args is not None and _usable:
        try:
            compiled = _patterns[key] = _sre.compile(*args)
            return compiled
        except Exception:  # pragma: no cover - another engine than the one that wrote it
            _usable = False
    compiled = _patterns[key] = re.compile(pattern, flags)
    if _usable and not flags & re.DEBUG:
        args = _engine_arguments(pattern, int(flags))
        if args is not None and _sre.compile(*args) == compiled:
            MEMO.add(key, args)
    return compiled


def _engine_arguments(pattern, flags: int) -> tuple | None:
    """What ``re.compile`` hands the C engine (its own steps, in the same
    order); None if this Python's internals differ."""
    try:
        parsed = _parser.parse(pattern, flags)
        # Plain ints: the compiler's opcodes are int subclasses that refuse pickling.
        code = list(map(int, _compiler._code(parsed, flags)))
        groupindex = parsed.state.groupdict
        indexgroup = [None] * parsed.state.groups
        for name, index in groupindex.items():
            indexgroup[index] = name
        return (pattern, flags | parsed.state.flags, code, parsed.state.groups - 1,
                dict(groupindex), tuple(indexgroup))
    except Exception:  # pragma: no cover - internals of another Python version
        return None


def reset() -> None:
    """Forget this process's patterns and the loaded memo (tests)."""
    global _usable
    _patterns.clear()
    MEMO.clear()
    _usable = True
