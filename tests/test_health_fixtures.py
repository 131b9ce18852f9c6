"""Issue 3: the fixtures tables in fixtures/README.md as tests, real articles
for spelling, rule packs from extra folders, and a few end-to-end CLI runs."""
from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from health_lint import config as config_mod
from health_lint import packs as pack_mod
from health_lint import parsers
from health_lint.redflags import NONE, concept_levels
from health_lint.terms import article_tokens, detect_topics

from .conftest import FIXTURES, lint_text, run_cli, run_json

TODAY = {"HEALTH_LINT_TODAY": "2026-11-25"}
HEALTH_PREFIXES = ("red-flags/", "claims/", "plain-language/", "links/", "meta/", "disclaimer/", "spelling/")

CLEAN_TOPICS = {  # file -> (topic, concepts, topics that must not trigger)
    "back-pain.md": ("back-pain", 11, ["neck-pain"]),
    "neck-pain.md": ("neck-pain", 8, ["back-pain", "dizziness-stroke"]),
    "chest-pain.md": ("chest-pain", 6, ["shortness-of-breath", "dizziness-stroke"]),
    "headache.md": ("headache", 8, ["dizziness-stroke", "neck-pain"]),
    "abdominal-pain.md": ("abdominal-pain", 9, ["shortness-of-breath"]),
    "shortness-of-breath.md": ("shortness-of-breath", 9, ["chest-pain"]),
    "dizziness-stroke.md": ("dizziness-stroke", 9, ["headache"]),
    "fever-in-children.md": ("fever-in-children", 9, ["neck-pain", "shortness-of-breath"]),
}


@pytest.fixture(autouse=True)
def _pinned_today(monkeypatch):
    monkeypatch.setenv("HEALTH_LINT_TODAY", TODAY["HEALTH_LINT_TODAY"])


def parse(path: Path):
    return parsers.parse(path.read_text(encoding="utf-8"), str(path), parsers.format_of(path.name))


def red_flag_packs():
    return pack_mod.load(()).of_kind("red-flags")


# -- clean/ --------------------------------------------------------------------

@pytest.fixture(scope="module")
def clean_run():
    code, report = run_json("check", "fixtures/clean", "--no-graph", env=TODAY)
    return code, report


# The packs added with issue 10 (mental-health crisis, fever in adults,
# seizures, asthma attack, anaphylaxis, head injury) have their complete
# articles in fixtures/red-flags/dev/ (tests/test_red_flag_set.py).
NEWER_TOPICS = {"mental-health-crisis", "fever-in-adults", "seizures", "asthma-attack", "anaphylaxis", "head-injury"}


def test_clean_fixtures_cover_every_topic():
    # index.md is the hub page that links to every article (no topic of its own).
    assert sorted(p.name for p in (FIXTURES / "clean").glob("*.md")) == sorted([*CLEAN_TOPICS, "index.md"])
    assert sorted(t for t, _, _ in CLEAN_TOPICS.values()) == sorted(p["id"] for p in red_flag_packs()
                                                                     if p["id"] not in NEWER_TOPICS)


def test_clean_fixtures_no_warning_or_error_from_any_rule(clean_run):
    code, report = clean_run
    assert code == 0
    assert report["summary"]["files"] == len(CLEAN_TOPICS) + 1  # the articles and the hub index.md
    bad = [(f["path"], f["line"], f["rule"], f["message"]) for f in report["findings"] if f["severity"] in ("warning", "error")]
    assert bad == []


def test_clean_fixtures_no_finding_at_all_from_health_rules(clean_run):
    _, report = clean_run
    assert [(f["path"], f["rule"], f["message"]) for f in report["findings"] if f["rule"].startswith(HEALTH_PREFIXES)] == []


def test_clean_folder_with_link_graph_has_no_warning_or_error():
    """The folder as a user checks it (graph rules on): the hub index.md links
    to every article, so none is an orphan; info (dead ends) is fine."""
    code, report = run_json("check", "fixtures/clean", env=TODAY)
    assert code == 0
    assert report["summary"]["files"] == len(CLEAN_TOPICS) + 1
    assert [(f["path"], f["rule"]) for f in report["findings"] if f["severity"] in ("warning", "error")] == []
    assert not [f for f in report["findings"] if f["rule"] == "graph/orphan"]


def test_clean_index_is_a_hub_without_a_topic():
    doc = parse(FIXTURES / "clean" / "index.md")
    assert detect_topics(doc, red_flag_packs(), article_tokens(doc)) == []
    assert {link.url for link in doc.links if not link.url.startswith("https://")} == set(CLEAN_TOPICS)


