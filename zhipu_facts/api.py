"""The fact table as a library: articles in, facts, rows, DataFrames and files out.

>>> import zhipu_facts as zf
>>> facts = zf.extract_text("去年年底,智谱完成了30亿元融资。", published="2025-02-11")
>>> [(f.kind, f.text, f.as_of) for f in facts]
[('date', '去年年底', '2024-12'), ('money', '30亿元', '2024-12')]
>>> row = facts[1].row()
>>> row["value"], row["unit"], row["metric"], row["subject"]
(3000000000.0, 'CNY', 'financing', '智谱')

The CLI's `extract` is option parsing around `find_files`, `extract_files`
and `write_table`; its options are one ExtractOptions (options.py).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import gc
import hashlib
import os
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from .core.rule import RuleTimeout
from .engine.rules import RuleSet
from .fact import Fact
from .ingest.decode import SkipFile
from .ingest.header import record_date
from .ingest.locale import check_locale as check_tag
from .ingest.collections import Fields
from .ingest.read import Document, Input, find_files, inputs, read_input
from .options import ExtractOptions, as_date, shipped_rules
from .parallel import jobs_for, ordered_map
from .pipeline import ArticleRun, analyze
from .table.formats import format_for, open_writer
from .table.schema import DISPLAY_SCHEMA, SCHEMA, to_rows
from .table.write import Writer, commit_all

if TYPE_CHECKING:
    import pandas as pd

    from .table.units import DisplayUnit


class FactStream:
    """The facts of a long article, made a section at a time as they are read
    (pipeline.ArticleRun): iterable once, in text order. `len()` counts the
    facts made so far: all of them once it has been read through."""

    def __init__(self, parts: Iterator[list[Fact]]):
        self._parts: Iterator[list[Fact]] | None = parts
        self._count = 0

    def parts(self) -> Iterator[list[Fact]]:
        """The facts, a section's at a time."""
        if self._parts is None:
            raise RuntimeError("a FactStream is read once")
        parts, self._parts = self._parts, None
        for part in parts:
            self._count += len(part)
            yield part

    def __iter__(self) -> Iterator[Fact]:
        for part in self.parts():
            yield from part

    def __len__(self) -> int:
        return self._count


class Articles(Iterator["Article"]):
    """The articles of `extract`, `extract_files` and `extract_records`, made as they are read: one
    pass, as a file is read, so a corpus never has to fit in memory. Iterating again once they are
    all read raises RuntimeError, where a plain generator would give nothing (`to_dataframe(arts)`
    after a loop over `arts` was an empty frame): keep them with `list(...)` to use them twice."""

    def __init__(self, articles: Iterable[Article]):
        self._articles = iter(articles)
        self._done = False

    def __iter__(self) -> Articles:
        if self._done:
            raise RuntimeError("these articles were already read through (extract gives them once, as it makes "
                               "them): keep them with list(zf.extract(...)) to use them twice, or extract again")
        return self

    def __next__(self) -> Article:
        try:
            return next(self._articles)
        except StopIteration:
            self._done = True
            raise


@dataclass
class Article:
    """One article's outcome: its facts, or why it was skipped. `facts` is a
    FactStream for a long article read with `stream=True` (extract_files);
    `warnings` is then complete once it has been read through."""

    source: str
    facts: list[Fact] | FactStream = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    skipped: str | None = None  # the reason, when the article could not be read
    published: dt.date | None = None
    published_from: str | None = None
    locale: str | None = None  # zh-CN, zh-TW, zh-HK: what a bare 元 meant in it
    # A dateline's month and day when nothing gives its year (--09-02, ---04):
    # `published` is then None, and the article's relative dates unresolved.
    published_partial: str | None = None


def _rules(rules: RuleSet | None) -> RuleSet:
    return shipped_rules() if rules is None else rules


def extract_text(text: str, *, published: dt.date | str | None = None, rules: RuleSet | None = None,
                 source: str = "<text>", locale: str | None = None) -> list[Fact]:
    """The facts of one text (an article, a paragraph or a sentence).

    `published` dates a text that gives no date of its own; `locale` (zh-CN,
    zh-TW, zh-HK) overrides the one the text suggests (a bare 元 is TWD in
    zh-TW). ValueError names a bad date or an unknown locale.
    """
    return analyze(text, _rules(rules), source=source, published=as_date(published), locale=locale,
                   keep_matches=False).facts


