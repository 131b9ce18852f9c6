"""An article about a symptom does not tell readers about some of its red flags.

What it does
------------
Works out which topics the article is about from the ``red-flags`` rule
packs in ``rules/red-flags/`` (back pain, neck pain, chest pain, headache,
abdominal pain, shortness of breath, dizziness and stroke, fever in
children and in adults, seizures, asthma attacks, allergic reactions, head
injury, mental-health crisis). The title, the first-level heading and the
tags decide: a pack's "strong" trigger there ("back pain", "sciatica")
names the topic when the body supports it (at least ``min-title-support``
mentions, default 2), and then the body is not used to detect other topics,
so a neck-pain article that lists stroke signs is not a stroke article.
Only when they name no supported topic do body mentions count
(``min-body-mentions`` of the pack's body triggers; a mention in a list
item counts half and one in a link list not at all, so a list of causes
of arm tingling that names neck pain is not a neck-pain article). A
pack's ``not-for`` phrases in the title rule it out ("Fever in children"
is not an adult-fever article), and its sub-scopes drop concepts that do
not apply (no cancer or meningitis flags for a whiplash article).

A red flag counts as covered only where the article tells the reader that
the sign needs help: under a warning heading ("When to get help", "Call
999 if you:"), in a list introduced by advice ("Get medical help
immediately if"), or in a sentence that pairs it with an action (call, go
to A&E, see a GP, let your provider know), or that an instruction follows
("Sudden, severe pain. Call 999."). A sign that only appears in a list of
ordinary symptoms or causes, a definition, a self-care line ("ask a
pharmacist about constipation"), navigation links or an abbreviation
definition does not count, and neither does a negated one ("you do not
have a fever") or the bare name of a condition ("meningitis").

Signs are matched tolerantly: word forms, many everyday phrasings, and
``near`` groups (the key words of a concept, in any order, within a few
words of one sentence: "pain when you touch your stomach" is tenderness).

It reports one finding per topic that lists every missing concept with
its id (for ``ignore-concepts``), whether it is an emergency sign, and its
guideline; the JSON output keeps one entry per concept in
``data.details``. ``health-lint explain red-flags/missing --topic
back-pain`` shows a pack's concepts, phrasings, urgency and guideline.

Why it matters
--------------
Most symptom articles are read by someone who has the symptom now. Red
flags are the signs that mean "this is not ordinary, get help": cauda
equina syndrome in back pain, heart attack signs in chest pain, thunderclap
headache. An article that reassures without naming them, or names them
without saying that they need help, can delay care that saves a limb or a
life. Guidelines (NICE, NHS, ACP, AHA/ASA, MedlinePlus) list them so that
every patient leaflet can.

Options
-------
- ``topics`` (list, default empty = all packs): only check these topic ids.
- ``ignore-concepts`` (list, default empty): concept ids (``topic/concept``
  or ``concept``) a site has decided not to require.
- ``crisis-lines`` (list, default empty): extra crisis-line numbers or
  names that satisfy the mental-health ``crisis-line`` concept besides the
  built-in ones (988, Samaritans 116 123), e.g. ``["13 11 14", "Lifeline"]``.

Unknown topic or concept ids (a typo would silently switch checks off) are
configuration errors that list the known ids. The rule only runs on English
documents (or documents that declare no language).

Examples
--------
FAIL:

    # Lower back pain

    Lower back pain is very common. Most lower back pain gets better in a
    few weeks. Keep moving and use heat to ease the pain.

FAIL:

    # Abdominal pain

    Abdominal pain is common. Speak to a pharmacist about constipation
    (when you cannot poo). Abdominal pain usually passes in a day or two.

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
under 5s; NICE NG185 Acute coronary syndromes; NICE NG232 Head injury; NICE
NG225 Self-harm; NICE CG134 Anaphylaxis; BTS/SIGN asthma guideline; NHS
conditions pages; ACP guideline on low back pain (2017); AHA/ASA stroke
warning signs (BE FAST); 988 Suicide & Crisis Lifeline; MedlinePlus. Each
concept's own guideline is in its pack, in ``explain --topic`` and in the
finding's details (rules/SOURCES.md lists them all).
"""
from __future__ import annotations

from ..findings import Problem
from ..redflags import EMERGENCY, NONE, applicable_concepts, concept_levels
from ..terms import title_offset, topics_of

ID = "red-flags/missing"
SEVERITY = "warning"
SCOPE = "document"
CONF = {"topics": list, "ignore-concepts": list, "crisis-lines": list}
DEFAULT = {"topics": [], "ignore-concepts": [], "crisis-lines": []}
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
    for entry in options.get("crisis-lines") or []:
        if not str(entry).strip():
            errors.append("crisis-lines: empty entry")
    return errors


def red_flag_packs(context, options):
    packs = context.packs.of_kind("red-flags")
    if options.get("topics"):
        packs = [p for p in packs if p["id"] in options["topics"]]
    return packs


