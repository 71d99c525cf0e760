"""zfacts report: one self-contained HTML file to look at the facts rather than read rows.

Three parts, all in one file that needs no network when it is opened (styles,
script and charts inline):

- Articles: each article's text with every fact highlighted by kind; hovering
  or focusing a fact shows its values, bounds, CNY value and rate, metric,
  subject, period, rule and flags. Text zfacts cut (boilerplate, bylines) is
  dimmed; a web page shows only the article zfacts read. Each article's
  marked-up text is a JSON string until it is opened (`make bench`: 1,000
  articles and 43,800 facts are ready in about a second).
- Comparisons: `compare`'s groups, conflicts first, each source's sentence,
  CNY value and publication date, what an agreement allows and the spread.
- Timelines: one SVG chart per series of `timelines()` (server-side SVG:
  no charting library to ship or load), a point per source figure at its
  period start; bounds are open triangles with a dashed line towards the
  open side, ranges bars, approximate figures whiskers; money in CNY, the
  figure as written in each point's hover title.
"""

from __future__ import annotations

import datetime as dt
import functools
import html
import importlib.resources
import json
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ..columns import COLUMNS
from ..kinds import kinds_with
from .compare import compare_facts, timelines
from .render import allowed_text, amount_text, measure_text

#: What a fact's hover card shows, in this order (declared with the columns: columns.py).
CARD_FIELDS = tuple(c.name for c in sorted((c for c in COLUMNS if c.card), key=lambda c: c.card))


@dataclass
class ArticleText:
    """An article as the report shows it."""

    source: str
    text: str  # the decoded source (a page's HTML)
    sha256: str
    kept: list[tuple[int, int]]  # the source spans the rules saw
    visible: str | None = None  # a page's visible characters at their source offsets


def load_articles(paths: Iterable[Path], rules=None) -> tuple[dict[str, ArticleText], list[str]]:
    """The articles under `paths` (as `extract` finds them), with what zfacts cut;
    and the problems met (a file that cannot be read is named, never fatal)."""
    from ..api import article_inputs, shipped_rules
    from ..ingest.collections import Record
    from ..ingest.html import read_page
    from ..ingest.decode import SkipFile
    from ..ingest.read import find_files, read_input
    from ..pipeline import ArticleRun

    rules = rules or shipped_rules()
    out: dict[str, ArticleText] = {}
    problems: list[str] = []

    def add(source: str, text: str, sha: str, page: bool) -> None:
        try:
            parsed = read_page(text, [r for r in rules.clean_rules if r.action == "drop_to_end"]) if page else None
            # What zfacts cut is known once the article is read: its facts are not needed here.
            view = ArticleRun(text, rules, source=source, html=page, page=parsed, keep_matches=False).cleaned.view
        except SkipFile as e:
            problems.append(f"{source}: {e}")
            return
        out[source] = ArticleText(source, text, sha, view.source_spans(), parsed.prepared if parsed else None)

    for item in article_inputs(find_files(list(paths)), rules=rules):
        if isinstance(item, Record) and item.text is None:
            continue  # a record extract skipped: no facts of it to show
        try:
            doc = read_input(item)
        except SkipFile as e:
            problems.append(f"{item.source}: {e}")
            continue
        add(doc.source, doc.text, doc.sha256, doc.page)
    return out, problems


def build_report(facts: pd.DataFrame, articles: dict[str, ArticleText] | None = None,
                 title: str = "zfacts report") -> str:
    """The report as one HTML document."""
    articles = articles or {}
    facts = facts.reset_index(drop=True)
    cards = [_card(r) for r in facts.to_dict("records")]
    result = compare_facts(facts)
    series = timelines(result)
    by_source: dict[str, list[int]] = {}
    for i, s in enumerate(facts["source"].astype(str)):
        by_source.setdefault(s, []).append(i)
    bodies: list[str] = []
    sections = [_articles_section(facts, by_source, articles, bodies), _comparisons_section(result),
                _timelines_section(series)]
    kinds = sorted(facts["kind"].dropna().astype(str).unique())
    options = {name: sorted({str(v) for v in facts[name].dropna()}) for name in ("metric", "subject")}
    flags = sorted({f for v in facts["flags"].dropna() for f in str(v).split(";") if f})
    conflicts = int(result.drop_duplicates("group")["status"].eq("conflict").sum()) if len(result) else 0
    summary = (f"{len(by_source)} articles, {len(facts):,} facts ("
               + ", ".join(f"{n:,} {k}" for k, n in facts["kind"].value_counts().sort_index().items())
               + f"); {conflicts} conflicting groups")
    data = json.dumps({"fields": CARD_FIELDS, "facts": cards, "bodies": bodies}, ensure_ascii=False,
                      separators=(",", ":"))
    return _page(
        title=html.escape(title), summary=html.escape(summary), style=_page_file("report.css"),
        script=_page_file("report.js"),
        data=data.replace("</", "<\\/"),
        filters=_select("kind", kinds) + _select("metric", options["metric"]) + _select("subject", options["subject"])
        + _select("flag", flags),
        sections="\n".join(sections))


