"""Exit 1 with one line when a TCP port on 127.0.0.1 is taken, before a server starts on it.

    python scripts/check_port.py 3000 "make ui PORT=3001"

Binds the way the servers do (SO_REUSEADDR), so a port in TIME_WAIT counts as free
and a port something listens on does not.
"""

from __future__ import annotations

import socket
import sys


def port_is_free(port: int, host: str = "127.0.0.1") -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError:
            return False
    return True


def main(argv: list[str]) -> int:
    text, hint = argv[1], argv[2]
    if not text.isdigit() or not 0 < int(text) < 65536:
        print(f"port {text!r} is not a port number (1-65535): {hint}", file=sys.stderr)
        return 1
    if not port_is_free(int(text)):
        print(
            f"port {text} on 127.0.0.1 is already in use (another server?): {hint}", file=sys.stderr
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
