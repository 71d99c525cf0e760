"""The pipeline: read -> header -> clean -> match -> normalize -> periods -> series -> meaning -> fx.

``extract_text`` runs it on one string (what rule examples and `explain` use);
``extract_document`` on a decoded article; ``extract_paths`` streams a corpus.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from time import perf_counter

from .engine.match import find_candidates, select
from .engine.rules import RuleSet
from .enrich.fx import convert_facts
from .enrich.meaning import assign_meaning
from .enrich.periods import attach_periods
from .enrich.series import align_series
from .fact import Candidate, Fact
from .ingest.clean import Cleaned, clean, normalize_chars
from .ingest.header import Header, read_header
from .ingest.read import Document, SkipFile, find_files, read_document
from .kinds import NORMALIZERS, DocContext


@dataclass
class Analysis:
    """Everything the pipeline saw in one text; `explain` prints it."""

    header: Header
    cleaned: Cleaned
    candidates: list[Candidate]
    chosen: list[Candidate]
    facts: list[Fact]
    warnings: list[str]


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
            published: dt.date | None = None, laps: Laps | None = None) -> Analysis:
    lap = laps.lap if laps is not None else _no_lap
    normalized = normalize_chars(text)
    lap("normalize")
    byline_rules = [r for r in rules.of_kind("clean") if r.action == "byline"]
    header = read_header(text, normalized, byline_rules, published)
    lap("header")
    cut = [(0, header.body_start)] + ([header.byline] if header.byline else [])
    cleaned = clean(normalized, cut, rules.of_kind("clean"))
    lap("clean")
    warnings = [header.warning] if header.warning else []
    candidates = find_candidates(cleaned.view.text, rules.fact_rules, cleaned.sentences, warnings)
    chosen = select(candidates)
    lap("match")
    sha = sha256 or hashlib.sha256(text.encode("utf-8")).hexdigest()
    facts = _resolve(text, cleaned, chosen, header, rules, source, sha)
    lap("normalize values")
    attach_periods(facts, cleaned, rules)
    align_series(facts, cleaned)
    lap("periods and series")
    assign_meaning(facts, cleaned, rules)
    lap("metric and subject")
    convert_facts(facts)
    lap("fx")
    return Analysis(header, cleaned, candidates, chosen, facts, warnings)


def _no_lap(stage: str) -> None:
    pass


def extract_text(text: str, rules: RuleSet, *, published: dt.date | None = None,
                 source: str = "<text>") -> list[Fact]:
    return analyze(text, rules, source=source, published=published).facts


def extract_document(doc: Document, rules: RuleSet, published: dt.date | None = None) -> Analysis:
    return analyze(doc.text, rules, source=doc.source, sha256=doc.sha256, published=published)


def _resolve(text: str, cleaned: Cleaned, chosen: list[Candidate], header: Header,
             rules: RuleSet, source: str, sha: str) -> list[Fact]:
    view = cleaned.view
    sent_starts = [s for s, _ in cleaned.sentences]
    line_starts = _line_starts(text)
    ctx = DocContext(rules, header.published)
    quotes: dict[int, str] = {}  # sentence index -> its source text
    facts: list[Fact] = []
    for c in chosen:
        si = bisect_right(sent_starts, c.start) - 1
        if si < 0 or c.end > cleaned.sentences[si][1]:
            continue  # not inside a sentence (cannot happen for sane rules)
        ctx.enter_sentence(si)
        resolved = NORMALIZERS[c.rule.normalizer](c, ctx)
        if resolved is None:
            continue
        span = _report_span(c, view)
        if span is None:
            continue
        vs, ve = span
        start, end = view.span_to_source(vs, ve)
        quote = quotes.get(si)
        if quote is None:
            q0, q1 = view.span_to_source(*cleaned.sentences[si])
            quote = quotes[si] = text[q0:q1]
        facts.append(Fact(
            source=source, kind=resolved.kind, text=text[start:end], start=start, end=end,
            line=bisect_right(line_starts, start), quote=quote, rule=c.rule.id,
            resolved=resolved, sentence=si, view_start=vs, view_end=ve, source_sha256=sha,
            published=header.published, published_from=header.published_from,
        ))
    return facts


def _report_span(c: Candidate, view) -> tuple[int, int] | None:
    """The match if it is one unbroken run of the source; else its `core`,
    else its number (markup such as **100%**以上 splits a match)."""
    for span in ((c.start, c.end), c.span_of("core"), c.span_of("amount"), c.span_of("num")):
        if span and span[1] > span[0] and view.is_contiguous(*span):
            return span
    return None


def _line_starts(text: str) -> list[int]:
    starts = [0]
    i = text.find("\n")
    while i >= 0:
        starts.append(i + 1)
        i = text.find("\n", i + 1)
    return starts


@dataclass
class Skipped:
    source: str
    reason: str


def extract_paths(paths: list[Path], rules: RuleSet, published: dt.date | None = None
                  ) -> Iterator[tuple[str, Analysis | Skipped]]:
    """(source, analysis) for each article, or (source, Skipped) when unreadable."""
    for path, source in find_files(paths):
        try:
            doc = read_document(path, source)
        except SkipFile as e:
            yield source, Skipped(source, str(e))
            continue
        yield source, extract_document(doc, rules, published)
