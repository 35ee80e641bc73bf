"""How the client use cases describe a client to their callers (the wire shape is the api's)."""

from __future__ import annotations

from typing import Any

from dgplan_shared.web.etags import version_etag
from gateway.edge.adapters.clients_repository import Client


def client_etag(client_id: str, version: int) -> str:
    return version_etag("client", client_id, version)


def with_secret_salt(client: Client, salt: str) -> dict[str, Any]:
    """The answer a created or rotated client's retry is given again: the client and the salt its
    secret is re-derived from (never the secret; ``api/admin_clients`` renders it)."""
    return {"client": client.public(), "secret_salt": salt}
