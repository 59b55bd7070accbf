"""A directory of encrypted, fsynced entries that survives a crash and orders by arrival.

Each entry is written to a temporary file, fsynced, renamed into place and the directory
fsynced, so an entry either exists whole or not at all. Names carry only a clock reading and a
counter; the content is a Fernet token under a key derived for the spool alone.
"""

from __future__ import annotations

import fcntl
import itertools
import logging
import os
import secrets
import threading
import time
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken

from fikir.privacy.keys import fernet_key

log = logging.getLogger(__name__)

SUFFIX = ".spool"
TEMP_SUFFIX = ".part"  # never matches SUFFIX, so a half-written entry is never listed
UNREADABLE = "unreadable"
LOCK_FILE = ".replay.lock"


class SpoolError(RuntimeError):
    """An entry could not be read back (another key, or a damaged file)."""


class Spool:
    """Durable encrypted entries in arrival order; all methods block, call them in a thread."""

    def __init__(self, directory: Path, secret: bytes) -> None:
        self.directory = directory
        self._fernet = Fernet(fernet_key(secret, "spool"))
        self._counter = itertools.count()
        self._tag = secrets.token_hex(4)  # two processes sharing a directory never clash
        self._prepared = False
        self._prepare_lock = threading.Lock()
        self._lock_fd: int | None = None

    def _prepare(self) -> None:
        """Create the directory (owner only) and drop temp files no one was ever told about."""
        if self._prepared:
            return
        with self._prepare_lock:
            if self._prepared:
                return
            created = not self.directory.exists()
            self.directory.mkdir(parents=True, exist_ok=True, mode=0o700)
            os.chmod(self.directory, 0o700)
            if created:  # the new directory's own name must survive a power cut too
                _sync_directory(self.directory.parent)
            for leftover in self.directory.glob(f"*{TEMP_SUFFIX}"):
                leftover.unlink(missing_ok=True)
            self._prepared = True

    def put(self, record: bytes) -> str:
        """Encrypt and store one record; when this returns, the record survives a power cut."""
        self._prepare()
        name = f"{time.time_ns():020d}-{next(self._counter):09d}-{self._tag}{SUFFIX}"
        token = self._fernet.encrypt(record)
        temp = self.directory / f"{name}{TEMP_SUFFIX}"
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            view = memoryview(token)
            while view:  # os.write may write less than asked
                view = view[os.write(fd, view) :]
            os.fsync(fd)
        finally:
            os.close(fd)
        os.rename(temp, self.directory / name)
        self._sync_directory()
        return name

    def names(self, limit: int | None = None) -> list[str]:
        """Entries in arrival order (oldest first)."""
        self._prepare()
        with os.scandir(self.directory) as entries:
            found = sorted(e.name for e in entries if e.name.endswith(SUFFIX) and e.is_file())
        return found if limit is None else found[:limit]

    def count(self) -> int:
        return len(self.names())

    def read(self, name: str) -> bytes:
        """The decrypted record; SpoolError if this key cannot open it."""
        token = (self.directory / name).read_bytes()
        try:
            return self._fernet.decrypt(token)
        except InvalidToken as exc:
            raise SpoolError(f"spool entry {name} cannot be decrypted with this key") from exc

    def remove(self, name: str) -> None:
        """Forget a replayed entry: the raw text it held is gone from this disk's namespace."""
        (self.directory / name).unlink(missing_ok=True)
        self._sync_directory()

    def set_aside(self, name: str) -> None:
        """Move an entry this key cannot read out of the replay path, keeping it for the operator."""
        aside = self.directory / UNREADABLE
        aside.mkdir(exist_ok=True, mode=0o700)
        os.rename(self.directory / name, aside / name)
        _sync_directory(aside)
        self._sync_directory()

    def try_lock(self) -> bool:
        """Become this directory's only replayer (an flock held until `unlock`)."""
        self._prepare()
        if self._lock_fd is not None:
            return True
        fd = os.open(self.directory / LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            return False
        self._lock_fd = fd
        return True

    def unlock(self) -> None:
        if self._lock_fd is not None:
            fcntl.flock(self._lock_fd, fcntl.LOCK_UN)
            os.close(self._lock_fd)
            self._lock_fd = None

    def _sync_directory(self) -> None:
        _sync_directory(self.directory)


def _sync_directory(directory: Path) -> None:
    """fsync a directory, so the names created or removed in it are on disk."""
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
