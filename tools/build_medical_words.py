"""Build rules/words/medical.txt.

Sources:
  1. A hand-written list of medical words (tools/medical_seed.txt, written for
     this project: drugs by generic name, anatomy, conditions, procedures,
     specialties, abbreviations).
  2. Words taken from SCOWL (Debian packages wamerican-huge and
     wamerican-insane, /usr/share/dict/american-english-{huge,insane}) that
     carry a medical prefix or suffix (-itis, -ectomy, -otomy, -plasty,
     -ology, -ologist, -osis, -emia, -algia, -pathy, cardio-, neuro- ...).
     SCOWL's licence is permissive (see rules/SOURCES.md); GPL lists such as
     hunspell-en-med / OpenMedSpel are NOT used.

Only words that pyspellchecker's English dictionary does not already know are
written, so the list stays small and only adds what spelling needs.

Run: python tools/build_medical_words.py   (needs wamerican-huge and -insane installed)
"""
import os
import re

from spellchecker import SpellChecker

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
DICTS = ["/usr/share/dict/american-english-huge", "/usr/share/dict/american-english-insane"]

SUFFIXES = (
    "itis", "itides", "ectomy", "ectomies", "otomy", "otomies", "ostomy", "ostomies", "plasty", "plasties",
    "ology", "ologies", "ologist", "ologists", "ological", "osis", "oses", "emia", "emias", "aemia",
    "algia", "algias", "pathy", "pathies", "pathic", "oscopy", "oscopies", "oscope", "oscopes", "ogram", "ograms",
    "ography", "iasis", "oma", "omas", "omata", "plegia", "plegic", "paresis", "rrhea", "rrhoea", "rrhagia",
    "uria", "cytes", "cyte", "cytosis", "penia", "trophy", "megaly", "ectasis",
    "desis", "pexy", "tripsy", "stomy", "sclerosis", "mycin", "cillin", "oxacin", "azole",
    "azoles", "statin", "statins", "olol", "pril", "sartan", "dipine", "tidine", "prazole", "triptan", "triptans",
    "caine", "codone", "morphone", "ases",
)
PREFIXES = (
    "cardio", "cardi", "neuro", "neur", "gastro", "gastr", "hepat", "hepato", "nephr", "nephro", "osteo", "oste",
    "arthro", "arthr", "myel", "myelo", "encephal", "cerebr", "cerebro", "pulmon", "pneum", "pneumo",
    "broncho", "bronch", "laryng", "pharyng", "rhino", "ophthalm", "dermat", "dermato", "hemat",
    "hemato", "haemat", "thromb", "angio", "phleb", "immuno", "tachy", "brady", "spondyl", "spondylo", "vertebr",
    "lumbo", "sacro", "cervico", "radicul", "cholecyst", "procto", "entero", "esophag", "oesophag", "cysto",
    "hystero", "gyneco", "gynaeco", "obstetr", "paedi", "orthop", "rheumat", "onco", "carcin", "laparo",
    "arterio", "athero", "chondr", "costo", "crani", "cranio", "menin", "mening",
)
GENERIC_SCIENCE = ("ology", "ologies", "ologist", "ologists", "ological", "ologically", "ogram", "ograms", "ography", "ographies", "ographic", "oscope", "oscopes")
MED_STEMS = (
    "path", "radi", "hemat", "haemat", "hist", "cyt", "immun", "endocrin", "urol", "gyn", "ot", "rhin", "ophthalm",
    "opt", "audi", "derm", "trich", "ven", "vas", "lymph", "my", "ser", "bacteri", "vir", "parasit", "epidemi",
    "pharmac", "toxic", "anesthesi", "anaesthesi", "proct", "col", "gastr", "enter", "hepat", "nephr", "pulmon",
    "pneum", "bronch", "laryng", "neur", "psych", "cardi", "angi", "arteri", "phleb", "mamm", "sial", "chol",
    "cyst", "hyster", "obstetr", "ped", "paed", "ger", "onc", "rheumat", "oste", "arthr", "ortho", "spondyl",
    "myel", "encephal", "cerebr", "electr", "echo", "ultrason", "sonogr", "scint", "thermogr", "tomogr",
    "fluor", "esophag", "oesophag", "gastroscop", "laparoscop", "endoscop", "bronchoscop", "colonoscop",
    "cystoscop", "arthroscop", "ophthalmoscop", "otoscop", "stethoscop", "sphygm", "spirom", "an", "nos",
)
# prefix-only matches are noisy; require a medical-looking ending too
MEDICAL_ENDINGS = re.compile(
    r"(itis|ectomy|otomy|ostomy|plasty|logy|logist|logists|osis|oses|emia|aemia|algia|pathy|pathic|scopy|scope|gram|graphy|"
    r"oma|omas|plegia|plegic|rrhea|rrhoea|uria|cyte|cytes|penia|trophy|megaly|lysis|al|ic|ia)$"
)


def scowl_words():
    words = set()
    for d in DICTS:
        if not os.path.exists(d):
            continue
        with open(d, encoding="latin-1") as fh:
            for line in fh:
                w = line.strip()
                if not w or "'" in w or not w.isalpha() or not w.islower():
                    continue
                if len(w) < 6:
                    continue
                if w.startswith(("non", "un")):
                    continue
                # "-ology", "-ography", "-ogram" words are medical only with a medical stem
                if w.endswith(GENERIC_SCIENCE) and not w.startswith(PREFIXES + MED_STEMS):
                    continue
                if w.endswith(SUFFIXES) or (w.startswith(PREFIXES) and MEDICAL_ENDINGS.search(w) and len(w) >= 8):
                    words.add(w)
    return words


def seed_words():
    out = set()
    with open(os.path.join(HERE, "medical_seed.txt"), encoding="utf-8") as fh:
        for line in fh:
            line = line.split("#", 1)[0].strip()
            if line:
                out.update(line.split())
    return out


def main():
    sc = SpellChecker()
    seed = seed_words()
    scowl = scowl_words()
    def known(w):
        return w.lower() in sc
    keep = {w for w in seed if not known(w)}
    keep |= {w for w in scowl if not known(w)}
    words = sorted(keep, key=lambda w: (w.lower(), w))
    header = [
        "# Medical vocabulary for spelling/unknown-word (one word per line).",
        "# Generated by tools/build_medical_words.py from tools/medical_seed.txt (written for",
        "# this project, MIT) and SCOWL word lists (Debian wamerican-huge/-insane; permissive",
        "# licence: words/SCOWL-COPYRIGHT, rules/SOURCES.md). Only words pyspellchecker's English dictionary",
        "# lacks are listed. Lowercase unless the word is an acronym or proper noun.",
    ]
    with open(os.path.join(ROOT, "rules", "words", "medical.txt"), "w", encoding="utf-8") as fh:
        fh.write("\n".join(header + words) + "\n")
    print(f"seed {len(seed)} (new {len([w for w in seed if not known(w)])}), scowl {len(scowl)} (new {len([w for w in scowl if not known(w)])}), total {len(words)}")


if __name__ == "__main__":
    main()
