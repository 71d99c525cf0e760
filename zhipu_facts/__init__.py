"""zfacts: financial facts from Chinese news, as a table with provenance.

The library's product is the fact table (docs/schema.md); see zhipu_facts.api
and the README's "Python API" section.
"""

from .api import (
    Article,
    Articles,
    FactStream,
    Summary,
    article_inputs,
    as_date,
    extract,
    extract_file,
    extract_files,
    extract_records,
    extract_text,
    rows,
    shipped_rules,
    to_dataframe,
    write_table,
)
from .core.rule import RuleError
from .core.version import __version__  # noqa: F401 (the package's version, zhipu_facts.__version__)
from .engine.rules import RuleSet, load_rules
from .fact import Fact
from .ingest.read import InputError, find_files
from .options import ExtractOptions, OptionError

__all__ = [
    "Article", "Articles", "ExtractOptions", "Fact", "FactStream", "InputError", "OptionError", "RuleError", "RuleSet", "Summary",
    "article_inputs", "as_date", "extract",
    "extract_file", "extract_files", "extract_records", "extract_text", "find_files", "load_rules", "rows",
    "shipped_rules", "to_dataframe", "write_table",
]
