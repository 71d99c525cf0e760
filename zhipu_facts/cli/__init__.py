"""The zfacts command line: thin commands over the library.

Errors the user can act on (missing path, bad rule file, unreadable article,
a table that is not a fact table) become one clear message and an exit
status; no traceback reaches the user. One module per command family.
"""

from __future__ import annotations

from ..table.write import guard_standard_streams
from . import authoring, extract, report, tables  # noqa: F401  (registers the commands)
from .common import app


def main() -> None:
    guard_standard_streams()  # `zfacts ... >&-`: an error naming standard output, not an AttributeError
    app()


__all__ = ["app", "main"]
