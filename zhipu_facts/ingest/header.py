"""Stage 2: YAML front matter and the publication date.

The date comes from front matter (``date``, ``date_published`` ...), else from a
byline near the top of the body (the clean rules with ``action: byline``),
else from a date in the file's path, else from ``--published``, else it stays
unknown. ``published_from`` says which.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import regex
import yaml

from ..engine.rules import Rule

# Delimiters matched by hand so the body's offset in the decoded text is exact.
_FRONT = regex.compile(r"\A---[ \t]*\r?\n(.*?)(?:\r?\n)---[ \t]*(?:\r?\n|\Z)", regex.DOTALL)
_DATE_KEYS = ("date_published", "published", "publish_date", "pubdate", "published_at",
              "date", "datetime", "created")
_LOCALE_KEYS = ("locale", "lang", "language")
# A date in a path: 2024-10-04, 2024_10_04, 20241004, 2024/10/04; not inside a longer number.
_DATE_IN_PATH = regex.compile(r"(?<!\d)(?P<y>(?:19|20)\d{2})([-_./]?)(?P<m>0[1-9]|1[0-2])\2(?P<d>0[1-9]|[12]\d|3[01])(?!\d)")
# BaseLoader keeps every value a string; libyaml's when available.
_BaseLoader = getattr(yaml, "CBaseLoader", yaml.BaseLoader)
_DATE_IN_VALUE = regex.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})")


@dataclass
class Header:
    body_start: int  # offset of the body in the decoded text
    published: dt.date | None
    published_from: str | None
    byline: tuple[int, int] | None  # span of the byline line (yields no facts)
    warning: str | None = None
    locale_tag: str | None = None  # the front matter's locale, lang or language, as written


def parse_date(value: str) -> dt.date | None:
    m = _DATE_IN_VALUE.search(value)
    if not m:
        return None
    try:
        return dt.date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        return None


def date_from_path(source: str) -> dt.date | None:
    """A publication date in a file name or its folders: 2024-10-04-xxx.txt,
    20241004/xxx.txt, 2024/10/04/xxx.txt (the last such date in the path)."""
    found = None
    for m in _DATE_IN_PATH.finditer(source):
        try:
            found = dt.date(int(m["y"]), int(m["m"]), int(m["d"]))
        except ValueError:
            continue
    return found


def read_header(text: str, normalized: str, byline_rules: list[Rule],
                published_option: dt.date | None = None, source: str = "") -> Header:
    """Front matter, body offset and publication date of one article.

    ``normalized`` is the same text after character normalization (same length),
    on which the byline rules run. The date comes, in order, from the front
    matter, a byline, the article's path (``source``), ``--published``.
    """
    meta: dict[str, str] = {}
    body_start = 0
    warning = None
    m = _FRONT.match(text)
    if m:
        body_start = m.end()
        try:
            loaded = yaml.load(m.group(1), Loader=_BaseLoader)  # noqa: S506
            if isinstance(loaded, dict):
                meta = {str(k): v for k, v in loaded.items()}
        except yaml.YAMLError as e:
            warning = f"front matter is not valid YAML ({getattr(e, 'problem', e)}); ignored"
    tag = next((v.strip() for k in _LOCALE_KEYS if isinstance(v := meta.get(k), str) and v.strip()), None)
    for key in _DATE_KEYS:
        value = meta.get(key)
        if isinstance(value, str):
            date = parse_date(value)
            if date:
                return Header(body_start, date, "front_matter", None, warning, tag)
    byline = find_byline(normalized, body_start, byline_rules)
    if byline:
        date, span = byline
        return Header(body_start, date, "byline", span, warning, tag)
    from_path = date_from_path(source)
    if from_path:
        return Header(body_start, from_path, "path", None, warning, tag)
    if published_option:
        return Header(body_start, published_option, "option", None, warning, tag)
    return Header(body_start, None, None, None, warning, tag)


def find_byline(normalized: str, body_start: int, rules: list[Rule]) -> tuple[dt.date, tuple[int, int]] | None:
    """The first byline date within each rule's ``max_line`` lines of the body."""
    for rule in sorted(rules, key=lambda r: -r.priority):
        limit = rule.max_line or 12
        end = body_start
        for _ in range(limit):
            nl = normalized.find("\n", end)
            if nl < 0:
                end = len(normalized)
                break
            end = nl + 1
        try:
            found = list(rule.finditer(normalized, body_start, end))
        except TimeoutError:
            continue  # a backtracking byline rule: no byline from it, the run goes on
        for m in found:
            try:
                date = dt.date(int(m["year"]), int(m["month"]), int(m["day"]))
            except (ValueError, TypeError, IndexError):
                continue
            line_start = normalized.rfind("\n", 0, m.start()) + 1
            line_end = normalized.find("\n", m.end())
            return date, (line_start, len(normalized) if line_end < 0 else line_end)
    return None
