"""zfacts: financial facts from Chinese news, as a table with provenance."""

from .engine.rules import RuleError, load_rules
from .fact import Fact
from .pipeline import extract_document, extract_paths, extract_text

__all__ = ["Fact", "RuleError", "extract_document", "extract_paths", "extract_text", "load_rules"]
__version__ = "0.1.0"
