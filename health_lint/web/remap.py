"""``--remap`` (as lychee's): rewrite URLs before they are checked, e.g.
``--remap "https://www\\.example\\.org/(.*) http://staging.local:8000/$1"``
checks a staging copy instead of the live site.

Each rule is one string, a regular expression and its replacement separated
by whitespace; ``$1``/``${name}`` (lychee's syntax) and ``\\1`` refer to
groups. The first rule that matches a URL rewrites it; the others are not
tried.
"""
from __future__ import annotations

import re

_DOLLAR_GROUP = re.compile(r"\$(\d+|\{(\w+)\})")


def compile_remaps(rules) -> list[tuple[re.Pattern, str]]:
    """(pattern, replacement template) of each rule; ValueError names a bad one."""
    out = []
    for rule in rules:
        parts = str(rule).split(None, 1)
        if len(parts) != 2:
            raise ValueError(f"remap {rule!r}: give a pattern and a replacement separated by a space")
        try:
            pattern = re.compile(parts[0])
        except re.error as exc:
            raise ValueError(f"remap {rule!r}: invalid regular expression: {exc}") from None
        template = _DOLLAR_GROUP.sub(lambda m: f"\\g<{m.group(2) or m.group(1)}>", parts[1].strip())
        for ref in re.findall(r"\\g<(\w+)>|\\(\d+)", template):
            name = ref[0] or ref[1]
            if not (name.isdigit() and int(name) <= pattern.groups or name in pattern.groupindex):
                raise ValueError(f"remap {rule!r}: the replacement refers to group {name}, "
                                 "which the pattern does not have")
        out.append((pattern, template))
    return out


def remap_url(url: str, remaps: list[tuple[re.Pattern, str]]) -> str:
    for pattern, template in remaps:
        if pattern.search(url):
            return pattern.sub(template, url, count=1)
    return url
