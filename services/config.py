"""Configuration: embedded defaults, then an optional YAML file, then RIGD_* environment variables.

A bad value stops start-up with one line naming the setting (ConfigError)."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import yaml

from rigd.adapters.event_store_settings import DatabaseUrlError, postgres_settings
from rigd.adapters.secrets import SecretKeyError, parse_key
from rigd.domain.clusters import Cluster, Clusters, ClusterType
from rigd.domain.environment_commands import EnvironmentSpec

PLATFORM_VERSION = "v1.8.10"  # the Rig platform API version rigd serves


class ConfigError(ValueError):
    """A setting is wrong; the message names it."""


LOCAL_CLUSTERS = Clusters((Cluster("local", ClusterType.LOCAL),))
LOCAL_ENVIRONMENTS = (EnvironmentSpec("local", cluster_id="local", default=True),)


@dataclass(frozen=True)
class Settings:
    listen: str = "127.0.0.1:4747"
    metrics_listen: str = "127.0.0.1:4749"  # empty: no metrics endpoint
    connect_listen: str = "127.0.0.1:4748"  # the Connect protocol (and gRPC) over HTTP; empty: none
    data_dir: Path = Path("var")
    database_url: str = field(default="", repr=False)  # empty: SQLite under data_dir; may hold a password
    secret_key: str = field(default="", repr=False)  # base64 of 32 bytes; empty: a generated key file under data_dir
    # keys that sealed earlier values: they still open them, nothing new is sealed with them
    retired_secret_keys: tuple[str, ...] = field(default=(), repr=False)
    # tokens: HS512 with auth_secret (empty: a generated file data_dir/auth.key; required with
    # database_url), or RS256/ES256/EdDSA with the PEM private key in auth_private_key_file
    auth_secret: str = field(default="", repr=False)
    auth_algorithm: str = "HS512"
    auth_private_key_file: str = ""
    auth_issuer: str = "rigd"
    # mail (welcome, verification, reset codes): none is sent while smtp_host is empty
    smtp_host: str = ""
    smtp_port: int = 587
    smtp_tls: str = "starttls"  # none, starttls or tls
    smtp_user: str = ""
    smtp_password: str = field(default="", repr=False)
    smtp_from: str = ""
    # Kubernetes clusters (type k8s): a kubeconfig file and one of its contexts (empty: its current
    # context); no file: the cluster rigd runs in, through its pod's service account
    kubeconfig: str = ""
    kube_context: str = ""
    clusters: Clusters = LOCAL_CLUSTERS
    environments: tuple[EnvironmentSpec, ...] = LOCAL_ENVIRONMENTS
    read_timeout: float = 5.0  # seconds a command waits for its read models (read-your-writes)
    leader_lease: float = 5.0  # seconds a leader's lease lasts; renewed every fifth of it
    log_level: str = "INFO"
    workers: int = 32
    # streaming calls (capsule Logs, Execute) open at once, each holding an RPC thread; 0: three
    # quarters of `workers` (services.stream_slots)
    max_streams: int = 0
    kafka_bootstrap_servers: str = ""  # empty: no relay; HOST:PORT[,HOST:PORT...] runs it
    kafka_topic: str = "rigd.events"
    kafka_partitions: int = 3
    kafka_replication_factor: int = 1
    platform_version: str = PLATFORM_VERSION
    admin_email: str = "admin@rigd.local"  # the first admin, made on first start
    admin_password: str = field(default="", repr=False)  # empty: generated and printed once on standard error

    @property
    def uses_postgres(self) -> bool:
        return bool(self.database_url)

    @property
    def stream_limit(self) -> int:
        """How many streaming calls may be open at once (below `workers` when it can be)."""
        return self.max_streams or max(1, self.workers * 3 // 4)


_ENVIRONMENT_VARIABLES = {
    "RIGD_LISTEN": "listen",
    "RIGD_METRICS_LISTEN": "metrics_listen",
    "RIGD_CONNECT_LISTEN": "connect_listen",
    "RIGD_DATA_DIR": "data_dir",
    "RIGD_DATABASE_URL": "database_url",
    "RIGD_SECRET_KEY": "secret_key",
    "RIGD_RETIRED_SECRET_KEYS": "retired_secret_keys",
    "RIGD_AUTH_SECRET": "auth_secret",
    "RIGD_AUTH_ALGORITHM": "auth_algorithm",
    "RIGD_AUTH_PRIVATE_KEY_FILE": "auth_private_key_file",
    "RIGD_AUTH_ISSUER": "auth_issuer",
    "RIGD_SMTP_HOST": "smtp_host",
    "RIGD_SMTP_PORT": "smtp_port",
    "RIGD_SMTP_TLS": "smtp_tls",
    "RIGD_SMTP_USER": "smtp_user",
    "RIGD_SMTP_PASSWORD": "smtp_password",
    "RIGD_SMTP_FROM": "smtp_from",
    "RIGD_READ_TIMEOUT": "read_timeout",
    "RIGD_LEADER_LEASE": "leader_lease",
    "RIGD_LOG_LEVEL": "log_level",
    "RIGD_WORKERS": "workers",
    "RIGD_MAX_STREAMS": "max_streams",
    "RIGD_KAFKA_BOOTSTRAP_SERVERS": "kafka_bootstrap_servers",
    "RIGD_KAFKA_TOPIC": "kafka_topic",
    "RIGD_KAFKA_PARTITIONS": "kafka_partitions",
    "RIGD_KAFKA_REPLICATION_FACTOR": "kafka_replication_factor",
    "RIGD_ADMIN_EMAIL": "admin_email",
    "RIGD_ADMIN_PASSWORD": "admin_password",
    "RIGD_KUBECONFIG": "kubeconfig",
    "RIGD_KUBE_CONTEXT": "kube_context",
}


_MAY_BE_EMPTY = ("RIGD_METRICS_LISTEN", "RIGD_CONNECT_LISTEN")  # empty turns the endpoint off
_KAFKA_TOPIC = re.compile(r"[A-Za-z0-9._-]{1,249}")
_SECRET_SETTINGS = {
    "database_url", "secret_key", "retired_secret_keys", "auth_secret", "smtp_password", "admin_password",
}
_CHOICES = {"auth_algorithm": ("HS512", "RS256", "ES256", "EdDSA"), "smtp_tls": ("none", "starttls", "tls")}


def load_settings(config_file: str | None = None, environ: Mapping[str, str] | None = None) -> Settings:
    environ = os.environ if environ is None else environ
    values: dict[str, Any] = {}
    path = config_file or environ.get("RIGD_CONFIG", "")
    if path:
        values.update(_read_yaml(Path(path)))
    for variable, key in _ENVIRONMENT_VARIABLES.items():
        if environ.get(variable) or (variable in _MAY_BE_EMPTY and variable in environ):
            values[key] = environ[variable]
    return settings_from(values)


def settings_from(values: Mapping[str, Any]) -> Settings:
    unknown = set(values) - set(_ENVIRONMENT_VARIABLES.values()) - {"clusters", "environments"}
    if unknown:
        raise ConfigError(f"unknown setting {sorted(unknown)[0]!r}")
    settings = Settings()
    scalars = {k: v for k, v in values.items() if k not in ("clusters", "environments")}
    settings = replace(settings, **{k: _scalar(k, v) for k, v in scalars.items()})
    if "clusters" in values:
        settings = replace(settings, clusters=_clusters(values["clusters"]), environments=())
    if "environments" in values:
        settings = replace(settings, environments=_environments(values["environments"] or {}, settings.clusters))
    _check_listen("listen", settings.listen)
    if settings.metrics_listen:
        _check_listen("metrics_listen", settings.metrics_listen)
    if settings.connect_listen:
        _check_listen("connect_listen", settings.connect_listen)
    if settings.max_streams and settings.max_streams >= settings.workers:
        raise ConfigError(f"setting 'max_streams' ({settings.max_streams}) must be below 'workers'"
                          f" ({settings.workers}): open streams would otherwise take every RPC thread")
    if settings.kube_context and not settings.kubeconfig:
        raise ConfigError("setting 'kube_context' names a context of 'kubeconfig', which is not set")
    if settings.uses_postgres and not settings.secret_key:
        # Replicas share one store, so they must share the key that seals its secrets.
        raise ConfigError("setting 'secret_key' is required when 'database_url' is set")
    return settings


def _read_yaml(path: Path) -> dict[str, Any]:
    try:
        loaded = yaml.safe_load(path.read_text())
    except OSError as error:
        raise ConfigError(f"config file {str(path)!r}: {error.strerror}") from None
    except yaml.YAMLError as error:
        raise ConfigError(f"config file {str(path)!r} is not valid YAML: {error}") from None
    if loaded is None:
        return {}
    if not isinstance(loaded, dict):
        raise ConfigError(f"config file {str(path)!r} must hold a mapping of settings")
    return loaded


def _scalar(key: str, value: Any) -> Any:
    if key == "retired_secret_keys":
        return _retired_secret_keys(value)
    if key == "database_url" and value:
        try:
            postgres_settings(str(value))
        except DatabaseUrlError as error:  # the message never repeats the URL: it may hold a password
            raise ConfigError(f"setting 'database_url' {error}") from None
    if key in _CHOICES:
        if str(value) not in _CHOICES[key]:
            raise ConfigError(f"setting {key!r} must be one of {', '.join(_CHOICES[key])}, got {str(value)!r}")
        return str(value)
    try:
        if key == "data_dir":
            return Path(str(value))
        if key in ("read_timeout", "leader_lease"):
            number = float(value)
            if number <= 0:
                raise ValueError
            return number
        if key == "smtp_port":
            port = int(value)
            if not 0 < port < 65536:
                raise ValueError
            return port
        if key in ("workers", "kafka_partitions", "kafka_replication_factor"):
            count = int(value)
            if count < 1:
                raise ValueError
            return count
        if key == "max_streams":
            count = int(value)
            if count < 0:
                raise ValueError
            return count
        if key == "log_level":
            level = str(value).upper()
            if level not in ("DEBUG", "INFO", "WARNING", "ERROR"):
                raise ValueError
            return level
        if key == "kafka_topic" and not _KAFKA_TOPIC.fullmatch(str(value)):
            raise ValueError
        return str(value)
    except (TypeError, ValueError):
        shown = "" if key in _SECRET_SETTINGS else f" {value!r}"
        raise ConfigError(f"setting {key!r} has an invalid value{shown}") from None


def _retired_secret_keys(value: Any) -> tuple[str, ...]:
    """A YAML list of base64 keys, or one comma-separated string (as RIGD_RETIRED_SECRET_KEYS gives)."""
    if value is None:
        return ()
    if isinstance(value, str):
        items = [item.strip() for item in value.split(",")]
    elif isinstance(value, list | tuple):
        items = [str(item).strip() for item in value]
    else:
        raise ConfigError("setting 'retired_secret_keys' must be a list of base64 keys (or one comma-separated string)")
    keys = tuple(item for item in items if item)
    for position, key in enumerate(keys, start=1):
        try:
            parse_key(key)
        except SecretKeyError as error:  # the message never repeats the key
            raise ConfigError(f"setting 'retired_secret_keys' key {position} of {len(keys)}: {error}") from None
    return keys


def _check_listen(setting: str, listen: str) -> None:
    host, _, port = listen.rpartition(":")
    if not host or not port.isdigit() or not 0 <= int(port) < 65536:
        raise ConfigError(f"setting {setting!r} must be HOST:PORT, got {listen!r}")


def _clusters(raw: Any) -> Clusters:
    if not isinstance(raw, dict) or not raw:
        raise ConfigError("setting 'clusters' must map at least one cluster id to its settings")
    items = []
    for cluster_id, spec in raw.items():
        spec = spec or {}
        kind = str(spec.get("type", "local"))
        try:
            cluster_type = ClusterType(kind)
        except ValueError:
            raise ConfigError(
                f"setting 'clusters.{cluster_id}.type' must be local, docker or k8s, got {kind!r}"
            ) from None
        items.append(Cluster(str(cluster_id), cluster_type, str(spec.get("dev_registry_host", "")),
                             bool(spec.get("ingress", False)), bool(spec.get("create_pull_secrets", False))))
    return Clusters(tuple(items))


def _environments(raw: Any, clusters: Clusters) -> tuple[EnvironmentSpec, ...]:
    if not isinstance(raw, dict):
        raise ConfigError("setting 'environments' must map environment ids to their settings")
    specs = []
    for environment_id, spec in raw.items():
        spec = spec or {}
        cluster_id = str(spec.get("cluster", ""))
        if cluster_id and cluster_id not in {c.cluster_id for c in clusters.items}:
            raise ConfigError(
                f"setting 'environments.{environment_id}.cluster' names an unknown cluster {cluster_id!r}"
            )
        specs.append(EnvironmentSpec(str(environment_id), cluster_id, str(spec.get("namespace_template", "")),
                                     bool(spec["default"]) if "default" in spec else None))
    return tuple(specs)
