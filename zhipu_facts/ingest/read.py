"""Stage 1: find the articles and read them: files (their format decodes
them: ingest/formats.py), standard input, and the records of collections.

`find_files` lists what the paths name; `inputs` turns that list into one
input per article (a collection's records are read here, one at a time);
`read_input` reads an input's text where it is processed (a worker reads
its own files).
"""

from __future__ import annotations

import hashlib
import os
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from .collections import Fields, Record, read_records
from .decode import SkipFile, line_breaks, read_bounded
from .formats import format_of_file, found_in_folders, input_format


@dataclass
class Document:
    source: str
    path: Path | None  # None: a collection's record
    text: str  # the decoded source: every offset in the fact table refers to it
    sha256: str
    format: str = "text"  # the input format that read it (a page's: only its article is read)
    date_field: str | None = None  # a record's own date, as written
    url: str | None = None  # where a record says the article was found
    locale_tag: str | None = None  # a record's locale or lang field, as written
    warning: str | None = None  # about its reading (a short text whose encoding is a guess)

    @property
    def page(self) -> bool:
        return input_format(self.format).kind == "page"


@dataclass
class FileInput:
    """An article file, read where it is processed; standard input's bytes are read at once."""

    source: str  # path relative to the argument it was found under, '/'-separated
    path: Path
    format: str
    raw: bytes | None = None  # standard input's


#: One article to read: a file, or a collection's record (read already).
Input = FileInput | Record


class InputError(Exception):
    """The paths given cannot be read as one corpus; nothing was read yet."""


class MissingPath(InputError):
    """A path given on the command line does not exist."""


class SourceClash(InputError):
    """Two inputs would get the same `source` name."""


def _walk(folder: Path) -> list[Path]:
    """The regular files below a folder, and the folders below it that cannot
    be listed (read_document skips those with their reason). An explicit
    stack: Path.rglob recurses and raised RecursionError on folders nested
    ~1,000 deep.

    A symlinked folder is read once: after the real folders, under the
    link's name unless its target was read already (under its own name, or
    through an earlier link), so a link back up the tree is no loop. A
    symlink that cannot be followed (a loop, a dangling link with an
    article's name) is listed, and read_document names why it cannot be read.
    """
    out: list[Path] = []
    seen: set[tuple[int, int]] = set()
    links: list[Path] = []
    stack = [folder]
    while stack or links:
        if not stack:
            here = links.pop(0)
            try:
                st = here.stat()
            except OSError:
                out.append(here)  # a link that cannot be followed: named when it is read
                continue
            if (st.st_dev, st.st_ino) in seen:
                continue
            stack.append(here)
            continue
        here = stack.pop()
        try:
            st = here.stat()
            seen.add((st.st_dev, st.st_ino))
            entries = sorted(os.scandir(here), key=lambda e: e.name)
        except OSError:
            out.append(here)
            continue
        for e in reversed(entries):  # popped in name order
            try:
                if e.is_dir(follow_symlinks=False):
                    stack.append(Path(e.path))
                elif e.is_symlink() and e.is_dir():
                    links.append(Path(e.path))
                elif e.is_file():
                    out.append(Path(e.path))
            except OSError:  # ELOOP: a symlink to itself
                out.append(Path(e.path))
        links.sort()
    return out


