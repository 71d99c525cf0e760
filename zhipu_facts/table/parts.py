"""A cluster run's folder of parts, and the marker that says it is complete.

`extract --dask` writes one Parquet part per batch; the driver writes
`_SUCCESS` last, a small JSON naming every part of the run. A folder of
`part-NNNNN` files without it is a run that was stopped (or is still
running): reading it as a table would give a silently partial answer, so
`parts_of` refuses it. A folder of other Parquet files (no part names) is
read whole, as before.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from pathlib import Path

from .readers import TableError

MARKER = "_SUCCESS"
_PART = re.compile(r"part-\d{5}(?:-\d{5})?\.")


def write_marker(folder: Path | str, parts: list[str], facts: int) -> None:
    """The run is complete: `_SUCCESS` names its parts (written under a temporary name, then renamed)."""
    folder = Path(folder)
    fd, tmp = tempfile.mkstemp(prefix=f".{MARKER}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump({"parts": parts, "facts": facts}, fh)
        os.replace(tmp, folder / MARKER)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def parts_of(folder: Path, files: list[Path]) -> list[Path]:
    """The files of the folder's table: those its marker names, or all of
    `files` where none is a cluster part. TableError for a cluster folder
    without its marker, or a part the marker names that is missing."""
    marker = folder / MARKER
    if not marker.exists():
        if any(_PART.match(f.name) for f in files):
            raise TableError(f"{folder}: a cluster run's folder without its {MARKER} marker: the run was stopped "
                             f"or has not finished, so its parts are not the whole table; run it again")
        return files
    try:
        named = json.loads(marker.read_text(encoding="utf-8"))["parts"]
        if not isinstance(named, list) or not all(isinstance(n, str) and "/" not in n for n in named):
            raise ValueError("parts is not a list of file names")
    except (OSError, ValueError, KeyError, TypeError) as e:
        raise TableError(f"{marker}: not a marker zfacts wrote ({e})") from None
    missing = [n for n in named if not (folder / n).is_file()]
    if missing:
        raise TableError(f"{folder}: {len(missing)} part(s) its {MARKER} names are missing, such as {missing[0]}")
    return [folder / n for n in named]
