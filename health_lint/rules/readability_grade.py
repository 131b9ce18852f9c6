"""Reading grade of the article is above the target for patient material.

What it does
------------
Measures the Flesch-Kincaid grade level of the article's prose (paragraphs,
list items and quotes; not headings, code, URLs or front matter) and reports
it when it is above ``max-grade``. The message also gives the Flesch reading
ease and SMOG index, and names the hardest section (the heading whose text
scores highest), so the editor knows where to start.

Why it matters
--------------
Half of adults read at or below an 8th-grade level, and health literacy is
lower still when people are unwell or worried. The NIH and the AMA ask for
patient materials at grade 6 to 8. Text above that is skimmed, misread or
abandoned, and readers miss the advice that keeps them safe.

Options
-------
- ``max-grade`` (number, default 8): highest acceptable Flesch-Kincaid grade.
- ``min-words`` (integer, default 50): articles with fewer words of prose are
  not scored (scores on a few sentences are noise).
- ``min-section-words`` (integer, default 40): sections shorter than this are
  not named as the hardest section.

Examples
--------
FAIL:

    # Thoracic pain

    Thoracic intervertebral disc herniation constitutes a comparatively
    infrequent pathological entity, characteristically manifesting through
    radicular symptomatology, myelopathic deterioration, or nonspecific
    musculoskeletal discomfort, thereby necessitating comprehensive
    neurological evaluation and advanced diagnostic imaging investigations
    before therapeutic decision-making regarding conservative management
    versus surgical decompression procedures. Subsequently, individualized
    rehabilitation incorporating progressive resistance exercises facilitates
    functional restoration.

PASS:

    # Back pain

    Back pain is common. Most people get it at some point. It often gets
    better on its own in a few weeks. Keep moving as much as you can. Short
    walks help. Bed rest can make it worse. Heat packs may ease the pain.
    Ask a pharmacist about pain relief you can buy. See a doctor if the pain
    does not get better after a few weeks or if you are worried.

How to fix
----------
Use shorter sentences (aim for 15 to 20 words) and everyday words: "heart
attack" rather than "myocardial infarction", "use" rather than "utilize".
Split long paragraphs and use lists for steps. Start with the hardest
section named in the message.
"""
from __future__ import annotations

from ..findings import Problem
from ..readability import ZERO, score_text
from ..terms import title_offset

ID = "readability/grade"
SEVERITY = "warning"
SCOPE = "document"
# English packs and formulas: pages in other languages are skipped.
LANGUAGES = ("en",)
CONF = {"max-grade": float, "min-words": int, "min-section-words": int}
DEFAULT = {"max-grade": 8.0, "min-words": 50, "min-section-words": 40}

# Headings and table cells are labels, not running prose.
_SCORED_KINDS = ("paragraph", "list_item", "blockquote")


def check(document, options, context):
    total = ZERO
    by_section: dict[str, object] = {}
    order: list[str] = []
    for block in document.blocks:
        if block.kind not in _SCORED_KINDS:
            continue
        scores = score_text(block.text, block.ignore)
        total = total + scores
        if block.section not in by_section:
            by_section[block.section] = ZERO
            order.append(block.section)
        by_section[block.section] = by_section[block.section] + scores
    if total.words < options["min-words"]:
        return
    grade = total.flesch_kincaid_grade
    if grade <= options["max-grade"]:
        return
    hardest = ""
    candidates = [(s, by_section[s]) for s in order if s and by_section[s].words >= options["min-section-words"]]
    if candidates and len(order) > 1:
        name, scores = max(candidates, key=lambda item: item[1].flesch_kincaid_grade)
        # Only worth naming when that section is itself above the target.
        if scores.flesch_kincaid_grade > options["max-grade"]:
            hardest = f' Hardest section: "{name}" (grade {scores.flesch_kincaid_grade:.1f}).'
    yield Problem(
        message=(f"Reading grade {grade:.1f} (Flesch-Kincaid); aim for {options['max-grade']:g} or lower. "
                 f"Flesch reading ease {total.flesch_reading_ease:.1f}, SMOG {total.smog:.1f}.{hardest}"),
        hint="Use shorter sentences and everyday words; start with the hardest section.",
        start=title_offset(document),
        end=title_offset(document),
        document_level=True,
        data={"grade": round(grade, 2), "reading_ease": round(total.flesch_reading_ease, 2),
              "smog": round(total.smog, 2), "words": total.words, "sentences": total.sentences},
        fingerprint_text="readability/grade",
    )
