"""Reference matcher for rule-pack phrases, used to check packs against fixtures.

This is a data-checking helper for rules/ authors, not the engine. It follows
rules/README.md: case-insensitive, curly quotes -> straight, hyphens and
slashes -> spaces, common inflections, `...` = up to four other words,
`a|b` = alternatives in one word position.

Usage:
  python tools/phrase_check.py redflags FILE.md...     # which topics trigger, which concepts are missing
  python tools/phrase_check.py terms PACK.yaml FILE.md...  # which terms match
"""
import glob
import re
import sys

import yaml

WORD = re.compile(r"[a-z0-9&']+|[^\sa-z0-9&']")


def norm(text):
    text = text.lower()
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("\u201c", '"').replace("\u201d", '"')
    text = re.sub(r"[-\u2010-\u2015/]", " ", text)
    return text


def tokens(text):
    toks = [t.strip("'") for t in WORD.findall(norm(text))]
    return [t for t in toks if t and re.match(r"[a-z0-9&]", t)] if False else [t for t in toks if t]


def forms(w):
    out = {w}
    if w.endswith("'s"):
        out.add(w[:-2])
    for suf in ("s", "es", "ed", "d", "ing", "ly"):
        if w.endswith(suf) and len(w) - len(suf) >= 3:
            base = w[: -len(suf)]
            out.add(base)
            out.add(base + "e")
            if len(base) > 2 and base[-1] == base[-2]:
                out.add(base[:-1])
    if w.endswith("ies"):
        out.add(w[:-3] + "y")
    if w.endswith("ied"):
        out.add(w[:-3] + "y")
    return out


def word_match(pat, tok):
    alts = pat.split("|")
    tf = forms(tok)
    for a in alts:
        if a == tok or a in tf:
            return True
    return False


def compile_phrase(p):
    return [t if t == "..." else t for t in norm(p).replace("...", " ... ").split()]


def match_at(pat, toks, i):
    # returns end index or -1
    if not pat:
        return i
    head = pat[0]
    if head == "...":
        for skip in range(0, 5):
            r = match_at(pat[1:], toks, i + skip)
            if r >= 0:
                return r
        return -1
    if i < len(toks) and toks[i] not in ".,;:!?()\"" and word_match(head, toks[i]):
        return match_at(pat[1:], toks, i + 1)
    return -1


def find(phrase, toks):
    pat = compile_phrase(phrase)
    hits = []
    for i in range(len(toks)):
        if match_at(pat, toks, i) >= 0:
            hits.append(i)
    return hits


def split_doc(text):
    body = text
    if text.startswith("---"):
        end = text.index("\n---", 3)
        body = text[end + 4 :]
    heads = " . ".join(re.findall(r"^#+\s*(.*)$", body, re.M))
    m = re.search(r"^title:\s*(.*)$", text, re.M)
    title = m.group(1) if m else ""
    return title + " . " + heads, body


def redflags(files, packdir="rules/red-flags"):
    packs = [yaml.safe_load(open(f)) for f in sorted(glob.glob(packdir + "/*.yaml"))]
    packs = [p for p in packs if p.get("kind") == "red-flags"]
    emerg = [p for p in [yaml.safe_load(open(f)) for f in glob.glob(packdir + "/*.yaml")] if p.get("kind") == "emergency-advice"][0]
    for f in files:
        text = open(f).read()
        th, body = split_doc(text)
        ht, bt = tokens(th), tokens(body)
        allt = tokens(text)
        print("==", f)
        for p in packs:
            tr = p["triggers"]
            strong = [s for s in tr["strong"] if find(s, ht)]
            n = sum(len(find(b, bt)) for b in tr["body"])
            if not strong and n < tr.get("min-body-mentions", 1):
                if n:
                    print(f"   ({p['id']}: not triggered, body mentions {n})")
                continue
            print(f"  TOPIC {p['id']} strong={strong} body={n}")
            for c in p["concepts"]:
                hit = [ph for ph in c["phrases"] if find(ph, bt)]
                if not hit:
                    print(f"    MISSING {c['id']}")
            if any(c.get("emergency") for c in p["concepts"]):
                eh = [ph for ph in emerg["phrases"] if find(ph, bt)]
                if not eh:
                    print("    NO EMERGENCY ADVICE")


def terms(pack, files):
    d = yaml.safe_load(open(pack))
    for f in files:
        text = open(f).read()
        _, body = split_doc(text)
        t = tokens(body)
        for term in d["terms"]:
            for ph in [term["term"]] + term.get("variants", []):
                h = find(ph, t)
                if h:
                    ctx = [" ".join(t[max(0, i - 6) : i + 6]) for i in h]
                    print(f"{f}: {ph}: {ctx}")


if __name__ == "__main__":
    if sys.argv[1] == "redflags":
        redflags(sys.argv[2:])
    else:
        terms(sys.argv[2], sys.argv[3:])
