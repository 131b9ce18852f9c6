"""A varied, site-like corpus for the benchmarks: many unique words, real
lengths, site-root links and some broken ones.

Articles built from the fixtures repeat the same few hundred words, so every
per-word cache (spelling, syllables, phrase matching) is hit after the first
file, and every page links to the same handful of targets: they flatter any
tool that caches. Real sites do not look like that. This module builds a
site whose prose is real English sentences sampled from the docstrings of
the Python standard library on this machine (tens of thousands of varied
sentences, read with ``ast``, nothing imported), mixed with health sentences
written for this benchmark (symptoms, medicines, tests, advice), laid out as
articles: front matter, a title, sections with headings, paragraphs, lists
and a "Related" list, with site-root links ``/section/page/`` (about 4% of
them broken: a misspelt, renamed or moved page, a wrong section), relative
links, links to sections (``#heading``, a few missing) and external links.

Article lengths follow a log-normal distribution clipped to 300–2,500
words (median about 750). Everything is drawn from ``random.Random(seed)``
over a sorted sentence pool, so the same seed and Python version build the
same site.

    python benchmarks/corpus.py OUT_DIR [--articles 200] [--seed 13]
"""
from __future__ import annotations

import argparse
import ast
import math
import os
import random
import re
import sysconfig
from dataclasses import dataclass, field
from pathlib import Path

SECTIONS = ("conditions", "medicines", "tests-and-procedures", "healthy-living", "pregnancy", "children",
            "mental-health", "coverage", "news")
BROKEN_SHARE = 0.04
MISSING_ANCHOR_SHARE = 0.03

# Health vocabulary and sentences written for this benchmark (not taken
# from any article).
CONDITIONS = ("asthma", "back pain", "bronchitis", "chickenpox", "cellulitis", "conjunctivitis", "constipation",
              "dehydration", "diabetes", "eczema", "flu", "gallstones", "gout", "hay fever", "headaches",
              "heartburn", "high blood pressure", "kidney stones", "migraine", "nosebleeds", "psoriasis",
              "shingles", "sinusitis", "sore throat", "sprains", "tonsillitis", "urinary tract infection",
              "vertigo", "anaemia", "insomnia", "anxiety", "depression", "earache", "acne", "arthritis",
              "glaucoma", "hepatitis", "measles", "norovirus", "sciatica", "tinnitus", "rosacea", "scabies")
MEDICINES = ("paracetamol", "ibuprofen", "aspirin", "amoxicillin", "antihistamines", "metformin", "omeprazole",
             "salbutamol", "statins", "insulin", "lisinopril", "sertraline", "codeine", "naproxen", "loratadine",
             "hydrocortisone cream", "oral rehydration salts", "iron tablets", "nicotine patches", "vitamin D")
SYMPTOMS = ("a high temperature", "a cough that will not go away", "tiredness", "swelling in your ankles",
            "a rash that does not fade", "dizziness", "blurred vision", "pain when you pee", "a stiff neck",
            "itchy skin", "shortness of breath", "a blocked nose", "stomach cramps", "joint pain",
            "trouble sleeping", "feeling sick", "a sore chest", "numbness in your hands", "night sweats")
PEOPLE = ("your doctor", "a pharmacist", "your nurse", "your care team", "a GP", "your midwife", "a dentist",
          "your health visitor", "a physiotherapist", "your specialist")
