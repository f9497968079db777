"""Fixtures of the integration tests only: a real PostgreSQL server for the session."""

from collections.abc import Iterator

import pytest
from postgres_server import INSTALL_HINT, PostgresServer, postgres_bin


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """Debian's PostgreSQL on 127.0.0.1, a free port, trust authentication; stopped at the end."""
    bin_dir = postgres_bin()
    if bin_dir is None:
        pytest.skip(INSTALL_HINT)
    with PostgresServer(bin_dir) as server:
        yield server
