"""Whether a rollout's config can run: the checks the Rig operator's admission webhook makes
of a Capsule, and those Kubernetes makes of the objects the capsule turns into, made before
anything is recorded so that a deploy the cluster would refuse is refused at once.

Every refusal is `InvalidArgument` with a message that starts with the field's path as the
client wrote it (`network.interfaces[1].port: ...`). The config is checked with its secret
file contents opened (a sealed file's size is not checked: it was checked when it was set).
"""

from __future__ import annotations

import base64
import binascii
import posixpath
import re
from collections.abc import Mapping
from typing import Any

from rigd.domain.cron_schedules import schedule_problem
from rigd.domain.errors import InvalidArgument
from rigd.domain.kubernetes_names import (
    dns_label_problem,
    dns_subdomain_problem,
    env_var_name_problem,
    label_value_problem,
    port_name_problem,
    qualified_name_problem,
    system_name_problem,
)
from rigd.domain.naming import quoted
from rigd.domain.quantities import InvalidQuantity, parse_quantity
from rigd.domain.rollout_config import SEALED_CONTENT, Config

MIB = 1024 * 1024
MAX_CONFIG_FILE_BYTES = 1 * MIB  # what one ConfigMap or Secret holds
MAX_CONFIG_FILES_BYTES = 4 * MIB  # every rollout event carries the whole config
MAX_CONFIG_FILE_PATH = 1024
MAX_ENVIRONMENT_BYTES = 1 * MIB  # the variables become one ConfigMap
MAX_ANNOTATIONS_BYTES = 256 * 1024  # Kubernetes' limit on an object's annotations
MAX_CRON_RESOURCE_NAME = 52  # a CronJob's name, `<capsule>-<job>`, fits in 52 characters
MAX_PORT = 65535
MAX_JOB_PORT = 65534
SOURCE_KINDS = ("KIND_CONFIG_MAP", "KIND_SECRET")
_DURATION = re.compile(r"-?(\d+)(\.\d+)?s")
# a URL path as the operator's webhook accepts it: segments of unreserved characters, ':', '@'
# and %-escapes, not starting with '//' (which a URL would read as a host)
_URL_PATH = re.compile(r"(?:/(?:[A-Za-z0-9:@\-._~]|%[0-9A-Fa-f]{2})*)+")


class InvalidConfig(InvalidArgument):
    def __init__(self, path: str, problem: str) -> None:
        super().__init__(f"{path}: {problem}")
        self.path = path


def validate_config(config: Config, capsule_id: str, require_image: bool = True) -> None:
    """Refuses a config the operator or the cluster would refuse; `require_image` is False
    only for a config that is shown, not rolled out."""
    if require_image and not config.get("image_id"):
        raise InvalidConfig("image_id", "a rollout needs an image: set one with an image_id or add_image change")
    _count(config.get("replicas", 0), "replicas")
    _validate_network(config.get("network", {}))
    _validate_container_settings(config.get("container_settings", {}))
    _validate_config_files(config.get("config_files", []))
    _validate_horizontal_scale(config.get("horizontal_scale", {}), int(config.get("replicas") or 0))
    _validate_cron_jobs(config.get("cron_jobs", []), capsule_id)
    _validate_annotations(config.get("annotations", {}))


# Helpers ---------------------------------------------------------------------------------------


def _check(problem: str | None, path: str) -> None:
    if problem:
        raise InvalidConfig(path, problem)


def _count(value: Any, path: str, low: int = 0, high: int | None = None) -> int:
    """A whole number (proto3 JSON writes 64-bit ones as text) between `low` and `high`."""
    if isinstance(value, str) and value.lstrip("-").isdigit():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidConfig(path, "must be a whole number")
    if value < low or (high is not None and value > high):
        bounds = f"between {low} and {high}" if high is not None else f"{low} or more"
        raise InvalidConfig(path, f"must be {bounds}, not {value}")
    return value


def _unique(seen: dict[Any, str], key: Any, path: str, shown: str = "") -> None:
    """Refuses `key` at `path` when an earlier field (recorded in `seen`) holds it already."""
    if key in seen:
        shown = shown or (quoted(key) if isinstance(key, str) else str(key))
        raise InvalidConfig(path, f"{shown} is taken by {seen[key]}")
    seen[key] = path


