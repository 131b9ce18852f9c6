"""Issue 9, links/unlinked-source: a name that is a service ("NHS 111"), a
regulatory status ("FDA-approved"), a credit line made only of names, or the
site naming itself is not an unlinked citation. Real citations still are."""
from __future__ import annotations

import pytest

from health_lint.config import Config

from .conftest import FRONT, lint_text

RULE = "links/unlinked-source"


def unlinked(body: str, config=None) -> list[str]:
    return [f.snippet for f in lint_text(FRONT + "# Coughs\n\n" + body + "\n", config=config) if f.rule == RULE]


@pytest.mark.parametrize("body", [
    "If you are worried, call NHS 111 or use NHS 111 online.",
    "Prescriptions are free on the NHS for children.",
    "Your NHS number is printed on letters from your surgery.",
    "Adults over 40 are invited for an NHS Health Check every five years.",
    "Ask an NHS pharmacist about cough syrups.",
    "This inhaler is FDA-approved for children over 4.",
    "The device was cleared by the FDA in 2019.",
    # credit lines under an article (a linked logo on the live page)
    "Most coughs clear up in three weeks.\n\nNIH: National Heart, Lung, and Blood Institute",
    "Most coughs clear up in three weeks.\n\nCenters for Disease Control and Prevention",
    "Most coughs clear up in three weeks.\n\nNIH: National Institute on Deafness and Other Communication Disorders",
])
def test_not_citations(body):
    assert unlinked(body) == []


@pytest.mark.parametrize("body, name", [
    ("The NHS recommends resting and drinking plenty of fluids.", "The NHS"),
    ("According to the CDC, most coughs last about three weeks.", "the CDC"),
    ("Source: Mayo Clinic", "Mayo Clinic"),
    ("Adapted from Cleveland Clinic", "Cleveland Clinic"),
    ("Read the CDC advice.", "the CDC"),
    ("NHS England says most coughs do not need antibiotics.", "NHS"),
    ("The FDA warns that codeine is not safe for children.", "The FDA"),
])
def test_citations_still_reported(body, name):
    assert unlinked(body) == [name]


def test_service_mention_does_not_use_up_the_first_mention():
    body = "Call NHS 111 if you are worried.\n\nThe NHS says most coughs clear up within three weeks."
    assert unlinked(body) == ["The NHS"]


def test_site_naming_itself():
    body = "The NHS recommends resting and drinking plenty of fluids."
    config = Config(sections={"site": {"base-url": "https://www.nhs.uk/"}})
    assert unlinked(body, config=config) == []
    other = Config(sections={"site": {"base-url": "https://coughs.example/"}})
    assert unlinked(body, config=other) == ["The NHS"]


def test_name_patterns_match_where_a_leading_lookbehind_would():
    """The case-sensitive names' pattern tests "not after a word character,
    dot, @ or slash" after each name's first letter (so re can jump between
    first letters); it finds exactly what the plain form, the test first,
    finds: names at the start, after punctuation, inside words, before
    "'s", dots and letters."""
    import random
    import re

    from health_lint.linter import load_packs
    from health_lint.rules.links_unlinked_source import name_patterns
    from health_lint.text import literal_alternation

    patterns = name_patterns(load_packs(Config()))
    pattern, names = next((p, n) for p, n in patterns if not p.flags & re.I)
    plain = re.compile(r"(?<![\w.@/])(?:" + literal_alternation(names) + r")(?![\w]|\.\w)")
    rnd = random.Random(7)
    words = "the cancer of a page said and with from x".split()
    for _ in range(300):
        parts = []
        for _ in range(rnd.randint(1, 12)):
            if rnd.random() < 0.4:
                parts.append(rnd.choice(["", "x", ".", "(", "/", "@", "-", "\n"]) + rnd.choice(sorted(names))
                             + rnd.choice(["", ".", "'s", "x", ".x", ",", ")"]))
            else:
                parts.append(rnd.choice(words))
        text = rnd.choice(["", " "]).join(parts) if rnd.random() < 0.2 else " ".join(parts)
        assert [m.span() for m in pattern.finditer(text)] == [m.span() for m in plain.finditer(text)], text
