"""Stage 6: write fact rows as CSV, JSON Lines, JSON or Parquet, atomically
(table/formats.py declares which writer writes which format).

Rows arrive in batches (one article at a time) and are written as they come,
so memory does not grow with the number of files. Each file is written under
a temporary name beside the target and renamed at the end: an interrupted run
never leaves half a file.
"""

from __future__ import annotations

import csv
import errno
import io
import json
import os
import re
import sys
import tempfile
from operator import itemgetter
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from .schema import SCHEMA, TableSchema, format_float, to_text

if TYPE_CHECKING:
    import pyarrow as pa


class ClosedStream(io.TextIOBase):
    """Standing in for a standard stream the shell closed (`zfacts ... >&-`,
    where Python sets sys.stdout to None): not a terminal, and writing to it
    is an OSError that names it, which the command reports as an error."""

    def __init__(self, name: str):
        self.name = name

    def isatty(self) -> bool:
        return False

    def write(self, s: str) -> int:
        raise OSError(errno.EBADF, f"standard {self.name} is closed; give -o FILE")

    def fileno(self) -> int:
        raise OSError(errno.EBADF, f"standard {self.name} is closed")


def guard_standard_streams() -> None:
    """A closed standard output (None) becomes a ClosedStream; a closed
    standard error the null device: warnings have nowhere to go, and the
    exit status still tells."""
    if sys.stdout is None:
        sys.stdout = ClosedStream("output")
    if sys.stderr is None:
        sys.stderr = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115 - for the life of the process


#: The output name that means standard output (`-o -`).
STDOUT = "-"


class Writer:
    """Base: open a temporary file beside the target; commit renames it.

    A symlink is followed (the file it points to is replaced, the link
    stays); a target that exists and is not a regular file (/dev/null, a
    FIFO) is written to directly, never replaced. A new file gets the mode
    the umask allows, like any other tool's output; missing folders are
    created.
    """

    def __init__(self, path: Path | None, stream: IO[str] | None = None, schema: TableSchema = SCHEMA):
        self.schema = schema
        self.columns = schema.names
        self.cells = itemgetter(*self.columns)  # a row's cells in column order, in one call
        self.tmp: str | None = None
        self.file: str | None = None  # where the format writes: the temporary file, or the target itself
        if path is not None and str(path) == STDOUT:  # -o -: standard output, like no -o
            path, stream = None, sys.stdout
        if path is not None:
            path = Path(os.path.realpath(path))
            if path.exists() and not path.is_file():
                self.file = str(path)
            else:
                path.parent.mkdir(parents=True, exist_ok=True)
                sweep_stale(path.parent)
                fd, self.tmp = tempfile.mkstemp(prefix=_temporary_prefix(path.name), suffix=".tmp", dir=path.parent)
                os.close(fd)
                os.chmod(self.tmp, 0o666 & ~_umask())
                self.file = self.tmp
        self.path = path
        self.stream = stream
        self.rows = 0

    def write(self, rows: list[dict[str, Any]]) -> None:
        raise NotImplementedError

    def _finish(self) -> None:
        """Flush and close the format's own handle."""

    def commit(self) -> None:
        self._finish()
        if self.tmp is not None:
            os.replace(self.tmp, self.path)
            self.tmp = None

    def abort(self) -> None:
        try:
            self._finish()
        finally:
            if self.tmp is not None and os.path.exists(self.tmp):
                os.unlink(self.tmp)
            self.tmp = None


#: A temporary output's name: `.NAME.zfHOST-PID-XXXXXXXX.tmp`, NAME cut so
#: the whole stays within the 255 bytes a file name may have (a legal name
#: of 249 characters made a temporary name too long to create).
_STALE = re.compile(r"\..*\.zf(?P<host>[0-9a-f]{6})-(?P<pid>\d+)-[A-Za-z0-9_]{8}\.tmp", re.DOTALL)
NAME_ROOM = 255 - 40
#: A temporary file of ours older than this is stale whoever made it (another machine on a shared disk).
STALE_AFTER = 7 * 24 * 3600


