"""The input formats, each declared once: its name (for --input-format), the
extensions it is known by, a few words of help, and its reader.

Three kinds: an `article` file is one text (its reader decodes the bytes),
a `page` is a web page of which only the article is read (ingest/html.py;
offsets index the HTML), a `collection` holds one article per record (its
reader yields records: ingest/collections.py). Folders are searched for
articles and pages; collections are read when named directly (a folder may
hold fact tables). A new format is one `register_input` call: find_files,
--input-format, its help text and the readers all look here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from .collections import RawRecord, csv_records, jsonl_records, parquet_records
from .decode import decode, doubt
from .html import decode_page, page_doubt

@dataclass(frozen=True)
class InputFormat:
    name: str
    suffixes: tuple[str, ...]  # lower case, with the dot
    help: str  # shown after the name in --input-format's help ("" where the name says it all)
    kind: Literal["article", "page", "collection"]
    #: article, page: the file's bytes -> its text (SkipFile: why it cannot be read);
    #: collection: the file (Path("-"): standard input) -> its records, streamed.
    read: Callable[[bytes], str] | Callable[[Path], Iterator[RawRecord]]
    #: article, page: a warning about how the bytes were read (an encoding guessed, a charset not believed).
    doubt: Callable[[bytes], str | None] | None = None


def _text(raw: bytes) -> str:
    return decode(raw)[0]


INPUT_FORMATS: dict[str, InputFormat] = {}


def register_input(fmt: InputFormat) -> InputFormat:
    """Add a format (or replace the one of its name); returns it."""
    INPUT_FORMATS[fmt.name] = fmt
    return fmt


TEXT = register_input(InputFormat("text", (".txt", ".md", ".markdown"), "", "article", _text, doubt))
register_input(InputFormat("html", (".html", ".htm", ".shtml", ".xhtml"), "a web page: its article", "page",
                           decode_page, page_doubt))
register_input(InputFormat("jsonl", (".jsonl", ".ndjson"), "", "collection", jsonl_records))
register_input(InputFormat("csv", (".csv",), "", "collection", csv_records))
register_input(InputFormat("parquet", (".parquet", ".pq"), "", "collection", parquet_records))


def input_format(name: str) -> InputFormat:
    """The format of that name; ValueError names the known ones."""
    try:
        return INPUT_FORMATS[name]
    except KeyError:
        raise ValueError(f"{name!r}; choose one of {', '.join(INPUT_FORMATS)}") from None


def format_of_file(path: Path, explicit: str | None = None) -> InputFormat:
    """How a file is read: as `explicit` says, else by its extension, else as text."""
    if explicit is not None:
        return input_format(explicit)
    suffix = path.suffix.lower()
    return next((f for f in INPUT_FORMATS.values() if suffix in f.suffixes), TEXT)


def found_in_folders(path: Path) -> bool:
    """Whether a folder's file is read: an article or a page, by its extension."""
    suffix = path.suffix.lower()
    return any(suffix in f.suffixes for f in INPUT_FORMATS.values() if f.kind != "collection")


def _of_kind(*kinds: str) -> list[InputFormat]:
    return [f for f in INPUT_FORMATS.values() if f.kind in kinds]


def _named(formats: list[InputFormat]) -> str:
    return ", ".join(f"{f.name} ({f.help})" if f.help else f.name for f in formats)


def paths_help() -> str:
    """extract's PATHS help, from the formats."""
    articles = ", ".join(f"*{s}" for f in _of_kind("article") for s in f.suffixes)
    pages = " ".join(f"*{s}" for f in _of_kind("page") for s in f.suffixes)
    collections = ", ".join(f"*{s}" for f in _of_kind("collection") for s in f.suffixes)
    return (f"Article files or folders ({articles}, web pages {pages}, recursively), collections named directly "
            f"({collections}: one article per record), or - for standard input.")


def input_format_help() -> str:
    """--input-format's help, from the formats."""
    return (f"How to read the files named (and -): {_named(_of_kind('article', 'page'))}, or a collection of one "
            f"article per record: {_named(_of_kind('collection'))} (default: by extension).")