@pytest.mark.parametrize("name", sorted(CLEAN_TOPICS))
def test_clean_fixture_detects_exactly_its_topic_and_all_concepts(name):
    topic, n_concepts, must_not = CLEAN_TOPICS[name]
    doc = parse(FIXTURES / "clean" / name)
    block_tokens = article_tokens(doc)
    detected = [p["id"] for p in detect_topics(doc, red_flag_packs(), block_tokens)]
    assert detected == [topic]
    assert not set(must_not) & set(detected)
    pack = next(p for p in red_flag_packs() if p["id"] == topic)
    assert len(pack["concepts"]) == n_concepts
    levels = concept_levels(doc, pack_mod.load(), pack)
    # every concept is named AND paired with advice (a warning section, a list
    # introduced by advice, or an action in the sentence)
    assert {cid for cid, level in levels.items() if level > NONE} == {c["id"] for c in pack["concepts"]}


# -- defects/ ------------------------------------------------------------------

@pytest.fixture(scope="module")
def defects():
    code, report = run_json("check", "fixtures/defects", "--no-graph", env=TODAY)
    assert code == 1
    by_file: dict[str, list[dict]] = {}
    for f in report["findings"]:
        by_file.setdefault(Path(f["path"]).name, []).append(f)
    return by_file


def health(findings):
    return [f for f in findings if f["rule"].startswith(HEALTH_PREFIXES)]


def test_defect_back_pain_missing_red_flags(defects):
    found = health(defects["back-pain-missing-red-flags.md"])
    assert Counter(f["rule"] for f in found) == {"red-flags/missing": 1, "red-flags/no-emergency-advice": 1,
                                                 "red-flags/wrong-urgency": 1}
    [grouped] = [f for f in found if f["rule"] == "red-flags/missing"]
    # one finding for the topic, one JSON detail per concept
    assert [(d["topic"], d["concept"]) for d in grouped["data"]["details"]] == [
        ("back-pain", "cauda-equina-bladder-bowel"), ("back-pain", "cauda-equina-saddle-numbness")]
    assert "cauda-equina-bladder-bowel" in grouped["message"] and "cauda-equina-saddle-numbness" in grouped["message"]
    assert "NICE NG59" in grouped["hint"]
    # "See your doctor if your legs feel weak ... getting worse" / "after a serious fall": routine advice
    # for emergency signs
    [wrong] = [f for f in found if f["rule"] == "red-flags/wrong-urgency"]
    assert wrong["data"]["concepts"] == ["progressive-neurological-deficit", "significant-trauma"]
    assert {(f["line"], f["column"]) for f in found} == {(13, 3)}


def test_defect_claims(defects):
    found = health(defects["claims-arthritis.md"])
    assert {f["rule"] for f in found} == {"claims/overpromise"}
    source = (FIXTURES / "defects" / "claims-arthritis.md").read_text(encoding="utf-8").splitlines()
    texts = [source[f["line"] - 1][f["column"] - 1:f["end_column"] - 1] for f in found]
    assert [t.split()[0] for t in texts] == ["miracle", "cures", "guaranteed", "100%", "instantly", "detox", "melt", "secret"]
    assert texts[-1] == "secret doctors don't want you to know"
    what_we_know = next(i for i, line in enumerate(source, 1) if line.startswith("## What we know"))
    assert all(f["line"] < what_we_know for f in found)


def test_defect_jargon_first_use_only(defects):
    found = health(defects["jargon.md"])
    assert {f["rule"] for f in found} == {"plain-language/jargon"}
    assert [f["data"]["term"] for f in found] == ["myocardial infarction", "analgesic", "tachycardia", "atherosclerosis", "arrhythmia"]
    source = (FIXTURES / "defects" / "jargon.md").read_text(encoding="utf-8").splitlines()
    unexplained = next(i for i, line in enumerate(source, 1) if line.startswith("## Unexplained terms"))
    assert all(f["line"] > unexplained for f in found)  # explained, and later plain uses, are fine


def test_defect_links(defects):
    found = health(defects["links.md"])
    source = (FIXTURES / "defects" / "links.md").read_text(encoding="utf-8").splitlines()
    vague = [source[f["line"] - 1][f["column"] - 1:].split("]")[0].lstrip("[") for f in found if f["rule"] == "links/vague-anchor"]
    assert vague == ["click here", "this article", "here", "Learn more"]
    insecure = [f for f in found if f["rule"] == "links/insecure"]
    assert [source[f["line"] - 1][f["column"] - 1:f["end_column"] - 1] for f in insecure] == [
        "http://www.sleepfoundation.org/sleep-hygiene", "http://www.nhs.uk/conditions/insomnia/"]
    assert len(found) == 6


def test_defect_unlinked_sources(defects):
    found = health(defects["unlinked-sources.md"])
    assert {f["rule"] for f in found} == {"links/unlinked-source", "links/no-authoritative-source"}
    assert len([f for f in found if f["rule"] == "links/no-authoritative-source"]) == 1
    domains = Counter(f["data"]["domain"] for f in found if f["rule"] == "links/unlinked-source")
    assert set(domains) == {"mayoclinic.org", "nih.gov"} and 1 <= domains["mayoclinic.org"] <= 2 and domains["nih.gov"] == 1