def _host() -> str:
    import hashlib
    import socket

    return hashlib.sha256(socket.gethostname().encode()).hexdigest()[:6]


def _temporary_prefix(name: str) -> str:
    cut = name.encode("utf-8")[:NAME_ROOM].decode("utf-8", "ignore")
    return f".{cut}.zf{_host()}-{os.getpid()}-"


def sweep_stale(folder: Path) -> None:
    """Remove temporary outputs of ours that a killed run left (SIGKILL
    leaves no chance to clean up): those of a process of this machine that
    is gone, and any older than STALE_AFTER. Nothing else is touched."""
    import time

    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    host, now = _host(), time.time()
    for e in entries:
        m = _STALE.fullmatch(e.name)
        if m is None or not e.is_file(follow_symlinks=False):
            continue
        try:
            old = now - e.stat(follow_symlinks=False).st_mtime > STALE_AFTER
            if old or (m["host"] == host and not _alive(int(m["pid"]))):
                os.unlink(e.path)
        except OSError:
            continue  # another run removed it, or it is not ours to remove


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # someone else's process
    return True


def commit_all(writers: list[Writer]) -> None:
    """Commit several outputs all or none: every temporary file is completed
    first; then each target is replaced, its previous file kept aside (a hard
    link) until all are; if one replacement fails, those already made are
    undone, so the outputs hold either this run's tables or their old ones."""
    for w in writers:
        w._finish()
    done: list[tuple[Writer, str | None]] = []
    try:
        for w in writers:
            if w.tmp is None:
                continue
            done.append((w, _keep_aside(w.path)))
            os.replace(w.tmp, w.path)
            w.tmp = None
    except BaseException:
        for w, aside in reversed(done):
            try:
                if w.tmp is None:  # replaced: the old one goes back (or the new one goes, if none was there)
                    if aside is not None:
                        os.replace(aside, w.path)
                    else:
                        os.unlink(w.path)
                elif aside is not None:
                    os.unlink(aside)
            except OSError:
                pass  # what cannot be put back stays as it is; the error below is the one to report
        raise
    for _, aside in done:
        if aside is not None:
            try:
                os.unlink(aside)
            except OSError:
                pass


def _keep_aside(path: Path) -> str | None:
    """A hard link to the target's current file (None when there is none)."""
    if not path.exists():
        return None
    for _ in range(100):
        aside = tempfile.mktemp(prefix=_temporary_prefix(path.name), suffix=".tmp", dir=path.parent)  # noqa: S306
        try:
            os.link(path, aside)
            return aside
        except FileExistsError:
            continue
        except OSError:  # a filesystem without hard links: a copy, into a file of our own
            import shutil

            fd, aside = tempfile.mkstemp(prefix=_temporary_prefix(path.name), suffix=".tmp", dir=path.parent)
            os.close(fd)
            shutil.copy2(path, aside)
            return aside
    raise FileExistsError(f"no free temporary name beside {path}")


class TextWriter(Writer):
    """A text format: writes to its file, or to a stream (stdout)."""

    def __init__(self, path: Path | None, stream: IO[str] | None = None, schema: TableSchema = SCHEMA):
        super().__init__(path, stream, schema)
        self.handle = open(self.file, "w", encoding="utf-8", newline="") if self.file else self.stream

    def _finish(self):
        if self.handle is None or self.handle.closed:
            return
        if self.file:
            self.handle.close()
        else:
            self.handle.flush()


#: A spreadsheet runs a cell that starts with one of these as a formula (OWASP
#: "CSV injection"), so such a text cell is written with a `'` before it. A
#: cell that starts with `'` gets one too, so that reading strips exactly one.
FORMULA_START = frozenset("=+-@\t\r'")
#: ... except a plain number (-90, +3.5, -8%): a spreadsheet reads it as a number, never a formula.
_PLAIN_NUMBER = re.compile(r"[-+]?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?%?")


