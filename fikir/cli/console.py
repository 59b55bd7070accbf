"""The console channel (`fikir chat`): a person types, the engine answers, choices by number."""

from __future__ import annotations

import asyncio
import secrets
import sys
from collections.abc import Sequence
from typing import TextIO

from fikir.dialog.messages import Inbound, Reply
from fikir.dialog.render import numbered
from fikir.runtime import Runtime


async def _read_line(stream: TextIO) -> str | None:
    line = await asyncio.to_thread(stream.readline)
    return line if line else None


def _write(stream: TextIO, replies: Sequence[Reply]) -> None:
    for reply in replies:
        stream.write(numbered(reply) + "\n\n")
    stream.flush()


async def chat(
    runtime: Runtime,
    *,
    user: str | None = None,
    language: str | None = None,
    channel: str = "console",
    stdin: TextIO = sys.stdin,
    stdout: TextIO = sys.stdout,
) -> None:
    """Talk to the engine line by line until end of input; the address never leaves this process."""
    address = user or secrets.token_hex(8)
    handled = await runtime.engine.handle(
        Inbound(channel=channel, address=address, text="/start", language_hint=language)
    )
    _write(stdout, handled.replies)
    while True:
        stdout.write("> ")
        stdout.flush()
        line = await _read_line(stdin)
        if line is None:
            stdout.write("\n")
            return
        handled = await runtime.engine.handle(
            Inbound(channel=channel, address=address, text=line.rstrip("\n"))
        )
        _write(stdout, handled.replies)
