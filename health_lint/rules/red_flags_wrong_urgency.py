"""An emergency red flag that the article pairs only with routine advice.

What it does
------------
For each topic the article is about (the packs in ``rules/red-flags/``, as
red-flags/missing detects them), finds every emergency-level red flag
(``emergency: true`` in the pack: thunderclap headache, chest pain that
spreads to the arm, thoughts of suicide...) that the article does mention,
and reports it when every mention is paired only with routine advice ("see
your GP", "make an appointment", "let your health care provider know") and
none with emergency advice (call 999/911/112, go to A&E or the emergency
department, call an ambulance). Advice is read from the sentence, the
heading of the section, or the line that introduces the list the sign is
in; the wordings are ``rules/red-flags/help-advice.yaml`` and
``emergency-advice.yaml``.

Urgent advice ("call your doctor right away", "call 111", "get an urgent
appointment") is not reported: some guidelines give it for signs that a
pack marks as emergencies, and an editor may have chosen it on purpose.
A sign the article never pairs with any advice is red-flags/missing's
business, not this rule's. One finding per topic lists the signs, with
their ids; the JSON output has one entry per sign in ``data.details``.

Why it matters
--------------
"Let your provider know if you have sudden, severe headaches" tells a
reader with a bleed on the brain to wait for an appointment. Getting the
urgency wrong can be as harmful as leaving the sign out.

Options
-------
- ``topics`` (list, default empty = all packs): only check these topic ids.
- ``ignore-concepts`` (list, default empty): concept ids (``topic/concept``
  or ``concept``) not to report.

English documents only.

Examples
--------
FAIL:

    # Headache

    Most headaches are harmless. Most headaches go away with rest and
    water. Let your health care provider know if you have a sudden, severe
    headache that is the worst you have ever had.

PASS:

    # Headache

    Most headaches are harmless. Most headaches go away with rest and
    water. Call 911 if you have a sudden, severe headache that is the worst
    you have ever had.

How to fix
----------
Pair the sign with emergency advice: "Call 999 (UK) or 911 (US), or go to
the emergency department, if ...". Keep the routine advice for the signs
that can wait.
"""
from __future__ import annotations

from ..findings import Problem
from ..redflags import ROUTINE, applicable_concepts, concept_levels
from ..terms import title_offset, topics_of
from .red_flags_missing import explain_packs, extra_phrases, red_flag_packs  # noqa: F401 (explain --topic)
from .red_flags_missing import validate as validate_missing

ID = "red-flags/wrong-urgency"
SEVERITY = "warning"
SCOPE = "document"
CONF = {"topics": list, "ignore-concepts": list}
DEFAULT = {"topics": [], "ignore-concepts": []}
LANGUAGES = ("en",)


def validate(options, packs) -> list[str]:
    return validate_missing(options, packs)


def check(document, options, context):
    ignored = set(options.get("ignore-concepts") or [])
    for pack in topics_of(document, red_flag_packs(context, options)):
        levels = concept_levels(document, context.packs, pack, extra_phrases(pack, {}))
        wrong = [c for c in applicable_concepts(document, pack)
                 if c.get("emergency") and not c.get("advice") and levels.get(c["id"]) == ROUTINE
                 and c["id"] not in ignored and f"{pack['id']}/{c['id']}" not in ignored]
        if not wrong:
            continue
        plural = "s" if len(wrong) > 1 else ""
        listed = "; ".join(f"{c['id']}: {c['name']}" for c in wrong)
        where = title_offset(document)
        yield Problem(
            message=(f"Article about {pack.get('title', pack['id'])} gives only routine advice (see a doctor, "
                     f"make an appointment) for {len(wrong)} emergency sign{plural}: {listed}."),
            hint="Pair each with emergency advice: call 999/911/112 or go to A&E/the emergency department.",
            start=where,
            end=where,
            document_level=True,
            fingerprint_text=f"{pack['id']}: " + ", ".join(sorted(c["id"] for c in wrong)),
            data={"topic": pack["id"], "concepts": [c["id"] for c in wrong],
                  "details": [{"topic": pack["id"], "concept": c["id"], "id": f"{pack['id']}/{c['id']}",
                               "name": c["name"], "guideline": c.get("guideline", ""), "url": c.get("url", "")}
                              for c in wrong]},
        )
