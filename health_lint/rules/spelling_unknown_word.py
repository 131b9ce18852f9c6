"""A word that is not in the dictionary or the medical word list.

What it does
------------
Checks every word of the article's prose against pyspellchecker's English
dictionary, a general word list (``rules/words/general.words``: SCOWL words
the dictionary lacks, such as app, inbox, timeframe, copayments), the
medical word list (``rules/words/medical.txt``: anatomy, conditions,
procedures, specialties, generic drug names, health-insurance terms) and
the project vocabularies ``accept.txt`` (words to accept) and
``reject.txt`` (words always to report), Vale style. Suggests the most
common word one letter away when there is one.

Each unknown word is reported once per article, at its first use, with the
number of times it appears.

Before a word is called unknown it gets three more chances:

- a known word with a common prefix (peri-, pre-, post-, dis-, un-, co- ...)
  or a plural ending: perimenopause, preauthorization, disenroll;
- two-word Latin names: Haemophilus influenzae, molluscum contagiosum;
- word frequencies (wordfreq): a word common in running English text is
  accepted, unless a much more frequent word is one edit away, which makes
  it a typo ("recieve" is common, but "receive" is a hundred times more so).

The dictionary is US English. British spellings (colour, centre, tumour,
programme, paediatric, oesophagus) come from ``rules/words/en-GB.txt`` and
are accepted when ``en-GB`` is in ``dialects``, as it is by default: many
health sites mix both. A US-only site sets ``dialects = ["en-US"]``, and then
British spellings are reported with the US spelling suggested. A site adds
another dialect with a word list named after its tag (``en-AU.txt``) in its
``packs`` folder and lists the tag in ``dialects``.

Not checked: code, URLs, e-mail addresses, domain names, attribute lists
(``{.class key=value}``), front matter, numbers, acronyms in capitals (MRI,
NSAIDs), words with capitals inside (iPhone), capitalised words inside a
sentence (names of people, places and brands), the author's and reviewer's
names, page boilerplate outside the main content, words in other scripts
(Korean, Chinese, Arabic), names of languages (Español, Polski), HTML
text inside an element whose ``lang`` differs from the page's, and
sentences in another language (a "help in your language" list): a sentence
most of whose words are unknown, or several of whose words are unknown and
that holds more function words of another language (si, usted, para; kung,
ng, sa) than of English (``rules/languages/function-words.yaml``). Contractions
with straight or curly apostrophes (didn’t) are checked as the word they
contract.

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

FAIL (reported once, "3 times in this article"):

    # Sciatica

    Sciatca is pain in the leg. Sciatca often gets better. Most sciatca
    clears up in weeks.

PASS:

    # Your plan

    Your copayments for habilitative care may need preauthorization. Check
    the app or your inbox within the timeframe. Women in perimenopause and
    people with prediabetes or Haemophilus influenzae infections can ask.

FAIL:

    # Your plan

    You will recieve a letter about your copayments.

PASS:

    # Help in your language

    - Español: Si necesita ayuda en español, llame al número gratuito.
    - Tagalog: Kung kailangan mo ng tulong, tumawag sa amin.
    - 한국어: 한국어로 도움이 필요하시면 전화하십시오.
    - Polski

How to fix
----------
Correct the spelling. If the word is right (a name, a brand, a term your
site uses), add it to ``accept.txt`` in one of your ``packs`` folders.
"""
from __future__ import annotations

import bisect

from ..findings import Problem
from ..spelling import is_latin_script, vocabulary
from ..text import TOKEN_TEXT, sentences, tokens
from .. import regexcache

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
    if len(word) < min_length or "." in word or any(map(str.isdigit, word)):  # e.g., U.S., 2.5
        return True
    if any(map(str.isupper, word[1:])):  # MRI, NSAIDs, iPhone: a capital after the first letter
        return True
    return word[0].isupper() and not sentence_start  # a name inside a sentence


# A sentence is read as another language (a "help in your language" list,
# a quotation) when most of its words are unknown; between these shares its
# function words decide (rules/languages/function-words.yaml). A language
# identifier library was tried: its model costs 1 s and 120 MB per worker.
_FOREIGN_SHARE = 0.6
_MAYBE_FOREIGN_SHARE = 0.25
# Two-word Latin names: genus + species (Haemophilus influenzae) or a
# condition name (molluscum contagiosum, erythema toxicum).
_LATIN_FIRST = regexcache.compile(r"^[A-Za-z]+(?:us|um|a|ae|es|is|ii|ia|ma|ix|ex)$")
_LATIN_SECOND = regexcache.compile(r"^[a-z]+(?:us|um|ae|ii|is|i|a|ensis|oides|ium|ica|osa|ata|ans|ens|alis|aris|ior)$")

_KNOWN = "known"  # in a dictionary or list, or attested
_SKIPPED = "skipped"  # not checked: short, acronym, name, number
_FINE = frozenset((_KNOWN, _SKIPPED))


