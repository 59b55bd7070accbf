"""The channel registry is the one place a channel's name is spelled out in fikir/.

Outside fikir/config/channels.py, a channel's name may appear as a string only in its own
adapter (the registry entry's `adapter` module or package). Everything else asks the registry
for capabilities, so a new channel is one adapter and one entry.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

from fikir.config.channels import (
    CHANNELS,
    FAMILIES,
    PROACTIVE_FAMILIES,
    TEST_CHANNELS,
    channel_of,
    members,
)

PACKAGE = Path(__file__).resolve().parent.parent / "fikir"
REGISTRY = PACKAGE / "config" / "channels.py"
# Module-level names that are not channels though they look like one.
NOT_CHANNELS = frozenset({"smsgate"})


def _owner_paths(adapter: str) -> tuple[Path, ...]:
    """The file or package of an adapter ("fikir.bot" → fikir/bot/, "fikir.cli.console" → …)."""
    base = PACKAGE.parent.joinpath(*adapter.split("."))
    return (base, base.with_suffix(".py"))


def _names_in(text: str) -> set[str]:
    """Channel names a string literal spells: itself, or as `name:`/`name%` (a prefix or LIKE)."""
    found = set()
    for name in set(CHANNELS) | set(FAMILIES):
        if re.fullmatch(re.escape(name) + r"[:%]?", text) or re.match(
            re.escape(name) + r":\S", text
        ):
            found.add(name)
    return found


def _literals(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    return [
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in docstrings
    ]


def _allowed(path: Path, name: str) -> bool:
    channel = CHANNELS.get(name) or CHANNELS[members(name)[0]]
    owners = {
        owner
        for other in CHANNELS.values()
        if other.family == channel.family or other.name == name
        for owner in _owner_paths(other.adapter)
    }
    return any(path == owner or owner in path.parents for owner in owners)


def offenders(paths: list[Path]) -> list[str]:
    found = []
    for path in paths:
        if path == REGISTRY:
            continue
        for line, text in _literals(path):
            for name in sorted(_names_in(text) - NOT_CHANNELS):
                if not _allowed(path, name):
                    found.append(
                        f"{path.name}:{line}: {text!r}"
                        if PACKAGE not in path.parents
                        else f"{path.relative_to(PACKAGE.parent)}:{line}: {text!r}"
                    )
    return found


def test_no_channel_name_outside_the_registry_and_its_adapter() -> None:
    assert offenders(sorted(PACKAGE.rglob("*.py"))) == []


def test_the_scan_sees_a_bare_channel_name(tmp_path: Path) -> None:
    """The check is not vacuous: what the dialog and SQL used to carry is caught."""
    sample = tmp_path / "fikir_sample.py"
    sample.write_text(
        '"""A docstring may say sms."""\n'
        "def f(channel):\n"
        '    if channel.startswith("sms"):\n'
        '        return "whatsapp:+994"\n'
        '    return col.like("sms%"), "telegram", "sms-ref", "smsgate"\n',
        encoding="utf-8",
    )
    assert sorted(hit.split(": ", 1)[1] for hit in offenders([sample])) == [
        "'sms%'",
        "'sms'",
        "'telegram'",
        "'whatsapp:+994'",
    ]


def test_an_adapter_may_spell_its_own_name_only() -> None:
    bot = PACKAGE / "bot" / "updates.py"
    assert _allowed(bot, "telegram")
    assert not _allowed(bot, "sms")
    assert _allowed(PACKAGE / "sms" / "outbound.py", "sms-twilio")
    assert not _allowed(PACKAGE / "sms" / "outbound.py", "whatsapp")
    assert _allowed(PACKAGE / "whatsapp" / "address.py", "whatsapp")


def test_every_entry_names_an_adapter_that_exists() -> None:
    for channel in CHANNELS.values():
        assert any(path.exists() for path in _owner_paths(channel.adapter)), channel.name


def test_capabilities_decide_not_names() -> None:
    whatsapp = channel_of("whatsapp")
    assert whatsapp.family == "whatsapp" and not whatsapp.paid and not whatsapp.buttons
    assert whatsapp.window is not None and whatsapp.window.total_seconds() == 24 * 3600
    assert channel_of("sms-twilio").family == channel_of("sms-gateway").family == "sms"
    assert channel_of("sms-newprovider").family == "sms"  # a new SMS provider is still SMS
    assert channel_of("simulator-sms").family == "simulator-sms"  # not the real SMS family
    assert channel_of("unheard-of").family == "unheard-of" and not channel_of("x").proactive
    assert set(TEST_CHANNELS) == {"console", "simulator", "simulator-sms"}
    assert PROACTIVE_FAMILIES == ("telegram", "sms", "whatsapp")
    assert members("sms") == ("sms", "sms-twilio", "sms-gateway")


def test_channel_adapters_do_not_import_the_web_package() -> None:
    from tests.test_layering import _imports

    offenders = []
    for package in ("bot", "sms", "whatsapp"):
        for path in (PACKAGE / package).rglob("*.py"):
            offenders += [
                f"{package}/{path.name}: {name}"
                for name in _imports(path)
                if name == "fikir.web" or name.startswith("fikir.web.")
            ]
    assert offenders == []
