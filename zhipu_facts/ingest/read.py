"""Stage 1: find the article files and read them (ingest/decode.py decodes
a text file's bytes, ingest/html.py a web page's)."""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from .decode import SkipFile, decode
from .html import decode_page


#: Web pages, read by ingest/html.py (only the article; offsets index the HTML).
PAGE_SUFFIXES = (".html", ".htm", ".shtml", ".xhtml")
SUFFIXES = (".txt", ".md", ".markdown", *PAGE_SUFFIXES)


@dataclass
class Document:
    source: str  # path relative to the argument it was found under, '/'-separated
    path: Path
    text: str  # the decoded source: every offset in the fact table refers to it
    sha256: str
    html: bool = False  # a web page: only its article is read


def is_page(path: Path, input_format: str | None = None) -> bool:
    """Whether a file is read as a web page: by --input-format, else its extension."""
    return input_format == "html" if input_format is not None else path.suffix.lower() in PAGE_SUFFIXES


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
    ~1,000 deep."""
    out: list[Path] = []
    stack = [folder]
    while stack:
        here = stack.pop()
        try:
            entries = list(os.scandir(here))
        except OSError:
            out.append(here)
            continue
        for e in entries:
            if e.is_dir(follow_symlinks=False):
                stack.append(Path(e.path))
            elif e.is_file():
                out.append(Path(e.path))
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
        files = sorted(f for f in walked if f in unlisted or f.suffix.lower() in SUFFIXES)
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


def read_document(path: Path, source: str, html: bool = False) -> Document:
    if path.is_dir():  # a folder find_files could not list
        try:
            os.scandir(path).close()
        except OSError as e:
            raise SkipFile(f"cannot list this folder, so its articles are not read: {e.strerror or e}") from e
        raise SkipFile("this folder could not be listed when the run began; run again to read it")
    try:
        raw = path.read_bytes()
    except OSError as e:
        raise SkipFile(f"cannot read: {e.strerror or e}") from e
    return Document(source, path, decode_text(raw, html), hashlib.sha256(raw).hexdigest(), html)


def decode_text(raw: bytes, html: bool = False) -> str:
    """An article file's text; a page's by the HTML rules (ingest/html.py)."""
    if html:
        return decode_page(raw)
    return decode(raw)[0]
