"""Health claims without a link to an authoritative source.

What it does
------------
When an article is health content (it is about a red-flag topic, or uses at
least ``min-medical-words`` health words: everyday ones from the
``health-signal`` pack, ``rules/terms/health-signal.yaml``, such as "doctor",
"symptoms" or "blood pressure", and words from the medical word lists) and
has at
least ``min-words`` words, checks that at least one outbound link goes to
an authoritative source from the ``domains`` pack
(``rules/domains/authoritative.yaml``): government and intergovernmental
health agencies, major academic medical centres, literature indexes and
journals, professional societies. Subdomains count
(``www.ninds.nih.gov`` is ``nih.gov``); sites add domains with their own
``domains`` pack.

Why it matters
--------------
Readers, reviewers and search engines look for evidence behind health
advice. A link to the NHS, the NIH, a guideline or a study lets readers check
the advice and find more.

Options
-------
- ``min-words`` (integer, default 100): shorter pages (notes, stubs) are skipped.
- ``min-medical-words`` (integer, default 5): how many health words
  (health-signal phrases and medical-vocabulary words, each occurrence
  counted) make an article health content when no red-flag topic is
  detected.

Examples
--------
FAIL:

    # Sciatica

    Sciatica is pain that runs from your lower back down one leg. It happens
    when the sciatic nerve is pressed or irritated, often by a slipped disc.
    Most sciatica gets better in four to six weeks. Keep moving, take short
    walks and use heat packs. Anti-inflammatory painkillers such as
    ibuprofen may help. A physiotherapist can show you exercises. If the
    pain is severe, a doctor may suggest a steroid injection. Very rarely,
    surgery such as a microdiscectomy is needed. See a doctor if your leg
    feels weak or numb, or if the pain lasts more than a few weeks. Go to the
    emergency department if you cannot control your bladder or bowel, or
    you feel numb around your bottom. These can be signs of cauda equina
    syndrome, which needs treatment straight away.

PASS:

    # Sciatica

    Sciatica is pain that runs from your lower back down one leg. It happens
    when the sciatic nerve is pressed or irritated, often by a slipped disc.
    Most sciatica gets better in four to six weeks. Keep moving, take short
    walks and use heat packs. Anti-inflammatory painkillers such as
    ibuprofen may help. A physiotherapist can show you exercises. If the
    pain is severe, a doctor may suggest a steroid injection. Very rarely,
    surgery such as a microdiscectomy is needed. See a doctor if your leg
    feels weak or numb, or if the pain lasts more than a few weeks. Go to the
    emergency department if you cannot control your bladder or bowel, or
    you feel numb around your bottom. Read the
    [NHS guide to sciatica](https://www.nhs.uk/conditions/sciatica/).

How to fix
----------
Link the claims to a guideline, a government health page or a study, with
link text that names the source.
"""
from __future__ import annotations

from ..findings import Problem
from ..text import TOKEN_NORM, PhraseIndex
from ..spelling import is_dialect_list
from ..terms import article_tokens, authoritative_domains, domain_in, host_of, is_outbound, title_offset, topics_of

ID = "links/no-authoritative-source"
SEVERITY = "warning"
SCOPE = "document"
# English packs and formulas: pages in other languages are skipped.
LANGUAGES = ("en",)
CONF = {"min-words": int, "min-medical-words": int}
DEFAULT = {"min-words": 100, "min-medical-words": 5}


def health_signals(packs) -> tuple[PhraseIndex, frozenset[str]]:
    """The health-signal phrases (one index) and the lowercased words of the
    medical word lists (every list but accept, reject and dialect lists)."""
    key = id(packs)
    if key not in _SIGNALS:
        index = PhraseIndex((str(phrase), True) for pack in packs.of_kind("health-signal")
                            for phrase in pack.get("phrases") or [])
        medical = frozenset(w.lower() for name, words in packs.word_lists.items()
                            if name not in ("accept", "reject") and not is_dialect_list(name) for w in words)
        _SIGNALS[key] = (index, medical)
    return _SIGNALS[key]


_SIGNALS: dict[int, tuple] = {}


def health_word_count(packs, block_tokens, enough: int | None = None) -> int:
    """Health-signal phrase matches plus medical words. A word is counted
    once: "high blood pressure" is one match, not also "blood pressure".
    With ``enough``, counting stops once it is reached (the rule only asks
    whether an article has that many)."""
    index, medical = health_signals(packs)
    is_medical = medical.__contains__
    count = 0
    for toks in block_tokens:
        count += sum(map(is_medical, map(TOKEN_NORM, toks)))  # C-level: every word of the article
        matches = index.finditer(toks)
        if matches:
            in_phrase: set[int] = set()
            covered = -1  # last token index inside a counted phrase
            for first, last, _, _ in sorted(matches, key=lambda m: (m[0], -m[1])):
                in_phrase.update(range(first, last + 1))
                if first > covered:
                    count += 1
                    covered = last
            count -= sum(1 for i in in_phrase if toks[i].norm in medical)  # counted with their phrase
        if enough is not None and count >= enough:
            break
    return count


def is_health_content(document, context, block_tokens, min_medical: int) -> bool:
    if topics_of(document, context.packs.of_kind("red-flags")):
        return True
    return health_word_count(context.packs, block_tokens, enough=min_medical) >= min_medical


def check(document, options, context):
    block_tokens = article_tokens(document)
    if sum(len(t) for t in block_tokens) < options["min-words"]:
        return
    domains = authoritative_domains(context.packs)
    for link in document.links:
        if is_outbound(link.url) and domain_in(host_of(link.url), domains):
            return
    if not is_health_content(document, context, block_tokens, options["min-medical-words"]):
        return
    where = title_offset(document)
    yield Problem(message="Health article with no link to an authoritative source (e.g. NHS, NIH, CDC, a guideline or a study).",
                  hint="Link the main advice to a guideline or government health page, naming the source.",
                  start=where, end=where, document_level=True, fingerprint_text=ID)
