"""Acknowledged means durable: SQLite commits inbound messages with synchronous=FULL, and the
spool fsyncs each entry, the directory that names it, and a newly made spool directory's parent.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event

from fikir.dialog.messages import Inbound
from fikir.runtime import Runtime
from fikir.spool.entry import encode
from fikir.spool.store import Spool
from tests.conftest import TEST_SECRET

FULL = 2  # PRAGMA synchronous: 0 OFF, 1 NORMAL, 2 FULL, 3 EXTRA


async def test_inbound_commits_run_with_synchronous_full(sqlite_runtime: Runtime) -> None:
    levels: list[int] = []

    def on_commit(connection: Any) -> None:
        cursor = connection.connection.dbapi_connection.cursor()
        cursor.execute("PRAGMA synchronous")
        levels.append(int(cursor.fetchone()[0]))
        cursor.close()

    event.listen(sqlite_runtime.db.sync_engine, "commit", on_commit)
    try:
        for n in range(3):
            inbound = Inbound("sms-twilio", f"+99450123456{n}", "Salam", external_id=f"tw:{n}")
            await sqlite_runtime.engine.handle(inbound)
    finally:
        event.remove(sqlite_runtime.db.sync_engine, "commit", on_commit)
    assert levels, "the inbound messages were committed"
    assert set(levels) == {FULL}


def test_a_spool_entry_is_fsynced_with_its_directory_and_parent(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    synced: list[str] = []
    real_fsync = os.fsync

    def recording_fsync(fd: int) -> None:
        synced.append(os.readlink(f"/proc/self/fd/{fd}"))
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", recording_fsync)
    home = tmp_path / "var"
    home.mkdir()
    spool = Spool(home / "spool", TEST_SECRET.encode())
    name = spool.put(encode(Inbound("sms-twilio", "+994501234567", "Su yoxdur", "x")))
    entry_synced = [p for p in synced if Path(p).name.startswith(name)]
    assert entry_synced, f"the entry itself was fsynced: {synced}"
    assert str(home / "spool") in synced  # its name in the spool directory
    assert str(home) in synced  # and the new spool directory's name in its parent
    # The entry was fsynced before it was renamed into place, and the rename was synced after.
    assert synced.index(entry_synced[0]) < len(synced) - 1 - synced[::-1].index(str(home / "spool"))
