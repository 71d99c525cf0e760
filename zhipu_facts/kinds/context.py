"""What a normalizer may know beyond its own match: the article so far.

Normalizers only read a Context; the pipeline updates it after each fact,
through the `remember` function of the fact's kind (see kinds/__init__.py),
so a normalizer is a pure function of its match and this context.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..vocabulary import Vocabulary


@dataclass
class Context:
    vocab: Vocabulary
    published: dt.date | None
    text: str = ""  # the cleaned view the candidates index (what stands before a number)
    local_currency: str = "CNY"  # what a bare 元 is in the article's locale
    # True when that is a guess: traditional-script text whose locale nothing
    # decided (no option, front matter, page language or cues) may be from
    # Taiwan or Hong Kong, so a bare 元 read as CNY is flagged implied_currency.
    local_guessed: bool = False
    # The last resolved date in reading order: (year, month or None), and its period.
    last_year: int | None = None
    last_month: int | None = None
    last_period: Any = None  # kinds.date.Period
    last_date_sentence: int = -2  # the sentence that date stands in
    # What an open counter (只) last counted in the article, by its tail noun
    # (304只偏股型基金: funds), for the same counter alone later (其中170多只).
    open_counted: dict[str, str] = field(default_factory=dict)
    # Per sentence, reset on entering the next one: the currency of the last
    # money fact, and the dates already seen.
    sentence: int = -1
    sentence_start: int = 0  # where it begins and ends in `text`
    sentence_end: int = 0
    sentence_currency: str | None = None
    sentence_dates: list[tuple[int, int | None]] = field(default_factory=list)
    # The same for a run of sentences joined by semicolons (……营收30亿元;其中第三季度……)
    run_dates: list[tuple[int, int | None]] = field(default_factory=list)

    def enter_sentence(self, index: int, start: int = 0, end: int | None = None) -> None:
        """Entering sentence `index`, which spans text[start:end]."""
        if index != self.sentence:
            self.sentence = index
            self.sentence_start, self.sentence_end = start, len(self.text) if end is None else end
            if not _after_semicolon(self.text, start):
                self.run_dates = []  # a semicolon joins sentences into one run: its dates carry on
            self.sentence_currency = None
            self.sentence_dates = []


def _after_semicolon(text: str, at: int) -> bool:
    """Whether text[at] follows a semicolon (spaces between allowed)."""
    i = at - 1
    while i >= 0 and text[i] == " ":
        i -= 1
    return i >= 0 and text[i] == ";"
