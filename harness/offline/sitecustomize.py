"""Offline guard for every Python process the tests and the site build start.

The harness puts this folder first on `PYTHONPATH`, so Python imports this module at
start-up in each child process: notebook kernels, the pages the build runs, the
build itself and anything a page starts with `subprocess`. From then on, looking up
or connecting to any host but this machine's loopback fails at once with a message
that says why, instead of a download that hangs or a bare DNS error. Connections to
127.0.0.1 (the kernels' own channels, a server a page starts) and Unix sockets work.
"""

from __future__ import annotations

import ipaddress
import socket

MESSAGE = (
    "dlguide runs offline: {what} {target} was refused. Pages, notebooks and the "
    "package must take their data and weights from installed packages, never from "
    "the network (only 127.0.0.1 is allowed)."
)
_LOCAL_NAMES = {"localhost", "localhost.localdomain", "ip6-localhost", ""}


class OfflineError(ConnectionRefusedError):
    """A network access beyond this machine, refused by the dlguide harness."""


def _is_local(host: object) -> bool:
    if host is None:  # getaddrinfo(None, port): this machine's own addresses
        return True
    if isinstance(host, bytes):
        host = host.decode(errors="replace")
    if not isinstance(host, str):
        return False
    if host.lower() in _LOCAL_NAMES or host == socket.gethostname():
        return True
    try:
        return ipaddress.ip_address(host.split("%")[0]).is_loopback
    except ValueError:
        return False


def install() -> None:
    """Patch the socket module (idempotent)."""
    if getattr(socket, "_dlguide_offline", False):
        return
    getaddrinfo, connect, connect_ex = (
        socket.getaddrinfo,
        socket.socket.connect,
        socket.socket.connect_ex,
    )

    def guarded_getaddrinfo(host, *args, **kwargs):
        if not _is_local(host):
            raise OfflineError(MESSAGE.format(what="looking up", target=host))
        return getaddrinfo(host, *args, **kwargs)

    def check(sock, address):
        if sock.family in (socket.AF_INET, socket.AF_INET6) and not _is_local(address[0]):
            raise OfflineError(MESSAGE.format(what="a connection to", target=address[0]))

    def guarded_connect(self, address):
        check(self, address)
        return connect(self, address)

    def guarded_connect_ex(self, address):
        check(self, address)
        return connect_ex(self, address)

    socket.getaddrinfo = guarded_getaddrinfo
    socket.socket.connect = guarded_connect
    socket.socket.connect_ex = guarded_connect_ex
    socket._dlguide_offline = True


install()