class CsvWriter(TextWriter):
    """CSV with text cells guarded against formula injection (FORMULA_START);
    numbers stay numbers, so a negative amount is still -80000000."""

    BOM = False

    def __init__(self, path: Path | None, stream: IO[str] | None = None, schema: TableSchema = SCHEMA):
        super().__init__(path, stream, schema)
        if self.BOM:
            self.handle.write("\ufeff")
        self.csv = csv.writer(self.handle, lineterminator="\n")
        self.csv.writerow(self.columns)
        # The csv module writes None as an empty cell and str() of ints and
        # dates is what to_text gives; only floats need formatting.
        self.float_at = [i for i, c in enumerate(schema.columns) if c.type == "float64"]
        self.text_at = [i for i, c in enumerate(schema.columns) if c.type == "string"]

    def write(self, rows):
        cells_of, float_at, text_at, risky = self.cells, self.float_at, self.text_at, FORMULA_START
        out = []
        for r in rows:
            cells = list(cells_of(r))
            for i in float_at:
                if cells[i] is not None:
                    cells[i] = format_float(cells[i])
            for i in text_at:
                cell = cells[i]
                if cell and cell[0] in risky and not _PLAIN_NUMBER.fullmatch(cell):
                    cells[i] = "'" + cell
            out.append(cells)
        self.csv.writerows(out)
        self.rows += len(rows)


class ExcelCsvWriter(CsvWriter):
    """CSV that Excel opens right: a UTF-8 byte-order mark first (without it,
    Excel reads UTF-8 Chinese as mojibake)."""

    BOM = True


class JsonlWriter(TextWriter):
    def write(self, rows):
        self.handle.write("".join(_json(self, r) + "\n" for r in rows))
        self.rows += len(rows)


#: Columns that hold a set of words: CSV joins them with `;`, the formats
#: that have lists (JSON, JSON Lines, Parquet) carry a list of strings, so
#: DuckDB or pandas filter on one (`list_contains(flags, 'forecast')`).
LIST_COLUMNS = {"flags": ";"}


def as_list(cell: str | None, sep: str) -> list[str]:
    """A joined cell as a list (empty when null)."""
    return [w for w in cell.split(sep) if w] if cell else []


def _json(writer: Writer, row: dict[str, Any]) -> str:
    """One row as a JSON object of the writer's columns, in their order; a
    value JSON has no type for (a date) is written as its text, like CSV;
    LIST_COLUMNS as lists."""
    if len(row) != len(writer.columns) or list(row) != writer.columns:
        row = dict(zip(writer.columns, writer.cells(row)))
    else:
        row = dict(row)
    for col, sep in LIST_COLUMNS.items():
        if col in row and not isinstance(row[col], list):
            row[col] = as_list(row[col], sep)
    return json.dumps(row, ensure_ascii=False, default=to_text)


