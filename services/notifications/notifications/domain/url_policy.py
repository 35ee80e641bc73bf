"""Which webhook URLs a subscriber may name and which addresses a delivery may reach (SSRF).

Without the operator's say-so a webhook goes only over https to a public address: private,
loopback, link-local, shared (CGNAT), multicast, reserved and cloud metadata addresses are refused,
so a subscriber cannot turn the service into a probe of the internal network. The operator's
allowlist (hosts or networks) lifts both rules for what it names: tests and ``make run`` name
127.0.0.1. Addresses are checked again at delivery time, on the addresses actually connected to,
because a name may resolve elsewhere later.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from urllib.parse import urlsplit

from dgplan_shared.errors import invalid

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network

# Metadata services answer on link-local addresses (already refused) and on these too.
_METADATA = (ipaddress.ip_network("100.100.100.200/32"), ipaddress.ip_network("fd00:ec2::254/128"))
_SHARED = ipaddress.ip_network("100.64.0.0/10")


@dataclass(frozen=True)
class Allowlist:
    hosts: frozenset[str]
    networks: tuple[IPNetwork, ...]

    @classmethod
    def parse(cls, text: str) -> Allowlist:
        hosts: set[str] = set()
        networks: list[IPNetwork] = []
        for item in (part.strip().lower() for part in text.split(",")):
            if not item:
                continue
            try:
                networks.append(ipaddress.ip_network(item, strict=False))
            except ValueError:
                hosts.add(item.rstrip("."))
        return cls(frozenset(hosts), tuple(networks))

    def names_host(self, host: str) -> bool:
        host = host.lower().rstrip(".")
        if host in self.hosts:
            return True
        address = _literal(host)
        return address is not None and any(address in network for network in self.networks)

    def names_address(self, address: IPAddress) -> bool:
        return any(address in network for network in self.networks)


def _literal(host: str) -> IPAddress | None:
    try:
        return ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return None


def is_internal(address: IPAddress) -> bool:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return is_internal(address.ipv4_mapped)
    return (
        address.is_private or address.is_loopback or address.is_link_local or address.is_multicast
        or address.is_reserved or address.is_unspecified or address in _SHARED
        or any(address in network for network in _METADATA)
    )


@dataclass(frozen=True)
class Target:
    url: str
    host: str
    port: int
    allowlisted: bool


def checked_url(url: str, allowlist: Allowlist, field: str = "url") -> Target:
    """The URL as a delivery target, or a 422 saying what is wrong with it."""
    if len(url) > 2000:
        raise invalid(field, "at most 2000 characters")
    parts = urlsplit(url)
    if parts.scheme not in ("https", "http"):
        raise invalid(field, "must be an https:// URL")
    if parts.username or parts.password:
        raise invalid(field, "must not carry credentials; authenticate the sender by its signature")
    if parts.fragment:
        raise invalid(field, "must not have a fragment")
    host = (parts.hostname or "").lower().rstrip(".")
    if not host:
        raise invalid(field, "has no host")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        raise invalid(field, "has an invalid port") from None
    allowlisted = allowlist.names_host(host)
    if parts.scheme == "http" and not allowlisted:
        raise invalid(field, "must be an https:// URL (plain http only for hosts on the operator's allowlist)")
    literal = _literal(host)
    if literal is not None and is_internal(literal) and not allowlisted:
        raise invalid(field, f"{host} is a private, loopback, link-local or metadata address")
    if host in ("localhost", "localhost.localdomain") or host.endswith(".localhost"):
        if not allowlisted:
            raise invalid(field, f"{host} is a loopback name")
    return Target(url, host, port, allowlisted)


def address_allowed(address: IPAddress, target: Target, allowlist: Allowlist) -> bool:
    """At delivery: may we connect to ``address``, which ``target.host`` resolved to?"""
    return target.allowlisted or allowlist.names_address(address) or not is_internal(address)
