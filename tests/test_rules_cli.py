"""The tools for rule authors: rules check, rules list, explain, and safety."""

from __future__ import annotations

from typer.testing import CliRunner

from zhipu_facts.cli import app
from zhipu_facts.engine.rules import load_rules
from zhipu_facts.authoring.safety import time_rule

runner = CliRunner()


def _rule_folder(tmp_path, body: str, kind: str = "money", name: str = "mine"):
    folder = tmp_path / "myrules"
    (folder / kind).mkdir(parents=True, exist_ok=True)
    (folder / kind / f"{name}.yaml").write_text(body, encoding="utf-8")
    return folder


def test_rules_check_passes_on_shipped_rules():
    result = runner.invoke(app, ["rules", "check"])
    assert result.exit_code == 0, result.output
    assert "0 failed; 0 slow patterns or triggers" in result.output


def test_rules_check_reports_every_problem_with_file_line_and_rule(tmp_path):
    folder = _rule_folder(tmp_path, (
        "rules:\n"
        "  - id: money.mine.a\n"
        "    kind: money\n"
        "    pattern: '(?P<amount>{NOPE})元'\n"
        "    examples: [{text: 3元, span: 3元}]\n"
        "  - id: money.other.b\n"
        "    kind: percent\n"
        "    pattern: '(?P<x>\\d+)'\n"
    ))
    result = runner.invoke(app, ["rules", "check", str(folder)])
    assert result.exit_code == 2
    out = result.output
    assert "mine.yaml:2 [money.mine.a]: unknown fragments ['NOPE']" in out
    assert "mine.yaml:6 [money.other.b]: id must mirror the path" in out
    assert "[money.other.b]: kind must be 'money'" in out
    assert "a rule needs at least one example" in out
    assert "Traceback" not in out


def test_rules_check_runs_examples_and_names_what_differed(tmp_path):
    folder = _rule_folder(tmp_path, (
        "rules:\n"
        "  - id: money.mine.baht\n"
        "    kind: money\n"
        "    pattern: '(?P<amount>{AMOUNT})(?P<cur>泰铢)'\n"
        "    examples:\n"
        "      - text: 该项目总投资达5亿泰铢\n"
        "        span: 5亿泰铢\n"
        "        value: 600000000\n"
        "    negatives: [泰铢汇率近期波动较大]\n"
    ))
    (folder / "lexicon").mkdir()
    (folder / "lexicon" / "thb.yaml").write_text(
        "lexicon: currencies\nentries:\n  - key: THB\n    names: [泰铢]\n", encoding="utf-8")
    result = runner.invoke(app, ["rules", "check", str(folder)])
    assert result.exit_code == 1
    assert "[money.mine.baht] example #1" in result.output
    # the shipped suffix rule reads 泰铢 too once the lexicon has it, and is longer-or-equal with higher priority
    assert "came from money.amount.suffix" in result.output or "wrong value: value: expected 600000000, got 500000000" in result.output


def test_catastrophic_rule_is_rejected_by_check_and_interrupted_at_run_time(tmp_path):
    body = (
        "rules:\n"
        "  - id: money.mine.evil\n"
        "    kind: money\n"
        # (\d|\d\d)+ followed by a failure backtracks exponentially in the digits
        "    pattern: '(?P<amount>(?:\\d|\\d\\d)+)(?!\\d)(?P<cur>[元圆])'\n"
        "    examples: [{text: 5元, span: 5元}]\n"
        "    negatives: [没有数字]\n"
    )
    folder = _rule_folder(tmp_path, body)
    rule = load_rules([folder]).by_id("money.mine.evil")
    slow = time_rule(rule)
    assert slow and "money.mine.evil" in str(slow[0]) and "backtracks" in str(slow[0])

    result = runner.invoke(app, ["rules", "check", str(folder)])
    assert result.exit_code == 1
    assert "slow: " in result.output and "[money.mine.evil]" in result.output

    output, table = _extract_long_digits(tmp_path, folder)
    assert "rule money.mine.evil" in output and "timed out" in output
    assert "30亿元" in table