def readable_name(name: str) -> str:
    """A file name as text: names that are not UTF-8 come from the file system
    as surrogate escapes, which no writer can encode; read them as GB18030
    (or Big5) when they are valid, else replace the bytes that are not."""
    if not any("\udc80" <= ch <= "\udcff" for ch in name):
        return name
    raw = os.fsencode(name)
    for encoding in ("gb18030", "big5"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            pass
    return raw.decode("utf-8", "replace")


def find_files(paths: list[Path]) -> list[tuple[Path, str]]:
    """Every article file under the given paths, with its ``source`` name.

    Files named explicitly come in the order given, each folder's files in
    sorted order. ``source`` is the path relative to the folder named (a file
    named directly: its name), so moving the corpus changes no source; two
    inputs that would share one are a SourceClash before anything is read.
    """
    found: list[tuple[Path, str]] = []
    for p in paths:
        p = Path(p)
        if str(p) == "-":  # standard input: one article, or a collection with --input-format
            found.append((p, "-"))
            continue
        if not p.exists():
            raise MissingPath(f"no such file or folder: {p}")
        if p.is_file():
            found.append((p, readable_name(p.name)))
            continue
        if not p.is_dir():
            # A FIFO, /dev/stdin, a device: read as a stream, once (a folder's own FIFOs are never opened).
            found.append((p, readable_name(p.name)))
            continue
        walked = _walk(p)
        unlisted = {f for f in walked if f.is_dir()}
        if walked == [p]:  # the named folder itself cannot be listed
            found.append((p, readable_name(p.as_posix().rstrip("/") + "/")))
            continue
        files = sorted(f for f in walked if f in unlisted or found_in_folders(f))
        # An unlisted folder keeps its place as `name/`, so the run skips it by name and exits 1.
        found.extend((f, readable_name(f.relative_to(p).as_posix() + ("/" if f in unlisted else "")))
                     for f in files)
    first: dict[str, Path] = {}
    for path, source in found:
        if source in first and first[source].resolve() != path.resolve():
            raise SourceClash(f"{first[source]} and {path} would both be named {source!r} in the fact table; "
                              f"name a folder that holds both instead")
        first.setdefault(source, path)
    return found


def inputs(files: Iterable[tuple[Path, str]], input_format: str | None = None,
           fields: Fields | None = None) -> Iterator[Input]:
    """One Input per article of the files `find_files` lists: a file's
    format is `input_format`, else its extension's; a collection gives its
    records, read here, one at a time; `-` is standard input."""
    for path, source in files:
        stdin = str(path) == "-"
        fmt = format_of_file(path, input_format)
        if fmt.kind == "collection" and (stdin or not path.is_dir()):
            yield from read_records(path, fmt.name, fmt.read, source, fields or Fields())
        elif fmt.kind == "collection":  # a folder that could not be listed, named like a collection
            yield FileInput(source, path, "text")
        elif stdin:
            try:
                yield FileInput(source, path, fmt.name, _standard_input())
            except SkipFile as e:
                yield Record(source, None, problem=str(e))
        else:
            yield FileInput(source, path, fmt.name)


def _standard_input() -> bytes:
    """Standard input's bytes (bounded as a file's are); SkipFile when it is closed."""
    stream = getattr(sys.stdin, "buffer", None)
    if stream is None:
        raise SkipFile("standard input is closed (nothing to read from -)")
    return read_bounded(stream)


def read_input(item: Input) -> Document:
    """An input's text; SkipFile says why it has none."""
    if isinstance(item, Record):
        if item.text is None:
            raise SkipFile(item.problem)
        sha = hashlib.sha256(item.text.encode("utf-8")).hexdigest()
        return Document(item.source, None, line_breaks(item.text), sha, item.format, item.published, item.url, item.locale_tag)
    if item.raw is not None:
        return _document(item.raw, item.source, item.path, item.format)
    return read_document(item.path, item.source, item.format)


def read_document(path: Path, source: str, fmt: str = "text") -> Document:
    """A file read in format `fmt` (an article's or a page's)."""
    if path.is_dir():  # a folder find_files could not list
        try:
            os.scandir(path).close()
        except OSError as e:
            raise SkipFile(f"cannot list this folder, so its articles are not read: {e.strerror or e}") from e
        raise SkipFile("this folder could not be listed when the run began; run again to read it")
    try:
        with open(path, "rb") as fh:
            raw = read_bounded(fh)
    except OSError as e:
        raise SkipFile(f"cannot read: {e.strerror or e}") from e
    return _document(raw, source, path, fmt)


def _document(raw: bytes, source: str, path: Path, fmt: str) -> Document:
    reader = input_format(fmt)
    text = reader.read(raw)
    warning = reader.doubt(raw) if reader.doubt is not None else None
    return Document(source, path, text, hashlib.sha256(raw).hexdigest(), fmt, warning=warning)
