"""The pipeline: read -> header -> clean -> match -> normalize -> enrich (periods, meaning, fx).

`analyze` runs it on one text and returns everything it saw (what `explain`
prints); zhipu_facts.api wraps it for strings, files, records and corpora.
`ArticleRun` is the same run with its facts made a section at a time
(match -> normalize -> enrich per section), which is what keeps a long
article's matches and facts from piling up (api.FactStream).
Each enrichment stage (enrich/__init__.py) fills the columns its Stage
names and no others; `analyze(..., check_stages=True)` verifies that (the
tests do).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from dataclasses import dataclass
from time import perf_counter

from .engine.match import find_candidates, select
from .core.pieces import sections
from .core.rule import RuleTimeout, timeout_warning
from .engine.rules import RuleSet
from .enrich import ENRICHMENT, Stage
from .fact import Candidate, Fact
from .ingest.clean import Cleaned, clean, normalize_chars
from .ingest.header import Header, read_header, read_page_header
from .ingest.html import Page, read_page
from .ingest.locale import decide_locale, looks_traditional
from .core.textview import TextView, invisible_in
from .kinds import KINDS, Context

#: The longest quote written; a longer sentence is quoted around the fact.
QUOTE_MAX = 600
#: Values from this magnitude on are not figures (docs/schema.md: number_too_large).
NUMBER_LIMIT = 10**18


@dataclass
class Analysis:
    """Everything the pipeline saw in one text; `explain` prints it."""

    header: Header
    cleaned: Cleaned
    candidates: list[Candidate]
    chosen: list[Candidate]
    facts: list[Fact]
    warnings: list[str]
    locale: str = "zh-CN"
    locale_from: str = "default"


class Laps:
    """Seconds spent in each stage, summed over articles (`make bench` prints them)."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}
        self._last = perf_counter()

    def start(self) -> None:
        self._last = perf_counter()

    def lap(self, stage: str) -> None:
        now = perf_counter()
        self.seconds[stage] = self.seconds.get(stage, 0.0) + now - self._last
        self._last = now


def analyze(text: str, rules: RuleSet, *, source: str = "<text>", sha256: str | None = None,
            published: dt.date | None = None, locale: str | None = None, laps: Laps | None = None,
            check_stages: bool = False, published_label: str = "option", url: str | None = None,
            html: bool = False, page: Page | None = None, keep_matches: bool = True,
            locale_tag: str | None = None) -> Analysis:
    """Everything the pipeline makes of one text. `published` and `locale`
    are fallbacks and an override: an article's own date wins over
    `published`; `locale` (zh-CN, zh-TW, zh-HK) wins over the article's.
    `url` is where the article was found (a date in it dates the article);
    `html`: the text is a web page, and only its article is read
    (ingest/html.py; `page`: the page already read); offsets still index `text`.
    `keep_matches=False` leaves `candidates` and `chosen` empty and lets them
    go before enrichment: what the matches hold (their groups, the windows'
    text) is about half of what a long article's analysis holds.
    `locale_tag` is the locale a collection's record names (its `lang`
    field): it counts as front matter's does, after the article's own."""
    run = ArticleRun(text, rules, source=source, sha256=sha256, published=published, locale=locale, laps=laps,
                     check_stages=check_stages, published_label=published_label, url=url, html=html, page=page,
                     keep_matches=keep_matches, locale_tag=locale_tag)
    facts = [f for part in run.parts() for f in part]
    return Analysis(run.header, run.cleaned, run.candidates, run.chosen, facts, run.warnings, run.locale,
                    run.locale_from)


