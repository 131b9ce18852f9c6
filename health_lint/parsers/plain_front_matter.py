"""The common shape of YAML front matter, read without PyYAML.

Importing PyYAML costs a one-article run about 15-25 ms (most of it
compiling its reader's character class), more than reading the front
matter. Most front matter is a few ``key: value`` lines::

    ---
    title: "Thoracic spine pain: when to worry"
    description: Why pain between the shoulder blades happens.
    last_reviewed: 2024-02-10
    tags: [back pain, thoracic spine]
    aliases:
      - /back/thoracic
    ---

:func:`read` reads exactly that shape: top-level keys, each with a quoted
string, a plain string, a flow list of such strings, or a block list of
them. It returns None for anything else (nesting, anchors, numbers, true
and false, comments after values, escapes, duplicate keys...), and the
caller hands the text to PyYAML, which stays the authority: a test checks
on thousands of generated front matters that every value read here is the
one PyYAML gives (with implicit timestamps off, as in ``yaml_safe``).
"""
from __future__ import annotations

from .. import regexcache

# Characters YAML allows in a document, less line breaks YAML 1.1 knows
# beyond \n (NEL, LS, PS) and the byte order mark.
_CHAR = "\\x20-\\x7e\\xa0-\\u2027\\u202a-\\ud7ff\\ue000-\\ufefe\\uff00-\\ufffd\\U00010000-\\U0010ffff"
_KEY_RE = regexcache.compile(r"([A-Za-z_][A-Za-z0-9_-]*):(?:[ ]+(.*?))?[ ]*")
_ITEM_RE = regexcache.compile(r"([ ]*)-[ ]+(.*?)[ ]*")
_DOUBLE_RE = regexcache.compile(rf'"((?:(?!["\\])[{_CHAR}])*)"')  # no escapes
_SINGLE_RE = regexcache.compile(rf"'((?:(?!')[{_CHAR}])*)'")
# A plain string starts with a letter, "_", "/" or "(" (numbers are left
# to PyYAML, and so are the words below) and holds no tab or control
# character. On its own line it holds no ": " or " #" and does not end with
# ":" (YAML would read a mapping or a comment); in a flow list it holds none
# of # : , [ ] { } ? at all (PyYAML's Python loader reads "a?b" there as a
# mapping key, libyaml as text).
_PLAIN_RE = regexcache.compile(rf"(?:[^\W\d]|[/(])(?:(?!:[ ]|[ ]#)[{_CHAR}])*(?<!:)")
_FLOW_PLAIN_RE = regexcache.compile(rf"(?:[^\W\d]|[/(])(?:(?![#:,?\[\]{{}}])[{_CHAR}])*")
# The plain words YAML 1.1 reads as true, false or null.
_NOT_STRINGS = frozenset("""y Y yes Yes YES n N no No NO true True TRUE false False FALSE
                            on On ON off Off OFF null Null NULL""".split())
_DATE_RE = regexcache.compile(r"\d{4}-\d\d-\d\d")
_MAX_KEY = 1000  # PyYAML refuses a key of more than 1,024 characters


def read(text: str) -> dict[str, object] | None:
    """The mapping ``text`` holds, or None if it is not of the shape above."""
    lines = text.split("\n")
    data: dict[str, object] = {}
    key = None  # the key whose block list is being read
    items: list[str] | None = None
    indent = None
    for line in lines:
        if line.endswith("\r"):
            line = line[:-1]
        if not line.strip(" "):
            if line:
                return None  # whitespace other than spaces on an empty line
            continue
        if line.startswith("#") or "\r" in line:
            return None
        item = _ITEM_RE.fullmatch(line)
        if item is not None:
            if items is None or (indent is not None and item.group(1) != indent):
                return None
            indent = item.group(1)
            value = _scalar(item.group(2))
            if value is None:
                return None
            items.append(value)
            continue
        m = _KEY_RE.fullmatch(line)
        if m is None or m.group(1) in data or m.group(1) in _NOT_STRINGS or len(m.group(1)) > _MAX_KEY:
            return None
        if items is not None and not items:
            return None  # "key:" with nothing under it is null: PyYAML's call
        key, raw = m.group(1), m.group(2)
        items, indent = None, None
        if raw is None:
            items = data[key] = []
            continue
        value = _flow_list(raw) if raw.startswith("[") else _scalar(raw)
        if value is None:
            return None
        data[key] = value
    if items is not None and not items:
        return None
    return data


def _scalar(raw: str, plain=_PLAIN_RE) -> str | None:
    m = _DOUBLE_RE.fullmatch(raw) or _SINGLE_RE.fullmatch(raw)
    if m is not None:
        return m.group(1)
    if _DATE_RE.fullmatch(raw):
        return raw  # a date stays text: implicit timestamps are off (yaml_safe)
    if plain.fullmatch(raw) and raw not in _NOT_STRINGS:
        return raw
    return None


def _flow_list(raw: str) -> list[str] | None:
    if not raw.endswith("]"):
        return None
    inner = raw[1:-1].strip(" ")
    if not inner:
        return []
    values = []
    for part in inner.split(","):
        part = part.strip(" ")
        value = _scalar(part, _FLOW_PLAIN_RE) if part else None
        if value is None or "," in value:
            return None
        values.append(value)
    return values
