"""The companies an article names, found by the shapes Chinese business news uses.

The shipped list (rules/lexicon/entities.yaml) knows a few companies; news
is about any. An article's own entity table comes from:

- full names: 苏州华锐精密机床股份有限公司, with the short name it introduces
  (（以下简称“华锐精机”）), which is then the canonical name;
- a name before a stock code: 比亚迪（002594.SZ）, 智远物流（02638）,
  联电（2303）, 海天味业（股票代码：603288）;
- the headline's company: 宁德时代：一季度净利润…, 【宁德时代：…】, or a name
  that opens the headline and comes back in the text (比亚迪2024年营收…);
- an announcement's issuer after its label: 证券简称：海天味业;
- a Hong Kong share-class mark after a name: 阿里巴巴-W, 京东集团-SW;
- short names with a business suffix (招商银行, 中信证券, 腾讯控股) that
  the article repeats.

Words come from the `shapes` entry of entities.yaml. The text is the
normalized view, so names are in simplified script: 聯電 and 联电 are one
company across sources. An alias of a shipped entity keeps the shipped key.
The lead entity (what 公司, 该公司, 其 refer to) is the headline's company,
else the first full name (an announcement's issuer), else none.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import regex

from ..vocabulary import Lexicons, Words, compile_words, word_alternation

_HAN_RUN = regex.compile(r"[\p{Han}A-Za-z0-9]+$")
_LINE = regex.compile(r"[^\n]+")
_HEAD = regex.compile(r"\p{Han}{2,4}$")
_IS_HAN = regex.compile(r"\p{Han}")
#: The marks Hong Kong's exchange puts after a stock's short name: weighted
#: voting rights (-W), secondary listing (-S, -SW), biotech (-B), RMB (-R).
_LISTING_MARK = regex.compile(r"(?<=\p{Han})-(?:SW|W|S|B|R)(?![A-Za-z])")


@dataclass
class Entity:
    key: str  # canonical: the short name, simplified
    aliases: set[str] = field(default_factory=set)
    first: int = 0  # view offset of the first mention found
    lead: int = 0  # 2: the headline's company, 1: the article's first full name
    # found only opening a clause (老铺黄金走高4.35%): a subject where it stands,
    # too weak a sign to make it what the whole article is about
    opener_only: bool = False
    issuer: bool = False  # named after an issuer label (证券简称：海天味业)


def lead_of(entities: list[Entity]) -> str | None:
    """The article's main company by how it is introduced (headline, then first full name)."""
    best = max(entities, key=lambda e: (e.lead, -e.first), default=None)
    return best.key if best is not None and best.lead else None


