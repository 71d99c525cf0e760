"""Decode an article file's bytes.

A UTF-16 or UTF-32 byte-order mark decides; else strict UTF-8 (with or
without BOM); otherwise GB18030 or Big5, the encodings Chinese news actually
comes in, whichever reads as more common characters (`readings_of`). A text
too short to be sure of gets a warning (`doubt`).
"""

from __future__ import annotations

import codecs
import os
import re
import stat
from functools import lru_cache
from typing import BinaryIO

CANDIDATE_ENCODINGS = ["utf_8", "gb18030", "big5"]


class SkipFile(Exception):
    """This file cannot be read as an article; the message says why."""


#: The largest article (or collection record) read, in bytes: no news article
#: comes near it, and /dev/zero, /dev/urandom or a sparse file of terabytes
#: must not be read until memory runs out. ZFACTS_MAX_BYTES raises it.
MAX_BYTES = 256 * 1024 * 1024
_SIZE = re.compile(r"\s*(\d+)\s*([kmgt]?)i?b?\s*", re.IGNORECASE)


def max_bytes() -> int:
    """The limit: ZFACTS_MAX_BYTES (a number of bytes, or 512M, 2G ...), else MAX_BYTES."""
    given = os.environ.get("ZFACTS_MAX_BYTES")
    if not given:
        return MAX_BYTES
    m = _SIZE.fullmatch(given)
    if m is None:
        raise SkipFile(f"not read: ZFACTS_MAX_BYTES={given!r} is no size; give bytes, or a number with K, M, G or T")
    return int(m[1]) * 1024 ** " kmgt".index(m[2].lower() or " ")


def too_big(limit: int) -> str:
    return (f"is larger than {limit:,} bytes, the most an article is read to "
            f"(set ZFACTS_MAX_BYTES, e.g. ZFACTS_MAX_BYTES=2G, to read bigger ones)")


def read_bounded(fh: BinaryIO) -> bytes:
    """All of a file or stream, or SkipFile when it holds more than max_bytes():
    a regular file by its size, before reading; a device or pipe by reading
    one byte more than the limit at most."""
    limit = max_bytes()
    try:
        st = os.fstat(fh.fileno())
        if stat.S_ISREG(st.st_mode) and st.st_size > limit:
            raise SkipFile(too_big(limit))
    except (AttributeError, OSError, ValueError):
        pass  # a stream with no file number: the read below bounds it
    raw = fh.read(limit + 1)
    if len(raw) > limit:
        raise SkipFile(too_big(limit))
    return raw


#: Byte-order marks of the wide encodings, UTF-32 first (its little-endian mark begins with UTF-16's).
WIDE_BOMS = ((codecs.BOM_UTF32_LE, "utf_32_le"), (codecs.BOM_UTF32_BE, "utf_32_be"),
             (codecs.BOM_UTF16_LE, "utf_16_le"), (codecs.BOM_UTF16_BE, "utf_16_be"))


def decode(raw: bytes) -> tuple[str, str]:
    """Decoded text and the encoding used; SkipFile when it is not text."""
    text, encoding = _decode(raw)
    return line_breaks(text), encoding


_LONE_CR = re.compile(r"\r(?!\n)")


def line_breaks(text: str) -> str:
    """Old Mac line endings (a CR alone) as LF, one character for one, so
    lines and sentences end where the reader sees them end and every offset
    stays the same; CRLF is left as it is."""
    return _LONE_CR.sub("\n", text) if "\r" in text else text


def _decode(raw: bytes) -> tuple[str, str]:
    for bom, encoding in WIDE_BOMS:  # Notepad's "Unicode": NUL bytes are its characters' halves
        if raw.startswith(bom):
            try:
                return raw[len(bom):].decode(encoding), encoding
            except UnicodeDecodeError as e:
                raise SkipFile(f"begins with a {encoding.upper()} byte-order mark but is not {encoding.upper()} "
                               f"(byte {e.start + len(bom)})") from None
    if b"\x00" in raw:
        raise SkipFile("contains NUL bytes (binary file?)")
    try:
        text = _utf8(raw)
        if not _chance_utf8(raw, text):
            return text, "utf_8"
    except UnicodeDecodeError:
        pass
    readings = readings_of(raw)
    if not readings:
        raise SkipFile("not UTF-8, GB18030 or Big5 (bytes that none of them can read)")
    encoding, text, score, cjk = readings[0]
    if cjk >= SURE_AFTER and score < MIN_COMMON:
        raise SkipFile(f"not UTF-8, and no confident GB18030/Big5 reading (as {encoding}, only {score:.0%} of its "
                       f"Chinese characters are common ones)")
    return text, encoding