def test_catastrophic_trigger_is_rejected_by_check_and_interrupted_at_run_time(tmp_path):
    body = (
        "rules:\n"
        "  - id: money.mine.slow_trigger\n"
        "    kind: money\n"
        # the pattern is harmless; the trigger backtracks exponentially in digits
        "    trigger: '(?:\\d|\\d\\d)+(?!\\d)[元a-z]'\n"
        "    pattern: '(?P<amount>\\d+)(?P<cur>元)'\n"
        "    examples: [{text: 5元, span: 5元}]\n"
        "    negatives: [没有数字]\n"
    )
    folder = _rule_folder(tmp_path, body)
    slow = time_rule(load_rules([folder]).by_id("money.mine.slow_trigger"))
    assert slow and all(s.what == "trigger" for s in slow) and "the trigger took" in str(slow[0])

    output, table = _extract_long_digits(tmp_path, folder)
    assert "rule money.mine.slow_trigger" in output and "its trigger backtracks" in output
    assert "30亿元" in table


def _extract_long_digits(tmp_path, folder):
    """Extract, with the user rules in folder, an article whose long digit run
    sends a backtracking pattern into its timeout: (stderr and stdout, CSV).
    A timeout is a bug in a rule, so the run ends with exit status 1."""
    article = tmp_path / "a.txt"
    article.write_text("智谱完成30亿元融资。" + "1" * 3000 + "!", encoding="utf-8")
    out = tmp_path / "f.csv"
    result = runner.invoke(app, ["extract", str(article), "--rules", str(folder), "-o", str(out)])
    assert result.exit_code == 1 and "1 rule timeout (" in result.output, result.output
    return result.output, out.read_text(encoding="utf-8")


def test_rules_list_counts_examples():
    result = runner.invoke(app, ["rules", "list"])
    assert result.exit_code == 0
    lines = [line.split("\t") for line in result.output.splitlines()]
    assert lines[0][:3] == ["id", "kind", "priority"]
    by_id = {line[0]: line for line in lines[1:]}
    assert by_id["money.amount.suffix"][1] == "money"
    assert int(by_id["money.amount.suffix"][4]) >= 10
    assert len(by_id) == len(load_rules().rules)


def test_explain_shows_matches_winners_and_values():
    result = runner.invoke(app, ["explain", "去年年底,智谱完成了新一轮30亿元的融资", "--published", "2025-02-11"])
    assert result.exit_code == 0, result.output
    assert "date.relative.year" in result.output and "won" in result.output
    assert "fact money '30亿元'" in result.output and "value=3000000000" in result.output
    assert "as_of=2024-12" in result.output


def test_explain_says_why_a_bare_amount_was_dropped():
    result = runner.invoke(app, ["explain", "日均消耗量已达到4.2万亿"])
    assert result.exit_code == 0
    assert "fact money" not in result.output


def test_triggers_never_lose_a_candidate_on_the_seeds(seed_texts):
    """Triggers are a prefilter only: with them, every rule finds exactly what
    it finds when run over the whole text."""
    from zhipu_facts.engine.match import find_candidates
    from zhipu_facts.pipeline import analyze

    def seen(c):  # the span and the group spans normalizers read, in view offsets
        return (c.rule.id, c.start, c.end, c.span_of("core"), c.span_of("amount"), c.span_of("num"), c.groups)

    rules = load_rules()
    for text in seed_texts.values():
        cleaned = analyze(text, rules).cleaned
        everywhere = {str(seen(c)) for c in find_candidates(cleaned.view.text, rules.fact_rules)}
        near = {str(seen(c)) for c in find_candidates(cleaned.view.text, rules.fact_rules, cleaned.sentences)}
        assert near == everywhere


