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
import hashlib
import html
import json
import math
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from .compare import compare_facts, timelines
from .render import allowed_text, amount_text, measure_text

#: What a fact's hover card shows, in this order (the fact table's own columns).
CARD_FIELDS = ("kind", "text", "value", "low", "high", "qualifier", "unit", "per", "value_cny", "fx_rate",
               "metric", "subject", "change", "basis", "as_of", "date_start", "date_end", "published", "rule",
               "flags", "source")


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
    from ..api import shipped_rules
    from ..ingest.collections import Fields, collection_format, read_records
    from ..ingest.html import read_page
    from ..ingest.decode import SkipFile
    from ..ingest.read import find_files, is_page, read_document
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

    for path, source in find_files(list(paths)):
        fmt = collection_format(path)
        if fmt is not None and path.is_file():
            for r in read_records(path, fmt, source, Fields()):
                if r.text is not None:
                    add(r.source, r.text, hashlib.sha256(r.text.encode("utf-8")).hexdigest(), r.html)
            continue
        try:
            doc = read_document(path, source, is_page(path))
        except SkipFile as e:
            problems.append(f"{source}: {e}")
            continue
        add(doc.source, doc.text, doc.sha256, doc.html)
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
    return _PAGE.format(
        title=html.escape(title), summary=html.escape(summary), style=_STYLE, script=_SCRIPT,
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
                if r["kind"] == "money" and not (pd.isna(r["value_cny"]) and pd.isna(r["cmp_low"])) else ""
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

_STYLE = """
:root { --money:#f7c948; --percent:#7cc4fa; --quantity:#9be7a0; --date:#d3b8f5; }
body { font-family: system-ui, "Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", sans-serif; margin: 0 2rem 4rem;
       color: #1d2330; line-height: 1.6; }
header { position: sticky; top: 0; background: #fff; padding: .6rem 0; border-bottom: 1px solid #dde; z-index: 2; }
header h1 { margin: 0; font-size: 1.3rem; } header nav a { margin-right: 1rem; }
.filters label { margin-right: .8rem; font-size: .9rem; }
.hint { color: #667; font-size: .9rem; }
details.article { border: 1px solid #dde; border-radius: 6px; margin: .4rem 0; padding: .3rem .7rem; }
details.article summary { cursor: pointer; }
.text { white-space: pre-wrap; font-size: 1rem; max-width: 60rem; }
.cut { color: #aab; }
mark { border-radius: 3px; padding: 0 1px; } mark.f { cursor: help; }
mark.k-money { background: var(--money); } mark.k-percent { background: var(--percent); }
mark.k-quantity { background: var(--quantity); } mark.k-date { background: var(--date); }
mark.flagged { outline: 2px dashed #d33; }
mark.dim { background: transparent; outline: none; color: inherit; }
mark.f:focus { outline: 2px solid #1d4ed8; }
#card { position: fixed; display: none; max-width: 26rem; background: #fff; border: 1px solid #99a;
        box-shadow: 0 4px 16px rgba(0,0,0,.15); padding: .5rem .7rem; font-size: .85rem; z-index: 5; }
#card table td { padding: 0 .4rem 0 0; vertical-align: top; } #card td:first-child { color: #667; }
.group { border-left: 4px solid #ccd; padding-left: .8rem; margin: 1rem 0; }
.group.conflict { border-color: #d33; } .group.agree { border-color: #2a2; }
.group table { border-collapse: collapse; font-size: .9rem; } .group td, .group th { border-bottom: 1px solid #eef;
  padding: .2rem .5rem; text-align: left; vertical-align: top; }
.badge { font-size: .75rem; padding: 0 .4rem; border-radius: 8px; background: #eef; margin-left: .3rem; }
.badge.conflict { background: #fdd; color: #a11; } .badge.agree { background: #dfd; color: #161; }
.badge.flag { background: #fdd; color: #a11; }
.note { color: #556; font-size: .9rem; margin: .2rem 0; }
figure.timeline { margin: 1rem 0; } figcaption { font-weight: 600; }
svg.chart { background: #fbfbfe; border: 1px solid #e4e4ee; }
svg .grid { stroke: #e4e4ee; } svg .tick { font-size: 11px; fill: #556; }
svg .exact { fill: #1d4ed8; } svg .open { fill: #fff; stroke: #1d4ed8; stroke-width: 2; }
svg .bound { stroke: #1d4ed8; stroke-dasharray: 3 3; } svg .range { fill: #93c5fd; stroke: #1d4ed8; }
svg .whisker { stroke: #1d4ed8; stroke-width: 2; } svg .pt:focus { outline: none; } svg .pt:hover * { opacity: .7; }
"""

_SCRIPT = r"""
(function () {
  "use strict";
  var errors = [];
  window.addEventListener("error", function (e) {
    errors.push(String(e.message));
    document.documentElement.dataset.errors = errors.join(" | ");
  });
  var data = JSON.parse(document.getElementById("facts").textContent);
  var fields = data.fields, facts = data.facts;
  function field(i, name) { return facts[i][fields.indexOf(name)]; }
  function fmt(v) {
    if (v === null) return "";
    if (typeof v === "number") return v.toLocaleString("en-US", {maximumFractionDigits: 6});
    return String(v);
  }
  var card = document.getElementById("card");
  function cardHtml(i) {
    var rows = [];
    fields.forEach(function (name, k) {
      var v = facts[i][k];
      if (v === null) return;
      var td = document.createElement("td"); td.textContent = fmt(v);
      rows.push("<tr><td>" + name + "</td>" + td.outerHTML + "</tr>");
    });
    return "<table>" + rows.join("") + "</table>";
  }
  function show(el) {
    var i = Number(el.dataset.i);
    card.innerHTML = cardHtml(i);
    card.dataset.i = String(i);
    var r = el.getBoundingClientRect();
    card.style.display = "block";
    card.style.left = Math.min(r.left, window.innerWidth - 420) + "px";
    var h = card.offsetHeight;  // below the fact if it fits, else above it: never over it
    card.style.top = (r.bottom + 6 + h > window.innerHeight ? Math.max(r.top - h - 6, 4) : r.bottom + 6) + "px";
  }
  function hide() { card.style.display = "none"; }
  document.addEventListener("mouseover", function (e) { var m = e.target.closest && e.target.closest("mark.f"); if (m) show(m); });
  document.addEventListener("mouseout", function (e) { if (e.target.closest && e.target.closest("mark.f")) hide(); });
  document.addEventListener("focusin", function (e) { if (e.target.matches && e.target.matches("mark.f")) show(e.target); });
  document.addEventListener("focusout", hide);
  // An article's text is a string until it is opened: the browser parses one article, not 1,000.
  function render(d) {
    if (d.dataset.body === undefined) return;
    d.insertAdjacentHTML("beforeend", data.bodies[Number(d.dataset.body)]);
    delete d.dataset.body;
    applyFilters(d);
  }
  document.querySelectorAll("details.article").forEach(function (d) {
    d.addEventListener("toggle", function () { if (d.open) render(d); });
  });
  var filters = {};
  function matches(i) {
    for (var name in filters) {
      var want = filters[name];
      if (!want) continue;
      if (name === "flag") { if ((field(i, "flags") || "").split(";").indexOf(want) < 0) return false; }
      else if (String(field(i, name)) !== want) return false;
    }
    return true;
  }
  function applyFilters(root) {
    (root || document).querySelectorAll("mark.f[data-i]").forEach(function (m) {
      m.classList.toggle("dim", !matches(Number(m.dataset.i)));
    });
  }
  document.querySelectorAll("select[data-filter]").forEach(function (s) {
    s.addEventListener("change", function () { filters[s.dataset.filter] = s.value; applyFilters(); });
  });
  // #article=N opens the Nth article, #article=N&fact=K also focuses its Kth fact (a link, a screenshot).
  var want = /^#article=(\d+)(?:&fact=(\d+))?$/.exec(location.hash);
  if (want) {
    var d = document.querySelectorAll("details.article")[Number(want[1])];
    if (d) {
      d.open = true; render(d);
      var m = want[2] && d.querySelectorAll("mark.f[tabindex]")[Number(want[2])];
      if (m) m.focus();
    }
  }
  // #selftest: open every article, focus every fact and check its card, try every filter;
  // the result goes on <html> (tests/test_report.py reads it in headless Chromium).
  if (location.hash === "#selftest") {
    var ok = 0, bad = [];
    document.querySelectorAll("details.article").forEach(function (d) { d.open = true; render(d); });
    document.querySelectorAll("#articles mark.f[tabindex]").forEach(function (m) {
      var i = Number(m.dataset.i);
      m.focus();
      // a page without window focus (a busy headless browser) gets no focus events: send the handler's own
      if (card.dataset.i !== String(i)) m.dispatchEvent(new FocusEvent("focusin", {bubbles: true}));
      var want = fmt(field(i, "text"));
      if (card.style.display === "block" && card.dataset.i === String(i) && card.textContent.indexOf(want) >= 0
          && (field(i, "value") === null || card.textContent.indexOf(fmt(field(i, "value"))) >= 0)) ok++;
      else bad.push(i);
    });
    hide();
    // each filter: choosing a value dims exactly the facts without it
    document.querySelectorAll("select[data-filter]").forEach(function (sel) {
      if (sel.options.length < 2) return;
      sel.value = sel.options[1].value;
      sel.dispatchEvent(new Event("change"));
      document.querySelectorAll("#articles mark.f[data-i]").forEach(function (m) {
        var i = Number(m.dataset.i), name = sel.dataset.filter, want = sel.value;
        var has = name === "kind" ? m.classList.contains("k-" + want)  // checked without matches()
          : name === "flag" ? (field(i, "flags") || "").split(";").indexOf(want) >= 0 : field(i, name) === want;
        if (m.classList.contains("dim") === has) bad.push("filter " + name);
      });
      sel.value = "";
      sel.dispatchEvent(new Event("change"));
    });
    if (document.querySelectorAll("#articles mark.dim").length) bad.push("filters not cleared");
    document.documentElement.dataset.selftest = bad.length ? "fail:" + bad.slice(0, 20).join(",") : "ok:" + ok;
  }
  document.documentElement.dataset.ready = "1";
  document.documentElement.dataset.readyMs = String(Math.round(performance.now()));  // from navigation start
})();
"""

_PAGE = """<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>{style}</style>
</head>
<body>
<header>
<h1>{title}</h1>
<p class="hint">{summary}</p>
<nav><a href="#articles">Articles</a><a href="#comparisons">Comparisons</a><a href="#timelines">Timelines</a></nav>
<div class="filters">{filters}</div>
</header>
{sections}
<div id="card" role="tooltip"></div>
<script type="application/json" id="facts">{data}</script>
<script>{script}</script>
</body>
</html>
"""
