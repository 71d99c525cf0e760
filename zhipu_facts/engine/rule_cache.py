"""A compiled RuleSet kept on disk between runs, keyed by everything it is built from.

Building the rules costs ~0.25 s, almost all of it the `regex` module's
pure-Python parser; a pickled RuleSet loads in ~10 ms, because a pickled
`regex` pattern carries its compiled code and is not parsed again. The key
hashes the bytes of every rule file and of zfacts' own source, the rule
folders' paths, and the versions of Python and `regex`: any edit to a rule,
a lexicon or the code that builds them makes a new entry, so a stale one is
never read. Only rule sets that loaded without problems are stored (a rule
error is reported from the files, every time).

Where: $ZFACTS_CACHE, else $XDG_CACHE_HOME/zfacts, else ~/.cache/zfacts;
ZFACTS_CACHE=off turns it off. A folder that cannot be written, or an entry
that cannot be read, costs the time saved and nothing else.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from ..core.version import __version__

T = TypeVar("T")

#: Entries kept: each rule-folder combination (--rules) and each zfacts version has its own.
KEEP = 8
_PACKAGE = Path(__file__).resolve().parents[1]


def cache_dir() -> Path | None:
    """The cache folder, or None when the cache is off."""
    named = os.environ.get("ZFACTS_CACHE")
    if named is not None:
        return None if named.strip().lower() in ("", "0", "off", "no", "false") else Path(named)
    base = os.environ.get("XDG_CACHE_HOME")
    if not base:
        home = os.path.expanduser("~")
        if home.startswith("~"):
            return None  # no home folder to keep a cache in (never one relative to the working folder)
        base = os.path.join(home, ".cache")
    return Path(base) / "zfacts"


def fingerprint(dirs: list[Path], plugins: str = "") -> str:
    """A hash of what a RuleSet built from `dirs` by the registered `plugins` depends on."""
    import regex

    # The version too: an install may ship no .py files to hash.
    h = hashlib.sha256(f"{__version__}\x00{sys.version}\x00{regex.__version__}\x00{pickle.HIGHEST_PROTOCOL}"
                       f"\x00{plugins}".encode())
    for p in sorted(_PACKAGE.rglob("*.py")):
        h.update(b"\x00code\x00" + str(p.relative_to(_PACKAGE)).encode() + b"\x00" + p.read_bytes())
    for d in dirs:
        d = d.resolve()
        h.update(b"\x00dir\x00" + str(d).encode())
        for p in sorted(d.rglob("*")):
            h.update(b"\x00" + str(p.relative_to(d)).encode())
            if p.is_file() and p.suffix == ".yaml":
                h.update(b"\x00" + p.read_bytes())
    return h.hexdigest()[:32]


def cached(dirs: list[Path], build: Callable[[], T], plugins: str = "") -> T:
    """`build()`, or what it returned before for the same inputs."""
    folder = cache_dir()
    if folder is None:
        return build()
    try:
        entry = folder / f"rules-{fingerprint(dirs, plugins)}.pickle"
    except OSError:  # a rule file vanished or cannot be read: the builder says which
        return build()
    try:
        with open(entry, "rb") as fh:
            return pickle.load(fh)
    except Exception:  # noqa: BLE001, S110 - absent, truncated or from another build: build it again
        pass
    value = build()
    _store(folder, entry, value)
    return value


def _store(folder: Path, entry: Path, value: object) -> None:
    """Write the entry atomically (a concurrent run reads the old one or the new
    one, never half); keep the KEEP newest entries."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".rules-", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as fh:
                pickle.dump(value, fh, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, entry)
        except BaseException:
            os.unlink(tmp)
            raise
        entries = sorted(folder.glob("rules-*.pickle"), key=lambda p: p.stat().st_mtime, reverse=True)
        for old in entries[KEEP:]:
            old.unlink(missing_ok=True)
    except (OSError, pickle.PicklingError, TypeError, AttributeError):
        pass  # a read-only home, a full disk: the run goes on without a cache
