"""An article about a symptom does not mention one of its red flags.

What it does
------------
Works out which topics the article is about from the ``red-flags`` rule
packs in ``rules/red-flags/`` (back pain, neck pain, chest pain, headache,
abdominal pain, shortness of breath, dizziness and stroke, fever in
children...). The title, the first-level heading and the tags decide: a
pack's "strong" trigger there ("back pain", "sciatica") names the topic when
the body supports it (at least ``min-title-support`` mentions, default 2, of
the pack's strong or body triggers below the title), and then the body is
not used to detect other topics, so a neck-pain article that lists stroke
signs is not treated as a stroke article, and a mattress guide whose title
mentions "upper back" in passing is not a back-pain article. Only when they
name no supported topic do body mentions count (``min-body-mentions`` of the
pack's body triggers). A pack's ``exclude`` phrases ("heat stroke",
"lumbar puncture") cancel the trigger matches they overlap. For each topic, it reports every red-flag concept the article
never mentions, naming the concept and the guideline it comes from.
Mentions are matched tolerantly (word forms, hyphens, curly apostrophes,
many everyday phrasings: "loss of bladder control", "can't control your
bladder", "incontinence") and count anywhere in the article, title and
headings included. The Sources section below lists the guidelines; each
concept names its own in the pack and in the message.

Why it matters
--------------
Most symptom articles are read by someone who has the symptom now. Red
flags are the signs that mean "this is not ordinary, get help": cauda equina
syndrome in back pain, heart attack signs in chest pain, thunderclap
headache. An article that reassures without naming them can delay care that
saves a limb or a life. Guidelines (NICE NG59 and CKS, NHS, ACP, AHA/ASA,
MedlinePlus) list them so that every patient leaflet can.

Options
-------
- ``topics`` (list, default empty = all packs): only check these topic ids.
- ``ignore-concepts`` (list, default empty): concept ids (``topic/concept``
  or ``concept``) a site has decided not to require.

Unknown topic or concept ids (a typo would silently switch checks off) are
configuration errors that list the known ids. The rule only runs on English
documents (or documents that declare no language).

Examples
--------
FAIL:

    # Lower back pain

    Lower back pain is very common. Most lower back pain gets better in a
    few weeks. Keep moving and use heat to ease the pain.

PASS:

    # A healthy breakfast

    Oats, fruit and yoghurt make a good breakfast.

How to fix
----------
Add a "When to get help" section that lists each missing warning sign in
plain words, and what to do about it (call 911/999 or go to the emergency
department for emergency signs; see a doctor soon for the others).

Sources
-------
NICE NG59 Low back pain and sciatica (2016, updated 2020); NICE CKS (back
pain, neck pain, headache, sciatica, feverish children); NICE NG143 Fever in
under 5s; NICE NG185 Acute coronary syndromes; NHS conditions pages; ACP
guideline on low back pain (2017); AHA/ASA stroke warning signs (BE FAST);
MedlinePlus. Each concept's own guideline is in its pack and in the message.
"""
from __future__ import annotations

from ..findings import Problem
from ..terms import mentioned, title_offset, tokens_with_title, topics_of
from ..text import PhraseIndex

ID = "red-flags/missing"
SEVERITY = "warning"
SCOPE = "document"
CONF = {"topics": list, "ignore-concepts": list}
DEFAULT = {"topics": [], "ignore-concepts": []}
LANGUAGES = ("en",)


def validate_topics(options, packs) -> list[str]:
    """Unknown ids in ``topics``: a typo would switch the checks off."""
    known = sorted(p["id"] for p in packs.of_kind("red-flags"))
    unknown = [t for t in options.get("topics") or [] if t not in known]
    if unknown:
        return [f"topics: unknown topic id{'s' if len(unknown) > 1 else ''} {', '.join(map(repr, unknown))} "
                f"(known topics: {', '.join(known)})"]
    return []


def validate(options, packs) -> list[str]:
    errors = validate_topics(options, packs)
    concepts: dict[str, set[str]] = {p["id"]: {c["id"] for c in p.get("concepts", [])}
                                     for p in packs.of_kind("red-flags")}
    everywhere = set().union(*concepts.values()) if concepts else set()
    for entry in options.get("ignore-concepts") or []:
        topic, sep, cid = entry.partition("/")
        if sep:
            if topic not in concepts:
                errors.append(f"ignore-concepts: unknown topic {topic!r} in {entry!r} "
                              f"(known topics: {', '.join(sorted(concepts))})")
            elif cid not in concepts[topic]:
                errors.append(f"ignore-concepts: unknown concept {entry!r} "
                              f"(concepts of {topic}: {', '.join(sorted(concepts[topic]))})")
        elif entry not in everywhere:
            errors.append(f"ignore-concepts: unknown concept {entry!r} "
                          f"(known concepts: {', '.join(sorted(everywhere))}; or write topic/concept)")
    return errors

def concept_index(packs, pack) -> PhraseIndex:
    """Phrases of every concept in a pack -> concept id (built once per pack)."""
    return packs.derived((ID, pack["id"]), lambda: PhraseIndex(
        (phrase, concept["id"]) for concept in pack.get("concepts", []) for phrase in concept.get("phrases", [])))


def red_flag_packs(context, options):
    packs = context.packs.of_kind("red-flags")
    if options.get("topics"):
        packs = [p for p in packs if p["id"] in options["topics"]]
    return packs


def check(document, options, context):
    block_tokens = tokens_with_title(document)
    ignored = set(options["ignore-concepts"])
    for pack in topics_of(document, red_flag_packs(context, options)):
        seen = mentioned(concept_index(context.packs, pack), block_tokens)
        for concept in pack.get("concepts", []):
            cid = concept["id"]
            if cid in seen or cid in ignored or f"{pack['id']}/{cid}" in ignored:
                continue
            urgency = "emergency sign" if concept.get("emergency") else "warning sign"
            where = title_offset(document)
            yield Problem(
                message=(f"Article about {pack.get('title', pack['id'])} does not mention the red flag: "
                         f"{concept['name']} ({urgency}; {concept.get('guideline', pack.get('source', ''))})."),
                hint="Add it to a 'When to get help' section, in plain words, with what the reader should do.",
                start=where,
                end=where,
                document_level=True,
                fingerprint_text=f"{pack['id']}/{cid}",
                data={"topic": pack["id"], "concept": cid, "emergency": bool(concept.get("emergency")),
                      "guideline": concept.get("guideline", ""), "url": concept.get("url", "")},
            )


def explain_packs(packs) -> str:
    """Every topic, its red flags and their guidelines, from the loaded packs."""
    lines = ["Topics and red flags in the loaded packs", "----------------------------------------"]
    for pack in sorted(packs.of_kind("red-flags"), key=lambda p: p["id"]):
        lines.append(f"{pack['id']}: {pack.get('title', '')}  [{pack.get('_path', '')}]")
        for concept in pack.get("concepts", []):
            flag = "EMERGENCY" if concept.get("emergency") else "warning"
            lines.append(f"  - {concept['id']} ({flag}): {concept['name']}")
            lines.append(f"      source: {concept.get('guideline', '')} {concept.get('url', '')}".rstrip())
    return "\n".join(lines)
