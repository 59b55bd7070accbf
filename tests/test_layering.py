"""Imports run one way: the dialog engine never touches a channel library."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "fikir"
CHANNEL_LIBS = ("aiogram", "twilio", "fastapi", "starlette", "android_sms_gateway", "uvicorn")
CHANNEL_PACKAGES = ("fikir.bot", "fikir.sms", "fikir.web", "fikir.cli")
DOMAINS = (
    "polls",
    "tagging",
    "safety",
    "privacy",
    "digest",
    "outbox",
    "i18n",
    "storage",
    "config",
    "updates",
    "translations",
    "surveys",
)


def _imports(path: Path) -> set[str]:
    """Every module a file imports, at any level (lazily too); `from a import b` gives both a
    and a.b, since b may be a module. fikir uses no relative imports (ruff's I rules)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            assert node.level == 0, f"{path}: relative import"
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def test_dialog_source_imports_no_channel() -> None:
    offenders = []
    for path in (PACKAGE / "dialog").rglob("*.py"):
        for name in _imports(path):
            if name.split(".")[0] in CHANNEL_LIBS or name.startswith(CHANNEL_PACKAGES):
                offenders.append(f"{path.name}: {name}")
    assert not offenders, offenders


def test_domains_do_not_import_upwards() -> None:
    offenders = []
    for domain in DOMAINS:
        for path in (PACKAGE / domain).rglob("*.py"):
            for name in _imports(path):
                if name.startswith(("fikir.dialog",) + CHANNEL_PACKAGES):
                    offenders.append(f"{domain}/{path.name}: {name}")
    assert not offenders, offenders


def test_importing_the_engine_loads_no_channel_library() -> None:
    code = (
        "import sys, fikir.dialog.engine, fikir.dialog.services;"
        f"print([m for m in sys.modules if m.split('.')[0] in {CHANNEL_LIBS!r}])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]", out.stdout


# The columns that hold a conversation's state; only the dialog writes them.
STATE_COLUMNS = {"state", "state_data"}


def _writes_state(tree: ast.AST) -> list[int]:
    """Lines that assign `x.state`/`x.state_data`, or pass them as keywords (update().values())."""
    lines = []
    for node in ast.walk(tree):
        targets: list[ast.expr] = []
        if isinstance(node, ast.Assign):
            targets = list(node.targets)
        elif isinstance(node, ast.AugAssign | ast.AnnAssign):
            targets = [node.target]
        lines += [
            node.lineno
            for target in targets
            if isinstance(target, ast.Attribute) and target.attr in STATE_COLUMNS
        ]
        if isinstance(node, ast.Call):
            lines += [node.lineno for kw in node.keywords if kw.arg in STATE_COLUMNS]
        if isinstance(node, ast.Constant) and node.value == "state_data":
            lines.append(node.lineno)
    return lines


def test_only_the_dialog_writes_conversation_state() -> None:
    """Other packages start a conversation step through a dialog function (dialog.outreach)."""
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        relative = path.relative_to(PACKAGE)
        if relative.parts[0] in {"dialog", "storage"}:
            continue  # the owner, and the table's definition and migrations
        offenders += [f"{relative}:{line}" for line in _writes_state(ast.parse(path.read_text()))]
    assert not offenders, offenders


def test_the_state_check_sees_a_write() -> None:
    """The check above is not vacuous: the code that broadcast used to carry is caught."""
    sample = (
        "respondent.state = 'poll'\n"
        "session.exec(update(t).values(state='poll', state_data=bindparam('data')))\n"
        "row['state_data']\n"
    )
    assert _writes_state(ast.parse(sample)) == [1, 2, 2, 3]


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _module_graph() -> dict[str, set[str]]:
    """Which fikir modules each fikir module imports (at any level, lazily too)."""
    modules = {_module_name(path): path for path in PACKAGE.rglob("*.py")}
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        found = _imports(path)
        graph[name] = {target for target in found if target in modules and target != name}
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected groups of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in graph[node]:
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return groups


def test_no_import_circles() -> None:
    """A package's __init__ re-exporting its own modules is not a circle; anything else is."""
    graph = _module_graph()
    for name, targets in graph.items():
        # `from fikir.x import y` names the package fikir.x; its __init__ importing its own
        # submodules is how a package exposes them, not a dependency of the submodule on it.
        graph[name] = {t for t in targets if not (name.startswith(t + ".") and t != name)}
    assert _cycles(graph) == []


def test_the_circle_check_sees_a_circle() -> None:
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": set()}) == [["a", "b", "c"]]


def test_modules_stay_small() -> None:
    """A module over 400 lines holds more than one thing; migrations are generated, not read."""
    long = {
        str(path.relative_to(PACKAGE)): lines
        for path in PACKAGE.rglob("*.py")
        if "migrations" not in path.parts
        and (lines := len(path.read_text(encoding="utf-8").splitlines())) > 400
    }
    assert long == {}
