"""Where the rules shipped with zfacts live: the ground floor reads one of
their files (the numeral table), and the rule loader all of them."""

from __future__ import annotations

import importlib.resources
from functools import lru_cache
from pathlib import Path


@lru_cache(maxsize=1)
def shipped_rules_dir() -> Path:
    """The rule folder shipped with the package (or the repo's, in a checkout).
    A package imported from a zip archive (a zipped wheel) has its rules
    copied to a temporary folder once: their readers read files."""
    packaged = importlib.resources.files("zhipu_facts") / "rules"
    if isinstance(packaged, Path):
        if packaged.is_dir():
            return packaged
    elif packaged.is_dir():
        return _copied(packaged)
    return Path(__file__).resolve().parents[2] / "rules"


def _copied(tree) -> Path:
    import atexit
    import shutil
    import tempfile

    root = Path(tempfile.mkdtemp(prefix="zfacts-rules-"))
    atexit.register(shutil.rmtree, root, True)
    _copy(tree, root)
    return root


def _copy(tree, to: Path) -> None:
    for item in tree.iterdir():
        if item.is_dir():
            (to / item.name).mkdir()
            _copy(item, to / item.name)
        else:
            (to / item.name).write_bytes(item.read_bytes())
