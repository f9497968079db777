"""A real PostgreSQL server for tests: Debian's binaries, a temporary data folder, 127.0.0.1.

initdb and pg_ctl refuse to run as root, so as root they run as the `postgres` user
(`runuser`), over a data folder that user owns. Authentication is `trust`: the server
listens on 127.0.0.1 only, on a free port, and lives as long as the test session.
(pytest-postgresql calls pg_ctl directly, which fails as root: hence these few lines.)
"""

import glob
import os
import pwd
import shutil
import subprocess
import tempfile
from pathlib import Path

from stripe_sandbox.running import free_port

INSTALL_HINT = "PostgreSQL server not installed: apt-get install postgresql"
SERVER_USER = "postgres"


def postgres_bin() -> Path | None:
    """The newest installed `/usr/lib/postgresql/<version>/bin` holding initdb and pg_ctl."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=_version)
    return Path(found[-1]).parent if found else None


def _version(initdb: str) -> int:
    version = Path(initdb).parts[-3]
    return int(version) if version.isdigit() else 0


class PostgresServer:
    """`start()`, then `url` / `dsn` / `port`; `stop()` removes its data folder."""

    def __init__(self, bin_dir: Path, user: str = SERVER_USER):
        self.bin_dir = bin_dir
        self.as_root = os.geteuid() == 0
        self.user = user if self.as_root else None
        self.port = free_port()
        self.workdir = Path(tempfile.mkdtemp(prefix="postgres-"))
        self.data = self.workdir / "data"

    @property
    def role(self) -> str:
        """The superuser initdb made: the user that ran it."""
        return self.user or _current_user()

    @property
    def dsn(self) -> str:
        return f"host=127.0.0.1 port={self.port} user={self.role} dbname=postgres"

    @property
    def url(self) -> str:
        return f"postgresql://{self.role}@127.0.0.1:{self.port}/postgres"

    def start(self) -> "PostgresServer":
        if self.user:
            shutil.chown(self.workdir, self.user)
        self._run("initdb", "-D", str(self.data), "-A", "trust", "-U", self.role,
                  "-E", "UTF8", "--no-sync")  # fmt: skip
        options = f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.workdir} -F"
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.workdir / "server.log"),
                  "-o", options, "-w", "-t", "120", "start")  # fmt: skip
        return self

    def stop(self) -> None:
        try:
            if (self.data / "postmaster.pid").exists():
                self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")
        finally:
            shutil.rmtree(self.workdir, ignore_errors=True)

    def new_database(self, name: str) -> str:
        """A new, empty database `name` on this server; its libpq connection string."""
        import psycopg2

        con = psycopg2.connect(self.dsn)
        try:
            con.autocommit = True
            with con.cursor() as cursor:
                cursor.execute(f'create database "{name}"')
        finally:
            con.close()
        return self.dsn.replace("dbname=postgres", f"dbname={name}")

    def log(self) -> str:
        log = self.workdir / "server.log"
        return log.read_text(errors="replace") if log.exists() else ""

    def _run(self, program: str, *args: str) -> None:
        command = [str(self.bin_dir / program), *args]
        if self.user:
            command = ["runuser", "-u", self.user, "--", *command]
        done = subprocess.run(command, capture_output=True, text=True, cwd=self.workdir)
        if done.returncode:
            raise RuntimeError(f"{program} failed ({done.returncode}): {done.stderr}{self.log()}")

    def __enter__(self) -> "PostgresServer":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


def _current_user() -> str:
    return pwd.getpwuid(os.geteuid()).pw_name