def _card(row: dict) -> list:
    out = []
    for name in CARD_FIELDS:
        v = row.get(name)
        if v is None or (isinstance(v, float) and math.isnan(v)) or v is pd.NA:
            out.append(None)
        elif isinstance(v, (dt.date, pd.Timestamp)):
            out.append(str(v)[:10])
        elif isinstance(v, float):
            out.append(v)
        else:
            out.append(str(v))
    return out


def _select(name: str, values: list[str]) -> str:
    opts = "".join(f'<option value="{html.escape(v)}">{html.escape(v)}</option>' for v in values)
    return (f'<label>{name} <select data-filter="{name}"><option value="">all</option>{opts}</select></label>')


# --- articles -----------------------------------------------------------------

def _articles_section(facts: pd.DataFrame, by_source: dict[str, list[int]], articles: dict[str, ArticleText],
                      bodies: list[str]) -> str:
    """The list of articles; each one's marked-up text goes to `bodies` (rendered when opened)."""
    parts = ['<section id="articles"><h2>Articles</h2>',
             ('<p class="hint">Open an article to see its text; every fact is highlighted by kind '
              '(hover or focus one for its values). Dimmed text is what zfacts cut.</p>')]
    for source, rows in by_source.items():
        a = articles.get(source)
        sub = facts.iloc[rows]
        body: str
        if a is not None and set(sub["source_sha256"].dropna().astype(str)) <= {a.sha256}:
            body = _article_body(a, sub)
            how = ""
        else:
            why = ("its text changed since the table was made" if a is not None
                   else "its text was not given (--sources)")
            body = _quotes_body(sub)
            how = f' <span class="hint">({html.escape(why)}: facts shown in their sentences)</span>'
        flagged = int(sub["flags"].notna().sum())
        badge = f' <span class="badge flag">{flagged} flagged</span>' if flagged else ""
        parts.append(f'<details class="article" data-source="{html.escape(source)}" data-body="{len(bodies)}">'
                     f'<summary><b>{html.escape(source)}</b> · {len(rows)} facts{badge}{how}</summary></details>')
        bodies.append(body)
    parts.append("</section>")
    return "\n".join(parts)


def _mark(i: int, row, first: bool) -> str:
    kind = html.escape(str(row["kind"]))
    flag = " flagged" if isinstance(row["flags"], str) and row["flags"] else ""
    focus = ' tabindex="0"' if first else ""
    return f'<mark class="f k-{kind}{flag}" data-i="{i}"{focus}>'


def _article_body(a: ArticleText, rows: pd.DataFrame) -> str:
    """The article's characters, facts wrapped in <mark>, cut text dimmed (a page: only what was read)."""
    chars = a.visible if a.visible is not None else a.text
    spans = [(int(s), int(e), i) for i, s, e in zip(rows.index, rows["start"], rows["end"])]
    spans.sort()
    facts, last = [], -1
    for s, e, i in spans:  # facts never overlap; a row that would is shown in the quotes only
        if s >= last:
            facts.append((s, e, i))
            last = e
    pieces: list[tuple[int, int, bool]] = []  # (start, end, kept)
    pos = 0
    for s, e in a.kept:
        if s > pos and a.visible is None:
            pieces.append((pos, s, False))
        pieces.append((s, e, True))
        pos = e
    if pos < len(a.text) and a.visible is None:
        pieces.append((pos, len(a.text), False))
    out: list[str] = []
    fi = 0
    inside: int | None = None  # the fact whose <mark> is open: one element, across the pieces it spans
    for s, e, kept in pieces:
        at = s
        while at < e:
            while fi < len(facts) and facts[fi][1] <= at:
                fi += 1
            if inside is not None and (fi >= len(facts) or facts[fi][2] != inside or facts[fi][0] > at):
                out.append("</mark>")
                inside = None
            if fi < len(facts) and facts[fi][0] <= at:
                _, fe, i = facts[fi]
                if inside is None:
                    out.append(_mark(i, rows.loc[i], True))
                    inside = i
                stop = min(e, fe)
            else:
                stop = min(e, facts[fi][0]) if fi < len(facts) else e
            text = html.escape(chars[at:stop])
            out.append(text if kept else f'<span class="cut">{text}</span>')
            at = stop
    if inside is not None:
        out.append("</mark>")
    return '<div class="text">' + "".join(out) + "</div>"


