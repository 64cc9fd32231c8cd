"""The operator's routes step (section 5.7, plugin `rigdev.ingress_routes`): one Ingress
`<capsule>-<route id>` per route of an interface; a legacy public ingress is the route `public`.

Each Ingress sends its paths to the Service `<capsule>` on the interface's port (by name). TLS
comes from cert-manager: the annotation `cert-manager.io/cluster-issuer` and a TLS section whose
secret is `<ingress>-tls`, unless the cluster disables TLS."""

from __future__ import annotations

from typing import Any

from rigd.adapters.kubernetes.metadata import metadata, owned_labels
from rigd.adapters.kubernetes.options import RenderOptions
from rigd.domain.errors import InvalidArgument
from rigd.domain.naming import quoted

CLUSTER_ISSUER_ANNOTATION = "cert-manager.io/cluster-issuer"
LEGACY_ROUTE_ID = "public"
_PATH_TYPES = {"PathPrefix": "Prefix", "Exact": "Exact"}


class IngressNotSupported(InvalidArgument):
    """The rollout asks for an ingress the cluster cannot serve."""


class RouteWithoutId(InvalidArgument):
    pass


def ingresses(capsule_resource: dict[str, Any], options: RenderOptions) -> list[dict[str, Any]]:
    result = []
    for interface in capsule_resource["spec"].get("interfaces", []):
        for route in _routes(interface):
            if not options.serves_ingress:
                raise IngressNotSupported(
                    f"ingress is not supported by this cluster: interface {quoted(interface['name'])} asks for "
                    f"route {quoted(route['id'])}, but the cluster has neither a cert-manager cluster issuer for "
                    "TLS nor TLS disabled; configure one of them, or expose the interface through a load balancer"
                )
            result.append(_ingress(capsule_resource, interface["name"], route, options))
    return result


def _routes(interface: dict[str, Any]) -> list[dict[str, Any]]:
    routes = []
    legacy = interface.get("public", {}).get("ingress")
    if legacy is not None:
        routes.append({"id": LEGACY_ROUTE_ID, "host": legacy.get("host", ""),
                       "paths": [{"path": path, "match": "PathPrefix"} for path in legacy.get("paths", [])]})
    for route in interface.get("routes", []):
        if not route.get("id"):
            raise RouteWithoutId(f"a route of interface {quoted(interface['name'])} has no id; "
                                 "every route needs one (it names the route's Ingress)")
        routes.append(route)
    return routes


def _ingress(capsule_resource: dict[str, Any], interface: str, route: dict[str, Any],
             options: RenderOptions) -> dict[str, Any]:
    capsule, namespace = capsule_resource["metadata"]["name"], capsule_resource["metadata"]["namespace"]
    name = f"{capsule}-{route['id']}"
    # the route's own annotations win, a cert-manager issuer of its own included
    annotations = {} if options.disable_tls else {CLUSTER_ISSUER_ANNOTATION: options.cluster_issuer}
    annotations.update(route.get("annotations", {}))
    backend = {"service": {"name": capsule, "port": {"name": interface}}}
    paths = [{"path": path["path"], "pathType": _PATH_TYPES.get(path.get("match", ""), "Prefix"), "backend": backend}
             for path in route.get("paths", [])] or [{"path": "/", "pathType": "Prefix", "backend": backend}]
    rule: dict[str, Any] = {"http": {"paths": paths}}
    if route.get("host"):
        rule = {"host": route["host"], **rule}
    spec: dict[str, Any] = {}
    if options.ingress_class_name:
        spec["ingressClassName"] = options.ingress_class_name
    spec["rules"] = [rule]
    if not options.disable_tls and route.get("host"):
        spec["tls"] = [{"hosts": [route["host"]], "secretName": f"{name}-tls"}]
    return {
        "apiVersion": "networking.k8s.io/v1",
        "kind": "Ingress",
        "metadata": metadata(name, namespace, owned_labels(capsule), dict(sorted(annotations.items()))),
        "spec": spec,
    }