def _article(doc: Document, rules: RuleSet, published: dt.date | None, locale: str | None,
             published_label: str = "option", stream: bool | None = False,
             warning: str | None = None) -> Article | None:
    """`stream`: a text longer than one section gives a FactStream (True),
    a list (False), or nothing (None: it is for another process to stream).
    `warning`: one about the article found before it was read (a record's
    date field that is no date)."""
    try:
        run = ArticleRun(doc.text, rules, source=doc.source, sha256=doc.sha256, published=published, locale=locale,
                         published_label=published_label, html=doc.page, url=doc.url, keep_matches=False,
                         locale_tag=doc.locale_tag)
    except SkipFile as e:  # a page too big or too broken to be read as one
        return Article(doc.source, skipped=str(e))
    if stream is not False and len(run.sections) > 1:
        if stream is None:
            return None
        facts: list[Fact] | FactStream = FactStream(run.parts())
    else:
        facts = [f for part in run.parts() for f in part]
    if warning is not None:
        run.warnings.insert(0, warning)
    return Article(doc.source, facts, run.warnings, None, run.header.published, run.header.published_from,
                   run.locale, run.header.published_partial)


def _options(options: ExtractOptions | None, given: dict[str, Any]) -> ExtractOptions:
    """The options, from an ExtractOptions and/or its fields as keywords (which win)."""
    if options is None:
        return ExtractOptions(**given)
    return dataclasses.replace(options, **given) if given else options


def extract_file(path: Path | str, *, source: str | None = None, options: ExtractOptions | None = None,
                 **given: Any) -> Article:
    """The facts of one article file (UTF-8, GB18030 or Big5; a web page by
    its extension); `skipped` says why when it cannot be read. The keywords
    are ExtractOptions' (published, rules, locale, ...)."""
    path = Path(path)
    return next(extract_files([(path, source or path.name)], options, **given))


def article_inputs(files: Iterable[tuple[Path, str]], options: ExtractOptions | None = None,
                   **given: Any) -> Iterator[Input]:
    """One input per article of the files `find_files` lists, in their
    order: a file, read where it is processed, or a collection's record,
    read here (a collection is read record by record as this is iterated);
    `-` is standard input. What extract_files reads, and what a cluster's
    workers are sent (cluster.py)."""
    options = _options(options, given)
    return inputs(files, options.input_format, options.fields)


def extract_files(files: Iterable[tuple[Path, str]], options: ExtractOptions | None = None,
                  **given: Any) -> Articles:
    """One Article per (path, source), as `find_files` lists them, and one per
    record of a collection (.jsonl, .ndjson, .csv, .parquet, or any file with
    `input_format`; `fields` names its fields); web pages (.html, .htm,
    .shtml, or `input_format="html"`) give their article's facts, with
    offsets into the HTML; `-` is standard input (ingest/formats.py lists
    the formats). One bad file or record is a skipped Article, never an
    exception. `jobs` > 1 spreads the articles over that many processes
    (0: one per core); the order stays the input's. The options are an
    ExtractOptions, or its fields as keywords (published, rules, locale,
    jobs, input_format, fields, stream); OptionError names a bad one.

    `stream=True`: an article longer than one section of text
    (core/pieces.PIECE characters) gives its facts as a FactStream, made
    as it is read through (write_table does), so no article's length
    bounds what is held. With `jobs` > 1 such articles are read in this
    process, in their turn, while the workers go on with the others.

    The articles come once, as they are made (Articles): a second pass raises."""
    options = _options(options, given)
    tasks = article_inputs(files, options)
    work = partial(read_article, options=options)
    n = jobs_for(options.jobs)
    if not options.stream:
        return Articles(ordered_map(work, tasks, n, lost=_lost))
    if n <= 1:
        return Articles(map(partial(work, stream=True), tasks))
    return Articles(_streamed(ordered_map(partial(_unless_long, work=work), tasks, n, lost=_lost),
                              partial(work, stream=True)))