def _quotes_body(rows: pd.DataFrame) -> str:
    out = ['<ul class="quotes">']
    for i, r in rows.iterrows():
        out.append(f"<li>{_quote_with(r, i)}</li>")
    out.append("</ul>")
    return "".join(out)


def _quote_with(r, i: int | None = None) -> str:
    """The fact's sentence with the fact highlighted."""
    quote, text = str(r.get("quote") or ""), str(r.get("text") or "")
    at = quote.find(text) if text else -1
    if at < 0:
        return html.escape(quote)
    inner = html.escape(text)
    # A comparison's quote marks its fact without a card (data-i): the article holds that.
    mark = _mark(i, r, True) if i is not None else f'<mark class="k-{html.escape(str(r["kind"]))}">'
    return html.escape(quote[:at]) + mark + inner + "</mark>" + html.escape(quote[at + len(text):])


# --- comparisons --------------------------------------------------------------

def _comparisons_section(result: pd.DataFrame) -> str:
    parts = ['<section id="comparisons"><h2>Comparisons</h2>']
    shown = result[result["status"].isin(["conflict", "agree", "incomparable"])]
    monetary = kinds_with("monetary")
    if shown.empty:
        parts.append('<p class="hint">No figure is stated by more than one source.</p>')
    for _, g in shown.groupby("group", sort=False):
        first = g.iloc[0]
        scope = f" · {first['scope']}" if isinstance(first["scope"], str) else ""
        head = f"{first['subject']} · {measure_text(first)}{scope} · {first['period'] if isinstance(first['period'], str) else 'no period'}"
        notes = []
        if isinstance(first["note"], str):
            notes.append(first["note"])
        if first["status"] == "agree" and not (pd.isna(first["agreed_low"]) and pd.isna(first["agreed_high"])):
            notes.append("together: " + allowed_text(first["agreed_low"], first["agreed_high"], first["cmp_unit"]))
        if not pd.isna(first["spread"]):
            notes.append(f"spread {first['spread']:.0%}")
        rows = []
        copies = g[g["repeats"].notna()].groupby("repeats")["source"].agg(list)
        for _, r in g[g["repeats"].isna()].iterrows():  # a syndicated copy is a badge on its original
            cny = amount_text(r["cmp_low"] if pd.isna(r["value_cny"]) else r["value_cny"], r["cmp_unit"]) \
                if r["kind"] in monetary and not (pd.isna(r["value_cny"]) and pd.isna(r["cmp_low"])) else ""
            copied = copies.get(r["source"], [])
            repeats = (f'<span class="badge" title="{html.escape(", ".join(copied))}">repeated by '
                       f'{len(copied)}</span>') if copied else ""
            rows.append(f"<tr><td>{html.escape(str(r['source']))}{repeats}</td>"
                        f"<td>{html.escape(str(r['published'])[:10]) if not pd.isna(r['published']) else ''}</td>"
                        f"<td>{html.escape(str(r['text']))}</td><td>{html.escape(str(r['qualifier']))}</td>"
                        f"<td>{html.escape(cny)}</td><td>{_quote_with(r)}</td></tr>")
        parts.append(f'<div class="group {first["status"]}"><h3><span class="badge {first["status"]}">'
                     f'{first["status"]}</span> {html.escape(head)}</h3>'
                     f'<p class="note">{html.escape("; ".join(notes))}</p>'
                     '<table><tr><th>source</th><th>published</th><th>figure</th><th>qualifier</th>'
                     '<th>in CNY</th><th>sentence</th></tr>' + "".join(rows) + "</table></div>")
    parts.append(_syndication(result))
    parts.append("</section>")
    return "\n".join(parts)


