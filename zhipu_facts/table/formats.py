"""The file formats of a fact table, by extension: one table for writers and readers."""

from __future__ import annotations

from pathlib import Path

FORMATS = ("csv", "jsonl", "json", "parquet")
EXTENSIONS = {".csv": "csv", ".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "json",
              ".parquet": "parquet", ".pq": "parquet"}


def format_of(path: Path) -> str | None:
    """The format a file's extension names, or None."""
    return EXTENSIONS.get(Path(path).suffix.lower())


def format_for(path: Path | None, explicit: str | None) -> str:
    """The format to write: the one asked for, else the extension's, else CSV (stdout)."""
    fmt = format_of(path) if path is not None else None
    if explicit:
        if fmt is not None and fmt != explicit:
            raise ValueError(f"--format {explicit} contradicts the extension of {path} ({fmt}); drop one of them")
        return explicit
    if path is None:
        return "csv"
    if fmt is None:
        raise ValueError(f"cannot tell the format of {path} from its extension; use --format csv|jsonl|parquet")
    return fmt