def _lost(task: Input, why: str) -> Article:
    """The article whose worker process died (parallel.ordered_map): skipped by name."""
    return Article(task.source, skipped=why)


def _unless_long(task: Input, work: Callable[..., Article | None]) -> Article | _Long:
    """In a worker: the task's Article, or, for an article longer than one
    section, the task back to the main process, which streams it (a worker
    would hold all its facts and send them back at once)."""
    article = work(task, stream=None)
    return _Long(task) if article is None else article


@dataclass
class _Long:
    task: Input


def _streamed(results: Iterator[Article | _Long], work: Callable[[Input], Article]) -> Iterator[Article]:
    for r in results:
        yield work(r.task) if isinstance(r, _Long) else r


def read_article(item: Input, options: ExtractOptions, stream: bool | None = False) -> Article | None:
    """The Article of one input (article_inputs); `stream` as in `_article`."""
    try:
        doc = read_input(item)
    except SkipFile as e:
        return Article(item.source, skipped=str(e))
    own, problem = _own_date(doc.date_field)
    return _article(doc, options.ruleset, own or options.published, options.locale,
                    "record" if own else "option", stream=stream, warning=problem or doc.warning)


def _own_date(field: object) -> tuple[dt.date | None, str | None]:
    """A record's own date (ingest/header.record_date), or None and why when
    its date field cannot be read: the record is still read, without it."""
    try:
        return record_date(field), None
    except (ValueError, OverflowError, OSError) as e:
        return None, f"{e}; read without it"


def check_locale(locale: str | None, rules: RuleSet) -> None:
    """ValueError for a locale the locales lexicon does not know (before any
    article is read, so a typo costs nothing)."""
    if locale is not None:
        check_tag(locale, rules.vocab)


def extract(paths: Iterable[Path | str], options: ExtractOptions | None = None, **given: Any) -> Articles:
    """Every article under the paths (files, or folders searched recursively),
    once, as they are made (Articles: a second pass raises RuntimeError).
    The keywords are ExtractOptions' (published, rules, locale, jobs, ...).

    Raises ingest.read.InputError (a missing path, two inputs with one
    `source` name) before any article is read.
    """
    options = _options(options, given)
    return extract_files(find_files([Path(p) for p in paths]), options)


def check_outputs(files: Iterable[tuple[Path, str]], outputs: list[Path | None], fmt: str | None = None) -> None:
    """ValueError, before anything is read, for an output whose format is
    unknown or contradicts `fmt`, or that is one of the articles to read."""
    for t in outputs:
        format_for(t, fmt)
    articles = {os.path.realpath(p) for p, _ in files}
    for t in outputs:
        if t is not None and os.path.realpath(t) in articles:
            raise ValueError(f"the output {t} is one of the articles to read; choose another file")


def extract_records(records: Iterable[Mapping[str, Any]], *, text: str = "text", source: str = "id",
                    published: str = "published", default_published: dt.date | str | None = None,
                    rules: RuleSet | None = None, locale: str | None = None) -> Articles:
    """Articles from records (dicts, such as rows of a JSONL or Parquet collection).

    Each record gives its text under `text`, its name under `source` (else
    `record N`, counted from 1) and its date under `published` (else
    `default_published`, used like `--published`), in any common form
    (ingest/header.record_date); a date that cannot be read is a warning of
    the Article, which is read without it. A `locale`, `lang` or `language`
    field counts as front matter's does. A record without text is a skipped
    Article. The articles come once, as they are made (Articles).
    """
    return Articles(_records(records, text, source, published, default_published, rules, locale))


def _records(records: Iterable[Mapping[str, Any]], text: str, source: str, published: str,
             default_published: dt.date | str | None, rules: RuleSet | None, locale: str | None) -> Iterator[Article]:
    rules, fallback = _rules(rules), as_date(default_published)
    check_locale(locale, rules)
    for n, rec in enumerate(records, 1):
        name = rec.get(source)
        name = f"record {n}" if name is None or name == "" else str(name)
        body = rec.get(text)
        if not isinstance(body, str):
            yield Article(name, skipped=f"no text in the field {text!r}")
            continue
        own, problem = _own_date(rec.get(published))
        tag = next((v.strip() for k in Fields.locale if isinstance(v := rec.get(k), str) and v.strip()), None)
        sha = hashlib.sha256(body.encode("utf-8")).hexdigest()
        yield _article(Document(name, None, body, sha, locale_tag=tag), rules, own or fallback, locale,
                       "record" if own else "option", warning=problem)


