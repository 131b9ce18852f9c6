"""Red flags in an article: where it tells readers to get help, and which
warning signs it pairs with that help.

A red flag only counts as covered where the text tells the reader that the
sign needs help: in a warning section ("When to get help", "Call 999 if
you:"), in a list introduced by advice ("Get medical help immediately if"),
or in a sentence that pairs the sign with an action ("call", "go to A&E",
"see a GP", "let your provider know"). A sign that merely appears (in a list
of ordinary symptoms, of causes, in a definition, in navigation links or an
abbreviation definition) does not count.

Everything here is computed once per document and topic (``Document.derived``)
and shared by red-flags/missing, red-flags/wrong-urgency and
red-flags/no-emergency-advice. Phrases are data: ``rules/red-flags/*.yaml``.
"""
from __future__ import annotations

import bisect
from dataclasses import dataclass
from typing import Any

from .document import Block, Document
from .terms import article_tokens, link_token_mask, negated
from .text import PhraseIndex, Token, compile_phrase, sentences, stem, tokens
from . import regexcache

# Advice levels, weakest first. WARNING: a warning section that names no
# action ("Warning signs"); ROUTINE: see a doctor, make an appointment;
# URGENT: the same today or at once, call 111; EMERGENCY: 999/911, A&E.
NONE, WARNING, ROUTINE, URGENT, EMERGENCY = range(5)
LEVEL_NAMES = {NONE: "none", WARNING: "warning section", ROUTINE: "routine", URGENT: "urgent", EMERGENCY: "emergency"}

# An abbreviation definition (Markdown Extra / kramdown): "*[A&E]: Accident and Emergency".
_ABBREVIATION_RE = regexcache.compile(r"^\s*\*\[[^\]]+\]:")
# A sentence that only points back at a list: "Call 999 if you notice any of these."
_BACK_REFERENCE = ("these", "this", "above", "any", "those", "them", "such")
# ... and across a heading, only an explicit one: "any of the symptoms above".
_ABOVE = ("above", "listed")


# -- packs ---------------------------------------------------------------------

@dataclass
class AdvicePhrases:
    """The compiled emergency- and help-advice phrases of the packs."""

    emergency: PhraseIndex
    routine: PhraseIndex
    urgent: PhraseIndex
    urgency_words: PhraseIndex
    warning_headings: PhraseIndex
    action_verbs: frozenset
    negators: list
    window: int
    through: frozenset
    concept_negators: list
    concept_through: frozenset


def advice_phrases(packs) -> AdvicePhrases:
    """The emergency-advice and help-advice packs, compiled once per pack set."""
    def build() -> AdvicePhrases:
        emergency = packs.of_kind("emergency-advice")
        help_packs = packs.of_kind("help-advice")

        def listed(pack_list, key):
            return [str(p) for pack in pack_list for p in pack.get(key, []) or []]

        def index(pack_list, key):
            return PhraseIndex((p, True) for p in listed(pack_list, key))

        return AdvicePhrases(
            emergency=index(emergency, "phrases"),
            routine=index(help_packs, "routine"),
            urgent=index(help_packs, "urgent"),
            urgency_words=index(help_packs, "urgency-words"),
            warning_headings=index(help_packs, "warning-headings"),
            action_verbs=frozenset(stem(w) for w in listed(help_packs, "action-verbs")),
            negators=listed(emergency, "negators"),
            window=max([int(p.get("negation-window", 6)) for p in emergency] or [6]),
            through=frozenset(stem(w) for w in listed(emergency, "negation-through")),
            concept_negators=listed(help_packs, "concept-negators"),
            concept_through=frozenset(stem(w) for w in listed(help_packs, "concept-negation-through")),
        )
    return packs.derived(("redflags", "advice"), build)


@dataclass
class ConceptMatcher:
    """A red-flag pack's concepts, compiled: their phrases and ``near`` groups."""

    phrases: PhraseIndex  # phrase -> concept id
    near: PhraseIndex     # group phrase -> (concept id, entry number, group number)
    near_entries: dict    # (concept id, entry number) -> (number of groups, window)