def _exactly_one(message: Mapping[str, Any], kinds: tuple[str, ...], path: str) -> str:
    present = [kind for kind in kinds if kind in message]
    if len(present) != 1:
        raise InvalidConfig(path, f"must set exactly one of {', '.join(kinds)}, not {len(present)}")
    return present[0]


def _host_problem(host: str) -> str | None:
    return dns_subdomain_problem(host.removeprefix("*."))


def _absolute_path_problem(path: str) -> str | None:
    return None if path.startswith("/") else f"{quoted(path)} must be an absolute path (start with '/')"


def _labels(labels: Mapping[str, str], path: str) -> None:
    for key, value in labels.items():
        _check(qualified_name_problem(key), path)
        _check(label_value_problem(value), f"{path}[{quoted(key)}]")


# Network ---------------------------------------------------------------------------------------


def _validate_network(network: Mapping[str, Any]) -> None:
    names: dict[Any, str] = {}
    ports: dict[Any, str] = {}
    probes: dict[Any, str] = {}
    route_ids: dict[Any, str] = {}
    for index, interface in enumerate(network.get("interfaces", [])):
        at = f"network.interfaces[{index}]"
        name = interface.get("name", "")
        _check(port_name_problem(name), f"{at}.name")
        _unique(names, name, f"{at}.name")
        _unique(ports, _count(interface.get("port", 0), f"{at}.port", 1, MAX_PORT), f"{at}.port")
        _validate_public(interface.get("public", {}), f"{at}.public")
        for probe in ("liveness", "readiness"):
            if probe in interface:
                _validate_probe(interface[probe], f"{at}.{probe}")
                _unique(probes, probe, f"{at}.{probe}")
        for number, route in enumerate(interface.get("routes", [])):
            _validate_route(route, f"{at}.routes[{number}]", route_ids)


def _validate_public(public: Mapping[str, Any], at: str) -> None:
    if not public.get("enabled"):
        return
    method = public.get("method", {})
    kind = _exactly_one(method, ("ingress", "load_balancer"), f"{at}.method")
    at = f"{at}.method.{kind}"
    if kind == "load_balancer":
        _count(method[kind].get("port", 0), f"{at}.port", 1, MAX_PORT)
        _count(method[kind].get("node_port", 0), f"{at}.node_port", 0, MAX_PORT)
        return
    if host := method[kind].get("host", ""):
        _check(_host_problem(host), f"{at}.host")
    for number, path in enumerate(method[kind].get("paths", [])):
        _check(_absolute_path_problem(path), f"{at}.paths[{number}]")


def _validate_probe(probe: Mapping[str, Any], at: str) -> None:
    if _exactly_one(probe, ("http", "tcp", "grpc"), at) == "http":
        _check(_absolute_path_problem(probe["http"].get("path", "")), f"{at}.http.path")


def _validate_route(route: Mapping[str, Any], at: str, route_ids: dict[Any, str]) -> None:
    if route_id := route.get("id", ""):
        _check(dns_label_problem(route_id), f"{at}.id")
        _unique(route_ids, route_id, f"{at}.id")
    if route.get("host", ""):  # (a route without a host serves every host, as an Ingress rule does)
        _check(_host_problem(route["host"]), f"{at}.host")
    for number, path in enumerate(route.get("paths", [])):
        _check(_absolute_path_problem(path.get("path", "")), f"{at}.paths[{number}].path")
    for key in route.get("options", {}).get("annotations", {}):
        _check(qualified_name_problem(key), f"{at}.options.annotations")


# Container settings ----------------------------------------------------------------------------


