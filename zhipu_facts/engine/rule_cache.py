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

An entry is a pickle, and unpickling runs code: a file planted in the
cache folder would run as the user. So the folder is used only when it
belongs to the user and no one else may write in it (created 0700), an
entry only when it belongs to the user, and every entry carries an HMAC-SHA256
of its bytes under a key of 32 random bytes kept in the folder (`key`, 0600):
an entry that is not signed by this key (planted, copied from another
account, truncated, of another build) is never unpickled, only rebuilt.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import pickle
import secrets
import stat
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


#: What every entry starts with, then the HMAC of the pickle that follows.
MAGIC = b"zfacts-rules-1\n"
_DIGEST = hashlib.sha256().digest_size


def cached(dirs: list[Path], build: Callable[[], T], plugins: str = "", kind: type | None = None) -> T:
    """`build()`, or what it returned before for the same inputs (and, when
    `kind` is given, of that type: an entry of another is rebuilt)."""
    folder = cache_dir()
    if folder is None:
        return build()
    try:
        entry = folder / f"rules-{fingerprint(dirs, plugins)}.pickle"
    except OSError:  # a rule file vanished or cannot be read: the builder says which
        return build()
    key = _key(folder)
    if key is None:  # not a folder of ours alone: no cache, rather than one anyone could plant in
        return build()
    value = _load(entry, key)
    if value is not None and (kind is None or isinstance(value, kind)):
        return value
    value = build()
    _store(folder, entry, value, key)
    return value


def _private(st: os.stat_result) -> bool:
    """Owned by this user, and no one else may write it."""
    return st.st_uid == os.getuid() and not st.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


def _key(folder: Path) -> bytes | None:
    """The folder's signing key (made on first use), or None when the folder is
    not the user's alone or cannot be made."""
    if not hasattr(os, "getuid"):
        return None  # no owners to check (Windows): no cache
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        if not _private(folder.stat()) or folder.is_symlink():
            return None
        path = folder / "key"
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(fd, "wb") as fh:
                fh.write(secrets.token_bytes(32))
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
        with os.fdopen(fd, "rb") as fh:
            st = os.fstat(fh.fileno())
            if st.st_uid != os.getuid() or st.st_mode & 0o077:
                return None
            key = fh.read(64)
        return key if len(key) == 32 else None
    except OSError:
        return None


def _load(entry: Path, key: bytes) -> object | None:
    """The entry's value when it is the user's and signed with the key; else None."""
    try:
        fd = os.open(entry, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except OSError:
        return None
    with os.fdopen(fd, "rb") as fh:
        if not _private(os.fstat(fh.fileno())):
            return None
        raw = fh.read()
    head, signature, payload = raw[:len(MAGIC)], raw[len(MAGIC):len(MAGIC) + _DIGEST], raw[len(MAGIC) + _DIGEST:]
    if head != MAGIC or not hmac.compare_digest(signature, hmac.new(key, payload, hashlib.sha256).digest()):
        return None  # planted, copied, truncated or of an older layout: never unpickled
    try:
        return pickle.loads(payload)  # noqa: S301 - signed by this user's key, in this user's private folder
    except Exception:  # noqa: BLE001 - of another build of the same key: build it again
        return None


def _store(folder: Path, entry: Path, value: object, key: bytes) -> None:
    """Write the entry atomically (a concurrent run reads the old one or the new
    one, never half); keep the KEEP newest entries."""
    try:
        payload = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".rules-", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(MAGIC + hmac.new(key, payload, hashlib.sha256).digest() + payload)
            os.replace(tmp, entry)
        except BaseException:
            os.unlink(tmp)
            raise
        entries = sorted(folder.glob("rules-*.pickle"), key=lambda p: p.stat().st_mtime, reverse=True)
        for old in entries[KEEP:]:
            old.unlink(missing_ok=True)
    except (OSError, pickle.PicklingError, TypeError, AttributeError):
        pass  # a read-only home, a full disk: the run goes on without a cache
