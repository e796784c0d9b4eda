"""The shape of the code: layers as folders, no import cycles, modules a newcomer can read.

Imports are read from the source with ``ast``, inside functions too: a lazy import
(kept lazy so that ``advisor --help`` stays fast) still ties two modules together.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "advisor"
MAX_LINES = 350


def modules() -> dict[str, Path]:
    """Every module of the package, by dotted name (a package by its own name)."""
    found: dict[str, Path] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


MODULES = modules()


def imported(name: str, path: Path) -> Iterator[str]:
    """The advisor modules one module imports, anywhere in its body (importing a.b imports a too)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        targets: list[str] = []
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, *([node.module] if node.module else [])])
            targets = [base, *(f"{base}.{alias.name}" for alias in node.names)]
        for target in targets:
            if target not in MODULES:
                continue
            parts = target.split(".")
            for end in range(1, len(parts) + 1):
                ancestor = ".".join(parts[:end])
                if ancestor in MODULES and ancestor != name and not name.startswith(ancestor + "."):
                    yield ancestor


GRAPH = {name: set(imported(name, path)) for name, path in MODULES.items()}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for other in sorted(graph[node]):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            component = []
            while True:
                other = stack.pop()
                component.append(other)
                if other == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_the_cycle_finder_finds_a_cycle() -> None:
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_the_import_reader_sees_imports_inside_functions(tmp_path: Path) -> None:
    module = tmp_path / "m.py"
    module.write_text("def f():\n    from advisor.cli import main\n    return main\n")
    assert "advisor.cli" in set(imported("advisor.fake", module))


def test_no_import_cycles_even_through_lazy_imports() -> None:
    assert cycles(GRAPH) == []


@pytest.mark.parametrize("name", sorted(MODULES))
def test_no_module_is_longer_than_a_reader_can_hold(name: str) -> None:
    lines = len(MODULES[name].read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES, f"{name} has {lines} lines (at most {MAX_LINES})"


def test_no_command_imports_the_cli() -> None:
    offenders = sorted(n for n in GRAPH if n.startswith("advisor.commands") and "advisor.cli" in GRAPH[n])
    assert offenders == []


def reaches(start: str, target_prefix: str) -> bool:
    """Whether a module imports, directly or not, a module under target_prefix."""
    seen, todo = set(), [start]
    while todo:
        node = todo.pop()
        for other in GRAPH[node]:
            if other == target_prefix or other.startswith(target_prefix + "."):
                return True
            if other not in seen:
                seen.add(other)
                todo.append(other)
    return False


@pytest.mark.parametrize(
    ("layer", "below"),
    [
        ("advisor.facts", "advisor.engine"),
        ("advisor.rulebase", "advisor.engine"),
        ("advisor.engine", "advisor.explain"),
        ("advisor.engine", "advisor.render"),
        ("advisor.explain", "advisor.render"),
        ("advisor.render", "advisor.commands"),
        ("advisor.brief.blocks", "advisor.engine"),
        ("advisor.brief.markdown_text", "advisor.engine"),
        ("advisor.brief.html_page", "advisor.engine"),
    ],
)
def test_layers_point_one_way(layer: str, below: str) -> None:
    """A lower layer never reaches up: the flow runs facts -> engine -> explanations -> renderings."""
    assert layer in GRAPH, f"{layer} is not a module"
    assert not reaches(layer, below), f"{layer} imports {below}"


def test_the_cli_starts_without_the_heavy_libraries() -> None:
    """`advisor --help` stays quick: building the command line imports no pydantic, rich or experta
    (each command imports what it needs when it runs); a module-level import in a command broke this."""
    heavy = "('pydantic', 'rich', 'experta')"
    code = f"import sys, advisor.cli; print(sorted(m for m in {heavy} if m in sys.modules))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