class Shapes:
    """The shipped companies' aliases, and the words of the `shapes` entry
    that say how articles name companies no list knows."""

    def __init__(self, lex: Lexicons):
        entities = lex["entities"]
        self.entity_of = entities.lookup("aliases")
        shapes = next((e for e in entities.entries if e.get("key") == "shapes"), {})
        w = {str(k): [str(x) for x in v] for k, v in shapes.items() if isinstance(v, list)}
        self.suffix_re = regex.compile(word_alternation(w.get("company_suffix", []), escape=regex.escape))
        self.intro_re = regex.compile(
            r"[ ]*[(（][ ]*(?:" + word_alternation(w.get("short_name_intro", []), escape=regex.escape)
            + r")[ ]?[:：]?[ ]*[\"“「『]?(?P<short>[\p{Han}A-Za-z0-9]{2,12})[\"”」』]?[ ]*[)）]")
        self.stops = sorted(w.get("name_stop", []), key=len, reverse=True)
        self.one_char_stops = frozenset(x for x in self.stops if len(x) == 1)
        self.descriptors = sorted(w.get("descriptor", []), key=len, reverse=True)
        # matched backwards: the stop word or descriptor that ends last in a run (_trim)
        self.cut_re = regex.compile(word_alternation([*self.stops, *self.descriptors], escape=regex.escape),
                                    regex.REVERSE)
        self.not_names = set(w.get("not_a_name", []))
        # Section and column labels (港股收评:, 基金周报|) end so; a name never starts so (只新基金, 的次新基金)
        self.label_end = tuple(w.get("label_end", []))
        self.not_first = frozenset(w.get("not_first", []))
        self.groups = entities.words("group")
        self.indices = {str(e["key"]) for e in entities.entries if e.get("index")}
        self.measure_re = compile_words(lex["metrics"].words("words"))
        # a fund's name may hold a measure's word (某某营收成长混合)
        self.fund_name_re = regex.compile("(?:" + word_alternation(lex["grammar"].words("fund_name_end"),
                                                                   escape=regex.escape) + ")[A-E]?(?:"
                                       + word_alternation(lex["grammar"].words("fund_word"), escape=regex.escape) + ")?$")
        # The suffix words alone (a fast literal scan); the name before each is read after.
        self.name_suffix_re = regex.compile(word_alternation(w.get("name_suffix", []), escape=regex.escape)
                                            + r"(?![\p{Han}]?" + _words(w, "suffix_not_before") + ")")
        self.issuer_re = regex.compile(
            "(?:" + word_alternation(w.get("issuer_label", []), escape=regex.escape) + r")[ ]?[:：][ ]*"
            r"(?P<name>[\p{Han}A-Za-z0-9]{2,8}?)(?=[ ,，;；\n]|$|" + _words(w, "issuer_end") + ")")
        self.headline_re = regex.compile(r"^[ 【\[]*(?P<name>[\p{Han}A-Za-z]{2,8}?)[ ]?[:：]")
        # A name that opens a headline without a colon, before a number or one of these words.
        self.headline_open_re = regex.compile(r"[ 【\[]*(?P<name>[\p{Han}]{2,6}?)(?=\d|"
                                              + _words(w, "headline_next") + ")")
        # A name opening a clause, before a move, a time word or what it reports (see opener_next),
        # or before a plain move and its figure: found from the word back to the clause's start.
        self.opener_end_re = regex.compile("(?:" + _words(w, "opener_next") + ")|(?:" + _words(w, "opener_move")
                                           + r")(?=[ ]?\d)")
        self.opener_name_re = regex.compile(r"[ ]*(?P<name>\p{Han}[\p{Han}A-Za-z0-9]{1,13})(?:-(?:SW|W|S|B|R))?[ ]?")
        # A fund's name opening a clause, whatever follows (某某科创50ETF份额增加15.2亿份)
        self.fund_end_re = regex.compile("(?:" + word_alternation(lex["grammar"].words("fund_name_end"),
                                                                  escape=regex.escape) + ")[A-E]?(?!"
                                     + word_alternation(lex["grammar"].words("fund_category_mark"), escape=regex.escape)
                                     + ")")
        self.fund_name_re_open = regex.compile(r"[ ]*(?P<name>\p{Han}[\p{Han}A-Za-z0-9]{2,24})")
        self.opener_not_end = tuple(w.get("opener_not_end", []))
        self.opener_not_last = frozenset(w.get("opener_not_last", []))
        lead = "".join(w.get("count_lead", []))
        self.counted_re = regex.compile("[" + regex.escape(lead) + r"\d][" + regex.escape(lead) + r"\d]*(?:"
                                        + _words(w, "count_unit") + ")")
        self.adverb_re = regex.compile("(?:" + _words(w, "opener_adverb") + ")*$")
        # A list of names opening a clause before 分别 (建设银行、工商银行分别下跌1.1%和0.9%)
        grammar = lex["grammar"]
        self.respectively_re = regex.compile(word_alternation(grammar.words("respectively"), escape=regex.escape))
        self.listed_run_re = regex.compile(r"[ ]*(?P<list>[^,;:!?。\n\d]{5,60})")
        self.list_joiner_re = regex.compile(word_alternation(
            [j.strip() for j in grammar.words("pair_joiner") if j.strip()], escape=regex.escape))
        self.code_re = regex.compile(
            r"[(（][ ]*(?:" + _words(w, "code_label") + r"[ ]?[:：]?[ ]*)?"
            r"(?P<code>\d{6}(?:\.(?:SH|SZ|BJ|SS))?|0\d{4}(?:\.HK)?|\d{4,5}\.HK|\d{4}(?:\.TWO?)?|[A-Z]{1,5}\.(?:N|O|US))"
            r"[ ]*[)）]")


    def is_name(self, name: str) -> bool:
        """Whether a found run is a name an analyst would write down: not a
        generic word, a label, a number, or a fragment opening with a measure
        word or particle."""
        return (name not in self.not_names and not name.isdigit() and not name.endswith(self.label_end)
                and name[:1] not in self.not_first)

    def is_opener(self, name: str) -> bool:
        """A clause opener that names a company or fund, not a market, product,
        time, group, a count of them (多家券商) or a measure (应收账款余额持续走高)."""
        fund = self.fund_name_re.search(name)
        if fund is not None and fund.start() < 2:
            return False  # 混合 alone (自研的混合专家架构): no fund's name
        return (self.is_name(name) and not name.endswith(self.opener_not_end) and not self.counted_re.match(name)
                and not any(g in name for g in self.groups) and name[-1:] not in self.opener_not_last
                and (fund is not None or not self.measure_re.search(name)))