def concept_matcher(packs, pack, extra: dict[str, tuple[str, ...]] | None = None) -> ConceptMatcher:
    """Phrases and ``near`` groups of every concept of ``pack``. ``extra``
    adds phrases to concepts (concept id -> phrases), e.g. a site's own
    crisis line."""
    extra = extra or {}

    def build() -> ConceptMatcher:
        phrase_entries, near_entries, near_meta = [], [], {}
        for concept in pack.get("concepts", []):
            cid = concept["id"]
            for phrase in [*concept.get("phrases", []), *extra.get(cid, ())]:
                phrase_entries.append((str(phrase), cid))
            for n, entry in enumerate(concept.get("near", []) or []):
                groups = entry.get("all") if isinstance(entry, dict) else entry
                window = int(entry.get("window", DEFAULT_NEAR_WINDOW)) if isinstance(entry, dict) else DEFAULT_NEAR_WINDOW
                for g, group in enumerate(groups):
                    for phrase in ([group] if isinstance(group, str) else group):
                        near_entries.append((str(phrase), (cid, n, g)))
                near_meta[(cid, n)] = (len(groups), window)
        return ConceptMatcher(PhraseIndex(phrase_entries), PhraseIndex(near_entries), near_meta)
    key = ("redflags", "concepts", pack["id"], tuple(sorted((k, tuple(v)) for k, v in extra.items())))
    return packs.derived(key, build)


# ``near`` groups must all fall within this many words of one sentence.
DEFAULT_NEAR_WINDOW = 10


# -- where the article gives advice ------------------------------------------------

@dataclass
class BlockInfo:
    """A block with its tokens, sentences and the advice level of each sentence."""

    block: Block
    toks: list[Token]
    sentences: list[tuple[int, int]]  # text offsets
    levels: list[int]                 # advice level of each sentence, context included
    navigation: bool                  # a link list, "See also" line or abbreviation definition
    own: list[int]                    # advice level each sentence states itself


def _sentence_of(sents: list[tuple[int, int]], offset: int) -> int:
    # Sentences are in text order and do not overlap: the first one that
    # ends after ``offset``, by bisection (one long paragraph has thousands).
    i = bisect.bisect_right(sents, offset, key=_end)
    return i if i < len(sents) else len(sents) - 1


def _end(span: tuple[int, int]) -> int:
    return span[1]


def _start(token: Token) -> int:
    return token.start


def _words(toks: list[Token], start: int, end: int) -> list[Token]:
    """The tokens (in text order) that start in [start, end), by bisection."""
    return toks[bisect.bisect_left(toks, start, key=_start):bisect.bisect_left(toks, end, key=_start)]


def _own_levels(text: str, toks, in_link: list[bool], sents, advice: AdvicePhrases, heading: bool,
                navigation: bool) -> list[int]:
    """Advice level of each sentence from its own words."""
    levels = [NONE] * len(sents)
    if not toks or navigation:
        return levels

    def counts(first: int, last: int) -> bool:
        # Advice written only as link text counts when the link is itself an
        # instruction inside running text ("or [go to A&E](...)"), not when it
        # names another page ("[When to Seek Emergency Care](...)").
        if not all(in_link[first:last + 1]):
            return True
        return toks[first].stem in advice.action_verbs or (first > 0 and not in_link[first - 1])

    def raise_to(level: int, first: int, last: int) -> None:
        if not counts(first, last):
            return
        if negated(text, toks, first, advice.negators, advice.window, advice.through or None):
            return
        i = _sentence_of(sents, toks[first].start)
        levels[i] = max(levels[i], level)

    for first, last, _, _ in advice.emergency.finditer(toks):
        raise_to(EMERGENCY, first, last)
    for first, last, _, _ in advice.urgent.finditer(toks):
        raise_to(URGENT, first, last)
    urgent_sentences = {_sentence_of(sents, toks[f].start) for f, _, _, _ in advice.urgency_words.finditer(toks)}
    for first, last, _, _ in advice.routine.finditer(toks):
        i = _sentence_of(sents, toks[first].start)
        raise_to(URGENT if i in urgent_sentences else ROUTINE, first, last)
    if heading:
        for first, last, _, _ in advice.warning_headings.finditer(toks):
            raise_to(WARNING, first, last)
    return levels