TEMPLATES = (
    "If you have {symptom}, speak to {person} within a few days.",
    "{Medicine} can help with {condition}, but read the leaflet that comes with it first.",
    "Most people with {condition} get better on their own within one to two weeks.",
    "Ask {person} before taking {medicine} if you are pregnant or breastfeeding.",
    "{Condition} is common and usually not serious.",
    "You may notice {symptom} in the first few days.",
    "Drink plenty of fluids and rest while you recover from {condition}.",
    "Do not give {medicine} to children under 16 unless {person} says it is safe.",
    "Call 911 or go to the emergency room if you have chest pain or trouble breathing.",
    "Get help straight away if you have {symptom} and a very high temperature.",
    "{Person} can check whether {symptom} is caused by {condition}.",
    "A blood test can show whether {condition} is affecting your kidneys or liver.",
    "Keep taking {medicine} for as long as {person} tells you to, even if you feel better.",
    "Some people find that {condition} comes back, especially after a cold.",
    "Washing your hands often helps stop {condition} spreading to others.",
    "Your insurance plan may cover {medicine} if {person} prescribes it.",
    "Tell {person} about any other medicines you take, including herbal remedies.",
    "If {symptom} gets worse or does not improve after a week, book an appointment.",
    "Side effects of {medicine} include {symptom}, but they usually pass.",
    "Children with {condition} should stay off school until they feel well enough.",
    "Smoking makes {condition} worse, and stopping is one of the best things you can do.",
    "Regular exercise, a balanced diet and enough sleep lower your risk of {condition}.",
    "You can buy {medicine} from a pharmacy without a prescription.",
    "Symptoms of {condition} include {symptom} and {symptom2}.",
)
HEADINGS = ("Overview", "Symptoms", "Causes", "When to see a doctor", "Treatment", "Things you can do yourself",
            "How it is diagnosed", "Risks and complications", "Prevention", "Living with {condition}",
            "Medicines for {condition}", "What to expect", "Getting help", "Questions to ask {person}",
            "Costs and coverage", "Recovery", "Who is at risk", "How {medicine} works", "Side effects")
AUTHORS = ("Priya Shah", "Tom Reed", "Ana Lopez", "Kwame Mensah", "Li Wei", "Sara Novak", "Omar Haddad",
           "Grace Kim", "Jon Eriksen", "Maya Iyer")
DOMAINS = ("https://www.cdc.gov/", "https://medlineplus.gov/", "https://www.nhs.uk/conditions/",
           "https://www.who.int/news-room/fact-sheets/detail/", "https://www.healthcare.gov/")

_SENTENCE_SPLIT = re.compile(r"(?<=[.!?])\s+(?=[A-Z])")
# Code-like sentences are not prose: reject anything with these characters.
_CODE_CHARS = re.compile(r"[\[\]{}<>=_*`|#@$%\\/~^;]|\.\.|--|\b[A-Za-z]+\.[A-Za-z]+\b|\(\)")


def stdlib_sentences() -> list[str]:
    """Prose sentences from the docstrings of the standard library's modules,
    classes and functions (parsed with ``ast``, nothing imported), sorted and
    without duplicates."""
    root = Path(sysconfig.get_paths()["stdlib"])
    found: set[str] = set()
    for path in sorted(root.rglob("*.py")):
        rel = path.relative_to(root).parts
        if any(p in ("test", "tests", "idlelib", "lib2to3", "site-packages", "dist-packages", "turtledemo")
               for p in rel):
            continue
        try:
            tree = ast.parse(path.read_text(encoding="utf-8"))
        except (SyntaxError, UnicodeDecodeError, OSError):
            continue
        for node in ast.walk(tree):
            if not isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            doc = ast.get_docstring(node)
            if not doc:
                continue
            # Paragraphs only: indented blocks are examples or tables.
            for para in re.split(r"\n\s*\n", doc):
                if any(line.startswith((" ", "\t", ">>>")) for line in para.splitlines()):
                    continue
                for sentence in _SENTENCE_SPLIT.split(" ".join(para.split())):
                    words = sentence.split()
                    if not 5 <= len(words) <= 40 or not sentence[0].isupper() or sentence[-1] != ".":
                        continue
                    if _CODE_CHARS.search(sentence) or sum(w[0].isupper() for w in words[1:]) > 3:
                        continue
                    found.add(sentence)
    return sorted(found)


