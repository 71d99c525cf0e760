"""Decode an article file's bytes.

A UTF-16 or UTF-32 byte-order mark decides; else strict UTF-8 (with or without BOM); otherwise charset-normalizer limited
to the encodings Chinese news actually comes in (utf_8, gb18030, big5): left
free it takes short GBK text for Korean.
"""

from __future__ import annotations

import codecs
import re

CANDIDATE_ENCODINGS = ["utf_8", "gb18030", "big5"]
#: charset-normalizer's chaos ratio above which we refuse to guess.
MAX_CHAOS = 0.2


class SkipFile(Exception):
    """This file cannot be read as an article; the message says why."""


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
        return _utf8(raw), "utf_8"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes  # only for files that are not UTF-8

    best = from_bytes(raw, cp_isolation=CANDIDATE_ENCODINGS).best()
    if best is None or best.chaos > MAX_CHAOS:
        raise SkipFile("not UTF-8, and no confident GB18030/Big5 reading")
    return str(best), best.encoding


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