class ArticleRun:
    """One text through the pipeline: read (normalize, header, locale, clean)
    when made, its facts made by `parts()`, a section at a time.

    A text longer than a section (core/pieces.sections) is matched,
    resolved and enriched section by section, so a 50 MB article holds one
    section's matches and facts at a time, not all of them; the reading
    state (the dates and currency later facts resolve against, the rules
    that timed out, the article's entities) runs on from one section to the
    next, and the facts are those of one pass over the whole text. `warnings`
    is complete once `parts()` is done.
    """

    def __init__(self, text: str, rules: RuleSet, *, source: str = "<text>", sha256: str | None = None,
                 published: dt.date | None = None, locale: str | None = None, laps: Laps | None = None,
                 check_stages: bool = False, published_label: str = "option", url: str | None = None,
                 html: bool = False, page: Page | None = None, keep_matches: bool = True,
                 locale_tag: str | None = None):
        self._lap = lap = laps.lap if laps is not None else _no_lap
        if html and page is None:
            page = read_page(text, [r for r in rules.clean_rules if r.action == "drop_to_end"])
        normalized = normalize_chars(text if page is None else page.prepared)
        lap("normalize")
        if page is None:
            header = read_header(text, normalized, rules.byline_rules, published, source, published_label, url)
            cut = [(0, header.body_start)] + ([header.byline] if header.byline else [])
            lang = header.locale_tag or locale_tag
        else:
            header = read_page_header(TextView(normalized).without(page.cut), published, page.published,
                                      rules.byline_rules, source, published_label, url or page.url)
            cut = page.cut + ([header.byline] if header.byline else [])
            lang = page.lang or locale_tag
        self.locale, self.locale_from = decide_locale(locale, lang, normalized, rules.vocab)
        # Nothing decided the locale of a traditional-script text: its bare 元 is a guess.
        self.local_guessed = self.locale_from == "default" and looks_traditional(
            text if page is None else page.prepared, normalized)
        lap("header")
        self.cleaned = clean(normalized, cut, rules.clean_rules)
        lap("clean")
        self.warnings: list[str] = ((page.warnings if page else []) + ([header.warning] if header.warning else [])
                                    + [_located(w, self.cleaned, text) for w in self.cleaned.warnings])
        self.header, self.text, self.rules, self.page, self.source = header, text, rules, page, source
        self.sha = sha256 or hashlib.sha256(text.encode("utf-8")).hexdigest()
        self.check_stages, self.keep_matches = check_stages, keep_matches
        self.candidates: list[Candidate] = []  # kept only with keep_matches
        self.chosen: list[Candidate] = []
        self.sections = sections(self.cleaned.view.text, self.cleaned.sentences)

    def parts(self) -> Iterator[list[Fact]]:
        """The facts, a section's at a time, in text order (once)."""
        cleaned, rules, lap = self.cleaned, self.rules, self._lap
        view = cleaned.view.text
        ctx = Context(rules.vocab, self.header.published, view, rules.vocab.locale.locale_currency.get(self.locale, "CNY"),
                      self.local_guessed)
        where = _Where(self.text, cleaned, self.page)
        dead: set[str] = set()  # rules that timed out: they sit out the rest of the article
        for a, b, i, j in self.sections:
            timeouts: list[str] = []
            candidates = find_candidates(view, rules.fact_rules, cleaned.sentences[i:j], timeouts, (a, b), dead)
            self.warnings.extend(_located(w, cleaned, self.text) for w in timeouts)
            chosen = select(candidates)
            if self.keep_matches:
                self.candidates.extend(candidates)
                self.chosen.extend(chosen)
            del candidates  # the ones that lost: gone now, not after the facts are made
            lap("match")
            yield self._resolved(chosen, ctx, where)

    def _resolved(self, chosen: list[Candidate], ctx: Context, where: _Where) -> list[Fact]:
        """The facts of a section's chosen matches, enriched."""
        facts = _resolve(chosen, ctx, where, self.header, self.source, self.sha, release=not self.keep_matches)
        self._lap("normalize values")
        for stage in ENRICHMENT:
            before = [_snapshot(f) for f in facts] if self.check_stages else None
            stage.run(facts, self.cleaned, self.rules)
            if before is not None:
                _check_stage(stage, before, facts)
            self._lap(stage.name)
        return facts


