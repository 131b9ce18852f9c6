"""A topic with emergency red flags, but no advice to get emergency help.

What it does
------------
When the article is about a topic whose red flags include emergencies
(chest pain, stroke signs, cauda equina syndrome, thunderclap headache...),
checks that it tells readers how to get emergency help: call 911, 999, 112
or 000, call an ambulance, go to the emergency department or A&E. The
accepted wordings are the ``emergency-advice`` pack in
``rules/red-flags/emergency-advice.yaml``. "Urgent care", "call 111" and
"see your GP today" are not emergency advice.

Why it matters
--------------
Naming a danger sign is only half the job: a frightened reader needs to
know what to do, now. NHS and MedlinePlus pages pair every emergency sign
with "call 999/911 or go to A&E/the emergency room".

Options
-------
- ``topics`` (list, default empty = all packs): only check these topic ids.

Examples
--------
FAIL:

    # Chest pain

    Chest pain has many causes, from sore muscles to heartburn. Chest pain
    that spreads to your arm or jaw can be a heart attack.

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
from ..terms import article_tokens, detect_topics, mentioned, title_offset
from ..text import PhraseIndex, tokens
from .red_flags_missing import red_flag_packs

ID = "red-flags/no-emergency-advice"
SEVERITY = "error"
SCOPE = "document"
CONF = {"topics": list}
DEFAULT = {"topics": []}


def check(document, options, context):
    block_tokens = article_tokens(document)
    if document.metadata.title:
        block_tokens.append(tokens(document.metadata.title))
    topics = [p for p in detect_topics(document, red_flag_packs(context, options), block_tokens)
              if any(c.get("emergency") for c in p.get("concepts", []))]
    if not topics:
        return
    phrases = [p for pack in context.packs.of_kind("emergency-advice") for p in pack.get("phrases", [])]
    if mentioned(PhraseIndex((p, True) for p in phrases), block_tokens):
        return
    names = ", ".join(p.get("title", p["id"]) for p in topics)
    where = title_offset(document)
    yield Problem(
        message=(f"Article about {names} lists emergency warning signs but never tells readers to get emergency "
                 "help (call 911/999/112 or go to the emergency department)."),
        hint='Add e.g. "Call 911 (US) or 999 (UK), or go to the nearest emergency department, if you have ...".',
        start=where,
        end=where,
        document_level=True,
        fingerprint_text="no-emergency-advice",
        data={"topics": [p["id"] for p in topics]},
    )
