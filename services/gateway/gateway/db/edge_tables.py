"""Tables owned by the gateway's edge part (defined on the gateway's shared metadata)."""

from gateway.db.tables import metadata  # noqa: F401