def test_joined_windows_map_back_and_never_match_across():
    """Windows of one trigger are scanned as one string; matches come back in
    text offsets, and nothing may join the end of one window to the next."""
    from zhipu_facts.engine.match import find_candidates

    rules = load_rules()
    money = [r for r in rules.fact_rules if r.id == "money.amount.suffix"]
    filler = "这是一段没有任何数字的长文字,用来把两个窗口隔开" * 3
    text = f"公司去年收入为30亿元,{filler},今年的目标是50亿元。"
    sentences = [(0, len(text))]
    found = find_candidates(text, money, sentences)
    assert [(text[c.start:c.end], text[slice(*c.span_of("amount"))]) for c in found] == [
        ("30亿元", "30亿"), ("50亿元", "50亿")]


def test_rules_check_runs_lexicon_examples(tmp_path):
    folder = tmp_path / "myrules" / "lexicon"
    folder.mkdir(parents=True)
    (folder / "metrics.yaml").write_text(
        "lexicon: metrics\nentries: []\nexamples:\n"
        '  - {text: "公司估值为30亿元", span: "30亿元", metric: revenue, subject: 智谱}\n', encoding="utf-8")
    result = runner.invoke(app, ["rules", "check", str(tmp_path / "myrules")])
    assert result.exit_code == 1
    assert "[lexicon:metrics]" in result.output
    assert "metric: expected 'revenue', got 'valuation'; subject: expected '智谱', got None" in result.output


def test_trigger_windows_merge_nearby_hits_and_stay_in_their_sentences():
    import regex

    from zhipu_facts.engine.match import trigger_windows
    from zhipu_facts.core.rule import TRIGGER_REACH as R

    text = "亿" + "甲" * 60 + "。" + "乙" * 10 + "亿" + "丙" * 5 + "亿" + "丁" * 80
    sentences = [(0, 62), (62, len(text))]
    first, second, third = (i for i, ch in enumerate(text) if ch == "亿")
    windows = trigger_windows(text, regex.compile("亿"), sentences)
    # A hit at offset 0 opens a window there; the two hits of the second
    # sentence, 6 apart, share one window that never reaches into the first.
    assert windows == [(0, 1 + R), (max(62, second - R), third + 1 + R)]
    assert first == 0
    # Hits near each other across a sentence end are not merged: the second
    # sentence's window starts within reach of its own hit, not at the
    # sentence's start because the first one had a hit nearby.
    text = "甲" * 10 + "亿。" + "乙" * 30 + "亿" + "丙" * 5
    hit = text.rindex("亿")
    windows = trigger_windows(text, regex.compile("亿"), [(0, 12), (12, len(text))])
    assert windows == [(0, 12), (hit - R, len(text))]


def test_a_clean_rule_that_would_delete_most_of_an_article_is_rejected(tmp_path):
    """Its own example passes (it does delete the ad), but alone it removes
    nearly all of the fact rules' example sentences, so it would silently cost
    every article its facts."""
    body = (
        "rules:\n"
        "  - id: clean.ads.everything\n"
        "    kind: clean\n"
        "    action: delete\n"
        "    pattern: '[^\\n]*(?:广告|推广)?[^\\n]+'\n"
        "    examples:\n"
        "      - text: 推广:点击领取红包\n"
        "        clean: ''\n"
    )
    folder = _rule_folder(tmp_path, body, kind="clean", name="ads")
    result = runner.invoke(app, ["rules", "check", str(folder)])
    assert result.exit_code == 1, result.output
    assert "greedy: " in result.output and "[clean.ads.everything]" in result.output
    assert "ads.yaml:2" in result.output and "1 greedy clean rule\n" in result.output


def test_explain_names_the_lexicon_file_from_where_it_runs(tmp_path, monkeypatch):
    """The rules are cached across runs, so the file a trigger word came from is
    made relative to the working folder when shown, not when the rules loaded."""
    from conftest import ROOT

    monkeypatch.chdir(ROOT)
    here = runner.invoke(app, ["explain", "智谱完成融资30亿元。"]).output
    assert "(rules/lexicon/metrics.yaml)" in here
    monkeypatch.chdir(tmp_path)
    elsewhere = runner.invoke(app, ["explain", "智谱完成融资30亿元。"]).output
    assert f"({ROOT / 'rules' / 'lexicon' / 'metrics.yaml'})" in elsewhere
