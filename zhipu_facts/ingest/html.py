"""HTML pages: the article's visible text, every character kept at its place in the source.

A page becomes a `Page`: `prepared`, a string as long as the decoded HTML in
which each visible character of the article stands where the source has it
(a character reference's decoded character at its `&`), and `cut`, the spans
the rules never see (tags, scripts, styles, navigation, related lists,
comments, collapsed whitespace, the rest of each character reference). The
pipeline then treats it like any text: normalize `prepared` (same length),
delete `cut`, so every fact's offsets index the HTML source.

What is the article is trafilatura's decision (main-content detection with
readability and jusText as its own fallbacks); its output text is aligned
back onto the page's text runs, so no character of ours ever comes from the
library. The headline (the first <h1>, else <title>) is always kept. Dates
come from the page's metadata by htmldate (meta tags, JSON-LD, <time>).
"""

from __future__ import annotations

import datetime as dt
import html as html_lib
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import TYPE_CHECKING

import regex

from ..core.rule import MATCH_TIMEOUT
from .clean import normalize_chars
from .decode import SURE_AFTER, SkipFile, readings_of, decode

if TYPE_CHECKING:
    from lxml.html import HtmlElement

    from ..core.rule import Rule

#: No news page is this big; a larger file is refused by name, not parsed.
MAX_PAGE_CHARS = 20_000_000
#: Elements whose content is never visible text.
_HIDDEN = frozenset({"script", "style", "noscript", "template", "svg", "math", "textarea", "select",
                     "iframe", "object"})
#: Elements that start a new line of text (the view's sentences end at line breaks).
_BLOCK = frozenset({"address", "article", "aside", "blockquote", "br", "caption", "dd", "div", "dl", "dt",
                    "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header",
                    "hr", "li", "main", "nav", "ol", "p", "pre", "section", "table", "tbody", "tfoot",
                    "thead", "title", "tr", "ul", "body", "html"})
#: Table cells: a row is one line, its cells joined by 、 (资产负债率、27.8%、29.1%), so a
#: figure keeps the row's label as its metric and two cells' digits never join.
_CELL = frozenset({"td", "th"})
CELL_JOINER = "、"
_VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
                   "track", "wbr"})
#: Elements whose start tag closes an open one of the same name (HTML's implied end tags).
_SELF_CLOSING = frozenset({"p", "li", "dt", "dd", "option", "tr", "td", "th"})
_INVISIBLE_STYLE = regex.compile(r"(?:^|;)\s*(?:display\s*:\s*none|visibility\s*:\s*hidden)\b", regex.IGNORECASE)
_CHARREF = regex.compile(r"&(?:#[xX][0-9a-fA-F]+|#[0-9]+|[A-Za-z][A-Za-z0-9]*);?")
#: Pages published in China, Hong Kong, Macau and Taiwan: a timestamp's day is its day in UTC+8.
_NEWS_ZONE = dt.timezone(dt.timedelta(hours=8))


@dataclass
class Page:
    prepared: str  # as long as the source; visible characters in place
    cut: list[tuple[int, int]]  # source spans the rules never see
    transparent: list[tuple[int, int]]  # the rest of each kept character reference (part of `cut`)
    published: dt.date | None = None  # from the page's metadata
    url: str | None = None  # <link rel=canonical> or og:url
    lang: str | None = None  # <html lang>
    warnings: list[str] = field(default_factory=list)


@dataclass
class _Run:
    start: int  # source offset
    end: int
    text: str  # decoded; for a reference, its character(s)
    headline: bool = False


