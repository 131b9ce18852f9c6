"""YAML front matter read safely: bounded aliases, no recursion, no dates.

YAML aliases (``&a`` ... ``*a``) let a few lines stand for a huge value
("billion laughs": each level repeats the one before ten times) or for a
value that contains itself (``title: &a [*a]``). The loader builds either
cheaply, as shared references, but every later reader that walks the value
(metadata, JSON reports) would use memory without end or recurse forever.
So the node graph is checked before anything is built: a value that
expands to more than ``MAX_VALUES`` values, nests deeper than ``MAX_DEPTH``
or contains itself is refused with a :class:`yaml.YAMLError` naming the line.
Ordinary aliases (a tag list reused twice) still work.
"""
from __future__ import annotations

from typing import Any

import yaml

MAX_VALUES = 10_000
MAX_DEPTH = 100

_loader = None


def loader_class():
    """YAML's safe loader (libyaml when available) without implicit
    timestamps: `last_reviewed: 2019-13-45` stays text for the meta rules to
    judge, instead of an exception from the date constructor."""
    global _loader
    if _loader is None:
        base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

        class FrontMatterLoader(base):
            pass

        FrontMatterLoader.yaml_implicit_resolvers = {
            first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
            for first, resolvers in base.yaml_implicit_resolvers.items()
        }
        _loader = FrontMatterLoader
    return _loader


class AliasError(yaml.YAMLError):
    """Refused front matter; ``problem`` and ``problem_mark`` (None when
    unknown) as in PyYAML's own errors, so callers report both the same way."""

    def __init__(self, problem: str, mark=None):
        super().__init__(problem)
        self.problem = problem
        self.problem_mark = mark


def _children(node) -> list:
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        return [n for pair in node.value for n in pair]
    return []


def check_node(root) -> None:
    """Raise AliasError if the node graph is recursive, too deep, or expands
    (aliases copied out) to more than MAX_VALUES values. Iterative, so a
    hostile document cannot exhaust Python's stack either."""
    size: dict[int, int] = {}
    visiting: set[int] = set()
    stack: list[tuple[Any, int, bool]] = [(root, 0, False)]
    while stack:
        node, depth, leaving = stack.pop()
        key = id(node)
        if leaving:
            visiting.discard(key)
            size[key] = 1 + sum(size[id(c)] for c in _children(node))
            if size[key] > MAX_VALUES:
                raise AliasError(f"aliases expand to more than {MAX_VALUES:,} values (a 'billion laughs' "
                                 "document?); not read", node.start_mark)
            continue
        if key in size:
            continue  # an alias of a value already measured
        if key in visiting:
            raise AliasError("a value contains itself through an alias (recursive alias); not read",
                             node.start_mark)
        if depth > MAX_DEPTH:
            raise AliasError(f"values nest more than {MAX_DEPTH} levels deep; not read", node.start_mark)
        visiting.add(key)
        stack.append((node, depth, True))
        stack.extend((child, depth + 1, False) for child in _children(node))


def load(text: str) -> Any:
    """Like ``yaml.load(text, Loader=loader_class())``, with the checks above."""
    loader = loader_class()(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        check_node(node)
        try:
            return loader.construct_document(node)
        except (ValueError, TypeError, OverflowError) as exc:
            # An explicit tag on a value that does not fit it
            # (`!!timestamp 2019-13-45`, `!!float abc`): PyYAML lets the
            # Python error through instead of a YAMLError.
            raise AliasError(f"a value does not fit its tag: {exc}") from None
    finally:
        loader.dispose()
