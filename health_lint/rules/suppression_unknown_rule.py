"""A suppression comment names a rule that does not exist.

What it does
------------
Reports ``<!-- health-lint-disable ... -->``,
``<!-- health-lint-disable-next-line ... -->`` and front-matter
``health-lint: {disable: [...]}`` entries that name an unknown rule id.

Why it matters
--------------
A misspelled rule id in a suppression silently suppresses nothing, so the
editor believes a finding is handled when it is not, and a renamed rule
leaves stale comments behind.

Examples
--------
FAIL:

    <!-- health-lint-disable readability/grades -->
    Back pain is common.

PASS:

    <!-- health-lint-disable readability/grade -->
    Back pain is common.

How to fix
----------
Correct the rule id (``health-lint rules`` lists them) or remove the comment.
"""
ID = "suppression/unknown-rule"
SEVERITY = "warning"
SCOPE = "suppression"
CONF: dict = {}
DEFAULT: dict = {}
