"""The package's import graph keeps to the layers the README lists: a module
imports only from its own layer and those below it, and no imports form a
cycle, function-level ones included (those under `if TYPE_CHECKING:` are
not imports at run time and do not count)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "zhipu_facts"


def layers() -> list[set[str]]:
    """The README's layer list, bottom first: each line's leading names."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = text.split("<!-- layers -->", 1)[1].split("<!-- /layers -->", 1)[0]
    out = []
    for line in block.strip("\n").splitlines():
        # "    authoring cluster review    what they are": the names before the gap
        out.append(set(re.split(r"\s{2,}", line.strip())[0].split()))
    return out


def modules() -> dict[str, Path]:
    out = {}
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(ROOT).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out[".".join(parts)] = path
    return out


def _type_checking_only(tree: ast.AST) -> set[int]:
    skip = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and getattr(node.test, "id", getattr(node.test, "attr", None)) == "TYPE_CHECKING":
            skip.update(id(n) for stmt in node.body for n in ast.walk(stmt))
    return skip


def imports(mods: dict[str, Path]) -> dict[str, set[str]]:
    """module -> the modules of the package it imports."""
    graph: dict[str, set[str]] = {}
    for name, path in mods.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        skip = _type_checking_only(tree)
        package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
        found: set[str] = set()
        for node in ast.walk(tree):
            if id(node) in skip:
                continue
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = package[: len(package) - node.level + 1] if node.level else []
                mod = ".".join(base + ([node.module] if node.module else []))
                targets = [mod] + [f"{mod}.{a.name}" for a in node.names]
            for t in targets:
                while t and t not in mods:
                    t = t.rpartition(".")[0]
                if t and t != name and t.startswith("zhipu_facts"):
                    found.add(t)
        graph[name] = found
    return graph


def layer_of(module: str, order: list[set[str]]) -> int:
    rest = module.split(".", 1)[1] if "." in module else "zhipu_facts"
    head = rest.split(".")[0]
    for i, names in enumerate(order):
        if head in names:
            return i
    raise AssertionError(f"{module} is in no layer of the README's list: add it there")


def test_every_import_runs_down_the_layers():
    order = layers()
    graph = imports(modules())
    upward = [f"{m} (layer {layer_of(m, order)}) imports {t} (layer {layer_of(t, order)})"
              for m, ts in sorted(graph.items()) for t in sorted(ts) if layer_of(t, order) > layer_of(m, order)]
    assert not upward, "imports that run up the layers:\n" + "\n".join(upward)


def test_no_import_cycles():
    graph = imports(modules())
    # A module that reaches itself again through its imports is in a cycle.
    cycles = []
    for start in sorted(graph):
        seen, stack = set(), list(graph[start])
        while stack:
            m = stack.pop()
            if m == start:
                cycles.append(start)
                break
            if m not in seen:
                seen.add(m)
                stack.extend(graph[m])
    assert not cycles, f"modules in an import cycle: {cycles}"


def test_the_ground_floor_imports_nothing_else_of_zfacts():
    graph = imports(modules())
    core = {m: ts for m, ts in graph.items() if m.startswith("zhipu_facts.core")}
    assert core and all(t.startswith("zhipu_facts.core") for ts in core.values() for t in ts)


@pytest.mark.parametrize("source, bad", [
    ("from ..api import x\n", "zhipu_facts.api"),
    ("def f():\n    from ..pipeline import analyze\n", "zhipu_facts.pipeline"),
])
def test_the_check_sees_module_and_function_level_imports(tmp_path, source, bad):
    # The graph reader itself: an upward import at module or function level is found.
    mods = modules()
    fake = tmp_path / "fake.py"
    fake.write_text(source, encoding="utf-8")
    mods["zhipu_facts.core.fake"] = fake
    assert bad in imports(mods)["zhipu_facts.core.fake"]
