"""The user cache: rebuilt when its source changes, survives corruption,
and is only a speed-up (a read-only cache folder still works)."""
from __future__ import annotations

import os

from health_lint import packs, usercache
from health_lint.wordtable import WordTable


def test_cached_value_is_reused_and_rebuilt_when_key_changes(tmp_path, monkeypatch):
    monkeypatch.setenv("HEALTH_LINT_CACHE_DIR", str(tmp_path))
    calls = []

    def build():
        calls.append(1)
        return {"n": len(calls)}

    assert usercache.cached("thing", "k1", build) == {"n": 1}
    assert usercache.cached("thing", "k1", build) == {"n": 1}  # from the pickle
    assert usercache.cached("thing", "k2", build) == {"n": 2}  # new key: rebuilt
    assert [p.name for p in tmp_path.glob("thing-*.pickle")] == [f"thing-v{usercache.FORMAT}-k2.pickle"]


def test_corrupt_cache_is_rebuilt(tmp_path, monkeypatch):
    monkeypatch.setenv("HEALTH_LINT_CACHE_DIR", str(tmp_path))
    (tmp_path / f"thing-v{usercache.FORMAT}-k.pickle").write_bytes(b"not a pickle")
    assert usercache.cached("thing", "k", lambda: 42) == 42


def test_unwritable_cache_folder_only_slows_down(tmp_path, monkeypatch):
    target = tmp_path / "file-not-folder"
    target.write_text("x")
    monkeypatch.setenv("HEALTH_LINT_CACHE_DIR", str(target / "sub"))
    assert usercache.cached("thing", "k", lambda: [1, 2]) == [1, 2]


def test_edited_pack_is_reloaded(tmp_path, monkeypatch):
    monkeypatch.setenv("HEALTH_LINT_CACHE_DIR", str(tmp_path / "cache"))
    folder = tmp_path / "packs"
    folder.mkdir()
    pack = folder / "mine.yaml"
    pack.write_text("id: mine\nkind: terms\nrule: claims/overpromise\nterms: [{term: zapper}]\n")
    packs.load.cache_clear()
    first = packs.load((str(folder),))
    assert first.packs["mine"]["terms"][0]["term"] == "zapper"
    pack.write_text("id: mine\nkind: terms\nrule: claims/overpromise\nterms: [{term: blaster}]\n")
    os.utime(pack, ns=(1, 10**18))  # a different mtime, whatever the clock says
    packs.load.cache_clear()
    assert packs.load((str(folder),)).packs["mine"]["terms"][0]["term"] == "blaster"
    packs.load.cache_clear()


def test_word_table_behaves_like_a_read_only_dict():
    table = WordTable({"pain": 1, "back": 1, "sciatica": 4})
    assert "pain" in table and "spine" not in table and 3 not in table
    assert table.get("sciatica") == 4 and table.get("spine", 0) == 0 and table["back"] == 1
    assert len(table) == 3 and list(table) == ["back", "pain", "sciatica"]


def test_word_table_answers_the_same_from_its_string_its_list_and_its_dict(monkeypatch):
    """One article's run searches the joined string (through its sample of
    every 32nd word), a long run the list of words and then a dict: every
    way gives the same answers, also after a pickle round trip (the user
    cache)."""
    import pickle
    import random

    rng = random.Random(5)
    alphabet = "abcdeéz'-"
    mapping = {"".join(rng.choice(alphabet) for _ in range(rng.randint(1, 9))): rng.randint(0, 99) for _ in range(3000)}
    probes = list(mapping) + ["".join(rng.choice(alphabet) for _ in range(rng.randint(1, 9))) for _ in range(3000)]
    probes += ["", "\n", "a\nb", "zzzzzzzzzz"]
    expected = [mapping.get(p, -1) for p in probes]
    big = set(probes)
    want_present = sorted(w for w in big if w in mapping)
    for mode in ("string", "list", "dict"):
        # The string stays in use however many lookups "string" makes.
        monkeypatch.setattr(WordTable, "LIST_AFTER", 10**9 if mode == "string" else WordTable.LIST_AFTER)
        table = pickle.loads(pickle.dumps(WordTable(mapping)))
        if mode == "list":
            table.words  # noqa: B018
        elif mode == "dict":
            table.as_dict()
        assert [table.get(p, -1) for p in probes] == expected, mode
        assert [p in table for p in probes] == [p in mapping for p in probes], mode
        small = set(probes[:40])
        assert sorted(table.present(small)) == sorted(w for w in small if w in mapping), mode
        assert sorted(table.present(big)) == want_present, mode
        assert (table._words is None) == (mode == "string"), mode
        assert list(table) == sorted(mapping) and len(table) == len(mapping)
        again = pickle.loads(pickle.dumps(table))  # a table with its dict pickles whole too
        assert [again.get(p, -1) for p in probes] == expected, mode
    assert len(WordTable({})) == 0 and "a" not in WordTable({}) and list(WordTable({})) == []