class _Scanner(HTMLParser):
    """The page's visible text runs and block breaks, with source offsets."""

    def __init__(self, source: str):
        super().__init__(convert_charrefs=False)
        self.source = source
        self._line_starts = [0] + [m.end() for m in regex.finditer(r"\n", source)]
        self.runs: list[_Run] = []
        self.breaks: list[tuple[int, str]] = []  # offsets of block tags' and cells' '<', and what they become
        self.hidden = 0
        self.concealed: list[list] = []  # [tag, depth] of open elements hidden by attribute or style
        self.in_title = False
        self.h1 = 0  # depth inside the first <h1>
        self.seen_h1 = False
        self.title_runs: list[_Run] = []
        self.url: str | None = None
        self.lang: str | None = None

    def _at(self) -> int:
        line, col = self.getpos()
        return self._line_starts[line - 1] + col

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "html" and a.get("lang"):
            self.lang = a["lang"]
        elif tag == "link" and "canonical" in a.get("rel", "").lower().split() and a.get("href"):
            self.url = self.url or a["href"]
        elif tag == "meta" and a.get("property") == "og:url" and a.get("content"):
            self.url = self.url or a["content"]
        if tag == "title":
            self.in_title = True
        elif tag in _HIDDEN and tag not in _VOID:
            self.hidden += 1
        if tag not in _VOID:
            self._conceal(tag, a)
        if tag == "h1" and not self.seen_h1 and not self.hidden:
            self.h1 += 1
        if tag in _BLOCK:
            self.breaks.append((self._at(), "\n"))
        elif tag in _CELL:
            self.breaks.append((self._at(), CELL_JOINER))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _VOID or tag not in _HIDDEN:
            self.handle_starttag(tag, attrs)
        if tag == "title":
            self.in_title = False

    def _conceal(self, tag: str, a: dict[str, str]) -> None:
        """Track elements a browser does not show (`hidden`, display:none,
        visibility:hidden): their text is no article text."""
        if self.concealed and self.concealed[-1][0] == tag:
            if tag in _SELF_CLOSING:  # <p hidden>…<p>: the new one closes the hidden one
                self.concealed.pop()
            else:
                self.concealed[-1][1] += 1
                return
        if "hidden" in a or _INVISIBLE_STYLE.search(a.get("style", "")):
            self.concealed.append([tag, 1])

    def handle_endtag(self, tag: str) -> None:
        if self.concealed and self.concealed[-1][0] == tag:
            self.concealed[-1][1] -= 1
            if not self.concealed[-1][1]:
                self.concealed.pop()
        if tag == "title":
            self.in_title = False
        elif tag in _HIDDEN and tag not in _VOID and self.hidden:
            self.hidden -= 1
        if tag == "h1" and self.h1:
            self.h1 -= 1
            self.seen_h1 = self.h1 == 0
        if tag in _BLOCK:
            self.breaks.append((self._at(), "\n"))

    def _text(self, start: int, end: int, text: str) -> None:
        if self.in_title:
            self.title_runs.append(_Run(start, end, text))
        elif not self.hidden and not self.concealed:
            self.runs.append(_Run(start, end, text, headline=self.h1 > 0))

    def handle_data(self, data: str) -> None:
        at = self._at()
        self._text(at, at + len(data), data)

    def _reference(self) -> None:
        at = self._at()
        m = _CHARREF.match(self.source, at)
        if m is None:
            return
        decoded = html_lib.unescape(m.group())
        if decoded == m.group() or len(decoded) > len(m.group()):
            self._text(at, m.end(), m.group())  # not a reference: text as written
        else:
            self._text(at, m.end(), decoded)

    def handle_entityref(self, name: str) -> None:
        self._reference()

    def handle_charref(self, name: str) -> None:
        self._reference()


def decode_page(raw: bytes) -> str:
    """The page's text by the HTML rules: a byte-order mark, then the charset
    the page declares (<meta charset>, http-equiv), then detection."""
    for bom, codec in ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")):
        if raw.startswith(bom):
            try:
                return raw[len(bom):].decode(codec)
            except UnicodeDecodeError as e:
                raise SkipFile(f"starts with a {codec} byte-order mark but is not {codec}: {e.reason}") from e
    declared = _declared_charset(raw[:4096])
    if declared is not None:
        declared = _mislabeled(raw, declared) or declared
        try:
            text = raw.decode(declared)
        except (UnicodeDecodeError, LookupError):
            pass  # a wrong or unknown declaration: detect instead
        else:
            if "\x00" in text:
                raise SkipFile("contains NUL characters (binary file?)")
            return text
    return decode(raw)[0]


#: The share of common characters by which the other Chinese encoding must
#: beat the declared one for the declaration to be taken as a lie.
LIE_MARGIN = 0.3


def _mislabeled(raw: bytes, declared: str) -> str | None:
    """The codec that reads a page whose CJK charset declaration lies (Big5
    bytes declared gb2312: valid GBK, all mojibake), or None: the other
    Chinese encoding reads it as common characters, the declared one not."""
    if declared not in ("gb18030", "big5hkscs"):
        return None
    readings = {e: score for e, _, score, cjk in readings_of(raw) if cjk >= SURE_AFTER}
    mine = readings.get("gb18030" if declared == "gb18030" else "big5", 0.0)
    other = "big5" if declared == "gb18030" else "gb18030"
    if other in readings and readings[other] >= mine + LIE_MARGIN:
        return "big5hkscs" if other == "big5" else "gb18030"
    return None


