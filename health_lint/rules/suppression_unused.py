"""A suppression comment that suppresses nothing.

What it does
------------
Reports a ``health-lint-disable`` comment (any variant), or a rule id in
it, that suppressed no finding in this run, as ruff's RUF100 reports an
unused ``# noqa``. Only rules that actually ran on the file are judged: a
rule turned off in the configuration, a rule that does not apply to the
document's language, an online ``links`` rule (``check`` does not fetch
anything) or a link-graph rule when the graph was not built (a single file,
``--no-graph``) never makes a comment "unused".

``health-lint check --fix`` removes unused comments (the whole comment, or
just the unused rule ids).

Why it matters
--------------
Suppressions outlive the text they were written for. A stale
``disable-next-line`` ends up above a different sentence after an edit and
silently hides the next real finding there. A comment written with the wrong
variant (``disable-line`` on a line of its own) never did anything, and the
editor should know.

Examples
--------
FAIL:

    <!-- health-lint-disable-next-line claims/overpromise -->
    Rest helps back pain settle.

PASS:

    <!-- health-lint-disable-next-line claims/overpromise -->
    This guaranteed cure works instantly, the advert said.

How to fix
----------
Delete the comment (or run ``health-lint check --fix``). If the comment
was meant for a line further down, move it next to that line.
"""
ID = "suppression/unused"
SEVERITY = "warning"
SCOPE = "suppression"
FIX = "safe"  # check --fix (see "How to fix")
CONF: dict = {}
DEFAULT: dict = {}
