"""extract's options as one value, validated once: the CLI builds it, the
library (api.extract_files) runs it, the cluster driver sends it to its
workers. A bad value is an OptionError that names the option."""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from .engine.rules import RuleSet, load_rules
from .ingest.collections import Fields
from .enrich.fx import user_rates
from .ingest.formats import input_format
from .ingest.locale import check_locale


class OptionError(ValueError):
    """An option's value cannot be used; `option` is its command-line name."""

    def __init__(self, option: str, message: str):
        super().__init__(message)
        self.option = option


@lru_cache(maxsize=1)
def shipped_rules() -> RuleSet:
    """The rules that ship with zfacts, loaded once per process."""
    return load_rules()


@lru_cache(maxsize=4)
def rules_with(rule_dirs: tuple[Path, ...]) -> RuleSet:
    """The shipped rules with these folders laid over them, loaded once per process."""
    return load_rules(list(rule_dirs)) if rule_dirs else shipped_rules()


def as_date(value: dt.date | str | None) -> dt.date | None:
    """A publication date from a `date`, an ISO string (`2025-02-11`) or None.

    >>> as_date("2025-02-11")
    datetime.date(2025, 2, 11)
    """
    if value is None or (isinstance(value, dt.date) and not isinstance(value, dt.datetime)):
        return value
    if isinstance(value, dt.datetime):
        return value.date()
    try:
        return dt.date.fromisoformat(str(value).strip()[:10])
    except ValueError:
        raise ValueError(f"not a date YYYY-MM-DD: {value!r}") from None


@dataclass(frozen=True)
class ExtractOptions:
    """How articles are read into facts. `published` dates the articles that
    give no date of their own (a date or YYYY-MM-DD); `locale` (zh-CN, zh-TW,
    zh-HK) overrides each article's; `input_format` reads every file named
    in one format (ingest/formats.py; default: by extension); `fields` names
    a collection's fields; `jobs` processes (0: one per core); `stream`: a
    long article's facts as a FactStream (api.extract_files). The rules are
    `rules`, else the shipped ones with `rule_dirs` laid over them (what a
    cluster's workers load for themselves)."""

    published: dt.date | str | None = None
    locale: str | None = None
    input_format: str | None = None
    fields: Fields = field(default_factory=Fields)
    jobs: int = 1
    stream: bool = False
    rules: RuleSet | None = field(default=None, compare=False, repr=False)
    rule_dirs: tuple[Path, ...] = ()

    def __post_init__(self) -> None:
        if self.jobs < 0:
            raise OptionError("--jobs", f"{self.jobs}; give 0 (one per core) or a number of processes")
        if self.input_format is not None:
            try:
                input_format(self.input_format)
            except ValueError as e:
                raise OptionError("--input-format", str(e)) from None
        try:
            object.__setattr__(self, "published", as_date(self.published))
        except ValueError:
            raise OptionError("--published", f"{self.published!r} is not a date YYYY-MM-DD") from None
        object.__setattr__(self, "rule_dirs", tuple(Path(d) for d in self.rule_dirs))
        if self.fields is None:  # extract_files(fields=None) meant the conventional names
            object.__setattr__(self, "fields", Fields())
        try:
            user_rates()  # a rate file that cannot be read stops the run before any article
        except ValueError as e:
            raise OptionError("ZFACTS_FX_RATES", str(e)) from None
        rules = self.ruleset  # RuleError for rules that cannot be loaded, before any article is read
        if self.locale is not None:
            try:
                check_locale(self.locale, rules.vocab)
            except ValueError as e:
                raise OptionError("--locale", str(e)) from None

    @property
    def ruleset(self) -> RuleSet:
        return self.rules if self.rules is not None else rules_with(self.rule_dirs)

    def for_workers(self) -> ExtractOptions:
        """These options without the compiled rules: a cluster's workers load them from `rule_dirs`."""
        return dataclasses.replace(self, rules=None)