def page_doubt(raw: bytes) -> str | None:
    """A warning for a page whose charset declaration was not believed."""
    declared = _declared_charset(raw[:4096])
    used = _mislabeled(raw, declared) if declared is not None else None
    if used is None:
        return None
    said = _META_CHARSET.search(raw[:4096]).group(1).decode("ascii", "replace")
    return f"declares charset {said} but reads as {used.upper()}, which gives common characters; read as {used.upper()}"


_META_CHARSET = regex.compile(rb"""<meta[^>]+?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", regex.IGNORECASE)
# What pages declare, and the codec that reads it: GB2312 and GBK pages hold
# GB18030 characters in practice (WHATWG reads them as gb18030), Big5 pages
# HKSCS ones. A Western single-byte label on a page that is valid UTF-8 is a
# mislabel, so those labels are left to detection, which tries UTF-8 first.
_CODECS = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "gb18030": "gb18030",
           "big5": "big5hkscs", "big5-hkscs": "big5hkscs", "utf-8": "utf-8", "utf8": "utf-8"}


def _declared_charset(head: bytes) -> str | None:
    m = _META_CHARSET.search(head)
    if m is None:
        return None
    return _CODECS.get(m.group(1).decode("ascii", "replace").lower())


def read_page(source: str, tails: list[Rule] = (), article_lines: Callable[[HtmlElement], list[str] | None]
              | None = None) -> Page:
    """The article in a decoded page; SkipFile when it is too big to be one.

    `tails` are the clean rules that end an article (drop_to_end): an
    element of the page whose short text they match (相关阅读, 跟贴 1,263,
    电报持续更新) goes, with what follows it in its parent, before the
    main-content library looks (libraries take a long comment thread or a
    list of other flashes for the article). `article_lines` finds the
    article's text (default: trafilatura's); tests/html_eval.py passes others.
    """
    if len(source) > MAX_PAGE_CHARS:
        raise SkipFile(f"is {len(source) / 1e6:.1f} million characters, more than any news page "
                       f"(the limit is {MAX_PAGE_CHARS / 1e6:.0f} million); save its article text instead")
    scanner = _Scanner(source)
    try:
        scanner.feed(source)
        scanner.close()
    except Exception as e:
        raise SkipFile(f"cannot be parsed as HTML: {e}") from e
    page = Page("", [], [], url=scanner.url, lang=scanner.lang)
    h1 = [r for r in scanner.runs if r.headline]
    headline = _capped(h1 or scanner.title_runs)  # no <h1>: the <title> is the headline
    runs = sorted(scanner.runs + ([] if h1 else scanner.title_runs), key=lambda r: r.start)
    article = _article_lines(source, page, article_lines or trafilatura_lines, tails, runs)
    keep = _aligned(runs, article)
    for r in headline:
        keep.update(range(r.start, r.start + len(r.text)))
    _lay_out(source, runs, scanner.breaks, keep, page)
    page.published = _published(source)
    return page


#: A headline is a line: an <h1> left open does not make the page one.
HEADLINE_MAX = 200


def _capped(runs: list[_Run]) -> list[_Run]:
    out, total = [], 0
    for r in runs:
        if total >= HEADLINE_MAX:
            break
        out.append(r)
        total += len(r.text)
    return out


def trafilatura_lines(tree: HtmlElement) -> list[str] | None:
    """The main article's text, line by line, as trafilatura finds it."""
    import trafilatura

    text = trafilatura.extract(tree, include_comments=False, include_tables=True, deduplicate=False)
    return text.splitlines() if text else None


#: An element whose text is longer is no heading, whatever it starts with.
TAIL_HEADING_MAX = 40


def _prune(tree: HtmlElement, tails: list[Rule]) -> None:
    """Remove navigation bars, and each short heading-like element (no block
    inside) a tail rule matches with its later siblings."""
    for el in list(tree.iter()):
        parent = el.getparent()
        if parent is None or not isinstance(el.tag, str) or el.tag in ("body", "html"):
            continue  # the root, a comment, or an element already removed with its parent's siblings
        if any(isinstance(d.tag, str) and d.tag in _BLOCK and d.tag != "br" for d in el.iterdescendants()):
            continue  # a container: its heading decides, not the container's whole text
        if _link_bar(el):
            parent.remove(el)
            continue
        text = " ".join(el.text_content().split())
        if not text or len(text) > TAIL_HEADING_MAX:
            continue
        text = normalize_chars(text)
        try:
            hit = any(rule.compiled.match(text, timeout=MATCH_TIMEOUT) for rule in tails)
        except TimeoutError:
            continue
        if hit:
            for sibling in list(el.itersiblings()):
                parent.remove(sibling)
            parent.remove(el)


