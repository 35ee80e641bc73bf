"""The code's shape is checked, not hoped for: every service has the one skeleton, the layers hold
(import-linter's contracts in pyproject.toml), no module imports itself back through others, and
no import hides inside a function unless it says why."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import grimp
import pytest

REPO = Path(__file__).resolve().parents[1]
PACKAGES = {  # installed package -> its source folder
    "plan_registry": REPO / "services/plan-registry/plan_registry",
    "budget_ledger": REPO / "services/budget-ledger/budget_ledger",
    "monitoring": REPO / "services/monitoring/monitoring",
    "gateway": REPO / "services/gateway/gateway",
    "dgplan_shared": REPO / "shared/dgplan_shared",
    "dgplan_contracts": REPO / "shared/dgplan_contracts",
}
for optional in ("console", "notifications"):
    if (REPO / f"services/{optional}/{optional}").is_dir():
        PACKAGES[optional] = REPO / f"services/{optional}/{optional}"

LAYERS = ("api", "application", "domain", "adapters")
SERVICE_FILES = ("__init__.py", "__main__.py", "cli.py", "definition.py", "settings.py")
SERVICES = [p for p in PACKAGES if not p.startswith("dgplan_")]


def _skeleton_roots() -> dict[str, Path]:
    roots = {name: PACKAGES[name] for name in SERVICES if name != "gateway"}
    roots["gateway.edge"] = PACKAGES["gateway"] / "edge"
    roots["gateway.governance"] = PACKAGES["gateway"] / "governance"
    return roots


@pytest.mark.parametrize("service", SERVICES)
def test_every_service_package_has_the_service_files(service: str) -> None:
    root = PACKAGES[service]
    missing = [f for f in SERVICE_FILES if not (root / f).is_file()]
    assert not missing, f"{service} lacks {missing}"
    assert (root / "migrations" / "versions").is_dir(), f"{service} has no migrations/versions"


@pytest.mark.parametrize("half", sorted(_skeleton_roots()))
def test_every_service_and_gateway_half_has_the_same_layers(half: str) -> None:
    root = _skeleton_roots()[half]
    missing = [layer for layer in LAYERS if not (root / layer / "__init__.py").is_file()]
    assert not missing, f"{half} lacks the layers {missing}"
    # Nothing else beside the layers, the events package and the service files: a newcomer finds
    # every module in one of a few known places. Besides cli.py, a service may keep its own CLI verbs
    # in commands.py and its daemons' loops in daemons.py (both wired by definition.py); the edge has
    # its ASGI proxy (proxy/) and its per-process state (state.py, wired by wiring.py).
    allowed = {*LAYERS, "events", "migrations", "templates", "static", "locale", *SERVICE_FILES, "metadata.py",
               "commands.py", "daemons.py", "__pycache__", "edge", "governance", "seed", "README.md"}
    if half == "gateway.edge":
        allowed |= {"proxy", "state.py", "wiring.py"}
    extra = sorted(p.name for p in root.iterdir() if p.name not in allowed)
    assert not extra, f"{half} has modules outside the skeleton: {extra}"


def test_import_linter_contracts_hold() -> None:
    result = subprocess.run([str(Path(sys.executable).with_name("lint-imports")), "--no-cache"],
                            cwd=REPO, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]
    assert "0 broken" in result.stdout, result.stdout[-2000:]


def _cycles(graph: grimp.ImportGraph) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    found: list[list[str]] = []
    counter = 0
    for start in sorted(graph.modules):
        if start in index:
            continue
        work = [(start, iter(sorted(graph.find_modules_directly_imported_by(start))))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            advanced = False
            for child in children:
                if child not in graph.modules:
                    continue
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.find_modules_directly_imported_by(child)))))
                    advanced = True
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            if advanced:
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
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
    return found


def test_no_import_circles() -> None:
    graph = grimp.build_graph(*PACKAGES, include_external_packages=False)
    # A package's __init__ importing its own submodules is not a circle a reader trips over.
    for module in list(graph.modules):
        for imported in list(graph.find_modules_directly_imported_by(module)):
            if imported.startswith(module + "."):
                graph.remove_import(importer=module, imported=imported)
    assert _cycles(graph) == []


def _hidden_imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    lines = path.read_text(encoding="utf-8").splitlines()
    hidden = []
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            for inner in ast.walk(node):
                if isinstance(inner, (ast.Import, ast.ImportFrom)):
                    said = lines[inner.lineno - 1] + (lines[inner.lineno - 2] if inner.lineno > 1 else "")
                    if "lazy:" not in said:
                        hidden.append(f"{path.relative_to(REPO)}:{inner.lineno}")
    return hidden


def test_no_import_hides_inside_a_function_without_saying_why() -> None:
    """A function-level import is allowed only with a ``# lazy: <reason>`` comment (a heavy optional
    dependency, a tool only one command needs), never to dodge a circle."""
    hidden = []
    for root in PACKAGES.values():
        for path in sorted(root.rglob("*.py")):
            if "migrations" in path.parts or "tests" in path.parts:
                continue
            hidden += _hidden_imports(path)
    assert hidden == []


def test_the_plumbing_names_no_service() -> None:
    """``dgplan_shared`` is plumbing: no string in its code (docstrings and comments aside) is a
    service's name, so a sixth service or a renamed one needs no change there. The front door is a
    flag of the service definition (``fronts_services``), not the name "gateway"."""
    names = {"plan-registry", "budget-ledger", "monitoring", "gateway", "notifications", "console"}
    found = []
    for path in sorted((PACKAGES["dgplan_shared"]).rglob("*.py")):
        if "testing" in path.relative_to(PACKAGES["dgplan_shared"]).parts:
            continue  # the test fixtures stand up the real services by name
        tree = ast.parse(path.read_text())
        docstrings = {
            id(node.body[0].value) for node in ast.walk(tree)
            if isinstance(node, (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
            and node.body and isinstance(node.body[0], ast.Expr) and isinstance(node.body[0].value, ast.Constant)
        }
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
                if node.value in names or any(node.value.startswith(f"{n}.") for n in names):
                    found.append(f"{path.relative_to(REPO)}:{node.lineno} {node.value!r}")
    assert found == []
