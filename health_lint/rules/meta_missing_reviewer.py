"""No medical reviewer with credentials.

What it does
------------
Looks for a medical reviewer in front matter (``reviewed_by``,
``reviewer``, ``medically_reviewed_by``, ``medical_reviewer``), HTML
``<meta>``, schema.org JSON-LD ``reviewedBy``, or a visible byline
("Medically reviewed by Dana Cruz, MD"), and checks that the reviewer has
clinical credentials (MD, DO, MBBS, RN, NP, PA-C, PharmD, DPT, RD...),
written after the name, in ``reviewer_credentials``, or in JSON-LD.

Why it matters
--------------
A clinician's review is the main safeguard against dangerous errors in
patient information, and readers look for it. Naming the reviewer's
qualifications shows the review was medical, not editorial.

Examples
--------
FAIL:

    ---
    reviewed_by: Dana Cruz
    ---
    # Knee pain

    Most knee pain gets better with rest.

PASS:

    ---
    reviewed_by: Dana Cruz, MD
    ---
    # Knee pain

    Most knee pain gets better with rest.

How to fix
----------
Add ``reviewed_by: Name, MD`` (with the reviewer's credentials) to the front
matter, or a "Medically reviewed by Name, credentials" byline.
"""
from __future__ import annotations

from ..findings import Problem
from ._meta import metadata_offset

ID = "meta/missing-reviewer"
SEVERITY = "warning"
SCOPE = "document"
CONF: dict = {}
DEFAULT: dict = {}


def check(document, options, context):
    meta = document.metadata
    if meta.reviewer and meta.reviewer_credentials:
        return
    where = metadata_offset(document)
    if meta.reviewer:
        message = f"Reviewer {meta.reviewer!r} has no clinical credentials (e.g. MD, RN, PharmD)."
    else:
        message = "No medical reviewer found (front matter, meta tag, JSON-LD or 'Medically reviewed by' byline)."
    yield Problem(message=message, hint="Add `reviewed_by: Name, MD` to the front matter or a reviewer byline.",
                  start=where, end=where, document_level=True, fingerprint_text=ID)
