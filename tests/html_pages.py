"""The HTML test pages (tests/corpus/html) and the facts of their articles.

The truth for a page is what zfacts finds in the text of the elements that
bodies.yaml names, read as a plain-text article: it depends neither on the
main-content library nor on how zfacts aligns that library's output.
"""

from __future__ import annotations

import html
from collections import Counter
from pathlib import Path

import lxml.html
import yaml

import zhipu_facts as zf
from zhipu_facts.ingest.html import decode_page

PAGES = Path(__file__).parent / "corpus" / "html"
BODIES: dict[str, dict] = yaml.safe_load((PAGES / "bodies.yaml").read_text(encoding="utf-8"))


def page_text(name: str) -> str:
    return decode_page((PAGES / name).read_bytes())


def body_text(name: str) -> str:
    """The article elements' text, one text node per line (cells and paragraphs apart)."""
    tree = lxml.html.fromstring(page_text(name))
    lines = [t.strip() for xpath in BODIES[name]["article"] for el in tree.xpath(xpath) for t in el.itertext()]
    return "\n".join(t for t in lines if t)


def key(fact: zf.Fact) -> tuple[str, str, str]:
    """A fact as the comparison sees it: kind, text (references decoded), value."""
    return fact.kind, html.unescape(fact.text), repr((fact.value, fact.low, fact.high, fact.unit))


def body_facts(name: str) -> Counter:
    return Counter(key(f) for f in zf.extract_text(body_text(name), locale=BODIES[name].get("locale")))
