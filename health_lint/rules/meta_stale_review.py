"""The last medical review is older than the review interval.

What it does
------------
Compares the last-reviewed date (``last_reviewed``, JSON-LD
``lastReviewed``, a "Page last reviewed:" line anywhere in the page) with
today. When there is no
review date, the newest of the updated and published dates stands in and
the message says which date was used. A review date that cannot be read
(2019-13-45, or ambiguous like 03/04/2026) or that lies in the future is
reported too. Articles with no readable date at all are
``meta/missing-date``'s job.

Why it matters
--------------
Guidelines, drug advice and screening ages change. Most health publishers
(and the NHS Standard for Creating Health Content) commit to reviewing
patient content at least every two to three years.

Options
-------
- ``max-age-months`` (integer, default 24): how old the last review may be.

Examples
--------
FAIL:

    ---
    last_reviewed: 2019-05-01
    ---
    # Knee pain

    Most knee pain gets better with rest.

FAIL:

    # Knee pain

    Most knee pain gets better with rest.

    Last updated 3 May 2019

PASS:

    ---
    last_reviewed: 2026-05-01
    ---
    # Knee pain

    Most knee pain gets better with rest.

How to fix
----------
Have a clinician review the article, update what changed, and set
``last_reviewed`` to the review date.
"""
from __future__ import annotations

from ..findings import Problem
from ..parsers.metadata import ambiguous_date, parse_date
from ._meta import metadata_offset

ID = "meta/stale-review"
SEVERITY = "warning"
SCOPE = "document"
CONF = {"max-age-months": int}
DEFAULT = {"max-age-months": 24}


def _months_between(earlier, later) -> int:
    months = (later.year - earlier.year) * 12 + (later.month - earlier.month)
    return months - (1 if later.day < earlier.day else 0)


def check(document, options, context):
    meta = document.metadata
    reviewed = parse_date(meta.last_reviewed)
    label = "last reviewed"
    where = metadata_offset(document)
    if meta.last_reviewed and reviewed is None:
        yield Problem(message=f"Last-reviewed date {meta.last_reviewed!r} is not a date health-lint can read "
                              "(invalid, or ambiguous like 03/04/2026); write it as YYYY-MM-DD.",
                      hint="Use an ISO date: `last_reviewed: 2026-03-04`.", start=where, end=where,
                      document_level=True, fingerprint_text=ID + "/unreadable")
        return
    if reviewed is not None and reviewed > context.today:
        yield Problem(message=f"Last-reviewed date {reviewed.isoformat()} is in the future.",
                      hint="Set `last_reviewed` to the date the review actually happened.", start=where, end=where,
                      document_level=True, fingerprint_text=ID + "/future")
        return
    if reviewed is None:
        others = [d for d in (parse_date(meta.updated), parse_date(meta.published)) if d]
        if not others:
            ambiguous = next((v for v in (meta.updated, meta.published) if ambiguous_date(v)), None)
            if ambiguous:
                # Dated, but nobody can tell when: the review cannot be scheduled.
                yield Problem(message=f"Date {ambiguous!r} is ambiguous (day/month or month/day?), so the "
                                      "content's age is unknown; write it as YYYY-MM-DD.",
                              hint="Use an ISO date: `updated: 2026-03-04`.", start=where, end=where,
                              document_level=True, fingerprint_text=ID + "/unreadable")
            return
        reviewed, label = max(others), "no review date; newest date"
    age = _months_between(reviewed, context.today)
    limit = options["max-age-months"]
    # Due on the same day of the month `limit` months later; stale after it.
    if age < limit or (age == limit and context.today.day <= reviewed.day):
        return
    yield Problem(
        message=(f"Content is {age} months old ({label} {reviewed.isoformat()}); review it at least every "
                 f"{options['max-age-months']} months."),
        hint="Have a clinician review the article and update `last_reviewed`.",
        start=where, end=where, document_level=True, fingerprint_text=ID,
        data={"date": reviewed.isoformat(), "age_months": age},
    )