def check(document, options, context):
    vocab = vocabulary(context.packs, options["dialects"])
    meta = document.metadata
    names = {t.norm for t in tokens(" ".join([meta.author, meta.reviewer]))}
    # The same words recur in every article: decide each (word, position
    # kind) once per process.
    # Two tables: a word inside a sentence, and one that starts a sentence
    # (where a capital letter says nothing).
    inside, first_word = _VERDICTS.setdefault((id(vocab), options["min-length"]), ({}, {}))
    unknown: dict[str, list] = {}  # lowercased word -> [first token's block, token, count]
    function_words = function_word_index(context.packs)
    for block in document.prose_blocks():
        toks = tokens(block.text, block.ignore)
        # C-level maps: this runs on every word of every article.
        texts = list(map(TOKEN_TEXT, toks))
        judged = list(map(inside.get, texts))
        starts = toks.starts
        for s, _ in sentences(block.text):
            k = bisect.bisect_left(starts, s)
            if k < len(starts) and starts[k] == s:
                judged[k] = first_word.get(texts[k], _UNDECIDED_START)
        if None in judged or _UNDECIDED_START in judged:
            for k, verdict in enumerate(judged):
                if verdict is None:
                    judged[k] = inside[texts[k]] = _verdict(texts[k], False, vocab, options)
                elif verdict is _UNDECIDED_START:
                    judged[k] = first_word[texts[k]] = _verdict(texts[k], True, vocab, options)
        if _FINE.issuperset(judged):
            continue  # most blocks: every word known, no sentence to weigh
        # Tokens and sentences are both in text order: one pass groups them.
        i = 0
        for s, e in sentences(block.text):
            while i < len(toks) and toks[i].start < s:
                i += 1
            first = i
            while i < len(toks) and toks[i].start < e:
                i += 1
            in_sentence = [(k, toks[k]) for k in range(first, i)]
            bad = [(k, t) for k, t in in_sentence if judged[k] not in (_KNOWN, _SKIPPED) and t.norm not in names]
            if not bad:
                continue
            checked = sum(1 for k, _ in in_sentence if judged[k] != _SKIPPED)
            if _foreign((t for _, t in in_sentence), len(bad), checked, function_words):
                continue
            for k, tok in bad:
                if _latin_name(block.text, toks, k, judged, vocab):
                    continue
                entry = unknown.get(tok.norm)
                if entry is None:
                    unknown[tok.norm] = [block, tok, 1, judged[k]]
                else:
                    entry[2] += 1
    for block, tok, count, (reason, _) in unknown.values():
        suggestion = _suggestion(tok.text, vocab) if options["suggest"] else None
        s, e = block.source_span(tok.start, tok.end)
        times = f" ({count} times in this article)" if count > 1 else ""
        message = f'"{tok.text}" {reason}{times}.' + (f' Did you mean "{suggestion}"?' if suggestion else "")
        data = {"word": tok.text, "occurrences": count}
        if suggestion:
            data["suggestion"] = suggestion
        yield Problem(message=message, hint="Fix the spelling, or add the word to accept.txt in your packs folder.",
                      start=s, end=e, data=data)


_VERDICTS: dict[tuple, tuple[dict, dict]] = {}
_UNDECIDED_START = object()  # a sentence's first word with no verdict yet
_SUGGESTIONS: dict[tuple, str | None] = {}


def _verdict(text: str, sentence_start: bool, vocab, options):
    """_KNOWN, _SKIPPED, or (reason, None) for a word to report."""
    word = _base(text)
    low = word.lower()
    if low in vocab.reject:
        return "is on the project's reject list", None
    if _skip(word, sentence_start, options["min-length"]) or not is_latin_script(word):
        return _SKIPPED
    if vocab.is_known(word):
        return _KNOWN
    dialect = vocab.other_dialects.get(low)
    if dialect:
        return f"is an {dialect} spelling (\"{dialect}\" is not in the \"dialects\" option)", None
    if vocab.is_affixed(low) or vocab.is_attested(low):
        return _KNOWN
    return "is not in the dictionary", None


def _suggestion(text: str, vocab) -> str | None:
    low = _base(text).lower()
    key = (id(vocab), low)
    if key not in _SUGGESTIONS:
        _SUGGESTIONS[key] = vocab.suggest(low)
    return _SUGGESTIONS[key]


def _foreign(sentence_tokens, unknown: int, checked: int, function_words) -> bool:
    """A sentence in another language: most of its words are unknown, or
    several are and it holds more function words of one other language
    (si, usted, para; kung, ng, sa) than of English (the, and, you)."""
    if unknown < 2 or not checked:
        return False
    share = unknown / checked
    if share >= _FOREIGN_SHARE:
        return True
    if share < _MAYBE_FOREIGN_SHARE or not function_words:
        return False
    counts: dict[str, int] = {}
    for tok in sentence_tokens:
        for lang in function_words.get(tok.norm, ()):
            counts[lang] = counts.get(lang, 0) + 1
    english = counts.pop("en", 0)
    best = max(counts.values(), default=0)
    return best >= 2 and best > english


def function_word_index(packs) -> dict[str, tuple[str, ...]]:
    """word -> languages whose function word it is (``rules/languages/
    function-words.yaml``), built once per pack set."""
    def build():
        pack = packs.packs.get("function-words") or {}
        index: dict[str, list[str]] = {}
        for lang, words in (pack.get("languages") or {}).items():
            for word in words or ():
                index.setdefault(str(word).lower(), []).append(str(lang))
        return {w: tuple(langs) for w, langs in index.items()}

    return packs.derived(("function-words",), build)


def _latin_name(text: str, toks, i: int, judged, vocab) -> bool:
    """Part of a two-word Latin name (Haemophilus influenzae, molluscum
    contagiosum), unless it is one edit from an English word ("diabetus")."""
    tok = toks[i]
    pairs = []
    if i + 1 < len(toks) and text[tok.end:toks[i + 1].start] == " ":
        pairs.append((tok, toks[i + 1]))
    if i > 0 and text[toks[i - 1].end:tok.start] == " ":
        pairs.append((toks[i - 1], tok))
    for first, second in pairs:
        if _LATIN_FIRST.match(first.text) and _LATIN_SECOND.match(second.text):
            return not vocab.near_common_word(tok.norm)
    return False
