"""Which address the built-in issuer names: the configured public URL, else the one the request
was served at (so ``DGPLAN_PORT=18000`` advertises port 18000, not a default)."""

from __future__ import annotations

_DEFAULT_PORTS = {"http": 80, "https": 443}


def served_base_url(scheme: str, host: str | None, server: tuple[str, int] | None, root_path: str = "") -> str:
    """The base URL a request reached: its Host header (as clients address the gateway), else the
    socket it arrived on. The same string for the discovery document and for token checks."""
    if host:
        netloc = host
    elif server:
        name, port = server
        netloc = name if port == _DEFAULT_PORTS.get(scheme) else f"{name}:{port}"
    else:
        netloc = "localhost"
    return f"{scheme}://{netloc}{root_path}".rstrip("/")


def issuer(configured: str | None, served: str) -> str:
    return configured.rstrip("/") if configured else served
