"""The compiled-rules cache (engine/rule_cache.py): a hit is the same rule set,
any edit to what it was built from is a miss, and a broken or unwritable
cache costs time, never a run."""

from __future__ import annotations

import pickle

import pytest

from zhipu_facts.engine import rule_cache
from zhipu_facts.engine import rules as rules_module
from zhipu_facts.engine.rules import RuleError, load_rules
from zhipu_facts.pipeline import analyze

RULE = """rules:
  - id: quantity.mine.stores
    kind: quantity
    pattern: '(?P<core>(?P<amount>\\d+)(?P<counter>家){word})'
    examples: [{{text: 公司新开12家{word}, span: 12家{word}}}]
"""
SENTENCE = "截至6月底，公司在全国新开了12家门店，另有30家新店在筹备中。"


@pytest.fixture
def cache(tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    monkeypatch.setenv("ZFACTS_CACHE", str(folder))
    return folder


def _builds(monkeypatch) -> list[int]:
    """Counts the real builds behind load_rules."""
    calls: list[int] = []
    real = rules_module._build_rules

    def counting(dirs):
        calls.append(1)
        return real(dirs)
    monkeypatch.setattr(rules_module, "_build_rules", counting)
    return calls


def _user(tmp_path, word: str):
    d = tmp_path / "user" / "quantity"
    d.mkdir(parents=True, exist_ok=True)
    (d / "mine.yaml").write_text(RULE.format(word=word), encoding="utf-8")
    return tmp_path / "user"


def _facts(rs) -> list[tuple]:
    return [(f.text, f.rule) for f in analyze(SENTENCE, rs).facts]


def test_a_second_load_is_read_from_the_cache_and_finds_the_same_facts(cache, monkeypatch, seed_texts):
    builds = _builds(monkeypatch)
    first = load_rules()
    assert len(builds) == 1 and len(list(cache.glob("rules-*.pickle"))) == 1
    second = load_rules()
    assert len(builds) == 1  # no build: the entry was read
    assert [r.id for r in second.rules] == [r.id for r in first.rules]
    for text in seed_texts.values():
        a, b = analyze(text, first).facts, analyze(text, second).facts
        assert [f.row() for f in a] == [f.row() for f in b]


def test_an_edited_rule_file_is_a_new_entry(cache, monkeypatch, tmp_path):
    builds = _builds(monkeypatch)
    user = _user(tmp_path, "门店")
    assert ("12家门店", "quantity.mine.stores") in _facts(load_rules([user]))
    _user(tmp_path, "新店")  # the same file, another pattern
    found = _facts(load_rules([user]))
    assert len(builds) == 2
    assert ("30家新店", "quantity.mine.stores") in found and ("12家门店", "quantity.mine.stores") not in found
    assert len(list(cache.glob("rules-*.pickle"))) == 2


def test_a_broken_entry_is_rebuilt_and_replaced(cache, monkeypatch):
    load_rules()
    (entry,) = cache.glob("rules-*.pickle")
    entry.write_bytes(b"\x80\x05not a pickle")
    builds = _builds(monkeypatch)
    assert load_rules().fact_rules
    assert len(builds) == 1
    assert rule_cache._load(entry, rule_cache._key(cache)).fact_rules  # written again, whole and signed


def test_rule_errors_are_never_cached(cache, tmp_path):
    user = _user(tmp_path, "(门店")  # an unbalanced parenthesis
    for _ in range(2):
        with pytest.raises(RuleError) as e:
            load_rules([user])
        assert "quantity.mine.stores" in str(e.value)
    assert not list(cache.glob("rules-*.pickle"))


def test_an_unwritable_cache_folder_costs_nothing_but_time(tmp_path, monkeypatch):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder should be")
    monkeypatch.setenv("ZFACTS_CACHE", str(blocker))
    assert load_rules().fact_rules
    assert blocker.read_text() == "a file where the cache folder should be"


def test_the_cache_can_be_turned_off(tmp_path, monkeypatch):
    monkeypatch.setenv("ZFACTS_CACHE", "off")
    assert rule_cache.cache_dir() is None
    monkeypatch.setenv("ZFACTS_CACHE", str(tmp_path / "c"))
    assert rule_cache.cache_dir() == tmp_path / "c"
    monkeypatch.delenv("ZFACTS_CACHE")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert rule_cache.cache_dir() == tmp_path / "xdg" / "zfacts"


def test_old_entries_are_pruned(cache, tmp_path):
    for i in range(rule_cache.KEEP + 3):
        load_rules([_user(tmp_path / str(i), "门店")])
    assert len(list(cache.glob("rules-*.pickle"))) == rule_cache.KEEP
    assert not list(cache.glob(".rules-*"))  # no temporary file left behind


def test_no_home_folder_means_no_cache_rather_than_one_in_the_working_folder(monkeypatch):
    monkeypatch.delenv("ZFACTS_CACHE", raising=False)
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    monkeypatch.setattr("os.path.expanduser", lambda p: p)  # what it returns when no home can be found
    assert rule_cache.cache_dir() is None


class _Planted:
    """What an attacker would put in a shared cache folder: unpickling it runs a command."""

    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return (open, (str(self.marker), "w"))  # creates the marker file when unpickled


def test_a_planted_entry_never_runs_and_is_rebuilt(cache, monkeypatch, tmp_path):
    load_rules()
    (entry,) = cache.glob("rules-*.pickle")
    marker = tmp_path / "ran"
    for planted in (pickle.dumps(_Planted(marker)), pickle.dumps("a string, not a rule set"),
                    rule_cache.MAGIC + b"\0" * 32 + pickle.dumps(_Planted(marker))):  # a forged signature
        entry.write_bytes(planted)
        builds = _builds(monkeypatch)
        assert load_rules().fact_rules and len(builds) == 1
        assert not marker.exists()
        assert entry.read_bytes().startswith(rule_cache.MAGIC)  # replaced by a signed entry


def test_a_signed_entry_of_the_wrong_type_is_rebuilt(cache, monkeypatch):
    load_rules()
    (entry,) = cache.glob("rules-*.pickle")
    key = (cache / "key").read_bytes()
    entry.unlink()
    rule_cache._store(cache, entry, {"not": "a rule set"}, key)  # signed with our own key, as our writer would
    builds = _builds(monkeypatch)
    assert load_rules().fact_rules and len(builds) == 1


def test_an_entry_signed_by_another_key_is_rebuilt(cache, monkeypatch, tmp_path):
    load_rules()
    (entry,) = cache.glob("rules-*.pickle")
    (cache / "key").write_bytes(b"k" * 32)  # another account's key, say
    builds = _builds(monkeypatch)
    assert load_rules().fact_rules and len(builds) == 1


def test_a_folder_others_may_write_is_not_used(tmp_path, monkeypatch):
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o777)
    monkeypatch.setenv("ZFACTS_CACHE", str(shared))
    builds = _builds(monkeypatch)
    load_rules()
    load_rules()
    assert len(builds) == 2 and not list(shared.iterdir())  # built each time, nothing stored there


def test_an_entry_others_may_write_is_not_read(cache, monkeypatch):
    load_rules()
    (entry,) = cache.glob("rules-*.pickle")
    entry.chmod(0o666)
    builds = _builds(monkeypatch)
    assert load_rules().fact_rules and len(builds) == 1


def test_a_new_cache_folder_and_its_key_are_private(cache):
    load_rules()
    assert cache.stat().st_mode & 0o777 == 0o700
    assert (cache / "key").stat().st_mode & 0o777 == 0o600