def _syndication(result: pd.DataFrame) -> str:
    """Which sources repeat which (a copy counts once in every comparison)."""
    copies = result[result["repeats"].notna()].drop_duplicates(["source", "repeats"])
    if copies.empty:
        return ""
    rows = "".join(f"<tr><td>{html.escape(str(orig))}</td><td>{len(g)}</td>"
                   f"<td>{html.escape(', '.join(map(str, g['source'].head(20))))}"
                   f"{' …' if len(g) > 20 else ''}</td></tr>"
                   for orig, g in copies.groupby("repeats", sort=True))
    return ('<h3>Syndicated copies</h3><p class="hint">Sources that repeat another\'s sentences and figures; '
            'each counts once.</p><table class="copies"><tr><th>original</th><th>copies</th><th>sources</th></tr>'
            + rows + "</table>")


# --- timelines ----------------------------------------------------------------

_W, _H, _PAD_L, _PAD_R, _PAD_T, _PAD_B = 680, 220, 80, 40, 16, 36


def _timelines_section(series: pd.DataFrame) -> str:
    parts = ['<section id="timelines"><h2>Timelines</h2>']
    if series.empty:
        parts.append('<p class="hint">No series is stated for more than one period.</p>')
    keys = ["subject", "metric", "scope", "change", "basis", "length", "unit_of_series"]
    for key, g in series.groupby(keys, sort=False, dropna=False):
        name = "|".join("" if pd.isna(k) else str(k) for k in key)
        first = g.iloc[0]
        scope = f" · {first['scope']}" if isinstance(first["scope"], str) else ""
        head = f"{first['subject']} · {measure_text(first)}{scope} · {first['length']} figures, in {first['unit_of_series']}"
        parts.append(f'<figure class="timeline"><figcaption>{html.escape(head)}</figcaption>'
                     f'{_chart(g, name)}</figure>')
    parts.append("</section>")
    return "\n".join(parts)


def _nice_step(raw: float) -> float:
    """1, 2, 2.5 or 5 times a power of ten, at least `raw`: ticks a reader can read."""
    power = 10 ** math.floor(math.log10(raw))
    return next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)