@dataclass
class Page:
    section: str
    slug: str
    title: str
    headings: list[str] = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"/{self.section}/{self.slug}/"


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _fill(template: str, rnd: random.Random) -> str:
    values = {"condition": rnd.choice(CONDITIONS), "medicine": rnd.choice(MEDICINES),
              "symptom": rnd.choice(SYMPTOMS), "symptom2": rnd.choice(SYMPTOMS), "person": rnd.choice(PEOPLE)}
    values.update({k.capitalize(): v[0].upper() + v[1:] for k, v in list(values.items())})
    return template.format(**values)


def _misspell(slug: str, rnd: random.Random) -> str:
    letters = [i for i, c in enumerate(slug) if c.isalpha()]
    i = rnd.choice(letters[1:-1] or letters)
    return slug[:i] + slug[i + 1] + slug[i] + slug[i + 2:] if i + 1 < len(slug) else slug + "s"


def broken_url(page: Page, rnd: random.Random) -> str:
    """A link to ``page`` as a careless editor or a rename would break it."""
    kind = rnd.randrange(4)
    if kind == 0:
        return f"/{page.section}/{_misspell(page.slug, rnd)}/"          # typo
    if kind == 1:
        return f"/{page.section}/{page.slug}-guide/"                    # renamed page
    if kind == 2:
        other = rnd.choice([s for s in SECTIONS if s != page.section])
        return f"/{other}/{page.slug}/"                                 # moved page
    return f"/{page.section}/{page.slug.rsplit('-', 1)[0]}-{rnd.randrange(100, 999)}/"  # gone


def plan_site(count: int, rnd: random.Random, words: list[str]) -> list[Page]:
    pages: list[Page] = []
    used: set[str] = set()
    for i in range(count):
        section = SECTIONS[min(len(SECTIONS) - 1, int(rnd.paretovariate(1.2)) - 1)]
        topic = rnd.choice(CONDITIONS + MEDICINES)
        extra = rnd.sample(words, 2)
        title = rnd.choice((f"{topic.capitalize()}: {extra[0]} and {extra[1]}",
                            f"{topic.capitalize()} and {extra[0]}", f"Understanding {topic} {extra[0]}",
                            f"{extra[0].capitalize()} {extra[1]} for {topic}"))
        slug = _slug(title)[:60].strip("-")
        while f"{section}/{slug}" in used:
            slug = f"{slug}-{i}"
        used.add(f"{section}/{slug}")
        pages.append(Page(section, slug, title))
    return pages


def _link(page: Page, target: Page, pages: list[Page], rnd: random.Random) -> tuple[str, str]:
    """(anchor text, url) of one internal link from ``page``."""
    text = target.title.split(":")[0].lower()
    roll = rnd.random()
    if roll < BROKEN_SHARE:
        return text, broken_url(target, rnd)
    if target.headings and roll < BROKEN_SHARE + 0.12:
        if rnd.random() < MISSING_ANCHOR_SHARE / 0.12:
            return text, f"{target.url}#{_slug(rnd.choice(target.headings))}-section"
        return f"{text}: {rnd.choice(target.headings).lower()}", f"{target.url}#{_slug(rnd.choice(target.headings))}"
    if target.section == page.section and roll < 0.3:
        return text, f"{target.slug}.md"      # relative, to the source file
    return text, target.url


