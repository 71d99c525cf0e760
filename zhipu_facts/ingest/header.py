"""Stage 2: YAML front matter and the publication date.

The date comes from front matter (``date``, ``date_published`` ...), else from a
byline near the top of the body (the clean rules with ``action: byline``) or
a dateline with no year (【财联社10月4日电】) whose year the article gives, else
from a date in the file's path, else from ``--published``, else it stays
unknown. ``published_from`` says which.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import regex

from ..core.rule import Rule
from ..core.textview import TextView, invisible_spans

# Delimiters matched by hand so the body's offset in the decoded text is exact.
_FRONT = regex.compile(r"\A---[ \t]*\r?\n(.*?)(?:\r?\n)---[ \t]*(?:\r?\n|\Z)", regex.DOTALL)
_DATE_KEYS = ("date_published", "published", "publish_date", "pubdate", "published_at",
              "date", "datetime", "created")
_LOCALE_KEYS = ("locale", "lang", "language")
# A date in a path: 2024-10-04, 2024_10_04, 20241004, 2024/10/04; not inside a longer number.
_DATE_IN_PATH = regex.compile(r"(?<!\d)(?P<y>(?:19|20)\d{2})([-_./]?)(?P<m>0[1-9]|1[0-2])\2(?P<d>0[1-9]|[12]\d|3[01])(?!\d)")
_DATE_IN_VALUE = regex.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})")


@dataclass
class Header:
    body_start: int  # offset of the body in the decoded text
    published: dt.date | None
    published_from: str | None
    byline: tuple[int, int] | None  # span of the byline line (yields no facts)
    warning: str | None = None
    locale_tag: str | None = None  # the front matter's locale, lang or language, as written
    # A dateline whose year nothing gives (格隆汇9月2日丨 in an article with no
    # full date of that day, no path, record or option date): its month and
    # day. `published` stays None; the dateline is not cut, so its date is a
    # date fact (as_of null, unresolved_date).
    partial: Partial | None = None

    @property
    def published_partial(self) -> str | None:
        """The partial publication date in ISO 8601's year-less form: --09-02, or ---04 for a day alone."""
        p = self.partial
        if p is None:
            return None
        return f"--{p.month:02d}-{p.day:02d}" if p.month is not None else f"---{p.day:02d}"


def parse_date(value: str) -> dt.date | None:
    m = _DATE_IN_VALUE.search(value)
    if not m:
        return None
    try:
        return dt.date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        return None


#: Chinese-language news is dated in UTC+8: a timestamp's day is its day there.
NEWS_ZONE = dt.timezone(dt.timedelta(hours=8))
_EPOCH = regex.compile(r"(?P<s>\d{9,10})(?:\.\d+)?|(?P<ms>\d{12,13})")


def record_date(value: object) -> dt.date | None:
    """A collection record's date field, in any common form: 2025-04-15,
    2025/04/15, 2025年4月15日, 20250415, 2025-04-15 08:12:00 (the day as
    written), ISO with a zone (2025-04-14T23:30:00Z) or epoch seconds or
    milliseconds (their day in UTC+8), RFC 2822 (an RSS pubDate). None for an
    empty field; ValueError for one that cannot be read."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise ValueError(f"its date field {value!r} is no date")
    if isinstance(value, dt.datetime):
        return _day_of(value)
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    if not text:
        return None
    if (m := _EPOCH.fullmatch(text)) is not None:
        seconds = int(m["s"]) if m["s"] else int(m["ms"]) / 1000
        return dt.datetime.fromtimestamp(seconds, NEWS_ZONE).date()
    if (m := _DATE_IN_PATH.fullmatch(text)) is not None:
        found = _date(int(m["y"]), int(m["m"]), int(m["d"]))
        if found is not None:
            return found
    try:
        return _day_of(dt.datetime.fromisoformat(text))
    except ValueError:
        pass
    if text[:3].isalpha():  # Tue, 15 Apr 2025 08:12:00 +0800
        from email.utils import parsedate_to_datetime

        try:
            return _day_of(parsedate_to_datetime(text))
        except (TypeError, ValueError, IndexError):
            pass
    found = parse_date(text)
    if found is None:
        raise ValueError(f"its date field {text!r} is no date")
    return found


def _day_of(stamp: dt.datetime) -> dt.date:
    """A timestamp's day: as written, or in UTC+8 when it names its zone."""
    return stamp.date() if stamp.tzinfo is None else stamp.astimezone(NEWS_ZONE).date()


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
                published_option: dt.date | None = None, source: str = "",
                option_label: str = "option", url: str | None = None) -> Header:
    """Front matter, body offset and publication date of one article.

    ``normalized`` is the same text after character normalization (same length),
    on which the byline rules run. The date comes, in order, from the front
    matter, a byline (or a dateline whose year the article or the fallback
    gives), the article's path (``source``), ``--published`` (or a collection
    record's own date field: ``option_label`` names where it came from).
    A date in the article's ``url`` (a record's URL field, a page's
    canonical link) comes after a record's date field and before the path.
    """
    meta: dict[str, str] = {}
    body_start = 0
    warning = None
    m = _FRONT.match(text)
    if m:
        body_start = m.end()
        import yaml  # only for an article with front matter

        try:
            # BaseLoader keeps every value a string; libyaml's when available.
            loaded = yaml.load(m.group(1), Loader=getattr(yaml, "CBaseLoader", yaml.BaseLoader))  # noqa: S506
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
    from_path = date_from_path(source)
    from_url = date_from_path(url) if url else None
    own = published_option if option_label != "option" else None
    fallback = own or from_url or from_path or published_option  # in the order below
    # Bylines are read as a reader sees them: a zero-width or bidi mark inside
    # 【财联社1月2<ZWSP>2日电】 must not make it the 2nd.
    seen = TextView(normalized).without(invisible_spans(normalized))
    shift = sum(b - a for a, b in invisible_spans(normalized[:body_start])) if seen.text != normalized else 0
    byline = find_byline(seen.text, body_start - shift, byline_rules)
    if byline:
        found, span = byline
        span = seen.span_to_source(*span)
        if isinstance(found, dt.date):
            return Header(body_start, found, "byline", span, warning, tag)
        date = complete_dateline(found, seen.text, fallback)
        if date is not None:
            return Header(body_start, date, "dateline", span, warning, tag)
        if fallback is None:
            # A dateline with no year anywhere: not cut, so its date is a date
            # fact (year unresolved, flagged); its month and day are kept as
            # the partial publication date.
            return Header(body_start, None, None, None, warning, tag, found)
    cut_line = byline[1] if byline else None
    if own:
        # a collection record's own date field beats a date in its id or URL
        return Header(body_start, own, option_label, cut_line, warning, tag)
    if from_url:
        return Header(body_start, from_url, "url", cut_line, warning, tag)
    if from_path:
        return Header(body_start, from_path, "path", cut_line, warning, tag)
    if published_option:
        return Header(body_start, published_option, option_label, cut_line, warning, tag)
    return Header(body_start, None, None, None, warning, tag)