def _validate_container_settings(settings: Mapping[str, Any]) -> None:
    variables = settings.get("environment_variables", {})
    for name in variables:
        _check(env_var_name_problem(name), "container_settings.environment_variables")
    size = sum(len(name) + len(value) for name, value in variables.items())
    if size > MAX_ENVIRONMENT_BYTES:
        raise InvalidConfig("container_settings.environment_variables", f"hold more than {MAX_ENVIRONMENT_BYTES} bytes")
    sources: dict[Any, str] = {}
    for index, source in enumerate(settings.get("environment_sources", [])):
        at = f"container_settings.environment_sources[{index}]"
        kind = source.get("kind", "KIND_UNSPECIFIED")
        if kind not in SOURCE_KINDS:
            raise InvalidConfig(f"{at}.kind", f"must be one of {', '.join(SOURCE_KINDS)}, not {quoted(str(kind))}")
        _check(system_name_problem(source.get("name", "")), f"{at}.name")
        _unique(sources, (kind, source["name"]), at, f"{kind} {quoted(source['name'])}")
    _validate_resources(settings.get("resources", {}), "container_settings.resources")


def _validate_resources(resources: Mapping[str, Any], at: str) -> None:
    requests, limits = resources.get("requests", {}), resources.get("limits", {})
    for resource in ("cpu_millis", "memory_bytes"):
        request = _count(requests.get(resource, 0), f"{at}.requests.{resource}")
        limit = _count(limits.get(resource, 0), f"{at}.limits.{resource}")
        if limit and request > limit:
            raise InvalidConfig(f"{at}.requests.{resource}", f"{request} is more than the limit, {limit}")
    gpu = resources.get("gpu_limits", {})
    if _count(gpu.get("count", 0), f"{at}.gpu_limits.count"):
        _check(qualified_name_problem(gpu.get("type", "")), f"{at}.gpu_limits.type")


# Config files ----------------------------------------------------------------------------------


def _validate_config_files(files: list[Mapping[str, Any]]) -> None:
    paths: dict[Any, str] = {}
    total = 0
    for index, file in enumerate(files):
        at = f"config_files[{index}]"
        path = file.get("path", "")
        _check(_file_path_problem(path), f"{at}.path")
        _unique(paths, path, f"{at}.path")
        if SEALED_CONTENT not in file:
            total += _content_size(file.get("content", ""), f"{at}.content")
    if total > MAX_CONFIG_FILES_BYTES:
        raise InvalidConfig("config_files", f"hold {total} bytes, more than {MAX_CONFIG_FILES_BYTES} together")


def _file_path_problem(path: str) -> str | None:
    if not path:
        return "must not be empty"
    if len(path) > MAX_CONFIG_FILE_PATH:
        return f"is longer than {MAX_CONFIG_FILE_PATH} characters"
    if any(ord(character) < 32 or ord(character) == 127 for character in path):
        return f"{quoted(path)} must not contain control characters"
    if problem := _absolute_path_problem(path):
        return problem
    if path.endswith("/"):
        return f"{quoted(path)} must name a file, not end with '/'"
    if posixpath.normpath(path) != path or path.startswith("//"):
        return f"{quoted(path)} must be clean: no '.', '..' or empty parts"
    return None


def _content_size(content: str, at: str) -> int:
    try:
        size = len(base64.b64decode(content, validate=True))
    except (binascii.Error, ValueError) as error:
        raise InvalidConfig(at, "is not base64") from error
    if size > MAX_CONFIG_FILE_BYTES:
        raise InvalidConfig(at, f"holds {size} bytes, more than {MAX_CONFIG_FILE_BYTES}")
    return size


# Horizontal scale ------------------------------------------------------------------------------


def _validate_horizontal_scale(scale: Mapping[str, Any], replicas: int) -> None:
    at = "horizontal_scale"
    low = _count(scale.get("min_replicas", 0), f"{at}.min_replicas")
    high = _count(scale.get("max_replicas", 0), f"{at}.max_replicas")
    autoscaled = "cpu_target" in scale or bool(scale.get("custom_metrics"))
    if high < low and (high or autoscaled):
        raise InvalidConfig(f"{at}.max_replicas", f"{high} is less than min_replicas, {low}")
    if autoscaled and high and high < replicas:
        # the autoscaler's minimum is the larger of the two (Rig's HorizontalScaleConversion)
        raise InvalidConfig(f"{at}.max_replicas", f"{high} is less than replicas, {replicas}, which the"
                            " autoscaler keeps as its minimum")
    if "cpu_target" in scale:
        _count(scale["cpu_target"].get("average_utilization_percentage", 0),
               f"{at}.cpu_target.average_utilization_percentage", 1, 100)
    for index, metric in enumerate(scale.get("custom_metrics", [])):
        _validate_custom_metric(metric, f"{at}.custom_metrics[{index}]")


