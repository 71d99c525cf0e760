"""Where the rules shipped with zfacts live: the ground floor reads one of
their files (the numeral table), and the rule loader all of them."""

from __future__ import annotations

import importlib.resources
from pathlib import Path


def shipped_rules_dir() -> Path:
    """The rule folder shipped with the package (or the repo's, in a checkout)."""
    packaged = Path(str(importlib.resources.files("zhipu_facts"))) / "rules"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "rules"
