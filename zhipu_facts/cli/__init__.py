"""The zfacts command line: thin commands over the library.

Errors the user can act on (missing path, bad rule file, unreadable article,
a table that is not a fact table) become one clear message and an exit
status; no traceback reaches the user. One module per command family.
"""

from __future__ import annotations

from . import authoring, extract, report, tables  # noqa: F401  (registers the commands)
from .common import app


def main() -> None:
    app()


__all__ = ["app", "main"]
