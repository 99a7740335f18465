"""The package's rooms import one another in one direction only, as docs/architecture.md draws them."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "ipreport"

# What each room may import besides itself; a room is a top-level module or subpackage of ipreport.
# Lower rooms first: util knows nothing of plans; readers never import the assessment; renderers take
# model objects and never reach back into the engine or the readers.
BASE = {"errors", "model", "util", "catalogue"}
ALLOWED: dict[str, set[str]] = {
    "errors": set(),
    "model": set(),
    "util": {"errors"},
    "catalogue": {"errors", "model", "util"},
    "plans": BASE,
    "statistics": BASE,
    "assessment": BASE,
    "render": BASE,
    "extract": BASE,
    "inputs": BASE | {"plans", "statistics"},
    "workspace": BASE | {"inputs", "plans", "statistics", "assessment", "render"},
    "regions": BASE | {"inputs", "plans", "statistics", "assessment", "render", "workspace"},
    "api": BASE | {"inputs", "plans", "statistics", "assessment", "render", "extract", "workspace", "regions"},
    "cli": BASE | {"api", "inputs", "plans", "statistics", "assessment", "render", "extract", "workspace",
                   "regions", "__init__"},
    "__main__": {"cli"},
    "__init__": set(),
}


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_module_name(p): p for p in PACKAGE.rglob("*.py")}


def _imports(path: Path) -> set[str]:
    """The ipreport modules a file imports, at the top or inside a function alike."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("ipreport"))
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("ipreport"):
            for alias in node.names:
                sub = f"{node.module}.{alias.name}"
                found.add(sub if sub in MODULES else node.module)
    return found


def _room(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


GRAPH = {name: _imports(path) - {name} for name, path in MODULES.items()}


def test_every_room_is_known():
    assert {_room(m) for m in MODULES} - set(ALLOWED) == set()


# Single modules another room may import, each argued in docs/architecture.md.
# Single modules a room may import beyond its rooms, each with its reason (none at present: the
# Word package check that extract and the report share lives in util/word_package.py).
NARROW: set[tuple[str, str]] = set()


def test_rooms_import_in_one_direction():
    wrong = sorted(
        f"{module} imports {target}"
        for module, targets in GRAPH.items()
        for target in targets
        if _room(target) != _room(module) and _room(target) not in ALLOWED[_room(module)]
        and (_room(module), target) not in NARROW
    )
    assert wrong == []


def test_render_room_templating_stays_below_the_report():
    wrong = sorted(
        f"{module} imports {target}"
        for module, targets in GRAPH.items()
        if module.startswith("ipreport.render.templating")
        for target in targets
        if target.startswith("ipreport.render") and not target.startswith("ipreport.render.templating")
    )
    assert wrong == []


def test_no_import_cycles():
    """No module reaches itself through imports, lazy ones included (a lazy cycle is still a knot)."""
    cycles: list[list[str]] = []
    state: dict[str, int] = {}  # 1: on the current path, 2: done

    def visit(module: str, path: list[str]) -> None:
        state[module] = 1
        for target in sorted(GRAPH.get(module, ())):
            if state.get(target) == 1:
                cycles.append(path[path.index(target):] + [target])
            elif target not in state:
                visit(target, [*path, target])
        state[module] = 2

    for module in sorted(GRAPH):
        if module not in state:
            visit(module, [module])
    assert cycles == []
