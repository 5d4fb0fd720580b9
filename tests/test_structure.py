"""The package's structure, read from its source with `ast` (nothing is imported).

- No import cycle, between modules or between subpackages. Imports inside functions
  count (a lazy import is still a dependency); imports under `if TYPE_CHECKING:` do not.
- No module imports another subpackage's private module (`dlguide.models` may import
  `dlguide.scratch`, not `dlguide.scratch._conv`); the shared top-level private modules
  (`dlguide._validation`, `dlguide._shapes`) are for everyone.
- One validation module: a check (`check_*` or `_check_*` function) that more than one
  module uses lives in `dlguide/_validation.py`; elsewhere a check is private to its module.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "dlguide"
SHARED = {"dlguide._validation", "dlguide._shapes"}


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _is_package(name: str) -> bool:
    return MODULES.get(name, Path()).name == "__init__.py"


def _type_checking_lines(tree: ast.AST) -> set[int]:
    lines: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            for child in node.body:
                lines.update(range(child.lineno, (child.end_lineno or child.lineno) + 1))
    return lines


def _imports(module: str, tree: ast.AST) -> set[str]:
    """The dlguide modules that `module` imports (resolved; `from x import y` may name a module)."""
    package = module if _is_package(module) else module.rpartition(".")[0]
    skip = _type_checking_lines(tree)
    found = set()
    for node in ast.walk(tree):
        if getattr(node, "lineno", None) in skip:
            continue
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                source = ".".join([*base, *([node.module] if node.module else [])])
            else:
                source = node.module or ""
            for alias in node.names:
                candidate = f"{source}.{alias.name}"
                found.add(candidate if candidate in MODULES else source)
    return {name for name in found if name in MODULES and name != module}


TREES = {name: ast.parse(path.read_text(encoding="utf-8")) for name, path in MODULES.items()}
GRAPH = {name: _imports(name, tree) for name, tree in TREES.items()}


def _subpackage(module: str) -> str | None:
    """`models` for `dlguide.models._cnn`; None for top-level modules such as `dlguide._cli`."""
    parts = module.split(".")
    if len(parts) >= 2 and _is_package(".".join(parts[:2])):
        return parts[1]
    return None


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one node (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for other in graph.get(node, ()):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in on_stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_the_import_graph_was_read():
    assert len(GRAPH) >= 60
    assert "dlguide._validation" in GRAPH["dlguide.models._cnn"]
    assert "dlguide.exercises._registry" in GRAPH["dlguide.exercises._solutions"]


def test_no_import_cycle_between_modules():
    assert _cycles(GRAPH) == []


def test_no_import_cycle_between_subpackages():
    graph: dict[str, set[str]] = defaultdict(set)
    for module, imported in GRAPH.items():
        for other in imported:
            a, b = _subpackage(module), _subpackage(other)
            if a and b and a != b:
                graph[a].add(b)
    assert _cycles(dict(graph)) == []


def test_no_import_of_another_subpackage_s_private_module():
    offences = []
    for module, imported in GRAPH.items():
        for other in imported:
            private = any(part.startswith("_") for part in other.split(".")[2:])
            if private and _subpackage(other) and _subpackage(other) != _subpackage(module):
                offences.append(f"{module} imports {other}")
    assert offences == [], "import the subpackage's public names instead"


def test_shared_checks_live_in_the_validation_module():
    defined = {}
    for module, tree in TREES.items():
        if module in SHARED:
            continue
        for node in tree.body:
            if isinstance(node, ast.FunctionDef) and node.name.lstrip("_").startswith("check"):
                defined[node.name] = module
    users = defaultdict(set)
    for module, tree in TREES.items():
        for node in ast.walk(tree):
            name = getattr(node, "id", None) or getattr(node, "attr", None)
            if name in defined:
                users[name].add(module)
    shared = {name: sorted(users[name]) for name in defined if users[name] - {defined[name]}}
    assert shared == {}, "move these checks to dlguide/_validation.py"


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("from ..scratch._conv import x", {"dlguide.scratch._conv"}),
        ("from .. import scratch", {"dlguide.scratch"}),
        ("from .._validation import check_bool", {"dlguide._validation"}),
        ("import dlguide.text", {"dlguide.text"}),
        ("def f():\n    from . import _registry", {"dlguide.exercises._registry"}),
        ("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from .. import models", set()),
    ],
)
def test_imports_are_resolved(source, expected):
    assert _imports("dlguide.exercises._check", ast.parse(source)) == expected


def test_a_cycle_is_found():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert _cycles(graph) == [["a", "b", "c"]]
