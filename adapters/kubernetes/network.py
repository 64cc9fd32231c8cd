"""The operator's network step (section 5.6): container ports and probes for the interfaces,
the Service `<capsule>` and the LoadBalancer Service `<capsule>-lb`.

Probes: an HTTP probe is a GET of its path on the interface's port, a TCP probe opens the port,
a gRPC probe calls the gRPC health service (with the probe's service name, if any) on it. Rig
v1.8.10's operator only knew HTTP; the three kinds of the API are all honoured here."""

from __future__ import annotations

from typing import Any

from rigd.adapters.kubernetes.metadata import bounded, metadata, owned_labels, pod_selector


def container_ports(spec: dict[str, Any]) -> list[dict[str, Any]]:
    return [{"name": interface["name"], "containerPort": interface["port"], "protocol": "TCP"}
            for interface in spec.get("interfaces", [])]


def probes(spec: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """`livenessProbe` / `readinessProbe` of the container, from the interfaces that define them."""
    result: dict[str, dict[str, Any]] = {}
    for interface in spec.get("interfaces", []):
        for kind in ("liveness", "readiness"):
            if kind in interface:
                result[f"{kind}Probe"] = _probe(interface, interface[kind])
    return result


def _probe(interface: dict[str, Any], probe: dict[str, Any]) -> dict[str, Any]:
    if "grpc" in probe:
        grpc: dict[str, Any] = {"port": interface["port"]}  # a gRPC probe takes a number, not a port name
        if probe["grpc"].get("service"):
            grpc["service"] = probe["grpc"]["service"]
        return {"grpc": grpc}
    if probe.get("tcp"):
        return {"tcpSocket": {"port": interface["name"]}}
    return {"httpGet": {"path": probe.get("path") or "/", "port": interface["name"]}}


def services(capsule_resource: dict[str, Any]) -> list[dict[str, Any]]:
    """The Service (only with interfaces) and the LoadBalancer Service (only with an interface
    public through a load balancer)."""
    spec = capsule_resource["spec"]
    interfaces = spec.get("interfaces", [])
    if not interfaces:
        return []
    name, namespace = capsule_resource["metadata"]["name"], capsule_resource["metadata"]["namespace"]
    result = [_service(name, namespace, name, "ClusterIP", [
        {"name": interface["name"], "port": interface["port"], "protocol": "TCP", "targetPort": interface["name"]}
        for interface in interfaces
    ])]
    balanced = [interface for interface in interfaces if "loadBalancer" in interface.get("public", {})]
    if balanced:
        ports = []
        for interface in balanced:
            balancer = interface["public"]["loadBalancer"]
            ports.append({"name": interface["name"], "port": balancer["port"], "protocol": "TCP",
                          "targetPort": interface["name"]})
        # a Service name is a DNS label: a capsule name of 61 or more characters leaves no room for "-lb"
        result.append(_service(bounded(f"{name}-lb"), namespace, name, "LoadBalancer", ports))
    return result


def _service(name: str, namespace: str, capsule: str, kind: str, ports: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": metadata(name, namespace, owned_labels(capsule)),
        "spec": {"type": kind, "selector": pod_selector(capsule), "ports": ports},
    }