def _located(w: str, cleaned: Cleaned, text: str) -> str:
    """A rule timeout with the line and the character offset (as in the
    fact table's `start`) of the article it happened at."""
    if not isinstance(w, RuleTimeout) or w.at is None:
        return w
    at = cleaned.view.to_source(min(w.at, len(cleaned.view.text) - 1)) if w.in_view else w.at
    at = max(0, min(at, len(text)))
    return timeout_warning(w.rule, w.what, line=text.count("\n", 0, at) + 1, offset=at)


class StageError(AssertionError):
    """An enrichment stage changed a field it does not own."""


_FACT_FIELDS = tuple(f.name for f in dataclasses.fields(Fact))


def _snapshot(f: Fact) -> dict:
    """Every field and registered column of the fact (a column a plug-in
    registers lives in the fact's dict)."""
    d = {name: getattr(f, name) for name in _FACT_FIELDS}
    d.update(f.__dict__)
    d["flags"] = set(f.flags)
    return d


def _check_stage(stage: Stage, before: list[dict], facts: list[Fact]) -> None:
    for old, f in zip(before, facts):
        for name in f.__dict__.keys() - old.keys():
            if name not in stage.fills:
                raise StageError(f"{stage.name} set {name} of {f.text!r}, which it does not own")
            old[name] = getattr(type(f), name)  # the column's default
        for name, was in old.items():
            now = getattr(f, name)
            if name == "flags":
                if not was <= now:
                    raise StageError(f"{stage.name} removed flags {sorted(was - now)} of {f.text!r}")
            elif now != was and name not in stage.fills and not (name in stage.fills_if_empty and was is None):
                raise StageError(f"{stage.name} changed {name} of {f.text!r} ({was!r} -> {now!r}), "
                                 f"which it does not own")


def _no_lap(stage: str) -> None:
    pass


class _Where:
    """Where things are in one article: its sentences' starts, its lines'
    starts and a page's transparent spans, made once for all its sections."""

    def __init__(self, text: str, cleaned: Cleaned, page: Page | None):
        self.text, self.cleaned, self.page = text, cleaned, page
        self.transparent = _Transparent(page.transparent if page else [])
        self.sent_starts, self.sent_ends = cleaned.sentences.starts, cleaned.sentences.ends
        self.line_starts = _line_starts(text)


def _resolve(chosen: list[Candidate], ctx: Context, where: _Where, header: Header, source: str, sha: str,
             release: bool = False) -> list[Fact]:
    """Facts from the chosen candidates. For a page, `quote` is the visible
    text of the sentence (no tags, references decoded), and a fact may span
    the rest of a character reference (10&#20740;元 is one run). `release`:
    each candidate leaves `chosen` once its fact is made, so the matches and
    the facts of a long article are never all held at once."""
    text, cleaned, page = where.text, where.cleaned, where.page
    view = cleaned.view
    transparent, sent_starts, sent_ends, line_starts = where.transparent, where.sent_starts, where.sent_ends, \
        where.line_starts
    quotes: dict[int, str] = {}  # sentence index -> its source text
    facts: list[Fact] = []
    for k, c in enumerate(chosen):
        if release:
            chosen[k] = None
        si = bisect_right(sent_starts, c.start) - 1
        if si < 0 or c.end > sent_ends[si]:
            continue  # not inside a sentence (cannot happen for sane rules)
        ctx.enter_sentence(si, sent_starts[si], sent_ends[si])
        kind = KINDS[c.rule.kind]
        v = kind.normalize(c, ctx)
        if v is None:
            continue
        if kind.remember is not None:
            kind.remember(ctx, v, c)
        if _too_large(v.value) or _too_large(v.low) or _too_large(v.high):
            # A 10,000-digit number is no financial figure, and as a float it
            # is inf (Infinity in JSON, which is not JSON): keep the fact, say so.
            v.value = v.low = v.high = None
            v.flags.add("number_too_large")
        span = _report_span(c, view, text, transparent)
        if span is None:
            continue
        vs, ve, start, end = span
        end = transparent.through(end)
        quote = quotes.get(si)
        if quote is None:
            q0, q1 = view.span_to_source(*cleaned.sentences[si])
            quote = quotes[si] = text[q0:q1] if page is None else view.visible(*cleaned.sentences[si], page.prepared)
        if len(quote) > QUOTE_MAX and page is not None:
            s0, s1 = cleaned.sentences[si]
            half = (QUOTE_MAX - (ve - vs)) // 2
            a = max(s0, min(vs - max(half, 0), s1 - QUOTE_MAX))
            quote = view.visible(a, max(ve, min(s1, a + QUOTE_MAX)), page.prepared)
        elif len(quote) > QUOTE_MAX:
            # A sentence of thousands of characters (a table flattened into
            # one line) would repeat in every row: quote the fact's
            # surroundings instead, still an exact run of the source.
            q0, q1 = view.span_to_source(*cleaned.sentences[si])
            half = (QUOTE_MAX - (end - start)) // 2
            a = max(q0, min(start - max(half, 0), q1 - QUOTE_MAX))
            quote = text[a:max(end, min(q1, a + QUOTE_MAX))]
        facts.append(Fact(
            source=source, text=text[start:end], start=start, end=end,
            line=bisect_right(line_starts, start), quote=quote, rule=c.rule.id, source_sha256=sha,
            published=header.published, published_from=header.published_from,
            sentence=si, view_start=vs, view_end=ve, why=None if release else {},
            **vars(v),  # the value columns, kind included: every Value field is a Fact field
        ))
    return facts


