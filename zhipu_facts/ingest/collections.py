"""Article collections: JSON Lines, CSV and Parquet files of one article per record.

Records are read one at a time (Parquet a row group at a time), so memory
does not grow with the file. Each record's fields are found by convention
(the first present of Fields' names), or by the names the user gives:

    text       text, content, body
    html       html              (a saved page: only its article is read)
    source     id, url           (else FILE#N, N the line or row)
    published  published, date, publish_time, pubdate
    url        url               (a date in it dates the article: published_from url)
    locale     locale, lang, language  (what a bare 元 means, as front matter's: zh-TW, zh_HK ...)

A record is then an article like a file: `start`/`end` index its text
field (else its html field, when it has no text), `source_sha256` hashes
that field's UTF-8 bytes, and a date field of its own gives
`published_from: record` (in any common form: ingest/header.record_date;
one that cannot be read is a warning, and the record is read without it).
A malformed record (bad JSON, no text) is skipped by name, FILE#N, and the
others are read.
"""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

#: (line or row number, record or None, problem or None): what a collection's reader yields.
RawRecord = tuple[int, "dict[str, Any] | None", "str | None"]

@dataclass(frozen=True)
class Fields:
    text: tuple[str, ...] = ("text", "content", "body")
    source: tuple[str, ...] = ("id", "url")
    published: tuple[str, ...] = ("published", "date", "publish_time", "pubdate")
    html: tuple[str, ...] = ("html",)
    url: tuple[str, ...] = ("url",)
    locale: tuple[str, ...] = ("locale", "lang", "language")
    prefer_html: bool = False  # --html-field given: the page, even where the record has text too

    @classmethod
    def given(cls, text: str | None = None, source: str | None = None, published: str | None = None,
              html: str | None = None, url: str | None = None) -> Fields:
        d = cls()
        return cls((text,) if text else d.text, (source,) if source else d.source,
                   (published,) if published else d.published, (html,) if html else d.html,
                   (url,) if url else d.url, d.locale, prefer_html=bool(html) and not text)


@dataclass
class Record:
    source: str
    text: str | None  # None: skipped, for `problem`
    published: str | None = None
    problem: str | None = None
    format: str = "text"  # the input format that reads `text`: html for a saved page
    url: str | None = None
    locale_tag: str | None = None  # the record's locale, lang or language field, as written


def read_records(path: Path, fmt: str, reader: Callable[[Path], Iterator[RawRecord]], name: str,
                 fields: Fields) -> Iterator[Record]:
    """Every record of a collection in format `fmt`, as its `reader` gives
    them (`name` is how the file is called in `source`)."""
    raw = reader(path)
    while True:
        try:
            n, rec, problem = next(raw)
        except StopIteration:
            return
        except (OSError, ValueError, UnicodeDecodeError) as e:  # unreadable from here on
            yield Record(name, None, problem=f"cannot be read as {fmt}: {e}")
            return
        where = f"{name}#{n}"
        if problem is not None:
            yield Record(where, None, problem=problem)
            continue
        text, page = _first(rec, fields.text), _first(rec, fields.html)
        ident = _first(rec, fields.source)
        source = str(ident) if ident not in (None, "") else where
        html = isinstance(page, str) and (fields.prefer_html or not isinstance(text, str))
        if html:
            text = page
        if not isinstance(text, str):
            yield Record(source, None, problem=f"{where}: no text in the field(s) "
                                               f"{', '.join(fields.text + fields.html)}")
            continue
        date, url, tag = _first(rec, fields.published), _first(rec, fields.url), _first(rec, fields.locale)
        yield Record(source, text, None if date in (None, "") else str(date), format="html" if html else "text",
                     url=url if isinstance(url, str) and url else None,
                     locale_tag=tag.strip() if isinstance(tag, str) and tag.strip() else None)


def _first(rec: dict[str, Any], names: tuple[str, ...]) -> Any:
    for k in names:
        if k in rec and rec[k] is not None:
            return rec[k]
    return None


def parquet_records(path: Path) -> Iterator[RawRecord]:
    import pyarrow.parquet as pq  # only for Parquet collections

    n = 0
    for batch in pq.ParquetFile(path).iter_batches(batch_size=1000):
        for rec in batch.to_pylist():
            n += 1
            yield n, rec, None


@contextmanager
def open_text(path: Path) -> Iterator[IO[str]]:
    """A text collection's lines: the file's, or standard input's for `-`."""
    if str(path) == "-":
        yield sys.stdin
        return
    with open(path, encoding="utf-8-sig", newline="") as fh:
        yield fh


def csv_records(path: Path) -> Iterator[RawRecord]:
    with open_text(path) as fh:
        csv.field_size_limit(sys.maxsize)  # an article is a long field
        reader = csv.DictReader(fh)
        for rec in reader:
            yield reader.line_num, rec, None


def jsonl_records(path: Path) -> Iterator[RawRecord]:
    with open_text(path) as fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                rec = json.loads(line)
            except json.JSONDecodeError as e:
                yield n, None, f"not JSON ({e.msg})"
                continue
            if not isinstance(rec, dict):
                yield n, None, "not a JSON object"
                continue
            yield n, rec, None
