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

    def __reduce__(self):
        # A parallel run's worker sends documents back to the main process,
        # with the notes their parsers left (InputError: "file is UTF-16",
        # "malformed HTML"); Exception's own pickling passes only the
        # message, which this __init__ cannot take.
        return type(self), (self.kind, self.reason, self.line, self.column)
