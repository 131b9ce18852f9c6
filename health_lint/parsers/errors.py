"""The one error a parser raises: the input cannot be read as an article."""
from __future__ import annotations


class InputError(Exception):
    """``kind`` becomes the rule id ``input/<kind>``; ``line`` points at the
    problem where one is known (1 otherwise)."""

    def __init__(self, kind: str, reason: str, line: int = 1, column: int = 1):
        super().__init__(reason)
        self.kind = kind
        self.reason = reason
        self.line = line
        self.column = column