class ParquetWriter(Writer):
    #: Rows buffered as dicts before they become one columnar batch.
    BATCH = 5_000
    #: Rows per row group. The writer keeps every row group's metadata (about
    #: 20 KB) until the file closes: at 5,000 rows a group that grew memory by
    #: 16 MB per GB of articles, at 50,000 by 1.6 MB; the batches held are
    #: columnar, a few tens of MB at most.
    ROW_GROUP = 50_000

    def __init__(self, path: Path | None, stream=None, schema: TableSchema = SCHEMA):
        to_stdout = path is not None and str(path) == STDOUT
        if path is None:
            raise ValueError("Parquet needs an output file: -o facts.parquet (or -o - --format parquet)")
        import pyarrow.parquet as pq

        super().__init__(path, None, schema)
        if to_stdout:  # binary: the bytes go to standard output's buffer
            self.file = getattr(sys.stdout, "buffer", None)
            if self.file is None:
                raise ValueError("standard output takes no bytes here; give -o facts.parquet")
        # No min/max of the long text columns: a quote's would be hundreds of
        # bytes per row group, and no reader filters on it. The others keep
        # theirs (readers skip row groups by source, kind, metric, dates).
        stats = [name for name in schema.names if name not in ("quote", "text", *LIST_COLUMNS)]
        self.arrow = _with_lists(schema.arrow)
        self.lists = [c for c in LIST_COLUMNS if c in schema.names]
        self.writer = pq.ParquetWriter(self.file, self.arrow, compression="zstd", write_statistics=stats)
        self.buffer: list[dict[str, Any]] = []
        self.batches: list[pa.RecordBatch] = []
        self.batched = 0

    def write(self, rows):
        self.buffer.extend(rows)
        self.rows += len(rows)
        if len(self.buffer) >= self.BATCH:
            self._batch()
        if self.batched >= self.ROW_GROUP:
            self._flush()

    def _batch(self):
        if self.buffer:
            import pyarrow as pa

            for col in self.lists:
                sep = LIST_COLUMNS[col]
                for row in self.buffer:
                    if not isinstance(row[col], list):
                        row[col] = as_list(row[col], sep)
            self.batches.append(pa.RecordBatch.from_pylist(self.buffer, schema=self.arrow))
            self.batched += len(self.buffer)
            self.buffer = []

    def _flush(self):
        self._batch()
        if self.batches:
            import pyarrow as pa

            self.writer.write_table(pa.Table.from_batches(self.batches, schema=self.arrow),
                                    row_group_size=max(self.batched, 1))
            self.batches, self.batched = [], 0

    def _finish(self):
        if self.writer is not None:
            self._flush()
            self.writer.close()
            self.writer = None


def _with_lists(arrow: pa.Schema) -> pa.Schema:
    import pyarrow as pa

    for col in LIST_COLUMNS:
        at = arrow.get_field_index(col)
        if at >= 0:
            arrow = arrow.set(at, pa.field(col, pa.list_(pa.string())))
    return arrow


class JsonWriter(TextWriter):
    """One JSON array of row objects (what `json.load` expects of a .json file)."""

    def __init__(self, path: Path | None, stream: IO[str] | None = None, schema: TableSchema = SCHEMA):
        super().__init__(path, stream, schema)
        self.handle.write("[")

    def write(self, rows):
        for r in rows:
            self.handle.write(("\n" if not self.rows else ",\n") + _json(self, r))
            self.rows += 1

    def _finish(self):
        if self.handle is not None and not self.handle.closed and not getattr(self, "_closed_array", False):
            self.handle.write("\n]\n")
            self._closed_array = True
        super()._finish()


def write_frame(df, writer: Writer, chunk: int = 50_000) -> None:
    """Write a pandas DataFrame (compare and diff results) like the fact table
    (`writer`: formats.open_writer), a chunk of rows at a time so memory
    does not grow with the frame."""
    try:
        for begin in range(0, len(df), chunk):
            writer.write(_records(df.iloc[begin:begin + chunk]))
        writer.commit()
    except BaseException:
        writer.abort()
        raise


def _records(part) -> list[dict[str, Any]]:
    """Rows as dicts of plain Python values, pandas' missing values as None."""
    columns = []
    for name in part.columns:
        col = part[name]
        columns.append(col.astype(object).where(col.notna(), None).tolist())
    names = list(part.columns)
    return [dict(zip(names, values)) for values in zip(*columns)]


def write_text(path: Path, text: str) -> None:
    """A whole text file (the report) written as every output is: under a
    temporary name beside it and renamed when complete, a symlink followed."""
    writer = TextWriter(path)
    try:
        writer.handle.write(text)
        writer.commit()
    except BaseException:
        writer.abort()
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