def _words(shapes: dict[str, list[str]], field: str) -> str:
    return word_alternation(shapes.get(field, []), escape=regex.escape)


WORDS = Words("entities", {"entities": ("aliases", "company_suffix", "short_name_intro", "name_stop", "descriptor",
                                         "issuer_label", "issuer_end", "name_suffix", "suffix_not_before",
                                         "not_a_name", "code_label", "headline_next", "label_end", "not_first",
                                         "opener_next", "opener_move", "opener_adverb", "opener_not_end", "opener_not_last",
                                         "count_lead", "count_unit", "group",
                                         "index"),
                          "grammar": ("respectively", "pair_joiner", "fund_name_end", "fund_word",
                                      "fund_category_mark"), "metrics": ("words",)},
              Shapes)


def _trim(run: str, shapes: Shapes) -> str | None:
    """The name at the end of a run of characters: after the last stop word
    (显示，苏州…: 苏州…; one of one character not first: 和记黄埔) and the last descriptor (晶圆代工厂联电: 联电); None
    when no name of two characters is left (公司主体改制为股份公司)."""
    last = shapes.cut_re.search(run)  # the stop or descriptor that ends last
    cut = 0
    if last is not None and (last.start() > 0 or len(last.group()) > 1):  # 和记黄埔: a name may begin with 和
        cut = last.end()
    name = run[cut:]
    return name if len(name) >= 2 else None


def _known_in(name: str, shipped: dict[str, str]) -> list[str]:
    """Shipped aliases inside a longer name, longest first (names of two or more characters)."""
    if len(name) <= 2:
        return []
    return sorted((a for a in shipped if len(a) >= 2 and a != name and a in name), key=len, reverse=True)


def _name_before(text: str, end: int, shapes: Shapes, limit: int) -> str | None:
    m = _HAN_RUN.search(text, max(0, end - limit), end)
    if m is None:
        return None
    name = _trim(m.group(), shapes)
    if name is None or not shapes.is_name(name):
        return None
    if name[0] in shapes.one_char_stops and len(name) > 3:
        # 与华泰证券 or 和记黄埔? The rest is the name when the text also writes it alone.
        rest = name[1:]
        if any(text[i - 1] != name[0] for i in _occurrences(text, rest) if i > 0):
            return rest
    return name


def _occurrences(text: str, word: str) -> list[int]:
    out, i = [], text.find(word)
    while i >= 0:
        out.append(i)
        i = text.find(word, i + 1)
    return out


