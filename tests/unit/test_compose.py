"""docker-compose.yml, checked structurally (no Docker engine runs here): the services and
roles it starts exist in rigd, and every setting it passes is one rigd reads."""

from __future__ import annotations

from pathlib import Path

import yaml

from rigd.domain.clusters import ClusterType
from rigd.services.composition import ROLES
from rigd.services.config import _ENVIRONMENT_VARIABLES, load_settings

COMPOSE = Path(__file__).resolve().parents[2] / "docker-compose.yml"


def test_compose_runs_each_role_as_a_service_configured_by_environment_variables() -> None:
    services = yaml.safe_load(COMPOSE.read_text())["services"]
    assert {"db", "kafka", "api", "projector", "relay", "deployer"} <= set(services)
    kraft = services["kafka"]["environment"]
    assert "controller" in kraft["KAFKA_PROCESS_ROLES"] and "ZOOKEEPER" not in " ".join(kraft)
    roles = {}
    for name in ("api", "projector", "relay", "deployer"):
        service = services[name]
        command = service["command"]
        assert command[:1] == ["rigd"] and service["build"] == "."
        roles[name] = command[3].split(",") if command[1:3] == ["serve", "--roles"] else [command[1]]
        unknown = set(service["environment"]) - set(_ENVIRONMENT_VARIABLES) - {"RIGD_CONFIG"}
        assert not unknown, f"{name} sets variables rigd does not read: {unknown}"
        assert service["environment"]["RIGD_DATABASE_URL"].startswith("postgresql://")
    assert roles == {"api": ["api"], "projector": ["projector"], "relay": ["relay"], "deployer": ["deployer"]}
    assert set(roles["api"] + roles["projector"] + roles["deployer"]) <= set(ROLES)
    assert services["relay"]["environment"]["RIGD_KAFKA_BOOTSTRAP_SERVERS"] == "kafka:9092"


def test_the_compose_config_file_loads_with_a_kubernetes_cluster() -> None:
    """The file the api and deployer services mount: a k8s cluster and its default environment."""
    services = yaml.safe_load(COMPOSE.read_text())["services"]
    for name in ("api", "deployer"):
        mounted = {volume.split(":")[1]: volume.split(":")[0] for volume in services[name]["volumes"]}
        config = COMPOSE.parent / mounted[services[name]["environment"]["RIGD_CONFIG"]]
        settings = load_settings(str(config), environ={})
        assert [(c.cluster_id, c.type) for c in settings.clusters.items] == [("prod", ClusterType.KUBERNETES)]
        assert [(e.environment_id, e.cluster_id, e.default) for e in settings.environments] == [
            ("production", "prod", True)]
