"""A topic with emergency red flags, but no advice to get emergency help.

What it does
------------
When the article is about a topic whose red flags include emergencies
(chest pain, stroke signs, cauda equina syndrome, thunderclap headache...),
checks that it tells readers how to get emergency help: call 911, 999, 112
or 000, call an ambulance, go to the emergency department or A&E. The
accepted wordings are the ``emergency-advice`` pack in
``rules/red-flags/emergency-advice.yaml``. Navigation does not count: a
link list or "See also" line ("Related guides: When to Seek Emergency
Care"), link text that names another page, image alt text and
abbreviation definitions (``*[A&E]: Accident and Emergency``). "Urgent care", "call 111" and
"see your GP today" are not emergency advice, and neither is a mention
that tells readers NOT to go: "you do not need to go to the emergency room",
"there is no need to call 999", "without going to A&E" (the pack's
``negators``, within ``negation-window`` words before the mention, in the
same clause, with only the pack's ``negation-through`` words in between, so
"do not wait: call 999", "don't hesitate to call 911" and "if the bleeding
does not stop, go to A&E" still count).

Why it matters
--------------
Naming a danger sign is only half the job: a frightened reader needs to
know what to do, now. NHS and MedlinePlus pages pair every emergency sign
with "call 999/911 or go to A&E/the emergency room".

Options
-------
- ``topics`` (list, default empty = all packs): only check these topic ids
  (unknown ids are a configuration error). English documents only.

Examples
--------
FAIL:

    # Chest pain

    Chest pain has many causes, from sore muscles to heartburn. Chest pain
    that spreads to your arm or jaw can be a heart attack.

FAIL:

    # Chest pain

    Chest pain has many causes, from sore muscles to heartburn. Chest pain
    that spreads to your arm or jaw can be a heart attack.

    ## Related guides

    - [When to seek emergency care](/emergency-care)
    - [Heartburn](/heartburn)

PASS:

    # Chest pain

    Chest pain has many causes. Chest pain that spreads to your arm or jaw
    can be a heart attack: call 911 straight away.

How to fix
----------
Next to the emergency signs, say exactly what to do: "Call 911 (US) or 999
(UK), or go to the nearest emergency department."
"""
from __future__ import annotations

from ..findings import Problem
from ..redflags import applicable_concepts, concept_label, gives_emergency_advice
from ..terms import title_offset, topics_of
from .red_flags_missing import red_flag_packs, validate_topics

ID = "red-flags/no-emergency-advice"
SEVERITY = "error"
SCOPE = "document"
CONF = {"topics": list}
DEFAULT = {"topics": []}
LANGUAGES = ("en",)


def validate(options, packs) -> list[str]:
    return validate_topics(options, packs)


def check(document, options, context):
    topics = [p for p in topics_of(document, red_flag_packs(context, options))
              if any(c.get("emergency") for c in applicable_concepts(document, p))]
    if not topics:
        return
    if gives_emergency_advice(document, context.packs):
        return
    names = " and ".join(p.get("title", p["id"]) for p in topics)
    signs = [concept_label(c) for p in topics for c in applicable_concepts(document, p) if c.get("emergency")]
    shown = ", ".join(signs[:4]) + (f" and {len(signs) - 4} more" if len(signs) > 4 else "")
    verb = "have" if len(topics) > 1 else "has"
    where = title_offset(document)
    yield Problem(
        message=(f"Article is about {names}, which {verb} emergency warning signs ({shown}), but it never tells "
                 "readers to get emergency help (call 911/999/112 or go to the emergency department)."),
        hint='Add e.g. "Call 911 (US) or 999 (UK), or go to the nearest emergency department, if you have ...".',
        start=where,
        end=where,
        document_level=True,
        fingerprint_text="no-emergency-advice",
        data={"topics": [p["id"] for p in topics]},
    )
