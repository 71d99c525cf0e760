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
A malformed record is skipped by name, FILE#N, and the others are read:
bad JSON, a field named twice, no text (or only an empty one), a byte
that is not UTF-8 or a lone surrogate, a CSV record with an open quote
(reading starts again on its next line, so the records it would swallow
are kept), a Parquet row group that cannot be read (each of its rows).
"""

from __future__ import annotations

import codecs
import csv
import json
import os
import re
import stat
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from .decode import max_bytes, too_big

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
    read = bad = 0
    while True:
        try:
            n, rec, problem = next(raw)
        except StopIteration:
            return
        except (OSError, ValueError, UnicodeDecodeError) as e:  # unreadable from here on
            yield Record(name, None, problem=f"cannot be read as {fmt}: {e}")
            return
        where = f"{name}#{n}"
        record = Record(where, None, problem=problem) if problem is not None else _record(rec, where, fields)
        yield record
        if record.text is not None:
            read += 1
        elif not read and (bad := bad + 1) >= NOT_A_COLLECTION:
            # /dev/urandom, a binary file: an endless run of bad records, never one good
            yield Record(name, None, problem=f"its first {bad} records are all unreadable, so it is no {fmt} "
                                             f"collection; the rest is not read")
            return


#: Bad records in a row, with no good one before them, after which a file is taken for no collection at all.
NOT_A_COLLECTION = 100


def _record(rec: dict[str, Any], where: str, fields: Fields) -> Record:
    text, page = _first(rec, fields.text), _first(rec, fields.html)
    ident = _first(rec, fields.source)
    source = str(ident) if ident not in (None, "") else where
    html = isinstance(page, str) and (fields.prefer_html or not isinstance(text, str))
    if html:
        text = page
    if not isinstance(text, str):
        empty = [k for k in fields.text + fields.html if isinstance(rec.get(k), str)]
        why = f"the field {empty[0]} is empty" if empty else f"no text in the field(s) {', '.join(fields.text + fields.html)}"
        return Record(source, None, problem=f"{where}: {why}")
    bad = next(((k, v) for k, v in rec.items() if isinstance(v, str) and _INVALID.search(v)), None)
    if bad is not None:
        at = _INVALID.search(bad[1]).start()
        return Record(source, None, problem=f"{where}: its field {bad[0]} holds a byte that is not UTF-8 or a lone "
                                            f"surrogate (character {at + 1}), so it is not text")
    date, url, tag = _first(rec, fields.published), _first(rec, fields.url), _first(rec, fields.locale)
    return Record(source, text, None if date in (None, "") else str(date), format="html" if html else "text",
                  url=url if isinstance(url, str) and url else None,
                  locale_tag=tag.strip() if isinstance(tag, str) and tag.strip() else None)


#: A lone surrogate: a JSON `\ud800` escape, or a byte that is not UTF-8 (read as a surrogate escape).
_INVALID = re.compile("[\ud800-\udfff]")


def _first(rec: dict[str, Any], names: tuple[str, ...]) -> Any:
    """The first of the fields that holds something (an empty or blank string holds nothing)."""
    for k in names:
        v = rec.get(k)
        if v is not None and not (isinstance(v, str) and not v.strip()):
            return v
    return None


def parquet_records(path: Path) -> Iterator[RawRecord]:
    """A Parquet collection a row group at a time: a group that cannot be
    read costs its own rows (each named), not the groups after it."""
    import pyarrow.parquet as pq  # only for Parquet collections

    pf = pq.ParquetFile(path)
    n = 0
    for group in range(pf.num_row_groups):
        size = pf.metadata.row_group(group).num_rows
        try:
            rows = pf.read_row_group(group).to_pylist()
        except (OSError, ValueError, ArithmeticError) as e:  # pyarrow's errors are OSError and ValueError kinds
            for _ in range(size):
                n += 1
                yield n, None, f"in row group {group + 1}, which cannot be read ({type(e).__name__}: {' '.join(str(e).split())})"
            continue
        for rec in rows:
            n += 1
            yield n, rec, None


@contextmanager
def open_text(path: Path) -> Iterator[IO[str]]:
    """A text collection's lines, for a format's own reader: the file's, or
    standard input's for `-` (UTF-8, a BOM dropped)."""
    if str(path) == "-":
        if sys.stdin is None:
            raise OSError("standard input is closed")
        yield sys.stdin
        return
    with open(path, encoding="utf-8-sig", newline="") as fh:
        yield fh


@contextmanager
def open_bytes(path: Path) -> Iterator[IO[bytes]]:
    """A text collection's bytes: the file's, or standard input's for `-`."""
    if str(path) == "-":
        stream = getattr(sys.stdin, "buffer", None)
        if stream is None:
            raise OSError("standard input is closed")
        yield stream
        return
    with open(path, "rb") as fh:
        yield fh


