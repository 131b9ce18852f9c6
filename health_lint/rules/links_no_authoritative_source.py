"""Health claims without a link to an authoritative source.

What it does
------------
When an article is health content (it is about a red-flag topic, or uses at
least ``min-medical-words`` words from the medical vocabulary) and has at
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
- ``min-medical-words`` (integer, default 5): how many medical-vocabulary
  words make an article health content when no red-flag topic is detected.

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
from ..spelling import vocabulary
from ..terms import article_tokens, authoritative_domains, detect_topics, domain_in, host_of, is_outbound, title_offset

ID = "links/no-authoritative-source"
SEVERITY = "warning"
SCOPE = "document"
CONF = {"min-words": int, "min-medical-words": int}
DEFAULT = {"min-words": 100, "min-medical-words": 5}


def is_health_content(document, context, block_tokens, min_medical: int) -> bool:
    if detect_topics(document, context.packs.of_kind("red-flags"), block_tokens):
        return True
    vocab = vocabulary(context.packs)
    medical = {w.lower() for w in vocab.extra_lower}
    count = sum(1 for toks in block_tokens for t in toks if t.norm in medical)
    return count >= min_medical


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
