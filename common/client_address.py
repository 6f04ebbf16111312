"""The address of the person behind a request, as far as the configured proxies can vouch for it.

Behind the TLS proxy every request comes from the proxy's address (``REMOTE_ADDR``); the visitor
is in ``X-Forwarded-For``. That header is a list each proxy appends to, and anything left of the
last proxy we trust may have been written by the client itself. So the list is read from the
right: hops whose address is one of ``settings.TRUSTED_PROXIES`` (addresses or CIDR networks,
IPv4 or IPv6) are passed over, and the first hop that is not a trusted proxy is the client. The
header is read only when ``REMOTE_ADDR`` itself is a trusted proxy; with no trusted proxies
configured, the client is ``REMOTE_ADDR``.
"""

import ipaddress
from functools import lru_cache

from django.conf import settings


def parse_address(text):
    """An ``ip_address`` from one hop (``1.2.3.4``, ``1.2.3.4:5678``, ``[2001:db8::1]:443``),
    or None when it is not an address. IPv4 seen through an IPv6 socket counts as IPv4."""
    text = text.strip()
    if text.startswith("["):
        text = text[1:].partition("]")[0]
    elif text.count(":") == 1:  # IPv4 with a port; an IPv6 address has at least two colons
        text = text.partition(":")[0]
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    if address.version == 6 and address.ipv4_mapped:
        return address.ipv4_mapped
    return address


def parse_network(text):
    """An ``ip_network`` from one TRUSTED_PROXIES entry (address or CIDR), or None if malformed."""
    try:
        return ipaddress.ip_network(text.strip(), strict=False)
    except ValueError:
        return None


@lru_cache(maxsize=8)
def _networks(entries):
    # Malformed entries are reported by the home.E002 system check; here they trust nobody.
    return tuple(network for network in map(parse_network, entries) if network)


def trusted_networks():
    return _networks(tuple(settings.TRUSTED_PROXIES))


def is_trusted_proxy(address, networks):
    return any(address in network for network in networks if network.version == address.version)


def client_address(request):
    """The client's address as a string: the right-most hop not a trusted proxy."""
    remote_text = request.META.get("REMOTE_ADDR", "")
    remote = parse_address(remote_text)
    if remote is None:
        return remote_text
    networks = trusted_networks()
    if not is_trusted_proxy(remote, networks):
        return str(remote)
    client = remote
    for hop in reversed(request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")):
        address = parse_address(hop)
        if address is None:  # a hop no proxy of ours would write: stop at the last good one
            break
        client = address
        if not is_trusted_proxy(address, networks):
            break
    return str(client)
