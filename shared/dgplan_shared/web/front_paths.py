"""Which requests at the one public address belong to a front end (the console) rather than the
gateway: one rule, used by the embedded server's front (``dgplan_shared.embedded``) and by the
gateway's edge when the console runs as its own process, so both topologies route alike."""

from __future__ import annotations


def claims(paths: tuple[str, ...], path: str) -> bool:
    """Whether ``path`` is one of ``paths``: "/" matches only itself (the console's home page, not
    everything), any other entry also every path below it ("/inbox" claims "/inbox/42", never
    "/inboxes")."""
    return any(path == p or (p != "/" and path.startswith(p.rstrip("/") + "/")) for p in paths)
