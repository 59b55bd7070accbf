"""Choices as numbered text, for channels that cannot show buttons (SMS, console)."""

from __future__ import annotations

from fikir.dialog.messages import Reply


def numbered(reply: Reply, *, compact: bool = False) -> str:
    """The reply's text followed by "1 Label" per choice; compact puts them on one line."""
    if not reply.choices:
        return reply.text
    items = [f"{i} {choice.label}" for i, choice in enumerate(reply.choices, start=1)]
    if compact:
        return f"{reply.text}\n" + "  ".join(items)
    return reply.text + "\n" + "\n".join(f"  {item}" for item in items)
