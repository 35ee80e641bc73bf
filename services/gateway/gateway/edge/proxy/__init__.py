"""The ASGI pipeline every request passes before routing (see the edge README for why it is a
piece of its own)."""
