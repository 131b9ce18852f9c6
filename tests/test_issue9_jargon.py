"""Issue 9, plain-language/jargon: explanations the rule used to miss (the
term in brackets after a plain description, a synonym after "also called",
the meaning in other plain words) and look-alikes that explain nothing."""
from __future__ import annotations

import pytest

from .conftest import FRONT, lint_text

RULE = "plain-language/jargon"


def jargon(sentence: str) -> list[str]:
    return [f.snippet for f in lint_text(FRONT + "# Babies\n\n" + sentence + "\n") if f.rule == RULE]


@pytest.mark.parametrize("sentence", [
    # plain description, then the term in brackets
    "A dip in the soft top part of your baby's skull (sunken fontanelle) can mean they need more fluids.",
    "Blotchy pink patches with tiny pale bumps (erythema toxicum) often show up in the first week.",
    "Breathing that keeps stopping and starting at night (sleep apnoea) makes you tired.",
    "Feeling dizzy when you get up quickly (postural hypotension) is common in older people.",
    # the term, then the explanation in brackets
    "A sunken fontanelle (a soft patch on the head that dips inwards) can mean your baby is dehydrated.",
    # a synonym after a marker, with words between
    "A bulging disc (also called a prolapsed or herniated disc) can press on a nerve.",
    "It happens when a disc bulges out, also known as a badly herniated disc.",
    # the meaning in other plain words, from the term's also-plain list
    "Some women feel low for months after the birth of their child, which is called postpartum depression.",
    "Postpartum depression can start in the weeks after your baby is born.",
    # an everyday condition name that holds the term (unless-in)
    "Snoring loudly can be a sign of sleep apnoea.",
])
def test_explained_or_everyday(sentence):
    assert jargon(sentence) == []


@pytest.mark.parametrize("sentence, term", [
    # brackets of examples or lists explain nothing
    ("Long-term problems (such as hypertension) need regular checks.", "hypertension"),
    ("Some things raise the risk (hypertension, smoking and being overweight).", "hypertension"),
    ("Risk factors (hypertension and diabetes) are checked every year.", "hypertension"),
    ("Hypertension (such as readings over 140) needs treatment.", "Hypertension"),
    # no explanation anywhere in the sentence
    ("Apnoea can happen in babies born early.", "Apnoea"),
    ("Ask your midwife about postpartum care.", "postpartum"),
    ("Check the fontanelle every day.", "fontanelle"),
    # a marker too far from the term is not an explanation of it
    ("This is also called a problem that, over many years, leads to hypertension.", "hypertension"),
])
def test_unexplained(sentence, term):
    assert jargon(sentence) == [term]


def test_sleep_apnoea_does_not_explain_later_bare_apnoea():
    text = "Snoring can be a sign of sleep apnoea.\n\nIn apnoea, breathing stops for a few seconds.\n"
    assert jargon(text) == ["apnoea"]


@pytest.mark.parametrize("sentence", [
    "The British Hypertension Society publishes advice for patients.",
    "Read the [hypertension](/conditions/high-blood-pressure/) page before your appointment.",
])
def test_names_and_linked_terms(sentence):
    assert jargon(sentence) == []


@pytest.mark.parametrize("sentence, term", [
    ("Hypertension. Doctors check for it at every visit.", "Hypertension"),
    ("Ask Sam about hypertension.", "hypertension"),
    ("Many adults have hypertension.", "hypertension"),
])
def test_capitalised_word_beside_term_is_not_always_a_name(sentence, term):
    assert jargon(sentence) == [term]


def test_proper_name_does_not_use_up_the_first_use():
    text = "The British Hypertension Society has leaflets.\n\nHypertension raises the risk of stroke.\n"
    assert jargon(text) == ["Hypertension"]