def _facts_of(items: Iterable[Fact | Article]) -> Iterator[Fact]:
    for item in items:
        if isinstance(item, Article):
            yield from item.facts
        else:
            yield item


def rows(items: Iterable[Fact | Article], *, display: DisplayUnit | None = None) -> list[dict[str, Any]]:
    """The fact table as dicts, one per fact, in the schema's column order."""
    return to_rows(_facts_of(items), display)


def to_dataframe(items: Iterable[Fact | Article], *, display: DisplayUnit | None = None) -> pd.DataFrame:
    """The fact table as a pandas DataFrame with the schema's columns and types
    (nullable floats and integers; dates as `datetime.date`)."""
    import pandas as pd
    import pyarrow as pa

    schema = DISPLAY_SCHEMA if display else SCHEMA
    table = pa.Table.from_pylist(rows(items, display=display), schema=schema.arrow)
    return table.to_pandas(types_mapper={pa.float64(): pd.Float64Dtype(), pa.int64(): pd.Int64Dtype()}.get,
                           date_as_object=True)


#: Facts turned into rows at a time by write_table.
ROW_CHUNK = 5_000


@dataclass
class Summary:
    """What write_table did: articles read, facts written, sources skipped."""

    read: int = 0
    facts: int = 0
    skipped: list[str] = field(default_factory=list)
    undated: int = 0  # articles read with no publication date
    timeouts: int = 0  # rules that timed out, one per rule and article: a bug in a rule


def write_table(articles: Iterable[Article], outputs: list[Path | str | None], *, fmt: str | None = None,
                excel: bool = False, display: DisplayUnit | None = None, stream: IO[str] | None = None,
                on_article: Callable[[Article], None] | None = None) -> Summary:
    """Write the articles' facts to every output (a path, or None for `stream`,
    in CSV unless `fmt` says otherwise; `excel`: CSV with a byte-order mark),
    one article at a time.

    Each file is written under a temporary name and renamed when all articles
    are done; on any error every temporary file is removed and the outputs'
    previous contents are kept. `on_article` sees each article as it is written.
    """
    schema = DISPLAY_SCHEMA if display else SCHEMA
    targets = [None if o is None else Path(o) for o in outputs]
    formats = [format_for(t, fmt, excel) for t in targets]
    writers: list[Writer] = []
    summary = Summary()
    try:
        for t, f in zip(targets, formats):
            writers.append(open_writer(t, f, stream, schema))
        # Facts form no reference cycles: the cyclic collector only costs time
        # here, so it runs every 200 articles, and never walks the long-lived
        # objects (modules, compiled rules) again.
        gc.disable()
        gc.freeze()
        for n, article in enumerate(articles, 1):
            if n % 200 == 0:
                gc.collect()
            if article.skipped is not None:
                summary.skipped.append(article.source)
            else:
                # Rows a chunk at a time: an article of 50 MB has 220,000 facts,
                # and their rows as dicts would double what it holds.
                parts = article.facts.parts() if isinstance(article.facts, FactStream) else [article.facts]
                for part in parts:
                    for at in range(0, len(part), ROW_CHUNK):
                        table_rows = to_rows(part[at:at + ROW_CHUNK], display)
                        for w in writers:
                            w.write(table_rows)
                summary.read += 1
                summary.facts += len(article.facts)
                summary.undated += article.published is None
                summary.timeouts += sum(isinstance(w, RuleTimeout) for w in article.warnings)
            if on_article is not None:
                on_article(article)
        commit_all(writers)
    except BaseException:
        for w in writers:
            try:
                w.abort()
            except Exception:  # noqa: S110 - the others' temporary files must go too
                pass
        raise
    finally:
        gc.unfreeze()
        gc.enable()
    return summary