def extra_phrases(pack, options) -> dict[str, tuple[str, ...]]:
    """The site's crisis lines, for the concepts marked ``crisis-line: true``."""
    lines = tuple(str(x) for x in options.get("crisis-lines") or [])
    if not lines:
        return {}
    return {c["id"]: lines for c in pack.get("concepts", []) if c.get("crisis-line")}


def is_covered(concept, level) -> bool:
    """A concept is covered when the article pairs it with advice, or (for
    an ``advice: true`` concept such as a crisis line) simply gives it."""
    if level is None:
        return False
    return concept.get("advice") or level > NONE


def missing_concepts(document, context, pack, options):
    ignored = set(options.get("ignore-concepts") or [])
    levels = concept_levels(document, context.packs, pack, extra_phrases(pack, options))
    out = []
    for concept in applicable_concepts(document, pack):
        cid = concept["id"]
        if cid in ignored or f"{pack['id']}/{cid}" in ignored:
            continue
        if not is_covered(concept, levels.get(cid)):
            out.append(concept)
    return out


def check(document, options, context):
    for pack in topics_of(document, red_flag_packs(context, options)):
        missing = missing_concepts(document, context, pack, options)
        if not missing:
            continue
        title = pack.get("title", pack["id"])
        plural = "s" if len(missing) > 1 else ""
        listed = "; ".join(f"{c['id']} ({'EMERGENCY' if c.get('emergency') else 'warning'}): {c['name']}"
                           for c in missing)
        guidelines = list(dict.fromkeys(str(c.get("guideline", "")) for c in missing if c.get("guideline")))
        where = title_offset(document)
        yield Problem(
            message=(f"Article about {title} does not tell readers about {len(missing)} red flag{plural} "
                     f"(or names them without saying to get help): {listed}."),
            hint=("Add a 'When to get help' section that names each sign in plain words with what to do "
                  "(emergency signs: call 999/911 or go to A&E/the emergency department). Sources: "
                  + "; ".join(guidelines) + f". Details: health-lint explain {ID} --topic {pack['id']}"),
            start=where,
            end=where,
            document_level=True,
            fingerprint_text=f"{pack['id']}: " + ", ".join(sorted(c["id"] for c in missing)),
            data={"topic": pack["id"], "concepts": [c["id"] for c in missing],
                  "details": [{"topic": pack["id"], "concept": c["id"], "id": f"{pack['id']}/{c['id']}",
                               "name": c["name"], "emergency": bool(c.get("emergency")),
                               "guideline": c.get("guideline", ""), "url": c.get("url", "")}
                              for c in missing]},
        )


def explain_packs(packs, topic: str | None = None) -> str:
    """Every topic, its red flags and their guidelines, from the loaded
    packs; with ``topic``, that pack's concepts in full (phrasings too)."""
    chosen = sorted(packs.of_kind("red-flags"), key=lambda p: p["id"])
    if topic is not None:
        chosen = [p for p in chosen if p["id"] == topic]
        if not chosen:
            known = ", ".join(sorted(p["id"] for p in packs.of_kind("red-flags")))
            raise ValueError(f"unknown topic {topic!r} (known topics: {known})")
    lines = ["Topics and red flags in the loaded packs", "----------------------------------------"]
    for pack in chosen:
        lines.append(f"{pack['id']}: {pack.get('title', '')}  [{pack.get('_path', '')}]")
        if topic is not None:
            triggers = pack.get("triggers") or {}
            lines.append(f"  title triggers: {', '.join(map(str, triggers.get('strong', []) or []))}")
            if pack.get("not-for"):
                lines.append(f"  not for (title): {', '.join(map(str, pack['not-for']))}")
            for name, spec in (pack.get("scopes") or {}).items():
                when = spec.get("when", []) if isinstance(spec, dict) else spec
                lines.append(f"  scope {name} (title): {', '.join(map(str, when))}")
        for concept in pack.get("concepts", []):
            flag = "EMERGENCY" if concept.get("emergency") else "warning"
            if concept.get("advice"):
                flag += ", advice to give"
            lines.append(f"  - {concept['id']} ({flag}): {concept['name']}")
            lines.append(f"      source: {concept.get('guideline', '')} {concept.get('url', '')}".rstrip())
            if topic is not None:
                for key in ("not-in", "only-in"):
                    if concept.get(key):
                        lines.append(f"      {key}: {', '.join(concept[key])}")
                if concept.get("note"):
                    lines.append(f"      note: {concept['note']}")
                phrases = [str(p) for p in concept.get("phrases", [])]
                phrases += [" + ".join(g if isinstance(g, str) else "|".join(g)
                                       for g in (e.get("all") if isinstance(e, dict) else e))
                            for e in concept.get("near", []) or []]
                lines.append(f"      phrasings ({len(phrases)}): " + "; ".join(phrases))
    return "\n".join(lines)