def advice_map(document: Document, packs) -> list[BlockInfo]:
    """Every prose block with the advice level of each of its sentences,
    inherited from its section heading, the lead-in line of its list, or an
    instruction right after it."""
    cached = document.derived.get("redflags_advice")
    if cached is not None:
        return cached
    advice = advice_phrases(packs)
    blocks = list(document.prose_blocks())
    all_toks = article_tokens(document)
    infos: list[BlockInfo] = []
    for block, toks in zip(blocks, all_toks):
        sents = list(sentences(block.text)) or [(0, len(block.text))]
        in_link = link_token_mask(document, block, toks) or [False] * len(toks)
        linked = sum(in_link)
        navigation = bool(_ABBREVIATION_RE.match(block.text)) or (
            bool(toks) and linked > 0 and len(toks) - linked <= 3 and block.kind != "heading")
        own = _own_levels(block.text, toks, in_link, sents, advice, _introduces(block), navigation)
        infos.append(BlockInfo(block, toks, sents, list(own), navigation, own))

    # An instruction right after a sentence applies to it: "Sudden, severe
    # pain in the chest. Call 999." (the next sentence starts with an action
    # verb or is short). An unconditional one ("Call 911 right away.", no
    # "if" or "when" of its own) applies to every sentence of the paragraph
    # before it, back to the previous piece of advice.
    for info in infos:
        for i in range(len(info.sentences) - 1, 0, -1):
            level = info.levels[i]
            if level <= WARNING or not _is_follow_up(info, i, advice):
                continue
            back = i - 1
            while back >= 0 and info.levels[back] < level:
                info.levels[back] = level
                if back < i - 1 or not _is_unconditional(info, i):
                    break
                back -= 1
                if back >= 0 and info.own[back] > NONE:
                    break

    # Sections: a heading's level applies to the blocks under it (the nearest
    # heading that gives advice wins). The page title (first level-1
    # heading) does not: it covers the whole page.
    stack: list[tuple[int, int]] = []  # (heading level, advice level)
    first_h1_seen = False
    section_levels = []
    for info in infos:
        b = info.block
        if b.kind == "heading":
            while stack and stack[-1][0] >= b.level:
                stack.pop()
            is_title = b.level == 1 and not first_h1_seen
            first_h1_seen = first_h1_seen or b.level == 1
            # a sub-heading is inside its parent's section ("## Call 999 if" /
            # "### Chest pain that spreads to your arm")
            section_levels.append(next((lvl for _, lvl in reversed(stack) if lvl > NONE), NONE))
            if not is_title:
                stack.append((b.level, max(info.levels)))
            continue
        inherited = next((lvl for _, lvl in reversed(stack) if lvl > NONE), NONE)
        section_levels.append(inherited)

    # Lists: the line that introduces a list ("Call 999 if you:", "Get
    # medical help immediately if") applies to its items, and so does a line
    # right after the list that points back at it ("Call 999 if you notice
    # any of these"), or an item that does ("Time: call 999 if you see any
    # of these signs").
    lead_levels = [NONE] * len(infos)
    i = 0
    while i < len(infos):
        if infos[i].block.kind != "list_item":
            i += 1
            continue
        j = i
        while j < len(infos) and infos[j].block.kind == "list_item":
            j += 1
        level = NONE
        before = infos[i - 1] if i > 0 else None
        if before is not None and before.block.kind in ("paragraph", "blockquote") and not before.navigation:
            level = max(level, before.levels[-1])
        for k in range(i, j):
            if infos[k].block.level == infos[i].block.level and _points_back(infos[k], advice):
                level = max(level, max(infos[k].levels))
        after = infos[j] if j < len(infos) else None
        if after is not None and after.block.kind == "paragraph" and _points_back(after, advice, first_only=True):
            level = max(level, after.levels[0])
        # "See a GP if you have any of the symptoms above" in the next section
        if after is not None and after.block.kind == "heading" and j + 1 < len(infos):
            nxt = infos[j + 1]
            if nxt.block.kind == "paragraph" and _points_back(nxt, advice, first_only=True, words=_ABOVE):
                level = max(level, nxt.levels[0])
        for k in range(i, j):
            lead_levels[k] = level
            # a nested item inherits from the item that introduces it ("- Call 999 if you:")
            parent = next((infos[m] for m in range(k - 1, i - 1, -1)
                           if infos[m].block.level < infos[k].block.level), None)
            if parent is not None:
                lead_levels[k] = max(lead_levels[k], parent.levels[-1])
        # An item that introduces nested ones ("- If you are dizzy and:") and
        # the nested items share their advice ("  - call 999 straight away").
        for k in range(i, j):
            if infos[k].block.text.rstrip().endswith(":"):
                m = k + 1
                while m < j and infos[m].block.level > infos[k].block.level:
                    m += 1
                shared = max(max(max(infos[n].levels) for n in range(k, m)), lead_levels[k])
                for n in range(k, m):
                    lead_levels[n] = max(lead_levels[n], shared)
        i = j

    # A table row: the advice in one cell applies to the other cells of the
    # row ("Sudden, severe headache | Call 999"). Cells of one Markdown row
    # share a source line; in HTML they follow the same "<tr".
    rows: dict[int, list[int]] = {}
    for k, info in enumerate(infos):
        if info.block.kind == "table_cell":
            if document.format == "html":
                row = document.source.rfind("<tr", 0, info.block.start)
            else:
                row = document.position(info.block.start)[0]
            rows.setdefault(row, []).append(k)
    for cells in rows.values():
        level = max(max(infos[k].levels) for k in cells)
        for k in cells:
            lead_levels[k] = max(lead_levels[k], level)

    # A paragraph that ends with a colon introduces the next paragraph too.
    for k in range(1, len(infos)):
        prev = infos[k - 1]
        if infos[k].block.kind == "paragraph" and prev.block.kind == "paragraph" \
                and prev.block.text.rstrip().endswith(":"):
            lead_levels[k] = max(lead_levels[k], prev.levels[-1])

    for info, section, lead in zip(infos, section_levels, lead_levels):
        context = max(section, lead)
        if context:
            info.levels = [max(level, context) for level in info.levels]
    document.derived["redflags_advice"] = infos
    return infos