def find_entities(text: str, shapes: Shapes) -> list[Entity]:
    """The article's own entity table, in order of first mention."""
    found: dict[str, Entity] = {}
    shipped = shapes.entity_of

    def add(key: str, at: int, *aliases: str, lead: int = 0, opener: bool = False) -> None:
        # A known company's name, or a full name holding one (深圳市腾讯计算机系统: 腾讯), keeps its key.
        # (not an index's: 某某科创50ETF is a fund that tracks 科创50, not the index)
        key = shipped.get(key) or next((shipped[a] for a in _known_in(key, shipped)
                                        if shipped[a] not in shapes.indices), key)
        e = found.setdefault(key, Entity(key, set(), at, opener_only=opener))
        e.opener_only = e.opener_only and opener
        e.aliases.update(a for a in aliases if a and len(a) >= 2)
        e.aliases.add(key)
        e.first = min(e.first, at)
        e.lead = max(e.lead, lead)

    first_full = True
    coded: set[str] = set()  # keys that stand before a stock code
    for m in shapes.suffix_re.finditer(text):
        name = _name_before(text, m.start(), shapes, 24)
        if name is None:
            continue
        full = name + m.group()
        short = shapes.intro_re.match(text, m.end())
        if short and not shapes.is_name(short["short"]):
            short = None  # (以下简称"公司"): the text's pronoun for it, which stays the main entity's
        key = short["short"] if short else shipped.get(name, name)
        add(key, m.start() - len(name), full, name, *([short["short"]] if short else []), lead=int(first_full))
        first_full = False
    for m in shapes.code_re.finditer(text):
        code = m["code"]
        if code.isdigit() and len(code) == 4 and 1900 <= int(code) <= 2100:
            continue  # （2024）: a year, not a Taiwan code
        name = _name_before(text, m.start(), shapes, 14)
        if name is not None:
            add(name, m.start() - len(name), name, code)
            coded.add(shipped.get(name, name))
    for m in _LISTING_MARK.finditer(text):  # 阿里巴巴-W, 京东集团-SW: Hong Kong's share-class marks
        name = _name_before(text, m.start(), shapes, 14)
        if name is not None and _IS_HAN.match(name):
            add(name, m.start() - len(name), name, name + m.group())
    issuers = []
    for m in shapes.issuer_re.finditer(text):  # 证券简称：海天味业: the announcement's issuer
        add(m["name"], m.start("name"), m["name"], lead=2)
        issuers.append(m["name"])
    title = _LINE.search(text)
    if title is not None:
        _headline(text, title.group(), title.start(), shapes, found, add)
    for m in regex.finditer(r"【", text):  # a flash's own headline: 【宁德时代：一季度…】
        h = shapes.headline_re.match(text, m.start())
        if h and shapes.is_name(h["name"]):
            add(h["name"], h.start("name"), h["name"])
    counts: dict[str, int] = {}
    for m in shapes.name_suffix_re.finditer(text):
        head = _HEAD.search(text, max(0, m.start() - 4), m.start())  # 2 to 4 characters of name before it
        if head is None or (head.start() > 0 and _IS_HAN.match(text, head.start() - 1)):
            continue
        name = _trim(head.group() + m.group(), shapes)
        if name is not None and len(name) >= 4 and shapes.is_name(name):
            counts[name] = counts.get(name, 0) + 1
    for name, n in counts.items():
        if n >= 2 and not any(name in e.aliases for e in found.values()):
            add(name, text.find(name), name)
    openers = [*_clause_openers(text, shapes.opener_end_re, shapes.opener_name_re, False),
               *_clause_openers(text, shapes.fund_end_re, shapes.fund_name_re_open, True)]
    for run, at in openers:
        run = run[:len(run) - len(shapes.adverb_re.search(run)[0])]  # 周大福则下挫: 周大福
        name = _trim(run, shapes)
        if name is None or not shapes.is_opener(name) or name in shipped:
            continue
        # 宏碩今天股價…: the short form of a company already found (宏碩電子) is that company
        owner = [e for e in found.values() if any(a.startswith(name) for a in e.aliases)]
        if len(owner) == 1:
            owner[0].aliases.add(name)
        elif not owner:
            add(name, at + len(run) - len(name), name, opener=True)
    for run, at in _clause_openers(text, shapes.respectively_re, shapes.listed_run_re, False, reach=_LISTED_REACH,
                                   group="list"):
        for name, pos in _listed(run, at, shapes):
            if name not in shipped:
                add(name, pos, name, opener=True)
    merged = _merged(found, coded, shapes)
    for e in merged:
        e.issuer = any(name in e.aliases for name in issuers)
    return sorted(merged, key=lambda e: e.first)


#: How far back from the word after it a clause-opening name may begin.
_OPENER_REACH = 26
#: ... and a list of names before 分别.
_LISTED_REACH = 61
_CLAUSE_BREAK_BACK = regex.compile(r"[,;:!?。\n]", regex.REVERSE)


