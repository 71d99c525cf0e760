"""The file formats of a fact table, by extension: one table for writers and readers."""

from __future__ import annotations

from pathlib import Path

FORMATS = ("csv", "excel", "jsonl", "json", "parquet")  # excel: CSV with a byte-order mark
EXTENSIONS = {".csv": "csv", ".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "json",
              ".parquet": "parquet", ".pq": "parquet"}


def format_of(path: Path) -> str | None:
    """The format a file's extension names, or None."""
    return EXTENSIONS.get(Path(path).suffix.lower())


def format_for(path: Path | None, explicit: str | None, excel: bool = False) -> str:
    """The format to write: the one asked for, else the extension's, else CSV
    (stdout); with `excel`, CSV becomes CSV for Excel (a byte-order mark first)."""
    fmt = _format_for(path, explicit)
    return "excel" if excel and fmt == "csv" else fmt


def _format_for(path: Path | None, explicit: str | None) -> str:
    fmt = format_of(path) if path is not None else None
    if explicit:
        if fmt is not None and fmt != explicit and not (explicit == "excel" and fmt == "csv"):
            raise ValueError(f"--format {explicit} contradicts the extension of {path} ({fmt}); drop one of them")
        return explicit
    if path is None:
        return "csv"
    if fmt is None:
        raise ValueError(f"cannot tell the format of {path} from its extension; use --format csv|jsonl|parquet")
    return fmt
