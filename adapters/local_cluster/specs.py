"""What a rollout's config asks the local cluster for: its objects (to report what applying
changed), the template every instance starts from, the replica count and the cron jobs.
Pure: reading environment sources is the caller's (it passes them in)."""

from __future__ import annotations

import base64
import hashlib
import json
import posixpath
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from rigd.adapters.local_cluster.cron import CronSchedule, InvalidSchedule
from rigd.domain.cluster_driver import AppliedObject, ApplyStage, Outcome
from rigd.domain.rendering import RenderTarget
from rigd.domain.rollout_config import Config

DEFAULT_MAX_RETRIES = 6
_VARIABLE = re.compile(
    r"\$\$|\$\(([A-Za-z_][A-Za-z0-9_]*)\)|\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)")
_NOT_NAME = re.compile(r"[^A-Za-z0-9]")


@dataclass(frozen=True)
class Probe:
    kind: str  # "http", "tcp" or "grpc" (probed as tcp)
    path: str = ""


@dataclass(frozen=True)
class Interface:
    name: str
    port: int
    readiness: Probe | None
    liveness: Probe | None = None


@dataclass(frozen=True)
class Template:
    """What every instance of one rollout starts from (its ports are its own)."""

    rollout_id: int
    image: str
    command: str
    args: tuple[str, ...]
    env: dict[str, str]
    interfaces: tuple[Interface, ...]
    files: tuple[tuple[str, bytes], ...]

    @property
    def fingerprint(self) -> str:
        return digest(
            [
                self.rollout_id,
                self.image,
                self.command,
                self.args,
                self.env,
                [_interface_json(i) for i in self.interfaces],
                [[path, content.hex()] for path, content in self.files],
            ]
        )


@dataclass(frozen=True)
class CronJobSpec:
    name: str
    schedule: str
    max_retries: int
    timeout: float | None
    command: tuple[str, ...] = ()
    url: tuple[int, str, dict[str, str]] | None = None  # container port, path, query

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "schedule": self.schedule,
            "max_retries": self.max_retries,
            "timeout": self.timeout,
            "command": list(self.command),
            "url": self.url and list(self.url),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> CronJobSpec:
        url = data["url"]
        return cls(
            data["name"],
            data["schedule"],
            data["max_retries"],
            data["timeout"],
            tuple(data["command"]),
            None if url is None else (int(url[0]), str(url[1]), dict(url[2])),
        )


@dataclass(frozen=True)
class PlannedObject:
    kind: str
    name: str
    stage: ApplyStage
    fingerprint: str
    path: str = ""
    is_secret: bool = False

    @property
    def key(self) -> str:
        return f"{self.kind}/{self.name}"

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "name": self.name,
            "stage": self.stage.value,
            "fingerprint": self.fingerprint,
            "path": self.path,
            "is_secret": self.is_secret,
        }

    def outcome(self, outcome: Outcome) -> AppliedObject:
        return AppliedObject(self.kind, self.name, outcome, self.stage, path=self.path, is_secret=self.is_secret)


@dataclass(frozen=True)
class Plan:
    template: Template
    replicas: int
    objects: list[PlannedObject]
    jobs: list[CronJobSpec]
    failures: list[AppliedObject] = field(default_factory=list)


EnvSource = Callable[[str, str], Mapping[str, str] | None]
"""Looks up an environment source by kind (`configmap`/`secret`) and name; None if missing."""