def write_site(out: Path, count: int, seed: int = 13) -> list[Path]:
    """Write ``count`` articles under ``out/<section>/<slug>.md`` (plus a
    home page and one index per section) and return the article paths."""
    rnd = random.Random(seed)
    sentences = stdlib_sentences()
    words = sorted({w.lower() for s in sentences for w in re.findall(r"\b[a-zA-Z]{5,12}\b", s)})
    pages = plan_site(count, rnd, words)
    for p in pages:
        chosen = rnd.sample(HEADINGS, rnd.randint(3, 8))
        p.headings = list(dict.fromkeys(_fill(h, rnd) for h in chosen))
    by_section: dict[str, list[Page]] = {}
    for p in pages:
        by_section.setdefault(p.section, []).append(p)
    out.mkdir(parents=True, exist_ok=True)
    (out / "index.md").write_text("---\ntitle: Health information\n---\n# Health information\n\n"
                                  + "\n".join(f"- [{s.replace('-', ' ').capitalize()}](/{s}/)" for s in SECTIONS)
                                  + "\n", encoding="utf-8")
    for section, members in by_section.items():
        (out / section).mkdir(exist_ok=True)
        body = "\n".join(f"- [{m.title}]({m.url})" for m in members[:400])
        (out / section / "index.md").write_text(
            f"---\ntitle: {section.replace('-', ' ').capitalize()}\n---\n# {section.replace('-', ' ').capitalize()}"
            f"\n\n{body}\n", encoding="utf-8")
    paths = []
    for n, page in enumerate(pages):
        target_words = int(min(2500, max(300, math.exp(rnd.gauss(math.log(750), 0.55)))))
        same = by_section[page.section]

        def pick() -> Page:
            return rnd.choice(same) if rnd.random() < 0.5 else rnd.choice(pages)

        def sentence() -> str:
            if rnd.random() < 0.3:
                return _fill(rnd.choice(TEMPLATES), rnd)
            return rnd.choice(sentences)

        def paragraph() -> str:
            parts = [sentence() for _ in range(rnd.randint(2, 6))]
            if rnd.random() < 0.45:   # a link in running text
                text, url = _link(page, pick(), pages, rnd)
                parts.insert(rnd.randrange(len(parts) + 1), f"Read more about [{text}]({url}).")
            if rnd.random() < 0.08:
                parts.append(f"See [{rnd.choice(CONDITIONS)}]({rnd.choice(DOMAINS)}).")
            return " ".join(parts)

        reviewed = f"reviewed_by: Dr {rnd.choice(AUTHORS)}, MD\n" if rnd.random() < 0.7 else ""
        lines = [f"---\ntitle: \"{page.title}\"\ndescription: \"{_fill(rnd.choice(TEMPLATES), rnd)}\"\n"
                 f"author: {rnd.choice(AUTHORS)}\n{reviewed}date: 20{rnd.randint(18, 25)}-"
                 f"{rnd.randint(1, 12):02d}-{rnd.randint(1, 28):02d}\n---",
                 f"# {page.title}", paragraph()]
        written = sum(len(x.split()) for x in lines)
        h = 0
        while written < target_words:
            if h < len(page.headings) and (written > target_words * h / max(1, len(page.headings))):
                lines.append(f"## {page.headings[h]}")
                h += 1
            if rnd.random() < 0.2:
                items = [sentence().rstrip(".") for _ in range(rnd.randint(3, 6))]
                lines.append("\n".join(f"- {item}" for item in items))
            else:
                lines.append(paragraph())
            written += len(lines[-1].split())
        related = {t.url: t for t in (pick() for _ in range(rnd.randint(2, 5))) if t is not page}
        if related:
            lines.append("## Related articles")
            lines.append("\n".join(f"- [{t.title}]({t.url})" for t in related.values()))
        lines.append("This information is not a substitute for professional medical advice.")
        path = out / page.section / f"{page.slug}.md"
        path.write_text("\n\n".join(lines) + "\n", encoding="utf-8")
        paths.append(path)
    return paths


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out", type=Path)
    parser.add_argument("--articles", type=int, default=200)
    parser.add_argument("--seed", type=int, default=13)
    args = parser.parse_args()
    files = write_site(args.out, args.articles, args.seed)
    words = sum(len(f.read_text(encoding="utf-8").split()) for f in files)
    print(f"{len(files)} articles, {words:,} words ({words // len(files)} per article) in {args.out}"
          f" [{os.cpu_count()} cores]")


if __name__ == "__main__":
    main()