def _validate_custom_metric(metric: Mapping[str, Any], at: str) -> None:
    kind = _exactly_one(metric, ("instance", "object"), at)
    at, target = f"{at}.{kind}", metric[kind]
    if not target.get("metric_name"):
        raise InvalidConfig(f"{at}.metric_name", "must not be empty")
    _labels(target.get("match_labels", {}), f"{at}.match_labels")
    value_field = "average_value" if kind == "instance" else _exactly_one(target, ("value", "average_value"), at)
    _validate_target_value(target.get(value_field, ""), f"{at}.{value_field}")
    if kind == "object":
        reference = target.get("object_reference", {})
        for field in ("kind", "name"):
            if not reference.get(field):
                raise InvalidConfig(f"{at}.object_reference.{field}", "must not be empty")


def _validate_target_value(text: str, at: str) -> None:
    try:
        value = parse_quantity(text)
    except InvalidQuantity as error:
        raise InvalidConfig(at, f"{quoted(text)} {error}") from error
    if value <= 0:
        raise InvalidConfig(at, f"{quoted(text)} must be more than 0")


# Cron jobs -------------------------------------------------------------------------------------


def _validate_cron_jobs(jobs: list[Mapping[str, Any]], capsule_id: str) -> None:
    names: dict[Any, str] = {}
    longest = MAX_CRON_RESOURCE_NAME - 1 - len(capsule_id)
    for index, job in enumerate(jobs):
        at = f"cron_jobs[{index}]"
        name = job.get("job_name", "")
        if len(name) > longest:
            raise InvalidConfig(f"{at}.job_name", f"{quoted(name)} is longer than {max(longest, 0)} characters "
                                f"(with the capsule's name it must fit in {MAX_CRON_RESOURCE_NAME})")
        _check(dns_label_problem(name), f"{at}.job_name")
        _unique(names, name, f"{at}.job_name")
        _check(schedule_problem(job.get("schedule", "")), f"{at}.schedule")
        _count(job.get("max_retries", 0), f"{at}.max_retries")
        if "timeout" in job:
            _validate_timeout(job["timeout"], f"{at}.timeout")
        if _exactly_one(job, ("url", "command"), at) == "url":
            _validate_job_url(job["url"], f"{at}.url")
        elif not job["command"].get("command"):
            raise InvalidConfig(f"{at}.command.command", "must not be empty")


def _validate_timeout(timeout: str, at: str) -> None:
    match = _DURATION.fullmatch(timeout) if isinstance(timeout, str) else None
    if match is None or timeout.startswith("-") or int(match[1]) < 1:
        raise InvalidConfig(at, f"{quoted(str(timeout))} must be a duration of at least 1s")


def _validate_job_url(url: Mapping[str, Any], at: str) -> None:
    _count(url.get("port", 0), f"{at}.port", 1, MAX_JOB_PORT)
    path = url.get("path", "")
    if path and (path.startswith("//") or not _URL_PATH.fullmatch(path)):
        raise InvalidConfig(f"{at}.path", f"{quoted(path)} is not a URL path: start with '/', "
                            "and put the query in query_parameters")
    for key in url.get("query_parameters", {}):
        if not key:
            raise InvalidConfig(f"{at}.query_parameters", "a parameter must have a name")


# Annotations -----------------------------------------------------------------------------------


def _validate_annotations(annotations: Mapping[str, str]) -> None:
    for key in annotations:
        _check(qualified_name_problem(key), "annotations")
    size = sum(len(key) + len(value) for key, value in annotations.items())
    if size > MAX_ANNOTATIONS_BYTES:
        raise InvalidConfig("annotations", f"hold {size} bytes, more than {MAX_ANNOTATIONS_BYTES}")
