"""Main-content libraries compared on the HTML test pages (`make html-eval`).

For each library: the share of article facts found (the truth: tests/html_pages.py)
and the count of facts from outside the article, per page and in all, and
the median time per page. zfacts ships trafilatura; readability-lxml and
jusText come with the `eval` extra.
"""

from __future__ import annotations

import statistics
import sys
import time
from collections import Counter

from html_pages import BODIES, body_facts, key, page_text

from zhipu_facts.api import shipped_rules
from zhipu_facts.ingest import html as html_module
from zhipu_facts.ingest.html import read_page, trafilatura_lines
from zhipu_facts.pipeline import analyze


def readability_lines(tree) -> list[str] | None:
    import lxml.html
    from readability import Document

    summary = Document(lxml.html.tostring(tree, encoding="unicode")).summary(html_partial=True)
    return [t for t in lxml.html.fromstring(summary).itertext() if t.strip()]


def justext_lines(tree) -> list[str] | None:
    import justext
    import lxml.html

    source = lxml.html.tostring(tree, encoding="unicode")
    # jusText ships no Chinese stop list: its language-independent mode
    # (empty list, stop-word thresholds 0) judges by length and link density.
    paragraphs = justext.justext(source, frozenset(), stopwords_low=0, stopwords_high=0)
    return [p.text for p in paragraphs if not p.is_boilerplate]


def every_line(tree) -> list[str] | None:
    """No detection: every visible text of the page (the baseline)."""
    return [t for t in tree.itertext() if t.strip()]


original_prune = html_module._prune
LIBRARIES = {"trafilatura": trafilatura_lines, "readability-lxml": readability_lines,
             "jusText": justext_lines, "(none: all visible text)": every_line}


def main() -> int:
    rules = shipped_rules()
    tails = [r for r in rules.clean_rules if r.action == "drop_to_end"]
    for prune in (False, True):
        print(f"== {'with' if prune else 'without'} zfacts' pruning (navigation bars; headings its tail rules know "
              f"and what follows them)")
        html_module._prune = original_prune if prune else (lambda tree, tails: None)
        run(rules, tails)
    html_module._prune = original_prune
    return 0


def run(rules, tails) -> None:
    print(f"{'library':26} {'page':24} {'article facts':>13} {'found':>6} {'outside':>8} {'ms':>7}")
    for name, find in LIBRARIES.items():
        total = found = outside = 0
        times = []
        for page in BODIES:
            source = page_text(page)
            truth = body_facts(page)
            t0 = time.perf_counter()
            try:
                # "\0" matches no text: a library that finds nothing gets no fallback here
                parsed = read_page(source, tails, lambda tree, find=find: find(tree) or ["\0"])
            except ImportError as e:
                print(f"{name:26} not installed ({e.name}): pip install -e '.[eval]'")
                break
            got = Counter(key(f) for f in analyze(source, rules, html=True, page=parsed).facts)
            times.append((time.perf_counter() - t0) * 1000)
            hit = sum((got & truth).values())
            extra = sum((got - truth).values())
            total, found, outside = total + sum(truth.values()), found + hit, outside + extra
            print(f"{name:26} {page:24} {sum(truth.values()):13} {hit:6} {extra:8} {times[-1]:7.1f}")
        else:
            print(f"{name:26} {'all pages':24} {total:13} {found / total:6.1%} {outside:8} "
                  f"{statistics.median(times):7.1f} (median)")
        print()


if __name__ == "__main__":
    sys.exit(main())