@dataclass
class Partial:
    """A dateline's date without its year (and maybe without its month)."""
    month: int | None
    day: int


#: A date written in full anywhere in an article: it can give a dateline its year.
_FULL_DATE = regex.compile(r"(?<!\d)(?P<y>(?:19|20)\d{2})[ ]?(?:年[ ]?(?P<m>1[0-2]|0?[1-9])[ ]?月[ ]?"
                           r"(?P<d>3[01]|[12]\d|0?[1-9])[ ]?[日号]|-(?P<m>1[0-2]|0[1-9])-(?P<d>3[01]|[12]\d|0[1-9]))")


def complete_dateline(part: Partial, normalized: str, fallback: dt.date | None) -> dt.date | None:
    """The dateline's full date: the year (and month) of the first full date in
    the article that agrees with it, else the day nearest the fallback date
    (the path's or --published) that agrees with it, else None."""
    for m in _FULL_DATE.finditer(normalized):
        y, mo, d = int(m["y"]), int(m["m"]), int(m["d"])
        if d == part.day and part.month in (None, mo):
            return _date(y, mo, d)
    if fallback is None:
        return None
    if part.month is None:  # a day alone: this month's or last month's, whichever is not after the fallback
        here = _date(fallback.year, fallback.month, part.day)
        if here is not None and (here - fallback).days <= 1:  # no date arithmetic past 9999-12-31
            return here
        y, mo = divmod(fallback.year * 12 + fallback.month - 2, 12)
        return _date(y, mo + 1, part.day)
    near = [d for y in (fallback.year - 1, fallback.year, fallback.year + 1)
            if (d := _date(y, part.month, part.day)) is not None]
    return min(near, key=lambda d: abs((d - fallback).days), default=None)


def _date(y: int, m: int, d: int) -> dt.date | None:
    try:
        return dt.date(y, m, d)
    except ValueError:
        return None


def find_byline(normalized: str, body_start: int, rules: list[Rule]
                ) -> tuple[dt.date | Partial, tuple[int, int]] | None:
    """The first byline date within each rule's ``max_line`` lines of the body,
    and the span to cut: a date and its line, or a Partial for a dateline that
    names no year, and the dateline alone."""
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
            groups = m.groupdict()
            try:
                if groups.get("year"):
                    date: dt.date | Partial = dt.date(int(m["year"]), int(m["month"]), int(m["day"]))
                else:
                    month = int(groups["month"]) if groups.get("month") else None
                    date = Partial(month, int(m["day"]))
                    if _date(2000, month or 1, date.day) is None:  # 2月30日: no day of any year
                        continue
            except (ValueError, TypeError, IndexError, KeyError):
                continue
            if isinstance(date, Partial):
                # A dateline opens the lede (【财联社10月4日电】公司公告…): only it is cut.
                return date, m.span()
            line_start = normalized.rfind("\n", 0, m.start()) + 1
            line_end = normalized.find("\n", m.end())
            return date, (line_start, len(normalized) if line_end < 0 else line_end)
    return None


def read_page_header(view: TextView, published_option: dt.date | None, meta_date: dt.date | None,
                     byline_rules: list[Rule], source: str = "", option_label: str = "option",
                     url: str | None = None) -> Header:
    """The header of an HTML page, read from `view` (its visible text, markup
    cut): the byline line is found there and mapped back to the source; the
    page's metadata date comes first (`html_meta`), then as for any text."""
    h = read_header(view.text, view.text, byline_rules, published_option, source, option_label, url)
    byline = view.span_to_source(*h.byline) if h.byline else None
    if meta_date is not None:
        return Header(0, meta_date, "html_meta", byline, h.warning)
    return Header(0, h.published, h.published_from, byline, h.warning, partial=h.partial)
