"""The README's Python examples run as doctests."""

from __future__ import annotations

import doctest

from conftest import ROOT


def test_readme_examples_run():
    result = doctest.testfile(str(ROOT / "README.md"), module_relative=False, optionflags=doctest.ELLIPSIS)
    assert result.attempted >= 3
    assert result.failed == 0