#: What may stand between the links of a navigation bar.
_BAR_GLUE = regex.compile(r"[\s|｜·•/>›»\-_]*")


def _link_bar(el: HtmlElement) -> bool:
    """A line of three or more links and nothing else: a navigation bar
    (首页 电报 深度 VIP(限时8折)), never an article's sentence."""
    links = [a for a in el.iterdescendants("a")]
    if len(links) < 3:
        return False
    text = el.text_content()
    for a in links:
        text = text.replace(a.text_content(), "", 1)
    return _BAR_GLUE.fullmatch(text) is not None


#: The share of the page's visible characters the parsed tree must hold; less, and the parser lost part of the page.
TREE_HOLDS = 0.9


def _article_lines(source: str, page: Page, find: Callable[[HtmlElement], list[str] | None],
                   tails: list[Rule], runs: list[_Run]) -> list[str]:
    try:
        from trafilatura.utils import load_html

        tree = load_html(source)
        if tree is None and source.strip():  # trafilatura refuses a fragment (<p>…</p> alone); lxml reads it
            import lxml.html

            tree = lxml.html.document_fromstring(source)
        if tree is None:
            page.warnings.append("no HTML document in the page; only the headline is read")
            return []
        visible = sum(len("".join(r.text.split())) for r in runs)
        held = len("".join(tree.text_content().split()))
        if held < TREE_HOLDS * visible:
            # libxml2 stops at 255 levels of nesting and drops what lies deeper:
            # no library can tell the article in what it never saw.
            page.warnings.append(f"the HTML parser kept only {held:,} of the page's {visible:,} visible characters "
                                 f"(elements nested too deep?); all its visible text is read")
            return [r.text for r in runs]
        _prune(tree, tails)
        found = find(tree)
        if not found:
            # A fragment or a page of a few lines: reading all of it beats losing it, and the warning says so.
            page.warnings.append("no main article found in the page; all its visible text is read")
            found = [t for t in tree.itertext() if t.strip()]
    except Exception as e:  # noqa: BLE001 - a library's failure costs this page its body, not the run
        page.warnings.append(f"main-content detection failed ({type(e).__name__}: {e}); only the headline is read")
        return []
    lines: list[str] = []
    for line in found:
        if _TABLE_RULE.fullmatch(line):
            continue
        lines.extend(line.split("|") if line.lstrip().startswith("|") else [line])  # a table row's cells
    return lines


_TABLE_RULE = regex.compile(r"[\s|:\-]*")


def _aligned(runs: list[_Run], lines: list[str]) -> set[int]:
    """Source offsets of the visible characters the article lines cover.

    Lines are matched without whitespace, in order: first the lines found
    once in the page (anchors, kept only in increasing order), then the
    others between the anchors around them, so a headline repeated in a
    navigation list is taken where the article has it.
    """
    chars: list[str] = []
    where: list[int] = []
    for r in runs:
        for k, ch in enumerate(r.text):
            if not ch.isspace():
                chars.append(ch)
                where.append(r.start + k)
    page = "".join(chars)
    wanted = [w for w in ("".join(line.split()) for line in lines) if w]
    placed: list[int | None] = [None] * len(wanted)
    last = -1
    for i, w in enumerate(wanted):
        first = page.find(w)
        if first >= 0 and page.find(w, first + 1) < 0 and first > last:
            placed[i], last = first, first
    cursor = 0
    for i, w in enumerate(wanted):
        if placed[i] is None:
            bound = next((p for p in placed[i + 1:] if p is not None), len(page))
            at = page.find(w, cursor, bound + len(w))
            placed[i] = at if at >= 0 else None
        if placed[i] is not None:
            cursor = placed[i] + len(w)
    keep: set[int] = set()
    for i, w in enumerate(wanted):
        if placed[i] is not None:
            keep.update(where[placed[i]:placed[i] + len(w)])
    # A line not found whole holds text the page does not show (trafilatura
    # reads <noscript>, <textarea>, hidden elements into its paragraph): its
    # pieces between spaces are placed one by one, between its neighbours.
    lines_of = [line for line in lines if "".join(line.split())]
    for i, w in enumerate(wanted):
        if placed[i] is not None:
            continue
        lo = max((placed[j] + len(wanted[j]) for j in range(i) if placed[j] is not None), default=0)
        hi = next((placed[j] for j in range(i + 1, len(wanted)) if placed[j] is not None), len(page))
        for piece in lines_of[i].split():
            at = page.find(piece, lo, hi)
            if at >= 0:
                keep.update(where[at:at + len(piece)])
                lo = at + len(piece)
    return keep