def _too_large(x) -> bool:
    return x is not None and abs(x) >= NUMBER_LIMIT


def _report_span(c: Candidate, view, text: str, transparent: _Transparent) -> tuple[int, int, int, int] | None:
    """The match if it is one unbroken run of the source; else its `core`,
    else its number (markup such as **100%**以上 splits a match). A run broken
    only by invisible characters (3<U+200B>0亿元) or the rest of a page's
    character references (10&#20740;元) is still one run: the fact's text then
    holds them, exactly as the source does. Returns the view span and its
    source span."""
    start, end = view.span_to_source(c.start, c.end)
    if end - start == c.end - c.start and not transparent.starts:
        return c.start, c.end, start, end  # the common case: the source as the view has it
    spans = [s for s in ((c.start, c.end), c.span_of("core"), c.span_of("amount"), c.span_of("num"))
             if s and s[1] > s[0]]
    for vs, ve in spans:
        start, end = view.span_to_source(vs, ve)
        if end - start - (ve - vs) == transparent.inside(start, end):
            return vs, ve, start, end
    for vs, ve in spans:
        start, end = view.span_to_source(vs, ve)
        gap = end - start - (ve - vs)
        if gap == invisible_in(text[start:end]) + transparent.inside(start, end):
            return vs, ve, start, end
    return None


class _Transparent:
    """How many characters of given sorted, disjoint source spans lie in a range."""

    def __init__(self, spans: list[tuple[int, int]]):
        self.starts = [a for a, _ in spans]
        self.ends = [b for _, b in spans]
        self.total = [0]
        for a, b in spans:
            self.total.append(self.total[-1] + b - a)

    def through(self, end: int) -> int:
        """`end`, or the end of the span that starts there (a fact that ends in
        a character reference ends after its `;`)."""
        i = bisect_left(self.starts, end)
        return self.ends[i] if i < len(self.starts) and self.starts[i] == end else end

    def inside(self, start: int, end: int) -> int:
        """Characters of whole spans within [start, end) (a kept reference's rest is whole or absent)."""
        if not self.starts:
            return 0
        i = bisect_left(self.starts, start)
        j = bisect_right(self.ends, end)
        return self.total[j] - self.total[i] if j > i else 0


def _line_starts(text: str) -> array:
    """Where each line starts: 8 bytes a line in an array (a list of ints
    was 36, 67 MB for an article of 1.85 million short lines)."""
    starts = array("q", [0])
    add, find = starts.append, text.find
    i = find("\n")
    while i >= 0:
        add(i + 1)
        i = find("\n", i + 1)
    return starts