def plan(target: RenderTarget, config: Config, env_source: EnvSource) -> Plan:
    """The objects, template, replicas and cron jobs of `config` for rollout `target`, and
    what cannot be applied (then nothing is)."""
    capsule = target.capsule_id
    settings = config.get("container_settings") or {}
    failures: list[AppliedObject] = []
    objects = [PlannedObject("capsule", capsule, ApplyStage.CONFIGURE, digest([target.rollout_id, config]))]
    env = _sourced_environment(settings, env_source, failures)
    variables = dict(settings.get("environment_variables") or {})
    env.update(variables)
    env["RIG_CAPSULE_NAME"] = capsule
    if variables:
        objects.append(PlannedObject("configmap", capsule, ApplyStage.CONFIGURE, digest(variables)))
    files = _files(capsule, config, objects, failures)
    template = Template(
        rollout_id=target.rollout_id,
        image=config.get("image_id", ""),
        command=settings.get("command", ""),
        args=tuple(settings.get("args") or ()),
        env=env,
        interfaces=tuple(_interface(i) for i in (config.get("network") or {}).get("interfaces") or []),
        files=tuple(files),
    )
    replicas = max(int(config.get("replicas", 0)), int((config.get("horizontal_scale") or {}).get("min_replicas", 0)))
    deployment = digest([template.fingerprint, replicas])
    objects.append(PlannedObject("deployment", capsule, ApplyStage.RESOURCE_CREATION, deployment))
    if not template.command:
        failures.append(
            _failed(
                "deployment",
                capsule,
                ApplyStage.RESOURCE_CREATION,
                "the local cluster starts each instance from the capsule's command: set one",
            )
        )
    jobs = _jobs(target, config, objects, failures)
    return Plan(template, replicas, objects, jobs, failures)


def _sourced_environment(
    settings: Mapping[str, Any], env_source: EnvSource, failures: list[AppliedObject]
) -> dict[str, str]:
    """The variables of the environment sources, in order (a later one wins)."""
    env: dict[str, str] = {}
    for source in settings.get("environment_sources") or []:
        kind = "secret" if source.get("kind") == "KIND_SECRET" else "configmap"
        name = source.get("name", "")
        values = env_source(kind, name)
        if values is None:
            message = f"environment source {kind}/{name} not found"
            failures.append(_failed(kind, name, ApplyStage.RESOURCE_CREATION, message, permanent=False))
        else:
            env.update(values)
    return env


def _files(
    capsule: str, config: Config, objects: list[PlannedObject], failures: list[AppliedObject]
) -> list[tuple[str, bytes]]:
    files = []
    for file in config.get("config_files") or []:
        path, secret = file.get("path", ""), bool(file.get("is_secret"))
        kind, name = ("secret" if secret else "configmap"), f"{capsule}-{_slug(path)}"
        if not path.startswith("/") or path == "/" or posixpath.normpath(path) != path:
            failures.append(_failed(kind, name, ApplyStage.CONFIGURE, f"config file path {path!r} is not absolute"))
            continue
        if "content" not in file and "sealed_content" in file:
            failures.append(_failed(kind, name, ApplyStage.CONFIGURE, f"the content of {path} is still sealed"))
            continue
        content = _bytes(file.get("content", ""))
        files.append((path, content))
        objects.append(PlannedObject(kind, name, ApplyStage.CONFIGURE, digest(content.hex()), path, secret))
    return files


def _jobs(
    target: RenderTarget, config: Config, objects: list[PlannedObject], failures: list[AppliedObject]
) -> list[CronJobSpec]:
    jobs = []
    for job in config.get("cron_jobs") or []:
        name = f"{target.capsule_id}-{job.get('job_name', '')}"
        try:
            spec = _cron_job(job)
        except ValueError as error:
            failures.append(_failed("cronjob", name, ApplyStage.RESOURCE_CREATION, str(error)))
            continue
        jobs.append(spec)
        fingerprint = digest([target.rollout_id, spec.to_json()])
        objects.append(PlannedObject("cronjob", name, ApplyStage.RESOURCE_CREATION, fingerprint))
    return jobs


def _interface(data: Mapping[str, Any]) -> Interface:
    return Interface(
        data.get("name", ""), int(data.get("port", 0)), _probe(data.get("readiness")), _probe(data.get("liveness"))
    )


