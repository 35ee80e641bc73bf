"""Loopback ports for processes this machine starts (the distributed topology, test servers).

A port is handed out here and bound later by another process (a service's uvicorn, a broker, a
PostgreSQL cluster), sometimes many seconds later, after migrations and seed runs have opened and
closed hundreds of connections. Asking the kernel for port 0 returns a port of the *ephemeral*
range, the same range the kernel draws outgoing connections' source ports from, so by the time the
real owner binds it an open client connection may hold it and the owner dies with "address already
in use" (CI saw a service API exit early that way). Ports are therefore chosen *below* the
ephemeral range, where no outgoing connection ever lands, never twice in one process, and each is
checked to be free when handed out.
"""

from __future__ import annotations

import random
import socket
import threading
from pathlib import Path

_EPHEMERAL_RANGE = Path("/proc/sys/net/ipv4/ip_local_port_range")
_LOWEST = 10000  # under it live well-known services a developer's machine may run
_handed_out: set[int] = set()
# Its own generator: tests that seed the module-level one must not make two processes pick alike.
_rng = random.SystemRandom()
_lock = threading.Lock()


def _ephemeral_low() -> int:
    try:
        return int(_EPHEMERAL_RANGE.read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return 32768  # Linux's default when the range cannot be read


def _bindable(port: int) -> bool:
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def _kernel_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def free_port() -> int:
    """A loopback port nothing listens on, outside the ephemeral range when there is room."""
    high = _ephemeral_low() - 1
    with _lock:
        if high - _LOWEST < 1000:  # an unusual range leaves no room below it: the kernel's choice
            return _kernel_port()
        for _ in range(200):
            port = _rng.randint(_LOWEST, high)
            if port not in _handed_out and _bindable(port):
                _handed_out.add(port)
                return port
        return _kernel_port()
