"""Readiness probes against an instance's loopback port, as the kubelet runs them: an HTTP GET
is ready on a status from 200 to 399, a TCP probe when a connection opens. A gRPC probe is
taken as a TCP probe (the local cluster does not speak the gRPC health protocol)."""

from __future__ import annotations

import http.client
import socket

from rigd.adapters.local_cluster.specs import Probe

TIMEOUT_SECONDS = 1.0


def ready(probe: Probe, port: int, timeout: float = TIMEOUT_SECONDS) -> bool:
    if probe.kind == "http":
        return _http(port, probe.path or "/", timeout)
    return _tcp(port, timeout)


def _http(port: int, path: str, timeout: float) -> bool:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request("GET", path, headers={"User-Agent": "rigd-probe"})
        return 200 <= connection.getresponse().status < 400
    except (OSError, http.client.HTTPException):
        return False
    finally:
        connection.close()


def _tcp(port: int, timeout: float) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=timeout):
            return True
    except OSError:
        return False


def free_port() -> int:
    """A loopback port nobody listens on now (the kernel's choice)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe_socket:
        probe_socket.bind(("127.0.0.1", 0))
        return int(probe_socket.getsockname()[1])