def doubt(raw: bytes) -> str | None:
    """A warning for a short text whose bytes read as more than one thing
    (a few characters cannot tell GB18030, Big5 and UTF-8 apart for sure):
    which reading was chosen, and another. None for UTF-8 holding Chinese."""
    if len(raw) > 4 * SURE_AFTER or raw.startswith(tuple(b for b, _ in WIDE_BOMS)) or b"\x00" in raw:
        return None
    others: list[tuple[str, str]] = []
    try:
        utf8 = raw.decode("utf-8-sig")
        if utf8.isascii() or any(c >= "\u2e80" for c in utf8):
            return None
        others.append(("utf_8", utf8))
    except UnicodeDecodeError:
        pass
    readings = readings_of(raw)
    if readings and readings[0][3] >= SURE_AFTER:
        return None
    others += [(encoding, text) for encoding, text, _, _ in readings]
    try:
        text, chosen = _decode(raw)
    except SkipFile:
        return None
    other = next(((e, t) for e, t in others if t != text), None)
    if other is None:
        return None
    return (f"too short to tell its encoding for sure: read as {chosen.upper()} ({text.strip()[:12]}); "
            f"as {other[0].upper()} it would be {other[1].strip()[:12]}")


def _chance_utf8(raw: bytes, text: str) -> bool:
    """Whether a short text is valid UTF-8 only by chance: a few GB18030 or
    Big5 characters (水 is CB AE, ˮ in UTF-8): the UTF-8 reading has no
    Chinese and no Latin letters beyond ASCII (café stays café), and another
    reading is of Chinese characters, mostly common ones."""
    if len(raw) > 4 * SURE_AFTER or text.isascii():
        return False
    if any(c >= "\u2e80" or "\u0080" <= c < "\u0250" for c in text):
        return False
    readings = readings_of(raw)
    return bool(readings) and readings[0][2] >= MIN_COMMON and readings[0][3] > 0


#: Chinese characters from which a reading is taken as sure (or refused when few of them are common).
SURE_AFTER = 12
#: A reading of at least SURE_AFTER Chinese characters of which fewer are common is refused (mojibake).
MIN_COMMON = 0.5
#: Characters looked at to tell the encodings apart: enough, however long the file.
SAMPLE = 20_000


def readings_of(raw: bytes) -> list[tuple[str, str, float, int]]:
    """_readings, remembered for the last file of up to a megabyte: a page's
    decoding and its warning ask about the same bytes one after the other (a
    longer file's two decoded copies are not kept)."""
    return _recent_readings(raw) if len(raw) <= 1 << 20 else _readings(raw)


@lru_cache(maxsize=1)
def _recent_readings(raw: bytes) -> list[tuple[str, str, float, int]]:
    return _readings(raw)


def _readings(raw: bytes) -> list[tuple[str, str, float, int]]:
    """(encoding, text, share of common characters, Chinese characters) for
    GB18030 and Big5, each where the bytes are valid in it, best first.
    Telling them apart by the bytes' statistics failed on short texts (a
    sentence refused one time in seven, a few characters read as Big5):
    a true reading is mostly of the 3,755 commonest characters (GB2312's
    first level), counted after folding traditional to simplified, while
    the wrong one is mostly of rare ones."""
    from .clean import to_simplified  # OpenCC, only for files that are not UTF-8

    out = []
    for encoding in ("gb18030", "big5"):
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError:
            continue
        chinese = [c for c in to_simplified(text[:SAMPLE]) if c >= "\u2e80" and not "\uff00" <= c <= "\uffef"]
        common = sum(c in _common() for c in chinese)
        out.append((encoding, text, common / len(chinese) if chinese else 1.0, len(chinese)))
    return sorted(out, key=lambda r: (-r[2], r[0] != "gb18030"))  # a tie: mainland news is the likelier


@lru_cache(maxsize=1)
def _common() -> frozenset[str]:
    """GB2312's first level (rows 0xB0-0xD7): the 3,755 commonest characters, and its punctuation (row 0xA1)."""
    rows = [bytes([hi, lo]) for hi in [0xA1, *range(0xB0, 0xD8)] for lo in range(0xA1, 0xFF)]
    return frozenset(ch for b in rows for ch in b.decode("gb2312", "ignore"))


#: Bytes decoded at a time: decoding a long file whole costs a transient
#: copy of it beside the text (CPython widens its buffer as it meets wider
#: characters); a run at a time, only of that run.
DECODE_RUN = 1 << 22


def _utf8(raw: bytes) -> str:
    if len(raw) <= DECODE_RUN:
        return raw.decode("utf-8-sig")
    decoder = codecs.getincrementaldecoder("utf-8-sig")()
    view = memoryview(raw)
    runs = [decoder.decode(view[at:at + DECODE_RUN]) for at in range(0, len(raw), DECODE_RUN)]
    runs.append(decoder.decode(b"", final=True))
    return "".join(runs)
