"""A comment meant for health-lint that it does not understand.

What it does
------------
Reports HTML comments that start with ``health-lint`` but are not one of
the directives health-lint knows, exactly:

- ``<!-- health-lint-disable [RULE, ...] -->`` ... ``<!-- health-lint-enable [RULE, ...] -->``
- ``<!-- health-lint-disable-line RULE -->`` (the comment's own line)
- ``<!-- health-lint-disable-next-line RULE -->`` (the next line with text)
- ``<!-- health-lint-disable-file RULE -->`` (the whole file)

Unknown variants (``health-lint-disable-range``, ``health-lint: disable``,
upper case), words that are not rule ids, and a comment never closed by
``-->`` are reported. Such a comment disables nothing.

Why it matters
--------------
A half-understood suppression is the worst kind: read as a bare disable it
hides every finding below it (an overpromising claim four lines further
down), read as nothing it leaves the editor believing a finding is handled.
Either way nobody is told. Reporting it, and disabling nothing, makes the
mistake visible.

Examples
--------
FAIL:

    <!-- health-lint-disable-range claims/overpromise -->
    Back pain is common.

FAIL:

    <!-- health-lint-disable readability/grade because it is a quote -->
    Back pain is common.

PASS:

    <!-- health-lint-disable-line readability/grade -->
    Back pain is common.

How to fix
----------
Use one of the directives above, with rule ids only (``health-lint rules``
lists them), and close the comment with ``-->``. Put the reason in a
separate comment.
"""
ID = "suppression/invalid"
SEVERITY = "warning"
SCOPE = "suppression"
CONF: dict = {}
DEFAULT: dict = {}