def _introduces(block: Block) -> bool:
    """A heading, or a line that introduces what follows ("Other signs of a
    stroke include:"): warning-heading phrases apply to it."""
    if block.kind == "heading":
        return True
    text = block.text.rstrip()
    return block.kind == "paragraph" and (text.endswith(":") or text.lower().endswith(("include", "including")))


def _is_follow_up(info: BlockInfo, i: int, advice: AdvicePhrases) -> bool:
    """Sentence ``i`` is an instruction about what came before it: it has no
    condition of its own and starts with an action verb or is short ("Call
    999.", "Still call 999."), or it is short and points back ("Call 999 if
    this happens."). "Get help right away if you have a stiff neck" is about
    its own condition, not the sentence before."""
    s, e = info.sentences[i]
    words = _words(info.toks, s, e)
    if not words:
        return False
    if _is_unconditional(info, i):
        return words[0].stem in advice.action_verbs or len(words) <= 8
    return len(words) <= 8 and any(t.norm in _BACK_REFERENCE for t in words)


_CONDITIONS = frozenset({"if", "when", "unless", "whenever", "while"})


def _is_unconditional(info: BlockInfo, i: int) -> bool:
    s, e = info.sentences[i]
    return not any(t.norm in _CONDITIONS for t in _words(info.toks, s, e))


def _points_back(info: BlockInfo, advice: AdvicePhrases, first_only: bool = False,
                 words: frozenset | tuple = _BACK_REFERENCE) -> bool:
    """An advice sentence that refers back to what came before ("any of these")."""
    for n, (s, e) in enumerate(info.sentences[:1] if first_only else info.sentences):
        if info.levels[n] <= WARNING:
            continue
        if any(t.norm in words for t in _words(info.toks, s, e)):
            return True
    return False


def gives_emergency_advice(document: Document, packs) -> bool:
    """True if some sentence of the article (navigation, link titles and
    abbreviation definitions aside) tells readers to get emergency help. The
    page title counts too."""
    if any(EMERGENCY in info.own for info in advice_map(document, packs)):
        return True
    title = document.metadata.title
    if title:
        toks = tokens(title)
        sents = [(0, len(title))]
        return EMERGENCY in _own_levels(title, toks, [False] * len(toks), sents, advice_phrases(packs), True, False)
    return False


# -- concept coverage ---------------------------------------------------------------

@dataclass
class Mention:
    """Where an article names a red-flag concept, and the advice level there."""

    concept: str
    block: Block
    start: int  # text offsets in the block
    end: int
    level: int