def _probe(data: Mapping[str, Any] | None) -> Probe | None:
    data = data or {}
    if "http" in data:
        return Probe("http", (data["http"] or {}).get("path", "/") or "/")
    if "tcp" in data:
        return Probe("tcp")
    if "grpc" in data:
        return Probe("grpc")
    return None


def _interface_json(interface: Interface) -> list[Any]:
    probes = [probe and [probe.kind, probe.path] for probe in (interface.readiness, interface.liveness)]
    return [interface.name, interface.port, *probes]


def _cron_job(job: Mapping[str, Any]) -> CronJobSpec:
    name, schedule = job.get("job_name", ""), job.get("schedule", "")
    try:
        CronSchedule.parse(schedule)
    except InvalidSchedule as error:
        raise ValueError(f"cron job {name}: invalid schedule: {error}") from None
    timeout = parse_duration(job["timeout"]) if job.get("timeout") else None
    retries = int(job.get("max_retries") or DEFAULT_MAX_RETRIES)
    if "url" in job:
        url = job["url"] or {}
        query = {str(k): str(v) for k, v in (url.get("query_parameters") or {}).items()}
        return CronJobSpec(name, schedule, retries, timeout, url=(int(url.get("port", 0)), url.get("path", "/"), query))
    command = job.get("command") or {}
    if not command.get("command"):
        raise ValueError(f"cron job {name}: the local cluster runs a job's command: set one")
    return CronJobSpec(name, schedule, retries, timeout, command=(command["command"], *(command.get("args") or ())))


def expand(text: str, env: Mapping[str, str]) -> str:
    """Kubernetes' `$(VAR)` references in a command or argument, and the shell's `$VAR` and
    `${VAR}` (a local process is often given `$PORT`, as on a PaaS): replaced by the
    variable's value when it is defined, kept as written when not; `$$` is a literal `$`."""

    def replace(match: re.Match[str]) -> str:
        if match.group(0) == "$$":
            return "$"
        name = match.group(1) or match.group(2) or match.group(3)
        return env.get(name, match.group(0))

    return _VARIABLE.sub(replace, text)


def port_variable(interface: str) -> str:
    return "PORT_" + _NOT_NAME.sub("_", interface).upper()


def parse_duration(text: str) -> float:
    """A proto3 JSON duration (`"30s"`, `"1.5s"`)."""
    if not text.endswith("s"):
        raise ValueError(f"invalid duration {text!r}")
    return float(text[:-1])


def digest(document: Any) -> str:
    return hashlib.sha256(json.dumps(document, sort_keys=True, default=list).encode()).hexdigest()


def _bytes(text: str) -> bytes:
    text = text.replace("-", "+").replace("_", "/")
    return base64.b64decode(text + "=" * (-len(text) % 4))


def _slug(path: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", path.lower()).strip("-") or "root"
    return f"{slug[:40]}-{digest(path)[:6]}"


def _failed(kind: str, name: str, stage: ApplyStage, message: str, permanent: bool = True) -> AppliedObject:
    return AppliedObject(kind, name, Outcome.FAILED, stage, message, permanent=permanent)


def template_to_json(template: Template) -> dict[str, Any]:
    return {
        "rollout_id": template.rollout_id,
        "image": template.image,
        "command": template.command,
        "args": list(template.args),
        "env": template.env,
        "interfaces": [_interface_json(i) for i in template.interfaces],
        "files": [[path, base64.b64encode(content).decode()] for path, content in template.files],
        "fingerprint": template.fingerprint,
    }


def template_from_json(data: dict[str, Any]) -> Template:
    return Template(
        rollout_id=int(data["rollout_id"]),
        image=data["image"],
        command=data["command"],
        args=tuple(data["args"]),
        env=dict(data["env"]),
        interfaces=tuple(
            Interface(name, int(port), *(probe and Probe(probe[0], probe[1]) for probe in probes))
            for name, port, *probes in data["interfaces"]
        ),
        files=tuple((path, base64.b64decode(content)) for path, content in data["files"]),
    )
