"""What each number measures (metric) and whose it is (subject).

Both come from lexicons (rules/lexicon/metrics.yaml, entities.yaml) and the
reading order of the clause around the number:

- metric: the trigger word nearest before the number in its clause, of a
  metric allowed for the fact's kind; else the nearest one shortly after it
  (30亿元的融资); else, when the amount is its clause's only content, the
  first one later in the sentence; else, when its clause says only how
  much (规模为, 金额达), the metric of the clause before (完成B轮融资,规模为5亿元);
  a unit price (a fact with `per`) is a price. A modifier such as 累计 before the number turns financing into
  cumulative_financing. A change (营收同比增长45%) takes the measure that
  changed, not `growth`; a quantity first the noun it counts (超4500万名
  开发者: developers).
- subject: the entity nearest before the number in its clause (unless two are
  joined by 、/和/与 right there: a fact about both has no single subject);
  else, unless the clause is about a group (概念股, 10位玩家), the sentence's
  subject, its first entity (null when that is a pair joined by 和/、); else,
  unless the sentence is about a group, the article's main entity, which
  公司, 该公司, 本公司, 其 and 集团 refer to. Entities are the shipped list's
  and the article's own (enrich/entities.py: full names, names before a
  stock code, the headline's company); the main entity is the one the
  headline or the first full name introduces, else the most mentioned.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import regex

from ..vocabulary import Lexicons, Words, compile_words, shown_path, word_alternation
from ..fact import Fact
from ..ingest.clean import CLAUSE_BREAK, CLAUSE_BREAK_BACK, Cleaned
from ..kinds import KINDS, kinds_with
from .entities import Shapes, find_entities, lead_of
from .series import SeriesWords, chain_after

if TYPE_CHECKING:
    from ..engine.rules import RuleSet

FILLS = frozenset({"metric", "subject", "why"})
#: A value reached by a change word takes the earlier value's `per` when its
#: normalizer found none (从5元/百万token砍至1元): flag implied_per.
FILLS_IF_EMPTY = frozenset({"per"})

#: How far after a number a metric word may follow it (30亿元的A轮融资).
AFTER_REACH = 8


class MeaningWords:
    """Metric triggers and their traits, the shipped entities, and the words
    that join, link and carry (metrics.yaml, entities.yaml, grammar.yaml)."""

    def __init__(self, lex: Lexicons):
        metrics, entities, g = lex["metrics"], lex["entities"], lex["grammar"]
        self._metrics(metrics, lex)
        self._entities(entities)
        self.pair_joined_re = regex.compile(
            "^[ ]*" + word_alternation(g.words("pair_joiner"), escape=regex.escape) + "[ ]*$")
        self.payer_link_re = re.compile("^[ ]*" + word_alternation(g.words("payer_link")) + "?[ ]*$")
        self.payer_link_words = tuple(g.words("payer_link"))
        self.payer_toward_re = re.compile("^[ ]*" + word_alternation(g.words("payer_toward")))
        # A clause that holds nothing but these before its number takes the metric of the clause before.
        # Dates may stand there too (应收账款持续走高,2024年末达到9.8亿元).
        self.metric_carry_re = re.compile(r"^(?:[ ]|\d{1,4}" + word_alternation(g.words("carry_date")) + "|"
                                          + word_alternation(g.words("metric_carry")) + ")*$")
        self.share_words = tuple(g.words("share_word"))  # 占
        self.share_links = tuple(g.words("share_link"))  # 的
        self.move_from = tuple(g.words("move_from"))  # 毛利率由去年的21.3%: a level moved from, not a share
        self.round_words = tuple(g.words("round_word"))  # 轮
        self.count_gap_stop_re = compile_words(g.words("count_gap_stop"))
        self.rating_re = re.compile(word_alternation(g.words("rating_verb")))  # 给予, 维持
        self.rating_words = tuple(g.words("rating_verb"))
        # A broker's forecast: its name, a date or so, then one of these (申江证券7月14日发布研究报告)
        self.source_re = regex.compile(r"[^,;:。\n]{0,12}?(?:" + word_alternation(g.words("source_verb"), escape=regex.escape)
                                       + ")")
        self.pronoun_re = regex.compile(
            "(?:" + word_alternation(g.words("company_pronoun"), escape=regex.escape) + "|(?<=^|[,;:。\n ])(?:"
            + word_alternation(g.words("clause_pronoun"), escape=regex.escape) + ")|(?:"
            + word_alternation(g.words("object_pronoun"), escape=regex.escape) + ")(?!"
            + word_alternation(g.words("pronoun_not_before"), escape=regex.escape) + "))", regex.MULTILINE)
        self.object_re = re.compile(word_alternation(g.words("object_pronoun")))  # 其
        # The company right after a rating verb: a short name, then its rating in quotes or a rating word
        self.rated_name_re = regex.compile(r"[ ]?(?P<name>\p{Han}{2,8}?)(?=[ ]?[\"“「『]|[ ]?\p{Han}{0,4}"
                                           + word_alternation(g.words("rating_word"), escape=regex.escape) + ")")
        self.change_to_re = regex.compile(lex.fragment("CHANGE_TO"))
        self.market_move_re = compile_words(g.words("market_move"))
        self.fund_name_ends = tuple(g.words("fund_name_end"))
        self.in_fund_name_re = regex.compile(r"[\p{Han}A-Za-z]{0,8}?(?:"
                                             + word_alternation(g.words("fund_name_end"), escape=regex.escape) + ")")
        self.plain_move_re = regex.compile("[ ]*(?:" + word_alternation(g.words("move_time"), escape=regex.escape)
                                           + ")?[ ]*" + word_alternation(g.words("plain_move"), escape=regex.escape)
                                           + "[ ]*")
        self.move_metric = next(iter(g.words("move_metric")), None)
        self.fund_move_metric = next(iter(g.words("fund_move_metric")), None)
        # a subject known to be a name that ends so is a fund (its move is nav); broader than
        # fund_name_end, which finds fund names in text
        self.fund_name_re = regex.compile("(?:" + word_alternation(g.words("fund_suffix"), escape=regex.escape)
                                          + ")[A-E]?$")
        self.forecast_re = regex.compile(lex.fragment("FORECAST"))

    def _metrics(self, metrics, lex: Lexicons) -> None:
        self.metric_of = metrics.lookup("words")
        # A word may name one metric per kind (融资: financing, financing_rounds).
        self.metric_keys: dict[str, list[str]] = {}
        for e in metrics.entries:
            for w in e.get("words") or []:
                self.metric_keys.setdefault(str(w), []).append(str(e["key"]))
        # A metric entry without `kinds:` applies to every kind with a metric.
        measured = kinds_with("measured")
        self.metric_kinds = {str(e["key"]): set(e.get("kinds") or measured) for e in metrics.entries}
        for key, kinds in self.metric_kinds.items():
            if kinds - set(measured):
                lex.problem(metrics.file, f"metric {key!r} names unknown kinds {sorted(kinds - set(measured))}; "
                                          f"kinds with a metric: {', '.join(measured)}")
        self.metric_units = {str(e["key"]): set(e["units"]) for e in metrics.entries if e.get("units")}
        # The metric of a change whose measure the sentence does not name.
        self.change_metric = next((str(e["key"]) for e in metrics.entries if e.get("unnamed_change")), None)
        self.modifiers = {str(e["key"]): (str(e["modifies"]), set(e.get("modifier") or []))
                          for e in metrics.entries if e.get("modifies")}
        # A sentence about an IPO makes its 募资 ipo_proceeds, not financing: `context` words anywhere
        # in the sentence before the number turn `context_modifies` into this metric.
        self.context_modifiers = {str(e["key"]): (str(e["context_modifies"]), [str(w) for w in e.get("context") or []])
                                  for e in metrics.entries if e.get("context_modifies")}
        self.metric_re = compile_words(self.metric_of)
        # Where each trigger word comes from (a user's --rules file or the shipped one), for `explain`.
        self.metric_file = {str(w): e.get("__file__", metrics.file) for e in reversed(metrics.entries)
                            for w in e.get("words") or []}
        # A broker's figure about a stock (目标价): its subject is the company rated, not the broker.
        self.rated_metrics = {str(e["key"]) for e in metrics.entries if e.get("rated")}
        # A holding or pledge of the issuer's shares is filed under the issuer (see metrics.yaml).
        self.issuer_metrics = {str(e["key"]) for e in metrics.entries if e.get("of_issuer")}
        payers = {str(e["key"]): list(e.get("payer") or []) for e in metrics.entries if e.get("payer")}
        self.payer_metrics = set(payers)
        self.payer_re = compile_words(w for words in payers.values() for w in words)

    def _entities(self, entities) -> None:
        self.entity_of = entities.lookup("aliases")
        self.brokers = {str(e["key"]) for e in entities.entries if e.get("broker")}
        self.broker_suffix = tuple(entities.words("broker_suffix"))
        self.entity_re = compile_words(self.entity_of)
        self.entity_file = {str(w): e.get("__file__", entities.file) for e in reversed(entities.entries)
                            for w in e.get("aliases") or []}
        # For counting mentions with str.count: per entity, the aliases that
        # contain no shorter alias of the same entity (智谱 covers 智谱AI).
        self.count_aliases: dict[str, list[str]] = {}
        # A market index (恒指) is whose number its moves are, never what an article is about.
        self.indices = {str(e["key"]) for e in entities.entries if e.get("index")}
        for key in set(self.entity_of.values()) - self.indices:
            own = [a for a, k in self.entity_of.items() if k == key]
            self.count_aliases[key] = [a for a in own if not any(b != a and b in a for b in own)]
        self.group_re = compile_words(entities.words("group"))


WORDS = Words("meaning", {
    "metrics": ("words", "of_issuer"), "entities": ("aliases", "index", "broker", "broker_suffix"),
    "context": ("change_to", "forecast"),
    "grammar": ("pair_joiner", "payer_link", "payer_toward", "metric_carry", "carry_date", "share_word",
                "share_link", "move_from", "count_gap_stop", "market_move", "fund_name_end", "plain_move",
                "move_time", "move_metric", "fund_move_metric", "fund_suffix", "round_word", "rating_verb",
                "object_pronoun", "rating_word", "source_verb", "company_pronoun", "clause_pronoun",
                "pronoun_not_before")}, MeaningWords)


@dataclass
class Mention:
    start: int
    end: int
    key: str


def _mentions(pattern: re.Pattern, text: str, table: dict[str, str],
              spans: list[tuple[int, int]] | None = None) -> list[Mention]:
    """Mentions of the words, in the whole text or only in the given spans."""
    out: list[Mention] = []
    for a, b in spans if spans is not None else [(0, len(text))]:
        out.extend(Mention(m.start(), m.end(), table.get(m.group(), m.group())) for m in pattern.finditer(text, a, b))
    return out


def _runs(spans: list[tuple[int, int]], text: str) -> list[tuple[int, int]]:
    """Sorted sentence spans with only whitespace between them joined into one:
    one scan per run instead of one per sentence. No word of a lexicon holds
    a sentence end (。!?; or a line break), so no mention changes."""
    out: list[tuple[int, int]] = []
    for a, b in spans:
        if out and (out[-1][1] == a or text[out[-1][1]:a].isspace()):
            out[-1] = (out[-1][0], b)
        else:
            out.append((a, b))
    return out


def assign_meaning(facts: list[Fact], cleaned: Cleaned, rules: RuleSet) -> None:
    t = rules.vocab.meaning
    text = cleaned.view.text
    # Metric and group words matter only in sentences that hold a number;
    # entities are counted over the whole text for the main entity.
    spans = [cleaned.sentences[i] for i in sorted({f.sentence for f in facts if KINDS[f.kind].measured})]
    if not spans:
        return
    spans = _runs(spans, text)
    funds = any(w in text for w in t.fund_name_ends)  # a fund's name may hold a metric word (某某市值优选混合)
    metrics = [Mention(m.start(), m.end(), key) for a, b in spans for m in t.metric_re.finditer(text, a, b)
               if not (funds and t.in_fund_name_re.match(text, m.end())) for key in t.metric_keys[m.group()]]
    known = cleaned.per_article.get("meaning")
    if known is None:
        known = cleaned.per_article["meaning"] = _Known(text, t, rules.vocab.entities)
    own, lead, main = known.own, known.lead, known.main
    entities = _mentions(t.entity_re, text, t.entity_of, spans)
    if own:
        entities = _merge(entities, _mentions(known.own_re, text, own, spans))
    groups = _mentions(t.group_re, text, {}, spans)
    metric_ends = [m.end for m in metrics]
    metric_starts = [m.start for m in metrics]
    entity_ends = [m.end for m in entities]
    group_ends = [m.end for m in groups]
    previous: Fact | None = None
    last_of_kind: dict[str, Fact] = {}  # per kind, the last fact of the sentence so far
    clauses = _Clauses(text, t.forecast_re)
    for f in facts:
        if not KINDS[f.kind].measured:
            continue
        s0, s1 = cleaned.sentences[f.sentence]
        c0, c1 = clauses.around(s0, s1, f.view_start, f.view_end)
        f.metric = _metric(f, text, s0, c0, c1, s1, metrics, metric_ends, metric_starts, t)
        same_sentence = previous if previous is not None and previous.sentence == f.sentence else None
        subject, mention = _subject(f, text, s0, c0, entities, entity_ends, groups, group_ends, known, t, clauses)
        if mention is not None and f.metric in t.payer_metrics and _pays(mention, f, text, c1, t):
            subject = _payee(mention, f, entities, s0, s1, main)
        elif mention is not None and f.metric in t.rated_metrics:
            subject = _rated(mention, f, entities, s0, text, t, known) or subject
        if f.metric in t.issuer_metrics and known.issuer is not None:
            subject, mention = known.issuer, None
        elif same_sentence is not None and same_sentence.metric in t.issuer_metrics and f.metric is None \
                and text[c0:f.view_start].lstrip(" ").startswith(t.share_words):
            subject = same_sentence.subject  # 质押1.5亿股,占其所持股份的48.62%: the same holding's share
        f.subject = subject
        if f.metric is None and mention is not None:
            _market_metric(f, mention, text, t, c0)
        if subject is not None and f.why is not None:
            f.why["subject"] = _subject_why(mention, subject, text, lead, t)
        if clauses.forecast(c0, c1, f.view_start):
            f.flags.add("forecast")  # 预计全年营收将达50亿元: a target, not a result
        if previous is not None and previous.sentence == f.sentence and previous.kind == f.kind:
            _follow_change(previous, f, text, t)
        same = last_of_kind.get(f.kind)
        if same is not None and same.sentence == f.sentence and f.change == same.change \
                and ((f.metric is None and same.metric is not None) or (f.per is None and same.per is not None)) \
                and t.metric_carry_re.match(text[c0:f.view_start]):
            # 不低于人民币5亿元(含),不超过人民币10亿元(含), 营收96亿元,较7月的92亿元月增4.8%,较去年
            # 同期的78亿元: a bare figure after one of the same kind in its sentence measures what that one did,
            # and per the same unit (每股8港仙,上年同期为6港仙)
            if f.metric is None and same.metric is not None:
                f.metric = same.metric
                if f.why is not None:
                    f.why["metric"] = f"carried from {same.text!r} before it in the sentence"
            if f.per is None and same.per is not None and f.unit == same.unit and f.metric == same.metric:
                f.per = same.per
                f.flags.add("implied_per")
        previous = last_of_kind[f.kind] = f
    _respective_subjects(facts, cleaned, entities, entity_ends, rules.vocab.series, t)


#: How much may stand between a list of companies and its 分别 (旗下权益类产品的平均净值增长率).
RESPECTIVE_REACH = 16


def _respective_subjects(facts: list[Fact], cleaned: Cleaned, entities: list[Mention], ends: list[int],
                         series: SeriesWords, t: MeaningWords) -> None:
    """建设银行、工商银行分别下跌1.1%和0.9%: a list of companies before 分别
    gives the values listed after it their subjects, in order, when the
    counts line up (else they keep none: a fact about all of them)."""
    text = cleaned.view.text
    by_sentence: dict[int, list[Fact]] = {}
    for f in facts:
        by_sentence.setdefault(f.sentence, []).append(f)
    for si, group in by_sentence.items():
        s0, s1 = cleaned.sentences[si]
        for m in series.respectively_re.finditer(text, s0, s1):
            i = bisect_right(ends, m.start()) - 1
            if i < 0 or entities[i].start < s0 or m.start() - entities[i].end > RESPECTIVE_REACH \
                    or CLAUSE_BREAK.search(text, entities[i].end, m.start()):
                continue
            listed = [entities[i]]
            while i > 0 and entities[i - 1].start >= s0 and _joined(entities[i - 1], listed[0], text, t):
                i -= 1
                listed.insert(0, entities[i])
            chain = chain_after(group, text, m.end(), series)
            if len(listed) < 2 or len(chain) != len(listed):
                continue
            for f, e in zip(chain, listed):
                f.subject = e.key
                if f.metric is None:
                    _market_metric(f, Mention(e.start, listed[-1].end, e.key), text, t, first=chain[0])
                if f.why is not None:
                    f.why["subject"] = (f"{text[e.start:e.end]!r}, listed before {m.group()!r} "
                                        "in the order of the values")


def _market_metric(f: Fact, mention: Mention, text: str, t: MeaningWords, c0: int = 0,
                   first: Fact | None = None) -> None:
    """腾讯控股收跌1.18%, 某某混合本周录得3%的跌幅: a percent change that names
    no measure, with a move on the market between its company and it, is the
    share price's (a fund's: its net asset value's; an index's: none). In a
    list after 分别 the move stands before the `first` value."""
    if f.kind != "percent" or f.change != "relative" or mention.key in t.indices:
        return
    first = first or f
    if not (t.market_move_re.search(text, max(mention.end, c0), first.view_end + 4)
            or t.plain_move_re.fullmatch(text, mention.end, first.view_start)):
        return
    f.metric = t.fund_move_metric if t.fund_name_re.search(mention.key) else t.move_metric
    if f.why is not None:
        f.why["metric"] = f"a move on the market of {mention.key!r}"


def _follow_change(before: Fact, f: Fact, text: str, t: MeaningWords) -> None:
    """从5元/百万token砍至1元: the value reached by a change word measures what
    the earlier one did."""
    if not t.change_to_re.search(text, before.view_end, f.view_start):
        return
    if f.metric is None:
        f.metric = before.metric
    if f.per is None and before.per is not None and f.unit == before.unit:
        f.per = before.per
        f.flags.add("implied_per")


class _Clauses:
    """Each sentence's clause breaks, and the first match of a pattern (a
    forecast word, a pronoun) in each clause or sentence, found once: a
    sentence of N facts and no break (和1亿元 x N) then costs N lookups, not N
    scans of the sentence (quadratic). A pattern's lookahead sees the whole
    span, not the span cut at the fact."""

    def __init__(self, text: str, forecast_re):
        self.text, self.forecast_re = text, forecast_re
        self._breaks: dict[tuple[int, int], list[int]] = {}
        self._ends: dict[int, int] = {}  # sentence start -> end
        self._first: dict[tuple[int, int, int], Any] = {}

    def around(self, s0: int, s1: int, a: int, b: int) -> tuple[int, int]:
        """The clause of a[:b] in the sentence s0:s1 (CLAUSE_BREAK is one character)."""
        breaks = self._breaks.get((s0, s1))
        if breaks is None:
            breaks = self._breaks[s0, s1] = [m.start() for m in CLAUSE_BREAK.finditer(self.text, s0, s1)]
            self._ends[s0] = s1
        i, j = bisect_left(breaks, a), bisect_left(breaks, b)
        return (breaks[i - 1] + 1 if i else s0), (breaks[j] if j < len(breaks) else s1)

    def forecast(self, c0: int, c1: int, at: int) -> bool:
        """Whether a forecast word stands in the clause c0:c1 before `at`."""
        return self.before(self.forecast_re, c0, c1, at)

    def in_sentence(self, pattern, s0: int, at: int) -> bool:
        """Whether the pattern matches in the sentence from s0 (one `around` has seen) before `at`."""
        return self.before(pattern, s0, self._ends[s0], at)

    def before(self, pattern, a: int, b: int, at: int) -> bool:
        key = (id(pattern), a, b)
        if key not in self._first:
            self._first[key] = pattern.search(self.text, a, b)
        first = self._first[key]
        if first is None or first.start() >= at:
            return False
        return first.end() <= at or pattern.search(self.text, a, at) is not None


def _metric(f: Fact, text: str, s0: int, c0: int, c1: int, s1: int, metrics: list[Mention], ends: list[int],
            starts: list[int], t: MeaningWords) -> str | None:
    growth_named = False  # the clause speaks of growth as a measure (增速, 增长率)
    kind = KINDS[f.kind]

    def allowed(key: str) -> bool:
        nonlocal growth_named
        if f.change and key == t.change_metric:
            growth_named = True
            return False  # 营收增速为28%: the growth of what? Look for the measure.
        kinds = t.metric_kinds.get(key, ())
        if kind.counts and key in t.metric_units and f.unit not in t.metric_units[key]:
            return False  # 发行 counts shares, not the 35名 investors it is offered to
        # A relative change measures any quantity: 营收同比增长45% is revenue.
        # (a metric names only measured kinds: the loader checks it)
        return f.kind in kinds or (f.change == "relative" and bool(kinds))

    found = None
    word, how = "", ""  # the trigger that decided, and where it stood
    if kind.counts:
        # What a number counts names it first (超4500万名开发者: developers,
        # whatever metric word came before).
        # The counter may begin the word: 9轮融资.
        j = bisect_left(starts, f.view_start)
        while j < len(metrics) and metrics[j].start < min(c1, f.view_end + AFTER_REACH) \
                and not t.count_gap_stop_re.search(text, f.view_end, metrics[j].start):
            if metrics[j].end > f.view_end and allowed(metrics[j].key):
                found = metrics[j].key
                word, how = text[metrics[j].start:metrics[j].end], "the word it counts"
                break
            j += 1
    # Nearest before, inside the clause.
    i = bisect_right(ends, f.view_start) - 1
    while found is None and i >= 0 and metrics[i].start >= c0:
        if allowed(metrics[i].key):
            if kind.ratio and not f.change and _share_of(text, metrics[i].end, f.view_start, t):
                # 占总收入的比重升至38.9%, 营业收入的36.4%: a share of the measure, not the measure
                return None
            found = metrics[i].key
            word, how = text[metrics[i].start:metrics[i].end], "nearest before it in its clause"
            break
        i -= 1
    if found is None:
        # Shortly after, inside the clause (a count: only the noun it counts, read above).
        j = bisect_left(starts, f.view_end)
        while j < len(metrics) and metrics[j].start < min(c1, f.view_end + AFTER_REACH) \
                and not (kind.counts and t.count_gap_stop_re.search(text, f.view_end, metrics[j].start)):
            if allowed(metrics[j].key):
                found = metrics[j].key
                word, how = text[metrics[j].start:metrics[j].end], "shortly after it"
                break
            j += 1
    if found is None and not text[c0:c1].replace(text[f.view_start:f.view_end], "").strip(" ,"):
        # The amount stands alone as the clause's topic (243.77 亿元,……确认了它的
        # 最新估值): the first metric word later in the sentence says what it is.
        j = bisect_left(starts, c1)
        while j < len(metrics) and metrics[j].start < s1:
            if allowed(metrics[j].key):
                found = metrics[j].key
                word, how = text[metrics[j].start:metrics[j].end], "later in the sentence (the amount is its clause's topic)"
                break
            j += 1
    if found is None and f.change:
        # 营收达12.5亿元,同比增长35%: a yoy or qoq change in a clause of its own
        # changes the measure named last before it in the sentence (without a
        # basis, only one named in the clause right before: 股价报162.7港元,年内
        # 累计上涨约80%); else it is growth of something unnamed. A bare
        # 有了60%的进步 names no measure.
        reach = s0
        if not (f.basis or growth_named):
            back = CLAUSE_BREAK_BACK.search(text, s0, max(c0 - 1, s0))
            reach = back.end() if back else s0
        while i >= 0 and metrics[i].start >= reach:
            if allowed(metrics[i].key):
                found = metrics[i].key
                word, how = text[metrics[i].start:metrics[i].end], "before it in the sentence (a change in a clause of its own)"
                break
            i -= 1
        if found is None and f.change == "relative" and (f.basis or growth_named):
            found, how = t.change_metric, "a change that names no measure"
    if found is None and c0 > s0 and t.metric_carry_re.match(text[c0:f.view_start]):
        # 完成B轮融资,规模为5亿元: a clause that only says how much carries the metric of the one before.
        p0 = CLAUSE_BREAK_BACK.search(text, s0, c0 - 1)
        p0 = p0.end() if p0 else s0
        i = bisect_right(ends, c0) - 1
        while found is None and i >= 0 and metrics[i].start >= p0:
            if allowed(metrics[i].key):
                found = metrics[i].key
                word, how = text[metrics[i].start:metrics[i].end], "in the clause before (carried)"
            i -= 1
    if found is None and f.per is not None and kind.monetary:
        found, how = "price", "a unit price"
    for key, (base, words) in t.modifiers.items():
        if found == base and any(w in text[c0:f.view_start] for w in words):
            found, how = key, how + f", turned into {key} by a modifier"
    for key, (base, words) in t.context_modifiers.items():
        # 科创板IPO获受理:拟募资25亿元 is the IPO's proceeds; a round (B轮融资) stays financing
        before = text[s0:f.view_start]
        if found == base and not any(w in before for w in t.round_words) and any(w in before for w in words):
            found, how = key, how + f", turned into {key} by the sentence's context"
    if found is not None and f.why is not None:
        f.why["metric"] = f"trigger {word!r} {how} ({_file_of(t.metric_file, word)})" if word else how
    return found


def _subject(f: Fact, text: str, s0: int, c0: int, entities: list[Mention], ends: list[int],
             groups: list[Mention], group_ends: list[int], known: _Known, t: MeaningWords, clauses: _Clauses
             ) -> tuple[str | None, Mention | None]:
    """The subject, and the mention it came from (None for the main entity); a
    broker's forecast is the company it names after, else the main entity's."""
    main = known.main
    subject, mention = _named_subject(f, text, s0, c0, entities, ends, groups, group_ends, main, t)
    if mention is not None and _is_broker(mention.key, t) and f.metric not in t.rated_metrics \
            and t.source_re.match(text, mention.end, f.view_start):
        # (a rated figure, 目标价, is settled by _rated: the company rated, or the one 其 stands for)
        source = t.source_re.match(text, mention.end, f.view_start)
        rated = next((e for e in entities if source.end() <= e.start and e.end <= f.view_start
                      and not _is_broker(e.key, t)), None)
        return (rated.key, rated) if rated is not None else (main.key, None)
    if subject is None and mention is None and main.key is None:
        return _pronoun_subject(f, text, s0, t, known, clauses)
    return subject, mention


def _is_broker(key: str, t: MeaningWords) -> bool:
    return key in t.brokers or key.endswith(t.broker_suffix)


def _pronoun_subject(f: Fact, text: str, s0: int, t: MeaningWords, known: _Known, clauses: _Clauses
                     ) -> tuple[str | None, Mention | None]:
    """公司拟全球发售约1.2亿股 in an article about no one company: the company the
    text named last before the sentence, if the sentence says 公司 or 其 before the number."""
    if not clauses.in_sentence(t.pronoun_re, s0, f.view_start):
        return None, None
    # only the sentence right before: further back, 公司 may be anyone (某头部物业企业……公司2024年)
    before = _SENTENCE_END_BACK.search(text, 0, max(0, s0 - 1))
    start = before.end() if before else 0
    named = [e for e in _named_before(text, s0, t, known) if e.start >= start
             and not _is_broker(e.key, t) and e.key not in t.indices]
    return (named[-1].key, named[-1]) if named else (None, None)


_SENTENCE_END_BACK = regex.compile(r"[。!?\n]", regex.REVERSE)


def _named_before(text: str, s0: int, t: MeaningWords, known: _Known) -> list[Mention]:
    """The companies named in the PRONOUN_REACH characters before a sentence, in
    any sentence (those without a number hold no mention in `entities`)."""
    window = max(0, s0 - PRONOUN_REACH)
    named = _mentions(t.entity_re, text, t.entity_of, [(window, s0)])
    if known.own_re is not None:
        named = _merge(named, _mentions(known.own_re, text, known.own, [(window, s0)]))
    return named


def _named_subject(f: Fact, text: str, s0: int, c0: int, entities: list[Mention], ends: list[int],
                   groups: list[Mention], group_ends: list[int], main: _MainEntity, t: MeaningWords
                   ) -> tuple[str | None, Mention | None]:
    i = bisect_right(ends, f.view_start) - 1
    if i >= 0 and entities[i].start >= c0:
        nearest = entities[i]
        if i > 0 and _joined(entities[i - 1], nearest, text, t):
            return None, None  # 字节、阿里: about both
        if _has(groups, group_ends, nearest.end, f.view_start):
            return None, None  # 科指微挫0.6% 南向资金净买入超百亿港元: the market's figure
        return nearest.key, nearest
    if _has(groups, group_ends, c0, f.view_start):
        return None, None
    # The sentence's first entity: the first one ending after the sentence starts
    # (an index only for its moves: 创业板指涨1.71%,本周累计上涨3.05%; not 沪指收涨0.28%,……较上日放量900亿元).
    k = bisect_right(ends, s0)
    if k < len(entities) and entities[k].start >= s0 and entities[k].end <= f.view_start \
            and (entities[k].key not in t.indices or (f.kind == "percent" and f.change is not None)):
        first = entities[k]
        if k + 1 < len(entities) and _joined(first, entities[k + 1], text, t):
            return None, None  # 阿里和腾讯……: the sentence is about both
        return first.key, first
    if _has(groups, group_ends, s0, f.view_start):
        return None, None
    return main.key, None


def _share_of(text: str, a: int, b: int, t: MeaningWords) -> bool:
    """Between a metric word and a percentage: 占 (占总收入的比重), or a 的 right before the number (营业收入的36.4%)."""
    between = text[a:b]
    return any(w in between for w in t.share_words) or (
        between.rstrip(" ").endswith(t.share_links) and not any(w in between for w in t.move_from))


def _subject_why(mention: Mention | None, subject: str, text: str, lead: str | None, t: MeaningWords) -> str:
    """Where the subject came from, for `zfacts explain`."""
    if mention is None:
        return "the article's main entity (" + ("its headline or first full name" if lead == subject
                                                else "the most mentioned") + ")"
    alias = text[mention.start:mention.end]
    if alias in t.entity_of:
        return f"{alias!r} from the entity list ({_file_of(t.entity_file, alias)})"
    return f"{alias!r}, a company the article names ({subject})"


def _file_of(files: dict[str, str], word: str) -> str:
    return shown_path(files[word]) if word in files else "lexicon"


def _joined(a: Mention, b: Mention, text: str, t: MeaningWords) -> bool:
    """Two different entities joined by 、/和/与: a fact about both."""
    return a.key != b.key and bool(t.pair_joined_re.match(text[a.end:b.start]))


def _pays(e: Mention, f: Fact, text: str, c1: int, t: MeaningWords) -> bool:
    """Is the entity the investor? 华发集团的5亿元战略投资 (a payer word right
    after the amount) or 华为向其注资5亿元 (向 … payer word before it)."""
    between = text[e.end:f.view_start]
    if t.payer_link_re.match(between):
        link = next((len(w) for w in t.payer_link_words if text.startswith(w, f.view_end)), 0)
        return bool(t.payer_re.match(text, f.view_end, min(c1, f.view_end + AFTER_REACH))
                    or t.payer_re.match(text, f.view_end + link))
    return bool(t.payer_toward_re.match(between) and t.payer_re.search(between))


def _payee(payer: Mention, f: Fact, entities: list[Mention], s0: int, s1: int, main: _MainEntity) -> str | None:
    """The company financed: the next other entity in the sentence, else the
    sentence's topic before the payer (智谱完成融资,华发集团向其注资), else the
    main entity."""
    others = [e for e in entities if s0 <= e.start < s1 and e.key != payer.key]
    later = [e for e in others if e.start >= f.view_end]
    if later:
        return later[0].key
    if others:
        return others[0].key
    return main.key if main.key != payer.key else None


def _rated(broker: Mention, f: Fact, entities: list[Mention], s0: int, text: str, t: MeaningWords,
           known: _Known) -> str | None:
    """The company a broker's figure is about: the one named after its rating
    verb (摩根士丹利给予某公司“增持”评级,目标价4.9港元), or, for 其 (高盛将其目标价
    上调至58港元), the last company named before the sentence; None when the
    sentence says neither."""
    between = text[broker.end:f.view_start]
    verb = t.rating_re.search(between)
    if verb is not None:
        rated = next((e for e in entities if broker.end + verb.end() <= e.start and e.end <= f.view_start
                      and e.key != broker.key), None)
        if rated is not None:
            return rated.key
        # a company no list knows: the name between the verb and its rating (首予比亚迪“增持”评级),
        # not a second rating verb (首次覆盖给予“买入”评级)
        named = t.rated_name_re.match(between, verb.end())
        return named["name"] if named and not named["name"].startswith(t.rating_words) else None
    if t.object_re.search(between):
        # the last company named before the sentence
        before = [e for e in _named_before(text, s0, t, known) if e.key != broker.key]
        return before[-1].key if before else None
    return None


#: How far back a pronoun (其) looks for the company it stands for.
PRONOUN_REACH = 300


def _has(mentions: list[Mention], ends: list[int], a: int, b: int) -> bool:
    i = bisect_right(ends, b) - 1
    return i >= 0 and mentions[i].start >= a


def _merge(a: list[Mention], b: list[Mention]) -> list[Mention]:
    """Mentions of both lists in order; where two overlap, the longer (the first list's on a tie)."""
    out: list[Mention] = []
    for m in sorted(a + b, key=lambda m: (m.start, -(m.end - m.start))):
        if out and m.start < out[-1].end:
            continue
        out.append(m)
    return out


class _Known:
    """What the whole article says of its entities, worked out once for all
    its sections: the shipped companies and those the article names in the
    shapes news uses (enrich/entities.py), and its main entity."""

    def __init__(self, text: str, t: MeaningWords, shapes: Shapes):
        table = find_entities(text, shapes)
        self.own = {a: e.key for e in table for a in e.aliases if a not in t.entity_of}
        self.own_re = compile_words(self.own) if self.own else None
        self.lead = lead_of(table)
        # the announcement's issuer (证券简称：海天味业), when the text names one
        self.issuer = next((e.key for e in table if e.issuer), None)
        self.main = _MainEntity(text, t, self.lead, {e.key: sorted(e.aliases) for e in table if not e.opener_only})


class _MainEntity:
    """The entity an article is about: the company its headline or first
    full name introduces (`lead`), else the one mentioned at least three
    times and at least twice as often as any other. Counted only when a
    fact needs it."""

    def __init__(self, text: str, t: MeaningWords, lead: str | None = None,
                 own: dict[str, list[str]] | None = None):
        self._text, self._t, self._done, self._key = text, t, lead is not None, lead
        self._own = own or {}

    @property
    def key(self) -> str | None:
        if not self._done:
            aliases_of = dict(self._t.count_aliases)
            for k, names in self._own.items():
                aliases_of[k] = [a for a in {*aliases_of.get(k, []), *names}
                                 if not any(b != a and b in a for b in names)]
            counts = Counter({k: sum(self._text.count(a) for a in aliases)
                              for k, aliases in aliases_of.items()}).most_common(2)
            if counts and counts[0][1] >= 3 and (len(counts) < 2 or counts[0][1] >= 2 * counts[1][1]):
                self._key = counts[0][0]
            self._done = True
        return self._key