def concept_mentions(document: Document, packs, pack, extra=None) -> list[Mention]:
    """Every mention of ``pack``'s concepts in the article's prose (not in
    navigation or abbreviation definitions, not negated: "you do not have a
    fever"), with the advice level of its sentence."""
    key = ("redflags_mentions", pack["id"], tuple(sorted((k, tuple(v)) for k, v in (extra or {}).items())))
    if key in document.derived:
        return document.derived[key]
    advice = advice_phrases(packs)
    matcher = concept_matcher(packs, pack, extra)
    out: list[Mention] = []
    for info in advice_map(document, packs):
        if info.navigation or not info.toks:
            continue
        toks, text = info.toks, info.block.text
        found: list[tuple[str, int, int]] = [(cid, first, last) for first, last, cid, _ in matcher.phrases.finditer(toks)]
        found.extend(_near_matches(matcher, toks, info.sentences))
        for cid, first, last in found:
            if negated(text, toks, first, advice.concept_negators, 3, advice.concept_through or None):
                continue
            i = _sentence_of(info.sentences, toks[first].start)
            out.append(Mention(cid, info.block, toks[first].start, toks[last].end, info.levels[i]))
    document.derived[key] = out
    return out


def _near_matches(matcher: ConceptMatcher, toks, sents) -> list[tuple[str, int, int]]:
    """Concepts whose ``near`` groups all occur within the entry's window,
    in one sentence, in any order."""
    hits: dict[tuple[str, int], list[tuple[int, int, int, int]]] = {}
    for first, last, (cid, n, g), _ in matcher.near.finditer(toks):
        hits.setdefault((cid, n), []).append((_sentence_of(sents, toks[first].start), first, last, g))
    out = []
    for (cid, n), found in hits.items():
        groups, window = matcher.near_entries[(cid, n)]
        if len({g for _, _, _, g in found}) < groups:
            continue
        for sent, start, _, _ in sorted(found):
            inside = {g for s, f, l, g in found if s == sent and start <= f and l < start + window}
            if len(inside) == groups:
                last = max(l for s, f, l, g in found if s == sent and start <= f and l < start + window)
                out.append((cid, start, last))
                break
    return out


def concept_levels(document: Document, packs, pack, extra=None) -> dict[str, int]:
    """Concept id -> the strongest advice the article pairs it with (NONE
    when it is only mentioned without advice; absent when never mentioned)."""
    levels: dict[str, int] = {}
    for m in concept_mentions(document, packs, pack, extra):
        levels[m.concept] = max(levels.get(m.concept, NONE), m.level)
    return levels


def applicable_concepts(document: Document, pack: dict[str, Any]) -> list[dict[str, Any]]:
    """The pack's concepts minus those its sub-scopes rule out for this
    article (``not-in: [injury]`` when the title says it is about an injury)."""
    scopes = article_scopes(document, pack)
    out = []
    for concept in pack.get("concepts", []):
        if scopes & set(concept.get("not-in", []) or []):
            continue
        only = set(concept.get("only-in", []) or [])
        if only and not (scopes & only):
            continue
        out.append(concept)
    return out


def article_scopes(document: Document, pack: dict[str, Any]) -> set[str]:
    """Sub-scopes of ``pack`` (``scopes: {injury: {when: [...], unless: [...]}}``)
    that the title, first heading or tags state."""
    declared = pack.get("scopes") or {}
    if not declared:
        return set()
    heads = [document.metadata.title, *document.metadata.tags,
             *(b.text for b in document.blocks if b.kind == "heading" and b.level == 1)]
    head_toks = [tokens(h) for h in heads if h]
    out = set()
    for name, spec in declared.items():
        when = spec.get("when", []) if isinstance(spec, dict) else spec
        unless = spec.get("unless", []) if isinstance(spec, dict) else []
        if _any_phrase(when, head_toks) and not _any_phrase(unless, head_toks):
            out.add(str(name))
    return out


def _any_phrase(phrases, token_lists) -> bool:
    if not phrases:
        return False
    index = PhraseIndex((str(p), True) for p in phrases)
    return any(next(iter(index.finditer(toks)), None) for toks in token_lists)


def concept_label(concept: dict[str, Any]) -> str:
    return str(concept.get("short") or concept["id"].replace("-", " "))


__all__ = ["NONE", "WARNING", "ROUTINE", "URGENT", "EMERGENCY", "LEVEL_NAMES", "advice_map", "advice_phrases",
           "applicable_concepts", "article_scopes", "compile_phrase", "concept_levels", "concept_matcher",
           "concept_mentions", "gives_emergency_advice", "concept_label"]