def _lines(fh: IO[bytes], first: bool = True) -> Iterator[str | None]:
    """The lines, each decoded alone (a bad byte stays in its own line, as a
    surrogate escape that _record refuses); a UTF-8 BOM first is dropped.
    A line longer than max_bytes() is None: a file's is passed over, while a
    device or pipe (/dev/zero) is read no further."""
    limit = max_bytes()
    regular = _regular(fh)
    while True:
        raw = fh.readline(limit + 1)
        if not raw:
            return
        if len(raw) > limit and not raw.endswith(b"\n"):
            yield None
            if not regular:
                return
            while (rest := fh.readline(1 << 20)) and not rest.endswith(b"\n"):
                pass
            continue
        if first:
            raw = raw.removeprefix(codecs.BOM_UTF8)
            first = False
        yield raw.decode("utf-8", "surrogateescape")


def _regular(fh: IO[bytes]) -> bool:
    try:
        return stat.S_ISREG(os.fstat(fh.fileno()).st_mode)
    except (AttributeError, OSError, ValueError):
        return False


#: What a record longer than the limit is told.
def _too_long() -> str:
    return f"a record {too_big(max_bytes())[3:]}"


def jsonl_records(path: Path) -> Iterator[RawRecord]:
    with open_bytes(path) as fh:
        for n, line in enumerate(_lines(fh), 1):
            if line is None:
                yield n, None, _too_long()
                continue
            if not line.strip():
                continue
            try:
                rec = json.loads(line, object_pairs_hook=_no_repeats)
            except _Repeated as e:
                yield n, None, str(e)
                continue
            except json.JSONDecodeError as e:
                yield n, None, f"not JSON ({e.msg})"
                continue
            if not isinstance(rec, dict):
                yield n, None, "not a JSON object"
                continue
            yield n, rec, None


class _Repeated(ValueError):
    pass


def _no_repeats(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """A JSON object; a field named twice would leave one of them unread without a word."""
    out: dict[str, Any] = {}
    for k, v in pairs:
        if k in out:
            raise _Repeated(f"the field {k} is given twice, so which is meant cannot be told")
        out[k] = v
    return out


def csv_records(path: Path) -> Iterator[RawRecord]:
    """A CSV collection, record by record, strictly: a record that is not
    well-formed CSV (an unterminated or stray quote) or has more fields than
    the header is skipped by its line, and reading starts again on the line
    after it, so the records it would have swallowed are read."""
    csv.field_size_limit(sys.maxsize)  # an article is a long field
    with open_bytes(path) as fh:
        if not fh.seekable():  # standard input: kept in a temporary file, to read on after a bad record
            spool = tempfile.TemporaryFile()
            _copy_lines(fh, spool)
            spool.seek(0)
            with spool:
                yield from _csv_rows(spool)
        else:
            yield from _csv_rows(fh)


def _csv_rows(fh: IO[bytes]) -> Iterator[RawRecord]:
    ends: list[int] = []  # where each line read for the current record ends (bytes)
    number = 0  # lines read so far

    def lines(start_line: int) -> Iterator[str]:
        nonlocal number
        number = start_line
        for line in _lines(fh, first=start_line == 0):
            number += 1
            ends.append(fh.tell())
            if line is None:
                raise _TooLong(_too_long())
            yield line

    reader = csv.reader(lines(0), strict=True)
    try:
        header = next(reader)
    except StopIteration:
        return
    except csv.Error as e:
        raise ValueError(f"its header line is not CSV ({e})") from None
    twice = sorted({h for h in header if header.count(h) > 1})
    if twice:
        raise ValueError(f"the column {twice[0]} is named twice in its header, so which is meant cannot be told; "
                         f"rename one")
    while True:
        ends.clear()
        first = number + 1
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as e:
            yield first, None, f"not well-formed CSV ({e}); read on from the line after it"
            fh.seek(ends[0] if ends else fh.tell())
            reader = csv.reader(lines(first), strict=True)
            continue
        except _TooLong:
            yield first, None, _too_long()
            reader = csv.reader(lines(number), strict=True)  # on from the line after the long one
            continue
        if not row:
            continue
        if len(row) > len(header):
            yield first, None, (f"{len(row)} fields where the header has {len(header)} (a quote left open "
                                f"joins records); read on from the line after it")
            if number > first:
                fh.seek(ends[0])
                reader = csv.reader(lines(first), strict=True)
            continue
        yield first, dict(zip(header, row + [None] * (len(header) - len(row)))), None


def _copy_lines(source: IO[bytes], to: IO[bytes]) -> None:
    """Copy a stream, but stop inside a line longer than max_bytes() (/dev/zero never ends one)."""
    limit, run = max_bytes(), 0
    while chunk := source.read(1 << 20):
        to.write(chunk)
        nl = chunk.rfind(b"\n")
        run = len(chunk) - nl - 1 if nl >= 0 else run + len(chunk)
        if run > limit:
            return


class _TooLong(ValueError):
    """A CSV line longer than max_bytes()."""