def test_defect_no_metadata(defects):
    assert sorted(f["rule"] for f in health(defects["no-metadata.md"])) == [
        "meta/missing-author", "meta/missing-date", "meta/missing-reviewer"]


def test_defect_stale_review(defects):
    found = health(defects["stale-review.md"])
    assert [f["rule"] for f in found] == ["meta/stale-review"]
    assert found[0]["data"] == {"date": "2022-01-01", "age_months": 58}


def test_no_defect_article_except_back_pain_triggers_a_topic():
    for path in sorted((FIXTURES / "defects").glob("*.md")):
        doc = parse(path)
        detected = [p["id"] for p in detect_topics(doc, red_flag_packs(), article_tokens(doc))]
        assert detected == (["back-pain"] if path.name == "back-pain-missing-red-flags.md" else []), path.name


# -- real articles: medical vocabulary -----------------------------------------

@pytest.mark.parametrize("name", ["spine-care.md", "cardiology.md", "neurology.md"])
def test_real_article_has_no_spelling_false_alarm(name):
    path = FIXTURES / "spelling" / name
    text = path.read_text(encoding="utf-8")
    assert len(text.split()) > 550
    assert [f.snippet for f in lint_text(text, str(path)) if f.rule == "spelling/unknown-word"] == []


def test_medical_word_list_sorted_and_deduplicated():
    words = [w for w in (FIXTURES.parent / "rules/words/medical.txt").read_text(encoding="utf-8").splitlines()
             if w and not w.startswith("#")]
    assert words == sorted(set(words), key=lambda w: (w.lower(), w))


# -- packs from extra folders ------------------------------------------------------

CHEST = "---\ntitle: T\n---\n# Chest pain\n\nChest pain has many causes. Call 911 if chest pain spreads to your arm.\n"


def test_pack_in_extra_folder_replaces_builtin_by_id(tmp_path):
    folder = tmp_path / "packs" / "red-flags"
    folder.mkdir(parents=True)
    (folder / "chest.yaml").write_text(
        "id: chest-pain\nkind: red-flags\ntitle: Chest pain (house)\ntriggers:\n  strong: [chest pain]\n"
        "concepts:\n  - id: house-concept\n    name: the house sign\n    emergency: true\n    guideline: House guide\n"
        "    phrases: [purple toes]\n", encoding="utf-8")
    cfg = config_mod.Config(root=tmp_path, packs=["packs"])
    found = [f for f in lint_text(CHEST, config=cfg) if f.rule == "red-flags/missing"]
    assert [c for f in found for c in f.data["concepts"]] == ["house-concept"]
    assert "House guide" in found[0].hint
    builtin = [c for f in lint_text(CHEST) if f.rule == "red-flags/missing" for c in f.data["concepts"]]
    assert "house-concept" not in builtin and len(builtin) > 1


def test_extra_terms_pack_adds_claims(tmp_path):
    folder = tmp_path / "packs"
    folder.mkdir()
    (folder / "claims-house.yaml").write_text(
        "id: house-claims\nkind: terms\nrule: claims/overpromise\nterms:\n  - term: zap away\n", encoding="utf-8")
    cfg = config_mod.Config(root=tmp_path, packs=["packs"])
    text = "---\ntitle: T\n---\n# Knees\n\nIt will zap away your pain. It is a miracle.\n"
    assert [f.snippet for f in lint_text(text, config=cfg) if f.rule == "claims/overpromise"] == ["zap away", "miracle"]


@pytest.mark.parametrize("content, expected", [
    ("id: x\nkind: [unclosed\n", "bad.yaml"),
    ("just: a mapping without id\n", "bad.yaml"),
    (None, "rule pack folder not found"),
])
def test_malformed_pack_is_a_configuration_error(tmp_path, content, expected):
    (tmp_path / "pyproject.toml").write_text('[tool.health-lint]\npacks = ["packs"]\n', encoding="utf-8")
    (tmp_path / "a.md").write_text("# T\n\nHello.\n", encoding="utf-8")
    if content is not None:
        (tmp_path / "packs").mkdir()
        (tmp_path / "packs" / "bad.yaml").write_text(content, encoding="utf-8")
    proc = run_cli("check", "a.md", cwd=tmp_path)
    assert proc.returncode == 2, proc.stderr
    assert "health-lint: error:" in proc.stderr and expected in proc.stderr
    assert "internal error" not in proc.stderr and "Traceback" not in proc.stderr


# -- explain --------------------------------------------------------------------

def test_explain_red_flags_lists_guidelines():
    proc = run_cli("explain", "red-flags/missing")
    assert proc.returncode == 0
    for text in ("NICE NG59", "cauda-equina-bladder-bowel", "back-pain", "chest-pain", "fever-in-children", "Sources"):
        assert text in proc.stdout
