"""Rule files as YAML: the safe loader, with each mapping's line kept for messages."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from ..core.rule import Problem

# libyaml's parser when PyYAML was built with it (the wheels are): rule
# loading is then several times faster.
_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _LineLoader(_SafeLoader):
    """Safe loader that records the line of every mapping as ``__line__``."""


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> dict:
    mapping = yaml.constructor.SafeConstructor.construct_mapping(loader, node, deep=True)
    mapping["__line__"] = node.start_mark.line + 1
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def _not_utf8(raw: bytes, e: UnicodeDecodeError) -> str:
    """Why a rule file is not UTF-8, and what it is likely to be instead."""
    for guess in ("gb18030", "big5", "utf-16"):
        try:
            raw.decode(guess)
        except UnicodeDecodeError:
            continue
        if guess != "utf-16" or raw[:2] in (b"\xff\xfe", b"\xfe\xff"):
            return (f"not UTF-8 (byte 0x{raw[e.start]:02x}); it reads as {guess.upper()}: "
                    f"save it as UTF-8, as every rule file is read")
    return f"not UTF-8 (byte 0x{raw[e.start]:02x}): save it as UTF-8, as every rule file is read"


def _gbk_read_as_utf8(raw: bytes, text: str) -> bool:
    """A GBK file whose Chinese bytes happen to be valid UTF-8 (元 is D4 AA,
    which UTF-8 reads as Ԫ): none of its non-ASCII characters is Chinese as
    UTF-8 reads it, every one is as GB18030 does."""
    odd = _odd(text)
    if not odd or any(_chinese(ch) for ch in odd):
        return False
    try:
        as_gbk = _odd(raw.decode("gb18030"))
    except UnicodeDecodeError:
        return False
    return all(_chinese(ch) for ch in as_gbk)


def _odd(text: str) -> str:
    return "".join(ch for ch in text if ord(ch) > 127)


def _chinese(ch: str) -> bool:
    # CJK punctuation, kana and unified ideographs; full-width forms
    return 0x3000 <= ord(ch) <= 0x9FFF or 0xFF00 <= ord(ch) <= 0xFFEF


def read_yaml(path: Path, problems: list[Problem]) -> Any:
    try:
        raw = path.read_bytes()
    except OSError as e:
        problems.append(Problem(str(path), None, None, f"cannot read: {e.strerror or e}"))
        return None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        problems.append(Problem(str(path), raw.count(b"\n", 0, e.start) + 1, None, _not_utf8(raw, e)))
        return None
    if _gbk_read_as_utf8(raw, text):
        first = text.index(_odd(text)[0])
        problems.append(Problem(str(path), text.count("\n", 0, first) + 1, None, "not UTF-8 but GB18030 (GBK) that happens to decode as UTF-8: "
                                                       f"{_odd(text)!r} reads as {_odd(raw.decode('gb18030'))!r} "
                                                       "in GB18030; save it as UTF-8, as every rule file is read"))
        return None
    try:
        # Aliases are refused before anything is built: a few hundred bytes of
        # nested aliases expand to gigabytes (a YAML "billion laughs").
        for event in yaml.parse(text, Loader=_SafeLoader):
            if isinstance(event, yaml.AliasEvent):
                line = event.start_mark.line + 1 if event.start_mark else None
                problems.append(Problem(str(path), line, None, "YAML aliases (*name) are not allowed in rule files"))
                return None
        return yaml.load(text, Loader=_LineLoader)
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        line = mark.line + 1 if mark else None
        reason = getattr(e, "problem", None) or str(e)
        problems.append(Problem(str(path), line, None, f"not valid YAML: {reason}"))
        return None
    except (ValueError, TypeError, OverflowError) as e:
        # A value YAML reads as a date or number but cannot build: 2025-13-45
        problems.append(Problem(str(path), None, None, f"a value cannot be read ({e}); quote it"))
        return None


def line_at(text: str, path: tuple) -> int | None:
    """The line of the value at `path` (keys and list indexes) in a YAML
    text, or of the deepest part of the path that exists there: where a
    message about that value points. Composed again from the text, only when
    there is a problem to report."""
    try:
        node = yaml.compose(text, Loader=_SafeLoader)
    except yaml.YAMLError:
        return None
    line = node.start_mark.line + 1 if node is not None else None
    for step in path:
        if isinstance(node, yaml.MappingNode):
            found = next(((k, v) for k, v in node.value if k.value == str(step)), None)
            if found is None:
                break
            line, node = found[0].start_mark.line + 1, found[1]
        elif isinstance(node, yaml.SequenceNode) and isinstance(step, int) and step < len(node.value):
            node = node.value[step]
            line = node.start_mark.line + 1
        else:
            break
    return line