def _clause_openers(text: str, ends: regex.Pattern, run: regex.Pattern, inclusive: bool,
                    reach: int = _OPENER_REACH, group: str = "name") -> list[tuple[str, int]]:
    """Runs that open a clause and end at the first match of `ends` in it (before
    it, or with it when `inclusive`), with their offsets: found from each end
    back to the clause's start, a literal scan instead of a try at every clause."""
    out, used = [], set()
    for m in ends.finditer(text):
        brk = _CLAUSE_BREAK_BACK.search(text, max(0, m.start() - reach), m.start())
        if brk is None and m.start() > reach:
            continue  # no clause starts within reach
        start = brk.end() if brk is not None else 0
        if start in used:
            continue  # only the first end after a clause's start
        used.add(start)
        r = run.fullmatch(text, start, m.end() if inclusive else m.start())
        if r is not None:
            out.append((r[group], r.start(group)))
    return out


#: The longest name a list before 分别 may hold.
_LISTED_MAX = 10


def _listed(run: str, at: int, shapes: Shapes) -> list[tuple[str, int]]:
    """The names of a list before 分别, with their offsets: all of them, or none
    when one is no name. The last runs on into what the list did (易方达基金
    旗下产品的增长率分别为…): it ends where the name before it ended (基金)."""
    parts, pos = [], 0
    for j in shapes.list_joiner_re.finditer(run):
        parts.append((run[pos:j.start()], at + pos))
        pos = j.end()
    if not parts:
        return []
    first, start = parts[0]
    name = _trim(first, shapes)
    if name is None:
        return []
    parts[0] = (name, start + len(first) - len(name))
    last = run[pos:]
    if len(last) > _LISTED_MAX:
        end = last.find(parts[-1][0][-2:])
        last = last[:end + 2] if end >= 0 else ""
    parts.append((last, at + pos))
    names = [(p, a) for p, a in parts if 2 <= len(p) <= _LISTED_MAX and shapes.is_opener(p)]
    return names if len(names) == len(parts) else []


def _merged(found: dict[str, Entity], coded: set[str], shapes: Shapes) -> list[Entity]:
    """One entity per company: a name that begins another's full name is that
    company (新鸿基地产（00016.HK） and 新鸿基地产发展有限公司（以下简称“新地”））.
    The key is then the name before a stock code (what every source lists it
    as), else the short name the article introduces; a legal name
    (长江汽车集团股份有限公司（601977.SH）) gives way to the short name it
    begins with (长江汽车), as an analyst writes it."""
    entities = list(found.values())
    for a in sorted(entities, key=lambda e: min(map(len, e.aliases))):
        for b in entities:
            if a is b or not a.aliases or not b.aliases:
                continue
            # two characters suffice when the longer name stands before a stock code (聯晶 and 聯晶半導體（2418）)
            least = 2 if b.key in coded else 3
            if any(len(x) >= least and any(y.startswith(x) and len(y) > len(x) for y in b.aliases) for x in a.aliases):
                keep, gone = (a, b) if a.key in coded or b.key not in coded else (b, a)
                keep.aliases |= gone.aliases
                keep.first, keep.lead = min(keep.first, gone.first), max(keep.lead, gone.lead)
                gone.aliases = set()
                keep.key = _short_key(keep, shapes)
    return [e for e in entities if e.aliases]


def _short_key(e: Entity, shapes: Shapes) -> str:
    """A legal name's shortest alias that begins it, else the key as it is."""
    if not shapes.suffix_re.search(e.key):
        return e.key
    shorter = [a for a in e.aliases if len(a) >= 2 and e.key.startswith(a) and a != e.key
               and not shapes.suffix_re.search(a) and shapes.is_name(a)]
    return min(shorter, key=len, default=e.key)


def _headline(text: str, line: str, at: int, shapes: Shapes, found: dict[str, Entity], add) -> None:
    """The company the headline opens with: before a colon, a known name, or a
    name that comes back in the text (比亚迪2024年营收…)."""
    h = shapes.headline_re.match(line)
    if h and shapes.is_name(h["name"]):
        add(h["name"], at + h.start("name"), h["name"], lead=2)
        return
    for e in found.values():
        if any(line.lstrip(" 【[").startswith(a) for a in e.aliases):
            e.lead = 2
            return
    m = shapes.headline_open_re.match(line)
    if m and shapes.is_name(m["name"]) and text.count(m["name"]) >= 2:
        add(m["name"], at + m.start("name"), m["name"], lead=2)
