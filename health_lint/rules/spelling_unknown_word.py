"""A word that is not in the dictionary or the medical word list.

What it does
------------
Checks every word of the article's prose against pyspellchecker's English
dictionary, the medical word list shipped in ``rules/words/medical.txt``
(anatomy, conditions, procedures, specialties, generic drug names) and the
project vocabularies ``accept.txt`` (words to accept) and ``reject.txt``
(words always to report), Vale style. Suggests the most common word one
letter away when there is one.

The dictionary is US English. British spellings (colour, centre, tumour,
programme, paediatric, oesophagus) come from ``rules/words/en-GB.txt`` and
are accepted when ``en-GB`` is in ``dialects``, as it is by default: many
health sites mix both. A US-only site sets ``dialects = ["en-US"]``, and then
British spellings are reported with the US spelling suggested. A site adds
another dialect with a word list named after its tag (``en-AU.txt``) in its
``packs`` folder and lists the tag in ``dialects``.

Not checked: code, URLs, e-mail addresses, domain names, numbers, acronyms
in capitals (MRI, NSAIDs), words with capitals inside (iPhone), capitalised
words inside a sentence (names of people, places and brands), the author's
and reviewer's names, and page boilerplate outside the main content.
Contractions with straight or curly apostrophes (didn’t) are checked as the
word they contract.

Why it matters
--------------
Spelling mistakes make readers doubt the accuracy of everything else, and
in health writing a misspelled drug or condition name can send a reader to
the wrong information.

Options
-------
- ``suggest`` (boolean, default true): suggest corrections (one edit away).
- ``min-length`` (integer, default 3): shorter words are not checked.
- ``dialects`` (list, default ``["en-US", "en-GB"]``): English dialects
  whose spellings are accepted. US English (the dictionary) is always
  accepted; each other tag needs a word list of that name (``en-GB.txt``):
  an unknown tag is a configuration error, as is a ``min-length`` outside
  1-30. English documents only (a page that declares another language is
  skipped).

Examples
--------
FAIL:

    # Sciatica

    Sciatca is pain that runs down the leg.

PASS:

    # Sciatica

    Sciatica is pain that runs down the leg. A physiatrist may suggest
    gabapentin, NSAIDs or a microdiscectomy after an MRI. Don’t worry.

PASS with dialects = ["en-US", "en-GB"]:

    # Sciatica

    Sciatica is pain that runs down the leg. Your paediatric centre can
    help with a programme of exercises and advice on behaviour.

FAIL with dialects = ["en-US"]:

    # Sciatica

    Sciatica is pain that runs down the leg. Your paediatric centre can
    help.

How to fix
----------
Correct the spelling. If the word is right (a name, a brand, a term your
site uses), add it to ``accept.txt`` in one of your ``packs`` folders.
"""
from __future__ import annotations

from ..findings import Problem
from ..spelling import vocabulary
from ..text import sentences, tokens

ID = "spelling/unknown-word"
SEVERITY = "warning"
SCOPE = "document"
CONF = {"suggest": bool, "min-length": int, "dialects": list}
DEFAULT = {"suggest": True, "min-length": 3, "dialects": ["en-US", "en-GB"]}
LANGUAGES = ("en",)


def validate(options, packs) -> list[str]:
    """``min-length`` from 1 to 30; every dialect other than en-US needs a
    word list of that name in the packs (a typo would silently report every
    British spelling)."""
    from ..spelling import is_dialect_list

    errors = []
    n = options.get("min-length", 3)
    if not 1 <= n <= 30:
        errors.append(f"min-length: must be between 1 and 30, not {n}")
    lists = {name.lower(): name for name in packs.word_lists if is_dialect_list(name)}
    known = ["en-US", *sorted(lists.values())]
    unknown = [d for d in options.get("dialects") or [] if d.strip().lower() not in {"en-us", *lists}]
    if unknown:
        errors.append(f"dialects: unknown dialect{'s' if len(unknown) > 1 else ''} {', '.join(map(repr, unknown))} "
                      f"(known: {', '.join(known)}; add a word list named after the tag, e.g. en-AU.txt, to a packs folder)")
    return errors

_CONTRACTIONS = ("n't", "'s", "'re", "'ve", "'ll", "'d", "'m")


def _base(word: str) -> str:
    """The word a contraction or possessive is built on: didn't -> did."""
    low = word.lower()
    for suffix in _CONTRACTIONS:
        if low.endswith(suffix) and len(low) > len(suffix):
            stem = word[: len(word) - len(suffix)]
            return {"ca": "can", "wo": "will", "sha": "shall"}.get(stem.lower(), stem)
    return word.strip("'")


def _skip(word: str, sentence_start: bool, min_length: int) -> bool:
    if len(word) < min_length or any(c.isdigit() for c in word) or "." in word:  # e.g., U.S., 2.5
        return True
    letters = [c for c in word if c.isalpha()]
    if sum(1 for c in letters if c.isupper()) >= 2:  # MRI, NSAIDs, iPhone
        return True
    if any(c.isupper() for c in word[1:]):
        return True
    return word[0].isupper() and not sentence_start  # a name inside a sentence


def check(document, options, context):
    vocab = vocabulary(context.packs, options["dialects"])
    meta = document.metadata
    names = {t.norm for t in tokens(" ".join([meta.author, meta.reviewer]))}
    # The same words recur in every article: decide each (word, position
    # kind) once per process.
    verdicts = _VERDICTS.setdefault((id(vocab), options["min-length"], options["suggest"]), {})
    for block in document.prose_blocks():
        starts = {s for s, _ in sentences(block.text)}
        for tok in tokens(block.text, block.ignore):
            key = (tok.text, tok.start in starts)
            verdict = verdicts.get(key, _UNSEEN)
            if verdict is _UNSEEN:
                verdict = verdicts[key] = _verdict(tok.text, key[1], vocab, options)
            if verdict is None or tok.norm in names:
                continue
            reason, suggestion = verdict
            s, e = block.source_span(tok.start, tok.end)
            message = f'"{tok.text}" {reason}.' + (f' Did you mean "{suggestion}"?' if suggestion else "")
            data = {"word": tok.text, "suggestion": suggestion} if suggestion else {"word": tok.text}
            yield Problem(message=message, hint="Fix the spelling, or add the word to accept.txt in your packs folder.",
                          start=s, end=e, data=data)


_UNSEEN = object()
_VERDICTS: dict[tuple, dict] = {}


def _verdict(text: str, sentence_start: bool, vocab, options):
    """None for a good word, else (reason, suggestion)."""
    word = _base(text)
    low = word.lower()
    if low in vocab.reject:
        return "is on the project's reject list", None
    if _skip(word, sentence_start, options["min-length"]) or vocab.is_known(word):
        return None
    dialect = vocab.other_dialects.get(low)
    if dialect:
        return (f"is an {dialect} spelling (\"{dialect}\" is not in the \"dialects\" option)",
                vocab.suggest(low) if options["suggest"] else None)
    return "is not in the dictionary", vocab.suggest(low) if options["suggest"] else None
