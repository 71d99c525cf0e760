"""The fact table's file formats, each declared once: its name (for
--format), extensions, a few words of help, its writer and its reader.

`write_table`, `compare`, `diff` and `report` write through `open_writer`,
`read_facts` reads through `reader_of`, and the CLI's --format choices and
help come from here. A new format is one `register_output` call.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING

from . import readers
from .schema import SCHEMA, TableSchema
from .write import STDOUT, CsvWriter, ExcelCsvWriter, JsonlWriter, JsonWriter, ParquetWriter, Writer

if TYPE_CHECKING:
    import pandas as pd


@dataclass(frozen=True)
class OutputFormat:
    name: str
    extensions: tuple[str, ...]  # lower case, with the dot; () for a variant chosen by name only
    help: str
    writer: Callable[[Path | None, IO[str] | None, TableSchema], Writer] | None  # (path, stream, schema)
    reader: Callable[[Path], pd.DataFrame] | None  # a file -> its rows (table/read.py conforms them)
    variant_of: str | None = None  # excel: CSV, so -o x.csv --format excel agree
    #: A folder of files of this format (a cluster's part-NNNNN files): read as one table, written by cluster.py.
    parts_of: str | None = None


OUTPUT_FORMATS: dict[str, OutputFormat] = {}


def register_output(fmt: OutputFormat) -> OutputFormat:
    """Add a format (or replace the one of its name); returns it."""
    OUTPUT_FORMATS[fmt.name] = fmt
    return fmt


register_output(OutputFormat("csv", (".csv",), "CSV, text cells guarded against spreadsheet formulas",
                             CsvWriter, readers.read_csv))
register_output(OutputFormat("excel", (), "CSV for Excel: a UTF-8 byte-order mark first", ExcelCsvWriter,
                             None, variant_of="csv"))  # read back as the .csv it is
register_output(OutputFormat("jsonl", (".jsonl", ".ndjson"), "JSON Lines, a row object per line", JsonlWriter,
                             readers.read_jsonl))
register_output(OutputFormat("json", (".json",), "one JSON array of row objects", JsonWriter, readers.read_json))
register_output(OutputFormat("parquet", (".parquet", ".pq"), "Parquet (zstd)", ParquetWriter,
                             readers.read_parquet))
PARTS = register_output(OutputFormat("parts", (), "a folder of Parquet parts, one per batch (extract --dask)",
                                     None, None, parts_of="parquet"))


def choices() -> list[str]:
    """What --format takes: the formats a run writes itself."""
    return [f.name for f in OUTPUT_FORMATS.values() if f.writer is not None]


def format_help() -> str:
    """--format's list of names: `csv, excel, jsonl, json or parquet`."""
    names = choices()
    return f"{', '.join(names[:-1])} or {names[-1]}" if len(names) > 1 else names[0]


def check_choice(name: str | None) -> None:
    """ValueError for a --format that names no format a run writes."""
    if name is not None and name not in choices():
        raise ValueError(f"{name!r}; choose one of {', '.join(choices())}")


def format_of(path: Path) -> str | None:
    """The format a file's extension names, or None."""
    suffix = Path(path).suffix.lower()
    return next((f.name for f in OUTPUT_FORMATS.values() if suffix in f.extensions), None)


def format_for(path: Path | None, explicit: str | None, excel: bool = False) -> str:
    """The format to write: the one asked for, else the extension's, else CSV
    (stdout); with `excel`, CSV becomes CSV for Excel (a byte-order mark first)."""
    fmt = _format_for(path, explicit)
    variant = next((f.name for f in OUTPUT_FORMATS.values() if f.variant_of == fmt), None)
    return variant if excel and variant is not None else fmt


def _format_for(path: Path | None, explicit: str | None) -> str:
    if path is not None and str(path) == STDOUT:
        path = None  # -o -: standard output, CSV unless --format says otherwise
    fmt = format_of(path) if path is not None else None
    check_choice(explicit)
    if explicit:
        if fmt is not None and fmt != explicit and OUTPUT_FORMATS[explicit].variant_of != fmt:
            raise ValueError(f"--format {explicit} contradicts the extension of {path} ({fmt}); drop one of them")
        return explicit
    if path is None:
        return "csv"
    if fmt is None:
        raise ValueError(f"cannot tell the format of {path} from its extension; "
                         f"use --format {'|'.join(choices())}")
    return fmt


def open_writer(path: Path | None, fmt: str, stream: IO[str] | None = None, schema: TableSchema = SCHEMA) -> Writer:
    writer = OUTPUT_FORMATS[fmt].writer
    assert writer is not None, f"{fmt} is not written by a run"
    return writer(path, stream if path is None else None, schema)


def reader_of(path: Path) -> Callable[[Path], pd.DataFrame] | None:
    """The reader of a file's format, by its extension."""
    fmt = format_of(path)
    return OUTPUT_FORMATS[fmt].reader if fmt is not None else None


def readable() -> str:
    """The extensions a fact table is read from, for messages."""
    return ", ".join(e for f in OUTPUT_FORMATS.values() if f.reader is not None for e in f.extensions)


def writable() -> str:
    """The extensions a fact table is written to, for help."""
    return ", ".join(e for f in OUTPUT_FORMATS.values() if f.writer is not None for e in f.extensions)


def tables_help() -> str:
    """The help of a command's fact-table arguments."""
    return f"Fact tables ({readable()}, or folders of {OUTPUT_FORMATS[PARTS.parts_of].extensions[0]})."
