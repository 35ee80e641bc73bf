"""Tables owned by the gateway's governance part (defined on the gateway's shared metadata)."""

from gateway.db.tables import metadata  # noqa: F401
