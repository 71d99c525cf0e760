"""zfacts: financial facts from Chinese news, as a table with provenance."""

from .model import Fact
from .pipeline import extract_document, extract_paths, extract_text
from .rules import RuleError, load_rules

__all__ = ["Fact", "RuleError", "extract_document", "extract_paths", "extract_text", "load_rules"]
__version__ = "0.1.0"
