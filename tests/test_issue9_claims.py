"""Issue 9, claims/overpromise: promises the pack used to miss, and quoted,
reported, questioning or hedged uses that are not promises."""
from __future__ import annotations

import pytest

from .conftest import FRONT, lint_text

RULE = "claims/overpromise"


def claims(sentence: str) -> list[str]:
    return [f.snippet for f in lint_text(FRONT + "# Joint pain\n\n" + sentence + "\n") if f.rule == RULE]


@pytest.mark.parametrize("sentence, found", [
    ("Our spinal adjustments are proven effective in treating migraines, sciatica and even gout.", "proven effective"),
    ("This balm is proven to work on every kind of joint pain.", "proven to work"),
    ("Cupping is highly effective for neck pain.", "highly effective"),
    ("The programme allows for a complete recovery from whiplash.", "allows for a complete recovery"),
    ("Our clinic guarantees a full recovery.", "guarantees a full recovery"),
    ("Jaw exercises can fix clicking and prevent the need for surgery.", "prevent the need for surgery"),
    ("Our cream will quickly relieve your knee pain.", "quickly relieve your knee pain"),
    ("Eradicate your neck pain in two weeks.", "Eradicate your neck pain"),
    ("Turmeric has anti-carcinogenic properties.", "anti-carcinogenic"),
    ("Beetroot juice has anticancer properties.", "anticancer properties"),
])
def test_promises_found(sentence, found):
    assert claims(sentence) == [found]


@pytest.mark.parametrize("sentence", [
    # debunked or reported
    "Claims that cider vinegar is a miracle cure are false.",
    "The advert called it a miracle.",
    "Some websites describe it as a 'miracle cure'.",
    "It is sometimes called a wonder drug.",
    "Be wary of anyone offering a guaranteed cure.",
    # negated or hedged
    "No treatment is guaranteed to work.",
    "It has not been proven to work.",
    "Magnet bracelets are yet to be proven effective.",
    "Physiotherapy may help you avoid the need for surgery.",
    "Green tea may have anti-cancer properties.",
    # questions ask, they do not promise
    "Is there a cure for tinnitus?",
    "Can gout be cured?",
    # fair, sourced summaries
    "The flu vaccine is highly effective at preventing serious illness.",
    "Most people make a full recovery within a few weeks.",
    # medical uses of the same words
    "Antibiotics are used to eradicate the bacteria that cause stomach ulcers.",
    "Ibuprofen can ease swelling and pain.",
])
def test_not_promises(sentence):
    assert claims(sentence) == []