def _chart(g: pd.DataFrame, name: str) -> str:
    """One series as SVG: x the period start, y the value in the series' unit."""
    unit = g.iloc[0]["unit_of_series"]
    money = unit == "CNY"
    pts = []
    for _, r in g.iterrows():
        rate = 1.0
        if money and r["unit"] != "CNY":
            rate = (r["value_cny"] / r["value"]) if not pd.isna(r["value_cny"]) and r["value"] else math.nan
        v, lo, hi = (float(r[c]) * rate if not pd.isna(r[c]) else math.nan for c in ("value", "low", "high"))
        start = str(r["date_start"])[:10] if not pd.isna(r["date_start"]) else None
        x = dt.date.fromisoformat(start).toordinal() if start else None
        pts.append((x, v, lo, hi, r))
    xs = [p[0] for p in pts if p[0] is not None]
    if not xs:  # current facts: dated by publication, one point per period label in order
        labels = list(dict.fromkeys(str(p[4]["period"]) for p in pts))
        pts = [(labels.index(str(p[4]["period"])), *p[1:]) for p in pts]
        xs = [p[0] for p in pts]
    ys = [y for p in pts for y in p[1:4] if not math.isnan(y)]
    if not ys:
        return '<p class="hint">no comparable values</p>'
    x0, x1 = min(xs), max(xs)
    step = _nice_step((max(max(ys), 0) - min(min(ys), 0)) / 4 or 1.0)
    y1 = step * math.ceil(max(max(ys), 0) * 1.05 / step) or step
    y0 = step * math.floor(min(min(ys), 0) / step)
    def fx(x: float) -> float:
        return _PAD_L + (0.5 if x1 == x0 else (x - x0) / (x1 - x0)) * (_W - _PAD_L - _PAD_R)

    def fy(y: float) -> float:
        return _PAD_T + (1 - (y - y0) / (y1 - y0)) * (_H - _PAD_T - _PAD_B)

    out = [(f'<svg class="chart" data-series="{html.escape(name)}" viewBox="0 0 {_W} {_H}" width="{_W}" '
            f'height="{_H}" role="img">')]
    for k in range(round((y1 - y0) / step) + 1):  # y axis: round ticks
        y = y0 + step * k
        out.append(f'<line class="grid" x1="{_PAD_L}" x2="{_W - _PAD_R}" y1="{fy(y):.1f}" y2="{fy(y):.1f}"/>'
                   f'<text class="tick" x="{_PAD_L - 6}" y="{fy(y) + 4:.1f}" text-anchor="end">'
                   f'{html.escape(amount_text(y, unit) if money else f"{y:,.4g}")}</text>')
    for x, label in sorted({(p[0], str(p[4]["period"])) for p in pts}):
        out.append(f'<text class="tick" x="{fx(x):.1f}" y="{_H - _PAD_B + 16}" text-anchor="middle">'
                   f'{html.escape(label)}</text>')
    for x, v, lo, hi, r in pts:
        cx = fx(x)
        tip = (f"{r['period']} · {r['text']} ({r['qualifier']}) · {r['source']}"
               + (f" · ≈ {amount_text(v if not math.isnan(v) else lo if not math.isnan(lo) else hi, unit)}"
                  if money and r["unit"] != "CNY" else ""))
        q = r["qualifier"]
        shape: str
        if q == "range" or (math.isnan(v) and not math.isnan(lo) and not math.isnan(hi)):
            shape = (f'<rect class="range" x="{cx - 4:.1f}" y="{fy(hi):.1f}" width="8" '
                     f'height="{max(fy(lo) - fy(hi), 2):.1f}"/>')
        elif q == "over" or (math.isnan(v) and not math.isnan(lo)):
            y = fy(lo if not math.isnan(lo) else v)
            shape = (f'<line class="bound" x1="{cx:.1f}" x2="{cx:.1f}" y1="{y:.1f}" y2="{_PAD_T}"/>'
                     f'<path class="open" d="M{cx - 6:.1f},{y + 4:.1f} L{cx + 6:.1f},{y + 4:.1f} L{cx:.1f},{y - 6:.1f} Z"/>')
        elif q == "under" or (math.isnan(v) and not math.isnan(hi)):
            y = fy(hi if not math.isnan(hi) else v)
            shape = (f'<line class="bound" x1="{cx:.1f}" x2="{cx:.1f}" y1="{y:.1f}" y2="{fy(y0):.1f}"/>'
                     f'<path class="open" d="M{cx - 6:.1f},{y - 4:.1f} L{cx + 6:.1f},{y - 4:.1f} L{cx:.1f},{y + 6:.1f} Z"/>')
        else:
            y = fy(v)
            whisker = ""
            if q == "approx":
                whisker = (f'<line class="whisker" x1="{cx:.1f}" x2="{cx:.1f}" y1="{fy(v * 1.1):.1f}" '
                           f'y2="{fy(v * 0.9):.1f}"/>')
            shape = f'{whisker}<circle class="exact" cx="{cx:.1f}" cy="{y:.1f}" r="4.5"/>'
        out.append(f'<g class="pt" data-source="{html.escape(str(r["source"]))}" tabindex="0">'
                   f'<title>{html.escape(tip)}</title>{shape}</g>')
    out.append("</svg>")
    return "".join(out)


# --- the page -------------------------------------------------------------------
# The page's skeleton, styles and script are files of their own in page/, shipped in the wheel;
# the report inlines them, so it opens with no network.

_MARKER = re.compile(r"<!-- zfacts:(\w+) -->")


@functools.cache
def _page_file(name: str) -> str:
    """A file of page/, read once per process (from the package, installed or not)."""
    return (importlib.resources.files(__package__) / "page" / name).read_text(encoding="utf-8")


def _page(**parts: str) -> str:
    """report.html with each `<!-- zfacts:NAME -->` replaced by `parts[NAME]`, in one pass: a part's
    own text (an article, the facts' JSON, the script) is never searched for markers."""
    return _MARKER.sub(lambda m: parts[m.group(1)], _page_file("report.html"))