#: Whitespace a quote keeps as written (a line break or tab inside a paragraph is a space).
_KEPT_SPACES = frozenset(" \u00a0\u3000\u2002\u2003\u2009")


def _lay_out(source: str, runs: list[_Run], breaks: list[tuple[int, str]], keep: set[int], page: Page) -> None:
    """Fill `prepared`, `cut` and `transparent` from the kept characters.

    Whitespace between two kept characters of one line collapses to its
    first character (a line break or tab: a space); a block tag between kept text becomes one
    line break (at its '<'), so paragraphs and table cells are separate
    lines, never one run of digits; a cell boundary in a row becomes 、.
    """
    out: list[str] = []
    kept: list[tuple[int, int]] = []
    pos = 0

    def put(at: int, text: str, length: int) -> None:
        nonlocal pos
        out.append("\n" * (at - pos))
        out.append(text)
        kept.append((at, at + len(text)))
        if length > len(text):  # a character reference: the rest is cut, and transparent
            out.append("\n" * (length - len(text)))
            page.transparent.append((at + len(text), at + length))
        pos = at + length

    bi = 0
    pending: tuple[int, str] | None = None  # where a break goes before the next kept character, and which
    space: tuple[int, int, str] | None = None  # the first whitespace after a kept character: offset, length, char
    any_kept = adjacent = False  # adjacent: nothing but whitespace since the last kept character
    for r in runs:
        length = r.end - r.start if r.end - r.start != len(r.text) else 1
        for k, ch in enumerate(r.text):
            at = r.start + k
            while bi < len(breaks) and breaks[bi][0] <= at:
                # a line break beats a cell joiner: a row's first cell starts a line
                if any_kept and (pending is None or (pending[1] != "\n" and breaks[bi][1] == "\n")):
                    pending = breaks[bi] if pending is None else (pending[0], "\n")
                bi += 1
            if ch.isspace():
                if adjacent and pending is None and space is None:
                    space = (at, length, ch if ch in _KEPT_SPACES else " ")
                continue
            if at not in keep:
                # text left out between kept text is a line break too: 营收10 and 20亿元 never join
                if any_kept and pending is None:
                    pending = (at, "\n")
                adjacent, space = False, None
                continue
            if pending is not None:
                put(pending[0], pending[1], 1)
            elif space is not None:
                put(space[0], space[2], space[1])
            pending = space = None
            any_kept = adjacent = True
            if length > 1:
                put(at, r.text, length)
                break
            put(at, ch, 1)
    out.append("\n" * (len(source) - pos))
    page.prepared = "".join(out)
    assert len(page.prepared) == len(source), "a page's prepared text keeps the source's length"
    pos = 0
    for a, b in kept:
        if a > pos:
            page.cut.append((pos, a))
        pos = b
    if pos < len(source):
        page.cut.append((pos, len(source)))


def _published(source: str) -> dt.date | None:
    """The publication day from the page's own metadata (article:published_time,
    pubdate, og:/itemprop dates, JSON-LD datePublished, <time datetime>), by
    htmldate without its guesses from the text; a timestamp's day in UTC+8."""
    from htmldate import find_date

    try:
        # url="": the canonical link's date is the pipeline's to use, after the dateline
        found = find_date(source, url="", extensive_search=False, original_date=True,
                          outputformat="%Y-%m-%dT%H:%M:%S%z")
    except Exception:  # noqa: BLE001 - no date from a page htmldate cannot read
        return None
    if not found:
        return None
    try:
        stamp = dt.datetime.strptime(found, "%Y-%m-%dT%H:%M:%S%z")
    except ValueError:
        try:
            return dt.datetime.strptime(found[:19], "%Y-%m-%dT%H:%M:%S").date()
        except ValueError:
            return None
    return stamp.astimezone(_NEWS_ZONE).date()
