"""Imports run one way: the dialog engine never touches a channel library."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "fikir"
CHANNEL_LIBS = ("aiogram", "twilio", "fastapi", "starlette", "android_sms_gateway", "uvicorn")
CHANNEL_PACKAGES = ("fikir.bot", "fikir.sms", "fikir.web", "fikir.console", "fikir.cli")
DOMAINS = ("polls", "tagging", "safety", "privacy", "digest", "outbox", "i18n", "storage", "config")


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
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
